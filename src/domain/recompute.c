/*
 * recompute.c - open dossiers' deadlines after a calendar change (see
 * recompute.h). The rule of the receive transition is reused as is
 * (mc_dossier_compute_due); this file only decides which dossiers to look
 * at, which to keep, and records what changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/q_catalog.h"
#include "db/q_dossier.h"
#include "db/q_recompute.h"
#include "domain/dossier.h"
#include "domain/notify.h"
#include "domain/recompute.h"
#include "domain/sweep.h"
#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"

static const struct mc_actor system_actor = {0, MC_ROLE_SYSTEM, 0, "", ""};

/* Record the new due date of d (event, audit) and list it in c. */
static int
record(struct mc_db *db, struct mc_recompute *c, struct mc_dossier *d,
       int64_t old_due, struct mc_arena *a, struct mc_err *err)
{
    const struct mc_actor *actor = c->actor ? c->actor : &system_actor;
    const char *state = mc_dstate_name(d->state);
    int ver = mc_calendar_version(c->new_cal);
    json_t *data, *payload = NULL, *item = NULL;
    char *data_s = NULL, obj[40];
    int rc;

    data = json_pack("{s:o,s:o,s:i,s:i}", "old_due",
                     mc_json_ts_value(old_due), "new_due",
                     mc_json_ts_value(d->due_at), "calendar_version", ver,
                     "old_calendar_version",
                     mc_calendar_version(c->old_cal));
    if (data == NULL || (data_s = json_dumps(data, JSON_COMPACT)) == NULL) {
        rc = MC_ENOMEM;
        goto out;
    }
    rc = mc_q_dossier_event(db, d->id, "deadline_recomputed", state, state,
                            actor->account_id, mc_role_name(actor->role),
                            actor->unit_id, c->now,
                            mc_arena_printf(a, "calendar version %d", ver),
                            data_s, err);
    if (rc != MC_OK) {
        goto out;
    }
    payload = json_pack("{s:s,s:s?,s:O}", "state", state, "code", d->code,
                        "data", data);
    snprintf(obj, sizeof(obj), "dossier:%lld", (long long)d->id);
    rc = payload ? mc_audit_append(db, actor->account_id,
                                   "dossier.deadline_recomputed", obj,
                                   payload, c->now, err)
                 : MC_ENOMEM;
    if (rc != MC_OK) {
        goto out;
    }
    item = json_pack("{s:I,s:s?,s:s,s:o,s:o}", "id", (json_int_t)d->id,
                     "code", d->code, "state", state, "old_due",
                     mc_json_ts_value(old_due), "new_due",
                     mc_json_ts_value(d->due_at));
    rc = item && json_array_append_new(c->affected, item) == 0 ? MC_OK
                                                               : MC_ENOMEM;
out:
    free(data_s);
    json_decref(payload);
    json_decref(data);
    return rc;
}

/*
 * Tell the applicant and the current holder (assignee) once that the
 * appointment date moved because the working-day calendar changed.
 */
static int
notify_moved(struct mc_db *db, struct mc_recompute *c,
             const struct mc_dossier *d, int ver, struct mc_arena *a,
             struct mc_err *err)
{
    struct mc_notification_new n;
    char due[32];
    int rc = MC_OK;

    mc_fmt_date_vn(mc_local_day(d->due_at), due, sizeof(due));
    memset(&n, 0, sizeof(n));
    n.dossier_id = d->id;
    n.kind = "deadline_recomputed";
    n.title = mc_arena_printf(a, "Ngày hẹn trả hồ sơ %s thay đổi",
                              d->code ? d->code : "");
    n.body = mc_arena_printf(a,
                             "Lịch ngày làm việc được điều chỉnh (phiên bản "
                             "%d); ngày hẹn trả kết quả mới của hồ sơ %s là "
                             "%s.",
                             ver, d->code ? d->code : "", due);
    if (n.title == NULL || n.body == NULL) {
        return MC_ENOMEM;
    }
    if (d->applicant_id != 0 || d->applicant_email || d->applicant_phone) {
        n.account_id = d->applicant_id;
        n.address = d->applicant_email ? d->applicant_email
                                       : d->applicant_phone;
        n.dedup_key = mc_arena_printf(a, "recompute:%lld:%d:applicant",
                                      (long long)d->id, ver);
        rc = n.dedup_key ? mc_notify(db, &n, c->now, NULL, err) : MC_ENOMEM;
    }
    if (rc == MC_OK && d->assignee_id != 0) {
        n.account_id = d->assignee_id;
        n.address = NULL;
        n.dedup_key = mc_arena_printf(a, "recompute:%lld:%d:holder",
                                      (long long)d->id, ver);
        rc = n.dedup_key ? mc_notify(db, &n, c->now, NULL, err) : MC_ENOMEM;
    }
    return rc;
}

/* Recompute one dossier; lists it in c when its due date moves. */
static int
recompute_one(struct mc_db *db, struct mc_recompute *c, int64_t id,
              struct mc_err *err)
{
    struct mc_dossier_wctx w;
    struct mc_procedure p;
    struct mc_dossier d;
    struct mc_arena a;
    int64_t old_due;
    int rc;

