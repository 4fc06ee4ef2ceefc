/*
 * q_dossier_state.c - what the generator's fast load knows of each
 * dossier besides its row (q_dossier_int.h: mc_q_ds_*), held with the
 * dossier rows (q_dossier_slot.c) so that a generated transition reads
 * nothing back by SQL:
 *
 * - its events: the last seq, the count of each action, the supplement
 *   pauses (pairs of request_supplement / supplement_received times);
 *   events are still inserted at once, with their seq given;
 * - its ledger: the last seq, the open step (held in memory with its id,
 *   taken in order like SQLite's rowid; written once, by one INSERT with
 *   its final columns when it closes, or open at the batch's flush and
 *   then closed by an UPDATE of its key). Closed steps are in the table
 *   at once, so the readers of closed steps (first late step, step score)
 *   read them by SQL;
 * - its attachments: how many were added (through mc_q_dossier_file_add);
 * - its watch row: the batch's last touch or drop, written at the flush
 *   (a drop and a later touch in one batch write both, as the reference
 *   path leaves them: a new row); a drop of a dossier whose row was never
 *   written (created in the load, no touch flushed) deletes nothing, as
 *   the reference DELETE would;
 * - the daily code sequences (code_seq), kept for the whole load: a day
 *   after the table's last day when the load started has no row but
 *   those the load writes (mc_q_code_next is the table's only writer), so
 *   only earlier days are read, once; written at the flush of each batch
 *   that changed them.
 *
 * A dossier created while holding starts empty (it has no rows); any
 * other is loaded from its rows on first use. A dossier that ended
 * (refused, stopped, returned) is forgotten at the flush after its last
 * write. Everything is dropped, unwritten, on a rollback with the slot.
 * The stored outcome of a step has one definition, STEP_OUTCOME in
 * q_dossier_int.h, used by every statement that closes a step.
 * test_bulk_indexes_equivalent compares the tables with the reference
 * path's.
 */
#include <stdint.h>
#include <string.h>

#include "db/q_discipline.h"
#include "db/q_dossier_int.h"
#include "domain/evaluation.h"
#include "util/alloc.h"

/* Actions counted by event (others: counted by SQL). */
static const char *const acts[] = {
    "submit", "receive", "refuse", "request_intake_supplement", "resubmit",
    "assign", "request_supplement", "supplement_received",
    "request_payment", "payment_received", "consult", "consult_reply",
    "submit_for_approval", "return_for_rework", "approve", "reject",
    "return_result", "reschedule", "request_withdrawal", "stop",
};
#define NACTS (sizeof(acts) / sizeof(acts[0]))
#define A_REQ_SUPP 6
#define A_SUPP_RECV 7
#define NPAUSE 4

enum { OPEN_NONE, OPEN_HELD, OPEN_TABLE };
enum { W_NONE, W_TOUCH, W_DROP };

struct dst {
    int64_t id;
    int32_t ev_seq;             /* last event seq */
    uint32_t cnt[NACTS];        /* events by action */
    int npause;                 /* pauses known (pfrom/pto) */
    int pause_sql;              /* more than NPAUSE, or loaded: use SQL */
    int64_t pfrom[NPAUSE], pto[NPAUSE];
    int32_t st_seq;             /* last ledger seq */
    int open;                   /* OPEN_* */
    /* the open step (OPEN_HELD: all of it; OPEN_TABLE: seq) */
    int64_t s_id, s_unit, s_holder, s_arrived, s_due;
    int32_t s_seq, s_step;
    const char *s_name;         /* in the batch arena */
    int64_t files;              /* attachments */
    int watch, watch_dropped;   /* this batch: W_*, a drop happened */
    int64_t watch_at;
    int watch_row;              /* a watch row may be in the table */
    int done;                   /* ended: forgotten at the flush */
};

struct cseq {
    int64_t unit_id;
    int32_t day;
    int dirty;                  /* changed in this batch */
    int64_t last;
};

