/*
 * apology.h - apologies and rescheduling (BRIEF 1.3, NĐ 61 Điều 19.9):
 * the sweeper forecasts which running dossiers will miss their due date
 * and drafts an apology (Phiếu xin lỗi và hẹn lại ngày trả kết quả) with
 * a proposed new date; a leader of the handling unit approves it, which
 * performs the dossier's single `reschedule` transition (and so the
 * apology notification to the citizen), or dismisses it.
 *
 * Forecast. For the open ledger step k of a dossier and every later step
 * of its procedure, the typical duration is the median, in working
 * seconds, of the last MC_APOLOGY_SAMPLES finished ledger steps of the
 * same procedure code and step number (at least MC_APOLOGY_MIN_SAMPLES of
 * them), else the step's budget. needed = max(0, typical(k) - working
 * time already spent in step k) + sum of typical(j) for j > k; available
 * = working seconds from now to the due instant. shortfall = needed -
 * available; a shortfall > 0 (or an overdue dossier) means late. The
 * proposed date is the working day holding due + shortfall working
 * seconds (from now when already overdue), and always after the due day.
 */
#ifndef MC_DOMAIN_APOLOGY_H
#define MC_DOMAIN_APOLOGY_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "domain/calendar.h"
#include "domain/dossier.h"
#include "util/arena.h"
#include "util/err.h"

#define MC_APOLOGY_SAMPLES 99     /* finished steps per median */
#define MC_APOLOGY_MIN_SAMPLES 5  /* fewer: use the step's budget */
#define MC_APOLOGY_CACHE 256      /* medians remembered per cache */
#define MC_APOLOGY_RECHECK_MIN 900 /* working seconds between forecasts */

struct mc_apology {
    int64_t id;
    int64_t dossier_id;
    const char *dossier_code;    /* read only (joined) */
    int64_t unit_id;
    const char *unit_path;
    int64_t due_at;
    int64_t shortfall;           /* working seconds */
    const char *proposed_date;   /* YYYY-MM-DD */
    const char *forecast;        /* JSON text */
    const char *reason;          /* NULL until filled in */
    const char *new_date;        /* YYYY-MM-DD once approved */
    const char *state;           /* draft, approved, dismissed */
    int64_t created_at;
    int64_t decided_by, decided_at;
    const char *decision_reason;
};

/* Typical durations already looked up (one sweep batch); zero it. */
struct mc_apology_cache {
    int n;
    struct {
        int64_t procedure_id;
        int step;
        int64_t secs;
        int samples;
    } e[MC_APOLOGY_CACHE];
};

/* The outcome of a forecast. */
struct mc_forecast {
    int late;                    /* 1: the due date will be missed */
    int64_t needed, available;   /* working seconds */
    int64_t shortfall;           /* needed - available (> 0 when late) */
    int32_t proposed_day;        /* local day; 0 when not late */
    int from_step, steps;        /* steps from_step..steps counted */
    int samples;                 /* ledger samples used (0: budgets) */
};

/*
 * Forecast d (borrowed, a running dossier with a due date) at now with
 * calendar cal. cache (may be NULL) remembers typical step durations.
 * Reads only. MC_EINVAL when the proposed day falls outside cal.
 */
int mc_apology_forecast(struct mc_db *db, const struct mc_calendar *cal,
                        const struct mc_dossier *d, int64_t now,
                        struct mc_apology_cache *cache, struct mc_arena *a,
                        struct mc_forecast *out, struct mc_err *err) MC_WUR;

/*
 * Sweeper step, in the caller's transaction: unless d was rescheduled or
 * an apology for its current due date exists, forecast it and, when
 * late, draft an apology, notify the unit's leaders (kind
 * "apology_draft") and audit "apology.draft" (system). *drafted (may be
 * NULL) = 1 when a draft was written. *recheck_at (may be NULL) = when
 * to forecast again if nothing happens to the dossier: once the slack
 * (available - needed working seconds, at least MC_APOLOGY_RECHECK_MIN)
 * has passed; 0 when no further forecast is needed.
 */
int mc_apology_consider(struct mc_db *db, const struct mc_calendar *cal,
                        const struct mc_dossier *d, int64_t now,
                        struct mc_apology_cache *cache, struct mc_arena *a,
                        int *drafted, int64_t *recheck_at,
                        struct mc_err *err) MC_WUR;

/* Listing filters (NULL / 0 = any). */
struct mc_apology_filter {
    const char *state;
    int64_t unit_id;             /* that unit's subtree */
    int64_t dossier_id;
    int limit, offset;
};

/*
 * Apologies visible to actor (leaders and inspectors: their unit
 * subtree; admins: all), newest first, as a JSON array. 403 for other
 * roles or a unit outside the scope; 400 for an unknown state; 422 for
 * an unknown unit.
 */
int mc_apology_list(struct mc_db *db, const struct mc_actor *actor,
                    const struct mc_apology_filter *f, struct mc_arena *a,
                    json_t **items, int64_t *total,
                    struct mc_err *err) MC_WUR;

/* Context of mc_apology_decide (borrowed pointers). */
struct mc_apology_decision {
    const struct mc_actor *actor;
    const struct mc_calendar *cal;
    struct mc_arena *arena;
    int64_t now;
    int64_t id;
    const char *decision;        /* approve | dismiss */
    const char *reason;          /* required */
    const char *new_date;        /* approve: YYYY-MM-DD; NULL = proposed */
    json_t *out;                 /* result: the apology (new reference) */
    json_t *dossier;             /* approve: the dossier after (new ref.) */
};

/*
 * Write function. A leader of the apology's handling unit approves a
 * draft (performing the `reschedule` transition of its dossier to
 * new_date with reason, which notifies the citizen) or dismisses it;
 * audited "apology.approve" / "apology.dismiss". 403 for other roles or
 * out of scope, 404 unknown id, 409 already decided (or the lifecycle's
 * already_rescheduled / bad state), 400/422 bad input.
 */
int mc_apology_decide(struct mc_db *db, struct mc_apology_decision *c,
                      struct mc_err *err) MC_WUR;

/* JSON object of an apology (new reference). */
json_t *mc_apology_json(const struct mc_apology *ap);

#endif
