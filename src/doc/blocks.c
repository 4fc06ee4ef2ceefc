/*
 * blocks.c - the building blocks of a form page: the motto header, the
 * title, signature columns, the QR code, and ruled tables that flow over
 * pages with the header row repeated at the top of every page.
 *
 * A table row is measured before it is drawn; if it does not fit below
 * the cursor the page is broken first, so rows are never split. A cell is
 * capped (ellipsised) at the height of an empty page under the header
 * row, so the header plus one row always fit on a page: pagination
 * terminates whatever the input.
 */
#include "doc/pdf.h"

#include <errno.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#define QR_SIZE 56.0
#define SIGN_GAP 40.0

/* Largest header size <= base at which the motto fits on one line in w
 * (half-point steps, down to 7.5 pt). */
static void
fit_head(struct mc_pdf *p, const char *motto, double w)
{
    for (int half = (int)(p->base * 2); half >= 15; half--) {
        mc_pdf_set_head_size(p, half / 2.0);
        if (mc_pdf_text_width(p, motto, MC_FONT_HEAD_BOLD) <= w) {
            return;
        }
    }
}

static void
hline(struct mc_pdf *p, double x, double y, double w, double lw)
{
    cairo_set_line_width(p->cr, lw);
    cairo_move_to(p->cr, x, y);
    cairo_line_to(p->cr, x + w, y);
    cairo_stroke(p->cr);
}

void
mc_pdf_header(struct mc_pdf *p, const struct mc_pdf_head *h)
{
    static const char motto[] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    static const char slogan[] = "Độc lập - Tự do - Hạnh phúc";
    double cw = p->x1 - p->x0, lw = cw * 0.42, gap = 6, rw = cw - lw - gap;
    double lx = p->x0, rx = p->x0 + lw + gap, yl = p->y, yr = p->y;
    double tw, row, hs, hd;
    char date[160];

    fit_head(p, motto, rw);
    if (h->parent != NULL && h->parent[0] != '\0') {
        yl += mc_pdf_text(p, lx, yl, lw, mc_pdf_upper(p, h->parent),
                          MC_FONT_HEAD, MC_CENTER);
    }
    if (h->issuer != NULL && h->issuer[0] != '\0') {
        const char *up = mc_pdf_upper(p, h->issuer);

        yl += mc_pdf_text(p, lx, yl, lw, up, MC_FONT_HEAD_BOLD, MC_CENTER);
        tw = lw / 3;
        hline(p, lx + (lw - tw) / 2, yl + 2, tw, 0.6);
        yl += 5;
    }
    yr += mc_pdf_text(p, rx, yr, rw, motto, MC_FONT_HEAD_BOLD, MC_CENTER);
    yr += mc_pdf_text(p, rx, yr, rw, slogan, MC_FONT_HEAD_BOLD, MC_CENTER);
    tw = mc_pdf_text_width(p, slogan, MC_FONT_HEAD_BOLD);
    if (tw > rw) {
        tw = rw;
    }
    hline(p, rx + (rw - tw) / 2, yr + 1.5, tw, 0.6);
    yr += 5;

    row = (yl > yr ? yl : yr) + 3;
    hs = mc_pdf_text(p, lx, row, lw,
                     mc_pdf_fmt(p, "%s: %s",
                                h->number_label ? h->number_label : "Số",
                                h->number && h->number[0] ? h->number
                                                          : "......../......"),
                     MC_FONT_HEAD, MC_CENTER);
    mc_pdf_fmt_dateline(h->place, h->date, date, sizeof(date));
    hd = mc_pdf_text(p, rx, row, rw, date, MC_FONT_HEAD_ITAL, MC_CENTER);
    yl = row + hs;
    yr = row + hd;
    if (h->qr_url != NULL && h->qr_url[0] != '\0') {
        mc_pdf_qr(p, lx + (lw - QR_SIZE) / 2, yl + 1, QR_SIZE, h->qr_url);
        yl += QR_SIZE + 1;
    }
    p->y = (yl > yr ? yl : yr) + 6;
}

