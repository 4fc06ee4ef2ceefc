/*
 * test_evaluation.c - the TT 01/2018 and Decision 766 formulas with
 * hand-computed values (threshold edges, zero denominators, the
 * supplement pause, a second supplement, reschedules), evaluations once
 * per channel, and the incremental rollups compared with a recomputation
 * from raw data over a randomized history of dossiers (SQLite, demo
 * catalog).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/q_accounts.h"
#include "db/q_evaluation.h"
#include "db/writer.h"
#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/demo.h"
#include "domain/dossier.h"
#include "domain/evaluation.h"
#include "domain/unit.h"
#include "sec/password.h"
#include "util/log.h"
#include "util/mctime.h"
#include "evalfx.h"


/* ---- pure formulas ---- */

static struct mc_eval_facts
facts(int64_t fin, int64_t due0, int64_t due, int64_t paused, int sup,
      int resched)
{
    struct mc_eval_facts f;

    memset(&f, 0, sizeof(f));
    f.received_at = mc_local_ts(D(2026, 3, 2), 9 * H);
    f.finished_at = fin;
    f.due_original = due0;
    f.due_at = due;
    f.paused_seconds = paused;
    f.supplements = sup;
    f.reschedules = resched;
    return f;
}

static void
test_on_time_rule(void **state)
{
    int64_t due = mc_local_ts(D(2026, 3, 6), 17 * H); /* Fri 17:00 */
    struct mc_eval_facts f;
    int early = -1;

    (void)state;
    /* exactly at the due instant: on time, not early */
    f = facts(due, due, due, 0, 0, 0);
    assert_int_equal(mc_eval_on_time(&f, &early), 1);
    assert_int_equal(early, 0);
    /* one second late */
    f = facts(due + 1, due, due, 0, 0, 0);
    assert_int_equal(mc_eval_on_time(&f, &early), 0);
    assert_int_equal(early, 0);
    /* the day before: early */
    f = facts(due - 24 * H, due, due, 0, 0, 0);
    assert_int_equal(mc_eval_on_time(&f, &early), 1);
    assert_int_equal(early, 1);
    /* 2 days late, 2 days waiting for the supplement: on time */
    f = facts(due + 48 * H, due, due + 48 * H, 48 * H, 1, 0);
    assert_int_equal(mc_eval_on_time(&f, &early), 1);
    /* 2 days + 1 s late with 2 days of waiting: late */
    f = facts(due + 48 * H + 1, due, due, 48 * H, 1, 0);
    assert_int_equal(mc_eval_on_time(&f, NULL), 0);
    /* a second supplement request is overdue even when early */
    f = facts(due - 72 * H, due, due, 0, 2, 0);
    assert_int_equal(mc_eval_on_time(&f, &early), 0);
    assert_int_equal(early, 0);
    /* rescheduled: measured against the new appointment, no subtraction */
    f = facts(due + 24 * H, due, due + 48 * H, 24 * H, 1, 1);
    assert_int_equal(mc_eval_on_time(&f, NULL), 1);
    f = facts(due + 49 * H, due, due + 48 * H, 24 * H, 0, 1);
    assert_int_equal(mc_eval_on_time(&f, NULL), 0);
    /* no due date at all: not counted late */
    f = facts(due, 0, 0, 0, 0, 0);
    assert_int_equal(mc_eval_on_time(&f, NULL), 1);
    /* processing time: end - start - waiting, never negative */
    assert_int_equal(mc_eval_processing_seconds(100, 1000, 300), 600);
    assert_int_equal(mc_eval_processing_seconds(100, 200, 300), 0);
}

