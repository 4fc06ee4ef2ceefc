/*
 * q_units.c - SQL of organisation units (q_units.h).
 */
#include "db/q_units.h"
#include "db/q_memo.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

#define COLS                                                                  \
    "id, parent_id, code, gso_code, name, kind, path, depth, valid_from, "    \
    "valid_to, created_at"

static void
copy_text(char *dst, size_t dstsz, const char *src)
{
    snprintf(dst, dstsz, "%s", src != NULL ? src : "");
}

static int64_t
col_i64z(struct mc_stmt *st, int col)
{
    return mc_stmt_isnull(st, col) ? 0 : mc_stmt_i64(st, col);
}

static void
read_row(struct mc_stmt *st, struct mc_unit *u)
{
    memset(u, 0, sizeof(*u));
    u->id = mc_stmt_i64(st, 0);
    u->parent_id = col_i64z(st, 1);
    copy_text(u->code, sizeof(u->code), mc_stmt_text(st, 2));
    copy_text(u->gso_code, sizeof(u->gso_code), mc_stmt_text(st, 3));
    copy_text(u->name, sizeof(u->name), mc_stmt_text(st, 4));
    copy_text(u->kind, sizeof(u->kind), mc_stmt_text(st, 5));
    copy_text(u->path, sizeof(u->path), mc_stmt_text(st, 6));
    u->depth = (int)mc_stmt_i64(st, 7);
    u->valid_from = col_i64z(st, 8);
    u->valid_to = col_i64z(st, 9);
    u->created_at = mc_stmt_i64(st, 10);
}

int
mc_q_unit_insert(struct mc_db *db, const struct mc_unit *u,
                 const char *search_key, int64_t *id, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "INSERT INTO units(parent_id, code, gso_code, name, "
                    "kind, path, depth, valid_from, valid_to, search_key, "
                    "created_at) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?) "
                    "RETURNING id",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "zttttIzzti", u->parent_id, u->code,
                  u->gso_code[0] != '\0' ? u->gso_code : NULL, u->name,
                  u->kind, u->depth, u->valid_from, u->valid_to, search_key,
                  u->created_at);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *id = mc_stmt_i64(st, 0);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_EDB, 500, "database_error", NULL,
                        "insert returned no id");
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_unit_set_path(struct mc_db *db, int64_t id, const char *path,
                   struct mc_err *err)
{
    return mc_db_run(db, err, "UPDATE units SET path = ? WHERE id = ?",
                     "ti", path, id);
}

static int
get_one(struct mc_db *db, const char *sql, int64_t id, const char *code,
        struct mc_unit *out, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(db, sql, err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    if (code != NULL) {
        mc_stmt_bind_text(st, 1, code);
    } else {
        mc_stmt_bind_i64(st, 1, id);
    }
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        read_row(st, out);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_unit_get(struct mc_db *db, int64_t id, struct mc_unit *out,
              struct mc_err *err)
{
    /* the fast load's units do not change: read once (q_memo.h) */
    const struct mc_unit *m = mc_q_memo_row(db, MC_Q_MEMO_UNIT, id, NULL);
    int rc;

    if (m != NULL) {
        *out = *m;
        return MC_OK;
    }
    rc = get_one(db, "SELECT " COLS " FROM units WHERE id = ?", id, NULL,
                 out, err);
    if (rc == MC_OK) {
        (void)mc_q_memo_row_put(db, MC_Q_MEMO_UNIT, id, NULL, out,
                                sizeof(*out));
    }
    return rc;
}

int
mc_q_unit_by_code(struct mc_db *db, const char *code, struct mc_unit *out,
                  struct mc_err *err)
{
    return get_one(db, "SELECT " COLS " FROM units WHERE code = ?", 0, code,
                   out, err);
}

/* Step a bound statement to the end, collecting rows into the arena. */
static int
collect(struct mc_stmt *st, struct mc_arena *a, struct mc_unit **out,
        size_t *n, struct mc_err *err)
{
    struct mc_buf b;
    int rc;

    *out = NULL;
    *n = 0;
    mc_buf_init(&b, (size_t)MC_UNITS_LIST_MAX * sizeof(struct mc_unit));
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_unit u;

        read_row(st, &u);
        rc = mc_buf_add(&b, &u, sizeof(u));
        if (rc != MC_OK) {
            rc = rc == MC_ETOOBIG
                     ? mc_err_set(err, rc, 413, "too_many_rows", NULL,
                                  "more than %d units", MC_UNITS_LIST_MAX)
                     : mc_err_set(err, rc, 503, "out_of_memory", NULL,
                                  "out of memory");
            goto out;
        }
    }
    if (rc != MC_DB_DONE) {
        goto out;
    }
    rc = MC_OK;
    if (b.len > 0) {
        *out = mc_arena_alloc(a, b.len);
        if (*out == NULL) {
            rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                            "out of memory");
            goto out;
        }
        memcpy(*out, b.data, b.len);
        *n = b.len / sizeof(struct mc_unit);
    }
out:
    mc_stmt_done(st);
    mc_buf_release(&b);
    return rc;
}

int
mc_q_unit_children(struct mc_db *db, int64_t parent_id, struct mc_arena *a,
                   struct mc_unit **out, size_t *n, struct mc_err *err)
{
    struct mc_stmt *st;

    if (parent_id == 0) {
        st = mc_db_prep(db, "SELECT " COLS " FROM units WHERE parent_id IS "
                            "NULL ORDER BY search_key, id",
                        err);
    } else {
        st = mc_db_prep(db, "SELECT " COLS " FROM units WHERE parent_id = ? "
                            "ORDER BY search_key, id",
                        err);
    }
    if (st == NULL) {
        return MC_EDB;
    }
    if (parent_id != 0) {
        mc_stmt_bind_i64(st, 1, parent_id);
    }
    return collect(st, a, out, n, err);
}

int
mc_q_unit_subtree(struct mc_db *db, const char *path, struct mc_arena *a,
                  struct mc_unit **out, size_t *n, struct mc_err *err)
{
    char pattern[MC_UNIT_PATH_LEN + 2];
    struct mc_stmt *st;

    /* Paths hold only digits and '/', so no LIKE escaping is needed. */
    snprintf(pattern, sizeof(pattern), "%s%%", path);
    st = mc_db_prep(db, "SELECT " COLS " FROM units WHERE path LIKE ? "
                        "ORDER BY path",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bind_text(st, 1, pattern);
    return collect(st, a, out, n, err);
}

int
mc_q_unit_search(struct mc_db *db, const char *pattern, int64_t now,
                 int limit, struct mc_arena *a, struct mc_unit **out,
                 size_t *n, struct mc_err *err)
{
    struct mc_stmt *st;

    st = mc_db_prep(db,
                    "SELECT " COLS " FROM units WHERE search_key LIKE ? "
                    "ESCAPE '\\' AND (? = 0 OR ((valid_from IS NULL OR "
                    "valid_from <= ?) AND (valid_to IS NULL OR "
                    "valid_to > ?))) ORDER BY search_key, id LIMIT ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "tiiiI", pattern, now, now, now, limit);
    return collect(st, a, out, n, err);
}

int
mc_q_unit_count(struct mc_db *db, const char *kind, int64_t *count,
                struct mc_err *err)
{
    if (kind == NULL) {
        return mc_db_i64(db, count, err, "SELECT COUNT(*) FROM units", "");
    }
    return mc_db_i64(db, count, err,
                     "SELECT COUNT(*) FROM units WHERE kind = ?", "t", kind);
}
