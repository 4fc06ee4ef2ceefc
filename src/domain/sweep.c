/*
 * sweep.c - the deadline sweeper (see sweep.h).
 */
#include "domain/sweep.h"

#include <stdlib.h>
#include <string.h>

#include "db/q_discipline.h"
#include "db/q_dossier.h"
#include "domain/apology.h"
#include "domain/calendar.h"
#include "domain/discipline.h"
#include "domain/feedback.h"
#include "domain/notify.h"
#include "domain/ratelimit.h"
#include "domain/tasks.h"
#include "sec/audit.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/mctime.h"

enum { LV_NONE = 0, LV_NEAR = 1, LV_OVER = 2 };

/* Running: open, clock not paused, with a due date. */
static int
running(const struct mc_dossier *d)
{
    switch (d->state) {
    case MC_DS_RECEIVED:
    case MC_DS_PROCESSING:
    case MC_DS_FINANCIAL:
    case MC_DS_CONSULTING:
    case MC_DS_PENDING_APPROVAL:
        return d->due_at != 0 && d->paused_at == 0;
    default:
        return 0;
    }
}

int64_t
mc_sweep_near_start(const struct mc_calendar *cal, int64_t due, int near_days)
{
    int32_t day = mc_local_day(due), start;

    if (near_days <= 0) {
        return mc_local_ts(day, 0);
    }
    if (cal == NULL ||
        mc_calendar_add_days(cal, day, -near_days, &start) != MC_OK) {
        return due - (int64_t)near_days * MC_DAY;
    }
    return mc_local_ts(start, 0);
}

int
mc_sweep_touch(struct mc_db *db, const struct mc_dossier *d, int64_t now,
               struct mc_err *err)
{
    if (!running(d)) {
        return mc_q_watch_drop(db, d->id, err);
    }
    return mc_q_watch_touch(db, d->id, now, err);
}

struct batch {
    const struct mc_sweep_opts *o;
    struct mc_arena *arena;
    struct mc_sweep_stats st;  /* this batch */
    int rows;                  /* watch rows taken */
    struct mc_apology_cache cache; /* typical step durations, per run */
};

static int
notify_one(struct mc_db *db, struct batch *b, const struct mc_dossier *d,
           int64_t to, int level, int escalation, int *made,
           struct mc_err *err)
{
    struct mc_notification_new n;
    const char *what = level == LV_OVER ? "overdue" : "near_due";
    char due[32];
    int created = 0, rc;

