/*
 * sweep.h - the deadline sweeper (BRIEF 1.3 Điều 19.9, rule 7): marks
 * running dossiers near due and overdue, warns the holder and escalates
 * to the unit's leaders once per dossier, level and due date, and records
 * "overdue_without_apology" for an overdue dossier never rescheduled.
 *
 * Work is driven by the dossier_watch table: every transition marks its
 * dossier for a check (mc_sweep_touch); the sweeper reads only the rows
 * whose next_check_at has come, decides the level, and sets the next
 * check to the start of the near-due window, then to the due instant,
 * then to none. So a run costs O(dossiers that change level), and a
 * dossier enters each level once per due date. Running twice changes
 * nothing the second time. At each check of a dossier never rescheduled
 * the sweeper also forecasts whether it will be late and drafts an
 * apology for the leaders (mc_apology_consider); while it is not late,
 * the next check comes no later than when its slack is used up.
 */
#ifndef MC_DOMAIN_SWEEP_H
#define MC_DOMAIN_SWEEP_H

#include <stdint.h>

#include "db/db.h"
#include "db/writer.h"
#include "domain/dossier.h"
#include "util/err.h"

#define MC_SWEEP_NEAR_DAYS 1   /* default: warn 1 working day before due */
#define MC_SWEEP_BATCH 200     /* dossiers per transaction */

struct mc_sweep_opts {
    const struct mc_calendar *cal;   /* borrowed */
    int64_t now;
    int near_days;             /* working days before the due day, >= 0 */
};

struct mc_sweep_stats {
    int checked;               /* watch rows looked at */
    int near_due, overdue;     /* dossiers that entered the level */
    int notifications;         /* new notifications */
    int violations;            /* new violations */
    int apologies;             /* new apology drafts (apology.h) */
};

/*
 * Start of the near-due window of a dossier due at `due`: local midnight
 * of the near_days-th working day before the due day (the due day itself
 * for 0). Falls back to due - near_days * 86400 outside the calendar.
 */
int64_t mc_sweep_near_start(const struct mc_calendar *cal, int64_t due,
                            int near_days);

/*
 * Refresh d's watch row in the caller's transaction: running dossiers
 * (open, not paused, with a due date) are checked at the next sweep;
 * others are dropped.
 */
int mc_sweep_touch(struct mc_db *db, const struct mc_dossier *d, int64_t now,
                   struct mc_err *err) MC_WUR;

/*
 * Run the sweep through w (batches of MC_SWEEP_BATCH, each one
 * transaction with an audit record) until no watch row is due. st (may
 * be NULL) accumulates the counts.
 */
int mc_sweep_run(struct mc_writer *w, const struct mc_sweep_opts *o,
                 struct mc_sweep_stats *st, struct mc_err *err) MC_WUR;

#endif
