/*
 * net.c - minimal blocking TCP client (see net.h).
 */
#include "util/net.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int
mc_net_connect(const char *host, const char *port, int timeout_ms, int *fd,
               struct mc_err *err)
{
    struct addrinfo hints, *res = NULL, *ai;
    struct timeval tv;
    int s = -1, rc, saved = 0;

    *fd = -1;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        return mc_err_set(err, MC_EIO, 502, "connect_failed", NULL,
                          "cannot resolve %.100s: %s", host,
                          gai_strerror(rc));
    }
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                   ai->ai_protocol);
        if (s < 0) {
            saved = errno;
            continue;
        }
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        if (connect(s, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        saved = errno;
        close(s);
        s = -1;
    }
    freeaddrinfo(res);
    if (s < 0) {
        return mc_err_set(err, MC_EIO, 502, "connect_failed", NULL,
                          "cannot connect to %.100s:%.10s: %s", host, port,
                          strerror(saved));
    }
    *fd = s;
    return MC_OK;
}

int
mc_net_write_all(int fd, const void *buf, size_t n, struct mc_err *err)
{
    const char *p = buf;

    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return mc_err_set(err, MC_EIO, 502, "send_failed", NULL,
                              "send: %s", strerror(errno));
        }
        p += w;
        n -= (size_t)w;
    }
    return MC_OK;
}

int
mc_net_read_line(int fd, char *buf, size_t cap, struct mc_err *err)
{
    size_t n = 0;

    for (;;) {
        char c;
        ssize_t r = recv(fd, &c, 1, 0);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return mc_err_set(err, MC_EIO, 502, "recv_failed", NULL,
                              "%s", r == 0 ? "connection closed"
                                           : strerror(errno));
        }
        if (c == '\n') {
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            buf[n] = '\0';
            return MC_OK;
        }
        if (n + 1 >= cap) {
            return mc_err_set(err, MC_EIO, 502, "line_too_long", NULL,
                              "reply line longer than %zu bytes", cap - 1);
        }
        buf[n++] = c;
    }
}

void
mc_net_drain(int fd, size_t max)
{
    char buf[4096];

    while (max > 0) {
        ssize_t r = recv(fd, buf, sizeof(buf), 0);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return;
        }
        max = (size_t)r >= max ? 0 : max - (size_t)r;
    }
}

int
mc_net_split_hostport(const char *s, char *host, size_t hostsz, char *port,
                      size_t portsz)
{
    const char *colon, *h = s;
    size_t hl;

    if (s == NULL) {
        return MC_EINVAL;
    }
    if (*s == '[') {
        const char *end = strchr(s, ']');
        if (end == NULL || end[1] != ':') {
            return MC_EINVAL;
        }
        h = s + 1;
        hl = (size_t)(end - h);
        colon = end + 1;
    } else {
        colon = strrchr(s, ':');
        if (colon == NULL) {
            return MC_EINVAL;
        }
        hl = (size_t)(colon - s);
    }
    if (hl == 0 || hl >= hostsz || colon[1] == '\0' ||
        strlen(colon + 1) >= portsz ||
        strspn(colon + 1, "0123456789") != strlen(colon + 1)) {
        return MC_EINVAL;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    snprintf(port, portsz, "%s", colon + 1);
    return MC_OK;
}
