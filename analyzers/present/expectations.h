#pragma once

// What a review expected of each of its proposals, as data (docs/gallery.md, "The verdict"): the built-in file is
// resources/review/genonaut-review.json, compiled in; another review's file can be loaded in its place
// (`--expectations FILE`). present/verdict.h holds each expectation against what a session measured.
// QtCore only; pure functions of their input.

#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace plansight {

// One proposal of the review.
struct ReviewProposal {
    QString id; // "P2"
    QString title; // "Redis cache"
    QStringList strategies; // the PlanSight strategies that implement it: "p9-partition", "p9-partition-hash"
    QString missStrategy; // a cache's miss row ("p2-redis-miss"), shown beside it; empty when none
    // The time the review expected for the workload below, end to end, in ms; hasExpectedTime false: none given.
    bool hasExpectedTime = false;
    QString expectedText; // the review's own words: "under 100 ms when cached", "2-4 s"
    double expectedLowMs = 0;
    double expectedHighMs = 0;
    QString workload; // the preset its time is for: the file's default ("canonical") unless the proposal names one
    int fromPage = 1; // the time is for pages from this one on ("1-2 s from page 2 on": 2)
    QString confidence; // the review's words ("very high"); empty when it gave none
    QString complexity;
    QString recommendation; // "now", "soon", "later" or "skip"
    QString reason; // why ("caching is more flexible"); required for "skip"
};

struct ReviewExpectations {
    QString review; // "the Genonaut performance review"
    QString defaultWorkload = QStringLiteral("canonical");
    QList<ReviewProposal> proposals; // in the file's order

    // The proposal a strategy implements (its strategies or its miss strategy), or nullptr.
    const ReviewProposal *forStrategy(const QString &strategyId) const;
};

// The file's format:
//   {"format": "plansight-expectations", "format_version": 1, "review": "...", "workload": "canonical",
//    "proposals": [{"id": "P2", "title": "...", "strategies": ["p2-redis"], "miss_strategy": "p2-redis-miss",
//      "expected": {"text": "under 100 ms when cached", "low_ms": 0, "high_ms": 100, "workload": "...",
//                   "from_page": 2} or null,
//      "confidence": "very high" or null, "complexity": "low" or null,
//      "recommendation": "now" | "soon" | "later" | "skip", "reason": "..."}]}
// A file that is not JSON, not this format, another version, or with a missing or wrong member is an errc::Input
// error: one sentence naming `origin` (the file) and the member ("proposals[3].expected.high_ms is below low_ms").
// Proposal ids must be unique, and so must the strategies across proposals.
Result<ReviewExpectations> expectationsFromJson(const QByteArray &json, const QString &origin);
// The same from a file; a file that cannot be read is an errc::Io error naming it.
Result<ReviewExpectations> loadExpectationsFile(const QString &path);
// The built-in expectations (resources/review/genonaut-review.json); aborts when the file compiled in is broken
// (tests/unit/tst_expectations reads it).
const ReviewExpectations &builtinExpectations();

// The review's range in words, from the numbers: "2-4 s", "0.5-1.5 s", "under 100 ms", "10-50 ms".
QString formatExpectedRange(double lowMs, double highMs);

} // namespace plansight
