/*
 * cli.h - sub-commands of the motcua binary (one file each, like git's
 * builtin/). Each takes argv with argv[0] = the sub-command name and
 * returns the process exit status.
 */
#ifndef MC_CLI_CLI_H
#define MC_CLI_CLI_H

struct mc_cli_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

int mc_cli_init(int argc, char **argv);
int mc_cli_serve(int argc, char **argv);
int mc_cli_user(int argc, char **argv);
int mc_cli_catalog(int argc, char **argv);
int mc_cli_audit(int argc, char **argv);
int mc_cli_calendar(int argc, char **argv);

/*
 * Shared option parsing: find "--name VALUE" or "--name=VALUE" in argv.
 * Returns the value (borrowed from argv) or NULL.
 */
const char *mc_cli_opt(int argc, char **argv, const char *name);
/* 1 if the flag "--name" is present. */
int mc_cli_flag(int argc, char **argv, const char *name);
/* 1 if -h or --help is present. */
int mc_cli_wants_help(int argc, char **argv);

#endif
