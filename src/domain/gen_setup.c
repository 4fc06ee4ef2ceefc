/*
 * gen_setup.c - setup of the history generator (gen_int.h): complete the
 * catalog as an administrator would, add a one-stop desk per pre-2025
 * district, and the officials and citizens who act in the history.
 */
#include <stdio.h>
#include <string.h>

#include "db/q_catalog.h"
#include "db/q_gen.h"
#include "domain/account.h"
#include "domain/catalog.h"
#include "domain/gen_int.h"
#include "domain/unit.h"
#include "util/mctime.h"

/* ---- names ---- */

static const char *const surnames[] = {
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
    "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"};
static const char *const middles[] = {"Văn", "Thị", "Đức", "Minh", "Thu",
                                      "Quang", "Ngọc", "Thanh", "Hữu",
                                      "Kim"};
static const char *const givens[] = {
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa",
    "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Ngọc",
    "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
    "Vân", "Yến"};
#define NEL(a) ((int)(sizeof(a) / sizeof(a[0])))

const char *
mc_gen_person(struct mc_arena *a, uint64_t *s)
{
    return mc_arena_printf(a, "%s %s %s", surnames[rnd(s) % NEL(surnames)],
                           middles[rnd(s) % NEL(middles)],
                           givens[rnd(s) % NEL(givens)]);
}


/* ---- setup ---- */

static const struct mc_actor sys_actor = {
    .account_id = 0, .role = MC_ROLE_SYSTEM, .username = "system"};

/* The popular procedures first (Zipf rank order); the rest follow. */
static const char *const popular[] = {
    "2.000815", "2.000884", "1.001193", "1.004194", "1.004222", "2.000635",
    "1.004873", "1.000656", "1.000894", "3.000333", "1.010028", "1.002755",
    "1.003197", "1.001612", "2.000720", "1.012783", "1.013978", "1.013225"};

static const char *
dept_of(const struct mc_gen_proc *p)
{
    if (strncmp(p->level, "Cấp tỉnh", strlen("Cấp tỉnh")) != 0 ||
        strstr(p->level, "Cấp xã") != NULL) {
        return NULL;
    }
    if (strstr(p->field, "tư pháp") != NULL) {
        return "H26.STP";
    }
    if (strstr(p->field, "xây dựng") != NULL) {
        return "H26.SXD";
    }
    return "H26.SNNMT";
}

static int
complete_proc(struct gen *g, const struct mc_gen_proc *p, struct mc_err *err)
{
    struct mc_catalog_update u;
    int sameday = strcmp(p->field, "Chứng thực") == 0 ||
                  strncmp(p->code, "2.000635", 8) == 0;
    int rc;

    memset(&u, 0, sizeof(u));
    u.actor = NULL;
    u.at = g->start - DAY;
    u.code = p->code;
    u.limit_value = sameday ? 1 : 3;
    u.limit_unit = sameday ? MC_UNIT_SAMEDAY : MC_UNIT_WORKDAYS;
    u.cutoff_15h = sameday;
    rc = mc_catalog_update_limit(g->db, &u, err);
    if (rc == MC_OK && u.changed) {
        g->st->procedures_completed++;
    }
    return rc;
}

static int
setup_procs(struct gen *g, struct mc_err *err)
{
    struct mc_gen_proc *ps;
    size_t n;
    int rc = mc_q_gen_procs(g->db, &g->setup, &ps, &n, err);
    int rank = NEL(popular);

    if (rc != MC_OK) {
        return rc;
    }
    g->procs = mc_arena_zalloc(&g->setup, (n + 1) * sizeof(*g->procs));
    if (g->procs == NULL) {
        return MC_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        struct gproc *q = &g->procs[g->nprocs];
        int r = -1;

        if (ps[i].incomplete) {
            rc = complete_proc(g, &ps[i], err);
            if (rc != MC_OK) {
                return rc;
            }
        }
        for (int k = 0; k < NEL(popular); k++) {
            if (strcmp(popular[k], ps[i].code) == 0) {
                r = k;
            }
        }
        if (r < 0) {
            r = rank++;
        }
        q->code = ps[i].code;
        q->dept = dept_of(&ps[i]);
        q->w = 1.0 / ((r + 1.0) * (r + 1.0) * 0.35 + (r + 1.0) * 0.65);
        g->nprocs++;
    }
    return g->nprocs > 0 ? MC_OK
                         : mc_err_set(err, MC_ENOTFOUND, 404, "no_catalog",
                                      NULL, "the catalog is empty; run "
                                            "motcua init --demo first");
}

