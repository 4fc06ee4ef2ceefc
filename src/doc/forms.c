/*
 * forms.c - Mẫu 01 to 04 of Thông tư 01/2018/TT-VPCP (A5 portrait): the
 * receipt, the request to supplement, the refusal and the apology.
 * Field lists follow shared/domain/data/forms_tt01_2018.csv. Shared form
 * pieces (header, applicant, lists of papers) live here too and are used
 * by tracking.c through forms_int.h.
 */
#include "doc/forms.h"

#include <stdio.h>
#include <string.h>

#include "doc/forms_int.h"
#include "doc/pdf.h"

#define BASE_A5 10.0

static const char k_sign_note[] = "(Ký và ghi rõ họ tên)";
static const char k_seal_note[] = "(Ký, ghi rõ họ tên và đóng dấu)";

int
mc_doc_init(void)
{
    return mc_pdf_fonts_init();
}

void
mc_doc_thread_release(void)
{
    mc_pdf_thread_release();
}

int
mc_doc_check_list(const void *arr, size_t n, size_t max, const char *field,
                  struct mc_err *err)
{
    if (n > 0 && arr == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_list", field,
                          "%s: NULL with %zu entries", field, n);
    }
    if (n > max) {
        return mc_err_set(err, MC_ETOOBIG, 413, "too_many", field,
                          "%s: more than %zu entries", field, max);
    }
    return MC_OK;
}

