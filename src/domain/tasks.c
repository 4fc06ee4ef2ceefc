/*
 * tasks.c - directives and tasks: status, creation, reading and the
 * actions of the lead and issuing units (see tasks.h). The report, the
 * sweeper step and the demo seed are in tasks_report.c.
 */
#include "domain/tasks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/q_tasks.h"
#include "domain/calendar.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"

static const char *const status_names[MC_TASK_NSTATUS] = {
    "done_on_time", "done_late", "in_progress_on_track", "in_progress_at_risk",
    "overdue"};

const char *mc_task_status_name(enum mc_task_status s) {
  return (int)s >= 0 && s < MC_TASK_NSTATUS ? status_names[s] : "unknown";
}

int mc_task_status_parse(const char *s) {
  for (int i = 0; s != NULL && i < MC_TASK_NSTATUS; i++) {
    if (strcmp(status_names[i], s) == 0) {
      return i;
    }
  }
  return -1;
}

enum mc_task_status mc_task_status(const struct mc_task *t, int64_t now) {
  int64_t start, end, total, left;
  int rt, rp, frozen = mc_task_status_parse(t->final_status);

  if (frozen >= 0) {
    return (enum mc_task_status)frozen;
  }
  if (t->state != NULL && strcmp(t->state, "open") != 0 && t->done_at) {
    return mc_local_day(t->done_at) <= t->deadline ? MC_TASK_DONE_ON_TIME
                                                   : MC_TASK_DONE_LATE;
  }
  end = mc_local_ts(t->deadline + 1, 0);
  if (now >= end) {
    return MC_TASK_OVERDUE;
  }
  start = mc_local_ts(t->start_day, 0);
  rt = t->risk_time_pct > 0 ? t->risk_time_pct : MC_TASK_RISK_TIME_PCT;
  rp = t->risk_progress_pct > 0 ? t->risk_progress_pct
                                : MC_TASK_RISK_PROGRESS_PCT;
  total = end - start;
  left = end - now;
  if ((total <= 0 || left * 100 < (int64_t)rt * total) && t->progress < rp) {
    return MC_TASK_AT_RISK;
  }
  return MC_TASK_ON_TRACK;
}

static json_t *day_value(int32_t day) {
  char buf[16];

  if (day == 0) {
    return json_null();
  }
  mc_fmt_date(day, buf, sizeof(buf));
  return json_string(buf);
}

static json_t *id_or_null(int64_t id) {
  return id ? json_integer(id) : json_null();
}

json_t *mc_directive_json(const struct mc_directive *d) {
  return json_pack(
      "{s:I,s:s?,s:o,s:I,s:s?,s:o,s:o,s:o}", "id", (json_int_t)d->id, "number",
      d->number, "issued_on", day_value(d->issued_on), "issuer_unit_id",
      (json_int_t)d->issuer_unit_id, "summary", d->summary, "file_id",
      id_or_null(d->file_id), "created_by", id_or_null(d->created_by),
      "created_at", mc_json_ts_value(d->created_at));
}

