/*
 * catalog_io.c - the catalog's CSV format (data/real/procedures.csv and
 * procedure_documents.csv, read as they are and written back in the same
 * columns), the import driver shared with the JSON format, and the demo
 * import. How source values are read is documented in catalog.h.
 */
#include "domain/catalog.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/csv.h"
#include "util/embed.h"
#include "util/text.h"

#define IMPORT_ARENA_MAX ((size_t)256 << 20)
#define MAX_RECS 20000

static const char *const PROC_HEADER[] = {
    "code", "name", "field", "level", "time_limit_value", "time_limit_unit",
    "fee", "online_level", "source", "portal_url", "decision_no",
    "competent_agency", "implementing_agency", "time_limit_by_channel",
    "fee_by_channel", "notes", NULL};
static const char *const DOC_HEADER[] = {
    "procedure_code", "seq", "document_name", "original_or_copy", "quantity",
    "source", "section", "qty_original", "qty_copy", "form_file", NULL};

/* Vietnamese names of the channels and component kinds, both ways. */
static const char *const CHANNEL_VI[][2] = {
    {"online", "Trực tuyến"},
    {"post", "Dịch vụ bưu chính"},
    {"counter", "Trực tiếp"},
};
static const char *const KIND_VI[][2] = {
    {"original", "bản chính"},
    {"copy", "bản sao"},
    {"both", "bản chính và bản sao"},
    {"certified", "bản sao chứng thực"},
    {"any", "bản chính hoặc bản sao"},
};
#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

#define SAMEDAY_TEXT "trong ngày"
#define SAMEDAY_15H_TEXT "trong ngày (sau 15 giờ: ngày làm việc tiếp theo)"

/* ---- reading source values ---- */

int
mc_catalog_parse_limit(const char *value, const char *unit,
                       struct mc_procedure *p)
{
    char fv[64], fu[128];
    long long n = 0;

    if (mc_fold_to(value != NULL ? value : "", fv, sizeof(fv)) < 0 ||
        mc_fold_to(unit != NULL ? unit : "", fu, sizeof(fu)) < 0) {
        return -1;
    }
    p->limit_value = 0;
    p->limit_unit = NULL;
    p->unit_assumed = p->incomplete = p->cutoff_15h = 0;
    if ((fv[0] == '\0' || strcmp(fv, "khong co thong tin") == 0) &&
        (fu[0] == '\0' || strcmp(fu, "khong co thong tin") == 0)) {
        p->incomplete = 1;
        return 0;
    }
    if (strncmp(fu, "trong ngay", 10) == 0) {
        if (fv[0] != '\0' && strcmp(fv, "1") != 0) {
            return -1;
        }
        p->limit_value = 1;
        p->limit_unit = MC_UNIT_SAMEDAY;
        p->cutoff_15h = strstr(fu, "15 gio") != NULL;
        return 0;
    }
    if (!mc_is_digits(fv) || mc_parse_i64(fv, &n) != 0 || n < 1 ||
        n > MC_CATALOG_MAX_LIMIT) {
        return -1;
    }
    p->limit_value = n;
    if (fu[0] == '\0' || strcmp(fu, "ngay") == 0) {
        p->limit_unit = MC_UNIT_WORKDAYS;
        p->unit_assumed = 1;
    } else if (strcmp(fu, "ngay lam viec") == 0) {
        p->limit_unit = MC_UNIT_WORKDAYS;
    } else if (strcmp(fu, "buoi lam viec") == 0 ||
               strcmp(fu, "nua ngay lam viec") == 0) {
        p->limit_unit = MC_UNIT_HALFDAYS;
    } else if (strcmp(fu, "gio lam viec") == 0 || strcmp(fu, "gio") == 0) {
        p->limit_unit = MC_UNIT_WORKHOURS;
    } else {
        return -1;
    }
    return 0;
}

