/*
 * router.c - the route table and matcher.
 */
#include "http/router.h"

#include <string.h>

const struct mc_route mc_routes[] = {
    {"GET", "/api/v1/health", mc_h_health, MC_RT_INLINE},
    {"GET", "/api/v1/openapi.json", mc_h_openapi, 0},
    {"POST", "/api/v1/sessions", mc_h_session_create, 0},
    {"DELETE", "/api/v1/sessions/current", mc_h_session_delete, 0},
    {"GET", "/api/v1/me", mc_h_me, MC_RT_INLINE},
    {"GET", "/api/v1/procedures", mc_h_procedures_list, 0},
    {"GET", "/api/v1/procedures/{id}", mc_h_procedure_get, 0},
    {"PUT", "/api/v1/procedures/{id}", mc_h_procedure_update, 0},
    {"POST", "/api/v1/catalog/import", mc_h_catalog_import, 0},
    {"GET", "/api/v1/units", mc_h_units_list, 0},
    {"GET", "/api/v1/units/{id}", mc_h_unit_get, 0},
    {"GET", "/api/v1/units/{id}/workhours", mc_h_unit_workhours_get, 0},
    {"PUT", "/api/v1/units/{id}/workhours", mc_h_unit_workhours_put, 0},
    {"GET", "/api/v1/units/{id}/register", mc_h_unit_register, 0},
    {"GET", "/api/v1/accounts", mc_h_accounts_list, 0},
    {"POST", "/api/v1/accounts", mc_h_accounts_create, 0},
    {"GET", "/api/v1/dossiers", mc_h_dossiers_list, 0},
    {"POST", "/api/v1/dossiers", mc_h_dossiers_create, MC_RT_INLINE},
    {"GET", "/api/v1/dossiers/{id}", mc_h_dossier_get, MC_RT_INLINE},
    {"POST", "/api/v1/dossiers/{id}/transitions", mc_h_dossier_transition, MC_RT_INLINE},
    {"GET", "/api/v1/dossiers/{id}/events", mc_h_dossier_events, 0},
    {"GET", "/api/v1/dossiers/{id}/files", mc_h_dossier_files_list, 0},
    {"POST", "/api/v1/dossiers/{id}/files", mc_h_dossier_file_upload, 0},
    {"GET", "/api/v1/dossiers/{id}/files/{fid}", mc_h_dossier_file_get, 0},
    {"GET", "/api/v1/public/dossiers/{code}", mc_h_public_dossier, MC_RT_INLINE},
    {"GET", "/api/v1/dossiers/{id}/forms/{form}", mc_h_dossier_form, 0},
    {"GET", "/api/v1/violations", mc_h_violations_list, 0},
    {"POST", "/api/v1/violations/{id}/decision", mc_h_violation_decide, 0},
    {"GET", "/api/v1/discipline/summary", mc_h_discipline_summary, 0},
    {"GET", "/api/v1/apologies", mc_h_apologies_list, 0},
    {"POST", "/api/v1/apologies/{id}/approve", mc_h_apology_approve, 0},
    {"POST", "/api/v1/apologies/{id}/dismiss", mc_h_apology_dismiss, 0},
    {"GET", "/api/v1/notifications", mc_h_notifications_list, 0},
    {"POST", "/api/v1/notifications/{id}/read", mc_h_notification_read, 0},
    {"GET", "/api/v1/calendar/lunar", mc_h_cal_lunar, 0},
    {"GET", "/api/v1/calendar/solar", mc_h_cal_solar, 0},
    {"GET", "/api/v1/calendar/add", mc_h_cal_add, 0},
    {"GET", "/api/v1/calendar/between", mc_h_cal_between, 0},
    {"GET", "/api/v1/calendar/year", mc_h_cal_year, 0},
    {"POST", "/api/v1/calendar/days", mc_h_cal_set_day, 0},
    {"GET", "/api/v1/directives", mc_h_directives_list, 0},
    {"POST", "/api/v1/directives", mc_h_directives_create, 0},
    {"GET", "/api/v1/directives/{id}", mc_h_directive_get, 0},
    {"GET", "/api/v1/tasks", mc_h_tasks_list, 0},
    {"POST", "/api/v1/tasks", mc_h_tasks_create, 0},
    {"GET", "/api/v1/tasks/{id}", mc_h_task_get, 0},
    {"POST", "/api/v1/tasks/{id}/reports", mc_h_task_reports, 0},
    {"POST", "/api/v1/tasks/{id}/done", mc_h_task_done, 0},
    {"POST", "/api/v1/tasks/{id}/accept", mc_h_task_accept, 0},
    {"POST", "/api/v1/tasks/{id}/return", mc_h_task_return, 0},
    {"POST", "/api/v1/tasks/{id}/adjustments", mc_h_task_adjust, 0},
    {"POST", "/api/v1/tasks/{id}/adjustments/{aid}/decision",
     mc_h_task_adjust_decide, 0},
    {"POST", "/api/v1/tasks/{id}/cause", mc_h_task_cause, 0},
    {"GET", "/api/v1/units/{id}/task-report", mc_h_unit_task_report, 0},
    {"POST", "/api/v1/test/clock", mc_h_test_clock, 0},
    {"POST", "/api/v1/feedback", mc_h_feedback_create, 0},
    {"GET", "/api/v1/feedback", mc_h_feedback_list, 0},
    {"GET", "/api/v1/feedback/{id}", mc_h_feedback_get, 0},
    {"POST", "/api/v1/feedback/{id}/forward", mc_h_feedback_action, 0},
    {"POST", "/api/v1/feedback/{id}/reject", mc_h_feedback_action, 0},
    {"POST", "/api/v1/feedback/{id}/request-info", mc_h_feedback_action, 0},
    {"POST", "/api/v1/feedback/{id}/answer", mc_h_feedback_action, 0},
    {"POST", "/api/v1/feedback/{id}/approve", mc_h_feedback_action, 0},
    {"POST", "/api/v1/feedback/{id}/publish", mc_h_feedback_action, 0},
    {"POST", "/api/v1/feedback/{id}/rate", mc_h_feedback_action, 0},
    {"GET", "/api/v1/feedback/{id}/files", mc_h_feedback_files_list, 0},
    {"POST", "/api/v1/feedback/{id}/files", mc_h_feedback_file_upload, 0},
    {"GET", "/api/v1/feedback/{id}/files/{fid}", mc_h_feedback_file_get, 0},
    {"GET", "/api/v1/public/feedback", mc_h_public_feedback_list, 0},
    {"GET", "/api/v1/public/feedback/{id}", mc_h_public_feedback_get, 0},
    {"POST", "/api/v1/open311/keys", mc_h_open311_key_create, 0},
    {"GET", "/open311/v2/services.json", mc_h_open311_services, 0},
    {"GET", "/open311/v2/services/{code}", mc_h_open311_service, 0},
    {"POST", "/open311/v2/requests.json", mc_h_open311_request_create, 0},
    {"GET", "/open311/v2/requests.json", mc_h_open311_requests_list, 0},
    {"GET", "/open311/v2/requests/{id}", mc_h_open311_request_get, 0},
    {"POST", "/api/v1/dossiers/{id}/evaluation",
     mc_h_dossier_evaluation_create, 0},
    {"GET", "/api/v1/dossiers/{id}/evaluation", mc_h_dossier_evaluation_get, 0},
    {"POST", "/api/v1/public/evaluations", mc_h_public_evaluation_create, 0},
    {"GET", "/api/v1/dashboard/trend", mc_h_dashboard_trend, 0},
    {"GET", "/api/v1/dashboard/steps", mc_h_dashboard_steps, 0},
    {"GET", "/api/v1/dashboard/near-due", mc_h_dashboard_near_due, 0},
    {"GET", "/api/v1/evaluation/766", mc_h_eval_766, 0},
    {"GET", "/api/v1/evaluation/766/dossiers", mc_h_eval_766_dossiers, 0},
    {"PUT", "/api/v1/evaluation/766/manual", mc_h_eval_766_manual, 0},
    {"GET", "/api/v1/evaluation/tt01", mc_h_eval_tt01, 0},
    {"GET", "/api/v1/evaluation/ranking", mc_h_eval_ranking, 0},
    {"GET", "/api/v1/evaluation/scorecard", mc_h_eval_scorecard, 0},
};

