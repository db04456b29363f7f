#pragma once

// The numbers a benchmark session produces, as plain values. Workers produce them, queued signals carry
// them, the history stores them, the views, the CLI and the report read them. Nothing here talks to a
// server. The JSON of a run and of a session's description live in results.cpp, the session document around
// them (with its winners) in present/sessionjson.h; the JSON shape is documented in README.md.

#include "session/workload.h"

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
// staleness was measured; not-checked: no baseline page to compare with; failed: the run did not finish;
// both-empty: the page and the baseline's are both empty, which proves nothing (a strategy that returns nothing
// at all would pass), so it is never the winner.
enum class ResultCheck { Same, Different, Stale, NotChecked, Failed, BothEmpty };
// not-isolated: measured, but with another strategy's objects visible to the run (StrategyRun::error names
// them); such a run is never ranked.
enum class RunOutcome { Ok, Failed, Cancelled, Skipped, NotIsolated };

QString toString(CacheState v); // "warm", "cold"
QString toString(ResultCheck v); // "same", "different", "stale", "not-checked", "failed", "both-empty"
// The words a person reads are in present/words.h (checkWords, outcomeWords).
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
// The write cost is a median over repeated probes (strategies/footprint.h) with its spread (p25-p75), so that
// a difference can be told from noise.
struct Footprint {
    QStringList objects; // "index public.ps_p4_indexes_tag_source", ...
    qint64 bytes = -1;
    double buildMs = -1;
    double refreshMs = -1; // strategies refreshed on a schedule (strategies/refresh.h): one refresh's duration
    double writeMs = -1; // with the strategy applied: median of the probes
    double writeLowMs = -1, writeHighMs = -1; // their p25 and p75
    double baselineWriteMs = -1; // the same insert + delete on the base schema: median
    double baselineWriteLowMs = -1, baselineWriteHighMs = -1; // p25 and p75
    int writeSamples = 0; // probes on each side (0: not known, e.g. a session recorded before they were repeated)
    QString staleness; // where the strategy can serve stale data: what was measured ("refresh every 60 s")
    // The write-to-visible time of a cache (p2-redis, strategies/rediscachestrategy.h): from a write's COMMIT until
    // the strategy's answer shows it, as the strategy runs (with invalidation) and with its TTL only. -1: not measured
    // (or not seen in time: the staleness says which).
    double visibleMs = -1;
    double visibleTtlOnlyMs = -1;
};

// What the write cost of a strategy says, read from its Footprint:
// NotMeasured: no numbers; NoObjects: the strategy creates nothing, so writing costs the same by construction;
// NoMeasurableDifference: the two spreads (p25-p75) overlap; Costlier / Cheaper: they do not.
enum class WriteCostVerdict { NotMeasured, NoObjects, NoMeasurableDifference, Costlier, Cheaper };
WriteCostVerdict writeCostVerdict(const Footprint &f);
// writeMs - baselineWriteMs when the verdict is Costlier or Cheaper, else 0.
double writeCostDifferenceMs(const Footprint &f);

