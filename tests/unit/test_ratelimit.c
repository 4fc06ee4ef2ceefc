/*
 * test_ratelimit.c - the database-held rate limits (domain/ratelimit.c):
 * "N/SECS" parsing, fixed windows and Retry-After, check / hit / note on
 * one SQLite database, rules turned off, purge of old windows; and the
 * leased claim of notification deliveries (a claimed row is not handed
 * out again until its lease ends).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/q_discipline.h"
#include "db/writer.h"
#include "domain/notify.h"
#include "domain/ratelimit.h"
#include "util/arena.h"
#include "util/log.h"
#include "testdb.h"

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
    if (mc_test_db_open(&f->t, "mc_rate", 0) != 0) {
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

static void
test_parse(void **state)
{
    struct mc_rate_rule r = {0, 0};
    struct mc_rate_cfg c;

    (void)state;
    assert_int_equal(mc_rate_parse("10/900", &r), MC_OK);
    assert_int_equal(r.limit, 10);
    assert_int_equal(r.window, 900);
    assert_int_equal(mc_rate_parse("0/60", &r), MC_OK);
    assert_int_equal(r.limit, 0);
    assert_int_equal(mc_rate_parse("10", &r), MC_EINVAL);
    assert_int_equal(mc_rate_parse("10/0", &r), MC_EINVAL);
    assert_int_equal(mc_rate_parse("10/86401", &r), MC_EINVAL);
    assert_int_equal(mc_rate_parse("-1/60", &r), MC_EINVAL);
    assert_int_equal(mc_rate_parse("x/60", &r), MC_EINVAL);
    assert_int_equal(mc_rate_parse("5/6/7", &r), MC_EINVAL);
    assert_int_equal(mc_rate_parse(NULL, &r), MC_EINVAL);
    mc_rate_defaults(&c);
    assert_int_equal(c.rule[MC_RATE_LOGIN_USER].limit, 10);
    assert_int_equal(c.rule[MC_RATE_LOGIN_USER].window, 900);
    assert_string_equal(mc_rate_name(MC_RATE_EVAL_IP), "evaluation_ip");
    assert_string_equal(mc_rate_name(MC_RATE_FEEDBACK_IP), "feedback_ip");
}

static int
hit_fn(struct mc_db *db, void *ctx, struct mc_err *err)
{
    const struct mc_rate_cfg *c = ctx;
    int64_t ra = 0;

    return mc_rate_hit(db, c, MC_RATE_FEEDBACK_IP, "203.0.113.7", 1000, 1,
                       &ra, err);
}

static void
test_windows_and_limits(void **state)
{
    struct fx *f = *state;
    struct mc_rate_cfg c;
    struct mc_err err;
    int64_t ra = 0;
    int64_t t0 = 1800000000; /* a multiple of 900 */

    mc_rate_defaults(&c);
    c.rule[MC_RATE_LOGIN_USER] = (struct mc_rate_rule){3, 900};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_USER, "an",
                                       t0 + 100, &ra, &err),
                         MC_OK);
        assert_int_equal(mc_rate_note(f->t.w, &c, MC_RATE_LOGIN_USER, "an",
                                      t0 + 100, &err),
                         MC_OK);
    }
    /* at the limit: refused, Retry-After = end of the window */
    assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_USER, "an",
                                   t0 + 100, &ra, &err),
                     MC_EBUSY);
    assert_int_equal(err.status, 429);
    assert_string_equal(err.code, "rate_limited");
    assert_int_equal(ra, 800);
    /* another key, another rule: free */
    assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_USER, "binh",
                                   t0 + 100, &ra, &err),
                     MC_OK);
    assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_IP, "an",
                                   t0 + 100, &ra, &err),
                     MC_OK);
    /* the last second of the window, then the next window */
    assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_USER, "an",
                                   t0 + 899, &ra, &err),
                     MC_EBUSY);
    assert_int_equal(ra, 1);
    assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_USER, "an",
                                   t0 + 900, &ra, &err),
                     MC_OK);
    /* rule off, no key, no configuration: never limited */
    c.rule[MC_RATE_LOGIN_USER].limit = 0;
    assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_USER, "an",
                                   t0 + 100, &ra, &err),
                     MC_OK);
    assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_IP, "", t0, &ra,
                                   &err),
                     MC_OK);
    assert_int_equal(mc_rate_check(f->t.db, NULL, MC_RATE_LOGIN_IP, "x", t0,
                                   &ra, &err),
                     MC_OK);
    /* purge: windows older than two days go */
    c.rule[MC_RATE_LOGIN_USER].limit = 3;
    assert_int_equal(mc_rate_purge(f->t.w, t0 + 100, &err), MC_OK);
    assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_USER, "an",
                                   t0 + 100, &ra, &err),
                     MC_EBUSY);
    assert_int_equal(mc_rate_purge(f->t.w, t0 + 3 * 86400, &err), MC_OK);
    assert_int_equal(mc_rate_check(f->t.db, &c, MC_RATE_LOGIN_USER, "an",
                                   t0 + 100, &ra, &err),
                     MC_OK);
}

