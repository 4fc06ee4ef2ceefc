/*
 * writer.c - group commit (see writer.h).
 *
 * Callers enqueue a job and sleep on their own condition variable. The
 * writer thread swaps the whole queue out, opens one transaction, runs each
 * job inside SAVEPOINT w, commits, and then signals every job with its
 * result. If COMMIT fails every job of the batch fails with MC_EDB.
 * Asynchronous jobs (mc_writer_submit) are heap-allocated; after the
 * commit the writer copies their error out, calls their done callback
 * outside the lock, and frees them.
 *
 * A batch of one job runs without the savepoint: if it fails, the whole
 * transaction rolls back, which undoes the same writes. The evaluation
 * rollup deltas of a batch are summed in memory and each (unit, procedure,
 * day) and (unit, procedure, month) row is upserted once before COMMIT
 * (mc_q_eval_rollup_batch_*): the same sums, in the same transaction as
 * the writes that made them; a failed job's deltas are dropped with its
 * savepoint.
 */
#include "db/writer.h"

#include <pthread.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>
#include <string.h>

#include "db/q_evaluation.h"
#include "util/alloc.h"
#include "util/log.h"

struct job {
    mc_write_fn fn;
    void *ctx;
    struct mc_err *err;
    struct mc_err local_err;
    int rc;
    int done;
    pthread_cond_t cv;
    void (*done_fn)(void *arg, int rc); /* async job: called, then freed */
    void *done_arg;
    struct job *next;
};

struct mc_writer {
    struct mc_db *db;
    int owns_db;
    int threaded;
    int max_batch;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *head, *tail;
    int stopping;
    long long commits, writes;
    /* background WAL checkpointer (SQLite) */
    struct mc_db *ckdb;
    pthread_t ckth;
    pthread_cond_t ckcv;          /* its own wake-up (never steals cv's) */
    long long ck_seen;
    /* rollup deltas of the current batch (threaded writer only) */
    struct mc_rollup_buf *rollups;
};

/* Run job j; alone: the only job of its transaction (no savepoint, the
 * caller rolls the transaction back if it fails). */
static int
run_one(struct mc_writer *w, struct job *j, int alone)
{
    size_t mark = mc_q_eval_rollup_mark(w->db);
    int rc;

    mc_err_clear(&j->local_err);
    if (!alone) {
        rc = mc_db_savepoint(w->db, "w", &j->local_err);
        if (rc != MC_OK) {
            return rc;
        }
    }
    rc = j->fn(w->db, j->ctx, &j->local_err);
    if (rc != MC_OK) {
        if (j->local_err.code[0] == '\0') {
            mc_err_set(&j->local_err, rc, 0, "write_failed", NULL,
                       "the change could not be saved");
        }
        if (!alone) {
            mc_q_eval_rollup_rollback_to(w->db, "w", mark);
        }
        return rc;
    }
    return alone ? MC_OK : mc_db_release(w->db, "w", &j->local_err);
}

/* Run a batch of n jobs in one transaction; 0 or the batch's error. */
static int
run_batch(struct mc_writer *w, struct job *batch, int n, int *committed,
          struct mc_err *cerr)
{
    struct job *j;
    int rc = mc_db_begin(w->db, cerr);

    if (rc != MC_OK) {
        return rc;
    }
    mc_q_eval_rollup_batch_begin(w->db, w->rollups);
    for (j = batch; j != NULL; j = j->next) {
        j->rc = run_one(w, j, n == 1);
    }
    if (n == 1 && batch->rc != MC_OK) {
        mc_db_rollback(w->db);
        return MC_OK; /* the job carries its own error */
    }
    rc = mc_q_eval_rollup_batch_flush(w->db, w->rollups, cerr);
    if (rc != MC_OK) {
        mc_db_rollback(w->db);
        return rc;
    }
    rc = mc_db_commit(w->db, cerr);
    *committed = rc == MC_OK;
    return rc;
}

