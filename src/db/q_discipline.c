/*
 * q_discipline.c - SQL for violations, the watch list and notifications
 * (see q_discipline.h).
 */
#include "db/q_discipline.h"
#include "db/q_dossier_int.h"

#include <string.h>

#include "util/json.h"

#define VCOLS                                                              \
    "id, rule, dossier_id, occurrence, official_id, unit_id, unit_path, "  \
    "evidence, at, state, decided_by, decided_at, decision_reason"

static void
row_to_violation(struct mc_stmt *st, struct mc_arena *a, void *item)
{
    struct mc_violation *v = item;

    memset(v, 0, sizeof(*v));
    v->id = mc_stmt_i64(st, 0);
    v->rule = mc_stmt_strdup(a, st, 1);
    v->dossier_id = mc_stmt_i64(st, 2);
    v->occurrence = mc_stmt_i64(st, 3);
    v->official_id = mc_stmt_i64(st, 4);
    v->unit_id = mc_stmt_i64(st, 5);
    v->unit_path = mc_stmt_strdup(a, st, 6);
    v->evidence = mc_stmt_strdup(a, st, 7);
    v->at = mc_stmt_i64(st, 8);
    v->state = mc_stmt_strdup(a, st, 9);
    v->decided_by = mc_stmt_i64(st, 10);
    v->decided_at = mc_stmt_i64(st, 11);
    v->decision_reason = mc_stmt_strdup(a, st, 12);
}

int
mc_q_violation_insert(struct mc_db *db, const struct mc_violation *v,
                      int64_t *id, struct mc_err *err)
{
    int rc = MC_OK;

    *id = 0;
    rc = mc_db_i64(db, id, err,
                   "INSERT INTO violations (rule, dossier_id, occurrence, "
                   "official_id, unit_id, unit_path, evidence, at) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dossier_id, rule, "
                   "occurrence) DO NOTHING RETURNING id",
                   "tiizitti", v->rule, v->dossier_id, v->occurrence,
                   v->official_id, v->unit_id, v->unit_path,
                   v->evidence ? v->evidence : "{}", v->at);
    if (rc == MC_ENOTFOUND) {
        *id = 0;
        return MC_OK;
    }
    return rc;
}

int
mc_q_violation_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                   struct mc_violation *out, struct mc_err *err)
{
    return mc_db_get(db, "SELECT " VCOLS " FROM violations WHERE id = ?",
                     id, row_to_violation, a, out, "not_found",
                     "no such violation", err);
}

int
mc_q_violation_decide(struct mc_db *db, int64_t id, const char *state,
                      int64_t by, int64_t at, const char *reason,
                      struct mc_err *err)
{
    int rc = mc_db_run(db, err,
                       "UPDATE violations SET state = ?, decided_by = ?, "
                       "decided_at = ?, decision_reason = ? WHERE id = ? "
                       "AND state = 'open'",
                       "tiiti", state, by, at, reason, id);

    if (rc == MC_OK && mc_db_changes(db) != 1) {
        return mc_err_set(err, MC_ECONFLICT, 409, "already_decided", NULL,
                          "this violation was already decided");
    }
    return rc;
}

/* WHERE clause shared by the list and its count (12 parameters). */
#define VWHERE                                                             \
    " WHERE (? = 1 OR (unit_path >= ? AND unit_path < ?))"                 \
    " AND (? = 1 OR (unit_path >= ? AND unit_path < ?))"                   \
    " AND (? = 0 OR state = ?) AND (? = 0 OR rule = ?)"                    \
    " AND (? = 0 OR official_id = ?)"

struct vwhere {
    const struct mc_q_range *s, *u;
    const struct mc_violation_filter *f;
};

static void
bind_vwhere(struct mc_stmt *st, const void *ctx)
{
    const struct vwhere *w = ctx;
    const struct mc_q_range *s = w->s, *u = w->u;
    const struct mc_violation_filter *f = w->f;

    mc_stmt_bindv(st, "IttIttItItIi", s->all, s->all ? "" : s->lo,
                  s->all ? "" : s->hi, u->all, u->all ? "" : u->lo,
                  u->all ? "" : u->hi, f->state != NULL, f->state,
                  f->rule != NULL, f->rule, f->official_id != 0,
                  f->official_id);
}

int
mc_q_violation_list(struct mc_db *db, const struct mc_q_range *scope,
                    const struct mc_q_range *u,
                    const struct mc_violation_filter *f, struct mc_arena *a,
                    struct mc_violation **out, int *n, int64_t *total,
                    struct mc_err *err)
{
    struct vwhere w = {scope, u, f};
    void *items = NULL;
    int rc;

