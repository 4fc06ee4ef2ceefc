/*
 * test_calendar_db.c - the calendar in SQLite: seeding version 1 from the
 * built-in data, changes as new versions (set, clear, rules replaced,
 * import), rebuilding any past version, failed changes leaving no
 * version, and per-unit working hours.
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
#include "db/q_calendar.h"
#include "db/writer.h"
#include "domain/calendar.h"
#include "util/log.h"
#include "util/mctime.h"
#include "testdb.h"

#define D(y, m, d) mc_days_from_civil((y), (m), (d))

struct fx {
    struct mc_test_db t;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (f == NULL) {
        return -1;
    }
    if (mc_test_db_open(&f->t, "mc_caldb", 0) != 0) {
        return -1;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    mc_test_db_close(&f->t);
    free(f);
    return 0;
}

static int
count_version(void *ctx, const struct mc_qcal_version *v, struct mc_err *err)
{
    int *n = ctx;

    (void)err;
    (*n)++;
    assert_int_equal(v->version, *n);
    assert_true(v->note[0] != '\0');
    return MC_OK;
}

static int
nversions(struct mc_db *db)
{
    struct mc_err err;
    int n = 0;

    assert_int_equal(mc_qcal_versions_each(db, count_version, &n, &err),
                     MC_OK);
    return n;
}

static struct mc_calendar *
load(struct fx *f)
{
    struct mc_calendar *c = NULL;
    struct mc_err err;

    if (mc_calendar_load(f->t.db, &c, &err) != MC_OK) {
        fail_msg("load: %s", err.message);
    }
    return c;
}

static void
test_seed_and_load(void **state)
{
    struct fx *f = *state;
    struct mc_calendar *c = NULL, *b = NULL;
    const struct mc_cal_spec *x, *y;
    struct mc_err err;

    assert_int_equal(mc_calendar_load(f->t.db, &c, &err), MC_ENOTFOUND);
    assert_string_equal(err.code, "calendar_not_seeded");
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_seed, NULL, &err),
                     MC_OK);
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_seed, NULL, &err),
                     MC_OK);
    assert_int_equal(nversions(f->t.db), 1);
    c = load(f);
    assert_int_equal(mc_calendar_version(c), 1);
    assert_int_equal(mc_calendar_builtin(&b, &err), MC_OK);
    x = mc_calendar_spec(b);
    y = mc_calendar_spec(c);
    assert_int_equal(x->nrules, y->nrules);
    assert_int_equal(x->nanns, y->nanns);
    assert_memory_equal(x->rules, y->rules,
                        (size_t)x->nrules * sizeof(*x->rules));
    assert_memory_equal(x->anns, y->anns,
                        (size_t)x->nanns * sizeof(*x->anns));
    assert_int_equal(mc_calendar_diff(b, c, D(1800, 1, 1), D(2199, 12, 31),
                                      NULL, NULL),
                     0);
    mc_calendar_free(b);
    mc_calendar_free(c);
}

static void
test_versions(void **state)
{
    struct fx *f = *state;
    struct mc_calendar_change ch;
    struct mc_cal_ann a;
    struct mc_calendar *v1 = NULL, *v2 = NULL, *cur;
    struct mc_deadline_req r;
    struct mc_deadline d;
    struct mc_cal_spec rules;
    struct mc_err err;
    int32_t day = D(2025, 3, 12), first, last;
    int changed;

    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_seed, NULL, &err),
                     MC_OK);
    /* version 2: an extra day off */
    memset(&a, 0, sizeof(a));
    a.day = day;
    a.kind = MC_ANN_OFF;
    snprintf(a.reason, sizeof(a.reason), "Nghỉ đột xuất");
    memset(&ch, 0, sizeof(ch));
    ch.set = &a;
    ch.nset = 1;
    ch.note = "test: 12/03 off";
    ch.effective_from = mc_local_ts(D(2025, 3, 1), 0);
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_change_apply, &ch,
                                   &err),
                     MC_OK);
    assert_int_equal(ch.version, 2);
    cur = load(f);
    assert_int_equal(mc_calendar_version(cur), 2);
    assert_int_equal(mc_calendar_effective_from(cur), ch.effective_from);
    assert_false(mc_calendar_is_workday(cur, day, NULL));
    assert_int_equal(mc_calendar_load_version(f->t.db, 1, &v1, &err), MC_OK);
    assert_true(mc_calendar_is_workday(v1, day, NULL));
    assert_int_equal(mc_calendar_diff(v1, cur, D(1800, 1, 1),
                                      D(2199, 12, 31), &first, &last),
                     1);
    assert_true(first == day && last == day);
    memset(&r, 0, sizeof(r));
    r.start = mc_local_ts(D(2025, 3, 10), 9 * 3600);
    r.n = 3;
    assert_int_equal(mc_calendar_deadline_changed(v1, cur, &r, &changed, &d,
                                                  &err),
                     MC_OK);
    assert_true(changed && d.due_day == D(2025, 3, 14));
    mc_calendar_free(cur);

    /* version 3: cleared again; clearing twice fails without a version */
    memset(&ch, 0, sizeof(ch));
    ch.clear = &day;
    ch.nclear = 1;
    ch.note = "test: clear 12/03";
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_change_apply, &ch,
                                   &err),
                     MC_OK);
    assert_int_equal(ch.version, 3);
    cur = load(f);
    assert_true(mc_calendar_is_workday(cur, day, NULL));
    mc_calendar_free(cur);
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_change_apply, &ch,
                                   &err),
                     MC_ENOTFOUND);
    assert_int_equal(nversions(f->t.db), 3);
    /* an invalid row and an empty change create nothing either */
    a.kind = MC_ANN_HOLIDAY; /* without a code */
    memset(&ch, 0, sizeof(ch));
    ch.set = &a;
    ch.nset = 1;
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_change_apply, &ch,
                                   &err),
                     MC_EINVAL);
    memset(&ch, 0, sizeof(ch));
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_change_apply, &ch,
                                   &err),
                     MC_EINVAL);
    assert_int_equal(nversions(f->t.db), 3);

    /* version 4: the rules without Ngày Văn hóa (24/11) */
    mc_cal_spec_init(&rules);
    cur = load(f);
    for (int i = 0; i < mc_calendar_spec(cur)->nrules; i++) {
        const struct mc_cal_rule *x = &mc_calendar_spec(cur)->rules[i];
        if (strcmp(x->code, "CULTURE_DAY") != 0) {
            assert_int_equal(mc_cal_spec_add_rule(&rules, x, &err), MC_OK);
        }
    }
    assert_int_equal(rules.nrules, mc_calendar_spec(cur)->nrules - 1);
    mc_calendar_free(cur);
    memset(&ch, 0, sizeof(ch));
    ch.rules = &rules;
    ch.note = "test: no 24/11";
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_change_apply, &ch,
                                   &err),
                     MC_OK);
    assert_int_equal(ch.version, 4);
    mc_cal_spec_release(&rules);
    cur = load(f);
    assert_true(mc_calendar_is_workday(cur, D(2026, 11, 24), NULL));
    assert_int_equal(mc_calendar_spec(cur)->nanns,
                     mc_calendar_spec(v1)->nanns);
    assert_int_equal(mc_calendar_load_version(f->t.db, 3, &v2, &err), MC_OK);
    assert_false(mc_calendar_is_workday(v2, D(2026, 11, 24), NULL));
    {
        struct mc_calendar *none = NULL;
        assert_int_equal(mc_calendar_load_version(f->t.db, 9, &none, &err),
                         MC_ENOTFOUND);
        assert_null(none);
    }
    mc_calendar_free(cur);
    mc_calendar_free(v1);
    mc_calendar_free(v2);
    assert_int_equal(nversions(f->t.db), 4);
}

