#pragma once

// The numbers a benchmark session produces, as plain values. Workers produce them, queued signals carry
// them, the history stores them, the views, the CLI and the report read them. Nothing here talks to a
// server. JSON (de)serialization lives in results.cpp; the JSON shape is documented in README.md.

#include "gallery/workload.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace plansight {

enum class CacheState { Warm, Cold };
// same: the page (source, id in order) equals the baseline's; different: it does not (the strategy is
// wrong); stale: it differs but the strategy serves data that may lag (views, caches, replicas) and the
// staleness was measured; not-checked: no baseline page to compare with; failed: the run did not finish.
enum class ResultCheck { Same, Different, Stale, NotChecked, Failed };
// not-isolated: measured, but with another strategy's objects visible to the run (StrategyRun::error names
// them); such a run is never ranked.
enum class RunOutcome { Ok, Failed, Cancelled, Skipped, NotIsolated };

QString toString(CacheState v); // "warm", "cold"
QString toString(ResultCheck v); // "same", "different", "stale", "not-checked", "failed"
QString toString(RunOutcome v); // "ok", "failed", "cancelled", "skipped", "not-isolated"
CacheState cacheStateFromString(const QString &s);
ResultCheck resultCheckFromString(const QString &s);
RunOutcome runOutcomeFromString(const QString &s);
// The *FromString functions map an unknown text to a safe default (warm, not-checked, failed); strict readers
// check the text first with these.
bool isKnownCacheState(const QString &s);
bool isKnownResultCheck(const QString &s);
bool isKnownRunOutcome(const QString &s);

struct TimingStats {
    int count = 0;
    double minMs = 0, p50Ms = 0, p95Ms = 0, p99Ms = 0, maxMs = 0, meanMs = 0;
};

// Speed-up against the baseline: baseline median / strategy median, with a bootstrap 95% interval.
struct SpeedUp {
    bool valid = false;
    double ratio = 0, low = 0, high = 0;
};

// What a strategy costs: the objects it created, their size, the build time, and the write cost (one item
// with 75 tags inserted and deleted again) with and without the strategy. Negative values: not measured.
struct Footprint {
    QStringList objects; // "index public.ps_p4_indexes_tag_source", ...
    qint64 bytes = -1;
    double buildMs = -1;
    double writeMs = -1; // with the strategy applied
    double baselineWriteMs = -1; // the same insert + delete on the base schema
    QString staleness; // where the strategy can serve stale data: what was measured ("refresh every 60 s")
};

// One strategy measured on one workload.
struct StrategyRun {
    QString strategyId; // "baseline", "p4-indexes", ...
    QString strategyTitle;
    Workload workload;
    RunOutcome outcome = RunOutcome::Ok;
    QString error; // one sentence when outcome is failed/cancelled
    CacheState cache = CacheState::Warm;
    int warmupRuns = 0;
    QList<double> timingsMs; // every measured run, client time around the whole round trip, in order
    TimingStats stats;
    int rowsReturned = 0;
    QStringList pageKeys; // the page's identity: "regular:123", "auto:456", ... in order
    ResultCheck check = ResultCheck::NotChecked;
    QString checkDetail; // for different/stale: what differs
    // How the run was made, when that matters for reading it: the strategy's note on its query ("page 1000
    // reached by following 999 cursors") and the runner's ("2 of 10 measured runs: the time budget ...").
    QString note;
    SpeedUp speedup;
    QString sql; // what ran (parameters are bound, never spliced)
    QStringList params; // the bound values, as text
    QByteArray planJson; // EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON) output, as the server sent it
    double serverMs = -1; // execution time from the EXPLAIN
    double planningMs = -1;
    Footprint footprint;
    QDateTime finishedAt;
};

struct SessionInfo {
    qint64 id = -1; // history id, -1 until stored
    QDateTime startedAt;
    QString server; // user@host:port/db, or "embedded demo"
    QString serverVersion;
    QString database;
    bool isDemo = false;
    QList<QPair<QString, QString>> settings; // non-default server settings
    QString datasetFingerprint;
    QJsonObject dataset; // profile, scale, seed, counts, ... as the demo metadata or the catalog gives them
    QString planSightVersion;
    QString note;
};

struct SessionResult {
    SessionInfo info;
    QList<StrategyRun> runs;

    // The fastest run whose check is same (never a wrong one); nullptr when none.
    const StrategyRun *winner() const;
};

QJsonObject toJson(const StrategyRun &run, bool withPlan = false);
QJsonObject toJson(const SessionResult &session, bool withPlans = false);
Result<SessionResult> sessionFromJson(const QJsonObject &json);
// One row per measured run: session, strategy, workload, run index, ms, cache, check (a run without measured
// timings, e.g. a failed one, gets one row with empty run index and ms).
QString toCsv(const SessionResult &session);

} // namespace plansight
