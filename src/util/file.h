/*
 * file.h - whole-file reading into a bounded buffer.
 */
#ifndef MC_UTIL_FILE_H
#define MC_UTIL_FILE_H

#include "util/buf.h"

/*
 * Append the contents of the file at path to b (borrowed; its max bounds
 * the size). b->data is non-NULL afterwards even for an empty file.
 * MC_ENOTFOUND when the file is missing or not a regular file, MC_EIO on a
 * read error, MC_ETOOBIG past b->max, MC_ENOMEM. errno is kept for the
 * caller's message.
 */
int mc_file_read(const char *path, struct mc_buf *b) MC_WUR;

#endif
