/*
 * test_doc.c - the TT 01/2018 forms as PDF and the XLSX table writer.
 *
 * PDFs are checked with the poppler tools the way a reader sees them:
 * pdftotext (expected NFC Vietnamese text, also from NFD input), pdffonts
 * (every font embedded, Liberation Serif used), pdfinfo (page size and
 * count), pdftotext -bbox (wrapped text stays inside the margins) and
 * zbarimg on a 150 dpi render (the QR code holds the exact lookup URL;
 * skipped with a message when zbarimg is not installed). Workbooks are
 * opened as zip files with python3's zipfile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>

#include "doc/forms.h"
#include "doc/pdf.h"
#include "doc/xlsx.h"
#include "util/mctime.h"

#define CODE "H26.00004-261126-0001"
#define URL "http://127.0.0.1:8080/tra-cuu/" CODE

/* NFD spellings (combining marks); C hex escapes split before hex-like
 * letters. */
#define NFD_NAME \
    "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n \xc4\x90u\xcc\x9b\xcc\x81" "c"
#define NFD_WARD \
    "Phu\xcc\x9bo\xcc\x9b\xcc\x80ng Hoa\xcc\x80n Kie\xcc\x82\xcc\x81m"
#define NFD_PAPER "Gia\xcc\x82\xcc\x81y khai sinh ba\xcc\x89n chi\xcc\x81nh"
#define NFD_UBND "U\xcc\x89y ban nha\xcc\x82n da\xcc\x82n"
#define NFD_PROC \
    "Thu\xcc\x89 tu\xcc\xa3" "c \xc4\x91" "a\xcc\x86ng ky\xcc\x81 khai sinh"

/*
 * LeakSanitizer (make asan): fontconfig leaks 288 bytes while parsing the
 * host's /etc/fonts configuration, which pango loads once in a background
 * thread; and LSan cannot follow fontconfig's offset-encoded pointers, so
 * font-cache objects reachable from pango look leaked. Allocations made by
 * fontconfig are therefore not reported; all others are.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static char g_dir[64];
static int64_t g_t0; /* 26/11/2026 09:30 Vietnam time */

/* ---- helpers ---- */

static int
run(const char *cmd, struct mc_buf *out)
{
    char chunk[4096];
    FILE *f = popen(cmd, "r");
    size_t n;
    int st;

    if (f == NULL) {
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (out != NULL && mc_buf_add(out, chunk, n) != MC_OK) {
            pclose(f);
            return -1;
        }
    }
    st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
have(const char *tool)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
    return run(cmd, NULL) == 0;
}

static void
save(const struct mc_buf *b, const char *name, char *path, size_t n)
{
    FILE *f;

    snprintf(path, n, "%s/%s", g_dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    assert_int_equal(fclose(f), 0);
}

/* Collapse runs of spaces (layout and justification add them). */
static void
squeeze(struct mc_buf *t)
{
    size_t w = 0;

    for (size_t r = 0; r < t->len; r++) {
        if (t->data[r] == ' ' && w > 0 && t->data[w - 1] == ' ') {
            continue;
        }
        t->data[w++] = t->data[r];
    }
    t->len = w;
    t->data[w] = '\0';
}

/* Drop all white space (to read across line breaks). */
static void
despace(struct mc_buf *t)
{
    size_t w = 0;

    for (size_t r = 0; r < t->len; r++) {
        if (t->data[r] != ' ' && t->data[r] != '\n') {
            t->data[w++] = t->data[r];
        }
    }
    t->len = w;
    t->data[w] = '\0';
}

static void
pdf_text(const char *path, struct mc_buf *out)
{
    char cmd[512];

    mc_buf_init(out, 16u << 20);
    snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' - 2>/dev/null",
             path);
    assert_int_equal(run(cmd, out), 0);
    assert_non_null(out->data);
    squeeze(out);
}

static void
assert_has(const struct mc_buf *t, const char *s)
{
    if (strstr(t->data, s) == NULL) {
        fail_msg("not in the PDF text: \"%s\"", s);
    }
}

/* Occurrences of s (hand-rolled: strstr in a loop is quadratic under
 * ASan, whose interceptor measures the whole haystack on every call). */
static int
count_of(const struct mc_buf *t, const char *s)
{
    size_t n = strlen(s);
    int c = 0;

    for (size_t i = 0; n > 0 && i + n <= t->len; i++) {
        if (t->data[i] == s[0] && memcmp(t->data + i, s, n) == 0) {
            c++;
            i += n - 1;
        }
    }
    return c;
}

/* Page count and size of the first page, from pdfinfo. */
static int
pdf_pages(const char *path, double *w, double *h, struct mc_buf *info)
{
    char cmd[512];
    const char *p;
    int pages = -1;

    mc_buf_init(info, 1u << 16);
    snprintf(cmd, sizeof(cmd), "pdfinfo '%s' 2>/dev/null", path);
    assert_int_equal(run(cmd, info), 0);
    p = strstr(info->data, "Pages:");
    assert_non_null(p);
    assert_int_equal(sscanf(p, "Pages: %d", &pages), 1);
    p = strstr(info->data, "Page size:");
    assert_non_null(p);
    assert_int_equal(sscanf(p, "Page size: %lf x %lf", w, h), 2);
    return pages;
}

static void
assert_page_size(const char *path, double w, double h, int pages_min,
                 int pages_max)
{
    struct mc_buf info;
    double pw, ph;
    int n = pdf_pages(path, &pw, &ph, &info);

    mc_buf_release(&info);
    assert_true(pw > w - 0.1 && pw < w + 0.1);
    assert_true(ph > h - 0.1 && ph < h + 0.1);
    if (n < pages_min || n > pages_max) {
        fail_msg("%s: %d pages, expected %d..%d", path, n, pages_min,
                 pages_max);
    }
}

/* Every font embedded, and Liberation Serif among them. */
static void
assert_fonts_embedded(const char *path)
{
    struct mc_buf out;
    char cmd[512], *line, *save_ptr = NULL;
    int rows = 0, liberation = 0, body = 0;

    mc_buf_init(&out, 1u << 16);
    snprintf(cmd, sizeof(cmd), "pdffonts '%s' 2>/dev/null", path);
    assert_int_equal(run(cmd, &out), 0);
    for (line = strtok_r(out.data, "\n", &save_ptr); line != NULL;
         line = strtok_r(NULL, "\n", &save_ptr)) {
        char *tok[16], *sp = NULL;
        int n = 0;

        if (strncmp(line, "-----", 5) == 0) {
            body = 1;
            continue;
        }
        if (!body) {
            continue;
        }
        for (char *t = strtok_r(line, " ", &sp); t != NULL && n < 16;
             t = strtok_r(NULL, " ", &sp)) {
            tok[n++] = t;
        }
        /* name type... encoding emb sub uni obj gen */
        assert_true(n >= 7);
        if (strcmp(tok[n - 5], "yes") != 0) {
            fail_msg("font not embedded: %s", tok[0]);
        }
        if (strstr(tok[0], "LiberationSerif") != NULL) {
            liberation++;
        }
        rows++;
    }
    mc_buf_release(&out);
    assert_true(rows > 0);
    assert_true(liberation > 0);
}

