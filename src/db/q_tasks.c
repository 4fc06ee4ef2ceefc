/*
 * q_tasks.c - SQL for directives and tasks (see q_tasks.h).
 */
#include "db/q_tasks.h"

#include <string.h>

#include "util/json.h"
#include "util/mctime.h"

#define DCOLS                                                                  \
  "id, number, issued_on, issuer_unit_id, issuer_path, summary, "              \
  "file_id, created_by, created_at"

#define TCOLS                                                                  \
  "id, directive_id, title, lead_unit_id, lead_path, issuer_unit_id, "         \
  "issuer_path, start_day, deadline_original, deadline, "                      \
  "expected_output, target_text, target_value, current_value, "                \
  "target_unit, priority, risk_time_pct, risk_progress_pct, progress, "        \
  "state, done_at, evidence, accepted_at, accepted_by, final_status, "         \
  "cause, cause_at, reminded_at, escalated_at, created_by, created_at"

static void row_to_directive(struct mc_stmt *st, struct mc_arena *a,
                             void *item) {
  struct mc_directive *d = item;

  memset(d, 0, sizeof(*d));
  d->id = mc_stmt_i64(st, 0);
  d->number = mc_stmt_strdup(a, st, 1);
  d->issued_on = (int32_t)mc_stmt_i64(st, 2);
  d->issuer_unit_id = mc_stmt_i64(st, 3);
  d->issuer_path = mc_stmt_strdup(a, st, 4);
  d->summary = mc_stmt_strdup(a, st, 5);
  d->file_id = mc_stmt_i64(st, 6);
  d->created_by = mc_stmt_i64(st, 7);
  d->created_at = mc_stmt_i64(st, 8);
}

static void row_to_task(struct mc_stmt *st, struct mc_arena *a,
                        struct mc_task *t) {
  memset(t, 0, sizeof(*t));
  t->id = mc_stmt_i64(st, 0);
  t->directive_id = mc_stmt_i64(st, 1);
  t->title = mc_stmt_strdup(a, st, 2);
  t->lead_unit_id = mc_stmt_i64(st, 3);
  t->lead_path = mc_stmt_strdup(a, st, 4);
  t->issuer_unit_id = mc_stmt_i64(st, 5);
  t->issuer_path = mc_stmt_strdup(a, st, 6);
  t->start_day = (int32_t)mc_stmt_i64(st, 7);
  t->deadline_original = (int32_t)mc_stmt_i64(st, 8);
  t->deadline = (int32_t)mc_stmt_i64(st, 9);
  t->expected_output = mc_stmt_strdup(a, st, 10);
  t->target_text = mc_stmt_strdup(a, st, 11);
  t->has_target = !mc_stmt_isnull(st, 12);
  t->target_value = mc_stmt_double(st, 12);
  t->current_value = mc_stmt_double(st, 13);
  t->target_unit = mc_stmt_strdup(a, st, 14);
  t->priority = mc_stmt_strdup(a, st, 15);
  t->risk_time_pct = (int)mc_stmt_i64(st, 16);
  t->risk_progress_pct = (int)mc_stmt_i64(st, 17);
  t->progress = (int)mc_stmt_i64(st, 18);
  t->state = mc_stmt_strdup(a, st, 19);
  t->done_at = mc_stmt_i64(st, 20);
  t->evidence = mc_stmt_strdup(a, st, 21);
  t->accepted_at = mc_stmt_i64(st, 22);
  t->accepted_by = mc_stmt_i64(st, 23);
  t->final_status = mc_stmt_strdup(a, st, 24);
  t->cause = mc_stmt_strdup(a, st, 25);
  t->cause_at = mc_stmt_i64(st, 26);
  t->reminded_at = mc_stmt_i64(st, 27);
  t->escalated_at = mc_stmt_i64(st, 28);
  t->created_by = mc_stmt_i64(st, 29);
  t->created_at = mc_stmt_i64(st, 30);
}

