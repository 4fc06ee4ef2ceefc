#include "util/json.h"

#include <string.h>

#include "util/mctime.h"
#include "util/text.h"

int
mc_json_parse_object(const char *body, size_t len, json_t **out,
                     struct mc_err *err)
{
    json_error_t je;
    json_t *v;

    *out = NULL;
    if (len == 0) {
        return mc_err_set(err, MC_EINVAL, 400, "empty_body", NULL,
                          "request body is empty; a JSON object is expected");
    }
    v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (v == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "malformed_json", NULL,
                          "malformed JSON at line %d column %d: %s", je.line,
                          je.column, je.text);
    }
    if (!json_is_object(v)) {
        json_decref(v);
        return mc_err_set(err, MC_EINVAL, 400, "malformed_json", NULL,
                          "the body must be a JSON object");
    }
    *out = v;
    return MC_OK;
}

int
mc_json_only(json_t *obj, const char *const *allowed, struct mc_err *err)
{
    const char *key;
    json_t *val;

    json_object_foreach(obj, key, val) {
        const char *const *a;
        int ok = 0;

        (void)val;
        for (a = allowed; *a != NULL; a++) {
            if (strcmp(*a, key) == 0) {
                ok = 1;
                break;
            }
        }
        if (!ok) {
            return mc_err_set(err, MC_EINVAL, 400, "unknown_field", key,
                              "unknown field '%.48s'", key);
        }
    }
    return MC_OK;
}

int
mc_json_str(json_t *obj, const char *key, int required, size_t maxlen,
            struct mc_arena *a, const char **out, struct mc_err *err)
{
    json_t *v = json_object_get(obj, key);
    const char *s;
    char *n;
    size_t cps;

    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (required) {
            return mc_err_set(err, MC_EINVAL, 400, "missing_field", key,
                              "field '%s' is required", key);
        }
        return MC_OK;
    }
    if (!json_is_string(v)) {
        return mc_err_set(err, MC_EINVAL, 400, "wrong_type", key,
                          "field '%s' must be a string", key);
    }
    s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_text", key,
                          "field '%s' contains a NUL character", key);
    }
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            return mc_err_set(err, MC_EINVAL, 400, "invalid_text", key,
                              "field '%s' contains control characters",
                              key);
        }
    }
    n = mc_utf8_nfc(a, s);
    if (n == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_text", key,
                          "field '%s' is not valid UTF-8", key);
    }
    cps = mc_utf8_len(n);
    if (required && cps == 0) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", key,
                          "field '%s' must not be empty", key);
    }
    if (cps > maxlen) {
        return mc_err_set(err, MC_EINVAL, 400, "too_long", key,
                          "field '%s' is longer than %zu characters", key,
                          maxlen);
    }
    *out = n;
    return MC_OK;
}

int
mc_json_int(json_t *obj, const char *key, int required, int64_t min,
            int64_t max, int64_t *out, struct mc_err *err)
{
    json_t *v = json_object_get(obj, key);
    json_int_t i;

    if (v == NULL || json_is_null(v)) {
        if (required) {
            return mc_err_set(err, MC_EINVAL, 400, "missing_field", key,
                              "field '%s' is required", key);
        }
        return MC_OK;
    }
    if (!json_is_integer(v)) {
        return mc_err_set(err, MC_EINVAL, 400, "wrong_type", key,
                          "field '%s' must be an integer", key);
    }
    i = json_integer_value(v);
    if (i < min || i > max) {
        return mc_err_set(err, MC_EINVAL, 400, "out_of_range", key,
                          "field '%s' must be between %lld and %lld", key,
                          (long long)min, (long long)max);
    }
    *out = i;
    return MC_OK;
}

int
mc_json_bool(json_t *obj, const char *key, int required, int *out,
             struct mc_err *err)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v)) {
        if (required) {
            return mc_err_set(err, MC_EINVAL, 400, "missing_field", key,
                              "field '%s' is required", key);
        }
        return MC_OK;
    }
    if (!json_is_boolean(v)) {
        return mc_err_set(err, MC_EINVAL, 400, "wrong_type", key,
                          "field '%s' must be true or false", key);
    }
    *out = json_is_true(v);
    return MC_OK;
}

int
mc_json_ts(json_t *obj, const char *key, int required, int64_t *out,
           struct mc_err *err)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v)) {
        if (required) {
            return mc_err_set(err, MC_EINVAL, 400, "missing_field", key,
                              "field '%s' is required", key);
        }
        return MC_OK;
    }
    if (!json_is_string(v) || mc_parse_ts(json_string_value(v), out) != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_time", key,
                          "field '%s' must be an ISO 8601 date or time "
                          "(YYYY-MM-DD or YYYY-MM-DDTHH:MM[+07:00])",
                          key);
    }
    return MC_OK;
}

static int
dump_cb(const char *buffer, size_t size, void *data)
{
    return mc_buf_add(data, buffer, size) == MC_OK ? 0 : -1;
}

int
mc_json_dump(json_t *v, struct mc_buf *b)
{
    if (json_dump_callback(v, dump_cb, b,
                           JSON_COMPACT | JSON_REAL_PRECISION(15)) != 0) {
        return MC_ETOOBIG;
    }
    return MC_OK;
}

json_t *
mc_json_ts_value(int64_t ts)
{
    char s[32];

    if (ts == 0) {
        return json_null();
    }
    mc_fmt_ts(ts, s, sizeof(s));
    return json_string(s);
}
