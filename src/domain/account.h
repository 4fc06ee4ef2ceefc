/*
 * account.h - accounts, login with lockout, and sessions.
 *
 * Roles are those of domain/actor.h. Officials working in a unit (desk,
 * specialist, leader, inspector) must belong to a unit in force; citizens
 * must not; administrators and partner systems may. Usernames are 3-32
 * characters of [a-z0-9._-] starting with a letter or digit (stored in
 * lower case). Passwords are argon2id hashes (sec/password.h) and are never
 * logged, audited or returned.
 *
 * Login: 5 wrong passwords in a row lock the account for 15 minutes; an
 * unknown user, a wrong password, a locked or a deactivated account all
 * get the same 401 "invalid_credentials" message. A successful login
 * creates a session: a random token returned once to the caller; the
 * database keeps only SHA-256(token). Sessions last 12 hours.
 *
 * Password hashing is slow on purpose, so it never runs inside the writer
 * (it would stall every other write of the batch): hash before
 * mc_writer_run (mc_account_create_set_password), verify before recording
 * the login (mc_login_check, then the write mc_login_record; mc_login does
 * both).
 */
#ifndef MC_DOMAIN_ACCOUNT_H
#define MC_DOMAIN_ACCOUNT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/q_accounts.h"
#include "db/writer.h"
#include "domain/actor.h"
#include "domain/ratelimit.h"
#include "sec/password.h"
#include "sec/token.h"
#include "util/arena.h"
#include "util/err.h"

#define MC_LOGIN_MAX_FAILURES 5
#define MC_LOGIN_LOCK_SECS (15 * 60)
#define MC_SESSION_TTL (12 * 3600)
#define MC_USERNAME_MIN 3
#define MC_USERNAME_MAX 32
#define MC_FULL_NAME_CHARS 200

/* Input and output of mc_account_create (the ctx of the write function). */
struct mc_account_create {
    /*
     * Borrowed. Admin or system: any role. Anonymous (MC_ROLE_NONE):
     * self-registration of a citizen only. Anyone else: MC_EFORBIDDEN.
     */
    const struct mc_actor *actor;
    const char *username;  /* borrowed; folded to lower case */
    const char *full_name; /* borrowed; stored NFC */
    enum mc_role role;     /* citizen .. partner */
    int64_t unit_id;       /* 0 = none */
    const char *email;     /* optional (NULL or ""), borrowed */
    const char *phone;     /* optional: 8-15 digits, may start with '+' */
    const char *id_number; /* optional CCCD / tax code: digits and '-' */
    const char *address;   /* optional */
    /* set by mc_account_create_set_password, required */
    char password_hash[MC_PASSWORD_HASH_MAX];
    /* out */
    int64_t id;
};

/*
 * Hash password into c->password_hash (argon2id; slow: call before
 * mc_writer_run, never inside a write). MC_EINVAL (field "password") for
 * a password of fewer than 8 or more than 256 bytes.
 */
int mc_account_create_set_password(struct mc_account_create *c,
                                   const char *password,
                                   struct mc_err *err) MC_WUR;

/* 1 if username (as given, before lower-casing) satisfies the rules. */
int mc_account_username_valid(const char *username);

/*
 * Write function: create the account described by ctx (a struct
 * mc_account_create *, borrowed) and append the audit record
 * "account.create" (no password or hash in it). Fills ctx->id. Errors:
 * MC_EFORBIDDEN (actor), MC_EINVAL with err->field set (username, role,
 * unit_id, full_name, email, phone, id_number, address, password),
 * MC_ECONFLICT "username_taken".
 */
int mc_account_create(struct mc_db *db, void *ctx, struct mc_err *err) MC_WUR;

/*
 * Account id into *out, for an actor allowed to see it: the account
 * itself, admin/system, an official whose scope covers the account's unit,
 * or any official for a citizen account. MC_ENOTFOUND / MC_EFORBIDDEN.
 */
int mc_account_get(struct mc_db *db, const struct mc_actor *actor,
                   int64_t id, struct mc_account *out,
                   struct mc_err *err) MC_WUR;

/*
 * Accounts of the subtree of unit_id, by username, for an actor covering
 * that unit; unit_id 0 lists every account (admin/system only). *out (n
 * entries) is allocated in arena a.
 */
