/*
 * pg.c - PostgreSQL backend of db.h over libpq.
 *
 * One PGconn per struct mc_db (one thread at a time). The portable SQL of
 * the q_*.c modules is rewritten here: '?' placeholders become $1..$n
 * (outside quotes and comments). Statements are prepared lazily, on their
 * first step, under a generated name and cached per connection keyed by
 * the SQL text; parameters are sent as text (bytea as binary) and results
 * come back as text.
 *
 * Parameter types are left to the server to infer; where it infers int2 or
 * int4 the statement is prepared again with int8 there (our integers are
 * 64-bit), and where it cannot infer one ("? IS NULL") the statement is
 * prepared again with the types of the values bound. Inside a transaction
 * a first preparation runs under a savepoint, since a failed Parse would
 * abort the transaction.
 *
 * Errors: SQLSTATE class 23 (unique, foreign key, check, not null) ->
 * MC_ECONFLICT, as SQLite's SQLITE_CONSTRAINT; 40001, 40P01, 55P03 ->
 * MC_EBUSY. A COMMIT that the server turns into ROLLBACK (the transaction
 * had failed) is an error.
 *
 * Write transactions begin with "BEGIN" (READ COMMITTED); db.c then takes
 * the cluster-wide audit-chain lock through the lock op (an advisory
 * transaction lock), so the chain stays one chain across instances.
 *
 * BEGIN, SAVEPOINT, RELEASE SAVEPOINT and advisory locks are deferred
 * and sent with the next statement (see defer()), so the group-commit
 * writer pays round trips only for the statements of its writes.
 * MOTCUA_PG_STATS=1 logs each connection's round trips and statements when
 * it closes.
 *
 * Migrations: the ddl op, mc_pg_ddl (pg_ddl.c).
 */
#include <ctype.h>
#include <strings.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/backend.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"

#define CACHE_SLOTS 256
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_FLOAT8 701

struct pg_stmt {
    struct mc_stmt base;
    char *sql;   /* portable text, cache key */
    char *pgsql; /* with $n placeholders */
    char name[24];
    int nparams;
    int prepared;
    int simple; /* utility statement without parameters: PQexec */
    int executed;
    char **vals;
    int *lens;
    int *fmts;
    Oid *types;
    PGresult *res;
    int row, nrows, ncols;
    unsigned char **blobs; /* unescaped bytea of the current row */
    struct pg_stmt *next;  /* hash chain */
    int busy;
};

#define MAX_LOCKS 4
#define MAX_PENDING 8
#define PENDING_LEN 96

struct pg_db {
    struct mc_db base;
    PGconn *c;
    enum mc_db_mode mode;
    int resetting;
    struct pg_stmt *cache[CACHE_SLOTS];
    unsigned nstmt;
    int64_t changes;
    int64_t locks[MAX_LOCKS]; /* advisory locks held by this transaction */
    int nlocks;
    /* deferred utility statements (see defer()), sent in order ahead of
     * the next statement, in the same round trip */
    char pending[MAX_PENDING][PENDING_LEN];
    int npending;
    int stats;                  /* MOTCUA_PG_STATS: log counters at close */
    long long trips, statements; /* round trips; statements sent */
};

static unsigned
hash_sql(const char *s)
{
    unsigned h = 2166136261u;

    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h % CACHE_SLOTS;
}

static int session_setup(struct pg_db *d, struct mc_err *err);

/*
 * The connection broke (server restart, network): reconnect once, forget
 * what was prepared on the old session and report MC_EBUSY, so the caller
 * may retry. An open transaction is lost either way.
 */
static int
reconnect(struct pg_db *d, struct mc_err *err)
{
    PQreset(d->c);
    d->nlocks = 0;
    d->npending = 0;
    if (PQstatus(d->c) == CONNECTION_OK) {
        for (int i = 0; i < CACHE_SLOTS; i++) {
            for (struct pg_stmt *s = d->cache[i]; s != NULL; s = s->next) {
                s->prepared = 0;
            }
        }
        (void)session_setup(d, NULL);
        mc_log_info("postgres: reconnected");
    } else {
        mc_log_error("postgres: connection lost: %s", PQerrorMessage(d->c));
    }
    return mc_err_set(err, MC_EBUSY, 503, "busy", NULL,
                      "database connection lost, retry");
}

