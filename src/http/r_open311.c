/*
 * r_open311.c - the Open311 GeoReport v2 server under /open311/v2 (JSON
 * only): services (the feedback categories), service definitions, and
 * service requests (feedback) created with an api_key; plus the admin
 * API POST /api/v1/open311/keys. Open311 errors are arrays
 * [{"code":N,"description":"..."}] as the specification says.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/feedback.h"
#include "domain/open311.h"
#include "domain/unit.h"
#include "http/router.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/text.h"

static const char *const services[] = {
    "regulation_or_procedure", "official_conduct_or_delay", "other", NULL};

/* An Open311 error response (the handler then returns MC_OK). */
static int
o311_error(struct mc_req *r, int status, const char *desc)
{
    mc_err_clear(&r->err);
    return mc_http_json(r, status,
                        json_pack("[{s:i,s:s}]", "code", status,
                                  "description", desc));
}

/* An Open311 error from a domain failure in r->err. */
static int
o311_from_err(struct mc_req *r, int rc)
{
    int status = r->err.status >= 400 ? r->err.status
                                      : mc_err_http_status(rc);
    char desc[512];

    if (status >= 500) {
        return rc;
    }
    snprintf(desc, sizeof(desc), "%s%s%s: %s", r->err.code,
             r->err.field[0] ? " " : "", r->err.field, r->err.message);
    return o311_error(r, status == 422 ? 400 : status, desc);
}

/* Strip ".json" from a path parameter; NULL if absent (other formats). */
static const char *
json_suffix(struct mc_req *r, const char *p)
{
    size_t n = strlen(p);

    if (n <= 5 || strcmp(p + n - 5, ".json") != 0) {
        return NULL;
    }
    return mc_arena_strndup(&r->arena, p, n - 5);
}

static json_t *
service_json(const char *code)
{
    return json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s}", "service_code", code,
                     "service_name", mc_feedback_category_name(code),
                     "description", mc_feedback_category_name(code),
                     "metadata", 0, "type", "realtime", "keywords",
                     "phản ánh,kiến nghị,PAKN", "group", "PAKN");
}

int
mc_h_open311_services(struct mc_req *r)
{
    json_t *a = json_array();

    for (int i = 0; a != NULL && services[i] != NULL; i++) {
        json_array_append_new(a, service_json(services[i]));
    }
    return mc_http_json(r, 200, a);
}

int
mc_h_open311_service(struct mc_req *r)
{
    const char *code = json_suffix(r, r->params[0]);

    if (code == NULL) {
        return o311_error(r, 404, "only the JSON format (.json) is served");
    }
    if (!mc_feedback_category_known(code)) {
        return o311_error(r, 404, "service_code not found");
    }
    return mc_http_json(r, 200,
                        json_pack("{s:s,s:[]}", "service_code", code,
                                  "attributes"));
}

