/*
 * notify.c - notifications, the spool channel and delivery with retries
 * (see notify.h).
 */
#include "domain/notify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/q_discipline.h"
#include "sec/audit.h"
#include "util/alloc.h"
#include "util/json.h"

int
mc_notify(struct mc_db *db, const struct mc_notification_new *n, int64_t now,
          int *created, struct mc_err *err)
{
    int64_t id = 0;
    int rc;

    if (created != NULL) {
        *created = 0;
    }
    rc = mc_q_notification_insert(db, n, now, &id, err);
    if (rc != MC_OK || id == 0) {
        return rc;
    }
    rc = mc_q_delivery_insert(db, id, MC_NOTIFY_CHANNEL, now, err);
    if (rc == MC_OK && created != NULL) {
        *created = 1;
    }
    return rc;
}

int
mc_notification_list(struct mc_db *db, const struct mc_actor *actor,
                     int unread_only, int limit, int offset, json_t **items,
                     int64_t *total, int64_t *unread, struct mc_err *err)
{
    if (actor->account_id == 0) {
        return mc_err_set(err, MC_EFORBIDDEN, 403, "forbidden", NULL,
                          "notifications belong to an account");
    }
    return mc_q_notification_list(db, actor->account_id, unread_only, limit,
                                  offset, items, total, unread, err);
}

int
mc_notification_read(struct mc_db *db, struct mc_notification_read *c,
                     struct mc_err *err)
{
    json_t *payload;
    char obj[48];
    int rc;

    c->out = NULL;
    rc = mc_q_notification_read(db, c->id, c->actor->account_id, c->now,
                                &c->out, err);
    if (rc != MC_OK) {
        return rc;
    }
    snprintf(obj, sizeof(obj), "notification:%lld", (long long)c->id);
    payload = json_object();
    if (payload == NULL) {
        return MC_ENOMEM;
    }
    rc = mc_audit_append(db, c->actor->account_id, "notification.read", obj,
                         payload, c->now, err);
    json_decref(payload);
    return rc;
}

/* ---- the spool channel ---- */

struct spool {
    char path[512];
};

static int
spool_send(struct mc_channel *ch, const struct mc_outbound *m,
           struct mc_err *err)
{
    struct spool *sp = ch->state;
    json_t *o;
    char *line = NULL;
    size_t len, off = 0;
    int fd = -1, rc = MC_OK;

    o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s?,s:o,s:o,s:o,s:i}", "delivery_id",
                  (json_int_t)m->delivery_id, "notification_id",
                  (json_int_t)m->notification_id, "kind", m->kind, "title",
                  m->title, "body", m->body, "address", m->address,
                  "account_id",
                  m->account_id ? json_integer(m->account_id) : json_null(),
                  "dossier_id",
                  m->dossier_id ? json_integer(m->dossier_id) : json_null(),
                  "created_at", mc_json_ts_value(m->created_at), "attempt",
                  m->attempt);
    line = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(o);
    if (line == NULL) {
        return MC_ENOMEM;
    }
    len = strlen(line);
    line[len++] = '\n'; /* replaces the NUL; written by length */
    fd = open(sp->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
        rc = mc_err_set(err, MC_EIO, 500, "spool_unavailable", NULL,
                        "cannot open %s: %s", sp->path, strerror(errno));
        goto out;
    }
    while (off < len) {
        ssize_t w = write(fd, line + off, len - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            rc = mc_err_set(err, MC_EIO, 500, "spool_write_failed", NULL,
                            "cannot write %s: %s", sp->path,
                            strerror(errno));
            goto out;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0) {
        rc = mc_err_set(err, MC_EIO, 500, "spool_write_failed", NULL,
                        "cannot sync %s: %s", sp->path, strerror(errno));
    }
out:
    if (fd >= 0) {
        close(fd);
    }
    free(line);
    return rc;
}

static void
spool_free(struct mc_channel *ch)
{
    mc_free(ch->state);
    mc_free(ch);
}

int
mc_channel_spool_open(const char *path, struct mc_channel **out,
                      struct mc_err *err)
{
    struct mc_channel *ch;
    struct spool *sp;

