/*
 * calendar_int.h - internal layout of struct mc_calendar, shared by the
 * calendar*.c files only. Not part of the public API.
 */
#ifndef MC_DOMAIN_CALENDAR_INT_H
#define MC_DOMAIN_CALENDAR_INT_H

#include <stdint.h>

#include "domain/calendar.h"
#include "util/arena.h"

/* One distinct day description; days point at it by index. */
struct mc_cal_dayinfo {
    uint8_t kind;      /* enum mc_day_kind */
    uint8_t working;   /* 1 if a working day */
    uint8_t announced; /* 1 if from an announcement row */
    const char *code;  /* borrowed from spec or arena; never NULL */
    const char *reason;
    const char *basis;
};

struct mc_calendar {
    int version;
    int64_t effective_from;
    int32_t first, last; /* day numbers resolved */
    int n;               /* last - first + 1 */
    uint16_t *info;      /* [n] index into infos */
    int32_t *cum;        /* [n + 1] working days before index i */
    int32_t *pos;        /* [nwork] index of the k-th working day */
    int nwork;
    struct mc_cal_dayinfo *infos;
    int ninfos, capinfos;
    struct mc_arena arena; /* formatted reasons */
    struct mc_cal_spec spec;
};

/* 1 if day index i (0-based from cal->first) is a working day. */
static inline int
mc_cal_working_at(const struct mc_calendar *cal, int i)
{
    return cal->infos[cal->info[i]].working;
}

/* Vietnamese weekday name: "Thứ Hai" .. "Chủ nhật" (ISO 1..7). */
const char *mc_cal_weekday_vi(int wd);

#endif
