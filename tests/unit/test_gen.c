/*
 * test_gen.c - the history generator (domain/gen.h): 2,000 dossiers into
 * a temporary demo database, then the audit chain, every dossier's event
 * path through the state machine, the codes per unit and day, the shares
 * (online, supplements, late), determinism for a seed, and the same rows
 * from the bulk index build as from row-by-row index maintenance.
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
#include "db/q_apology.h"
#include "db/q_dossier.h"
#include "db/writer.h"
#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/demo.h"
#include "domain/gen.h"
#include "sec/audit.h"
#include "sec/password.h"
#include "util/log.h"
#include "util/mctime.h"
#include "testdb.h"

#define N 2000
#define SEED 42

struct fx {
    char dir[64], path[96];
    struct mc_db *db;
    struct mc_gen_stats st;
};

/* The generator's paths: the fast load (indexes kept up to date or
 * rebuilt at the end) and the reference path (--keep-indexes). */
enum { FAST, REFERENCE, FAST_DEFER };

static int
make_db_mode(struct fx *f, uint64_t seed, int mode)
{
    struct mc_catalog_import imp;
    struct mc_writer *w = NULL;
    struct mc_gen_opts o;
    struct mc_err err;
    int rc;

    snprintf(f->dir, sizeof(f->dir), "/tmp/mc_gen_XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    memset(&imp, 0, sizeof(imp));
    imp.at = mc_local_ts(mc_days_from_civil(2020, 1, 1), 0);
    mc_err_clear(&err);
    rc = mc_db_open(f->path, MC_DB_WRITE, &f->db, &err);
    if (rc == MC_OK) {
        rc = mc_db_migrate(f->db, &err);
    }
    if (rc == MC_OK) {
        rc = mc_writer_direct(f->db, &w, &err);
    }
    if (rc == MC_OK) {
        rc = mc_writer_run(w, mc_calendar_seed, NULL, &err);
    }
    if (rc == MC_OK) {
        rc = mc_writer_run(w, mc_demo_seed_units_accounts, NULL, &err);
    }
    if (rc == MC_OK) {
        rc = mc_writer_run(w, mc_catalog_import_demo, &imp, &err);
    }
    mc_writer_stop(w);
    memset(&o, 0, sizeof(o));
    o.dossiers = N;
    o.years = 2; /* spans the July 2025 reform */
    o.seed = seed;
    o.end = mc_local_ts(mc_days_from_civil(2026, 11, 2), 0);
    o.batch = 500; /* dossiers open across batches stay held */
    o.keep_indexes = mode == REFERENCE;
    o.defer_indexes = mode == FAST_DEFER;
    if (rc == MC_OK) {
        rc = mc_gen_run(f->db, &o, &f->st, &err);
    }
    if (rc != MC_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    return 0;
}

/* The default: the fast load, indexes kept up to date. */
static int
make_db(struct fx *f, uint64_t seed)
{
    return make_db_mode(f, seed, FAST);
}

static void
drop_db(struct fx *f)
{

    mc_db_close(f->db);
    mc_test_rm_db(f->path);
    rmdir(f->dir);
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (f == NULL) {
        return -1;
    }
    mc_log_set_level(MC_LOG_WARN);
    mc_password_set_fast(1);
    if (make_db(f, SEED) != 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    drop_db(f);
    free(f);
    return 0;
}

static int64_t
q1(struct mc_db *db, const char *sql)
{
    int64_t v = -1;
    struct mc_err err;

    assert_int_equal(mc_db_i64(db, &v, &err, sql, ""), MC_OK);
    return v;
}

/* The first column of the one row of sql, as text, into out. */
static void
qtext(struct mc_db *db, const char *sql, char *out, size_t size)
{
    struct mc_err err;
    struct mc_stmt *st = mc_db_prep(db, sql, &err);

    assert_non_null(st);
    assert_int_equal(mc_stmt_step(st, &err), MC_DB_ROW);
    snprintf(out, size, "%s",
             mc_stmt_text(st, 0) ? mc_stmt_text(st, 0) : "(null)");
    mc_stmt_done(st);
}

/*
 * A second, smaller load over the history already there (same days): the
 * code sequences of those days, the ids after the table's largest.
 */
static void
gen_more(struct mc_db *db, int mode)
{
    struct mc_gen_opts o;
    struct mc_gen_stats st;
    struct mc_err err;

    memset(&o, 0, sizeof(o));
    o.dossiers = 400;
    o.years = 2;
    o.seed = SEED + 7;
    o.end = mc_local_ts(mc_days_from_civil(2026, 11, 2), 0);
    o.batch = 100;
    o.keep_indexes = mode == REFERENCE;
    o.defer_indexes = mode == FAST_DEFER;
    assert_int_equal(mc_gen_run(db, &o, &st, &err), MC_OK);
    assert_int_equal(st.dossiers, 400);
}

static void
test_counts(void **state)
{
    struct fx *f = *state;

    assert_int_equal(f->st.dossiers, N);
    assert_int_equal(q1(f->db, "SELECT count(*) FROM dossiers"), N);
    assert_true(f->st.transitions > 4 * N);
    assert_true(f->st.returned > N * 9 / 10);
    assert_true(f->st.procedures_completed > 0);
    /* both eras: districts' desks before 7/2025, communes after */
    assert_true(q1(f->db, "SELECT count(*) FROM dossiers d JOIN units u "
                          "ON u.id = d.recv_unit_id WHERE u.code LIKE "
                          "'%.MC' AND u.valid_to IS NOT NULL") > N / 5);
    assert_true(q1(f->db, "SELECT count(*) FROM dossiers d JOIN units u "
                          "ON u.id = d.recv_unit_id WHERE u.kind = "
                          "'commune'") > N / 5);
}

static void
test_audit_intact(void **state)
{
    struct fx *f = *state;
    int64_t count = 0, bad = 0;
    struct mc_err err;

    assert_int_equal(mc_audit_verify(f->db, &count, &bad, &err), MC_OK);
    assert_true(count > f->st.transitions);
}

/* The transitions of dossier.h: action, from (NULL: none), to. */
static const char *const paths[][3] = {
    {"submit", NULL, "submitted"},
    {"receive", "submitted", "received"},
    {"refuse", "submitted", "refused"},
    {"refuse", "intake_supplement", "refused"},
    {"request_intake_supplement", "submitted", "intake_supplement"},
    {"resubmit", "intake_supplement", "submitted"},
    {"assign", "received", "processing"},
    {"assign", "processing", "processing"},
    {"request_supplement", "processing", "supplement"},
    {"supplement_received", "supplement", "processing"},
    {"submit_for_approval", "processing", "pending_approval"},
    {"approve", "pending_approval", "done"},
    {"reject", "processing", "rejected"},
    {"reject", "pending_approval", "rejected"},
    {"return_result", "done", "returned"},
    {"return_result", "rejected", "returned"},
    {"reschedule", "received", "received"},
    {"reschedule", "processing", "processing"},
    {"request_withdrawal", "processing", "withdraw_requested"},
    {"request_withdrawal", "received", "withdraw_requested"},
    {"stop", "withdraw_requested", "stopped"},
};

static int
known_step(const char *act, const char *from, const char *to)
{
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        if (strcmp(paths[i][0], act) == 0 && strcmp(paths[i][2], to) == 0 &&
            ((from == NULL && paths[i][1] == NULL) ||
             (from != NULL && paths[i][1] != NULL &&
              strcmp(paths[i][1], from) == 0))) {
            return 1;
        }
    }
    return 0;
}

static void
test_event_paths(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    struct mc_stmt *st;
    int64_t cur = 0, last_at = 0, n = 0;
    char last_to[32] = "";
    int rc;

    st = mc_db_prep(f->db,
                    "SELECT e.dossier_id, e.action, e.from_state, "
                    "e.to_state, e.at, d.state FROM dossier_events e "
                    "JOIN dossiers d ON d.id = e.dossier_id "
                    "ORDER BY e.dossier_id, e.seq",
                    &err);
    assert_non_null(st);
    while ((rc = mc_stmt_step(st, &err)) == MC_DB_ROW) {
        int64_t id = mc_stmt_i64(st, 0), at = mc_stmt_i64(st, 4);
        const char *act = mc_stmt_text(st, 1);
        const char *from = mc_stmt_text(st, 2);
        const char *to = mc_stmt_text(st, 3);

        if (!known_step(act, from, to)) {
            fail_msg("dossier %lld: %s %s -> %s", (long long)id, act,
                     from ? from : "-", to);
        }
        if (id != cur) {
            assert_string_equal(act, "submit");
            cur = id;
            n++;
        } else {
            assert_string_equal(from, last_to);
            assert_true(at >= last_at);
        }
        snprintf(last_to, sizeof(last_to), "%s", to);
        last_at = at;
    }
    mc_stmt_done(st);
    assert_int_equal(rc, MC_DB_DONE);
    assert_int_equal(n, N);
    /* the last event leads to the stored state */
    assert_int_equal(q1(f->db, "SELECT count(*) FROM dossiers d WHERE "
                               "state <> (SELECT to_state FROM "
                               "dossier_events e WHERE e.dossier_id = d.id "
                               "ORDER BY seq DESC LIMIT 1)"),
                     0);
}

static void
test_codes(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    struct mc_stmt *st;
    char prefix[64] = "";
    long expect = 0;
    int64_t last_recv = 0;
    int rc;

    assert_int_equal(q1(f->db, "SELECT count(*) - count(DISTINCT code) FROM "
                               "dossiers WHERE code IS NOT NULL"),
                     0);
    /* receiving before the code: every received dossier has one */
    assert_int_equal(q1(f->db, "SELECT count(*) FROM dossiers WHERE "
                               "(received_at IS NULL) <> (code IS NULL)"),
                     0);
    st = mc_db_prep(f->db,
                    "SELECT code, received_at FROM dossiers WHERE code IS "
                    "NOT NULL ORDER BY code",
                    &err);
    assert_non_null(st);
    while ((rc = mc_stmt_step(st, &err)) == MC_DB_ROW) {
        const char *code = mc_stmt_text(st, 0);
        const char *dash = strrchr(code, '-');
        int64_t recv = mc_stmt_i64(st, 1);
        long num;

        assert_non_null(dash);
        num = strtol(dash + 1, NULL, 10);
        if (strncmp(code, prefix, (size_t)(dash - code)) != 0 ||
            prefix[dash - code] != '\0') {
            snprintf(prefix, sizeof(prefix), "%.*s", (int)(dash - code),
                     code);
            expect = 1;
        } else {
            expect++;
            assert_true(recv >= last_recv); /* numbered in time order */
        }
        if (num != expect) {
            fail_msg("%s: expected number %ld", code, expect);
        }
        last_recv = recv;
    }
    mc_stmt_done(st);
    assert_int_equal(rc, MC_DB_DONE);
}

static void
test_shares(void **state)
{
    struct fx *f = *state;
    int64_t online = q1(f->db, "SELECT count(*) FROM dossiers WHERE "
                               "channel = 2");
    int64_t supp = q1(f->db, "SELECT count(*) FROM dossiers WHERE "
                             "supplements > 0");
    int64_t late = q1(f->db, "SELECT count(*) FROM dossiers WHERE "
                             "due_at IS NOT NULL AND finished_at > due_at");
    int64_t resched = q1(f->db, "SELECT count(*) FROM dossiers WHERE "
                                "reschedules > 0");
    int64_t apologies = q1(f->db, "SELECT count(*) FROM dossier_events "
                                  "WHERE action = 'reschedule' AND reason "
                                  "LIKE 'Xin lỗi%'");

    assert_true(online >= N * 50 / 100 && online <= N * 70 / 100);
    assert_true(supp >= N * 1 / 100 && supp <= N * 6 / 100);
    /* 0.2%..2% late, with some slack for 2,000 draws */
    assert_true(late >= N * 2 / 1000 && late <= N * 3 / 100);
    assert_int_equal(late, f->st.late);
    assert_true(resched >= 1);
    assert_int_equal(resched, apologies);
}

static void
test_deterministic(void **state)
{
    struct fx *f = *state, g;
    int64_t a1, a2;

    memset(&g, 0, sizeof(g));
    assert_int_equal(make_db(&g, SEED), 0);
    assert_int_equal(g.st.transitions, f->st.transitions);
    assert_int_equal(g.st.late, f->st.late);
    assert_int_equal(g.st.online, f->st.online);
    assert_int_equal(g.st.supplements, f->st.supplements);
    assert_int_equal(g.st.returned, f->st.returned);
    a1 = q1(f->db, "SELECT sum(due_at % 1000003) FROM dossiers");
    a2 = q1(g.db, "SELECT sum(due_at % 1000003) FROM dossiers");
    assert_int_equal(a1, a2);
    drop_db(&g);
}

/* Rows of query q in db a that db b (attached as o) lacks, both ways. */
static int64_t
differ(struct mc_db *a, const char *q_main, const char *q_other)
{
    char sql[1024];
    int64_t v = -1;
    struct mc_err err;

    snprintf(sql, sizeof(sql),
             "SELECT (SELECT count(*) FROM (%s EXCEPT %s)) + "
             "(SELECT count(*) FROM (%s EXCEPT %s))",
             q_main, q_other, q_other, q_main);
    assert_int_equal(mc_db_i64(a, &v, &err, sql, ""), MC_OK);
    return v;
}

/*
 * db and the database at path (attached as o) hold the same rows:
 * dossiers, events, ledger, facts, rollups, discipline and notification
 * rows, code sequences, the audit records of the history (at and
 * payload). Setup rows stamped with the wall clock (accounts' password
 * salts and created_at, the chain hashes that cover them) are compared
 * without those columns.
 */
static void
same_rows(struct mc_db *db, const char *path)
{
    static const char *const tables[] = {
        "dossiers", "dossier_events", "dossier_steps", "dossier_watch",
        "dossier_facts", "dossier_evaluations", "eval_rollup",
        "eval_rollup_month", "code_seq", "violations", "notifications",
        "deliveries", "apologies"};
    static const char *const cols[] = {
        "id, parent_id, code, name, kind, path, valid_from, valid_to FROM "
        "%s.units",
        "id, username, role, unit_id, full_name, phone, id_number FROM "
        "%s.accounts",
        "seq, actor_id, action, object, payload, payload_hash FROM %s.audit",
        "seq, at FROM %s.audit WHERE object LIKE 'dossier:%%'"};
    char q1s[256], q2s[256], att[160];
    int64_t n = 0;
    struct mc_err err;

    snprintf(att, sizeof(att), "ATTACH DATABASE '%s' AS o", path);
    assert_int_equal(mc_db_exec(db, att, &err), MC_OK);
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        snprintf(q1s, sizeof(q1s), "SELECT * FROM main.%s", tables[i]);
        snprintf(q2s, sizeof(q2s), "SELECT * FROM o.%s", tables[i]);
        if (differ(db, q1s, q2s) != 0) {
            fail_msg("table %s differs", tables[i]);
        }
        snprintf(q1s, sizeof(q1s), "SELECT count(*) FROM main.%s",
                 tables[i]);
        n += q1(db, q1s);
    }
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        char c1[200], c2[200];
        snprintf(c1, sizeof(c1), cols[i], "main");
        snprintf(c2, sizeof(c2), cols[i], "o");
        snprintf(q1s, sizeof(q1s), "SELECT %s", c1);
        snprintf(q2s, sizeof(q2s), "SELECT %s", c2);
        if (differ(db, q1s, q2s) != 0) {
            fail_msg("%s differs", c1);
        }
    }
    assert_int_equal(mc_db_exec(db, "DETACH DATABASE o", &err), MC_OK);
    assert_true(n > 10 * N); /* the comparison saw the history */
}

