/*
 * demo.c - demonstration units and accounts for Hà Nội (demo.h).
 */
#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/unit.h"
#include "util/csv.h"
#include "util/embed.h"
#include "util/mctime.h"

#define CITY_CODE "H26"

static const struct {
    const char *code;
    const char *name;
    const char *desk_name;
} departments[] = {
    {"H26.STP", "Sở Tư pháp", "Bộ phận Một cửa Sở Tư pháp"},
    {"H26.SXD", "Sở Xây dựng", "Bộ phận Một cửa Sở Xây dựng"},
    {"H26.STC", "Sở Tài chính", "Bộ phận Một cửa Sở Tài chính"},
    {"H26.SNNMT", "Sở Nông nghiệp và Môi trường",
     "Bộ phận Một cửa Sở Nông nghiệp và Môi trường"},
    {"H26.SNV", "Sở Nội vụ", "Bộ phận Một cửa Sở Nội vụ"},
    {"H26.SYT", "Sở Y tế", "Bộ phận Một cửa Sở Y tế"},
    {"H26.SCT", "Sở Công Thương", "Bộ phận Một cửa Sở Công Thương"},
    {"H26.CATP", "Công an thành phố Hà Nội",
     "Bộ phận Một cửa Công an thành phố Hà Nội"},
};

static const struct mc_demo_login logins[] = {
    {"admin", "admin123!", "admin", CITY_CODE, "Quản trị hệ thống", NULL,
     NULL},
    {"thanhtra", "thanhtra123!", "inspector", CITY_CODE,
     "Lê Thị Thanh Hương", NULL, NULL},
    {"badinh.tiepnhan", "tiepnhan123!", "desk", "H26.00004", "Phạm Minh Anh",
     NULL, NULL},
    {"badinh.chuyenvien", "chuyenvien123!", "specialist", "H26.00004",
     "Hoàng Văn Nam", NULL, NULL},
    {"badinh.lanhdao", "lanhdao123!", "leader", "H26.00004", "Đỗ Thị Lan",
     NULL, NULL},
    {"hoankiem.tiepnhan", "tiepnhan123!", "desk", "H26.00070",
     "Vũ Quang Huy", NULL, NULL},
    {"hoankiem.chuyenvien", "chuyenvien123!", "specialist", "H26.00070",
     "Bùi Thị Hồng", NULL, NULL},
    {"hoankiem.lanhdao", "lanhdao123!", "leader", "H26.00070",
     "Ngô Đức Thắng", NULL, NULL},
    {"stp.tiepnhan", "tiepnhan123!", "desk", "H26.STP.MC", "Đặng Thu Trang",
     NULL, NULL},
    {"stp.chuyenvien", "chuyenvien123!", "specialist", "H26.STP",
     "Trịnh Văn Long", NULL, NULL},
    {"stp.lanhdao", "lanhdao123!", "leader", "H26.STP", "Lý Thị Ngọc", NULL,
     NULL},
    {"nguyenvanduc", "congdan123!", "citizen", NULL, "Nguyễn Văn Đức",
     "0912345678", "001085012345"},
    {"tranthimai", "congdan123!", "citizen", NULL, "Trần Thị Mai",
     "0987654321", "001190054321"},
    {"dvcqg", "doitac123!", "partner", NULL,
     "Cổng Dịch vụ công quốc gia (đối tác)", NULL, NULL},
};

const struct mc_demo_login *
mc_demo_logins(size_t *n)
{
    *n = sizeof(logins) / sizeof(logins[0]);
    return logins;
}

static const struct mc_actor system_actor = {
    .account_id = 0, .role = MC_ROLE_SYSTEM, .unit_id = 0,
    .unit_path = "", .username = "system",
};

static int
add_unit(struct mc_db *db, int64_t parent, const char *code, const char *gso,
         const char *name, const char *kind, int64_t from, int64_t to,
         int64_t *id, struct mc_err *err)
{
    struct mc_unit_create c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.actor = &system_actor;
    c.parent_id = parent;
    c.code = code;
    c.gso_code = gso;
    c.name = name;
    c.kind = kind;
    c.valid_from = from;
    c.valid_to = to;
    rc = mc_unit_create(db, &c, err);
    if (rc == MC_OK && id != NULL) {
        *id = c.id;
    }
    return rc;
}

/*
 * Create one unit per row of an embedded CSV (columns code, full_name) as
 * children of parent; *count receives the number of rows.
 */
static int
add_csv_units(struct mc_db *db, const char *path, int64_t parent,
              const char *kind, int64_t from, int64_t to, int *count,
              struct mc_err *err)
{
    struct mc_csv csv;
    size_t len;
    const char *data = mc_embed_get(path, &len);
    int rc, ccode, cname;

