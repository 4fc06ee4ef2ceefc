/*
 * notify.h - notifications: an in-app inbox per account and outbound
 * channels behind one interface (struct mc_channel).
 *
 * mc_notify records a notification (deduplicated by its key) and one
 * pending delivery for the outbound channel, in the caller's transaction.
 * mc_notify_deliver later hands pending deliveries to a channel outside
 * any transaction and records the outcome: sent, or a retry with
 * exponential back-off, giving up ("failed") after MC_NOTIFY_MAX_ATTEMPTS.
 * Delivery is at least once.
 */
#ifndef MC_DOMAIN_NOTIFY_H
#define MC_DOMAIN_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "db/writer.h"
#include "domain/actor.h"
#include "util/arena.h"
#include "util/err.h"

/* Name of the outbound channel deliveries are queued for. */
#define MC_NOTIFY_CHANNEL "spool"
#define MC_NOTIFY_MAX_ATTEMPTS 8
/*
 * A claimed delivery is not handed to another sender (another instance)
 * for this long; longer than a batch of sends with their network time-outs.
 */
#define MC_NOTIFY_LEASE_SECS (30 * 60)

/* A new notification (strings borrowed). */
struct mc_notification_new {
    int64_t account_id;        /* in-app recipient; 0 = outbound only */
    int64_t dossier_id;        /* 0 = none */
    const char *kind;          /* near_due_warning, overdue_escalation... */
    const char *title;
    const char *body;
    const char *address;       /* outbound e-mail/phone; NULL = none */
    const char *dedup_key;     /* unique: the same key is recorded once */
};

/*
 * Record n at time now with a pending delivery on MC_NOTIFY_CHANNEL.
 * *created (may be NULL) = 1 when new, 0 when the key existed. Runs in
 * the caller's transaction.
 */
int mc_notify(struct mc_db *db, const struct mc_notification_new *n,
              int64_t now, int *created, struct mc_err *err) MC_WUR;

/*
 * The logged-in account's notifications, newest first (unread_only: only
 * unread). JSON array; *total and *unread counted over the account.
 */
int mc_notification_list(struct mc_db *db, const struct mc_actor *actor,
                         int unread_only, int limit, int offset,
                         json_t **items, int64_t *total, int64_t *unread,
                         struct mc_err *err) MC_WUR;

/* Context of mc_notification_read (borrowed pointers). */
struct mc_notification_read {
    const struct mc_actor *actor;
    int64_t now;
    int64_t id;
    json_t *out;               /* result (new reference) */
};

/*
 * Write function: mark the actor's own notification id read (idempotent:
 * the first read time is kept) and audit it. 404 if it is not the
 * actor's.
 */
int mc_notification_read(struct mc_db *db, struct mc_notification_read *c,
                         struct mc_err *err) MC_WUR;

/* One message handed to a channel (borrowed strings). */
struct mc_outbound {
    int64_t delivery_id, notification_id;
    int64_t account_id, dossier_id;
    const char *kind, *title, *body, *address;
    int64_t created_at;
    int attempt;               /* 1 for the first try */
};

/*
 * An outbound channel. send returns MC_OK when the message was handed
 * over durably, a negative code (err filled) to retry later. Called from
 * one thread at a time.
 */
struct mc_channel {
    const char *name;
    int (*send)(struct mc_channel *ch, const struct mc_outbound *m,
                struct mc_err *err);
    void (*free)(struct mc_channel *ch);
    void *state;
};

/*
 * The spool channel: appends one JSON line per message to path (created
 * with its directory's existing permissions; fsync per message). *out
 * owned by the caller (mc_channel_free).
 */
int mc_channel_spool_open(const char *path, struct mc_channel **out,
                          struct mc_err *err) MC_WUR;
void mc_channel_free(struct mc_channel *ch);

/*
 * The e-mail channel: a minimal SMTP client (EHLO, MAIL FROM, RCPT TO,
 * DATA; no TLS or AUTH, for a local relay) to hostport "HOST:PORT",
 * sender from; the subject is RFC 2047 encoded UTF-8, the body base64.
 * A reply other than the expected code is an error (retried). *out owned
 * by the caller. 400 for a bad hostport or sender.
 */
int mc_channel_smtp_open(const char *hostport, const char *from,
                         struct mc_channel **out, struct mc_err *err) MC_WUR;

/*
 * The SMS channel: POSTs {"to","title","message","delivery_id",
 * "notification_id"} as JSON to url "http://HOST[:PORT]/PATH"; a 2xx
 * answer is success, anything else an error (retried). 400 for a bad url.
 */
int mc_channel_sms_open(const char *url, struct mc_channel **out,
                        struct mc_err *err) MC_WUR;

/* Outbound configuration (borrowed strings; NULL = not configured). */
struct mc_outbound_cfg {
    const char *spool;         /* required */
    const char *smtp;          /* HOST:PORT */
    const char *smtp_from;     /* required with smtp */
    const char *sms_url;
};

/*
 * The outbound channel (named MC_NOTIFY_CHANNEL, so it takes the queued
 * deliveries): e-mail addresses go to SMTP and phone numbers to the SMS
 * gateway when configured; everything else (and all when neither is) to
 * the spool file. *out owned by the caller (mc_channel_free).
 */
int mc_channel_outbound_open(const struct mc_outbound_cfg *cfg,
                             struct mc_channel **out,
                             struct mc_err *err) MC_WUR;

/*
 * Hand up to max pending deliveries of channel ch whose time has come
 * (next_attempt_at <= now) to ch and record each outcome through w.
 * The rows are claimed first (leased for MC_NOTIFY_LEASE_SECS) in their
 * own transaction, so sweepers of several instances on one database never
 * hand the same delivery to a channel twice. *sent / *failed (may be NULL) count this call's outcomes.
 */
int mc_notify_deliver(struct mc_writer *w, struct mc_channel *ch,
                      int64_t now, int max, int *sent, int *failed,
                      struct mc_err *err) MC_WUR;

#endif
