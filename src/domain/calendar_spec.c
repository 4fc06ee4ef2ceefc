/*
 * calendar_spec.c - the editable specification of the working calendar:
 * statutory rules and announced days, their validation and their CSV form.
 */
#include <stdio.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/lunar.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/csv.h"
#include "util/embed.h"
#include "util/mctime.h"
#include "util/text.h"

static const char *const rule_kinds[] = {NULL,    "weekend", "carry",
                                         "solar", "lunar",   "adjacent"};
static const char *const ann_kinds[] = {NULL, "holiday", "compensatory",
                                        "off", "work"};

const char *
mc_rule_kind_name(enum mc_rule_kind k)
{
    return (k >= MC_RULE_WEEKEND && k <= MC_RULE_ADJACENT) ? rule_kinds[k]
                                                          : NULL;
}

int
mc_rule_kind_parse(const char *s, enum mc_rule_kind *k)
{
    for (int i = MC_RULE_WEEKEND; s != NULL && i <= MC_RULE_ADJACENT; i++) {
        if (strcmp(s, rule_kinds[i]) == 0) {
            *k = (enum mc_rule_kind)i;
            return MC_OK;
        }
    }
    return MC_EINVAL;
}

const char *
mc_ann_kind_name(enum mc_ann_kind k)
{
    return (k >= MC_ANN_HOLIDAY && k <= MC_ANN_WORK) ? ann_kinds[k] : NULL;
}

int
mc_ann_kind_parse(const char *s, enum mc_ann_kind *k)
{
    for (int i = MC_ANN_HOLIDAY; s != NULL && i <= MC_ANN_WORK; i++) {
        if (strcmp(s, ann_kinds[i]) == 0) {
            *k = (enum mc_ann_kind)i;
            return MC_OK;
        }
    }
    return MC_EINVAL;
}

void
mc_cal_spec_init(struct mc_cal_spec *s)
{
    memset(s, 0, sizeof(*s));
}

void
mc_cal_spec_release(struct mc_cal_spec *s)
{
    mc_free(s->rules);
    mc_free(s->anns);
    mc_cal_spec_init(s);
}

static int
oom(struct mc_err *err)
{
    return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                      "out of memory");
}

int
mc_cal_spec_copy(struct mc_cal_spec *dst, const struct mc_cal_spec *src,
                 struct mc_err *err)
{
    mc_cal_spec_init(dst);
    if (src->nrules > 0) {
        dst->rules = mc_calloc((size_t)src->nrules, sizeof(*dst->rules));
        if (dst->rules == NULL) {
            return oom(err);
        }
        memcpy(dst->rules, src->rules, (size_t)src->nrules *
                                           sizeof(*dst->rules));
        dst->nrules = dst->caprules = src->nrules;
    }
    if (src->nanns > 0) {
        dst->anns = mc_calloc((size_t)src->nanns, sizeof(*dst->anns));
        if (dst->anns == NULL) {
            mc_cal_spec_release(dst);
            return oom(err);
        }
        memcpy(dst->anns, src->anns, (size_t)src->nanns * sizeof(*dst->anns));
        dst->nanns = dst->capanns = src->nanns;
    }
    return MC_OK;
}

static int
valid_code(const char *s, int required)
{
    if (*s == '\0') {
        return !required;
    }
    for (; *s; s++) {
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_')) {
            return 0;
        }
    }
    return 1;
}

static int
bad(struct mc_err *err, const char *field, const char *msg)
{
    return mc_err_set(err, MC_EINVAL, 422, "bad_calendar_row", field, "%s",
                      msg);
}

static int
check_text(const char *s, size_t max)
{
    size_t n = strnlen(s, max);

    return n < max && mc_utf8_valid(s, n);
}

int
mc_cal_spec_add_rule(struct mc_cal_spec *s, const struct mc_cal_rule *r,
                     struct mc_err *err)
{
    int holiday = r->kind == MC_RULE_SOLAR || r->kind == MC_RULE_LUNAR ||
                  r->kind == MC_RULE_ADJACENT;

