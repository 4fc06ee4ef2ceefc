/*
 * backend.h - internal: what a database backend provides. Only src/db
 * includes this. struct mc_db and struct mc_stmt start with the common
 * header below; each backend extends them.
 */
#ifndef MC_DB_BACKEND_H
#define MC_DB_BACKEND_H

#include "db/db.h"

struct mc_db_ops {
    void (*close)(struct mc_db *db);
    int (*exec)(struct mc_db *db, const char *sql, struct mc_err *err);
    struct mc_stmt *(*prep)(struct mc_db *db, const char *sql,
                            struct mc_err *err);
    void (*bind_i64)(struct mc_stmt *st, int idx, int64_t v);
    void (*bind_double)(struct mc_stmt *st, int idx, double v);
    void (*bind_text)(struct mc_stmt *st, int idx, const char *s);
    void (*bind_blob)(struct mc_stmt *st, int idx, const void *p, size_t n);
    void (*bind_null)(struct mc_stmt *st, int idx);
    int (*step)(struct mc_stmt *st, struct mc_err *err);
    int64_t (*col_i64)(struct mc_stmt *st, int col);
    double (*col_double)(struct mc_stmt *st, int col);
    const char *(*col_text)(struct mc_stmt *st, int col);
    const void *(*col_blob)(struct mc_stmt *st, int col, size_t *n);
    int (*col_isnull)(struct mc_stmt *st, int col);
    int (*ncols)(struct mc_stmt *st);
    void (*done)(struct mc_stmt *st);
    int64_t (*changes)(struct mc_db *db);
    /* Rewrite portable DDL for this backend (malloc'd result). */
    char *(*ddl)(const char *sql);
    /*
     * Optional: take the named cluster-wide lock until the end of the open
     * transaction (PostgreSQL: pg_advisory_xact_lock). NULL when one
     * writer per database already serialises writes (SQLite).
     */
    int (*lock)(struct mc_db *db, const char *name, struct mc_err *err);
    /*
     * Optional (SQLite): on = 0 stops this connection from checkpointing
     * the WAL when it commits; checkpoint runs a PASSIVE checkpoint, which
     * never blocks the writer. NULL where the server does it (PostgreSQL).
     */
    void (*autocheckpoint)(struct mc_db *db, int on);
    int (*checkpoint)(struct mc_db *db);
    /*
     * Optional (SQLite): hold up to kib KiB of database pages in this
     * connection's own cache. NULL where the cache is the server's
     * (PostgreSQL: shared_buffers).
     */
    void (*cache)(struct mc_db *db, int kib);
    /* Optional (SQLite): fsync the main database file. */
    int (*sync)(struct mc_db *db, struct mc_err *err);
    /* Optional (SQLite): mc_db_write_behind. */
    int (*behind)(struct mc_db *db, int on, struct mc_err *err);
    /* SQL that begins a write transaction. */
    const char *begin_sql;
    /*
     * Optional (SQLite): bind_text without a copy; s must stay unchanged
     * until the statement is done (mc_db_run, mc_db_i64: their arguments).
     * NULL: bind_text is used.
     */
    void (*bind_text_borrowed)(struct mc_stmt *st, int idx, const char *s);
};

struct mc_db {
    const struct mc_db_ops *ops;
    enum mc_db_kind kind;
    char *url;
    int in_tx;
    /* mc_db_memo: per-connection memo, freed on close and rollback */
    void *memo;
    void (*memo_free)(void *memo);
    /* mc_db_auth_changed inside the open transaction */
    int auth_dirty;
    /*
     * Head of the audit chain as this write transaction left it (set by
     * mc_q_audit_insert, read by mc_q_audit_last). Valid only while
     * chain_ok: the transaction holds the write lock (SQLite) or the
     * audit-chain lock (PostgreSQL), so nobody else appends; cleared by
     * begin, commit, rollback and every rollback to a savepoint.
     */
    int chain_ok;
    int64_t chain_seq;
    char chain_hash[72];
    /* mc_db_deferred: per-connection deferred writes, freed likewise */
    void *deferred;
    void (*deferred_free)(void *deferred);
    /* mc_db_rows: rows held back until the batch's commit, freed likewise */
    void *rows;
    void (*rows_free)(void *rows);
};

struct mc_stmt {
    struct mc_db *db;
};

int mc_sqlite_open(const char *url, const char *path, enum mc_db_mode mode,
                   struct mc_db **out, struct mc_err *err);
int mc_pg_open(const char *url, enum mc_db_mode mode, struct mc_db **out,
               struct mc_err *err);
/* PostgreSQL: move every identity sequence past the largest id. */
extern const char mc_pg_bump_identities_sql[];
/* PostgreSQL: the portable migration sql rewritten (pg_ddl.c; malloc'd,
 * NULL when out of memory). */
char *mc_pg_ddl(const char *sql);

/*
 * Take the named lock (see mc_db_ops.lock) for the rest of the open
 * transaction; a no-op on backends without one. Name of the lock that
 * serialises appends to the audit hash chain: MC_DB_LOCK_CHAIN.
 */
#define MC_DB_LOCK_CHAIN "motcua.audit_chain"
int mc_db_lock(struct mc_db *db, const char *name, struct mc_err *err);

/* Embedded migrations (generated at build time from migrations/). */
struct mc_migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct mc_migration mc_migrations[];
extern const int mc_migrations_count;

#endif
