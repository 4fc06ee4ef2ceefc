/*
 * sqlite.c - SQLite backend of db.h.
 *
 * One sqlite3 handle per struct mc_db, opened NOMUTEX (one thread at a
 * time). WAL journal; write connections use synchronous=FULL so COMMIT
 * returns only after the WAL is fsynced. Prepared statements are cached per
 * connection in a small hash table keyed by SQL text.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "db/sqlite_int.h"
#include "util/alloc.h"
#include "util/log.h"

static unsigned
hash_sql(const char *s)
{
    unsigned h = 2166136261u;

    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h % CACHE_SLOTS;
}

int
mc_sq_error(int rc, int ext, const char *msg, struct mc_err *err)
{
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        int fk = ext == SQLITE_CONSTRAINT_FOREIGNKEY;
        return mc_err_set(err, MC_ECONFLICT, 409, fk ? "bad_reference"
                                                     : "conflict",
                          NULL, "%s", fk ? "a referenced record does not "
                                           "exist"
                                         : msg);
    }
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        return mc_err_set(err, MC_EBUSY, 503, "busy", NULL,
                          "database busy, retry");
    }
    mc_log_error("sqlite: %s (%d)", msg, ext);
    return mc_err_set(err, MC_EDB, 500, "database_error", NULL,
                      "database error");
}

static int
sq_error(struct sq_db *d, int rc, struct mc_err *err)
{
    return mc_sq_error(rc, sqlite3_extended_errcode(d->h),
                       sqlite3_errmsg(d->h), err);
}

static void
sq_close(struct mc_db *db)
{
    struct sq_db *d = (struct sq_db *)db;

    (void)mc_sq_behind(db, 0, NULL);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct sq_stmt *s, *n;
        for (s = d->cache[i]; s != NULL; s = n) {
            n = s->next;
            sqlite3_finalize(s->st);
            mc_free(s->sql);
            mc_free(s->binds);
            mc_buf_release(&s->scratch);
            mc_free(s);
        }
    }
    sqlite3_close_v2(d->h);
    mc_free(d->base.url);
    mc_free(d);
}

static struct mc_stmt *sq_prep(struct mc_db *db, const char *sql,
                               struct mc_err *err);
static void sq_done(struct mc_stmt *st);

/*
 * With write-behind on, the end of a transaction and the start of the
 * next are queued like writes: the load's commit (which writes its dirty
 * pages) runs on the thread too, and an error comes back with the next
 * wait.
 */
static int
behind_tx(struct sq_db *d, const char *sql, struct mc_err *err)
{
    struct mc_stmt *st = sq_prep(&d->base, sql, err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    ((struct sq_stmt *)st)->defer_ok = 1; /* only ever run this way */
    rc = mc_sq_behind_step(d, (struct sq_stmt *)st, err);
    sq_done(st);
    return rc < 0 ? rc : MC_OK;
}

static int
sq_exec(struct mc_db *db, const char *sql, struct mc_err *err)
{
    struct sq_db *d = (struct sq_db *)db;
    int rc;

    if (d->bh != NULL && (strcmp(sql, "COMMIT") == 0 ||
                          strcmp(sql, db->ops->begin_sql) == 0)) {
        return behind_tx(d, sql, err);
    }
    rc = mc_sq_drain(d, err);

    /* a queued statement failed: report it, unless the caller does not
     * look (a rollback), which then discards its effects anyway */
    if (rc != MC_OK && err != NULL) {
        return rc;
    }
    rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? MC_OK : sq_error(d, rc, err);
}

static struct mc_stmt *
sq_prep(struct mc_db *db, const char *sql, struct mc_err *err)
{
    struct sq_db *d = (struct sq_db *)db;
    struct sq_last *l = &d->last[((uintptr_t)sql >> 3) % LAST_SLOTS];
    unsigned h;
    struct sq_stmt *s;
    int rc;

    if (l->ptr == sql && !l->s->busy && strcmp(l->s->sql, sql) == 0) {
        l->s->busy = 1;
        return &l->s->base;
    }
    h = hash_sql(sql);
    for (s = d->cache[h]; s != NULL; s = s->next) {
        if (!s->busy && strcmp(s->sql, sql) == 0) {
            s->busy = 1;
            l->ptr = sql;
            l->s = s;
            return &s->base;
        }
    }
    s = mc_calloc(1, sizeof(*s));
    if (s == NULL) {
        mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                   "out of memory");
        return NULL;
    }
    mc_buf_init(&s->scratch, SIZE_MAX / 4);
    mc_sq_wait(d); /* the connection is the behind thread's until idle */
    rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st,
                            NULL);
    if (rc != SQLITE_OK) {
        mc_log_error("sqlite prepare: %s in: %.200s", sqlite3_errmsg(d->h),
                     sql);
        mc_free(s);
        mc_err_set(err, MC_EDB, 500, "database_error", NULL,
                   "database error");
        return NULL;
    }
    s->sql = mc_strdup(sql);
    if (s->sql == NULL) {
        sqlite3_finalize(s->st);
        mc_free(s);
        mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                   "out of memory");
        return NULL;
    }
    s->base.db = db;
    s->busy = 1;
    s->defer_ok = sqlite3_column_count(s->st) == 0 &&
                  !sqlite3_stmt_readonly(s->st);
    s->next = d->cache[h];
    d->cache[h] = s;
    l->ptr = sql;
    l->s = s;
    return &s->base;
}

