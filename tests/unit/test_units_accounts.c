/*
 * test_units_accounts.c - unit tree and scope, account rules, login
 * lockout, sessions, demo seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/writer.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/mctime.h"
#include "testdb.h"

struct fx {
    struct mc_test_db t;
    struct mc_arena a;
};

static const struct mc_actor sys = {0, MC_ROLE_SYSTEM, 0, "", "system"};
static const struct mc_actor anon = {0, MC_ROLE_NONE, 0, "", ""};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (f == NULL || mc_test_db_open(&f->t, "mc_test_ua", 0) != 0) {
        return -1;
    }
    mc_clock_set_offset(0);
    mc_arena_init(&f->a, 64 << 20);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    mc_clock_set_offset(0);
    mc_arena_release(&f->a);
    mc_test_db_close(&f->t);
    free(f);
    return 0;
}

/* Result of a COUNT(*) query (test inspection of stored rows). */
static int64_t
count(struct fx *f, const char *sql)
{
    struct mc_err err;
    int64_t n = -1;

    assert_int_equal(mc_db_i64(f->t.db, &n, &err, sql, ""), MC_OK);
    return n;
}

static int
mk_unit(struct fx *f, const struct mc_actor *who, int64_t parent,
        const char *code, const char *name, const char *kind, int64_t to,
        int64_t *id, struct mc_err *err)
{
    struct mc_unit_create c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.actor = who;
    c.parent_id = parent;
    c.code = code;
    c.name = name;
    c.kind = kind;
    c.valid_to = to;
    mc_err_clear(err);
    rc = mc_writer_run(f->t.w, mc_unit_create, &c, err);
    if (id != NULL) {
        *id = c.id;
    }
    return rc;
}

static int
mk_account(struct fx *f, const struct mc_actor *who, const char *user,
           const char *pw, enum mc_role role, int64_t unit, int64_t *id,
           struct mc_err *err)
{
    struct mc_account_create c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.actor = who;
    c.username = user;
    c.full_name = "Nguyễn Thị Bình";
    c.role = role;
    c.unit_id = unit;
    mc_err_clear(err);
    rc = mc_account_create_set_password(&c, pw, err);
    if (rc == MC_OK) {
        rc = mc_writer_run(f->t.w, mc_account_create, &c, err);
    }
    if (id != NULL) {
        *id = c.id;
    }
    return rc;
}

/* City 1 -> {commune A, commune B -> sub-unit}, plus a historical district. */
struct tree {
    int64_t city, a, b, bsub, old;
};

static void
mk_tree(struct fx *f, struct tree *t)
{
    struct mc_err err;
    const int64_t old_end = 1751302800; /* 2025-07-01T00:00+07:00 */

    assert_int_equal(mk_unit(f, &sys, 0, "H26", "Thành phố Hà Nội",
                             "province", 0, &t->city, &err), MC_OK);
    assert_int_equal(mk_unit(f, &sys, t->city, "H26.00004", "Phường Ba Đình",
                             "commune", 0, &t->a, &err), MC_OK);
    assert_int_equal(mk_unit(f, &sys, t->city, "H26.00070",
                             "Phường Hoàn Kiếm", "commune", 0, &t->b, &err),
                     MC_OK);
    assert_int_equal(mk_unit(f, &sys, t->b, "H26.00070.MC",
                             "Bộ phận Một cửa Phường Hoàn Kiếm", "desk", 0,
                             &t->bsub, &err), MC_OK);
    assert_int_equal(mk_unit(f, &sys, t->city, "H26.001", "Quận Ba Đình",
                             "district", old_end, &t->old, &err), MC_OK);
}

