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

/*
 * Raw fragments (mc_json_raw) are strings "\x01<16 hex>\x01<text>"; the
 * 16 hex digits are random per process, so no client string can forge
 * one. mc_json_dump writes <text> as is.
 */
#define RAW_HEX 16
static char raw_prefix[RAW_HEX + 3]; /* \x01 hex \x01 */
static size_t raw_prefix_len;
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

/*
 * The serialiser. Its output is byte for byte that of jansson's
 * json_dump_callback(JSON_COMPACT | JSON_REAL_PRECISION(15)), which spent
 * about 75 instructions per byte (UTF-8 re-validation of every string,
 * one callback per token, loop detection with a hash table). Strings are
 * valid UTF-8 already: jansson checks them when they are made.
 */
#define DUMP_DEPTH_MAX 2048

/* 1 for the bytes that jansson escapes: '"', '\\' and controls. */
static const unsigned char esc_tab[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

static int
dump_str(struct mc_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n, *run;
    char u[8];
    int rc = mc_buf_addc(b, '"');

    while (rc == MC_OK && p < e) {
        for (run = p; p < e && !esc_tab[*p]; p++) {
        }
        if (p > run) {
            rc = mc_buf_add(b, run, (size_t)(p - run));
        }
        if (rc != MC_OK || p == e) {
            break;
        }
        switch (*p) {
        case '"': rc = mc_buf_add(b, "\\\"", 2); break;
        case '\\': rc = mc_buf_add(b, "\\\\", 2); break;
        case '\b': rc = mc_buf_add(b, "\\b", 2); break;
        case '\f': rc = mc_buf_add(b, "\\f", 2); break;
        case '\n': rc = mc_buf_add(b, "\\n", 2); break;
        case '\r': rc = mc_buf_add(b, "\\r", 2); break;
        case '\t': rc = mc_buf_add(b, "\\t", 2); break;
        default:
            snprintf(u, sizeof(u), "\\u%04X", (unsigned)*p);
            rc = mc_buf_add(b, u, 6);
            break;
        }
        p++;
    }
    return rc == MC_OK ? mc_buf_addc(b, '"') : rc;
}

/* Decimal digits from the end, without printf's overhead. */
static int
dump_int(struct mc_buf *b, int64_t x)
{
    char t[24], *e = t + sizeof(t), *p = e;
    uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (x < 0) {
        *--p = '-';
    }
    return mc_buf_add(b, p, (size_t)(e - p));
}

/* jansson's jsonp_dtostr: "%.<prec>g", then ".0" if it reads as an
 * integer, and the exponent without '+' and leading zeros. */
static int
dump_real(struct mc_buf *b, double v, int prec)
{
    char t[64], *e, *from;
    int n;

    if (v != v || v - v != 0) {
        return MC_ETOOBIG; /* NaN, infinity: jansson refuses them too */
    }
    n = snprintf(t, sizeof(t) - 3, "%.*g", prec, v);
    if (n < 0 || (size_t)n >= sizeof(t) - 3) {
        return MC_ETOOBIG;
    }
    for (char *c = t; *c; c++) {
        if (*c == ',') {
            *c = '.'; /* a locale's decimal comma */
        }
    }
    if (strchr(t, '.') == NULL && strchr(t, 'e') == NULL) {
        memcpy(t + n, ".0", 3);
        n += 2;
    }
    if ((e = strchr(t, 'e')) != NULL) {
        e++;
        from = e + 1;
        if (*e == '-') {
            e++;
        }
        while (*from == '0') {
            from++;
        }
        if (from != e) {
            memmove(e, from, strlen(from) + 1);
            n = (int)strlen(t);
        }
    }
    return mc_buf_add(b, t, (size_t)n);
}

static int dump_value(json_t *v, struct mc_buf *b, int depth, int canon);

/* One member of an object, for the sorted order of the canonical form. */
struct member {
    const char *key;
    json_t *v;
};

static int
member_cmp(const void *x, const void *y)
{
    return strcmp(((const struct member *)x)->key,
                  ((const struct member *)y)->key);
}

/* An object with its keys in strcmp order (jansson's JSON_SORT_KEYS). */
static int
dump_sorted(json_t *v, struct mc_buf *b, int depth)
{
    struct member stack[32], *m = stack;
    size_t n = json_object_size(v), i = 0;
    const char *key;
    json_t *x;
    int rc;

    if (n > sizeof(stack) / sizeof(stack[0]) &&
        (m = malloc(n * sizeof(*m))) == NULL) {
        return MC_ENOMEM;
    }
    json_object_foreach (v, key, x) {
        m[i].key = key;
        m[i++].v = x;
    }
    if (n <= sizeof(stack) / sizeof(stack[0])) {
        /* insertion sort: audit payloads have a handful of keys */
        for (size_t j = 1; j < n; j++) {
            struct member t = m[j];
            size_t k = j;

            while (k > 0 && strcmp(m[k - 1].key, t.key) > 0) {
                m[k] = m[k - 1];
                k--;
            }
            m[k] = t;
        }
    } else {
        qsort(m, n, sizeof(*m), member_cmp);
    }
    rc = mc_buf_addc(b, '{');
    for (i = 0; i < n && rc == MC_OK; i++) {
        if (i > 0) {
            rc = mc_buf_addc(b, ',');
        }
        if (rc == MC_OK) {
            rc = dump_str(b, m[i].key, strlen(m[i].key));
        }
        if (rc == MC_OK) {
            rc = mc_buf_addc(b, ':');
        }
        if (rc == MC_OK) {
            rc = dump_value(m[i].v, b, depth + 1, 1);
        }
    }
    if (m != stack) {
        free(m);
    }
    return rc == MC_OK ? mc_buf_addc(b, '}') : rc;
}

/*
 * canon 0: mc_json_dump's form (raw values as their text, reals with 15
 * digits); canon 1: mc_json_canonical's (keys sorted, raw values as the
 * strings they are, reals with jansson's default 17 digits).
 */
static int
dump_value(json_t *v, struct mc_buf *b, int depth, int canon)
{
    int rc = MC_OK, first = 1;

    if (depth > DUMP_DEPTH_MAX) {
        return MC_ETOOBIG;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *x;

        if (canon) {
            return dump_sorted(v, b, depth);
        }
        rc = mc_buf_addc(b, '{');
        json_object_foreach (v, key, x) {
            if (rc == MC_OK && !first) {
                rc = mc_buf_addc(b, ',');
            }
            first = 0;
            if (rc == MC_OK) {
                rc = dump_str(b, key, strlen(key));
            }
            if (rc == MC_OK) {
                rc = mc_buf_addc(b, ':');
            }
            if (rc == MC_OK) {
                rc = dump_value(x, b, depth + 1, canon);
            }
            if (rc != MC_OK) {
                return rc;
            }
        }
        return mc_buf_addc(b, '}');
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *x;

        rc = mc_buf_addc(b, '[');
        json_array_foreach (v, i, x) {
            if (rc == MC_OK && i > 0) {
                rc = mc_buf_addc(b, ',');
            }
            if (rc == MC_OK) {
                rc = dump_value(x, b, depth + 1, canon);
            }
            if (rc != MC_OK) {
                return rc;
            }
        }
        return mc_buf_addc(b, ']');
    }
    case JSON_STRING: {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);

        if (!canon && n > raw_prefix_len && raw_prefix_len > 0 &&
            memcmp(s, raw_prefix, raw_prefix_len) == 0) {
            return mc_buf_add(b, s + raw_prefix_len, n - raw_prefix_len);
        }
        return dump_str(b, s, n);
    }
    case JSON_INTEGER:
        return dump_int(b, json_integer_value(v));
    case JSON_REAL:
        return dump_real(b, json_real_value(v), canon ? 17 : 15);
    case JSON_TRUE:
        return mc_buf_add(b, "true", 4);
    case JSON_FALSE:
        return mc_buf_add(b, "false", 5);
    case JSON_NULL:
        return mc_buf_add(b, "null", 4);
    }
    return MC_ETOOBIG;
}

