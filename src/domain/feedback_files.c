/*
 * feedback_files.c - attachments of a feedback: sent with it at intake
 * (by its citizen, the desk that transcribed it, or the partner system
 * that sent it) and with its answer (by the handling unit), readable by
 * whoever may read the feedback (mc_feedback_visible), never public.
 * The bytes are stored content-addressed like dossier attachments
 * (files table, http/r_files.c); this module only decides and records.
 */
#include <stdio.h>
#include <string.h>

#include "db/q_dossier.h"
#include "db/q_feedback.h"
#include "domain/feedback.h"
#include "sec/audit.h"
#include "sec/token.h"
#include "util/json.h"

static int
is(const char *a, const char *b)
{
    return a != NULL && strcmp(a, b) == 0;
}

static int
load(struct mc_db *db, const struct mc_actor *actor, int64_t id,
     struct mc_arena *a, struct mc_feedback *f, struct mc_err *err)
{
    int rc = mc_q_feedback_get(db, id, a, f, err);

    if (rc == MC_OK && !mc_feedback_visible(actor, f)) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "not_found", NULL,
                        "no such feedback");
    }
    return rc;
}

static int
submitter(const struct mc_actor *a, const struct mc_feedback *f)
{
    if (a->account_id == 0) {
        return 0;
    }
    if (a->role == MC_ROLE_CITIZEN) {
        return a->account_id == f->citizen_id;
    }
    return a->account_id == f->created_by;
}

/* An anonymous sender: the feedback's unexpired upload key, intake only. */
static int
anonymous(struct mc_db *db, const struct mc_feedback_file_new *c,
          struct mc_feedback *f, struct mc_err *err)
{
    char hash[MC_SHA256_HEX];
    const char *stored = NULL;
    int64_t until = 0;
    int rc;

    if (c->upload_key == NULL || c->upload_key[0] == '\0') {
        return mc_err_set(err, MC_EAUTH, 401, "unauthenticated", NULL,
                          "log in, or give the upload_key received with "
                          "the feedback");
    }
    rc = mc_q_feedback_get(db, c->feedback_id, c->arena, f, err);
    if (rc == MC_OK) {
        rc = mc_q_feedback_upload_key_get(db, f->id, c->arena, &stored,
                                          &until, err);
    }
    if (rc != MC_OK && rc != MC_ENOTFOUND) {
        return rc;
    }
    mc_sha256_hex(c->upload_key, strlen(c->upload_key), hash);
    if (rc == MC_ENOTFOUND || !mc_ct_equal(hash, stored) ||
        c->now >= until || !is(c->kind, "intake")) {
        mc_err_clear(err);
        return mc_err_set(err, MC_EFORBIDDEN, 403, "bad_upload_key",
                          "upload_key",
                          "this upload key is wrong, expired or not for "
                          "this feedback");
    }
    return MC_OK;
}

static int
check(struct mc_db *db, const struct mc_feedback_file_new *c,
      struct mc_feedback *f, struct mc_err *err)
{
    const struct mc_actor *a = c->actor;
    json_t *files = NULL;
    size_t n;
    int rc;

    if (!is(c->kind, "intake") && !is(c->kind, "answer")) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_kind", "kind",
                          "kind is intake or answer");
    }
    if (a->role == MC_ROLE_NONE) {
        rc = anonymous(db, c, f, err);
    } else {
        rc = load(db, a, c->feedback_id, c->arena, f, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (is(c->kind, "intake")) {
        if (a->role != MC_ROLE_NONE && !submitter(a, f)) {
            return mc_err_set(err, MC_EFORBIDDEN, 403, "not_submitter", NULL,
                              "only the sender of the feedback (or the "
                              "desk that transcribed it) attaches files to "
                              "it");
        }
        if (!is(f->state, "received") && !is(f->state, "info_requested")) {
            return mc_err_set(err, MC_ECONFLICT, 409, "wrong_state", NULL,
                              "files are attached to a feedback while it "
                              "is received or more information is "
                              "requested (state %s)",
                              f->state);
        }
    } else {
        if ((a->role != MC_ROLE_SPECIALIST && a->role != MC_ROLE_LEADER) ||
            !mc_actor_covers(a, f->unit_path)) {
            return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                              "only the handling unit's specialists and "
                              "leaders attach files to the answer");
        }
        if (!is(f->state, "received") && !is(f->state, "info_requested") &&
            !is(f->state, "drafted")) {
            return mc_err_set(err, MC_ECONFLICT, 409, "wrong_state", NULL,
                              "the answer's files are attached before it "
                              "is approved (state %s)",
                              f->state);
        }
    }
    if ((rc = mc_q_feedback_files_json(db, f->id, &files, err)) != MC_OK) {
        return rc;
    }
    n = json_array_size(files);
    json_decref(files);
    if (n >= MC_FEEDBACK_FILES_MAX) {
        return mc_err_set(err, MC_ECONFLICT, 409, "too_many_files", NULL,
                          "a feedback has at most %d files",
                          MC_FEEDBACK_FILES_MAX);
    }
    return MC_OK;
}

