/*
 * feedback.h - citizen feedback and petitions (phản ánh, kiến nghị; NĐ
 * 20/2008 as amended by 48/2013 and 92/2017; BRIEF section 5).
 *
 * A feedback is received from the web (a logged-in citizen, or anonymous
 * with a name and a phone or e-mail), transcribed at the desk (channel
 * phone or paper) or sent by a partner system (api), and routed to the
 * competent unit. Its working-day deadlines come from the effective-dated
 * feedback_deadlines table (defaults: reject 2, request more information
 * 5, answer 15 working days from receipt or from the last forwarding;
 * publish 2 working days after the answer; forward within 5). Each
 * deadline is the end of its working day in the calendar.
 *
 * States: received -> info_requested -> drafted -> answered -> published,
 * or received -> rejected. A specialist (or leader) drafts the answer, a
 * leader approves it, which sends it; an answer must pass the quality
 * gates (mc_feedback_answer_check and the near-duplicate check). The
 * citizen rates an answer once. Published answers are public with the
 * personal data removed (mc_feedback_mask).
 */
#ifndef MC_DOMAIN_FEEDBACK_H
#define MC_DOMAIN_FEEDBACK_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "db/writer.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/err.h"

struct mc_calendar;

/* Similarity at or above which an answer is a near-duplicate. */
#define MC_FEEDBACK_DUP_THRESHOLD 0.85
/* Words per shingle of the near-duplicate check. */
#define MC_FEEDBACK_SHINGLE 3

struct mc_feedback {
    int64_t id;
    const char *ref, *channel, *category, *title, *content;
    int64_t citizen_id;
    const char *contact_name, *contact_phone, *contact_email, *address;
    int has_geo;
    double lat, lon;
    int64_t dossier_id, official_id, unit_id;
    const char *unit_path, *unit_name, *unit_code;
    const char *state;
    int64_t received_at, first_received_at;
    int64_t due_reject, due_info, due_answer, due_publish, forward_until;
    int forwards;
    const char *state_note;
    const char *answer_text, *answer_fold, *decision, *legal_basis;
    int64_t drafted_by, drafted_at, approved_by, answered_at, published_at;
    const char *rating;
    int64_t rated_at;
    int overdue_level;
    int64_t created_by, updated_at;
};

/* 1 if s is a category: regulation_or_procedure, official_conduct_or_delay,
 * other. */
int mc_feedback_category_known(const char *s);
/* 1 if s is a handling decision: amend_or_abolish_rule,
 * recommend_to_competent_body, explain_current_rule, act_against_official,
 * other_specific. */
int mc_feedback_decision_known(const char *s);

/*
 * Jaccard similarity of the sets of MC_FEEDBACK_SHINGLE-word shingles of
 * two texts already folded with mc_fold (words: runs of letters/digits;
 * texts shorter than a shingle use their single words). 1.0 for two
 * identical texts, 0.0 when one is empty. Scratch memory from a.
 * MC_ENOMEM on arena exhaustion.
 */
int mc_feedback_similarity(struct mc_arena *a, const char *fold_a,
                           const char *fold_b, double *out) MC_WUR;

/*
 * Copy of s in a with e-mail addresses and phone numbers (9..15 digits,
 * with spaces, dots, dashes, parentheses or a leading +) replaced by
 * "[đã ẩn]". NULL on OOM; "" for NULL s.
 */
char *mc_feedback_mask(struct mc_arena *a, const char *s);

/*
 * The content gates of an answer to f (no database): text must cite the
 * subject (contain f's reference number, or its folded title, or every
 * title word of 3+ characters), decision must be known, legal_basis is
 * required for explain_current_rule. 422 with codes answer_missing_subject
 * (field text), decision_required / unknown_decision (decision),
 * legal_basis_required (legal_basis).
 */
int mc_feedback_answer_check(const struct mc_feedback *f, const char *text,
                             const char *decision, const char *legal_basis,
                             struct mc_arena *a, struct mc_err *err) MC_WUR;

