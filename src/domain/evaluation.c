/*
 * evaluation.c - citizens' evaluations of finished dossiers, the frozen
 * facts and the incremental rollups (see evaluation.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "db/q_dossier.h"
#include "db/q_evaluation.h"
#include "domain/dossier.h"
#include "domain/evaluation.h"
#include "sec/audit.h"
#include "sec/token.h"
#include "util/mctime.h"

static const char *const sat_names[MC_SAT__COUNT] = {
    "very_satisfied", "satisfied", "dissatisfied"};
static const char *const channel_names[] = {"online", "kiosk", "desk"};

int
mc_eval_sat_parse(const char *s)
{
    for (int i = 0; s != NULL && i < MC_SAT__COUNT; i++) {
        if (strcmp(s, sat_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *
mc_eval_sat_name(int s)
{
    return s >= 0 && s < MC_SAT__COUNT ? sat_names[s] : NULL;
}

const char *
mc_eval_channel_name(enum mc_eval_channel c)
{
    return channel_names[c];
}

void
mc_eval_kiosk_secret(const char *code, int64_t received_at, char *out)
{
    char buf[160], hex[MC_SHA256_HEX];
    int n = snprintf(buf, sizeof(buf), "%s%" PRId64, code, received_at);

    if (n < 0 || (size_t)n >= sizeof(buf)) {
        n = (int)sizeof(buf) - 1;
    }
    mc_sha256_hex(buf, (size_t)n, hex);
    memcpy(out, hex + 64 - MC_EVAL_SECRET_LEN, MC_EVAL_SECRET_LEN);
    out[MC_EVAL_SECRET_LEN] = '\0';
}

static int
finished(const struct mc_dossier *d)
{
    return d->state == MC_DS_DONE || d->state == MC_DS_REJECTED ||
           d->state == MC_DS_RETURNED;
}

static int
check_scores(const struct mc_evaluation_in *in, struct mc_err *err)
{
    const int v[4] = {in->c1, in->c3, in->c4, in->c7};
    static const char *const f[4] = {"scores.1", "scores.3", "scores.4",
                                     "scores.7"};

    for (int i = 0; i < 4; i++) {
        if (v[i] < -1 || v[i] > 2) {
            return mc_err_set(err, MC_EINVAL, 422, "bad_score", f[i],
                              "a criterion is scored 2, 1 or 0");
        }
    }
    if (mc_eval_sat_parse(in->satisfaction) < 0) {
        return mc_err_set(err, MC_EINVAL, 422, "bad_satisfaction",
                          "satisfaction",
                          "satisfaction is very_satisfied, satisfied or "
                          "dissatisfied");
    }
    return MC_OK;
}

/* Load the dossier the evaluation is about and pick the channel. */
static int
resolve(struct mc_db *db, struct mc_eval_wctx *c, struct mc_dossier *d,
        enum mc_eval_channel *ch, struct mc_err *err)
{
    const struct mc_actor *a = c->actor;
    char secret[MC_EVAL_SECRET_LEN + 1];
    int rc;

    if (c->kiosk) {
        rc = c->in->code ? mc_q_dossier_by_code(db, c->in->code, c->arena,
                                                d, err)
                         : MC_ENOTFOUND;
        if (rc != MC_OK && rc != MC_ENOTFOUND) {
            return rc;
        }
        if (rc == MC_OK && d->received_at != 0) {
            mc_eval_kiosk_secret(d->code, d->received_at, secret);
        }
        /* same answer for an unknown code and a wrong secret */
        if (rc == MC_ENOTFOUND || d->received_at == 0 ||
            c->in->secret == NULL || !mc_ct_equal(secret, c->in->secret)) {
            return mc_err_set(err, MC_ENOTFOUND, 404, "not_found", "code",
                              "no dossier with this code and receipt "
                              "secret");
        }
        *ch = MC_EV_KIOSK;
        return MC_OK;
    }
    rc = mc_q_dossier_get(db, c->in->dossier_id, c->arena, d, err);
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such dossier");
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (a->role == MC_ROLE_CITIZEN) {
        if (d->applicant_id == 0 || d->applicant_id != a->account_id) {
            return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                              "only the applicant evaluates a dossier "
                              "online");
        }
        *ch = MC_EV_ONLINE;
        return MC_OK;
    }
    if (a->role == MC_ROLE_DESK && mc_actor_covers(a, d->recv_unit_path)) {
        *ch = MC_EV_DESK;
        return MC_OK;
    }
    return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                      "evaluations are given by the applicant, at the kiosk "
                      "or entered from a paper form by a desk officer of "
                      "the receiving unit");
}

