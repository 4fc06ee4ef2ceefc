/*
 * http.h - the HTTP layer: application state, one request, helpers that
 * resource handlers use. Handlers live one file per resource
 * (src/http/r_*.c) and are listed in the route table (router.c).
 *
 * A handler gets a struct mc_req whose arena holds everything it
 * allocates; it parses input, calls the domain layer, and sets the response
 * with mc_http_json / mc_http_bytes, or returns a negative MC_E* code with
 * r->err filled, which the server renders as
 *   {"error":{"code":..., "message":..., "field":...}}
 * with the status in r->err.status. A handler never calls free.
 */
#ifndef MC_HTTP_HTTP_H
#define MC_HTTP_HTTP_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/writer.h"
#include "domain/actor.h"
#include "domain/ratelimit.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/period.h"
#include "util/err.h"

struct mc_calendar;

/* Long-lived state shared by every request (owned by mc_cli_serve). */
struct mc_app {
    char *db_url;
    struct mc_dbpool *readers;
    struct mc_writer *writer;
    pthread_rwlock_t cal_lock;       /* guards cal swaps */
    struct mc_calendar *cal;         /* current calendar version */
    char files_dir[512];             /* content-addressed attachments */
    char web_dir[512];               /* static UI files, "" = none */
    char public_base[128];           /* e.g. http://127.0.0.1:8080 */
    size_t max_body;                 /* JSON bodies */
    size_t max_upload;               /* attachments */
    int test_clock;                  /* 1: POST /api/v1/test/clock allowed */
    int secure_cookies;              /* 1: add Secure to the cookie */
    int trust_proxy;                 /* 1: client address from the last
                                        X-Forwarded-For entry */
    struct mc_rate_cfg rate;         /* shared rate limits */
    int eval_min_sample;             /* ranking sample, 0 = default 30 */
    int http_threads;                /* event threads, 0 = one per CPU */
    int http_workers;                /* worker threads, 0 = 24 */
};

#define MC_MAX_PARAMS 4
#define MC_MAX_QUERY 16

struct mc_req {
    struct mc_app *app;
    struct mc_arena arena;           /* per-request memory */
    const char *method;
    const char *path;                /* decoded path, no query */
    const char *params[MC_MAX_PARAMS]; /* {x} segments of the route */
    int nparams;
    const char *qk[MC_MAX_QUERY], *qv[MC_MAX_QUERY]; /* query args */
    int nq;
    const char *content_type;
    const char *idem_key;            /* Idempotency-Key header or NULL */
    const char *token;               /* bearer/cookie token or NULL */
    int token_from_header;           /* 1: Authorization: Bearer */
    const char *user_agent;
    char client_ip[64];              /* peer (or proxied) address, or "" */
    int64_t retry_after;             /* > 0: Retry-After of a 429 */
    struct mc_buf body;              /* request body (bounded) */
    int body_too_big;
    struct mc_actor actor;           /* role NONE when anonymous */
    int64_t now;                     /* request time (mc_now) */
    struct mc_db *rdb;               /* lazily borrowed reader */
    const void *route;               /* matched route (dispatch.c) */
    int async_ok;                    /* 1: writes may go asynchronous */
    void *wpending;                  /* write queued by mc_http_write_async */
    int cal_locked;                  /* holds app->cal_lock for reading */
    struct mc_err err;
    /* response */
    int status;
    const char *resp_type;
    struct mc_buf resp;
    const char *resp_headers[8][2];
    int nresp_headers;
};

/* Borrow (once per request) a read connection; NULL + r->err on error. */
struct mc_db *mc_req_db(struct mc_req *r);
/* Value of query argument name, or NULL. */
const char *mc_req_query(struct mc_req *r, const char *name);
/*
 * Path parameter i as a positive id; a missing or malformed one is 404
 * not_found "no such <what>" in r->err (what borrowed).
 */
int mc_req_param_id(struct mc_req *r, int i, const char *what,
                    int64_t *id) MC_WUR;
/* Query argument as an integer in [min,max] with a default. */
int mc_req_query_int(struct mc_req *r, const char *name, long long def,
                     long long min, long long max, long long *out) MC_WUR;
/*
 * Query argument name as a period (mc_period_arg): the current month when
 * absent or empty; months: only "YYYY-MM". 400 + r->err when malformed.
 */
int mc_req_query_period(struct mc_req *r, const char *name, int months,
                        struct mc_period *p) MC_WUR;
/* Parse the body as a JSON object (owned by the caller: json_decref). */
int mc_req_json(struct mc_req *r, json_t **out) MC_WUR;

/*
 * GET of one record named by path id 0, for any signed-in user: 404 "no
 * such <what>" for a malformed id, else get(db, actor, id, arena, &out,
 * err) answered as JSON 200 (out stolen). what is borrowed.
 */
int mc_http_get_by_id(struct mc_req *r, const char *what,
                      int (*get)(struct mc_db *db,
                                 const struct mc_actor *actor, int64_t id,
                                 struct mc_arena *a, json_t **out,
                                 struct mc_err *err));
/* Set a JSON response (steals the reference to v). */
int mc_http_json(struct mc_req *r, int status, json_t *v);
/* Set a JSON response that render(ctx, out) writes as text into out
 * (r's response buffer); MC_OK, or the error set in r->err. */
int mc_http_json_render(struct mc_req *r, int status,
                        int (*render)(void *ctx, struct mc_buf *out),
                        void *ctx);
