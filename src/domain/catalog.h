/*
 * catalog.h - the procedure catalog (danh mục thủ tục hành chính).
 *
 * A procedure (struct mc_procedure, db/q_catalog.h) is identified by its
 * national code (e.g. "1.001612") and versioned by effective date: a
 * version is in force on [effective_from, effective_to), and a dossier
 * keeps the version in force when it was received (store procedures.id).
 *
 * Time limits. limit_unit is one of MC_UNIT_WORKDAYS, _HALFDAYS,
 * _WORKHOURS or _SAMEDAY (done the day of receipt; with cutoff_15h a
 * dossier received after 15:00 is due the next working day, as for
 * chứng thực under Decree 23/2015/NĐ-CP; limit_value is 1). In working
 * minutes: 1 working day = 480, half-day = 240, hour = 60, same day = 480.
 * Flags, shown in the public JSON so an administrator can act on them:
 *   unit_assumed - the source gave a number without "ngày làm việc" (a
 *                  bare number, or "ngày", which may mean calendar days);
 *                  it is loaded as working days until confirmed;
 *   incomplete   - the source gives no limit ("Không có thông tin"); no
 *                  limit and no steps until an administrator enters one.
 * An administrator's update (mc_catalog_update_limit) sets an explicit
 * unit and clears both flags.
 *
 * Steps. Every complete procedure has internal steps whose budgets (in
 * working minutes) add up exactly to the limit. Default split of a limit
 * of T minutes (mc_catalog_default_steps), s = T/8 rounded down to a
 * multiple of 5 minutes (T/8 itself when below 5):
 *   1 Tiếp nhận hồ sơ (desk)        min(s, 240)
 *   2 Thẩm định hồ sơ (specialist)  the rest
 *   3 Phê duyệt (leader)            min(s, 480)
 *   4 Trả kết quả (desk)            min(s, 240)
 * e.g. 1 day: 60 + 300 + 60 + 60; 5 days: 240 + 1620 + 300 + 240.
 *
 * Import (CSV in the format of data/real/procedures.csv and
 * procedure_documents.csv, or the JSON array of mc_catalog_export_json)
 * compares each procedure's content with its latest version: unchanged
 * content makes no version; changed content closes the latest version at
 * the import instant and opens version+1 from it. Values the CSV format
 * does not carry (pause policy, steps, online level beyond what channels
 * imply, mandatory flags) are kept from the latest version. When a source
 * still states the same unclear limit that an administrator has since
 * completed, the administrator's limit stays. Every new version appends an
 * audit record in the same transaction.
 *
 * Reading the source (catalog_io.c): fee "Miễn phí" = 0, "50,000 Việt Nam
 * Đồng" = 50000, otherwise no fixed amount (text kept). Channels Trực
 * tuyến / Dịch vụ bưu chính / Trực tiếp = online / post / counter; the
 * source does not give the toàn trình / một phần level, so a procedure
 * with an online channel is loaded "partial" (at least), else "none".
 * Components are grouped by section in source order. A component is
 * mandatory unless its name states a condition ("Trường hợp...", "trong
 * trường hợp", "(nếu có)", "nếu người có yêu cầu") or its section is one
 * case among several ("a) Đối với...", "Trường hợp...", or one of several
 * headings other than "Giấy tờ phải nộp/xuất trình").
 */
#ifndef MC_DOMAIN_CATALOG_H
#define MC_DOMAIN_CATALOG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/q_catalog.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#define MC_MINUTES_PER_WORKDAY 480
#define MC_MINUTES_PER_HALFDAY 240
#define MC_CATALOG_MAX_LIMIT 3650   /* largest limit_value accepted */
#define MC_CATALOG_MAX_STEPS 20
#define MC_CATALOG_MAX_PAGE 200

/* Search flags (OR-ed: a procedure matches if it has any given flag). */
#define MC_CATALOG_INCOMPLETE 0x1
#define MC_CATALOG_UNIT_ASSUMED 0x2

/* ---- reading ---- */

