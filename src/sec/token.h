/*
 * token.h - random tokens and SHA-256 helpers.
 *
 * Session tokens are 32 random bytes, sent to the client as 43-char
 * base64url; the database keeps only SHA-256(token) in hex, so a stolen
 * database holds no usable session.
 */
#ifndef MC_SEC_TOKEN_H
#define MC_SEC_TOKEN_H

#include <stddef.h>

#include "util/err.h"

#define MC_TOKEN_LEN 43      /* base64url of 32 bytes, no padding */
#define MC_SHA256_HEX 65     /* 64 hex digits + NUL */

/* Fill out (>= MC_TOKEN_LEN+1) with a fresh random token. */
int mc_token_new(char *out, size_t outsz) MC_WUR;
/* SHA-256 of data as lower-case hex into out (>= MC_SHA256_HEX). */
void mc_sha256_hex(const void *data, size_t n, char *out);
/* Constant-time equality of two equal-length strings. */
int mc_ct_equal(const char *a, const char *b);
/* n random bytes from the OS CSPRNG. */
int mc_random(void *buf, size_t n) MC_WUR;

#endif
