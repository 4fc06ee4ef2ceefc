/*
 * pdf.h - the drawing layer under the one-stop forms (internal to src/doc).
 *
 * pdf.c holds the document, text and strings; blocks.c the page blocks
 * (header, title, signatures, QR code, tables); fonts.c the fonts.
 *
 * A struct mc_pdf is one PDF document being written, through a cairo PDF
 * surface, into a caller's bounded struct mc_buf. Text goes through pango
 * (HarfBuzz shaping, Liberation Serif from a private fontconfig set up once
 * per process) and is always set with pango_layout_set_text, never markup,
 * so user data needs no escaping. Every user string is NFC-normalised into
 * the document's arena first (mc_pdf_s), so NFD input renders and extracts
 * as NFC.
 *
 * Errors: drawing functions return nothing. The first error (bad input
 * string, output too big, cairo failure) is kept in the document and
 * reported by mc_pdf_end; after an error further drawing is harmless.
 * Long loops should stop early when mc_pdf_failed() says so.
 *
 * Coordinates are PDF points (1/72 inch), origin top-left. Fonts are sized
 * in points (the pango context runs at 72 dpi).
 */
#ifndef MC_DOC_PDF_H
#define MC_DOC_PDF_H

#include <cairo.h>
#include <pango/pango.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#define MC_PT_PER_MM (72.0 / 25.4)
#define MC_A5_W (148.0 * MC_PT_PER_MM)
#define MC_A5_H (210.0 * MC_PT_PER_MM)
#define MC_A4_W (210.0 * MC_PT_PER_MM)
#define MC_A4_H (297.0 * MC_PT_PER_MM)

/* Longest single input string, in bytes (MC_EINVAL "too_long" past it). */
#define MC_PDF_FIELD_MAX 16384
/* Paragraphs kept in a header, signature or table-cell block. */
#define MC_PDF_MAX_PARAS 8
/* Longest QR payload: beyond it modules get too small to scan. */
#define MC_PDF_QR_MAX 256
/* Most columns in one table. */
#define MC_PDF_MAXCOLS 16

/* Font roles; sizes come from the document's base size. */
enum mc_pdf_font {
    MC_FONT_BODY,       /* base size, regular */
    MC_FONT_BOLD,       /* base size, bold */
    MC_FONT_ITALIC,     /* base size, italic */
    MC_FONT_SMALL,      /* base - 1.5 pt, regular (tables) */
    MC_FONT_SMALL_BOLD, /* base - 1.5 pt, bold (table headers) */
    MC_FONT_SMALL_ITAL, /* base - 1.5 pt, italic (notes) */
    MC_FONT_TITLE,      /* base + 2 pt, bold */
    MC_FONT_HEAD,       /* motto-header size (fitted), regular */
    MC_FONT_HEAD_BOLD,  /* motto-header size, bold */
    MC_FONT_HEAD_ITAL,  /* motto-header size, italic */
    MC_FONT_COUNT
};

enum mc_pdf_align { MC_LEFT, MC_CENTER, MC_RIGHT };

struct mc_pdf {
    cairo_surface_t *surface;  /* owned */
    cairo_t *cr;               /* owned */
    PangoContext *pctx;        /* owned */
    PangoFontDescription *font[MC_FONT_COUNT]; /* owned */
    struct mc_arena arena;     /* NFC copies, formatted strings */
    struct mc_arena tmp;       /* per-row scratch, see mc_pdf_tmp_reset */
    struct mc_buf *out;        /* borrowed output */
    size_t out_len0;           /* out->len at begin, restored on error */
    struct mc_err *err;        /* borrowed, may be NULL */
    double w, h;               /* page size */
    double x0, x1, y0, y1;     /* content box */
    double y;                  /* flow cursor */
    double base;               /* base font size */
    int page;                  /* current page, 1-based */
    int rc;                    /* first error, MC_OK while all is well */
    int write_rc;              /* error of the output stream */
};

/* Header block of a form: the issuing body, the motto, number and date. */
struct mc_pdf_head {
    const char *parent;   /* governing body (NFC) or NULL */
    const char *issuer;   /* issuing body (NFC) or NULL */
    const char *number_label; /* "Số" when NULL */
    const char *number;   /* NULL or "" = dotted blank */
    const char *place;    /* NULL = dotted blank */
    int64_t date;         /* instant, 0 = dotted blank */
    const char *qr_url;   /* NULL = no QR code */
};