static int
pg_error(struct pg_db *d, const PGresult *res, const char *sql,
         struct mc_err *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
                            : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(d->c);

    if (PQstatus(d->c) == CONNECTION_BAD && !d->resetting) {
        int rc;

        d->resetting = 1;
        rc = reconnect(d, err);
        d->resetting = 0;
        return rc;
    }
    if (state != NULL && strncmp(state, "23", 2) == 0) {
        int fk = strcmp(state, "23503") == 0;
        const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

        return mc_err_set(err, MC_ECONFLICT, 409,
                          fk ? "bad_reference" : "conflict", NULL, "%s",
                          fk ? "a referenced record does not exist"
                             : (m ? m : "conflict"));
    }
    if (state != NULL &&
        (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
         strcmp(state, "55P03") == 0)) {
        return mc_err_set(err, MC_EBUSY, 503, "busy", NULL,
                          "database busy, retry");
    }
    mc_log_error("postgres: %s [%s] in: %.300s", msg ? msg : "?",
                 state ? state : "-", sql ? sql : "");
    return mc_err_set(err, MC_EDB, 500, "database_error", NULL,
                      "database error");
}

/* ---- placeholders ---- */

/* Copy sql with '?' -> $n outside literals and comments. */
static char *
rewrite_params(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = mc_malloc(n * 4 + 1); /* "?" -> "$9999" at worst */
    char *o = out;
    int k = 0;

    if (out == NULL) {
        return NULL;
    }
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            *o++ = *p++;
            while (*p) {
                if (*p == q && p[1] == q) {
                    *o++ = *p++;
                    *o++ = *p++;
                } else if (*p == q) {
                    *o++ = *p++;
                    break;
                } else {
                    *o++ = *p++;
                }
            }
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') {
                *o++ = *p++;
            }
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            size_t len = e ? (size_t)(e + 2 - p) : strlen(p);
            memcpy(o, p, len);
            o += len;
            p += len;
        } else if (*p == '?') {
            o += snprintf(o, 8, "$%d", ++k);
            p++;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    *nparams = k;
    return out;
}

/* ---- connection ---- */

static void
free_stmt(struct pg_stmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        mc_free(s->vals[i]);
    }
    if (s->blobs != NULL) {
        for (int i = 0; i < s->ncols; i++) {
            PQfreemem(s->blobs[i]);
        }
    }
    mc_free(s->blobs);
    PQclear(s->res);
    mc_free(s->vals);
    mc_free(s->lens);
    mc_free(s->fmts);
    mc_free(s->types);
    mc_free(s->sql);
    mc_free(s->pgsql);
    mc_free(s);
}

static void
pg_close(struct mc_db *db)
{
    struct pg_db *d = (struct pg_db *)db;

    if (d->stats) {
        mc_log_info("postgres: %s connection: %lld round trips, %lld "
                    "statements", d->mode == MC_DB_WRITE ? "write" : "read",
                    d->trips, d->statements);
    }
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct pg_stmt *s, *n;
        for (s = d->cache[i]; s != NULL; s = n) {
            n = s->next;
            free_stmt(s);
        }
    }
    PQfinish(d->c);
    mc_free(d->base.url);
    mc_free(d);
}

static int
starts_with(const char *s, const char *word)
{
    size_t n = strlen(word);

    while (isspace((unsigned char)*s)) {
        s++;
    }
    return strncasecmp(s, word, n) == 0;
}

/*
 * Deferred statements. BEGIN, SAVEPOINT, RELEASE SAVEPOINT and the
 * advisory lock return nothing the caller reads and fail only when the
 * session or the transaction is already broken. Rather than a round trip
 * each, they are queued on the connection and sent, in order, ahead of the
 * next statement: in one multi-statement PQexec, or in one pipeline with
 * the next prepared statement. The server runs the same statements in the
 * same order, so a transaction holds the same locks and savepoints when
 * its next statement runs; an error of a deferred statement is reported by
 * the statement it travels with. The group-commit writer thus pays no
 * round trip of its own for BEGIN, the audit-chain lock, or the SAVEPOINT
 * and RELEASE around each write (the last RELEASE travels with COMMIT).
 */
