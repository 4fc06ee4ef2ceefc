/*
 * r_calendar.c - /api/v1/calendar: lunar dates, working-day arithmetic
 * with provenance, the days off of a year, and (administrators) the
 * yearly announcements, which create a new calendar version and
 * recompute the open dossiers' deadlines; the working hours of a unit.
 */
#include <stdio.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/lunar.h"
#include "domain/recompute.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "http/router.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/text.h"

static int
q_date(struct mc_req *r, const char *name, int32_t *day)
{
    const char *v = mc_req_query(r, name);

    if (v == NULL || mc_parse_date(v, day) != 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_date", name,
                          "'%s' must be a date YYYY-MM-DD", name);
    }
    return MC_OK;
}

static json_t *
date_value(int32_t day)
{
    char s[16];

    mc_fmt_date(day, s, sizeof(s));
    return json_string(s);
}

int
mc_h_cal_lunar(struct mc_req *r)
{
    struct mc_lunar l;
    int32_t day;
    char s[40];
    int rc;

    if ((rc = q_date(r, "date", &day)) != MC_OK) {
        return rc;
    }
    if (mc_lunar_from_solar(day, &l) != MC_OK) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "out_of_range", "date",
                          "dates from 1800-01-01 to 2199-12-31 only");
    }
    mc_lunar_format(&l, s, sizeof(s));
    return mc_http_json(r, 200,
                        json_pack("{s:o,s:i,s:i,s:i,s:b,s:s}", "date",
                                  date_value(day), "day", l.day, "month",
                                  l.month, "year", l.year, "leap", l.leap,
                                  "text", s));
}

int
mc_h_cal_solar(struct mc_req *r)
{
    struct mc_lunar l = {0};
    long long d, m, y;
    int32_t day;
    int rc;

    if ((rc = mc_req_query_int(r, "day", 0, 1, 30, &d)) != MC_OK ||
        (rc = mc_req_query_int(r, "month", 0, 1, 12, &m)) != MC_OK ||
        (rc = mc_req_query_int(r, "year", 0, 1800, 2199, &y)) != MC_OK) {
        return rc;
    }
    if (d == 0 || m == 0 || y == 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "missing_field", "day",
                          "give day, month and year of the lunar date");
    }
    l.day = (int)d;
    l.month = (int)m;
    l.year = (int)y;
    l.leap = mc_req_query(r, "leap") != NULL &&
             strcmp(mc_req_query(r, "leap"), "1") == 0;
    if (mc_lunar_to_solar(&l, &day) != MC_OK) {
        return mc_err_set(&r->err, MC_EINVAL, 422, "no_such_lunar_date",
                          l.leap ? "leap" : "day",
                          "there is no such lunar date%s",
                          l.leap ? " (that month is not a leap month)" : "");
    }
    return mc_http_json(r, 200, json_pack("{s:o}", "date", date_value(day)));
}

int
mc_h_cal_add(struct mc_req *r)
{
    const struct mc_calendar *cal = mc_req_calendar(r);
    struct mc_deadline_req req;
    struct mc_deadline out;
    const char *start = mc_req_query(r, "start");
    const char *unit = mc_req_query(r, "unit");
    json_t *prov = NULL;
    long long n;
    int rc;

    memset(&req, 0, sizeof(req));
    if (start == NULL || mc_parse_ts(start, &req.start) != 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_date", "start",
                          "'start' must be YYYY-MM-DD or YYYY-MM-DDTHH:MM");
    }
    if ((rc = mc_req_query_int(r, "n", -1, 0, 3650, &n)) != MC_OK) {
        return rc;
    }
    if (n < 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "missing_field", "n",
                          "give n, the number of working days or hours");
    }
    req.n = (int)n;
    req.unit = MC_LIMIT_WORKDAYS;
    if (unit != NULL && mc_limit_unit_parse(unit, &req.unit) != MC_OK) {
        if (strcmp(unit, "days") == 0) {
            req.unit = MC_LIMIT_WORKDAYS;
        } else if (strcmp(unit, "hours") == 0) {
            req.unit = MC_LIMIT_WORKHOURS;
        } else {
            return mc_err_set(&r->err, MC_EINVAL, 400, "bad_unit", "unit",
                              "unit: days, hours, halfdays or sameday");
        }
    }
    req.paper = mc_req_query(r, "paper") != NULL &&
                strcmp(mc_req_query(r, "paper"), "1") == 0;
    req.basis = "API";
    rc = mc_calendar_deadline(cal, &req, &out, &prov, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200,
                        json_pack("{s:o,s:o,s:o}", "due",
                                  mc_json_ts_value(out.due), "due_date",
                                  date_value(mc_local_day(out.due)),
                                  "provenance", prov ? prov : json_null()));
}