/* One signature column. */
struct mc_pdf_sign {
    const char *title;    /* upper-cased, bold */
    const char *note;     /* italic, e.g. "(Ký và ghi rõ họ tên)" */
    const char *name;     /* bold, may be NULL */
};

/* One table column: header text, share of the width, alignment. */
struct mc_pdf_col {
    const char *title;
    double frac;
    enum mc_pdf_align align;
};

/* A table being drawn across pages; see mc_pdf_table_init. */
struct mc_pdf_table {
    const struct mc_pdf_col *cols; /* borrowed */
    int ncols;
    double x[MC_PDF_MAXCOLS + 1];  /* column edges */
    int font, head_font;
    double pad;
    double min_row_h;
    double max_h;                  /* of a cell, so a row fits a page */
    int head_page;                 /* page the header was last drawn on */
};

/*
 * Make sure fonts are set up (idempotent, thread-safe, runs once per
 * process). Returns 1 if the private font set (Liberation from its Debian
 * directory, or MOTCUA_FONT_DIR) is used, 0 if it fell back to the host's
 * fontconfig.
 */
int mc_pdf_fonts_init(void);

/* Free the calling thread's font map now (see mc_doc_thread_release). */
void mc_pdf_thread_release(void);

/*
 * The calling thread's font map (owned by the thread; do not unref), bound
 * to the private font set when there is one. NULL on failure.
 */
PangoFontMap *mc_pdf_thread_fontmap(void);

/*
 * Start a document of w x h points whose bytes are appended to out
 * (borrowed; its max bounds the PDF). base is the body font size. title
 * (UTF-8, borrowed) and created (instant, 0 = none) go into the PDF
 * metadata. err (borrowed, may be NULL) receives the first error. On
 * failure everything is released and the error returned; on success the
 * caller must call mc_pdf_end. The first page is open and the cursor is at
 * the top of the content box.
 */
int mc_pdf_begin(struct mc_pdf *p, struct mc_buf *out, double w, double h,
                 double base, const char *title, int64_t created,
                 struct mc_err *err) MC_WUR;

/*
 * Finish the document and release p. rc is the caller's own status: if it
 * or the document failed, out is restored to its length at begin and the
 * first error is returned; else 0 with the PDF appended to out.
 */
int mc_pdf_end(struct mc_pdf *p, int rc) MC_WUR;

/* 1 once the document has failed (stop drawing loops early). */
int mc_pdf_failed(struct mc_pdf *p);

/*
 * Fail the document with rc unless it already failed: fills the error
 * (status, machine code, field may be NULL, printf message). mc_pdf_end
 * will return rc.
 */
void mc_pdf_fail(struct mc_pdf *p, int rc, int status, const char *code,
                 const char *field, const char *fmt, ...) MC_PRINTF(6, 7);

/* Size in points of the MC_FONT_HEAD* fonts (the motto header). */
void mc_pdf_set_head_size(struct mc_pdf *p, double size);

/*
 * NFC copy of s in the document arena; "" for NULL. field names s in the
 * error. Invalid UTF-8 or more than MC_PDF_FIELD_MAX bytes fail the
 * document (MC_EINVAL) and return "".
 */
const char *mc_pdf_s(struct mc_pdf *p, const char *s, const char *field);
/* Same, allocating from the scratch arena. */
const char *mc_pdf_s_tmp(struct mc_pdf *p, const char *s, const char *field);
/* mc_pdf_s_tmp of a table item's s, named "<list>[i].<name>" in errors. */
const char *mc_pdf_s_item(struct mc_pdf *p, const char *s, const char *list,
                          size_t i, const char *name);
/* Free everything allocated with mc_pdf_s_tmp / mc_pdf_fmt_tmp. */
void mc_pdf_tmp_reset(struct mc_pdf *p);
/* printf into the document arena (never NULL: "" on failure + error). */
const char *mc_pdf_fmt(struct mc_pdf *p, const char *fmt, ...)
    MC_PRINTF(2, 3);
/* Same, into the scratch arena. */
const char *mc_pdf_fmt_tmp(struct mc_pdf *p, const char *fmt, ...)
    MC_PRINTF(2, 3);
/* Upper-case copy (Vietnamese-aware, via GLib) in the document arena. */
const char *mc_pdf_upper(struct mc_pdf *p, const char *s);

/* "Hà Nội, ngày 05 tháng 3 năm 2026" (Decree 30/2020 zero rules). */
void mc_pdf_fmt_dateline(const char *place, int64_t ts, char *out,
                         size_t n);
