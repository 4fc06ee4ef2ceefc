/*
 * lunar.c - Vietnamese lunar calendar by Hồ Ngọc Đức's astronomical method.
 *
 * A transcription of the published algorithm (amlich, "Computing the
 * Vietnamese lunar calendar"), itself after Jean Meeus, "Astronomical
 * Algorithms" (1998): NewMoon(k) for the k-th new moon after the one of
 * 1900-01-01 (JD 2415021.076998695) and the sun's apparent longitude. All
 * arithmetic is in double with floor() (not truncation) so that negative
 * lunation numbers before 1900 round the same way as in the original.
 *
 * Day numbers are mctime's days since 1970-01-01; the algorithm works on
 * Julian Day Numbers, which for Gregorian dates are day + 2440588.
 */
#include "domain/lunar.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/mctime.h"

#define JDN_EPOCH 2440588L /* JDN of 1970-01-01 */
#define PI 3.14159265358979323846
#define SYNODIC 29.530588853
#define NM1900 2415021.076998695

/* Julian date of the k-th new moon after 1900-01-01 (Meeus ch. 47, short). */
static double
new_moon(int k)
{
    double t = k / 1236.85;
    double t2 = t * t, t3 = t2 * t;
    double dr = PI / 180;
    double jd1, m, mpr, f, c1, deltat;

    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 -
          0.000000155 * t3;
    jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m);
    c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr);
    c1 = c1 - 0.0004 * sin(dr * 3 * mpr);
    c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr));
    c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m));
    c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) -
         0.0006 * sin(dr * (2 * f + mpr));
    c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) +
         0.0005 * sin(dr * (2 * mpr + m));
    if (t < -11) {
        deltat = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 -
                 0.000000081 * t * t3;
    } else {
        deltat = -0.000278 + 0.000265 * t + 0.000262 * t2;
    }
    return jd1 + c1 - deltat;
}

/* Sun's apparent longitude in radians [0, 2pi) at Julian date jdn. */
static double
sun_longitude(double jdn)
{
    double t = (jdn - 2451545.0) / 36525;
    double t2 = t * t;
    double dr = PI / 180;
    double m, l0, dl, l;

    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m);
    dl = dl + (0.019993 - 0.000101 * t) * sin(dr * 2 * m) +
         0.000290 * sin(dr * 3 * m);
    l = (l0 + dl) * dr;
    return l - PI * 2 * floor(l / (PI * 2));
}

/* Sector 0..11 (30 degrees each) of the sun at local midnight of jd. */
static int
sun_sector(long jd, double tz)
{
    return (int)floor(sun_longitude((double)jd - 0.5 - tz / 24) / PI * 6);
}

/* Local day (JDN) of the k-th new moon. */
static long
new_moon_day(int k, double tz)
{
    return (long)floor(new_moon(k) + 0.5 + tz / 24);
}

static long
jdn_of(int y, int m, int d)
{
    return (long)mc_days_from_civil(y, m, d) + JDN_EPOCH;
}

/* JDN of the start of lunar month 11 (the one holding the solstice) of yy. */
static long
lunar_month11(int yy, double tz)
{
    long off = jdn_of(yy, 12, 31) - 2415021;
    int k = (int)floor((double)off / SYNODIC);
    long nm = new_moon_day(k, tz);

    if (sun_sector(nm, tz) >= 9) {
        nm = new_moon_day(k - 1, tz);
    }
    return nm;
}

/*
 * Offset (in months after month 11 starting at a11) of the leap month: the
 * first month in which the sun does not enter a new sector.
 */
static int
leap_month_offset(long a11, double tz)
{
    int k = (int)floor(((double)a11 - NM1900) / SYNODIC + 0.5);
    int last, i = 1;
    int arc = sun_sector(new_moon_day(k + i, tz), tz);

    do {
        last = arc;
        i++;
        arc = sun_sector(new_moon_day(k + i, tz), tz);
    } while (arc != last && i < 14);
    return i - 1;
}

