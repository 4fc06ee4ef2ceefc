/*
 * test_tasks_rate.c - mc_tasks_unit_rate, the unit's task-completion rate
 * for its monthly evaluation, on a temporary SQLite database with hand-
 * computed cases: done on time / late against the ORIGINAL deadline
 * (an approved extension does not turn a late completion into an on-time
 * one), overdue against the current deadline, completions after "now"
 * not counted, sub-units' and other units' tasks excluded, the period
 * chosen by the original deadline, empty periods (-1) and bad input.
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
#include "db/q_tasks.h"
#include "db/writer.h"
#include "domain/demo.h"
#include "domain/tasks.h"
#include "domain/unit.h"
#include "sec/password.h"
#include "util/log.h"
#include "util/mctime.h"
#include "testdb.h"

#define D(m, d) mc_days_from_civil(2024, (m), (d))

struct fx {
  struct mc_test_db t;
  struct mc_unit stp, stp_mc, badinh;
  int64_t directive;
};

static int64_t at(int m, int d, int h, int min, int s) {
  return mc_local_ts(D(m, d), h * 3600 + min * 60 + s);
}

/* A task of lead unit u, original deadline d0, current deadline d; done
 * (state) at done_at (0 = open). */
static void add(struct fx *f, const struct mc_unit *u, int32_t d0, int32_t d,
                const char *state, int64_t done_at, const char *frozen) {
  struct mc_task t;
  struct mc_err err;
  int64_t id = 0;

  memset(&t, 0, sizeof(t));
  t.directive_id = f->directive;
  t.title = "Nhiệm vụ kiểm thử";
  t.lead_unit_id = u->id;
  t.lead_path = u->path;
  t.issuer_unit_id = f->stp.id;
  t.issuer_path = f->stp.path;
  t.start_day = D(10, 1);
  t.deadline_original = d0;
  t.deadline = d0;
  t.expected_output = "Báo cáo";
  t.priority = "normal";
  t.risk_time_pct = 20;
  t.risk_progress_pct = 80;
  t.created_at = at(10, 1, 9, 0, 0);
  assert_int_equal(mc_q_task_insert(f->t.db, &t, &id, &err), MC_OK);
  t.id = id;
  t.deadline = d;
  t.state = state;
  t.done_at = done_at;
  t.final_status = frozen;
  t.progress = done_at ? 100 : 30;
  assert_int_equal(mc_q_task_update(f->t.db, &t, &err), MC_OK);
}

static int setup(void **state) {
  struct fx *f = calloc(1, sizeof(*f));
  struct mc_directive d;
  struct mc_err err;

  if (f == NULL) {
    return -1;
  }
  if (mc_test_db_open(&f->t, "mc_trate", MC_TEST_SEED_UNITS) != 0) {
      return -1;
  }
  if (mc_unit_get_by_code(f->t.db, "H26.STP", &f->stp, &err) != MC_OK ||
      mc_unit_get_by_code(f->t.db, "H26.STP.MC", &f->stp_mc, &err) != MC_OK ||
      mc_unit_get_by_code(f->t.db, "H26.00004", &f->badinh, &err) != MC_OK) {
    fprintf(stderr, "setup: %s\n", err.message);
    return -1;
  }
  memset(&d, 0, sizeof(d));
  d.number = "1/TB-KT";
  d.issued_on = D(10, 1);
  d.issuer_unit_id = f->stp.id;
  d.issuer_path = f->stp.path;
  d.summary = "Chỉ đạo kiểm thử";
  d.created_at = at(10, 1, 9, 0, 0);
  if (mc_q_directive_insert(f->t.db, &d, &f->directive, &err) != MC_OK) {
    fprintf(stderr, "setup: %s\n", err.message);
    return -1;
  }
  /* Sở Tư pháp's own tasks (numbered as in the comments below). */
  /* 1: due 10/10, done 10/10 23:59:59, accepted: on time. */
  add(f, &f->stp, D(10, 10), D(10, 10), "accepted", at(10, 10, 23, 59, 59),
      "done_on_time");
  /* 2: due 10/10, done 11/10 00:00:00: late by one second. */
  add(f, &f->stp, D(10, 10), D(10, 10), "submitted", at(10, 11, 0, 0, 0),
      NULL);
  /* 3: due 20/10, extended to 30/11, done 25/10 and accepted with the
   * frozen status done_on_time (current deadline): late for scoring. */
  add(f, &f->stp, D(10, 20), D(11, 30), "accepted", at(10, 25, 10, 0, 0),
      "done_on_time");
  /* 4: due 25/10, open: overdue. */
  add(f, &f->stp, D(10, 25), D(10, 25), "open", 0, NULL);
  /* 5: due 31/10, extended to 30/11, open: in progress (not overdue). */
  add(f, &f->stp, D(10, 31), D(11, 30), "open", 0, NULL);
  /* 6: due 31/10, marked done 20/11 (after "now"): overdue as of now. */
  add(f, &f->stp, D(10, 31), D(10, 31), "submitted", at(11, 20, 9, 0, 0),
      NULL);
  /* Outside October by the original deadline (one extended into it). */
  add(f, &f->stp, D(11, 1), D(11, 1), "open", 0, NULL);
  add(f, &f->stp, D(9, 30), D(10, 15), "submitted", at(10, 14, 9, 0, 0),
      NULL);
  /* A sub-unit's and another unit's tasks. */
  add(f, &f->stp_mc, D(10, 15), D(10, 15), "submitted", at(10, 14, 9, 0, 0),
      NULL);
  add(f, &f->badinh, D(10, 15), D(10, 15), "open", 0, NULL);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fx *f = *state;

  mc_test_db_close(&f->t);
  free(f);
  return 0;
}

