/*
 * q_dashboard.h - SQL of the leadership dashboard: the on-time trend from
 * the evaluation rollups (009, 013), the worst hand-over steps from the
 * step ledger (004 dossier_steps) and the open dossiers near their due
 * instant (004 dossiers_unit_due).
 *
 * Unit scope is a unit_path prefix range [lo, hi) ("/1/5/" .. "/1/50").
 */
#ifndef MC_DB_Q_DASHBOARD_H
#define MC_DB_Q_DASHBOARD_H

#include <stdint.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/err.h"

/* Rollup sums of one civil day. */
struct mc_q_dash_day {
    int32_t day;
    int64_t received, received_online, finished, on_time;
};

/*
 * Sums of eval_rollup_month per month over the months of the civil days
 * [from, to] for the units whose path is in [lo, hi), ordered by month;
 * each row's day is the first day of its month. wide = 1 when the range
 * is a whole tree (a root): the scan then walks the months (index
 * eval_rollup_month_trend); otherwise it walks the subtree's paths.
 * *out (arena a, *n entries, months without rows omitted).
 */
int mc_q_dash_trend(struct mc_db *db, const char *lo, const char *hi,
                    int wide, int32_t from, int32_t to, struct mc_arena *a,
                    struct mc_q_dash_day **out, int *n,
                    struct mc_err *err) MC_WUR;

/* One group of ledger steps: same step name, unit and official. */
struct mc_q_dash_step {
    const char *step;               /* arena */
    int64_t unit_id;
    const char *unit_code, *unit_name;
    int64_t official_id;            /* 0: nobody held it */
    const char *official_name;      /* NULL when official_id is 0 */
    int64_t steps, late, delay_seconds;
};

/*
 * Ledger steps handed over (left_at) in [from_ts, to_ts) in units whose
 * path is in [lo, hi), grouped by step name, unit and official (the one
 * who finished it, else the holder); only groups with a late step, worst
 * total delay first, at most limit. *out in arena a.
 */
int mc_q_dash_steps(struct mc_db *db, const char *lo, const char *hi,
                    int64_t from_ts, int64_t to_ts, int limit,
                    struct mc_arena *a, struct mc_q_dash_step **out, int *n,
                    struct mc_err *err) MC_WUR;

/* An open dossier near its due instant. */
struct mc_q_dash_due {
    int64_t id;
    const char *code, *procedure, *state; /* arena */
    int64_t holder_id;                    /* 0: unassigned */
    const char *holder_name;
    int64_t due_at;
};

/*
 * Running dossiers (received .. pending_approval, clock not paused) of
 * units whose path is in [lo, hi) with due_at <= until, earliest first,
 * at most limit. *out in arena a.
 */
int mc_q_dash_near_due(struct mc_db *db, const char *lo, const char *hi,
                       int64_t until, int limit, struct mc_arena *a,
                       struct mc_q_dash_due **out, int *n,
                       struct mc_err *err) MC_WUR;

#endif
