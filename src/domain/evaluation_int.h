/*
 * evaluation_int.h - shared between the evaluation report files
 * (evaluation_766.c, evaluation_tt01.c, evaluation_rank.c); not part of
 * the domain interface.
 */
#ifndef MC_DOMAIN_EVALUATION_INT_H
#define MC_DOMAIN_EVALUATION_INT_H

#include "domain/evaluation_report.h"

/* {"id","code","name"} of u; new reference. */
json_t *mc_eval_unit_json(const struct mc_unit *u);
/* {"label","from","to"} of p; new reference. */
json_t *mc_eval_period_json(const struct mc_period *p);
/*
 * The per-path figures of a subtree and period, loaded once (three
 * grouped queries + the online procedure pairs), from which the counts
 * of any unit of the subtree are summed in memory (rankings).
 */
struct mc_eval_data {
    struct mc_db *db;
    struct mc_arena *a;
    int64_t now;
    struct mc_q_path_counts *paths;
    size_t npaths;
    struct mc_q_path_proc *pp;
    size_t npp;
    struct {
        const char *level;
        int64_t total;
        const char **codes;      /* online codes, sorted */
        size_t n;
    } cat[6];
    int ncat;
    json_t *manual;              /* manual entries of the subtree (owned) */
};

/* Load the data of t's subtree and period (arena a); release with
 * json_decref(d->manual). */
int mc_eval_data_load(struct mc_db *db, const struct mc_eval_target *t,
                      struct mc_arena *a, struct mc_eval_data *d,
                      struct mc_err *err) MC_WUR;
/* The counts of unit u (in the loaded subtree) into *c. */
int mc_eval_data_counts(struct mc_eval_data *d, const struct mc_unit *u,
                        struct mc_q_eval_counts *c,
                        struct mc_err *err) MC_WUR;
/* The system counts of t (load + counts). */
int mc_eval_counts(struct mc_db *db, const struct mc_eval_target *t,
                   struct mc_arena *a, struct mc_q_eval_counts *c,
                   struct mc_err *err) MC_WUR;
/*
 * The 766 index of t from counts c (borrowed) and the manual entries
 * (mc_q_eval_manual_list of t's subtree or of an ancestor's; NULL = load
 * them); *out new reference.
 */
int mc_eval_766_build(struct mc_db *db, const struct mc_eval_target *t,
                      const struct mc_q_eval_counts *c, json_t *manual,
                      json_t **out, struct mc_err *err) MC_WUR;
/*
 * The manual value of indicator ind for unit u from rows (as
 * mc_q_eval_manual_list returns them for a subtree holding u, and the
 * period): u's own entry, else the sum of the entries of u's subtree; *n =
 * entries used (0: missing); *note = the own entry's note or NULL
 * (borrowed from rows).
 */
void mc_eval_manual_value(json_t *rows, const struct mc_unit *u,
                          const char *ind,
                          int64_t *num, int64_t *den, int64_t *n,
                          const char **note);
/*
 * The 766 points of t from counts c and the manual entries (as for
 * mc_eval_766_build, not NULL) without building the JSON: groups[0..4]
 * (has[g] = 0: no data), *total. Same rounding as the index.
 */
int mc_eval_766_points(const struct mc_eval_target *t, json_t *manual,
                       const struct mc_q_eval_counts *c, double groups[5],
                       int has[5], double *total, struct mc_err *err) MC_WUR;
/* The query scope (path range, days, now) of t. */
void mc_eval_scope_of(const struct mc_eval_target *t, struct mc_q_scope *s);
/* The unit t as a target of its own (same period and now). */
void mc_eval_target_of(struct mc_eval_target *t, const struct mc_unit *u);

#endif
