/*
 * q_memo.c - the per-connection memo (q_memo.h).
 */
#include "db/q_memo.h"

#include <string.h>

#include "util/alloc.h"

struct mc_q_memo_ent {
    int kind;          /* 0 = empty */
    int64_t id;
    const char *key;   /* in the memo's arena, or NULL */
    const void *row;   /* in the memo's arena */
};

static void
memo_free(void *m)
{
    struct mc_q_memo *pm = m;

    mc_arena_release(&pm->a);
    mc_free(pm->tab);
    mc_free(pm);
}

struct mc_q_memo *
mc_q_memo(struct mc_db *db)
{
    struct mc_q_memo *pm = mc_db_memo(db);

    if (pm == NULL) {
        pm = mc_calloc(1, sizeof(*pm));
        if (pm != NULL) {
            mc_arena_init(&pm->a, 0);
            mc_db_memo_set(db, pm, memo_free);
        }
    }
    return pm;
}

static size_t
ent_hash(int kind, int64_t id, const char *key)
{
    uint64_t h = 1469598103934665603u ^ (uint64_t)kind;

    if (key != NULL) {
        for (; *key; key++) {
            h = (h ^ (unsigned char)*key) * 1099511628211u;
        }
    } else {
        h = (h ^ (uint64_t)id) * 0x9E3779B97F4A7C15u;
    }
    return (size_t)(h ^ (h >> 29));
}

static int
ent_is(const struct mc_q_memo_ent *e, int kind, int64_t id, const char *key)
{
    return e->kind == kind &&
           (key != NULL ? e->key != NULL && strcmp(e->key, key) == 0
                        : e->key == NULL && e->id == id);
}

/* The fast load: the generator holds dossier rows (mc_q_dossier_hold). */
static int
loading(struct mc_db *db)
{
    return mc_db_rows(db) != NULL;
}

const void *
mc_q_memo_row(struct mc_db *db, int kind, int64_t id, const char *key)
{
    struct mc_q_memo *pm;

    if (!loading(db) || (pm = mc_db_memo(db)) == NULL || pm->tn == 0) {
        return NULL;
    }
    for (size_t h = ent_hash(kind, id, key) & (pm->tcap - 1);;
         h = (h + 1) & (pm->tcap - 1)) {
        const struct mc_q_memo_ent *e = &pm->tab[h];

        if (e->kind == 0) {
            return NULL;
        }
        if (ent_is(e, kind, id, key)) {
            return e->row;
        }
    }
}

static void
ent_put(struct mc_q_memo_ent *tab, size_t cap, const struct mc_q_memo_ent *e)
{
    size_t h = ent_hash(e->kind, e->id, e->key) & (cap - 1);

    while (tab[h].kind != 0) {
        h = (h + 1) & (cap - 1);
    }
    tab[h] = *e;
}

int
mc_q_memo_row_put(struct mc_db *db, int kind, int64_t id, const char *key,
                  const void *row, size_t size)
{
    struct mc_q_memo *pm;
    struct mc_q_memo_ent e;
    void *copy;

    if (!loading(db) || mc_q_memo_row(db, kind, id, key) != NULL) {
        return MC_OK;
    }
    if ((pm = mc_q_memo(db)) == NULL) {
        return MC_ENOMEM;
    }
    if (2 * (pm->tn + 1) > pm->tcap) {
        size_t cap = pm->tcap ? 2 * pm->tcap : 1024;
        struct mc_q_memo_ent *tab = mc_calloc(cap, sizeof(*tab));

        if (tab == NULL) {
            return MC_ENOMEM;
        }
        for (size_t i = 0; i < pm->tcap; i++) {
            if (pm->tab[i].kind != 0) {
                ent_put(tab, cap, &pm->tab[i]);
            }
        }
        mc_free(pm->tab);
        pm->tab = tab;
        pm->tcap = cap;
    }
    copy = mc_arena_alloc(&pm->a, size);
    if (copy == NULL) {
        return MC_ENOMEM;
    }
    memcpy(copy, row, size);
    e.kind = kind;
    e.id = key != NULL ? 0 : id;
    e.key = key != NULL ? mc_arena_strdup(&pm->a, key) : NULL;
    e.row = copy;
    if (key != NULL && e.key == NULL) {
        return MC_ENOMEM;
    }
    ent_put(pm->tab, pm->tcap, &e);
    pm->tn++;
    return MC_OK;
}

void
mc_q_memo_rows_drop(struct mc_db *db)
{
    struct mc_q_memo *pm = mc_db_memo(db);

    if (pm != NULL && pm->tn > 0) {
        memset(pm->tab, 0, pm->tcap * sizeof(*pm->tab));
        pm->tn = 0;
    }
}
