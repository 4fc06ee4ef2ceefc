/*
 * server.c - libmicrohttpd glue: request lifecycle and response sending.
 *
 * Event threads plus workers, as nginx and h2o do it. A few MHD threads
 * (one per CPU, each with its own epoll set) read requests and send
 * answers for many connections. Routes marked MC_RT_INLINE (point reads,
 * dossier intake and transitions) run on the event thread; their write
 * does not block it: the connection is suspended, the write joins the
 * writer's next group commit, and the writer's callback resumes the
 * connection, whose answer is then built and sent on the event thread.
 * Every other route (argon2 logins, PDF and Excel, reports, lists,
 * uploads) is handed to a worker thread that may block, and the
 * connection is resumed when the worker has built the answer. So a
 * request costs no thread wake-up of its own on the fast paths, and slow
 * handlers never stall an event thread.
 *
 * MHD calls the access handler several times per request; we answer only
 * on the last call (after the whole body is read) so MHD keeps the
 * connection alive (answering on the first call makes it add
 * "Connection: close").
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "domain/calendar.h"
#include "http/dispatch.h"
#include "http/http.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/mctime.h"
#include "util/text.h"

#define REQ_ARENA_LIMIT (64u << 20)

/*
 * MHD's memory per connection (request line, headers, read buffer, the
 * answer's headers). MHD zeroes the whole pool between two requests of a
 * keep-alive connection: with its default of 32 KiB that was 48 KiB of
 * memset per request. 16 KiB still holds any header block a browser or
 * API client sends (a 14 KB header was answered; nginx's default limit is
 * 8 KiB per header line).
 */
#define MHD_POOL_BYTES ((size_t)16 << 10)

/* One request and where it is in the event/worker hand-over. */
enum phase { P_NEW, P_WAIT, P_DONE };

struct creq {
    struct mc_req r;                 /* first: completed() frees a creq */
    struct mc_server *s;
    struct MHD_Connection *conn;
    enum phase phase;
    int write_rc;                    /* result of a suspended write */
    int on_worker;                   /* suspended for a worker */
    struct creq *next;               /* worker queue */
};

struct mc_server {
    struct MHD_Daemon *d;
    struct mc_app *app;
    pthread_mutex_t mu;
    pthread_cond_t work;             /* workers wait for requests */
    pthread_cond_t idle;             /* stop waits for inflight == 0 */
    struct creq *head, *tail;
    int inflight;                    /* suspended requests */
    int stopping;                    /* no new suspensions */
    int workers_stop;
    int nworkers;
    pthread_t *workers;
};

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
            const char *value)
{
    struct mc_req *r = cls;

    (void)kind;
    if (r->nq < MC_MAX_QUERY && key != NULL) {
        r->qk[r->nq] = key;
        r->qv[r->nq] = value ? value : "";
        r->nq++;
    }
    return MHD_YES;
}

/*
 * The client address: the last X-Forwarded-For entry when the app trusts
 * its proxy (the load balancer appends the address it saw), else the peer.
 */
static void
client_ip(struct mc_app *app, struct MHD_Connection *conn, char *out,
          size_t n)
{
    const union MHD_ConnectionInfo *ci;
    const char *xff, *p;

    out[0] = '\0';
    if (app->trust_proxy &&
        (xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                           "X-Forwarded-For")) != NULL) {
        p = strrchr(xff, ',');
        p = p ? p + 1 : xff;
        while (*p == ' ') {
            p++;
        }
        snprintf(out, n, "%.*s", (int)strcspn(p, " "), p);
        if (out[0] != '\0') {
            return;
        }
    }
    ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci == NULL || ci->client_addr == NULL) {
        return;
    }
    if (ci->client_addr->sa_family == AF_INET) {
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)(const void *)ci->client_addr)
                       ->sin_addr,
                  out, (socklen_t)n);
    } else if (ci->client_addr->sa_family == AF_INET6) {
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)
                        ci->client_addr)
                       ->sin6_addr,
                  out, (socklen_t)n);
    }
}

static struct mc_req *
req_new(struct mc_app *app, struct MHD_Connection *conn, const char *url,
        const char *method)
{
    struct creq *c = mc_calloc(1, sizeof(*c));
    struct mc_req *r = &c->r;
    const char *v;
    int upload;

    if (c == NULL) {
        return NULL;
    }
    c->conn = conn;
    r->app = app;
    mc_arena_init(&r->arena, REQ_ARENA_LIMIT);
    r->method = mc_arena_strdup(&r->arena, method);
    r->path = mc_arena_strdup(&r->arena, url);
    r->now = mc_now();
    r->content_type = MHD_lookup_connection_value(
        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    upload = r->content_type != NULL &&
             strncmp(r->content_type, "application/json", 16) != 0 &&
             strncmp(r->content_type, "text/", 5) != 0;
    mc_buf_init(&r->body, upload ? app->max_upload : app->max_body);
    mc_buf_init(&r->resp, 256u << 20);
    r->idem_key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                              "Idempotency-Key");
    r->user_agent = MHD_lookup_connection_value(
        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
    client_ip(app, conn, r->client_ip, sizeof(r->client_ip));
    v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                    MHD_HTTP_HEADER_AUTHORIZATION);
    if (v != NULL && strncmp(v, "Bearer ", 7) == 0) {
        r->token = v + 7;
        r->token_from_header = 1;
    } else {
        r->token = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND,
                                               "mc_session");
    }
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, r);
    mc_err_clear(&r->err);
    return r;
}

