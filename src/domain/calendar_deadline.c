/*
 * calendar_deadline.c - legal deadlines and their provenance.
 *
 * Day limits (Civil Code 2015 Art.147-148): the day of receipt R is not
 * counted; the deadline is the n-th working day after R and ends at 24:00
 * (reported as 23:59:59 local). A paper dossier received on a working day
 * after 15:00 counts as received on the next working day (NĐ 61/2018
 * Art.18); same-day procedures received after 15:00 are due the next
 * working day (NĐ 23/2015). Hour limits (and half-days of 4 hours) run on
 * working hours from the receipt instant.
 *
 * Pauses for supplements: MC_PAUSE_RESTART (NĐ 61 Art.19.4) counts afresh
 * from the end of the last pause, as a new receipt; MC_PAUSE_SUBTRACT
 * (QĐ 766) adds the paused working time: for day limits the working days
 * in (pause-from day, pause-to day], for hour limits the working seconds
 * inside the pause.
 */
#include <stdio.h>
#include <string.h>

#include "domain/calendar_int.h"
#include "util/json.h"
#include "util/mctime.h"

#define CUTOFF_SECS (15 * 3600)
#define MAX_SKIPPED 1000

static const char *const unit_names[] = {"workdays", "halfdays", "workhours",
                                         "sameday"};
static const char *const policy_names[] = {"restart", "subtract"};

const char *
mc_limit_unit_name(enum mc_limit_unit u)
{
    return (unsigned)u <= MC_LIMIT_SAMEDAY ? unit_names[u] : NULL;
}

int
mc_limit_unit_parse(const char *s, enum mc_limit_unit *u)
{
    for (int i = 0; s != NULL && i <= MC_LIMIT_SAMEDAY; i++) {
        if (strcmp(s, unit_names[i]) == 0) {
            *u = (enum mc_limit_unit)i;
            return MC_OK;
        }
    }
    return MC_EINVAL;
}

const char *
mc_pause_policy_name(enum mc_pause_policy p)
{
    return (unsigned)p <= MC_PAUSE_SUBTRACT ? policy_names[p] : NULL;
}

int
mc_pause_policy_parse(const char *s, enum mc_pause_policy *p)
{
    for (int i = 0; s != NULL && i <= MC_PAUSE_SUBTRACT; i++) {
        if (strcmp(s, policy_names[i]) == 0) {
            *p = (enum mc_pause_policy)i;
            return MC_OK;
        }
    }
    return MC_EINVAL;
}

static int
req_err(struct mc_err *err, const char *field, const char *msg)
{
    return mc_err_set(err, MC_EINVAL, 422, "bad_deadline_request", field,
                      "%s", msg);
}

static int
check_req(const struct mc_calendar *cal, const struct mc_deadline_req *req,
          struct mc_err *err)
{
    int32_t d = mc_local_day(req->start);

    if (d < cal->first || d > cal->last) {
        return req_err(err, "start", "start outside 1800..2199");
    }
    if (mc_limit_unit_name(req->unit) == NULL || req->n < 0 ||
        req->n > 100000) {
        return req_err(err, "limit", "limit must be 0..100000 of a known "
                                     "unit");
    }
    if (mc_pause_policy_name(req->policy) == NULL || req->npauses < 0 ||
        (req->npauses > 0 && req->pauses == NULL)) {
        return req_err(err, "pauses", "bad pause policy or list");
    }
    for (int i = 0; i < req->npauses; i++) {
        const struct mc_pause *p = &req->pauses[i];
        int open = p->to == 0;
        if (p->from < req->start || (open && i != req->npauses - 1) ||
            (!open && p->to < p->from) ||
            (i > 0 && p->from < req->pauses[i - 1].to)) {
            return req_err(err, "pauses",
                           "pauses must be sorted, disjoint, after the "
                           "start, and only the last may be open");
        }
    }
    return MC_OK;
}

static void
put_date(struct mc_jw *w, const char *k, int32_t day)
{
    char b[16];

    mc_fmt_date(day, b, sizeof(b));
    mc_jw_str(w, k, b);
}