int
mc_h_cal_between(struct mc_req *r)
{
    int32_t a, b;
    int n, rc;

    if ((rc = q_date(r, "a", &a)) != MC_OK ||
        (rc = q_date(r, "b", &b)) != MC_OK) {
        return rc;
    }
    if (mc_calendar_between(mc_req_calendar(r), a, b, &n) != MC_OK) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "out_of_range", "a",
                          "dates outside the calendar's range");
    }
    return mc_http_json(r, 200, json_pack("{s:i}", "working_days", n));
}

int
mc_h_cal_year(struct mc_req *r)
{
    const struct mc_calendar *cal = mc_req_calendar(r);
    json_t *off = json_array(), *work = json_array();
    long long y;
    int rc;

    if ((rc = mc_req_query_int(r, "year", 0, 1800, 2199, &y)) != MC_OK) {
        json_decref(off);
        json_decref(work);
        return rc;
    }
    if (y == 0) {
        y = 1970;
        {
            int yy, mm, dd;
            mc_civil_from_days(mc_local_day(r->now), &yy, &mm, &dd);
            y = yy;
        }
    }
    for (int32_t d = mc_days_from_civil((int)y, 1, 1);
         d <= mc_days_from_civil((int)y, 12, 31); d++) {
        struct mc_day_info di;
        if (mc_calendar_day(cal, d, &di) != MC_OK) {
            continue;
        }
        if (di.kind == MC_DAY_WORK ||
            (di.kind == MC_DAY_WEEKEND && !di.announced)) {
            continue;
        }
        json_array_append_new(
            di.working ? work : off,
            json_pack("{s:o,s:s,s:s,s:s,s:s}", "date", date_value(d), "kind",
                      mc_day_kind_name(di.kind), "code", di.code, "reason",
                      di.reason, "basis", di.basis));
    }
    return mc_http_json(r, 200,
                        json_pack("{s:I,s:i,s:o,s:o}", "year", (json_int_t)y,
                                  "calendar_version",
                                  mc_calendar_version(cal), "days_off", off,
                                  "working_days_swapped", work));
}

/* ---- administrators: announcements (new calendar version) ---- */

struct day_ctx {
    struct mc_calendar_change ch;
    struct mc_calendar_recompute rc;
    struct mc_cal_ann ann;
    int32_t clear_day;
};

/* The change and the open dossiers' new deadlines, in one transaction. */
static int
day_fn(struct mc_db *db, void *arg, json_t **result, int *status,
       struct mc_err *err)
{
    struct day_ctx *c = arg;
    int rc = mc_calendar_change_recompute(db, &c->rc, err);

    if (rc != MC_OK) {
        return rc;
    }
    *result = json_pack("{s:i,s:o}", "calendar_version", c->ch.version,
                        "affected", c->rc.affected);
    c->rc.affected = NULL; /* stolen by the pack (or freed on failure) */
    *status = 201;
    return *result ? MC_OK : MC_ENOMEM;
}

