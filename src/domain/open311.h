/*
 * open311.h - the Open311 GeoReport v2 face of feedback: API keys (only
 * SHA-256 stored; created by an admin) and the service requests
 * (services = feedback categories). The JSON of one request is
 * mc_feedback_open311_json (feedback.h).
 */
#ifndef MC_DOMAIN_OPEN311_H
#define MC_DOMAIN_OPEN311_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/err.h"

/* Input of mc_open311_key_create (borrowed), the write ctx. */
struct mc_open311_key_new {
    const struct mc_actor *actor;    /* must be admin */
    struct mc_arena *arena;
    int64_t now;
    const char *label;
    const char *unit_code;           /* default unit of its requests */
    json_t *out;                     /* {id, label, unit_code, api_key} */
};

/*
 * Write function: create a random API key, store its SHA-256 and audit
 * "open311.key_create"; the key is in out once and never again. 403 for
 * non-admins, 422 unknown unit.
 */
int mc_open311_key_create(struct mc_db *db, void *ctx,
                          struct mc_err *err) MC_WUR;

/*
 * Check a key: MC_OK with *unit_id (0 = none bound) for a valid,
 * unrevoked key; MC_EFORBIDDEN (403) otherwise.
 */
int mc_open311_key_check(struct mc_db *db, const char *key,
                         int64_t *unit_id, struct mc_err *err) MC_WUR;

/* Filters of GET requests.json (NULL / 0 = any). */
struct mc_open311_filter {
    const char *service_code;
    int64_t start, end;
    int status;                      /* 0 any, 1 open, 2 closed */
};

/*
 * Requests as a JSON array, newest first, at most 1000; ids (n > 0):
 * exactly those (unknown ones skipped) and the other filters ignored, as
 * the specification says. Without ids and dates: the last 90 days.
 */
int mc_open311_requests(struct mc_db *db, const struct mc_open311_filter *f,
                        const int64_t *ids, int n, int64_t now,
                        struct mc_arena *a, json_t **out,
                        struct mc_err *err) MC_WUR;

#endif
