/*
 * notify_out.c - the e-mail (SMTP) and SMS (HTTP gateway) outbound
 * channels, and the outbound channel that picks one of them or the spool
 * by address (see notify.h).
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/notify.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/net.h"

#define NET_TIMEOUT_MS 10000
#define MAX_MESSAGE (256u << 10)

/* ---- helpers ---- */

/* 1 if s is a plausible e-mail address safe to put in an SMTP command. */
static int
is_email(const char *s)
{
    const char *at;

    if (s == NULL || strlen(s) > 254) {
        return 0;
    }
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
            (unsigned char)*p == 0x7f) {
            return 0;
        }
    }
    at = strchr(s, '@');
    return at != NULL && at != s && at[1] != '\0' && strchr(at + 1, '@') ==
                                                         NULL;
}

/* 1 if s looks like a phone number: digits with optional +, spaces, -. */
static int
is_phone(const char *s)
{
    int digits = 0;

    if (s == NULL) {
        return 0;
    }
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
        } else if (!(*p == '+' && p == s) && *p != ' ' && *p != '-') {
            return 0;
        }
    }
    return digits >= 8 && digits <= 15;
}

/* Append base64 of in[0..n) to b, in lines of at most 76 when wrap. */
static int
b64(struct mc_buf *b, const void *in, size_t n, int wrap)
{
    const unsigned char *p = in;
    unsigned char out[80];

    while (n > 0) {
        size_t k = n > 57 ? 57 : n; /* 57 bytes -> 76 characters */
        int len = EVP_EncodeBlock(out, p, (int)k);
        if (mc_buf_add(b, out, (size_t)len) != MC_OK ||
            (wrap && mc_buf_add(b, "\r\n", 2) != MC_OK)) {
            return MC_ETOOBIG;
        }
        p += k;
        n -= k;
    }
    return MC_OK;
}

/*
 * RFC 2047 encoded words of the UTF-8 text s: "=?UTF-8?B?...?=" of at
 * most 45 input bytes each (never splitting a character), folded.
 */
static int
rfc2047(struct mc_buf *b, const char *s)
{
    size_t n = strlen(s), off = 0;

    while (off < n) {
        size_t k = n - off > 45 ? 45 : n - off;
        while (off + k < n && k > 0 &&
               ((unsigned char)s[off + k] & 0xC0) == 0x80) {
            k--; /* do not cut a UTF-8 sequence */
        }
        if (k == 0) {
            return MC_EINVAL;
        }
        if ((off > 0 && mc_buf_add(b, "\r\n ", 3) != MC_OK) ||
            mc_buf_add(b, "=?UTF-8?B?", 10) != MC_OK ||
            b64(b, s + off, k, 0) != MC_OK ||
            mc_buf_add(b, "?=", 2) != MC_OK) {
            return MC_ETOOBIG;
        }
        off += k;
    }
    return MC_OK;
}

/* ---- SMTP ---- */

struct smtp {
    char host[256], port[16], from[256];
};

/* Read a (multi-line) reply; MC_OK when its code is want or want2. */
static int
smtp_reply(int fd, const char *want, const char *want2, const char *step,
           struct mc_err *err)
{
    char line[1024];
    int rc;

    do {
        if ((rc = mc_net_read_line(fd, line, sizeof(line), err)) != MC_OK) {
            return rc;
        }
    } while (strlen(line) >= 4 && line[3] == '-');
    if (strncmp(line, want, 3) != 0 &&
        (want2 == NULL || strncmp(line, want2, 3) != 0)) {
        return mc_err_set(err, MC_EIO, 502, "smtp_refused", NULL,
                          "SMTP %s: %.120s", step, line);
    }
    return MC_OK;
}

static int
smtp_cmd(int fd, const char *cmd, const char *want, const char *want2,
         struct mc_err *err)
{
    int rc = mc_net_write_all(fd, cmd, strlen(cmd), err);

    return rc == MC_OK ? smtp_reply(fd, want, want2, cmd, err) : rc;
}

/* The message (headers and base64 body, terminated by "."). */
static int
smtp_message(struct mc_buf *b, const struct smtp *sm,
             const struct mc_outbound *m)
{
    char hdr[1024];

    snprintf(hdr, sizeof(hdr),
             "From: <%s>\r\nTo: <%s>\r\nMessage-ID: <%lld.%lld@motcua>\r\n"
             "MIME-Version: 1.0\r\n"
             "Content-Type: text/plain; charset=UTF-8\r\n"
             "Content-Transfer-Encoding: base64\r\nSubject: ",
             sm->from, m->address, (long long)m->notification_id,
             (long long)m->delivery_id);
    if (mc_buf_add(b, hdr, strlen(hdr)) != MC_OK ||
        rfc2047(b, m->title) != MC_OK ||
        mc_buf_add(b, "\r\n\r\n", 4) != MC_OK ||
        b64(b, m->body, strlen(m->body), 1) != MC_OK ||
        mc_buf_add(b, ".\r\n", 3) != MC_OK) {
        return MC_ETOOBIG;
    }
    return MC_OK;
}