/* Non-working days in (from, to] with their reasons. */
static void
skipped_days(struct mc_jw *w, const struct mc_calendar *cal, int32_t from,
             int32_t to, int *truncated)
{
    int n = 0;

    *truncated = 0;
    mc_jw_array(w, "skipped");
    for (int32_t d = from + 1; d <= to && d <= cal->last; d++) {
        struct mc_day_info di;

        if (mc_calendar_day(cal, d, &di) != MC_OK || di.working) {
            continue;
        }
        if (n++ == MAX_SKIPPED) {
            *truncated = 1;
            break;
        }
        mc_jw_item_open(w);
        put_date(w, "date", d);
        mc_jw_str(w, "weekday", mc_cal_weekday_vi(mc_weekday(d)));
        mc_jw_str(w, "kind", mc_day_kind_name(di.kind));
        mc_jw_str(w, "code", di.code);
        mc_jw_str(w, "reason", di.reason);
        mc_jw_str(w, "basis", di.basis);
        mc_jw_close(w);
    }
    mc_jw_array_end(w);
}

static void
pauses_json(struct mc_jw *w, const struct mc_calendar *cal,
            const struct mc_workhours *wh, const struct mc_deadline_req *req)
{
    mc_jw_array(w, "pauses");
    for (int i = 0; i < req->npauses; i++) {
        const struct mc_pause *p = &req->pauses[i];
        int nd = 0;

        mc_jw_item_open(w);
        mc_jw_ts(w, "from", p->from);
        mc_jw_ts(w, "to", p->to);
        if (p->to != 0 &&
            mc_calendar_between(cal, mc_local_day(p->from),
                                mc_local_day(p->to), &nd) == MC_OK) {
            mc_jw_int(w, "working_days", nd);
            mc_jw_int(w, "working_seconds",
                      mc_calendar_work_seconds(cal, wh, p->from, p->to));
        }
        mc_jw_close(w);
    }
    mc_jw_array_end(w);
}

static void
legal_rules(struct mc_jw *w, const struct mc_deadline_req *req,
            const struct mc_deadline *d)
{
    int days = req->unit == MC_LIMIT_WORKDAYS;

    mc_jw_array(w, "legal");
    if (days) {
        mc_jw_item(w, "BLDS 2015 Điều 147: ngày tiếp nhận không tính, "
                      "thời hạn bắt đầu từ ngày tiếp theo; chỉ tính "
                      "ngày làm việc");
        mc_jw_item(w, "BLDS 2015 Điều 148: thời hạn kết thúc lúc 24 "
                      "giờ ngày làm việc cuối cùng");
    } else if (req->unit == MC_LIMIT_SAMEDAY) {
        mc_jw_item(w, "Trả trong ngày làm việc tiếp nhận; tiếp nhận "
                      "sau 15 giờ thì trả trong ngày làm việc tiếp "
                      "theo (NĐ 23/2015/NĐ-CP)");
    } else {
        mc_jw_item(w, "BLDS 2015 Điều 147: thời hạn tính bằng giờ bắt "
                      "đầu từ thời điểm tiếp nhận; chỉ tính giờ làm "
                      "việc");
    }
    if (d->cutoff && req->unit != MC_LIMIT_SAMEDAY) {
        mc_jw_item(w, "NĐ 61/2018/NĐ-CP Điều 18: hồ sơ giấy tiếp nhận "
                      "sau 15 giờ được chuyển và tính từ ngày làm việc "
                      "tiếp theo");
    }
    if (req->npauses > 0) {
        mc_jw_item(w, req->policy == MC_PAUSE_RESTART
                          ? "NĐ 61/2018/NĐ-CP Điều 19.4: thời hạn tính "
                            "lại từ đầu khi nhận đủ hồ sơ bổ sung"
                          : "QĐ 766/QĐ-TTg: thời gian chờ bổ sung hồ sơ "
                            "không tính vào thời hạn");
    }
    mc_jw_array_end(w);
}

