/*
 * forms.h - the one-stop forms of Thông tư 01/2018/TT-VPCP as PDF.
 *
 *   Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả      mc_doc_receipt_pdf
 *   Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ      mc_doc_supplement_pdf
 *   Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ     mc_doc_refusal_pdf
 *   Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả    mc_doc_apology_pdf
 *   Mẫu 05 Phiếu kiểm soát quá trình giải quyết hồ sơ   mc_doc_control_pdf
 *   Mẫu 06 Sổ theo dõi hồ sơ                            mc_doc_register_pdf
 *
 * Forms 01-05 are A5 portrait, the register A4 landscape. Each carries the
 * issuing body, the national motto, the number, place and date, the fields
 * of the form, signature blocks and a QR code of the public lookup URL.
 * Text is Liberation Serif (metric-compatible with Times New Roman) with
 * embedded subsets; long text wraps and long lists continue on further
 * pages (page numbers from page 2, header row repeated on each page).
 *
 * Inputs are plain structs filled by the caller. Every string is borrowed
 * UTF-8 (NFC or NFD; it is NFC-normalised before layout) and may be NULL,
 * which prints a dotted blank to fill in by hand where the form has one.
 * A string longer than 16 KiB or not valid UTF-8 fails with MC_EINVAL and
 * err->field naming it. Instants are int64 seconds since the epoch, shown
 * in Vietnam time (UTC+7); 0 means "not set".
 *
 * Output: the PDF is appended to out (borrowed, initialised by the caller,
 * e.g. mc_buf_init(&out, MC_DOC_PDF_MAX)). If it would pass out->max the
 * call fails with MC_ETOOBIG; on any failure out is left as it was.
 *
 * Thread safety: all functions may be called concurrently from any number
 * of threads; fonts are set up once per process and each thread keeps its
 * own font map.
 */
#ifndef MC_DOC_FORMS_H
#define MC_DOC_FORMS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Recommended output limit for one PDF. */
#define MC_DOC_PDF_MAX (8u << 20)
/* Most entries in a list of papers, reasons or hand-overs. */
#define MC_DOC_MAX_ITEMS 1000
/* Most rows in one register document. */
#define MC_DOC_MAX_ROWS 100000

/* Header common to all forms. */
struct mc_doc_head {
    const char *parent_body;  /* governing body ("Ủy ban nhân dân quận
                                 Hoàn Kiếm"), printed upper-case; NULL =
                                 none */
    const char *issuer;       /* issuing body ("Bộ phận Tiếp nhận và Trả
                                 kết quả"), printed upper-case */
    const char *number;       /* "125/TNHS" -> "Số: 125/TNHS" */
    const char *place;        /* "Hà Nội" */
    int64_t issued_at;        /* date line: "Hà Nội, ngày 26 tháng 11 năm
                                 2026"; Decree 30/2020 puts a zero only
                                 before days 1-9 and months 1-2 ("ngày
                                 05 tháng 3", "ngày 09 tháng 01") */
    const char *dossier_code; /* mã hồ sơ, "H26.00004-261126-0001" */
    const char *qr_url;       /* public lookup URL put in the QR code, at
                                 most 256 bytes (MC_EINVAL "qr_too_long");
                                 NULL = no QR code (blank forms) */
};

/* The applicant (cá nhân, tổ chức). */
struct mc_doc_applicant {
    const char *name;
    const char *address;
    const char *phone;
    const char *email;
};

/* One paper of a dossier and how many of each kind. */
struct mc_doc_paper {
    const char *name;  /* "Giấy khai sinh bản chính" */
    int originals;     /* bản chính; 0 prints an empty cell */
    int certified;     /* bản sao có chứng thực */
    int copies;        /* bản chụp (photocopy) */
};

