/*
 * router.h - the route table: method + path pattern -> handler.
 *
 * Patterns are literal segments and {name} placeholders ("/api/v1/
 * dossiers/{id}/transitions"). The table is the single list of the API;
 * the OpenAPI document (docs/openapi.json) must describe every entry, and
 * a unit test checks that.
 */
#ifndef MC_HTTP_ROUTER_H
#define MC_HTTP_ROUTER_H

#include "http/http.h"

typedef int (*mc_handler_fn)(struct mc_req *r);

/*
 * MC_RT_INLINE: the handler runs on an event thread. It may only read
 * through its own reader (short point queries) and write through
 * mc_http_write_async; anything that can block longer (argon2, PDF,
 * reports, lists, uploads, synchronous writes) runs on a worker thread.
 */
#define MC_RT_INLINE 1u

struct mc_route {
    const char *method;
    const char *pattern;
    mc_handler_fn fn;
    unsigned flags;
};

extern const struct mc_route mc_routes[];
extern const int mc_routes_count;

/*
 * Find the route for method+path. Returns the route and fills r->params;
 * NULL with *path_known = 1 when the path exists for another method (405),
 * or NULL with *path_known = 0 (404).
 */
const struct mc_route *mc_route_match(struct mc_req *r, const char *method,
                                      const char *path, int *path_known);

/* Handlers (one file per resource). */
int mc_h_health(struct mc_req *r);
int mc_h_openapi(struct mc_req *r);
int mc_h_session_create(struct mc_req *r);
int mc_h_session_delete(struct mc_req *r);
int mc_h_me(struct mc_req *r);
int mc_h_procedures_list(struct mc_req *r);
int mc_h_procedure_get(struct mc_req *r);
int mc_h_procedure_update(struct mc_req *r);
int mc_h_catalog_import(struct mc_req *r);
int mc_h_units_list(struct mc_req *r);
int mc_h_unit_get(struct mc_req *r);
int mc_h_accounts_list(struct mc_req *r);
int mc_h_accounts_create(struct mc_req *r);
int mc_h_dossiers_list(struct mc_req *r);
int mc_h_dossiers_create(struct mc_req *r);
int mc_h_dossier_get(struct mc_req *r);
int mc_h_dossier_transition(struct mc_req *r);
int mc_h_dossier_events(struct mc_req *r);
int mc_h_dossier_files_list(struct mc_req *r);
int mc_h_dossier_file_upload(struct mc_req *r);
int mc_h_dossier_file_get(struct mc_req *r);
int mc_h_public_dossier(struct mc_req *r);
int mc_h_dossier_form(struct mc_req *r);
int mc_h_violations_list(struct mc_req *r);
int mc_h_violation_decide(struct mc_req *r);
int mc_h_discipline_summary(struct mc_req *r);
int mc_h_apologies_list(struct mc_req *r);
int mc_h_apology_approve(struct mc_req *r);
int mc_h_apology_dismiss(struct mc_req *r);
int mc_h_notifications_list(struct mc_req *r);
int mc_h_notification_read(struct mc_req *r);
int mc_h_test_clock(struct mc_req *r);
int mc_h_cal_lunar(struct mc_req *r);
int mc_h_cal_solar(struct mc_req *r);
int mc_h_cal_add(struct mc_req *r);
int mc_h_cal_between(struct mc_req *r);
int mc_h_cal_year(struct mc_req *r);
int mc_h_cal_set_day(struct mc_req *r);
int mc_h_unit_workhours_get(struct mc_req *r);
int mc_h_unit_workhours_put(struct mc_req *r);
int mc_h_unit_register(struct mc_req *r);
int mc_h_directives_list(struct mc_req *r);
int mc_h_directives_create(struct mc_req *r);
int mc_h_directive_get(struct mc_req *r);
int mc_h_tasks_list(struct mc_req *r);
int mc_h_tasks_create(struct mc_req *r);
int mc_h_task_get(struct mc_req *r);
int mc_h_task_reports(struct mc_req *r);
int mc_h_task_done(struct mc_req *r);
int mc_h_task_accept(struct mc_req *r);
int mc_h_task_return(struct mc_req *r);
int mc_h_task_adjust(struct mc_req *r);
int mc_h_task_adjust_decide(struct mc_req *r);
int mc_h_task_cause(struct mc_req *r);
int mc_h_unit_task_report(struct mc_req *r);
int mc_h_feedback_create(struct mc_req *r);
int mc_h_feedback_list(struct mc_req *r);
int mc_h_feedback_get(struct mc_req *r);
/* POST /feedback/{id}/<action>: forward, reject, request-info, answer,
 * approve, publish, rate (the action is the last path segment). */
int mc_h_feedback_action(struct mc_req *r);
int mc_h_feedback_file_upload(struct mc_req *r);
int mc_h_feedback_files_list(struct mc_req *r);
int mc_h_feedback_file_get(struct mc_req *r);
int mc_h_public_feedback_list(struct mc_req *r);
int mc_h_public_feedback_get(struct mc_req *r);
int mc_h_open311_services(struct mc_req *r);
int mc_h_open311_service(struct mc_req *r);
int mc_h_open311_request_create(struct mc_req *r);
int mc_h_open311_requests_list(struct mc_req *r);
int mc_h_open311_request_get(struct mc_req *r);
int mc_h_open311_key_create(struct mc_req *r);
int mc_h_dossier_evaluation_create(struct mc_req *r);
int mc_h_dossier_evaluation_get(struct mc_req *r);
int mc_h_public_evaluation_create(struct mc_req *r);
int mc_h_dashboard_trend(struct mc_req *r);
int mc_h_dashboard_steps(struct mc_req *r);
int mc_h_dashboard_near_due(struct mc_req *r);
int mc_h_eval_766(struct mc_req *r);
int mc_h_eval_766_dossiers(struct mc_req *r);
int mc_h_eval_766_manual(struct mc_req *r);
int mc_h_eval_tt01(struct mc_req *r);
int mc_h_eval_ranking(struct mc_req *r);
int mc_h_eval_scorecard(struct mc_req *r);

#endif