    rc = mc_db_page(db, "SELECT COUNT(*) FROM violations" VWHERE,
                    "SELECT " VCOLS " FROM violations" VWHERE
                    " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
                    bind_vwhere, &w, 12, f->limit, f->offset,
                    sizeof(**out), row_to_violation, a, &items, n,
                    total, err);
    *out = items;
    return rc;
}

int
mc_q_discipline_summary(struct mc_db *db, const struct mc_q_range *r,
                        int64_t from, int64_t to, json_t **by_official,
                        json_t **by_unit, int64_t *total, struct mc_err *err)
{
    struct mc_stmt *st;
    json_t *offs = json_array(), *units = json_array(), *last = NULL;
    int64_t last_off = -1, last_unit = -1;
    int rc = MC_OK;

    *by_official = *by_unit = NULL;
    *total = 0;
    if (offs == NULL || units == NULL) {
        rc = MC_ENOMEM;
        goto out;
    }
    st = mc_db_prep(db,
                    "SELECT v.official_id, a.full_name, v.unit_id, v.rule, "
                    "COUNT(*) FROM violations v LEFT JOIN accounts a ON "
                    "a.id = v.official_id WHERE v.state = 'confirmed' AND "
                    "v.at >= ? AND v.at < ? AND (? = 1 OR (v.unit_path >= ? "
                    "AND v.unit_path < ?)) GROUP BY v.official_id, "
                    "a.full_name, v.unit_id, v.rule ORDER BY v.official_id, "
                    "v.unit_id, v.rule",
                    err);
    if (st == NULL) {
        rc = MC_EDB;
        goto out;
    }
    mc_stmt_bindv(st, "iiItt", from, to, r->all, r->all ? "" : r->lo,
                  r->all ? "" : r->hi);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        int64_t off = mc_stmt_i64(st, 0), unit = mc_stmt_i64(st, 2);
        int64_t cnt = mc_stmt_i64(st, 4);

        if (last == NULL || off != last_off || unit != last_unit) {
            last = json_pack("{s:o,s:s?,s:I,s:I,s:{}}", "official_id",
                             off ? json_integer(off) : json_null(), "name",
                             mc_stmt_text(st, 1), "unit_id",
                             (json_int_t)unit, "count", (json_int_t)0,
                             "rules");
            if (last == NULL || json_array_append_new(offs, last) != 0) {
                rc = MC_ENOMEM;
                break;
            }
            last_off = off;
            last_unit = unit;
        }
        json_object_set_new(last, "count",
                            json_integer(json_integer_value(json_object_get(
                                             last, "count")) +
                                         cnt));
        json_object_set_new(json_object_get(last, "rules"),
                            mc_stmt_text(st, 3), json_integer(cnt));
        *total += cnt;
    }
    mc_stmt_done(st);
    if (rc < 0) {
        goto out;
    }
    st = mc_db_prep(db,
                    "SELECT v.unit_id, u.name, u.code, COUNT(*) FROM "
                    "violations v JOIN units u ON u.id = v.unit_id WHERE "
                    "v.state = 'confirmed' AND v.at >= ? AND v.at < ? AND "
                    "(? = 1 OR (v.unit_path >= ? AND v.unit_path < ?)) "
                    "GROUP BY v.unit_id, u.name, u.code ORDER BY v.unit_id",
                    err);
    if (st == NULL) {
        rc = MC_EDB;
        goto out;
    }
    mc_stmt_bindv(st, "iiItt", from, to, r->all, r->all ? "" : r->lo,
                  r->all ? "" : r->hi);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        json_array_append_new(
            units, json_pack("{s:I,s:s?,s:s?,s:I}", "unit_id",
                             (json_int_t)mc_stmt_i64(st, 0), "name",
                             mc_stmt_text(st, 1), "code",
                             mc_stmt_text(st, 2), "count",
                             (json_int_t)mc_stmt_i64(st, 3)));
    }
    mc_stmt_done(st);
    if (rc < 0) {
        goto out;
    }
    *by_official = offs;
    *by_unit = units;
    offs = units = NULL;
    rc = MC_OK;
out:
    json_decref(offs);
    json_decref(units);
    return rc;
}

