/*
 * evaluation_766.c - the Decision 766 index (BRIEF 3): indicator
 * definitions from data/evaluation/indicators_766.csv with motcua's
 * choices (indicators_766_choices.csv: system or manual source, points
 * where the data says "see notes"), the system formulas, the index of a
 * unit subtree and period and its drill-down (unit, period, data and
 * manual entries: evaluation_scope.c).
 *
 * System formulas (num / den; points = mc_766_points, linear below the
 * full-marks threshold):
 *   2.1 finished on time (frozen 766 rule: supplement waits subtracted,
 *       a second supplement request = overdue, a rescheduled dossier
 *       against its new appointment) / (finished in the period + open
 *       dossiers received in the period and already overdue now: an open
 *       dossier counts once it is late, never as on time before it
 *       finishes; open dossiers still in time are not counted yet).
 *   2.2 tracking (0 points): processing seconds / finished; "rate" is
 *       the average in days.
 *   3.1 procedures in force at the unit's level (commune: Cấp xã, ...)
 *       offered online (partial or full) / procedures in force there.
 *   3.2 those online procedures that received an online dossier in the
 *       period / online procedures.
 *   3.3 received online / received (sync rate of 1.4 not applied).
 *   4.1 finished with an e-result / finished.
 *   4.2 finished with attachments and an e-result / finished.
 *   5.1 tracking: PAKN with a category / PAKN (always all).
 *   5.2 PAKN received in the period handled on time / PAKN.
 *   5.3 PAKN neither overdue nor rated not_satisfied / PAKN.
 *   5.4 (dossiers of 2.1 - overdue - dissatisfied evaluations given in the
 *       period - PAKN about a dossier received in the period, floor 0) /
 *       dossiers of 2.1, i.e. 1 - (overdue rate + complaint rate).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/q_evaluation_report.h"
#include "domain/evaluation.h"
#include "domain/evaluation_int.h"
#include "domain/evaluation_report.h"
#include "util/csv.h"
#include "util/embed.h"
#include "util/mctime.h"

#define MAX_DEFS 40

static struct mc_766_def defs[MAX_DEFS];
static int ndefs;
static char load_error[160];
static pthread_once_t defs_once = PTHREAD_ONCE_INIT;
static char strings[16384];
static size_t strings_used;

static const char *
keep(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p;

    if (strings_used + n > sizeof(strings)) {
        return "";
    }
    p = strings + strings_used;
    memcpy(p, s, n);
    strings_used += n;
    return p;
}

/* "80%" -> 0.8; "n/a" or "" -> -1 (not given). */
static double
parse_rate(const char *s)
{
    char *end;
    double v = strtod(s, &end);

    if (end == s || *end != '%') {
        return -1;
    }
    return v / 100.0;
}

static double
parse_points(const char *s)
{
    char *end;
    double v = strtod(s, &end);

    return end == s || *end != '\0' ? -1 : v;
}

static int
col(struct mc_csv *c, const char *name)
{
    int i = mc_csv_col(c, name);

    if (i < 0) {
        snprintf(load_error, sizeof(load_error), "column %s missing", name);
    }
    return i;
}

static void
load_indicators(void)
{
    static const char path[] = "data/evaluation/indicators_766.csv";
    struct mc_csv c;
    struct mc_err err;
    size_t len = 0;
    const char *data = mc_embed_get(path, &len);
    int g, gn, id, nm, fo, mx, th;

    if (data == NULL) {
        snprintf(load_error, sizeof(load_error), "%s is not embedded", path);
        return;
    }
    mc_csv_init(&c, data, len);
    if (mc_csv_next(&c, &err) != 1 || (g = col(&c, "group_no")) < 0 ||
        (gn = col(&c, "group_vi")) < 0 || (id = col(&c, "indicator_id")) < 0 ||
        (nm = col(&c, "indicator_vi")) < 0 || (fo = col(&c, "formula")) < 0 ||
        (mx = col(&c, "max_points")) < 0 ||
        (th = col(&c, "full_marks_threshold")) < 0) {
        mc_csv_release(&c);
        return;
    }
    while (ndefs < MAX_DEFS && mc_csv_next(&c, &err) == 1) {
        struct mc_766_def *d = &defs[ndefs++];

        snprintf(d->id, sizeof(d->id), "%s", c.f[id]);
        d->group = (int)strtol(c.f[g], NULL, 10);
        d->group_name = keep(c.f[gn]);
        d->name = keep(c.f[nm]);
        d->formula = keep(c.f[fo]);
        d->max = parse_points(c.f[mx]);
        d->threshold = parse_rate(c.f[th]);
    }
    mc_csv_release(&c);
}

