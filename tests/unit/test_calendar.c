/*
 * test_calendar.c - the working calendar's days: the 2020-2030 day-off
 * list (tests/data/holidays_observed_2020_2030.csv with its documented
 * differences), the history of the rules (6-day week, Tết 4 days, Hùng
 * Kings from 2007, National Day 2 days), the default Tết and National Day
 * models, Art.111.3 nghỉ bù, announcements overriding rules, CSV and
 * iCalendar round trips, and comparison of two calendars.
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
#include "domain/lunar.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/mctime.h"

#define D(y, m, d) mc_days_from_civil((y), (m), (d))

static struct mc_calendar *cal; /* built-in, shared by the tests */

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
slurp(const char *path, struct mc_buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n;

    if (f == NULL) {
        fail_msg("cannot open %s (run from the repository root)", path);
    }
    mc_buf_init(b, (size_t)16 << 20);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        assert_int_equal(mc_buf_add(b, chunk, n), MC_OK);
    }
    fclose(f);
}

static enum mc_day_kind
kind(const struct mc_calendar *c, int32_t d)
{
    struct mc_day_info di;

    assert_int_equal(mc_calendar_day(c, d, &di), MC_OK);
    return di.kind;
}

static const char *
code(const struct mc_calendar *c, int32_t d)
{
    struct mc_day_info di;

    assert_int_equal(mc_calendar_day(c, d, &di), MC_OK);
    return di.code;
}

static int
work(const struct mc_calendar *c, int32_t d)
{
    return mc_calendar_is_workday(c, d, NULL);
}

static void
test_observed_2020_2030(void **state)
{
    static signed char want[4100]; /* 2020-01-01 .. 2030-12-31: 4018 days */
    struct mc_buf b;
    struct mc_csv c;
    struct mc_err err;
    int rows = 0, works = 0, cstatus;

    (void)state;
    memset(want, -1, sizeof(want));
    slurp("tests/data/holidays_observed_2020_2030.csv", &b);
    mc_csv_init(&c, b.data, b.len);
    assert_int_equal(mc_csv_next(&c, &err), 1);
    cstatus = mc_csv_col(&c, "status");
    assert_int_equal(cstatus, 3);
    while (mc_csv_next(&c, &err) == 1) {
        int32_t d;
        assert_int_equal(mc_parse_date(c.f[0], &d), 0);
        assert_true(d >= D(2020, 1, 1) && d < D(2031, 1, 1));
        want[d - D(2020, 1, 1)] = strcmp(c.f[cstatus], "off") == 0;
        works += strcmp(c.f[cstatus], "work") == 0;
        rows++;
    }
    assert_int_equal(rows, 164);
    assert_int_equal(works, 4);
    for (int32_t d = D(2020, 1, 1); d < D(2031, 1, 1); d++) {
        int off = want[d - D(2020, 1, 1)];
        char s[16];
        if (off < 0) {
            off = mc_weekday(d) >= 6;
        }
        if (off != !work(cal, d)) {
            mc_fmt_date(d, s, sizeof(s));
            fail_msg("%s: expected %s", s, off ? "day off" : "working day");
        }
    }
    mc_csv_release(&c);
    mc_buf_release(&b);
}

