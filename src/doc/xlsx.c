/*
 * xlsx.c - table writer over libxlsxwriter (see xlsx.h).
 *
 * libxlsxwriter 1.1.4 can only write to a named file, so the workbook goes
 * to a mkstemp file and is read back into the caller's buffer. It formats
 * the document's creation time with gmtime() (not thread-safe) while
 * closing the workbook, so closes are serialised by a process-wide mutex;
 * everything else runs in parallel.
 */
#include "doc/xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "util/alloc.h"
#include "util/arena.h"
#include "util/mctime.h"
#include "util/text.h"

/* Excel serial of 1970-01-01 (1900 date system, after its 1900-02-29). */
#define EXCEL_EPOCH 25569
#define MAX_EXACT_INT (INT64_C(1) << 53)

static pthread_mutex_t close_lock = PTHREAD_MUTEX_INITIALIZER;

struct mc_xlsx {
    lxw_workbook *wb;       /* owned until closed */
    lxw_worksheet *ws;      /* current sheet, owned by wb */
    lxw_format *head_fmt;   /* owned by wb */
    lxw_format *date_fmt;
    size_t ncols;           /* of the current sheet */
    lxw_row_t row;          /* next row of the current sheet */
    int failed;
    struct mc_arena arena;  /* NFC copies, released after each row */
    char path[PATH_MAX];    /* temp file */
};

static int
lxw_rc(lxw_error e)
{
    switch (e) {
    case LXW_NO_ERROR:
        return MC_OK;
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        return MC_ENOMEM;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        return MC_EIO;
    default:
        return MC_EINVAL;
    }
}

static int
xfail(struct mc_xlsx *x, lxw_error e, const char *field, struct mc_err *err)
{
    int rc = lxw_rc(e);

    if (x != NULL) {
        x->failed = 1;
    }
    return mc_err_set(err, rc, rc == MC_EINVAL ? 400 : 500, "xlsx", field,
                      "xlsx: %s", lxw_strerror(e));
}

int
mc_xlsx_new(struct mc_xlsx **out, int constant_memory, struct mc_err *err)
{
    lxw_workbook_options opt;
    const char *dir = getenv("TMPDIR");
    struct mc_xlsx *x;
    int fd, n;

    *out = NULL;
    if (dir == NULL || dir[0] == '\0') {
        dir = "/tmp";
    }
    x = mc_calloc(1, sizeof(*x));
    if (x == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "no_memory", NULL,
                          "out of memory");
    }
    mc_arena_init(&x->arena, 1u << 20);
    n = snprintf(x->path, sizeof(x->path), "%s/motcua-xlsx-XXXXXX", dir);
    if (n < 0 || (size_t)n >= sizeof(x->path)) {
        mc_free(x);
        return mc_err_set(err, MC_EIO, 500, "xlsx_tmp", NULL,
                          "TMPDIR too long");
    }
    fd = mkstemp(x->path);
    if (fd < 0) {
        mc_err_set(err, MC_EIO, 500, "xlsx_tmp", NULL, "mkstemp %s: %s",
                   x->path, strerror(errno));
        mc_free(x);
        return MC_EIO;
    }
    close(fd);
    memset(&opt, 0, sizeof(opt));
    opt.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    x->wb = workbook_new_opt(x->path, &opt);
    if (x->wb == NULL) {
        unlink(x->path);
        mc_free(x);
        return mc_err_set(err, MC_ENOMEM, 503, "no_memory", NULL,
                          "xlsx: cannot create the workbook");
    }
    x->head_fmt = workbook_add_format(x->wb);
    x->date_fmt = workbook_add_format(x->wb);
    if (x->head_fmt == NULL || x->date_fmt == NULL) {
        mc_xlsx_free(x);
        return mc_err_set(err, MC_ENOMEM, 503, "no_memory", NULL,
                          "out of memory");
    }
    format_set_bold(x->head_fmt);
    format_set_bottom(x->head_fmt, LXW_BORDER_THIN);
    format_set_text_wrap(x->head_fmt);
    format_set_align(x->head_fmt, LXW_ALIGN_VERTICAL_CENTER);
    format_set_num_format(x->date_fmt, "dd/mm/yyyy");
    *out = x;
    return MC_OK;
}

/* NFC copy of s in x's arena into *out; err names field on failure. */
static int
text(struct mc_xlsx *x, const char *s, const char *field, const char **out,
     struct mc_err *err)
{
    const char *r;

    *out = NULL;
    if (!mc_utf8_valid(s, strlen(s))) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_utf8", field,
                          "%s: not valid UTF-8", field);
    }
    r = mc_utf8_nfc(&x->arena, s);
    if (r == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "no_memory", field,
                          "out of memory");
    }
    if (mc_utf8_len(r) > MC_XLSX_MAX_TEXT) {
        return mc_err_set(err, MC_EINVAL, 400, "too_long", field,
                          "%s: more than %d characters", field,
                          MC_XLSX_MAX_TEXT);
    }
    *out = r;
    return MC_OK;
}