static int
deferrable(const char *sql)
{
    return (starts_with(sql, "BEGIN") || starts_with(sql, "SAVEPOINT") ||
            starts_with(sql, "RELEASE")) &&
           strchr(sql, ';') == NULL && strlen(sql) < PENDING_LEN;
}

/* Queue sql (deferrable, or the lock); 0 when the queue is full. */
static int
defer(struct pg_db *d, const char *sql)
{
    if (d->npending == MAX_PENDING || strlen(sql) >= PENDING_LEN) {
        return 0;
    }
    snprintf(d->pending[d->npending++], PENDING_LEN, "%s", sql);
    return 1;
}

/* The queued statements joined by "; ", then tail; the queue is
 * emptied. Malloc'd; NULL when out of memory. */
static char *
take_pending(struct pg_db *d, const char *tail)
{
    struct mc_buf b;
    char *out;
    int rc = MC_OK;

    mc_buf_init(&b, strlen(tail) + sizeof(d->pending) + 2 * MAX_PENDING);
    for (int i = 0; i < d->npending && rc == MC_OK; i++) {
        rc = mc_buf_printf(&b, "%s; ", d->pending[i]);
    }
    if (rc == MC_OK) {
        rc = mc_buf_adds(&b, tail);
    }
    d->statements += d->npending + (*tail != '\0');
    d->npending = 0;
    out = rc == MC_OK ? mc_strdup(b.data ? b.data : "") : NULL;
    mc_buf_release(&b);
    return out;
}

static int
pg_exec(struct mc_db *db, const char *sql, struct mc_err *err)
{
    struct pg_db *d = (struct pg_db *)db;
    PGresult *res;
    ExecStatusType st;
    char *joined = NULL;
    int rc = MC_OK;

    if (starts_with(sql, "BEGIN") || starts_with(sql, "COMMIT") ||
        starts_with(sql, "ROLLBACK")) {
        d->nlocks = 0; /* advisory xact locks end (or may end) here */
    }
    /* deferred only while the transaction is sound: in a failed one the
     * error must reach the write it belongs to (RELEASE of a write whose
     * statement failed unnoticed) */
    if (deferrable(sql) && PQtransactionStatus(d->c) != PQTRANS_INERROR &&
        defer(d, sql)) {
        return MC_OK;
    }
    if (starts_with(sql, "ROLLBACK") && !starts_with(sql, "ROLLBACK TO") &&
        d->npending > 0 && starts_with(d->pending[0], "BEGIN")) {
        d->npending = 0; /* the transaction never reached the server */
        return MC_OK;
    }
    if (d->npending > 0) {
        joined = take_pending(d, sql);
        if (joined == NULL) {
            return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                              "out of memory");
        }
    } else {
        d->statements++;
    }
    d->trips++;
    res = PQexec(d->c, joined ? joined : sql);
    st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
        st != PGRES_EMPTY_QUERY) {
        rc = pg_error(d, res, joined ? joined : sql, err);
    } else if (starts_with(sql, "COMMIT") &&
               strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
        /* the transaction had failed: the server rolled it back */
        rc = mc_err_set(err, MC_EDB, 500, "database_error", NULL,
                        "the transaction was rolled back");
    }
    PQclear(res);
    mc_free(joined);
    return rc;
}

/* Send the queued statements now (before a call that cannot carry them). */
static int
flush_pending(struct pg_db *d, struct mc_err *err)
{
    return d->npending > 0 ? pg_exec(&d->base, "", err) : MC_OK;
}

