/*
 * r_files.c - attachments: PDF, JPEG or PNG uploaded as the raw request
 * body, stored content-addressed by SHA-256 under files_dir
 * (ab/cd/<sha256>), written with fsync before the database row commits.
 * The dossier routes are here; the upload helpers (mc_http_upload_*,
 * http.h) also serve the feedback attachments (r_feedback.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/q_catalog.h"
#include "db/q_dossier.h"
#include "domain/dossier.h"
#include "http/router.h"
#include "sec/audit.h"
#include "sec/token.h"
#include "util/file.h"
#include "util/json.h"
#include "util/log.h"
#include "util/text.h"

static const char *
sniff(const unsigned char *p, size_t n)
{
    if (n >= 5 && memcmp(p, "%PDF-", 5) == 0) {
        return "application/pdf";
    }
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        return "image/jpeg";
    }
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
        return "image/png";
    }
    return NULL;
}

static int
mkdirs(const char *dir)
{
    char tmp[600];
    size_t n = strlen(dir);

    if (n >= sizeof(tmp)) {
        return -1;
    }
    memcpy(tmp, dir, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0750) != 0 && errno != EEXIST) {
                return -1;
            }
            *p = '/';
        }
    }
    return mkdir(tmp, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

/* Write data durably to files_dir/ab/cd/sha (no-op if present). */
static int
store_blob(struct mc_req *r, const char *sha, const void *data, size_t n)
{
    char dir[600], path[700], tmp[800], host[64];
    int fd, rc = -1;

    snprintf(dir, sizeof(dir), "%s/%.2s/%.2s", r->app->files_dir, sha,
             sha + 2);
    snprintf(path, sizeof(path), "%s/%s", dir, sha);
    if (access(path, F_OK) == 0) {
        return 0;
    }
    if (mkdirs(dir) != 0) {
        return -1;
    }
    /* unique across the instances sharing the directory (NFS) */
    if (gethostname(host, sizeof(host)) != 0) {
        snprintf(host, sizeof(host), "h");
    }
    host[sizeof(host) - 1] = '\0';
    snprintf(tmp, sizeof(tmp), "%s.tmp.%s.%ld.%ld", path, host,
             (long)getpid(), (long)gettid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        return -1;
    }
    if (write(fd, data, n) == (ssize_t)n && fsync(fd) == 0) {
        rc = 0;
    }
    close(fd);
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
    }
    if (rc != 0) {
        unlink(tmp);
        return -1;
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return 0;
}

struct up_ctx {
    struct mc_req *r;
    int64_t dossier_id, component_id;
    const char *sha, *name, *mime;
    size_t size;
    int64_t file_id;
};

/*
 * May the actor add this file to the dossier now? Checked once on a read
 * connection before the blob is written (so a refused upload leaves no
 * file behind) and again inside the write transaction.
 */
static int
upload_allowed(struct mc_db *db, struct up_ctx *c, struct mc_dossier *dd,
               struct mc_err *err)
{
    struct mc_dossier d;
    int rc;

    rc = mc_dossier_get(db, &c->r->actor, c->dossier_id, &c->r->arena, &d,
                        err);
    if (rc != MC_OK) {
        return rc;
    }
    if (mc_dstate_closed(d.state) || d.state == MC_DS_DONE ||
        d.state == MC_DS_REJECTED) {
        return mc_err_set(err, MC_ECONFLICT, 409, "invalid_state", NULL,
                          "files can no longer be added to this dossier");
    }
    if (c->r->actor.role == MC_ROLE_CITIZEN &&
        d.state != MC_DS_SUBMITTED && d.state != MC_DS_INTAKE_SUPPLEMENT &&
        d.state != MC_DS_SUPPLEMENT) {
        return mc_err_set(err, MC_ECONFLICT, 409, "invalid_state", NULL,
                          "the applicant adds files when submitting or when "
                          "a supplement is requested");
    }
    if (c->component_id != 0) {
        int64_t ok = 0;
        rc = mc_q_component_of(db, c->component_id, d.procedure_id, &ok,
                               err);
        if (rc != MC_OK) {
            return rc;
        }
        if (ok == 0) {
            return mc_err_set(err, MC_EINVAL, 422, "component_not_required",
                              "component_id",
                              "this procedure has no such component");
        }
    }
    if (dd != NULL) {
        *dd = d;
    }
    return MC_OK;
}

