/*
 * lunar.h - the Vietnamese lunar calendar (âm lịch).
 *
 * Computed, not tabulated: Hồ Ngọc Đức's astronomical method (new moons
 * and the sun's longitude after Jean Meeus) evaluated at a time zone,
 * UTC+7 for Vietnam. The Chinese calendar is the same method at UTC+8 and
 * differs in some years (Tết 2030 is 2 February in Vietnam, 3 February in
 * China), so the zone is a parameter of the _tz variants.
 *
 * A lunar month starts on the local day of a new moon; month 11 contains
 * the winter solstice; a lunar year with 13 months repeats (as a leap
 * month, tháng nhuận) the first month without a major solar term.
 *
 * Supported (and tested) range: solar dates 1800-01-01 .. 2199-12-31.
 * Functions are pure and thread-safe.
 */
#ifndef MC_DOMAIN_LUNAR_H
#define MC_DOMAIN_LUNAR_H

#include <stdint.h>

#include "util/err.h"

/* Vietnam's zone in hours, the default of the non-_tz functions. */
#define MC_LUNAR_TZ_VN 7.0

struct mc_lunar {
    int day;   /* 1..30 */
    int month; /* 1..12 */
    int year;  /* lunar year, numbered as the solar year of its Tết */
    int leap;  /* 1 inside a leap month (tháng nhuận) */
};

/* First and last supported solar day numbers (days since 1970-01-01). */
int32_t mc_lunar_first_day(void);
int32_t mc_lunar_last_day(void);

/*
 * Lunar date of the solar day `day` at UTC+7. Returns 0, or MC_EINVAL when
 * day is outside the supported range (*out untouched). out borrowed.
 */
int mc_lunar_from_solar(int32_t day, struct mc_lunar *out) MC_WUR;

/*
 * Solar day of a lunar date at UTC+7. Returns 0, or MC_EINVAL when the
 * lunar date does not exist: day beyond the month's length (29 or 30),
 * leap set for a month that is not leap that year, or a result outside the
 * supported range. l borrowed.
 */
int mc_lunar_to_solar(const struct mc_lunar *l, int32_t *day) MC_WUR;

/* The same at an arbitrary zone tz (hours east of UTC, e.g. 8.0). */
int mc_lunar_from_solar_tz(int32_t day, double tz,
                           struct mc_lunar *out) MC_WUR;
int mc_lunar_to_solar_tz(const struct mc_lunar *l, double tz,
                         int32_t *day) MC_WUR;

/*
 * Leap month (1..12) of the lunar year that begins at Tết of `year`, or 0
 * if that lunar year has 12 months. MC_EINVAL outside 1800..2199.
 */
int mc_lunar_leap_month(int year, int *month) MC_WUR;

/* Number of days (29 or 30) of a lunar month; MC_EINVAL if none. */
int mc_lunar_month_days(int year, int month, int leap, int *ndays) MC_WUR;

/*
 * Parse "D/M/YYYY" or "D/M/YYYY leap" into *l (l borrowed). Checks the
 * field ranges only; existence is checked by mc_lunar_to_solar.
 * 0 or MC_EINVAL.
 */
int mc_lunar_parse(const char *s, struct mc_lunar *l) MC_WUR;

/* "D/M/YYYY" plus " leap" for a leap month (out >= 24 bytes). */
void mc_lunar_format(const struct mc_lunar *l, char *out, int outsz);

#endif
