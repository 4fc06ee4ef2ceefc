/*
 * recompute.h - deadlines after a calendar change (BRIEF rule 3,
 * issue 3 "versioning").
 *
 * A calendar change creates a new version with its effective time. The
 * due dates of open dossiers (received .. pending_approval) whose running
 * period touches a changed day are recomputed under the new version
 * exactly as the receive transition computes them
 * (mc_dossier_compute_due), and the affected dossiers are listed. Not
 * changed: closed dossiers, dossiers that were rescheduled (their new date
 * was promised in writing), dossiers whose clock is stopped by an open
 * supplement request (their due date is recomputed when it resumes), the
 * original due date (due_original) and the frozen outcomes of finished
 * steps.
 */
#ifndef MC_DOMAIN_RECOMPUTE_H
#define MC_DOMAIN_RECOMPUTE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/calendar.h"
#include "util/err.h"

struct mc_recompute {
    const struct mc_calendar *old_cal; /* in force before (borrowed) */
    const struct mc_calendar *new_cal; /* the new version (borrowed) */
    const struct mc_actor *actor;      /* borrowed; NULL = the system */
    int64_t now;                       /* time of the change */
    json_t *affected;    /* out: new array of {id, code, state, old_due,
                            new_due}, caller owns (NULL on error) */
    int skipped_rescheduled; /* out: in the window, kept (rescheduled) */
    int skipped_paused;      /* out: in the window, kept (clock stopped) */
};

/*
 * Write function (mc_writer_run), ctx = struct mc_recompute *: finds the
 * open dossiers whose received_at .. due_at span reaches a day whose
 * working status differs between old_cal and new_cal (mc_calendar_diff),
 * recomputes each one's due date under new_cal, and for each one that
 * changes updates due_at and due_provenance (version + 1), appends the
 * event "deadline_recomputed" (data: old_due, new_due, calendar_version,
 * old_calendar_version) and an audit record "dossier.deadline_recomputed".
 * ctx->affected lists them by due date. Any failure (MC_EDB, MC_ENOMEM, or
 * a dossier whose deadline cannot be computed: MC_EINVAL / MC_ECONFLICT)
 * leaves ctx->affected NULL; the caller's transaction rolls back.
 */
int mc_dossier_recompute_deadlines(struct mc_db *db, void *ctx,
                                   struct mc_err *err) MC_WUR;

struct mc_calendar_recompute {
    struct mc_calendar_change *change; /* borrowed; ->version out */
    const struct mc_actor *actor;      /* borrowed; NULL = the system */
    int64_t now;
    json_t *affected; /* out: as struct mc_recompute (caller owns) */
};

/*
 * Write function (mc_writer_run), ctx = struct mc_calendar_recompute *:
 * in one transaction, seeds the calendar if needed, loads the version in
 * force, applies the change (mc_calendar_change_apply: a new version),
 * recomputes the open dossiers' deadlines (mc_dossier_recompute_deadlines)
 * and appends an audit record "calendar.change". Errors as those
 * functions; ctx->affected is NULL on error.
 */
int mc_calendar_change_recompute(struct mc_db *db, void *ctx,
                                 struct mc_err *err) MC_WUR;

#endif
