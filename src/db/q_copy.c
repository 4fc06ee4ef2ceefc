/*
 * q_copy.c - whole-database copy (q_copy.h).
 *
 * The table list, columns and foreign keys come from dst's catalog
 * (PostgreSQL), so new migrations need no change here. Values travel as
 * text and the server converts them to the column types.
 */
#include "db/q_copy.h"

#include <stdio.h>
#include <string.h>

#include "db/backend.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/log.h"

#define MAX_TABLES 256
#define NAME_MAX_LEN 64

struct tables {
    char name[MAX_TABLES][NAME_MAX_LEN];
    int n;
    /* dep[i][j]: table i references table j */
    unsigned char dep[MAX_TABLES][MAX_TABLES];
    int order[MAX_TABLES];
};

static int
find(const struct tables *t, const char *name)
{
    for (int i = 0; i < t->n; i++) {
        if (strcmp(t->name[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

static int
load_tables(struct mc_db *dst, struct tables *t, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(dst,
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() AND "
                    "table_type = 'BASE TABLE' AND "
                    "table_name <> 'schema_version' ORDER BY table_name",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW && t->n < MAX_TABLES) {
        snprintf(t->name[t->n++], NAME_MAX_LEN, "%s", mc_stmt_text(st, 0));
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    st = mc_db_prep(dst,
                    "SELECT cl.relname, rf.relname FROM pg_constraint c "
                    "JOIN pg_class cl ON cl.oid = c.conrelid "
                    "JOIN pg_class rf ON rf.oid = c.confrelid "
                    "WHERE c.contype = 'f' AND "
                    "c.connamespace = current_schema()::regnamespace",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        int a = find(t, mc_stmt_text(st, 0)), b = find(t, mc_stmt_text(st, 1));

        if (a >= 0 && b >= 0 && a != b) {
            t->dep[a][b] = 1;
        }
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    /* topological order: referenced tables first */
    {
        unsigned char done[MAX_TABLES] = {0};
        int k = 0;

        while (k < t->n) {
            int progress = 0;

            for (int i = 0; i < t->n; i++) {
                int ready = !done[i];

                for (int j = 0; ready && j < t->n; j++) {
                    if (t->dep[i][j] && !done[j]) {
                        ready = 0;
                    }
                }
                if (ready) {
                    done[i] = 1;
                    t->order[k++] = i;
                    progress = 1;
                }
            }
            if (!progress) {
                return mc_err_set(err, MC_EINVAL, 400, "fk_cycle", NULL,
                                  "the foreign keys form a cycle");
            }
        }
    }
    return MC_OK;
}

/* Column list of table (dst catalog) as "a", "b", ... and its count. */
static int
columns(struct mc_db *dst, const char *table, struct mc_buf *cols, int *n,
        struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    *n = 0;
    st = mc_db_prep(dst,
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND "
                    "table_name = ? ORDER BY ordinal_position",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "t", table);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        if (mc_buf_printf(cols, "%s\"%s\"", *n ? ", " : "",
                          mc_stmt_text(st, 0)) != MC_OK) {
            rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                            "out of memory");
            break;
        }
        (*n)++;
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

static int
copy_table(struct mc_db *src, struct mc_db *dst, const char *table,
           int64_t *rows, struct mc_err *err)
{
    struct mc_buf cols, sel, ins;
    struct mc_stmt *from = NULL, *to;
    int n = 0, rc;

    mc_buf_init(&cols, 64 * 1024);
    mc_buf_init(&sel, 128 * 1024);
    mc_buf_init(&ins, 128 * 1024);
    rc = columns(dst, table, &cols, &n, err);
    if (rc != MC_OK || n == 0) {
        goto out;
    }
    if (mc_buf_printf(&sel, "SELECT %.*s FROM \"%s\" ORDER BY 1",
                      (int)cols.len, cols.data, table) != MC_OK ||
        mc_buf_printf(&ins, "INSERT INTO \"%s\" (%.*s) VALUES (?", table,
                      (int)cols.len, cols.data) != MC_OK) {
        rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                        "out of memory");
        goto out;
    }
    for (int i = 1; i < n; i++) {
        if (mc_buf_adds(&ins, ", ?") != MC_OK) {
            rc = MC_ENOMEM;
        }
    }
    if (rc != MC_OK || mc_buf_adds(&ins, ")") != MC_OK ||
        mc_buf_addc(&sel, '\0') != MC_OK ||
        mc_buf_addc(&ins, '\0') != MC_OK) {
        rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                        "out of memory");
        goto out;
    }
    from = mc_db_prep(src, sel.data, err);
    if (from == NULL) {
        rc = MC_EDB;
        goto out;
    }
    while ((rc = mc_stmt_step(from, err)) == MC_DB_ROW) {
        to = mc_db_prep(dst, ins.data, err);
        if (to == NULL) {
            rc = MC_EDB;
            break;
        }
        for (int i = 0; i < n; i++) {
            mc_stmt_bind_text(to, i + 1, mc_stmt_text(from, i));
        }
        rc = mc_stmt_step(to, err);
        mc_stmt_done(to);
        if (rc < 0) {
            mc_log_error("migrate: copying %s failed", table);
            break;
        }
        (*rows)++;
    }
    rc = rc < 0 ? rc : MC_OK;
out:
    mc_stmt_done(from);
    mc_buf_release(&cols);
    mc_buf_release(&sel);
    mc_buf_release(&ins);
    return rc;
}

static int
check_preconditions(struct mc_db *src, struct mc_db *dst,
                    struct mc_err *err)
{
    static const char *const must_be_empty[] = {"audit", "units",
                                                "dossiers"};
    const char *q = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    int64_t vs = 0, vd = 0, n = 0;
    int rc;

    if (mc_db_kind(dst) != MC_DB_PG) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_target", "to",
                          "the target must be a PostgreSQL database");
    }
    if ((rc = mc_db_i64(src, &vs, err, q, "")) != MC_OK ||
        (rc = mc_db_i64(dst, &vd, err, q, "")) != MC_OK) {
        return rc;
    }
    if (vs != vd) {
        return mc_err_set(err, MC_EINVAL, 400, "schema_mismatch", NULL,
                          "schema versions differ: source %lld, target %lld",
                          (long long)vs, (long long)vd);
    }
    for (size_t i = 0; i < sizeof(must_be_empty) / sizeof(*must_be_empty);
         i++) {
        char sql[96];

        snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s",
                 must_be_empty[i]);
        rc = mc_db_i64(dst, &n, err, sql, "");
        if (rc != MC_OK) {
            return rc;
        }
        if (n != 0) {
            return mc_err_set(err, MC_EINVAL, 400, "target_not_empty", "to",
                              "the target already holds data (%s has "
                              "%lld rows)",
                              must_be_empty[i], (long long)n);
        }
    }
    return MC_OK;
}

int
mc_q_copy_all(struct mc_db *src, struct mc_db *dst, int64_t *rows,
              struct mc_err *err)
{
    struct tables *t = mc_calloc(1, sizeof(*t));
    int rc;

    *rows = 0;
    if (t == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    rc = check_preconditions(src, dst, err);
    if (rc == MC_OK) {
        rc = load_tables(dst, t, err);
    }
    if (rc == MC_OK) {
        rc = mc_db_begin(dst, err);
    }
    if (rc != MC_OK) {
        goto out;
    }
    /* rows seeded by migrations are replaced by the source's */
    for (int k = t->n - 1; k >= 0 && rc == MC_OK; k--) {
        char sql[NAME_MAX_LEN + 32];

        snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"",
                 t->name[t->order[k]]);
        rc = mc_db_exec(dst, sql, err);
    }
    for (int k = 0; k < t->n && rc == MC_OK; k++) {
        rc = copy_table(src, dst, t->name[t->order[k]], rows, err);
    }
    if (rc == MC_OK) {
        rc = mc_db_exec(dst, mc_pg_bump_identities_sql, err);
    }
    if (rc == MC_OK) {
        rc = mc_db_commit(dst, err);
    } else {
        mc_db_rollback(dst);
    }
out:
    mc_free(t);
    return rc;
}
