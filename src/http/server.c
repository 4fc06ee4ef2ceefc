/*
 * server.c - libmicrohttpd glue: request lifecycle and response sending.
 *
 * Thread per connection: a handler may block (argon2, PDF rendering, or
 * waiting for its group commit) without stalling other connections.
 * MHD calls the access handler several times per request; we answer only
 * on the last call (after the whole body is read) so MHD keeps the
 * connection alive (answering on the first call makes it add
 * "Connection: close").
 */
#include <arpa/inet.h>
#include <microhttpd.h>
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

struct mc_server {
    struct MHD_Daemon *d;
    struct mc_app *app;
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
    struct mc_req *r = mc_calloc(1, sizeof(*r));
    const char *v;
    int upload;

    if (r == NULL) {
        return NULL;
    }
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

static void
req_free(struct mc_req *r)
{
    if (r == NULL) {
        return;
    }
    if (r->rdb != NULL) {
        mc_dbpool_put(r->app->readers, r->rdb);
    }
    if (r->cal_locked) {
        pthread_rwlock_unlock(&r->app->cal_lock);
    }
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

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *conn, const char *url,
               const char *method, const char *version,
               const char *upload_data, size_t *upload_data_size,
               void **con_cls)
{
    struct mc_app *app = cls;
    struct mc_req *r = *con_cls;

    (void)version;
    if (r == NULL) {
        r = req_new(app, conn, url, method);
        if (r == NULL) {
            return MHD_NO;
        }
        *con_cls = r;
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
    mc_dispatch(r);
    return send_response(conn, r);
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

int
mc_server_start(struct mc_app *app, const char *listen,
                struct mc_server **out, struct mc_err *err)
{
    struct sockaddr_in sa;
    struct mc_server *s;

    *out = NULL;
    if (parse_listen(listen, &sa) != 0) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_listen", "listen",
                          "--listen must be IPv4:PORT, e.g. 127.0.0.1:8080");
    }
    s = mc_calloc(1, sizeof(*s));
    if (s == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    s->app = app;
    s->d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
            MHD_USE_POLL |
            MHD_USE_ERROR_LOG,
        ntohs(sa.sin_port), NULL, NULL, access_handler, app,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_NOTIFY_COMPLETED, completed, app,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)(1u << 20),
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
    if (s->d == NULL) {
        mc_free(s);
        return mc_err_set(err, MC_EIO, 500, "listen_failed", "listen",
                          "cannot listen on %s (address in use?)", listen);
    }
    *out = s;
    return MC_OK;
}

void
mc_server_stop(struct mc_server *s)
{
    if (s == NULL) {
        return;
    }
    MHD_stop_daemon(s->d);
    mc_free(s);
}