int
mc_feedback_file_allowed(struct mc_db *db,
                         const struct mc_feedback_file_new *c,
                         struct mc_err *err)
{
    struct mc_feedback f;

    return check(db, c, &f, err);
}

int
mc_feedback_file_add(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_feedback_file_new *c = ctx;
    struct mc_feedback f;
    int64_t id = 0;
    json_t *p;
    char obj[40];
    int rc;

    c->out = NULL;
    if ((rc = check(db, c, &f, err)) != MC_OK ||
        (rc = mc_q_file_put(db, c->sha256, c->size, c->mime, c->now,
                            err)) != MC_OK ||
        (rc = mc_q_feedback_file_add(db, f.id, c->kind, c->sha256, c->name,
                                     c->mime, c->size, c->actor->account_id,
                                     c->now, &id, err)) != MC_OK) {
        return rc;
    }
    snprintf(obj, sizeof(obj), "feedback:%lld", (long long)f.id);
    p = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s}", "file_id", (json_int_t)id,
                  "kind", c->kind, "sha256", c->sha256, "name", c->name,
                  "size", (json_int_t)c->size, "state", f.state);
    if (p == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_audit_append(db, c->actor->account_id, "feedback.file_upload",
                         obj, p, c->now, err);
    json_decref(p);
    if (rc != MC_OK) {
        return rc;
    }
    c->out = json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:s,s:o}", "id",
                       (json_int_t)id, "feedback_id", (json_int_t)f.id,
                       "kind", c->kind, "name", c->name, "mime", c->mime,
                       "size", (json_int_t)c->size, "sha256", c->sha256,
                       "at", mc_json_ts_value(c->now));
    return c->out ? MC_OK : MC_ENOMEM;
}

int
mc_feedback_files(struct mc_db *db, const struct mc_actor *actor, int64_t id,
                  json_t **out, struct mc_err *err)
{
    struct mc_arena a;
    struct mc_feedback f;
    json_t *items = NULL;
    int rc;

    *out = NULL;
    mc_arena_init(&a, 1u << 20);
    rc = load(db, actor, id, &a, &f, err);
    if (rc == MC_OK) {
        rc = mc_q_feedback_files_json(db, id, &items, err);
    }
    if (rc == MC_OK) {
        /* a draft's answer files stay with the handling unit */
        rc = mc_feedback_redact_files(actor, &f, &items);
    }
    mc_arena_release(&a);
    if (rc != MC_OK) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", items);
    return *out ? MC_OK : MC_ENOMEM;
}

int
mc_feedback_file_get(struct mc_db *db, const struct mc_actor *actor,
                     int64_t id, int64_t file_id, struct mc_arena *a,
                     const char **sha256, const char **name,
                     const char **mime, struct mc_err *err)
{
    struct mc_feedback f;
    int rc = load(db, actor, id, a, &f, err);

    if (rc != MC_OK) {
        return rc;
    }
    /* an answer attachment before the answer is sent: not yet theirs */
    return mc_q_feedback_file_get(db, id, file_id,
                                  mc_feedback_sees_draft(actor, &f), a,
                                  sha256, name, mime, err);
}

int
mc_feedback_upload_key_issue(struct mc_db *db, int64_t feedback_id,
                             int64_t now, json_t *out, struct mc_err *err)
{
    char key[MC_TOKEN_LEN + 1], hash[MC_SHA256_HEX];
    int64_t until = now + MC_FEEDBACK_UPLOAD_KEY_TTL;
    int rc;

    if (mc_token_new(key, sizeof(key)) != MC_OK) {
        return mc_err_set(err, MC_EINTERNAL, 500, "internal", NULL,
                          "no random key");
    }
    mc_sha256_hex(key, strlen(key), hash);
    rc = mc_q_feedback_upload_key_put(db, feedback_id, hash, until, err);
    if (rc != MC_OK) {
        return rc;
    }
    json_object_set_new(out, "upload_key", json_string(key));
    json_object_set_new(out, "upload_key_expires_at",
                        mc_json_ts_value(until));
    return MC_OK;
}