json_t *mc_task_json(const struct mc_task *t, int64_t now) {
  json_t *target = json_null(), *o;

  if (t->has_target) {
    target = json_pack("{s:s?,s:f,s:f,s:s?}", "text", t->target_text, "value",
                       t->target_value, "current", t->current_value, "unit",
                       t->target_unit);
  }
  o = json_pack("{s:I,s:I,s:s?,s:I,s:I,s:o,s:o,s:o,s:b,s:s?,s:o,s:s?}", "id",
                (json_int_t)t->id, "directive_id", (json_int_t)t->directive_id,
                "title", t->title, "lead_unit_id", (json_int_t)t->lead_unit_id,
                "issuer_unit_id", (json_int_t)t->issuer_unit_id, "start_date",
                day_value(t->start_day), "deadline", day_value(t->deadline),
                "deadline_original", day_value(t->deadline_original),
                "adjusted", t->deadline != t->deadline_original,
                "expected_output", t->expected_output, "target", target,
                "priority", t->priority);
  if (o == NULL) {
    return NULL;
  }
  json_object_set_new(o, "progress", json_integer(t->progress));
  json_object_set_new(o, "risk_time_pct", json_integer(t->risk_time_pct));
  json_object_set_new(o, "risk_progress_pct",
                      json_integer(t->risk_progress_pct));
  json_object_set_new(o, "state", json_string(t->state));
  json_object_set_new(o, "status",
                      json_string(mc_task_status_name(mc_task_status(t, now))));
  json_object_set_new(o, "status_frozen",
                      json_boolean(t->final_status != NULL));
  json_object_set_new(o, "done_at", mc_json_ts_value(t->done_at));
  json_object_set_new(o, "evidence",
                      t->evidence ? json_string(t->evidence) : json_null());
  json_object_set_new(o, "accepted_at", mc_json_ts_value(t->accepted_at));
  json_object_set_new(o, "accepted_by", id_or_null(t->accepted_by));
  json_object_set_new(o, "cause",
                      t->cause ? json_string(t->cause) : json_null());
  json_object_set_new(o, "cause_at", mc_json_ts_value(t->cause_at));
  json_object_set_new(o, "reminded_at", mc_json_ts_value(t->reminded_at));
  json_object_set_new(o, "escalated_at", mc_json_ts_value(t->escalated_at));
  json_object_set_new(o, "created_at", mc_json_ts_value(t->created_at));
  return o;
}

/* ---- scope ---- */

/* 1 if path lies in the subtree rooted at root (root is a prefix). */
static int inside(const char *path, const char *root) {
  size_t n = root ? strlen(root) : 0;

  return n > 0 && path != NULL && strncmp(path, root, n) == 0;
}

static int related(const struct mc_actor *a, const char *unit_path) {
  return mc_actor_covers(a, unit_path) || inside(a->unit_path, unit_path);
}

int mc_task_visible(const struct mc_actor *actor, const struct mc_task *t,
                    const char *const *coop, int ncoop) {
  if (actor->role == MC_ROLE_ADMIN) {
    return 1;
  }
  if (!mc_role_is_official(actor->role) || !actor->unit_path[0]) {
    return 0;
  }
  if (related(actor, t->lead_path) || mc_actor_covers(actor, t->issuer_path)) {
    return 1;
  }
  for (int i = 0; i < ncoop; i++) {
    if (related(actor, coop[i])) {
      return 1;
    }
  }
  return 0;
}

/* A leader covering the issuing unit, or an administrator. */
static int issuer_leader(const struct mc_actor *a, const char *issuer_path) {
  return a->role == MC_ROLE_ADMIN ||
         (a->role == MC_ROLE_LEADER && mc_actor_covers(a, issuer_path));
}

/* ---- audit + history ---- */

/* History event and audit record "<prefix>.<action>"; data is taken. */
static int record(struct mc_db *db, const struct mc_task_wctx *w,
                  int64_t task_id, const char *action, json_t *data,
                  struct mc_err *err) {
  char act[48], obj[40];
  char *text = NULL;
  int rc;

  if (data == NULL) {
    return MC_ENOMEM;
  }
  text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
  if (text == NULL) {
    json_decref(data);
    return MC_ENOMEM;
  }
  rc = mc_q_task_event_insert(db, task_id, action, w->actor->account_id, w->now,
                              text, err);
  if (rc == MC_OK) {
    snprintf(act, sizeof(act), "task.%s", action);
    snprintf(obj, sizeof(obj), "task:%lld", (long long)task_id);
    rc = mc_audit_append(db, w->actor->account_id, act, obj, data, w->now, err);
  }
  free(text);
  json_decref(data);
  return rc;
}

/* ---- directives ---- */