/* Input of mc_feedback_create (borrowed strings), the write ctx. */
struct mc_feedback_new {
    const struct mc_actor *actor;    /* role NONE: anonymous web intake */
    const struct mc_calendar *cal;
    struct mc_arena *arena;
    int64_t now;
    const char *channel;             /* NULL: from the actor's role */
    int open311;                     /* 1: Open311 intake (key checked) */
    const char *category, *title, *content;
    const char *contact_name, *contact_phone, *contact_email, *address;
    int has_geo;
    double lat, lon;
    const char *unit_code;           /* competent unit; or the dossier's */
    int64_t dossier_id, official_id;
    json_t *out;                     /* result (new reference) */
};

/*
 * Write function: validate and record a feedback, compute its deadlines,
 * audit "feedback.create". 400 bad fields (contact required without a
 * citizen account, channel phone/paper only from the desk), 422 unknown
 * unit / dossier / official. An anonymous web sender's answer carries,
 * once, "upload_key" (and "upload_key_expires_at"): the key to attach
 * files to it for MC_FEEDBACK_UPLOAD_KEY_TTL seconds (only its hash is
 * stored). Open311 intake (open311 = 1, anonymous
 * actor) has channel open311 and needs a phone or an e-mail only.
 */
int mc_feedback_create(struct mc_db *db, void *ctx, struct mc_err *err)
    MC_WUR;

/* An action on one feedback (borrowed strings), the write ctx. */
struct mc_feedback_op {
    const struct mc_actor *actor;
    const struct mc_calendar *cal;
    struct mc_arena *arena;
    int64_t now;
    int64_t id;
    const char *action;   /* forward reject request_info answer approve
                             publish rate */
    const char *unit_code, *reason, *text, *decision, *legal_basis;
    const char *rating;
    json_t *out;          /* result (new reference) */
};

/*
 * Write function: run op->action on feedback op->id in the caller's
 * transaction with an audit record "feedback.<action>". 403 role or
 * scope, 404 unknown id, 409 wrong state (code wrong_state) or
 * already_rated, 422 forward_window_closed, the answer gates and
 * answer_near_duplicate (field text).
 */
int mc_feedback_act(struct mc_db *db, void *ctx, struct mc_err *err) MC_WUR;

/*
 * Whether actor may read f's answer and answer attachments: once a leader
 * approved the answer (states answered, published) whoever may read f;
 * before that (a draft, or files attached ahead of the draft) only the
 * officials of the handling unit and those covering it (leaders above,
 * inspectors).
 */
int mc_feedback_sees_draft(const struct mc_actor *a,
                           const struct mc_feedback *f);

/*
 * Remove from o (f's JSON, with its "files" when present; borrowed,
 * modified in place) the draft answer, decision, legal basis, drafter and
 * answer attachments when actor may not see the draft
 * (mc_feedback_sees_draft): the submitter sees the answer once sent.
 * MC_OK or MC_ENOMEM.
 */
int mc_feedback_redact_draft(const struct mc_actor *a,
                             const struct mc_feedback *f, json_t *o);

/*
 * The same for a JSON array of f's attachments: *files (owned) is
 * replaced by an array without the answer attachments when actor may not
 * see the draft. MC_OK or MC_ENOMEM (*files unchanged then).
 */
int mc_feedback_redact_files(const struct mc_actor *a,
                             const struct mc_feedback *f, json_t **files);

/*
 * 1 if actor may read f (and its attachments): its citizen, its
 * submitter (the official who transcribed it, the partner that sent it),
 * officials (inspectors included) covering its unit.
 */
int mc_feedback_visible(const struct mc_actor *a, const struct mc_feedback *f);

/*
 * One feedback for actor (mc_feedback_visible); JSON object with
 * personal data and its attachments ("files"). 404 when not visible.
 */
int mc_feedback_get(struct mc_db *db, const struct mc_actor *actor,
                    int64_t id, struct mc_arena *a, json_t **out,
                    struct mc_err *err) MC_WUR;

/*
 * Feedback visible to actor (officials: unit subtree, admin all,
 * citizens: their own), newest first; state NULL = any, a state that
 * does not exist is 400 bad_state.
 */
int mc_feedback_list(struct mc_db *db, const struct mc_actor *actor,
                     const char *state, int limit, int offset,
                     struct mc_arena *a, json_t **items, int64_t *total,
                     struct mc_err *err) MC_WUR;

/*
 * Published feedback without personal data (id 0: the list, newest
 * first, into *out {"items":[...],"total":N}; else one, 404 unless
 * published).
 */
