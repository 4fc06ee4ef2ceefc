/*
 * dispatch.c - route a request and turn every failure into a JSON error.
 */
#include "http/dispatch.h"

#include <string.h>

#include "http/router.h"
#include "util/log.h"
#include "util/text.h"

void
mc_http_error(struct mc_req *r, int rc)
{
    json_t *e;

    if (r->err.code[0] == '\0') {
        mc_err_set(&r->err, rc, 0, rc == MC_ENOTFOUND ? "not_found"
                                                       : "internal_error",
                   NULL, "%s", rc == MC_ENOTFOUND ? "not found"
                                                   : "internal error");
    }
    if (r->err.status < 400 || r->err.status > 599) {
        r->err.status = mc_err_http_status(rc < 0 ? rc : MC_EINTERNAL);
    }
    if (r->err.status >= 500) {
        mc_log_warn("%s %s -> %d %s: %s", r->method, r->path, r->err.status,
                    r->err.code, r->err.message);
    }
    e = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", r->err.code,
                  "message", r->err.message, "field",
                  r->err.field[0] ? r->err.field : NULL);
    mc_buf_reset(&r->resp);
    r->nresp_headers = 0;
    if (r->err.status == 401) {
        mc_http_header(r, "WWW-Authenticate", "Bearer");
    }
    if (r->err.status == 429 && r->retry_after > 0) {
        mc_http_header(r, "Retry-After",
                       mc_arena_printf(&r->arena, "%lld",
                                       (long long)r->retry_after));
    }
    mc_http_json(r, r->err.status, e);
}

static int
path_ok(const char *p)
{
    size_t n = strlen(p);

    if (n == 0 || n > 1024 || p[0] != '/' || !mc_utf8_valid(p, n)) {
        return 0;
    }
    return 1;
}

static int
is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strncmp(path, "/open311/", 9) == 0;
}

int
mc_dispatch_inline(struct mc_req *r)
{
    const struct mc_route *rt;
    int known = 0;

    if (!path_ok(r->path) || !is_api(r->path)) {
        return 1;
    }
    rt = mc_route_match(r, r->method, r->path, &known);
    r->route = rt;
    return rt == NULL || (rt->flags & MC_RT_INLINE) != 0;
}

void
mc_dispatch_finish(struct mc_req *r, int rc)
{
    if (rc == MC_HTTP_PENDING && r->wpending != NULL) {
        return;
    }
    if (rc != MC_OK) {
        mc_http_error(r, rc);
    } else if (r->status == 0) {
        mc_err_set(&r->err, MC_EINTERNAL, 500, "no_response", NULL,
                   "handler produced no response");
        mc_http_error(r, MC_EINTERNAL);
    }
}

void
mc_dispatch(struct mc_req *r)
{
    const struct mc_route *rt = r->route;
    int known = 0, rc;

    if (!path_ok(r->path)) {
        mc_err_set(&r->err, MC_EINVAL, 400, "bad_path", NULL,
                   "the request path is not valid");
        mc_http_error(r, MC_EINVAL);
        return;
    }
    if (!is_api(r->path)) {
        if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
            mc_err_set(&r->err, MC_EINVAL, 405, "method_not_allowed", NULL,
                       "method %s not allowed here", r->method);
            mc_http_error(r, MC_EINVAL);
            return;
        }
        rc = mc_static_serve(r);
        if (rc != MC_OK) {
            mc_http_error(r, rc);
        }
        return;
    }
    if (rt == NULL) {
        rt = mc_route_match(r, r->method, r->path, &known);
    }
    if (rt == NULL) {
        if (known) {
            mc_err_set(&r->err, MC_EINVAL, 405, "method_not_allowed", NULL,
                       "method %s is not allowed on %s", r->method,
                       r->path);
        } else {
            mc_err_set(&r->err, MC_ENOTFOUND, 404, "unknown_route", NULL,
                       "no such API route: %s", r->path);
        }
        mc_http_error(r, known ? MC_EINVAL : MC_ENOTFOUND);
        return;
    }
    if (r->body_too_big) {
        mc_err_set(&r->err, MC_ETOOBIG, 413, "body_too_large", NULL,
                   "the request body exceeds %zu bytes", r->body.max);
        mc_http_error(r, MC_ETOOBIG);
        return;
    }
    rc = mc_auth_resolve(r);
    if (rc == MC_OK) {
        rc = rt->fn(r);
    }
    mc_dispatch_finish(r, rc);
}
