/*
 * lifecycle.c - the dossier state machine (see dossier.h for the diagram).
 *
 * One table names, for every action, the states it may start from, the
 * state it leads to, the roles allowed, whose scope applies and which
 * fields it needs. mc_dossier_transition checks, in this order: action
 * known (400), role (403), unit scope / ownership (403), state (409),
 * fields (400/422); then applies the change, the ledger, the event and
 * the audit record in the caller's transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/q_accounts.h"
#include "db/q_catalog.h"
#include "db/q_dossier.h"
#include "domain/calendar.h"
#include "domain/discipline.h"
#include "domain/dossier.h"
#include "domain/evaluation.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/text.h"

#define B(s) (1u << (s))
#define OPEN_STATES                                                        \
    (B(MC_DS_RECEIVED) | B(MC_DS_PROCESSING) | B(MC_DS_SUPPLEMENT) |       \
     B(MC_DS_FINANCIAL) | B(MC_DS_CONSULTING) | B(MC_DS_PENDING_APPROVAL))
#define SAME (-1)

enum scope { SC_RECV, SC_HANDLING, SC_ASSIGNEE, SC_CONSULT, SC_APPLICANT };
enum {
    F_REASON = 1,
    F_COMPONENTS = 2,
    F_ASSIGNEE = 4,
    F_DUE = 8,
    F_UNIT = 16,
    F_RESULT = 32
};

struct rule {
    const char *action;
    unsigned from;
    int to;
    unsigned roles;
    enum scope scope;
    unsigned need;
};

#define R(role) (1u << (role))

static const struct rule rules[] = {
    {"receive", B(MC_DS_SUBMITTED), MC_DS_RECEIVED, R(MC_ROLE_DESK), SC_RECV,
     0},
    {"refuse", B(MC_DS_SUBMITTED) | B(MC_DS_INTAKE_SUPPLEMENT), MC_DS_REFUSED,
     R(MC_ROLE_DESK), SC_RECV, F_REASON},
    {"request_intake_supplement", B(MC_DS_SUBMITTED),
     MC_DS_INTAKE_SUPPLEMENT, R(MC_ROLE_DESK), SC_RECV, F_COMPONENTS},
    {"resubmit", B(MC_DS_INTAKE_SUPPLEMENT), MC_DS_SUBMITTED,
     R(MC_ROLE_CITIZEN) | R(MC_ROLE_DESK), SC_APPLICANT, 0},
    {"assign", B(MC_DS_RECEIVED) | B(MC_DS_PROCESSING), MC_DS_PROCESSING,
     R(MC_ROLE_LEADER), SC_HANDLING, F_ASSIGNEE},
    {"request_supplement", B(MC_DS_PROCESSING), MC_DS_SUPPLEMENT,
     R(MC_ROLE_SPECIALIST) | R(MC_ROLE_LEADER), SC_ASSIGNEE,
     F_COMPONENTS | F_REASON},
    {"supplement_received", B(MC_DS_SUPPLEMENT), MC_DS_PROCESSING,
     R(MC_ROLE_DESK) | R(MC_ROLE_CITIZEN), SC_APPLICANT, 0},
    {"request_payment", B(MC_DS_PROCESSING), MC_DS_FINANCIAL,
     R(MC_ROLE_SPECIALIST) | R(MC_ROLE_LEADER), SC_ASSIGNEE, F_REASON},
    {"payment_received", B(MC_DS_FINANCIAL), MC_DS_PROCESSING,
     R(MC_ROLE_DESK) | R(MC_ROLE_CITIZEN), SC_APPLICANT, 0},
    {"consult", B(MC_DS_PROCESSING), MC_DS_CONSULTING,
     R(MC_ROLE_SPECIALIST) | R(MC_ROLE_LEADER), SC_ASSIGNEE,
     F_UNIT | F_DUE | F_REASON},
    {"consult_reply", B(MC_DS_CONSULTING), MC_DS_PROCESSING,
     R(MC_ROLE_SPECIALIST) | R(MC_ROLE_LEADER), SC_CONSULT, F_REASON},
    {"submit_for_approval", B(MC_DS_PROCESSING), MC_DS_PENDING_APPROVAL,
     R(MC_ROLE_SPECIALIST) | R(MC_ROLE_LEADER), SC_ASSIGNEE, F_RESULT},
    {"return_for_rework", B(MC_DS_PENDING_APPROVAL), MC_DS_PROCESSING,
     R(MC_ROLE_LEADER), SC_HANDLING, F_REASON},
    {"approve", B(MC_DS_PENDING_APPROVAL), MC_DS_DONE, R(MC_ROLE_LEADER),
     SC_HANDLING, 0},
    {"reject", B(MC_DS_PROCESSING) | B(MC_DS_PENDING_APPROVAL),
     MC_DS_REJECTED, R(MC_ROLE_LEADER), SC_HANDLING, F_REASON},
    {"return_result", B(MC_DS_DONE) | B(MC_DS_REJECTED), MC_DS_RETURNED,
     R(MC_ROLE_DESK), SC_RECV, 0},
    {"reschedule", OPEN_STATES, SAME, R(MC_ROLE_LEADER), SC_HANDLING,
     F_DUE | F_REASON},
    {"request_withdrawal",
     B(MC_DS_SUBMITTED) | B(MC_DS_INTAKE_SUPPLEMENT) | OPEN_STATES,
     MC_DS_WITHDRAW_REQUESTED, R(MC_ROLE_CITIZEN) | R(MC_ROLE_DESK),
     SC_APPLICANT, 0},
    {"stop", B(MC_DS_WITHDRAW_REQUESTED) | OPEN_STATES, MC_DS_STOPPED,
     R(MC_ROLE_LEADER), SC_HANDLING, F_REASON},
};

#define NRULES ((int)(sizeof(rules) / sizeof(rules[0])))

static const struct rule *
find_rule(const char *action)
{
    for (int i = 0; i < NRULES; i++) {
        if (strcmp(rules[i].action, action) == 0) {
            return &rules[i];
        }
    }
    return NULL;
}

static int
in_scope(const struct rule *ru, const struct mc_actor *a,
         const struct mc_dossier *d)
{
    switch (ru->scope) {
    case SC_RECV:
        return mc_actor_covers(a, d->recv_unit_path);
    case SC_HANDLING:
        return mc_actor_covers(a, d->unit_path);
    case SC_ASSIGNEE:
        return (d->assignee_id != 0 && a->account_id == d->assignee_id) ||
               (a->role == MC_ROLE_LEADER &&
                mc_actor_covers(a, d->unit_path));
    case SC_CONSULT:
        return d->consult_unit_path != NULL &&
               mc_actor_covers(a, d->consult_unit_path);
    case SC_APPLICANT:
        if (a->role == MC_ROLE_CITIZEN) {
            return d->applicant_id != 0 && d->applicant_id == a->account_id;
        }
        return mc_actor_covers(a, d->recv_unit_path);
    }
    return 0;
}

/* 1 if rule ru is among the actions actor may take now on d. */
static int
allowed(const struct rule *ru, const struct mc_actor *actor,
        const struct mc_dossier *d)
{
    return (ru->roles & R(actor->role)) && (ru->from & B(d->state)) &&
           in_scope(ru, actor, d) &&
           !(strcmp(ru->action, "reschedule") == 0 && d->reschedules > 0);
}

