/*
 * feedback_flow.c - intake, actions, reads and the sweep of feedback
 * (see feedback.h).
 */
#include <stdlib.h>
#include <string.h>

#include "db/q_discipline.h"
#include "db/q_feedback.h"
#include "domain/calendar.h"
#include "domain/discipline.h"
#include "domain/feedback.h"
#include "domain/notify.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/text.h"

/* End (last second) of the n-th working day after the day of `from`. */
static int
due_after(struct mc_db *db, const struct mc_calendar *cal,
          const char *category, const char *step, int64_t from, int64_t *out,
          struct mc_err *err)
{
    int days = 0, rc;
    int32_t day;

    rc = mc_q_feedback_deadline(db, category, step, from, &days, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (cal == NULL ||
        mc_calendar_add_days(cal, mc_local_day(from), days, &day) != MC_OK) {
        return mc_err_set(err, MC_EINVAL, 422, "outside_calendar", NULL,
                          "the working-day calendar does not cover this "
                          "date");
    }
    *out = mc_local_ts(day + 1, 0) - 1;
    return MC_OK;
}

/* Deadlines of steps reject, request_info, answer, forward from `from`. */
static int
set_deadlines(struct mc_db *db, const struct mc_calendar *cal,
              struct mc_feedback *f, int64_t from, struct mc_err *err)
{
    int rc;