static void expect(const struct mc_tasks_rate *r, int64_t total, int64_t ot,
                   int64_t late, int64_t overdue, int64_t prog) {
  assert_int_equal(r->total, total);
  assert_int_equal(r->done_on_time, ot);
  assert_int_equal(r->done_late, late);
  assert_int_equal(r->overdue, overdue);
  assert_int_equal(r->in_progress, prog);
}

static void test_october(void **state) {
  struct fx *f = *state;
  struct mc_tasks_rate r;
  struct mc_err err;

  /* As of 15/11/2024 10:00: tasks 1..6. */
  assert_int_equal(mc_tasks_unit_rate(f->t.db, f->stp.id, D(10, 1), D(10, 31),
                                      at(11, 15, 10, 0, 0), &r, &err),
                   MC_OK);
  expect(&r, 6, 1, 2, 2, 1);
  assert_float_equal(r.rate, 3.0 / 6.0, 1e-12);
  assert_float_equal(r.on_time_rate, 1.0 / 6.0, 1e-12);
  /* As of 1/12: task 6 is now done (late); task 5's extended deadline
   * (30/11) has passed: overdue. */
  assert_int_equal(mc_tasks_unit_rate(f->t.db, f->stp.id, D(10, 1), D(10, 31),
                                      at(12, 1, 0, 0, 0), &r, &err),
                   MC_OK);
  expect(&r, 6, 1, 3, 2, 0);
  assert_float_equal(r.rate, 4.0 / 6.0, 1e-12);
  /* As of 10/10 12:00 nothing is done yet and nothing is overdue. */
  assert_int_equal(mc_tasks_unit_rate(f->t.db, f->stp.id, D(10, 1), D(10, 31),
                                      at(10, 10, 12, 0, 0), &r, &err),
                   MC_OK);
  expect(&r, 6, 0, 0, 0, 6);
  assert_float_equal(r.rate, 0.0, 0);
  assert_float_equal(r.on_time_rate, 0.0, 0);
}

static void test_one_day_and_edges(void **state) {
  struct fx *f = *state;
  struct mc_tasks_rate r;
  struct mc_err err;

  /* Just the 10/10 deadline: tasks 1 (on time) and 2 (late). */
  assert_int_equal(mc_tasks_unit_rate(f->t.db, f->stp.id, D(10, 10), D(10, 10),
                                      at(11, 15, 10, 0, 0), &r, &err),
                   MC_OK);
  expect(&r, 2, 1, 1, 0, 0);
  assert_float_equal(r.rate, 1.0, 0);
  assert_float_equal(r.on_time_rate, 0.5, 0);
  /* The sub-unit on its own: its one task, done on time. */
  assert_int_equal(mc_tasks_unit_rate(f->t.db, f->stp_mc.id, D(10, 1),
                                      D(10, 31), at(11, 15, 10, 0, 0), &r,
                                      &err),
                   MC_OK);
  expect(&r, 1, 1, 0, 0, 0);
  assert_float_equal(r.rate, 1.0, 0);
  /* Nothing due: -1. */
  assert_int_equal(mc_tasks_unit_rate(f->t.db, f->stp.id, D(12, 1), D(12, 31),
                                      at(11, 15, 10, 0, 0), &r, &err),
                   MC_OK);
  expect(&r, 0, 0, 0, 0, 0);
  assert_float_equal(r.rate, -1.0, 0);
  assert_float_equal(r.on_time_rate, -1.0, 0);
  /* Bad input. */
  assert_int_equal(mc_tasks_unit_rate(f->t.db, f->stp.id, D(10, 31), D(10, 1),
                                      at(11, 15, 10, 0, 0), &r, &err),
                   MC_EINVAL);
  assert_int_equal(err.status, 400);
  assert_float_equal(r.rate, -1.0, 0);
  assert_int_equal(mc_tasks_unit_rate(f->t.db, 999999, D(10, 1), D(10, 31),
                                      at(11, 15, 10, 0, 0), &r, &err),
                   MC_ENOTFOUND);
  assert_int_equal(err.status, 404);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_october, setup, teardown),
      cmocka_unit_test_setup_teardown(test_one_day_and_edges, setup,
                                      teardown),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