static void
test_import(void **state)
{
    static const char csv[] =
        "date,kind,code,reason,basis,source\n"
        "2027-02-04,holiday,TET,Tết Nguyên Đán (29 tháng Chạp),TB 1,\n"
        "2027-02-05,holiday,TET,Tết Nguyên Đán (30 tháng Chạp),TB 1,\n"
        "2027-02-06,holiday,TET,Tết Nguyên Đán (mùng 1),TB 1,\n"
        "2027-02-07,holiday,TET,Tết Nguyên Đán (mùng 2),TB 1,\n"
        "2027-02-08,holiday,TET,Tết Nguyên Đán (mùng 3),TB 1,\n"
        "2027-02-09,compensatory,TET,Nghỉ bù,TB 1,\n"
        "2027-02-10,compensatory,TET,Nghỉ bù,TB 1,\n"
        "2027-02-11,off,,Nghỉ hoán đổi,TB 1,\n"
        "2027-02-20,work,,Làm bù cho 11/02,TB 1,\n"
        "2027-04-30,holiday,VICTORY,Ngày Chiến thắng,BLLĐ,rule\n";
    struct fx *f = *state;
    struct mc_calendar_change ch;
    struct mc_cal_spec s;
    struct mc_calendar *cur;
    struct mc_err err;
    int n = 0;

    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_seed, NULL, &err),
                     MC_OK);
    mc_cal_spec_init(&s);
    assert_int_equal(mc_cal_spec_parse_anns(&s, csv, strlen(csv), &n, &err),
                     MC_OK);
    assert_int_equal(n, 9); /* the source=rule row is skipped */
    memset(&ch, 0, sizeof(ch));
    ch.set = s.anns;
    ch.nset = s.nanns;
    ch.note = "import 2027";
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_change_apply, &ch,
                                   &err),
                     MC_OK);
    mc_cal_spec_release(&s);
    cur = load(f);
    for (int d = 4; d <= 11; d++) {
        assert_false(mc_calendar_is_workday(cur, D(2027, 2, d), NULL));
    }
    assert_true(mc_calendar_is_workday(cur, D(2027, 2, 12), NULL));
    assert_true(mc_calendar_is_workday(cur, D(2027, 2, 20), NULL));
    mc_calendar_free(cur);
}

