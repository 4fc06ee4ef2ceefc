/*
 * cli_calendar.c - `motcua calendar`: lunar dates, working days, legal
 * deadlines, and the administration of the holiday calendar.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "db/q_calendar.h"
#include "db/writer.h"
#include "domain/calendar.h"
#include "domain/lunar.h"
#include "domain/recompute.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/mctime.h"
#include "util/text.h"

#define FILE_MAX ((size_t)8 << 20)

struct sub {
    const char *name;
    const char *usage;
};

static const struct sub subs[] = {
    {"lunar", "lunar YYYY-MM-DD\n"
              "      the Vietnamese lunar date (UTC+7) of a solar date:\n"
              "      D/M/YYYY, followed by \" leap\" in a leap month.\n"},
    {"solar", "solar D/M/YYYY [leap]\n"
              "      the solar date YYYY-MM-DD of a lunar date.\n"},
    {"add", "add YYYY-MM-DD[THH:MM] N [days|halfdays|hours|sameday]\n"
            "    [--paper] [--explain] [--hours SPEC] [--basis TEXT]\n"
            "    [--db PATH]\n"
            "      the deadline of a dossier received then with a limit of\n"
            "      N working days (default; the receipt day is not counted,\n"
            "      printed YYYY-MM-DD), half-days or working hours (printed\n"
            "      YYYY-MM-DDTHH:MM). --paper applies the 15:00 cut-off;\n"
            "      --explain prints the provenance JSON after the date;\n"
            "      --hours e.g. \"1-5=08:00-12:00,13:00-17:00\".\n"},
    {"between", "between YYYY-MM-DD YYYY-MM-DD [--db PATH]\n"
                "      working days strictly after the first date up to and\n"
                "      including the second.\n"},
    {"year", "year YYYY [--weekends] [--db PATH]\n"
             "      every day off of the year with its kind and reason\n"
             "      (holidays, nghỉ bù, announced days off) and every\n"
             "      swapped working day; plain weekends with --weekends.\n"},
    {"day", "day YYYY-MM-DD [--db PATH]\n"
            "      kind, reason and legal basis of one day.\n"},
    {"import", "import FILE.csv|FILE.ics --db PATH [--effective TIME]\n"
               "    [--note TEXT]\n"
               "      add announced days (CSV columns date,kind,code,reason,\n"
               "      basis; iCalendar all-day events) or, for a CSV with the\n"
               "      columns of data/calendar/rules.csv, replace the rules.\n"
               "      Creates a new calendar version effective from TIME\n"
               "      (default now). Rows exported with source=rule are\n"
               "      skipped. Open dossiers' due dates are recomputed in\n"
               "      the same transaction and the moved ones printed.\n"},
    {"export", "export --format csv|ics [--year Y] [--rules] [--db PATH]\n"
               "    [--out FILE]\n"
               "      with --year: the year's holidays, nghỉ bù, days off and\n"
               "      working days (source rule or announcement); without:\n"
               "      the announced days (the editable table); --rules: the\n"
               "      rules (csv). Without --db, the built-in calendar.\n"},
    {"set-day", "set-day YYYY-MM-DD off|work|holiday|compensatory|clear\n"
                "    [\"reason\"] [--code CODE] [--basis TEXT]\n"
                "    [--effective TIME] --db PATH\n"
                "      announce one day (holiday and compensatory need the\n"
                "      holiday --code, e.g. TET); clear removes the\n"
                "      announcement. Creates a new calendar version and\n"
                "      recomputes the open dossiers' due dates (not the\n"
                "      closed or rescheduled ones), printing those moved.\n"
                "      The holiday rows of a code in a year replace that\n"
                "      year's rule days of the code (announce the whole\n"
                "      span), and so do compensatory rows for nghỉ bù.\n"},
    {"versions", "versions --db PATH\n"
                 "      the calendar versions with their effective time.\n"},
};

#define NSUBS (int)(sizeof(subs) / sizeof(subs[0]))

static void
usage(FILE *f, const char *only)
{
    fprintf(f, "usage: motcua calendar <command> [options]\n\n");
    for (int i = 0; i < NSUBS; i++) {
        if (only == NULL || strcmp(only, subs[i].name) == 0) {
            fprintf(f, "  %s", subs[i].usage);
        }
    }
}

/* Positional arguments of argv (options and their values removed). */
static int
positionals(int argc, char **argv, char **pos, int max)
{
    static const char *const valued[] = {"--db",   "--format",    "--year",
                                         "--code", "--basis",     "--note",
                                         "--out",  "--effective", "--hours"};
    int n = 0;

    for (int i = 1; i < argc; i++) {
        int skip = 0;
        if (strncmp(argv[i], "--", 2) == 0) {
            for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
                if (strcmp(argv[i], valued[k]) == 0) {
                    skip = 1;
                }
            }
            i += skip;
            continue;
        }
        if (n < max) {
            pos[n++] = argv[i];
        }
    }
    return n;
}

