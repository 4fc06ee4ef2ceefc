/*
 * cli_init.c - `motcua init`: create (or migrate) a database, seed the
 * working-day calendar, and optionally load Hanoi's demo data.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "db/q_units.h"
#include "db/writer.h"
#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/demo.h"
#include "domain/tasks.h"
#include "sec/password.h"
#include "util/mctime.h"

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: motcua init --db PATH [--demo]\n\n"
            "Create the database at PATH (or bring an existing one up to\n"
            "date), seed the working-day calendar, and with --demo load\n"
            "Hanoi's units, the real national procedure catalog and demo\n"
            "accounts for every role (their logins are printed).\n");
}

static void
print_logins(void)
{
    size_t n = 0;
    const struct mc_demo_login *l = mc_demo_logins(&n);

    printf("\nDemo logins (http://127.0.0.1:8080):\n");
    printf("  %-20s %-16s %-11s %s\n", "username", "password", "role",
           "unit");
    for (size_t i = 0; i < n; i++) {
        printf("  %-20s %-16s %-11s %s\n", l[i].username, l[i].password,
               l[i].role, l[i].unit_code ? l[i].unit_code : "-");
    }
}

int
mc_cli_init(int argc, char **argv)
{
    const char *path = mc_cli_opt(argc, argv, "--db");
    int demo = mc_cli_flag(argc, argv, "--demo");
    struct mc_db *db = NULL;
    struct mc_writer *w = NULL;
    struct mc_catalog_import imp;
    struct mc_err err;
    int64_t have = 0;
    int status = 1;

    if (mc_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (path == NULL) {
        usage(stderr);
        return 2;
    }
    mc_err_clear(&err);
    if (mc_db_open(path, MC_DB_WRITE, &db, &err) != MC_OK ||
        mc_db_migrate(db, &err) != MC_OK ||
        mc_writer_direct(db, &w, &err) != MC_OK) {
        fprintf(stderr, "motcua init: %s\n", err.message);
        goto out;
    }
    if (mc_writer_run(w, mc_calendar_seed, NULL, &err) != MC_OK) {
        fprintf(stderr, "motcua init: calendar: %s\n", err.message);
        goto out;
    }
    if (demo) {
        if (mc_q_unit_count(db, NULL, &have, &err) != MC_OK) {
            fprintf(stderr, "motcua init: %s\n", err.message);
            goto out;
        }
        if (have > 0) {
            fprintf(stderr, "motcua init: %s already has units; demo data "
                            "is loaded only into a new database\n",
                    path);
            goto out;
        }
        mc_password_set_fast(0);
        if (mc_writer_run(w, mc_demo_seed_units_accounts, NULL, &err) !=
            MC_OK) {
            fprintf(stderr, "motcua init: demo units/accounts: %s\n",
                    err.message);
            goto out;
        }
        memset(&imp, 0, sizeof(imp));
        imp.at = mc_local_ts(mc_days_from_civil(2020, 1, 1), 0);
        if (mc_writer_run(w, mc_catalog_import_demo, &imp, &err) != MC_OK) {
            fprintf(stderr, "motcua init: demo catalog: %s\n", err.message);
            goto out;
        }
        if (mc_writer_run(w, mc_tasks_seed_demo, NULL, &err) != MC_OK) {
            fprintf(stderr, "motcua init: demo tasks: %s\n", err.message);
            goto out;
        }
        printf("motcua: demo database %s ready: %d procedures\n", path,
               imp.total);
        print_logins();
    } else {
        printf("motcua: database %s ready\n", path);
    }
    status = 0;
out:
    mc_writer_stop(w);
    mc_db_close(db);
    return status;
}
