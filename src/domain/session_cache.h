/*
 * session_cache.h - per-process cache of session lookups (token hash ->
 * actor), used by mc_session_lookup so that most requests skip the
 * sessions/accounts/units join.
 *
 * An entry lives at most MC_SESSION_CACHE_TTL seconds and never past the
 * session's expiry. Revocations and deactivations committed by this
 * process drop every entry at once (mc_db_auth_epoch). Those committed by
 * another process on the same database (a second instance on PostgreSQL,
 * a CLI command) take effect here within MC_SESSION_CACHE_TTL seconds.
 */
#ifndef MC_DOMAIN_SESSION_CACHE_H
#define MC_DOMAIN_SESSION_CACHE_H

#include <stdint.h>

#include "domain/actor.h"

#define MC_SESSION_CACHE_TTL 3 /* seconds */

/*
 * The epoch to pass to mc_session_cache_put: read it BEFORE the database
 * query whose answer will be cached.
 */
uint64_t mc_session_cache_epoch(void);

/*
 * 1 and *out filled if token_hash (hex SHA-256 of the token) has a live
 * entry at wall time now; 0 otherwise.
 */
int mc_session_cache_get(const char *token_hash, int64_t now,
                         struct mc_actor *out);

/*
 * Remember actor (copied) for token_hash until min(now + TTL, expires_at),
 * unless a session-affecting change was published since epoch.
 */
void mc_session_cache_put(const char *token_hash, const struct mc_actor *a,
                          int64_t expires_at, uint64_t epoch);

#endif
