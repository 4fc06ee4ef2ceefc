/*
 * audit.h - the tamper-evident audit trail (hash chain).
 *
 * Every change appends one record in the same transaction as the change:
 *   hash = SHA-256( seq "|" at "|" actor "|" action "|" object "|"
 *                   payload_hash "|" prev_hash )
 * payload_hash = SHA-256 of the canonical payload JSON (keys sorted,
 * compact). The first record's prev_hash is 64 zeros. If the append fails
 * the caller's write fails, so no change goes unaudited.
 */
#ifndef MC_SEC_AUDIT_H
#define MC_SEC_AUDIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

/*
 * Append a record inside the caller's open write transaction on db.
 * actor_id 0 = system. payload is borrowed (may be NULL = {}).
 */
int mc_audit_append(struct mc_db *db, int64_t actor_id, const char *action,
                    const char *object, json_t *payload, int64_t at,
                    struct mc_err *err) MC_WUR;

/*
 * mc_audit_append with the payload already as its stored text: canon (len
 * bytes, borrowed) must be what mc_json_canonical writes for the payload
 * (keys sorted, compact), so that the chain is the same as through
 * mc_audit_append. For hot writers that write the payload text directly.
 */
int mc_audit_append_text(struct mc_db *db, int64_t actor_id,
                         const char *action, const char *object,
                         const char *canon, size_t len, int64_t at,
                         struct mc_err *err) MC_WUR;

/*
 * Verify the whole chain. MC_OK when intact (*count = records checked).
 * Otherwise MC_ECONFLICT with *bad_seq = the first record that does not
 * verify (altered, removed, reordered) and err->message explaining.
 */
int mc_audit_verify(struct mc_db *db, int64_t *count, int64_t *bad_seq,
                    struct mc_err *err) MC_WUR;

#endif
