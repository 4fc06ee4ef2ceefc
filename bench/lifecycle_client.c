/*
 * lifecycle_client.c - bench client: carries dossiers from submission to
 * returned over HTTP, 6 requests each (create as citizen, receive,
 * assign, submit_for_approval, approve, return_result), with C
 * concurrent keep-alive connections for D seconds.
 *
 *   lifecycle_client HOST PORT SECONDS CLIENTS
 *   env: LC_CITIZEN LC_DESK LC_SPEC LC_LEADER (tokens), LC_SPEC_ID,
 *        LC_UNIT; LC_MAX (optional): each client stops after that many
 *        dossiers, for a fixed amount of work (bench/lifecycle_cost.sh)
 * Prints: dossiers N seconds S dossiers_per_s X requests R non2xx E
 *         p50_ms A p99_ms B
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXLAT 2000000

static const char *host;
static int port;
static double deadline;
static const char *tok_cit, *tok_desk, *tok_spec, *tok_lead, *spec_id,
    *unit;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long total_dossiers, total_reqs, total_bad;
static long max_per_client; /* 0: until the deadline */
static float *lat;
static long nlat;

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
connect_to(void)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    inet_pton(AF_INET, host, &a.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

/* One POST; the response body into body (NUL-terminated). Status or -1. */
static int
post(int fd, const char *path, const char *token, const char *json,
     char *body, size_t bodysz)
{
    char req[2048], buf[65536];
    size_t have = 0;
    int n = snprintf(req, sizeof(req),
                     "POST %s HTTP/1.1\r\nHost: %s\r\n"
                     "Authorization: Bearer %s\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n%s",
                     path, host, token, strlen(json), json);
    char *hend, *cl;
    long clen;
    int status;

    if (n <= 0 || (size_t)n >= sizeof(req) || write(fd, req, (size_t)n) != n) {
        return -1;
    }
    for (;;) {
        ssize_t r = read(fd, buf + have, sizeof(buf) - 1 - have);
        if (r <= 0) {
            return -1;
        }
        have += (size_t)r;
        buf[have] = '\0';
        hend = strstr(buf, "\r\n\r\n");
        if (hend == NULL) {
            continue;
        }
        cl = strcasestr(buf, "\r\nContent-Length:");
        if (cl == NULL || cl > hend) {
            return -1;
        }
        clen = strtol(cl + 17, NULL, 10);
        if ((size_t)(hend + 4 - buf) + (size_t)clen <= have) {
            break;
        }
        if (have >= sizeof(buf) - 1) {
            return -1;
        }
    }
    status = (int)strtol(buf + 9, NULL, 10);
    snprintf(body, bodysz, "%.*s", (int)clen, hend + 4);
    return status;
}

static void *
client(void *arg)
{
    char body[65536], path[128], json[512];
    long dossiers = 0, reqs = 0, bad = 0, nl = 0;
    float *mylat = malloc(sizeof(float) * 200000);
    int fd = connect_to();

    (void)arg;
    while (fd >= 0 && mylat != NULL && now_s() < deadline &&
           (max_per_client == 0 || dossiers + bad < max_per_client)) {
        const char *acts[5][3] = {
            {"receive", NULL, NULL},
            {"assign", NULL, NULL},
            {"submit_for_approval", NULL, NULL},
            {"approve", NULL, NULL},
            {"return_result", NULL, NULL}};
        const char *toks[5] = {tok_desk, tok_lead, tok_spec, tok_lead,
                               tok_desk};
        char *p;
        long id;
        int st, ok = 1;
        double t0 = now_s();

        snprintf(json, sizeof(json),
                 "{\"procedure_code\":\"1.001193\",\"receiving_unit_id\":%s,"
                 "\"applicant_name\":\"Nguyễn Văn Đức\"}",
                 unit);
        st = post(fd, "/api/v1/dossiers", tok_cit, json, body, sizeof(body));
        reqs++;
        if (nl < 200000) {
            mylat[nl++] = (float)((now_s() - t0) * 1000);
        }
        p = strstr(body, "\"id\":");
        if (st < 200 || st > 299 || p == NULL) {
            bad++;
            if (st < 0) {
                close(fd);
                fd = connect_to();
            }
            continue;
        }
        id = strtol(p + 5, NULL, 10);
        snprintf(path, sizeof(path), "/api/v1/dossiers/%ld/transitions", id);
        for (int k = 0; k < 5 && ok; k++) {
            if (k == 1) {
                snprintf(json, sizeof(json),
                         "{\"action\":\"assign\",\"assignee_id\":%s}",
                         spec_id);
            } else if (k == 2) {
                snprintf(json, sizeof(json),
                         "{\"action\":\"submit_for_approval\",\"result\":"
                         "\"Đủ điều kiện\"}");
            } else {
                snprintf(json, sizeof(json), "{\"action\":\"%s\"}",
                         acts[k][0]);
            }
            t0 = now_s();
            st = post(fd, path, toks[k], json, body, sizeof(body));
            reqs++;
            if (nl < 200000) {
                mylat[nl++] = (float)((now_s() - t0) * 1000);
            }
            if (st < 200 || st > 299) {
                bad++;
                ok = 0;
                if (st < 0) {
                    close(fd);
                    fd = connect_to();
                }
            }
        }
        dossiers += ok;
    }
    if (fd >= 0) {
        close(fd);
    }
    pthread_mutex_lock(&mu);
    total_dossiers += dossiers;
    total_reqs += reqs;
    total_bad += bad;
    for (long i = 0; i < nl && nlat < MAXLAT; i++) {
        lat[nlat++] = mylat[i];
    }
    pthread_mutex_unlock(&mu);
    free(mylat);
    return NULL;
}

static int
cmpf(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;

    return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
    pthread_t th[256];
    double secs, t0;
    int nc;

    if (argc != 5) {
        fprintf(stderr, "usage: lifecycle_client HOST PORT SECONDS "
                        "CLIENTS\n");
        return 2;
    }
    host = argv[1];
    port = atoi(argv[2]);
    secs = atof(argv[3]);
    nc = atoi(argv[4]);
    tok_cit = getenv("LC_CITIZEN");
    tok_desk = getenv("LC_DESK");
    tok_spec = getenv("LC_SPEC");
    tok_lead = getenv("LC_LEADER");
    spec_id = getenv("LC_SPEC_ID");
    unit = getenv("LC_UNIT");
    max_per_client = getenv("LC_MAX") ? atol(getenv("LC_MAX")) : 0;
    if (!tok_cit || !tok_desk || !tok_spec || !tok_lead || !spec_id ||
        !unit || nc < 1 || nc > 256) {
        fprintf(stderr, "lifecycle_client: missing LC_* environment\n");
        return 2;
    }
    lat = malloc(sizeof(float) * MAXLAT);
    if (lat == NULL) {
        return 1;
    }
    t0 = now_s();
    deadline = t0 + secs;
    for (int i = 0; i < nc; i++) {
        pthread_create(&th[i], NULL, client, NULL);
    }
    for (int i = 0; i < nc; i++) {
        pthread_join(th[i], NULL);
    }
    secs = now_s() - t0;
    qsort(lat, (size_t)nlat, sizeof(float), cmpf);
    printf("dossiers %ld seconds %.2f dossiers_per_s %.1f requests %ld "
           "non2xx %ld p50_ms %.3f p99_ms %.3f\n",
           total_dossiers, secs, (double)total_dossiers / secs, total_reqs,
           total_bad, nlat ? lat[nlat / 2] : 0.0,
           nlat ? lat[(long)(nlat * 0.99)] : 0.0);
    free(lat);
    return 0;
}
