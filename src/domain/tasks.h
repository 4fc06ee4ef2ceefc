/*
 * tasks.h - directives (văn bản chỉ đạo) and the tasks they assign to
 * units: progress reports, completion and acceptance, deadline
 * adjustments, the written cause of lateness, reminders and escalation
 * (from the sweeper) and the per-unit report.
 *
 * A task is open (the lead unit works on it), submitted (the lead unit's
 * leader marked it done with evidence) or accepted (the issuer's leader
 * accepted it; its status is then frozen). "Return" sends a submitted
 * task back to open. Its status (mc_task_status) is one of
 *
 *   done_on_time / done_late        submitted or accepted: done on or
 *                                   before the end of the deadline day
 *   overdue                         open, the deadline day has passed
 *   in_progress_at_risk             open, less than risk_time_pct % of the
 *                                   time (directive date .. end of the
 *                                   deadline day) left and progress below
 *                                   risk_progress_pct % (20 / 80 unless
 *                                   the task says otherwise)
 *   in_progress_on_track            any other open task
 *
 * The status uses the current deadline (an approved adjustment moves
 * it); the original deadline is kept and decides the reporting period a
 * task is scored in, so an extension cannot move a task out of a period.
 * An overdue task needs a written cause from the lead unit before it can
 * be marked done. Every write is audited ("directive.create", "task.*")
 * and recorded in the task's history.
 *
 * Roles: directives and tasks are created by leaders (of the issuing
 * unit or above) and administrators; reports by officials of the lead
 * unit's subtree; done, cause and adjustment requests by the lead unit
 * (done / adjustments: its leaders); accept, return and adjustment
 * decisions by leaders covering the issuing unit, or administrators.
 */
#ifndef MC_DOMAIN_TASKS_H
#define MC_DOMAIN_TASKS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "db/writer.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

struct mc_calendar;

#define MC_TASK_RISK_TIME_PCT 20
#define MC_TASK_RISK_PROGRESS_PCT 80
/* Near-due reminder: this many working days before the deadline day. */
#define MC_TASK_NEAR_WORKDAYS 3
/* Tasks looked at by one listing (before the status filter). */
#define MC_TASK_LIST_MAX 5000

enum mc_task_status {
  MC_TASK_DONE_ON_TIME = 0,
  MC_TASK_DONE_LATE,
  MC_TASK_ON_TRACK,
  MC_TASK_AT_RISK,
  MC_TASK_OVERDUE,
  MC_TASK_NSTATUS
};

struct mc_directive {
  int64_t id;
  const char *number;
  int32_t issued_on;
  int64_t issuer_unit_id;
  const char *issuer_path;
  const char *summary;
  int64_t file_id; /* 0 = none */
  int64_t created_by, created_at;
};

struct mc_task {
  int64_t id, directive_id;
  const char *title;
  int64_t lead_unit_id;
  const char *lead_path;
  int64_t issuer_unit_id;
  const char *issuer_path;
  int32_t start_day; /* the directive's date */
  int32_t deadline_original, deadline;
  const char *expected_output;
  const char *target_text, *target_unit; /* NULL = no target */
  int has_target;
  double target_value, current_value;
  const char *priority; /* low, normal, high, urgent */
  int risk_time_pct, risk_progress_pct;
  int progress;      /* 0..100 */
  const char *state; /* open, submitted, accepted */
  int64_t done_at;
  const char *evidence;
  int64_t accepted_at, accepted_by;
  const char *final_status; /* frozen at acceptance, else NULL */
  const char *cause;
  int64_t cause_at;
  int64_t reminded_at, escalated_at;
  int64_t created_by, created_at;
};

/* Name of a status ("done_on_time", ...); parse: -1 if unknown. */
const char *mc_task_status_name(enum mc_task_status s);
int mc_task_status_parse(const char *s);

/* The status of t at instant now (pure; see above). */
enum mc_task_status mc_task_status(const struct mc_task *t, int64_t now);

/* JSON of a directive / a task with its status at now (new reference). */
json_t *mc_directive_json(const struct mc_directive *d);
json_t *mc_task_json(const struct mc_task *t, int64_t now);

/* Common context of the write functions below (borrowed pointers). */
struct mc_task_wctx {
  const struct mc_actor *actor;
  struct mc_arena *arena;
  const struct mc_calendar *cal;
  int64_t now;
  json_t *out; /* result (new reference) */
};

