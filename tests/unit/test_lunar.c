/*
 * test_lunar.c - the Vietnamese lunar calendar: every row of
 * tests/data/lunar_test_vectors.csv and tests/data/tet_dates.csv in both
 * directions (and the UTC+8 contrast columns), the round trip over every
 * day 1800-01-01..2199-12-31 with the structural invariants of a lunar
 * calendar, and invalid input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/lunar.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/mctime.h"
#include "util/text.h"

#define JDN_EPOCH 2440588L

/* Read a test data file (path relative to the repository root). */
static void
slurp(const char *path, struct mc_buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t n;

    if (f == NULL) {
        fail_msg("cannot open %s (run the tests from the repository root)",
                 path);
    }
    mc_buf_init(b, (size_t)16 << 20);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        assert_int_equal(mc_buf_add(b, chunk, n), MC_OK);
    }
    fclose(f);
}

static int
num(const char *s)
{
    long long v;

    assert_int_equal(mc_parse_i64(s, &v), 0);
    return (int)v;
}

static int32_t
date(const char *s)
{
    int32_t d;

    assert_int_equal(mc_parse_date(s, &d), 0);
    return d;
}

/* Parse "d/m/y" of the utc8_reference column. */
static void
dmy(const char *s, int *d, int *m, int *y)
{
    assert_int_equal(sscanf(s, "%d/%d/%d", d, m, y), 3);
}

static void
test_vectors(void **state)
{
    struct mc_buf b;
    struct mc_csv c;
    struct mc_err err;
    int rows = 0, leaps = 0, cn_diff = 0;

    (void)state;
    slurp("tests/data/lunar_test_vectors.csv", &b);
    mc_csv_init(&c, b.data, b.len);
    assert_int_equal(mc_csv_next(&c, &err), 1); /* header */
    assert_int_equal(mc_csv_col(&c, "utc8_reference"), 6);
    while (mc_csv_next(&c, &err) == 1) {
        struct mc_lunar want, got, cn;
        int32_t d = date(c.f[0]), back;
        int cd, cm, cy;

        want.day = num(c.f[2]);
        want.month = num(c.f[3]);
        want.year = num(c.f[4]);
        want.leap = num(c.f[5]);
        assert_int_equal((long)d + JDN_EPOCH, num(c.f[1]));
        /* solar -> lunar */
        assert_int_equal(mc_lunar_from_solar(d, &got), MC_OK);
        if (got.day != want.day || got.month != want.month ||
            got.year != want.year || got.leap != want.leap) {
            fail_msg("%s: got %d/%d/%d leap=%d, want %d/%d/%d leap=%d",
                     c.f[0], got.day, got.month, got.year, got.leap,
                     want.day, want.month, want.year, want.leap);
        }
        /* lunar -> solar */
        assert_int_equal(mc_lunar_to_solar(&want, &back), MC_OK);
        assert_int_equal(back, d);
        /* the Chinese (UTC+8) reading of the same day */
        dmy(c.f[6], &cd, &cm, &cy);
        assert_int_equal(mc_lunar_from_solar_tz(d, 8.0, &cn), MC_OK);
        if (cn.day != cd || cn.month != cm || cn.year != cy) {
            fail_msg("%s at UTC+8: got %d/%d/%d, want %s", c.f[0], cn.day,
                     cn.month, cn.year, c.f[6]);
        }
        cn_diff += cn.day != want.day || cn.month != want.month;
        leaps += want.leap;
        rows++;
    }
    assert_int_equal(rows, 634);
    assert_true(leaps > 50);
    assert_true(cn_diff > 0);
    mc_csv_release(&c);
    mc_buf_release(&b);
}

