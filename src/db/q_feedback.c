/*
 * q_feedback.c - SQL for feedback (see q_feedback.h).
 */
#include "db/q_feedback.h"

#include <string.h>

#include "db/q_dossier.h"
#include "util/json.h"

#define FCOLS                                                              \
    "f.id, f.ref, f.channel, f.category, f.title, f.content, "             \
    "f.citizen_id, f.contact_name, f.contact_phone, f.contact_email, "     \
    "f.address, f.dossier_id, f.official_id, f.unit_id, f.unit_path, "    \
    "u.name, u.code, f.state, f.received_at, f.first_received_at, "        \
    "f.due_reject, f.due_info, f.due_answer, f.due_publish, "              \
    "f.forward_until, f.forwards, f.state_note, f.answer_text, "           \
    "f.answer_fold, f.decision, f.legal_basis, f.drafted_by, "             \
    "f.drafted_at, f.approved_by, f.answered_at, f.published_at, "         \
    "f.rating, f.rated_at, f.overdue_level, f.created_by, f.updated_at, " \
    "f.lat, f.lon"

static void
row(struct mc_stmt *st, struct mc_arena *a, void *item)
{
    struct mc_feedback *f = item;

    int c = 0;

    memset(f, 0, sizeof(*f));
    f->id = mc_stmt_i64(st, c++);
    f->ref = mc_stmt_strdup(a, st, c++);
    f->channel = mc_stmt_strdup(a, st, c++);
    f->category = mc_stmt_strdup(a, st, c++);
    f->title = mc_stmt_strdup(a, st, c++);
    f->content = mc_stmt_strdup(a, st, c++);
    f->citizen_id = mc_stmt_i64(st, c++);
    f->contact_name = mc_stmt_strdup(a, st, c++);
    f->contact_phone = mc_stmt_strdup(a, st, c++);
    f->contact_email = mc_stmt_strdup(a, st, c++);
    f->address = mc_stmt_strdup(a, st, c++);
    f->dossier_id = mc_stmt_i64(st, c++);
    f->official_id = mc_stmt_i64(st, c++);
    f->unit_id = mc_stmt_i64(st, c++);
    f->unit_path = mc_stmt_strdup(a, st, c++);
    f->unit_name = mc_stmt_strdup(a, st, c++);
    f->unit_code = mc_stmt_strdup(a, st, c++);
    f->state = mc_stmt_strdup(a, st, c++);
    f->received_at = mc_stmt_i64(st, c++);
    f->first_received_at = mc_stmt_i64(st, c++);
    f->due_reject = mc_stmt_i64(st, c++);
    f->due_info = mc_stmt_i64(st, c++);
    f->due_answer = mc_stmt_i64(st, c++);
    f->due_publish = mc_stmt_i64(st, c++);
    f->forward_until = mc_stmt_i64(st, c++);
    f->forwards = (int)mc_stmt_i64(st, c++);
    f->state_note = mc_stmt_strdup(a, st, c++);
    f->answer_text = mc_stmt_strdup(a, st, c++);
    f->answer_fold = mc_stmt_strdup(a, st, c++);
    f->decision = mc_stmt_strdup(a, st, c++);
    f->legal_basis = mc_stmt_strdup(a, st, c++);
    f->drafted_by = mc_stmt_i64(st, c++);
    f->drafted_at = mc_stmt_i64(st, c++);
    f->approved_by = mc_stmt_i64(st, c++);
    f->answered_at = mc_stmt_i64(st, c++);
    f->published_at = mc_stmt_i64(st, c++);
    f->rating = mc_stmt_strdup(a, st, c++);
    f->rated_at = mc_stmt_i64(st, c++);
    f->overdue_level = (int)mc_stmt_i64(st, c++);
    f->created_by = mc_stmt_i64(st, c++);
    f->updated_at = mc_stmt_i64(st, c++);
    f->has_geo = !mc_stmt_isnull(st, c);
    f->lat = mc_stmt_double(st, c++);
    f->lon = mc_stmt_double(st, c++);
}

int
mc_q_feedback_next_id(struct mc_db *db, int64_t *id, struct mc_err *err)
{
    return mc_db_i64(db, id, err,
                     "SELECT COALESCE(MAX(id), 0) + 1 FROM feedback", "");
}