/* Text of p's limit in the source format (value, unit); static or p's. */
static void
limit_text(const struct mc_procedure *p, char *val, size_t valsz,
           const char **unit)
{
    val[0] = '\0';
    *unit = "";
    if (p->incomplete) {
        return;
    }
    snprintf(val, valsz, "%lld", (long long)p->limit_value);
    if (p->unit_assumed) {
        /* the source's own wording ("" or "ngày"), if it still reads so */
        struct mc_procedure t;

        memset(&t, 0, sizeof(t));
        if (p->src_limit_unit != NULL &&
            mc_catalog_parse_limit(val, p->src_limit_unit, &t) == 0 &&
            t.unit_assumed) {
            *unit = p->src_limit_unit;
        }
    } else if (strcmp(p->limit_unit, MC_UNIT_WORKDAYS) == 0) {
        *unit = "ngày làm việc";
    } else if (strcmp(p->limit_unit, MC_UNIT_HALFDAYS) == 0) {
        *unit = "buổi làm việc";
    } else if (strcmp(p->limit_unit, MC_UNIT_WORKHOURS) == 0) {
        *unit = "giờ làm việc";
    } else {
        *unit = p->cutoff_15h ? SAMEDAY_15H_TEXT : SAMEDAY_TEXT;
    }
}

/* "50,000 Việt Nam Đồng" -> 50000; group separators , or . of 3 digits. */
static int64_t
parse_money(const char *f)
{
    int64_t v = 0;
    int digits = 0, group = -1;

    for (; *f; f++) {
        if (*f >= '0' && *f <= '9') {
            if (v > (int64_t)1e15) {
                return -1;
            }
            v = v * 10 + (*f - '0');
            digits++;
            if (group >= 0) {
                group++;
            }
        } else if ((*f == ',' || *f == '.') && digits > 0 &&
                   (group < 0 || group == 3) && f[1] >= '0' && f[1] <= '9') {
            group = 0;
        } else {
            break;
        }
    }
    if (digits == 0 || (group >= 0 && group != 3)) {
        return -1;
    }
    while (*f == ' ') {
        f++;
    }
    if (*f == '\0' || strcmp(f, "viet nam dong") == 0 ||
        strcmp(f, "vnd") == 0 || strcmp(f, "dong") == 0) {
        return v;
    }
    return -1;
}

int64_t
mc_catalog_parse_fee(const char *text)
{
    char f[256];

    if (text == NULL || mc_fold_to(text, f, sizeof(f)) <= 0) {
        return -1;
    }
    if (strncmp(f, "mien phi", 8) == 0) {
        return 0;
    }
    return parse_money(f);
}

int
mc_catalog_parse_channels(const char *text, struct mc_arena *a,
                          const char **out)
{
    char buf[32] = "", f[64];
    const char *s = text != NULL ? text : "";
    size_t len = 0;
    int seen[NELEM(CHANNEL_VI)] = {0};

    *out = NULL;
    while (*s) {
        const char *e = strchr(s, '|');
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
        char *tok = mc_arena_strndup(a, s, n);
        size_t k;

        if (tok == NULL || mc_fold_to(tok, f, sizeof(f)) < 0) {
            return -1;
        }
        for (k = 0; k < NELEM(CHANNEL_VI); k++) {
            char fv[64];

            if (mc_fold_to(CHANNEL_VI[k][1], fv, sizeof(fv)) >= 0 &&
                (strcmp(f, fv) == 0 || strcmp(f, CHANNEL_VI[k][0]) == 0)) {
                break;
            }
        }
        if (k == NELEM(CHANNEL_VI) && f[0] != '\0') {
            return -1;
        }
        if (k < NELEM(CHANNEL_VI) && !seen[k]) {
            seen[k] = 1;
            len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
                                    len > 0 ? "|" : "", CHANNEL_VI[k][0]);
        }
        s += n + (e != NULL);
    }
    *out = mc_arena_strdup(a, buf);
    return *out != NULL ? 0 : -1;
}

