/*
 * discipline.c - violation rules raised from transitions, and the
 * inspectors' review (see discipline.h).
 */
#include "domain/discipline.h"

#include <stdlib.h>
#include <string.h>

#include "db/q_apology.h"
#include "db/q_discipline.h"
#include "domain/calendar.h"
#include "domain/notify.h"
#include "domain/sweep.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"

static const char *const rule_names[] = {
    "supplement_repeated", "supplement_late",      "reschedule_late",
    "late_return",         "consult_late",         "step_by_non_assignee",
    "overdue_without_apology", "feedback_overdue",
    "feedback_official_conduct", NULL};

int
mc_violation_rule_known(const char *rule)
{
    for (int i = 0; rule_names[i] != NULL; i++) {
        if (strcmp(rule_names[i], rule) == 0) {
            return 1;
        }
    }
    return 0;
}

json_t *
mc_violation_json(const struct mc_violation *v)
{
    json_t *ev = NULL, *o;

    if (v->evidence != NULL) {
        ev = json_loads(v->evidence, 0, NULL);
    }
    o = json_pack("{s:I,s:s,s:I,s:o,s:I,s:o,s:o,s:s,s:o,s:o,s:s?}", "id",
                  (json_int_t)v->id, "rule", v->rule, "dossier_id",
                  (json_int_t)v->dossier_id, "official_id",
                  v->official_id ? json_integer(v->official_id) : json_null(),
                  "unit_id", (json_int_t)v->unit_id, "evidence",
                  ev ? ev : json_object(), "at", mc_json_ts_value(v->at),
                  "state", v->state ? v->state : "open", "decided_by",
                  v->decided_by ? json_integer(v->decided_by) : json_null(),
                  "decided_at", mc_json_ts_value(v->decided_at),
                  "decision_reason", v->decision_reason);
    return o;
}

