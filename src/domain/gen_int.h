/*
 * gen_int.h - internals shared by gen.c (simulation) and gen_setup.c
 * (catalog completion, district desks, accounts). Not a public API.
 */
#ifndef MC_DOMAIN_GEN_INT_H
#define MC_DOMAIN_GEN_INT_H

#include <stdint.h>

#include "domain/actor.h"
#include "domain/calendar.h"
#include "domain/gen.h"
#include "sec/password.h"
#include "util/arena.h"

#define MIN 60
#define HOUR 3600
#define DAY 86400
#define NCITIZENS 400

enum { K_COMMUNE, K_DISTRICT, K_DEPT };

struct gunit {
    int64_t recv_id, hand_id;
    struct mc_actor desk, spec[2], leader;
    int kind, slow;
    const char *code;
    double w;
};

struct gproc {
    const char *code, *dept; /* dept: department code, NULL = commune */
    double w;
    /* mc_q_gen_component's answer, valid for instants in [lo, hi) */
    int64_t comp_id, comp_lo, comp_hi;
};

enum stage {
    S_NEW, S_SUBMITTED, S_ISUPP, S_RECEIVED, S_WORK, S_SUPP, S_PENDING,
    S_FINISHED, S_WREQ
};

enum {
    F_ONLINE = 1, F_ISUPP = 2, F_SUPP = 4, F_RESCHED = 8, F_LATE = 16,
    F_REFUSE = 32, F_REJECT = 64, F_WITHDRAW = 128
};

struct gd {
    int64_t t, id, due, recv_at, target, comp;
    uint64_t rng;
    uint32_t ord;
    int32_t unit, citizen, proc;
    int stage, flags, spec;
};

struct gen {
    struct mc_db *db;
    const struct mc_gen_opts *o;
    struct mc_gen_stats *st;
    struct mc_calendar *cal;
    struct mc_arena setup;
    struct gunit *units;
    int nunits;
    int *communes, *districts, *depts;
    int ncommunes, ndistricts, ndepts;
    struct gproc *procs;
    int nprocs;
    struct mc_actor citizens[NCITIZENS];
    const char *cit_names[NCITIZENS];
    struct mc_actor partner;
    char pwhash[MC_PASSWORD_HASH_MAX]; /* the generated accounts' password hash */
    int64_t start, end, reform;
    struct gd *heap;
    size_t nheap, cap;
};

/* ---- randomness (splitmix64) ---- */

static inline uint64_t
rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline double
rndf(uint64_t *s)
{
    return (double)(rnd(s) >> 11) / 9007199254740992.0;
}

static inline int64_t
rndr(uint64_t *s, int64_t lo, int64_t hi)
{
    return hi <= lo ? lo : lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1));
}

/* A random Vietnamese full name in arena a. */
const char *mc_gen_person(struct mc_arena *a, uint64_t *s);

/*
 * Setup inside the caller's transaction: complete the procedures without
 * a time limit (g->procs), add the districts' desks and the accounts
 * (g->units, g->communes, g->districts, g->depts, citizens, partner).
 */
int mc_gen_setup(struct gen *g, struct mc_err *err) MC_WUR;

#endif
