/*
 * r_tasks.c - /api/v1/directives, /api/v1/tasks (list, create, read and
 * the actions: reports, done, accept, return, adjustments and their
 * decisions, cause) and /api/v1/units/{id}/task-report (JSON, XLSX or PDF).
 */
#include <string.h>

#include "doc/forms.h"
#include "doc/xlsx.h"
#include "domain/calendar.h"
#include "domain/tasks.h"
#include "domain/unit.h"
#include "http/router.h"
#include "util/json.h"
#include "util/mctime.h"
#include "util/text.h"

#define XLSX_TYPE                                                              \
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Optional date field "YYYY-MM-DD" of body -> civil day (0 = absent). */
static int body_date(struct mc_req *r, json_t *body, const char *key,
                     int required, int32_t *day) {
  const char *s = NULL;
  int rc = mc_json_str(body, key, required, 10, &r->arena, &s, &r->err);

  *day = 0;
  if (rc != MC_OK || s == NULL) {
    return rc;
  }
  if (mc_parse_date(s, day) != 0) {
    return mc_err_set(&r->err, MC_EINVAL, 400, "bad_date", key,
                      "%s must be a date YYYY-MM-DD", key);
  }
  return MC_OK;
}

/* Optional number field; *set = 1 when present. */
static int body_number(struct mc_req *r, json_t *body, const char *key,
                       double *v, int *set) {
  json_t *j = json_object_get(body, key);

  *set = 0;
  if (j == NULL || json_is_null(j)) {
    return MC_OK;
  }
  if (!json_is_number(j)) {
    return mc_err_set(&r->err, MC_EINVAL, 400, "bad_type", key,
                      "%s must be a number", key);
  }
  *v = json_number_value(j);
  *set = 1;
  return MC_OK;
}

static void wctx(struct mc_req *r, struct mc_task_wctx *w) {
  w->actor = &r->actor;
  w->arena = &r->arena;
  w->cal = mc_req_calendar(r);
  w->now = r->now;
  w->out = NULL;
}

static int dir_create_fn(struct mc_db *db, void *arg, json_t **result,
                         int *status, struct mc_err *err) {
  struct mc_directive_create *c = arg;
  int rc = mc_directive_create(db, c, err);

  if (rc == MC_OK) {
    *result = c->w.out;
    c->w.out = NULL;
    *status = 201;
  }
  return rc;
}

int mc_h_directives_create(struct mc_req *r) {
  static const char *const allowed[] = {"number",         "date",    "summary",
                                        "issuer_unit_id", "file_id", NULL};
  struct mc_directive_create c;
  json_t *body = NULL;
  int rc;

  memset(&c, 0, sizeof(c));
  if ((rc = mc_http_require(r, MC_R(MC_ROLE_LEADER) | MC_R(MC_ROLE_ADMIN))) !=
          MC_OK ||
      (rc = mc_req_json(r, &body)) != MC_OK) {
    return rc;
  }
  if ((rc = mc_json_only(body, allowed, &r->err)) != MC_OK ||
      (rc = mc_json_str(body, "number", 1, 60, &r->arena, &c.number,
                        &r->err)) != MC_OK ||
      (rc = body_date(r, body, "date", 1, &c.issued_on)) != MC_OK ||
      (rc = mc_json_str(body, "summary", 1, 4000, &r->arena, &c.summary,
                        &r->err)) != MC_OK ||
      (rc = mc_json_int(body, "issuer_unit_id", 0, 1, INT64_MAX,
                        &c.issuer_unit_id, &r->err)) != MC_OK ||
      (rc = mc_json_int(body, "file_id", 0, 1, INT64_MAX, &c.file_id,
                        &r->err)) != MC_OK) {
    json_decref(body);
    return rc;
  }
  json_decref(body);
  wctx(r, &c.w);
  rc = mc_http_write(r, dir_create_fn, &c);
  json_decref(c.w.out);
  return rc;
}

int mc_h_directives_list(struct mc_req *r) {
  struct mc_db *db;
  json_t *items = NULL;
  int64_t total = 0;
  long long limit, offset;
  int rc;

  if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK ||
      (rc = mc_req_query_int(r, "limit", 50, 1, 500, &limit)) != MC_OK ||
      (rc = mc_req_query_int(r, "offset", 0, 0, 10000000, &offset)) != MC_OK) {
    return rc;
  }
  if ((db = mc_req_db(r)) == NULL) {
    return MC_EDB;
  }
  rc = mc_directive_list(db, &r->actor, (int)limit, (int)offset, &r->arena,
                         &items, &total, &r->err);
  if (rc != MC_OK) {
    return rc;
  }
  return mc_http_page(r, items, total, limit, offset);
}