#define SQ(st) (((struct sq_stmt *)(st))->st)
/* The connection of st when it has write-behind on, else NULL. */
#define BH(st) (((struct sq_db *)(st)->db)->bh)

static void
sq_bind_i64(struct mc_stmt *st, int idx, int64_t v)
{
    if (BH(st) != NULL) {
        mc_sq_record((struct sq_stmt *)st, idx, SQLITE_INTEGER, v, 0, NULL,
                     0, 0);
        return;
    }
    sqlite3_bind_int64(SQ(st), idx, v);
}

static void
sq_bind_double(struct mc_stmt *st, int idx, double v)
{
    if (BH(st) != NULL) {
        mc_sq_record((struct sq_stmt *)st, idx, SQLITE_FLOAT, 0, v, NULL, 0,
                     0);
        return;
    }
    sqlite3_bind_double(SQ(st), idx, v);
}

static void
bind_text(struct mc_stmt *st, int idx, const char *s, int borrowed)
{
    if (BH(st) != NULL) {
        mc_sq_record((struct sq_stmt *)st, idx,
                     s == NULL ? SQLITE_NULL : SQLITE_TEXT, 0, 0, s,
                     s == NULL ? 0 : strlen(s), borrowed);
    } else if (s == NULL) {
        sqlite3_bind_null(SQ(st), idx);
    } else {
        sqlite3_bind_text(SQ(st), idx, s, -1,
                          borrowed ? SQLITE_STATIC : SQLITE_TRANSIENT);
    }
}

static void
sq_bind_text(struct mc_stmt *st, int idx, const char *s)
{
    bind_text(st, idx, s, 0);
}

/* The text is not copied: SQLite reads it until sq_done clears it. */
static void
sq_bind_text_borrowed(struct mc_stmt *st, int idx, const char *s)
{
    bind_text(st, idx, s, 1);
}

static void
sq_bind_blob(struct mc_stmt *st, int idx, const void *p, size_t n)
{
    if (BH(st) != NULL) {
        mc_sq_record((struct sq_stmt *)st, idx, SQLITE_BLOB, 0, 0, p, n, 0);
        return;
    }
    sqlite3_bind_blob64(SQ(st), idx, p, n, SQLITE_TRANSIENT);
}

static void
sq_bind_null(struct mc_stmt *st, int idx)
{
    if (BH(st) != NULL) {
        mc_sq_record((struct sq_stmt *)st, idx, SQLITE_NULL, 0, 0, NULL, 0,
                     0);
        return;
    }
    sqlite3_bind_null(SQ(st), idx);
}

static int
sq_step(struct mc_stmt *st, struct mc_err *err)
{
    int rc;

    if (BH(st) != NULL) {
        return mc_sq_behind_step((struct sq_db *)st->db,
                                 (struct sq_stmt *)st, err);
    }
    rc = sqlite3_step(SQ(st));
    if (rc == SQLITE_ROW) {
        return MC_DB_ROW;
    }
    if (rc == SQLITE_DONE) {
        return MC_DB_DONE;
    }
    return sq_error((struct sq_db *)st->db, rc, err);
}

/* Before reading a row: statements queued since its step have run. */
static inline void
col_ready(struct mc_stmt *st)
{
    struct sq_db *d = (struct sq_db *)st->db;

    if (d->bh_queued) {
        mc_sq_wait(d);
    }
}

