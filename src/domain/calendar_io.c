/*
 * calendar_io.c - CSV and iCalendar (RFC 5545) import and export of the
 * working calendar.
 *
 * Export writes the exceptions of a span of years (holidays, nghỉ bù,
 * announced days off and working days, each tagged with its source) or
 * the editable tables themselves. Import reads announcement rows only:
 * rule-derived rows (source "rule") are skipped because the rules in force
 * produce them, so an export can be imported into another database
 * without freezing that database's rules.
 */
#include <stdio.h>
#include <string.h>

#include "domain/calendar_int.h"
#include "util/arena.h"
#include "util/csv.h"
#include "util/mctime.h"
#include "util/text.h"

#define ICS_MAX_EVENT_DAYS 31

static const char *
ann_kind_of_day(const struct mc_cal_dayinfo *x)
{
    switch (x->kind) {
    case MC_DAY_HOLIDAY:
        return "holiday";
    case MC_DAY_COMPENSATORY:
        return "compensatory";
    case MC_DAY_OFF:
        return "off";
    case MC_DAY_SWAP_WORK:
        return "work";
    default:
        return NULL;
    }
}

static int
csv_row(struct mc_buf *b, const char *const *f, int n)
{
    int rc = MC_OK;

    for (int i = 0; i < n && rc == MC_OK; i++) {
        if (i > 0) {
            rc = mc_buf_addc(b, ',');
        }
        if (rc == MC_OK) {
            rc = mc_csv_put(b, f[i]);
        }
    }
    return rc == MC_OK ? mc_buf_addc(b, '\n') : rc;
}

static void
year_span(const struct mc_calendar *cal, int y0, int y1, int32_t *a,
          int32_t *z)
{
    *a = y0 < 1800 ? cal->first : mc_days_from_civil(y0, 1, 1);
    *z = y1 > 2199 ? cal->last : mc_days_from_civil(y1, 12, 31);
    if (*a < cal->first) {
        *a = cal->first;
    }
    if (*z > cal->last) {
        *z = cal->last;
    }
}

int
mc_calendar_export_csv(const struct mc_calendar *cal, int y0, int y1,
                       struct mc_buf *b)
{
    static const char *const hdr[] = {"date",   "kind",  "code",
                                      "reason", "basis", "source"};
    int32_t a, z;
    int rc = csv_row(b, hdr, 6);

    year_span(cal, y0, y1, &a, &z);
    for (int32_t d = a; d <= z && rc == MC_OK; d++) {
        const struct mc_cal_dayinfo *x = &cal->infos[cal->info[d - cal->first]];
        const char *kind = ann_kind_of_day(x);
        const char *f[6];
        char date[16];

        if (kind == NULL) {
            continue;
        }
        mc_fmt_date(d, date, sizeof(date));
        f[0] = date;
        f[1] = kind;
        f[2] = x->code;
        f[3] = x->reason;
        f[4] = x->basis;
        f[5] = x->announced ? "announcement" : "rule";
        rc = csv_row(b, f, 6);
    }
    return rc;
}

int
mc_calendar_export_anns_csv(const struct mc_calendar *cal, struct mc_buf *b)
{
    static const char *const hdr[] = {"date", "kind", "code", "reason",
                                      "basis"};
    int rc = csv_row(b, hdr, 5);

    for (int i = 0; i < cal->spec.nanns && rc == MC_OK; i++) {
        const struct mc_cal_ann *x = &cal->spec.anns[i];
        char date[16];
        const char *f[5];

        mc_fmt_date(x->day, date, sizeof(date));
        f[0] = date;
        f[1] = mc_ann_kind_name(x->kind);
        f[2] = x->code;
        f[3] = x->reason;
        f[4] = x->basis;
        rc = csv_row(b, f, 5);
    }
    return rc;
}

