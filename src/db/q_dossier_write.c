/*
 * q_dossier_write.c - the dossier row's update (see q_dossier.h): only
 * the columns that changed, with the statement text kept per set of
 * changed columns. Split from q_dossier.c.
 */
#include "db/q_dossier.h"

#include <pthread.h>
#include <string.h>

#include "db/q_dossier_int.h"

#include "util/alloc.h"
#include "util/buf.h"

/* One mutable column of mc_q_dossier_update: an integer or a text. */
struct ucol {
    const char *name;
    char kind;              /* 'i' integer, 'z' integer 0 = NULL, 't' text */
    int64_t nv, ov;         /* new and old integer */
    const char *ns, *os;    /* new and old text (NULL = SQL NULL) */
};

static int
ucol_changed(const struct ucol *c)
{
    if (c->kind != 't') {
        return c->nv != c->ov;
    }
    if (c->ns == NULL || c->os == NULL) {
        return c->ns != c->os;
    }
    return strcmp(c->ns, c->os) != 0;
}

/*
 * The UPDATE text for the set of changed columns mask (bit k = cols[k]),
 * kept per process once built: a usual transition changes one of a few
 * sets, and the same text at the same address is the statement cache's
 * cheapest hit (building it cost about as much as binding). Returns the
 * kept text, or the text built in tmp (caller releases) when the table is
 * full, or NULL when out of memory.
 */
#define UPD_SLOTS 128 /* a power of two; filled at most to UPD_KEEP */
#define UPD_KEEP 96

static pthread_mutex_t upd_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    uint32_t mask;
    char *sql; /* NULL: free slot; kept for the life of the process */
} upd_sql[UPD_SLOTS];
static size_t upd_n;

static const char *
update_sql(const struct ucol *cols, size_t ncols, uint32_t mask,
           struct mc_buf *tmp)
{
    size_t h = (size_t)((mask * 2654435761u) >> 7) & (UPD_SLOTS - 1);
    const char *found = NULL;
    int rc;

    pthread_mutex_lock(&upd_mu);
    while (upd_sql[h].sql != NULL) {
        if (upd_sql[h].mask == mask) {
            found = upd_sql[h].sql;
            break;
        }
        h = (h + 1) & (UPD_SLOTS - 1);
    }
    pthread_mutex_unlock(&upd_mu);
    if (found != NULL) {
        return found;
    }
    rc = mc_buf_reserve(tmp, 240); /* one allocation for a usual update */
    if (rc == MC_OK) {
        rc = mc_buf_adds(tmp, "UPDATE dossiers SET ");
    }
    for (size_t k = 0; k < ncols && rc == MC_OK; k++) {
        if (mask & (1u << k)) {
            rc = mc_buf_adds(tmp, cols[k].name);
            if (rc == MC_OK) {
                rc = mc_buf_adds(tmp, " = ?, ");
            }
        }
    }
    if (rc == MC_OK) {
        rc = mc_buf_adds(tmp, "version = ?, updated_at = ? "
                              "WHERE id = ? AND version = ?");
    }
    if (rc != MC_OK) {
        return NULL;
    }
    pthread_mutex_lock(&upd_mu);
    if (upd_n < UPD_KEEP) {
        /* another thread may have kept the same text meanwhile */
        while (upd_sql[h].sql != NULL && upd_sql[h].mask != mask) {
            h = (h + 1) & (UPD_SLOTS - 1);
        }
        if (upd_sql[h].sql == NULL &&
            (upd_sql[h].sql = mc_strdup(tmp->data)) != NULL) {
            upd_sql[h].mask = mask;
            upd_n++;
        }
        found = upd_sql[h].sql;
    }
    pthread_mutex_unlock(&upd_mu);
    return found != NULL ? found : tmp->data;
}

#define UI(col, k, f) {col, k, (int64_t)d->f, old ? (int64_t)old->f : 0, \
                       NULL, NULL}
