/*
 * catalog_write.c - catalog writes: the versioned merge of an imported
 * procedure (mc_catalog_apply) and the administrator's time-limit update
 * (see catalog.h).
 */
#include "domain/catalog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/text.h"

static int
oom(struct mc_err *err)
{
    return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                      "out of memory");
}

static int
bad(struct mc_err *err, const char *field, const char *what,
    const struct mc_procedure *p)
{
    return mc_err_set(err, MC_EINVAL, 400, "invalid_procedure", field,
                      "procedure %.24s: %s",
                      p->code != NULL ? p->code : "?", what);
}

/* ---- merging an imported procedure ---- */

/* Folded s without leading list punctuation ("* ", "- ", "+ "). */
static const char *
folded_text(struct mc_arena *a, const char *s)
{
    const char *f = s != NULL ? mc_fold(a, s) : NULL;

    while (f != NULL && (*f == '*' || *f == '-' || *f == '+' || *f == ' ')) {
        f++;
    }
    return f;
}

static int
starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Sections that apply to every dossier of the procedure. */
static int
section_standard(const char *f)
{
    return f == NULL || *f == '\0' || starts(f, "giay to phai nop") ||
           starts(f, "giay to phai xuat trinh");
}

/* "a) ...", "(1.2) ...", "(iv) ...", "đ) ..." (folded: "d)"). */
static int
section_case_marker(const char *f)
{
    const char *p = f;

    if (*p == '(') {
        p++;
    }
    for (int i = 0; i < 6 && *p != '\0'; i++, p++) {
        if (*p == ')') {
            return i > 0;
        }
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '.')) {
            return 0;
        }
    }
    return 0;
}

static int
name_conditional(const char *f)
{
    static const char *const inner[] = {"trong truong hop",
                                        "doi voi truong hop", "(neu co",
                                        "neu nguoi co yeu cau",
                                        "neu co yeu cau", NULL};

    if (f == NULL || starts(f, "truong hop") ||
        starts(f, "doi voi truong hop") || starts(f, "neu ")) {
        return 1;
    }
    for (const char *const *t = inner; *t != NULL; t++) {
        if (strstr(f, *t) != NULL) {
            return 1;
        }
    }
    return 0;
}

/* The documented guess of mandatory for components without one given. */
static int
guess_mandatory(struct mc_catalog_rec *rec, struct mc_arena *a)
{
    struct mc_procedure *p = &rec->p;
    const char **fs = NULL, *other = NULL;
    int nother = 0;

    if (p->ncomponents == 0) {
        return MC_OK;
    }
    fs = mc_arena_zalloc(a, p->ncomponents * sizeof(*fs));
    if (fs == NULL) {
        return MC_ENOMEM;
    }
    for (size_t i = 0; i < p->ncomponents; i++) {
        const char *sec = p->components[i].section;

        fs[i] = sec != NULL ? folded_text(a, sec) : NULL;
        if (sec != NULL && fs[i] == NULL) {
            return MC_ENOMEM;
        }
        if (fs[i] == NULL || section_standard(fs[i])) {
            continue;
        }
        if (other == NULL) {
            other = fs[i];
            nother = 1;
        } else if (strcmp(other, fs[i]) != 0) {
            nother = 2; /* several cases */
        }
    }
    for (size_t i = 0; i < p->ncomponents; i++) {
        struct mc_component *c = &p->components[i];
        const char *f = fs[i];
        int general;

        if (rec->mandatory_given != NULL && rec->mandatory_given[i]) {
            continue;
        }
        if (f == NULL || section_standard(f)) {
            general = 1;
        } else if (strstr(f, "truong hop") != NULL ||
                   strstr(f, "doi voi") != NULL || section_case_marker(f)) {
            general = 0;
        } else {
            general = nother == 1;
        }
        c->mandatory = general && !name_conditional(folded_text(a, c->name));
    }
    return MC_OK;
}

static int
streq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Both NULL, or equal strings. */
static int
same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || streq(a, b);
}

static int
has_channel(const char *list, const char *ch)
{
    size_t n = strlen(ch);

    while (list != NULL && *list) {
        const char *e = strchr(list, '|');
        size_t k = e != NULL ? (size_t)(e - list) : strlen(list);

        if (k == n && memcmp(list, ch, n) == 0) {
            return 1;
        }
        list += k + (e != NULL);
    }
    return 0;
}

static int
may_write(const struct mc_actor *actor, struct mc_err *err)
{
    if (actor == NULL || actor->role == MC_ROLE_ADMIN ||
        actor->role == MC_ROLE_SYSTEM) {
        return MC_OK;
    }
    return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                      "only an administrator may change the catalog");
}

