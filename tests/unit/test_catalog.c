/*
 * test_catalog.c - procedure catalog: reading the real source values, the
 * demo import (58 procedures, 520 components), search, versioning by
 * effective date, the administrator's update, CSV and JSON round trips.
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
#include "db/writer.h"
#include "domain/catalog.h"
#include "sec/audit.h"
#include "util/embed.h"
#include "util/mctime.h"

struct fx {
    char dir[64];
    char path[96];
    struct mc_db *db;
    struct mc_writer *w;
    struct mc_arena a;
};

static const struct mc_actor admin = {7, MC_ROLE_ADMIN, 1, "/1/", "admin"};
static const struct mc_actor desk = {8, MC_ROLE_DESK, 1, "/1/", "desk"};

/* 2025-01-01 00:00 local and later instants */
#define T0 ((int64_t)1735664400)
#define DAY ((int64_t)86400)

static int
open_db(struct fx *f, const char *name)
{
    struct mc_err err;

    snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, name);
    if (mc_db_open(f->path, MC_DB_WRITE, &f->db, &err) != MC_OK ||
        mc_db_migrate(f->db, &err) != MC_OK ||
        mc_writer_direct(f->db, &f->w, &err) != MC_OK) {
        return -1;
    }
    return 0;
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    snprintf(f->dir, sizeof(f->dir), "/tmp/mc_test_cat_XXXXXX");
    if (f == NULL || mkdtemp(f->dir) == NULL || open_db(f, "t.db") != 0) {
        return -1;
    }
    mc_arena_init(&f->a, 256 << 20);
    *state = f;
    return 0;
}

static void
close_db(struct fx *f)
{
    char p[160];

    mc_writer_stop(f->w);
    mc_db_close(f->db);
    f->w = NULL;
    f->db = NULL;
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", f->path,
                 i == 0 ? "" : i == 1 ? "-wal" : "-shm");
        unlink(p);
    }
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    mc_arena_release(&f->a);
    close_db(f);
    rmdir(f->dir);
    free(f);
    return 0;
}

static int64_t
count(struct fx *f, const char *sql)
{
    struct mc_err err;
    int64_t n = -1;

    assert_int_equal(mc_db_i64(f->db, &n, &err, sql, ""), MC_OK);
    return n;
}

static void
demo(struct fx *f, int64_t at, struct mc_catalog_import *im)
{
    struct mc_err err;

    memset(im, 0, sizeof(*im));
    im->at = at;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_import_demo, im, &err),
                     MC_OK);
}

static int
run_import(struct fx *f, mc_write_fn fn, const char *text, const char *docs,
           int64_t at, struct mc_catalog_import *im, struct mc_err *err)
{
    memset(im, 0, sizeof(*im));
    im->text = text;
    im->len = text != NULL ? strlen(text) : 0;
    im->docs = docs;
    im->docs_len = docs != NULL ? strlen(docs) : 0;
    im->actor = &admin;
    im->at = at;
    mc_err_clear(err);
    return mc_writer_run(f->w, fn, im, err);
}

static struct mc_procedure *
latest(struct fx *f, const char *code)
{
    struct mc_procedure *p = NULL;
    struct mc_err err;

    assert_int_equal(mc_catalog_get_latest(f->db, code, &f->a, &p, &err),
                     MC_OK);
    return p;
}

static int64_t
step_sum(const struct mc_procedure *p)
{
    int64_t s = 0;

    for (size_t i = 0; i < p->nsteps; i++) {
        assert_true(p->steps[i].budget_minutes > 0);
        assert_int_equal(p->steps[i].seq, (int)i + 1);
        s += p->steps[i].budget_minutes;
    }
    return s;
}

/* ---- pure functions ---- */

static void
test_default_steps(void **state)
{
    struct mc_step s[4];

    (void)state;
    assert_int_equal(mc_catalog_default_steps(480, s), 4);
    assert_int_equal(s[0].budget_minutes, 60);
    assert_int_equal(s[1].budget_minutes, 300);
    assert_int_equal(s[2].budget_minutes, 60);
    assert_int_equal(s[3].budget_minutes, 60);
    assert_string_equal(s[0].role, "desk");
    assert_string_equal(s[1].role, "specialist");
    assert_string_equal(s[2].role, "leader");
    assert_string_equal(s[3].role, "desk");
    assert_int_equal(mc_catalog_default_steps(5 * 480, s), 4);
    assert_int_equal(s[0].budget_minutes, 240);
    assert_int_equal(s[1].budget_minutes, 1620);
    assert_int_equal(s[2].budget_minutes, 300);
    assert_int_equal(s[3].budget_minutes, 240);
    assert_int_equal(mc_catalog_default_steps(20 * 480, s), 4);
    assert_int_equal(s[0].budget_minutes, 240);
    assert_int_equal(s[2].budget_minutes, 480);
    assert_int_equal(mc_catalog_default_steps(60, s), 4); /* 1 hour */
    assert_int_equal(s[0].budget_minutes, 5);
    assert_int_equal(s[1].budget_minutes, 45);
    assert_int_equal(mc_catalog_default_steps(0, s), 0);
    /* every total from 8 minutes to 60 working days adds up exactly */
    for (int64_t t = 8; t <= 60 * 480; t++) {
        int64_t sum = 0;

        assert_int_equal(mc_catalog_default_steps(t, s), 4);
        for (int i = 0; i < 4; i++) {
            assert_true(s[i].budget_minutes > 0);
            sum += s[i].budget_minutes;
        }
        assert_int_equal(sum, t);
    }
}