int
mc_catalog_parse_kind(const char *text, const char **kind)
{
    char f[96], fv[96];

    *kind = NULL;
    if (text == NULL || mc_fold_to(text, f, sizeof(f)) < 0) {
        return -1;
    }
    for (size_t k = 0; k < NELEM(KIND_VI); k++) {
        if (mc_fold_to(KIND_VI[k][1], fv, sizeof(fv)) >= 0 &&
            (strcmp(f, fv) == 0 || strcmp(f, KIND_VI[k][0]) == 0)) {
            *kind = KIND_VI[k][0];
            return 0;
        }
    }
    if (strcmp(f, "ban sao co chung thuc") == 0) {
        *kind = "certified";
        return 0;
    }
    return -1;
}

static const char *
kind_vi(const char *kind)
{
    for (size_t k = 0; k < NELEM(KIND_VI); k++) {
        if (strcmp(kind, KIND_VI[k][0]) == 0) {
            return KIND_VI[k][1];
        }
    }
    return kind;
}

/* ---- CSV import ---- */

struct csv_in {
    struct mc_csv csv;
    int col[16];
    struct mc_arena *a;
    struct mc_err *err;
};

static int
csv_fail(struct csv_in *in, const char *field, const char *what)
{
    return mc_err_set(in->err, MC_EINVAL, 400, "invalid_csv", field,
                      "line %ld: %s", in->csv.line, what);
}

/* Header: map the named columns; required ones must be present. */
static int
csv_header(struct csv_in *in, const char *const *names, int nrequired)
{
    int rc = mc_csv_next(&in->csv, in->err);

    if (rc < 0) {
        return rc;
    }
    if (rc == 0) {
        return csv_fail(in, NULL, "empty file");
    }
    for (int i = 0; names[i] != NULL; i++) {
        in->col[i] = mc_csv_col(&in->csv, names[i]);
        if (i < nrequired && in->col[i] < 0) {
            return mc_err_set(in->err, MC_EINVAL, 400, "invalid_csv",
                              names[i], "missing column '%s'", names[i]);
        }
    }
    return MC_OK;
}

/*
 * Cell i of the current record, NFC in the arena: NULL when the column is
 * absent or the cell empty (or "" when keep_empty). *bad set on bad UTF-8.
 */
static const char *
cell(struct csv_in *in, int i, int keep_empty, int *bad)
{
    int c = in->col[i];
    const char *s = c >= 0 && c < in->csv.nf ? in->csv.f[c] : "";
    char *r;

    if (*s == '\0' && !keep_empty) {
        return NULL;
    }
    r = mc_utf8_nfc(in->a, s);
    if (r == NULL) {
        *bad = 1;
    }
    return r;
}

static const char *
trimmed(struct mc_arena *a, const char *s)
{
    size_t n;

    if (s == NULL) {
        return NULL;
    }
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        n--;
    }
    return n > 0 ? mc_arena_strndup(a, s, n) : NULL;
}

