/*
 * req.c - helpers that handlers use on a request: query args, body,
 * responses, role checks, the idempotent write path.
 */
#include <string.h>

#include "db/q_idem.h"
#include "domain/calendar.h"
#include "http/dispatch.h"
#include "http/http.h"
#include "sec/token.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/period.h"
#include "util/text.h"

struct mc_db *
mc_req_db(struct mc_req *r)
{
    if (r->rdb == NULL) {
        r->rdb = mc_dbpool_get(r->app->readers, &r->err);
    }
    return r->rdb;
}

const struct mc_calendar *
mc_req_calendar(struct mc_req *r)
{
    if (!r->cal_locked) {
        pthread_rwlock_rdlock(&r->app->cal_lock);
        r->cal_locked = 1;
    }
    return r->app->cal;
}

const char *
mc_req_query(struct mc_req *r, const char *name)
{
    for (int i = 0; i < r->nq; i++) {
        if (strcmp(r->qk[i], name) == 0) {
            return r->qv[i];
        }
    }
    return NULL;
}

int
mc_req_param_id(struct mc_req *r, int i, const char *what, int64_t *id)
{
    long long v;

    if (i < 0 || i >= r->nparams || mc_parse_i64(r->params[i], &v) != 0 ||
        v <= 0) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such %s", what);
    }
    *id = v;
    return MC_OK;
}

int
mc_req_query_int(struct mc_req *r, const char *name, long long def,
                 long long min, long long max, long long *out)
{
    const char *v = mc_req_query(r, name);
    long long x;

    if (v == NULL || *v == '\0') {
        *out = def;
        return MC_OK;
    }
    if (mc_parse_i64(v, &x) != 0 || x < min || x > max) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_query", name,
                          "query parameter '%s' must be an integer between "
                          "%lld and %lld",
                          name, min, max);
    }
    *out = x;
    return MC_OK;
}

int
mc_req_query_period(struct mc_req *r, const char *name, int months,
                    struct mc_period *p)
{
    return mc_period_arg(mc_req_query(r, name), mc_local_day(r->now), months,
                         name, p, &r->err);
}

int
mc_req_json(struct mc_req *r, json_t **out)
{
    if (r->content_type != NULL &&
        strncmp(r->content_type, "application/json", 16) != 0) {
        return mc_err_set(&r->err, MC_EINVAL, 415, "unsupported_media_type",
                          NULL, "the body must be application/json");
    }
    return mc_json_parse_object(r->body.data ? r->body.data : "",
                                r->body.len, out, &r->err);
}

