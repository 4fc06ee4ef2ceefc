/*
 * test_calendar_deadline.c - hand-checked deadlines with the built-in
 * calendar: around Tết, 30/4-1/5, 2/9, year ends, leap months, swapped
 * Saturdays, the 15:00 cut-off, same-day procedures, working hours and
 * half-days, supplement pauses under both policies, provenance, request
 * validation, and whether a calendar change affects a deadline.
 *
 * Every expected date was counted by hand on the 2023-2042 calendars
 * (see the comments); "wd" = working days.
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
#define H(h, m) ((h) * 3600 + (m) * 60)

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

static int64_t
at(int y, int m, int d, int hh, int mm)
{
    return mc_local_ts(D(y, m, d), H(hh, mm));
}

static struct mc_deadline
dl(int64_t start, int n, enum mc_limit_unit u, int paper)
{
    struct mc_deadline_req r;
    struct mc_deadline out;
    struct mc_err err;

    memset(&r, 0, sizeof(r));
    r.start = start;
    r.n = n;
    r.unit = u;
    r.paper = paper;
    if (mc_calendar_deadline(cal, &r, &out, NULL, &err) != MC_OK) {
        fail_msg("deadline: %s", err.message);
    }
    return out;
}

/* Due day of n working days, checking the 23:59:59 end of day. */
static int32_t
due_day(int64_t start, int n, int paper)
{
    struct mc_deadline d = dl(start, n, MC_LIMIT_WORKDAYS, paper);

    assert_int_equal(d.due, mc_local_ts(d.due_day, 86399));
    return d.due_day;
}

static void
test_days_tet(void **state)
{
    (void)state;
    /* Tết Ất Tỵ: off Mon 27/01 - Fri 31/01/2025 plus weekends */
    assert_int_equal(due_day(at(2025, 1, 24, 10, 0), 5, 0), D(2025, 2, 7));
    /* Thu 23/01 16:00: not paper -> Fri 24, Mon 3/2, Tue 4/2 */
    assert_int_equal(due_day(at(2025, 1, 23, 16, 0), 3, 0), D(2025, 2, 4));
    /* paper after 15:00 counts from Fri 24/01 -> Wed 05/02 */
    assert_int_equal(due_day(at(2025, 1, 23, 16, 0), 3, 1), D(2025, 2, 5));
    assert_int_equal(dl(at(2025, 1, 23, 16, 0), 3, MC_LIMIT_WORKDAYS, 1)
                         .cutoff,
                     1);
    /* 15:00:00 sharp is not after 15:00 */
    assert_int_equal(due_day(at(2025, 1, 23, 15, 0), 3, 1), D(2025, 2, 4));
    assert_int_equal(due_day(at(2025, 1, 23, 15, 0) + 1, 3, 1),
                     D(2025, 2, 5));
    /* paper Fri 24/01 16:00: received Mon 03/02, due Tue 04/02 */
    assert_int_equal(due_day(at(2025, 1, 24, 16, 0), 1, 1), D(2025, 2, 4));
    /* Tết 2026 (Thông báo 9441/TB-BNV): off 14/02 - 22/02 */
    assert_int_equal(due_day(at(2026, 2, 13, 9, 0), 1, 0), D(2026, 2, 23));
    /* Tết 2034 after leap month 11 of 2033: mùng 1 Sun 19/02/2034,
     * off Fri 17, Mon 20, Tue 21 + nghỉ bù Wed 22, Thu 23 */
    assert_int_equal(due_day(at(2034, 2, 16, 9, 0), 1, 0), D(2034, 2, 24));
}