json_t *
mc_dossier_allowed_actions(const struct mc_actor *actor,
                           const struct mc_dossier *d)
{
    json_t *arr = json_array();

    for (int i = 0; i < NRULES && arr != NULL; i++) {
        if (allowed(&rules[i], actor, d)) {
            json_array_append_new(arr, json_string(rules[i].action));
        }
    }
    return arr;
}

void
mc_dossier_allowed_actions_write(const struct mc_actor *actor,
                                 const struct mc_dossier *d,
                                 struct mc_jw *w)
{
    mc_jw_array(w, "allowed_actions");
    for (int i = 0; i < NRULES; i++) {
        if (allowed(&rules[i], actor, d)) {
            mc_jw_item(w, rules[i].action);
        }
    }
    mc_jw_array_end(w);
}

/* ---- deadlines ---- */

static enum mc_limit_unit
limit_unit(const char *u)
{
    if (u != NULL && strcmp(u, MC_UNIT_HALFDAYS) == 0) {
        return MC_LIMIT_HALFDAYS;
    }
    if (u != NULL && strcmp(u, MC_UNIT_WORKHOURS) == 0) {
        return MC_LIMIT_WORKHOURS;
    }
    if (u != NULL && strcmp(u, MC_UNIT_SAMEDAY) == 0) {
        return MC_LIMIT_SAMEDAY;
    }
    return MC_LIMIT_WORKDAYS;
}