static int
copy_steps(struct mc_procedure *p, const struct mc_step *s, size_t n,
           struct mc_arena *a)
{
    p->steps = NULL;
    p->nsteps = 0;
    if (n == 0) {
        return MC_OK;
    }
    p->steps = mc_arena_alloc(a, n * sizeof(*p->steps));
    if (p->steps == NULL) {
        return MC_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        p->steps[i] = s[i];
        p->steps[i].id = 0;
        p->steps[i].seq = (int)i + 1;
    }
    p->nsteps = n;
    return MC_OK;
}

/* Steps of n when none were given: cur's if the limit is the same. */
static int
fill_steps(struct mc_procedure *n, const struct mc_procedure *cur,
           struct mc_arena *a)
{
    struct mc_step def[4];
    int64_t total = mc_catalog_limit_minutes(n);

    if (n->incomplete) {
        n->steps = NULL;
        n->nsteps = 0;
        return MC_OK;
    }
    if (cur != NULL && !cur->incomplete && cur->nsteps > 0 &&
        mc_catalog_limit_minutes(cur) == total) {
        return copy_steps(n, cur->steps, cur->nsteps, a);
    }
    return copy_steps(n, def, mc_catalog_default_steps(total, def), a);
}

/* Mandatory flags: given, else as in cur (same name and section), else
 * guessed. */
static int
fill_mandatory(struct mc_catalog_rec *rec, const struct mc_procedure *cur,
               struct mc_arena *a)
{
    struct mc_procedure *n = &rec->p;

    if (n->ncomponents == 0) {
        return MC_OK;
    }
    if (rec->mandatory_given == NULL) {
        rec->mandatory_given = mc_arena_zalloc(a, n->ncomponents);
        if (rec->mandatory_given == NULL) {
            return MC_ENOMEM;
        }
    }
    for (size_t i = 0; cur != NULL && i < n->ncomponents; i++) {
        struct mc_component *c = &n->components[i];

        for (size_t j = 0; !rec->mandatory_given[i] && j < cur->ncomponents;
             j++) {
            if (streq(c->name, cur->components[j].name) &&
                same_str(c->section, cur->components[j].section)) {
                c->mandatory = cur->components[j].mandatory;
                rec->mandatory_given[i] = 1;
            }
        }
    }
    return guess_mandatory(rec, a);
}

static int
merge(struct mc_catalog_rec *rec, const struct mc_procedure *cur,
      struct mc_arena *a)
{
    struct mc_procedure *n = &rec->p;
    int rc;

    /* the source still says what an administrator has since completed */
    if (cur != NULL && (n->incomplete || n->unit_assumed) &&
        !cur->incomplete && !cur->unit_assumed &&
        streq(n->src_limit_value, cur->src_limit_value) &&
        streq(n->src_limit_unit, cur->src_limit_unit)) {
        n->limit_value = cur->limit_value;
        n->limit_unit = cur->limit_unit;
        n->cutoff_15h = cur->cutoff_15h;
        n->incomplete = 0;
        n->unit_assumed = 0;
    }
    if (cur != NULL && n->src_limit_value == NULL &&
        n->src_limit_unit == NULL) {
        n->src_limit_value = cur->src_limit_value;
        n->src_limit_unit = cur->src_limit_unit;
    }
    if (!rec->have_pause_policy) {
        n->pause_policy = cur != NULL ? cur->pause_policy : "restart";
    }
    if (!rec->have_online_level) {
        int online = has_channel(n->channels, "online");

        n->online_level = online ? "partial" : "none";
        if (online && cur != NULL && streq(cur->online_level, "full")) {
            n->online_level = "full";
        }
    }
    if (!rec->have_components) {
        n->components = NULL;
        n->ncomponents = 0;
        if (cur != NULL && cur->ncomponents > 0) {
            n->components = mc_arena_alloc(a, cur->ncomponents *
                                                  sizeof(*n->components));
            if (n->components == NULL) {
                return MC_ENOMEM;
            }
            memcpy(n->components, cur->components,
                   cur->ncomponents * sizeof(*n->components));
            n->ncomponents = cur->ncomponents;
        }
    } else if ((rc = fill_mandatory(rec, cur, a)) != MC_OK) {
        return rc;
    }
    return rec->have_steps ? MC_OK : fill_steps(n, cur, a);
}

static int
audit_version(struct mc_db *db, const struct mc_actor *actor,
              const char *action, const char *origin,
              const struct mc_procedure *n, const struct mc_procedure *prev,
              struct mc_err *err)
{
    char obj[48];
    json_t *pl;
    int rc;

