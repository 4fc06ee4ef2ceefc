/*
 * audit.c - the tamper-evident audit trail (audit.h).
 *
 * Record n stores prev_hash = hash of record n-1 (64 zeros for n = 1) and
 *   hash = SHA-256(seq "|" at "|" actor "|" action "|" object "|"
 *                  payload_hash "|" prev_hash)
 * with numbers in decimal and actor 0 for the system. Because the seq is
 * inside the hash and every record names its predecessor's hash, editing,
 * removing or reordering records breaks the chain at the first record
 * touched. Truncating the tail leaves a valid shorter chain; detecting that
 * needs the last hash kept elsewhere (e.g. printed in a report).
 *
 * action and object may not contain '|' or control characters, so the
 * hashed string splits into its fields one way only.
 */
#include "sec/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/q_audit.h"
#include "sec/token.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mctime.h"

#define ACTION_MAX 64
#define OBJECT_MAX 200
#define PAYLOAD_MAX (1024 * 1024)

static const char zero_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static int
field_ok(const char *s, size_t max)
{
    size_t n;

    if (s == NULL || *s == '\0') {
        return 0;
    }
    n = strlen(s);
    if (n > max) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7f || c == '|') {
            return 0;
        }
    }
    return 1;
}

/* Append the decimal form of v at p; returns the end. */
static char *
put_i64(char *p, int64_t v)
{
    char t[24], *e = t + sizeof(t), *q = e;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0) {
        *--q = '-';
    }
    memcpy(p, q, (size_t)(e - q));
    return p + (e - q);
}

/* Append s and then '|' (sep != 0) at p; returns the end. */
static char *
put_str(char *p, const char *s, size_t n, int sep)
{
    memcpy(p, s, n);
    p += n;
    if (sep) {
        *p++ = '|';
    }
    return p;
}

/*
 * The record hash over the fields of r (r->hash is not read), written
 * without printf: it ran once per record and cost as much as a digest.
 */
static int
record_hash(const struct mc_audit_row *r, char *out)
{
    size_t na = strlen(r->action), no = strlen(r->object);
    size_t nph = strlen(r->payload_hash), npv = strlen(r->prev_hash);
    size_t need = 3 * 21 + na + no + nph + npv + 6;
    char stack[1024], *buf = stack, *p;

    if (need > sizeof(stack) && (buf = malloc(need)) == NULL) {
        return MC_ENOMEM;
    }
    p = put_i64(buf, r->seq);
    *p++ = '|';
    p = put_i64(p, r->at);
    *p++ = '|';
    p = put_i64(p, r->actor_id);
    *p++ = '|';
    p = put_str(p, r->action, na, 1);
    p = put_str(p, r->object, no, 1);
    p = put_str(p, r->payload_hash, nph, 1);
    p = put_str(p, r->prev_hash, npv, 0);
    mc_sha256_hex(buf, (size_t)(p - buf), out);
    if (buf != stack) {
        free(buf);
    }
    return MC_OK;
}

int
mc_audit_append(struct mc_db *db, int64_t actor_id, const char *action,
                const char *object, json_t *payload, int64_t at,
                struct mc_err *err)
{
    struct mc_buf canon;
    json_t *empty = NULL;
    int rc;

    mc_buf_init(&canon, SIZE_MAX / 4); /* json_dumps had no limit */
    if (payload == NULL) {
        payload = empty = json_object();
    }
    /* the same bytes as json_dumps(SORT_KEYS | COMPACT | ENCODE_ANY) */
    if (payload == NULL || mc_json_canonical(payload, &canon) != MC_OK ||
        canon.data == NULL) {
        rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                        "cannot serialise the audit payload");
        goto out;
    }
    rc = mc_audit_append_text(db, actor_id, action, object, canon.data,
                              canon.len, at, err);
out:
    mc_buf_release(&canon);
    json_decref(empty);
    return rc;
}

