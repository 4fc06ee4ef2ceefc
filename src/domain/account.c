/*
 * account.c - accounts, login with lockout, and sessions (account.h).
 */
#include "domain/account.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/q_units.h"
#include "domain/session_cache.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/json.h"
#include "util/log.h"
#include "util/mctime.h"
#include "util/text.h"

#define GENERIC_LOGIN_MSG                                                     \
    "wrong username or password, or the account is locked after too many "  \
    "failed attempts"

/* ---- validation ---- */

int
mc_account_username_valid(const char *u)
{
    size_t n;

    if (u == NULL) {
        return 0;
    }
    n = strlen(u);
    if (n < MC_USERNAME_MIN || n > MC_USERNAME_MAX) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9');

        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
            return 0;
        }
    }
    return 1;
}

/* Lower-case copy of a valid username into out (>= MC_USERNAME_MAX+1). */
static void
username_fold(const char *u, char *out)
{
    size_t i;

    for (i = 0; u[i] != '\0' && i < MC_USERNAME_MAX; i++) {
        char c = u[i];

        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[i] = '\0';
}

/* Display text: valid UTF-8, 1..maxcp code points, no control characters,
 * not only spaces. */
static int
text_ok(const char *s, size_t maxcp)
{
    int visible = 0;

    if (s == NULL || !mc_utf8_valid(s, strlen(s))) {
        return 0;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return 0;
        }
        if (*p != ' ') {
            visible = 1;
        }
    }
    return visible && mc_utf8_len(s) <= maxcp;
}

static int
empty(const char *s)
{
    return s == NULL || *s == '\0';
}

static int
email_ok(const char *s)
{
    const char *at = strchr(s, '@');

    if (strlen(s) > 254 || at == NULL || at == s || at[1] == '\0' ||
        strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL) {
        return 0;
    }
    for (; *s; s++) {
        if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f) {
            return 0;
        }
    }
    return 1;
}

static int
phone_ok(const char *s)
{
    const char *d = *s == '+' ? s + 1 : s;
    size_t n = strlen(d);

    return n >= 8 && n <= 15 && mc_is_digits(d);
}

static int
id_number_ok(const char *s)
{
    size_t n = strlen(s);

    if (n < 9 || n >= MC_ACCOUNT_IDNUM_MAX || s[0] == '-') {
        return 0;
    }
    for (; *s; s++) {
        if (!((*s >= '0' && *s <= '9') || *s == '-')) {
            return 0;
        }
    }
    return 1;
}

static int
role_needs_unit(enum mc_role r)
{
    return r == MC_ROLE_DESK || r == MC_ROLE_SPECIALIST ||
           r == MC_ROLE_LEADER || r == MC_ROLE_INSPECTOR;
}

static int
is_admin(const struct mc_actor *a)
{
    return a != NULL &&
           (a->role == MC_ROLE_ADMIN || a->role == MC_ROLE_SYSTEM);
}

static int
invalid(struct mc_err *err, const char *field, const char *msg)
{
    return mc_err_set(err, MC_EINVAL, 422, "invalid_field", field, "%s",
                      msg);
}

static int
check_create(struct mc_db *db, const struct mc_account_create *c,
             struct mc_err *err)
{
    struct mc_unit u;
    int rc;

