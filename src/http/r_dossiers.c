/*
 * r_dossiers.c - /api/v1/dossiers: create, list, read, transitions,
 * events; and the public lookup by code.
 */
#include <stdlib.h>
#include <string.h>

#include "db/q_dossier.h"
#include "domain/dossier.h"
#include "http/router.h"
#include "util/json.h"
#include "util/text.h"

/* ---- create ---- */

struct create_ctx {
    struct mc_req *r;
    const struct mc_calendar *cal; /* taken in the request thread */
    struct mc_dossier_new in;
    struct mc_dossier d;
    int checked;                   /* d resolved by the check */
    const char *search_key;        /* the check's (in r's arena) */
};

static int
create_fn(struct mc_db *db, void *arg, json_t **result, int *status,
          struct mc_err *err)
{
    struct create_ctx *c = arg;
    struct mc_dossier_wctx w = {
        .actor = &c->r->actor,
        .cal = c->cal,
        .arena = &c->r->arena,
        .now = c->r->now,
        .create = &c->in,
        .out = &c->d,
        .checked = c->checked,
        .search_key = c->search_key,
    };
    int rc = mc_dossier_create(db, &w, err);

    if (rc != MC_OK) {
        return rc;
    }
    *result = NULL; /* create_render builds it */
    *status = 201;
    return MC_OK;
}

static int
create_render(void *arg, struct mc_buf *out)
{
    struct create_ctx *c = arg;

    return mc_dossier_json_write(&c->d, NULL, NULL, out);
}

int
mc_h_dossiers_create(struct mc_req *r)
{
    static const char *const allowed[] = {
        "procedure_id", "procedure_code", "receiving_unit_id", "unit_id",
        "channel", "applicant_name", "applicant_id_number", "applicant_phone",
        "applicant_email", "applicant_address", "summary", NULL};
    struct create_ctx c = {.r = r};
    json_t *body = NULL;
    int64_t v;
    int rc;

    rc = mc_http_require(r, MC_R(MC_ROLE_CITIZEN) | MC_R(MC_ROLE_DESK) |
                                MC_R(MC_ROLE_PARTNER));
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_req_json(r, &body);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        v = 0;
        rc = mc_json_int(body, "procedure_id", 0, 1, INT64_MAX, &v, &r->err);
        c.in.procedure_id = v;
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "procedure_code", 0, 32, &r->arena,
                         &c.in.procedure_code, &r->err);
    }
    if (rc == MC_OK && c.in.procedure_id == 0 && c.in.procedure_code == NULL) {
        rc = mc_err_set(&r->err, MC_EINVAL, 400, "missing_field",
                        "procedure_code",
                        "give procedure_code (or procedure_id)");
    }
    if (rc == MC_OK) {
        v = 0;
        rc = mc_json_int(body, "receiving_unit_id", 1, 1, INT64_MAX, &v,
                         &r->err);
        c.in.recv_unit_id = v;
    }
    if (rc == MC_OK) {
        v = 0;
        rc = mc_json_int(body, "unit_id", 0, 1, INT64_MAX, &v, &r->err);
        c.in.unit_id = v;
    }
    if (rc == MC_OK) {
        v = r->actor.role == MC_ROLE_DESK ? 1 : 2;
        rc = mc_json_int(body, "channel", 0, 1, 3, &v, &r->err);
        c.in.channel = (int)v;
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "applicant_name", 1, 200, &r->arena,
                         &c.in.applicant_name, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "applicant_id_number", 0, 20, &r->arena,
                         &c.in.applicant_id_number, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "applicant_phone", 0, 20, &r->arena,
                         &c.in.applicant_phone, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "applicant_email", 0, 200, &r->arena,
                         &c.in.applicant_email, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "applicant_address", 0, 500, &r->arena,
                         &c.in.applicant_address, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "summary", 0, 2000, &r->arena, &c.in.summary,
                         &r->err);
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    c.cal = mc_req_calendar(r);
    /* Resolve procedure and units on a reader, outside the writer. */
    {
        struct mc_dossier_wctx w = {
            .actor = &r->actor, .cal = c.cal, .arena = &r->arena,
            .now = r->now, .create = &c.in, .out = &c.d,
        };
        struct mc_db *db = mc_req_db(r);
        if (db == NULL) {
            return MC_EDB;
        }
        rc = mc_dossier_create_check(db, &w, &r->err);
        if (rc != MC_OK) {
            return rc;
        }
        c.checked = 1;
        c.search_key = w.search_key;
    }
    return mc_http_write_async(r, create_fn, create_render,
                               mc_arena_memdup(&r->arena, &c, sizeof(c)));
}