    pl = json_pack("{s:s, s:i, s:I, s:s, s:b, s:b, s:o, s:o, s:o}", "code",
                   n->code, "version", n->version, "id", (json_int_t)n->id,
                   "origin", origin, "incomplete", n->incomplete,
                   "unit_assumed", n->unit_assumed, "time_limit",
                   n->incomplete
                       ? json_null()
                       : json_pack("{s:I, s:s, s:b}", "value",
                                   (json_int_t)n->limit_value, "unit",
                                   n->limit_unit, "cutoff_15h",
                                   n->cutoff_15h),
                   "effective_from",
                   mc_json_ts_value(n->effective_from), "previous_id",
                   prev != NULL ? json_integer(prev->id) : json_null());
    if (pl == NULL) {
        return oom(err);
    }
    snprintf(obj, sizeof(obj), "procedure:%lld", (long long)n->id);
    rc = mc_audit_append(db, actor != NULL ? actor->account_id : 0, action,
                         obj, pl, mc_now(), err);
    json_decref(pl);
    return rc;
}

/* Store n as the version after cur (NULL: first) from instant at. */
static int
store_version(struct mc_db *db, struct mc_procedure *n,
              const struct mc_procedure *cur, int64_t at,
              struct mc_err *err)
{
    int rc;

    n->version = cur != NULL ? cur->version + 1 : 1;
    n->effective_from = at;
    n->effective_to = 0;
    n->active = 1;
    n->created_at = mc_now();
    if (cur != NULL && (rc = mc_q_proc_close(db, cur->id, at, err)) != 0) {
        return rc;
    }
    return mc_q_proc_insert(db, n, err);
}

/* Latest version of code with detail into cur; *have = 0 if none. */
static int
load_latest(struct mc_db *db, const char *code, struct mc_arena *a,
            struct mc_procedure *cur, int *have, struct mc_err *err)
{
    int rc = mc_q_proc_latest(db, code, a, cur, err);

    *have = 0;
    if (rc == MC_ENOTFOUND) {
        mc_err_clear(err);
        return MC_OK;
    }
    if (rc == MC_OK) {
        rc = mc_q_proc_load_detail(db, cur, a, err);
        *have = rc == MC_OK;
    }
    return rc;
}

static int
check_at(const struct mc_procedure *cur, int64_t at, struct mc_err *err)
{
    if (cur->effective_from > at) {
        return mc_err_set(err, MC_ECONFLICT, 409, "effective_date", "at",
                          "procedure %.24s: version %d is effective from a "
                          "later date", cur->code, cur->version);
    }
    return MC_OK;
}

int
mc_catalog_apply(struct mc_db *db, const struct mc_actor *actor, int64_t at,
                 const char *origin, struct mc_catalog_rec *rec,
                 struct mc_arena *a, enum mc_catalog_outcome *outcome,
                 struct mc_err *err)
{
    struct mc_procedure cur, *n = &rec->p;
    int have = 0, rc, same;

    *outcome = MC_CATALOG_UNCHANGED;
    if ((rc = may_write(actor, err)) != MC_OK) {
        return rc;
    }
    if (!mc_catalog_code_valid(n->code)) {
        return bad(err, "code", "the code must look like 1.001612", n);
    }
    rc = load_latest(db, n->code, a, &cur, &have, err);
    if (rc != MC_OK || (have && (rc = check_at(&cur, at, err)) != MC_OK)) {
        return rc;
    }
    if (merge(rec, have ? &cur : NULL, a) != MC_OK) {
        return oom(err);
    }
    n->search_key = n->name != NULL ? mc_fold(a, n->name) : NULL;
    if (n->name != NULL && n->search_key == NULL) {
        return bad(err, "name", "the name is not valid UTF-8", n);
    }
    if ((rc = mc_catalog_validate(n, err)) != MC_OK) {
        return rc;
    }
    if (have) {
        same = mc_catalog_same_content(&cur, n);
        if (same < 0) {
            return oom(err);
        }
        if (same) {
            return MC_OK;
        }
    }
    rc = store_version(db, n, have ? &cur : NULL, at, err);
    if (rc == MC_OK) {
        rc = audit_version(db, actor, "catalog.import", origin, n,
                           have ? &cur : NULL, err);
    }
    if (rc == MC_OK) {
        *outcome = have ? MC_CATALOG_VERSIONED : MC_CATALOG_CREATED;
    }
    return rc;
}

/* ---- import driver ---- */

