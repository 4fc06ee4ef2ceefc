/*
 * catalog.c - procedure catalog: reading, public JSON, validation,
 * default steps, versioned merge of imported procedures and the
 * administrator's time-limit update (see catalog.h). File formats are in
 * catalog_io.c.
 */
#include "domain/catalog.h"

#include <stddef.h>
#include <string.h>

#include "util/json.h"
#include "util/text.h"

static const char *const UNITS[] = {MC_UNIT_WORKDAYS, MC_UNIT_HALFDAYS,
                                    MC_UNIT_WORKHOURS, MC_UNIT_SAMEDAY,
                                    NULL};
static const char *const KINDS[] = {"original", "certified", "copy", "both",
                                    "any", NULL};
static const char *const ROLES[] = {"desk", "specialist", "leader", NULL};
static const char *const PAUSES[] = {"restart", "subtract", NULL};
static const char *const LEVELS[] = {"full", "partial", "none", NULL};
static const char *const CHANNELS[] = {"online", "post", "counter", NULL};

static int
in_set(const char *s, const char *const *set)
{
    if (s == NULL) {
        return 0;
    }
    for (; *set != NULL; set++) {
        if (strcmp(s, *set) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
oom(struct mc_err *err)
{
    return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                      "out of memory");
}

static int
bad(struct mc_err *err, const char *field, const char *what,
    const struct mc_procedure *p)
{
    return mc_err_set(err, MC_EINVAL, 400, "invalid_procedure", field,
                      "procedure %.24s: %s",
                      p->code != NULL ? p->code : "?", what);
}

/* ---- reading ---- */

static int
with_detail(struct mc_db *db, struct mc_procedure *p, struct mc_arena *a,
            struct mc_procedure **out, struct mc_err *err)
{
    struct mc_procedure *r;
    int rc = mc_q_proc_load_detail(db, p, a, err);

    if (rc != MC_OK) {
        return rc;
    }
    r = mc_arena_alloc(a, sizeof(*r));
    if (r == NULL) {
        return oom(err);
    }
    *r = *p;
    *out = r;
    return MC_OK;
}

int
mc_catalog_get(struct mc_db *db, int64_t id, struct mc_arena *a,
               struct mc_procedure **out, struct mc_err *err)
{
    struct mc_procedure p;
    int rc;

    *out = NULL;
    rc = mc_q_proc_by_id(db, id, a, &p, err);
    return rc == MC_OK ? with_detail(db, &p, a, out, err) : rc;
}

int
mc_catalog_get_in_force(struct mc_db *db, const char *code, int64_t at,
                        struct mc_arena *a, struct mc_procedure **out,
                        struct mc_err *err)
{
    struct mc_procedure p;
    int rc;

    *out = NULL;
    rc = mc_q_proc_in_force(db, code, at, a, &p, err);
    return rc == MC_OK ? with_detail(db, &p, a, out, err) : rc;
}

int
mc_catalog_get_latest(struct mc_db *db, const char *code,
                      struct mc_arena *a, struct mc_procedure **out,
                      struct mc_err *err)
{
    struct mc_procedure p;
    int rc;

    *out = NULL;
    rc = mc_q_proc_latest(db, code, a, &p, err);
    return rc == MC_OK ? with_detail(db, &p, a, out, err) : rc;
}

/* 1 if s looks like the start of a national code: digits and dots. */
static int
code_like(const char *s)
{
    if (*s < '0' || *s > '9') {
        return 0;
    }
    for (; *s; s++) {
        if ((*s < '0' || *s > '9') && *s != '.') {
            return 0;
        }
    }
    return 1;
}

int
mc_catalog_search(struct mc_db *db, const char *q, const char *field,
                  int flags, int64_t limit, int64_t offset,
                  struct mc_arena *a, struct mc_procedure_list *list,
                  int64_t *total, struct mc_err *err)
{
    struct mc_q_proc_filter f;
    char *key = NULL, *w;

    list->items = NULL;
    list->n = 0;
    *total = 0;
    if (limit < 1 || limit > MC_CATALOG_MAX_PAGE) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_limit", "limit",
                          "limit must be between 1 and %d",
                          MC_CATALOG_MAX_PAGE);
    }
    if (offset < 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_offset", "offset",
                          "offset must not be negative");
    }
    memset(&f, 0, sizeof(f));
    f.limit = limit;
    f.offset = offset;
    f.field = field != NULL && *field != '\0' ? field : NULL;
    f.want_incomplete = (flags & MC_CATALOG_INCOMPLETE) != 0;
    f.want_unit_assumed = (flags & MC_CATALOG_UNIT_ASSUMED) != 0;
    if (q != NULL) {
        key = mc_fold(a, q);
        if (key == NULL) {
            return mc_err_set(err, MC_EINVAL, 400, "invalid_text", "q",
                              "the query is not valid UTF-8");
        }
    }
    if (key != NULL && *key != '\0') {
        if (code_like(key)) {
            f.code_prefix = key;
        }
        /* split the folded key (single spaces) into words in place */
        for (w = key; w != NULL && *w != '\0';) {
            char *sp = strchr(w, ' ');

            if (f.nwords == MC_Q_MAX_WORDS) {
                return mc_err_set(err, MC_EINVAL, 400, "query_too_long",
                                  "q", "at most %d words",
                                  MC_Q_MAX_WORDS);
            }
            if (sp != NULL) {
                *sp = '\0';
            }
            f.words[f.nwords++] = w;
            w = sp != NULL ? sp + 1 : NULL;
        }
    }
    return mc_q_proc_search(db, &f, a, &list->items, &list->n, total, err);
}