static int
fail(const char *cmd, const struct mc_err *err)
{
    fprintf(stderr, "motcua calendar %s: %s\n", cmd, err->message);
    return 1;
}

/* Open (creating, migrating and seeding if needed) the database at path. */
static int
open_db(const char *path, struct mc_db **db, struct mc_writer **w,
        struct mc_err *err)
{
    if (mc_db_open(path, MC_DB_WRITE, db, err) != MC_OK ||
        mc_db_migrate(*db, err) != MC_OK ||
        mc_writer_direct(*db, w, err) != MC_OK ||
        mc_writer_run(*w, mc_calendar_seed, NULL, err) != MC_OK) {
        return -1;
    }
    return 0;
}

/* The calendar: from --db PATH, else the built-in one. */
static int
get_calendar(int argc, char **argv, struct mc_calendar **cal,
             struct mc_err *err)
{
    const char *path = mc_cli_opt(argc, argv, "--db");
    struct mc_db *db = NULL;
    struct mc_writer *w = NULL;
    int rc = MC_EDB;

    if (path == NULL) {
        return mc_calendar_builtin(cal, err);
    }
    if (open_db(path, &db, &w, err) == 0) {
        rc = mc_calendar_load(db, cal, err);
    }
    mc_writer_stop(w);
    mc_db_close(db);
    return rc;
}

static int
cmd_lunar(int argc, char **argv)
{
    char *pos[2], out[32];
    struct mc_lunar l;
    int32_t d;

    if (positionals(argc, argv, pos, 2) != 2 || mc_parse_date(pos[1], &d)) {
        usage(stderr, "lunar");
        return 2;
    }
    if (mc_lunar_from_solar(d, &l) != MC_OK) {
        fprintf(stderr, "motcua calendar lunar: %s is outside "
                        "1800-01-01..2199-12-31\n", pos[1]);
        return 1;
    }
    mc_lunar_format(&l, out, sizeof(out));
    printf("%s\n", out);
    return 0;
}

static int
cmd_solar(int argc, char **argv)
{
    char *pos[3], text[40], out[16];
    struct mc_lunar l;
    int n = positionals(argc, argv, pos, 3);
    int32_t d;

    if (n < 2 || n > 3 || (n == 3 && strcmp(pos[2], "leap") != 0)) {
        usage(stderr, "solar");
        return 2;
    }
    snprintf(text, sizeof(text), "%s%s", pos[1], n == 3 ? " leap" : "");
    if (mc_lunar_parse(text, &l) != MC_OK) {
        usage(stderr, "solar");
        return 2;
    }
    if (mc_lunar_to_solar(&l, &d) != MC_OK) {
        fprintf(stderr, "motcua calendar solar: no such lunar date %s in "
                        "1800..2199\n", text);
        return 1;
    }
    mc_fmt_date(d, out, sizeof(out));
    printf("%s\n", out);
    return 0;
}

static int
parse_unit(const char *s, enum mc_limit_unit *u)
{
    if (s == NULL || strcmp(s, "days") == 0 || strcmp(s, "workdays") == 0) {
        *u = MC_LIMIT_WORKDAYS;
    } else if (strcmp(s, "hours") == 0 || strcmp(s, "workhours") == 0) {
        *u = MC_LIMIT_WORKHOURS;
    } else if (strcmp(s, "halfdays") == 0) {
        *u = MC_LIMIT_HALFDAYS;
    } else if (strcmp(s, "sameday") == 0) {
        *u = MC_LIMIT_SAMEDAY;
    } else {
        return -1;
    }
    return 0;
}

