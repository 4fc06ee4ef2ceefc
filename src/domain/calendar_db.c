/*
 * calendar_db.c - the calendar in the database: loading a version,
 * seeding version 1 from the built-in data, and storing changes as new
 * versions. All SQL is in db/q_calendar.c.
 */
#include <stdio.h>
#include <string.h>

#include "db/q_calendar.h"
#include "domain/calendar_int.h"
#include "util/mctime.h"

static int
corrupt(struct mc_err *err, const char *what)
{
    return mc_err_set(err, MC_EDB, 500, "calendar_corrupt", NULL,
                      "calendar tables hold a bad %s row", what);
}

static int
copy_str(char *dst, size_t sz, const char *src)
{
    size_t n = strlen(src);

    if (n >= sz) {
        return -1;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

static int
load_rule(void *ctx, const struct mc_qcal_rule *row, struct mc_err *err)
{
    struct mc_cal_spec *s = ctx;
    struct mc_cal_rule r;

    memset(&r, 0, sizeof(r));
    r.valid_to = MC_CAL_OPEN;
    if (copy_str(r.code, sizeof(r.code), row->code) ||
        copy_str(r.name, sizeof(r.name), row->name) ||
        copy_str(r.basis, sizeof(r.basis), row->basis) ||
        copy_str(r.confidence, sizeof(r.confidence), row->confidence) ||
        mc_rule_kind_parse(row->kind, &r.kind) ||
        mc_parse_date(row->valid_from, &r.valid_from) ||
        (row->valid_to != NULL &&
         mc_parse_date(row->valid_to, &r.valid_to))) {
        return corrupt(err, "rule");
    }
    r.month = row->month;
    r.mday = row->mday;
    r.offset = row->offset;
    r.ndays = row->ndays;
    r.weekdays = row->weekdays;
    r.carry_over = row->carry_over;
    return mc_cal_spec_add_rule(s, &r, err);
}

static int
load_day(void *ctx, const struct mc_qcal_day *row, struct mc_err *err)
{
    struct mc_cal_spec *s = ctx;
    struct mc_cal_ann a;

    memset(&a, 0, sizeof(a));
    if (mc_parse_date(row->date, &a.day) ||
        mc_ann_kind_parse(row->kind, &a.kind) ||
        copy_str(a.code, sizeof(a.code), row->code) ||
        copy_str(a.reason, sizeof(a.reason), row->reason) ||
        copy_str(a.basis, sizeof(a.basis), row->basis)) {
        return corrupt(err, "day");
    }
    return mc_cal_spec_set_ann(s, &a, err);
}

static int
load_spec(struct mc_db *db, int version, struct mc_cal_spec *s,
          struct mc_err *err)
{
    int rc = mc_qcal_rules_each(db, version, load_rule, s, err);

    return rc == MC_OK ? mc_qcal_days_each(db, version, load_day, s, err)
                       : rc;
}

int
mc_calendar_load_version(struct mc_db *db, int version,
                         struct mc_calendar **out, struct mc_err *err)
{
    struct mc_cal_spec s;
    int64_t eff = 0;
    int rc;

    *out = NULL;
    rc = mc_qcal_version_get(db, version, &eff, err);
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_ENOTFOUND, 404, "calendar_version",
                          "version", "no calendar version %d", version);
    }
    if (rc != MC_OK) {
        return rc;
    }
    mc_cal_spec_init(&s);
    rc = load_spec(db, version, &s, err);
    if (rc == MC_OK) {
        rc = mc_calendar_build(&s, version, eff, out, err);
    }
    mc_cal_spec_release(&s);
    return rc;
}

int
mc_calendar_latest_version(struct mc_db *db, int *version,
                           struct mc_err *err)
{
    struct mc_qcal_version v;
    int rc = mc_qcal_latest(db, &v, err);

    *version = rc == MC_OK ? v.version : 0;
    return rc == MC_ENOTFOUND ? MC_OK : rc;
}

int
mc_calendar_load(struct mc_db *db, struct mc_calendar **out,
                 struct mc_err *err)
{
    struct mc_qcal_version v;
    int rc = mc_qcal_latest(db, &v, err);

    *out = NULL;
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_ENOTFOUND, 404, "calendar_not_seeded",
                          NULL,
                          "the database has no calendar yet (seed it with "
                          "mc_calendar_seed, e.g. by a calendar import)");
    }
    return rc == MC_OK ? mc_calendar_load_version(db, v.version, out, err)
                       : rc;
}

static int
store_rules(struct mc_db *db, int version, const struct mc_cal_spec *s,
            struct mc_err *err)
{
    int rc = MC_OK;

    for (int i = 0; i < s->nrules && rc == MC_OK; i++) {
        const struct mc_cal_rule *r = &s->rules[i];
        struct mc_qcal_rule q;
        char from[16], to[16];

        mc_fmt_date(r->valid_from, from, sizeof(from));
        if (r->valid_to != MC_CAL_OPEN) {
            mc_fmt_date(r->valid_to, to, sizeof(to));
        }
        q.seq = i + 1;
        q.code = r->code;
        q.kind = mc_rule_kind_name(r->kind);
        q.name = r->name;
        q.month = r->month;
        q.mday = r->mday;
        q.offset = r->offset;
        q.ndays = r->ndays;
        q.weekdays = r->weekdays;
        q.carry_over = r->carry_over;
        q.valid_from = from;
        q.valid_to = r->valid_to != MC_CAL_OPEN ? to : NULL;
        q.basis = r->basis;
        q.confidence = r->confidence;
        rc = mc_qcal_rule_insert(db, version, &q, err);
    }
    return rc;
}

