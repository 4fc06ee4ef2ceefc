/*
 * q_evaluation_report.c - SQL of the evaluation reports (see
 * q_evaluation_report.h).
 */
#include "db/q_evaluation_report.h"

#include "db/q_evaluation.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/json.h"
#include "util/mctime.h"

/*
 * Subtree as the exact paths of its units: with (unit_path, day) indexes
 * each unit is one index range over the days (a range on unit_path would
 * scan every day of the subtree).
 */
#define IN_TREE(col)                                                        \
    col " IN (SELECT path FROM units WHERE path >= ? AND path < ?)"

/* Open states: received and not finished, stopped or refused. */
#define OPEN_STATES                                                         \
    "('received', 'processing', 'supplement', 'financial', 'consulting', " \
    "'pending_approval', 'withdraw_requested')"

/* The slot of path in the growing array (added when missing). */
/*
 * arr (n items of size bytes, room for *cap) with room for one more: arr
 * itself, or a copy twice as large from a (*cap updated); NULL when a is
 * out of memory.
 */
static void *
grow(struct mc_arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
    size_t nc;
    void *na;

    if (n < *cap) {
        return arr;
    }
    nc = *cap ? *cap * 2 : 64;
    na = mc_arena_zalloc(a, nc * size);
    if (na == NULL) {
        return NULL;
    }
    if (n > 0) {
        memcpy(na, arr, n * size);
    }
    *cap = nc;
    return na;
}

/*
 * Step st to its end, appending column 0 of each row to *out (*n
 * strings so far) as copies from a. Finishes st.
 */
static int
collect_text(struct mc_stmt *st, struct mc_arena *a, const char ***out,
             size_t *n, struct mc_err *err)
{
    size_t cap = *n;
    int rc;

    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        const char **na = grow(a, *out, *n, &cap, sizeof(**out));

        if (na == NULL) {
            rc = MC_ENOMEM;
            break;
        }
        *out = na;
        (*out)[*n] = mc_arena_strdup(a, mc_stmt_text(st, 0));
        if ((*out)[(*n)++] == NULL) {
            rc = MC_ENOMEM;
            break;
        }
    }
    mc_stmt_done(st);
    return rc == MC_DB_DONE ? MC_OK : rc;
}

static struct mc_q_eval_counts *
slot(struct mc_arena *a, struct mc_q_path_counts **arr, size_t *n,
     size_t *cap, const char *path)
{
    struct mc_q_path_counts *na;

    for (size_t i = *n; i > 0; i--) {
        if (strcmp((*arr)[i - 1].path, path) == 0) {
            return &(*arr)[i - 1].c;
        }
    }
    na = grow(a, *arr, *n, cap, sizeof(*na));
    if (na == NULL) {
        return NULL;
    }
    *arr = na;
    (*arr)[*n].path = mc_arena_strdup(a, path);
    if ((*arr)[*n].path == NULL) {
        return NULL;
    }
    return &(*arr)[(*n)++].c;
}

/* The counters, in the order of mc_q_path_counts' rollup fields. */
#define RCOLS                                                               \
    "received, received_online, finished, finished_on_time, "              \
    "finished_early, finished_online, finished_online_on_time, "           \
    "with_e_result, finished_digitised, digitised_e_result, "              \
    "supplement_rounds, processing_seconds, returned, withdrawn, "         \
    "eval_very_satisfied, eval_satisfied, eval_dissatisfied"

/*
 * A period as the days before its first whole month, the whole months
 * (eval_rollup_month) and the days after them (eval_rollup): three
 * branches, each one index range per unit.
 */
#define SPLIT(cols, extra)                                                  \
    "SELECT unit_path, " cols " FROM eval_rollup WHERE "                   \
    IN_TREE("unit_path") " AND day >= ? AND day <= ?" extra                \
    " UNION ALL SELECT unit_path, " cols " FROM eval_rollup WHERE "        \
    IN_TREE("unit_path") " AND day >= ? AND day <= ?" extra                \
    " UNION ALL SELECT unit_path, " cols " FROM eval_rollup_month WHERE "  \
    IN_TREE("unit_path") " AND month >= ? AND month <= ?" extra

