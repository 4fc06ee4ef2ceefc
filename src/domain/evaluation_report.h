/*
 * evaluation_report.h - the evaluation reports of issue 5 over a unit
 * subtree and a period (util/period.h): the Decision 766 index with its
 * drill-down and the administrator's manual indicators, TT 01/2018
 * scoring of the unit and its officials, rankings of units, and the unit
 * scorecard; each also as an XLSX table. JSON shapes: docs/openapi.json
 * (docs/openapi.json).
 *
 * Every figure comes from the incremental rollups (eval_rollup), the
 * frozen facts (dossier_facts), the catalog, the PAKN table and the
 * manual entries, over index ranges (unit_path prefix + day range); the
 * dossiers table is only read for the open overdue dossiers (by state and
 * due date) and for drill-down pages.
 *
 * Scoping (every entry point): leaders see their unit's subtree,
 * inspectors and administrators everything, desk officers and specialists
 * their own unit only; 403 out_of_scope otherwise.
 */
#ifndef MC_DOMAIN_EVALUATION_REPORT_H
#define MC_DOMAIN_EVALUATION_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "db/q_evaluation_report.h"
#include "db/q_units.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/period.h"

/* Default minimum sample (dossiers) for a unit to be ranked. */
#define MC_EVAL_MIN_SAMPLE 30

/* A resolved unit subtree and period. */
struct mc_eval_target {
    struct mc_unit unit;
    char hi[MC_UNIT_PATH_LEN];   /* end of the path range (exclusive) */
    struct mc_period period;
    int64_t now;
};

/*
 * Resolve the query parameters unit (decimal id; NULL/"" = the actor's
 * own unit for officials, the root for inspectors/administrators) and
 * period (NULL/"" = the current month) for actor: 400 bad_unit /
 * bad_period, 404 unknown unit, 403 out_of_scope. Strings borrowed.
 */
int mc_eval_target(struct mc_db *db, const struct mc_actor *actor,
                   const char *unit, const char *period, int64_t now,
                   struct mc_eval_target *t, struct mc_err *err) MC_WUR;

/* One Decision 766 indicator (from data/evaluation/, static lifetime). */
struct mc_766_def {
    char id[8];
    int group;                   /* 1..5 */
    const char *group_name, *name, *formula;
    double max, threshold;       /* threshold 0..1 */
    int manual;                  /* 1: entered by an administrator */
};

/* The indicator table (loaded once): *n entries, or MC_EINVAL. */
int mc_766_defs(const struct mc_766_def **defs, int *n,
                struct mc_err *err) MC_WUR;
/* The definition of id, NULL if unknown (after a successful load). */
const struct mc_766_def *mc_766_def(const char *id);

/*
 * Pure: numerator and denominator of system indicator id from the counts
 * (formulas in evaluation_766.c). 0 when id is not a system indicator.
 */
int mc_766_system_value(const char *id, const struct mc_q_eval_counts *c,
                        int64_t *num, int64_t *den);

/*
 * Pure: TT 01 criterion 9 from the online share of received dossiers,
 * any overdue online dossier and the procedures offered online (level
 * 3/4 = partial/full) at the unit's level: 2 when >= 20% of procedures
 * are online, >= 30% of dossiers came online and none is overdue; 1 when
 * some procedure is online, 15-<30% online and none overdue; else 0;
 * -1 without received dossiers.
 */
int mc_tt01_online_delivery(int64_t online, int64_t total,
                            int overdue_online, int64_t procs_online,
                            int64_t procs_total);

/* The 766 index of t as JSON (docs/openapi.json), new reference in *out. */
int mc_eval_766(struct mc_db *db, const struct mc_eval_target *t,
                struct mc_arena *a, json_t **out, struct mc_err *err) MC_WUR;

/*
 * Drill-down: the dossiers behind part ("num", "den", "miss") of
 * indicator: {"items":[...],"total":N}. 422 unknown_indicator /
 * no_drill, 400 bad_part.
 */
int mc_eval_766_dossiers(struct mc_db *db, const struct mc_eval_target *t,
                         const char *indicator, const char *part, int limit,
                         int offset, json_t **out,
                         struct mc_err *err) MC_WUR;

/* TT 01/2018 scoring of t's unit and its officials (docs/openapi.json). */
int mc_eval_tt01(struct mc_db *db, const struct mc_eval_target *t,
                 struct mc_arena *a, json_t **out, struct mc_err *err) MC_WUR;

/* Ranking request (strings borrowed). */
struct mc_eval_rank_in {
    const char *parent, *period, *by, *level;  /* NULL = defaults */
    int64_t min_sample;
};

/*
 * Rank the direct children of parent that receive dossiers (or, with
 * level commune|department|all, every unit of that kind in its subtree)
 * by the 766 total or group: docs/openapi.json. 400 bad_by / bad_level.
 */
int mc_eval_ranking(struct mc_db *db, const struct mc_actor *actor,
                    const struct mc_eval_rank_in *in, int64_t now,
                    struct mc_arena *a, json_t **out,
                    struct mc_err *err) MC_WUR;

/*
 * The scorecard of t: {unit, period, i766, tt01, satisfaction, tasks}; tasks
 * = the unit's own directive tasks with their original deadline in the
 * period (mc_tasks_unit_rate), rates null when it has none.
 */
int mc_eval_scorecard(struct mc_db *db, const struct mc_eval_target *t,
                      struct mc_arena *a, json_t **out,
                      struct mc_err *err) MC_WUR;

/* A manual indicator entry (strings borrowed). */
struct mc_eval_manual_in {
    int64_t unit_id;
    const char *period, *indicator, *note;
    int64_t num, den;
};

/* Context of the manual write (run via mc_http_write / mc_writer_run). */
struct mc_eval_manual_wctx {
    const struct mc_actor *actor;
    int64_t now;
    const struct mc_eval_manual_in *in;
    json_t *out;                 /* the stored entry (new reference) */
};

/*
 * Store (replace) the administrator's value of an external indicator for
 * a unit and period, with an audit record. 403 not an administrator; 422
 * unknown_unit, unknown_indicator, not_external (a system indicator),
 * bad_ratio (num > den); 400 bad_period.
 */
int mc_eval_manual_put(struct mc_db *db, struct mc_eval_manual_wctx *ctx,
                       struct mc_err *err) MC_WUR;

/*
 * An .xlsx of a report built by the functions above (borrowed): kind is
 * "766", "766_dossiers", "tt01", "ranking" or "scorecard". Bytes appended
 * to out.
 */
int mc_eval_xlsx(const char *kind, json_t *report, struct mc_buf *out,
                 struct mc_err *err) MC_WUR;

#endif