static struct mc_stmt *
pg_prep(struct mc_db *db, const char *sql, struct mc_err *err)
{
    struct pg_db *d = (struct pg_db *)db;
    unsigned h = hash_sql(sql);
    struct pg_stmt *s;

    for (s = d->cache[h]; s != NULL; s = s->next) {
        if (!s->busy && strcmp(s->sql, sql) == 0) {
            s->busy = 1;
            return &s->base;
        }
    }
    s = mc_calloc(1, sizeof(*s));
    if (s == NULL || (s->sql = mc_strdup(sql)) == NULL ||
        (s->pgsql = rewrite_params(sql, &s->nparams)) == NULL) {
        goto oom;
    }
    if (s->nparams > 0) {
        s->vals = mc_calloc((size_t)s->nparams, sizeof(*s->vals));
        s->lens = mc_calloc((size_t)s->nparams, sizeof(*s->lens));
        s->fmts = mc_calloc((size_t)s->nparams, sizeof(*s->fmts));
        s->types = mc_calloc((size_t)s->nparams, sizeof(*s->types));
        if (s->vals == NULL || s->lens == NULL || s->fmts == NULL ||
            s->types == NULL) {
            goto oom;
        }
    } else if (starts_with(sql, "SAVEPOINT") || starts_with(sql, "RELEASE") ||
               starts_with(sql, "ROLLBACK") || starts_with(sql, "BEGIN") ||
               starts_with(sql, "COMMIT")) {
        s->simple = 1;
    }
    snprintf(s->name, sizeof(s->name), "mc%u", ++d->nstmt);
    s->base.db = db;
    s->busy = 1;
    s->next = d->cache[h];
    d->cache[h] = s;
    return &s->base;
oom:
    if (s != NULL) {
        mc_free(s->vals);
        mc_free(s->lens);
        mc_free(s->fmts);
        mc_free(s->types);
        mc_free(s->sql);
        mc_free(s->pgsql);
        mc_free(s);
    }
    mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL, "out of memory");
    return NULL;
}

/* ---- binding ---- */

static void
set_param(struct mc_stmt *st, int idx, char *v, int len, int fmt, Oid type)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    if (idx < 1 || idx > s->nparams) {
        mc_log_error("postgres: parameter %d out of range in: %.200s", idx,
                     s->sql);
        mc_free(v);
        return;
    }
    mc_free(s->vals[idx - 1]);
    s->vals[idx - 1] = v;
    s->lens[idx - 1] = len;
    s->fmts[idx - 1] = fmt;
    s->types[idx - 1] = type;
}

static void
pg_bind_i64(struct mc_stmt *st, int idx, int64_t v)
{
    char b[24];

    snprintf(b, sizeof(b), "%" PRId64, v);
    set_param(st, idx, mc_strdup(b), 0, 0, OID_INT8);
}

static void
pg_bind_double(struct mc_stmt *st, int idx, double v)
{
    char b[40];

    snprintf(b, sizeof(b), "%.17g", v);
    set_param(st, idx, mc_strdup(b), 0, 0, OID_FLOAT8);
}

static void
pg_bind_text(struct mc_stmt *st, int idx, const char *s)
{
    set_param(st, idx, s ? mc_strdup(s) : NULL, 0, 0, s ? OID_TEXT : 0);
}

static void
pg_bind_blob(struct mc_stmt *st, int idx, const void *p, size_t n)
{
    char *v = mc_malloc(n ? n : 1);

    if (v != NULL && n > 0) {
        memcpy(v, p, n);
    }
    set_param(st, idx, v, (int)n, 1, OID_BYTEA);
}

static void
pg_bind_null(struct mc_stmt *st, int idx)
{
    set_param(st, idx, NULL, 0, 0, 0);
}

/* ---- preparing and stepping ---- */

static int
sqlstate_is(const PGresult *res, const char *a, const char *b)
{
    const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);

    return s != NULL && (strcmp(s, a) == 0 || (b && strcmp(s, b) == 0));
}

/* PQprepare; inside a transaction under a savepoint. 1 = retry with
 * explicit types, 0 = done, < 0 error. */
static int
prepare_once(struct pg_db *d, struct pg_stmt *s, const Oid *types,
             int retryable, struct mc_err *err)
{
    PGresult *res;
    int rc = 0;
    int sp = d->base.in_tx;

    if (sp && pg_exec(&d->base, "SAVEPOINT mc_prep", err) != MC_OK) {
        return MC_EDB;
    }
    if (flush_pending(d, err) != MC_OK) {
        return MC_EDB;
    }
    d->trips++;
    res = PQprepare(d->c, s->name, s->pgsql, s->nparams, types);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        if (retryable && sqlstate_is(res, "42P18", "42725")) {
            rc = 1;
        } else {
            rc = pg_error(d, res, s->pgsql, err);
        }
        if (sp) {
            PQclear(PQexec(d->c, "ROLLBACK TO SAVEPOINT mc_prep"));
        }
    }
    PQclear(res);
    if (sp) {
        PQclear(PQexec(d->c, "RELEASE SAVEPOINT mc_prep"));
    }
    return rc;
}