static void
print_due(const struct mc_deadline *d, enum mc_limit_unit u)
{
    char b[32];

    if (u == MC_LIMIT_WORKDAYS || u == MC_LIMIT_SAMEDAY) {
        mc_fmt_date(d->due_day, b, sizeof(b));
        printf("%s\n", b);
    } else {
        int s = mc_local_secs(d->due);
        mc_fmt_date(mc_local_day(d->due), b, sizeof(b));
        printf("%sT%02d:%02d\n", b, s / 3600, s / 60 % 60);
    }
}

static int
cmd_add(int argc, char **argv)
{
    char *pos[4];
    const char *hs = mc_cli_opt(argc, argv, "--hours");
    struct mc_deadline_req req;
    struct mc_workhours wh;
    struct mc_deadline d;
    struct mc_calendar *cal = NULL;
    struct mc_err err;
    json_t *prov = NULL;
    long long n;
    int np = positionals(argc, argv, pos, 4), status = 1;

    memset(&req, 0, sizeof(req));
    mc_err_clear(&err);
    if (np < 3 || np > 4 || mc_parse_ts(pos[1], &req.start) != 0 ||
        mc_parse_i64(pos[2], &n) != 0 || n > 100000 ||
        parse_unit(np == 4 ? pos[3] : NULL, &req.unit) != 0) {
        usage(stderr, "add");
        return 2;
    }
    if (hs != NULL && mc_workhours_parse(hs, &wh, &err) != MC_OK) {
        return fail("add", &err);
    }
    req.n = (int)n;
    req.paper = mc_cli_flag(argc, argv, "--paper");
    req.hours = hs != NULL ? &wh : NULL;
    req.basis = mc_cli_opt(argc, argv, "--basis");
    if (get_calendar(argc, argv, &cal, &err) != MC_OK ||
        mc_calendar_deadline(cal, &req, &d, mc_cli_flag(argc, argv,
                                                        "--explain")
                                                ? &prov
                                                : NULL,
                             &err) != MC_OK) {
        status = fail("add", &err);
        goto out;
    }
    print_due(&d, req.unit);
    if (prov != NULL && (json_dumpf(prov, stdout, JSON_INDENT(2)) != 0 ||
                         fputc('\n', stdout) == EOF)) {
        goto out;
    }
    status = fflush(stdout) == 0 ? 0 : 1;
out:
    json_decref(prov);
    mc_calendar_free(cal);
    return status;
}

static int
cmd_between(int argc, char **argv)
{
    char *pos[3];
    struct mc_calendar *cal = NULL;
    struct mc_err err;
    int32_t a, b;
    int n, status = 1;

    if (positionals(argc, argv, pos, 3) != 3 || mc_parse_date(pos[1], &a) ||
        mc_parse_date(pos[2], &b)) {
        usage(stderr, "between");
        return 2;
    }
    mc_err_clear(&err);
    if (get_calendar(argc, argv, &cal, &err) != MC_OK) {
        return fail("between", &err);
    }
    if (mc_calendar_between(cal, a, b, &n) != MC_OK) {
        fprintf(stderr, "motcua calendar between: dates outside "
                        "1800-01-01..2199-12-31\n");
    } else {
        printf("%d\n", n);
        status = 0;
    }
    mc_calendar_free(cal);
    return status;
}

static const char *const wd_en[] = {"", "Mon", "Tue", "Wed", "Thu",
                                    "Fri", "Sat", "Sun"};

static int
cmd_year(int argc, char **argv)
{
    char *pos[2], date[16];
    struct mc_calendar *cal = NULL;
    struct mc_err err;
    long long y;
    int weekends = mc_cli_flag(argc, argv, "--weekends");

    if (positionals(argc, argv, pos, 2) != 2 || mc_parse_i64(pos[1], &y) ||
        y < 1800 || y > 2199) {
        usage(stderr, "year");
        return 2;
    }
    mc_err_clear(&err);
    if (get_calendar(argc, argv, &cal, &err) != MC_OK) {
        return fail("year", &err);
    }
    for (int32_t d = mc_days_from_civil((int)y, 1, 1);
         d <= mc_days_from_civil((int)y, 12, 31); d++) {
        struct mc_day_info di;
        if (mc_calendar_day(cal, d, &di) != MC_OK ||
            di.kind == MC_DAY_WORK ||
            (di.kind == MC_DAY_WEEKEND && !weekends)) {
            continue;
        }
        mc_fmt_date(d, date, sizeof(date));
        printf("%s %s %-12s %s\n", date, wd_en[mc_weekday(d)],
               mc_day_kind_name(di.kind), di.reason);
    }
    mc_calendar_free(cal);
    return 0;
}

