/*
 * tasks_report.c - the per-unit task report (JSON and XLSX), the
 * sweeper's task step (reminders and escalations) and the demo directive
 * (see tasks.h).
 */
#include <stdlib.h>
#include <string.h>

#include "db/q_discipline.h"
#include "db/q_tasks.h"
#include "doc/forms.h"
#include "doc/xlsx.h"
#include "domain/calendar.h"
#include "domain/notify.h"
#include "domain/tasks.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"

static json_t *day_value(int32_t day) {
  char buf[16];

  mc_fmt_date(day, buf, sizeof(buf));
  return json_string(buf);
}

/* ---- report ---- */

/* "unit_rate": the unit's own scorecard figures (mc_tasks_unit_rate). */
static int unit_rate_json(struct mc_db *db, int64_t unit_id, int32_t from,
                          int32_t to, int64_t now, json_t *o,
                          struct mc_err *err) {
  json_t *j;
  int rc = mc_tasks_unit_rate_json(db, unit_id, from, to, now, &j, err);

  if (rc == MC_OK) {
    json_object_set_new(o, "unit_rate", j);
  }
  return rc;
}

int mc_task_report(struct mc_db *db, const struct mc_actor *actor,
                   int64_t unit_id, int32_t from, int32_t to, int64_t now,
                   struct mc_arena *a, json_t **out, struct mc_err *err) {
  struct mc_q_task_sel sel;
  struct mc_unit u;
  struct mc_task *rows = NULL;
  int64_t counts[MC_TASK_NSTATUS] = {0}, due = 0;
  int32_t today = mc_local_day(now);
  json_t *late = NULL, *by = NULL, *o;
  int n = 0, rc;

  *out = NULL;
  if (!mc_role_is_official(actor->role)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                      "only officials read task reports");
  }
  if (from == 0 || to == 0 || to < from) {
    return mc_err_set(err, MC_EINVAL, 400, "bad_range", "to",
                      "give from and to dates, from <= to");
  }
  if ((rc = mc_unit_get(db, unit_id, &u, err)) != MC_OK) {
    return rc;
  }
  if (!mc_actor_covers(actor, u.path)) {
    return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                      "that unit is outside your scope");
  }
  memset(&sel, 0, sizeof(sel));
  sel.all = 1;
  sel.unit_lo = u.path;
  sel.unit_hi = mc_unit_path_hi_dup(a, u.path);
  sel.from = from;
  sel.to = to;
  sel.max = MC_TASK_LIST_MAX;
  if (sel.unit_hi == NULL) {
    return MC_ENOMEM;
  }
  if ((rc = mc_q_task_list(db, &sel, a, &rows, &n, err)) != MC_OK) {
    return rc;
  }
  if ((late = json_array()) == NULL || (by = json_object()) == NULL) {
    rc = MC_ENOMEM;
    goto out;
  }
  for (int i = 0; i < n; i++) {
    enum mc_task_status s = mc_task_status(&rows[i], now);

    counts[s]++;
    /* Scored by the original deadline: due once it has passed, or
     * once the task is done. */
    if (s == MC_TASK_DONE_ON_TIME || s == MC_TASK_DONE_LATE ||
        rows[i].deadline_original < today) {
      due++;
    }
    if (s == MC_TASK_DONE_LATE || s == MC_TASK_OVERDUE) {
      json_t *t = mc_task_json(&rows[i], now);
      struct mc_unit lu;

      if (t == NULL || json_array_append_new(late, t) != 0) {
        rc = MC_ENOMEM;
        goto out;
      }
      if (rows[i].lead_unit_id == u.id) {
        json_object_set_new(t, "lead_unit_name", json_string(u.name));
      } else if ((rc = mc_unit_get(db, rows[i].lead_unit_id, &lu, err)) ==
                 MC_OK) {
        json_object_set_new(t, "lead_unit_name", json_string(lu.name));
      } else {
        goto out;
      }
    }
  }
  for (int s = 0; s < MC_TASK_NSTATUS; s++) {
    json_object_set_new(by, mc_task_status_name((enum mc_task_status)s),
                        json_integer(counts[s]));
  }
  o = json_pack(
      "{s:I,s:s,s:s,s:o,s:o,s:I,s:O,s:I,s:I,s:o,s:O}", "unit_id",
      (json_int_t)u.id, "unit_code", u.code, "unit_name", u.name, "from",
      day_value(from), "to", day_value(to), "total", (json_int_t)n, "by_status",
      by, "due", (json_int_t)due, "done_on_time",
      (json_int_t)counts[MC_TASK_DONE_ON_TIME], "completion_rate",
      due ? json_real((double)counts[MC_TASK_DONE_ON_TIME] / (double)due)
          : json_null(),
      "late_tasks", late);
  if (o == NULL) {
    rc = MC_ENOMEM;
    goto out;
  }
  if ((rc = unit_rate_json(db, u.id, from, to, now, o, err)) != MC_OK) {
    json_decref(o);
    goto out;
  }
  *out = o;
  rc = MC_OK;
