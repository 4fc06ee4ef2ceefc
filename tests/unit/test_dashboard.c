/*
 * test_dashboard.c - the leadership dashboard's domain code: the on-time
 * trend summed per month from eval_rollup rows across a year boundary
 * (a ward, and the whole city through the day index), empty months,
 * range errors, the scope rules of mc_dash_unit for every role, and the
 * Excel table (SQLite, demo units and accounts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/q_evaluation.h"
#include "db/writer.h"
#include "doc/xlsx.h"
#include "domain/calendar.h"
#include "domain/dashboard.h"
#include "domain/demo.h"
#include "domain/unit.h"
#include "sec/password.h"
#include "util/log.h"
#include "util/mctime.h"
#include "testdb.h"

#define D(y, m, d) mc_days_from_civil((y), (m), (d))

struct fx {
    struct mc_test_db t;
    struct mc_unit city, bd, hk;
    struct mc_arena arena;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct mc_err err;

    if (f == NULL) {
        return -1;
    }
    if (mc_test_db_open(&f->t, "mc_dash",
                        MC_TEST_SEED_CALENDAR | MC_TEST_SEED_UNITS) != 0) {
        return -1;
    }
    mc_arena_init(&f->arena, 0);
    if (mc_unit_get_by_code(f->t.db, "H26", &f->city, &err) != MC_OK ||
        mc_unit_get_by_code(f->t.db, "H26.00004", &f->bd, &err) != MC_OK ||
        mc_unit_get_by_code(f->t.db, "H26.00070", &f->hk, &err) != MC_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    mc_arena_release(&f->arena);
    mc_test_db_close(&f->t);
    free(f);
    return 0;
}

static struct mc_actor
actor(enum mc_role role, const struct mc_unit *u)
{
    struct mc_actor a;

    memset(&a, 0, sizeof(a));
    a.account_id = 1;
    a.role = role;
    if (u != NULL) {
        a.unit_id = u->id;
        snprintf(a.unit_path, sizeof(a.unit_path), "%s", u->path);
    }
    return a;
}

struct add_ctx {
    const struct mc_unit *u;
    const char *proc;
    int32_t day;
    int64_t received, online, finished, on_time;
};

static int
w_add(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct add_ctx *c = ctx;
    struct mc_rollup_delta d;

    memset(&d, 0, sizeof(d));
    d.unit_id = c->u->id;
    d.unit_path = c->u->path;
    d.procedure_code = c->proc;
    d.day = c->day;
    d.v[MC_RC_RECEIVED] = c->received;
    d.v[MC_RC_RECEIVED_ONLINE] = c->online;
    d.v[MC_RC_FINISHED] = c->finished;
    d.v[MC_RC_ON_TIME] = c->on_time;
    d.v[MC_RC_EVAL_SATISFIED] = 7; /* not a trend figure */
    return mc_q_eval_rollup_add(db, &d, err);
}

static void
add(struct fx *f, const struct mc_unit *u, const char *proc, int32_t day,
    int64_t rec, int64_t online, int64_t fin, int64_t on_time)
{
    struct add_ctx c = {u, proc, day, rec, online, fin, on_time};
    struct mc_err err;

    assert_int_equal(mc_writer_run(f->t.w, w_add, &c, &err), MC_OK);
}

/* Month i of a trend answer: received, finished, on_time, online. */
static void
month_is(json_t *ans, size_t i, const char *month, json_int_t rec,
         json_int_t fin, json_int_t ot, json_int_t online, double rate)
{
    json_t *it = json_array_get(json_object_get(ans, "items"), i);
    json_t *r = json_object_get(it, "rate");

    assert_non_null(it);
    assert_string_equal(json_string_value(json_object_get(it, "month")),
                        month);
    assert_int_equal(json_integer_value(json_object_get(it, "received")),
                     rec);
    assert_int_equal(json_integer_value(json_object_get(it, "finished")),
                     fin);
    assert_int_equal(json_integer_value(json_object_get(it, "on_time")), ot);
    assert_int_equal(json_integer_value(json_object_get(it, "online")),
                     online);
    if (rate < 0) {
        assert_true(json_is_null(r));
    } else {
        assert_true(json_is_real(r));
        assert_true(json_real_value(r) > rate - 1e-9 &&
                    json_real_value(r) < rate + 1e-9);
    }
}

