/*
 * test_dossier_list.c - the dossier list (mc_dossier_list ->
 * mc_q_dossier_list) against a direct expectation: the former one-text
 * query, where every filter is "(? IS NULL OR ...)", run on the same rows
 * without LIMIT, over 10,600 dossiers (past the count cap of 10,000) in
 * several units, states, due dates (ties and none), assignees, applicants
 * and consulted units. Every scope (administrator, citizen, officials of
 * a ward, of another ward, of a department, of the province) x every
 * combination of the four filters x three pages: same ids in the same
 * order, total exact up to the cap, else the cap and capped = 1; and the
 * answer's bytes equal those of the jansson tree the list built before
 * (its rows read back one by one).
 */
#include <inttypes.h>

#include "domain/dossier.h"
#include "domain/unit.h"
#include "db/q_dossier.h"
#include "testdb.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mctime.h"

#define NROWS 10600

struct fx {
    struct mc_test_db t;
    struct mc_unit bd, hk, stp, root;
    struct mc_actor admin, citizen, bd_spec, hk_lead, stp_spec, inspector;
    int64_t now;
};

static struct fx *F;

static int
seed_rows(struct fx *f)
{
    char sql[4096];
    struct mc_err err;

    /* i % 4: handling unit Ba Đình, Hoàn Kiếm, the department (received
     * at its desk), Ba Đình received by Hoàn Kiếm; every 13th consulted
     * with the department; states cycle; every 7th without a due date;
     * due dates repeat (ties broken by id); every 3rd assigned to the Ba
     * Đình specialist, every 5th the citizen's. */
    snprintf(sql, sizeof(sql),
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM "
             "n WHERE i < %d), "
             "p AS (SELECT id, code FROM procedures ORDER BY id LIMIT 1) "
             "INSERT INTO dossiers (code, procedure_id, procedure_code, "
             "recv_unit_id, recv_unit_path, unit_id, unit_path, "
             "applicant_id, applicant_name, channel, state, status, "
             "submitted_at, due_at, assignee_id, consult_unit_id, "
             "consult_unit_path, search_key, updated_at) "
             "SELECT 'H26.T-' || printf('%%06d', i), p.id, p.code, "
             "CASE i %% 4 WHEN 0 THEN %" PRId64 " WHEN 1 THEN %" PRId64
             " WHEN 2 THEN %" PRId64 " ELSE %" PRId64 " END, "
             "CASE i %% 4 WHEN 0 THEN '%s' WHEN 1 THEN '%s' WHEN 2 THEN "
             "'%s' ELSE '%s' END, "
             "CASE i %% 4 WHEN 0 THEN %" PRId64 " WHEN 1 THEN %" PRId64
             " WHEN 2 THEN %" PRId64 " ELSE %" PRId64 " END, "
             "CASE i %% 4 WHEN 0 THEN '%s' WHEN 1 THEN '%s' WHEN 2 THEN "
             "'%s' ELSE '%s' END, "
             "CASE WHEN i %% 5 = 0 THEN %" PRId64 " END, "
             "CASE WHEN i %% 2 = 0 THEN 'Nguyễn Văn Đức' ELSE 'Trần Thị "
             "Mai' END, 1, "
             "CASE i %% 6 WHEN 0 THEN 'received' WHEN 1 THEN 'processing' "
             "WHEN 2 THEN 'returned' WHEN 3 THEN 'pending_approval' WHEN 4 "
             "THEN 'done' ELSE 'consulting' END, 4, 1700000000 + i, "
             "CASE WHEN i %% 7 = 0 THEN NULL ELSE %" PRId64
             " + (i %% 900 - 300) * 3600 END, "
             "CASE WHEN i %% 3 = 0 THEN %" PRId64 " END, "
             "CASE WHEN i %% 13 = 0 THEN %" PRId64 " END, "
             "CASE WHEN i %% 13 = 0 THEN '%s' END, "
             "CASE WHEN i %% 2 = 0 THEN 'nguyen van duc' ELSE 'tran thi "
             "mai' END, 1700000000 FROM n, p",
             NROWS, f->bd.id, f->hk.id, f->stp.id, f->hk.id, f->bd.path,
             f->hk.path, f->stp.path, f->hk.path, f->bd.id, f->hk.id,
             f->stp.id, f->bd.id, f->bd.path, f->hk.path, f->stp.path,
             f->bd.path, f->citizen.account_id, f->now,
             f->bd_spec.account_id, f->stp.id, f->stp.path);
    if (mc_db_exec(f->t.db, sql, &err) != MC_OK) {
        fprintf(stderr, "seed: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct mc_err err;
    struct mc_account acc;
    char hash[256];

    if (f == NULL ||
        mc_test_db_open(&f->t, "mc_dlist", MC_TEST_SEED_ALL) != 0 ||
        mc_unit_get_by_code(f->t.db, "H26.00004", &f->bd, &err) != MC_OK ||
        mc_unit_get_by_code(f->t.db, "H26.00070", &f->hk, &err) != MC_OK ||
        mc_unit_get_by_code(f->t.db, "H26.STP", &f->stp, &err) != MC_OK ||
        mc_unit_get_by_code(f->t.db, "H26", &f->root, &err) != MC_OK) {
        return -1;
    }
    f->now = 1780000000;
    f->admin.role = MC_ROLE_ADMIN;
    assert_int_equal(mc_q_account_by_username(f->t.db, "nguyenvanduc", &acc,
                                              hash, sizeof(hash), &err),
                     MC_OK);
    f->citizen.role = MC_ROLE_CITIZEN;
    f->citizen.account_id = acc.id;
    mc_test_official(f->t.db, "badinh.chuyenvien", MC_ROLE_SPECIALIST,
                     &f->bd, &f->bd_spec);
    mc_test_official(f->t.db, "hoankiem.lanhdao", MC_ROLE_LEADER, &f->hk,
                     &f->hk_lead);
    mc_test_official(f->t.db, "stp.chuyenvien", MC_ROLE_SPECIALIST, &f->stp,
                     &f->stp_spec);
    mc_test_official(f->t.db, "thanhtra", MC_ROLE_INSPECTOR, &f->root,
                     &f->inspector);
    if (seed_rows(f) != 0) {
        return -1;
    }
    F = f;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    mc_test_db_close(&f->t);
    free(f);
    return 0;
}

/* The former query: every filter present or not in one text. */
static const char oracle_sql[] =
    "SELECT d.id FROM dossiers d JOIN procedures p ON p.id = d.procedure_id "
    "WHERE (? = 1 OR (d.unit_path >= ? AND d.unit_path < ?) OR "
    "(d.recv_unit_path >= ? AND d.recv_unit_path < ?) OR "
    "(d.consult_unit_path >= ? AND d.consult_unit_path < ?) OR "
    "d.applicant_id = ?) "
    "AND (? IS NULL OR d.state = ?) "
    "AND (? IS NULL OR d.code LIKE ? OR d.search_key LIKE ?) "
    "AND (? = 0 OR d.assignee_id = ?) "
    "AND (? = 0 OR d.state NOT IN ('refused', 'stopped', 'returned', "
    "'done', 'rejected')) "
    "AND (? = 0 OR (d.due_at < ? AND d.state NOT IN ('refused', "
    "'stopped', 'returned', 'done', 'rejected'))) "
    "ORDER BY d.due_at IS NULL, d.due_at, d.id";

/* All matching ids of the oracle into ids (n of them, at most cap). */
static int64_t
oracle(const struct mc_actor *a, const struct mc_dossier_filter *f,
       struct mc_arena *ar, int64_t *ids, int64_t cap)
{
    const char *lo = NULL, *hi = NULL, *like = NULL, *flike = NULL;
    struct mc_stmt *st;
    struct mc_err err;
    int64_t n = 0;

    if (a->role != MC_ROLE_ADMIN && a->role != MC_ROLE_CITIZEN) {
        lo = a->unit_path;
        hi = mc_unit_path_hi_dup(ar, a->unit_path);
    }
    if (f->q != NULL) {
        like = mc_arena_printf(ar, "%s%%", f->q);
        flike = mc_arena_printf(ar, "%%%s%%", f->q);
    }
    st = mc_db_prep(F->t.db, oracle_sql, &err);
    assert_non_null(st);
    mc_stmt_bindv(st, "Ittttttitttttiiiii", a->role == MC_ROLE_ADMIN, lo,
                  hi, lo, hi, lo, hi,
                  a->role == MC_ROLE_CITIZEN ? a->account_id : (int64_t)-1,
                  f->state, f->state, like, like, flike, (int64_t)f->mine,
                  a->account_id, (int64_t)f->open, (int64_t)f->overdue,
                  f->now);
    while (mc_stmt_step(st, &err) == MC_DB_ROW) {
        if (n < cap) {
            ids[n] = mc_stmt_i64(st, 0);
        }
        n++;
    }
    mc_stmt_done(st);
    return n;
}

/* The former answer, built as a jansson tree from the rows of ids (n of
 * them, in order) read one by one: the bytes the list must write. */
static void
reference_answer(const int64_t *ids, int64_t n, int64_t total, int capped,
                 int limit, int offset, struct mc_buf *out)
{
    json_t *arr = json_array(), *o;
    struct mc_stmt *st;
    struct mc_err err;

    assert_non_null(arr);
    for (int64_t i = 0; i < n; i++) {
        st = mc_db_prep(F->t.db,
                        "SELECT d.id, d.code, d.procedure_code, p.name, "
                        "d.applicant_name, d.state, d.status, d.channel, "
                        "d.submitted_at, d.received_at, d.due_at, "
                        "d.assignee_id, d.unit_id, d.finished_at FROM "
                        "dossiers d JOIN procedures p ON p.id = "
                        "d.procedure_id WHERE d.id = ?",
                        &err);
        assert_non_null(st);
        mc_stmt_bindv(st, "i", ids[i]);
        assert_int_equal(mc_stmt_step(st, &err), MC_DB_ROW);
        int si = mc_dstate_parse(mc_stmt_text(st, 5));
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s?,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:o,"
                      "s:I,s:I,s:o}",
                      "id", (json_int_t)mc_stmt_i64(st, 0), "code",
                      mc_stmt_text(st, 1), "procedure_code",
                      mc_stmt_text(st, 2), "procedure_name",
                      mc_stmt_text(st, 3), "applicant_name",
                      mc_stmt_text(st, 4), "state", mc_stmt_text(st, 5),
                      "state_label",
                      mc_dstate_label_vi(si < 0 ? MC_DS_SUBMITTED
                                                : (enum mc_dstate)si),
                      "status", (json_int_t)mc_stmt_i64(st, 6), "channel",
                      (json_int_t)mc_stmt_i64(st, 7), "submitted_at",
                      mc_json_ts_value(mc_stmt_i64(st, 8)), "received_at",
                      mc_json_ts_value(mc_stmt_i64(st, 9)), "due_at",
                      mc_json_ts_value(mc_stmt_i64(st, 10)), "assignee_id",
                      (json_int_t)mc_stmt_i64(st, 11), "unit_id",
                      (json_int_t)mc_stmt_i64(st, 12), "finished_at",
                      mc_json_ts_value(mc_stmt_i64(st, 13))));
        mc_stmt_done(st);
    }
    assert_int_equal(json_array_size(arr), (size_t)n);
    o = json_pack("{s:o,s:I,s:b,s:I,s:I}", "items", arr, "total",
                  (json_int_t)total, "total_capped", capped, "limit",
                  (json_int_t)limit, "offset", (json_int_t)offset);
    assert_non_null(o);
    assert_int_equal(mc_json_dump(o, out), MC_OK);
    json_decref(o);
}

