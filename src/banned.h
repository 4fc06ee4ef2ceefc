/*
 * banned.h - force-included in every translation unit (-include).
 * Unsafe libc functions become compile errors (idea from git's banned.h).
 */
#ifndef MC_BANNED_H
#define MC_BANNED_H

/* Declare the real functions first so their prototypes (and glibc's
 * inline definitions) are seen before the macros below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MC_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) MC_BANNED(strcpy)
#undef strcat
#define strcat(x, y) MC_BANNED(strcat)
#undef sprintf
#define sprintf(...) MC_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) MC_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) MC_BANNED(strtok)
#undef gmtime
#define gmtime(x) MC_BANNED(gmtime)
#undef localtime
#define localtime(x) MC_BANNED(localtime)
#undef atoi
#define atoi(x) MC_BANNED(atoi)
#undef gets
#define gets(x) MC_BANNED(gets)

#endif
