/*
 * q_recompute.h - SQL for recomputing deadlines after a calendar change:
 * the open dossiers whose running period touches a window of days.
 */
#ifndef MC_DB_Q_RECOMPUTE_H
#define MC_DB_Q_RECOMPUTE_H

#include <stdint.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/err.h"

/*
 * Ids of the dossiers in an open state (received, processing,
 * supplement, financial, consulting, pending_approval) with
 * due_at >= due_from and received_at < received_before, ordered by due_at
 * then id; the dossiers_state_due index bounds the scan. *ids: an array of
 * *n entries in arena a (NULL when *n is 0). MC_ENOMEM, MC_EDB.
 */
int mc_q_dossier_open_due_window(struct mc_db *db, int64_t due_from,
                                 int64_t received_before, struct mc_arena *a,
                                 int64_t **ids, int *n,
                                 struct mc_err *err) MC_WUR;

#endif
