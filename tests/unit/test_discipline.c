/*
 * test_discipline.c - the discipline rules raised by transitions, the
 * sweeper's schedule (levels, next checks, idempotence, late forecast
 * and apology drafts) and notification delivery with retries, on a demo
 * database (units, accounts, catalog) in SQLite.
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
#include "db/q_accounts.h"
#include "db/q_catalog.h"
#include "db/q_dossier.h"
#include "db/writer.h"
#include "domain/apology.h"
#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/demo.h"
#include "domain/discipline.h"
#include "domain/dossier.h"
#include "domain/notify.h"
#include "domain/sweep.h"
#include "domain/unit.h"
#include "sec/password.h"
#include "util/log.h"
#include "util/mctime.h"
#include "testdb.h"

#define D(y, m, d) mc_days_from_civil((y), (m), (d))
#define PROC "1.001193"
#define UNIT "H26.00004"
#define H 3600

struct fx {
    struct mc_test_db t;
    struct mc_calendar *cal;
    struct mc_unit unit;
    struct mc_actor desk, spec, leader;
    struct mc_arena arena;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct mc_err err;

    if (f == NULL) {
        return -1;
    }
    if (mc_test_db_open(&f->t, "mc_disc", MC_TEST_SEED_ALL) != 0) {
        return -1;
    }
    if (mc_unit_get_by_code(f->t.db, UNIT, &f->unit, &err) != MC_OK ||
        mc_calendar_load(f->t.db, &f->cal, &err) != MC_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    mc_test_official(f->t.db, "badinh.tiepnhan", MC_ROLE_DESK, &f->unit,
                     &f->desk);
    mc_test_official(f->t.db, "badinh.chuyenvien", MC_ROLE_SPECIALIST, &f->unit,
                     &f->spec);
    mc_test_official(f->t.db, "badinh.lanhdao", MC_ROLE_LEADER, &f->unit,
                     &f->leader);
    mc_arena_init(&f->arena, 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    mc_arena_release(&f->arena);
    mc_calendar_free(f->cal);
    mc_test_db_close(&f->t);
    free(f);
    return 0;
}

/* Run tr on dossier id as actor at now; returns the status. */
static int
act(struct fx *f, const struct mc_actor *a, int64_t id,
    struct mc_transition_req *tr, int64_t now, struct mc_dossier *d)
{
    struct mc_dossier_wctx c;
    struct mc_err err;

    memset(&c, 0, sizeof(c));
    c.actor = a;
    c.cal = f->cal;
    c.arena = &f->arena;
    c.now = now;
    c.dossier_id = id;
    c.tr = tr;
    c.out = d;
    return mc_writer_run(f->t.w, mc_test_w_transition, &c, &err);
}

/* A counter dossier received at now and assigned to the specialist. */
static int64_t
processing(struct fx *f, int64_t now, struct mc_dossier *d)
{
    struct mc_dossier_new in;
    struct mc_transition_req tr;
    struct mc_dossier_wctx c;
    struct mc_err err;

    memset(&in, 0, sizeof(in));
    in.procedure_code = PROC;
    in.recv_unit_id = f->unit.id;
    in.channel = MC_CH_COUNTER;
    in.applicant_name = "Nguyễn Văn Thử";
    in.applicant_email = "thu@example.vn";
    memset(&c, 0, sizeof(c));
    c.actor = &f->desk;
    c.cal = f->cal;
    c.arena = &f->arena;
    c.now = now;
    c.create = &in;
    c.out = d;
    if (mc_writer_run(f->t.w, mc_test_w_create, &c, &err) != MC_OK) {
        fail_msg("create: %s", err.message);
    }
    memset(&tr, 0, sizeof(tr));
    tr.action = "receive";
    assert_int_equal(act(f, &f->desk, d->id, &tr, now, d), MC_OK);
    memset(&tr, 0, sizeof(tr));
    tr.action = "assign";
    tr.assignee_id = f->spec.account_id;
    assert_int_equal(act(f, &f->leader, d->id, &tr, now + 60, d), MC_OK);
    assert_int_equal(d->state, MC_DS_PROCESSING);
    assert_true(d->due_at > now);
    return d->id;
}