/* The QR code on page 1 decodes to exactly url. */
static void
assert_qr(const char *path, const char *url)
{
    struct mc_buf out;
    char cmd[1024];

    if (!have("zbarimg")) {
        print_message("zbarimg not installed (apt-get install zbar-tools):"
                      " QR decoding check SKIPPED for %s\n", path);
        return;
    }
    snprintf(cmd, sizeof(cmd),
             "pdftoppm -r 150 -png -f 1 -l 1 -singlefile '%s' '%s.p1'",
             path, path);
    assert_int_equal(run(cmd, NULL), 0);
    mc_buf_init(&out, 1u << 16);
    snprintf(cmd, sizeof(cmd), "zbarimg -q --raw '%s.p1.png' 2>/dev/null",
             path);
    assert_int_equal(run(cmd, &out), 0);
    assert_non_null(out.data);
    while (out.len > 0 && out.data[out.len - 1] == '\n') {
        out.data[--out.len] = '\0';
    }
    assert_string_equal(out.data, url);
    mc_buf_release(&out);
}

/* Common checks of an A5 form; returns its text (caller releases). */
static void
check_a5(const struct mc_buf *pdf, const char *name, const char *url,
         struct mc_buf *text, char *path, size_t n)
{
    assert_true(pdf->len > 1000);
    assert_memory_equal(pdf->data, "%PDF-", 5);
    assert_non_null(strstr(pdf->data + pdf->len - 8, "%%EOF"));
    save(pdf, name, path, n);
    assert_page_size(path, MC_A5_W, MC_A5_H, 1, 1);
    assert_fonts_embedded(path);
    pdf_text(path, text);
    assert_has(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_has(text, "Độc lập - Tự do - Hạnh phúc");
    assert_has(text, "Hà Nội, ngày 26 tháng 11 năm 2026");
    /* NFC only: no combining diacritics (UTF-8 lead byte 0xCC). */
    assert_null(memchr(text->data, 0xcc, text->len));
    if (url != NULL) {
        assert_qr(path, url);
    }
}

static void
fill_head(struct mc_doc_head *h, const char *number)
{
    memset(h, 0, sizeof(*h));
    h->parent_body = "Ủy ban nhân dân phường Hoàn Kiếm";
    h->issuer = "Bộ phận Tiếp nhận và Trả kết quả";
    h->number = number;
    h->place = "Hà Nội";
    h->issued_at = g_t0;
    h->dossier_code = CODE;
    h->qr_url = URL;
}

static const struct mc_doc_applicant k_applicant = {
    NFD_NAME, "Số 12 phố Hàng Bạc, " NFD_WARD ", Hà Nội", "0912345678",
    "duc@example.vn"};

static void
fill_receipt(struct mc_doc_receipt *r, const struct mc_doc_paper *papers,
             size_t n)
{
    memset(r, 0, sizeof(*r));
    fill_head(&r->head, "125/TNHS");
    r->applicant = k_applicant;
    r->procedure = NFD_PROC;
    r->papers = papers;
    r->npapers = n;
    r->sets = 1;
    r->time_limit = "01 ngày làm việc";
    r->received_at = g_t0;
    r->due_at = g_t0 + 86400 + 5 * 3600;
    r->return_place = "Bộ phận Một cửa, " NFD_UBND " phường Hoàn Kiếm";
    r->register_book = "01";
    r->register_seq = 125;
    r->receiver = "Trần Thị Hương";
}

static const struct mc_doc_paper k_papers[] = {
    {NFD_PAPER, 1, 0, 0},
    {"Tờ khai đăng ký khai sinh", 1, 0, 0},
    {"Giấy chứng sinh", 0, 1, 1},
};

/* ---- tests ---- */

static void
test_init_private_fonts(void **state)
{
    /* fonts-liberation2 is a build dependency: the private set is used. */
    assert_int_equal(mc_doc_init(), 1);
    assert_int_equal(mc_doc_init(), 1);
}

static void
test_date_lines(void **state)
{
    char buf[128];
    int64_t t;

    t = mc_local_ts(mc_days_from_civil(2026, 3, 5), 8 * 3600);
    mc_pdf_fmt_dateline("Hà Nội", t, buf, sizeof(buf));
    assert_string_equal(buf, "Hà Nội, ngày 05 tháng 3 năm 2026");
    t = mc_local_ts(mc_days_from_civil(2026, 1, 9), 0);
    mc_pdf_fmt_dateline("Hà Nội", t, buf, sizeof(buf));
    assert_string_equal(buf, "Hà Nội, ngày 09 tháng 01 năm 2026");
    t = mc_local_ts(mc_days_from_civil(2026, 2, 28), 0);
    mc_pdf_fmt_dateline("Huế", t, buf, sizeof(buf));
    assert_string_equal(buf, "Huế, ngày 28 tháng 02 năm 2026");
    mc_pdf_fmt_dateline("Hà Nội", g_t0, buf, sizeof(buf));
    assert_string_equal(buf, "Hà Nội, ngày 26 tháng 11 năm 2026");
    /* 31/12/2026 17:30 UTC is already 01/01/2027 in Vietnam. */
    t = (int64_t)mc_days_from_civil(2026, 12, 31) * 86400 + 17 * 3600 +
        30 * 60;
    mc_pdf_fmt_dateline("Hà Nội", t, buf, sizeof(buf));
    assert_string_equal(buf, "Hà Nội, ngày 01 tháng 01 năm 2027");
    mc_pdf_fmt_hm_date(t, buf, sizeof(buf));
    assert_string_equal(buf, "00 giờ 30 phút, ngày 01/01/2027");
    mc_pdf_fmt_date_hm(t, buf, sizeof(buf));
    assert_string_equal(buf, "01/01/2027\n00:30");
    mc_pdf_fmt_date(0, buf, sizeof(buf));
    assert_string_equal(buf, "");
    mc_pdf_fmt_dateline(NULL, 0, buf, sizeof(buf));
    assert_non_null(strstr(buf, "ngày ..... tháng ..... năm"));
}

static void
test_receipt(void **state)
{
    struct mc_doc_receipt r;
    struct mc_buf pdf, text, info;
    struct mc_err err;
    char path[256];
    double w, h;

    fill_receipt(&r, k_papers, 3);
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_receipt_pdf(&r, &pdf, &err), MC_OK);
    check_a5(&pdf, "01.pdf", URL, &text, path, sizeof(path));
    assert_has(&text, "ỦY BAN NHÂN DÂN");
    assert_has(&text, "BỘ PHẬN TIẾP NHẬN VÀ TRẢ");
    assert_has(&text, "Số: 125/TNHS");
    assert_has(&text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
    assert_has(&text, "Mã hồ sơ: " CODE);
    assert_has(&text, "Ông/Bà: Nguyễn Văn Đức");
    assert_has(&text, "Phường Hoàn Kiếm");
    assert_has(&text, "Giấy khai sinh bản chính");
    assert_has(&text, "Tờ khai đăng ký khai sinh");
    assert_has(&text, "Ủy ban nhân dân");
    assert_has(&text, "Thủ tục đăng ký khai sinh");
    assert_has(&text, "Số lượng hồ sơ: 01 (bộ)");
    assert_has(&text, "01 ngày làm việc");
    assert_has(&text, "09 giờ 30 phút, ngày 26/11/2026");
    assert_has(&text, "14 giờ 30 phút, ngày 27/11/2026");
    assert_has(&text, "Quyển số: 01, Số thứ tự: 125");
    assert_has(&text, "NGƯỜI NỘP HỒ SƠ");
    assert_has(&text, "NGƯỜI TIẾP NHẬN HỒ SƠ");
    assert_has(&text, "Trần Thị Hương");
    assert_int_equal(count_of(&text, "Nguyễn Văn Đức"), 2); /* + signer */
    mc_buf_release(&text);
    pdf_pages(path, &w, &h, &info);
    assert_non_null(strstr(info.data, "Giấy tiếp nhận hồ sơ và hẹn trả"));
    assert_non_null(strstr(info.data, "Creator:"));
    mc_buf_release(&info);
    mc_buf_release(&pdf);
}

static void
test_supplement(void **state)
{
    static const struct mc_doc_paper add[] = {
        {"Giấy chứng sinh có xác nhận của cơ sở y tế", 1, 0, 0},
        {"Văn bản ủy quyền", 0, 1, 0},
    };
    struct mc_doc_supplement s;
    struct mc_buf pdf, text;
    struct mc_err err;
    char path[256];

    memset(&s, 0, sizeof(s));
    fill_head(&s.head, "18/HDHS");
    s.applicant = k_applicant;
    s.procedure = NFD_PROC;
    s.papers = add;
    s.npapers = 2;
    s.reason = "Giấy chứng sinh chưa có xác nhận của cơ sở y tế";
    s.contact_name = "bà Trần Thị Hương";
    s.contact_phone = "024 3825 1234";
    s.guide = "Trần Thị Hương";
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_supplement_pdf(&s, &pdf, &err), MC_OK);
    check_a5(&pdf, "02.pdf", URL, &text, path, sizeof(path));
    assert_has(&text, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ");
    assert_has(&text, "Số: 18/HDHS");
    assert_has(&text, "Nguyễn Văn Đức");
    assert_has(&text, "Văn bản ủy quyền");
    assert_has(&text, "Lý do: Giấy chứng sinh chưa có xác nhận");
    assert_has(&text, "024 3825 1234");
    assert_has(&text, "NGƯỜI HƯỚNG DẪN");
    mc_buf_release(&text);
    mc_buf_release(&pdf);
}

static void
test_refusal(void **state)
{
    static const char *const reasons[] = {
        "Hồ sơ không thuộc thẩm quyền giải quyết",
        "Người nộp không xuất trình được giấy tờ tùy thân",
    };
    struct mc_doc_refusal f;
    struct mc_buf pdf, text;
    struct mc_err err;
    char path[256];

    memset(&f, 0, sizeof(f));
    fill_head(&f.head, "07/TCHS");
    f.applicant = k_applicant;
    f.procedure = "Thủ tục đăng ký khai sinh";
    f.legal_basis = "Khoản 1 Điều 16 Luật Hộ tịch";
    f.reasons = reasons;
    f.nreasons = 2;
    f.signer_title = "Chủ tịch Ủy ban nhân dân";
    f.signer_name = "Lê Văn Ấn";
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_refusal_pdf(&f, &pdf, &err), MC_OK);
    check_a5(&pdf, "03.pdf", URL, &text, path, sizeof(path));
    assert_has(&text, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ");
    assert_has(&text, "Căn cứ quy định tại: Khoản 1 Điều 16 Luật Hộ tịch");
    assert_has(&text, "1. Hồ sơ không thuộc thẩm quyền giải quyết");
    assert_has(&text, "2. Người nộp không xuất trình được giấy tờ tùy thân");
    assert_has(&text, "CHỦ TỊCH ỦY BAN NHÂN DÂN");
    assert_has(&text, "(Ký, ghi rõ họ tên và đóng dấu)");
    assert_has(&text, "Lê Văn Ấn");
    mc_buf_release(&text);
    mc_buf_release(&pdf);
}

static void
test_apology(void **state)
{
    struct mc_doc_apology f;
    struct mc_buf pdf, text;
    struct mc_err err;
    char path[256];

    memset(&f, 0, sizeof(f));
    fill_head(&f.head, "03/PXL");
    f.head.parent_body = "Ủy ban nhân dân thành phố Hà Nội";
    f.head.issuer = "Ủy ban nhân dân phường Hoàn Kiếm";
    f.applicant = k_applicant;
    f.procedure = "Thủ tục đăng ký khai sinh";
    f.receiving_body = "Bộ phận Một cửa phường Hoàn Kiếm";
    f.received_at = g_t0;
    f.due_at = g_t0 + 86400;
    f.reason = "Cần xác minh thông tin với cơ sở y tế nơi sinh";
    f.new_due_at = g_t0 + 4 * 86400;
    f.signer_name = "Lê Văn Ấn";
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_apology_pdf(&f, &pdf, &err), MC_OK);
    check_a5(&pdf, "04.pdf", URL, &text, path, sizeof(path));
    assert_has(&text, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ");
    assert_has(&text, "Kính gửi: Ông/Bà Nguyễn Văn Đức");
    assert_has(&text, "Ngày 26/11/2026");
    assert_has(&text, "09 giờ 30 phút, ngày 27/11/2026");
    assert_has(&text, "Cần xác minh thông tin với cơ sở y tế");
    assert_has(&text, "30/11/2026");
    assert_has(&text, "THỦ TRƯỞNG CƠ QUAN");
    mc_buf_release(&text);
    /* Only a later date is a new appointment. */
    f.new_due_at = f.due_at;
    assert_int_equal(mc_doc_apology_pdf(&f, &pdf, &err), MC_EINVAL);
    assert_string_equal(err.field, "new_due_at");
    mc_buf_release(&pdf);
}

static void
test_control(void **state)
{
    const struct mc_doc_handover steps[] = {
        {"Bộ phận Một cửa", g_t0, "Nguyễn Văn Đức", "Trần Thị Hương",
         MC_DOC_TIMING_NONE, NULL},
        {"Công chức Tư pháp - Hộ tịch", g_t0 + 3600, "Trần Thị Hương",
         "Phạm Minh Ước", MC_DOC_TIMING_EARLY, "Chuyển xử lý"},
        {"Lãnh đạo Ủy ban", g_t0 + 7200, "Phạm Minh Ước", "Lê Văn Ấn",
         MC_DOC_TIMING_ON_TIME, NULL},
        {"Bộ phận Một cửa", g_t0 + 2 * 86400, "Lê Văn Ấn", "Trần Thị Hương",
         MC_DOC_TIMING_LATE, "Trả muộn"},
    };
    struct mc_doc_control f;
    struct mc_buf pdf, text;
    struct mc_err err;
    char path[256];

    memset(&f, 0, sizeof(f));
    fill_head(&f.head, "125/TNHS");
    f.receipt_number = "125/TNHS";
    f.applicant = k_applicant;
    f.procedure = NFD_PROC;
    f.received_at = g_t0;
    f.due_at = g_t0 + 86400;
    f.resolving_agency = "Ủy ban nhân dân phường Hoàn Kiếm";
    f.coordinating_agencies = "Công an phường Hoàn Kiếm";
    f.steps = steps;
    f.nsteps = 4;
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_control_pdf(&f, &pdf, &err), MC_OK);
    check_a5(&pdf, "05.pdf", URL, &text, path, sizeof(path));
    assert_has(&text, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
    assert_has(&text, "hẹn trả kết quả số: 125/TNHS");
    assert_has(&text, "Người nộp hồ sơ: Nguyễn Văn Đức");
    assert_has(&text, "Công an phường Hoàn Kiếm");
    assert_has(&text, "TÊN CƠ QUAN");
    assert_has(&text, "Trước hạn");
    assert_has(&text, "Đúng hạn");
    assert_has(&text, "Quá hạn");
    assert_has(&text, "Người nhận: Phạm Minh Ước");
    assert_has(&text, "Người giao: Lê Văn Ấn");
    assert_has(&text, "11 giờ 30 phút, ngày 26/11/2026");
    mc_buf_release(&text);
    mc_buf_release(&pdf);
}

static struct mc_doc_register_row *
make_rows(size_t n, char (*codes)[32])
{
    struct mc_doc_register_row *rows = calloc(n, sizeof(*rows));

    assert_non_null(rows);
    for (size_t i = 0; i < n; i++) {
        snprintf(codes[i], 32, "H26.00004-261126-%04d", (int)i + 1);
        rows[i].dossier_code = codes[i];
        rows[i].procedure = i % 3 ? NFD_PROC
                                  : "Đăng ký kết hôn có yếu tố nước ngoài";
        rows[i].sets = 1;
        rows[i].applicant = NFD_NAME;
        rows[i].address = "Số 12 phố Hàng Bạc, " NFD_WARD;
        rows[i].phone = "0912345678";
        rows[i].lead_agency = NFD_UBND " phường Hoàn Kiếm";
        rows[i].received_at = g_t0 + (int64_t)i * 600;
        rows[i].due_at = g_t0 + 86400 + (int64_t)i * 600;
        rows[i].forwarded_at = g_t0 + 3600;
        rows[i].resolved_at = i % 2 ? g_t0 + 80000 : 0;
        rows[i].note = i % 7 ? NULL : "Bổ sung hồ sơ";
    }
    return rows;
}

static void
test_register_paginates(void **state)
{
    static char codes[200][32];
    struct mc_doc_register_row *rows = make_rows(200, codes);
    struct mc_doc_register f;
    struct mc_buf pdf, text, info;
    struct mc_err err;
    char path[256];
    double w, h;
    int pages;

    memset(&f, 0, sizeof(f));
    fill_head(&f.head, "01");
    f.head.qr_url = "http://127.0.0.1:8080/so-theo-doi/2026/01";
    f.year = 2026;
    f.from = mc_local_ts(mc_days_from_civil(2026, 1, 1), 0);
    f.to = mc_local_ts(mc_days_from_civil(2026, 12, 31), 0);
    f.rows = rows;
    f.nrows = 200;
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_register_pdf(&f, &pdf, &err), MC_OK);
    save(&pdf, "06.pdf", path, sizeof(path));
    pages = pdf_pages(path, &w, &h, &info);
    mc_buf_release(&info);
    assert_true(w > MC_A4_H - 0.1 && w < MC_A4_H + 0.1); /* landscape */
    assert_true(h > MC_A4_W - 0.1 && h < MC_A4_W + 0.1);
    assert_true(pages >= 5);
    assert_fonts_embedded(path);
    pdf_text(path, &text);
    assert_has(&text, "SỔ THEO DÕI HỒ SƠ");
    assert_has(&text, "Quyển số: 01");
    assert_has(&text, "Năm 2026 (từ ngày 01/01/2026 đến ngày 31/12/2026)");
    assert_has(&text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    /* Every row made it, and the header row is repeated on every page. */
    for (int i = 0; i < 200; i++) {
        assert_has(&text, codes[i]);
    }
    assert_int_equal(count_of(&text, "Mã hồ sơ"), pages);
    assert_int_equal(count_of(&text, "Nguyễn Văn Đức"), 200);
    assert_null(memchr(text.data, 0xcc, text.len));
    mc_buf_release(&text);
    assert_qr(path, "http://127.0.0.1:8080/so-theo-doi/2026/01");
    mc_buf_release(&pdf);
    free(rows);
}

/* The unit task report: counts, rate, every late task with its cause (or
 * the "no cause" note) across pages, NFD input extracted as NFC. */
static void
test_task_report_paginates(void **state)
{
    static char titles[120][64];
    struct mc_doc_task_late late[120];
    struct mc_doc_task_report f;
    struct mc_buf pdf, text, info;
    struct mc_err err;
    char path[256];
    double w, h;
    int pages;

    (void)state;
    memset(&f, 0, sizeof(f));
    memset(late, 0, sizeof(late));
    fill_head(&f.head, NULL);
    f.unit_name = "Sở Tư pháp";
    f.from = mc_local_ts(mc_days_from_civil(2023, 10, 1), 0);
    f.to = mc_local_ts(mc_days_from_civil(2023, 10, 31), 0);
    f.total = 130;
    f.due = 125;
    f.done_on_time = 5;
    f.done_late = 60;
    f.on_track = 3;
    f.at_risk = 2;
    f.overdue = 60;
    f.completion_rate = 5.0 / 125.0;
    for (int i = 0; i < 120; i++) {
        snprintf(titles[i], sizeof(titles[i]), "Số hóa sổ hộ tịch đợt %d", i);
        late[i].title = titles[i];
        late[i].deadline_original = mc_local_ts(
            mc_days_from_civil(2023, 10, 30), 0);
        late[i].deadline = late[i].deadline_original;
        late[i].status = i % 2 ? "Quá hạn" : "Hoàn thành quá hạn";
        late[i].done_at = i % 2 ? 0 : mc_local_ts(
            mc_days_from_civil(2023, 11, 2), 9 * 3600);
        /* NFD: "Thiếu" with combining marks */
        late[i].cause = i % 3 ? "Thie\xcc\x82\xcc\x81u kinh phí" : NULL;
    }
    late[7].lead_unit = "Phòng Hộ tịch";
    f.late = late;
    f.nlate = 120;
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_task_report_pdf(&f, &pdf, &err), MC_OK);
    save(&pdf, "task-report.pdf", path, sizeof(path));
    pages = pdf_pages(path, &w, &h, &info);
    mc_buf_release(&info);
    assert_true(w > MC_A4_H - 0.1 && w < MC_A4_H + 0.1); /* landscape */
    assert_true(pages >= 3);
    assert_fonts_embedded(path);
    pdf_text(path, &text);
    assert_has(&text, "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO");
    assert_has(&text, "Từ ngày 01/10/2023 đến ngày 31/10/2023");
    assert_has(&text, "Đơn vị chủ trì: Sở Tư pháp");
    assert_has(&text, "trên số nhiệm vụ đã đến hạn): 4.0%");
    assert_has(&text, "Phòng Hộ tịch");
    for (int i = 0; i < 120; i++) {
        assert_has(&text, titles[i]);
    }
    assert_int_equal(count_of(&text, "Thiếu kinh phí"), 80);
    assert_int_equal(count_of(&text, "(Chưa báo cáo nguyên nhân)"), 40);
    assert_int_equal(count_of(&text, "Nguyên nhân chậm"), pages);
    assert_int_equal(count_of(&text, "02/11/2023"), 60);
    assert_null(memchr(text.data, 0xcc, text.len)); /* no combining marks */
    mc_buf_release(&text);
    mc_buf_release(&pdf);
    /* Bad input names its field; nothing is appended. */
    late[3].cause = "\xc3\x28";
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_task_report_pdf(&f, &pdf, &err), MC_EINVAL);
    assert_string_equal(err.field, "late[3].cause");
    assert_int_equal(pdf.len, 0);
    mc_buf_release(&pdf);
}

