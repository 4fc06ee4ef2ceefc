/*
 * q_tasks.h - SQL for directives, tasks, their cooperating units,
 * reports, adjustments and history (migration 007_tasks).
 */
#ifndef MC_DB_Q_TASKS_H
#define MC_DB_Q_TASKS_H

#include <jansson.h>

#include "db/db.h"
#include "domain/tasks.h"
#include "util/arena.h"

/* Insert d (id ignored): *id. MC_ECONFLICT when the number exists. */
int mc_q_directive_insert(struct mc_db *db, const struct mc_directive *d,
                          int64_t *id, struct mc_err *err) MC_WUR;
/* One directive (strings in a); 404 MC_ENOTFOUND when none. */
int mc_q_directive_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                       struct mc_directive *out, struct mc_err *err) MC_WUR;
/* Directives newest first: arena array *out of *n, *total overall. */
int mc_q_directive_list(struct mc_db *db, int limit, int offset,
                        struct mc_arena *a, struct mc_directive **out, int *n,
                        int64_t *total, struct mc_err *err) MC_WUR;

/* Insert t (id and mutable state ignored): *id. */
int mc_q_task_insert(struct mc_db *db, const struct mc_task *t, int64_t *id,
                     struct mc_err *err) MC_WUR;
/* One task (strings in a); 404 MC_ENOTFOUND when none. */
int mc_q_task_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                  struct mc_task *out, struct mc_err *err) MC_WUR;
/*
 * Write back the mutable fields of t (deadline, progress, current value,
 * state, done, acceptance, cause, reminder/escalation marks).
 */
int mc_q_task_update(struct mc_db *db, const struct mc_task *t,
                     struct mc_err *err) MC_WUR;

/* Query of a task list. Ranges are unit path prefixes [lo, hi). */
struct mc_q_task_sel {
  int all;                /* 1: no scope (administrators) */
  const char *actor_path; /* scope: ancestors/descendants of it */
  const char *actor_hi;
  const char *unit_lo, *unit_hi; /* lead unit range, NULL = any */
  int64_t directive_id;          /* 0 = any */
  int32_t from, to;              /* original deadline range; 0,0 = any */
  int open_only;                 /* 1: state 'open' only */
  int max;
};
/* Tasks matching s, by deadline then id: arena array *out of *n. */
int mc_q_task_list(struct mc_db *db, const struct mc_q_task_sel *s,
                   struct mc_arena *a, struct mc_task **out, int *n,
                   struct mc_err *err) MC_WUR;

/*
 * Every task whose lead unit is exactly unit_id (not its subtree) and
 * whose ORIGINAL deadline lies in [from, to] (civil days), by id: arena
 * array *out of *n (counted first, so nothing is cut off).
 */
int mc_q_task_list_own(struct mc_db *db, int64_t unit_id, int32_t from,
                       int32_t to, struct mc_arena *a, struct mc_task **out,
                       int *n, struct mc_err *err) MC_WUR;

/* Cooperating units. */
int mc_q_task_unit_add(struct mc_db *db, int64_t task_id, int64_t unit_id,
                       const char *path, struct mc_err *err) MC_WUR;
/* Paths of the cooperating units: arena array of *n. */
int mc_q_task_unit_paths(struct mc_db *db, int64_t task_id, struct mc_arena *a,
                         const char ***paths, int *n,
                         struct mc_err *err) MC_WUR;
/* Cooperating units as [{id, code, name}] (new reference). */
int mc_q_task_units_json(struct mc_db *db, int64_t task_id, json_t **out,
                         struct mc_err *err) MC_WUR;

/* Progress reports. value_set: 0 stores NULL; percent < 0 stores NULL. */
int mc_q_task_report_insert(struct mc_db *db, int64_t task_id,
                            int64_t account_id, int percent, int value_set,
                            double value, const char *note, int64_t at,
                            struct mc_err *err) MC_WUR;
int mc_q_task_reports_json(struct mc_db *db, int64_t task_id, json_t **out,
                           struct mc_err *err) MC_WUR;

/* Adjustments. */
int mc_q_task_adj_insert(struct mc_db *db, int64_t task_id, int64_t by,
                         int64_t at, const char *reason, int32_t old_deadline,
                         int32_t proposed, int64_t *id,
                         struct mc_err *err) MC_WUR;
/* Pending adjustments of the task. */
int mc_q_task_adj_pending(struct mc_db *db, int64_t task_id, int64_t *n,
                          struct mc_err *err) MC_WUR;
/* Adjustment aid of task_id: proposed day and state (arena). 404. */
int mc_q_task_adj_get(struct mc_db *db, int64_t task_id, int64_t aid,
                      struct mc_arena *a, int32_t *proposed, const char **state,
                      struct mc_err *err) MC_WUR;
/* Decide a pending adjustment; 409 already_decided otherwise. */
int mc_q_task_adj_decide(struct mc_db *db, int64_t aid, const char *state,
                         int64_t by, int64_t at, const char *note,
                         struct mc_err *err) MC_WUR;
int mc_q_task_adjs_json(struct mc_db *db, int64_t task_id, json_t **out,
                        struct mc_err *err) MC_WUR;

/* History. data: JSON text (NULL = {}). */
int mc_q_task_event_insert(struct mc_db *db, int64_t task_id,
                           const char *action, int64_t actor_id, int64_t at,
                           const char *data, struct mc_err *err) MC_WUR;
int mc_q_task_events_json(struct mc_db *db, int64_t task_id, json_t **out,
                          struct mc_err *err) MC_WUR;

#endif
