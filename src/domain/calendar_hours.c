/*
 * calendar_hours.c - working hours per weekday, working time between two
 * instants and adding working time to an instant.
 *
 * A working day's hours are wh->span[weekday], or wh->span[0] when its
 * weekday has none (a swapped working Saturday). When every possible
 * working day has the same length S (the default 8 h), whole days are
 * skipped with the O(1) day tables; otherwise days are visited one by one.
 */
#include <stdio.h>
#include <string.h>

#include "domain/calendar_int.h"
#include "util/mctime.h"

void
mc_workhours_default(struct mc_workhours *wh)
{
    memset(wh, 0, sizeof(*wh));
    for (int w = 0; w <= 5; w++) {
        wh->nspans[w] = 2;
        wh->span[w][0] = (struct mc_workspan){8 * 60, 12 * 60};
        wh->span[w][1] = (struct mc_workspan){13 * 60, 17 * 60};
    }
}

static int
wh_err(struct mc_err *err, const char *msg)
{
    return mc_err_set(err, MC_EINVAL, 422, "bad_workhours", "hours", "%s",
                      msg);
}

/* "HH:MM" -> minutes; advances *p. */
static int
hhmm(const char **p, int *min)
{
    const char *s = *p;

    if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[2] != ':' ||
        s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9') {
        return -1;
    }
    *min = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 +
           (s[4] - '0');
    *p = s + 5;
    return *min <= 24 * 60 ? 0 : -1;
}

/* Spans "08:00-12:00,13:00-17:00" up to ';' or end. */
static int
parse_spans(const char **p, struct mc_workspan *sp, int *n)
{
    int from, to, last = -1;

    *n = 0;
    for (;;) {
        if (hhmm(p, &from) || **p != '-' || ((*p)++, hhmm(p, &to)) ||
            from >= to || from < last || *n == MC_WH_SPANS) {
            return -1;
        }
        sp[(*n)++] = (struct mc_workspan){(int16_t)from, (int16_t)to};
        last = to;
        if (**p != ',') {
            return 0;
        }
        (*p)++;
    }
}

int
mc_workhours_parse(const char *s, struct mc_workhours *wh,
                   struct mc_err *err)
{
    struct mc_workhours t;
    const char *p = s;
    int have0 = 0, any = 0;

    memset(&t, 0, sizeof(t));
    while (p != NULL && *p != '\0') {
        struct mc_workspan sp[MC_WH_SPANS] = {{0, 0}};
        int a, z, n;

        if (*p < '0' || *p > '7') {
            return wh_err(err, "expected a weekday 0..7 (1 = Monday)");
        }
        a = z = *p++ - '0';
        if (*p == '-' && p[1] >= '0' && p[1] <= '7') {
            z = p[1] - '0';
            p += 2;
        }
        if (*p++ != '=' || a > z || parse_spans(&p, sp, &n) != 0 ||
            (*p != ';' && *p != '\0')) {
            return wh_err(err, "expected D[-D]=HH:MM-HH:MM[,...] with sorted "
                               "spans (at most 4 a day)");
        }
        for (int w = a; w <= z; w++) {
            t.nspans[w] = n;
            memcpy(t.span[w], sp, sizeof(sp));
            have0 |= w == 0;
            any |= w > 0;
        }
        if (*p == ';') {
            p++;
        }
    }
    if (!any) {
        return wh_err(err, "no working hours on any weekday");
    }
    if (!have0) {
        int src = 1;
        while (src < 7 && t.nspans[src] == 0) {
            src++;
        }
        t.nspans[0] = t.nspans[src];
        memcpy(t.span[0], t.span[src], sizeof(t.span[0]));
    }
    *wh = t;
    return MC_OK;
}

static int
same_spans(const struct mc_workhours *wh, int a, int b)
{
    return wh->nspans[a] == wh->nspans[b] &&
           memcmp(wh->span[a], wh->span[b],
                  (size_t)wh->nspans[a] * sizeof(struct mc_workspan)) == 0;
}

static void
put_group(char *out, size_t outsz, size_t *len, const struct mc_workhours *wh,
          int a, int z)
{
    int k;

    if (*len >= outsz) {
        return;
    }
    k = a == z ? snprintf(out + *len, outsz - *len, "%s%d=",
                          *len ? ";" : "", a)
               : snprintf(out + *len, outsz - *len, "%s%d-%d=",
                          *len ? ";" : "", a, z);
    *len += k > 0 ? (size_t)k : 0;
    for (int i = 0; i < wh->nspans[a] && *len < outsz; i++) {
        const struct mc_workspan *s = &wh->span[a][i];
        k = snprintf(out + *len, outsz - *len, "%s%02d:%02d-%02d:%02d",
                     i ? "," : "", s->from / 60, s->from % 60, s->to / 60,
                     s->to % 60);
        *len += k > 0 ? (size_t)k : 0;
    }
}

void
mc_workhours_format(const struct mc_workhours *wh, char *out, size_t outsz)
{
    size_t len = 0;

    if (outsz == 0) {
        return;
    }
    out[0] = '\0';
    for (int w = 1; w <= 7;) {
        int z = w;
        while (z < 7 && same_spans(wh, w, z + 1)) {
            z++;
        }
        if (wh->nspans[w] > 0) {
            put_group(out, outsz, &len, wh, w, z);
        }
        w = z + 1;
    }
    put_group(out, outsz, &len, wh, 0, 0);
    if (len >= outsz) {
        out[outsz - 1] = '\0';
    }
}

