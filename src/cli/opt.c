#include <string.h>

#include "cli/cli.h"

const char *
mc_cli_opt(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);

    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], name, n) == 0) {
            if (argv[i][n] == '\0' && i + 1 < argc) {
                return argv[i + 1];
            }
            if (argv[i][n] == '=') {
                return argv[i] + n + 1;
            }
        }
    }
    return NULL;
}

int
mc_cli_flag(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

int
mc_cli_wants_help(int argc, char **argv)
{
    return mc_cli_flag(argc, argv, "--help") || mc_cli_flag(argc, argv, "-h");
}