static void
test_receipt_long_list_paginates(void **state)
{
    struct mc_doc_paper papers[60];
    char names[60][64];
    struct mc_doc_receipt r;
    struct mc_buf pdf, text, info;
    struct mc_err err;
    char path[256];
    double w, h;
    int pages;

    for (int i = 0; i < 60; i++) {
        snprintf(names[i], sizeof(names[i]), "Giấy tờ kèm theo số %02d", i);
        papers[i].name = names[i];
        papers[i].originals = 1;
        papers[i].certified = 0;
        papers[i].copies = i % 3;
    }
    fill_receipt(&r, papers, 60);
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_receipt_pdf(&r, &pdf, &err), MC_OK);
    save(&pdf, "01-long.pdf", path, sizeof(path));
    pages = pdf_pages(path, &w, &h, &info);
    mc_buf_release(&info);
    assert_true(pages >= 2);
    pdf_text(path, &text);
    for (int i = 0; i < 60; i++) {
        assert_has(&text, names[i]);
    }
    assert_true(count_of(&text, "Tên giấy tờ") >= 2); /* header repeated */
    assert_has(&text, "NGƯỜI TIẾP NHẬN HỒ SƠ");
    mc_buf_release(&text);
    mc_buf_release(&pdf);
}

/* Long text, even without spaces, wraps inside the page margins. */
static void
test_wrap_within_margins(void **state)
{
    struct mc_doc_receipt r;
    struct mc_buf pdf, bbox, text;
    struct mc_err err;
    char path[256], cmd[512], word[2048] = "";
    const char *p;
    int words = 0;

    for (int i = 0; i < 60; i++) {
        strncat(word, "ĐăngKýKhaiSinh", sizeof(word) - strlen(word) - 1);
    }
    fill_receipt(&r, k_papers, 3);
    r.procedure = word;
    r.note = "Ghi chú rất dài: " NFD_PAPER " " NFD_PAPER " " NFD_PAPER " "
             NFD_PAPER " " NFD_PAPER " " NFD_PAPER " " NFD_PAPER;
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_receipt_pdf(&r, &pdf, &err), MC_OK);
    save(&pdf, "01-wrap.pdf", path, sizeof(path));
    mc_buf_init(&bbox, 16u << 20);
    snprintf(cmd, sizeof(cmd), "pdftotext -bbox '%s' - 2>/dev/null", path);
    assert_int_equal(run(cmd, &bbox), 0);
    for (p = bbox.data; (p = strstr(p, "<word xMin=\"")) != NULL; p++) {
        double x0, y0, x1, y1;

        assert_int_equal(sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" "
                                   "xMax=\"%lf\" yMax=\"%lf\"",
                                &x0, &y0, &x1, &y1),
                         4);
        if (x0 < 15 * MC_PT_PER_MM - 0.5 ||
            x1 > MC_A5_W - 12 * MC_PT_PER_MM + 0.5) {
            fail_msg("word outside the margins: %.*s", 120, p);
        }
        words++;
    }
    assert_true(words > 100);
    mc_buf_release(&bbox);
    pdf_text(path, &text);
    /* The 840-character word was broken over lines, losing nothing. */
    assert_true(count_of(&text, "ĐăngKýKhaiSinh") < 58);
    despace(&text);
    assert_int_equal(count_of(&text, "ĐăngKýKhaiSinh"), 60);
    assert_has(&text, "Ghichúrấtdài:Giấykhaisinhbảnchính");
    mc_buf_release(&text);
    mc_buf_release(&pdf);
}

