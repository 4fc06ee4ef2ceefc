/*
 * q_accounts.c - SQL of accounts and sessions (q_accounts.h).
 */
#include "db/q_accounts.h"
#include "db/q_memo.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

#define COLS                                                                  \
    "a.id, a.username, a.role, a.unit_id, u.code, u.path, a.full_name, "      \
    "a.email, a.phone, a.id_number, a.address, a.active, a.created_at, "      \
    "a.failed_logins, a.locked_until"
#define FROM " FROM accounts a LEFT JOIN units u ON u.id = a.unit_id "

static void
copy_text(char *dst, size_t dstsz, const char *src)
{
    snprintf(dst, dstsz, "%s", src != NULL ? src : "");
}

static const char *
or_null(const char *s)
{
    return s != NULL && *s != '\0' ? s : NULL;
}

static void
read_row(struct mc_stmt *st, struct mc_account *a)
{
    memset(a, 0, sizeof(*a));
    a->id = mc_stmt_i64(st, 0);
    copy_text(a->username, sizeof(a->username), mc_stmt_text(st, 1));
    copy_text(a->role, sizeof(a->role), mc_stmt_text(st, 2));
    a->unit_id = mc_stmt_isnull(st, 3) ? 0 : mc_stmt_i64(st, 3);
    copy_text(a->unit_code, sizeof(a->unit_code), mc_stmt_text(st, 4));
    copy_text(a->unit_path, sizeof(a->unit_path), mc_stmt_text(st, 5));
    copy_text(a->full_name, sizeof(a->full_name), mc_stmt_text(st, 6));
    copy_text(a->email, sizeof(a->email), mc_stmt_text(st, 7));
    copy_text(a->phone, sizeof(a->phone), mc_stmt_text(st, 8));
    copy_text(a->id_number, sizeof(a->id_number), mc_stmt_text(st, 9));
    copy_text(a->address, sizeof(a->address), mc_stmt_text(st, 10));
    a->active = mc_stmt_i64(st, 11) != 0;
    a->created_at = mc_stmt_i64(st, 12);
    a->failed_logins = (int)mc_stmt_i64(st, 13);
    a->locked_until = mc_stmt_i64(st, 14);
}

int
mc_q_account_insert(struct mc_db *db, const struct mc_account *a,
                    const char *password_hash, const char *search_key,
                    int64_t *id, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "INSERT INTO accounts(username, password_hash, role, "
                    "unit_id, full_name, search_key, email, phone, "
                    "id_number, address, active, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "RETURNING id",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "tttzttttttIi", a->username, password_hash, a->role,
                  a->unit_id, a->full_name, search_key, or_null(a->email),
                  or_null(a->phone), or_null(a->id_number),
                  or_null(a->address), a->active ? 1 : 0, a->created_at);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *id = mc_stmt_i64(st, 0);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_EDB, 500, "database_error", NULL,
                        "insert returned no id");
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_account_get(struct mc_db *db, int64_t id, struct mc_account *out,
                 struct mc_err *err)
{
    /* the fast load's accounts do not change: read once (q_memo.h) */
    const struct mc_account *m =
        mc_q_memo_row(db, MC_Q_MEMO_ACCOUNT, id, NULL);
    struct mc_stmt *st;
    int rc;

    if (m != NULL) {
        *out = *m;
        return MC_OK;
    }
    st = mc_db_prep(db, "SELECT " COLS FROM "WHERE a.id = ?", err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bind_i64(st, 1, id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        read_row(st, out);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    if (rc == MC_OK) {
        (void)mc_q_memo_row_put(db, MC_Q_MEMO_ACCOUNT, id, NULL, out,
                                sizeof(*out));
    }
    return rc;
}

int
mc_q_account_by_username(struct mc_db *db, const char *username,
                         struct mc_account *out, char *hash, size_t hashsz,
                         struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "SELECT " COLS ", a.password_hash" FROM
                    "WHERE a.username = ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bind_text(st, 1, username);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        read_row(st, out);
        if (hash != NULL) {
            copy_text(hash, hashsz, mc_stmt_text(st, 15));
        }
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_account_list(struct mc_db *db, const char *path, struct mc_arena *a,
                  struct mc_account **out, size_t *n, struct mc_err *err)
{
    char pattern[MC_UNIT_PATH_LEN + 2];
    struct mc_stmt *st;
    struct mc_buf b;
    int rc;

    *out = NULL;
    *n = 0;
    if (path == NULL) {
        st = mc_db_prep(db, "SELECT " COLS FROM "ORDER BY a.username", err);
    } else {
        st = mc_db_prep(db,
                        "SELECT " COLS FROM "WHERE u.path LIKE ? "
                        "ORDER BY a.username",
                        err);
    }
    if (st == NULL) {
        return MC_EDB;
    }
    if (path != NULL) {
        /* Paths hold only digits and '/': no LIKE escaping needed. */
        snprintf(pattern, sizeof(pattern), "%s%%", path);
        mc_stmt_bind_text(st, 1, pattern);
    }
    mc_buf_init(&b, (size_t)MC_ACCOUNTS_LIST_MAX * sizeof(struct mc_account));
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_account acc;

        read_row(st, &acc);
        rc = mc_buf_add(&b, &acc, sizeof(acc));
        if (rc != MC_OK) {
            rc = mc_err_set(err, rc, rc == MC_ETOOBIG ? 413 : 503,
                            rc == MC_ETOOBIG ? "too_many_rows"
                                             : "out_of_memory",
                            NULL, "cannot list the accounts");
            goto out;
        }
    }
    if (rc != MC_DB_DONE) {
        goto out;
    }
    rc = MC_OK;
    if (b.len > 0) {
        *out = mc_arena_alloc(a, b.len);
        if (*out == NULL) {
            rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                            "out of memory");
            goto out;
        }
        memcpy(*out, b.data, b.len);
        *n = b.len / sizeof(struct mc_account);
    }
out:
    mc_stmt_done(st);
    mc_buf_release(&b);
    return rc;
}

int
mc_q_account_set_active(struct mc_db *db, int64_t id, int active,
                        struct mc_err *err)
{
    int rc = mc_db_run(db, err, "UPDATE accounts SET active = ? WHERE id = ?",
                       "Ii", active ? 1 : 0, id);