    mc_fmt_ts(d->due_at, due, sizeof(due));
    memset(&n, 0, sizeof(n));
    n.account_id = to;
    n.dossier_id = d->id;
    n.kind = mc_arena_printf(b->arena, "%s_%s", what,
                             escalation ? "escalation" : "warning");
    n.title = mc_arena_printf(
        b->arena, "%s: hồ sơ %s",
        level == LV_OVER ? "Quá hạn" : "Sắp đến hạn",
        d->code ? d->code : "");
    n.body = mc_arena_printf(
        b->arena,
        "Hồ sơ %s (%s) %s; hạn trả kết quả %s.%s", d->code ? d->code : "",
        d->procedure_code ? d->procedure_code : "",
        level == LV_OVER ? "đã quá hạn" : "sắp đến hạn", due,
        escalation ? " Đề nghị lãnh đạo đôn đốc xử lý." : "");
    n.dedup_key = mc_arena_printf(b->arena, "%s:%lld:%lld:%lld", n.kind,
                                  (long long)d->id, (long long)d->due_at,
                                  (long long)to);
    if (n.kind == NULL || n.title == NULL || n.body == NULL ||
        n.dedup_key == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_notify(db, &n, b->o->now, &created, err);
    *made += created;
    return rc;
}

/* Warning to the holder, escalation to each leader of the unit. */
static int
notify_level(struct mc_db *db, struct batch *b, const struct mc_dossier *d,
             int level, struct mc_err *err)
{
    int64_t *leaders = NULL;
    int n = 0, made = 0, rc = MC_OK;

    if (d->assignee_id != 0) {
        rc = notify_one(db, b, d, d->assignee_id, level, 0, &made, err);
    }
    if (rc == MC_OK) {
        rc = mc_q_unit_leaders(db, d->unit_id, b->arena, &leaders, &n, err);
    }
    for (int i = 0; i < n && rc == MC_OK; i++) {
        rc = notify_one(db, b, d, leaders[i], level, 1, &made, err);
    }
    b->st.notifications += made;
    return rc;
}

static int
overdue_violation(struct mc_db *db, struct batch *b,
                  const struct mc_dossier *d, struct mc_err *err)
{
    struct mc_violation v;
    char *ev;
    int raised = 0, rc;

    memset(&v, 0, sizeof(v));
    v.rule = "overdue_without_apology";
    v.dossier_id = d->id;
    v.official_id = d->assignee_id;
    v.unit_id = d->unit_id;
    v.unit_path = d->unit_path;
    v.at = b->o->now;
    {
        json_t *o = json_pack("{s:s?,s:o,s:o,s:i}", "dossier_code", d->code,
                              "due_at", mc_json_ts_value(d->due_at),
                              "detected_at", mc_json_ts_value(b->o->now),
                              "reschedules", d->reschedules);
        ev = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(o);
    }
    if (ev == NULL) {
        return MC_ENOMEM;
    }
    v.evidence = mc_arena_strdup(b->arena, ev);
    free(ev);
    if (v.evidence == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_violation_raise(db, &v, 0, &raised, err);
    b->st.violations += raised;
    return rc;
}

static int
check_one(struct mc_db *db, struct batch *b, int64_t id, int old_level,
          struct mc_err *err)
{
    const struct mc_sweep_opts *o = b->o;
    struct mc_dossier d;
    int64_t near, over, next;
    int level, rc;

    rc = mc_q_dossier_get(db, id, b->arena, &d, err);
    if (rc == MC_ENOTFOUND || (rc == MC_OK && !running(&d))) {
        return mc_q_watch_drop(db, id, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    near = mc_sweep_near_start(o->cal, d.due_at, o->near_days);
    over = d.due_at + 1;
    level = o->now >= over ? LV_OVER : o->now >= near ? LV_NEAR : LV_NONE;
    next = level == LV_NONE ? near : level == LV_NEAR ? over : 0;
    if (level != LV_NONE) {
        rc = notify_level(db, b, &d, level, err);
        if (rc == MC_OK && level == LV_OVER && d.reschedules == 0) {
            rc = overdue_violation(db, b, &d, err);
        }
        if (level > old_level) {
            if (level == LV_NEAR) {
                b->st.near_due++;
            } else {
                b->st.overdue++;
            }
        }
    }
    if (rc == MC_OK && d.reschedules == 0) {
        int64_t again = 0;
        int drafted = 0;
        rc = mc_apology_consider(db, o->cal, &d, o->now, &b->cache, b->arena,
                                 &drafted, &again, err);
        b->st.apologies += drafted;
        if (again > o->now && (next == 0 || again < next)) {
            next = again; /* forecast again when the slack is used up */
        }
    }
    if (rc == MC_OK) {
        rc = mc_q_watch_set(db, id, next, level,
                            level != old_level ? o->now : 0, err);
    }
    return rc;
}

static int
batch_fn(struct mc_db *db, void *arg, struct mc_err *err)
{
    struct batch *b = arg;
    int64_t *ids = NULL;
    int *levels = NULL, n = 0, rc;
    json_t *payload;

    memset(&b->st, 0, sizeof(b->st));
    /* b->cache lives for the whole run: the medians come from finished
     * steps, which a rolled-back batch does not change */
    b->rows = 0;
    rc = mc_q_watch_due(db, b->o->now, MC_SWEEP_BATCH, b->arena, &ids,
                        &levels, &n, err);
    for (int i = 0; i < n && rc == MC_OK; i++) {
        rc = check_one(db, b, ids[i], levels[i], err);
    }
    if (rc != MC_OK || n == 0) {
        return rc;
    }
    b->rows = n;
    b->st.checked = n;
    payload = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "checked", n,
                        "near_due", b->st.near_due, "overdue", b->st.overdue,
                        "notifications", b->st.notifications, "violations",
                        b->st.violations, "apologies", b->st.apologies);
    if (payload == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_audit_append(db, 0, "sweep.run", "sweep", payload, b->o->now,
                         err);
    json_decref(payload);
    return rc;
}

int
mc_sweep_run(struct mc_writer *w, const struct mc_sweep_opts *o,
             struct mc_sweep_stats *st, struct mc_err *err)
{
    struct mc_arena arena;
    struct batch b;
    int rc;

    memset(&b, 0, sizeof(b));
    b.o = o;
    b.arena = &arena;
    if ((rc = mc_tasks_sweep(w, o->cal, o->now, NULL, err)) != MC_OK) {
        return rc; /* directive tasks: reminders and escalations */
    }
    for (;;) {
        mc_arena_init(&arena, 64u << 20);
        rc = mc_writer_run(w, batch_fn, &b, err);
        mc_arena_release(&arena);
        if (rc != MC_OK) {
            return rc;
        }
        if (st != NULL) {
            st->checked += b.st.checked;
            st->near_due += b.st.near_due;
            st->overdue += b.st.overdue;
            st->notifications += b.st.notifications;
            st->violations += b.st.violations;
            st->apologies += b.st.apologies;
        }
        if (b.rows < MC_SWEEP_BATCH) {
            rc = mc_rate_purge(w, o->now, err); /* old rate windows */
            return rc == MC_OK ? mc_feedback_sweep(w, o->now, NULL, err)
                               : rc; /* PAKN */
        }
    }
}