/* ---- minutes and steps ---- */

int
mc_catalog_unit_valid(const char *unit)
{
    return in_set(unit, UNITS);
}

int64_t
mc_catalog_unit_minutes(const char *unit, int64_t value)
{
    if (unit == NULL) {
        return 0;
    }
    if (strcmp(unit, MC_UNIT_WORKDAYS) == 0) {
        return value * MC_MINUTES_PER_WORKDAY;
    }
    if (strcmp(unit, MC_UNIT_HALFDAYS) == 0) {
        return value * MC_MINUTES_PER_HALFDAY;
    }
    if (strcmp(unit, MC_UNIT_WORKHOURS) == 0) {
        return value * 60;
    }
    if (strcmp(unit, MC_UNIT_SAMEDAY) == 0) {
        return MC_MINUTES_PER_WORKDAY;
    }
    return 0;
}

int64_t
mc_catalog_limit_minutes(const struct mc_procedure *p)
{
    if (p->incomplete) {
        return 0;
    }
    return mc_catalog_unit_minutes(p->limit_unit, p->limit_value);
}

size_t
mc_catalog_default_steps(int64_t total, struct mc_step out[4])
{
    int64_t s = total / 8, desk, leader;

    if (total < 8) {
        return 0; /* below any real limit (1 working hour = 60) */
    }
    if (s >= 5) {
        s -= s % 5;
    }
    desk = s < 240 ? s : 240;
    leader = s < 480 ? s : 480;
    memset(out, 0, 4 * sizeof(*out));
    out[0] = (struct mc_step){0, 1, "Tiếp nhận hồ sơ", "desk", desk};
    out[1] = (struct mc_step){0, 2, "Thẩm định hồ sơ", "specialist",
                              total - 2 * desk - leader};
    out[2] = (struct mc_step){0, 3, "Phê duyệt", "leader", leader};
    out[3] = (struct mc_step){0, 4, "Trả kết quả", "desk", desk};
    return 4;
}

/* ---- validation ---- */

int
mc_catalog_code_valid(const char *s)
{
    const char *dot;

    if (s == NULL || strlen(s) > 20 || (dot = strchr(s, '.')) == NULL ||
        dot == s || dot[1] == '\0') {
        return 0;
    }
    for (const char *p = s; *p; p++) {
        if ((*p < '0' || *p > '9') && p != dot) {
            return 0;
        }
    }
    return 1;
}

static int
valid_channels(const char *s)
{
    char seen[3] = {0, 0, 0};

    if (s == NULL || *s == '\0') {
        return s != NULL;
    }
    while (*s) {
        const char *e = strchr(s, '|');
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
        int k = -1;

        for (int i = 0; CHANNELS[i] != NULL; i++) {
            if (strlen(CHANNELS[i]) == n && memcmp(CHANNELS[i], s, n) == 0) {
                k = i;
            }
        }
        if (k < 0 || seen[k]) {
            return 0;
        }
        seen[k] = 1;
        s += n;
        if (*s == '|') {
            s++;
            if (*s == '\0') {
                return 0;
            }
        }
    }
    return 1;
}