int mc_account_list(struct mc_db *db, const struct mc_actor *actor,
                    int64_t unit_id, struct mc_arena *a,
                    struct mc_account **out, size_t *n,
                    struct mc_err *err) MC_WUR;

/* ctx of mc_account_deactivate. */
struct mc_account_deactivate {
    const struct mc_actor *actor; /* borrowed; admin or system */
    int64_t account_id;
};

/*
 * Write function: deactivate an account and revoke its sessions; audit
 * "account.deactivate". MC_EFORBIDDEN unless admin/system, or for an admin
 * deactivating themself; MC_ENOTFOUND; MC_ECONFLICT if already inactive.
 */
int mc_account_deactivate(struct mc_db *db, void *ctx,
                          struct mc_err *err) MC_WUR;

/*
 * JSON view (new reference, NULL on OOM): id, username, role, role_label,
 * unit_id, unit_code, full_name, email, phone, id_number, address, active,
 * locked, created_at. Never the password hash.
 */
json_t *mc_account_json(const struct mc_account *a, int64_t now);

/* ---- login and sessions ---- */

struct mc_login {
    const char *username;   /* in, borrowed */
    const char *password;   /* in, borrowed; never stored or logged */
    const char *user_agent; /* in, optional, borrowed */
    const char *client_ip;  /* in, optional, borrowed: rate-limit key */
    /* in, optional, borrowed: failed logins are counted per username and
     * per client_ip and refused with 429 past these limits */
    const struct mc_rate_cfg *rate;
    int64_t retry_after;    /* out: seconds, set with a 429 */
    /* filled by mc_login_check */
    int64_t account_id;     /* 0 when the user is unknown */
    int password_ok;
    /* filled by mc_login_record */
    int ok;                            /* 1: logged in */
    char token[MC_TOKEN_LEN + 1];      /* bearer token, give to the client */
    int64_t expires_at;
    struct mc_actor actor;
};

/*
 * Phase 1 (any connection, slow): look the user up and verify the
 * password, unless the account is locked (then no verification). Returns
 * MC_OK whether or not the credentials are right; negative only on a
 * database error.
 */
int mc_login_check(struct mc_db *db, struct mc_login *l,
                   struct mc_err *err) MC_WUR;

/*
 * Phase 2, write function (ctx = struct mc_login *): re-reads the account
 * inside the transaction. On a good password of an active, unlocked
 * account: reset the failure counter, create the session, audit
 * "session.create", set l->ok, l->token, l->expires_at and l->actor. On a
 * wrong password: count the failure (lock after 5), audit
 * "account.login_failed", l->ok = 0. Every failure (unknown user too)
 * also counts towards the login_user and login_ip rate limits of l->rate.
 * Returns MC_OK in both cases so the failure count is committed; negative
 * only on a database error.
 */
int mc_login_record(struct mc_db *db, void *ctx, struct mc_err *err) MC_WUR;

/*
 * Both phases: rdb is any connection (it may be the writer's own in direct
 * mode), w the writer. MC_OK with l->token set, or MC_EAUTH (401,
 * "invalid_credentials", one message for every cause), or MC_EBUSY (429,
 * "rate_limited", l->retry_after set) when the username or the client
 * address already has too many failures in the window.
 */
int mc_login(struct mc_writer *w, struct mc_db *rdb, struct mc_login *l,
             struct mc_err *err) MC_WUR;

/*
 * Resolve a bearer token to an actor (read-only; any connection): the
 * session must exist, be unrevoked and unexpired, and its account active.
 * MC_EAUTH (401, "invalid_session") otherwise. Answers come from a short
 * per-process cache (session_cache.h): a revocation committed by another
 * process takes up to MC_SESSION_CACHE_TTL seconds to be seen here.
 */
int mc_session_lookup(struct mc_db *db, const char *token,
                      struct mc_actor *out, struct mc_err *err) MC_WUR;

/* ctx of mc_session_revoke. */
struct mc_logout {
    const char *token; /* borrowed */
};

/*
 * Write function (logout): revoke the session of ctx->token; audit
 * "session.revoke". MC_EAUTH when the token is unknown or already revoked.
 */
int mc_session_revoke(struct mc_db *db, void *ctx, struct mc_err *err) MC_WUR;

#endif
