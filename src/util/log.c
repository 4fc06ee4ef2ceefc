#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mctime.h"

static enum mc_log_level min_level = MC_LOG_INFO;
static int level_from_env = 0;

void
mc_log_set_level(enum mc_log_level lvl)
{
    min_level = lvl;
    level_from_env = 1;
}

void
mc_log(enum mc_log_level lvl, const char *fmt, ...)
{
    static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    char line[1024], ts[32];
    va_list ap;
    int n;

    if (!level_from_env) {
        const char *e = getenv("MOTCUA_LOG");
        if (e != NULL && strcmp(e, "debug") == 0) {
            min_level = MC_LOG_DEBUG;
        } else if (e != NULL && strcmp(e, "warn") == 0) {
            min_level = MC_LOG_WARN;
        }
        level_from_env = 1;
    }
    if (lvl < min_level) {
        return;
    }
    mc_fmt_ts(mc_now() - mc_clock_offset(), ts, sizeof(ts));
    n = snprintf(line, sizeof(line), "%s %s ", ts, names[lvl]);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    /* One fputs per line keeps lines whole across threads. */
    n = (int)strlen(line);
    if (n < (int)sizeof(line) - 1) {
        line[n++] = '\n';
        line[n] = '\0';
    }
    fputs(line, stderr);
}
