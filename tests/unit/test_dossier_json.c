/*
 * test_dossier_json.c - the dossier answer written without a jansson tree
 * (mc_dossier_json_write) against the tree it replaced: for thousands of
 * dossiers with every field absent, present, empty, escaped (quotes,
 * backslashes, controls, Vietnamese), extreme integers, every state, a
 * stored due_provenance, each role's allowed actions and a ledger, the
 * bytes must equal mc_json_dump of the object that mc_dossier_json built
 * with json_pack before (kept below as the reference), and
 * mc_dossier_json (now a parse of the text) must dump to the same bytes.
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

#include "domain/dossier.h"
#include "util/buf.h"
#include "util/json.h"

/* The former mc_dossier_json, field for field. */
static json_t *
reference(const struct mc_dossier *d)
{
    json_t *o, *prov = NULL;

    if (d->due_provenance != NULL) {
        prov = mc_json_raw(d->due_provenance);
    }
    o = json_pack(
        "{s:I,s:s?,s:I,s:s,s:I,s:I,s:I,s:{s:s,s:s?,s:s?,s:s?,s:s?},s:s?,"
        "s:I,s:s,s:s,s:I}",
        "id", (json_int_t)d->id, "code", d->code, "procedure_id",
        (json_int_t)d->procedure_id, "procedure_code", d->procedure_code,
        "receiving_unit_id", (json_int_t)d->recv_unit_id, "unit_id",
        (json_int_t)d->unit_id, "applicant_id", (json_int_t)d->applicant_id,
        "applicant", "name", d->applicant_name, "id_number",
        d->applicant_id_number, "phone", d->applicant_phone, "email",
        d->applicant_email, "address", d->applicant_address, "summary",
        d->summary, "channel", (json_int_t)d->channel, "state",
        mc_dstate_name(d->state), "state_label",
        mc_dstate_label_vi(d->state), "status",
        (json_int_t)mc_dstate_dvcqg(d->state));
    assert_non_null(o);
    json_object_set_new(o, "submitted_at", mc_json_ts_value(d->submitted_at));
    json_object_set_new(o, "received_at", mc_json_ts_value(d->received_at));
    json_object_set_new(o, "due_at", mc_json_ts_value(d->due_at));
    json_object_set_new(o, "due_original", mc_json_ts_value(d->due_original));
    json_object_set_new(o, "due_provenance", prov ? prov : json_null());
    json_object_set_new(o, "finished_at", mc_json_ts_value(d->finished_at));
    json_object_set_new(o, "returned_at", mc_json_ts_value(d->returned_at));
    json_object_set_new(o, "refused_at", mc_json_ts_value(d->refused_at));
    json_object_set_new(o, "stopped_at", mc_json_ts_value(d->stopped_at));
    json_object_set_new(o, "paused_since", mc_json_ts_value(d->paused_at));
    json_object_set_new(o, "paused_seconds", json_integer(d->paused_total));
    json_object_set_new(o, "reschedules", json_integer(d->reschedules));
    json_object_set_new(o, "supplement_requests",
                        json_integer(d->supplements));
    json_object_set_new(o, "step", json_integer(d->step_seq));
    json_object_set_new(o, "assignee_id",
                        d->assignee_id ? json_integer(d->assignee_id)
                                       : json_null());
    json_object_set_new(o, "consult_unit_id",
                        d->consult_unit_id ? json_integer(d->consult_unit_id)
                                           : json_null());
    json_object_set_new(o, "consult_due", mc_json_ts_value(d->consult_due));
    json_object_set_new(o, "result",
                        d->result_text ? json_string(d->result_text)
                                       : json_null());
    json_object_set_new(o, "version", json_integer(d->version));
    json_object_set_new(o, "updated_at", mc_json_ts_value(d->updated_at));
    return o;
}

static const char *const texts[] = {
    "", "Nguyễn Văn Đức", "a \"quoted\" \\ back\\slash", "tab\there\nline",
    "\x01\x1f control \x7f", "Phường Ba Đình, Hà Nội", "0912345678",
    "x@example.vn", "\xe2\x80\xa8 U+2028", "/1/5/27/",
};

/* NULL about one time in three when nullable, else one of texts. */
static const char *
rtext(int nullable)
{
    uint64_t r = rnd();

    if (nullable && r % 3 == 0) {
        return NULL;
    }
    return texts[(r >> 8) % (sizeof(texts) / sizeof(texts[0]))];
}

