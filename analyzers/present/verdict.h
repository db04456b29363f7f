#pragma once

// The verdict against a review (docs/gallery.md, "The verdict"): for each proposal the review made, what it expected
// and what the session measured, with one line saying whether the expectation was met; then PlanSight's own
// strategies beside them. It names no winner of its own: the ranking is present/ranking.h's (rankSession), and a
// row only says whether its strategy is that ranking's winner.
//
// The line of a row, one of:
//   "met (412.3 ms measured against 0.5-1.5 s expected, at scale 0.1)"
//   "missed (12.2 s measured against 2-4 s expected)"
//   "not measured (not in this session)", "not measured (failed)", "not measured (no deep-cursor workload from page
//   2 on in this session; it ran canonical)"
//   "not comparable (returned different rows)", "... (served stale rows)", "... (rows not checked)": the time is
//   shown, but a run without the baseline's rows is never "met"
//   "no time expected (the review said skip: caching is more flexible)"; PlanSight's own: "not in the review"
// Met and missed say what they rest on: the demo's scale when it is not production's (the review's times are for
// the production database), a busy machine, the workload when it is not the file's default, a cache's misses.

#include "present/expectations.h"
#include "session/results.h"

#include <QJsonArray>
#include <QList>
#include <QString>

namespace plansight {

enum class VerdictStatus {
    Met, // the median is within (or below) the expected range, with the baseline's rows
    Missed, // the median is above the expected range, with the baseline's rows
    NotComparable, // measured, but without the baseline's rows (different, stale, not checked, both empty)
    NotMeasured, // not in the session, not on the expectation's workload, failed, cancelled, skipped
    NoExpectedTime, // the review gave no time (it said skip)
    NotInReview, // PlanSight's own strategy
};
// "met", "missed", "not-comparable", "not-measured", "no-expected-time", "not-in-review"
QString toString(VerdictStatus s);

struct VerdictRow {
    QString proposal; // "P2"; empty for PlanSight's own strategies
    QString title; // the proposal's title, or the strategy's
    QString strategyId;
    // The review's expectation (empty texts and hasExpectedTime false when it gave none)
    bool hasExpectedTime = false;
    QString expectedText;
    double expectedLowMs = 0, expectedHighMs = 0;
    QString confidence, complexity, recommendation, reason;
    // What the session measured: the run compared (on the expectation's workload), or the strategy's first run when
    // it has none there (then workloadIsExpected is false and the status is NotMeasured).
    bool hasRun = false;
    QString workloadName; // Workload::label() of that run
    bool workloadIsExpected = false;
    bool workloadIsDefault = false; // ... and it is the file's default workload (canonical), page 1
    double p50Ms = -1; // -1: not measured
    SpeedUp speedup;
    Footprint footprint;
    QString missStrategy; // a cache's miss row and its median on the same workload (-1: not measured)
    double missP50Ms = -1;
    ResultCheck check = ResultCheck::NotChecked; // the run's result check (not-checked when there is no run)
    bool winner = false; // the run is its workload's winner by present/ranking.h
    VerdictStatus status = VerdictStatus::NotMeasured;
    QString line;
};

struct SessionVerdict {
    QString review; // "the Genonaut performance review"
    double scale = -1; // the demo's scale; -1 when the session is not on the demo or does not say
    QList<VerdictRow> rows; // the proposals in the file's order (one row per strategy), then PlanSight's own
    // One sentence on what the comparison rests on ("The review's times are for the production database; this
    // session ran at scale 0.1 of it: ..."); empty when there is nothing to add.
    QString caveat;
};

// The verdict of `session` against `expectations`. Never fails: what is missing is said in the lines. Expectations
// without proposals (an experiment, docs/experiments.md, answers no review) give no rows.
SessionVerdict buildVerdict(const SessionResult &session, const ReviewExpectations &expectations);
SessionVerdict buildVerdict(const SessionResult &session); // against builtinExpectations()

// The session document's "verdict" array (README.md, "JSON"): one object per row.
QJsonArray toJson(const SessionVerdict &verdict);

// The cells the front ends print, so that they read alike.
// "0.5-1.5 s (the review's words)"; "-" when none
QString verdictExpectedCell(const VerdictRow &row);
// "high / medium" (confidence / complexity), with "-" for a missing one; "-" when both are
QString verdictReviewCell(const VerdictRow &row);
// "412.3 ms" and, when the workload is not the file's default, " on deep-cursor (page 10)"; "-" when not measured
QString verdictMeasuredCell(const VerdictRow &row);

} // namespace plansight