static void
test_unit_tree_paths(void **state)
{
    struct fx *f = *state;
    struct tree t;
    struct mc_unit u;
    struct mc_err err;
    char want[64];

    mk_tree(f, &t);
    assert_int_equal(mc_unit_get(f->t.db, t.city, &u, &err), MC_OK);
    snprintf(want, sizeof(want), "/%lld/", (long long)t.city);
    assert_string_equal(u.path, want);
    assert_int_equal(u.depth, 0);
    assert_int_equal(u.parent_id, 0);
    assert_int_equal(mc_unit_get_by_code(f->t.db, "H26.00070.MC", &u, &err),
                     MC_OK);
    snprintf(want, sizeof(want), "/%lld/%lld/%lld/", (long long)t.city,
             (long long)t.b, (long long)t.bsub);
    assert_string_equal(u.path, want);
    assert_int_equal(u.depth, 2);
    assert_int_equal(u.parent_id, t.b);
    assert_string_equal(u.name, "Bộ phận Một cửa Phường Hoàn Kiếm");
    assert_int_equal(mc_unit_get(f->t.db, 999999, &u, &err), MC_ENOTFOUND);
    assert_int_equal(err.status, 404);
    assert_int_equal(mc_unit_get_by_code(f->t.db, "bad code", &u, &err),
                     MC_ENOTFOUND);
}

