/*
 * q_dossier.h - SQL for dossiers, their events, step ledger and files.
 */
#ifndef MC_DB_Q_DOSSIER_H
#define MC_DB_Q_DOSSIER_H

#include <jansson.h>

#include "db/db.h"
#include "domain/dossier.h"
#include "util/arena.h"

/* Insert d (id ignored); sets d->id. */
int mc_q_dossier_insert(struct mc_db *db, struct mc_dossier *d,
                        const char *search_key, struct mc_err *err) MC_WUR;
/* Load by id into out (strings in arena). MC_ENOTFOUND if none. */
int mc_q_dossier_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                     struct mc_dossier *out, struct mc_err *err) MC_WUR;
/* Load by code. */
int mc_q_dossier_by_code(struct mc_db *db, const char *code,
                         struct mc_arena *a, struct mc_dossier *out,
                         struct mc_err *err) MC_WUR;
/*
 * Write back the mutable fields of d where version = d->version - 1
 * (optimistic check); MC_ECONFLICT if the row changed meanwhile. With old
 * (the row as loaded, borrowed), only the fields that differ from old are
 * written, plus version and updated_at; old NULL writes them all.
 */
int mc_q_dossier_update(struct mc_db *db, const struct mc_dossier *old,
                        const struct mc_dossier *d,
                        struct mc_err *err) MC_WUR;

/*
 * Hold the dossier rows of the current batch in memory (SQLite fast load
 * only, with foreign keys off: the generator). From then on, insert,
 * update and get by id work on the held rows; mc_q_dossier_flush writes
 * each changed row once (an INSERT of each new row with its final
 * columns, one UPDATE of the changed columns of each older one) and must
 * run before every commit. New ids continue from the table's largest,
 * as SQLite's rowid would. A row read by id while holding is held from
 * then on (read once per batch). A held row's strings, as
 * mc_q_dossier_get gives them, belong to the connection until the next
 * flush or rollback (not to the caller's arena). The dossier's events,
 * ledger, watch row, attachment count and the batch's code sequences are
 * served from memory too (q_dossier_state.c), and the units, accounts and
 * procedure versions the load reads from the per-connection memo
 * (q_memo.h). Reads of dossiers through other SQL in this
 * module flush first (mc_q_dossier_sync). Dropped, unwritten, on any
 * rollback (mc_db_rows_set). PostgreSQL: does nothing.
 */
int mc_q_dossier_hold(struct mc_db *db, struct mc_err *err) MC_WUR;
/* Write the held rows and forget them (keeps holding). */
int mc_q_dossier_flush(struct mc_db *db, struct mc_err *err) MC_WUR;
/* mc_q_dossier_flush when rows are held, else nothing. */
int mc_q_dossier_sync(struct mc_db *db, struct mc_err *err) MC_WUR;
/* Stop holding; held rows not flushed are dropped. */
void mc_q_dossier_release(struct mc_db *db);

/* Append an event (seq = next for the dossier). data: JSON text. */
int mc_q_dossier_event(struct mc_db *db, int64_t dossier_id,
                       const char *action, const char *from_state,
                       const char *to_state, int64_t actor_id,
                       const char *actor_role, int64_t unit_id, int64_t at,
                       const char *reason, const char *data,
                       struct mc_err *err) MC_WUR;
/* Events as a JSON array (oldest first). */
int mc_q_dossier_events(struct mc_db *db, int64_t dossier_id,
                        json_t **out, struct mc_err *err) MC_WUR;
/* Count events with this action on the dossier. */
int mc_q_dossier_count_action(struct mc_db *db, int64_t dossier_id,
                              const char *action, int64_t *n,
                              struct mc_err *err) MC_WUR;

/* Next daily sequence number for (unit, local day). */
int mc_q_code_next(struct mc_db *db, int64_t unit_id, int32_t day,
                   int64_t *seq, struct mc_err *err) MC_WUR;

/* Ledger: open a step; close the open step (frozen outcome). */
int mc_q_step_open(struct mc_db *db, int64_t dossier_id, int step_seq,
                   const char *name, int64_t unit_id, int64_t holder_id,
                   int64_t arrived_at, int64_t due_at,
                   struct mc_err *err) MC_WUR;
int mc_q_step_close(struct mc_db *db, int64_t dossier_id, int64_t left_at,
                    int64_t finished_by, struct mc_err *err) MC_WUR;
int mc_q_step_set_holder(struct mc_db *db, int64_t dossier_id,
                         int64_t holder_id, struct mc_err *err) MC_WUR;
