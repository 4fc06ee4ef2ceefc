/*
 * test_dossier_list_json.c - the list answer's rows written without a
 * jansson tree (mc_dossier_list_item_write) against the tree they
 * replaced: for 3,000 random lists of 0 to 60 rows with every field
 * absent, present, empty, escaped (quotes, backslashes, controls,
 * Vietnamese), extreme integers, every state and an unknown one, the
 * bytes of {"items":[...],"total":..,"total_capped":..,"limit":..,
 * "offset":..} must equal mc_json_dump of the object the list built with
 * json_pack before (kept below as the reference). tests/unit/
 * test_dossier_list.c compares whole answers read from a database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzzrand.h"

#include "db/q_dossier.h"
#include "domain/dossier.h"
#include "util/buf.h"
#include "util/json.h"

/* The former row of mc_q_dossier_list, field for field. */
static json_t *
reference_row(const struct mc_q_dossier_row *r)
{
    int si = mc_dstate_parse(r->state);

    return json_pack(
        "{s:I,s:s?,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:I,s:I,s:o}",
        "id", (json_int_t)r->id, "code", r->code, "procedure_code",
        r->procedure_code, "procedure_name", r->procedure_name,
        "applicant_name", r->applicant_name, "state", r->state,
        "state_label",
        mc_dstate_label_vi(si < 0 ? MC_DS_SUBMITTED : (enum mc_dstate)si),
        "status", (json_int_t)r->status, "channel", (json_int_t)r->channel,
        "submitted_at", mc_json_ts_value(r->submitted_at), "received_at",
        mc_json_ts_value(r->received_at), "due_at",
        mc_json_ts_value(r->due_at), "assignee_id",
        (json_int_t)r->assignee_id, "unit_id", (json_int_t)r->unit_id,
        "finished_at", mc_json_ts_value(r->finished_at));
}

static const char *const texts[] = {
    "", "Nguyễn Văn Đức", "a \"quoted\" \\ back\\slash", "tab\there\nline",
    "\x01\x1f control \x7f", "Thủ tục đăng ký khai sinh", "1.001193",
    "H26.00004-261127-0001", "\xe2\x80\xa8 U+2028", "/1/5/27/",
};

static const char *
rtext(void)
{
    return texts[(rnd() >> 8) % (sizeof(texts) / sizeof(texts[0]))];
}

static void
random_row(struct mc_q_dossier_row *r)
{
    uint64_t s = rnd() % (MC_DS__COUNT + 1);

    memset(r, 0, sizeof(*r));
    r->id = rint64();
    r->code = rnd() % 3 == 0 ? NULL : rtext();
    r->procedure_code = rtext();
    r->procedure_name = rtext();
    r->applicant_name = rtext();
    r->state = s < MC_DS__COUNT ? mc_dstate_name((enum mc_dstate)s)
                                : "no_such_state";
    r->status = rint64();
    r->channel = (int64_t)(rnd() % 4);
    r->submitted_at = rts();
    r->received_at = rts();
    r->due_at = rts();
    r->finished_at = rts();
    r->assignee_id = rnd() % 2 ? 0 : rint64();
    r->unit_id = rint64();
}

static void
test_items_equal_tree(void **state)
{
    int nonempty = 0;

    (void)state;
    for (int i = 0; i < 3000; i++) {
        int nrows = (int)(rnd() % 61);
        int64_t total = (int64_t)(rnd() % 10001);
        int capped = (int)(rnd() % 2);
        int64_t limit = 1 + (int64_t)(rnd() % 500);
        int64_t offset = (int64_t)(rnd() % 10000000);
        json_t *items = json_array(), *o;
        struct mc_buf got, want;
        struct mc_jw w;

        assert_non_null(items);
        mc_buf_init(&want, 1u << 22);
        mc_buf_init(&got, 1u << 22);
        mc_jw_begin(&w, &got);
        mc_jw_array(&w, "items");
        for (int k = 0; k < nrows; k++) {
            struct mc_q_dossier_row r;
            json_t *ref;

            random_row(&r);
            ref = reference_row(&r);
            assert_non_null(ref);
            assert_int_equal(json_array_append_new(items, ref), 0);
            mc_dossier_list_item_write(&w, &r);
        }
        nonempty += nrows > 0;
        mc_jw_array_end(&w);
        mc_jw_int(&w, "total", total);
        mc_jw_bool(&w, "total_capped", capped);
        mc_jw_int(&w, "limit", limit);
        mc_jw_int(&w, "offset", offset);
        assert_int_equal(mc_jw_end(&w), MC_OK);
        o = json_pack("{s:o,s:I,s:b,s:I,s:I}", "items", items, "total",
                      (json_int_t)total, "total_capped", capped, "limit",
                      (json_int_t)limit, "offset", (json_int_t)offset);
        assert_non_null(o);
        assert_int_equal(mc_json_dump(o, &want), MC_OK);
        if (got.len != want.len || memcmp(got.data, want.data, got.len)) {
            fail_msg("list %d differs:\n got %s\nwant %s", i, got.data,
                     want.data);
        }
        mc_buf_release(&got);
        mc_buf_release(&want);
        json_decref(o);
    }
    assert_true(nonempty > 2800);
}

/* A buffer too small for the rows: an error, never a partial success. */
static void
test_items_bounded(void **state)
{
    struct mc_q_dossier_row r;
    struct mc_buf b;
    struct mc_jw w;

    (void)state;
    random_row(&r);
    r.applicant_name = "Nguyễn Văn Đức";
    mc_buf_init(&b, 64);
    mc_jw_begin(&w, &b);
    mc_jw_array(&w, "items");
    mc_dossier_list_item_write(&w, &r);
    mc_jw_array_end(&w);
    assert_int_equal(mc_jw_end(&w), MC_ETOOBIG);
    mc_buf_release(&b);
}

int
main(void)
{
    rnd_state = 0x2545f4914f6cdd1du;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items_equal_tree),
        cmocka_unit_test(test_items_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
