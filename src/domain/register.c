/*
 * register.c - Mẫu 06 as PDF (src/doc/forms.h) or Excel (src/doc/xlsx.h)
 * (see register.h).
 */
#include "domain/register.h"

#include <string.h>

#include "db/q_register.h"
#include "doc/forms.h"
#include "doc/xlsx.h"
#include "domain/unit.h"
#include "util/mctime.h"

static const struct mc_xlsx_col cols[] = {
    {"STT", 6},
    {"Mã hồ sơ", 20},
    {"Tên thủ tục hành chính", 40},
    {"Số lượng hồ sơ (bộ)", 10},
    {"Tên cá nhân, tổ chức", 26},
    {"Địa chỉ", 30},
    {"Số điện thoại", 14},
    {"Cơ quan chủ trì giải quyết", 28},
    {"Nhận hồ sơ", 12},
    {"Hẹn trả kết quả", 12},
    {"Chuyển hồ sơ đến cơ quan giải quyết", 14},
    {"Nhận kết quả từ cơ quan giải quyết", 14},
    {"Trả kết quả cho cá nhân, tổ chức", 14},
    {"Ghi chú", 24},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static struct mc_xlsx_cell
text(const char *s)
{
    struct mc_xlsx_cell c;

    memset(&c, 0, sizeof(c));
    c.type = s ? MC_XLSX_TEXT : MC_XLSX_BLANK;
    c.v.text = s;
    return c;
}

static struct mc_xlsx_cell
day(int64_t ts)
{
    struct mc_xlsx_cell c;

    memset(&c, 0, sizeof(c));
    c.type = ts ? MC_XLSX_DATE : MC_XLSX_BLANK;
    c.v.day = ts ? mc_local_day(ts) : 0;
    return c;
}

static struct mc_xlsx_cell
num(int64_t i)
{
    struct mc_xlsx_cell c;

    memset(&c, 0, sizeof(c));
    c.type = MC_XLSX_INT;
    c.v.i = i;
    return c;
}

static int
render_xlsx(const struct mc_doc_register_row *rows, size_t n,
            struct mc_buf *out, struct mc_err *err)
{
    struct mc_xlsx *x = NULL;
    struct mc_xlsx_cell c[NCOLS];
    int rc;

    rc = mc_xlsx_new(&x, 1, err);
    if (rc == MC_OK) {
        rc = mc_xlsx_add_sheet(x, "Sổ theo dõi hồ sơ", cols, NCOLS, err);
    }
    for (size_t i = 0; i < n && rc == MC_OK; i++) {
        const struct mc_doc_register_row *r = &rows[i];
        c[0] = num(r->seq);
        c[1] = text(r->dossier_code);
        c[2] = text(r->procedure);
        c[3] = num(r->sets);
        c[4] = text(r->applicant);
        c[5] = text(r->address);
        c[6] = text(r->phone);
        c[7] = text(r->lead_agency);
        c[8] = day(r->received_at);
        c[9] = day(r->due_at);
        c[10] = day(r->forwarded_at);
        c[11] = day(r->resolved_at);
        c[12] = day(r->returned_at);
        c[13] = text(r->note);
        rc = mc_xlsx_add_row(x, c, NCOLS, err);
    }
    if (rc != MC_OK) {
        mc_xlsx_free(x);
        return rc;
    }
    return mc_xlsx_finish(x, out, err);
}

static int
check(const struct mc_register_req *q, int pdf, struct mc_err *err)
{
    const struct mc_actor *a = q->actor;
    int days = q->to_day - q->from_day + 1;

    if (a->role != MC_ROLE_DESK && a->role != MC_ROLE_LEADER &&
        a->role != MC_ROLE_INSPECTOR) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "role_not_allowed", NULL,
                          "only desk officers, leaders and inspectors "
                          "print the register");
    }
    if (!pdf && strcmp(q->format, "xlsx") != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_format", "format",
                          "format is pdf or xlsx");
    }
    if (days < 1) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_range", "to",
                          "'to' must not be before 'from'");
    }
    if (days > (pdf ? MC_REGISTER_PDF_DAYS : MC_REGISTER_XLSX_DAYS)) {
        return mc_err_set(err, MC_EINVAL, 422, "period_too_long", "to",
                          "at most %d days as %s",
                          pdf ? MC_REGISTER_PDF_DAYS : MC_REGISTER_XLSX_DAYS,
                          pdf ? "PDF" : "Excel");
    }
    return MC_OK;
}

int
mc_register_render(struct mc_db *db, const struct mc_register_req *q,
                   struct mc_buf *out, const char **type, struct mc_err *err)
{
    struct mc_doc_register_row *rows = NULL;
    struct mc_doc_register f;
    struct mc_unit u;
    const char *hi;
    size_t n = 0;
    int pdf = q->format == NULL || strcmp(q->format, "pdf") == 0, more = 0;
    int y, m, d, rc;

    if ((rc = check(q, pdf, err)) != MC_OK) {
        return rc;
    }
    rc = mc_unit_get(db, q->unit_id, &u, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (!mc_actor_covers(q->actor, u.path)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                          "that unit is outside your scope");
    }
    hi = mc_unit_path_hi_dup(q->arena, u.path);
    if (hi == NULL || hi[0] == '\0') {
        return MC_ENOMEM;
    }
    rc = mc_q_register_rows(db, u.path, hi, mc_local_ts(q->from_day, 0),
                            mc_local_ts(q->to_day + 1, 0), MC_DOC_MAX_ROWS,
                            q->arena, &rows, &n, &more, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (more) {
        return mc_err_set(err, MC_ETOOBIG, 413, "too_many_rows", NULL,
                          "more than %d dossiers: choose a shorter period",
                          MC_DOC_MAX_ROWS);
    }
    if (!pdf) {
        *type = "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet";
        return render_xlsx(rows, n, out, err);
    }
    memset(&f, 0, sizeof(f));
    f.head.issuer = mc_arena_strdup(q->arena, u.name);
    mc_civil_from_days(q->from_day, &y, &m, &d);
    f.head.number = mc_arena_printf(q->arena, "%02d/%d", m, y);
    f.head.issued_at = q->now;
    f.year = y;
    f.from = mc_local_ts(q->from_day, 0);
    f.to = mc_local_ts(q->to_day, 0);
    f.rows = rows;
    f.nrows = n;
    *type = "application/pdf";
    return mc_doc_register_pdf(&f, out, err);
}