static void
test_trend_months(void **state)
{
    struct fx *f = *state;
    struct mc_actor lead = actor(MC_ROLE_LEADER, &f->bd);
    struct mc_actor adm = actor(MC_ROLE_ADMIN, NULL);
    struct mc_err err;
    json_t *ans = NULL;

    /* Ba Đình: the last day of 2025, two procedures on 1/1/2026, the last
     * day of February; one day outside the range on each side */
    add(f, &f->bd, "1.001193", D(2025, 11, 30), 100, 0, 100, 100);
    add(f, &f->bd, "1.001193", D(2025, 12, 31), 3, 1, 2, 1);
    add(f, &f->bd, "1.001193", D(2026, 1, 1), 4, 2, 3, 3);
    add(f, &f->bd, "1.000894", D(2026, 1, 1), 1, 0, 1, 1);
    add(f, &f->bd, "1.001193", D(2026, 2, 28), 0, 0, 3, 0);
    add(f, &f->bd, "1.001193", D(2026, 4, 1), 50, 0, 50, 50);
    /* Hoàn Kiếm, another ward */
    add(f, &f->hk, "1.001193", D(2026, 1, 15), 10, 10, 8, 6);

    assert_int_equal(mc_dash_trend(f->t.db, &lead, 0, D(2025, 12, 10),
                                   D(2026, 3, 2), &f->arena, &ans, &err),
                     MC_OK);
    assert_int_equal(json_array_size(json_object_get(ans, "items")), 4);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(ans, "unit"), "id")),
                     f->bd.id);
    month_is(ans, 0, "2025-12", 3, 2, 1, 1, 0.5);
    month_is(ans, 1, "2026-01", 5, 4, 4, 2, 1.0);
    month_is(ans, 2, "2026-02", 0, 3, 0, 0, 0.0);
    month_is(ans, 3, "2026-03", 0, 0, 0, 0, -1);
    json_decref(ans);

    /* the whole city (root: the day index) sums both wards */
    assert_int_equal(mc_dash_trend(f->t.db, &adm, 0, D(2026, 1, 1),
                                   D(2026, 1, 31), &f->arena, &ans, &err),
                     MC_OK);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(ans, "unit"), "id")),
                     f->city.id);
    month_is(ans, 0, "2026-01", 15, 12, 10, 12, 0.8333); /* 4 decimals */
    json_decref(ans);

    /* an explicit unit, one month */
    assert_int_equal(mc_dash_trend(f->t.db, &lead, f->bd.id, D(2025, 12, 1),
                                   D(2025, 12, 1), &f->arena, &ans, &err),
                     MC_OK);
    month_is(ans, 0, "2025-12", 3, 2, 1, 1, 0.5);
    json_decref(ans);
}

static void
test_trend_range_errors(void **state)
{
    struct fx *f = *state;
    struct mc_actor lead = actor(MC_ROLE_LEADER, &f->bd);
    struct mc_err err;
    json_t *ans = NULL;

    assert_int_equal(mc_dash_trend(f->t.db, &lead, 0, D(2026, 5, 1),
                                   D(2026, 4, 30), &f->arena, &ans, &err),
                     MC_EINVAL);
    assert_string_equal(err.code, "bad_range");
    assert_null(ans);
    /* 60 months are allowed, 61 are not */
    assert_int_equal(mc_dash_trend(f->t.db, &lead, 0, D(2021, 1, 1),
                                   D(2025, 12, 31), &f->arena, &ans, &err),
                     MC_OK);
    assert_int_equal(json_array_size(json_object_get(ans, "items")), 60);
    json_decref(ans);
    ans = NULL;
    assert_int_equal(mc_dash_trend(f->t.db, &lead, 0, D(2021, 1, 1),
                                   D(2026, 1, 1), &f->arena, &ans, &err),
                     MC_EINVAL);
    assert_string_equal(err.code, "range_too_long");
    assert_null(ans);
}

