/*
 * catalog_json.c - the catalog's JSON format: an array of the procedure
 * objects of mc_catalog_to_json (with components and steps). Export then
 * import gives no new versions. On import, id, version, flags,
 * effective_from/to and time_limit.minutes are read-only and ignored;
 * absent components/steps/pause_policy/online_level are kept from the
 * latest version (see catalog.h); time_limit null means incomplete.
 */
#include "domain/catalog.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/json.h"

#define MAX_COMPONENTS 500
#define MAX_ELEMENTS 20000

static const char *const PROC_KEYS[] = {
    "id", "code", "version", "name", "field", "level", "time_limit",
    "unit_assumed", "incomplete", "flags", "pause_policy", "fee",
    "online_level", "channels", "decision_no", "competent_agency",
    "implementing_agency", "source", "portal_url", "time_limit_by_channel",
    "fee_by_channel", "source_limit", "notes", "effective_from",
    "effective_to", "components", "steps", NULL};
static const char *const LIMIT_KEYS[] = {"value", "unit", "cutoff_15h",
                                         "minutes", NULL};
static const char *const FEE_KEYS[] = {"text", "amount", NULL};
static const char *const SRC_KEYS[] = {"value", "unit", NULL};
static const char *const COMP_KEYS[] = {
    "id", "seq", "source_seq", "section", "name", "kind", "qty_original",
    "qty_copy", "quantity_text", "mandatory", "form_file", NULL};
static const char *const STEP_KEYS[] = {"id", "seq", "name", "role",
                                        "budget_minutes", NULL};
static const char *const UPDATE_KEYS[] = {
    "limit_value", "limit_unit", "cutoff_15h", "pause_policy", "steps",
    "expect_version", NULL};

static int
wrong(struct mc_err *err, const char *field, const char *what)
{
    return mc_err_set(err, MC_EINVAL, 400, "invalid_json", field, "%s",
                      what);
}

static int
oom(struct mc_err *err)
{
    return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                      "out of memory");
}

/* Optional sub-object key of o: *out NULL if absent/null. */
static int
sub_object(json_t *o, const char *key, const char *const *keys,
           json_t **out, struct mc_err *err)
{
    json_t *v = json_object_get(o, key);

    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        return MC_OK;
    }
    if (!json_is_object(v)) {
        return wrong(err, key, "expected an object");
    }
    *out = v;
    return mc_json_only(v, keys, err);
}

static int
json_steps(json_t *arr, struct mc_arena *a, struct mc_step **out,
           size_t *n, struct mc_err *err)
{
    size_t i;
    json_t *v;
    int rc = MC_OK;

    *out = NULL;
    *n = 0;
    if (!json_is_array(arr) ||
        json_array_size(arr) > MC_CATALOG_MAX_STEPS) {
        return wrong(err, "steps", "steps must be an array of at most 20");
    }
    if (json_array_size(arr) == 0) {
        return MC_OK;
    }
    *out = mc_arena_zalloc(a, json_array_size(arr) * sizeof(**out));
    if (*out == NULL) {
        return oom(err);
    }
    json_array_foreach(arr, i, v) {
        struct mc_step *s = &(*out)[i];

        if (!json_is_object(v)) {
            return wrong(err, "steps", "each step must be an object");
        }
        s->seq = (int)i + 1;
        if ((rc = mc_json_only(v, STEP_KEYS, err)) != MC_OK ||
            (rc = mc_json_str(v, "name", 1, 200, a, &s->name, err)) !=
                MC_OK ||
            (rc = mc_json_str(v, "role", 1, 20, a, &s->role, err)) != MC_OK ||
            (rc = mc_json_int(v, "budget_minutes", 1, 1,
                              (int64_t)MC_CATALOG_MAX_LIMIT * 480,
                              &s->budget_minutes, err)) != MC_OK) {
            mc_catalog_err_prefix(err, "step %zu", i + 1);
            return rc;
        }
    }
    *n = json_array_size(arr);
    return MC_OK;
}