    f->received_at = from;
    if ((rc = due_after(db, cal, f->category, "reject", from, &f->due_reject,
                        err)) != MC_OK ||
        (rc = due_after(db, cal, f->category, "request_info", from,
                        &f->due_info, err)) != MC_OK ||
        (rc = due_after(db, cal, f->category, "answer", from, &f->due_answer,
                        err)) != MC_OK) {
        return rc;
    }
    return due_after(db, cal, f->category, "forward", from, &f->forward_until,
                     err);
}

static json_t *
ts_or_null(int64_t t)
{
    return t ? mc_json_ts_value(t) : json_null();
}

static json_t *
id_or_null(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

/* The JSON of f; with_personal = 0 masks and drops personal data. */
static json_t *
to_json(const struct mc_feedback *f, int with_personal, struct mc_arena *a)
{
    json_t *o = json_object();
    const char *content = f->content, *answer = f->answer_text;

    if (o == NULL) {
        return NULL;
    }
    if (!with_personal) {
        content = mc_feedback_mask(a, f->content);
        answer = f->answer_text ? mc_feedback_mask(a, f->answer_text) : NULL;
    }
    json_object_set_new(o, "id", json_integer(f->id));
    json_object_set_new(o, "ref", json_string(f->ref));
    json_object_set_new(o, "category", json_string(f->category));
    json_object_set_new(o, "title", json_string(f->title));
    json_object_set_new(o, "content", content ? json_string(content)
                                              : json_null());
    json_object_set_new(o, "state", json_string(f->state));
    json_object_set_new(o, "unit_id", json_integer(f->unit_id));
    json_object_set_new(o, "unit_code",
                        json_string(f->unit_code ? f->unit_code : ""));
    json_object_set_new(o, "unit_name",
                        json_string(f->unit_name ? f->unit_name : ""));
    json_object_set_new(o, "received_at", ts_or_null(f->received_at));
    json_object_set_new(o, "answer", answer ? json_string(answer)
                                            : json_null());
    json_object_set_new(o, "decision", f->decision ? json_string(f->decision)
                                                   : json_null());
    json_object_set_new(o, "legal_basis", f->legal_basis
                                              ? json_string(f->legal_basis)
                                              : json_null());
    json_object_set_new(o, "answered_at", ts_or_null(f->answered_at));
    json_object_set_new(o, "published_at", ts_or_null(f->published_at));
    if (!with_personal) {
        return o;
    }
    json_object_set_new(o, "channel", json_string(f->channel));
    json_object_set_new(o, "citizen_id", id_or_null(f->citizen_id));
    json_object_set_new(o, "contact_name", f->contact_name
                            ? json_string(f->contact_name) : json_null());
    json_object_set_new(o, "contact_phone", f->contact_phone
                            ? json_string(f->contact_phone) : json_null());
    json_object_set_new(o, "contact_email", f->contact_email
                            ? json_string(f->contact_email) : json_null());
    json_object_set_new(o, "address", f->address ? json_string(f->address)
                                                 : json_null());
    json_object_set_new(o, "dossier_id", id_or_null(f->dossier_id));
    json_object_set_new(o, "official_id", id_or_null(f->official_id));
    json_object_set_new(o, "created_by", id_or_null(f->created_by));
    json_object_set_new(o, "first_received_at",
                        ts_or_null(f->first_received_at));
    json_object_set_new(o, "due_reject", ts_or_null(f->due_reject));
    json_object_set_new(o, "due_request_info", ts_or_null(f->due_info));
    json_object_set_new(o, "due_answer", ts_or_null(f->due_answer));
    json_object_set_new(o, "due_publish", ts_or_null(f->due_publish));
    json_object_set_new(o, "forward_until", ts_or_null(f->forward_until));
    json_object_set_new(o, "forwards", json_integer(f->forwards));
    json_object_set_new(o, "state_note", f->state_note
                            ? json_string(f->state_note) : json_null());
    json_object_set_new(o, "drafted_by", id_or_null(f->drafted_by));
    json_object_set_new(o, "approved_by", id_or_null(f->approved_by));
    json_object_set_new(o, "rating", f->rating ? json_string(f->rating)
                                               : json_null());
    json_object_set_new(o, "rated_at", ts_or_null(f->rated_at));
    json_object_set_new(o, "overdue", json_boolean(f->overdue_level > 0));
    return o;
}

static int
audit(struct mc_db *db, const struct mc_actor *actor, const char *action,
      const struct mc_feedback *f, json_t *extra, int64_t now,
      struct mc_err *err)
{
    char obj[40];
    json_t *p = extra ? extra : json_object();
    int rc;

    if (p == NULL) {
        return MC_ENOMEM;
    }
    snprintf(obj, sizeof(obj), "feedback:%lld", (long long)f->id);
    json_object_set_new(p, "state", json_string(f->state));
    json_object_set_new(p, "unit_id", json_integer(f->unit_id));
    rc = mc_audit_append(db, actor ? actor->account_id : 0, action, obj, p,
                         now, err);
    json_decref(p);
    return rc;
}

/* ---- intake ---- */

static int
intake_channel(struct mc_feedback_new *c, struct mc_feedback *f,
               struct mc_err *err)
{
    enum mc_role role = c->actor->role;
    const char *ch = c->channel;

    if (c->open311) {
        f->channel = "open311";
        if (c->contact_phone == NULL && c->contact_email == NULL) {
            return mc_err_set(err, MC_EINVAL, 400, "contact_required",
                              "email", "an Open311 request needs an e-mail "
                              "address or a phone number");
        }
        return MC_OK;
    }
    if (role == MC_ROLE_DESK || role == MC_ROLE_SPECIALIST ||
        role == MC_ROLE_LEADER || role == MC_ROLE_ADMIN) {
        if (ch == NULL || (strcmp(ch, "phone") && strcmp(ch, "paper"))) {
            return mc_err_set(err, MC_EINVAL, 400, "bad_channel", "channel",
                              "an official transcribes feedback received "
                              "by phone or on paper");
        }
    } else if (ch != NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_channel", "channel",
                          "only officials set the channel");
    } else if (role == MC_ROLE_PARTNER) {
        ch = "api";
    } else if (role == MC_ROLE_CITIZEN || role == MC_ROLE_NONE) {
        ch = "web";
    } else {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "your role may not send feedback");
    }
    f->channel = ch;
    if (role == MC_ROLE_CITIZEN) {
        f->citizen_id = c->actor->account_id;
    } else {
        f->created_by = c->actor->account_id;
    }
    if (f->citizen_id == 0 &&
        (c->contact_name == NULL || c->contact_name[0] == '\0')) {
        return mc_err_set(err, MC_EINVAL, 400, "contact_required",
                          "contact_name",
                          "feedback without an account needs the sender's "
                          "name");
    }
    if (f->citizen_id == 0 && c->contact_phone == NULL &&
        c->contact_email == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "contact_required",
                          "contact_phone",
                          "feedback without an account needs a phone "
                          "number or an e-mail address");
    }
    return MC_OK;
}

static int
intake_links(struct mc_db *db, struct mc_feedback_new *c,
             struct mc_feedback *f, struct mc_unit *u, struct mc_err *err)
{
    int64_t unit = 0;
    const char *role = NULL;
    int rc;