/* Ledger rows as a JSON array. */
int mc_q_dossier_steps(struct mc_db *db, int64_t dossier_id, json_t **out,
                       struct mc_err *err) MC_WUR;

/* Listing (scope given as path range; applicant_id > 0 for citizens). */
struct mc_q_dossier_scope {
    int all;                     /* admins */
    const char *path_lo, *path_hi;
    int64_t applicant_id;
};
/* The list counts matching rows exactly up to this many. */
#define MC_Q_DOSSIER_LIST_CAP 10000
/* One row of a dossier list page, as read (strings borrowed from the
 * statement: valid during the callback only; code NULL before receipt;
 * 0 for a NULL instant or assignee). */
struct mc_q_dossier_row {
    int64_t id;
    const char *code, *procedure_code, *procedure_name, *applicant_name;
    const char *state;
    int64_t status, channel;
    int64_t submitted_at, received_at, due_at, finished_at;
    int64_t assignee_id, unit_id;
};
/*
 * One page of the dossiers in scope s matching f (borrowed), ordered by
 * due date (none last), then id. The WHERE clause holds only the filters
 * present, so each combination uses its index (at most 16 filter
 * combinations x 3 scopes x 3 statements: a bounded set of cached texts).
 * *total is the exact number of matching rows when it is at most
 * MC_Q_DOSSIER_LIST_CAP; otherwise *total = MC_Q_DOSSIER_LIST_CAP and
 * *capped = 1 (the count stops there). The count is not run when it is
 * known from the page: offset 0 and fewer rows than f->limit. Each row
 * is given to row_fn (with ctx) in order, as it is stepped; a non-MC_OK
 * return stops the page and is returned. *total and *capped are set
 * before the first row when the count runs first, else after the last.
 * Strings built in a.
 */
int mc_q_dossier_list(struct mc_db *db, const struct mc_q_dossier_scope *s,
                      const struct mc_dossier_filter *f, int64_t actor_id,
                      struct mc_arena *a,
                      int (*row_fn)(void *ctx,
                                    const struct mc_q_dossier_row *row),
                      void *ctx, int64_t *total, int *capped,
                      struct mc_err *err) MC_WUR;

/* Public view by code (joins unit and procedure names). */
int mc_q_dossier_public(struct mc_db *db, const char *code, json_t **out,
                        struct mc_err *err) MC_WUR;

/* Files. */
int mc_q_file_put(struct mc_db *db, const char *sha256, int64_t size,
                  const char *mime, int64_t now, struct mc_err *err) MC_WUR;
int mc_q_dossier_file_add(struct mc_db *db, int64_t dossier_id,
                          int64_t component_id, const char *sha256,
                          const char *name, const char *mime, int64_t size,
                          int64_t by, int64_t at, int64_t *id,
                          struct mc_err *err) MC_WUR;
int mc_q_dossier_files(struct mc_db *db, int64_t dossier_id, json_t **out,
                       struct mc_err *err) MC_WUR;
/*
 * sha256, name and mime (copies from a) of attachment file_id of owner_id,
 * read by sql ("SELECT sha256, name, mime FROM <table> WHERE <owner> = ?
 * AND id = ?"): the attachment tables of dossiers and of feedback. None:
 * 404 file_not_found with message. sql and message are borrowed.
 */
int mc_q_attachment_get(struct mc_db *db, const char *sql, int64_t owner_id,
                        int64_t file_id, struct mc_arena *a,
                        const char **sha256, const char **name,
                        const char **mime, const char *message,
                        struct mc_err *err) MC_WUR;
/* One file row: sha256, name, mime (arena). */
int mc_q_dossier_file_get(struct mc_db *db, int64_t dossier_id,
                          int64_t file_id, struct mc_arena *a,
                          const char **sha256, const char **name,
                          const char **mime, struct mc_err *err) MC_WUR;

#endif

/*
 * Supplement pauses of a dossier from its events: pairs of
 * (request_supplement.at, supplement_received.at); the last pair's end is
 * 0 while still open. from and to: arena arrays of *n entries.
 */
int mc_q_dossier_pauses(struct mc_db *db, int64_t dossier_id,
                        struct mc_arena *a, int64_t **from, int64_t **to,
                        int *n, struct mc_err *err) MC_WUR;

/* *ok = 1 if component_id belongs to procedure version procedure_id. */
int mc_q_component_of(struct mc_db *db, int64_t component_id,
                      int64_t procedure_id, int64_t *ok,
                      struct mc_err *err) MC_WUR;