/* Give back the reader and the calendar lock (on the thread that took
 * them: a worker releases them before handing the answer over). */
static void
req_release_locks(struct mc_req *r)
{
    if (r->rdb != NULL) {
        mc_dbpool_put(r->app->readers, r->rdb);
        r->rdb = NULL;
    }
    if (r->cal_locked) {
        pthread_rwlock_unlock(&r->app->cal_lock);
        r->cal_locked = 0;
    }
}

static void
req_free(struct mc_req *r)
{
    if (r == NULL) {
        return;
    }
    req_release_locks(r);
    mc_buf_release(&r->body);
    mc_buf_release(&r->resp);
    mc_arena_release(&r->arena);
    mc_free(r);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
          enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    req_free(*con_cls);
    *con_cls = NULL;
}

static enum MHD_Result
send_response(struct MHD_Connection *conn, struct mc_req *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    size_t len;
    char *data = mc_buf_take(&r->resp, &len);

    resp = MHD_create_response_from_buffer_with_free_callback(
        len, data ? data : (char *)"", data ? mc_free : NULL);
    if (resp == NULL) {
        mc_free(data);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            r->resp_type ? r->resp_type
                                         : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    for (int i = 0; i < r->nresp_headers; i++) {
        MHD_add_response_header(resp, r->resp_headers[i][0],
                                r->resp_headers[i][1]);
    }
    ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Count a suspension; 0 when the server is stopping (run it inline). */
static int
inflight_enter(struct mc_server *s)
{
    int ok;

    pthread_mutex_lock(&s->mu);
    ok = !s->stopping;
    s->inflight += ok;
    pthread_mutex_unlock(&s->mu);
    return ok;
}

static void
inflight_leave(struct mc_server *s)
{
    pthread_mutex_lock(&s->mu);
    if (--s->inflight == 0) {
        pthread_cond_broadcast(&s->idle);
    }
    pthread_mutex_unlock(&s->mu);
}

/* Hand a finished request back to its (suspended) connection. */
static void
resume(struct creq *c)
{
    struct mc_server *s = c->s;

    c->phase = P_DONE;
    MHD_resume_connection(c->conn);
    inflight_leave(s);
}

/* Writer thread: the group holding this request's write has committed. */
static void
write_done(void *arg, int rc)
{
    struct creq *c = arg;

    c->write_rc = rc;
    resume(c);
}

static void *
worker_main(void *arg)
{
    struct mc_server *s = arg;
    struct creq *c;
    int served = 0;

    pthread_setname_np(pthread_self(), "mc-worker");
    for (;;) {
        pthread_mutex_lock(&s->mu);
        if (served && s->head == NULL && !s->workers_stop) {
            /* idle after a request: what it freed goes back to the
             * system (at most once a second for the whole process) */
            pthread_mutex_unlock(&s->mu);
            served = 0;
            mc_alloc_release_idle();
            continue;
        }
        while (s->head == NULL && !s->workers_stop) {
            pthread_cond_wait(&s->work, &s->mu);
        }
        c = s->head;
        if (c == NULL) {
            pthread_mutex_unlock(&s->mu);
            break;
        }
        s->head = c->next;
        if (s->head == NULL) {
            s->tail = NULL;
        }
        pthread_mutex_unlock(&s->mu);
        mc_dispatch(&c->r);
        req_release_locks(&c->r);
        resume(c);
        served = 1;
    }
    return NULL;
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *conn, const char *url,
               const char *method, const char *version,
               const char *upload_data, size_t *upload_data_size,
               void **con_cls)
{
    struct mc_server *s = cls;
    struct creq *c = *con_cls;
    struct mc_req *r;
    int rc;

    (void)version;
    if (c == NULL) {
        r = req_new(s->app, conn, url, method);
        if (r == NULL) {
            return MHD_NO;
        }
        c = (struct creq *)(void *)r;
        c->s = s;
        *con_cls = c;
        return MHD_YES;
    }
    r = &c->r;
    if (c->phase == P_DONE) {
        if (!c->on_worker) {
            mc_http_write_resume(r, c->write_rc);
        }
        return send_response(conn, r);
    }
    if (c->phase == P_WAIT) {
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!r->body_too_big &&
            mc_buf_add(&r->body, upload_data, *upload_data_size) != MC_OK) {
            r->body_too_big = 1;
            mc_buf_release(&r->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (mc_dispatch_inline(r)) {
        r->async_ok = inflight_enter(s);
        mc_dispatch(r);
        if (r->wpending == NULL) {
            if (r->async_ok) {
                inflight_leave(s);
            }
            return send_response(conn, r);
        }
        c->phase = P_WAIT;
        MHD_suspend_connection(conn);
        rc = mc_http_write_submit(r, write_done, c);
        if (rc != MC_OK) {
            write_done(c, rc);
        }
        return MHD_YES;
    }
    if (!inflight_enter(s)) {
        mc_dispatch(r); /* stopping: finish on this thread */
        return send_response(conn, r);
    }
    c->phase = P_WAIT;
    c->on_worker = 1;
    MHD_suspend_connection(conn);
    pthread_mutex_lock(&s->mu);
    if (s->tail != NULL) {
        s->tail->next = c;
    } else {
        s->head = c;
    }
    s->tail = c;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->mu);
    return MHD_YES;
}

static int
parse_listen(const char *listen, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    long long port;
    size_t n;

    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    if (colon == NULL) {
        return -1;
    }
    n = (size_t)(colon - listen);
    if (n == 0 || n >= sizeof(host) || mc_parse_i64(colon + 1, &port) ||
        port < 0 || port > 65535) {
        return -1;
    }
    memcpy(host, listen, n);
    host[n] = '\0';
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
        return -1;
    }
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];

    (void)cls;
    vsnprintf(line, sizeof(line), fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    mc_log_debug("mhd: %s", line);
}

static void
workers_stop(struct mc_server *s)
{
    pthread_mutex_lock(&s->mu);
    s->workers_stop = 1;
    pthread_cond_broadcast(&s->work);
    pthread_mutex_unlock(&s->mu);
    for (int i = 0; i < s->nworkers; i++) {
        pthread_join(s->workers[i], NULL);
    }
    s->nworkers = 0;
}

static void
server_free(struct mc_server *s)
{
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->work);
    pthread_cond_destroy(&s->idle);
    mc_free(s->workers);
    mc_free(s);
}

void
mc_server_threads(const struct mc_app *app, int *threads, int *workers,
                  int *readers)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

    *threads = app->http_threads > 0 ? app->http_threads
               : ncpu > 0 && ncpu < 64 ? (int)ncpu
                                        : 2;
    *workers = app->http_workers > 0 ? app->http_workers : 24;
    *readers = *threads + *workers + 4;
}