static int
json_component(json_t *v, struct mc_arena *a, struct mc_component *c,
               unsigned char *given, struct mc_err *err)
{
    const char *kind = NULL;
    int64_t qo = -1, qc = -1, ss = 0;
    int m = -1, rc;

    if (!json_is_object(v)) {
        return wrong(err, "components", "each component must be an object");
    }
    if ((rc = mc_json_only(v, COMP_KEYS, err)) != MC_OK ||
        (rc = mc_json_str(v, "name", 1, 8000, a, &c->name, err)) != MC_OK ||
        (rc = mc_json_str(v, "section", 0, 2000, a, &c->section, err)) !=
            MC_OK ||
        (rc = mc_json_str(v, "kind", 1, 40, a, &kind, err)) != MC_OK ||
        (rc = mc_json_str(v, "quantity_text", 0, 200, a, &c->quantity_text,
                          err)) != MC_OK ||
        (rc = mc_json_str(v, "form_file", 0, 500, a, &c->form_file, err)) !=
            MC_OK ||
        (rc = mc_json_int(v, "source_seq", 0, 0, 1000000, &ss, err)) !=
            MC_OK ||
        (rc = mc_json_int(v, "qty_original", 0, 0, 100, &qo, err)) !=
            MC_OK ||
        (rc = mc_json_int(v, "qty_copy", 0, 0, 100, &qc, err)) != MC_OK ||
        (rc = mc_json_bool(v, "mandatory", 0, &m, err)) != MC_OK) {
        return rc;
    }
    if (mc_catalog_parse_kind(kind, &c->kind) != 0) {
        return wrong(err, "kind", "kind is original, certified, copy, both "
                     "or any");
    }
    c->source_seq = (int)ss;
    c->qty_original = qo >= 0 ? (int)qo
                              : !(strcmp(c->kind, "copy") == 0 ||
                                  strcmp(c->kind, "certified") == 0);
    c->qty_copy = qc >= 0 ? (int)qc
                          : strcmp(c->kind, "original") != 0 &&
                                strcmp(c->kind, "any") != 0;
    c->mandatory = m == 1;
    *given = m >= 0;
    return MC_OK;
}

static int
json_components(json_t *arr, struct mc_arena *a, struct mc_catalog_rec *r,
                struct mc_err *err)
{
    struct mc_procedure *p = &r->p;
    size_t i, n;
    json_t *v;
    int rc;

    if (!json_is_array(arr) || json_array_size(arr) > MAX_COMPONENTS) {
        return wrong(err, "components", "components must be an array of "
                     "at most 500");
    }
    n = json_array_size(arr);
    r->have_components = 1;
    if (n == 0) {
        return MC_OK;
    }
    p->components = mc_arena_zalloc(a, n * sizeof(*p->components));
    r->mandatory_given = mc_arena_zalloc(a, n);
    if (p->components == NULL || r->mandatory_given == NULL) {
        return oom(err);
    }
    json_array_foreach(arr, i, v) {
        p->components[i].seq = (int)i + 1;
        rc = json_component(v, a, &p->components[i],
                            &r->mandatory_given[i], err);
        if (rc != MC_OK) {
            mc_catalog_err_prefix(err, "component %zu", i + 1);
            return rc;
        }
    }
    p->ncomponents = n;
    return MC_OK;
}

static int
json_limit(json_t *o, struct mc_arena *a, struct mc_procedure *p,
           struct mc_err *err)
{
    json_t *lim, *src;
    int inc = -1, rc;
    int64_t v = 0;

