/*
 * test_evaluation_report.c - the evaluation reports (issue 5): every
 * Decision 766 system indicator and TT 01/2018 criterion from
 * hand-computed counts (threshold edges, zero denominators, the 5.4
 * floor), the indicator table, a scenario of dossiers through the domain
 * code (supplement pause, second supplement = overdue, reschedule,
 * withdrawal, an open overdue dossier, a dissatisfied citizen) checked
 * figure by figure, manual entries and their validation, scoping, the
 * drill-down, and a randomized history whose 766 figures equal a direct
 * recomputation from the dossiers (and the rollups their recomputation).
 */
#include <math.h>
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
#include "db/writer.h"
#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/demo.h"
#include "domain/dossier.h"
#include "domain/evaluation.h"
#include "domain/evaluation_report.h"
#include "domain/unit.h"
#include "sec/password.h"
#include "util/log.h"
#include "util/mctime.h"
#include "evalfx.h"

/* ---- pure formulas ---- */

static const struct mc_766_def *
def(const char *id)
{
    const struct mc_766_def *d = mc_766_def(id);

    assert_non_null(d);
    return d;
}

/* Points of system indicator id for counts c, rounded to 2 decimals. */
static double
pts(const char *id, const struct mc_q_eval_counts *c, int64_t *num,
    int64_t *den)
{
    const struct mc_766_def *d = def(id);
    double p;

    assert_int_equal(mc_766_system_value(id, c, num, den), 1);
    p = mc_766_points(*num, *den, d->max, d->threshold);
    return p < 0 ? p : floor(p * 100 + 0.5) / 100;
}

static void
test_766_table(void **state)
{
    const struct mc_766_def *dv;
    struct mc_err err;
    double gmax[6] = {0}, total = 0;
    int n = 0, manual = 0;

    (void)state;
    assert_int_equal(mc_766_defs(&dv, &n, &err), MC_OK);
    assert_int_equal(n, 23);
    for (int i = 0; i < n; i++) {
        assert_true(dv[i].group >= 1 && dv[i].group <= 5);
        assert_true(dv[i].max >= 0);
        assert_true(dv[i].threshold > 0 && dv[i].threshold <= 1.0);
        gmax[dv[i].group] += dv[i].max;
        total += dv[i].max;
        manual += dv[i].manual;
    }
    /* 18 + 20 + 22 + 22 + 18 = 100 (indicators_766.csv header) */
    assert_true(gmax[1] == 18 && gmax[2] == 20 && gmax[3] == 22 &&
                gmax[4] == 22 && gmax[5] == 18 && total == 100);
    /* the [U] online tile: 12 points shared 4 + 4 + 4 (choices file) */
    assert_true(def("3.1")->max == 4 && def("3.2")->max == 4 &&
                def("3.3")->max == 4);
    assert_true(def("3.1")->threshold == 0.8 && def("3.3")->threshold == 0.5);
    assert_true(def("5.4")->threshold == 0.9 && def("4.2")->threshold == 0.8);
    assert_true(def("1.1")->manual && def("1.4")->manual &&
                def("3.6")->manual && def("4.5a")->manual);
    assert_false(def("2.1")->manual || def("5.4")->manual);
    assert_int_equal(manual, 12);
    assert_null(mc_766_def("9.9"));
}