static void
test_tt01_criteria(void **state)
{
    int64_t due = mc_local_ts(D(2026, 3, 6), 23 * H + 59 * 60);

    (void)state;
    assert_int_equal(mc_tt01_time_score(due - 24 * H, due), 2);
    assert_int_equal(mc_tt01_time_score(due - H, due), 1);
    assert_int_equal(mc_tt01_time_score(due, due), 1);
    assert_int_equal(mc_tt01_time_score(due + 1, due), 0);
    assert_int_equal(mc_tt01_time_score(due, 0), -1);
    assert_int_equal(mc_tt01_contacts_score(0), 2);
    assert_int_equal(mc_tt01_contacts_score(1), 1);
    assert_int_equal(mc_tt01_contacts_score(2), 0);
    assert_int_equal(mc_tt01_contacts_score(5), 0);
    /* criterion 8: none -> 2; 100% -> 2; 90% -> 1; 89.9% -> 0 */
    assert_int_equal(mc_tt01_feedback_score(0, 0, 0), 2);
    assert_int_equal(mc_tt01_feedback_score(10, 10, 0), 2);
    assert_int_equal(mc_tt01_feedback_score(9, 10, 0), 1);
    assert_int_equal(mc_tt01_feedback_score(899, 1000, 0), 0);
    assert_int_equal(mc_tt01_feedback_score(10, 10, 1), 0);
    /* criterion 9: 30% -> 2, 29.9% -> 1, 15% -> 1, 14.9% -> 0 */
    assert_int_equal(mc_tt01_online_score(30, 100, 0), 2);
    assert_int_equal(mc_tt01_online_score(299, 1000, 0), 1);
    assert_int_equal(mc_tt01_online_score(15, 100, 0), 1);
    assert_int_equal(mc_tt01_online_score(149, 1000, 0), 0);
    assert_int_equal(mc_tt01_online_score(90, 100, 1), 0);
    assert_int_equal(mc_tt01_online_score(0, 0, 0), -1);
    /* rounding to 1 decimal: (2+1+1)/3 = 1.333 -> 1.3; 2.25 -> 2.3 */
    assert_true(mc_eval_round1(4.0 / 3.0) == 1.3);
    assert_true(mc_eval_round1(2.25) == 2.3);
    assert_true(mc_eval_round1(4.95) == 5.0);
    /* bands: 4.96 rounds to 5.0 -> full completion */
    assert_int_equal(mc_tt01_official_band(5.0), 0);
    assert_int_equal(mc_tt01_official_band(4.96), 0);
    assert_int_equal(mc_tt01_official_band(4.9), 1);
    assert_int_equal(mc_tt01_official_band(3.5), 1);
    assert_int_equal(mc_tt01_official_band(3.4), 2);
    assert_int_equal(mc_tt01_unit_band(15.0), 0);
    assert_int_equal(mc_tt01_unit_band(14.9), 1);
    assert_int_equal(mc_tt01_unit_band(12.0), 1);
    assert_int_equal(mc_tt01_unit_band(11.9), 2);
    assert_int_equal(mc_tt01_unit_band(9.0), 2);
    assert_int_equal(mc_tt01_unit_band(8.9), 3);
    assert_int_equal(mc_tt01_unit_band(6.0), 3);
    assert_int_equal(mc_tt01_unit_band(5.9), 4);
    assert_string_equal(mc_tt01_unit_band_name(0), "xuất sắc");
}

static void
test_766_points(void **state)
{
    (void)state;
    /* 2.1: 18 of 20 on time, max 20, threshold 100% -> 18 */
    assert_true(mc_766_points(18, 20, 20, 1.0) == 18.0);
    /* 3.3 online: 50% threshold, 12 max: 25% -> 6; 50% and 80% -> 12 */
    assert_true(mc_766_points(1, 4, 12, 0.5) == 6.0);
    assert_true(mc_766_points(1, 2, 12, 0.5) == 12.0);
    assert_true(mc_766_points(4, 5, 12, 0.5) == 12.0);
    /* 4.2: 80% threshold, 4 max: 40% -> 2 */
    assert_true(mc_766_points(2, 5, 4, 0.8) == 2.0);
    /* zero denominator: no data */
    assert_true(mc_766_points(0, 0, 20, 1.0) < 0);
    /* 5.4: 100 dossiers, 5 overdue, 4 complaints -> 91% -> full 6;
     * 10 overdue, 8 complaints -> 82% -> 0.82 * 6 / 0.9 = 5.4667 */
    assert_true(mc_766_satisfaction_rate(5, 4, 100) > 0.9099 &&
                mc_766_satisfaction_rate(5, 4, 100) < 0.9101);
    assert_true(mc_766_points(91, 100, 6, 0.9) == 6.0);
    assert_true(mc_eval_round1(0.82 * 6 / 0.9) == 5.5);
    assert_true(mc_766_satisfaction_rate(80, 40, 100) == 0.0);
    assert_true(mc_766_satisfaction_rate(0, 0, 0) < 0);
}