int
mc_json_dump(json_t *v, struct mc_buf *b)
{
    size_t from = b->len;
    int rc;

    /* like json_dump_callback without JSON_ENCODE_ANY */
    if (v == NULL || !(json_is_object(v) || json_is_array(v))) {
        return MC_ETOOBIG;
    }
    pthread_once(&raw_once, raw_init);
    rc = dump_value(v, b, 0, 0);
    if (rc != MC_OK) {
        b->len = from; /* nothing half-written */
        if (b->data != NULL) {
            b->data[from] = '\0';
        }
        return MC_ETOOBIG;
    }
    return MC_OK;
}

int
mc_json_canonical(json_t *v, struct mc_buf *b)
{
    size_t from = b->len;
    int rc;

    if (v == NULL) {
        return MC_ETOOBIG;
    }
    pthread_once(&raw_once, raw_init);
    rc = dump_value(v, b, 0, 1);
    if (rc != MC_OK) {
        b->len = from; /* nothing half-written */
        if (b->data != NULL) {
            b->data[from] = '\0';
        }
        return rc == MC_ENOMEM ? MC_ENOMEM : MC_ETOOBIG;
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

/* ---- mc_jw: an object written member by member (see json.h) ---- */

void
mc_jw_begin(struct mc_jw *w, struct mc_buf *b)
{
    w->b = b;
    w->first = 1;
    w->rc = mc_buf_addc(b, '{');
}

/* ,"key": (the comma unless first); key is a literal that needs no
 * escape, so it is copied as is. */
static int
jw_key(struct mc_jw *w, const char *key)
{
    size_t k = strlen(key);
    char *p;

    if (w->rc != MC_OK || (w->rc = mc_buf_reserve(w->b, k + 4)) != MC_OK) {
        return 0;
    }
    p = w->b->data + w->b->len;
    if (!w->first) {
        *p++ = ',';
    }
    w->first = 0;
    *p++ = '"';
    memcpy(p, key, k);
    p += k;
    *p++ = '"';
    *p++ = ':';
    *p = '\0';
    w->b->len = (size_t)(p - w->b->data);
    return 1;
}

void
mc_jw_str(struct mc_jw *w, const char *key, const char *s)
{
    if (jw_key(w, key)) {
        w->rc = s != NULL ? dump_str(w->b, s, strlen(s))
                          : mc_buf_add(w->b, "null", 4);
    }
}

void
mc_jw_int(struct mc_jw *w, const char *key, int64_t v)
{
    if (jw_key(w, key)) {
        w->rc = dump_int(w->b, v);
    }
}

void
mc_jw_id(struct mc_jw *w, const char *key, int64_t v)
{
    if (jw_key(w, key)) {
        w->rc = v != 0 ? dump_int(w->b, v) : mc_buf_add(w->b, "null", 4);
    }
}

void
mc_jw_ts(struct mc_jw *w, const char *key, int64_t ts)
{
    char s[40];
    size_t n;

    if (ts == 0) {
        mc_jw_str(w, key, NULL);
        return;
    }
    /* "YYYY-MM-DDTHH:MM:SS+07:00": nothing to escape */
    s[0] = '"';
    mc_fmt_ts(ts, s + 1, (int)sizeof(s) - 2);
    n = strlen(s);
    s[n] = '"';
    if (jw_key(w, key)) {
        w->rc = mc_buf_add(w->b, s, n + 1);
    }
}

void
mc_jw_raw(struct mc_jw *w, const char *key, const char *text)
{
    if (jw_key(w, key)) {
        w->rc = text != NULL ? mc_buf_adds(w->b, text)
                             : mc_buf_add(w->b, "null", 4);
    }
}

void
mc_jw_value(struct mc_jw *w, const char *key, json_t *v)
{
    if (jw_key(w, key)) {
        pthread_once(&raw_once, raw_init);
        w->rc = v != NULL ? dump_value(v, w->b, 1, 0) : MC_ENOMEM;
    }
}

void
mc_jw_array(struct mc_jw *w, const char *key)
{
    if (jw_key(w, key)) {
        w->rc = mc_buf_addc(w->b, '[');
        w->first = 1;
    }
}

void
mc_jw_item(struct mc_jw *w, const char *s)
{
    if (w->rc == MC_OK && !w->first) {
        w->rc = mc_buf_addc(w->b, ',');
    }
    w->first = 0;
    if (w->rc == MC_OK) {
        w->rc = dump_str(w->b, s, strlen(s));
    }
}

void
mc_jw_item_open(struct mc_jw *w)
{
    if (w->rc == MC_OK && !w->first) {
        w->rc = mc_buf_addc(w->b, ',');
    }
    if (w->rc == MC_OK) {
        w->rc = mc_buf_addc(w->b, '{');
    }
    w->first = 1;
}

void
mc_jw_bool(struct mc_jw *w, const char *key, int v)
{
    if (jw_key(w, key)) {
        w->rc = v ? mc_buf_add(w->b, "true", 4) : mc_buf_add(w->b, "false", 5);
    }
}

void
mc_jw_array_end(struct mc_jw *w)
{
    if (w->rc == MC_OK) {
        w->rc = mc_buf_addc(w->b, ']');
    }
    w->first = 0;
}

void
mc_jw_open(struct mc_jw *w, const char *key)
{
    if (jw_key(w, key)) {
        w->rc = mc_buf_addc(w->b, '{');
        w->first = 1;
    }
}

void
mc_jw_close(struct mc_jw *w)
{
    if (w->rc == MC_OK) {
        w->rc = mc_buf_addc(w->b, '}');
    }
    w->first = 0;
}

int
mc_jw_end(struct mc_jw *w)
{
    if (w->rc == MC_OK) {
        w->rc = mc_buf_addc(w->b, '}');
    }
    return w->rc == MC_OK ? MC_OK
           : w->rc == MC_ENOMEM ? MC_ENOMEM
                                : MC_ETOOBIG;
}
