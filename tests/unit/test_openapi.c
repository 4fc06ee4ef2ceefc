/*
 * test_openapi.c - docs/openapi.json describes exactly the route table.
 *
 * Every entry of mc_routes (src/http/router.c) must have an operation
 * under the identical path pattern with the lower-case method, and every
 * documented operation must be a route (no stale documentation). Each
 * operation needs an operationId (unique) and a 2xx response; every {param}
 * of a pattern must be declared as a required path parameter; every local
 * $ref must resolve; and the copy embedded in the binary must be the file.
 *
 * Run from the repository root (the document is read from
 * docs/openapi.json).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "http/router.h"
#include "util/embed.h"

#define DOC_PATH "docs/openapi.json"

static const char *const http_methods[] = {
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
    NULL};

static int
is_http_method(const char *k)
{
    for (const char *const *m = http_methods; *m != NULL; m++) {
        if (strcmp(*m, k) == 0) {
            return 1;
        }
    }
    return 0;
}

static void
lower(const char *in, char *out, size_t outsz)
{
    size_t i;

    for (i = 0; in[i] != '\0' && i + 1 < outsz; i++) {
        char c = in[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[i] = '\0';
}

static json_t *
load_doc(void)
{
    json_error_t je;
    json_t *doc = json_load_file(DOC_PATH, JSON_REJECT_DUPLICATES, &je);

    if (doc == NULL) {
        print_error("%s: line %d column %d: %s (run from the repository "
                    "root)\n", DOC_PATH, je.line, je.column, je.text);
    }
    return doc;
}

static int
setup(void **state)
{
    json_t *doc = load_doc();

    if (doc == NULL || !json_is_object(doc)) {
        json_decref(doc);
        return -1;
    }
    *state = doc;
    return 0;
}

static int
teardown(void **state)
{
    json_decref(*state);
    return 0;
}

static json_t *
paths_of(void **state)
{
    json_t *paths = json_object_get(*state, "paths");

    assert_non_null(paths);
    assert_true(json_is_object(paths));
    return paths;
}

/* ---- the document itself ---- */

static void
test_document_header(void **state)
{
    json_t *doc = *state, *info;
    const char *v = json_string_value(json_object_get(doc, "openapi"));

    assert_non_null(v);
    if (strncmp(v, "3.0.", 4) != 0 || v[4] < '0' || v[4] > '9') {
        fail_msg("openapi is \"%s\", expected 3.0.x", v);
    }
    info = json_object_get(doc, "info");
    assert_true(json_is_object(info));
    assert_true(json_is_string(json_object_get(info, "title")));
    assert_true(json_is_string(json_object_get(info, "version")));
    assert_true(json_object_size(paths_of(state)) > 0);
}

/* ---- route table -> document ---- */