static void
test_parse_source_values(void **state)
{
    static const struct {
        const char *v, *u;
        int rc;
        int64_t value;
        const char *unit;
        int assumed, incomplete, cutoff;
    } L[] = {
        {"1", "", 0, 1, MC_UNIT_WORKDAYS, 1, 0, 0},
        {"20", "ngày", 0, 20, MC_UNIT_WORKDAYS, 1, 0, 0},
        {"5", "ngày làm việc", 0, 5, MC_UNIT_WORKDAYS, 0, 0, 0},
        {"5", "Ngày làm việc", 0, 5, MC_UNIT_WORKDAYS, 0, 0, 0},
        {"", "", 0, 0, NULL, 0, 1, 0},
        {"Không có thông tin", "", 0, 0, NULL, 0, 1, 0},
        {"4", "giờ làm việc", 0, 4, MC_UNIT_WORKHOURS, 0, 0, 0},
        {"3", "buổi làm việc", 0, 3, MC_UNIT_HALFDAYS, 0, 0, 0},
        {"", "trong ngày", 0, 1, MC_UNIT_SAMEDAY, 0, 0, 0},
        {"1", "trong ngày (sau 15 giờ: ngày làm việc tiếp theo)", 0, 1,
         MC_UNIT_SAMEDAY, 0, 0, 1},
        {"x", "", -1, 0, NULL, 0, 0, 0},
        {"0", "ngày làm việc", -1, 0, NULL, 0, 0, 0},
        {"3", "tháng", -1, 0, NULL, 0, 0, 0},
        {"2", "trong ngày", -1, 0, NULL, 0, 0, 0},
    };
    const char *ch = NULL;
    struct mc_arena a;

    (void)state;
    for (size_t i = 0; i < sizeof(L) / sizeof(L[0]); i++) {
        struct mc_procedure p;

        memset(&p, 0, sizeof(p));
        assert_int_equal(mc_catalog_parse_limit(L[i].v, L[i].u, &p),
                         L[i].rc);
        if (L[i].rc != 0) {
            continue;
        }
        assert_int_equal(p.limit_value, L[i].value);
        if (L[i].unit == NULL) {
            assert_null(p.limit_unit);
        } else {
            assert_string_equal(p.limit_unit, L[i].unit);
        }
        assert_int_equal(p.unit_assumed, L[i].assumed);
        assert_int_equal(p.incomplete, L[i].incomplete);
        assert_int_equal(p.cutoff_15h, L[i].cutoff);
    }
    assert_int_equal(mc_catalog_parse_fee("Miễn phí"), 0);
    assert_int_equal(mc_catalog_parse_fee("50,000 Việt Nam Đồng"), 50000);
    assert_int_equal(mc_catalog_parse_fee("8,000 VNĐ"), 8000);
    assert_int_equal(mc_catalog_parse_fee("1.500.000 đồng"), 1500000);
    assert_int_equal(mc_catalog_parse_fee("Không có thông tin"), -1);
    assert_int_equal(mc_catalog_parse_fee("50,00 VNĐ"), -1);
    assert_int_equal(mc_catalog_parse_fee(NULL), -1);

    mc_arena_init(&a, 0);
    assert_int_equal(mc_catalog_parse_channels(
                         "Trực tuyến|Dịch vụ bưu chính|Trực tiếp", &a, &ch),
                     0);
    assert_string_equal(ch, "online|post|counter");
    assert_int_equal(mc_catalog_parse_channels("Trực tiếp|Trực tuyến", &a,
                                               &ch),
                     0);
    assert_string_equal(ch, "counter|online");
    assert_int_equal(mc_catalog_parse_channels("Fax", &a, &ch), -1);
    mc_arena_release(&a);

    assert_int_equal(mc_catalog_parse_kind("bản chính và bản sao", &ch), 0);
    assert_string_equal(ch, "both");
    assert_int_equal(mc_catalog_parse_kind("bản sao", &ch), 0);
    assert_string_equal(ch, "copy");
    assert_int_equal(mc_catalog_parse_kind("bản nháp", &ch), -1);
}