static void
load_choices(void)
{
    static const char path[] = "data/evaluation/indicators_766_choices.csv";
    struct mc_csv c;
    struct mc_err err;
    size_t len = 0;
    const char *data = mc_embed_get(path, &len);
    int id, src, mx, th;

    if (data == NULL) {
        snprintf(load_error, sizeof(load_error), "%s is not embedded", path);
        return;
    }
    mc_csv_init(&c, data, len);
    if (mc_csv_next(&c, &err) != 1 || (id = col(&c, "indicator_id")) < 0 ||
        (src = col(&c, "source")) < 0 || (mx = col(&c, "max_points")) < 0 ||
        (th = col(&c, "full_marks_threshold")) < 0) {
        mc_csv_release(&c);
        return;
    }
    while (mc_csv_next(&c, &err) == 1) {
        struct mc_766_def *d = NULL;

        for (int i = 0; i < ndefs; i++) {
            if (strcmp(defs[i].id, c.f[id]) == 0) {
                d = &defs[i];
            }
        }
        if (d == NULL) {
            snprintf(load_error, sizeof(load_error),
                     "choices: unknown indicator %.20s", c.f[id]);
            break;
        }
        d->manual = strcmp(c.f[src], "manual") == 0;
        if (c.f[mx][0] != '\0') {
            d->max = parse_points(c.f[mx]);
        }
        if (c.f[th][0] != '\0') {
            d->threshold = parse_rate(c.f[th]);
        }
    }
    mc_csv_release(&c);
}

static void
load_once(void)
{
    load_indicators();
    if (load_error[0] == '\0') {
        load_choices();
    }
    for (int i = 0; i < ndefs && load_error[0] == '\0'; i++) {
        if (defs[i].max < 0) {
            snprintf(load_error, sizeof(load_error),
                     "indicator %.8s has no points (set them in the choices)",
                     defs[i].id);
        }
        if (defs[i].threshold <= 0) {
            defs[i].threshold = 1.0; /* "n/a": full marks at 100% */
        }
    }
    if (ndefs == 0 && load_error[0] == '\0') {
        snprintf(load_error, sizeof(load_error), "no 766 indicators");
    }
}

int
mc_766_defs(const struct mc_766_def **out, int *n, struct mc_err *err)
{
    pthread_once(&defs_once, load_once);
    if (load_error[0] != '\0') {
        return mc_err_set(err, MC_EINTERNAL, 500, "bad_data", NULL,
                          "766 indicators: %s", load_error);
    }
    *out = defs;
    *n = ndefs;
    return MC_OK;
}

const struct mc_766_def *
mc_766_def(const char *id)
{
    pthread_once(&defs_once, load_once);
    for (int i = 0; id != NULL && i < ndefs; i++) {
        if (strcmp(defs[i].id, id) == 0) {
            return &defs[i];
        }
    }
    return NULL;
}

int
mc_766_system_value(const char *id, const struct mc_q_eval_counts *c,
                    int64_t *num, int64_t *den)
{
    int64_t d21 = c->finished + c->open_late;

    if (strcmp(id, "2.1") == 0) {
        *num = c->on_time;
        *den = d21;
    } else if (strcmp(id, "2.2") == 0) {
        *num = c->processing_seconds;
        *den = c->finished;
    } else if (strcmp(id, "3.1") == 0) {
        *num = c->catalog_online;
        *den = c->catalog_total;
    } else if (strcmp(id, "3.2") == 0) {
        *num = c->online_procs_used;
        *den = c->catalog_online;
    } else if (strcmp(id, "3.3") == 0) {
        *num = c->received_online;
        *den = c->received;
    } else if (strcmp(id, "4.1") == 0) {
        *num = c->e_result;
        *den = c->finished;
    } else if (strcmp(id, "4.2") == 0) {
        *num = c->digitised_e_result;
        *den = c->finished;
    } else if (strcmp(id, "5.1") == 0) {
        *num = c->fb_total;
        *den = c->fb_total;
    } else if (strcmp(id, "5.2") == 0) {
        *num = c->fb_on_time;
        *den = c->fb_total;
    } else if (strcmp(id, "5.3") == 0) {
        *num = c->fb_ok;
        *den = c->fb_total;
    } else if (strcmp(id, "5.4") == 0) {
        int64_t bad = (d21 - c->on_time) + c->eval_dis + c->fb_dossier;

        *num = d21 - bad > 0 ? d21 - bad : 0;
        *den = d21;
    } else {
        return 0;
    }
    return 1;
}