int mc_q_directive_insert(struct mc_db *db, const struct mc_directive *d,
                          int64_t *id, struct mc_err *err) {
  int rc = mc_db_i64(db, id, err,
                     "INSERT INTO directives (number, issued_on, "
                     "issuer_unit_id, issuer_path, summary, file_id, "
                     "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
                     "?) RETURNING id",
                     "tIittzzi", d->number, (int)d->issued_on,
                     d->issuer_unit_id, d->issuer_path, d->summary, d->file_id,
                     d->created_by, d->created_at);

  if (rc == MC_ECONFLICT) {
    return mc_err_set(err, MC_ECONFLICT, 409, "duplicate_number", "number",
                      "this unit already issued a directive with that "
                      "number");
  }
  return rc;
}

int mc_q_directive_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                       struct mc_directive *out, struct mc_err *err) {
  return mc_db_get(db, "SELECT " DCOLS " FROM directives WHERE id = ?", id,
                   row_to_directive, a, out, "not_found", "no such directive",
                   err);
}

int mc_q_directive_list(struct mc_db *db, int limit, int offset,
                        struct mc_arena *a, struct mc_directive **out, int *n,
                        int64_t *total, struct mc_err *err) {
  struct mc_stmt *st;
  int rc;

  *n = 0;
  rc = mc_db_i64(db, total, err, "SELECT COUNT(*) FROM directives", "");
  if (rc != MC_OK) {
    return rc;
  }
  *out = mc_arena_zalloc(a, sizeof(**out) * (size_t)(limit > 0 ? limit : 1));
  if (*out == NULL) {
    return MC_ENOMEM;
  }
  st = mc_db_prep(db,
                  "SELECT " DCOLS " FROM directives ORDER BY issued_on "
                  "DESC, id DESC LIMIT ? OFFSET ?",
                  err);
  if (st == NULL) {
    return MC_EDB;
  }
  mc_stmt_bindv(st, "II", limit, offset);
  while (*n < limit && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
    row_to_directive(st, a, &(*out)[(*n)++]);
  }
  mc_stmt_done(st);
  return rc < 0 ? rc : MC_OK;
}

/* Bind a nullable double. */
static void bind_opt_double(struct mc_stmt *st, int idx, int set, double v) {
  if (set) {
    mc_stmt_bind_double(st, idx, v);
  } else {
    mc_stmt_bind_null(st, idx);
  }
}

int mc_q_task_insert(struct mc_db *db, const struct mc_task *t, int64_t *id,
                     struct mc_err *err) {
  struct mc_stmt *st = mc_db_prep(
      db,
      "INSERT INTO tasks (directive_id, title, lead_unit_id, lead_path, "
      "issuer_unit_id, issuer_path, start_day, deadline_original, "
      "deadline, expected_output, target_text, target_unit, priority, "
      "risk_time_pct, risk_progress_pct, progress, created_by, "
      "created_at, target_value, current_value) VALUES (?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      err);
  int rc;

  if (st == NULL) {
    return MC_EDB;
  }
  mc_stmt_bindv(
      st, "itititIIIttttIIIzi", t->directive_id, t->title, t->lead_unit_id,
      t->lead_path, t->issuer_unit_id, t->issuer_path, (int)t->start_day,
      (int)t->deadline_original, (int)t->deadline, t->expected_output,
      t->target_text, t->target_unit, t->priority, t->risk_time_pct,
      t->risk_progress_pct, t->progress, t->created_by, t->created_at);
  bind_opt_double(st, 19, t->has_target, t->target_value);
  bind_opt_double(st, 20, t->has_target, t->current_value);
  rc = mc_stmt_step(st, err);
  if (rc == MC_DB_ROW) {
    *id = mc_stmt_i64(st, 0);
    rc = MC_OK;
  } else if (rc == MC_DB_DONE) {
    rc = mc_err_set(err, MC_EDB, 500, "db_error", NULL,
                    "task insert returned no id");
  }
  mc_stmt_done(st);
  return rc;
}

int mc_q_task_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                  struct mc_task *out, struct mc_err *err) {
  struct mc_stmt *st =
      mc_db_prep(db, "SELECT " TCOLS " FROM tasks WHERE id = ?", err);
  int rc;

  if (st == NULL) {
    return MC_EDB;
  }
  mc_stmt_bindv(st, "i", id);
  rc = mc_stmt_step(st, err);
  if (rc == MC_DB_ROW) {
    row_to_task(st, a, out);
    rc = out->title && out->lead_path && out->state ? MC_OK : MC_ENOMEM;
  } else if (rc == MC_DB_DONE) {
    rc = mc_err_set(err, MC_ENOTFOUND, 404, "not_found", NULL, "no such task");
  }
  mc_stmt_done(st);
  return rc;
}

