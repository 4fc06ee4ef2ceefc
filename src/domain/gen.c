/*
 * gen.c - the history generator (gen.h).
 *
 * Setup (one transaction): complete the procedures without a limit, add a
 * one-stop desk per pre-2025 district, and accounts (desk, two
 * specialists, leader per handling unit; a pool of citizens). Then an
 * event-ordered simulation: a heap holds each open dossier's next step
 * (and the next submission); each pop runs one domain call with its
 * simulated instant as ctx->now.
 */
#include "domain/gen.h"
#include "domain/gen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/q_dossier.h"
#include "db/q_evaluation.h"
#include "db/q_gen.h"
#include "domain/calendar.h"
#include "domain/dossier.h"
#include "sec/password.h"
#include "util/alloc.h"
#include "util/mctime.h"

/* ---- working time ---- */

/* t if within working hours of a working day, else the next opening. */
static int64_t
snap(const struct gen *g, int64_t t)
{
    int32_t day = mc_local_day(t);
    int64_t secs = t - mc_local_ts(day, 0);

    if (mc_calendar_is_workday(g->cal, day, NULL)) {
        if (secs >= 7 * HOUR + 30 * MIN && secs <= 16 * HOUR + 45 * MIN) {
            return t;
        }
        if (secs < 7 * HOUR + 30 * MIN) {
            return mc_local_ts(day, 7 * HOUR + 30 * MIN + (int)(t % 3600));
        }
    }
    if (mc_calendar_add_days(g->cal, day, 1, &day) != MC_OK) {
        day++;
    }
    return mc_local_ts(day, 7 * HOUR + 30 * MIN + (int)(t % 3600));
}

/* ---- heap of pending steps, by (t, ord) ---- */

static int
before(const struct gd *a, const struct gd *b)
{
    return a->t < b->t || (a->t == b->t && a->ord < b->ord);
}

static int
push(struct gen *g, const struct gd *d)
{
    size_t i;

    if (g->nheap == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 4096;
        struct gd *h = mc_realloc(g->heap, nc * sizeof(*h));
        if (h == NULL) {
            return MC_ENOMEM;
        }
        g->heap = h;
        g->cap = nc;
    }
    i = g->nheap++;
    while (i > 0 && before(d, &g->heap[(i - 1) / 2])) {
        g->heap[i] = g->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    g->heap[i] = *d;
    return MC_OK;
}

static void
pop(struct gen *g, struct gd *out)
{
    struct gd last;
    size_t i = 0;

    *out = g->heap[0];
    last = g->heap[--g->nheap];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= g->nheap) {
            break;
        }
        if (c + 1 < g->nheap && before(&g->heap[c + 1], &g->heap[c])) {
            c++;
        }
        if (!before(&g->heap[c], &last)) {
            break;
        }
        g->heap[i] = g->heap[c];
        i = c;
    }
    if (g->nheap > 0) {
        g->heap[i] = last;
    }
}

/* ---- planning ---- */

static int
pick_unit(struct gen *g, const int *list, int n, uint64_t *s)
{
    double tot = 0, x;

    for (int i = 0; i < n; i++) {
        tot += g->units[list[i]].w;
    }
    x = rndf(s) * tot;
    for (int i = 0; i < n; i++) {
        x -= g->units[list[i]].w;
        if (x < 0) {
            return list[i];
        }
    }
    return list[n - 1];
}

static int
pick_proc(struct gen *g, int dept, uint64_t *s)
{
    double tot = 0, x;

    for (int i = 0; i < g->nprocs; i++) {
        tot += (g->procs[i].dept != NULL) == dept ? g->procs[i].w : 0;
    }
    x = rndf(s) * tot;
    for (int i = 0; i < g->nprocs; i++) {
        if ((g->procs[i].dept != NULL) == dept) {
            x -= g->procs[i].w;
            if (x < 0) {
                return i;
            }
        }
    }
    return -1;
}

