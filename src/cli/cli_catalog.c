/*
 * cli_catalog.c - `motcua catalog`: import, export, list, show and set
 * the time limit of procedures in the catalog.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "db/writer.h"
#include "domain/catalog.h"
#include "util/buf.h"
#include "util/mctime.h"
#include "util/text.h"

#define FILE_MAX ((size_t)64 << 20)

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: motcua catalog <command> [options] --db PATH\n\n"
            "  import FILE [--documents FILE] [--at TIME]\n"
            "      import procedures from FILE: .csv in the format of\n"
            "      data/real/procedures.csv (with --documents, the\n"
            "      procedure_documents.csv format), or .json (the export\n"
            "      format). Changed procedures get a new version effective\n"
            "      from TIME (ISO 8601, default now); unchanged ones none.\n"
            "  export --format csv|json [--out FILE] [--documents FILE]\n"
            "      write the latest versions to FILE (default stdout); for\n"
            "      csv, the dossier components go to --documents FILE.\n"
            "  list [--q TEXT] [--field TEXT] [--flag incomplete|"
            "unit_assumed]\n"
            "       [--limit N] [--offset N]\n"
            "      search (accents optional: \"khai sinh\" finds \"Thủ tục\n"
            "      đăng ký khai sinh\"; a code prefix works too).\n"
            "  show CODE [--at TIME]\n"
            "      the version in force at TIME (default now), as JSON.\n"
            "  set CODE --unit workdays|halfdays|workhours|sameday\n"
            "      [--value N] [--cutoff-15h] [--pause restart|subtract]\n"
            "      [--at TIME]\n"
            "      an administrator's time limit (clears the unit-assumed\n"
            "      and incomplete flags; default steps when the limit\n"
            "      changes). Chứng thực: --unit sameday --cutoff-15h.\n");
}

static int
write_out(const char *path, const struct mc_buf *b)
{
    FILE *f = path != NULL ? fopen(path, "wb") : stdout;
    int ok;

    if (f == NULL) {
        fprintf(stderr, "motcua catalog: %s: %s\n", path, strerror(errno));
        return 1;
    }
    ok = b->len == 0 || fwrite(b->data, 1, b->len, f) == b->len;
    ok = fflush(f) == 0 && ok;
    if (path != NULL) {
        ok = fclose(f) == 0 && ok;
    }
    if (!ok) {
        fprintf(stderr, "motcua catalog: cannot write %s\n",
                path != NULL ? path : "stdout");
    }
    return ok ? 0 : 1;
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && mc_ascii_casecmp(s + n - k, suffix) == 0;
}

/* --at TIME or now; -1 (message printed) if TIME is malformed. */
static int
opt_at(int argc, char **argv, int64_t *at)
{
    const char *s = mc_cli_opt(argc, argv, "--at");

    *at = mc_now();
    if (s != NULL && mc_parse_ts(s, at) != 0) {
        fprintf(stderr, "motcua catalog: --at: expected YYYY-MM-DD or "
                        "YYYY-MM-DDTHH:MM\n");
        return -1;
    }
    return 0;
}

static int
cmd_import(struct mc_db *db, struct mc_writer *w, int argc, char **argv)
{
    const char *path = argc > 2 && argv[2][0] != '-' ? argv[2] : NULL;
    const char *docs = mc_cli_opt(argc, argv, "--documents");
    struct mc_catalog_import im;
    struct mc_buf text, dtext;
    struct mc_err err;
    int json, status = 1, rc;

    if (path == NULL) {
        usage(stderr);
        return 2;
    }
    json = ends_with(path, ".json");
    if (!json && !ends_with(path, ".csv")) {
        fprintf(stderr, "motcua catalog: %s: expected a .csv or .json "
                        "file\n", path);
        return 2;
    }
    memset(&im, 0, sizeof(im));
    mc_err_clear(&err);
    mc_buf_init(&text, FILE_MAX);
    mc_buf_init(&dtext, FILE_MAX);
    if (opt_at(argc, argv, &im.at) != 0 || mc_cli_read_file("catalog", path, &text) != 0 ||
        (docs != NULL && mc_cli_read_file("catalog", docs, &dtext) != 0)) {
        goto out;
    }
    if (json && docs != NULL) {
        fprintf(stderr, "motcua catalog: --documents is for CSV; the JSON "
                        "format carries its components\n");
        status = 2;
        goto out;
    }
    im.text = text.data;
    im.len = text.len;
    im.docs = docs != NULL ? dtext.data : NULL;
    im.docs_len = dtext.len;
    rc = mc_writer_run(w, json ? mc_catalog_import_json
                               : mc_catalog_import_csv,
                       &im, &err);
    if (rc != MC_OK) {
        fprintf(stderr, "motcua catalog import: %s\n", err.message);
        goto out;
    }
    printf("imported %d procedures: %d new, %d new versions, %d "
           "unchanged\n", im.total, im.created, im.versioned, im.unchanged);
    status = 0;
out:
    mc_buf_release(&text);
    mc_buf_release(&dtext);
    return status;
}

