#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

void
mc_buf_init(struct mc_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void
mc_buf_release(struct mc_buf *b)
{
    mc_free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void
mc_buf_reset(struct mc_buf *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = '\0';
    }
}

static int
grow(struct mc_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > b->max || b->len > b->max - extra) {
        return MC_ETOOBIG;
    }
    need = b->len + extra + 1;
    if (need <= b->cap) {
        return MC_OK;
    }
    cap = b->cap ? b->cap : 64;
    while (cap < need) {
        cap *= 2;
    }
    if (cap > b->max + 1) {
        cap = b->max + 1;
    }
    p = mc_realloc(b->data, cap);
    if (p == NULL) {
        return MC_ENOMEM;
    }
    b->data = p;
    b->cap = cap;
    return MC_OK;
}

int
mc_buf_reserve(struct mc_buf *b, size_t n)
{
    return grow(b, n);
}

int
mc_buf_add(struct mc_buf *b, const void *p, size_t n)
{
    int rc = grow(b, n);

    if (rc != MC_OK) {
        return rc;
    }
    if (n) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return MC_OK;
}

int
mc_buf_adds(struct mc_buf *b, const char *s)
{
    return mc_buf_add(b, s, strlen(s));
}

int
mc_buf_addc(struct mc_buf *b, char c)
{
    return mc_buf_add(b, &c, 1);
}

int
mc_buf_vprintf(struct mc_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n, rc;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        return MC_EINVAL;
    }
    rc = grow(b, (size_t)n);
    if (rc != MC_OK) {
        return rc;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return MC_OK;
}

int
mc_buf_printf(struct mc_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = mc_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *
mc_buf_take(struct mc_buf *b, size_t *len)
{
    char *d = b->data;

    if (len != NULL) {
        *len = b->len;
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return d;
}
