/*
 * unit.c - organisation units (unit.h).
 */
#include "domain/unit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/text.h"

_Static_assert(MC_UNIT_PATH_LEN == MC_UNIT_PATH_MAX,
               "unit path sizes of q_units.h and actor.h differ");

static const struct {
    const char *kind;
    const char *label;
} kinds[] = {
    {"province", "Tỉnh/Thành phố"},
    {"district", "Quận/Huyện (trước 1/7/2025)"},
    {"commune", "Xã/Phường/Đặc khu"},
    {"department", "Sở, ban, ngành"},
    {"desk", "Bộ phận Một cửa"},
    {"center", "Trung tâm Phục vụ hành chính công"},
    {"other", "Đơn vị khác"},
};

int
mc_unit_kind_valid(const char *kind)
{
    if (kind == NULL) {
        return 0;
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kind, kinds[i].kind) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *
mc_unit_kind_label_vi(const char *kind)
{
    for (size_t i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]);
         i++) {
        if (strcmp(kind, kinds[i].kind) == 0) {
            return kinds[i].label;
        }
    }
    return "";
}

int
mc_unit_code_valid(const char *code)
{
    size_t n;
    int group = 0;

    if (code == NULL) {
        return 0;
    }
    n = strlen(code);
    if (n == 0 || n > MC_UNIT_CODE_MAX - 1) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = code[i];

        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            group++;
        } else if (c == '.' && group > 0) {
            group = 0;
        } else {
            return 0;
        }
    }
    return group > 0;
}

int
mc_unit_is_current(const struct mc_unit *u, int64_t now)
{
    return (u->valid_from == 0 || u->valid_from <= now) &&
           (u->valid_to == 0 || u->valid_to > now);
}

/* Display text: valid UTF-8, 1..maxcp code points, no control characters,
 * not only spaces. */
static int
text_ok(const char *s, size_t maxcp)
{
    size_t cp;
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
    cp = mc_utf8_len(s);
    return visible && cp <= maxcp;
}

static int
check_input(const struct mc_unit_create *c, struct mc_err *err)
{
    if (c->actor == NULL || (c->actor->role != MC_ROLE_ADMIN &&
                             c->actor->role != MC_ROLE_SYSTEM)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "only an administrator may create units");
    }
    if (!mc_unit_code_valid(c->code)) {
        return mc_err_set(err, MC_EINVAL, 422, "invalid_code", "code",
                          "the agency code must be 1-35 characters: groups "
                          "of A-Z and 0-9 separated by dots");
    }
    if (c->gso_code != NULL && *c->gso_code != '\0' &&
        (!mc_is_digits(c->gso_code) ||
         strlen(c->gso_code) >= MC_UNIT_GSO_MAX)) {
        return mc_err_set(err, MC_EINVAL, 422, "invalid_gso_code",
                          "gso_code", "the GSO code must be 1-15 digits");
    }
    if (!text_ok(c->name, MC_UNIT_NAME_CHARS)) {
        return mc_err_set(err, MC_EINVAL, 422, "invalid_name", "name",
                          "the name must be 1-%d characters of valid text",
                          MC_UNIT_NAME_CHARS);
    }
    if (!mc_unit_kind_valid(c->kind)) {
        return mc_err_set(err, MC_EINVAL, 422, "invalid_kind", "kind",
                          "unknown unit kind");
    }
    if (strcmp(c->kind, "province") == 0 && c->parent_id != 0) {
        return mc_err_set(err, MC_EINVAL, 422, "invalid_parent",
                          "parent_id", "a province has no parent unit");
    }
    if (strcmp(c->kind, "province") != 0 && c->parent_id == 0) {
        return mc_err_set(err, MC_EINVAL, 422, "invalid_parent",
                          "parent_id", "only a province may be a root unit");
    }
    if (c->valid_from != 0 && c->valid_to != 0 &&
        c->valid_to <= c->valid_from) {
        return mc_err_set(err, MC_EINVAL, 422, "invalid_validity",
                          "valid_to", "valid_to must be after valid_from");
    }
    return MC_OK;
}

