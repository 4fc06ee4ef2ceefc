/*
 * q_catalog.h - queries of the procedure catalog (tables of
 * migrations/003_catalog.sql) and the row structures they fill.
 *
 * The structures are the catalog's data model; domain/catalog.h builds on
 * them. Every string of a row read here is allocated in the caller's arena
 * and lives as long as it; NULL stands for SQL NULL. These functions check
 * nothing beyond what the schema enforces: validation is the domain's job.
 */
#ifndef MC_DB_Q_CATALOG_H
#define MC_DB_Q_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/err.h"

/* Time-limit units (procedures.limit_unit). */
#define MC_UNIT_WORKDAYS "workdays"
#define MC_UNIT_HALFDAYS "halfdays"
#define MC_UNIT_WORKHOURS "workhours"
#define MC_UNIT_SAMEDAY "sameday"

/* One required dossier component (thành phần hồ sơ). */
struct mc_component {
    int64_t id;                /* 0 until stored */
    int seq;                   /* 1-based display order */
    int source_seq;            /* order in the source, 0 if none */
    const char *section;       /* case heading, NULL for none */
    const char *name;
    const char *kind;          /* original|certified|copy|both|any */
    int qty_original;
    int qty_copy;
    const char *quantity_text; /* source text, e.g. "1 bản chính", or NULL */
    int mandatory;
    const char *form_file;     /* NULL if none */
};

/* One internal process step with its budget. */
struct mc_step {
    int64_t id;
    int seq;                /* 1-based */
    const char *name;
    const char *role;       /* desk|specialist|leader */
    int64_t budget_minutes; /* working minutes, > 0 */
};

/* One version of a procedure. */
struct mc_procedure {
    int64_t id;
    const char *code;
    int version;
    const char *name;
    const char *search_key;
    const char *field;
    const char *level;
    int64_t limit_value;    /* 0 when incomplete */
    const char *limit_unit; /* MC_UNIT_*, NULL when incomplete */
    int unit_assumed;
    int incomplete;
    int cutoff_15h;
    const char *pause_policy; /* restart|subtract */
    const char *fee_text;
    int64_t fee_amount;       /* VND; -1 when not a fixed amount */
    const char *online_level; /* full|partial|none */
    const char *channels;     /* "online|post|counter" subset, or "" */
    const char *decision_no;
    const char *competent_agency;
    const char *implementing_agency;
    const char *source;
    const char *portal_url;
    const char *limit_by_channel;
    const char *fee_by_channel;
    const char *src_limit_value; /* the source's statement, verbatim */
    const char *src_limit_unit;
    const char *notes;
    int64_t effective_from;
    int64_t effective_to; /* 0 = open */
    int active;
    int64_t created_at;
    struct mc_component *components; /* arena array, NULL when none */
    size_t ncomponents;
    struct mc_step *steps; /* arena array, NULL when none */
    size_t nsteps;
};

/* Search filter of mc_q_proc_search. Strings borrowed. */
#define MC_Q_MAX_WORDS 8
struct mc_q_proc_filter {
    const char *words[MC_Q_MAX_WORDS]; /* folded; all must occur */
    int nwords;
    const char *code_prefix; /* or-match on code; NULL for none */
    const char *field;       /* exact field, NULL for any */
    int want_incomplete;     /* with want_unit_assumed: OR of the two */
    int want_unit_assumed;
    int64_t limit;
    int64_t offset;
};

/*
 * Read one procedure version by id (header only: components and steps are
 * left NULL). MC_ENOTFOUND (err filled, 404) if there is none.
 */
int mc_q_proc_by_id(struct mc_db *db, int64_t id, struct mc_arena *a,
                    struct mc_procedure *out, struct mc_err *err) MC_WUR;
/* The latest version of code (effective_to NULL), header only. */
int mc_q_proc_latest(struct mc_db *db, const char *code, struct mc_arena *a,
                     struct mc_procedure *out, struct mc_err *err) MC_WUR;
/* The version of code in force at instant at, header only. */
int mc_q_proc_in_force(struct mc_db *db, const char *code, int64_t at,
                       struct mc_arena *a, struct mc_procedure *out,
                       struct mc_err *err) MC_WUR;
/*
 * Version id with its components and steps, like mc_q_proc_by_id plus
 * mc_q_proc_load_detail, from a per-connection memo (mc_db_memo) after
 * the first load: a version's columns, components and steps never change
 * once stored, except effective_to and active when a newer version
 * closes it, which callers of this function must not read (use
 * mc_q_proc_by_id for those). *out is borrowed: the memo's entry, valid
 * until db next rolls back or closes (use it within one write, do not
 * keep it), or a copy in arena a when the memo is full.
 * MC_ENOTFOUND (404) if there is none.
 */
int mc_q_proc_version(struct mc_db *db, int64_t id, struct mc_arena *a,
                      const struct mc_procedure **out,
                      struct mc_err *err) MC_WUR;
/* Load p->components and p->steps of version p->id into arena a. */
int mc_q_proc_load_detail(struct mc_db *db, struct mc_procedure *p,
                          struct mc_arena *a, struct mc_err *err) MC_WUR;

/*
 * Latest versions matching f, ordered by code, header only: *out an arena
 * array of *n rows; *total the number of matches without paging.
 */
int mc_q_proc_search(struct mc_db *db, const struct mc_q_proc_filter *f,
                     struct mc_arena *a, struct mc_procedure **out,
                     size_t *n, int64_t *total, struct mc_err *err) MC_WUR;

/*
 * Insert p as a new version with its components and steps (p borrowed);
 * sets p->id and the ids of its components and steps. Must run inside a
 * write transaction. MC_ECONFLICT if (code, version) exists or another
 * open version of code exists.
 */
int mc_q_proc_insert(struct mc_db *db, struct mc_procedure *p,
                     struct mc_err *err) MC_WUR;
/* Close the open version id at instant to (sets effective_to). */
int mc_q_proc_close(struct mc_db *db, int64_t id, int64_t to,
                    struct mc_err *err) MC_WUR;

#endif
