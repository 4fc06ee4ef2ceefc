#include "db/q_idem.h"

int
mc_q_idem_get(struct mc_db *db, int64_t account_id, const char *key,
              struct mc_arena *a, int *status, const char **body,
              const char **req_hash, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "SELECT status, body, request_hash FROM idempotency "
                    "WHERE account_id = ? AND key = ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "it", account_id, key);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *status = (int)mc_stmt_i64(st, 0);
        *body = mc_arena_strdup(a, mc_stmt_text(st, 1));
        *req_hash = mc_arena_strdup(a, mc_stmt_text(st, 2));
        rc = (*body && *req_hash) ? MC_OK : MC_ENOMEM;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_idem_put(struct mc_db *db, int64_t account_id, const char *key,
              const char *method, const char *path, const char *req_hash,
              int status, const char *body, int64_t now, struct mc_err *err)
{
    return mc_db_run(db, err,
                     "INSERT INTO idempotency (key, account_id, method, "
                     "path, request_hash, status, body, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     "titttIti", key, account_id, method, path, req_hash,
                     status, body, now);
}

int64_t
mc_q_idem_expire(struct mc_db *db, int64_t before, struct mc_err *err)
{
    int rc = mc_db_run(db, err,
                       "DELETE FROM idempotency WHERE created_at < ?", "i",
                       before);

    return rc == MC_OK ? mc_db_changes(db) : rc;
}
