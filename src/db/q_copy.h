/*
 * q_copy.h - copy a whole database to another backend (motcua migrate).
 */
#ifndef MC_DB_Q_COPY_H
#define MC_DB_Q_COPY_H

#include <stdint.h>

#include "db/db.h"

/*
 * Copy every table of src (any backend, borrowed) into dst (PostgreSQL,
 * borrowed), in foreign-key order, ids and audit rows verbatim, in one
 * transaction on dst; then move dst's identity sequences past the copied
 * ids. Both must be migrated to the same schema version. dst must hold no
 * business data (no audit rows, units or dossiers): the rows migrations
 * seed are replaced by src's. *rows receives the number of rows copied.
 * MC_EINVAL (with a message) when the preconditions do not hold.
 */
int mc_q_copy_all(struct mc_db *src, struct mc_db *dst, int64_t *rows,
                  struct mc_err *err) MC_WUR;

#endif
