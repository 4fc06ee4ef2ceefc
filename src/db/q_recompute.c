/*
 * q_recompute.c - SQL for deadline recomputation (see q_recompute.h).
 */
#include "db/q_recompute.h"

#include <string.h>

int
mc_q_dossier_open_due_window(struct mc_db *db, int64_t due_from,
                             int64_t received_before, struct mc_arena *a,
                             int64_t **ids, int *n, struct mc_err *err)
{
    struct mc_stmt *st;
    int64_t *arr = NULL;
    int cap = 0, rc;

    *ids = NULL;
    *n = 0;
    st = mc_db_prep(db,
                    "SELECT id FROM dossiers WHERE state IN ('received', "
                    "'processing', 'supplement', 'financial', 'consulting', "
                    "'pending_approval') AND due_at >= ? AND "
                    "received_at < ? ORDER BY due_at, id",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ii", due_from, received_before);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        if (*n == cap) {
            int ncap = cap ? cap * 2 : 64;
            int64_t *grown = mc_arena_alloc(a, sizeof(*grown) * (size_t)ncap);
            if (grown == NULL) {
                rc = MC_ENOMEM;
                break;
            }
            if (*n > 0) {
                memcpy(grown, arr, sizeof(*arr) * (size_t)*n);
            }
            arr = grown;
            cap = ncap;
        }
        arr[(*n)++] = mc_stmt_i64(st, 0);
    }
    mc_stmt_done(st);
    if (rc < 0) {
        *n = 0;
        return rc;
    }
    *ids = arr;
    return MC_OK;
}
