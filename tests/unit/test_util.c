/*
 * test_util.c - util: arena, bounded buffers, text (UTF-8, NFC, folding,
 * Vietnamese sort keys), time, reporting periods, CSV, JSON validation, allocation failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/file.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/period.h"
#include "util/text.h"

static void
test_arena(void **state)
{
    struct mc_arena a;
    char *s;

    (void)state;
    mc_arena_init(&a, 64 * 1024);
    for (int i = 0; i < 100; i++) {
        void *p = mc_arena_alloc(&a, 100);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
    }
    s = mc_arena_printf(&a, "%s-%d", "mã", 42);
    assert_string_equal(s, "mã-42");
    /* over the limit fails instead of growing */
    assert_null(mc_arena_alloc(&a, 128 * 1024));
    mc_arena_release(&a);
    assert_null(a.head);
}

static void
test_buf_bounds(void **state)
{
    struct mc_buf b;

    (void)state;
    mc_buf_init(&b, 10);
    assert_int_equal(mc_buf_adds(&b, "12345"), MC_OK);
    assert_int_equal(mc_buf_printf(&b, "%d", 6789), MC_OK);
    assert_int_equal(b.len, 9);
    assert_int_equal(mc_buf_adds(&b, "ab"), MC_ETOOBIG);
    assert_int_equal(b.len, 9); /* unchanged */
    assert_string_equal(b.data, "123456789");
    assert_int_equal(mc_buf_addc(&b, 'x'), MC_OK);
    assert_int_equal(mc_buf_addc(&b, 'y'), MC_ETOOBIG);
    mc_buf_release(&b);
}

static void
test_alloc_failure(void **state)
{
    struct mc_buf b;

    (void)state;
    mc_buf_init(&b, 1000);
    mc_alloc_fail_after(1);
    assert_int_equal(mc_buf_adds(&b, "x"), MC_ENOMEM);
    assert_int_equal(b.len, 0);
    assert_int_equal(mc_buf_adds(&b, "x"), MC_OK);
    mc_buf_release(&b);
}

/* Bytes glibc holds in blocks mapped on their own. */
static size_t
mapped_bytes(void)
{
    return mallinfo2().hblkhd;
}

/*
 * mc_alloc_tune_server: a freed block of 19 MiB (an argon2id scratch) was
 * mapped on its own and unmapped by free, and so is the next one (glibc's
 * own rule would serve that from a heap, which keeps it); a 1 MiB block
 * (the writer's sub-journal) stays in the heap.
 */
static void
test_alloc_tune_server(void **state)
{
    size_t base, big = 19u << 20;
    char *p;

    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* ASan's allocator replaces glibc's */
#endif
    mc_alloc_tune_server();
    for (int i = 0; i < 2; i++) {
        base = mapped_bytes();
        p = mc_malloc(big);
        assert_non_null(p);
        p[0] = p[big - 1] = 1;
        assert_true(mapped_bytes() >= base + big);
        mc_free(p);
        assert_int_equal(mapped_bytes(), base);
    }
    base = mapped_bytes();
    p = mc_malloc(1u << 20);
    assert_non_null(p);
    p[0] = 1;
    assert_int_equal(mapped_bytes(), base);
    mc_free(p);
}