/* The provenance object, written into b without a jansson tree. */
static int
provenance(struct mc_buf *b, const struct mc_calendar *cal,
           const struct mc_workhours *wh, const struct mc_deadline_req *req,
           const struct mc_deadline *d)
{
    struct mc_jw w;
    int32_t rday = mc_local_day(d->clock_start);
    int trunc = 0;
    char hours[256];

    mc_jw_begin(&w, b);
    mc_jw_ts(&w, "start", req->start);
    mc_jw_open(&w, "limit");
    mc_jw_int(&w, "value", req->n);
    mc_jw_str(&w, "unit", mc_limit_unit_name(req->unit));
    mc_jw_close(&w);
    mc_jw_str(&w, "basis", req->basis);
    mc_jw_int(&w, "calendar_version", cal->version);
    mc_jw_bool(&w, "paper", req->paper);
    mc_jw_str(&w, "policy", mc_pause_policy_name(req->policy));
    pauses_json(&w, cal, wh, req);
    mc_jw_bool(&w, "paused", d->paused);
    if (d->paused) {
        mc_jw_ts(&w, "paused_since", req->pauses[req->npauses - 1].from);
        mc_jw_str(&w, "due", NULL);
        legal_rules(&w, req, d);
        return mc_jw_end(&w);
    }
    mc_jw_ts(&w, "clock_start", d->clock_start);
    put_date(&w, "receipt_day", rday);
    mc_jw_bool(&w, "cutoff_15h", d->cutoff);
    put_date(&w, "counted_from", d->counted_from);
    if (req->unit == MC_LIMIT_WORKDAYS || req->unit == MC_LIMIT_SAMEDAY) {
        mc_jw_int(&w, "pause_working_days", d->pause_days);
    } else {
        mc_workhours_format(wh, hours, sizeof(hours));
        mc_jw_str(&w, "hours", hours);
        mc_jw_int(&w, "pause_working_seconds", d->pause_secs);
    }
    skipped_days(&w, cal, rday, d->due_day, &trunc);
    if (trunc) {
        mc_jw_bool(&w, "skipped_truncated", 1);
    }
    put_date(&w, "due_day", d->due_day);
    mc_jw_ts(&w, "due", d->due);
    legal_rules(&w, req, d);
    return mc_jw_end(&w);
}

static int
range_err(struct mc_err *err)
{
    return mc_err_set(err, MC_EINVAL, 422, "deadline_out_of_range", "limit",
                      "the deadline falls outside the calendar "
                      "(1800-2199)");
}

/* Day limits: WORKDAYS and SAMEDAY, from receipt day r. */
static int
due_by_days(const struct mc_calendar *cal, const struct mc_deadline_req *req,
            int32_t r, struct mc_deadline *d, struct mc_err *err)
{
    int n = req->unit == MC_LIMIT_SAMEDAY ? 0 : req->n;

    if (req->policy == MC_PAUSE_SUBTRACT) {
        for (int i = 0; i < req->npauses; i++) {
            /* days up to the receipt day r do not count anyway */
            int32_t fd = mc_local_day(req->pauses[i].from);
            int32_t td = mc_local_day(req->pauses[i].to);
            int k = 0;
            if (fd < r) {
                fd = r;
            }
            if (td > fd && mc_calendar_between(cal, fd, td, &k) != MC_OK) {
                return range_err(err);
            }
            d->pause_days += k;
        }
    }
    n += d->pause_days;
    if (mc_calendar_add_days(cal, r, n, &d->due_day) != MC_OK ||
        mc_calendar_add_days(cal, r, n > 0 ? 1 : 0, &d->counted_from) !=
            MC_OK) {
        return range_err(err);
    }
    d->due = mc_local_ts(d->due_day, MC_DAY - 1);
    return MC_OK;
}

/* Hour limits: WORKHOURS and HALFDAYS, from instant t. */
static int
due_by_hours(const struct mc_calendar *cal, const struct mc_workhours *wh,
             const struct mc_deadline_req *req, int64_t t,
             struct mc_deadline *d, struct mc_err *err)
{
    int64_t rem = (int64_t)req->n * 3600 *
                  (req->unit == MC_LIMIT_HALFDAYS ? 4 : 1);
    int64_t cur = t;