static void
test_unit_create_rules(void **state)
{
    struct fx *f = *state;
    struct tree t;
    struct mc_err err;
    struct mc_actor desk = {5, MC_ROLE_DESK, 1, "/1/", "x"};
    int64_t n = 0, id = 0;

    mk_tree(f, &t);
    assert_int_equal(mk_unit(f, &desk, t.city, "H26.X", "X", "commune", 0,
                             NULL, &err),
                     MC_EFORBIDDEN);
    assert_int_equal(mk_unit(f, &sys, t.city, "H26.00004", "Dup", "commune",
                             0, NULL, &err),
                     MC_ECONFLICT);
    assert_string_equal(err.code, "duplicate_code");
    assert_int_equal(mk_unit(f, &sys, t.city, "h26.lower", "X", "commune", 0,
                             NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "code");
    assert_int_equal(mk_unit(f, &sys, t.city, "H26..X", "X", "commune", 0,
                             NULL, &err),
                     MC_EINVAL);
    assert_int_equal(mk_unit(f, &sys, t.city, "H26-X", "X", "commune", 0,
                             NULL, &err),
                     MC_EINVAL);
    assert_int_equal(mk_unit(f, &sys, t.city,
                             "H26.0123456789.0123456789.0123456789", "X",
                             "commune", 0, NULL, &err),
                     MC_EINVAL);
    assert_int_equal(mk_unit(f, &sys, t.city, "H26.Y", "   ", "commune", 0,
                             NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "name");
    assert_int_equal(mk_unit(f, &sys, t.city, "H26.Y", "Y", "village", 0,
                             NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "kind");
    assert_int_equal(mk_unit(f, &sys, 0, "H27", "Root commune", "commune", 0,
                             NULL, &err),
                     MC_EINVAL);
    assert_int_equal(mk_unit(f, &sys, t.city, "H28", "Nested province",
                             "province", 0, NULL, &err),
                     MC_EINVAL);
    assert_int_equal(mk_unit(f, &sys, 424242, "H26.Z", "Z", "commune", 0,
                             NULL, &err),
                     MC_ENOTFOUND);
    /* Nothing of the failed writes remains. */
    assert_int_equal(mc_q_unit_count(f->t.db, NULL, &n, &err), MC_OK);
    assert_int_equal(n, 5);
    /* A 35-character code is fine. */
    assert_int_equal(mk_unit(f, &sys, t.city,
                             "H26.0123456789.0123456789.012345678", "Long",
                             "other", 0, &id, &err),
                     MC_OK);
    /* Every unit created was audited and the chain holds. */
    {
        int64_t count = 0, bad = 0;
        assert_int_equal(mc_audit_verify(f->t.db, &count, &bad, &err), MC_OK);
        assert_int_equal(count, 6);
    }
}

static void
test_unit_subtree_scope(void **state)
{
    struct fx *f = *state;
    struct tree t;
    struct mc_err err;
    struct mc_unit *list;
    struct mc_unit u;
    size_t n;
    struct mc_actor off = {7, MC_ROLE_SPECIALIST, 0, "", "cv"};
    struct mc_actor cit = {8, MC_ROLE_CITIZEN, 0, "", "cd"};
    struct mc_actor adm = {9, MC_ROLE_ADMIN, 0, "", "ad"};

    mk_tree(f, &t);
    assert_int_equal(mc_unit_get(f->t.db, t.b, &u, &err), MC_OK);
    off.unit_id = t.b;
    snprintf(off.unit_path, sizeof(off.unit_path), "%s", u.path);

    assert_int_equal(mc_unit_subtree(f->t.db, &off, t.b, &f->a, &list, &n,
                                     &err),
                     MC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, t.b);
    assert_int_equal(list[1].id, t.bsub);
    assert_int_equal(mc_unit_subtree(f->t.db, &off, t.bsub, &f->a, &list, &n,
                                     &err),
                     MC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(mc_unit_subtree(f->t.db, &off, t.a, &f->a, &list, &n,
                                     &err),
                     MC_EFORBIDDEN);
    assert_int_equal(mc_unit_subtree(f->t.db, &off, t.city, &f->a, &list, &n,
                                     &err),
                     MC_EFORBIDDEN);
    assert_int_equal(mc_unit_subtree(f->t.db, &cit, t.b, &f->a, &list, &n,
                                     &err),
                     MC_EFORBIDDEN);
    assert_int_equal(mc_unit_subtree(f->t.db, &adm, t.city, &f->a, &list, &n,
                                     &err),
                     MC_OK);
    assert_int_equal(n, 5);
    assert_int_equal(list[0].id, t.city);

    assert_int_equal(mc_unit_children(f->t.db, t.city, &f->a, &list, &n,
                                      &err),
                     MC_OK);
    assert_int_equal(n, 3);
    assert_int_equal(mc_unit_children(f->t.db, 0, &f->a, &list, &n, &err),
                     MC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(mc_unit_children(f->t.db, t.a, &f->a, &list, &n, &err),
                     MC_OK);
    assert_int_equal(n, 0);
}

static void
test_unit_search_and_json(void **state)
{
    struct fx *f = *state;
    struct tree t;
    struct mc_err err;
    struct mc_unit *list;
    size_t n;
    json_t *j;

    mk_tree(f, &t);
    assert_int_equal(mc_unit_search(f->t.db, "ba dinh", 0, 10, &f->a, &list,
                                    &n, &err),
                     MC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "Phường Ba Đình");
    assert_int_equal(mc_unit_search(f->t.db, "BA  ĐÌNH",
                                    MC_UNIT_INCLUDE_HISTORICAL, 10, &f->a,
                                    &list, &n, &err),
                     MC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(mc_unit_search(f->t.db, "hoàn kiếm", 0, 10, &f->a, &list,
                                    &n, &err),
                     MC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(mc_unit_search(f->t.db, "%", 0, 10, &f->a, &list, &n,
                                    &err),
                     MC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(mc_unit_search(f->t.db, "", 0, 2, &f->a, &list, &n, &err),
                     MC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(mc_unit_search(f->t.db, "\xff", 0, 2, &f->a, &list, &n,
                                    &err),
                     MC_EINVAL);

    assert_int_equal(mc_unit_search(f->t.db, "quan ba dinh",
                                    MC_UNIT_INCLUDE_HISTORICAL, 10, &f->a,
                                    &list, &n, &err),
                     MC_OK);
    assert_int_equal(n, 1);
    j = mc_unit_json(&list[0]);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "code")),
                        "H26.001");
    assert_string_equal(json_string_value(json_object_get(j, "kind")),
                        "district");
    assert_true(json_is_false(json_object_get(j, "current")));
    assert_string_equal(json_string_value(json_object_get(j, "valid_to")),
                        "2025-07-01T00:00:00+07:00");
    assert_true(json_is_null(json_object_get(j, "valid_from")));
    assert_true(json_is_null(json_object_get(j, "gso_code")));
    assert_int_equal(json_integer_value(json_object_get(j, "parent_id")),
                     t.city);
    json_decref(j);
}

static void
test_account_rules(void **state)
{
    struct fx *f = *state;
    struct tree t;
    struct mc_err err;
    struct mc_actor desk = {5, MC_ROLE_DESK, 1, "/1/", "x"};
    int64_t id = 0;

    mk_tree(f, &t);
    assert_int_equal(mk_account(f, &sys, "cd1", "matkhau123", MC_ROLE_CITIZEN,
                                t.a, NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "unit_id");
    assert_int_equal(mk_account(f, &sys, "desk1", "matkhau123", MC_ROLE_DESK,
                                0, NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "unit_id");
    assert_int_equal(mk_account(f, &sys, "desk1", "matkhau123", MC_ROLE_DESK,
                                t.old, NULL, &err),
                     MC_EINVAL);
    assert_int_equal(mk_account(f, &sys, "desk1", "matkhau123", MC_ROLE_DESK,
                                777777, NULL, &err),
                     MC_EINVAL);
    assert_int_equal(mk_account(f, &sys, "desk1", "short", MC_ROLE_DESK, t.a,
                                NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "password");
    assert_int_equal(mk_account(f, &sys, "x", "matkhau123", MC_ROLE_CITIZEN,
                                0, NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "username");
    assert_int_equal(mk_account(f, &sys, ".dot", "matkhau123",
                                MC_ROLE_CITIZEN, 0, NULL, &err),
                     MC_EINVAL);
    assert_int_equal(mk_account(f, &sys, "có dấu", "matkhau123",
                                MC_ROLE_CITIZEN, 0, NULL, &err),
                     MC_EINVAL);
    assert_int_equal(mk_account(f, &sys, "desk1", "matkhau123",
                                MC_ROLE_SYSTEM, t.a, NULL, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "role");
    /* Officials and admins may not be created by non-admins. */
    assert_int_equal(mk_account(f, &desk, "desk1", "matkhau123",
                                MC_ROLE_DESK, t.a, NULL, &err),
                     MC_EFORBIDDEN);
    assert_int_equal(mk_account(f, &anon, "desk1", "matkhau123",
                                MC_ROLE_DESK, t.a, NULL, &err),
                     MC_EFORBIDDEN);
    /* Anonymous self-registration of a citizen is allowed. */
    assert_int_equal(mk_account(f, &anon, "Cong.Dan_1", "matkhau123",
                                MC_ROLE_CITIZEN, 0, &id, &err),
                     MC_OK);
    assert_true(id > 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit WHERE action = "
                              "'account.create' AND "
                              "object = 'account:' || actor_id"),
                     1);
    /* Usernames are case-insensitive. */
    assert_int_equal(mk_account(f, &sys, "CONG.DAN_1", "matkhau123",
                                MC_ROLE_CITIZEN, 0, NULL, &err),
                     MC_ECONFLICT);
    assert_string_equal(err.code, "username_taken");
    assert_int_equal(mk_account(f, &sys, "desk1", "matkhau123", MC_ROLE_DESK,
                                t.a, NULL, &err),
                     MC_OK);
    assert_int_equal(mk_account(f, &sys, "admin2", "matkhau123",
                                MC_ROLE_ADMIN, 0, NULL, &err),
                     MC_OK);
    assert_int_equal(mk_account(f, &sys, "portal", "matkhau123",
                                MC_ROLE_PARTNER, 0, NULL, &err),
                     MC_OK);
    /* No password or hash ever reaches the audit trail. */
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit WHERE payload "
                       "LIKE '%matkhau%' OR payload LIKE "
                       "'%argon2%'"),
                     0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit WHERE action = "
                       "'account.create'"),
                     4);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM accounts WHERE "
                       "username = 'cong.dan_1' AND password_hash "
                       "LIKE '$argon2id$%'"),
                     1);
}

static void
test_account_get_list_scope(void **state)
{
    struct fx *f = *state;
    struct tree t;
    struct mc_err err;
    struct mc_account acc, *list;
    struct mc_unit u;
    size_t n;
    int64_t da, db_, cz;
    struct mc_actor offa = {0, MC_ROLE_LEADER, 0, "", "la"};
    struct mc_actor self = {0, MC_ROLE_CITIZEN, 0, "", "cz"};
    json_t *j;

    mk_tree(f, &t);
    assert_int_equal(mk_account(f, &sys, "desk.a", "matkhau123",
                                MC_ROLE_DESK, t.a, &da, &err),
                     MC_OK);
    assert_int_equal(mk_account(f, &sys, "desk.b", "matkhau123",
                                MC_ROLE_DESK, t.bsub, &db_, &err),
                     MC_OK);
    assert_int_equal(mk_account(f, &sys, "citizen1", "matkhau123",
                                MC_ROLE_CITIZEN, 0, &cz, &err),
                     MC_OK);
    assert_int_equal(mc_unit_get(f->t.db, t.a, &u, &err), MC_OK);
    offa.unit_id = t.a;
    snprintf(offa.unit_path, sizeof(offa.unit_path), "%s", u.path);
    self.account_id = cz;

    assert_int_equal(mc_account_get(f->t.db, &offa, da, &acc, &err), MC_OK);
    assert_string_equal(acc.username, "desk.a");
    assert_string_equal(acc.unit_code, "H26.00004");
    assert_int_equal(mc_account_get(f->t.db, &offa, db_, &acc, &err),
                     MC_EFORBIDDEN);
    assert_int_equal(mc_account_get(f->t.db, &offa, cz, &acc, &err), MC_OK);
    assert_int_equal(mc_account_get(f->t.db, &self, cz, &acc, &err), MC_OK);
    assert_int_equal(mc_account_get(f->t.db, &self, da, &acc, &err),
                     MC_EFORBIDDEN);
    assert_int_equal(mc_account_get(f->t.db, &sys, 4242, &acc, &err),
                     MC_ENOTFOUND);

    assert_int_equal(mc_account_list(f->t.db, &sys, t.city, &f->a, &list, &n,
                                     &err),
                     MC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(mc_account_list(f->t.db, &sys, t.b, &f->a, &list, &n,
                                     &err),
                     MC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].username, "desk.b");
    assert_int_equal(mc_account_list(f->t.db, &offa, t.a, &f->a, &list, &n,
                                     &err),
                     MC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(mc_account_list(f->t.db, &offa, t.b, &f->a, &list, &n,
                                     &err),
                     MC_EFORBIDDEN);
    assert_int_equal(mc_account_list(f->t.db, &offa, 0, &f->a, &list, &n,
                                     &err),
                     MC_EFORBIDDEN);
    assert_int_equal(mc_account_list(f->t.db, &sys, 0, &f->a, &list, &n, &err),
                     MC_OK);
    assert_int_equal(n, 3);

    assert_int_equal(mc_account_get(f->t.db, &sys, da, &acc, &err), MC_OK);
    j = mc_account_json(&acc, mc_now());
    assert_non_null(j);
    assert_null(json_object_get(j, "password_hash"));
    assert_string_equal(json_string_value(json_object_get(j, "role")),
                        "desk");
    assert_string_equal(json_string_value(json_object_get(j, "full_name")),
                        "Nguyễn Thị Bình");
    assert_true(json_is_false(json_object_get(j, "locked")));
    json_decref(j);
}

static int
do_login(struct fx *f, const char *user, const char *pw, struct mc_login *l,
         struct mc_err *err)
{
    memset(l, 0, sizeof(*l));
    l->username = user;
    l->password = pw;
    l->user_agent = "cmocka";
    mc_err_clear(err);
    return mc_login(f->t.w, f->t.db, l, err);
}

static void
test_login_lockout(void **state)
{
    struct fx *f = *state;
    struct tree t;
    struct mc_err err, err_unknown;
    struct mc_login l;
    struct mc_account acc;
    int64_t id;

    mk_tree(f, &t);
    assert_int_equal(mk_account(f, &sys, "desk.a", "matkhau123",
                                MC_ROLE_DESK, t.a, &id, &err),
                     MC_OK);
    assert_int_equal(do_login(f, "nobody", "matkhau123", &l, &err_unknown),
                     MC_EAUTH);
    assert_int_equal(err_unknown.status, 401);
    /* Two failures, then a success resets the counter. */
    assert_int_equal(do_login(f, "desk.a", "wrong-pass", &l, &err), MC_EAUTH);
    assert_string_equal(err.message, err_unknown.message);
    assert_string_equal(err.code, err_unknown.code);
    assert_int_equal(do_login(f, "desk.a", "wrong-pass", &l, &err), MC_EAUTH);
    assert_int_equal(mc_account_get(f->t.db, &sys, id, &acc, &err), MC_OK);
    assert_int_equal(acc.failed_logins, 2);
    assert_int_equal(do_login(f, "DESK.A", "matkhau123", &l, &err), MC_OK);
    assert_int_equal(mc_account_get(f->t.db, &sys, id, &acc, &err), MC_OK);
    assert_int_equal(acc.failed_logins, 0);
    /* Five failures in a row lock the account. */
    for (int i = 0; i < 4; i++) {
        assert_int_equal(do_login(f, "desk.a", "wrong-pass", &l, &err),
                         MC_EAUTH);
    }
    assert_int_equal(mc_account_get(f->t.db, &sys, id, &acc, &err), MC_OK);
    assert_int_equal(acc.locked_until, 0);
    assert_int_equal(do_login(f, "desk.a", "wrong-pass", &l, &err), MC_EAUTH);
    assert_int_equal(mc_account_get(f->t.db, &sys, id, &acc, &err), MC_OK);
    assert_true(acc.locked_until > mc_now() + MC_LOGIN_LOCK_SECS - 5);
    /* Locked: even the right password fails, with the same message. */
    assert_int_equal(do_login(f, "desk.a", "matkhau123", &l, &err), MC_EAUTH);
    assert_string_equal(err.message, err_unknown.message);
    assert_int_equal(l.token[0], '\0');
    mc_clock_set_offset(MC_LOGIN_LOCK_SECS - 60);
    assert_int_equal(do_login(f, "desk.a", "matkhau123", &l, &err), MC_EAUTH);
    mc_clock_set_offset(MC_LOGIN_LOCK_SECS + 1);
    assert_int_equal(do_login(f, "desk.a", "matkhau123", &l, &err), MC_OK);
    assert_int_equal(strlen(l.token), MC_TOKEN_LEN);
    assert_int_equal(mc_account_get(f->t.db, &sys, id, &acc, &err), MC_OK);
    assert_int_equal(acc.failed_logins, 0);
    assert_int_equal(acc.locked_until, 0);
    /* Failures were audited, the chain holds. */
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit WHERE action = "
                       "'account.login_failed'"),
                     7);
    {
        int64_t count = 0, bad = 0;
        assert_int_equal(mc_audit_verify(f->t.db, &count, &bad, &err), MC_OK);
    }
}

static void
test_session_lifecycle(void **state)
{
    struct fx *f = *state;
    struct tree t;
    struct mc_err err;
    struct mc_login l, l2;
    struct mc_actor act;
    struct mc_unit u;
    struct mc_logout lo;
    int64_t id, t0;
    char h[MC_SHA256_HEX], sql[200];

    mk_tree(f, &t);
    assert_int_equal(mk_account(f, &sys, "desk.b", "matkhau123",
                                MC_ROLE_DESK, t.bsub, &id, &err),
                     MC_OK);
    t0 = mc_now();
    assert_int_equal(do_login(f, "desk.b", "matkhau123", &l, &err), MC_OK);
    assert_int_equal(l.ok, 1);
    assert_int_equal(l.actor.account_id, id);
    /* the login's clock second lies between t0 and now */
    assert_in_range(l.expires_at, t0 + MC_SESSION_TTL,
                    mc_now() + MC_SESSION_TTL);

    /* Only the SHA-256 of the token is stored. */
    mc_sha256_hex(l.token, strlen(l.token), h);
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM sessions WHERE token_hash = '%s'", h);
    assert_int_equal(count(f, sql), 1);
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM sessions WHERE token_hash = '%s'",
             l.token);
    assert_int_equal(count(f, sql), 0);

    assert_int_equal(mc_session_lookup(f->t.db, l.token, &act, &err), MC_OK);
    assert_int_equal(act.account_id, id);
    assert_int_equal(act.role, MC_ROLE_DESK);
    assert_int_equal(act.unit_id, t.bsub);
    assert_int_equal(mc_unit_get(f->t.db, t.bsub, &u, &err), MC_OK);
    assert_string_equal(act.unit_path, u.path);
    assert_string_equal(act.username, "desk.b");

    /* Garbage and unknown tokens. */
    assert_int_equal(mc_session_lookup(f->t.db, "abc", &act, &err), MC_EAUTH);
    assert_int_equal(mc_session_lookup(f->t.db, NULL, &act, &err), MC_EAUTH);
    assert_int_equal(mc_session_lookup(f->t.db, h, &act, &err), MC_EAUTH);

    /* Expiry after 12 hours. */
    mc_clock_set_offset(MC_SESSION_TTL - 10);
    assert_int_equal(mc_session_lookup(f->t.db, l.token, &act, &err), MC_OK);
    mc_clock_set_offset(MC_SESSION_TTL);
    assert_int_equal(mc_session_lookup(f->t.db, l.token, &act, &err),
                     MC_EAUTH);
    assert_int_equal(err.status, 401);
    mc_clock_set_offset(0);

    /* Revocation (logout), once. */
    assert_int_equal(do_login(f, "desk.b", "matkhau123", &l2, &err), MC_OK);
    assert_string_not_equal(l.token, l2.token);
    lo.token = l.token;
    assert_int_equal(mc_writer_run(f->t.w, mc_session_revoke, &lo, &err),
                     MC_OK);
    assert_int_equal(mc_session_lookup(f->t.db, l.token, &act, &err),
                     MC_EAUTH);
    assert_int_equal(mc_writer_run(f->t.w, mc_session_revoke, &lo, &err),
                     MC_EAUTH);
    assert_int_equal(mc_session_lookup(f->t.db, l2.token, &act, &err), MC_OK);

    /* Deactivation revokes the rest and blocks login. */
    {
        struct mc_account_deactivate d = {&sys, id};
        struct mc_actor self = {0, MC_ROLE_ADMIN, 0, "", "a"};
        struct mc_account_deactivate d2 = {&self, 0};

        self.account_id = id;
        d2.account_id = id;
        assert_int_equal(mc_writer_run(f->t.w, mc_account_deactivate, &d2,
                                       &err),
                         MC_EFORBIDDEN);
        assert_int_equal(mc_writer_run(f->t.w, mc_account_deactivate, &d,
                                       &err),
                         MC_OK);
        assert_int_equal(mc_writer_run(f->t.w, mc_account_deactivate, &d,
                                       &err),
                         MC_ECONFLICT);
    }
    assert_int_equal(mc_session_lookup(f->t.db, l2.token, &act, &err),
                     MC_EAUTH);
    assert_int_equal(do_login(f, "desk.b", "matkhau123", &l, &err), MC_EAUTH);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM sessions WHERE "
                       "revoked_at IS NULL"),
                     0);
    {
        int64_t count = 0, bad = 0;
        assert_int_equal(mc_audit_verify(f->t.db, &count, &bad, &err), MC_OK);
    }
}

static void
test_demo_seed(void **state)
{
    struct fx *f = *state;
    struct mc_err err;
    const struct mc_demo_login *d;
    struct mc_account *list;
    struct mc_unit u, *ul;
    size_t nd, n;
    int64_t c = 0, bad = 0;

    assert_int_equal(mc_writer_run(f->t.w, mc_demo_seed_units_accounts, NULL,
                                   &err),
                     MC_OK);
    assert_int_equal(mc_q_unit_count(f->t.db, "commune", &c, &err), MC_OK);
    assert_int_equal(c, 126);
    assert_int_equal(mc_q_unit_count(f->t.db, "district", &c, &err), MC_OK);
    assert_int_equal(c, 30);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM units WHERE kind IN "
                              "('province', 'center')"), 2);
    assert_int_equal(mc_q_unit_count(f->t.db, "department", &c, &err), MC_OK);
    assert_true(c >= 5);
    {
        int64_t desks = 0;
        assert_int_equal(mc_q_unit_count(f->t.db, "desk", &desks, &err),
                         MC_OK);
        assert_int_equal(desks, c);
    }
    assert_int_equal(mc_unit_get_by_code(f->t.db, "H26", &u, &err), MC_OK);
    assert_string_equal(u.name, "Thành phố Hà Nội");
    assert_int_equal(mc_unit_get_by_code(f->t.db, "H26.00004", &u, &err),
                     MC_OK);
    assert_string_equal(u.name, "Phường Ba Đình");
    assert_string_equal(u.gso_code, "00004");
    assert_int_equal(u.valid_from,
                     mc_local_ts(mc_days_from_civil(2025, 7, 1), 0));
    assert_int_equal(u.valid_to, 0);
    assert_int_equal(u.depth, 1);
    assert_int_equal(mc_unit_get_by_code(f->t.db, "H26.001", &u, &err), MC_OK);
    assert_string_equal(u.name, "Quận Ba Đình");
    assert_false(mc_unit_is_current(&u, mc_now()));
    assert_int_equal(mc_unit_get_by_code(f->t.db, "H26.STP.MC", &u, &err),
                     MC_OK);
    assert_string_equal(u.kind, "desk");
    assert_int_equal(u.depth, 2);
    /* Current search hides the districts. */
    assert_int_equal(mc_unit_search(f->t.db, "ba dinh", 0, 50, &f->a, &ul, &n,
                                    &err),
                     MC_OK);
    assert_int_equal(n, 1);
    /* Every agency code fits a dossier code <code>-YYMMDD-NNNN. */
    assert_int_equal(mc_unit_get_by_code(f->t.db, "H26", &u, &err), MC_OK);
    assert_int_equal(mc_unit_subtree(f->t.db, &sys, u.id, &f->a, &ul, &n,
                                     &err),
                     MC_OK);
    for (size_t i = 0; i < n; i++) {
        assert_true(mc_unit_code_valid(ul[i].code));
    }

    /* Every role has a demo login, and every demo login works. */
    d = mc_demo_logins(&nd);
    assert_true(nd >= 12);
    for (enum mc_role r = MC_ROLE_CITIZEN; r <= MC_ROLE_PARTNER; r++) {
        int found = 0;
        for (size_t i = 0; i < nd; i++) {
            found += strcmp(d[i].role, mc_role_name(r)) == 0;
        }
        assert_true(found > 0);
    }
    for (size_t i = 0; i < nd; i++) {
        struct mc_login l;
        struct mc_actor act;

        assert_int_equal(do_login(f, d[i].username, d[i].password, &l, &err),
                         MC_OK);
        assert_int_equal(mc_session_lookup(f->t.db, l.token, &act, &err),
                         MC_OK);
        assert_string_equal(mc_role_name(act.role), d[i].role);
        assert_int_equal(act.unit_id != 0, d[i].unit_code != NULL);
    }
    assert_int_equal(mc_account_list(f->t.db, &sys, 0, &f->a, &list, &n, &err),
                     MC_OK);
    assert_int_equal(n, nd);
    assert_int_equal(mc_unit_get_by_code(f->t.db, "H26.00004", &u, &err),
                     MC_OK);
    assert_int_equal(mc_account_list(f->t.db, &sys, u.id, &f->a, &list, &n,
                                     &err),
                     MC_OK);
    assert_int_equal(n, 3);

    assert_int_equal(mc_audit_verify(f->t.db, &c, &bad, &err), MC_OK);
    assert_true(c > 126 + 30 + (int64_t)nd);
    /* Seeding twice is refused and changes nothing. */
    assert_int_equal(mc_writer_run(f->t.w, mc_demo_seed_units_accounts, NULL,
                                   &err),
                     MC_ECONFLICT);
    assert_int_equal(mc_q_unit_count(f->t.db, "commune", &c, &err), MC_OK);
    assert_int_equal(c, 126);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_unit_tree_paths),       T(test_unit_create_rules),
        T(test_unit_subtree_scope),    T(test_unit_search_and_json),
        T(test_account_rules),         T(test_account_get_list_scope),
        T(test_login_lockout),         T(test_session_lifecycle),
        T(test_demo_seed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