static void *
writer_main(void *arg)
{
    struct mc_writer *w = arg;

    /* Every request waits on this one thread: let it win the CPU against
     * the connection threads (best effort; needs CAP_SYS_NICE). */
    (void)setpriority(PRIO_PROCESS, (id_t)gettid(), -5);
    pthread_setname_np(pthread_self(), "mc-writer");

    for (;;) {
        struct job *batch, *j, *rest = NULL, *async = NULL;
        struct mc_err cerr;
        int n = 0, rc, committed = 0;

        pthread_mutex_lock(&w->mu);
        while (w->head == NULL && !w->stopping) {
            pthread_cond_wait(&w->cv, &w->mu);
        }
        if (w->head == NULL && w->stopping) {
            pthread_mutex_unlock(&w->mu);
            break;
        }
        batch = w->head;
        for (j = batch; j != NULL; j = j->next) {
            if (++n == w->max_batch) {
                rest = j->next;
                j->next = NULL;
                break;
            }
        }
        w->head = rest;
        if (rest == NULL) {
            w->tail = NULL;
        }
        pthread_mutex_unlock(&w->mu);

        mc_err_clear(&cerr);
        rc = run_batch(w, batch, n, &committed, &cerr);
        pthread_mutex_lock(&w->mu);
        w->commits += committed;
        w->writes += n;
        for (j = batch; j != NULL; j = rest) {
            rest = j->next;
            if (rc != MC_OK) {
                j->rc = rc;
                j->local_err = cerr;
            }
            if (j->done_fn != NULL) {
                j->next = async;
                async = j;
                continue;
            }
            j->done = 1;
            pthread_cond_signal(&j->cv);
        }
        pthread_mutex_unlock(&w->mu);
        for (j = async; j != NULL; j = rest) {
            rest = j->next;
            if (j->rc != MC_OK && j->err != NULL) {
                *j->err = j->local_err;
            }
            j->done_fn(j->done_arg, j->rc);
            mc_free(j);
        }
    }
    return NULL;
}

/*
 * Checkpoint the WAL from a second connection, off the write path, so a
 * commit never pays for copying pages into the database file. Runs when
 * there were commits since the last pass, at most every 200 ms.
 */
static void *
checkpointer_main(void *arg)
{
    struct mc_writer *w = arg;
    struct timespec ts;
    long long seen;
    int stop;

    pthread_setname_np(pthread_self(), "mc-checkpoint");
    for (;;) {
        pthread_mutex_lock(&w->mu);
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        if (!w->stopping) {
            pthread_cond_timedwait(&w->ckcv, &w->mu, &ts);
        }
        stop = w->stopping;
        seen = w->commits;
        pthread_mutex_unlock(&w->mu);
        if (seen != w->ck_seen) {
            w->ck_seen = seen;
            if (mc_db_checkpoint(w->ckdb) != MC_OK) {
                mc_log_warn("WAL checkpoint failed; will retry");
            }
        }
        if (stop) {
            break;
        }
    }
    return NULL;
}

int
mc_writer_start(const char *url, int max_batch, int cache_kib,
                struct mc_writer **out, struct mc_err *err)
{
    struct mc_writer *w;
    int rc;

    *out = NULL;
    w = mc_calloc(1, sizeof(*w));
    if (w == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    rc = mc_q_eval_rollup_batch_new(&w->rollups, err);
    if (rc == MC_OK) {
        rc = mc_db_open(url, MC_DB_WRITE, &w->db, err);
    }
    if (rc != MC_OK) {
        mc_q_eval_rollup_batch_free(NULL, w->rollups);
        mc_free(w);
        return rc;
    }
    if (cache_kib > 0) {
        mc_db_cache(w->db, cache_kib);
    }
    w->owns_db = 1;
    w->threaded = 1;
    w->max_batch = max_batch > 0 ? max_batch : 256;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    /* Set up the checkpointer's connection before the writer thread owns
     * w->db (connections are single-threaded). */
    pthread_cond_init(&w->ckcv, NULL);
    if (mc_db_can_checkpoint(w->db) &&
        mc_db_open(url, MC_DB_WRITE, &w->ckdb, NULL) == MC_OK) {
        mc_db_autocheckpoint(w->db, 0);
    }
    if (pthread_create(&w->th, NULL, writer_main, w) != 0) {
        mc_db_close(w->ckdb);
        mc_db_close(w->db);
        mc_q_eval_rollup_batch_free(NULL, w->rollups);
        mc_free(w);
        return mc_err_set(err, MC_EINTERNAL, 500, "thread", NULL,
                          "cannot start the writer thread");
    }
    if (w->ckdb != NULL &&
        pthread_create(&w->ckth, NULL, checkpointer_main, w) != 0) {
        mc_db_close(w->ckdb);
        w->ckdb = NULL;
        mc_writer_stop(w);
        return mc_err_set(err, MC_EINTERNAL, 500, "thread", NULL,
                          "cannot start the checkpoint thread");
    }
    *out = w;
    return MC_OK;
}

int
mc_writer_direct(struct mc_db *db, struct mc_writer **out,
                 struct mc_err *err)
{
    struct mc_writer *w = mc_calloc(1, sizeof(*w));