static void
test_766_system_indicators(void **state)
{
    struct mc_q_eval_counts c;
    int64_t num, den;

    (void)state;
    memset(&c, 0, sizeof(c));
    c.received = 200;
    c.received_online = 90;
    c.finished = 150;
    c.on_time = 140;
    c.open_late = 10;
    c.e_result = 120;
    c.digitised_e_result = 100;
    c.catalog_total = 50;
    c.catalog_online = 40;
    c.online_procs_used = 30;
    c.fb_total = 20;
    c.fb_on_time = 18;
    c.fb_ok = 15;
    c.eval_dis = 5;
    c.fb_dossier = 3;
    c.processing_seconds = 150 * 2 * 86400;
    /* 2.1: 140 / (150 finished + 10 open overdue) = 87.5% of 20 */
    assert_true(pts("2.1", &c, &num, &den) == 17.5);
    assert_true(num == 140 && den == 160);
    /* 2.2 tracking: 0 points, 2 days on average */
    assert_true(pts("2.2", &c, &num, &den) == 0);
    assert_true(num / den == 2 * 86400);
    /* 3.1: 40/50 = 80% = the threshold exactly: full 4 */
    assert_true(pts("3.1", &c, &num, &den) == 4);
    c.catalog_online = 39; /* 78%: 4 x 0.78 / 0.8 = 3.9 */
    assert_true(pts("3.1", &c, &num, &den) == 3.9);
    c.catalog_online = 40;
    /* 3.2: 30/40 = 75% of 4 (threshold 100%) */
    assert_true(pts("3.2", &c, &num, &den) == 3);
    /* 3.3: 90/200 = 45%: 4 x 0.45 / 0.5 = 3.6 */
    assert_true(pts("3.3", &c, &num, &den) == 3.6);
    c.received_online = 100; /* 50%: full */
    assert_true(pts("3.3", &c, &num, &den) == 4);
    /* 4.1: 120/150 = 80% of 6 */
    assert_true(pts("4.1", &c, &num, &den) == 4.8);
    /* 4.2: 100/150 = 66.7%: 4 x 0.6667 / 0.8 = 3.33 */
    assert_true(pts("4.2", &c, &num, &den) == 3.33);
    c.digitised_e_result = 120; /* 80%: full 4 */
    assert_true(pts("4.2", &c, &num, &den) == 4);
    /* 5.1 tracking; 5.2 18/20 = 90% of 6; 5.3 15/20 = 75% of 6 */
    assert_true(pts("5.1", &c, &num, &den) == 0 && num == 20);
    assert_true(pts("5.2", &c, &num, &den) == 5.4);
    assert_true(pts("5.3", &c, &num, &den) == 4.5);
    /* 5.4: 1 - (20 overdue + 5 dissatisfied + 3 PAKN) / 160 = 82.5%:
     * 6 x 0.825 / 0.9 = 5.5 */
    assert_true(pts("5.4", &c, &num, &den) == 5.5);
    assert_true(num == 132 && den == 160);
    /* 90% exactly: full 6 (144 good of 160) */
    c.eval_dis = 0;
    c.fb_dossier = 0;
    c.on_time = 144;
    assert_true(pts("5.4", &c, &num, &den) == 6);
    /* more complaints than dossiers: floor at 0 */
    c.eval_dis = 500;
    assert_true(pts("5.4", &c, &num, &den) == 0 && num == 0);
    /* zero denominators: no data (-1), never a division by zero */
    memset(&c, 0, sizeof(c));
    assert_true(pts("2.1", &c, &num, &den) < 0);
    assert_true(pts("3.2", &c, &num, &den) < 0);
    assert_true(pts("5.4", &c, &num, &den) < 0);
    assert_true(pts("5.2", &c, &num, &den) < 0);
    /* only open overdue dossiers: 0 of 3 on time */
    c.open_late = 3;
    assert_true(pts("2.1", &c, &num, &den) == 0 && den == 3);
    /* a manual indicator has no system value */
    assert_int_equal(mc_766_system_value("1.1", &c, &num, &den), 0);
}

static void
test_tt01_online_delivery(void **state)
{
    (void)state;
    /* 30% online, none overdue, 20% of procedures online: 2 */
    assert_int_equal(mc_tt01_online_delivery(30, 100, 0, 10, 50), 2);
    /* 19.9% of procedures online: at most 1 */
    assert_int_equal(mc_tt01_online_delivery(30, 100, 0, 199, 1000), 1);
    /* no online service deployed: 0 */
    assert_int_equal(mc_tt01_online_delivery(30, 100, 0, 0, 50), 0);
    /* 15% online: 1; 14.9%: 0; an overdue online dossier: 0 */
    assert_int_equal(mc_tt01_online_delivery(15, 100, 0, 10, 50), 1);
    assert_int_equal(mc_tt01_online_delivery(149, 1000, 0, 10, 50), 0);
    assert_int_equal(mc_tt01_online_delivery(90, 100, 1, 10, 50), 0);
    /* nothing received: no data */
    assert_int_equal(mc_tt01_online_delivery(0, 0, 0, 10, 50), -1);
}

/* ---- a scenario through the domain code ---- */