out:
  json_decref(late);
  json_decref(by);
  return rc;
}

static const char *jstr(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));

  return s ? s : "";
}

static struct mc_xlsx_cell jdate(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  int32_t day = 0;

  if (s == NULL || mc_parse_date(s, &day) != 0) {
    struct mc_xlsx_cell blank = {.type = MC_XLSX_BLANK};

    if (s != NULL && strlen(s) >= 10) {
      char d[11];

      memcpy(d, s, 10);
      d[10] = '\0';
      if (mc_parse_date(d, &day) == 0) {
        return mc_xlsx_date(day);
      }
    }
    return blank;
  }
  return mc_xlsx_date(day);
}

int mc_task_report_xlsx(json_t *report, struct mc_buf *out,
                        struct mc_err *err) {
  static const struct mc_xlsx_col sum_cols[] = {{"Chỉ tiêu", 40},
                                                {"Giá trị", 16}};
  static const struct mc_xlsx_col late_cols[] = {{"Mã", 8},
                                                 {"Nhiệm vụ", 60},
                                                 {"Đơn vị chủ trì", 14},
                                                 {"Hạn ban đầu", 14},
                                                 {"Hạn hiện tại", 14},
                                                 {"Trạng thái", 22},
                                                 {"Hoàn thành lúc", 16},
                                                 {"Nguyên nhân chậm", 60}};
  struct mc_xlsx *x = NULL;
  struct mc_xlsx_cell row[8];
  json_t *by = json_object_get(report, "by_status");
  json_t *rate = json_object_get(report, "completion_rate");
  json_t *late = json_object_get(report, "late_tasks"), *t;
  const char *k;
  json_t *v;
  size_t i;
  int rc;

  if ((rc = mc_xlsx_new(&x, 0, err)) != MC_OK) {
    return rc;
  }
  rc = mc_xlsx_add_sheet(x, "Tổng hợp", sum_cols, 2, err);
  row[0] = mc_xlsx_text("Đơn vị");
  row[1] = mc_xlsx_text(jstr(report, "unit_name"));
  if (rc == MC_OK) {
    rc = mc_xlsx_add_row(x, row, 2, err);
  }
  row[0] = mc_xlsx_text("Từ ngày");
  row[1] = jdate(report, "from");
  if (rc == MC_OK) {
    rc = mc_xlsx_add_row(x, row, 2, err);
  }
  row[0] = mc_xlsx_text("Đến ngày");
  row[1] = jdate(report, "to");
  if (rc == MC_OK) {
    rc = mc_xlsx_add_row(x, row, 2, err);
  }
  row[0] = mc_xlsx_text("Tổng số nhiệm vụ");
  row[1] = mc_xlsx_int(json_integer_value(json_object_get(report, "total")));
  if (rc == MC_OK) {
    rc = mc_xlsx_add_row(x, row, 2, err);
  }
  json_object_foreach(by, k, v) {
    row[0] = mc_xlsx_text(k);
    row[1] = mc_xlsx_int(json_integer_value(v));
    if (rc == MC_OK) {
      rc = mc_xlsx_add_row(x, row, 2, err);
    }
  }
  row[0] = mc_xlsx_text("Tỷ lệ hoàn thành đúng hạn");
  row[1] = json_is_real(rate) ? mc_xlsx_double(json_real_value(rate))
                              : mc_xlsx_text("");
  if (rc == MC_OK) {
    rc = mc_xlsx_add_row(x, row, 2, err);
  }
  if (rc == MC_OK) {
    rc = mc_xlsx_add_sheet(x, "Nhiệm vụ chậm", late_cols, 8, err);
  }
  json_array_foreach(late, i, t) {
    row[0] = mc_xlsx_int(json_integer_value(json_object_get(t, "id")));
    row[1] = mc_xlsx_text(jstr(t, "title"));
    row[2] =
        mc_xlsx_int(json_integer_value(json_object_get(t, "lead_unit_id")));
    row[3] = jdate(t, "deadline_original");
    row[4] = jdate(t, "deadline");
    row[5] = mc_xlsx_text(jstr(t, "status"));
    row[6] = jdate(t, "done_at");
    row[7] = mc_xlsx_text(jstr(t, "cause"));
    if (rc == MC_OK) {
      rc = mc_xlsx_add_row(x, row, 8, err);
    }
  }
  if (rc != MC_OK) {
    mc_xlsx_free(x);
    return rc;
  }
  return mc_xlsx_finish(x, out, err);
}

