/*
 * dossier.c - dossier states, reading with scope, JSON views.
 * The transitions themselves are in lifecycle.c.
 */
#include "domain/dossier.h"

#include <string.h>

#include "db/q_dossier.h"
#include "domain/unit.h"
#include "util/json.h"
#include "util/text.h"

static const struct {
    const char *name;
    int dvcqg;
    const char *vi;
} states[MC_DS__COUNT] = {
    [MC_DS_SUBMITTED] = {"submitted", 1, "Mới đăng ký"},
    [MC_DS_INTAKE_SUPPLEMENT] = {"intake_supplement", 1,
                                 "Chờ bổ sung trước khi tiếp nhận"},
    [MC_DS_REFUSED] = {"refused", 3, "Không được tiếp nhận"},
    [MC_DS_RECEIVED] = {"received", 2, "Được tiếp nhận"},
    [MC_DS_PROCESSING] = {"processing", 4, "Đang xử lý"},
    [MC_DS_SUPPLEMENT] = {"supplement", 5, "Yêu cầu bổ sung giấy tờ"},
    [MC_DS_FINANCIAL] = {"financial", 6,
                         "Yêu cầu thực hiện nghĩa vụ tài chính"},
    [MC_DS_CONSULTING] = {"consulting", 4, "Đang xử lý (lấy ý kiến)"},
    [MC_DS_PENDING_APPROVAL] = {"pending_approval", 4,
                                "Đang xử lý (chờ phê duyệt)"},
    [MC_DS_WITHDRAW_REQUESTED] = {"withdraw_requested", 7,
                                  "Công dân yêu cầu rút hồ sơ"},
    [MC_DS_STOPPED] = {"stopped", 8, "Dừng xử lý"},
    [MC_DS_DONE] = {"done", 9, "Đã xử lý xong"},
    [MC_DS_REJECTED] = {"rejected", 9, "Đã xử lý xong (từ chối giải quyết)"},
    [MC_DS_RETURNED] = {"returned", 10, "Đã trả kết quả"},
};

const char *
mc_dstate_name(enum mc_dstate s)
{
    return (unsigned)s < MC_DS__COUNT ? states[s].name : NULL;
}

int
mc_dstate_parse(const char *s)
{
    if (s == NULL) {
        return -1;
    }
    for (int i = 0; i < MC_DS__COUNT; i++) {
        if (strcmp(states[i].name, s) == 0) {
            return i;
        }
    }
    return -1;
}

int
mc_dstate_dvcqg(enum mc_dstate s)
{
    return (unsigned)s < MC_DS__COUNT ? states[s].dvcqg : 0;
}

const char *
mc_dstate_label_vi(enum mc_dstate s)
{
    return (unsigned)s < MC_DS__COUNT ? states[s].vi : "";
}

int
mc_dstate_closed(enum mc_dstate s)
{
    return s == MC_DS_REFUSED || s == MC_DS_STOPPED || s == MC_DS_RETURNED;
}

int
mc_dossier_visible(const struct mc_actor *actor, const struct mc_dossier *d)
{
    if (actor->role == MC_ROLE_CITIZEN) {
        return d->applicant_id != 0 && d->applicant_id == actor->account_id;
    }
    if (actor->role == MC_ROLE_PARTNER) {
        return d->channel == MC_CH_ONLINE;
    }
    return mc_actor_covers(actor, d->unit_path) ||
           mc_actor_covers(actor, d->recv_unit_path) ||
           (d->consult_unit_path != NULL &&
            mc_actor_covers(actor, d->consult_unit_path));
}

int
mc_dossier_get(struct mc_db *db, const struct mc_actor *actor, int64_t id,
               struct mc_arena *a, struct mc_dossier *out,
               struct mc_err *err)
{
    int rc = mc_q_dossier_get(db, id, a, out, err);

    if (rc != MC_OK) {
        return rc;
    }
    if (!mc_dossier_visible(actor, out)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "this dossier is outside your unit or is not "
                          "yours");
    }
    return MC_OK;
}

