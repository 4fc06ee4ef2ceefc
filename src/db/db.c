/*
 * db.c - backend dispatch, convenience helpers, reader pool, migrations.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "db/backend.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/mctime.h"

int
mc_db_open(const char *url, enum mc_db_mode mode, struct mc_db **out,
           struct mc_err *err)
{
    *out = NULL;
    if (url == NULL || *url == '\0') {
        return mc_err_set(err, MC_EINVAL, 400, "bad_db_url", "db",
                          "no database given");
    }
    if (strncmp(url, "postgres://", 11) == 0 ||
        strncmp(url, "postgresql://", 13) == 0) {
        return mc_pg_open(url, mode, out, err);
    }
    if (strncmp(url, "sqlite:", 7) == 0) {
        return mc_sqlite_open(url, url + 7, mode, out, err);
    }
    return mc_sqlite_open(url, url, mode, out, err);
}

static void
memo_drop(struct mc_db *db)
{
    if (db->memo != NULL && db->memo_free != NULL) {
        db->memo_free(db->memo);
    }
    db->memo = NULL;
    db->memo_free = NULL;
}

/* Drop the memo, the deferred writes and the held rows (close,
 * rollbacks). */
static void
session_drop(struct mc_db *db)
{
    memo_drop(db);
    mc_db_deferred_set(db, NULL, NULL);
    mc_db_rows_set(db, NULL, NULL);
}

void
mc_db_close(struct mc_db *db)
{
    if (db != NULL) {
        session_drop(db);
        db->ops->close(db);
    }
}

void *
mc_db_memo(struct mc_db *db)
{
    return db->memo;
}

void
mc_db_memo_set(struct mc_db *db, void *memo, void (*free_fn)(void *memo))
{
    memo_drop(db);
    db->memo = memo;
    db->memo_free = free_fn;
}

void *
mc_db_deferred(struct mc_db *db)
{
    return db->deferred;
}

void
mc_db_deferred_set(struct mc_db *db, void *deferred,
                   void (*free_fn)(void *deferred))
{
    if (db->deferred != NULL && db->deferred_free != NULL) {
        db->deferred_free(db->deferred);
    }
    db->deferred = deferred;
    db->deferred_free = free_fn;
}

void *
mc_db_rows(struct mc_db *db)
{
    return db->rows;
}

void
mc_db_rows_set(struct mc_db *db, void *rows, void (*free_fn)(void *rows))
{
    if (db->rows != NULL && db->rows_free != NULL) {
        db->rows_free(db->rows);
    }
    db->rows = rows;
    db->rows_free = free_fn;
}

enum mc_db_kind
mc_db_kind(const struct mc_db *db)
{
    return db->kind;
}

const char *
mc_db_url(const struct mc_db *db)
{
    return db->url;
}

int
mc_db_exec(struct mc_db *db, const char *sql, struct mc_err *err)
{
    return db->ops->exec(db, sql, err);
}

/*
 * Every write transaction takes the audit-chain lock first, where the
 * backend has one (PostgreSQL, several instances on one database): the
 * chain is one total order, and taking its lock before any row lock gives
 * all write transactions one lock order, so they cannot deadlock on it.
 */
int
mc_db_begin(struct mc_db *db, struct mc_err *err)
{
    int rc = db->ops->exec(db, db->ops->begin_sql, err);

    db->chain_ok = 0;
    if (rc == MC_OK) {
        db->in_tx = 1;
        rc = mc_db_lock(db, MC_DB_LOCK_CHAIN, err);
        if (rc != MC_OK) {
            mc_db_rollback(db);
        }
    }
    return rc;
}

int
mc_db_lock(struct mc_db *db, const char *name, struct mc_err *err)
{
    if (db->ops->lock == NULL || !db->in_tx) {
        return MC_OK;
    }
    return db->ops->lock(db, name, err);
}

static _Atomic uint64_t auth_epoch = 1;

uint64_t
mc_db_auth_epoch(void)
{
    return atomic_load(&auth_epoch);
}

void
mc_db_auth_changed(struct mc_db *db)
{
    if (db->in_tx) {
        db->auth_dirty = 1;
    } else {
        atomic_fetch_add(&auth_epoch, 1);
    }
}