    if (c->actor == NULL ||
        !(is_admin(c->actor) || (c->actor->role == MC_ROLE_NONE &&
                                 c->role == MC_ROLE_CITIZEN))) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "you may not create this account");
    }
    if (!mc_account_username_valid(c->username)) {
        return invalid(err, "username",
                       "the username must be 3-32 characters: letters, "
                       "digits, '.', '_' or '-', starting with a letter or "
                       "digit");
    }
    if (c->role <= MC_ROLE_NONE || c->role >= MC_ROLE_SYSTEM) {
        return invalid(err, "role", "unknown role");
    }
    if (!text_ok(c->full_name, MC_FULL_NAME_CHARS)) {
        return invalid(err, "full_name",
                       "the full name must be 1-200 characters of text");
    }
    if (!empty(c->email) && !email_ok(c->email)) {
        return invalid(err, "email", "invalid e-mail address");
    }
    if (!empty(c->phone) && !phone_ok(c->phone)) {
        return invalid(err, "phone",
                       "the phone number must be 8-15 digits");
    }
    if (!empty(c->id_number) && !id_number_ok(c->id_number)) {
        return invalid(err, "id_number",
                       "the identity number must be 9-23 digits or '-'");
    }
    if (!empty(c->address) && !text_ok(c->address, 300)) {
        return invalid(err, "address",
                       "the address must be at most 300 characters");
    }
    if (strncmp(c->password_hash, "$argon2id$", 10) != 0) {
        return invalid(err, "password", "a password is required");
    }
    if (c->role == MC_ROLE_CITIZEN && c->unit_id != 0) {
        return invalid(err, "unit_id", "a citizen account has no unit");
    }
    if (role_needs_unit(c->role) && c->unit_id == 0) {
        return invalid(err, "unit_id", "an official must belong to a unit");
    }
    if (c->unit_id != 0) {
        rc = mc_q_unit_get(db, c->unit_id, &u, err);
        if (rc == MC_ENOTFOUND) {
            return invalid(err, "unit_id", "no such unit");
        }
        if (rc != MC_OK) {
            return rc;
        }
        if (!mc_unit_is_current(&u, mc_now())) {
            return invalid(err, "unit_id", "the unit is no longer in force");
        }
    }
    return MC_OK;
}

int
mc_account_create_set_password(struct mc_account_create *c,
                               const char *password, struct mc_err *err)
{
    return mc_password_hash(password, c->password_hash,
                            sizeof(c->password_hash), err);
}

static int
audit(struct mc_db *db, int64_t actor_id, const char *action,
      int64_t account_id, json_t *payload, int64_t at, struct mc_err *err)
{
    char obj[48];
    int rc;

    if (payload == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    snprintf(obj, sizeof(obj), "account:%" PRId64, account_id);
    rc = mc_audit_append(db, actor_id, action, obj, payload, at, err);
    json_decref(payload);
    return rc;
}

int
mc_account_create(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_account_create *c = ctx;
    struct mc_account a;
    struct mc_arena ar;
    const char *name, *key, *addr = NULL;
    int rc;

    mc_arena_init(&ar, 64 * 1024);
    c->id = 0;
    rc = check_create(db, c, err);
    if (rc != MC_OK) {
        goto out;
    }
    name = mc_utf8_nfc(&ar, c->full_name);
    key = name != NULL ? mc_fold(&ar, name) : NULL;
    if (!empty(c->address)) {
        addr = mc_utf8_nfc(&ar, c->address);
    }
    if (key == NULL || (!empty(c->address) && addr == NULL)) {
        rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                        "out of memory");
        goto out;
    }
    memset(&a, 0, sizeof(a));
    username_fold(c->username, a.username);
    snprintf(a.role, sizeof(a.role), "%s", mc_role_name(c->role));
    a.unit_id = c->unit_id;
    snprintf(a.full_name, sizeof(a.full_name), "%s", name);
    snprintf(a.email, sizeof(a.email), "%s", c->email ? c->email : "");
    snprintf(a.phone, sizeof(a.phone), "%s", c->phone ? c->phone : "");
    snprintf(a.id_number, sizeof(a.id_number), "%s",
             c->id_number ? c->id_number : "");
    snprintf(a.address, sizeof(a.address), "%s", addr ? addr : "");
    a.active = 1;
    a.created_at = mc_now();
    rc = mc_q_account_insert(db, &a, c->password_hash, key, &a.id, err);
    if (rc == MC_ECONFLICT) {
        rc = mc_err_set(err, MC_ECONFLICT, 409, "username_taken", "username",
                        "the username %s is already taken", a.username);
    }
    if (rc != MC_OK) {
        goto out;
    }
    /* A self-registered citizen is the actor of their own creation. */
    rc = audit(db, c->actor->role == MC_ROLE_NONE ? a.id
                                                 : c->actor->account_id,
               "account.create", a.id,
               json_pack("{s:s, s:s, s:o, s:s}", "username", a.username,
                         "role", a.role, "unit_id",
                         a.unit_id ? json_integer(a.unit_id) : json_null(),
                         "full_name", a.full_name),
               a.created_at, err);
    if (rc == MC_OK) {
        c->id = a.id;
    }
out:
    mc_arena_release(&ar);
    return rc;
}

