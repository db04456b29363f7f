#pragma once

// The state one benchmark session shares between its parts (docs/architecture.md, "The flow of one run"): the
// connection and its cancel, the progress count, the observers, the isolation of the strategy being measured.
// The runner (bench/runner.h) owns it; the strategy preparation (bench/strategyprep.h), the measurement
// (bench/measure.h) and the server description (bench/describe.h) work through it.
//
// Threading: the session's thread, except cancelRunningStatement(), which the cancel callback calls from any
// thread.

#include "bench/machinestate.h"
#include "bench/runner.h"
#include "session/sessionobserver.h"
#include "strategies/isolation.h"
#include "strategies/planisolation.h"

#include <atomic>
#include <functional>
#include <mutex>

namespace plansight {

struct RunContext {
    BenchTarget target;
    BenchOptions options;
    std::unique_ptr<PgSession> session;
    std::mutex sessionMutex; // guards `session` against the cancel callback (another thread)
    CancelToken *cancel = nullptr;
    QList<SessionObserver *> observers;
    SessionResult *result = nullptr; // where warnings go as they happen (the outcome's session)
    qint64 done = 0;
    qint64 total = 0;
    bool mayChange = false; // may apply strategies, create HypoPG, lock tables for the write cost
    bool keepApplied = false; // BenchOptions::keepApplied, resolved for the target
    bool hiding = false; // other strategies' indexes can be hidden (HypoPG 1.4+), so they may stay applied
    // While a revert cleans up after a cancel, a further cancel must not interrupt it (the cancel callback then
    // leaves the running statement alone; the next step still sees the token).
    std::atomic<bool> shielded { false };

    // Isolation of the strategy being measured, redone after every reconnect (hidden indexes are per session).
    const Strategy *underTest = nullptr;
    QList<std::shared_ptr<Strategy>> otherApplied;
    std::optional<IsolationReport> isolation;
    QStringList visible; // other strategies whose objects the runs of underTest see (not-isolated)
    // The setting overrides set on the session for the strategy being measured (bench/measure.h): set again after a
    // reconnect, and put back by the clean-up when a cancel left them set.
    QList<SettingOverride> settingsInForce;
    // What every run's plan is judged against (strategies/planisolation.h): the base objects read at the start
    // (empty when they could not be read: then only the strategies' prefixes count) and the ids of the strategies.
    BaseObjects baseObjects;
    QStringList strategyIds;
    // The CPU time at the session's start, to tell at its end how much other processes used (bench/machinestate.h).
    CpuSample cpuAtStart;

    bool cancelled() const { return cancel && cancel->isCancelled(); }
    // A statement stopped by the user (not by the statement timeout, which shares SQLSTATE 57014).
    bool isCancelError(const Error &e) const { return e.code == errc::Cancelled || (e.isCancel() && cancelled()); }
    bool alive() const { return session && session->isAlive(); }
    // How strategies are applied and reverted on the target (CONCURRENTLY and the lock_timeout; strategies/ddlplan.h).
    ApplyContext applyContext() const { return ApplyContext::forTarget(target.isDemo, options.lockTimeoutMs); }

    // Progress: `units` statements done, with what runs now; report() says what runs without counting.
    void step(const QString &text, qint64 units = 1);
    void report(const QString &text);
    void notice(const QString &text);
    // A problem that did not stop the session: kept with the results and sent to the observers now.
    void warn(const QString &text);

    void cancelRunningStatement();
    // A connection to the target with the session's statement timeout (a cancel that came before it still stops
    // its next statement).
    Status connect();
    // The database lock (strategies/safety.h), held by this session's connection until it closes.
    Status lockDatabase();
    // Cold runs: restarts the embedded cluster (its shared buffers are empty afterwards), connects again, takes
    // the lock again and isolates the strategy under test again.
    Status restartCluster();

    // Runs `work` (an apply, a compaction) under the apply timeout (BenchOptions::applyTimeoutMs). Once it
    // returned, a further cancel no longer interrupts anything: the connection's cancel state is cleared and
    // `cleanup` (when given) runs with what `work` returned (undoing a half-done apply); then the statement
    // timeout comes back. A cancel stays in force: the connection is cancelled again, so the next statement
    // stops. Returns what `work` returned, or, when it succeeded, a failure to restore the statement timeout.
    Status underApplyTimeout(
        const std::function<Status()> &work, const std::function<void(const Status &)> &cleanup = {});
};

// The error that ends a session whose connection went away, whatever the server said last.
Error connectionLost(const Error &cause, const QString &during);
inline bool isConnectionLoss(const Error &e)
{
    return e.code == errc::Connection;
}

} // namespace plansight