static int
account(struct gen *g, const char *user, enum mc_role role,
        const struct mc_gen_unit *u, const char *name, const char *phone,
        const char *idn, struct mc_actor *out, struct mc_err *err)
{
    struct mc_account_create c;
    int64_t id = 0;
    int rc = mc_q_gen_account_id(g->db, user, &id, err);

    if (rc == MC_ENOTFOUND) {
        memset(&c, 0, sizeof(c));
        c.actor = &sys_actor;
        c.username = user;
        c.full_name = name;
        c.role = role;
        c.unit_id = u ? u->id : 0;
        c.phone = phone;
        c.id_number = idn;
        /* one argon2id hash (and salt) for every generated account: they
         * share the password, and hashing ~1,000 times took seconds */
        rc = g->pwhash[0] != '\0'
                 ? MC_OK
                 : mc_account_create_set_password(&c, "motcua-gen-2025!",
                                                  err);
        if (rc == MC_OK && g->pwhash[0] == '\0') {
            snprintf(g->pwhash, sizeof(g->pwhash), "%s", c.password_hash);
        }
        snprintf(c.password_hash, sizeof(c.password_hash), "%s", g->pwhash);
        if (rc == MC_OK) {
            rc = mc_account_create(g->db, &c, err);
        }
        id = c.id;
        g->st->accounts += rc == MC_OK;
    }
    if (rc != MC_OK) {
        return rc;
    }
    memset(out, 0, sizeof(*out));
    out->account_id = id;
    out->role = role;
    out->unit_id = u ? u->id : 0;
    snprintf(out->unit_path, sizeof(out->unit_path), "%s", u ? u->path : "");
    snprintf(out->username, sizeof(out->username), "%s", user);
    return MC_OK;
}

static const struct mc_gen_unit *
find_unit(struct mc_gen_unit *us, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(us[i].code, code) == 0) {
            return &us[i];
        }
    }
    return NULL;
}

/* A district's one-stop desk, created as an administrator would. */
static int
district_desk(struct gen *g, const struct mc_gen_unit *d, int64_t *id,
              struct mc_err *err)
{
    struct mc_unit_create c;
    struct mc_unit u;
    char code[MC_UNIT_CODE_MAX];
    int rc;

    snprintf(code, sizeof(code), "%s.MC", d->code);
    rc = mc_unit_get_by_code(g->db, code, &u, NULL);
    if (rc == MC_OK) {
        *id = u.id;
        return MC_OK;
    }
    memset(&c, 0, sizeof(c));
    c.actor = &sys_actor;
    c.parent_id = d->id;
    c.code = code;
    c.name = mc_arena_printf(&g->setup, "Bộ phận Một cửa %s", d->name);
    c.kind = "desk";
    c.valid_from = d->valid_from;
    c.valid_to = d->valid_to;
    rc = mc_unit_create(g->db, &c, err);
    *id = c.id;
    g->st->units += rc == MC_OK;
    return rc;
}

static int
add_unit(struct gen *g, struct mc_gen_unit *us, size_t n,
         const struct mc_gen_unit *h, int kind, uint64_t *rs,
         struct mc_err *err)
{
    struct gunit *gu = &g->units[g->nunits];
    const struct mc_gen_unit *ru = h;
    char user[64];
    int64_t rid = h->id, off = mc_clock_offset();
    int rc = MC_OK;