    if (c->dossier_id != 0) {
        rc = mc_q_feedback_dossier_unit(db, c->dossier_id, &unit, err);
        if (rc == MC_ENOTFOUND) {
            return mc_err_set(err, MC_EINVAL, 422, "unknown_dossier",
                              "dossier_id", "no such dossier");
        }
        if (rc != MC_OK) {
            return rc;
        }
    }
    if (c->official_id != 0) {
        rc = mc_q_feedback_account(db, c->official_id, c->arena, &role,
                                   &unit, err);
        if (rc == MC_ENOTFOUND ||
            (rc == MC_OK && !mc_role_is_official(mc_role_parse(role)))) {
            return mc_err_set(err, MC_EINVAL, 422, "unknown_official",
                              "official_id", "no such official");
        }
        if (rc != MC_OK) {
            return rc;
        }
    }
    if ((c->dossier_id || c->official_id) &&
        strcmp(f->category, "official_conduct_or_delay") != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "link_not_allowed",
                          c->dossier_id ? "dossier_id" : "official_id",
                          "only official_conduct_or_delay feedback links a "
                          "dossier or an official");
    }
    if (c->unit_code != NULL) {
        rc = mc_unit_get_by_code(db, c->unit_code, u, err);
    } else if (unit != 0) {
        rc = mc_unit_get(db, unit, u, err);
    } else {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "unit_code",
                          "name the competent unit (unit_code)");
    }
    if (rc == MC_ENOTFOUND) {
        mc_err_clear(err);
        return mc_err_set(err, MC_EINVAL, 422, "unknown_unit", "unit_code",
                          "no such unit");
    }
    f->dossier_id = c->dossier_id;
    f->official_id = c->official_id;
    return rc;
}

int
mc_feedback_create(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_feedback_new *c = ctx;
    struct mc_feedback f;
    struct mc_unit u;
    int rc;

    memset(&f, 0, sizeof(f));
    c->out = NULL;
    if (!mc_feedback_category_known(c->category)) {
        return mc_err_set(err, MC_EINVAL, 400, "unknown_category",
                          "category",
                          "category must be regulation_or_procedure, "
                          "official_conduct_or_delay or other");
    }
    f.category = c->category;
    if ((rc = intake_channel(c, &f, err)) != MC_OK ||
        (rc = intake_links(db, c, &f, &u, err)) != MC_OK ||
        (rc = mc_q_feedback_next_id(db, &f.id, err)) != MC_OK) {
        return rc;
    }
    f.ref = mc_arena_printf(c->arena, "PAKN-%s-%06lld", u.code,
                            (long long)f.id);
    f.title = c->title;
    f.content = c->content;
    f.contact_name = c->contact_name;
    f.contact_phone = c->contact_phone;
    f.contact_email = c->contact_email;
    f.address = c->address;
    f.has_geo = c->has_geo;
    f.lat = c->lat;
    f.lon = c->lon;
    f.unit_id = u.id;
    f.unit_path = mc_arena_strdup(c->arena, u.path);
    f.unit_code = mc_arena_strdup(c->arena, u.code);
    f.unit_name = mc_arena_strdup(c->arena, u.name);
    f.state = "received";
    f.first_received_at = c->now;
    f.updated_at = c->now;
    if (f.ref == NULL || f.unit_path == NULL) {
        return MC_ENOMEM;
    }
    if ((rc = set_deadlines(db, c->cal, &f, c->now, err)) != MC_OK ||
        (rc = mc_q_feedback_insert(db, &f, err)) != MC_OK ||
        (rc = audit(db, c->actor, "feedback.create", &f,
                    json_pack("{s:s,s:s}", "channel", f.channel, "category",
                              f.category),
                    c->now, err)) != MC_OK) {
        return rc;
    }
    c->out = to_json(&f, 1, c->arena);
    if (c->out == NULL) {
        return MC_ENOMEM;
    }
    if (c->actor->role == MC_ROLE_NONE && !c->open311) {
        return mc_feedback_upload_key_issue(db, f.id, c->now, c->out, err);
    }
    return MC_OK;
}

/* ---- actions ---- */

static int
wrong_state(const struct mc_feedback *f, const char *action,
            struct mc_err *err)
{
    return mc_err_set(err, MC_ECONFLICT, 409, "wrong_state", NULL,
                      "cannot %s a feedback in state %s", action, f->state);
}

static int
is(const char *a, const char *b)
{
    return a != NULL && strcmp(a, b) == 0;
}

static int
need_official(const struct mc_feedback_op *op, const struct mc_feedback *f,
              unsigned roles, struct mc_err *err)
{
    const struct mc_actor *a = op->actor;

    if (!(roles & (1u << a->role)) || !mc_actor_covers(a, f->unit_path)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "your role or unit may not %s this feedback",
                          op->action);
    }
    return MC_OK;
}

#define ROLE(r) (1u << (r))
#define HANDLERS                                                          \
    (ROLE(MC_ROLE_DESK) | ROLE(MC_ROLE_SPECIALIST) | ROLE(MC_ROLE_LEADER) | \
     ROLE(MC_ROLE_ADMIN))