/*
 * Procedure version id with its components and steps; *out and all its
 * strings are allocated in a (borrowed). MC_ENOTFOUND (404) if none.
 */
int mc_catalog_get(struct mc_db *db, int64_t id, struct mc_arena *a,
                   struct mc_procedure **out, struct mc_err *err) MC_WUR;

/*
 * The version of code in force at instant at (what a dossier received at
 * that instant follows), with components and steps, in arena a.
 * MC_ENOTFOUND (404) if the code is unknown or not yet in force.
 */
int mc_catalog_get_in_force(struct mc_db *db, const char *code, int64_t at,
                            struct mc_arena *a, struct mc_procedure **out,
                            struct mc_err *err) MC_WUR;

/* The latest version of code (possibly not yet in force), with detail. */
int mc_catalog_get_latest(struct mc_db *db, const char *code,
                          struct mc_arena *a, struct mc_procedure **out,
                          struct mc_err *err) MC_WUR;

struct mc_procedure_list {
    struct mc_procedure *items; /* arena array; header fields only */
    size_t n;
};

/*
 * Search the latest versions. q (may be NULL or empty: everything) is
 * folded like search_key (accents, case, đ) and every word must occur in
 * the name; q also matches a code prefix ("1.0016"). field: exact lĩnh vực
 * or NULL. flags: MC_CATALOG_* or 0. limit 1..MC_CATALOG_MAX_PAGE,
 * offset >= 0 (else 400). Items are ordered by code, in arena a, without
 * components or steps; *total counts all matches. Strings borrowed.
 */
int mc_catalog_search(struct mc_db *db, const char *q, const char *field,
                      int flags, int64_t limit, int64_t offset,
                      struct mc_arena *a, struct mc_procedure_list *list,
                      int64_t *total, struct mc_err *err) MC_WUR;

/*
 * Public JSON view of p (borrowed): code, version, name, field, level,
 * time_limit {value, unit, cutoff_15h, minutes} or null, unit_assumed,
 * incomplete, flags ["unit_assumed"|"incomplete"], pause_policy, fee
 * {text, amount}, online_level, channels [...], source fields,
 * effective_from/to and, when detail, components and steps. This is also
 * one element of the JSON export format. New reference (json_decref);
 * NULL on allocation failure.
 */
json_t *mc_catalog_to_json(const struct mc_procedure *p, int detail);

/* Vietnamese label of a limit unit ("ngày làm việc"...); static. */
const char *mc_catalog_unit_label_vi(const char *unit);

/* Working minutes of p's limit (see above); 0 when incomplete. */
int64_t mc_catalog_limit_minutes(const struct mc_procedure *p);
/* Working minutes of value in unit (MC_UNIT_*); 0 if unit is unknown. */
int64_t mc_catalog_unit_minutes(const char *unit, int64_t value);

/*
 * Default steps for a limit of total working minutes into out[0..4)
 * (names are static strings); returns the number of steps: 4, or 0 when
 * total < 8 (no real limit is that short). Budgets add up to total
 * exactly and are all positive.
 */
size_t mc_catalog_default_steps(int64_t total, struct mc_step out[4]);

/*
 * Check p (borrowed) is storable: code "N.NNNNNN", name and field given,
 * limit/unit/flags consistent, enums valid, components well formed, steps
 * present exactly when complete and adding up to the limit. 0 or
 * MC_EINVAL (400, err->field names the culprit).
 */
int mc_catalog_validate(const struct mc_procedure *p,
                        struct mc_err *err) MC_WUR;

/* 1 if s is a national code: digits "." digits, at most 20 bytes. */
int mc_catalog_code_valid(const char *s);
/* 1 if unit is one of MC_UNIT_*. */
int mc_catalog_unit_valid(const char *unit);
/*
 * 1 if a and b (borrowed) have the same content - everything but ids,
 * version, dates and the source's verbatim limit - 0 if not, -1 on OOM.
 */
int mc_catalog_same_content(const struct mc_procedure *a,
                            const struct mc_procedure *b);

/* ---- writing (run through mc_writer_run) ---- */

