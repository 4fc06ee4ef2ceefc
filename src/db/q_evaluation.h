/*
 * q_evaluation.h - SQL for citizens' evaluations, frozen dossier facts and
 * the evaluation rollups (migration 009_evaluation).
 */
#ifndef MC_DB_Q_EVALUATION_H
#define MC_DB_Q_EVALUATION_H

#include <jansson.h>

#include "db/db.h"
#include "domain/evaluation.h"

/* A stored evaluation (strings borrowed). */
struct mc_q_eval_row {
    int64_t dossier_id;
    const char *channel;
    int c1, c3, c4, c7;          /* -1 = NULL */
    const char *satisfaction, *comment;
    int64_t unit_id;
    const char *unit_path, *procedure_code;
    int64_t official_id, entered_by, at;
};

/*
 * Insert e: *id. MC_ECONFLICT (409 already_evaluated) when the dossier was
 * already evaluated on that channel.
 */
int mc_q_eval_insert(struct mc_db *db, const struct mc_q_eval_row *e,
                     int64_t *id, struct mc_err *err) MC_WUR;

/* Evaluations of a dossier, oldest first: JSON array (new reference). */
int mc_q_eval_list(struct mc_db *db, int64_t dossier_id, json_t **out,
                   struct mc_err *err) MC_WUR;

/* Key of a civil month in eval_rollup_month: year * 12 + month - 1. */
static inline int32_t
mc_eval_month_key(int y, int m)
{
    return (int32_t)(y * 12 + m - 1);
}

/*
 * Add delta to its rollup rows, the day's and the month's (created at
 * zero when missing).
 */
int mc_q_eval_rollup_add(struct mc_db *db, const struct mc_rollup_delta *d,
                         struct mc_err *err) MC_WUR;

/*
 * Deferred rollups for a bulk load (motcua gen): after
 * mc_q_eval_rollup_defer, mc_q_eval_rollup_add only records the delta in
 * memory; mc_q_eval_rollup_flush (before each commit) sums the deltas of
 * each row and upserts every row once, with the same final values as
 * adding them one by one. A rollback drops the recorded deltas and ends
 * the deferral; mc_q_eval_rollup_undefer ends it (flush first). On a
 * connection that uses savepoints, roll back with
 * mc_q_eval_rollup_rollback_to (below).
 */
int mc_q_eval_rollup_defer(struct mc_db *db, struct mc_err *err) MC_WUR;
int mc_q_eval_rollup_flush(struct mc_db *db, struct mc_err *err) MC_WUR;
void mc_q_eval_rollup_undefer(struct mc_db *db);

/*
 * The same deferral for the batches of the writer thread (writer.c), whose
 * writes each run in a savepoint: one buffer per writer, made by
 * mc_q_eval_rollup_batch_new (*out taken; mc_q_eval_rollup_batch_free
 * releases it, db borrowed, may be NULL). Each batch:
 * mc_q_eval_rollup_batch_begin (empties it, defers db's rollups into it);
 * per write, mark = mc_q_eval_rollup_mark (deltas so far) and, if the
 * write fails, mc_q_eval_rollup_rollback_to(db, savepoint, mark) instead
 * of mc_db_rollback_to: it drops that write's deltas only and keeps the
 * deferral; before COMMIT mc_q_eval_rollup_batch_flush upserts the sums.
 * A rollback the writer does not see (mc_db_rollback_to inside a write)
 * ends the deferral for the rest of the batch: later deltas are upserted
 * at once, earlier ones stay recorded; so a write that rolls back a
 * savepoint of its own must not record rollup deltas inside it (none
 * does: the catalog's dry run). A full rollback ends the batch.
 */
struct mc_rollup_buf;
int mc_q_eval_rollup_batch_new(struct mc_rollup_buf **out,
                               struct mc_err *err) MC_WUR;
void mc_q_eval_rollup_batch_begin(struct mc_db *db,
                                  struct mc_rollup_buf *rb);
size_t mc_q_eval_rollup_mark(struct mc_db *db);
void mc_q_eval_rollup_rollback_to(struct mc_db *db, const char *savepoint,
                                  size_t mark);
int mc_q_eval_rollup_batch_flush(struct mc_db *db, struct mc_rollup_buf *rb,
                                 struct mc_err *err) MC_WUR;
void mc_q_eval_rollup_batch_free(struct mc_db *db, struct mc_rollup_buf *rb);

/*
 * Insert the frozen facts of a finished dossier (MC_ECONFLICT if any).
 * While the generator holds dossier rows (mc_q_dossier_hold) the row is
 * kept, with its c2 from mc_q_eval_step_score still to compute, and
 * written by mc_q_dossier_flush, which reads the scores of the batch's
 * finished dossiers together; a conflict shows at the flush.
 */
int mc_q_eval_facts_insert(struct mc_db *db, const struct mc_eval_facts *f,
                           struct mc_err *err) MC_WUR;

/*
 * Attachments of a dossier: *files = all, *e_result = 1 when an official
 * (not the applicant) attached a file outside the procedure's components
 * (a result document).
 */
int mc_q_eval_files(struct mc_db *db, int64_t dossier_id,
                    int64_t applicant_id, int64_t *files, int *e_result,
                    struct mc_err *err) MC_WUR;

/*
 * TT 01/2018 criterion 2 of a finishing dossier from its step ledger
 * (steps left at or before finished_at): *c2 = 0 when one was late, 2
 * when all were early, 1 otherwise, -1 when none was closed. While the
 * generator holds dossier rows, *c2 = -1 here and the held facts row
 * gets its score at the flush (mc_q_eval_facts_insert).
 */
int mc_q_eval_step_score(struct mc_db *db, int64_t dossier_id,
                         int64_t finished_at, int *c2,
                         struct mc_err *err) MC_WUR;

/*
 * Rows of eval_rollup that differ from a recomputation from raw data,
 * plus rows of eval_rollup_month that differ from eval_rollup summed by
 * month.
 */
int mc_q_eval_rollup_diff(struct mc_db *db, int64_t *mismatches,
                          struct mc_err *err) MC_WUR;

#endif