static json_t *
indicator(json_t *idx, const char *id)
{
    json_t *g, *i;
    size_t k, j;

    json_array_foreach(json_object_get(idx, "groups"), k, g)
    {
        json_array_foreach(json_object_get(g, "indicators"), j, i)
        {
            if (strcmp(json_string_value(json_object_get(i, "id")), id) ==
                0) {
                return i;
            }
        }
    }
    fail_msg("no indicator %s", id);
    return NULL;
}

static int64_t
ji(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);

    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

static double
jd(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);

    assert_true(json_is_number(v));
    return json_number_value(v);
}

static int
near(double a, double b)
{
    return fabs(a - b) < 0.005;
}

static void
target(struct fx *f, const struct mc_actor *a, const char *unit,
       const char *period, int64_t now, struct mc_eval_target *t)
{
    struct mc_err err;

    if (mc_eval_target(f->t.db, a, unit, period, now, t, &err) != MC_OK) {
        fail_msg("target: %s", err.message);
    }
}

static int
w_manual(struct mc_db *db, void *ctx, struct mc_err *err)
{
    int rc = mc_eval_manual_put(db, ctx, err);

    json_decref(((struct mc_eval_manual_wctx *)ctx)->out);
    ((struct mc_eval_manual_wctx *)ctx)->out = NULL;
    return rc;
}

static int
manual(struct fx *f, const struct mc_actor *a, const char *period,
       const char *ind, int64_t num, int64_t den, struct mc_err *err)
{
    struct mc_eval_manual_in in = {f->unit.id, period, ind, "kiểm thử", num,
                                   den};
    struct mc_eval_manual_wctx c = {a, mc_local_ts(D(2026, 4, 1), 0), &in,
                                    NULL};

    return mc_writer_run(f->t.w, w_manual, &c, err);
}

/*
 * Five dossiers received in March 2026 at Ba Đình (procedure limit: one
 * working day), judged on 15 April:
 *   A counter, finished the same day (early); a kiosk evaluation
 *     "dissatisfied" with criterion 1 judged 0;
 *   B online, two supplement rounds (1 h of waiting each): overdue;
 *   C counter, still processing: open and overdue;
 *   D online, withdrawn (stop): neither finished nor open;
 *   E counter, rescheduled a week later, finished the day after its
 *     first due date: on time (and early) against the new appointment.
 */
