/*
 * evaluation_tt01.c - TT 01/2018 scoring (Điều 13-15, BRIEF 2.3) of a
 * unit subtree and of its officials over a period, and the unit
 * scorecard.
 *
 * Per dossier (finished in the period, from the frozen facts):
 *   1 time vs limit: 2 early (finished on a day before the due day under
 *     the 766 rule), 1 on time, 0 late;
 *   2 each unit's time: from the step ledger, frozen at finish: 0 when a
 *     step was late, 2 when every step was early, else 1; dossiers without
 *     a closed step are excluded from criterion 2;
 *   3 contacts: supplement requests 0 -> 2, 1 -> 1, more -> 0;
 *   4 bodies contacted: 2 for an online dossier without a supplement
 *     request (no body contacted), else 1 (only the one-stop);
 *   7 attitude: 2 early, 1 on time, 0 late.
 * Combination with the citizens: criteria 1, 3, 4 and 7 are the ones the
 * law collects from citizens (Điều 14.3). Where a citizen judged a
 * criterion on a dossier (online, kiosk or paper form), that judgement
 * replaces the system's value for that dossier (the lowest when several
 * channels judged it); otherwise the system's value stands. Criterion 2
 * is the system's only.
 * Criterion score = Σ over dossiers ÷ dossiers, rounded to 1 decimal
 * (Điều 15.2); a criterion without data is excluded; a total is the sum of
 * the rounded criteria. Officials: criteria 1, 2, 3, 4, 7 of the dossiers
 * they were assigned (max 10). Unit (max 18) adds:
 *   5 one-stop handling and 6 publication: entered by an administrator
 *     (indicators tt01.5 / tt01.6: score = 2 × num ÷ den, so num = the
 *     score and den = 2);
 *   8 PAKN: mc_tt01_feedback_score (on time / received in the period;
 *     protracted = still unanswered past the answer deadline);
 *   9 online: mc_tt01_online_delivery (online share of received dossiers,
 *     an overdue online dossier = finished late or open and overdue, share
 *     of the unit level's procedures offered online).
 */
#include <string.h>

#include "domain/evaluation.h"
#include "domain/evaluation_int.h"
#include "domain/evaluation_report.h"
#include "domain/tasks.h"

static const char *const unit_bands[][2] = {
    {"xuat_sac", "Xuất sắc"}, {"tot", "Tốt"}, {"kha", "Khá"},
    {"trung_binh", "Trung bình"}, {"yeu", "Yếu"}};
