/*
 * q_calendar.h - queries on the calendar tables (migration 002_calendar):
 * versions, rules, announced days and per-unit working hours.
 *
 * Row structs carry borrowed strings: valid until the callback returns
 * (readers) or for the duration of the call (writers). Callbacks return 0
 * to continue; a negative code stops the iteration and is returned.
 * Writers must run inside a write transaction (mc_writer_run).
 */
#ifndef MC_DB_Q_CALENDAR_H
#define MC_DB_Q_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/err.h"

struct mc_qcal_version {
    int version;
    int64_t effective_from;
    int64_t created_at;
    int64_t actor_id; /* 0 = system */
    const char *note;
};

struct mc_qcal_rule {
    int seq;
    const char *code, *kind, *name;
    int month, mday, offset, ndays;
    unsigned weekdays; /* bit (1 << ISO weekday) */
    int carry_over;
    const char *valid_from; /* 'YYYY-MM-DD' */
    const char *valid_to;   /* NULL while in force */
    const char *basis, *confidence;
};

struct mc_qcal_day {
    const char *date; /* 'YYYY-MM-DD' */
    const char *kind; /* holiday | compensatory | off | work */
    const char *code, *reason, *basis;
};

typedef int (*mc_qcal_version_fn)(void *ctx, const struct mc_qcal_version *v,
                                  struct mc_err *err);
typedef int (*mc_qcal_rule_fn)(void *ctx, const struct mc_qcal_rule *r,
                               struct mc_err *err);
typedef int (*mc_qcal_day_fn)(void *ctx, const struct mc_qcal_day *d,
                              struct mc_err *err);

/*
 * Latest version (out->note is set to "": use mc_qcal_versions_each for
 * the text); MC_ENOTFOUND when there is none (err untouched).
 */
int mc_qcal_latest(struct mc_db *db, struct mc_qcal_version *out,
                   struct mc_err *err) MC_WUR;
/* One version's effective instant; MC_ENOTFOUND if unknown. */
int mc_qcal_version_get(struct mc_db *db, int version,
                        int64_t *effective_from, struct mc_err *err) MC_WUR;
/* Every version, oldest first (note borrowed during the callback). */
int mc_qcal_versions_each(struct mc_db *db, mc_qcal_version_fn fn,
                          void *ctx, struct mc_err *err) MC_WUR;
/* Insert a version row; *version receives its number. note borrowed. */
int mc_qcal_version_add(struct mc_db *db, int64_t effective_from,
                        int64_t created_at, int64_t actor_id,
                        const char *note, int *version,
                        struct mc_err *err) MC_WUR;

/* Rules / days of `version`, in order. */
int mc_qcal_rules_each(struct mc_db *db, int version, mc_qcal_rule_fn fn,
                       void *ctx, struct mc_err *err) MC_WUR;
int mc_qcal_days_each(struct mc_db *db, int version, mc_qcal_day_fn fn,
                      void *ctx, struct mc_err *err) MC_WUR;

/* Mark every current rule as superseded by `version`. */
int mc_qcal_rules_retire(struct mc_db *db, int version,
                         struct mc_err *err) MC_WUR;
/* Insert a rule row current from `version` (r borrowed). */
int mc_qcal_rule_insert(struct mc_db *db, int version,
                        const struct mc_qcal_rule *r,
                        struct mc_err *err) MC_WUR;
/* Mark the current row of date (if any) as superseded by `version`. */
int mc_qcal_day_retire(struct mc_db *db, int version, const char *date,
                       struct mc_err *err) MC_WUR;
/* Insert a day row current from `version` (d borrowed). */
int mc_qcal_day_insert(struct mc_db *db, int version,
                       const struct mc_qcal_day *d,
                       struct mc_err *err) MC_WUR;

/*
 * Working-hours text of a unit into out[outsz]; MC_ENOTFOUND when the
 * unit has none (default hours apply), MC_ETOOBIG if it does not fit.
 */
int mc_qcal_workhours_get(struct mc_db *db, int64_t unit_id, char *out,
                          size_t outsz, struct mc_err *err) MC_WUR;
/* Set (insert or replace) a unit's working-hours text (spec borrowed). */
int mc_qcal_workhours_set(struct mc_db *db, int64_t unit_id,
                          const char *spec, int64_t now,
                          struct mc_err *err) MC_WUR;

#endif