int mc_h_directive_get(struct mc_req *r) {
  struct mc_db *db;
  json_t *out = NULL;
  int64_t id;
  int rc;

  if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK ||
      (rc = mc_req_param_id(r, 0, "record", &id)) != MC_OK) {
    return rc;
  }
  if ((db = mc_req_db(r)) == NULL) {
    return MC_EDB;
  }
  rc = mc_directive_get(db, &r->actor, id, r->now, &r->arena, &out, &r->err);
  return rc != MC_OK ? rc : mc_http_json(r, 200, out);
}

int mc_h_tasks_list(struct mc_req *r) {
  struct mc_task_filter f;
  struct mc_db *db;
  json_t *items = NULL;
  int64_t total = 0;
  long long limit, offset, unit, dir;
  const char *st = mc_req_query(r, "status");
  int rc;

  memset(&f, 0, sizeof(f));
  if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK ||
      (rc = mc_req_query_int(r, "limit", 50, 1, 500, &limit)) != MC_OK ||
      (rc = mc_req_query_int(r, "offset", 0, 0, 10000000, &offset)) != MC_OK ||
      (rc = mc_req_query_int(r, "unit_id", 0, 0, INT64_MAX, &unit)) != MC_OK ||
      (rc = mc_req_query_int(r, "directive_id", 0, 0, INT64_MAX, &dir)) !=
          MC_OK) {
    return rc;
  }
  f.status = -1;
  if (st != NULL && *st != '\0' && (f.status = mc_task_status_parse(st)) < 0) {
    return mc_err_set(&r->err, MC_EINVAL, 400, "bad_status", "status",
                      "unknown status");
  }
  f.unit_id = unit;
  f.directive_id = dir;
  f.limit = (int)limit;
  f.offset = (int)offset;
  if ((db = mc_req_db(r)) == NULL) {
    return MC_EDB;
  }
  rc = mc_task_list(db, &r->actor, &f, r->now, &r->arena, &items, &total,
                    &r->err);
  if (rc != MC_OK) {
    return rc;
  }
  return mc_http_page(r, items, total, limit, offset);
}

static int task_create_fn(struct mc_db *db, void *arg, json_t **result,
                          int *status, struct mc_err *err) {
  struct mc_task_create *c = arg;
  int rc = mc_task_create(db, c, err);

  if (rc == MC_OK) {
    *result = c->w.out;
    c->w.out = NULL;
    *status = 201;
  }
  return rc;
}

/* The optional "target" object of a new task. */
static int parse_target(struct mc_req *r, json_t *body,
                        struct mc_task_create *c) {
  static const char *const allowed[] = {"text", "value", "current", "unit",
                                        NULL};
  json_t *t = json_object_get(body, "target");
  int set = 0, rc;

  if (t == NULL || json_is_null(t)) {
    return MC_OK;
  }
  if (!json_is_object(t)) {
    return mc_err_set(&r->err, MC_EINVAL, 400, "bad_type", "target",
                      "target must be an object");
  }
  c->has_target = 1;
  if ((rc = mc_json_only(t, allowed, &r->err)) != MC_OK ||
      (rc = mc_json_str(t, "text", 1, 500, &r->arena, &c->target_text,
                        &r->err)) != MC_OK ||
      (rc = mc_json_str(t, "unit", 0, 40, &r->arena, &c->target_unit,
                        &r->err)) != MC_OK ||
      (rc = body_number(r, t, "current", &c->current_value, &set)) != MC_OK ||
      (rc = body_number(r, t, "value", &c->target_value, &set)) != MC_OK) {
    return rc;
  }
  if (!set) {
    return mc_err_set(&r->err, MC_EINVAL, 400, "missing_field", "target.value",
                      "a target needs a value");
  }
  return MC_OK;
}

static int parse_coop(struct mc_req *r, json_t *body,
                      struct mc_task_create *c) {
  json_t *a = json_object_get(body, "cooperating_unit_ids"), *v;
  int64_t *ids;
  size_t i;

  if (a == NULL || json_is_null(a)) {
    return MC_OK;
  }
  if (!json_is_array(a) || json_array_size(a) > 50) {
    return mc_err_set(&r->err, MC_EINVAL, 400, "bad_type",
                      "cooperating_unit_ids",
                      "an array of at most 50 unit ids");
  }
  ids = mc_arena_zalloc(&r->arena, sizeof(*ids) * (json_array_size(a) + 1));
  if (ids == NULL) {
    return MC_ENOMEM;
  }
  json_array_foreach(a, i, v) {
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
      return mc_err_set(&r->err, MC_EINVAL, 400, "bad_type",
                        "cooperating_unit_ids",
                        "unit ids are positive integers");
    }
    ids[i] = json_integer_value(v);
  }
  c->coop_unit_ids = ids;
  c->ncoop = (int)json_array_size(a);
  return MC_OK;
}