struct mc_q_dstates {
    struct mc_arena a;          /* the batch's strings (step names) */
    struct dst *v;
    size_t n, cap;
    uint32_t *tab;              /* by id: index + 1 into v, 0 = empty */
    size_t tcap;
    int64_t next_step_id;       /* the next ledger row's id */
    struct cseq *cs;            /* the load's code sequences */
    size_t ncs, cscap;
    uint32_t *cstab;            /* by (unit, day): index + 1 into cs */
    size_t cstcap;
    int64_t cs_day_max;         /* the table's last day at the start */
    struct mc_eval_facts *facts; /* this batch's finished dossiers */
    size_t nf, fcap;
};

static int
nomem(struct mc_err *err)
{
    return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                      "out of memory");
}

static size_t
hash_id(int64_t id, size_t cap)
{
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15u) >> 20) & (cap - 1);
}

static void
tab_put(struct mc_q_dstates *t, size_t idx)
{
    size_t h = hash_id(t->v[idx].id, t->tcap);

    while (t->tab[h] != 0) {
        h = (h + 1) & (t->tcap - 1);
    }
    t->tab[h] = (uint32_t)(idx + 1);
}

/* Rebuild the table from v (after growth or compaction). */
static int
tab_rebuild(struct mc_q_dstates *t, size_t tcap)
{
    uint32_t *tab = mc_calloc(tcap, sizeof(*tab));

    if (tab == NULL) {
        return 0;
    }
    mc_free(t->tab);
    t->tab = tab;
    t->tcap = tcap;
    for (size_t i = 0; i < t->n; i++) {
        tab_put(t, i);
    }
    return 1;
}

static struct dst *
find(struct mc_q_dstates *t, int64_t id)
{
    if (t->n == 0) {
        return NULL;
    }
    for (size_t h = hash_id(id, t->tcap);; h = (h + 1) & (t->tcap - 1)) {
        uint32_t k = t->tab[h];

        if (k == 0) {
            return NULL;
        }
        if (t->v[k - 1].id == id) {
            return &t->v[k - 1];
        }
    }
}

/* A new empty state for id; NULL when out of memory. */
static struct dst *
add(struct mc_q_dstates *t, int64_t id)
{
    struct dst *s;

    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 4096;
        struct dst *v = mc_realloc(t->v, cap * sizeof(*v));

        if (v == NULL) {
            return NULL;
        }
        t->v = v;
        t->cap = cap;
    }
    if (2 * (t->n + 1) > t->tcap &&
        !tab_rebuild(t, t->tcap ? 2 * t->tcap : 8192)) {
        return NULL;
    }
    s = &t->v[t->n];
    memset(s, 0, sizeof(*s));
    s->id = id;
    tab_put(t, t->n++);
    return s;
}

struct mc_q_dstates *
mc_q_dstates_new(struct mc_db *db, struct mc_err *err)
{
    struct mc_q_dstates *t;
    int64_t max = 0;

    /* ledger rows get SQLite's next rowid, in the order they open */
    if (mc_db_i64(db, &max, err,
                  "SELECT coalesce(max(id), 0) FROM dossier_steps", "") !=
        MC_OK) {
        return NULL;
    }
    if ((t = mc_calloc(1, sizeof(*t))) == NULL) {
        nomem(err);
        return NULL;
    }
    mc_arena_init(&t->a, 0);
    t->next_step_id = max + 1;
    if (mc_db_i64(db, &t->cs_day_max, err,
                  "SELECT coalesce(max(day), -2147483648) FROM code_seq",
                  "") != MC_OK) {
        mc_q_dstates_free(t);
        return NULL;
    }
    return t;
}

void
mc_q_dstates_free(struct mc_q_dstates *t)
{
    if (t != NULL) {
        mc_arena_release(&t->a);
        mc_free(t->v);
        mc_free(t->tab);
        mc_free(t->cs);
        mc_free(t->cstab);
        mc_free(t->facts);
        mc_free(t);
    }
}

int
mc_q_dstates_created(struct mc_q_dstates *t, int64_t id, struct mc_err *err)
{
    return add(t, id) != NULL ? MC_OK : nomem(err);
}

void
mc_q_dstates_ended(struct mc_q_dstates *t, int64_t id)
{
    struct dst *s = find(t, id);

    if (s != NULL) {
        s->done = 1;
    }
}

