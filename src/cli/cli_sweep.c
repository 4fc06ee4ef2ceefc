/*
 * cli_sweep.c - `motcua sweep`: one run of the deadline sweeper and of
 * the outbound notification delivery; and the same work as a background
 * thread of `motcua serve` (mc_sweeper_start / mc_sweeper_stop).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "db/db.h"
#include "db/writer.h"
#include "domain/calendar.h"
#include "domain/notify.h"
#include "domain/sweep.h"
#include "http/http.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/mctime.h"
#include "util/text.h"

#define DEFAULT_SPOOL "var/spool/notifications.jsonl"

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: motcua sweep --db PATH [--near-days N] [--now TIME]\n"
            "                    [--spool PATH] [--smtp HOST:PORT]\n"
            "                    [--smtp-from ADDR] [--sms-url URL]\n\n"
            "Mark running dossiers near due (N working days before the due\n"
            "day, default 1) and overdue, notify holders and leaders once,\n"
            "record overdue dossiers without an apology, then deliver the\n"
            "pending notifications: e-mail addresses by SMTP (--smtp),\n"
            "phone numbers to the SMS gateway (--sms-url), the rest to\n"
            "the spool file (default " DEFAULT_SPOOL ").\n"
            "--now (ISO 8601) replaces the clock.\n"
            "Prints the counts as one JSON line. Running it again changes\n"
            "nothing.\n");
}

/* mkdir -p of the directory part of path (best effort). */
static void
make_parent(const char *path)
{
    char dir[512];

    snprintf(dir, sizeof(dir), "%s", path);
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
                return;
            }
            *p = '/';
        }
    }
}

void
mc_cli_outbound_cfg(int argc, char **argv, struct mc_outbound_cfg *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->spool = mc_cli_opt(argc, argv, "--spool");
    if (cfg->spool == NULL) {
        cfg->spool = DEFAULT_SPOOL;
    }
    cfg->smtp = mc_cli_opt(argc, argv, "--smtp");
    cfg->smtp_from = mc_cli_opt(argc, argv, "--smtp-from");
    cfg->sms_url = mc_cli_opt(argc, argv, "--sms-url");
}

/* Parse --near-days; -1 on a bad value. */
static int
near_days_opt(const char *s)
{
    long long v;

    if (s == NULL) {
        return MC_SWEEP_NEAR_DAYS;
    }
    if (mc_parse_i64(s, &v) != 0 || v < 0 || v > 30) {
        return -1;
    }
    return (int)v;
}