static void
test_history(void **state)
{
    (void)state;
    /* 6-day week until 01/10/1999, then Saturday off (QĐ 188/1999) */
    assert_true(work(cal, D(1999, 9, 25)));
    assert_false(work(cal, D(1999, 9, 26)));
    assert_false(work(cal, D(1999, 10, 2)));
    assert_int_equal(kind(cal, D(1999, 10, 2)), MC_DAY_WEEKEND);
    /* no statutory holidays modelled before the Labour Code 1994 */
    assert_true(work(cal, D(1994, 9, 2)));
    assert_true(work(cal, D(1994, 1, 1)));
    /* 1995: New Year on Sunday -> nghỉ bù Monday 02/01/1995 */
    assert_int_equal(kind(cal, D(1995, 1, 1)), MC_DAY_HOLIDAY);
    assert_int_equal(kind(cal, D(1995, 1, 2)), MC_DAY_COMPENSATORY);
    assert_string_equal(code(cal, D(1995, 1, 2)), "NEW_YEAR");
    /* Tết 2012 (Mon 23/01): 4 days, eve on Sunday -> nghỉ bù Thursday */
    assert_int_equal(kind(cal, D(2012, 1, 22)), MC_DAY_HOLIDAY);
    for (int d = 23; d <= 25; d++) {
        assert_int_equal(kind(cal, D(2012, 1, d)), MC_DAY_HOLIDAY);
    }
    assert_int_equal(kind(cal, D(2012, 1, 26)), MC_DAY_COMPENSATORY);
    assert_true(work(cal, D(2012, 1, 27)));
    assert_true(work(cal, D(2012, 1, 20)));
    /* Tết 2013 (Sun 10/02): 5 days 08-12/02 + nghỉ bù 13, 14 */
    for (int d = 8; d <= 12; d++) {
        assert_int_equal(kind(cal, D(2013, 2, d)), MC_DAY_HOLIDAY);
        assert_string_equal(code(cal, D(2013, 2, d)), "TET");
    }
    assert_int_equal(kind(cal, D(2013, 2, 13)), MC_DAY_COMPENSATORY);
    assert_int_equal(kind(cal, D(2013, 2, 14)), MC_DAY_COMPENSATORY);
    assert_true(work(cal, D(2013, 2, 7)));
    assert_true(work(cal, D(2013, 2, 15)));
    /* Hùng Kings paid from 2007 */
    assert_true(work(cal, D(2006, 4, 7)));
    assert_int_equal(kind(cal, D(2007, 4, 26)), MC_DAY_HOLIDAY);
    assert_string_equal(code(cal, D(2007, 4, 26)), "HUNG_KINGS");
    /* National Day: 1 day until 2020, 2 days from 2021 */
    assert_int_equal(kind(cal, D(2020, 9, 2)), MC_DAY_HOLIDAY);
    assert_true(work(cal, D(2020, 9, 1)) && work(cal, D(2020, 9, 3)));
    assert_int_equal(kind(cal, D(2021, 9, 3)), MC_DAY_HOLIDAY);
    /* 2023: Hùng Kings Sat 29/04, 30/04 Sun, 01/05 Mon -> 02/05, 03/05 */
    assert_int_equal(kind(cal, D(2023, 4, 29)), MC_DAY_HOLIDAY);
    assert_string_equal(code(cal, D(2023, 5, 2)), "HUNG_KINGS");
    assert_string_equal(code(cal, D(2023, 5, 3)), "VICTORY");
    assert_int_equal(kind(cal, D(2023, 5, 3)), MC_DAY_COMPENSATORY);
    assert_true(work(cal, D(2023, 5, 4)));
    /* Ngày Văn hóa Việt Nam from 2026 only */
    assert_true(work(cal, D(2025, 11, 24)));
    assert_string_equal(code(cal, D(2026, 11, 24)), "CULTURE_DAY");
}

static void
test_reasons(void **state)
{
    const char *r = "x";

    (void)state;
    assert_true(work(cal, D(2025, 3, 12)));
    assert_int_equal(mc_calendar_is_workday(cal, D(2025, 3, 12), &r), 1);
    assert_null(r);
    assert_int_equal(mc_calendar_is_workday(cal, D(2025, 1, 29), &r), 0);
    assert_string_equal(r, "Tết Nguyên Đán (mùng 1)");
    assert_int_equal(mc_calendar_is_workday(cal, D(2025, 3, 15), &r), 0);
    assert_string_equal(r, "Nghỉ hằng tuần (Thứ Bảy)");
    assert_int_equal(mc_calendar_is_workday(cal, D(2025, 4, 26), &r), 1);
    assert_string_equal(r, "Làm bù cho thứ Sáu 02/05/2025");
    assert_int_equal(kind(cal, D(2025, 4, 26)), MC_DAY_SWAP_WORK);
    assert_int_equal(mc_calendar_is_workday(cal, D(2029, 9, 4), &r), 0);
    assert_string_equal(r, "Nghỉ bù Quốc khánh (2/9), ngày 02/09/2029 "
                           "trùng Chủ nhật");
    assert_int_equal(mc_calendar_is_workday(cal, D(1700, 1, 1), &r), 0);
    assert_non_null(r);
}