static void
test_unit_hours(void **state)
{
    struct fx *f = *state;
    struct mc_workhours wh, def;
    struct mc_workhours_change c = {1, "1-5=07:30-11:30,13:30-17:00;"
                                       "6=07:30-11:30"};
    struct mc_err err;
    char spec[256];

    assert_int_equal(mc_db_exec(f->t.db,
                                "INSERT INTO units(id, code, name, kind, "
                                "path, depth, search_key, created_at) "
                                "VALUES (1, 'H26', 'Hà Nội', 'province', "
                                "'/1/', 0, 'ha noi', 0)",
                                &err),
                     MC_OK);
    mc_workhours_default(&def);
    assert_int_equal(mc_calendar_unit_hours(f->t.db, 1, &wh, &err), MC_OK);
    assert_memory_equal(&wh, &def, sizeof(wh));
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_set_unit_hours, &c,
                                   &err),
                     MC_OK);
    assert_int_equal(mc_qcal_workhours_get(f->t.db, 1, spec, sizeof(spec),
                                           &err),
                     MC_OK);
    assert_string_equal(spec, "1-5=07:30-11:30,13:30-17:00;6=07:30-11:30;"
                              "0=07:30-11:30,13:30-17:00");
    assert_int_equal(mc_calendar_unit_hours(f->t.db, 1, &wh, &err), MC_OK);
    assert_int_equal(wh.nspans[6], 1);
    assert_int_equal(wh.span[1][0].from, 7 * 60 + 30);
    c.spec = "1=17:00-08:00";
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_set_unit_hours, &c,
                                   &err),
                     MC_EINVAL);
    c.unit_id = 99; /* no such unit */
    c.spec = "1-5=08:00-17:00";
    assert_int_equal(mc_writer_run(f->t.w, mc_calendar_set_unit_hours, &c,
                                   &err),
                     MC_ECONFLICT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seed_and_load, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_hours, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