static void
test_kiosk_secret(void **state)
{
    char a[8], b[8];

    (void)state;
    mc_eval_kiosk_secret("H26.00004-260302-0001", 1772416800, a);
    mc_eval_kiosk_secret("H26.00004-260302-0001", 1772416801, b);
    assert_int_equal(strlen(a), MC_EVAL_SECRET_LEN);
    assert_string_not_equal(a, b);
    mc_eval_kiosk_secret("H26.00004-260302-0001", 1772416800, b);
    assert_string_equal(a, b);
    assert_int_equal(mc_eval_sat_parse("satisfied"), MC_SAT_SATISFIED);
    assert_int_equal(mc_eval_sat_parse("happy"), -1);
}

/* Facts frozen at approval: a second supplement request is late. */
static void
test_facts_and_once(void **state)
{
    struct fx *f = *state;
    struct mc_dossier d;
    int64_t t0 = mc_local_ts(D(2026, 3, 9), 9 * H), id; /* Monday */

    id = received(f, t0, MC_CH_COUNTER, &d);
    assert_int_equal(act(f, &f->leader, id, "assign", t0 + 60, &d), MC_OK);
    assert_int_equal(evaluate(f, &f->desk, 0, &d, "satisfied", t0 + 90),
                     MC_ECONFLICT); /* not finished */
    assert_int_equal(act(f, &f->spec, id, "request_supplement", t0 + H, &d),
                     MC_OK);
    assert_int_equal(act(f, &f->desk, id, "supplement_received",
                         t0 + 3 * H, &d),
                     MC_OK);
    assert_int_equal(act(f, &f->spec, id, "request_supplement", t0 + 4 * H,
                         &d),
                     MC_OK);
    assert_int_equal(act(f, &f->desk, id, "supplement_received",
                         t0 + 5 * H, &d),
                     MC_OK);
    assert_int_equal(act(f, &f->spec, id, "submit_for_approval", t0 + 6 * H,
                         &d),
                     MC_OK);
    assert_int_equal(act(f, &f->leader, id, "approve", t0 + 7 * H, &d),
                     MC_OK);
    /* finished the same day, yet two supplement rounds: overdue */
    assert_int_equal(q1(f, "SELECT on_time FROM dossier_facts WHERE "
                           "dossier_id = ?", id), 0);
    assert_int_equal(q1(f, "SELECT supplements FROM dossier_facts WHERE "
                           "dossier_id = ?", id), 2);
    /* 7 h - (2 h + 1 h) of waiting = 4 h of processing */
    assert_int_equal(q1(f, "SELECT processing_seconds FROM dossier_facts "
                           "WHERE dossier_id = ?", id), 4 * H);
    assert_int_equal(evaluate(f, &f->desk, 0, &d, "satisfied", t0 + 8 * H),
                     MC_OK);
    assert_int_equal(evaluate(f, &f->desk, 0, &d, "satisfied", t0 + 8 * H),
                     MC_ECONFLICT);
    assert_int_equal(evaluate(f, &f->kiosk, 1, &d, "bad", t0 + 8 * H),
                     MC_EINVAL);
    assert_int_equal(evaluate(f, &f->kiosk, 1, &d, "very_satisfied",
                              t0 + 8 * H),
                     MC_OK);
    assert_int_equal(evaluate(f, &f->kiosk, 1, &d, "very_satisfied",
                              t0 + 8 * H),
                     MC_ECONFLICT);
    assert_int_equal(evaluate(f, &f->spec, 0, &d, "satisfied", t0 + 8 * H),
                     MC_EFORBIDDEN);
    assert_int_equal(mismatches(f), 0);
}