// The machine PlanSight ran on, at one moment (bench/machinestate.h reads it). valid == false: not read.
struct MachineState {
    bool valid = false;
    QDateTime at;
    double load1 = -1, load5 = -1, load15 = -1; // load averages over 1, 5 and 15 minutes
    int cpuCount = 0; // online CPUs
    qint64 memTotalKb = -1, memAvailableKb = -1; // /proc/meminfo MemTotal, MemAvailable
    // At a session's end: the share (0 to 1) of all CPUs that processes other than PlanSight and its local
    // server used while the session ran (bench/machinestate.h); -1 when not known (a start, another system).
    double otherCpuShare = -1;
    // More than this share of the CPUs went to other work: the machine was busy.
    static constexpr double BusyOtherShare = 0.25;
    // Busy: other processes used more than BusyOtherShare of the CPUs during the session, when that is known;
    // otherwise the 1-minute load average was above the number of CPUs. The load average counts the session's
    // own parallel query, so it alone cannot tell a busy machine at a session's end.
    bool busy() const
    {
        if (!valid)
            return false;
        if (otherCpuShare >= 0)
            return otherCpuShare > BusyOtherShare;
        return cpuCount > 0 && load1 > double(cpuCount);
    }
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
    QByteArray planJson; // EXPLAIN (ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON) output, as the server sent it
    // The server's account of the statement, from that EXPLAIN (run apart from the timed runs): planning (parse,
    // rewrite, plan) and execution, in ms; -1: not measured. Execution alone is never the server's time: an
    // all-match that plans for 152 ms and executes in 1 ms costs the server 153 ms (docs/architecture.md,
    // "Measuring honestly").
    double executionMs = -1;
    double planningMs = -1;
    // The server's time: planning + execution; -1 when either is not measured (a run recorded without its planning
    // time is unknown, not "execution + 0").
    double serverMs() const;
    // The planning time as a share of the client time (planningMs / stats.p50Ms, 0.25 for a quarter); -1 when either
    // is not measured.
    double planningShareOfClient() const;
    // Shared buffers the EXPLAIN ANALYZE's execution found in PostgreSQL's cache (hit) and read from outside it
    // (read), for the whole plan; -1: not measured. Read together they say how warm the cache was for the run.
    qint64 sharedHitBlocks = -1;
    qint64 sharedReadBlocks = -1;
    // The time the EXPLAIN ANALYZE spent compiling JIT code (its "JIT" entry's Timing Total: generation, inlining,
    // optimization and emission), in ms: part of the execution time. 0 when the plan compiled nothing (no "JIT"
    // entry: jit off, or a plan below jit_above_cost); -1: not measured (no EXPLAIN).
    double jitMs = -1;
    // The setting overrides the run was made under, "name=value" in the order they were set (docs/settings.md: a
    // settings variant's, an experiment variant's); empty: the session's own settings (SessionInfo::settings).
    QStringList settings;
    Footprint footprint;
    QDateTime finishedAt;
    // The same statement prepared once (PQprepare) and executed in every measured run (PQexecPrepared), beside the
    // statement sent each time (timingsMs and stats: what the app does today, and what the ranking uses):
    // docs/architecture.md, "Prepared statements". Client times like stats; count 0 and -1 ms: not measured.
    TimingStats preparedStats { 0, -1, -1, -1, -1, -1, -1 };
    // How the prepared runs went ("prepared once, executed 12 times: 5 with a custom plan, then 7 with the
    // generic plan"), or why there are none ("no prepared form: it answers outside SQL"); empty when not asked for.
    QString preparedNote;
    // The page the prepared statement returned in its last measured run; not persisted: checkRun() (bench/measure.h)
    // compares it with pageKeys, and the result check records what it found.
    QStringList preparedPageKeys;
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
    MachineState machineAtStart; // the client machine when the session started
    MachineState machineAtEnd; // ... and when it ended (invalid while it runs, or when it was interrupted)
    // One sentence when the machine was busy at the start or the end (MachineState::busy), else empty.
    QString busyWarning() const;
    // Whether `warning` is a text busyWarning() made (at the start, the end, or both), for front ends that show
    // the session's busy line already and must not repeat the runner's copy of it.
    static bool isBusyWarning(const QString &warning);
};

struct SessionResult {
    SessionInfo info;
    QList<StrategyRun> runs;
    // Problems that did not stop the session, one sentence each, in the order they happened: a strategy left
    // behind and reverted, tables left uncompacted, the history not written, a busy machine ... (JSON "warnings").
    QStringList warnings;

    // Its winners are named by the one rule of present/ranking.h (rankSession), not here.
};

QJsonObject toJson(const MachineState &m); // {} when not valid
MachineState machineStateFromJson(const QJsonObject &o);

// One run as an element of the session document's "results" (README.md); the plan only when `withPlan`.
QJsonObject toJson(const StrategyRun &run, bool withPlan = false);
// A run written by toJson(StrategyRun). A member of the wrong type or an unknown enum text is an errc::Input
// error naming it, prefixed by `path` ("results[2].p50_ms is not a number").
Result<StrategyRun> runFromJson(const QJsonObject &json, const QString &path);
// The session's description: the document's "session" object (README.md).
QJsonObject toJson(const SessionInfo &info);
// The same, read back; errors as runFromJson's, prefixed by `path` ("session").
Result<SessionInfo> sessionInfoFromJson(const QJsonObject &json, const QString &path);
// One row per measured run: session, strategy, workload, run index, ms, cache, check (a run without measured
// timings, e.g. a failed one, gets one row with empty run index and ms).
QString toCsv(const SessionResult &session);

} // namespace plansight
