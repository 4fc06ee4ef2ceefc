/*
 * q_dossier_int.h - shared between q_dossier.c and q_dossier_slot.c (not
 * for other modules: they use q_dossier.h).
 */
#ifndef MC_DB_Q_DOSSIER_INT_H
#define MC_DB_Q_DOSSIER_INT_H

#include "db/q_dossier.h"

/*
 * The UPDATE of mc_q_dossier_update, with the stored version expected
 * given: writes the columns of d that differ from old (all when old is
 * NULL), version and updated_at, where id = d->id and version = expect.
 * MC_ECONFLICT when no row matched. old and d are borrowed.
 */
int mc_q_dossier_write(struct mc_db *db, const struct mc_dossier *old,
                       const struct mc_dossier *d, int64_t expect,
                       struct mc_err *err) MC_WUR;

/*
 * The held rows (mc_q_dossier_hold), used by q_dossier.c when
 * mc_db_rows(db) is set. _get: MC_ENOTFOUND (err untouched) when id is
 * not held, else *out with its strings borrowed from the slot: they stay
 * valid until the next flush or rollback (the generator flushes between
 * transitions only), and a is not used. _insert: as
 * mc_q_dossier_insert (sets d->id and d->version). _update: as
 * mc_q_dossier_update, same version check and the same columns written.
 */
int mc_q_dslot_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                   struct mc_dossier *out, struct mc_err *err) MC_WUR;
int mc_q_dslot_insert(struct mc_db *db, struct mc_dossier *d,
                      const char *search_key, struct mc_err *err) MC_WUR;
int mc_q_dslot_update(struct mc_db *db, const struct mc_dossier *old,
                      const struct mc_dossier *d, struct mc_err *err) MC_WUR;

#endif