/* "09 giờ 30 phút, ngày 26/11/2026"; dotted blanks when ts is 0. */
void mc_pdf_fmt_hm_date(int64_t ts, char *out, size_t n);
/* "26/11/2026" or "" when ts is 0. */
void mc_pdf_fmt_date(int64_t ts, char *out, size_t n);
/* "26/11/2026\n09:30" or "" when ts is 0 (table cells). */
void mc_pdf_fmt_date_hm(int64_t ts, char *out, size_t n);

/* Close the page and open the next one; the cursor goes to the top. */
void mc_pdf_new_page(struct mc_pdf *p);
/* Break the page unless h points fit below the cursor. 1 if it broke. */
int mc_pdf_need(struct mc_pdf *p, double h);
/* Move the cursor down (never past the bottom; no page break). */
void mc_pdf_space(struct mc_pdf *p, double dy);

/* A wrapped layout of text in width w (caller g_object_unref). */
PangoLayout *mc_pdf_layout(struct mc_pdf *p, const char *text, int font,
                           double w, enum mc_pdf_align align);
/*
 * Same, for a block that must not grow without bound: at most
 * MC_PDF_MAX_PARAS paragraphs and, if max_h > 0, at most max_h points
 * high (the rest ellipsised).
 */
PangoLayout *mc_pdf_block(struct mc_pdf *p, const char *text, int font,
                          double w, enum mc_pdf_align align, double max_h);
/*
 * Height of text wrapped in width w, without drawing it. This and
 * mc_pdf_text are blocks of at most a quarter page (see mc_pdf_block).
 */
double mc_pdf_measure(struct mc_pdf *p, const char *text, int font,
                      double w);
/* Draw wrapped text with its top-left at (x, y); returns its height. */
double mc_pdf_text(struct mc_pdf *p, double x, double y, double w,
                   const char *text, int font, enum mc_pdf_align align);
/* Width of text on one line. */
double mc_pdf_text_width(struct mc_pdf *p, const char *text, int font);

/*
 * Flow a paragraph at the cursor across the content width (less indent),
 * breaking pages between lines. bold_from (byte offset, or -1) sets the
 * rest of the text in bold: "label: value" with a bold value.
 */
void mc_pdf_para(struct mc_pdf *p, double indent, const char *text,
                 int font, enum mc_pdf_align align, long bold_from);
/*
 * "label: value" paragraph, the value in bold; a missing or empty value
 * prints a dotted blank to fill in by hand. label and value must already
 * be NFC (from mc_pdf_s).
 */
void mc_pdf_field(struct mc_pdf *p, const char *label, const char *value);
/* Two "label: value" pairs on one paragraph (phone and e-mail). */
void mc_pdf_field2(struct mc_pdf *p, const char *l1, const char *v1,
                   const char *l2, const char *v2);

/* The motto header block at the cursor (page 1 of a form). */
void mc_pdf_header(struct mc_pdf *p, const struct mc_pdf_head *h);
/* Centred bold title and an optional centred subtitle. */
void mc_pdf_title(struct mc_pdf *p, const char *title, const char *sub);
/* Signature columns; left may be NULL (right column only). */
void mc_pdf_signatures(struct mc_pdf *p, const struct mc_pdf_sign *left,
                       const struct mc_pdf_sign *right);

/*
 * QR code of text (8-bit mode, level M) as vector squares, size points
 * wide including the 4-module quiet zone, top-left at (x, y). Fails the
 * document with MC_EINVAL "qr_too_long" past MC_PDF_QR_MAX bytes.
 */
void mc_pdf_qr(struct mc_pdf *p, double x, double y, double size,
               const char *text);

/*
 * Prepare a table over the content width: ncols (<= MC_PDF_MAXCOLS)
 * columns whose fracs are scaled to fill it. Cells use font, the header
 * head_font; a row is at least min_row_h high and a cell at most as high
 * as an empty page under the header (then ellipsised), so a row always
 * fits on a page.
 */
void mc_pdf_table_init(struct mc_pdf *p, struct mc_pdf_table *t,
                       const struct mc_pdf_col *cols, int ncols, int font,
                       int head_font, double min_row_h);
/*
 * Draw one row of ncols NFC cells (NULL = empty) at the cursor, breaking
 * the page first if it does not fit; the header row is drawn before the
 * first row and again at the top of every new page.
 */
void mc_pdf_table_row(struct mc_pdf *p, struct mc_pdf_table *t,
                      const char *const *cells);

#endif
