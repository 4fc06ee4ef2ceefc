/*
 * feedback.c - the pure rules of feedback: categories, decisions, the
 * answer gates, near-duplicate similarity and masking (see feedback.h).
 */
#include "domain/feedback.h"

#include <stdlib.h>
#include <string.h>

#include "util/text.h"

static const char *const categories[] = {
    "regulation_or_procedure", "official_conduct_or_delay", "other", NULL};
static const char *const decisions[] = {
    "amend_or_abolish_rule", "recommend_to_competent_body",
    "explain_current_rule", "act_against_official", "other_specific", NULL};

static int
in_list(const char *const *l, const char *s)
{
    for (int i = 0; s != NULL && l[i] != NULL; i++) {
        if (strcmp(l[i], s) == 0) {
            return 1;
        }
    }
    return 0;
}

int
mc_feedback_category_known(const char *s)
{
    return in_list(categories, s);
}

int
mc_feedback_decision_known(const char *s)
{
    return in_list(decisions, s);
}

/* Word byte: ASCII letters/digits and every non-ASCII byte. */
static int
word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

/* Split s into words: *starts and *lens arena arrays of *n. */
static int
words(struct mc_arena *a, const char *s, const char ***starts, size_t **lens,
      size_t *n)
{
    size_t cap = strlen(s) / 2 + 1, k = 0;
    const char **st = mc_arena_alloc(a, cap * sizeof(*st));
    size_t *ln = mc_arena_alloc(a, cap * sizeof(*ln));

    if (st == NULL || ln == NULL) {
        return MC_ENOMEM;
    }
    for (const char *p = s; *p;) {
        if (!word_byte((unsigned char)*p)) {
            p++;
            continue;
        }
        st[k] = p;
        while (*p && word_byte((unsigned char)*p)) {
            p++;
        }
        ln[k] = (size_t)(p - st[k]);
        k++;
    }
    *starts = st;
    *lens = ln;
    *n = k;
    return MC_OK;
}

static int
cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

    return a < b ? -1 : a > b;
}

/* Sorted distinct FNV-1a hashes of the shingles of s. */
static int
shingles(struct mc_arena *a, const char *s, uint64_t **out, size_t *n)
{
    const char **st;
    size_t *ln, nw, k, m = 0;
    uint64_t *h;
    int rc = words(a, s, &st, &ln, &nw);

    *n = 0;
    if (rc != MC_OK) {
        return rc;
    }
    if (nw == 0) {
        *out = NULL;
        return MC_OK;
    }
    k = nw < MC_FEEDBACK_SHINGLE ? 1 : MC_FEEDBACK_SHINGLE;
    h = mc_arena_alloc(a, (nw - k + 1) * sizeof(*h));
    if (h == NULL) {
        return MC_ENOMEM;
    }
    for (size_t i = 0; i + k <= nw; i++) {
        uint64_t x = 1469598103934665603ull;
        for (size_t j = 0; j < k; j++) {
            for (size_t b = 0; b < ln[i + j]; b++) {
                x = (x ^ (unsigned char)st[i + j][b]) * 1099511628211ull;
            }
            x = (x ^ ' ') * 1099511628211ull;
        }
        h[m++] = x;
    }
    qsort(h, m, sizeof(*h), cmp_u64);
    k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k == 0 || h[k - 1] != h[i]) {
            h[k++] = h[i];
        }
    }
    *out = h;
    *n = k;
    return MC_OK;
}

int
mc_feedback_similarity(struct mc_arena *a, const char *fold_a,
                       const char *fold_b, double *out)
{
    uint64_t *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0, i = 0, j = 0, common = 0;
    int rc;

    *out = 0.0;
    if ((rc = shingles(a, fold_a ? fold_a : "", &x, &nx)) != MC_OK ||
        (rc = shingles(a, fold_b ? fold_b : "", &y, &ny)) != MC_OK) {
        return rc;
    }
    if (nx == 0 || ny == 0) {
        return MC_OK;
    }
    while (i < nx && j < ny) {
        if (x[i] == y[j]) {
            common++;
            i++;
            j++;
        } else if (x[i] < y[j]) {
            i++;
        } else {
            j++;
        }
    }
    *out = (double)common / (double)(nx + ny - common);
    return MC_OK;
}

/* Length of an e-mail address starting at s + i (0 if none there). */
static size_t
email_at(const char *s, size_t i, size_t *start)
{
    static const char local[] = "._%+-";
    size_t b = i, e = i + 1, dots = 0;

    if (s[i] != '@') {
        return 0;
    }
    while (b > 0 && ((s[b - 1] > 0 && word_byte((unsigned char)s[b - 1]) &&
                      (unsigned char)s[b - 1] < 0x80) ||
                     strchr(local, s[b - 1]) != NULL)) {
        b--;
    }
    while (s[e] != '\0' &&
           ((unsigned char)s[e] < 0x80 &&
            (word_byte((unsigned char)s[e]) || s[e] == '.' || s[e] == '-'))) {
        dots += s[e] == '.';
        e++;
    }
    while (e > i + 1 && s[e - 1] == '.') {
        e--;
        dots--;
    }
    if (b == i || dots == 0) {
        return 0;
    }
    *start = b;
    return e - b;
}

