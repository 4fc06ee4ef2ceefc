/*
 * evaluation_rank.c - rankings of units by the Decision 766 index (total
 * or one group) with a minimum sample, and the XLSX tables of every
 * evaluation report (see evaluation_report.h).
 *
 * Ranked units: the direct children of the parent that receive dossiers
 * (some rollup row under them), or with level=commune|department|all
 * every unit of that kind (all: any kind) under the parent that receives
 * dossiers. The sample is the number of dossiers received in the period;
 * a unit below the minimum sample gets rank null and insufficient true,
 * and is listed after the ranked ones (so a unit with three dossiers does
 * not come first by chance). Ties keep the larger sample first, then the
 * unit code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/xlsx.h"
#include "domain/evaluation_int.h"
#include "domain/evaluation_report.h"
#include "domain/unit.h"
#include "util/mctime.h"

struct ranked {
    const struct mc_unit *unit;
    double score;                /* -1: no data */
    int64_t sample;
    int insufficient;
    json_t *groups;              /* [g1..g5] */
    json_t *total;
};

static int
cmp_ranked(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;

    if (a->insufficient != b->insufficient) {
        return a->insufficient - b->insufficient;
    }
    if (a->score != b->score) {
        return a->score < b->score ? 1 : -1;
    }
    if (a->sample != b->sample) {
        return a->sample < b->sample ? 1 : -1;
    }
    return strcmp(a->unit->code, b->unit->code);
}

static int
score_unit(struct mc_eval_data *data, const struct mc_eval_target *parent,
           const struct mc_unit *u, int by, int64_t min_sample,
           struct ranked *r, struct mc_err *err)
{
    struct mc_eval_target t = *parent;
    struct mc_q_eval_counts c;
    double g[5], total = 0;
    int has[5], rc;