int mc_q_task_update(struct mc_db *db, const struct mc_task *t,
                     struct mc_err *err) {
  struct mc_stmt *st = mc_db_prep(
      db,
      "UPDATE tasks SET deadline = ?, progress = ?, state = ?, done_at = "
      "?, evidence = ?, accepted_at = ?, accepted_by = ?, final_status = "
      "?, cause = ?, cause_at = ?, reminded_at = ?, escalated_at = ?, "
      "current_value = ? WHERE id = ?",
      err);
  int rc;

  if (st == NULL) {
    return MC_EDB;
  }
  mc_stmt_bindv(st, "IItztzzttzzz", (int)t->deadline, t->progress, t->state,
                t->done_at, t->evidence, t->accepted_at, t->accepted_by,
                t->final_status, t->cause, t->cause_at, t->reminded_at,
                t->escalated_at);
  bind_opt_double(st, 13, t->has_target, t->current_value);
  mc_stmt_bind_i64(st, 14, t->id);
  rc = mc_stmt_step(st, err);
  mc_stmt_done(st);
  return rc < 0 ? rc : MC_OK;
}

int mc_q_task_list(struct mc_db *db, const struct mc_q_task_sel *s,
                   struct mc_arena *a, struct mc_task **out, int *n,
                   struct mc_err *err) {
  /*
   * Scope: the lead, issuing or a cooperating unit lies in the actor's
   * subtree (path range), or the actor's unit lies in the lead or a
   * cooperating unit's subtree (that unit's path is a prefix of the
   * actor's).
   */
  struct mc_stmt *st = mc_db_prep(
      db,
      "SELECT " TCOLS " FROM tasks t WHERE (? = 1 OR (t.lead_path >= ? "
      "AND t.lead_path < ?) OR (t.issuer_path >= ? AND t.issuer_path < "
      "?) OR substr(?, 1, length(t.lead_path)) = t.lead_path OR EXISTS "
      "(SELECT 1 FROM task_units c WHERE c.task_id = t.id AND "
      "((c.unit_path >= ? AND c.unit_path < ?) OR substr(?, 1, "
      "length(c.unit_path)) = c.unit_path))) AND (? = 0 OR (t.lead_path "
      ">= ? AND t.lead_path < ?)) AND (? = 0 OR t.directive_id = ?) AND "
      "(? = 0 OR (t.deadline_original >= ? AND t.deadline_original <= "
      "?)) AND (? = 0 OR t.state = 'open') ORDER BY t.deadline, t.id "
      "LIMIT ?",
      err);
  const char *ap = s->all ? "" : s->actor_path;
  const char *ah = s->all ? "" : s->actor_hi;
  int has_unit = s->unit_lo != NULL, rc = MC_OK;

  *n = 0;
  *out = mc_arena_zalloc(a, sizeof(**out) * (size_t)(s->max > 0 ? s->max : 1));
  if (st == NULL) {
    return MC_EDB;
  }
  if (*out == NULL) {
    mc_stmt_done(st);
    return MC_ENOMEM;
  }
  mc_stmt_bindv(st,
                "I"
                "tttttttt"
                "Itt"
                "Ii"
                "III"
                "II",
                s->all, ap, ah, ap, ah, ap, ap, ah, ap, has_unit,
                has_unit ? s->unit_lo : "", has_unit ? s->unit_hi : "",
                s->directive_id != 0, s->directive_id,
                s->from != 0 || s->to != 0, (int)s->from, (int)s->to,
                s->open_only, s->max);
  while (*n < s->max && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
    row_to_task(st, a, &(*out)[(*n)++]);
  }
  mc_stmt_done(st);
  return rc < 0 ? rc : MC_OK;
}

