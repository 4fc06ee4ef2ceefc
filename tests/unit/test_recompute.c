/*
 * test_recompute.c - deadlines after a calendar change
 * (mc_calendar_change_recompute / mc_dossier_recompute_deadlines) and the
 * handling unit's working hours in mc_dossier_compute_due, on a demo
 * database (units, accounts, catalog) in SQLite; and mc_q_dossier_update
 * writing only the changed columns.
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
#include "db/q_catalog.h"
#include "db/q_dossier.h"
#include "db/writer.h"
#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/demo.h"
#include "domain/dossier.h"
#include "domain/recompute.h"
#include "domain/unit.h"
#include "sec/password.h"
#include "util/log.h"
#include "util/mctime.h"
#include "testdb.h"

#define D(y, m, d) mc_days_from_civil((y), (m), (d))
#define PROC "1.001193"
#define UNIT "H26.00004"

struct fx {
    struct mc_test_db t;
    struct mc_unit unit;
    struct mc_actor desk, leader;
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
    if (mc_test_db_open(&f->t, "mc_recomp", MC_TEST_SEED_ALL) != 0) {
        return -1;
    }
    if (mc_unit_get_by_code(f->t.db, UNIT, &f->unit, &err) != MC_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    /* officials of the unit (account 0: events and audit as no account) */
    f->desk.role = MC_ROLE_DESK;
    f->desk.unit_id = f->unit.id;
    snprintf(f->desk.unit_path, sizeof(f->desk.unit_path), "%s",
             f->unit.path);
    f->leader = f->desk;
    f->leader.role = MC_ROLE_LEADER;
    mc_arena_init(&f->arena, 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    mc_arena_release(&f->arena);
    mc_test_db_close(&f->t);
    free(f);
    return 0;
}

/* A counter dossier submitted and received at `now`; returns its id. */
static int64_t
received(struct fx *f, const struct mc_calendar *cal, int64_t now)
{
    struct mc_dossier_new in;
    struct mc_transition_req tr;
    struct mc_dossier_wctx c;
    struct mc_dossier d;
    struct mc_err err;

    memset(&in, 0, sizeof(in));
    in.procedure_code = PROC;
    in.recv_unit_id = f->unit.id;
    in.channel = MC_CH_COUNTER;
    in.applicant_name = "Nguyễn Văn Thử";
    memset(&c, 0, sizeof(c));
    c.actor = &f->desk;
    c.cal = cal;
    c.arena = &f->arena;
    c.now = now;
    c.create = &in;
    c.out = &d;
    assert_int_equal(mc_writer_run(f->t.w, mc_test_w_create, &c, &err), MC_OK);
    memset(&tr, 0, sizeof(tr));
    tr.action = "receive";
    c.dossier_id = d.id;
    c.tr = &tr;
    assert_int_equal(mc_writer_run(f->t.w, mc_test_w_transition, &c, &err),
                     MC_OK);
    assert_int_equal(d.state, MC_DS_RECEIVED);
    return d.id;
}

static void
load(struct fx *f, int64_t id, struct mc_dossier *d)
{
    struct mc_err err;

    assert_int_equal(mc_q_dossier_get(f->t.db, id, &f->arena, d, &err),
                     MC_OK);
}

static int64_t
count_action(struct fx *f, int64_t id, const char *action)
{
    struct mc_err err;
    int64_t n = -1;

    assert_int_equal(mc_q_dossier_count_action(f->t.db, id, action, &n, &err),
                     MC_OK);
    return n;
}

/* Announce `day` with kind k; returns the affected list (caller owns). */
static json_t *
announce(struct fx *f, int32_t day, enum mc_ann_kind k, int64_t now,
         int *version)
{
    struct mc_calendar_change ch;
    struct mc_calendar_recompute rc;
    struct mc_cal_ann a;
    struct mc_err err;

    memset(&a, 0, sizeof(a));
    a.day = day;
    a.kind = k;
    snprintf(a.reason, sizeof(a.reason), "Nghỉ đột xuất");
    memset(&ch, 0, sizeof(ch));
    ch.set = &a;
    ch.nset = 1;
    ch.note = "test";
    ch.effective_from = now;
    memset(&rc, 0, sizeof(rc));
    rc.change = &ch;
    rc.actor = &f->leader; /* any actor; recorded on the events */
    rc.now = now;
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_change_recompute, &rc,
                                   &err),
                     MC_OK);
    assert_non_null(rc.affected);
    *version = ch.version;
    return rc.affected;
}