int
mc_http_json(struct mc_req *r, int status, json_t *v)
{
    int rc;

    mc_buf_reset(&r->resp);
    r->resp_type = "application/json; charset=utf-8";
    if (v == NULL) {
        return mc_err_set(&r->err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    rc = mc_json_dump(v, &r->resp);
    json_decref(v);
    if (rc != MC_OK) {
        return mc_err_set(&r->err, rc, 500, "response_too_large", NULL,
                          "response too large");
    }
    r->status = status;
    return MC_OK;
}

int
mc_http_json_render(struct mc_req *r, int status,
                    int (*render)(void *ctx, struct mc_buf *out), void *ctx)
{
    int rc;

    mc_buf_reset(&r->resp);
    r->resp_type = "application/json; charset=utf-8";
    rc = mc_buf_reserve(&r->resp, 4096); /* a dossier: about 2.5 KB */
    if (rc == MC_OK) {
        rc = render(ctx, &r->resp);
    }
    if (rc == MC_ENOMEM) {
        return mc_err_set(&r->err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    if (rc != MC_OK) {
        return mc_err_set(&r->err, rc, 500, "response_too_large", NULL,
                          "response too large");
    }
    r->status = status;
    return MC_OK;
}

int
mc_http_get_by_id(struct mc_req *r, const char *what,
                  int (*get)(struct mc_db *db, const struct mc_actor *actor,
                             int64_t id, struct mc_arena *a, json_t **out,
                             struct mc_err *err))
{
    struct mc_db *db;
    json_t *out = NULL;
    int64_t id;
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK ||
        (rc = mc_req_param_id(r, 0, what, &id)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = get(db, &r->actor, id, &r->arena, &out, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, out);
}

int
mc_http_page(struct mc_req *r, json_t *items, int64_t total, int64_t limit,
             int64_t offset)
{
    return mc_http_json(r, 200,
                        json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total",
                                  (json_int_t)total, "limit",
                                  (json_int_t)limit, "offset",
                                  (json_int_t)offset));
}

int
mc_http_bytes(struct mc_req *r, int status, const char *type, const void *p,
              size_t n)
{
    mc_buf_reset(&r->resp);
    if (mc_buf_add(&r->resp, p, n) != MC_OK) {
        return mc_err_set(&r->err, MC_ETOOBIG, 500, "response_too_large",
                          NULL, "response too large");
    }
    r->resp_type = type;
    r->status = status;
    return MC_OK;
}

void
mc_http_header(struct mc_req *r, const char *name, const char *value)
{
    if (r->nresp_headers < 8) {
        r->resp_headers[r->nresp_headers][0] = name;
        r->resp_headers[r->nresp_headers][1] = value;
        r->nresp_headers++;
    }
}

int
mc_http_require(struct mc_req *r, unsigned role_mask)
{
    if (r->actor.role == MC_ROLE_NONE) {
        return mc_err_set(&r->err, MC_EAUTH, 401, "unauthenticated", NULL,
                          "log in first (POST /api/v1/sessions)");
    }
    if (!(role_mask & MC_R(r->actor.role))) {
        return mc_err_set(&r->err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "your role (%s) may not do this",
                          mc_role_name(r->actor.role));
    }
    return MC_OK;
}

/* ---- the idempotent write path ---- */

struct wctx {
    struct mc_req *r;
    int (*fn)(struct mc_db *, void *, json_t **, int *, struct mc_err *);
    void *ctx;
    int (*render)(void *ctx, struct mc_buf *out);
    char req_hash[MC_SHA256_HEX];
    json_t *result;
    int status;
    char *body;       /* serialised result (arena) when idempotent */
};

static int
write_tramp(struct mc_db *db, void *arg, struct mc_err *err)
{
    struct wctx *w = arg;
    struct mc_buf b;
    int rc;

    w->result = NULL;
    w->status = 200;
    rc = w->fn(db, w->ctx, &w->result, &w->status, err);
    if (rc != MC_OK || w->r->idem_key == NULL) {
        return rc;
    }
    mc_buf_init(&b, 16u << 20);
    if (w->result == NULL && w->render != NULL) {
        /* the stored answer must be the one of this transaction */
        rc = w->render(w->ctx, &b);
    } else {
        rc = mc_json_dump(w->result, &b);
    }
    if (rc == MC_ENOMEM) {
        rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                        "out of memory");
    } else if (rc == MC_OK) {
        w->body = mc_arena_strndup(&w->r->arena, b.data ? b.data : "",
                                   b.len);
        rc = mc_q_idem_put(db, w->r->actor.account_id, w->r->idem_key,
                           w->r->method, w->r->path, w->req_hash, w->status,
                           w->body ? w->body : "", w->r->now, err);
    }
    mc_buf_release(&b);
    if (rc != MC_OK) {
        json_decref(w->result);
        w->result = NULL;
    }
    return rc;
}

static int
replay(struct mc_req *r, const char *req_hash)
{
    struct mc_db *db = mc_req_db(r);
    const char *body, *stored_hash;
    int status, rc;

    if (db == NULL) {
        return MC_EDB;
    }
    rc = mc_q_idem_get(db, r->actor.account_id, r->idem_key, &r->arena,
                       &status, &body, &stored_hash, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    if (strcmp(stored_hash, req_hash) != 0) {
        return mc_err_set(&r->err, MC_ECONFLICT, 422, "idempotency_mismatch",
                          "Idempotency-Key",
                          "this Idempotency-Key was used for a different "
                          "request");
    }
    mc_http_header(r, "Idempotent-Replayed", "true");
    return mc_http_bytes(r, status, "application/json; charset=utf-8", body,
                         strlen(body));
}

int
mc_http_write(struct mc_req *r,
              int (*fn)(struct mc_db *db, void *ctx, json_t **result,
                        int *status, struct mc_err *err),
              void *ctx)
{
    return mc_http_write_render(r, fn, NULL, ctx);
}

/* Check the Idempotency-Key and replay a stored answer: MC_OK with the
 * answer set, MC_ENOTFOUND to go on with the write, else an error. */
static int
write_prepare(struct mc_req *r, struct wctx *w)
{
    struct mc_buf hb;
    int rc;

    if (r->idem_key != NULL) {
        size_t n = strlen(r->idem_key);
        if (n == 0 || n > 128 || !mc_utf8_valid(r->idem_key, n)) {
            return mc_err_set(&r->err, MC_EINVAL, 400, "bad_idempotency_key",
                              "Idempotency-Key",
                              "Idempotency-Key must be 1..128 characters");
        }
        mc_buf_init(&hb, r->body.len + 2048);
        if (mc_buf_printf(&hb, "%s %s\n", r->method, r->path) != MC_OK ||
            mc_buf_add(&hb, r->body.data ? r->body.data : "", r->body.len) !=
                MC_OK) {
            mc_buf_release(&hb);
            return mc_err_set(&r->err, MC_ENOMEM, 503, "out_of_memory", NULL,
                              "out of memory");
        }
        mc_sha256_hex(hb.data, hb.len, w->req_hash);
        mc_buf_release(&hb);
        rc = replay(r, w->req_hash);
        if (rc != MC_ENOTFOUND) {
            return rc;
        }
        mc_err_clear(&r->err);
    }
    /* Give the reader back while waiting for the group commit, so waiting
     * writers never starve readers of connections. */
    if (r->rdb != NULL) {
        mc_dbpool_put(r->app->readers, r->rdb);
        r->rdb = NULL;
    }
    return MC_ENOTFOUND;
}

/* The answer once the write has committed (rc MC_OK) or failed. */
static int
write_finish(struct mc_req *r, struct wctx *w, int rc)
{
    if (rc == MC_ECONFLICT && r->idem_key != NULL &&
        strcmp(r->err.code, "conflict") == 0) {
        /* A concurrent retry stored the key first: replay its answer. */
        mc_err_clear(&r->err);
        return replay(r, w->req_hash);
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (w->body != NULL) {
        return mc_http_bytes(r, w->status, "application/json; charset=utf-8",
                             w->body, strlen(w->body));
    }
    if (w->result == NULL && w->render != NULL) {
        /* written outside the writer thread */
        return mc_http_json_render(r, w->status, w->render, w->ctx);
    }
    return mc_http_json(r, w->status, w->result);
}

int
mc_http_write_render(struct mc_req *r,
                     int (*fn)(struct mc_db *db, void *ctx, json_t **result,
                               int *status, struct mc_err *err),
                     int (*render)(void *ctx, struct mc_buf *out), void *ctx)
{
    struct wctx w = {.r = r, .fn = fn, .ctx = ctx, .render = render};
    int rc;

    rc = write_prepare(r, &w);
    if (rc != MC_ENOTFOUND) {
        return rc;
    }
    rc = mc_writer_run(r->app->writer, write_tramp, &w, &r->err);
    return write_finish(r, &w, rc);
}

int
mc_http_write_async(struct mc_req *r,
                    int (*fn)(struct mc_db *db, void *ctx, json_t **result,
                              int *status, struct mc_err *err),
                    int (*render)(void *ctx, struct mc_buf *out), void *ctx)
{
    struct wctx *w;
    int rc;

    if (ctx == NULL) {
        return mc_err_set(&r->err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    if (!r->async_ok) {
        return mc_http_write_render(r, fn, render, ctx);
    }
    w = mc_arena_zalloc(&r->arena, sizeof(*w));
    if (w == NULL) {
        return mc_err_set(&r->err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    *w = (struct wctx){.r = r, .fn = fn, .ctx = ctx, .render = render};
    rc = write_prepare(r, w);
    if (rc != MC_ENOTFOUND) {
        return rc;
    }
    r->wpending = w;
    return MC_HTTP_PENDING;
}

int
mc_http_write_submit(struct mc_req *r, void (*done)(void *arg, int rc),
                     void *arg)
{
    return mc_writer_submit(r->app->writer, write_tramp, r->wpending,
                            &r->err, done, arg);
}

void
mc_http_write_resume(struct mc_req *r, int rc)
{
    struct wctx *w = r->wpending;

    r->wpending = NULL;
    rc = write_finish(r, w, rc);
    mc_dispatch_finish(r, rc);
}