static void
test_tet_dates(void **state)
{
    struct mc_buf b;
    struct mc_csv c;
    struct mc_err err;
    int rows = 0;
    static const char *const wd[] = {"", "Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat", "Sun"};

    (void)state;
    slurp("tests/data/tet_dates.csv", &b);
    mc_csv_init(&c, b.data, b.len);
    assert_int_equal(mc_csv_next(&c, &err), 1);
    assert_int_equal(mc_csv_col(&c, "differs_from_china"), 10);
    while (mc_csv_next(&c, &err) == 1) {
        int y = num(c.f[0]), leap;
        struct mc_lunar tet = {1, 1, y, 0}, next = {1, 1, y + 1, 0};
        struct mc_lunar hk = {10, 3, y, 0}, l;
        int32_t t, t2, h, cn;

        /* lunar -> solar */
        assert_int_equal(mc_lunar_to_solar(&tet, &t), MC_OK);
        assert_int_equal(t, date(c.f[2]));
        assert_string_equal(wd[mc_weekday(t)], c.f[3]);
        assert_int_equal(mc_lunar_to_solar(&hk, &h), MC_OK);
        assert_int_equal(h, date(c.f[7]));
        assert_string_equal(wd[mc_weekday(h)], c.f[8]);
        assert_int_equal(mc_lunar_to_solar(&next, &t2), MC_OK);
        assert_int_equal(t2 - t, num(c.f[5]));
        assert_int_equal(mc_lunar_leap_month(y, &leap), MC_OK);
        assert_int_equal(leap, num(c.f[6]));
        /* solar -> lunar */
        assert_int_equal(mc_lunar_from_solar(t, &l), MC_OK);
        assert_true(l.day == 1 && l.month == 1 && l.year == y && !l.leap);
        assert_int_equal(mc_lunar_from_solar(h, &l), MC_OK);
        assert_true(l.day == 10 && l.month == 3 && l.year == y && !l.leap);
        assert_int_equal(date(c.f[4]), t - 1); /* giao thừa */
        assert_int_equal(mc_lunar_from_solar(t - 1, &l), MC_OK);
        assert_true(l.month == 12 && l.year == y - 1 && l.day >= 29);
        /* China, UTC+8 */
        assert_int_equal(mc_lunar_to_solar_tz(&tet, 8.0, &cn), MC_OK);
        assert_int_equal(cn, date(c.f[9]));
        assert_string_equal(c.f[10], cn != t ? "yes" : "no");
        rows++;
    }
    assert_int_equal(rows, 61);
    mc_csv_release(&c);
    mc_buf_release(&b);
}

/*
 * Every day 1800..2199: solar -> lunar -> solar is the identity, and the
 * sequence of lunar dates is a calendar: days run 1..29 or 1..30, months
 * follow each other (a leap month repeats the previous number), years
 * change at month 1, each lunar year has 12 or 13 months.
 */
static void
test_roundtrip_all(void **state)
{
    int32_t a = mc_lunar_first_day(), z = mc_lunar_last_day();
    struct mc_lunar prev, l;
    int months_in_year = 0, leap_years = 0, years = 0;

    (void)state;
    assert_int_equal(a, mc_days_from_civil(1800, 1, 1));
    assert_int_equal(z, mc_days_from_civil(2199, 12, 31));
    assert_int_equal(mc_lunar_from_solar(a, &prev), MC_OK);
    for (int32_t d = a + 1; d <= z; d++) {
        int32_t back;

        assert_int_equal(mc_lunar_from_solar(d, &l), MC_OK);
        assert_int_equal(mc_lunar_to_solar(&l, &back), MC_OK);
        if (back != d) {
            fail_msg("day %d: %d/%d/%d leap=%d comes back as %d", d, l.day,
                     l.month, l.year, l.leap, back);
        }
        if (l.day == prev.day + 1) {
            assert_true(l.month == prev.month && l.year == prev.year &&
                        l.leap == prev.leap);
            prev = l;
            continue;
        }
        /* a new month */
        assert_int_equal(l.day, 1);
        assert_true(prev.day == 29 || prev.day == 30);
        if (l.leap) {
            assert_int_equal(l.month, prev.month);
            assert_false(prev.leap);
        } else {
            assert_int_equal(l.month, prev.month % 12 + 1);
        }
        assert_int_equal(l.year, prev.year + (l.month == 1 && !l.leap));
        months_in_year++;
        if (l.month == 1 && !l.leap) {
            if (years > 0) { /* the first year is partial */
                assert_true(months_in_year == 12 || months_in_year == 13);
                leap_years += months_in_year == 13;
            }
            years++;
            months_in_year = 0;
        }
        prev = l;
    }
    /* 7 leap years in every 19 (Metonic cycle): about 147 in 399 years */
    assert_true(leap_years >= 140 && leap_years <= 155);
}