    if ((rc = sub_object(o, "time_limit", LIMIT_KEYS, &lim, err)) != MC_OK ||
        (rc = sub_object(o, "source_limit", SRC_KEYS, &src, err)) !=
            MC_OK ||
        (rc = mc_json_bool(o, "incomplete", 0, &inc, err)) != MC_OK ||
        (rc = mc_json_bool(o, "unit_assumed", 0, &p->unit_assumed, err)) !=
            MC_OK) {
        return rc;
    }
    if (src != NULL &&
        ((rc = mc_json_str(src, "value", 0, 100, a, &p->src_limit_value,
                           err)) != MC_OK ||
         (rc = mc_json_str(src, "unit", 0, 200, a, &p->src_limit_unit,
                           err)) != MC_OK)) {
        return rc;
    }
    p->incomplete = lim == NULL;
    if (inc >= 0 && inc != p->incomplete) {
        return wrong(err, "incomplete", "incomplete must be true exactly "
                     "when time_limit is null");
    }
    if (lim == NULL) {
        return MC_OK;
    }
    if ((rc = mc_json_str(lim, "unit", 1, 20, a, &p->limit_unit, err)) !=
            MC_OK ||
        (rc = mc_json_int(lim, "value", 0, 1, MC_CATALOG_MAX_LIMIT, &v,
                          err)) != MC_OK ||
        (rc = mc_json_bool(lim, "cutoff_15h", 0, &p->cutoff_15h, err)) !=
            MC_OK) {
        return rc;
    }
    if (v == 0 && strcmp(p->limit_unit, MC_UNIT_SAMEDAY) != 0) {
        return wrong(err, "value", "time_limit.value is required");
    }
    p->limit_value = v != 0 ? v : 1;
    return MC_OK;
}

static int
json_fee_channels(json_t *o, struct mc_arena *a, struct mc_procedure *p,
                  struct mc_err *err)
{
    json_t *fee, *ch = json_object_get(o, "channels"), *v;
    char buf[64] = "";
    size_t i, len = 0;
    int rc;

    p->fee_amount = -1;
    if ((rc = sub_object(o, "fee", FEE_KEYS, &fee, err)) != MC_OK ||
        (fee != NULL &&
         (rc = mc_json_str(fee, "text", 0, 2000, a, &p->fee_text, err)) !=
             MC_OK)) {
        return rc;
    }
    if (fee != NULL && json_object_get(fee, "amount") == NULL) {
        p->fee_amount = mc_catalog_parse_fee(p->fee_text);
    } else if (fee != NULL &&
               (rc = mc_json_int(fee, "amount", 0, 0, (int64_t)1e15,
                                 &p->fee_amount, err)) != MC_OK) {
        return rc;
    }
    if (ch != NULL && !json_is_null(ch) &&
        (!json_is_array(ch) || json_array_size(ch) > 3)) {
        return wrong(err, "channels", "channels must be an array of online, "
                     "post, counter");
    }
    json_array_foreach(ch, i, v) {
        const char *s = json_string_value(v);

        if (s == NULL || strlen(s) > 40) {
            return wrong(err, "channels", "channels are strings");
        }
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
                                len > 0 ? "|" : "", s);
        if (len >= sizeof(buf)) {
            return wrong(err, "channels", "too many channels");
        }
    }
    if (mc_catalog_parse_channels(buf, a, &p->channels) != 0) {
        return wrong(err, "channels", "channels are online, post, counter");
    }
    return MC_OK;
}

static int
json_proc(json_t *o, struct mc_arena *a, struct mc_catalog_rec *r,
          struct mc_err *err)
{
    struct mc_procedure *p = &r->p;
    static const struct {
        const char *key;
        size_t max;
        size_t off;
    } opt[] = {
        {"decision_no", 200, offsetof(struct mc_procedure, decision_no)},
        {"competent_agency", 2000,
         offsetof(struct mc_procedure, competent_agency)},
        {"implementing_agency", 2000,
         offsetof(struct mc_procedure, implementing_agency)},
        {"source", 2000, offsetof(struct mc_procedure, source)},
        {"portal_url", 2000, offsetof(struct mc_procedure, portal_url)},
        {"time_limit_by_channel", 8000,
         offsetof(struct mc_procedure, limit_by_channel)},
        {"fee_by_channel", 20000,
         offsetof(struct mc_procedure, fee_by_channel)},
        {"notes", 8000, offsetof(struct mc_procedure, notes)},
        {"pause_policy", 20, offsetof(struct mc_procedure, pause_policy)},
        {"online_level", 20, offsetof(struct mc_procedure, online_level)},
    };
    json_t *v;
    int rc;