static void
test_scenario(void **state)
{
    struct fx *f = *state;
    struct mc_dossier a, b, c, d, e;
    struct mc_eval_target t;
    struct mc_err err;
    json_t *idx = NULL, *tt = NULL, *i, *crit, *dr = NULL;
    int64_t mon = mc_local_ts(D(2026, 3, 9), 0), now;

    now = mc_local_ts(D(2026, 4, 15), 12 * H);
    received(f, mon + 9 * H, MC_CH_COUNTER, &a);
    assert_int_equal(act(f, &f->leader, a.id, "assign", mon + 9 * H + 60,
                         &a), MC_OK);
    assert_int_equal(act(f, &f->spec, a.id, "submit_for_approval",
                         mon + 10 * H, &a), MC_OK);
    assert_int_equal(act(f, &f->leader, a.id, "approve", mon + 11 * H, &a),
                     MC_OK);
    eval_c1 = 0;
    assert_int_equal(evaluate(f, &f->kiosk, 1, &a, "dissatisfied",
                              mon + 15 * H), MC_OK);
    eval_c1 = 2;

    received(f, mon + 9 * H + 1800, MC_CH_ONLINE, &b);
    assert_int_equal(act(f, &f->leader, b.id, "assign", mon + 9 * H + 1900,
                         &b), MC_OK);
    assert_int_equal(act(f, &f->spec, b.id, "request_supplement",
                         mon + 10 * H, &b), MC_OK);
    assert_int_equal(act(f, &f->desk, b.id, "supplement_received",
                         mon + 11 * H, &b), MC_OK);
    assert_int_equal(act(f, &f->spec, b.id, "request_supplement",
                         mon + 12 * H, &b), MC_OK);
    assert_int_equal(act(f, &f->desk, b.id, "supplement_received",
                         mon + 13 * H, &b), MC_OK);
    assert_int_equal(act(f, &f->spec, b.id, "submit_for_approval",
                         mon + 13 * H + 1800, &b), MC_OK);
    assert_int_equal(act(f, &f->leader, b.id, "approve", mon + 14 * H, &b),
                     MC_OK);

    received(f, mon + 33 * H, MC_CH_COUNTER, &c);
    assert_int_equal(act(f, &f->leader, c.id, "assign", mon + 33 * H + 60,
                         &c), MC_OK);
    received(f, mon + 34 * H, MC_CH_ONLINE, &d);
    assert_int_equal(act(f, &f->leader, d.id, "assign", mon + 34 * H + 60,
                         &d), MC_OK);
    assert_int_equal(act(f, &f->leader, d.id, "stop", mon + 35 * H, &d),
                     MC_OK);

    received(f, mon + 57 * H, MC_CH_COUNTER, &e);
    assert_int_equal(act(f, &f->leader, e.id, "assign", mon + 57 * H + 60,
                         &e), MC_OK);
    assert_int_equal(reschedule(f, e.id, mon + 58 * H, &e), MC_OK);
    assert_int_equal(act(f, &f->spec, e.id, "submit_for_approval",
                         mon + 105 * H, &e), MC_OK);
    assert_int_equal(act(f, &f->leader, e.id, "approve", mon + 106 * H, &e),
                     MC_OK);
    assert_int_equal(mismatches(f), 0);

    target(f, &f->leader, NULL, "2026-03", now, &t);
    assert_int_equal(t.unit.id, f->unit.id); /* a leader's own unit */
    assert_int_equal(mc_eval_766(f->t.db, &t, &f->arena, &idx, &err), MC_OK);
    assert_int_equal(ji(idx, "dossiers"), 5);
    /* 2.1: A and E on time of A, B, E finished + C open overdue */
    i = indicator(idx, "2.1");
    assert_true(ji(i, "num") == 2 && ji(i, "den") == 4);
    assert_true(near(jd(i, "rate"), 0.5) && near(jd(i, "points"), 10));
    /* 2.2: (2 h + (4.5 h - 2 h of waiting) + 49 h) / 3 = 0.74 days */
    i = indicator(idx, "2.2");
    assert_true(ji(i, "num") == 7200 + 9000 + 176400 && ji(i, "den") == 3);
    assert_true(near(jd(i, "rate"), 0.74) && near(jd(i, "points"), 0));
    /* 3.3: B and D of five came online: 40% of a 50% threshold */
    i = indicator(idx, "3.3");
    assert_true(ji(i, "num") == 2 && ji(i, "den") == 5);
    assert_true(near(jd(i, "points"), 3.2));
    /* 4.1: no e-result */
    i = indicator(idx, "4.1");
    assert_true(ji(i, "num") == 0 && ji(i, "den") == 3 &&
                near(jd(i, "points"), 0));
    /* 5.4: 1 - (2 overdue + 1 dissatisfied) / 4 = 25%: 6 x .25 / .9 */
    i = indicator(idx, "5.4");
    assert_true(ji(i, "num") == 1 && ji(i, "den") == 4);
    assert_true(near(jd(i, "points"), 1.67));
    /* 5.2: no PAKN: no data; 1.1 not entered: missing */
    assert_true(json_is_null(json_object_get(indicator(idx, "5.2"),
                                             "points")));
    assert_string_equal(json_string_value(json_object_get(
                            indicator(idx, "1.1"), "source")),
                        "missing");
    json_decref(idx);

    /* drill-down: the same dossiers */
    assert_int_equal(mc_eval_766_dossiers(f->t.db, &t, "2.1", "den", 50, 0,
                                          &dr, &err), MC_OK);
    assert_int_equal(ji(dr, "total"), 4);
    json_decref(dr);
    assert_int_equal(mc_eval_766_dossiers(f->t.db, &t, "2.1", "miss", 50, 0,
                                          &dr, &err), MC_OK);
    assert_int_equal(ji(dr, "total"), 2); /* B and C */
    json_decref(dr);
    assert_int_equal(mc_eval_766_dossiers(f->t.db, &t, "5.4", "miss", 50, 0,
                                          &dr, &err), MC_OK);
    assert_int_equal(ji(dr, "total"), 3); /* B, C and A (dissatisfied) */
    json_decref(dr);
    assert_int_equal(mc_eval_766_dossiers(f->t.db, &t, "3.3", "num", 1, 0,
                                          &dr, &err), MC_OK);
    assert_int_equal(ji(dr, "total"), 2);
    assert_int_equal(json_array_size(json_object_get(dr, "items")), 1);
    json_decref(dr);
    assert_int_equal(mc_eval_766_dossiers(f->t.db, &t, "1.1", "num", 50, 0,
                                          &dr, &err), MC_EINVAL);
    assert_int_equal(mc_eval_766_dossiers(f->t.db, &t, "2.1", "all", 50, 0,
                                          &dr, &err), MC_EINVAL);

    /* TT 01: c1 (A judged 0 by the citizen, B 0, E 2) = 0.7; c3 (0, 2,
     * 0 supplement rounds) = 1.3; c4 all 1; c7 (2, 0, 2) = 1.3; c8 no
     * PAKN = 2; c9: B online and overdue = 0; c5, c6 not entered */
    assert_int_equal(mc_eval_tt01(f->t.db, &t, &f->arena, &tt, &err), MC_OK);
    assert_int_equal(ji(tt, "dossiers"), 3);
    crit = json_object_get(json_object_get(tt, "unit_score"), "criteria");
    assert_true(near(jd(crit, "1"), 0.7) && near(jd(crit, "3"), 1.3) &&
                near(jd(crit, "4"), 1.0) && near(jd(crit, "7"), 1.3) &&
                near(jd(crit, "8"), 2) && near(jd(crit, "9"), 0));
    assert_true(json_is_null(json_object_get(crit, "5")) &&
                json_is_null(json_object_get(crit, "6")));
    {
        /* criterion 2 = the mean of the ledger scores frozen at finish */
        int64_t s2 = q1(f, "SELECT SUM(c2) FROM dossier_facts WHERE c2 >= "
                           "0 AND unit_id = ?", f->unit.id);
        int64_t n2 = q1(f, "SELECT COUNT(*) FROM dossier_facts WHERE c2 >= "
                           "0 AND unit_id = ?", f->unit.id);
        double c2 = jd(crit, "2");
        json_t *us = json_object_get(tt, "unit_score");

        assert_true(n2 == 3);
        assert_true(near(c2, mc_eval_round1((double)s2 / 3.0)));
        assert_true(near(jd(us, "total"),
                         mc_eval_round1(0.7 + c2 + 1.3 + 1.0 + 1.3 + 2)));
        assert_int_equal(json_array_size(json_object_get(tt, "officials")),
                         1);
    }
    json_decref(tt);

    /* manual entries: validation, then 1.1 and criterion 5 */
    assert_int_equal(manual(f, &f->leader, "2026-03", "1.1", 9, 10, &err),
                     MC_EFORBIDDEN);
    {
        struct mc_actor admin = f->leader;

        admin.role = MC_ROLE_ADMIN;
        assert_int_equal(manual(f, &admin, "2026-03", "2.1", 1, 2, &err),
                         MC_EINVAL);
        assert_string_equal(err.code, "not_external");
        assert_int_equal(manual(f, &admin, "2026-03", "1.1", 11, 10, &err),
                         MC_EINVAL);
        assert_string_equal(err.code, "bad_ratio");
        assert_int_equal(manual(f, &admin, "2026-13", "1.1", 1, 1, &err),
                         MC_EINVAL);
        assert_int_equal(manual(f, &admin, "2026-03", "x.y", 1, 1, &err),
                         MC_EINVAL);
        assert_int_equal(q1(f, "SELECT COUNT(*) FROM eval_manual WHERE "
                               "unit_id = ?", f->unit.id), 0);
        assert_int_equal(manual(f, &admin, "2026-03", "1.1", 9, 10, &err),
                         MC_OK);
        assert_int_equal(manual(f, &admin, "2026-03", "tt01.5", 1, 2, &err),
                         MC_OK);
        /* replaced, not added */
        assert_int_equal(manual(f, &admin, "2026-03", "1.1", 8, 10, &err),
                         MC_OK);
        assert_int_equal(q1(f, "SELECT COUNT(*) FROM eval_manual WHERE "
                               "unit_id = ?", f->unit.id), 2);
        assert_int_equal(q1(f, "SELECT COUNT(*) FROM audit WHERE action = "
                               "'evaluation.manual' AND ? > 0", 1), 3);
    }
    assert_int_equal(mc_eval_766(f->t.db, &t, &f->arena, &idx, &err), MC_OK);
    i = indicator(idx, "1.1");
    assert_string_equal(json_string_value(json_object_get(i, "source")),
                        "manual");
    assert_true(ji(i, "num") == 8 && near(jd(i, "points"), 4.8));
    json_decref(idx);
    assert_int_equal(mc_eval_tt01(f->t.db, &t, &f->arena, &tt, &err), MC_OK);
    crit = json_object_get(json_object_get(tt, "unit_score"), "criteria");
    assert_true(near(jd(crit, "5"), 1.0));
    json_decref(tt);
    /* the province sums its subtree's entries */
    {
        struct mc_actor insp = f->leader;

        insp.role = MC_ROLE_INSPECTOR;
        target(f, &insp, NULL, "2026-03", now, &t);
        assert_int_equal(t.unit.parent_id, 0);
        assert_int_equal(mc_eval_766(f->t.db, &t, &f->arena, &idx, &err),
                         MC_OK);
        i = indicator(idx, "1.1");
        assert_true(ji(i, "num") == 8 && ji(i, "den") == 10);
        assert_true(ji(indicator(idx, "2.1"), "den") == 4);
        json_decref(idx);
    }
}