/* The bridge day of 2/9 for years without an announcement. */
static void
test_national_day_default(void **state)
{
    (void)state;
    for (int y = 2027; y <= 2199; y++) {
        int32_t b = D(y, 9, 2);
        int wd = mc_weekday(b);
        int32_t adj = (wd == 1 || wd == 4 || wd == 7) ? b + 1 : b - 1;
        int32_t other = adj == b + 1 ? b - 1 : b + 1;

        assert_string_equal(code(cal, b), "NATIONAL_DAY");
        assert_string_equal(code(cal, adj), "NATIONAL_DAY");
        assert_int_equal(kind(cal, adj), MC_DAY_HOLIDAY);
        assert_true(kind(cal, other) != MC_DAY_HOLIDAY);
        assert_true(work(cal, b + 2) || mc_weekday(b + 2) >= 6 ||
                    kind(cal, b + 2) == MC_DAY_COMPENSATORY);
    }
}

/* Default Tết: mùng 1 - 2 .. mùng 3 + nghỉ bù = 5 weekdays off. */
static void
test_tet_default(void **state)
{
    (void)state;
    for (int y = 2027; y <= 2199; y++) {
        struct mc_lunar l = {1, 1, y, 0};
        int32_t t;
        int weekdays_off = 0;

        assert_int_equal(mc_lunar_to_solar(&l, &t), MC_OK);
        for (int32_t d = t - 2; d <= t + 2; d++) {
            assert_int_equal(kind(cal, d), MC_DAY_HOLIDAY);
            assert_string_equal(code(cal, d), "TET");
        }
        assert_true(strcmp(code(cal, t - 3), "TET") != 0);
        for (int32_t d = t - 10; d <= t + 15; d++) {
            weekdays_off += mc_weekday(d) <= 5 && !work(cal, d) &&
                            strcmp(code(cal, d), "TET") == 0;
        }
        assert_int_equal(weekdays_off, 5);
    }
}

static struct mc_calendar *
build_with(const struct mc_cal_ann *set, int nset, const int32_t *clear,
           int nclear)
{
    struct mc_cal_spec s;
    struct mc_calendar *c = NULL;
    struct mc_err err;

    assert_int_equal(mc_cal_spec_copy(&s, mc_calendar_spec(cal), &err),
                     MC_OK);
    for (int i = 0; i < nclear; i++) {
        assert_int_equal(mc_cal_spec_clear_ann(&s, clear[i], &err), MC_OK);
    }
    for (int i = 0; i < nset; i++) {
        assert_int_equal(mc_cal_spec_set_ann(&s, &set[i], &err), MC_OK);
    }
    assert_int_equal(mc_calendar_build(&s, 9, 0, &c, &err), MC_OK);
    mc_cal_spec_release(&s);
    return c;
}

