/*
 * tracking.c - the forms that follow a dossier through its life: Mẫu 05
 * Phiếu kiểm soát quá trình giải quyết hồ sơ (A5, one row per hand-over)
 * and Mẫu 06 Sổ theo dõi hồ sơ (A4 landscape register, one row per
 * dossier, any number of pages).
 */
#include "doc/forms.h"

#include <stdio.h>
#include <string.h>

#include "doc/forms_int.h"
#include "doc/pdf.h"

static const char *
timing_text(enum mc_doc_timing t)
{
    switch (t) {
    case MC_DOC_TIMING_EARLY:
        return "Trước hạn";
    case MC_DOC_TIMING_ON_TIME:
        return "Đúng hạn";
    case MC_DOC_TIMING_LATE:
        return "Quá hạn";
    case MC_DOC_TIMING_NONE:
        break;
    }
    return "";
}

static const char *
handover_cell(struct mc_pdf *p, const struct mc_doc_handover *s, size_t i)
{
    char when[96], fg[64], fr[64];
    const char *giver, *receiver;

    snprintf(fg, sizeof(fg), "steps[%zu].giver", i);
    snprintf(fr, sizeof(fr), "steps[%zu].receiver", i);
    giver = mc_pdf_s(p, s->giver, fg);
    receiver = mc_pdf_s(p, s->receiver, fr);
    mc_pdf_fmt_hm_date(s->at, when, sizeof(when));
    return mc_pdf_fmt(p, "%s\nNgười giao: %s\nNgười nhận: %s", when,
                      giver[0] ? giver : "....................",
                      receiver[0] ? receiver : "....................");
}

int
mc_doc_control_pdf(const struct mc_doc_control *f, struct mc_buf *out,
                   struct mc_err *err)
{
    static const struct mc_pdf_col cols[4] = {
        {"TÊN CƠ QUAN", 25, MC_LEFT},
        {"THỜI GIAN GIAO, NHẬN HỒ SƠ", 38, MC_LEFT},
        {"KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/Đúng hạn/Quá hạn)", 20,
         MC_CENTER},
        {"GHI CHÚ", 17, MC_LEFT},
    };
    struct mc_pdf p;
    struct mc_pdf_table t;
    const char *receipt;
    char field[64];
    int rc;

    if (f == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument", NULL,
                          "no form");
    }
    rc = mc_doc_check_list(f->steps, f->nsteps, MC_DOC_MAX_ITEMS, "steps",
                           err);
    if (rc != MC_OK) {
        return rc;
    }
    for (size_t i = 0; i < f->nsteps; i++) {
        if ((unsigned)f->steps[i].timing > MC_DOC_TIMING_LATE) {
            snprintf(field, sizeof(field), "steps[%zu].timing", i);
            return mc_err_set(err, MC_EINVAL, 400, "invalid_value", field,
                              "%s: unknown result", field);
        }
    }
    rc = mc_doc_begin(&p, out, &f->head,
                      "Phiếu kiểm soát quá trình giải quyết hồ sơ", 0, NULL,
                      err);
    if (rc != MC_OK) {
        return rc;
    }
    mc_pdf_title(&p, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                 mc_doc_code_line(&p, &f->head));
    receipt = mc_pdf_s(&p, f->receipt_number, "receipt_number");
    mc_pdf_para(&p, 0,
                mc_pdf_fmt(&p,
                           "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết "
                           "quả số: %s)",
                           receipt[0] ? receipt : "............"),
                MC_FONT_ITALIC, MC_CENTER, -1);
    mc_pdf_space(&p, 3);
    mc_pdf_field(&p, "Người nộp hồ sơ",
                 mc_pdf_s(&p, f->applicant.name, "applicant.name"));
    if (f->applicant.address != NULL) {
        mc_pdf_field(&p, "Địa chỉ",
                     mc_pdf_s(&p, f->applicant.address,
                              "applicant.address"));
    }
    mc_pdf_field(&p, "Nội dung yêu cầu giải quyết",
                 mc_pdf_s(&p, f->procedure, "procedure"));
    mc_doc_hm_field(&p, "Thời gian nhận hồ sơ", f->received_at);
    mc_doc_hm_field(&p, "Thời gian hẹn trả kết quả", f->due_at);
    mc_pdf_field(&p, "Cơ quan (bộ phận) giải quyết hồ sơ",
                 mc_pdf_s(&p, f->resolving_agency, "resolving_agency"));
    mc_pdf_field(&p, "Cơ quan phối hợp giải quyết hồ sơ",
                 mc_pdf_s(&p, f->coordinating_agencies,
                          "coordinating_agencies"));
    mc_pdf_space(&p, 4);
    /* Rows high enough for the giver's and receiver's signatures. */
    mc_pdf_table_init(&p, &t, cols, 4, MC_FONT_SMALL, MC_FONT_SMALL_BOLD,
                      46);
    for (size_t i = 0; i < f->nsteps && !mc_pdf_failed(&p); i++) {
        const struct mc_doc_handover *s = &f->steps[i];
        const char *cells[4];

        snprintf(field, sizeof(field), "steps[%zu].agency", i);
        cells[0] = mc_pdf_s(&p, s->agency, field);
        cells[1] = handover_cell(&p, s, i);
        cells[2] = timing_text(s->timing);
        snprintf(field, sizeof(field), "steps[%zu].note", i);
        cells[3] = mc_pdf_s(&p, s->note, field);
        mc_pdf_table_row(&p, &t, cells);
    }
    for (size_t i = f->nsteps; i < 4; i++) {
        const char *cells[4] = {NULL, NULL, NULL, NULL};

        mc_pdf_table_row(&p, &t, cells);
    }
    return mc_pdf_end(&p, MC_OK);
}