int
mc_violation_raise(struct mc_db *db, const struct mc_violation *v,
                   int64_t actor_id, int *raised, struct mc_err *err)
{
    json_t *payload;
    char obj[40];
    int64_t id = 0;
    int rc;

    if (raised != NULL) {
        *raised = 0;
    }
    rc = mc_q_violation_insert(db, v, &id, err);
    if (rc != MC_OK || id == 0) {
        return rc;
    }
    snprintf(obj, sizeof(obj), "violation:%lld", (long long)id);
    payload = json_pack("{s:s,s:I,s:I,s:I}", "rule", v->rule, "dossier_id",
                        (json_int_t)v->dossier_id, "official_id",
                        (json_int_t)v->official_id, "unit_id",
                        (json_int_t)v->unit_id);
    if (payload == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_audit_append(db, actor_id, "violation.raise", obj, payload, v->at,
                         err);
    json_decref(payload);
    if (rc == MC_OK && raised != NULL) {
        *raised = 1;
    }
    return rc;
}

/* Raise rule for the acting official (their unit, else the dossier's). */
static int
raise_actor(struct mc_db *db, const struct mc_dossier_wctx *c,
            const struct mc_dossier *d, const char *rule, int64_t occurrence,
            json_t *evidence, struct mc_err *err)
{
    const struct mc_actor *a = c->actor;
    struct mc_violation v;
    char *s;
    int rc;

    memset(&v, 0, sizeof(v));
    v.rule = rule;
    v.dossier_id = d->id;
    v.occurrence = occurrence;
    v.official_id = a->account_id;
    v.unit_id = a->unit_id ? a->unit_id : d->unit_id;
    v.unit_path = a->unit_id ? a->unit_path : d->unit_path;
    v.at = c->now;
    json_object_set_new(evidence, "dossier_code",
                        d->code ? json_string(d->code) : json_null());
    s = json_dumps(evidence, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(evidence);
    if (s == NULL) {
        return MC_ENOMEM;
    }
    v.evidence = s;
    rc = mc_violation_raise(db, &v, a->account_id, NULL, err);
    free(s);
    return rc;
}

static int64_t
data_ts(json_t *data, const char *key)
{
    json_t *v = json_object_get(data, key);
    int64_t t = 0;

    if (json_is_string(v) && mc_parse_ts(json_string_value(v), &t) == 0) {
        return t;
    }
    return 0;
}

static int
on_supplement(struct mc_db *db, const struct mc_dossier_wctx *c,
              const struct mc_dossier *d, json_t *data, struct mc_err *err)
{
    int wd = 0, rc = MC_OK;

    if (d->supplements >= 2) {
        rc = raise_actor(db, c, d, "supplement_repeated", d->supplements,
                         json_pack("{s:I,s:O?}", "round",
                                   (json_int_t)d->supplements, "components",
                                   json_object_get(data, "components")),
                         err);
    }
    if (rc == MC_OK && d->received_at != 0 &&
        mc_calendar_between(c->cal, mc_local_day(d->received_at),
                            mc_local_day(c->now), &wd) == MC_OK &&
        wd > MC_SUPPLEMENT_MAX_WORKDAYS) {
        rc = raise_actor(db, c, d, "supplement_late", d->supplements,
                         json_pack("{s:o,s:o,s:i,s:i}", "received_at",
                                   mc_json_ts_value(d->received_at),
                                   "requested_at", mc_json_ts_value(c->now),
                                   "working_days", wd, "limit",
                                   MC_SUPPLEMENT_MAX_WORKDAYS),
                         err);
    }
    return rc;
}

static int
on_late_return(struct mc_db *db, const struct mc_dossier_wctx *c,
               const struct mc_dossier *d, struct mc_err *err)
{
    struct mc_violation v;
    int64_t off = 0, unit = 0, sdue = 0, sleft = 0;
    const char *path = NULL;
    json_t *ev;
    char *s;
    int rc;

    rc = mc_q_first_late_step(db, d->id, c->arena, &off, &unit, &path, &sdue,
                              &sleft, err);
    if (rc != MC_OK && rc != MC_ENOTFOUND) {
        return rc;
    }
    memset(&v, 0, sizeof(v));
    v.rule = "late_return";
    v.dossier_id = d->id;
    v.at = c->now;
    ev = json_pack("{s:o,s:o,s:s?}", "due_at", mc_json_ts_value(d->due_at),
                   "returned_at", mc_json_ts_value(c->now), "dossier_code",
                   d->code);
    if (ev == NULL) {
        return MC_ENOMEM;
    }
    if (rc == MC_OK) {
        /* Blame the first step that finished after its own deadline. */
        v.official_id = off;
        v.unit_id = unit;
        v.unit_path = path;
        json_object_set_new(ev, "late_step",
                            json_pack("{s:o,s:o}", "due_at",
                                      mc_json_ts_value(sdue), "left_at",
                                      mc_json_ts_value(sleft)));
    } else {
        v.official_id = d->assignee_id;
        v.unit_id = d->unit_id;
        v.unit_path = d->unit_path;
    }
    s = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(ev);
    if (s == NULL) {
        return MC_ENOMEM;
    }
    v.evidence = s;
    rc = mc_violation_raise(db, &v, c->actor->account_id, NULL, err);
    free(s);
    return rc;
}

/* Apology to the applicant (Mẫu 04) through the notification channels. */
static int
notify_apology(struct mc_db *db, const struct mc_dossier_wctx *c,
               const struct mc_dossier *d, json_t *data, struct mc_err *err)
{
    struct mc_notification_new n;
    const char *nd = json_string_value(json_object_get(data, "new_due"));

    memset(&n, 0, sizeof(n));
    n.account_id = d->applicant_id;
    n.dossier_id = d->id;
    n.kind = "apology";
    n.title = mc_arena_printf(c->arena, "Xin lỗi và hẹn lại ngày trả kết "
                                        "quả hồ sơ %s",
                              d->code ? d->code : "");
    n.body = mc_arena_printf(c->arena,
                             "Cơ quan giải quyết xin lỗi vì hồ sơ %s chưa có "
                             "kết quả đúng hẹn. Lý do: %s. Ngày hẹn trả mới: "
                             "%s.",
                             d->code ? d->code : "",
                             c->tr && c->tr->reason ? c->tr->reason : "",
                             nd ? nd : "");
    n.address = d->applicant_email ? d->applicant_email : d->applicant_phone;
    n.dedup_key = mc_arena_printf(c->arena, "apology:%lld:%d",
                                  (long long)d->id, d->reschedules);
    if (n.title == NULL || n.body == NULL || n.dedup_key == NULL) {
        return MC_ENOMEM;
    }
    return mc_notify(db, &n, c->now, NULL, err);
}

int
mc_discipline_on_transition(struct mc_db *db, const struct mc_dossier_wctx *c,
                            const char *action, enum mc_dstate from,
                            const struct mc_dossier *d, json_t *data,
                            struct mc_err *err)
{
    int rc = MC_OK;

    (void)from;
    if (strcmp(action, "request_supplement") == 0) {
        rc = on_supplement(db, c, d, data, err);
    } else if (strcmp(action, "reschedule") == 0) {
        int64_t old_due = data_ts(data, "old_due");
        if (old_due != 0 && old_due - c->now < MC_DAY) {
            rc = raise_actor(db, c, d, "reschedule_late", d->reschedules,
                             json_pack("{s:o,s:o,s:o,s:I}", "old_due",
                                       mc_json_ts_value(old_due), "new_due",
                                       mc_json_ts_value(d->due_at), "at",
                                       mc_json_ts_value(c->now),
                                       "seconds_before_due",
                                       (json_int_t)(old_due - c->now)),
                             err);
        }
        if (rc == MC_OK) {
            rc = notify_apology(db, c, d, data, err);
        }
    } else if (strcmp(action, "return_result") == 0) {
        if (d->due_at != 0 && c->now > d->due_at) {
            rc = on_late_return(db, c, d, err);
        }
    } else if (strcmp(action, "consult_reply") == 0) {
        if (json_is_true(json_object_get(data, "late"))) {
            static const char *const consult[] = {"consult", NULL};
            const char *act = NULL, *edata = NULL, *reason = NULL;
            int64_t at = 0, due = 0;
            json_t *cd;
            int r2 = mc_q_last_event(db, d->id, consult, c->arena, &act,
                                     &edata, &reason, &at, err);
            if (r2 != MC_OK && r2 != MC_ENOTFOUND) {
                return r2;
            }
            cd = edata ? json_loads(edata, 0, NULL) : NULL;
            due = cd ? data_ts(cd, "due") : 0;
            json_decref(cd);
            rc = raise_actor(db, c, d, "consult_late", d->version,
                             json_pack("{s:o,s:o,s:o}", "consult_due",
                                       mc_json_ts_value(due), "asked_at",
                                       mc_json_ts_value(at), "replied_at",
                                       mc_json_ts_value(c->now)),
                             err);
        }
    } else if (strcmp(action, "submit_for_approval") == 0) {
        if (d->assignee_id != 0 && c->actor->account_id != d->assignee_id) {
            rc = raise_actor(db, c, d, "step_by_non_assignee", d->version,
                             json_pack("{s:I,s:I,s:i}", "assignee_id",
                                       (json_int_t)d->assignee_id,
                                       "finished_by",
                                       (json_int_t)c->actor->account_id,
                                       "step", d->step_seq - 1),
                             err);
        }
    }
    if (rc == MC_OK) {
        rc = mc_sweep_touch(db, d, c->now, err);
    }
    return rc;
}

/* ---- review ---- */

int
mc_discipline_scope(const struct mc_actor *actor, struct mc_arena *a,
                    struct mc_q_range *s, struct mc_err *err)
{
    memset(s, 0, sizeof(*s));
    if (actor->role == MC_ROLE_ADMIN) {
        s->all = 1;
        return MC_OK;
    }
    if ((actor->role == MC_ROLE_INSPECTOR || actor->role == MC_ROLE_LEADER) &&
        actor->unit_path[0]) {
        s->lo = actor->unit_path;
        s->hi = mc_unit_path_hi_dup(a, actor->unit_path);
        return s->hi ? MC_OK : MC_ENOMEM;
    }
    return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                      "only inspectors, leaders and administrators see "
                      "violations");
}

int
mc_discipline_unit_range(struct mc_db *db, const struct mc_actor *actor,
                         int64_t unit_id, struct mc_arena *a,
                         struct mc_q_range *u, struct mc_err *err)
{
    struct mc_unit unit;
    int rc;

    memset(u, 0, sizeof(*u));
    u->all = 1;
    if (unit_id == 0) {
        return MC_OK;
    }
    rc = mc_unit_get(db, unit_id, &unit, err);
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_EINVAL, 422, "unknown_unit", "unit_id",
                          "no such unit");
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (!mc_actor_covers(actor, unit.path)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", "unit_id",
                          "that unit is outside your scope");
    }
    u->all = 0;
    u->lo = mc_arena_strdup(a, unit.path);
    u->hi = u->lo ? mc_unit_path_hi_dup(a, u->lo) : NULL;
    return u->hi ? MC_OK : MC_ENOMEM;
}

