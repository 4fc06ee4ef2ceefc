/*
 * raw_insert.c - baseline for the intake benchmark: single-row INSERTs,
 * each its own transaction, into a WAL SQLite file with synchronous=FULL,
 * for a fixed number of seconds. Prints inserts/s.
 *   usage: raw_insert DBPATH [SECONDS]
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    double secs = argc > 2 ? atof(argv[2]) : 5.0, t0, t;
    long n = 0;

    if (argc < 2 || sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "usage: raw_insert DBPATH [SECONDS]\n");
        return 2;
    }
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY,"
                     " code TEXT, name TEXT, at INTEGER);",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO t (code, name, at) VALUES (?,?,?)",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "raw_insert: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    t0 = now_s();
    do {
        /* autocommit: each INSERT is its own durable transaction */
        sqlite3_bind_text(st, 1, "1.001193", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, "Nguyễn Văn Đức", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)n);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "raw_insert: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(st);
        n++;
        t = now_s();
    } while (t - t0 < secs);
    printf("%.1f\n", (double)n / (t - t0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}