static int
proc_row(struct csv_in *in, struct mc_catalog_rec *r)
{
    struct mc_procedure *p = &r->p;
    const char *chan;
    int bad = 0;

    memset(r, 0, sizeof(*r));
    r->line = in->csv.line;
    p->code = trimmed(in->a, cell(in, 0, 0, &bad));
    p->name = trimmed(in->a, cell(in, 1, 0, &bad));
    p->field = trimmed(in->a, cell(in, 2, 0, &bad));
    p->level = cell(in, 3, 1, &bad);
    p->src_limit_value = cell(in, 4, 1, &bad);
    p->src_limit_unit = cell(in, 5, 1, &bad);
    p->fee_text = cell(in, 6, 0, &bad);
    chan = cell(in, 7, 0, &bad);
    p->source = cell(in, 8, 0, &bad);
    p->portal_url = cell(in, 9, 0, &bad);
    p->decision_no = cell(in, 10, 0, &bad);
    p->competent_agency = cell(in, 11, 0, &bad);
    p->implementing_agency = cell(in, 12, 0, &bad);
    p->limit_by_channel = cell(in, 13, 0, &bad);
    p->fee_by_channel = cell(in, 14, 0, &bad);
    p->notes = cell(in, 15, 0, &bad);
    if (bad) {
        return csv_fail(in, NULL, "text is not valid UTF-8");
    }
    if (p->code == NULL) {
        return csv_fail(in, "code", "the code is empty");
    }
    if (mc_catalog_parse_limit(p->src_limit_value, p->src_limit_unit, p) !=
        0) {
        return csv_fail(in, "time_limit_unit",
                        "time limit not understood (a number of \"ngày "
                        "làm việc\", \"giờ làm việc\", \"trong ngày\", "
                        "or empty)");
    }
    p->fee_amount = mc_catalog_parse_fee(p->fee_text);
    if (mc_catalog_parse_channels(chan, in->a, &p->channels) != 0) {
        return csv_fail(in, "online_level", "unknown submission channel "
                        "(Trực tuyến, Dịch vụ bưu chính, Trực tiếp)");
    }
    return MC_OK;
}

static int
read_procs(const char *text, size_t len, struct mc_arena *a,
           struct mc_catalog_rec **out, size_t *n, struct mc_err *err)
{
    struct csv_in in;
    struct mc_catalog_rec *recs = NULL;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    memset(&in, 0, sizeof(in));
    in.a = a;
    in.err = err;
    mc_csv_init(&in.csv, text, len);
    rc = csv_header(&in, PROC_HEADER, 6);
    while (rc == MC_OK && (rc = mc_csv_next(&in.csv, err)) == 1) {
        if (*n == cap) {
            struct mc_catalog_rec *nr;

            cap = cap ? 2 * cap : 64;
            nr = cap <= MAX_RECS ? mc_arena_alloc(a, cap * sizeof(*nr))
                                 : NULL;
            if (nr == NULL) {
                rc = csv_fail(&in, NULL, "too many procedures");
                break;
            }
            if (*n > 0) {
                memcpy(nr, recs, *n * sizeof(*nr));
            }
            recs = nr;
        }
        rc = proc_row(&in, &recs[*n]);
        for (size_t i = 0; rc == MC_OK && i < *n; i++) {
            if (strcmp(recs[i].p.code, recs[*n].p.code) == 0) {
                rc = csv_fail(&in, "code", "the code appears twice");
            }
        }
        *n += rc == MC_OK;
    }
    mc_csv_release(&in.csv);
    *out = recs;
    return rc < 0 ? rc : MC_OK;
}

/* Append component c to rec (arena array grown by doubling). */
static int
add_component(struct mc_catalog_rec *r, size_t *cap,
              const struct mc_component *c, struct mc_arena *a)
{
    struct mc_procedure *p = &r->p;

    if (p->ncomponents == *cap) {
        struct mc_component *nc;

        *cap = *cap ? 2 * *cap : 16;
        nc = mc_arena_alloc(a, *cap * sizeof(*nc));
        if (nc == NULL) {
            return MC_ENOMEM;
        }
        if (p->ncomponents > 0) {
            memcpy(nc, p->components, p->ncomponents * sizeof(*nc));
        }
        p->components = nc;
    }
    p->components[p->ncomponents++] = *c;
    r->have_components = 1;
    return MC_OK;
}

