/*
 * actor.h - who is acting: roles and unit scope.
 *
 * Officials act within their unit's subtree (units.path prefix); citizens
 * act on their own records only. Every domain function that reads or
 * writes on behalf of someone takes a const struct mc_actor * and applies
 * these rules itself, so no caller can forget them.
 */
#ifndef MC_DOMAIN_ACTOR_H
#define MC_DOMAIN_ACTOR_H

#include <stdint.h>

enum mc_role {
    MC_ROLE_NONE = 0,   /* anonymous */
    MC_ROLE_CITIZEN,    /* citizen or business */
    MC_ROLE_DESK,       /* desk officer (tiếp nhận) */
    MC_ROLE_SPECIALIST, /* chuyên viên */
    MC_ROLE_LEADER,     /* unit leader (lãnh đạo) */
    MC_ROLE_INSPECTOR,
    MC_ROLE_ADMIN,
    MC_ROLE_PARTNER,    /* partner system, e.g. the national portal */
    MC_ROLE_SYSTEM      /* background jobs */
};

#define MC_UNIT_PATH_MAX 192

struct mc_actor {
    int64_t account_id;               /* 0 for anonymous/system */
    enum mc_role role;
    int64_t unit_id;                  /* 0 when none (citizens) */
    char unit_path[MC_UNIT_PATH_MAX]; /* '/1/5/27/' or "" */
    char username[64];
};

/* Role name as stored ("citizen", "desk", ...); "none" for NONE. */
const char *mc_role_name(enum mc_role r);
/* Parse a stored role name; MC_ROLE_NONE if unknown. */
enum mc_role mc_role_parse(const char *s);
/* Vietnamese display name of a role. */
const char *mc_role_label_vi(enum mc_role r);

/* 1 if role is an official working in a unit (desk..admin). */
int mc_role_is_official(enum mc_role r);

/*
 * 1 if the actor may see/act on records of the unit whose path is
 * unit_path: admins and system everywhere; officials and inspectors within
 * their subtree (path prefix).
 */
int mc_actor_covers(const struct mc_actor *a, const char *unit_path);

#endif
