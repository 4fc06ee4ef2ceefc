/*
 * session_cache.c - see session_cache.h. A direct-mapped table keyed by
 * the token hash; one mutex (the critical sections copy ~200 bytes).
 */
#include "domain/session_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "sec/token.h"

#define SLOTS 1024 /* power of two */

struct slot {
    char hash[MC_SHA256_HEX]; /* "" = empty */
    struct mc_actor actor;
    int64_t until_mono;       /* monotonic seconds: cached_at + TTL */
    int64_t expires_at;       /* the session's own expiry (wall clock) */
    uint64_t epoch;
};

static struct slot slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int64_t
mono_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

static struct slot *
slot_of(const char *hash)
{
    unsigned idx = 0;

    /* the hash is uniformly random hex: its first digits index well */
    for (int i = 0; i < 4 && hash[i]; i++) {
        unsigned c = (unsigned char)hash[i];
        idx = idx * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return &slots[idx & (SLOTS - 1)];
}

uint64_t
mc_session_cache_epoch(void)
{
    return mc_db_auth_epoch();
}

int
mc_session_cache_get(const char *token_hash, int64_t now,
                     struct mc_actor *out)
{
    struct slot *s = slot_of(token_hash);
    uint64_t epoch = mc_db_auth_epoch();
    int64_t mono = mono_s();
    int hit = 0;

    pthread_mutex_lock(&mu);
    if (strcmp(s->hash, token_hash) == 0 && s->epoch == epoch &&
        mono < s->until_mono && now < s->expires_at) {
        *out = s->actor;
        hit = 1;
    }
    pthread_mutex_unlock(&mu);
    return hit;
}

void
mc_session_cache_put(const char *token_hash, const struct mc_actor *a,
                     int64_t expires_at, uint64_t epoch)
{
    struct slot *s = slot_of(token_hash);

    if (epoch != mc_db_auth_epoch()) {
        return; /* a revocation was published meanwhile */
    }
    pthread_mutex_lock(&mu);
    snprintf(s->hash, sizeof(s->hash), "%s", token_hash);
    s->actor = *a;
    s->until_mono = mono_s() + MC_SESSION_CACHE_TTL;
    s->expires_at = expires_at;
    s->epoch = epoch;
    pthread_mutex_unlock(&mu);
}
