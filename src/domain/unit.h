/*
 * unit.h - organisation units: a tree of any depth.
 *
 * Since 1/7/2025 a province has communes/wards directly below it; before
 * that, districts stood in between (kept as historical units with
 * valid_to set). Provincial departments (sở), the provincial one-stop
 * centre and each department's one-stop desk are units too. Every unit has
 * an agency code (QĐ 20/2020: groups of [0-9A-Z] separated by dots, at most
 * 35 characters) that prefixes its dossier codes, and a materialised path
 * '/1/5/27/' that scopes officials to a subtree (mc_actor_covers).
 *
 * The record type struct mc_unit is declared in db/q_units.h.
 */
#ifndef MC_DOMAIN_UNIT_H
#define MC_DOMAIN_UNIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/q_units.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/err.h"

#define MC_UNIT_NAME_CHARS 200 /* code points */
#define MC_UNIT_SEARCH_MAX 100 /* rows returned by a search at most */

/* Flags of mc_unit_search. */
#define MC_UNIT_INCLUDE_HISTORICAL 1

/* Input and output of mc_unit_create (the ctx of the write function). */
struct mc_unit_create {
    const struct mc_actor *actor; /* borrowed; must be admin or system */
    int64_t parent_id;            /* 0 = a root (only provinces) */
    const char *code;             /* agency code, borrowed */
    const char *gso_code;         /* digits or NULL, borrowed */
    const char *name;             /* UTF-8, stored NFC, borrowed */
    const char *kind;             /* see mc_unit_kind_valid */
    int64_t valid_from;           /* instant or 0 */
    int64_t valid_to;             /* instant or 0 (still valid) */
    /* out */
    int64_t id;
    char path[MC_UNIT_PATH_LEN];
};

/* 1 if kind is one of province, district, commune, department, desk,
 * center, other. */
int mc_unit_kind_valid(const char *kind);
/* Vietnamese label of a kind ("Tỉnh/Thành phố", "Xã/Phường", ...). */
const char *mc_unit_kind_label_vi(const char *kind);
/*
 * 1 if code is a valid agency code: 1..35 chars, groups of [0-9A-Z]
 * separated by single dots (so it cannot break a dossier code
 * "<code>-YYMMDD-NNNN").
 */
int mc_unit_code_valid(const char *code);
/* 1 if the unit is in force at instant now. */
int mc_unit_is_current(const struct mc_unit *u, int64_t now);

/*
 * The exclusive upper bound of the range of unit paths in the subtree of
 * path: "/1/5/" -> "/1/50" (the trailing '/' becomes '0', the next
 * byte), so that path <= p < hi holds exactly for path and the paths
 * below it. mc_unit_path_hi writes it into the caller's hi (hisz bytes;
 * a path that does not fit is copied truncated and not bumped; "" gives
 * ""); mc_unit_path_hi_dup returns a copy allocated from a, or NULL when
 * a is out of memory. path is only read.
 */
void mc_unit_path_hi(const char *path, char *hi, size_t hisz);
const char *mc_unit_path_hi_dup(struct mc_arena *a, const char *path);

/*
 * Write function (db/writer.h): create the unit described by ctx (a
 * struct mc_unit_create *, borrowed), compute its path and depth from the
 * parent, and append the audit record "unit.create". Fills ctx->id and
 * ctx->path. Errors: MC_EFORBIDDEN unless the actor is admin/system;
 * MC_EINVAL (err->field names the field) on bad input; MC_ENOTFOUND for an
 * unknown parent; MC_ECONFLICT when the code is already used.
 */
int mc_unit_create(struct mc_db *db, void *ctx, struct mc_err *err) MC_WUR;

/* Unit by id or by agency code into *out. MC_ENOTFOUND (404) if absent. */
int mc_unit_get(struct mc_db *db, int64_t id, struct mc_unit *out,
                struct mc_err *err) MC_WUR;
int mc_unit_get_by_code(struct mc_db *db, const char *code,
                        struct mc_unit *out, struct mc_err *err) MC_WUR;

/*
 * Direct children of parent_id (0: the roots), ordered by folded name.
 * Units are public reference data: no actor needed. *out (n entries) is
 * allocated in arena a.
 */
int mc_unit_children(struct mc_db *db, int64_t parent_id, struct mc_arena *a,
                     struct mc_unit **out, size_t *n,
                     struct mc_err *err) MC_WUR;

/*
 * The subtree rooted at root_id (root first, then by path), for an actor
 * allowed to act there (mc_actor_covers of the root's path): MC_EFORBIDDEN
 * otherwise, MC_ENOTFOUND for an unknown root. *out in arena a.
 */
int mc_unit_subtree(struct mc_db *db, const struct mc_actor *actor,
                    int64_t root_id, struct mc_arena *a,
                    struct mc_unit **out, size_t *n,
                    struct mc_err *err) MC_WUR;

/*
 * Units whose folded name contains the folded query ("ba dinh" finds
 * "Phường Ba Đình"), at most limit (1..MC_UNIT_SEARCH_MAX) rows. Only units
 * in force now unless flags has MC_UNIT_INCLUDE_HISTORICAL. An empty query
 * matches all. MC_EINVAL for invalid UTF-8 or a query over 200 bytes.
 */
int mc_unit_search(struct mc_db *db, const char *query, int flags, int limit,
                   struct mc_arena *a, struct mc_unit **out, size_t *n,
                   struct mc_err *err) MC_WUR;

/*
 * JSON view of a unit (new reference, caller json_decref; NULL on OOM):
 * {"id","parent_id","code","gso_code","name","kind","kind_label","path",
 *  "depth","valid_from","valid_to","current"}; absent values are null,
 * instants in Vietnam local ISO form.
 */
json_t *mc_unit_json(const struct mc_unit *u);

#endif
