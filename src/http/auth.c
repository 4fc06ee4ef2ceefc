/*
 * auth.c - resolve the request's token (Bearer header or mc_session
 * cookie) into the acting account.
 */
#include <string.h>

#include "domain/account.h"
#include "http/dispatch.h"

int
mc_auth_resolve(struct mc_req *r)
{
    struct mc_db *db;
    size_t n;
    int rc;

    memset(&r->actor, 0, sizeof(r->actor));
    r->actor.role = MC_ROLE_NONE;
    if (r->token == NULL || *r->token == '\0') {
        return MC_OK;
    }
    n = strlen(r->token);
    if (n > 128) {
        return mc_err_set(&r->err, MC_EAUTH, 401, "invalid_session", NULL,
                          "the session token is not valid");
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_session_lookup(db, r->token, &r->actor, &r->err);
    if (rc == MC_EAUTH && !r->token_from_header) {
        /* A stale cookie on a public page: carry on anonymously. */
        memset(&r->actor, 0, sizeof(r->actor));
        mc_err_clear(&r->err);
        return MC_OK;
    }
    return rc;
}
