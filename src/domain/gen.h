/*
 * gen.h - the history generator (`motcua gen`): fills a demo database
 * (motcua init --demo) with years of realistic one-stop history through
 * the same domain code the server runs: every dossier is created with
 * mc_dossier_create and moved with mc_dossier_transition at a controlled
 * "now", so its events, step ledger, discipline records and audit chain
 * are exactly what live use would have written.
 *
 * The simulation is event-ordered (a heap of each dossier's next step),
 * so audit records, codes (<agency>-YYMMDD-NNNN) and events appear in time
 * order. Receiving units: the 126 communes since 1/7/2025, before that
 * the 30 districts through a one-stop desk per district (created here as
 * an administrator would), and the departments' desks for provincial
 * procedures. Procedures follow a Zipf-like skew (certification and
 * civil status first); procedures without a limit are first completed as
 * the administrator would (chứng thực and extracts: same day with the
 * 15:00 cut-off; others 3 working days). About 60% online, ~3% with a
 * supplement, ~0.5% rescheduled with an apology, 0.2-2% late, late ones
 * concentrated in a few units and one official there. Deterministic for
 * a given seed, end and size.
 */
#ifndef MC_DOMAIN_GEN_H
#define MC_DOMAIN_GEN_H

#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

struct mc_gen_opts {
    int64_t dossiers;     /* how many to submit (>= 1) */
    int years;            /* history length, 1..6 (default 2) */
    uint64_t seed;
    int64_t end;          /* simulated "now" at the end; 0 = today 00:00 */
    int batch;            /* dossiers per transaction; 0 = those of
                           * about 15 simulated days, >= 20,000 */
    /* 1: the reference path of the equivalence test: every row written
     * as the server writes it, foreign keys and CHECK constraints
     * enforced, rollups upserted on every transition; 0: the fast load:
     * no foreign key or CHECK enforcement (MC_GEN_BULK_UNCHECKED),
     * rollups summed in memory per batch (mc_q_eval_rollup_defer),
     * dossier rows and their state held per batch (mc_q_dossier_hold):
     * same rows, faster */
    int keep_indexes;
    /* fast load only: 1 drops the read-side indexes and builds them once
     * at the end (mc_q_gen_index_defer: cheaper in CPU while the file
     * fits in the page cache); 0 keeps them up to date during the load
     * (no rebuild reading whole tables back from disk; the load inserts
     * near the hot end of every index). `motcua gen` chooses by the
     * file's final size against the memory. */
    int defer_indexes;
    /* 1: the fast load's writes run in the calling thread; 0: on a
     * second thread (mc_db_write_behind), SQLite only */
    int one_thread;
    /* optional progress callback after each commit (borrowed) */
    void (*progress)(void *arg, int64_t done, int64_t total);
    void *progress_arg;
};

struct mc_gen_stats {
    int64_t dossiers, transitions, returned, open, refused, stopped;
    int64_t rejected, online, supplements, intake_supplements;
    int64_t reschedules, late;
    int64_t accounts, units, procedures_completed, commits;
};

/*
 * Generate o->dossiers dossiers into db (a write connection, not inside a
 * transaction, no other connection on the file), committing every
 * o->batch dossiers, with synchronous=OFF, an exclusive lock and an
 * in-memory rollback journal for the load (WAL, FULL and an fsync at the
 * end) and, with o->defer_indexes, the read-side indexes built once at
 * the end (also after an error). A killed run leaves a damaged file:
 * restore a backup or start again. db must hold the demo units,
 * accounts and catalog. MC_EINVAL for bad options, MC_ENOTFOUND when the
 * demo data is missing, or the first domain error (the current batch is
 * rolled back).
 */
int mc_gen_run(struct mc_db *db, const struct mc_gen_opts *o,
               struct mc_gen_stats *st, struct mc_err *err) MC_WUR;

#endif