    mc_eval_target_of(&t, u);
    rc = mc_eval_data_counts(data, u, &c, err);
    if (rc == MC_OK) {
        rc = mc_eval_766_points(&t, data->manual, &c, g, has, &total, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    r->unit = u;
    r->sample = c.received;
    r->insufficient = c.received < min_sample;
    r->groups = json_array();
    r->total = json_real(total);
    r->score = total;
    for (int i = 0; i < 5; i++) {
        json_array_append_new(r->groups,
                              has[i] ? json_real(g[i]) : json_null());
        if (by == i + 1) {
            r->score = has[i] ? g[i] : -1;
        }
    }
    return MC_OK;
}

static int
parse_by(const char *by, int *out, struct mc_err *err)
{
    if (by == NULL || by[0] == '\0' || strcmp(by, "total") == 0) {
        *out = 0;
        return MC_OK;
    }
    if (by[1] == '\0' && by[0] >= '1' && by[0] <= '5') {
        *out = by[0] - '0';
        return MC_OK;
    }
    return mc_err_set(err, MC_EINVAL, 400, "bad_by", "by",
                      "by is total or a group number 1..5");
}

/* The units to rank under parent p. */
static int
candidates(struct mc_db *db, const struct mc_eval_target *p,
           const char *level, struct mc_arena *a, struct mc_unit **out,
           size_t *n, struct mc_err *err)
{
    struct mc_actor sys;
    struct mc_unit *all = NULL;
    const char **with = NULL;
    size_t m = 0, k = 0, nwith = 0;
    int rc;

    memset(&sys, 0, sizeof(sys));
    sys.role = MC_ROLE_SYSTEM;
    if (level == NULL || level[0] == '\0') {
        rc = mc_unit_children(db, p->unit.id, a, &all, &m, err);
    } else if (strcmp(level, "commune") == 0 ||
               strcmp(level, "department") == 0 ||
               strcmp(level, "all") == 0) {
        rc = mc_unit_subtree(db, &sys, p->unit.id, a, &all, &m, err);
    } else {
        return mc_err_set(err, MC_EINVAL, 400, "bad_level", "level",
                          "level is commune, department or all");
    }
    if (rc == MC_OK) {
        rc = mc_q_eval_paths_with_rows(db, p->unit.path, p->hi, a, &with,
                                       &nwith, err);
    }
    for (size_t i = 0; rc == MC_OK && i < m; i++) {
        size_t plen = strlen(all[i].path), j;

        if (all[i].id == p->unit.id ||
            (level != NULL && level[0] != '\0' &&
             strcmp(level, "all") != 0 && strcmp(all[i].kind, level) != 0)) {
            continue;
        }
        /* receives dossiers: some unit of its subtree has rollup rows */
        for (j = 0; j < nwith && strncmp(with[j], all[i].path, plen); j++) {
        }
        if (j < nwith) {
            all[k++] = all[i];
        }
    }
    *out = all;
    *n = k;
    return rc;
}

int
mc_eval_ranking(struct mc_db *db, const struct mc_actor *actor,
                const struct mc_eval_rank_in *in, int64_t now,
                struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_eval_target p;
    struct mc_eval_data data;
    struct mc_unit *units = NULL;
    struct ranked *r = NULL;
    json_t *items;
    size_t n = 0, done = 0;
    int by = 0, rank = 0, rc;

    if ((rc = parse_by(in->by, &by, err)) != MC_OK) {
        return rc;
    }
    rc = mc_eval_target(db, actor, in->parent, in->period, now, &p, err);
    if (rc != MC_OK) {
        /* the unit is given as ?parent= here */
        if (strcmp(err->field, "unit") == 0) {
            snprintf(err->field, sizeof(err->field), "parent");
        }
        return rc;
    }
    if ((rc = candidates(db, &p, in->level, a, &units, &n, err)) != MC_OK) {
        return rc;
    }
    r = mc_arena_zalloc(a, (n ? n : 1) * sizeof(*r));
    if (r == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_eval_data_load(db, &p, a, &data, err);
    for (; done < n && rc == MC_OK; done++) {
        rc = score_unit(&data, &p, &units[done], by, in->min_sample,
                        &r[done], err);
    }
    json_decref(data.manual);
    if (rc != MC_OK) {
        for (size_t i = 0; i < done; i++) {
            json_decref(r[i].groups);
            json_decref(r[i].total);
        }
        return rc;
    }
    qsort(r, n, sizeof(*r), cmp_ranked);
    items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(
            items,
            json_pack("{s:o,s:o,s:o,s:o,s:I,s:b}", "rank",
                      r[i].insufficient ? json_null() : json_integer(++rank),
                      "unit", mc_eval_unit_json(r[i].unit), "total",
                      r[i].total, "groups", r[i].groups, "sample",
                      (json_int_t)r[i].sample, "insufficient",
                      r[i].insufficient));
    }
    *out = json_pack("{s:o,s:o,s:s,s:I,s:o}", "period",
                     mc_eval_period_json(&p.period), "parent",
                     mc_eval_unit_json(&p.unit), "by",
                     by == 0 ? "total" : (const char *[]){"", "1", "2", "3",
                                                          "4", "5"}[by],
                     "min_sample", (json_int_t)in->min_sample, "items",
                     items);
    return *out ? MC_OK : MC_ENOMEM;
}

/* ---- XLSX ---- */

static struct mc_xlsx_cell
num_cell(json_t *v)
{
    if (json_is_integer(v)) {
        return mc_xlsx_int(json_integer_value(v));
    }
    if (json_is_real(v)) {
        return mc_xlsx_double(json_real_value(v));
    }
    if (json_is_string(v)) {
        return mc_xlsx_text(json_string_value(v));
    }
    if (json_is_boolean(v)) {
        return mc_xlsx_text(json_is_true(v) ? "có" : "không");
    }
    return mc_xlsx_text("");
}

static const char *
jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));

    return s ? s : "";
}