static int
validate_limit(const struct mc_procedure *p, struct mc_err *err)
{
    if (p->incomplete) {
        if (p->limit_unit != NULL || p->limit_value != 0 ||
            p->unit_assumed || p->cutoff_15h) {
            return bad(err, "time_limit", "an incomplete procedure has no "
                       "time limit", p);
        }
        if (p->nsteps != 0) {
            return bad(err, "steps", "an incomplete procedure has no steps",
                       p);
        }
        return MC_OK;
    }
    if (!in_set(p->limit_unit, UNITS)) {
        return bad(err, "limit_unit", "unknown time-limit unit", p);
    }
    if (p->limit_value < 1 || p->limit_value > MC_CATALOG_MAX_LIMIT) {
        return bad(err, "limit_value", "time limit out of range", p);
    }
    if (strcmp(p->limit_unit, MC_UNIT_SAMEDAY) == 0 && p->limit_value != 1) {
        return bad(err, "limit_value", "a same-day limit has value 1", p);
    }
    if (p->cutoff_15h && strcmp(p->limit_unit, MC_UNIT_SAMEDAY) != 0) {
        return bad(err, "cutoff_15h", "the 15:00 cutoff applies to "
                   "same-day procedures only", p);
    }
    if (p->unit_assumed && strcmp(p->limit_unit, MC_UNIT_WORKDAYS) != 0) {
        return bad(err, "unit_assumed", "an assumed unit is working days",
                   p);
    }
    return MC_OK;
}

/* NULL, or at most max characters and no control characters but
 * tab and newlines (what the JSON format accepts back). */
static int
text_ok(const char *s, size_t max)
{
    if (s == NULL) {
        return 1;
    }
    for (const char *q = s; *q; q++) {
        unsigned char c = (unsigned char)*q;

        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            return 0;
        }
    }
    return mc_utf8_len(s) <= max;
}

#define PTEXT(key, member, max)                                            \
    { key, offsetof(struct mc_procedure, member), max }

static int
validate_texts(const struct mc_procedure *p, struct mc_err *err)
{
    static const struct {
        const char *key;
        size_t off;
        size_t max;
    } t[] = {
        PTEXT("name", name, 2000),
        PTEXT("field", field, 500),
        PTEXT("level", level, 500),
        PTEXT("fee", fee_text, 2000),
        PTEXT("decision_no", decision_no, 200),
        PTEXT("competent_agency", competent_agency, 2000),
        PTEXT("implementing_agency", implementing_agency, 2000),
        PTEXT("source", source, 2000),
        PTEXT("portal_url", portal_url, 2000),
        PTEXT("time_limit_by_channel", limit_by_channel, 8000),
        PTEXT("fee_by_channel", fee_by_channel, 20000),
        PTEXT("notes", notes, 8000),
        PTEXT("source_limit", src_limit_value, 100),
        PTEXT("source_limit", src_limit_unit, 200),
    };

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const char *v = *(const char *const *)((const char *)p + t[i].off);

        if (!text_ok(v, t[i].max)) {
            return mc_err_set(err, MC_EINVAL, 400, "invalid_procedure",
                              t[i].key, "procedure %.24s: %s is longer "
                              "than %zu characters or has control "
                              "characters", p->code, t[i].key, t[i].max);
        }
    }
    for (size_t i = 0; i < p->ncomponents; i++) {
        const struct mc_component *c = &p->components[i];

        if (!text_ok(c->name, 8000) || !text_ok(c->section, 2000) ||
            !text_ok(c->quantity_text, 200) || !text_ok(c->form_file, 500)) {
            return bad(err, "components", "component text too long or with "
                       "control characters", p);
        }
    }
    for (size_t i = 0; i < p->nsteps; i++) {
        if (!text_ok(p->steps[i].name, 200)) {
            return bad(err, "steps", "step name too long", p);
        }
    }
    return MC_OK;
}