/* ---- per-day spans ---- */

static const struct mc_workspan *
day_spans(const struct mc_calendar *cal, const struct mc_workhours *wh,
          int32_t d, int *n)
{
    int wd;

    if (d < cal->first || d > cal->last || !mc_cal_working_at(cal,
                                                              d - cal->first)) {
        *n = 0;
        return NULL;
    }
    wd = mc_weekday(d);
    if (wh->nspans[wd] > 0) {
        *n = wh->nspans[wd];
        return wh->span[wd];
    }
    *n = wh->nspans[0];
    return wh->span[0];
}

static int64_t
class_secs(const struct mc_workhours *wh, int c)
{
    int64_t s = 0;

    for (int i = 0; i < wh->nspans[c]; i++) {
        s += (wh->span[c][i].to - wh->span[c][i].from) * 60;
    }
    return s;
}

/* Length of every working day if they are all equal and > 0, else 0. */
static int64_t
uniform_secs(const struct mc_workhours *wh)
{
    int64_t s = class_secs(wh, 0);

    for (int w = 1; w <= 7; w++) {
        if (wh->nspans[w] > 0 && class_secs(wh, w) != s) {
            return 0;
        }
    }
    return s;
}

/* Working seconds of day d inside local seconds [s0, s1). */
static int64_t
day_overlap(const struct mc_calendar *cal, const struct mc_workhours *wh,
            int32_t d, int s0, int s1)
{
    int n;
    const struct mc_workspan *sp = day_spans(cal, wh, d, &n);
    int64_t t = 0;

    for (int i = 0; i < n; i++) {
        int lo = sp[i].from * 60 > s0 ? sp[i].from * 60 : s0;
        int hi = sp[i].to * 60 < s1 ? sp[i].to * 60 : s1;
        t += hi > lo ? hi - lo : 0;
    }
    return t;
}

/* Working seconds of the whole days x..y. */
static int64_t
full_days(const struct mc_calendar *cal, const struct mc_workhours *wh,
          int32_t x, int32_t y)
{
    int64_t s = uniform_secs(wh), t = 0;

    if (x < cal->first) {
        x = cal->first;
    }
    if (y > cal->last) {
        y = cal->last;
    }
    if (x > y) {
        return 0;
    }
    if (s > 0) {
        return s * (cal->cum[y - cal->first + 1] - cal->cum[x - cal->first]);
    }
    for (int32_t d = x; d <= y; d++) {
        t += day_overlap(cal, wh, d, 0, MC_DAY);
    }
    return t;
}

int64_t
mc_calendar_work_seconds(const struct mc_calendar *cal,
                         const struct mc_workhours *wh, int64_t a, int64_t b)
{
    struct mc_workhours def;
    int32_t da, db;

    if (b <= a) {
        return 0;
    }
    if (wh == NULL) {
        mc_workhours_default(&def);
        wh = &def;
    }
    da = mc_local_day(a);
    db = mc_local_day(b);
    if (da == db) {
        return day_overlap(cal, wh, da, mc_local_secs(a), mc_local_secs(b));
    }
    return day_overlap(cal, wh, da, mc_local_secs(a), MC_DAY) +
           full_days(cal, wh, da + 1, db - 1) +
           day_overlap(cal, wh, db, 0, mc_local_secs(b));
}

/* Instant r seconds (0 < r <= day length) into working day d. */
static int64_t
locate(const struct mc_calendar *cal, const struct mc_workhours *wh,
       int32_t d, int64_t r)
{
    int n;
    const struct mc_workspan *sp = day_spans(cal, wh, d, &n);

    for (int i = 0; i < n; i++) {
        int64_t len = (sp[i].to - sp[i].from) * 60;
        if (r <= len) {
            return mc_local_ts(d, (int)(sp[i].from * 60 + r));
        }
        r -= len;
    }
    return mc_local_ts(d, MC_DAY); /* not reached for valid r */
}

int
mc_calendar_add_work(const struct mc_calendar *cal,
                     const struct mc_workhours *wh, int64_t start,
                     int64_t secs, int64_t *out)
{
    struct mc_workhours def;
    int32_t d = mc_local_day(start), e;
    int64_t rem = secs, avail, s;

    if (wh == NULL) {
        mc_workhours_default(&def);
        wh = &def;
    }
    if (secs < 0 || d < cal->first || d > cal->last) {
        return MC_EINVAL;
    }
    if (secs == 0) {
        *out = start;
        return MC_OK;
    }
    avail = day_overlap(cal, wh, d, mc_local_secs(start), MC_DAY);
    if (rem <= avail) {
        int64_t before = day_overlap(cal, wh, d, 0, mc_local_secs(start));
        *out = locate(cal, wh, d, before + rem);
        return MC_OK;
    }
    rem -= avail;
    s = uniform_secs(wh);
    if (s > 0) {
        int64_t k = (rem - 1) / s;
        if (k >= cal->nwork ||
            mc_calendar_add_days(cal, d, (int)(k + 1), &e) != MC_OK) {
            return MC_EINVAL;
        }
        *out = locate(cal, wh, e, rem - k * s);
        return MC_OK;
    }
    for (e = d;;) {
        int64_t len;
        if (mc_calendar_add_days(cal, e, 1, &e) != MC_OK) {
            return MC_EINVAL;
        }
        len = day_overlap(cal, wh, e, 0, MC_DAY);
        if (rem <= len) {
            *out = locate(cal, wh, e, rem);
            return MC_OK;
        }
        rem -= len;
    }
}