/* Who may see which unit. */
static void
test_scoping(void **state)
{
    struct fx *f = *state;
    struct mc_eval_target t;
    struct mc_unit hk;
    struct mc_actor other = f->spec;
    struct mc_err err;
    char id[24], root[24];
    int64_t now = mc_local_ts(D(2026, 4, 15), 0);

    assert_int_equal(mc_unit_get_by_code(f->t.db, "H26.00070", &hk, &err),
                     MC_OK);
    snprintf(id, sizeof(id), "%lld", (long long)hk.id);
    snprintf(root, sizeof(root), "%lld", (long long)hk.parent_id);
    /* a specialist of Ba Đình: its own unit only */
    assert_int_equal(mc_eval_target(f->t.db, &f->spec, NULL, NULL, now, &t,
                                    &err), MC_OK);
    assert_int_equal(t.unit.id, f->unit.id);
    assert_int_equal(mc_eval_target(f->t.db, &f->spec, id, NULL, now, &t,
                                    &err), MC_EFORBIDDEN);
    /* a leader: its subtree, not a sibling nor the parent */
    assert_int_equal(mc_eval_target(f->t.db, &f->leader, id, NULL, now, &t,
                                    &err), MC_EFORBIDDEN);
    assert_int_equal(mc_eval_target(f->t.db, &f->leader, root, NULL, now, &t,
                                    &err), MC_EFORBIDDEN);
    /* a specialist of Hoàn Kiếm sees Hoàn Kiếm */
    other.unit_id = hk.id;
    snprintf(other.unit_path, sizeof(other.unit_path), "%s", hk.path);
    assert_int_equal(mc_eval_target(f->t.db, &other, id, "2026-Q1", now, &t,
                                    &err), MC_OK);
    assert_true(t.period.from == D(2026, 1, 1) && t.period.to ==
                D(2026, 3, 31));
    /* bad input */
    assert_int_equal(mc_eval_target(f->t.db, &other, "abc", NULL, now, &t,
                                    &err), MC_EINVAL);
    assert_string_equal(err.code, "bad_unit");
    assert_int_equal(mc_eval_target(f->t.db, &other, id, "2026-13", now, &t,
                                    &err), MC_EINVAL);
    assert_string_equal(err.code, "bad_period");
    assert_int_equal(mc_eval_target(f->t.db, &other, "99999999", NULL, now,
                                    &t, &err), MC_ENOTFOUND);
    /* default period: the current month */
    assert_int_equal(mc_eval_target(f->t.db, &other, NULL, "", now, &t, &err),
                     MC_OK);
    assert_string_equal(t.period.label, "2026-04");
}

