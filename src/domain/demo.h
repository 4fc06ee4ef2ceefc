/*
 * demo.h - demonstration data: Hà Nội as it is since 1/7/2025, and one
 * account for every role with an easy, documented password.
 *
 * Units: the city (H26), its public-service centre, several departments
 * each with its one-stop desk, the 126 communes/wards of
 * data/real/hanoi_units_2025.csv (agency code "H26.<GSO code>", valid from
 * 1/7/2025) and the 30 districts of data/real/hanoi_districts_pre2025.csv
 * as historical units (valid to 1/7/2025). Department codes (H26.STP ...)
 * are mnemonic demo codes, not official QĐ 20/2020 identifiers.
 */
#ifndef MC_DOMAIN_DEMO_H
#define MC_DOMAIN_DEMO_H

#include <stddef.h>

#include "db/db.h"
#include "util/err.h"

#define MC_DEMO_COMMUNES 126
#define MC_DEMO_DISTRICTS 30

/* One demo login. All strings static. */
struct mc_demo_login {
    const char *username;
    const char *password;  /* demo only: printed by `make run` */
    const char *role;      /* stored role name */
    const char *unit_code; /* NULL for citizens and the partner */
    const char *full_name;
    const char *phone;     /* NULL when none */
    const char *id_number; /* NULL when none */
};

/* The demo accounts: a static table of *n entries (never NULL). */
const struct mc_demo_login *mc_demo_logins(size_t *n);

/*
 * Write function (ctx unused, may be NULL): create the demo units and
 * accounts, each audited as the system. MC_ECONFLICT ("demo_present") if
 * the city unit H26 already exists. Hashes the demo passwords (call
 * mc_password_set_fast(1) first for a quick seed).
 */
int mc_demo_seed_units_accounts(struct mc_db *db, void *ctx,
                                struct mc_err *err) MC_WUR;

#endif