static void
test_day_off_moves_open_deadlines(void **state)
{
    struct fx *f = *state;
    struct mc_calendar *cal = NULL, *cal2 = NULL;
    struct mc_dossier a, b, late, chk;
    struct mc_transition_req tr;
    struct mc_dossier_wctx c;
    struct mc_err err;
    int64_t now = mc_local_ts(D(2026, 3, 2), 9 * 3600); /* Monday */
    int64_t ida, idb, idlate;
    int32_t due_day, next, resched;
    json_t *aff, *it;
    int ver = 0;

    assert_int_equal(mc_calendar_load(f->t.db, &cal, &err), MC_OK);
    ida = received(f, cal, now);
    idb = received(f, cal, now);
    load(f, ida, &a);
    due_day = mc_local_day(a.due_at);
    assert_true(due_day > D(2026, 3, 2));
    /* b is rescheduled (in writing) five working days later */
    assert_int_equal(mc_calendar_add_days(cal, due_day, 5, &resched), MC_OK);
    memset(&tr, 0, sizeof(tr));
    tr.action = "reschedule";
    tr.reason = "Xin lỗi";
    tr.due = mc_local_ts(resched, 10 * 3600);
    memset(&c, 0, sizeof(c));
    c.actor = &f->leader;
    c.cal = cal;
    c.arena = &f->arena;
    c.now = now + 60;
    c.dossier_id = idb;
    c.tr = &tr;
    c.out = &chk;
    assert_int_equal(mc_writer_run(f->t.w, mc_test_w_transition, &c, &err),
                     MC_OK);
    load(f, idb, &b);
    /* a dossier received after the day: outside the window */
    idlate = received(f, cal, mc_local_ts(due_day + 1, 9 * 3600));
    load(f, idlate, &late);

    aff = announce(f, due_day, MC_ANN_OFF, now + 120, &ver);
    assert_int_equal(mc_calendar_load(f->t.db, &cal2, &err), MC_OK);
    assert_int_equal(mc_calendar_version(cal2), ver);
    assert_false(mc_calendar_is_workday(cal2, due_day, NULL));
    assert_int_equal(mc_calendar_add_days(cal2, due_day, 1, &next), MC_OK);
    assert_int_equal(json_array_size(aff), 1);
    it = json_array_get(aff, 0);
    assert_int_equal(json_integer_value(json_object_get(it, "id")), ida);
    assert_string_equal(json_string_value(json_object_get(it, "code")),
                        a.code);

    load(f, ida, &chk);
    assert_int_equal(mc_local_day(chk.due_at), next);
    assert_int_equal(chk.due_at, mc_local_ts(next + 1, 0) - 1);
    assert_int_equal(chk.due_original, a.due_original);
    assert_int_equal(chk.version, a.version + 1);
    assert_non_null(strstr(chk.due_provenance, "\"calendar_version\""));
    assert_int_equal(count_action(f, ida, "deadline_recomputed"), 1);
    /* rescheduled and later dossiers untouched */
    load(f, idb, &chk);
    assert_int_equal(chk.due_at, b.due_at);
    assert_int_equal(chk.version, b.version);
    assert_int_equal(count_action(f, idb, "deadline_recomputed"), 0);
    load(f, idlate, &chk);
    assert_int_equal(chk.due_at, late.due_at);
    assert_int_equal(count_action(f, idlate, "deadline_recomputed"), 0);
    json_decref(aff);

    /* a change that moves no working day recomputes nothing */
    aff = announce(f, D(2026, 3, 8), MC_ANN_OFF, now + 180, &ver); /* Sun */
    assert_int_equal(json_array_size(aff), 0);
    assert_int_equal(count_action(f, ida, "deadline_recomputed"), 1);
    json_decref(aff);

    /* making the day a working day again moves a back */
    aff = announce(f, due_day, MC_ANN_WORK, now + 240, &ver);
    assert_int_equal(json_array_size(aff), 1);
    load(f, ida, &chk);
    assert_int_equal(chk.due_at, a.due_at);
    assert_int_equal(count_action(f, ida, "deadline_recomputed"), 2);
    json_decref(aff);
    mc_calendar_free(cal2);
    mc_calendar_free(cal);
}

