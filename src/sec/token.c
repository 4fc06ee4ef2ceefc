/*
 * token.c - random tokens, SHA-256 and constant-time compare (token.h).
 *
 * Randomness comes from OpenSSL's RAND_bytes (seeded from the OS CSPRNG);
 * hashing from the EVP interface, so FIPS providers work unchanged.
 */
#include "sec/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <string.h>

#define TOKEN_BYTES 32

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
mc_random(void *buf, size_t n)
{
    unsigned char *p = buf;

    /* RAND_bytes takes an int length; feed large requests in pieces. */
    while (n > 0) {
        int chunk = n > 65536 ? 65536 : (int)n;

        if (RAND_bytes(p, chunk) != 1) {
            return MC_EINTERNAL;
        }
        p += chunk;
        n -= (size_t)chunk;
    }
    return MC_OK;
}

/*
 * base64url without padding of in[0..n) into out; out must hold
 * 4 * ceil(n / 3) + 1 bytes. Returns the encoded length.
 */
static size_t
b64url_encode(const unsigned char *in, size_t n, char *out)
{
    size_t o = 0, i;

    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 |
                     in[i + 2];

        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
        out[o++] = b64url[v >> 6 & 63];
        out[o++] = b64url[v & 63];
    }
    if (n - i == 1) {
        unsigned v = (unsigned)in[i] << 16;

        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
    } else if (n - i == 2) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;

        out[o++] = b64url[v >> 18 & 63];
        out[o++] = b64url[v >> 12 & 63];
        out[o++] = b64url[v >> 6 & 63];
    }
    out[o] = '\0';
    return o;
}

int
mc_token_new(char *out, size_t outsz)
{
    unsigned char raw[TOKEN_BYTES];
    char enc[4 * ((TOKEN_BYTES + 2) / 3) + 1];
    int rc;

    if (out == NULL || outsz < MC_TOKEN_LEN + 1) {
        return MC_EINVAL;
    }
    rc = mc_random(raw, sizeof(raw));
    if (rc != MC_OK) {
        out[0] = '\0';
        return rc;
    }
    (void)b64url_encode(raw, sizeof(raw), enc);
    memcpy(out, enc, MC_TOKEN_LEN + 1);
    OPENSSL_cleanse(raw, sizeof(raw));
    OPENSSL_cleanse(enc, sizeof(enc));
    return MC_OK;
}

static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha256_md; /* kept for the life of the process */

static void
sha256_fetch(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void
mc_sha256_hex(const void *data, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    /* fetched once: EVP_sha256() made every digest look it up again */
    pthread_once(&sha256_once, sha256_fetch);
    if (EVP_Digest(data, n, md, &mdlen,
                   sha256_md != NULL ? sha256_md : EVP_sha256(),
                   NULL) != 1 ||
        mdlen != 32) {
        /* Only on a broken crypto library; never return a usable hash. */
        memset(out, 'x', MC_SHA256_HEX - 1);
        out[MC_SHA256_HEX - 1] = '\0';
        return;
    }
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

int
mc_ct_equal(const char *a, const char *b)
{
    size_t na, nb;

    if (a == NULL || b == NULL) {
        return 0;
    }
    na = strlen(a);
    nb = strlen(b);
    /* Lengths are public (fixed-size hashes and tokens). */
    if (na != nb) {
        return 0;
    }
    return CRYPTO_memcmp(a, b, na) == 0;
}
