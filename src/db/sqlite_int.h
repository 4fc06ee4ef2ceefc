/*
 * sqlite_int.h - internal to the SQLite backend (sqlite.c and
 * sqlite_behind.c): its connection and statement structs and the
 * write-behind thread of the bulk load.
 */
#ifndef MC_DB_SQLITE_INT_H
#define MC_DB_SQLITE_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "db/backend.h"
#include "util/buf.h"

#define CACHE_SLOTS 256
#define LAST_SLOTS 512

/* A parameter recorded while write-behind is on (sqlite_behind.c). */
struct sq_bind {
    int idx;
    int type;      /* SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB, _NULL */
    int borrowed;  /* text: ptr is the caller's, valid until done */
    int64_t i;
    double d;
    const void *ptr; /* borrowed text */
    size_t off, len; /* copied text or blob: bytes in the scratch */
};

struct sq_stmt {
    struct mc_stmt base;
    sqlite3_stmt *st;
    char *sql;
    struct sq_stmt *next; /* hash chain */
    int busy;             /* lent out */
    /*
     * Write-behind (only while the connection has it on): a statement
     * without result columns that writes may run later on the behind
     * thread (defer_ok); its parameters are recorded here rather than
     * bound, and copied into the queued job when it is stepped.
     */
    int defer_ok;
    int dirty; /* recorded parameters not yet bound (synchronous use) */
    int oom;   /* a parameter could not be recorded */
    struct sq_bind *binds;
    int nbinds, capbinds;
    struct mc_buf scratch; /* copied texts and blobs */
};

/*
 * The statement last prepared from a given SQL pointer. Nearly every SQL
 * text is a string literal, so the same pointer comes back on every call;
 * a hit (pointer equal, statement free and its text still equal) skips
 * hashing the whole text, which cost ~4% of `motcua gen`.
 */
struct sq_last {
    const char *ptr;
    struct sq_stmt *s;
};

struct sq_behind;

struct sq_db {
    struct mc_db base;
    sqlite3 *h;
    struct sq_stmt *cache[CACHE_SLOTS];
    struct sq_last last[LAST_SLOTS];
    struct sq_behind *bh; /* write-behind thread, NULL when off */
    int bh_queued;        /* jobs queued since the queue was last empty */
};

/* The connection's error rc (extended code ext, text msg) as an mc_err. */
int mc_sq_error(int rc, int ext, const char *msg, struct mc_err *err);

/* Start (on = 1) or stop (on = 0; waits for the queue, joins the thread
 * and returns the first error of a queued statement) write-behind. */
int mc_sq_behind(struct mc_db *db, int on, struct mc_err *err);
/* The most bytes queued at once since write-behind was turned on (0 when
 * off): at most QUEUE_MAX plus one job (sqlite_behind.c). For tests. */
size_t mc_sq_behind_peak(struct mc_db *db);

/* Wait until every queued statement ran; the first error of one, once.
 * MC_OK at once when write-behind is off. */
int mc_sq_drain(struct sq_db *d, struct mc_err *err);

/* Wait until every queued statement ran (a failure stays for the next
 * mc_sq_drain). No-op when write-behind is off or nothing is queued. */
void mc_sq_wait(struct sq_db *d);

/* Parameter idx recorded (write-behind on). Out of memory is remembered
 * and returned by the next step. s->bytes are copied (borrowed text: at
 * the step). */
void mc_sq_record(struct sq_stmt *s, int idx, int type, int64_t i, double d,
                  const void *p, size_t n, int borrowed);

/* Step a statement while write-behind is on: queue it (defer_ok) and
 * answer MC_DB_DONE, or drain, bind what was recorded and step now. */
int mc_sq_behind_step(struct sq_db *d, struct sq_stmt *s, struct mc_err *err);

/* Forget the recorded parameters (done). */
void mc_sq_unrecord(struct sq_stmt *s);

#endif
