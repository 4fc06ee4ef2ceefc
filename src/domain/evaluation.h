/*
 * evaluation.h - citizens' evaluations of finished dossiers (TT 01/2018
 * Điều 12-14), the facts frozen when a dossier finishes, the per unit x
 * procedure x day counters kept incrementally in the transition's
 * transaction, and the pure scoring formulas of TT 01/2018 and Decision
 * 766 (BRIEF 2.3 and 3).
 *
 * Evaluation channels, each at most once per dossier (409
 * already_evaluated on a second one):
 *   online  the applicant (citizen account) of the dossier;
 *   kiosk   no login: dossier code + receipt secret (mc_eval_kiosk_secret);
 *   desk    a desk officer of the receiving unit enters a paper form.
 * Only finished dossiers (done, rejected, returned) are evaluated (409
 * not_finished). Citizens judge criteria 1, 3, 4 and 7 (2/1/0 each,
 * optional) and give an overall satisfaction (required) and a comment.
 *
 * The 766 on-time rule (mc_eval_on_time): more than one supplement
 * request makes a dossier late; a rescheduled dossier is measured against
 * its new appointment (NgayHenTra, chosen knowing the pauses); otherwise
 * the finish instant minus the supplement waiting time is compared with
 * the appointment computed at receipt (due_original).
 */
#ifndef MC_DOMAIN_EVALUATION_H
#define MC_DOMAIN_EVALUATION_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/err.h"

struct mc_dossier;

enum mc_eval_channel { MC_EV_ONLINE = 0, MC_EV_KIOSK, MC_EV_DESK };

/* Stored satisfaction names; index = enum value. */
enum mc_eval_sat {
    MC_SAT_VERY = 0,
    MC_SAT_SATISFIED,
    MC_SAT_DISSATISFIED,
    MC_SAT__COUNT
};
/* Parse a satisfaction name; -1 if unknown. */
int mc_eval_sat_parse(const char *s);
const char *mc_eval_sat_name(int s);
const char *mc_eval_channel_name(enum mc_eval_channel c);

/* Length of the kiosk receipt secret (hex characters). */
#define MC_EVAL_SECRET_LEN 6

/*
 * The kiosk receipt secret of a dossier: the last 6 hex characters of
 * SHA-256(code || decimal received_at seconds). out >= 7 bytes. Printed on
 * the receipt; it proves the evaluator holds the receipt.
 */
void mc_eval_kiosk_secret(const char *code, int64_t received_at, char *out);

/* One evaluation to record (strings borrowed). */
struct mc_evaluation_in {
    int64_t dossier_id;          /* online/desk: the dossier */
    const char *code, *secret;   /* kiosk: dossier code + receipt secret */
    int c1, c3, c4, c7;          /* 0..2, or -1 = not judged */
    const char *satisfaction;
    const char *comment;         /* may be NULL */
};

/* Context of an evaluation write (run via mc_writer_run/mc_http_write). */
struct mc_eval_wctx {
    const struct mc_actor *actor; /* role NONE for the kiosk */
    int kiosk;                    /* 1: public kiosk channel */
    int64_t now;
    struct mc_arena *arena;
    const struct mc_evaluation_in *in;
    json_t *out;                  /* the stored evaluation (new ref) */
};

/*
 * Record an evaluation under the channel rules above, add it to the
 * rollup and append the audit record. 400/422 bad scores or satisfaction,
 * 403 not the applicant / not a desk officer of the receiving unit, 404
 * unknown dossier or (kiosk) code and secret that do not match, 409
 * not_finished / already_evaluated.
 */
int mc_evaluation_submit(struct mc_db *db, struct mc_eval_wctx *ctx,
                         struct mc_err *err) MC_WUR;

/*
 * The evaluations of dossier id as JSON {dossier_id, finished, channels
 * left, items}; officials of the dossier also get kiosk_secret. Scope as
 * mc_dossier_get (404/403).
 */
int mc_evaluation_get(struct mc_db *db, const struct mc_actor *actor,
                      int64_t id, struct mc_arena *a, json_t **out,
                      struct mc_err *err) MC_WUR;

/* ---- frozen facts and rollups ---- */

/* Facts of one finished dossier, frozen at approve/reject. */
struct mc_eval_facts {
    int64_t dossier_id, unit_id, official_id;
    const char *unit_path, *procedure_code;
    int channel;
    int rejected;                /* 1: reject, 0: approve */
    int64_t received_at, finished_at, due_at, due_original;
    int64_t paused_seconds, processing_seconds;
    int supplements, reschedules;
    int on_time, early;
    int64_t files;
    int e_result;
    int c2;                      /* TT 01 criterion 2 from the ledger, -1 */
};