/* Resident bytes of this process (/proc/self/statm). */
static size_t
resident_bytes(void)
{
    unsigned long size = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    assert_non_null(f);
    assert_int_equal(fscanf(f, "%lu %lu", &size, &res), 2);
    fclose(f);
    return (size_t)res * (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * mc_alloc_release_idle: 4 MiB freed in 16 KiB blocks stay resident in
 * the heap (under MC_ALLOC_TRIM, as a report's rows and trees do in a
 * worker's heap) until the call gives them back; a second call at once
 * does nothing.
 */
static void
test_alloc_release_idle(void **state)
{
    enum { N = 256, SZ = 16 << 10 };
    char *p[N];
    size_t held, after;

    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* ASan's allocator replaces glibc's */
#endif
    mc_alloc_tune_server();
    for (int i = 0; i < N; i++) {
        p[i] = mc_malloc(SZ);
        assert_non_null(p[i]);
        memset(p[i], 1, SZ);
    }
    for (int i = 0; i < N; i++) {
        mc_free(p[i]);
    }
    held = resident_bytes();
    assert_int_equal(mc_alloc_release_idle(), 1);
    after = resident_bytes();
    assert_true(after + (size_t)N * SZ / 2 < held);
    assert_int_equal(mc_alloc_release_idle(), 0);
}

static void
test_utf8_valid(void **state)
{
    (void)state;
    assert_true(mc_utf8_valid("Nguyễn Văn Đức", strlen("Nguyễn Văn Đức")));
    assert_false(mc_utf8_valid("\xC3\x28", 2));         /* bad continuation */
    assert_false(mc_utf8_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(mc_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(mc_utf8_valid("\xE1\xBB", 2));         /* truncated */
    assert_false(mc_utf8_valid("a\0b", 3));             /* NUL */
    assert_true(mc_utf8_valid("\xF0\x9F\x98\x80", 4));  /* emoji */
}

static void
test_fold(void **state)
{
    struct mc_arena a;

    (void)state;
    mc_arena_init(&a, 0);
    assert_string_equal(mc_fold(&a, "Nguyễn Văn Đức"), "nguyen van duc");
    assert_string_equal(mc_fold(&a, "  Thủ tục   đăng ký\tkhai sinh "),
                        "thu tuc dang ky khai sinh");
    /* NFD input folds the same as NFC */
    assert_string_equal(mc_fold(&a, "Nguye\xCC\x82\xCC\x83n"), "nguyen");
    assert_string_equal(mc_fold(&a, "ĐƯỜNG"), "duong");
    assert_null(mc_fold(&a, "\xC3\x28"));
    /* NFC normalisation */
    assert_string_equal(mc_utf8_nfc(&a, "Nguye\xCC\x82\xCC\x83n"), "Nguyễn");
    mc_arena_release(&a);
}

static void
test_vi_sortkey(void **state)
{
    struct mc_arena a;
    /* Vietnamese alphabet: a < ă < â < b ... d < đ ... o < ô < ơ */
    const char *order[] = {"an", "ăn", "ân", "bé", "dê", "đê", "oi", "ôi",
                           "ơi", "u", "ư"};

    (void)state;
    mc_arena_init(&a, 0);
    for (size_t i = 0; i + 1 < sizeof(order) / sizeof(order[0]); i++) {
        const char *k1 = mc_vi_sortkey(&a, order[i]);
        const char *k2 = mc_vi_sortkey(&a, order[i + 1]);
        assert_true(strcmp(k1, k2) < 0);
    }
    /* tone is secondary: "ma" < "má" < "mai" */
    assert_true(strcmp(mc_vi_sortkey(&a, "ma"), mc_vi_sortkey(&a, "má")) < 0);
    assert_true(strcmp(mc_vi_sortkey(&a, "má"), mc_vi_sortkey(&a, "mai")) <
                0);
    mc_arena_release(&a);
}

static void
test_time(void **state)
{
    int32_t d;
    int64_t ts;
    char s[40];
    int y, m, dd;

    (void)state;
    assert_int_equal(mc_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(mc_weekday(mc_days_from_civil(2026, 11, 26)), 4);
    for (int32_t z = -800000; z < 800000; z += 997) {
        mc_civil_from_days(z, &y, &m, &dd);
        assert_int_equal(mc_days_from_civil(y, m, dd), z);
    }
    assert_int_equal(mc_parse_date("2024-02-29", &d), 0);
    assert_int_equal(mc_parse_date("2023-02-29", &d), -1);
    assert_int_equal(mc_parse_date("2024-2-29", &d), -1);
    /* local time is UTC+7 */
    assert_int_equal(mc_parse_ts("2026-01-01T07:00", &ts), 0);
    assert_int_equal(ts % 86400, 0);
    assert_int_equal(mc_parse_ts("2026-01-01T00:00:00Z", &ts), 0);
    mc_fmt_ts(ts, s, sizeof(s));
    assert_string_equal(s, "2026-01-01T07:00:00+07:00");
    assert_int_equal(mc_local_secs(ts), 7 * 3600);
    assert_int_equal(mc_parse_ts("2026-01-01T25:00", &ts), -1);
    assert_int_equal(mc_parse_ts("2026-01-01T10:00+07:00x", &ts), -1);
    mc_fmt_date_vn(mc_days_from_civil(2030, 2, 2), s, sizeof(s));
    assert_string_equal(s, "02/02/2030");
    /* the digit writers of mc_fmt_ts and mc_fmt_date are printf's forms,
     * also past year 9999 and before year 0 (printf then) and truncated */
    for (int64_t t = -62167219200LL - 86400 * 3; t < 253402300800LL + 86400 * 3;
         t += 86400LL * 977 + 3727) {
        char want[64], full[64], ds[16];
        int secs = mc_local_secs(t);

        mc_civil_from_days(mc_local_day(t), &y, &m, &dd);
        snprintf(full, sizeof(full), "%04d-%02d-%02dT%02d:%02d:%02d+07:00",
                 y, m, dd, secs / 3600, secs / 60 % 60, secs % 60);
        mc_fmt_ts(t, s, sizeof(s));
        assert_string_equal(s, full);
        mc_fmt_date(mc_local_day(t), ds, sizeof(ds));
        snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, dd);
        assert_string_equal(ds, want);
        mc_fmt_ts(t, ds, 12); /* too small: cut as snprintf cuts */
        memcpy(want, full, 11);
        want[11] = '\0';
        assert_string_equal(ds, want);
    }
    mc_fmt_ts(253402300800LL, s, sizeof(s)); /* year 10000: printf's form */
    assert_string_equal(s, "10000-01-01T07:00:00+07:00");
}

static void
test_csv(void **state)
{
    const char *data = "# comment\n# more\na,b,c\n1,\"x, \"\"y\"\"\",\n"
                       "2,\"multi\nline\",z\r\n\n";
    struct mc_csv c;
    struct mc_err err;
    struct mc_buf b;

    (void)state;
    mc_csv_init(&c, data, strlen(data));
    assert_int_equal(mc_csv_next(&c, &err), 1);
    assert_int_equal(c.nf, 3);
    assert_int_equal(mc_csv_col(&c, "c"), 2);
    assert_int_equal(mc_csv_next(&c, &err), 1);
    assert_string_equal(c.f[1], "x, \"y\"");
    assert_string_equal(c.f[2], "");
    assert_int_equal(mc_csv_next(&c, &err), 1);
    assert_string_equal(c.f[1], "multi\nline");
    assert_string_equal(c.f[2], "z");
    assert_int_equal(mc_csv_next(&c, &err), 0);
    mc_csv_release(&c);

    mc_csv_init(&c, "a,\"b\n", 5);
    assert_int_equal(mc_csv_next(&c, &err), MC_EINVAL);
    assert_string_equal(err.code, "csv_quote");
    mc_csv_release(&c);

    mc_buf_init(&b, 100);
    assert_int_equal(mc_csv_put(&b, "a,\"b\""), MC_OK);
    assert_string_equal(b.data, "\"a,\"\"b\"\"\"");
    mc_buf_release(&b);
}

static void
test_json(void **state)
{
    struct mc_arena a;
    struct mc_err err;
    json_t *o = NULL;
    const char *s;
    int64_t i = 0;
    static const char *const allowed[] = {"name", "n", NULL};

    (void)state;
    mc_arena_init(&a, 0);
    assert_int_equal(mc_json_parse_object("{\"a\":1,\"a\":2}", 13, &o, &err),
                     MC_EINVAL);
    assert_int_equal(mc_json_parse_object("[1]", 3, &o, &err), MC_EINVAL);
    assert_int_equal(mc_json_parse_object("{\"name\":\"\xC3\x28\"}", 13, &o,
                                          &err),
                     MC_EINVAL);
    assert_int_equal(mc_json_parse_object("", 0, &o, &err), MC_EINVAL);
    assert_string_equal(err.code, "empty_body");

    assert_int_equal(
        mc_json_parse_object("{\"name\":\"Nguye\\u0302\\u0303n\",\"n\":5}",
                             35, &o, &err),
        MC_OK);
    assert_int_equal(mc_json_only(o, allowed, &err), MC_OK);
    assert_int_equal(mc_json_str(o, "name", 1, 10, &a, &s, &err), MC_OK);
    assert_string_equal(s, "Nguyễn"); /* NFC */
    assert_int_equal(mc_json_str(o, "name", 1, 3, &a, &s, &err), MC_EINVAL);
    assert_string_equal(err.code, "too_long");
    assert_string_equal(err.field, "name");
    assert_int_equal(mc_json_int(o, "n", 1, 0, 4, &i, &err), MC_EINVAL);
    assert_string_equal(err.code, "out_of_range");
    assert_int_equal(mc_json_int(o, "n", 1, 0, 9, &i, &err), MC_OK);
    assert_int_equal(i, 5);
    assert_int_equal(mc_json_str(o, "n", 1, 9, &a, &s, &err), MC_EINVAL);
    assert_string_equal(err.code, "wrong_type");
    assert_int_equal(mc_json_str(o, "missing", 1, 9, &a, &s, &err),
                     MC_EINVAL);
    assert_string_equal(err.code, "missing_field");
    json_decref(o);

    assert_int_equal(mc_json_parse_object("{\"x\":1}", 7, &o, &err), MC_OK);
    assert_int_equal(mc_json_only(o, allowed, &err), MC_EINVAL);
    assert_string_equal(err.code, "unknown_field");
    assert_string_equal(err.field, "x");
    json_decref(o);
    mc_arena_release(&a);
}

static void
test_file_read(void **state)
{
    char path[] = "/tmp/mc_test_file_XXXXXX";
    struct mc_buf b;
    int fd;

    (void)state;
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "Hà Nội", 9), 9);
    close(fd);
    mc_buf_init(&b, 100);
    assert_int_equal(mc_file_read(path, &b), MC_OK);
    assert_string_equal(b.data, "Hà Nội");
    mc_buf_release(&b);
    mc_buf_init(&b, 4);
    assert_int_equal(mc_file_read(path, &b), MC_ETOOBIG);
    mc_buf_release(&b);
    unlink(path);
    mc_buf_init(&b, 100);
    assert_int_equal(mc_file_read(path, &b), MC_ENOTFOUND);
    assert_int_equal(mc_file_read("/tmp", &b), MC_ENOTFOUND);
    mc_buf_release(&b);
}

static void
test_period(void **state)
{
    struct mc_period p, q;
    static const char *bad[] = {
        "", "202", "2026-13", "2026-00", "2026-Q0", "2026-Q5", "1899",
        "2200", "2026-1", "2026-10-01..2026-09-30", "20x6",
        "2026-10-01..2036-12-31", "2026-02-30..2026-03-01", "2026-10-01.."};

    (void)state;
    assert_int_equal(mc_period_parse("2026-10", &p), 0);
    assert_int_equal(p.kind, MC_PERIOD_MONTH);
    assert_int_equal(p.from, mc_days_from_civil(2026, 10, 1));
    assert_int_equal(p.to, mc_days_from_civil(2026, 10, 31));
    assert_string_equal(p.label, "2026-10");
    assert_int_equal(mc_period_parse("2024-02", &p), 0);
    assert_int_equal(mc_period_days(&p), 29); /* leap year */
    assert_int_equal(mc_period_parse("2026-q3", &p), 0);
    assert_string_equal(p.label, "2026-Q3");
    assert_int_equal(p.from, mc_days_from_civil(2026, 7, 1));
    assert_int_equal(p.to, mc_days_from_civil(2026, 9, 30));
    mc_period_prev(&p, &q);
    assert_string_equal(q.label, "2026-Q2");
    assert_int_equal(mc_period_parse("2026-Q1", &p), 0);
    mc_period_prev(&p, &q);
    assert_string_equal(q.label, "2025-Q4");
    assert_int_equal(q.to, mc_days_from_civil(2025, 12, 31));
    assert_int_equal(mc_period_parse("2026", &p), 0);
    assert_int_equal(mc_period_days(&p), 365);
    mc_period_prev(&p, &q);
    assert_string_equal(q.label, "2025");
    assert_int_equal(mc_period_parse("2026-01", &p), 0);
    mc_period_prev(&p, &q);
    assert_string_equal(q.label, "2025-12");
    assert_int_equal(mc_period_parse("2026-10-05..2026-10-11", &p), 0);
    assert_int_equal(p.kind, MC_PERIOD_RANGE);
    assert_int_equal(mc_period_days(&p), 7);
    mc_period_prev(&p, &q);
    assert_string_equal(q.label, "2026-09-28..2026-10-04");
    mc_period_month_of(mc_days_from_civil(2026, 11, 27), &p);
    assert_string_equal(p.label, "2026-11");
    assert_int_equal(p.to, mc_days_from_civil(2026, 11, 30));
    p.label[0] = 'x';
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(mc_period_parse(bad[i], &p), -1);
    }
    assert_int_equal(mc_period_parse(NULL, &p), -1);
    assert_int_equal(p.label[0], 'x'); /* untouched on failure */
}

/* mc_json_dump writes exactly what jansson's compact dump writes. */
static void
dump_same(json_t *v)
{
    struct mc_buf b;
    char *j = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));

    assert_non_null(j);
    mc_buf_init(&b, 1u << 20);
    assert_int_equal(mc_json_dump(v, &b), MC_OK);
    assert_string_equal(b.data, j);
    free(j);
    mc_buf_release(&b);
}

