/*
 * r_discipline.c - /api/v1/violations (list, decision),
 * /api/v1/discipline/summary and /api/v1/notifications (inbox, read).
 */
#include <string.h>

#include "domain/discipline.h"
#include "domain/notify.h"
#include "http/router.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/text.h"

/* Optional short query string (at most 40 bytes). */
static int
query_word(struct mc_req *r, const char *name, const char **out)
{
    const char *v = mc_req_query(r, name);

    *out = NULL;
    if (v == NULL || *v == '\0') {
        return MC_OK;
    }
    if (strlen(v) > 40) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_query", name,
                          "%s is too long", name);
    }
    *out = v;
    return MC_OK;
}

/* Optional YYYY-MM-DD (local) query date; *ts = def when absent. */
static int
query_date(struct mc_req *r, const char *name, int64_t def, int64_t *ts)
{
    const char *v = mc_req_query(r, name);
    int32_t day;

    *ts = def;
    if (v == NULL || *v == '\0') {
        return MC_OK;
    }
    if (mc_parse_date(v, &day) != 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_date", name,
                          "%s must be a date YYYY-MM-DD", name);
    }
    *ts = mc_local_ts(day, 0);
    return MC_OK;
}

int
mc_h_violations_list(struct mc_req *r)
{
    struct mc_violation_filter f = {0};
    struct mc_db *db;
    json_t *items = NULL;
    int64_t total = 0;
    long long limit, offset, unit, official;
    int rc;

    if ((rc = mc_http_require(r, MC_R(MC_ROLE_INSPECTOR) |
                                     MC_R(MC_ROLE_LEADER) |
                                     MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_query_int(r, "limit", 50, 1, 500, &limit)) != MC_OK ||
        (rc = mc_req_query_int(r, "offset", 0, 0, 10000000, &offset)) !=
            MC_OK ||
        (rc = mc_req_query_int(r, "unit_id", 0, 0, INT64_MAX, &unit)) !=
            MC_OK ||
        (rc = mc_req_query_int(r, "official_id", 0, 0, INT64_MAX,
                               &official)) != MC_OK ||
        (rc = query_word(r, "state", &f.state)) != MC_OK ||
        (rc = query_word(r, "rule", &f.rule)) != MC_OK) {
        return rc;
    }
    f.unit_id = unit;
    f.official_id = official;
    f.limit = (int)limit;
    f.offset = (int)offset;
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_violation_list(db, &r->actor, &f, &r->arena, &items, &total,
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
    struct mc_violation_decision *c = arg;
    int rc = mc_violation_decide(db, c, err);

    if (rc != MC_OK) {
        return rc;
    }
    *result = c->out;
    c->out = NULL;
    *status = 200;
    return MC_OK;
}

int
mc_h_violation_decide(struct mc_req *r)
{
    static const char *const allowed[] = {"decision", "reason", NULL};
    struct mc_violation_decision c = {0};
    json_t *body = NULL;
    int rc;

    if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK) {
        return rc;
    }
    if (r->actor.role != MC_ROLE_INSPECTOR) {
        return mc_err_set(&r->err, MC_EFORBIDDEN, 403, "role_not_allowed",
                          NULL, "only inspectors decide on violations");
    }
    if ((rc = mc_req_param_id(r, 0, "record", &c.id)) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_str(body, "decision", 1, 16, &r->arena, &c.decision,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "reason", 1, 4000, &r->arena, &c.reason,
                         &r->err);
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    c.actor = &r->actor;
    c.arena = &r->arena;
    c.now = r->now;
    rc = mc_http_write(r, decide_fn, &c);
    json_decref(c.out);
    return rc;
}

int
mc_h_discipline_summary(struct mc_req *r)
{
    struct mc_db *db;
    json_t *out = NULL;
    long long unit;
    int64_t from, to;
    int rc;

    if ((rc = mc_http_require(r, MC_R(MC_ROLE_INSPECTOR) |
                                     MC_R(MC_ROLE_LEADER) |
                                     MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_query_int(r, "unit_id", 0, 0, INT64_MAX, &unit)) !=
            MC_OK ||
        (rc = query_date(r, "from", 0, &from)) != MC_OK ||
        (rc = query_date(r, "to", 0, &to)) != MC_OK) {
        return rc;
    }
    if (to == 0) {
        to = INT64_MAX / 2;
    } else {
        to += MC_DAY; /* the 'to' day is included */
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_discipline_summary(db, &r->actor, unit, from, to, &r->arena, &out,
                               &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, out);
}

int
mc_h_notifications_list(struct mc_req *r)
{
    struct mc_db *db;
    json_t *items = NULL;
    int64_t total = 0, unread = 0;
    long long limit, offset;
    const char *u = mc_req_query(r, "unread");
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK ||
        (rc = mc_req_query_int(r, "limit", 50, 1, 500, &limit)) != MC_OK ||
        (rc = mc_req_query_int(r, "offset", 0, 0, 10000000, &offset)) !=
            MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_notification_list(db, &r->actor, u != NULL && strcmp(u, "1") == 0,
                              (int)limit, (int)offset, &items, &total,
                              &unread, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200,
                        json_pack("{s:o,s:I,s:I,s:I,s:I}", "items", items,
                                  "total", (json_int_t)total, "unread",
                                  (json_int_t)unread, "limit",
                                  (json_int_t)limit, "offset",
                                  (json_int_t)offset));
}

static int
read_fn(struct mc_db *db, void *arg, json_t **result, int *status,
        struct mc_err *err)
{
    struct mc_notification_read *c = arg;
    int rc = mc_notification_read(db, c, err);

    if (rc != MC_OK) {
        json_decref(c->out);
        c->out = NULL;
        return rc;
    }
    *result = c->out;
    c->out = NULL;
    *status = 200;
    return MC_OK;
}

int
mc_h_notification_read(struct mc_req *r)
{
    struct mc_notification_read c = {0};
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK ||
        (rc = mc_req_param_id(r, 0, "record", &c.id)) != MC_OK) {
        return rc;
    }
    c.actor = &r->actor;
    c.now = r->now;
    return mc_http_write(r, read_fn, &c);
}