json_t *
mc_dossier_json(const struct mc_dossier *d)
{
    json_t *o, *prov = NULL;

    if (d->due_provenance != NULL) {
        /* stored by mc_dossier_transition as compact JSON: answered as
         * is, without a parse and re-serialisation */
        prov = mc_json_raw(d->due_provenance);
    }
    o = json_pack(
        "{s:I,s:s?,s:I,s:s,s:I,s:I,s:I,s:{s:s,s:s?,s:s?,s:s?,s:s?},s:s?,"
        "s:I,s:s,s:s,s:I}",
        "id", (json_int_t)d->id, "code", d->code, "procedure_id",
        (json_int_t)d->procedure_id, "procedure_code", d->procedure_code,
        "receiving_unit_id", (json_int_t)d->recv_unit_id, "unit_id",
        (json_int_t)d->unit_id, "applicant_id", (json_int_t)d->applicant_id,
        "applicant", "name", d->applicant_name, "id_number",
        d->applicant_id_number, "phone", d->applicant_phone, "email",
        d->applicant_email, "address", d->applicant_address, "summary",
        d->summary, "channel", (json_int_t)d->channel, "state",
        mc_dstate_name(d->state), "state_label",
        mc_dstate_label_vi(d->state), "status",
        (json_int_t)mc_dstate_dvcqg(d->state));
    if (o == NULL) {
        json_decref(prov);
        return NULL;
    }
    json_object_set_new(o, "submitted_at", mc_json_ts_value(d->submitted_at));
    json_object_set_new(o, "received_at", mc_json_ts_value(d->received_at));
    json_object_set_new(o, "due_at", mc_json_ts_value(d->due_at));
    json_object_set_new(o, "due_original", mc_json_ts_value(d->due_original));
    json_object_set_new(o, "due_provenance", prov ? prov : json_null());
    json_object_set_new(o, "finished_at", mc_json_ts_value(d->finished_at));
    json_object_set_new(o, "returned_at", mc_json_ts_value(d->returned_at));
    json_object_set_new(o, "refused_at", mc_json_ts_value(d->refused_at));
    json_object_set_new(o, "stopped_at", mc_json_ts_value(d->stopped_at));
    json_object_set_new(o, "paused_since", mc_json_ts_value(d->paused_at));
    json_object_set_new(o, "paused_seconds", json_integer(d->paused_total));
    json_object_set_new(o, "reschedules", json_integer(d->reschedules));
    json_object_set_new(o, "supplement_requests",
                        json_integer(d->supplements));
    json_object_set_new(o, "step", json_integer(d->step_seq));
    json_object_set_new(o, "assignee_id",
                        d->assignee_id ? json_integer(d->assignee_id)
                                       : json_null());
    json_object_set_new(o, "consult_unit_id",
                        d->consult_unit_id ? json_integer(d->consult_unit_id)
                                           : json_null());
    json_object_set_new(o, "consult_due", mc_json_ts_value(d->consult_due));
    json_object_set_new(o, "result",
                        d->result_text ? json_string(d->result_text)
                                       : json_null());
    json_object_set_new(o, "version", json_integer(d->version));
    json_object_set_new(o, "updated_at", mc_json_ts_value(d->updated_at));
    return o;
}

int
mc_dossier_public(struct mc_db *db, const char *code, json_t **out,
                  struct mc_err *err)
{
    size_t n = code ? strlen(code) : 0;

    if (n == 0 || n > 64 || !mc_utf8_valid(code, n)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_code", "code",
                          "a dossier code looks like H26.00004-261126-0001");
    }
    return mc_q_dossier_public(db, code, out, err);
}

int
mc_dossier_list(struct mc_db *db, const struct mc_actor *actor,
                const struct mc_dossier_filter *f, struct mc_arena *a,
                json_t **items, int64_t *total, int *capped,
                struct mc_err *err)
{
    struct mc_q_dossier_scope s = {0};
    struct mc_dossier_filter ff = *f;

    if (actor->role == MC_ROLE_ADMIN) {
        s.all = 1;
    } else if (actor->role == MC_ROLE_CITIZEN) {
        s.applicant_id = actor->account_id;
    } else if (mc_role_is_official(actor->role) && actor->unit_path[0]) {
        s.path_lo = actor->unit_path;
        s.path_hi = mc_unit_path_hi_dup(a, actor->unit_path);
    } else {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "your role may not list dossiers");
    }
    if (ff.q != NULL && *ff.q != '\0') {
        ff.qfold = mc_fold(a, ff.q);
    }
    if (ff.state != NULL && mc_dstate_parse(ff.state) < 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_state", "state",
                          "unknown state '%.40s'", ff.state);
    }
    return mc_q_dossier_list(db, &s, &ff, actor->account_id, a, items, total,
                             capped, err);
}

int
mc_dossier_events(struct mc_db *db, const struct mc_actor *actor, int64_t id,
                  struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_dossier d;
    int rc = mc_dossier_get(db, actor, id, a, &d, err);

    if (rc != MC_OK) {
        return rc;
    }
    return mc_q_dossier_events(db, id, out, err);
}