/* Autofilter over the header and the rows of the current sheet. */
static int
close_sheet(struct mc_xlsx *x, struct mc_err *err)
{
    lxw_error e;

    if (x->ws == NULL) {
        return MC_OK;
    }
    e = worksheet_autofilter(x->ws, 0, 0, x->row > 0 ? x->row - 1 : 0,
                             (lxw_col_t)(x->ncols - 1));
    if (e != LXW_NO_ERROR) {
        return xfail(x, e, NULL, err);
    }
    return MC_OK;
}

int
mc_xlsx_add_sheet(struct mc_xlsx *x, const char *name,
                  const struct mc_xlsx_col *cols, size_t ncols,
                  struct mc_err *err)
{
    const char *nm;
    char field[32];
    lxw_error e;
    int rc;

    if (x->failed) {
        return mc_err_set(err, MC_EINVAL, 400, "xlsx_failed", NULL,
                          "xlsx: writer failed earlier");
    }
    if (name == NULL || ncols == 0 || ncols > MC_XLSX_MAX_COLS ||
        cols == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument",
                          name == NULL ? "name" : "cols",
                          "xlsx: a sheet needs a name and 1..%d columns",
                          MC_XLSX_MAX_COLS);
    }
    rc = close_sheet(x, err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = text(x, name, "name", &nm, err);
    if (rc != MC_OK) {
        mc_arena_release(&x->arena);
        return rc;
    }
    e = workbook_validate_sheet_name(x->wb, nm);
    if (e != LXW_NO_ERROR) {
        mc_arena_release(&x->arena);
        return mc_err_set(err, MC_EINVAL, 400, "invalid_sheet_name", "name",
                          "xlsx: sheet name: %s", lxw_strerror(e));
    }
    x->ws = workbook_add_worksheet(x->wb, nm);
    if (x->ws == NULL) {
        mc_arena_release(&x->arena);
        return xfail(x, LXW_ERROR_MEMORY_MALLOC_FAILED, NULL, err);
    }
    x->ncols = ncols;
    x->row = 0;
    for (size_t i = 0; i < ncols; i++) {
        const char *t;
        double w = cols[i].width;

        snprintf(field, sizeof(field), "cols[%zu]", i);
        rc = text(x, cols[i].title != NULL ? cols[i].title : "", field, &t,
                  err);
        if (rc != MC_OK) {
            x->failed = 1;
            mc_arena_release(&x->arena);
            return rc;
        }
        if (w <= 0) {
            w = (double)mc_utf8_len(t) + 2;
            w = w < 10 ? 10 : w > 60 ? 60 : w;
        }
        worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, w, NULL);
        e = worksheet_write_string(x->ws, 0, (lxw_col_t)i, t, x->head_fmt);
        if (e != LXW_NO_ERROR) {
            mc_arena_release(&x->arena);
            return xfail(x, e, field, err);
        }
    }
    mc_arena_release(&x->arena);
    worksheet_freeze_panes(x->ws, 1, 0);
    x->row = 1;
    return MC_OK;
}

static int
put_cell(struct mc_xlsx *x, lxw_col_t col, const struct mc_xlsx_cell *c,
         const char *field, struct mc_err *err)
{
    static const int32_t first = -25508;  /* 1900-03-01 */
    static const int32_t last = 2932896;  /* 9999-12-31 */
    lxw_error e = LXW_NO_ERROR;
    const char *t;
    int rc;

    switch (c->type) {
    case MC_XLSX_BLANK:
        return MC_OK;
    case MC_XLSX_TEXT:
        if (c->v.text == NULL) {
            return MC_OK;
        }
        rc = text(x, c->v.text, field, &t, err);
        if (rc != MC_OK) {
            x->failed = 1;
            return rc;
        }
        e = worksheet_write_string(x->ws, x->row, col, t, NULL);
        break;
    case MC_XLSX_INT:
        if (c->v.i > MAX_EXACT_INT || c->v.i < -MAX_EXACT_INT) {
            x->failed = 1;
            return mc_err_set(err, MC_EINVAL, 400, "out_of_range", field,
                              "%s: integer beyond 2^53", field);
        }
        e = worksheet_write_number(x->ws, x->row, col, (double)c->v.i, NULL);
        break;
    case MC_XLSX_DOUBLE:
        if (!isfinite(c->v.d)) {
            x->failed = 1;
            return mc_err_set(err, MC_EINVAL, 400, "out_of_range", field,
                              "%s: not a finite number", field);
        }
        e = worksheet_write_number(x->ws, x->row, col, c->v.d, NULL);
        break;
    case MC_XLSX_DATE:
        if (c->v.day < first || c->v.day > last) {
            x->failed = 1;
            return mc_err_set(err, MC_EINVAL, 400, "out_of_range", field,
                              "%s: date outside 1900-03-01..9999-12-31",
                              field);
        }
        e = worksheet_write_number(x->ws, x->row, col,
                                   (double)c->v.day + EXCEL_EPOCH,
                                   x->date_fmt);
        break;
    default:
        x->failed = 1;
        return mc_err_set(err, MC_EINVAL, 400, "invalid_value", field,
                          "%s: unknown cell type", field);
    }
    if (e != LXW_NO_ERROR) {
        return xfail(x, e, field, err);
    }
    return MC_OK;
}