static void
test_blank_receipt(void **state)
{
    struct mc_doc_receipt r;
    struct mc_buf pdf, text;
    struct mc_err err;
    char path[256];

    memset(&r, 0, sizeof(r));
    r.head.place = "Hà Nội";
    r.head.issued_at = g_t0;
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_receipt_pdf(&r, &pdf, &err), MC_OK);
    check_a5(&pdf, "01-blank.pdf", NULL, &text, path, sizeof(path));
    assert_has(&text, "Mã hồ sơ: ......");
    assert_has(&text, "Ông/Bà: ......");
    assert_has(&text, "..... giờ ..... phút");
    mc_buf_release(&text);
    mc_buf_release(&pdf);
}

static void
test_bad_input(void **state)
{
    static const char bad[] = "Nguy\xc3\x28n";
    struct mc_doc_paper papers[2] = {{"Giấy tờ", 1, 0, 0}, {bad, 1, 0, 0}};
    struct mc_doc_handover step = {"Bộ phận", 0, NULL, NULL, 9, NULL};
    struct mc_doc_register_row rows[4];
    struct mc_doc_receipt r;
    struct mc_doc_control c;
    struct mc_doc_register g;
    struct mc_buf pdf;
    struct mc_err err;
    char *big;

    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_buf_adds(&pdf, "keep"), MC_OK);

    fill_receipt(&r, k_papers, 3);
    r.applicant.name = bad;
    assert_int_equal(mc_doc_receipt_pdf(&r, &pdf, &err), MC_EINVAL);
    assert_string_equal(err.field, "applicant.name");
    assert_string_equal(err.code, "invalid_utf8");
    assert_int_equal(pdf.len, 4); /* output left as it was */
    assert_string_equal(pdf.data, "keep");

    fill_receipt(&r, papers, 2);
    assert_int_equal(mc_doc_receipt_pdf(&r, &pdf, &err), MC_EINVAL);
    assert_string_equal(err.field, "papers[1].name");

    fill_receipt(&r, NULL, 3);
    assert_int_equal(mc_doc_receipt_pdf(&r, &pdf, &err), MC_EINVAL);
    assert_string_equal(err.field, "papers");

    big = malloc(MC_PDF_FIELD_MAX + 2);
    assert_non_null(big);
    memset(big, 'a', MC_PDF_FIELD_MAX + 1);
    big[MC_PDF_FIELD_MAX + 1] = '\0';
    fill_receipt(&r, k_papers, 3);
    r.note = big;
    assert_int_equal(mc_doc_receipt_pdf(&r, &pdf, &err), MC_EINVAL);
    assert_string_equal(err.code, "too_long");
    assert_string_equal(err.field, "note");
    free(big);

    memset(&c, 0, sizeof(c));
    c.steps = &step;
    c.nsteps = 1;
    assert_int_equal(mc_doc_control_pdf(&c, &pdf, &err), MC_EINVAL);
    assert_string_equal(err.field, "steps[0].timing");

    memset(rows, 0, sizeof(rows));
    rows[3].applicant = bad;
    memset(&g, 0, sizeof(g));
    g.rows = rows;
    g.nrows = 4;
    assert_int_equal(mc_doc_register_pdf(&g, &pdf, &err), MC_EINVAL);
    assert_string_equal(err.field, "rows[3].applicant");
    assert_int_equal(mc_doc_receipt_pdf(NULL, &pdf, &err), MC_EINVAL);
    assert_int_equal(pdf.len, 4);
    mc_buf_release(&pdf);
}

