/*
 * q_rate.c - fixed-window rate-limit counters (see q_rate.h).
 */
#include "db/q_rate.h"

int
mc_q_rate_get(struct mc_db *db, const char *bucket, int64_t window_start,
              int64_t *hits, struct mc_err *err)
{
    int rc = mc_db_i64(db, hits, err,
                       "SELECT hits FROM rate_counters WHERE bucket = ? AND "
                       "window_start = ?",
                       "ti", bucket, window_start);

    if (rc == MC_ENOTFOUND) {
        *hits = 0;
        return MC_OK;
    }
    return rc;
}

int
mc_q_rate_hit(struct mc_db *db, const char *bucket, int64_t window_start,
              int64_t *hits, struct mc_err *err)
{
    return mc_db_i64(db, hits, err,
                     "INSERT INTO rate_counters (bucket, window_start, hits) "
                     "VALUES (?, ?, 1) ON CONFLICT (bucket, window_start) DO "
                     "UPDATE SET hits = rate_counters.hits + 1 RETURNING "
                     "hits",
                     "ti", bucket, window_start);
}

int64_t
mc_q_rate_purge(struct mc_db *db, int64_t before, struct mc_err *err)
{
    int rc = mc_db_run(db, err,
                       "DELETE FROM rate_counters WHERE window_start < ?",
                       "i", before);

    return rc == MC_OK ? mc_db_changes(db) : rc;
}
