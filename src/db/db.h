/*
 * db.h - the one portable database interface.
 *
 * Everything above src/db talks to the database through this header and
 * the query modules (src/db/q_*.h). SQL text lives only in src/db; it is
 * written in the portable subset shared by SQLite 3.40 and PostgreSQL 15
 * (RETURNING, ON CONFLICT ... DO UPDATE, CTEs) with '?' placeholders; a
 * backend rewrites what differs (placeholders, type names, STRICT).
 *
 * Connections are not thread-safe: one thread uses a connection at a time.
 * Readers borrow a connection from a struct mc_dbpool; every write goes
 * through struct mc_writer (db/writer.h), which runs write functions inside
 * group-committed transactions on its own connection.
 */
#ifndef MC_DB_DB_H
#define MC_DB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

struct mc_db;   /* one connection */
struct mc_stmt; /* prepared statement, owned by its connection */

enum mc_db_kind { MC_DB_SQLITE = 1, MC_DB_PG = 2 };

/* Return values of mc_stmt_step besides negative errors. */
#define MC_DB_DONE 0
#define MC_DB_ROW 1

/* Durability and role of a connection (see mc_db_open). */
enum mc_db_mode { MC_DB_READ = 0, MC_DB_WRITE = 1 };

/*
 * Open a connection. url is "sqlite:PATH", a plain file path (SQLite), or
 * "postgres://..." / "postgresql://...". The SQLite file is created when
 * mode is MC_DB_WRITE. Write connections use WAL with synchronous=FULL, so
 * a committed transaction is durable. *out owned by caller (mc_db_close).
 */
int mc_db_open(const char *url, enum mc_db_mode mode, struct mc_db **out,
               struct mc_err *err) MC_WUR;
/* Close and free (NULL is fine). Finalises cached statements. */
void mc_db_close(struct mc_db *db);
/* Backend of a connection. */
enum mc_db_kind mc_db_kind(const struct mc_db *db);
/* The url it was opened with (borrowed). */
const char *mc_db_url(const struct mc_db *db);

/* Apply pending embedded migrations (src/db/migrations/NNN_*.sql). */
int mc_db_migrate(struct mc_db *db, struct mc_err *err) MC_WUR;

/*
 * Transactions. begin takes the write lock at once: SQLite BEGIN
 * IMMEDIATE; PostgreSQL BEGIN plus the audit-chain advisory lock, so the
 * writes of every instance append to one chain.
 */
int mc_db_begin(struct mc_db *db, struct mc_err *err) MC_WUR;
int mc_db_commit(struct mc_db *db, struct mc_err *err) MC_WUR;
/* Roll back the open transaction; harmless when none is open. */
void mc_db_rollback(struct mc_db *db);
/* Savepoints inside a transaction (name: [a-z0-9_]+). */
int mc_db_savepoint(struct mc_db *db, const char *name,
                    struct mc_err *err) MC_WUR;
int mc_db_release(struct mc_db *db, const char *name,
                  struct mc_err *err) MC_WUR;
void mc_db_rollback_to(struct mc_db *db, const char *name);

/*
 * A per-connection memo for rows that never change once committed (e.g.
 * procedure versions), owned by the q_*.c module that sets it. The
 * connection takes memo: free_fn(memo) runs on close, on any rollback
 * (the memo may hold rows the rollback removed) and when another memo
 * replaces it. One module per connection uses it at a time.
 */
void *mc_db_memo(struct mc_db *db);
void mc_db_memo_set(struct mc_db *db, void *memo,
                    void (*free_fn)(void *memo));

/*
 * Sessions and accounts: q_accounts.c calls mc_db_auth_changed after a
 * statement that may change the answer of a session lookup (revocation,
 * deactivation). The process-wide mc_db_auth_epoch() advances once that
 * change is committed or rolled back (at once outside a transaction), so
 * a cache of session lookups tagged with the epoch read before its query
 * never keeps an answer read before the change.
 */
void mc_db_auth_changed(struct mc_db *db);
uint64_t mc_db_auth_epoch(void);