static void
test_days_holidays(void **state)
{
    (void)state;
    /* 2025: Sat 26/04 worked for Fri 02/05 */
    assert_int_equal(due_day(at(2025, 4, 25, 9, 0), 3, 0), D(2025, 4, 29));
    assert_int_equal(due_day(at(2025, 4, 29, 9, 0), 2, 0), D(2025, 5, 6));
    /* 2024: Sat 04/05 worked for Mon 29/04 */
    assert_int_equal(due_day(at(2024, 4, 26, 9, 0), 3, 0), D(2024, 5, 4));
    /* 2/9/2025: off Mon 01 and Tue 02/09 */
    assert_int_equal(due_day(at(2025, 8, 29, 9, 0), 1, 0), D(2025, 9, 3));
    /* 2026: Sat 22/08 worked for Mon 31/08; 1-2/09 off */
    assert_int_equal(due_day(at(2026, 8, 21, 9, 0), 1, 0), D(2026, 8, 22));
    assert_int_equal(due_day(at(2026, 8, 28, 9, 0), 1, 0), D(2026, 9, 3));
    /* year end: 01/01/2026 holiday, 02/01 swapped, Sat 10/01 worked */
    assert_int_equal(due_day(at(2025, 12, 31, 9, 0), 1, 0), D(2026, 1, 5));
    assert_int_equal(due_day(at(2025, 12, 31, 9, 0), 10, 0),
                     D(2026, 1, 15));
    /* 2023: leap month 2 puts Hùng Kings on Sat 29/04: nghỉ bù 02/05 for
     * it and 03/05 for Sun 30/04 */
    assert_int_equal(due_day(at(2023, 4, 28, 9, 0), 1, 0), D(2023, 5, 4));
    /* 2042: leap month 2 again: Hùng Kings Tue 29/04, then 30/04, 01/05 */
    assert_int_equal(due_day(at(2042, 4, 28, 9, 0), 2, 0), D(2042, 5, 5));
    /* nghỉ bù 2026: Hùng Kings Sun 26/04 -> Mon 27/04 */
    assert_int_equal(due_day(at(2026, 4, 24, 9, 0), 1, 0), D(2026, 4, 28));
    /* received on a Saturday: counting starts Monday */
    assert_int_equal(due_day(at(2025, 3, 15, 10, 0), 1, 1), D(2025, 3, 17));
    /* 0 days: the receipt day if working, else the next working day */
    assert_int_equal(due_day(at(2025, 3, 12, 10, 0), 0, 0), D(2025, 3, 12));
    assert_int_equal(due_day(at(2025, 3, 15, 10, 0), 0, 0), D(2025, 3, 17));
}

static void
test_sameday(void **state)
{
    (void)state;
    assert_int_equal(dl(at(2025, 3, 10, 10, 0), 0, MC_LIMIT_SAMEDAY, 0).due,
                     at(2025, 3, 10, 23, 59) + 59);
    /* after 15:00 -> next working day, paper or not (NĐ 23/2015) */
    assert_int_equal(dl(at(2025, 3, 10, 15, 1), 0, MC_LIMIT_SAMEDAY, 0)
                         .due_day,
                     D(2025, 3, 11));
    assert_int_equal(dl(at(2025, 3, 15, 9, 0), 0, MC_LIMIT_SAMEDAY, 0)
                         .due_day,
                     D(2025, 3, 17));
    assert_int_equal(dl(at(2025, 1, 24, 16, 0), 0, MC_LIMIT_SAMEDAY, 0)
                         .due_day,
                     D(2025, 2, 3));
}