static int
store_day(struct mc_db *db, int version, const struct mc_cal_ann *a,
          struct mc_err *err)
{
    struct mc_qcal_day q;
    char date[16];
    int rc;

    mc_fmt_date(a->day, date, sizeof(date));
    q.date = date;
    q.kind = mc_ann_kind_name(a->kind);
    q.code = a->code;
    q.reason = a->reason;
    q.basis = a->basis;
    rc = mc_qcal_day_retire(db, version, date, err);
    return rc == MC_OK ? mc_qcal_day_insert(db, version, &q, err) : rc;
}

int
mc_calendar_seed(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_qcal_version v;
    struct mc_cal_spec s;
    int rc = mc_qcal_latest(db, &v, err), version = 0;

    (void)ctx;
    if (rc != MC_ENOTFOUND) {
        return rc;
    }
    mc_cal_spec_init(&s);
    rc = mc_cal_spec_builtin(&s, err);
    if (rc == MC_OK) {
        rc = mc_qcal_version_add(db, 0, mc_now(), 0,
                                 "built-in statutory rules and announcements",
                                 &version, err);
    }
    if (rc == MC_OK) {
        rc = store_rules(db, version, &s, err);
    }
    for (int i = 0; rc == MC_OK && i < s.nanns; i++) {
        rc = store_day(db, version, &s.anns[i], err);
    }
    mc_cal_spec_release(&s);
    return rc;
}

/* Apply c to s in memory (clears, then sets, then rules). */
static int
apply_change(struct mc_cal_spec *s, const struct mc_calendar_change *c,
             struct mc_err *err)
{
    int rc = MC_OK;

    for (int i = 0; i < c->nclear && rc == MC_OK; i++) {
        rc = mc_cal_spec_clear_ann(s, c->clear[i], err);
    }
    for (int i = 0; i < c->nset && rc == MC_OK; i++) {
        rc = mc_cal_spec_set_ann(s, &c->set[i], err);
    }
    if (rc == MC_OK && c->rules != NULL) {
        s->nrules = 0;
        for (int i = 0; i < c->rules->nrules && rc == MC_OK; i++) {
            rc = mc_cal_spec_add_rule(s, &c->rules->rules[i], err);
        }
    }
    return rc;
}

int
mc_calendar_change_apply(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_calendar_change *c = ctx;
    struct mc_qcal_version cur;
    struct mc_calendar *check = NULL;
    struct mc_cal_spec s;
    int64_t now = mc_now();
    int rc, v = 0;

    if (c->nset == 0 && c->nclear == 0 && c->rules == NULL) {
        return mc_err_set(err, MC_EINVAL, 422, "empty_change", NULL,
                          "the calendar change is empty");
    }
    mc_cal_spec_init(&s);
    if ((rc = mc_calendar_seed(db, NULL, err)) != MC_OK ||
        (rc = mc_qcal_latest(db, &cur, err)) != MC_OK ||
        (rc = load_spec(db, cur.version, &s, err)) != MC_OK ||
        (rc = apply_change(&s, c, err)) != MC_OK ||
        (rc = mc_calendar_build(&s, cur.version + 1, now, &check, err)) !=
            MC_OK) {
        goto out;
    }
    rc = mc_qcal_version_add(db, c->effective_from ? c->effective_from : now,
                             now, c->actor_id,
                             c->note ? c->note : "calendar change", &v, err);
    for (int i = 0; rc == MC_OK && i < c->nclear; i++) {
        char date[16];
        mc_fmt_date(c->clear[i], date, sizeof(date));
        rc = mc_qcal_day_retire(db, v, date, err);
    }
    for (int i = 0; rc == MC_OK && i < c->nset; i++) {
        rc = store_day(db, v, &c->set[i], err);
    }
    if (rc == MC_OK && c->rules != NULL &&
        (rc = mc_qcal_rules_retire(db, v, err)) == MC_OK) {
        rc = store_rules(db, v, &s, err);
    }
    if (rc == MC_OK) {
        c->version = v;
    }
out:
    mc_calendar_free(check);
    mc_cal_spec_release(&s);
    return rc;
}

int
mc_calendar_unit_hours(struct mc_db *db, int64_t unit_id,
                       struct mc_workhours *wh, struct mc_err *err)
{
    char spec[512];
    int rc = mc_qcal_workhours_get(db, unit_id, spec, sizeof(spec), err);

    if (rc == MC_ENOTFOUND) {
        mc_workhours_default(wh);
        return MC_OK;
    }
    return rc == MC_OK ? mc_workhours_parse(spec, wh, err) : rc;
}

int
mc_calendar_set_unit_hours(struct mc_db *db, void *ctx, struct mc_err *err)
{
    const struct mc_workhours_change *c = ctx;
    struct mc_workhours wh;
    char canon[512];
    int rc = mc_workhours_parse(c->spec, &wh, err);

    if (rc != MC_OK) {
        return rc;
    }
    mc_workhours_format(&wh, canon, sizeof(canon));
    return mc_qcal_workhours_set(db, c->unit_id, canon, mc_now(), err);
}