/* mc_dossier_list's answer for actor a and filter f: the text in *b (to
 * be released) and, parsed, its items, total and total_capped. */
static json_t *
list_answer(const struct mc_actor *a, const struct mc_dossier_filter *f,
            struct mc_arena *ar, struct mc_buf *b, int64_t *total,
            int *capped)
{
    struct mc_err err;
    json_t *doc, *items;
    json_error_t jerr;

    mc_buf_init(b, 1u << 22);
    assert_int_equal(mc_dossier_list(F->t.db, a, f, ar, b, &err), MC_OK);
    doc = json_loadb(b->data, b->len, 0, &jerr);
    if (doc == NULL) {
        fail_msg("the answer is not JSON (%s): %s", jerr.text, b->data);
    }
    items = json_incref(json_object_get(doc, "items"));
    assert_true(json_is_array(items));
    *total = json_integer_value(json_object_get(doc, "total"));
    *capped = json_is_true(json_object_get(doc, "total_capped"));
    json_decref(doc);
    return items;
}

static void
check_one(const struct mc_actor *a, const char *state, const char *q,
          int mine, int open, int overdue, int limit, int offset,
          int64_t *want)
{
    struct mc_dossier_filter f = {0};
    struct mc_arena ar;
    struct mc_buf got, ref;
    json_t *items = NULL;
    int64_t total = -1, n;
    int capped = -1;

    mc_arena_init(&ar, 0);
    f.state = state;
    f.q = q;
    f.mine = mine;
    f.open = open;
    f.overdue = overdue;
    f.now = F->now;
    f.limit = limit;
    f.offset = offset;
    n = oracle(a, &f, &ar, want, NROWS);
    items = list_answer(a, &f, &ar, &got, &total, &capped);
    if (n > MC_Q_DOSSIER_LIST_CAP) {
        assert_int_equal(total, MC_Q_DOSSIER_LIST_CAP);
        assert_int_equal(capped, 1);
    } else {
        assert_int_equal(total, n);
        assert_int_equal(capped, 0);
    }
    int64_t expect_n = n - offset < 0 ? 0 : n - offset;
    if (expect_n > limit) {
        expect_n = limit;
    }
    if ((int64_t)json_array_size(items) != expect_n) {
        fail_msg("role %d state %s q %s mine %d open %d overdue %d "
                 "offset %d: %zu "
                 "rows, want %" PRId64,
                 (int)a->role, state ? state : "-", q ? q : "-", mine,
                 open, overdue, offset, json_array_size(items), expect_n);
    }
    for (size_t i = 0; i < json_array_size(items); i++) {
        int64_t id = json_integer_value(
            json_object_get(json_array_get(items, i), "id"));
        if (id != want[offset + (int64_t)i]) {
            fail_msg("role %d state %s q %s mine %d open %d overdue %d "
                     "offset %d: "
                     "row %zu is %" PRId64 ", want %" PRId64,
                     (int)a->role, state ? state : "-", q ? q : "-", mine,
                     open, overdue, offset, i, id, want[offset + (int64_t)i]);
        }
    }
    /* byte for byte the answer the jansson tree gave */
    mc_buf_init(&ref, 1u << 22);
    reference_answer(want + (expect_n > 0 ? offset : 0), expect_n,
                     n > MC_Q_DOSSIER_LIST_CAP ? MC_Q_DOSSIER_LIST_CAP : n,
                     n > MC_Q_DOSSIER_LIST_CAP, limit, offset, &ref);
    if (ref.len != got.len || memcmp(ref.data, got.data, got.len) != 0) {
        fail_msg("role %d state %s q %s mine %d open %d overdue %d "
                 "offset %d: "
                 "answer differs:\n got %s\nwant %s",
                 (int)a->role, state ? state : "-", q ? q : "-", mine,
                 open, overdue, offset, got.data, ref.data);
    }
    mc_buf_release(&ref);
    mc_buf_release(&got);
    json_decref(items);
    mc_arena_release(&ar);
}

