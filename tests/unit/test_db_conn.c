/*
 * test_db_conn.c - per-connection settings of the SQLite backend: the page
 * cache each connection gets from mc_db_open (16 MiB to write, 2 MiB to
 * read), mc_db_cache changing it, and mc_writer_start's cache_kib reaching
 * the writer thread's own connection (serve --writer-cache-mb), 0 keeping
 * the default.
 */
#include "testdb.h"

static int
setup(void **state)
{
    struct mc_test_db *t = calloc(1, sizeof(*t));

    if (t == NULL || mc_test_db_open(t, "mc_conn", 0) != 0) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int
teardown(void **state)
{
    mc_test_db_close(*state);
    free(*state);
    return 0;
}

/* PRAGMA cache_size: negative = KiB. */
static int64_t
cache_of(struct mc_db *db)
{
    struct mc_err err;
    int64_t v = 0;

    mc_err_clear(&err);
    assert_int_equal(mc_db_i64(db, &v, &err, "PRAGMA cache_size", ""),
                     MC_OK);
    return v;
}

static void
test_open_defaults_and_change(void **state)
{
    struct mc_test_db *t = *state;
    struct mc_db *w = NULL, *r = NULL;
    struct mc_err err;

    mc_err_clear(&err);
    assert_int_equal(mc_db_open(t->path, MC_DB_WRITE, &w, &err), MC_OK);
    assert_int_equal(mc_db_open(t->path, MC_DB_READ, &r, &err), MC_OK);
    assert_int_equal(cache_of(w), -16384);
    assert_int_equal(cache_of(r), -2048);
    mc_db_cache(w, 65536);
    mc_db_cache(r, 512);
    assert_int_equal(cache_of(w), -65536);
    assert_int_equal(cache_of(r), -512);
    mc_db_close(r);
    mc_db_close(w);
}

struct probe {
    int64_t cache;
};

/* A write that reports the writer connection's cache instead of writing. */
static int
probe_write(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct probe *p = ctx;

    return mc_db_i64(db, &p->cache, err, "PRAGMA cache_size", "");
}

static int64_t
writer_cache(const char *path, int kib)
{
    struct mc_writer *w = NULL;
    struct probe p = {0};
    struct mc_err err;

    mc_err_clear(&err);
    assert_int_equal(mc_writer_start(path, 8, kib, &w, &err), MC_OK);
    assert_int_equal(mc_writer_run(w, probe_write, &p, &err), MC_OK);
    mc_writer_stop(w);
    return p.cache;
}

static void
test_writer_cache(void **state)
{
    struct mc_test_db *t = *state;

    assert_int_equal(writer_cache(t->path, 0), -16384);
    assert_int_equal(writer_cache(t->path, 48 * 1024), -49152);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_defaults_and_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_writer_cache, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