/*
 * The fast load (the default, f: indexes kept up to date, rows held per
 * batch), the fast load with its indexes rebuilt at the end
 * (--defer-indexes) and the reference path (--keep-indexes) from the
 * same seed write the same rows (same_rows), and every chain verifies.
 */
static void
test_bulk_indexes_equivalent(void **state)
{
    struct fx *f = *state, g, h;
    int64_t count = 0, bad = 0;
    struct mc_err err;

    memset(&g, 0, sizeof(g));
    memset(&h, 0, sizeof(h));
    assert_int_equal(make_db_mode(&g, SEED, REFERENCE), 0);
    assert_int_equal(make_db_mode(&h, SEED, FAST_DEFER), 0);
    gen_more(g.db, REFERENCE);
    gen_more(h.db, FAST_DEFER);
    gen_more(f->db, FAST);
    assert_true(q1(f->db, "SELECT count(*) FROM code_seq WHERE last > 1") >
                0); /* days shared by both loads */
    assert_int_equal(mc_audit_verify(g.db, &count, &bad, &err), MC_OK);
    assert_int_equal(mc_audit_verify(h.db, &count, &bad, &err), MC_OK);
    assert_int_equal(mc_audit_verify(f->db, &count, &bad, &err), MC_OK);
    same_rows(f->db, g.path);
    same_rows(h.db, g.path);
    /* the deferred indexes exist again and both files are sound */
    assert_int_equal(q1(h.db, "SELECT count(*) FROM sqlite_master WHERE "
                               "type = 'index' AND name IN "
                               "('dossiers_unit_due', 'dossier_steps_open',"
                               " 'eval_rollup_path')"),
                     3);
    assert_int_equal(q1(f->db, "SELECT count(*) FROM pragma_integrity_check "
                               "WHERE integrity_check <> 'ok'"),
                     0);
    assert_int_equal(q1(h.db, "SELECT count(*) FROM pragma_integrity_check "
                               "WHERE integrity_check <> 'ok'"),
                     0);
    /* the fast load ran without foreign key and CHECK enforcement: the
     * same rows as the checked load above, and every reference holds;
     * the connection is back to WAL with both checks on */
    assert_int_equal(q1(f->db, "SELECT count(*) FROM "
                               "pragma_foreign_key_check"),
                     0);
    assert_int_equal(q1(f->db, "SELECT journal_mode = 'wal' FROM "
                               "pragma_journal_mode"),
                     1);
    assert_int_equal(q1(f->db, "SELECT foreign_keys FROM "
                               "pragma_foreign_keys"),
                     1);
    assert_int_equal(q1(f->db, "SELECT ignore_check_constraints FROM "
                               "pragma_ignore_check_constraints"),
                     0);
    drop_db(&h);
    drop_db(&g);
}