/* Title rows: unit and period. */
static int
head(struct mc_xlsx *x, json_t *rep, size_t ncols, struct mc_err *err)
{
    struct mc_xlsx_cell row[2];
    json_t *u = json_object_get(rep, "unit");
    int rc;

    if (u == NULL) {
        u = json_object_get(rep, "parent");
    }
    (void)ncols;
    row[0] = mc_xlsx_text(jstr(u, "name"));
    row[1] = mc_xlsx_text(jstr(json_object_get(rep, "period"), "label"));
    rc = mc_xlsx_add_row(x, row, 2, err);
    return rc;
}

static int
x766(struct mc_xlsx *x, json_t *rep, struct mc_err *err)
{
    static const struct mc_xlsx_col cols[] = {
        {"Nhóm", 26}, {"Chỉ số", 8}, {"Tên chỉ số", 50}, {"Điểm tối đa", 0},
        {"Ngưỡng", 0}, {"Tử số", 0}, {"Mẫu số", 0}, {"Tỷ lệ", 0},
        {"Điểm", 0}, {"Nguồn", 0}};
    json_t *g, *ind;
    size_t i, j;
    int rc = mc_xlsx_add_sheet(x, "Chỉ số 766", cols, 10, err);

    if (rc == MC_OK) {
        rc = head(x, rep, 10, err);
    }
    json_array_foreach(json_object_get(rep, "groups"), i, g)
    {
        json_array_foreach(json_object_get(g, "indicators"), j, ind)
        {
            struct mc_xlsx_cell row[10] = {
                mc_xlsx_text(jstr(g, "name")), mc_xlsx_text(jstr(ind, "id")),
                mc_xlsx_text(jstr(ind, "name")),
                num_cell(json_object_get(ind, "max")),
                num_cell(json_object_get(ind, "threshold")),
                num_cell(json_object_get(ind, "num")),
                num_cell(json_object_get(ind, "den")),
                num_cell(json_object_get(ind, "rate")),
                num_cell(json_object_get(ind, "points")),
                mc_xlsx_text(jstr(ind, "source"))};

            if (rc == MC_OK) {
                rc = mc_xlsx_add_row(x, row, 10, err);
            }
        }
    }
    if (rc == MC_OK) {
        struct mc_xlsx_cell row[9] = {
            mc_xlsx_text("Tổng điểm"), mc_xlsx_text(""), mc_xlsx_text(""),
            num_cell(json_object_get(rep, "max")), mc_xlsx_text(""),
            mc_xlsx_text(""), mc_xlsx_text(""), mc_xlsx_text(""),
            num_cell(json_object_get(rep, "total"))};

        rc = mc_xlsx_add_row(x, row, 9, err);
    }
    return rc;
}

static int
xdossiers(struct mc_xlsx *x, json_t *rep, struct mc_err *err)
{
    static const struct mc_xlsx_col cols[] = {
        {"Mã hồ sơ", 26}, {"Thủ tục", 50}, {"Trạng thái", 16},
        {"Tiếp nhận", 26}, {"Hoàn thành", 26}, {"Hẹn trả", 26},
        {"Đúng hạn", 0}};
    json_t *d;
    size_t i;
    int rc = mc_xlsx_add_sheet(x, "Hồ sơ", cols, 7, err);

    json_array_foreach(json_object_get(rep, "items"), i, d)
    {
        struct mc_xlsx_cell row[7] = {
            mc_xlsx_text(jstr(d, "code")), mc_xlsx_text(jstr(d, "procedure")),
            mc_xlsx_text(jstr(d, "status")),
            mc_xlsx_text(jstr(d, "received_at")),
            mc_xlsx_text(jstr(d, "finished_at")),
            mc_xlsx_text(jstr(d, "due_at")),
            num_cell(json_object_get(d, "on_time"))};

        if (rc == MC_OK) {
            rc = mc_xlsx_add_row(x, row, 7, err);
        }
    }
    return rc;
}

