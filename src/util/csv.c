#include "util/csv.h"

#include <string.h>

void
mc_csv_init(struct mc_csv *c, const char *data, size_t len)
{
    c->p = data;
    c->end = data + len;
    c->line = 0;
    c->nf = 0;
    mc_buf_init(&c->store, 1 << 20);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        c->p += 3;
    }
    /* skip leading comment lines */
    while (c->p < c->end && *c->p == '#') {
        const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
        c->line++;
        c->p = nl ? nl + 1 : c->end;
    }
}

void
mc_csv_release(struct mc_csv *c)
{
    mc_buf_release(&c->store);
}

int
mc_csv_next(struct mc_csv *c, struct mc_err *err)
{
    size_t offs[MC_CSV_MAX_FIELDS];
    int nf = 0, rc;
    const char *p = c->p;

    /* skip blank lines */
    while (p < c->end && (*p == '\n' || *p == '\r')) {
        if (*p == '\n') {
            c->line++;
        }
        p++;
    }
    if (p >= c->end) {
        c->p = p;
        c->nf = 0;
        return 0;
    }
    c->line++;
    mc_buf_reset(&c->store);
    for (;;) {
        if (nf == MC_CSV_MAX_FIELDS) {
            return mc_err_set(err, MC_EINVAL, 400, "csv_too_many_fields",
                              NULL, "line %ld: more than %d fields", c->line,
                              MC_CSV_MAX_FIELDS);
        }
        offs[nf++] = c->store.len;
        if (p < c->end && *p == '"') {
            p++;
            for (;;) {
                if (p >= c->end) {
                    return mc_err_set(err, MC_EINVAL, 400, "csv_quote",
                                      NULL, "line %ld: unterminated quote",
                                      c->line);
                }
                if (*p == '"') {
                    if (p + 1 < c->end && p[1] == '"') {
                        rc = mc_buf_addc(&c->store, '"');
                        p += 2;
                    } else {
                        p++;
                        break;
                    }
                } else {
                    if (*p == '\n') {
                        c->line++;
                    }
                    rc = mc_buf_addc(&c->store, *p++);
                }
                if (rc != MC_OK) {
                    return mc_err_set(err, rc, 413, "csv_too_big", NULL,
                                      "line %ld: record too large", c->line);
                }
            }
        } else {
            const char *s = p;
            while (p < c->end && *p != ',' && *p != '\n' && *p != '\r') {
                p++;
            }
            if (mc_buf_add(&c->store, s, (size_t)(p - s)) != MC_OK) {
                return mc_err_set(err, MC_ETOOBIG, 413, "csv_too_big", NULL,
                                  "line %ld: record too large", c->line);
            }
        }
        if (mc_buf_addc(&c->store, '\0') != MC_OK) {
            return mc_err_set(err, MC_ETOOBIG, 413, "csv_too_big", NULL,
                              "line %ld: record too large", c->line);
        }
        if (p < c->end && *p == ',') {
            p++;
            continue;
        }
        if (p < c->end && *p == '\r') {
            p++;
        }
        if (p < c->end && *p == '\n') {
            p++;
        } else if (p < c->end) {
            return mc_err_set(err, MC_EINVAL, 400, "csv_syntax", NULL,
                              "line %ld: text after a quoted field",
                              c->line);
        }
        break;
    }
    c->p = p;
    c->nf = nf;
    for (int i = 0; i < nf; i++) {
        c->f[i] = c->store.data + offs[i];
    }
    return 1;
}

int
mc_csv_col(const struct mc_csv *c, const char *name)
{
    for (int i = 0; i < c->nf; i++) {
        if (strcmp(c->f[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

int
mc_csv_put(struct mc_buf *b, const char *s)
{
    int rc;

    if (s == NULL) {
        return MC_OK;
    }
    if (strpbrk(s, ",\"\r\n") == NULL) {
        return mc_buf_adds(b, s);
    }
    if ((rc = mc_buf_addc(b, '"')) != MC_OK) {
        return rc;
    }
    for (; *s; s++) {
        if (*s == '"' && (rc = mc_buf_addc(b, '"')) != MC_OK) {
            return rc;
        }
        if ((rc = mc_buf_addc(b, *s)) != MC_OK) {
            return rc;
        }
    }
    return mc_buf_addc(b, '"');
}
