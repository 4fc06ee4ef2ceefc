#include "domain/actor.h"

#include <string.h>

static const char *const names[] = {
    "none", "citizen", "desk", "specialist", "leader",
    "inspector", "admin", "partner", "system",
};

static const char *const labels_vi[] = {
    "Khách",      "Công dân/Doanh nghiệp", "Cán bộ tiếp nhận",
    "Chuyên viên", "Lãnh đạo",             "Thanh tra",
    "Quản trị",   "Hệ thống đối tác",      "Hệ thống",
};

const char *
mc_role_name(enum mc_role r)
{
    if ((unsigned)r >= sizeof(names) / sizeof(names[0])) {
        return "none";
    }
    return names[r];
}

const char *
mc_role_label_vi(enum mc_role r)
{
    if ((unsigned)r >= sizeof(labels_vi) / sizeof(labels_vi[0])) {
        return labels_vi[0];
    }
    return labels_vi[r];
}

enum mc_role
mc_role_parse(const char *s)
{
    if (s == NULL) {
        return MC_ROLE_NONE;
    }
    for (unsigned i = 1; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(s, names[i]) == 0) {
            return (enum mc_role)i;
        }
    }
    return MC_ROLE_NONE;
}

int
mc_role_is_official(enum mc_role r)
{
    return r == MC_ROLE_DESK || r == MC_ROLE_SPECIALIST ||
           r == MC_ROLE_LEADER || r == MC_ROLE_INSPECTOR ||
           r == MC_ROLE_ADMIN;
}

int
mc_actor_covers(const struct mc_actor *a, const char *unit_path)
{
    size_t n;

    if (a->role == MC_ROLE_ADMIN || a->role == MC_ROLE_SYSTEM) {
        return 1;
    }
    if (!mc_role_is_official(a->role) || unit_path == NULL) {
        return 0;
    }
    n = strlen(a->unit_path);
    return n > 0 && strncmp(a->unit_path, unit_path, n) == 0;
}