void
mc_catalog_err_prefix(struct mc_err *err, const char *fmt, ...)
{
    char msg[sizeof(err->message)];
    size_t k, n, room;
    va_list ap;
    int w;

    if (err == NULL) {
        return;
    }
    memcpy(msg, err->message, sizeof(msg));
    msg[sizeof(msg) - 1] = '\0';
    va_start(ap, fmt);
    w = vsnprintf(err->message, 96, fmt, ap);
    va_end(ap);
    k = w < 0 ? 0 : w > 95 ? 95 : (size_t)w;
    err->message[k++] = ':';
    err->message[k++] = ' ';
    /* the old message after the prefix, cut on a character boundary */
    n = strlen(msg);
    room = sizeof(err->message) - 1 - k;
    if (n > room) {
        n = room;
        while (n > 0 && ((unsigned char)msg[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    memcpy(err->message + k, msg, n);
    err->message[k + n] = '\0';
}

int
mc_catalog_run_import(struct mc_db *db, struct mc_catalog_import *im,
                      const char *origin, struct mc_catalog_rec *recs,
                      size_t n, struct mc_arena *a, struct mc_err *err)
{
    int64_t at = im->at != 0 ? im->at : mc_now();
    int rc = MC_OK;

    im->total = im->created = im->versioned = im->unchanged = 0;
    if (im->dry_run &&
        (rc = mc_db_savepoint(db, "catalog_dry_run", err)) != MC_OK) {
        return rc;
    }
    for (size_t i = 0; i < n && rc == MC_OK; i++) {
        enum mc_catalog_outcome oc;

        rc = mc_catalog_apply(db, im->actor, at, origin, &recs[i], a, &oc,
                              err);
        if (rc != MC_OK) {
            if (recs[i].line > 0) {
                mc_catalog_err_prefix(err, "%s %ld",
                                      strcmp(origin, "json") == 0
                                          ? "element"
                                          : "line",
                                      recs[i].line);
            }
            break;
        }
        im->total++;
        im->created += oc == MC_CATALOG_CREATED;
        im->versioned += oc == MC_CATALOG_VERSIONED;
        im->unchanged += oc == MC_CATALOG_UNCHANGED;
    }
    if (im->dry_run) {
        mc_db_rollback_to(db, "catalog_dry_run"); /* and releases it */
    }
    return rc;
}

/* ---- administrator update ---- */

static int
update_build(struct mc_catalog_update *u, const struct mc_procedure *cur,
             struct mc_procedure *n, struct mc_arena *a, struct mc_err *err)
{
    int rc;

    *n = *cur;
    n->limit_value = u->limit_value;
    if (streq(u->limit_unit, MC_UNIT_SAMEDAY) && n->limit_value == 0) {
        n->limit_value = 1;
    }
    n->limit_unit = u->limit_unit;
    n->cutoff_15h = u->cutoff_15h != 0;
    n->unit_assumed = 0;
    n->incomplete = 0;
    if (u->pause_policy != NULL) {
        n->pause_policy = u->pause_policy;
    }
    if (u->steps != NULL && u->nsteps == 0) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "steps",
                          "give at least one step, or none for the "
                          "default split");
    }
    rc = u->steps != NULL ? copy_steps(n, u->steps, u->nsteps, a)
                          : fill_steps(n, cur, a);
    return rc == MC_OK ? MC_OK : oom(err);
}

int
mc_catalog_update_limit(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_catalog_update *u = ctx;
    struct mc_procedure cur, n;
    struct mc_arena a;
    int have = 0, rc, same;

    u->changed = 0;
    u->new_id = 0;
    u->new_version = 0;
    mc_arena_init(&a, 0);
    if ((rc = may_write(u->actor, err)) != MC_OK) {
        goto out;
    }
    if (!mc_catalog_unit_valid(u->limit_unit)) {
        rc = mc_err_set(err, MC_EINVAL, 400, "invalid_unit", "limit_unit",
                        "limit_unit must be workdays, halfdays, workhours "
                        "or sameday");
        goto out;
    }
    rc = load_latest(db, u->code != NULL ? u->code : "", &a, &cur, &have,
                     err);
    if (rc == MC_OK && !have) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "procedure_not_found",
                        "code", "no procedure %.24s",
                        u->code != NULL ? u->code : "");
    }
    if (rc == MC_OK && u->expect_version != 0 &&
        u->expect_version != cur.version) {
        rc = mc_err_set(err, MC_ECONFLICT, 409, "version_mismatch",
                        "expect_version", "procedure %.24s is at version "
                        "%d", cur.code, cur.version);
    }
    if (u->at == 0) {
        u->at = mc_now();
    }
    if (rc != MC_OK || (rc = check_at(&cur, u->at, err)) != MC_OK ||
        (rc = update_build(u, &cur, &n, &a, err)) != MC_OK ||
        (rc = mc_catalog_validate(&n, err)) != MC_OK) {
        goto out;
    }
    same = mc_catalog_same_content(&cur, &n);
    if (same < 0) {
        rc = oom(err);
        goto out;
    }
    if (!same) {
        rc = store_version(db, &n, &cur, u->at, err);
        if (rc == MC_OK) {
            rc = audit_version(db, u->actor, "catalog.update", "admin", &n,
                               &cur, err);
        }
    }
    if (rc == MC_OK) {
        u->changed = !same;
        u->new_id = same ? cur.id : n.id;
        u->new_version = same ? cur.version : n.version;
    }
out:
    mc_arena_release(&a);
    return rc;
}
