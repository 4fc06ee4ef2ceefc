/*
 * q_discipline.h - SQL for violations, the sweeper's watch list,
 * notifications and deliveries (migration 005_discipline).
 */
#ifndef MC_DB_Q_DISCIPLINE_H
#define MC_DB_Q_DISCIPLINE_H

#include <jansson.h>

#include "db/db.h"
#include "domain/discipline.h"
#include "domain/notify.h"
#include "util/arena.h"

/* Insert v unless (dossier, rule, occurrence) exists: *id = 0 then. */
int mc_q_violation_insert(struct mc_db *db, const struct mc_violation *v,
                          int64_t *id, struct mc_err *err) MC_WUR;
/* One violation (strings in a). MC_ENOTFOUND if none. */
int mc_q_violation_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                       struct mc_violation *out, struct mc_err *err) MC_WUR;
/*
 * Decide an open violation: state confirmed/dismissed. MC_ECONFLICT
 * ("already_decided") when it is no longer open.
 */
int mc_q_violation_decide(struct mc_db *db, int64_t id, const char *state,
                          int64_t by, int64_t at, const char *reason,
                          struct mc_err *err) MC_WUR;

/* A unit path range [lo, hi); all = 1 ignores it. */
struct mc_q_range {
    int all;
    const char *lo, *hi;
};

/*
 * Violations in scope (and in the unit range u unless u->all), filtered,
 * newest first: *out an arena array of *n, *total all matches.
 */
int mc_q_violation_list(struct mc_db *db, const struct mc_q_range *scope,
                        const struct mc_q_range *u,
                        const struct mc_violation_filter *f,
                        struct mc_arena *a, struct mc_violation **out,
                        int *n, int64_t *total, struct mc_err *err) MC_WUR;
/*
 * Confirmed violations with at in [from, to) in range r: counts per
 * official (with rule breakdown) and per unit, as JSON arrays.
 */
int mc_q_discipline_summary(struct mc_db *db, const struct mc_q_range *r,
                            int64_t from, int64_t to, json_t **by_official,
                            json_t **by_unit, int64_t *total,
                            struct mc_err *err) MC_WUR;

/*
 * First ledger step of the dossier whose outcome is late: who held it
 * (finished_by, else holder), its unit and path, due and left times.
 * MC_ENOTFOUND if no step was late.
 */
int mc_q_first_late_step(struct mc_db *db, int64_t dossier_id,
                         struct mc_arena *a, int64_t *official,
                         int64_t *unit_id, const char **unit_path,
                         int64_t *due_at, int64_t *left_at,
                         struct mc_err *err) MC_WUR;
/*
 * The latest event with one of the actions (NULL-terminated list) of the
 * dossier: action, data (JSON text), reason, time. MC_ENOTFOUND if none.
 */
int mc_q_last_event(struct mc_db *db, int64_t dossier_id,
                    const char *const *actions, struct mc_arena *a,
                    const char **action, const char **data,
                    const char **reason, int64_t *at,
                    struct mc_err *err) MC_WUR;

/* Active leaders of a unit: arena array of *n account ids. */
int mc_q_unit_leaders(struct mc_db *db, int64_t unit_id, struct mc_arena *a,
                      int64_t **ids, int *n, struct mc_err *err) MC_WUR;
/* Display name of an account (arena) or NULL. */
int mc_q_account_name(struct mc_db *db, int64_t id, struct mc_arena *a,
                      const char **name, struct mc_err *err) MC_WUR;

/* ---- the sweeper's watch list ---- */

/*
 * Mark the dossier for a check at `at` (insert or move earlier/later);
 * drop its row. While the generator holds dossier rows
 * (mc_q_dossier_hold) the batch's last touch or drop is kept and written
 * by mc_q_dossier_flush.
 */
int mc_q_watch_touch(struct mc_db *db, int64_t dossier_id, int64_t at,
                     struct mc_err *err) MC_WUR;
int mc_q_watch_drop(struct mc_db *db, int64_t dossier_id,
                    struct mc_err *err) MC_WUR;
/* The statement of mc_q_watch_drop (drop = 1) or _touch, run now. */
int mc_q_watch_write(struct mc_db *db, int64_t dossier_id, int64_t at,
                     int drop, struct mc_err *err) MC_WUR;
/* Up to max rows with next_check_at <= now (oldest first). */
int mc_q_watch_due(struct mc_db *db, int64_t now, int max,
                   struct mc_arena *a, int64_t **ids, int **levels, int *n,
                   struct mc_err *err) MC_WUR;
/* Set the next check (0 = none), level and when the level was reached. */
int mc_q_watch_set(struct mc_db *db, int64_t dossier_id, int64_t next,
                   int level, int64_t marked_at, struct mc_err *err) MC_WUR;

/* ---- notifications and deliveries ---- */

/* Insert n unless its dedup_key exists (*id = 0 then). */
int mc_q_notification_insert(struct mc_db *db,
                             const struct mc_notification_new *n,
                             int64_t now, int64_t *id,
                             struct mc_err *err) MC_WUR;
int mc_q_delivery_insert(struct mc_db *db, int64_t notification_id,
                         const char *channel, int64_t now,
                         struct mc_err *err) MC_WUR;
int mc_q_notification_list(struct mc_db *db, int64_t account_id,
                           int unread_only, int limit, int offset,
                           json_t **items, int64_t *total, int64_t *unread,
                           struct mc_err *err) MC_WUR;
/* Mark read (keeps the first time); MC_ENOTFOUND unless the account's. */
int mc_q_notification_read(struct mc_db *db, int64_t id, int64_t account_id,
                           int64_t now, json_t **out,
                           struct mc_err *err) MC_WUR;
/*
 * Claim the pending deliveries of channel due at now (arena array of *n):
 * each claimed row's next_attempt_at moves to lease_until in the caller's
 * transaction, so no other sweeper (another instance on the same
 * database) takes it while this one sends; a sender that dies before
 * recording the outcome leaves it to be retried after the lease. Write
 * transactions are serialised across instances (mc_db_begin takes the
 * audit-chain lock first), so the claim needs no row locks.
 */
int mc_q_deliveries_due(struct mc_db *db, const char *channel, int64_t now,
                        int64_t lease_until, int max, struct mc_arena *a,
                        struct mc_outbound **out, int *n,
                        struct mc_err *err) MC_WUR;
/*
 * Record an attempt: ok -> sent; else attempts+1, last_error, next try
 * at next_at, or failed when give_up.
 */
int mc_q_delivery_result(struct mc_db *db, int64_t id, int ok,
                         const char *error, int64_t next_at, int give_up,
                         int64_t now, struct mc_err *err) MC_WUR;

#endif