/* See dossier.h (the receive transition and every recomputation). */
int
mc_dossier_compute_due(struct mc_db *db, struct mc_dossier_wctx *c,
                       struct mc_dossier *d, const struct mc_procedure *p,
                       struct mc_err *err)
{
    struct mc_deadline_req req;
    struct mc_deadline out;
    struct mc_workhours wh;
    struct mc_pause *pauses = NULL;
    int64_t *from, *to;
    struct mc_buf prov;
    char basis[96];
    int n = 0, rc;

    if (p->incomplete || p->limit_unit == NULL || p->limit_value <= 0) {
        return mc_err_set(err, MC_ECONFLICT, 409, "procedure_incomplete",
                          "procedure_id",
                          "procedure %s has no confirmed time limit yet; "
                          "an administrator must complete it in the catalog",
                          p->code);
    }
    memset(&req, 0, sizeof(req));
    req.start = d->received_at;
    req.n = (int)p->limit_value;
    req.unit = limit_unit(p->limit_unit);
    req.paper = d->channel != MC_CH_ONLINE || p->cutoff_15h;
    req.policy = strcmp(p->pause_policy ? p->pause_policy : "restart",
                        "subtract") == 0
                     ? MC_PAUSE_SUBTRACT
                     : MC_PAUSE_RESTART;
    snprintf(basis, sizeof(basis), "%s v%d", p->code, p->version);
    req.basis = basis;
    if (req.unit == MC_LIMIT_HALFDAYS || req.unit == MC_LIMIT_WORKHOURS) {
        /* hour limits run on the handling unit's working hours */
        rc = mc_calendar_unit_hours(db, d->unit_id, &wh, err);
        if (rc != MC_OK) {
            return rc;
        }
        req.hours = &wh;
    }
    rc = mc_q_dossier_pauses(db, d->id, c->arena, &from, &to, &n, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (n > 0 && to[n - 1] == 0 && d->paused_at == 0) {
        to[n - 1] = c->now; /* being closed by this transition */
    }
    if (n > 0) {
        pauses = mc_arena_zalloc(c->arena, sizeof(*pauses) * (size_t)n);
        if (pauses == NULL) {
            return MC_ENOMEM;
        }
        for (int i = 0; i < n; i++) {
            pauses[i].from = from[i];
            pauses[i].to = to[i];
        }
    }
    req.pauses = pauses;
    req.npauses = n;
    /* the provenance as compact JSON text, written without a tree */
    mc_buf_init(&prov, 1u << 20);
    rc = mc_buf_reserve(&prov, 1000); /* about 660 B: one allocation */
    if (rc == MC_OK) {
        rc = mc_calendar_deadline_text(c->cal, &req, &out, &prov, err);
    } else {
        rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                        "out of memory");
    }
    if (rc == MC_OK) {
        d->due_at = out.due;
        d->due_provenance = mc_arena_strndup(c->arena, prov.data, prov.len);
        if (d->due_provenance == NULL) {
            rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                            "out of memory");
        }
    }
    mc_buf_release(&prov);
    return rc;
}

/* Deadline of a step of budget minutes starting at `at`. */
static int64_t
step_due(struct mc_dossier_wctx *c, int64_t at, int64_t minutes)
{
    struct mc_deadline_req req;
    struct mc_deadline out;

    if (minutes <= 0) {
        return 0;
    }
    memset(&req, 0, sizeof(req));
    req.start = at;
    req.n = (int)((minutes + 59) / 60);
    req.unit = MC_LIMIT_WORKHOURS;
    if (mc_calendar_deadline(c->cal, &req, &out, NULL, NULL) != MC_OK) {
        return 0;
    }
    return out.due;
}

/* Open procedure step k (1-based, clamped) at unit for holder. */
static int
open_step(struct mc_db *db, struct mc_dossier_wctx *c, struct mc_dossier *d,
          const struct mc_procedure *p, int k, int64_t unit_id,
          int64_t holder, struct mc_err *err)
{
    const char *name = "Xử lý";
    int64_t budget = 0;

    if (p->nsteps > 0) {
        if (k > (int)p->nsteps) {
            k = (int)p->nsteps;
        }
        if (k < 1) {
            k = 1;
        }
        name = p->steps[k - 1].name;
        budget = p->steps[k - 1].budget_minutes;
    }
    d->step_seq = k;
    return mc_q_step_open(db, d->id, k, name, unit_id, holder, c->now,
                          step_due(c, c->now, budget), err);
}

