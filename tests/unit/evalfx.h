/*
 * evalfx.h - the database fixture shared by test_evaluation.c and
 * test_evaluation_report.c: the demo database with unit H26.00004's
 * officials and the first component of procedure 1.001193, and helpers
 * that drive dossiers through the domain code (receive, transitions,
 * reschedule, citizen evaluation) and read back counts. Include once,
 * after cmocka.h; defines D, PROC, UNIT and H.
 */
#ifndef MC_TESTS_EVALFX_H
#define MC_TESTS_EVALFX_H

#include "domain/dossier.h"
#include "domain/evaluation.h"
#include "testdb.h"

#define D(y, m, d) mc_days_from_civil((y), (m), (d))
#define PROC "1.001193"
#define UNIT "H26.00004"
#define H 3600

struct fx {
    struct mc_test_db t;
    struct mc_calendar *cal;
    struct mc_unit unit;
    struct mc_actor desk, spec, leader, kiosk, citizen;
    struct mc_arena arena;
    int64_t comp;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct mc_procedure *p = NULL;
    struct mc_err err;

    if (f == NULL) {
        return -1;
    }
    if (mc_test_db_open(&f->t, "mc_eval", MC_TEST_SEED_ALL) != 0) {
        return -1;
    }
    mc_arena_init(&f->arena, 0);
    if (mc_unit_get_by_code(f->t.db, UNIT, &f->unit, &err) != MC_OK ||
        mc_calendar_load(f->t.db, &f->cal, &err) != MC_OK ||
        mc_catalog_get_in_force(f->t.db, PROC, mc_local_ts(D(2026, 1, 5), 0),
                                &f->arena, &p, &err) != MC_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    f->comp = p->components[0].id;
    mc_test_official(f->t.db, "badinh.tiepnhan", MC_ROLE_DESK, &f->unit,
                     &f->desk);
    mc_test_official(f->t.db, "badinh.chuyenvien", MC_ROLE_SPECIALIST, &f->unit,
                     &f->spec);
    mc_test_official(f->t.db, "badinh.lanhdao", MC_ROLE_LEADER, &f->unit,
                     &f->leader);
    mc_test_official(f->t.db, "nguyenvanduc", MC_ROLE_CITIZEN, &f->unit,
                     &f->citizen);
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

static int
w_evaluate(struct mc_db *db, void *ctx, struct mc_err *err)
{
    int rc = mc_evaluation_submit(db, ctx, err);

    json_decref(((struct mc_eval_wctx *)ctx)->out);
    ((struct mc_eval_wctx *)ctx)->out = NULL;
    return rc;
}

static int
act(struct fx *f, const struct mc_actor *a, int64_t id, const char *action,
    int64_t now, struct mc_dossier *d)
{
    struct mc_transition_req tr;
    struct mc_dossier_wctx c;
    struct mc_err err;

    memset(&tr, 0, sizeof(tr));
    tr.action = action;
    tr.reason = "Lý do kiểm thử";
    tr.components = &f->comp;
    tr.ncomponents = 1;
    tr.assignee_id = f->spec.account_id;
    tr.result = "Đủ điều kiện";
    memset(&c, 0, sizeof(c));
    c.actor = a;
    c.cal = f->cal;
    c.arena = &f->arena;
    c.now = now;
    c.dossier_id = id;
    c.tr = &tr;
    c.out = d;
    return mc_writer_run(f->t.w, mc_test_w_transition, &c, &err);
}

/* Reschedule id to a working day a week after its due date. */
static int
reschedule(struct fx *f, int64_t id, int64_t now, struct mc_dossier *d)
{
    struct mc_transition_req tr;
    struct mc_dossier_wctx c;
    struct mc_err err;
    int32_t day = mc_local_day(d->due_at) + 7;

    while (!mc_calendar_is_workday(f->cal, day, NULL)) {
        day++;
    }
    memset(&tr, 0, sizeof(tr));
    tr.action = "reschedule";
    tr.reason = "Xin lỗi, hẹn lại";
    tr.due = mc_local_ts(day, 12 * H);
    memset(&c, 0, sizeof(c));
    c.actor = &f->leader;
    c.cal = f->cal;
    c.arena = &f->arena;
    c.now = now;
    c.dossier_id = id;
    c.tr = &tr;
    c.out = d;
    return mc_writer_run(f->t.w, mc_test_w_transition, &c, &err);
}

static int64_t
received(struct fx *f, int64_t now, int channel, struct mc_dossier *d)
{
    struct mc_dossier_new in;
    struct mc_dossier_wctx c;
    struct mc_err err;

    memset(&in, 0, sizeof(in));
    in.procedure_code = PROC;
    in.recv_unit_id = f->unit.id;
    in.channel = channel;
    in.applicant_name = "Nguyễn Văn Thử";
    memset(&c, 0, sizeof(c));
    c.actor = channel == MC_CH_ONLINE ? &f->citizen : &f->desk;
    c.cal = f->cal;
    c.arena = &f->arena;
    c.now = now;
    c.create = &in;
    c.out = d;
    if (mc_writer_run(f->t.w, mc_test_w_create, &c, &err) != MC_OK) {
        fail_msg("create: %s", err.message);
    }
    assert_int_equal(act(f, &f->desk, d->id, "receive", now, d), MC_OK);
    return d->id;
}

/* Criterion 1 as the citizen judges it in evaluate() (-1: not judged). */
static int eval_c1 = 2;

static int
evaluate(struct fx *f, const struct mc_actor *a, int kiosk,
         const struct mc_dossier *d, const char *sat, int64_t now)
{
    struct mc_evaluation_in in;
    struct mc_eval_wctx c;
    struct mc_err err;
    char secret[MC_EVAL_SECRET_LEN + 1];

    memset(&in, 0, sizeof(in));
    in.dossier_id = d->id;
    in.code = d->code;
    mc_eval_kiosk_secret(d->code, d->received_at, secret);
    in.secret = secret;
    in.c1 = eval_c1;
    in.c3 = in.c4 = in.c7 = -1;
    in.satisfaction = sat;
    memset(&c, 0, sizeof(c));
    c.actor = a;
    c.kiosk = kiosk;
    c.now = now;
    c.arena = &f->arena;
    c.in = &in;
    return mc_writer_run(f->t.w, w_evaluate, &c, &err);
}

static int64_t
q1(struct fx *f, const char *sql, int64_t id)
{
    struct mc_err err;
    int64_t n = -1;

    assert_int_equal(mc_db_i64(f->t.db, &n, &err, sql, "i", id), MC_OK);
    return n;
}

static int64_t
mismatches(struct fx *f)
{
    struct mc_err err;
    int64_t n = -1;

    assert_int_equal(mc_evaluation_rollup_check(f->t.db, &n, &err), MC_OK);
    return n;
}

#endif
