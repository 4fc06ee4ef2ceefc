/*
 * r_sessions.c - login (POST /sessions), logout, and who am I.
 */
#include <string.h>

#include "domain/account.h"
#include "http/router.h"
#include "util/json.h"

int
mc_h_session_create(struct mc_req *r)
{
    static const char *const allowed[] = {"username", "password", NULL};
    struct mc_login l;
    struct mc_db *db;
    json_t *body = NULL, *o;
    const char *cookie;
    int rc;

    memset(&l, 0, sizeof(l));
    if ((rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_str(body, "username", 1, 64, &r->arena, &l.username,
                         &r->err);
    }
    if (rc == MC_OK) {
        /* passwords are taken verbatim (not NFC-changed): raw bytes */
        json_t *p = json_object_get(body, "password");
        if (!json_is_string(p) || json_string_length(p) == 0 ||
            json_string_length(p) > 256) {
            rc = mc_err_set(&r->err, MC_EINVAL, 400, "missing_field",
                            "password", "password is required");
        } else {
            l.password = mc_arena_strdup(&r->arena, json_string_value(p));
        }
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    l.user_agent = r->user_agent;
    l.client_ip = r->client_ip;
    l.rate = &r->app->rate;
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_login(r->app->writer, db, &l, &r->err);
    if (rc != MC_OK) {
        r->retry_after = l.retry_after;
        return rc;
    }
    cookie = mc_arena_printf(&r->arena,
                             "mc_session=%s; Path=/; HttpOnly; "
                             "SameSite=Strict; Max-Age=%d%s",
                             l.token, MC_SESSION_TTL,
                             r->app->secure_cookies ? "; Secure" : "");
    mc_http_header(r, "Set-Cookie", cookie);
    mc_http_header(r, "Cache-Control", "no-store");
    o = json_pack("{s:s,s:s,s:o,s:{s:I,s:s,s:s,s:I}}", "token", l.token,
                  "token_type", "Bearer", "expires_at",
                  mc_json_ts_value(l.expires_at), "account", "id",
                  (json_int_t)l.actor.account_id, "username",
                  l.actor.username, "role", mc_role_name(l.actor.role),
                  "unit_id", (json_int_t)l.actor.unit_id);
    return mc_http_json(r, 201, o);
}

static int
logout_fn(struct mc_db *db, void *ctx, json_t **result, int *status,
          struct mc_err *err)
{
    int rc = mc_session_revoke(db, ctx, err);

    if (rc == MC_OK) {
        *result = json_pack("{s:b}", "logged_out", 1);
        *status = 200;
    }
    return rc;
}

int
mc_h_session_delete(struct mc_req *r)
{
    struct mc_logout lo = {.token = r->token};
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK) {
        return rc;
    }
    mc_http_header(r, "Set-Cookie",
                   "mc_session=; Path=/; HttpOnly; SameSite=Strict; "
                   "Max-Age=0");
    return mc_http_write(r, logout_fn, &lo);
}

int
mc_h_me(struct mc_req *r)
{
    struct mc_account acc;
    struct mc_db *db;
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_account_get(db, &r->actor, r->actor.account_id, &acc, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, mc_account_json(&acc, r->now));
}