/* Hostile text cannot push blocks or table rows off the page. */
static void
test_many_line_breaks(void **state)
{
    static char codes[3][32];
    struct mc_doc_register_row *rows = make_rows(3, codes);
    struct mc_doc_register g;
    struct mc_doc_refusal f;
    struct mc_buf pdf, text, info;
    struct mc_err err;
    char *breaks, path[256], url[300];
    double w, h;
    int pages;

    breaks = malloc(4001);
    assert_non_null(breaks);
    for (int i = 0; i < 4000; i += 4) {
        memcpy(breaks + i, "ab\n\r", 4);
    }
    breaks[4000] = '\0';
    memset(&g, 0, sizeof(g));
    fill_head(&g.head, "01");
    g.rows = rows;
    g.nrows = 3;
    rows[1].note = breaks;
    rows[1].procedure = breaks;
    mc_buf_init(&pdf, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_register_pdf(&g, &pdf, &err), MC_OK);
    save(&pdf, "06-breaks.pdf", path, sizeof(path));
    pages = pdf_pages(path, &w, &h, &info);
    mc_buf_release(&info);
    assert_true(pages >= 1 && pages <= 3);
    pdf_text(path, &text);
    for (int i = 0; i < 3; i++) {
        assert_has(&text, codes[i]);
    }
    mc_buf_release(&text);

    /* Header and signature blocks are capped; the title stays on page 1
     * (prose, by contrast, flows over as many pages as it needs). */
    memset(&f, 0, sizeof(f));
    fill_head(&f.head, "07/TCHS");
    f.head.parent_body = breaks;
    f.signer_name = breaks;
    f.procedure = "Thủ tục đăng ký khai sinh";
    f.legal_basis = "Khoản 1 Điều 16 Luật Hộ tịch";
    mc_buf_reset(&pdf);
    assert_int_equal(mc_doc_refusal_pdf(&f, &pdf, &err), MC_OK);
    save(&pdf, "03-breaks.pdf", path, sizeof(path));
    pages = pdf_pages(path, &w, &h, &info);
    mc_buf_release(&info);
    assert_true(pages >= 1 && pages <= 2);
    pdf_text(path, &text);
    *strchr(text.data, '\f') = '\0'; /* page 1 only */
    assert_has(&text, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ");
    assert_has(&text, "Khoản");
    mc_buf_release(&text);
    assert_qr(path, URL);

    memset(url, 'a', sizeof(url) - 1);
    url[sizeof(url) - 1] = '\0';
    f.head.qr_url = url;
    mc_buf_reset(&pdf);
    assert_int_equal(mc_doc_refusal_pdf(&f, &pdf, &err), MC_EINVAL);
    assert_string_equal(err.code, "qr_too_long");
    assert_int_equal(pdf.len, 0);
    mc_buf_release(&pdf);
    free(breaks);
    free(rows);
}

static void
test_output_limit(void **state)
{
    struct mc_doc_receipt r;
    struct mc_buf pdf;
    struct mc_err err;

    fill_receipt(&r, k_papers, 3);
    mc_buf_init(&pdf, 20000); /* a receipt is ~65 KB */
    assert_int_equal(mc_doc_receipt_pdf(&r, &pdf, &err), MC_ETOOBIG);
    assert_string_equal(err.code, "pdf_too_big");
    assert_int_equal(pdf.len, 0);
    mc_buf_release(&pdf);
}

/* ---- concurrency: identical bytes from many threads at once ---- */

struct worker {
    const struct mc_buf *ref_receipt;
    const struct mc_buf *ref_register;
    const struct mc_doc_register *reg;
    int bad;
};

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    struct mc_doc_receipt r;
    struct mc_buf b;
    struct mc_err err;

    fill_receipt(&r, k_papers, 3);
    for (int i = 0; i < 6; i++) {
        const struct mc_buf *ref = i % 2 ? w->ref_register : w->ref_receipt;
        int rc;

        mc_buf_init(&b, MC_DOC_PDF_MAX);
        rc = i % 2 ? mc_doc_register_pdf(w->reg, &b, &err)
                   : mc_doc_receipt_pdf(&r, &b, &err);
        if (rc != MC_OK || b.len != ref->len ||
            memcmp(b.data, ref->data, b.len) != 0) {
            w->bad++;
        }
        mc_buf_release(&b);
    }
    return NULL;
}

