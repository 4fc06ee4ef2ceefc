/*
 * q_evaluation.c - SQL for evaluations, facts and rollups (see
 * q_evaluation.h).
 */
#include "db/q_evaluation.h"
#include "db/q_dossier_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/mctime.h"

/* Bind -1 as NULL. */
static void
bind_score(struct mc_stmt *st, int idx, int v)
{
    if (v < 0) {
        mc_stmt_bind_null(st, idx);
    } else {
        mc_stmt_bind_i64(st, idx, v);
    }
}

int
mc_q_eval_insert(struct mc_db *db, const struct mc_q_eval_row *e,
                 int64_t *id, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "INSERT INTO dossier_evaluations (dossier_id, channel, c1, c3, c4, "
        "c7, satisfaction, comment, unit_id, unit_path, procedure_code, "
        "official_id, entered_by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?) RETURNING id",
        err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "it", e->dossier_id, e->channel);
    bind_score(st, 3, e->c1);
    bind_score(st, 4, e->c3);
    bind_score(st, 5, e->c4);
    bind_score(st, 6, e->c7);
    mc_stmt_bind_text(st, 7, e->satisfaction);
    mc_stmt_bind_text(st, 8, e->comment);
    mc_stmt_bind_i64(st, 9, e->unit_id);
    mc_stmt_bind_text(st, 10, e->unit_path);
    mc_stmt_bind_text(st, 11, e->procedure_code);
    if (e->official_id != 0) {
        mc_stmt_bind_i64(st, 12, e->official_id);
    } else {
        mc_stmt_bind_null(st, 12);
    }
    if (e->entered_by != 0) {
        mc_stmt_bind_i64(st, 13, e->entered_by);
    } else {
        mc_stmt_bind_null(st, 13);
    }
    mc_stmt_bind_i64(st, 14, e->at);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *id = mc_stmt_i64(st, 0);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_EDB, 500, "db_error", NULL,
                        "insert returned no id");
    }
    mc_stmt_done(st);
    if (rc == MC_ECONFLICT) {
        return mc_err_set(err, MC_ECONFLICT, 409, "already_evaluated",
                          "channel",
                          "this dossier was already evaluated through the "
                          "%s channel",
                          e->channel);
    }
    return rc;
}

static json_t *
score_value(struct mc_stmt *st, int col)
{
    return mc_stmt_isnull(st, col) ? json_null()
                                   : json_integer(mc_stmt_i64(st, col));
}

int
mc_q_eval_list(struct mc_db *db, int64_t dossier_id, json_t **out,
               struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT id, channel, c1, c3, c4, c7, satisfaction, comment, "
        "official_id, entered_by, at FROM dossier_evaluations WHERE "
        "dossier_id = ? ORDER BY id",
        err);
    json_t *arr;
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    arr = json_array();
    mc_stmt_bindv(st, "i", dossier_id);
    while (arr != NULL && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        json_t *o = json_object(), *sc = json_object();
        const char *cm = mc_stmt_text(st, 7);

        json_object_set_new(sc, "1", score_value(st, 2));
        json_object_set_new(sc, "3", score_value(st, 3));
        json_object_set_new(sc, "4", score_value(st, 4));
        json_object_set_new(sc, "7", score_value(st, 5));
        json_object_set_new(o, "id", json_integer(mc_stmt_i64(st, 0)));
        json_object_set_new(o, "channel", json_string(mc_stmt_text(st, 1)));
        json_object_set_new(o, "scores", sc);
        json_object_set_new(o, "satisfaction",
                            json_string(mc_stmt_text(st, 6)));
        json_object_set_new(o, "comment", cm ? json_string(cm) : json_null());
        json_object_set_new(o, "official_id",
                            mc_stmt_isnull(st, 8)
                                ? json_null()
                                : json_integer(mc_stmt_i64(st, 8)));
        json_object_set_new(o, "entered_by",
                            mc_stmt_isnull(st, 9)
                                ? json_null()
                                : json_integer(mc_stmt_i64(st, 9)));
        json_object_set_new(o, "at", mc_json_ts_value(mc_stmt_i64(st, 10)));
        json_array_append_new(arr, o);
    }
    mc_stmt_done(st);
    if (arr == NULL) {
        return MC_ENOMEM;
    }
    if (rc != MC_DB_DONE) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return MC_OK;
}