static int
need_reason(const struct mc_feedback_op *op, struct mc_err *err)
{
    if (op->reason == NULL || op->reason[0] == '\0') {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "reason",
                          "a reason is required");
    }
    return MC_OK;
}

static int
do_forward(struct mc_db *db, struct mc_feedback_op *op,
           struct mc_feedback *f, struct mc_err *err)
{
    struct mc_unit u;
    int rc;

    if ((rc = need_official(op, f, HANDLERS, err)) != MC_OK ||
        (rc = need_reason(op, err)) != MC_OK) {
        return rc;
    }
    if (!is(f->state, "received") && !is(f->state, "info_requested")) {
        return wrong_state(f, "forward", err);
    }
    if (op->now > f->forward_until) {
        return mc_err_set(err, MC_EINVAL, 422, "forward_window_closed", NULL,
                          "feedback may only be forwarded within the "
                          "configured working days of receipt");
    }
    if (op->unit_code == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "unit_code",
                          "name the unit to forward to");
    }
    rc = mc_unit_get_by_code(db, op->unit_code, &u, err);
    if (rc == MC_ENOTFOUND) {
        mc_err_clear(err);
        return mc_err_set(err, MC_EINVAL, 422, "unknown_unit", "unit_code",
                          "no such unit");
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (u.id == f->unit_id) {
        return mc_err_set(err, MC_EINVAL, 422, "same_unit", "unit_code",
                          "the feedback is already with this unit");
    }
    f->unit_id = u.id;
    f->unit_path = mc_arena_strdup(op->arena, u.path);
    f->unit_code = mc_arena_strdup(op->arena, u.code);
    f->unit_name = mc_arena_strdup(op->arena, u.name);
    f->forwards++;
    f->state = "received";
    f->state_note = op->reason;
    /* the new unit's clock starts at the forwarding (BRIEF 5) */
    return set_deadlines(db, op->cal, f, op->now, err);
}

static int
do_reject_or_info(struct mc_feedback_op *op, struct mc_feedback *f,
                  struct mc_err *err)
{
    int reject = is(op->action, "reject"), rc;

    if ((rc = need_official(op, f, HANDLERS, err)) != MC_OK ||
        (rc = need_reason(op, err)) != MC_OK) {
        return rc;
    }
    if (!is(f->state, "received")) {
        return wrong_state(f, op->action, err);
    }
    f->state = reject ? "rejected" : "info_requested";
    f->state_note = op->reason;
    return MC_OK;
}

/* The near-duplicate gate against the unit's sent answers. */
static int
check_duplicate(struct mc_db *db, struct mc_feedback_op *op,
                const struct mc_feedback *f, const char *fold,
                struct mc_err *err)
{
    const char **folds = NULL, **refs = NULL;
    int n = 0, rc;

    rc = mc_q_feedback_unit_answers(db, f->unit_id, f->id, op->arena, &folds,
                                    &refs, &n, err);
    for (int i = 0; i < n && rc == MC_OK; i++) {
        double s = 0;
        rc = mc_feedback_similarity(op->arena, fold, folds[i], &s);
        if (rc == MC_OK && s >= MC_FEEDBACK_DUP_THRESHOLD) {
            return mc_err_set(err, MC_EINVAL, 422, "answer_near_duplicate",
                              "text",
                              "the answer is a near-duplicate (similarity "
                              "%.2f) of the answer already sent for %s",
                              s, refs[i]);
        }
    }
    return rc;
}

static int
do_answer(struct mc_db *db, struct mc_feedback_op *op, struct mc_feedback *f,
          struct mc_err *err)
{
    char *fold;
    int rc;

    if ((rc = need_official(op, f,
                            ROLE(MC_ROLE_SPECIALIST) | ROLE(MC_ROLE_LEADER),
                            err)) != MC_OK) {
        return rc;
    }
    if (!is(f->state, "received") && !is(f->state, "info_requested") &&
        !is(f->state, "drafted")) {
        return wrong_state(f, "answer", err);
    }
    if (op->text == NULL || op->text[0] == '\0') {
        return mc_err_set(err, MC_EINVAL, 422, "answer_required", "text",
                          "the answer text is required");
    }
    if ((rc = mc_feedback_answer_check(f, op->text, op->decision,
                                       op->legal_basis, op->arena, err)) !=
        MC_OK) {
        return rc;
    }
    if ((fold = mc_fold(op->arena, op->text)) == NULL) {
        return MC_ENOMEM;
    }
    if ((rc = check_duplicate(db, op, f, fold, err)) != MC_OK) {
        return rc;
    }
    f->answer_text = op->text;
    f->answer_fold = fold;
    f->decision = op->decision;
    f->legal_basis = op->legal_basis;
    f->drafted_by = op->actor->account_id;
    f->drafted_at = op->now;
    f->state = "drafted";
    return MC_OK;
}