static void
test_announcements_override(void **state)
{
    struct mc_lunar l = {1, 1, 2031, 0};
    struct mc_cal_ann a[6];
    struct mc_calendar *c;
    struct mc_err err;
    struct mc_cal_spec s;
    int32_t t, d1, d2;

    (void)state;
    assert_int_equal(mc_lunar_to_solar(&l, &t), MC_OK); /* Thu 23/01 */
    memset(a, 0, sizeof(a));
    for (int i = 0; i < 5; i++) { /* PM: eve .. mùng 4 */
        a[i].day = t - 1 + i;
        a[i].kind = MC_ANN_HOLIDAY;
        snprintf(a[i].code, sizeof(a[i].code), "TET");
        snprintf(a[i].reason, sizeof(a[i].reason), "Tết %d", i);
    }
    a[5].day = D(2029, 9, 5); /* PM places 2029's nghỉ bù on Wednesday */
    a[5].kind = MC_ANN_COMPENSATORY;
    snprintf(a[5].code, sizeof(a[5].code), "NATIONAL_DAY");
    snprintf(a[5].reason, sizeof(a[5].reason), "Nghỉ bù 2/9");
    c = build_with(a, 6, NULL, 0);
    assert_true(work(c, t - 2));
    assert_false(work(cal, t - 2));
    assert_int_equal(kind(c, t + 3), MC_DAY_HOLIDAY);
    assert_true(work(c, D(2029, 9, 4)));
    assert_int_equal(kind(c, D(2029, 9, 5)), MC_DAY_COMPENSATORY);
    /* only the announced instance changed */
    assert_int_equal(mc_calendar_diff(cal, c, D(1800, 1, 1),
                                      D(2199, 12, 31), &d1, &d2),
                     1);
    /* 2029: 04/09 back to work, 05/09 off; 2031 (Tết Thu 23/01): Tue 21
     * back to work, nghỉ bù for Sat 25 and Sun 26 on Mon 27 and Tue 28 */
    assert_int_equal(d1, D(2029, 9, 4));
    assert_int_equal(d2, D(2031, 1, 28));
    assert_int_equal(kind(c, D(2031, 1, 28)), MC_DAY_COMPENSATORY);
    assert_int_equal(mc_calendar_diff(cal, c, D(2032, 1, 1),
                                      D(2199, 12, 31), NULL, NULL),
                     0);
    mc_calendar_free(c);

    /* an `off` row on a Saturday holiday replaces it: no nghỉ bù */
    memset(a, 0, sizeof(a));
    a[0].day = D(2027, 5, 1);
    a[0].kind = MC_ANN_OFF;
    snprintf(a[0].reason, sizeof(a[0].reason), "Quốc tế lao động");
    a[1].day = D(2030, 4, 30); /* a holiday made a working day */
    a[1].kind = MC_ANN_WORK;
    snprintf(a[1].reason, sizeof(a[1].reason), "Làm việc");
    assert_int_equal(kind(cal, D(2027, 5, 3)), MC_DAY_COMPENSATORY);
    c = build_with(a, 2, NULL, 0);
    assert_int_equal(kind(c, D(2027, 5, 1)), MC_DAY_OFF);
    assert_true(work(c, D(2027, 5, 3)));
    assert_int_equal(kind(c, D(2030, 4, 30)), MC_DAY_SWAP_WORK);
    mc_calendar_free(c);

    /* clearing the 2025 swap restores the rules */
    {
        int32_t cl[2] = {D(2025, 4, 26), D(2025, 5, 2)};
        c = build_with(NULL, 0, cl, 2);
        assert_false(work(c, D(2025, 4, 26)));
        assert_true(work(c, D(2025, 5, 2)));
        mc_calendar_free(c);
    }
    /* validation */
    mc_cal_spec_init(&s);
    memset(a, 0, sizeof(a));
    a[0].day = D(2025, 1, 1);
    a[0].kind = MC_ANN_HOLIDAY; /* no code */
    snprintf(a[0].reason, sizeof(a[0].reason), "x");
    assert_int_equal(mc_cal_spec_set_ann(&s, &a[0], &err), MC_EINVAL);
    snprintf(a[0].code, sizeof(a[0].code), "tet"); /* lower case */
    assert_int_equal(mc_cal_spec_set_ann(&s, &a[0], &err), MC_EINVAL);
    snprintf(a[0].code, sizeof(a[0].code), "TET");
    a[0].reason[0] = '\0';
    assert_int_equal(mc_cal_spec_set_ann(&s, &a[0], &err), MC_EINVAL);
    snprintf(a[0].reason, sizeof(a[0].reason), "x");
    a[0].day = D(2200, 1, 1);
    assert_int_equal(mc_cal_spec_set_ann(&s, &a[0], &err), MC_EINVAL);
    a[0].day = D(2025, 1, 1);
    a[0].kind = (enum mc_ann_kind)9;
    assert_int_equal(mc_cal_spec_set_ann(&s, &a[0], &err), MC_EINVAL);
    a[0].kind = MC_ANN_OFF;
    assert_int_equal(mc_cal_spec_set_ann(&s, &a[0], &err), MC_OK);
    assert_int_equal(mc_cal_spec_clear_ann(&s, D(2025, 1, 2), &err),
                     MC_ENOTFOUND);
    assert_int_equal(mc_cal_spec_clear_ann(&s, D(2025, 1, 1), &err), MC_OK);
    assert_int_equal(s.nanns, 0);
    mc_cal_spec_release(&s);
}

static void
test_rules_parse(void **state)
{
    static const char hdr[] = "code,kind,name_vi,month,day,offset,days,"
                              "weekdays,carry_over,valid_from,valid_to,"
                              "legal_basis,confidence\n";
    static const char *const bad[] = {
        "W,weekly,x,,,,,6 7,no,2000-01-01,,b,V\n",      /* kind */
        "W,weekend,x,,,,,1 2 3 4 5,no,2000-01-01,,b,V\n", /* no workday */
        "N,solar,x,2,30,0,1,,yes,2000-01-01,,b,V\n",      /* 30/2 */
        "N,lunar,x,1,1,0,0,,yes,2000-01-01,,b,V\n",       /* 0 days */
        "N,solar,x,1,1,0,1,,yes,2000-13-01,,b,V\n",       /* date */
        "N,solar,x,1,1,0,1,,maybe,2000-01-01,,b,V\n",     /* carry */
        "n x,solar,x,1,1,0,1,,yes,2000-01-01,,b,V\n",     /* code */
        "N,solar,x,1,1,0,1,,yes,2001-01-01,2000-01-01,b,V\n",
        "N,adjacent,x,9,2,0,2,,yes,2000-01-01,,b,V\n",
    };
    struct mc_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct mc_cal_spec s;
        char text[512];
        snprintf(text, sizeof(text), "%s%s", hdr, bad[i]);
        mc_cal_spec_init(&s);
        if (mc_cal_spec_parse_rules(&s, text, strlen(text), &err) !=
            MC_EINVAL) {
            fail_msg("accepted bad rule row %zu: %s", i, bad[i]);
        }
        assert_non_null(strstr(err.message, "line 2"));
        mc_cal_spec_release(&s);
    }
}

