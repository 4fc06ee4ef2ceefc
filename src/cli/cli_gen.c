/*
 * cli_gen.c - `motcua gen`: fill a demo database with years of realistic
 * history through the domain code (domain/gen.h), with a progress bar on
 * a terminal and the rate at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "db/db.h"
#include "domain/gen.h"
#include "util/mctime.h"

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: motcua gen --db PATH --dossiers N [--years Y] "
            "[--seed S]\n"
            "                  [--end YYYY-MM-DD] [--batch B] "
            "[--keep-indexes] [--one-thread]\n"
            "                  [--defer-indexes | --live-indexes]\n\n"
            "Fill a database created by `motcua init --demo` with Y years\n"
            "(default 2, at most 6) of one-stop history ending at --end\n"
            "(default today): N dossiers, each carried through the same\n"
            "lifecycle code the server runs, with events, ledger, audit\n"
            "records. Same seed, end and N give the same history.\n"
            "The load runs alone on the file with an in-memory journal\n"
            "(WAL and an fsync at the end; a killed run leaves a damaged\n"
            "file), skips foreign key and CHECK enforcement, holds each\n"
            "batch's dossier rows and sums rollups per batch (same rows,\n"
            "faster). --keep-indexes is the reference path: rows written\n"
            "as the server writes them, constraints enforced, rollups\n"
            "written on every transition. The fast load's writes run on\n"
            "a second thread, in order; --one-thread keeps them in the\n"
            "deciding thread. --defer-indexes drops the read-side\n"
            "indexes and builds them once at the end, --live-indexes\n"
            "keeps them up to date; by default they are deferred when\n"
            "the finished file (about 4.6 GB per million dossiers) fits\n"
            "in half the memory, since a rebuild reads its whole table.\n");
}

struct progress {
    int tty;
    int64_t t0;
};

static void
on_progress(void *arg, int64_t done, int64_t total)
{
    struct progress *p = arg;
    double secs = (double)(mc_now_us() - p->t0) / 1e6;
    double rate = secs > 0 ? (double)done / secs : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    int width = 30, fill = total ? (int)(width * done / total) : width;
    char bar[64];

    if (!p->tty) {
        return;
    }
    for (int i = 0; i < width; i++) {
        bar[i] = i < fill ? '#' : '.';
    }
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %lld/%lld  %.0f dossiers/s  ETA %.0fs   ", bar,
            (long long)done, (long long)total, rate, eta);
    if (done >= total) {
        fputc('\n', stderr);
    }
}

static int
parse_end(const char *s, int64_t *out)
{
    int y, m, d;
    char extra;

    if (sscanf(s, "%d-%d-%d%c", &y, &m, &d, &extra) != 3 || y < 2020 ||
        y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) {
        return -1;
    }
    *out = mc_local_ts(mc_days_from_civil(y, m, d), 0);
    return 0;
}

/* Bytes a generated dossier adds to the file, with its events, ledger
 * and audit records (4,546 MB per million in the bench of 2026-11-27). */
#define GEN_BYTES_PER_DOSSIER 4600

/*
 * 1: build the read-side indexes at the end; 0: keep them up to date.
 * --defer-indexes / --live-indexes decide; otherwise defer when the file
 * at the end fits in half the memory, so that each rebuild reads its
 * table from the page cache (at 10 million dossiers one index of the
 * dossiers table took 2 min 55 s from disk, 33 s from memory).
 */
static int
defer_indexes(int argc, char **argv, const char *path, int64_t n)
{
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    struct stat sb;
    double end;

    if (mc_cli_flag(argc, argv, "--defer-indexes")) {
        return 1;
    }
    if (mc_cli_flag(argc, argv, "--live-indexes") || pages <= 0 ||
        psz <= 0) {
        return 0;
    }
    end = (stat(path, &sb) == 0 ? (double)sb.st_size : 0.0) +
          (double)(n > 0 ? n : 0) * GEN_BYTES_PER_DOSSIER;
    return end <= (double)pages * (double)psz / 2;
}

