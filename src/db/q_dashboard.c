/*
 * q_dashboard.c - SQL of the leadership dashboard (see q_dashboard.h).
 */
#include "db/q_dashboard.h"
#include "db/q_evaluation.h"

#include <string.h>

#include "util/mctime.h"

/*
 * Two texts of one query: the planner is steered by making one of the
 * two range columns unusable for an index (day + 0, unit_path || ''),
 * which works the same on SQLite and PostgreSQL.
 */
#define TREND_COLS                                                         \
    "SELECT month, SUM(received), SUM(received_online), SUM(finished), "  \
    "SUM(finished_on_time) FROM eval_rollup_month WHERE "
#define TREND_WIDE                                                         \
    TREND_COLS "month >= ? AND month <= ? AND unit_path || '' >= ? AND "  \
               "unit_path || '' < ? GROUP BY month ORDER BY month"
#define TREND_NARROW                                                       \
    TREND_COLS "month + 0 >= ? AND month + 0 <= ? AND unit_path >= ? AND " \
               "unit_path < ? GROUP BY month ORDER BY month"

/* first day of a month key (mc_eval_month_key) */
static int32_t
month_day(int64_t key)
{
    return mc_days_from_civil((int)(key / 12), (int)(key % 12) + 1, 1);
}

int
mc_q_dash_trend(struct mc_db *db, const char *lo, const char *hi, int wide,
                int32_t from, int32_t to, struct mc_arena *a,
                struct mc_q_dash_day **out, int *n, struct mc_err *err)
{
    struct mc_stmt *st;
    struct mc_q_dash_day *rows;
    int y, m, d, cap, k = 0, rc;
    int32_t m0, m1;

    *out = NULL;
    *n = 0;
    if (to < from) {
        return MC_OK;
    }
    mc_civil_from_days(from, &y, &m, &d);
    m0 = mc_eval_month_key(y, m);
    mc_civil_from_days(to, &y, &m, &d);
    m1 = mc_eval_month_key(y, m);
    cap = m1 - m0 + 1;
    rows = mc_arena_zalloc(a, (size_t)cap * sizeof(*rows));
    if (rows == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(db, wide ? TREND_WIDE : TREND_NARROW, err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "IItt", (int)m0, (int)m1, lo, hi);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW && k < cap) {
        rows[k].day = month_day(mc_stmt_i64(st, 0));
        rows[k].received = mc_stmt_i64(st, 1);
        rows[k].received_online = mc_stmt_i64(st, 2);
        rows[k].finished = mc_stmt_i64(st, 3);
        rows[k].on_time = mc_stmt_i64(st, 4);
        k++;
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    *out = rows;
    *n = k;
    return MC_OK;
}

#define STEP_OFFICIAL "COALESCE(s.finished_by, s.holder_id)"

int
mc_q_dash_steps(struct mc_db *db, const char *lo, const char *hi,
                int64_t from_ts, int64_t to_ts, int limit, struct mc_arena *a,
                struct mc_q_dash_step **out, int *n, struct mc_err *err)
{
    struct mc_stmt *st;
    struct mc_q_dash_step *rows;
    int k = 0, rc;

    *out = NULL;
    *n = 0;
    rows = mc_arena_zalloc(a, (size_t)(limit > 0 ? limit : 1) *
                                  sizeof(*rows));
    if (rows == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(
        db,
        "SELECT s.name, s.unit_id, u.code, u.name, " STEP_OFFICIAL
        ", a.full_name, COUNT(*), SUM(CASE WHEN s.outcome = 'late' THEN 1 "
        "ELSE 0 END), SUM(CASE WHEN s.outcome = 'late' AND s.left_at > "
        "s.due_at THEN s.left_at - s.due_at ELSE 0 END) FROM dossier_steps "
        "s JOIN units u ON u.id = s.unit_id LEFT JOIN accounts a ON a.id = "
        STEP_OFFICIAL " WHERE s.left_at >= ? AND s.left_at < ? AND "
        "s.outcome IS NOT NULL AND u.path >= ? AND u.path < ? GROUP BY "
        "s.name, s.unit_id, u.code, u.name, " STEP_OFFICIAL ", a.full_name "
        "HAVING SUM(CASE WHEN s.outcome = 'late' THEN 1 ELSE 0 END) > 0 "
        "ORDER BY 9 DESC, 8 DESC, 1, 2, 5 LIMIT ?",
        err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "iittI", from_ts, to_ts, lo, hi, limit);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW && k < limit) {
        struct mc_q_dash_step *s = &rows[k];

        s->step = mc_stmt_strdup(a, st, 0);
        s->unit_id = mc_stmt_i64(st, 1);
        s->unit_code = mc_stmt_strdup(a, st, 2);
        s->unit_name = mc_stmt_strdup(a, st, 3);
        s->official_id = mc_stmt_i64(st, 4);
        s->official_name = mc_stmt_strdup(a, st, 5);
        s->steps = mc_stmt_i64(st, 6);
        s->late = mc_stmt_i64(st, 7);
        s->delay_seconds = mc_stmt_i64(st, 8);
        if (s->step == NULL || s->unit_code == NULL ||
            s->unit_name == NULL) {
            rc = MC_ENOMEM;
            break;
        }
        k++;
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    *out = rows;
    *n = k;
    return MC_OK;
}

int
mc_q_dash_near_due(struct mc_db *db, const char *lo, const char *hi,
                   int64_t until, int limit, struct mc_arena *a,
                   struct mc_q_dash_due **out, int *n, struct mc_err *err)
{
    struct mc_stmt *st;
    struct mc_q_dash_due *rows;
    int k = 0, rc;

    *out = NULL;
    *n = 0;
    rows = mc_arena_zalloc(a, (size_t)(limit > 0 ? limit : 1) *
                                  sizeof(*rows));
    if (rows == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(
        db,
        "SELECT d.id, d.code, p.name, d.state, d.assignee_id, a.full_name, "
        "d.due_at FROM dossiers d JOIN procedures p ON p.id = "
        "d.procedure_id LEFT JOIN accounts a ON a.id = d.assignee_id WHERE "
        "d.unit_path >= ? AND d.unit_path < ? AND d.due_at <= ? AND "
        "d.paused_at IS NULL AND d.state IN ('received', 'processing', "
        "'financial', 'consulting', 'pending_approval') ORDER BY d.due_at, "
        "d.id LIMIT ?",
        err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ttiI", lo, hi, until, limit);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW && k < limit) {
        struct mc_q_dash_due *d = &rows[k];

        d->id = mc_stmt_i64(st, 0);
        d->code = mc_stmt_strdup(a, st, 1);
        d->procedure = mc_stmt_strdup(a, st, 2);
        d->state = mc_stmt_strdup(a, st, 3);
        d->holder_id = mc_stmt_i64(st, 4);
        d->holder_name = mc_stmt_strdup(a, st, 5);
        d->due_at = mc_stmt_i64(st, 6);
        if (d->procedure == NULL || d->state == NULL) {
            rc = MC_ENOMEM;
            break;
        }
        k++;
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    *out = rows;
    *n = k;
    return MC_OK;
}