/* The upsert of one rollup row, per day and per month. */
#define ROLLUP_UPSERT(table, key)                                           \
    "INSERT INTO " table " (unit_id, procedure_code, " key ", unit_path, " \
    "received, received_online, finished, finished_on_time, "             \
    "finished_early, finished_online, finished_digitised, with_e_result, " \
    "supplement_rounds, processing_seconds, returned, withdrawn, "         \
    "eval_very_satisfied, eval_satisfied, eval_dissatisfied, "             \
    "finished_online_on_time, digitised_e_result) VALUES (?, ?, ?, ?, ?, " \
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "         \
    "(unit_id, procedure_code, " key ") DO UPDATE SET "                    \
    "received = " table ".received + excluded.received, " \
    "received_online = " table ".received_online + excluded.received_online, " \
    "finished = " table ".finished + excluded.finished, " \
    "finished_on_time = " table ".finished_on_time + excluded.finished_on_time, " \
    "finished_early = " table ".finished_early + excluded.finished_early, " \
    "finished_online = " table ".finished_online + excluded.finished_online, " \
    "finished_digitised = " table ".finished_digitised + excluded.finished_digitised, " \
    "with_e_result = " table ".with_e_result + excluded.with_e_result, " \
    "supplement_rounds = " table ".supplement_rounds + excluded.supplement_rounds, " \
    "processing_seconds = " table ".processing_seconds + excluded.processing_seconds, " \
    "returned = " table ".returned + excluded.returned, " \
    "withdrawn = " table ".withdrawn + excluded.withdrawn, " \
    "eval_very_satisfied = " table ".eval_very_satisfied + excluded.eval_very_satisfied, " \
    "eval_satisfied = " table ".eval_satisfied + excluded.eval_satisfied, " \
    "eval_dissatisfied = " table ".eval_dissatisfied + excluded.eval_dissatisfied, " \
    "finished_online_on_time = " table ".finished_online_on_time + excluded.finished_online_on_time, " \
    "digitised_e_result = " table ".digitised_e_result + excluded.digitised_e_result"

static int
rollup_upsert(struct mc_db *db, const char *sql, int key,
              const struct mc_rollup_delta *d, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(db, sql, err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "itIt", d->unit_id, d->procedure_code, key,
                  d->unit_path);
    for (int i = 0; i < MC_RC__COUNT; i++) {
        mc_stmt_bind_i64(st, 5 + i, d->v[i]);
    }
    rc = mc_stmt_step(st, err);
    mc_stmt_done(st);
    return rc == MC_DB_DONE ? MC_OK : rc;
}

/*
 * Deferred rollup deltas (mc_q_eval_rollup_defer): appended as they come
 * (strings copied into the arena), summed per row and upserted at flush.
 */
struct mc_rollup_buf {
    struct mc_rollup_delta *d;
    size_t n, cap;
    struct mc_arena a;
    int pinned; /* kept across mc_q_eval_rollup_rollback_to */
};

static void
rollup_buf_free(void *p)
{
    struct mc_rollup_buf *b = p;

    if (b->pinned) {
        return;
    }
    mc_free(b->d);
    mc_arena_release(&b->a);
    mc_free(b);
}

static int
rollup_buf_add(struct mc_rollup_buf *b, const struct mc_rollup_delta *d,
               struct mc_err *err)
{
    struct mc_rollup_delta *x;

    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4096;
        x = mc_realloc(b->d, nc * sizeof(*x));
        if (x == NULL) {
            return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                              "out of memory");
        }
        b->d = x;
        b->cap = nc;
    }
    x = &b->d[b->n];
    *x = *d;
    x->unit_path = mc_arena_strdup(&b->a, d->unit_path);
    x->procedure_code = mc_arena_strdup(&b->a, d->procedure_code);
    if (x->unit_path == NULL || x->procedure_code == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    b->n++;
    return MC_OK;
}