int
mc_server_start(struct mc_app *app, const char *listen,
                struct mc_server **out, struct mc_err *err)
{
    struct sockaddr_in sa;
    struct mc_server *s;
    int threads, nworkers, nreaders;

    mc_server_threads(app, &threads, &nworkers, &nreaders);

    *out = NULL;
    if (parse_listen(listen, &sa) != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_listen", "listen",
                          "--listen must be IPv4:PORT, e.g. 127.0.0.1:8080");
    }
    s = mc_calloc(1, sizeof(*s));
    if (s != NULL) {
        s->workers = mc_calloc((size_t)nworkers, sizeof(*s->workers));
    }
    if (s == NULL || s->workers == NULL) {
        mc_free(s);
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    s->app = app;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->work, NULL);
    pthread_cond_init(&s->idle, NULL);
    for (; s->nworkers < nworkers; s->nworkers++) {
        if (pthread_create(&s->workers[s->nworkers], NULL, worker_main, s) !=
            0) {
            workers_stop(s);
            server_free(s);
            return mc_err_set(err, MC_EINTERNAL, 500, "thread", NULL,
                              "cannot start the worker threads");
        }
    }
    s->d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
            MHD_USE_ERROR_LOG,
        ntohs(sa.sin_port), NULL, NULL, access_handler, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_NOTIFY_COMPLETED, completed, app,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, MHD_POOL_BYTES,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
    if (s->d == NULL) {
        workers_stop(s);
        server_free(s);
        return mc_err_set(err, MC_EIO, 500, "listen_failed", "listen",
                          "cannot listen on %s (address in use?)", listen);
    }
    *out = s;
    return MC_OK;
}

void
mc_server_stop(struct mc_server *s)
{
    struct timespec until;

    if (s == NULL) {
        return;
    }
    /* Let every suspended request finish (its write commit, its worker)
     * before MHD frees the connections; new ones run inline from now on. */
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    while (s->inflight > 0) {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 10;
        if (pthread_cond_timedwait(&s->idle, &s->mu, &until) != 0 &&
            s->inflight > 0) {
            mc_log_info("stopping: waiting for %d requests to finish",
                        s->inflight);
        }
    }
    pthread_mutex_unlock(&s->mu);
    MHD_stop_daemon(s->d);
    workers_stop(s);
    server_free(s);
}
