/*
 * calendar.h - the working-day calendar and legal deadlines.
 *
 * A calendar is built from a specification (struct mc_cal_spec): statutory
 * rules with effective dates (weekly rest days, solar and lunar holidays,
 * the Art.111.3 carry-over) and announced days (the Prime Minister's
 * yearly Tết/National Day spans, swapped working Saturdays). Building
 * resolves every day 1800-01-01..2199-12-31 once and stores prefix counts
 * of working days, so adding N working days and counting working days
 * between two dates are O(1).
 *
 * Resolution of one day, first match wins:
 *   1. an announced day (work / off / holiday / compensatory);
 *   2. a statutory holiday (rule days, or the announced holiday days of
 *      that code and year, which replace the rule days of that year);
 *   3. a compensatory day (nghỉ bù): a carry-over holiday on a weekly rest
 *      day gives the next day that is a weekday, not a holiday, not
 *      announced and not already compensatory;
 *   4. a weekly rest day; 5. otherwise a working day.
 *
 * A built struct mc_calendar is immutable and may be shared by threads.
 * Deadlines follow the Civil Code 2015 Art.147-148 (the day of receipt is
 * not counted; the period ends at 24:00 of its last day, reported as
 * 23:59:59 local), NĐ 61/2018 Art.18 (paper after 15:00 counts from the
 * next working day), NĐ 61 Art.19.4 / QĐ 766 for supplement pauses.
 */
#ifndef MC_DOMAIN_CALENDAR_H
#define MC_DOMAIN_CALENDAR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/buf.h"
#include "util/err.h"

#define MC_CAL_CODE_MAX 24
#define MC_CAL_TEXT_MAX 200
#define MC_CAL_OPEN INT32_MAX /* valid_to of a rule still in force */

/* ---- specification ---- */

enum mc_rule_kind {
    MC_RULE_WEEKEND = 1, /* weekly rest days (weekdays mask) */
    MC_RULE_CARRY,       /* nghỉ bù in force for holidays in [from, to] */
    MC_RULE_SOLAR,       /* holiday at solar month/mday + offset */
    MC_RULE_LUNAR,       /* holiday at lunar month/mday + offset (UTC+7) */
    MC_RULE_ADJACENT     /* the bridge day next to a solar month/mday */
};

struct mc_cal_rule {
    char code[MC_CAL_CODE_MAX]; /* [A-Z0-9_]+, e.g. "TET" */
    enum mc_rule_kind kind;
    char name[MC_CAL_TEXT_MAX]; /* Vietnamese display name */
    int month, mday;            /* anchor (holidays) */
    int offset;                 /* first day = anchor + offset */
    int ndays;                  /* consecutive days, >= 1 (holidays) */
    unsigned weekdays;          /* WEEKEND: bit (1u << iso_weekday) */
    int carry_over;             /* holiday gets nghỉ bù on rest days */
    int32_t valid_from;         /* anchors in [valid_from, valid_to] */
    int32_t valid_to;           /* MC_CAL_OPEN when still in force */
    char basis[MC_CAL_TEXT_MAX];
    char confidence[16];        /* V, T or U (see the data files) */
};

enum mc_ann_kind {
    MC_ANN_HOLIDAY = 1,  /* a day of holiday `code` fixed for that year */
    MC_ANN_COMPENSATORY, /* an explicitly placed nghỉ bù for `code` */
    MC_ANN_OFF,          /* extra day off (swap) */
    MC_ANN_WORK          /* working day (swapped Saturday) */
};

struct mc_cal_ann {
    int32_t day;
    enum mc_ann_kind kind;
    char code[MC_CAL_CODE_MAX]; /* HOLIDAY/COMPENSATORY: holiday code */
    char reason[MC_CAL_TEXT_MAX];
    char basis[MC_CAL_TEXT_MAX];
};

struct mc_cal_spec {
    struct mc_cal_rule *rules; /* owned */
    int nrules, caprules;
    struct mc_cal_ann *anns; /* owned, sorted by day, one per day */
    int nanns, capanns;
};