static int
cmd_day(int argc, char **argv)
{
    char *pos[2];
    struct mc_calendar *cal = NULL;
    struct mc_day_info di;
    struct mc_lunar l;
    struct mc_err err;
    char lun[32] = "";
    int32_t d;

    if (positionals(argc, argv, pos, 2) != 2 || mc_parse_date(pos[1], &d)) {
        usage(stderr, "day");
        return 2;
    }
    mc_err_clear(&err);
    if (get_calendar(argc, argv, &cal, &err) != MC_OK) {
        return fail("day", &err);
    }
    if (mc_calendar_day(cal, d, &di) != MC_OK ||
        mc_lunar_from_solar(d, &l) != MC_OK) {
        fprintf(stderr, "motcua calendar day: outside 1800..2199\n");
        mc_calendar_free(cal);
        return 1;
    }
    mc_lunar_format(&l, lun, sizeof(lun));
    printf("%s %s %s (âm lịch %s)%s%s%s%s\n", pos[1], wd_en[mc_weekday(d)],
           mc_day_kind_name(di.kind), lun, *di.reason ? ": " : "",
           di.reason, *di.basis ? " - " : "", di.basis);
    mc_calendar_free(cal);
    return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && mc_ascii_casecmp(s + n - k, suffix) == 0;
}

/* --effective TIME into *at (0 = now); -1 if malformed. */
static int
opt_effective(int argc, char **argv, int64_t *at)
{
    const char *s = mc_cli_opt(argc, argv, "--effective");

    *at = 0;
    if (s != NULL && mc_parse_ts(s, at) != 0) {
        fprintf(stderr, "motcua calendar: --effective: expected YYYY-MM-DD "
                        "or YYYY-MM-DDTHH:MM\n");
        return -1;
    }
    return 0;
}

/* Print the dossiers whose deadlines a change moved (one per line). */
static void
print_affected(json_t *affected)
{
    size_t i;
    json_t *it;

    printf("%zu open dossier%s with a new due date\n",
           json_array_size(affected),
           json_array_size(affected) == 1 ? "" : "s");
    json_array_foreach(affected, i, it) {
        const char *code = json_string_value(json_object_get(it, "code"));
        printf("  %s\t%s -> %s\n", code ? code : "-",
               json_string_value(json_object_get(it, "old_due")),
               json_string_value(json_object_get(it, "new_due")));
    }
}

/*
 * Run change c on --db PATH and recompute the open dossiers' deadlines in
 * the same transaction; prints the new version and the affected dossiers.
 */
static int
run_change(const char *cmd, int argc, char **argv,
           struct mc_calendar_change *c)
{
    const char *path = mc_cli_opt(argc, argv, "--db");
    struct mc_calendar_recompute rc;
    struct mc_db *db = NULL;
    struct mc_writer *w = NULL;
    struct mc_err err;
    int status = 1;

    mc_err_clear(&err);
    if (path == NULL) {
        usage(stderr, cmd);
        return 2;
    }
    if (opt_effective(argc, argv, &c->effective_from) != 0) {
        return 2;
    }
    memset(&rc, 0, sizeof(rc));
    rc.change = c;
    rc.now = mc_now();
    if (open_db(path, &db, &w, &err) != 0 ||
        mc_writer_run(w, mc_calendar_change_recompute, &rc, &err) != MC_OK) {
        status = fail(cmd, &err);
    } else {
        printf("calendar version %d\n", c->version);
        print_affected(rc.affected);
        status = 0;
    }
    json_decref(rc.affected);
    mc_writer_stop(w);
    mc_db_close(db);
    return status;
}

static int
is_rules_csv(const char *text)
{
    const char *p = text;

    /* the header is the first line that is not a '#' comment */
    while (*p == '#') {
        const char *nl = strchr(p, '\n');
        if (nl == NULL) {
            return 0;
        }
        p = nl + 1;
    }
    for (const char *e = p; *e && *e != '\n'; e++) {
        if (strncmp(e, "valid_from", 10) == 0) {
            return 1;
        }
    }
    return 0;
}