/* Decode %XX and '+' in place; -1 on a bad escape. */
static int
url_decode(char *s)
{
    char *o = s;

    for (; *s; s++) {
        if (*s == '+') {
            *o++ = ' ';
        } else if (*s == '%') {
            char hex[3] = {0};
            char *end;
            long v;
            if (s[1] == '\0' || s[2] == '\0') {
                return -1;
            }
            hex[0] = s[1];
            hex[1] = s[2];
            v = strtol(hex, &end, 16);
            if (*end != '\0' || v == 0) {
                return -1;
            }
            *o++ = (char)v;
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return 0;
}

#define MAX_FORM 24

struct form {
    const char *k[MAX_FORM], *v[MAX_FORM];
    int n;
};

/* Parse the x-www-form-urlencoded body; -1 if malformed. */
static int
form_parse(struct mc_req *r, struct form *f)
{
    char *s = mc_arena_strndup(&r->arena, r->body.data ? r->body.data : "",
                               r->body.len);
    char *save = NULL;

    f->n = 0;
    if (s == NULL || strlen(s) != r->body.len) {
        return -1;
    }
    for (char *tok = strtok_r(s, "&", &save); tok != NULL;
         tok = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(tok, '=');
        if (f->n == MAX_FORM) {
            return -1;
        }
        if (eq != NULL) {
            *eq = '\0';
        }
        if (url_decode(tok) != 0 ||
            (eq != NULL && url_decode(eq + 1) != 0)) {
            return -1;
        }
        f->k[f->n] = tok;
        f->v[f->n] = eq ? eq + 1 : "";
        f->n++;
    }
    return 0;
}

/* A form value, NFC; NULL when absent or empty; *bad on invalid UTF-8. */
static const char *
form_get(struct mc_req *r, const struct form *f, const char *k, int *bad)
{
    for (int i = 0; i < f->n; i++) {
        if (strcmp(f->k[i], k) == 0 && f->v[i][0] != '\0') {
            const char *v = mc_utf8_nfc(&r->arena, f->v[i]);
            if (v == NULL) {
                *bad = 1;
            }
            return v;
        }
    }
    return NULL;
}

/* Title of a request: the description cut at a space before 80 bytes. */
static const char *
title_of(struct mc_req *r, const char *d)
{
    size_t n = strlen(d), cut = n;

    if (n <= 80) {
        return d;
    }
    for (cut = 80; cut > 20 && d[cut] != ' '; cut--) {
    }
    if (d[cut] != ' ') {
        for (cut = 80; cut > 0 && ((unsigned char)d[cut] & 0xC0) == 0x80;
             cut--) {
        }
    }
    return mc_arena_printf(&r->arena, "%.*s…", (int)cut, d);
}

static int
create_fn(struct mc_db *db, void *arg, json_t **result, int *status,
          struct mc_err *err)
{
    struct mc_feedback_new *c = arg;
    json_t *f;
    int rc = mc_feedback_create(db, c, err);

    if (rc != MC_OK) {
        return rc;
    }
    f = c->out;
    *result = json_pack("[{s:s,s:s,s:n}]", "service_request_id",
                        mc_arena_printf(c->arena, "%lld",
                                        (long long)json_integer_value(
                                            json_object_get(f, "id"))),
                        "service_notice",
                        "Thời hạn trả lời: expected_datetime",
                        "account_id");
    json_decref(f);
    c->out = NULL;
    *status = 201;
    return *result ? MC_OK : MC_ENOMEM;
}

/* Location: lat+long (both, in range) or address_string is required. */
static int
location(struct mc_req *r, const struct form *fm, struct mc_feedback_new *c,
         int *bad)
{
    const char *lat = form_get(r, fm, "lat", bad);
    const char *lon = form_get(r, fm, "long", bad);
    char *e1 = NULL, *e2 = NULL;

    c->address = form_get(r, fm, "address_string", bad);
    if (lat == NULL && lon == NULL) {
        return c->address != NULL || form_get(r, fm, "address_id", bad);
    }
    if (lat == NULL || lon == NULL) {
        return 0;
    }
    c->lat = strtod(lat, &e1);
    c->lon = strtod(lon, &e2);
    if (*e1 != '\0' || *e2 != '\0' || c->lat < -90 || c->lat > 90 ||
        c->lon < -180 || c->lon > 180) {
        return 0;
    }
    c->has_geo = 1;
    return 1;
}

int
mc_h_open311_request_create(struct mc_req *r)
{
    struct mc_feedback_new c = {0};
    struct mc_unit u;
    struct form fm;
    struct mc_db *db;
    const char *first, *last, *key;
    int64_t unit = 0;
    int bad = 0, rc;

    if (form_parse(r, &fm) != 0) {
        return o311_error(r, 400, "the body must be "
                                  "application/x-www-form-urlencoded");
    }
    key = form_get(r, &fm, "api_key", &bad);
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_open311_key_check(db, key, &unit, &r->err);
    if (rc != MC_OK) {
        return o311_from_err(r, rc);
    }
    c.category = form_get(r, &fm, "service_code", &bad);
    c.content = form_get(r, &fm, "description", &bad);
    c.contact_email = form_get(r, &fm, "email", &bad);
    c.contact_phone = form_get(r, &fm, "phone", &bad);
    first = form_get(r, &fm, "first_name", &bad);
    last = form_get(r, &fm, "last_name", &bad);
    c.unit_code = form_get(r, &fm, "jurisdiction_id", &bad);
    if (bad) {
        return o311_error(r, 400, "a value is not valid UTF-8");
    }
    if (c.category == NULL) {
        return o311_error(r, 400, "service_code is required");
    }
    if (!mc_feedback_category_known(c.category)) {
        return o311_error(r, 404, "service_code not found");
    }
    if (c.content == NULL || strlen(c.content) > 20000) {
        return o311_error(r, 400, "description is required (at most 20000 "
                                  "bytes)");
    }
    if (!location(r, &fm, &c, &bad) || bad) {
        return o311_error(r, 400, "a location is required: lat and long, "
                                  "or address_string");
    }
    if (c.contact_email != NULL && strchr(c.contact_email, '@') == NULL) {
        return o311_error(r, 400, "email is not an e-mail address");
    }
    if (c.unit_code == NULL && unit != 0) {
        if ((rc = mc_unit_get(db, unit, &u, &r->err)) != MC_OK) {
            return rc;
        }
        c.unit_code = mc_arena_strdup(&r->arena, u.code);
    }
    if (c.unit_code == NULL) {
        return o311_error(r, 400, "jurisdiction_id (the unit code) is "
                                  "required for this api_key");
    }
    if (first != NULL || last != NULL) {
        c.contact_name = mc_arena_printf(&r->arena, "%s%s%s",
                                         first ? first : "",
                                         first && last ? " " : "",
                                         last ? last : "");
    }
    c.title = title_of(r, c.content);
    c.open311 = 1;
    c.actor = &r->actor;
    c.cal = mc_req_calendar(r);
    c.arena = &r->arena;
    c.now = r->now;
    rc = mc_http_write(r, create_fn, &c);
    json_decref(c.out);
    return rc == MC_OK ? MC_OK : o311_from_err(r, rc);
}

/* Optional ISO 8601 query instant; -1 when malformed. */
static int
q_ts(struct mc_req *r, const char *name, int64_t *out)
{
    const char *v = mc_req_query(r, name);

    *out = 0;
    if (v == NULL || *v == '\0') {
        return 0;
    }
    return mc_parse_ts(v, out) == 0 ? 0 : -1;
}

int
mc_h_open311_requests_list(struct mc_req *r)
{
    struct mc_open311_filter f = {0};
    const char *ids_s = mc_req_query(r, "service_request_id");
    const char *st = mc_req_query(r, "status");
    int64_t ids[100];
    int n = 0, rc;
    struct mc_db *db;
    json_t *out = NULL;

    if (ids_s != NULL && *ids_s != '\0') {
        char *s = mc_arena_strdup(&r->arena, ids_s), *save = NULL;
        for (char *t = strtok_r(s, ",", &save); t != NULL;
             t = strtok_r(NULL, ",", &save)) {
            long long v;
            if (n == 100 || mc_parse_i64(t, &v) != 0 || v <= 0) {
                return o311_error(r, 400, "service_request_id must be a "
                                          "comma-separated list of at "
                                          "most 100 ids");
            }
            ids[n++] = v;
        }
    }
    f.service_code = mc_req_query(r, "service_code");
    if (f.service_code != NULL && !mc_feedback_category_known(f.service_code)) {
        return o311_error(r, 404, "service_code not found");
    }
    if (q_ts(r, "start_date", &f.start) != 0 ||
        q_ts(r, "end_date", &f.end) != 0) {
        return o311_error(r, 400, "start_date and end_date must be ISO "
                                  "8601 date-times");
    }
    if (st != NULL && strcmp(st, "open") == 0) {
        f.status = 1;
    } else if (st != NULL && strcmp(st, "closed") == 0) {
        f.status = 2;
    } else if (st != NULL && *st != '\0' && strcmp(st, "open,closed") != 0 &&
               strcmp(st, "closed,open") != 0) {
        return o311_error(r, 400, "status must be open or closed");
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_open311_requests(db, &f, ids, n, r->now, &r->arena, &out,
                             &r->err);
    if (rc != MC_OK) {
        json_decref(out);
        return rc;
    }
    return mc_http_json(r, 200, out);
}

int
mc_h_open311_request_get(struct mc_req *r)
{
    const char *p = json_suffix(r, r->params[0]);
    struct mc_open311_filter f = {0};
    struct mc_db *db;
    json_t *out = NULL;
    long long v;
    int64_t id;
    int rc;

    if (p == NULL || mc_parse_i64(p, &v) != 0 || v <= 0) {
        return o311_error(r, 404, "service_request_id not found");
    }
    id = v;
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_open311_requests(db, &f, &id, 1, r->now, &r->arena, &out,
                             &r->err);
    if (rc != MC_OK) {
        json_decref(out);
        return rc;
    }
    if (json_array_size(out) == 0) {
        json_decref(out);
        return o311_error(r, 404, "service_request_id not found");
    }
    return mc_http_json(r, 200, out);
}

static int
key_fn(struct mc_db *db, void *arg, json_t **result, int *status,
       struct mc_err *err)
{
    struct mc_open311_key_new *c = arg;
    int rc = mc_open311_key_create(db, c, err);

    if (rc != MC_OK) {
        return rc;
    }
    *result = c->out;
    c->out = NULL;
    *status = 201;
    return MC_OK;
}

int
mc_h_open311_key_create(struct mc_req *r)
{
    static const char *const allowed[] = {"label", "unit_code", NULL};
    struct mc_open311_key_new c = {0};
    json_t *body = NULL;
    int rc;

    if ((rc = mc_http_require(r, MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "label", 1, 200, &r->arena, &c.label,
                         &r->err);
    if (rc == MC_OK)
        rc = mc_json_str(body, "unit_code", 0, 40, &r->arena, &c.unit_code,
                         &r->err);
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    c.actor = &r->actor;
    c.arena = &r->arena;
    c.now = r->now;
    rc = mc_http_write(r, key_fn, &c);
    json_decref(c.out);
    return rc;
}