int mc_q_task_list_own(struct mc_db *db, int64_t unit_id, int32_t from,
                       int32_t to, struct mc_arena *a, struct mc_task **out,
                       int *n, struct mc_err *err) {
  struct mc_stmt *st;
  int64_t cnt = 0;
  int rc;

  *n = 0;
  *out = NULL;
  rc = mc_db_i64(db, &cnt, err,
                 "SELECT count(*) FROM tasks WHERE lead_unit_id = ? AND "
                 "deadline_original >= ? AND deadline_original <= ?",
                 "iII", unit_id, (int)from, (int)to);
  if (rc != MC_OK) {
    return rc;
  }
  *out = mc_arena_zalloc(a, sizeof(**out) * (size_t)(cnt > 0 ? cnt : 1));
  if (*out == NULL) {
    return MC_ENOMEM;
  }
  st = mc_db_prep(db,
                  "SELECT " TCOLS " FROM tasks WHERE lead_unit_id = ? AND "
                  "deadline_original >= ? AND deadline_original <= ? "
                  "ORDER BY id",
                  err);
  if (st == NULL) {
    return MC_EDB;
  }
  mc_stmt_bindv(st, "iII", unit_id, (int)from, (int)to);
  while (*n < cnt && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
    row_to_task(st, a, &(*out)[(*n)++]);
  }
  mc_stmt_done(st);
  return rc < 0 ? rc : MC_OK;
}

int mc_q_task_unit_add(struct mc_db *db, int64_t task_id, int64_t unit_id,
                       const char *path, struct mc_err *err) {
  return mc_db_run(db, err,
                   "INSERT INTO task_units (task_id, unit_id, unit_path) "
                   "VALUES (?, ?, ?) ON CONFLICT (task_id, unit_id) DO "
                   "NOTHING",
                   "iit", task_id, unit_id, path);
}

int mc_q_task_unit_paths(struct mc_db *db, int64_t task_id, struct mc_arena *a,
                         const char ***paths, int *n, struct mc_err *err) {
  struct mc_stmt *st;
  int64_t cnt = 0;
  int rc;

  *n = 0;
  *paths = NULL;
  rc = mc_db_i64(db, &cnt, err,
                 "SELECT COUNT(*) FROM task_units WHERE task_id = ?", "i",
                 task_id);
  if (rc != MC_OK || cnt == 0) {
    return rc;
  }
  *paths = mc_arena_zalloc(a, sizeof(**paths) * (size_t)cnt);
  if (*paths == NULL) {
    return MC_ENOMEM;
  }
  st = mc_db_prep(db,
                  "SELECT unit_path FROM task_units WHERE task_id = ? "
                  "ORDER BY unit_id",
                  err);
  if (st == NULL) {
    return MC_EDB;
  }
  mc_stmt_bindv(st, "i", task_id);
  while (*n < cnt && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
    (*paths)[(*n)++] = mc_stmt_strdup(a, st, 0);
  }
  mc_stmt_done(st);
  return rc < 0 ? rc : MC_OK;
}

/* Run a query and collect its rows as objects via row(). */
static int collect(struct mc_db *db, const char *sql, int64_t task_id,
                   json_t *(*row)(struct mc_stmt *st), json_t **out,
                   struct mc_err *err) {
  struct mc_stmt *st = mc_db_prep(db, sql, err);
  json_t *arr = json_array();
  int rc = MC_OK;

  *out = NULL;
  if (st == NULL || arr == NULL) {
    if (st != NULL) {
      mc_stmt_done(st);
    }
    json_decref(arr);
    return st == NULL ? MC_EDB : MC_ENOMEM;
  }
  mc_stmt_bindv(st, "i", task_id);
  while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
    json_t *o = row(st);

    if (o == NULL || json_array_append_new(arr, o) != 0) {
      rc = MC_ENOMEM;
      break;
    }
  }
  mc_stmt_done(st);
  if (rc < 0) {
    json_decref(arr);
    return rc;
  }
  *out = arr;
  return MC_OK;
}

static json_t *opt_int(struct mc_stmt *st, int col) {
  return mc_stmt_isnull(st, col) ? json_null()
                                 : json_integer(mc_stmt_i64(st, col));
}

