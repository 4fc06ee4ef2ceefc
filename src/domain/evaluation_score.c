/*
 * evaluation_score.c - the pure formulas of TT 01/2018 (Điều 13-15) and
 * Decision 766 (BRIEF 2.3, 3; data/indicators_766.csv): the on-time rule,
 * criterion scores, bands and the linear points rule.
 */
#include <math.h>

#include "domain/evaluation.h"
#include "util/mctime.h"

int
mc_eval_on_time(const struct mc_eval_facts *f, int *early)
{
    int64_t end = f->finished_at, ref;
    int ok;

    if (early != NULL) {
        *early = 0;
    }
    if (f->supplements > 1) {
        return 0; /* a second supplement request makes it overdue */
    }
    if (f->reschedules > 0 && f->due_at != 0) {
        ref = f->due_at; /* the new appointment already allows the pauses */
    } else {
        ref = f->due_original != 0 ? f->due_original : f->due_at;
        end -= f->paused_seconds;
    }
    if (ref == 0) {
        return 1;
    }
    ok = end <= ref;
    if (ok && early != NULL) {
        *early = mc_local_day(end) < mc_local_day(ref);
    }
    return ok;
}

int64_t
mc_eval_processing_seconds(int64_t received_at, int64_t finished_at,
                           int64_t paused_seconds)
{
    int64_t s = finished_at - received_at - paused_seconds;

    return s > 0 ? s : 0;
}

double
mc_eval_round1(double v)
{
    /* the small bias absorbs binary representation (2.25 -> 2.3) */
    return v >= 0 ? floor(v * 10.0 + 0.5 + 1e-9) / 10.0
                  : -floor(-v * 10.0 + 0.5 + 1e-9) / 10.0;
}

int
mc_tt01_time_score(int64_t finished_at, int64_t due_at)
{
    if (due_at == 0) {
        return -1;
    }
    if (finished_at > due_at) {
        return 0;
    }
    return mc_local_day(finished_at) < mc_local_day(due_at) ? 2 : 1;
}

int
mc_tt01_contacts_score(int supplements)
{
    return supplements <= 0 ? 2 : supplements == 1 ? 1 : 0;
}

int
mc_tt01_feedback_score(int64_t on_time, int64_t total, int protracted)
{
    if (total <= 0) {
        return 2;
    }
    if (protracted) {
        return 0;
    }
    if (on_time >= total) {
        return 2;
    }
    /* >= 90% in integers: 10 * on_time >= 9 * total */
    return on_time * 10 >= total * 9 ? 1 : 0;
}

int
mc_tt01_online_score(int64_t online, int64_t total, int overdue_online)
{
    if (total <= 0) {
        return -1;
    }
    if (overdue_online) {
        return 0;
    }
    if (online * 100 >= total * 30) {
        return 2;
    }
    return online * 100 >= total * 15 ? 1 : 0;
}

int
mc_tt01_official_band(double score)
{
    double s = mc_eval_round1(score);

    return s >= 5.0 ? 0 : s >= 3.5 ? 1 : 2;
}

int
mc_tt01_unit_band(double score)
{
    double s = mc_eval_round1(score);

    if (s >= 15.0) {
        return 0;
    }
    if (s >= 12.0) {
        return 1;
    }
    if (s >= 9.0) {
        return 2;
    }
    return s >= 6.0 ? 3 : 4;
}

const char *
mc_tt01_unit_band_name(int band)
{
    static const char *const names[] = {"xuất sắc", "tốt", "khá",
                                        "trung bình", "yếu"};

    return band >= 0 && band <= 4 ? names[band] : "";
}

double
mc_766_points(int64_t num, int64_t den, double max, double threshold)
{
    double rate;

    if (den <= 0) {
        return -1.0;
    }
    rate = (double)num / (double)den;
    if (threshold <= 0 || rate >= threshold) {
        return max;
    }
    return rate * max / threshold;
}

double
mc_766_satisfaction_rate(int64_t overdue, int64_t complaints, int64_t total)
{
    double r;

    if (total <= 0) {
        return -1.0;
    }
    r = 1.0 - ((double)overdue + (double)complaints) / (double)total;
    return r < 0 ? 0 : r;
}
