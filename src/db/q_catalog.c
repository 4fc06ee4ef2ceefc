/*
 * q_catalog.c - SQL of the procedure catalog (see q_catalog.h).
 */
#include "db/q_catalog.h"
#include "db/q_memo.h"

#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

#define PROC_COLS                                                          \
    "id, code, version, name, search_key, field, level, limit_value, "    \
    "limit_unit, unit_assumed, incomplete, cutoff_15h, pause_policy, "    \
    "fee_text, fee_amount, online_level, channels, decision_no, "         \
    "competent_agency, implementing_agency, source, portal_url, "         \
    "limit_by_channel, fee_by_channel, src_limit_value, src_limit_unit, " \
    "notes, effective_from, effective_to, active, created_at"

static int
oom(struct mc_err *err)
{
    return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                      "out of memory");
}

/* Arena copy of text column col; NULL stays NULL. *bad set on OOM. */
static const char *
col_str(struct mc_stmt *st, int col, struct mc_arena *a, int *bad)
{
    const char *s = mc_stmt_text(st, col);
    char *r;

    if (s == NULL || mc_stmt_isnull(st, col)) {
        return NULL;
    }
    r = mc_arena_strdup(a, s);
    if (r == NULL) {
        *bad = 1;
    }
    return r;
}

static int
read_proc(struct mc_stmt *st, struct mc_arena *a, struct mc_procedure *p,
          struct mc_err *err)
{
    int bad = 0;

    memset(p, 0, sizeof(*p));
    p->id = mc_stmt_i64(st, 0);
    p->code = col_str(st, 1, a, &bad);
    p->version = (int)mc_stmt_i64(st, 2);
    p->name = col_str(st, 3, a, &bad);
    p->search_key = col_str(st, 4, a, &bad);
    p->field = col_str(st, 5, a, &bad);
    p->level = col_str(st, 6, a, &bad);
    p->limit_value = mc_stmt_isnull(st, 7) ? 0 : mc_stmt_i64(st, 7);
    p->limit_unit = col_str(st, 8, a, &bad);
    p->unit_assumed = (int)mc_stmt_i64(st, 9);
    p->incomplete = (int)mc_stmt_i64(st, 10);
    p->cutoff_15h = (int)mc_stmt_i64(st, 11);
    p->pause_policy = col_str(st, 12, a, &bad);
    p->fee_text = col_str(st, 13, a, &bad);
    p->fee_amount = mc_stmt_isnull(st, 14) ? -1 : mc_stmt_i64(st, 14);
    p->online_level = col_str(st, 15, a, &bad);
    p->channels = col_str(st, 16, a, &bad);
    p->decision_no = col_str(st, 17, a, &bad);
    p->competent_agency = col_str(st, 18, a, &bad);
    p->implementing_agency = col_str(st, 19, a, &bad);
    p->source = col_str(st, 20, a, &bad);
    p->portal_url = col_str(st, 21, a, &bad);
    p->limit_by_channel = col_str(st, 22, a, &bad);
    p->fee_by_channel = col_str(st, 23, a, &bad);
    p->src_limit_value = col_str(st, 24, a, &bad);
    p->src_limit_unit = col_str(st, 25, a, &bad);
    p->notes = col_str(st, 26, a, &bad);
    p->effective_from = mc_stmt_i64(st, 27);
    p->effective_to = mc_stmt_isnull(st, 28) ? 0 : mc_stmt_i64(st, 28);
    p->active = (int)mc_stmt_i64(st, 29);
    p->created_at = mc_stmt_i64(st, 30);
    return bad ? oom(err) : MC_OK;
}

/* Run a prepared single-row procedure query. */
static int
one_proc(struct mc_stmt *st, struct mc_arena *a, struct mc_procedure *out,
         struct mc_err *err)
{
    int rc = mc_stmt_step(st, err);

    if (rc == MC_DB_ROW) {
        rc = read_proc(st, a, out, err);
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "procedure_not_found",
                        NULL, "no such procedure");
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_proc_by_id(struct mc_db *db, int64_t id, struct mc_arena *a,
                struct mc_procedure *out, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db, "SELECT " PROC_COLS " FROM procedures WHERE id = ?", err);

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", id);
    return one_proc(st, a, out, err);
}

