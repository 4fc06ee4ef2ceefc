/*
 * register.h - the dossier register (Mẫu 06, Sổ theo dõi hồ sơ, TT
 * 01/2018) of a receiving unit for a period, as PDF or Excel.
 */
#ifndef MC_DOMAIN_REGISTER_H
#define MC_DOMAIN_REGISTER_H

#include <stdint.h>

#include "db/db.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"

#define MC_REGISTER_PDF_DAYS 31    /* longest period as PDF */
#define MC_REGISTER_XLSX_DAYS 366  /* longest period as Excel */

/* A register request (borrowed pointers). */
struct mc_register_req {
    const struct mc_actor *actor;
    struct mc_arena *arena;
    int64_t now;
    int64_t unit_id;
    int32_t from_day, to_day;      /* local days, both included */
    const char *format;            /* pdf | xlsx */
};

/*
 * Render the register of the dossiers received in unit_id's subtree from
 * from_day to to_day into out (bounded), and its MIME type into *type.
 * Desk officers, leaders and inspectors covering the unit only (403);
 * 404 unknown unit; 400 bad format or to_day < from_day; 422 a period
 * over MC_REGISTER_PDF_DAYS (PDF) or MC_REGISTER_XLSX_DAYS (Excel); 413
 * more than MC_DOC_MAX_ROWS dossiers.
 */
int mc_register_render(struct mc_db *db, const struct mc_register_req *q,
                       struct mc_buf *out, const char **type,
                       struct mc_err *err) MC_WUR;

#endif