static void
test_hours(void **state)
{
    struct mc_workhours wh;
    struct mc_deadline_req r;
    struct mc_deadline d;
    struct mc_err err;

    (void)state;
    assert_int_equal(dl(at(2025, 3, 10, 10, 0), 8, MC_LIMIT_WORKHOURS, 0)
                         .due,
                     at(2025, 3, 11, 10, 0));
    /* 11:30-12:00 then 13:00-16:30 */
    assert_int_equal(dl(at(2025, 3, 10, 11, 30), 4, MC_LIMIT_WORKHOURS, 0)
                         .due,
                     at(2025, 3, 10, 16, 30));
    assert_int_equal(dl(at(2025, 3, 10, 16, 0), 2, MC_LIMIT_WORKHOURS, 0)
                         .due,
                     at(2025, 3, 11, 9, 0));
    assert_int_equal(dl(at(2025, 3, 10, 12, 30), 1, MC_LIMIT_WORKHOURS, 0)
                         .due,
                     at(2025, 3, 10, 14, 0));
    /* ends exactly at the end of the morning: 12:00, not 13:00 */
    assert_int_equal(dl(at(2025, 3, 10, 7, 0), 4, MC_LIMIT_WORKHOURS, 0).due,
                     at(2025, 3, 10, 12, 0));
    /* across Tết: 1 h Fri 24/01, 8 h Mon 03/02, 7 h Tue 04/02 */
    assert_int_equal(dl(at(2025, 1, 24, 16, 0), 16, MC_LIMIT_WORKHOURS, 0)
                         .due,
                     at(2025, 2, 4, 16, 0));
    /* paper after 15:00: the clock starts Mon 03/02 08:00 */
    assert_int_equal(dl(at(2025, 1, 24, 16, 0), 4, MC_LIMIT_WORKHOURS, 1)
                         .due,
                     at(2025, 2, 3, 12, 0));
    /* half-days are 4 working hours */
    assert_int_equal(dl(at(2025, 3, 10, 8, 0), 1, MC_LIMIT_HALFDAYS, 0).due,
                     at(2025, 3, 10, 12, 0));
    assert_int_equal(dl(at(2025, 3, 10, 8, 0), 3, MC_LIMIT_HALFDAYS, 0).due,
                     at(2025, 3, 11, 12, 0));
    /* the swapped Saturday 26/04/2025 works Monday's hours */
    assert_int_equal(dl(at(2025, 4, 25, 16, 0), 4, MC_LIMIT_WORKHOURS, 0)
                         .due,
                     at(2025, 4, 26, 11, 0));
    /* a unit's own hours: 7.5 h days */
    assert_int_equal(mc_workhours_parse("1-5=07:30-11:30,13:30-17:00", &wh,
                                        &err),
                     MC_OK);
    memset(&r, 0, sizeof(r));
    r.start = at(2025, 3, 10, 7, 30);
    r.n = 8;
    r.unit = MC_LIMIT_WORKHOURS;
    r.hours = &wh;
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, NULL, &err), MC_OK);
    assert_int_equal(d.due, at(2025, 3, 11, 8, 0));
    /* uneven hours (Friday mornings only): day-by-day path */
    assert_int_equal(mc_workhours_parse("1-4=08:00-12:00,13:00-17:00;"
                                        "5=08:00-12:00",
                                        &wh, &err),
                     MC_OK);
    r.start = at(2025, 3, 14, 8, 0);
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, NULL, &err), MC_OK);
    assert_int_equal(d.due, at(2025, 3, 17, 12, 0));
    assert_int_equal(mc_calendar_work_seconds(cal, &wh, r.start, d.due),
                     8 * 3600);
}

static void
test_workhours_text(void **state)
{
    struct mc_workhours wh, def;
    struct mc_err err;
    char out[256];

    (void)state;
    mc_workhours_default(&def);
    mc_workhours_format(&def, out, sizeof(out));
    assert_string_equal(out, "1-5=08:00-12:00,13:00-17:00;"
                             "0=08:00-12:00,13:00-17:00");
    assert_int_equal(mc_workhours_parse(out, &wh, &err), MC_OK);
    assert_memory_equal(&wh, &def, sizeof(wh));
    assert_int_equal(mc_workhours_parse("1-5=08:00-12:00,13:00-17:00", &wh,
                                        &err),
                     MC_OK);
    assert_memory_equal(&wh, &def, sizeof(wh));
    assert_int_equal(mc_workhours_parse("1-5=08:00-12:00;6=08:00-11:30", &wh,
                                        &err),
                     MC_OK);
    mc_workhours_format(&wh, out, sizeof(out));
    assert_string_equal(out, "1-5=08:00-12:00;6=08:00-11:30;0=08:00-12:00");
    assert_int_equal(mc_workhours_parse("", &wh, &err), MC_EINVAL);
    assert_int_equal(mc_workhours_parse("1=13:00-12:00", &wh, &err),
                     MC_EINVAL);
    assert_int_equal(mc_workhours_parse("1=08:00-12:00,11:00-17:00", &wh,
                                        &err),
                     MC_EINVAL);
    assert_int_equal(mc_workhours_parse("8=08:00-12:00", &wh, &err),
                     MC_EINVAL);
    assert_int_equal(mc_workhours_parse("1=08:00-25:00", &wh, &err),
                     MC_EINVAL);
    assert_int_equal(mc_workhours_parse("1=8:00-12:00", &wh, &err),
                     MC_EINVAL);
}