static int64_t
count(struct fx *f, const char *sql, int64_t id)
{
    struct mc_err err;
    int64_t n = -1;

    assert_int_equal(mc_db_i64(f->t.db, &n, &err, sql, "i", id), MC_OK);
    return n;
}

static int64_t
violations(struct fx *f, int64_t id, const char *rule)
{
    struct mc_err err;
    int64_t n = -1;

    assert_int_equal(mc_db_i64(f->t.db, &n, &err,
                               "SELECT COUNT(*) FROM violations WHERE "
                               "dossier_id = ? AND rule = ?",
                               "it", id, rule),
                     MC_OK);
    return n;
}

static void
test_rule_names(void **state)
{
    (void)state;
    assert_true(mc_violation_rule_known("supplement_late"));
    assert_true(mc_violation_rule_known("overdue_without_apology"));
    assert_false(mc_violation_rule_known("late"));
    assert_false(mc_violation_rule_known(""));
}

/* Supplement requests: a timely first one is fine; a second one, five
 * working days after receipt, is both repeated and late. */
static void
test_supplement_rules(void **state)
{
    struct fx *f = *state;
    struct mc_procedure *p = NULL;
    struct mc_transition_req tr;
    struct mc_dossier d;
    struct mc_err err;
    int64_t comp, id, t0 = mc_local_ts(D(2026, 3, 9), 9 * H); /* Mon */

    assert_int_equal(mc_catalog_get_in_force(f->t.db, PROC, t0, &f->arena, &p,
                                             &err),
                     MC_OK);
    assert_true(p->ncomponents > 0);
    comp = p->components[0].id;
    id = processing(f, t0, &d);
    memset(&tr, 0, sizeof(tr));
    tr.action = "request_supplement";
    tr.reason = "Thiếu giấy chứng sinh";
    tr.components = &comp;
    tr.ncomponents = 1;
    assert_int_equal(act(f, &f->spec, id, &tr, t0 + H, &d), MC_OK);
    assert_int_equal(violations(f, id, "supplement_repeated"), 0);
    assert_int_equal(violations(f, id, "supplement_late"), 0);
    memset(&tr, 0, sizeof(tr));
    tr.action = "supplement_received";
    assert_int_equal(act(f, &f->desk, id, &tr, t0 + 2 * H, &d), MC_OK);
    /* Monday 16 March: 5 working days after receipt */
    memset(&tr, 0, sizeof(tr));
    tr.action = "request_supplement";
    tr.reason = "Lần hai";
    tr.components = &comp;
    tr.ncomponents = 1;
    assert_int_equal(act(f, &f->spec, id, &tr,
                         mc_local_ts(D(2026, 3, 16), 9 * H), &d),
                     MC_OK);
    assert_int_equal(violations(f, id, "supplement_repeated"), 1);
    assert_int_equal(violations(f, id, "supplement_late"), 1);
    /* a step finished by someone else than its assignee */
    memset(&tr, 0, sizeof(tr));
    tr.action = "supplement_received";
    assert_int_equal(act(f, &f->desk, id, &tr,
                         mc_local_ts(D(2026, 3, 16), 10 * H), &d),
                     MC_OK);
    memset(&tr, 0, sizeof(tr));
    tr.action = "submit_for_approval";
    tr.result = "Trình thay";
    assert_int_equal(act(f, &f->leader, id, &tr,
                         mc_local_ts(D(2026, 3, 16), 11 * H), &d),
                     MC_OK);
    assert_int_equal(violations(f, id, "step_by_non_assignee"), 1);
    assert_int_equal(violations(f, id, "late_return"), 0);
}

static void
test_near_start(void **state)
{
    struct fx *f = *state;
    int64_t due = mc_local_ts(D(2026, 3, 16), 17 * H); /* Monday */

    /* one working day before Monday is Friday 13 March */
    assert_int_equal(mc_sweep_near_start(f->cal, due, 1),
                     mc_local_ts(D(2026, 3, 13), 0));
    assert_int_equal(mc_sweep_near_start(f->cal, due, 0),
                     mc_local_ts(D(2026, 3, 16), 0));
    assert_int_equal(mc_sweep_near_start(f->cal, due, 2),
                     mc_local_ts(D(2026, 3, 12), 0));
    assert_int_equal(mc_sweep_near_start(NULL, due, 2), due - 2 * MC_DAY);
}

