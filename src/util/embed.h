/*
 * embed.h - data files compiled into the binary (every CSV under data/), so one
 * binary can initialise a demo database anywhere.
 */
#ifndef MC_UTIL_EMBED_H
#define MC_UTIL_EMBED_H

#include <stddef.h>

/*
 * Contents of the embedded file at path (as in the repository, e.g.
 * "data/real/procedures.csv"), NUL-terminated, static lifetime; NULL if
 * there is no such file. *len receives the length when len != NULL.
 */
const char *mc_embed_get(const char *path, size_t *len);

#endif