static int
xtt01(struct mc_xlsx *x, json_t *rep, struct mc_err *err)
{
    static const struct mc_xlsx_col ucols[] = {{"Tiêu chí", 30},
                                               {"Điểm", 0}};
    static const struct mc_xlsx_col ocols[] = {
        {"Cán bộ", 30}, {"Tài khoản", 24}, {"Số hồ sơ", 0},
        {"Tiêu chí 1", 0}, {"Tiêu chí 2", 0}, {"Tiêu chí 3", 0},
        {"Tiêu chí 4", 0}, {"Tiêu chí 7", 0}, {"Tổng điểm", 0},
        {"Xếp loại", 36}};
    static const char *const ck[] = {"1", "2", "3", "4", "7"};
    json_t *us = json_object_get(rep, "unit_score"), *o;
    json_t *crit = json_object_get(us, "criteria");
    size_t i;
    int rc = mc_xlsx_add_sheet(x, "Đơn vị", ucols, 2, err);

    if (rc == MC_OK) {
        rc = head(x, rep, 2, err);
    }
    for (int k = 1; k <= 9 && rc == MC_OK; k++) {
        char key[2] = {(char)('0' + k), '\0'};
        char label[24];
        struct mc_xlsx_cell row[2];

        snprintf(label, sizeof(label), "Tiêu chí %d", k);
        row[0] = mc_xlsx_text(label);
        row[1] = num_cell(json_object_get(crit, key));
        rc = mc_xlsx_add_row(x, row, 2, err);
    }
    if (rc == MC_OK) {
        struct mc_xlsx_cell row[2] = {mc_xlsx_text("Tổng điểm"),
                                      num_cell(json_object_get(us, "total"))};

        rc = mc_xlsx_add_row(x, row, 2, err);
    }
    if (rc == MC_OK) {
        struct mc_xlsx_cell row[2] = {mc_xlsx_text("Xếp loại"),
                                      mc_xlsx_text(jstr(us, "band_name"))};

        rc = mc_xlsx_add_row(x, row, 2, err);
    }
    if (rc == MC_OK) {
        rc = mc_xlsx_add_sheet(x, "Cán bộ", ocols, 10, err);
    }
    json_array_foreach(json_object_get(rep, "officials"), i, o)
    {
        json_t *acc = json_object_get(o, "account"),
               *c = json_object_get(o, "criteria");
        struct mc_xlsx_cell row[10];

        row[0] = mc_xlsx_text(jstr(acc, "full_name"));
        row[1] = mc_xlsx_text(jstr(acc, "username"));
        row[2] = num_cell(json_object_get(o, "dossiers"));
        for (int k = 0; k < 5; k++) {
            row[3 + k] = num_cell(json_object_get(c, ck[k]));
        }
        row[8] = num_cell(json_object_get(o, "total"));
        row[9] = mc_xlsx_text(jstr(o, "band_name"));
        if (rc == MC_OK) {
            rc = mc_xlsx_add_row(x, row, 10, err);
        }
    }
    return rc;
}

static int
xranking(struct mc_xlsx *x, json_t *rep, struct mc_err *err)
{
    static const struct mc_xlsx_col cols[] = {
        {"Hạng", 0}, {"Mã đơn vị", 16}, {"Đơn vị", 40}, {"Tổng điểm", 0},
        {"Nhóm 1", 0}, {"Nhóm 2", 0}, {"Nhóm 3", 0}, {"Nhóm 4", 0},
        {"Nhóm 5", 0}, {"Số hồ sơ", 0}, {"Chưa đủ mẫu", 0}};
    json_t *it;
    size_t i;
    int rc = mc_xlsx_add_sheet(x, "Xếp hạng", cols, 11, err);

    if (rc == MC_OK) {
        rc = head(x, rep, 11, err);
    }
    json_array_foreach(json_object_get(rep, "items"), i, it)
    {
        json_t *u = json_object_get(it, "unit"),
               *g = json_object_get(it, "groups");
        struct mc_xlsx_cell row[11];

        row[0] = num_cell(json_object_get(it, "rank"));
        row[1] = mc_xlsx_text(jstr(u, "code"));
        row[2] = mc_xlsx_text(jstr(u, "name"));
        row[3] = num_cell(json_object_get(it, "total"));
        for (size_t k = 0; k < 5; k++) {
            row[4 + k] = num_cell(json_array_get(g, k));
        }
        row[9] = num_cell(json_object_get(it, "sample"));
        row[10] = num_cell(json_object_get(it, "insufficient"));
        if (rc == MC_OK) {
            rc = mc_xlsx_add_row(x, row, 11, err);
        }
    }
    return rc;
}

