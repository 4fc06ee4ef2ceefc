/*
 * r_dashboard.c - the leadership dashboard: GET /api/v1/dashboard/trend,
 * /api/v1/dashboard/steps and /api/v1/dashboard/near-due, each as JSON or,
 * with ?format=xlsx, as an Excel table of the same items.
 */
#include <string.h>

#include "doc/xlsx.h"
#include "domain/dashboard.h"
#include "http/router.h"
#include "util/mctime.h"
#include "util/period.h"

#define XLSX_TYPE                                                          \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Common query: ?unit= (0: default) and ?format=json|xlsx (*xlsx). */
static int
common_query(struct mc_req *r, long long *unit, int *xlsx)
{
    const char *fmt = mc_req_query(r, "format");
    int rc;

    if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK ||
        (rc = mc_req_query_int(r, "unit", 0, 0, INT64_MAX, unit)) != MC_OK) {
        return rc;
    }
    if (fmt != NULL && strcmp(fmt, "json") != 0 && strcmp(fmt, "xlsx") != 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_format", "format",
                          "format is json or xlsx");
    }
    *xlsx = fmt != NULL && strcmp(fmt, "xlsx") == 0;
    return MC_OK;
}

/* The answer as JSON, or its items as an Excel attachment. */
static int
answer(struct mc_req *r, enum mc_dash_table t, int xlsx, json_t *out)
{
    struct mc_buf b;
    int rc;

    if (!xlsx) {
        return mc_http_json(r, 200, out);
    }
    mc_buf_init(&b, MC_XLSX_MAX);
    rc = mc_dash_xlsx(t, out, &b, &r->err);
    json_decref(out);
    if (rc == MC_OK) {
        rc = mc_http_bytes(r, 200, XLSX_TYPE, b.data, b.len);
        mc_http_header(r, "Content-Disposition",
                       mc_arena_printf(&r->arena,
                                       "attachment; filename=\"%s\"",
                                       mc_dash_xlsx_name(t)));
    }
    mc_buf_release(&b);
    return rc;
}

int
mc_h_dashboard_trend(struct mc_req *r)
{
    struct mc_period from, to;
    struct mc_db *db;
    const char *fs;
    json_t *out = NULL;
    long long unit;
    int xlsx, rc;

    if ((rc = common_query(r, &unit, &xlsx)) != MC_OK ||
        (rc = mc_req_query_period(r, "to", 1, &to)) != MC_OK) {
        return rc;
    }
    fs = mc_req_query(r, "from");
    if (fs == NULL || *fs == '\0') {
        /* the twelve months ending with 'to' */
        from = to;
        for (int i = 0; i < 11; i++) {
            mc_period_prev(&from, &from);
        }
    } else if ((rc = mc_req_query_period(r, "from", 1, &from)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_dash_trend(db, &r->actor, unit, from.from, to.to, &r->arena, &out,
                       &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return answer(r, MC_DASH_TREND, xlsx, out);
}

int
mc_h_dashboard_steps(struct mc_req *r)
{
    struct mc_period p;
    struct mc_db *db;
    json_t *out = NULL;
    long long unit, limit;
    int xlsx, rc;

    if ((rc = common_query(r, &unit, &xlsx)) != MC_OK ||
        (rc = mc_req_query_period(r, "period", 0, &p)) != MC_OK ||
        (rc = mc_req_query_int(r, "limit", 10, 1, 100, &limit)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_dash_steps(db, &r->actor, unit, &p, (int)limit, &r->arena, &out,
                       &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return answer(r, MC_DASH_STEPS, xlsx, out);
}

int
mc_h_dashboard_near_due(struct mc_req *r)
{
    struct mc_db *db;
    json_t *out = NULL;
    long long unit, hours, limit;
    int xlsx, rc;

    if ((rc = common_query(r, &unit, &xlsx)) != MC_OK ||
        (rc = mc_req_query_int(r, "hours", 48, 1, 8760, &hours)) != MC_OK ||
        (rc = mc_req_query_int(r, "limit", 50, 1, 500, &limit)) != MC_OK) {
        return rc;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_dash_near_due(db, &r->actor, unit, (int)hours, (int)limit, r->now,
                          &r->arena, &out, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return answer(r, MC_DASH_NEAR_DUE, xlsx, out);
}