void
mc_pdf_title(struct mc_pdf *p, const char *title, const char *sub)
{
    double cw = p->x1 - p->x0;
    double h = mc_pdf_measure(p, title, MC_FONT_TITLE, cw);

    if (sub != NULL && sub[0] != '\0') {
        h += mc_pdf_measure(p, sub, MC_FONT_BOLD, cw);
    }
    mc_pdf_need(p, h + 8);
    p->y += mc_pdf_text(p, p->x0, p->y, cw, title, MC_FONT_TITLE, MC_CENTER);
    if (sub != NULL && sub[0] != '\0') {
        p->y += mc_pdf_text(p, p->x0, p->y, cw, sub, MC_FONT_BOLD,
                            MC_CENTER);
    }
    p->y += 6;
}

static double
sign_height(struct mc_pdf *p, const struct mc_pdf_sign *s, double w)
{
    double h;

    if (s == NULL) {
        return 0;
    }
    h = mc_pdf_measure(p, mc_pdf_upper(p, s->title), MC_FONT_BOLD, w);
    h += mc_pdf_measure(p, s->note, MC_FONT_ITALIC, w) + SIGN_GAP;
    if (s->name != NULL && s->name[0] != '\0') {
        h += mc_pdf_measure(p, s->name, MC_FONT_BOLD, w);
    }
    return h;
}

static void
sign_draw(struct mc_pdf *p, const struct mc_pdf_sign *s, double x,
          double w)
{
    double y = p->y;

    if (s == NULL) {
        return;
    }
    y += mc_pdf_text(p, x, y, w, mc_pdf_upper(p, s->title), MC_FONT_BOLD,
                     MC_CENTER);
    y += mc_pdf_text(p, x, y, w, s->note, MC_FONT_ITALIC, MC_CENTER);
    y += SIGN_GAP;
    if (s->name != NULL && s->name[0] != '\0') {
        mc_pdf_text(p, x, y, w, s->name, MC_FONT_BOLD, MC_CENTER);
    }
}

void
mc_pdf_signatures(struct mc_pdf *p, const struct mc_pdf_sign *left,
                  const struct mc_pdf_sign *right)
{
    double w = (p->x1 - p->x0) / 2, hl, hr;

    hl = sign_height(p, left, w);
    hr = sign_height(p, right, w);
    mc_pdf_space(p, 8);
    mc_pdf_need(p, hl > hr ? hl : hr);
    sign_draw(p, left, p->x0, w);
    sign_draw(p, right, p->x0 + w, w);
    p->y += hl > hr ? hl : hr;
}

void
mc_pdf_qr(struct mc_pdf *p, double x, double y, double size,
          const char *text)
{
    QRcode *q;
    double m;
    int n;

    if (strlen(text) > MC_PDF_QR_MAX) {
        mc_pdf_fail(p, MC_EINVAL, 400, "qr_too_long", "head.qr_url",
                    "the lookup URL is longer than %d bytes",
                    MC_PDF_QR_MAX);
        return;
    }
    q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (q == NULL) {
        if (errno == ERANGE || errno == EINVAL) {
            mc_pdf_fail(p, MC_EINVAL, 400, "qr_too_long", "head.qr_url",
                        "the lookup URL does not fit a QR code");
        } else {
            mc_pdf_fail(p, MC_ENOMEM, 503, "no_memory", NULL,
                        "out of memory");
        }
        return;
    }
    n = q->width;
    m = size / (n + 8); /* 4-module quiet zone on each side */
    for (int r = 0; r < n; r++) {
        const unsigned char *row = q->data + (size_t)r * (size_t)n;

        for (int c = 0; c < n;) {
            int c0;

            if (!(row[c] & 1)) {
                c++;
                continue;
            }
            for (c0 = c; c < n && (row[c] & 1); c++) {
            }
            cairo_rectangle(p->cr, x + (4 + c0) * m, y + (4 + r) * m,
                            (c - c0) * m, m);
        }
    }
    cairo_fill(p->cr);
    QRcode_free(q);
}

/* ---- tables ---- */

#define LINE_W 0.5

static double
layout_h(PangoLayout *l)
{
    int w, h;

    pango_layout_get_size(l, &w, &h);
    return pango_units_to_double(h);
}

static PangoLayout *
cell_layout(struct mc_pdf *p, const struct mc_pdf_table *t, int i,
            const char *text, int font, enum mc_pdf_align align,
            double max_h)
{
    double w = t->x[i + 1] - t->x[i] - 2 * t->pad;

    return mc_pdf_block(p, text, font, w, align, max_h);
}