static int
rollup_sat(struct mc_db *db, const struct mc_dossier *d, int sat,
           int64_t now, struct mc_err *err)
{
    struct mc_rollup_delta r;

    memset(&r, 0, sizeof(r));
    r.unit_id = d->unit_id;
    r.unit_path = d->unit_path;
    r.procedure_code = d->procedure_code;
    r.day = mc_local_day(now);
    r.v[MC_RC_EVAL_VERY + sat] = 1;
    return mc_q_eval_rollup_add(db, &r, err);
}

int
mc_evaluation_submit(struct mc_db *db, struct mc_eval_wctx *c,
                     struct mc_err *err)
{
    const struct mc_evaluation_in *in = c->in;
    struct mc_q_eval_row row;
    struct mc_dossier d;
    enum mc_eval_channel ch = MC_EV_ONLINE;
    json_t *payload = NULL;
    char obj[40];
    int64_t id = 0;
    int rc;

    rc = check_scores(in, err);
    if (rc == MC_OK) {
        rc = resolve(db, c, &d, &ch, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (!finished(&d)) {
        return mc_err_set(err, MC_ECONFLICT, 409, "not_finished", NULL,
                          "only a finished dossier (done, rejected or "
                          "returned) can be evaluated; it is %s",
                          mc_dstate_name(d.state));
    }
    memset(&row, 0, sizeof(row));
    row.dossier_id = d.id;
    row.channel = channel_names[ch];
    row.c1 = in->c1;
    row.c3 = in->c3;
    row.c4 = in->c4;
    row.c7 = in->c7;
    row.satisfaction = in->satisfaction;
    row.comment = in->comment;
    row.unit_id = d.unit_id;
    row.unit_path = d.unit_path;
    row.procedure_code = d.procedure_code;
    row.official_id = d.assignee_id;
    row.entered_by = c->kiosk ? 0 : c->actor->account_id;
    row.at = c->now;
    rc = mc_q_eval_insert(db, &row, &id, err);
    if (rc == MC_OK) {
        rc = rollup_sat(db, &d, mc_eval_sat_parse(in->satisfaction), c->now,
                        err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    payload = json_pack("{s:I,s:s,s:s,s:s}", "evaluation_id", (json_int_t)id,
                        "channel", row.channel, "satisfaction",
                        in->satisfaction, "code", d.code ? d.code : "");
    snprintf(obj, sizeof(obj), "dossier:%lld", (long long)d.id);
    rc = mc_audit_append(db, c->kiosk ? 0 : c->actor->account_id,
                         "dossier.evaluate", obj, payload, c->now, err);
    json_decref(payload);
    if (rc != MC_OK) {
        return rc;
    }
    c->out = json_pack("{s:I,s:I,s:s?,s:s,s:s}", "id", (json_int_t)id,
                       "dossier_id", (json_int_t)d.id, "code", d.code,
                       "channel", row.channel, "satisfaction",
                       in->satisfaction);
    return c->out != NULL ? MC_OK : MC_ENOMEM;
}

int
mc_evaluation_get(struct mc_db *db, const struct mc_actor *actor, int64_t id,
                  struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_dossier d;
    json_t *items = NULL, *o;
    int rc = mc_dossier_get(db, actor, id, a, &d, err);

    if (rc == MC_OK) {
        rc = mc_q_eval_list(db, id, &items, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    o = json_pack("{s:I,s:s?,s:b,s:o}", "dossier_id", (json_int_t)d.id,
                  "code", d.code, "finished", finished(&d), "items", items);
    if (o == NULL) {
        return MC_ENOMEM;
    }
    if (actor->role != MC_ROLE_CITIZEN && d.received_at != 0 &&
        d.code != NULL) {
        char secret[MC_EVAL_SECRET_LEN + 1];

        mc_eval_kiosk_secret(d.code, d.received_at, secret);
        json_object_set_new(o, "kiosk_secret", json_string(secret));
    }
    *out = o;
    return MC_OK;
}

/* ---- the lifecycle hook ---- */

static void
delta_of(const struct mc_dossier *d, int64_t at, struct mc_rollup_delta *r)
{
    memset(r, 0, sizeof(*r));
    r->unit_id = d->unit_id;
    r->unit_path = d->unit_path;
    r->procedure_code = d->procedure_code;
    r->day = mc_local_day(at);
}

static int
on_finish(struct mc_db *db, const struct mc_dossier *d, int rejected,
          struct mc_rollup_delta *r, struct mc_err *err)
{
    struct mc_eval_facts f;
    int rc;

    memset(&f, 0, sizeof(f));
    f.dossier_id = d->id;
    f.unit_id = d->unit_id;
    f.unit_path = d->unit_path;
    f.procedure_code = d->procedure_code;
    f.official_id = d->assignee_id;
    f.channel = d->channel;
    f.rejected = rejected;
    f.received_at = d->received_at;
    f.finished_at = d->finished_at;
    f.due_at = d->due_at;
    f.due_original = d->due_original;
    f.paused_seconds = d->paused_total;
    f.supplements = d->supplements;
    f.reschedules = d->reschedules;
    f.processing_seconds = mc_eval_processing_seconds(
        d->received_at, d->finished_at, d->paused_total);
    f.on_time = mc_eval_on_time(&f, &f.early);
    rc = mc_q_eval_files(db, d->id, d->applicant_id, &f.files, &f.e_result,
                         err);
    if (rc == MC_OK) {
        rc = mc_q_eval_step_score(db, d->id, d->finished_at, &f.c2, err);
    }
    if (rc == MC_OK) {
        rc = mc_q_eval_facts_insert(db, &f, err);
    }
    r->v[MC_RC_FINISHED] = 1;
    r->v[MC_RC_ON_TIME] = f.on_time;
    r->v[MC_RC_EARLY] = f.early;
    r->v[MC_RC_FINISHED_ONLINE] = d->channel == MC_CH_ONLINE;
    r->v[MC_RC_DIGITISED] = f.files > 0;
    r->v[MC_RC_E_RESULT] = f.e_result;
    r->v[MC_RC_SUPPLEMENTS] = f.supplements;
    r->v[MC_RC_PROCESSING_SECONDS] = f.processing_seconds;
    r->v[MC_RC_ONLINE_ON_TIME] = d->channel == MC_CH_ONLINE && f.on_time;
    r->v[MC_RC_DIGITISED_E_RESULT] = f.files > 0 && f.e_result;
    return rc;
}

int
mc_evaluation_on_transition(struct mc_db *db, int64_t now,
                            const char *action, const struct mc_dossier *d,
                            struct mc_err *err)
{
    struct mc_rollup_delta r;
    int rc;

    delta_of(d, now, &r);
    if (strcmp(action, "receive") == 0) {
        r.v[MC_RC_RECEIVED] = 1;
        r.v[MC_RC_RECEIVED_ONLINE] = d->channel == MC_CH_ONLINE;
    } else if (strcmp(action, "approve") == 0 ||
               strcmp(action, "reject") == 0) {
        rc = on_finish(db, d, action[0] == 'r', &r, err);
        if (rc != MC_OK) {
            return rc;
        }
    } else if (strcmp(action, "return_result") == 0) {
        r.v[MC_RC_RETURNED] = 1;
    } else if (strcmp(action, "stop") == 0) {
        r.v[MC_RC_WITHDRAWN] = 1;
    } else {
        return MC_OK;
    }
    return mc_q_eval_rollup_add(db, &r, err);
}

int
mc_evaluation_rollup_check(struct mc_db *db, int64_t *mismatches,
                           struct mc_err *err)
{
    return mc_q_eval_rollup_diff(db, mismatches, err);
}