int mc_directive_create(struct mc_db *db, struct mc_directive_create *c,
                        struct mc_err *err) {
  const struct mc_actor *a = c->w.actor;
  struct mc_directive d;
  struct mc_unit u;
  json_t *payload;
  char obj[40];
  int rc;

  if (a->role != MC_ROLE_LEADER && a->role != MC_ROLE_ADMIN) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "role_not_allowed", NULL,
                      "only leaders and administrators record "
                      "directives");
  }
  if (c->number == NULL || c->summary == NULL || c->issued_on == 0) {
    return mc_err_set(err, MC_EINVAL, 400, "missing_field", NULL,
                      "number, date and summary are required");
  }
  rc = mc_unit_get(db, c->issuer_unit_id ? c->issuer_unit_id : a->unit_id, &u,
                   err);
  if (rc == MC_ENOTFOUND) {
    return mc_err_set(err, MC_EINVAL, 422, "unknown_unit", "issuer_unit_id",
                      "no such unit");
  }
  if (rc != MC_OK) {
    return rc;
  }
  if (!mc_actor_covers(a, u.path)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", "issuer_unit_id",
                      "that unit is outside your scope");
  }
  memset(&d, 0, sizeof(d));
  d.number = c->number;
  d.issued_on = c->issued_on;
  d.issuer_unit_id = u.id;
  d.issuer_path = u.path;
  d.summary = c->summary;
  d.file_id = c->file_id;
  d.created_by = a->account_id;
  d.created_at = c->w.now;
  if ((rc = mc_q_directive_insert(db, &d, &d.id, err)) != MC_OK) {
    return rc;
  }
  snprintf(obj, sizeof(obj), "directive:%lld", (long long)d.id);
  payload = json_pack("{s:s,s:I,s:I}", "number", d.number, "issuer_unit_id",
                      (json_int_t)d.issuer_unit_id, "issued_on",
                      (json_int_t)d.issued_on);
  if (payload == NULL) {
    return MC_ENOMEM;
  }
  rc = mc_audit_append(db, a->account_id, "directive.create", obj, payload,
                       c->w.now, err);
  json_decref(payload);
  if (rc != MC_OK) {
    return rc;
  }
  c->w.out = mc_directive_json(&d);
  return c->w.out ? MC_OK : MC_ENOMEM;
}

int mc_directive_list(struct mc_db *db, const struct mc_actor *actor, int limit,
                      int offset, struct mc_arena *a, json_t **items,
                      int64_t *total, struct mc_err *err) {
  struct mc_directive *rows = NULL;
  json_t *arr;
  int n = 0, rc;

  *items = NULL;
  if (!mc_role_is_official(actor->role)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                      "only officials read directives");
  }
  rc = mc_q_directive_list(db, limit, offset, a, &rows, &n, total, err);
  if (rc != MC_OK) {
    return rc;
  }
  arr = json_array();
  for (int i = 0; i < n && arr != NULL; i++) {
    json_array_append_new(arr, mc_directive_json(&rows[i]));
  }
  *items = arr;
  return arr ? MC_OK : MC_ENOMEM;
}

/* Visible tasks of a query as a JSON array; *nall = matches before the
 * status filter. */
static int task_rows(struct mc_db *db, const struct mc_actor *actor,
                     const struct mc_q_task_sel *sel, int status, int64_t now,
                     struct mc_arena *a, json_t *arr, int offset, int limit,
                     int64_t *total, struct mc_err *err) {
  struct mc_task *rows = NULL;
  int n = 0, rc;

  *total = 0;
  rc = mc_q_task_list(db, sel, a, &rows, &n, err);
  for (int i = 0; i < n && rc == MC_OK; i++) {
    const char **coop = NULL;
    int nc = 0;

    if (!sel->all && !mc_task_visible(actor, &rows[i], NULL, 0)) {
      rc = mc_q_task_unit_paths(db, rows[i].id, a, &coop, &nc, err);
      if (rc != MC_OK) {
        break;
      }
      if (!mc_task_visible(actor, &rows[i], coop, nc)) {
        continue;
      }
    }
    if (status >= 0 && (int)mc_task_status(&rows[i], now) != status) {
      continue;
    }
    if (*total >= offset && *total < (int64_t)offset + limit &&
        json_array_append_new(arr, mc_task_json(&rows[i], now)) != 0) {
      rc = MC_ENOMEM;
    }
    (*total)++;
  }
  return rc;
}