static int
upload_fn(struct mc_db *db, void *arg, json_t **result, int *status,
          struct mc_err *err)
{
    struct up_ctx *c = arg;
    struct mc_dossier d;
    json_t *payload;
    char obj[40];
    int rc;

    /* re-check inside the transaction */
    rc = upload_allowed(db, c, &d, err);
    if (rc != MC_OK) {
        return rc;
    }
    rc = mc_q_file_put(db, c->sha, (int64_t)c->size, c->mime, c->r->now, err);
    if (rc == MC_OK) {
        rc = mc_q_dossier_file_add(db, c->dossier_id, c->component_id, c->sha,
                                   c->name, c->mime, (int64_t)c->size,
                                   c->r->actor.account_id, c->r->now,
                                   &c->file_id, err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    snprintf(obj, sizeof(obj), "dossier:%lld", (long long)c->dossier_id);
    payload = json_pack("{s:I,s:s,s:s,s:I,s:I}", "file_id",
                        (json_int_t)c->file_id, "sha256", c->sha, "name",
                        c->name, "size", (json_int_t)c->size, "component_id",
                        (json_int_t)c->component_id);
    rc = mc_audit_append(db, c->r->actor.account_id, "dossier.file_upload",
                         obj, payload, c->r->now, err);
    json_decref(payload);
    if (rc != MC_OK) {
        return rc;
    }
    *result = json_pack("{s:I,s:I,s:s,s:s,s:s,s:I}", "id",
                        (json_int_t)c->file_id, "component_id",
                        (json_int_t)c->component_id, "sha256", c->sha, "name",
                        c->name, "mime", c->mime, "size",
                        (json_int_t)c->size);
    *status = 201;
    return MC_OK;
}

int
mc_http_upload_body(struct mc_req *r, const char **name, const char **mime,
                    const char **sha)
{
    const char *n = mc_req_query(r, "name"), *ct = r->content_type;
    char *h;

    if (n == NULL || *n == '\0' || strlen(n) > 200 ||
        !mc_utf8_valid(n, strlen(n)) || strchr(n, '/')) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "bad_name", "name",
                          "give the file name (?name=...), at most 200 "
                          "bytes, without '/'");
    }
    if ((*name = mc_utf8_nfc(&r->arena, n)) == NULL) {
        return MC_ENOMEM;
    }
    if (r->body.len == 0) {
        return mc_err_set(&r->err, MC_EINVAL, 400, "empty_body", NULL,
                          "send the file as the request body");
    }
    *mime = sniff((const unsigned char *)r->body.data, r->body.len);
    if (*mime == NULL || ct == NULL || strncmp(ct, *mime, strlen(*mime))) {
        return mc_err_set(&r->err, MC_EINVAL, 415, "unsupported_file", NULL,
                          "only PDF, JPEG and PNG files are accepted, with a "
                          "matching Content-Type");
    }
    if ((h = mc_arena_alloc(&r->arena, MC_SHA256_HEX)) == NULL) {
        return MC_ENOMEM;
    }
    mc_sha256_hex(r->body.data, r->body.len, h);
    *sha = h;
    return MC_OK;
}

int
mc_http_upload_store(struct mc_req *r, const char *sha)
{
    if (store_blob(r, sha, r->body.data, r->body.len) != 0) {
        mc_log_error("cannot store attachment %s: %s", sha, strerror(errno));
        return mc_err_set(&r->err, MC_EIO, 507, "storage_failed", NULL,
                          "the file could not be stored");
    }
    return MC_OK;
}

