/*
 * test_sec.c - passwords, tokens and the audit hash chain.
 */
#include <pthread.h>
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
#include "db/writer.h"
#include "sec/audit.h"
#include "sec/password.h"
#include "sec/token.h"
#include "testdb.h"

/* ---- passwords ---- */

static void
test_password_roundtrip(void **state)
{
    char h1[MC_PASSWORD_HASH_MAX], h2[MC_PASSWORD_HASH_MAX];
    struct mc_err err;

    mc_password_set_fast(1);
    assert_int_equal(mc_password_hash("correct horse", h1, sizeof(h1), &err),
                     MC_OK);
    assert_true(strncmp(h1, "$argon2id$v=19$m=1024,t=1,p=1$", 30) == 0);
    assert_true(mc_password_verify("correct horse", h1));
    assert_false(mc_password_verify("correct hors", h1));
    assert_false(mc_password_verify("Correct horse", h1));
    assert_false(mc_password_verify("", h1));
    /* Fresh salt each time. */
    assert_int_equal(mc_password_hash("correct horse", h2, sizeof(h2), &err),
                     MC_OK);
    assert_string_not_equal(h1, h2);
    assert_true(mc_password_verify("correct horse", h2));
}

static void
test_password_full_params(void **state)
{
    char h[MC_PASSWORD_HASH_MAX];
    struct mc_err err;

    mc_password_set_fast(0);
    if (getenv("MOTCUA_FAST_HASH") != NULL) {
        unsetenv("MOTCUA_FAST_HASH");
    }
    assert_int_equal(mc_password_hash("Mật khẩu 2025!", h, sizeof(h), &err),
                     MC_OK);
    assert_true(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
    assert_true(strlen(h) < MC_PASSWORD_HASH_MAX);
    assert_true(mc_password_verify("Mật khẩu 2025!", h));
    assert_false(mc_password_verify("Mat khau 2025!", h));
    mc_password_set_fast(1);
}

/* Six verifications of a full-cost hash start together through a gate of
 * two: they all verify, and never more than two ran at once. */
#define GATE_THREADS 6
struct gate_arg {
    pthread_barrier_t *start;
    const char *hash;
    int ok;
};

static void *
gate_verify(void *p)
{
    struct gate_arg *g = p;

    pthread_barrier_wait(g->start);
    g->ok = mc_password_verify("Mật khẩu 2025!", g->hash);
    return NULL;
}

static void
test_password_gate(void **state)
{
    char h[MC_PASSWORD_HASH_MAX];
    pthread_t th[GATE_THREADS];
    struct gate_arg ga[GATE_THREADS];
    pthread_barrier_t start;
    struct mc_err err;
    int peak;

    (void)state;
    mc_password_set_fast(0);
    unsetenv("MOTCUA_FAST_HASH");
    assert_int_equal(mc_password_hash("Mật khẩu 2025!", h, sizeof(h), &err),
                     MC_OK);
    mc_password_set_parallel(2);
    (void)mc_password_peak();
    pthread_barrier_init(&start, NULL, GATE_THREADS);
    for (int i = 0; i < GATE_THREADS; i++) {
        ga[i] = (struct gate_arg){&start, h, 0};
        assert_int_equal(pthread_create(&th[i], NULL, gate_verify, &ga[i]), 0);
    }
    for (int i = 0; i < GATE_THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_true(ga[i].ok);
    }
    pthread_barrier_destroy(&start);
    peak = mc_password_peak();
    assert_true(peak >= 1 && peak <= 2);
    mc_password_set_parallel(0);
    mc_password_set_fast(1);
}

static void
test_password_rules(void **state)
{
    char h[MC_PASSWORD_HASH_MAX];
    char longpw[300];
    struct mc_err err;

    mc_password_set_fast(1);
    mc_err_clear(&err);
    assert_int_equal(mc_password_hash("short", h, sizeof(h), &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "password");
    assert_int_equal(mc_password_hash(NULL, h, sizeof(h), &err), MC_EINVAL);
    memset(longpw, 'a', sizeof(longpw) - 1);
    longpw[sizeof(longpw) - 1] = '\0';
    assert_int_equal(mc_password_hash(longpw, h, sizeof(h), &err),
                     MC_EINVAL);
    longpw[256] = '\0';
    assert_int_equal(mc_password_hash(longpw, h, sizeof(h), &err), MC_OK);
    /* Too small an output buffer is refused, not overflowed. */
    assert_int_not_equal(mc_password_hash("longenough", h, 40, &err), MC_OK);
    /* Garbage and foreign hash formats never verify. */
    assert_false(mc_password_verify("longenough", "plain"));
    assert_false(mc_password_verify("longenough", ""));
    assert_false(mc_password_verify("x", "$argon2i$v=19$m=1024,t=1,p=1$"
                                         "c29tZXNhbHQ$aGFzaA"));
    assert_false(mc_password_verify(NULL, h));
}

/* ---- tokens ---- */

static int
is_b64url(const char *s)
{
    for (; *s; s++) {
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9') || *s == '-' || *s == '_')) {
            return 0;
        }
    }
    return 1;
}

static void
test_token_format_unique(void **state)
{
    enum { N = 200 };
    static char toks[N][MC_TOKEN_LEN + 1];
    char small[10];

    for (int i = 0; i < N; i++) {
        assert_int_equal(mc_token_new(toks[i], sizeof(toks[i])), MC_OK);
        assert_int_equal(strlen(toks[i]), MC_TOKEN_LEN);
        assert_true(is_b64url(toks[i]));
        for (int j = 0; j < i; j++) {
            assert_string_not_equal(toks[i], toks[j]);
        }
    }
    assert_int_equal(mc_token_new(small, sizeof(small)), MC_EINVAL);
}

static void
test_sha256_vectors(void **state)
{
    char h[MC_SHA256_HEX];

    mc_sha256_hex("", 0, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb924"
                           "27ae41e4649b934ca495991b7852b855");
    mc_sha256_hex("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
                           "b00361a396177a9cb410ff61f20015ad");
}

static void
test_ct_equal(void **state)
{
    assert_true(mc_ct_equal("abcdef", "abcdef"));
    assert_false(mc_ct_equal("abcdef", "abcdeg"));
    assert_false(mc_ct_equal("abcdef", "abcde"));
    assert_false(mc_ct_equal("", "a"));
    assert_true(mc_ct_equal("", ""));
    assert_false(mc_ct_equal(NULL, "a"));
}

static void
test_random_bytes(void **state)
{
    unsigned char a[64], b[64];

    assert_int_equal(mc_random(a, sizeof(a)), MC_OK);
    assert_int_equal(mc_random(b, sizeof(b)), MC_OK);
    assert_memory_not_equal(a, b, sizeof(a));
}

/* ---- audit chain ---- */

struct fx {
    char dir[64];
    char path[96];
    struct mc_db *db;
};

static int
setup_db(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct mc_err err;

    snprintf(f->dir, sizeof(f->dir), "/tmp/mc_test_sec_XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    if (mc_db_open(f->path, MC_DB_WRITE, &f->db, &err) != MC_OK ||
        mc_db_migrate(f->db, &err) != MC_OK) {
        return -1;
    }
    *state = f;
    return 0;
}

static int
teardown_db(void **state)
{
    struct fx *f = *state;

    mc_db_close(f->db);
    mc_test_rm_db(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

struct append_ctx {
    int n;
};

static int
append_n(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct append_ctx *c = ctx;

    for (int i = 1; i <= c->n; i++) {
        char obj[32];
        json_t *p = json_pack("{s:i, s:s, s:[i,i]}", "z", i, "tên",
                              "Nguyễn Văn Đức", "a", i, i * 2);
        int rc;

        snprintf(obj, sizeof(obj), "dossier:%d", i);
        rc = mc_audit_append(db, i % 3, "dossier.test", obj, p,
                             1750000000 + i, err);
        json_decref(p);
        if (rc != MC_OK) {
            return rc;
        }
    }
    return MC_OK;
}

static void
seed_chain(struct mc_db *db, int n)
{
    struct mc_writer *w;
    struct mc_err err;
    struct append_ctx c = {n};

    assert_int_equal(mc_writer_direct(db, &w, &err), MC_OK);
    assert_int_equal(mc_writer_run(w, append_n, &c, &err), MC_OK);
    mc_writer_stop(w);
}

static void
expect_broken(struct mc_db *db, int64_t want_seq)
{
    struct mc_err err;
    int64_t count = -1, bad = -1;

    mc_err_clear(&err);
    assert_int_equal(mc_audit_verify(db, &count, &bad, &err), MC_ECONFLICT);
    assert_int_equal(bad, want_seq);
    assert_int_equal(count, want_seq - 1);
    assert_string_equal(err.code, "audit_chain_broken");
    assert_non_null(strstr(err.message, "record"));
}

static void
test_audit_empty_and_intact(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    int64_t count = -1, bad = -1;

    assert_int_equal(mc_audit_verify(f->db, &count, &bad, &err), MC_OK);
    assert_int_equal(count, 0);
    seed_chain(f->db, 10);
    assert_int_equal(mc_audit_verify(f->db, &count, &bad, &err), MC_OK);
    assert_int_equal(count, 10);
    assert_int_equal(bad, 0);
    /* Appending continues the chain. */
    seed_chain(f->db, 3);
    assert_int_equal(mc_audit_verify(f->db, &count, &bad, &err), MC_OK);
    assert_int_equal(count, 13);
}

static void
test_audit_record_shape(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    struct mc_stmt *st;

    seed_chain(f->db, 2);
    st = mc_db_prep(f->db, "SELECT seq, payload, prev_hash, hash, actor_id "
                           "FROM audit ORDER BY seq", &err);
    assert_non_null(st);
    assert_int_equal(mc_stmt_step(st, &err), MC_DB_ROW);
    assert_int_equal(mc_stmt_i64(st, 0), 1);
    /* Canonical JSON: keys sorted, compact, UTF-8 kept. */
    assert_string_equal(mc_stmt_text(st, 1),
                        "{\"a\":[1,2],\"tên\":\"Nguyễn Văn Đức\",\"z\":1}");
    assert_string_equal(mc_stmt_text(st, 2),
                        "00000000000000000000000000000000"
                        "00000000000000000000000000000000");
    assert_int_equal(strlen(mc_stmt_text(st, 3)), 64);
    assert_int_equal(mc_stmt_i64(st, 4), 1);
    assert_int_equal(mc_stmt_step(st, &err), MC_DB_ROW);
    assert_int_equal(mc_stmt_i64(st, 0), 2);
    mc_stmt_done(st);
}

static void
test_audit_rejects_bad_fields(void **state)
{
    struct fx *f = *state;
    struct mc_err err;

    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    assert_int_not_equal(mc_audit_append(f->db, 0, "a|b", "x:1", NULL, 1,
                                         &err),
                         MC_OK);
    assert_int_not_equal(mc_audit_append(f->db, 0, "a", "", NULL, 1, &err),
                         MC_OK);
    assert_int_not_equal(mc_audit_append(f->db, 0, "a", "x\n1", NULL, 1,
                                         &err),
                         MC_OK);
    /* NULL payload is {} and the system actor is stored as NULL. */
    assert_int_equal(mc_audit_append(f->db, 0, "system.test", "x:1", NULL, 1,
                                     &err),
                     MC_OK);
    assert_int_equal(mc_db_commit(f->db, &err), MC_OK);
    {
        int64_t n = -1;
        assert_int_equal(mc_db_i64(f->db, &n, &err,
                                   "SELECT COUNT(*) FROM audit WHERE "
                                   "payload = '{}' AND actor_id IS NULL",
                                   ""),
                         MC_OK);
        assert_int_equal(n, 1);
    }
}

static void
test_audit_tamper_payload(void **state)
{
    struct fx *f = *state;
    struct mc_err err;

    seed_chain(f->db, 10);
    assert_int_equal(mc_db_exec(f->db,
                                "UPDATE audit SET payload = "
                                "'{\"a\":[1,2],\"z\":99}' WHERE seq = 6",
                                &err),
                     MC_OK);
    expect_broken(f->db, 6);
}

static void
test_audit_tamper_payload_and_hash(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    char sql[256], h[MC_SHA256_HEX];
    const char *p = "{\"z\":4}";

    /* A forger who also fixes payload_hash is caught by the record hash. */
    seed_chain(f->db, 8);
    mc_sha256_hex(p, strlen(p), h);
    snprintf(sql, sizeof(sql),
             "UPDATE audit SET payload = '%s', payload_hash = '%s' "
             "WHERE seq = 4",
             p, h);
    assert_int_equal(mc_db_exec(f->db, sql, &err), MC_OK);
    expect_broken(f->db, 4);
}

static void
test_audit_tamper_fields(void **state)
{
    struct fx *f = *state;
    struct mc_err err;

    seed_chain(f->db, 6);
    assert_int_equal(mc_db_exec(f->db,
                                "UPDATE audit SET actor_id = 77 "
                                "WHERE seq = 3",
                                &err),
                     MC_OK);
    expect_broken(f->db, 3);
    assert_int_equal(mc_db_exec(f->db,
                                "UPDATE audit SET at = at + 1 "
                                "WHERE seq = 2",
                                &err),
                     MC_OK);
    expect_broken(f->db, 2);
    assert_int_equal(mc_db_exec(f->db,
                                "UPDATE audit SET object = 'dossier:9' "
                                "WHERE seq = 1",
                                &err),
                     MC_OK);
    expect_broken(f->db, 1);
}

static void
test_audit_delete_row(void **state)
{
    struct fx *f = *state;
    struct mc_err err;

    seed_chain(f->db, 10);
    assert_int_equal(mc_db_exec(f->db, "DELETE FROM audit WHERE seq = 7",
                                &err),
                     MC_OK);
    expect_broken(f->db, 7);
}

static void
test_audit_delete_and_renumber(void **state)
{
    struct fx *f = *state;
    struct mc_err err;

    /* Closing the gap by renumbering still breaks at the first moved row. */
    seed_chain(f->db, 10);
    assert_int_equal(mc_db_exec(f->db,
                                "DELETE FROM audit WHERE seq = 5;"
                                "UPDATE audit SET seq = seq - 1 "
                                "WHERE seq > 5",
                                &err),
                     MC_OK);
    expect_broken(f->db, 5);
}

static void
test_audit_delete_first(void **state)
{
    struct fx *f = *state;
    struct mc_err err;

    seed_chain(f->db, 4);
    assert_int_equal(mc_db_exec(f->db, "DELETE FROM audit WHERE seq = 1",
                                &err),
                     MC_OK);
    expect_broken(f->db, 1);
}

static void
test_audit_swap_rows(void **state)
{
    struct fx *f = *state;
    struct mc_err err;

    seed_chain(f->db, 10);
    /* Swap records 4 and 5 completely (all columns but the seq). */
    assert_int_equal(
        mc_db_exec(f->db,
                   "UPDATE audit SET seq = -4 WHERE seq = 4;"
                   "UPDATE audit SET seq = 4 WHERE seq = 5;"
                   "UPDATE audit SET seq = 5 WHERE seq = -4;",
                   &err),
        MC_OK);
    expect_broken(f->db, 4);
}

static void
test_audit_swap_contents_keep_links(void **state)
{
    struct fx *f = *state;
    struct mc_err err;

    /*
     * Swap only the content columns of 8 and 9 and keep prev/hash in
     * place, so the links look right: the record hash catches it.
     */
    seed_chain(f->db, 10);
    assert_int_equal(
        mc_db_exec(f->db,
                   "CREATE TEMP TABLE t AS SELECT * FROM audit "
                   "WHERE seq IN (8, 9);"
                   "UPDATE audit SET payload = (SELECT payload FROM t "
                   " WHERE t.seq = 17 - audit.seq), payload_hash = "
                   " (SELECT payload_hash FROM t WHERE t.seq = "
                   " 17 - audit.seq), object = (SELECT object FROM t "
                   " WHERE t.seq = 17 - audit.seq) WHERE seq IN (8, 9);"
                   "DROP TABLE t;",
                   &err),
        MC_OK);
    expect_broken(f->db, 8);
}

static void
test_audit_rollback_leaves_no_record(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    int64_t count = 0, bad = 0;

    seed_chain(f->db, 2);
    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    assert_int_equal(mc_audit_append(f->db, 1, "x.test", "x:1", NULL, 5,
                                     &err),
                     MC_OK);
    mc_db_rollback(f->db);
    seed_chain(f->db, 1);
    assert_int_equal(mc_audit_verify(f->db, &count, &bad, &err), MC_OK);
    assert_int_equal(count, 3);
}

/*
 * A write transaction knows the chain head after its own append (no
 * query); a rollback to a savepoint must forget it, or the next append
 * would link to a record that is gone.
 */
static void
test_audit_head_after_savepoint_rollback(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    int64_t count = 0, bad = 0;

    seed_chain(f->db, 2);
    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    assert_int_equal(mc_audit_append(f->db, 1, "x.test", "x:1", NULL, 5,
                                     &err),
                     MC_OK);
    assert_int_equal(mc_db_savepoint(f->db, "t", &err), MC_OK);
    assert_int_equal(mc_audit_append(f->db, 1, "x.test", "x:2", NULL, 6,
                                     &err),
                     MC_OK);
    mc_db_rollback_to(f->db, "t");
    assert_int_equal(mc_audit_append(f->db, 1, "x.test", "x:3", NULL, 7,
                                     &err),
                     MC_OK);
    assert_int_equal(mc_audit_append(f->db, 1, "x.test", "x:4", NULL, 8,
                                     &err),
                     MC_OK);
    assert_int_equal(mc_db_commit(f->db, &err), MC_OK);
    seed_chain(f->db, 1);
    assert_int_equal(mc_audit_verify(f->db, &count, &bad, &err), MC_OK);
    assert_int_equal(count, 6);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_roundtrip),
        cmocka_unit_test(test_password_full_params),
        cmocka_unit_test(test_password_gate),
        cmocka_unit_test(test_password_rules),
        cmocka_unit_test(test_token_format_unique),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_ct_equal),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test_setup_teardown(test_audit_empty_and_intact,
                                        setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_record_shape, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_rejects_bad_fields,
                                        setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_tamper_payload, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_tamper_payload_and_hash,
                                        setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_tamper_fields, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_delete_row, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_delete_and_renumber,
                                        setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_delete_first, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_swap_rows, setup_db,
                                        teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_swap_contents_keep_links,
                                        setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(test_audit_rollback_leaves_no_record,
                                        setup_db, teardown_db),
        cmocka_unit_test_setup_teardown(
            test_audit_head_after_savepoint_rollback, setup_db, teardown_db),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
