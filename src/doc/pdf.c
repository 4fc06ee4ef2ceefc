/*
 * pdf.c - PDF documents over cairo + pango: the output stream, strings
 * and dates, text measurement and flow across pages. Fonts are set up in
 * fonts.c, the page blocks built on top are in blocks.c.
 *
 * A document (cairo surface, pango context, arenas) belongs to the one
 * thread that renders it; nothing here is shared between documents except
 * the calling thread's font map.
 */
#include "doc/pdf.h"

#include <cairo-pdf.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/mctime.h"
#include "util/text.h"

#define FAMILY "Liberation Serif"
#define DOTS "........................................"

void
mc_pdf_fail(struct mc_pdf *p, int rc, int status, const char *code,
            const char *field, const char *fmt, ...)
{
    va_list ap;

    if (p->rc != MC_OK) {
        return;
    }
    p->rc = rc;
    va_start(ap, fmt);
    mc_err_vset(p->err, rc, status, code, field, fmt, ap);
    va_end(ap);
}

static cairo_status_t
write_cb(void *closure, const unsigned char *data, unsigned int len)
{
    struct mc_pdf *p = closure;
    int rc;

    if (p->write_rc != MC_OK) {
        return CAIRO_STATUS_WRITE_ERROR;
    }
    rc = mc_buf_add(p->out, data, len);
    if (rc != MC_OK) {
        p->write_rc = rc;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static PangoFontDescription *
font_new(double size, PangoWeight weight, PangoStyle style)
{
    PangoFontDescription *d = pango_font_description_new();

    pango_font_description_set_family(d, FAMILY);
    pango_font_description_set_weight(d, weight);
    pango_font_description_set_style(d, style);
    pango_font_description_set_size(d, (gint)(size * PANGO_SCALE));
    return d;
}

static void
fonts_make(struct mc_pdf *p, double head)
{
    static const struct {
        double delta;
        PangoWeight w;
        PangoStyle s;
    } role[MC_FONT_COUNT] = {
        [MC_FONT_BODY] = {0, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
        [MC_FONT_BOLD] = {0, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
        [MC_FONT_ITALIC] = {0, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC},
        [MC_FONT_SMALL] = {-1.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
        [MC_FONT_SMALL_BOLD] = {-1.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
        [MC_FONT_SMALL_ITAL] = {-1.5, PANGO_WEIGHT_NORMAL,
                                PANGO_STYLE_ITALIC},
        [MC_FONT_TITLE] = {2, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
        [MC_FONT_HEAD] = {0, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
        [MC_FONT_HEAD_BOLD] = {0, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
        [MC_FONT_HEAD_ITAL] = {0, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC},
    };

    for (int i = 0; i < MC_FONT_COUNT; i++) {
        double size = i >= MC_FONT_HEAD ? head : p->base + role[i].delta;

        if (p->font[i] != NULL) {
            pango_font_description_free(p->font[i]);
        }
        p->font[i] = font_new(size, role[i].w, role[i].s);
    }
}

void
mc_pdf_set_head_size(struct mc_pdf *p, double size)
{
    fonts_make(p, size);
}

static void
release(struct mc_pdf *p)
{
    for (int i = 0; i < MC_FONT_COUNT; i++) {
        if (p->font[i] != NULL) {
            pango_font_description_free(p->font[i]);
            p->font[i] = NULL;
        }
    }
    if (p->pctx != NULL) {
        g_object_unref(p->pctx);
        p->pctx = NULL;
    }
    if (p->cr != NULL) {
        cairo_destroy(p->cr);
        p->cr = NULL;
    }
    if (p->surface != NULL) {
        cairo_surface_destroy(p->surface);
        p->surface = NULL;
    }
    mc_arena_release(&p->arena);
    mc_arena_release(&p->tmp);
}

static void
set_margins(struct mc_pdf *p)
{
    double mm = MC_PT_PER_MM;

    if (p->w < 500) { /* A5 */
        p->x0 = 15 * mm;
        p->x1 = p->w - 12 * mm;
        p->y0 = 12 * mm;
        p->y1 = p->h - 12 * mm;
    } else {
        p->x0 = 20 * mm;
        p->x1 = p->w - 15 * mm;
        p->y0 = 15 * mm;
        p->y1 = p->h - 15 * mm;
    }
}

int
mc_pdf_begin(struct mc_pdf *p, struct mc_buf *out, double w, double h,
             double base, const char *title, int64_t created,
             struct mc_err *err)
{
    cairo_font_options_t *fo;
    PangoFontMap *fm;
    char ts[32];

    memset(p, 0, sizeof(*p));
    p->out = out;
    p->out_len0 = out->len;
    p->err = err;
    p->w = w;
    p->h = h;
    p->base = base;
    p->page = 1;
    set_margins(p);
    p->y = p->y0;
    mc_arena_init(&p->arena, 32u << 20);
    mc_arena_init(&p->tmp, 4u << 20);
    mc_pdf_fonts_init();
    fm = mc_pdf_thread_fontmap();
    if (fm == NULL) {
        mc_pdf_fail(p, MC_EINTERNAL, 500, "pdf_fonts", NULL,
                    "no font map");
        goto fail;
    }
    p->surface = cairo_pdf_surface_create_for_stream(write_cb, p, w, h);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        mc_pdf_fail(p, MC_ENOMEM, 503, "pdf_surface", NULL, "cairo: %s",
                    cairo_status_to_string(cairo_surface_status(p->surface)));
        goto fail;
    }
    if (title != NULL) {
        cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE,
                                       title);
    }
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
                                   "motcua");
    if (created != 0) {
        mc_fmt_ts(created, ts, sizeof(ts));
        cairo_pdf_surface_set_metadata(p->surface,
                                       CAIRO_PDF_METADATA_CREATE_DATE, ts);
    }
    p->cr = cairo_create(p->surface);
    if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
        mc_pdf_fail(p, MC_ENOMEM, 503, "pdf_surface", NULL, "cairo: %s",
                    cairo_status_to_string(cairo_status(p->cr)));
        goto fail;
    }
    p->pctx = pango_font_map_create_context(fm);
    pango_cairo_update_context(p->cr, p->pctx);
    pango_cairo_context_set_resolution(p->pctx, 72.0);
    fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p->pctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(p->pctx, FALSE);
    fonts_make(p, base - 1);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    return MC_OK;

fail:
    release(p);
    return p->rc;
}

int
mc_pdf_failed(struct mc_pdf *p)
{
    return p->rc != MC_OK || p->write_rc != MC_OK ||
           (p->cr != NULL && cairo_status(p->cr) != CAIRO_STATUS_SUCCESS);
}

int
mc_pdf_end(struct mc_pdf *p, int rc)
{
    cairo_status_t st;

    if (rc == MC_OK) {
        rc = p->rc;
    }
    if (rc != MC_OK) {
        p->write_rc = rc; /* drop whatever cairo still wants to write */
    }
    st = cairo_status(p->cr);
    cairo_destroy(p->cr);
    p->cr = NULL;
    cairo_surface_finish(p->surface);
    if (st == CAIRO_STATUS_SUCCESS) {
        st = cairo_surface_status(p->surface);
    }
    if (rc == MC_OK && p->write_rc != MC_OK) {
        rc = p->write_rc;
        if (rc == MC_ETOOBIG) {
            mc_err_set(p->err, rc, 413, "pdf_too_big", NULL,
                       "PDF larger than %zu bytes", p->out->max);
        } else {
            mc_err_set(p->err, rc, 503, "pdf_no_memory", NULL,
                       "out of memory writing the PDF");
        }
    }
    if (rc == MC_OK && st != CAIRO_STATUS_SUCCESS) {
        rc = st == CAIRO_STATUS_NO_MEMORY ? MC_ENOMEM : MC_EINTERNAL;
        mc_err_set(p->err, rc, 500, "pdf_render", NULL, "cairo: %s",
                   cairo_status_to_string(st));
    }
    release(p);
    if (rc != MC_OK && p->out->data != NULL) {
        p->out->len = p->out_len0;
        p->out->data[p->out_len0] = '\0';
    }
    return rc;
}

static const char *
nfc(struct mc_pdf *p, struct mc_arena *a, const char *s, const char *field)
{
    size_t n;
    char *r;

    if (s == NULL) {
        return "";
    }
    n = strnlen(s, MC_PDF_FIELD_MAX + 1);
    if (n > MC_PDF_FIELD_MAX) {
        mc_pdf_fail(p, MC_EINVAL, 400, "too_long", field,
                    "%s: longer than %d bytes", field, MC_PDF_FIELD_MAX);
        return "";
    }
    r = mc_utf8_nfc(a, s);
    if (r == NULL) {
        if (!mc_utf8_valid(s, n)) {
            mc_pdf_fail(p, MC_EINVAL, 400, "invalid_utf8", field,
                        "%s: not valid UTF-8", field);
        } else {
            mc_pdf_fail(p, MC_ENOMEM, 503, "no_memory", field,
                        "out of memory");
        }
        return "";
    }
    return r;
}

const char *
mc_pdf_s(struct mc_pdf *p, const char *s, const char *field)
{
    return nfc(p, &p->arena, s, field);
}

const char *
mc_pdf_s_tmp(struct mc_pdf *p, const char *s, const char *field)
{
    return nfc(p, &p->tmp, s, field);
}

const char *
mc_pdf_s_item(struct mc_pdf *p, const char *s, const char *list, size_t i,
              const char *name)
{
    char field[64];

    if (s == NULL) {
        return "";
    }
    snprintf(field, sizeof(field), "%s[%zu].%s", list, i, name);
    return mc_pdf_s_tmp(p, s, field);
}

void
mc_pdf_tmp_reset(struct mc_pdf *p)
{
    mc_arena_release(&p->tmp);
}

static const char *
vfmt(struct mc_pdf *p, struct mc_arena *a, const char *fmt, va_list ap)
{
    char *r = mc_arena_vprintf(a, fmt, ap);

    if (r == NULL) {
        mc_pdf_fail(p, MC_ENOMEM, 503, "no_memory", NULL,
                    "out of memory");
        return "";
    }
    return r;
}

const char *
mc_pdf_fmt(struct mc_pdf *p, const char *fmt, ...)
{
    const char *r;
    va_list ap;

    va_start(ap, fmt);
    r = vfmt(p, &p->arena, fmt, ap);
    va_end(ap);
    return r;
}

const char *
mc_pdf_fmt_tmp(struct mc_pdf *p, const char *fmt, ...)
{
    const char *r;
    va_list ap;

    va_start(ap, fmt);
    r = vfmt(p, &p->tmp, fmt, ap);
    va_end(ap);
    return r;
}

const char *
mc_pdf_upper(struct mc_pdf *p, const char *s)
{
    gchar *u = g_utf8_strup(s, -1);
    char *r = mc_arena_strdup(&p->arena, u);

    g_free(u);
    if (r == NULL) {
        mc_pdf_fail(p, MC_ENOMEM, 503, "no_memory", NULL,
                    "out of memory");
        return "";
    }
    return r;
}

void
mc_pdf_fmt_dateline(const char *place, int64_t ts, char *out, size_t n)
{
    int y, m, d;
    const char *pl = place != NULL && place[0] != '\0' ? place : ".........";

    if (ts == 0) {
        snprintf(out, n, "%s, ngày ..... tháng ..... năm .........", pl);
        return;
    }
    mc_civil_from_days(mc_local_day(ts), &y, &m, &d);
    /* Decree 30/2020: a zero before days 1-9 and months 1 and 2 only. */
    snprintf(out, n, "%s, ngày %02d tháng %s%d năm %d", pl, d,
             m <= 2 ? "0" : "", m, y);
}

void
mc_pdf_fmt_hm_date(int64_t ts, char *out, size_t n)
{
    char date[16];
    int s;

    if (ts == 0) {
        snprintf(out, n, "..... giờ ..... phút, ngày ...../...../.........");
        return;
    }
    s = mc_local_secs(ts);
    mc_fmt_date_vn(mc_local_day(ts), date, sizeof(date));
    snprintf(out, n, "%02d giờ %02d phút, ngày %s", s / 3600, s / 60 % 60,
             date);
}

void
mc_pdf_fmt_date(int64_t ts, char *out, size_t n)
{
    if (ts == 0) {
        out[0] = '\0';
        return;
    }
    mc_fmt_date_vn(mc_local_day(ts), out, (int)n);
}

void
mc_pdf_fmt_date_hm(int64_t ts, char *out, size_t n)
{
    char date[16];
    int s;

    if (ts == 0) {
        out[0] = '\0';
        return;
    }
    s = mc_local_secs(ts);
    mc_fmt_date_vn(mc_local_day(ts), date, sizeof(date));
    snprintf(out, n, "%s\n%02d:%02d", date, s / 3600, s / 60 % 60);
}

void
mc_pdf_new_page(struct mc_pdf *p)
{
    char num[16];

    cairo_show_page(p->cr);
    p->page++;
    p->y = p->y0;
    /* Decree 30/2020: page numbers from page 2, centred in the top margin */
    snprintf(num, sizeof(num), "%d", p->page);
    mc_pdf_text(p, p->x0, p->y0 / 2 - p->base / 2, p->x1 - p->x0, num,
                MC_FONT_SMALL, MC_CENTER);
}

int
mc_pdf_need(struct mc_pdf *p, double h)
{
    if (p->y + h <= p->y1 || p->y <= p->y0 + 0.5) {
        return 0;
    }
    mc_pdf_new_page(p);
    return 1;
}

void
mc_pdf_space(struct mc_pdf *p, double dy)
{
    p->y += dy;
    if (p->y > p->y1) {
        p->y = p->y1;
    }
}

/*
 * Attributes of every layout: no hyphen inserted where a long word is
 * broken (codes, URLs and names must print exactly as given).
 */
static PangoAttrList *
base_attrs(void)
{
    PangoAttrList *al = pango_attr_list_new();

    pango_attr_list_insert(al, pango_attr_insert_hyphens_new(FALSE));
    return al;
}

PangoLayout *
mc_pdf_layout(struct mc_pdf *p, const char *text, int font, double w,
              enum mc_pdf_align align)
{
    PangoLayout *l = pango_layout_new(p->pctx);
    PangoAttrList *al = base_attrs();

    pango_layout_set_font_description(l, p->font[font]);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_width(l, pango_units_from_double(w > 1 ? w : 1));
    pango_layout_set_alignment(l, align == MC_CENTER ? PANGO_ALIGN_CENTER
                                  : align == MC_RIGHT ? PANGO_ALIGN_RIGHT
                                                      : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, text != NULL ? text : "", -1);
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);
    return l;
}

static double
layout_height(PangoLayout *l)
{
    int w, h;

    pango_layout_get_size(l, &w, &h);
    return pango_units_to_double(h);
}

/*
 * text with at most MC_PDF_MAX_PARAS paragraphs: later paragraph breaks
 * (\n, \r, U+2029) become spaces, in a scratch copy. pango's height
 * limit applies per paragraph, so this is what bounds a block's height.
 */
static const char *
cap_paras(struct mc_pdf *p, const char *text)
{
    int n = 0;
    char *c;

    for (const char *s = text; *s != '\0'; s++) {
        n += *s == '\n' || *s == '\r' || (s[0] == '\xe2' && s[1] == '\x80' &&
                                        s[2] == '\xa9');
    }
    if (n < MC_PDF_MAX_PARAS) {
        return text;
    }
    c = mc_arena_strdup(&p->tmp, text);
    if (c == NULL) {
        mc_pdf_fail(p, MC_ENOMEM, 503, "no_memory", NULL,
                    "out of memory");
        return "";
    }
    n = 0;
    for (char *s = c; *s != '\0'; s++) {
        if (s[0] == '\xe2' && s[1] == '\x80' && s[2] == '\xa9') {
            if (++n >= MC_PDF_MAX_PARAS) {
                memset(s, ' ', 3);
            }
            s += 2;
        } else if (*s == '\n' || *s == '\r') {
            if (++n >= MC_PDF_MAX_PARAS) {
                *s = ' ';
            }
        }
    }
    return c;
}

PangoLayout *
mc_pdf_block(struct mc_pdf *p, const char *text, int font, double w,
             enum mc_pdf_align align, double max_h)
{
    PangoLayout *l = mc_pdf_layout(p, cap_paras(p, text), font, w, align);

    if (max_h > 0) {
        pango_layout_set_height(l, pango_units_from_double(max_h));
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    }
    return l;
}

/* Header, title and signature blocks: at most a quarter of a page. */
static double
block_max(struct mc_pdf *p)
{
    return (p->y1 - p->y0) / 4;
}

double
mc_pdf_measure(struct mc_pdf *p, const char *text, int font, double w)
{
    PangoLayout *l = mc_pdf_block(p, text, font, w, MC_LEFT, block_max(p));
    double h = layout_height(l);

    g_object_unref(l);
    return h;
}

double
mc_pdf_text(struct mc_pdf *p, double x, double y, double w,
            const char *text, int font, enum mc_pdf_align align)
{
    PangoLayout *l = mc_pdf_block(p, text, font, w, align, block_max(p));
    double h = layout_height(l);

    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    return h;
}

double
mc_pdf_text_width(struct mc_pdf *p, const char *text, int font)
{
    PangoLayout *l = pango_layout_new(p->pctx);
    int w, h;

    pango_layout_set_font_description(l, p->font[font]);
    pango_layout_set_text(l, text, -1);
    pango_layout_get_size(l, &w, &h);
    g_object_unref(l);
    return pango_units_to_double(w);
}

/*
 * Flow a layout's lines at the cursor, breaking pages between lines. al
 * (from base_attrs, or NULL for the default) styles the text. Prose is
 * justified; "label: value" lines are not (a long value would stretch
 * the label's spaces).
 */
static void
flow(struct mc_pdf *p, double indent, const char *text, int font,
     enum mc_pdf_align align, int justify, PangoAttrList *al)
{
    double x = p->x0 + indent, off = p->y;
    PangoLayout *l = mc_pdf_layout(p, text, font, p->x1 - x, align);
    PangoLayoutIter *it;

    pango_layout_set_justify(l, justify && align == MC_LEFT);
    if (al != NULL) {
        pango_layout_set_attributes(l, al);
    }
    it = pango_layout_get_iter(l);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle r;
        double top, bot, base;

        pango_layout_iter_get_line_extents(it, NULL, &r);
        top = pango_units_to_double(r.y);
        bot = top + pango_units_to_double(r.height);
        if (off + bot > p->y1 && off + top > p->y0 + 0.5) {
            mc_pdf_new_page(p);
            off = p->y - top;
        }
        base = pango_units_to_double(pango_layout_iter_get_baseline(it));
        cairo_move_to(p->cr, x + pango_units_to_double(r.x), off + base);
        pango_cairo_show_layout_line(p->cr, line);
        p->y = off + bot;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
}

static void
bold_range(PangoAttrList *al, size_t from, size_t to)
{
    PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);

    a->start_index = (guint)from;
    a->end_index = (guint)to;
    pango_attr_list_insert(al, a);
}

void
mc_pdf_para(struct mc_pdf *p, double indent, const char *text, int font,
            enum mc_pdf_align align, long bold_from)
{
    size_t n = strlen(text);
    PangoAttrList *al = NULL;

    if (bold_from >= 0 && (size_t)bold_from < n) {
        al = base_attrs();
        bold_range(al, (size_t)bold_from, n);
    }
    flow(p, indent, text, font, align, 1, al);
    if (al != NULL) {
        pango_attr_list_unref(al);
    }
}

void
mc_pdf_field(struct mc_pdf *p, const char *label, const char *value)
{
    PangoAttrList *al = base_attrs();
    size_t n = strlen(label) + 2;

    if (value == NULL || value[0] == '\0') {
        flow(p, 0, mc_pdf_fmt(p, "%s: %s", label, DOTS DOTS), MC_FONT_BODY,
             MC_LEFT, 0, al);
    } else {
        bold_range(al, n, n + strlen(value));
        flow(p, 0, mc_pdf_fmt(p, "%s: %s", label, value), MC_FONT_BODY,
             MC_LEFT, 0, al);
    }
    pango_attr_list_unref(al);
}

void
mc_pdf_field2(struct mc_pdf *p, const char *l1, const char *v1,
              const char *l2, const char *v2)
{
    PangoAttrList *al = base_attrs();
    size_t a0, a1, b0;
    const char *text;

    v1 = v1 != NULL && v1[0] != '\0' ? v1 : NULL;
    v2 = v2 != NULL && v2[0] != '\0' ? v2 : NULL;
    text = mc_pdf_fmt(p, "%s: %s    %s: %s", l1, v1 ? v1 : DOTS, l2,
                      v2 ? v2 : DOTS);
    a0 = strlen(l1) + 2;
    a1 = a0 + strlen(v1 ? v1 : DOTS);
    b0 = a1 + 4 + strlen(l2) + 2;
    if (v1 != NULL) {
        bold_range(al, a0, a1);
    }
    if (v2 != NULL) {
        bold_range(al, b0, strlen(text));
    }
    flow(p, 0, text, MC_FONT_BODY, MC_LEFT, 0, al);
    pango_attr_list_unref(al);
}
