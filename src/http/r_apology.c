/*
 * r_apology.c - /api/v1/apologies: the drafts of the sweeper (list) and
 * the leaders' approval (which reschedules the dossier) or dismissal.
 */
#include <string.h>

#include "domain/apology.h"
#include "http/router.h"
#include "util/json.h"
#include "util/text.h"

int
mc_h_apologies_list(struct mc_req *r)
{
    struct mc_apology_filter f = {0};
    struct mc_db *db;
    json_t *items = NULL;
    int64_t total = 0;
    long long limit, offset, unit, dossier;
    const char *state = mc_req_query(r, "state");
    int rc;

    if ((rc = mc_http_require(r, MC_R(MC_ROLE_INSPECTOR) |
                                     MC_R(MC_ROLE_LEADER) |
                                     MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_query_int(r, "limit", 50, 1, 500, &limit)) != MC_OK ||
        (rc = mc_req_query_int(r, "offset", 0, 0, 10000000, &offset)) !=
            MC_OK ||
        (rc = mc_req_query_int(r, "unit_id", 0, 0, INT64_MAX, &unit)) !=
            MC_OK ||
        (rc = mc_req_query_int(r, "dossier_id", 0, 0, INT64_MAX,
                               &dossier)) != MC_OK) {
        return rc;
    }
    if (state != NULL && strlen(state) > 16) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_state", "state",
                          "state is draft, approved or dismissed");
    }
    f.state = state != NULL && *state ? state : NULL;
    f.unit_id = unit;
    f.dossier_id = dossier;
    f.limit = (int)limit;
    f.offset = (int)offset;
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_apology_list(db, &r->actor, &f, &r->arena, &items, &total,
                         &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_page(r, items, total, limit, offset);
}

static int
decide_fn(struct mc_db *db, void *arg, json_t **result, int *status,
          struct mc_err *err)
{
    struct mc_apology_decision *c = arg;
    int rc = mc_apology_decide(db, c, err);

    if (rc != MC_OK) {
        json_decref(c->out);
        json_decref(c->dossier);
        c->out = c->dossier = NULL;
        return rc;
    }
    if (c->dossier != NULL) {
        json_object_set_new(c->out, "dossier", c->dossier);
        c->dossier = NULL;
    }
    *result = c->out;
    c->out = NULL;
    *status = 200;
    return MC_OK;
}

/* POST /apologies/{id}/approve|dismiss. */
static int
decide(struct mc_req *r, const char *decision)
{
    static const char *const approve_keys[] = {"reason", "new_date", NULL};
    static const char *const dismiss_keys[] = {"reason", NULL};
    int approve = strcmp(decision, "approve") == 0;
    struct mc_apology_decision c = {0};
    json_t *body = NULL;
    int rc;

    if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK) {
        return rc;
    }
    if (r->actor.role != MC_ROLE_LEADER) {
        return mc_err_set(&r->err, MC_EFORBIDDEN, 403, "role_not_allowed",
                          NULL, "only unit leaders decide on apologies");
    }
    if ((rc = mc_req_param_id(r, 0, "record", &c.id)) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, approve ? approve_keys : dismiss_keys, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_str(body, "reason", 1, 4000, &r->arena, &c.reason,
                         &r->err);
    }
    if (rc == MC_OK && approve) {
        rc = mc_json_str(body, "new_date", 0, 10, &r->arena, &c.new_date,
                         &r->err);
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    c.decision = decision;
    c.actor = &r->actor;
    c.arena = &r->arena;
    c.now = r->now;
    c.cal = mc_req_calendar(r);
    rc = mc_http_write(r, decide_fn, &c);
    json_decref(c.out);
    json_decref(c.dossier);
    return rc;
}

int
mc_h_apology_approve(struct mc_req *r)
{
    return decide(r, "approve");
}

int
mc_h_apology_dismiss(struct mc_req *r)
{
    return decide(r, "dismiss");
}