int
mc_cli_gen(int argc, char **argv)
{
    const char *path = mc_cli_opt(argc, argv, "--db");
    const char *n = mc_cli_opt(argc, argv, "--dossiers");
    const char *years = mc_cli_opt(argc, argv, "--years");
    const char *seed = mc_cli_opt(argc, argv, "--seed");
    const char *end = mc_cli_opt(argc, argv, "--end");
    const char *batch = mc_cli_opt(argc, argv, "--batch");
    struct mc_db *db = NULL;
    struct mc_gen_opts o;
    struct mc_gen_stats st;
    struct progress pr;
    struct mc_err err;
    double secs;
    int status = 1;

    if (mc_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (path == NULL || n == NULL) {
        usage(stderr);
        return 2;
    }
    memset(&o, 0, sizeof(o));
    o.dossiers = strtoll(n, NULL, 10);
    o.years = years ? (int)strtol(years, NULL, 10) : 2;
    o.seed = seed ? strtoull(seed, NULL, 10) : 1;
    o.batch = batch ? (int)strtol(batch, NULL, 10) : 0; /* gen.h */
    o.keep_indexes = mc_cli_flag(argc, argv, "--keep-indexes");
    o.one_thread = mc_cli_flag(argc, argv, "--one-thread");
    if (mc_cli_flag(argc, argv, "--defer-indexes") &&
        mc_cli_flag(argc, argv, "--live-indexes")) {
        fprintf(stderr, "motcua gen: --defer-indexes or --live-indexes, "
                        "not both\n");
        return 2;
    }
    o.defer_indexes = defer_indexes(argc, argv, path, o.dossiers);
    if (end != NULL && parse_end(end, &o.end) != 0) {
        fprintf(stderr, "motcua gen: --end wants YYYY-MM-DD\n");
        return 2;
    }
    pr.tty = isatty(2);
    pr.t0 = mc_now_us();
    o.progress = on_progress;
    o.progress_arg = &pr;
    mc_err_clear(&err);
    if (mc_db_open(path, MC_DB_WRITE, &db, &err) != MC_OK ||
        mc_db_migrate(db, &err) != MC_OK) {
        fprintf(stderr, "motcua gen: %s\n", err.message);
        goto out;
    }
    if (mc_gen_run(db, &o, &st, &err) != MC_OK) {
        fprintf(stderr, "motcua gen: %s\n", err.message);
        goto out;
    }
    secs = (double)(mc_now_us() - pr.t0) / 1e6;
    printf("{\"dossiers\":%lld,\"transitions\":%lld,\"seconds\":%.2f,"
           "\"dossiers_per_s\":%.0f,\"returned\":%lld,\"open\":%lld,"
           "\"refused\":%lld,\"stopped\":%lld,\"rejected\":%lld,"
           "\"online\":%lld,\"supplements\":%lld,"
           "\"intake_supplements\":%lld,\"reschedules\":%lld,"
           "\"late\":%lld,\"accounts\":%lld,\"units\":%lld,"
           "\"procedures_completed\":%lld,\"commits\":%lld,"
           "\"indexes\":\"%s\"}\n",
           (long long)st.dossiers, (long long)st.transitions, secs,
           secs > 0 ? (double)st.dossiers / secs : 0.0,
           (long long)st.returned, (long long)st.open,
           (long long)st.refused, (long long)st.stopped,
           (long long)st.rejected, (long long)st.online,
           (long long)st.supplements, (long long)st.intake_supplements,
           (long long)st.reschedules, (long long)st.late,
           (long long)st.accounts, (long long)st.units,
           (long long)st.procedures_completed, (long long)st.commits,
           o.keep_indexes ? "kept" : o.defer_indexes ? "rebuilt" : "live");
    status = 0;
out:
    mc_db_close(db);
    return status;
}
