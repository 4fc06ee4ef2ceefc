/*
 * cli_backup.c - `motcua backup --db PATH --out FILE`: an online,
 * consistent copy of a SQLite database (sqlite3_backup API), safe while
 * `motcua serve` runs. PostgreSQL databases are backed up with pg_dump or
 * a base backup (docs/OPERATIONS.md).
 *
 * Exit status 0 on success, 1 on failure, 2 on a usage error.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: motcua backup --db PATH --out FILE\n\n"
            "Copy the SQLite database PATH (\"sqlite:PATH\" also accepted)\n"
            "to FILE, consistently, while the server keeps running. FILE\n"
            "must not exist. For PostgreSQL use pg_dump or pg_basebackup\n"
            "(see docs/OPERATIONS.md).\n");
}


int
mc_cli_backup(int argc, char **argv)
{
    const char *db = mc_cli_opt(argc, argv, "--db");
    const char *dst = mc_cli_opt(argc, argv, "--out");
    struct mc_err err;
    FILE *f;

    if (mc_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (db == NULL || dst == NULL) {
        usage(stderr);
        return 2;
    }
    if (strncmp(db, "postgres://", 11) == 0 ||
        strncmp(db, "postgresql://", 13) == 0) {
        fprintf(stderr, "motcua backup: %s is a PostgreSQL database: use "
                        "pg_dump -Fc or pg_basebackup\n", db);
        return 2;
    }
    if (strncmp(db, "sqlite:", 7) == 0) {
        db += 7;
    }
    f = fopen(dst, "r");
    if (f != NULL) {
        fclose(f);
        fprintf(stderr, "motcua backup: %s exists\n", dst);
        return 1;
    }
    mc_err_clear(&err);
    if (mc_db_backup(db, dst, &err) != MC_OK) {
        fprintf(stderr, "motcua backup: %s\n", err.message);
        (void)remove(dst);
        return 1;
    }
    printf("motcua: backup of %s written to %s\n", db, dst);
    return 0;
}