/* One procedure read from an import file, before merging. */
struct mc_catalog_rec {
    struct mc_procedure p; /* content; id, version, dates are ignored */
    int have_components;   /* 0: keep the latest version's components */
    int have_steps;        /* 0: keep (same limit) or default steps */
    int have_pause_policy; /* 0: keep the latest version's, or restart */
    int have_online_level; /* 0: derive from channels (keeping full) */
    unsigned char *mandatory_given; /* per component, NULL = none given */
    long line;             /* source line for messages, 0 if none */
};

/* Outcome of mc_catalog_apply. */
enum mc_catalog_outcome {
    MC_CATALOG_UNCHANGED = 0,
    MC_CATALOG_CREATED = 1,  /* first version of a new code */
    MC_CATALOG_VERSIONED = 2 /* new version of an existing code */
};

/*
 * Merge rec (borrowed; its arrays may be rewritten) into the catalog as
 * described above, inside the caller's write transaction: validate, and
 * when the content differs from the latest version, close that version at
 * at and insert the new one from at, auditing "catalog.import" as actor
 * (NULL = system) with origin ("csv", "json", "demo") in the payload.
 * Scratch memory from a. *outcome says what happened. MC_ECONFLICT (409)
 * if at is before the latest version's effective_from.
 */
int mc_catalog_apply(struct mc_db *db, const struct mc_actor *actor,
                     int64_t at, const char *origin,
                     struct mc_catalog_rec *rec, struct mc_arena *a,
                     enum mc_catalog_outcome *outcome,
                     struct mc_err *err) MC_WUR;

/* Context of the import write functions. */
struct mc_catalog_import {
    const char *text;  /* borrowed: procedures CSV, or the JSON array */
    size_t len;
    const char *docs;  /* borrowed: documents CSV, or NULL */
    size_t docs_len;
    const struct mc_actor *actor; /* borrowed; NULL = system (CLI) */
    int64_t at;        /* effective_from of new versions, 0 = now */
    int dry_run;       /* 1: validate and count, then roll back */
    /* results */
    int total, created, versioned, unchanged;
};

/*
 * Write functions (mc_write_fn shape, ctx = struct mc_catalog_import *).
 * All or nothing: the first bad row fails the whole import with
 * MC_EINVAL (400, message names the line and err->field the column).
 * Only administrators (or the system) may import: else MC_EFORBIDDEN.
 * _csv reads ctx->text as procedures.csv and ctx->docs (optional; a
 * procedure without rows keeps its components) as procedure_documents.csv.
 * _json reads ctx->text as a JSON array of procedure objects.
 * _demo ignores text/docs and imports the two embedded real CSV files.
 * With ctx->dry_run the whole import (versions and audit records) runs in
 * a savepoint that is rolled back: the counts say what a real import
 * would do, and nothing changes.
 */
int mc_catalog_import_csv(struct mc_db *db, void *ctx,
                          struct mc_err *err) MC_WUR;
int mc_catalog_import_json(struct mc_db *db, void *ctx,
                           struct mc_err *err) MC_WUR;
int mc_catalog_import_demo(struct mc_db *db, void *ctx,
                           struct mc_err *err) MC_WUR;

/* Context of mc_catalog_update_limit. */
struct mc_catalog_update {
    const struct mc_actor *actor; /* borrowed; admin, or NULL = system */
    int64_t at;                   /* effective_from, 0 = now (set) */
    const char *code;             /* borrowed */
    int expect_version;           /* 0 = any, else 409 if not latest */
    int64_t limit_value;          /* 1..MC_CATALOG_MAX_LIMIT (1 sameday) */
    const char *limit_unit;       /* MC_UNIT_*, required */
    int cutoff_15h;               /* only with MC_UNIT_SAMEDAY */
    const char *pause_policy;     /* "restart"/"subtract", NULL = keep */
    const struct mc_step *steps;  /* borrowed; NULL = the current steps
                                     if the limit in minutes is the same,
                                     else the default split */
    size_t nsteps;
    /* results */
    int64_t new_id;  /* id of the version now latest */
    int new_version;
    int changed;     /* 0 if the procedure already had these values */
};

