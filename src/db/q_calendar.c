/*
 * q_calendar.c - SQL of the calendar tables (see q_calendar.h).
 */
#include "db/q_calendar.h"

#include <string.h>

#define CURRENT_AT "since_version <= ? AND (until_version IS NULL OR " \
                   "until_version > ?)"

static const char *
text_or(struct mc_stmt *st, int col, const char *dflt)
{
    const char *s = mc_stmt_text(st, col);

    return s != NULL ? s : dflt;
}

static void
read_version(struct mc_stmt *st, struct mc_qcal_version *v)
{
    v->version = (int)mc_stmt_i64(st, 0);
    v->effective_from = mc_stmt_i64(st, 1);
    v->created_at = mc_stmt_i64(st, 2);
    v->actor_id = mc_stmt_isnull(st, 3) ? 0 : mc_stmt_i64(st, 3);
    v->note = text_or(st, 4, "");
}

int
mc_qcal_latest(struct mc_db *db, struct mc_qcal_version *out,
               struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT version, effective_from, created_at, actor_id, note "
        "FROM calendar_versions ORDER BY version DESC LIMIT 1",
        err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        read_version(st, out);
        out->note = ""; /* text would dangle after mc_stmt_done */
        rc = MC_OK;
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_qcal_version_get(struct mc_db *db, int version, int64_t *effective_from,
                    struct mc_err *err)
{
    return mc_db_i64(db, effective_from, err,
                     "SELECT effective_from FROM calendar_versions "
                     "WHERE version = ?",
                     "I", version);
}

int
mc_qcal_versions_each(struct mc_db *db, mc_qcal_version_fn fn, void *ctx,
                      struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT version, effective_from, created_at, actor_id, note "
        "FROM calendar_versions ORDER BY version",
        err);
    struct mc_qcal_version v;
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        read_version(st, &v);
        if ((rc = fn(ctx, &v, err)) != MC_OK) {
            break;
        }
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_qcal_version_add(struct mc_db *db, int64_t effective_from,
                    int64_t created_at, int64_t actor_id, const char *note,
                    int *version, struct mc_err *err)
{
    int64_t v = 0;
    int rc = mc_db_i64(db, &v, err,
                       "INSERT INTO calendar_versions(effective_from, "
                       "created_at, actor_id, note) VALUES (?, ?, ?, ?) "
                       "RETURNING version",
                       "iizt", effective_from, created_at, actor_id, note);

    if (rc == MC_ENOTFOUND) {
        rc = mc_err_set(err, MC_EDB, 500, "db_error", NULL,
                        "calendar version insert returned no row");
    }
    if (rc == MC_OK) {
        *version = (int)v;
    }
    return rc;
}

int
mc_qcal_rules_each(struct mc_db *db, int version, mc_qcal_rule_fn fn,
                   void *ctx, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT seq, code, kind, name, month, mday, day_offset, ndays, "
        "weekdays, carry_over, valid_from, valid_to, basis, confidence "
        "FROM calendar_rules WHERE " CURRENT_AT " ORDER BY seq, id",
        err);
    struct mc_qcal_rule r;
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "II", version, version);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        r.seq = (int)mc_stmt_i64(st, 0);
        r.code = text_or(st, 1, "");
        r.kind = text_or(st, 2, "");
        r.name = text_or(st, 3, "");
        r.month = (int)mc_stmt_i64(st, 4);
        r.mday = (int)mc_stmt_i64(st, 5);
        r.offset = (int)mc_stmt_i64(st, 6);
        r.ndays = (int)mc_stmt_i64(st, 7);
        r.weekdays = (unsigned)mc_stmt_i64(st, 8);
        r.carry_over = (int)mc_stmt_i64(st, 9);
        r.valid_from = text_or(st, 10, "");
        r.valid_to = mc_stmt_text(st, 11);
        r.basis = text_or(st, 12, "");
        r.confidence = text_or(st, 13, "");
        if ((rc = fn(ctx, &r, err)) != MC_OK) {
            break;
        }
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_qcal_days_each(struct mc_db *db, int version, mc_qcal_day_fn fn,
                  void *ctx, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT on_date, kind, code, reason, basis FROM calendar_days "
        "WHERE " CURRENT_AT " ORDER BY on_date, id",
        err);
    struct mc_qcal_day d;
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "II", version, version);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        d.date = text_or(st, 0, "");
        d.kind = text_or(st, 1, "");
        d.code = text_or(st, 2, "");
        d.reason = text_or(st, 3, "");
        d.basis = text_or(st, 4, "");
        if ((rc = fn(ctx, &d, err)) != MC_OK) {
            break;
        }
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}

int
mc_qcal_rules_retire(struct mc_db *db, int version, struct mc_err *err)
{
    return mc_db_run(db, err,
                     "UPDATE calendar_rules SET until_version = ? "
                     "WHERE until_version IS NULL",
                     "I", version);
}

int
mc_qcal_rule_insert(struct mc_db *db, int version,
                    const struct mc_qcal_rule *r, struct mc_err *err)
{
    return mc_db_run(
        db, err,
        "INSERT INTO calendar_rules(since_version, seq, code, kind, name, "
        "month, mday, day_offset, ndays, weekdays, carry_over, valid_from, "
        "valid_to, basis, confidence) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "IItttIIIIiItttt", version, r->seq, r->code, r->kind, r->name,
        r->month, r->mday, r->offset, r->ndays, (int64_t)r->weekdays,
        r->carry_over, r->valid_from, r->valid_to, r->basis, r->confidence);
}

int
mc_qcal_day_retire(struct mc_db *db, int version, const char *date,
                   struct mc_err *err)
{
    return mc_db_run(db, err,
                     "UPDATE calendar_days SET until_version = ? "
                     "WHERE on_date = ? AND until_version IS NULL",
                     "It", version, date);
}

int
mc_qcal_day_insert(struct mc_db *db, int version, const struct mc_qcal_day *d,
                   struct mc_err *err)
{
    return mc_db_run(db, err,
                     "INSERT INTO calendar_days(since_version, on_date, kind, "
                     "code, reason, basis) VALUES (?, ?, ?, ?, ?, ?)",
                     "Ittttt", version, d->date, d->kind, d->code, d->reason,
                     d->basis);
}

int
mc_qcal_workhours_get(struct mc_db *db, int64_t unit_id, char *out,
                      size_t outsz, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db, "SELECT spec FROM unit_workhours WHERE unit_id = ?", err);
    int rc;

    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "i", unit_id);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        const char *s = text_or(st, 0, "");
        size_t n = strlen(s);
        if (n >= outsz) {
            rc = mc_err_set(err, MC_ETOOBIG, 500, "workhours_too_long",
                            "hours", "stored working hours too long");
        } else {
            memcpy(out, s, n + 1);
            rc = MC_OK;
        }
    } else if (rc == MC_DB_DONE) {
        rc = MC_ENOTFOUND;
    }
    mc_stmt_done(st);
    return rc;
}

int
mc_qcal_workhours_set(struct mc_db *db, int64_t unit_id, const char *spec,
                      int64_t now, struct mc_err *err)
{
    return mc_db_run(db, err,
                     "INSERT INTO unit_workhours(unit_id, spec, updated_at) "
                     "VALUES (?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET "
                     "spec = excluded.spec, updated_at = excluded.updated_at",
                     "iti", unit_id, spec, now);
}
