#include "util/text.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util/alloc.h"

int
mc_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i];
        size_t k;
        uint32_t cp;

        if (c == 0) {
            return 0;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + k >= n) {
            return 0; /* truncated sequence */
        }
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        i += k + 1;
    }
    return 1;
}

size_t
mc_utf8_len(const char *s)
{
    size_t n = 0;

    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

char *
mc_utf8_nfc(struct mc_arena *a, const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n;
    size_t len, i;
    char *r;

    if (s == NULL) {
        return NULL;
    }
    len = strlen(s);
    for (i = 0; i < len && (unsigned char)s[i] < 0x80; i++) {
    }
    if (i == len) {
        return mc_arena_strndup(a, s, len); /* ASCII is NFC as it is */
    }
    if (!mc_utf8_valid(s, len)) {
        return NULL;
    }
    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) {
        return NULL;
    }
    r = mc_arena_strndup(a, (const char *)out, (size_t)n);
    free(out);
    return r;
}

/* Fold into a malloc'd string (utf8proc allocates with malloc). */
static char *
fold_raw(const char *s, size_t *outlen)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n;
    char *w, *r;
    int space = 1;

    if (!mc_utf8_valid(s, strlen(s))) {
        return NULL;
    }
    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                         UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK |
                         UTF8PROC_CASEFOLD);
    if (n < 0) {
        return NULL;
    }
    /* đ (C4 91) and Đ (C4 90, already case-folded) -> d; collapse space. */
    w = (char *)out;
    for (r = (char *)out; *r; r++) {
        unsigned char c = (unsigned char)*r;

        if (c == 0xC4 && ((unsigned char)r[1] == 0x91 ||
                          (unsigned char)r[1] == 0x90)) {
            *w++ = 'd';
            r++;
            space = 0;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!space) {
                *w++ = ' ';
                space = 1;
            }
            continue;
        }
        *w++ = (char)c;
        space = 0;
    }
    if (w > (char *)out && w[-1] == ' ') {
        w--;
    }
    *w = '\0';
    *outlen = (size_t)(w - (char *)out);
    return (char *)out;
}

char *
mc_fold(struct mc_arena *a, const char *s)
{
    size_t n;
    char *raw, *r;

    if (s == NULL) {
        return NULL;
    }
    raw = fold_raw(s, &n);
    if (raw == NULL) {
        return NULL;
    }
    r = mc_arena_strndup(a, raw, n);
    free(raw);
    return r;
}

int
mc_fold_to(const char *s, char *out, size_t outsz)
{
    size_t n;
    char *raw = fold_raw(s, &n);

    if (raw == NULL) {
        return -1;
    }
    if (outsz == 0) {
        free(raw);
        return 0;
    }
    if (n >= outsz) {
        n = outsz - 1;
        while (n > 0 && ((unsigned char)raw[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    memcpy(out, raw, n);
    out[n] = '\0';
    free(raw);
    return (int)n;
}

/*
 * Vietnamese alphabet order of base letters; tones sort after the base
 * letter sequence (primary key: letters, secondary: tone marks).
 */
static int
vi_letter_rank(utf8proc_int32_t base, utf8proc_int32_t *mod)
{
    static const char order[] = "aAbcdefghijklmnopqrstuvwxyz";
    (void)order;
    *mod = 0;
    switch (base) {
    case 0x0103: *mod = 1; return 'a'; /* ă */
    case 0x00E2: *mod = 2; return 'a'; /* â */
    case 0x0111: *mod = 1; return 'd'; /* đ */
    case 0x00EA: *mod = 1; return 'e'; /* ê */
    case 0x00F4: *mod = 1; return 'o'; /* ô */
    case 0x01A1: *mod = 2; return 'o'; /* ơ */
    case 0x01B0: *mod = 1; return 'u'; /* ư */
    default: return (int)base;
    }
}

static int
vi_tone(utf8proc_int32_t mark)
{
    switch (mark) {
    case 0x0300: return 2; /* huyền */
    case 0x0309: return 3; /* hỏi */
    case 0x0303: return 4; /* ngã */
    case 0x0301: return 5; /* sắc */
    case 0x0323: return 6; /* nặng */
    default: return 0;
    }
}

char *
mc_vi_sortkey(struct mc_arena *a, const char *s)
{
    utf8proc_int32_t cps[512];
    utf8proc_ssize_t n, i;
    unsigned char *key, *k, *tones;
    size_t nk = 0, nt = 0;

    if (s == NULL || !mc_utf8_valid(s, strlen(s))) {
        return NULL;
    }
    /* Decompose and lower-case so base letters and marks separate. */
    n = utf8proc_decompose((const utf8proc_uint8_t *)s, -1, cps, 512,
                           UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE |
                               UTF8PROC_CASEFOLD);
    if (n < 0 || n > 512) {
        n = n > 512 ? 512 : 0;
    }
    key = mc_arena_alloc(a, (size_t)n * 4 + 8);
    tones = mc_arena_alloc(a, (size_t)n + 2);
    if (key == NULL || tones == NULL) {
        return NULL;
    }
    k = key;
    for (i = 0; i < n; i++) {
        utf8proc_int32_t c = cps[i], mod;
        int rank, t;

        t = vi_tone(c);
        if (t) {
            if (nt) {
                tones[nt - 1] = (unsigned char)('0' + t);
            }
            continue;
        }
        /* Re-compose vowel modifiers (breve, circumflex, horn). */
        if (i + 1 < n) {
            utf8proc_int32_t m = cps[i + 1];
            if (m == 0x0306 && c == 'a') { c = 0x0103; i++; }
            else if (m == 0x0302 && (c == 'a' || c == 'e' || c == 'o')) {
                c = c == 'a' ? 0x00E2 : c == 'e' ? 0x00EA : 0x00F4; i++;
            } else if (m == 0x031B && (c == 'o' || c == 'u')) {
                c = c == 'o' ? 0x01A1 : 0x01B0; i++;
            }
            if (i + 1 < n && (t = vi_tone(cps[i + 1])) != 0) {
                /* tone after a modifier: handled next iteration */
            }
        }
        rank = vi_letter_rank(c, &mod);
        if (rank < 0x80) {
            *k++ = (unsigned char)rank;
            *k++ = (unsigned char)('0' + mod);
        } else {
            /* other scripts: keep code point bytes, big-endian. */
            *k++ = 0xF0;
            *k++ = (unsigned char)((rank >> 16) & 0xFF);
            *k++ = (unsigned char)((rank >> 8) & 0xFF);
            *k++ = (unsigned char)(rank & 0xFF);
        }
        tones[nt++] = '1';
        nk++;
    }
    *k++ = 0x01;
    memcpy(k, tones, nt);
    k += nt;
    *k = '\0';
    (void)nk;
    return (char *)key;
}

int
mc_ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;

        if (ca >= 'A' && ca <= 'Z') {
            ca += 32;
        }
        if (cb >= 'A' && cb <= 'Z') {
            cb += 32;
        }
        if (ca != cb || ca == 0) {
            return ca - cb;
        }
    }
}

int
mc_is_digits(const char *s)
{
    if (s == NULL || *s == '\0') {
        return 0;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return 0;
        }
    }
    return 1;
}

int
mc_parse_i64(const char *s, long long *out)
{
    char *end;
    long long v;

    if (s == NULL || *s == '\0') {
        return -1;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0') {
        return -1;
    }
    *out = v;
    return 0;
}
