/*
 * arena.h - region allocator (nginx pool / h2o mem pool idea).
 *
 * Everything a request needs is allocated from its arena and released at
 * once with mc_arena_release when the response is done. Individual blocks
 * are never freed. An arena has a hard byte limit: allocation past it fails
 * (returns NULL) so a hostile request cannot exhaust memory.
 */
#ifndef MC_UTIL_ARENA_H
#define MC_UTIL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#include "util/err.h"

struct mc_arena_chunk;

struct mc_arena {
    struct mc_arena_chunk *head; /* current chunk, owned */
    size_t used;                 /* bytes handed out + overhead */
    size_t limit;                /* hard maximum, 0 = unlimited */
};

/* Initialise an empty arena with a byte limit (0 = none). Allocates nothing. */
void mc_arena_init(struct mc_arena *a, size_t limit);
/* Free every chunk; the arena is reusable (as after init). */
void mc_arena_release(struct mc_arena *a);

/* n bytes aligned to 16, uninitialised; NULL on failure or over limit. */
void *mc_arena_alloc(struct mc_arena *a, size_t n);
/* n bytes zeroed. */
void *mc_arena_zalloc(struct mc_arena *a, size_t n);
/* Copy of s (NUL-terminated) in the arena; NULL if s is NULL or on failure. */
char *mc_arena_strdup(struct mc_arena *a, const char *s);
/* Copy of n bytes of s plus a terminating NUL. */
char *mc_arena_strndup(struct mc_arena *a, const char *s, size_t n);
/* Copy of n bytes of p (aligned to 16); NULL on failure. */
void *mc_arena_memdup(struct mc_arena *a, const void *p, size_t n);
/* printf into a new arena string. */
char *mc_arena_printf(struct mc_arena *a, const char *fmt, ...)
    MC_PRINTF(2, 3);
char *mc_arena_vprintf(struct mc_arena *a, const char *fmt, va_list ap);

#endif
