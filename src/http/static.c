/*
 * static.c - the web UI's files from app->web_dir. Unknown paths without
 * an extension get index.html (client-side routes such as /tra-cuu/CODE).
 */
#include <stdio.h>
#include <string.h>

#include "http/dispatch.h"
#include "util/file.h"

static const char *
mime_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');

    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(dot, types[i].ext) == 0) {
            return types[i].type;
        }
    }
    return "application/octet-stream";
}

static int
read_file(struct mc_req *r, const char *path, const char *type)
{
    struct mc_buf b;
    int rc;

    mc_buf_init(&b, 64u << 20);
    rc = mc_file_read(path, &b);
    if (rc == MC_OK) {
        rc = mc_http_bytes(r, 200, type, b.data, b.len);
        mc_http_header(r, "Cache-Control", strstr(type, "html")
                                               ? "no-cache"
                                               : "public, max-age=300");
        mc_http_header(r, "Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; "
                       "style-src 'self' 'unsafe-inline'");
    } else if (rc != MC_ETOOBIG) {
        rc = MC_ENOTFOUND;
    }
    mc_buf_release(&b);
    return rc;
}

int
mc_static_serve(struct mc_req *r)
{
    char path[1200];
    const char *p = r->path;
    int rc;

    if (r->app->web_dir[0] == '\0' || strstr(p, "..") != NULL ||
        strstr(p, "//") != NULL) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "not found");
    }
    if (strcmp(p, "/") == 0) {
        p = "/index.html";
    }
    snprintf(path, sizeof(path), "%s%s", r->app->web_dir, p);
    rc = read_file(r, path, mime_of(path));
    /* Client-side routes (e.g. /tra-cuu/H26.00004-261126-0001 from a QR
     * code, which contains dots) get the app; real asset types do not. */
    if (rc == MC_ENOTFOUND &&
        strcmp(mime_of(p), "application/octet-stream") == 0) {
        snprintf(path, sizeof(path), "%s/index.html", r->app->web_dir);
        rc = read_file(r, path, "text/html; charset=utf-8");
    }
    if (rc == MC_ENOTFOUND) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "not found");
    }
    return rc;
}