/* The submission of ordinal ord: time, unit, procedure and plan. */
static void
plan(struct gen *g, uint32_t ord, int64_t after, struct gd *d)
{
    int64_t span = g->end - g->start - 2 * DAY;
    double x;

    memset(d, 0, sizeof(*d));
    d->ord = ord;
    d->rng = g->o->seed * 0x9e3779b97f4a7c15ull + ord;
    rnd(&d->rng);
    d->t = g->start + (int64_t)((double)span * (ord + rndf(&d->rng)) /
                                (double)g->o->dossiers);
    x = rndf(&d->rng);
    d->flags = x < 0.60 ? F_ONLINE : 0;
    if (!(d->flags & F_ONLINE) || rndf(&d->rng) < 0.75) {
        d->t = snap(g, d->t);
    }
    if (d->t < after) {
        d->t = after;
    }
    d->proc = -1;
    if (rndf(&d->rng) < 0.08 && g->ndepts > 0) {
        d->proc = pick_proc(g, 1, &d->rng);
    }
    if (d->proc >= 0) {
        const char *dc = g->procs[d->proc].dept;
        d->unit = g->depts[0];
        for (int i = 0; i < g->ndepts; i++) {
            if (strcmp(g->units[g->depts[i]].code, dc) == 0) {
                d->unit = g->depts[i];
            }
        }
    } else {
        d->proc = pick_proc(g, 0, &d->rng);
        d->unit = d->t < g->reform
                      ? pick_unit(g, g->districts, g->ndistricts, &d->rng)
                      : pick_unit(g, g->communes, g->ncommunes, &d->rng);
    }
    d->citizen = (d->flags & F_ONLINE) && rndf(&d->rng) < 0.7
                     ? (int32_t)(rnd(&d->rng) % NCITIZENS)
                     : -1;
    x = rndf(&d->rng);
    if (x < 0.012) {
        d->flags |= F_REFUSE;
    } else if (x < 0.022) {
        d->flags |= F_ISUPP;
    } else if (x < 0.027) {
        d->flags |= F_WITHDRAW;
    } else if (x < 0.042) {
        d->flags |= F_REJECT;
    }
    if (rndf(&d->rng) < 0.03) {
        d->flags |= F_SUPP;
    }
    x = g->units[d->unit].slow ? 0.06 : 0.0015;
    if (rndf(&d->rng) < x) {
        d->flags |= F_LATE;
    } else if (rndf(&d->rng) < 0.02) {
        d->flags |= F_RESCHED;
    }
    d->spec = (d->flags & F_LATE) && g->units[d->unit].slow
                  ? 1
                  : (int)(rnd(&d->rng) % 2);
    d->stage = S_NEW;
}

/* When the result is ready: before the due date or, when late, after. */
static void
set_target(struct gen *g, struct gd *d, int64_t now)
{
    int64_t span = d->due - now;

    if ((d->flags & F_LATE) || span <= 2 * MIN) {
        d->target = snap(g, (d->due > now ? d->due : now) +
                                rndr(&d->rng, 2 * HOUR, 4 * DAY));
        return;
    }
    d->target = now + (int64_t)((double)span * (0.25 + 0.65 * rndf(&d->rng)));
    if (snap(g, d->target) < d->due) {
        d->target = snap(g, d->target);
    }
}

/* A step at least a minute after now, at most at limit when limit > now. */
static int64_t
step_at(struct gen *g, int64_t now, int64_t lo, int64_t hi, int64_t limit)
{
    int64_t t = snap(g, now + lo + (hi > lo ? (now * 7919) % (hi - lo) : 0));

    if (limit > now + MIN && t >= limit) {
        t = now + (limit - now) / 2;
    }
    return t > now ? t : now + MIN;
}

/* ---- execution ---- */

static const struct mc_actor *
applicant(struct gen *g, const struct gd *d)
{
    return d->citizen >= 0 ? &g->citizens[d->citizen]
                           : &g->units[d->unit].desk;
}