int
mc_h_cal_set_day(struct mc_req *r)
{
    static const char *const allowed[] = {"date", "kind", "reason", "basis",
                                          "code", "remove", NULL};
    struct day_ctx c;
    const char *date = NULL, *kind = NULL, *reason = NULL, *basis = NULL,
               *code = NULL;
    struct mc_calendar *fresh = NULL, *old;
    struct mc_db *db;
    json_t *body = NULL;
    int remove = 0, rc;

    memset(&c, 0, sizeof(c));
    if ((rc = mc_http_require(r, MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_str(body, "date", 1, 10, &r->arena, &date, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "kind", 0, 16, &r->arena, &kind, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "reason", 0, 150, &r->arena, &reason,
                         &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "basis", 0, 150, &r->arena, &basis, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_str(body, "code", 0, 20, &r->arena, &code, &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_json_bool(body, "remove", 0, &remove, &r->err);
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    if (mc_parse_date(date, &c.ann.day) != 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_date", "date",
                          "date must be YYYY-MM-DD");
    }
    if (remove) {
        c.clear_day = c.ann.day;
        c.ch.clear = &c.clear_day;
        c.ch.nclear = 1;
    } else {
        if (kind == NULL || mc_ann_kind_parse(kind, &c.ann.kind) != MC_OK) {
            return mc_err_set(&r->err, MC_EINVAL, 400, "bad_kind", "kind",
                              "kind: holiday, compensatory, off or work");
        }
        if (reason == NULL || *reason == '\0') {
            return mc_err_set(&r->err, MC_EINVAL, 400, "missing_field",
                              "reason", "give the reason shown to people");
        }
        snprintf(c.ann.reason, sizeof(c.ann.reason), "%s", reason);
        snprintf(c.ann.basis, sizeof(c.ann.basis), "%s", basis ? basis : "");
        snprintf(c.ann.code, sizeof(c.ann.code), "%s", code ? code : "");
        c.ch.set = &c.ann;
        c.ch.nset = 1;
    }
    c.ch.note = remove ? "remove announcement" : "set announcement";
    c.ch.actor_id = r->actor.account_id;
    c.ch.effective_from = r->now;
    c.rc.change = &c.ch;
    c.rc.actor = &r->actor;
    c.rc.now = r->now;
    rc = mc_http_write(r, day_fn, &c);
    if (rc != MC_OK) {
        return rc;
    }
    /* Swap in the new version for every later request. */
    if ((db = mc_req_db(r)) == NULL ||
        mc_calendar_load(db, &fresh, &r->err) != MC_OK) {
        return MC_OK; /* stored; the next restart loads it */
    }
    if (r->cal_locked) {
        pthread_rwlock_unlock(&r->app->cal_lock);
        r->cal_locked = 0;
    }
    pthread_rwlock_wrlock(&r->app->cal_lock);
    old = r->app->cal;
    r->app->cal = fresh;
    pthread_rwlock_unlock(&r->app->cal_lock);
    mc_calendar_free(old);
    return MC_OK;
}

/* ---- working hours of a unit ---- */

/* The unit of the {id} parameter: numeric id or agency code. */
static int
path_unit(struct mc_req *r, struct mc_unit *u)
{
    struct mc_db *db = mc_req_db(r);
    long long id;

    if (db == NULL) {
        return MC_EDB;
    }
    if (mc_parse_i64(r->params[0], &id) == 0 && id > 0) {
        return mc_unit_get(db, id, u, &r->err);
    }
    return mc_unit_get_by_code(db, r->params[0], u, &r->err);
}

static json_t *
hours_json(const struct mc_unit *u, const struct mc_workhours *wh)
{
    struct mc_workhours def;
    char s[512], d[512];

    mc_workhours_default(&def);
    mc_workhours_format(wh, s, sizeof(s));
    mc_workhours_format(&def, d, sizeof(d));
    return json_pack("{s:I,s:s,s:s,s:b}", "unit_id", (json_int_t)u->id,
                     "unit_code", u->code, "hours", s, "default",
                     strcmp(s, d) == 0);
}

int
mc_h_unit_workhours_get(struct mc_req *r)
{
    struct mc_workhours wh;
    struct mc_unit u;
    int rc = path_unit(r, &u);

    if (rc == MC_OK) {
        rc = mc_calendar_unit_hours(mc_req_db(r), u.id, &wh, &r->err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, hours_json(&u, &wh));
}

struct wh_ctx {
    struct mc_workhours_change ch;
    const struct mc_unit *unit;
    int64_t actor_id, now;
};

static int
wh_fn(struct mc_db *db, void *arg, json_t **result, int *status,
      struct mc_err *err)
{
    struct wh_ctx *c = arg;
    struct mc_workhours wh;
    json_t *payload;
    char obj[40];
    int rc = mc_calendar_set_unit_hours(db, &c->ch, err);

    if (rc == MC_OK) {
        rc = mc_calendar_unit_hours(db, c->ch.unit_id, &wh, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    *result = hours_json(c->unit, &wh);
    if (*result == NULL) {
        return MC_ENOMEM;
    }
    payload = json_pack("{s:s,s:O}", "unit_code", c->unit->code, "hours",
                        json_object_get(*result, "hours"));
    snprintf(obj, sizeof(obj), "unit:%lld", (long long)c->ch.unit_id);
    rc = payload ? mc_audit_append(db, c->actor_id, "unit.workhours", obj,
                                   payload, c->now, err)
                 : MC_ENOMEM;
    json_decref(payload);
    if (rc != MC_OK) {
        json_decref(*result);
        *result = NULL;
        return rc;
    }
    *status = 200;
    return MC_OK;
}

int
mc_h_unit_workhours_put(struct mc_req *r)
{
    static const char *const allowed[] = {"hours", NULL};
    struct mc_workhours wh;
    struct mc_unit u;
    struct wh_ctx c;
    const char *spec = NULL;
    json_t *body = NULL;
    int rc;

    if ((rc = mc_http_require(r, MC_R(MC_ROLE_ADMIN))) != MC_OK ||
        (rc = mc_req_json(r, &body)) != MC_OK) {
        return rc;
    }
    rc = mc_json_only(body, allowed, &r->err);
    if (rc == MC_OK) {
        rc = mc_json_str(body, "hours", 1, 400, &r->arena, &spec, &r->err);
    }
    json_decref(body);
    if (rc != MC_OK) {
        return rc;
    }
    if (mc_workhours_parse(spec, &wh, &r->err) != MC_OK) {
        r->err.status = 400; /* a malformed field, like any other */
        return MC_EINVAL;
    }
    if ((rc = path_unit(r, &u)) != MC_OK) {
        return rc;
    }
    memset(&c, 0, sizeof(c));
    c.ch.unit_id = u.id;
    c.ch.spec = spec;
    c.unit = &u;
    c.actor_id = r->actor.account_id;
    c.now = r->now;
    return mc_http_write(r, wh_fn, &c);
}
