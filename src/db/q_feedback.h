/*
 * q_feedback.h - SQL for feedback, its deadline table, Open311 keys and
 * feedback violations (migration 008_feedback).
 */
#ifndef MC_DB_Q_FEEDBACK_H
#define MC_DB_Q_FEEDBACK_H

#include <stdint.h>

#include "db/db.h"
#include "domain/discipline.h"
#include "domain/feedback.h"
#include "util/arena.h"

/* Next free feedback id (inside the write transaction). */
int mc_q_feedback_next_id(struct mc_db *db, int64_t *id,
                          struct mc_err *err) MC_WUR;
/* Insert f with its id, ref and every column. */
int mc_q_feedback_insert(struct mc_db *db, const struct mc_feedback *f,
                         struct mc_err *err) MC_WUR;
/* Write back the mutable columns of f (state .. updated_at). */
int mc_q_feedback_update(struct mc_db *db, const struct mc_feedback *f,
                         struct mc_err *err) MC_WUR;
/* One feedback with its unit's name and code (strings in a); 404. */
int mc_q_feedback_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                      struct mc_feedback *out, struct mc_err *err) MC_WUR;

/* Filters of a listing: range [lo, hi) unless all; citizen 0 = any. */
struct mc_q_feedback_filter {
    int all;
    const char *lo, *hi;
    int64_t citizen_id;
    const char *state;         /* NULL = any */
    int published_only;
    const char *category;      /* NULL = any */
    int64_t from, to;          /* first receipt in [from, to]; 0 = open */
    int status;                /* 0 any, 1 open, 2 closed (Open311) */
    int limit, offset;
};
/* Newest first: arena array *out of *n, *total all matches. */
int mc_q_feedback_list(struct mc_db *db, const struct mc_q_feedback_filter *f,
                       struct mc_arena *a, struct mc_feedback **out, int *n,
                       int64_t *total, struct mc_err *err) MC_WUR;

/*
 * Working days of (category, step) in force at instant at (latest
 * effective_from <= at). MC_ENOTFOUND (422) if the table has none.
 */
int mc_q_feedback_deadline(struct mc_db *db, const char *category,
                           const char *step, int64_t at, int *days,
                           struct mc_err *err) MC_WUR;

/*
 * Answers already sent (answered or published) by unit_id for feedback
 * other than exclude_id: arena arrays of folded texts and refs, *n.
 */
int mc_q_feedback_unit_answers(struct mc_db *db, int64_t unit_id,
                               int64_t exclude_id, struct mc_arena *a,
                               const char ***folds, const char ***refs,
                               int *n, struct mc_err *err) MC_WUR;

/*
 * Ids of feedback overdue at now and not yet marked: open past the answer
 * deadline with overdue_level 0, or answered past the publication
 * deadline with overdue_level < 2.
 */
int mc_q_feedback_overdue(struct mc_db *db, int64_t now, int max,
                          struct mc_arena *a, int64_t **ids, int *n,
                          struct mc_err *err) MC_WUR;

/* Role name (arena) and unit of an account; MC_ENOTFOUND if none. */
int mc_q_feedback_account(struct mc_db *db, int64_t id, struct mc_arena *a,
                          const char **role, int64_t *unit_id,
                          struct mc_err *err) MC_WUR;
/* Unit of a dossier; MC_ENOTFOUND if none. */
int mc_q_feedback_dossier_unit(struct mc_db *db, int64_t dossier_id,
                               int64_t *unit_id, struct mc_err *err) MC_WUR;

/*
 * Insert a violation v about feedback_id (v->dossier_id 0 = none) unless
 * (feedback_id, rule, occurrence) exists: *id = 0 then.
 */
int mc_q_violation_insert_feedback(struct mc_db *db,
                                   const struct mc_violation *v,
                                   int64_t feedback_id, int64_t *id,
                                   struct mc_err *err) MC_WUR;

/* Insert an Open311 key (hash only); *id the new row. */
int mc_q_open311_key_insert(struct mc_db *db, const char *key_hash,
                            const char *label, int64_t unit_id,
                            int64_t created_by, int64_t now, int64_t *id,
                            struct mc_err *err) MC_WUR;
/* Unit of the unrevoked key with this hash; MC_ENOTFOUND if none. */
int mc_q_open311_key_find(struct mc_db *db, const char *key_hash,
                          int64_t *unit_id, struct mc_err *err) MC_WUR;

/* Attachments (012_feedback_files; the bytes: mc_q_file_put). */
int mc_q_feedback_file_add(struct mc_db *db, int64_t feedback_id,
                           const char *kind, const char *sha256,
                           const char *name, const char *mime, int64_t size,
                           int64_t by, int64_t at, int64_t *id,
                           struct mc_err *err) MC_WUR;
/* [{id, kind, name, mime, size, sha256, at}] by id (new reference). */
int mc_q_feedback_files_json(struct mc_db *db, int64_t feedback_id,
                             json_t **out, struct mc_err *err) MC_WUR;
/*
 * One attachment of feedback_id (strings in a); answers = 0 leaves out the
 * answer attachments. 404 file_not_found.
 */
int mc_q_feedback_file_get(struct mc_db *db, int64_t feedback_id,
                           int64_t file_id, int answers, struct mc_arena *a,
                           const char **sha256, const char **name,
                           const char **mime, struct mc_err *err) MC_WUR;

/* The upload key of an anonymous sender: store its hash; read it back
 * (strings in a; MC_ENOTFOUND, err untouched, when none). */
int mc_q_feedback_upload_key_put(struct mc_db *db, int64_t feedback_id,
                                 const char *key_hash, int64_t expires_at,
                                 struct mc_err *err) MC_WUR;
int mc_q_feedback_upload_key_get(struct mc_db *db, int64_t feedback_id,
                                 struct mc_arena *a, const char **key_hash,
                                 int64_t *expires_at,
                                 struct mc_err *err) MC_WUR;

#endif