static int
smtp_send(struct mc_channel *ch, const struct mc_outbound *m,
          struct mc_err *err)
{
    struct smtp *sm = ch->state;
    struct mc_buf msg;
    char cmd[600];
    int fd = -1, rc;

    if (!is_email(m->address)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_address", NULL,
                          "not an e-mail address");
    }
    mc_buf_init(&msg, MAX_MESSAGE);
    rc = smtp_message(&msg, sm, m);
    if (rc != MC_OK) {
        rc = mc_err_set(err, rc, 500, "message_too_big", NULL,
                        "the message is too big");
        goto out;
    }
    rc = mc_net_connect(sm->host, sm->port, NET_TIMEOUT_MS, &fd, err);
    if (rc == MC_OK) {
        rc = smtp_reply(fd, "220", NULL, "greeting", err);
    }
    if (rc == MC_OK) {
        rc = smtp_cmd(fd, "EHLO motcua\r\n", "250", NULL, err);
    }
    if (rc == MC_OK) {
        snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>\r\n", sm->from);
        rc = smtp_cmd(fd, cmd, "250", NULL, err);
    }
    if (rc == MC_OK) {
        snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>\r\n", m->address);
        rc = smtp_cmd(fd, cmd, "250", "251", err);
    }
    if (rc == MC_OK) {
        rc = smtp_cmd(fd, "DATA\r\n", "354", NULL, err);
    }
    if (rc == MC_OK) {
        rc = mc_net_write_all(fd, msg.data, msg.len, err);
    }
    if (rc == MC_OK) {
        rc = smtp_reply(fd, "250", NULL, "end of data", err);
    }
    if (rc == MC_OK) {
        struct mc_err ignored; /* the message is accepted already */
        if (mc_net_write_all(fd, "QUIT\r\n", 6, &ignored) != MC_OK) {
            mc_err_clear(&ignored);
        }
    }
out:
    if (fd >= 0) {
        close(fd);
    }
    mc_buf_release(&msg);
    return rc;
}

/* ---- SMS over an HTTP gateway ---- */

struct sms {
    char host[256], port[16], path[512];
};

static int
sms_send(struct mc_channel *ch, const struct mc_outbound *m,
         struct mc_err *err)
{
    struct sms *sg = ch->state;
    char head[1024], line[1024], *body = NULL;
    json_t *o;
    int fd = -1, status = 0, rc;

    if (!is_phone(m->address)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_address", NULL,
                          "not a phone number");
    }
    o = json_pack("{s:s,s:s,s:s,s:I,s:I}", "to", m->address, "title",
                  m->title, "message", m->body, "delivery_id",
                  (json_int_t)m->delivery_id, "notification_id",
                  (json_int_t)m->notification_id);
    body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (body == NULL) {
        return MC_ENOMEM;
    }
    snprintf(head, sizeof(head),
             "POST %s HTTP/1.1\r\nHost: %s:%s\r\n"
             "Content-Type: application/json; charset=utf-8\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n",
             sg->path, sg->host, sg->port, strlen(body));
    rc = mc_net_connect(sg->host, sg->port, NET_TIMEOUT_MS, &fd, err);
    if (rc == MC_OK) {
        rc = mc_net_write_all(fd, head, strlen(head), err);
    }
    if (rc == MC_OK) {
        rc = mc_net_write_all(fd, body, strlen(body), err);
    }
    if (rc == MC_OK) {
        rc = mc_net_read_line(fd, line, sizeof(line), err);
    }
    if (rc == MC_OK &&
        (sscanf(line, "HTTP/1.%*d %d", &status) != 1 || status < 200 ||
         status > 299)) {
        rc = mc_err_set(err, MC_EIO, 502, "sms_refused", NULL,
                        "SMS gateway: %.120s", line);
    }
    if (fd >= 0) {
        mc_net_drain(fd, 64u << 10); /* the rest of the answer */
        close(fd);
    }
    free(body);
    return rc;
}

static int
sms_parse_url(const char *url, struct sms *sg)
{
    const char *p, *slash;
    char hp[256];

    if (url == NULL || strncmp(url, "http://", 7) != 0) {
        return MC_EINVAL;
    }
    p = url + 7;
    slash = strchr(p, '/');
    if (slash == NULL || (size_t)(slash - p) >= sizeof(hp) ||
        strlen(slash) >= sizeof(sg->path)) {
        return MC_EINVAL;
    }
    memcpy(hp, p, (size_t)(slash - p));
    hp[slash - p] = '\0';
    if (strchr(hp, ':') == NULL) {
        if (strlen(hp) >= sizeof(sg->host) || hp[0] == '\0') {
            return MC_EINVAL;
        }
        snprintf(sg->host, sizeof(sg->host), "%s", hp);
        snprintf(sg->port, sizeof(sg->port), "80");
    } else if (mc_net_split_hostport(hp, sg->host, sizeof(sg->host),
                                     sg->port, sizeof(sg->port)) != MC_OK) {
        return MC_EINVAL;
    }
    for (const char *q = slash; *q; q++) {
        if ((unsigned char)*q <= ' ') {
            return MC_EINVAL;
        }
    }
    snprintf(sg->path, sizeof(sg->path), "%s", slash);
    return MC_OK;
}

