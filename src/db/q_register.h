/*
 * q_register.h - SQL for the dossier register (Mẫu 06).
 */
#ifndef MC_DB_Q_REGISTER_H
#define MC_DB_Q_REGISTER_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "doc/forms.h"
#include "util/arena.h"

/*
 * Dossiers received by a unit in the path range [lo, hi) with received_at
 * in [from, to), by receipt time, at most max (*more = 1 when there are
 * more), as register rows (strings in a): code, procedure name,
 * applicant, address, phone, handling unit, received, due, forwarded
 * (the handling step's arrival), resolved (finished), returned.
 */
int mc_q_register_rows(struct mc_db *db, const char *lo, const char *hi,
                       int64_t from, int64_t to, size_t max,
                       struct mc_arena *a, struct mc_doc_register_row **rows,
                       size_t *n, int *more, struct mc_err *err) MC_WUR;

#endif