    if (!json_is_object(o)) {
        return wrong(err, NULL, "each element must be a procedure object");
    }
    if ((rc = mc_json_only(o, PROC_KEYS, err)) != MC_OK ||
        (rc = mc_json_str(o, "code", 1, 20, a, &p->code, err)) != MC_OK ||
        (rc = mc_json_str(o, "name", 1, 2000, a, &p->name, err)) != MC_OK ||
        (rc = mc_json_str(o, "field", 1, 500, a, &p->field, err)) != MC_OK ||
        (rc = mc_json_str(o, "level", 0, 500, a, &p->level, err)) != MC_OK) {
        return rc;
    }
    for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
        rc = mc_json_str(o, opt[i].key, 0, opt[i].max, a,
                         (const char **)((char *)p + opt[i].off), err);
        if (rc != MC_OK) {
            return rc;
        }
    }
    p->level = p->level != NULL ? p->level : "";
    r->have_pause_policy = p->pause_policy != NULL;
    r->have_online_level = p->online_level != NULL;
    if ((rc = json_limit(o, a, p, err)) != MC_OK ||
        (rc = json_fee_channels(o, a, p, err)) != MC_OK) {
        return rc;
    }
    v = json_object_get(o, "components");
    if (v != NULL && !json_is_null(v) &&
        (rc = json_components(v, a, r, err)) != MC_OK) {
        return rc;
    }
    v = json_object_get(o, "steps");
    if (v != NULL && !json_is_null(v)) {
        r->have_steps = 1;
        return json_steps(v, a, &p->steps, &p->nsteps, err);
    }
    return MC_OK;
}

int
mc_catalog_import_json(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_catalog_import *im = ctx;
    struct mc_catalog_rec *recs = NULL;
    struct mc_arena a;
    json_error_t je;
    json_t *root = NULL, *v;
    size_t i, n = 0;
    int rc = MC_OK;

    mc_arena_init(&a, (size_t)256 << 20);
    if (im->text != NULL) {
        root = json_loadb(im->text, im->len, JSON_REJECT_DUPLICATES, &je);
    }
    if (root == NULL || !json_is_array(root)) {
        rc = mc_err_set(err, MC_EINVAL, 400, "malformed_json", NULL,
                        "expected a JSON array of procedures%s%s",
                        root == NULL && im->text != NULL ? ": " : "",
                        root == NULL && im->text != NULL ? je.text : "");
        goto out;
    }
    n = json_array_size(root);
    if (n > MAX_ELEMENTS) {
        rc = wrong(err, NULL, "too many procedures");
        goto out;
    }
    recs = n > 0 ? mc_arena_zalloc(&a, n * sizeof(*recs)) : NULL;
    if (n > 0 && recs == NULL) {
        rc = oom(err);
        goto out;
    }
    json_array_foreach(root, i, v) {
        recs[i].line = (long)i + 1;
        rc = json_proc(v, &a, &recs[i], err);
        for (size_t j = 0; rc == MC_OK && j < i; j++) {
            if (recs[i].p.code != NULL &&
                strcmp(recs[j].p.code, recs[i].p.code) == 0) {
                rc = wrong(err, "code", "the code appears twice");
            }
        }
        if (rc != MC_OK) {
            mc_catalog_err_prefix(err, "element %zu", i + 1);
            goto out;
        }
    }
    rc = mc_catalog_run_import(db, im, "json", recs, n, &a, err);
out:
    json_decref(root);
    mc_arena_release(&a);
    return rc;
}