struct mc_directive_create {
  struct mc_task_wctx w;
  const char *number, *summary;
  int32_t issued_on;
  int64_t issuer_unit_id; /* 0 = the actor's unit */
  int64_t file_id;        /* 0 = none */
};

/*
 * Write function: record a directive. Leaders (issuer within their
 * scope) and administrators; 403 otherwise, 422 unknown unit, 409 the
 * number exists for that issuer, 400 bad input.
 */
int mc_directive_create(struct mc_db *db, struct mc_directive_create *c,
                        struct mc_err *err) MC_WUR;

/* Directives, newest first (every official may read them). */
int mc_directive_list(struct mc_db *db, const struct mc_actor *actor, int limit,
                      int offset, struct mc_arena *a, json_t **items,
                      int64_t *total, struct mc_err *err) MC_WUR;
/* One directive with its tasks visible to actor; 404 when unknown. */
int mc_directive_get(struct mc_db *db, const struct mc_actor *actor, int64_t id,
                     int64_t now, struct mc_arena *a, json_t **out,
                     struct mc_err *err) MC_WUR;

struct mc_task_create {
  struct mc_task_wctx w;
  int64_t directive_id;
  const char *title, *expected_output, *priority;
  int64_t lead_unit_id;
  const int64_t *coop_unit_ids;
  int ncoop;
  int32_t deadline; /* a civil day, or 0 with workdays > 0 */
  int workdays;     /* working days after the directive date */
  const char *target_text, *target_unit;
  int has_target;
  double target_value, current_value;
  int risk_time_pct, risk_progress_pct; /* 0 = defaults */
};

/*
 * Write function: add a task to a directive. The actor must be a leader
 * covering the directive's issuer, or an administrator (403); 404 unknown
 * directive; 422 unknown unit; 400 bad input (deadline before the
 * directive date, both or neither of deadline/workdays...).
 */
int mc_task_create(struct mc_db *db, struct mc_task_create *c,
                   struct mc_err *err) MC_WUR;

/* 1 if actor may see t: admins; officials at or above the lead, a
 * cooperating or the issuing unit, or inside the lead or a cooperating
 * unit's subtree. coop: the cooperating unit paths. */
int mc_task_visible(const struct mc_actor *actor, const struct mc_task *t,
                    const char *const *coop, int ncoop);

struct mc_task_filter {
  int status;           /* -1 = any, else enum mc_task_status */
  int64_t unit_id;      /* 0 = any: lead unit in that subtree */
  int64_t directive_id; /* 0 = any */
  int limit, offset;
};

/* Tasks visible to the actor (403 for citizens/partners), by deadline. */
int mc_task_list(struct mc_db *db, const struct mc_actor *actor,
                 const struct mc_task_filter *f, int64_t now,
                 struct mc_arena *a, json_t **items, int64_t *total,
                 struct mc_err *err) MC_WUR;
/* One task with units, reports, adjustments and history; 404/403. */
int mc_task_get(struct mc_db *db, const struct mc_actor *actor, int64_t id,
                int64_t now, struct mc_arena *a, json_t **out,
                struct mc_err *err) MC_WUR;

enum mc_task_act {
  MC_TASK_REPORT = 1, /* percent and/or value, note */
  MC_TASK_DONE,       /* evidence */
  MC_TASK_ACCEPT,     /* note (optional) */
  MC_TASK_RETURN,     /* note (reason, required) */
  MC_TASK_ADJUST,     /* reason, proposed */
  MC_TASK_DECIDE,     /* adjustment_id, decision, note */
  MC_TASK_CAUSE       /* note (the cause) */
};

struct mc_task_action {
  struct mc_task_wctx w;
  enum mc_task_act act;
  int64_t id;  /* task */
  int percent; /* -1 = none */
  int has_value;
  double value;
  const char *note;
  int32_t proposed;
  int64_t adjustment_id;
  const char *decision; /* approve | refuse */
};

/*
 * Write function: one action on a task (see enum mc_task_act), audited
 * as "task.<action>" with a history event. 404 unknown task (or
 * adjustment), 403 wrong role or unit, 409 wrong state (e.g. done while
 * submitted, cause_required for an overdue task without a cause,
 * not_overdue for a cause, adjustment_pending, already_decided), 400 bad
 * input. c->w.out: the task as mc_task_get returns it.
 */
int mc_task_action(struct mc_db *db, struct mc_task_action *c,
                   struct mc_err *err) MC_WUR;