#define ROLLUP_SUMS                                                         \
    "SELECT unit_path, SUM(received), SUM(received_online), "              \
    "SUM(finished), SUM(finished_on_time), SUM(finished_early), "           \
    "SUM(finished_online), SUM(finished_online_on_time), "                  \
    "SUM(with_e_result), SUM(finished_digitised), "                         \
    "SUM(digitised_e_result), SUM(supplement_rounds), "                     \
    "SUM(processing_seconds), SUM(returned), SUM(withdrawn), "              \
    "SUM(eval_very_satisfied), SUM(eval_satisfied), "                       \
    "SUM(eval_dissatisfied) FROM (" SPLIT(RCOLS, "") ") x GROUP BY "       \
    "unit_path"

struct split {
    int32_t d1a, d1b, d2a, d2b, ma, mb;
};

static int32_t
month_first(int32_t key)
{
    return mc_days_from_civil(key / 12, key % 12 + 1, 1);
}

/* [from, to] = days [d1a, d1b] + months [ma, mb] + days [d2a, d2b]. */
static void
split_period(int32_t from, int32_t to, struct split *p)
{
    int y, m, d;
    int32_t fm, lm;

    mc_civil_from_days(from, &y, &m, &d);
    fm = mc_eval_month_key(y, m) + (d != 1);
    mc_civil_from_days(to, &y, &m, &d);
    lm = mc_eval_month_key(y, m);
    if (month_first(lm + 1) - 1 != to) {
        lm--;
    }
    if (fm > lm) {
        *p = (struct split){from, to, 1, 0, 1, 0};
        return;
    }
    *p = (struct split){from, month_first(fm) - 1, month_first(lm + 1), to,
                        fm, lm};
}

static void
bind_split(struct mc_stmt *st, const struct mc_q_scope *s)
{
    struct split p;

    split_period(s->from, s->to, &p);
    mc_stmt_bindv(st, "ttIIttIIttII", s->lo, s->hi, (int)p.d1a, (int)p.d1b,
                  s->lo, s->hi, (int)p.d2a, (int)p.d2b, s->lo, s->hi,
                  (int)p.ma, (int)p.mb);
}

#define OPEN_LATE                                                           \
    "SELECT unit_path, COUNT(*), SUM(CASE WHEN channel = 2 THEN 1 ELSE 0 " \
    "END) FROM dossiers WHERE state IN " OPEN_STATES " AND due_at < ? AND " \
    "unit_path >= ? AND unit_path < ? AND received_at >= ? AND "           \
    "received_at < ? GROUP BY unit_path"

/*
 * PAKN received (first) in the period. Late: flagged overdue by the
 * sweeper, answered after the answer deadline, published after the
 * publication deadline, or still unanswered past the answer deadline.
 * Protracted (TT 01 criterion 8): still unanswered past the deadline now.
 */
#define FB_LATE                                                             \
    "(overdue_level > 0 OR (answered_at IS NOT NULL AND answered_at > "   \
    "due_answer) OR (published_at IS NOT NULL AND due_publish IS NOT "    \
    "NULL AND published_at > due_publish) OR (answered_at IS NULL AND "   \
    "state IN ('received', 'info_requested', 'drafted') AND due_answer "  \
    "< ?))"

#define FEEDBACK                                                            \
    "SELECT unit_path, COUNT(*), SUM(CASE WHEN " FB_LATE " THEN 0 ELSE 1 " \
    "END), SUM(CASE WHEN " FB_LATE " OR rating = 'not_satisfied' THEN 0 "  \
    "ELSE 1 END), SUM(CASE WHEN answered_at IS NULL AND state IN "        \
    "('received', 'info_requested', 'drafted') AND due_answer < ? THEN 1 " \
    "ELSE 0 END), SUM(CASE WHEN dossier_id IS NOT NULL THEN 1 ELSE 0 "    \
    "END) FROM feedback WHERE " IN_TREE("unit_path") " AND "              \
    "first_received_at >= ? AND first_received_at < ? GROUP BY unit_path"