int
mc_tt01_online_delivery(int64_t online, int64_t total, int overdue_online,
                        int64_t procs_online, int64_t procs_total)
{
    int s = mc_tt01_online_score(online, total, overdue_online);

    if (s <= 0) {
        return s;
    }
    if (procs_online <= 0) {
        return 0; /* no level 3/4 service deployed */
    }
    if (s == 2 && procs_online * 5 < procs_total) {
        return 1; /* fewer than 20% of the procedures online */
    }
    return s;
}

static double
round2(double v)
{
    return floor(v * 100.0 + 0.5 + 1e-9) / 100.0;
}

static double
round4(double v)
{
    return floor(v * 10000.0 + 0.5 + 1e-9) / 10000.0;
}

/* 1 when the system indicator's dossiers can be listed. */
static int
drillable(const char *id)
{
    static const char *const ids[] = {"2.1", "2.2", "3.3", "4.1", "4.2",
                                      "5.4"};

    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        if (strcmp(id, ids[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* One indicator's JSON; adds its points (with data) to *points. */
static int
indicator_json(const struct mc_eval_target *t, json_t *manual,
               const struct mc_766_def *d, const struct mc_q_eval_counts *c,
               json_t **out, double *points, int *has)
{
    const char *source = "system", *note = NULL;
    int64_t num = 0, den = 0, n = 1;
    json_t *o;

    if (d->manual) {
        mc_eval_manual_value(manual, &t->unit, d->id, &num, &den, &n,
                             &note);
        source = n > 0 ? "manual" : "missing";
    } else {
        mc_766_system_value(d->id, c, &num, &den);
    }
    o = json_pack("{s:s,s:s,s:s,s:f,s:f,s:s,s:b}", "id", d->id, "name",
                  d->name, "formula", d->formula, "max", d->max, "threshold",
                  d->threshold, "source", source, "drill",
                  !d->manual && den > 0 && drillable(d->id));
    if (o == NULL) {
        return MC_ENOMEM;
    }
    if (n > 0 && den > 0) {
        double p = round2(mc_766_points(num, den, d->max, d->threshold));
        double rate = strcmp(d->id, "2.2") == 0
                          ? round2((double)num / (double)den / 86400.0)
                          : round4((double)num / (double)den);

        json_object_set_new(o, "num", json_integer(num));
        json_object_set_new(o, "den", json_integer(den));
        json_object_set_new(o, "rate", json_real(rate));
        json_object_set_new(o, "points", json_real(p));
        *points += p;
        *has = 1;
    } else {
        json_object_set_new(o, "num", n > 0 ? json_integer(num) : json_null());
        json_object_set_new(o, "den", n > 0 ? json_integer(den) : json_null());
        json_object_set_new(o, "rate", json_null());
        json_object_set_new(o, "points", json_null());
    }
    if (note != NULL) {
        json_object_set_new(o, "note", json_string(note));
    }
    *out = o;
    return MC_OK;
}

int
mc_eval_766_build(struct mc_db *db, const struct mc_eval_target *t,
                  const struct mc_q_eval_counts *c, json_t *given,
                  json_t **out, struct mc_err *err)
{
    const struct mc_766_def *dv;
    json_t *groups = json_array(), *g = NULL, *inds = NULL, *o;
    json_t *manual = NULL;
    double total = 0, gpoints = 0, gmax = 0, max = 0;
    int n = 0, rc, ghas = 0, cur = 0;

    rc = mc_766_defs(&dv, &n, err);
    if (rc == MC_OK && given != NULL) {
        manual = json_incref(given);
    } else if (rc == MC_OK) {
        rc = mc_q_eval_manual_list(db, t->unit.path, t->hi, t->period.label,
                                   &manual, err);
    }
    for (int i = 0; rc == MC_OK && i <= n; i++) {
        if (i == n || dv[i].group != cur) {
            if (g != NULL) {
                json_object_set_new(g, "points", ghas ? json_real(round2(
                                                            gpoints))
                                                      : json_null());
                json_object_set_new(g, "max", json_real(gmax));
                json_object_set_new(g, "indicators", inds);
                json_array_append_new(groups, g);
                total += gpoints;
                max += gmax;
            }
            if (i == n) {
                break;
            }
            cur = dv[i].group;
            g = json_pack("{s:i,s:s}", "no", cur, "name", dv[i].group_name);
            inds = json_array();
            gpoints = gmax = 0;
            ghas = 0;
        }
        rc = indicator_json(t, manual, &dv[i], c, &o, &gpoints, &ghas);
        if (rc == MC_OK) {
            json_array_append_new(inds, o);
            gmax += dv[i].max;
        }
    }
    json_decref(manual);
    if (rc != MC_OK) {
        json_decref(groups);
        json_decref(g);
        json_decref(inds);
        return rc;
    }
    *out = json_pack("{s:o,s:o,s:f,s:f,s:I,s:o}", "unit",
                     mc_eval_unit_json(&t->unit), "period",
                     mc_eval_period_json(&t->period), "total", round2(total),
                     "max", max, "dossiers", (json_int_t)c->received,
                     "groups", groups);
    return *out ? MC_OK : MC_ENOMEM;
}

int
mc_eval_766_points(const struct mc_eval_target *t, json_t *manual,
                   const struct mc_q_eval_counts *c, double groups[5],
                   int has[5], double *total, struct mc_err *err)
{
    const struct mc_766_def *dv;
    int n = 0, rc = mc_766_defs(&dv, &n, err);

    *total = 0;
    for (int g = 0; g < 5; g++) {
        groups[g] = 0;
        has[g] = 0;
    }
    for (int i = 0; rc == MC_OK && i < n; i++) {
        const char *note = NULL;
        int64_t num = 0, den = 0, k = 1;
        double p;

        if (dv[i].manual) {
            mc_eval_manual_value(manual, &t->unit, dv[i].id, &num, &den, &k,
                                 &note);
        } else {
            mc_766_system_value(dv[i].id, c, &num, &den);
        }
        if (k <= 0 || den <= 0 || dv[i].group < 1 || dv[i].group > 5) {
            continue;
        }
        p = round2(mc_766_points(num, den, dv[i].max, dv[i].threshold));
        groups[dv[i].group - 1] += p;
        has[dv[i].group - 1] = 1;
    }
    for (int g = 0; g < 5; g++) {
        groups[g] = round2(groups[g]);
        *total += groups[g];
    }
    *total = round2(*total);
    return rc;
}

int
mc_eval_766(struct mc_db *db, const struct mc_eval_target *t,
            struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_q_eval_counts c;
    int rc = mc_eval_counts(db, t, a, &c, err);

    return rc == MC_OK ? mc_eval_766_build(db, t, &c, NULL, out, err) : rc;
}

int
mc_eval_766_dossiers(struct mc_db *db, const struct mc_eval_target *t,
                     const char *indicator, const char *part, int limit,
                     int offset, json_t **out, struct mc_err *err)
{
    const struct mc_766_def *d = mc_766_def(indicator);
    struct mc_q_drill q;
    struct mc_q_scope s;
    json_t *items = NULL;
    int64_t total = 0;
    int p, rc;

    if (d == NULL) {
        return mc_err_set(err, MC_EINVAL, 422, "unknown_indicator",
                          "indicator", "no such 766 indicator");
    }
    if (d->manual || !drillable(d->id)) {
        return mc_err_set(err, MC_EINVAL, 422, "no_drill", "indicator",
                          "indicator %s is not based on dossiers", d->id);
    }
    p = part == NULL || strcmp(part, "den") == 0 ? 1
        : strcmp(part, "num") == 0               ? 0
        : strcmp(part, "miss") == 0              ? 2
                                                 : -1;
    if (p < 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_part", "part",
                          "part is num, den or miss");
    }
    memset(&q, 0, sizeof(q));
    if (strcmp(d->id, "2.1") == 0 || strcmp(d->id, "5.4") == 0) {
        int sat = d->id[0] == '5';

        q.facts = p == 0 ? MC_FP_ON_TIME : p == 1 ? MC_FP_ALL : MC_FP_LATE;
        q.open_late = p != 0;
        q.eval_dis = q.fb = sat && p == 2;
    } else if (strcmp(d->id, "2.2") == 0) {
        q.facts = MC_FP_ALL;
    } else if (strcmp(d->id, "3.3") == 0) {
        q.recv = p == 0 ? MC_RP_ONLINE : p == 1 ? MC_RP_ALL : MC_RP_OFFLINE;
    } else if (strcmp(d->id, "4.1") == 0) {
        q.facts = p == 0   ? MC_FP_E_RESULT
                  : p == 1 ? MC_FP_ALL
                           : MC_FP_NO_E_RESULT;
    } else {
        q.facts = p == 0   ? MC_FP_DIGITISED
                  : p == 1 ? MC_FP_ALL
                           : MC_FP_NOT_DIGITISED;
    }
    mc_eval_scope_of(t, &s);
    rc = mc_q_eval_drill(db, &s, &q, limit, offset, &items, &total, err);
    if (rc != MC_OK) {
        return rc;
    }
    *out = json_pack("{s:o,s:I}", "items", items, "total",
                     (json_int_t)total);
    return *out ? MC_OK : MC_ENOMEM;
}