    if (mc_rule_kind_name(r->kind) == NULL) {
        return bad(err, "kind", "unknown rule kind");
    }
    if (!check_text(r->code, sizeof(r->code)) || !valid_code(r->code, 1)) {
        return bad(err, "code", "code must be [A-Z0-9_]+, < 24 chars");
    }
    if (!check_text(r->name, sizeof(r->name)) || r->name[0] == '\0' ||
        !check_text(r->basis, sizeof(r->basis)) ||
        !check_text(r->confidence, sizeof(r->confidence))) {
        return bad(err, "name", "name required; texts < 200 bytes UTF-8");
    }
    if (r->valid_from > r->valid_to) {
        return bad(err, "valid_from", "valid_from after valid_to");
    }
    if (holiday &&
        (r->month < 1 || r->month > 12 || r->mday < 1 ||
         (r->kind == MC_RULE_LUNAR ? r->mday > 30
                                   : !mc_date_valid(2000, r->month,
                                                    r->mday)) ||
         r->ndays < 1 || r->ndays > 15 || r->offset < -30 ||
         r->offset > 30)) {
        return bad(err, "month",
                   "holiday needs a valid month/day, 1..15 days and an "
                   "offset within 30 days");
    }
    if (r->kind == MC_RULE_ADJACENT && r->ndays != 1) {
        return bad(err, "days", "an adjacent-day rule adds exactly 1 day");
    }
    if (r->kind == MC_RULE_WEEKEND &&
        ((r->weekdays & ~0xFEu) != 0 || (r->weekdays & 0x3Eu) == 0x3Eu)) {
        return bad(err, "weekdays",
                   "weekend weekdays are ISO 1..7 and Monday-Friday cannot "
                   "all be rest days");
    }
    if (s->nrules == s->caprules) {
        int cap = s->caprules ? s->caprules * 2 : 32;
        void *p = mc_realloc(s->rules, (size_t)cap * sizeof(*s->rules));
        if (p == NULL) {
            return oom(err);
        }
        s->rules = p;
        s->caprules = cap;
    }
    s->rules[s->nrules++] = *r;
    return MC_OK;
}

