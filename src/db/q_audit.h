/*
 * q_audit.h - SQL of the audit hash chain (table audit, 001_core.sql).
 *
 * Only sec/audit.c should call these: it computes the hashes; this module
 * stores and reads rows.
 */
#ifndef MC_DB_Q_AUDIT_H
#define MC_DB_Q_AUDIT_H

#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

/* One audit row. Strings are borrowed (see each function). */
struct mc_audit_row {
    int64_t seq;
    int64_t at;
    int64_t actor_id; /* 0 when NULL (system) */
    const char *action;
    const char *object;
    const char *payload;
    const char *payload_hash;
    const char *prev_hash;
    const char *hash;
};

/*
 * Last record of the chain: *seq and its hash copied into hash (>= 65
 * bytes). MC_ENOTFOUND (err untouched) when the table is empty. Inside a
 * write transaction that has already appended (mc_q_audit_insert) and not
 * rolled back since, the head is known without a query: the transaction
 * holds the write lock (SQLite) or the audit-chain lock (PostgreSQL).
 */
int mc_q_audit_last(struct mc_db *db, int64_t *seq, char *hash,
                    size_t hashsz, struct mc_err *err) MC_WUR;

/*
 * Insert r with its explicit seq (r and its strings borrowed). actor_id 0
 * is stored as NULL. MC_ECONFLICT if the seq is taken.
 */
int mc_q_audit_insert(struct mc_db *db, const struct mc_audit_row *r,
                      struct mc_err *err) MC_WUR;

/*
 * Call fn(arg, row) for every record in seq order. The row and its
 * strings are valid only during the call. A non-zero return from fn stops
 * the scan and is returned; otherwise MC_OK or a database error.
 */
int mc_q_audit_scan(struct mc_db *db,
                    int (*fn)(void *arg, const struct mc_audit_row *r),
                    void *arg, struct mc_err *err) MC_WUR;

#endif
