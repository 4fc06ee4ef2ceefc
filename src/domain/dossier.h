/*
 * dossier.h - dossiers (hồ sơ) and their lifecycle: one explicit state
 * machine (BRIEF 1.3-1.5), aligned with the national portal's status codes
 * (Cổng DVCQG TrangThaiHoSo 1..10).
 *
 *   submitted(1) --receive--> received(2) --assign--> processing(4)
 *       |  \--refuse--> refused(3)
 *       \--request_intake_supplement--> intake_supplement(1, clock not
 *           started) --resubmit--> submitted
 *   processing --request_supplement--> supplement(5) --supplement_received
 *   processing --request_payment--> financial(6) --payment_received
 *   processing --consult--> consulting(4) --consult_reply--> processing
 *   processing --submit_for_approval--> pending_approval(4)
 *       --approve--> done(9) --return_result--> returned(10)
 *       --return_for_rework--> processing
 *   processing|pending_approval --reject--> rejected(9) --return_result
 *   open states --reschedule (once, leader, with apology reason)--> same
 *   open states --request_withdrawal (applicant)--> withdraw_requested(7)
 *       --stop--> stopped(8); processing... --stop (leader)--> stopped
 *
 * Every transition is allowed only to the roles the table names and only
 * within the actor's unit scope (or to the applicant for their own
 * dossier); otherwise it is refused with 403 (role/unit) or 409 (state)
 * and nothing changes. Each transition records actor, unit, time, reason
 * and data as an event, updates the step ledger, and appends an audit
 * record, all in one transaction.
 */
#ifndef MC_DOMAIN_DOSSIER_H
#define MC_DOMAIN_DOSSIER_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/json.h"

struct mc_calendar;

enum mc_dstate {
    MC_DS_SUBMITTED = 0,
    MC_DS_INTAKE_SUPPLEMENT,
    MC_DS_REFUSED,
    MC_DS_RECEIVED,
    MC_DS_PROCESSING,
    MC_DS_SUPPLEMENT,
    MC_DS_FINANCIAL,
    MC_DS_CONSULTING,
    MC_DS_PENDING_APPROVAL,
    MC_DS_WITHDRAW_REQUESTED,
    MC_DS_STOPPED,
    MC_DS_DONE,
    MC_DS_REJECTED,
    MC_DS_RETURNED,
    MC_DS__COUNT
};

/* Stored name of a state ("submitted"...); NULL for out-of-range. */
const char *mc_dstate_name(enum mc_dstate s);
/* Parse a stored state name; -1 if unknown. */
int mc_dstate_parse(const char *s);
/* DVCQG status code 1..10 of a state. */
int mc_dstate_dvcqg(enum mc_dstate s);
/* Vietnamese label of a state, for people. */
const char *mc_dstate_label_vi(enum mc_dstate s);
/* 1 if the dossier is closed (refused, stopped, returned). */
int mc_dstate_closed(enum mc_dstate s);

/* Channels (KenhThucHien). */
enum { MC_CH_COUNTER = 1, MC_CH_ONLINE = 2, MC_CH_POST = 3 };

struct mc_dossier {
    int64_t id;
    const char *code;            /* NULL until received */
    int64_t procedure_id;
    const char *procedure_code;
    int64_t recv_unit_id, unit_id;
    const char *recv_unit_path, *unit_path;
    int64_t applicant_id;        /* 0 for counter applicants w/o account */
    const char *applicant_name, *applicant_id_number, *applicant_phone;
    const char *applicant_email, *applicant_address, *summary;
    int channel;
    enum mc_dstate state;
    int64_t submitted_at, received_at, due_at, due_original;
    const char *due_provenance;  /* JSON text or NULL */
    int64_t finished_at, returned_at, refused_at, stopped_at, paused_at;
    int64_t paused_total;
    int reschedules, supplements, step_seq;
    int64_t assignee_id;
    int64_t consult_unit_id;
    const char *consult_unit_path;
    int64_t consult_due;
    const char *result_text;
    int version;
    int64_t updated_at;
};

