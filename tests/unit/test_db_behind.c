/*
 * test_db_behind.c - write-behind on a SQLite connection
 * (mc_db_write_behind): statements run in program order, reads see every
 * queued write, parameters are copied, an error of a queued statement is
 * reported by the next call that waits and the statements after it are
 * skipped, and stopping reports what is left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/sqlite_int.h"
#include "util/log.h"

struct fx {
    char dir[64];
    char path[96];
    struct mc_db *db;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct mc_err err;

    snprintf(f->dir, sizeof(f->dir), "/tmp/mc_behind_XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    mc_err_clear(&err);
    if (mc_db_open(f->path, MC_DB_WRITE, &f->db, &err) != MC_OK ||
        mc_db_exec(f->db,
                   "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, "
                   "v INTEGER, d REAL, b BLOB);"
                   "CREATE TABLE u (id INTEGER PRIMARY KEY, total INTEGER)",
                   &err) != MC_OK ||
        mc_db_write_behind(f->db, 1, &err) != MC_OK) {
        return -1;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    char p[128];

    mc_db_close(f->db); /* stops the thread */
    unlink(f->path);
    snprintf(p, sizeof(p), "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->path);
    unlink(p);
    rmdir(f->dir);
    free(f);
    return 0;
}

static int64_t
count(struct mc_db *db, const char *sql)
{
    struct mc_err err;
    int64_t n = -1;

    assert_int_equal(mc_db_i64(db, &n, &err, sql, ""), MC_OK);
    return n;
}

/* Queued writes interleaved with reads: each read sees all before it. */
static void
test_order_and_reads(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    char key[32];

    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    for (int i = 1; i <= 2000; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        assert_int_equal(mc_db_run(f->db, &err,
                                   "INSERT INTO t (k, v) VALUES (?, ?)",
                                   "ti", key, (int64_t)i),
                         MC_OK);
        /* the caller's buffer is reused at once: the job has a copy */
        memset(key, 'x', sizeof(key) - 1);
        if (i % 7 == 0) {
            assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t"), i);
            assert_int_equal(count(f->db, "SELECT MAX(v) FROM t"), i);
        }
    }
    assert_int_equal(mc_db_run(f->db, &err,
                               "UPDATE t SET v = v + 1 WHERE v <= ?", "i",
                               (int64_t)500),
                     MC_OK);
    assert_int_equal(mc_db_changes(f->db), 500);
    assert_int_equal(mc_db_commit(f->db, &err), MC_OK);
    assert_int_equal(count(f->db, "SELECT SUM(v) FROM t"),
                     2000 * 2001 / 2 + 500);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE k = "
                                  "'k' || (id)"),
                     2000);
}

/* Writes queued while a query is between two rows run in order. */
static void
test_writes_inside_a_query(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    struct mc_stmt *st;
    int64_t sum = 0, n = 0;
    int rc;

    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    for (int i = 1; i <= 400; i++) {
        assert_int_equal(mc_db_run(f->db, &err,
                                   "INSERT INTO t (id, v) VALUES (?, ?)",
                                   "ii", (int64_t)i, (int64_t)(i * 3)),
                         MC_OK);
    }
    st = mc_db_prep(f->db, "SELECT id, v FROM t WHERE id <= 300 ORDER BY id",
                    &err);
    assert_non_null(st);
    while ((rc = mc_stmt_step(st, &err)) == MC_DB_ROW) {
        int64_t id = mc_stmt_i64(st, 0), v = mc_stmt_i64(st, 1);
        sum += v;
        n++;
        assert_int_equal(mc_db_run(f->db, &err,
                                   "INSERT INTO u (id, total) VALUES (?, ?)",
                                   "ii", id, sum),
                         MC_OK);
    }
    assert_int_equal(rc, MC_DB_DONE);
    mc_stmt_done(st);
    assert_int_equal(n, 300);
    assert_int_equal(sum, 3 * 300 * 301 / 2);
    assert_int_equal(count(f->db, "SELECT total FROM u WHERE id = 300"), sum);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM u"), 300);
    assert_int_equal(mc_db_commit(f->db, &err), MC_OK);
}

/* Every parameter type, and a statement stepped twice before done. */
static void
test_parameter_types(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    struct mc_stmt *st;
    unsigned char blob[300];
    char text[64];
    size_t n = 0;
    const void *p;

    for (size_t i = 0; i < sizeof(blob); i++) {
        blob[i] = (unsigned char)(i * 7);
    }
    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    st = mc_db_prep(f->db, "INSERT INTO t (k, v, d, b) VALUES (?, ?, ?, ?)",
                    &err);
    assert_non_null(st);
    snprintf(text, sizeof(text), "Nguyễn Văn Đức");
    mc_stmt_bind_text(st, 1, text);
    mc_stmt_bind_null(st, 2);
    mc_stmt_bind_double(st, 3, 2.5);
    mc_stmt_bind_blob(st, 4, blob, sizeof(blob));
    memset(text, 0, sizeof(text)); /* bind_text copies */
    memset(blob, 0, 10);           /* so does bind_blob */
    assert_int_equal(mc_stmt_step(st, &err), MC_DB_DONE);
    mc_stmt_bind_text(st, 1, "second");
    assert_int_equal(mc_stmt_step(st, &err), MC_DB_DONE);
    mc_stmt_done(st);

    st = mc_db_prep(f->db,
                    "SELECT v IS NULL, d, b FROM t WHERE k = 'Nguyễn Văn "
                    "Đức'",
                    &err);
    assert_non_null(st);
    assert_int_equal(mc_stmt_step(st, &err), MC_DB_ROW);
    assert_int_equal(mc_stmt_i64(st, 0), 1);
    assert_true(mc_stmt_double(st, 1) == 2.5);
    p = mc_stmt_blob(st, 2, &n);
    assert_int_equal(n, 300);
    assert_int_equal(((const unsigned char *)p)[1], 7);
    assert_int_equal(((const unsigned char *)p)[299], (299 * 7) & 0xff);
    mc_stmt_done(st);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE k = 'second' "
                                  "AND d = 2.5 AND length(b) = 300"),
                     1);
    assert_int_equal(mc_db_commit(f->db, &err), MC_OK);
}

