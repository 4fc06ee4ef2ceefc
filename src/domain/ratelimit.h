/*
 * ratelimit.h - rate limits whose counters live in the database, so every
 * instance on one database shares them (fixed windows, table
 * rate_counters, src/db/q_rate.c).
 *
 * Rules (defaults; `motcua serve --rate-RULE N/SECS`, 0/SECS turns a rule
 * off):
 *   login_user    10 failed logins per username per 900 s
 *   login_ip     100 failed logins per client address per 900 s
 *   evaluation_ip 20 refused kiosk evaluations (unknown code or wrong
 *                    receipt secret) per client address per 900 s
 *   feedback_ip   30 anonymous feedback submissions per client address
 *                    per 3600 s
 * A request over a limit gets 429 rate_limited with Retry-After (seconds
 * until the window closes) and changes nothing. Failures are counted in
 * the transaction that records them (login) or in a small one of their own
 * (evaluation: the refused write is rolled back); submissions are counted
 * in the submission's own transaction. The sweeper purges old windows.
 */
#ifndef MC_DOMAIN_RATELIMIT_H
#define MC_DOMAIN_RATELIMIT_H

#include <stdint.h>

#include "db/db.h"
#include "db/writer.h"
#include "util/err.h"

enum mc_rate_kind {
    MC_RATE_LOGIN_USER = 0,
    MC_RATE_LOGIN_IP,
    MC_RATE_EVAL_IP,
    MC_RATE_FEEDBACK_IP,
    MC_RATE_KINDS
};

struct mc_rate_rule {
    int limit;  /* hits allowed per window; 0: no limit */
    int window; /* seconds, 1..86400 */
};

struct mc_rate_cfg {
    struct mc_rate_rule rule[MC_RATE_KINDS];
};

/* Fill c with the defaults above. */
void mc_rate_defaults(struct mc_rate_cfg *c);
/* Rule name ("login_user", ...; static). */
const char *mc_rate_name(enum mc_rate_kind k);
/* Parse "N/SECS" (N 0..1000000, SECS 1..86400); MC_EINVAL when bad. */
int mc_rate_parse(const char *s, struct mc_rate_rule *out) MC_WUR;

/*
 * Read-only check of rule k for key (borrowed; the username or client
 * address; NULL or "" is never limited). MC_OK under the limit; at it,
 * MC_EBUSY with err 429 "rate_limited" and *retry_after set (seconds,
 * >= 1). cfg NULL: no limits.
 */
int mc_rate_check(struct mc_db *db, const struct mc_rate_cfg *cfg,
                  enum mc_rate_kind k, const char *key, int64_t now,
                  int64_t *retry_after, struct mc_err *err) MC_WUR;

/*
 * Count one hit of rule k for key in the caller's write transaction.
 * With refuse set, a hit past the limit returns MC_EBUSY (429
 * rate_limited, *retry_after set) so the caller's transaction rolls back.
 */
int mc_rate_hit(struct mc_db *db, const struct mc_rate_cfg *cfg,
                enum mc_rate_kind k, const char *key, int64_t now,
                int refuse, int64_t *retry_after, struct mc_err *err) MC_WUR;

/* Count one hit (no refusal) in a write transaction of its own. */
int mc_rate_note(struct mc_writer *w, const struct mc_rate_cfg *cfg,
                 enum mc_rate_kind k, const char *key, int64_t now,
                 struct mc_err *err) MC_WUR;

/* Delete counter windows that opened more than a day before now. */
int mc_rate_purge(struct mc_writer *w, int64_t now,
                  struct mc_err *err) MC_WUR;

#endif