/* *p is borrowed from the connection's memo: used within this write only
 * (a rollback, after the write, may free it). */
static int
load_proc(struct mc_db *db, struct mc_dossier_wctx *c, int64_t id,
          const struct mc_procedure **p, struct mc_err *err)
{
    /* a version never changes (but for effective_to, unused here) */
    return mc_q_proc_version(db, id, c->arena, p, err);
}

/* "dossier.<action>" and "dossier:<id>" into act and obj. */
static void
audit_names(const char *action, int64_t id, char act[64], char obj[40])
{
    size_t n = strlen(action);
    char t[24], *e = t + sizeof(t), *q = e;
    uint64_t u = id < 0 ? 0 - (uint64_t)id : (uint64_t)id;

    if (n > 64 - sizeof("dossier.")) {
        n = 64 - sizeof("dossier."); /* as snprintf truncated it */
    }
    memcpy(act, "dossier.", 8);
    memcpy(act + 8, action, n);
    act[8 + n] = '\0';
    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (id < 0) {
        *--q = '-';
    }
    memcpy(obj, "dossier:", 8);
    memcpy(obj + 8, q, (size_t)(e - q));
    obj[8 + (e - q)] = '\0';
}

/* Append the audit record of a dossier write whose payload p is already
 * its canonical text (mc_dossier_audit_payload or _submit). */
static int
audit_text(struct mc_db *db, struct mc_dossier_wctx *c, const char *action,
           const struct mc_dossier *d, struct mc_buf *p, struct mc_err *err)
{
    char act[64], obj[40];

    audit_names(action, d->id, act, obj);
    if (p->data == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "cannot serialise the audit payload");
    }
    return mc_audit_append_text(db, c->actor->account_id, act, obj, p->data,
                                p->len, c->now, err);
}

/* See dossier.h. */
int
mc_dossier_audit_payload(struct mc_buf *b, const char *from,
                         const char *reason, json_t *data,
                         const struct mc_dossier *d)
{
    struct mc_jw w;
    struct mc_buf canon;
    int rc;

    /* the keys of json_pack("{s:s,s:s?,s:O}") plus "state" and "code",
     * in mc_json_canonical's (sorted) order */
    mc_buf_init(&canon, SIZE_MAX / 4);
    rc = mc_json_canonical(data, &canon);
    if (rc != MC_OK) {
        goto out;
    }
    mc_jw_begin(&w, b);
    if (d->code != NULL) {
        mc_jw_str(&w, "code", d->code);
    }
    mc_jw_raw(&w, "data", canon.data);
    mc_jw_str(&w, "from", from);
    mc_jw_str(&w, "reason", reason);
    mc_jw_str(&w, "state", mc_dstate_name(d->state));
    rc = mc_jw_end(&w);
out:
    mc_buf_release(&canon);
    return rc;
}

/* See dossier.h. */
int
mc_dossier_audit_payload_submit(struct mc_buf *b, const struct mc_dossier *d)
{
    struct mc_jw w;

    /* json_pack("{s:I,s:s,s:I,s:I}", "procedure_id", "procedure_code",
     * "receiving_unit_id", "channel") with "state" and "code", in
     * mc_json_canonical's (sorted) order */
    mc_jw_begin(&w, b);
    mc_jw_int(&w, "channel", d->channel);
    if (d->code != NULL) {
        mc_jw_str(&w, "code", d->code);
    }
    mc_jw_str(&w, "procedure_code", d->procedure_code);
    mc_jw_int(&w, "procedure_id", d->procedure_id);
    mc_jw_int(&w, "receiving_unit_id", d->recv_unit_id);
    mc_jw_str(&w, "state", mc_dstate_name(d->state));
    return mc_jw_end(&w);
}

int
mc_dossier_create_check(struct mc_db *db, struct mc_dossier_wctx *c,
                        struct mc_err *err)
{
    const struct mc_dossier_new *in = c->create;
    const struct mc_actor *a = c->actor;
    struct mc_procedure p;
    struct mc_unit ru, hu;
    struct mc_dossier *d = c->out;
    int rc;