int
mc_audit_append_text(struct mc_db *db, int64_t actor_id, const char *action,
                     const char *object, const char *canon, size_t len,
                     int64_t at, struct mc_err *err)
{
    char prev[MC_SHA256_HEX], phash[MC_SHA256_HEX], hash[MC_SHA256_HEX];
    struct mc_audit_row r;
    int64_t last = 0;
    int rc;

    if (!field_ok(action, ACTION_MAX) || !field_ok(object, OBJECT_MAX)) {
        return mc_err_set(err, MC_EINTERNAL, 500, "audit_failed", NULL,
                          "invalid audit action or object");
    }
    if (at <= 0) {
        at = mc_now();
    }
    if (len > PAYLOAD_MAX) {
        return mc_err_set(err, MC_ETOOBIG, 500, "audit_failed", NULL,
                          "audit payload too large");
    }
    rc = mc_q_audit_last(db, &last, prev, sizeof(prev), err);
    if (rc == MC_ENOTFOUND) {
        last = 0;
        memcpy(prev, zero_hash, sizeof(zero_hash));
    } else if (rc != MC_OK) {
        return rc;
    }
    mc_sha256_hex(canon, len, phash);
    r.seq = last + 1;
    r.at = at;
    r.actor_id = actor_id;
    r.action = action;
    r.object = object;
    r.payload = canon;
    r.payload_hash = phash;
    r.prev_hash = prev;
    rc = record_hash(&r, hash);
    if (rc != MC_OK) {
        return mc_err_set(err, rc, 500, "audit_failed", NULL,
                          "cannot hash the audit record");
    }
    r.hash = hash;
    return mc_q_audit_insert(db, &r, err);
}

struct verify_state {
    int64_t expect_seq;
    int64_t count;
    int64_t bad_seq;
    char prev[MC_SHA256_HEX];
    char why[200];
};

static int
verify_one(void *arg, const struct mc_audit_row *r)
{
    struct verify_state *s = arg;
    char h[MC_SHA256_HEX];

    if (r->seq != s->expect_seq) {
        s->bad_seq = s->expect_seq;
        snprintf(s->why, sizeof(s->why),
                 "record %" PRId64 " is missing (the next record is %" PRId64
                 ")",
                 s->expect_seq, r->seq);
        return MC_ECONFLICT;
    }
    s->bad_seq = r->seq;
    if (!mc_ct_equal(r->prev_hash, s->prev)) {
        snprintf(s->why, sizeof(s->why),
                 "record %" PRId64 " does not link to the record before it "
                 "(removed or reordered records)",
                 r->seq);
        return MC_ECONFLICT;
    }
    mc_sha256_hex(r->payload, strlen(r->payload), h);
    if (!mc_ct_equal(h, r->payload_hash)) {
        snprintf(s->why, sizeof(s->why),
                 "record %" PRId64 " has a payload that does not match its "
                 "hash (altered)",
                 r->seq);
        return MC_ECONFLICT;
    }
    if (record_hash(r, h) != MC_OK) {
        snprintf(s->why, sizeof(s->why),
                 "record %" PRId64 " is too large to hash", r->seq);
        return MC_ECONFLICT;
    }
    if (!mc_ct_equal(h, r->hash)) {
        snprintf(s->why, sizeof(s->why),
                 "record %" PRId64 " does not match its hash (altered or "
                 "moved)",
                 r->seq);
        return MC_ECONFLICT;
    }
    memcpy(s->prev, h, sizeof(s->prev));
    s->bad_seq = 0;
    s->expect_seq++;
    s->count++;
    return 0;
}

int
mc_audit_verify(struct mc_db *db, int64_t *count, int64_t *bad_seq,
                struct mc_err *err)
{
    struct verify_state s;
    int rc;

    memset(&s, 0, sizeof(s));
    s.expect_seq = 1;
    memcpy(s.prev, zero_hash, sizeof(zero_hash));
    rc = mc_q_audit_scan(db, verify_one, &s, err);
    if (count != NULL) {
        *count = s.count;
    }
    if (bad_seq != NULL) {
        *bad_seq = rc == MC_ECONFLICT ? s.bad_seq : 0;
    }
    if (rc == MC_ECONFLICT) {
        return mc_err_set(err, MC_ECONFLICT, 409, "audit_chain_broken", NULL,
                          "audit chain broken: %s", s.why);
    }
    return rc;
}
