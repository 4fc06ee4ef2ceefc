/*
 * test_tasks.c - the status of a directive task (mc_task_status): done on
 * time / late against the current deadline, overdue from the day after
 * the deadline (UTC+7), at risk by the time-left and progress thresholds
 * (defaults and per-task), and a frozen status that no clock moves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/tasks.h"
#include "util/mctime.h"

/* A task from 1/10/2024 (directive date) due 31/10/2024, open, 0%. */
static struct mc_task base(void) {
  struct mc_task t;

  memset(&t, 0, sizeof(t));
  t.state = "open";
  t.start_day = mc_days_from_civil(2024, 10, 1);
  t.deadline = t.deadline_original = mc_days_from_civil(2024, 10, 31);
  t.risk_time_pct = 20;
  t.risk_progress_pct = 80;
  return t;
}

static int64_t at(int m, int d, int h) {
  return mc_local_ts(mc_days_from_civil(2024, m, d), h * 3600);
}

static void test_on_track_and_at_risk(void **state) {
  struct mc_task t = base();

  (void)state;
  /* 31 days in all; 20% is 6.2 days: at risk from 25/10 ~19:12. */
  assert_int_equal(mc_task_status(&t, at(10, 2, 9)), MC_TASK_ON_TRACK);
  assert_int_equal(mc_task_status(&t, at(10, 25, 12)), MC_TASK_ON_TRACK);
  assert_int_equal(mc_task_status(&t, at(10, 25, 20)), MC_TASK_AT_RISK);
  assert_int_equal(mc_task_status(&t, at(10, 31, 23)), MC_TASK_AT_RISK);
  t.progress = 79;
  assert_int_equal(mc_task_status(&t, at(10, 30, 9)), MC_TASK_AT_RISK);
  t.progress = 80;
  assert_int_equal(mc_task_status(&t, at(10, 30, 9)), MC_TASK_ON_TRACK);
  /* Per-task thresholds. */
  t.risk_progress_pct = 90;
  assert_int_equal(mc_task_status(&t, at(10, 30, 9)), MC_TASK_AT_RISK);
  t.progress = 0;
  t.risk_time_pct = 50;
  assert_int_equal(mc_task_status(&t, at(10, 17, 9)), MC_TASK_AT_RISK);
  assert_int_equal(mc_task_status(&t, at(10, 15, 9)), MC_TASK_ON_TRACK);
  /* 0 means the defaults (20 / 80). */
  t.risk_time_pct = t.risk_progress_pct = 0;
  assert_int_equal(mc_task_status(&t, at(10, 17, 9)), MC_TASK_ON_TRACK);
  assert_int_equal(mc_task_status(&t, at(10, 28, 9)), MC_TASK_AT_RISK);
}

static void test_overdue_from_next_local_day(void **state) {
  struct mc_task t = base();

  (void)state;
  t.progress = 95;
  assert_int_equal(mc_task_status(&t, at(11, 1, 0) - 1), MC_TASK_ON_TRACK);
  assert_int_equal(mc_task_status(&t, at(11, 1, 0)), MC_TASK_OVERDUE);
  assert_int_equal(mc_task_status(&t, at(12, 25, 0)), MC_TASK_OVERDUE);
  /* An approved extension moves it back in progress. */
  t.deadline = mc_days_from_civil(2024, 12, 31);
  assert_int_equal(mc_task_status(&t, at(11, 1, 0)), MC_TASK_ON_TRACK);
}

static void test_done_on_time_late_and_frozen(void **state) {
  struct mc_task t = base();

  (void)state;
  t.state = "submitted";
  t.done_at = at(10, 31, 23);
  assert_int_equal(mc_task_status(&t, at(12, 1, 0)), MC_TASK_DONE_ON_TIME);
  t.done_at = at(11, 1, 0);
  assert_int_equal(mc_task_status(&t, at(12, 1, 0)), MC_TASK_DONE_LATE);
  /* Frozen at acceptance: the stored status wins over any clock. */
  t.state = "accepted";
  t.final_status = "done_on_time";
  assert_int_equal(mc_task_status(&t, at(12, 1, 0)), MC_TASK_DONE_ON_TIME);
  /* Returned (open again, done_at cleared): overdue. */
  t.state = "open";
  t.final_status = NULL;
  t.done_at = 0;
  assert_int_equal(mc_task_status(&t, at(11, 2, 0)), MC_TASK_OVERDUE);
}

static void test_status_names(void **state) {
  (void)state;
  for (int s = 0; s < MC_TASK_NSTATUS; s++) {
    assert_int_equal(
        mc_task_status_parse(mc_task_status_name((enum mc_task_status)s)), s);
  }
  assert_string_equal(mc_task_status_name(MC_TASK_AT_RISK),
                      "in_progress_at_risk");
  assert_int_equal(mc_task_status_parse("late"), -1);
  assert_int_equal(mc_task_status_parse(NULL), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_on_track_and_at_risk),
      cmocka_unit_test(test_overdue_from_next_local_day),
      cmocka_unit_test(test_done_on_time_late_and_frozen),
      cmocka_unit_test(test_status_names),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
