/*
 * testdb.h - the fixture shared by the cmocka tests that use a temporary
 * SQLite database file: a private directory, a migrated database with a
 * direct writer, optionally seeded with the calendar, the demo units and
 * accounts and the demo catalog, and the officials built from the demo
 * accounts. Header-only: each test is one translation unit linked with
 * libmotcua.a (see the Makefile's tests rule).
 */
#ifndef MC_TESTS_TESTDB_H
#define MC_TESTS_TESTDB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/q_accounts.h"
#include "db/writer.h"
#include "domain/actor.h"
#include "domain/calendar.h"
#include "domain/catalog.h"
#include "domain/demo.h"
#include "domain/dossier.h"
#include "domain/unit.h"
#include "sec/password.h"
#include "util/log.h"
#include "util/mctime.h"

/* Remove a SQLite database file and its -wal and -shm companions. */
static inline void
mc_test_rm_db(const char *path)
{
    char p[512];

    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
}

/* What mc_test_db_open seeds, in this order, each in its own writer run. */
enum {
    MC_TEST_SEED_CALENDAR = 1 << 0, /* mc_calendar_seed */
    MC_TEST_SEED_UNITS = 1 << 1,    /* mc_demo_seed_units_accounts */
    MC_TEST_SEED_CATALOG = 1 << 2,  /* demo catalog, imported 1/1/2020 */
    MC_TEST_SEED_ALL = (1 << 3) - 1,
};

struct mc_test_db {
    char dir[64];
    char path[96];
    struct mc_db *db;
    struct mc_writer *w;
};

/*
 * Make a private directory /tmp/<tag>_XXXXXX, open t.db in it, migrate,
 * start a direct writer and run the seeds named by the MC_TEST_SEED_*
 * bits. Logs at WARN and fast password hashing. Returns 0, or -1 with
 * the reason on stderr (what was made is left for mc_test_db_close).
 * t is the caller's, zeroed or not; tag is only read.
 */
static inline int
mc_test_db_open(struct mc_test_db *t, const char *tag, unsigned seeds)
{
    struct mc_catalog_import imp;
    struct mc_err err;

    memset(t, 0, sizeof(*t));
    memset(&err, 0, sizeof(err));
    mc_log_set_level(MC_LOG_WARN);
    mc_password_set_fast(1);
    snprintf(t->dir, sizeof(t->dir), "/tmp/%s_XXXXXX", tag);
    if (mkdtemp(t->dir) == NULL) {
        t->dir[0] = '\0';
        perror("setup: mkdtemp");
        return -1;
    }
    snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
    memset(&imp, 0, sizeof(imp));
    imp.at = mc_local_ts(mc_days_from_civil(2020, 1, 1), 0);
    if (mc_db_open(t->path, MC_DB_WRITE, &t->db, &err) != MC_OK ||
        mc_db_migrate(t->db, &err) != MC_OK ||
        mc_writer_direct(t->db, &t->w, &err) != MC_OK ||
        ((seeds & MC_TEST_SEED_CALENDAR) &&
         mc_writer_run(t->w, mc_calendar_seed, NULL, &err) != MC_OK) ||
        ((seeds & MC_TEST_SEED_UNITS) &&
         mc_writer_run(t->w, mc_demo_seed_units_accounts, NULL, &err) !=
             MC_OK) ||
        ((seeds & MC_TEST_SEED_CATALOG) &&
         mc_writer_run(t->w, mc_catalog_import_demo, &imp, &err) != MC_OK)) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    return 0;
}

/* Stop the writer, close and remove the database and its directory. */
static inline void
mc_test_db_close(struct mc_test_db *t)
{
    if (t->w != NULL) {
        mc_writer_stop(t->w);
        t->w = NULL;
    }
    if (t->db != NULL) {
        mc_db_close(t->db);
        t->db = NULL;
    }
    if (t->dir[0] != '\0') {
        mc_test_rm_db(t->path);
        rmdir(t->dir);
    }
}

/* mc_dossier_create and mc_dossier_transition as writer functions. */
static inline int
mc_test_w_create(struct mc_db *db, void *ctx, struct mc_err *err)
{
    return mc_dossier_create(db, ctx, err);
}

static inline int
mc_test_w_transition(struct mc_db *db, void *ctx, struct mc_err *err)
{
    return mc_dossier_transition(db, ctx, err);
}

/* Fill *a as the demo account username acting with role in unit u. */
static inline void
mc_test_official(struct mc_db *db, const char *username, enum mc_role role,
                 const struct mc_unit *u, struct mc_actor *a)
{
    struct mc_account acc;
    struct mc_err err;
    char hash[256];

    assert_int_equal(mc_q_account_by_username(db, username, &acc, hash,
                                              sizeof(hash), &err),
                     MC_OK);
    memset(a, 0, sizeof(*a));
    a->account_id = acc.id;
    a->role = role;
    a->unit_id = u->id;
    snprintf(a->unit_path, sizeof(a->unit_path), "%s", u->path);
}

#endif
