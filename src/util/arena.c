#include "util/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

#define CHUNK_MIN 4096

struct mc_arena_chunk {
    struct mc_arena_chunk *next;
    size_t cap;
    size_t off;
    _Alignas(16) unsigned char data[];
};

void
mc_arena_init(struct mc_arena *a, size_t limit)
{
    a->head = NULL;
    a->used = 0;
    a->limit = limit;
}

void
mc_arena_release(struct mc_arena *a)
{
    struct mc_arena_chunk *c, *next;

    for (c = a->head; c != NULL; c = next) {
        next = c->next;
        mc_free(c);
    }
    a->head = NULL;
    a->used = 0;
}

void *
mc_arena_alloc(struct mc_arena *a, size_t n)
{
    struct mc_arena_chunk *c;
    size_t need, cap;
    void *p;

    if (n > SIZE_MAX / 2) {
        return NULL;
    }
    need = (n + 15) & ~(size_t)15;
    c = a->head;
    if (c == NULL || c->cap - c->off < need) {
        cap = need > CHUNK_MIN ? need : CHUNK_MIN;
        if (c != NULL && cap < c->cap * 2 && c->cap * 2 <= 1 << 20) {
            cap = c->cap * 2;
        }
        if (a->limit && a->used + cap + sizeof(*c) > a->limit) {
            cap = need;
            if (a->used + cap + sizeof(*c) > a->limit) {
                return NULL;
            }
        }
        c = mc_malloc(sizeof(*c) + cap);
        if (c == NULL) {
            return NULL;
        }
        c->cap = cap;
        c->off = 0;
        c->next = a->head;
        a->head = c;
        a->used += cap + sizeof(*c);
    }
    p = c->data + c->off;
    c->off += need;
    return p;
}

void *
mc_arena_zalloc(struct mc_arena *a, size_t n)
{
    void *p = mc_arena_alloc(a, n);

    if (p != NULL) {
        memset(p, 0, n);
    }
    return p;
}

void *
mc_arena_memdup(struct mc_arena *a, const void *p, size_t n)
{
    void *d = mc_arena_alloc(a, n);

    if (d != NULL) {
        memcpy(d, p, n);
    }
    return d;
}

char *
mc_arena_strndup(struct mc_arena *a, const char *s, size_t n)
{
    char *d;

    if (s == NULL) {
        return NULL;
    }
    d = mc_arena_alloc(a, n + 1);
    if (d == NULL) {
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *
mc_arena_strdup(struct mc_arena *a, const char *s)
{
    return s ? mc_arena_strndup(a, s, strlen(s)) : NULL;
}

char *
mc_arena_vprintf(struct mc_arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    int n;
    char *d;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        return NULL;
    }
    d = mc_arena_alloc(a, (size_t)n + 1);
    if (d == NULL) {
        return NULL;
    }
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    return d;
}

char *
mc_arena_printf(struct mc_arena *a, const char *fmt, ...)
{
    va_list ap;
    char *d;

    va_start(ap, fmt);
    d = mc_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return d;
}