/* ---- read ---- */

/* One dossier with the reader's allowed actions and its ledger. */
struct get_ctx {
    struct mc_dossier d;
    const struct mc_actor *actor;
    json_t *ledger;
};

static int
get_render(void *arg, struct mc_buf *out)
{
    struct get_ctx *g = arg;

    return mc_dossier_json_write(&g->d, g->actor, g->ledger, out);
}

int
mc_h_dossier_get(struct mc_req *r)
{
    struct get_ctx g = {.ledger = NULL};
    struct mc_db *db;
    int64_t id;
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK ||
        (rc = mc_req_param_id(r, 0, "record", &id)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_dossier_get(db, &r->actor, id, &r->arena, &g.d, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_q_dossier_steps(db, g.d.id, &g.ledger, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    g.actor = &r->actor;
    rc = mc_http_json_render(r, 200, get_render, &g);
    json_decref(g.ledger);
    return rc;
}

int
mc_h_dossiers_list(struct mc_req *r)
{
    struct mc_dossier_filter f = {0};
    struct mc_db *db;
    long long limit, offset, mine, open_only, overdue;
    int rc;

    if ((rc = mc_http_require(r, MC_R(MC_ROLE_CITIZEN) | MC_R_OFFICIALS)) !=
            MC_OK ||
        (rc = mc_req_query_int(r, "limit", 50, 1, 500, &limit)) != MC_OK ||
        (rc = mc_req_query_int(r, "offset", 0, 0, 10000000, &offset)) !=
            MC_OK ||
        (rc = mc_req_query_int(r, "mine", 0, 0, 1, &mine)) != MC_OK ||
        (rc = mc_req_query_int(r, "open", 0, 0, 1, &open_only)) != MC_OK ||
        (rc = mc_req_query_int(r, "overdue", 0, 0, 1, &overdue)) != MC_OK) {
        return rc;
    }
    f.state = mc_req_query(r, "state");
    f.q = mc_req_query(r, "q");
    if (f.q != NULL && (strlen(f.q) > 100 || !mc_utf8_valid(f.q, strlen(f.q)))) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_query", "q",
                          "q must be valid UTF-8 of at most 100 bytes");
    }
    f.mine = (int)mine;
    f.open = (int)open_only;
    f.overdue = (int)overdue;
    f.now = r->now;
    f.limit = (int)limit;
    f.offset = (int)offset;
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    /* written straight into the answer (no jansson tree: see
     * mc_dossier_list); 50 rows are about 16 KB */
    mc_buf_reset(&r->resp);
    r->resp_type = "application/json; charset=utf-8";
    if (mc_buf_reserve(&r->resp, (size_t)f.limit * 416 + 128) != MC_OK) {
        /* only a hint: the writer grows the buffer, or fails itself */
    }
    rc = mc_dossier_list(db, &r->actor, &f, &r->arena, &r->resp, &r->err);
    if (rc != MC_OK) {
        mc_buf_reset(&r->resp);
        return rc;
    }
    r->status = 200;
    return MC_OK;
}

int
mc_h_dossier_events(struct mc_req *r)
{
    struct mc_db *db;
    json_t *ev = NULL;
    int64_t id;
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK ||
        (rc = mc_req_param_id(r, 0, "record", &id)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_dossier_events(db, &r->actor, id, &r->arena, &ev, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, json_pack("{s:o}", "items", ev));
}

/* ---- transitions ---- */

struct tr_ctx {
    struct mc_req *r;
    const struct mc_calendar *cal; /* taken in the request thread */
    int64_t id;
    struct mc_transition_req tr;
    struct mc_dossier d;
};

static int
transition_fn(struct mc_db *db, void *arg, json_t **result, int *status,
              struct mc_err *err)
{
    struct tr_ctx *c = arg;
    struct mc_dossier_wctx w = {
        .actor = &c->r->actor,
        .cal = c->cal,
        .arena = &c->r->arena,
        .now = c->r->now,
        .dossier_id = c->id,
        .tr = &c->tr,
        .out = &c->d,
    };
    int rc = mc_dossier_transition(db, &w, err);

    *result = NULL; /* transition_render builds it, off the writer thread */
    *status = 200;
    return rc;
}

/* The answer of a transition: the dossier with its allowed actions. */
static int
transition_render(void *arg, struct mc_buf *out)
{
    struct tr_ctx *c = arg;

    return mc_dossier_json_write(&c->d, &c->r->actor, NULL, out);
}

static int
parse_components(struct mc_req *r, json_t *body, struct mc_transition_req *tr)
{
    json_t *arr = json_object_get(body, "components"), *v;
    size_t i;
    int64_t *ids;

    if (arr == NULL || json_is_null(arr)) {
        return MC_OK;
    }
    if (!json_is_array(arr) || json_array_size(arr) > 100) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "wrong_type", "components",
                          "components must be an array of at most 100 "
                          "component ids");
    }
    ids = mc_arena_alloc(&r->arena, sizeof(int64_t) * (json_array_size(arr) + 1));
    if (ids == NULL) {
        return MC_ENOMEM;
    }
    json_array_foreach(arr, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0) {
            return mc_err_set(&r->err, MC_EINVAL, 400, "wrong_type",
                              "components",
                              "components must hold positive integer ids");
        }
        ids[i] = json_integer_value(v);
    }
    tr->components = ids;
    tr->ncomponents = (int)json_array_size(arr);
    return MC_OK;
}