static double
head_height(struct mc_pdf *p, const struct mc_pdf_table *t)
{
    double h = 0;

    for (int i = 0; i < t->ncols; i++) {
        PangoLayout *l = cell_layout(p, t, i, t->cols[i].title,
                                     t->head_font, MC_CENTER, 0);
        double ch = layout_h(l);

        g_object_unref(l);
        if (ch > h) {
            h = ch;
        }
    }
    return h + 2 * t->pad;
}

void
mc_pdf_table_init(struct mc_pdf *p, struct mc_pdf_table *t,
                  const struct mc_pdf_col *cols, int ncols, int font,
                  int head_font, double min_row_h)
{
    double sum = 0, acc = 0, cw = p->x1 - p->x0, room;

    memset(t, 0, sizeof(*t));
    if (ncols > MC_PDF_MAXCOLS) {
        ncols = MC_PDF_MAXCOLS;
    }
    t->cols = cols;
    t->ncols = ncols;
    t->font = font;
    t->head_font = head_font;
    t->pad = 2.5;
    t->min_row_h = min_row_h;
    t->head_page = 0;
    for (int i = 0; i < ncols; i++) {
        sum += cols[i].frac > 0 ? cols[i].frac : 0;
    }
    for (int i = 0; i < ncols; i++) {
        t->x[i] = p->x0 + cw * acc / (sum > 0 ? sum : 1);
        acc += cols[i].frac > 0 ? cols[i].frac : 0;
    }
    t->x[ncols] = p->x1;
    /* What fits on an empty page under the header. */
    room = p->y1 - p->y0 - head_height(p, t) - 2 * t->pad;
    if (t->min_row_h > room) {
        t->min_row_h = room;
    }
    t->max_h = room > 1 ? room : 1;
}

static void
rule_cells(struct mc_pdf *p, const struct mc_pdf_table *t, double y,
           double h)
{
    cairo_set_line_width(p->cr, LINE_W);
    for (int i = 0; i < t->ncols; i++) {
        cairo_rectangle(p->cr, t->x[i], y, t->x[i + 1] - t->x[i], h);
    }
    cairo_stroke(p->cr);
}

static void
draw_head(struct mc_pdf *p, struct mc_pdf_table *t)
{
    PangoLayout *l[MC_PDF_MAXCOLS];
    double h = 0, ch[MC_PDF_MAXCOLS];

    for (int i = 0; i < t->ncols; i++) {
        l[i] = cell_layout(p, t, i, t->cols[i].title, t->head_font,
                           MC_CENTER, 0);
        ch[i] = layout_h(l[i]);
        if (ch[i] > h) {
            h = ch[i];
        }
    }
    h += 2 * t->pad;
    for (int i = 0; i < t->ncols; i++) {
        /* Vertically centred header cells. */
        cairo_move_to(p->cr, t->x[i] + t->pad, p->y + (h - ch[i]) / 2);
        pango_cairo_show_layout(p->cr, l[i]);
        g_object_unref(l[i]);
    }
    rule_cells(p, t, p->y, h);
    p->y += h;
    t->head_page = p->page;
}

void
mc_pdf_table_row(struct mc_pdf *p, struct mc_pdf_table *t,
                 const char *const *cells)
{
    PangoLayout *l[MC_PDF_MAXCOLS];
    double h = 0, need;

    for (int i = 0; i < t->ncols; i++) {
        double ch;

        l[i] = cell_layout(p, t, i, cells[i] != NULL ? cells[i] : "",
                           t->font, t->cols[i].align, t->max_h);
        ch = layout_h(l[i]);
        if (ch > h) {
            h = ch;
        }
    }
    h += 2 * t->pad;
    if (h < t->min_row_h) {
        h = t->min_row_h;
    }
    need = h;
    if (t->head_page != p->page) {
        need += head_height(p, t);
    }
    if (p->y + need > p->y1 && p->y > p->y0 + 0.5) {
        mc_pdf_new_page(p);
    }
    if (t->head_page != p->page) {
        draw_head(p, t);
    }
    for (int i = 0; i < t->ncols; i++) {
        cairo_move_to(p->cr, t->x[i] + t->pad, p->y + t->pad);
        pango_cairo_show_layout(p->cr, l[i]);
        g_object_unref(l[i]);
    }
    rule_cells(p, t, p->y, h);
    p->y += h;
}