int mc_h_tasks_create(struct mc_req *r) {
  static const char *const allowed[] = {
      "directive_id",      "title",
      "lead_unit_id",      "cooperating_unit_ids",
      "deadline",          "deadline_workdays",
      "expected_output",   "target",
      "priority",          "risk_time_pct",
      "risk_progress_pct", NULL};
  struct mc_task_create c;
  json_t *body = NULL;
  int64_t wd = 0, rt = 0, rp = 0;
  int rc;

  memset(&c, 0, sizeof(c));
  if ((rc = mc_http_require(r, MC_R(MC_ROLE_LEADER) | MC_R(MC_ROLE_ADMIN))) !=
          MC_OK ||
      (rc = mc_req_json(r, &body)) != MC_OK) {
    return rc;
  }
  if ((rc = mc_json_only(body, allowed, &r->err)) != MC_OK ||
      (rc = mc_json_int(body, "directive_id", 1, 1, INT64_MAX, &c.directive_id,
                        &r->err)) != MC_OK ||
      (rc = mc_json_str(body, "title", 1, 500, &r->arena, &c.title, &r->err)) !=
          MC_OK ||
      (rc = mc_json_int(body, "lead_unit_id", 1, 1, INT64_MAX, &c.lead_unit_id,
                        &r->err)) != MC_OK ||
      (rc = body_date(r, body, "deadline", 0, &c.deadline)) != MC_OK ||
      (rc = mc_json_int(body, "deadline_workdays", 0, 1, 3650, &wd, &r->err)) !=
          MC_OK ||
      (rc = mc_json_str(body, "expected_output", 1, 2000, &r->arena,
                        &c.expected_output, &r->err)) != MC_OK ||
      (rc = mc_json_str(body, "priority", 0, 10, &r->arena, &c.priority,
                        &r->err)) != MC_OK ||
      (rc = mc_json_int(body, "risk_time_pct", 0, 1, 99, &rt, &r->err)) !=
          MC_OK ||
      (rc = mc_json_int(body, "risk_progress_pct", 0, 1, 100, &rp, &r->err)) !=
          MC_OK ||
      (rc = parse_target(r, body, &c)) != MC_OK ||
      (rc = parse_coop(r, body, &c)) != MC_OK) {
    json_decref(body);
    return rc;
  }
  json_decref(body);
  c.workdays = (int)wd;
  c.risk_time_pct = (int)rt;
  c.risk_progress_pct = (int)rp;
  wctx(r, &c.w);
  rc = mc_http_write(r, task_create_fn, &c);
  json_decref(c.w.out);
  return rc;
}

int mc_h_task_get(struct mc_req *r) {
  struct mc_db *db;
  json_t *out = NULL;
  int64_t id;
  int rc;

  if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK ||
      (rc = mc_req_param_id(r, 0, "record", &id)) != MC_OK) {
    return rc;
  }
  if ((db = mc_req_db(r)) == NULL) {
    return MC_EDB;
  }
  rc = mc_task_get(db, &r->actor, id, r->now, &r->arena, &out, &r->err);
  return rc != MC_OK ? rc : mc_http_json(r, 200, out);
}

static int action_fn(struct mc_db *db, void *arg, json_t **result, int *status,
                     struct mc_err *err) {
  struct mc_task_action *c = arg;
  int rc = mc_task_action(db, c, err);

  if (rc != MC_OK) {
    json_decref(c->w.out);
    c->w.out = NULL;
    return rc;
  }
  *result = c->w.out;
  c->w.out = NULL;
  *status = c->act == MC_TASK_ADJUST || c->act == MC_TASK_REPORT ? 201 : 200;
  return MC_OK;
}

/*
 * One action: allowed body keys and the text field that carries the
 * note (required when note_required).
 */
static int task_action(struct mc_req *r, enum mc_task_act act,
                       const char *const *allowed, const char *note_key,
                       int note_required) {
  struct mc_task_action c;
  json_t *body = NULL;
  int64_t pct = -1;
  int rc;

  memset(&c, 0, sizeof(c));
  c.act = act;
  c.percent = -1;
  if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK ||
      (rc = mc_req_param_id(r, 0, "record", &c.id)) != MC_OK ||
      (act == MC_TASK_DECIDE &&
       (rc = mc_req_param_id(r, 1, "record", &c.adjustment_id)) != MC_OK) ||
      (rc = mc_req_json(r, &body)) != MC_OK) {
    return rc;
  }
  rc = mc_json_only(body, allowed, &r->err);
  if (rc == MC_OK && note_key != NULL) {
    rc = mc_json_str(body, note_key, note_required, 4000, &r->arena, &c.note,
                     &r->err);
  }
  if (rc == MC_OK && act == MC_TASK_REPORT) {
    rc = mc_json_int(body, "percent", 0, 0, 100, &pct, &r->err);
    c.percent = (int)pct;
    if (rc == MC_OK) {
      rc = body_number(r, body, "value", &c.value, &c.has_value);
    }
  }
  if (rc == MC_OK && act == MC_TASK_ADJUST) {
    rc = body_date(r, body, "proposed", 1, &c.proposed);
  }
  if (rc == MC_OK && act == MC_TASK_DECIDE) {
    rc = mc_json_str(body, "decision", 1, 16, &r->arena, &c.decision, &r->err);
  }
  json_decref(body);
  if (rc != MC_OK) {
    return rc;
  }
  wctx(r, &c.w);
  rc = mc_http_write(r, action_fn, &c);
  json_decref(c.w.out);
  return rc;
}

