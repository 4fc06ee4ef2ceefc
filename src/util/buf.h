/*
 * buf.h - bounded growable byte buffer (curl dynbuf idea).
 *
 * Every buffer has a hard maximum fixed at init; an append that would pass
 * it fails with MC_ETOOBIG and leaves the buffer as it was. data is always
 * NUL-terminated when non-NULL (the NUL is not counted in len).
 */
#ifndef MC_UTIL_BUF_H
#define MC_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/err.h"

struct mc_buf {
    char *data;  /* owned; NULL until the first append */
    size_t len;  /* bytes used, excluding the NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* hard maximum of len */
};

/* Initialise empty, allocating nothing; max is the hard limit on len. */
void mc_buf_init(struct mc_buf *b, size_t max);
/* Free the contents; the buffer is as after init (same max). */
void mc_buf_release(struct mc_buf *b);
/* Keep the allocation, set len to 0. */
void mc_buf_reset(struct mc_buf *b);

/* Room for n more bytes (and the NUL) without a further allocation:
 * MC_ETOOBIG past max, MC_ENOMEM on allocation failure. */
int mc_buf_reserve(struct mc_buf *b, size_t n) MC_WUR;
/* Append n bytes. MC_ETOOBIG past max, MC_ENOMEM on allocation failure. */
int mc_buf_add(struct mc_buf *b, const void *p, size_t n) MC_WUR;
/* Append a NUL-terminated string. */
int mc_buf_adds(struct mc_buf *b, const char *s) MC_WUR;
/* Append one byte. */
int mc_buf_addc(struct mc_buf *b, char c) MC_WUR;
/* Append printf output. */
int mc_buf_printf(struct mc_buf *b, const char *fmt, ...) MC_PRINTF(2, 3)
    MC_WUR;
int mc_buf_vprintf(struct mc_buf *b, const char *fmt, va_list ap) MC_WUR;

/*
 * Take ownership of the data (caller frees with mc_free); the buffer is
 * reset to empty. Returns "" copy semantics never: may return NULL if the
 * buffer was never appended to. *len receives the length if len != NULL.
 */
char *mc_buf_take(struct mc_buf *b, size_t *len);

#endif