    *out = NULL;
    if (w == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    w->db = db;
    w->max_batch = 1;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    *out = w;
    return MC_OK;
}

void
mc_writer_stop(struct mc_writer *w)
{
    if (w == NULL) {
        return;
    }
    if (w->threaded) {
        pthread_mutex_lock(&w->mu);
        w->stopping = 1;
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->th, NULL);
        if (w->ckdb != NULL) {
            pthread_mutex_lock(&w->mu);
            pthread_cond_broadcast(&w->ckcv);
            pthread_mutex_unlock(&w->mu);
            pthread_join(w->ckth, NULL);
            mc_db_close(w->ckdb);
        }
    }
    if (w->owns_db) {
        mc_db_close(w->db);
    }
    mc_q_eval_rollup_batch_free(w->owns_db ? NULL : w->db, w->rollups);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    if (w->threaded) {
        pthread_cond_destroy(&w->ckcv);
    }
    mc_free(w);
}

int
mc_writer_run(struct mc_writer *w, mc_write_fn fn, void *ctx,
              struct mc_err *err)
{
    struct job j;
    int rc;

    memset(&j, 0, sizeof(j));
    j.fn = fn;
    j.ctx = ctx;
    j.err = err;
    if (!w->threaded) {
        rc = mc_db_begin(w->db, &j.local_err);
        if (rc == MC_OK) {
            rc = fn(w->db, ctx, &j.local_err);
            if (rc == MC_OK) {
                rc = mc_db_commit(w->db, &j.local_err);
            } else {
                mc_db_rollback(w->db);
            }
        }
        w->writes++;
        w->commits += rc == MC_OK;
        if (rc != MC_OK && err != NULL) {
            *err = j.local_err;
            if (err->code[0] == '\0') {
                mc_err_set(err, rc, 0, "write_failed", NULL,
                           "the change could not be saved");
            }
        }
        return rc;
    }
    pthread_cond_init(&j.cv, NULL);
    pthread_mutex_lock(&w->mu);
    if (w->tail != NULL) {
        w->tail->next = &j;
    } else {
        w->head = &j;
    }
    w->tail = &j;
    pthread_cond_signal(&w->cv);
    while (!j.done) {
        pthread_cond_wait(&j.cv, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    pthread_cond_destroy(&j.cv);
    if (j.rc != MC_OK && err != NULL) {
        *err = j.local_err;
    }
    return j.rc;
}

int
mc_writer_submit(struct mc_writer *w, mc_write_fn fn, void *ctx,
                 struct mc_err *err, void (*done)(void *arg, int rc),
                 void *arg)
{
    struct job *j;
    int rc;

    if (!w->threaded) {
        rc = mc_writer_run(w, fn, ctx, err);
        done(arg, rc);
        return MC_OK;
    }
    j = mc_calloc(1, sizeof(*j));
    if (j == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    j->fn = fn;
    j->ctx = ctx;
    j->err = err;
    j->done_fn = done;
    j->done_arg = arg;
    pthread_mutex_lock(&w->mu);
    if (w->tail != NULL) {
        w->tail->next = j;
    } else {
        w->head = j;
    }
    w->tail = j;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return MC_OK;
}

void
mc_writer_stats(struct mc_writer *w, long long *commits, long long *writes)
{
    pthread_mutex_lock(&w->mu);
    *commits = w->commits;
    *writes = w->writes;
    pthread_mutex_unlock(&w->mu);
}
