/*
 * period.c - reporting periods (see period.h).
 */
#include <stdio.h>
#include <string.h>

#include "util/mctime.h"
#include "util/period.h"

#define YEAR_MIN 1900
#define YEAR_MAX 2199
#define RANGE_MAX_DAYS 3700

/* n decimal digits at s, nothing else checked; -1 if any is not a digit */
static int
digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int32_t
month_end(int y, int m)
{
    return m == 12 ? mc_days_from_civil(y + 1, 1, 1) - 1
                   : mc_days_from_civil(y, m + 1, 1) - 1;
}

static void
set_month(struct mc_period *p, int y, int m)
{
    p->kind = MC_PERIOD_MONTH;
    p->from = mc_days_from_civil(y, m, 1);
    p->to = month_end(y, m);
    snprintf(p->label, sizeof(p->label), "%04d-%02d", y, m);
}

static void
set_quarter(struct mc_period *p, int y, int q)
{
    p->kind = MC_PERIOD_QUARTER;
    p->from = mc_days_from_civil(y, (q - 1) * 3 + 1, 1);
    p->to = month_end(y, q * 3);
    snprintf(p->label, sizeof(p->label), "%04d-Q%d", y, q);
}

static void
set_year(struct mc_period *p, int y)
{
    p->kind = MC_PERIOD_YEAR;
    p->from = mc_days_from_civil(y, 1, 1);
    p->to = mc_days_from_civil(y, 12, 31);
    snprintf(p->label, sizeof(p->label), "%04d", y);
}

static void
set_range(struct mc_period *p, int32_t from, int32_t to)
{
    char a[11], b[11];

    p->kind = MC_PERIOD_RANGE;
    p->from = from;
    p->to = to;
    mc_fmt_date(from, a, sizeof(a));
    mc_fmt_date(to, b, sizeof(b));
    snprintf(p->label, sizeof(p->label), "%s..%s", a, b);
}

int
mc_period_parse(const char *s, struct mc_period *p)
{
    size_t n = s ? strlen(s) : 0;
    int y, v;

    if (n < 4 || (y = digits(s, 4)) < YEAR_MIN || y > YEAR_MAX) {
        return -1;
    }
    if (n == 4) {
        set_year(p, y);
        return 0;
    }
    if (n == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q')) {
        v = digits(s + 6, 1);
        if (v < 1 || v > 4) {
            return -1;
        }
        set_quarter(p, y, v);
        return 0;
    }
    if (n == 7 && s[4] == '-') {
        v = digits(s + 5, 2);
        if (v < 1 || v > 12) {
            return -1;
        }
        set_month(p, y, v);
        return 0;
    }
    if (n == 22 && s[10] == '.' && s[11] == '.') {
        char a[11];
        int32_t from, to;

        memcpy(a, s, 10);
        a[10] = '\0';
        if (mc_parse_date(a, &from) != 0 || mc_parse_date(s + 12, &to) != 0 ||
            to < from || to - from + 1 > RANGE_MAX_DAYS ||
            to > mc_days_from_civil(YEAR_MAX, 12, 31) ||
            from < mc_days_from_civil(YEAR_MIN, 1, 1)) {
            return -1;
        }
        set_range(p, from, to);
        return 0;
    }
    return -1;
}

void
mc_period_month_of(int32_t day, struct mc_period *p)
{
    int y, m, d;

    mc_civil_from_days(day, &y, &m, &d);
    set_month(p, y, m);
}

void
mc_period_prev(const struct mc_period *p, struct mc_period *out)
{
    int y, m, d;

    mc_civil_from_days(p->from, &y, &m, &d);
    switch (p->kind) {
    case MC_PERIOD_MONTH:
        if (m == 1) {
            set_month(out, y - 1, 12);
        } else {
            set_month(out, y, m - 1);
        }
        break;
    case MC_PERIOD_QUARTER:
        if (m == 1) {
            set_quarter(out, y - 1, 4);
        } else {
            set_quarter(out, y, (m - 1) / 3);
        }
        break;
    case MC_PERIOD_YEAR:
        set_year(out, y - 1);
        break;
    case MC_PERIOD_RANGE:
        set_range(out, p->from - mc_period_days(p), p->from - 1);
        break;
    }
}

int32_t
mc_period_days(const struct mc_period *p)
{
    return p->to - p->from + 1;
}

int
mc_period_arg(const char *s, int32_t today, int months, const char *name,
              struct mc_period *p, struct mc_err *err)
{
    struct mc_period q;

    if (s == NULL || *s == '\0') {
        mc_period_month_of(today, p);
        return MC_OK;
    }
    if (mc_period_parse(s, &q) != 0 ||
        (months && q.kind != MC_PERIOD_MONTH)) {
        return months ? mc_err_set(err, MC_EINVAL, 400, "bad_month", name,
                                   "%s must be a month YYYY-MM", name)
                      : mc_err_set(err, MC_EINVAL, 400, "bad_period", name,
                                   "%s is YYYY-MM, YYYY-Qn, YYYY or "
                                   "YYYY-MM-DD..YYYY-MM-DD",
                                   name);
    }
    *p = q;
    return MC_OK;
}