static int
may_see(const struct mc_actor *actor, const struct mc_account *a)
{
    enum mc_role r = mc_role_parse(a->role);

    if (actor == NULL) {
        return 0;
    }
    if (is_admin(actor) || (actor->account_id != 0 &&
                            actor->account_id == a->id)) {
        return 1;
    }
    if (!mc_role_is_official(actor->role)) {
        return 0;
    }
    if (r == MC_ROLE_CITIZEN) {
        return 1;
    }
    return a->unit_id != 0 && mc_actor_covers(actor, a->unit_path);
}

int
mc_account_get(struct mc_db *db, const struct mc_actor *actor, int64_t id,
               struct mc_account *out, struct mc_err *err)
{
    int rc = mc_q_account_get(db, id, out, err);

    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_ENOTFOUND, 404, "account_not_found", NULL,
                          "no such account");
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (!may_see(actor, out)) {
        memset(out, 0, sizeof(*out));
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                          "this account is outside your scope");
    }
    return MC_OK;
}

int
mc_account_list(struct mc_db *db, const struct mc_actor *actor,
                int64_t unit_id, struct mc_arena *a, struct mc_account **out,
                size_t *n, struct mc_err *err)
{
    struct mc_unit u;
    int rc;

    *out = NULL;
    *n = 0;
    if (unit_id == 0) {
        if (!is_admin(actor)) {
            return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                              "only an administrator may list all "
                              "accounts");
        }
        return mc_q_account_list(db, NULL, a, out, n, err);
    }
    rc = mc_unit_get(db, unit_id, &u, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (actor == NULL || !mc_actor_covers(actor, u.path)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                          "this unit is outside your scope");
    }
    return mc_q_account_list(db, u.path, a, out, n, err);
}

int
mc_account_deactivate(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_account_deactivate *d = ctx;
    struct mc_account a;
    int64_t now = mc_now(), revoked = 0;
    int rc;

    if (!is_admin(d->actor) || d->actor->account_id == d->account_id) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "you may not deactivate this account");
    }
    rc = mc_q_account_get(db, d->account_id, &a, err);
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_ENOTFOUND, 404, "account_not_found", NULL,
                          "no such account");
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (!a.active) {
        return mc_err_set(err, MC_ECONFLICT, 409, "already_inactive", NULL,
                          "the account is already deactivated");
    }
    rc = mc_q_account_set_active(db, a.id, 0, err);
    if (rc == MC_OK) {
        rc = mc_q_session_revoke_account(db, a.id, now, &revoked, err);
    }
    if (rc == MC_OK) {
        rc = audit(db, d->actor->account_id, "account.deactivate", a.id,
                   json_pack("{s:s, s:I}", "username", a.username,
                             "sessions_revoked", (json_int_t)revoked),
                   now, err);
    }
    return rc;
}

json_t *
mc_account_json(const struct mc_account *a, int64_t now)
{
    enum mc_role r = mc_role_parse(a->role);

    return json_pack(
        "{s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:s?, s:s?, s:s?, s:s?, s:b, "
        "s:b, s:o}",
        "id", (json_int_t)a->id, "username", a->username, "role", a->role,
        "role_label", mc_role_label_vi(r), "unit_id",
        a->unit_id ? json_integer(a->unit_id) : json_null(), "unit_code",
        a->unit_code[0] ? json_string(a->unit_code) : json_null(),
        "full_name", a->full_name, "email", a->email[0] ? a->email : NULL,
        "phone", a->phone[0] ? a->phone : NULL, "id_number",
        a->id_number[0] ? a->id_number : NULL, "address",
        a->address[0] ? a->address : NULL, "active", a->active, "locked",
        a->locked_until > now, "created_at",
        mc_json_ts_value(a->created_at));
}

/* ---- login and sessions ---- */