static int
cmd_export(struct mc_db *db, int argc, char **argv)
{
    const char *fmt = mc_cli_opt(argc, argv, "--format");
    const char *out = mc_cli_opt(argc, argv, "--out");
    const char *docs = mc_cli_opt(argc, argv, "--documents");
    struct mc_buf b, d;
    struct mc_err err;
    int status = 1, rc;

    if (fmt == NULL || (strcmp(fmt, "csv") != 0 && strcmp(fmt, "json"))) {
        usage(stderr);
        return 2;
    }
    mc_err_clear(&err);
    mc_buf_init(&b, FILE_MAX);
    mc_buf_init(&d, FILE_MAX);
    if (strcmp(fmt, "json") == 0) {
        rc = mc_catalog_export_json(db, &b, &err);
    } else {
        rc = mc_catalog_export_csv(db, &b, docs != NULL ? &d : NULL, &err);
    }
    if (rc != MC_OK) {
        fprintf(stderr, "motcua catalog export: %s\n", err.message);
    } else if (write_out(out, &b) == 0 &&
               (docs == NULL || strcmp(fmt, "csv") != 0 ||
                write_out(docs, &d) == 0)) {
        status = 0;
        if (strcmp(fmt, "csv") == 0 && docs == NULL) {
            fprintf(stderr, "motcua catalog export: dossier components "
                            "not written (add --documents FILE)\n");
        }
    }
    mc_buf_release(&b);
    mc_buf_release(&d);
    return status;
}

static void
print_limit(const struct mc_procedure *p, char *out, size_t outsz)
{
    if (p->incomplete) {
        snprintf(out, outsz, "-");
    } else if (strcmp(p->limit_unit, MC_UNIT_SAMEDAY) == 0) {
        snprintf(out, outsz, "sameday%s", p->cutoff_15h ? "/15h" : "");
    } else {
        snprintf(out, outsz, "%lld %s", (long long)p->limit_value,
                 p->limit_unit);
    }
}

static int
cmd_list(struct mc_db *db, int argc, char **argv)
{
    const char *flag = mc_cli_opt(argc, argv, "--flag");
    const char *ls = mc_cli_opt(argc, argv, "--limit");
    const char *os = mc_cli_opt(argc, argv, "--offset");
    long long limit = 50, offset = 0;
    struct mc_procedure_list list;
    struct mc_arena a;
    struct mc_err err;
    int64_t total = 0;
    int flags = 0, status = 1;

    if ((ls != NULL && mc_parse_i64(ls, &limit) != 0) ||
        (os != NULL && mc_parse_i64(os, &offset) != 0)) {
        fprintf(stderr, "motcua catalog list: --limit/--offset: numbers\n");
        return 2;
    }
    if (flag != NULL) {
        flags = strcmp(flag, "incomplete") == 0     ? MC_CATALOG_INCOMPLETE
                : strcmp(flag, "unit_assumed") == 0 ? MC_CATALOG_UNIT_ASSUMED
                                                    : -1;
        if (flags < 0) {
            fprintf(stderr, "motcua catalog list: --flag incomplete or "
                            "unit_assumed\n");
            return 2;
        }
    }
    mc_err_clear(&err);
    mc_arena_init(&a, 0);
    if (mc_catalog_search(db, mc_cli_opt(argc, argv, "--q"),
                          mc_cli_opt(argc, argv, "--field"), flags, limit,
                          offset, &a, &list, &total, &err) != MC_OK) {
        fprintf(stderr, "motcua catalog list: %s\n", err.message);
        goto out;
    }
    for (size_t i = 0; i < list.n; i++) {
        const struct mc_procedure *p = &list.items[i];
        char lim[48];

        print_limit(p, lim, sizeof(lim));
        printf("%-10s v%-3d %-18s %-13s %s\n", p->code, p->version, lim,
               p->incomplete     ? "incomplete"
               : p->unit_assumed ? "unit_assumed"
                                 : "",
               p->name);
    }
    printf("%zu of %lld\n", list.n, (long long)total);
    status = 0;
out:
    mc_arena_release(&a);
    return status;
}