/*
 * Write function (ctx = struct mc_catalog_update *): an administrator
 * sets the time limit, pause policy and steps of the latest version of
 * code, creating a new version from u->at (unless nothing changes) with
 * unit_assumed and incomplete cleared; audited "catalog.update".
 * MC_ENOTFOUND, MC_EFORBIDDEN, MC_ECONFLICT (version), MC_EINVAL.
 */
int mc_catalog_update_limit(struct mc_db *db, void *ctx,
                            struct mc_err *err) MC_WUR;

/*
 * Fill u's limit fields from an API body {limit_value, limit_unit,
 * cutoff_15h, pause_policy, steps: [{name, role, budget_minutes}],
 * expect_version} (borrowed); strings and steps in arena a. Leaves actor,
 * at and code to the caller. MC_EINVAL (400) on bad input.
 */
int mc_catalog_update_from_json(json_t *body, struct mc_arena *a,
                                struct mc_catalog_update *u,
                                struct mc_err *err) MC_WUR;

/* ---- reading source values (shared by the CSV and JSON formats) ---- */

/*
 * Time limit from the source's value and unit texts (borrowed; NULL =
 * empty) into p's limit_value, limit_unit, unit_assumed, incomplete and
 * cutoff_15h. Forms: both empty or "Không có thông tin" -> incomplete;
 * N with "" or "ngày" -> N working days, unit_assumed; N "ngày làm việc"
 * -> workdays; "buổi làm việc" / "nửa ngày làm việc" -> halfdays; "giờ
 * làm việc" / "giờ" -> workhours; "trong ngày" (value empty or 1) ->
 * sameday, with cutoff_15h when the unit mentions "15 giờ". 0 or -1.
 */
int mc_catalog_parse_limit(const char *value, const char *unit,
                           struct mc_procedure *p);
/* Fixed fee in VND of a fee text ("Miễn phí" 0, "50,000 VNĐ"), else -1. */
int64_t mc_catalog_parse_fee(const char *text);
/*
 * "Trực tuyến|Dịch vụ bưu chính|Trực tiếp" (or online|post|counter) ->
 * "online|post|counter" in the given order, duplicates dropped, into
 * arena a. 0, or -1 on an unknown channel.
 */
int mc_catalog_parse_channels(const char *text, struct mc_arena *a,
                              const char **out);
/* "bản chính" -> original, "bản sao" -> copy, "bản chính và bản sao" ->
 * both, "bản sao chứng thực" -> certified, "bản chính hoặc bản sao" ->
 * any (or the English names). *kind static. 0 or -1. */
int mc_catalog_parse_kind(const char *text, const char **kind);
/*
 * Sort c[0..n) by source_seq, then group by section in order of first
 * appearance, and number seq 1..n.
 */
void mc_catalog_order_components(struct mc_component *c, size_t n);

/*
 * Import driver of the formats: mc_catalog_apply each of recs[0..n) in
 * order, counting outcomes into im; the first error stops (message
 * prefixed with the record's line or element number).
 */
int mc_catalog_run_import(struct mc_db *db, struct mc_catalog_import *im,
                          const char *origin, struct mc_catalog_rec *recs,
                          size_t n, struct mc_arena *a,
                          struct mc_err *err) MC_WUR;
/* Prefix err->message with printf(fmt, ...) and ": ". */
void mc_catalog_err_prefix(struct mc_err *err, const char *fmt, ...)
    MC_PRINTF(2, 3);

/* ---- export (read-only, any connection) ---- */

/*
 * Latest versions as procedures.csv into procs and as
 * procedure_documents.csv into docs (either may be NULL); appends.
 * MC_ETOOBIG if a buffer's maximum is reached.
 */
int mc_catalog_export_csv(struct mc_db *db, struct mc_buf *procs,
                          struct mc_buf *docs, struct mc_err *err) MC_WUR;
/* Latest versions as one JSON array (pretty, one procedure per element). */
int mc_catalog_export_json(struct mc_db *db, struct mc_buf *out,
                           struct mc_err *err) MC_WUR;

#endif
