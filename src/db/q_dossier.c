/*
 * q_dossier.c - SQL for dossiers (see q_dossier.h).
 */
#include "db/q_dossier.h"

#include <string.h>

#include "db/q_dossier_int.h"

#include "util/json.h"

#define DCOLS                                                                 \
    "id, code, procedure_id, procedure_code, recv_unit_id, recv_unit_path, " \
    "unit_id, unit_path, applicant_id, applicant_name, applicant_id_number, " \
    "applicant_phone, applicant_email, applicant_address, summary, channel, " \
    "state, submitted_at, received_at, due_at, due_original, due_provenance, " \
    "finished_at, returned_at, refused_at, stopped_at, paused_at, "          \
    "paused_total, reschedules, supplements, step_seq, assignee_id, "        \
    "consult_unit_id, consult_unit_path, consult_due, result_text, version, " \
    "updated_at"

static void
row_to_dossier(struct mc_stmt *st, struct mc_arena *a, struct mc_dossier *d)
{
    int st_idx;

    memset(d, 0, sizeof(*d));
    d->id = mc_stmt_i64(st, 0);
    d->code = mc_stmt_strdup(a, st, 1);
    d->procedure_id = mc_stmt_i64(st, 2);
    d->procedure_code = mc_stmt_strdup(a, st, 3);
    d->recv_unit_id = mc_stmt_i64(st, 4);
    d->recv_unit_path = mc_stmt_strdup(a, st, 5);
    d->unit_id = mc_stmt_i64(st, 6);
    d->unit_path = mc_stmt_strdup(a, st, 7);
    d->applicant_id = mc_stmt_i64(st, 8);
    d->applicant_name = mc_stmt_strdup(a, st, 9);
    d->applicant_id_number = mc_stmt_strdup(a, st, 10);
    d->applicant_phone = mc_stmt_strdup(a, st, 11);
    d->applicant_email = mc_stmt_strdup(a, st, 12);
    d->applicant_address = mc_stmt_strdup(a, st, 13);
    d->summary = mc_stmt_strdup(a, st, 14);
    d->channel = (int)mc_stmt_i64(st, 15);
    st_idx = mc_dstate_parse(mc_stmt_text(st, 16));
    d->state = st_idx < 0 ? MC_DS_SUBMITTED : (enum mc_dstate)st_idx;
    d->submitted_at = mc_stmt_i64(st, 17);
    d->received_at = mc_stmt_i64(st, 18);
    d->due_at = mc_stmt_i64(st, 19);
    d->due_original = mc_stmt_i64(st, 20);
    d->due_provenance = mc_stmt_strdup(a, st, 21);
    d->finished_at = mc_stmt_i64(st, 22);
    d->returned_at = mc_stmt_i64(st, 23);
    d->refused_at = mc_stmt_i64(st, 24);
    d->stopped_at = mc_stmt_i64(st, 25);
    d->paused_at = mc_stmt_i64(st, 26);
    d->paused_total = mc_stmt_i64(st, 27);
    d->reschedules = (int)mc_stmt_i64(st, 28);
    d->supplements = (int)mc_stmt_i64(st, 29);
    d->step_seq = (int)mc_stmt_i64(st, 30);
    d->assignee_id = mc_stmt_i64(st, 31);
    d->consult_unit_id = mc_stmt_i64(st, 32);
    d->consult_unit_path = mc_stmt_strdup(a, st, 33);
    d->consult_due = mc_stmt_i64(st, 34);
    d->result_text = mc_stmt_strdup(a, st, 35);
    d->version = (int)mc_stmt_i64(st, 36);
    d->updated_at = mc_stmt_i64(st, 37);
}

