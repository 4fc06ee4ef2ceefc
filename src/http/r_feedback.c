/*
 * r_feedback.c - /api/v1/feedback (intake, list, detail, actions,
 * attachments) and /api/v1/public/feedback (published answers without
 * personal data or attachments).
 */
#include <string.h>

#include "domain/feedback.h"
#include "http/router.h"
#include "util/json.h"
#include "util/text.h"

static int
write_fn(struct mc_db *db, void *arg, json_t **result, int *status,
         struct mc_err *err, int (*fn)(struct mc_db *, void *,
                                       struct mc_err *),
         json_t **out, int created)
{
    int rc = fn(db, arg, err);

    if (rc != MC_OK) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    *result = *out;
    *out = NULL;
    *status = created ? 201 : 200;
    return MC_OK;
}

struct create_ctx {
    struct mc_feedback_new c;
    struct mc_req *r;
};

/* Anonymous submissions count towards feedback_ip in the same write. */
static int
create_fn(struct mc_db *db, void *arg, json_t **result, int *status,
          struct mc_err *err)
{
    struct create_ctx *cc = arg;
    struct mc_req *r = cc->r;
    int rc = MC_OK;

    if (r->actor.role == MC_ROLE_NONE) {
        rc = mc_rate_hit(db, &r->app->rate, MC_RATE_FEEDBACK_IP,
                         r->client_ip, r->now, 1, &r->retry_after, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    return write_fn(db, &cc->c, result, status, err, mc_feedback_create,
                    &cc->c.out, 1);
}

static int
act_fn(struct mc_db *db, void *arg, json_t **result, int *status,
       struct mc_err *err)
{
    struct mc_feedback_op *op = arg;

    return write_fn(db, arg, result, status, err, mc_feedback_act, &op->out,
                    0);
}

/* Optional number field. */
static int
json_num(json_t *body, const char *key, int *has, double *out,
         struct mc_err *err)
{
    json_t *v = json_object_get(body, key);

    if (v == NULL || json_is_null(v)) {
        return MC_OK;
    }
    if (!json_is_number(v)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_type", key,
                          "%s must be a number", key);
    }
    *has = 1;
    *out = json_number_value(v);
    return MC_OK;
}

int
mc_h_feedback_create(struct mc_req *r)
{
    static const char *const allowed[] = {
        "category", "title", "content", "channel", "contact_name",
        "contact_phone", "contact_email", "address", "unit_code",
        "dossier_id", "official_id", "lat", "long", NULL};
    struct create_ctx cc = {.r = r};
    struct mc_feedback_new *cp = &cc.c;
    json_t *body = NULL;
    int rc;

    if ((rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "category", 1, 40, &r->arena, &cp->category,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "title", 1, 300, &r->arena, &cp->title,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "content", 1, 20000, &r->arena, &cp->content,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "channel", 0, 16, &r->arena, &cp->channel,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "contact_name", 0, 200, &r->arena,
                         &cp->contact_name, &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "contact_phone", 0, 20, &r->arena,
                         &cp->contact_phone, &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "contact_email", 0, 200, &r->arena,
                         &cp->contact_email, &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "address", 0, 500, &r->arena, &cp->address,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "unit_code", 0, 40, &r->arena,
                         &cp->unit_code, &r->err);
    if (rc == MC_OK)
        rc = mc_json_int(body, "dossier_id", 0, 1, INT64_MAX,
                         &cp->dossier_id, &r->err);
    if (rc == MC_OK)
        rc = mc_json_int(body, "official_id", 0, 1, INT64_MAX,
                         &cp->official_id, &r->err);
    if (rc == MC_OK)
        rc = json_num(body, "lat", &cp->has_geo, &cp->lat, &r->err);
    if (rc == MC_OK)
        rc = json_num(body, "long", &cp->has_geo, &cp->lon, &r->err);
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    if (cp->contact_email != NULL &&
        strchr(cp->contact_email, '@') == NULL) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_email",
                          "contact_email", "not an e-mail address");
    }
    cp->actor = &r->actor;
    cp->cal = mc_req_calendar(r);
    cp->arena = &r->arena;
    cp->now = r->now;
    rc = mc_http_write(r, create_fn, &cc);
    json_decref(cp->out);
    return rc;
}

int
mc_h_feedback_list(struct mc_req *r)
{
    struct mc_db *db;
    json_t *items = NULL;
    int64_t total = 0;
    long long limit, offset;
    const char *state = mc_req_query(r, "state");
    int rc;

    if ((rc = mc_http_require(r, MC_R_OFFICIALS | MC_R(MC_ROLE_CITIZEN))) !=
            MC_OK ||
        (rc = mc_req_query_int(r, "limit", 50, 1, 500, &limit)) != MC_OK ||
        (rc = mc_req_query_int(r, "offset", 0, 0, 10000000, &offset)) !=
            MC_OK) {
        return rc;
    }
    if (state != NULL && (*state == '\0' || strlen(state) > 20)) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_query", "state",
                          "bad state");
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_feedback_list(db, &r->actor, state, (int)limit, (int)offset,
                          &r->arena, &items, &total, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_page(r, items, total, limit, offset);
}

