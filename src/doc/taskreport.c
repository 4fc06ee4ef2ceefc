/*
 * taskreport.c - the report of the tasks assigned to a unit (counts by
 * status, completion rate, late tasks with their written causes) as an
 * A4 landscape PDF, through the same blocks as the one-stop forms.
 */
#include "doc/forms.h"

#include <stdio.h>
#include <string.h>

#include "doc/forms_int.h"
#include "doc/pdf.h"

static const struct mc_pdf_col sum_cols[] = {
    {"Chỉ tiêu", 70, MC_LEFT},
    {"Số nhiệm vụ", 30, MC_CENTER},
};

static const struct mc_pdf_col late_cols[] = {
    {"STT", 4, MC_CENTER},
    {"Nhiệm vụ", 28, MC_LEFT},
    {"Đơn vị chủ trì", 12, MC_LEFT},
    {"Hạn ban đầu", 8, MC_CENTER},
    {"Hạn hiện tại", 8, MC_CENTER},
    {"Hoàn thành", 8, MC_CENTER},
    {"Tình trạng", 10, MC_CENTER},
    {"Nguyên nhân chậm", 22, MC_LEFT},
};
#define LATE_NCOLS ((int)(sizeof(late_cols) / sizeof(late_cols[0])))

static void
sum_row(struct mc_pdf *p, struct mc_pdf_table *t, const char *label,
        int64_t n)
{
    const char *c[2];

    c[0] = label;
    c[1] = mc_pdf_fmt_tmp(p, "%lld", (long long)n);
    mc_pdf_table_row(p, t, c);
}

static const char *
late_date(struct mc_pdf *p, int64_t ts)
{
    char buf[16];

    mc_pdf_fmt_date(ts, buf, sizeof(buf));
    return buf[0] ? mc_pdf_fmt_tmp(p, "%s", buf) : "";
}

static void
late_row(struct mc_pdf *p, struct mc_pdf_table *t,
         const struct mc_doc_task_late *l, const char *unit, size_t i)
{
    const char *c[LATE_NCOLS];
    const char *cause;

    c[0] = mc_pdf_fmt_tmp(p, "%zu", i + 1);
    c[1] = mc_pdf_s_item(p, l->title, "late", i, "title");
    c[2] = l->lead_unit != NULL
               ? mc_pdf_s_item(p, l->lead_unit, "late", i, "lead_unit")
               : unit;
    c[3] = late_date(p, l->deadline_original);
    c[4] = late_date(p, l->deadline);
    c[5] = late_date(p, l->done_at);
    c[6] = mc_pdf_s_item(p, l->status, "late", i, "status");
    cause = mc_pdf_s_item(p, l->cause, "late", i, "cause");
    c[7] = cause[0] ? cause : "(Chưa báo cáo nguyên nhân)";
    mc_pdf_table_row(p, t, c);
}

static void
summary(struct mc_pdf *p, const struct mc_doc_task_report *f)
{
    struct mc_pdf_table t;

    mc_pdf_para(p, 0, "I. KẾT QUẢ THỰC HIỆN", MC_FONT_BOLD, MC_LEFT, -1);
    mc_pdf_space(p, 3);
    mc_pdf_table_init(p, &t, sum_cols, 2, MC_FONT_SMALL, MC_FONT_SMALL_BOLD,
                      0);
    sum_row(p, &t, "Tổng số nhiệm vụ có hạn trong kỳ", f->total);
    sum_row(p, &t, "Hoàn thành đúng hạn", f->done_on_time);
    sum_row(p, &t, "Hoàn thành quá hạn", f->done_late);
    sum_row(p, &t, "Đang thực hiện, trong hạn", f->on_track);
    sum_row(p, &t, "Đang thực hiện, có nguy cơ chậm", f->at_risk);
    sum_row(p, &t, "Quá hạn, chưa hoàn thành", f->overdue);
    sum_row(p, &t, "Đã đến hạn hoặc đã hoàn thành", f->due);
    mc_pdf_tmp_reset(p);
    mc_pdf_space(p, 4);
    if (f->completion_rate >= 0) {
        mc_pdf_para(p, 0,
                    mc_pdf_fmt(p,
                               "Tỷ lệ hoàn thành đúng hạn (trên số nhiệm vụ "
                               "đã đến hạn): %.1f%%",
                               f->completion_rate * 100.0),
                    MC_FONT_BODY, MC_LEFT, -1);
    } else {
        mc_pdf_para(p, 0,
                    "Tỷ lệ hoàn thành đúng hạn: chưa có nhiệm vụ đến hạn "
                    "trong kỳ",
                    MC_FONT_BODY, MC_LEFT, -1);
    }
}

int
mc_doc_task_report_pdf(const struct mc_doc_task_report *f,
                       struct mc_buf *out, struct mc_err *err)
{
    static const struct mc_pdf_sign sign = {
        "Thủ trưởng đơn vị", "(Ký, ghi rõ họ tên và đóng dấu)", NULL};
    struct mc_pdf p;
    struct mc_pdf_table t;
    char from[16], to[16];
    const char *unit;
    int rc;

    if (f == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument", NULL,
                          "no report");
    }
    rc = mc_doc_check_list(f->late, f->nlate, MC_DOC_MAX_ROWS, "late", err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_doc_begin(&p, out, &f->head,
                      "Báo cáo tình hình thực hiện nhiệm vụ", 1, NULL, err);
    if (rc != MC_OK) {
        return rc;
    }
    unit = mc_pdf_s(&p, f->unit_name, "unit_name");
    mc_pdf_fmt_date(f->from, from, sizeof(from));
    mc_pdf_fmt_date(f->to, to, sizeof(to));
    mc_pdf_title(&p, "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO",
                 mc_pdf_fmt(&p, "Từ ngày %s đến ngày %s", from, to));
    mc_pdf_field(&p, "Đơn vị chủ trì", unit);
    mc_pdf_space(&p, 4);
    summary(&p, f);
    mc_pdf_space(&p, 6);
    mc_pdf_para(&p, 0, "II. NHIỆM VỤ CHẬM, QUÁ HẠN VÀ NGUYÊN NHÂN",
                MC_FONT_BOLD, MC_LEFT, -1);
    mc_pdf_space(&p, 3);
    if (f->nlate == 0) {
        mc_pdf_para(&p, 0, "Không có nhiệm vụ chậm hoặc quá hạn trong kỳ.",
                    MC_FONT_ITALIC, MC_LEFT, -1);
    } else {
        mc_pdf_table_init(&p, &t, late_cols, LATE_NCOLS, MC_FONT_SMALL,
                          MC_FONT_SMALL_BOLD, 0);
        for (size_t i = 0; i < f->nlate && !mc_pdf_failed(&p); i++) {
            late_row(&p, &t, &f->late[i], unit, i);
            mc_pdf_tmp_reset(&p);
        }
    }
    mc_pdf_space(&p, 8);
    mc_pdf_signatures(&p, NULL, &sign);
    return mc_pdf_end(&p, MC_OK);
}