int
mc_q_dossier_insert(struct mc_db *db, struct mc_dossier *d,
                    const char *search_key, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    if (mc_db_rows(db) != NULL) {
        return mc_q_dslot_insert(db, d, search_key, err);
    }
    st = mc_db_prep(db,
                    "INSERT INTO dossiers (procedure_id, procedure_code, "
                    "recv_unit_id, recv_unit_path, unit_id, unit_path, "
                    "applicant_id, applicant_name, applicant_id_number, "
                    "applicant_phone, applicant_email, applicant_address, "
                    "summary, channel, state, status, submitted_at, "
                    "search_key, version, updated_at) VALUES "
                    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?) RETURNING id",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "itititzttttttItIiti", d->procedure_id,
                  d->procedure_code, d->recv_unit_id, d->recv_unit_path,
                  d->unit_id, d->unit_path, d->applicant_id,
                  d->applicant_name, d->applicant_id_number,
                  d->applicant_phone, d->applicant_email,
                  d->applicant_address, d->summary, d->channel,
                  mc_dstate_name(d->state), mc_dstate_dvcqg(d->state),
                  d->submitted_at, search_key, d->updated_at);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        d->id = mc_stmt_i64(st, 0);
        d->version = 1;
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_EDB;
    }
    mc_stmt_done(st);
    return rc;
}

static int
get_where(struct mc_db *db, const char *sql, const char *types, int64_t id,
          const char *code, struct mc_arena *a, struct mc_dossier *out,
          struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(db, sql, err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    if (types[0] == 'i') {
        mc_stmt_bindv(st, "i", id);
    } else {
        mc_stmt_bindv(st, "t", code);
    }
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        row_to_dossier(st, a, out);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "dossier_not_found", NULL,
                        "no such dossier");
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_dossier_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                 struct mc_dossier *out, struct mc_err *err)
{
    if (mc_db_rows(db) != NULL) {
        int rc = mc_q_dslot_get(db, id, a, out, err);
        if (rc != MC_ENOTFOUND) {
            return rc; /* held back in this batch (or an error) */
        }
        /* read once per batch, then held (strings in the slot) */
        rc = get_where(db, "SELECT " DCOLS " FROM dossiers WHERE id = ?",
                       "i", id, NULL, mc_q_dslot_arena(db), out, err);
        return rc == MC_OK ? mc_q_dslot_adopt(db, out, err) : rc;
    }
    return get_where(db, "SELECT " DCOLS " FROM dossiers WHERE id = ?", "i",
                     id, NULL, a, out, err);
}

int
mc_q_dossier_by_code(struct mc_db *db, const char *code, struct mc_arena *a,
                     struct mc_dossier *out, struct mc_err *err)
{
    if (mc_q_dossier_sync(db, err) != MC_OK) {
        return MC_EDB;
    }
    return get_where(db, "SELECT " DCOLS " FROM dossiers WHERE code = ?",
                     "t", 0, code, a, out, err);
}

int
mc_q_dossier_event(struct mc_db *db, int64_t dossier_id, const char *action,
                   const char *from_state, const char *to_state,
                   int64_t actor_id, const char *actor_role, int64_t unit_id,
                   int64_t at, const char *reason, const char *data,
                   struct mc_err *err)
{
    if (mc_q_dslot_states(db) != NULL) {
        return mc_q_ds_event(db, dossier_id, action, from_state, to_state,
                             actor_id, actor_role, unit_id, at, reason, data,
                             err);
    }
    return mc_db_run(db, err,
                     "INSERT INTO dossier_events (dossier_id, seq, action, "
                     "from_state, to_state, actor_id, actor_role, unit_id, "
                     "at, reason, data) VALUES (?, (SELECT COALESCE(MAX(seq)"
                     ", 0) + 1 FROM dossier_events WHERE dossier_id = ?), "
                     "?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "iitttztzitt", dossier_id, dossier_id, action,
                     from_state, to_state, actor_id, actor_role, unit_id, at,
                     reason, data ? data : "{}");
}

int
mc_q_dossier_events(struct mc_db *db, int64_t dossier_id, json_t **out,
                    struct mc_err *err)
{
    struct mc_stmt *st;
    json_t *arr = json_array();
    int rc;

