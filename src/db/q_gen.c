/*
 * q_gen.c - queries of the history generator (q_gen.h).
 */
#include "db/q_gen.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/mctime.h"

int
mc_q_gen_bulk(struct mc_db *db, int mode, struct mc_err *err)
{
    int rc;

    if (mc_db_kind(db) == MC_DB_PG) {
        return mc_db_exec(db,
                          mode ? "SET synchronous_commit = off"
                               : "SET synchronous_commit = on",
                          err);
    }
    /*
     * The load holds the file alone (locking_mode=EXCLUSIVE, no shared
     * memory locks) and journals in memory: pages go straight to the
     * database file, never through the WAL and a checkpoint copy. A
     * rollback still works; a crash mid-load leaves a damaged file.
     * Afterwards: back to WAL, FULL, and one fsync of the file.
     */
    if (mode != 0) {
        rc = mc_db_exec(db,
                        "PRAGMA synchronous=OFF; "
                        "PRAGMA cache_size=-524288; "
                        "PRAGMA locking_mode=EXCLUSIVE; "
                        "PRAGMA journal_mode=MEMORY",
                        err);
        if (rc == MC_OK && mode == MC_GEN_BULK_UNCHECKED) {
            rc = mc_db_exec(db,
                            "PRAGMA foreign_keys=OFF; "
                            "PRAGMA ignore_check_constraints=ON",
                            err);
        }
        return rc;
    }
    rc = mc_db_exec(db,
                    "PRAGMA foreign_keys=ON; "
                    "PRAGMA ignore_check_constraints=OFF; "
                    "PRAGMA locking_mode=NORMAL; "
                    "PRAGMA journal_mode=WAL; "
                    "PRAGMA synchronous=FULL; "
                    "PRAGMA cache_size=-16384",
                    err);
    return rc == MC_OK ? mc_db_sync(db, err) : rc;
}

/*
 * Read-side indexes of the tables the lifecycle writes, rebuilt in this
 * order, grouped by table: each CREATE INDEX reads its whole table, and
 * at 10 million dossiers the dossiers table (about 10 GB) is read from
 * disk by the first of its indexes and from the page cache by the next
 * ones (2 min 55 s against 33 s for one index, measured).
 */
static const char *const deferred[] = {
    "dossiers_unit_due", "dossiers_recv_unit", "dossiers_applicant",
    "dossiers_assignee", "dossiers_state_due", "dossiers_consult",
    "dossiers_queue_order", "dossiers_open_due", "dossiers_procedure",
    "dossiers_assignee_open",
    "dossier_steps_open", "dossier_steps_finished",
    "dossier_evaluations_unit", "dossier_evaluations_official",
    "dossier_facts_unit", "dossier_facts_official", "eval_rollup_path"};

int
mc_q_gen_index_defer(struct mc_db *db, struct mc_arena *a,
                     struct mc_gen_indexes *ix, struct mc_err *err)
{
    int rc = MC_OK;

    ix->n = 0;
    if (mc_db_kind(db) != MC_DB_SQLITE) {
        return MC_OK;
    }
    for (size_t i = 0; i < sizeof(deferred) / sizeof(deferred[0]); i++) {
        struct mc_stmt *st = mc_db_prep(
            db,
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND "
            "name = ? AND sql IS NOT NULL",
            err);
        const char *sql = NULL;

        if (st == NULL) {
            return MC_EDB;
        }
        mc_stmt_bindv(st, "t", deferred[i]);
        rc = mc_stmt_step(st, err);
        if (rc == MC_DB_ROW) {
            sql = mc_arena_strdup(a, mc_stmt_text(st, 0));
            rc = sql != NULL ? MC_OK : MC_ENOMEM;
        } else if (rc == MC_DB_DONE) {
            rc = MC_OK; /* not in this schema */
        }
        mc_stmt_done(st);
        if (rc == MC_OK && sql != NULL) {
            char drop[96];
            snprintf(drop, sizeof(drop), "DROP INDEX %s", deferred[i]);
            rc = mc_db_exec(db, drop, err);
            if (rc == MC_OK) {
                ix->sql[ix->n++] = sql;
            }
        }
        if (rc != MC_OK) {
            break;
        }
    }
    return rc;
}

int
mc_q_gen_index_restore(struct mc_db *db, const struct mc_gen_indexes *ix,
                       struct mc_err *err)
{
    int rc = MC_OK;

    for (size_t i = 0; rc == MC_OK && i < ix->n; i++) {
        /* "CREATE INDEX name ..." as stored -> IF NOT EXISTS */
        const char *rest = ix->sql[i] + strlen("CREATE INDEX");
        struct mc_buf b;

        if (strncmp(ix->sql[i], "CREATE INDEX ", 13) != 0) {
            rc = mc_db_exec(db, ix->sql[i], err);
            continue;
        }
        mc_buf_init(&b, 4096);
        rc = mc_buf_printf(&b, "CREATE INDEX IF NOT EXISTS%s", rest);
        if (rc == MC_OK) {
            int64_t t0 = mc_now_us();

            rc = mc_db_exec(db, b.data, err);
            mc_log_debug("index rebuilt in %.1f s:%.60s",
                         (double)(mc_now_us() - t0) / 1e6, rest);
        }
        mc_buf_release(&b);
    }
    return rc;
}