/* Order of rows: unit, procedure, then day (or month in ->day). */
static int
delta_cmp(const void *pa, const void *pb)
{
    const struct mc_rollup_delta *a = pa, *b = pb;
    int c;

    if (a->unit_id != b->unit_id) {
        return a->unit_id < b->unit_id ? -1 : 1;
    }
    c = strcmp(a->procedure_code, b->procedure_code);
    if (c != 0) {
        return c;
    }
    return a->day < b->day ? -1 : a->day > b->day;
}

/* Sum equal rows of the sorted d[0..n) and upsert each once. */
static int
rollup_write(struct mc_db *db, const char *sql, struct mc_rollup_delta *d,
             size_t n, struct mc_err *err)
{
    int rc = MC_OK;

    qsort(d, n, sizeof(*d), delta_cmp);
    for (size_t i = 0; rc == MC_OK && i < n;) {
        struct mc_rollup_delta sum = d[i];
        size_t j = i + 1;
        for (; j < n && delta_cmp(&d[i], &d[j]) == 0; j++) {
            for (int k = 0; k < MC_RC__COUNT; k++) {
                sum.v[k] += d[j].v[k];
            }
        }
        rc = rollup_upsert(db, sql, sum.day, &sum, err);
        i = j;
    }
    return rc;
}