    if (a->role != MC_ROLE_CITIZEN && a->role != MC_ROLE_DESK &&
        a->role != MC_ROLE_PARTNER) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "only citizens, desk officers and partner systems "
                          "submit dossiers");
    }
    if (in->channel < 1 || in->channel > 3) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_channel", "channel",
                          "channel must be 1 (counter), 2 (online) or 3 "
                          "(post)");
    }
    if ((a->role == MC_ROLE_CITIZEN || a->role == MC_ROLE_PARTNER) &&
        in->channel != MC_CH_ONLINE) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_channel", "channel",
                          "online submissions use channel 2");
    }
    if (a->role == MC_ROLE_DESK && in->channel == MC_CH_ONLINE) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_channel", "channel",
                          "a desk officer records counter (1) or postal (3) "
                          "dossiers");
    }
    /* The procedure version in force now. */
    if (in->procedure_code != NULL) {
        rc = mc_q_proc_in_force(db, in->procedure_code, c->now, c->arena, &p,
                                err);
    } else {
        rc = mc_q_proc_by_id(db, in->procedure_id, c->arena, &p, err);
        if (rc == MC_OK && (!p.active || p.effective_from > c->now ||
                            (p.effective_to && p.effective_to <= c->now))) {
            return mc_err_set(err, MC_EINVAL, 422, "procedure_not_in_force",
                              "procedure_id",
                              "procedure version %lld is not in force",
                              (long long)in->procedure_id);
        }
    }
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_EINVAL, 422, "unknown_procedure",
                          in->procedure_code ? "procedure_code"
                                             : "procedure_id",
                          "no such procedure in force");
    }
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_unit_get(db, in->recv_unit_id, &ru, err);
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_EINVAL, 422, "unknown_unit",
                          "receiving_unit_id", "no such receiving unit");
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (!mc_unit_is_current(&ru, c->now) || strcmp(ru.kind, "district") == 0) {
        return mc_err_set(err, MC_EINVAL, 422, "unit_not_receiving",
                          "receiving_unit_id",
                          "%s does not receive dossiers", ru.name);
    }
    hu = ru;
    if (in->unit_id != 0 && in->unit_id != in->recv_unit_id) {
        rc = mc_unit_get(db, in->unit_id, &hu, err);
        if (rc == MC_ENOTFOUND) {
            return mc_err_set(err, MC_EINVAL, 422, "unknown_unit", "unit_id",
                              "no such handling unit");
        }
        if (rc != MC_OK) {
            return rc;
        }
    }
    if (a->role == MC_ROLE_DESK && !mc_actor_covers(a, ru.path)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden",
                          "receiving_unit_id",
                          "you receive dossiers only for your own unit");
    }
    memset(d, 0, sizeof(*d));
    d->procedure_id = p.id;
    d->procedure_code = p.code;
    d->recv_unit_id = ru.id;
    d->recv_unit_path = mc_arena_strdup(c->arena, ru.path);
    d->unit_id = hu.id;
    d->unit_path = mc_arena_strdup(c->arena, hu.path);
    /* pure text work, done here so that it stays off the writer */
    c->search_key = mc_fold(c->arena, in->applicant_name);
    c->checked = 1;
    return MC_OK;
}

int
mc_dossier_create(struct mc_db *db, struct mc_dossier_wctx *c,
                  struct mc_err *err)
{
    const struct mc_dossier_new *in = c->create;
    const struct mc_actor *a = c->actor;
    struct mc_dossier *d = c->out;
    struct mc_buf payload;
    const char *key;
    int rc;

    if (!c->checked) {
        rc = mc_dossier_create_check(db, c, err);
        if (rc != MC_OK) {
            return rc;
        }
    }
    d->applicant_id = a->role == MC_ROLE_CITIZEN ? a->account_id : 0;
    d->applicant_name = in->applicant_name;
    d->applicant_id_number = in->applicant_id_number;
    d->applicant_phone = in->applicant_phone;
    d->applicant_email = in->applicant_email;
    d->applicant_address = in->applicant_address;
    d->summary = in->summary;
    d->channel = in->channel;
    d->state = MC_DS_SUBMITTED;
    d->submitted_at = c->now;
    d->updated_at = c->now;
    /* mc_fold of the applicant's name, by the check when it ran apart */
    key = c->search_key != NULL ? c->search_key
                                : mc_fold(c->arena, in->applicant_name);
    rc = mc_q_dossier_insert(db, d, key ? key : "", err);
    if (rc != MC_OK) {
        return rc;
    }
    d->version = 1;
    rc = mc_q_dossier_event(db, d->id, "submit", NULL, "submitted",
                            a->account_id, mc_role_name(a->role),
                            d->recv_unit_id, c->now, NULL, "{}", err);
    if (rc != MC_OK) {
        return rc;
    }
    mc_buf_init(&payload, SIZE_MAX / 4);
    rc = mc_dossier_audit_payload_submit(&payload, d);
    rc = rc == MC_OK ? audit_text(db, c, "submit", d, &payload, err)
                     : mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                                  "cannot serialise the audit payload");
    mc_buf_release(&payload);
    return rc;
}