static const char *
dup_text(struct mc_arena *a, struct mc_stmt *st, int col)
{
    const char *s = mc_stmt_text(st, col);

    return mc_arena_strdup(a, s ? s : "");
}

int
mc_q_gen_procs(struct mc_db *db, struct mc_arena *a,
               struct mc_gen_proc **out, size_t *n, struct mc_err *err)
{
    struct mc_stmt *st;
    size_t cap = 64;
    int rc;

    *n = 0;
    *out = mc_arena_zalloc(a, cap * sizeof(**out));
    st = mc_db_prep(db,
                    "SELECT code, field, level, incomplete FROM procedures "
                    "WHERE effective_to IS NULL AND active = 1 "
                    "ORDER BY code",
                    err);
    if (st == NULL || *out == NULL) {
        if (st != NULL) {
            mc_stmt_done(st);
        }
        return st == NULL ? MC_EDB : MC_ENOMEM;
    }
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_gen_proc *p;
        if (*n == cap) {
            struct mc_gen_proc *g = mc_arena_zalloc(a, 2 * cap * sizeof(*g));
            if (g == NULL) {
                rc = MC_ENOMEM;
                break;
            }
            memcpy(g, *out, cap * sizeof(*g));
            *out = g;
            cap *= 2;
        }
        p = &(*out)[(*n)++];
        p->code = dup_text(a, st, 0);
        p->field = dup_text(a, st, 1);
        p->level = dup_text(a, st, 2);
        p->incomplete = (int)mc_stmt_i64(st, 3);
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_gen_units(struct mc_db *db, struct mc_arena *a,
               struct mc_gen_unit **out, size_t *n, struct mc_err *err)
{
    struct mc_stmt *st;
    size_t cap = 256;
    int rc;

    *n = 0;
    *out = mc_arena_zalloc(a, cap * sizeof(**out));
    st = mc_db_prep(db,
                    "SELECT id, parent_id, code, kind, path, name, "
                    "valid_from, valid_to FROM units ORDER BY id",
                    err);
    if (st == NULL || *out == NULL) {
        if (st != NULL) {
            mc_stmt_done(st);
        }
        return st == NULL ? MC_EDB : MC_ENOMEM;
    }
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_gen_unit *u;
        if (*n == cap) {
            struct mc_gen_unit *g = mc_arena_zalloc(a, 2 * cap * sizeof(*g));
            if (g == NULL) {
                rc = MC_ENOMEM;
                break;
            }
            memcpy(g, *out, cap * sizeof(*g));
            *out = g;
            cap *= 2;
        }
        u = &(*out)[(*n)++];
        u->id = mc_stmt_i64(st, 0);
        u->parent_id = mc_stmt_i64(st, 1);
        u->code = dup_text(a, st, 2);
        u->kind = dup_text(a, st, 3);
        u->path = dup_text(a, st, 4);
        u->name = dup_text(a, st, 5);
        u->valid_from = mc_stmt_i64(st, 6);
        u->valid_to = mc_stmt_i64(st, 7);
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_gen_account_id(struct mc_db *db, const char *username, int64_t *id,
                    struct mc_err *err)
{
    return mc_db_i64(db, id, err, "SELECT id FROM accounts WHERE username = ?",
                     "t", username);
}

int
mc_q_gen_component(struct mc_db *db, const char *code, int64_t at,
                   int64_t *id, int64_t *lo, int64_t *hi, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc = mc_db_i64(db, id, err,
                       "SELECT c.id FROM procedure_components c "
                       "JOIN procedures p ON p.id = c.procedure_id "
                       "WHERE p.code = ? AND p.effective_from <= ? "
                       "AND (p.effective_to IS NULL OR p.effective_to > ?) "
                       "ORDER BY c.id LIMIT 1",
                       "tii", code, at, at);

    if (rc == MC_ENOTFOUND) {
        *id = 0;
        rc = MC_OK;
    }
    if (rc != MC_OK) {
        return rc;
    }
    *lo = INT64_MIN;
    *hi = INT64_MAX;
    st = mc_db_prep(db,
                    "SELECT effective_from, effective_to FROM procedures "
                    "WHERE code = ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "t", code);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        for (int k = 0; k < 2; k++) {
            int64_t b = mc_stmt_i64(st, k);
            if (k == 1 && mc_stmt_isnull(st, 1)) {
                continue;
            }
            if (b <= at && b > *lo) {
                *lo = b;
            } else if (b > at && b < *hi) {
                *hi = b;
            }
        }
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}