int
mc_q_first_late_step(struct mc_db *db, int64_t dossier_id,
                     struct mc_arena *a, int64_t *official, int64_t *unit_id,
                     const char **unit_path, int64_t *due_at,
                     int64_t *left_at, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT COALESCE(s.finished_by, s.holder_id), s.unit_id, u.path, "
        "s.due_at, s.left_at FROM dossier_steps s JOIN units u ON u.id = "
        "s.unit_id WHERE s.dossier_id = ? AND s.outcome = 'late' ORDER BY "
        "s.seq LIMIT 1",
        err);
    int rc = MC_OK;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", dossier_id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *official = mc_stmt_i64(st, 0);
        *unit_id = mc_stmt_i64(st, 1);
        *unit_path = mc_stmt_strdup(a, st, 2);
        *due_at = mc_stmt_i64(st, 3);
        *left_at = mc_stmt_i64(st, 4);
        rc = *unit_path ? MC_OK : MC_ENOMEM;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_last_event(struct mc_db *db, int64_t dossier_id,
                const char *const *actions, struct mc_arena *a,
                const char **action, const char **data, const char **reason,
                int64_t *at, struct mc_err *err)
{
    struct mc_stmt *st;
    int64_t best_seq = -1;
    int rc = MC_OK;

    for (int i = 0; actions[i] != NULL && rc == MC_OK; i++) {
        st = mc_db_prep(db,
                        "SELECT seq, action, data, reason, at FROM "
                        "dossier_events WHERE dossier_id = ? AND action = ? "
                        "ORDER BY seq DESC LIMIT 1",
                        err);
        if (st == NULL) {
            return MC_EDB;
        }
        mc_stmt_bindv(st, "it", dossier_id, actions[i]);
        rc = mc_stmt_step(st, err);
        if (rc == MC_DB_ROW && mc_stmt_i64(st, 0) > best_seq) {
            best_seq = mc_stmt_i64(st, 0);
            *action = mc_stmt_strdup(a, st, 1);
            *data = mc_stmt_strdup(a, st, 2);
            *reason = mc_stmt_strdup(a, st, 3);
            *at = mc_stmt_i64(st, 4);
        }
        mc_stmt_done(st);
        rc = rc < 0 ? rc : MC_OK;
    }
    if (rc == MC_OK && best_seq < 0) {
        rc = MC_ENOTFOUND;
    }
    return rc;
}