int mc_h_task_reports(struct mc_req *r) {
  static const char *const k[] = {"percent", "value", "note", NULL};

  return task_action(r, MC_TASK_REPORT, k, "note", 1);
}

int mc_h_task_done(struct mc_req *r) {
  static const char *const k[] = {"evidence", NULL};

  return task_action(r, MC_TASK_DONE, k, "evidence", 1);
}

int mc_h_task_accept(struct mc_req *r) {
  static const char *const k[] = {"note", NULL};

  return task_action(r, MC_TASK_ACCEPT, k, "note", 0);
}

int mc_h_task_return(struct mc_req *r) {
  static const char *const k[] = {"note", NULL};

  return task_action(r, MC_TASK_RETURN, k, "note", 1);
}

int mc_h_task_adjust(struct mc_req *r) {
  static const char *const k[] = {"reason", "proposed", NULL};

  return task_action(r, MC_TASK_ADJUST, k, "reason", 1);
}

int mc_h_task_adjust_decide(struct mc_req *r) {
  static const char *const k[] = {"decision", "note", NULL};

  return task_action(r, MC_TASK_DECIDE, k, "note", 0);
}

int mc_h_task_cause(struct mc_req *r) {
  static const char *const k[] = {"cause", NULL};

  return task_action(r, MC_TASK_CAUSE, k, "cause", 1);
}

int mc_h_unit_task_report(struct mc_req *r) {
  struct mc_db *db;
  struct mc_unit u;
  struct mc_buf b;
  json_t *out = NULL;
  const char *fmt = mc_req_query(r, "format");
  const char *fs = mc_req_query(r, "from"), *ts = mc_req_query(r, "to");
  int32_t from = 0, to = 0;
  long long id;
  int rc;

  if ((rc = mc_http_require(r, MC_R_OFFICIALS)) != MC_OK) {
    return rc;
  }
  if (fs == NULL || ts == NULL || mc_parse_date(fs, &from) != 0 ||
      mc_parse_date(ts, &to) != 0) {
    return mc_err_set(&r->err, MC_EINVAL, 400, "bad_date", "from",
                      "from and to must be dates YYYY-MM-DD");
  }
  if (fmt != NULL && strcmp(fmt, "json") != 0 && strcmp(fmt, "xlsx") != 0 &&
      strcmp(fmt, "pdf") != 0) {
    return mc_err_set(&r->err, MC_EINVAL, 400, "bad_format", "format",
                      "format is json, xlsx or pdf");
  }
  if ((db = mc_req_db(r)) == NULL) {
    return MC_EDB;
  }
  if (mc_parse_i64(r->params[0], &id) == 0 && id > 0) {
    rc = mc_unit_get(db, id, &u, &r->err);
  } else {
    rc = mc_unit_get_by_code(db, r->params[0], &u, &r->err);
  }
  if (rc == MC_OK) {
    rc = mc_task_report(db, &r->actor, u.id, from, to, r->now, &r->arena, &out,
                        &r->err);
  }
  if (rc != MC_OK) {
    return rc;
  }
  if (fmt == NULL || strcmp(fmt, "json") == 0) {
    return mc_http_json(r, 200, out);
  }
  if (strcmp(fmt, "pdf") == 0) {
    mc_buf_init(&b, MC_DOC_PDF_MAX);
    rc = mc_task_report_pdf(out, r->now, &r->arena, &b, &r->err);
    json_decref(out);
    if (rc == MC_OK) {
      rc = mc_http_bytes(r, 200, "application/pdf", b.data, b.len);
      mc_http_header(r, "Content-Disposition",
                     "inline; filename=\"bao-cao-nhiem-vu.pdf\"");
    }
    mc_buf_release(&b);
    return rc;
  }
  mc_buf_init(&b, MC_XLSX_MAX);
  rc = mc_task_report_xlsx(out, &b, &r->err);
  json_decref(out);
  if (rc == MC_OK) {
    rc = mc_http_bytes(r, 200, XLSX_TYPE, b.data, b.len);
    mc_http_header(r, "Content-Disposition",
                   "attachment; filename=\"bao-cao-nhiem-vu.xlsx\"");
  }
  mc_buf_release(&b);
  return rc;
}
