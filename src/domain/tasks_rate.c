/*
 * tasks_rate.c - a unit's task-completion rate for its monthly
 * evaluation (mc_tasks_unit_rate, see tasks.h for the scoring rules).
 */
#include <string.h>

#include "db/q_tasks.h"
#include "domain/tasks.h"
#include "domain/unit.h"
#include "util/mctime.h"

/* Count t as of now into r (see tasks.h). */
static void count_task(const struct mc_task *t, int64_t now,
                       struct mc_tasks_rate *r) {
  int done = t->state != NULL && strcmp(t->state, "open") != 0 &&
             t->done_at != 0 && t->done_at <= now;

  r->total++;
  if (done) {
    if (mc_local_day(t->done_at) <= t->deadline_original) {
      r->done_on_time++;
    } else {
      r->done_late++;
    }
  } else if (now >= mc_local_ts(t->deadline + 1, 0)) {
    r->overdue++;
  } else {
    r->in_progress++;
  }
}

int mc_tasks_unit_rate(struct mc_db *db, int64_t unit_id, int32_t from_day,
                       int32_t to_day, int64_t now, struct mc_tasks_rate *out,
                       struct mc_err *err) {
  struct mc_arena arena;
  struct mc_unit u;
  struct mc_task *rows = NULL;
  int n = 0, rc;

  memset(out, 0, sizeof(*out));
  out->rate = out->on_time_rate = -1;
  if (from_day == 0 || to_day == 0 || to_day < from_day) {
    return mc_err_set(err, MC_EINVAL, 400, "bad_range", "to",
                      "give from and to dates, from <= to");
  }
  if ((rc = mc_unit_get(db, unit_id, &u, err)) != MC_OK) {
    return rc;
  }
  mc_arena_init(&arena, 64u << 20);
  rc = mc_q_task_list_own(db, unit_id, from_day, to_day, &arena, &rows, &n,
                          err);
  for (int i = 0; rc == MC_OK && i < n; i++) {
    count_task(&rows[i], now, out);
  }
  mc_arena_release(&arena);
  if (rc != MC_OK) {
    memset(out, 0, sizeof(*out));
    out->rate = out->on_time_rate = -1;
    return rc;
  }
  if (out->total > 0) {
    out->rate =
        (double)(out->done_on_time + out->done_late) / (double)out->total;
    out->on_time_rate = (double)out->done_on_time / (double)out->total;
  }
  return MC_OK;
}

static json_t *rate_value(double r) {
  return r < 0 ? json_null() : json_real(r);
}

int mc_tasks_unit_rate_json(struct mc_db *db, int64_t unit_id,
                            int32_t from_day, int32_t to_day, int64_t now,
                            json_t **out, struct mc_err *err) {
  struct mc_tasks_rate r;
  int rc = mc_tasks_unit_rate(db, unit_id, from_day, to_day, now, &r, err);

  *out = NULL;
  if (rc != MC_OK) {
    return rc;
  }
  *out = json_pack("{s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "total",
                   (json_int_t)r.total, "done_on_time",
                   (json_int_t)r.done_on_time, "done_late",
                   (json_int_t)r.done_late, "overdue", (json_int_t)r.overdue,
                   "in_progress", (json_int_t)r.in_progress, "rate",
                   rate_value(r.rate), "on_time_rate",
                   rate_value(r.on_time_rate));
  return *out ? MC_OK : MC_ENOMEM;
}
