/*
 * test_calendar_props.c - properties of the O(1) working-day arithmetic
 * over every date 1900-01-01..2199-12-31, checked against a naive walk
 * over mc_calendar_is_workday:
 *   - add(d, n) is the n-th working day after (n > 0) / before (n < 0) d;
 *   - between(d, e) counts the working days in (d, e];
 *   - add(d, between(d, e)) lands on e's working day (e, or the last
 *     working day before it);
 *   - add is increasing in n (strictly, except add(d, 0) == add(d, 1)
 *     when d is a day off);
 *   - a deadline never falls on a day off, for every receipt day;
 *   - adding working time is exact and minimal; deadlines are monotonic
 *     in the receipt instant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/calendar.h"
#include "util/mctime.h"

#define D(y, m, d) mc_days_from_civil((y), (m), (d))
#define WALK 64 /* working days walked per start day */

static struct mc_calendar *cal;
static int32_t lo, hi; /* 1900-01-01 .. 2199-12-31 */

static int
setup(void **state)
{
    struct mc_err err;

    (void)state;
    lo = D(1900, 1, 1);
    hi = D(2199, 12, 31);
    return mc_calendar_builtin(&cal, &err) == MC_OK ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    mc_calendar_free(cal);
    return 0;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static int
work(int32_t d)
{
    return mc_calendar_is_workday(cal, d, NULL);
}

/* add() and between() against a naive walk, forwards and backwards. */
static void
test_add_between_naive(void **state)
{
    (void)state;
    for (int32_t d = lo; d <= hi; d++) {
        int32_t e = d, out;
        int k = 0, n;

        /* forwards: the k-th working day after d */
        while (k < WALK && e < hi - 1) {
            e++;
            if (work(e)) {
                k++;
                assert_int_equal(mc_calendar_add_days(cal, d, k, &out),
                                 MC_OK);
                if (out != e) {
                    fail_msg("add(%d, %d) = %d, naive %d", d, k, out, e);
                }
            }
            assert_int_equal(mc_calendar_between(cal, d, e, &n), MC_OK);
            assert_int_equal(n, k);
        }
        /* backwards, a few steps */
        e = d;
        k = 0;
        while (k < 8 && e > lo + 1) {
            e--;
            if (work(e)) {
                k++;
                assert_int_equal(mc_calendar_add_days(cal, d, -k, &out),
                                 MC_OK);
                assert_int_equal(out, e);
            }
        }
        /* n = 0: d itself when working, else the next working day */
        assert_int_equal(mc_calendar_add_days(cal, d, 0, &out), MC_OK);
        for (e = d; !work(e); e++) {
        }
        assert_int_equal(out, e);
    }
}

/* The working day on or before e. */
static int32_t
last_work(int32_t e)
{
    while (!work(e)) {
        e--;
    }
    return e;
}

static void
check_pair(int32_t d, int32_t e)
{
    int32_t out;
    int k;

    assert_int_equal(mc_calendar_between(cal, d, e, &k), MC_OK);
    assert_int_equal(mc_calendar_add_days(cal, d, k, &out), MC_OK);
    if (k >= 1) {
        if (out != last_work(e)) {
            fail_msg("add(%d, between(%d, %d) = %d) = %d, want %d", d, d, e,
                     k, out, last_work(e));
        }
    } else {
        /* no working day in (d, e]: add(d, 0) is d or after e */
        assert_true(out == d || out > e);
        assert_true(work(out));
    }
}

static void
test_add_of_between(void **state)
{
    (void)state;
    for (int32_t d = lo; d <= hi; d++) {
        for (int j = 0; j <= 40 && d + j <= hi; j++) {
            check_pair(d, d + j);
        }
    }
    for (int i = 0; i < 500000; i++) { /* far apart pairs */
        int32_t d = lo + (int32_t)rnd((uint32_t)(hi - lo));
        int32_t e = d + (int32_t)rnd((uint32_t)(hi - d + 1));
        check_pair(d, e);
    }
}

static void
test_add_monotonic(void **state)
{
    (void)state;
    for (int32_t d = lo + 100; d <= hi - 200; d++) {
        int32_t prev, cur;

        assert_int_equal(mc_calendar_add_days(cal, d, -40, &prev), MC_OK);
        for (int n = -39; n <= 100; n++) {
            assert_int_equal(mc_calendar_add_days(cal, d, n, &cur), MC_OK);
            if (n == 1 && !work(d)) {
                /* d a day off: n = 0 and n = 1 both give the next
                 * working day, the only step that is not strict */
                assert_int_equal(cur, prev);
            } else {
                assert_true(cur > prev);
            }
            assert_true(work(cur));
            prev = cur;
        }
    }
}

/* Local seconds s of working day d fall inside (or at the end of) a span. */
static int
in_hours(int32_t d, int s)
{
    if (!work(d)) {
        return 0;
    }
    return (s > 8 * 3600 && s <= 12 * 3600) ||
           (s > 13 * 3600 && s <= 17 * 3600);
}

static void
test_deadline_never_off(void **state)
{
    static const int ns[] = {0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60};
    static const int hs[] = {1, 4, 8, 16, 40};
    struct mc_deadline_req r;
    struct mc_deadline out;
    struct mc_err err;

    (void)state;
    memset(&r, 0, sizeof(r));
    for (int32_t d = lo; d <= hi - 120; d++) {
        for (int t = 0; t < 2; t++) {
            r.start = mc_local_ts(d, t ? 16 * 3600 : 9 * 3600);
            for (r.paper = 0; r.paper <= 1; r.paper++) {
                r.unit = MC_LIMIT_WORKDAYS;
                for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
                    r.n = ns[i];
                    assert_int_equal(mc_calendar_deadline(cal, &r, &out,
                                                          NULL, &err),
                                     MC_OK);
                    if (!work(out.due_day) || out.due_day < d ||
                        (r.n > 0 && out.due_day <= d)) {
                        fail_msg("day %d n %d: due %d", d, r.n,
                                 out.due_day);
                    }
                }
                r.unit = MC_LIMIT_SAMEDAY;
                assert_int_equal(mc_calendar_deadline(cal, &r, &out, NULL,
                                                      &err),
                                 MC_OK);
                assert_true(work(out.due_day));
            }
            if ((d & 7) != 0) {
                continue; /* hours: every 8th day is plenty */
            }
            r.paper = 0;
            r.unit = MC_LIMIT_WORKHOURS;
            for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++) {
                r.n = hs[i];
                assert_int_equal(mc_calendar_deadline(cal, &r, &out, NULL,
                                                      &err),
                                 MC_OK);
                assert_true(in_hours(mc_local_day(out.due),
                                     mc_local_secs(out.due)));
            }
        }
    }
}

