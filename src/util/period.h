/*
 * period.h - reporting periods: a month "2026-10", a quarter "2026-Q3",
 * a year "2026", or an explicit range of civil days "2026-10-01..2026-12-31".
 * Scorecards (TT 01/2018, Decision 766), rankings and dashboards are asked
 * for a period; every one of them is a closed range of Vietnam-local civil
 * day numbers [from, to] (util/mctime.h).
 */
#ifndef MC_UTIL_PERIOD_H
#define MC_UTIL_PERIOD_H

#include <stdint.h>

#include "util/err.h"

enum mc_period_kind {
    MC_PERIOD_MONTH = 0,
    MC_PERIOD_QUARTER,
    MC_PERIOD_YEAR,
    MC_PERIOD_RANGE
};

/* Longest label: "YYYY-MM-DD..YYYY-MM-DD" plus NUL. */
#define MC_PERIOD_LABEL_MAX 23

struct mc_period {
    enum mc_period_kind kind;
    int32_t from, to;                 /* inclusive civil day numbers */
    char label[MC_PERIOD_LABEL_MAX];  /* canonical text, as parsed */
};

/*
 * Parse s (borrowed) into *p: "YYYY-MM", "YYYY-Qn" (n 1..4, also "q"),
 * "YYYY" (years 1900-2199) or "YYYY-MM-DD..YYYY-MM-DD" with from <= to and
 * at most 3,700 days (ten years). 0 on success, -1 when s is not one of
 * these; *p is untouched then.
 */
int mc_period_parse(const char *s, struct mc_period *p);

/*
 * A period given as an argument: s parsed by mc_period_parse, or the
 * month containing today when s is NULL or "". months: only "YYYY-MM" is
 * accepted. On a bad s, MC_EINVAL (400, code bad_month when months, else
 * bad_period) with field name and *p untouched. s and name are borrowed.
 */
int mc_period_arg(const char *s, int32_t today, int months,
                  const char *name, struct mc_period *p, struct mc_err *err);

/* The calendar month containing day as a period. */
void mc_period_month_of(int32_t day, struct mc_period *p);

/*
 * The period of the same kind just before p (previous month, quarter,
 * year; for a range, the range of the same length ending the day before).
 */
void mc_period_prev(const struct mc_period *p, struct mc_period *out);

/* Number of days in p (to - from + 1). */
int32_t mc_period_days(const struct mc_period *p);

#endif