    mc_arena_init(&a, 0);
    rc = mc_q_dossier_get(db, id, &a, &d, err);
    if (rc != MC_OK) {
        goto out;
    }
    if (d.reschedules > 0) {
        c->skipped_rescheduled++; /* the new date was promised in writing */
        goto out;
    }
    if (d.paused_at != 0) {
        c->skipped_paused++; /* recomputed when the clock resumes */
        goto out;
    }
    rc = mc_q_proc_by_id(db, d.procedure_id, &a, &p, err);
    if (rc != MC_OK) {
        goto out;
    }
    memset(&w, 0, sizeof(w));
    w.actor = c->actor ? c->actor : &system_actor;
    w.cal = c->new_cal;
    w.arena = &a;
    w.now = c->now;
    w.dossier_id = id;
    w.out = &d;
    old_due = d.due_at;
    rc = mc_dossier_compute_due(db, &w, &d, &p, err);
    if (rc != MC_OK || d.due_at == old_due) {
        goto out;
    }
    d.version++;
    d.updated_at = c->now;
    rc = mc_q_dossier_update(db, NULL, &d, err);
    if (rc == MC_OK) {
        rc = record(db, c, &d, old_due, &a, err);
    }
    if (rc == MC_OK) {
        /* the sweeper's next look follows the new due date */
        rc = mc_sweep_touch(db, &d, c->now, err);
    }
    if (rc == MC_OK) {
        rc = notify_moved(db, c, &d, mc_calendar_version(c->new_cal), &a,
                          err);
    }
out:
    mc_arena_release(&a);
    return rc;
}

int
mc_dossier_recompute_deadlines(struct mc_db *db, void *ctx,
                               struct mc_err *err)
{
    struct mc_recompute *c = ctx;
    struct mc_arena a;
    int64_t *ids = NULL;
    int32_t first = 0, last = 0;
    int n = 0, rc;

    c->affected = json_array();
    c->skipped_rescheduled = c->skipped_paused = 0;
    if (c->affected == NULL) {
        return MC_ENOMEM;
    }
    if (!mc_calendar_diff(c->old_cal, c->new_cal,
                          mc_calendar_first_day(c->new_cal),
                          mc_calendar_last_day(c->new_cal), &first, &last)) {
        return MC_OK; /* no day changed its working status */
    }
    /*
     * A period runs over the days after receipt up to the due day; a
     * changed day outside [received day, due day] cannot move the due
     * date, so only dossiers with due_at on or after the first changed
     * day and received before the end of the last one are looked at.
     */
    mc_arena_init(&a, 0);
    rc = mc_q_dossier_open_due_window(db, mc_local_ts(first, 0),
                                      mc_local_ts(last + 1, 0), &a, &ids, &n,
                                      err);
    for (int i = 0; rc == MC_OK && i < n; i++) {
        rc = recompute_one(db, c, ids[i], err);
    }
    mc_arena_release(&a);
    if (rc != MC_OK) {
        json_decref(c->affected);
        c->affected = NULL;
    }
    return rc;
}

int
mc_calendar_change_recompute(struct mc_db *db, void *ctx,
                             struct mc_err *err)
{
    struct mc_calendar_recompute *c = ctx;
    struct mc_calendar *old_cal = NULL, *new_cal = NULL;
    struct mc_recompute r;
    json_t *payload = NULL;
    char obj[32];
    int rc;

    memset(&r, 0, sizeof(r));
    c->affected = NULL;
    if ((rc = mc_calendar_seed(db, NULL, err)) != MC_OK ||
        (rc = mc_calendar_load(db, &old_cal, err)) != MC_OK ||
        (rc = mc_calendar_change_apply(db, c->change, err)) != MC_OK ||
        (rc = mc_calendar_load_version(db, c->change->version, &new_cal,
                                       err)) != MC_OK) {
        goto out;
    }
    r.old_cal = old_cal;
    r.new_cal = new_cal;
    r.actor = c->actor;
    r.now = c->now;
    rc = mc_dossier_recompute_deadlines(db, &r, err);
    if (rc != MC_OK) {
        goto out;
    }
    payload = json_pack("{s:i,s:i,s:s?,s:o,s:I,s:i,s:i}", "version",
                        c->change->version, "old_version",
                        mc_calendar_version(old_cal), "note",
                        c->change->note, "effective_from",
                        mc_json_ts_value(mc_calendar_effective_from(new_cal)),
                        "affected", (json_int_t)json_array_size(r.affected),
                        "skipped_rescheduled", r.skipped_rescheduled,
                        "skipped_paused", r.skipped_paused);
    if (payload == NULL) {
        rc = MC_ENOMEM;
        goto out;
    }
    snprintf(obj, sizeof(obj), "calendar:%d", c->change->version);
    rc = mc_audit_append(db,
                         c->actor ? c->actor->account_id
                                  : c->change->actor_id,
                         "calendar.change", obj, payload, c->now, err);
    if (rc == MC_OK) {
        c->affected = r.affected;
        r.affected = NULL;
    }
out:
    json_decref(payload);
    json_decref(r.affected);
    mc_calendar_free(new_cal);
    mc_calendar_free(old_cal);
    return rc;
}