int
mc_calendar_export_rules_csv(const struct mc_calendar *cal, struct mc_buf *b)
{
    static const char *const hdr[] = {
        "code",     "kind",      "name_vi",    "month",     "day",
        "offset",   "days",      "weekdays",   "carry_over", "valid_from",
        "valid_to", "legal_basis", "confidence"};
    int rc = csv_row(b, hdr, 13);

    for (int i = 0; i < cal->spec.nrules && rc == MC_OK; i++) {
        const struct mc_cal_rule *r = &cal->spec.rules[i];
        int hol = r->kind >= MC_RULE_SOLAR;
        char m[8] = "", d[8] = "", off[8] = "", nd[8] = "", wd[16] = "";
        char from[16], to[16] = "";
        const char *f[13];
        size_t k = 0;

        if (hol) {
            snprintf(m, sizeof(m), "%d", r->month);
            snprintf(d, sizeof(d), "%d", r->mday);
            snprintf(off, sizeof(off), "%d", r->offset);
            snprintf(nd, sizeof(nd), "%d", r->ndays);
        }
        for (int w = 1; w <= 7; w++) {
            if (r->weekdays & (1u << w)) {
                k += (size_t)snprintf(wd + k, sizeof(wd) - k, "%s%d",
                                      k ? " " : "", w);
            }
        }
        mc_fmt_date(r->valid_from, from, sizeof(from));
        if (r->valid_to != MC_CAL_OPEN) {
            mc_fmt_date(r->valid_to, to, sizeof(to));
        }
        f[0] = r->code;
        f[1] = mc_rule_kind_name(r->kind);
        f[2] = r->name;
        f[3] = m;
        f[4] = d;
        f[5] = off;
        f[6] = nd;
        f[7] = wd;
        f[8] = r->carry_over ? "yes" : "no";
        f[9] = from;
        f[10] = to;
        f[11] = r->basis;
        f[12] = r->confidence;
        rc = csv_row(b, f, 13);
    }
    return rc;
}

/* ---- iCalendar export ---- */

/* Append "name:value" escaped and folded at 75 octets, plus CRLF. */
static int
ics_line(struct mc_buf *b, const char *name, const char *value, int text)
{
    char line[1600];
    size_t n = 0, col = 0;
    int rc;

    n = (size_t)snprintf(line, sizeof(line), "%s:", name);
    for (const char *p = value; *p && n < sizeof(line) - 3; p++) {
        if (text && (*p == '\\' || *p == ';' || *p == ',')) {
            line[n++] = '\\';
            line[n++] = *p;
        } else if (text && *p == '\n') {
            line[n++] = '\\';
            line[n++] = 'n';
        } else if ((unsigned char)*p >= 0x20 || *p == '\t') {
            line[n++] = *p;
        }
    }
    for (size_t i = 0; i < n; i++) {
        /* fold before 75 octets, never inside a UTF-8 sequence */
        if (col >= 74 && ((unsigned char)line[i] & 0xC0) != 0x80) {
            if ((rc = mc_buf_add(b, "\r\n ", 3)) != MC_OK) {
                return rc;
            }
            col = 1;
        }
        if ((rc = mc_buf_addc(b, line[i])) != MC_OK) {
            return rc;
        }
        col++;
    }
    return mc_buf_add(b, "\r\n", 2);
}

static void
ics_date(int32_t d, char *out, size_t sz)
{
    int y, m, dd;

    mc_civil_from_days(d, &y, &m, &dd);
    snprintf(out, sz, "%04d%02d%02d", y, m, dd);
}

static int
ics_event(struct mc_buf *b, int32_t d, const char *kind, const char *code,
          const char *reason, const char *basis, const char *source,
          const char *stamp)
{
    char s[16], e[16], uid[64];
    int rc;

    ics_date(d, s, sizeof(s));
    ics_date(d + 1, e, sizeof(e));
    snprintf(uid, sizeof(uid), "%s-%s@motcua", s, kind);
    if ((rc = mc_buf_adds(b, "BEGIN:VEVENT\r\n")) != MC_OK ||
        (rc = ics_line(b, "UID", uid, 0)) != MC_OK ||
        (rc = ics_line(b, "DTSTAMP", stamp, 0)) != MC_OK ||
        (rc = ics_line(b, "DTSTART;VALUE=DATE", s, 0)) != MC_OK ||
        (rc = ics_line(b, "DTEND;VALUE=DATE", e, 0)) != MC_OK ||
        (rc = ics_line(b, "SUMMARY", reason, 1)) != MC_OK ||
        (*basis && (rc = ics_line(b, "DESCRIPTION", basis, 1)) != MC_OK) ||
        (rc = ics_line(b, "CATEGORIES", kind, 1)) != MC_OK ||
        (rc = ics_line(b, "TRANSP",
                       strcmp(kind, "work") == 0 ? "OPAQUE" : "TRANSPARENT",
                       0)) != MC_OK ||
        (rc = ics_line(b, "X-MOTCUA-KIND", kind, 1)) != MC_OK ||
        (*code && (rc = ics_line(b, "X-MOTCUA-CODE", code, 1)) != MC_OK) ||
        (rc = ics_line(b, "X-MOTCUA-SOURCE", source, 1)) != MC_OK) {
        return rc;
    }
    return mc_buf_adds(b, "END:VEVENT\r\n");
}

