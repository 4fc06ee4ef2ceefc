/*
 * q_gen.h - the few queries of the history generator (domain/gen.c):
 * bulk-load durability, the latest catalog, every unit, account ids by
 * username, and the first component of a procedure version.
 */
#ifndef MC_DB_Q_GEN_H
#define MC_DB_Q_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/err.h"

/* A latest procedure version (strings in the caller's arena). */
struct mc_gen_proc {
    const char *code, *field, *level;
    int incomplete;
};

/* A unit as the generator needs it (strings in the caller's arena). */
struct mc_gen_unit {
    int64_t id, parent_id;
    const char *code, *kind, *path, *name;
    int64_t valid_from, valid_to;
};

/*
 * Bulk-load mode of a write connection, for the rest of its life:
 * mode MC_GEN_BULK trades durability for speed (SQLite: synchronous=OFF,
 * exclusive lock, rollback journal in memory instead of the WAL;
 * PostgreSQL: synchronous_commit=off); MC_GEN_BULK_UNCHECKED also stops
 * SQLite from checking foreign keys and CHECK constraints (for a load
 * whose rows are proved equal to a checked load's by a test); 0 restores
 * the default (SQLite: checks, WAL, normal locking, FULL, then an fsync
 * of the file; PostgreSQL: on). Call outside a transaction, with no other
 * connection on the file.
 */
enum { MC_GEN_BULK = 1, MC_GEN_BULK_UNCHECKED = 2 };
int mc_q_gen_bulk(struct mc_db *db, int mode, struct mc_err *err) MC_WUR;

/* The deferred indexes of mc_q_gen_index_defer (strings in an arena). */
#define MC_GEN_MAX_INDEXES 32
struct mc_gen_indexes {
    const char *sql[MC_GEN_MAX_INDEXES]; /* their CREATE INDEX statements */
    size_t n;
};

/*
 * Bulk index build for a long load: drop the secondary indexes that only
 * the read side uses (lists, queues, dashboards, the sweep; none of the
 * statements of the lifecycle reads them), keeping their definitions in
 * *ix (arena a). mc_q_gen_index_restore then builds each once, from
 * sorted keys, instead of updating it on every row change. SQLite only:
 * on PostgreSQL ix->n = 0 and nothing is dropped. Outside a transaction.
 */
int mc_q_gen_index_defer(struct mc_db *db, struct mc_arena *a,
                         struct mc_gen_indexes *ix,
                         struct mc_err *err) MC_WUR;
/* Create the indexes of ix again (CREATE INDEX IF NOT EXISTS). */
int mc_q_gen_index_restore(struct mc_db *db, const struct mc_gen_indexes *ix,
                           struct mc_err *err) MC_WUR;

/* Latest versions of every active procedure, by code. *out in arena a. */
int mc_q_gen_procs(struct mc_db *db, struct mc_arena *a,
                   struct mc_gen_proc **out, size_t *n,
                   struct mc_err *err) MC_WUR;

/* Every unit, by id. *out in arena a. */
int mc_q_gen_units(struct mc_db *db, struct mc_arena *a,
                   struct mc_gen_unit **out, size_t *n,
                   struct mc_err *err) MC_WUR;

/* Account id of username into *id; MC_ENOTFOUND when absent. */
int mc_q_gen_account_id(struct mc_db *db, const char *username, int64_t *id,
                        struct mc_err *err) MC_WUR;

/*
 * Id of the first component of the procedure version in force for code
 * at instant at into *id (0 when it has none), and the span [*lo, *hi)
 * around at in which no version of code begins or ends, so the answer
 * holds for every instant in it (*hi INT64_MAX: no later boundary).
 */
int mc_q_gen_component(struct mc_db *db, const char *code, int64_t at,
                       int64_t *id, int64_t *lo, int64_t *hi,
                       struct mc_err *err) MC_WUR;

#endif
