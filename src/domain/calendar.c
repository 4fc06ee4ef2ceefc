/*
 * calendar.c - building the working calendar from its specification, and
 * the O(1) day arithmetic on the built tables.
 *
 * Build resolves each day of 1800-01-01..2199-12-31 (see calendar.h for
 * the order), then stores cum[i] = working days before day index i and
 * pos[k] = index of the k-th working day, so that "n-th working day after
 * d" is pos[cum[d + 1] + n - 1] and "working days in (a, b]" is
 * cum[b + 1] - cum[a + 1].
 */
#include <stdio.h>
#include <string.h>

#include "domain/calendar_int.h"
#include "domain/lunar.h"
#include "util/alloc.h"
#include "util/mctime.h"

/* A holiday day found while building. */
struct hent {
    const char *code, *name, *basis;
    int carry;
};

/* A compensatory day: for holiday hent on day hday, rule carry. */
struct cent {
    int hent;
    int carry_rule;
    int32_t hday;
};

struct build {
    struct mc_calendar *cal;
    uint16_t *rest; /* weekly rest day: its weekend rule index + 1, or 0 */
    int *wkinfo;    /* [nrules * 8]: info of a rest day by rule, weekday */
    int32_t *hol;  /* index into hents or -1 */
    int32_t *comp; /* index into cents or -1 */
    int32_t *ann;  /* index into spec.anns or -1 */
    struct hent *hents;
    int nhents, caphents;
    struct cent *cents;
    int ncents, capcents;
};

static const char *const wd_vi[] = {"",        "Thứ Hai", "Thứ Ba",
                                    "Thứ Tư",  "Thứ Năm", "Thứ Sáu",
                                    "Thứ Bảy", "Chủ nhật"};

const char *
mc_cal_weekday_vi(int wd)
{
    return (wd >= 1 && wd <= 7) ? wd_vi[wd] : "";
}

static const char *const day_kinds[] = {"work",    "swap_work",
                                        "weekend", "holiday",
                                        "compensatory", "off"};

const char *
mc_day_kind_name(enum mc_day_kind k)
{
    return ((unsigned)k <= MC_DAY_OFF) ? day_kinds[k] : "";
}

static int
oom(struct mc_err *err)
{
    return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                      "out of memory");
}

static int
grow(void **p, int *cap, int need, size_t elem)
{
    if (need > *cap) {
        int c = *cap ? *cap * 2 : 256;
        void *q;
        while (c < need) {
            c *= 2;
        }
        q = mc_realloc(*p, (size_t)c * elem);
        if (q == NULL) {
            return -1;
        }
        *p = q;
        *cap = c;
    }
    return 0;
}

static int
add_info(struct mc_calendar *cal, enum mc_day_kind kind, int announced,
         const char *code, const char *reason, const char *basis)
{
    struct mc_cal_dayinfo *x;

    if (cal->ninfos >= UINT16_MAX ||
        grow((void **)&cal->infos, &cal->capinfos, cal->ninfos + 1,
             sizeof(*cal->infos)) != 0) {
        return -1;
    }
    x = &cal->infos[cal->ninfos];
    x->kind = (uint8_t)kind;
    x->working = kind == MC_DAY_WORK || kind == MC_DAY_SWAP_WORK;
    x->announced = (uint8_t)announced;
    x->code = code ? code : "";
    x->reason = reason ? reason : "";
    x->basis = basis ? basis : "";
    return cal->ninfos++;
}

static int
add_hent(struct build *b, const char *code, const char *name,
         const char *basis, int carry)
{
    if (grow((void **)&b->hents, &b->caphents, b->nhents + 1,
             sizeof(*b->hents)) != 0) {
        return -1;
    }
    b->hents[b->nhents] = (struct hent){code, name, basis, carry};
    return b->nhents++;
}

static int
year_of(int32_t day)
{
    int y, m, d;

    mc_civil_from_days(day, &y, &m, &d);
    return y;
}