#define UT(col, f) {col, 't', 0, 0, d->f, old ? old->f : NULL}

int
mc_q_dossier_update(struct mc_db *db, const struct mc_dossier *old,
                    const struct mc_dossier *d, struct mc_err *err)
{
    if (mc_db_rows(db) != NULL) {
        return mc_q_dslot_update(db, old, d, err);
    }
    return mc_q_dossier_write(db, old, d, d->version - 1, 1, err);
}

int
mc_q_dossier_write(struct mc_db *db, const struct mc_dossier *old,
                   const struct mc_dossier *d, int64_t expect, int check,
                   struct mc_err *err)
{
    struct ucol cols[] = {
        UT("code", code), UI("unit_id", 'i', unit_id),
        UT("unit_path", unit_path),
        {"state", 't', 0, 0, mc_dstate_name(d->state),
         old ? mc_dstate_name(old->state) : NULL},
        {"status", 'i', mc_dstate_dvcqg(d->state),
         old ? mc_dstate_dvcqg(old->state) : 0, NULL, NULL},
        UI("received_at", 'z', received_at), UI("due_at", 'z', due_at),
        UI("due_original", 'z', due_original),
        UT("due_provenance", due_provenance),
        UI("finished_at", 'z', finished_at),
        UI("returned_at", 'z', returned_at),
        UI("refused_at", 'z', refused_at), UI("stopped_at", 'z', stopped_at),
        UI("paused_at", 'z', paused_at),
        UI("paused_total", 'i', paused_total),
        UI("reschedules", 'i', reschedules),
        UI("supplements", 'i', supplements), UI("step_seq", 'i', step_seq),
        UI("assignee_id", 'z', assignee_id),
        UI("consult_unit_id", 'z', consult_unit_id),
        UT("consult_unit_path", consult_unit_path),
        UI("consult_due", 'z', consult_due),
        UT("result_text", result_text),
    };
    const size_t ncols = sizeof(cols) / sizeof(cols[0]);
    unsigned char set[sizeof(cols) / sizeof(cols[0])];
    struct mc_stmt *st;
    struct mc_buf sql;
    const char *text;
    uint32_t mask = 0;
    int rc, idx = 1;

    /* Only the changed columns: SQLite then updates only the indexes
     * (and checks only the foreign keys) on those columns. */
    for (size_t k = 0; k < ncols; k++) {
        set[k] = (unsigned char)(old == NULL || ucol_changed(&cols[k]));
        mask |= (uint32_t)set[k] << k;
    }
    mc_buf_init(&sql, 4096);
    text = update_sql(cols, ncols, mask, &sql);
    if (text == NULL) {
        mc_buf_release(&sql);
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    st = mc_db_prep(db, text, err);
    mc_buf_release(&sql);
    if (st == NULL) {
        return MC_EDB;
    }
    for (size_t k = 0; k < ncols; k++) {
        if (!set[k]) {
            continue;
        }
        if (cols[k].kind == 't') {
            mc_stmt_bind_text(st, idx++, cols[k].ns);
        } else if (cols[k].kind == 'z' && cols[k].nv == 0) {
            mc_stmt_bind_null(st, idx++);
        } else {
            mc_stmt_bind_i64(st, idx++, cols[k].nv);
        }
    }
    mc_stmt_bind_i64(st, idx++, d->version);
    mc_stmt_bind_i64(st, idx++, d->updated_at);
    mc_stmt_bind_i64(st, idx++, d->id);
    mc_stmt_bind_i64(st, idx, expect);
    rc = mc_stmt_step(st, err);
    mc_stmt_done(st);
    if (rc < 0) {
        return rc;
    }
    if (check && mc_db_changes(db) != 1) {
        return mc_err_set(err, MC_ECONFLICT, 409, "concurrent_update", NULL,
                          "the dossier was changed by someone else; reload "
                          "and retry");
    }
    return MC_OK;
}