int
mc_doc_begin(struct mc_pdf *p, struct mc_buf *out,
             const struct mc_doc_head *h, const char *title, int a4_land,
             const char *number_label, struct mc_err *err)
{
    struct mc_pdf_head ph;
    int rc;

    if (out == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument", NULL,
                          "no output buffer");
    }
    if (a4_land) {
        rc = mc_pdf_begin(p, out, MC_A4_H, MC_A4_W, 9.5, title, h->issued_at,
                          err);
    } else {
        rc = mc_pdf_begin(p, out, MC_A5_W, MC_A5_H, BASE_A5, title,
                          h->issued_at, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    memset(&ph, 0, sizeof(ph));
    ph.parent = mc_pdf_s(p, h->parent_body, "head.parent_body");
    ph.issuer = mc_pdf_s(p, h->issuer, "head.issuer");
    ph.number_label = number_label;
    ph.number = mc_pdf_s(p, h->number, "head.number");
    ph.place = mc_pdf_s(p, h->place, "head.place");
    ph.date = h->issued_at;
    ph.qr_url = mc_pdf_s(p, h->qr_url, "head.qr_url");
    mc_pdf_s(p, h->dossier_code, "head.dossier_code");
    if (!mc_pdf_failed(p)) {
        mc_pdf_header(p, &ph);
    }
    return MC_OK;
}

const char *
mc_doc_code_line(struct mc_pdf *p, const struct mc_doc_head *h)
{
    const char *code = mc_pdf_s(p, h->dossier_code, "head.dossier_code");

    return mc_pdf_fmt(p, "Mã hồ sơ: %s",
                      code[0] ? code : "....................");
}

const char *
mc_doc_issuer(struct mc_pdf *p, const struct mc_doc_head *h,
              const char *dflt)
{
    const char *s = mc_pdf_s(p, h->issuer, "head.issuer");

    return s[0] != '\0' ? s : dflt;
}

void
mc_doc_applicant(struct mc_pdf *p, const struct mc_doc_applicant *a,
                 int with_contacts)
{
    mc_pdf_field(p, "Ông/Bà", mc_pdf_s(p, a->name, "applicant.name"));
    mc_pdf_field(p, "Địa chỉ", mc_pdf_s(p, a->address, "applicant.address"));
    if (with_contacts) {
        mc_pdf_field2(p, "Số điện thoại",
                      mc_pdf_s(p, a->phone, "applicant.phone"), "Email",
                      mc_pdf_s(p, a->email, "applicant.email"));
    }
}

static const char *
qty(struct mc_pdf *p, int n)
{
    return n > 0 ? mc_pdf_fmt(p, "%02d", n) : "";
}

/* The papers table of forms 01 and 02 (three empty rows when none). */
static void
papers_table(struct mc_pdf *p, const struct mc_doc_paper *pp, size_t n,
             const char *name_title)
{
    const struct mc_pdf_col cols[5] = {
        {"TT", 6, MC_CENTER},
        {name_title, 46, MC_LEFT},
        {"Bản chính", 16, MC_CENTER},
        {"Bản sao chứng thực", 16, MC_CENTER},
        {"Bản chụp", 16, MC_CENTER},
    };
    struct mc_pdf_table t;
    char field[64];

    mc_pdf_space(p, 2);
    mc_pdf_table_init(p, &t, cols, 5, MC_FONT_SMALL, MC_FONT_SMALL_BOLD, 0);
    for (size_t i = 0; i < n && !mc_pdf_failed(p); i++) {
        const char *cells[5];

        snprintf(field, sizeof(field), "papers[%zu].name", i);
        cells[0] = mc_pdf_fmt(p, "%zu", i + 1);
        cells[1] = mc_pdf_s(p, pp[i].name, field);
        cells[2] = qty(p, pp[i].originals);
        cells[3] = qty(p, pp[i].certified);
        cells[4] = qty(p, pp[i].copies);
        mc_pdf_table_row(p, &t, cells);
    }
    for (size_t i = n; i < 3; i++) {
        const char *cells[5] = {NULL, NULL, NULL, NULL, NULL};

        t.min_row_h = 16;
        mc_pdf_table_row(p, &t, cells);
    }
    mc_pdf_space(p, 4);
}

void
mc_doc_hm_field(struct mc_pdf *p, const char *label, int64_t ts)
{
    char buf[96];

    mc_pdf_fmt_hm_date(ts, buf, sizeof(buf));
    mc_pdf_field(p, label, mc_pdf_fmt(p, "%s", buf));
}

int
mc_doc_receipt_pdf(const struct mc_doc_receipt *f, struct mc_buf *out,
                   struct mc_err *err)
{
    struct mc_pdf p;
    struct mc_pdf_sign left, right;
    const char *book, *submitter;
    int rc;

    if (f == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument", NULL,
                          "no form");
    }
    rc = mc_doc_check_list(f->papers, f->npapers, MC_DOC_MAX_ITEMS,
                           "papers", err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_doc_begin(&p, out, &f->head,
                      "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", 0, NULL,
                      err);
    if (rc != MC_OK) {
        return rc;
    }
    mc_pdf_title(&p, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                 mc_doc_code_line(&p, &f->head));
    mc_pdf_para(&p, 0,
                mc_pdf_fmt(&p, "%s tiếp nhận hồ sơ của:",
                           mc_doc_issuer(&p, &f->head,
                                         "Bộ phận Tiếp nhận và Trả kết quả")),
                MC_FONT_BODY, MC_LEFT, -1);
    mc_doc_applicant(&p, &f->applicant, 1);
    mc_pdf_field(&p, "Nội dung yêu cầu giải quyết",
                 mc_pdf_s(&p, f->procedure, "procedure"));
    mc_pdf_para(&p, 0, "1. Hồ sơ gồm những giấy tờ sau:", MC_FONT_BODY,
                MC_LEFT, -1);
    papers_table(&p, f->papers, f->npapers, "Tên giấy tờ");
    mc_pdf_field(&p, "2. Số lượng hồ sơ",
                 f->sets > 0 ? mc_pdf_fmt(&p, "%02d (bộ)", f->sets) : NULL);
    mc_pdf_field(&p, "3. Thời gian giải quyết hồ sơ theo quy định là",
                 mc_pdf_s(&p, f->time_limit, "time_limit"));
    mc_doc_hm_field(&p, "4. Thời gian nhận hồ sơ", f->received_at);
    mc_doc_hm_field(&p, "5. Thời gian trả kết quả giải quyết hồ sơ",
                    f->due_at);
    mc_pdf_field(&p, "6. Nơi trả kết quả",
                 mc_pdf_s(&p, f->return_place, "return_place"));
    book = mc_pdf_s(&p, f->register_book, "register_book");
    mc_pdf_field(&p, "7. Vào Sổ theo dõi hồ sơ",
                 mc_pdf_fmt(&p, "Quyển số: %s, Số thứ tự: %s",
                            book[0] ? book : ".......",
                            f->register_seq > 0
                                ? mc_pdf_fmt(&p, "%ld", f->register_seq)
                                : "......."));
    mc_pdf_space(&p, 3);
    mc_pdf_para(&p, 0,
                f->note != NULL
                    ? mc_pdf_s(&p, f->note, "note")
                    : "Lưu ý: Khi đến nhận kết quả, Ông/Bà mang theo Giấy "
                      "tiếp nhận hồ sơ và hẹn trả kết quả này. Trường hợp "
                      "nhận thay phải có giấy ủy quyền và giấy tờ tùy thân "
                      "của người nhận thay theo quy định.",
                MC_FONT_SMALL_ITAL, MC_LEFT, -1);
    if (f->eval_secret != NULL) {
        mc_pdf_para(&p, 0,
                    mc_pdf_fmt(&p,
                               "Mã đánh giá sự hài lòng: %s (nhập cùng số "
                               "hồ sơ trên máy đánh giá tại Bộ phận Một "
                               "cửa sau khi có kết quả).",
                               mc_pdf_s(&p, f->eval_secret, "eval_secret")),
                    MC_FONT_SMALL_ITAL, MC_LEFT, -1);
    }
    submitter = mc_pdf_s(&p, f->submitter, "submitter");
    left.title = "Người nộp hồ sơ";
    left.note = k_sign_note;
    left.name = submitter[0] ? submitter
                             : mc_pdf_s(&p, f->applicant.name,
                                        "applicant.name");
    right.title = "Người tiếp nhận hồ sơ";
    right.note = k_sign_note;
    right.name = mc_pdf_s(&p, f->receiver, "receiver");
    mc_pdf_signatures(&p, &left, &right);
    return mc_pdf_end(&p, MC_OK);
}

int
mc_doc_supplement_pdf(const struct mc_doc_supplement *f, struct mc_buf *out,
                      struct mc_err *err)
{
    struct mc_pdf p;
    struct mc_pdf_sign right;
    const char *contact, *phone, *code;
    int rc;

    if (f == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument", NULL,
                          "no form");
    }
    rc = mc_doc_check_list(f->papers, f->npapers, MC_DOC_MAX_ITEMS,
                           "papers", err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_doc_begin(&p, out, &f->head,
                      "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", 0, NULL,
                      err);
    if (rc != MC_OK) {
        return rc;
    }
    code = mc_pdf_s(&p, f->head.dossier_code, "head.dossier_code");
    mc_pdf_title(&p, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                 code[0] ? mc_doc_code_line(&p, &f->head) : NULL);
    mc_pdf_para(&p, 0,
                mc_pdf_fmt(&p, "%s tiếp nhận hồ sơ của:",
                           mc_doc_issuer(&p, &f->head,
                                         "Bộ phận Tiếp nhận và Trả kết quả")),
                MC_FONT_BODY, MC_LEFT, -1);
    mc_doc_applicant(&p, &f->applicant, 1);
    mc_pdf_field(&p, "Nội dung yêu cầu giải quyết",
                 mc_pdf_s(&p, f->procedure, "procedure"));
    mc_pdf_para(&p, 0,
                "Sau khi xem xét, kiểm tra thành phần hồ sơ, đề nghị Ông/Bà "
                "bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
                MC_FONT_BODY, MC_LEFT, -1);
    papers_table(&p, f->papers, f->npapers,
                 "Thành phần hồ sơ cần bổ sung, hoàn thiện");
    mc_pdf_field(&p, "Lý do", mc_pdf_s(&p, f->reason, "reason"));
    contact = mc_pdf_s(&p, f->contact_name, "contact_name");
    phone = mc_pdf_s(&p, f->contact_phone, "contact_phone");
    mc_pdf_para(&p, 0,
                mc_pdf_fmt(&p,
                           "Trong quá trình hoàn thiện hồ sơ, nếu có vướng "
                           "mắc, Ông/Bà liên hệ với %s, số điện thoại %s để "
                           "được hướng dẫn.",
                           contact[0] ? contact : "....................",
                           phone[0] ? phone : "...................."),
                MC_FONT_BODY, MC_LEFT, -1);
    right.title = "Người hướng dẫn";
    right.note = k_sign_note;
    right.name = mc_pdf_s(&p, f->guide, "guide");
    mc_pdf_signatures(&p, NULL, &right);
    return mc_pdf_end(&p, MC_OK);
}

int
mc_doc_refusal_pdf(const struct mc_doc_refusal *f, struct mc_buf *out,
                   struct mc_err *err)
{
    struct mc_pdf p;
    struct mc_pdf_sign right;
    const char *issuer, *code, *title;
    char field[64];
    int rc;

    if (f == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument", NULL,
                          "no form");
    }
    rc = mc_doc_check_list(f->reasons, f->nreasons, MC_DOC_MAX_ITEMS,
                           "reasons", err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_doc_begin(&p, out, &f->head,
                      "Phiếu từ chối tiếp nhận giải quyết hồ sơ", 0, NULL,
                      err);
    if (rc != MC_OK) {
        return rc;
    }
    code = mc_pdf_s(&p, f->head.dossier_code, "head.dossier_code");
    mc_pdf_title(&p, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                 code[0] ? mc_doc_code_line(&p, &f->head) : NULL);
    issuer = mc_doc_issuer(&p, &f->head, "Cơ quan, đơn vị");
    mc_pdf_para(&p, 0, mc_pdf_fmt(&p, "%s tiếp nhận hồ sơ của:", issuer),
                MC_FONT_BODY, MC_LEFT, -1);
    mc_doc_applicant(&p, &f->applicant, 1);
    mc_pdf_field(&p, "Nội dung yêu cầu giải quyết",
                 mc_pdf_s(&p, f->procedure, "procedure"));
    mc_pdf_field(&p, "Căn cứ quy định tại",
                 mc_pdf_s(&p, f->legal_basis, "legal_basis"));
    mc_pdf_para(&p, 0,
                mc_pdf_fmt(&p,
                           "%s từ chối tiếp nhận, giải quyết hồ sơ này với "
                           "lý do cụ thể như sau:",
                           issuer),
                MC_FONT_BODY, MC_LEFT, -1);
    for (size_t i = 0; i < f->nreasons && !mc_pdf_failed(&p); i++) {
        snprintf(field, sizeof(field), "reasons[%zu]", i);
        mc_pdf_para(&p, 12,
                    mc_pdf_fmt(&p, "%zu. %s", i + 1,
                               mc_pdf_s(&p, f->reasons[i], field)),
                    MC_FONT_BODY, MC_LEFT, -1);
    }
    for (size_t i = f->nreasons; i < 2; i++) {
        mc_pdf_para(&p, 12, "........................................."
                            "...................................",
                    MC_FONT_BODY, MC_LEFT, -1);
    }
    mc_pdf_para(&p, 0, "Xin thông báo để Ông/Bà được biết và thực hiện./.",
                MC_FONT_BODY, MC_LEFT, -1);
    title = mc_pdf_s(&p, f->signer_title, "signer_title");
    right.title = title[0] ? title : "Người tiếp nhận hồ sơ";
    right.note = title[0] ? k_seal_note : k_sign_note;
    right.name = mc_pdf_s(&p, f->signer_name, "signer_name");
    mc_pdf_signatures(&p, NULL, &right);
    return mc_pdf_end(&p, MC_OK);
}

int
mc_doc_apology_pdf(const struct mc_doc_apology *f, struct mc_buf *out,
                   struct mc_err *err)
{
    struct mc_pdf p;
    struct mc_pdf_sign right;
    const char *issuer, *recv, *name, *title;
    char date[16], due[96];
    int rc;

    if (f == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument", NULL,
                          "no form");
    }
    if (f->due_at != 0 && f->new_due_at != 0 && f->new_due_at <= f->due_at) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_date", "new_due_at",
                          "the new appointment must be after the original "
                          "one");
    }
    rc = mc_doc_begin(&p, out, &f->head,
                      "Phiếu xin lỗi và hẹn lại ngày trả kết quả", 0, NULL,
                      err);
    if (rc != MC_OK) {
        return rc;
    }
    mc_pdf_title(&p, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                 mc_doc_code_line(&p, &f->head));
    issuer = mc_doc_issuer(&p, &f->head, "Cơ quan giải quyết hồ sơ");
    recv = mc_pdf_s(&p, f->receiving_body, "receiving_body");
    name = mc_pdf_s(&p, f->applicant.name, "applicant.name");
    mc_pdf_field(&p, "Kính gửi",
                 mc_pdf_fmt(&p, "Ông/Bà %s",
                            name[0] ? name : "...................."));
    mc_pdf_field(&p, "Địa chỉ",
                 mc_pdf_s(&p, f->applicant.address, "applicant.address"));
    mc_pdf_fmt_date(f->received_at, date, sizeof(date));
    mc_pdf_para(&p, 0,
                mc_pdf_fmt(&p,
                           "Ngày %s, %s tiếp nhận giải quyết hồ sơ của "
                           "Ông/Bà, mã hồ sơ: %s.",
                           date[0] ? date : "...../...../.........",
                           recv[0] ? recv : issuer,
                           mc_pdf_s(&p, f->head.dossier_code,
                                    "head.dossier_code")),
                MC_FONT_BODY, MC_LEFT, -1);
    mc_pdf_field(&p, "Nội dung yêu cầu giải quyết",
                 mc_pdf_s(&p, f->procedure, "procedure"));
    mc_pdf_fmt_hm_date(f->due_at, due, sizeof(due));
    mc_pdf_field(&p, "Thời hạn trả kết quả theo giấy hẹn",
                 mc_pdf_fmt(&p, "%s", due));
    mc_pdf_para(&p, 0,
                mc_pdf_fmt(&p,
                           "Tuy nhiên, đến nay %s chưa trả kết quả giải quyết "
                           "hồ sơ của Ông/Bà đúng hẹn.",
                           issuer),
                MC_FONT_BODY, MC_LEFT, -1);
    mc_pdf_field(&p, "Lý do", mc_pdf_s(&p, f->reason, "reason"));
    mc_pdf_fmt_hm_date(f->new_due_at, due, sizeof(due));
    mc_pdf_field(&p,
                 mc_pdf_fmt(&p,
                            "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. %s "
                            "xin lỗi Ông/Bà và hẹn trả kết quả giải quyết "
                            "hồ sơ vào",
                            issuer),
                 mc_pdf_fmt(&p, "%s", due));
    mc_pdf_para(&p, 0, "Rất mong nhận được sự thông cảm của Ông/Bà./.",
                MC_FONT_BODY, MC_LEFT, -1);
    title = mc_pdf_s(&p, f->signer_title, "signer_title");
    right.title = title[0] ? title : "Thủ trưởng cơ quan";
    right.note = k_seal_note;
    right.name = mc_pdf_s(&p, f->signer_name, "signer_name");
    mc_pdf_signatures(&p, NULL, &right);
    return mc_pdf_end(&p, MC_OK);
}
