/*
 * alloc.h - the one allocation wrapper. All heap allocation in motcua goes
 * through mc_malloc/mc_calloc/mc_realloc/mc_free so tests can inject failure
 * (mc_alloc_fail_after) and count live allocations.
 */
#ifndef MC_UTIL_ALLOC_H
#define MC_UTIL_ALLOC_H

#include <stddef.h>

/* Allocate n bytes; NULL on failure (or injected failure). */
void *mc_malloc(size_t n) __attribute__((malloc));
/* Allocate zeroed n*size bytes; NULL on overflow or failure. */
void *mc_calloc(size_t n, size_t size) __attribute__((malloc));
/* Resize; on failure returns NULL and p stays valid. */
void *mc_realloc(void *p, size_t n);
/* Free p (NULL is fine). */
void mc_free(void *p);
/* Duplicate a NUL-terminated string; NULL on failure or if s is NULL. */
char *mc_strdup(const char *s);
/* Duplicate n bytes of s plus a NUL; NULL on failure. */
char *mc_strndup(const char *s, size_t n);

/*
 * Testing hook: make the n-th allocation from now fail (n >= 1), or disable
 * injection with n = 0. Not thread-safe; for unit tests only.
 */
void mc_alloc_fail_after(long n);

#endif