int
mc_h_feedback_get(struct mc_req *r)
{
    return mc_http_get_by_id(r, "feedback", mc_feedback_get);
}

/* The action is the last path segment ("request-info" -> request_info). */
int
mc_h_feedback_action(struct mc_req *r)
{
    static const char *const allowed[] = {"unit_code", "reason", "text",
                                          "decision", "legal_basis",
                                          "rating", NULL};
    struct mc_feedback_op op = {0};
    const char *seg = strrchr(r->path, '/');
    json_t *body = NULL;
    int rc;

    if ((rc = mc_http_require(r, MC_R_OFFICIALS | MC_R(MC_ROLE_CITIZEN))) !=
            MC_OK ||
        (rc = mc_req_param_id(r, 0, "feedback", &op.id)) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "unit_code", 0, 40, &r->arena, &op.unit_code,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "reason", 0, 4000, &r->arena, &op.reason,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "text", 0, 20000, &r->arena, &op.text,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "decision", 0, 40, &r->arena, &op.decision,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "legal_basis", 0, 2000, &r->arena,
                         &op.legal_basis, &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "rating", 0, 20, &r->arena, &op.rating,
                         &r->err);
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    op.action = strcmp(seg + 1, "request-info") == 0 ? "request_info"
                                                     : seg + 1;
    op.actor = &r->actor;
    op.cal = mc_req_calendar(r);
    op.arena = &r->arena;
    op.now = r->now;
    rc = mc_http_write(r, act_fn, &op);
    json_decref(op.out);
    return rc;
}

int
mc_h_public_feedback_list(struct mc_req *r)
{
    struct mc_db *db;
    json_t *out = NULL;
    long long limit, offset;
    int rc;

    if ((rc = mc_req_query_int(r, "limit", 50, 1, 500, &limit)) != MC_OK ||
        (rc = mc_req_query_int(r, "offset", 0, 0, 10000000, &offset)) !=
            MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_feedback_public(db, 0, (int)limit, (int)offset, &r->arena, &out,
                            &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, out);
}

int
mc_h_public_feedback_get(struct mc_req *r)
{
    struct mc_db *db;
    json_t *out = NULL;
    int64_t id;
    int rc;

    if ((rc = mc_req_param_id(r, 0, "feedback", &id)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_feedback_public(db, id, 1, 0, &r->arena, &out, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, out);
}

/* ---- attachments (the bytes: mc_http_upload_*, r_files.c) ---- */

static int
file_fn(struct mc_db *db, void *arg, json_t **result, int *status,
        struct mc_err *err)
{
    struct mc_feedback_file_new *c = arg;

    return write_fn(db, arg, result, status, err, mc_feedback_file_add,
                    &c->out, 1);
}

int
mc_h_feedback_file_upload(struct mc_req *r)
{
    struct mc_feedback_file_new c = {0};
    struct mc_db *db;
    const char *kind = mc_req_query(r, "kind");
    int rc;

    c.upload_key = mc_req_query(r, "upload_key");
    if ((r->actor.role != MC_ROLE_NONE || c.upload_key == NULL) &&
        (rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK) {
        return rc;
    }
    if ((rc = mc_req_param_id(r, 0, "feedback", &c.feedback_id)) != MC_OK) {
        return rc;
    }
    c.actor = &r->actor;
    c.arena = &r->arena;
    c.now = r->now;
    c.kind = kind != NULL ? kind : "intake";
    if ((rc = mc_http_upload_body(r, &c.name, &c.mime, &c.sha256)) != MC_OK) {
        return rc;
    }
    c.size = (int64_t)r->body.len;
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    if ((rc = mc_feedback_file_allowed(db, &c, &r->err)) != MC_OK ||
        (rc = mc_http_upload_store(r, c.sha256)) != MC_OK) {
        return rc;
    }
    return mc_http_write(r, file_fn, &c);
}

int
mc_h_feedback_files_list(struct mc_req *r)
{
    struct mc_db *db;
    json_t *out = NULL;
    int64_t id;
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK ||
        (rc = mc_req_param_id(r, 0, "feedback", &id)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    if ((rc = mc_feedback_files(db, &r->actor, id, &out, &r->err)) != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, out);
}

int
mc_h_feedback_file_get(struct mc_req *r)
{
    const char *sha, *name, *mime;
    struct mc_db *db;
    long long fid;
    int64_t id;
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK ||
        (rc = mc_req_param_id(r, 0, "feedback", &id)) != MC_OK) {
        return rc;
    }
    if (mc_parse_i64(r->params[1], &fid) != 0 || fid <= 0) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "file_not_found", NULL,
                          "no such file");
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_feedback_file_get(db, &r->actor, id, fid, &r->arena, &sha, &name,
                              &mime, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    (void)name;
    return mc_http_upload_send(r, sha, mime);
}