static int
id_list(struct mc_db *db, struct mc_stmt *st, struct mc_arena *a,
        int64_t **ids, int *n, int cap, struct mc_err *err)
{
    int rc = MC_OK;

    *n = 0;
    *ids = mc_arena_zalloc(a, sizeof(int64_t) * (size_t)cap);
    if (*ids == NULL) {
        mc_stmt_done(st);
        return MC_ENOMEM;
    }
    while (*n < cap && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        (*ids)[(*n)++] = mc_stmt_i64(st, 0);
    }
    mc_stmt_done(st);
    (void)db;
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_unit_leaders(struct mc_db *db, int64_t unit_id, struct mc_arena *a,
                  int64_t **ids, int *n, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(db,
                                    "SELECT id FROM accounts WHERE unit_id = "
                                    "? AND role = 'leader' AND active = 1 "
                                    "ORDER BY id LIMIT 32",
                                    err);

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", unit_id);
    return id_list(db, st, a, ids, n, 32, err);
}

int
mc_q_account_name(struct mc_db *db, int64_t id, struct mc_arena *a,
                  const char **name, struct mc_err *err)
{
    struct mc_stmt *st =
        mc_db_prep(db, "SELECT full_name FROM accounts WHERE id = ?", err);
    int rc = MC_OK;

    *name = NULL;
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *name = mc_stmt_strdup(a, st, 0);
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

/* ---- watch list ---- */

int
mc_q_watch_write(struct mc_db *db, int64_t dossier_id, int64_t at, int drop,
                 struct mc_err *err)
{
    if (drop) {
        return mc_db_run(db, err,
                         "DELETE FROM dossier_watch WHERE dossier_id = ?",
                         "i", dossier_id);
    }
    return mc_db_run(db, err,
                     "INSERT INTO dossier_watch (dossier_id, next_check_at) "
                     "VALUES (?, ?) ON CONFLICT (dossier_id) DO UPDATE SET "
                     "next_check_at = excluded.next_check_at",
                     "ii", dossier_id, at);
}

int
mc_q_watch_touch(struct mc_db *db, int64_t dossier_id, int64_t at,
                 struct mc_err *err)
{
    if (mc_q_dslot_states(db) != NULL) {
        return mc_q_ds_watch(db, dossier_id, at, 0, err);
    }
    return mc_q_watch_write(db, dossier_id, at, 0, err);
}

int
mc_q_watch_drop(struct mc_db *db, int64_t dossier_id, struct mc_err *err)
{
    if (mc_q_dslot_states(db) != NULL) {
        return mc_q_ds_watch(db, dossier_id, 0, 1, err);
    }
    return mc_q_watch_write(db, dossier_id, 0, 1, err);
}

int
mc_q_watch_due(struct mc_db *db, int64_t now, int max, struct mc_arena *a,
               int64_t **ids, int **levels, int *n, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc = MC_OK;

    *n = 0;
    if (mc_q_dossier_sync(db, err) != MC_OK) {
        return MC_EDB; /* the held watch rows first */
    }
    *ids = mc_arena_zalloc(a, sizeof(int64_t) * (size_t)max);
    *levels = mc_arena_zalloc(a, sizeof(int) * (size_t)max);
    if (*ids == NULL || *levels == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(db,
                    "SELECT dossier_id, level FROM dossier_watch WHERE "
                    "next_check_at <= ? ORDER BY next_check_at LIMIT ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "iI", now, max);
    while (*n < max && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        (*ids)[*n] = mc_stmt_i64(st, 0);
        (*levels)[*n] = (int)mc_stmt_i64(st, 1);
        (*n)++;
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_watch_set(struct mc_db *db, int64_t dossier_id, int64_t next, int level,
               int64_t marked_at, struct mc_err *err)
{
    return mc_db_run(db, err,
                     "UPDATE dossier_watch SET next_check_at = ?, level = ?, "
                     "marked_at = COALESCE(?, marked_at) WHERE dossier_id = ?",
                     "zIzi", next, level, marked_at, dossier_id);
}

/* ---- notifications ---- */

int
mc_q_notification_insert(struct mc_db *db,
                         const struct mc_notification_new *n, int64_t now,
                         int64_t *id, struct mc_err *err)
{
    int rc = MC_OK;

    *id = 0;
    rc = mc_db_i64(db, id, err,
                   "INSERT INTO notifications (account_id, dossier_id, kind, "
                   "title, body, address, dedup_key, created_at) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO "
                   "NOTHING RETURNING id",
                   "zzttttti", n->account_id,
                   n->dossier_id, n->kind, n->title, n->body, n->address,
                   n->dedup_key, now);
    if (rc == MC_ENOTFOUND) {
        *id = 0;
        return MC_OK;
    }
    return rc;
}

int
mc_q_delivery_insert(struct mc_db *db, int64_t notification_id,
                     const char *channel, int64_t now, struct mc_err *err)
{
    return mc_db_run(db, err,
                     "INSERT INTO deliveries (notification_id, channel, "
                     "next_attempt_at) VALUES (?, ?, ?) ON CONFLICT "
                     "(notification_id, channel) DO NOTHING",
                     "iti", notification_id, channel, now);
}

#define NCOLS                                                              \
    "n.id, n.kind, n.title, n.body, n.dossier_id, d.code, n.created_at, "  \
    "n.read_at"

static json_t *
row_to_notification(struct mc_stmt *st)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:s?,s:o,s:o}", "id",
                     (json_int_t)mc_stmt_i64(st, 0), "kind",
                     mc_stmt_text(st, 1), "title", mc_stmt_text(st, 2),
                     "body", mc_stmt_text(st, 3), "dossier_id",
                     mc_stmt_isnull(st, 4) ? json_null()
                                           : json_integer(mc_stmt_i64(st, 4)),
                     "dossier_code", mc_stmt_text(st, 5), "created_at",
                     mc_json_ts_value(mc_stmt_i64(st, 6)), "read_at",
                     mc_json_ts_value(mc_stmt_i64(st, 7)));
}

int
mc_q_notification_list(struct mc_db *db, int64_t account_id, int unread_only,
                       int limit, int offset, json_t **items, int64_t *total,
                       int64_t *unread, struct mc_err *err)
{
    struct mc_stmt *st;
    json_t *arr;
    int rc = MC_OK;

    *items = NULL;
    rc = mc_db_i64(db, unread, err,
                   "SELECT COUNT(*) FROM notifications WHERE account_id = ? "
                   "AND read_at IS NULL",
                   "i", account_id);
    if (rc == MC_OK) {
        rc = mc_db_i64(db, total, err,
                       "SELECT COUNT(*) FROM notifications WHERE account_id "
                       "= ? AND (? = 0 OR read_at IS NULL)",
                       "iI", account_id, unread_only);
    }
    if (rc != MC_OK) {
        return rc;
    }
    st = mc_db_prep(db,
                    "SELECT " NCOLS " FROM notifications n LEFT JOIN "
                    "dossiers d ON d.id = n.dossier_id WHERE n.account_id = "
                    "? AND (? = 0 OR n.read_at IS NULL) ORDER BY n.id DESC "
                    "LIMIT ? OFFSET ?",
                    err);
    arr = json_array();
    if (st == NULL || arr == NULL) {
        if (st != NULL) {
            mc_stmt_done(st);
        }
        json_decref(arr);
        return st == NULL ? MC_EDB : MC_ENOMEM;
    }
    mc_stmt_bindv(st, "iIII", account_id, unread_only, limit, offset);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        json_array_append_new(arr, row_to_notification(st));
    }
    mc_stmt_done(st);
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    *items = arr;
    return MC_OK;
}

int
mc_q_notification_read(struct mc_db *db, int64_t id, int64_t account_id,
                       int64_t now, json_t **out, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc = MC_OK;

    *out = NULL;
    rc = mc_db_run(db, err,
                   "UPDATE notifications SET read_at = COALESCE(read_at, ?) "
                   "WHERE id = ? AND account_id = ?",
                   "iii", now, id, account_id);
    if (rc != MC_OK) {
        return rc;
    }
    if (mc_db_changes(db) != 1) {
        return mc_err_set(err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such notification");
    }
    st = mc_db_prep(db,
                    "SELECT " NCOLS " FROM notifications n LEFT JOIN "
                    "dossiers d ON d.id = n.dossier_id WHERE n.id = ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *out = row_to_notification(st);
        rc = *out ? MC_OK : MC_ENOMEM;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_deliveries_due(struct mc_db *db, const char *channel, int64_t now,
                    int64_t lease_until, int max, struct mc_arena *a, struct mc_outbound **out,
                    int *n, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc = MC_OK;

    *n = 0;
    *out = mc_arena_zalloc(a, sizeof(**out) * (size_t)(max > 0 ? max : 1));
    if (*out == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(db,
                    "SELECT l.id, n.id, n.account_id, n.dossier_id, n.kind, "
                    "n.title, n.body, n.address, n.created_at, l.attempts "
                    "FROM deliveries l JOIN notifications n ON n.id = "
                    "l.notification_id WHERE l.state = 'pending' AND "
                    "l.channel = ? AND l.next_attempt_at <= ? ORDER BY "
                    "l.next_attempt_at, l.id LIMIT ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "tiI", channel, now, max);
    while (*n < max && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_outbound *m = &(*out)[*n];
        m->delivery_id = mc_stmt_i64(st, 0);
        m->notification_id = mc_stmt_i64(st, 1);
        m->account_id = mc_stmt_i64(st, 2);
        m->dossier_id = mc_stmt_i64(st, 3);
        m->kind = mc_stmt_strdup(a, st, 4);
        m->title = mc_stmt_strdup(a, st, 5);
        m->body = mc_stmt_strdup(a, st, 6);
        m->address = mc_stmt_strdup(a, st, 7);
        m->created_at = mc_stmt_i64(st, 8);
        m->attempt = (int)mc_stmt_i64(st, 9) + 1;
        (*n)++;
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    for (int i = 0; i < *n; i++) {
        rc = mc_db_run(db, err,
                       "UPDATE deliveries SET next_attempt_at = ? WHERE id "
                       "= ? AND state = 'pending'",
                       "ii", lease_until, (*out)[i].delivery_id);
        if (rc != MC_OK) {
            return rc;
        }
    }
    return MC_OK;
}

int
mc_q_delivery_result(struct mc_db *db, int64_t id, int ok, const char *error,
                     int64_t next_at, int give_up, int64_t now,
                     struct mc_err *err)
{
    if (ok) {
        return mc_db_run(db, err,
                         "UPDATE deliveries SET state = 'sent', attempts = "
                         "attempts + 1, sent_at = ?, last_error = NULL "
                         "WHERE id = ? AND state = 'pending'",
                         "ii", now, id);
    }
    return mc_db_run(db, err,
                     "UPDATE deliveries SET state = ?, attempts = attempts + "
                     "1, last_error = ?, next_attempt_at = ? WHERE id = ? "
                     "AND state = 'pending'",
                     "ttii", give_up ? "failed" : "pending", error, next_at,
                     id);
}
