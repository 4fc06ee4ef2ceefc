/*
 * tasks_act.c - the actions on a task (mc_task_action, see tasks.h):
 * progress reports, done / accept / return, deadline adjustments and
 * their decisions, the written cause of lateness.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/q_tasks.h"
#include "domain/tasks.h"
#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"

static json_t *day_value(int32_t day) {
  char buf[16];

  mc_fmt_date(day, buf, sizeof(buf));
  return json_string(buf);
}

static int inside(const char *path, const char *root) {
  size_t n = root ? strlen(root) : 0;

  return n > 0 && strncmp(path, root, n) == 0;
}

/* An official of the lead unit's subtree (leader_only: a leader). */
static int lead_member(const struct mc_actor *a, const struct mc_task *t,
                       int leader_only) {
  if (leader_only && a->role != MC_ROLE_LEADER) {
    return 0;
  }
  return mc_role_is_official(a->role) && a->role != MC_ROLE_ADMIN &&
         inside(a->unit_path, t->lead_path);
}

/* A leader covering the issuing unit, or an administrator. */
static int issuer_leader(const struct mc_actor *a, const struct mc_task *t) {
  return a->role == MC_ROLE_ADMIN ||
         (a->role == MC_ROLE_LEADER && mc_actor_covers(a, t->issuer_path));
}

static int forbid(struct mc_err *err, const char *who) {
  return mc_err_set(err, MC_EFORBIDDEN, 403, "not_allowed", NULL,
                    "only %s may do this", who);
}

static int need_state(const struct mc_task *t, const char *state,
                      struct mc_err *err) {
  if (strcmp(t->state, state) != 0) {
    return mc_err_set(err, MC_ECONFLICT, 409, "wrong_state", NULL,
                      "the task is %s, not %s", t->state, state);
  }
  return MC_OK;
}

static int need_note(const char *note, const char *field, struct mc_err *err) {
  if (note == NULL || *note == '\0') {
    return mc_err_set(err, MC_EINVAL, 400, "missing_field", field,
                      "%s is required", field);
  }
  return MC_OK;
}

static int past_deadline(const struct mc_task *t, int64_t now) {
  return now >= mc_local_ts(t->deadline + 1, 0);
}

static int do_report(struct mc_db *db, struct mc_task_action *c,
                     struct mc_task *t, json_t **data, struct mc_err *err) {
  int rc;

  if (!lead_member(c->w.actor, t, 0)) {
    return forbid(err, "officials of the lead unit");
  }
  if ((rc = need_state(t, "open", err)) != MC_OK ||
      (rc = need_note(c->note, "note", err)) != MC_OK) {
    return rc;
  }
  if (c->percent < 0 && !c->has_value) {
    return mc_err_set(err, MC_EINVAL, 400, "missing_field", "percent",
                      "report a percent or a metric value");
  }
  if (c->has_value) {
    if (!t->has_target) {
      return mc_err_set(err, MC_EINVAL, 400, "no_target", "value",
                        "this task has no measurable target");
    }
    if (!isfinite(c->value) || c->value < 0) {
      return mc_err_set(err, MC_EINVAL, 400, "bad_value", "value",
                        "the value must be a number >= 0");
    }
    t->current_value = c->value;
    if (c->percent < 0) {
      double p = c->value * 100.0 / t->target_value;
      t->progress = p >= 100 ? 100 : (int)p;
    }
  }
  if (c->percent >= 0) {
    t->progress = c->percent;
  }
  rc = mc_q_task_report_insert(db, t->id, c->w.actor->account_id, c->percent,
                               c->has_value, c->value, c->note, c->w.now, err);
  *data = json_pack("{s:i,s:o,s:s}", "progress", t->progress, "value",
                    c->has_value ? json_real(c->value) : json_null(), "note",
                    c->note);
  return rc;
}

static int do_done(struct mc_task_action *c, struct mc_task *t, json_t **data,
                   struct mc_err *err) {
  int rc;

  if (!lead_member(c->w.actor, t, 1)) {
    return forbid(err, "leaders of the lead unit");
  }
  if ((rc = need_state(t, "open", err)) != MC_OK ||
      (rc = need_note(c->note, "evidence", err)) != MC_OK) {
    return rc;
  }
  if (past_deadline(t, c->w.now) && t->cause == NULL) {
    return mc_err_set(err, MC_ECONFLICT, 409, "cause_required", "cause",
                      "the task is overdue: record the cause of the "
                      "delay first (POST .../cause)");
  }
  t->state = "submitted";
  t->done_at = c->w.now;
  t->evidence = c->note;
  t->progress = 100;
  *data = json_pack("{s:s,s:s}", "evidence", c->note, "status",
                    mc_task_status_name(mc_task_status(t, c->w.now)));
  return MC_OK;
}

