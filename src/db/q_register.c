/*
 * q_register.c - SQL for the dossier register (see q_register.h).
 */
#include "db/q_register.h"

#include <string.h>

int
mc_q_register_rows(struct mc_db *db, const char *lo, const char *hi,
                   int64_t from, int64_t to, size_t max, struct mc_arena *a,
                   struct mc_doc_register_row **rows, size_t *n, int *more,
                   struct mc_err *err)
{
    struct mc_stmt *st;
    int rc = MC_OK;

    *n = 0;
    *more = 0;
    *rows = mc_arena_zalloc(a, sizeof(**rows) * (max + 1));
    if (*rows == NULL) {
        return MC_ENOMEM;
    }
    st = mc_db_prep(db,
                    "SELECT d.code, p.name, d.applicant_name, "
                    "d.applicant_address, d.applicant_phone, u.name, "
                    "d.received_at, d.due_at, (SELECT MIN(s.arrived_at) "
                    "FROM dossier_steps s WHERE s.dossier_id = d.id AND "
                    "s.step_seq = 2), d.finished_at, d.returned_at, "
                    "d.state, d.reschedules FROM dossiers d JOIN "
                    "procedures p ON p.id = d.procedure_id JOIN units u ON "
                    "u.id = d.unit_id WHERE d.recv_unit_path >= ? AND "
                    "d.recv_unit_path < ? AND d.received_at >= ? AND "
                    "d.received_at < ? ORDER BY d.received_at, d.id "
                    "LIMIT ?",
                    err);
    if (st == NULL) {
        return MC_EDB;
    }
    mc_stmt_bindv(st, "ttiii", lo, hi, from, to, (int64_t)max + 1);
    while ((rc = mc_stmt_step(st, err)) == MC_DB_ROW) {
        struct mc_doc_register_row *r = &(*rows)[*n];
        const char *state = mc_stmt_text(st, 11);

        if (*n == max) {
            *more = 1;
            break;
        }
        r->seq = (long)*n + 1;
        r->dossier_code = mc_stmt_strdup(a, st, 0);
        r->procedure = mc_stmt_strdup(a, st, 1);
        r->sets = 1;
        r->applicant = mc_stmt_strdup(a, st, 2);
        r->address = mc_stmt_strdup(a, st, 3);
        r->phone = mc_stmt_strdup(a, st, 4);
        r->lead_agency = mc_stmt_strdup(a, st, 5);
        r->received_at = mc_stmt_i64(st, 6);
        r->due_at = mc_stmt_i64(st, 7);
        r->forwarded_at = mc_stmt_i64(st, 8);
        r->resolved_at = mc_stmt_i64(st, 9);
        r->returned_at = mc_stmt_i64(st, 10);
        if (state != NULL && strcmp(state, "rejected") == 0) {
            r->note = "Từ chối giải quyết";
        } else if (state != NULL && strcmp(state, "stopped") == 0) {
            r->note = "Dừng giải quyết";
        } else if (mc_stmt_i64(st, 12) > 0) {
            r->note = "Đã xin lỗi, hẹn lại ngày trả";
        }
        (*n)++;
    }
    mc_stmt_done(st);
    return rc < 0 ? rc : MC_OK;
}
