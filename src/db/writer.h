/*
 * writer.h - the single write path, with group commit.
 *
 * A write is a function run inside a database transaction. In server mode
 * a writer thread owns the write connection: it takes every queued write,
 * runs each inside its own SAVEPOINT of one transaction (a failing write is
 * rolled back alone), commits once with synchronous=FULL, and only then
 * wakes the callers. So a caller that sees MC_OK knows its write is durable,
 * and N concurrent writes cost one fsync. In direct mode (CLI, tests) the
 * write runs synchronously in its own transaction.
 *
 * Write functions must do all their I/O through the db they are given, must
 * not block on anything else, and must leave the db as they found it on
 * error (the savepoint rollback takes care of rows).
 */
#ifndef MC_DB_WRITER_H
#define MC_DB_WRITER_H

#include "db/db.h"

struct mc_writer;

/*
 * A write. Runs inside a transaction on db; returns MC_OK to keep its
 * changes, a negative code (with err filled) to roll them back. ctx is the
 * caller's (borrowed for the duration of mc_writer_run).
 */
typedef int (*mc_write_fn)(struct mc_db *db, void *ctx, struct mc_err *err);

/*
 * Start a group-commit writer thread on its own connection to url.
 * max_batch bounds the writes per transaction (e.g. 256); cache_kib is the
 * connection's page cache (mc_db_cache; 0 keeps mc_db_open's default).
 */
int mc_writer_start(const char *url, int max_batch, int cache_kib,
                    struct mc_writer **out, struct mc_err *err) MC_WUR;
/*
 * A synchronous writer on an existing connection (borrowed; must outlive
 * the writer): each mc_writer_run is BEGIN (mc_db_begin) .. COMMIT inline.
 */
int mc_writer_direct(struct mc_db *db, struct mc_writer **out,
                     struct mc_err *err) MC_WUR;
/* Drain the queue, stop the thread, close its connection, free. */
void mc_writer_stop(struct mc_writer *w);

/*
 * Run fn(db, ctx, err) as one durable write. Blocks until committed (MC_OK)
 * or rolled back (fn's error, or MC_EDB if the commit failed).
 */
int mc_writer_run(struct mc_writer *w, mc_write_fn fn, void *ctx,
                  struct mc_err *err) MC_WUR;

/*
 * Queue fn(db, ctx, err) as one durable write without waiting: done(arg,
 * rc) runs once on the writer thread after the group's COMMIT (rc MC_OK) or
 * rollback (rc < 0, *err filled), and must only hand the result over (it
 * must not block or write). fn, ctx, err and arg are borrowed until done
 * runs. On a direct writer everything runs inline before this returns.
 * Returns MC_OK once queued, MC_ENOMEM (err filled, done never runs).
 */
int mc_writer_submit(struct mc_writer *w, mc_write_fn fn, void *ctx,
                     struct mc_err *err, void (*done)(void *arg, int rc),
                     void *arg) MC_WUR;

/* Statistics: transactions committed and writes run since start. */
void mc_writer_stats(struct mc_writer *w, long long *commits,
                     long long *writes);

#endif