static int
audit_create(struct mc_db *db, const struct mc_unit_create *c,
             const struct mc_unit *u, struct mc_err *err)
{
    char obj[48];
    json_t *p;
    int rc;

    snprintf(obj, sizeof(obj), "unit:%" PRId64, u->id);
    p = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s?, s:o, s:o}", "code",
                  u->code, "name", u->name, "kind", u->kind, "path", u->path,
                  "parent_id",
                  u->parent_id ? json_integer(u->parent_id) : json_null(),
                  "gso_code", u->gso_code[0] ? u->gso_code : NULL,
                  "valid_from",
                  u->valid_from ? json_integer(u->valid_from) : json_null(),
                  "valid_to",
                  u->valid_to ? json_integer(u->valid_to) : json_null());
    if (p == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    rc = mc_audit_append(db, c->actor->account_id, "unit.create", obj, p,
                         u->created_at, err);
    json_decref(p);
    return rc;
}

int
mc_unit_create(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_unit_create *c = ctx;
    struct mc_unit u, parent;
    struct mc_arena a;
    const char *name, *key;
    int rc;

    mc_arena_init(&a, 64 * 1024);
    c->id = 0;
    c->path[0] = '\0';
    rc = check_input(c, err);
    if (rc != MC_OK) {
        goto out;
    }
    memset(&u, 0, sizeof(u));
    if (c->parent_id != 0) {
        rc = mc_q_unit_get(db, c->parent_id, &parent, err);
        if (rc == MC_ENOTFOUND) {
            rc = mc_err_set(err, MC_ENOTFOUND, 422, "unknown_parent",
                            "parent_id", "the parent unit does not exist");
        }
        if (rc != MC_OK) {
            goto out;
        }
        u.depth = parent.depth + 1;
    }
    name = mc_utf8_nfc(&a, c->name);
    key = name != NULL ? mc_fold(&a, name) : NULL;
    if (key == NULL) {
        rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                        "out of memory");
        goto out;
    }
    u.parent_id = c->parent_id;
    snprintf(u.code, sizeof(u.code), "%s", c->code);
    snprintf(u.gso_code, sizeof(u.gso_code), "%s",
             c->gso_code != NULL ? c->gso_code : "");
    snprintf(u.name, sizeof(u.name), "%s", name);
    snprintf(u.kind, sizeof(u.kind), "%s", c->kind);
    u.valid_from = c->valid_from;
    u.valid_to = c->valid_to;
    u.created_at = mc_now();
    if (strlen(name) >= sizeof(u.name)) {
        rc = mc_err_set(err, MC_EINVAL, 422, "invalid_name", "name",
                        "the name is too long");
        goto out;
    }
    rc = mc_q_unit_insert(db, &u, key, &u.id, err);
    if (rc == MC_ECONFLICT) {
        rc = mc_err_set(err, MC_ECONFLICT, 409, "duplicate_code", "code",
                        "the agency code %s is already used", u.code);
    }
    if (rc != MC_OK) {
        goto out;
    }
    if (snprintf(u.path, sizeof(u.path), "%s%" PRId64 "/",
                 c->parent_id != 0 ? parent.path : "/",
                 u.id) >= (int)sizeof(u.path)) {
        rc = mc_err_set(err, MC_EINVAL, 422, "tree_too_deep", "parent_id",
                        "the unit tree is too deep");
        goto out;
    }
    rc = mc_q_unit_set_path(db, u.id, u.path, err);
    if (rc == MC_OK) {
        rc = audit_create(db, c, &u, err);
    }
    if (rc == MC_OK) {
        c->id = u.id;
        memcpy(c->path, u.path, sizeof(c->path));
    }
out:
    mc_arena_release(&a);
    return rc;
}

static int
not_found(int rc, struct mc_err *err)
{
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_ENOTFOUND, 404, "unit_not_found", NULL,
                          "no such unit");
    }
    return rc;
}

