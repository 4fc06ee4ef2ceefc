/*
 * err.h - status codes and the error carrier used across motcua.
 *
 * Every fallible function returns 0 (MC_OK) or a negative MC_E* code, and
 * fills a caller-provided struct mc_err with an HTTP-ish status, a stable
 * machine code, a human message and (optionally) the offending field, so the
 * HTTP layer can answer {"error":{"code","message","field"}} without knowing
 * where the failure happened.
 */
#ifndef MC_UTIL_ERR_H
#define MC_UTIL_ERR_H

#include <stdarg.h>

#define MC_WUR __attribute__((warn_unused_result))
#define MC_PRINTF(a, b) __attribute__((format(printf, a, b)))

enum {
    MC_OK = 0,
    MC_EINVAL = -1,    /* bad input: 400/422 */
    MC_ENOTFOUND = -2, /* 404 */
    MC_ECONFLICT = -3, /* 409: wrong state, duplicate */
    MC_EFORBIDDEN = -4,/* 403 */
    MC_EAUTH = -5,     /* 401 */
    MC_ENOMEM = -6,    /* 500/503 */
    MC_EDB = -7,       /* 500/503 */
    MC_EIO = -8,       /* 500 */
    MC_ETOOBIG = -9,   /* 413 */
    MC_EBUSY = -10,    /* 503, 429 */
    MC_EINTERNAL = -11 /* 500 */
};

struct mc_err {
    int status;         /* HTTP status to answer with, 0 if unset */
    char code[40];      /* stable machine code, e.g. "invalid_transition" */
    char message[400];  /* human-readable, UTF-8 */
    char field[64];     /* offending field or "" */
};

/* Reset to "no error". err may be NULL. */
void mc_err_clear(struct mc_err *err);

/*
 * Fill err (may be NULL) and return rc unchanged, so callers can write
 * `return mc_err_set(err, MC_EINVAL, 400, "bad_date", "due", "...")`.
 * field may be NULL. message is printf-formatted and truncated to fit.
 */
int mc_err_set(struct mc_err *err, int rc, int status, const char *code,
               const char *field, const char *fmt, ...) MC_PRINTF(6, 7);

/* Same as mc_err_set with a va_list. */
int mc_err_vset(struct mc_err *err, int rc, int status, const char *code,
                const char *field, const char *fmt, va_list ap);

/* Default HTTP status for a return code (used when err->status is 0). */
int mc_err_http_status(int rc);

#endif