    *out = NULL;
    st = mc_db_prep(db,
                    "SELECT e.seq, e.action, e.from_state, e.to_state, "
                    "e.actor_id, a.full_name, e.actor_role, e.unit_id, "
                    "u.name, e.at, e.reason, e.data FROM dossier_events e "
                    "LEFT JOIN accounts a ON a.id = e.actor_id "
                    "LEFT JOIN units u ON u.id = e.unit_id "
                    "WHERE e.dossier_id = ? ORDER BY e.seq",
                    err);
    if (st == NULL || arr == NULL) {
        json_decref(arr);
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", dossier_id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        json_t *data = json_loads(mc_stmt_text(st, 11), 0, NULL);
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s,s:s?,s:s,s:I,s:s?,s:s,s:I,s:s?,s:o,s:s?,"
                      "s:o}",
                      "seq", (json_int_t)mc_stmt_i64(st, 0), "action",
                      mc_stmt_text(st, 1), "from_state", mc_stmt_text(st, 2),
                      "to_state", mc_stmt_text(st, 3), "actor_id",
                      (json_int_t)mc_stmt_i64(st, 4), "actor_name",
                      mc_stmt_text(st, 5), "actor_role", mc_stmt_text(st, 6),
                      "unit_id", (json_int_t)mc_stmt_i64(st, 7), "unit_name",
                      mc_stmt_text(st, 8), "at",
                      mc_json_ts_value(mc_stmt_i64(st, 9)), "reason",
                      mc_stmt_text(st, 10), "data",
                      data ? data : json_object()));
    }
    mc_stmt_done(st);
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return MC_OK;
}

int
mc_q_dossier_count_action(struct mc_db *db, int64_t dossier_id,
                          const char *action, int64_t *n, struct mc_err *err)
{
    if (mc_q_dslot_states(db) != NULL) {
        int rc = mc_q_ds_count_action(db, dossier_id, action, n, err);
        if (rc != MC_ENOTFOUND) {
            return rc; /* else an action not counted: by SQL */
        }
    }
    return mc_db_i64(db, n, err,
                     "SELECT COUNT(*) FROM dossier_events WHERE dossier_id = ?"
                     " AND action = ?",
                     "it", dossier_id, action);
}

int
mc_q_code_next(struct mc_db *db, int64_t unit_id, int32_t day, int64_t *seq,
               struct mc_err *err)
{
    /* Upsert, then read: a RETURNING clause makes SQLite collect the
     * row in an ephemeral table first, which costs more than the read.
     * On PostgreSQL the read would be one more round trip of the writer,
     * and RETURNING costs nothing there. */
    int rc;

    if (mc_q_dslot_states(db) != NULL) {
        return mc_q_ds_code_next(db, unit_id, day, seq, err);
    }
    if (mc_db_kind(db) == MC_DB_PG) {
        return mc_db_i64(db, seq, err,
                         "INSERT INTO code_seq (unit_id, day, last) VALUES "
                         "(?, ?, 1) ON CONFLICT (unit_id, day) DO UPDATE SET "
                         "last = code_seq.last + 1 RETURNING last",
                         "iI", unit_id, (int)day);
    }
    rc = mc_db_run(db, err,
                       "INSERT INTO code_seq (unit_id, day, last) VALUES "
                       "(?, ?, 1) ON CONFLICT (unit_id, day) DO UPDATE SET "
                       "last = code_seq.last + 1",
                       "iI", unit_id, (int)day);

    if (rc != MC_OK) {
        return rc;
    }
    return mc_db_i64(db, seq, err,
                     "SELECT last FROM code_seq WHERE unit_id = ? AND "
                     "day = ?",
                     "iI", unit_id, (int)day);
}

int
mc_q_step_open(struct mc_db *db, int64_t dossier_id, int step_seq,
               const char *name, int64_t unit_id, int64_t holder_id,
               int64_t arrived_at, int64_t due_at, struct mc_err *err)
{
    if (mc_q_dslot_states(db) != NULL) {
        return mc_q_ds_step_open(db, dossier_id, step_seq, name, unit_id,
                                 holder_id, arrived_at, due_at, err);
    }
    return mc_db_run(db, err,
                     "INSERT INTO dossier_steps (dossier_id, seq, step_seq, "
                     "name, unit_id, holder_id, arrived_at, due_at) VALUES "
                     "(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM "
                     "dossier_steps WHERE dossier_id = ?), ?, ?, ?, ?, ?, ?)",
                     "iiItiziz", dossier_id, dossier_id, step_seq, name,
                     unit_id, holder_id, arrived_at, due_at);
}

