/*
 * open311.c - Open311 GeoReport v2 keys and requests (see open311.h).
 */
#include "domain/open311.h"

#include <string.h>

#include "db/q_feedback.h"
#include "domain/feedback.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "sec/token.h"
#include "util/json.h"
#include "util/mctime.h"

const char *
mc_feedback_category_name(const char *category)
{
    if (category != NULL && strcmp(category, "regulation_or_procedure") == 0) {
        return "Phản ánh, kiến nghị về quy định hành chính";
    }
    if (category != NULL &&
        strcmp(category, "official_conduct_or_delay") == 0) {
        return "Phản ánh về hành vi, sự chậm trễ của cán bộ, công chức";
    }
    return "Phản ánh, kiến nghị khác";
}

static json_t *
ts_or_null(int64_t t)
{
    return t ? mc_json_ts_value(t) : json_null();
}

static int
closed(const struct mc_feedback *f)
{
    return strcmp(f->state, "rejected") == 0 ||
           strcmp(f->state, "answered") == 0 ||
           strcmp(f->state, "published") == 0;
}

json_t *
mc_feedback_open311_json(const struct mc_feedback *f, int64_t now,
                         struct mc_arena *a)
{
    char id[24];
    const char *notes = f->state_note;
    int64_t end;
    int on_time;

    snprintf(id, sizeof(id), "%lld", (long long)f->id);
    if (strcmp(f->state, "answered") == 0 ||
        strcmp(f->state, "published") == 0) {
        notes = f->answer_text;
        end = f->answered_at;
        on_time = end <= f->due_answer;
    } else if (strcmp(f->state, "rejected") == 0) {
        end = f->updated_at;
        on_time = end <= f->due_reject;
    } else {
        on_time = now <= f->due_answer;
    }
    notes = notes ? mc_feedback_mask(a, notes) : NULL;
    return json_pack(
        "{s:s,s:s,s:o,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:n,"
        "s:o,s:b,s:s}",
        "service_request_id", id, "status", closed(f) ? "closed" : "open",
        "status_notes", notes ? json_string(notes) : json_null(),
        "service_name", mc_feedback_category_name(f->category),
        "service_code", f->category, "description",
        json_string(mc_feedback_mask(a, f->content)), "agency_responsible",
        f->unit_name ? f->unit_name : "", "service_notice",
        "Thời hạn trả lời: expected_datetime (ngày làm việc)",
        "requested_datetime", ts_or_null(f->first_received_at),
        "updated_datetime", ts_or_null(f->updated_at), "expected_datetime",
        ts_or_null(f->due_answer), "address",
        f->address ? json_string(mc_feedback_mask(a, f->address))
                   : json_null(),
        "lat", f->has_geo ? json_real(f->lat) : json_null(), "long",
        f->has_geo ? json_real(f->lon) : json_null(), "media_url",
        "due_datetime", ts_or_null(f->due_answer), "on_time", on_time,
        "responsible_unit", f->unit_code ? f->unit_code : "");
}

int
mc_open311_key_create(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_open311_key_new *c = ctx;
    char key[80], hash[MC_SHA256_HEX], obj[40];
    struct mc_unit u;
    int64_t id = 0;
    json_t *p;
    int rc;

    c->out = NULL;
    memset(&u, 0, sizeof(u));
    if (c->actor->role != MC_ROLE_ADMIN) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "only administrators create Open311 keys");
    }
    if (c->unit_code != NULL) {
        rc = mc_unit_get_by_code(db, c->unit_code, &u, err);
        if (rc == MC_ENOTFOUND) {
            mc_err_clear(err);
            return mc_err_set(err, MC_EINVAL, 422, "unknown_unit",
                              "unit_code", "no such unit");
        }
        if (rc != MC_OK) {
            return rc;
        }
    }
    if (mc_token_new(key, sizeof(key)) != MC_OK) {
        return mc_err_set(err, MC_EINTERNAL, 500, "no_randomness", NULL,
                          "could not draw a random key");
    }
    mc_sha256_hex(key, strlen(key), hash);
    rc = mc_q_open311_key_insert(db, hash, c->label, u.id,
                                 c->actor->account_id, c->now, &id, err);
    if (rc != MC_OK) {
        return rc;
    }
    snprintf(obj, sizeof(obj), "open311_key:%lld", (long long)id);
    p = json_pack("{s:s,s:I}", "label", c->label, "unit_id",
                  (json_int_t)u.id);
    if (p == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_audit_append(db, c->actor->account_id, "open311.key_create", obj,
                         p, c->now, err);
    json_decref(p);
    if (rc != MC_OK) {
        return rc;
    }
    c->out = json_pack("{s:I,s:s,s:s?,s:s}", "id", (json_int_t)id, "label",
                       c->label, "unit_code", u.id ? u.code : NULL,
                       "api_key", key);
    return c->out ? MC_OK : MC_ENOMEM;
}

int
mc_open311_key_check(struct mc_db *db, const char *key, int64_t *unit_id,
                     struct mc_err *err)
{
    char hash[MC_SHA256_HEX];
    int rc;

    *unit_id = 0;
    if (key == NULL || key[0] == '\0' || strlen(key) > 128) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "bad_api_key", "api_key",
                          "a valid api_key is required");
    }
    mc_sha256_hex(key, strlen(key), hash);
    rc = mc_q_open311_key_find(db, hash, unit_id, err);
    if (rc == MC_ENOTFOUND) {
        mc_err_clear(err);
        return mc_err_set(err, MC_EFORBIDDEN, 403, "bad_api_key", "api_key",
                          "a valid api_key is required");
    }
    return rc;
}

int
mc_open311_requests(struct mc_db *db, const struct mc_open311_filter *f,
                    const int64_t *ids, int n, int64_t now,
                    struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_q_feedback_filter q = {0};
    struct mc_feedback *rows = NULL, one;
    int64_t total = 0;
    int nrows = 0, rc;

    if ((*out = json_array()) == NULL) {
        return MC_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        rc = mc_q_feedback_get(db, ids[i], a, &one, err);
        if (rc == MC_ENOTFOUND) {
            mc_err_clear(err);
            continue;
        }
        if (rc != MC_OK) {
            return rc;
        }
        json_array_append_new(*out, mc_feedback_open311_json(&one, now, a));
    }
    if (n > 0) {
        return MC_OK;
    }
    q.all = 1;
    q.category = f->service_code;
    q.from = f->start;
    q.to = f->end;
    q.status = f->status;
    if (q.from == 0 && q.to == 0) {
        q.from = now - 90 * MC_DAY;
    }
    q.limit = 1000;
    rc = mc_q_feedback_list(db, &q, a, &rows, &nrows, &total, err);
    for (int i = 0; i < nrows && rc == MC_OK; i++) {
        json_array_append_new(*out, mc_feedback_open311_json(&rows[i], now,
                                                             a));
    }
    return rc;
}
