#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

int
mc_file_read(const char *path, struct mc_buf *b)
{
    char chunk[65536];
    struct stat st;
    size_t n;
    FILE *f;
    int rc = MC_OK, saved;

    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return MC_ENOTFOUND;
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        return errno == ENOENT ? MC_ENOTFOUND : MC_EIO;
    }
    while (rc == MC_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        rc = mc_buf_add(b, chunk, n);
    }
    if (rc == MC_OK && ferror(f)) {
        rc = MC_EIO;
    }
    saved = errno;
    fclose(f);
    errno = saved;
    if (rc == MC_OK && b->data == NULL) {
        rc = mc_buf_adds(b, "");
    }
    return rc;
}