int
mc_cli_sweep(int argc, char **argv)
{
    const char *db_url = mc_cli_opt(argc, argv, "--db");
    const char *now_s = mc_cli_opt(argc, argv, "--now");
    struct mc_outbound_cfg ocfg;
    struct mc_sweep_stats st = {0};
    struct mc_sweep_opts o = {0};
    struct mc_calendar *cal = NULL;
    struct mc_channel *ch = NULL;
    struct mc_writer *w = NULL;
    struct mc_db *db = NULL;
    struct mc_err err;
    int status = 1, sent = 0, failed = 0;

    if (mc_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    o.near_days = near_days_opt(mc_cli_opt(argc, argv, "--near-days"));
    o.now = mc_now();
    if (db_url == NULL || o.near_days < 0 ||
        (now_s != NULL && mc_parse_ts(now_s, &o.now) != 0)) {
        usage(stderr);
        return 2;
    }
    mc_cli_outbound_cfg(argc, argv, &ocfg);
    mc_err_clear(&err);
    make_parent(ocfg.spool);
    if (mc_db_open(db_url, MC_DB_WRITE, &db, &err) != MC_OK ||
        mc_db_migrate(db, &err) != MC_OK ||
        mc_calendar_load(db, &cal, &err) != MC_OK ||
        mc_writer_direct(db, &w, &err) != MC_OK ||
        mc_channel_outbound_open(&ocfg, &ch, &err) != MC_OK) {
        fprintf(stderr, "motcua sweep: %s\n", err.message);
        goto out;
    }
    o.cal = cal;
    if (mc_sweep_run(w, &o, &st, &err) != MC_OK ||
        mc_notify_deliver(w, ch, o.now, 1000, &sent, &failed, &err) !=
            MC_OK) {
        fprintf(stderr, "motcua sweep: %s\n", err.message);
        goto out;
    }
    printf("{\"checked\":%d,\"near_due\":%d,\"overdue\":%d,"
           "\"notifications\":%d,\"violations\":%d,\"delivered\":%d,"
           "\"delivery_failures\":%d,\"apologies\":%d}\n",
           st.checked, st.near_due, st.overdue, st.notifications,
           st.violations, sent, failed, st.apologies);
    status = 0;
out:
    mc_channel_free(ch);
    mc_writer_stop(w);
    if (cal != NULL) {
        mc_calendar_free(cal);
    }
    mc_db_close(db);
    return status;
}

/* ---- the background thread of `motcua serve` ---- */

struct mc_sweeper {
    struct mc_app *app;
    struct mc_channel *ch;
    int interval, near_days;
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
};

/*
 * Load the calendar again when another instance on the same database has
 * stored a newer version (this instance swaps its own changes in at once).
 */
static void
calendar_refresh(struct mc_app *app)
{
    struct mc_calendar *fresh = NULL, *old;
    struct mc_db *db;
    struct mc_err err;
    int latest = 0, stale;

    mc_err_clear(&err);
    if ((db = mc_dbpool_get(app->readers, &err)) == NULL) {
        mc_log_warn("calendar refresh: %s", err.message);
        return;
    }
    if (mc_calendar_latest_version(db, &latest, &err) == MC_OK) {
        pthread_rwlock_rdlock(&app->cal_lock);
        stale = app->cal == NULL || mc_calendar_version(app->cal) != latest;
        pthread_rwlock_unlock(&app->cal_lock);
        if (stale && latest > 0 &&
            mc_calendar_load(db, &fresh, &err) == MC_OK) {
            pthread_rwlock_wrlock(&app->cal_lock);
            old = app->cal;
            app->cal = fresh;
            pthread_rwlock_unlock(&app->cal_lock);
            mc_calendar_free(old);
            mc_log_info("calendar version %d loaded (changed by another "
                        "instance)", latest);
        }
    }
    if (err.code[0] != '\0') {
        mc_log_warn("calendar refresh: %s", err.message);
    }
    mc_dbpool_put(app->readers, db);
}

static void
sweep_once(struct mc_sweeper *s)
{
    struct mc_sweep_stats st = {0};
    struct mc_sweep_opts o = {0};
    struct mc_err err;
    int rc;

    calendar_refresh(s->app);
    mc_err_clear(&err);
    o.now = mc_now();
    o.near_days = s->near_days;
    pthread_rwlock_rdlock(&s->app->cal_lock);
    o.cal = s->app->cal;
    rc = mc_sweep_run(s->app->writer, &o, &st, &err);
    pthread_rwlock_unlock(&s->app->cal_lock);
    if (rc == MC_OK) {
        rc = mc_notify_deliver(s->app->writer, s->ch, o.now, 1000, NULL, NULL,
                               &err);
    }
    if (rc != MC_OK) {
        mc_log_warn("sweep: %s", err.message);
    } else if (st.checked > 0) {
        mc_log_info("sweep: %d checked, %d near due, %d overdue, %d "
                    "notifications, %d violations",
                    st.checked, st.near_due, st.overdue, st.notifications,
                    st.violations);
    }
}

static void *
sweeper_main(void *arg)
{
    struct mc_sweeper *s = arg;

    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        struct timespec until;

        pthread_mutex_unlock(&s->mu);
        sweep_once(s);
        pthread_mutex_lock(&s->mu);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->interval;
        while (!s->stop &&
               pthread_cond_timedwait(&s->cv, &s->mu, &until) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int
mc_sweeper_start(struct mc_app *app, int interval, int near_days,
                 const struct mc_outbound_cfg *cfg, struct mc_sweeper **out,
                 struct mc_err *err)
{
    struct mc_sweeper *s;
    int rc;

    *out = NULL;
    s = mc_calloc(1, sizeof(*s));
    if (s == NULL) {
        return MC_ENOMEM;
    }
    make_parent(cfg->spool);
    rc = mc_channel_outbound_open(cfg, &s->ch, err);
    if (rc != MC_OK) {
        mc_free(s);
        return rc;
    }
    s->app = app;
    s->interval = interval > 0 ? interval : 60;
    s->near_days = near_days;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->th, NULL, sweeper_main, s) != 0) {
        mc_channel_free(s->ch);
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
        mc_free(s);
        return mc_err_set(err, MC_EINTERNAL, 500, "thread", NULL,
                          "cannot start the sweeper thread");
    }
    *out = s;
    return MC_OK;
}

void
mc_sweeper_stop(struct mc_sweeper *s)
{
    if (s == NULL) {
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->th, NULL);
    mc_channel_free(s->ch);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    mc_free(s);
}