void mc_cal_spec_init(struct mc_cal_spec *s);
void mc_cal_spec_release(struct mc_cal_spec *s);
/* Deep copy of src into an initialised, empty dst. MC_ENOMEM. */
int mc_cal_spec_copy(struct mc_cal_spec *dst, const struct mc_cal_spec *src,
                     struct mc_err *err) MC_WUR;
/* Append a copy of *r (borrowed) after validating it. MC_EINVAL. */
int mc_cal_spec_add_rule(struct mc_cal_spec *s, const struct mc_cal_rule *r,
                         struct mc_err *err) MC_WUR;
/* Put a copy of *a (borrowed), replacing the row of the same day. */
int mc_cal_spec_set_ann(struct mc_cal_spec *s, const struct mc_cal_ann *a,
                        struct mc_err *err) MC_WUR;
/* Remove the row of `day`; MC_ENOTFOUND if there is none. */
int mc_cal_spec_clear_ann(struct mc_cal_spec *s, int32_t day,
                          struct mc_err *err) MC_WUR;
/* The row of `day` (borrowed from s) or NULL. */
const struct mc_cal_ann *mc_cal_spec_find_ann(const struct mc_cal_spec *s,
                                              int32_t day);

/*
 * Parse a rules CSV (columns of data/calendar/rules.csv, by header name)
 * and append its rows to s. data[0..len) borrowed. MC_EINVAL with the
 * line in err.
 */
int mc_cal_spec_parse_rules(struct mc_cal_spec *s, const char *data,
                            size_t len, struct mc_err *err) MC_WUR;
/*
 * Parse an announcements CSV (date,kind,code,reason,basis[,source]) and
 * put its rows into s (a later row for a date replaces an earlier one).
 * Rows whose `source` column says "rule" (days exported from the rules,
 * see mc_calendar_export_csv) are skipped. Text is NFC-normalised.
 * *nrows (may be NULL) receives the number of rows put.
 */
int mc_cal_spec_parse_anns(struct mc_cal_spec *s, const char *data,
                           size_t len, int *nrows, struct mc_err *err) MC_WUR;
/*
 * Parse iCalendar text: every all-day VEVENT (DTSTART;VALUE=DATE, DTEND
 * exclusive, at most 31 days) becomes announcement rows. The kind comes
 * from X-MOTCUA-KIND (default "off"), the code from X-MOTCUA-CODE, the
 * reason from SUMMARY, the basis from DESCRIPTION; events with
 * X-MOTCUA-SOURCE:rule are skipped. *nrows as above.
 */
int mc_cal_spec_parse_ics(struct mc_cal_spec *s, const char *data,
                          size_t len, int *nrows, struct mc_err *err) MC_WUR;
/* The shipped rules and announcements (embedded data/calendar/ CSVs). */
int mc_cal_spec_builtin(struct mc_cal_spec *s, struct mc_err *err) MC_WUR;

/* Names of kinds as stored ("weekend", "holiday", ...); NULL if bad. */
const char *mc_rule_kind_name(enum mc_rule_kind k);
int mc_rule_kind_parse(const char *s, enum mc_rule_kind *k) MC_WUR;
const char *mc_ann_kind_name(enum mc_ann_kind k);
int mc_ann_kind_parse(const char *s, enum mc_ann_kind *k) MC_WUR;

/* ---- the built calendar ---- */

struct mc_calendar; /* immutable once built; safe to share between threads */

/*
 * Build a calendar from spec (borrowed; copied). version and
 * effective_from label it (0 for the built-in calendar). *out owned by
 * the caller (mc_calendar_free). MC_EINVAL if the spec is inconsistent,
 * MC_ENOMEM.
 */
int mc_calendar_build(const struct mc_cal_spec *spec, int version,
                      int64_t effective_from, struct mc_calendar **out,
                      struct mc_err *err) MC_WUR;
/* Statutory rules + shipped announcements, version 0. */
int mc_calendar_builtin(struct mc_calendar **out, struct mc_err *err) MC_WUR;
void mc_calendar_free(struct mc_calendar *cal);
/* Version number (0 = built-in) and its effective instant. */
int mc_calendar_version(const struct mc_calendar *cal);
int64_t mc_calendar_effective_from(const struct mc_calendar *cal);
/* The specification it was built from (borrowed from cal). */
const struct mc_cal_spec *mc_calendar_spec(const struct mc_calendar *cal);
/* First and last day the calendar resolves (1800-01-01, 2199-12-31). */
int32_t mc_calendar_first_day(const struct mc_calendar *cal);
int32_t mc_calendar_last_day(const struct mc_calendar *cal);