/* ---- the real demo catalog ---- */

static void
test_demo_import(void **state)
{
    struct fx *f = *state;
    struct mc_catalog_import im;
    struct mc_procedure *p;
    struct mc_err err;
    int64_t audits, n, bad = 0;

    demo(f, T0, &im);
    assert_int_equal(im.total, 58);
    assert_int_equal(im.created, 58);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedures"), 58);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedure_components"),
                     520);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedures"
                              " WHERE incomplete = 1"),
                     10);
    /* 18 bare numbers + 12 "ngày" (calendar or working days?) */
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedures"
                              " WHERE unit_assumed = 1"),
                     30);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedures WHERE"
                              " incomplete = 0 AND unit_assumed = 0"),
                     18);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedure_steps s JOIN"
                              " procedures p ON p.id = s.procedure_id"
                              " WHERE p.incomplete = 1"),
                     0);
    audits = count(f, "SELECT COUNT(*) FROM audit"
                      " WHERE action = 'catalog.import'");
    assert_int_equal(audits, 58);
    assert_int_equal(mc_audit_verify(f->db, &n, &bad, &err), MC_OK);

    p = latest(f, "1.001193"); /* đăng ký khai sinh: bare "1" */
    assert_string_equal(p->name, "Thủ tục đăng ký khai sinh");
    assert_string_equal(p->field, "Hộ tịch");
    assert_int_equal(p->limit_value, 1);
    assert_string_equal(p->limit_unit, MC_UNIT_WORKDAYS);
    assert_int_equal(p->unit_assumed, 1);
    assert_int_equal(p->fee_amount, 0);
    assert_string_equal(p->channels, "online|post|counter");
    assert_string_equal(p->online_level, "partial");
    assert_int_equal(p->nsteps, 4);
    assert_int_equal(step_sum(p), 480);
    assert_int_equal(p->ncomponents, 8);
    /* grouped by section: the two "--" forms come last, in source order */
    assert_null(p->components[7].section);
    assert_null(p->components[6].section);
    assert_int_equal(p->components[6].source_seq, 7);

    p = latest(f, "1.013978"); /* 27 ngày làm việc */
    assert_int_equal(p->unit_assumed, 0);
    assert_int_equal(p->limit_value, 27);
    assert_int_equal(step_sum(p), 27 * 480);

    p = latest(f, "1.001612"); /* "Không có thông tin" */
    assert_int_equal(p->incomplete, 1);
    assert_null(p->limit_unit);
    assert_int_equal(p->nsteps, 0);

    p = latest(f, "1.000894"); /* kết hôn: ID shown always, residence
                                  papers only in some cases */
    assert_true(strstr(p->components[0].name, "Hộ chiếu") != NULL);
    assert_int_equal(p->components[0].mandatory, 1);
    assert_true(strstr(p->components[1].name, "trong trường hợp") != NULL);
    assert_int_equal(p->components[1].mandatory, 0);

    /* sections interleaved in the source are grouped */
    p = latest(f, "1.004222");
    for (size_t i = 0; i < p->ncomponents; i++) {
        for (size_t j = i + 2; j < p->ncomponents; j++) {
            if (strcmp(p->components[i].section,
                       p->components[j].section) == 0) {
                assert_string_equal(p->components[i + 1].section,
                                    p->components[i].section);
            }
        }
    }

    /* the same source again: nothing new, nothing audited */
    demo(f, T0 + DAY, &im);
    assert_int_equal(im.unchanged, 58);
    assert_int_equal(im.created + im.versioned, 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedures"), 58);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit"
                              " WHERE action = 'catalog.import'"),
                     audits);
}

static int
has_code(const struct mc_procedure_list *l, const char *code)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].code, code) == 0) {
            return 1;
        }
    }
    return 0;
}