static struct mc_sweep_stats
sweep(struct fx *f, int64_t now)
{
    struct mc_sweep_stats st;
    struct mc_sweep_opts o;
    struct mc_err err;

    memset(&st, 0, sizeof(st));
    memset(&o, 0, sizeof(o));
    o.cal = f->cal;
    o.now = now;
    o.near_days = 0; /* the procedure's limit is one working day */
    assert_int_equal(mc_sweep_run(f->t.w, &o, &st, &err), MC_OK);
    return st;
}

static int64_t
next_check(struct fx *f, int64_t id)
{
    return count(f,
                 "SELECT COALESCE(next_check_at, -1) FROM dossier_watch "
                 "WHERE dossier_id = ?",
                 id);
}

/* Levels are entered once each; a second run at the same instant does
 * nothing; the overdue dossier without a reschedule is a violation. */
static void
test_sweep_schedule(void **state)
{
    struct fx *f = *state;
    struct mc_sweep_stats st;
    struct mc_dossier d;
    int64_t id, near, t0 = mc_local_ts(D(2026, 3, 9), 9 * H);

    id = processing(f, t0, &d);
    assert_int_equal(next_check(f, id), t0 + 60); /* touched */
    near = mc_sweep_near_start(f->cal, d.due_at, 0);
    assert_true(near > t0 + 120);
    st = sweep(f, t0 + 120);
    assert_int_equal(st.checked, 1);
    assert_int_equal(st.near_due + st.overdue + st.notifications, 0);
    /* next check: the near-due window, or sooner to forecast again */
    assert_true(next_check(f, id) > t0 + 120 && next_check(f, id) <= near);
    st = sweep(f, t0 + 120);
    assert_int_equal(st.checked, 0);

    st = sweep(f, near + 60);
    assert_int_equal(st.near_due, 1);
    assert_true(st.notifications >= 2); /* holder and leader */
    assert_int_equal(next_check(f, id) > near, 1);
    st = sweep(f, near + 60);
    assert_int_equal(st.checked + st.notifications, 0);
    assert_int_equal(violations(f, id, "overdue_without_apology"), 0);

    st = sweep(f, d.due_at + H);
    assert_int_equal(st.overdue, 1);
    assert_int_equal(st.violations, 1);
    assert_int_equal(next_check(f, id), -1); /* nothing left */
    st = sweep(f, d.due_at + 2 * H);
    assert_int_equal(st.checked + st.violations + st.notifications, 0);
    assert_int_equal(violations(f, id, "overdue_without_apology"), 1);
    /* an apology was drafted for the leader once */
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM apologies WHERE "
                           "dossier_id = ? AND state = 'draft'",
                           id),
                     1);
}

/* The forecast: on time at receipt; one hour before the due instant the
 * remaining steps' budgets no longer fit, and the proposed day is a
 * working day after the due day. */
static void
test_forecast(void **state)
{
    struct fx *f = *state;
    struct mc_forecast fc;
    struct mc_dossier d;
    struct mc_err err;
    int64_t again = 0, t0 = mc_local_ts(D(2026, 3, 9), 9 * H);
    int drafted = -1;

    (void)processing(f, t0, &d);
    assert_int_equal(mc_apology_forecast(f->t.db, f->cal, &d, t0 + 120, NULL,
                                         &f->arena, &fc, &err),
                     MC_OK);
    assert_false(fc.late);
    assert_int_equal(fc.samples, 0); /* no finished steps: budgets */
    assert_true(fc.needed > 0 && fc.available >= fc.needed);
    assert_int_equal(fc.from_step, 2);

    assert_int_equal(mc_apology_forecast(f->t.db, f->cal, &d, d.due_at - H,
                                         NULL, &f->arena, &fc, &err),
                     MC_OK);
    assert_true(fc.late);
    assert_true(fc.shortfall > 0 && fc.shortfall == fc.needed - fc.available);
    assert_true(fc.proposed_day > mc_local_day(d.due_at));
    assert_int_equal(mc_calendar_is_workday(f->cal, fc.proposed_day, NULL),
                     1);

    /* consider: nothing while on time (but a recheck before due), a
     * draft once when late */
    {
        struct mc_db *db = f->t.db;
        assert_int_equal(mc_apology_consider(db, f->cal, &d, t0 + 120, NULL,
                                             &f->arena, &drafted, &again,
                                             &err),
                         MC_OK);
        assert_int_equal(drafted, 0);
        assert_true(again > t0 + 120 && again < d.due_at);
        assert_int_equal(mc_apology_consider(db, f->cal, &d, d.due_at - H,
                                             NULL, &f->arena, &drafted,
                                             &again, &err),
                         MC_OK);
        assert_int_equal(drafted, 1);
        assert_int_equal(again, 0);
        assert_int_equal(mc_apology_consider(db, f->cal, &d, d.due_at - 60,
                                             NULL, &f->arena, &drafted,
                                             &again, &err),
                         MC_OK);
        assert_int_equal(drafted, 0);
    }
}