    *count = 0;
    if (data == NULL) {
        return mc_err_set(err, MC_EINTERNAL, 500, "missing_data", NULL,
                          "embedded file %s is missing", path);
    }
    mc_csv_init(&csv, data, len);
    rc = mc_csv_next(&csv, err);
    if (rc != 1) {
        rc = rc < 0 ? rc : mc_err_set(err, MC_EINVAL, 500, "bad_data",
                                      NULL, "%s is empty", path);
        goto out;
    }
    ccode = mc_csv_col(&csv, "code");
    cname = mc_csv_col(&csv, "full_name");
    if (ccode < 0 || cname < 0) {
        rc = mc_err_set(err, MC_EINVAL, 500, "bad_data", NULL,
                        "%s lacks the code or full_name column", path);
        goto out;
    }
    while ((rc = mc_csv_next(&csv, err)) == 1) {
        char code[MC_UNIT_CODE_MAX];

        if (csv.nf <= ccode || csv.nf <= cname) {
            rc = mc_err_set(err, MC_EINVAL, 500, "bad_data", NULL,
                            "%s line %ld: missing fields", path, csv.line);
            goto out;
        }
        snprintf(code, sizeof(code), CITY_CODE ".%s", csv.f[ccode]);
        rc = add_unit(db, parent, code, csv.f[ccode], csv.f[cname], kind,
                      from, to, NULL, err);
        if (rc != MC_OK) {
            goto out;
        }
        (*count)++;
    }
out:
    mc_csv_release(&csv);
    return rc < 0 ? rc : MC_OK;
}

static int
add_accounts(struct mc_db *db, struct mc_err *err)
{
    for (size_t i = 0; i < sizeof(logins) / sizeof(logins[0]); i++) {
        const struct mc_demo_login *d = &logins[i];
        struct mc_account_create c;
        struct mc_unit u;
        int rc;

        memset(&c, 0, sizeof(c));
        if (d->unit_code != NULL) {
            rc = mc_unit_get_by_code(db, d->unit_code, &u, err);
            if (rc != MC_OK) {
                return rc;
            }
            c.unit_id = u.id;
        }
        c.actor = &system_actor;
        c.username = d->username;
        c.full_name = d->full_name;
        c.role = mc_role_parse(d->role);
        c.phone = d->phone;
        c.id_number = d->id_number;
        rc = mc_account_create_set_password(&c, d->password, err);
        if (rc == MC_OK) {
            rc = mc_account_create(db, &c, err);
        }
        memset(c.password_hash, 0, sizeof(c.password_hash));
        if (rc != MC_OK) {
            return rc;
        }
    }
    return MC_OK;
}

int
mc_demo_seed_units_accounts(struct mc_db *db, void *ctx, struct mc_err *err)
{
    int64_t reform = mc_local_ts(mc_days_from_civil(2025, 7, 1), 0);
    int64_t city = 0, dept = 0;
    struct mc_unit u;
    int rc, n = 0;

    rc = mc_unit_get_by_code(db, CITY_CODE, &u, NULL);
    if (rc == MC_OK) {
        return mc_err_set(err, MC_ECONFLICT, 409, "demo_present", NULL,
                          "the demo units are already present");
    }
    if (rc != MC_ENOTFOUND) {
        return mc_err_set(err, rc, 500, "database_error", NULL,
                          "cannot check for demo data");
    }
    rc = add_unit(db, 0, CITY_CODE, "01", "Thành phố Hà Nội", "province", 0,
                  0, &city, err);
    if (rc == MC_OK) {
        rc = add_unit(db, city, CITY_CODE ".TTPVHCC", NULL,
                      "Trung tâm Phục vụ hành chính công thành phố Hà Nội",
                      "center", 0, 0, NULL, err);
    }
    for (size_t i = 0;
         rc == MC_OK && i < sizeof(departments) / sizeof(departments[0]);
         i++) {
        char desk[MC_UNIT_CODE_MAX];

        rc = add_unit(db, city, departments[i].code, NULL,
                      departments[i].name, "department", 0, 0, &dept, err);
        snprintf(desk, sizeof(desk), "%s.MC", departments[i].code);
        if (rc == MC_OK) {
            rc = add_unit(db, dept, desk, NULL, departments[i].desk_name,
                          "desk", 0, 0, NULL, err);
        }
    }
    if (rc == MC_OK) {
        rc = add_csv_units(db, "data/real/hanoi_units_2025.csv", city,
                           "commune", reform, 0, &n, err);
    }
    if (rc == MC_OK && n != MC_DEMO_COMMUNES) {
        rc = mc_err_set(err, MC_EINTERNAL, 500, "bad_data", NULL,
                        "expected %d communes, found %d", MC_DEMO_COMMUNES,
                        n);
    }
    if (rc == MC_OK) {
        rc = add_csv_units(db, "data/real/hanoi_districts_pre2025.csv", city,
                           "district", 0, reform, &n, err);
    }
    if (rc == MC_OK && n != MC_DEMO_DISTRICTS) {
        rc = mc_err_set(err, MC_EINTERNAL, 500, "bad_data", NULL,
                        "expected %d districts, found %d", MC_DEMO_DISTRICTS,
                        n);
    }
    if (rc == MC_OK) {
        rc = add_accounts(db, err);
    }
    return rc;
}
