#include "util/mctime.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static _Atomic int64_t clock_offset;

int64_t
mc_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec + atomic_load(&clock_offset);
}

int64_t
mc_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
mc_clock_set_offset(int64_t secs)
{
    atomic_store(&clock_offset, secs);
}

int64_t
mc_clock_offset(void)
{
    return atomic_load(&clock_offset);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int32_t
mc_days_from_civil(int y, int m, int d)
{
    int era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void
mc_civil_from_days(int32_t z, int *y, int *m, int *d)
{
    int era;
    unsigned doe, yoe, doy, mp;
    int yy;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    yy = (int)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

int
mc_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)((days % 7 + 7 + 3) % 7);

    return w + 1;
}

int
mc_date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
    int leap, max;

    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) {
        return 0;
    }
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

static int32_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return (int32_t)q;
}

int32_t
mc_local_day(int64_t ts)
{
    return floor_div(ts + MC_TZ_OFFSET, MC_DAY);
}

int
mc_local_secs(int64_t ts)
{
    int64_t l = ts + MC_TZ_OFFSET;

    return (int)(l - (int64_t)floor_div(l, MC_DAY) * MC_DAY);
}

int64_t
mc_local_ts(int32_t day, int secs)
{
    return (int64_t)day * MC_DAY + secs - MC_TZ_OFFSET;
}

static int
digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int
mc_parse_date(const char *s, int32_t *day)
{
    int y, m, d;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d) ||
        !mc_date_valid(y, m, d)) {
        return -1;
    }
    *day = mc_days_from_civil(y, m, d);
    return 0;
}

int
mc_parse_ts(const char *s, int64_t *ts)
{
    int32_t day;
    int hh = 0, mm = 0, ss = 0, off = MC_TZ_OFFSET, oh, om;
    char date[11];
    const char *p;

    if (s == NULL || strlen(s) < 10) {
        return -1;
    }
    memcpy(date, s, 10);
    date[10] = '\0';
    if (mc_parse_date(date, &day) != 0) {
        return -1;
    }
    p = s + 10;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (digits(p, 2, &hh) || p[2] != ':' || digits(p + 3, 2, &mm)) {
            return -1;
        }
        p += 5;
        if (*p == ':') {
            if (digits(p + 1, 2, &ss)) {
                return -1;
            }
            p += 3;
            if (*p == '.') { /* fractional seconds: ignored */
                p++;
                while (*p >= '0' && *p <= '9') {
                    p++;
                }
            }
        }
        if (hh > 23 || mm > 59 || ss > 60) {
            return -1;
        }
        if (*p == 'Z') {
            off = 0;
            p++;
        } else if (*p == '+' || *p == '-') {
            if (digits(p + 1, 2, &oh) || p[3] != ':' ||
                digits(p + 4, 2, &om) || oh > 14 || om > 59) {
                return -1;
            }
            off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
            p += 6;
        }
    }
    if (*p != '\0') {
        return -1;
    }
    *ts = (int64_t)day * MC_DAY + hh * 3600 + mm * 60 + ss - off;
    return 0;
}

/* v (0..99) as two digits at p. */
static char *
put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/*
 * "YYYY-MM-DD" at out without snprintf (it ran several times per
 * generated dossier); 0 when the year is not 0..9999 or out too small,
 * for the snprintf form to handle.
 */
static int
put_date(char *out, int outsz, int y, int m, int d)
{
    char *p = out;

    if (y < 0 || y > 9999 || outsz < 11) {
        return 0;
    }
    p = put2(p, y / 100);
    p = put2(p, y % 100);
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p = '\0';
    return 1;
}

void
mc_fmt_date(int32_t day, char *out, int outsz)
{
    int y, m, d;

    mc_civil_from_days(day, &y, &m, &d);
    if (!put_date(out, outsz, y, m, d)) {
        snprintf(out, (size_t)outsz, "%04d-%02d-%02d", y, m, d);
    }
}

void
mc_fmt_date_vn(int32_t day, char *out, int outsz)
{
    int y, m, d;

    mc_civil_from_days(day, &y, &m, &d);
    snprintf(out, (size_t)outsz, "%02d/%02d/%04d", d, m, y);
}

void
mc_fmt_ts(int64_t ts, char *out, int outsz)
{
    int y, m, d, s;
    int32_t day = mc_local_day(ts);

    mc_civil_from_days(day, &y, &m, &d);
    s = mc_local_secs(ts);
    if (outsz >= 26 && s >= 0 && s < 86400 && put_date(out, outsz, y, m, d)) {
        char *p = out + 10;

        *p++ = 'T';
        p = put2(p, s / 3600);
        *p++ = ':';
        p = put2(p, s / 60 % 60);
        *p++ = ':';
        p = put2(p, s % 60);
        memcpy(p, "+07:00", 7);
        return;
    }
    snprintf(out, (size_t)outsz, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", y, m,
             d, s / 3600, s / 60 % 60, s % 60);
}
