#include "util/err.h"

#include <stdio.h>
#include <string.h>

void
mc_err_clear(struct mc_err *err)
{
    if (err == NULL) {
        return;
    }
    err->status = 0;
    err->code[0] = '\0';
    err->message[0] = '\0';
    err->field[0] = '\0';
}

int
mc_err_vset(struct mc_err *err, int rc, int status, const char *code,
            const char *field, const char *fmt, va_list ap)
{
    if (err == NULL) {
        return rc;
    }
    err->status = status ? status : mc_err_http_status(rc);
    snprintf(err->code, sizeof(err->code), "%s", code ? code : "error");
    snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    return rc;
}

int
mc_err_set(struct mc_err *err, int rc, int status, const char *code,
           const char *field, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    mc_err_vset(err, rc, status, code, field, fmt, ap);
    va_end(ap);
    return rc;
}

int
mc_err_http_status(int rc)
{
    switch (rc) {
    case MC_OK:
        return 200;
    case MC_EINVAL:
        return 400;
    case MC_ENOTFOUND:
        return 404;
    case MC_ECONFLICT:
        return 409;
    case MC_EFORBIDDEN:
        return 403;
    case MC_EAUTH:
        return 401;
    case MC_ETOOBIG:
        return 413;
    case MC_EBUSY:
        return 503;
    default:
        return 500;
    }
}
