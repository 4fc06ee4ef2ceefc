/*
 * dashboard.c - the leadership dashboard: on-time trend, worst steps,
 * dossiers near due, and their Excel tables (see dashboard.h).
 */
#include "domain/dashboard.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "db/q_dashboard.h"
#include "doc/xlsx.h"
#include "domain/unit.h"
#include "util/json.h"
#include "util/mctime.h"

static json_t *
unit_json(const struct mc_unit *u)
{
    return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u->id, "code",
                     u->code, "name", u->name);
}

static json_t *
period_json(const struct mc_period *p)
{
    char from[16], to[16];

    mc_fmt_date(p->from, from, sizeof(from));
    mc_fmt_date(p->to, to, sizeof(to));
    return json_pack("{s:s,s:s,s:s}", "label", p->label, "from", from, "to",
                     to);
}

/* Rounded to 1/10^places, for figures people read. */
static double
round_to(double v, int places)
{
    double k = pow(10.0, places);

    return round(v * k) / k;
}

static int
root_unit(struct mc_db *db, struct mc_unit *out, struct mc_err *err)
{
    struct mc_arena a;
    struct mc_unit *roots = NULL;
    size_t n = 0;
    int rc;

    mc_arena_init(&a, 1u << 20);
    rc = mc_unit_children(db, 0, &a, &roots, &n, err);
    if (rc == MC_OK && n == 0) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "unknown_unit", "unit",
                        "no unit exists yet");
    }
    if (rc == MC_OK) {
        *out = roots[0];
        /* a province in force first: historical roots come after it */
        for (size_t i = 0; i < n; i++) {
            if (roots[i].valid_to == 0) {
                *out = roots[i];
                break;
            }
        }
    }
    mc_arena_release(&a);
    return rc;
}

int
mc_dash_unit(struct mc_db *db, const struct mc_actor *actor, int64_t unit_id,
             struct mc_unit *out, struct mc_err *err)
{
    int everything = actor->role == MC_ROLE_INSPECTOR ||
                     actor->role == MC_ROLE_ADMIN;
    int rc;

    if (!everything && actor->role != MC_ROLE_LEADER &&
        actor->role != MC_ROLE_DESK && actor->role != MC_ROLE_SPECIALIST) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "the dashboard is for officials");
    }
    if (unit_id == 0 && everything) {
        return root_unit(db, out, err);
    }
    if (unit_id == 0) {
        unit_id = actor->unit_id;
    }
    rc = mc_unit_get(db, unit_id, out, err);
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(err, MC_ENOTFOUND, 404, "unknown_unit", "unit",
                          "no such unit");
    }
    if (rc != MC_OK || everything) {
        return rc;
    }
    if (actor->role == MC_ROLE_LEADER ? !mc_actor_covers(actor, out->path)
                                      : out->id != actor->unit_id) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "out_of_scope", "unit",
                          "that unit is outside your scope");
    }
    return MC_OK;
}

/* ---- trend ---- */

static int
month_index(int32_t day)
{
    int y, m, d;

    mc_civil_from_days(day, &y, &m, &d);
    return y * 12 + (m - 1);
}