int
mc_violation_list(struct mc_db *db, const struct mc_actor *actor,
                  const struct mc_violation_filter *f, struct mc_arena *a,
                  json_t **items, int64_t *total, struct mc_err *err)
{
    struct mc_q_range s, u;
    struct mc_violation *rows = NULL;
    json_t *arr;
    int n = 0, rc;

    *items = NULL;
    if ((rc = mc_discipline_scope(actor, a, &s, err)) != MC_OK) {
        return rc;
    }
    if (f->state != NULL && strcmp(f->state, "open") != 0 &&
        strcmp(f->state, "confirmed") != 0 &&
        strcmp(f->state, "dismissed") != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_state", "state",
                          "state is open, confirmed or dismissed");
    }
    if (f->rule != NULL && !mc_violation_rule_known(f->rule)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_rule", "rule",
                          "unknown rule '%.40s'", f->rule);
    }
    if ((rc = mc_discipline_unit_range(db, actor, f->unit_id, a, &u, err)) != MC_OK) {
        return rc;
    }
    rc = mc_q_violation_list(db, &s, &u, f, a, &rows, &n, total, err);
    if (rc != MC_OK) {
        return rc;
    }
    arr = json_array();
    for (int i = 0; i < n && arr != NULL; i++) {
        json_array_append_new(arr, mc_violation_json(&rows[i]));
    }
    *items = arr;
    return arr ? MC_OK : MC_ENOMEM;
}

