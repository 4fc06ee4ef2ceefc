/*
 * evaluation_766.c - the Decision 766 index (BRIEF 3): indicator
 * definitions from data/evaluation/indicators_766.csv with motcua's
 * choices (indicators_766_choices.csv: system or manual source, points
 * where the data says "see notes"), the system formulas, the index of a
 * unit subtree and period, its drill-down, the manual entries, and the
 * resolution of the unit and period of every evaluation report.
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
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/csv.h"
#include "util/embed.h"
#include "util/mctime.h"
#include "util/text.h"

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

/* ---- unit and period ---- */

static const char *
unit_level(const char *kind)
{
    if (strcmp(kind, "commune") == 0) {
        return "Cấp xã";
    }
    if (strcmp(kind, "district") == 0) {
        return "Cấp huyện";
    }
    if (strcmp(kind, "department") == 0 || strcmp(kind, "center") == 0 ||
        strcmp(kind, "desk") == 0) {
        return "Cấp tỉnh";
    }
    return "";
}

static void
set_hi(struct mc_eval_target *t)
{
    size_t n = strlen(t->unit.path);

    snprintf(t->hi, sizeof(t->hi), "%s", t->unit.path);
    if (n > 0) {
        t->hi[n - 1] = '0'; /* '/1/5/' -> '/1/50': every '/1/5/...' below */
    }
}

int
mc_eval_target(struct mc_db *db, const struct mc_actor *actor,
               const char *unit, const char *period, int64_t now,
               struct mc_eval_target *t, struct mc_err *err)
{
    int all = actor->role == MC_ROLE_ADMIN ||
              actor->role == MC_ROLE_INSPECTOR ||
              actor->role == MC_ROLE_SYSTEM;
    long long id = 0;
    int rc;

    memset(t, 0, sizeof(*t));
    t->now = now;
    if (period == NULL || period[0] == '\0') {
        mc_period_month_of(mc_local_day(now), &t->period);
    } else if (mc_period_parse(period, &t->period) != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_period", "period",
                          "period is YYYY-MM, YYYY-Qn, YYYY or "
                          "YYYY-MM-DD..YYYY-MM-DD");
    }
    if (unit != NULL && unit[0] != '\0' &&
        (mc_parse_i64(unit, &id) != 0 || id <= 0)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_unit", "unit",
                          "unit is a unit id");
    }
    if (id == 0 && !all) {
        id = actor->unit_id;
    }
    if (id == 0) {
        struct mc_unit *roots = NULL;
        size_t n = 0;
        struct mc_arena a;

        mc_arena_init(&a, 0);
        rc = mc_unit_children(db, 0, &a, &roots, &n, err);
        if (rc == MC_OK && n == 0) {
            rc = mc_err_set(err, MC_ENOTFOUND, 404, "not_found", "unit",
                            "no unit");
        }
        if (rc == MC_OK) {
            t->unit = roots[0];
        }
        mc_arena_release(&a);
    } else {
        rc = mc_unit_get(db, id, &t->unit, err);
        if (rc == MC_ENOTFOUND) {
            rc = mc_err_set(err, MC_ENOTFOUND, 404, "not_found", "unit",
                            "no such unit");
        }
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (!all && (actor->role == MC_ROLE_LEADER
                     ? !mc_actor_covers(actor, t->unit.path)
                     : t->unit.id != actor->unit_id)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", "unit",
                          "that unit is outside your scope");
    }
    set_hi(t);
    return MC_OK;
}

void
mc_eval_target_of(struct mc_eval_target *t, const struct mc_unit *u)
{
    t->unit = *u;
    set_hi(t);
}

static void
scope_of(const struct mc_eval_target *t, struct mc_q_scope *s)
{
    s->lo = t->unit.path;
    s->hi = t->hi;
    s->from = t->period.from;
    s->to = t->period.to;
    s->now = t->now;
}

json_t *
mc_eval_unit_json(const struct mc_unit *u)
{
    return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u->id, "code",
                     u->code, "name", u->name);
}