/* Validate requested components against the procedure's list. */
static int
check_components(const struct mc_transition_req *tr,
                 const struct mc_procedure *p, json_t *data,
                 struct mc_err *err)
{
    json_t *arr;

    if (tr->ncomponents <= 0) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "components",
                          "tick at least one required component that is "
                          "missing");
    }
    arr = json_array();
    for (int i = 0; i < tr->ncomponents; i++) {
        const struct mc_component *found = NULL;
        for (size_t j = 0; j < p->ncomponents; j++) {
            if (p->components[j].id == tr->components[i]) {
                found = &p->components[j];
            }
        }
        if (found == NULL) {
            json_decref(arr);
            return mc_err_set(err, MC_EINVAL, 422, "component_not_required",
                              "components",
                              "component %lld is not among the documents "
                              "this procedure requires",
                              (long long)tr->components[i]);
        }
        json_array_append_new(arr, json_pack("{s:I,s:s}", "id",
                                             (json_int_t)found->id, "name",
                                             found->name));
    }
    json_object_set_new(data, "components", arr);
    return MC_OK;
}

static int
need_fields(const struct rule *ru, const struct mc_transition_req *tr,
            struct mc_err *err)
{
    if ((ru->need & F_REASON) && (tr->reason == NULL || !*tr->reason)) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "reason",
                          "'%s' needs a reason", ru->action);
    }
    if ((ru->need & F_ASSIGNEE) && tr->assignee_id <= 0) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "assignee_id",
                          "'assign' needs assignee_id");
    }
    if ((ru->need & F_DUE) && tr->due <= 0) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "due",
                          "'%s' needs a date (due)", ru->action);
    }
    if ((ru->need & F_UNIT) && tr->unit_id <= 0) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "unit_id",
                          "'consult' needs the consulted unit_id");
    }
    if ((ru->need & F_RESULT) && (tr->result == NULL || !*tr->result)) {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "result",
                          "'submit_for_approval' needs the result summary");
    }
    return MC_OK;
}

/* The effects of each action beyond the state change. */
static int
apply(struct mc_db *db, struct mc_dossier_wctx *c, const struct rule *ru,
      struct mc_dossier *d, const struct mc_procedure *p, json_t *data,
      struct mc_err *err)
{
    const struct mc_transition_req *tr = c->tr;
    const struct mc_actor *a = c->actor;
    int64_t seq;
    int rc = MC_OK;
    const char *act = ru->action;