enum mc_day_kind {
    MC_DAY_WORK = 0,     /* ordinary working day */
    MC_DAY_SWAP_WORK,    /* announced working day (swapped Saturday) */
    MC_DAY_WEEKEND,      /* weekly rest day */
    MC_DAY_HOLIDAY,      /* statutory holiday */
    MC_DAY_COMPENSATORY, /* nghỉ bù */
    MC_DAY_OFF           /* announced day off (swap) */
};

struct mc_day_info {
    enum mc_day_kind kind;
    int working;        /* 1 for MC_DAY_WORK and MC_DAY_SWAP_WORK */
    int announced;      /* 1 if it comes from an announcement row */
    const char *code;   /* holiday code or "" (borrowed from cal) */
    const char *reason; /* display text, "" for ordinary days */
    const char *basis;  /* legal basis, "" when none */
};

/* Name of a day kind ("work", "swap_work", "weekend", ...). */
const char *mc_day_kind_name(enum mc_day_kind k);

/* Describe `day`. MC_EINVAL outside the calendar's range. */
int mc_calendar_day(const struct mc_calendar *cal, int32_t day,
                    struct mc_day_info *out) MC_WUR;

/*
 * 1 if `day` is a working day, else 0 (also outside the range). *reason
 * (reason may be NULL) receives the display reason of a day off or of a
 * swapped working day, NULL for an ordinary working day; borrowed from
 * cal.
 */
int mc_calendar_is_workday(const struct mc_calendar *cal, int32_t day,
                           const char **reason);

/*
 * The n-th working day after `day` (n > 0), the n-th before it (n < 0),
 * or for n == 0 `day` itself if working, else the next working day.
 * O(1). MC_EINVAL when day or the result is outside the range.
 */
int mc_calendar_add_days(const struct mc_calendar *cal, int32_t day, int n,
                         int32_t *out) MC_WUR;

/*
 * Working days in (a, b]: strictly after a, up to and including b
 * (negative, -(working days in (b, a]), when b < a). O(1). MC_EINVAL
 * outside the range.
 */
int mc_calendar_between(const struct mc_calendar *cal, int32_t a, int32_t b,
                        int *out) MC_WUR;

/*
 * Compare two calendars day by day on [from, to] (clamped to the range).
 * Returns 1 when some day's working status differs, with the first and
 * last such days in *first / *last (either may be NULL), else 0.
 */
int mc_calendar_diff(const struct mc_calendar *a, const struct mc_calendar *b,
                     int32_t from, int32_t to, int32_t *first,
                     int32_t *last);

/* ---- working hours ---- */

#define MC_WH_SPANS 4

struct mc_workspan {
    int16_t from, to; /* minutes after local midnight, from < to */
};

/*
 * Working hours per ISO weekday [1..7]; [0] holds the hours of a working
 * day whose weekday has none (a swapped working Saturday).
 */
struct mc_workhours {
    int nspans[8];
    struct mc_workspan span[8][MC_WH_SPANS];
};

/* Mon-Fri 08:00-12:00 and 13:00-17:00; swapped days like Monday. */
void mc_workhours_default(struct mc_workhours *wh);
/*
 * Parse "1-5=08:00-12:00,13:00-17:00;6=08:00-11:30;0=..." (weekday keys
 * 0..7 or ranges; absent weekdays have no hours; absent 0 copies Monday).
 * Spans must be sorted, non-overlapping, within the day. MC_EINVAL.
 */
int mc_workhours_parse(const char *s, struct mc_workhours *wh,
                       struct mc_err *err) MC_WUR;
/* Canonical text of wh into out (>= 256 bytes advised). */
void mc_workhours_format(const struct mc_workhours *wh, char *out,
                         size_t outsz);

/* ---- deadlines ---- */