    *out = NULL;
    if (path == NULL || *path == '\0' || strlen(path) >= sizeof(sp->path)) {
        return mc_err_set(err, MC_EINVAL, 400, "bad_spool", "spool",
                          "the spool path must be 1..511 bytes");
    }
    ch = mc_calloc(1, sizeof(*ch));
    sp = mc_calloc(1, sizeof(*sp));
    if (ch == NULL || sp == NULL) {
        mc_free(ch);
        mc_free(sp);
        return MC_ENOMEM;
    }
    snprintf(sp->path, sizeof(sp->path), "%s", path);
    ch->name = MC_NOTIFY_CHANNEL;
    ch->send = spool_send;
    ch->free = spool_free;
    ch->state = sp;
    *out = ch;
    return MC_OK;
}

void
mc_channel_free(struct mc_channel *ch)
{
    if (ch != NULL && ch->free != NULL) {
        ch->free(ch);
    }
}

/* ---- delivery ---- */

struct claim_ctx {
    const char *channel;
    int64_t now;
    int max;
    struct mc_arena *arena;
    struct mc_outbound *rows;
    int n;
};

static int
claim_fn(struct mc_db *db, void *arg, struct mc_err *err)
{
    struct claim_ctx *c = arg;

    return mc_q_deliveries_due(db, c->channel, c->now,
                               c->now + MC_NOTIFY_LEASE_SECS, c->max,
                               c->arena, &c->rows, &c->n, err);
}

struct result_ctx {
    const struct mc_outbound *rows;
    const int *ok;
    char (*errors)[160];
    int n;
    int64_t now;
};

static int
result_fn(struct mc_db *db, void *arg, struct mc_err *err)
{
    struct result_ctx *c = arg;
    int rc = MC_OK;

    for (int i = 0; i < c->n && rc == MC_OK; i++) {
        int attempt = c->rows[i].attempt;
        int64_t backoff = 60LL << (attempt < 6 ? attempt : 6);
        rc = mc_q_delivery_result(db, c->rows[i].delivery_id, c->ok[i],
                                  c->ok[i] ? NULL : c->errors[i],
                                  c->now + backoff,
                                  attempt >= MC_NOTIFY_MAX_ATTEMPTS, c->now,
                                  err);
    }
    return rc;
}

int
mc_notify_deliver(struct mc_writer *w, struct mc_channel *ch, int64_t now,
                  int max, int *sent, int *failed, struct mc_err *err)
{
    struct mc_arena arena;
    struct claim_ctx cc = {0};
    struct result_ctx rc_ = {0};
    int *ok = NULL, rc;
    char (*errors)[160] = NULL;

    if (sent != NULL) {
        *sent = 0;
    }
    if (failed != NULL) {
        *failed = 0;
    }
    mc_arena_init(&arena, 8u << 20);
    cc.channel = ch->name;
    cc.now = now;
    cc.max = max > 0 ? max : 100;
    cc.arena = &arena;
    rc = mc_writer_run(w, claim_fn, &cc, err);
    if (rc != MC_OK || cc.n == 0) {
        goto out;
    }
    ok = mc_arena_zalloc(&arena, sizeof(int) * (size_t)cc.n);
    errors = mc_arena_zalloc(&arena, sizeof(*errors) * (size_t)cc.n);
    if (ok == NULL || errors == NULL) {
        rc = MC_ENOMEM;
        goto out;
    }
    for (int i = 0; i < cc.n; i++) {
        struct mc_err e;
        mc_err_clear(&e);
        ok[i] = ch->send(ch, &cc.rows[i], &e) == MC_OK;
        if (!ok[i]) {
            snprintf(errors[i], sizeof(errors[i]), "%.150s", e.message);
        }
        if (ok[i] && sent != NULL) {
            (*sent)++;
        } else if (!ok[i] && failed != NULL) {
            (*failed)++;
        }
    }
    rc_.rows = cc.rows;
    rc_.ok = ok;
    rc_.errors = errors;
    rc_.n = cc.n;
    rc_.now = now;
    rc = mc_writer_run(w, result_fn, &rc_, err);
out:
    mc_arena_release(&arena);
    return rc;
}
