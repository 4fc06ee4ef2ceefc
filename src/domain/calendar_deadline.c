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
add_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static void
add_date(json_t *o, const char *k, int32_t day)
{
    char b[16];

    mc_fmt_date(day, b, sizeof(b));
    json_object_set_new(o, k, json_string(b));
}

/* Non-working days in (from, to] with their reasons. */
static json_t *
skipped_days(const struct mc_calendar *cal, int32_t from, int32_t to,
             int *truncated)
{
    json_t *a = json_array();
    int n = 0;

    *truncated = 0;
    for (int32_t d = from + 1; a != NULL && d <= to && d <= cal->last; d++) {
        struct mc_day_info di;
        json_t *o;

        if (mc_calendar_day(cal, d, &di) != MC_OK || di.working) {
            continue;
        }
        if (n++ == MAX_SKIPPED) {
            *truncated = 1;
            break;
        }
        o = json_object();
        add_date(o, "date", d);
        add_str(o, "weekday", mc_cal_weekday_vi(mc_weekday(d)));
        add_str(o, "kind", mc_day_kind_name(di.kind));
        add_str(o, "code", di.code);
        add_str(o, "reason", di.reason);
        add_str(o, "basis", di.basis);
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *
pauses_json(const struct mc_calendar *cal, const struct mc_workhours *wh,
            const struct mc_deadline_req *req)
{
    json_t *a = json_array();

    for (int i = 0; a != NULL && i < req->npauses; i++) {
        const struct mc_pause *p = &req->pauses[i];
        json_t *o = json_object();
        int nd = 0;

        json_object_set_new(o, "from", mc_json_ts_value(p->from));
        json_object_set_new(o, "to", mc_json_ts_value(p->to));
        if (p->to != 0 &&
            mc_calendar_between(cal, mc_local_day(p->from),
                                mc_local_day(p->to), &nd) == MC_OK) {
            json_object_set_new(o, "working_days", json_integer(nd));
            json_object_set_new(o, "working_seconds",
                                json_integer(mc_calendar_work_seconds(
                                    cal, wh, p->from, p->to)));
        }
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *
legal_rules(const struct mc_deadline_req *req, const struct mc_deadline *d)
{
    json_t *a = json_array();
    int days = req->unit == MC_LIMIT_WORKDAYS;

    if (days) {
        json_array_append_new(
            a, json_string("BLDS 2015 Điều 147: ngày tiếp nhận không tính, "
                           "thời hạn bắt đầu từ ngày tiếp theo; chỉ tính "
                           "ngày làm việc"));
        json_array_append_new(
            a, json_string("BLDS 2015 Điều 148: thời hạn kết thúc lúc 24 "
                           "giờ ngày làm việc cuối cùng"));
    } else if (req->unit == MC_LIMIT_SAMEDAY) {
        json_array_append_new(
            a, json_string("Trả trong ngày làm việc tiếp nhận; tiếp nhận "
                           "sau 15 giờ thì trả trong ngày làm việc tiếp "
                           "theo (NĐ 23/2015/NĐ-CP)"));
    } else {
        json_array_append_new(
            a, json_string("BLDS 2015 Điều 147: thời hạn tính bằng giờ bắt "
                           "đầu từ thời điểm tiếp nhận; chỉ tính giờ làm "
                           "việc"));
    }
    if (d->cutoff && req->unit != MC_LIMIT_SAMEDAY) {
        json_array_append_new(
            a, json_string("NĐ 61/2018/NĐ-CP Điều 18: hồ sơ giấy tiếp nhận "
                           "sau 15 giờ được chuyển và tính từ ngày làm việc "
                           "tiếp theo"));
    }
    if (req->npauses > 0) {
        json_array_append_new(
            a, json_string(req->policy == MC_PAUSE_RESTART
                               ? "NĐ 61/2018/NĐ-CP Điều 19.4: thời hạn tính "
                                 "lại từ đầu khi nhận đủ hồ sơ bổ sung"
                               : "QĐ 766/QĐ-TTg: thời gian chờ bổ sung hồ sơ "
                                 "không tính vào thời hạn"));
    }
    return a;
}

static json_t *
provenance(const struct mc_calendar *cal, const struct mc_workhours *wh,
           const struct mc_deadline_req *req, const struct mc_deadline *d)
{
    json_t *o = json_object(), *lim = json_object();
    int32_t rday = mc_local_day(d->clock_start);
    int trunc = 0;
    char hours[256];

    json_object_set_new(o, "start", mc_json_ts_value(req->start));
    json_object_set_new(lim, "value", json_integer(req->n));
    add_str(lim, "unit", mc_limit_unit_name(req->unit));
    json_object_set_new(o, "limit", lim);
    add_str(o, "basis", req->basis);
    json_object_set_new(o, "calendar_version",
                        json_integer(cal->version));
    json_object_set_new(o, "paper", json_boolean(req->paper));
    add_str(o, "policy", mc_pause_policy_name(req->policy));
    json_object_set_new(o, "pauses", pauses_json(cal, wh, req));
    json_object_set_new(o, "paused", json_boolean(d->paused));
    if (d->paused) {
        json_object_set_new(o, "paused_since", mc_json_ts_value(
                                                   req->pauses[req->npauses -
                                                               1].from));
        json_object_set_new(o, "due", json_null());
        json_object_set_new(o, "legal", legal_rules(req, d));
        return o;
    }
    json_object_set_new(o, "clock_start", mc_json_ts_value(d->clock_start));
    add_date(o, "receipt_day", rday);
    json_object_set_new(o, "cutoff_15h", json_boolean(d->cutoff));
    add_date(o, "counted_from", d->counted_from);
    if (req->unit == MC_LIMIT_WORKDAYS || req->unit == MC_LIMIT_SAMEDAY) {
        json_object_set_new(o, "pause_working_days",
                            json_integer(d->pause_days));
    } else {
        mc_workhours_format(wh, hours, sizeof(hours));
        add_str(o, "hours", hours);
        json_object_set_new(o, "pause_working_seconds",
                            json_integer(d->pause_secs));
    }
    json_object_set_new(o, "skipped",
                        skipped_days(cal, rday, d->due_day, &trunc));
    if (trunc) {
        json_object_set_new(o, "skipped_truncated", json_true());
    }
    add_date(o, "due_day", d->due_day);
    json_object_set_new(o, "due", mc_json_ts_value(d->due));
    json_object_set_new(o, "legal", legal_rules(req, d));
    return o;
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
mc_calendar_deadline(const struct mc_calendar *cal,
                     const struct mc_deadline_req *req,
                     struct mc_deadline *out, json_t **prov,
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

    if (prov != NULL) {
        *prov = NULL;
    }
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
    if (prov != NULL &&
        (*prov = provenance(cal, wh, req, &d)) == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    return MC_OK;
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