static int
act_index(const char *action)
{
    for (size_t i = 0; i < NACTS; i++) {
        if (strcmp(acts[i], action) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* The state of an older dossier, from its rows. */
static int
load(struct mc_db *db, struct dst *s, struct mc_err *err)
{
    struct mc_stmt *st;
    int64_t v = 0;
    int rc;

    rc = mc_db_i64(db, &v, err,
                   "SELECT COALESCE(MAX(seq), 0) FROM dossier_events WHERE "
                   "dossier_id = ?",
                   "i", s->id);
    if (rc != MC_OK) {
        return rc;
    }
    s->ev_seq = (int32_t)v;
    s->pause_sql = 1; /* its pauses are read by SQL (rare) */
    s->watch_row = 1; /* not known: a drop deletes */
    st = mc_db_prep(db,
                    "SELECT action, COUNT(*) FROM dossier_events WHERE "
                    "dossier_id = ? GROUP BY action",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", s->id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        int k = act_index(mc_stmt_text(st, 0));
        if (k >= 0) {
            s->cnt[k] = (uint32_t)mc_stmt_i64(st, 1);
        }
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    st = mc_db_prep(db,
                    "SELECT seq, left_at FROM dossier_steps WHERE "
                    "dossier_id = ? ORDER BY seq",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", s->id);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        s->st_seq = (int32_t)mc_stmt_i64(st, 0);
        s->open = mc_stmt_isnull(st, 1) ? OPEN_TABLE : OPEN_NONE;
        s->s_seq = s->st_seq;
    }
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    return mc_db_i64(db, &s->files, err,
                     "SELECT COUNT(*) FROM dossier_files WHERE "
                     "dossier_id = ?",
                     "i", s->id);
}

/* The state of dossier id (loaded on first use); NULL: *rc says why. */
static struct dst *
get(struct mc_db *db, int64_t id, int *rc, struct mc_err *err)
{
    struct mc_q_dstates *t = mc_q_dslot_states(db);
    struct dst *s = find(t, id);

    *rc = MC_OK;
    if (s != NULL) {
        return s;
    }
    if ((s = add(t, id)) == NULL) {
        *rc = nomem(err);
        return NULL;
    }
    if ((*rc = load(db, s, err)) != MC_OK) {
        return NULL;
    }
    return s;
}

int
mc_q_ds_event(struct mc_db *db, int64_t dossier_id, const char *action,
              const char *from_state, const char *to_state, int64_t actor_id,
              const char *actor_role, int64_t unit_id, int64_t at,
              const char *reason, const char *data, struct mc_err *err)
{
    int rc, k;
    struct dst *s = get(db, dossier_id, &rc, err);

    if (s == NULL) {
        return rc;
    }
    rc = mc_db_run(db, err,
                   "INSERT INTO dossier_events (dossier_id, seq, action, "
                   "from_state, to_state, actor_id, actor_role, unit_id, "
                   "at, reason, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                   "?)",
                   "iitttztzitt", dossier_id, (int64_t)s->ev_seq + 1, action,
                   from_state, to_state, actor_id, actor_role, unit_id, at,
                   reason, data ? data : "{}");
    if (rc != MC_OK) {
        return rc;
    }
    s->ev_seq++;
    if ((k = act_index(action)) >= 0) {
        s->cnt[k]++;
    }
    /* the pairs of mc_q_dossier_pauses */
    if (k == A_REQ_SUPP) {
        if (s->npause < NPAUSE) {
            s->pfrom[s->npause] = at;
            s->pto[s->npause++] = 0;
        } else {
            s->pause_sql = 1;
        }
    } else if (k == A_SUPP_RECV && s->npause > 0) {
        s->pto[s->npause - 1] = at;
    }
    return MC_OK;
}

int
mc_q_ds_count_action(struct mc_db *db, int64_t dossier_id,
                     const char *action, int64_t *n, struct mc_err *err)
{
    int rc, k = act_index(action);
    struct dst *s;

    if (k < 0) {
        return MC_ENOTFOUND;
    }
    if ((s = get(db, dossier_id, &rc, err)) == NULL) {
        return rc;
    }
    *n = s->cnt[k];
    return MC_OK;
}

int
mc_q_ds_pauses(struct mc_db *db, int64_t dossier_id, struct mc_arena *a,
               int64_t **from, int64_t **to, int *n, struct mc_err *err)
{
    int rc;
    struct dst *s = get(db, dossier_id, &rc, err);

    if (s == NULL) {
        return rc;
    }
    if (s->pause_sql) {
        return MC_ENOTFOUND;
    }
    *n = s->npause;
    *from = *to = NULL;
    if (s->npause == 0) {
        return MC_OK;
    }
    *from = mc_arena_zalloc(a, sizeof(int64_t) * (size_t)s->npause);
    *to = mc_arena_zalloc(a, sizeof(int64_t) * (size_t)s->npause);
    if (*from == NULL || *to == NULL) {
        return MC_ENOMEM;
    }
    memcpy(*from, s->pfrom, sizeof(int64_t) * (size_t)s->npause);
    memcpy(*to, s->pto, sizeof(int64_t) * (size_t)s->npause);
    return MC_OK;
}

static int write_step(struct mc_db *db, const struct dst *s,
                      int64_t left_at, int64_t finished_by,
                      struct mc_err *err);

int
mc_q_ds_step_open(struct mc_db *db, int64_t dossier_id, int step_seq,
                  const char *name, int64_t unit_id, int64_t holder_id,
                  int64_t arrived_at, int64_t due_at, struct mc_err *err)
{
    struct mc_q_dstates *t = mc_q_dslot_states(db);
    int rc;
    struct dst *s = get(db, dossier_id, &rc, err);

    if (s == NULL) {
        return rc;
    }
    if (s->open == OPEN_HELD) {
        /* lifecycle closes a step before it opens the next; should one
         * stay open, it goes to the table as the reference left it, and
         * the new step is the last (the one closes and holders name) */
        if ((rc = write_step(db, s, 0, 0, err)) != MC_OK) {
            return rc;
        }
    }
    if ((s->s_name = mc_arena_strdup(&t->a, name)) == NULL) {
        return nomem(err);
    }
    s->open = OPEN_HELD;
    s->s_id = t->next_step_id++;
    s->s_seq = ++s->st_seq;
    s->s_step = step_seq;
    s->s_unit = unit_id;
    s->s_holder = holder_id;
    s->s_arrived = arrived_at;
    s->s_due = due_at;
    return MC_OK;
}

/* The held open step of s, with left_at and finished_by when closed. */
static int
write_step(struct mc_db *db, const struct dst *s, int64_t left_at,
           int64_t finished_by, struct mc_err *err)
{
    if (left_at == 0) {
        return mc_db_run(db, err,
                         "INSERT INTO dossier_steps (id, dossier_id, seq, "
                         "step_seq, name, unit_id, holder_id, arrived_at, "
                         "due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         "iiIItiziz", s->s_id, s->id, (int)s->s_seq,
                         (int)s->s_step, s->s_name, s->s_unit, s->s_holder,
                         s->s_arrived, s->s_due);
    }
    return mc_db_run(db, err,
                     "INSERT INTO dossier_steps (id, dossier_id, seq, "
                     "step_seq, name, unit_id, holder_id, arrived_at, "
                     "due_at, left_at, finished_by, outcome) VALUES (?1, ?2, "
                     "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                     STEP_OUTCOME("?9", "?10") ")",
                     "iiIItizizii", s->s_id, s->id, (int)s->s_seq,
                     (int)s->s_step, s->s_name, s->s_unit, s->s_holder,
                     s->s_arrived, s->s_due, left_at, finished_by);
}

int
mc_q_ds_step_close(struct mc_db *db, int64_t dossier_id, int64_t left_at,
                   int64_t finished_by, struct mc_err *err)
{
    int rc;
    struct dst *s = get(db, dossier_id, &rc, err);

    if (s == NULL) {
        return rc;
    }
    if (s->open == OPEN_HELD) {
        rc = write_step(db, s, left_at, finished_by, err);
    } else if (s->open == OPEN_TABLE) {
        rc = mc_db_run(db, err,
                       "UPDATE dossier_steps SET left_at = ?1, finished_by "
                       "= ?2, outcome = " STEP_OUTCOME("due_at", "?1")
                       " WHERE dossier_id = ?3 AND seq = ?4 AND left_at IS "
                       "NULL",
                       "iziI", left_at, finished_by, dossier_id,
                       (int)s->s_seq);
    } else {
        return MC_OK; /* no open step: the reference UPDATE matches none */
    }
    if (rc != MC_OK) {
        return rc;
    }
    s->open = OPEN_NONE;
    return MC_OK;
}

int
mc_q_ds_step_holder(struct mc_db *db, int64_t dossier_id, int64_t holder_id,
                    struct mc_err *err)
{
    int rc;
    struct dst *s = get(db, dossier_id, &rc, err);

    if (s == NULL) {
        return rc;
    }
    if (s->open == OPEN_HELD) {
        s->s_holder = holder_id;
        return MC_OK;
    }
    if (s->open == OPEN_TABLE) {
        return mc_db_run(db, err,
                         "UPDATE dossier_steps SET holder_id = ? WHERE "
                         "dossier_id = ? AND seq = ? AND left_at IS NULL",
                         "ziI", holder_id, dossier_id, (int)s->s_seq);
    }
    return MC_OK; /* no open step: the reference UPDATE matches none */
}

int
mc_q_ds_file_added(struct mc_db *db, int64_t dossier_id, struct mc_err *err)
{
    int rc;
    struct dst *s = get(db, dossier_id, &rc, err);

    if (s == NULL) {
        return rc;
    }
    s->files++;
    return MC_OK;
}

int
mc_q_ds_no_files(struct mc_db *db, int64_t dossier_id, int *none,
                 struct mc_err *err)
{
    int rc;
    struct dst *s = get(db, dossier_id, &rc, err);

    if (s == NULL) {
        return rc;
    }
    *none = s->files == 0;
    return MC_OK;
}

int
mc_q_ds_watch(struct mc_db *db, int64_t dossier_id, int64_t at, int drop,
              struct mc_err *err)
{
    int rc;
    struct dst *s = get(db, dossier_id, &rc, err);

    if (s == NULL) {
        return rc;
    }
    s->watch = drop ? W_DROP : W_TOUCH;
    s->watch_dropped |= drop;
    s->watch_at = at;
    return MC_OK;
}

static void
cs_put(struct mc_q_dstates *t, size_t idx)
{
    const struct cseq *c = &t->cs[idx];
    size_t h = hash_id(c->unit_id * 1000003 + c->day, t->cstcap);

    while (t->cstab[h] != 0) {
        h = (h + 1) & (t->cstcap - 1);
    }
    t->cstab[h] = (uint32_t)(idx + 1);
}

/* A new code sequence entry; NULL when out of memory. */
static struct cseq *
cs_add(struct mc_q_dstates *t, int64_t unit_id, int32_t day)
{
    struct cseq *c;

    if (t->ncs == t->cscap) {
        size_t cap = t->cscap ? 2 * t->cscap : 1024;
        struct cseq *v = mc_realloc(t->cs, cap * sizeof(*v));

        if (v == NULL) {
            return NULL;
        }
        t->cs = v;
        t->cscap = cap;
    }
    if (2 * (t->ncs + 1) > t->cstcap) {
        size_t cap = t->cstcap ? 2 * t->cstcap : 4096;
        uint32_t *tab = mc_calloc(cap, sizeof(*tab));

        if (tab == NULL) {
            return NULL;
        }
        mc_free(t->cstab);
        t->cstab = tab;
        t->cstcap = cap;
        for (size_t i = 0; i < t->ncs; i++) {
            cs_put(t, i);
        }
    }
    c = &t->cs[t->ncs];
    memset(c, 0, sizeof(*c));
    c->unit_id = unit_id;
    c->day = day;
    cs_put(t, t->ncs++);
    return c;
}

int
mc_q_ds_code_next(struct mc_db *db, int64_t unit_id, int32_t day,
                  int64_t *seq, struct mc_err *err)
{
    struct mc_q_dstates *t = mc_q_dslot_states(db);
    int64_t key = unit_id * 1000003 + day;
    struct cseq *c = NULL;
    size_t h = 0;
    int rc;

    if (t->ncs > 0) {
        for (h = hash_id(key, t->cstcap);; h = (h + 1) & (t->cstcap - 1)) {
            uint32_t k = t->cstab[h];
            if (k == 0) {
                break;
            }
            if (t->cs[k - 1].unit_id == unit_id && t->cs[k - 1].day == day) {
                c = &t->cs[k - 1];
                break;
            }
        }
    }
    if (c == NULL) {
        int64_t last = 0;

        if (day <= t->cs_day_max) {
            rc = mc_db_i64(db, &last, err,
                           "SELECT last FROM code_seq WHERE unit_id = ? AND "
                           "day = ?",
                           "iI", unit_id, (int)day);
            if (rc != MC_OK && rc != MC_ENOTFOUND) {
                return rc;
            }
        }
        if ((c = cs_add(t, unit_id, day)) == NULL) {
            return nomem(err);
        }
        c->last = last;
    }
    c->dirty = 1;
    *seq = ++c->last;
    return MC_OK;
}

int
mc_q_ds_facts_hold(struct mc_db *db, const struct mc_eval_facts *f,
                   struct mc_err *err)
{
    struct mc_q_dstates *t = mc_q_dslot_states(db);
    struct mc_eval_facts *c;

    if (t->nf == t->fcap) {
        size_t cap = t->fcap ? 2 * t->fcap : 1024;
        struct mc_eval_facts *v = mc_realloc(t->facts, cap * sizeof(*v));

        if (v == NULL) {
            return nomem(err);
        }
        t->facts = v;
        t->fcap = cap;
    }
    c = &t->facts[t->nf];
    *c = *f;
    if ((f->unit_path != NULL &&
         (c->unit_path = mc_arena_strdup(&t->a, f->unit_path)) == NULL) ||
        (f->procedure_code != NULL &&
         (c->procedure_code = mc_arena_strdup(&t->a, f->procedure_code)) ==
             NULL)) {
        return nomem(err);
    }
    t->nf++;
    return MC_OK;
}

int
mc_q_dstates_flush(struct mc_db *db, struct mc_q_dstates *t,
                   struct mc_err *err)
{
    size_t k = 0;
    int rc = MC_OK;

    for (size_t i = 0; i < t->n && rc == MC_OK; i++) {
        struct dst *s = &t->v[i];

        if (s->open == OPEN_HELD) {
            rc = write_step(db, s, 0, 0, err);
            s->open = OPEN_TABLE;
            s->s_name = NULL;
        }
        if (rc == MC_OK && s->watch_dropped && s->watch_row) {
            rc = mc_q_watch_write(db, s->id, 0, 1, err);
            s->watch_row = 0;
        }
        if (rc == MC_OK && s->watch == W_TOUCH) {
            rc = mc_q_watch_write(db, s->id, s->watch_at, 0, err);
            s->watch_row = 1;
        }
        s->watch = W_NONE;
        s->watch_dropped = 0;
        if (!s->done) {
            t->v[k++] = *s;
        }
    }
    for (size_t i = 0; i < t->ncs && rc == MC_OK; i++) {
        if (!t->cs[i].dirty) {
            continue;
        }
        t->cs[i].dirty = 0;
        rc = mc_db_run(db, err,
                       "INSERT INTO code_seq (unit_id, day, last) VALUES "
                       "(?, ?, ?) ON CONFLICT (unit_id, day) DO UPDATE SET "
                       "last = excluded.last",
                       "iIi", t->cs[i].unit_id, (int)t->cs[i].day,
                       t->cs[i].last);
    }
    if (rc == MC_OK) {
        rc = mc_q_eval_facts_flush(db, t->facts, t->nf, err);
    }
    if (rc != MC_OK) {
        return rc; /* the caller rolls back: the slot is dropped */
    }
    t->nf = 0;
    t->n = k;
    mc_arena_release(&t->a);
    mc_arena_init(&t->a, 0);
    if (t->tcap > 0) {
        memset(t->tab, 0, t->tcap * sizeof(*t->tab));
        for (size_t i = 0; i < t->n; i++) {
            tab_put(t, i);
        }
    }
    return MC_OK;
}