/* Confirmed misconduct: a violation for the official named. */
static int
raise_conduct(struct mc_db *db, struct mc_feedback_op *op,
              const struct mc_feedback *f, struct mc_err *err)
{
    struct mc_violation v;
    int64_t id = 0;
    char *ev;
    int rc;

    memset(&v, 0, sizeof(v));
    v.rule = "feedback_official_conduct";
    v.dossier_id = f->dossier_id;
    v.official_id = f->official_id;
    v.unit_id = f->unit_id;
    v.unit_path = f->unit_path;
    v.at = op->now;
    ev = mc_arena_printf(op->arena,
                         "{\"feedback_id\":%lld,\"feedback_ref\":\"%s\","
                         "\"decision\":\"act_against_official\"}",
                         (long long)f->id, f->ref);
    if (ev == NULL) {
        return MC_ENOMEM;
    }
    v.evidence = ev;
    rc = mc_q_violation_insert_feedback(db, &v, f->id, &id, err);
    if (rc != MC_OK || id == 0) {
        return rc;
    }
    return mc_audit_append(db, op->actor->account_id, "violation.raise",
                           mc_arena_printf(op->arena, "violation:%lld",
                                           (long long)id),
                           NULL, op->now, err);
}

static int
notify_citizen(struct mc_db *db, const struct mc_feedback *f,
               struct mc_arena *a, int64_t now, struct mc_err *err)
{
    struct mc_notification_new n;

    if (f->citizen_id == 0 && f->contact_email == NULL &&
        f->contact_phone == NULL) {
        return MC_OK;
    }
    memset(&n, 0, sizeof(n));
    n.account_id = f->citizen_id;
    n.kind = "feedback_answered";
    n.title = mc_arena_printf(a, "Đã trả lời phản ánh, kiến nghị %s", f->ref);
    n.body = f->answer_text;
    n.address = f->contact_email ? f->contact_email : f->contact_phone;
    n.dedup_key = mc_arena_printf(a, "feedback_answered:%lld",
                                  (long long)f->id);
    if (n.title == NULL || n.dedup_key == NULL) {
        return MC_ENOMEM;
    }
    return mc_notify(db, &n, now, NULL, err);
}

static int
do_approve(struct mc_db *db, struct mc_feedback_op *op,
           struct mc_feedback *f, struct mc_err *err)
{
    int rc;

    if (op->actor->role != MC_ROLE_LEADER ||
        !mc_actor_covers(op->actor, f->unit_path)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "leader_signoff_required",
                          NULL,
                          "only a leader of the unit signs off an answer");
    }
    if (!is(f->state, "drafted")) {
        return wrong_state(f, "approve", err);
    }
    if ((rc = check_duplicate(db, op, f, f->answer_fold, err)) != MC_OK) {
        return rc;
    }
    f->approved_by = op->actor->account_id;
    f->answered_at = op->now;
    f->state = "answered";
    if ((rc = due_after(db, op->cal, f->category, "publish", op->now,
                        &f->due_publish, err)) != MC_OK) {
        return rc;
    }
    if (f->official_id != 0 && is(f->decision, "act_against_official") &&
        (rc = raise_conduct(db, op, f, err)) != MC_OK) {
        return rc;
    }
    return notify_citizen(db, f, op->arena, op->now, err);
}

static int
do_publish(struct mc_feedback_op *op, struct mc_feedback *f,
           struct mc_err *err)
{
    int rc = need_official(op, f, HANDLERS, err);

    if (rc != MC_OK) {
        return rc;
    }
    if (is(f->state, "drafted")) {
        return mc_err_set(err, MC_EINVAL, 422, "answer_not_approved", NULL,
                          "a leader must approve the answer before it is "
                          "published");
    }
    if (!is(f->state, "answered")) {
        return wrong_state(f, "publish", err);
    }
    f->state = "published";
    f->published_at = op->now;
    return MC_OK;
}