static int
cmd_show(struct mc_db *db, int argc, char **argv)
{
    const char *code = argc > 2 && argv[2][0] != '-' ? argv[2] : NULL;
    struct mc_procedure *p = NULL;
    struct mc_arena a;
    struct mc_err err;
    int64_t at;
    json_t *o = NULL;
    int status = 1;

    if (code == NULL) {
        usage(stderr);
        return 2;
    }
    if (opt_at(argc, argv, &at) != 0) {
        return 2;
    }
    mc_err_clear(&err);
    mc_arena_init(&a, 0);
    if (mc_catalog_get_in_force(db, code, at, &a, &p, &err) != MC_OK) {
        fprintf(stderr, "motcua catalog show: %s\n", err.message);
        goto out;
    }
    o = mc_catalog_to_json(p, 1);
    if (o != NULL && json_dumpf(o, stdout, JSON_INDENT(2)) == 0 &&
        fputc('\n', stdout) != EOF && fflush(stdout) == 0) {
        status = 0;
    }
out:
    json_decref(o);
    mc_arena_release(&a);
    return status;
}

static int
cmd_set(struct mc_db *db, struct mc_writer *w, int argc, char **argv)
{
    const char *vs = mc_cli_opt(argc, argv, "--value");
    struct mc_catalog_update u;
    struct mc_err err;
    long long v = 0;

    memset(&u, 0, sizeof(u));
    u.code = argc > 2 && argv[2][0] != '-' ? argv[2] : NULL;
    u.limit_unit = mc_cli_opt(argc, argv, "--unit");
    u.pause_policy = mc_cli_opt(argc, argv, "--pause");
    u.cutoff_15h = mc_cli_flag(argc, argv, "--cutoff-15h");
    if (u.code == NULL || u.limit_unit == NULL ||
        (vs != NULL && mc_parse_i64(vs, &v) != 0) ||
        opt_at(argc, argv, &u.at) != 0) {
        usage(stderr);
        return 2;
    }
    u.limit_value = v;
    mc_err_clear(&err);
    if (mc_writer_run(w, mc_catalog_update_limit, &u, &err) != MC_OK) {
        fprintf(stderr, "motcua catalog set: %s\n", err.message);
        return 1;
    }
    printf("%s: %s (version %d)\n", u.code,
           u.changed ? "new version" : "unchanged", u.new_version);
    return 0;
}

int
mc_cli_catalog(int argc, char **argv)
{
    const char *path = mc_cli_opt(argc, argv, "--db");
    const char *cmd = argc > 1 ? argv[1] : NULL;
    struct mc_db *db = NULL;
    struct mc_writer *w = NULL;
    struct mc_err err;
    int status = 1;

    if (mc_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (cmd == NULL || path == NULL ||
        (strcmp(cmd, "import") && strcmp(cmd, "export") &&
         strcmp(cmd, "list") && strcmp(cmd, "show") && strcmp(cmd, "set"))) {
        usage(stderr);
        return 2;
    }
    mc_err_clear(&err);
    if (mc_db_open(path, MC_DB_WRITE, &db, &err) != MC_OK ||
        mc_db_migrate(db, &err) != MC_OK ||
        mc_writer_direct(db, &w, &err) != MC_OK) {
        fprintf(stderr, "motcua catalog: %s\n", err.message);
        goto out;
    }
    if (strcmp(cmd, "import") == 0) {
        status = cmd_import(db, w, argc, argv);
    } else if (strcmp(cmd, "export") == 0) {
        status = cmd_export(db, argc, argv);
    } else if (strcmp(cmd, "list") == 0) {
        status = cmd_list(db, argc, argv);
    } else if (strcmp(cmd, "show") == 0) {
        status = cmd_show(db, argc, argv);
    } else {
        status = cmd_set(db, w, argc, argv);
    }
out:
    mc_writer_stop(w);
    mc_db_close(db);
    return status;
}