const int mc_routes_count = sizeof(mc_routes) / sizeof(mc_routes[0]);

/* Match pattern against path; fill params when r != NULL. */
static int
match(const char *pat, const char *path, struct mc_req *r)
{
    int np = 0;

    while (*pat && *path) {
        if (*pat == '{') {
            const char *end = strchr(path, '/');
            size_t n = end ? (size_t)(end - path) : strlen(path);

            if (n == 0 || np == MC_MAX_PARAMS) {
                return 0;
            }
            if (r != NULL) {
                r->params[np] = mc_arena_strndup(&r->arena, path, n);
            }
            np++;
            path += n;
            pat = strchr(pat, '}');
            if (pat == NULL) {
                return 0;
            }
            pat++;
            continue;
        }
        if (*pat != *path) {
            return 0;
        }
        pat++;
        path++;
    }
    if (*pat != '\0' || *path != '\0') {
        return 0;
    }
    if (r != NULL) {
        r->nparams = np;
    }
    return 1;
}

const struct mc_route *
mc_route_match(struct mc_req *r, const char *method, const char *path,
               int *path_known)
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;

    *path_known = 0;
    for (int i = 0; i < mc_routes_count; i++) {
        if (!match(mc_routes[i].pattern, path, NULL)) {
            continue;
        }
        *path_known = 1;
        if (strcmp(mc_routes[i].method, m) == 0) {
            match(mc_routes[i].pattern, path, r);
            return &mc_routes[i];
        }
    }
    return NULL;
}
