/*
 * apology.c - late forecast, apology drafts and the leaders' decision
 * (see apology.h).
 */
#include "domain/apology.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/q_apology.h"
#include "db/q_catalog.h"
#include "db/q_discipline.h"
#include "domain/catalog.h"
#include "domain/discipline.h"
#include "domain/notify.h"
#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"

json_t *
mc_apology_json(const struct mc_apology *ap)
{
    json_t *fc = ap->forecast ? json_loads(ap->forecast, 0, NULL) : NULL;

    return json_pack(
        "{s:I,s:I,s:s?,s:I,s:s,s:o,s:I,s:s?,s:o,s:s?,s:s?,s:o,s:o,s:o,s:s?}",
        "id", (json_int_t)ap->id, "dossier_id", (json_int_t)ap->dossier_id,
        "dossier_code", ap->dossier_code, "unit_id",
        (json_int_t)ap->unit_id, "state", ap->state ? ap->state : "draft",
        "due_at", mc_json_ts_value(ap->due_at), "shortfall_seconds",
        (json_int_t)ap->shortfall, "proposed_date", ap->proposed_date,
        "forecast", fc ? fc : json_object(), "reason", ap->reason,
        "new_date", ap->new_date, "created_at",
        mc_json_ts_value(ap->created_at), "decided_by",
        ap->decided_by ? json_integer(ap->decided_by) : json_null(),
        "decided_at", mc_json_ts_value(ap->decided_at), "decision_reason",
        ap->decision_reason);
}

/* ---- forecast ---- */

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* Typical working seconds of step k of p: ledger median, else budget. */
static int
typical(struct mc_db *db, const struct mc_calendar *cal,
        const struct mc_procedure *p, int k, struct mc_apology_cache *cache,
        struct mc_arena *a, int64_t *secs, int *samples, struct mc_err *err)
{
    int64_t *pairs = NULL, *d;
    int n = 0, rc;

    for (int i = 0; cache != NULL && i < cache->n; i++) {
        if (cache->e[i].procedure_id == p->id && cache->e[i].step == k) {
            *secs = cache->e[i].secs;
            *samples = cache->e[i].samples;
            return MC_OK;
        }
    }
    *secs = p->steps[k - 1].budget_minutes * 60;
    *samples = 0;
    rc = mc_q_step_samples(db, p->id, k, MC_APOLOGY_SAMPLES, a, &pairs, &n,
                           err);
    if (rc != MC_OK) {
        return rc;
    }
    if (n >= MC_APOLOGY_MIN_SAMPLES) {
        d = pairs; /* reuse the first half for the durations */
        for (int i = 0; i < n; i++) {
            d[i] = mc_calendar_work_seconds(cal, NULL, pairs[2 * i],
                                            pairs[2 * i + 1]);
        }
        qsort(d, (size_t)n, sizeof(*d), cmp_i64);
        *secs = n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
        *samples = n;
    }
    if (cache != NULL && cache->n < MC_APOLOGY_CACHE) {
        cache->e[cache->n].procedure_id = p->id;
        cache->e[cache->n].step = k;
        cache->e[cache->n].secs = *secs;
        cache->e[cache->n].samples = *samples;
        cache->n++;
    }
    return MC_OK;
}

/* The working day to propose: holds t, is a working day after due. */
static int
propose_day(const struct mc_calendar *cal, int64_t t, int64_t due,
            int32_t *day, struct mc_err *err)
{
    int32_t d = mc_local_day(t);

    if (mc_calendar_add_days(cal, d, 0, &d) != MC_OK ||
        (mc_local_ts(d + 1, 0) - 1 <= due &&
         mc_calendar_add_days(cal, mc_local_day(due), 1, &d) != MC_OK)) {
        return mc_err_set(err, MC_EINVAL, 422, "outside_calendar", NULL,
                          "the proposed date is outside the calendar");
    }
    *day = d;
    return MC_OK;
}

