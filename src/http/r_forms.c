/*
 * r_forms.c - GET /api/v1/dossiers/{id}/forms/{form}: the TT 01/2018
 * forms of a dossier as PDF (src/doc/forms.h), with the visibility of
 * GET /dossiers/{id}:
 *
 *   01 receipt (received dossiers; for officials with the kiosk
 *   evaluation code, see domain/evaluation.h), 02 supplement request (the last
 *   request_supplement / request_intake_supplement event), 03 refusal (the
 *   last refuse / reject event), 04 apology (the reschedule event),
 *   05 control slip (the step ledger).
 *
 * 409 no_such_event when the dossier has not reached the form yet.
 */
#include <string.h>

#include "db/q_catalog.h"
#include "db/q_discipline.h"
#include "db/q_dossier.h"
#include "db/q_units.h"
#include "doc/forms.h"
#include "domain/dossier.h"
#include "domain/evaluation.h"
#include "domain/unit.h"
#include "domain/catalog.h"
#include "http/router.h"
#include "util/mctime.h"
#include "util/text.h"

struct fctx {
    struct mc_req *r;
    struct mc_db *db;
    struct mc_dossier d;
    struct mc_procedure p;
    struct mc_doc_head head;
    struct mc_doc_applicant app;
    struct mc_buf out;
};

static int64_t
jts(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    int64_t t = 0;

    if (json_is_string(v) && mc_parse_ts(json_string_value(v), &t) == 0) {
        return t;
    }
    return 0;
}

static int
need_event(struct fctx *f, const char *const *actions, const char **reason,
           json_t **data, int64_t *at)
{
    const char *act = NULL, *ds = NULL;
    int rc = mc_q_last_event(f->db, f->d.id, actions, &f->r->arena, &act,
                             &ds, reason, at, &f->r->err);

    if (rc == MC_ENOTFOUND) {
        return mc_err_set(&f->r->err, MC_ECONFLICT, 409, "no_such_event",
                          NULL, "the dossier has no %s event yet",
                          actions[0]);
    }
    if (rc == MC_OK) {
        *data = json_loads(ds ? ds : "{}", 0, NULL);
        rc = *data ? MC_OK : MC_ENOMEM;
    }
    return rc;
}

static int
unit_name(struct fctx *f, int64_t id, const char **out)
{
    struct mc_unit u;
    int rc = mc_unit_get(f->db, id, &u, &f->r->err);

    if (rc == MC_OK) {
        *out = mc_arena_strdup(&f->r->arena, u.name);
    }
    return rc;
}

static int
form_receipt(struct fctx *f)
{
    struct mc_doc_receipt x;
    struct mc_doc_paper *papers;
    char secret[MC_EVAL_SECRET_LEN + 1];

    memset(&x, 0, sizeof(x));
    if (f->d.received_at == 0) {
        return mc_err_set(&f->r->err, MC_ECONFLICT, 409, "no_such_event",
                          NULL, "the dossier was not received");
    }
    papers = mc_arena_zalloc(&f->r->arena,
                             sizeof(*papers) * (f->p.ncomponents + 1));
    if (papers == NULL) {
        return MC_ENOMEM;
    }
    for (size_t i = 0; i < f->p.ncomponents && i < MC_DOC_MAX_ITEMS; i++) {
        papers[i].name = f->p.components[i].name;
        papers[i].originals = f->p.components[i].qty_original;
        papers[i].copies = f->p.components[i].qty_copy;
        x.npapers = i + 1;
    }
    x.head = f->head;
    x.applicant = f->app;
    x.procedure = f->p.name;
    x.papers = papers;
    x.sets = 1;
    if (f->p.limit_value > 0) {
        x.time_limit = mc_arena_printf(&f->r->arena, "%lld %s",
                                       (long long)f->p.limit_value,
                                       mc_catalog_unit_label_vi(
                                           f->p.limit_unit));
    }
    x.received_at = f->d.received_at;
    x.due_at = f->d.due_at;
    x.return_place = f->head.issuer;
    /* the kiosk code, as GET /dossiers/{id}/evaluation: officials print
     * the receipt the applicant takes home; an online applicant rates
     * online instead */
    if (f->r->actor.role != MC_ROLE_CITIZEN && f->d.code != NULL) {
        mc_eval_kiosk_secret(f->d.code, f->d.received_at, secret);
        x.eval_secret = secret;
    }
    return mc_doc_receipt_pdf(&x, &f->out, &f->r->err);
}