/* Register columns (TT 01/2018 Mẫu 06 field list). */
static const struct mc_pdf_col reg_cols[] = {
    {"STT", 3.6, MC_CENTER},
    {"Mã hồ sơ", 13.5, MC_LEFT},
    {"Tên thủ tục hành chính", 12, MC_LEFT},
    {"Số lượng hồ sơ (bộ)", 4.6, MC_CENTER},
    {"Tên cá nhân, tổ chức", 8.5, MC_LEFT},
    {"Địa chỉ, số điện thoại", 9, MC_LEFT},
    {"Cơ quan chủ trì giải quyết", 8.3, MC_LEFT},
    {"Nhận hồ sơ", 6.4, MC_CENTER},
    {"Hẹn trả kết quả", 6.4, MC_CENTER},
    {"Chuyển hồ sơ đến cơ quan giải quyết", 6.4, MC_CENTER},
    {"Nhận kết quả từ cơ quan giải quyết", 6.4, MC_CENTER},
    {"Trả kết quả cho cá nhân, tổ chức", 6.4, MC_CENTER},
    {"Ký nhận", 5.2, MC_CENTER},
    {"Ghi chú", 5.8, MC_LEFT},
};
#define REG_NCOLS ((int)(sizeof(reg_cols) / sizeof(reg_cols[0])))

static const char *
reg_date(struct mc_pdf *p, int64_t ts)
{
    char buf[32];

    mc_pdf_fmt_date_hm(ts, buf, sizeof(buf));
    return buf[0] ? mc_pdf_fmt_tmp(p, "%s", buf) : "";
}

static void
reg_row(struct mc_pdf *p, struct mc_pdf_table *t,
        const struct mc_doc_register_row *r, size_t i)
{
    const char *c[REG_NCOLS];
    const char *addr, *phone;

    memset(c, 0, sizeof(c));
    c[0] = mc_pdf_fmt_tmp(p, "%ld", r->seq > 0 ? r->seq : (long)(i + 1));
    c[1] = mc_pdf_s_item(p, r->dossier_code, "rows", i, "dossier_code");
    c[2] = mc_pdf_s_item(p, r->procedure, "rows", i, "procedure");
    if (r->sets > 0) {
        c[3] = mc_pdf_fmt_tmp(p, "%02d", r->sets);
    }
    c[4] = mc_pdf_s_item(p, r->applicant, "rows", i, "applicant");
    addr = mc_pdf_s_item(p, r->address, "rows", i, "address");
    phone = mc_pdf_s_item(p, r->phone, "rows", i, "phone");
    if (addr[0] && phone[0]) {
        c[5] = mc_pdf_fmt_tmp(p, "%s\n%s", addr, phone);
    } else {
        c[5] = addr[0] ? addr : phone;
    }
    c[6] = mc_pdf_s_item(p, r->lead_agency, "rows", i, "lead_agency");
    c[7] = reg_date(p, r->received_at);
    c[8] = reg_date(p, r->due_at);
    c[9] = reg_date(p, r->forwarded_at);
    c[10] = reg_date(p, r->resolved_at);
    c[11] = reg_date(p, r->returned_at);
    c[13] = mc_pdf_s_item(p, r->note, "rows", i, "note");
    mc_pdf_table_row(p, t, c);
}

int
mc_doc_register_pdf(const struct mc_doc_register *f, struct mc_buf *out,
                    struct mc_err *err)
{
    struct mc_pdf p;
    struct mc_pdf_table t;
    char from[16], to[16];
    const char *sub = NULL;
    int rc;

    if (f == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument", NULL,
                          "no form");
    }
    rc = mc_doc_check_list(f->rows, f->nrows, MC_DOC_MAX_ROWS, "rows", err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_doc_begin(&p, out, &f->head, "Sổ theo dõi hồ sơ", 1,
                      "Quyển số", err);
    if (rc != MC_OK) {
        return rc;
    }
    mc_pdf_fmt_date(f->from, from, sizeof(from));
    mc_pdf_fmt_date(f->to, to, sizeof(to));
    if (f->year > 0 && from[0] && to[0]) {
        sub = mc_pdf_fmt(&p, "Năm %d (từ ngày %s đến ngày %s)", f->year,
                         from, to);
    } else if (f->year > 0) {
        sub = mc_pdf_fmt(&p, "Năm %d", f->year);
    } else if (from[0] && to[0]) {
        sub = mc_pdf_fmt(&p, "Từ ngày %s đến ngày %s", from, to);
    }
    mc_pdf_title(&p, "SỔ THEO DÕI HỒ SƠ", sub);
    mc_pdf_table_init(&p, &t, reg_cols, REG_NCOLS, MC_FONT_SMALL,
                      MC_FONT_SMALL_BOLD, 0);
    for (size_t i = 0; i < f->nrows && !mc_pdf_failed(&p); i++) {
        reg_row(&p, &t, &f->rows[i], i);
        mc_pdf_tmp_reset(&p);
    }
    if (f->nrows == 0) {
        const char *c[REG_NCOLS];

        memset(c, 0, sizeof(c));
        t.min_row_h = 22;
        for (int i = 0; i < 5; i++) {
            mc_pdf_table_row(&p, &t, c);
        }
    }
    return mc_pdf_end(&p, MC_OK);
}