static void
test_json_dump(void **state)
{
    static const double reals[] = {0.0, -0.0, 1.0, 0.1, -2.5, 1e20, 1e-5,
                                   123456789012345678.0, 3.14159265358979,
                                   1e300, -7.25e-300, 100.0, 2.0 / 3.0};
    static const char *const strs[] = {
        "", "plain", "Nguyễn Văn Đức", "q\"b\\s/", "\b\f\n\r\t",
        "\x01\x1f\x7f", "\xe2\x80\xa8 U+2028", "ký tự \"đặc biệt\"\n"};
    json_t *o = json_object(), *a = json_array(), *v, *raw;
    struct mc_buf b;
    unsigned seed = 7;

    (void)state;
    for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
        json_array_append_new(a, json_real(reals[i]));
    }
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        json_array_append_new(a, json_string(strs[i]));
        json_object_set_new(o, strs[i], json_integer((json_int_t)i - 3));
    }
    json_array_append_new(a, json_stringn("nul\0byte", 8));
    json_array_append_new(a, json_integer(INT64_MIN));
    json_array_append_new(a, json_integer(INT64_MAX));
    json_array_append_new(a, json_true());
    json_array_append_new(a, json_false());
    json_array_append_new(a, json_null());
    json_array_append_new(a, json_object());
    json_array_append_new(a, json_array());
    json_object_set(o, "list", a);
    json_object_set_new(o, "nested", json_pack("{s:[{s:[]}],s:{}}", "x",
                                               "y", "z"));
    for (int i = 0; i < 200; i++) { /* pseudo-random reals */
        seed = seed * 1103515245u + 12345u;
        json_array_append_new(a, json_real((double)(int)seed /
                                           (double)(seed % 9973 + 1)));
    }
    dump_same(o);
    dump_same(a);
    json_decref(a);

    /* scalars are refused at the top, as jansson does */
    mc_buf_init(&b, 1u << 20);
    v = json_integer(1);
    assert_int_equal(mc_json_dump(v, &b), MC_ETOOBIG);
    json_decref(v);

    /* raw fragments are written verbatim, other strings are escaped */
    raw = mc_json_raw("{\"a\":[1,\"x\\\"y\"],\"b\":\"Hà Nội\"}");
    assert_non_null(raw);
    json_object_set_new(o, "raw", raw);
    json_object_set_new(o, "fake", json_string("\x01" "0123456789abcdef"
                                               "\x01{}"));
    v = json_pack("{s:O}", "o", o);
    assert_int_equal(mc_json_dump(v, &b), MC_OK);
    assert_non_null(strstr(b.data, "\"raw\":{\"a\":[1,\"x\\\"y\"],\"b\":"
                                   "\"Hà Nội\"}"));
    assert_non_null(strstr(b.data, "\"fake\":\"\\u00010123456789abcdef"
                                   "\\u0001{}\""));
    json_decref(v);
    json_decref(o);

    /* a full buffer: error, and nothing half-written */
    mc_buf_release(&b);
    mc_buf_init(&b, 8);
    assert_int_equal(mc_buf_add(&b, "ab", 2), MC_OK);
    v = json_pack("{s:s}", "key", "a long enough value");
    assert_int_equal(mc_json_dump(v, &b), MC_ETOOBIG);
    assert_int_equal(b.len, 2);
    json_decref(v);
    mc_buf_release(&b);
}

