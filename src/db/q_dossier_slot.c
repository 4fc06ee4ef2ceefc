/*
 * q_dossier_slot.c - the generator's dossier rows, held in memory until
 * the batch's commit (q_dossier.h: mc_q_dossier_hold).
 *
 * A generated dossier is written about six times: inserted, then updated
 * by every transition, each time with its index updates. Held here, each
 * row is written once per batch with its final columns. The held rows
 * follow the SQL path exactly: an insert keeps only the columns the
 * INSERT writes (the others read back NULL or their default), an update
 * takes only the columns the UPDATE would write (those that differ from
 * old), and the version check is the same. The equivalence test
 * (test_bulk_indexes_equivalent) compares the tables of both paths.
 */
#include <stdint.h>
#include <string.h>

#include "db/q_dossier_int.h"
#include "db/q_memo.h"
#include "util/alloc.h"

struct drow {
    struct mc_dossier cur;   /* the row as it is now (strings in s->a) */
    struct mc_dossier base;  /* an older row: as stored (strings in s->a) */
    const char *search_key;  /* a new row's */
    int is_new;
};

struct dslot {
    struct mc_arena a;       /* strings of the held rows */
    struct drow *rows;
    size_t n, cap;
    uint32_t *tab;           /* by id: index + 1 into rows, 0 = empty */
    size_t tcap;             /* power of two, at least 2 (n + 1) */
    int64_t next_id;         /* the next new row's id */
    struct mc_q_dstates *states; /* the rows' other state */
};

static void
slot_free(void *p)
{
    struct dslot *s = p;

    mc_arena_release(&s->a);
    mc_q_dstates_free(s->states);
    mc_free(s->rows);
    mc_free(s->tab);
    mc_free(s);
}

static int
nomem(struct mc_err *err)
{
    return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                      "out of memory");
}

static size_t
slot_hash(const struct dslot *s, int64_t id)
{
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15u) >> 20) &
           (s->tcap - 1);
}

static struct drow *
slot_find(struct dslot *s, int64_t id)
{
    if (s->n == 0) {
        return NULL;
    }
    for (size_t h = slot_hash(s, id);; h = (h + 1) & (s->tcap - 1)) {
        uint32_t k = s->tab[h];

        if (k == 0) {
            return NULL;
        }
        if (s->rows[k - 1].cur.id == id) {
            return &s->rows[k - 1];
        }
    }
}

static void
slot_put(struct dslot *s, size_t idx)
{
    size_t h = slot_hash(s, s->rows[idx].cur.id);

    while (s->tab[h] != 0) {
        h = (h + 1) & (s->tcap - 1);
    }
    s->tab[h] = (uint32_t)(idx + 1);
}

/* A new zeroed row with this id, in the table; NULL when out of memory. */
static struct drow *
slot_add(struct dslot *s, int64_t id)
{
    struct drow *r;

    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        struct drow *rows = mc_realloc(s->rows, cap * sizeof(*rows));

        if (rows == NULL) {
            return NULL;
        }
        s->rows = rows;
        s->cap = cap;
    }
    if (2 * (s->n + 1) > s->tcap) {
        size_t tcap = s->tcap ? 2 * s->tcap : 4096;
        uint32_t *tab = mc_calloc(tcap, sizeof(*tab));

        if (tab == NULL) {
            return NULL;
        }
        mc_free(s->tab);
        s->tab = tab;
        s->tcap = tcap;
        for (size_t i = 0; i < s->n; i++) {
            slot_put(s, i);
        }
    }
    r = &s->rows[s->n];
    memset(r, 0, sizeof(*r));
    r->cur.id = id;
    slot_put(s, s->n++);
    return r;
}

/* *p copied into a; 0 when out of memory. */
static int
sdup(struct mc_arena *a, const char **p)
{
    if (*p != NULL && (*p = mc_arena_strdup(a, *p)) == NULL) {
        return 0;
    }
    return 1;
}

/* Every string of d copied into a (d's strings are replaced). */
static int
dup_strings(struct mc_arena *a, struct mc_dossier *d)
{
    const char **f[] = {
        &d->code, &d->procedure_code, &d->recv_unit_path, &d->unit_path,
        &d->applicant_name, &d->applicant_id_number, &d->applicant_phone,
        &d->applicant_email, &d->applicant_address, &d->summary,
        &d->due_provenance, &d->consult_unit_path, &d->result_text,
    };

    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        if (!sdup(a, f[i])) {
            return 0;
        }
    }
    return 1;
}

int
mc_q_dslot_get(struct mc_db *db, int64_t id, struct mc_arena *a,
               struct mc_dossier *out, struct mc_err *err)
{
    struct dslot *s = mc_db_rows(db);
    struct drow *r = s != NULL ? slot_find(s, id) : NULL;

    if (r == NULL) {
        return MC_ENOTFOUND;
    }
    (void)a;
    (void)err;
    *out = r->cur; /* strings borrowed from the slot (q_dossier_int.h) */
    return MC_OK;
}