int
mc_unit_get(struct mc_db *db, int64_t id, struct mc_unit *out,
            struct mc_err *err)
{
    return not_found(mc_q_unit_get(db, id, out, err), err);
}

int
mc_unit_get_by_code(struct mc_db *db, const char *code, struct mc_unit *out,
                    struct mc_err *err)
{
    if (!mc_unit_code_valid(code)) {
        return not_found(MC_ENOTFOUND, err);
    }
    return not_found(mc_q_unit_by_code(db, code, out, err), err);
}

void
mc_unit_path_hi(const char *path, char *hi, size_t hisz)
{
    size_t n = strlen(path);

    snprintf(hi, hisz, "%s", path);
    if (n > 0 && n < hisz) {
        hi[n - 1] = (char)(hi[n - 1] + 1);
    }
}

const char *
mc_unit_path_hi_dup(struct mc_arena *a, const char *path)
{
    size_t n = strlen(path);
    char *hi = mc_arena_strndup(a, path, n);

    if (hi != NULL && n > 0) {
        hi[n - 1] = (char)(hi[n - 1] + 1);
    }
    return hi;
}

int
mc_unit_children(struct mc_db *db, int64_t parent_id, struct mc_arena *a,
                 struct mc_unit **out, size_t *n, struct mc_err *err)
{
    return mc_q_unit_children(db, parent_id, a, out, n, err);
}

int
mc_unit_subtree(struct mc_db *db, const struct mc_actor *actor,
                int64_t root_id, struct mc_arena *a, struct mc_unit **out,
                size_t *n, struct mc_err *err)
{
    struct mc_unit root;
    int rc;

    *out = NULL;
    *n = 0;
    rc = mc_unit_get(db, root_id, &root, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (actor == NULL || !mc_actor_covers(actor, root.path)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                          "this unit is outside your scope");
    }
    return mc_q_unit_subtree(db, root.path, a, out, n, err);
}

int
mc_unit_search(struct mc_db *db, const char *query, int flags, int limit,
               struct mc_arena *a, struct mc_unit **out, size_t *n,
               struct mc_err *err)
{
    char key[256], pattern[2 * sizeof(key) + 3];
    size_t o = 0;
    int klen;

    *out = NULL;
    *n = 0;
    if (query == NULL) {
        query = "";
    }
    if (strlen(query) > 200 ||
        (klen = mc_fold_to(query, key, sizeof(key))) < 0) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_query", "q",
                          "the search text must be valid UTF-8 of at most "
                          "200 bytes");
    }
    if (limit < 1 || limit > MC_UNIT_SEARCH_MAX) {
        limit = MC_UNIT_SEARCH_MAX;
    }
    /* '%' + key with LIKE metacharacters escaped + '%'. */
    pattern[o++] = '%';
    for (int i = 0; i < klen; i++) {
        if (key[i] == '%' || key[i] == '_' || key[i] == '\\') {
            pattern[o++] = '\\';
        }
        pattern[o++] = key[i];
    }
    pattern[o++] = '%';
    pattern[o] = '\0';
    return mc_q_unit_search(db, pattern,
                            (flags & MC_UNIT_INCLUDE_HISTORICAL) ? 0
                                                                 : mc_now(),
                            limit, a, out, n, err);
}

json_t *
mc_unit_json(const struct mc_unit *u)
{
    return json_pack(
        "{s:I, s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:b}", "id",
        (json_int_t)u->id, "parent_id",
        u->parent_id ? json_integer(u->parent_id) : json_null(), "code",
        u->code, "gso_code",
        u->gso_code[0] ? json_string(u->gso_code) : json_null(), "name",
        u->name, "kind", u->kind, "kind_label",
        mc_unit_kind_label_vi(u->kind), "path", u->path, "depth", u->depth,
        "valid_from", mc_json_ts_value(u->valid_from), "valid_to",
        mc_json_ts_value(u->valid_to), "current",
        mc_unit_is_current(u, mc_now()));
}
