#include "util/embed.h"

#include <string.h>

struct mc_embed {
    const char *name;
    const char *data;
    size_t len;
};

extern const struct mc_embed mc_embedded_data[];

const char *
mc_embed_get(const char *path, size_t *len)
{
    for (const struct mc_embed *e = mc_embedded_data; e->name != NULL; e++) {
        if (strcmp(e->name, path) == 0) {
            if (len != NULL) {
                *len = e->len;
            }
            return e->data;
        }
    }
    return NULL;
}
