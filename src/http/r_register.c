/*
 * r_register.c - GET /api/v1/units/{id}/register?from&to&format: the
 * dossier register (Mẫu 06) of a receiving unit as PDF or Excel.
 */
#include <string.h>

#include "doc/forms.h"
#include "doc/xlsx.h"
#include "domain/register.h"
#include "http/router.h"
#include "util/mctime.h"
#include "util/text.h"

/* Required YYYY-MM-DD query parameter. */
static int
query_day(struct mc_req *r, const char *name, int32_t *day)
{
    const char *v = mc_req_query(r, name);

    if (v == NULL || *v == '\0') {
        return mc_err_set(&r->err, MC_EINVAL, 400, "missing_field", name,
                          "%s (YYYY-MM-DD) is required", name);
    }
    if (mc_parse_date(v, day) != 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_date", name,
                          "%s must be a date YYYY-MM-DD", name);
    }
    return MC_OK;
}

int
mc_h_unit_register(struct mc_req *r)
{
    struct mc_register_req q;
    struct mc_db *db;
    struct mc_buf out;
    const char *type = NULL, *fmt = mc_req_query(r, "format");
    char from[16];
    long long id;
    int rc;

    memset(&q, 0, sizeof(q));
    if ((rc = mc_http_require(r, MC_R(MC_ROLE_DESK) | MC_R(MC_ROLE_LEADER) |
                                     MC_R(MC_ROLE_INSPECTOR))) != MC_OK) {
        return rc;
    }
    if (r->nparams < 1 || mc_parse_i64(r->params[0], &id) != 0 || id <= 0) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such unit");
    }
    if ((rc = query_day(r, "from", &q.from_day)) != MC_OK ||
        (rc = query_day(r, "to", &q.to_day)) != MC_OK) {
        return rc;
    }
    if (fmt != NULL && strlen(fmt) > 8) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_format", "format",
                          "format is pdf or xlsx");
    }
    q.actor = &r->actor;
    q.arena = &r->arena;
    q.now = r->now;
    q.unit_id = id;
    q.format = fmt != NULL && *fmt ? fmt : "pdf";
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    mc_buf_init(&out, strcmp(q.format, "xlsx") == 0 ? MC_XLSX_MAX
                                                    : MC_DOC_PDF_MAX * 8);
    rc = mc_register_render(db, &q, &out, &type, &r->err);
    if (rc == MC_OK) {
        mc_fmt_date(q.from_day, from, sizeof(from));
        mc_http_header(r, "Content-Disposition",
                       mc_arena_printf(&r->arena,
                                       "inline; filename=\"mau-06-%lld-%s."
                                       "%s\"",
                                       id, from, q.format));
        rc = mc_http_bytes(r, 200, type, out.data, out.len);
    }
    mc_buf_release(&out);
    return rc;
}