int
mc_q_eval_path_counts(struct mc_db *db, const struct mc_q_scope *s,
                      struct mc_arena *a, struct mc_q_path_counts **out,
                      size_t *n, struct mc_err *err)
{
    static const char *const sql[3] = {ROLLUP_SUMS, OPEN_LATE, FEEDBACK};
    int64_t t0 = mc_local_ts(s->from, 0), t1 = mc_local_ts(s->to + 1, 0);
    size_t cap = 0;
    int rc = MC_OK;

    *out = NULL;
    *n = 0;
    for (int q = 0; q < 3 && rc == MC_OK; q++) {
        struct mc_stmt *st = mc_db_prep(db, sql[q], err);

        if (st == NULL) {
            return MC_EDB;
        }
        if (q == 0) {
            bind_split(st, s);
        } else if (q == 1) {
            mc_stmt_bindv(st, "ittii", s->now, s->lo, s->hi, t0, t1);
        } else {
            mc_stmt_bindv(st, "iiittii", s->now, s->now, s->now, s->lo,
                          s->hi, t0, t1);
        }
        while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
            struct mc_q_eval_counts *c =
                slot(a, out, n, &cap, mc_stmt_text(st, 0));
            int64_t *r[] = {&c->received,         &c->received_online,
                            &c->finished,         &c->on_time,
                            &c->early,            &c->finished_online,
                            &c->online_on_time,   &c->e_result,
                            &c->digitised,        &c->digitised_e_result,
                            &c->supplements,      &c->processing_seconds,
                            &c->returned,         &c->withdrawn,
                            &c->eval_very,        &c->eval_sat,
                            &c->eval_dis};
            int64_t *o[] = {&c->open_late, &c->open_late_online};
            int64_t *f[] = {&c->fb_total, &c->fb_on_time, &c->fb_ok,
                            &c->fb_protracted, &c->fb_dossier};
            int64_t **dst = q == 0 ? r : q == 1 ? o : f;
            int k = q == 0 ? 17 : q == 1 ? 2 : 5;

            if (c == NULL) {
                rc = MC_ENOMEM;
                break;
            }
            for (int i = 0; i < k; i++) {
                *dst[i] = mc_stmt_i64(st, i + 1);
            }
        }
        mc_stmt_done(st);
        if (rc == MC_DB_DONE) {
            rc = MC_OK;
        }
    }
    return rc;
}

int
mc_q_eval_online_procs(struct mc_db *db, const struct mc_q_scope *s,
                       struct mc_arena *a, struct mc_q_path_proc **out,
                       size_t *n, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT DISTINCT unit_path, procedure_code FROM ("
        SPLIT("procedure_code", " AND received_online > 0") ") x",
        err);
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (st == NULL) {
        return MC_EDB;
    }
    bind_split(st, s);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_q_path_proc *na = grow(a, *out, *n, &cap, sizeof(*na));

        if (na == NULL) {
            rc = MC_ENOMEM;
            break;
        }
        *out = na;
        (*out)[*n].path = mc_arena_strdup(a, mc_stmt_text(st, 0));
        (*out)[*n].code = mc_arena_strdup(a, mc_stmt_text(st, 1));
        if ((*out)[*n].path == NULL || (*out)[*n].code == NULL) {
            rc = MC_ENOMEM;
            break;
        }
        (*n)++;
    }
    mc_stmt_done(st);
    return rc == MC_DB_DONE ? MC_OK : rc;
}

/* Procedures in force now whose level contains level ("" = all). */
#define IN_FORCE                                                            \
    "active = 1 AND effective_from <= ? AND (effective_to IS NULL OR "      \
    "effective_to > ?) AND (? = '' OR level LIKE ?)"

int
mc_q_eval_catalog(struct mc_db *db, int64_t now, const char *level,
                  struct mc_arena *a, int64_t *total, const char ***codes,
                  size_t *ncodes, struct mc_err *err)
{
    char like[96];
    struct mc_stmt *st;
    int rc;

    *codes = NULL;
    *ncodes = 0;
    snprintf(like, sizeof(like), "%%%s%%", level);
    rc = mc_db_i64(db, total, err,
                   "SELECT COUNT(DISTINCT code) FROM procedures WHERE "
                   IN_FORCE,
                   "iitt", now, now, level, like);
    if (rc != MC_OK) {
        return rc;
    }
    st = mc_db_prep(db,
                    "SELECT DISTINCT code FROM procedures WHERE "
                    "online_level <> 'none' AND " IN_FORCE " ORDER BY code",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "iitt", now, now, level, like);
    return collect_text(st, a, codes, ncodes, err);
}

int
mc_q_eval_paths_with_rows(struct mc_db *db, const char *lo, const char *hi,
                          struct mc_arena *a, const char ***out, size_t *n,
                          struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT u.path FROM units u WHERE u.path >= ? AND u.path < ? AND "
        "EXISTS (SELECT 1 FROM eval_rollup r WHERE r.unit_path = u.path) "
        "ORDER BY u.path",
        err);

    *out = NULL;
    *n = 0;
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "tt", lo, hi);
    return collect_text(st, a, out, n, err);
}