int
mc_q_proc_latest(struct mc_db *db, const char *code, struct mc_arena *a,
                 struct mc_procedure *out, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT " PROC_COLS " FROM procedures"
        " WHERE code = ? AND effective_to IS NULL",
        err);

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "t", code);
    return one_proc(st, a, out, err);
}

/* The memo's copy of version id (see mc_q_proc_version), or NULL. */
static const struct mc_procedure *proc_memo_find(struct mc_db *db,
                                                 int64_t id);
static int copy_detail(struct mc_procedure *dst,
                       const struct mc_procedure *src, struct mc_arena *a,
                       struct mc_err *err);

/* The versions of a code, newest first (the fast load's memo). */
struct versions {
    size_t n;
    struct {
        int64_t id, from, to;
        int from_null, to_null, active;
    } v[];
};

/*
 * The version of code in force at `at` (id, effective_to, active), as the
 * SQL of mc_q_proc_in_force picks it, from the versions of the code
 * memoised during the fast load (read once: a load changes no procedure).
 * Outside the fast load *used = 0 and nothing is done.
 */
static int
in_force_memo(struct mc_db *db, const char *code, int64_t at, int64_t *id,
              int64_t *to, int64_t *active, int *used, struct mc_err *err)
{
    const struct versions *m;
    struct versions *tmp = NULL;
    int rc = MC_OK;

    *used = mc_db_rows(db) != NULL;
    if (!*used) {
        return MC_OK;
    }
    m = mc_q_memo_row(db, MC_Q_MEMO_VERSIONS, 0, code);
    if (m == NULL) {
        struct mc_stmt *st = mc_db_prep(
            db,
            "SELECT COUNT(*) OVER (), id, effective_from, effective_to, "
            "active FROM procedures WHERE code = ? ORDER BY version DESC",
            err);
        size_t i = 0, size = sizeof(*tmp);

        if (st == NULL) {
            return MC_EDB;
        }
        mc_stmt_bindv(st, "t", code);
        while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
            if (tmp == NULL) {
                size_t cnt = (size_t)mc_stmt_i64(st, 0);
                size = sizeof(*tmp) + cnt * sizeof(tmp->v[0]);
                if ((tmp = mc_calloc(1, size)) == NULL) {
                    break;
                }
                tmp->n = cnt;
            }
            if (i < tmp->n) {
                tmp->v[i].id = mc_stmt_i64(st, 1);
                tmp->v[i].from_null = mc_stmt_isnull(st, 2);
                tmp->v[i].from = mc_stmt_i64(st, 2);
                tmp->v[i].to_null = mc_stmt_isnull(st, 3);
                tmp->v[i].to = mc_stmt_i64(st, 3);
                tmp->v[i].active = (int)mc_stmt_i64(st, 4);
                i++;
            }
        }
        mc_stmt_done(st);
        if (rc < 0) {
            mc_free(tmp);
            return rc;
        }
        if (tmp == NULL && rc == MC_DB_ROW) {
            return oom(err);
        }
        if (tmp == NULL) {
            size = sizeof(*tmp);
            if ((tmp = mc_calloc(1, size)) == NULL) {
                return oom(err);
            }
        }
        tmp->n = i;
        (void)mc_q_memo_row_put(db, MC_Q_MEMO_VERSIONS, 0, code, tmp, size);
        m = tmp; /* this answer stands even if it was not memoised */
    }
    rc = mc_err_set(err, MC_ENOTFOUND, 404, "procedure_not_found", NULL,
                    "no such procedure");
    for (size_t i = 0; i < m->n; i++) {
        if (!m->v[i].from_null && m->v[i].from <= at &&
            (m->v[i].to_null || m->v[i].to > at)) {
            *id = m->v[i].id;
            *to = m->v[i].to;
            *active = m->v[i].active;
            rc = MC_OK;
            break;
        }
    }
    mc_free(tmp);
    return rc;
}