int
mc_q_feedback_insert(struct mc_db *db, const struct mc_feedback *f,
                     struct mc_err *err)
{
    int rc = mc_db_run(
        db, err,
        "INSERT INTO feedback (id, ref, channel, category, title, content, "
        "citizen_id, contact_name, contact_phone, contact_email, address, "
        "dossier_id, official_id, unit_id, unit_path, state, received_at, "
        "first_received_at, due_reject, due_info, due_answer, "
        "forward_until, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?)",
        "itttttzttttzzitiiiiiizi", f->id, f->ref, f->channel, f->category,
        f->title, f->content, f->citizen_id, f->contact_name,
        f->contact_phone, f->contact_email, f->address, f->dossier_id,
        f->official_id, f->unit_id, f->unit_path, f->received_at,
        f->first_received_at, f->due_reject, f->due_info, f->due_answer,
        f->forward_until, f->created_by, f->updated_at);

    if (rc == MC_OK && f->has_geo) {
        rc = mc_db_run(db, err, "UPDATE feedback SET lat = ?, lon = ? WHERE "
                       "id = ?", "ddi", f->lat, f->lon, f->id);
    }
    return rc;
}

int
mc_q_feedback_update(struct mc_db *db, const struct mc_feedback *f,
                     struct mc_err *err)
{
    return mc_db_run(
        db, err,
        "UPDATE feedback SET state = ?, unit_id = ?, unit_path = ?, "
        "received_at = ?, due_reject = ?, due_info = ?, due_answer = ?, "
        "due_publish = ?, forward_until = ?, forwards = ?, state_note = ?, "
        "answer_text = ?, answer_fold = ?, decision = ?, legal_basis = ?, "
        "drafted_by = ?, drafted_at = ?, approved_by = ?, answered_at = ?, "
        "published_at = ?, rating = ?, rated_at = ?, overdue_level = ?, "
        "updated_at = ? WHERE id = ?",
        "titiiiiziItttttzzzzztzIii", f->state, f->unit_id, f->unit_path,
        f->received_at, f->due_reject, f->due_info, f->due_answer,
        f->due_publish, f->forward_until, f->forwards, f->state_note,
        f->answer_text, f->answer_fold, f->decision, f->legal_basis,
        f->drafted_by, f->drafted_at, f->approved_by, f->answered_at,
        f->published_at, f->rating, f->rated_at, f->overdue_level,
        f->updated_at, f->id);
}

int
mc_q_feedback_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                  struct mc_feedback *out, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(db,
                                    "SELECT " FCOLS " FROM feedback f JOIN "
                                    "units u ON u.id = f.unit_id WHERE "
                                    "f.id = ?",
                                    err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        row(st, a, out);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "not_found", NULL,
                        "no such feedback");
    }
    mc_stmt_done(st);
    return rc;
}

#define FWHERE                                                             \
    " WHERE (? = 1 OR (f.unit_path >= ? AND f.unit_path < ?))"             \
    " AND (? = 0 OR f.citizen_id = ?) AND (? = 0 OR f.state = ?)"          \
    " AND (? = 0 OR f.state = 'published')"                                \
    " AND (? = 0 OR f.category = ?) AND (? = 0 OR f.first_received_at >= ?)" \
    " AND (? = 0 OR f.first_received_at <= ?) AND (? = 0 OR (? = 1 AND"    \
    " f.state IN ('received', 'info_requested', 'drafted')) OR (? = 2 AND"  \
    " f.state IN ('rejected', 'answered', 'published')))"

static void
bind_where(struct mc_stmt *st, const void *ctx)
{
    const struct mc_q_feedback_filter *f = ctx;

    mc_stmt_bindv(st, "IttiiItIItIiIiIII", f->all, f->all ? "" : f->lo,
                  f->all ? "" : f->hi, f->citizen_id, f->citizen_id,
                  f->state != NULL, f->state, f->published_only,
                  f->category != NULL, f->category, f->from != 0, f->from,
                  f->to != 0, f->to, f->status, f->status, f->status);
}

int
mc_q_feedback_list(struct mc_db *db, const struct mc_q_feedback_filter *f,
                   struct mc_arena *a, struct mc_feedback **out, int *n,
                   int64_t *total, struct mc_err *err)
{
    void *items = NULL;
    int rc;

    rc = mc_db_page(db, "SELECT COUNT(*) FROM feedback f" FWHERE,
                    "SELECT " FCOLS " FROM feedback f JOIN units u ON "
                    "u.id = f.unit_id" FWHERE
                    " ORDER BY f.id DESC LIMIT ? OFFSET ?",
                    bind_where, f, 17, f->limit, f->offset, sizeof(**out),
                    row, a, &items, n, total, err);
    *out = items;
    return rc;
}