/*
 * The ledger's open step is always its last: a step opens only after the
 * one before it closed (lifecycle.c). Naming the row by its unique key
 * (dossier_id, seq) lets SQLite update it in one pass; "dossier_id = ? AND
 * left_at IS NULL" alone made it collect the rowids in an ephemeral table
 * first (an UPDATE of a foreign key column cannot run multi-row one-pass).
 */
#define LAST_STEP                                                           \
    "(SELECT MAX(seq) FROM dossier_steps WHERE dossier_id = ?)"

int
mc_q_step_close(struct mc_db *db, int64_t dossier_id, int64_t left_at,
                int64_t finished_by, struct mc_err *err)
{
    /* Outcome frozen now (STEP_OUTCOME). */
    if (mc_q_dslot_states(db) != NULL) {
        return mc_q_ds_step_close(db, dossier_id, left_at, finished_by, err);
    }
    return mc_db_run(db, err,
                     "UPDATE dossier_steps SET left_at = ?, finished_by = ?, "
                     "outcome = " STEP_OUTCOME("due_at", "?")
                     " WHERE dossier_id = ? AND seq = " LAST_STEP
                     " AND left_at IS NULL",
                     "iziiii", left_at, finished_by, left_at, left_at,
                     dossier_id, dossier_id);
}

int
mc_q_step_set_holder(struct mc_db *db, int64_t dossier_id, int64_t holder_id,
                     struct mc_err *err)
{
    if (mc_q_dslot_states(db) != NULL) {
        return mc_q_ds_step_holder(db, dossier_id, holder_id, err);
    }
    return mc_db_run(db, err,
                     "UPDATE dossier_steps SET holder_id = ? WHERE "
                     "dossier_id = ? AND seq = " LAST_STEP
                     " AND left_at IS NULL",
                     "zii", holder_id, dossier_id, dossier_id);
}

int
mc_q_dossier_steps(struct mc_db *db, int64_t dossier_id, json_t **out,
                   struct mc_err *err)
{
    struct mc_stmt *st;
    json_t *arr = json_array();
    int rc;

    *out = NULL;
    if (mc_q_dossier_sync(db, err) != MC_OK) {
        json_decref(arr);
        return MC_EDB; /* held open steps first */
    }
    st = mc_db_prep(db,
                    "SELECT s.seq, s.step_seq, s.name, s.unit_id, u.name, "
                    "s.holder_id, a.full_name, s.arrived_at, s.due_at, "
                    "s.left_at, s.outcome FROM dossier_steps s "
                    "JOIN units u ON u.id = s.unit_id "
                    "LEFT JOIN accounts a ON a.id = s.holder_id "
                    "WHERE s.dossier_id = ? ORDER BY s.seq",
                    err);
    if (st == NULL || arr == NULL) {
        json_decref(arr);
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", dossier_id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        json_array_append_new(
            arr, json_pack("{s:I,s:I,s:s,s:I,s:s,s:I,s:s?,s:o,s:o,s:o,s:s?}",
                           "seq", (json_int_t)mc_stmt_i64(st, 0), "step",
                           (json_int_t)mc_stmt_i64(st, 1), "name",
                           mc_stmt_text(st, 2), "unit_id",
                           (json_int_t)mc_stmt_i64(st, 3), "unit_name",
                           mc_stmt_text(st, 4), "holder_id",
                           (json_int_t)mc_stmt_i64(st, 5), "holder_name",
                           mc_stmt_text(st, 6), "arrived_at",
                           mc_json_ts_value(mc_stmt_i64(st, 7)), "due_at",
                           mc_json_ts_value(mc_stmt_i64(st, 8)), "left_at",
                           mc_json_ts_value(mc_stmt_i64(st, 9)), "outcome",
                           mc_stmt_text(st, 10)));
    }
    mc_stmt_done(st);
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return MC_OK;
}

/*
 * A list query's WHERE clause, built from the filters present only, and
 * its parameters in bind order (at most 6 + 1 + 2 + 1 + 1 = 11).
 */
struct list_where {
    char sql[768];
    size_t len;
    int n;
    int is_text[12];
    const char *text[12];
    int64_t num[12];
};