    if (strcmp(act, "receive") == 0) {
        struct mc_unit u;
        char day[16];
        int y, m, dd;
        int32_t ld = mc_local_day(c->now);

        rc = mc_unit_get(db, d->recv_unit_id, &u, err);
        if (rc == MC_OK) {
            rc = mc_q_code_next(db, d->recv_unit_id, ld, &seq, err);
        }
        if (rc != MC_OK) {
            return rc;
        }
        mc_civil_from_days(ld, &y, &m, &dd);
        snprintf(day, sizeof(day), "%02d%02d%02d", y % 100, m, dd);
        d->code = mc_arena_printf(c->arena, "%s-%s-%04lld", u.code, day,
                                  (long long)seq);
        d->received_at = c->now;
        rc = mc_dossier_compute_due(db, c, d, p, err);
        if (rc != MC_OK) {
            return rc;
        }
        d->due_original = d->due_at;
        /* Ledger: reception (done now), then the next step. */
        rc = open_step(db, c, d, p, 1, d->recv_unit_id, a->account_id, err);
        if (rc == MC_OK) {
            rc = mc_q_step_close(db, d->id, c->now, a->account_id, err);
        }
        if (rc == MC_OK) {
            rc = open_step(db, c, d, p, 2, d->unit_id, 0, err);
        }
        json_object_set_new(data, "due", mc_json_ts_value(d->due_at));
    } else if (strcmp(act, "refuse") == 0) {
        d->refused_at = c->now;
    } else if (strcmp(act, "request_intake_supplement") == 0) {
        rc = check_components(tr, p, data, err);
    } else if (strcmp(act, "assign") == 0) {
        struct mc_account acc;
        rc = mc_q_account_get(db, tr->assignee_id, &acc, err);
        if (rc == MC_ENOTFOUND || (rc == MC_OK &&
            (!acc.active || (strcmp(acc.role, "specialist") != 0 &&
                             strcmp(acc.role, "leader") != 0) ||
             strncmp(acc.unit_path, d->unit_path,
                     strlen(d->unit_path)) != 0))) {
            return mc_err_set(err, MC_EINVAL, 422, "bad_assignee",
                              "assignee_id",
                              "the assignee must be an active specialist or "
                              "leader of the handling unit");
        }
        if (rc != MC_OK) {
            return rc;
        }
        rc = mc_q_step_set_holder(db, d->id, tr->assignee_id, err);
        d->assignee_id = tr->assignee_id;
        json_object_set_new(data, "assignee_id",
                            json_integer(tr->assignee_id));
    } else if (strcmp(act, "request_supplement") == 0) {
        rc = check_components(tr, p, data, err);
        d->supplements++;
        d->paused_at = c->now;
        json_object_set_new(data, "round", json_integer(d->supplements));
    } else if (strcmp(act, "supplement_received") == 0) {
        int64_t old_due = d->due_at;
        d->paused_total += c->now - d->paused_at;
        d->paused_at = 0;
        if (d->reschedules == 0) {
            /* the open pause ends now (compute_due closes it) */
            rc = mc_dossier_compute_due(db, c, d, p, err);
        }
        json_object_set_new(data, "old_due", mc_json_ts_value(old_due));
        json_object_set_new(data, "new_due", mc_json_ts_value(d->due_at));
    } else if (strcmp(act, "consult") == 0) {
        struct mc_unit u;
        rc = mc_unit_get(db, tr->unit_id, &u, err);
        if (rc == MC_ENOTFOUND) {
            return mc_err_set(err, MC_EINVAL, 422, "unknown_unit", "unit_id",
                              "no such unit to consult");
        }
        if (tr->due <= c->now) {
            return mc_err_set(err, MC_EINVAL, 422, "bad_due", "due",
                              "the consultation deadline must be in the "
                              "future");
        }
        d->consult_unit_id = u.id;
        d->consult_unit_path = mc_arena_strdup(c->arena, u.path);
        d->consult_due = tr->due;
        json_object_set_new(data, "unit_id", json_integer(u.id));
        json_object_set_new(data, "due", mc_json_ts_value(tr->due));
    } else if (strcmp(act, "consult_reply") == 0) {
        json_object_set_new(data, "late",
                            json_boolean(c->now > d->consult_due));
        d->consult_unit_id = 0;
        d->consult_unit_path = NULL;
        d->consult_due = 0;
    } else if (strcmp(act, "submit_for_approval") == 0) {
        d->result_text = tr->result;
        rc = mc_q_step_close(db, d->id, c->now, a->account_id, err);
        if (rc == MC_OK) {
            rc = open_step(db, c, d, p, d->step_seq + 1, d->unit_id, 0, err);
        }
    } else if (strcmp(act, "return_for_rework") == 0) {
        rc = mc_q_step_close(db, d->id, c->now, a->account_id, err);
        if (rc == MC_OK) {
            rc = open_step(db, c, d, p, d->step_seq - 1, d->unit_id,
                           d->assignee_id, err);
        }
    } else if (strcmp(act, "approve") == 0 || strcmp(act, "reject") == 0) {
        d->finished_at = c->now;
        rc = mc_q_step_close(db, d->id, c->now, a->account_id, err);
        if (rc == MC_OK) {
            rc = open_step(db, c, d, p, (int)p->nsteps, d->recv_unit_id, 0,
                           err);
        }
    } else if (strcmp(act, "return_result") == 0) {
        d->returned_at = c->now;
        rc = mc_q_step_close(db, d->id, c->now, a->account_id, err);
    } else if (strcmp(act, "reschedule") == 0) {
        int32_t day = mc_local_day(tr->due);
        if (d->reschedules > 0) {
            return mc_err_set(err, MC_ECONFLICT, 409, "already_rescheduled",
                              "due",
                              "a dossier may be rescheduled only once "
                              "(Decree 61 Art. 19.9)");
        }
        if (!mc_calendar_is_workday(c->cal, day, NULL)) {
            return mc_err_set(err, MC_EINVAL, 422, "not_a_working_day", "due",
                              "the new date is not a working day");
        }
        /* The new appointment is the end of that working day. */
        if (d->due_at != 0 && mc_local_ts(day + 1, 0) - 1 <= d->due_at) {
            return mc_err_set(err, MC_EINVAL, 422, "bad_due", "due",
                              "the new date must be after the current due "
                              "date");
        }
        json_object_set_new(data, "old_due", mc_json_ts_value(d->due_at));
        d->due_at = mc_local_ts(day + 1, 0) - 1;
        d->reschedules++;
        json_object_set_new(data, "new_due", mc_json_ts_value(d->due_at));
    } else if (strcmp(act, "stop") == 0) {
        d->stopped_at = c->now;
        rc = mc_q_step_close(db, d->id, c->now, a->account_id, err);
    }
    return rc;
}