static void
random_dossier(struct mc_dossier *d)
{
    memset(d, 0, sizeof(*d));
    d->id = rint64();
    d->code = rtext(1);
    d->procedure_id = rint64();
    d->procedure_code = rtext(0);
    d->recv_unit_id = rint64();
    d->unit_id = rint64();
    d->recv_unit_path = rnd() % 2 ? "/1/5/" : "/1/6/";
    d->unit_path = rnd() % 2 ? "/1/5/" : "/1/6/27/";
    d->applicant_id = rnd() % 2 ? 0 : 77;
    d->applicant_name = rtext(0);
    d->applicant_id_number = rtext(1);
    d->applicant_phone = rtext(1);
    d->applicant_email = rtext(1);
    d->applicant_address = rtext(1);
    d->summary = rtext(1);
    d->channel = (int)(rnd() % 4);
    d->state = (enum mc_dstate)(rnd() % MC_DS__COUNT);
    d->submitted_at = rts();
    d->received_at = rts();
    d->due_at = rts();
    d->due_original = rts();
    d->due_provenance = rnd() % 2
        ? NULL
        : "{\"basis\":\"1.001193 v1\",\"days\":[\"2026-11-27\",1],"
          "\"cite\":\"Điều 9 \\\"Nghị định\\\" 61/2018\",\"n\":-3}";
    d->finished_at = rts();
    d->returned_at = rts();
    d->refused_at = rts();
    d->stopped_at = rts();
    d->paused_at = rts();
    d->paused_total = rint64();
    d->reschedules = (int)(rnd() % 3);
    d->supplements = (int)(rnd() % 3);
    d->step_seq = (int)(rnd() % 6);
    d->assignee_id = rnd() % 2 ? 0 : rint64();
    d->consult_unit_id = rnd() % 2 ? 0 : rint64();
    d->consult_unit_path = rnd() % 2 ? NULL : "/1/6/";
    d->consult_due = rts();
    d->result_text = rtext(1);
    d->version = (int)(rnd() % 100000);
    d->updated_at = rts();
}

static void
test_write_equals_tree(void **state)
{
    static const enum mc_role roles[] = {
        MC_ROLE_CITIZEN, MC_ROLE_DESK, MC_ROLE_SPECIALIST, MC_ROLE_LEADER,
        MC_ROLE_INSPECTOR, MC_ROLE_ADMIN, MC_ROLE_PARTNER};
    json_t *ledger = json_pack("[{s:I,s:s,s:n},{s:I,s:s,s:b}]", "seq",
                               (json_int_t)1, "name", "Tiếp nhận \"hồ sơ\"",
                               "left_at", "seq", (json_int_t)2, "name",
                               "Xử lý", "late", 1);
    int with_actions = 0;

    (void)state;
    assert_non_null(ledger);
    for (int i = 0; i < 5000; i++) {
        struct mc_dossier d;
        struct mc_actor a;
        struct mc_buf got, want, again;
        json_t *o, *parsed;
        int variant = i % 3;

        random_dossier(&d);
        memset(&a, 0, sizeof(a));
        a.role = roles[rnd() % (sizeof(roles) / sizeof(roles[0]))];
        a.account_id = rnd() % 2 ? 77 : (int64_t)d.assignee_id;
        snprintf(a.unit_path, sizeof(a.unit_path), "%s",
                 rnd() % 2 ? "/1/" : "/1/5/");
        o = reference(&d);
        if (variant >= 1) {
            json_t *acts = mc_dossier_allowed_actions(&a, &d);
            with_actions += json_array_size(acts) > 0;
            json_object_set_new(o, "allowed_actions", acts);
        }
        if (variant == 2) {
            json_object_set(o, "ledger", ledger);
        }
        mc_buf_init(&want, 1u << 20);
        mc_buf_init(&got, 1u << 20);
        assert_int_equal(mc_json_dump(o, &want), MC_OK);
        assert_int_equal(mc_dossier_json_write(&d, variant >= 1 ? &a : NULL,
                                               variant == 2 ? ledger : NULL,
                                               &got),
                         MC_OK);
        if (got.len != want.len || memcmp(got.data, want.data, got.len)) {
            fail_msg("dossier %d differs:\n got %s\nwant %s", i, got.data,
                     want.data);
        }
        if (variant == 0) {
            parsed = mc_dossier_json(&d);
            assert_non_null(parsed);
            mc_buf_init(&again, 1u << 20);
            assert_int_equal(mc_json_dump(parsed, &again), MC_OK);
            assert_int_equal(again.len, want.len);
            assert_memory_equal(again.data, want.data, want.len);
            mc_buf_release(&again);
            json_decref(parsed);
        }
        mc_buf_release(&got);
        mc_buf_release(&want);
        json_decref(o);
    }
    assert_true(with_actions > 100);
    json_decref(ledger);
}