static void
check_work(const struct mc_workhours *wh, int64_t t, int64_t secs)
{
    int64_t due;

    assert_int_equal(mc_calendar_add_work(cal, wh, t, secs, &due), MC_OK);
    if (mc_calendar_work_seconds(cal, wh, t, due) != secs ||
        mc_calendar_work_seconds(cal, wh, t, due - 1) >= secs) {
        fail_msg("add_work(%lld, %lld) = %lld: %lld worked", (long long)t,
                 (long long)secs, (long long)due,
                 (long long)mc_calendar_work_seconds(cal, wh, t, due));
    }
}

static void
test_work_time(void **state)
{
    struct mc_workhours def, odd;
    struct mc_err err;

    (void)state;
    mc_workhours_default(&def);
    assert_int_equal(mc_workhours_parse("1-4=07:30-11:30,13:30-17:00;"
                                        "5=07:30-11:30;0=08:00-11:00",
                                        &odd, &err),
                     MC_OK);
    for (int i = 0; i < 200000; i++) {
        int32_t d = lo + (int32_t)rnd((uint32_t)(hi - lo - 400));
        int64_t t = mc_local_ts(d, (int)rnd(86400));
        int64_t secs = 1 + (int64_t)rnd(300 * 3600);

        check_work(&def, t, secs);
        check_work(&odd, t, secs / 4 + 1);
        /* additivity: work(a, c) = work(a, b) + work(b, c) */
        {
            int64_t b = t + rnd(40 * 86400), c = b + rnd(40 * 86400);
            assert_int_equal(mc_calendar_work_seconds(cal, &odd, t, c),
                             mc_calendar_work_seconds(cal, &odd, t, b) +
                                 mc_calendar_work_seconds(cal, &odd, b, c));
        }
    }
}

/* A later receipt never gives an earlier deadline; paper never earlier. */
static void
test_deadline_monotonic_in_start(void **state)
{
    struct mc_deadline_req r;
    struct mc_deadline a, b, c;
    struct mc_err err;

    (void)state;
    memset(&r, 0, sizeof(r));
    for (int i = 0; i < 300000; i++) {
        int32_t d = lo + (int32_t)rnd((uint32_t)(hi - lo - 400));
        int64_t t = mc_local_ts(d, (int)rnd(86400));

        r.n = (int)rnd(30);
        r.unit = (enum mc_limit_unit)rnd(4);
        r.paper = 0;
        r.start = t;
        assert_int_equal(mc_calendar_deadline(cal, &r, &a, NULL, &err),
                         MC_OK);
        r.start = t + 1 + rnd(3 * 86400);
        assert_int_equal(mc_calendar_deadline(cal, &r, &b, NULL, &err),
                         MC_OK);
        assert_true(b.due >= a.due);
        r.start = t;
        r.paper = 1;
        assert_int_equal(mc_calendar_deadline(cal, &r, &c, NULL, &err),
                         MC_OK);
        assert_true(c.due >= a.due);
        assert_true(a.due > t || (r.n == 0 && r.unit != MC_LIMIT_WORKDAYS &&
                                  r.unit != MC_LIMIT_SAMEDAY));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_between_naive),
        cmocka_unit_test(test_add_of_between),
        cmocka_unit_test(test_add_monotonic),
        cmocka_unit_test(test_deadline_never_off),
        cmocka_unit_test(test_work_time),
        cmocka_unit_test(test_deadline_monotonic_in_start),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