static int64_t
sq_col_i64(struct mc_stmt *st, int col)
{
    col_ready(st);
    return sqlite3_column_int64(SQ(st), col);
}

static double
sq_col_double(struct mc_stmt *st, int col)
{
    col_ready(st);
    return sqlite3_column_double(SQ(st), col);
}

static const char *
sq_col_text(struct mc_stmt *st, int col)
{
    col_ready(st);
    return (const char *)sqlite3_column_text(SQ(st), col);
}

static const void *
sq_col_blob(struct mc_stmt *st, int col, size_t *n)
{
    const void *p;

    col_ready(st);
    p = sqlite3_column_blob(SQ(st), col);
    *n = (size_t)sqlite3_column_bytes(SQ(st), col);
    return p;
}

static int
sq_col_isnull(struct mc_stmt *st, int col)
{
    col_ready(st);
    return sqlite3_column_type(SQ(st), col) == SQLITE_NULL;
}

static int
sq_ncols(struct mc_stmt *st)
{
    col_ready(st);
    return sqlite3_column_count(SQ(st));
}

static void
sq_done(struct mc_stmt *st)
{
    struct sq_stmt *s = (struct sq_stmt *)st;

    if (BH(st) != NULL) {
        mc_sq_unrecord(s);
        if (s->defer_ok) {
            /* queued jobs carry their own copy; the behind thread resets
             * the statement after each */
            s->busy = 0;
            return;
        }
        col_ready(st);
    }
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    s->busy = 0;
}

static int64_t
sq_changes(struct mc_db *db)
{
    mc_sq_wait((struct sq_db *)db);
    return sqlite3_changes64(((struct sq_db *)db)->h);
}

static char *
sq_ddl(const char *sql)
{
    return mc_strdup(sql);
}

static void
sq_autocheckpoint(struct mc_db *db, int on)
{
    mc_sq_wait((struct sq_db *)db);
    sqlite3_wal_autocheckpoint(((struct sq_db *)db)->h, on ? 1000 : 0);
}

static void
sq_cache(struct mc_db *db, int kib)
{
    char sql[64];

    mc_sq_wait((struct sq_db *)db);
    snprintf(sql, sizeof(sql), "PRAGMA cache_size=%d", -kib);
    sqlite3_exec(((struct sq_db *)db)->h, sql, NULL, NULL, NULL);
}

/* WAL frames (4 KiB pages) after which the WAL is restarted: ~16 MiB. */
#define WAL_RESTART_FRAMES 4096

static int
sq_checkpoint(struct mc_db *db)
{
    sqlite3 *h = ((struct sq_db *)db)->h;
    int log = 0, done = 0, rc;

    mc_sq_wait((struct sq_db *)db);
    rc = sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
                                   &done);

    /*
     * Under steady writes a PASSIVE checkpoint never reaches the end of
     * the WAL, so the file would grow forever. Once it is large, a RESTART
     * (the pages are already copied, so the writer waits only briefly)
     * lets the next commit write from the start of the file again.
     */
    if (rc == SQLITE_OK && log > WAL_RESTART_FRAMES) {
        rc = sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_RESTART,
                                       &log, &done);
    }
    return rc == SQLITE_OK || rc == SQLITE_BUSY ? MC_OK : MC_EDB;
}

static int
sq_sync(struct mc_db *db, struct mc_err *err)
{
    struct sq_db *d = (struct sq_db *)db;
    sqlite3_file *f = NULL;
    int rc = mc_sq_drain(d, err);

    if (rc != MC_OK) {
        return rc;
    }
    rc = sqlite3_file_control(d->h, "main", SQLITE_FCNTL_FILE_POINTER, &f);

    if (rc == SQLITE_OK && f != NULL && f->pMethods != NULL) {
        rc = f->pMethods->xSync(f, SQLITE_SYNC_FULL);
    }
    return rc == SQLITE_OK ? MC_OK : sq_error(d, rc, err);
}

static const struct mc_db_ops sq_ops = {
    .close = sq_close,
    .exec = sq_exec,
    .prep = sq_prep,
    .bind_i64 = sq_bind_i64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_text_borrowed = sq_bind_text_borrowed,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_i64 = sq_col_i64,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_isnull = sq_col_isnull,
    .ncols = sq_ncols,
    .done = sq_done,
    .changes = sq_changes,
    .ddl = sq_ddl,
    .autocheckpoint = sq_autocheckpoint,
    .cache = sq_cache,
    .checkpoint = sq_checkpoint,
    .sync = sq_sync,
    .behind = mc_sq_behind,
    .begin_sql = "BEGIN IMMEDIATE",
};

