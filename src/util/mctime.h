/*
 * mctime.h - instants, civil dates and Vietnam local time.
 *
 * An instant is int64 seconds since the Unix epoch (UTC). Vietnam has used
 * UTC+7 without daylight saving since 1975, so local civil time is
 * instant + 7 h; motcua formats and parses with that fixed offset.
 * A civil date is an int32 day number: days since 1970-01-01.
 */
#ifndef MC_UTIL_MCTIME_H
#define MC_UTIL_MCTIME_H

#include <stdint.h>

#define MC_TZ_OFFSET (7 * 3600)
#define MC_DAY 86400

/* Current instant, plus the test clock offset (see mc_clock_set_offset). */
int64_t mc_now(void);
/* Current instant in microseconds (monotonic-ish wall clock, for metrics). */
int64_t mc_now_us(void);
/* Test/demo hook: shift mc_now() by secs. Thread-safe (atomic). */
void mc_clock_set_offset(int64_t secs);
int64_t mc_clock_offset(void);

/* Day number of a proleptic Gregorian date (y in [-9999, 9999]). */
int32_t mc_days_from_civil(int y, int m, int d);
/* Inverse of mc_days_from_civil. */
void mc_civil_from_days(int32_t z, int *y, int *m, int *d);
/* ISO weekday of a day number: 1 = Monday ... 7 = Sunday. */
int mc_weekday(int32_t days);
/* 1 if y/m/d is a real date. */
int mc_date_valid(int y, int m, int d);

/* Local (UTC+7) day number of an instant. */
int32_t mc_local_day(int64_t ts);
/* Seconds since local midnight of an instant. */
int mc_local_secs(int64_t ts);
/* Instant of local day + seconds after local midnight. */
int64_t mc_local_ts(int32_t day, int secs);

/* Parse "YYYY-MM-DD" exactly. 0 on success, -1 otherwise. */
int mc_parse_date(const char *s, int32_t *day);
/*
 * Parse an ISO 8601 instant: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with an
 * optional "Z" or "+HH:MM"/"-HH:MM" offset. Without an offset the time is
 * Vietnam local time; a bare date is local midnight. 0 ok, -1 invalid.
 */
int mc_parse_ts(const char *s, int64_t *ts);

/* "YYYY-MM-DD" (out >= 11 bytes). */
void mc_fmt_date(int32_t day, char *out, int outsz);
/* "dd/mm/yyyy" (out >= 11 bytes), the Vietnamese display form. */
void mc_fmt_date_vn(int32_t day, char *out, int outsz);
/* "YYYY-MM-DDTHH:MM:SS+07:00" (out >= 26 bytes). */
void mc_fmt_ts(int64_t ts, char *out, int outsz);

#endif
