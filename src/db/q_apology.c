/*
 * q_apology.c - SQL for apologies and the forecast's ledger samples (see
 * q_apology.h).
 */
#include "db/q_apology.h"
#include "db/q_dossier.h"

#include <string.h>

#define ACOLS                                                              \
    "a.id, a.dossier_id, d.code, a.unit_id, a.unit_path, a.due_at, "       \
    "a.shortfall, a.proposed_date, a.forecast, a.reason, a.new_date, "     \
    "a.state, a.created_at, a.decided_by, a.decided_at, "                  \
    "a.decision_reason"
#define AFROM " FROM apologies a JOIN dossiers d ON d.id = a.dossier_id"

static void
row_to_apology(struct mc_stmt *st, struct mc_arena *a, void *item)
{
    struct mc_apology *p = item;

    memset(p, 0, sizeof(*p));
    p->id = mc_stmt_i64(st, 0);
    p->dossier_id = mc_stmt_i64(st, 1);
    p->dossier_code = mc_stmt_strdup(a, st, 2);
    p->unit_id = mc_stmt_i64(st, 3);
    p->unit_path = mc_stmt_strdup(a, st, 4);
    p->due_at = mc_stmt_i64(st, 5);
    p->shortfall = mc_stmt_i64(st, 6);
    p->proposed_date = mc_stmt_strdup(a, st, 7);
    p->forecast = mc_stmt_strdup(a, st, 8);
    p->reason = mc_stmt_strdup(a, st, 9);
    p->new_date = mc_stmt_strdup(a, st, 10);
    p->state = mc_stmt_strdup(a, st, 11);
    p->created_at = mc_stmt_i64(st, 12);
    p->decided_by = mc_stmt_i64(st, 13);
    p->decided_at = mc_stmt_i64(st, 14);
    p->decision_reason = mc_stmt_strdup(a, st, 15);
}

int
mc_q_apology_insert(struct mc_db *db, const struct mc_apology *ap,
                    int64_t *id, struct mc_err *err)
{
    int rc;

    *id = 0;
    rc = mc_db_i64(db, id, err,
                   "INSERT INTO apologies (dossier_id, unit_id, unit_path, "
                   "due_at, shortfall, proposed_date, forecast, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dossier_id, "
                   "due_at) DO NOTHING RETURNING id",
                   "iitiitti", ap->dossier_id, ap->unit_id, ap->unit_path,
                   ap->due_at, ap->shortfall, ap->proposed_date,
                   ap->forecast ? ap->forecast : "{}", ap->created_at);
    if (rc == MC_ENOTFOUND) {
        *id = 0;
        return MC_OK;
    }
    return rc;
}

int
mc_q_apology_exists(struct mc_db *db, int64_t dossier_id, int64_t due_at,
                    int *exists, struct mc_err *err)
{
    int64_t n = 0;
    int rc = mc_db_i64(db, &n, err,
                       "SELECT COUNT(*) FROM apologies WHERE dossier_id = ? "
                       "AND due_at = ?",
                       "ii", dossier_id, due_at);

    *exists = rc == MC_OK && n > 0;
    return rc;
}

int
mc_q_apology_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                 struct mc_apology *out, struct mc_err *err)
{
    return mc_db_get(db, "SELECT " ACOLS AFROM " WHERE a.id = ?", id,
                     row_to_apology, a, out, "not_found", "no such apology",
                     err);
}

int
mc_q_apology_decide(struct mc_db *db, int64_t id, const char *state,
                    int64_t by, int64_t at, const char *reason,
                    const char *new_date, struct mc_err *err)
{
    int rc = mc_db_run(db, err,
                       "UPDATE apologies SET state = ?, decided_by = ?, "
                       "decided_at = ?, decision_reason = ?, reason = ?, "
                       "new_date = ? WHERE id = ? AND state = 'draft'",
                       "tiittti", state, by, at, reason, reason, new_date,
                       id);

    if (rc == MC_OK && mc_db_changes(db) != 1) {
        return mc_err_set(err, MC_ECONFLICT, 409, "already_decided", NULL,
                          "this apology was already decided");
    }
    return rc;
}

/* WHERE clause shared by the list and its count (10 parameters). */
#define AWHERE                                                             \
    " WHERE (? = 1 OR (a.unit_path >= ? AND a.unit_path < ?))"             \
    " AND (? = 1 OR (a.unit_path >= ? AND a.unit_path < ?))"               \
    " AND (? = 0 OR a.state = ?) AND (? = 0 OR a.dossier_id = ?)"

struct awhere {
    const struct mc_q_range *s, *u;
    const struct mc_apology_filter *f;
};

static void
bind_awhere(struct mc_stmt *st, const void *ctx)
{
    const struct awhere *w = ctx;
    const struct mc_q_range *s = w->s, *u = w->u;
    const struct mc_apology_filter *f = w->f;

    mc_stmt_bindv(st, "IttIttItIi", s->all, s->all ? "" : s->lo,
                  s->all ? "" : s->hi, u->all, u->all ? "" : u->lo,
                  u->all ? "" : u->hi, f->state != NULL, f->state,
                  f->dossier_id != 0, f->dossier_id);
}

int
mc_q_apology_list(struct mc_db *db, const struct mc_q_range *scope,
                  const struct mc_q_range *u,
                  const struct mc_apology_filter *f, struct mc_arena *a,
                  struct mc_apology **out, int *n, int64_t *total,
                  struct mc_err *err)
{
    struct awhere w = {scope, u, f};
    void *items = NULL;
    int rc;