int
mc_http_upload_send(struct mc_req *r, const char *sha, const char *mime)
{
    char path[700];
    struct mc_buf b;
    int rc;

    snprintf(path, sizeof(path), "%s/%.2s/%.2s/%s", r->app->files_dir, sha,
             sha + 2, sha);
    mc_buf_init(&b, r->app->max_upload);
    rc = mc_file_read(path, &b);
    if (rc != MC_OK) {
        mc_buf_release(&b);
        mc_log_error("attachment %s unreadable (%d)", sha, rc);
        return mc_err_set(&r->err, MC_EIO, 500, "file_missing", NULL,
                          "the stored file cannot be read");
    }
    rc = mc_http_bytes(r, 200, mime, b.data ? b.data : "", b.len);
    mc_buf_release(&b);
    mc_http_header(r, "Content-Disposition", "attachment");
    return rc;
}

int
mc_h_dossier_file_upload(struct mc_req *r)
{
    struct up_ctx c = {.r = r};
    struct mc_db *db;
    long long v;
    int rc;

    if ((rc = mc_http_require(r, MC_R(MC_ROLE_CITIZEN) | MC_R(MC_ROLE_DESK) |
                                     MC_R(MC_ROLE_SPECIALIST) |
                                     MC_R(MC_ROLE_LEADER))) != MC_OK) {
        return rc;
    }
    if (mc_parse_i64(r->params[0], &v) != 0 || v <= 0) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such dossier");
    }
    c.dossier_id = v;
    if ((rc = mc_req_query_int(r, "component_id", 0, 0, INT64_MAX, &v)) !=
        MC_OK) {
        return rc;
    }
    c.component_id = v;
    if ((rc = mc_http_upload_body(r, &c.name, &c.mime, &c.sha)) != MC_OK) {
        return rc;
    }
    c.size = r->body.len;
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = upload_allowed(db, &c, NULL, &r->err);
    if (rc != MC_OK) {
        return rc;
    }
    if ((rc = mc_http_upload_store(r, c.sha)) != MC_OK) {
        return rc;
    }
    return mc_http_write(r, upload_fn, &c);
}

int
mc_h_dossier_files_list(struct mc_req *r)
{
    struct mc_dossier d;
    struct mc_db *db;
    json_t *items = NULL;
    long long id;
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK) {
        return rc;
    }
    if (mc_parse_i64(r->params[0], &id) != 0 || id <= 0) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such dossier");
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_dossier_get(db, &r->actor, id, &r->arena, &d, &r->err);
    if (rc == MC_OK) {
        rc = mc_q_dossier_files(db, id, &items, &r->err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    return mc_http_json(r, 200, json_pack("{s:o}", "items", items));
}

int
mc_h_dossier_file_get(struct mc_req *r)
{
    const char *sha, *name, *mime;
    struct mc_dossier d;
    struct mc_db *db;
    long long id, fid;
    int rc;

    if ((rc = mc_http_require(r, MC_R_ANY_USER)) != MC_OK) {
        return rc;
    }
    if (mc_parse_i64(r->params[0], &id) != 0 ||
        mc_parse_i64(r->params[1], &fid) != 0) {
        return mc_err_set(&r->err, MC_ENOTFOUND, 404, "not_found", NULL,
                          "no such file");
    }
    if ((db = mc_req_db(r)) == NULL) {
        return MC_EDB;
    }
    rc = mc_dossier_get(db, &r->actor, id, &r->arena, &d, &r->err);
    if (rc == MC_OK) {
        rc = mc_q_dossier_file_get(db, id, fid, &r->arena, &sha, &name,
                                   &mime, &r->err);
    }
    if (rc != MC_OK) {
        return rc;
    }
    (void)name;
    return mc_http_upload_send(r, sha, mime);
}