static void
test_failed_change_changes_nothing(void **state)
{
    struct fx *f = *state;
    struct mc_calendar *cal = NULL;
    struct mc_calendar_change ch;
    struct mc_calendar_recompute rc;
    struct mc_dossier a, chk;
    struct mc_err err;
    int64_t now = mc_local_ts(D(2026, 4, 6), 9 * 3600);
    int32_t day;
    int64_t id;

    assert_int_equal(mc_calendar_load(f->t.db, &cal, &err), MC_OK);
    id = received(f, cal, now);
    load(f, id, &a);
    day = mc_local_day(a.due_at);
    /* clearing a day that has no announcement fails: all rolled back */
    memset(&ch, 0, sizeof(ch));
    ch.clear = &day;
    ch.nclear = 1;
    memset(&rc, 0, sizeof(rc));
    rc.change = &ch;
    rc.now = now;
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_change_recompute, &rc,
                                   &err),
                     MC_ENOTFOUND);
    assert_null(rc.affected);
    load(f, id, &chk);
    assert_int_equal(chk.due_at, a.due_at);
    assert_int_equal(chk.version, a.version);
    mc_calendar_free(cal);
}

static void
test_unit_hours_in_compute_due(void **state)
{
    struct fx *f = *state;
    struct mc_calendar *cal = NULL;
    struct mc_workhours_change wc;
    struct mc_dossier_wctx c;
    struct mc_procedure p;
    struct mc_dossier d;
    struct mc_err err;
    int32_t mon = D(2026, 3, 9);

    assert_int_equal(mc_calendar_load(f->t.db, &cal, &err), MC_OK);
    memset(&p, 0, sizeof(p));
    p.code = "9.999999";
    p.version = 1;
    p.limit_value = 4;
    p.limit_unit = MC_UNIT_WORKHOURS;
    p.pause_policy = "restart";
    memset(&d, 0, sizeof(d));
    d.id = 987654321; /* no events: no pauses */
    d.unit_id = f->unit.id;
    d.channel = MC_CH_ONLINE;
    d.received_at = mc_local_ts(mon, 8 * 3600);
    memset(&c, 0, sizeof(c));
    c.cal = cal;
    c.arena = &f->arena;
    c.now = d.received_at;
    /* default hours: 08:00 + 4 working hours = 12:00 */
    assert_int_equal(mc_dossier_compute_due(f->t.db, &c, &d, &p, &err), MC_OK);
    assert_int_equal(d.due_at, mc_local_ts(mon, 12 * 3600));
    /* the unit works 07:00-09:00 and 13:00-17:00: 1 h + 3 h = 16:00 */
    wc.unit_id = f->unit.id;
    wc.spec = "1-5=07:00-09:00,13:00-17:00";
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_set_unit_hours, &wc,
                                   &err),
                     MC_OK);
    assert_int_equal(mc_dossier_compute_due(f->t.db, &c, &d, &p, &err), MC_OK);
    assert_int_equal(d.due_at, mc_local_ts(mon, 16 * 3600));
    assert_non_null(strstr(d.due_provenance, "07:00-09:00"));
    /* another unit keeps the default */
    d.unit_id = f->unit.parent_id;
    assert_int_equal(mc_dossier_compute_due(f->t.db, &c, &d, &p, &err), MC_OK);
    assert_int_equal(d.due_at, mc_local_ts(mon, 12 * 3600));
    /* day limits ignore hours */
    p.limit_unit = MC_UNIT_WORKDAYS;
    p.limit_value = 1;
    d.unit_id = f->unit.id;
    assert_int_equal(mc_dossier_compute_due(f->t.db, &c, &d, &p, &err), MC_OK);
    assert_int_equal(mc_local_day(d.due_at), mon + 1);
    mc_calendar_free(cal);
}

