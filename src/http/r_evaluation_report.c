/*
 * r_evaluation_report.c - the evaluation reports (issue 5; JSON shapes in
 * docs/openapi.json): GET /api/v1/evaluation/766 and its drill-down
 * /766/dossiers, PUT /api/v1/evaluation/766/manual (administrators),
 * GET /api/v1/evaluation/tt01, /ranking and /scorecard; every GET also
 * answers ?format=xlsx. Officials only (401 anonymous, 403 citizens and
 * partners); unit scoping in mc_eval_target.
 */
#include <string.h>

#include "doc/xlsx.h"
#include "domain/evaluation_report.h"
#include "http/router.h"
#include "util/json.h"

#define XLSX_TYPE                                                           \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* 1 when ?format=xlsx, 0 for json/absent; 400 otherwise. */
static int
want_xlsx(struct mc_req *r, int *xlsx)
{
    const char *f = mc_req_query(r, "format");

    *xlsx = f != NULL && strcmp(f, "xlsx") == 0;
    if (f != NULL && !*xlsx && strcmp(f, "json") != 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_format", "format",
                          "format is json or xlsx");
    }
    return MC_OK;
}

/* Send rep (stolen) as JSON or as the XLSX table of kind. */
static int
answer(struct mc_req *r, int xlsx, const char *kind, json_t *rep)
{
    struct mc_buf b;
    int rc;

    if (!xlsx) {
        return mc_http_json(r, 200, rep);
    }
    mc_buf_init(&b, MC_XLSX_MAX);
    rc = mc_eval_xlsx(kind, rep, &b, &r->err);
    json_decref(rep);
    if (rc == MC_OK) {
        rc = mc_http_bytes(r, 200, XLSX_TYPE, b.data, b.len);
        mc_http_header(r, "Content-Disposition",
                       mc_arena_printf(&r->arena,
                                       "attachment; filename=\"danh-gia-"
                                       "%s.xlsx\"",
                                       kind));
    }
    mc_buf_release(&b);
    return rc;
}

/* Common start: officials only, format, reader, unit and period. */
static int
begin(struct mc_req *r, int *xlsx, struct mc_db **db,
      struct mc_eval_target *t)
{
    int rc;

    if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK ||
        (rc = want_xlsx(r, xlsx)) != MC_OK) {
        return rc;
    }
    if ((*db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    if (t == NULL) {
        return MC_OK;
    }
    return mc_eval_target(*db, &r->actor, mc_req_query(r, "unit"),
                          mc_req_query(r, "period"), r->now, t, &r->err);
}

/* A report on the target unit and period, answered as kind. */
static int
report(struct mc_req *r, const char *kind,
       int (*fn)(struct mc_db *, const struct mc_eval_target *,
                 struct mc_arena *, json_t **, struct mc_err *))
{
    struct mc_eval_target t;
    struct mc_db *db;
    json_t *out = NULL;
    int xlsx, rc;

    if ((rc = begin(r, &xlsx, &db, &t)) != MC_OK ||
        (rc = fn(db, &t, &r->arena, &out, &r->err)) != MC_OK) {
        return rc;
    }
    return answer(r, xlsx, kind, out);
}

int
mc_h_eval_766(struct mc_req *r)
{
    return report(r, "766", mc_eval_766);
}

int
mc_h_eval_766_dossiers(struct mc_req *r)
{
    struct mc_eval_target t;
    struct mc_db *db;
    json_t *out = NULL;
    long long limit, offset;
    int xlsx, rc;

    if ((rc = begin(r, &xlsx, &db, &t)) != MC_OK ||
        (rc = mc_req_query_int(r, "limit", 50, 1, xlsx ? 100000 : 500,
                               &limit)) != MC_OK ||
        (rc = mc_req_query_int(r, "offset", 0, 0, 100000000, &offset)) !=
            MC_OK) {
        return rc;
    }
    if (mc_req_query(r, "indicator") == NULL) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "missing_field",
                          "indicator", "indicator is required");
    }
    rc = mc_eval_766_dossiers(db, &t, mc_req_query(r, "indicator"),
                              mc_req_query(r, "part"), (int)limit,
                              (int)offset, &out, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return answer(r, xlsx, "766_dossiers", out);
}

int
mc_h_eval_tt01(struct mc_req *r)
{
    return report(r, "tt01", mc_eval_tt01);
}

int
mc_h_eval_scorecard(struct mc_req *r)
{
    return report(r, "scorecard", mc_eval_scorecard);
}

int
mc_h_eval_ranking(struct mc_req *r)
{
    struct mc_eval_rank_in in;
    struct mc_db *db;
    json_t *out = NULL;
    long long min;
    int xlsx, rc;

    memset(&in, 0, sizeof(in));
    if ((rc = begin(r, &xlsx, &db, NULL)) != MC_OK ||
        (rc = mc_req_query_int(r, "min_sample",
                               r->app->eval_min_sample > 0
                                   ? r->app->eval_min_sample
                                   : MC_EVAL_MIN_SAMPLE,
                               0, 1000000, &min)) != MC_OK) {
        return rc;
    }
    in.parent = mc_req_query(r, "parent");
    in.period = mc_req_query(r, "period");
    in.by = mc_req_query(r, "by");
    in.level = mc_req_query(r, "level");
    in.min_sample = min;
    rc = mc_eval_ranking(db, &r->actor, &in, r->now, &r->arena, &out,
                         &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return answer(r, xlsx, "ranking", out);
}

struct manual_ctx {
    struct mc_req *r;
    struct mc_eval_manual_in in;
};

static int
manual_fn(struct mc_db *db, void *arg, json_t **result, int *status,
          struct mc_err *err)
{
    struct manual_ctx *c = arg;
    struct mc_eval_manual_wctx w = {
        .actor = &c->r->actor, .now = c->r->now, .in = &c->in};
    int rc = mc_eval_manual_put(db, &w, err);

    if (rc != MC_OK) {
        return rc;
    }
    *result = w.out;
    *status = 200;
    return MC_OK;
}

int
mc_h_eval_766_manual(struct mc_req *r)
{
    static const char *const allowed[] = {"unit", "period", "indicator",
                                          "num",  "den",    "note",
                                          NULL};
    struct manual_ctx c;
    json_t *body = NULL;
    int rc;

    memset(&c, 0, sizeof(c));
    c.r = r;
    if ((rc = mc_http_require(r, MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_int(body, "unit", 1, 1, INT64_MAX, &c.in.unit_id,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "period", 1, 22, &r->arena, &c.in.period,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "indicator", 1, 8, &r->arena,
                         &c.in.indicator, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_int(body, "num", 1, 0, 1000000000000LL, &c.in.num,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_int(body, "den", 1, 0, 1000000000000LL, &c.in.den,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "note", 0, 500, &r->arena, &c.in.note,
                         &r->err);
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_write(r, manual_fn, &c);
}