/* Mẫu 01. */
struct mc_doc_receipt {
    struct mc_doc_head head;
    struct mc_doc_applicant applicant;
    const char *procedure;            /* nội dung yêu cầu giải quyết */
    const struct mc_doc_paper *papers; /* papers received */
    size_t npapers;
    int sets;                         /* số lượng hồ sơ (bộ); 0 = blank */
    const char *time_limit;           /* "05 ngày làm việc" */
    int64_t received_at;
    int64_t due_at;                   /* appointment to return the result */
    const char *return_place;         /* nơi trả kết quả */
    const char *register_book;        /* Sổ theo dõi hồ sơ: quyển số */
    long register_seq;                /* số thứ tự; 0 = blank */
    const char *note;                 /* NULL = the standard proxy note */
    const char *submitter;            /* signs; NULL = applicant.name */
    const char *receiver;             /* người tiếp nhận hồ sơ */
    const char *eval_secret;          /* kiosk evaluation code; NULL = none */
};

/* Mẫu 02. */
struct mc_doc_supplement {
    struct mc_doc_head head;
    struct mc_doc_applicant applicant;
    const char *procedure;
    const struct mc_doc_paper *papers; /* what to add or complete */
    size_t npapers;
    const char *reason;
    const char *contact_name;          /* official to ask for guidance */
    const char *contact_phone;
    const char *guide;                 /* người hướng dẫn (signs) */
};

/* Mẫu 03. */
struct mc_doc_refusal {
    struct mc_doc_head head;
    struct mc_doc_applicant applicant;
    const char *procedure;
    const char *legal_basis;           /* căn cứ pháp lý */
    const char *const *reasons;        /* numbered 1., 2., ... */
    size_t nreasons;
    const char *signer_title;          /* NULL = "Người tiếp nhận hồ sơ",
                                          "(Ký và ghi rõ họ tên)"; a title
                                          (agency head refusing after
                                          appraisal, NĐ 61 Điều 19.8) signs
                                          "(Ký, ghi rõ họ tên và đóng
                                          dấu)" */
    const char *signer_name;
};

/* Mẫu 04 (issued by the resolving agency: head.issuer). */
struct mc_doc_apology {
    struct mc_doc_head head;
    struct mc_doc_applicant applicant; /* addressee */
    const char *procedure;
    const char *receiving_body;        /* who received the dossier; NULL =
                                          head.issuer */
    int64_t received_at;
    int64_t due_at;                    /* the original appointment */
    const char *reason;                /* why it is late */
    int64_t new_due_at;                /* the one new appointment */
    const char *signer_title;          /* NULL = "Thủ trưởng cơ quan" */
    const char *signer_name;
};

/* Result of one hand-over on the control slip. */
enum mc_doc_timing {
    MC_DOC_TIMING_NONE = 0,  /* not yet known: empty cell */
    MC_DOC_TIMING_EARLY,     /* Trước hạn */
    MC_DOC_TIMING_ON_TIME,   /* Đúng hạn */
    MC_DOC_TIMING_LATE       /* Quá hạn */
};

struct mc_doc_handover {
    const char *agency;      /* tên cơ quan */
    int64_t at;              /* time of the hand-over */
    const char *giver;       /* người giao */
    const char *receiver;    /* người nhận */
    enum mc_doc_timing timing;
    const char *note;
};

/* Mẫu 05. */
struct mc_doc_control {
    struct mc_doc_head head;
    const char *receipt_number;        /* attached to receipt (Mẫu 01) no. */
    struct mc_doc_applicant applicant;
    const char *procedure;
    int64_t received_at;
    int64_t due_at;
    const char *resolving_agency;      /* cơ quan chủ trì giải quyết */
    const char *coordinating_agencies; /* cơ quan phối hợp */
    const struct mc_doc_handover *steps;
    size_t nsteps;
};

struct mc_doc_register_row {
    long seq;                  /* STT; 0 = position in the list + 1 */
    const char *dossier_code;
    const char *procedure;
    int sets;                  /* số lượng hồ sơ (bộ); 0 = empty */
    const char *applicant;
    const char *address;
    const char *phone;
    const char *lead_agency;   /* cơ quan chủ trì giải quyết */
    int64_t received_at;
    int64_t due_at;
    int64_t forwarded_at;      /* sent to the resolving agency */
    int64_t resolved_at;       /* result received from it */
    int64_t returned_at;       /* result returned to the applicant */
    const char *note;
};