/* Append cond (fits: the longest WHERE is under 500 bytes). */
static void
lw_cond(struct list_where *w, const char *cond)
{
    int k = snprintf(w->sql + w->len, sizeof(w->sql) - w->len, "%s%s",
                     w->len == 0 ? " WHERE " : " AND ", cond);

    w->len += (size_t)k;
}

static void
lw_text(struct list_where *w, const char *v)
{
    w->is_text[w->n] = 1;
    w->text[w->n++] = v;
}

static void
lw_i64(struct list_where *w, int64_t v)
{
    w->is_text[w->n] = 0;
    w->num[w->n++] = v;
}

/*
 * Open: the WHERE of the partial index dossiers_open_due, term for term
 * (SQLite uses a partial index only then), and of dossiers_assignee_open
 * with the "mine" condition, which implies its "assignee_id IS NOT NULL";
 * "<>" rather than NOT IN, whose list would be built in a temporary table
 * on every write of a row.
 */
#define LIST_OPEN                                                             \
    "d.state <> 'refused' AND d.state <> 'stopped' AND "                      \
    "d.state <> 'returned' AND d.state <> 'done' AND d.state <> 'rejected'"

/*
 * Conditions for s and f. indexed = 1 writes the columns bare, so the
 * planner can use the scope, state and assignee indexes (each condition
 * that applies, and only those: "(? IS NULL OR ...)" forms defeat every
 * index). indexed = 0 writes them as "d.col || ''" / "d.col + 0", the
 * same values, which no index matches: then the only way to avoid sorting
 * is dossiers_queue_order, which gives the ORDER BY of the list. The
 * assignee stays bare either way: an official's dossiers are at most a
 * few hundred thousand, read through dossiers_assignee and sorted (120 ms
 * for 83,000 at 10 million dossiers), while walking dossiers_queue_order
 * for them reads nearly the whole table when they are all recent (19 s).
 */
static void
list_where_build(struct list_where *w, const struct mc_q_dossier_scope *s,
                 const struct mc_dossier_filter *f, int64_t actor_id,
                 const char *like, const char *flike, int indexed)
{
    const char *ts = indexed ? "" : " || ''"; /* text column suffix */
    const char *is = indexed ? "" : " + 0";   /* integer column suffix */
    /* Overdue dossiers are found by dossiers_open_due and a search by q
     * is a scan either way: there the scope ranges (two of which cover
     * nearly every row of a big unit) must not drive the plan. */
    const char *ss = indexed && !f->overdue && like == NULL ? "" : " || ''";
    char fmt[320];

    memset(w, 0, sizeof(*w));
    if (like != NULL) {
        /* First: SQLite tests the terms of a scan in this order, and a
         * rare q rejects a row before the scope ranges are computed. */
        lw_cond(w, "(d.code LIKE ? OR d.search_key LIKE ?)");
        lw_text(w, like);
        lw_text(w, flike);
    }
    if (s->all) {
        /* administrators: every dossier */
    } else if (s->applicant_id > 0) {
        snprintf(fmt, sizeof(fmt), "d.applicant_id%s = ?", is);
        lw_cond(w, fmt);
        lw_i64(w, s->applicant_id);
    } else {
        /* The handling unit, the receiving unit or the consulted unit is
         * in the official's subtree: a union of three index ranges. */
        snprintf(fmt, sizeof(fmt),
                 "((d.unit_path%s >= ? AND d.unit_path%s < ?) OR "
                 "(d.recv_unit_path%s >= ? AND d.recv_unit_path%s < ?) OR "
                 "(d.consult_unit_path%s >= ? AND d.consult_unit_path%s < ?))",
                 ss, ss, ss, ss, ss, ss);
        lw_cond(w, fmt);
        for (int i = 0; i < 3; i++) {
            lw_text(w, s->path_lo);
            lw_text(w, s->path_hi);
        }
    }
    if (f->state != NULL) {
        snprintf(fmt, sizeof(fmt), "d.state%s = ?", ts);
        lw_cond(w, fmt);
        lw_text(w, f->state);
    }
    if (f->mine) {
        lw_cond(w, "d.assignee_id = ?");
        lw_i64(w, actor_id);
    }
    if (f->overdue) {
        lw_cond(w, "d.due_at < ? AND " LIST_OPEN);
        lw_i64(w, f->now);
    } else if (f->open) {
        lw_cond(w, LIST_OPEN);
    }
}