int
mc_q_proc_in_force(struct mc_db *db, const char *code, int64_t at,
                   struct mc_arena *a, struct mc_procedure *out,
                   struct mc_err *err)
{
    const struct mc_procedure *m;
    int64_t id = 0, to = 0, active = 0;
    int used, rc = in_force_memo(db, code, at, &id, &to, &active, &used, err);
    struct mc_stmt *st;

    if (used && rc != MC_OK) {
        return rc;
    }
    if (used) {
        goto found;
    }
    st = mc_db_prep(
        db,
        /* "+effective_from": walk UNIQUE (code, version) backwards and
         * stop at the first version in force; the (code, effective_from)
         * index would need a temporary B-tree to sort by version. */
        "SELECT id, effective_to, active FROM procedures"
        " WHERE code = ? AND +effective_from <= ?"
        " AND (effective_to IS NULL OR effective_to > ?)"
        " ORDER BY version DESC LIMIT 1",
        err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "tii", code, at, at);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "procedure_not_found", NULL,
                        "no such procedure");
    }
    id = mc_stmt_i64(st, 0);
    to = mc_stmt_i64(st, 1);
    active = mc_stmt_i64(st, 2);
    mc_stmt_done(st);
    if (rc != MC_DB_ROW) {
        return rc;
    }
found:
    /* A stored version never changes but for effective_to and active:
     * the memo's copy, without its components and steps, is the row. */
    m = proc_memo_find(db, id);
    if (m == NULL) {
        return mc_q_proc_by_id(db, id, a, out, err);
    }
    rc = copy_detail(out, m, a, err);
    out->effective_to = to;
    out->active = (int)active;
    out->components = NULL;
    out->ncomponents = 0;
    out->steps = NULL;
    out->nsteps = 0;
    return rc;
}

/*
 * The details are read by one query each, whose first column is the row
 * count (COUNT(*) OVER ()) for sizing the array: a lifecycle action loads
 * them inside the single writer, where each query is a round trip to
 * PostgreSQL.
 */

static int
load_components(struct mc_db *db, struct mc_procedure *p,
                struct mc_arena *a, struct mc_err *err)
{
    struct mc_stmt *st;
    int64_t cnt = 0;
    size_t i = 0;
    int rc, bad = 0;

    p->components = NULL;
    p->ncomponents = 0;
    st = mc_db_prep(db,
                    "SELECT COUNT(*) OVER (), id, seq, source_seq, section,"
                    " name, kind, qty_original, qty_copy, quantity_text,"
                    " mandatory, form_file FROM procedure_components"
                    " WHERE procedure_id = ? ORDER BY seq",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", p->id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_component *c;

        if (p->components == NULL) {
            cnt = mc_stmt_i64(st, 0);
            p->components = cnt > 0 ? mc_arena_zalloc(
                                          a, (size_t)cnt * sizeof(*c))
                                    : NULL;
            if (p->components == NULL) {
                mc_stmt_done(st);
                return oom(err);
            }
        }
        if (i == (size_t)cnt) {
            break;
        }
        c = &p->components[i++];
        c->id = mc_stmt_i64(st, 1);
        c->seq = (int)mc_stmt_i64(st, 2);
        c->source_seq = mc_stmt_isnull(st, 3) ? 0 : (int)mc_stmt_i64(st, 3);
        c->section = col_str(st, 4, a, &bad);
        c->name = col_str(st, 5, a, &bad);
        c->kind = col_str(st, 6, a, &bad);
        c->qty_original = (int)mc_stmt_i64(st, 7);
        c->qty_copy = (int)mc_stmt_i64(st, 8);
        c->quantity_text = col_str(st, 9, a, &bad);
        c->mandatory = (int)mc_stmt_i64(st, 10);
        c->form_file = col_str(st, 11, a, &bad);
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    p->ncomponents = i;
    return bad ? oom(err) : MC_OK;
}

static int
load_steps(struct mc_db *db, struct mc_procedure *p, struct mc_arena *a,
           struct mc_err *err)
{
    struct mc_stmt *st;
    int64_t cnt = 0;
    size_t i = 0;
    int rc, bad = 0;