/* 1 if an announcement row of kind k exists for code in solar year y. */
static int
announced_instance(const struct mc_cal_spec *s, enum mc_ann_kind k,
                   const char *code, int y)
{
    int32_t lo = mc_days_from_civil(y, 1, 1);
    int32_t hi = mc_days_from_civil(y, 12, 31);
    int a = 0, z = s->nanns;

    while (a < z) { /* first row on or after lo (rows sorted by day) */
        int mid = a + (z - a) / 2;
        if (s->anns[mid].day < lo) {
            a = mid + 1;
        } else {
            z = mid;
        }
    }
    for (; a < s->nanns && s->anns[a].day <= hi; a++) {
        if (s->anns[a].kind == k && strcmp(s->anns[a].code, code) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Rule index of the carry-over rule in force on day, or -1. */
static int
carry_rule(const struct mc_cal_spec *s, int32_t day)
{
    int found = -1;

    for (int i = 0; i < s->nrules; i++) {
        const struct mc_cal_rule *r = &s->rules[i];
        if (r->kind == MC_RULE_CARRY && day >= r->valid_from &&
            day <= r->valid_to) {
            found = i;
        }
    }
    return found;
}

/* Carry-over flag of the holidays of code (1 when no rule names it). */
static int
code_carries(const struct mc_cal_spec *s, const char *code)
{
    for (int i = 0; i < s->nrules; i++) {
        if (strcmp(s->rules[i].code, code) == 0 &&
            s->rules[i].kind >= MC_RULE_SOLAR) {
            return s->rules[i].carry_over;
        }
    }
    return 1;
}

static void
mark_rest(struct build *b)
{
    struct mc_calendar *cal = b->cal;
    const struct mc_cal_spec *s = &cal->spec;

    for (int r = 0; r < s->nrules; r++) {
        const struct mc_cal_rule *x = &s->rules[r];
        int32_t from = x->valid_from > cal->first ? x->valid_from
                                                  : cal->first;
        int32_t to = x->valid_to < cal->last ? x->valid_to : cal->last;

        if (x->kind != MC_RULE_WEEKEND) {
            continue;
        }
        for (int32_t d = from; d <= to; d++) {
            b->rest[d - cal->first] =
                ((x->weekdays >> mc_weekday(d)) & 1u) ? (uint16_t)(r + 1)
                                                      : 0;
        }
    }
}

static int
is_rest(const struct build *b, int32_t d)
{
    return d < b->cal->first || d > b->cal->last ||
           b->rest[d - b->cal->first];
}

/* The adjacent (bridge) day of base: see rules.csv. */
static int32_t
adjacent_day(const struct build *b, int32_t base)
{
    int ok_b = !is_rest(b, base - 1), ok_a = !is_rest(b, base + 1);

    if (ok_b && is_rest(b, base - 2)) {
        return base - 1;
    }
    if (ok_a && is_rest(b, base + 2)) {
        return base + 1;
    }
    return ok_b ? base - 1 : base + 1;
}

/* Display name of day d of a multi-day lunar holiday: "Tết (mùng 2)". */
static const char *
lunar_label(struct mc_calendar *cal, const char *name, int32_t d)
{
    struct mc_lunar l;

    if (mc_lunar_from_solar(d, &l) != MC_OK) {
        return name;
    }
    if (l.month == 12 && !l.leap) {
        return mc_arena_printf(&cal->arena, "%s (%d tháng Chạp)", name,
                               l.day);
    }
    if (l.month == 1 && !l.leap && l.day <= 10) {
        return mc_arena_printf(&cal->arena, "%s (mùng %d)", name, l.day);
    }
    return mc_arena_printf(&cal->arena, "%s (%d/%d%s âm lịch)", name, l.day,
                           l.month, l.leap ? " nhuận" : "");
}

static int
anchor_of(const struct build *b, const struct mc_cal_rule *r, int y,
          int32_t *a)
{
    struct mc_lunar l = {r->mday, r->month, y, 0};

    switch (r->kind) {
    case MC_RULE_SOLAR:
    case MC_RULE_ADJACENT:
        if (!mc_date_valid(y, r->month, r->mday)) {
            return -1;
        }
        *a = mc_days_from_civil(y, r->month, r->mday);
        return 0;
    case MC_RULE_LUNAR:
        return mc_lunar_to_solar(&l, a) == MC_OK ? 0 : -1;
    default:
        return -1;
    }
    (void)b;
}

static int
rule_holidays(struct build *b, const struct mc_cal_rule *r)
{
    struct mc_calendar *cal = b->cal;
    int y0 = year_of(cal->first) - 1, y1 = year_of(cal->last) + 1;

    /* anchors of year y fall in solar year y (lunar: Jan..May of y) */
    if (r->valid_from > cal->first && year_of(r->valid_from) - 1 > y0) {
        y0 = year_of(r->valid_from) - 1;
    }
    if (r->valid_to < cal->last && year_of(r->valid_to) + 1 < y1) {
        y1 = year_of(r->valid_to) + 1;
    }
    for (int y = y0; y <= y1; y++) {
        int32_t a;

        if (anchor_of(b, r, y, &a) != 0 || a < r->valid_from ||
            a > r->valid_to ||
            announced_instance(&cal->spec, MC_ANN_HOLIDAY, r->code,
                               year_of(a))) {
            continue;
        }
        for (int i = 0; i < r->ndays; i++) {
            int32_t d = r->kind == MC_RULE_ADJACENT ? adjacent_day(b, a)
                                                    : a + r->offset + i;
            const char *name = r->name;
            int idx = d - cal->first, h;

            if (d < cal->first || d > cal->last || b->ann[idx] >= 0 ||
                b->hol[idx] >= 0) {
                continue;
            }
            if (r->kind == MC_RULE_LUNAR && r->ndays > 1 &&
                (name = lunar_label(cal, r->name, d)) == NULL) {
                return -1;
            }
            if ((h = add_hent(b, r->code, name, r->basis, r->carry_over)) <
                0) {
                return -1;
            }
            b->hol[idx] = h;
        }
    }
    return 0;
}

static int
mark_holidays(struct build *b)
{
    struct mc_calendar *cal = b->cal;
    const struct mc_cal_spec *s = &cal->spec;

    for (int i = 0; i < s->nanns; i++) {
        const struct mc_cal_ann *a = &s->anns[i];
        int idx = a->day - cal->first, h;

        b->ann[idx] = i;
        if (a->kind == MC_ANN_HOLIDAY) {
            h = add_hent(b, a->code, a->reason, a->basis,
                         code_carries(s, a->code));
            if (h < 0) {
                return -1;
            }
            b->hol[idx] = h;
        }
    }
    for (int r = 0; r < s->nrules; r++) {
        if (s->rules[r].kind >= MC_RULE_SOLAR &&
            rule_holidays(b, &s->rules[r]) != 0) {
            return -1;
        }
    }
    return 0;
}

/* Art.111.3: a holiday on a weekly rest day gives the next free weekday. */
static int
mark_compensatory(struct build *b)
{
    struct mc_calendar *cal = b->cal;

    for (int i = 0; i < cal->n; i++) {
        const struct hent *h;
        int32_t d = cal->first + i;
        int cr, e;

        if (b->hol[i] < 0 || !b->rest[i] || b->hents == NULL) {
            continue;
        }
        h = &b->hents[b->hol[i]];
        if (!h->carry || (cr = carry_rule(&cal->spec, d)) < 0 ||
            announced_instance(&cal->spec, MC_ANN_COMPENSATORY, h->code,
                               year_of(d))) {
            continue;
        }
        for (e = i + 1; e < cal->n && (b->rest[e] || b->hol[e] >= 0 ||
                                       b->ann[e] >= 0 || b->comp[e] >= 0);
             e++) {
        }
        if (e >= cal->n) {
            continue;
        }
        if (grow((void **)&b->cents, &b->capcents, b->ncents + 1,
                 sizeof(*b->cents)) != 0) {
            return -1;
        }
        b->cents[b->ncents] = (struct cent){b->hol[i], cr, d};
        b->comp[e] = b->ncents++;
    }
    return 0;
}

static int
resolve_day(struct build *b, int i)
{
    struct mc_calendar *cal = b->cal;
    int32_t d = cal->first + i;
    int k;

    if (b->ann[i] >= 0) {
        static const enum mc_day_kind map[] = {
            MC_DAY_OFF, MC_DAY_HOLIDAY, MC_DAY_COMPENSATORY, MC_DAY_OFF,
            MC_DAY_SWAP_WORK};
        const struct mc_cal_ann *a = &cal->spec.anns[b->ann[i]];
        k = add_info(cal, map[a->kind], 1, a->code, a->reason, a->basis);
    } else if (b->hol[i] >= 0 && b->hents != NULL) {
        const struct hent *h = &b->hents[b->hol[i]];
        k = add_info(cal, MC_DAY_HOLIDAY, 0, h->code, h->name, h->basis);
    } else if (b->comp[i] >= 0 && b->cents != NULL) {
        const struct cent *c = &b->cents[b->comp[i]];
        const struct hent *h = &b->hents[c->hent];
        char dd[16];
        const char *why;

        mc_fmt_date_vn(c->hday, dd, sizeof(dd));
        why = mc_arena_printf(&cal->arena, "Nghỉ bù %s, ngày %s trùng %s",
                              h->name, dd, wd_vi[mc_weekday(c->hday)]);
        if (why == NULL) {
            return -1;
        }
        k = add_info(cal, MC_DAY_COMPENSATORY, 0, h->code, why,
                     cal->spec.rules[c->carry_rule].basis);
    } else if (b->rest[i]) {
        int wd = mc_weekday(d), r = b->rest[i] - 1;
        int *slot = &b->wkinfo[r * 8 + wd];
        if (*slot < 0) {
            const char *why = mc_arena_printf(&cal->arena,
                                              "Nghỉ hằng tuần (%s)",
                                              wd_vi[wd]);
            *slot = why == NULL ? -1
                                : add_info(cal, MC_DAY_WEEKEND, 0, "", why,
                                           cal->spec.rules[r].basis);
        }
        k = *slot;
    } else {
        k = 0;
    }
    if (k < 0) {
        return -1;
    }
    cal->info[i] = (uint16_t)k;
    return 0;
}

static int
build_tables(struct mc_calendar *cal, struct mc_err *err)
{
    struct build b;
    int rc = MC_OK;

    memset(&b, 0, sizeof(b));
    b.cal = cal;
    b.rest = mc_calloc((size_t)cal->n, sizeof(uint16_t));
    b.wkinfo = mc_malloc((size_t)(cal->spec.nrules + 1) * 8 * sizeof(int));
    b.hol = mc_malloc((size_t)cal->n * sizeof(int32_t));
    b.comp = mc_malloc((size_t)cal->n * sizeof(int32_t));
    b.ann = mc_malloc((size_t)cal->n * sizeof(int32_t));
    if (b.rest == NULL || b.hol == NULL || b.comp == NULL || b.ann == NULL ||
        b.wkinfo == NULL || cal->spec.nrules >= UINT16_MAX) {
        rc = oom(err);
        goto out;
    }
    memset(b.hol, 0xff, (size_t)cal->n * sizeof(int32_t));
    memset(b.comp, 0xff, (size_t)cal->n * sizeof(int32_t));
    memset(b.ann, 0xff, (size_t)cal->n * sizeof(int32_t));
    memset(b.wkinfo, 0xff, (size_t)(cal->spec.nrules + 1) * 8 * sizeof(int));
    /* info 0: an ordinary working day */
    if (add_info(cal, MC_DAY_WORK, 0, "", "", "") != 0) {
        rc = oom(err);
        goto out;
    }
    mark_rest(&b);
    if (mark_holidays(&b) != 0 || mark_compensatory(&b) != 0) {
        rc = oom(err);
        goto out;
    }
    for (int i = 0; i < cal->n; i++) {
        if (resolve_day(&b, i) != 0) {
            rc = mc_err_set(err, MC_EINVAL, 422, "calendar_too_large", NULL,
                            "too many special days in the calendar");
            goto out;
        }
    }
out:
    mc_free(b.rest);
    mc_free(b.wkinfo);
    mc_free(b.hol);
    mc_free(b.comp);
    mc_free(b.ann);
    mc_free(b.hents);
    mc_free(b.cents);
    return rc;
}

static int
build_counts(struct mc_calendar *cal, struct mc_err *err)
{
    int k = 0;

    cal->cum[0] = 0;
    for (int i = 0; i < cal->n; i++) {
        cal->cum[i + 1] = cal->cum[i] + mc_cal_working_at(cal, i);
    }
    cal->nwork = cal->cum[cal->n];
    cal->pos = mc_malloc((size_t)(cal->nwork > 0 ? cal->nwork : 1) *
                         sizeof(int32_t));
    if (cal->pos == NULL) {
        return oom(err);
    }
    for (int i = 0; i < cal->n; i++) {
        if (mc_cal_working_at(cal, i)) {
            cal->pos[k++] = i;
        }
    }
    return MC_OK;
}

int
mc_calendar_build(const struct mc_cal_spec *spec, int version,
                  int64_t effective_from, struct mc_calendar **out,
                  struct mc_err *err)
{
    struct mc_calendar *cal = mc_calloc(1, sizeof(*cal));
    int rc;

    *out = NULL;
    if (cal == NULL) {
        return oom(err);
    }
    mc_arena_init(&cal->arena, 0);
    cal->version = version;
    cal->effective_from = effective_from;
    cal->first = mc_lunar_first_day();
    cal->last = mc_lunar_last_day();
    cal->n = cal->last - cal->first + 1;
    rc = mc_cal_spec_copy(&cal->spec, spec, err);
    if (rc != MC_OK) {
        goto fail;
    }
    cal->info = mc_malloc((size_t)cal->n * sizeof(uint16_t));
    cal->cum = mc_malloc((size_t)(cal->n + 1) * sizeof(int32_t));
    if (cal->info == NULL || cal->cum == NULL) {
        rc = oom(err);
        goto fail;
    }
    if ((rc = build_tables(cal, err)) != MC_OK ||
        (rc = build_counts(cal, err)) != MC_OK) {
        goto fail;
    }
    *out = cal;
    return MC_OK;
fail:
    mc_calendar_free(cal);
    return rc;
}

int
mc_calendar_builtin(struct mc_calendar **out, struct mc_err *err)
{
    struct mc_cal_spec s;
    int rc;

    *out = NULL;
    mc_cal_spec_init(&s);
    rc = mc_cal_spec_builtin(&s, err);
    if (rc == MC_OK) {
        rc = mc_calendar_build(&s, 0, 0, out, err);
    }
    mc_cal_spec_release(&s);
    return rc;
}

void
mc_calendar_free(struct mc_calendar *cal)
{
    if (cal == NULL) {
        return;
    }
    mc_free(cal->info);
    mc_free(cal->cum);
    mc_free(cal->pos);
    mc_free(cal->infos);
    mc_arena_release(&cal->arena);
    mc_cal_spec_release(&cal->spec);
    mc_free(cal);
}

int
mc_calendar_version(const struct mc_calendar *cal)
{
    return cal->version;
}

int64_t
mc_calendar_effective_from(const struct mc_calendar *cal)
{
    return cal->effective_from;
}

const struct mc_cal_spec *
mc_calendar_spec(const struct mc_calendar *cal)
{
    return &cal->spec;
}

int32_t
mc_calendar_first_day(const struct mc_calendar *cal)
{
    return cal->first;
}

int32_t
mc_calendar_last_day(const struct mc_calendar *cal)
{
    return cal->last;
}

int
mc_calendar_day(const struct mc_calendar *cal, int32_t day,
                struct mc_day_info *out)
{
    const struct mc_cal_dayinfo *x;

    if (day < cal->first || day > cal->last) {
        return MC_EINVAL;
    }
    x = &cal->infos[cal->info[day - cal->first]];
    out->kind = (enum mc_day_kind)x->kind;
    out->working = x->working;
    out->announced = x->announced;
    out->code = x->code;
    out->reason = x->reason;
    out->basis = x->basis;
    return MC_OK;
}

int
mc_calendar_is_workday(const struct mc_calendar *cal, int32_t day,
                       const char **reason)
{
    const struct mc_cal_dayinfo *x;

    if (day < cal->first || day > cal->last) {
        if (reason != NULL) {
            *reason = "ngoài phạm vi lịch (1800-2199)";
        }
        return 0;
    }
    x = &cal->infos[cal->info[day - cal->first]];
    if (reason != NULL) {
        *reason = x->kind == MC_DAY_WORK ? NULL : x->reason;
    }
    return x->working;
}

int
mc_calendar_add_days(const struct mc_calendar *cal, int32_t day, int n,
                     int32_t *out)
{
    int64_t k;
    int i;

    if (day < cal->first || day > cal->last) {
        return MC_EINVAL;
    }
    i = day - cal->first;
    if (n > 0) {
        k = (int64_t)cal->cum[i + 1] + n - 1;
    } else {
        k = (int64_t)cal->cum[i] + n;
    }
    if (k < 0 || k >= cal->nwork) {
        return MC_EINVAL;
    }
    *out = cal->first + cal->pos[k];
    return MC_OK;
}

int
mc_calendar_between(const struct mc_calendar *cal, int32_t a, int32_t b,
                    int *out)
{
    if (a < cal->first || a > cal->last || b < cal->first || b > cal->last) {
        return MC_EINVAL;
    }
    *out = cal->cum[b - cal->first + 1] - cal->cum[a - cal->first + 1];
    return MC_OK;
}

int
mc_calendar_diff(const struct mc_calendar *a, const struct mc_calendar *b,
                 int32_t from, int32_t to, int32_t *first, int32_t *last)
{
    int32_t lo = a->first > b->first ? a->first : b->first;
    int32_t hi = a->last < b->last ? a->last : b->last;
    int found = 0;

    if (from > lo) {
        lo = from;
    }
    if (to < hi) {
        hi = to;
    }
    for (int32_t d = lo; d <= hi; d++) {
        if (mc_cal_working_at(a, d - a->first) !=
            mc_cal_working_at(b, d - b->first)) {
            if (!found && first != NULL) {
                *first = d;
            }
            if (last != NULL) {
                *last = d;
            }
            found = 1;
        }
    }
    return found;
}
