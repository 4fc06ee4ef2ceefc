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
 * For a long-running threaded process (serve), before it starts threads:
 * blocks of MC_ALLOC_MAP_MIN bytes or more get their own mapping, which
 * free gives back to the system at once. By default glibc raises that
 * threshold to the size of any such block once it is freed, so the next
 * ones (a login's 19 MiB argon2id scratch, an export) come from a heap,
 * and each of up to 8 heaps per CPU then keeps its own copy of the memory
 * (three logins held 60 MB of a 98 MB server). Free memory at the top of
 * a heap is given back once it passes MC_ALLOC_TRIM, not 128 KiB, so
 * the writer's per-batch memory is not unmapped and faulted in again.
 */
#define MC_ALLOC_MAP_MIN (4u << 20)
#define MC_ALLOC_TRIM (8u << 20)
void mc_alloc_tune_server(void);

/*
 * For a thread that has finished its work and is about to wait (a
 * server's worker with an empty queue): give the free memory of every
 * malloc heap back to the system (malloc_trim), at most once per
 * MC_ALLOC_IDLE_TRIM_MS across the process; returns 1 when it trimmed,
 * 0 when another call did so less than that long ago. Below
 * MC_ALLOC_TRIM a heap keeps what a request freed: a year's Decision 766
 * index of the province (about 3.6 MB of jansson trees and rows) left
 * that much in each worker's heap, 45 MB over 13 heaps at 10 million
 * dossiers. Thread-safe.
 */
#define MC_ALLOC_IDLE_TRIM_MS 1000
int mc_alloc_release_idle(void);

/*
 * Testing hook: make the n-th allocation from now fail (n >= 1), or disable
 * injection with n = 0. Not thread-safe; for unit tests only.
 */
void mc_alloc_fail_after(long n);

#endif