static int
pg_prepare(struct pg_db *d, struct pg_stmt *s, struct mc_err *err)
{
    Oid *types = NULL;
    PGresult *desc;
    int rc, narrow = 0;

    rc = prepare_once(d, s, NULL, 1, err);
    if (rc < 0) {
        return rc;
    }
    types = mc_calloc((size_t)s->nparams + 1, sizeof(Oid));
    if (types == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    if (rc == 1) {
        /* no type inferred somewhere: use the types of the bound values */
        for (int i = 0; i < s->nparams; i++) {
            types[i] = s->types[i] ? s->types[i] : OID_TEXT;
        }
        rc = prepare_once(d, s, types, 0, err);
        mc_free(types);
        if (rc == MC_OK) {
            s->prepared = 1;
        }
        return rc;
    }
    d->trips++;
    desc = PQdescribePrepared(d->c, s->name);
    if (PQresultStatus(desc) == PGRES_COMMAND_OK) {
        for (int i = 0; i < s->nparams && i < PQnparams(desc); i++) {
            types[i] = PQparamtype(desc, i);
            if (types[i] == OID_INT4 || types[i] == OID_INT2) {
                types[i] = OID_INT8;
                narrow = 1;
            }
        }
    }
    PQclear(desc);
    if (narrow) {
        char sql[48];

        snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
        PQclear(PQexec(d->c, sql));
        rc = prepare_once(d, s, types, 0, err);
    }
    mc_free(types);
    if (rc == MC_OK) {
        s->prepared = 1;
    }
    return rc;
}

/* Read one pipelined query's result and its terminating NULL. */
static PGresult *
pipeline_result(PGconn *c)
{
    PGresult *res = PQgetResult(c), *more;

    if (res != NULL) {
        while ((more = PQgetResult(c)) != NULL) {
            PQclear(more);
        }
    }
    return res;
}

/*
 * Execute s (prepared) with the queued statements ahead of it, in one
 * pipeline: one round trip. Returns s's result, or the error result of
 * the queued statement that failed (*failed: its text; s did not run), or
 * NULL when the connection broke.
 */
static PGresult *
exec_prepared(struct pg_db *d, struct pg_stmt *s, const char **failed)
{
    const char *const *vals = (const char *const *)s->vals;
    PGresult *res = NULL, *r;
    int n = d->npending, ok;

    *failed = NULL;
    d->trips++;
    d->statements++;
    if (n == 0 || !PQenterPipelineMode(d->c)) {
        if (n > 0 && flush_pending(d, NULL) != MC_OK) {
            *failed = "BEGIN/SAVEPOINT/RELEASE";
            return NULL;
        }
        return PQexecPrepared(d->c, s->name, s->nparams, vals, s->lens,
                              s->fmts, 0);
    }
    d->npending = 0;
    d->statements += n;
    ok = 1;
    for (int i = 0; i < n && ok; i++) {
        ok = PQsendQueryParams(d->c, d->pending[i], 0, NULL, NULL, NULL,
                               NULL, 0);
    }
    ok = ok && PQsendQueryPrepared(d->c, s->name, s->nparams, vals, s->lens,
                                   s->fmts, 0);
    ok = ok && PQpipelineSync(d->c);
    for (int i = 0; ok && i <= n; i++) {
        r = pipeline_result(d->c);
        if (r == NULL) {
            ok = 0;
        } else if (res == NULL &&
                   (i == n || (PQresultStatus(r) != PGRES_COMMAND_OK &&
                               PQresultStatus(r) != PGRES_TUPLES_OK))) {
            res = r;
            *failed = i < n ? d->pending[i] : NULL;
        } else {
            PQclear(r);
        }
    }
    if (ok) {
        r = PQgetResult(d->c);
        ok = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        PQclear(r);
    }
    if (!PQexitPipelineMode(d->c) || !ok) {
        mc_log_error("postgres: pipeline failed: %s", PQerrorMessage(d->c));
        if (PQstatus(d->c) != CONNECTION_BAD && !d->resetting) {
            /* out of step with the server: start a new session */
            d->resetting = 1;
            (void)reconnect(d, NULL);
            d->resetting = 0;
        }
        PQclear(res);
        return NULL;
    }
    return res;
}

static void
clear_row(struct pg_stmt *s)
{
    if (s->blobs != NULL) {
        for (int i = 0; i < s->ncols; i++) {
            PQfreemem(s->blobs[i]);
            s->blobs[i] = NULL;
        }
    }
}

static int
pg_step(struct mc_stmt *st, struct mc_err *err)
{
    struct pg_stmt *s = (struct pg_stmt *)st;
    struct pg_db *d = (struct pg_db *)st->db;

    clear_row(s);
    if (!s->executed) {
        PGresult *res;
        ExecStatusType rs;
        const char *ct, *failed = NULL;

        s->executed = 1;
        if (s->simple) {
            int rc = pg_exec(st->db, s->sql, err);
            s->nrows = 0;
            return rc < 0 ? rc : MC_DB_DONE;
        }
        if (!s->prepared) {
            int rc = pg_prepare(d, s, err);
            if (rc < 0) {
                return rc;
            }
        }
        res = exec_prepared(d, s, &failed);
        rs = PQresultStatus(res);
        if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
            int rc = pg_error(d, res, failed ? failed : s->sql, err);
            PQclear(res);
            return rc;
        }
        ct = PQcmdTuples(res);
        if (ct != NULL && *ct != '\0' &&
            !starts_with(PQcmdStatus(res), "SELECT")) {
            d->changes = strtoll(ct, NULL, 10);
        }
        s->res = res;
        s->row = -1;
        s->nrows = PQntuples(res);
        if (PQnfields(res) > s->ncols || s->blobs == NULL) {
            mc_free(s->blobs);
            s->ncols = PQnfields(res);
            s->blobs = mc_calloc((size_t)s->ncols + 1, sizeof(*s->blobs));
            if (s->blobs == NULL) {
                s->ncols = 0;
            }
        }
    }
    if (s->res == NULL) {
        return MC_DB_DONE;
    }
    if (++s->row < s->nrows) {
        return MC_DB_ROW;
    }
    return MC_DB_DONE;
}

