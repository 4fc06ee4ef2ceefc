/*
 * fuzzrand.h - the random inputs shared by the tests that compare two
 * writers of the same JSON over many random values (test_dossier_json,
 * test_dossier_list_json): a xorshift generator with a fixed seed per
 * test, integers with their edge cases, instants. Header-only, like
 * testdb.h: each test is one translation unit.
 */
#ifndef MC_TESTS_FUZZRAND_H
#define MC_TESTS_FUZZRAND_H

#include <stdint.h>

/* The generator's state; each test sets its own seed (not 0). */
static uint64_t rnd_state;

static inline uint64_t
rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* An integer, one time in four an edge case. */
static inline int64_t
rint64(void)
{
    static const int64_t edge[] = {0, 1, -1, INT64_MAX, INT64_MIN + 1,
                                   1764201600, 4000000000LL};
    uint64_t r = rnd();

    if (r % 4 == 0) {
        return edge[(r >> 8) % (sizeof(edge) / sizeof(edge[0]))];
    }
    return (int64_t)(r >> 20);
}

/* An instant (0 = none) between 1990 and 2060. */
static inline int64_t
rts(void)
{
    uint64_t r = rnd();

    return r % 3 == 0 ? 0 : 631152000 + (int64_t)((r >> 8) % 2208988800u);
}

#endif