static void
test_threads(void **state)
{
    static char codes[30][32];
    struct mc_doc_register_row *rows = make_rows(30, codes);
    struct mc_doc_register g;
    struct mc_doc_receipt r;
    struct mc_buf ref1, ref2, again;
    struct worker w[6];
    pthread_t th[6];
    struct mc_err err;

    memset(&g, 0, sizeof(g));
    fill_head(&g.head, "01");
    g.year = 2026;
    g.rows = rows;
    g.nrows = 30;
    fill_receipt(&r, k_papers, 3);
    mc_buf_init(&ref1, MC_DOC_PDF_MAX);
    mc_buf_init(&ref2, MC_DOC_PDF_MAX);
    mc_buf_init(&again, MC_DOC_PDF_MAX);
    assert_int_equal(mc_doc_receipt_pdf(&r, &ref1, &err), MC_OK);
    assert_int_equal(mc_doc_register_pdf(&g, &ref2, &err), MC_OK);
    /* Output is deterministic... */
    assert_int_equal(mc_doc_receipt_pdf(&r, &again, &err), MC_OK);
    assert_int_equal(again.len, ref1.len);
    assert_memory_equal(again.data, ref1.data, ref1.len);
    /* ...so threads rendering at once must produce the same bytes. */
    for (int i = 0; i < 6; i++) {
        w[i].ref_receipt = &ref1;
        w[i].ref_register = &ref2;
        w[i].reg = &g;
        w[i].bad = 0;
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]),
                         0);
    }
    for (int i = 0; i < 6; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_int_equal(w[i].bad, 0);
    }
    mc_buf_release(&again);
    mc_buf_release(&ref1);
    mc_buf_release(&ref2);
    free(rows);
}