/* What a new dossier needs (all strings borrowed, NFC already). */
struct mc_dossier_new {
    int64_t procedure_id;        /* or 0 with procedure_code */
    const char *procedure_code;
    int64_t recv_unit_id;        /* receiving unit (citizen online: chosen) */
    int64_t unit_id;             /* handling unit; 0 = recv unit */
    int channel;
    const char *applicant_name, *applicant_id_number, *applicant_phone;
    const char *applicant_email, *applicant_address, *summary;
};

/* A transition request (strings and arrays borrowed). */
struct mc_transition_req {
    const char *action;
    const char *reason;
    int64_t assignee_id;         /* assign */
    int64_t unit_id;             /* consult: the consulted unit */
    int64_t due;                 /* reschedule: new date; consult: deadline */
    const int64_t *components;   /* supplement requests: component ids */
    int ncomponents;
    const char *result;          /* submit_for_approval: result summary */
    int64_t expected_version;    /* 0 = don't check */
};

/* Context of a dossier write (borrowed pointers). */
struct mc_dossier_wctx {
    const struct mc_actor *actor;
    const struct mc_calendar *cal;
    struct mc_arena *arena;
    int64_t now;
    int64_t dossier_id;                      /* transition target */
    const struct mc_dossier_new *create;     /* for create */
    const struct mc_transition_req *tr;      /* for transition */
    struct mc_dossier *out;                  /* result (arena) */
    int checked;                             /* create: check done */
    const char *search_key;                  /* create: set by the check */
};

/*
 * Write functions (run via mc_writer_run / mc_http_write). create: the
 * actor must be a citizen (online, applicant = self), a desk officer of the
 * receiving unit (counter/post) or a partner system. transition: applies
 * ctx->tr to ctx->dossier_id under the lifecycle rules.
 */
int mc_dossier_create(struct mc_db *db, struct mc_dossier_wctx *ctx,
                      struct mc_err *err) MC_WUR;
/*
 * The read-only half of create: role, channel, procedure in force and
 * units, resolved into ctx->out, and the applicant's folded search key
 * (ctx->search_key, in ctx->arena); sets ctx->checked. Run it on a read
 * connection before queueing the write, so the single writer only
 * inserts (procedure versions and units are never deleted, so what it
 * resolved stays valid).
 */
int mc_dossier_create_check(struct mc_db *db, struct mc_dossier_wctx *ctx,
                            struct mc_err *err) MC_WUR;
int mc_dossier_transition(struct mc_db *db, struct mc_dossier_wctx *ctx,
                          struct mc_err *err) MC_WUR;

/*
 * Read one dossier with the actor's scope applied: MC_ENOTFOUND when it
 * does not exist, MC_EFORBIDDEN when the actor may not see it.
 */
int mc_dossier_get(struct mc_db *db, const struct mc_actor *actor,
                   int64_t id, struct mc_arena *a, struct mc_dossier *out,
                   struct mc_err *err) MC_WUR;

/* 1 if actor may see d (officials: unit subtree; citizens: own). */
int mc_dossier_visible(const struct mc_actor *actor,
                       const struct mc_dossier *d);

/*
 * Full JSON view (officials and the applicant) written into b (borrowed,
 * appended to), then, when actions_for (borrowed) is given, the
 * "allowed_actions" that actor has, and when ledger (borrowed) is given,
 * "ledger". No jansson tree is built (see mc_jw in util/json.h): this is
 * the answer of every dossier write. MC_OK, MC_ENOMEM or MC_ETOOBIG.
 */
int mc_dossier_json_write(const struct mc_dossier *d,
                          const struct mc_actor *actions_for, json_t *ledger,
                          struct mc_buf *b) MC_WUR;

/* The same view as a jansson object (new reference; NULL when out of
 * memory), for answers that embed it. */
json_t *mc_dossier_json(const struct mc_dossier *d);

/* Public view by code: status, dates, receiving unit; no personal data. */
int mc_dossier_public(struct mc_db *db, const char *code, json_t **out,
                      struct mc_err *err) MC_WUR;