int
mc_login_check(struct mc_db *db, struct mc_login *l, struct mc_err *err)
{
    char user[MC_USERNAME_MAX + 1], hash[MC_PASSWORD_HASH_MAX];
    struct mc_account a;
    int rc;

    l->account_id = 0;
    l->password_ok = 0;
    l->ok = 0;
    if (mc_account_username_valid(l->username)) {
        username_fold(l->username, user);
        rc = mc_q_account_by_username(db, user, &a, hash, sizeof(hash), err);
        if (rc != MC_OK && rc != MC_ENOTFOUND) {
            return rc;
        }
        if (rc == MC_OK) {
            l->account_id = a.id;
            if (a.active && a.locked_until <= mc_now()) {
                l->password_ok = mc_password_verify(l->password, hash);
            }
            memset(hash, 0, sizeof(hash));
            return MC_OK;
        }
    }
    /* Unknown user: spend the time a verification takes anyway. */
    if (l->password != NULL &&
        mc_password_hash(l->password, hash, sizeof(hash), NULL) != MC_OK) {
        hash[0] = '\0'; /* only the time spent matters */
    }
    return MC_OK;
}

static int
record_failure(struct mc_db *db, const struct mc_account *a, int64_t now,
               struct mc_err *err)
{
    int failed = a->failed_logins + 1;
    int64_t until = 0;
    int rc;

    if (failed >= MC_LOGIN_MAX_FAILURES) {
        until = now + MC_LOGIN_LOCK_SECS;
        failed = 0;
        mc_log_warn("account %" PRId64 " locked after %d failed logins",
                    a->id, MC_LOGIN_MAX_FAILURES);
    }
    rc = mc_q_account_set_login_state(db, a->id, failed, until, err);
    if (rc != MC_OK) {
        return rc;
    }
    return audit(db, 0, "account.login_failed", a->id,
                 json_pack("{s:i, s:o}", "failed_logins",
                           until ? MC_LOGIN_MAX_FAILURES : failed,
                           "locked_until",
                           until ? json_integer(until) : json_null()),
                 now, err);
}

/* Rate-limit key of the username: folded when valid, else as given. */
static const char *
user_key(const struct mc_login *l, char *buf)
{
    if (l->username != NULL && mc_account_username_valid(l->username)) {
        username_fold(l->username, buf);
        return buf;
    }
    return l->username;
}

/* One more failed login for the username and the client address. */
static int
count_failure(struct mc_db *db, struct mc_login *l, int64_t now,
              struct mc_err *err)
{
    char user[MC_USERNAME_MAX + 1];
    int rc;

    rc = mc_rate_hit(db, l->rate, MC_RATE_LOGIN_USER, user_key(l, user),
                     now, 0, &l->retry_after, err);
    if (rc == MC_OK) {
        rc = mc_rate_hit(db, l->rate, MC_RATE_LOGIN_IP, l->client_ip, now, 0,
                         &l->retry_after, err);
    }
    return rc;
}

static int
create_session(struct mc_db *db, struct mc_login *l,
               const struct mc_account *a, int64_t now, struct mc_err *err)
{
    char thash[MC_SHA256_HEX];
    int64_t sid = 0;
    int rc;

    rc = mc_token_new(l->token, sizeof(l->token));
    if (rc != MC_OK) {
        return mc_err_set(err, rc, 500, "internal", NULL,
                          "no random bytes for the session");
    }
    mc_sha256_hex(l->token, strlen(l->token), thash);
    l->expires_at = now + MC_SESSION_TTL;
    rc = mc_q_session_insert(db, thash, a->id, now, l->expires_at,
                             l->user_agent, &sid, err);
    if (rc == MC_OK && (a->failed_logins != 0 || a->locked_until != 0)) {
        rc = mc_q_account_set_login_state(db, a->id, 0, 0, err);
    }
    if (rc == MC_OK) {
        rc = audit(db, a->id, "session.create", a->id,
                   json_pack("{s:I, s:I}", "session_id", (json_int_t)sid,
                             "expires_at", (json_int_t)l->expires_at),
                   now, err);
    }
    if (rc != MC_OK) {
        memset(l->token, 0, sizeof(l->token));
        return rc;
    }
    memset(&l->actor, 0, sizeof(l->actor));
    l->actor.account_id = a->id;
    l->actor.role = mc_role_parse(a->role);
    l->actor.unit_id = a->unit_id;
    snprintf(l->actor.unit_path, sizeof(l->actor.unit_path), "%s",
             a->unit_path);
    snprintf(l->actor.username, sizeof(l->actor.username), "%s",
             a->username);
    l->ok = 1;
    return MC_OK;
}

