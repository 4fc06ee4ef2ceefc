/*
 * cli.h - sub-commands of the motcua binary (one file each, like git's
 * builtin/). Each takes argv with argv[0] = the sub-command name and
 * returns the process exit status.
 */
#ifndef MC_CLI_CLI_H
#define MC_CLI_CLI_H

#include "db/db.h"
#include "db/writer.h"
#include "util/buf.h"

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
int mc_cli_backup(int argc, char **argv);
int mc_cli_migrate(int argc, char **argv);
int mc_cli_calendar(int argc, char **argv);
int mc_cli_sweep(int argc, char **argv);
int mc_cli_gen(int argc, char **argv);

struct mc_app;
struct mc_err;
struct mc_sweeper;
struct mc_outbound_cfg;
/*
 * The outbound options of `sweep` and `serve` into *cfg (strings
 * borrowed from argv): --spool PATH (default
 * var/spool/notifications.jsonl), --smtp HOST:PORT, --smtp-from ADDR,
 * --sms-url http://HOST:PORT/PATH.
 */
void mc_cli_outbound_cfg(int argc, char **argv, struct mc_outbound_cfg *cfg);
/*
 * The sweeper as a background thread of `motcua serve`: every interval
 * seconds (and once at start) it runs the deadline sweep through
 * app->writer under app->cal (read-locked) and delivers pending
 * notifications through the outbound channel of cfg (borrowed for the
 * call). app is borrowed and must outlive the thread; *out owned by the
 * caller (mc_sweeper_stop joins and frees it; NULL is fine).
 */
int mc_sweeper_start(struct mc_app *app, int interval, int near_days,
                     const struct mc_outbound_cfg *cfg,
                     struct mc_sweeper **out, struct mc_err *err);
void mc_sweeper_stop(struct mc_sweeper *s);

/*
 * Shared option parsing: find "--name VALUE" or "--name=VALUE" in argv.
 * Returns the value (borrowed from argv) or NULL.
 */
const char *mc_cli_opt(int argc, char **argv, const char *name);
/*
 * The integer option "--name N" of command cmd, in min..max: 0 when it is
 * absent (*out unchanged), 1 with *out set, -1 after printing "motcua
 * CMD: NAME must be MIN..MAX" to stderr.
 */
int mc_cli_int(const char *cmd, int argc, char **argv, const char *name,
               long long min, long long max, long long *out);
/* 1 if the flag "--name" is present. */
int mc_cli_flag(int argc, char **argv, const char *name);
/* 1 if -h or --help is present. */
int mc_cli_wants_help(int argc, char **argv);

/*
 * Read the file at path into b (bounded by b->max); on failure print
 * "motcua CMD: ..." to stderr and return the MC_E* code.
 */
int mc_cli_read_file(const char *cmd, const char *path, struct mc_buf *b);

/*
 * Open (creating if needed) and migrate the database at path, with a
 * direct writer on it. On failure print "motcua CMD: ..." and return
 * MC_EDB. The caller closes with mc_writer_stop(*w) then mc_db_close(*db).
 */
int mc_cli_open_db(const char *cmd, const char *path, struct mc_db **db,
                   struct mc_writer **w);

#endif