json_t *
mc_eval_period_json(const struct mc_period *p)
{
    char f[16], t[16];

    mc_fmt_date(p->from, f, sizeof(f));
    mc_fmt_date(p->to, t, sizeof(t));
    return json_pack("{s:s,s:s,s:s}", "label", p->label, "from", f, "to", t);
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

void
mc_eval_manual_value(json_t *rows, const struct mc_unit *u, const char *ind,
                     int64_t *num, int64_t *den, int64_t *n,
                     const char **note)
{
    size_t plen = strlen(u->path), i;
    json_t *r;

    *num = *den = *n = 0;
    *note = NULL;
    json_array_foreach(rows, i, r)
    {
        const char *path = json_string_value(json_object_get(r, "unit_path"));

        if (strcmp(json_string_value(json_object_get(r, "indicator")), ind) !=
                0 ||
            strncmp(path, u->path, plen) != 0) {
            continue;
        }
        if (json_integer_value(json_object_get(r, "unit_id")) == u->id) {
            *num = json_integer_value(json_object_get(r, "num"));
            *den = json_integer_value(json_object_get(r, "den"));
            *n = 1;
            *note = json_string_value(json_object_get(r, "note"));
            return;
        }
        *num += json_integer_value(json_object_get(r, "num"));
        *den += json_integer_value(json_object_get(r, "den"));
        (*n)++;
    }
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

static int
cmp_path_counts(const void *a, const void *b)
{
    return strcmp(((const struct mc_q_path_counts *)a)->path,
                  ((const struct mc_q_path_counts *)b)->path);
}

static int
cmp_path_proc(const void *a, const void *b)
{
    return strcmp(((const struct mc_q_path_proc *)a)->path,
                  ((const struct mc_q_path_proc *)b)->path);
}

int
mc_eval_data_load(struct mc_db *db, const struct mc_eval_target *t,
                  struct mc_arena *a, struct mc_eval_data *d,
                  struct mc_err *err)
{
    struct mc_q_scope s;
    int rc;

    memset(d, 0, sizeof(*d));
    d->db = db;
    d->a = a;
    d->now = t->now;
    scope_of(t, &s);
    rc = mc_q_eval_path_counts(db, &s, a, &d->paths, &d->npaths, err);
    if (rc == MC_OK) {
        rc = mc_q_eval_online_procs(db, &s, a, &d->pp, &d->npp, err);
    }
    if (rc == MC_OK) {
        rc = mc_q_eval_manual_list(db, t->unit.path, t->hi, t->period.label,
                                   &d->manual, err);
    }
    /* sorted by path: a subtree is a contiguous run (binary search) */
    if (rc == MC_OK && d->npaths > 1) {
        qsort(d->paths, d->npaths, sizeof(*d->paths), cmp_path_counts);
    }
    if (rc == MC_OK && d->npp > 1) {
        qsort(d->pp, d->npp, sizeof(*d->pp), cmp_path_proc);
    }
    return rc;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* First index whose path is >= path (paths and pp sorted). */
static size_t
lower_paths(const struct mc_eval_data *d, const char *path)
{
    size_t lo = 0, hi = d->npaths;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(d->paths[mid].path, path) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static size_t
lower_pp(const struct mc_eval_data *d, const char *path)
{
    size_t lo = 0, hi = d->npp;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(d->pp[mid].path, path) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

int
mc_eval_data_counts(struct mc_eval_data *d, const struct mc_unit *u,
                    struct mc_q_eval_counts *c, struct mc_err *err)
{
    const char *level = unit_level(u->kind);
    size_t plen = strlen(u->path);
    unsigned char *seen;
    int k, rc;

    memset(c, 0, sizeof(*c));
    for (size_t i = lower_paths(d, u->path); i < d->npaths; i++) {
        const int64_t *src = (const int64_t *)&d->paths[i].c;
        int64_t *dst = (int64_t *)c;

        if (strncmp(d->paths[i].path, u->path, plen) != 0) {
            break; /* past the subtree's run */
        }
        for (size_t j = 0; j < sizeof(*c) / sizeof(int64_t); j++) {
            dst[j] += src[j];
        }
    }
    for (k = 0; k < d->ncat && strcmp(d->cat[k].level, level) != 0; k++) {
    }
    if (k == d->ncat) {
        if (k == (int)(sizeof(d->cat) / sizeof(d->cat[0]))) {
            k = 0; /* more levels than slots: reload into the first */
        } else {
            d->ncat++;
        }
        d->cat[k].level = level;
        rc = mc_q_eval_catalog(d->db, d->now, level, d->a, &d->cat[k].total,
                               &d->cat[k].codes, &d->cat[k].n, err);
        if (rc != MC_OK) {
            return rc;
        }
    }
    c->catalog_total = d->cat[k].total;
    c->catalog_online = (int64_t)d->cat[k].n;
    c->online_procs_used = 0;
    seen = d->cat[k].n ? mc_arena_zalloc(d->a, d->cat[k].n) : NULL;
    if (d->cat[k].n && seen == NULL) {
        return MC_ENOMEM;
    }
    for (size_t i = lower_pp(d, u->path); i < d->npp; i++) {
        const char **hit;

        if (strncmp(d->pp[i].path, u->path, plen) != 0) {
            break;
        }
        hit = d->cat[k].n ? bsearch(&d->pp[i].code, d->cat[k].codes,
                                    d->cat[k].n, sizeof(char *), cmp_str)
                          : NULL;
        if (hit != NULL && !seen[hit - d->cat[k].codes]) {
            seen[hit - d->cat[k].codes] = 1;
            c->online_procs_used++;
        }
    }
    return MC_OK;
}

int
mc_eval_counts(struct mc_db *db, const struct mc_eval_target *t,
               struct mc_arena *a, struct mc_q_eval_counts *c,
               struct mc_err *err)
{
    struct mc_eval_data d;
    int rc = mc_eval_data_load(db, t, a, &d, err);

    if (rc == MC_OK) {
        rc = mc_eval_data_counts(&d, &t->unit, c, err);
    }
    json_decref(d.manual);
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
    scope_of(t, &s);
    rc = mc_q_eval_drill(db, &s, &q, limit, offset, &items, &total, err);
    if (rc != MC_OK) {
        return rc;
    }
    *out = json_pack("{s:o,s:I}", "items", items, "total",
                     (json_int_t)total);
    return *out ? MC_OK : MC_ENOMEM;
}

/* ---- manual entries ---- */

int
mc_eval_manual_put(struct mc_db *db, struct mc_eval_manual_wctx *c,
                   struct mc_err *err)
{
    const struct mc_eval_manual_in *in = c->in;
    const struct mc_766_def *d = mc_766_def(in->indicator);
    struct mc_q_manual_row m;
    struct mc_period p;
    struct mc_unit u;
    json_t *payload;
    char obj[40];
    int tt01, rc;

    if (c->actor->role != MC_ROLE_ADMIN) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "only administrators enter external indicators");
    }
    if (mc_period_parse(in->period, &p) != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_period", "period",
                          "period is YYYY-MM, YYYY-Qn, YYYY or "
                          "YYYY-MM-DD..YYYY-MM-DD");
    }
    tt01 = strcmp(in->indicator, "tt01.5") == 0 ||
           strcmp(in->indicator, "tt01.6") == 0;
    if (d == NULL && !tt01) {
        return mc_err_set(err, MC_EINVAL, 422, "unknown_indicator",
                          "indicator",
                          "no such indicator (766 ids, tt01.5, tt01.6)");
    }
    if (d != NULL && !d->manual) {
        return mc_err_set(err, MC_EINVAL, 422, "not_external", "indicator",
                          "indicator %s is computed by the system", d->id);
    }
    if (in->num > in->den) {
        return mc_err_set(err, MC_EINVAL, 422, "bad_ratio", "num",
                          "num must be between 0 and den");
    }
    rc = mc_unit_get(db, in->unit_id, &u, err);
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_EINVAL, 422, "unknown_unit", "unit",
                          "no such unit");
    }
    if (rc != MC_OK) {
        return rc;
    }
    memset(&m, 0, sizeof(m));
    m.unit_id = u.id;
    m.unit_path = u.path;
    m.period = p.label;
    m.day_from = p.from;
    m.day_to = p.to;
    m.indicator = in->indicator;
    m.note = in->note;
    m.num = in->num;
    m.den = in->den;
    m.entered_by = c->actor->account_id;
    m.at = c->now;
    rc = mc_q_eval_manual_put(db, &m, err);
    if (rc != MC_OK) {
        return rc;
    }
    payload = json_pack("{s:s,s:s,s:I,s:I,s:s?}", "period", p.label,
                        "indicator", in->indicator, "num",
                        (json_int_t)in->num, "den", (json_int_t)in->den,
                        "note", in->note);
    snprintf(obj, sizeof(obj), "unit:%lld", (long long)u.id);
    rc = mc_audit_append(db, c->actor->account_id, "evaluation.manual", obj,
                         payload, c->now, err);
    json_decref(payload);
    if (rc != MC_OK) {
        return rc;
    }
    c->out = json_pack("{s:o,s:o,s:s,s:I,s:I,s:s?,s:s}", "unit",
                       mc_eval_unit_json(&u), "period",
                       mc_eval_period_json(&p), "indicator", in->indicator,
                       "num", (json_int_t)in->num, "den",
                       (json_int_t)in->den, "note", in->note, "source",
                       "manual");
    return c->out ? MC_OK : MC_ENOMEM;
}