static int
validate_parts(const struct mc_procedure *p, struct mc_err *err)
{
    int64_t sum = 0;

    for (size_t i = 0; i < p->ncomponents; i++) {
        const struct mc_component *c = &p->components[i];

        if (c->name == NULL || *c->name == '\0' || !in_set(c->kind, KINDS) ||
            c->qty_original < 0 || c->qty_original > 100 ||
            c->qty_copy < 0 || c->qty_copy > 100 ||
            c->seq != (int)i + 1 || c->source_seq < 0) {
            return bad(err, "components", "bad dossier component", p);
        }
    }
    if (p->nsteps > MC_CATALOG_MAX_STEPS) {
        return bad(err, "steps", "too many steps", p);
    }
    for (size_t i = 0; i < p->nsteps; i++) {
        const struct mc_step *s = &p->steps[i];

        if (s->name == NULL || *s->name == '\0' || !in_set(s->role, ROLES) ||
            s->budget_minutes <= 0 || s->seq != (int)i + 1) {
            return bad(err, "steps", "bad step (name, role desk|specialist|"
                       "leader, budget_minutes > 0)", p);
        }
        sum += s->budget_minutes;
    }
    if (!p->incomplete && sum != mc_catalog_limit_minutes(p)) {
        return mc_err_set(err, MC_EINVAL, 400, "invalid_procedure", "steps",
                          "procedure %.24s: step budgets add up to %lld "
                          "minutes, the limit is %lld",
                          p->code, (long long)sum,
                          (long long)mc_catalog_limit_minutes(p));
    }
    return MC_OK;
}

int
mc_catalog_validate(const struct mc_procedure *p, struct mc_err *err)
{
    int rc;

    if (!mc_catalog_code_valid(p->code)) {
        return bad(err, "code", "the code must look like 1.001612", p);
    }
    if (p->name == NULL || *p->name == '\0' ||
        mc_utf8_len(p->name) > 2000) {
        return bad(err, "name", "a name of 1..2000 characters is required",
                   p);
    }
    if (p->field == NULL || *p->field == '\0') {
        return bad(err, "field", "the field (lĩnh vực) is required", p);
    }
    if (p->level == NULL) {
        return bad(err, "level", "the level is required", p);
    }
    if ((rc = validate_limit(p, err)) != MC_OK) {
        return rc;
    }
    if (!in_set(p->pause_policy, PAUSES)) {
        return bad(err, "pause_policy", "pause policy is restart or "
                   "subtract", p);
    }
    if (!in_set(p->online_level, LEVELS)) {
        return bad(err, "online_level", "online level is full, partial or "
                   "none", p);
    }
    if (!valid_channels(p->channels)) {
        return bad(err, "channels", "channels are online, post, counter",
                   p);
    }
    if (p->fee_amount < -1) {
        return bad(err, "fee", "negative fee", p);
    }
    if ((rc = validate_texts(p, err)) != MC_OK) {
        return rc;
    }
    return validate_parts(p, err);
}

/* ---- public JSON ---- */

static json_t *
jstr(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *
channels_json(const char *s)
{
    json_t *arr = json_array();

    while (arr != NULL && s != NULL && *s) {
        const char *e = strchr(s, '|');
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s);

        if (json_array_append_new(arr, json_stringn(s, n)) != 0) {
            json_decref(arr);
            return NULL;
        }
        s += n + (e != NULL);
    }
    return arr;
}

