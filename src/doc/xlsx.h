/*
 * xlsx.h - a small table writer for Excel exports (over libxlsxwriter).
 *
 *     struct mc_xlsx *x;
 *     mc_xlsx_new(&x, 1, &err);                    // constant_memory
 *     mc_xlsx_add_sheet(x, "Báo cáo KPI", cols, 3, &err);
 *     mc_xlsx_add_row(x, cells, 3, &err);          // ... per row
 *     mc_xlsx_finish(x, &out, &err);               // bytes into out
 *
 * Each sheet starts with a header row (bold, frozen, with an autofilter
 * over the header and every row written). Cells are typed: text (UTF-8,
 * NFC-normalised), integer, double, or a date shown as dd/mm/yyyy. The
 * workbook is written to a private temp file (TMPDIR or /tmp), read back
 * into the caller's bounded buffer and removed. In constant_memory mode
 * each row goes to disk as soon as it is complete, so big tables cost no
 * memory; strings are then stored inline in the sheet XML rather than in
 * the shared-strings table.
 *
 * Thread safety: distinct writers may be used from distinct threads at
 * the same time; one writer must not be shared between threads.
 */
#ifndef MC_DOC_XLSX_H
#define MC_DOC_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Recommended output limit for one workbook. */
#define MC_XLSX_MAX (64u << 20)
/* Excel limits. */
#define MC_XLSX_MAX_ROWS 1048576
#define MC_XLSX_MAX_COLS 16384
#define MC_XLSX_MAX_TEXT 32767 /* characters in one cell */

struct mc_xlsx;

enum mc_xlsx_type {
    MC_XLSX_BLANK = 0,
    MC_XLSX_TEXT,   /* v.text: UTF-8, borrowed; NULL = blank */
    MC_XLSX_INT,    /* v.i: |i| <= 2^53 (Excel stores doubles) */
    MC_XLSX_DOUBLE, /* v.d: finite */
    MC_XLSX_DATE    /* v.day: civil day number (util/mctime.h), shown
                       dd/mm/yyyy; from 01/03/1900 to 31/12/9999 */
};

struct mc_xlsx_cell {
    enum mc_xlsx_type type;
    union {
        const char *text;
        int64_t i;
        double d;
        int32_t day;
    } v;
};

/* One column: header text (UTF-8, borrowed) and width in characters. */
struct mc_xlsx_col {
    const char *title;
    double width; /* 0 = from the title, at least 10 */
};

/*
 * New workbook writer in *out (caller ends it with mc_xlsx_finish or
 * mc_xlsx_free). constant_memory: see above; use it for big tables.
 * Errors: MC_EIO (temp file), MC_ENOMEM.
 */
int mc_xlsx_new(struct mc_xlsx **out, int constant_memory,
                struct mc_err *err) MC_WUR;

/*
 * Start a new sheet named name (UTF-8, at most 31 characters, none of
 * []:*?/\ , unique in the workbook) with ncols (1..MC_XLSX_MAX_COLS)
 * columns and write its header row. cols and its strings are borrowed for
 * the call only. Further rows go to this sheet. Errors: MC_EINVAL.
 */
int mc_xlsx_add_sheet(struct mc_xlsx *x, const char *name,
                      const struct mc_xlsx_col *cols, size_t ncols,
                      struct mc_err *err) MC_WUR;

/*
 * Append a row of n cells (n <= the sheet's column count; missing cells
 * are blank) to the current sheet. cells is borrowed for the call only.
 * Errors: MC_EINVAL (no sheet, bad cell: err->field is "cells[i]"),
 * MC_ETOOBIG (past Excel's row limit), MC_ENOMEM, MC_EIO. After an error
 * the writer can only be freed.
 */
int mc_xlsx_add_row(struct mc_xlsx *x, const struct mc_xlsx_cell *cells,
                    size_t n, struct mc_err *err) MC_WUR;

/* Rows written to the current sheet so far, header excluded. */
size_t mc_xlsx_rows(const struct mc_xlsx *x);

/*
 * Close the workbook and append its bytes to out (borrowed; MC_ETOOBIG
 * past out->max, out unchanged on any error). Always frees x, which must
 * not be used afterwards. Errors: MC_EINVAL (no sheet, or an earlier
 * error), MC_ETOOBIG, MC_EIO, MC_ENOMEM.
 */
int mc_xlsx_finish(struct mc_xlsx *x, struct mc_buf *out,
                   struct mc_err *err) MC_WUR;

/* Abandon a writer: free it and remove its temp file. NULL is fine. */
void mc_xlsx_free(struct mc_xlsx *x);

/* Cell constructors. */
static inline struct mc_xlsx_cell
mc_xlsx_text(const char *s)
{
    struct mc_xlsx_cell c = {.type = MC_XLSX_TEXT, .v.text = s};

    return c;
}

static inline struct mc_xlsx_cell
mc_xlsx_int(int64_t i)
{
    struct mc_xlsx_cell c = {.type = MC_XLSX_INT, .v.i = i};

    return c;
}

static inline struct mc_xlsx_cell
mc_xlsx_double(double d)
{
    struct mc_xlsx_cell c = {.type = MC_XLSX_DOUBLE, .v.d = d};

    return c;
}

static inline struct mc_xlsx_cell
mc_xlsx_date(int32_t day)
{
    struct mc_xlsx_cell c = {.type = MC_XLSX_DATE, .v.day = day};

    return c;
}

#endif