enum mc_limit_unit {
    MC_LIMIT_WORKDAYS,
    MC_LIMIT_HALFDAYS, /* 4 working hours each */
    MC_LIMIT_WORKHOURS,
    MC_LIMIT_SAMEDAY
};
enum mc_pause_policy {
    MC_PAUSE_RESTART, /* NĐ 61 Art.19.4: restart from zero on completion */
    MC_PAUSE_SUBTRACT /* QĐ 766: the waiting time is not counted */
};

/* "workdays", "halfdays", "workhours", "sameday" (as in the catalog). */
const char *mc_limit_unit_name(enum mc_limit_unit u);
int mc_limit_unit_parse(const char *s, enum mc_limit_unit *u) MC_WUR;
/* "restart", "subtract". */
const char *mc_pause_policy_name(enum mc_pause_policy p);
int mc_pause_policy_parse(const char *s, enum mc_pause_policy *p) MC_WUR;

struct mc_pause {
    int64_t from, to; /* instants; to = 0 while still open */
};

struct mc_deadline_req {
    int64_t start; /* receipt instant */
    int n;         /* limit, 0..100000 (ignored for MC_LIMIT_SAMEDAY) */
    enum mc_limit_unit unit;
    int paper;     /* 1: paper/counter dossier, the 15:00 cut-off applies */
    const struct mc_workhours *hours; /* NULL = default (borrowed) */
    enum mc_pause_policy policy;
    const struct mc_pause *pauses; /* sorted, disjoint, from >= start;
                                      only the last may be open (borrowed) */
    int npauses;
    const char *basis; /* legal basis text, e.g. "1.001612 v1" (borrowed) */
};

struct mc_deadline {
    int64_t due;          /* 23:59:59 local of the last day (day units) or
                             the instant the last working hour ends; 0
                             while an open pause stops the clock */
    int32_t due_day;      /* local day of due (0 when paused) */
    int64_t clock_start;  /* receipt, or end of the last pause (restart) */
    int32_t counted_from; /* first day that counts */
    int cutoff;           /* 1 if the 15:00 cut-off moved the start */
    int paused;           /* 1 if the last pause is still open */
    int pause_days;       /* subtract, day units: working days added */
    int64_t pause_secs;   /* subtract, hour units: working time added */
    int calendar_version;
};

/*
 * Compute the deadline of req (borrowed) into *out. When provenance is
 * not NULL, *provenance receives a new JSON object (caller owns the
 * reference) describing how: start, limit and unit, basis, calendar
 * version, cut-off, pauses, and every skipped day with its reason.
 * MC_EINVAL on a bad request or a result outside the calendar.
 */
int mc_calendar_deadline(const struct mc_calendar *cal,
                         const struct mc_deadline_req *req,
                         struct mc_deadline *out, json_t **provenance,
                         struct mc_err *err) MC_WUR;

/*
 * The same, with the provenance written as compact JSON text into
 * provenance (borrowed, appended to; NULL: none) without a jansson tree:
 * the bytes mc_json_dump writes for mc_calendar_deadline's object (which
 * is this text, parsed). The receive transition stores it as it is.
 */
int mc_calendar_deadline_text(const struct mc_calendar *cal,
                              const struct mc_deadline_req *req,
                              struct mc_deadline *out,
                              struct mc_buf *provenance,
                              struct mc_err *err) MC_WUR;

/*
 * Working seconds in [a, b) under wh (NULL = default); 0 when b <= a.
 * Days outside the calendar count as days off.
 */
int64_t mc_calendar_work_seconds(const struct mc_calendar *cal,
                                 const struct mc_workhours *wh, int64_t a,
                                 int64_t b);

/*
 * The earliest instant t >= start with secs working seconds in
 * [start, t) under wh (NULL = default). MC_EINVAL outside the range.
 */
int mc_calendar_add_work(const struct mc_calendar *cal,
                         const struct mc_workhours *wh, int64_t start,
                         int64_t secs, int64_t *out) MC_WUR;

/*
 * Whether moving from calendar old_cal to new_cal changes the deadline of
 * req: computes both; *changed = 1 when due or paused differ. *out (may
 * be NULL) receives the deadline under new_cal. All pointers borrowed.
 */