int
mc_q_eval_manual_list(struct mc_db *db, const char *lo, const char *hi,
                      const char *period, json_t **out, struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT unit_id, indicator, num, den, note, unit_path FROM "
        "eval_manual WHERE "
        "unit_path >= ? AND unit_path < ? AND period = ?",
        err);
    json_t *arr = json_array();
    int rc;

    if (st == NULL) {
        json_decref(arr);
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ttt", lo, hi, period);
    while (arr != NULL && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        json_t *o = json_pack("{s:I,s:s,s:I,s:I,s:s?,s:s}", "unit_id",
                              (json_int_t)mc_stmt_i64(st, 0), "indicator",
                              mc_stmt_text(st, 1), "num",
                              (json_int_t)mc_stmt_i64(st, 2), "den",
                              (json_int_t)mc_stmt_i64(st, 3), "note",
                              mc_stmt_text(st, 4), "unit_path",
                              mc_stmt_text(st, 5));

        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    mc_stmt_done(st);
    if (arr == NULL) {
        return MC_ENOMEM;
    }
    if (rc != MC_DB_DONE) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return MC_OK;
}

int
mc_q_eval_manual_put(struct mc_db *db, const struct mc_q_manual_row *m,
                     struct mc_err *err)
{
    return mc_db_run(
        db, err,
        "INSERT INTO eval_manual (unit_id, unit_path, period, day_from, "
        "day_to, indicator, num, den, note, entered_by, at) VALUES (?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unit_id, period, "
        "indicator) DO UPDATE SET num = excluded.num, den = excluded.den, "
        "note = excluded.note, entered_by = excluded.entered_by, at = "
        "excluded.at",
        "ittIItiitii", m->unit_id, m->unit_path, m->period, (int)m->day_from,
        (int)m->day_to, m->indicator, m->num, m->den, m->note, m->entered_by,
        m->at);
}

/*
 * Per-dossier TT 01 scores: the citizen's judgement (lowest over the
 * channels) where given, else the system's value from the frozen facts.
 */
#define CIT(c)                                                              \
    "(SELECT MIN(" c ") FROM dossier_evaluations e WHERE e.dossier_id = "  \
    "f.dossier_id)"
#define SYS_TIME "CASE WHEN f.early = 1 THEN 2 WHEN f.on_time = 1 THEN 1 ELSE 0 END"

int
mc_q_eval_tt01(struct mc_db *db, const struct mc_q_scope *s, json_t **out,
               struct mc_err *err)
{
    struct mc_stmt *st = mc_db_prep(
        db,
        "SELECT x.official_id, a.username, a.full_name, COUNT(*), "
        "SUM(CASE WHEN x.c2 >= 0 THEN 1 ELSE 0 END), SUM(x.s1), "
        "SUM(CASE WHEN x.c2 >= 0 THEN x.c2 ELSE 0 END), SUM(x.s3), "
        "SUM(x.s4), SUM(x.s7) FROM (SELECT COALESCE(f.official_id, 0) AS "
        "official_id, f.c2 AS c2, COALESCE(" CIT("c1") ", " SYS_TIME
        ") AS s1, COALESCE(" CIT("c3") ", CASE WHEN f.supplements = 0 "
        "THEN 2 WHEN f.supplements = 1 THEN 1 ELSE 0 END) AS s3, "
        "COALESCE(" CIT("c4") ", CASE WHEN f.channel = 2 AND "
        "f.supplements = 0 THEN 2 ELSE 1 END) AS s4, COALESCE(" CIT("c7")
        ", " SYS_TIME ") AS s7 FROM dossier_facts f WHERE "
        IN_TREE("f.unit_path") " AND f.finish_day >= ? AND f.finish_day "
        "<= ?) x "
        "LEFT JOIN accounts a ON a.id = x.official_id GROUP BY "
        "x.official_id, a.username, a.full_name ORDER BY x.official_id",
        err);
    json_t *arr = json_array();
    int rc;

    if (st == NULL) {
        json_decref(arr);
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ttII", s->lo, s->hi, (int)s->from, (int)s->to);
    while (arr != NULL && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        const char *u = mc_stmt_text(st, 1), *fn = mc_stmt_text(st, 2);
        json_t *o = json_pack(
            "{s:I,s:s?,s:s?,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "official_id",
            (json_int_t)mc_stmt_i64(st, 0), "username", u, "full_name", fn,
            "n", (json_int_t)mc_stmt_i64(st, 3), "n2",
            (json_int_t)mc_stmt_i64(st, 4), "s1",
            (json_int_t)mc_stmt_i64(st, 5), "s2",
            (json_int_t)mc_stmt_i64(st, 6), "s3",
            (json_int_t)mc_stmt_i64(st, 7), "s4",
            (json_int_t)mc_stmt_i64(st, 8), "s7",
            (json_int_t)mc_stmt_i64(st, 9));

        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    mc_stmt_done(st);
    if (arr == NULL) {
        return MC_ENOMEM;
    }
    if (rc != MC_DB_DONE) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return MC_OK;
}

/* ---- drill-down ---- */

#define COLS_F                                                              \
    "SELECT d.id AS id, d.code AS code, p.name AS procedure, d.state AS " \
    "state, d.received_at AS received_at, f.finished_at AS finished_at, " \
    "d.due_at AS due_at, f.on_time AS on_time FROM dossier_facts f JOIN " \
    "dossiers d ON d.id = f.dossier_id JOIN procedures p ON p.id = "      \
    "d.procedure_id WHERE " IN_TREE("f.unit_path") " AND "               \
    "f.finish_day >= ? AND f.finish_day <= ?"
#define COLS_D                                                              \
    "SELECT d.id, d.code, p.name, d.state, d.received_at, d.finished_at, " \
    "d.due_at, CAST(NULL AS INTEGER) FROM dossiers d JOIN procedures p "   \
    "ON p.id = d.procedure_id WHERE "

static int
append_parts(struct mc_buf *b, const struct mc_q_drill *set, int *nparts)
{
    static const char *const fpred[] = {
        [MC_FP_ALL] = "",
        [MC_FP_ON_TIME] = " AND f.on_time = 1",
        [MC_FP_LATE] = " AND f.on_time = 0",
        [MC_FP_E_RESULT] = " AND f.e_result = 1",
        [MC_FP_NO_E_RESULT] = " AND f.e_result = 0",
        [MC_FP_DIGITISED] = " AND f.files > 0 AND f.e_result = 1",
        [MC_FP_NOT_DIGITISED] = " AND (f.files = 0 OR f.e_result = 0)",
    };
    static const char *const rpred[] = {
        [MC_RP_ALL] = "",
        [MC_RP_ONLINE] = " AND d.channel = 2",
        [MC_RP_OFFLINE] = " AND d.channel <> 2",
    };
    int rc = MC_OK;

    *nparts = 0;
#define SEP()                                                               \
    do {                                                                    \
        if (*nparts > 0 && rc == MC_OK) {                                   \
            rc = mc_buf_adds(b, " UNION ALL ");                             \
        }                                                                   \
        (*nparts)++;                                                        \
    } while (0)
    if (set->facts != MC_FP_NONE) {
        SEP();
        if (rc == MC_OK) {
            rc = mc_buf_adds(b, COLS_F);
        }
        if (rc == MC_OK) {
            rc = mc_buf_adds(b, fpred[set->facts]);
        }
    }
    if (set->open_late) {
        SEP();
        if (rc == MC_OK) {
            rc = mc_buf_adds(b, COLS_D "d.state IN " OPEN_STATES
                             " AND d.due_at < ? AND d.unit_path >= ? AND "
                             "d.unit_path < ? AND d.received_at >= ? AND "
                             "d.received_at < ?");
        }
    }
    if (set->recv != MC_RP_NONE) {
        SEP();
        if (rc == MC_OK) {
            rc = mc_buf_adds(b, COLS_D "d.unit_path >= ? AND d.unit_path < "
                                "? AND d.received_at >= ? AND "
                                "d.received_at < ?");
        }
        if (rc == MC_OK) {
            rc = mc_buf_adds(b, rpred[set->recv]);
        }
    }
    if (set->eval_dis) {
        SEP();
        if (rc == MC_OK) {
            rc = mc_buf_adds(b, COLS_D "d.id IN (SELECT e.dossier_id FROM "
                                "dossier_evaluations e WHERE e.unit_path >= "
                                "? AND e.unit_path < ? AND e.at >= ? AND "
                                "e.at < ? AND e.satisfaction = "
                                "'dissatisfied')");
        }
    }
    if (set->fb) {
        SEP();
        if (rc == MC_OK) {
            rc = mc_buf_adds(b, COLS_D "d.id IN (SELECT b.dossier_id FROM "
                                "feedback b WHERE b.unit_path >= ? AND "
                                "b.unit_path < ? AND b.first_received_at >= "
                                "? AND b.first_received_at < ? AND "
                                "b.dossier_id IS NOT NULL)");
        }
    }
#undef SEP
    return rc;
}

static void
bind_parts(struct mc_stmt *st, const struct mc_q_scope *s,
           const struct mc_q_drill *set)
{
    int64_t t0 = mc_local_ts(s->from, 0), t1 = mc_local_ts(s->to + 1, 0);
    int i = 1;

#define T(v) mc_stmt_bind_text(st, i++, (v))
#define N(v) mc_stmt_bind_i64(st, i++, (v))
    if (set->facts != MC_FP_NONE) {
        T(s->lo);
        T(s->hi);
        N(s->from);
        N(s->to);
    }
    if (set->open_late) {
        N(s->now);
        T(s->lo);
        T(s->hi);
        N(t0);
        N(t1);
    }
    if (set->recv != MC_RP_NONE) {
        T(s->lo);
        T(s->hi);
        N(t0);
        N(t1);
    }
    for (int k = 0; k < set->eval_dis + set->fb; k++) {
        T(s->lo);
        T(s->hi);
        N(t0);
        N(t1);
    }
#undef T
#undef N
}

static json_t *
opt_ts(struct mc_stmt *st, int col)
{
    return mc_stmt_isnull(st, col) ? json_null()
                                   : mc_json_ts_value(mc_stmt_i64(st, col));
}

int
mc_q_eval_drill(struct mc_db *db, const struct mc_q_scope *s,
                const struct mc_q_drill *set, int limit, int offset,
                json_t **out, int64_t *total, struct mc_err *err)
{
    struct mc_buf u, q;
    struct mc_stmt *st = NULL;
    json_t *arr = NULL;
    int nparts = 0, rc;

    *total = 0;
    mc_buf_init(&u, 1 << 14);
    mc_buf_init(&q, 1 << 14);
    rc = append_parts(&u, set, &nparts);
    if (rc == MC_OK && nparts == 0) {
        *out = json_array();
        rc = *out ? MC_OK : MC_ENOMEM;
        goto out;
    }
    if (rc == MC_OK) {
        rc = mc_buf_printf(&q, "SELECT COUNT(*) FROM (%s) x", u.data);
    }
    if (rc != MC_OK) {
        goto out;
    }
    st = mc_db_prep(db, q.data, err);
    if (st == NULL) {
        rc = MC_EDB;
        goto out;
    }
    bind_parts(st, s, set);
    rc = mc_stmt_step(st, err);
    if (rc == MC_DB_ROW) {
        *total = mc_stmt_i64(st, 0);
        rc = MC_OK;
    }
    mc_stmt_done(st);
    if (rc != MC_OK) {
        goto out;
    }
    mc_buf_reset(&q);
    rc = mc_buf_printf(&q,
                       "SELECT * FROM (%s) x ORDER BY received_at DESC, id "
                       "DESC LIMIT %d OFFSET %d",
                       u.data, limit, offset);
    if (rc != MC_OK) {
        goto out;
    }
    st = mc_db_prep(db, q.data, err);
    if (st == NULL) {
        rc = MC_EDB;
        goto out;
    }
    bind_parts(st, s, set);
    arr = json_array();
    while (arr != NULL && (rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        const char *code = mc_stmt_text(st, 1);
        json_t *o = json_pack(
            "{s:I,s:s?,s:s?,s:s?,s:o,s:o,s:o,s:o}", "id",
            (json_int_t)mc_stmt_i64(st, 0), "code", code, "procedure",
            mc_stmt_text(st, 2), "status", mc_stmt_text(st, 3),
            "received_at", opt_ts(st, 4), "finished_at", opt_ts(st, 5),
            "due_at", opt_ts(st, 6), "on_time",
            mc_stmt_isnull(st, 7) ? json_null()
                                  : json_boolean(mc_stmt_i64(st, 7) != 0));

        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    mc_stmt_done(st);
    if (arr == NULL) {
        rc = MC_ENOMEM;
    } else if (rc != MC_DB_DONE) {
        json_decref(arr);
    } else {
        *out = arr;
        rc = MC_OK;
    }
out:
    mc_buf_release(&u);
    mc_buf_release(&q);
    return rc;
}