static int
has_value(struct pg_stmt *s, int col)
{
    return s->res != NULL && s->row >= 0 && s->row < s->nrows && col >= 0 &&
           col < PQnfields(s->res) && !PQgetisnull(s->res, s->row, col);
}

static int64_t
pg_col_i64(struct mc_stmt *st, int col)
{
    struct pg_stmt *s = (struct pg_stmt *)st;
    const char *v;

    if (!has_value(s, col)) {
        return 0;
    }
    v = PQgetvalue(s->res, s->row, col);
    if (v[0] == 't' && v[1] == '\0') {
        return 1;
    }
    if (v[0] == 'f' && v[1] == '\0') {
        return 0;
    }
    if (strpbrk(v, ".eE") != NULL) {
        return (int64_t)strtod(v, NULL);
    }
    return strtoll(v, NULL, 10);
}

static double
pg_col_double(struct mc_stmt *st, int col)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    return has_value(s, col) ? strtod(PQgetvalue(s->res, s->row, col), NULL)
                             : 0.0;
}

static const char *
pg_col_text(struct mc_stmt *st, int col)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    if (!has_value(s, col)) {
        return NULL;
    }
    if (PQftype(s->res, col) == OID_BOOL) {
        return PQgetvalue(s->res, s->row, col)[0] == 't' ? "1" : "0";
    }
    return PQgetvalue(s->res, s->row, col);
}

static const void *
pg_col_blob(struct mc_stmt *st, int col, size_t *n)
{
    struct pg_stmt *s = (struct pg_stmt *)st;
    const char *v;

    *n = 0;
    if (!has_value(s, col)) {
        return NULL;
    }
    v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) != OID_BYTEA || s->blobs == NULL ||
        col >= s->ncols) {
        *n = (size_t)PQgetlength(s->res, s->row, col);
        return v;
    }
    if (s->blobs[col] == NULL) {
        s->blobs[col] = PQunescapeBytea((const unsigned char *)v, n);
    } else {
        /* already decoded for this row: decode length again */
        PQfreemem(s->blobs[col]);
        s->blobs[col] = PQunescapeBytea((const unsigned char *)v, n);
    }
    return s->blobs[col];
}

