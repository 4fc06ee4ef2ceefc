/*
 * q_rate.h - fixed-window rate-limit counters (table rate_counters).
 */
#ifndef MC_DB_Q_RATE_H
#define MC_DB_Q_RATE_H

#include <stdint.h>

#include "db/db.h"

/* Hits of (bucket, window_start) in *hits; 0 when there is no row. */
int mc_q_rate_get(struct mc_db *db, const char *bucket, int64_t window_start,
                  int64_t *hits, struct mc_err *err) MC_WUR;

/*
 * Add one hit to (bucket, window_start), creating the row, in the
 * caller's transaction; *hits is the count after the increment.
 */
int mc_q_rate_hit(struct mc_db *db, const char *bucket, int64_t window_start,
                  int64_t *hits, struct mc_err *err) MC_WUR;

/* Delete windows that opened before before; rows deleted or < 0. */
int64_t mc_q_rate_purge(struct mc_db *db, int64_t before,
                        struct mc_err *err);

#endif