/* Export -> parse -> build gives the same calendar. */
static void
test_csv_roundtrip(void **state)
{
    struct mc_buf r, a;
    struct mc_cal_spec s;
    struct mc_calendar *c = NULL;
    struct mc_err err;
    const struct mc_cal_spec *orig = mc_calendar_spec(cal);
    int n = 0;

    (void)state;
    mc_buf_init(&r, 1 << 20);
    mc_buf_init(&a, 1 << 20);
    assert_int_equal(mc_calendar_export_rules_csv(cal, &r), MC_OK);
    assert_int_equal(mc_calendar_export_anns_csv(cal, &a), MC_OK);
    mc_cal_spec_init(&s);
    assert_int_equal(mc_cal_spec_parse_rules(&s, r.data, r.len, &err),
                     MC_OK);
    assert_int_equal(mc_cal_spec_parse_anns(&s, a.data, a.len, &n, &err),
                     MC_OK);
    assert_int_equal(n, orig->nanns);
    assert_int_equal(s.nrules, orig->nrules);
    assert_memory_equal(s.rules, orig->rules,
                        (size_t)s.nrules * sizeof(*s.rules));
    assert_memory_equal(s.anns, orig->anns,
                        (size_t)s.nanns * sizeof(*s.anns));
    assert_int_equal(mc_calendar_build(&s, 1, 0, &c, &err), MC_OK);
    assert_int_equal(mc_calendar_diff(cal, c, D(1800, 1, 1),
                                      D(2199, 12, 31), NULL, NULL),
                     0);
    mc_calendar_free(c);
    mc_cal_spec_release(&s);

    /* a year's export: rule rows are skipped on import */
    mc_buf_reset(&a);
    assert_int_equal(mc_calendar_export_csv(cal, 2025, 2025, &a), MC_OK);
    assert_non_null(strstr(a.data, "2025-01-01,holiday,NEW_YEAR,"
                                   "Tết Dương lịch,BLLĐ 2019 Điều 112.1.a,"
                                   "rule\n"));
    assert_non_null(strstr(a.data, "2025-04-26,work,,"));
    mc_cal_spec_init(&s);
    assert_int_equal(mc_cal_spec_parse_anns(&s, a.data, a.len, &n, &err),
                     MC_OK);
    assert_int_equal(n, 9); /* Tết 5, 26/04, 02/05, 01/09, 02/09 */
    mc_cal_spec_release(&s);
    mc_buf_release(&r);
    mc_buf_release(&a);
}

static void
test_ics_roundtrip(void **state)
{
    struct mc_buf b;
    struct mc_cal_spec s;
    struct mc_err err;
    const struct mc_cal_spec *orig = mc_calendar_spec(cal);
    int n = 0;

    (void)state;
    mc_buf_init(&b, 4 << 20);
    /* the announcement table */
    assert_int_equal(mc_calendar_export_ics(cal, 1, 0, 1767225600, &b),
                     MC_OK);
    assert_non_null(strstr(b.data, "DTSTAMP:20260101T000000Z\r\n"));
    for (const char *p = b.data; (p = strstr(p, "\r\n")) != NULL; p += 2) {
        const char *q = strstr(p + 2, "\r\n");
        assert_true(q == NULL || q - (p + 2) <= 75); /* folded lines */
    }
    mc_cal_spec_init(&s);
    assert_int_equal(mc_cal_spec_parse_ics(&s, b.data, b.len, &n, &err),
                     MC_OK);
    assert_int_equal(n, orig->nanns);
    assert_memory_equal(s.anns, orig->anns,
                        (size_t)s.nanns * sizeof(*s.anns));
    mc_cal_spec_release(&s);
    /* a year: rule-derived events are skipped */
    mc_buf_reset(&b);
    assert_int_equal(mc_calendar_export_ics(cal, 2026, 2026, 0, &b), MC_OK);
    assert_non_null(strstr(b.data, "DTSTART;VALUE=DATE:20261124\r\n"));
    mc_cal_spec_init(&s);
    assert_int_equal(mc_cal_spec_parse_ics(&s, b.data, b.len, &n, &err),
                     MC_OK);
    assert_int_equal(n, 11); /* 02/01 10/01, Tết 5, 22/08 31/08, 1-2/09 */
    mc_cal_spec_release(&s);
    mc_buf_release(&b);
}

