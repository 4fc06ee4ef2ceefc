#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/file.h"
#include "util/text.h"

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
mc_cli_int(const char *cmd, int argc, char **argv, const char *name,
           long long min, long long max, long long *out)
{
    const char *s = mc_cli_opt(argc, argv, name);
    long long v;

    if (s == NULL) {
        return 0;
    }
    if (mc_parse_i64(s, &v) != 0 || v < min || v > max) {
        fprintf(stderr, "motcua %s: %s must be %lld..%lld\n", cmd, name, min,
                max);
        return -1;
    }
    *out = v;
    return 1;
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

int
mc_cli_read_file(const char *cmd, const char *path, struct mc_buf *b)
{
    int rc = mc_file_read(path, b);

    if (rc == MC_ETOOBIG) {
        fprintf(stderr, "motcua %s: %s is larger than %zu MiB\n", cmd, path,
                b->max >> 20);
    } else if (rc != MC_OK) {
        fprintf(stderr, "motcua %s: cannot read %s: %s\n", cmd, path,
                rc == MC_ENOTFOUND ? "no such file" : strerror(errno));
    }
    return rc;
}

int
mc_cli_open_db(const char *cmd, const char *path, struct mc_db **db,
               struct mc_writer **w)
{
    struct mc_err err;

    mc_err_clear(&err);
    *db = NULL;
    *w = NULL;
    if (mc_db_open(path, MC_DB_WRITE, db, &err) != MC_OK ||
        mc_db_migrate(*db, &err) != MC_OK ||
        mc_writer_direct(*db, w, &err) != MC_OK) {
        fprintf(stderr, "motcua %s: %s\n", cmd, err.message);
        mc_db_close(*db);
        *db = NULL;
        return MC_EDB;
    }
    return MC_OK;
}
