/*
 * q_accounts.h - SQL of accounts and sessions (tables accounts, sessions
 * of 001_core.sql).
 *
 * The record type struct mc_account lives here so the db layer can fill
 * it; domain/account.h adds the rules on top. Password hashes never leave
 * this module except through mc_q_account_by_username's hash out-param.
 */
#ifndef MC_DB_Q_ACCOUNTS_H
#define MC_DB_Q_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/q_units.h"
#include "util/arena.h"
#include "util/err.h"

#define MC_ACCOUNT_USERNAME_MAX 64
#define MC_ACCOUNT_ROLE_MAX 16
#define MC_ACCOUNT_NAME_MAX 256
#define MC_ACCOUNT_EMAIL_MAX 256
#define MC_ACCOUNT_PHONE_MAX 24
#define MC_ACCOUNT_IDNUM_MAX 24
#define MC_ACCOUNT_ADDRESS_MAX 512
#define MC_ACCOUNTS_LIST_MAX 20000

struct mc_account {
    int64_t id;
    char username[MC_ACCOUNT_USERNAME_MAX];
    char role[MC_ACCOUNT_ROLE_MAX];       /* "citizen", "desk", ... */
    int64_t unit_id;                      /* 0 when none */
    char unit_code[MC_UNIT_CODE_MAX];     /* "" when none */
    char unit_path[MC_UNIT_PATH_LEN];     /* "" when none */
    char full_name[MC_ACCOUNT_NAME_MAX];
    char email[MC_ACCOUNT_EMAIL_MAX];     /* "" when none */
    char phone[MC_ACCOUNT_PHONE_MAX];
    char id_number[MC_ACCOUNT_IDNUM_MAX]; /* CCCD / tax code */
    char address[MC_ACCOUNT_ADDRESS_MAX];
    int active;
    int64_t created_at;
    int failed_logins;
    int64_t locked_until;                 /* 0 = not locked */
};

/* What a valid session resolves to. */
struct mc_session_row {
    int64_t session_id;
    int64_t account_id;
    int64_t expires_at;
    char username[MC_ACCOUNT_USERNAME_MAX];
    char role[MC_ACCOUNT_ROLE_MAX];
    int64_t unit_id;
    char unit_path[MC_UNIT_PATH_LEN];
};

/*
 * Insert account a (borrowed; id, unit_code, unit_path, failed_logins and
 * locked_until ignored; empty optional strings stored as NULL) with the
 * password hash and search key. *id receives the new id. MC_ECONFLICT when
 * the username is taken or the unit does not exist.
 */
int mc_q_account_insert(struct mc_db *db, const struct mc_account *a,
                        const char *password_hash, const char *search_key,
                        int64_t *id, struct mc_err *err) MC_WUR;

/* Account by id into *out. MC_ENOTFOUND (err untouched) when absent. */
int mc_q_account_get(struct mc_db *db, int64_t id, struct mc_account *out,
                     struct mc_err *err) MC_WUR;
/*
 * Account by exact username into *out; when hash is not NULL the stored
 * password hash is copied there (hashsz bytes). MC_ENOTFOUND when absent.
 */
int mc_q_account_by_username(struct mc_db *db, const char *username,
                             struct mc_account *out, char *hash,
                             size_t hashsz, struct mc_err *err) MC_WUR;

/*
 * Accounts whose unit path starts with path (NULL: every account), by
 * username. *out (n entries) allocated in arena a. MC_ETOOBIG past
 * MC_ACCOUNTS_LIST_MAX.
 */
int mc_q_account_list(struct mc_db *db, const char *path, struct mc_arena *a,
                      struct mc_account **out, size_t *n,
                      struct mc_err *err) MC_WUR;

/* Set active (0/1). MC_ENOTFOUND when no such account. */
int mc_q_account_set_active(struct mc_db *db, int64_t id, int active,
                            struct mc_err *err) MC_WUR;
/* Set the failed-login counter and lock instant. */
int mc_q_account_set_login_state(struct mc_db *db, int64_t id, int failed,
                                 int64_t locked_until,
                                 struct mc_err *err) MC_WUR;

/* Insert a session; *id receives its id. user_agent may be NULL. */
int mc_q_session_insert(struct mc_db *db, const char *token_hash,
                        int64_t account_id, int64_t created_at,
                        int64_t expires_at, const char *user_agent,
                        int64_t *id, struct mc_err *err) MC_WUR;
/*
 * The session with this token hash if it is not revoked, expires after
 * now and its account is active. MC_ENOTFOUND (err untouched) otherwise.
 */
int mc_q_session_lookup(struct mc_db *db, const char *token_hash,
                        int64_t now, struct mc_session_row *out,
                        struct mc_err *err) MC_WUR;
/*
 * Revoke the unrevoked session with this token hash at now; its id and
 * account into *session_id, *account_id. MC_ENOTFOUND when none.
 */
int mc_q_session_revoke(struct mc_db *db, const char *token_hash, int64_t now,
                        int64_t *session_id, int64_t *account_id,
                        struct mc_err *err) MC_WUR;
/* Revoke every open session of an account; *count (may be NULL) = how
 * many. */
int mc_q_session_revoke_account(struct mc_db *db, int64_t account_id,
                                int64_t now, int64_t *count,
                                struct mc_err *err) MC_WUR;

#endif
