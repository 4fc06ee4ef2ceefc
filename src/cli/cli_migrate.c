/*
 * cli_migrate.c - `motcua migrate --from sqlite:PATH --to postgres://...`:
 * move a SQLite deployment to PostgreSQL.
 *
 * Both databases are brought to the current schema, every table is copied
 * in foreign-key order with its ids (db/q_copy.h), and the audit chain of
 * the target is verified: the audit rows are copied verbatim, so the chain
 * and its record count must come out unchanged.
 *
 * Exit status 0 on success, 1 on failure, 2 on a usage error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "db/q_copy.h"
#include "sec/audit.h"

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: motcua migrate --from sqlite:PATH --to postgres://...\n\n"
            "Copy every table of the SQLite database PATH into an empty\n"
            "PostgreSQL database (create it with createdb first), keeping\n"
            "ids and the audit hash chain, then verify the chain. Stop the\n"
            "servers of PATH first. The files directory is not touched:\n"
            "give `serve --files` the same directory afterwards.\n");
}

int
mc_cli_migrate(int argc, char **argv)
{
    const char *from = mc_cli_opt(argc, argv, "--from");
    const char *to = mc_cli_opt(argc, argv, "--to");
    struct mc_db *src = NULL, *dst = NULL;
    struct mc_err err;
    int64_t rows = 0, n_src = 0, n_dst = 0, bad = 0;
    int status = 1;

    if (mc_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (from == NULL || to == NULL) {
        usage(stderr);
        return 2;
    }
    mc_err_clear(&err);
    if (mc_db_open(from, MC_DB_WRITE, &src, &err) != MC_OK ||
        mc_db_kind(src) != MC_DB_SQLITE || mc_db_migrate(src, &err) != MC_OK) {
        fprintf(stderr, "motcua migrate: source %s: %s\n", from,
                err.message[0] ? err.message : "not a SQLite database");
        goto out;
    }
    if (mc_audit_verify(src, &n_src, &bad, &err) != MC_OK) {
        fprintf(stderr, "motcua migrate: the source audit chain does not "
                        "verify: %s\n", err.message);
        goto out;
    }
    if (mc_db_open(to, MC_DB_WRITE, &dst, &err) != MC_OK ||
        mc_db_migrate(dst, &err) != MC_OK) {
        fprintf(stderr, "motcua migrate: target: %s\n", err.message);
        goto out;
    }
    if (mc_q_copy_all(src, dst, &rows, &err) != MC_OK) {
        fprintf(stderr, "motcua migrate: %s\n", err.message);
        goto out;
    }
    if (mc_audit_verify(dst, &n_dst, &bad, &err) != MC_OK ||
        n_dst != n_src) {
        fprintf(stderr, "motcua migrate: the copied audit chain does not "
                        "verify (%" PRId64 " of %" PRId64 " records): %s\n",
                n_dst, n_src, err.message);
        goto out;
    }
    printf("migrated %" PRId64 " rows; audit chain intact: %" PRId64
           " record(s)\n", rows, n_dst);
    status = 0;
out:
    mc_db_close(dst);
    mc_db_close(src);
    return status;
}
