#include "util/alloc.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
mc_alloc_tune_server(void)
{
    /* Setting either fixes both: no more dynamic threshold. */
    mallopt(M_MMAP_THRESHOLD, (int)MC_ALLOC_MAP_MIN);
    mallopt(M_TRIM_THRESHOLD, (int)MC_ALLOC_TRIM);
}

int
mc_alloc_release_idle(void)
{
    static _Atomic int64_t last_ms;
    struct timespec ts;
    int64_t now, last;

    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    last = atomic_load(&last_ms);
    if (now - last < MC_ALLOC_IDLE_TRIM_MS ||
        !atomic_compare_exchange_strong(&last_ms, &last, now)) {
        return 0;
    }
    malloc_trim(0);
    return 1;
}

static long fail_countdown;

static int
should_fail(void)
{
    if (fail_countdown > 0 && --fail_countdown == 0) {
        return 1;
    }
    return 0;
}

void
mc_alloc_fail_after(long n)
{
    fail_countdown = n;
}

void *
mc_malloc(size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return malloc(n ? n : 1);
}

void *
mc_calloc(size_t n, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return calloc(n ? n : 1, size ? size : 1);
}

void *
mc_realloc(void *p, size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return realloc(p, n ? n : 1);
}

void
mc_free(void *p)
{
    free(p);
}

char *
mc_strndup(const char *s, size_t n)
{
    char *d;

    if (s == NULL) {
        return NULL;
    }
    d = mc_malloc(n + 1);
    if (d == NULL) {
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *
mc_strdup(const char *s)
{
    return s ? mc_strndup(s, strlen(s)) : NULL;
}
