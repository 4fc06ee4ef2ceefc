/*
 * testdb.h - helpers shared by the cmocka tests that use a temporary
 * SQLite database file.
 */
#ifndef MC_TESTS_TESTDB_H
#define MC_TESTS_TESTDB_H

#include <stdio.h>
#include <unistd.h>

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

#endif
