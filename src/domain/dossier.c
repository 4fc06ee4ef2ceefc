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

int
mc_dossier_json_write(const struct mc_dossier *d,
                      const struct mc_actor *actions_for, json_t *ledger,
                      struct mc_buf *b)
{
    struct mc_jw w;

    mc_jw_begin(&w, b);
    mc_jw_int(&w, "id", d->id);
    mc_jw_str(&w, "code", d->code);
    mc_jw_int(&w, "procedure_id", d->procedure_id);
    mc_jw_str(&w, "procedure_code", d->procedure_code);
    mc_jw_int(&w, "receiving_unit_id", d->recv_unit_id);
    mc_jw_int(&w, "unit_id", d->unit_id);
    mc_jw_int(&w, "applicant_id", d->applicant_id);
    mc_jw_open(&w, "applicant");
    mc_jw_str(&w, "name", d->applicant_name);
    mc_jw_str(&w, "id_number", d->applicant_id_number);
    mc_jw_str(&w, "phone", d->applicant_phone);
    mc_jw_str(&w, "email", d->applicant_email);
    mc_jw_str(&w, "address", d->applicant_address);
    mc_jw_close(&w);
    mc_jw_str(&w, "summary", d->summary);
    mc_jw_int(&w, "channel", d->channel);
    mc_jw_str(&w, "state", mc_dstate_name(d->state));
    mc_jw_str(&w, "state_label", mc_dstate_label_vi(d->state));
    mc_jw_int(&w, "status", mc_dstate_dvcqg(d->state));
    mc_jw_ts(&w, "submitted_at", d->submitted_at);
    mc_jw_ts(&w, "received_at", d->received_at);
    mc_jw_ts(&w, "due_at", d->due_at);
    mc_jw_ts(&w, "due_original", d->due_original);
    /* stored by mc_dossier_transition as compact JSON: answered as is */
    mc_jw_raw(&w, "due_provenance", d->due_provenance);
    mc_jw_ts(&w, "finished_at", d->finished_at);
    mc_jw_ts(&w, "returned_at", d->returned_at);
    mc_jw_ts(&w, "refused_at", d->refused_at);
    mc_jw_ts(&w, "stopped_at", d->stopped_at);
    mc_jw_ts(&w, "paused_since", d->paused_at);
    mc_jw_int(&w, "paused_seconds", d->paused_total);
    mc_jw_int(&w, "reschedules", d->reschedules);
    mc_jw_int(&w, "supplement_requests", d->supplements);
    mc_jw_int(&w, "step", d->step_seq);
    mc_jw_id(&w, "assignee_id", d->assignee_id);
    mc_jw_id(&w, "consult_unit_id", d->consult_unit_id);
    mc_jw_ts(&w, "consult_due", d->consult_due);
    mc_jw_str(&w, "result", d->result_text);
    mc_jw_int(&w, "version", d->version);
    mc_jw_ts(&w, "updated_at", d->updated_at);
    if (actions_for != NULL) {
        mc_dossier_allowed_actions_write(actions_for, d, &w);
    }
    if (ledger != NULL) {
        mc_jw_value(&w, "ledger", ledger);
    }
    return mc_jw_end(&w);
}

json_t *
mc_dossier_json(const struct mc_dossier *d)
{
    struct mc_buf b;
    json_t *o = NULL;

    /* one definition of the view: mc_dossier_json_write's text, parsed
     * (the provenance becomes a tree; dumped again it is the same text) */
    mc_buf_init(&b, 16u << 20);
    if (mc_dossier_json_write(d, NULL, NULL, &b) == MC_OK) {
        o = json_loadb(b.data, b.len, JSON_ALLOW_NUL, NULL);
    }
    mc_buf_release(&b);
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

void
mc_dossier_list_item_write(struct mc_jw *w, const struct mc_q_dossier_row *row)
{
    int si = mc_dstate_parse(row->state);

    mc_jw_item_open(w);
    mc_jw_int(w, "id", row->id);
    mc_jw_str(w, "code", row->code);
    mc_jw_str(w, "procedure_code", row->procedure_code);
    mc_jw_str(w, "procedure_name", row->procedure_name);
    mc_jw_str(w, "applicant_name", row->applicant_name);
    mc_jw_str(w, "state", row->state);
    mc_jw_str(w, "state_label",
              mc_dstate_label_vi(si < 0 ? MC_DS_SUBMITTED
                                        : (enum mc_dstate)si));
    mc_jw_int(w, "status", row->status);
    mc_jw_int(w, "channel", row->channel);
    mc_jw_ts(w, "submitted_at", row->submitted_at);
    mc_jw_ts(w, "received_at", row->received_at);
    mc_jw_ts(w, "due_at", row->due_at);
    mc_jw_int(w, "assignee_id", row->assignee_id);
    mc_jw_int(w, "unit_id", row->unit_id);
    mc_jw_ts(w, "finished_at", row->finished_at);
    mc_jw_close(w);
}

static int
list_item(void *ctx, const struct mc_q_dossier_row *row)
{
    struct mc_jw *w = ctx;

    mc_dossier_list_item_write(w, row);
    return w->rc;
}

int
mc_dossier_list(struct mc_db *db, const struct mc_actor *actor,
                const struct mc_dossier_filter *f, struct mc_arena *a,
                struct mc_buf *out, struct mc_err *err)
{
    struct mc_q_dossier_scope s = {0};
    struct mc_dossier_filter ff = *f;
    struct mc_jw w;
    int64_t total = 0;
    int capped = 0, rc;

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
    mc_jw_begin(&w, out);
    mc_jw_array(&w, "items");
    rc = mc_q_dossier_list(db, &s, &ff, actor->account_id, a, list_item, &w,
                           &total, &capped, err);
    if (rc != MC_OK && rc != w.rc) {
        return rc; /* the query failed: err is set */
    }
    mc_jw_array_end(&w);
    mc_jw_int(&w, "total", total);
    mc_jw_bool(&w, "total_capped", capped);
    mc_jw_int(&w, "limit", f->limit);
    mc_jw_int(&w, "offset", f->offset);
    rc = mc_jw_end(&w);
    if (rc == MC_ENOMEM) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    if (rc != MC_OK) {
        return mc_err_set(err, rc, 500, "response_too_large", NULL,
                          "response too large");
    }
    return MC_OK;
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