static int
do_rate(struct mc_feedback_op *op, struct mc_feedback *f, struct mc_err *err)
{
    if (op->actor->role != MC_ROLE_CITIZEN ||
        op->actor->account_id != f->citizen_id) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "only the citizen who sent the feedback rates "
                          "its answer");
    }
    if (!is(op->rating, "satisfied") && !is(op->rating, "not_satisfied")) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_rating", "rating",
                          "rating must be satisfied or not_satisfied");
    }
    if (!is(f->state, "answered") && !is(f->state, "published")) {
        return wrong_state(f, "rate", err);
    }
    if (f->rating != NULL) {
        return mc_err_set(err, MC_ECONFLICT, 409, "already_rated", "rating",
                          "this answer was already rated");
    }
    f->rating = op->rating;
    f->rated_at = op->now;
    return MC_OK;
}

/* 1 if the step finished in time (json boolean for the audit). */
static int
on_time(const char *action, const struct mc_feedback *before, int64_t now)
{
    if (is(action, "reject")) {
        return now <= before->due_reject;
    }
    if (is(action, "request_info")) {
        return now <= before->due_info;
    }
    if (is(action, "approve")) {
        return now <= before->due_answer;
    }
    if (is(action, "publish")) {
        return before->due_publish == 0 || now <= before->due_publish;
    }
    return 1;
}

