/*
 * evaluation_scope.c - what every evaluation report starts from: the unit
 * and period of the request with its scoping (mc_eval_target), the
 * per-path figures of a subtree loaded once and summed per unit
 * (mc_eval_data_*), and the administrator's manual indicators (entry and
 * lookup). See evaluation_report.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/q_evaluation_report.h"
#include "domain/evaluation_int.h"
#include "domain/evaluation_report.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/mctime.h"
#include "util/text.h"

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
    rc = mc_period_arg(period, mc_local_day(now), 0, "period", &t->period,
                       err);
    if (rc != MC_OK) {
        return rc;
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
    mc_unit_path_hi(t->unit.path, t->hi, sizeof(t->hi));
    return MC_OK;
}

void
mc_eval_target_of(struct mc_eval_target *t, const struct mc_unit *u)
{
    t->unit = *u;
    mc_unit_path_hi(t->unit.path, t->hi, sizeof(t->hi));
}

void
mc_eval_scope_of(const struct mc_eval_target *t, struct mc_q_scope *s)
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
    mc_eval_scope_of(t, &s);
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
