/*
 * sqlite_behind.c - write-behind for the SQLite bulk load.
 *
 * `motcua gen` spends about half its time inside SQLite and half in the
 * domain code deciding what to write. With write-behind on, a statement
 * that writes and has no result columns (INSERT, UPDATE, DELETE without
 * RETURNING) is not run when stepped: its parameters are copied into a
 * job, the step answers MC_DB_DONE, and a second thread runs the jobs in
 * order on the same connection while the caller goes on. Anything else
 * that touches the connection (a query, its columns, mc_db_changes, a
 * prepare, exec, commit, close) first waits until the queue is empty, so
 * the connection is used by one thread at a time and every statement
 * runs in program order: the database sees exactly the sequence of the
 * synchronous path.
 *
 * The difference: an error of a queued statement is reported late, by
 * the next operation that waits (at the latest the commit), and the
 * statements queued after it are skipped; the caller then rolls back.
 * That is why only the bulk load, which stops at the first error, uses
 * it (mc_db_write_behind).
 *
 * Queue: two byte buffers. The caller appends jobs to `fill` under the
 * mutex; the thread swaps `fill` with its empty `run`, runs it outside
 * the mutex, and signals `idle` when both are empty.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "db/sqlite_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"


struct sq_behind {
    struct sq_db *d;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t work; /* the thread waits for jobs */
    pthread_cond_t idle; /* the caller waits for an empty queue */
    pthread_cond_t space; /* the caller waits for the full one taken */
    struct mc_buf fill, run; /* jobs, 8-byte aligned */
    int running;      /* a thread (either) is running `run` */
    size_t fill_jobs; /* jobs in fill */
    int stop;
    /* jobs queued and not yet run; read without the mutex to spin */
    _Atomic size_t pending;
    int t_sleeping; /* the thread waits on `work` */
    int c_sleeping; /* the caller waits on `idle` */
    int c_full;     /* the caller waits on `space` */
    int unreported; /* caller side: a failure seen by mc_sq_wait */
    int64_t n_jobs, n_waits; /* caller side: for the debug log */
    size_t peak;      /* the most bytes queued at once (under mu) */
    /* the first failure since the last report (under mu) */
    int failed, frc, fext;
    char fmsg[256];
};

/* A job: header, nb parameters, then their bytes (8-byte aligned). */
struct job {
    struct sq_stmt *s;
    int nb;
    size_t size; /* whole job, aligned */
};

struct jparam {
    int idx, type;
    int64_t i;
    double d;
    size_t len; /* bytes follow the parameter array, in order */
};

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

static const void *
param_bytes(const struct sq_stmt *s, const struct sq_bind *b)
{
    return b->borrowed ? b->ptr : (const void *)(s->scratch.data + b->off);
}

/*
 * Bind one recorded value (both paths: the queued job's copy and the
 * caller's record). A bind's own error (an index out of range) is
 * ignored, as the synchronous path ignores it: the statement runs with
 * what it has. p and n: the bytes of a text or blob.
 */
static void
bind_value(sqlite3_stmt *st, int idx, int type, int64_t i, double d,
           const void *p, size_t n, sqlite3_destructor_type keep)
{
    switch (type) {
    case SQLITE_INTEGER:
        (void)sqlite3_bind_int64(st, idx, i);
        break;
    case SQLITE_FLOAT:
        (void)sqlite3_bind_double(st, idx, d);
        break;
    case SQLITE_TEXT:
        (void)sqlite3_bind_text64(st, idx, p, n, keep, SQLITE_UTF8);
        break;
    case SQLITE_BLOB:
        (void)sqlite3_bind_blob64(st, idx, p, n, keep);
        break;
    default:
        (void)sqlite3_bind_null(st, idx);
        break;
    }
}