static int
small_int(const char *s, int dflt, int *out)
{
    long long v;

    if (s == NULL) {
        *out = dflt;
        return 0;
    }
    if (!mc_is_digits(s) || mc_parse_i64(s, &v) != 0 || v > 1000000) {
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int
doc_row(struct csv_in *in, struct mc_component *c, const char **code)
{
    const char *seq, *kind, *qo, *qc;
    int bad = 0;

    memset(c, 0, sizeof(*c));
    *code = trimmed(in->a, cell(in, 0, 0, &bad));
    seq = trimmed(in->a, cell(in, 1, 0, &bad));
    c->name = cell(in, 2, 0, &bad);
    kind = cell(in, 3, 0, &bad);
    c->quantity_text = cell(in, 4, 0, &bad);
    c->section = cell(in, 6, 0, &bad);
    qo = trimmed(in->a, cell(in, 7, 0, &bad));
    qc = trimmed(in->a, cell(in, 8, 0, &bad));
    c->form_file = cell(in, 9, 0, &bad);
    if (bad) {
        return csv_fail(in, NULL, "text is not valid UTF-8");
    }
    if (c->section != NULL && strcmp(c->section, "--") == 0) {
        c->section = NULL;
    }
    if (*code == NULL || c->name == NULL) {
        return csv_fail(in, "document_name", "procedure_code and "
                        "document_name are required");
    }
    if (small_int(seq, 0, &c->source_seq) != 0) {
        return csv_fail(in, "seq", "seq must be a number");
    }
    if (mc_catalog_parse_kind(kind, &c->kind) != 0) {
        return csv_fail(in, "original_or_copy", "expected bản chính, bản "
                        "sao, bản chính và bản sao, bản sao chứng thực or "
                        "bản chính hoặc bản sao");
    }
    if (small_int(qo, strcmp(c->kind, "copy") == 0 ||
                          strcmp(c->kind, "certified") == 0 ? 0 : 1,
                  &c->qty_original) != 0 ||
        small_int(qc, strcmp(c->kind, "copy") == 0 ||
                          strcmp(c->kind, "certified") == 0 ||
                          strcmp(c->kind, "both") == 0 ? 1 : 0,
                  &c->qty_copy) != 0) {
        return csv_fail(in, "qty_original", "quantities must be numbers");
    }
    c->mandatory = 1;
    return MC_OK;
}

void
mc_catalog_order_components(struct mc_component *c, size_t n)
{
    /* by source order (stable insertion sort), then grouped by section */
    for (size_t i = 1; i < n; i++) {
        struct mc_component t = c[i];
        size_t j = i;

        while (j > 0 && c[j - 1].source_seq > t.source_seq) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = t;
    }
    for (size_t i = 0; i < n; i++) {
        /* pull the later members of c[i]'s section up behind it */
        for (size_t k = i + 1; k < n; k++) {
            int same = (c[i].section == NULL && c[k].section == NULL) ||
                       (c[i].section != NULL && c[k].section != NULL &&
                        strcmp(c[i].section, c[k].section) == 0);

            if (same && k > i + 1) {
                struct mc_component t = c[k];

                memmove(&c[i + 2], &c[i + 1], (k - i - 1) * sizeof(*c));
                c[i + 1] = t;
            }
            if (same) {
                break;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        c[i].seq = (int)i + 1;
    }
}

static int
read_docs(const char *text, size_t len, struct mc_catalog_rec *recs,
          size_t nrecs, struct mc_arena *a, struct mc_err *err)
{
    struct csv_in in;
    size_t *caps;
    int rc;

    memset(&in, 0, sizeof(in));
    in.a = a;
    in.err = err;
    caps = mc_arena_zalloc(a, (nrecs + 1) * sizeof(*caps));
    if (caps == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    mc_csv_init(&in.csv, text, len);
    rc = csv_header(&in, DOC_HEADER, 4);
    while (rc == MC_OK && (rc = mc_csv_next(&in.csv, err)) == 1) {
        struct mc_component c;
        const char *code;
        size_t i;

        rc = doc_row(&in, &c, &code);
        for (i = 0; rc == MC_OK && i < nrecs; i++) {
            if (strcmp(recs[i].p.code, code) == 0) {
                break;
            }
        }
        if (rc == MC_OK && i == nrecs) {
            rc = csv_fail(&in, "procedure_code", "no such procedure in the "
                          "procedures file");
        } else if (rc == MC_OK &&
                   add_component(&recs[i], &caps[i], &c, a) != MC_OK) {
            rc = mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                            "out of memory");
        }
    }
    mc_csv_release(&in.csv);
    if (rc < 0) {
        return rc;
    }
    for (size_t i = 0; i < nrecs; i++) {
        mc_catalog_order_components(recs[i].p.components,
                                    recs[i].p.ncomponents);
    }
    return MC_OK;
}

static int
import_csv_text(struct mc_db *db, struct mc_catalog_import *im,
                const char *origin, const char *text, size_t len,
                const char *docs, size_t docs_len, struct mc_err *err)
{
    struct mc_arena a;
    struct mc_catalog_rec *recs = NULL;
    size_t n = 0;
    int rc;

    mc_arena_init(&a, IMPORT_ARENA_MAX);
    if (text == NULL) {
        rc = mc_err_set(err, MC_EINVAL, 400, "missing_file", NULL,
                        "no procedures file given");
        goto out;
    }
    rc = read_procs(text, len, &a, &recs, &n, err);
    if (rc == MC_OK && docs != NULL) {
        rc = read_docs(docs, docs_len, recs, n, &a, err);
        if (rc != MC_OK) {
            mc_catalog_err_prefix(err, "documents file");
        }
    }
    if (rc == MC_OK) {
        rc = mc_catalog_run_import(db, im, origin, recs, n, &a, err);
    }
out:
    mc_arena_release(&a);
    return rc;
}

int
mc_catalog_import_csv(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_catalog_import *im = ctx;

    return import_csv_text(db, im, "csv", im->text, im->len, im->docs,
                           im->docs_len, err);
}

int
mc_catalog_import_demo(struct mc_db *db, void *ctx, struct mc_err *err)
{
    struct mc_catalog_import *im = ctx;
    size_t len = 0, dlen = 0;
    const char *p = mc_embed_get("data/real/procedures.csv", &len);
    const char *d = mc_embed_get("data/real/procedure_documents.csv", &dlen);

    if (p == NULL || d == NULL) {
        return mc_err_set(err, MC_EINTERNAL, 500, "no_demo_data", NULL,
                          "the demo catalog is not embedded in this "
                          "binary");
    }
    return import_csv_text(db, im, "demo", p, len, d, dlen, err);
}

/* ---- CSV export ---- */

static int
put_row(struct mc_buf *b, const char *const *cells, size_t n)
{
    int rc = MC_OK;

    for (size_t i = 0; rc == MC_OK && i < n; i++) {
        if (i > 0) {
            rc = mc_buf_addc(b, ',');
        }
        if (rc == MC_OK) {
            rc = mc_csv_put(b, cells[i] != NULL ? cells[i] : "");
        }
    }
    return rc == MC_OK ? mc_buf_adds(b, "\r\n") : rc;
}

static const char *
channels_vi(const char *ch, char *out, size_t outsz)
{
    size_t len = 0;

    out[0] = '\0';
    while (ch != NULL && *ch) {
        const char *e = strchr(ch, '|');
        size_t n = e != NULL ? (size_t)(e - ch) : strlen(ch);

        for (size_t k = 0; k < NELEM(CHANNEL_VI); k++) {
            if (strlen(CHANNEL_VI[k][0]) == n &&
                memcmp(CHANNEL_VI[k][0], ch, n) == 0 && len < outsz) {
                len += (size_t)snprintf(out + len, outsz - len, "%s%s",
                                        len > 0 ? "|" : "",
                                        CHANNEL_VI[k][1]);
            }
        }
        ch += n + (e != NULL);
    }
    return out;
}

static int
put_proc(struct mc_buf *b, const struct mc_procedure *p)
{
    char val[24], chan[96];
    const char *unit;
    const char *cells[16];

    limit_text(p, val, sizeof(val), &unit);
    cells[0] = p->code;
    cells[1] = p->name;
    cells[2] = p->field;
    cells[3] = p->level;
    cells[4] = val;
    cells[5] = unit;
    cells[6] = p->fee_text;
    cells[7] = channels_vi(p->channels, chan, sizeof(chan));
    cells[8] = p->source;
    cells[9] = p->portal_url;
    cells[10] = p->decision_no;
    cells[11] = p->competent_agency;
    cells[12] = p->implementing_agency;
    cells[13] = p->limit_by_channel;
    cells[14] = p->fee_by_channel;
    cells[15] = p->notes;
    return put_row(b, cells, 16);
}

static int
put_docs(struct mc_buf *b, const struct mc_procedure *p)
{
    int rc = MC_OK;

    for (size_t i = 0; rc == MC_OK && i < p->ncomponents; i++) {
        const struct mc_component *c = &p->components[i];
        char seq[16], qo[16], qc[16], qt[64];
        const char *cells[10];

        snprintf(seq, sizeof(seq), "%d",
                 c->source_seq > 0 ? c->source_seq : c->seq);
        snprintf(qo, sizeof(qo), "%d", c->qty_original);
        snprintf(qc, sizeof(qc), "%d", c->qty_copy);
        if (c->qty_copy > 0) {
            snprintf(qt, sizeof(qt), "%d bản chính,%d bản sao",
                     c->qty_original, c->qty_copy);
        } else {
            snprintf(qt, sizeof(qt), "%d bản chính", c->qty_original);
        }
        cells[0] = p->code;
        cells[1] = seq;
        cells[2] = c->name;
        cells[3] = kind_vi(c->kind);
        cells[4] = c->quantity_text != NULL ? c->quantity_text : qt;
        cells[5] = p->source;
        cells[6] = c->section != NULL ? c->section : "--";
        cells[7] = qo;
        cells[8] = qc;
        cells[9] = c->form_file;
        rc = put_row(b, cells, 10);
    }
    return rc;
}

int
mc_catalog_export_csv(struct mc_db *db, struct mc_buf *procs,
                      struct mc_buf *docs, struct mc_err *err)
{
    struct mc_arena a;
    struct mc_procedure_list list;
    int64_t total = 0, off = 0;
    int rc = MC_OK;

    mc_arena_init(&a, IMPORT_ARENA_MAX);
    if (procs != NULL) {
        rc = put_row(procs, PROC_HEADER, NELEM(PROC_HEADER) - 1);
    }
    if (rc == MC_OK && docs != NULL) {
        rc = put_row(docs, DOC_HEADER, NELEM(DOC_HEADER) - 1);
    }
    if (rc != MC_OK) {
        goto toobig;
    }
    do {
        mc_arena_release(&a);
        rc = mc_catalog_search(db, NULL, NULL, 0, MC_CATALOG_MAX_PAGE, off,
                               &a, &list, &total, err);
        for (size_t i = 0; rc == MC_OK && i < list.n; i++) {
            struct mc_procedure *p = &list.items[i];

            rc = mc_q_proc_load_detail(db, p, &a, err);
            if (rc == MC_OK && procs != NULL &&
                (rc = put_proc(procs, p)) != MC_OK) {
                goto toobig;
            }
            if (rc == MC_OK && docs != NULL &&
                (rc = put_docs(docs, p)) != MC_OK) {
                goto toobig;
            }
        }
        off += (int64_t)list.n;
    } while (rc == MC_OK && list.n > 0 && off < total);
    mc_arena_release(&a);
    return rc;
toobig:
    mc_arena_release(&a);
    return mc_err_set(err, rc, 0, rc == MC_ETOOBIG ? "too_big"
                                                   : "out_of_memory",
                      NULL, "the export does not fit its buffer");
}