static json_t *opt_real(struct mc_stmt *st, int col) {
  return mc_stmt_isnull(st, col) ? json_null()
                                 : json_real(mc_stmt_double(st, col));
}

static json_t *opt_day(struct mc_stmt *st, int col) {
  char buf[16];

  if (mc_stmt_isnull(st, col)) {
    return json_null();
  }
  mc_fmt_date((int32_t)mc_stmt_i64(st, col), buf, sizeof(buf));
  return json_string(buf);
}

static json_t *unit_row(struct mc_stmt *st) {
  return json_pack("{s:I,s:s?,s:s?}", "id", (json_int_t)mc_stmt_i64(st, 0),
                   "code", mc_stmt_text(st, 1), "name", mc_stmt_text(st, 2));
}

int mc_q_task_units_json(struct mc_db *db, int64_t task_id, json_t **out,
                         struct mc_err *err) {
  return collect(db,
                 "SELECT u.id, u.code, u.name FROM task_units c JOIN "
                 "units u ON u.id = c.unit_id WHERE c.task_id = ? ORDER "
                 "BY u.id",
                 task_id, unit_row, out, err);
}

int mc_q_task_report_insert(struct mc_db *db, int64_t task_id,
                            int64_t account_id, int percent, int value_set,
                            double value, const char *note, int64_t at,
                            struct mc_err *err) {
  struct mc_stmt *st = mc_db_prep(
      db,
      "INSERT INTO task_reports (task_id, account_id, note, at, percent, "
      "value) VALUES (?, ?, ?, ?, ?, ?)",
      err);
  int rc;

  if (st == NULL) {
    return MC_EDB;
  }
  mc_stmt_bindv(st, "izti", task_id, account_id, note, at);
  if (percent >= 0) {
    mc_stmt_bind_i64(st, 5, percent);
  } else {
    mc_stmt_bind_null(st, 5);
  }
  bind_opt_double(st, 6, value_set, value);
  rc = mc_stmt_step(st, err);
  mc_stmt_done(st);
  return rc < 0 ? rc : MC_OK;
}

static json_t *report_row(struct mc_stmt *st) {
  return json_pack(
      "{s:I,s:o,s:s?,s:o,s:o,s:s?,s:o}", "id", (json_int_t)mc_stmt_i64(st, 0),
      "account_id", opt_int(st, 1), "account_name", mc_stmt_text(st, 2),
      "percent", opt_int(st, 3), "value", opt_real(st, 4), "note",
      mc_stmt_text(st, 5), "at", mc_json_ts_value(mc_stmt_i64(st, 6)));
}

int mc_q_task_reports_json(struct mc_db *db, int64_t task_id, json_t **out,
                           struct mc_err *err) {
  return collect(db,
                 "SELECT r.id, r.account_id, a.full_name, r.percent, "
                 "r.value, r.note, r.at FROM task_reports r LEFT JOIN "
                 "accounts a ON a.id = r.account_id WHERE r.task_id = ? "
                 "ORDER BY r.id",
                 task_id, report_row, out, err);
}

int mc_q_task_adj_insert(struct mc_db *db, int64_t task_id, int64_t by,
                         int64_t at, const char *reason, int32_t old_deadline,
                         int32_t proposed, int64_t *id, struct mc_err *err) {
  return mc_db_i64(db, id, err,
                   "INSERT INTO task_adjustments (task_id, requested_by, "
                   "requested_at, reason, old_deadline, proposed) VALUES "
                   "(?, ?, ?, ?, ?, ?) RETURNING id",
                   "izitII", task_id, by, at, reason, (int)old_deadline,
                   (int)proposed);
}

int mc_q_task_adj_pending(struct mc_db *db, int64_t task_id, int64_t *n,
                          struct mc_err *err) {
  return mc_db_i64(db, n, err,
                   "SELECT COUNT(*) FROM task_adjustments WHERE task_id = "
                   "? AND state = 'pending'",
                   "i", task_id);
}