static void
test_ics_foreign(void **state)
{
    static const char ics[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20270205\r\n"
        "DTEND;VALUE=DATE:20270207\r\n"
        "SUMMARY:Nghỉ Tết\\, theo thông báo\r\n  của Bộ Nội vụ\r\n"
        "DESCRIPTION:TB 1/TB-BNV\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270213\r\n"
        "SUMMARY:Làm bù\r\nX-MOTCUA-KIND:work\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    static const char timed[] =
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20270205T090000Z\n"
        "SUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n";
    static const char toolong[] =
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\n"
        "DTEND;VALUE=DATE:20270301\nEND:VEVENT\nEND:VCALENDAR\n";
    struct mc_cal_spec s;
    struct mc_err err;
    const struct mc_cal_ann *x;
    int n = 0;

    (void)state;
    mc_cal_spec_init(&s);
    assert_int_equal(mc_cal_spec_parse_ics(&s, ics, strlen(ics), &n, &err),
                     MC_OK);
    assert_int_equal(n, 3);
    x = mc_cal_spec_find_ann(&s, D(2027, 2, 6));
    assert_non_null(x);
    assert_int_equal(x->kind, MC_ANN_OFF);
    assert_string_equal(x->reason, "Nghỉ Tết, theo thông báo của Bộ Nội vụ");
    assert_string_equal(x->basis, "TB 1/TB-BNV");
    assert_null(mc_cal_spec_find_ann(&s, D(2027, 2, 7))); /* DTEND excl. */
    x = mc_cal_spec_find_ann(&s, D(2027, 2, 13));
    assert_non_null(x);
    assert_int_equal(x->kind, MC_ANN_WORK);
    mc_cal_spec_release(&s);
    mc_cal_spec_init(&s);
    assert_int_equal(mc_cal_spec_parse_ics(&s, timed, strlen(timed), &n,
                                           &err),
                     MC_EINVAL);
    assert_int_equal(mc_cal_spec_parse_ics(&s, toolong, strlen(toolong), &n,
                                           &err),
                     MC_EINVAL);
    assert_int_equal(mc_cal_spec_parse_ics(&s, "SUMMARY:x\n", 10, &n, &err),
                     MC_EINVAL);
    mc_cal_spec_release(&s);
}

static void
test_range(void **state)
{
    int32_t out;
    int n;

    (void)state;
    assert_int_equal(mc_calendar_first_day(cal), D(1800, 1, 1));
    assert_int_equal(mc_calendar_last_day(cal), D(2199, 12, 31));
    assert_int_equal(mc_calendar_version(cal), 0);
    assert_int_equal(mc_calendar_add_days(cal, D(1799, 12, 31), 1, &out),
                     MC_EINVAL);
    assert_int_equal(mc_calendar_add_days(cal, D(2199, 12, 30), 5, &out),
                     MC_EINVAL);
    assert_int_equal(mc_calendar_add_days(cal, D(1800, 1, 2), -5, &out),
                     MC_EINVAL);
    assert_int_equal(mc_calendar_between(cal, D(2025, 1, 1), D(2200, 1, 1),
                                         &n),
                     MC_EINVAL);
    assert_int_equal(mc_calendar_between(cal, D(2025, 12, 31),
                                         D(2025, 1, 1), &n),
                     MC_OK);
    assert_int_equal(n, -250); /* -(working days in (01/01, 31/12]) */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_observed_2020_2030),
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_national_day_default),
        cmocka_unit_test(test_tet_default),
        cmocka_unit_test(test_announcements_override),
        cmocka_unit_test(test_rules_parse),
        cmocka_unit_test(test_csv_roundtrip),
        cmocka_unit_test(test_ics_roundtrip),
        cmocka_unit_test(test_ics_foreign),
        cmocka_unit_test(test_range),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