static void
test_search(void **state)
{
    static const char *const queries[] = {"khai sinh", "KHAI SINH",
                                          "đăng ký khai sinh",
                                          "dang ky khai sinh",
                                          "Đăng Ký   Khai Sinh", NULL};
    struct fx *f = *state;
    struct mc_catalog_import im;
    struct mc_procedure_list l, l2;
    struct mc_err err;
    int64_t total = 0, total2 = 0;

    demo(f, T0, &im);
    for (const char *const *q = queries; *q != NULL; q++) {
        assert_int_equal(mc_catalog_search(f->db, *q, NULL, 0, 50, 0, &f->a,
                                           &l, &total, &err),
                         MC_OK);
        assert_true(has_code(&l, "1.001193"));
        assert_true(total >= 1 && total < 10);
    }
    /* words in any order; no false match */
    assert_int_equal(mc_catalog_search(f->db, "sinh khai", NULL, 0, 50, 0,
                                       &f->a, &l, &total, &err),
                     MC_OK);
    assert_true(has_code(&l, "1.001193"));
    assert_int_equal(mc_catalog_search(f->db, "khai sinh xyzzy", NULL, 0,
                                       50, 0, &f->a, &l, &total, &err),
                     MC_OK);
    assert_int_equal(total, 0);
    assert_int_equal(l.n, 0);
    /* LIKE wildcards in the query are literal */
    assert_int_equal(mc_catalog_search(f->db, "%", NULL, 0, 50, 0, &f->a,
                                       &l, &total, &err),
                     MC_OK);
    assert_int_equal(total, 0);
    /* code prefix */
    assert_int_equal(mc_catalog_search(f->db, "1.0016", NULL, 0, 50, 0,
                                       &f->a, &l, &total, &err),
                     MC_OK);
    assert_true(has_code(&l, "1.001612"));
    /* paging: two pages, no overlap, same total */
    assert_int_equal(mc_catalog_search(f->db, NULL, NULL, 0, 30, 0, &f->a,
                                       &l, &total, &err),
                     MC_OK);
    assert_int_equal(mc_catalog_search(f->db, "", NULL, 0, 30, 30, &f->a,
                                       &l2, &total2, &err),
                     MC_OK);
    assert_int_equal(total, 58);
    assert_int_equal(total2, 58);
    assert_int_equal(l.n, 30);
    assert_int_equal(l2.n, 28);
    assert_true(strcmp(l.items[29].code, l2.items[0].code) < 0);
    assert_null(l.items[0].components);
    /* filters */
    assert_int_equal(mc_catalog_search(f->db, NULL, "Hộ tịch", 0, 50, 0,
                                       &f->a, &l, &total, &err),
                     MC_OK);
    assert_int_equal(total, 22);
    assert_int_equal(mc_catalog_search(f->db, NULL, "Chứng thực",
                                       MC_CATALOG_INCOMPLETE, 50, 0, &f->a,
                                       &l, &total, &err),
                     MC_OK);
    assert_int_equal(total, 8);
    assert_int_equal(mc_catalog_search(f->db, NULL, NULL,
                                       MC_CATALOG_UNIT_ASSUMED, 50, 0,
                                       &f->a, &l, &total, &err),
                     MC_OK);
    assert_int_equal(total, 30);
    assert_int_equal(mc_catalog_search(f->db, NULL, NULL,
                                       MC_CATALOG_UNIT_ASSUMED |
                                           MC_CATALOG_INCOMPLETE,
                                       50, 0, &f->a, &l, &total, &err),
                     MC_OK);
    assert_int_equal(total, 40);
    /* bad paging */
    assert_int_equal(mc_catalog_search(f->db, NULL, NULL, 0, 0, 0, &f->a,
                                       &l, &total, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "limit");
    assert_int_equal(mc_catalog_search(f->db, NULL, NULL, 0, 10, -1, &f->a,
                                       &l, &total, &err),
                     MC_EINVAL);
}

static void
test_public_json(void **state)
{
    struct fx *f = *state;
    struct mc_catalog_import im;
    struct mc_procedure *p, *q;
    struct mc_err err;
    json_t *o;

    demo(f, T0, &im);
    p = latest(f, "1.001193");
    o = mc_catalog_to_json(p, 1);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "code")),
                        "1.001193");
    assert_true(json_is_true(json_object_get(o, "unit_assumed")));
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(o, "flags"), 0)),
                        "unit_assumed");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(o, "time_limit"), "minutes")),
                     480);
    assert_int_equal(json_array_size(json_object_get(o, "components")), 8);
    assert_int_equal(json_array_size(json_object_get(o, "steps")), 4);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(o, "fee"), "amount")),
                     0);
    json_decref(o);

    p = latest(f, "1.001612");
    o = mc_catalog_to_json(p, 0);
    assert_true(json_is_null(json_object_get(o, "time_limit")));
    assert_true(json_is_true(json_object_get(o, "incomplete")));
    assert_null(json_object_get(o, "components"));
    json_decref(o);

    /* get by id and in force */
    assert_int_equal(mc_catalog_get(f->db, p->id, &f->a, &q, &err), MC_OK);
    assert_string_equal(q->code, "1.001612");
    assert_int_equal(mc_catalog_get(f->db, 999999, &f->a, &q, &err),
                     MC_ENOTFOUND);
    assert_int_equal(mc_catalog_get_in_force(f->db, "1.001612", T0 - 1,
                                             &f->a, &q, &err),
                     MC_ENOTFOUND);
    assert_int_equal(mc_catalog_get_in_force(f->db, "9.999999", T0, &f->a,
                                             &q, &err),
                     MC_ENOTFOUND);
}