int
mc_q_feedback_deadline(struct mc_db *db, const char *category,
                       const char *step, int64_t at, int *days,
                       struct mc_err *err)
{
    int64_t v = 0;
    int rc = mc_db_i64(db, &v, err,
                       "SELECT working_days FROM feedback_deadlines WHERE "
                       "category = ? AND step = ? AND effective_from <= ? "
                       "ORDER BY effective_from DESC LIMIT 1",
                       "tti", category, step, at);

    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_EINVAL, 422, "no_deadline", "category",
                          "no %s deadline configured for %s", step,
                          category);
    }
    *days = (int)v;
    return rc;
}

int
mc_q_feedback_unit_answers(struct mc_db *db, int64_t unit_id,
                           int64_t exclude_id, struct mc_arena *a,
                           const char ***folds, const char ***refs, int *n,
                           struct mc_err *err)
{
    struct mc_stmt *st;
    int rc, cap = 64;
    const char **fo = mc_arena_alloc(a, (size_t)cap * sizeof(*fo));
    const char **re = mc_arena_alloc(a, (size_t)cap * sizeof(*re));

    *n = 0;
    if (fo == NULL || re == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(db,
                    "SELECT answer_fold, ref FROM feedback WHERE unit_id = ? "
                    "AND id <> ? AND state IN ('answered', 'published') "
                    "AND answer_fold IS NOT NULL ORDER BY id",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ii", unit_id, exclude_id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        if (*n == cap) {
            const char **f2 = mc_arena_alloc(a, 2 * (size_t)cap * sizeof(*f2));
            const char **r2 = mc_arena_alloc(a, 2 * (size_t)cap * sizeof(*r2));
            if (f2 == NULL || r2 == NULL) {
                rc = MC_ENOMEM;
                break;
            }
            memcpy(f2, fo, (size_t)cap * sizeof(*f2));
            memcpy(r2, re, (size_t)cap * sizeof(*r2));
            fo = f2;
            re = r2;
            cap *= 2;
        }
        fo[*n] = mc_stmt_strdup(a, st, 0);
        re[*n] = mc_stmt_strdup(a, st, 1);
        (*n)++;
    }
    mc_stmt_done(st);
    *folds = fo;
    *refs = re;
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_feedback_overdue(struct mc_db *db, int64_t now, int max,
                      struct mc_arena *a, int64_t **ids, int *n,
                      struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    *n = 0;
    *ids = mc_arena_alloc(a, (size_t)max * sizeof(**ids));
    if (*ids == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(db,
                    "SELECT id FROM feedback WHERE (overdue_level < 1 AND "
                    "state IN ('received', 'info_requested', 'drafted') "
                    "AND due_answer < ?) OR (overdue_level < 2 AND state = "
                    "'answered' AND due_publish IS NOT NULL AND "
                    "due_publish < ?) "
                    "ORDER BY id LIMIT ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "iiI", now, now, max);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW && *n < max) {
        (*ids)[(*n)++] = mc_stmt_i64(st, 0);
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_q_feedback_account(struct mc_db *db, int64_t id, struct mc_arena *a,
                      const char **role, int64_t *unit_id, struct mc_err *err)
{
    struct mc_stmt *st =
        mc_db_prep(db, "SELECT role, unit_id FROM accounts WHERE id = ?", err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *role = mc_stmt_strdup(a, st, 0);
        *unit_id = mc_stmt_i64(st, 1);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_feedback_dossier_unit(struct mc_db *db, int64_t dossier_id,
                           int64_t *unit_id, struct mc_err *err)
{
    return mc_db_i64(db, unit_id, err,
                     "SELECT unit_id FROM dossiers WHERE id = ?", "i",
                     dossier_id);
}

int
mc_q_violation_insert_feedback(struct mc_db *db,
                               const struct mc_violation *v,
                               int64_t feedback_id, int64_t *id,
                               struct mc_err *err)
{
    int rc;

    *id = 0;
    rc = mc_db_i64(db, id, err,
                   "INSERT INTO violations (rule, dossier_id, occurrence, "
                   "official_id, unit_id, unit_path, evidence, at, "
                   "feedback_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON "
                   "CONFLICT (feedback_id, rule, occurrence) DO NOTHING "
                   "RETURNING id",
                   "tzizittii", v->rule, v->dossier_id, v->occurrence,
                   v->official_id, v->unit_id, v->unit_path,
                   v->evidence ? v->evidence : "{}", v->at, feedback_id);
    if (rc == MC_ENOTFOUND) {
        *id = 0;
        return MC_OK;
    }
    return rc;
}

int
mc_q_open311_key_insert(struct mc_db *db, const char *key_hash,
                        const char *label, int64_t unit_id,
                        int64_t created_by, int64_t now, int64_t *id,
                        struct mc_err *err)
{
    return mc_db_i64(db, id, err,
                     "INSERT INTO open311_keys (key_hash, label, unit_id, "
                     "created_by, created_at) VALUES (?, ?, ?, ?, ?) "
                     "RETURNING id",
                     "ttzzi", key_hash, label, unit_id, created_by, now);
}

int
mc_q_open311_key_find(struct mc_db *db, const char *key_hash,
                      int64_t *unit_id, struct mc_err *err)
{
    return mc_db_i64(db, unit_id, err,
                     "SELECT COALESCE(unit_id, 0) FROM open311_keys WHERE "
                     "key_hash = ? AND revoked_at IS NULL",
                     "t", key_hash);
}

/* ---- attachments ---- */

int
mc_q_feedback_file_add(struct mc_db *db, int64_t feedback_id,
                       const char *kind, const char *sha256, const char *name,
                       const char *mime, int64_t size, int64_t by, int64_t at,
                       int64_t *id, struct mc_err *err)
{
    return mc_db_i64(db, id, err,
                     "INSERT INTO feedback_files (feedback_id, kind, sha256, "
                     "name, mime, size, uploaded_by, at) VALUES (?, ?, ?, ?, "
                     "?, ?, ?, ?) RETURNING id",
                     "ittttizi", feedback_id, kind, sha256, name, mime, size,
                     by, at);
}

int
mc_q_feedback_files_json(struct mc_db *db, int64_t feedback_id, json_t **out,
                         struct mc_err *err)
{
    struct mc_stmt *st;
    json_t *arr = json_array();
    int rc;

    *out = NULL;
    st = mc_db_prep(db,
                    "SELECT id, kind, name, mime, size, sha256, at FROM "
                    "feedback_files WHERE feedback_id = ? ORDER BY id",
                    err);
    if (st == NULL || arr == NULL) {
        json_decref(arr);
        if (st != NULL) {
            mc_stmt_done(st);
        }
        return st == NULL ? MC_EDB : MC_ENOMEM;
    }
    mc_stmt_bindv(st, "i", feedback_id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:o}", "id",
                           (json_int_t)mc_stmt_i64(st, 0), "kind",
                           mc_stmt_text(st, 1), "name", mc_stmt_text(st, 2),
                           "mime", mc_stmt_text(st, 3), "size",
                           (json_int_t)mc_stmt_i64(st, 4), "sha256",
                           mc_stmt_text(st, 5), "at",
                           mc_json_ts_value(mc_stmt_i64(st, 6))));
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
mc_q_feedback_file_get(struct mc_db *db, int64_t feedback_id, int64_t file_id,
                       int answers, struct mc_arena *a, const char **sha256,
                       const char **name, const char **mime,
                       struct mc_err *err)
{
    return mc_q_attachment_get(
        db,
        answers ? "SELECT sha256, name, mime FROM feedback_files WHERE "
                  "feedback_id = ? AND id = ?"
                : "SELECT sha256, name, mime FROM feedback_files WHERE "
                  "feedback_id = ? AND id = ? AND kind <> 'answer'",
        feedback_id, file_id, a, sha256, name, mime,
        "no such file on this feedback", err);
}

int
mc_q_feedback_upload_key_put(struct mc_db *db, int64_t feedback_id,
                             const char *key_hash, int64_t expires_at,
                             struct mc_err *err)
{
    return mc_db_run(db, err,
                     "INSERT INTO feedback_upload_keys (feedback_id, "
                     "key_hash, expires_at) VALUES (?, ?, ?)",
                     "iti", feedback_id, key_hash, expires_at);
}

int
mc_q_feedback_upload_key_get(struct mc_db *db, int64_t feedback_id,
                             struct mc_arena *a, const char **key_hash,
                             int64_t *expires_at, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "SELECT key_hash, expires_at FROM feedback_upload_keys "
                    "WHERE feedback_id = ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", feedback_id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *key_hash = mc_arena_strdup(a, mc_stmt_text(st, 0));
        *expires_at = mc_stmt_i64(st, 1);
        rc = *key_hash ? MC_OK : MC_ENOMEM;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}