/*
 * The 766 figures of f's unit over [from, to] (label) judged at now equal
 * a direct recomputation from the dossiers table; *recv = dossiers
 * received, *total = the index total.
 */
static void
check_direct(struct fx *f, int32_t from, int32_t to, const char *label,
             int64_t now, int64_t *recv_out, double *total)
{
    struct mc_eval_target t;
    struct mc_stmt *st;
    struct mc_err err;
    json_t *idx = NULL;
    int64_t recv = 0, online = 0, fin = 0, ontime = 0, openlate = 0, dis;

    /* direct recomputation over the dossiers table */
    st = mc_db_prep(f->t.db,
                    "SELECT state, channel, received_at, finished_at, due_at, "
                    "due_original, paused_total, supplements, reschedules "
                    "FROM dossiers WHERE unit_id = ? AND received_at IS NOT "
                    "NULL",
                    &err);
    assert_non_null(st);
    mc_stmt_bindv(st, "i", f->unit.id);
    while (mc_stmt_step(st, &err) == MC_DB_ROW) {
        const char *ds = mc_stmt_text(st, 0);
        int32_t rd = mc_local_day(mc_stmt_i64(st, 2));
        int fin_state = strcmp(ds, "done") == 0 ||
                        strcmp(ds, "rejected") == 0 ||
                        strcmp(ds, "returned") == 0;

        if (rd >= from && rd <= to) {
            recv++;
            online += mc_stmt_i64(st, 1) == MC_CH_ONLINE;
        }
        if (fin_state) {
            struct mc_eval_facts x;
            int32_t fd = mc_local_day(mc_stmt_i64(st, 3));

            memset(&x, 0, sizeof(x));
            x.received_at = mc_stmt_i64(st, 2);
            x.finished_at = mc_stmt_i64(st, 3);
            x.due_at = mc_stmt_i64(st, 4);
            x.due_original = mc_stmt_i64(st, 5);
            x.paused_seconds = mc_stmt_i64(st, 6);
            x.supplements = (int)mc_stmt_i64(st, 7);
            x.reschedules = (int)mc_stmt_i64(st, 8);
            if (fd >= from && fd <= to) {
                fin++;
                ontime += mc_eval_on_time(&x, NULL);
            }
        } else if (strcmp(ds, "stopped") != 0 && rd >= from && rd <= to &&
                   mc_stmt_i64(st, 4) < now) {
            openlate++;
        }
    }
    mc_stmt_done(st);
    st = mc_db_prep(f->t.db,
                    "SELECT COUNT(*) FROM dossier_evaluations WHERE "
                    "satisfaction = 'dissatisfied' AND unit_id = ? AND at >= "
                    "? AND at < ?",
                    &err);
    assert_non_null(st);
    mc_stmt_bindv(st, "iii", f->unit.id, mc_local_ts(from, 0),
                  mc_local_ts(to + 1, 0));
    assert_int_equal(mc_stmt_step(st, &err), MC_DB_ROW);
    dis = mc_stmt_i64(st, 0);
    mc_stmt_done(st);
    assert_true(fin > 5 && ontime < fin);

    target(f, &f->leader, NULL, label, now, &t);
    assert_int_equal(mc_eval_766(f->t.db, &t, &f->arena, &idx, &err), MC_OK);
    assert_int_equal(ji(idx, "dossiers"), recv);
    assert_int_equal(ji(indicator(idx, "2.1"), "num"), ontime);
    assert_int_equal(ji(indicator(idx, "2.1"), "den"), fin + openlate);
    assert_int_equal(ji(indicator(idx, "3.3"), "num"), online);
    assert_int_equal(ji(indicator(idx, "4.1"), "den"), fin);
    {
        int64_t bad = fin + openlate - ontime + dis;
        int64_t good = fin + openlate - bad;

        assert_int_equal(ji(indicator(idx, "5.4"), "num"),
                         good > 0 ? good : 0);
    }
    *recv_out = recv;
    *total = jd(idx, "total");
    json_decref(idx);
}