int
mc_q_eval_rollup_defer(struct mc_db *db, struct mc_err *err)
{
    struct mc_rollup_buf *b;

    if (mc_db_deferred(db) != NULL) {
        return MC_OK;
    }
    b = mc_calloc(1, sizeof(*b));
    if (b == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    mc_arena_init(&b->a, 0);
    mc_db_deferred_set(db, b, rollup_buf_free);
    return MC_OK;
}

int
mc_q_eval_rollup_flush(struct mc_db *db, struct mc_err *err)
{
    struct mc_rollup_buf *b = mc_db_deferred(db);
    int rc;

    if (b == NULL || b->n == 0) {
        return MC_OK;
    }
    rc = rollup_write(db, ROLLUP_UPSERT("eval_rollup", "day"), b->d, b->n,
                      err);
    for (size_t i = 0; rc == MC_OK && i < b->n; i++) {
        int y, m, dd;
        mc_civil_from_days(b->d[i].day, &y, &m, &dd);
        b->d[i].day = mc_eval_month_key(y, m);
    }
    if (rc == MC_OK) {
        rc = rollup_write(db, ROLLUP_UPSERT("eval_rollup_month", "month"),
                          b->d, b->n, err);
    }
    b->n = 0;
    mc_arena_release(&b->a);
    return rc;
}

void
mc_q_eval_rollup_undefer(struct mc_db *db)
{
    mc_db_deferred_set(db, NULL, NULL);
}

/*
 * Writer batches: the buffer is pinned (rollup_buf_free leaves it alone),
 * so a rollback that drops the connection's slot only detaches it.
 */
int
mc_q_eval_rollup_batch_new(struct mc_rollup_buf **out, struct mc_err *err)
{
    struct mc_rollup_buf *b = mc_calloc(1, sizeof(*b));

    *out = NULL;
    if (b == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    mc_arena_init(&b->a, 0);
    b->pinned = 1;
    *out = b;
    return MC_OK;
}

void
mc_q_eval_rollup_batch_begin(struct mc_db *db, struct mc_rollup_buf *rb)
{
    struct mc_rollup_buf *b = rb;

    b->n = 0;
    mc_arena_release(&b->a);
    mc_db_deferred_set(db, b, rollup_buf_free);
}

size_t
mc_q_eval_rollup_mark(struct mc_db *db)
{
    struct mc_rollup_buf *b = mc_db_deferred(db);

    return b != NULL ? b->n : 0;
}

void
mc_q_eval_rollup_rollback_to(struct mc_db *db, const char *savepoint,
                             size_t mark)
{
    struct mc_rollup_buf *b = mc_db_deferred(db);

    if (b != NULL && b->pinned && mark < b->n) {
        b->n = mark; /* their strings stay in the arena until the flush */
    }
    mc_db_rollback_to(db, savepoint);
    if (b != NULL && b->pinned) {
        mc_db_deferred_set(db, b, rollup_buf_free);
    }
}

int
mc_q_eval_rollup_batch_flush(struct mc_db *db, struct mc_rollup_buf *rb,
                             struct mc_err *err)
{
    struct mc_rollup_buf *b = rb;

    mc_db_deferred_set(db, b, rollup_buf_free); /* if a rollback detached */
    return mc_q_eval_rollup_flush(db, err);
}

void
mc_q_eval_rollup_batch_free(struct mc_db *db, struct mc_rollup_buf *rb)
{
    struct mc_rollup_buf *b = rb;

    if (b == NULL) {
        return;
    }
    if (db != NULL && mc_db_deferred(db) == b) {
        mc_db_deferred_set(db, NULL, NULL);
    }
    b->pinned = 0;
    rollup_buf_free(b);
}

int
mc_q_eval_rollup_add(struct mc_db *db, const struct mc_rollup_delta *d,
                     struct mc_err *err)
{
    struct mc_rollup_buf *b = mc_db_deferred(db);
    int y, m, dd;
    int rc;

    if (b != NULL) {
        return rollup_buf_add(b, d, err);
    }
    rc = rollup_upsert(db, ROLLUP_UPSERT("eval_rollup", "day"), d->day, d,
                       err);
    if (rc != MC_OK) {
        return rc;
    }
    mc_civil_from_days(d->day, &y, &m, &dd);
    return rollup_upsert(db, ROLLUP_UPSERT("eval_rollup_month", "month"),
                         mc_eval_month_key(y, m), d, err);
}

static int
facts_write(struct mc_db *db, const struct mc_eval_facts *f,
            struct mc_err *err)
{
    return mc_db_run(
        db, err,
        "INSERT INTO dossier_facts (dossier_id, unit_id, unit_path, "
        "procedure_code, official_id, channel, outcome, received_at, "
        "finished_at, finish_day, due_at, due_original, paused_seconds, "
        "processing_seconds, supplements, reschedules, on_time, early, "
        "files, e_result, c2) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?)",
        "iittzItiiIzziiIIIIiIi", f->dossier_id, f->unit_id, f->unit_path,
        f->procedure_code, f->official_id, f->channel,
        f->rejected ? "rejected" : "done", f->received_at, f->finished_at,
        (int)mc_local_day(f->finished_at), f->due_at, f->due_original,
        f->paused_seconds, f->processing_seconds, f->supplements,
        f->reschedules, f->on_time, f->early, f->files, f->e_result,
        (int64_t)f->c2);
}

int
mc_q_eval_facts_insert(struct mc_db *db, const struct mc_eval_facts *f,
                       struct mc_err *err)
{
    if (mc_q_dslot_states(db) != NULL) {
        return mc_q_ds_facts_hold(db, f, err); /* scored at the flush */
    }
    return facts_write(db, f, err);
}

/* The ledger's counts behind criterion 2 (closed steps, late, early). */
#define STEP_SCORE_COLS                                                     \
    "COUNT(outcome), SUM(CASE WHEN outcome = 'late' THEN 1 ELSE 0 END), "  \
    "SUM(CASE WHEN outcome = 'early' THEN 1 ELSE 0 END)"

/* Criterion 2 from those counts (mc_q_eval_step_score). */
static int
step_score(int64_t n, int64_t late, int64_t early)
{
    return n == 0 ? -1 : late > 0 ? 0 : early == n ? 2 : 1;
}

static int step_score_read(struct mc_db *db, int64_t dossier_id,
                           int64_t finished_at, int *c2,
                           struct mc_err *err);

int
mc_q_eval_facts_flush(struct mc_db *db, struct mc_eval_facts *f, size_t n,
                      struct mc_err *err)
{
    int rc = MC_OK;

    /* every score first, then every insert: the reads come together */
    for (size_t i = 0; i < n && rc == MC_OK; i++) {
        rc = step_score_read(db, f[i].dossier_id, f[i].finished_at, &f[i].c2,
                             err);
    }
    for (size_t i = 0; i < n && rc == MC_OK; i++) {
        rc = facts_write(db, &f[i], err);
    }
    return rc;
}

int
mc_q_eval_files(struct mc_db *db, int64_t dossier_id, int64_t applicant_id,
                int64_t *files, int *e_result, struct mc_err *err)
{
    struct mc_stmt *st;
    int64_t n = 0;
    int rc, none = 0;

    if (mc_q_dslot_states(db) != NULL) {
        /* the fast load counts the attachments it adds */
        rc = mc_q_ds_no_files(db, dossier_id, &none, err);
        if (rc != MC_OK || none) {
            *files = 0;
            *e_result = 0;
            return rc;
        }
    }
    /* Both counts in one statement (one round trip on PostgreSQL): every
     * attachment, and the result files an official uploaded. */
    st = mc_db_prep(db,
                    "SELECT COUNT(*), SUM(CASE WHEN component_id IS NULL AND "
                    "uploaded_by IS NOT NULL AND uploaded_by <> ? THEN 1 "
                    "ELSE 0 END) FROM dossier_files WHERE dossier_id = ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ii", applicant_id, dossier_id);
    *files = 0;
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *files = mc_stmt_i64(st, 0);
        n = mc_stmt_i64(st, 1); /* SUM of no rows: NULL, read as 0 */
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_OK;
    }
    mc_stmt_done(st);
    *e_result = n > 0;
    return rc;
}

/* The rollup recomputed from raw data, same columns as eval_rollup. */
#define RECOMPUTED                                                          \
    "SELECT unit_id, procedure_code, day, SUM(a), SUM(b), SUM(c), "       \
    "SUM(d), SUM(e), SUM(f), SUM(g), SUM(h), SUM(i), SUM(j), SUM(k), "    \
    "SUM(l), SUM(m), SUM(n), SUM(o), SUM(p), SUM(q) FROM ("                               \
    "SELECT unit_id, procedure_code, (received_at + 25200) / 86400 AS "   \
    "day, 1 AS a, CASE WHEN channel = 2 THEN 1 ELSE 0 END AS b, 0 AS c, " \
    "0 AS d, 0 AS e, 0 AS f, 0 AS g, 0 AS h, 0 AS i, 0 AS j, 0 AS k, "    \
    "0 AS l, 0 AS m, 0 AS n, 0 AS o, 0 AS p, 0 AS q FROM dossiers "   \
    "WHERE received_at IS "  \
    "NOT NULL "                                                           \
    "UNION ALL SELECT unit_id, procedure_code, finish_day, 0, 0, 1, "     \
    "on_time, early, CASE WHEN channel = 2 THEN 1 ELSE 0 END, "           \
    "CASE WHEN files > 0 THEN 1 ELSE 0 END, e_result, supplements, "      \
    "processing_seconds, 0, 0, 0, 0, 0, "                                  \
    "CASE WHEN channel = 2 AND on_time = 1 THEN 1 ELSE 0 END, "           \
    "CASE WHEN files > 0 AND e_result = 1 THEN 1 ELSE 0 END "             \
    "FROM dossier_facts "               \
    "UNION ALL SELECT d.unit_id, d.procedure_code, (e.at + 25200) / "     \
    "86400, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "                               \
    "CASE WHEN e.action = 'return_result' THEN 1 ELSE 0 END, "            \
    "CASE WHEN e.action = 'stop' THEN 1 ELSE 0 END, 0, 0, 0, 0, 0 "             \
    "FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id "       \
    "WHERE e.action IN ('return_result', 'stop') "                        \
    "UNION ALL SELECT unit_id, procedure_code, (at + 25200) / 86400, "    \
    "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "                                \
    "CASE WHEN satisfaction = 'very_satisfied' THEN 1 ELSE 0 END, "       \
    "CASE WHEN satisfaction = 'satisfied' THEN 1 ELSE 0 END, "            \
    "CASE WHEN satisfaction = 'dissatisfied' THEN 1 ELSE 0 END, 0, 0 "          \
    "FROM dossier_evaluations) raw GROUP BY unit_id, procedure_code, day"

#define STORED                                                              \
    "SELECT unit_id, procedure_code, day, received, received_online, "    \
    "finished, finished_on_time, finished_early, finished_online, "       \
    "finished_digitised, with_e_result, supplement_rounds, "              \
    "processing_seconds, returned, withdrawn, eval_very_satisfied, "      \
    "eval_satisfied, eval_dissatisfied, finished_online_on_time, "       \
    "digitised_e_result FROM eval_rollup"

/* The month table and the day table summed by month (migration 010). */
#define MONTH_COLS                                                          \
    "unit_id, procedure_code, month, received, received_online, "          \
    "finished, finished_on_time, finished_early, finished_online, "       \
    "finished_digitised, with_e_result, supplement_rounds, "              \
    "processing_seconds, returned, withdrawn, eval_very_satisfied, "      \
    "eval_satisfied, eval_dissatisfied, finished_online_on_time, "        \
    "digitised_e_result"
#define MONTH_STORED "SELECT " MONTH_COLS " FROM eval_rollup_month"
#define MONTH_VIEW "SELECT " MONTH_COLS " FROM eval_rollup_by_month"

int
mc_q_eval_rollup_diff(struct mc_db *db, int64_t *mismatches,
                      struct mc_err *err)
{
    int64_t a = 0, b = 0;
    int rc = mc_db_i64(db, &a, err,
                       "SELECT COUNT(*) FROM (" STORED " EXCEPT " RECOMPUTED
                       ") x",
                       "");

    if (rc == MC_OK) {
        rc = mc_db_i64(db, &b, err,
                       "SELECT COUNT(*) FROM (" RECOMPUTED " EXCEPT " STORED
                       ") y",
                       "");
    }
    if (rc == MC_OK) {
        int64_t c = 0, d = 0;

        rc = mc_db_i64(db, &c, err,
                       "SELECT COUNT(*) FROM (" MONTH_STORED " EXCEPT "
                       MONTH_VIEW ") x",
                       "");
        if (rc == MC_OK) {
            rc = mc_db_i64(db, &d, err,
                           "SELECT COUNT(*) FROM (" MONTH_VIEW " EXCEPT "
                           MONTH_STORED ") y",
                           "");
        }
        b += c + d;
    }
    *mismatches = a + b;
    return rc;
}

int
mc_q_eval_step_score(struct mc_db *db, int64_t dossier_id,
                     int64_t finished_at, int *c2, struct mc_err *err)
{
    if (mc_q_dslot_states(db) != NULL) {
        *c2 = -1;
        return MC_OK; /* the held facts row is scored at the flush */
    }
    return step_score_read(db, dossier_id, finished_at, c2, err);
}

/*
 * The score of one dossier by SQL (mc_q_eval_step_score). "+left_at"
 * keeps the search on the dossier's own steps (UNIQUE (dossier_id, seq)):
 * PostgreSQL's generic plan of the prepared statement otherwise ANDs it
 * with a scan of dossier_steps_open for "left_at <= ?", i.e. every closed
 * step of the whole history up to now, on every approve and reject.
 * SQLite's plan is the same with or without the "+".
 */
static int
step_score_read(struct mc_db *db, int64_t dossier_id, int64_t finished_at,
                int *c2, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "SELECT " STEP_SCORE_COLS " FROM dossier_steps WHERE "
                    "dossier_id = ? AND +left_at <= ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ii", dossier_id, finished_at);
    *c2 = -1;
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        int64_t n = mc_stmt_i64(st, 0), late = mc_stmt_i64(st, 1),
                early = mc_stmt_i64(st, 2);

        *c2 = step_score(n, late, early);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_OK;
    }
    mc_stmt_done(st);
    return rc;
}