/* Listing filters. */
struct mc_dossier_filter {
    const char *state;           /* NULL = any */
    const char *q;               /* code prefix or applicant name */
    const char *qfold;           /* folded q (set by mc_dossier_list) */
    int mine;                    /* 1: assigned to the actor */
    int open;                    /* 1: not finished (refused, stopped,
                                    returned, done, rejected) */
    int overdue;                 /* 1: open and due before now */
    int64_t now;
    int limit, offset;
};

struct mc_q_dossier_row;

/*
 * List dossiers visible to actor, ordered by due date, written into out
 * (borrowed, appended to) as the list answer
 * {"items":[...],"total":N,"total_capped":B,"limit":L,"offset":O}
 * without a jansson tree: total exact up to MC_Q_DOSSIER_LIST_CAP, else
 * that cap with total_capped true. Strings built in a. 400 bad_state,
 * 403 for roles without a list, 500/503 when the answer cannot be
 * written; on error out holds a partial text (the caller resets it).
 */
int mc_dossier_list(struct mc_db *db, const struct mc_actor *actor,
                    const struct mc_dossier_filter *f, struct mc_arena *a,
                    struct mc_buf *out, struct mc_err *err) MC_WUR;

/* One element of the list's "items" array (an object; row borrowed),
 * written into w whose array is open: the bytes mc_json_dump wrote for
 * the json_pack object the list built before. */
void mc_dossier_list_item_write(struct mc_jw *w,
                                const struct mc_q_dossier_row *row);

/* Event history of a dossier (scope checked). JSON array. */
int mc_dossier_events(struct mc_db *db, const struct mc_actor *actor,
                      int64_t id, struct mc_arena *a, json_t **out,
                      struct mc_err *err) MC_WUR;

/*
 * The audit payload of a transition, written into b (appended): the text
 * mc_json_canonical writes for json_pack("{s:s,s:s?,s:O}", "from", from,
 * "reason", reason, "data", data) with "state" (d->state) and, when
 * d->code is set, "code" added. All borrowed. MC_OK or MC_ENOMEM/ETOOBIG.
 */
int mc_dossier_audit_payload(struct mc_buf *b, const char *from,
                             const char *reason, json_t *data,
                             const struct mc_dossier *d) MC_WUR;

/* The audit payload of a submission, written into b (appended): the text
 * mc_json_canonical writes for json_pack("{s:I,s:s,s:I,s:I}",
 * "procedure_id", "procedure_code", "receiving_unit_id", "channel") of d
 * with "state" and, when set, "code" added. MC_OK or an error of mc_jw. */
int mc_dossier_audit_payload_submit(struct mc_buf *b,
                                    const struct mc_dossier *d) MC_WUR;

/* The same, as the member "allowed_actions" of an object being written. */
void mc_dossier_allowed_actions_write(const struct mc_actor *actor,
                                      const struct mc_dossier *d,
                                      struct mc_jw *w);

/* Actions the actor may take now on d (for UIs). JSON array of names. */
json_t *mc_dossier_allowed_actions(const struct mc_actor *actor,
                                   const struct mc_dossier *d);

struct mc_procedure;

/*
 * Compute d's due date (the receive transition's rule, also used when a
 * calendar change recomputes open dossiers) under ctx->cal from d's
 * received_at, its procedure version p (borrowed), its supplement pauses
 * (from its events; subtract or restart per p->pause_policy; an open last
 * pause is taken as ending at ctx->now when d->paused_at is 0) and, for
 * hour and half-day limits, the working hours of the handling unit
 * d->unit_id. Sets d->due_at and d->due_provenance (JSON text in
 * ctx->arena); leaves due_original alone. Needs ctx->cal, ctx->arena and
 * ctx->now only. MC_ECONFLICT (409 procedure_incomplete) when p has no
 * confirmed limit, MC_EINVAL for a deadline outside the calendar, MC_EDB.
 */
int mc_dossier_compute_due(struct mc_db *db, struct mc_dossier_wctx *ctx,
                           struct mc_dossier *d,
                           const struct mc_procedure *p,
                           struct mc_err *err) MC_WUR;

#endif