/* ---- versioning ---- */

#define HDR                                                                 \
    "code,name,field,level,time_limit_value,time_limit_unit,fee,"           \
    "online_level,source,portal_url,decision_no,competent_agency,"         \
    "implementing_agency,time_limit_by_channel,fee_by_channel,notes\r\n"
#define DHDR                                                                \
    "procedure_code,seq,document_name,original_or_copy,quantity,source,"    \
    "section,qty_original,qty_copy,form_file\r\n"

static void
test_versions_by_effective_date(void **state)
{
    struct fx *f = *state;
    const char *v1 = HDR "9.000001,Thủ tục thử,Thử nghiệm,Cấp xã,3,ngày làm "
                         "việc,\"10,000 VNĐ\",Trực tiếp,,,,,,,,\r\n";
    const char *v2 = HDR "9.000001,Thủ tục thử,Thử nghiệm,Cấp xã,3,ngày làm "
                         "việc,\"20,000 VNĐ\",Trực tiếp,,,,,,,,\r\n";
    const char *docs = DHDR "9.000001,1,Tờ khai,bản chính,1 bản chính,,--,"
                            "1,0,\r\n";
    struct mc_catalog_import im;
    struct mc_procedure *p;
    struct mc_err err;

    assert_int_equal(run_import(f, mc_catalog_import_csv, v1, docs, T0, &im,
                                &err),
                     MC_OK);
    assert_int_equal(im.created, 1);
    /* unchanged content, later date: no version */
    assert_int_equal(run_import(f, mc_catalog_import_csv, v1, docs,
                                T0 + DAY, &im, &err),
                     MC_OK);
    assert_int_equal(im.unchanged, 1);
    /* without the documents file the components are kept */
    assert_int_equal(run_import(f, mc_catalog_import_csv, v1, NULL,
                                T0 + DAY, &im, &err),
                     MC_OK);
    assert_int_equal(im.unchanged, 1);
    /* the fee changes from day 10 */
    assert_int_equal(run_import(f, mc_catalog_import_csv, v2, docs,
                                T0 + 10 * DAY, &im, &err),
                     MC_OK);
    assert_int_equal(im.versioned, 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedures"
                              " WHERE code = '9.000001'"),
                     2);

    assert_int_equal(mc_catalog_get_in_force(f->db, "9.000001", T0 + DAY,
                                             &f->a, &p, &err),
                     MC_OK);
    assert_int_equal(p->version, 1);
    assert_int_equal(p->fee_amount, 10000);
    assert_int_equal(p->effective_to, T0 + 10 * DAY);
    assert_int_equal(p->ncomponents, 1);
    assert_int_equal(mc_catalog_get_in_force(f->db, "9.000001",
                                             T0 + 10 * DAY - 1, &f->a, &p,
                                             &err),
                     MC_OK);
    assert_int_equal(p->version, 1);
    assert_int_equal(mc_catalog_get_in_force(f->db, "9.000001",
                                             T0 + 10 * DAY, &f->a, &p, &err),
                     MC_OK);
    assert_int_equal(p->version, 2);
    assert_int_equal(p->fee_amount, 20000);
    assert_int_equal(p->effective_to, 0);
    assert_int_equal(p->ncomponents, 1);
    assert_int_equal(step_sum(p), 3 * 480);

    /* a version cannot start before the latest one */
    assert_int_equal(run_import(f, mc_catalog_import_csv, v1, docs,
                                T0 + 5 * DAY, &im, &err),
                     MC_ECONFLICT);
    /* only administrators import */
    im.actor = &desk;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_import_csv, &im, &err),
                     MC_EFORBIDDEN);
}