/* A buffer too small for the answer: an error, never a partial success. */
static void
test_write_bounded(void **state)
{
    struct mc_dossier d;
    struct mc_buf b;

    (void)state;
    random_dossier(&d);
    d.applicant_name = "Nguyễn Văn Đức";
    mc_buf_init(&b, 64);
    assert_int_equal(mc_dossier_json_write(&d, NULL, NULL, &b), MC_ETOOBIG);
    mc_buf_release(&b);
}

/*
 * The audit payloads written as text (mc_dossier_audit_payload and
 * mc_dossier_audit_payload_submit) against mc_json_canonical of the trees
 * lifecycle.c built before: json_pack plus "state" and "code".
 */
static json_t *
random_data(void)
{
    json_t *data = json_object();
    uint64_t r = rnd();

    assert_non_null(data);
    if (r & 1) {
        json_object_set_new(data, "due", mc_json_ts_value(rts()));
    }
    if (r & 2) {
        json_object_set_new(data, "assignee_id", json_integer(rint64()));
    }
    if (r & 4) {
        json_t *arr = json_array();
        int n = (int)(rnd() % 3);
        for (int i = 0; i < n; i++) {
            json_array_append_new(arr, json_pack("{s:I,s:s}", "id",
                                                 (json_int_t)rint64(), "name",
                                                 rtext(0)));
        }
        json_object_set_new(data, "components", arr);
    }
    if (r & 8) {
        json_object_set_new(data, "round", json_integer(rnd() % 4));
    }
    if (r & 16) {
        json_object_set_new(data, "old_due", mc_json_ts_value(rts()));
        json_object_set_new(data, "new_due", mc_json_ts_value(rts()));
    }
    if (r & 32) {
        json_object_set_new(data, "unit_id", json_integer(rint64()));
    }
    if (r & 64) {
        json_object_set_new(data, "late", json_boolean(rnd() % 2));
    }
    return data;
}

static void
check_same(json_t *tree, struct mc_buf *got, int i)
{
    struct mc_buf want;

    mc_buf_init(&want, 1u << 20);
    assert_int_equal(mc_json_canonical(tree, &want), MC_OK);
    if (got->len != want.len || memcmp(got->data, want.data, got->len)) {
        fail_msg("payload %d differs:\n got %s\nwant %s", i, got->data,
                 want.data);
    }
    mc_buf_release(&want);
}

static void
test_audit_payload_equals_tree(void **state)
{
    (void)state;
    for (int i = 0; i < 5000; i++) {
        struct mc_dossier d;
        struct mc_buf got;
        json_t *data = random_data(), *payload;
        const char *from = mc_dstate_name((enum mc_dstate)(rnd() %
                                                           MC_DS__COUNT));
        const char *reason = rtext(1);

        random_dossier(&d);
        /* transition: lifecycle.c's tree before this writer */
        payload = json_pack("{s:s,s:s?,s:O}", "from", from, "reason", reason,
                            "data", data);
        assert_non_null(payload);
        json_object_set_new(payload, "state",
                            json_string(mc_dstate_name(d.state)));
        if (d.code != NULL) {
            json_object_set_new(payload, "code", json_string(d.code));
        }
        mc_buf_init(&got, 1u << 20);
        assert_int_equal(mc_dossier_audit_payload(&got, from, reason, data,
                                                  &d),
                         MC_OK);
        check_same(payload, &got, i);
        mc_buf_release(&got);
        json_decref(payload);
        json_decref(data);
        /* submission */
        payload = json_pack("{s:I,s:s,s:I,s:I}", "procedure_id",
                            (json_int_t)d.procedure_id, "procedure_code",
                            d.procedure_code, "receiving_unit_id",
                            (json_int_t)d.recv_unit_id, "channel",
                            (json_int_t)d.channel);
        assert_non_null(payload);
        json_object_set_new(payload, "state",
                            json_string(mc_dstate_name(d.state)));
        if (d.code != NULL) {
            json_object_set_new(payload, "code", json_string(d.code));
        }
        mc_buf_init(&got, 1u << 20);
        assert_int_equal(mc_dossier_audit_payload_submit(&got, &d), MC_OK);
        check_same(payload, &got, i);
        mc_buf_release(&got);
        json_decref(payload);
    }
}

int
main(void)
{
    rnd_state = 0x9e3779b97f4a7c15u;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_equals_tree),
        cmocka_unit_test(test_write_bounded),
        cmocka_unit_test(test_audit_payload_equals_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
