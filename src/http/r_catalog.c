/*
 * r_catalog.c - public catalog (/procedures) and units (/units); the
 * administrator's limit update and catalog import (/catalog/import).
 */
#include <string.h>

#include "domain/catalog.h"
#include "domain/unit.h"
#include "http/router.h"
#include "util/json.h"
#include "util/text.h"

static int
text_query(struct mc_req *r, const char *name, const char **out)
{
    const char *q = mc_req_query(r, name);

    *out = q;
    if (q != NULL && (strlen(q) > 200 || !mc_utf8_valid(q, strlen(q)))) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_query", name,
                          "'%s' must be valid UTF-8 of at most 200 bytes",
                          name);
    }
    return MC_OK;
}

int
mc_h_procedures_list(struct mc_req *r)
{
    struct mc_procedure_list list;
    const char *q, *field, *flag;
    struct mc_db *db;
    long long limit, offset;
    int64_t total = 0;
    int flags = 0, rc;
    json_t *items;

    if ((rc = text_query(r, "q", &q)) != MC_OK ||
        (rc = text_query(r, "field", &field)) != MC_OK ||
        (rc = mc_req_query_int(r, "limit", 50, 1, MC_CATALOG_MAX_PAGE,
                               &limit)) != MC_OK ||
        (rc = mc_req_query_int(r, "offset", 0, 0, 1000000, &offset)) !=
            MC_OK) {
        return rc;
    }
    flag = mc_req_query(r, "flag");
    if (flag != NULL) {
        if (strcmp(flag, "incomplete") == 0) {
            flags = MC_CATALOG_INCOMPLETE;
        } else if (strcmp(flag, "unit_assumed") == 0) {
            flags = MC_CATALOG_UNIT_ASSUMED;
        } else {
            return mc_err_set(&r->err, MC_EINVAL, 400, "bad_query", "flag",
                              "flag must be incomplete or unit_assumed");
        }
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_catalog_search(db, q, field, flags, limit, offset, &r->arena,
                           &list, &total, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    items = json_array();
    for (size_t i = 0; i < list.n && items != NULL; i++) {
        json_array_append_new(items, mc_catalog_to_json(&list.items[i], 0));
    }
    return mc_http_page(r, items, total, limit, offset);
}

int
mc_h_procedure_get(struct mc_req *r)
{
    struct mc_procedure *p = NULL;
    struct mc_db *db = mc_req_db(r);
    const char *key = r->params[0];
    long long id;
    int rc;

    if (db == NULL) {
        return MC_EDB;
    }
    /* /procedures/{id}: a numeric version id, or a national code. */
    if (strchr(key, '.') == NULL && mc_parse_i64(key, &id) == 0 && id > 0) {
        rc = mc_catalog_get(db, id, &r->arena, &p, &r->err);
    } else {
        rc = mc_catalog_get_in_force(db, key, r->now, &r->arena, &p,
                                     &r->err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, mc_catalog_to_json(p, 1));
}

int
mc_h_units_list(struct mc_req *r)
{
    struct mc_unit *units = NULL;
    struct mc_db *db;
    const char *q, *parent;
    long long limit, pid;
    size_t n = 0;
    int rc, flags = 0;
    json_t *items;

    if ((rc = text_query(r, "q", &q)) != MC_OK ||
        (rc = mc_req_query_int(r, "limit", 100, 1, MC_UNIT_SEARCH_MAX,
                               &limit)) != MC_OK ||
        (rc = mc_req_query_int(r, "parent_id", -1, 0, INT64_MAX, &pid)) !=
            MC_OK) {
        return rc;
    }
    parent = mc_req_query(r, "parent_id");
    if (mc_req_query(r, "historical") != NULL) {
        flags |= MC_UNIT_INCLUDE_HISTORICAL;
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    if (parent != NULL) {
        rc = mc_unit_children(db, pid, &r->arena, &units, &n, &r->err);
    } else {
        rc = mc_unit_search(db, q ? q : "", flags, (int)limit, &r->arena,
                            &units, &n, &r->err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    items = json_array();
    for (size_t i = 0; i < n && items != NULL; i++) {
        json_array_append_new(items, mc_unit_json(&units[i]));
    }
    return mc_http_json(r, 200, json_pack("{s:o}", "items", items));
}

int
mc_h_unit_get(struct mc_req *r)
{
    struct mc_unit u;
    struct mc_db *db = mc_req_db(r);
    long long id;
    int rc;

    if (db == NULL) {
        return MC_EDB;
    }
    if (mc_parse_i64(r->params[0], &id) == 0 && id > 0) {
        rc = mc_unit_get(db, id, &u, &r->err);
    } else {
        rc = mc_unit_get_by_code(db, r->params[0], &u, &r->err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, mc_unit_json(&u));
}

/* ---- administrator: complete or change a procedure's time limit ---- */

struct upd_ctx {
    struct mc_req *r;
    struct mc_catalog_update u;
};

static int
update_fn(struct mc_db *db, void *arg, json_t **result, int *status,
          struct mc_err *err)
{
    struct upd_ctx *c = arg;
    struct mc_procedure *p = NULL;
    int rc = mc_catalog_update_limit(db, &c->u, err);

    if (rc == MC_OK) {
        rc = mc_catalog_get(db, c->u.new_id, &c->r->arena, &p, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    *result = mc_catalog_to_json(p, 1);
    if (*result != NULL) {
        json_object_set_new(*result, "changed", json_boolean(c->u.changed));
    }
    *status = 200;
    return *result ? MC_OK : MC_ENOMEM;
}

int
mc_h_procedure_update(struct mc_req *r)
{
    struct upd_ctx c = {.r = r};
    json_t *body = NULL;
    int rc;

    if ((rc = mc_http_require(r, MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_catalog_update_from_json(body, &r->arena, &c.u, &r->err);
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    c.u.actor = &r->actor;
    c.u.at = r->now;
    c.u.code = r->params[0];
    return mc_http_write(r, update_fn, &c);
}

/* ---- administrator: import a catalog file (POST /catalog/import) ---- */

struct imp_ctx {
    struct mc_catalog_import im;
    int json;
};

static int
import_fn(struct mc_db *db, void *arg, json_t **result, int *status,
          struct mc_err *err)
{
    struct imp_ctx *c = arg;
    int rc = c->json ? mc_catalog_import_json(db, &c->im, err)
                     : mc_catalog_import_csv(db, &c->im, err);

    if (rc != MC_OK) {
        return rc;
    }
    *result = json_pack("{s:b,s:s,s:i,s:i,s:i,s:i}", "dry_run",
                        c->im.dry_run, "format", c->json ? "json" : "csv",
                        "total", c->im.total, "created", c->im.created,
                        "versioned", c->im.versioned, "unchanged",
                        c->im.unchanged);
    *status = 200;
    return *result ? MC_OK : MC_ENOMEM;
}

/* A file's text from the body: a JSON string (kept as sent, \r included). */
static int
file_text(json_t *body, const char *key, int required, const char **out,
          size_t *len, struct mc_err *err)
{
    json_t *v = json_object_get(body, key);

    *out = NULL;
    *len = 0;
    if (v == NULL || json_is_null(v)) {
        return required ? mc_err_set(err, MC_EINVAL, 400, "missing_field",
                                     key, "'%s' is required", key)
                        : MC_OK;
    }
    if (!json_is_string(v) || json_string_length(v) == 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_type", key,
                          "'%s' is the text of the file", key);
    }
    *out = json_string_value(v);
    *len = json_string_length(v);
    return MC_OK;
}

int
mc_h_catalog_import(struct mc_req *r)
{
    static const char *const allowed[] = {"format", "procedures",
                                          "documents", "dry_run", NULL};
    struct imp_ctx c;
    const char *fmt = NULL;
    json_t *body = NULL;
    int rc;

    memset(&c, 0, sizeof(c));
    if ((rc = mc_http_require(r, MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_str(body, "format", 0, 8, &r->arena, &fmt, &r->err);
    }
    if (rc == MC_OK && fmt != NULL && strcmp(fmt, "csv") != 0 &&
        strcmp(fmt, "json") != 0) {
        rc = mc_err_set(&r->err, MC_EINVAL, 400, "bad_format", "format",
                        "format is csv (procedures.csv and optionally "
                        "procedure_documents.csv) or json");
    }
    c.json = fmt != NULL && strcmp(fmt, "json") == 0;
    if (rc == MC_OK) {
        rc = mc_json_bool(body, "dry_run", 0, &c.im.dry_run, &r->err);
    }
    if (rc == MC_OK) {
        rc = file_text(body, "procedures", 1, &c.im.text, &c.im.len,
                       &r->err);
    }
    if (rc == MC_OK) {
        rc = file_text(body, "documents", 0, &c.im.docs, &c.im.docs_len,
                       &r->err);
    }
    if (rc == MC_OK && c.json && c.im.docs != NULL) {
        rc = mc_err_set(&r->err, MC_EINVAL, 400, "documents_not_csv",
                        "documents", "the JSON format carries its "
                        "components; documents is for CSV");
    }
    if (rc == MC_OK) {
        c.im.actor = &r->actor;
        c.im.at = r->now;
        rc = mc_http_write(r, import_fn, &c);
    }
    json_decref(body);
    return rc;
}