static int
cmd_import(int argc, char **argv)
{
    char *pos[2], note[300];
    struct mc_calendar_change c;
    struct mc_cal_spec s;
    struct mc_buf text;
    struct mc_err err;
    int n = 0, rules = 0, rc, status = 1;

    if (positionals(argc, argv, pos, 2) != 2 ||
        (!ends_with(pos[1], ".csv") && !ends_with(pos[1], ".ics"))) {
        usage(stderr, "import");
        return 2;
    }
    memset(&c, 0, sizeof(c));
    mc_cal_spec_init(&s);
    mc_buf_init(&text, FILE_MAX);
    mc_err_clear(&err);
    if (mc_cli_read_file("calendar", pos[1], &text) != MC_OK) {
        goto out;
    }
    if (ends_with(pos[1], ".ics")) {
        rc = mc_cal_spec_parse_ics(&s, text.data, text.len, &n, &err);
    } else if ((rules = is_rules_csv(text.data)) != 0) {
        rc = mc_cal_spec_parse_rules(&s, text.data, text.len, &err);
        n = s.nrules;
    } else {
        rc = mc_cal_spec_parse_anns(&s, text.data, text.len, &n, &err);
    }
    if (rc != MC_OK) {
        status = fail("import", &err);
        goto out;
    }
    if (!rules && s.nanns == 0) {
        fprintf(stderr, "motcua calendar import: %s: no announced days to "
                        "import\n", pos[1]);
        goto out;
    }
    snprintf(note, sizeof(note), "import %s: %d %s", pos[1], n,
             rules ? "rules" : "days");
    c.note = mc_cli_opt(argc, argv, "--note") ? mc_cli_opt(argc, argv,
                                                           "--note")
                                              : note;
    if (rules) {
        c.rules = &s;
    } else {
        c.set = s.anns;
        c.nset = s.nanns;
    }
    status = run_change("import", argc, argv, &c);
    if (status == 0) {
        printf("imported %d %s from %s\n", n, rules ? "rules" : "days",
               pos[1]);
    }
out:
    mc_buf_release(&text);
    mc_cal_spec_release(&s);
    return status;
}

static int
write_out(const char *path, const struct mc_buf *b)
{
    FILE *f = path != NULL ? fopen(path, "wb") : stdout;
    int ok;

    if (f == NULL) {
        fprintf(stderr, "motcua calendar: %s: %s\n", path, strerror(errno));
        return 1;
    }
    ok = b->len == 0 || fwrite(b->data, 1, b->len, f) == b->len;
    ok = fflush(f) == 0 && ok;
    if (path != NULL) {
        ok = fclose(f) == 0 && ok;
    }
    if (!ok) {
        fprintf(stderr, "motcua calendar: cannot write %s\n",
                path != NULL ? path : "stdout");
    }
    return ok ? 0 : 1;
}

static int
cmd_export(int argc, char **argv)
{
    const char *fmt = mc_cli_opt(argc, argv, "--format");
    const char *ys = mc_cli_opt(argc, argv, "--year");
    int rules = mc_cli_flag(argc, argv, "--rules");
    struct mc_calendar *cal = NULL;
    struct mc_buf b;
    struct mc_err err;
    long long y = 0;
    int ics, rc, status = 1;

    if (fmt == NULL || (strcmp(fmt, "csv") != 0 && strcmp(fmt, "ics")) ||
        (ys != NULL && (mc_parse_i64(ys, &y) != 0 || y < 1800 ||
                        y > 2199)) ||
        (rules && strcmp(fmt, "csv") != 0)) {
        usage(stderr, "export");
        return 2;
    }
    ics = strcmp(fmt, "ics") == 0;
    mc_err_clear(&err);
    if (get_calendar(argc, argv, &cal, &err) != MC_OK) {
        return fail("export", &err);
    }
    mc_buf_init(&b, (size_t)64 << 20);
    if (rules) {
        rc = mc_calendar_export_rules_csv(cal, &b);
    } else if (ics) {
        rc = mc_calendar_export_ics(cal, ys ? (int)y : 1, ys ? (int)y : 0,
                                    mc_now(), &b);
    } else if (ys != NULL) {
        rc = mc_calendar_export_csv(cal, (int)y, (int)y, &b);
    } else {
        rc = mc_calendar_export_anns_csv(cal, &b);
    }
    if (rc != MC_OK) {
        fprintf(stderr, "motcua calendar export: output too large\n");
    } else {
        status = write_out(mc_cli_opt(argc, argv, "--out"), &b);
    }
    mc_buf_release(&b);
    mc_calendar_free(cal);
    return status;
}