/* ---- xlsx ---- */

/* Read entry of the zip at path into out (python3 zipfile). */
static int
zip_entry(const char *path, const char *entry, struct mc_buf *out)
{
    char cmd[768];

    mc_buf_init(out, 64u << 20);
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import sys, zipfile; sys.stdout.buffer.write("
             "zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' '%s' '%s' "
             "2>/dev/null",
             path, entry);
    return run(cmd, out);
}

static void
assert_contains(const struct mc_buf *b, const char *s)
{
    if (b->data == NULL || strstr(b->data, s) == NULL) {
        fail_msg("not in the XML: \"%s\"", s);
    }
}

static void
write_kpi(int constant_memory, const char *name, struct mc_buf *out)
{
    static const struct mc_xlsx_col cols[] = {
        {"Mã hồ sơ", 24}, {"Người nộp", 30}, {"Số ngày", 0},
        {"Tỉ lệ đúng hạn", 0}, {"Ngày nhận", 12},
    };
    struct mc_xlsx *x;
    struct mc_err err;
    int32_t day = mc_days_from_civil(2026, 11, 26);

    assert_int_equal(mc_xlsx_new(&x, constant_memory, &err), MC_OK);
    assert_int_equal(mc_xlsx_add_sheet(x, "Báo cáo KPI", cols, 5, &err),
                     MC_OK);
    for (int i = 0; i < 3; i++) {
        struct mc_xlsx_cell c[5] = {
            mc_xlsx_text(CODE), mc_xlsx_text(NFD_NAME), mc_xlsx_int(5 + i),
            mc_xlsx_double(0.925), mc_xlsx_date(day + i)};

        assert_int_equal(mc_xlsx_add_row(x, c, 5, &err), MC_OK);
    }
    assert_int_equal(mc_xlsx_rows(x), 3);
    assert_int_equal(mc_xlsx_finish(x, out, &err), MC_OK);
    save(out, name, (char[256]){0}, 256);
}

static void
test_xlsx_constant_memory(void **state)
{
    struct mc_buf out, xml;
    char path[256];

    mc_buf_init(&out, MC_XLSX_MAX);
    write_kpi(1, "kpi-cm.xlsx", &out);
    assert_memory_equal(out.data, "PK\x03\x04", 4);
    snprintf(path, sizeof(path), "%s/kpi-cm.xlsx", g_dir);
    /* Constant memory: strings inline in the sheet itself. */
    assert_int_equal(zip_entry(path, "xl/worksheets/sheet1.xml", &xml), 0);
    assert_contains(&xml, "Nguyễn Văn Đức"); /* NFD in, NFC out */
    assert_contains(&xml, "<t>Mã hồ sơ</t>");
    assert_contains(&xml, "<t>Tỉ lệ đúng hạn</t>");
    assert_contains(&xml, "state=\"frozen\"");
    assert_contains(&xml, "ySplit=\"1\"");
    assert_contains(&xml, "<autoFilter ref=\"A1:E4\"/>");
    assert_contains(&xml, "<v>46352</v>"); /* 26/11/2026 as a serial */
    assert_contains(&xml, "<v>0.925</v>");
    assert_contains(&xml, "<v>7</v>");
    assert_null(strstr(xml.data, "\xcc"));
    mc_buf_release(&xml);
    assert_int_equal(zip_entry(path, "xl/workbook.xml", &xml), 0);
    assert_contains(&xml, "name=\"Báo cáo KPI\"");
    assert_contains(&xml, "_xlnm._FilterDatabase");
    mc_buf_release(&xml);
    assert_int_equal(zip_entry(path, "xl/styles.xml", &xml), 0);
    assert_contains(&xml, "formatCode=\"dd/mm/yyyy\"");
    assert_contains(&xml, "<b/>");
    mc_buf_release(&xml);
    mc_buf_release(&out);
}

static void
test_xlsx_shared_strings(void **state)
{
    struct mc_buf out, xml;
    char path[256];

    mc_buf_init(&out, MC_XLSX_MAX);
    write_kpi(0, "kpi.xlsx", &out);
    snprintf(path, sizeof(path), "%s/kpi.xlsx", g_dir);
    assert_int_equal(zip_entry(path, "xl/sharedStrings.xml", &xml), 0);
    assert_contains(&xml, "Nguyễn Văn Đức");
    mc_buf_release(&xml);
    assert_int_equal(zip_entry(path, "xl/worksheets/sheet1.xml", &xml), 0);
    assert_contains(&xml, "<autoFilter ref=\"A1:E4\"/>");
    mc_buf_release(&xml);
    mc_buf_release(&out);
}