int mc_directive_get(struct mc_db *db, const struct mc_actor *actor, int64_t id,
                     int64_t now, struct mc_arena *a, json_t **out,
                     struct mc_err *err) {
  struct mc_q_task_sel sel;
  struct mc_directive d;
  json_t *o, *tasks;
  int64_t total = 0;
  int rc;

  *out = NULL;
  if (!mc_role_is_official(actor->role)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                      "only officials read directives");
  }
  if ((rc = mc_q_directive_get(db, id, a, &d, err)) != MC_OK) {
    return rc;
  }
  memset(&sel, 0, sizeof(sel));
  sel.all = actor->role == MC_ROLE_ADMIN;
  sel.actor_path = actor->unit_path;
  sel.actor_hi = mc_unit_path_hi_dup(a, actor->unit_path);
  sel.directive_id = id;
  sel.max = MC_TASK_LIST_MAX;
  if ((o = mc_directive_json(&d)) == NULL || sel.actor_hi == NULL) {
    json_decref(o);
    return MC_ENOMEM;
  }
  tasks = json_array();
  json_object_set_new(o, "tasks", tasks);
  rc = task_rows(db, actor, &sel, -1, now, a, tasks, 0, MC_TASK_LIST_MAX,
                 &total, err);
  if (rc != MC_OK) {
    json_decref(o);
    return rc;
  }
  *out = o;
  return MC_OK;
}

/* ---- tasks ---- */

static int unit_or_422(struct mc_db *db, int64_t id, const char *field,
                       struct mc_unit *u, struct mc_err *err) {
  int rc = mc_unit_get(db, id, u, err);

  if (rc == MC_ENOTFOUND) {
    return mc_err_set(err, MC_EINVAL, 422, "unknown_unit", field,
                      "no such unit %lld", (long long)id);
  }
  return rc;
}

/* Full view: the task, its units, reports, adjustments and history. */
static int task_detail(struct mc_db *db, const struct mc_task *t, int64_t now,
                       json_t **out, struct mc_err *err) {
  json_t *o = mc_task_json(t, now), *v = NULL;
  int rc = o ? MC_OK : MC_ENOMEM;

  *out = NULL;
  if (rc == MC_OK && (rc = mc_q_task_units_json(db, t->id, &v, err)) == MC_OK) {
    json_object_set_new(o, "cooperating_units", v);
  }
  if (rc == MC_OK &&
      (rc = mc_q_task_reports_json(db, t->id, &v, err)) == MC_OK) {
    json_object_set_new(o, "reports", v);
  }
  if (rc == MC_OK && (rc = mc_q_task_adjs_json(db, t->id, &v, err)) == MC_OK) {
    json_object_set_new(o, "adjustments", v);
  }
  if (rc == MC_OK &&
      (rc = mc_q_task_events_json(db, t->id, &v, err)) == MC_OK) {
    json_object_set_new(o, "history", v);
  }
  if (rc != MC_OK) {
    json_decref(o);
    return rc;
  }
  *out = o;
  return MC_OK;
}

static int priority_known(const char *p) {
  return strcmp(p, "low") == 0 || strcmp(p, "normal") == 0 ||
         strcmp(p, "high") == 0 || strcmp(p, "urgent") == 0;
}