/*
 * A per-connection buffer of deferred writes (e.g. rollup sums written
 * once per batch), owned by the q_*.c module that sets it. The
 * connection takes it: free_fn(deferred) runs on close, on any rollback
 * (what it holds belongs to the rolled-back work) and when another
 * replaces it. The module flushes it before each commit; a connection
 * that uses savepoints must not defer.
 */
void *mc_db_deferred(struct mc_db *db);
void mc_db_deferred_set(struct mc_db *db, void *deferred,
                        void (*free_fn)(void *deferred));

/*
 * A second such slot, for rows whose writes are held back until the
 * batch's commit (the generator's dossier rows, q_dossier_slot.c): owned
 * by the q_*.c module that sets it, freed on close, on any rollback and
 * when replaced, like mc_db_deferred. NULL when none (the server).
 */
void *mc_db_rows(struct mc_db *db);
void mc_db_rows_set(struct mc_db *db, void *rows,
                    void (*free_fn)(void *rows));

/* Run SQL without parameters or results (may hold several statements). */
int mc_db_exec(struct mc_db *db, const char *sql, struct mc_err *err) MC_WUR;

/*
 * Prepared statement for sql, taken from the connection's cache (keyed by
 * the SQL text), reset and with bindings cleared. The statement stays owned
 * by the connection: give it back with mc_stmt_done when finished.
 * NULL on error (err filled).
 */
struct mc_stmt *mc_db_prep(struct mc_db *db, const char *sql,
                           struct mc_err *err);

/* Bind parameter idx (1-based). Text is copied. NULL text binds NULL. */
void mc_stmt_bind_i64(struct mc_stmt *st, int idx, int64_t v);
void mc_stmt_bind_double(struct mc_stmt *st, int idx, double v);
void mc_stmt_bind_text(struct mc_stmt *st, int idx, const char *s);
void mc_stmt_bind_blob(struct mc_stmt *st, int idx, const void *p, size_t n);
void mc_stmt_bind_null(struct mc_stmt *st, int idx);

/*
 * Bind several parameters from 1 by a type string: 'i' int64_t, 'I' int
 * (promoted), 'd' double, 't' const char * (NULL -> SQL NULL), 'n' NULL
 * (no argument), 'b' blob (const void *, size_t), 'z' int64_t where 0 binds
 * NULL (for optional ids and instants).
 */
void mc_stmt_bindv(struct mc_stmt *st, const char *types, ...);

/*
 * Step: MC_DB_ROW, MC_DB_DONE, or a negative error. A uniqueness or
 * foreign-key violation returns MC_ECONFLICT (err code "conflict").
 */
int mc_stmt_step(struct mc_stmt *st, struct mc_err *err) MC_WUR;

/* Column accessors for the current row (0-based). Text is borrowed until
 * the next step/done; NULL for SQL NULL. */
int64_t mc_stmt_i64(struct mc_stmt *st, int col);
double mc_stmt_double(struct mc_stmt *st, int col);
const char *mc_stmt_text(struct mc_stmt *st, int col);
/* Copy of text column col from a; NULL for SQL NULL or out of memory. */
const char *mc_stmt_strdup(struct mc_arena *a, struct mc_stmt *st, int col);
const void *mc_stmt_blob(struct mc_stmt *st, int col, size_t *n);
int mc_stmt_isnull(struct mc_stmt *st, int col);
int mc_stmt_ncols(struct mc_stmt *st);

/* Reset and return the statement to its connection's cache. */
void mc_stmt_done(struct mc_stmt *st);

/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t mc_db_changes(struct mc_db *db);

/*
 * Convenience: prepare sql, bind by types (as mc_stmt_bindv), step to
 * completion and return 0, discarding rows. For single-row writes.
 */
int mc_db_run(struct mc_db *db, struct mc_err *err, const char *sql,
              const char *types, ...) MC_WUR;
/*
 * Convenience: run a query whose first row's first column is an integer.
 * Returns MC_OK with *out set, MC_ENOTFOUND when no row (err untouched
 * unless err_if_missing), or a negative error.
 */
int mc_db_i64(struct mc_db *db, int64_t *out, struct mc_err *err,
              const char *sql, const char *types, ...) MC_WUR;

/* Fills the item at p from the current row (arena strings from a). */
typedef void (*mc_db_row_fn)(struct mc_stmt *st, struct mc_arena *a, void *p);

