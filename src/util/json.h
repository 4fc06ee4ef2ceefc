/*
 * json.h - request-body validation on top of jansson.
 *
 * Parsing is strict: invalid UTF-8, duplicate keys, trailing garbage and
 * depth bombs are refused. Field getters check type, presence and bounds,
 * NFC-normalise strings into the request arena, and fill mc_err with the
 * field name so the client learns exactly what was wrong.
 */
#ifndef MC_UTIL_JSON_H
#define MC_UTIL_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

/* Parse body[0..len) into a JSON object (*out, caller json_decref). */
int mc_json_parse_object(const char *body, size_t len, json_t **out,
                         struct mc_err *err) MC_WUR;

/*
 * Refuse keys of obj not in allowed (NULL-terminated list): 400
 * "unknown_field" naming the first such key.
 */
int mc_json_only(json_t *obj, const char *const *allowed,
                 struct mc_err *err) MC_WUR;

/*
 * String field. Absent or null: *out = NULL, and MC_EINVAL if required.
 * Present: must be a string of 1..maxlen code points (0 allowed when
 * required is 0 and the string is empty -> *out = "" ), no control
 * characters except \n and \t; stored NFC in arena a.
 */
int mc_json_str(json_t *obj, const char *key, int required, size_t maxlen,
                struct mc_arena *a, const char **out,
                struct mc_err *err) MC_WUR;

/* Integer field within [min, max]; absent -> *out unchanged (or error). */
int mc_json_int(json_t *obj, const char *key, int required, int64_t min,
                int64_t max, int64_t *out, struct mc_err *err) MC_WUR;

/* Boolean field; absent -> *out unchanged (or error if required). */
int mc_json_bool(json_t *obj, const char *key, int required, int *out,
                 struct mc_err *err) MC_WUR;

/* Instant field (ISO 8601, see mc_parse_ts). */
int mc_json_ts(json_t *obj, const char *key, int required, int64_t *out,
               struct mc_err *err) MC_WUR;

/*
 * Serialise v compactly into b (appends). Values made by mc_json_raw are
 * written as their text, unchanged.
 */
int mc_json_dump(json_t *v, struct mc_buf *b) MC_WUR;

/*
 * Serialise v (any value) into b (appends) in the canonical form of the
 * audit chain: byte for byte jansson's json_dumps(v, JSON_SORT_KEYS |
 * JSON_COMPACT | JSON_ENCODE_ANY), i.e. keys in strcmp order, reals with
 * 17 significant digits, and mc_json_raw values as the plain strings they
 * are. MC_ETOOBIG (NaN, infinity, depth) or MC_ENOMEM; b unchanged then.
 */
int mc_json_canonical(json_t *v, struct mc_buf *b) MC_WUR;

/*
 * A value that mc_json_dump writes verbatim as text (copied; the caller
 * keeps text). text must be one complete JSON value that this program
 * wrote itself (not checked: a stored document such as a dossier's
 * due_provenance), so that answers can carry it without a parse and
 * re-serialisation. Inside the tree it is a string with a secret
 * per-process prefix, so only mc_json_dump may consume it. New reference,
 * or NULL on out-of-memory.
 */
json_t *mc_json_raw(const char *text);

/* json string of an instant in Vietnam local ISO form, or null if ts==0. */
json_t *mc_json_ts_value(int64_t ts);

/*
 * An object written straight into a buffer, member by member, without a
 * jansson tree: the bytes are those mc_json_dump writes for the tree with
 * the same members in the same order (a string as mc_json_dump escapes it,
 * an instant as mc_json_ts_value formats it). For hot answers (the dossier
 * after a write), where building and freeing the tree cost more than the
 * text. The first error sticks in rc and later calls do nothing; b keeps
 * what was written (the caller resets it on error). Keys are literals
 * that need no escape (they are copied as they are).
 *
 *     struct mc_jw w;
 *     mc_jw_begin(&w, b);
 *     mc_jw_int(&w, "id", 42);
 *     mc_jw_open(&w, "applicant"); mc_jw_str(&w, "name", n); mc_jw_close(&w);
 *     rc = mc_jw_end(&w);
 */
struct mc_jw {
    struct mc_buf *b;  /* borrowed */
    int rc;            /* MC_OK or the first error */
    int first;         /* no member written yet in the innermost object */
};

/* Start the object ('{') in b (borrowed, appended to). */
void mc_jw_begin(struct mc_jw *w, struct mc_buf *b);
/* "key": then a string, or null when s is NULL (s borrowed). */
void mc_jw_str(struct mc_jw *w, const char *key, const char *s);
/* "key": an integer. */
void mc_jw_int(struct mc_jw *w, const char *key, int64_t v);
/* "key": an integer, or null when v is 0 (optional ids). */
void mc_jw_id(struct mc_jw *w, const char *key, int64_t v);
/* "key": an instant as mc_json_ts_value writes it (null when 0). */
void mc_jw_ts(struct mc_jw *w, const char *key, int64_t ts);
/* "key": text written as is (one JSON value this program wrote itself,
 * as for mc_json_raw), or null when text is NULL. */
void mc_jw_raw(struct mc_jw *w, const char *key, const char *text);
/* "key": any jansson value (borrowed), as mc_json_dump writes it. */
void mc_jw_value(struct mc_jw *w, const char *key, json_t *v);
/* "key": true or false. */
void mc_jw_bool(struct mc_jw *w, const char *key, int v);
/* "key":[ ... ]: open, then per element mc_jw_item (a string) or
 * mc_jw_item_open ... mc_jw_close (an object), then mc_jw_array_end. */
void mc_jw_array(struct mc_jw *w, const char *key);
void mc_jw_item(struct mc_jw *w, const char *s);
void mc_jw_item_open(struct mc_jw *w);
void mc_jw_array_end(struct mc_jw *w);
/* "key":{ ... }: a nested object, ended by mc_jw_close. */
void mc_jw_open(struct mc_jw *w, const char *key);
void mc_jw_close(struct mc_jw *w);
/* End the object ('}'); MC_OK or the first error (MC_ETOOBIG, MC_ENOMEM). */
int mc_jw_end(struct mc_jw *w) MC_WUR;

#endif