static void
test_admin_update(void **state)
{
    struct fx *f = *state;
    struct mc_catalog_update u;
    struct mc_catalog_import im;
    struct mc_procedure *p;
    struct mc_step steps[2] = {{0, 1, "Tiếp nhận và chứng thực", "desk",
                                400},
                               {0, 2, "Trả kết quả", "desk", 80}};
    struct mc_err err;
    int64_t total = 0;
    struct mc_procedure_list l;

    demo(f, T0, &im);
    /* chứng thực bản sao từ bản chính: same day, after 15:00 next day */
    memset(&u, 0, sizeof(u));
    u.actor = &admin;
    u.at = T0 + DAY;
    u.code = "2.000815";
    u.limit_unit = MC_UNIT_SAMEDAY;
    u.cutoff_15h = 1;
    u.expect_version = 1;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_OK);
    assert_int_equal(u.changed, 1);
    assert_int_equal(u.new_version, 2);
    p = latest(f, "2.000815");
    assert_int_equal(p->incomplete, 0);
    assert_int_equal(p->unit_assumed, 0);
    assert_int_equal(p->cutoff_15h, 1);
    assert_int_equal(p->limit_value, 1);
    assert_int_equal(step_sum(p), 480);
    assert_int_equal(p->ncomponents, 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit"
                              " WHERE action = 'catalog.update'"),
                     1);
    assert_int_equal(mc_catalog_search(f->db, NULL, "Chứng thực",
                                       MC_CATALOG_INCOMPLETE, 50, 0, &f->a,
                                       &l, &total, &err),
                     MC_OK);
    assert_int_equal(total, 7);
    /* dossiers received before keep version 1 */
    assert_int_equal(mc_catalog_get_in_force(f->db, "2.000815", T0 + 3600,
                                             &f->a, &p, &err),
                     MC_OK);
    assert_int_equal(p->incomplete, 1);

    /* the same values again: no version; stale version: conflict */
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_ECONFLICT);
    u.expect_version = 0;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_OK);
    assert_int_equal(u.changed, 0);
    /* re-importing the unchanged source keeps the administrator's limit */
    demo(f, T0 + 2 * DAY, &im);
    assert_int_equal(im.unchanged, 58);
    assert_int_equal(latest(f, "2.000815")->cutoff_15h, 1);

    /* confirm khai sinh as 1 working day with own steps */
    u.code = "1.001193";
    u.limit_unit = MC_UNIT_WORKDAYS;
    u.limit_value = 1;
    u.cutoff_15h = 0;
    u.steps = steps;
    u.nsteps = 2;
    u.pause_policy = "subtract";
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_OK);
    p = latest(f, "1.001193");
    assert_int_equal(p->unit_assumed, 0);
    assert_int_equal(p->nsteps, 2);
    assert_string_equal(p->pause_policy, "subtract");
    assert_string_equal(p->steps[0].name, "Tiếp nhận và chứng thực");

    /* steps must add up to the limit */
    steps[1].budget_minutes = 81;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "steps");
    /* cutoff only for same day; unknown unit; not an admin; unknown */
    u.steps = NULL;
    u.cutoff_15h = 1;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_EINVAL);
    u.cutoff_15h = 0;
    u.limit_unit = "months";
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_EINVAL);
    u.limit_unit = MC_UNIT_WORKDAYS;
    u.actor = &desk;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_EFORBIDDEN);
    u.actor = &admin;
    u.code = "9.999999";
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_ENOTFOUND);
}

