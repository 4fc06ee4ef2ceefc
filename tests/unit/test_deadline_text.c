/*
 * test_deadline_text.c - the deadline provenance written as text without
 * a jansson tree (mc_calendar_deadline_text, what the receive transition
 * stores in dossiers.due_provenance) against the tree it replaced: for
 * thousands of requests (every limit unit, lengths 0..70, paper and
 * online, 15:00 cut-off, restart and subtract pauses, open and closed,
 * custom working hours, starts from 2024 to 2027 across Tết and
 * compensatory days, and a span long enough to truncate the skipped
 * days) the text must equal mc_json_dump of the object that
 * calendar_deadline.c built with jansson before (kept below as the
 * reference, field for field), and mc_calendar_deadline's object (now
 * this text, parsed) must dump to the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzzrand.h"

#include "domain/calendar.h"
#include "domain/calendar_int.h"
#include "util/json.h"
#include "util/mctime.h"

#define MAX_SKIPPED 1000

/* ---- reference: the former provenance builder of calendar_deadline.c */

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
reference(const struct mc_calendar *cal, const struct mc_workhours *wh,
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


/* ---- the test ---- */

static struct mc_calendar *cal;

static int
setup(void **state)
{
    struct mc_err err;

    (void)state;
    return mc_calendar_builtin(&cal, &err) == MC_OK ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    mc_calendar_free(cal);
    return 0;
}

static void
test_text_equals_tree(void **state)
{
    static const char *const basis[] = {"1.001193 v1", "2.000 \"v\" 3",
                                        NULL};
    struct mc_workhours sat, def;
    struct mc_err err;
    int compared = 0, paused = 0, truncated = 0, cut = 0;

    (void)state;
    mc_workhours_default(&def);
    assert_int_equal(
        mc_workhours_parse("1-5=07:30-11:30,13:00-16:30;6=08:00-11:30", &sat,
                           &err),
        MC_OK);
    for (int i = 0; i < 6000; i++) {
        struct mc_deadline_req r;
        struct mc_deadline d;
        struct mc_pause ps[3];
        struct mc_buf text, want, again;
        json_t *o, *tree = NULL;
        int64_t t;

        memset(&r, 0, sizeof(r));
        r.start = mc_local_ts(mc_days_from_civil(2024, 1, 1) +
                                  (int32_t)(rnd() % (4 * 366)),
                              (int)(rnd() % 86400));
        r.unit = (enum mc_limit_unit)(rnd() % 4);
        r.n = i % 500 == 0 ? 30000 : (int)(rnd() % 71);
        if (r.n == 0 && r.unit != MC_LIMIT_SAMEDAY) {
            r.n = 1;
        }
        r.paper = (int)(rnd() % 2);
        r.policy = rnd() % 2 ? MC_PAUSE_RESTART : MC_PAUSE_SUBTRACT;
        r.hours = rnd() % 3 == 0 ? &sat : NULL;
        r.basis = basis[rnd() % 3];
        t = r.start;
        for (int k = 0; k < (int)(rnd() % 4) && k < 3; k++) {
            ps[k].from = t + 3600 + (int64_t)(rnd() % (5 * 86400));
            ps[k].to = ps[k].from + 3600 + (int64_t)(rnd() % (6 * 86400));
            t = ps[k].to;
            r.npauses = k + 1;
        }
        if (r.npauses > 0 && rnd() % 3 == 0) {
            ps[r.npauses - 1].to = 0; /* still open */
        }
        r.pauses = r.npauses > 0 ? ps : NULL;
        mc_buf_init(&text, 1u << 24);
        if (mc_calendar_deadline_text(cal, &r, &d, &text, &err) != MC_OK) {
            mc_buf_release(&text); /* out of the calendar's range */
            continue;
        }
        o = reference(cal, r.hours ? r.hours : &def, &r, &d);
        assert_non_null(o);
        mc_buf_init(&want, 1u << 24);
        assert_int_equal(mc_json_dump(o, &want), MC_OK);
        if (text.len != want.len || memcmp(text.data, want.data, text.len)) {
            fail_msg("request %d differs:\n got %s\nwant %s", i, text.data,
                     want.data);
        }
        assert_int_equal(mc_calendar_deadline(cal, &r, &d, &tree, &err),
                         MC_OK);
        mc_buf_init(&again, 1u << 24);
        assert_int_equal(mc_json_dump(tree, &again), MC_OK);
        assert_int_equal(again.len, want.len);
        assert_memory_equal(again.data, want.data, want.len);
        paused += d.paused;
        cut += d.cutoff;
        truncated += json_object_get(o, "skipped_truncated") != NULL;
        compared++;
        json_decref(tree);
        json_decref(o);
        mc_buf_release(&again);
        mc_buf_release(&want);
        mc_buf_release(&text);
    }
    /* every branch of the provenance was compared */
    assert_true(compared > 5000);
    assert_true(paused > 100);
    assert_true(cut > 100);
    assert_true(truncated > 0);
}

int
main(void)
{
    rnd_state = 0x2545f4914f6cdd1du;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_equals_tree),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