/*
 * One page of a filtered list. count_sql (SELECT COUNT(*) ...) gives
 * *total; list_sql, ending in "LIMIT ? OFFSET ?", the rows. bind(st, ctx)
 * binds the nbind parameters the two share; limit (<= 0: 50) and offset
 * follow at nbind + 1 and nbind + 2. *out is a zeroed array of limit
 * items of size bytes from a, the first *n of them filled by row. SQL,
 * ctx and a are borrowed; *out lives as long as a.
 */
int mc_db_page(struct mc_db *db, const char *count_sql, const char *list_sql,
               void (*bind)(struct mc_stmt *st, const void *ctx),
               const void *ctx, int nbind, int limit, int64_t offset,
               size_t size, mc_db_row_fn row, struct mc_arena *a, void **out,
               int *n, int64_t *total, struct mc_err *err) MC_WUR;

/*
 * The row of sql whose one parameter is id, filled into *p by row; when
 * there is none, MC_ENOTFOUND with a 404 (code, message) in err. sql,
 * code and message are borrowed (message is not a format).
 */
int mc_db_get(struct mc_db *db, const char *sql, int64_t id,
              mc_db_row_fn row, struct mc_arena *a, void *p,
              const char *code, const char *message,
              struct mc_err *err) MC_WUR;

/*
 * Online, consistent copy of the SQLite database file src to dst (which
 * must not exist), safe while a server writes to src (SQLite backup API).
 * PostgreSQL is backed up with pg_dump or a base backup instead.
 */
int mc_db_backup(const char *src, const char *dst,
                 struct mc_err *err) MC_WUR;

/*
 * Moving WAL checkpoints off the write path (SQLite; no-ops elsewhere):
 * mc_db_autocheckpoint(db, 0) stops db from checkpointing when it
 * commits; mc_db_checkpoint runs a PASSIVE checkpoint on another
 * connection, which copies what it can without blocking the writer.
 * mc_db_can_checkpoint says whether the backend needs this at all.
 */
int mc_db_can_checkpoint(const struct mc_db *db);
/*
 * The page cache of this one connection, in KiB (SQLite; PostgreSQL's
 * cache is the server's shared_buffers, so nothing to do there). The
 * defaults are set by mc_db_open: 16 MiB for a write connection, 2 MiB
 * for a read one.
 */
void mc_db_cache(struct mc_db *db, int kib);
void mc_db_autocheckpoint(struct mc_db *db, int on);
int mc_db_checkpoint(struct mc_db *db) MC_WUR;

/*
 * Flush the database file to disk (SQLite: fsync of the main file, for
 * the end of a load that ran with synchronous=OFF; a no-op on PostgreSQL,
 * whose server owns durability). Outside a transaction.
 */
int mc_db_sync(struct mc_db *db, struct mc_err *err) MC_WUR;

/*
 * Write-behind for a bulk load (SQLite; a no-op elsewhere). With on = 1,
 * a statement that writes and returns no rows is queued when stepped
 * (the step answers MC_DB_DONE) and a second thread runs the queue in
 * order on db while the caller goes on, and so are mc_db_commit and
 * mc_db_begin; everything else on db waits for the queue first, so the
 * statements run in program order. An error of a queued statement is
 * returned late, by the next call that waits (a query, mc_db_exec,
 * mc_db_sync, or on = 0), and the queued statements
 * after it are skipped: only for a load that rolls back on any error.
 * on = 0 waits for the queue and stops the thread. db is used by one
 * caller thread only, as always.
 */
int mc_db_write_behind(struct mc_db *db, int on, struct mc_err *err) MC_WUR;

/* ---- connection pool for readers ---- */

struct mc_dbpool;

/* Create a pool of up to max read connections to url (opened lazily). */
int mc_dbpool_new(const char *url, int max, struct mc_dbpool **out,
                  struct mc_err *err) MC_WUR;
void mc_dbpool_free(struct mc_dbpool *p);
/* Borrow a connection (blocks while all max are lent). NULL on error. */
struct mc_db *mc_dbpool_get(struct mc_dbpool *p, struct mc_err *err);
/* Give it back (rolls back any open transaction). */
void mc_dbpool_put(struct mc_dbpool *p, struct mc_db *db);

#endif
