/*
 * log.h - one-line structured logging to stderr.
 *
 * Never log secrets: passwords, tokens, session ids, API keys. Log the
 * account id, not the credential.
 */
#ifndef MC_UTIL_LOG_H
#define MC_UTIL_LOG_H

#include "util/err.h"

enum mc_log_level { MC_LOG_DEBUG, MC_LOG_INFO, MC_LOG_WARN, MC_LOG_ERROR };

/* Set the minimum level printed (default INFO; env MOTCUA_LOG=debug). */
void mc_log_set_level(enum mc_log_level lvl);
/* Print one line "<iso time> <LEVEL> message". Thread-safe. */
void mc_log(enum mc_log_level lvl, const char *fmt, ...) MC_PRINTF(2, 3);

#define mc_log_debug(...) mc_log(MC_LOG_DEBUG, __VA_ARGS__)
#define mc_log_info(...) mc_log(MC_LOG_INFO, __VA_ARGS__)
#define mc_log_warn(...) mc_log(MC_LOG_WARN, __VA_ARGS__)
#define mc_log_error(...) mc_log(MC_LOG_ERROR, __VA_ARGS__)

#endif