    mc_db_auth_changed(db); /* sessions of this account */
    if (rc == MC_OK && mc_db_changes(db) == 0) {
        rc = MC_ENOTFOUND;
    }
    return rc;
}

int
mc_q_account_set_login_state(struct mc_db *db, int64_t id, int failed,
                             int64_t locked_until, struct mc_err *err)
{
    return mc_db_run(db, err,
                     "UPDATE accounts SET failed_logins = ?, "
                     "locked_until = ? WHERE id = ?",
                     "Iii", failed, locked_until, id);
}

int
mc_q_session_insert(struct mc_db *db, const char *token_hash,
                    int64_t account_id, int64_t created_at,
                    int64_t expires_at, const char *user_agent, int64_t *id,
                    struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "INSERT INTO sessions(token_hash, account_id, "
                    "created_at, expires_at, user_agent) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "tiiit", token_hash, account_id, created_at,
                  expires_at, or_null(user_agent));
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *id = mc_stmt_i64(st, 0);
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = mc_err_set(err, MC_EDB, 500, "database_error", NULL,
                        "insert returned no id");
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_session_lookup(struct mc_db *db, const char *token_hash, int64_t now,
                    struct mc_session_row *out, struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "SELECT s.id, a.id, s.expires_at, a.username, a.role, "
                    "a.unit_id, u.path FROM sessions s "
                    "JOIN accounts a ON a.id = s.account_id "
                    "LEFT JOIN units u ON u.id = a.unit_id "
                    "WHERE s.token_hash = ? AND s.revoked_at IS NULL "
                    "AND s.expires_at > ? AND a.active = 1",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ti", token_hash, now);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        memset(out, 0, sizeof(*out));
        out->session_id = mc_stmt_i64(st, 0);
        out->account_id = mc_stmt_i64(st, 1);
        out->expires_at = mc_stmt_i64(st, 2);
        copy_text(out->username, sizeof(out->username), mc_stmt_text(st, 3));
        copy_text(out->role, sizeof(out->role), mc_stmt_text(st, 4));
        out->unit_id = mc_stmt_isnull(st, 5) ? 0 : mc_stmt_i64(st, 5);
        copy_text(out->unit_path, sizeof(out->unit_path),
                  mc_stmt_text(st, 6));
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_q_session_revoke(struct mc_db *db, const char *token_hash, int64_t now,
                    int64_t *session_id, int64_t *account_id,
                    struct mc_err *err)
{
    struct mc_stmt *st;
    int rc;

    st = mc_db_prep(db,
                    "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? "
                    "AND revoked_at IS NULL RETURNING id, account_id",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "it", now, token_hash);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *session_id = mc_stmt_i64(st, 0);
        *account_id = mc_stmt_i64(st, 1);
        /* Finish the statement so the UPDATE completes. */
        while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        }
        rc = rc == MC_DB_DONE ? MC_OK : rc;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    mc_db_auth_changed(db); /* after the statement completes */
    return rc;
}

int
mc_q_session_revoke_account(struct mc_db *db, int64_t account_id,
                            int64_t now, int64_t *count, struct mc_err *err)
{
    int rc = mc_db_run(db, err,
                       "UPDATE sessions SET revoked_at = ? WHERE "
                       "account_id = ? AND revoked_at IS NULL",
                       "ii", now, account_id);

    mc_db_auth_changed(db);
    if (rc == MC_OK && count != NULL) {
        *count = mc_db_changes(db);
    }
    return rc;
}