/* Validate the deadline fields of c against the directive date. */
static int task_deadline(const struct mc_task_create *c, int32_t issued_on,
                         int32_t *out, struct mc_err *err) {
  if ((c->deadline != 0) == (c->workdays > 0)) {
    return mc_err_set(err, MC_EINVAL, 400, "bad_deadline", "deadline",
                      "give either a deadline date or a number of "
                      "working days");
  }
  if (c->workdays > 0) {
    if (c->w.cal == NULL ||
        mc_calendar_add_days(c->w.cal, issued_on, c->workdays, out) != MC_OK) {
      return mc_err_set(err, MC_EINVAL, 400, "bad_deadline",
                        "deadline_workdays",
                        "the deadline falls outside the calendar");
    }
    return MC_OK;
  }
  if (c->deadline < issued_on) {
    return mc_err_set(err, MC_EINVAL, 400, "bad_deadline", "deadline",
                      "the deadline is before the directive's date");
  }
  *out = c->deadline;
  return MC_OK;
}

int mc_task_create(struct mc_db *db, struct mc_task_create *c,
                   struct mc_err *err) {
  const struct mc_actor *a = c->w.actor;
  struct mc_directive d;
  struct mc_unit lead, cu;
  struct mc_task t;
  json_t *coop;
  int rc;

  if ((rc = mc_q_directive_get(db, c->directive_id, c->w.arena, &d, err)) !=
      MC_OK) {
    if (rc == MC_ENOTFOUND) {
      return mc_err_set(err, MC_EINVAL, 422, "unknown_directive",
                        "directive_id", "no such directive");
    }
    return rc;
  }
  if (!issuer_leader(a, d.issuer_path)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "not_issuer", NULL,
                      "only the issuing unit's leaders assign its "
                      "tasks");
  }
  if (c->title == NULL || c->expected_output == NULL) {
    return mc_err_set(err, MC_EINVAL, 400, "missing_field", "title",
                      "title and expected_output are required");
  }
  if (c->priority != NULL && !priority_known(c->priority)) {
    return mc_err_set(err, MC_EINVAL, 400, "bad_priority", "priority",
                      "priority is low, normal, high or urgent");
  }
  if (c->has_target && !(c->target_value > 0 && isfinite(c->target_value) &&
                         isfinite(c->current_value) && c->current_value >= 0)) {
    return mc_err_set(err, MC_EINVAL, 400, "bad_target", "target",
                      "the target value must be positive and the "
                      "current value not negative");
  }
  memset(&t, 0, sizeof(t));
  if ((rc = task_deadline(c, d.issued_on, &t.deadline, err)) != MC_OK ||
      (rc = unit_or_422(db, c->lead_unit_id, "lead_unit_id", &lead, err)) !=
          MC_OK) {
    return rc;
  }
  t.directive_id = d.id;
  t.title = c->title;
  t.lead_unit_id = lead.id;
  t.lead_path = lead.path;
  t.issuer_unit_id = d.issuer_unit_id;
  t.issuer_path = d.issuer_path;
  t.start_day = d.issued_on;
  t.deadline_original = t.deadline;
  t.expected_output = c->expected_output;
  t.has_target = c->has_target;
  t.target_text = c->target_text;
  t.target_unit = c->target_unit;
  t.target_value = c->target_value;
  t.current_value = c->current_value;
  if (t.has_target) {
    double p = c->current_value * 100.0 / c->target_value;
    t.progress = p >= 100 ? 100 : (int)p;
  }
  t.priority = c->priority ? c->priority : "normal";
  t.risk_time_pct = c->risk_time_pct ? c->risk_time_pct : MC_TASK_RISK_TIME_PCT;
  t.risk_progress_pct =
      c->risk_progress_pct ? c->risk_progress_pct : MC_TASK_RISK_PROGRESS_PCT;
  t.state = "open";
  t.created_by = a->account_id;
  t.created_at = c->w.now;
  if ((rc = mc_q_task_insert(db, &t, &t.id, err)) != MC_OK) {
    return rc;
  }
  coop = json_array();
  for (int i = 0; i < c->ncoop && rc == MC_OK; i++) {
    rc = unit_or_422(db, c->coop_unit_ids[i], "cooperating_unit_ids", &cu, err);
    if (rc == MC_OK && cu.id == lead.id) {
      rc = mc_err_set(err, MC_EINVAL, 400, "bad_units", "cooperating_unit_ids",
                      "the lead unit cannot also cooperate");
    }
    if (rc == MC_OK) {
      rc = mc_q_task_unit_add(db, t.id, cu.id, cu.path, err);
      json_array_append_new(coop, json_integer(cu.id));
    }
  }
  if (rc != MC_OK) {
    json_decref(coop);
    return rc;
  }
  rc = record(db, &c->w, t.id, "create",
              json_pack("{s:I,s:I,s:o,s:o,s:o}", "directive_id",
                        (json_int_t)d.id, "lead_unit_id", (json_int_t)lead.id,
                        "cooperating_unit_ids", coop, "deadline",
                        day_value(t.deadline), "target",
                        json_boolean(t.has_target)),
              err);
  if (rc != MC_OK) {
    return rc;
  }
  return task_detail(db, &t, c->w.now, &c->w.out, err);
}