static void
test_every_scope_and_filter(void **state)
{
    struct fx *f = *state;
    const struct mc_actor *actors[] = {&f->admin,   &f->citizen,
                                       &f->bd_spec, &f->hk_lead,
                                       &f->stp_spec, &f->inspector};
    const char *states[] = {NULL, "processing", "returned"};
    const char *qs[] = {NULL, "H26.T-0012", "duc"};
    const int offsets[] = {0, 4990};
    int64_t *want = calloc(NROWS, sizeof(*want));
    int checked_capped = 0;

    assert_non_null(want);
    for (size_t a = 0; a < sizeof(actors) / sizeof(actors[0]); a++) {
        for (size_t s = 0; s < 3; s++) {
            for (size_t q = 0; q < 3; q++) {
                for (int m = 0; m < 2; m++) {
                    for (int op = 0; op < 2; op++) {
                        for (int o = 0; o < 2; o++) {
                            for (size_t k = 0; k < 2; k++) {
                                check_one(actors[a], states[s], qs[q], m, op,
                                          o, 50, offsets[k], want);
                            }
                        }
                    }
                }
            }
        }
    }
    /* the cap is reached: administrator and inspector see all 10,600 */
    {
        struct mc_dossier_filter fl = {0};
        struct mc_arena ar;
        struct mc_buf b;
        json_t *items;
        int64_t total = 0;
        int capped = 0;

        mc_arena_init(&ar, 0);
        fl.now = f->now;
        fl.limit = 10;
        items = list_answer(&f->inspector, &fl, &ar, &b, &total, &capped);
        checked_capped = capped == 1 && total == MC_Q_DOSSIER_LIST_CAP &&
                         json_array_size(items) == 10;
        json_decref(items);
        mc_buf_release(&b);
        mc_arena_release(&ar);
    }
    assert_true(checked_capped);
    free(want);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_scope_and_filter, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