static json_t *
components_json(const struct mc_procedure *p)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < p->ncomponents; i++) {
        const struct mc_component *c = &p->components[i];
        json_t *o = json_pack(
            "{s:I, s:i, s:o, s:o, s:s, s:i, s:i, s:o, s:b, s:o}", "id",
            (json_int_t)c->id, "seq", c->seq, "section", jstr(c->section),
            "name", jstr(c->name), "kind", c->kind, "qty_original",
            c->qty_original, "qty_copy", c->qty_copy, "quantity_text",
            jstr(c->quantity_text), "mandatory", c->mandatory, "form_file",
            jstr(c->form_file));

        if (o != NULL && c->source_seq > 0 &&
            json_object_set_new(o, "source_seq",
                                json_integer(c->source_seq)) != 0) {
            json_decref(o);
            o = NULL;
        }
        if (json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *
steps_json(const struct mc_procedure *p)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < p->nsteps; i++) {
        const struct mc_step *s = &p->steps[i];
        json_t *o = json_pack("{s:I, s:i, s:s, s:s, s:I}", "id",
                              (json_int_t)s->id, "seq", s->seq, "name",
                              s->name, "role", s->role, "budget_minutes",
                              (json_int_t)s->budget_minutes);

        if (json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *
limit_json(const struct mc_procedure *p)
{
    if (p->incomplete || p->limit_unit == NULL) {
        return json_null();
    }
    return json_pack("{s:I, s:s, s:b, s:I}", "value",
                     (json_int_t)p->limit_value, "unit", p->limit_unit,
                     "cutoff_15h", p->cutoff_15h, "minutes",
                     (json_int_t)mc_catalog_limit_minutes(p));
}

static json_t *
flags_json(const struct mc_procedure *p)
{
    json_t *arr = json_array();

    if (arr != NULL && p->incomplete) {
        json_array_append_new(arr, json_string("incomplete"));
    }
    if (arr != NULL && p->unit_assumed) {
        json_array_append_new(arr, json_string("unit_assumed"));
    }
    return arr;
}

json_t *
mc_catalog_to_json(const struct mc_procedure *p, int detail)
{
    json_t *o, *fee, *src;

    fee = json_pack("{s:o, s:o}", "text", jstr(p->fee_text), "amount",
                    p->fee_amount >= 0 ? json_integer(p->fee_amount)
                                       : json_null());
    src = p->src_limit_value != NULL || p->src_limit_unit != NULL
              ? json_pack("{s:o, s:o}", "value", jstr(p->src_limit_value),
                          "unit", jstr(p->src_limit_unit))
              : json_null();
    o = json_pack(
        "{s:I, s:s, s:i, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o,"
        " s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)p->id, "code", p->code, "version", p->version,
        "name", jstr(p->name), "field", jstr(p->field), "level",
        jstr(p->level), "time_limit", limit_json(p), "unit_assumed",
        p->unit_assumed, "incomplete", p->incomplete, "flags",
        flags_json(p), "pause_policy", jstr(p->pause_policy), "fee", fee,
        "online_level", jstr(p->online_level), "channels",
        channels_json(p->channels), "decision_no", jstr(p->decision_no),
        "competent_agency", jstr(p->competent_agency),
        "implementing_agency", jstr(p->implementing_agency), "source",
        jstr(p->source), "portal_url", jstr(p->portal_url),
        "time_limit_by_channel", jstr(p->limit_by_channel),
        "fee_by_channel", jstr(p->fee_by_channel), "source_limit", src,
        "notes", jstr(p->notes), "effective_from",
        mc_json_ts_value(p->effective_from));
    if (o == NULL) {
        return NULL;
    }
    if (json_object_set_new(o, "effective_to",
                            mc_json_ts_value(p->effective_to)) != 0 ||
        (detail && (json_object_set_new(o, "components",
                                        components_json(p)) != 0 ||
                    json_object_set_new(o, "steps", steps_json(p)) != 0))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * Content of p for change detection: the public view without identity,
 * dates, flags list and the source's verbatim limit.
 */
static json_t *
content_json(const struct mc_procedure *p)
{
    static const char *const drop[] = {"id", "version", "flags",
                                       "effective_from", "effective_to",
                                       "source_limit", NULL};
    json_t *o = mc_catalog_to_json(p, 1), *v;
    size_t i;

    if (o == NULL) {
        return NULL;
    }
    for (const char *const *d = drop; *d != NULL; d++) {
        json_object_del(o, *d);
    }
    json_array_foreach(json_object_get(o, "components"), i, v) {
        json_object_del(v, "id");
    }
    json_array_foreach(json_object_get(o, "steps"), i, v) {
        json_object_del(v, "id");
    }
    return o;
}

int
mc_catalog_same_content(const struct mc_procedure *a,
                        const struct mc_procedure *b)
{
    json_t *ja = content_json(a), *jb = content_json(b);
    int r = ja != NULL && jb != NULL ? json_equal(ja, jb) : -1;

    json_decref(ja);
    json_decref(jb);
    return r;
}

const char *
mc_catalog_unit_label_vi(const char *unit)
{
    if (unit == NULL) {
        return "";
    }
    if (strcmp(unit, MC_UNIT_WORKDAYS) == 0) {
        return "ngày làm việc";
    }
    if (strcmp(unit, MC_UNIT_HALFDAYS) == 0) {
        return "buổi làm việc";
    }
    if (strcmp(unit, MC_UNIT_WORKHOURS) == 0) {
        return "giờ làm việc";
    }
    if (strcmp(unit, MC_UNIT_SAMEDAY) == 0) {
        return "ngày (trả trong ngày làm việc)";
    }
    return unit;
}
