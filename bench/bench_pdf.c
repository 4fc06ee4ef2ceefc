/*
 * bench_pdf.c - receipts (Mẫu 01, A5, with QR code) rendered per second,
 * on one thread and on several threads at once.
 *
 * Build (after `make build/libmotcua.a`):
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -include src/banned.h \
 *      $(pkg-config --cflags pangocairo) bench/bench_pdf.c \
 *      build/libmotcua.a $(pkg-config --libs pangocairo cairo \
 *      libqrencode xlsxwriter libutf8proc) -lm -pthread -o build/bench_pdf
 * Run:
 *   build/bench_pdf [seconds per run, default 3] [max threads, default 4]
 *
 * Each run renders for the given time, then prints receipts per second,
 * mean and p99 latency and the mean PDF size. The first render of each
 * thread (font loading) is a warm-up and is not counted.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/forms.h"
#include "util/mctime.h"

#define MAX_SAMPLES 200000

struct run {
    double seconds;
    int64_t deadline_us;
    long count;
    size_t bytes;
    int failed;
    int64_t *lat_us;  /* per-render latency, owned */
    long nlat;
};

static const struct mc_doc_paper papers[] = {
    {"Tờ khai đăng ký khai sinh theo mẫu", 1, 0, 0},
    {"Giấy chứng sinh do cơ sở y tế cấp", 1, 0, 0},
    {"Giấy tờ tùy thân của người đi đăng ký", 0, 0, 1},
    {"Giấy chứng nhận kết hôn của cha mẹ", 0, 1, 0},
};

static void
fill(struct mc_doc_receipt *r, int64_t t0)
{
    memset(r, 0, sizeof(*r));
    r->head.parent_body = "Ủy ban nhân dân phường Hoàn Kiếm";
    r->head.issuer = "Bộ phận Tiếp nhận và Trả kết quả";
    r->head.number = "125/TNHS";
    r->head.place = "Hà Nội";
    r->head.issued_at = t0;
    r->head.dossier_code = "H26.00004-261126-0001";
    r->head.qr_url = "http://127.0.0.1:8080/tra-cuu/H26.00004-261126-0001";
    r->applicant.name = "Nguyễn Văn Đức";
    r->applicant.address = "Số 12 phố Hàng Bạc, Phường Hoàn Kiếm, Hà Nội";
    r->applicant.phone = "0912345678";
    r->applicant.email = "duc@example.vn";
    r->procedure = "Thủ tục đăng ký khai sinh";
    r->papers = papers;
    r->npapers = sizeof(papers) / sizeof(papers[0]);
    r->sets = 1;
    r->time_limit = "01 ngày làm việc";
    r->received_at = t0;
    r->due_at = t0 + 86400;
    r->return_place = "Bộ phận Một cửa, Ủy ban nhân dân phường Hoàn Kiếm";
    r->register_book = "01";
    r->register_seq = 125;
    r->receiver = "Trần Thị Hương";
}

static void *
worker(void *arg)
{
    struct run *w = arg;
    struct mc_doc_receipt r;
    struct mc_buf b;
    struct mc_err err;
    int first = 1;

    fill(&r, mc_local_ts(mc_days_from_civil(2026, 11, 26), 34200));
    mc_buf_init(&b, MC_DOC_PDF_MAX);
    for (;;) {
        int64_t t = mc_now_us();

        if (!first && t >= w->deadline_us) {
            break;
        }
        mc_buf_reset(&b);
        if (mc_doc_receipt_pdf(&r, &b, &err) != MC_OK) {
            fprintf(stderr, "render failed: %s\n", err.message);
            w->failed = 1;
            break;
        }
        if (first) { /* warm-up: fonts of this thread */
            first = 0;
            w->deadline_us = mc_now_us() + (int64_t)(w->seconds * 1e6);
            continue;
        }
        if (w->nlat < MAX_SAMPLES) {
            w->lat_us[w->nlat++] = mc_now_us() - t;
        }
        w->count++;
        w->bytes += b.len;
    }
    mc_buf_release(&b);
    mc_doc_thread_release();
    return NULL;
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

static int
bench(int nthreads, double seconds)
{
    struct run *w = calloc((size_t)nthreads, sizeof(*w));
    pthread_t *th = calloc((size_t)nthreads, sizeof(*th));
    int64_t *all = NULL, sum = 0;
    long count = 0, nall = 0;
    size_t bytes = 0;
    int rc = 0;

    if (w == NULL || th == NULL) {
        return 1;
    }
    for (int i = 0; i < nthreads; i++) {
        w[i].seconds = seconds;
        w[i].lat_us = malloc(MAX_SAMPLES * sizeof(int64_t));
        if (w[i].lat_us == NULL ||
            pthread_create(&th[i], NULL, worker, &w[i]) != 0) {
            return 1;
        }
    }
    for (int i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        rc |= w[i].failed;
        count += w[i].count;
        bytes += w[i].bytes;
        nall += w[i].nlat;
    }
    all = malloc((size_t)(nall > 0 ? nall : 1) * sizeof(int64_t));
    if (all == NULL) {
        return 1;
    }
    nall = 0;
    for (int i = 0; i < nthreads; i++) {
        memcpy(all + nall, w[i].lat_us, (size_t)w[i].nlat * sizeof(int64_t));
        nall += w[i].nlat;
        free(w[i].lat_us);
    }
    qsort(all, (size_t)nall, sizeof(int64_t), cmp_i64);
    for (long i = 0; i < nall; i++) {
        sum += all[i];
    }
    if (count > 0 && nall > 0) {
        printf("threads %d: %ld receipts in %.1f s = %.1f receipts/s; "
               "latency mean %.2f ms, p99 %.2f ms; %.1f KB per PDF\n",
               nthreads, count, seconds, count / seconds,
               sum / (double)nall / 1000.0,
               all[(long)(nall * 0.99)] / 1000.0,
               bytes / (double)count / 1024.0);
    }
    free(all);
    free(w);
    free(th);
    return rc;
}

int
main(int argc, char **argv)
{
    double seconds = argc > 1 ? strtod(argv[1], NULL) : 3.0;
    long maxth = argc > 2 ? strtol(argv[2], NULL, 10) : 4;
    int rc = 0;

    if (seconds <= 0 || maxth < 1 || maxth > 256) {
        fprintf(stderr, "usage: %s [seconds] [max threads]\n", argv[0]);
        return 2;
    }
    printf("Mẫu 01 receipt (A5, 4 papers, QR); private fonts: %s\n",
           mc_doc_init() ? "yes" : "no (host fontconfig)");
    for (long n = 1; n <= maxth; n *= 2) {
        rc |= bench((int)n, seconds);
    }
    return rc;
}