int
mc_feedback_act(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_feedback_op *op = ctx;
    struct mc_feedback f;
    char name[40];
    int rc, ok;
    int64_t due_answer;

    op->out = NULL;
    rc = mc_q_feedback_get(db, op->id, op->arena, &f, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (!mc_actor_covers(op->actor, f.unit_path) &&
        !(op->actor->role == MC_ROLE_CITIZEN &&
          op->actor->account_id == f.citizen_id)) {
        mc_err_clear(err);
        return mc_err_set(err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such feedback");
    }
    ok = on_time(op->action, &f, op->now);
    due_answer = f.due_answer;
    if (is(op->action, "forward")) {
        rc = do_forward(db, op, &f, err);
    } else if (is(op->action, "reject") || is(op->action, "request_info")) {
        rc = do_reject_or_info(op, &f, err);
    } else if (is(op->action, "answer")) {
        rc = do_answer(db, op, &f, err);
    } else if (is(op->action, "approve")) {
        rc = do_approve(db, op, &f, err);
    } else if (is(op->action, "publish")) {
        rc = do_publish(op, &f, err);
    } else if (is(op->action, "rate")) {
        rc = do_rate(op, &f, err);
    } else {
        rc = mc_err_set(err, MC_EINVAL, 400, "unknown_action", NULL,
                        "unknown action");
    }
    if (rc != MC_OK) {
        return rc;
    }
    f.updated_at = op->now;
    snprintf(name, sizeof(name), "feedback.%s", op->action);
    if ((rc = mc_q_feedback_update(db, &f, err)) != MC_OK ||
        (rc = audit(db, op->actor, name, &f,
                    json_pack("{s:b,s:o}", "on_time", ok, "due_answer",
                              ts_or_null(due_answer)),
                    op->now, err)) != MC_OK) {
        return rc;
    }
    op->out = to_json(&f, 1, op->arena);
    if (op->out == NULL) {
        return MC_ENOMEM;
    }
    json_object_set_new(op->out, "on_time", json_boolean(ok));
    return MC_OK;
}

/* ---- reads ---- */

int
mc_feedback_visible(const struct mc_actor *a, const struct mc_feedback *f)
{
    if (a->role == MC_ROLE_CITIZEN) {
        return a->account_id == f->citizen_id;
    }
    if (f->created_by != 0 && a->account_id == f->created_by &&
        (a->role == MC_ROLE_PARTNER || mc_role_is_official(a->role))) {
        return 1; /* its submitter: the desk that transcribed it, a partner */
    }
    return mc_role_is_official(a->role) && mc_actor_covers(a, f->unit_path);
}

int
mc_feedback_sees_draft(const struct mc_actor *a, const struct mc_feedback *f)
{
    return strcmp(f->state, "answered") == 0 ||
           strcmp(f->state, "published") == 0 ||
           (mc_role_is_official(a->role) && mc_actor_covers(a, f->unit_path));
}

int
mc_feedback_redact_files(const struct mc_actor *a,
                         const struct mc_feedback *f, json_t **files)
{
    json_t *keep, *it;
    size_t i;

    if (mc_feedback_sees_draft(a, f) || !json_is_array(*files)) {
        return MC_OK;
    }
    if ((keep = json_array()) == NULL) {
        return MC_ENOMEM;
    }
    json_array_foreach(*files, i, it)
    {
        const char *k = json_string_value(json_object_get(it, "kind"));

        if ((k == NULL || strcmp(k, "answer") != 0) &&
            json_array_append(keep, it) != 0) {
            json_decref(keep);
            return MC_ENOMEM;
        }
    }
    json_decref(*files);
    *files = keep;
    return MC_OK;
}

int
mc_feedback_redact_draft(const struct mc_actor *a,
                         const struct mc_feedback *f, json_t *o)
{
    json_t *files;
    int rc;

    if (mc_feedback_sees_draft(a, f)) {
        return MC_OK;
    }
    json_object_set_new(o, "answer", json_null());
    json_object_set_new(o, "decision", json_null());
    json_object_set_new(o, "legal_basis", json_null());
    json_object_set_new(o, "drafted_by", json_null());
    if ((files = json_object_get(o, "files")) == NULL) {
        return MC_OK;
    }
    json_incref(files);
    rc = mc_feedback_redact_files(a, f, &files);
    if (rc == MC_OK && json_object_set(o, "files", files) != 0) {
        rc = MC_ENOMEM;
    }
    json_decref(files);
    return rc;
}

int
mc_feedback_get(struct mc_db *db, const struct mc_actor *actor, int64_t id,
                struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_feedback f;
    json_t *files = NULL;
    int rc = mc_q_feedback_get(db, id, a, &f, err);

    *out = NULL;
    if (rc != MC_OK) {
        return rc;
    }
    if (!mc_feedback_visible(actor, &f)) {
        return mc_err_set(err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such feedback");
    }
    *out = to_json(&f, 1, a);
    if (*out == NULL) {
        return MC_ENOMEM;
    }
    if ((rc = mc_q_feedback_files_json(db, id, &files, err)) != MC_OK) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    json_object_set_new(*out, "files", files);
    if ((rc = mc_feedback_redact_draft(actor, &f, *out)) != MC_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static int
list_json(struct mc_db *db, const struct mc_q_feedback_filter *q,
          int personal, const struct mc_actor *viewer, struct mc_arena *a, json_t **items, int64_t *total,
          struct mc_err *err)
{
    struct mc_feedback *rows = NULL;
    int n = 0, rc;

    *items = NULL;
    rc = mc_q_feedback_list(db, q, a, &rows, &n, total, err);
    if (rc != MC_OK) {
        return rc;
    }
    if ((*items = json_array()) == NULL) {
        return MC_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        json_t *o = to_json(&rows[i], personal, a);

        if (o == NULL || (viewer != NULL &&
                          mc_feedback_redact_draft(viewer, &rows[i], o) !=
                              MC_OK)) {
            json_decref(o);
            return MC_ENOMEM;
        }
        json_array_append_new(*items, o);
    }
    return MC_OK;
}

int
mc_feedback_list(struct mc_db *db, const struct mc_actor *actor,
                 const char *state, int limit, int offset, struct mc_arena *a,
                 json_t **items, int64_t *total, struct mc_err *err)
{
    static const char *const states[] = {"received", "info_requested",
                                         "rejected", "drafted", "answered",
                                         "published"};
    struct mc_q_feedback_filter q = {0};
    size_t i = 0;

    for (; state != NULL && i < sizeof(states) / sizeof(states[0]); i++) {
        if (strcmp(state, states[i]) == 0) {
            break;
        }
    }
    if (state != NULL && i == sizeof(states) / sizeof(states[0])) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_state", "state",
                          "state is received, info_requested, rejected, "
                          "drafted, answered or published");
    }
    q.state = state;
    q.limit = limit;
    q.offset = offset;
    if (actor->role == MC_ROLE_CITIZEN) {
        q.all = 1;
        q.citizen_id = actor->account_id;
    } else if (actor->role == MC_ROLE_ADMIN) {
        q.all = 1;
    } else if (mc_role_is_official(actor->role) && actor->unit_path[0]) {
        q.lo = actor->unit_path;
        q.hi = mc_unit_path_hi_dup(a, actor->unit_path);
        if (q.hi == NULL) {
            return MC_ENOMEM;
        }
    } else {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "your role may not list feedback");
    }
    return list_json(db, &q, 1, actor, a, items, total, err);
}

int
mc_feedback_public(struct mc_db *db, int64_t id, int limit, int offset,
                   struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_q_feedback_filter q = {0};
    struct mc_feedback f;
    json_t *items = NULL;
    int64_t total = 0;
    int rc;

    *out = NULL;
    if (id != 0) {
        rc = mc_q_feedback_get(db, id, a, &f, err);
        if (rc == MC_OK && !is(f.state, "published")) {
            return mc_err_set(err, MC_ENOTFOUND, 404, "not_found", NULL,
                              "no such published feedback");
        }
        if (rc == MC_OK) {
            *out = to_json(&f, 0, a);
            rc = *out ? MC_OK : MC_ENOMEM;
        }
        return rc;
    }
    q.all = 1;
    q.published_only = 1;
    q.limit = limit;
    q.offset = offset;
    rc = list_json(db, &q, 0, NULL, a, &items, &total, err);
    if (rc != MC_OK) {
        return rc;
    }
    *out = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
    return *out ? MC_OK : MC_ENOMEM;
}

/* ---- the sweep ---- */

struct sweep_batch {
    int64_t now;
    struct mc_arena *arena;
    struct mc_feedback_sweep_stats st;
    int rows;
};

static int
sweep_one(struct mc_db *db, struct sweep_batch *b, int64_t id,
          struct mc_err *err)
{
    struct mc_feedback f;
    struct mc_violation v;
    int64_t *leaders = NULL, vid = 0;
    int n = 0, rc, created;

    if ((rc = mc_q_feedback_get(db, id, b->arena, &f, err)) != MC_OK) {
        return rc;
    }
    memset(&v, 0, sizeof(v));
    v.rule = "feedback_overdue";
    v.dossier_id = f.dossier_id;
    v.official_id = f.drafted_by;
    v.unit_id = f.unit_id;
    v.unit_path = f.unit_path;
    v.at = b->now;
    v.occurrence = is(f.state, "answered") ? 1 : 0; /* 1: publication */
    v.evidence = mc_arena_printf(
        b->arena, "{\"feedback_id\":%lld,\"feedback_ref\":\"%s\","
                  "\"state\":\"%s\",\"due\":%lld}",
        (long long)f.id, f.ref, f.state,
        (long long)(v.occurrence ? f.due_publish : f.due_answer));
    if (v.evidence == NULL) {
        return MC_ENOMEM;
    }
    if ((rc = mc_q_violation_insert_feedback(db, &v, f.id, &vid, err)) !=
        MC_OK) {
        return rc;
    }
    b->st.violations += vid != 0;
    rc = mc_q_unit_leaders(db, f.unit_id, b->arena, &leaders, &n, err);
    for (int i = 0; i < n && rc == MC_OK; i++) {
        struct mc_notification_new nn;
        memset(&nn, 0, sizeof(nn));
        nn.account_id = leaders[i];
        nn.kind = "feedback_overdue";
        nn.title = mc_arena_printf(b->arena, "Phản ánh, kiến nghị %s quá hạn",
                                   f.ref);
        nn.body = f.title;
        nn.dedup_key = mc_arena_printf(
            b->arena, "feedback_overdue:%lld:%lld:%lld", (long long)f.id,
            (long long)v.occurrence, (long long)leaders[i]);
        created = 0;
        if (nn.title == NULL || nn.dedup_key == NULL) {
            return MC_ENOMEM;
        }
        rc = mc_notify(db, &nn, b->now, &created, err);
        b->st.notifications += created;
    }
    if (rc != MC_OK) {
        return rc;
    }
    f.overdue_level = (int)v.occurrence + 1;
    b->st.overdue++;
    if ((rc = mc_q_feedback_update(db, &f, err)) != MC_OK) {
        return rc;
    }
    return audit(db, NULL, "feedback.overdue", &f, NULL, b->now, err);
}

static int
sweep_batch_fn(struct mc_db *db, void *arg, struct mc_err *err)
{
    struct sweep_batch *b = arg;
    int64_t *ids = NULL;
    int n = 0, rc;

    memset(&b->st, 0, sizeof(b->st));
    b->rows = 0;
    rc = mc_q_feedback_overdue(db, b->now, 200, b->arena, &ids, &n, err);
    for (int i = 0; i < n && rc == MC_OK; i++) {
        rc = sweep_one(db, b, ids[i], err);
    }
    b->rows = n;
    return rc;
}

int
mc_feedback_sweep(struct mc_writer *w, int64_t now,
                  struct mc_feedback_sweep_stats *st, struct mc_err *err)
{
    struct mc_arena arena;
    struct sweep_batch b;
    int rc;

    memset(&b, 0, sizeof(b));
    b.now = now;
    b.arena = &arena;
    for (;;) {
        mc_arena_init(&arena, 64u << 20);
        rc = mc_writer_run(w, sweep_batch_fn, &b, err);
        mc_arena_release(&arena);
        if (rc != MC_OK) {
            return rc;
        }
        if (st != NULL) {
            st->overdue += b.st.overdue;
            st->notifications += b.st.notifications;
            st->violations += b.st.violations;
        }
        if (b.rows < 200) {
            return MC_OK;
        }
    }
}
