/*
 * q_units.h - SQL of organisation units (table units, 001_core.sql).
 *
 * The record type struct mc_unit lives here so the db layer can fill it;
 * domain/unit.h adds the rules (validation, scope, audit) on top.
 */
#ifndef MC_DB_Q_UNITS_H
#define MC_DB_Q_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/err.h"

#define MC_UNIT_CODE_MAX 36  /* agency code: <= 35 chars + NUL */
#define MC_UNIT_GSO_MAX 16
#define MC_UNIT_NAME_MAX 256 /* bytes, UTF-8 */
#define MC_UNIT_KIND_MAX 16
#define MC_UNIT_PATH_LEN 192 /* same as MC_UNIT_PATH_MAX of actor.h */
#define MC_UNITS_LIST_MAX 20000 /* hard cap on rows of one list */

struct mc_unit {
    int64_t id;
    int64_t parent_id;               /* 0 for a root */
    char code[MC_UNIT_CODE_MAX];     /* agency code, e.g. "H26.00004" */
    char gso_code[MC_UNIT_GSO_MAX];  /* "" when none */
    char name[MC_UNIT_NAME_MAX];
    char kind[MC_UNIT_KIND_MAX];     /* province, district, commune, ... */
    char path[MC_UNIT_PATH_LEN];     /* '/1/5/27/' */
    int depth;                       /* 0 for a root */
    int64_t valid_from;              /* 0 = since ever */
    int64_t valid_to;                /* 0 = still valid */
    int64_t created_at;
};

/*
 * Insert u (borrowed; its id and path are ignored) with the given
 * search_key and a provisional path; *id receives the new id. Set the real
 * path with mc_q_unit_set_path in the same transaction. MC_ECONFLICT when
 * the code is taken or the parent does not exist.
 */
int mc_q_unit_insert(struct mc_db *db, const struct mc_unit *u,
                     const char *search_key, int64_t *id,
                     struct mc_err *err) MC_WUR;
/* Set the materialised path of unit id. */
int mc_q_unit_set_path(struct mc_db *db, int64_t id, const char *path,
                       struct mc_err *err) MC_WUR;

/* Fetch one unit into *out. MC_ENOTFOUND (err untouched) when absent. */
int mc_q_unit_get(struct mc_db *db, int64_t id, struct mc_unit *out,
                  struct mc_err *err) MC_WUR;
int mc_q_unit_by_code(struct mc_db *db, const char *code,
                      struct mc_unit *out, struct mc_err *err) MC_WUR;

/*
 * Lists. *out is an array of *n units allocated in arena a (owned by the
 * arena); *n may be 0. MC_ETOOBIG past MC_UNITS_LIST_MAX rows.
 */
/* Direct children of parent_id (0: the roots), by search key. */
int mc_q_unit_children(struct mc_db *db, int64_t parent_id,
                       struct mc_arena *a, struct mc_unit **out, size_t *n,
                       struct mc_err *err) MC_WUR;
/* Every unit whose path starts with path (the root included), by path. */
int mc_q_unit_subtree(struct mc_db *db, const char *path, struct mc_arena *a,
                      struct mc_unit **out, size_t *n,
                      struct mc_err *err) MC_WUR;
/*
 * Units whose search_key matches the LIKE pattern (with '\' as escape),
 * valid at instant now unless now is 0, at most limit rows.
 */
int mc_q_unit_search(struct mc_db *db, const char *pattern, int64_t now,
                     int limit, struct mc_arena *a, struct mc_unit **out,
                     size_t *n, struct mc_err *err) MC_WUR;

/* Number of units of a kind (NULL: all kinds) into *count. */
int mc_q_unit_count(struct mc_db *db, const char *kind, int64_t *count,
                    struct mc_err *err) MC_WUR;

#endif
