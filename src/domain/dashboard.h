/*
 * dashboard.h - the leadership dashboard (issue 5): the on-time trend per
 * month, the worst hand-over steps by delay and the open dossiers near
 * their due instant, for a unit and its whole subtree, as JSON (shapes in
 * docs/openapi.json) or as an Excel table.
 *
 * The trend reads only the per unit x procedure x day counters kept by
 * evaluation.c (eval_rollup), never the dossiers; the steps read the
 * ledger (dossier_steps) handed over in the period; near-due reads the
 * open dossiers by due instant.
 *
 * Scope (mc_dash_unit): leaders see their unit's subtree, inspectors and
 * administrators everything, desk officers and specialists their own unit
 * only; anyone else is refused (403).
 */
#ifndef MC_DOMAIN_DASHBOARD_H
#define MC_DOMAIN_DASHBOARD_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "db/q_units.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/period.h"

/* Longest trend, in months. */
#define MC_DASH_MAX_MONTHS 60

/*
 * The unit a dashboard request is about, checked against the actor:
 * unit_id 0 means the actor's own unit (inspectors and administrators:
 * the first root, the province). Errors: 403 forbidden (role),
 * 404 unknown_unit (field "unit"), 403 out_of_scope.
 */
int mc_dash_unit(struct mc_db *db, const struct mc_actor *actor,
                 int64_t unit_id, struct mc_unit *out,
                 struct mc_err *err) MC_WUR;

/*
 * {"unit","items":[{"month","received","finished","on_time","rate",
 * "online"}]} for every month from the month of day `from` to the month
 * of day `to` (at most MC_DASH_MAX_MONTHS, else 400 range_too_long;
 * to before from: 400 bad_range). rate = on_time / finished, null when
 * nothing finished; online = dossiers received online. *out is a new
 * reference.
 */
int mc_dash_trend(struct mc_db *db, const struct mc_actor *actor,
                  int64_t unit_id, int32_t from, int32_t to,
                  struct mc_arena *a, json_t **out,
                  struct mc_err *err) MC_WUR;

/*
 * {"unit","period","items":[{"step","unit","official","steps","late",
 * "late_rate","delay_hours","avg_delay_hours"}]}: the ledger steps handed
 * over in period p grouped by step name, unit and official, worst total
 * delay first, at most limit (1..100) groups with a late step.
 * avg_delay_hours = delay per late step. *out is a new reference.
 */
int mc_dash_steps(struct mc_db *db, const struct mc_actor *actor,
                  int64_t unit_id, const struct mc_period *p, int limit,
                  struct mc_arena *a, json_t **out,
                  struct mc_err *err) MC_WUR;

/*
 * {"unit","items":[{"id","code","procedure","holder","status","due_at",
 * "hours_left"}]}: running dossiers (clock not paused) due within hours
 * of now or already overdue, earliest first, at most limit. hours_left
 * is negative when overdue. *out is a new reference.
 */
int mc_dash_near_due(struct mc_db *db, const struct mc_actor *actor,
                     int64_t unit_id, int hours, int limit, int64_t now,
                     struct mc_arena *a, json_t **out,
                     struct mc_err *err) MC_WUR;

enum mc_dash_table { MC_DASH_TREND = 0, MC_DASH_STEPS, MC_DASH_NEAR_DUE };

/*
 * The items of a JSON answer of the functions above (borrowed) as one
 * Excel sheet with Vietnamese headers, appended to out (borrowed, bounded).
 * Errors of mc_xlsx_*.
 */
int mc_dash_xlsx(enum mc_dash_table t, json_t *answer, struct mc_buf *out,
                 struct mc_err *err) MC_WUR;

/* The attachment file name of table t ("bang-dieu-khien-xu-huong.xlsx"). */
const char *mc_dash_xlsx_name(enum mc_dash_table t);

#endif