static struct mc_deadline
paused(int64_t start, int n, enum mc_limit_unit u, int paper,
       enum mc_pause_policy pol, const struct mc_pause *p, int np)
{
    struct mc_deadline_req r;
    struct mc_deadline out;
    struct mc_err err;

    memset(&r, 0, sizeof(r));
    r.start = start;
    r.n = n;
    r.unit = u;
    r.paper = paper;
    r.policy = pol;
    r.pauses = p;
    r.npauses = np;
    if (mc_calendar_deadline(cal, &r, &out, NULL, &err) != MC_OK) {
        fail_msg("deadline: %s", err.message);
    }
    return out;
}

static void
test_pauses(void **state)
{
    /* received Mon 03/03/2025 09:00, 5 wd: due Mon 10/03 without pause */
    int64_t s = at(2025, 3, 3, 9, 0);
    struct mc_pause p1 = {at(2025, 3, 4, 10, 0), at(2025, 3, 10, 14, 0)};
    struct mc_pause p2[2] = {{at(2025, 3, 4, 10, 0), at(2025, 3, 5, 9, 0)},
                             {at(2025, 3, 6, 10, 0), at(2025, 3, 6, 15, 0)}};
    struct mc_pause open = {at(2025, 3, 4, 10, 0), 0};
    struct mc_pause late = {at(2025, 3, 4, 10, 0), at(2025, 3, 10, 16, 0)};
    struct mc_pause hp = {at(2025, 3, 10, 10, 0), at(2025, 3, 11, 10, 0)};
    struct mc_deadline d;

    (void)state;
    assert_int_equal(dl(s, 5, MC_LIMIT_WORKDAYS, 0).due_day, D(2025, 3, 10));
    /* NĐ 61: restart from Mon 10/03 -> Tue 11 .. Mon 17/03 */
    d = paused(s, 5, MC_LIMIT_WORKDAYS, 0, MC_PAUSE_RESTART, &p1, 1);
    assert_int_equal(d.due_day, D(2025, 3, 17));
    assert_int_equal(d.clock_start, p1.to);
    /* supplement handed in on paper at 16:00: counts from Tue 11/03 */
    d = paused(s, 5, MC_LIMIT_WORKDAYS, 1, MC_PAUSE_RESTART, &late, 1);
    assert_int_equal(d.due_day, D(2025, 3, 18));
    /* QĐ 766: 4 paused wd (Wed 05, Thu 06, Fri 07, Mon 10) -> Fri 14/03 */
    d = paused(s, 5, MC_LIMIT_WORKDAYS, 0, MC_PAUSE_SUBTRACT, &p1, 1);
    assert_int_equal(d.pause_days, 4);
    assert_int_equal(d.due_day, D(2025, 3, 14));
    /* two pauses: (04, 05] = 1 wd, same-day pause = 0 -> Tue 11/03 */
    d = paused(s, 5, MC_LIMIT_WORKDAYS, 0, MC_PAUSE_SUBTRACT, p2, 2);
    assert_int_equal(d.pause_days, 1);
    assert_int_equal(d.due_day, D(2025, 3, 11));
    /* still waiting: no deadline */
    d = paused(s, 5, MC_LIMIT_WORKDAYS, 0, MC_PAUSE_RESTART, &open, 1);
    assert_true(d.paused && d.due == 0);
    d = paused(s, 5, MC_LIMIT_WORKDAYS, 0, MC_PAUSE_SUBTRACT, &open, 1);
    assert_true(d.paused && d.due == 0);
    /* hours, 766: 2 h used Mon 08-10, 8 h paused, 6 h from Tue 10:00 */
    d = paused(at(2025, 3, 10, 8, 0), 8, MC_LIMIT_WORKHOURS, 0,
               MC_PAUSE_SUBTRACT, &hp, 1);
    assert_int_equal(d.due, at(2025, 3, 11, 17, 0));
    assert_int_equal(d.pause_secs, 8 * 3600);
    /* hours, NĐ 61: 8 h from Tue 10:00 */
    d = paused(at(2025, 3, 10, 8, 0), 8, MC_LIMIT_WORKHOURS, 0,
               MC_PAUSE_RESTART, &hp, 1);
    assert_int_equal(d.due, at(2025, 3, 12, 10, 0));
    /* paper at 16:00 counts from Tue 11/03; a pause Mon 16:30 - Tue
     * 10:00 covers no counted day: due 12, 13, 14, 17, 18/03 */
    hp = (struct mc_pause){at(2025, 3, 10, 16, 30), at(2025, 3, 11, 10, 0)};
    d = paused(at(2025, 3, 10, 16, 0), 5, MC_LIMIT_WORKDAYS, 1,
               MC_PAUSE_SUBTRACT, &hp, 1);
    assert_int_equal(d.pause_days, 0);
    assert_int_equal(d.due_day, D(2025, 3, 18));
    /* a pause after the deadline still extends it under 766 */
    hp = (struct mc_pause){at(2025, 3, 12, 9, 0), at(2025, 3, 13, 9, 0)};
    d = paused(s, 5, MC_LIMIT_WORKDAYS, 0, MC_PAUSE_SUBTRACT, &hp, 1);
    assert_int_equal(d.due_day, D(2025, 3, 11));
}