static int
copy_text(struct mc_arena *a, char *dst, size_t sz, const char *src)
{
    char *n = src != NULL ? mc_utf8_nfc(a, src) : NULL;
    size_t len;

    if (src == NULL) {
        dst[0] = '\0';
        return 0;
    }
    if (n == NULL || (len = strlen(n)) >= sz) {
        return -1;
    }
    memcpy(dst, n, len + 1);
    return 0;
}

static int
cmd_set_day(int argc, char **argv)
{
    char *pos[4], note[320];
    struct mc_calendar_change c;
    struct mc_cal_ann x;
    struct mc_arena a;
    int np = positionals(argc, argv, pos, 4), clear, status = 2;
    int32_t day;

    memset(&c, 0, sizeof(c));
    memset(&x, 0, sizeof(x));
    mc_arena_init(&a, 0);
    if (np < 3 || mc_parse_date(pos[1], &day) != 0) {
        goto bad;
    }
    clear = strcmp(pos[2], "clear") == 0;
    if (!clear && (np != 4 || mc_ann_kind_parse(pos[2], &x.kind) != 0 ||
                   copy_text(&a, x.reason, sizeof(x.reason), pos[3]) != 0 ||
                   copy_text(&a, x.code, sizeof(x.code),
                             mc_cli_opt(argc, argv, "--code")) != 0 ||
                   copy_text(&a, x.basis, sizeof(x.basis),
                             mc_cli_opt(argc, argv, "--basis")) != 0)) {
        goto bad;
    }
    x.day = day;
    snprintf(note, sizeof(note), "set-day %s %s%s%s", pos[1], pos[2],
             clear ? "" : ": ", clear ? "" : x.reason);
    c.note = note;
    if (clear) {
        c.clear = &day;
        c.nclear = 1;
    } else {
        c.set = &x;
        c.nset = 1;
    }
    status = run_change("set-day", argc, argv, &c);
    mc_arena_release(&a);
    return status;
bad:
    mc_arena_release(&a);
    usage(stderr, "set-day");
    return status;
}

static int
print_version(void *ctx, const struct mc_qcal_version *v, struct mc_err *err)
{
    char eff[32], at[32];

    (void)ctx;
    (void)err;
    mc_fmt_ts(v->effective_from, eff, sizeof(eff));
    mc_fmt_ts(v->created_at, at, sizeof(at));
    printf("%d\t%s\t%s\t%s\n", v->version, eff, at, v->note);
    return MC_OK;
}

static int
cmd_versions(int argc, char **argv)
{
    const char *path = mc_cli_opt(argc, argv, "--db");
    struct mc_db *db = NULL;
    struct mc_writer *w = NULL;
    struct mc_err err;
    int status = 1;

    if (path == NULL) {
        usage(stderr, "versions");
        return 2;
    }
    mc_err_clear(&err);
    if (open_db(path, &db, &w, &err) != 0 ||
        mc_qcal_versions_each(db, print_version, NULL, &err) != MC_OK) {
        status = fail("versions", &err);
    } else {
        status = 0;
    }
    mc_writer_stop(w);
    mc_db_close(db);
    return status;
}

int
mc_cli_calendar(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"lunar", cmd_lunar},     {"solar", cmd_solar},
        {"add", cmd_add},         {"between", cmd_between},
        {"year", cmd_year},       {"day", cmd_day},
        {"import", cmd_import},   {"export", cmd_export},
        {"set-day", cmd_set_day}, {"versions", cmd_versions},
    };
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (cmd == NULL || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(cmd == NULL ? stderr : stdout, NULL);
        return cmd == NULL ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (strcmp(cmd, cmds[i].name) == 0) {
            if (mc_cli_wants_help(argc, argv)) {
                usage(stdout, cmd);
                return 0;
            }
            return cmds[i].fn(argc, argv);
        }
    }
    fprintf(stderr, "motcua calendar: unknown command '%s'\n\n", cmd);
    usage(stderr, NULL);
    return 2;
}