/*
 * The apology forecast's step samples: the plan through a procedure's
 * dossiers and the plan through the finished steps by date give the same
 * rows, newest first, for every procedure and step of the history (both
 * rare and common procedures are in it), and the plan chosen by the count
 * gives them too.
 */
static void
test_step_samples_plans(void **state)
{
    struct fx *f = *state;
    struct mc_stmt *st;
    struct mc_arena a;
    struct mc_err err;
    int64_t pids[128];
    int np = 0, compared = 0;

    st = mc_db_prep(f->db, "SELECT DISTINCT procedure_id FROM dossiers "
                           "ORDER BY 1 LIMIT 128", &err);
    assert_non_null(st);
    while (mc_stmt_step(st, &err) == MC_DB_ROW) {
        pids[np++] = mc_stmt_i64(st, 0);
    }
    mc_stmt_done(st);
    assert_true(np > 5);
    mc_arena_init(&a, 0);
    for (int i = 0; i < np; i++) {
        for (int k = 1; k <= 4; k++) {
            int64_t *p1, *p2, *p3;
            int n1, n2, n3;
            assert_int_equal(mc_q_step_samples_plan(f->db, pids[i], k, 99, 1,
                                                    &a, &p1, &n1, &err),
                             MC_OK);
            assert_int_equal(mc_q_step_samples_plan(f->db, pids[i], k, 99, 0,
                                                    &a, &p2, &n2, &err),
                             MC_OK);
            assert_int_equal(mc_q_step_samples(f->db, pids[i], k, 99, &a,
                                               &p3, &n3, &err),
                             MC_OK);
            assert_int_equal(n1, n2);
            assert_int_equal(n1, n3);
            assert_memory_equal(p1, p2, sizeof(int64_t) * 2 * (size_t)n1);
            assert_memory_equal(p1, p3, sizeof(int64_t) * 2 * (size_t)n1);
            for (int j = 1; j < n1; j++) {
                assert_true(p1[2 * j + 1] <= p1[2 * j - 1]); /* newest first */
            }
            compared += n1;
        }
    }
    mc_arena_release(&a);
    assert_true(compared > 1000); /* the history has finished steps */
}