int
mc_violation_decide(struct mc_db *db, struct mc_violation_decision *c,
                    struct mc_err *err)
{
    const struct mc_actor *a = c->actor;
    struct mc_violation v;
    const char *state;
    json_t *payload;
    char act[40], obj[40];
    int rc;

    if (a->role != MC_ROLE_INSPECTOR) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "role_not_allowed", NULL,
                          "only inspectors decide on violations");
    }
    if (c->decision == NULL || (strcmp(c->decision, "confirm") != 0 &&
                                strcmp(c->decision, "dismiss") != 0)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_decision", "decision",
                          "decision is confirm or dismiss");
    }
    if (c->reason == NULL || *c->reason == '\0') {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "reason",
                          "a decision needs a reason");
    }
    rc = mc_q_violation_get(db, c->id, c->arena, &v, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (!mc_actor_covers(a, v.unit_path)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                          "this violation is outside your unit");
    }
    state = strcmp(c->decision, "confirm") == 0 ? "confirmed" : "dismissed";
    rc = mc_q_violation_decide(db, v.id, state, a->account_id, c->now,
                               c->reason, err);
    if (rc != MC_OK) {
        return rc;
    }
    v.state = state;
    v.decided_by = a->account_id;
    v.decided_at = c->now;
    v.decision_reason = c->reason;
    snprintf(act, sizeof(act), "violation.%s", c->decision);
    snprintf(obj, sizeof(obj), "violation:%lld", (long long)v.id);
    payload = json_pack("{s:s,s:s,s:I}", "rule", v.rule, "reason", c->reason,
                        "dossier_id", (json_int_t)v.dossier_id);
    if (payload == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_audit_append(db, a->account_id, act, obj, payload, c->now, err);
    json_decref(payload);
    if (rc != MC_OK) {
        return rc;
    }
    c->out = mc_violation_json(&v);
    return c->out ? MC_OK : MC_ENOMEM;
}

int
mc_discipline_summary(struct mc_db *db, const struct mc_actor *actor,
                      int64_t unit_id, int64_t from, int64_t to,
                      struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_q_range s, u;
    json_t *offs = NULL, *units = NULL, *aps = NULL;
    int64_t total = 0, ap_total = 0;
    int rc;

    *out = NULL;
    if ((rc = mc_discipline_scope(actor, a, &s, err)) != MC_OK ||
        (rc = mc_discipline_unit_range(db, actor, unit_id, a, &u, err)) != MC_OK) {
        return rc;
    }
    if (to <= from) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_range", "to",
                          "'to' must be after 'from'");
    }
    rc = mc_q_discipline_summary(db, u.all ? &s : &u, from, to, &offs, &units,
                                 &total, err);
    if (rc == MC_OK) {
        rc = mc_q_apology_counts(db, u.all ? &s : &u, from, to, &aps,
                                 &ap_total, err);
    }
    if (rc != MC_OK) {
        json_decref(offs);
        json_decref(units);
        return rc;
    }
    *out = json_pack("{s:o,s:o,s:I,s:o,s:o,s:o,s:o,s:I}", "by_official",
                     offs, "by_unit", units, "total", (json_int_t)total,
                     "from", mc_json_ts_value(from), "to",
                     mc_json_ts_value(to), "unit_id",
                     unit_id ? json_integer(unit_id) : json_null(),
                     "apologies_by_unit", aps, "apologies_total",
                     (json_int_t)ap_total);
    return *out ? MC_OK : MC_ENOMEM;
}