/*
 * Random lifecycles (seeded): the rollups equal their recomputation and
 * the 766 figures equal a direct recomputation from the dossiers table
 * (the on-time rule applied to each dossier's columns now).
 */
static void
test_random_766_equals_direct(void **state)
{
    static const char *const sats[] = {"very_satisfied", "satisfied",
                                       "dissatisfied"};
    struct fx *f = *state;
    struct mc_dossier d;
    struct mc_err err;
    json_t *rk = NULL;
    int64_t t0 = mc_local_ts(D(2026, 5, 4), 8 * H), tm, id, now, last = 0;
    int64_t recv = 0, part = 0;
    double total = 0, ptotal = 0;
    unsigned seed = 766;
    int32_t from = D(2026, 5, 1), to = D(2026, 10, 31);

    for (int k = 0; k < 80; k++) {
        int r = rand_r(&seed) % 100, sup = rand_r(&seed) % 3;

        /* lifecycles overlap: one receipt every 9 h or so */
        tm = t0 + k * 9 * H + (int64_t)(rand_r(&seed) % (6 * H));
        id = received(f, tm, 1 + rand_r(&seed) % 3, &d);
        if (r < 12) {
            continue;
        }
        tm += 60;
        assert_int_equal(act(f, &f->leader, id, "assign", tm, &d), MC_OK);
        if (r < 20) {
            assert_int_equal(act(f, &f->leader, id, "stop", tm + H, &d),
                             MC_OK);
            continue;
        }
        for (int s = 0; s < sup; s++) {
            tm += (int64_t)(rand_r(&seed) % (30 * H)) + 60;
            assert_int_equal(act(f, &f->spec, id, "request_supplement", tm,
                                 &d), MC_OK);
            tm += (int64_t)(rand_r(&seed) % (60 * H)) + 60;
            assert_int_equal(act(f, &f->desk, id, "supplement_received", tm,
                                 &d), MC_OK);
        }
        if (r < 28) {
            tm += 3 * 24 * H;
            assert_int_equal(reschedule(f, id, tm, &d), MC_OK);
        }
        tm += (int64_t)(rand_r(&seed) % (80 * H)) + 60;
        if (r < 36) {
            assert_int_equal(act(f, &f->leader, id, "reject", tm, &d), MC_OK);
        } else {
            assert_int_equal(act(f, &f->spec, id, "submit_for_approval", tm,
                                 &d), MC_OK);
            assert_int_equal(act(f, &f->leader, id, "approve", tm + 60, &d),
                             MC_OK);
        }
        if (r % 2 == 0) {
            assert_int_equal(act(f, &f->desk, id, "return_result",
                                 tm + 2 * H, &d), MC_OK);
        }
        if (r % 3 != 0) {
            assert_int_equal(evaluate(f, &f->kiosk, 1, &d,
                                      sats[rand_r(&seed) % 3], tm + 3 * H),
                             MC_OK);
        }
        last = tm > last ? tm : last;
    }
    assert_true(last < mc_local_ts(to, 0));
    assert_int_equal(mismatches(f), 0);
    now = mc_local_ts(to + 10, 0);

    check_direct(f, from, to, "2026-05-01..2026-10-31", now, &recv, &total);
    /* a range cut inside months: days + whole months + days */
    check_direct(f, D(2026, 5, 10), D(2026, 6, 20), "2026-05-10..2026-06-20",
                 now, &part, &ptotal);
    assert_true(part > 0 && part < recv);
    check_direct(f, D(2026, 5, 1), D(2026, 5, 31), "2026-05", now, &part,
                 &ptotal);
    assert_true(part > 0 && part < recv);
    /* the ranking of the province sees the same figures for the ward */
    {
        struct mc_eval_rank_in in = {NULL, "2026-05-01..2026-10-31", NULL,
                                     "commune", 1};
        struct mc_actor insp = f->leader;
        json_t *it;
        size_t k;
        int seen = 0;

        insp.role = MC_ROLE_INSPECTOR;
        assert_int_equal(mc_eval_ranking(f->t.db, &insp, &in, now, &f->arena,
                                         &rk, &err), MC_OK);
        json_array_foreach(json_object_get(rk, "items"), k, it)
        {
            if (ji(json_object_get(it, "unit"), "id") == f->unit.id) {
                seen = 1;
                assert_int_equal(ji(it, "sample"), recv);
                assert_true(near(jd(it, "total"), total));
                assert_int_equal(ji(it, "rank"), 1);
            }
        }
        assert_true(seen);
        json_decref(rk);
        in.min_sample = recv + 1; /* too few: listed, not ranked */
        assert_int_equal(mc_eval_ranking(f->t.db, &insp, &in, now, &f->arena,
                                         &rk, &err), MC_OK);
        it = json_array_get(json_object_get(rk, "items"), 0);
        assert_true(json_is_null(json_object_get(it, "rank")));
        assert_true(json_is_true(json_object_get(it, "insufficient")));
        json_decref(rk);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_766_table),
        cmocka_unit_test(test_766_system_indicators),
        cmocka_unit_test(test_tt01_online_delivery),
        cmocka_unit_test_setup_teardown(test_scenario, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scoping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_766_equals_direct, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
