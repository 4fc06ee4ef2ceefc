/*
 * q_audit.c - SQL of the audit hash chain (q_audit.h).
 */
#include "db/q_audit.h"

#include <stdio.h>
#include <string.h>

#include "db/backend.h"

int
mc_q_audit_last(struct mc_db *db, int64_t *seq, char *hash, size_t hashsz,
                struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    if (db->in_tx && db->chain_ok) {
        /* appended by this transaction, which nobody else can append in */
        size_t n = strlen(db->chain_hash);

        *seq = db->chain_seq;
        if (hashsz > 0) { /* as snprintf "%s" would, without printf */
            n = n < hashsz ? n : hashsz - 1;
            memcpy(hash, db->chain_hash, n);
            hash[n] = '\0';
        }
        return MC_OK;
    }
    st = mc_db_prep(db, "SELECT seq, hash FROM audit ORDER BY seq DESC "
                        "LIMIT 1",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        const char *h = mc_stmt_text(st, 1);

        *seq = mc_stmt_i64(st, 0);
        snprintf(hash, hashsz, "%s", h != NULL ? h : "");
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_audit_insert(struct mc_db *db, const struct mc_audit_row *r,
                  struct mc_err *err)
{
    int rc = mc_db_run(db, err,
                       "INSERT INTO audit(seq, at, actor_id, action, object, "
                       "payload, payload_hash, prev_hash, hash) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "iiztttttt", r->seq, r->at, r->actor_id, r->action,
                       r->object, r->payload, r->payload_hash, r->prev_hash,
                       r->hash);

    db->chain_ok = rc == MC_OK && db->in_tx &&
                   strlen(r->hash) < sizeof(db->chain_hash);
    if (db->chain_ok) {
        db->chain_seq = r->seq;
        memcpy(db->chain_hash, r->hash, strlen(r->hash) + 1); /* fits */
    }
    return rc;
}

static const char *
nz(const char *s)
{
    return s != NULL ? s : "";
}

int
mc_q_audit_scan(struct mc_db *db,
                int (*fn)(void *arg, const struct mc_audit_row *r), void *arg,
                struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "SELECT seq, at, actor_id, action, object, payload, "
                    "payload_hash, prev_hash, hash FROM audit ORDER BY seq",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_audit_row r;

        r.seq = mc_stmt_i64(st, 0);
        r.at = mc_stmt_i64(st, 1);
        r.actor_id = mc_stmt_isnull(st, 2) ? 0 : mc_stmt_i64(st, 2);
        r.action = nz(mc_stmt_text(st, 3));
        r.object = nz(mc_stmt_text(st, 4));
        r.payload = nz(mc_stmt_text(st, 5));
        r.payload_hash = nz(mc_stmt_text(st, 6));
        r.prev_hash = nz(mc_stmt_text(st, 7));
        r.hash = nz(mc_stmt_text(st, 8));
        rc = fn(arg, &r);
        if (rc != 0) {
            break;
        }
    }
    mc_stmt_done(st);
    return rc == MC_DB_DONE ? MC_OK : rc;
}