    if (req->policy == MC_PAUSE_SUBTRACT) {
        for (int i = 0; i < req->npauses; i++) {
            const struct mc_pause *p = &req->pauses[i];
            int64_t pf = p->from > cur ? p->from : cur, w;
            if (p->to <= cur) {
                continue;
            }
            w = mc_calendar_work_seconds(cal, wh, cur, pf);
            if (w >= rem) {
                break;
            }
            rem -= w;
            d->pause_secs += mc_calendar_work_seconds(cal, wh, pf, p->to);
            cur = p->to;
        }
    }
    if (mc_calendar_add_work(cal, wh, cur, rem, &d->due) != MC_OK ||
        mc_calendar_add_days(cal, mc_local_day(t), 0, &d->counted_from) !=
            MC_OK) {
        return range_err(err);
    }
    d->due_day = mc_local_day(d->due);
    return MC_OK;
}

int
mc_calendar_deadline_text(const struct mc_calendar *cal,
                          const struct mc_deadline_req *req,
                          struct mc_deadline *out, struct mc_buf *prov,
                          struct mc_err *err)
{
    struct mc_workhours def;
    const struct mc_workhours *wh = req->hours;
    struct mc_deadline d;
    const struct mc_pause *last = req->npauses > 0
                                      ? &req->pauses[req->npauses - 1]
                                      : NULL;
    int32_t day, r;
    int rc;

    if ((rc = check_req(cal, req, err)) != MC_OK) {
        return rc;
    }
    if (wh == NULL) {
        mc_workhours_default(&def);
        wh = &def;
    }
    memset(&d, 0, sizeof(d));
    d.calendar_version = cal->version;
    d.clock_start = req->start;
    if (last != NULL && last->to == 0) {
        d.paused = 1;
    } else if (last != NULL && req->policy == MC_PAUSE_RESTART) {
        d.clock_start = last->to;
    }
    if (!d.paused) {
        day = mc_local_day(d.clock_start);
        if (day > cal->last) {
            return range_err(err);
        }
        d.cutoff = (req->paper || req->unit == MC_LIMIT_SAMEDAY) &&
                   mc_cal_working_at(cal, day - cal->first) &&
                   mc_local_secs(d.clock_start) > CUTOFF_SECS;
        r = day;
        if (d.cutoff && mc_calendar_add_days(cal, day, 1, &r) != MC_OK) {
            return range_err(err);
        }
        if (req->unit == MC_LIMIT_WORKDAYS ||
            req->unit == MC_LIMIT_SAMEDAY) {
            rc = due_by_days(cal, req, r, &d, err);
        } else {
            rc = due_by_hours(cal, wh, req,
                              d.cutoff ? mc_local_ts(r, 0) : d.clock_start,
                              &d, err);
        }
        if (rc != MC_OK) {
            return rc;
        }
    }
    *out = d;
    if (prov != NULL && provenance(prov, cal, wh, req, &d) != MC_OK) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    return MC_OK;
}

int
mc_calendar_deadline(const struct mc_calendar *cal,
                     const struct mc_deadline_req *req,
                     struct mc_deadline *out, json_t **prov,
                     struct mc_err *err)
{
    struct mc_buf b;
    int rc;

    if (prov == NULL) {
        return mc_calendar_deadline_text(cal, req, out, NULL, err);
    }
    *prov = NULL;
    mc_buf_init(&b, 16u << 20);
    rc = mc_calendar_deadline_text(cal, req, out, &b, err);
    if (rc == MC_OK &&
        (*prov = json_loadb(b.data, b.len, 0, NULL)) == NULL) {
        rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                        "out of memory");
    }
    mc_buf_release(&b);
    return rc;
}

int
mc_calendar_deadline_changed(const struct mc_calendar *old_cal,
                             const struct mc_calendar *new_cal,
                             const struct mc_deadline_req *req, int *changed,
                             struct mc_deadline *out, struct mc_err *err)
{
    struct mc_deadline a, b;
    int rc;

    if ((rc = mc_calendar_deadline(old_cal, req, &a, NULL, err)) != MC_OK ||
        (rc = mc_calendar_deadline(new_cal, req, &b, NULL, err)) != MC_OK) {
        return rc;
    }
    *changed = a.due != b.due || a.paused != b.paused;
    if (out != NULL) {
        *out = b;
    }
    return MC_OK;
}