int
mc_xlsx_add_row(struct mc_xlsx *x, const struct mc_xlsx_cell *cells,
                size_t n, struct mc_err *err)
{
    char field[32];
    int rc = MC_OK;

    if (x->failed || x->ws == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "xlsx_state", NULL,
                          x->failed ? "xlsx: writer failed earlier"
                                    : "xlsx: no sheet");
    }
    if (n > x->ncols || (n > 0 && cells == NULL)) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_argument", "cells",
                          "xlsx: %zu cells for %zu columns", n, x->ncols);
    }
    if (x->row >= MC_XLSX_MAX_ROWS) {
        return mc_err_set(err, MC_ETOOBIG, 413, "too_many_rows", NULL,
                          "xlsx: more than %d rows", MC_XLSX_MAX_ROWS);
    }
    for (size_t i = 0; i < n && rc == MC_OK; i++) {
        snprintf(field, sizeof(field), "cells[%zu]", i);
        rc = put_cell(x, (lxw_col_t)i, &cells[i], field, err);
    }
    mc_arena_release(&x->arena);
    if (rc == MC_OK) {
        x->row++;
    }
    return rc;
}

size_t
mc_xlsx_rows(const struct mc_xlsx *x)
{
    return x->row > 0 ? x->row - 1 : 0;
}

/* Append the file at path to out; out unchanged on error. */
static int
slurp(const char *path, struct mc_buf *out, struct mc_err *err)
{
    size_t len0 = out->len;
    char chunk[65536];
    struct stat st;
    int fd, rc = MC_OK;
    ssize_t r;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        rc = mc_err_set(err, MC_EIO, 500, "xlsx_read", NULL, "xlsx: %s",
                        strerror(errno));
        goto out;
    }
    if ((uintmax_t)st.st_size > (uintmax_t)(out->max - out->len)) {
        rc = mc_err_set(err, MC_ETOOBIG, 413, "xlsx_too_big", NULL,
                        "xlsx: workbook larger than %zu bytes", out->max);
        goto out;
    }
    while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            rc = mc_err_set(err, MC_EIO, 500, "xlsx_read", NULL, "xlsx: %s",
                            strerror(errno));
            goto out;
        }
        rc = mc_buf_add(out, chunk, (size_t)r);
        if (rc != MC_OK) {
            mc_err_set(err, rc, rc == MC_ETOOBIG ? 413 : 503, "xlsx_buffer",
                       NULL, "xlsx: cannot hold the workbook");
            goto out;
        }
    }

out:
    if (fd >= 0) {
        close(fd);
    }
    if (rc != MC_OK && out->data != NULL) {
        out->len = len0;
        out->data[len0] = '\0';
    }
    return rc;
}

int
mc_xlsx_finish(struct mc_xlsx *x, struct mc_buf *out, struct mc_err *err)
{
    lxw_error e;
    int rc;

    if (x->failed || x->ws == NULL) {
        rc = mc_err_set(err, MC_EINVAL, 400, "xlsx_state", NULL,
                        x->failed ? "xlsx: writer failed earlier"
                                  : "xlsx: no sheet");
        mc_xlsx_free(x);
        return rc;
    }
    rc = close_sheet(x, err);
    if (rc != MC_OK) {
        mc_xlsx_free(x);
        return rc;
    }
    pthread_mutex_lock(&close_lock);
    e = workbook_close(x->wb); /* frees the workbook, even on error */
    pthread_mutex_unlock(&close_lock);
    x->wb = NULL;
    if (e != LXW_NO_ERROR) {
        rc = xfail(x, e, NULL, err);
    } else {
        rc = slurp(x->path, out, err);
    }
    mc_xlsx_free(x);
    return rc;
}

void
mc_xlsx_free(struct mc_xlsx *x)
{
    if (x == NULL) {
        return;
    }
    if (x->wb != NULL) {
        lxw_workbook_free(x->wb);
    }
    unlink(x->path);
    mc_arena_release(&x->arena);
    mc_free(x);
}
