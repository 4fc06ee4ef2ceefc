/*
 * r_accounts.c - /accounts: list (scoped) and create (admin; or citizen
 * self-registration without login).
 */
#include <string.h>

#include "domain/account.h"
#include "http/router.h"
#include "util/json.h"

int
mc_h_accounts_list(struct mc_req *r)
{
    struct mc_account *accs = NULL;
    struct mc_db *db;
    long long unit;
    size_t n = 0;
    json_t *items;
    int rc;

    if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK ||
        (rc = mc_req_query_int(r, "unit_id", r->actor.unit_id, 0, INT64_MAX,
                               &unit)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_account_list(db, &r->actor, unit, &r->arena, &accs, &n, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    items = json_array();
    for (size_t i = 0; i < n && items != NULL; i++) {
        const char *role = mc_req_query(r, "role");
        if (role != NULL && strcmp(role, accs[i].role) != 0) {
            continue;
        }
        json_array_append_new(items, mc_account_json(&accs[i], r->now));
    }
    return mc_http_json(r, 200, json_pack("{s:o}", "items", items));
}

static int
create_fn(struct mc_db *db, void *ctx, json_t **result, int *status,
          struct mc_err *err)
{
    struct mc_account_create *c = ctx;
    struct mc_account acc;
    struct mc_actor sys = {.role = MC_ROLE_SYSTEM};
    int rc = mc_account_create(db, c, err);

    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_account_get(db, &sys, c->id, &acc, err);
    if (rc != MC_OK) {
        return rc;
    }
    *result = mc_account_json(&acc, 0);
    *status = 201;
    return *result ? MC_OK : MC_ENOMEM;
}

int
mc_h_accounts_create(struct mc_req *r)
{
    static const char *const allowed[] = {
        "username", "password", "full_name", "role", "unit_id", "email",
        "phone", "id_number", "address", NULL};
    struct mc_account_create c;
    const char *role = NULL, *pw = NULL;
    json_t *body = NULL, *p;
    int64_t unit = 0;
    int rc;

    memset(&c, 0, sizeof(c));
    c.actor = &r->actor;
    if (r->actor.role != MC_ROLE_NONE && r->actor.role != MC_ROLE_ADMIN) {
        return mc_err_set(&r->err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "only administrators create accounts");
    }
    if ((rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_str(body, "username", 1, 64, &r->arena, &c.username,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "full_name", 1, 200, &r->arena, &c.full_name,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "role", 0, 16, &r->arena, &role, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_int(body, "unit_id", 0, 1, INT64_MAX, &unit, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "email", 0, 200, &r->arena, &c.email,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "phone", 0, 20, &r->arena, &c.phone, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "id_number", 0, 20, &r->arena, &c.id_number,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "address", 0, 500, &r->arena, &c.address,
                         &r->err);
    }
    if (rc == MC_OK) {
        p = json_object_get(body, "password");
        if (!json_is_string(p)) {
            rc = mc_err_set(&r->err, MC_EINVAL, 400, "missing_field",
                            "password", "password is required");
        } else {
            pw = mc_arena_strdup(&r->arena, json_string_value(p));
        }
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    c.role = role ? mc_role_parse(role) : MC_ROLE_CITIZEN;
    if (c.role == MC_ROLE_NONE || c.role == MC_ROLE_SYSTEM) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_role", "role",
                          "unknown role");
    }
    c.unit_id = unit;
    rc = mc_account_create_set_password(&c, pw, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_write(r, create_fn, &c);
}
