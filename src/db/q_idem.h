/*
 * q_idem.h - stored responses for Idempotency-Key retries.
 */
#ifndef MC_DB_Q_IDEM_H
#define MC_DB_Q_IDEM_H

#include <stdint.h>

#include "db/db.h"
#include "util/arena.h"

/*
 * Look up (account_id, key). MC_OK with *status, *body (arena copy) and
 * *req_hash (arena copy) when found; MC_ENOTFOUND when not.
 */
int mc_q_idem_get(struct mc_db *db, int64_t account_id, const char *key,
                  struct mc_arena *a, int *status, const char **body,
                  const char **req_hash, struct mc_err *err) MC_WUR;

/* Store a response; MC_ECONFLICT if the key was stored concurrently. */
int mc_q_idem_put(struct mc_db *db, int64_t account_id, const char *key,
                  const char *method, const char *path, const char *req_hash,
                  int status, const char *body, int64_t now,
                  struct mc_err *err) MC_WUR;

/* Delete records older than before; returns rows deleted or < 0. */
int64_t mc_q_idem_expire(struct mc_db *db, int64_t before,
                         struct mc_err *err);

#endif