/* Attachments counted for the facts (mc_q_eval_files): all of them, and
 * a result file only when an official other than the applicant attached
 * it outside the procedure's components. */
static void
test_files_counts(void **state)
{
    struct fx *f = *state;
    struct mc_dossier d;
    struct mc_err err;
    int64_t id, files = -1, who = f->citizen.account_id;
    int e = -1;

    id = received(f, mc_local_ts(D(2026, 3, 9), 9 * H), MC_CH_COUNTER, &d);
    assert_int_equal(mc_q_eval_files(f->t.db, id, who, &files, &e, &err),
                     MC_OK);
    assert_int_equal(files, 0);
    assert_int_equal(e, 0);
    assert_int_equal(mc_db_run(f->t.db, &err,
                               "INSERT INTO files VALUES ('ab', 1, "
                               "'application/pdf', 0)", ""),
                     MC_OK);
    /* the applicant's own file, one without uploader, an official's
     * file for a component: none of them is a result */
    assert_int_equal(mc_db_run(f->t.db, &err,
                               "INSERT INTO dossier_files (dossier_id, "
                               "component_id, sha256, name, mime, size, "
                               "uploaded_by, at) VALUES (?, NULL, 'ab', "
                               "'a.pdf', 'application/pdf', 1, ?, 0), (?, "
                               "NULL, 'ab', 'b.pdf', 'application/pdf', 1, "
                               "NULL, 0), (?, ?, 'ab', 'c.pdf', "
                               "'application/pdf', 1, ?, 0)",
                               "iiiiii", id, who, id, id, f->comp,
                               f->desk.account_id),
                     MC_OK);
    assert_int_equal(mc_q_eval_files(f->t.db, id, who, &files, &e, &err),
                     MC_OK);
    assert_int_equal(files, 3);
    assert_int_equal(e, 0);
    assert_int_equal(mc_db_run(f->t.db, &err,
                               "INSERT INTO dossier_files (dossier_id, "
                               "component_id, sha256, name, mime, size, "
                               "uploaded_by, at) VALUES (?, NULL, 'ab', "
                               "'kq.pdf', 'application/pdf', 1, ?, 0)",
                               "ii", id, f->spec.account_id),
                     MC_OK);
    assert_int_equal(mc_q_eval_files(f->t.db, id, who, &files, &e, &err),
                     MC_OK);
    assert_int_equal(files, 4);
    assert_int_equal(e, 1);
}

