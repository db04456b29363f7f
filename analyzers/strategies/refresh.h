#pragma once

// Strategies whose objects are refreshed on a schedule rather than kept in sync (p1-matview, p8-tag-counts), and
// the two ways they are refreshed (docs/gallery.md, "Refreshed on a schedule"):
// - by a pg_cron job named <prefix>_refresh, every RefreshIntervalSeconds, when the server has pg_cron in the
//   database (on PlanSight's demo apply() creates the extension; elsewhere only an extension already installed is
//   used). The job is an object of the strategy: listed in plannedObjects(), removed by revert();
// - otherwise by RefreshScheduler, PlanSight's own timer, while PlanSight runs (the CLI's bench for its session,
//   the window while it is open).
//
// Each strategy has a function <prefix>_refresh() that refreshes and records the time and duration in its table
// <prefix>_refreshed; refreshState() reads them back, so a page that lags the tables is measured: the result check
// says "stale" with the seconds since the last refresh and the rows missing (describeStaleness()).

#include "session/results.h"
#include "strategies/schemastrategy.h"

#include <QDateTime>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace plansight {

inline constexpr int RefreshIntervalSeconds = 5 * 60;
// pg_cron's spelling of RefreshIntervalSeconds.
inline const QString RefreshCronSchedule = QStringLiteral("*/5 * * * *");

struct RefreshState {
    bool byCron = false; // a pg_cron job refreshes it; else RefreshScheduler does while PlanSight runs
    QDateTime lastRefresh; // when the data the strategy answers from was taken (invalid: unknown)
    double secondsSince = -1; // server time since then
    double lastRefreshMs = -1; // how long the last refresh took; -1 when the last one was the build
    QString describe() const; // "refreshed every 5 minutes by pg_cron; last refresh 12 s ago, took 31 ms"
};

class RefreshableStrategy : public SchemaStrategy {
public:
    // The pg_cron job's name, also the refresh function's: "ps_p1_matview_refresh".
    QString refreshName() const;
    // The schema objects plus the pg_cron job line.
    QStringList plannedObjects() const override;
    // SchemaStrategy::status(), with the pg_cron job line present when the job exists or the server has no pg_cron
    // (PlanSight's timer refreshes), and missing (Broken) when the server has pg_cron but not the job.
    Result<StrategyStatus> status(PgSession &session) const override;
    // SchemaStrategy::apply(), then on PlanSight's demo CREATE EXTENSION IF NOT EXISTS pg_cron when the server
    // loads it for this database, the pg_cron job when the extension is there, and one refresh whose duration is
    // the strategy's refresh time (lastRefreshMs()). When one of these fails or is cancelled, what this call applied
    // is reverted (revertAfterCancel()).
    Status apply(
        PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context = {}) override;

    // Runs one refresh now; returns its duration (server time) in ms and remembers it as lastRefreshMs().
    Result<double> refresh(PgSession &session, CancelToken *cancel = nullptr);
    Result<RefreshState> refreshState(PgSession &session) const;
    // The last refresh measured in this process, in ms; -1 when none. Shared objects: survives between calls.
    double lastRefreshMs() const { return m_lastRefreshMs.load(); }

private:
    // The pg_cron extension (on the demo) and job, and with `measure` one timed refresh.
    Status scheduleAndMeasure(PgSession &session, CancelToken *cancel, const ProgressFn &progress, bool measure);

    std::atomic<double> m_lastRefreshMs { -1.0 };
};

// Whether the session's database has the pg_cron extension.
Result<bool> hasPgCron(PgSession &session);

// For a run whose check is Stale (a page that differs from the baseline's, of a strategy that may be stale): the
// detail "1 row of the baseline's page missing, 1 other row in its place; last refresh 12 s ago" and the run's
// footprint.staleness. `state` may be null (not known).
void describeStaleness(StrategyRun &run, const QStringList &baselineKeys, const RefreshState *state);
// Fills run.checkDetail and the staleness when `strategy` is refreshable and run.check is Stale; else nothing.
void describeStaleRun(PgSession &session, const Strategy &strategy, const QStringList &baselineKeys, StrategyRun &run);
// The refreshable strategies of the catalog.
QList<std::shared_ptr<RefreshableStrategy>> refreshableStrategies();

// Scheduled refreshes are held while a benchmark measures (docs/architecture.md, "Measuring honestly"): at scale 1
// a refresh of p1-matview takes minutes of every five, runs inside the server (the busy check, which watches
// processes outside it, cannot see it) and would compete with the measured queries.
struct HeldRefreshes {
    QStringList held; // pg_cron jobs this call set inactive
    QStringList cancelled; // strategies whose refresh was running and was cancelled (they keep their old content)
};
// Sets PlanSight's active refresh jobs inactive (pg_cron 1.4's alter_job) and cancels a refresh of theirs running
// now (a job's run, or PlanSight's timer's in another connection). Idempotent; nothing to do without pg_cron.
Result<HeldRefreshes> holdRefreshes(PgSession &session);
// Sets PlanSight's inactive refresh jobs active again (those a killed session left held too); returns their names.
Result<QStringList> resumeRefreshes(PgSession &session);
// While one exists, RefreshScheduler's ticks refresh nothing (PlanSight's own timer, for servers without pg_cron).
class RefreshTimerHold {
public:
    RefreshTimerHold();
    ~RefreshTimerHold();
    RefreshTimerHold(const RefreshTimerHold &) = delete;
    RefreshTimerHold &operator=(const RefreshTimerHold &) = delete;
    static bool active();
};

// PlanSight's own refresh timer (one home for the CLI and the window): a thread that every `intervalSeconds`
// connects with `conninfo` and refreshes every refreshable strategy that is applied and has no pg_cron job. It
// holds no connection between ticks. Errors are reported through `onEvent` (one sentence) and do not stop it.
// The destructor stops the thread and waits for a running refresh to end (it cancels it).
class RefreshScheduler {
public:
    using EventFn = std::function<void(const QString &)>;
    explicit RefreshScheduler(QString conninfo, int intervalSeconds = RefreshIntervalSeconds, EventFn onEvent = {});
    ~RefreshScheduler();
    RefreshScheduler(const RefreshScheduler &) = delete;
    RefreshScheduler &operator=(const RefreshScheduler &) = delete;

    // One tick now, on the caller's thread with the caller's session: the ids of the strategies refreshed.
    static Result<QStringList> refreshDue(PgSession &session, CancelToken *cancel = nullptr);
    // Ticks completed by the thread.
    int ticks() const { return m_ticks.load(); }

private:
    void loop();

    QString m_conninfo;
    int m_intervalSeconds;
    EventFn m_onEvent;
    std::atomic<int> m_ticks { 0 };
    CancelToken m_cancel;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace plansight
