/*
 * q_memo.h - the per-connection memo of rows that statements of src/db
 * may serve without reading them again (one per connection, kept by
 * mc_db_memo and dropped on every rollback, since a rolled-back insert
 * could reuse an id). Internal to src/db.
 *
 * - Procedure versions by id (mc_q_proc_version), on every connection: a
 *   stored version never changes but for effective_to and active.
 * - During the generator's fast load only (while dossier rows are held,
 *   mc_q_dossier_hold), rows that do not change during the load: units
 *   and accounts by id, and the versions of a procedure code (id,
 *   effective dates, active) for mc_q_proc_in_force. Elsewhere these are
 *   read every time, since the server changes them.
 */
#ifndef MC_DB_Q_MEMO_H
#define MC_DB_Q_MEMO_H

#include "db/db.h"
#include "db/q_catalog.h"
#include "util/arena.h"

#define MC_Q_PROC_MEMO_MAX 512

struct mc_q_memo_ent;

struct mc_q_memo {
    struct mc_arena a; /* the versions' strings and arrays, the rows */
    size_t n;
    struct mc_procedure p[MC_Q_PROC_MEMO_MAX];
    struct mc_q_memo_ent *tab; /* load-only rows, open addressing */
    size_t tn, tcap;
};

/* The memo of db, created on first use; NULL when out of memory. */
struct mc_q_memo *mc_q_memo(struct mc_db *db);

/* Kinds of load-only rows. */
enum { MC_Q_MEMO_UNIT = 1, MC_Q_MEMO_ACCOUNT, MC_Q_MEMO_VERSIONS };

/*
 * The memoised row of this kind and id (key: a text key instead, e.g. a
 * procedure code, with id 0), borrowed from the memo until the next
 * rollback; NULL when not memoised or outside the fast load.
 */
const void *mc_q_memo_row(struct mc_db *db, int kind, int64_t id,
                          const char *key);
/*
 * Memoise a copy of row (size bytes, borrowed) under kind and id or key,
 * during the fast load only (else nothing). MC_OK, or MC_ENOMEM: then
 * nothing is memoised and the caller's answer stands.
 */
int mc_q_memo_row_put(struct mc_db *db, int kind, int64_t id,
                      const char *key, const void *row, size_t size);

/* Forget the load-only rows (a load starts: they are read again). */
void mc_q_memo_rows_drop(struct mc_db *db);

#endif