/* Random histories; the incremental rollups equal the recomputation. */
static void
test_rollup_incremental_equals_recompute(void **state)
{
    static const char *const sats[] = {"very_satisfied", "satisfied",
                                       "dissatisfied"};
    struct fx *f = *state;
    struct mc_dossier d;
    struct mc_err err;
    int64_t t = mc_local_ts(D(2026, 4, 6), 8 * H), id, n = 0;
    unsigned seed = 20261126;

    for (int i = 0; i < 60; i++) {
        int r = rand_r(&seed) % 100, sup = rand_r(&seed) % 3;

        t += (int64_t)(rand_r(&seed) % (30 * H));
        id = received(f, t, 1 + rand_r(&seed) % 3, &d);
        if (r < 10) {
            continue; /* stays open */
        }
        t += 60;
        assert_int_equal(act(f, &f->leader, id, "assign", t, &d), MC_OK);
        if (r < 20) {
            t += H;
            assert_int_equal(act(f, &f->leader, id, "stop", t, &d), MC_OK);
            continue;
        }
        for (int s = 0; s < sup; s++) {
            t += (int64_t)(rand_r(&seed) % (50 * H)) + 60;
            assert_int_equal(act(f, &f->spec, id, "request_supplement", t,
                                 &d),
                             MC_OK);
            t += (int64_t)(rand_r(&seed) % (80 * H)) + 60;
            assert_int_equal(act(f, &f->desk, id, "supplement_received", t,
                                 &d),
                             MC_OK);
        }
        if (r < 30) {
            t += 7 * 24 * H;
            assert_int_equal(reschedule(f, id, t, &d), MC_OK);
        }
        t += (int64_t)(rand_r(&seed) % (150 * H)) + 60;
        if (r < 40) {
            assert_int_equal(act(f, &f->leader, id, "reject", t, &d), MC_OK);
        } else {
            assert_int_equal(act(f, &f->spec, id, "submit_for_approval", t,
                                 &d),
                             MC_OK);
            t += 60;
            assert_int_equal(act(f, &f->leader, id, "approve", t, &d),
                             MC_OK);
        }
        if (r % 2 == 0) {
            t += (int64_t)(rand_r(&seed) % (20 * H)) + 60;
            assert_int_equal(act(f, &f->desk, id, "return_result", t, &d),
                             MC_OK);
        }
        if (r % 3 != 0) {
            assert_int_equal(evaluate(f, &f->kiosk, 1, &d,
                                      sats[rand_r(&seed) % 3], t + 120),
                             MC_OK);
        }
    }
    assert_int_equal(mismatches(f), 0);
    assert_true(q1(f, "SELECT COUNT(*) FROM dossier_facts WHERE on_time = "
                      "? ",
                   0) > 0);
    assert_true(q1(f, "SELECT SUM(finished) FROM eval_rollup WHERE "
                      "unit_id = ?",
                   f->unit.id) ==
                q1(f, "SELECT COUNT(*) FROM dossier_facts WHERE unit_id = ?",
                   f->unit.id));
    /* a drifted counter is detected */
    assert_int_equal(mc_db_run(f->t.db, &err,
                               "UPDATE eval_rollup SET received = received "
                               "+ 1 WHERE day = (SELECT MIN(day) FROM "
                               "eval_rollup)",
                               ""),
                     MC_OK);
    n = mismatches(f);
    assert_true(n >= 2); /* one row in each direction */
}

/*
 * The threaded writer sums rollup deltas per batch (writer.c). Eight
 * threads carry dossiers from creation to returned through one writer,
 * each followed by a write that records a rollup delta and then fails:
 * the batches mix successful and failed writes, and the rollups must
 * still equal the recomputation (the failed writes' deltas dropped with
 * their savepoints, the others kept).
 */
#define WB_THREADS 8
#define WB_DOSSIERS 12

struct wb_arg {
    struct fx *f;
    struct mc_writer *w;
    int k;
    int ok, failed_as_expected, bad;
};