    if (kind == K_DISTRICT) {
        rc = district_desk(g, h, &rid, err);
    } else if (kind == K_DEPT) {
        char code[MC_UNIT_CODE_MAX];
        snprintf(code, sizeof(code), "%s.MC", h->code);
        ru = find_unit(us, n, code);
        if (ru == NULL) {
            return mc_err_set(err, MC_ENOTFOUND, 404, "no_desk", NULL,
                              "%s has no one-stop desk", h->code);
        }
        rid = ru->id;
    }
    if (rc != MC_OK) {
        return rc;
    }
    gu->recv_id = rid;
    gu->hand_id = h->id;
    gu->kind = kind;
    gu->code = h->code;
    gu->slow = rndf(rs) < 0.10;
    gu->w = 0.3 + 2.0 * rndf(rs) * rndf(rs);
    if (kind == K_DEPT) {
        gu->w = 1.0;
    }
    if (kind == K_DISTRICT) {
        /* historical officials: their accounts date from before 7/2025 */
        mc_clock_set_offset(off + (g->start - mc_now()));
    }
    {
        struct mc_gen_unit rdesk = *h;
        rdesk.id = rid;
        rdesk.path = kind == K_DISTRICT
                         ? mc_arena_printf(&g->setup, "%s%lld/", h->path,
                                           (long long)rid)
                         : ru->path;
        snprintf(user, sizeof(user), "gen.u%lld.desk", (long long)h->id);
        rc = account(g, user, MC_ROLE_DESK, &rdesk, mc_gen_person(&g->setup, rs),
                     NULL, NULL, &gu->desk, err);
    }
    for (int k = 0; k < 2 && rc == MC_OK; k++) {
        snprintf(user, sizeof(user), "gen.u%lld.cv%d", (long long)h->id, k);
        rc = account(g, user, MC_ROLE_SPECIALIST, h, mc_gen_person(&g->setup, rs),
                     NULL, NULL, &gu->spec[k], err);
    }
    if (rc == MC_OK) {
        snprintf(user, sizeof(user), "gen.u%lld.ld", (long long)h->id);
        rc = account(g, user, MC_ROLE_LEADER, h, mc_gen_person(&g->setup, rs), NULL,
                     NULL, &gu->leader, err);
    }
    mc_clock_set_offset(off);
    g->nunits += rc == MC_OK;
    return rc;
}

static int
setup_units(struct gen *g, struct mc_err *err)
{
    struct mc_gen_unit *us;
    size_t n;
    uint64_t rs = g->o->seed ^ 0x5eedull;
    int rc = mc_q_gen_units(g->db, &g->setup, &us, &n, err);

    if (rc != MC_OK) {
        return rc;
    }
    g->units = mc_arena_zalloc(&g->setup, (n + 1) * sizeof(*g->units));
    g->communes = mc_arena_zalloc(&g->setup, (n + 1) * sizeof(int));
    g->districts = mc_arena_zalloc(&g->setup, (n + 1) * sizeof(int));
    g->depts = mc_arena_zalloc(&g->setup, (n + 1) * sizeof(int));
    if (!g->units || !g->communes || !g->districts || !g->depts) {
        return MC_ENOMEM;
    }
    for (size_t i = 0; i < n && rc == MC_OK; i++) {
        int kind = strcmp(us[i].kind, "commune") == 0    ? K_COMMUNE
                   : strcmp(us[i].kind, "district") == 0 ? K_DISTRICT
                   : strcmp(us[i].kind, "department") == 0 ? K_DEPT
                                                           : -1;
        if (kind < 0 || (kind == K_DISTRICT && g->start >= g->reform) ||
            (kind == K_COMMUNE && g->end <= g->reform)) {
            continue;
        }
        rc = add_unit(g, us, n, &us[i], kind, &rs, err);
        if (rc == MC_OK) {
            int *list = kind == K_COMMUNE    ? g->communes
                        : kind == K_DISTRICT ? g->districts
                                             : g->depts;
            int *cnt = kind == K_COMMUNE    ? &g->ncommunes
                       : kind == K_DISTRICT ? &g->ndistricts
                                            : &g->ndepts;
            list[(*cnt)++] = g->nunits - 1;
        }
    }
    if (rc == MC_OK && g->ncommunes + g->ndistricts == 0) {
        rc = mc_err_set(err, MC_ENOTFOUND, 404, "no_demo_units", NULL,
                        "the demo units are missing; run motcua init "
                        "--demo first");
    }
    for (int i = 0; i < NCITIZENS && rc == MC_OK; i++) {
        char user[32], phone[16], idn[16];
        snprintf(user, sizeof(user), "gen.cd%04d", i);
        snprintf(phone, sizeof(phone), "09%08llu",
                 (unsigned long long)(rnd(&rs) % 100000000ull));
        snprintf(idn, sizeof(idn), "001%09llu",
                 (unsigned long long)(rnd(&rs) % 1000000000ull));
        g->cit_names[i] = mc_gen_person(&g->setup, &rs);
        rc = account(g, user, MC_ROLE_CITIZEN, NULL, g->cit_names[i], phone,
                     idn, &g->citizens[i], err);
    }
    if (rc == MC_OK) {
        int64_t pid = 0;
        rc = mc_q_gen_account_id(g->db, "dvcqg", &pid, err);
        g->partner.account_id = pid;
        g->partner.role = MC_ROLE_PARTNER;
        snprintf(g->partner.username, sizeof(g->partner.username), "dvcqg");
    }
    return rc;
}

int
mc_gen_setup(struct gen *g, struct mc_err *err)
{
    int rc = setup_procs(g, err);

    return rc == MC_OK ? setup_units(g, err) : rc;
}