static void
test_known_and_invalid(void **state)
{
    struct mc_lunar l, x;
    int32_t d;
    int m, n;
    char out[32];

    (void)state;
    assert_int_equal(mc_lunar_from_solar(mc_days_from_civil(2025, 8, 19),
                                         &l),
                     MC_OK);
    mc_lunar_format(&l, out, sizeof(out));
    assert_string_equal(out, "26/6/2025 leap");
    /* Tết 2030 is 2 February in Vietnam, 3 February in China */
    x = (struct mc_lunar){1, 1, 2030, 0};
    assert_int_equal(mc_lunar_to_solar(&x, &d), MC_OK);
    assert_int_equal(d, mc_days_from_civil(2030, 2, 2));
    assert_int_equal(mc_lunar_to_solar_tz(&x, 8.0, &d), MC_OK);
    assert_int_equal(d, mc_days_from_civil(2030, 2, 3));
    /*
     * Days just before a new moon that falls later than the mean-lunation
     * estimate: the published shortcut gives lunar day 0 there; they are
     * the 30th of the previous month.
     */
    {
        static const int cases[][6] = {{1877, 4, 13, 30, 2, 1877},
                                       {1885, 3, 16, 30, 1, 1885},
                                       {2054, 5, 7, 30, 3, 2054},
                                       {2062, 4, 9, 30, 2, 2062}};
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            const int *c = cases[i];
            int32_t day = mc_days_from_civil(c[0], c[1], c[2]);
            assert_int_equal(mc_lunar_from_solar(day, &l), MC_OK);
            assert_true(l.day == c[3] && l.month == c[4] && l.year == c[5]);
            assert_int_equal(mc_lunar_to_solar(&l, &d), MC_OK);
            assert_int_equal(d, day);
            assert_int_equal(mc_lunar_from_solar(day + 1, &l), MC_OK);
            assert_int_equal(l.day, 1);
        }
    }
    /* leap month 11 of 2033, and no leap 10 that year */
    assert_int_equal(mc_lunar_leap_month(2033, &m), MC_OK);
    assert_int_equal(m, 11);
    x = (struct mc_lunar){1, 11, 2033, 1};
    assert_int_equal(mc_lunar_to_solar(&x, &d), MC_OK);
    assert_int_equal(mc_lunar_from_solar(d, &l), MC_OK);
    assert_true(l.day == 1 && l.month == 11 && l.year == 2033 && l.leap);
    x.month = 10;
    assert_int_equal(mc_lunar_to_solar(&x, &d), MC_EINVAL);
    /* leap flag in a year without a leap month */
    x = (struct mc_lunar){1, 6, 2024, 1};
    assert_int_equal(mc_lunar_to_solar(&x, &d), MC_EINVAL);
    /* day 30 of a 29-day month */
    assert_int_equal(mc_lunar_month_days(2025, 6, 1, &n), MC_OK);
    assert_true(n == 29 || n == 30);
    x = (struct mc_lunar){n + 1, 6, 2025, 1};
    if (n == 29) {
        assert_int_equal(mc_lunar_to_solar(&x, &d), MC_EINVAL);
    }
    x = (struct mc_lunar){31, 1, 2025, 0};
    assert_int_equal(mc_lunar_to_solar(&x, &d), MC_EINVAL);
    x = (struct mc_lunar){1, 13, 2025, 0};
    assert_int_equal(mc_lunar_to_solar(&x, &d), MC_EINVAL);
    /* range */
    assert_int_equal(mc_lunar_from_solar(mc_days_from_civil(1799, 12, 31),
                                         &l),
                     MC_EINVAL);
    assert_int_equal(mc_lunar_from_solar(mc_days_from_civil(2200, 1, 1),
                                         &l),
                     MC_EINVAL);
    x = (struct mc_lunar){1, 12, 2199, 0}; /* falls in January 2200 */
    assert_int_equal(mc_lunar_to_solar(&x, &d), MC_EINVAL);
    /* parsing */
    assert_int_equal(mc_lunar_parse("26/6/2025 leap", &l), MC_OK);
    assert_true(l.day == 26 && l.month == 6 && l.year == 2025 && l.leap);
    assert_int_equal(mc_lunar_parse("1/1/2030", &l), MC_OK);
    assert_false(l.leap);
    assert_int_equal(mc_lunar_parse("1/13/2030", &l), MC_EINVAL);
    assert_int_equal(mc_lunar_parse("1/1/2030x", &l), MC_EINVAL);
    assert_int_equal(mc_lunar_parse("1-1-2030", &l), MC_EINVAL);
    assert_int_equal(mc_lunar_parse("", &l), MC_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_tet_dates),
        cmocka_unit_test(test_roundtrip_all),
        cmocka_unit_test(test_known_and_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