static void
test_every_route_documented(void **state)
{
    json_t *paths = paths_of(state);
    int missing = 0;

    assert_true(mc_routes_count > 0);
    for (int i = 0; i < mc_routes_count; i++) {
        const struct mc_route *rt = &mc_routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        char m[16];

        lower(rt->method, m, sizeof(m));
        if (!json_is_object(item)) {
            print_error("route %s %s: path not in %s\n", rt->method,
                        rt->pattern, DOC_PATH);
            missing++;
        } else if (!json_is_object(json_object_get(item, m))) {
            print_error("route %s %s: no \"%s\" operation in %s\n",
                        rt->method, rt->pattern, m, DOC_PATH);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

/* ---- document -> route table (no stale docs) ---- */

static int
route_exists(const char *pattern, const char *method_lc)
{
    char m[16];

    for (int i = 0; i < mc_routes_count; i++) {
        lower(mc_routes[i].method, m, sizeof(m));
        if (strcmp(mc_routes[i].pattern, pattern) == 0 &&
            strcmp(m, method_lc) == 0) {
            return 1;
        }
    }
    return 0;
}

static void
test_no_stale_operations(void **state)
{
    json_t *paths = paths_of(state), *item, *v;
    const char *path, *k;
    int stale = 0;

    json_object_foreach(paths, path, item) {
        int nops = 0;

        if (!json_is_object(item)) {
            print_error("%s: path item is not an object\n", path);
            stale++;
            continue;
        }
        json_object_foreach(item, k, v) {
            (void)v;
            if (!is_http_method(k)) {
                continue;
            }
            nops++;
            if (!route_exists(path, k)) {
                print_error("documented %s %s is not in mc_routes\n", k,
                            path);
                stale++;
            }
        }
        if (nops == 0) {
            print_error("%s: documented path without operations\n", path);
            stale++;
        }
    }
    assert_int_equal(stale, 0);
}

/* ---- each operation ---- */

static int
has_2xx(json_t *responses)
{
    const char *code;
    json_t *v;

    json_object_foreach(responses, code, v) {
        (void)v;
        if (strlen(code) == 3 && code[0] == '2' &&
            ((code[1] >= '0' && code[1] <= '9' && code[2] >= '0' &&
              code[2] <= '9') ||
             (code[1] == 'X' && code[2] == 'X'))) {
            return 1;
        }
    }
    return 0;
}

static void
test_operations_well_formed(void **state)
{
    json_t *paths = paths_of(state), *item, *o, *ids = json_object();
    const char *path, *k;
    int bad = 0;

    assert_non_null(ids);
    json_object_foreach(paths, path, item) {
        json_object_foreach(item, k, o) {
            const char *id;
            json_t *responses;

            if (!is_http_method(k)) {
                continue;
            }
            id = json_string_value(json_object_get(o, "operationId"));
            if (id == NULL || *id == '\0') {
                print_error("%s %s: no operationId\n", k, path);
                bad++;
            } else if (json_object_get(ids, id) != NULL) {
                print_error("%s %s: operationId %s is used twice\n", k, path,
                            id);
                bad++;
            } else {
                json_object_set_new(ids, id, json_true());
            }
            responses = json_object_get(o, "responses");
            if (!json_is_object(responses) || !has_2xx(responses)) {
                print_error("%s %s: no 2xx response\n", k, path);
                bad++;
            }
        }
    }
    json_decref(ids);
    assert_int_equal(bad, 0);
}

/* ---- path parameters ---- */

/* Resolve a local reference "#/a/b~1c" in doc; NULL if it does not. */
static json_t *
resolve(json_t *doc, const char *ref)
{
    json_t *cur = doc;
    char tok[256];
    const char *p;

    if (strncmp(ref, "#/", 2) != 0) {
        return NULL;
    }
    p = ref + 2;
    while (cur != NULL) {
        size_t n = 0;

        while (*p != '\0' && *p != '/') {
            if (n + 1 >= sizeof(tok)) {
                return NULL;
            }
            if (p[0] == '~' && p[1] == '1') {
                tok[n++] = '/';
                p += 2;
            } else if (p[0] == '~' && p[1] == '0') {
                tok[n++] = '~';
                p += 2;
            } else {
                tok[n++] = *p++;
            }
        }
        tok[n] = '\0';
        if (json_is_object(cur)) {
            cur = json_object_get(cur, tok);
        } else if (json_is_array(cur)) {
            char *end;
            unsigned long i = strtoul(tok, &end, 10);
            cur = (n > 0 && *end == '\0') ? json_array_get(cur, i) : NULL;
        } else {
            cur = NULL;
        }
        if (*p == '\0') {
            break;
        }
        p++;
    }
    return cur;
}

/* The parameter object p, following one $ref. */
static json_t *
deref(json_t *doc, json_t *p)
{
    const char *ref = json_string_value(json_object_get(p, "$ref"));

    return ref != NULL ? resolve(doc, ref) : p;
}

/* 1 if name is declared as a required path parameter in list. */
static int
declares(json_t *doc, json_t *list, const char *name)
{
    size_t i;
    json_t *p;

    json_array_foreach(list, i, p) {
        json_t *d = deref(doc, p);
        const char *in = json_string_value(json_object_get(d, "in"));
        const char *nm = json_string_value(json_object_get(d, "name"));

        if (in != NULL && nm != NULL && strcmp(in, "path") == 0 &&
            strcmp(nm, name) == 0 &&
            json_is_true(json_object_get(d, "required"))) {
            return 1;
        }
    }
    return 0;
}

/* 1 if pattern has the placeholder {name}. */
static int
pattern_has(const char *pattern, const char *name)
{
    char ph[80];

    snprintf(ph, sizeof(ph), "{%s}", name);
    return strstr(pattern, ph) != NULL;
}

static void
test_path_parameters(void **state)
{
    json_t *doc = *state, *paths = paths_of(state), *item, *o;
    const char *path, *k;
    int bad = 0;

    json_object_foreach(paths, path, item) {
        json_t *common = json_object_get(item, "parameters");

        json_object_foreach(item, k, o) {
            json_t *own = json_object_get(o, "parameters"), *p;
            const char *s = path;
            size_t i;

            if (!is_http_method(k)) {
                continue;
            }
            /* every {name} of the pattern is declared */
            while ((s = strchr(s, '{')) != NULL) {
                const char *e = strchr(s, '}');
                char name[64];
                size_t n;

                if (e == NULL || (n = (size_t)(e - s - 1)) == 0 ||
                    n >= sizeof(name)) {
                    print_error("%s: malformed placeholder\n", path);
                    bad++;
                    break;
                }
                memcpy(name, s + 1, n);
                name[n] = '\0';
                if (!declares(doc, own, name) &&
                    !declares(doc, common, name)) {
                    print_error("%s %s: path parameter {%s} not declared "
                                "(in: path, required: true)\n",
                                k, path, name);
                    bad++;
                }
                s = e + 1;
            }
            /* and no declared path parameter is missing from it */
            json_array_foreach(own, i, p) {
                json_t *d = deref(doc, p);
                const char *in = json_string_value(json_object_get(d, "in"));
                const char *nm = json_string_value(json_object_get(d,
                                                                   "name"));

                if (d == NULL) {
                    print_error("%s %s: parameter %zu does not resolve\n", k,
                                path, i);
                    bad++;
                } else if (in != NULL && strcmp(in, "path") == 0 &&
                           (nm == NULL || !pattern_has(path, nm))) {
                    print_error("%s %s: path parameter %s is not in the "
                                "pattern\n",
                                k, path, nm ? nm : "(no name)");
                    bad++;
                }
            }
        }
    }
    assert_int_equal(bad, 0);
}

/* ---- references ---- */

static int
check_refs(json_t *doc, json_t *v)
{
    int bad = 0;

    if (json_is_object(v)) {
        const char *k;
        json_t *c;

        json_object_foreach(v, k, c) {
            if (strcmp(k, "$ref") == 0 && json_is_string(c)) {
                const char *ref = json_string_value(c);
                if (strncmp(ref, "#/", 2) == 0 && resolve(doc, ref) == NULL) {
                    print_error("unresolved $ref %s\n", ref);
                    bad++;
                }
            } else {
                bad += check_refs(doc, c);
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *c;

        json_array_foreach(v, i, c) {
            bad += check_refs(doc, c);
        }
    }
    return bad;
}

static void
test_refs_resolve(void **state)
{
    assert_int_equal(check_refs(*state, *state), 0);
}

/* ---- the copy served at GET /api/v1/openapi.json ---- */

static void
test_embedded_copy_is_current(void **state)
{
    size_t n = 0, fn;
    const char *emb = mc_embed_get(DOC_PATH, &n);
    FILE *f;
    char *buf;

    (void)state;
    assert_non_null(emb);
    f = fopen(DOC_PATH, "rb");
    assert_non_null(f);
    buf = malloc(n + 2);
    assert_non_null(buf);
    fn = fread(buf, 1, n + 1, f);
    fclose(f);
    if (fn != n || memcmp(buf, emb, n) != 0) {
        free(buf);
        fail_msg("the embedded %s differs from the file: rebuild", DOC_PATH);
    }
    free(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_header),
        cmocka_unit_test(test_every_route_documented),
        cmocka_unit_test(test_no_stale_operations),
        cmocka_unit_test(test_operations_well_formed),
        cmocka_unit_test(test_path_parameters),
        cmocka_unit_test(test_refs_resolve),
        cmocka_unit_test(test_embedded_copy_is_current),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