static int
create(struct gen *g, struct gd *d, struct mc_arena *a, struct mc_err *err)
{
    struct gunit *u = &g->units[d->unit];
    struct mc_dossier_new in;
    struct mc_dossier out;
    struct mc_dossier_wctx c;
    int rc;

    memset(&in, 0, sizeof(in));
    memset(&c, 0, sizeof(c));
    in.procedure_code = g->procs[d->proc].code;
    in.recv_unit_id = u->recv_id;
    in.unit_id = u->hand_id;
    in.channel = (d->flags & F_ONLINE) ? MC_CH_ONLINE
                 : rndf(&d->rng) < 0.06 ? MC_CH_POST
                                         : MC_CH_COUNTER;
    in.applicant_name = d->citizen >= 0 ? g->cit_names[d->citizen]
                                        : mc_gen_person(a, &d->rng);
    in.applicant_address = "Hà Nội";
    c.actor = !(d->flags & F_ONLINE) ? &u->desk
              : d->citizen >= 0      ? &g->citizens[d->citizen]
                                     : &g->partner;
    c.cal = g->cal;
    c.arena = a;
    c.now = d->t;
    c.create = &in;
    c.out = &out;
    rc = mc_dossier_create(g->db, &c, err);
    if (rc != MC_OK) {
        return rc;
    }
    d->id = out.id;
    if (d->flags & (F_SUPP | F_ISUPP)) {
        /* the first component of the version in force, kept per
         * procedure for the span without a version boundary */
        struct gproc *p = &g->procs[d->proc];
        if (d->t < p->comp_lo || d->t >= p->comp_hi) {
            rc = mc_q_gen_component(g->db, p->code, d->t, &p->comp_id,
                                    &p->comp_lo, &p->comp_hi, err);
        }
        d->comp = p->comp_id;
        if (d->comp == 0) {
            d->flags &= ~(F_SUPP | F_ISUPP);
        }
    }
    g->st->dossiers++;
    g->st->online += in.channel == MC_CH_ONLINE;
    return rc;
}

/*
 * The next action of d at d->t: fills tr and *actor, sets the stage the
 * action leads to (*next) and the time of the step after it.
 */
static void
decide(struct gen *g, struct gd *d, struct mc_transition_req *tr,
       const struct mc_actor **actor, int *next)
{
    struct gunit *u = &g->units[d->unit];
    int64_t now = d->t;

    memset(tr, 0, sizeof(*tr));
    switch (d->stage) {
    case S_SUBMITTED:
        *actor = &u->desk;
        if (d->flags & F_REFUSE) {
            tr->action = "refuse";
            tr->reason = "Hồ sơ không thuộc thẩm quyền giải quyết";
            *next = -1;
        } else if (d->flags & F_ISUPP) {
            tr->action = "request_intake_supplement";
            tr->components = &d->comp;
            tr->ncomponents = 1;
            tr->reason = "Thiếu thành phần hồ sơ";
            d->flags &= ~F_ISUPP;
            g->st->intake_supplements++;
            *next = S_ISUPP;
            d->t = snap(g, now + rndr(&d->rng, 4 * HOUR, 3 * DAY));
        } else {
            tr->action = "receive";
            *next = S_RECEIVED;
            d->t = step_at(g, now, 10 * MIN, 3 * HOUR, 0);
        }
        return;
    case S_ISUPP:
        *actor = applicant(g, d);
        tr->action = "resubmit";
        *next = S_SUBMITTED;
        d->t = step_at(g, now, 10 * MIN, 4 * HOUR, 0);
        return;
    case S_RECEIVED:
        *actor = &u->leader;
        tr->action = "assign";
        tr->assignee_id = u->spec[d->spec].account_id;
        *next = S_WORK;
        return;
    case S_WORK:
        if (d->flags & F_WITHDRAW) {
            *actor = applicant(g, d);
            tr->action = "request_withdrawal";
            tr->reason = "Công dân xin rút hồ sơ";
            *next = S_WREQ;
            d->t = step_at(g, now, HOUR, DAY, 0);
        } else if (d->flags & F_SUPP) {
            *actor = &u->spec[d->spec];
            tr->action = "request_supplement";
            tr->components = &d->comp;
            tr->ncomponents = 1;
            tr->reason = "Đề nghị bổ sung giấy tờ còn thiếu";
            d->flags &= ~F_SUPP;
            *next = S_SUPP;
            d->t = snap(g, now + rndr(&d->rng, DAY, 6 * DAY));
        } else if (d->flags & F_RESCHED) {
            int32_t day = mc_local_day(d->due);
            *actor = &u->leader;
            tr->action = "reschedule";
            tr->reason = "Xin lỗi công dân: hồ sơ cần thêm thời gian "
                         "xác minh; hẹn lại ngày trả kết quả";
            if (mc_calendar_add_days(g->cal, day,
                                     (int)rndr(&d->rng, 2, 6), &day) !=
                MC_OK) {
                day += 7;
            }
            tr->due = mc_local_ts(day, 9 * HOUR);
            d->flags &= ~F_RESCHED;
            *next = S_WORK;
        } else if (d->flags & F_REJECT) {
            *actor = &u->leader;
            tr->action = "reject";
            tr->reason = "Không đủ điều kiện giải quyết theo quy định";
            *next = S_FINISHED;
        } else {
            *actor = &u->spec[d->spec];
            tr->action = "submit_for_approval";
            tr->result = "Đủ điều kiện; trình lãnh đạo phê duyệt";
            *next = S_PENDING;
        }
        return;
    case S_SUPP:
        *actor = applicant(g, d);
        tr->action = "supplement_received";
        *next = S_WORK;
        return;
    case S_PENDING:
        *actor = &u->leader;
        tr->action = "approve";
        *next = S_FINISHED;
        return;
    case S_FINISHED:
        *actor = &u->desk;
        tr->action = "return_result";
        *next = -1;
        return;
    case S_WREQ:
        *actor = &u->leader;
        tr->action = "stop";
        tr->reason = "Dừng xử lý theo đề nghị rút hồ sơ của công dân";
        *next = -1;
        return;
    }
}