/* ---- the outbound channel: by address ---- */

struct router {
    struct mc_channel *spool, *smtp, *sms;
};

static int
router_send(struct mc_channel *ch, const struct mc_outbound *m,
            struct mc_err *err)
{
    struct router *r = ch->state;

    if (r->smtp != NULL && is_email(m->address)) {
        return r->smtp->send(r->smtp, m, err);
    }
    if (r->sms != NULL && is_phone(m->address)) {
        return r->sms->send(r->sms, m, err);
    }
    return r->spool->send(r->spool, m, err);
}

static void
state_free(struct mc_channel *ch)
{
    mc_free(ch->state);
    mc_free(ch);
}

static void
router_free(struct mc_channel *ch)
{
    struct router *r = ch->state;

    mc_channel_free(r->spool);
    mc_channel_free(r->smtp);
    mc_channel_free(r->sms);
    state_free(ch);
}

static struct mc_channel *
channel_new(const char *name, void *state,
            int (*send)(struct mc_channel *, const struct mc_outbound *,
                        struct mc_err *),
            void (*fr)(struct mc_channel *))
{
    struct mc_channel *ch = mc_calloc(1, sizeof(*ch));

    if (ch == NULL) {
        return NULL; /* state stays the caller's */
    }
    ch->name = name;
    ch->send = send;
    ch->free = fr;
    ch->state = state;
    return ch;
}

int
mc_channel_smtp_open(const char *hostport, const char *from,
                     struct mc_channel **out, struct mc_err *err)
{
    struct smtp *sm;

    *out = NULL;
    if (from == NULL || !is_email(from)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_smtp_from", "smtp-from",
                          "--smtp-from must be an e-mail address");
    }
    sm = mc_calloc(1, sizeof(*sm));
    if (sm == NULL) {
        return MC_ENOMEM;
    }
    if (mc_net_split_hostport(hostport, sm->host, sizeof(sm->host),
                              sm->port, sizeof(sm->port)) != MC_OK) {
        mc_free(sm);
        return mc_err_set(err, MC_EINVAL, 400, "bad_smtp", "smtp",
                          "--smtp must be HOST:PORT");
    }
    snprintf(sm->from, sizeof(sm->from), "%s", from);
    *out = channel_new("smtp", sm, smtp_send, state_free);
    if (*out == NULL) {
        mc_free(sm);
        return MC_ENOMEM;
    }
    return MC_OK;
}

int
mc_channel_sms_open(const char *url, struct mc_channel **out,
                    struct mc_err *err)
{
    struct sms *sg;

    *out = NULL;
    sg = mc_calloc(1, sizeof(*sg));
    if (sg == NULL) {
        return MC_ENOMEM;
    }
    if (sms_parse_url(url, sg) != MC_OK) {
        mc_free(sg);
        return mc_err_set(err, MC_EINVAL, 400, "bad_sms_url", "sms-url",
                          "--sms-url must be http://HOST[:PORT]/PATH");
    }
    *out = channel_new("sms", sg, sms_send, state_free);
    if (*out == NULL) {
        mc_free(sg);
        return MC_ENOMEM;
    }
    return MC_OK;
}

int
mc_channel_outbound_open(const struct mc_outbound_cfg *cfg,
                         struct mc_channel **out, struct mc_err *err)
{
    struct router *r;
    int rc;

    *out = NULL;
    r = mc_calloc(1, sizeof(*r));
    if (r == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_channel_spool_open(cfg->spool, &r->spool, err);
    if (rc == MC_OK && cfg->smtp != NULL) {
        rc = mc_channel_smtp_open(cfg->smtp, cfg->smtp_from, &r->smtp, err);
    }
    if (rc == MC_OK && cfg->sms_url != NULL) {
        rc = mc_channel_sms_open(cfg->sms_url, &r->sms, err);
    }
    if (rc == MC_OK) {
        *out = channel_new(MC_NOTIFY_CHANNEL, r, router_send, router_free);
        if (*out != NULL) {
            return MC_OK;
        }
        rc = MC_ENOMEM;
    }
    mc_channel_free(r->spool);
    mc_channel_free(r->smtp);
    mc_channel_free(r->sms);
    mc_free(r);
    return rc;
}
