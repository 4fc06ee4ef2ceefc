/*
 * cli_serve.c - `motcua serve`: the JSON API and web UI.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/notify.h"
#include "domain/calendar.h"
#include "http/http.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/text.h"

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: motcua serve --db PATH [--listen 127.0.0.1:8080]\n"
            "                    [--web DIR] [--files DIR]\n"
            "                    [--max-upload-mb N] [--readers N]\n"
            "                    [--threads N] [--workers N]\n"
            "                    [--writer-cache-mb N]\n"
            "                    [--test-clock] [--secure-cookies]\n"
            "                    [--sweep-interval SECS] [--near-days N]\n"
            "                    [--spool PATH] [--smtp HOST:PORT]\n"
            "                    [--smtp-from ADDR] [--sms-url URL]\n"
            "                    [--trust-proxy] [--rate-RULE N/SECS]...\n"
            "                    [--eval-min-sample N]\n\n"
            "Serve the JSON API (/api/v1) and the web UI until SIGINT or\n"
            "SIGTERM. The database is migrated on start. Attachments go to\n"
            "--files (default: <db dir>/files). --test-clock lets an\n"
            "administrator move the server clock (tests only).\n"
            "Rate limits (counters in the database, shared by every\n"
            "instance; N/SECS = N per window of SECS seconds, 0/SECS off):\n"
            "  --rate-login-user     failed logins per username (10/900)\n"
            "  --rate-login-ip       failed logins per client (100/900)\n"
            "  --rate-evaluation-ip  refused kiosk evaluations per client\n"
            "                        (20/900)\n"
            "  --rate-feedback-ip    anonymous feedback per client\n"
            "                        (30/3600)\n"
            "--threads: event threads that read requests and send answers\n"
            "(default: one per CPU); dossier intake, transitions and point\n"
            "reads run on them. --workers: threads for everything that may\n"
            "block (logins, PDF, Excel, reports, lists; default 24).\n"
            "--readers: read connections (default workers + threads + 4),\n"
            "each with a 2 MiB page cache. --writer-cache-mb: the write\n"
            "connection's page cache (SQLite; default 16). A larger one\n"
            "keeps more of a big database's indexes in memory for the\n"
            "writer, at that cost in the server's RSS (docs/PERFORMANCE.md).\n"
            "--trust-proxy takes the client address from the last\n"
            "X-Forwarded-For entry (only behind a load balancer that sets "
            "it).\n");
}

static void
default_files_dir(const char *db, char *out, size_t n)
{
    const char *slash = strrchr(db, '/');

    if (strncmp(db, "sqlite:", 7) == 0) {
        db += 7;
        slash = strrchr(db, '/');
    }
    if (slash == NULL) {
        snprintf(out, n, "files");
    } else {
        snprintf(out, n, "%.*s/files", (int)(slash - db), db);
    }
}

int
mc_cli_serve(int argc, char **argv)
{
    const char *db_url = mc_cli_opt(argc, argv, "--db");
    const char *listen = mc_cli_opt(argc, argv, "--listen");
    const char *web = mc_cli_opt(argc, argv, "--web");
    const char *files = mc_cli_opt(argc, argv, "--files");
    struct mc_app app;
    struct mc_server *srv = NULL;
    struct mc_sweeper *sweeper = NULL;
    struct mc_outbound_cfg ocfg;
    long long sweep_every = 60, near_days = 1, upload_mb = 20, threads = 0;
    long long workers = 0, wcache_mb = 0, min_sample = 0;
    struct mc_db *db = NULL;
    struct mc_err err;
    sigset_t set;
    long long v;
    int sig, status = 1, nreaders, nthreads, nworkers;

    if (mc_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (db_url == NULL) {
        usage(stderr);
        return 2;
    }
    memset(&app, 0, sizeof(app));
    mc_err_clear(&err);
    pthread_rwlock_init(&app.cal_lock, NULL);
    app.db_url = (char *)db_url;
    app.max_body = 1u << 20;
    /* An absent option keeps its variable's value (0: the default). */
    if (mc_cli_int("serve", argc, argv, "--max-upload-mb", 1, 1024,
                   &upload_mb) < 0 ||
        mc_cli_int("serve", argc, argv, "--threads", 1, 64, &threads) < 0 ||
        mc_cli_int("serve", argc, argv, "--workers", 1, 1024, &workers) < 0 ||
        mc_cli_int("serve", argc, argv, "--writer-cache-mb", 1, 65536,
                   &wcache_mb) < 0 ||
        mc_cli_int("serve", argc, argv, "--eval-min-sample", 1, 1000000,
                   &min_sample) < 0 ||
        mc_cli_int("serve", argc, argv, "--sweep-interval", 0, 86400,
                   &sweep_every) < 0 ||
        mc_cli_int("serve", argc, argv, "--near-days", 0, 30, &near_days) <
            0) {
        return 2;
    }
    app.max_upload = (size_t)upload_mb << 20;
    app.http_threads = (int)threads; /* 0: mc_server_threads decides */
    app.http_workers = (int)workers;
    app.eval_min_sample = (int)min_sample;
    mc_alloc_tune_server(); /* before any thread: util/alloc.h */
    mc_server_threads(&app, &nthreads, &nworkers, &nreaders);
    v = nreaders;
    if (mc_cli_int("serve", argc, argv, "--readers", 1, 1024, &v) < 0) {
        return 2;
    }
    nreaders = (int)v;
    app.test_clock = mc_cli_flag(argc, argv, "--test-clock");
    app.trust_proxy = mc_cli_flag(argc, argv, "--trust-proxy");
    mc_rate_defaults(&app.rate);
    for (int k = 0; k < MC_RATE_KINDS; k++) {
        char name[48];
        const char *s;

        snprintf(name, sizeof(name), "--rate-%s", mc_rate_name(k));
        for (char *p = name; *p; p++) {
            *p = *p == '_' ? '-' : *p;
        }
        s = mc_cli_opt(argc, argv, name);
        if (s != NULL && mc_rate_parse(s, &app.rate.rule[k]) != MC_OK) {
            fprintf(stderr, "motcua serve: %s must be N/SECS (N 0..1000000,"
                            " SECS 1..86400)\n", name);
            return 2;
        }
    }
    app.secure_cookies = mc_cli_flag(argc, argv, "--secure-cookies");
    if (files != NULL) {
        snprintf(app.files_dir, sizeof(app.files_dir), "%s", files);
    } else {
        default_files_dir(db_url, app.files_dir, sizeof(app.files_dir));
    }
    if (web != NULL) {
        snprintf(app.web_dir, sizeof(app.web_dir), "%s", web);
    } else if (access("web/index.html", R_OK) == 0) {
        snprintf(app.web_dir, sizeof(app.web_dir), "web");
    }
    if (listen == NULL) {
        listen = "127.0.0.1:8080";
    }
    snprintf(app.public_base, sizeof(app.public_base), "http://%s", listen);

    /* Migrate and load the calendar on one connection, then hand over. */
    if (mc_db_open(db_url, MC_DB_WRITE, &db, &err) != MC_OK ||
        mc_db_migrate(db, &err) != MC_OK ||
        mc_calendar_load(db, &app.cal, &err) != MC_OK) {
        fprintf(stderr, "motcua serve: %s\n", err.message);
        goto out;
    }
    mc_db_close(db);
    db = NULL;
    if (mc_writer_start(db_url, 512, (int)wcache_mb * 1024, &app.writer,
                        &err) != MC_OK ||
        mc_dbpool_new(db_url, nreaders, &app.readers, &err) != MC_OK) {
        fprintf(stderr, "motcua serve: %s\n", err.message);
        goto out;
    }
    /* Block the stop signals in every thread; wait for them here. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (mc_server_start(&app, listen, &srv, &err) != MC_OK) {
        fprintf(stderr, "motcua serve: %s\n", err.message);
        goto out;
    }
    /* The deadline sweeper (--sweep-interval 0 turns it off). */
    mc_cli_outbound_cfg(argc, argv, &ocfg);
    if (sweep_every > 0 &&
        mc_sweeper_start(&app, (int)sweep_every, (int)near_days, &ocfg,
                         &sweeper, &err) != MC_OK) {
        fprintf(stderr, "motcua serve: %s\n", err.message);
        goto out;
    }
    mc_log_info("motcua listening on http://%s (db %s, web %s, test clock "
                "%s)",
                listen, db_url, app.web_dir[0] ? app.web_dir : "-",
                app.test_clock ? "on" : "off");
    sigwait(&set, &sig);
    mc_log_info("signal %d: shutting down", sig);
    status = 0;
out:
    mc_server_stop(srv);
    mc_sweeper_stop(sweeper);
    mc_writer_stop(app.writer);
    mc_dbpool_free(app.readers);
    mc_db_close(db);
    if (app.cal != NULL) {
        mc_calendar_free(app.cal);
    }
    pthread_rwlock_destroy(&app.cal_lock);
    return status;
}