/* After an action: when the dossier's next step runs. */
static void
schedule(struct gen *g, struct gd *d, const char *act, int64_t now,
         int64_t old_due)
{
    if (strcmp(act, "receive") == 0) {
        d->recv_at = now;
        d->t = step_at(g, now, 10 * MIN, 3 * HOUR, d->due);
    } else if (strcmp(act, "assign") == 0 ||
               strcmp(act, "supplement_received") == 0) {
        if ((d->flags & F_RESCHED) && d->due - now < 2 * DAY) {
            d->flags &= ~F_RESCHED; /* too short to apologise in time */
        }
        set_target(g, d, now);
        if (d->flags & (F_SUPP | F_WITHDRAW)) {
            d->t = step_at(g, now, HOUR, DAY, d->target);
        } else if (d->flags & F_RESCHED) {
            int64_t t = snap(g, d->due - rndr(&d->rng, 2 * DAY, 4 * DAY));
            d->t = t > now && t < d->due ? t : now + (d->due - now) / 2;
            if (d->t <= now) {
                d->t = now + MIN;
            }
        } else {
            d->t = now + (int64_t)((double)(d->target - now) *
                                   (0.6 + 0.35 * rndf(&d->rng)));
            d->t = d->t > now ? d->t : now + MIN;
        }
    } else if (strcmp(act, "reschedule") == 0) {
        /* late for the old date, on time for the new one */
        int64_t lo = old_due > now ? old_due : now;
        d->target = lo + (int64_t)((double)(d->due - lo) *
                                   (0.1 + 0.6 * rndf(&d->rng)));
        d->t = now + (int64_t)((double)(d->target - now) *
                               (0.5 + 0.4 * rndf(&d->rng)));
        d->t = d->t > now ? d->t : now + MIN;
        g->st->reschedules++;
    } else if (strcmp(act, "submit_for_approval") == 0) {
        d->t = d->target > now ? d->target : step_at(g, now, 10 * MIN,
                                                     2 * HOUR, 0);
    } else if (strcmp(act, "approve") == 0 || strcmp(act, "reject") == 0) {
        int64_t t = now + rndr(&d->rng, 15 * MIN, 2 * DAY);
        t = snap(g, t);
        if (d->due > now + 2 * MIN && t >= d->due) {
            t = now + (d->due - now) / 2;
        }
        d->t = t > now ? t : now + MIN;
    } else {
        d->t = d->t > now ? d->t : now + MIN;
    }
}

