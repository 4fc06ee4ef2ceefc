/*
 * main.c - motcua entry point: dispatch to a sub-command.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct mc_cli_cmd commands[] = {
    {"init", mc_cli_init, "create a database (optionally with demo data)"},
    {"serve", mc_cli_serve, "serve the JSON API and web UI"},
    {"user", mc_cli_user, "manage accounts (user add ...)"},
    {"catalog", mc_cli_catalog, "import or export the procedure catalog"},
    {"audit", mc_cli_audit, "verify the audit hash chain"},
    {"backup", mc_cli_backup, "online copy of a SQLite database"},
    {"migrate", mc_cli_migrate, "copy a SQLite database to PostgreSQL"},
    {"calendar", mc_cli_calendar, "lunar dates, holidays and deadlines"},
    {"sweep", mc_cli_sweep, "mark near-due/overdue dossiers, notify"},
    {"gen", mc_cli_gen, "generate realistic dossier history (bench, demo)"},
};

static void
usage(FILE *f)
{
    fprintf(f, "usage: motcua <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "\nRun 'motcua <command> --help' for the options of one "
               "command.\n");
}

int
main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].fn(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "motcua: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