static int
form_supplement(struct fctx *f)
{
    static const char *const acts[] = {"request_supplement",
                                       "request_intake_supplement", NULL};
    struct mc_doc_supplement x;
    struct mc_doc_paper *papers;
    json_t *data = NULL, *comps, *c;
    const char *reason = NULL;
    int64_t at = 0;
    size_t i, n = 0;
    int rc;

    memset(&x, 0, sizeof(x));
    if ((rc = need_event(f, acts, &reason, &data, &at)) != MC_OK) {
        return rc;
    }
    comps = json_object_get(data, "components");
    papers = mc_arena_zalloc(&f->r->arena,
                             sizeof(*papers) * (json_array_size(comps) + 1));
    if (papers == NULL) {
        json_decref(data);
        return MC_ENOMEM;
    }
    json_array_foreach(comps, i, c) {
        const char *name = json_string_value(json_object_get(c, "name"));
        if (name != NULL && n < MC_DOC_MAX_ITEMS) {
            papers[n].name = mc_arena_strdup(&f->r->arena, name);
            papers[n].originals = 1;
            n++;
        }
    }
    json_decref(data);
    x.head = f->head;
    x.head.issued_at = at;
    x.applicant = f->app;
    x.procedure = f->p.name;
    x.papers = papers;
    x.npapers = n;
    x.reason = reason;
    return mc_doc_supplement_pdf(&x, &f->out, &f->r->err);
}

static int
form_refusal(struct fctx *f)
{
    static const char *const acts[] = {"refuse", "reject", NULL};
    struct mc_doc_refusal x;
    const char *reason = NULL, **reasons;
    json_t *data = NULL;
    int64_t at = 0;
    int rc;

    memset(&x, 0, sizeof(x));
    if ((rc = need_event(f, acts, &reason, &data, &at)) != MC_OK) {
        return rc;
    }
    json_decref(data);
    reasons = mc_arena_zalloc(&f->r->arena, sizeof(*reasons));
    if (reasons == NULL) {
        return MC_ENOMEM;
    }
    reasons[0] = reason;
    x.head = f->head;
    x.head.issued_at = at;
    x.applicant = f->app;
    x.procedure = f->p.name;
    x.reasons = reasons;
    x.nreasons = reason ? 1 : 0;
    if (f->d.state == MC_DS_REJECTED ||
        (f->d.state == MC_DS_RETURNED && f->d.refused_at == 0)) {
        x.signer_title = "Thủ trưởng cơ quan giải quyết";
    }
    return mc_doc_refusal_pdf(&x, &f->out, &f->r->err);
}

static int
form_apology(struct fctx *f)
{
    static const char *const acts[] = {"reschedule", NULL};
    struct mc_doc_apology x;
    const char *reason = NULL;
    json_t *data = NULL;
    int64_t at = 0;
    int rc;

    memset(&x, 0, sizeof(x));
    if ((rc = need_event(f, acts, &reason, &data, &at)) != MC_OK) {
        return rc;
    }
    x.due_at = jts(data, "old_due");
    x.new_due_at = jts(data, "new_due");
    json_decref(data);
    x.head = f->head;
    x.head.issued_at = at;
    rc = unit_name(f, f->d.unit_id, &x.head.issuer);
    if (rc != MC_OK) {
        return rc;
    }
    x.receiving_body = f->head.issuer;
    x.applicant = f->app;
    x.procedure = f->p.name;
    x.received_at = f->d.received_at;
    x.reason = reason;
    return mc_doc_apology_pdf(&x, &f->out, &f->r->err);
}