/* After COMMIT or ROLLBACK: publish a session-affecting change. */
static void
auth_publish(struct mc_db *db)
{
    if (db->auth_dirty) {
        db->auth_dirty = 0;
        atomic_fetch_add(&auth_epoch, 1);
    }
}

int
mc_db_commit(struct mc_db *db, struct mc_err *err)
{
    int rc = db->ops->exec(db, "COMMIT", err);

    db->chain_ok = 0;
    if (rc == MC_OK) {
        db->in_tx = 0;
        auth_publish(db);
    } else {
        mc_db_rollback(db);
    }
    return rc;
}

void
mc_db_rollback(struct mc_db *db)
{
    session_drop(db); /* they may hold rows the rollback removed */
    db->chain_ok = 0;
    if (db->in_tx) {
        (void)db->ops->exec(db, "ROLLBACK", NULL);
        db->in_tx = 0;
    }
    auth_publish(db);
}

/* Run a parameterless statement through the statement cache (no parse). */
static int
run_cached(struct mc_db *db, const char *sql, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(db, sql, err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    rc = mc_stmt_step(st, err);
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_db_savepoint(struct mc_db *db, const char *name, struct mc_err *err)
{
    char sql[80];

    snprintf(sql, sizeof(sql), "SAVEPOINT %s", name);
    return run_cached(db, sql, err);
}

int
mc_db_release(struct mc_db *db, const char *name, struct mc_err *err)
{
    char sql[80];

    snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT %s", name);
    return run_cached(db, sql, err);
}

void
mc_db_rollback_to(struct mc_db *db, const char *name)
{
    char sql[96];

    session_drop(db); /* they may hold rows the rollback removed */
    db->chain_ok = 0; /* the head may have been appended after it */
    snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT %s", name);
    (void)db->ops->exec(db, sql, NULL);
    snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT %s", name);
    (void)db->ops->exec(db, sql, NULL);
}

struct mc_stmt *
mc_db_prep(struct mc_db *db, const char *sql, struct mc_err *err)
{
    return db->ops->prep(db, sql, err);
}

void
mc_stmt_bind_i64(struct mc_stmt *st, int idx, int64_t v)
{
    st->db->ops->bind_i64(st, idx, v);
}

void
mc_stmt_bind_double(struct mc_stmt *st, int idx, double v)
{
    st->db->ops->bind_double(st, idx, v);
}

void
mc_stmt_bind_text(struct mc_stmt *st, int idx, const char *s)
{
    st->db->ops->bind_text(st, idx, s);
}

void
mc_stmt_bind_blob(struct mc_stmt *st, int idx, const void *p, size_t n)
{
    st->db->ops->bind_blob(st, idx, p, n);
}

void
mc_stmt_bind_null(struct mc_stmt *st, int idx)
{
    st->db->ops->bind_null(st, idx);
}

/*
 * borrowed: the texts outlive the statement's use (the arguments of
 * mc_db_run and mc_db_i64, which step and finish it before returning),
 * so the backend need not copy them.
 */
static void
bind_va(struct mc_stmt *st, const char *types, va_list ap, int borrowed)
{
    void (*text)(struct mc_stmt *, int, const char *) =
        borrowed && st->db->ops->bind_text_borrowed != NULL
            ? st->db->ops->bind_text_borrowed
            : st->db->ops->bind_text;
    int idx = 1;

    for (const char *t = types; *t; t++, idx++) {
        switch (*t) {
        case 'i':
            mc_stmt_bind_i64(st, idx, va_arg(ap, int64_t));
            break;
        case 'I':
            mc_stmt_bind_i64(st, idx, va_arg(ap, int));
            break;
        case 'z': {
            int64_t v = va_arg(ap, int64_t);
            if (v == 0) {
                mc_stmt_bind_null(st, idx);
            } else {
                mc_stmt_bind_i64(st, idx, v);
            }
            break;
        }
        case 'd':
            mc_stmt_bind_double(st, idx, va_arg(ap, double));
            break;
        case 't':
            text(st, idx, va_arg(ap, const char *));
            break;
        case 'n':
            mc_stmt_bind_null(st, idx);
            break;
        case 'b': {
            const void *p = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            mc_stmt_bind_blob(st, idx, p, n);
            break;
        }
        default:
            mc_log_error("mc_stmt_bindv: bad type '%c'", *t);
            break;
        }
    }
}

void
mc_stmt_bindv(struct mc_stmt *st, const char *types, ...)
{
    va_list ap;

    va_start(ap, types);
    bind_va(st, types, ap, 0);
    va_end(ap);
}

int
mc_stmt_step(struct mc_stmt *st, struct mc_err *err)
{
    return st->db->ops->step(st, err);
}

int64_t
mc_stmt_i64(struct mc_stmt *st, int col)
{
    return st->db->ops->col_i64(st, col);
}

double
mc_stmt_double(struct mc_stmt *st, int col)
{
    return st->db->ops->col_double(st, col);
}

const char *
mc_stmt_text(struct mc_stmt *st, int col)
{
    return st->db->ops->col_text(st, col);
}

const void *
mc_stmt_blob(struct mc_stmt *st, int col, size_t *n)
{
    return st->db->ops->col_blob(st, col, n);
}

int
mc_stmt_isnull(struct mc_stmt *st, int col)
{
    return st->db->ops->col_isnull(st, col);
}

int
mc_stmt_ncols(struct mc_stmt *st)
{
    return st->db->ops->ncols(st);
}

void
mc_stmt_done(struct mc_stmt *st)
{
    if (st != NULL) {
        st->db->ops->done(st);
    }
}

int
mc_db_can_checkpoint(const struct mc_db *db)
{
    return db->ops->checkpoint != NULL;
}

void
mc_db_cache(struct mc_db *db, int kib)
{
    if (db->ops->cache != NULL) {
        db->ops->cache(db, kib);
    }
}

void
mc_db_autocheckpoint(struct mc_db *db, int on)
{
    if (db->ops->autocheckpoint != NULL) {
        db->ops->autocheckpoint(db, on);
    }
}

int
mc_db_checkpoint(struct mc_db *db)
{
    return db->ops->checkpoint != NULL ? db->ops->checkpoint(db) : MC_OK;
}

int
mc_db_sync(struct mc_db *db, struct mc_err *err)
{
    return db->ops->sync != NULL ? db->ops->sync(db, err) : MC_OK;
}

int
mc_db_write_behind(struct mc_db *db, int on, struct mc_err *err)
{
    return db->ops->behind != NULL ? db->ops->behind(db, on, err) : MC_OK;
}

int64_t
mc_db_changes(struct mc_db *db)
{
    return db->ops->changes(db);
}

int
mc_db_run(struct mc_db *db, struct mc_err *err, const char *sql,
          const char *types, ...)
{
    struct mc_stmt *st = mc_db_prep(db, sql, err);
    va_list ap;
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    va_start(ap, types);
    bind_va(st, types, ap, 1);
    va_end(ap);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_db_i64(struct mc_db *db, int64_t *out, struct mc_err *err,
          const char *sql, const char *types, ...)
{
    struct mc_stmt *st = mc_db_prep(db, sql, err);
    va_list ap;
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    va_start(ap, types);
    bind_va(st, types, ap, 1);
    va_end(ap);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *out = mc_stmt_i64(st, 0);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

const char *
mc_stmt_strdup(struct mc_arena *a, struct mc_stmt *st, int col)
{
    const char *s = mc_stmt_text(st, col);

    return s ? mc_arena_strdup(a, s) : NULL;
}

int
mc_db_page(struct mc_db *db, const char *count_sql, const char *list_sql,
           void (*bind)(struct mc_stmt *st, const void *ctx), const void *ctx,
           int nbind, int limit, int64_t offset, size_t size, mc_db_row_fn row,
           struct mc_arena *a, void **out, int *n, int64_t *total,
           struct mc_err *err)
{
    struct mc_stmt *st;
    char *items;
    int rc, cap = limit > 0 ? limit : 50;

    *out = NULL;
    *n = 0;
    st = mc_db_prep(db, count_sql, err);
    if (st == NULL) {
        return MC_EDB;
    }
    bind(st, ctx);
    rc = mc_stmt_step(st, err);
    *total = rc == MC_DB_ROW ? mc_stmt_i64(st, 0) : 0;
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    items = mc_arena_zalloc(a, size * (size_t)cap);
    if (items == NULL) {
        return MC_ENOMEM;
    }
    *out = items;
    st = mc_db_prep(db, list_sql, err);
    if (st == NULL) {
        return MC_EDB;
    }
    bind(st, ctx);
    mc_stmt_bind_i64(st, nbind + 1, cap);
    mc_stmt_bind_i64(st, nbind + 2, offset);
    while (*n < cap && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        row(st, a, items + size * (size_t)*n);
        (*n)++;
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_db_get(struct mc_db *db, const char *sql, int64_t id, mc_db_row_fn row,
          struct mc_arena *a, void *p, const char *code, const char *message,
          struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(db, sql, err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bind_i64(st, 1, id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        row(st, a, p);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, code, NULL, "%s", message);
    }
    mc_stmt_done(st);
    return rc;
}

/* ---- migrations ---- */

int
mc_db_migrate(struct mc_db *db, struct mc_err *err)
{
    int64_t cur = 0;
    int rc;

    rc = mc_db_exec(db,
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    " applied_at INTEGER NOT NULL)",
                    err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_db_i64(db, &cur, err,
                   "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                   "");
    if (rc != MC_OK) {
        return rc;
    }
    for (int i = 0; i < mc_migrations_count; i++) {
        const struct mc_migration *m = &mc_migrations[i];
        char *sql;

        if (m->version <= cur) {
            continue;
        }
        sql = db->ops->ddl(m->sql);
        if (sql == NULL) {
            return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                              "out of memory");
        }
        rc = mc_db_begin(db, err);
        if (rc == MC_OK) {
            rc = mc_db_exec(db, sql, err);
        }
        if (rc == MC_OK) {
            rc = mc_db_run(db, err,
                           "INSERT INTO schema_version(version, name, "
                           "applied_at) VALUES (?, ?, ?)",
                           "Iti", m->version, m->name, mc_now());
        }
        if (rc == MC_OK) {
            rc = mc_db_commit(db, err);
        } else {
            mc_db_rollback(db);
        }
        mc_free(sql);
        if (rc != MC_OK) {
            mc_log_error("migration %d %s failed: %s", m->version, m->name,
                         err ? err->message : "");
            return rc;
        }
        mc_log_info("applied migration %03d %s", m->version, m->name);
    }
    return MC_OK;
}

/* ---- reader pool ---- */

struct mc_dbpool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *url;
    int max, open;
    int nfree;
    struct mc_db **free_list;
};

int
mc_dbpool_new(const char *url, int max, struct mc_dbpool **out,
              struct mc_err *err)
{
    struct mc_dbpool *p = mc_calloc(1, sizeof(*p));

    *out = NULL;
    if (p == NULL || (p->free_list = mc_calloc((size_t)max,
                                               sizeof(struct mc_db *))) ==
                         NULL ||
        (p->url = mc_strdup(url)) == NULL) {
        if (p != NULL) {
            mc_free(p->free_list);
        }
        mc_free(p);
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->max = max;
    *out = p;
    return MC_OK;
}

void
mc_dbpool_free(struct mc_dbpool *p)
{
    if (p == NULL) {
        return;
    }
    for (int i = 0; i < p->nfree; i++) {
        mc_db_close(p->free_list[i]);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    mc_free(p->free_list);
    mc_free(p->url);
    mc_free(p);
}

struct mc_db *
mc_dbpool_get(struct mc_dbpool *p, struct mc_err *err)
{
    struct mc_db *db = NULL;

    pthread_mutex_lock(&p->mu);
    while (p->nfree == 0 && p->open >= p->max) {
        pthread_cond_wait(&p->cv, &p->mu);
    }
    if (p->nfree > 0) {
        db = p->free_list[--p->nfree];
        pthread_mutex_unlock(&p->mu);
        return db;
    }
    p->open++;
    pthread_mutex_unlock(&p->mu);
    if (mc_db_open(p->url, MC_DB_READ, &db, err) != MC_OK) {
        pthread_mutex_lock(&p->mu);
        p->open--;
        pthread_cond_signal(&p->cv);
        pthread_mutex_unlock(&p->mu);
        return NULL;
    }
    return db;
}

void
mc_dbpool_put(struct mc_dbpool *p, struct mc_db *db)
{
    if (db == NULL) {
        return;
    }
    mc_db_rollback(db);
    pthread_mutex_lock(&p->mu);
    p->free_list[p->nfree++] = db;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}
