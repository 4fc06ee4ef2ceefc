/*
 * tasks_demo.c - the demo directive: Thông báo 495/TB-VP of the Văn
 * phòng UBND thành phố Hà Nội, 27/10/2023 (conclusions on strengthening
 * inspection and discipline in administrative procedures), and four tasks
 * drawn from it, with histories that make one done on time, one done late
 * (with its cause), one overdue after an approved extension and one done
 * on time with a cooperating unit (see tasks.h, mc_tasks_seed_demo).
 */
#include <string.h>

#include "db/q_tasks.h"
#include "domain/tasks.h"
#include "domain/unit.h"
#include "sec/audit.h"
#include "util/json.h"
#include "util/mctime.h"

static int64_t at(int y, int m, int d, int h) {
  return mc_local_ts(mc_days_from_civil(y, m, d), h * 3600);
}

/* Event (system actor) and audit record of a seeded step. */
static int seed_event(struct mc_db *db, int64_t task_id, const char *action,
                      int64_t ts, struct mc_err *err) {
  char act[48], obj[40];
  json_t *p = json_pack("{s:b}", "demo", 1);
  int rc;

  if (p == NULL) {
    return MC_ENOMEM;
  }
  rc = mc_q_task_event_insert(db, task_id, action, 0, ts, "{\"demo\":true}",
                              err);
  snprintf(act, sizeof(act), "task.%s", action);
  snprintf(obj, sizeof(obj), "task:%lld", (long long)task_id);
  if (rc == MC_OK) {
    rc = mc_audit_append(db, 0, act, obj, p, ts, err);
  }
  json_decref(p);
  return rc;
}

struct seed_task {
  const char *title, *output, *priority;
  const char *lead_code, *lead_fallback, *coop_code;
  int dy, dm, dd; /* deadline */
  const char *target_text, *target_unit;
  double target, current;
  int progress;
  int reports[2][4]; /* y, m, d, percent (0 = none) */
  int adj[3];        /* approved extension y, m, d (0 = none) */
  int done[3];       /* y, m, d done at 16:00 (0 = open) */
  const char *cause, *evidence;
};

static const struct seed_task seed[] = {
    {"Khắc phục dứt điểm các lỗi trên Hệ thống thông tin giải quyết thủ "
     "tục hành chính thành phố",
     "Hệ thống vận hành ổn định, không còn lỗi tồn đọng",
     "urgent",
     "H26.SKHCN",
     "H26.TTPVHCC",
     NULL,
     2023,
     10,
     30,
     NULL,
     NULL,
     0,
     0,
     0,
     {{2023, 10, 28, 60}, {0, 0, 0, 0}},
     {0, 0, 0},
     {2023, 10, 30},
     NULL,
     "Biên bản nghiệm thu khắc phục lỗi ngày 30/10/2023"},
    {"Bảo đảm 100% cán bộ, công chức, viên chức được cấp chữ ký số",
     "Chữ ký số cấp cho toàn bộ cán bộ giải quyết TTHC",
     "high",
     "H26.SNV",
     NULL,
     NULL,
     2023,
     11,
     30,
     "Tỷ lệ cán bộ, công chức được cấp chữ ký số",
     "%",
     100,
     100,
     100,
     {{2023, 11, 15, 72}, {2023, 11, 30, 91}},
     {0, 0, 0},
     {2023, 12, 20},
     "Chờ Ban Cơ yếu Chính phủ cấp bổ sung chứng thư số cho cán bộ mới "
     "tuyển dụng",
     "Báo cáo của Sở Nội vụ: 100% cán bộ đã được cấp chữ ký số"},
    {"Hoàn thành số hóa sổ hộ tịch",
     "Dữ liệu hộ tịch số hóa đầy đủ trên "
     "Hệ thống quản lý hộ tịch điện tử",
     "high",
     "H26.STP",
     NULL,
     NULL,
     2023,
     12,
     31,
     NULL,
     NULL,
     0,
     0,
     85,
     {{2023, 12, 15, 55}, {2024, 5, 31, 85}},
     {2024, 6, 30},
     {0, 0, 0},
     NULL,
     NULL},
    {"Tăng cường kiểm tra, giám sát việc chấp hành kỷ luật, kỷ cương tại "
     "Bộ phận Một cửa các cấp",
     "Kế hoạch và báo cáo kết quả kiểm tra công vụ",
     "normal",
     "H26.SNV",
     NULL,
     "H26.TTPVHCC",
     2023,
     12,
     31,
     NULL,
     NULL,
     0,
     0,
     0,
     {{2023, 11, 30, 50}, {0, 0, 0, 0}},
     {0, 0, 0},
     {2023, 12, 28},
     NULL,
     "Báo cáo kết quả kiểm tra công vụ quý IV/2023"},
};