static int
step(struct gen *g, struct gd *d, struct mc_arena *a, struct mc_err *err)
{
    struct mc_transition_req tr;
    const struct mc_actor *actor = NULL;
    struct mc_dossier out;
    struct mc_dossier_wctx c;
    int64_t now = d->t, old_due;
    int next = -1, rc;

    decide(g, d, &tr, &actor, &next);
    memset(&c, 0, sizeof(c));
    c.actor = actor;
    c.cal = g->cal;
    c.arena = a;
    c.now = now;
    c.dossier_id = d->id;
    c.tr = &tr;
    c.out = &out;
    rc = mc_dossier_transition(g->db, &c, err);
    if (rc != MC_OK) {
        char msg[sizeof(err->message)];
        snprintf(msg, sizeof(msg), "%s", err->message);
        return mc_err_set(err, rc, err->status, err->code, NULL,
                          "dossier %lld, %s: %s", (long long)d->id,
                          tr.action, msg);
    }
    g->st->transitions++;
    old_due = d->due;
    d->due = out.due_at;
    if (strcmp(tr.action, "request_supplement") == 0) {
        g->st->supplements++;
    } else if (strcmp(tr.action, "approve") == 0 ||
               strcmp(tr.action, "reject") == 0) {
        g->st->late += out.due_at != 0 && now > out.due_at;
        g->st->rejected += tr.action[1] == 'e';
    } else if (strcmp(tr.action, "return_result") == 0) {
        g->st->returned++;
    } else if (strcmp(tr.action, "refuse") == 0) {
        g->st->refused++;
    } else if (strcmp(tr.action, "stop") == 0) {
        g->st->stopped++;
    }
    if (strcmp(tr.action, "request_intake_supplement") != 0 &&
        strcmp(tr.action, "request_supplement") != 0 &&
        strcmp(tr.action, "request_withdrawal") != 0 &&
        strcmp(tr.action, "resubmit") != 0) {
        schedule(g, d, tr.action, now, old_due);
    }
    if (strcmp(tr.action, "request_withdrawal") == 0) {
        d->flags &= ~F_WITHDRAW;
    }
    d->stage = next;
    return next < 0 ? 1 : MC_OK;
}

/*
 * Dossiers per transaction when not given: those submitted in about 15
 * simulated days, at least 20,000. A dossier still open at its batch's
 * end is written again (an UPDATE moving it in every index it changes in)
 * by a later batch; most dossiers take a few days to a few weeks, so a
 * batch of a fixed count, which covers 1.5 days at 10 million dossiers
 * over two years, wrote most of them several times (a load of 200,000 in
 * batches covering 1.5 days spent 1.7x the writer CPU of batches covering
 * 15 days). The held rows of 15 days take a few hundred MB at most.
 */
static int64_t
batch_size(const struct mc_gen_opts *o, int years)
{
    int64_t b;

    if (o->batch > 0) {
        return o->batch;
    }
    b = o->dossiers * 15 / ((int64_t)years * 365);
    return b > 20000 ? b : 20000;
}

static int
simulate(struct gen *g, int years, struct mc_err *err)
{
    struct gd d;
    int64_t since = 0, shown = 0;
    int64_t batch = batch_size(g->o, years);
    int rc;

    plan(g, 0, g->start, &d);
    rc = push(g, &d);
    while (rc == MC_OK && g->nheap > 0) {
        struct mc_arena a;

        pop(g, &d);
        if (d.t >= g->end) {
            if (d.stage == S_NEW) {
                d.t = g->end - 1; /* never lose a submission */
            } else {
                g->st->open++;
                continue;
            }
        }
        mc_arena_init(&a, 0);
        if (d.stage == S_NEW) {
            struct gd nx;
            if (d.ord + 1 < (uint64_t)g->o->dossiers) {
                plan(g, d.ord + 1, d.t, &nx);
                rc = push(g, &nx);
            }
            if (rc == MC_OK) {
                rc = create(g, &d, &a, err);
            }
            d.stage = S_SUBMITTED;
            if (!(d.flags & F_ONLINE)) {
                d.t = d.t + rndr(&d.rng, 2 * MIN, 20 * MIN);
            } else {
                d.t = step_at(g, d.t, 20 * MIN, 6 * HOUR, 0);
            }
            since++;
        } else {
            rc = step(g, &d, &a, err);
        }
        mc_arena_release(&a);
        if (rc == MC_OK) {
            rc = push(g, &d);
        } else if (rc == 1) {
            rc = MC_OK;
        }
        if (rc == MC_OK && since >= batch) {
            since = 0;
            rc = mc_q_eval_rollup_flush(g->db, err);
            if (rc == MC_OK) {
                rc = mc_q_dossier_flush(g->db, err);
            }
            if (rc == MC_OK) {
                rc = mc_db_commit(g->db, err);
            }
            if (rc == MC_OK) {
                g->st->commits++;
                rc = mc_db_begin(g->db, err);
            }
        }
        if (rc == MC_OK && g->o->progress != NULL &&
            g->st->dossiers >= shown + 20000) {
            shown = g->st->dossiers; /* batches may be far larger */
            g->o->progress(g->o->progress_arg, shown, g->o->dossiers);
        }
    }
    return rc;
}