static const char *const official_bands[][2] = {
    {"full", "Hoàn thành 100% nhiệm vụ"},
    {"partial", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"},
    {"low", "Hoàn thành dưới 70% nhiệm vụ"}};

static int64_t
geti(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* Average of sum over n, rounded; null without dossiers. */
static json_t *
avg(int64_t sum, int64_t n, double *total)
{
    double v;

    if (n <= 0) {
        return json_null();
    }
    v = mc_eval_round1((double)sum / (double)n);
    *total += v;
    return json_real(v);
}

/* Criteria 1, 2, 3, 4, 7 from sums; adds to *total. */
static json_t *
dossier_criteria(int64_t n, int64_t n2, int64_t s1, int64_t s2, int64_t s3,
                 int64_t s4, int64_t s7, double *total)
{
    json_t *c = json_object();

    json_object_set_new(c, "1", avg(s1, n, total));
    json_object_set_new(c, "2", avg(s2, n2, total));
    json_object_set_new(c, "3", avg(s3, n, total));
    json_object_set_new(c, "4", avg(s4, n, total));
    json_object_set_new(c, "7", avg(s7, n, total));
    return c;
}

static json_t *
official_json(json_t *row)
{
    double total = 0;
    json_t *crit = dossier_criteria(geti(row, "n"), geti(row, "n2"),
                                    geti(row, "s1"), geti(row, "s2"),
                                    geti(row, "s3"), geti(row, "s4"),
                                    geti(row, "s7"), &total);
    int band;

    total = mc_eval_round1(total);
    band = mc_tt01_official_band(total);
    return json_pack(
        "{s:{s:I,s:O,s:O},s:I,s:o,s:f,s:i,s:s,s:s}", "account", "id",
        (json_int_t)geti(row, "official_id"), "username",
        json_object_get(row, "username"), "full_name",
        json_object_get(row, "full_name"), "dossiers",
        (json_int_t)geti(row, "n"), "criteria", crit, "total", total, "max",
        10, "band", official_bands[band][0], "band_name",
        official_bands[band][1]);
}

/* Manual criterion 5 or 6: 2 × num ÷ den, rounded; null when missing. */
static json_t *
manual_criterion(const struct mc_eval_target *t, json_t *rows,
                 const char *id, double *total)
{
    int64_t num = 0, den = 0, n = 0;
    const char *note = NULL;

    mc_eval_manual_value(rows, &t->unit, id, &num, &den, &n, &note);
    return n > 0 && den > 0 ? avg(2 * num, den, total) : json_null();
}

/* The unit's criteria object and total from the per-official rows. */
static int
unit_score(struct mc_db *db, const struct mc_eval_target *t, json_t *rows,
           const struct mc_q_eval_counts *c, struct mc_arena *a,
           json_t **out, int64_t *dossiers, struct mc_err *err)
{
    int64_t v[7] = {0}; /* n, n2, s1, s2, s3, s4, s7 */
    static const char *const k[7] = {"n", "n2", "s1", "s2", "s3", "s4",
                                     "s7"};
    double total = 0;
    json_t *crit, *rows_m = NULL, *row;
    size_t i;
    int s8, s9, band, rc;

    json_array_foreach(rows, i, row)
    {
        for (int j = 0; j < 7; j++) {
            v[j] += geti(row, k[j]);
        }
    }
    *dossiers = v[0];
    crit = dossier_criteria(v[0], v[1], v[2], v[3], v[4], v[5], v[6],
                            &total);
    (void)a;
    rc = mc_q_eval_manual_list(db, t->unit.path, t->hi, t->period.label,
                               &rows_m, err);
    if (rc != MC_OK) {
        json_decref(crit);
        return rc;
    }
    json_object_set_new(crit, "5",
                        manual_criterion(t, rows_m, "tt01.5", &total));
    json_object_set_new(crit, "6",
                        manual_criterion(t, rows_m, "tt01.6", &total));
    json_decref(rows_m);
    s8 = mc_tt01_feedback_score(c->fb_on_time, c->fb_total,
                                c->fb_protracted > 0);
    json_object_set_new(crit, "8", json_real(s8));
    total += s8;
    s9 = mc_tt01_online_delivery(
        c->received_online, c->received,
        c->finished_online - c->online_on_time + c->open_late_online > 0,
        c->catalog_online, c->catalog_total);
    json_object_set_new(crit, "9", s9 < 0 ? json_null() : json_real(s9));
    total += s9 > 0 ? s9 : 0;
    total = mc_eval_round1(total);
    band = mc_tt01_unit_band(total);
    *out = json_pack("{s:o,s:f,s:i,s:s,s:s}", "criteria", crit, "total",
                     total, "max", 18, "band", unit_bands[band][0],
                     "band_name", unit_bands[band][1]);
    return *out ? MC_OK : MC_ENOMEM;
}

static int
tt01_parts(struct mc_db *db, const struct mc_eval_target *t,
           struct mc_arena *a, json_t **unit, json_t **officials,
           int64_t *dossiers, struct mc_err *err)
{
    struct mc_q_eval_counts c;
    struct mc_q_scope s = {t->unit.path, t->hi, t->period.from,
                           t->period.to, t->now};
    json_t *rows = NULL, *row;
    size_t i;
    int rc = mc_eval_counts(db, t, a, &c, err);

    if (rc == MC_OK) {
        rc = mc_q_eval_tt01(db, &s, &rows, err);
    }
    if (rc == MC_OK) {
        rc = unit_score(db, t, rows, &c, a, unit, dossiers, err);
    }
    if (rc == MC_OK && officials != NULL) {
        *officials = json_array();
        json_array_foreach(rows, i, row)
        {
            if (geti(row, "official_id") != 0) {
                json_array_append_new(*officials, official_json(row));
            }
        }
    }
    json_decref(rows);
    return rc;
}

int
mc_eval_tt01(struct mc_db *db, const struct mc_eval_target *t,
             struct mc_arena *a, json_t **out, struct mc_err *err)
{
    json_t *unit = NULL, *offs = NULL;
    int64_t n = 0;
    int rc = tt01_parts(db, t, a, &unit, &offs, &n, err);

    if (rc != MC_OK) {
        return rc;
    }
    *out = json_pack("{s:o,s:o,s:I,s:o,s:o}", "unit",
                     mc_eval_unit_json(&t->unit), "period",
                     mc_eval_period_json(&t->period), "dossiers",
                     (json_int_t)n, "unit_score", unit, "officials", offs);
    return *out ? MC_OK : MC_ENOMEM;
}

/*
 * The directive-task block of the scorecard (issue 8: the unit's task
 * completion feeds its monthly evaluation): the unit's own tasks whose
 * original deadline falls in the period.
 */
static int
scorecard_tasks(struct mc_db *db, const struct mc_eval_target *t,
                json_t *card, struct mc_err *err)
{
    json_t *tasks;
    int rc = mc_tasks_unit_rate_json(db, t->unit.id, t->period.from,
                                     t->period.to, t->now, &tasks, err);

    if (rc == MC_OK && json_object_set_new(card, "tasks", tasks) != 0) {
        rc = MC_ENOMEM;
    }
    return rc;
}

int
mc_eval_scorecard(struct mc_db *db, const struct mc_eval_target *t,
                  struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_q_eval_counts c;
    json_t *i766 = NULL, *unit = NULL, *groups, *g;
    int64_t n = 0, all;
    size_t i;
    int rc = mc_eval_counts(db, t, a, &c, err);

    if (rc == MC_OK) {
        rc = mc_eval_766_build(db, t, &c, NULL, &i766, err);
    }
    if (rc == MC_OK) {
        rc = tt01_parts(db, t, a, &unit, NULL, &n, err);
    }
    if (rc != MC_OK) {
        json_decref(i766);
        return rc;
    }
    groups = json_array();
    json_array_foreach(json_object_get(i766, "groups"), i, g)
    {
        json_array_append_new(
            groups, json_pack("{s:O,s:O,s:O,s:O}", "no",
                              json_object_get(g, "no"), "name",
                              json_object_get(g, "name"), "points",
                              json_object_get(g, "points"), "max",
                              json_object_get(g, "max")));
    }
    all = c.eval_very + c.eval_sat + c.eval_dis;
    *out = json_pack(
        "{s:o,s:o,s:{s:O,s:O,s:o},s:{s:O,s:O,s:O},s:{s:I,s:I,s:I,s:o}}",
        "unit", mc_eval_unit_json(&t->unit), "period",
        mc_eval_period_json(&t->period), "i766", "total",
        json_object_get(i766, "total"), "max", json_object_get(i766, "max"),
        "groups", groups, "tt01", "total", json_object_get(unit, "total"),
        "band", json_object_get(unit, "band"), "band_name",
        json_object_get(unit, "band_name"), "satisfaction", "very",
        (json_int_t)c.eval_very, "satisfied", (json_int_t)c.eval_sat,
        "dissatisfied", (json_int_t)c.eval_dis, "rate",
        all > 0 ? json_real((double)(int64_t)((double)(c.eval_very +
                                                       c.eval_sat) /
                                                  (double)all * 10000.0 +
                                              0.5) /
                            10000.0)
                : json_null());
    json_decref(i766);
    json_decref(unit);
    if (*out == NULL) {
        return MC_ENOMEM;
    }
    rc = scorecard_tasks(db, t, *out, err);
    if (rc != MC_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
