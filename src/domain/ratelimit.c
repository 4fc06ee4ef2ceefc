/*
 * ratelimit.c - rate limits with counters in the database (see
 * ratelimit.h).
 */
#include "domain/ratelimit.h"

#include <stdio.h>
#include <string.h>

#include "db/q_rate.h"
#include "util/text.h"

#define MAX_KEY 128

static const char *const names[MC_RATE_KINDS] = {
    "login_user", "login_ip", "evaluation_ip", "feedback_ip"};

void
mc_rate_defaults(struct mc_rate_cfg *c)
{
    c->rule[MC_RATE_LOGIN_USER] = (struct mc_rate_rule){10, 900};
    c->rule[MC_RATE_LOGIN_IP] = (struct mc_rate_rule){100, 900};
    c->rule[MC_RATE_EVAL_IP] = (struct mc_rate_rule){20, 900};
    c->rule[MC_RATE_FEEDBACK_IP] = (struct mc_rate_rule){30, 3600};
}

const char *
mc_rate_name(enum mc_rate_kind k)
{
    return k >= 0 && k < MC_RATE_KINDS ? names[k] : "?";
}

int
mc_rate_parse(const char *s, struct mc_rate_rule *out)
{
    char num[24];
    const char *slash = s ? strchr(s, '/') : NULL;
    long long n, w;

    if (slash == NULL || (size_t)(slash - s) >= sizeof(num)) {
        return MC_EINVAL;
    }
    memcpy(num, s, (size_t)(slash - s));
    num[slash - s] = '\0';
    if (mc_parse_i64(num, &n) != 0 || mc_parse_i64(slash + 1, &w) != 0 ||
        n < 0 || n > 1000000 || w < 1 || w > 86400) {
        return MC_EINVAL;
    }
    out->limit = (int)n;
    out->window = (int)w;
    return MC_OK;
}

/* The rule of k, or NULL when k is not limited for key. */
static const struct mc_rate_rule *
rule_of(const struct mc_rate_cfg *cfg, enum mc_rate_kind k, const char *key)
{
    if (cfg == NULL || k < 0 || k >= MC_RATE_KINDS || key == NULL ||
        key[0] == '\0' || cfg->rule[k].limit <= 0 ||
        cfg->rule[k].window <= 0) {
        return NULL;
    }
    return &cfg->rule[k];
}

static void
bucket_of(enum mc_rate_kind k, const char *key, char *out, size_t n)
{
    snprintf(out, n, "%s:%.*s", names[k], MAX_KEY, key);
}

static int64_t
window_start(const struct mc_rate_rule *ru, int64_t now)
{
    int64_t m = now % ru->window;

    return now - (m < 0 ? m + ru->window : m);
}

static int
refused(const struct mc_rate_rule *ru, int64_t now, int64_t *retry_after,
        struct mc_err *err)
{
    int64_t left = window_start(ru, now) + ru->window - now;

    *retry_after = left > 0 ? left : 1;
    return mc_err_set(err, MC_EBUSY, 429, "rate_limited", NULL,
                      "quá nhiều lần thử; vui lòng thử lại sau %lld giây",
                      (long long)*retry_after);
}

/*
 * The hits of key's bucket in the current window, this one counted when
 * add; when refuse, 429 once they pass the limit (with add = 0: when one
 * more would).
 */
static int
tally(struct mc_db *db, const struct mc_rate_cfg *cfg, enum mc_rate_kind k,
      const char *key, int64_t now, int add, int refuse,
      int64_t *retry_after, struct mc_err *err)
{
    const struct mc_rate_rule *ru = rule_of(cfg, k, key);
    char bucket[MAX_KEY + 32];
    int64_t hits = 0, start;
    int rc;

    if (ru == NULL) {
        return MC_OK;
    }
    bucket_of(k, key, bucket, sizeof(bucket));
    start = window_start(ru, now);
    rc = add ? mc_q_rate_hit(db, bucket, start, &hits, err)
             : mc_q_rate_get(db, bucket, start, &hits, err);
    if (rc != MC_OK) {
        return rc;
    }
    if (refuse && hits + !add > ru->limit) {
        return refused(ru, now, retry_after, err);
    }
    return MC_OK;
}

int
mc_rate_check(struct mc_db *db, const struct mc_rate_cfg *cfg,
              enum mc_rate_kind k, const char *key, int64_t now,
              int64_t *retry_after, struct mc_err *err)
{
    return tally(db, cfg, k, key, now, 0, 1, retry_after, err);
}

int
mc_rate_hit(struct mc_db *db, const struct mc_rate_cfg *cfg,
            enum mc_rate_kind k, const char *key, int64_t now, int refuse,
            int64_t *retry_after, struct mc_err *err)
{
    return tally(db, cfg, k, key, now, 1, refuse, retry_after, err);
}

struct note_ctx {
    const struct mc_rate_cfg *cfg;
    enum mc_rate_kind k;
    const char *key;
    int64_t now;
};

static int
note_fn(struct mc_db *db, void *arg, struct mc_err *err)
{
    struct note_ctx *c = arg;
    int64_t ignored = 0;

    return mc_rate_hit(db, c->cfg, c->k, c->key, c->now, 0, &ignored, err);
}

int
mc_rate_note(struct mc_writer *w, const struct mc_rate_cfg *cfg,
             enum mc_rate_kind k, const char *key, int64_t now,
             struct mc_err *err)
{
    struct note_ctx c = {cfg, k, key, now};

    if (rule_of(cfg, k, key) == NULL) {
        return MC_OK;
    }
    return mc_writer_run(w, note_fn, &c, err);
}

static int
purge_fn(struct mc_db *db, void *arg, struct mc_err *err)
{
    int64_t n = mc_q_rate_purge(db, *(const int64_t *)arg, err);

    return n < 0 ? (int)n : MC_OK;
}

int
mc_rate_purge(struct mc_writer *w, int64_t now, struct mc_err *err)
{
    int64_t before = now - 86400 - 86400; /* longest window + a day */

    return mc_writer_run(w, purge_fn, &before, err);
}