int mc_feedback_public(struct mc_db *db, int64_t id, int limit, int offset,
                       struct mc_arena *a, json_t **out,
                       struct mc_err *err) MC_WUR;

/*
 * Open311 GeoReport v2 representation of f at now (no personal data):
 * service_request_id, status open|closed, status_notes, service_name,
 * service_code, description, agency_responsible, service_notice,
 * requested_datetime, updated_datetime, expected_datetime, address,
 * lat, long, media_url, and the extensions due_datetime, on_time,
 * responsible_unit. New reference, NULL on OOM.
 */
json_t *mc_feedback_open311_json(const struct mc_feedback *f, int64_t now,
                                 struct mc_arena *a);

/* Vietnamese name of a category (the Open311 service_name). */
const char *mc_feedback_category_name(const char *category);

/* Counts of one feedback sweep. */
struct mc_feedback_sweep_stats {
    int overdue, notifications, violations;
};

/*
 * Sweep overdue feedback through w: every open feedback past its answer
 * deadline (or answered and past its publication deadline) notifies the
 * unit's leaders once and records a "feedback_overdue" violation (blamed
 * on the drafter, if any), audited "feedback.sweep". Idempotent.
 */
int mc_feedback_sweep(struct mc_writer *w, int64_t now,
                      struct mc_feedback_sweep_stats *st,
                      struct mc_err *err) MC_WUR;

/* Most attachments on one feedback (intake and answer together). */
#define MC_FEEDBACK_FILES_MAX 20
/* Seconds an anonymous sender's upload key stays valid. */
#define MC_FEEDBACK_UPLOAD_KEY_TTL 3600

/* A new attachment (borrowed strings; the bytes are already stored
 * content-addressed by the caller), the write ctx. */
struct mc_feedback_file_new {
    const struct mc_actor *actor;
    struct mc_arena *arena;
    int64_t now;
    int64_t feedback_id;
    const char *kind;             /* intake | answer */
    const char *upload_key;       /* anonymous sender: the key given
                                     with the intake answer, else NULL */
    const char *sha256, *name, *mime;
    int64_t size;
    json_t *out;                  /* result (new reference) */
};

/*
 * May c->actor attach a c->kind file to the feedback now? intake: its
 * citizen or its submitter (desk, partner), or an anonymous sender with
 * the feedback's unexpired upload key (401 without a key, 403
 * bad_upload_key), while received or info_requested; answer: a specialist or leader covering its unit,
 * before the answer is approved (received, info_requested, drafted).
 * 404 unknown or not visible, 403 wrong person, 409 wrong_state or
 * too_many_files, 400 bad kind. Read-only: run it before storing the
 * bytes, and again (mc_feedback_file_add does) inside the write.
 */
int mc_feedback_file_allowed(struct mc_db *db,
                             const struct mc_feedback_file_new *c,
                             struct mc_err *err) MC_WUR;

/*
 * Inside mc_feedback_create's transaction, for an anonymous web sender:
 * a fresh random upload key for feedback_id, valid until now +
 * MC_FEEDBACK_UPLOAD_KEY_TTL; its SHA-256 is stored, the key itself only
 * set on out (borrowed) as "upload_key" with "upload_key_expires_at".
 */
int mc_feedback_upload_key_issue(struct mc_db *db, int64_t feedback_id,
                                 int64_t now, json_t *out,
                                 struct mc_err *err) MC_WUR;

/* Write function: re-check, record the attachment, audit
 * "feedback.file_upload"; c->out = the file's JSON. */
int mc_feedback_file_add(struct mc_db *db, void *ctx, struct mc_err *err)
    MC_WUR;

/* The attachments of a feedback visible to actor ({"items":[...]}); 404
 * otherwise. Never part of the public page. */
int mc_feedback_files(struct mc_db *db, const struct mc_actor *actor,
                      int64_t id, json_t **out, struct mc_err *err) MC_WUR;

/* One attachment (strings in a) of a feedback visible to actor; 404. */
int mc_feedback_file_get(struct mc_db *db, const struct mc_actor *actor,
                         int64_t id, int64_t file_id, struct mc_arena *a,
                         const char **sha256, const char **name,
                         const char **mime, struct mc_err *err) MC_WUR;

#endif