    p->steps = NULL;
    p->nsteps = 0;
    st = mc_db_prep(db,
                    "SELECT COUNT(*) OVER (), id, seq, name, role,"
                    " budget_minutes FROM procedure_steps"
                    " WHERE procedure_id = ? ORDER BY seq",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", p->id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_step *s;

        if (p->steps == NULL) {
            cnt = mc_stmt_i64(st, 0);
            p->steps = cnt > 0 ? mc_arena_zalloc(a, (size_t)cnt * sizeof(*s))
                               : NULL;
            if (p->steps == NULL) {
                mc_stmt_done(st);
                return oom(err);
            }
        }
        if (i == (size_t)cnt) {
            break;
        }
        s = &p->steps[i++];
        s->id = mc_stmt_i64(st, 1);
        s->seq = (int)mc_stmt_i64(st, 2);
        s->name = col_str(st, 3, a, &bad);
        s->role = col_str(st, 4, a, &bad);
        s->budget_minutes = mc_stmt_i64(st, 5);
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    p->nsteps = i;
    return bad ? oom(err) : MC_OK;
}

int
mc_q_proc_load_detail(struct mc_db *db, struct mc_procedure *p,
                      struct mc_arena *a, struct mc_err *err)
{
    int rc = load_components(db, p, a, err);

    return rc == MC_OK ? load_steps(db, p, a, err) : rc;
}

/* ---- memo of procedure versions (mc_q_proc_version) ---- */

#define PROC_MEMO_MAX MC_Q_PROC_MEMO_MAX

static const struct mc_procedure *
proc_memo_find(struct mc_db *db, int64_t id)
{
    struct mc_q_memo *pm = mc_db_memo(db);

    for (size_t i = 0; pm != NULL && i < pm->n; i++) {
        if (pm->p[i].id == id) {
            return &pm->p[i];
        }
    }
    return NULL;
}

/* Duplicate *s into arena a (NULL stays NULL); *bad set on failure. */
static void
dup_into(struct mc_arena *a, const char **s, int *bad)
{
    if (*s != NULL) {
        const char *d = mc_arena_strdup(a, *s);
        *bad |= d == NULL;
        *s = d;
    }
}

/* A deep copy of src into arena a. */
static int
copy_detail(struct mc_procedure *dst, const struct mc_procedure *src,
            struct mc_arena *a, struct mc_err *err)
{
    const char **hs[] = {
        &dst->code, &dst->name, &dst->search_key, &dst->field, &dst->level,
        &dst->limit_unit, &dst->pause_policy, &dst->fee_text,
        &dst->online_level, &dst->channels, &dst->decision_no,
        &dst->competent_agency, &dst->implementing_agency, &dst->source,
        &dst->portal_url, &dst->limit_by_channel, &dst->fee_by_channel,
        &dst->src_limit_value, &dst->src_limit_unit, &dst->notes};
    int bad = 0;