/* The Vietnamese words of a status name (as the web page shows them). */
static const char *status_words(const char *name) {
  static const char *const words[MC_TASK_NSTATUS] = {
      "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
      "Đang thực hiện, trong hạn", "Có nguy cơ chậm", "Quá hạn"};
  int s = mc_task_status_parse(name);

  return s >= 0 ? words[s] : "";
}

static int64_t jday_ts(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  int32_t day = 0;

  return s != NULL && mc_parse_date(s, &day) == 0 ? mc_local_ts(day, 0) : 0;
}

static int64_t jcount(json_t *o, const char *k) {
  return (int64_t)json_integer_value(json_object_get(o, k));
}

int mc_task_report_pdf(json_t *report, int64_t now, struct mc_arena *a,
                       struct mc_buf *out, struct mc_err *err) {
  struct mc_doc_task_report f;
  struct mc_doc_task_late *rows = NULL;
  json_t *by = json_object_get(report, "by_status");
  json_t *rate = json_object_get(report, "completion_rate");
  json_t *late = json_object_get(report, "late_tasks"), *t;
  size_t i, n = json_array_size(late);

  memset(&f, 0, sizeof(f));
  f.head.issuer = jstr(report, "unit_name");
  f.head.place = "Hà Nội";
  f.head.issued_at = now;
  f.unit_name = jstr(report, "unit_name");
  f.from = jday_ts(report, "from");
  f.to = jday_ts(report, "to");
  f.total = jcount(report, "total");
  f.due = jcount(report, "due");
  f.done_on_time = jcount(by, "done_on_time");
  f.done_late = jcount(by, "done_late");
  f.on_track = jcount(by, "in_progress_on_track");
  f.at_risk = jcount(by, "in_progress_at_risk");
  f.overdue = jcount(by, "overdue");
  f.completion_rate = json_is_number(rate) ? json_number_value(rate) : -1;
  if (n > 0 && (rows = mc_arena_zalloc(a, sizeof(*rows) * n)) == NULL) {
    return MC_ENOMEM;
  }
  json_array_foreach(late, i, t) {
    const char *done = json_string_value(json_object_get(t, "done_at"));
    int64_t ts = 0;

    rows[i].title = jstr(t, "title");
    rows[i].lead_unit = jstr(t, "lead_unit_name");
    rows[i].deadline_original = jday_ts(t, "deadline_original");
    rows[i].deadline = jday_ts(t, "deadline");
    if (done != NULL && mc_parse_ts(done, &ts) == 0) {
      rows[i].done_at = ts;
    }
    rows[i].status = status_words(jstr(t, "status"));
    rows[i].cause = json_string_value(json_object_get(t, "cause"));
  }
  f.late = rows;
  f.nlate = n;
  return mc_doc_task_report_pdf(&f, out, err);
}

/* ---- the sweeper's step ---- */

struct sweep {
  const struct mc_calendar *cal;
  int64_t now;
  struct mc_arena *arena;
  int sent;
};

/* Notify every leader of unit_id once about task t. */
static int notify_leaders(struct mc_db *db, struct sweep *s,
                          const struct mc_task *t, int64_t unit_id,
                          const char *kind, const char *title, const char *body,
                          struct mc_err *err) {
  struct mc_notification_new n;
  int64_t *ids = NULL;
  int cnt = 0, rc;

  rc = mc_q_unit_leaders(db, unit_id, s->arena, &ids, &cnt, err);
  for (int i = 0; i < cnt && rc == MC_OK; i++) {
    int created = 0;

    memset(&n, 0, sizeof(n));
    n.account_id = ids[i];
    n.kind = kind;
    n.title = title;
    n.body = body;
    n.dedup_key = mc_arena_printf(s->arena, "%s:%lld:%lld", kind,
                                  (long long)t->id, (long long)ids[i]);
    if (n.dedup_key == NULL) {
      return MC_ENOMEM;
    }
    rc = mc_notify(db, &n, s->now, &created, err);
    s->sent += created;
  }
  return rc;
}