static void
test_scope(void **state)
{
    struct fx *f = *state;
    struct mc_unit u;
    struct mc_err err;
    struct {
        enum mc_role role;
        const struct mc_unit *home;
        const struct mc_unit *asked; /* NULL: default */
        int rc;
        const struct mc_unit *got;
    } cases[] = {
        {MC_ROLE_LEADER, &f->bd, NULL, MC_OK, &f->bd},
        {MC_ROLE_LEADER, &f->bd, &f->bd, MC_OK, &f->bd},
        {MC_ROLE_LEADER, &f->bd, &f->hk, MC_EFORBIDDEN, NULL},
        {MC_ROLE_LEADER, &f->bd, &f->city, MC_EFORBIDDEN, NULL},
        {MC_ROLE_LEADER, &f->city, &f->hk, MC_OK, &f->hk},
        {MC_ROLE_SPECIALIST, &f->bd, NULL, MC_OK, &f->bd},
        {MC_ROLE_SPECIALIST, &f->bd, &f->hk, MC_EFORBIDDEN, NULL},
        {MC_ROLE_DESK, &f->city, &f->bd, MC_EFORBIDDEN, NULL},
        {MC_ROLE_DESK, &f->bd, &f->bd, MC_OK, &f->bd},
        {MC_ROLE_INSPECTOR, &f->bd, NULL, MC_OK, &f->city},
        {MC_ROLE_INSPECTOR, &f->bd, &f->hk, MC_OK, &f->hk},
        {MC_ROLE_ADMIN, NULL, NULL, MC_OK, &f->city},
        {MC_ROLE_CITIZEN, NULL, NULL, MC_EFORBIDDEN, NULL},
        {MC_ROLE_PARTNER, NULL, &f->bd, MC_EFORBIDDEN, NULL},
        {MC_ROLE_NONE, NULL, NULL, MC_EFORBIDDEN, NULL},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct mc_actor a = actor(cases[i].role, cases[i].home);
        int rc = mc_dash_unit(f->t.db, &a,
                              cases[i].asked ? cases[i].asked->id : 0, &u,
                              &err);

        if (rc != cases[i].rc) {
            fail_msg("case %zu: rc %d, want %d (%s)", i, rc, cases[i].rc,
                     err.message);
        }
        if (cases[i].got != NULL) {
            assert_int_equal(u.id, cases[i].got->id);
        } else {
            assert_int_equal(err.status, 403);
        }
    }
    {
        struct mc_actor a = actor(MC_ROLE_INSPECTOR, &f->city);

        assert_int_equal(mc_dash_unit(f->t.db, &a, 987654, &u, &err),
                         MC_ENOTFOUND);
        assert_string_equal(err.code, "unknown_unit");
        assert_string_equal(err.field, "unit");
    }
}

static void
test_xlsx(void **state)
{
    struct fx *f = *state;
    struct mc_actor lead = actor(MC_ROLE_LEADER, &f->bd);
    struct mc_err err;
    struct mc_buf b;
    json_t *ans = NULL;

    add(f, &f->bd, "1.001193", D(2026, 6, 3), 2, 1, 1, 1);
    assert_int_equal(mc_dash_trend(f->t.db, &lead, 0, D(2026, 6, 1),
                                   D(2026, 7, 1), &f->arena, &ans, &err),
                     MC_OK);
    mc_buf_init(&b, MC_XLSX_MAX);
    assert_int_equal(mc_dash_xlsx(MC_DASH_TREND, ans, &b, &err), MC_OK);
    assert_true(b.len > 1000 && memcmp(b.data, "PK", 2) == 0);
    mc_buf_release(&b);
    json_decref(ans);
    assert_string_equal(mc_dash_xlsx_name(MC_DASH_NEAR_DUE),
                        "bang-dieu-khien-sap-den-han.xlsx");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_trend_months, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trend_range_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