int
mc_calendar_export_ics(const struct mc_calendar *cal, int y0, int y1,
                       int64_t stamp, struct mc_buf *b)
{
    char st[32], name[80];
    /* DTSTAMP is UTC: undo the +7 h that mc_local_* apply */
    int32_t a, z, day = mc_local_day(stamp - MC_TZ_OFFSET);
    int y, m, d, s = mc_local_secs(stamp - MC_TZ_OFFSET), rc;

    mc_civil_from_days(day, &y, &m, &d);
    snprintf(st, sizeof(st), "%04d%02d%02dT%02d%02d%02dZ", y, m, d, s / 3600,
             s / 60 % 60, s % 60);
    snprintf(name, sizeof(name), "motcua - lịch làm việc (phiên bản %d)",
             cal->version);
    if ((rc = mc_buf_adds(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")) !=
            MC_OK ||
        (rc = ics_line(b, "PRODID", "-//motcua//working calendar//VI", 0)) !=
            MC_OK ||
        (rc = mc_buf_adds(b, "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n")) !=
            MC_OK ||
        (rc = ics_line(b, "X-WR-CALNAME", name, 1)) != MC_OK) {
        return rc;
    }
    if (y0 > y1) {
        for (int i = 0; i < cal->spec.nanns && rc == MC_OK; i++) {
            const struct mc_cal_ann *x = &cal->spec.anns[i];
            rc = ics_event(b, x->day, mc_ann_kind_name(x->kind), x->code,
                           x->reason, x->basis, "announcement", st);
        }
    } else {
        year_span(cal, y0, y1, &a, &z);
        for (int32_t dd = a; dd <= z && rc == MC_OK; dd++) {
            const struct mc_cal_dayinfo *x =
                &cal->infos[cal->info[dd - cal->first]];
            const char *kind = ann_kind_of_day(x);
            if (kind != NULL) {
                rc = ics_event(b, dd, kind, x->code, x->reason, x->basis,
                               x->announced ? "announcement" : "rule", st);
            }
        }
    }
    return rc == MC_OK ? mc_buf_adds(b, "END:VCALENDAR\r\n") : rc;
}

/* ---- iCalendar import ---- */

struct ics_event {
    int32_t start, end; /* end exclusive; 0 = unset */
    int have_start, have_end, timed;
    char kind[24], code[MC_CAL_CODE_MAX], source[24];
    char reason[MC_CAL_TEXT_MAX], basis[MC_CAL_TEXT_MAX];
};

/* Unescape RFC 5545 TEXT into out; -1 if it does not fit. */
static int
ics_unescape(const char *v, char *out, size_t outsz)
{
    size_t n = 0;

    for (; *v; v++) {
        char c = *v;
        if (c == '\\' && v[1] != '\0') {
            c = *++v;
            if (c == 'n' || c == 'N') {
                c = '\n';
            }
        }
        if (n + 1 >= outsz) {
            return -1;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    return 0;
}

static int
ics_parse_date(const char *v, int32_t *d, int *timed)
{
    char iso[11];

    if (strlen(v) < 8) {
        return -1;
    }
    for (int i = 0; i < 8; i++) {
        if (v[i] < '0' || v[i] > '9') {
            return -1;
        }
    }
    *timed = v[8] != '\0';
    snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", v, v + 4, v + 6);
    return mc_parse_date(iso, d);
}

static int
ics_prop(struct ics_event *ev, const char *name, const char *value)
{
    int t = 0;

    if (strcmp(name, "DTSTART") == 0) {
        ev->have_start = 1;
        if (ics_parse_date(value, &ev->start, &t) != 0) {
            return -1;
        }
        ev->timed |= t;
    } else if (strcmp(name, "DTEND") == 0) {
        ev->have_end = 1;
        if (ics_parse_date(value, &ev->end, &t) != 0) {
            return -1;
        }
        ev->timed |= t;
    } else if (strcmp(name, "SUMMARY") == 0) {
        return ics_unescape(value, ev->reason, sizeof(ev->reason));
    } else if (strcmp(name, "DESCRIPTION") == 0) {
        return ics_unescape(value, ev->basis, sizeof(ev->basis));
    } else if (strcmp(name, "X-MOTCUA-KIND") == 0) {
        return ics_unescape(value, ev->kind, sizeof(ev->kind));
    } else if (strcmp(name, "X-MOTCUA-CODE") == 0) {
        return ics_unescape(value, ev->code, sizeof(ev->code));
    } else if (strcmp(name, "X-MOTCUA-SOURCE") == 0) {
        return ics_unescape(value, ev->source, sizeof(ev->source));
    }
    return 0;
}

static int
ics_flush(struct mc_cal_spec *s, struct ics_event *ev, struct mc_arena *a,
          int *n, long line, struct mc_err *err)
{
    struct mc_cal_ann x;
    int32_t end;
    char *r, *bs;

    if (strcmp(ev->source, "rule") == 0) {
        return MC_OK;
    }
    if (!ev->have_start || ev->timed) {
        return mc_err_set(err, MC_EINVAL, 422, "bad_ics", NULL,
                          "line %ld: only all-day events (DTSTART;VALUE="
                          "DATE) can be imported", line);
    }
    end = ev->have_end ? ev->end : ev->start + 1;
    if (end <= ev->start || end - ev->start > ICS_MAX_EVENT_DAYS) {
        return mc_err_set(err, MC_EINVAL, 422, "bad_ics", NULL,
                          "line %ld: an event must last 1..%d days", line,
                          ICS_MAX_EVENT_DAYS);
    }
    memset(&x, 0, sizeof(x));
    r = mc_utf8_nfc(a, ev->reason[0] ? ev->reason : "Ngày nghỉ");
    bs = mc_utf8_nfc(a, ev->basis);
    if (r == NULL || bs == NULL || strlen(r) >= sizeof(x.reason) ||
        strlen(bs) >= sizeof(x.basis) ||
        mc_ann_kind_parse(ev->kind[0] ? ev->kind : "off", &x.kind) != 0) {
        return mc_err_set(err, MC_EINVAL, 422, "bad_ics", NULL,
                          "line %ld: bad text or X-MOTCUA-KIND", line);
    }
    memcpy(x.reason, r, strlen(r) + 1);
    memcpy(x.basis, bs, strlen(bs) + 1);
    memcpy(x.code, ev->code, sizeof(x.code));
    for (int32_t d = ev->start; d < end; d++) {
        int rc;
        x.day = d;
        if ((rc = mc_cal_spec_set_ann(s, &x, err)) != MC_OK) {
            return rc;
        }
        (*n)++;
    }
    return MC_OK;
}

/* Next unfolded content line of [*p, end) into buf; 0 at end. */
static int
ics_next_line(const char **p, const char *end, char *buf, size_t bufsz,
              long *line)
{
    size_t n = 0;

    if (*p >= end) {
        return 0;
    }
    while (*p < end) {
        char c = **p;
        if (c == '\r' || c == '\n') {
            const char *q = *p + (c == '\r' && *p + 1 < end &&
                                  (*p)[1] == '\n' ? 2 : 1);
            (*line)++;
            *p = q;
            if (q < end && (*q == ' ' || *q == '\t')) {
                (*p)++; /* folded continuation */
                continue;
            }
            break;
        }
        if (n + 1 < bufsz) {
            buf[n++] = c;
        } else {
            return -1;
        }
        (*p)++;
    }
    buf[n] = '\0';
    return 1;
}

int
mc_cal_spec_parse_ics(struct mc_cal_spec *s, const char *data, size_t len,
                      int *nrows, struct mc_err *err)
{
    const char *p = data, *end = data + len;
    char buf[2048];
    struct ics_event ev;
    struct mc_arena a;
    int in_ev = 0, n = 0, k, rc = MC_OK, seen_cal = 0;
    long line = 1;

    mc_arena_init(&a, 0);
    while (rc == MC_OK && (k = ics_next_line(&p, end, buf, sizeof(buf),
                                             &line)) != 0) {
        char *colon, *semi, *name = buf;

        if (k < 0) {
            rc = mc_err_set(err, MC_EINVAL, 422, "bad_ics", NULL,
                            "line %ld: content line too long", line);
            break;
        }
        if ((colon = strchr(buf, ':')) == NULL) {
            continue;
        }
        *colon = '\0';
        semi = strchr(name, ';');
        if (semi != NULL) {
            *semi = '\0';
        }
        if (strcmp(name, "BEGIN") == 0 && strcmp(colon + 1, "VCALENDAR") ==
                                              0) {
            seen_cal = 1;
        } else if (strcmp(name, "BEGIN") == 0 &&
                   strcmp(colon + 1, "VEVENT") == 0) {
            memset(&ev, 0, sizeof(ev));
            in_ev = 1;
        } else if (strcmp(name, "END") == 0 &&
                   strcmp(colon + 1, "VEVENT") == 0 && in_ev) {
            in_ev = 0;
            rc = ics_flush(s, &ev, &a, &n, line, err);
        } else if (in_ev && ics_prop(&ev, name, colon + 1) != 0) {
            rc = mc_err_set(err, MC_EINVAL, 422, "bad_ics", NULL,
                            "line %ld: bad %s", line, name);
        }
    }
    if (rc == MC_OK && !seen_cal) {
        rc = mc_err_set(err, MC_EINVAL, 422, "bad_ics", NULL,
                        "not an iCalendar file (no BEGIN:VCALENDAR)");
    }
    mc_arena_release(&a);
    if (nrows != NULL) {
        *nrows = n;
    }
    return rc;
}