static void
test_update_from_json(void **state)
{
    struct fx *f = *state;
    struct mc_catalog_update u;
    struct mc_catalog_import im;
    struct mc_err err;
    json_t *body;

    demo(f, T0, &im);
    memset(&u, 0, sizeof(u));
    body = json_loads("{\"limit_unit\":\"sameday\",\"cutoff_15h\":true,"
                      "\"expect_version\":1}", 0, NULL);
    assert_int_equal(mc_catalog_update_from_json(body, &f->a, &u, &err),
                     MC_OK);
    json_decref(body);
    assert_int_equal(u.cutoff_15h, 1);
    assert_int_equal(u.expect_version, 1);
    u.actor = &admin;
    u.code = "2.000884";
    u.at = T0 + DAY;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_OK);
    assert_int_equal(latest(f, "2.000884")->cutoff_15h, 1);

    body = json_loads("{\"limit_unit\":\"workdays\",\"limit_value\":2,"
                      "\"steps\":[{\"name\":\"Xử lý\",\"role\":\"leader\","
                      "\"budget_minutes\":960}]}", 0, NULL);
    assert_int_equal(mc_catalog_update_from_json(body, &f->a, &u, &err),
                     MC_OK);
    json_decref(body);
    assert_int_equal(u.nsteps, 1);
    assert_int_equal(u.steps[0].budget_minutes, 960);
    u.expect_version = 0;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_OK);
    assert_int_equal(latest(f, "2.000884")->version, 3);

    body = json_loads("{\"limit_unit\":\"weeks\",\"limit_value\":2}", 0,
                      NULL);
    assert_int_equal(mc_catalog_update_from_json(body, &f->a, &u, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "limit_unit");
    json_decref(body);
    body = json_loads("{\"limit_unit\":\"workdays\"}", 0, NULL);
    assert_int_equal(mc_catalog_update_from_json(body, &f->a, &u, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "limit_value");
    json_decref(body);
    body = json_loads("{\"limit_unit\":\"workdays\",\"limit_value\":1,"
                      "\"colour\":1}", 0, NULL);
    assert_int_equal(mc_catalog_update_from_json(body, &f->a, &u, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "colour");
    json_decref(body);
}

/* ---- round trips ---- */

static void
same_catalog(struct mc_db *a, struct mc_db *b, struct mc_arena *ar)
{
    struct mc_procedure_list l;
    struct mc_err err;
    int64_t total = 0;

    assert_int_equal(mc_catalog_search(a, NULL, NULL, 0, 200, 0, ar, &l,
                                       &total, &err),
                     MC_OK);
    assert_int_equal(l.n, 58);
    for (size_t i = 0; i < l.n; i++) {
        struct mc_procedure *pa, *pb;

        assert_int_equal(mc_catalog_get_latest(a, l.items[i].code, ar, &pa,
                                               &err),
                         MC_OK);
        assert_int_equal(mc_catalog_get_latest(b, l.items[i].code, ar, &pb,
                                               &err),
                         MC_OK);
        assert_int_equal(mc_catalog_same_content(pa, pb), 1);
    }
}

static void
test_json_round_trip(void **state)
{
    struct fx *f = *state, g;
    struct mc_catalog_import im;
    struct mc_catalog_update u;
    struct mc_buf out, out2;
    struct mc_err err;

    demo(f, T0, &im);
    memset(&u, 0, sizeof(u));
    u.at = T0 + DAY;
    u.code = "2.001406";
    u.limit_unit = MC_UNIT_SAMEDAY;
    u.cutoff_15h = 1;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_OK);
    mc_buf_init(&out, 16 << 20);
    mc_buf_init(&out2, 16 << 20);
    assert_int_equal(mc_catalog_export_json(f->db, &out, &err), MC_OK);
    assert_true(out.len > 100000);
    /* back into the same database: no new version */
    assert_int_equal(run_import(f, mc_catalog_import_json, out.data, NULL,
                                T0 + 2 * DAY, &im, &err),
                     MC_OK);
    assert_int_equal(im.total, 58);
    assert_int_equal(im.unchanged, 58);
    /* into a fresh database: the same content, and again no version */
    memset(&g, 0, sizeof(g));
    snprintf(g.dir, sizeof(g.dir), "%s", f->dir);
    assert_int_equal(open_db(&g, "g.db"), 0);
    assert_int_equal(run_import(&g, mc_catalog_import_json, out.data, NULL,
                                T0, &im, &err),
                     MC_OK);
    assert_int_equal(im.created, 58);
    same_catalog(f->db, g.db, &f->a);
    assert_int_equal(mc_catalog_export_json(g.db, &out2, &err), MC_OK);
    assert_int_equal(run_import(&g, mc_catalog_import_json, out2.data, NULL,
                                T0 + DAY, &im, &err),
                     MC_OK);
    assert_int_equal(im.unchanged, 58);
    close_db(&g);
    mc_buf_release(&out);
    mc_buf_release(&out2);
}

static void
test_csv_round_trip(void **state)
{
    struct fx *f = *state, g;
    struct mc_catalog_import im;
    struct mc_catalog_update u;
    struct mc_buf p, d;
    struct mc_err err;
    size_t slen = 0;
    const char *src = mc_embed_get("data/real/procedures.csv", &slen);

    demo(f, T0, &im);
    memset(&u, 0, sizeof(u));
    u.at = T0 + DAY;
    u.code = "2.001406";
    u.limit_unit = MC_UNIT_SAMEDAY;
    u.cutoff_15h = 1;
    assert_int_equal(mc_writer_run(f->w, mc_catalog_update_limit, &u, &err),
                     MC_OK);
    mc_buf_init(&p, 16 << 20);
    mc_buf_init(&d, 16 << 20);
    assert_int_equal(mc_catalog_export_csv(f->db, &p, &d, &err), MC_OK);
    /* the header is the source's */
    assert_non_null(src);
    assert_memory_equal(p.data, src, strchr(src, '\n') - src + 1);
    assert_int_equal(strncmp(d.data, DHDR, strlen(DHDR)), 0);
    assert_int_equal(run_import(f, mc_catalog_import_csv, p.data, d.data,
                                T0 + 2 * DAY, &im, &err),
                     MC_OK);
    assert_int_equal(im.unchanged, 58);
    /* a fresh database from the export has the same catalog */
    memset(&g, 0, sizeof(g));
    snprintf(g.dir, sizeof(g.dir), "%s", f->dir);
    assert_int_equal(open_db(&g, "g.db"), 0);
    assert_int_equal(run_import(&g, mc_catalog_import_csv, p.data, d.data,
                                T0, &im, &err),
                     MC_OK);
    assert_int_equal(im.created, 58);
    assert_int_equal(count(&g, "SELECT COUNT(*) FROM procedure_components"),
                     520);
    same_catalog(f->db, g.db, &f->a);
    close_db(&g);
    mc_buf_release(&p);
    mc_buf_release(&d);
}

static void
test_bad_input(void **state)
{
    struct fx *f = *state;
    struct mc_catalog_import im;
    struct mc_err err;
    const char *ok = "[{\"code\":\"9.000002\",\"name\":\"Thử\",\"field\":"
                     "\"Thử\",\"time_limit\":{\"value\":2,\"unit\":"
                     "\"workdays\"},\"components\":[{\"name\":\"Đơn\","
                     "\"kind\":\"original\",\"mandatory\":false}],"
                     "\"steps\":[{\"name\":\"Xử lý\",\"role\":"
                     "\"specialist\",\"budget_minutes\":960}]}]";
    struct mc_procedure *p;

    assert_int_equal(run_import(f, mc_catalog_import_json, ok, NULL, T0,
                                &im, &err),
                     MC_OK);
    p = latest(f, "9.000002");
    assert_int_equal(p->nsteps, 1);
    assert_int_equal(p->components[0].mandatory, 0);
    assert_int_equal(p->components[0].qty_original, 1);
    assert_string_equal(p->online_level, "none");

    /* unknown key, steps not adding up, duplicate code, bad JSON */
    assert_int_equal(run_import(f, mc_catalog_import_json,
                                "[{\"code\":\"9.000003\",\"name\":\"x\","
                                "\"field\":\"y\",\"colour\":1}]",
                                NULL, T0, &im, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "colour");
    assert_true(strstr(err.message, "element 1") != NULL);
    /* the first element is fine, the second fails: nothing is kept */
    assert_int_equal(run_import(f, mc_catalog_import_json,
                                "[{\"code\":\"9.000007\",\"name\":\"x\","
                                "\"field\":\"y\"},"
                                "{\"code\":\"9.000003\",\"name\":\"x\","
                                "\"field\":\"y\",\"time_limit\":{\"value\":"
                                "1,\"unit\":\"workdays\"},\"steps\":[{"
                                "\"name\":\"a\",\"role\":\"desk\","
                                "\"budget_minutes\":10}]}]",
                                NULL, T0, &im, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "steps");
    assert_true(strstr(err.message, "element 2") != NULL);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedures"), 1);
    /* control characters are refused */
    assert_int_equal(run_import(f, mc_catalog_import_csv,
                                HDR "9.000008,A\001,B,C,1,,,,,,,,,,,\r\n",
                                NULL, T0, &im, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "name");
    assert_int_equal(run_import(f, mc_catalog_import_json,
                                "[{\"code\":\"9.000003\",\"name\":\"x\","
                                "\"field\":\"y\"},{\"code\":\"9.000003\","
                                "\"name\":\"x\",\"field\":\"y\"}]",
                                NULL, T0, &im, &err),
                     MC_EINVAL);
    assert_int_equal(run_import(f, mc_catalog_import_json, "{}", NULL, T0,
                                &im, &err),
                     MC_EINVAL);
    /* CSV: an unknown unit names the line; nothing of the file is kept */
    assert_int_equal(run_import(f, mc_catalog_import_csv,
                                HDR "9.000004,A,B,C,1,,Miễn phí,Trực tiếp"
                                    ",,,,,,,,\r\n"
                                    "9.000005,A,B,C,3,tháng,,Trực tiếp"
                                    ",,,,,,,,\r\n",
                                NULL, T0, &im, &err),
                     MC_EINVAL);
    assert_true(strstr(err.message, "line 3") != NULL);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM procedures"), 1);
    /* documents of a procedure not in the file */
    assert_int_equal(run_import(f, mc_catalog_import_csv,
                                HDR "9.000004,A,B,C,1,,Miễn phí,Trực tiếp"
                                    ",,,,,,,,\r\n",
                                DHDR "9.000099,1,X,bản chính,,,--,1,0,\r\n",
                                T0, &im, &err),
                     MC_EINVAL);
    /* a missing required column */
    assert_int_equal(run_import(f, mc_catalog_import_csv,
                                "code,name\r\n9.000006,A\r\n", NULL, T0,
                                &im, &err),
                     MC_EINVAL);
    assert_string_equal(err.field, "field");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_steps),
        cmocka_unit_test(test_parse_source_values),
        T(test_demo_import),
        T(test_search),
        T(test_public_json),
        T(test_versions_by_effective_date),
        T(test_admin_update),
        T(test_update_from_json),
        T(test_json_round_trip),
        T(test_csv_round_trip),
        T(test_bad_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
