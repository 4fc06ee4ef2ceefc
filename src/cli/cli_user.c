/*
 * cli_user.c - `motcua user`: create and list accounts from the shell.
 *
 *   motcua user add --db PATH --username U --role R --name "Full Name"
 *                   [--unit CODE] [--email E] [--phone P]
 *                   [--password P]      (else read from stdin)
 *   motcua user list --db PATH
 *
 * The CLI acts as the system: accounts it creates are audited with actor
 * "system". Passwords are never echoed or printed.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "db/db.h"
#include "db/writer.h"
#include "domain/account.h"
#include "domain/unit.h"
#include "util/arena.h"

#define PW_LINE_MAX 512

static const struct mc_actor cli_actor = {
    .account_id = 0, .role = MC_ROLE_SYSTEM, .unit_id = 0,
    .unit_path = "", .username = "system",
};

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: motcua user add --db PATH --username U --role R "
            "--name \"Full Name\"\n"
            "                       [--unit CODE] [--email E] [--phone P]\n"
            "                       [--password P]\n"
            "       motcua user list --db PATH\n\n"
            "add     create an account. Roles: citizen, desk, specialist,\n"
            "        leader, inspector, admin, partner. desk, specialist,\n"
            "        leader and inspector need --unit (an agency code such\n"
            "        as H26.00004); citizens have none. Without --password\n"
            "        the password (8-256 bytes) is read from standard input\n"
            "        (a --password argument is visible to other users).\n"
            "list    print every account.\n");
}

/* Read one line from stdin without echo when it is a terminal. */
static int
read_password(char *buf, size_t n)
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO);
    int ok;
    size_t len;

    if (tty) {
        fprintf(stderr, "Password: ");
        fflush(stderr);
        if (tcgetattr(STDIN_FILENO, &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        } else {
            tty = 0;
        }
    }
    ok = fgets(buf, (int)n, stdin) != NULL;
    if (tty) {
        (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fprintf(stderr, "\n");
    }
    if (!ok) {
        return -1;
    }
    len = strlen(buf);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) {
        buf[--len] = '\0';
    }
    return 0;
}

static int
open_db(const char *path, struct mc_db **db, struct mc_writer **w,
        struct mc_err *err)
{
    *db = NULL;
    *w = NULL;
    if (mc_db_open(path, MC_DB_WRITE, db, err) != MC_OK ||
        mc_db_migrate(*db, err) != MC_OK ||
        mc_writer_direct(*db, w, err) != MC_OK) {
        return -1;
    }
    return 0;
}

static int
user_add(int argc, char **argv, struct mc_db *db, struct mc_writer *w)
{
    const char *user = mc_cli_opt(argc, argv, "--username");
    const char *role = mc_cli_opt(argc, argv, "--role");
    const char *name = mc_cli_opt(argc, argv, "--name");
    const char *unit = mc_cli_opt(argc, argv, "--unit");
    const char *pw = mc_cli_opt(argc, argv, "--password");
    char line[PW_LINE_MAX];
    struct mc_account_create c;
    struct mc_unit u;
    struct mc_err err;
    int rc;

    if (user == NULL || role == NULL || name == NULL) {
        usage(stderr);
        return 2;
    }
    memset(&c, 0, sizeof(c));
    mc_err_clear(&err);
    c.actor = &cli_actor;
    c.username = user;
    c.full_name = name;
    c.email = mc_cli_opt(argc, argv, "--email");
    c.phone = mc_cli_opt(argc, argv, "--phone");
    c.role = mc_role_parse(role);
    if (c.role == MC_ROLE_NONE || c.role == MC_ROLE_SYSTEM) {
        fprintf(stderr, "motcua user: unknown role '%s'\n", role);
        return 2;
    }
    if (unit != NULL) {
        if (mc_unit_get_by_code(db, unit, &u, &err) != MC_OK) {
            fprintf(stderr, "motcua user: unit %s: %s\n", unit, err.message);
            return 1;
        }
        c.unit_id = u.id;
    }
    if (pw == NULL) {
        if (read_password(line, sizeof(line)) != 0) {
            fprintf(stderr, "motcua user: no password on standard input\n");
            return 1;
        }
        pw = line;
    }
    rc = mc_account_create_set_password(&c, pw, &err);
    memset(line, 0, sizeof(line));
    if (rc == MC_OK) {
        rc = mc_writer_run(w, mc_account_create, &c, &err);
    }
    memset(c.password_hash, 0, sizeof(c.password_hash));
    if (rc != MC_OK) {
        if (err.field[0] != '\0') {
            fprintf(stderr, "motcua user: %s (field %s)\n", err.message,
                    err.field);
        } else {
            fprintf(stderr, "motcua user: %s\n", err.message);
        }
        return 1;
    }
    printf("created account %lld: %s (%s%s%s)\n", (long long)c.id, user,
           mc_role_name(c.role), unit ? ", unit " : "", unit ? unit : "");
    return 0;
}

static int
user_list(struct mc_db *db)
{
    struct mc_account *list = NULL;
    struct mc_arena a;
    struct mc_err err;
    size_t n = 0;
    int rc;

    mc_arena_init(&a, 256u << 20);
    mc_err_clear(&err);
    rc = mc_account_list(db, &cli_actor, 0, &a, &list, &n, &err);
    if (rc != MC_OK) {
        fprintf(stderr, "motcua user: %s\n", err.message);
        mc_arena_release(&a);
        return 1;
    }
    printf("%-6s %-22s %-11s %-14s %-8s %s\n", "id", "username", "role",
           "unit", "status", "name");
    for (size_t i = 0; i < n; i++) {
        const struct mc_account *x = &list[i];

        printf("%-6lld %-22s %-11s %-14s %-8s %s\n", (long long)x->id,
               x->username, x->role, x->unit_code[0] ? x->unit_code : "-",
               x->active ? "active" : "inactive", x->full_name);
    }
    printf("%zu account(s)\n", n);
    mc_arena_release(&a);
    return 0;
}

int
mc_cli_user(int argc, char **argv)
{
    const char *path = mc_cli_opt(argc, argv, "--db");
    const char *sub = argc > 1 ? argv[1] : NULL;
    struct mc_db *db = NULL;
    struct mc_writer *w = NULL;
    struct mc_err err;
    int status;

    if (mc_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (sub == NULL || path == NULL ||
        (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0)) {
        usage(stderr);
        return 2;
    }
    mc_err_clear(&err);
    if (open_db(path, &db, &w, &err) != 0) {
        fprintf(stderr, "motcua user: %s\n", err.message);
        status = 1;
        goto out;
    }
    status = strcmp(sub, "add") == 0 ? user_add(argc - 1, argv + 1, db, w)
                                     : user_list(db);
out:
    mc_writer_stop(w);
    mc_db_close(db);
    return status;
}