static void
test_validation(void **state)
{
    struct mc_deadline_req r;
    struct mc_deadline d;
    struct mc_err err;
    struct mc_pause bad[2] = {{at(2025, 3, 4, 10, 0), 0},
                              {at(2025, 3, 5, 10, 0), at(2025, 3, 6, 0, 0)}};
    struct mc_pause before = {at(2025, 3, 1, 10, 0), at(2025, 3, 4, 0, 0)};
    struct mc_pause overlap[2] = {
        {at(2025, 3, 4, 10, 0), at(2025, 3, 6, 10, 0)},
        {at(2025, 3, 5, 10, 0), at(2025, 3, 7, 10, 0)}};

    (void)state;
    memset(&r, 0, sizeof(r));
    r.start = at(2025, 3, 3, 9, 0);
    r.n = -1;
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "limit");
    r.n = 5;
    r.unit = (enum mc_limit_unit)7;
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, NULL, &err),
                     MC_EINVAL);
    r.unit = MC_LIMIT_WORKDAYS;
    r.pauses = bad;
    r.npauses = 2; /* an open pause that is not the last */
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, NULL, &err),
                     MC_EINVAL);
    r.pauses = &before;
    r.npauses = 1;
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, NULL, &err),
                     MC_EINVAL);
    r.pauses = overlap;
    r.npauses = 2;
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, NULL, &err),
                     MC_EINVAL);
    r.npauses = 0;
    r.start = at(1799, 12, 31, 9, 0);
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, NULL, &err),
                     MC_EINVAL);
    r.start = at(2199, 12, 20, 9, 0);
    r.n = 30;
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.code, "deadline_out_of_range");
}

static json_t *
find_day(json_t *skipped, const char *date)
{
    size_t i;
    json_t *o;

    json_array_foreach(skipped, i, o) {
        if (strcmp(json_string_value(json_object_get(o, "date")), date) ==
            0) {
            return o;
        }
    }
    return NULL;
}

