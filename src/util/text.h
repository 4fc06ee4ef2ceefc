/*
 * text.h - UTF-8 validation, NFC normalisation and Vietnamese search keys.
 *
 * All text entering motcua is NFC-normalised at the boundary (API, CSV
 * import, CLI). Names that people search carry a folded "search key":
 * NFC -> strip combining marks -> case-fold -> đ/Đ -> d (U+0111/U+0110 do
 * not decompose) -> whitespace collapsed to single spaces, trimmed. So
 * "nguyen van duc" finds "Nguyễn Văn Đức".
 */
#ifndef MC_UTIL_TEXT_H
#define MC_UTIL_TEXT_H

#include <stddef.h>

#include "util/arena.h"

/* 1 if s[0..n) is valid UTF-8 without NUL bytes or overlongs, else 0. */
int mc_utf8_valid(const char *s, size_t n);

/* NFC copy of s in the arena; NULL if s is not valid UTF-8 or on OOM. */
char *mc_utf8_nfc(struct mc_arena *a, const char *s);

/* Folded search key of s in the arena; NULL on invalid UTF-8 or OOM. */
char *mc_fold(struct mc_arena *a, const char *s);

/*
 * Folded search key into a caller buffer (truncated on a character
 * boundary to fit). Returns length, or -1 on invalid UTF-8.
 */
int mc_fold_to(const char *s, char *out, size_t outsz);

/* Number of code points in valid UTF-8 s. */
size_t mc_utf8_len(const char *s);

/*
 * Vietnamese collation key: a byte string whose memcmp order is the
 * Vietnamese alphabetical order (a ă â b c d đ e ê ... then tones).
 * Returns an arena string; NULL on failure.
 */
char *mc_vi_sortkey(struct mc_arena *a, const char *s);

/* Case-insensitive ASCII compare (locale-free). */
int mc_ascii_casecmp(const char *a, const char *b);

/* 1 if s is non-NULL and every byte is [0-9]. */
int mc_is_digits(const char *s);

/* Parse a decimal int64 in full (no trailing junk); 0 ok, -1 bad/overflow. */
int mc_parse_i64(const char *s, long long *out);

#endif