int
mc_apology_forecast(struct mc_db *db, const struct mc_calendar *cal,
                    const struct mc_dossier *d, int64_t now,
                    struct mc_apology_cache *cache, struct mc_arena *a,
                    struct mc_forecast *out, struct mc_err *err)
{
    struct mc_procedure *p = NULL;
    int64_t arrived = 0, secs, t;
    int k, samples, rc;

    memset(out, 0, sizeof(*out));
    rc = mc_catalog_get(db, d->procedure_id, a, &p, err);
    if (rc == MC_OK) {
        rc = mc_q_open_step_arrived(db, d->id, &arrived, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    k = d->step_seq < 1 ? 1 : d->step_seq;
    out->from_step = k;
    out->steps = (int)p->nsteps;
    for (int j = k; j <= (int)p->nsteps; j++) {
        rc = typical(db, cal, p, j, cache, a, &secs, &samples, err);
        if (rc != MC_OK) {
            return rc;
        }
        if (j == k && arrived != 0) {
            secs -= mc_calendar_work_seconds(cal, NULL, arrived, now);
            secs = secs < 0 ? 0 : secs;
        }
        out->needed += secs;
        out->samples += samples;
    }
    out->available = mc_calendar_work_seconds(cal, NULL, now, d->due_at);
    out->shortfall = out->needed - out->available;
    out->late = out->shortfall > 0 || now > d->due_at;
    if (!out->late) {
        return MC_OK;
    }
    if (now > d->due_at) {
        /* already overdue: the remaining work counts from now */
        rc = mc_calendar_add_work(cal, NULL, now, out->needed, &t);
        if (out->shortfall <= 0) {
            out->shortfall = out->needed > 0 ? out->needed : 1;
        }
    } else {
        rc = mc_calendar_add_work(cal, NULL, d->due_at, out->shortfall, &t);
    }
    if (rc != MC_OK) {
        return mc_err_set(err, MC_EINVAL, 422, "outside_calendar", NULL,
                          "the forecast falls outside the calendar");
    }
    return propose_day(cal, t, d->due_at, &out->proposed_day, err);
}

/* ---- drafts ---- */

static int
notify_leaders(struct mc_db *db, const struct mc_dossier *d, int64_t ap_id,
               const char *date, int64_t now, struct mc_arena *a,
               struct mc_err *err)
{
    struct mc_notification_new n;
    int64_t *leaders = NULL;
    int cnt = 0, rc;

    rc = mc_q_unit_leaders(db, d->unit_id, a, &leaders, &cnt, err);
    for (int i = 0; i < cnt && rc == MC_OK; i++) {
        memset(&n, 0, sizeof(n));
        n.account_id = leaders[i];
        n.dossier_id = d->id;
        n.kind = "apology_draft";
        n.title = mc_arena_printf(a, "Dự thảo phiếu xin lỗi: hồ sơ %s",
                                  d->code ? d->code : "");
        n.body = mc_arena_printf(
            a,
            "Hồ sơ %s dự báo trễ hạn. Đề nghị điền lý do và duyệt phiếu "
            "xin lỗi, hẹn lại ngày trả kết quả (đề xuất %s).",
            d->code ? d->code : "", date);
        n.dedup_key = mc_arena_printf(a, "apology_draft:%lld:%lld",
                                      (long long)ap_id,
                                      (long long)leaders[i]);
        if (n.title == NULL || n.body == NULL || n.dedup_key == NULL) {
            return MC_ENOMEM;
        }
        rc = mc_notify(db, &n, now, NULL, err);
    }
    return rc;
}

int
mc_apology_consider(struct mc_db *db, const struct mc_calendar *cal,
                    const struct mc_dossier *d, int64_t now,
                    struct mc_apology_cache *cache, struct mc_arena *a,
                    int *drafted, int64_t *recheck_at, struct mc_err *err)
{
    struct mc_forecast f;
    struct mc_apology ap;
    json_t *fc = NULL, *payload = NULL;
    char date[16], obj[40], *fs = NULL;
    int64_t id = 0;
    int exists = 0, rc;

    if (drafted != NULL) {
        *drafted = 0;
    }
    if (recheck_at != NULL) {
        *recheck_at = 0;
    }
    if (d->reschedules > 0 || d->due_at == 0 || cal == NULL) {
        return MC_OK;
    }
    rc = mc_q_apology_exists(db, d->id, d->due_at, &exists, err);
    if (rc != MC_OK || exists) {
        return rc;
    }
    rc = mc_apology_forecast(db, cal, d, now, cache, a, &f, err);
    if (rc == MC_EINVAL) {
        return MC_OK; /* outside the calendar: nothing to propose */
    }
    if (rc != MC_OK) {
        return rc;
    }
    if (!f.late) {
        int64_t slack = -f.shortfall, t = 0;
        if (slack < MC_APOLOGY_RECHECK_MIN) {
            slack = MC_APOLOGY_RECHECK_MIN;
        }
        if (recheck_at != NULL &&
            mc_calendar_add_work(cal, NULL, now, slack, &t) == MC_OK &&
            t < d->due_at) {
            *recheck_at = t;
        }
        return MC_OK;
    }
    mc_fmt_date(f.proposed_day, date, sizeof(date));
    fc = json_pack("{s:I,s:I,s:I,s:i,s:i,s:i,s:o,s:o}", "needed_seconds",
                   (json_int_t)f.needed, "available_seconds",
                   (json_int_t)f.available, "shortfall_seconds",
                   (json_int_t)f.shortfall, "from_step", f.from_step,
                   "steps", f.steps, "samples", f.samples, "at",
                   mc_json_ts_value(now), "overdue",
                   json_boolean(now > d->due_at));
    fs = fc ? json_dumps(fc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (fs == NULL) {
        rc = MC_ENOMEM;
        goto out;
    }
    memset(&ap, 0, sizeof(ap));
    ap.dossier_id = d->id;
    ap.unit_id = d->unit_id;
    ap.unit_path = d->unit_path;
    ap.due_at = d->due_at;
    ap.shortfall = f.shortfall;
    ap.proposed_date = date;
    ap.forecast = fs;
    ap.created_at = now;
    rc = mc_q_apology_insert(db, &ap, &id, err);
    if (rc != MC_OK || id == 0) {
        goto out;
    }
    snprintf(obj, sizeof(obj), "apology:%lld", (long long)id);
    payload = json_pack("{s:I,s:s,s:O}", "dossier_id", (json_int_t)d->id,
                        "proposed_date", date, "forecast", fc);
    if (payload == NULL) {
        rc = MC_ENOMEM;
        goto out;
    }
    rc = mc_audit_append(db, 0, "apology.draft", obj, payload, now, err);
    if (rc == MC_OK) {
        rc = notify_leaders(db, d, id, date, now, a, err);
    }
    if (rc == MC_OK && drafted != NULL) {
        *drafted = 1;
    }
out:
    free(fs);
    json_decref(fc);
    json_decref(payload);
    return rc;
}

/* ---- review ---- */

int
mc_apology_list(struct mc_db *db, const struct mc_actor *actor,
                const struct mc_apology_filter *f, struct mc_arena *a,
                json_t **items, int64_t *total, struct mc_err *err)
{
    struct mc_q_range s, u;
    struct mc_apology *rows = NULL;
    json_t *arr;
    int n = 0, rc;

    *items = NULL;
    if ((rc = mc_discipline_scope(actor, a, &s, err)) != MC_OK) {
        return rc;
    }
    if (f->state != NULL && strcmp(f->state, "draft") != 0 &&
        strcmp(f->state, "approved") != 0 &&
        strcmp(f->state, "dismissed") != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_state", "state",
                          "state is draft, approved or dismissed");
    }
    rc = mc_discipline_unit_range(db, actor, f->unit_id, a, &u, err);
    if (rc == MC_OK) {
        rc = mc_q_apology_list(db, &s, &u, f, a, &rows, &n, total, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    arr = json_array();
    for (int i = 0; i < n && arr != NULL; i++) {
        json_array_append_new(arr, mc_apology_json(&rows[i]));
    }
    *items = arr;
    return arr ? MC_OK : MC_ENOMEM;
}

/* The reschedule transition of an approved apology, as the leader. */
static int
reschedule(struct mc_db *db, struct mc_apology_decision *c,
           const struct mc_apology *ap, int32_t day, struct mc_err *err)
{
    struct mc_transition_req tr;
    struct mc_dossier_wctx w;
    struct mc_dossier *d = mc_arena_zalloc(c->arena, sizeof(*d));
    int rc;

    if (d == NULL) {
        return MC_ENOMEM;
    }
    memset(&tr, 0, sizeof(tr));
    tr.action = "reschedule";
    tr.reason = c->reason;
    tr.due = mc_local_ts(day, 12 * 3600);
    memset(&w, 0, sizeof(w));
    w.actor = c->actor;
    w.cal = c->cal;
    w.arena = c->arena;
    w.now = c->now;
    w.dossier_id = ap->dossier_id;
    w.tr = &tr;
    w.out = d;
    rc = mc_dossier_transition(db, &w, err);
    if (rc == MC_OK) {
        c->dossier = mc_dossier_json(d);
        rc = c->dossier ? MC_OK : MC_ENOMEM;
    }
    return rc;
}

int
mc_apology_decide(struct mc_db *db, struct mc_apology_decision *c,
                  struct mc_err *err)
{
    const struct mc_actor *a = c->actor;
    struct mc_apology ap;
    const char *state, *date = NULL;
    json_t *payload;
    char act[40], obj[40], buf[16];
    int32_t day = 0;
    int approve, rc;

    if (a->role != MC_ROLE_LEADER) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "role_not_allowed", NULL,
                          "only unit leaders decide on apologies");
    }
    if (c->decision == NULL || (strcmp(c->decision, "approve") != 0 &&
                                strcmp(c->decision, "dismiss") != 0)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_decision", "decision",
                          "decision is approve or dismiss");
    }
    if (c->reason == NULL || *c->reason == '\0') {
        return mc_err_set(err, MC_EINVAL, 400, "missing_field", "reason",
                          "a decision needs a reason");
    }
    approve = strcmp(c->decision, "approve") == 0;
    if (approve && c->new_date != NULL && mc_parse_date(c->new_date, &day)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_date", "new_date",
                          "new_date must be a date YYYY-MM-DD");
    }
    rc = mc_q_apology_get(db, c->id, c->arena, &ap, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (!mc_actor_covers(a, ap.unit_path)) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", NULL,
                          "this apology is outside your unit");
    }
    if (strcmp(ap.state, "draft") != 0) {
        return mc_err_set(err, MC_ECONFLICT, 409, "already_decided", NULL,
                          "this apology was already decided");
    }
    if (approve) {
        if (day == 0 && mc_parse_date(ap.proposed_date, &day) != 0) {
            return mc_err_set(err, MC_EINTERNAL, 500, "bad_record", NULL,
                              "stored proposed date is not a date");
        }
        mc_fmt_date(day, buf, sizeof(buf));
        date = mc_arena_strdup(c->arena, buf);
        if (date == NULL) {
            return MC_ENOMEM;
        }
        rc = reschedule(db, c, &ap, day, err);
        if (rc != MC_OK) {
            return rc;
        }
    }
    state = approve ? "approved" : "dismissed";
    rc = mc_q_apology_decide(db, ap.id, state, a->account_id, c->now,
                             c->reason, date, err);
    if (rc != MC_OK) {
        return rc;
    }
    ap.state = state;
    ap.reason = ap.decision_reason = c->reason;
    ap.new_date = date;
    ap.decided_by = a->account_id;
    ap.decided_at = c->now;
    snprintf(act, sizeof(act), "apology.%s", c->decision);
    snprintf(obj, sizeof(obj), "apology:%lld", (long long)ap.id);
    payload = json_pack("{s:I,s:s,s:s?}", "dossier_id",
                        (json_int_t)ap.dossier_id, "reason", c->reason,
                        "new_date", date);
    if (payload == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_audit_append(db, a->account_id, act, obj, payload, c->now, err);
    json_decref(payload);
    if (rc != MC_OK) {
        return rc;
    }
    c->out = mc_apology_json(&ap);
    return c->out ? MC_OK : MC_ENOMEM;
}