/* Length of a phone number starting at s + i (0 if none). */
static size_t
phone_at(const char *s, size_t i)
{
    size_t e = i, last = 0, digits = 0;

    if (s[i] == '+' || s[i] == '(') {
        e++;
    }
    if (!(s[e] >= '0' && s[e] <= '9')) {
        return 0;
    }
    for (; s[e] != '\0'; e++) {
        if (s[e] >= '0' && s[e] <= '9') {
            digits++;
            last = e + 1;
        } else if (!(s[e] == ' ' || s[e] == '.' || s[e] == '-' ||
                     s[e] == '(' || s[e] == ')')) {
            break;
        }
    }
    if (digits < 9 || digits > 15) {
        return 0;
    }
    return last - i;
}

char *
mc_feedback_mask(struct mc_arena *a, const char *s)
{
    static const char hidden[] = "[đã ẩn]";
    size_t n = s ? strlen(s) : 0, o = 0, i = 0;
    char *out = mc_arena_alloc(a, n * sizeof(hidden) + 1);

    if (out == NULL) {
        return NULL;
    }
    while (i < n) {
        size_t start = 0, len;
        /* a phone number starts the text or follows a space or one of
         * ( : ; , " ' - not a dash or a slash (codes, dates) */
        int boundary = i == 0 || strchr(" \t\n(:;,\"'", s[i - 1]) != NULL;

        if (s[i] == '@' && (len = email_at(s, i, &start)) > 0 &&
            i - start <= o) {
            o -= i - start; /* the local part was already copied */
            memcpy(out + o, hidden, sizeof(hidden) - 1);
            o += sizeof(hidden) - 1;
            i = start + len;
            continue;
        }
        if (boundary && (len = phone_at(s, i)) > 0) {
            memcpy(out + o, hidden, sizeof(hidden) - 1);
            o += sizeof(hidden) - 1;
            i += len;
            continue;
        }
        out[o++] = s[i++];
    }
    out[o] = '\0';
    return out;
}

/* 1 if folded text contains every title word of 3+ bytes (and one). */
static int
cites_words(struct mc_arena *a, const char *ftext, const char *ftitle)
{
    const char **st;
    size_t *ln, n;
    int seen = 0;

    if (words(a, ftitle, &st, &ln, &n) != MC_OK) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char *w;
        if (ln[i] < 3) {
            continue;
        }
        w = mc_arena_strndup(a, st[i], ln[i]);
        if (w == NULL || strstr(ftext, w) == NULL) {
            return 0;
        }
        seen = 1;
    }
    return seen;
}

int
mc_feedback_answer_check(const struct mc_feedback *f, const char *text,
                         const char *decision, const char *legal_basis,
                         struct mc_arena *a, struct mc_err *err)
{
    char *ftext = mc_fold(a, text ? text : "");
    char *ftitle = mc_fold(a, f->title ? f->title : "");
    char *fref = mc_fold(a, f->ref ? f->ref : "");

    if (ftext == NULL || ftitle == NULL || fref == NULL) {
        return mc_err_set(err, MC_ENOMEM, 503, "out_of_memory", NULL,
                          "out of memory");
    }
    if (!((fref[0] && strstr(ftext, fref) != NULL) ||
          (ftitle[0] && strstr(ftext, ftitle) != NULL) ||
          cites_words(a, ftext, ftitle))) {
        return mc_err_set(err, MC_EINVAL, 422, "answer_missing_subject",
                          "text",
                          "the answer must cite the feedback: its reference "
                          "number %s or the words of its title",
                          f->ref);
    }
    if (decision == NULL || decision[0] == '\0') {
        return mc_err_set(err, MC_EINVAL, 422, "decision_required",
                          "decision",
                          "the answer must state the handling decision");
    }
    if (!mc_feedback_decision_known(decision)) {
        return mc_err_set(err, MC_EINVAL, 422, "unknown_decision",
                          "decision",
                          "decision must be one of amend_or_abolish_rule, "
                          "recommend_to_competent_body, "
                          "explain_current_rule, act_against_official, "
                          "other_specific");
    }
    if (strcmp(decision, "explain_current_rule") == 0 &&
        (legal_basis == NULL || legal_basis[0] == '\0')) {
        return mc_err_set(err, MC_EINVAL, 422, "legal_basis_required",
                          "legal_basis",
                          "explaining the current rule needs its legal "
                          "basis");
    }
    return MC_OK;
}
