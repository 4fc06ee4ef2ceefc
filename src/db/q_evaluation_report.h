/*
 * q_evaluation_report.h - SQL of the evaluation reports: the Decision 766
 * index, TT 01/2018 scoring, rankings and the manual indicators
 * (migrations 009 and 010). Every query is bounded by a unit subtree
 * (unit_path in [lo, hi)) and a period (civil days [from, to]) and runs
 * on an index range: eval_rollup(unit_path, day), dossier_facts(unit_path,
 * finish_day), dossiers(state, due_at) for the open overdue ones,
 * feedback(unit_path, id), eval_manual(unit_path, period); the catalog
 * (procedures) is small.
 */
#ifndef MC_DB_Q_EVALUATION_REPORT_H
#define MC_DB_Q_EVALUATION_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/arena.h"

/* A unit subtree and a period (strings borrowed). */
struct mc_q_scope {
    const char *lo, *hi;     /* unit_path range: lo = the unit's path */
    int32_t from, to;        /* inclusive civil days */
    int64_t now;             /* "still open and overdue" is judged now */
};

/* The system figures of one subtree and period. */
struct mc_q_eval_counts {
    /* eval_rollup sums */
    int64_t received, received_online, finished, on_time, early;
    int64_t finished_online, online_on_time, e_result, digitised;
    int64_t digitised_e_result, supplements, processing_seconds;
    int64_t returned, withdrawn, eval_very, eval_sat, eval_dis;
    /* open dossiers received in the period and overdue now */
    int64_t open_late, open_late_online;
    /* catalog (procedures in force at the unit's level) */
    int64_t catalog_total, catalog_online, online_procs_used;
    /* PAKN received in the period */
    int64_t fb_total, fb_on_time, fb_ok, fb_protracted, fb_dossier;
};

/* The counts of one exact unit path (catalog fields left at 0). */
struct mc_q_path_counts {
    const char *path;
    struct mc_q_eval_counts c;
};

/*
 * The rollup sums, open overdue dossiers and PAKN figures of scope s,
 * grouped by exact unit path (three grouped queries, whatever the number
 * of units): *out (arena a), *n paths.
 */
int mc_q_eval_path_counts(struct mc_db *db, const struct mc_q_scope *s,
                          struct mc_arena *a, struct mc_q_path_counts **out,
                          size_t *n, struct mc_err *err) MC_WUR;

/* A (unit path, procedure code) pair. */
struct mc_q_path_proc {
    const char *path, *code;
};

/*
 * The distinct (unit path, procedure code) pairs of scope s that
 * received an online dossier in the period: *out (arena a), *n.
 */
int mc_q_eval_online_procs(struct mc_db *db, const struct mc_q_scope *s,
                           struct mc_arena *a, struct mc_q_path_proc **out,
                           size_t *n, struct mc_err *err) MC_WUR;

/*
 * Procedures in force at now whose level contains level ("" = all):
 * *total distinct codes, and the codes offered online (partial or full)
 * in *codes (arena a, sorted), *ncodes.
 */
int mc_q_eval_catalog(struct mc_db *db, int64_t now, const char *level,
                      struct mc_arena *a, int64_t *total,
                      const char ***codes, size_t *ncodes,
                      struct mc_err *err) MC_WUR;

/*
 * The paths of the units in [lo, hi) that have a rollup row (any day),
 * sorted: *out (arena a), *n.
 */
int mc_q_eval_paths_with_rows(struct mc_db *db, const char *lo,
                              const char *hi, struct mc_arena *a,
                              const char ***out, size_t *n,
                              struct mc_err *err) MC_WUR;

/*
 * The manual entries of the subtree [lo, hi) for the period label: JSON
 * array of {unit_id, indicator, num, den, note, unit_path} (new
 * reference).
 */
int mc_q_eval_manual_list(struct mc_db *db, const char *lo, const char *hi,
                          const char *period, json_t **out,
                          struct mc_err *err) MC_WUR;

/* One manual entry to store (strings borrowed). */
struct mc_q_manual_row {
    int64_t unit_id;
    const char *unit_path, *period, *indicator, *note;
    int32_t day_from, day_to;
    int64_t num, den, entered_by, at;
};

/* Insert or replace the entry of (unit, period, indicator). */
int mc_q_eval_manual_put(struct mc_db *db, const struct mc_q_manual_row *m,
                         struct mc_err *err) MC_WUR;

/*
 * TT 01/2018 criteria 1, 2, 3, 4, 7 per official over the dossiers that
 * finished in scope s: a JSON array of {official_id (0: none), username,
 * full_name, n, n2, s1, s2, s3, s4, s7} (sums of per-dossier scores; n2
 * dossiers have a criterion 2 score), new reference. The per-dossier
 * score is the citizen's where a citizen judged the criterion (the lowest
 * over the channels), else the system's (see evaluation_tt01.c).
 */
int mc_q_eval_tt01(struct mc_db *db, const struct mc_q_scope *s,
                   json_t **out, struct mc_err *err) MC_WUR;

/*
 * Which dossiers a drill-down lists: a union of parts. facts: dossiers
 * finished in the period whose frozen facts match one of the predicates
 * below; open_late: open dossiers received in the period and overdue now;
 * recv: dossiers received in the period (all, online, not online);
 * eval_dis: dossiers evaluated "dissatisfied" in the period; fb: dossiers
 * named by a PAKN received in the period.
 */
enum mc_q_facts_pred {
    MC_FP_NONE = 0, MC_FP_ALL, MC_FP_ON_TIME, MC_FP_LATE, MC_FP_E_RESULT,
    MC_FP_NO_E_RESULT, MC_FP_DIGITISED, MC_FP_NOT_DIGITISED
};
enum mc_q_recv_pred { MC_RP_NONE = 0, MC_RP_ALL, MC_RP_ONLINE,
                      MC_RP_OFFLINE };
struct mc_q_drill {
    enum mc_q_facts_pred facts;
    int open_late;
    enum mc_q_recv_pred recv;
    int eval_dis, fb;
};

/*
 * One page of the dossiers of set in scope s (a dossier in several parts
 * is listed once per part), newest receipt first: JSON array of
 * {id, code, procedure, status, received_at, finished_at, due_at,
 * on_time} (new reference) and *total.
 */
int mc_q_eval_drill(struct mc_db *db, const struct mc_q_scope *s,
                    const struct mc_q_drill *set, int limit, int offset,
                    json_t **out, int64_t *total,
                    struct mc_err *err) MC_WUR;

#endif
