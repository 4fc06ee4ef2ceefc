/*
 * bench_calendar.c - working-day arithmetic speed: mc_calendar_add_days
 * (prefix-count tables, O(1)) against a naive day-by-day loop over
 * mc_calendar_is_workday, on the same random inputs in the same run; also
 * mc_calendar_between and mc_calendar_deadline.
 *
 * Build (from the repository root, after `make`):
 *   cc -std=c11 -O2 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Isrc \
 *      -include src/banned.h -o build/bench_calendar \
 *      bench/bench_calendar.c build/libmotcua.a \
 *      $(pkg-config --libs jansson libutf8proc sqlite3) -lm -pthread
 * Run: build/bench_calendar [seconds per measurement, default 1]
 * Output: one "name value unit" line per measurement, then a summary.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/calendar.h"
#include "util/mctime.h"

#define NIN (1 << 20) /* random inputs, reused cyclically */
#define MAXN 60       /* working days added: 1..MAXN */

static int32_t in_day[NIN];
static int in_n[NIN];

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* The naive way: walk day by day, n working days. */
static int32_t
naive_add(const struct mc_calendar *cal, int32_t d, int n)
{
    while (n > 0) {
        d++;
        n -= mc_calendar_is_workday(cal, d, NULL);
    }
    return d;
}

struct result {
    double ops_per_s;
    int64_t checksum;
    long ops;
};

static struct result
run_fast(const struct mc_calendar *cal, double secs)
{
    struct result r = {0, 0, 0};
    double t0 = now_s(), t;

    do {
        for (int i = 0; i < NIN; i++) {
            int32_t out = 0;
            if (mc_calendar_add_days(cal, in_day[i], in_n[i], &out) ==
                MC_OK) {
                r.checksum += out;
            }
        }
        r.ops += NIN;
        t = now_s() - t0;
    } while (t < secs);
    r.ops_per_s = r.ops / t;
    return r;
}

static struct result
run_naive(const struct mc_calendar *cal, double secs)
{
    struct result r = {0, 0, 0};
    double t0 = now_s(), t;
    int i = 0;

    do {
        for (int k = 0; k < 4096; k++, i = (i + 1) & (NIN - 1)) {
            r.checksum += naive_add(cal, in_day[i], in_n[i]);
        }
        r.ops += 4096;
        t = now_s() - t0;
    } while (t < secs);
    r.ops_per_s = r.ops / t;
    return r;
}

static struct result
run_between(const struct mc_calendar *cal, double secs)
{
    struct result r = {0, 0, 0};
    double t0 = now_s(), t;

    do {
        for (int i = 0; i < NIN; i++) {
            int n = 0;
            if (mc_calendar_between(cal, in_day[i],
                                    in_day[i] + in_n[i] * 2, &n) == MC_OK) {
                r.checksum += n;
            }
        }
        r.ops += NIN;
        t = now_s() - t0;
    } while (t < secs);
    r.ops_per_s = r.ops / t;
    return r;
}

static struct result
run_deadline(const struct mc_calendar *cal, double secs)
{
    struct result r = {0, 0, 0};
    struct mc_deadline_req req;
    struct mc_deadline d;
    double t0 = now_s(), t;

    memset(&req, 0, sizeof(req));
    req.unit = MC_LIMIT_WORKDAYS;
    do {
        for (int i = 0; i < NIN; i += 4) {
            req.start = mc_local_ts(in_day[i], 9 * 3600 + in_n[i] * 400);
            req.n = in_n[i];
            req.paper = i & 1;
            if (mc_calendar_deadline(cal, &req, &d, NULL, NULL) == MC_OK) {
                r.checksum += d.due_day;
            }
        }
        r.ops += NIN / 4;
        t = now_s() - t0;
    } while (t < secs);
    r.ops_per_s = r.ops / t;
    return r;
}

int
main(int argc, char **argv)
{
    struct mc_calendar *cal = NULL;
    struct mc_err err;
    struct result fast, naive, betw, dl;
    double secs = argc > 1 ? strtod(argv[1], NULL) : 1.0;
    double t0 = now_s(), build;
    int32_t lo = mc_days_from_civil(1900, 1, 1);
    int32_t hi = mc_days_from_civil(2199, 1, 1);
    int64_t check = 0;

    if (secs <= 0) {
        secs = 1.0;
    }
    if (mc_calendar_builtin(&cal, &err) != MC_OK) {
        fprintf(stderr, "bench_calendar: %s\n", err.message);
        return 1;
    }
    build = now_s() - t0;
    for (int i = 0; i < NIN; i++) {
        in_day[i] = lo + (int32_t)rnd((uint32_t)(hi - lo));
        in_n[i] = 1 + (int)rnd(MAXN);
    }
    /* both methods agree on a sample before timing anything */
    for (int i = 0; i < 100000; i++) {
        int32_t out;
        if (mc_calendar_add_days(cal, in_day[i], in_n[i], &out) != MC_OK ||
            out != naive_add(cal, in_day[i], in_n[i])) {
            fprintf(stderr, "bench_calendar: mismatch at input %d\n", i);
            return 1;
        }
        check += out;
    }
    fast = run_fast(cal, secs);
    naive = run_naive(cal, secs);
    betw = run_between(cal, secs);
    dl = run_deadline(cal, secs);
    printf("calendar_build_ms %.1f ms\n", build * 1e3);
    printf("add_days_tables %.0f adds/s\n", fast.ops_per_s);
    printf("add_days_naive_loop %.0f adds/s\n", naive.ops_per_s);
    printf("add_days_speedup %.1f x\n", fast.ops_per_s / naive.ops_per_s);
    printf("between %.0f calls/s\n", betw.ops_per_s);
    printf("deadline_workdays %.0f calls/s\n", dl.ops_per_s);
    printf("# inputs: %d random (day in 1900..2199, n in 1..%d working "
           "days); checksum %lld\n",
           NIN, MAXN,
           (long long)(check + fast.checksum + naive.checksum +
                       betw.checksum + dl.checksum) %
               1000003);
    printf("# goal > 20000000 adds/s on one core: %s\n",
           fast.ops_per_s > 2e7 ? "met" : "NOT met");
    mc_calendar_free(cal);
    return 0;
}