/* Bind the job's parameters and run it on the thread; 0 or SQLite rc. */
static int
run_job(const struct job *j)
{
    const struct jparam *pa = (const struct jparam *)(j + 1);
    const char *bytes = (const char *)(pa + j->nb);
    sqlite3_stmt *st = j->s->st;
    int rc = SQLITE_OK;

    for (int k = 0; k < j->nb; k++) {
        const struct jparam *p = &pa[k];
        bind_value(st, p->idx, p->type, p->i, p->d, bytes, p->len,
                   SQLITE_STATIC); /* the job outlives the statement's use */
        bytes += ALIGN8(p->len);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/*
 * The thread spins this long for more jobs before it sleeps, and the
 * caller this long for the thread to finish; a futex sleep and wake-up
 * cost more than a few statements.
 */
#define SPIN_ROUNDS 200
/*
 * A sleeping thread is woken only once this many jobs wait: smaller
 * queues are run by the caller itself when it next needs the connection
 * (take_and_run), so a load that reads between every few writes costs
 * what it costs without write-behind.
 */
#define WAKE_JOBS 64
/*
 * The queue's bytes not yet taken by the thread: a caller that runs
 * ahead of the writes (a batch of 200,000 dossiers queues about 4 M
 * statements before its commit) waits past this, so the two buffers
 * hold at most twice this (plus one job) whatever the batch.
 */
#define QUEUE_MAX ((size_t)32 << 20)

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/*
 * Called with bh->mu held and fill not empty: run the jobs of fill (in
 * the calling thread, without the mutex), then account for them. The
 * runner has the connection to itself: running is set, and only the
 * caller thread appends jobs.
 */
static void
take_and_run(struct sq_behind *bh)
{
    struct mc_buf t = bh->run;
    size_t njobs = 0;
    int skip = bh->failed;

    bh->run = bh->fill;
    bh->fill = t;
    bh->fill_jobs = 0;
    bh->running = 1;
    if (bh->c_full) {
        pthread_cond_signal(&bh->space); /* an empty buffer to fill */
    }
    pthread_mutex_unlock(&bh->mu);

    for (size_t off = 0; off < bh->run.len; njobs++) {
        const struct job *j = (const struct job *)(bh->run.data + off);
        int rc = skip ? SQLITE_OK : run_job(j);
        if (rc != SQLITE_OK) {
            pthread_mutex_lock(&bh->mu);
            bh->failed = 1;
            bh->frc = rc;
            bh->fext = sqlite3_extended_errcode(bh->d->h);
            snprintf(bh->fmsg, sizeof(bh->fmsg), "%s",
                     sqlite3_errmsg(bh->d->h));
            pthread_mutex_unlock(&bh->mu);
            skip = 1;
        }
        off += j->size;
    }

    pthread_mutex_lock(&bh->mu);
    bh->run.len = 0;
    bh->running = 0;
    atomic_fetch_sub(&bh->pending, njobs);
}

static void *
behind_main(void *arg)
{
    struct sq_behind *bh = arg;

    for (;;) {
        for (int i = 0; i < SPIN_ROUNDS && atomic_load(&bh->pending) == 0;
             i++) {
            cpu_relax();
        }
        pthread_mutex_lock(&bh->mu);
        while ((bh->fill.len == 0 || bh->running) && !bh->stop) {
            bh->t_sleeping = 1;
            pthread_cond_wait(&bh->work, &bh->mu);
            bh->t_sleeping = 0;
        }
        if (bh->stop) {
            pthread_mutex_unlock(&bh->mu);
            break; /* the caller has run what was left */
        }
        take_and_run(bh);
        if (bh->c_sleeping) {
            pthread_cond_signal(&bh->idle);
        }
        pthread_mutex_unlock(&bh->mu);
    }
    return NULL;
}

/*
 * Wait until every queued job ran: for the thread's batch if it runs
 * one, then run what is left here. 1 when a queued statement failed.
 */
static int
wait_idle(struct sq_db *d)
{
    struct sq_behind *bh = d->bh;
    int failed;

    bh->n_waits++;
    pthread_mutex_lock(&bh->mu);
    if (bh->running) {
        pthread_mutex_unlock(&bh->mu);
        for (int i = 0; i < SPIN_ROUNDS && atomic_load(&bh->pending) > 0;
             i++) {
            cpu_relax();
        }
        pthread_mutex_lock(&bh->mu);
        while (bh->running) {
            bh->c_sleeping = 1;
            pthread_cond_wait(&bh->idle, &bh->mu);
            bh->c_sleeping = 0;
        }
    }
    if (bh->fill.len > 0) {
        take_and_run(bh);
    }
    failed = bh->failed;
    pthread_mutex_unlock(&bh->mu);
    d->bh_queued = 0;
    return failed;
}

void
mc_sq_wait(struct sq_db *d)
{
    if (d->bh != NULL && d->bh_queued && wait_idle(d)) {
        d->bh->unreported = 1;
    }
}

int
mc_sq_drain(struct sq_db *d, struct mc_err *err)
{
    struct sq_behind *bh = d->bh;
    int rc = MC_OK;

    if (bh == NULL || (!d->bh_queued && !bh->unreported)) {
        return MC_OK;
    }
    if (wait_idle(d)) {
        pthread_mutex_lock(&bh->mu);
        rc = mc_sq_error(bh->frc, bh->fext, bh->fmsg, err);
        bh->failed = 0;
        pthread_mutex_unlock(&bh->mu);
        /* the statements after the failure were skipped, perhaps a
         * queued commit: end the transaction here, as the caller would */
        if (!sqlite3_get_autocommit(d->h)) {
            (void)sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
        }
    }
    bh->unreported = 0;
    return rc;
}

void
mc_sq_record(struct sq_stmt *s, int idx, int type, int64_t i, double d,
             const void *p, size_t n, int borrowed)
{
    struct sq_bind *b = NULL;

    for (int k = 0; k < s->nbinds; k++) {
        if (s->binds[k].idx == idx) {
            b = &s->binds[k]; /* rebound: the old bytes stay unused */
            break;
        }
    }
    if (b == NULL) {
        if (s->nbinds == s->capbinds) {
            int nc = s->capbinds ? 2 * s->capbinds : 16;
            struct sq_bind *nb = mc_realloc(s->binds, nc * sizeof(*nb));
            if (nb == NULL) {
                s->oom = 1;
                return;
            }
            s->binds = nb;
            s->capbinds = nc;
        }
        b = &s->binds[s->nbinds++];
    }
    memset(b, 0, sizeof(*b));
    b->idx = idx;
    b->type = type;
    b->i = i;
    b->d = d;
    b->len = n;
    if (type == SQLITE_TEXT && borrowed) {
        b->borrowed = 1;
        b->ptr = p;
    } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
        b->off = s->scratch.len;
        if (mc_buf_add(&s->scratch, p, n) != MC_OK) {
            s->oom = 1;
            return;
        }
    }
    s->dirty = 1;
}

void
mc_sq_unrecord(struct sq_stmt *s)
{
    s->nbinds = 0;
    mc_buf_reset(&s->scratch);
    s->dirty = 0;
    s->oom = 0;
}

/* Bind the recorded parameters to the statement (caller's thread). */
static void
bind_recorded(struct sq_stmt *s)
{
    for (int k = 0; k < s->nbinds; k++) {
        const struct sq_bind *b = &s->binds[k];
        bind_value(s->st, b->idx, b->type, b->i, b->d, param_bytes(s, b),
                   b->len, SQLITE_TRANSIENT);
    }
    s->dirty = 0;
}

static int
enqueue(struct sq_db *d, struct sq_stmt *s, struct mc_err *err)
{
    struct sq_behind *bh = d->bh;
    size_t size = sizeof(struct job) + (size_t)s->nbinds * sizeof(struct jparam);
    struct job *j;
    struct jparam *pa;
    char *bytes;

    for (int k = 0; k < s->nbinds; k++) {
        size += ALIGN8(s->binds[k].len);
    }
    size = ALIGN8(size);
    pthread_mutex_lock(&bh->mu);
    /* a bounded queue: past QUEUE_MAX bytes the caller wakes the thread
     * if it sleeps and waits until it takes this buffer (at once, or
     * when it has run the one before) */
    while (bh->fill.len > 0 && bh->fill.len + size > QUEUE_MAX) {
        if (!bh->running && bh->t_sleeping) {
            pthread_cond_signal(&bh->work);
        }
        bh->c_full = 1;
        pthread_cond_wait(&bh->space, &bh->mu);
        bh->c_full = 0;
    }
    if (mc_buf_reserve(&bh->fill, size) != MC_OK) {
        pthread_mutex_unlock(&bh->mu);
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    j = (struct job *)(bh->fill.data + bh->fill.len);
    j->s = s;
    j->nb = s->nbinds;
    j->size = size;
    pa = (struct jparam *)(j + 1);
    bytes = (char *)(pa + s->nbinds);
    for (int k = 0; k < s->nbinds; k++) {
        const struct sq_bind *b = &s->binds[k];
        pa[k].idx = b->idx;
        pa[k].type = b->type;
        pa[k].i = b->i;
        pa[k].d = b->d;
        pa[k].len = b->len;
        if (b->type == SQLITE_TEXT || b->type == SQLITE_BLOB) {
            if (b->len > 0) {
                memcpy(bytes, param_bytes(s, b), b->len);
            }
            bytes += ALIGN8(b->len);
        }
    }
    bh->fill.len += size;
    if (bh->fill.len > bh->peak) {
        bh->peak = bh->fill.len;
    }
    atomic_fetch_add(&bh->pending, 1);
    if (++bh->fill_jobs >= WAKE_JOBS && bh->t_sleeping) {
        pthread_cond_signal(&bh->work);
    }
    pthread_mutex_unlock(&bh->mu);
    d->bh_queued = 1;
    bh->n_jobs++;
    return MC_DB_DONE;
}

int
mc_sq_behind_step(struct sq_db *d, struct sq_stmt *s, struct mc_err *err)
{
    int rc;

    if (s->oom) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    if (s->defer_ok) {
        return enqueue(d, s, err);
    }
    rc = mc_sq_drain(d, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (s->dirty) {
        bind_recorded(s);
    }
    rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW) {
        return MC_DB_ROW;
    }
    if (rc == SQLITE_DONE) {
        return MC_DB_DONE;
    }
    return mc_sq_error(rc, sqlite3_extended_errcode(d->h),
                       sqlite3_errmsg(d->h), err);
}

size_t
mc_sq_behind_peak(struct mc_db *db)
{
    struct sq_behind *bh = ((struct sq_db *)db)->bh;
    size_t peak = 0;

    if (bh != NULL) {
        pthread_mutex_lock(&bh->mu);
        peak = bh->peak;
        pthread_mutex_unlock(&bh->mu);
    }
    return peak;
}

int
mc_sq_behind(struct mc_db *db, int on, struct mc_err *err)
{
    struct sq_db *d = (struct sq_db *)db;
    struct sq_behind *bh = d->bh;
    int rc;

    if (on) {
        if (bh != NULL) {
            return MC_OK;
        }
        bh = mc_calloc(1, sizeof(*bh));
        if (bh == NULL) {
            return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                              "out of memory");
        }
        bh->d = d;
        mc_buf_init(&bh->fill, SIZE_MAX / 4);
        mc_buf_init(&bh->run, SIZE_MAX / 4);
        pthread_mutex_init(&bh->mu, NULL);
        pthread_cond_init(&bh->work, NULL);
        pthread_cond_init(&bh->idle, NULL);
        pthread_cond_init(&bh->space, NULL);
        if (pthread_create(&bh->th, NULL, behind_main, bh) != 0) {
            pthread_mutex_destroy(&bh->mu);
            pthread_cond_destroy(&bh->work);
            pthread_cond_destroy(&bh->idle);
            pthread_cond_destroy(&bh->space);
            mc_free(bh);
            return mc_err_set(err, MC_EIO, 500, "thread", NULL,
                              "cannot start the write-behind thread");
        }
        d->bh = bh;
        return MC_OK;
    }
    if (bh == NULL) {
        return MC_OK;
    }
    rc = mc_sq_drain(d, err);
    mc_log_debug("write-behind: %lld statements queued, %lld waits for "
                 "the queue, at most %zu bytes queued", (long long)bh->n_jobs,
                 (long long)bh->n_waits, bh->peak);
    pthread_mutex_lock(&bh->mu);
    bh->stop = 1;
    pthread_cond_signal(&bh->work);
    pthread_mutex_unlock(&bh->mu);
    pthread_join(bh->th, NULL);
    pthread_mutex_destroy(&bh->mu);
    pthread_cond_destroy(&bh->work);
    pthread_cond_destroy(&bh->idle);
    pthread_cond_destroy(&bh->space);
    mc_buf_release(&bh->fill);
    mc_buf_release(&bh->run);
    mc_free(bh);
    d->bh = NULL;
    return rc;
}
