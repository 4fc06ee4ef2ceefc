/*
 * r_misc.c - health, the OpenAPI document, and the test clock.
 */
#include <string.h>

#include "http/router.h"
#include "util/embed.h"
#include "util/json.h"
#include "util/mctime.h"

int
mc_h_health(struct mc_req *r)
{
    struct mc_db *db = mc_req_db(r);
    long long commits = 0, writes = 0;
    int64_t one = 0;

    if (db == NULL || mc_db_i64(db, &one, &r->err, "SELECT 1", "") != MC_OK) {
        return mc_err_set(&r->err, MC_EDB, 503, "database_unavailable", NULL,
                          "the database is not reachable");
    }
    mc_writer_stats(r->app->writer, &commits, &writes);
    return mc_http_json(r, 200,
                        json_pack("{s:s,s:s,s:o,s:I,s:I}", "status", "ok",
                                  "service", "motcua", "time",
                                  mc_json_ts_value(r->now), "commits",
                                  (json_int_t)commits, "writes",
                                  (json_int_t)writes));
}

int
mc_h_openapi(struct mc_req *r)
{
    size_t n = 0;
    const char *doc = mc_embed_get("docs/openapi.json", &n);

    if (doc == NULL) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no OpenAPI document in this build");
    }
    return mc_http_bytes(r, 200, "application/json; charset=utf-8", doc, n);
}

/*
 * Test clock: only when the server was started with --test-clock, an
 * administrator may shift the server's clock (for deadline scenarios).
 */
int
mc_h_test_clock(struct mc_req *r)
{
    static const char *const allowed[] = {"now", "offset_seconds", NULL};
    json_t *body = NULL;
    int64_t now = 0, off = 0;
    int rc;

    if (!r->app->test_clock) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "unknown_route", NULL,
                          "no such API route: %s", r->path);
    }
    if ((rc = mc_http_require(r, MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_ts(body, "now", 0, &now, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_int(body, "offset_seconds", 0, -(1LL << 40), 1LL << 40,
                         &off, &r->err);
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    if (now != 0) {
        off = now - (mc_now() - mc_clock_offset());
    }
    mc_clock_set_offset(off);
    return mc_http_json(r, 200, json_pack("{s:o,s:I}", "now",
                                          mc_json_ts_value(mc_now()),
                                          "offset_seconds", (json_int_t)off));
}
