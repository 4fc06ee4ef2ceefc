/*
 * discipline.h - violations of the one-stop rules (BRIEF 1.3-1.6, NĐ 61
 * Điều 5 and 19) and the inspectors' review of them.
 *
 * A violation is raised by the system inside the transaction of the
 * transition (or sweep) that proves it, with the rule, the dossier, the
 * official and unit to blame, JSON evidence and the time. Rules:
 *
 *   supplement_repeated      a second (or later) supplement request
 *   supplement_late          a supplement request more than 3 working
 *                            days after receipt
 *   reschedule_late          the apology / reschedule came less than one
 *                            day before the due date
 *   late_return              the result was returned after the due date
 *                            (blamed on the first late ledger step)
 *   consult_late             a consultation answered after its deadline
 *   step_by_non_assignee     a step finished by someone other than its
 *                            assignee
 *   overdue_without_apology  overdue with no reschedule (sweeper)
 *
 * Each (dossier, rule, occurrence) is raised at most once. Inspectors see
 * the violations of their unit subtree and confirm or dismiss each once,
 * with a reason (audited); the summary counts confirmed violations per
 * official and per unit.
 */
#ifndef MC_DOMAIN_DISCIPLINE_H
#define MC_DOMAIN_DISCIPLINE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/dossier.h"
#include "util/arena.h"
#include "util/err.h"

/* Working days after receipt within which a supplement may be asked. */
#define MC_SUPPLEMENT_MAX_WORKDAYS 3

struct mc_violation {
    int64_t id;
    const char *rule;
    int64_t dossier_id;
    int64_t occurrence;
    int64_t official_id;       /* 0 = nobody identified */
    int64_t unit_id;
    const char *unit_path;
    const char *evidence;      /* JSON text */
    int64_t at;
    const char *state;         /* open, confirmed, dismissed */
    int64_t decided_by, decided_at;
    const char *decision_reason;
};

/* 1 if rule names one of the rules above. */
int mc_violation_rule_known(const char *rule);

/*
 * Record v (id, state and decision fields ignored) unless the same
 * (dossier, rule, occurrence) exists, and append an audit record
 * "violation.raise" by actor_id (0 = system). *raised (may be NULL) = 1
 * when a new row was written. Runs in the caller's transaction.
 */
int mc_violation_raise(struct mc_db *db, const struct mc_violation *v,
                       int64_t actor_id, int *raised,
                       struct mc_err *err) MC_WUR;

/*
 * The single hook of the lifecycle: called at the end of
 * mc_dossier_transition, in its transaction, after the dossier row, the
 * event and the audit record were written. action: the rule's action;
 * from: the state before; d: the dossier after; data: the event data
 * (borrowed). Raises the violations the transition proves, refreshes the
 * sweeper's watch row and queues the apology notification of a
 * reschedule. Errors roll the whole transition back.
 */
int mc_discipline_on_transition(struct mc_db *db,
                                const struct mc_dossier_wctx *c,
                                const char *action, enum mc_dstate from,
                                const struct mc_dossier *d, json_t *data,
                                struct mc_err *err) MC_WUR;

/* Listing filters (NULL / 0 = any). */
struct mc_violation_filter {
    const char *state;
    const char *rule;
    int64_t unit_id;           /* that unit's subtree */
    int64_t official_id;
    int limit, offset;
};

/*
 * Violations visible to actor (inspectors and leaders: their unit
 * subtree; admins: all), newest first, as a JSON array of objects.
 * 403 for other roles; 400 for an unknown state/rule; 422 for an unknown
 * unit; 403 for a unit outside the actor's scope.
 */
int mc_violation_list(struct mc_db *db, const struct mc_actor *actor,
                      const struct mc_violation_filter *f,
                      struct mc_arena *a, json_t **items, int64_t *total,
                      struct mc_err *err) MC_WUR;

/* Context of a decision write (borrowed pointers). */
struct mc_violation_decision {
    const struct mc_actor *actor;
    struct mc_arena *arena;
    int64_t now;
    int64_t id;
    const char *decision;      /* confirm | dismiss */
    const char *reason;
    json_t *out;               /* result: the violation (new reference) */
};

/*
 * Write function: an inspector covering the violation's unit confirms or
 * dismisses an open violation, with a reason; audited
 * ("violation.confirm" / "violation.dismiss"). 403 for other roles or
 * out of scope, 404 unknown id, 409 already decided, 400 bad input.
 */
int mc_violation_decide(struct mc_db *db, struct mc_violation_decision *c,
                        struct mc_err *err) MC_WUR;

/*
 * Confirmed violations in [from, to) within unit_id's subtree (0 = the
 * actor's scope), counted per official and per unit:
 * {"by_official":[{official_id, name, unit_id, count, rules:{...}}],
 *  "by_unit":[{unit_id, name, count}], "total":N,
 *  "apologies_by_unit":[{unit_id, name, code, draft, approved, dismissed,
 *  count}], "apologies_total":N} (apologies drafted in [from, to), any
 *  state). Roles as the list.
 */
int mc_discipline_summary(struct mc_db *db, const struct mc_actor *actor,
                          int64_t unit_id, int64_t from, int64_t to,
                          struct mc_arena *a, json_t **out,
                          struct mc_err *err) MC_WUR;

struct mc_q_range;

/*
 * The unit path range an actor reviews (inspectors and leaders: their
 * unit subtree; admins: all) into *s (strings in a); 403 for other roles.
 */
int mc_discipline_scope(const struct mc_actor *actor, struct mc_arena *a,
                        struct mc_q_range *s, struct mc_err *err) MC_WUR;

/*
 * The path range of unit_id's subtree into *u (all when unit_id is 0);
 * 422 unknown unit, 403 when outside the actor's scope.
 */
int mc_discipline_unit_range(struct mc_db *db, const struct mc_actor *actor,
                             int64_t unit_id, struct mc_arena *a,
                             struct mc_q_range *u,
                             struct mc_err *err) MC_WUR;

/* JSON object of a violation (new reference). */
json_t *mc_violation_json(const struct mc_violation *v);

#endif
