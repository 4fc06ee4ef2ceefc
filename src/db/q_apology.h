/*
 * q_apology.h - SQL for apologies and the ledger statistics the forecast
 * uses (migration 006_apology).
 */
#ifndef MC_DB_Q_APOLOGY_H
#define MC_DB_Q_APOLOGY_H

#include <jansson.h>

#include "db/db.h"
#include "db/q_discipline.h"
#include "domain/apology.h"
#include "util/arena.h"

/* Insert ap unless (dossier, due_at) exists: *id = 0 then. */
int mc_q_apology_insert(struct mc_db *db, const struct mc_apology *ap,
                        int64_t *id, struct mc_err *err) MC_WUR;
/* 1 in *exists when an apology for (dossier_id, due_at) exists. */
int mc_q_apology_exists(struct mc_db *db, int64_t dossier_id, int64_t due_at,
                        int *exists, struct mc_err *err) MC_WUR;
/* One apology (strings in a). 404 MC_ENOTFOUND if none. */
int mc_q_apology_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                     struct mc_apology *out, struct mc_err *err) MC_WUR;
/*
 * Decide a draft: state approved/dismissed, with reason (also stored as
 * the apology's reason) and new_date (NULL for a dismissal). 409
 * already_decided when it is no longer a draft.
 */
int mc_q_apology_decide(struct mc_db *db, int64_t id, const char *state,
                        int64_t by, int64_t at, const char *reason,
                        const char *new_date, struct mc_err *err) MC_WUR;
/* Apologies in scope and unit range u, filtered; newest first. */
int mc_q_apology_list(struct mc_db *db, const struct mc_q_range *scope,
                      const struct mc_q_range *u,
                      const struct mc_apology_filter *f, struct mc_arena *a,
                      struct mc_apology **out, int *n, int64_t *total,
                      struct mc_err *err) MC_WUR;
/*
 * Apologies created in [from, to) in range r, per unit:
 * [{unit_id, name, code, draft, approved, dismissed, count}].
 */
int mc_q_apology_counts(struct mc_db *db, const struct mc_q_range *r,
                        int64_t from, int64_t to, json_t **by_unit,
                        int64_t *total, struct mc_err *err) MC_WUR;
/*
 * The last max finished ledger steps (step number step_seq) of dossiers
 * of the procedure code of version procedure_id: arrived_at and left_at
 * pairs into *pairs (2 * *n values, arena a), newest first. Fast for
 * a common and a rare procedure alike (the plan follows a bounded count).
 */
int mc_q_step_samples(struct mc_db *db, int64_t procedure_id, int step_seq,
                      int max, struct mc_arena *a, int64_t **pairs, int *n,
                      struct mc_err *err) MC_WUR;
/*
 * The same with the plan forced (tests: both give the same rows): rare 1
 * reads the procedure's dossiers, 0 walks the finished steps by date.
 */
int mc_q_step_samples_plan(struct mc_db *db, int64_t procedure_id,
                           int step_seq, int max, int rare,
                           struct mc_arena *a, int64_t **pairs, int *n,
                           struct mc_err *err) MC_WUR;
/* arrived_at of the dossier's open ledger step; 0 when none is open. */
int mc_q_open_step_arrived(struct mc_db *db, int64_t dossier_id,
                           int64_t *arrived, struct mc_err *err) MC_WUR;

#endif