int
mc_login_record(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_login *l = ctx;
    struct mc_account a;
    int64_t now = mc_now();
    int rc;

    l->ok = 0;
    l->token[0] = '\0';
    if (l->account_id == 0) {
        return count_failure(db, l, now, err);
    }
    rc = mc_q_account_get(db, l->account_id, &a, err);
    if (rc == MC_ENOTFOUND) {
        return count_failure(db, l, now, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (!a.active || a.locked_until > now) {
        return count_failure(db, l, now, err);
    }
    if (!l->password_ok) {
        rc = record_failure(db, &a, now, err);
        return rc == MC_OK ? count_failure(db, l, now, err) : rc;
    }
    return create_session(db, l, &a, now, err);
}

int
mc_login(struct mc_writer *w, struct mc_db *rdb, struct mc_login *l,
         struct mc_err *err)
{
    char user[MC_USERNAME_MAX + 1];
    int64_t now = mc_now();
    int rc;

    /* over a limit: refused before the password is even looked at */
    l->retry_after = 0;
    rc = mc_rate_check(rdb, l->rate, MC_RATE_LOGIN_USER, user_key(l, user),
                       now, &l->retry_after, err);
    if (rc == MC_OK) {
        rc = mc_rate_check(rdb, l->rate, MC_RATE_LOGIN_IP, l->client_ip, now,
                           &l->retry_after, err);
    }
    if (rc == MC_OK) {
        rc = mc_login_check(rdb, l, err);
    }
    if (rc == MC_OK && (l->account_id != 0 || l->rate != NULL)) {
        rc = mc_writer_run(w, mc_login_record, l, err);
    }
    l->password_ok = 0;
    if (rc != MC_OK) {
        return rc;
    }
    if (!l->ok) {
        return mc_err_set(err, MC_EAUTH, 401, "invalid_credentials", NULL,
                          GENERIC_LOGIN_MSG);
    }
    return MC_OK;
}

static int
token_shape_ok(const char *t)
{
    if (t == NULL || strlen(t) != MC_TOKEN_LEN) {
        return 0;
    }
    for (; *t; t++) {
        if (!((*t >= 'A' && *t <= 'Z') || (*t >= 'a' && *t <= 'z') ||
              (*t >= '0' && *t <= '9') || *t == '-' || *t == '_')) {
            return 0;
        }
    }
    return 1;
}

int
mc_session_lookup(struct mc_db *db, const char *token, struct mc_actor *out,
                  struct mc_err *err)
{
    struct mc_session_row s;
    char thash[MC_SHA256_HEX];
    uint64_t epoch;
    int64_t now;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!token_shape_ok(token)) {
        return mc_err_set(err, MC_EAUTH, 401, "invalid_session", NULL,
                          "not logged in or the session has expired");
    }
    mc_sha256_hex(token, strlen(token), thash);
    now = mc_now();
    if (mc_session_cache_get(thash, now, out)) {
        return MC_OK;
    }
    epoch = mc_session_cache_epoch(); /* before the query */
    rc = mc_q_session_lookup(db, thash, now, &s, err);
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_EAUTH, 401, "invalid_session", NULL,
                          "not logged in or the session has expired");
    }
    if (rc != MC_OK) {
        return rc;
    }
    out->account_id = s.account_id;
    out->role = mc_role_parse(s.role);
    out->unit_id = s.unit_id;
    snprintf(out->unit_path, sizeof(out->unit_path), "%s", s.unit_path);
    snprintf(out->username, sizeof(out->username), "%s", s.username);
    mc_session_cache_put(thash, out, s.expires_at, epoch);
    return MC_OK;
}

int
mc_session_revoke(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_logout *lo = ctx;
    char thash[MC_SHA256_HEX];
    int64_t sid = 0, aid = 0, now = mc_now();
    int rc;

    if (!token_shape_ok(lo->token)) {
        return mc_err_set(err, MC_EAUTH, 401, "invalid_session", NULL,
                          "not logged in or the session has expired");
    }
    mc_sha256_hex(lo->token, strlen(lo->token), thash);
    rc = mc_q_session_revoke(db, thash, now, &sid, &aid, err);
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_EAUTH, 401, "invalid_session", NULL,
                          "not logged in or the session has expired");
    }
    if (rc != MC_OK) {
        return rc;
    }
    return audit(db, aid, "session.revoke", aid,
                 json_pack("{s:I}", "session_id", (json_int_t)sid), now,
                 err);
}