static int
w_delta_then_fail(struct mc_db *db, void *ctx, struct mc_err *err)
{
    const struct fx *f = ctx;
    struct mc_rollup_delta r;
    int rc;

    memset(&r, 0, sizeof(r));
    r.unit_id = f->unit.id;
    r.unit_path = f->unit.path;
    r.procedure_code = PROC;
    r.day = D(2026, 5, 4);
    r.v[MC_RC_RECEIVED] = 1000;
    rc = mc_q_eval_rollup_add(db, &r, err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_err_set(err, MC_ECONFLICT, 409, "test_refused", NULL,
                      "refused after the delta");
}

static void *
wb_thread(void *p)
{
    static const char *const acts[] = {"receive", "assign",
                                       "submit_for_approval", "approve",
                                       "return_result"};
    struct wb_arg *a = p;
    struct fx *f = a->f;
    const struct mc_actor *who[] = {&f->desk, &f->leader, &f->spec,
                                    &f->leader, &f->desk};
    struct mc_arena arena;
    int64_t t = mc_local_ts(D(2026, 5, 4), 8 * H) + a->k * 97;

    mc_arena_init(&arena, 0);
    for (int i = 0; i < WB_DOSSIERS; i++) {
        struct mc_dossier_new in;
        struct mc_dossier_wctx c;
        struct mc_dossier d;
        struct mc_err err;

        memset(&in, 0, sizeof(in));
        in.procedure_code = PROC;
        in.recv_unit_id = f->unit.id;
        in.channel = 1 + (a->k + i) % 3;
        in.applicant_name = "Nguyễn Văn Thử";
        memset(&c, 0, sizeof(c));
        c.actor = in.channel == MC_CH_ONLINE ? &f->citizen : &f->desk;
        c.cal = f->cal;
        c.arena = &arena;
        c.now = t;
        c.create = &in;
        c.out = &d;
        if (mc_writer_run(a->w, mc_test_w_create, &c, &err) != MC_OK) {
            a->bad++;
            continue;
        }
        for (size_t s = 0; s < sizeof(acts) / sizeof(acts[0]); s++) {
            struct mc_transition_req tr;

            memset(&tr, 0, sizeof(tr));
            tr.action = acts[s];
            tr.assignee_id = f->spec.account_id;
            tr.result = "Đủ điều kiện";
            memset(&c, 0, sizeof(c));
            c.actor = who[s];
            c.cal = f->cal;
            c.arena = &arena;
            c.now = t += 29 * H / 10;
            c.dossier_id = d.id;
            c.tr = &tr;
            c.out = &d;
            if (mc_writer_run(a->w, mc_test_w_transition, &c, &err) ==
                MC_OK) {
                a->ok++;
            } else {
                a->bad++;
            }
        }
        if (mc_writer_run(a->w, w_delta_then_fail, f, &err) ==
                MC_ECONFLICT &&
            strcmp(err.code, "test_refused") == 0) {
            a->failed_as_expected++;
        } else {
            a->bad++;
        }
        mc_arena_release(&arena);
    }
    return NULL;
}

static void
test_rollup_writer_batches(void **state)
{
    struct fx *f = *state;
    struct wb_arg args[WB_THREADS];
    pthread_t th[WB_THREADS];
    struct mc_writer *w = NULL;
    struct mc_err err;
    long long commits = 0, writes = 0;
    int ok = 0, refused = 0, bad = 0;

    assert_int_equal(mc_writer_start(f->t.path, 64, 0, &w, &err), MC_OK);
    for (int k = 0; k < WB_THREADS; k++) {
        memset(&args[k], 0, sizeof(args[k]));
        args[k].f = f;
        args[k].w = w;
        args[k].k = k;
        assert_int_equal(pthread_create(&th[k], NULL, wb_thread, &args[k]),
                         0);
    }
    for (int k = 0; k < WB_THREADS; k++) {
        pthread_join(th[k], NULL);
        ok += args[k].ok;
        refused += args[k].failed_as_expected;
        bad += args[k].bad;
    }
    mc_writer_stats(w, &commits, &writes);
    mc_writer_stop(w);
    assert_int_equal(bad, 0);
    assert_int_equal(ok, WB_THREADS * WB_DOSSIERS * 5);
    assert_int_equal(refused, WB_THREADS * WB_DOSSIERS);
    assert_true(commits < writes); /* some batches held several writes */
    assert_int_equal(mismatches(f), 0);
    assert_int_equal(q1(f, "SELECT SUM(received) FROM eval_rollup WHERE "
                           "unit_id = ?",
                        f->unit.id),
                     WB_THREADS * WB_DOSSIERS);
    assert_int_equal(q1(f, "SELECT SUM(returned) FROM eval_rollup_month "
                           "WHERE unit_id = ?",
                        f->unit.id),
                     WB_THREADS * WB_DOSSIERS);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_on_time_rule),
        cmocka_unit_test(test_tt01_criteria),
        cmocka_unit_test(test_766_points),
        cmocka_unit_test(test_kiosk_secret),
        cmocka_unit_test_setup_teardown(test_facts_and_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_files_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_rollup_incremental_equals_recompute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollup_writer_batches, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
