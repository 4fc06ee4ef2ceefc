/*
 * r_evaluation.c - citizens' evaluations of finished dossiers:
 * POST/GET /api/v1/dossiers/{id}/evaluation (applicant online, desk
 * officer from a paper form) and POST /api/v1/public/evaluations (kiosk,
 * no login: dossier code + receipt secret).
 */
#include <string.h>

#include "domain/evaluation.h"
#include "http/router.h"
#include "util/json.h"
#include "util/text.h"

/* "scores": {"1": 2, "3": 1, ...}: only the citizen-judged criteria. */
static int
parse_scores(json_t *body, struct mc_evaluation_in *in, struct mc_err *err)
{
    json_t *sc = json_object_get(body, "scores"), *v;
    const char *k;

    in->c1 = in->c3 = in->c4 = in->c7 = -1;
    if (sc == NULL || json_is_null(sc)) {
        return MC_OK;
    }
    if (!json_is_object(sc)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_type", "scores",
                          "scores is an object of criterion -> 2, 1 or 0");
    }
    json_object_foreach(sc, k, v)
    {
        int *slot = strcmp(k, "1") == 0   ? &in->c1
                    : strcmp(k, "3") == 0 ? &in->c3
                    : strcmp(k, "4") == 0 ? &in->c4
                    : strcmp(k, "7") == 0 ? &in->c7
                                          : NULL;

        if (slot == NULL) {
            return mc_err_set(err, MC_EINVAL, 422, "criterion_not_citizen",
                              "scores",
                              "citizens score criteria 1, 3, 4 and 7 of "
                              "TT 01/2018; the system computes the others");
        }
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > 2) {
            return mc_err_set(err, MC_EINVAL, 422, "bad_score", "scores",
                              "criterion %s is scored 2, 1 or 0", k);
        }
        *slot = (int)json_integer_value(v);
    }
    return MC_OK;
}

static int
parse_body(struct mc_req *r, int kiosk, struct mc_evaluation_in *in)
{
    static const char *const allowed[] = {"scores", "satisfaction",
                                          "comment", NULL};
    static const char *const allowed_kiosk[] = {
        "scores", "satisfaction", "comment", "code", "secret", NULL};
    json_t *body = NULL;
    int rc;

    if ((rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, kiosk ? allowed_kiosk : allowed, &r->err);
    if (rc == MC_OK) {
        rc = parse_scores(body, in, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "satisfaction", 1, 20, &r->arena,
                         &in->satisfaction, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "comment", 0, 2000, &r->arena, &in->comment,
                         &r->err);
    }
    if (rc == MC_OK && kiosk) {
        rc = mc_json_str(body, "code", 1, 40, &r->arena, &in->code, &r->err);
    }
    if (rc == MC_OK && kiosk) {
        rc = mc_json_str(body, "secret", 1, 16, &r->arena, &in->secret,
                         &r->err);
    }
    json_decref(body);
    return rc;
}

struct ev_ctx {
    struct mc_req *r;
    struct mc_evaluation_in in;
    int kiosk;
};

static int
submit_fn(struct mc_db *db, void *arg, json_t **result, int *status,
          struct mc_err *err)
{
    struct ev_ctx *c = arg;
    struct mc_eval_wctx w = {
        .actor = &c->r->actor,
        .kiosk = c->kiosk,
        .now = c->r->now,
        .arena = &c->r->arena,
        .in = &c->in,
    };
    int rc = mc_evaluation_submit(db, &w, err);

    if (rc != MC_OK) {
        return rc;
    }
    *result = w.out;
    *status = 201;
    return MC_OK;
}

int
mc_h_dossier_evaluation_create(struct mc_req *r)
{
    struct ev_ctx c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.r = r;
    if ((rc = mc_http_require(r, MC_R(MC_ROLE_CITIZEN) |
                                     MC_R(MC_ROLE_DESK))) != MC_OK ||
        (rc = mc_req_param_id(r, 0, "dossier", &c.in.dossier_id)) != MC_OK ||
        (rc = parse_body(r, 0, &c.in)) != MC_OK) {
        return rc;
    }
    return mc_http_write(r, submit_fn, &c);
}

int
mc_h_public_evaluation_create(struct mc_req *r)
{
    struct ev_ctx c;
    struct mc_db *db;
    int rc;

    memset(&c, 0, sizeof(c));
    c.r = r;
    c.kiosk = 1;
    if ((rc = parse_body(r, 1, &c.in)) != MC_OK) {
        return rc;
    }
    /* the receipt secret is short: refused guesses are rate-limited */
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_rate_check(db, &r->app->rate, MC_RATE_EVAL_IP, r->client_ip,
                       r->now, &r->retry_after, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_http_write(r, submit_fn, &c);
    if (rc == MC_ENOTFOUND && r->err.status == 404) {
        struct mc_err e;
        mc_err_clear(&e);
        if (mc_rate_note(r->app->writer, &r->app->rate, MC_RATE_EVAL_IP,
                         r->client_ip, r->now, &e) != MC_OK) {
            return mc_err_set(&r->err, MC_EDB, 503, e.code, NULL, "%s",
                              e.message);
        }
    }
    return rc;
}

int
mc_h_dossier_evaluation_get(struct mc_req *r)
{
    return mc_http_get_by_id(r, "dossier", mc_evaluation_get);
}
