/*
 * password.c - argon2id password hashing in PHC string format (password.h).
 *
 * Parameters follow the OWASP minimum for argon2id (m = 19 MiB, t = 2,
 * p = 1). Tests and demo seeding may select cheap parameters; hashes made
 * either way verify either way, since the PHC string carries its
 * parameters.
 *
 * Each computation holds m KiB of scratch memory and a CPU for tens of
 * milliseconds, so at most one per CPU runs at a time (the gate below): a
 * burst of logins on the server's 24 workers would otherwise take 24 x 19
 * MiB at once and gain nothing, the CPUs being the limit.
 */
#include "sec/password.h"

#include <argon2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sec/token.h"

#define PW_MIN 8
#define PW_MAX 256
#define SALT_LEN 16
#define HASH_LEN 32

static atomic_int fast_mode;

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_max;  /* 0: the CPUs online, read at first use */
static int gate_busy; /* computations running */
static int gate_peak; /* most at once since the last mc_password_peak */

void
mc_password_set_parallel(int n)
{
    pthread_mutex_lock(&gate_mu);
    gate_max = n > 0 ? n : 0;
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

int
mc_password_peak(void)
{
    int peak;

    pthread_mutex_lock(&gate_mu);
    peak = gate_peak;
    gate_peak = gate_busy;
    pthread_mutex_unlock(&gate_mu);
    return peak;
}

static void
gate_enter(void)
{
    pthread_mutex_lock(&gate_mu);
    if (gate_max == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        gate_max = n < 1 ? 1 : n > 64 ? 64 : (int)n;
    }
    while (gate_busy >= gate_max) {
        pthread_cond_wait(&gate_cv, &gate_mu);
    }
    gate_busy++;
    if (gate_busy > gate_peak) {
        gate_peak = gate_busy;
    }
    pthread_mutex_unlock(&gate_mu);
}

static void
gate_leave(void)
{
    pthread_mutex_lock(&gate_mu);
    gate_busy--;
    pthread_cond_signal(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

void
mc_password_set_fast(int fast)
{
    atomic_store(&fast_mode, fast != 0);
}

static int
use_fast(void)
{
    const char *env;

    if (atomic_load(&fast_mode)) {
        return 1;
    }
    env = getenv("MOTCUA_FAST_HASH");
    return env != NULL && strcmp(env, "1") == 0;
}

int
mc_password_hash(const char *pw, char *out, size_t outsz, struct mc_err *err)
{
    unsigned char salt[SALT_LEN];
    uint32_t t = 2, m = 19456, p = 1;
    size_t pwlen, need;
    int rc;

    if (outsz > 0) {
        out[0] = '\0';
    }
    if (pw == NULL) {
        return mc_err_set(err, MC_EINVAL, 422, "missing_field", "password",
                          "a password is required");
    }
    pwlen = strlen(pw);
    if (pwlen < PW_MIN || pwlen > PW_MAX) {
        return mc_err_set(err, MC_EINVAL, 422, "weak_password", "password",
                          "the password must be %d to %d bytes long",
                          PW_MIN, PW_MAX);
    }
    if (use_fast()) {
        t = 1;
        m = 1024;
    }
    need = argon2_encodedlen(t, m, p, SALT_LEN, HASH_LEN, Argon2_id);
    if (need > outsz) {
        return mc_err_set(err, MC_EINTERNAL, 500, "internal", NULL,
                          "password hash buffer too small");
    }
    rc = mc_random(salt, sizeof(salt));
    if (rc != MC_OK) {
        return mc_err_set(err, rc, 500, "internal", NULL,
                          "no random bytes for the password salt");
    }
    gate_enter();
    rc = argon2id_hash_encoded(t, m, p, pw, pwlen, salt, sizeof(salt),
                               HASH_LEN, out, outsz);
    gate_leave();
    if (rc != ARGON2_OK) {
        out[0] = '\0';
        return mc_err_set(err, rc == ARGON2_MEMORY_ALLOCATION_ERROR
                                   ? MC_ENOMEM
                                   : MC_EINTERNAL,
                          500, "internal", NULL, "password hashing failed: %s",
                          argon2_error_message(rc));
    }
    return MC_OK;
}

int
mc_password_verify(const char *pw, const char *hash)
{
    size_t pwlen;
    int rc;

    if (pw == NULL || hash == NULL ||
        strncmp(hash, "$argon2id$", 10) != 0 ||
        strlen(hash) >= MC_PASSWORD_HASH_MAX) {
        return 0;
    }
    pwlen = strlen(pw);
    if (pwlen > PW_MAX) {
        return 0;
    }
    /* argon2id_verify recomputes and compares in constant time. */
    gate_enter();
    rc = argon2id_verify(hash, pw, pwlen);
    gate_leave();
    return rc == ARGON2_OK;
}
