/*
 * q_dossier_int.h - shared by the statements of src/db that serve the
 * generator's fast load from the held dossier rows and their state
 * (q_dossier.c, q_dossier_slot.c, q_dossier_state.c, and the dossier's
 * watch row, attachments count and step readers in q_discipline.c,
 * q_evaluation.c, q_apology.c). Not for other layers: they use
 * q_dossier.h.
 */
#ifndef MC_DB_Q_DOSSIER_INT_H
#define MC_DB_Q_DOSSIER_INT_H

#include "db/q_dossier.h"

/*
 * The UPDATE of mc_q_dossier_update, with the stored version expected
 * given: writes the columns of d that differ from old (all when old is
 * NULL), version and updated_at, where id = d->id and version = expect.
 * MC_ECONFLICT when no row matched, if check: the fast load's flush,
 * which held the row alone since it read it, does not check (the count
 * of changed rows would wait for the write-behind queue on every older
 * row). old and d are borrowed.
 */
int mc_q_dossier_write(struct mc_db *db, const struct mc_dossier *old,
                       const struct mc_dossier *d, int64_t expect, int check,
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
/*
 * _arena: the slot's arena (NULL when not holding), where _adopt expects
 * the strings of d: d, an older row just read from the table, is held
 * from now on, unchanged (the flush writes it only if it changes); the
 * next _get serves it.
 */
struct mc_arena *mc_q_dslot_arena(struct mc_db *db);
int mc_q_dslot_adopt(struct mc_db *db, struct mc_dossier *d,
                     struct mc_err *err) MC_WUR;
int mc_q_dslot_insert(struct mc_db *db, struct mc_dossier *d,
                      const char *search_key, struct mc_err *err) MC_WUR;
int mc_q_dslot_update(struct mc_db *db, const struct mc_dossier *old,
                      const struct mc_dossier *d, struct mc_err *err) MC_WUR;

/*
 * The outcome of a ledger step frozen when it closes, from its due date
 * and its left_at (SQL expressions): early before the due day ends, on
 * time up to the due instant (or without a due date), late after it. The
 * one definition, used by every statement that closes a step (the
 * reference UPDATE and the fast load's one-shot INSERT and UPDATE).
 */
#define STEP_OUTCOME(due, left)                                            \
    "CASE WHEN " due " IS NULL THEN 'on_time' WHEN " left " < " due       \
    " - 86400 THEN 'early' WHEN " left " <= " due " THEN 'on_time' ELSE "  \
    "'late' END"

/*
 * The per-dossier state of the fast load (q_dossier_state.c), owned by
 * the slot: NULL when not holding. _new reads the ledger's largest id;
 * NULL on error (err set). _created: a dossier inserted while holding (no
 * rows yet). _ended: its last transition ran; forgotten at the flush.
 * _flush writes the open steps, watch rows and code sequences of the
 * batch and forgets the ended dossiers (run by mc_q_dossier_flush after
 * the rows).
 */
struct mc_q_dstates;
struct mc_q_dstates *mc_q_dslot_states(struct mc_db *db);
struct mc_q_dstates *mc_q_dstates_new(struct mc_db *db, struct mc_err *err);
void mc_q_dstates_free(struct mc_q_dstates *t);
int mc_q_dstates_created(struct mc_q_dstates *t, int64_t id,
                         struct mc_err *err) MC_WUR;
void mc_q_dstates_ended(struct mc_q_dstates *t, int64_t id);
int mc_q_dstates_flush(struct mc_db *db, struct mc_q_dstates *t,
                       struct mc_err *err) MC_WUR;

/*
 * While holding (mc_q_dslot_states(db) != NULL), the statements of the
 * same name without _ds_ call these, with the same arguments and results:
 * _event inserts the event with its seq from memory; _count_action and
 * _pauses answer from memory, or MC_ENOTFOUND (err untouched) when the
 * caller must read by SQL (an action not counted, more pauses than held);
 * _step_open holds the step; _step_close writes it with its final
 * columns (or updates it by key when it was flushed open);
 * _step_holder changes it; _file_added counts an attachment; _no_files
 * sets *none when the dossier has no attachment; _watch records the
 * batch's last touch (drop = 0) or drop of its watch row; _code_next
 * takes the daily sequence number. A dossier not created while holding
 * is loaded from its rows on first use.
 */
int mc_q_ds_event(struct mc_db *db, int64_t dossier_id, const char *action,
                  const char *from_state, const char *to_state,
                  int64_t actor_id, const char *actor_role, int64_t unit_id,
                  int64_t at, const char *reason, const char *data,
                  struct mc_err *err) MC_WUR;
int mc_q_ds_count_action(struct mc_db *db, int64_t dossier_id,
                         const char *action, int64_t *n,
                         struct mc_err *err) MC_WUR;
int mc_q_ds_pauses(struct mc_db *db, int64_t dossier_id, struct mc_arena *a,
                   int64_t **from, int64_t **to, int *n,
                   struct mc_err *err) MC_WUR;
int mc_q_ds_step_open(struct mc_db *db, int64_t dossier_id, int step_seq,
                      const char *name, int64_t unit_id, int64_t holder_id,
                      int64_t arrived_at, int64_t due_at,
                      struct mc_err *err) MC_WUR;
int mc_q_ds_step_close(struct mc_db *db, int64_t dossier_id, int64_t left_at,
                       int64_t finished_by, struct mc_err *err) MC_WUR;
int mc_q_ds_step_holder(struct mc_db *db, int64_t dossier_id,
                        int64_t holder_id, struct mc_err *err) MC_WUR;
int mc_q_ds_file_added(struct mc_db *db, int64_t dossier_id,
                       struct mc_err *err) MC_WUR;
int mc_q_ds_no_files(struct mc_db *db, int64_t dossier_id, int *none,
                     struct mc_err *err) MC_WUR;
int mc_q_ds_watch(struct mc_db *db, int64_t dossier_id, int64_t at, int drop,
                  struct mc_err *err) MC_WUR;
int mc_q_ds_code_next(struct mc_db *db, int64_t unit_id, int32_t day,
                      int64_t *seq, struct mc_err *err) MC_WUR;

/*
 * The facts rows of dossiers finished in the batch (q_evaluation.c):
 * _facts_hold keeps a copy of f (borrowed) until the flush, which calls
 * mc_q_eval_facts_flush with them: each row's c2 is read from the
 * ledger by mc_q_eval_step_score's statement (all reads first, so they
 * come together in the batch's flush), then the rows are inserted.
 */
struct mc_eval_facts;
int mc_q_ds_facts_hold(struct mc_db *db, const struct mc_eval_facts *f,
                       struct mc_err *err) MC_WUR;
int mc_q_eval_facts_flush(struct mc_db *db, struct mc_eval_facts *f,
                          size_t n, struct mc_err *err) MC_WUR;

#endif