/* mc_json_canonical writes exactly json_dumps(SORT_KEYS | COMPACT |
 * ENCODE_ANY): the audit chain's payload text and hashes depend on it. */
static void
canon_same(json_t *v)
{
    struct mc_buf b;
    char *j = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);

    assert_non_null(j);
    mc_buf_init(&b, 1u << 22);
    assert_int_equal(mc_json_canonical(v, &b), MC_OK);
    assert_string_equal(b.data, j);
    free(j);
    mc_buf_release(&b);
}

static void
test_json_canonical(void **state)
{
    static const char *const keys[] = {
        "zeta", "Zeta", "alpha", "", "đơn_vị", "don_vi", "Đ", "ý kiến",
        "a\"q", "a", "ab", "a b", "a\tb", "\x01ctl", "~", "\x7f",
        "Nguyễn", "Nguyen", "nguyễn", "\xe2\x80\xa8", "10", "9", "_x",
        "result_text", "state", "due_at", "from", "to", "actor", "at",
        "reason", "unit", "code", "assignee", "version", "components"};
    static const double reals[] = {0.1, 2.0 / 3.0, 1e20, -7.25e-300, 100.0,
                                   123456789012345678.0, 0.3};
    json_t *o = json_object(), *inner = json_object(), *a = json_array();
    json_t *v, *raw;
    struct mc_buf b;
    unsigned seed = 11;

    (void)state;
    /* more keys than the sort's stack array, inserted out of order */
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        size_t k = (i * 7) % (sizeof(keys) / sizeof(keys[0]));
        json_object_set_new(o, keys[k], json_integer((json_int_t)k - 5));
        json_object_set_new(inner, keys[(k + 3) %
                                        (sizeof(keys) / sizeof(keys[0]))],
                            json_string(keys[k]));
    }
    for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
        json_array_append_new(a, json_real(reals[i]));
    }
    json_array_append_new(a, json_string("Hồ sơ \"đặc biệt\"\n\b\f\r\t/"
                                         "\x01\x1f\x7f \xe2\x80\xa9"));
    json_array_append_new(a, json_stringn("nul\0byte", 8));
    json_array_append_new(a, json_integer(INT64_MIN));
    json_array_append_new(a, json_integer(INT64_MAX));
    json_array_append_new(a, json_pack("{s:b,s:n,s:{},s:[]}", "t", 1, "n",
                                       "o", "e"));
    json_array_append_new(a, json_pack("{s:{s:i,s:{s:s,s:s}},s:i}", "b",
                                       "y", 2, "x", "q", "Quận 1", "p",
                                       "Phường Đức", "a", 1));
    json_object_set(inner, "list", a);
    json_object_set(o, "inner", inner);
    json_object_set(o, "list", a);
    for (int i = 0; i < 100; i++) { /* pseudo-random reals */
        seed = seed * 1103515245u + 12345u;
        json_array_append_new(a, json_real((double)(int)seed /
                                           (double)(seed % 9973 + 1)));
    }
    /* a raw value is a plain (prefixed) string to jansson, so here too */
    raw = mc_json_raw("{\"a\":1}");
    assert_non_null(raw);
    json_object_set_new(o, "raw", raw);
    canon_same(o);
    canon_same(inner);
    canon_same(a);

    /* scalars and empty containers at the top (JSON_ENCODE_ANY) */
    v = json_object();
    canon_same(v);
    json_decref(v);
    v = json_string("Văn bản \"trích\"");
    canon_same(v);
    json_decref(v);
    v = json_integer(-42);
    canon_same(v);
    json_decref(v);
    v = json_null();
    canon_same(v);
    json_decref(v);

    /* a full buffer: error, and nothing half-written */
    mc_buf_init(&b, 8);
    assert_int_equal(mc_buf_add(&b, "ab", 2), MC_OK);
    assert_int_equal(mc_json_canonical(o, &b), MC_ETOOBIG);
    assert_int_equal(b.len, 2);
    mc_buf_release(&b);
    json_decref(a);
    json_decref(inner);
    json_decref(o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena),       cmocka_unit_test(test_buf_bounds),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_alloc_tune_server),
        cmocka_unit_test(test_alloc_release_idle),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_fold),        cmocka_unit_test(test_vi_sortkey),
        cmocka_unit_test(test_time),        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json),        cmocka_unit_test(test_file_read),
        cmocka_unit_test(test_period),      cmocka_unit_test(test_json_dump),
        cmocka_unit_test(test_json_canonical),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