/* Index of the first row with day >= day. */
static int
ann_lower(const struct mc_cal_spec *s, int32_t day)
{
    int lo = 0, hi = s->nanns;

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (s->anns[mid].day < day) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

const struct mc_cal_ann *
mc_cal_spec_find_ann(const struct mc_cal_spec *s, int32_t day)
{
    int i = ann_lower(s, day);

    return (i < s->nanns && s->anns[i].day == day) ? &s->anns[i] : NULL;
}

int
mc_cal_spec_set_ann(struct mc_cal_spec *s, const struct mc_cal_ann *a,
                    struct mc_err *err)
{
    int i, need_code = a->kind == MC_ANN_HOLIDAY ||
                       a->kind == MC_ANN_COMPENSATORY;

    if (a->day < mc_lunar_first_day() || a->day > mc_lunar_last_day()) {
        return bad(err, "date", "date outside 1800-01-01..2199-12-31");
    }
    if (mc_ann_kind_name(a->kind) == NULL) {
        return bad(err, "kind",
                   "kind must be holiday, compensatory, off or work");
    }
    if (!check_text(a->code, sizeof(a->code)) ||
        !valid_code(a->code, need_code)) {
        return bad(err, "code",
                   "holiday and compensatory rows need a holiday code "
                   "[A-Z0-9_]+");
    }
    if (!check_text(a->reason, sizeof(a->reason)) || a->reason[0] == '\0' ||
        !check_text(a->basis, sizeof(a->basis))) {
        return bad(err, "reason", "reason required; texts < 200 bytes UTF-8");
    }
    i = ann_lower(s, a->day);
    if (i < s->nanns && s->anns[i].day == a->day) {
        s->anns[i] = *a;
        return MC_OK;
    }
    if (s->nanns == s->capanns) {
        int cap = s->capanns ? s->capanns * 2 : 64;
        void *p = mc_realloc(s->anns, (size_t)cap * sizeof(*s->anns));
        if (p == NULL) {
            return oom(err);
        }
        s->anns = p;
        s->capanns = cap;
    }
    memmove(&s->anns[i + 1], &s->anns[i],
            (size_t)(s->nanns - i) * sizeof(*s->anns));
    s->anns[i] = *a;
    s->nanns++;
    return MC_OK;
}

int
mc_cal_spec_clear_ann(struct mc_cal_spec *s, int32_t day, struct mc_err *err)
{
    int i = ann_lower(s, day);

    if (i >= s->nanns || s->anns[i].day != day) {
        char d[16];
        mc_fmt_date(day, d, sizeof(d));
        return mc_err_set(err, MC_ENOTFOUND, 404, "no_announcement", "date",
                          "no announced day on %s", d);
    }
    memmove(&s->anns[i], &s->anns[i + 1],
            (size_t)(s->nanns - i - 1) * sizeof(*s->anns));
    s->nanns--;
    return MC_OK;
}

/* ---- CSV ---- */

static const char *
fld(const struct mc_csv *c, int idx)
{
    return (idx >= 0 && idx < c->nf) ? c->f[idx] : "";
}

/* Copy NFC(src) into dst[dstsz]; -1 on invalid UTF-8 or too long. */
static int
put_text(struct mc_arena *a, char *dst, size_t dstsz, const char *src)
{
    char *n = mc_utf8_nfc(a, src);
    size_t len;

    if (n == NULL || (len = strlen(n)) >= dstsz) {
        return -1;
    }
    memcpy(dst, n, len + 1);
    return 0;
}

static int
parse_int(const char *s, int dflt, int *out)
{
    long long v;

    if (*s == '\0') {
        *out = dflt;
        return 0;
    }
    if (mc_parse_i64(s[0] == '-' || s[0] == '+' ? s + 1 : s, &v) != 0 ||
        v > 100000) {
        return -1;
    }
    *out = (int)(s[0] == '-' ? -v : v);
    return 0;
}

static int
parse_bool(const char *s, int *out)
{
    if (strcmp(s, "yes") == 0 || strcmp(s, "1") == 0 ||
        strcmp(s, "true") == 0) {
        *out = 1;
    } else if (strcmp(s, "no") == 0 || strcmp(s, "0") == 0 ||
               strcmp(s, "false") == 0 || *s == '\0') {
        *out = 0;
    } else {
        return -1;
    }
    return 0;
}

static int
parse_weekdays(const char *s, unsigned *mask)
{
    *mask = 0;
    for (; *s; s++) {
        if (*s >= '1' && *s <= '7') {
            *mask |= 1u << (*s - '0');
        } else if (*s != ' ' && *s != '|' && *s != ',' && *s != ';') {
            return -1;
        }
    }
    return 0;
}

static int
row_err(struct mc_err *err, long line, const char *what)
{
    return mc_err_set(err, MC_EINVAL, 422, "bad_calendar_row", NULL,
                      "line %ld: %s", line, what);
}

enum { RC_CODE, RC_KIND, RC_NAME, RC_MONTH, RC_DAY, RC_OFFSET, RC_DAYS,
       RC_WEEKDAYS, RC_CARRY, RC_FROM, RC_TO, RC_BASIS, RC_CONF, RC_N };

static int
rule_from_row(const struct mc_csv *c, const int *col, struct mc_arena *a,
              struct mc_cal_rule *r)
{
    const char *to = fld(c, col[RC_TO]);

    memset(r, 0, sizeof(*r));
    if (put_text(a, r->code, sizeof(r->code), fld(c, col[RC_CODE])) ||
        mc_rule_kind_parse(fld(c, col[RC_KIND]), &r->kind) ||
        put_text(a, r->name, sizeof(r->name), fld(c, col[RC_NAME])) ||
        parse_int(fld(c, col[RC_MONTH]), 0, &r->month) ||
        parse_int(fld(c, col[RC_DAY]), 0, &r->mday) ||
        parse_int(fld(c, col[RC_OFFSET]), 0, &r->offset) ||
        parse_int(fld(c, col[RC_DAYS]), 1, &r->ndays) ||
        parse_weekdays(fld(c, col[RC_WEEKDAYS]), &r->weekdays) ||
        parse_bool(fld(c, col[RC_CARRY]), &r->carry_over) ||
        mc_parse_date(fld(c, col[RC_FROM]), &r->valid_from) ||
        put_text(a, r->basis, sizeof(r->basis), fld(c, col[RC_BASIS])) ||
        put_text(a, r->confidence, sizeof(r->confidence),
                 fld(c, col[RC_CONF]))) {
        return -1;
    }
    r->valid_to = MC_CAL_OPEN;
    if (*to != '\0' && mc_parse_date(to, &r->valid_to) != 0) {
        return -1;
    }
    return 0;
}

int
mc_cal_spec_parse_rules(struct mc_cal_spec *s, const char *data, size_t len,
                        struct mc_err *err)
{
    static const char *const names[RC_N] = {
        "code",     "kind",      "name_vi",   "month",       "day",
        "offset",   "days",      "weekdays",  "carry_over",  "valid_from",
        "valid_to", "legal_basis", "confidence"};
    struct mc_csv c;
    struct mc_arena a;
    struct mc_cal_rule r;
    int col[RC_N], rc;

    mc_csv_init(&c, data, len);
    mc_arena_init(&a, 0);
    rc = mc_csv_next(&c, err);
    if (rc <= 0) {
        rc = rc < 0 ? rc : row_err(err, c.line, "empty rules file");
        goto out;
    }
    for (int i = 0; i < RC_N; i++) {
        col[i] = mc_csv_col(&c, names[i]);
    }
    if (col[RC_NAME] < 0) {
        col[RC_NAME] = mc_csv_col(&c, "name");
    }
    if (col[RC_BASIS] < 0) {
        col[RC_BASIS] = mc_csv_col(&c, "basis");
    }
    if (col[RC_CODE] < 0 || col[RC_KIND] < 0 || col[RC_FROM] < 0) {
        rc = row_err(err, c.line,
                     "a rules file needs columns code, kind, valid_from");
        goto out;
    }
    while ((rc = mc_csv_next(&c, err)) == 1) {
        if (rule_from_row(&c, col, &a, &r) != 0) {
            rc = row_err(err, c.line, "malformed rule");
            goto out;
        }
        if ((rc = mc_cal_spec_add_rule(s, &r, err)) != MC_OK) {
            char m[sizeof(err->message)];
            snprintf(m, sizeof(m), "%s", err ? err->message : "bad rule");
            rc = row_err(err, c.line, m);
            goto out;
        }
    }
out:
    mc_arena_release(&a);
    mc_csv_release(&c);
    return rc < 0 ? rc : MC_OK;
}

int
mc_cal_spec_parse_anns(struct mc_cal_spec *s, const char *data, size_t len,
                       int *nrows, struct mc_err *err)
{
    struct mc_csv c;
    struct mc_arena a;
    struct mc_cal_ann x;
    int cdate, ckind, ccode, creason, cbasis, csrc, rc, n = 0;

    mc_csv_init(&c, data, len);
    mc_arena_init(&a, 0);
    rc = mc_csv_next(&c, err);
    if (rc <= 0) {
        rc = rc < 0 ? rc : row_err(err, c.line, "empty file");
        goto out;
    }
    cdate = mc_csv_col(&c, "date");
    ckind = mc_csv_col(&c, "kind");
    ccode = mc_csv_col(&c, "code");
    creason = mc_csv_col(&c, "reason");
    cbasis = mc_csv_col(&c, "basis");
    csrc = mc_csv_col(&c, "source");
    if (cdate < 0 || ckind < 0 || creason < 0) {
        rc = row_err(err, c.line,
                     "an announcements file needs columns date, kind, "
                     "reason");
        goto out;
    }
    while ((rc = mc_csv_next(&c, err)) == 1) {
        if (strcmp(fld(&c, csrc), "rule") == 0) {
            continue;
        }
        memset(&x, 0, sizeof(x));
        if (mc_parse_date(fld(&c, cdate), &x.day) ||
            mc_ann_kind_parse(fld(&c, ckind), &x.kind) ||
            put_text(&a, x.code, sizeof(x.code), fld(&c, ccode)) ||
            put_text(&a, x.reason, sizeof(x.reason), fld(&c, creason)) ||
            put_text(&a, x.basis, sizeof(x.basis), fld(&c, cbasis))) {
            rc = row_err(err, c.line,
                         "malformed row (date YYYY-MM-DD, kind holiday|"
                         "compensatory|off|work, texts < 200 bytes)");
            goto out;
        }
        if ((rc = mc_cal_spec_set_ann(s, &x, err)) != MC_OK) {
            char m[sizeof(err->message)];
            snprintf(m, sizeof(m), "%s", err ? err->message : "bad row");
            rc = row_err(err, c.line, m);
            goto out;
        }
        n++;
    }
out:
    mc_arena_release(&a);
    mc_csv_release(&c);
    if (nrows != NULL) {
        *nrows = n;
    }
    return rc < 0 ? rc : MC_OK;
}

int
mc_cal_spec_builtin(struct mc_cal_spec *s, struct mc_err *err)
{
    size_t rlen, alen;
    const char *rules = mc_embed_get("data/calendar/rules.csv", &rlen);
    const char *anns = mc_embed_get("data/calendar/announcements.csv", &alen);
    int rc;

    if (rules == NULL || anns == NULL) {
        return mc_err_set(err, MC_EINTERNAL, 500, "no_calendar_data", NULL,
                          "built-in calendar data is missing");
    }
    rc = mc_cal_spec_parse_rules(s, rules, rlen, err);
    if (rc == MC_OK) {
        rc = mc_cal_spec_parse_anns(s, anns, alen, NULL, err);
    }
    return rc;
}