    *dst = *src;
    for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++) {
        dup_into(a, hs[i], &bad);
    }
    if (src->ncomponents > 0) {
        dst->components =
            mc_arena_alloc(a, src->ncomponents * sizeof(*src->components));
        if (dst->components == NULL) {
            return oom(err);
        }
        for (size_t i = 0; i < src->ncomponents; i++) {
            struct mc_component *c = &dst->components[i];
            *c = src->components[i];
            dup_into(a, &c->section, &bad);
            dup_into(a, &c->name, &bad);
            dup_into(a, &c->kind, &bad);
            dup_into(a, &c->quantity_text, &bad);
            dup_into(a, &c->form_file, &bad);
        }
    }
    if (src->nsteps > 0) {
        dst->steps = mc_arena_alloc(a, src->nsteps * sizeof(*src->steps));
        if (dst->steps == NULL) {
            return oom(err);
        }
        for (size_t i = 0; i < src->nsteps; i++) {
            dst->steps[i] = src->steps[i];
            dup_into(a, &dst->steps[i].name, &bad);
            dup_into(a, &dst->steps[i].role, &bad);
        }
    }
    return bad ? oom(err) : MC_OK;
}

int
mc_q_proc_version(struct mc_db *db, int64_t id, struct mc_arena *a,
                  const struct mc_procedure **out, struct mc_err *err)
{
    struct mc_q_memo *pm = mc_q_memo(db);
    struct mc_procedure *slot;
    int rc;

    *out = NULL;
    if (pm != NULL) {
        for (size_t i = 0; i < pm->n; i++) {
            if (pm->p[i].id == id) {
                *out = &pm->p[i]; /* borrowed: no copy per transition */
                return MC_OK;
            }
        }
    }
    if (pm == NULL || pm->n == PROC_MEMO_MAX) {
        slot = mc_arena_zalloc(a, sizeof(*slot));
        if (slot == NULL) {
            return oom(err);
        }
        rc = mc_q_proc_by_id(db, id, a, slot, err);
        if (rc == MC_OK) {
            rc = mc_q_proc_load_detail(db, slot, a, err);
        }
        *out = rc == MC_OK ? slot : NULL;
        return rc;
    }
    slot = &pm->p[pm->n];
    rc = mc_q_proc_by_id(db, id, &pm->a, slot, err);
    if (rc == MC_OK) {
        rc = mc_q_proc_load_detail(db, slot, &pm->a, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    pm->n++;
    *out = slot;
    return MC_OK;
}

/* Append " AND search_key LIKE ?" terms etc.; returns the bind count. */
static int
build_where(struct mc_buf *b, const struct mc_q_proc_filter *f)
{
    int rc = mc_buf_adds(b, " FROM procedures WHERE effective_to IS NULL");

    if (rc == MC_OK && (f->nwords > 0 || f->code_prefix != NULL)) {
        rc = mc_buf_adds(b, " AND ((1 = 1");
        for (int i = 0; rc == MC_OK && i < f->nwords; i++) {
            rc = mc_buf_adds(b, " AND search_key LIKE ? ESCAPE '\\'");
        }
        if (rc == MC_OK) {
            rc = mc_buf_adds(b, f->nwords > 0 ? ")" : " AND 1 = 0)");
        }
        if (rc == MC_OK && f->code_prefix != NULL) {
            rc = mc_buf_adds(b, " OR code LIKE ? ESCAPE '\\'");
        }
        if (rc == MC_OK) {
            rc = mc_buf_adds(b, ")");
        }
    }
    if (rc == MC_OK && f->field != NULL) {
        rc = mc_buf_adds(b, " AND field = ?");
    }
    if (rc == MC_OK && f->want_incomplete && f->want_unit_assumed) {
        rc = mc_buf_adds(b, " AND (incomplete = 1 OR unit_assumed = 1)");
    } else if (rc == MC_OK && f->want_incomplete) {
        rc = mc_buf_adds(b, " AND incomplete = 1");
    } else if (rc == MC_OK && f->want_unit_assumed) {
        rc = mc_buf_adds(b, " AND unit_assumed = 1");
    }
    return rc;
}

/* LIKE pattern: '%' (if infix) + s with % _ \ escaped + '%'. */
static char *
like_pattern(struct mc_arena *a, const char *s, int infix)
{
    size_t n = strlen(s);
    char *r = mc_arena_alloc(a, 2 * n + 3), *w;

    if (r == NULL) {
        return NULL;
    }
    w = r;
    if (infix) {
        *w++ = '%';
    }
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') {
            *w++ = '\\';
        }
        *w++ = *s;
    }
    *w++ = '%';
    *w = '\0';
    return r;
}

static int
bind_filter(struct mc_stmt *st, const struct mc_q_proc_filter *f,
            struct mc_arena *a)
{
    int idx = 1;