int
mc_dash_trend(struct mc_db *db, const struct mc_actor *actor,
              int64_t unit_id, int32_t from, int32_t to, struct mc_arena *a,
              json_t **out, struct mc_err *err)
{
    struct mc_unit u;
    struct mc_q_dash_day *days = NULL;
    char hi[MC_UNIT_PATH_LEN];
    int m0 = month_index(from), m1 = month_index(to), nm, n = 0, rc;
    int64_t (*sum)[4];
    json_t *items = NULL;

    *out = NULL;
    if (m1 < m0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_range", "to",
                          "'to' is before 'from'");
    }
    nm = m1 - m0 + 1;
    if (nm > MC_DASH_MAX_MONTHS) {
        return mc_err_set(err, MC_EINVAL, 400, "range_too_long", "from",
                          "at most %d months", MC_DASH_MAX_MONTHS);
    }
    if ((rc = mc_dash_unit(db, actor, unit_id, &u, err)) != MC_OK) {
        return rc;
    }
    mc_unit_path_hi(u.path, hi, sizeof(hi));
    from = mc_days_from_civil(m0 / 12, m0 % 12 + 1, 1);
    to = mc_days_from_civil(m1 / 12, m1 % 12 + 1, 1) + 30;
    while (month_index(to) != m1) {
        to--;
    }
    rc = mc_q_dash_trend(db, u.path, hi, u.depth == 0, from, to, a, &days,
                         &n, err);
    if (rc != MC_OK) {
        return rc;
    }
    sum = mc_arena_zalloc(a, (size_t)nm * sizeof(*sum));
    if (sum == NULL) {
        return MC_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        int k = month_index(days[i].day) - m0;

        if (k < 0 || k >= nm) {
            continue;
        }
        sum[k][0] += days[i].received;
        sum[k][1] += days[i].finished;
        sum[k][2] += days[i].on_time;
        sum[k][3] += days[i].received_online;
    }
    items = json_array();
    for (int k = 0; k < nm && items != NULL; k++) {
        char month[16];
        int mi = m0 + k;

        snprintf(month, sizeof(month), "%04d-%02d", mi / 12 % 10000,
                 mi % 12 + 1);
        if (json_array_append_new(
                items,
                json_pack("{s:s,s:I,s:I,s:I,s:o,s:I}", "month", month,
                          "received", (json_int_t)sum[k][0], "finished",
                          (json_int_t)sum[k][1], "on_time",
                          (json_int_t)sum[k][2], "rate",
                          sum[k][1] > 0
                              ? json_real(round_to((double)sum[k][2] /
                                                       (double)sum[k][1],
                                                   4))
                              : json_null(),
                          "online", (json_int_t)sum[k][3])) != 0) {
            json_decref(items);
            items = NULL;
        }
    }
    if (items == NULL) {
        return MC_ENOMEM;
    }
    *out = json_pack("{s:o,s:o}", "unit", unit_json(&u), "items", items);
    return *out ? MC_OK : MC_ENOMEM;
}

/* ---- worst steps ---- */

int
mc_dash_steps(struct mc_db *db, const struct mc_actor *actor,
              int64_t unit_id, const struct mc_period *p, int limit,
              struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_unit u;
    struct mc_q_dash_step *rows = NULL;
    char hi[MC_UNIT_PATH_LEN];
    json_t *items;
    int n = 0, rc;

    *out = NULL;
    if ((rc = mc_dash_unit(db, actor, unit_id, &u, err)) != MC_OK) {
        return rc;
    }
    mc_unit_path_hi(u.path, hi, sizeof(hi));
    rc = mc_q_dash_steps(db, u.path, hi, mc_local_ts(p->from, 0),
                         mc_local_ts(p->to + 1, 0), limit, a, &rows, &n,
                         err);
    if (rc != MC_OK) {
        return rc;
    }
    items = json_array();
    for (int i = 0; i < n && items != NULL; i++) {
        const struct mc_q_dash_step *s = &rows[i];
        double delay = (double)s->delay_seconds / 3600.0;
        json_t *off =
            s->official_id
                ? json_pack("{s:I,s:s?}", "id", (json_int_t)s->official_id,
                            "full_name", s->official_name)
                : json_null();

        if (json_array_append_new(
                items,
                json_pack("{s:s,s:{s:I,s:s,s:s},s:o,s:I,s:I,s:f,s:f,s:f}",
                          "step", s->step, "unit", "id",
                          (json_int_t)s->unit_id, "code", s->unit_code,
                          "name", s->unit_name, "official", off, "steps",
                          (json_int_t)s->steps, "late", (json_int_t)s->late,
                          "late_rate",
                          round_to((double)s->late / (double)s->steps, 4),
                          "delay_hours", round_to(delay, 1),
                          "avg_delay_hours",
                          round_to(delay / (double)s->late, 1))) != 0) {
            json_decref(items);
            items = NULL;
        }
    }
    if (items == NULL) {
        return MC_ENOMEM;
    }
    *out = json_pack("{s:o,s:o,s:o}", "unit", unit_json(&u), "period",
                     period_json(p), "items", items);
    return *out ? MC_OK : MC_ENOMEM;
}