/* 200 {"items", "total", "limit", "offset"}: one page of a list (items
 * stolen). */
int mc_http_page(struct mc_req *r, json_t *items, int64_t total,
                 int64_t limit, int64_t offset);
/* Set a raw response (bytes copied). */
int mc_http_bytes(struct mc_req *r, int status, const char *type,
                  const void *p, size_t n);
/* Add a response header (strings must live in the arena or be static). */
void mc_http_header(struct mc_req *r, const char *name, const char *value);

/* Require a logged-in actor with one of the roles in mask (bit 1<<role). */
int mc_http_require(struct mc_req *r, unsigned role_mask) MC_WUR;
#define MC_R(role) (1u << (role))
#define MC_R_OFFICIALS                                                    \
    (MC_R(MC_ROLE_DESK) | MC_R(MC_ROLE_SPECIALIST) | MC_R(MC_ROLE_LEADER) | \
     MC_R(MC_ROLE_INSPECTOR) | MC_R(MC_ROLE_ADMIN))
#define MC_R_ANY_USER (MC_R_OFFICIALS | MC_R(MC_ROLE_CITIZEN) | \
                       MC_R(MC_ROLE_PARTNER))

/*
 * Run a write through the app's writer with idempotency: when the request
 * carries an Idempotency-Key, the JSON response (*result, status) produced
 * by fn is stored in the same transaction and replayed to retries.
 * fn must set *result (a new reference) and *status before returning MC_OK.
 */
struct mc_http_write {
    struct mc_req *r;
    int (*fn)(struct mc_db *db, void *ctx, json_t **result, int *status,
              struct mc_err *err);
    void *ctx;
};
int mc_http_write(struct mc_req *r,
                  int (*fn)(struct mc_db *db, void *ctx, json_t **result,
                            int *status, struct mc_err *err),
                  void *ctx) MC_WUR;

/*
 * As mc_http_write, for writes whose answer can be built from ctx after
 * the commit: fn may leave *result NULL and render(ctx, out) writes the
 * answer's JSON text into out (appending; MC_OK or an MC_E* code) outside
 * the single writer thread; with an Idempotency-Key it is written inside
 * the transaction so the stored answer is exact.
 */
int mc_http_write_render(struct mc_req *r,
                         int (*fn)(struct mc_db *db, void *ctx,
                                   json_t **result, int *status,
                                   struct mc_err *err),
                         int (*render)(void *ctx, struct mc_buf *out),
                         void *ctx) MC_WUR;

/*
 * As mc_http_write_render, but on an event thread (r->async_ok) it does not
 * wait for the commit: it checks the Idempotency-Key, then leaves the write
 * in r and returns MC_HTTP_PENDING, which the handler must return at once.
 * The server then suspends the connection, queues the write
 * (mc_http_write_submit) and, when the writer is done, finishes the answer
 * (mc_http_write_resume). ctx must live in r's arena (it outlives the
 * handler's stack frame). Elsewhere it is mc_http_write_render.
 */
#define MC_HTTP_PENDING 1
int mc_http_write_async(struct mc_req *r,
                        int (*fn)(struct mc_db *db, void *ctx,
                                  json_t **result, int *status,
                                  struct mc_err *err),
                        int (*render)(void *ctx, struct mc_buf *out),
                        void *ctx) MC_WUR;
/* Queue r's pending write; done(arg, rc) runs on the writer thread. */
int mc_http_write_submit(struct mc_req *r, void (*done)(void *arg, int rc),
                         void *arg) MC_WUR;
/* Build r's answer from the pending write's result rc (after done). */
void mc_http_write_resume(struct mc_req *r, int rc);

/* Current calendar (read-locked reference for the request duration). */
const struct mc_calendar *mc_req_calendar(struct mc_req *r);

/* Server lifecycle. */
/*
 * Attachments (r_files.c; dossiers and feedback share them). An upload is
 * the raw request body (at most app->max_upload bytes, else 413 before
 * the handler runs) named by ?name=: mc_http_upload_body checks the name
 * (1..200 bytes of UTF-8 without '/', NFC-normalised), that the body is a
 * PDF, JPEG or PNG whose Content-Type matches (415 unsupported_file) and
 * sets *name, *mime and *sha (SHA-256 hex), all in r's arena.
 * mc_http_upload_store writes the bytes durably, content-addressed under
 * app->files_dir (no-op when present; 507 storage_failed). Check the
 * actor's rights BEFORE storing, so a refused upload leaves nothing.
 * mc_http_upload_send answers with the stored bytes of sha.
 */
int mc_http_upload_body(struct mc_req *r, const char **name,
                        const char **mime, const char **sha) MC_WUR;
int mc_http_upload_store(struct mc_req *r, const char *sha) MC_WUR;
int mc_http_upload_send(struct mc_req *r, const char *sha, const char *mime);

struct mc_server;
/*
 * The thread counts mc_server_start uses for app (its defaults filled in:
 * one event thread per CPU, 24 workers), and the read connections that let
 * every one of them hold a reader at once (threads + workers + 4).
 */
void mc_server_threads(const struct mc_app *app, int *threads, int *workers,
                       int *readers);
int mc_server_start(struct mc_app *app, const char *listen,
                    struct mc_server **out, struct mc_err *err) MC_WUR;
void mc_server_stop(struct mc_server *s);

#endif