/* Load task id and check the actor may see it (403 otherwise). */
static int load_visible(struct mc_db *db, const struct mc_actor *actor,
                        int64_t id, struct mc_arena *a, struct mc_task *t,
                        struct mc_err *err) {
  const char **coop = NULL;
  int nc = 0, rc;

  if (!mc_role_is_official(actor->role)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                      "only officials see tasks");
  }
  if ((rc = mc_q_task_get(db, id, a, t, err)) != MC_OK ||
      (rc = mc_q_task_unit_paths(db, id, a, &coop, &nc, err)) != MC_OK) {
    return rc;
  }
  if (!mc_task_visible(actor, t, coop, nc)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                      "this task is outside your units");
  }
  return MC_OK;
}

int mc_task_get(struct mc_db *db, const struct mc_actor *actor, int64_t id,
                int64_t now, struct mc_arena *a, json_t **out,
                struct mc_err *err) {
  struct mc_task t;
  int rc = load_visible(db, actor, id, a, &t, err);

  *out = NULL;
  return rc != MC_OK ? rc : task_detail(db, &t, now, out, err);
}

int mc_task_list(struct mc_db *db, const struct mc_actor *actor,
                 const struct mc_task_filter *f, int64_t now,
                 struct mc_arena *a, json_t **items, int64_t *total,
                 struct mc_err *err) {
  struct mc_q_task_sel sel;
  struct mc_unit u;
  json_t *arr;
  int rc;

  *items = NULL;
  if (!mc_role_is_official(actor->role)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                      "only officials see tasks");
  }
  memset(&sel, 0, sizeof(sel));
  sel.all = actor->role == MC_ROLE_ADMIN;
  sel.actor_path = actor->unit_path;
  sel.actor_hi = mc_unit_path_hi_dup(a, actor->unit_path);
  sel.directive_id = f->directive_id;
  sel.max = MC_TASK_LIST_MAX;
  if (f->unit_id != 0) {
    if ((rc = unit_or_422(db, f->unit_id, "unit_id", &u, err)) != MC_OK) {
      return rc;
    }
    sel.unit_lo = mc_arena_strdup(a, u.path);
    sel.unit_hi = sel.unit_lo ? mc_unit_path_hi_dup(a, sel.unit_lo) : NULL;
    if (sel.unit_hi == NULL) {
      return MC_ENOMEM;
    }
  }
  if (sel.actor_hi == NULL || (arr = json_array()) == NULL) {
    return MC_ENOMEM;
  }
  rc = task_rows(db, actor, &sel, f->status, now, a, arr, f->offset, f->limit,
                 total, err);
  if (rc != MC_OK) {
    json_decref(arr);
    return rc;
  }
  *items = arr;
  return MC_OK;
}
