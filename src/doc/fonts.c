/*
 * fonts.c - the fonts every PDF uses, set up once per process.
 *
 * Output must not depend on the host's font configuration: a private
 * fontconfig configuration holds only the Liberation fonts (Liberation
 * Serif is metric-compatible with Times New Roman, which official
 * documents use) from their Debian directory, or from MOTCUA_FONT_DIR, plus
 * DejaVu as a fallback for characters Liberation lacks. It has no rules
 * and no aliases, only the system and per-user cache locations so that
 * the caches fc-cache built at package install are reused.
 *
 * Thread model: the configuration is built once (pthread_once) and then
 * only read. pango font maps are not meant to be shared between threads,
 * so each thread gets its own, created on first use, bound to the shared
 * configuration and freed when the thread exits (pthread key destructor)
 * or on mc_pdf_thread_release.
 *
 * The fontconfig and pango-ft2 entry points are looked up at run time
 * (dlsym): both libraries are always loaded with pangocairo, but the build
 * links only pangocairo, pango and cairo; if they are missing, or the font
 * directory is, we fall back to the host's configuration with a warning
 * instead of failing.
 */
#include "doc/pdf.h"

#include <dlfcn.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "util/log.h"

#define DIR_LIBERATION2 "/usr/share/fonts/truetype/liberation2"
#define DIR_LIBERATION "/usr/share/fonts/truetype/liberation"
#define DIR_DEJAVU "/usr/share/fonts/truetype/dejavu"
/* A configuration with no fonts, no rules: just where caches live. */
#define FC_CACHES                                                             \
    "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM "                   \
    "\"urn:fontconfig:fonts.dtd\">\n<fontconfig>"                            \
    "<cachedir>/var/cache/fontconfig</cachedir>"                              \
    "<cachedir prefix=\"xdg\">fontconfig</cachedir></fontconfig>"

static pthread_once_t font_once = PTHREAD_ONCE_INIT;
static pthread_key_t fontmap_key;
static int fontmap_key_ok;
static FcConfig *font_config; /* private font set; NULL = host config */
static __typeof__(&pango_fc_font_map_set_config) fontmap_set_config;

static int
is_dir(const char *path)
{
    struct stat st;

    return path != NULL && path[0] != '\0' && stat(path, &st) == 0 &&
           S_ISDIR(st.st_mode);
}

static void
fontmap_free(void *fm)
{
    g_object_unref(fm);
}

static void
fonts_once(void)
{
    __typeof__(&FcConfigCreate) create;
    __typeof__(&FcConfigAppFontAddDir) add_dir;
    __typeof__(&FcConfigDestroy) destroy;
    __typeof__(&FcConfigParseAndLoadFromMemory) parse;
    __typeof__(&pango_fc_font_map_set_config) set_config;
    const char *env = getenv("MOTCUA_FONT_DIR");
    const char *dir = NULL;
    FcConfig *cfg;

    fontmap_key_ok = pthread_key_create(&fontmap_key, fontmap_free) == 0;
    if (env != NULL && env[0] != '\0' && !is_dir(env)) {
        mc_log_warn("doc: MOTCUA_FONT_DIR %s is not a directory", env);
    }
    if (is_dir(env)) {
        dir = env;
    } else if (is_dir(DIR_LIBERATION2)) {
        dir = DIR_LIBERATION2;
    } else if (is_dir(DIR_LIBERATION)) {
        dir = DIR_LIBERATION;
    }
    if (dir == NULL) {
        mc_log_warn("doc: no Liberation font directory (install "
                    "fonts-liberation2); using the host font config");
        return;
    }
    create = (__typeof__(create))dlsym(RTLD_DEFAULT, "FcConfigCreate");
    add_dir = (__typeof__(add_dir))dlsym(RTLD_DEFAULT,
                                         "FcConfigAppFontAddDir");
    destroy = (__typeof__(destroy))dlsym(RTLD_DEFAULT, "FcConfigDestroy");
    parse = (__typeof__(parse))dlsym(RTLD_DEFAULT,
                                     "FcConfigParseAndLoadFromMemory");
    set_config = (__typeof__(set_config))dlsym(
        RTLD_DEFAULT, "pango_fc_font_map_set_config");
    if (create == NULL || add_dir == NULL || destroy == NULL ||
        parse == NULL || set_config == NULL) {
        mc_log_warn("doc: fontconfig entry points not found; using the "
                    "host font config");
        return;
    }
    cfg = create();
    if (cfg == NULL) {
        mc_log_warn("doc: out of memory for fonts; using the host font "
                    "config");
        return;
    }
    /* Only cache locations: reuse the caches fc-cache built at install. */
    if (!parse(cfg, (const FcChar8 *)FC_CACHES, FcFalse)) {
        mc_log_warn("doc: fontconfig rejected the cache settings");
    }
    if (!add_dir(cfg, (const FcChar8 *)dir)) {
        mc_log_warn("doc: cannot load fonts from %s; using the host font "
                    "config", dir);
        destroy(cfg);
        return;
    }
    /* Wide-coverage fallback for characters Liberation lacks. */
    if (is_dir(DIR_DEJAVU) && !add_dir(cfg, (const FcChar8 *)DIR_DEJAVU)) {
        mc_log_warn("doc: cannot load fallback fonts from %s", DIR_DEJAVU);
    }
    font_config = cfg;
    fontmap_set_config = set_config;
}

int
mc_pdf_fonts_init(void)
{
    pthread_once(&font_once, fonts_once);
    return font_config != NULL;
}

void
mc_pdf_thread_release(void)
{
    PangoFontMap *fm;

    pthread_once(&font_once, fonts_once);
    if (!fontmap_key_ok) {
        return;
    }
    fm = pthread_getspecific(fontmap_key);
    if (fm != NULL) {
        pthread_setspecific(fontmap_key, NULL);
        g_object_unref(fm);
    }
}

PangoFontMap *
mc_pdf_thread_fontmap(void)
{
    PangoFontMap *fm;

    pthread_once(&font_once, fonts_once);
    if (!fontmap_key_ok) {
        return pango_cairo_font_map_get_default(); /* per-thread too */
    }
    fm = pthread_getspecific(fontmap_key);
    if (fm != NULL) {
        return fm;
    }
    fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (fm == NULL) {
        return NULL;
    }
    if (font_config != NULL) {
        /* A PangoCairoFcFontMap is a PangoFcFontMap. */
        fontmap_set_config((PangoFcFontMap *)fm, font_config);
    }
    if (pthread_setspecific(fontmap_key, fm) != 0) {
        g_object_unref(fm);
        return NULL;
    }
    return fm;
}