static int do_accept_return(struct mc_task_action *c, struct mc_task *t,
                            json_t **data, struct mc_err *err) {
  int rc;

  if (!issuer_leader(c->w.actor, t)) {
    return forbid(err, "leaders of the issuing unit");
  }
  if ((rc = need_state(t, "submitted", err)) != MC_OK) {
    return rc;
  }
  if (c->act == MC_TASK_ACCEPT) {
    t->final_status = mc_task_status_name(mc_task_status(t, c->w.now));
    t->state = "accepted";
    t->accepted_at = c->w.now;
    t->accepted_by = c->w.actor->account_id;
    *data = json_pack("{s:s,s:s?}", "status", t->final_status, "note", c->note);
    return MC_OK;
  }
  if ((rc = need_note(c->note, "note", err)) != MC_OK) {
    return rc;
  }
  t->state = "open";
  t->done_at = 0;
  t->evidence = NULL;
  *data = json_pack("{s:s}", "note", c->note);
  return MC_OK;
}

static int do_adjust(struct mc_db *db, struct mc_task_action *c,
                     struct mc_task *t, json_t **data, struct mc_err *err) {
  int64_t pending = 0, aid = 0;
  int rc;

  if (!lead_member(c->w.actor, t, 1)) {
    return forbid(err, "leaders of the lead unit");
  }
  if ((rc = need_state(t, "open", err)) != MC_OK ||
      (rc = need_note(c->note, "reason", err)) != MC_OK) {
    return rc;
  }
  if (c->proposed <= t->deadline) {
    return mc_err_set(err, MC_EINVAL, 400, "bad_proposed", "proposed",
                      "the proposed date must be after the current "
                      "deadline");
  }
  if ((rc = mc_q_task_adj_pending(db, t->id, &pending, err)) != MC_OK) {
    return rc;
  }
  if (pending > 0) {
    return mc_err_set(err, MC_ECONFLICT, 409, "adjustment_pending", NULL,
                      "an adjustment request is already pending");
  }
  rc = mc_q_task_adj_insert(db, t->id, c->w.actor->account_id, c->w.now,
                            c->note, t->deadline, c->proposed, &aid, err);
  c->adjustment_id = aid;
  *data = json_pack("{s:I,s:s,s:o,s:o}", "adjustment_id", (json_int_t)aid,
                    "reason", c->note, "old_deadline", day_value(t->deadline),
                    "proposed", day_value(c->proposed));
  return rc;
}

static int do_decide(struct mc_db *db, struct mc_task_action *c,
                     struct mc_task *t, json_t **data, struct mc_err *err) {
  const char *state = NULL, *to;
  int32_t proposed = 0;
  int approve, rc;

  if (!issuer_leader(c->w.actor, t)) {
    return forbid(err, "leaders of the issuing unit");
  }
  if (c->decision == NULL || (strcmp(c->decision, "approve") != 0 &&
                              strcmp(c->decision, "refuse") != 0)) {
    return mc_err_set(err, MC_EINVAL, 400, "bad_decision", "decision",
                      "decision is approve or refuse");
  }
  approve = strcmp(c->decision, "approve") == 0;
  rc = mc_q_task_adj_get(db, t->id, c->adjustment_id, c->w.arena, &proposed,
                         &state, err);
  if (rc != MC_OK) {
    return rc;
  }
  if (strcmp(state, "pending") != 0) {
    return mc_err_set(err, MC_ECONFLICT, 409, "already_decided", NULL,
                      "this adjustment request was already decided");
  }
  if (approve && (rc = need_state(t, "open", err)) != MC_OK) {
    return rc;
  }
  to = approve ? "approved" : "refused";
  rc = mc_q_task_adj_decide(db, c->adjustment_id, to, c->w.actor->account_id,
                            c->w.now, c->note, err);
  if (rc != MC_OK) {
    return rc;
  }
  *data = json_pack("{s:I,s:s,s:o,s:o,s:s?}", "adjustment_id",
                    (json_int_t)c->adjustment_id, "decision", to,
                    "old_deadline", day_value(t->deadline), "proposed",
                    day_value(proposed), "note", c->note);
  if (approve) {
    t->deadline = proposed;
  }
  return MC_OK;
}