/*
 * Per-unit report over the tasks led by unit_id's subtree whose original
 * deadline lies in [from, to] (civil days): counts by status, the late
 * tasks (done late or overdue) with their causes, and the completion
 * rate (done on time / due in period; null when none is due); each late
 * task carries lead_unit_name; "unit_rate" holds the unit's own figures
 * for its evaluation (mc_tasks_unit_rate; rates null when 0 tasks). Officials
 * covering the unit and administrators; 403/404/400 otherwise.
 */
int mc_task_report(struct mc_db *db, const struct mc_actor *actor,
                   int64_t unit_id, int32_t from, int32_t to, int64_t now,
                   struct mc_arena *a, json_t **out, struct mc_err *err) MC_WUR;
/* The report (as mc_task_report built it, borrowed) as an XLSX workbook
 * appended to out. */
int mc_task_report_xlsx(json_t *report, struct mc_buf *out,
                        struct mc_err *err) MC_WUR;

/* The report (as mc_task_report built it, borrowed) as an A4 landscape
 * PDF (counts by status, completion rate, late tasks with their causes)
 * appended to out; now dates it; a: scratch (borrowed). Errors as
 * mc_doc_task_report_pdf (doc/forms.h). */
int mc_task_report_pdf(json_t *report, int64_t now, struct mc_arena *a,
                       struct mc_buf *out, struct mc_err *err) MC_WUR;

/*
 * Task completion of unit_id (its own tasks as lead unit) for tasks whose
 * deadline falls in [from_day, to_day] (civil day numbers,
 * util/mctime.h), as of now: counts and rate. rate = (done_on_time +
 * done_late) / total; -1 when total is 0.
 *
 * Scoring rules (the "the original deadline kept for scoring"):
 *  - the period is decided by the ORIGINAL deadline, so an extension
 *    cannot move a task into a later month;
 *  - a task is done when it was marked done (submitted or accepted) at
 *    or before now; done_on_time when done on or before the end of its
 *    ORIGINAL deadline day (UTC+7), else done_late, even when an approved
 *    adjustment moved the deadline (the task's displayed/frozen status
 *    follows the current deadline; the scorecard does not);
 *  - an open task (or one marked done after now) is overdue once its
 *    CURRENT deadline day has passed (an approved extension defers the
 *    escalation, not the score), else in_progress;
 *  - total = done_on_time + done_late + overdue + in_progress;
 *    on_time_rate = done_on_time / total (-1 when total is 0).
 * Tasks of sub-units are not counted (each unit has its own scorecard).
 * Any caller (no role check: the scorecard decides who reads it).
 * Errors: 400 MC_EINVAL (from_day > to_day or a zero day), 404 unknown
 * unit. db is borrowed; *out is filled (zeroed first).
 */
struct mc_tasks_rate {
  int64_t total, done_on_time, done_late, overdue, in_progress;
  double rate, on_time_rate;
};
int mc_tasks_unit_rate(struct mc_db *db, int64_t unit_id, int32_t from_day,
                       int32_t to_day, int64_t now, struct mc_tasks_rate *out,
                       struct mc_err *err) MC_WUR;

/*
 * mc_tasks_unit_rate as JSON (*out, new reference): {total, done_on_time,
 * done_late, overdue, in_progress, rate, on_time_rate}, rates null when
 * the unit has no task in the range. The task report's "unit_rate" and
 * the evaluation scorecard's "tasks". Errors as mc_tasks_unit_rate.
 */
int mc_tasks_unit_rate_json(struct mc_db *db, int64_t unit_id,
                            int32_t from_day, int32_t to_day, int64_t now,
                            json_t **out, struct mc_err *err) MC_WUR;

/*
 * Sweeper step: near-due reminders to the lead unit's leaders (from
 * MC_TASK_NEAR_WORKDAYS working days before the deadline day) and
 * overdue escalations to the issuing unit's leaders, each once per task,
 * through mc_notify; one audited transaction per batch. *sent (may be
 * NULL) = new notifications.
 */
int mc_tasks_sweep(struct mc_writer *w, const struct mc_calendar *cal,
                   int64_t now, int *sent, struct mc_err *err) MC_WUR;

/*
 * Write function (ctx unused): the demo directive 495/TB-VP of the Hà
 * Nội People's Committee Office (27/10/2023) and its tasks. Needs the
 * demo units; audited as the system.
 */
int mc_tasks_seed_demo(struct mc_db *db, void *ctx, struct mc_err *err) MC_WUR;

#endif