    rc = mc_db_page(
        db, "SELECT COUNT(*) FROM apologies a" AWHERE,
        "SELECT " ACOLS AFROM AWHERE
        " ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?",
        bind_awhere, &w, 10, f->limit, f->offset, sizeof(**out),
        row_to_apology, a, &items, n, total, err);
    *out = items;
    return rc;
}

int
mc_q_apology_counts(struct mc_db *db, const struct mc_q_range *r,
                    int64_t from, int64_t to, json_t **by_unit,
                    int64_t *total, struct mc_err *err)
{
    struct mc_stmt *st;
    json_t *units = json_array(), *last = NULL;
    int64_t last_unit = -1;
    int rc = MC_OK;

    *by_unit = NULL;
    *total = 0;
    if (units == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(db,
                    "SELECT a.unit_id, u.name, u.code, a.state, COUNT(*) "
                    "FROM apologies a JOIN units u ON u.id = a.unit_id "
                    "WHERE a.created_at >= ? AND a.created_at < ? AND "
                    "(? = 1 OR (a.unit_path >= ? AND a.unit_path < ?)) "
                    "GROUP BY a.unit_id, u.name, u.code, a.state "
                    "ORDER BY a.unit_id, a.state",
                    err);
    if (st == NULL) {
        json_decref(units);
        return MC_EDB;
    }
    mc_stmt_bindv(st, "iiItt", from, to, r->all, r->all ? "" : r->lo,
                  r->all ? "" : r->hi);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        int64_t unit = mc_stmt_i64(st, 0), cnt = mc_stmt_i64(st, 4);

        if (last == NULL || unit != last_unit) {
            last = json_pack("{s:I,s:s?,s:s?,s:i,s:i,s:i,s:i}", "unit_id",
                             (json_int_t)unit, "name", mc_stmt_text(st, 1),
                             "code", mc_stmt_text(st, 2), "draft", 0,
                             "approved", 0, "dismissed", 0, "count", 0);
            if (last == NULL || json_array_append_new(units, last) != 0) {
                rc = MC_ENOMEM;
                break;
            }
            last_unit = unit;
        }
        json_object_set_new(last, mc_stmt_text(st, 3), json_integer(cnt));
        json_object_set_new(
            last, "count",
            json_integer(json_integer_value(json_object_get(last, "count")) +
                         cnt));
        *total += cnt;
    }
    mc_stmt_done(st);
    if (rc < 0 || rc == MC_ENOMEM) {
        json_decref(units);
        return rc < 0 ? rc : MC_ENOMEM;
    }
    *by_unit = units;
    return MC_OK;
}

/*
 * Two plans for the same rows. A procedure with many dossiers: walk the
 * finished steps of that number from the newest (dossier_steps_finished)
 * and keep those of the procedure, which soon gives max rows. A rare one:
 * read its dossiers (dossiers_procedure) and sort their steps. The bounded
 * count decides; "+ 0" and "|| ''" keep SQLite (and PostgreSQL) off the
 * other plan's index. s.id breaks ties, so both plans give the same rows.
 */
#define STEP_SAMPLES_RARE 5000 /* the LIMIT of the count below */

int
mc_q_step_samples_plan(struct mc_db *db, int64_t procedure_id, int step_seq,
                       int max, int rare, struct mc_arena *a,
                       int64_t **pairs, int *n, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc = MC_OK;

    *n = 0;
    *pairs = mc_arena_zalloc(a, sizeof(int64_t) * 2 * (size_t)max);
    if (*pairs == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(
        db,
        rare ? "SELECT s.arrived_at, s.left_at FROM dossiers d JOIN "
               "dossier_steps s ON s.dossier_id = d.id WHERE "
               "d.procedure_code = (SELECT code FROM procedures WHERE id = ?) "
               "AND s.step_seq + 0 = ? AND s.left_at IS NOT NULL "
               "ORDER BY s.left_at DESC, s.id DESC LIMIT ?"
             : "SELECT s.arrived_at, s.left_at FROM dossier_steps s JOIN "
               "dossiers d ON d.id = s.dossier_id WHERE "
               "d.procedure_code || '' = (SELECT code FROM procedures WHERE "
               "id = ?) AND s.step_seq = ? AND s.left_at IS NOT NULL "
               "ORDER BY s.left_at DESC, s.id DESC LIMIT ?",
        err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "iII", procedure_id, step_seq, max);
    while (*n < max && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        (*pairs)[2 * *n] = mc_stmt_i64(st, 0);
        (*pairs)[2 * *n + 1] = mc_stmt_i64(st, 1);
        (*n)++;
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_step_samples(struct mc_db *db, int64_t procedure_id, int step_seq,
                  int max, struct mc_arena *a, int64_t **pairs, int *n,
                  struct mc_err *err)
{
    int64_t many = 0;
    int rc;

    rc = mc_db_i64(db, &many, err,
                   "SELECT count(*) FROM (SELECT 1 FROM dossiers WHERE "
                   "procedure_code = (SELECT code FROM procedures WHERE "
                   "id = ?) LIMIT 5000) x",
                   "i", procedure_id);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_q_step_samples_plan(db, procedure_id, step_seq, max,
                                  many < STEP_SAMPLES_RARE, a, pairs, n, err);
}

int
mc_q_open_step_arrived(struct mc_db *db, int64_t dossier_id,
                       int64_t *arrived, struct mc_err *err)
{
    int rc = mc_q_dossier_sync(db, err); /* held open steps first */

    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_db_i64(db, arrived, err,
                       "SELECT arrived_at FROM dossier_steps WHERE "
                       "dossier_id = ? AND left_at IS NULL ORDER BY seq "
                       "DESC LIMIT 1",
                       "i", dossier_id);

    if (rc == MC_ENOTFOUND) {
        *arrived = 0;
        return MC_OK;
    }
    return rc;
}