static void
test_xlsx_errors(void **state)
{
    static const struct mc_xlsx_col cols[] = {{"A", 0}, {"B", 0}};
    struct mc_xlsx *x;
    struct mc_xlsx_cell c[2];
    struct mc_buf out;
    struct mc_err err;
    char cmd[256];

    memset(c, 0, sizeof(c));
    mc_buf_init(&out, MC_XLSX_MAX);
    assert_int_equal(mc_xlsx_new(&x, 1, &err), MC_OK);
    assert_int_equal(mc_xlsx_add_row(x, c, 0, &err), MC_EINVAL); /* no sheet */
    assert_int_equal(mc_xlsx_add_sheet(x, "Báo/cáo", cols, 2, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "name");
    assert_int_equal(mc_xlsx_add_sheet(x, "Danh sách hồ sơ quá hạn năm 2026 "
                                          "toàn thành phố", cols, 2, &err),
                     MC_EINVAL);
    assert_int_equal(mc_xlsx_add_sheet(x, "Sổ 1", cols, 2, &err), MC_OK);
    assert_int_equal(mc_xlsx_add_sheet(x, "Sổ 1", cols, 2, &err), MC_EINVAL);
    c[0] = mc_xlsx_int(1);
    c[1] = mc_xlsx_int(INT64_C(1) << 60);
    assert_int_equal(mc_xlsx_add_row(x, c, 2, &err), MC_EINVAL);
    assert_string_equal(err.field, "cells[1]");
    /* A failed writer refuses to finish and cleans up. */
    assert_int_equal(mc_xlsx_finish(x, &out, &err), MC_EINVAL);
    assert_int_equal(out.len, 0);

    assert_int_equal(mc_xlsx_new(&x, 0, &err), MC_OK);
    assert_int_equal(mc_xlsx_add_sheet(x, "Sổ 1", cols, 2, &err), MC_OK);
    c[0] = mc_xlsx_text("Nguy\xc3\x28n");
    assert_int_equal(mc_xlsx_add_row(x, c, 1, &err), MC_EINVAL);
    assert_string_equal(err.code, "invalid_utf8");
    mc_xlsx_free(x);

    assert_int_equal(mc_xlsx_new(&x, 0, &err), MC_OK);
    assert_int_equal(mc_xlsx_add_sheet(x, "Sổ 1", cols, 2, &err), MC_OK);
    c[0] = mc_xlsx_double(NAN);
    assert_int_equal(mc_xlsx_add_row(x, c, 1, &err), MC_EINVAL);
    assert_int_equal(mc_xlsx_add_row(x, c, 3, &err), MC_EINVAL);
    mc_xlsx_free(x);

    assert_int_equal(mc_xlsx_new(&x, 0, &err), MC_OK);
    assert_int_equal(mc_xlsx_add_sheet(x, "Sổ 1", cols, 2, &err), MC_OK);
    c[0] = mc_xlsx_date(mc_days_from_civil(1900, 2, 28));
    assert_int_equal(mc_xlsx_add_row(x, c, 1, &err), MC_EINVAL);
    mc_xlsx_free(x);

    /* Output limit; the temp file goes away either way. */
    mc_buf_release(&out);
    mc_buf_init(&out, 1000);
    assert_int_equal(mc_xlsx_new(&x, 0, &err), MC_OK);
    assert_int_equal(mc_xlsx_add_sheet(x, "Sổ 1", cols, 2, &err), MC_OK);
    assert_int_equal(mc_xlsx_finish(x, &out, &err), MC_ETOOBIG);
    assert_int_equal(out.len, 0);
    snprintf(cmd, sizeof(cmd), "ls %s/xtmp | grep -q motcua-xlsx", g_dir);
    assert_int_not_equal(run(cmd, NULL), 0);
    mc_buf_release(&out);
}

static void
test_xlsx_big_table(void **state)
{
    static const struct mc_xlsx_col cols[] = {
        {"STT", 0}, {"Mã hồ sơ", 24}, {"Người nộp", 30}, {"Số ngày", 0},
        {"Điểm", 0}, {"Ngày nhận", 12},
    };
    struct mc_xlsx *x;
    struct mc_buf out, xml;
    struct mc_err err;
    char path[256], code[32];
    int32_t day = mc_days_from_civil(2026, 1, 1);

    mc_buf_init(&out, MC_XLSX_MAX);
    assert_int_equal(mc_xlsx_new(&x, 1, &err), MC_OK);
    assert_int_equal(mc_xlsx_add_sheet(x, "Hồ sơ 2026", cols, 6, &err),
                     MC_OK);
    for (int i = 0; i < 50000; i++) {
        struct mc_xlsx_cell c[6];

        snprintf(code, sizeof(code), "H26.00004-260101-%05d", i);
        c[0] = mc_xlsx_int(i + 1);
        c[1] = mc_xlsx_text(code);
        c[2] = mc_xlsx_text("Trần Thị Hương");
        c[3] = mc_xlsx_int(i % 15);
        c[4] = mc_xlsx_double(i * 0.5);
        c[5] = mc_xlsx_date(day + i % 365);
        assert_int_equal(mc_xlsx_add_row(x, c, 6, &err), MC_OK);
    }
    assert_int_equal(mc_xlsx_finish(x, &out, &err), MC_OK);
    save(&out, "big.xlsx", path, sizeof(path));
    assert_int_equal(zip_entry(path, "xl/worksheets/sheet1.xml", &xml), 0);
    assert_int_equal(count_of(&xml, "<row "), 50001);
    assert_contains(&xml, "H26.00004-260101-49999");
    assert_contains(&xml, "<autoFilter ref=\"A1:F50001\"/>");
    mc_buf_release(&xml);
    mc_buf_release(&out);
}

static int
setup(void **state)
{
    char sub[96];

    snprintf(g_dir, sizeof(g_dir), "/tmp/motcua-test-doc-XXXXXX");
    if (mkdtemp(g_dir) == NULL) {
        return -1;
    }
    /* Private TMPDIR, to see that the xlsx writer leaves nothing. */
    snprintf(sub, sizeof(sub), "%s/xtmp", g_dir);
    if (mkdir(sub, 0700) != 0 || setenv("TMPDIR", sub, 1) != 0) {
        return -1;
    }
    g_t0 = mc_local_ts(mc_days_from_civil(2026, 11, 26), 9 * 3600 + 1800);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[128];

    mc_doc_thread_release(); /* the main thread's font map */
    if (getenv("MOTCUA_KEEP_TEST_FILES") != NULL) {
        print_message("test files kept in %s\n", g_dir);
        return 0;
    }
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
    return run(cmd, NULL) == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_private_fonts),
        cmocka_unit_test(test_date_lines),
        cmocka_unit_test(test_receipt),
        cmocka_unit_test(test_supplement),
        cmocka_unit_test(test_refusal),
        cmocka_unit_test(test_apology),
        cmocka_unit_test(test_control),
        cmocka_unit_test(test_register_paginates),
        cmocka_unit_test(test_receipt_long_list_paginates),
        cmocka_unit_test(test_task_report_paginates),
        cmocka_unit_test(test_wrap_within_margins),
        cmocka_unit_test(test_blank_receipt),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_many_line_breaks),
        cmocka_unit_test(test_output_limit),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_xlsx_constant_memory),
        cmocka_unit_test(test_xlsx_shared_strings),
        cmocka_unit_test(test_xlsx_errors),
        cmocka_unit_test(test_xlsx_big_table),
    };

    if (getenv("MC_TEST_FILTER") != NULL) { /* e.g. "test_xlsx*" */
        cmocka_set_test_filter(getenv("MC_TEST_FILTER"));
    }
    return cmocka_run_group_tests(tests, setup, teardown);
}