static int
pg_col_isnull(struct mc_stmt *st, int col)
{
    return !has_value((struct pg_stmt *)st, col);
}

static int
pg_ncols(struct mc_stmt *st)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    return s->res != NULL ? PQnfields(s->res) : 0;
}

static void
pg_done(struct mc_stmt *st)
{
    struct pg_stmt *s = (struct pg_stmt *)st;

    clear_row(s);
    PQclear(s->res);
    s->res = NULL;
    s->executed = 0;
    s->row = -1;
    s->nrows = 0;
    for (int i = 0; i < s->nparams; i++) {
        mc_free(s->vals[i]);
        s->vals[i] = NULL;
        s->lens[i] = 0;
        s->fmts[i] = 0;
        s->types[i] = 0;
    }
    s->busy = 0;
}

static int64_t
pg_changes(struct mc_db *db)
{
    return ((struct pg_db *)db)->changes;
}

/* ---- advisory locks ---- */

static int
pg_lock(struct mc_db *db, const char *name, struct mc_err *err)
{
    struct pg_db *d = (struct pg_db *)db;
    uint64_t h = 14695981039346656037ull;
    char sql[80];
    int rc = MC_OK;

    for (const char *p = name; *p; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    }
    h &= 0x7fffffffffffffffull;
    for (int i = 0; i < d->nlocks; i++) {
        if (d->locks[i] == (int64_t)h) {
            return MC_OK;
        }
    }
    /* queued (see defer()): taken before the next statement runs */
    snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%" PRId64
             "::bigint)", (int64_t)h);
    if (!defer(d, sql)) {
        rc = pg_exec(db, sql, err);
    }
    if (rc == MC_OK && d->nlocks < MAX_LOCKS) {
        d->locks[d->nlocks++] = (int64_t)h;
    }
    return rc;
}

static const struct mc_db_ops pg_ops = {
    .close = pg_close,
    .exec = pg_exec,
    .prep = pg_prep,
    .bind_i64 = pg_bind_i64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_i64 = pg_col_i64,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_isnull = pg_col_isnull,
    .ncols = pg_ncols,
    .done = pg_done,
    .changes = pg_changes,
    .ddl = mc_pg_ddl,
    .lock = pg_lock,
    .begin_sql = "BEGIN",
};

static void
quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    mc_log_debug("postgres: %s", msg);
}

/* Per-session settings (again after a reconnect). */
static int
session_setup(struct pg_db *d, struct mc_err *err)
{
    PQsetNoticeProcessor(d->c, quiet_notice, NULL);
    if (pg_exec(&d->base,
                "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; "
                "SET client_min_messages = warning",
                err) != MC_OK) {
        return MC_EDB;
    }
    if (d->mode == MC_DB_READ &&
        pg_exec(&d->base, "SET default_transaction_read_only = on", err) !=
            MC_OK) {
        return MC_EDB;
    }
    return MC_OK;
}

int
mc_pg_open(const char *url, enum mc_db_mode mode, struct mc_db **out,
           struct mc_err *err)
{
    struct pg_db *d;

    *out = NULL;
    d = mc_calloc(1, sizeof(*d));
    if (d == NULL || (d->base.url = mc_strdup(url)) == NULL) {
        mc_free(d);
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    d->base.ops = &pg_ops;
    d->base.kind = MC_DB_PG;
    d->mode = mode;
    d->stats = getenv("MOTCUA_PG_STATS") != NULL;
    d->c = PQconnectdb(url);
    if (d->c == NULL || PQstatus(d->c) != CONNECTION_OK) {
        char msg[300];

        snprintf(msg, sizeof(msg), "%s",
                 d->c ? PQerrorMessage(d->c) : "out of memory");
        msg[strcspn(msg, "\n")] = '\0';
        pg_close(&d->base);
        return mc_err_set(err, MC_EDB, 500, "database_open", NULL,
                          "cannot connect to PostgreSQL: %s", msg);
    }
    if (session_setup(d, err) != MC_OK) {
        pg_close(&d->base);
        return MC_EDB;
    }
    *out = &d->base;
    return MC_OK;
}