int mc_q_task_adj_get(struct mc_db *db, int64_t task_id, int64_t aid,
                      struct mc_arena *a, int32_t *proposed, const char **state,
                      struct mc_err *err) {
  struct mc_stmt *st = mc_db_prep(db,
                                  "SELECT proposed, state FROM "
                                  "task_adjustments WHERE id = ? AND "
                                  "task_id = ?",
                                  err);
  int rc;

  if (st == NULL) {
    return MC_EDB;
  }
  mc_stmt_bindv(st, "ii", aid, task_id);
  rc = mc_stmt_step(st, err);
  if (rc == MC_DB_ROW) {
    *proposed = (int32_t)mc_stmt_i64(st, 0);
    *state = mc_stmt_strdup(a, st, 1);
    rc = *state ? MC_OK : MC_ENOMEM;
  } else if (rc == MC_DB_DONE) {
    rc = mc_err_set(err, MC_ENOTFOUND, 404, "not_found", NULL,
                    "no such adjustment request");
  }
  mc_stmt_done(st);
  return rc;
}

int mc_q_task_adj_decide(struct mc_db *db, int64_t aid, const char *state,
                         int64_t by, int64_t at, const char *note,
                         struct mc_err *err) {
  int rc = mc_db_run(db, err,
                     "UPDATE task_adjustments SET state = ?, decided_by = "
                     "?, decided_at = ?, decision_note = ? WHERE id = ? "
                     "AND state = 'pending'",
                     "tziti", state, by, at, note, aid);

  if (rc == MC_OK && mc_db_changes(db) != 1) {
    return mc_err_set(err, MC_ECONFLICT, 409, "already_decided", NULL,
                      "this adjustment request was already decided");
  }
  return rc;
}

static json_t *adj_row(struct mc_stmt *st) {
  return json_pack(
      "{s:I,s:o,s:o,s:s?,s:o,s:o,s:s?,s:o,s:o,s:s?}", "id",
      (json_int_t)mc_stmt_i64(st, 0), "requested_by", opt_int(st, 1),
      "requested_at", mc_json_ts_value(mc_stmt_i64(st, 2)), "reason",
      mc_stmt_text(st, 3), "old_deadline", opt_day(st, 4), "proposed",
      opt_day(st, 5), "state", mc_stmt_text(st, 6), "decided_by",
      opt_int(st, 7), "decided_at", mc_json_ts_value(mc_stmt_i64(st, 8)),
      "decision_note", mc_stmt_text(st, 9));
}

int mc_q_task_adjs_json(struct mc_db *db, int64_t task_id, json_t **out,
                        struct mc_err *err) {
  return collect(db,
                 "SELECT id, requested_by, requested_at, reason, "
                 "old_deadline, proposed, state, decided_by, decided_at, "
                 "decision_note FROM task_adjustments WHERE task_id = ? "
                 "ORDER BY id",
                 task_id, adj_row, out, err);
}

int mc_q_task_event_insert(struct mc_db *db, int64_t task_id,
                           const char *action, int64_t actor_id, int64_t at,
                           const char *data, struct mc_err *err) {
  return mc_db_run(db, err,
                   "INSERT INTO task_events (task_id, action, actor_id, "
                   "at, data) VALUES (?, ?, ?, ?, ?)",
                   "itzit", task_id, action, actor_id, at, data ? data : "{}");
}

static json_t *event_row(struct mc_stmt *st) {
  const char *d = mc_stmt_text(st, 4);
  json_t *data = d ? json_loads(d, 0, NULL) : NULL;

  return json_pack("{s:I,s:s?,s:o,s:o,s:o}", "id",
                   (json_int_t)mc_stmt_i64(st, 0), "action",
                   mc_stmt_text(st, 1), "actor_id", opt_int(st, 2), "at",
                   mc_json_ts_value(mc_stmt_i64(st, 3)), "data",
                   data ? data : json_object());
}

int mc_q_task_events_json(struct mc_db *db, int64_t task_id, json_t **out,
                          struct mc_err *err) {
  return collect(db,
                 "SELECT id, action, actor_id, at, data FROM task_events "
                 "WHERE task_id = ? ORDER BY id",
                 task_id, event_row, out, err);
}