int
mc_catalog_export_json(struct mc_db *db, struct mc_buf *out,
                       struct mc_err *err)
{
    struct mc_arena a;
    struct mc_procedure_list list;
    int64_t total = 0, off = 0;
    int rc, first = 1;

    mc_arena_init(&a, (size_t)256 << 20);
    rc = mc_buf_adds(out, "[");
    do {
        mc_arena_release(&a);
        if (rc != MC_OK) {
            break;
        }
        rc = mc_catalog_search(db, NULL, NULL, 0, MC_CATALOG_MAX_PAGE, off,
                               &a, &list, &total, err);
        for (size_t i = 0; rc == MC_OK && i < list.n; i++) {
            json_t *o = NULL;

            rc = mc_q_proc_load_detail(db, &list.items[i], &a, err);
            if (rc == MC_OK) {
                o = mc_catalog_to_json(&list.items[i], 1);
                rc = o == NULL ? oom(err) : mc_buf_adds(out, first ? "\n"
                                                                   : ",\n");
            }
            if (rc == MC_OK) {
                rc = mc_json_dump(o, out);
            }
            json_decref(o);
            first = 0;
        }
        off += (int64_t)list.n;
    } while (rc == MC_OK && list.n > 0 && off < total);
    if (rc == MC_OK) {
        rc = mc_buf_adds(out, "\n]\n");
    }
    mc_arena_release(&a);
    if (rc == MC_ETOOBIG) {
        return mc_err_set(err, rc, 0, "too_big", NULL,
                          "the export does not fit its buffer");
    }
    return rc;
}

int
mc_catalog_update_from_json(json_t *body, struct mc_arena *a,
                            struct mc_catalog_update *u, struct mc_err *err)
{
    json_t *st;
    int64_t ev = 0;
    int rc;

    u->limit_value = 0;
    u->cutoff_15h = 0;
    u->pause_policy = NULL;
    u->steps = NULL;
    u->nsteps = 0;
    if (!json_is_object(body)) {
        return wrong(err, NULL, "expected a JSON object");
    }
    if ((rc = mc_json_only(body, UPDATE_KEYS, err)) != MC_OK ||
        (rc = mc_json_str(body, "limit_unit", 1, 20, a, &u->limit_unit,
                          err)) != MC_OK ||
        (rc = mc_json_int(body, "limit_value", 0, 1, MC_CATALOG_MAX_LIMIT,
                          &u->limit_value, err)) != MC_OK ||
        (rc = mc_json_bool(body, "cutoff_15h", 0, &u->cutoff_15h, err)) !=
            MC_OK ||
        (rc = mc_json_str(body, "pause_policy", 0, 20, a, &u->pause_policy,
                          err)) != MC_OK ||
        (rc = mc_json_int(body, "expect_version", 0, 1, 1000000, &ev,
                          err)) != MC_OK) {
        return rc;
    }
    if (!mc_catalog_unit_valid(u->limit_unit)) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_unit", "limit_unit",
                          "limit_unit must be workdays, halfdays, "
                          "workhours or sameday");
    }
    if (u->limit_value == 0 && strcmp(u->limit_unit, MC_UNIT_SAMEDAY) != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field",
                          "limit_value", "limit_value is required");
    }
    u->expect_version = (int)ev;
    st = json_object_get(body, "steps");
    if (st != NULL && !json_is_null(st)) {
        struct mc_step *steps = NULL;

        rc = json_steps(st, a, &steps, &u->nsteps, err);
        if (rc == MC_OK && u->nsteps == 0) {
            rc = mc_err_set(err, MC_EINVAL, 400, "missing_field", "steps",
                            "give at least one step, or none for the "
                            "default split");
        }
        u->steps = steps;
    }
    return rc;
}