static int seed_one(struct mc_db *db, const struct mc_directive *d,
                    const struct seed_task *s, struct mc_err *err) {
  struct mc_unit lead, coop;
  struct mc_task t;
  int64_t aid = 0;
  int rc;

  rc = mc_unit_get_by_code(db, s->lead_code, &lead, err);
  if (rc == MC_ENOTFOUND && s->lead_fallback != NULL) {
    rc = mc_unit_get_by_code(db, s->lead_fallback, &lead, err);
  }
  if (rc != MC_OK) {
    return rc;
  }
  memset(&t, 0, sizeof(t));
  t.directive_id = d->id;
  t.title = s->title;
  t.lead_unit_id = lead.id;
  t.lead_path = lead.path;
  t.issuer_unit_id = d->issuer_unit_id;
  t.issuer_path = d->issuer_path;
  t.start_day = d->issued_on;
  t.deadline = t.deadline_original = mc_days_from_civil(s->dy, s->dm, s->dd);
  t.expected_output = s->output;
  t.has_target = s->target_text != NULL;
  t.target_text = s->target_text;
  t.target_unit = s->target_unit;
  t.target_value = s->target;
  t.current_value = 0;
  t.priority = s->priority;
  t.risk_time_pct = MC_TASK_RISK_TIME_PCT;
  t.risk_progress_pct = MC_TASK_RISK_PROGRESS_PCT;
  t.state = "open";
  t.created_at = at(2023, 10, 27, 9);
  if ((rc = mc_q_task_insert(db, &t, &t.id, err)) != MC_OK ||
      (rc = seed_event(db, t.id, "create", t.created_at, err)) != MC_OK) {
    return rc;
  }
  if (s->coop_code != NULL) {
    if ((rc = mc_unit_get_by_code(db, s->coop_code, &coop, err)) != MC_OK ||
        (rc = mc_q_task_unit_add(db, t.id, coop.id, coop.path, err)) != MC_OK) {
      return rc;
    }
  }
  for (int i = 0; i < 2 && rc == MC_OK; i++) {
    const int *r = s->reports[i];
    int64_t ts = r[0] ? at(r[0], r[1], r[2], 10) : 0;

    if (ts == 0) {
      continue;
    }
    rc = mc_q_task_report_insert(db, t.id, 0, r[3], t.has_target,
                                 r[3] * s->target / 100.0,
                                 "Báo cáo tiến độ (dữ liệu mẫu)", ts, err);
    if (rc == MC_OK) {
      rc = seed_event(db, t.id, "report", ts, err);
    }
    t.progress = r[3];
    t.current_value = t.has_target ? r[3] * s->target / 100.0 : 0;
  }
  if (rc == MC_OK && s->adj[0]) {
    int32_t to = mc_days_from_civil(s->adj[0], s->adj[1], s->adj[2]);
    int64_t ts = at(2023, 12, 20, 9);

    rc = mc_q_task_adj_insert(db, t.id, 0, ts,
                              "Khối lượng sổ hộ tịch lớn hơn dự kiến",
                              t.deadline, to, &aid, err);
    if (rc == MC_OK) {
      rc = mc_q_task_adj_decide(db, aid, "approved", 0, ts + 86400,
                                "Đồng ý gia hạn", err);
    }
    if (rc == MC_OK) {
      rc = seed_event(db, t.id, "adjustment_decision", ts + 86400, err);
    }
    t.deadline = to;
  }
  if (rc == MC_OK && s->cause != NULL) {
    t.cause = s->cause;
    t.cause_at = mc_local_ts(t.deadline + 2, 9 * 3600);
    rc = seed_event(db, t.id, "cause", t.cause_at, err);
  }
  if (rc == MC_OK && s->done[0]) {
    t.done_at = at(s->done[0], s->done[1], s->done[2], 16);
    t.state = "accepted";
    t.progress = 100;
    t.current_value = s->current;
    t.evidence = s->evidence;
    t.accepted_at = t.done_at + 86400;
    t.final_status = mc_task_status_name(mc_task_status(&t, t.done_at));
    rc = seed_event(db, t.id, "done", t.done_at, err);
    if (rc == MC_OK) {
      rc = seed_event(db, t.id, "accept", t.accepted_at, err);
    }
  }
  if (rc == MC_OK) {
    t.reminded_at = t.escalated_at = 0;
    rc = mc_q_task_update(db, &t, err);
  }
  return rc;
}

int mc_tasks_seed_demo(struct mc_db *db, void *ctx, struct mc_err *err) {
  struct mc_directive d;
  struct mc_unit city;
  json_t *p;
  char obj[40];
  int rc;

  (void)ctx;
  if ((rc = mc_unit_get_by_code(db, "H26", &city, err)) != MC_OK) {
    return rc;
  }
  memset(&d, 0, sizeof(d));
  d.number = "495/TB-VP";
  d.issued_on = mc_days_from_civil(2023, 10, 27);
  d.issuer_unit_id = city.id;
  d.issuer_path = city.path;
  d.summary = "Thông báo kết luận của Văn phòng UBND thành phố Hà Nội về "
              "tăng cường thanh tra, kiểm tra, kỷ luật, kỷ cương trong "
              "giải quyết thủ tục hành chính";
  d.created_at = at(2023, 10, 27, 9);
  if ((rc = mc_q_directive_insert(db, &d, &d.id, err)) != MC_OK) {
    return rc;
  }
  snprintf(obj, sizeof(obj), "directive:%lld", (long long)d.id);
  if ((p = json_pack("{s:s,s:b}", "number", d.number, "demo", 1)) == NULL) {
    return MC_ENOMEM;
  }
  rc = mc_audit_append(db, 0, "directive.create", obj, p, d.created_at, err);
  json_decref(p);
  for (size_t i = 0; i < sizeof(seed) / sizeof(seed[0]) && rc == MC_OK; i++) {
    rc = seed_one(db, &d, &seed[i], err);
  }
  return rc;
}