struct mc_arena *
mc_q_dslot_arena(struct mc_db *db)
{
    struct dslot *s = mc_db_rows(db);

    return s != NULL ? &s->a : NULL;
}

int
mc_q_dslot_adopt(struct mc_db *db, struct mc_dossier *d, struct mc_err *err)
{
    struct dslot *s = mc_db_rows(db);
    struct drow *r = slot_add(s, d->id);

    if (r == NULL) {
        return nomem(err);
    }
    r->cur = *d; /* its strings are in s->a already */
    r->base = *d;
    return MC_OK;
}

int
mc_q_dslot_insert(struct mc_db *db, struct mc_dossier *d,
                  const char *search_key, struct mc_err *err)
{
    struct dslot *s = mc_db_rows(db);
    struct drow *r = slot_add(s, s->next_id);
    struct mc_dossier *c;

    if (r == NULL) {
        return nomem(err);
    }
    /* the columns of mc_q_dossier_insert's INSERT; the rest NULL or 0 */
    c = &r->cur;
    c->procedure_id = d->procedure_id;
    c->procedure_code = d->procedure_code;
    c->recv_unit_id = d->recv_unit_id;
    c->recv_unit_path = d->recv_unit_path;
    c->unit_id = d->unit_id;
    c->unit_path = d->unit_path;
    c->applicant_id = d->applicant_id;
    c->applicant_name = d->applicant_name;
    c->applicant_id_number = d->applicant_id_number;
    c->applicant_phone = d->applicant_phone;
    c->applicant_email = d->applicant_email;
    c->applicant_address = d->applicant_address;
    c->summary = d->summary;
    c->channel = d->channel;
    c->state = d->state;
    c->submitted_at = d->submitted_at;
    c->version = 1;
    c->updated_at = d->updated_at;
    r->search_key = search_key;
    r->is_new = 1;
    if (!dup_strings(&s->a, c) || !sdup(&s->a, &r->search_key)) {
        s->n--; /* the table slot stays; the row is never found again */
        return nomem(err);
    }
    d->id = s->next_id++;
    d->version = 1;
    return mc_q_dstates_created(s->states, d->id, err);
}

static int
same_str(const char *x, const char *y)
{
    if (x == NULL || y == NULL) {
        return x == y;
    }
    return strcmp(x, y) == 0;
}

/* Columns of mc_q_dossier_write: taken when old is NULL or they differ. */
#define TAKE_I(f)                                                          \
    if (old == NULL || old->f != d->f) {                                   \
        c->f = d->f;                                                       \
    }
#define TAKE_T(f)                                                          \
    if (old == NULL || !same_str(old->f, d->f)) {                          \
        c->f = d->f;                                                       \
        ok = ok && sdup(&s->a, &c->f);                                     \
    }

int
mc_q_dslot_update(struct mc_db *db, const struct mc_dossier *old,
                  const struct mc_dossier *d, struct mc_err *err)
{
    struct dslot *s = mc_db_rows(db);
    struct drow *r = slot_find(s, d->id);
    struct mc_dossier *c;
    int ok = 1, rc;

    if (r == NULL) {
        /* an older row not read in this batch: as stored (adopted) */
        struct mc_dossier stored;

        rc = mc_q_dossier_get(db, d->id, &s->a, &stored, err);
        if (rc != MC_OK && rc != MC_ENOTFOUND) {
            return rc;
        }
        r = slot_find(s, d->id); /* NULL: no row, the conflict below */
    }
    if (r == NULL || r->cur.version != d->version - 1) {
        return mc_err_set(err, MC_ECONFLICT, 409, "concurrent_update", NULL,
                          "the dossier was changed by someone else; reload "
                          "and retry");
    }
    c = &r->cur;
    TAKE_T(code);
    TAKE_I(unit_id);
    TAKE_T(unit_path);
    TAKE_I(state);
    TAKE_I(received_at);
    TAKE_I(due_at);
    TAKE_I(due_original);
    TAKE_T(due_provenance);
    TAKE_I(finished_at);
    TAKE_I(returned_at);
    TAKE_I(refused_at);
    TAKE_I(stopped_at);
    TAKE_I(paused_at);
    TAKE_I(paused_total);
    TAKE_I(reschedules);
    TAKE_I(supplements);
    TAKE_I(step_seq);
    TAKE_I(assignee_id);
    TAKE_I(consult_unit_id);
    TAKE_T(consult_unit_path);
    TAKE_I(consult_due);
    TAKE_T(result_text);
    c->version = d->version;
    c->updated_at = d->updated_at;
    if (mc_dstate_closed(d->state)) {
        mc_q_dstates_ended(s->states, d->id); /* no transition follows */
    }
    return ok ? MC_OK : nomem(err);
}

