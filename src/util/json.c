#include "util/json.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

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

/*
 * Raw fragments (mc_json_raw): a string "\x01<16 hex>\x01<text>". The
 * dump escapes it as "\u0001<16 hex>\u0001<escaped text>"; raw_splice
 * finds that needle and writes the text back unescaped, without quotes.
 * The 16 hex digits are random per process, so no client string can
 * forge a fragment.
 */
#define RAW_HEX 16
static char raw_prefix[RAW_HEX + 3];      /* \x01 hex \x01 */
static char raw_needle[RAW_HEX + 14];     /* "\u0001 hex \u0001 */
static size_t raw_prefix_len, raw_needle_len;
static pthread_once_t raw_once = PTHREAD_ONCE_INIT;

static void
raw_init(void)
{
    unsigned char r[RAW_HEX / 2];
    char hex[RAW_HEX + 1];

    if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
        /* no entropy source: still unpredictable enough to a client */
        uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
                     (uint64_t)(uintptr_t)&x;
        memcpy(r, &x, sizeof(r));
    }
    for (size_t i = 0; i < sizeof(r); i++) {
        snprintf(hex + 2 * i, 3, "%02x", r[i]);
    }
    raw_prefix_len = (size_t)snprintf(raw_prefix, sizeof(raw_prefix),
                                      "\x01%s\x01", hex);
    raw_needle_len = (size_t)snprintf(raw_needle, sizeof(raw_needle),
                                      "\"\\u0001%s\\u0001", hex);
}

json_t *
mc_json_raw(const char *text)
{
    size_t n = strlen(text);
    char *s;
    json_t *v;

    pthread_once(&raw_once, raw_init);
    if ((s = malloc(raw_prefix_len + n + 1)) == NULL) {
        return NULL;
    }
    memcpy(s, raw_prefix, raw_prefix_len);
    memcpy(s + raw_prefix_len, text, n + 1);
    v = json_stringn_nocheck(s, raw_prefix_len + n);
    free(s);
    return v;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/*
 * Unescape the raw fragments of b[from..len) in place (each shrinks). The
 * escapes are the ones jansson's compact dump writes: \" \\ \b \f \n
 * \r \t and \u00XX for other control characters.
 */
static void
raw_splice(struct mc_buf *b, size_t from)
{
    char *d = b->data, *end = b->data + b->len, *r, *w, *m;

    m = memmem(d + from, b->len - from, raw_needle, raw_needle_len);
    if (m == NULL) {
        return;
    }
    r = w = m;
    while (m != NULL) {
        if (w != r) {
            memmove(w, r, (size_t)(m - r));
        }
        w += m - r;
        r = m + raw_needle_len;
        while (r < end && *r != '"') {
            if (*r != '\\' || r + 1 >= end) {
                *w++ = *r++;
                continue;
            }
            switch (r[1]) {
            case 'b': *w++ = '\b'; r += 2; break;
            case 'f': *w++ = '\f'; r += 2; break;
            case 'n': *w++ = '\n'; r += 2; break;
            case 'r': *w++ = '\r'; r += 2; break;
            case 't': *w++ = '\t'; r += 2; break;
            case 'u':
                if (r + 6 <= end && hexval(r[2]) == 0 && hexval(r[3]) == 0 &&
                    hexval(r[4]) >= 0 && hexval(r[5]) >= 0) {
                    *w++ = (char)(hexval(r[4]) * 16 + hexval(r[5]));
                    r += 6;
                } else {
                    *w++ = *r++;
                }
                break;
            default: /* \" \\ \/ */
                *w++ = r[1];
                r += 2;
                break;
            }
        }
        if (r < end) {
            r++; /* the closing quote */
        }
        m = memmem(r, (size_t)(end - r), raw_needle, raw_needle_len);
    }
    memmove(w, r, (size_t)(end - r));
    w += end - r;
    b->len = (size_t)(w - d);
    d[b->len] = '\0';
}

int
mc_json_dump(json_t *v, struct mc_buf *b)
{
    size_t from = b->len;

    pthread_once(&raw_once, raw_init);
    if (json_dump_callback(v, dump_cb, b,
                           JSON_COMPACT | JSON_REAL_PRECISION(15)) != 0) {
        return MC_ETOOBIG;
    }
    if (b->data != NULL) {
        raw_splice(b, from);
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