int mc_calendar_deadline_changed(const struct mc_calendar *old_cal,
                                 const struct mc_calendar *new_cal,
                                 const struct mc_deadline_req *req,
                                 int *changed, struct mc_deadline *out,
                                 struct mc_err *err) MC_WUR;

/* ---- import / export ---- */

/*
 * Append the exceptions of solar years [y0, y1] as CSV
 * (date,kind,code,reason,basis,source): holidays, compensatory days,
 * announced days off and working days; plain weekends are left out.
 * source is "rule" or "announcement". MC_ETOOBIG when b is full.
 */
int mc_calendar_export_csv(const struct mc_calendar *cal, int y0, int y1,
                           struct mc_buf *b) MC_WUR;
/* The announcement rows only (the editable table), as CSV. */
int mc_calendar_export_anns_csv(const struct mc_calendar *cal,
                                struct mc_buf *b) MC_WUR;
/* The rules as CSV in the data/calendar/rules.csv columns. */
int mc_calendar_export_rules_csv(const struct mc_calendar *cal,
                                 struct mc_buf *b) MC_WUR;
/*
 * The same days as mc_calendar_export_csv (y0 > y1: the announcement
 * rows only) as an iCalendar VCALENDAR of all-day events; stamp is the
 * DTSTAMP instant.
 */
int mc_calendar_export_ics(const struct mc_calendar *cal, int y0, int y1,
                           int64_t stamp, struct mc_buf *b) MC_WUR;

/* ---- database (tables of migration 002_calendar) ---- */

/*
 * The current calendar version from db (borrowed). MC_ENOTFOUND
 * ("calendar_not_seeded") when the tables hold no version yet.
 */
int mc_calendar_load(struct mc_db *db, struct mc_calendar **out,
                     struct mc_err *err) MC_WUR;
/*
 * The number of the current calendar version in db (*version), to tell
 * whether a loaded calendar is stale (another instance changed it).
 */
int mc_calendar_latest_version(struct mc_db *db, int *version,
                               struct mc_err *err) MC_WUR;
/* A given (possibly superseded) version. MC_ENOTFOUND if unknown. */
int mc_calendar_load_version(struct mc_db *db, int version,
                             struct mc_calendar **out,
                             struct mc_err *err) MC_WUR;
/*
 * Write function (mc_writer_run): seed version 1 from the built-in rules
 * and announcements when the tables are empty; no-op otherwise. ctx is
 * ignored (may be NULL).
 */
int mc_calendar_seed(struct mc_db *db, void *ctx, struct mc_err *err) MC_WUR;

struct mc_calendar_change {
    const struct mc_cal_ann *set; /* rows to put (replace the same day) */
    int nset;
    const int32_t *clear;         /* days whose announcement is removed */
    int nclear;
    const struct mc_cal_spec *rules; /* non-NULL: replaces all rules */
    const char *note;             /* what changed (borrowed) */
    int64_t effective_from;       /* 0 = now */
    int64_t actor_id;             /* 0 = system */
    int version;                  /* out: the new version */
};

/*
 * Write function (mc_writer_run), ctx = struct mc_calendar_change *:
 * seeds if needed, applies the change to the current version, checks that
 * the result builds, and stores it as a new version. MC_EINVAL for an
 * empty or inconsistent change, MC_ENOTFOUND for clearing a day that has
 * no announcement.
 */
int mc_calendar_change_apply(struct mc_db *db, void *ctx,
                             struct mc_err *err) MC_WUR;

/*
 * Working hours of a unit into *wh: its unit_workhours row, or the
 * default when it has none. MC_EDB, or MC_EINVAL for a corrupt row.
 */
int mc_calendar_unit_hours(struct mc_db *db, int64_t unit_id,
                           struct mc_workhours *wh,
                           struct mc_err *err) MC_WUR;

struct mc_workhours_change {
    int64_t unit_id;
    const char *spec; /* mc_workhours_parse syntax (borrowed) */
};

/*
 * Write function (mc_writer_run), ctx = struct mc_workhours_change *:
 * validate spec and store it, canonicalised, as the unit's hours.
 */
int mc_calendar_set_unit_hours(struct mc_db *db, void *ctx,
                               struct mc_err *err) MC_WUR;

#endif
