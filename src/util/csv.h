/*
 * csv.h - RFC 4180 CSV reader over an in-memory buffer.
 *
 * Leading lines that start with '#' (comment lines of the shared data
 * files) are skipped. Quoted fields may contain commas, quotes ("") and
 * newlines. A UTF-8 BOM is skipped. Fields are returned as NUL-terminated
 * strings valid until the next mc_csv_next call.
 */
#ifndef MC_UTIL_CSV_H
#define MC_UTIL_CSV_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

#define MC_CSV_MAX_FIELDS 64

struct mc_csv {
    const char *p;    /* borrowed input cursor */
    const char *end;
    long line;        /* 1-based line of the current record */
    int nf;           /* fields in the current record */
    char *f[MC_CSV_MAX_FIELDS];
    struct mc_buf store; /* owned field storage */
};

/* Start reading data[0..len) (borrowed; must outlive the reader). */
void mc_csv_init(struct mc_csv *c, const char *data, size_t len);
void mc_csv_release(struct mc_csv *c);
/*
 * Read the next record into c->f[0..nf). Returns 1 on a record, 0 at end,
 * or MC_EINVAL (err says the line) on a malformed record or too many
 * fields.
 */
int mc_csv_next(struct mc_csv *c, struct mc_err *err) MC_WUR;
/* Index of the header column named name in the current record, or -1. */
int mc_csv_col(const struct mc_csv *c, const char *name);

/* Append s as one CSV field (quoted when needed) to b. */
int mc_csv_put(struct mc_buf *b, const char *s) MC_WUR;

#endif