/* A failed queued statement: reported by the next read, what follows it
 * is skipped, the rollback clears it and the connection goes on. */
static void
test_error_reported_late(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    int64_t n = 0;

    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    assert_int_equal(mc_db_run(f->db, &err,
                               "INSERT INTO t (k) VALUES ('dup')", ""),
                     MC_OK);
    /* queued: the conflict is not known yet */
    assert_int_equal(mc_db_run(f->db, &err,
                               "INSERT INTO t (k) VALUES ('dup')", ""),
                     MC_OK);
    assert_int_equal(mc_db_run(f->db, &err,
                               "INSERT INTO t (k) VALUES ('after')", ""),
                     MC_OK);
    mc_err_clear(&err);
    assert_int_equal(mc_db_i64(f->db, &n, &err,
                               "SELECT COUNT(*) FROM t WHERE k = 'after'",
                               ""),
                     MC_ECONFLICT);
    assert_int_equal(err.status, 409);
    /* reported once; the statement after the failure did not run */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE k = 'after'"),
                     0);
    mc_db_rollback(f->db);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE k = 'dup'"),
                     0);

    /* a commit is queued too: the next wait reports the failure before
     * it, and the transaction is rolled back (the commit was skipped) */
    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(mc_db_run(f->db, &err,
                                   "INSERT INTO t (k) VALUES ('k1')", ""),
                         MC_OK);
    }
    assert_int_equal(mc_db_commit(f->db, &err), MC_OK);
    assert_int_equal(mc_db_i64(f->db, &n, &err,
                               "SELECT COUNT(*) FROM t WHERE k = 'k1'", ""),
                     MC_ECONFLICT);
    mc_db_rollback(f->db);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE k = 'k1'"),
                     0);
    /* a queued commit that succeeds is a commit */
    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    assert_int_equal(mc_db_run(f->db, &err,
                               "INSERT INTO t (k) VALUES ('k1')", ""),
                     MC_OK);
    assert_int_equal(mc_db_commit(f->db, &err), MC_OK);
    mc_db_rollback(f->db); /* nothing open: no effect */
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE k = 'k1'"),
                     1);

    /* and stopping write-behind reports it too */
    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(mc_db_run(f->db, &err,
                                   "INSERT INTO t (k) VALUES ('k2')", ""),
                         MC_OK);
    }
    assert_int_equal(mc_db_write_behind(f->db, 0, &err), MC_ECONFLICT);
    mc_db_rollback(f->db);
    /* off: errors are immediate again */
    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    assert_int_equal(mc_db_run(f->db, &err,
                               "INSERT INTO t (k) VALUES ('k2')", ""),
                     MC_OK);
    assert_int_equal(mc_db_run(f->db, &err,
                               "INSERT INTO t (k) VALUES ('k2')", ""),
                     MC_ECONFLICT);
    assert_int_equal(mc_db_commit(f->db, &err), MC_OK);
    assert_int_equal(mc_db_write_behind(f->db, 1, &err), MC_OK);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE k = 'k2'"),
                     1);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE k = 'dup'"),
                     0);
}

/*
 * A caller far ahead of the thread: 256 MiB of queued blobs, no read in
 * between. The queue is bounded (never more than 32 MiB and one job at
 * once); every row arrives intact and in order.
 */
static void
test_queue_bounded(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    struct mc_stmt *st;
    enum { NB = 256, SZ = 1 << 20 };
    unsigned char *blob = malloc(SZ);

    assert_non_null(blob);
    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    st = mc_db_prep(f->db, "INSERT INTO t (v, b) VALUES (?, ?)", &err);
    assert_non_null(st);
    for (int i = 0; i < NB; i++) {
        memset(blob, i, SZ);
        mc_stmt_bind_i64(st, 1, i);
        mc_stmt_bind_blob(st, 2, blob, SZ);
        assert_int_equal(mc_stmt_step(st, &err), MC_DB_DONE);
    }
    mc_stmt_done(st);
    free(blob);
    assert_true(mc_sq_behind_peak(f->db) > SZ);
    assert_true(mc_sq_behind_peak(f->db) <= ((size_t)32 << 20) + SZ + 256);
    assert_int_equal(mc_db_commit(f->db, &err), MC_OK);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE "
                                  "length(b) = 1048576 AND "
                                  "substr(b, 1, 1) = substr(b, 1048576, 1)"),
                     NB);
    assert_int_equal(count(f->db, "SELECT COUNT(*) FROM t WHERE "
                                  "hex(substr(b, 7, 1)) <> "
                                  "printf('%02X', v)"),
                     0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_order_and_reads, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_writes_inside_a_query, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_parameter_types, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_error_reported_late, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_queue_bounded, setup,
                                        teardown),
    };

    mc_log_set_level((enum mc_log_level)(MC_LOG_ERROR + 1));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