int
mc_gen_run(struct mc_db *db, const struct mc_gen_opts *o,
           struct mc_gen_stats *st, struct mc_err *err)
{
    struct gen g;
    struct mc_gen_indexes ix;
    int years = o->years > 0 ? o->years : 2;
    int rc;

    memset(st, 0, sizeof(*st));
    if (o->dossiers < 1 || o->dossiers > 100000000 || years > 6) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_option", "dossiers",
                          "--dossiers must be 1..100000000 and --years "
                          "1..6");
    }
    memset(&g, 0, sizeof(g));
    g.db = db;
    g.o = o;
    g.st = st;
    g.end = o->end ? o->end : mc_local_ts(mc_local_day(mc_now()), 0);
    g.start = g.end - (int64_t)years * 365 * DAY;
    if (g.start < mc_local_ts(mc_days_from_civil(2020, 1, 3), 0)) {
        g.start = mc_local_ts(mc_days_from_civil(2020, 1, 3), 0);
    }
    g.reform = mc_local_ts(mc_days_from_civil(2025, 7, 1), 0);
    mc_arena_init(&g.setup, 0);
    rc = mc_calendar_load(db, &g.cal, err);
    if (rc == MC_OK) {
        mc_password_set_fast(1);
        rc = mc_q_gen_bulk(db, o->keep_indexes ? MC_GEN_BULK
                                             : MC_GEN_BULK_UNCHECKED,
                           err);
    }
    ix.n = 0;
    if (rc == MC_OK && !o->keep_indexes && o->defer_indexes) {
        rc = mc_q_gen_index_defer(db, &g.setup, &ix, err);
    }
    if (rc == MC_OK && !o->keep_indexes && !o->one_thread) {
        /* the fast load stops at its first error, so its writes may run
         * on a second thread while the next transitions are decided */
        rc = mc_db_write_behind(db, 1, err);
    }
    if (rc == MC_OK) {
        rc = mc_db_begin(db, err);
        if (rc == MC_OK) {
            rc = mc_gen_setup(&g, err);
        }
        if (rc == MC_OK && !o->keep_indexes) {
            /* rollup rows summed in memory, written once per batch */
            rc = mc_q_eval_rollup_defer(db, err);
        }
        if (rc == MC_OK && !o->keep_indexes) {
            /* dossier rows held and written once per batch (SQLite; the
             * fast load has foreign keys off, see mc_q_gen_bulk) */
            rc = mc_q_dossier_hold(db, err);
        }
        if (rc == MC_OK) {
            rc = simulate(&g, years, err);
        }
        if (rc == MC_OK) {
            rc = mc_q_eval_rollup_flush(db, err);
        }
        if (rc == MC_OK) {
            rc = mc_q_dossier_flush(db, err);
        }
        mc_q_eval_rollup_undefer(db);
        mc_q_dossier_release(db);
        if (rc == MC_OK) {
            rc = mc_db_commit(db, err);
            st->commits++;
        } else {
            mc_db_rollback(db);
        }
    }
    {
        /* the last queued writes, and the first error among them */
        int wb = mc_db_write_behind(db, 0, rc == MC_OK ? err : NULL);
        rc = rc == MC_OK ? wb : rc;
    }
    if (mc_q_gen_index_restore(db, &ix, rc == MC_OK ? err : NULL) != MC_OK &&
        rc == MC_OK) {
        rc = MC_EDB;
    }
    if (g.cal != NULL && mc_q_gen_bulk(db, 0, NULL) != MC_OK &&
        rc == MC_OK) {
        rc = MC_EDB;
    }
    if (o->progress != NULL && rc == MC_OK) {
        o->progress(o->progress_arg, st->dossiers, o->dossiers);
    }
    mc_free(g.heap);
    mc_calendar_free(g.cal);
    mc_arena_release(&g.setup);
    return rc;
}