static void
solar_to_lunar(long jd, double tz, struct mc_lunar *out)
{
    int k = (int)floor(((double)jd - NM1900) / SYNODIC) + 1;
    long month_start;
    long a11, b11;
    int yy, mm, dd, lyear, lmonth, diff, leap = 0;

    /*
     * The month holding jd starts at the last new-moon day <= jd. The
     * published code tries lunations k+1 then k of the mean estimate
     * only; when the true new moon k falls after jd (1877-04-13,
     * 1885-03-16, 2054-05-07, 2062-04-09 in 1800..2199) it yields lunar
     * day 0. Step to the right lunation instead.
     */
    while (new_moon_day(k, tz) > jd) {
        k--;
    }
    while (new_moon_day(k + 1, tz) <= jd) {
        k++;
    }
    month_start = new_moon_day(k, tz);
    mc_civil_from_days((int32_t)(jd - JDN_EPOCH), &yy, &mm, &dd);
    a11 = lunar_month11(yy, tz);
    b11 = a11;
    if (a11 >= month_start) {
        lyear = yy;
        a11 = lunar_month11(yy - 1, tz);
    } else {
        lyear = yy + 1;
        b11 = lunar_month11(yy + 1, tz);
    }
    diff = (int)((month_start - a11) / 29);
    lmonth = diff + 11;
    if (b11 - a11 > 365) {
        int leap_diff = leap_month_offset(a11, tz);
        if (diff >= leap_diff) {
            lmonth = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if (lmonth > 12) {
        lmonth -= 12;
    }
    if (lmonth >= 11 && diff < 4) {
        lyear -= 1;
    }
    out->day = (int)(jd - month_start + 1);
    out->month = lmonth;
    out->year = lyear;
    out->leap = leap;
}

/*
 * JDN of the first day of a lunar month and its length, or -1 when the
 * month does not exist (a leap flag on a month that is not leap).
 */
static int
month_start(int month, int year, int leap, double tz, long *start,
            int *ndays)
{
    long a11, b11;
    int k, off;

    if (month < 11) {
        a11 = lunar_month11(year - 1, tz);
        b11 = lunar_month11(year, tz);
    } else {
        a11 = lunar_month11(year, tz);
        b11 = lunar_month11(year + 1, tz);
    }
    k = (int)floor(0.5 + ((double)a11 - NM1900) / SYNODIC);
    off = month - 11;
    if (off < 0) {
        off += 12;
    }
    if (b11 - a11 > 365) {
        int leap_off = leap_month_offset(a11, tz);
        int leap_month = leap_off - 2;
        if (leap_month < 0) {
            leap_month += 12;
        }
        if (leap && month != leap_month) {
            return -1;
        }
        if (leap || off >= leap_off) {
            off += 1;
        }
    } else if (leap) {
        return -1;
    }
    *start = new_moon_day(k + off, tz);
    *ndays = (int)(new_moon_day(k + off + 1, tz) - *start);
    return 0;
}

int32_t
mc_lunar_first_day(void)
{
    return mc_days_from_civil(1800, 1, 1);
}

int32_t
mc_lunar_last_day(void)
{
    return mc_days_from_civil(2199, 12, 31);
}

static int
in_range(int32_t day)
{
    return day >= mc_lunar_first_day() && day <= mc_lunar_last_day();
}

int
mc_lunar_from_solar_tz(int32_t day, double tz, struct mc_lunar *out)
{
    if (!in_range(day) || tz < -12 || tz > 14) {
        return MC_EINVAL;
    }
    solar_to_lunar((long)day + JDN_EPOCH, tz, out);
    return MC_OK;
}

int
mc_lunar_from_solar(int32_t day, struct mc_lunar *out)
{
    return mc_lunar_from_solar_tz(day, MC_LUNAR_TZ_VN, out);
}

int
mc_lunar_to_solar_tz(const struct mc_lunar *l, double tz, int32_t *day)
{
    long start;
    int32_t d;
    int ndays;

    if (l->month < 1 || l->month > 12 || l->day < 1 || l->day > 30 ||
        l->year < 1799 || l->year > 2200 || tz < -12 || tz > 14) {
        return MC_EINVAL;
    }
    if (month_start(l->month, l->year, l->leap != 0, tz, &start, &ndays) !=
            0 ||
        l->day > ndays) {
        return MC_EINVAL;
    }
    d = (int32_t)(start + l->day - 1 - JDN_EPOCH);
    if (!in_range(d)) {
        return MC_EINVAL;
    }
    *day = d;
    return MC_OK;
}

int
mc_lunar_to_solar(const struct mc_lunar *l, int32_t *day)
{
    return mc_lunar_to_solar_tz(l, MC_LUNAR_TZ_VN, day);
}

int
mc_lunar_month_days(int year, int month, int leap, int *ndays)
{
    long start;

    if (month < 1 || month > 12 || year < 1800 || year > 2199 ||
        month_start(month, year, leap != 0, MC_LUNAR_TZ_VN, &start,
                    ndays) != 0) {
        return MC_EINVAL;
    }
    return MC_OK;
}

int
mc_lunar_leap_month(int year, int *month)
{
    long start;
    int ndays;

    if (year < 1800 || year > 2199) {
        return MC_EINVAL;
    }
    *month = 0;
    for (int m = 1; m <= 12; m++) {
        if (month_start(m, year, 1, MC_LUNAR_TZ_VN, &start, &ndays) == 0) {
            *month = m;
            break;
        }
    }
    return MC_OK;
}

static int
parse_uint(const char **p, int maxdigits, int *out)
{
    int v = 0, n = 0;

    while (**p >= '0' && **p <= '9' && n < maxdigits) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (n == 0 || (**p >= '0' && **p <= '9')) {
        return -1;
    }
    *out = v;
    return 0;
}

int
mc_lunar_parse(const char *s, struct mc_lunar *l)
{
    const char *p = s;
    struct mc_lunar t = {0, 0, 0, 0};

    if (s == NULL || parse_uint(&p, 2, &t.day) || *p++ != '/' ||
        parse_uint(&p, 2, &t.month) || *p++ != '/' ||
        parse_uint(&p, 4, &t.year)) {
        return MC_EINVAL;
    }
    if (strcmp(p, " leap") == 0) {
        t.leap = 1;
    } else if (*p != '\0') {
        return MC_EINVAL;
    }
    if (t.day < 1 || t.day > 30 || t.month < 1 || t.month > 12) {
        return MC_EINVAL;
    }
    *l = t;
    return MC_OK;
}

void
mc_lunar_format(const struct mc_lunar *l, char *out, int outsz)
{
    snprintf(out, (size_t)outsz, "%d/%d/%d%s", l->day, l->month, l->year,
             l->leap ? " leap" : "");
}