/*
 * The held dossier rows (mc_q_dossier_hold) on their own: an older row
 * and a new one are served and changed in memory, untouched in the table
 * until the flush, which writes their final columns; a stale version is
 * refused as by the UPDATE; a rollback drops what was held.
 */
static void
test_dossier_slot(void **state)
{
    struct fx *f = *state;
    struct mc_dossier d, old, nd, back;
    struct mc_arena a;
    struct mc_err err;
    int64_t id, max, v;

    mc_arena_init(&a, 0);
    id = q1(f->db, "SELECT min(id) FROM dossiers WHERE code IS NOT NULL");
    max = q1(f->db, "SELECT max(id) FROM dossiers");
    assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
    assert_int_equal(mc_q_dossier_hold(f->db, &err), MC_OK);
    assert_non_null(mc_db_rows(f->db));

    /* an older row: read from the table, then held */
    assert_int_equal(mc_q_dossier_get(f->db, id, &a, &old, &err), MC_OK);
    v = old.version;
    d = old;
    d.version++;
    d.result_text = "Kết quả \"mới\"";
    d.paused_total += 7;
    assert_int_equal(mc_q_dossier_update(f->db, &old, &d, &err), MC_OK);
    assert_int_equal(mc_q_dossier_get(f->db, id, &a, &back, &err), MC_OK);
    assert_int_equal(back.version, v + 1);
    assert_string_equal(back.result_text, "Kết quả \"mới\"");
    assert_string_equal(back.code, old.code);
    assert_int_equal(q1(f->db, "SELECT version FROM dossiers WHERE id = "
                               "(SELECT min(id) FROM dossiers WHERE code "
                               "IS NOT NULL)"),
                     v);
    /* the UPDATE's version check: a stale write is refused */
    assert_int_equal(mc_q_dossier_update(f->db, &old, &d, &err),
                     MC_ECONFLICT);

    /* a new row: the next rowid, only the INSERT's columns */
    memset(&nd, 0, sizeof(nd));
    nd.procedure_id = old.procedure_id;
    nd.procedure_code = old.procedure_code;
    nd.recv_unit_id = nd.unit_id = old.unit_id;
    nd.recv_unit_path = nd.unit_path = old.unit_path;
    nd.applicant_name = "Nguyễn Thị Thử";
    nd.channel = 1;
    nd.state = MC_DS_SUBMITTED;
    nd.submitted_at = nd.updated_at = old.submitted_at;
    nd.code = "not-written-by-insert";
    nd.step_seq = 9;
    assert_int_equal(mc_q_dossier_insert(f->db, &nd, "thu", &err), MC_OK);
    assert_int_equal(nd.id, max + 1);
    assert_int_equal(mc_q_dossier_get(f->db, nd.id, &a, &back, &err), MC_OK);
    assert_null(back.code);
    assert_int_equal(back.step_seq, 0);
    assert_int_equal(back.version, 1);
    assert_int_equal(q1(f->db, "SELECT count(*) FROM dossiers WHERE id > "
                               "(SELECT max(id) FROM dossiers) - 1 AND "
                               "applicant_name = 'Nguyễn Thị Thử'"),
                     0);

    /* the flush writes both; they are read from the table again */
    assert_int_equal(mc_q_dossier_flush(f->db, &err), MC_OK);
    assert_int_equal(q1(f->db, "SELECT count(*) FROM dossiers WHERE "
                               "applicant_name = 'Nguyễn Thị Thử' AND code "
                               "IS NULL AND step_seq = 0 AND version = 1 "
                               "AND search_key = 'thu' AND status > 0"),
                     1);
    assert_int_equal(q1(f->db, "SELECT paused_total FROM dossiers WHERE id "
                               "= (SELECT min(id) FROM dossiers WHERE code "
                               "IS NOT NULL)"),
                     old.paused_total + 7);
    assert_int_equal(mc_q_dossier_get(f->db, id, &a, &back, &err), MC_OK);
    assert_int_equal(back.version, v + 1);

    /* held again, then rolled back: nothing written, the slot is gone */
    old = back;
    d = back;
    d.version++;
    assert_int_equal(mc_q_dossier_update(f->db, &old, &d, &err), MC_OK);
    mc_db_rollback(f->db);
    assert_null(mc_db_rows(f->db));
    assert_int_equal(q1(f->db, "SELECT count(*) FROM dossiers WHERE "
                               "applicant_name = 'Nguyễn Thị Thử'"),
                     0);
    assert_int_equal(mc_q_dossier_get(f->db, id, &a, &back, &err), MC_OK);
    assert_int_equal(back.version, v);
    mc_arena_release(&a);
}