    for (int i = 0; i < f->nwords; i++) {
        char *pat = like_pattern(a, f->words[i], 1);
        if (pat == NULL) {
            return MC_ENOMEM;
        }
        mc_stmt_bind_text(st, idx++, pat);
    }
    if (f->code_prefix != NULL) {
        char *pat = like_pattern(a, f->code_prefix, 0);
        if (pat == NULL) {
            return MC_ENOMEM;
        }
        mc_stmt_bind_text(st, idx++, pat);
    }
    if (f->field != NULL) {
        mc_stmt_bind_text(st, idx++, f->field);
    }
    return idx;
}

int
mc_q_proc_search(struct mc_db *db, const struct mc_q_proc_filter *f,
                 struct mc_arena *a, struct mc_procedure **out, size_t *n,
                 int64_t *total, struct mc_err *err)
{
    struct mc_buf where, sql;
    struct mc_stmt *st = NULL;
    size_t i = 0;
    int rc, idx;

    *out = NULL;
    *n = 0;
    *total = 0;
    mc_buf_init(&where, 4096);
    mc_buf_init(&sql, 8192);
    if (f->nwords > MC_Q_MAX_WORDS || f->limit <= 0 || f->offset < 0) {
        rc = mc_err_set(err, MC_EINVAL, 400, "bad_filter", NULL,
                        "bad search filter");
        goto out;
    }
    if (build_where(&where, f) != MC_OK ||
        mc_buf_printf(&sql, "SELECT COUNT(*)%s", where.data) != MC_OK) {
        rc = oom(err);
        goto out;
    }
    st = mc_db_prep(db, sql.data, err);
    if (st == NULL) {
        rc = MC_EDB;
        goto out;
    }
    if (bind_filter(st, f, a) < 0) {
        rc = oom(err);
        goto out;
    }
    rc = mc_stmt_step(st, err);
    if (rc != MC_DB_ROW) {
        rc = rc < 0 ? rc : MC_EDB;
        goto out;
    }
    *total = mc_stmt_i64(st, 0);
    mc_stmt_done(st);
    st = NULL;
    if (*total <= f->offset) {
        rc = MC_OK;
        goto out;
    }
    *out = mc_arena_zalloc(a, (size_t)f->limit * sizeof(**out));
    mc_buf_reset(&sql);
    if (*out == NULL ||
        mc_buf_printf(&sql,
                      "SELECT " PROC_COLS "%s ORDER BY code"
                      " LIMIT ? OFFSET ?",
                      where.data) != MC_OK) {
        rc = oom(err);
        goto out;
    }
    st = mc_db_prep(db, sql.data, err);
    if (st == NULL) {
        rc = MC_EDB;
        goto out;
    }
    idx = bind_filter(st, f, a);
    if (idx < 0) {
        rc = oom(err);
        goto out;
    }
    mc_stmt_bind_i64(st, idx, f->limit);
    mc_stmt_bind_i64(st, idx + 1, f->offset);
    while (i < (size_t)f->limit && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        rc = read_proc(st, a, &(*out)[i], err);
        if (rc != MC_OK) {
            goto out;
        }
        i++;
    }
    rc = rc < 0 ? rc : MC_OK;
    *n = i;
out:
    mc_stmt_done(st);
    mc_buf_release(&where);
    mc_buf_release(&sql);
    return rc;
}

static int
insert_components(struct mc_db *db, struct mc_procedure *p,
                  struct mc_err *err)
{
    for (size_t i = 0; i < p->ncomponents; i++) {
        struct mc_component *c = &p->components[i];
        struct mc_stmt *st = mc_db_prep(
            db,
            "INSERT INTO procedure_components(procedure_id, seq,"
            " source_seq, section, name, kind, qty_original, qty_copy,"
            " quantity_text, mandatory, form_file)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            err);
        int rc;

        if (st == NULL) {
            return MC_EDB;
        }
        mc_stmt_bindv(st, "iIztttIItIt", p->id, c->seq,
                      (int64_t)c->source_seq, c->section, c->name, c->kind,
                      c->qty_original, c->qty_copy, c->quantity_text,
                      c->mandatory, c->form_file);
        rc = mc_stmt_step(st, err);
        if (rc == MC_DB_ROW) {
            c->id = mc_stmt_i64(st, 0);
        }
        mc_stmt_done(st);
        if (rc != MC_DB_ROW) {
            return rc < 0 ? rc : MC_EDB;
        }
    }
    return MC_OK;
}

static int
insert_steps(struct mc_db *db, struct mc_procedure *p, struct mc_err *err)
{
    for (size_t i = 0; i < p->nsteps; i++) {
        struct mc_step *s = &p->steps[i];
        struct mc_stmt *st = mc_db_prep(
            db,
            "INSERT INTO procedure_steps(procedure_id, seq, name, role,"
            " budget_minutes) VALUES (?, ?, ?, ?, ?) RETURNING id",
            err);
        int rc;

        if (st == NULL) {
            return MC_EDB;
        }
        mc_stmt_bindv(st, "iItti", p->id, s->seq, s->name, s->role,
                      s->budget_minutes);
        rc = mc_stmt_step(st, err);
        if (rc == MC_DB_ROW) {
            s->id = mc_stmt_i64(st, 0);
        }
        mc_stmt_done(st);
        if (rc != MC_DB_ROW) {
            return rc < 0 ? rc : MC_EDB;
        }
    }
    return MC_OK;
}

int
mc_q_proc_insert(struct mc_db *db, struct mc_procedure *p,
                 struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "INSERT INTO procedures(code, version, name, search_key, field,"
        " level, limit_value, limit_unit, unit_assumed, incomplete,"
        " cutoff_15h, pause_policy, fee_text, fee_amount, online_level,"
        " channels, decision_no, competent_agency, implementing_agency,"
        " source, portal_url, limit_by_channel, fee_by_channel,"
        " src_limit_value, src_limit_unit, notes, effective_from,"
        " effective_to, active, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "tItttt", p->code, p->version, p->name, p->search_key,
                  p->field, p->level);
    if (p->incomplete) {
        mc_stmt_bind_null(st, 7);
    } else {
        mc_stmt_bind_i64(st, 7, p->limit_value);
    }
    mc_stmt_bind_text(st, 8, p->incomplete ? NULL : p->limit_unit);
    mc_stmt_bind_i64(st, 9, p->unit_assumed);
    mc_stmt_bind_i64(st, 10, p->incomplete);
    mc_stmt_bind_i64(st, 11, p->cutoff_15h);
    mc_stmt_bind_text(st, 12, p->pause_policy);
    mc_stmt_bind_text(st, 13, p->fee_text);
    if (p->fee_amount < 0) {
        mc_stmt_bind_null(st, 14);
    } else {
        mc_stmt_bind_i64(st, 14, p->fee_amount);
    }
    mc_stmt_bind_text(st, 15, p->online_level);
    mc_stmt_bind_text(st, 16, p->channels != NULL ? p->channels : "");
    mc_stmt_bind_text(st, 17, p->decision_no);
    mc_stmt_bind_text(st, 18, p->competent_agency);
    mc_stmt_bind_text(st, 19, p->implementing_agency);
    mc_stmt_bind_text(st, 20, p->source);
    mc_stmt_bind_text(st, 21, p->portal_url);
    mc_stmt_bind_text(st, 22, p->limit_by_channel);
    mc_stmt_bind_text(st, 23, p->fee_by_channel);
    mc_stmt_bind_text(st, 24, p->src_limit_value);
    mc_stmt_bind_text(st, 25, p->src_limit_unit);
    mc_stmt_bind_text(st, 26, p->notes);
    mc_stmt_bind_i64(st, 27, p->effective_from);
    if (p->effective_to == 0) {
        mc_stmt_bind_null(st, 28);
    } else {
        mc_stmt_bind_i64(st, 28, p->effective_to);
    }
    mc_stmt_bind_i64(st, 29, p->active);
    mc_stmt_bind_i64(st, 30, p->created_at);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        p->id = mc_stmt_i64(st, 0);
    }
    mc_stmt_done(st);
    if (rc != MC_DB_ROW) {
        return rc < 0 ? rc : MC_EDB;
    }
    rc = insert_components(db, p, err);
    return rc == MC_OK ? insert_steps(db, p, err) : rc;
}

int
mc_q_proc_close(struct mc_db *db, int64_t id, int64_t to,
                struct mc_err *err)
{
    int rc = mc_db_run(db, err,
                       "UPDATE procedures SET effective_to = ?"
                       " WHERE id = ? AND effective_to IS NULL",
                       "ii", to, id);

    if (rc == MC_OK && mc_db_changes(db) != 1) {
        return mc_err_set(err, MC_ECONFLICT, 409, "version_closed", NULL,
                          "the procedure version was changed meanwhile");
    }
    return rc;
}