/* ---- near due ---- */

int
mc_dash_near_due(struct mc_db *db, const struct mc_actor *actor,
                 int64_t unit_id, int hours, int limit, int64_t now,
                 struct mc_arena *a, json_t **out, struct mc_err *err)
{
    struct mc_unit u;
    struct mc_q_dash_due *rows = NULL;
    char hi[MC_UNIT_PATH_LEN];
    json_t *items;
    int n = 0, rc;

    *out = NULL;
    if ((rc = mc_dash_unit(db, actor, unit_id, &u, err)) != MC_OK) {
        return rc;
    }
    mc_unit_path_hi(u.path, hi, sizeof(hi));
    rc = mc_q_dash_near_due(db, u.path, hi, now + (int64_t)hours * 3600,
                            limit, a, &rows, &n, err);
    if (rc != MC_OK) {
        return rc;
    }
    items = json_array();
    for (int i = 0; i < n && items != NULL; i++) {
        const struct mc_q_dash_due *d = &rows[i];
        json_t *holder =
            d->holder_id
                ? json_pack("{s:I,s:s?}", "id", (json_int_t)d->holder_id,
                            "full_name", d->holder_name)
                : json_null();

        if (json_array_append_new(
                items,
                json_pack("{s:I,s:s?,s:s,s:o,s:s,s:o,s:f}", "id",
                          (json_int_t)d->id, "code", d->code, "procedure",
                          d->procedure, "holder", holder, "status", d->state,
                          "due_at", mc_json_ts_value(d->due_at),
                          "hours_left",
                          round_to((double)(d->due_at - now) / 3600.0,
                                   1))) != 0) {
            json_decref(items);
            items = NULL;
        }
    }
    if (items == NULL) {
        return MC_ENOMEM;
    }
    *out = json_pack("{s:o,s:o}", "unit", unit_json(&u), "items", items);
    return *out ? MC_OK : MC_ENOMEM;
}

/* ---- Excel ---- */

/* How a column reads its cell from one JSON item. */
enum col_kind {
    COL_TEXT = 0, /* string at key */
    COL_INT,      /* integer at key */
    COL_REAL,     /* number at key, blank when null */
    COL_NAME,     /* key is an object: its "name" or "full_name" */
    COL_DAY       /* local ISO instant at key: its date */
};

struct dash_col {
    const char *title;
    double width;
    const char *key;
    enum col_kind kind;
};

static const struct dash_col trend_cols[] = {
    {"Tháng", 10, "month", COL_TEXT},
    {"Tiếp nhận", 12, "received", COL_INT},
    {"Đã giải quyết", 14, "finished", COL_INT},
    {"Đúng hạn", 12, "on_time", COL_INT},
    {"Tỷ lệ đúng hạn", 15, "rate", COL_REAL},
    {"Tiếp nhận trực tuyến", 20, "online", COL_INT},
};

static const struct dash_col steps_cols[] = {
    {"Bước xử lý", 40, "step", COL_TEXT},
    {"Đơn vị", 30, "unit", COL_NAME},
    {"Cán bộ", 26, "official", COL_NAME},
    {"Số bước", 10, "steps", COL_INT},
    {"Số bước trễ", 12, "late", COL_INT},
    {"Tỷ lệ trễ", 10, "late_rate", COL_REAL},
    {"Tổng giờ trễ", 13, "delay_hours", COL_REAL},
    {"Giờ trễ trung bình", 18, "avg_delay_hours", COL_REAL},
};