/*
 * The fast load's state of a dossier it did not create (loaded from its
 * rows on first use) gives the rows the SQL path writes: an event (its
 * seq), the close of the open step already in the table, a new step
 * whose holder changes before the flush, a second step opened over it
 * and closed, another event; and the same count of an action.
 */
static void
test_dossier_state(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    char sql[640], ev[2][4096], stp[2][4096];
    int64_t id, unit, holder, cnt[2];
    const int64_t t0 = 2000000000;

    id = q1(f->db, "SELECT min(dossier_id) FROM dossier_steps WHERE "
                   "left_at IS NULL");
    assert_true(id > 0);
    snprintf(sql, sizeof(sql), "SELECT unit_id FROM dossiers WHERE id = %lld",
             (long long)id);
    unit = q1(f->db, sql);
    holder = q1(f->db, "SELECT min(id) FROM accounts WHERE role = "
                       "'specialist'");
    for (int held = 0; held < 2; held++) {
        assert_int_equal(mc_db_begin(f->db, &err), MC_OK);
        if (held) {
            assert_int_equal(mc_q_dossier_hold(f->db, &err), MC_OK);
        }
        assert_int_equal(mc_q_dossier_count_action(f->db, id, "receive",
                                                   &cnt[held], &err),
                         MC_OK);
        assert_int_equal(mc_q_dossier_event(f->db, id, "reschedule",
                                            "processing", "processing",
                                            holder, "leader", unit, t0,
                                            "thử", "{}", &err),
                         MC_OK);
        assert_int_equal(mc_q_step_close(f->db, id, t0, holder, &err), MC_OK);
        assert_int_equal(mc_q_step_open(f->db, id, 3, "Bước thử", unit, 0,
                                        t0, t0 + 3600, &err),
                         MC_OK);
        assert_int_equal(mc_q_step_set_holder(f->db, id, holder, &err),
                         MC_OK);
        /* a second step opened over the open one (lifecycle never does):
         * the first stays open, closes name the second */
        assert_int_equal(mc_q_step_open(f->db, id, 4, "Bước hai", unit,
                                        holder, t0 + 5, 0, &err),
                         MC_OK);
        assert_int_equal(mc_q_step_close(f->db, id, t0 + 9, holder, &err),
                         MC_OK);
        assert_int_equal(mc_q_step_set_holder(f->db, id, 0, &err), MC_OK);
        assert_int_equal(mc_q_dossier_event(f->db, id, "assign",
                                            "processing", "processing",
                                            holder, "leader", unit, t0 + 1,
                                            NULL, "{}", &err),
                         MC_OK);
        if (held) {
            assert_int_equal(mc_q_dossier_flush(f->db, &err), MC_OK);
        }
        snprintf(sql, sizeof(sql),
                 "SELECT group_concat(id || ',' || seq || ',' || action || "
                 "',' || at || ',' || coalesce(reason, '-'), ';') FROM "
                 "(SELECT * FROM dossier_events WHERE dossier_id = %lld "
                 "ORDER BY seq)",
                 (long long)id);
        qtext(f->db, sql, ev[held], sizeof(ev[held]));
        snprintf(sql, sizeof(sql),
                 "SELECT group_concat(id || ',' || seq || ',' || step_seq || "
                 "',' || name || ',' || unit_id || ',' || coalesce(holder_id, "
                 "'-') || ',' || arrived_at || ',' || coalesce(due_at, '-') "
                 "|| ',' || coalesce(left_at, '-') || ',' || "
                 "coalesce(finished_by, '-') || ',' || coalesce(outcome, '-'),"
                 " ';') FROM (SELECT * FROM dossier_steps WHERE dossier_id = "
                 "%lld ORDER BY seq)",
                 (long long)id);
        qtext(f->db, sql, stp[held], sizeof(stp[held]));
        mc_db_rollback(f->db);
        mc_q_dossier_release(f->db);
    }
    assert_int_equal(cnt[0], cnt[1]);
    assert_string_equal(ev[0], ev[1]);
    assert_string_equal(stp[0], stp[1]);
    assert_non_null(strstr(stp[1], "Bước thử"));
    assert_non_null(strstr(stp[1], "Bước hai"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_audit_intact),
        cmocka_unit_test(test_event_paths),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_shares),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_bulk_indexes_equivalent),
        cmocka_unit_test(test_dossier_slot),
        cmocka_unit_test(test_dossier_state),
        cmocka_unit_test(test_step_samples_plans),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