int
mc_h_dossier_transition(struct mc_req *r)
{
    static const char *const allowed[] = {"action", "reason", "assignee_id",
                                          "unit_id", "due", "components",
                                          "result", "version", NULL};
    struct tr_ctx c = {.r = r};
    json_t *body = NULL;
    int64_t v;
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK ||
        (rc = mc_req_param_id(r, 0, "record", &c.id)) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_str(body, "action", 1, 40, &r->arena, &c.tr.action,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "reason", 0, 4000, &r->arena, &c.tr.reason,
                         &r->err);
    }
    if (rc == MC_OK) {
        v = 0;
        rc = mc_json_int(body, "assignee_id", 0, 1, INT64_MAX, &v, &r->err);
        c.tr.assignee_id = v;
    }
    if (rc == MC_OK) {
        v = 0;
        rc = mc_json_int(body, "unit_id", 0, 1, INT64_MAX, &v, &r->err);
        c.tr.unit_id = v;
    }
    if (rc == MC_OK) {
        rc = mc_json_ts(body, "due", 0, &c.tr.due, &r->err);
    }
    if (rc == MC_OK) {
        rc = parse_components(r, body, &c.tr);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "result", 0, 4000, &r->arena, &c.tr.result,
                         &r->err);
    }
    if (rc == MC_OK) {
        v = 0;
        rc = mc_json_int(body, "version", 0, 1, INT32_MAX, &v, &r->err);
        c.tr.expected_version = v;
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    c.cal = mc_req_calendar(r);
    return mc_http_write_async(r, transition_fn, transition_render,
                               mc_arena_memdup(&r->arena, &c, sizeof(c)));
}

/* ---- public lookup ---- */

int
mc_h_public_dossier(struct mc_req *r)
{
    struct mc_db *db = mc_req_db(r);
    json_t *o = NULL;
    int rc;

    if (db == NULL) {
        return MC_EDB;
    }
    rc = mc_dossier_public(db, r->params[0], &o, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    mc_http_header(r, "Cache-Control", "no-store");
    return mc_http_json(r, 200, o);
}