static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

/*
 * Process-wide SQLite settings, before the first connection: no global
 * memory statistics (they take one mutex around every allocation of every
 * connection, which the writer and the readers then fight over); a
 * sub-journal (savepoints, statement journals) of the writer kept in one
 * block of up to 1 MiB before it spills to a temporary file (the default,
 * 64 KiB, is less than a lifecycle write journals in a batch: each spill
 * created, wrote and removed a file).
 */
static void
sq_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
    sqlite3_initialize();
}

int
mc_sqlite_open(const char *url, const char *path, enum mc_db_mode mode,
               struct mc_db **out, struct mc_err *err)
{
    struct sq_db *d;
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE;
    int rc;

    *out = NULL;
    pthread_once(&sq_once, sq_global_init);
    if (mode == MC_DB_WRITE) {
        flags |= SQLITE_OPEN_CREATE;
    }
    d = mc_calloc(1, sizeof(*d));
    if (d == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    d->base.ops = &sq_ops;
    d->base.kind = MC_DB_SQLITE;
    d->base.url = mc_strdup(url);
    rc = sqlite3_open_v2(path, &d->h, flags, NULL);
    if (rc != SQLITE_OK) {
        mc_err_set(err, MC_EDB, 500, "database_open", NULL,
                   "cannot open database %s: %s", path,
                   d->h ? sqlite3_errmsg(d->h) : "out of memory");
        sqlite3_close_v2(d->h);
        mc_free(d->base.url);
        mc_free(d);
        return MC_EDB;
    }
    sqlite3_busy_timeout(d->h, 10000);
    sqlite3_extended_result_codes(d->h, 1);
    if (sq_exec(&d->base,
                "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                "PRAGMA temp_store=MEMORY;",
                err) != MC_OK ||
        /* Page cache: 16 MiB for the one writer (mc_db_cache changes it:
         * serve --writer-cache-mb), 2 MiB per reader (a server has up to
         * --readers of them; the OS page cache holds the rest), so
         * memory stays bounded whatever the database size.
         * The writer's sub-journal (its savepoints and statement
         * journals) with temp_store=FILE is one block in memory (see
         * sq_global_init), spilled to a temporary file only past that;
         * with MEMORY it is a chain of 1 KiB blocks, four mallocs and
         * frees per journaled page (docs/perf/lifecycle.md, round 3).
         */
        sq_exec(&d->base,
                mode == MC_DB_WRITE
                    ? "PRAGMA synchronous=FULL; PRAGMA cache_size=-16384;"
                      "PRAGMA temp_store=FILE;"
                    : "PRAGMA query_only=1; PRAGMA cache_size=-2048;",
                err) != MC_OK) {
        sq_close(&d->base);
        return MC_EDB;
    }
    *out = &d->base;
    return MC_OK;
}

int
mc_db_backup(const char *src, const char *dst, struct mc_err *err)
{
    sqlite3 *from = NULL, *to = NULL;
    sqlite3_backup *b;
    int rc;

    pthread_once(&sq_once, sq_global_init);
    rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(from, 10000);
        rc = sqlite3_open_v2(dst, &to,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                             NULL);
    }
    if (rc != SQLITE_OK) {
        mc_err_set(err, MC_EIO, 500, "backup_failed", NULL, "%s",
                   sqlite3_errmsg(to != NULL ? to : from));
        goto out;
    }
    b = sqlite3_backup_init(to, "main", from, "main");
    if (b == NULL) {
        mc_err_set(err, MC_EIO, 500, "backup_failed", NULL, "%s",
                   sqlite3_errmsg(to));
        rc = SQLITE_ERROR;
        goto out;
    }
    /* Copy in steps so a busy writer is not blocked for the whole copy;
     * a change by another connection restarts the copy. */
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            sqlite3_sleep(20);
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        mc_err_set(err, MC_EIO, 500, "backup_failed", NULL, "%s",
                   sqlite3_errmsg(to));
        goto out;
    }
    rc = sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        mc_err_set(err, MC_EIO, 500, "backup_failed", NULL, "%s",
                   sqlite3_errmsg(to));
    } else {
        rc = SQLITE_DONE;
    }
out:
    sqlite3_close_v2(to);
    sqlite3_close_v2(from);
    return rc == SQLITE_DONE ? MC_OK : MC_EIO;
}