/*
 * Mẫu 06 (head.number is the book number: "Quyển số"). Recipients sign in
 * the "Ký nhận" column of each row; there is no signature block.
 */
struct mc_doc_register {
    struct mc_doc_head head;
    int year;                  /* 0 = omitted */
    int64_t from;              /* period covered; 0 = omitted */
    int64_t to;
    const struct mc_doc_register_row *rows;
    size_t nrows;
};

/* One late task (done late, or overdue) of a task report. */
struct mc_doc_task_late {
    const char *title;
    const char *lead_unit;     /* lead unit's name; NULL = the report's */
    int64_t deadline_original; /* instants (their Vietnam date is shown) */
    int64_t deadline;          /* current, after adjustments */
    int64_t done_at;           /* 0 = not done */
    const char *status;        /* in words ("Quá hạn") */
    const char *cause;         /* written cause; NULL = none given */
};

/*
 * Report of the tasks assigned to a unit (issue 8, "báo cáo tình hình
 * thực hiện nhiệm vụ"): counts by status, completion rate, late tasks
 * with their causes. A4 landscape.
 */
struct mc_doc_task_report {
    struct mc_doc_head head;
    const char *unit_name;
    int64_t from, to;          /* period (instants; dates shown) */
    int64_t total, due;
    int64_t done_on_time, done_late, on_track, at_risk, overdue;
    double completion_rate;    /* 0..1, < 0 = none due */
    const struct mc_doc_task_late *late;
    size_t nlate;
};

/*
 * Set up fonts now (otherwise done by the first render). Idempotent and
 * thread-safe. Returns 1 when the private Liberation font set is in use
 * (output independent of the host's font configuration), 0 when it fell
 * back to the host configuration (a warning is logged).
 */
int mc_doc_init(void);

/*
 * Free the calling thread's font map (each thread that renders keeps one,
 * a few hundred KB, freed automatically when the thread exits). Call it
 * from the main thread before exit if it rendered, or from a thread that
 * will not render again; the next render recreates it.
 */
void mc_doc_thread_release(void);

/*
 * Render Mẫu 01 into out. f and everything it points to are borrowed.
 * Errors: MC_EINVAL (bad string, bad list: err->field), MC_ETOOBIG,
 * MC_ENOMEM, MC_EINTERNAL.
 */
int mc_doc_receipt_pdf(const struct mc_doc_receipt *f, struct mc_buf *out,
                       struct mc_err *err) MC_WUR;

/* Render Mẫu 02 into out; as mc_doc_receipt_pdf. */
int mc_doc_supplement_pdf(const struct mc_doc_supplement *f,
                          struct mc_buf *out, struct mc_err *err) MC_WUR;

/* Render Mẫu 03 into out; as mc_doc_receipt_pdf. */
int mc_doc_refusal_pdf(const struct mc_doc_refusal *f, struct mc_buf *out,
                       struct mc_err *err) MC_WUR;

/* Render Mẫu 04 into out; as mc_doc_receipt_pdf. */
int mc_doc_apology_pdf(const struct mc_doc_apology *f, struct mc_buf *out,
                       struct mc_err *err) MC_WUR;

/* Render Mẫu 05 into out; as mc_doc_receipt_pdf. */
int mc_doc_control_pdf(const struct mc_doc_control *f, struct mc_buf *out,
                       struct mc_err *err) MC_WUR;

/*
 * Render Mẫu 06 (A4 landscape, one row per dossier, as many pages as the
 * rows need) into out; as mc_doc_receipt_pdf. More than MC_DOC_MAX_ROWS
 * rows: MC_ETOOBIG.
 */
int mc_doc_register_pdf(const struct mc_doc_register *f,
                        struct mc_buf *out, struct mc_err *err) MC_WUR;

/*
 * Render the task report (A4 landscape; the late tasks continue on as
 * many pages as they need) into out; as mc_doc_receipt_pdf. More than
 * MC_DOC_MAX_ROWS late tasks: MC_ETOOBIG.
 */
int mc_doc_task_report_pdf(const struct mc_doc_task_report *f,
                           struct mc_buf *out, struct mc_err *err) MC_WUR;

#endif