/* ---- delivery ---- */

struct fake {
    int calls, fail_first;
};

static int
fake_send(struct mc_channel *ch, const struct mc_outbound *m,
          struct mc_err *err)
{
    struct fake *k = ch->state;

    k->calls++;
    assert_int_equal(m->attempt, k->calls);
    if (k->calls <= k->fail_first) {
        return mc_err_set(err, MC_EIO, 502, "gateway", NULL, "try later");
    }
    return MC_OK;
}

struct note_ctx {
    int64_t now;
    const char *key;
    int created;
};

static int
w_note(struct mc_db *db, void *arg, struct mc_err *err)
{
    struct note_ctx *c = arg;
    struct mc_notification_new n;
    memset(&n, 0, sizeof(n));
    n.kind = "test";
    n.title = "Thử";
    n.body = "Nội dung";
    n.address = "thu@example.vn";
    n.dedup_key = c->key;
    return mc_notify(db, &n, c->now, &c->created, err);
}

static void
deliver(struct fx *f, struct mc_channel *ch, int64_t now, int sent,
        int failed)
{
    struct mc_err err;
    int s = -1, x = -1;

    assert_int_equal(mc_notify_deliver(f->t.w, ch, now, 10, &s, &x, &err),
                     MC_OK);
    assert_int_equal(s, sent);
    assert_int_equal(x, failed);
}

/* Back-off: 60 << attempt seconds; sent once; given up after
 * MC_NOTIFY_MAX_ATTEMPTS failures. */
static void
test_notify_retry(void **state)
{
    struct fx *f = *state;
    struct fake k = {0, 2};
    struct mc_channel ch = {MC_NOTIFY_CHANNEL, fake_send, NULL, &k};
    struct note_ctx nc = {mc_local_ts(D(2026, 3, 9), 9 * H), "retry:1", 0};
    struct mc_err err;
    int64_t t = nc.now;

    assert_int_equal(mc_writer_run(f->t.w, w_note, &nc, &err), MC_OK);
    assert_int_equal(nc.created, 1);
    assert_int_equal(mc_writer_run(f->t.w, w_note, &nc, &err), MC_OK);
    assert_int_equal(nc.created, 0); /* the same key is recorded once */
    deliver(f, &ch, t, 0, 1);           /* attempt 1 fails */
    deliver(f, &ch, t + 119, 0, 0);     /* back-off 120 s */
    deliver(f, &ch, t + 120, 0, 1);     /* attempt 2 fails */
    deliver(f, &ch, t + 120 + 239, 0, 0);
    deliver(f, &ch, t + 360, 1, 0);     /* attempt 3 succeeds */
    deliver(f, &ch, t + 100000, 0, 0);  /* once */
    assert_int_equal(k.calls, 3);

    /* a channel that always fails: given up after the last attempt */
    k.calls = 0;
    k.fail_first = 1000;
    nc.key = "retry:2";
    assert_int_equal(mc_writer_run(f->t.w, w_note, &nc, &err), MC_OK);
    for (int i = 0; i < MC_NOTIFY_MAX_ATTEMPTS + 3; i++) {
        t += 100000;
        deliver(f, &ch, t, 0, i < MC_NOTIFY_MAX_ATTEMPTS);
    }
    assert_int_equal(k.calls, MC_NOTIFY_MAX_ATTEMPTS);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM deliveries WHERE state = "
                           "'failed' AND attempts = ?",
                           MC_NOTIFY_MAX_ATTEMPTS),
                     1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_names),
        cmocka_unit_test_setup_teardown(test_supplement_rules, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_near_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweep_schedule, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_forecast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notify_retry, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