static int sweep_event(struct mc_db *db, struct sweep *s, int64_t task_id,
                       const char *action, struct mc_err *err) {
  char obj[40];
  json_t *p;
  int rc = mc_q_task_event_insert(db, task_id, action, 0, s->now, NULL, err);

  if (rc != MC_OK) {
    return rc;
  }
  snprintf(obj, sizeof(obj), "task:%lld", (long long)task_id);
  if ((p = json_object()) == NULL) {
    return MC_ENOMEM;
  }
  rc = mc_audit_append(db, 0, action, obj, p, s->now, err);
  json_decref(p);
  return rc;
}

static int sweep_one(struct mc_db *db, struct sweep *s, struct mc_task *t,
                     struct mc_err *err) {
  int32_t today = mc_local_day(s->now), near;
  char dl[16];
  const char *title, *body;
  int rc;

  mc_fmt_date(t->deadline, dl, sizeof(dl));
  if (today > t->deadline) {
    if (t->escalated_at != 0) {
      return MC_OK;
    }
    title = mc_arena_printf(s->arena, "Quá hạn nhiệm vụ: %s", t->title);
    body = mc_arena_printf(s->arena,
                           "Nhiệm vụ \"%s\" đã quá hạn (hạn %s), tiến "
                           "độ %d%%. Đề nghị lãnh đạo đôn đốc.",
                           t->title, dl, t->progress);
    if (title == NULL || body == NULL) {
      return MC_ENOMEM;
    }
    rc = notify_leaders(db, s, t, t->issuer_unit_id, "task_overdue_escalation",
                        title, body, err);
    t->escalated_at = s->now;
    if (t->reminded_at == 0) {
      t->reminded_at = s->now;
    }
    if (rc == MC_OK) {
      rc = sweep_event(db, s, t->id, "task.escalation", err);
    }
    return rc != MC_OK ? rc : mc_q_task_update(db, t, err);
  }
  if (t->reminded_at != 0) {
    return MC_OK;
  }
  if (s->cal == NULL ||
      mc_calendar_add_days(s->cal, t->deadline, -MC_TASK_NEAR_WORKDAYS,
                           &near) != MC_OK) {
    near = t->deadline - MC_TASK_NEAR_WORKDAYS;
  }
  if (today < near) {
    return MC_OK;
  }
  title = mc_arena_printf(s->arena, "Sắp đến hạn nhiệm vụ: %s", t->title);
  body = mc_arena_printf(s->arena,
                         "Nhiệm vụ \"%s\" đến hạn ngày %s, tiến độ hiện "
                         "tại %d%%.",
                         t->title, dl, t->progress);
  if (title == NULL || body == NULL) {
    return MC_ENOMEM;
  }
  rc = notify_leaders(db, s, t, t->lead_unit_id, "task_near_due_reminder",
                      title, body, err);
  t->reminded_at = s->now;
  if (rc == MC_OK) {
    rc = sweep_event(db, s, t->id, "task.reminder", err);
  }
  return rc != MC_OK ? rc : mc_q_task_update(db, t, err);
}

static int sweep_fn(struct mc_db *db, void *arg, struct mc_err *err) {
  struct sweep *s = arg;
  struct mc_q_task_sel sel;
  struct mc_task *rows = NULL;
  int n = 0, rc;

  memset(&sel, 0, sizeof(sel));
  sel.all = 1;
  sel.open_only = 1;
  sel.max = MC_TASK_LIST_MAX;
  s->sent = 0;
  rc = mc_q_task_list(db, &sel, s->arena, &rows, &n, err);
  for (int i = 0; i < n && rc == MC_OK; i++) {
    rc = sweep_one(db, s, &rows[i], err);
  }
  return rc;
}

int mc_tasks_sweep(struct mc_writer *w, const struct mc_calendar *cal,
                   int64_t now, int *sent, struct mc_err *err) {
  struct mc_arena arena;
  struct sweep s;
  int rc;

  memset(&s, 0, sizeof(s));
  s.cal = cal;
  s.now = now;
  s.arena = &arena;
  mc_arena_init(&arena, 64u << 20);
  rc = mc_writer_run(w, sweep_fn, &s, err);
  mc_arena_release(&arena);
  if (sent != NULL) {
    *sent = rc == MC_OK ? s.sent : 0;
  }
  return rc;
}