static int
form_control(struct fctx *f)
{
    struct mc_doc_control x;
    struct mc_doc_handover *steps;
    json_t *ledger = NULL, *s;
    size_t i, n = 0;
    int rc;

    memset(&x, 0, sizeof(x));
    rc = mc_q_dossier_steps(f->db, f->d.id, &ledger, &f->r->err);
    if (rc != MC_OK) {
        return rc;
    }
    steps = mc_arena_zalloc(&f->r->arena,
                            sizeof(*steps) * (json_array_size(ledger) + 1));
    if (steps == NULL) {
        json_decref(ledger);
        return MC_ENOMEM;
    }
    json_array_foreach(ledger, i, s) {
        const char *out = json_string_value(json_object_get(s, "outcome"));
        const char *who = json_string_value(json_object_get(s,
                                                            "holder_name"));
        const char *unit = json_string_value(json_object_get(s,
                                                             "unit_name"));
        const char *name = json_string_value(json_object_get(s, "name"));
        if (n >= MC_DOC_MAX_ITEMS) {
            break;
        }
        steps[n].agency = unit ? mc_arena_strdup(&f->r->arena, unit) : NULL;
        steps[n].at = jts(s, "arrived_at");
        steps[n].receiver = who ? mc_arena_strdup(&f->r->arena, who) : NULL;
        steps[n].note = name ? mc_arena_strdup(&f->r->arena, name) : NULL;
        steps[n].timing = out == NULL                   ? MC_DOC_TIMING_NONE
                          : strcmp(out, "early") == 0   ? MC_DOC_TIMING_EARLY
                          : strcmp(out, "on_time") == 0 ? MC_DOC_TIMING_ON_TIME
                                                        : MC_DOC_TIMING_LATE;
        n++;
    }
    json_decref(ledger);
    x.head = f->head;
    x.receipt_number = f->d.code;
    x.applicant = f->app;
    x.procedure = f->p.name;
    x.received_at = f->d.received_at;
    x.due_at = f->d.due_at;
    rc = unit_name(f, f->d.unit_id, &x.resolving_agency);
    if (rc != MC_OK) {
        return rc;
    }
    x.steps = steps;
    x.nsteps = n;
    return mc_doc_control_pdf(&x, &f->out, &f->r->err);
}

int
mc_h_dossier_form(struct mc_req *r)
{
    struct fctx f;
    long long id;
    const char *form = r->nparams > 1 ? r->params[1] : "";
    int rc;

    memset(&f, 0, sizeof(f));
    f.r = r;
    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK) {
        return rc;
    }
    if (mc_parse_i64(r->params[0], &id) != 0 || id <= 0 ||
        strlen(form) != 2 || form[0] != '0' || form[1] < '1' ||
        form[1] > '5') {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such form: use 01..05");
    }
    if ((f.db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_dossier_get(f.db, &r->actor, id, &r->arena, &f.d, &r->err);
    if (rc == MC_OK) {
        rc = mc_q_proc_by_id(f.db, f.d.procedure_id, &r->arena, &f.p,
                             &r->err);
    }
    if (rc == MC_OK) {
        rc = mc_q_proc_load_detail(f.db, &f.p, &r->arena, &r->err);
    }
    if (rc == MC_OK) {
        rc = unit_name(&f, f.d.recv_unit_id, &f.head.issuer);
    }
    if (rc != MC_OK) {
        return rc;
    }
    f.head.number = f.d.code;
    f.head.issued_at = r->now;
    f.head.dossier_code = f.d.code;
    if (f.d.code != NULL) {
        f.head.qr_url = mc_arena_printf(&r->arena, "%s/tra-cuu/%s",
                                        r->app->public_base, f.d.code);
    }
    f.app.name = f.d.applicant_name;
    f.app.address = f.d.applicant_address;
    f.app.phone = f.d.applicant_phone;
    f.app.email = f.d.applicant_email;
    mc_buf_init(&f.out, MC_DOC_PDF_MAX);
    switch (form[1]) {
    case '1':
        rc = form_receipt(&f);
        break;
    case '2':
        rc = form_supplement(&f);
        break;
    case '3':
        rc = form_refusal(&f);
        break;
    case '4':
        rc = form_apology(&f);
        break;
    default:
        rc = form_control(&f);
        break;
    }
    if (rc == MC_OK) {
        mc_http_header(r, "Content-Disposition",
                       mc_arena_printf(&r->arena,
                                       "inline; filename=\"mau-%s-%lld.pdf\"",
                                       form, id));
        rc = mc_http_bytes(r, 200, "application/pdf", f.out.data, f.out.len);
    }
    mc_buf_release(&f.out);
    return rc;
}