/* Rollup counters; index = column of eval_rollup (same order). */
enum mc_rollup_col {
    MC_RC_RECEIVED = 0,
    MC_RC_RECEIVED_ONLINE,
    MC_RC_FINISHED,
    MC_RC_ON_TIME,
    MC_RC_EARLY,
    MC_RC_FINISHED_ONLINE,
    MC_RC_DIGITISED,
    MC_RC_E_RESULT,
    MC_RC_SUPPLEMENTS,
    MC_RC_PROCESSING_SECONDS,
    MC_RC_RETURNED,
    MC_RC_WITHDRAWN,
    MC_RC_EVAL_VERY,
    MC_RC_EVAL_SATISFIED,
    MC_RC_EVAL_DISSATISFIED,
    MC_RC_ONLINE_ON_TIME,        /* 010: online dossiers finished on time */
    MC_RC_DIGITISED_E_RESULT,    /* 010: attachments and an e-result */
    MC_RC__COUNT
};

/* An increment of one rollup row (strings borrowed). */
struct mc_rollup_delta {
    int64_t unit_id;
    const char *unit_path, *procedure_code;
    int32_t day;
    int64_t v[MC_RC__COUNT];
};

/*
 * Pure: is a finished dossier on time under the 766 rule (see above)?
 * *early (may be NULL) is set to 1 when it finished on a day before the
 * reference due day. Dossiers without a due date are on time.
 */
int mc_eval_on_time(const struct mc_eval_facts *f, int *early);

/* Pure: end - start - supplement waiting time, never negative. */
int64_t mc_eval_processing_seconds(int64_t received_at, int64_t finished_at,
                                   int64_t paused_seconds);

/*
 * The lifecycle hook, called by mc_dossier_transition after its audit
 * record, in its transaction: receive adds to received; approve/reject
 * freeze the facts row and add to finished (on time, early, online,
 * digitised, e-result, supplement rounds, processing time); return_result
 * adds to returned; stop adds to withdrawn. Errors roll back the
 * transition.
 */
int mc_evaluation_on_transition(struct mc_db *db, int64_t now,
                                const char *action,
                                const struct mc_dossier *d,
                                struct mc_err *err) MC_WUR;

/*
 * Recompute every rollup row from the raw data (dossiers' receipt, the
 * frozen facts, return and stop events, evaluations) and compare with the
 * incrementally maintained table, and the monthly table with the daily
 * one summed by month: *mismatches = rows that differ (0 when they
 * agree).
 */
int mc_evaluation_rollup_check(struct mc_db *db, int64_t *mismatches,
                               struct mc_err *err) MC_WUR;

/* ---- scoring formulas (pure) ---- */

/* Round half away from zero to 1 decimal (TT 01/2018 Điều 15.2). */
double mc_eval_round1(double v);

/*
 * TT 01 criterion 1/2 (time vs limit): 2 when finished on a day before
 * the due day, 1 on the due day (or earlier the same day), 0 later.
 * due == 0: -1 (no data).
 */
int mc_tt01_time_score(int64_t finished_at, int64_t due_at);

/* TT 01 criterion 3 (contacts = supplement requests): 0->2, 1->1, >1->0. */
int mc_tt01_contacts_score(int supplements);

/*
 * TT 01 criterion 8 (PAKN): on_time of total; total 0 -> 2; 100% on time
 * and none protracted -> 2; >= 90% and none protracted -> 1; else 0.
 */
int mc_tt01_feedback_score(int64_t on_time, int64_t total, int protracted);

/*
 * TT 01 criterion 9 (online delivery) from the online share of received
 * dossiers and whether any online dossier is overdue: >= 30% and none
 * overdue -> 2; 15-<30% and none overdue -> 1; else 0; total 0 -> -1.
 */
int mc_tt01_online_score(int64_t online, int64_t total, int overdue_online);

/* Official band (max 10): 0 ">=5 full", 1 "3.5-<5", 2 "<3.5". */
int mc_tt01_official_band(double score);
/* Unit band (max 18): 0 xuất sắc >=15, 1 tốt, 2 khá, 3 trung bình, 4 yếu. */
int mc_tt01_unit_band(double score);
const char *mc_tt01_unit_band_name(int band);

/*
 * Decision 766 linear rule: rate (0..1) at or above threshold earns max;
 * below it rate * max / threshold; denominator 0 -> -1 (no data).
 */
double mc_766_points(int64_t num, int64_t den, double max, double threshold);

/* 766 indicator 5.4: 1 - (overdue/total + complaints/total), floor 0. */
double mc_766_satisfaction_rate(int64_t overdue, int64_t complaints,
                                int64_t total);

#endif