static void
list_bind(struct mc_stmt *st, const struct list_where *w)
{
    for (int i = 0; i < w->n; i++) {
        if (w->is_text[i]) {
            mc_stmt_bind_text(st, i + 1, w->text[i]);
        } else {
            mc_stmt_bind_i64(st, i + 1, w->num[i]);
        }
    }
}

#define LIST_FROM " FROM dossiers d JOIN procedures p ON p.id = d.procedure_id"

/* *n = number of matching rows, counted up to cap + 1 at most. */
static int
list_count(struct mc_db *db, const struct list_where *w, int64_t cap,
           int64_t *n, struct mc_err *err)
{
    char sql[1024];
    struct mc_stmt *st;
    int rc;

    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM (SELECT 1" LIST_FROM "%s LIMIT ?) c",
             w->sql);
    if ((st = mc_db_prep(db, sql, err)) == NULL) {
        return MC_EDB;
    }
    list_bind(st, w);
    mc_stmt_bind_i64(st, w->n + 1, cap + 1);
    rc = mc_stmt_step(st, err);
    *n = rc == MC_DB_ROW ? mc_stmt_i64(st, 0) : 0;
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_dossier_list(struct mc_db *db, const struct mc_q_dossier_scope *s,
                  const struct mc_dossier_filter *f, int64_t actor_id,
                  struct mc_arena *a,
                  int (*row_fn)(void *ctx, const struct mc_q_dossier_row *row),
                  void *ctx, int64_t *total, int *capped, struct mc_err *err)
{
    struct list_where w;
    char sql[2048];
    struct mc_stmt *st;
    struct mc_q_dossier_row row;
    const char *like = NULL, *flike = NULL;
    int64_t n;
    int rc;

    if (mc_q_dossier_sync(db, err) != MC_OK) {
        return MC_EDB;
    }
    *capped = 0;
    if (f->q != NULL && *f->q != '\0') {
        like = mc_arena_printf(a, "%s%%", f->q);
        flike = mc_arena_printf(a, "%%%s%%", f->qfold ? f->qfold : f->q);
    }
    list_where_build(&w, s, f, actor_id, like, flike, 1);
    if ((rc = list_count(db, &w, MC_Q_DOSSIER_LIST_CAP, &n, err)) != MC_OK) {
        return rc;
    }
    *total = n;
    if (n > MC_Q_DOSSIER_LIST_CAP) {
        /* Many rows match: sorting them all would cost more than walking
         * dossiers_queue_order until the page is full. */
        *total = MC_Q_DOSSIER_LIST_CAP;
        *capped = 1;
        list_where_build(&w, s, f, actor_id, like, flike, 0);
    }
    /* The same order either way. Written as a CASE when few rows match,
     * so that the planner sorts them (at most the cap) instead of walking
     * dossiers_queue_order, whose first column is (due_at IS NULL). */
    snprintf(sql, sizeof(sql),
             "SELECT d.id, d.code, d.procedure_code, p.name, "
             "d.applicant_name, d.state, d.status, d.channel, "
             "d.submitted_at, d.received_at, d.due_at, d.assignee_id, "
             "d.unit_id, d.finished_at" LIST_FROM "%s ORDER BY %s, "
             "d.due_at, d.id LIMIT ? OFFSET ?",
             w.sql,
             *capped ? "d.due_at IS NULL"
                     : "CASE WHEN d.due_at IS NULL THEN 1 ELSE 0 END");
    if ((st = mc_db_prep(db, sql, err)) == NULL) {
        return MC_EDB;
    }
    list_bind(st, &w);
    mc_stmt_bind_i64(st, w.n + 1, f->limit);
    mc_stmt_bind_i64(st, w.n + 2, f->offset);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        row.id = mc_stmt_i64(st, 0);
        row.code = mc_stmt_text(st, 1);
        row.procedure_code = mc_stmt_text(st, 2);
        row.procedure_name = mc_stmt_text(st, 3);
        row.applicant_name = mc_stmt_text(st, 4);
        row.state = mc_stmt_text(st, 5);
        row.status = mc_stmt_i64(st, 6);
        row.channel = mc_stmt_i64(st, 7);
        row.submitted_at = mc_stmt_i64(st, 8);
        row.received_at = mc_stmt_i64(st, 9);
        row.due_at = mc_stmt_i64(st, 10);
        row.assignee_id = mc_stmt_i64(st, 11);
        row.unit_id = mc_stmt_i64(st, 12);
        row.finished_at = mc_stmt_i64(st, 13);
        if ((rc = row_fn(ctx, &row)) != MC_OK) {
            break;
        }
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_dossier_public(struct mc_db *db, const char *code, json_t **out,
                    struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    *out = NULL;
    if (mc_q_dossier_sync(db, err) != MC_OK) {
        return MC_EDB;
    }
    st = mc_db_prep(db,
                    "SELECT d.code, d.state, d.status, d.submitted_at, "
                    "d.received_at, d.due_at, d.finished_at, d.returned_at, "
                    "u.name, u.code, p.code, p.name, d.reschedules, "
                    "d.due_original FROM dossiers d "
                    "JOIN units u ON u.id = d.recv_unit_id "
                    "JOIN procedures p ON p.id = d.procedure_id "
                    "WHERE d.code = ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "t", code);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        int si = mc_dstate_parse(mc_stmt_text(st, 1));
        enum mc_dstate s = si < 0 ? MC_DS_SUBMITTED : (enum mc_dstate)si;
        *out = json_pack(
            "{s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:{s:s,s:s},s:{s:s,s:s},"
            "s:b,s:o}",
            "code", mc_stmt_text(st, 0), "state", mc_stmt_text(st, 1),
            "state_label", mc_dstate_label_vi(s), "status",
            (json_int_t)mc_stmt_i64(st, 2), "submitted_at",
            mc_json_ts_value(mc_stmt_i64(st, 3)), "received_at",
            mc_json_ts_value(mc_stmt_i64(st, 4)), "due_at",
            mc_json_ts_value(mc_stmt_i64(st, 5)), "finished_at",
            mc_json_ts_value(mc_stmt_i64(st, 6)), "returned_at",
            mc_json_ts_value(mc_stmt_i64(st, 7)), "receiving_unit", "name",
            mc_stmt_text(st, 8), "code", mc_stmt_text(st, 9), "procedure",
            "code", mc_stmt_text(st, 10), "name", mc_stmt_text(st, 11),
            "rescheduled", mc_stmt_i64(st, 12) > 0, "due_original",
            mc_json_ts_value(mc_stmt_i64(st, 13)));
        rc = *out ? MC_OK : MC_ENOMEM;
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "dossier_not_found", "code",
                        "no dossier has this code");
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_file_put(struct mc_db *db, const char *sha256, int64_t size,
              const char *mime, int64_t now, struct mc_err *err)
{
    return mc_db_run(db, err,
                     "INSERT INTO files (sha256, size, mime, created_at) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                     "titi", sha256, size, mime,
                     now);
}

int
mc_q_dossier_file_add(struct mc_db *db, int64_t dossier_id,
                      int64_t component_id, const char *sha256,
                      const char *name, const char *mime, int64_t size,
                      int64_t by, int64_t at, int64_t *id, struct mc_err *err)
{
    if (mc_q_dslot_states(db) != NULL) {
        int rc = mc_q_ds_file_added(db, dossier_id, err);
        if (rc != MC_OK) {
            return rc;
        }
    }
    return mc_db_i64(db, id, err,
                     "INSERT INTO dossier_files (dossier_id, component_id, "
                     "sha256, name, mime, size, uploaded_by, at) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     "iztttizi", dossier_id,
                     component_id, sha256, name, mime, size, by, at);
}

int
mc_q_dossier_files(struct mc_db *db, int64_t dossier_id, json_t **out,
                   struct mc_err *err)
{
    struct mc_stmt *st;
    json_t *arr = json_array();
    int rc;

    *out = NULL;
    st = mc_db_prep(db,
                    "SELECT f.id, f.component_id, c.name, f.sha256, f.name, "
                    "f.mime, f.size, f.at FROM dossier_files f LEFT JOIN "
                    "procedure_components c ON c.id = f.component_id "
                    "WHERE f.dossier_id = ? ORDER BY f.id",
                    err);
    if (st == NULL || arr == NULL) {
        json_decref(arr);
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", dossier_id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        json_array_append_new(
            arr, json_pack("{s:I,s:I,s:s?,s:s,s:s,s:s,s:I,s:o}", "id",
                           (json_int_t)mc_stmt_i64(st, 0), "component_id",
                           (json_int_t)mc_stmt_i64(st, 1), "component_name",
                           mc_stmt_text(st, 2), "sha256", mc_stmt_text(st, 3),
                           "name", mc_stmt_text(st, 4), "mime",
                           mc_stmt_text(st, 5), "size",
                           (json_int_t)mc_stmt_i64(st, 6), "at",
                           mc_json_ts_value(mc_stmt_i64(st, 7))));
    }
    mc_stmt_done(st);
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return MC_OK;
}

int
mc_q_attachment_get(struct mc_db *db, const char *sql, int64_t owner_id,
                    int64_t file_id, struct mc_arena *a, const char **sha256,
                    const char **name, const char **mime, const char *message,
                    struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(db, sql, err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ii", owner_id, file_id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *sha256 = mc_stmt_strdup(a, st, 0);
        *name = mc_stmt_strdup(a, st, 1);
        *mime = mc_stmt_strdup(a, st, 2);
        rc = (*sha256 && *name && *mime) ? MC_OK : MC_ENOMEM;
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "file_not_found", NULL, "%s",
                        message);
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_dossier_file_get(struct mc_db *db, int64_t dossier_id, int64_t file_id,
                      struct mc_arena *a, const char **sha256,
                      const char **name, const char **mime,
                      struct mc_err *err)
{
    return mc_q_attachment_get(db,
                               "SELECT sha256, name, mime FROM dossier_files "
                               "WHERE dossier_id = ? AND id = ?",
                               dossier_id, file_id, a, sha256, name, mime,
                               "no such file on this dossier", err);
}

int
mc_q_dossier_pauses(struct mc_db *db, int64_t dossier_id, struct mc_arena *a,
                    int64_t **from, int64_t **to, int *n, struct mc_err *err)
{
    struct mc_stmt *st;
    int64_t cnt = 0;
    int rc, k = -1;

    *n = 0;
    *from = *to = NULL;
    if (mc_q_dslot_states(db) != NULL) {
        rc = mc_q_ds_pauses(db, dossier_id, a, from, to, n, err);
        if (rc != MC_ENOTFOUND) {
            return rc; /* else more pauses than held: by SQL */
        }
    }
    rc = mc_q_dossier_count_action(db, dossier_id, "request_supplement",
                                   &cnt, err);
    if (rc != MC_OK || cnt == 0) {
        return rc;
    }
    *from = mc_arena_zalloc(a, sizeof(int64_t) * (size_t)cnt);
    *to = mc_arena_zalloc(a, sizeof(int64_t) * (size_t)cnt);
    if (*from == NULL || *to == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(db,
                    "SELECT action, at FROM dossier_events WHERE dossier_id "
                    "= ? AND action IN ('request_supplement', "
                    "'supplement_received') ORDER BY seq",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", dossier_id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        const char *act = mc_stmt_text(st, 0);
        if (strcmp(act, "request_supplement") == 0 && k + 1 < cnt) {
            k++;
            (*from)[k] = mc_stmt_i64(st, 1);
        } else if (k >= 0 && strcmp(act, "supplement_received") == 0) {
            (*to)[k] = mc_stmt_i64(st, 1);
        }
    }
    mc_stmt_done(st);
    *n = k + 1;
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_component_of(struct mc_db *db, int64_t component_id,
                  int64_t procedure_id, int64_t *ok, struct mc_err *err)
{
    return mc_db_i64(db, ok, err,
                     "SELECT COUNT(*) FROM procedure_components WHERE id = ? "
                     "AND procedure_id = ?",
                     "ii", component_id, procedure_id);
}