static int do_cause(struct mc_task_action *c, struct mc_task *t, json_t **data,
                    struct mc_err *err) {
  int rc;

  if (!lead_member(c->w.actor, t, 0)) {
    return forbid(err, "officials of the lead unit");
  }
  if ((rc = need_state(t, "open", err)) != MC_OK ||
      (rc = need_note(c->note, "cause", err)) != MC_OK) {
    return rc;
  }
  if (!past_deadline(t, c->w.now)) {
    return mc_err_set(err, MC_ECONFLICT, 409, "not_overdue", NULL,
                      "a cause is written for overdue tasks only");
  }
  t->cause = c->note;
  t->cause_at = c->w.now;
  *data = json_pack("{s:s}", "cause", c->note);
  return MC_OK;
}

static const char *act_name(enum mc_task_act a) {
  switch (a) {
  case MC_TASK_REPORT:
    return "report";
  case MC_TASK_DONE:
    return "done";
  case MC_TASK_ACCEPT:
    return "accept";
  case MC_TASK_RETURN:
    return "return";
  case MC_TASK_ADJUST:
    return "adjustment_request";
  case MC_TASK_DECIDE:
    return "adjustment_decision";
  case MC_TASK_CAUSE:
    return "cause";
  }
  return NULL;
}

/* History event + audit record for the action; data is taken. */
static int record(struct mc_db *db, const struct mc_task_action *c,
                  int64_t task_id, json_t *data, struct mc_err *err) {
  const char *name = act_name(c->act);
  char act[48], obj[40];
  char *text;
  int rc;

  text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
  if (text == NULL) {
    return MC_ENOMEM;
  }
  rc = mc_q_task_event_insert(db, task_id, name, c->w.actor->account_id,
                              c->w.now, text, err);
  free(text);
  if (rc != MC_OK) {
    return rc;
  }
  snprintf(act, sizeof(act), "task.%s", name);
  snprintf(obj, sizeof(obj), "task:%lld", (long long)task_id);
  return mc_audit_append(db, c->w.actor->account_id, act, obj, data, c->w.now,
                         err);
}

int mc_task_action(struct mc_db *db, struct mc_task_action *c,
                   struct mc_err *err) {
  const struct mc_actor *a = c->w.actor;
  struct mc_task t;
  const char **coop = NULL;
  json_t *data = NULL, *detail;
  int nc = 0, rc;

  if (act_name(c->act) == NULL) {
    return mc_err_set(err, MC_EINVAL, 400, "bad_action", NULL,
                      "unknown action");
  }
  if (!mc_role_is_official(a->role)) {
    return forbid(err, "officials");
  }
  if ((rc = mc_q_task_get(db, c->id, c->w.arena, &t, err)) != MC_OK ||
      (rc = mc_q_task_unit_paths(db, c->id, c->w.arena, &coop, &nc, err)) !=
          MC_OK) {
    return rc;
  }
  if (!mc_task_visible(a, &t, coop, nc)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                      "this task is outside your units");
  }
  switch (c->act) {
  case MC_TASK_REPORT:
    rc = do_report(db, c, &t, &data, err);
    break;
  case MC_TASK_DONE:
    rc = do_done(c, &t, &data, err);
    break;
  case MC_TASK_ACCEPT:
  case MC_TASK_RETURN:
    rc = do_accept_return(c, &t, &data, err);
    break;
  case MC_TASK_ADJUST:
    rc = do_adjust(db, c, &t, &data, err);
    break;
  case MC_TASK_DECIDE:
    rc = do_decide(db, c, &t, &data, err);
    break;
  case MC_TASK_CAUSE:
    rc = do_cause(c, &t, &data, err);
    break;
  }
  if (rc == MC_OK && data == NULL) {
    rc = MC_ENOMEM;
  }
  if (rc == MC_OK) {
    rc = mc_q_task_update(db, &t, err);
  }
  if (rc == MC_OK) {
    rc = record(db, c, t.id, data, err);
  }
  json_decref(data);
  if (rc != MC_OK) {
    return rc;
  }
  rc = mc_task_get(db, a, t.id, c->w.now, c->w.arena, &detail, err);
  if (rc == MC_OK) {
    c->w.out = detail;
  }
  return rc;
}