static void
test_provenance(void **state)
{
    struct mc_deadline_req r;
    struct mc_deadline d;
    struct mc_err err;
    struct mc_pause open = {at(2025, 3, 4, 10, 0), 0};
    json_t *p = NULL, *sk, *o;

    (void)state;
    memset(&r, 0, sizeof(r));
    r.start = at(2025, 1, 24, 10, 0);
    r.n = 5;
    r.unit = MC_LIMIT_WORKDAYS;
    r.basis = "1.001612 v1";
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, &p, &err), MC_OK);
    assert_non_null(p);
    assert_string_equal(json_string_value(json_object_get(p, "basis")),
                        "1.001612 v1");
    assert_string_equal(json_string_value(json_object_get(p, "start")),
                        "2025-01-24T10:00:00+07:00");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(p, "limit"), "value")),
                     5);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(p, "limit"), "unit")),
                        "workdays");
    assert_int_equal(json_integer_value(json_object_get(p,
                                                        "calendar_version")),
                     0);
    assert_string_equal(json_string_value(json_object_get(p, "due")),
                        "2025-02-07T23:59:59+07:00");
    assert_string_equal(json_string_value(json_object_get(p,
                                                          "counted_from")),
                        "2025-02-03");
    sk = json_object_get(p, "skipped");
    /* (24/01, 07/02]: Sat 25, Sun 26, Tết 27-31, Sat 01, Sun 02 */
    assert_int_equal(json_array_size(sk), 9);
    o = find_day(sk, "2025-01-29");
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "kind")),
                        "holiday");
    assert_string_equal(json_string_value(json_object_get(o, "code")),
                        "TET");
    assert_string_equal(json_string_value(json_object_get(o, "reason")),
                        "Tết Nguyên Đán (mùng 1)");
    assert_non_null(strstr(json_string_value(json_object_get(o, "basis")),
                           "8726/VPCP-KGVX"));
    o = find_day(sk, "2025-01-25");
    assert_string_equal(json_string_value(json_object_get(o, "kind")),
                        "weekend");
    json_decref(p);

    /* a nghỉ bù day in the list */
    r.start = at(2026, 4, 24, 9, 0);
    r.n = 1;
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, &p, &err), MC_OK);
    assert_int_equal(d.due_day, D(2026, 4, 28));
    o = find_day(json_object_get(p, "skipped"), "2026-04-27");
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "kind")),
                        "compensatory");
    assert_string_equal(json_string_value(json_object_get(o, "code")),
                        "HUNG_KINGS");
    assert_string_equal(json_string_value(json_object_get(o, "basis")),
                        "BLLĐ 2019 Điều 111.3");
    json_decref(p);

    /* cut-off and a pause are explained */
    r.start = at(2025, 3, 3, 16, 0);
    r.paper = 1;
    r.policy = MC_PAUSE_SUBTRACT;
    r.pauses = &open;
    r.npauses = 1;
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, &p, &err), MC_OK);
    assert_true(json_is_true(json_object_get(p, "paused")));
    assert_true(json_is_null(json_object_get(p, "due")));
    assert_int_equal(json_array_size(json_object_get(p, "pauses")), 1);
    json_decref(p);
    r.npauses = 0;
    assert_int_equal(mc_calendar_deadline(cal, &r, &d, &p, &err), MC_OK);
    assert_true(json_is_true(json_object_get(p, "cutoff_15h")));
    assert_string_equal(json_string_value(json_object_get(p,
                                                          "counted_from")),
                        "2025-03-05");
    json_decref(p);
}

static void
test_changed(void **state)
{
    struct mc_cal_spec s;
    struct mc_cal_ann a;
    struct mc_calendar *c2 = NULL;
    struct mc_deadline_req r;
    struct mc_deadline d;
    struct mc_err err;
    int changed = -1;

    (void)state;
    assert_int_equal(mc_cal_spec_copy(&s, mc_calendar_spec(cal), &err),
                     MC_OK);
    memset(&a, 0, sizeof(a));
    a.day = D(2025, 3, 12);
    a.kind = MC_ANN_OFF;
    snprintf(a.reason, sizeof(a.reason), "Nghỉ đột xuất");
    assert_int_equal(mc_cal_spec_set_ann(&s, &a, &err), MC_OK);
    assert_int_equal(mc_calendar_build(&s, 2, at(2025, 3, 1, 0, 0), &c2,
                                       &err),
                     MC_OK);
    mc_cal_spec_release(&s);
    assert_int_equal(mc_calendar_version(c2), 2);
    memset(&r, 0, sizeof(r));
    r.start = at(2025, 3, 3, 9, 0); /* due Mon 10/03: before 12/03 */
    r.n = 5;
    assert_int_equal(mc_calendar_deadline_changed(cal, c2, &r, &changed, &d,
                                                  &err),
                     MC_OK);
    assert_int_equal(changed, 0);
    r.start = at(2025, 3, 10, 9, 0); /* 3 wd: Thu 13/03 -> Fri 14/03 */
    r.n = 3;
    assert_int_equal(mc_calendar_deadline_changed(cal, c2, &r, &changed, &d,
                                                  &err),
                     MC_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(d.due_day, D(2025, 3, 14));
    assert_int_equal(d.calendar_version, 2);
    mc_calendar_free(c2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_tet),
        cmocka_unit_test(test_days_holidays),
        cmocka_unit_test(test_sameday),
        cmocka_unit_test(test_hours),
        cmocka_unit_test(test_workhours_text),
        cmocka_unit_test(test_pauses),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_provenance),
        cmocka_unit_test(test_changed),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
