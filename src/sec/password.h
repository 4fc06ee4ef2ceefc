/*
 * password.h - argon2id password hashing (PHC string format).
 */
#ifndef MC_SEC_PASSWORD_H
#define MC_SEC_PASSWORD_H

#include <stddef.h>

#include "util/err.h"

#define MC_PASSWORD_HASH_MAX 128

/*
 * Hash pw with argon2id (t=2, m=19 MiB, p=1, 16-byte random salt) into
 * out (PHC string "$argon2id$v=19$m=19456,t=2,p=1$..."). MC_EINVAL for a
 * password shorter than 8 or longer than 256 bytes.
 */
int mc_password_hash(const char *pw, char *out, size_t outsz,
                     struct mc_err *err) MC_WUR;

/* 1 if pw matches the PHC hash, 0 otherwise (constant-time compare). */
int mc_password_verify(const char *pw, const char *hash);

/*
 * Cheaper parameters for tests and demo seeding (MOTCUA_FAST_HASH=1 in the
 * environment also selects them): t=1, m=1 MiB.
 */
void mc_password_set_fast(int fast);

/*
 * At most n hashes and verifications run at once in this process; the
 * others wait their turn (n <= 0: one per CPU online, the default).
 */
void mc_password_set_parallel(int n);
/* The most that ran at once since the previous call (statistics). */
int mc_password_peak(void);

#endif