/* A new row with its final columns. */
static int
insert_row(struct mc_db *db, const struct drow *r, struct mc_err *err)
{
    const struct mc_dossier *d = &r->cur;

    return mc_db_run(
        db, err,
        "INSERT INTO dossiers (id, code, procedure_id, procedure_code, "
        "recv_unit_id, recv_unit_path, unit_id, unit_path, applicant_id, "
        "applicant_name, applicant_id_number, applicant_phone, "
        "applicant_email, applicant_address, summary, channel, state, "
        "status, submitted_at, received_at, due_at, due_original, "
        "due_provenance, finished_at, returned_at, refused_at, stopped_at, "
        "paused_at, paused_total, reschedules, supplements, step_seq, "
        "assignee_id, consult_unit_id, consult_unit_path, consult_due, "
        "result_text, search_key, version, updated_at) VALUES (?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "itititit" "ztttttt" "ItIi" "zzzt" "zzzzz" "iIII" "zztz" "ttIi", d->id, d->code,
        d->procedure_id, d->procedure_code, d->recv_unit_id,
        d->recv_unit_path, d->unit_id, d->unit_path, d->applicant_id,
        d->applicant_name, d->applicant_id_number, d->applicant_phone,
        d->applicant_email, d->applicant_address, d->summary, d->channel,
        mc_dstate_name(d->state), mc_dstate_dvcqg(d->state), d->submitted_at,
        d->received_at, d->due_at, d->due_original, d->due_provenance,
        d->finished_at, d->returned_at, d->refused_at, d->stopped_at,
        d->paused_at, d->paused_total, d->reschedules, d->supplements,
        d->step_seq, d->assignee_id, d->consult_unit_id,
        d->consult_unit_path, d->consult_due, d->result_text, r->search_key,
        d->version, d->updated_at);
}

/*
 * After the flush (keep) the rows of dossiers still open stay held, as
 * they are stored now (base = cur), with their strings moved to a new
 * arena; the others are dropped. A row read back by SQL would be the
 * same (every column of the struct was written from cur), so a later
 * transition in the next batch reads nothing. Out of memory, or after a
 * failed flush (!keep: the caller rolls back), every row is dropped and
 * read again when needed.
 */
static void
keep_open(struct dslot *s, int keep)
{
    struct mc_arena a;
    size_t k = 0;

    mc_arena_init(&a, 0);
    for (size_t i = 0; keep && i < s->n; i++) {
        struct drow r = s->rows[i];

        if (mc_dstate_closed(r.cur.state)) {
            continue;
        }
        if (!dup_strings(&a, &r.cur)) {
            k = 0;
            break;
        }
        r.base = r.cur;
        r.search_key = NULL;
        r.is_new = 0;
        s->rows[k++] = r;
    }
    mc_arena_release(&s->a);
    s->a = a; /* empty when nothing was kept */
    if (s->n > 0) {
        memset(s->tab, 0, s->tcap * sizeof(*s->tab));
    }
    s->n = k;
    for (size_t i = 0; i < s->n; i++) {
        slot_put(s, i);
    }
}

int
mc_q_dossier_flush(struct mc_db *db, struct mc_err *err)
{
    struct dslot *s = mc_db_rows(db);
    int rc = MC_OK;

    if (s == NULL) {
        return MC_OK;
    }
    for (size_t i = 0; i < s->n && rc == MC_OK; i++) {
        const struct drow *r = &s->rows[i];

        if (r->is_new) {
            rc = insert_row(db, r, err);
        } else if (r->cur.version != r->base.version) {
            rc = mc_q_dossier_write(db, &r->base, &r->cur, r->base.version,
                                    0, err);
        } /* else read in the batch, not changed */
    }
    keep_open(s, rc == MC_OK);
    if (rc == MC_OK) {
        rc = mc_q_dstates_flush(db, s->states, err);
    }
    return rc;
}

struct mc_q_dstates *
mc_q_dslot_states(struct mc_db *db)
{
    struct dslot *s = mc_db_rows(db);

    return s != NULL ? s->states : NULL;
}

int
mc_q_dossier_sync(struct mc_db *db, struct mc_err *err)
{
    return mc_db_rows(db) != NULL ? mc_q_dossier_flush(db, err) : MC_OK;
}

int
mc_q_dossier_hold(struct mc_db *db, struct mc_err *err)
{
    struct dslot *s;
    int64_t max = 0;
    int rc;

    if (mc_db_kind(db) != MC_DB_SQLITE || mc_db_rows(db) != NULL) {
        return MC_OK;
    }
    /* SQLite gives a new rowid one past the largest (no AUTOINCREMENT) */
    rc = mc_db_i64(db, &max, err, "SELECT coalesce(max(id), 0) FROM dossiers",
                   "");
    if (rc != MC_OK) {
        return rc;
    }
    if ((s = mc_calloc(1, sizeof(*s))) == NULL) {
        return nomem(err);
    }
    mc_arena_init(&s->a, 0);
    s->next_id = max + 1;
    if ((s->states = mc_q_dstates_new(db, err)) == NULL) {
        slot_free(s);
        return MC_EDB;
    }
    mc_q_memo_rows_drop(db); /* units, accounts: as the load finds them */
    mc_db_rows_set(db, s, slot_free);
    return MC_OK;
}

void
mc_q_dossier_release(struct mc_db *db)
{
    mc_db_rows_set(db, NULL, NULL);
}