static int
xscorecard(struct mc_xlsx *x, json_t *rep, struct mc_err *err)
{
    static const struct mc_xlsx_col cols[] = {{"Chỉ tiêu", 40},
                                              {"Giá trị", 20}};
    json_t *i766 = json_object_get(rep, "i766"),
           *tt = json_object_get(rep, "tt01"),
           *sat = json_object_get(rep, "satisfaction"),
           *tk = json_object_get(rep, "tasks"), *g;
    struct {
        const char *label;
        json_t *v;
    } rows[] = {
        {"Chỉ số 766: tổng điểm", json_object_get(i766, "total")},
        {"TT 01/2018: tổng điểm", json_object_get(tt, "total")},
        {"TT 01/2018: xếp loại", json_object_get(tt, "band_name")},
        {"Rất hài lòng", json_object_get(sat, "very")},
        {"Hài lòng", json_object_get(sat, "satisfied")},
        {"Không hài lòng", json_object_get(sat, "dissatisfied")},
        {"Tỷ lệ hài lòng", json_object_get(sat, "rate")},
        {"Nhiệm vụ được giao: tổng số", json_object_get(tk, "total")},
        {"Nhiệm vụ hoàn thành đúng hạn", json_object_get(tk, "done_on_time")},
        {"Nhiệm vụ hoàn thành quá hạn", json_object_get(tk, "done_late")},
        {"Nhiệm vụ quá hạn chưa hoàn thành", json_object_get(tk, "overdue")},
        {"Tỷ lệ hoàn thành nhiệm vụ", json_object_get(tk, "rate")},
        {"Tỷ lệ hoàn thành đúng hạn", json_object_get(tk, "on_time_rate")},
    };
    size_t i;
    int rc = mc_xlsx_add_sheet(x, "Phiếu đánh giá", cols, 2, err);

    if (rc == MC_OK) {
        rc = head(x, rep, 2, err);
    }
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]) && rc == MC_OK; i++) {
        struct mc_xlsx_cell row[2] = {mc_xlsx_text(rows[i].label),
                                      num_cell(rows[i].v)};

        rc = mc_xlsx_add_row(x, row, 2, err);
    }
    json_array_foreach(json_object_get(i766, "groups"), i, g)
    {
        struct mc_xlsx_cell row[2] = {mc_xlsx_text(jstr(g, "name")),
                                      num_cell(json_object_get(g, "points"))};

        if (rc == MC_OK) {
            rc = mc_xlsx_add_row(x, row, 2, err);
        }
    }
    return rc;
}

int
mc_eval_xlsx(const char *kind, json_t *rep, struct mc_buf *out,
             struct mc_err *err)
{
    struct mc_xlsx *x = NULL;
    int rc = mc_xlsx_new(&x, 0, err);

    if (rc != MC_OK) {
        return rc;
    }
    if (strcmp(kind, "766") == 0) {
        rc = x766(x, rep, err);
    } else if (strcmp(kind, "766_dossiers") == 0) {
        rc = xdossiers(x, rep, err);
    } else if (strcmp(kind, "tt01") == 0) {
        rc = xtt01(x, rep, err);
    } else if (strcmp(kind, "ranking") == 0) {
        rc = xranking(x, rep, err);
    } else {
        rc = xscorecard(x, rep, err);
    }
    if (rc != MC_OK) {
        mc_xlsx_free(x);
        return rc;
    }
    return mc_xlsx_finish(x, out, err);
}
