/*
 * test_feedback.c - the pure rules of feedback: near-duplicate
 * similarity (word-shingle Jaccard after mc_fold), masking of phone
 * numbers and e-mail addresses, and the answer quality gates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/feedback.h"
#include "util/arena.h"
#include "util/text.h"

static double
sim(struct mc_arena *a, const char *x, const char *y)
{
    double s = -1;

    assert_int_equal(mc_feedback_similarity(a, mc_fold(a, x), mc_fold(a, y),
                                            &s),
                     MC_OK);
    return s;
}

static void
test_similarity(void **state)
{
    struct mc_arena a;
    const char *base =
        "Về phản ánh thủ tục đăng ký khai sinh, Ủy ban nhân dân phường "
        "trả lời như sau: hồ sơ được giải quyết theo Luật Hộ tịch 2014 và "
        "Nghị định 123/2015, thời hạn trong ngày làm việc.";
    const char *variant =
        "Về phản ánh thủ tục đăng ký khai sinh, Ủy ban nhân dân phường "
        "trả lời như sau: hồ sơ được giải quyết theo Luật Hộ tịch 2014 và "
        "Nghị định 123/2015, thời hạn trong ngày làm việc!";
    const char *other =
        "Đề nghị của ông về việc cấp giấy phép xây dựng nhà ở riêng lẻ "
        "đã được chuyển đến Phòng Quản lý đô thị để xem xét, trả lời.";
    double s;

    (void)state;
    mc_arena_init(&a, 1u << 20);
    assert_true(sim(&a, base, base) == 1.0);
    /* case, diacritics and punctuation do not matter after folding */
    assert_true(sim(&a, base, variant) == 1.0);
    s = sim(&a, "Hồ sơ ĐƯỢC giải quyết đúng hạn", "ho so duoc giai quyet dung han");
    assert_true(s == 1.0);
    s = sim(&a, base, other);
    assert_true(s < 0.1);
    /* 39 words, one changed: 34 of 40 shingles shared, exactly 0.85,
     * which is a near-duplicate (>=) */
    s = sim(&a, base,
            "Về phản ánh thủ tục đăng ký khai tử, Ủy ban nhân dân phường "
            "trả lời như sau: hồ sơ được giải quyết theo Luật Hộ tịch 2014 "
            "và Nghị định 123/2015, thời hạn trong ngày làm việc.");
    assert_true(s == 34.0 / 40.0 && s >= MC_FEEDBACK_DUP_THRESHOLD);
    /* two words changed far apart: 31 of 43, not a near-duplicate */
    s = sim(&a, base,
            "Về phản ánh thủ tục đăng ký khai tử, Ủy ban nhân dân phường "
            "trả lời như sau: hồ sơ được giải quyết theo Luật Hộ tịch 2014 "
            "và Nghị định 123/2015, thời hạn sau ngày làm việc.");
    assert_true(s == 31.0 / 43.0 && s < MC_FEEDBACK_DUP_THRESHOLD);
    /* appending a sentence to a long answer stays a near-duplicate */
    s = sim(&a, base,
            "Về phản ánh thủ tục đăng ký khai sinh, Ủy ban nhân dân phường "
            "trả lời như sau: hồ sơ được giải quyết theo Luật Hộ tịch 2014 "
            "và Nghị định 123/2015, thời hạn trong ngày làm việc. Trân trọng.");
    assert_true(s >= MC_FEEDBACK_DUP_THRESHOLD && s < 1.0);
    assert_true(sim(&a, "", base) == 0.0);
    assert_true(sim(&a, "một", "một") == 1.0);
    assert_true(sim(&a, "một hai", "hai một") == 1.0); /* < 3 words: bag */
    assert_true(sim(&a, "a b c d", "d c b a") == 0.0);
    mc_arena_release(&a);
}

static void
test_mask(void **state)
{
    struct mc_arena a;

    (void)state;
    mc_arena_init(&a, 1u << 20);
    assert_string_equal(mc_feedback_mask(&a, "Gọi 0912 345 678 hoặc "
                                             "+84 (24) 3825-1234 nhé"),
                        "Gọi [đã ẩn] hoặc [đã ẩn] nhé");
    assert_string_equal(mc_feedback_mask(&a, "SĐT:0912345678,0987.654.321"),
                        "SĐT:[đã ẩn],[đã ẩn]");
    assert_string_equal(mc_feedback_mask(&a, "Email: nguyen.van-duc+pakn@"
                                             "mail.example.vn."),
                        "Email: [đã ẩn].");
    /* dates, reference numbers and short numbers stay */
    assert_string_equal(mc_feedback_mask(&a, "Ngày 12/05/2024, hồ sơ "
                                             "H26-240512-0001, 15 ngày"),
                        "Ngày 12/05/2024, hồ sơ H26-240512-0001, 15 ngày");
    assert_string_equal(mc_feedback_mask(&a, "a@b không phải email"),
                        "a@b không phải email");
    assert_string_equal(mc_feedback_mask(&a, NULL), "");
    mc_arena_release(&a);
}

static void
test_gates(void **state)
{
    struct mc_feedback f;
    struct mc_arena a;
    struct mc_err err;

    (void)state;
    mc_arena_init(&a, 1u << 20);
    memset(&f, 0, sizeof(f));
    f.ref = "PAKN-H26.00004-000007";
    f.title = "Thời hạn cấp Giấy khai sinh";
    memset(&err, 0, sizeof(err));
    assert_int_equal(mc_feedback_answer_check(&f, "Chúng tôi đã nhận.",
                                              "other_specific", NULL, &a,
                                              &err),
                     MC_EINVAL);
    assert_string_equal(err.code, "answer_missing_subject");
    assert_string_equal(err.field, "text");
    assert_int_equal(err.status, 422);
    memset(&err, 0, sizeof(err));
    assert_int_equal(mc_feedback_answer_check(
                         &f, "Về THỜI HẠN cấp giấy khai sinh: ...", NULL,
                         NULL, &a, &err),
                     MC_EINVAL);
    assert_string_equal(err.code, "decision_required");
    memset(&err, 0, sizeof(err));
    assert_int_equal(mc_feedback_answer_check(
                         &f, "Trả lời pakn-h26.00004-000007", "maybe", NULL,
                         &a, &err),
                     MC_EINVAL);
    assert_string_equal(err.code, "unknown_decision");
    memset(&err, 0, sizeof(err));
    assert_int_equal(mc_feedback_answer_check(
                         &f, "Trả lời PAKN-H26.00004-000007",
                         "explain_current_rule", "", &a, &err),
                     MC_EINVAL);
    assert_string_equal(err.code, "legal_basis_required");
    assert_string_equal(err.field, "legal_basis");
    assert_int_equal(mc_feedback_answer_check(
                         &f, "Về thời hạn cấp giấy khai sinh ...",
                         "explain_current_rule", "Luật Hộ tịch 2014",
                         &a, &err),
                     MC_OK);
    /* every title word of 3+ characters, in any order */
    assert_int_equal(mc_feedback_answer_check(
                         &f, "Giấy khai sinh được cấp trong thời hạn ...",
                         "other_specific", NULL, &a, &err),
                     MC_OK);
    assert_true(mc_feedback_decision_known("act_against_official"));
    assert_false(mc_feedback_decision_known("explain"));
    assert_true(mc_feedback_category_known("other"));
    assert_false(mc_feedback_category_known(NULL));
    mc_arena_release(&a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_gates),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