struct upd {
    const struct mc_dossier *old, *d;
};

static int
w_update(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct upd *u = ctx;

    return mc_q_dossier_update(db, u->old, u->d, err);
}

/* mc_q_dossier_update with the loaded row writes what changed, sets and
 * clears NULLs, keeps the rest, and still refuses a stale version. */
static void
test_update_changed_columns(void **state)
{
    struct fx *f = *state;
    struct mc_calendar *cal = NULL;
    struct mc_dossier old, d, chk;
    struct upd u = {&old, &d};
    struct mc_err err;
    int64_t now = mc_local_ts(D(2026, 3, 2), 9 * 3600);
    int64_t id;

    assert_int_equal(mc_calendar_load(f->t.db, &cal, &err), MC_OK);
    id = received(f, cal, now);
    load(f, id, &old);
    assert_non_null(old.code);
    assert_int_equal(old.assignee_id, 0);
    assert_null(old.result_text);

    d = old;
    d.assignee_id = f->desk.account_id;
    d.consult_unit_id = f->unit.id;
    d.consult_unit_path = f->unit.path;
    d.consult_due = now + 86400;
    d.due_provenance = "{\"x\":1}";
    d.result_text = "Kết quả";
    d.version++;
    d.updated_at = now + 5;
    assert_int_equal(mc_writer_run(f->t.w, w_update, &u, &err), MC_OK);
    load(f, id, &chk);
    assert_int_equal(chk.assignee_id, f->desk.account_id);
    assert_int_equal(chk.consult_unit_id, f->unit.id);
    assert_string_equal(chk.consult_unit_path, f->unit.path);
    assert_int_equal(chk.consult_due, now + 86400);
    assert_string_equal(chk.due_provenance, "{\"x\":1}");
    assert_string_equal(chk.result_text, "Kết quả");
    assert_int_equal(chk.version, old.version + 1);
    assert_int_equal(chk.updated_at, now + 5);
    assert_string_equal(chk.code, old.code);
    assert_int_equal(chk.state, old.state);
    assert_int_equal(chk.due_at, old.due_at);
    assert_int_equal(chk.received_at, old.received_at);
    assert_string_equal(chk.unit_path, old.unit_path);

    /* back to NULL */
    old = chk;
    d = chk;
    d.consult_unit_id = 0;
    d.consult_unit_path = NULL;
    d.consult_due = 0;
    d.result_text = NULL;
    d.version++;
    assert_int_equal(mc_writer_run(f->t.w, w_update, &u, &err), MC_OK);
    load(f, id, &chk);
    assert_int_equal(chk.consult_unit_id, 0);
    assert_null(chk.consult_unit_path);
    assert_int_equal(chk.consult_due, 0);
    assert_null(chk.result_text);
    assert_int_equal(chk.assignee_id, f->desk.account_id);
    assert_int_equal(chk.version, old.version + 1);

    /* the same change again: the version moved on */
    assert_int_equal(mc_writer_run(f->t.w, w_update, &u, &err), MC_ECONFLICT);
    assert_int_equal(err.status, 409);

    /* without the old row, every column is written */
    d = chk;
    d.version++;
    d.step_seq = chk.step_seq + 1;
    u.old = NULL;
    assert_int_equal(mc_writer_run(f->t.w, w_update, &u, &err), MC_OK);
    load(f, id, &chk);
    assert_int_equal(chk.step_seq, d.step_seq);
    assert_int_equal(chk.version, d.version);
    mc_calendar_free(cal);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_day_off_moves_open_deadlines,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_change_changes_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_hours_in_compute_due,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_changed_columns, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