int
mc_dossier_transition(struct mc_db *db, struct mc_dossier_wctx *c,
                      struct mc_err *err)
{
    const struct mc_transition_req *tr = c->tr;
    const struct mc_actor *a = c->actor;
    const struct rule *ru;
    struct mc_dossier *d = c->out, before;
    const struct mc_procedure *p = NULL;
    enum mc_dstate from;
    json_t *data = NULL;
    struct mc_buf data_s, payload;
    int rc;

    mc_buf_init(&data_s, 1u << 20);
    mc_buf_init(&payload, SIZE_MAX / 4);
    ru = tr->action ? find_rule(tr->action) : NULL;
    if (ru == NULL) {
        return mc_err_set(err, MC_EINVAL, 400, "unknown_action", "action",
                          "unknown action '%.40s'",
                          tr->action ? tr->action : "");
    }
    rc = mc_q_dossier_get(db, c->dossier_id, c->arena, d, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (!(ru->roles & R(a->role))) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "role_not_allowed", NULL,
                          "a %s may not '%s' a dossier", mc_role_name(a->role),
                          ru->action);
    }
    if (!in_scope(ru, a, d)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                          "this dossier is outside your unit or is not "
                          "yours");
    }
    if (!(ru->from & B(d->state))) {
        return mc_err_set(err, MC_ECONFLICT, 409, "invalid_transition", NULL,
                          "cannot '%s' a dossier in state '%s'", ru->action,
                          mc_dstate_name(d->state));
    }
    if (tr->expected_version != 0 && tr->expected_version != d->version) {
        return mc_err_set(err, MC_ECONFLICT, 409, "stale_version", "version",
                          "the dossier changed since you loaded it (now "
                          "version %d)",
                          d->version);
    }
    rc = need_fields(ru, tr, err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = load_proc(db, c, d->procedure_id, &p, err);
    if (rc != MC_OK) {
        return rc;
    }
    data = json_object();
    if (data == NULL) {
        return MC_ENOMEM;
    }
    before = *d; /* the stored row: the update writes only what changes */
    from = d->state;
    if (ru->to != SAME) {
        d->state = (enum mc_dstate)ru->to;
    }
    rc = apply(db, c, ru, d, p, data, err);
    if (rc != MC_OK) {
        goto out;
    }
    d->version++;
    d->updated_at = c->now;
    rc = mc_q_dossier_update(db, &before, d, err);
    if (rc != MC_OK) {
        goto out;
    }
    /* data holds no reals: mc_json_dump writes json_dumps(JSON_COMPACT)'s
     * bytes at a fraction of the cost */
    rc = mc_buf_reserve(&data_s, 256);
    if (rc == MC_OK) {
        rc = mc_json_dump(data, &data_s);
    }
    if (rc != MC_OK) {
        rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                        "out of memory");
        goto out;
    }
    rc = mc_q_dossier_event(db, d->id, ru->action, mc_dstate_name(from),
                            mc_dstate_name(d->state), a->account_id,
                            mc_role_name(a->role), a->unit_id, c->now,
                            tr->reason, data_s.data, err);
    if (rc != MC_OK) {
        goto out;
    }
    rc = mc_dossier_audit_payload(&payload, mc_dstate_name(from),
                                  tr->reason, data, d);
    rc = rc == MC_OK ? audit_text(db, c, ru->action, d, &payload, err)
                     : mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                                  "cannot serialise the audit payload");
    if (rc == MC_OK) {
        rc = mc_discipline_on_transition(db, c, ru->action, from, d, data,
                                         err);
    }
    if (rc == MC_OK) {
        rc = mc_evaluation_on_transition(db, c->now, ru->action, d, err);
    }
out:
    mc_buf_release(&data_s);
    mc_buf_release(&payload);
    json_decref(data);
    return rc;
}