static const struct dash_col due_cols[] = {
    {"Mã hồ sơ", 24, "code", COL_TEXT},
    {"Thủ tục", 50, "procedure", COL_TEXT},
    {"Người xử lý", 26, "holder", COL_NAME},
    {"Trạng thái", 16, "status", COL_TEXT},
    {"Hạn xử lý", 12, "due_at", COL_DAY},
    {"Số giờ còn lại", 14, "hours_left", COL_REAL},
};

static const struct {
    const char *sheet, *file;
    const struct dash_col *cols;
    size_t ncols;
} tables[] = {
    [MC_DASH_TREND] = {"Xu hướng đúng hạn", "bang-dieu-khien-xu-huong.xlsx",
                       trend_cols, sizeof(trend_cols) / sizeof(trend_cols[0])},
    [MC_DASH_STEPS] = {"Bước xử lý chậm", "bang-dieu-khien-buoc-cham.xlsx",
                       steps_cols, sizeof(steps_cols) / sizeof(steps_cols[0])},
    [MC_DASH_NEAR_DUE] = {"Hồ sơ sắp đến hạn",
                          "bang-dieu-khien-sap-den-han.xlsx", due_cols,
                          sizeof(due_cols) / sizeof(due_cols[0])},
};

#define DASH_MAX_COLS 8

const char *
mc_dash_xlsx_name(enum mc_dash_table t)
{
    return tables[t].file;
}

static struct mc_xlsx_cell
cell_of(const struct dash_col *c, json_t *item)
{
    static const struct mc_xlsx_cell blank = {.type = MC_XLSX_BLANK};
    json_t *v = json_object_get(item, c->key);
    int32_t day;

    switch (c->kind) {
    case COL_TEXT:
        return json_is_string(v) ? mc_xlsx_text(json_string_value(v)) : blank;
    case COL_INT:
        return json_is_integer(v) ? mc_xlsx_int(json_integer_value(v))
                                  : blank;
    case COL_REAL:
        return json_is_number(v) ? mc_xlsx_double(json_number_value(v))
                                 : blank;
    case COL_NAME: {
        json_t *s = json_object_get(v, "name");

        s = s ? s : json_object_get(v, "full_name");
        return json_is_string(s) ? mc_xlsx_text(json_string_value(s)) : blank;
    }
    case COL_DAY:
        /* "YYYY-MM-DDTHH:MM:SS+07:00": the local date comes first */
        if (json_is_string(v) && strlen(json_string_value(v)) >= 10) {
            char ymd[11];

            memcpy(ymd, json_string_value(v), 10);
            ymd[10] = '\0';
            if (mc_parse_date(ymd, &day) == 0) {
                return mc_xlsx_date(day);
            }
        }
        return blank;
    }
    return blank;
}

int
mc_dash_xlsx(enum mc_dash_table t, json_t *answer, struct mc_buf *out,
             struct mc_err *err)
{
    struct mc_xlsx_col cols[DASH_MAX_COLS];
    struct mc_xlsx_cell row[DASH_MAX_COLS];
    struct mc_xlsx *x = NULL;
    size_t nc = tables[t].ncols, i;
    json_t *item;
    int rc;

    for (size_t k = 0; k < nc; k++) {
        cols[k].title = tables[t].cols[k].title;
        cols[k].width = tables[t].cols[k].width;
    }
    if ((rc = mc_xlsx_new(&x, 0, err)) != MC_OK) {
        return rc;
    }
    rc = mc_xlsx_add_sheet(x, tables[t].sheet, cols, nc, err);
    json_array_foreach(json_object_get(answer, "items"), i, item)
    {
        if (rc != MC_OK) {
            break;
        }
        for (size_t k = 0; k < nc; k++) {
            row[k] = cell_of(&tables[t].cols[k], item);
        }
        rc = mc_xlsx_add_row(x, row, nc, err);
    }
    if (rc != MC_OK) {
        mc_xlsx_free(x);
        return rc;
    }
    return mc_xlsx_finish(x, out, err);
}