static void
test_hit_refuses_past_limit(void **state)
{
    struct fx *f = *state;
    struct mc_rate_cfg c;
    struct mc_err err;

    mc_rate_defaults(&c);
    c.rule[MC_RATE_FEEDBACK_IP] = (struct mc_rate_rule){2, 3600};
    assert_int_equal(mc_writer_run(f->t.w, hit_fn, &c, &err), MC_OK);
    assert_int_equal(mc_writer_run(f->t.w, hit_fn, &c, &err), MC_OK);
    assert_int_equal(mc_writer_run(f->t.w, hit_fn, &c, &err), MC_EBUSY);
    assert_int_equal(err.status, 429);
    /* the refused hit was rolled back with its transaction */
    assert_int_equal(mc_writer_run(f->t.w, hit_fn, &c, &err), MC_EBUSY);
    {
        int64_t hits = 0;
        assert_int_equal(mc_db_i64(f->t.db, &hits, &err,
                                   "SELECT hits FROM rate_counters WHERE "
                                   "bucket = 'feedback_ip:203.0.113.7'",
                                   ""),
                         MC_OK);
        assert_int_equal(hits, 2);
    }
}

struct claim {
    int64_t now;
    struct mc_arena *a;
    struct mc_outbound *rows;
    int n;
};

static int
claim_fn(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct claim *c = ctx;

    return mc_q_deliveries_due(db, MC_NOTIFY_CHANNEL, c->now,
                               c->now + MC_NOTIFY_LEASE_SECS, 10, c->a,
                               &c->rows, &c->n, err);
}

static int
notify_fn(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_notification_new n;

    (void)ctx;
    memset(&n, 0, sizeof(n));
    n.kind = "test";
    n.title = "Thử";
    n.body = "Nội dung";
    n.address = "a@example.org";
    n.dedup_key = "test:1";
    return mc_notify(db, &n, 1000, NULL, err);
}

static void
test_delivery_lease(void **state)
{
    struct fx *f = *state;
    struct mc_arena a;
    struct claim c = {.now = 1000, .a = &a};
    struct mc_err err;

    mc_arena_init(&a, 1u << 20);
    assert_int_equal(mc_writer_run(f->t.w, notify_fn, NULL, &err), MC_OK);
    assert_int_equal(mc_writer_run(f->t.w, claim_fn, &c, &err), MC_OK);
    assert_int_equal(c.n, 1);
    /* a second sweeper (another instance) does not get it again */
    c.now = 1001;
    assert_int_equal(mc_writer_run(f->t.w, claim_fn, &c, &err), MC_OK);
    assert_int_equal(c.n, 0);
    /* unless the first one died: after the lease it is due again */
    c.now = 1000 + MC_NOTIFY_LEASE_SECS;
    assert_int_equal(mc_writer_run(f->t.w, claim_fn, &c, &err), MC_OK);
    assert_int_equal(c.n, 1);
    mc_arena_release(&a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test_setup_teardown(test_windows_and_limits, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hit_refuses_past_limit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_delivery_lease, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
