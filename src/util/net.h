/*
 * net.h - a minimal blocking TCP client for the outbound notification
 * channels: connect with a timeout, write everything, read a line, read
 * to a bounded buffer.
 */
#ifndef MC_UTIL_NET_H
#define MC_UTIL_NET_H

#include <stddef.h>

#include "util/err.h"

/*
 * Connect to host:port (numeric or a name) with send/receive timeouts of
 * timeout_ms. *fd owned by the caller (close). MC_EIO on failure (err
 * says why).
 */
int mc_net_connect(const char *host, const char *port, int timeout_ms,
                   int *fd, struct mc_err *err) MC_WUR;

/* Write buf[0..n) completely. MC_EIO on failure or timeout. */
int mc_net_write_all(int fd, const void *buf, size_t n,
                     struct mc_err *err) MC_WUR;

/*
 * Read one line (up to and without "\r\n" or "\n") into buf (cap > 1,
 * NUL-terminated). MC_EIO on EOF, timeout, or a line longer than cap - 1.
 */
int mc_net_read_line(int fd, char *buf, size_t cap,
                     struct mc_err *err) MC_WUR;

/* Read and discard up to max bytes until the peer closes (best effort). */
void mc_net_drain(int fd, size_t max);

/*
 * Split "host:port" (or "[v6]:port") into host and port buffers.
 * MC_EINVAL when malformed.
 */
int mc_net_split_hostport(const char *s, char *host, size_t hostsz,
                          char *port, size_t portsz) MC_WUR;

#endif
