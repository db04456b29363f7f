#pragma once

// The benchmark runner (docs/architecture.md, "The flow of one run" and "Measuring honestly"): for every strategy
// and workload, warm-up runs, then N measured runs of the plain query, then one EXPLAIN (ANALYZE, VERBOSE,
// BUFFERS, SETTINGS, FORMAT JSON) of the same SQL with the same bound parameters; the page compared with the
// baseline's; statistics and the speed-up against the baseline. It orchestrates three parts, one job each:
// preparing the strategies (bench/strategyprep.h), measuring (bench/measure.h, with a replaceable executor) and
// describing the server (bench/describe.h). It records nothing itself: whoever follows the session (the
// history recorder, the CLI printer, the window) is a SessionObserver (session/sessionobserver.h). Front ends
// go through the bench service (bench/service.h), which prepares what the user confirms.
//
// Threading: run() blocks for the whole session and must run on a worker thread (PgSession refuses the GUI
// thread). The runner owns its connection (it reconnects after restarting the embedded cluster for cold
// runs). The CancelToken may be cancelled from any thread: the runner checks it between statements and
// cancels the running statement through PgSession::cancel, so a cancel takes effect within one round trip.
// The observers are called on the runner's thread.

#include "bench/measure.h"
#include "pg/pgsession.h"
#include "session/results.h"
#include "session/statistics.h"
#include "strategies/diskspace.h"
#include "strategies/strategy.h"
#include "util/cancel.h"
#include "util/result.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace plansight {

// Where a session runs.
struct BenchTarget {
    QString conninfo; // a libpq conninfo string, URI or service name (for the demo: LocalCluster::conninfo)
    // PlanSight's own embedded cluster: strategies that are not applied may be applied without asking, and
    // cold-cache runs restart it.
    bool isDemo = false;
    QString demoRoot; // the embedded cluster's root directory (LocalCluster) when isDemo
    QString label; // what the history shows as the server; empty: the connection's user@host:port/db
};

// The strategy whose pages stand in for the baseline's where the baseline has none (it timed out, failed or was
// skipped): p5-prejoin, whose HAVING count is a formulation independent of the baseline's EXISTS. When the result
// check is on and it is measured, it runs right after the baseline, so that its pages are there for the others; it is
// trusted only while it returned the baseline's rows on every workload where the baseline answered (bench/measure.h,
// StandIn).
inline const QString StandInReference = QStringLiteral("p5-prejoin");

struct BenchOptions {
    // The strategies, in run order. When checkResults is on, the baseline runs first: it is moved to the
    // front, or added (strategyById("baseline")) when absent; StandInReference, when listed, comes right after it.
    QList<std::shared_ptr<Strategy>> strategies;
    QList<Workload> workloads; // ready to run (validated by the runner)
    QStringList presets; // preset names resolved against the server at the start (after `workloads`)
    int warmupRuns = 2; // per strategy and workload; not timed (ignored for cold runs)
    int runs = 10; // measured runs per strategy and workload, 1..10000
    // Warm: runs follow each other. Cold: the embedded cluster is restarted before every measured run (so
    // PostgreSQL's shared buffers are empty; the operating system's page cache is not dropped). Only for
    // the demo.
    CacheState cache = CacheState::Warm;
    // A time budget for each strategy x workload's warm-ups and measured runs, in ms (0: none). Once the
    // runs so far say the next one would overrun it, the remaining warm-ups are skipped and the measured
    // runs end early; there is always at least one measured run, and the run's note says how many were
    // made. For slow strategies on big databases (a 100 s baseline at scale 1 does not need 10 runs to be
    // known as slow); it never shortens a statement: the statement timeout does that.
    qint64 runBudgetMs = 0;
    int statementTimeoutMs = 60000; // for every statement of the session; 0 is refused
    // For the statements of apply() (an index build over the junction takes minutes at scale 1).
    int applyTimeoutMs = 30 * 60 * 1000;
    // lock_timeout of every DDL statement of apply() and revert() (strategies/ddlplan.h); 0: no limit.
    int lockTimeoutMs = DefaultLockTimeoutMs;
    bool checkResults = true; // compare every page with the baseline's page for the same workload
    // What-if against built (strategies/whatif.h): before building a strategy with indexes, predict its plan and the
    // indexes' size with HypoPG for each workload (a few EXPLAINs without ANALYZE), and put them beside the built
    // plan and size in its runs' notes (present/whatifwords.h). Only where the session may change the database (HypoPG
    // may be created; it is listed in the confirmation and dropped at the end when PlanSight created it).
    bool predictIndexes = true;
    bool explain = true; // one EXPLAIN (ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON) per strategy and workload
    // Beside every warm-up and measured run of an SQL answer, the same statement prepared once and executed
    // (PQprepare / PQexecPrepared), timed apart: StrategyRun::preparedStats (docs/architecture.md, "Prepared
    // statements"). The ranking uses the statement sent each time either way. Not with a cold cache (each run restarts
    // the server, which drops the prepared statement) nor for answers outside SQL (a cache): the run's preparedNote
    // says so.
    bool measurePrepared = true;
    // Each strategy's write cost (strategies/footprint.h: one item with 75 tags written and removed in a
    // rolled-back transaction, with and without the strategy). It takes short exclusive locks on the
    // gallery tables, so it is measured only on the demo or with applyMissing (the user's confirmation).
    bool measureWriteCost = true;
    // Strategies that are not applied: applied first when true (the caller has the user's confirmation) or
    // when the target is the demo, else reported as skipped with the command that applies them.
    //
    // Isolation (docs/architecture.md, "The strategy contract"): each strategy's runs see only its own indexes; the
    // other applied strategies' indexes are hidden in the runner's session with HypoPG 1.4+ (strategies/isolation.h;
    // the extension is created on the demo or with applyMissing, and dropped at the end). Without it, strategies are
    // applied, measured and reverted in turn: a strategy the runner applied itself is reverted after its runs (after a
    // cancel too, with revertAfterCancel()), except one whose objects are its own when it is kept (keepApplied).
    //
    // The known start state: before anything is measured, objects that would be visible to the runs and that
    // this session did not make are dealt with. Those of strategies the session does not measure are reverted
    // on the demo (a warning says so), else the session refuses with an error naming each object and the
    // revert command. Those of strategies it measures are reverted on the demo or with applyMissing (they are
    // applied again in their turn). A run that still sees another strategy's objects is recorded with
    // outcome not-isolated (its error names them) and is never ranked.
    bool applyMissing = false;
    // Keeping strategies applied (docs/architecture.md, "The strategy contract"). A strategy whose objects no other
    // strategy's plan can use (its own tables, views and copies: changesOtherPlans() is false) and that this session
    // applied stays applied after its runs, for the next strategies and the next sessions, when this is true;
    // otherwise it is reverted after its runs like the others. Strategies that add indexes or columns to the base
    // tables are always applied, measured and reverted in turn (unless HypoPG hides their indexes). Unset: keep
    // them on the embedded demo, revert them on other servers (the CLI's --keep-applied, the window's "Keep
    // applied" box). Before a strategy is built, its size is estimated and the kept strategies used least recently
    // are reverted when the data directory's disk would fall below its margin (strategies/diskspace.h); a build
    // that would not fit even then is skipped, and the run says why. Whatever the choice, the plans prove each
    // run's isolation (strategies/planisolation.h).
    std::optional<bool> keepApplied;
    // How the free space of the demo's data directory is read before a build; empty: statvfs (diskSpaceAt() in
    // strategies/diskspace.h). Tests replace it to know the answer.
    std::function<DiskSpace(const QString &dataDirectory)> diskSpace;
    // The database lock (strategies/safety.h) is taken for the whole session. Another PlanSight session
    // holding it: wait (with a notice naming it; cancellable), or, when false, fail at once.
    bool waitForLock = true;
    BootstrapOptions bootstrap;
    QString note; // stored with the session
    // How each query is executed and timed (bench/measure.h); empty: on the server (serverExecutor()).
    std::shared_ptr<RunExecutor> executor;
};

// What a session produced. Always complete as far as it got: runs measured before a cancel or an error
// are kept (a run cut short keeps the timings it had, with outcome cancelled or failed), and so are the
// warnings (session.warnings: problems that did not stop the session, the observers' included).
struct BenchOutcome {
    SessionResult session;
    bool cancelled = false;
    std::optional<Error> error; // what ended the session early (lost connection, bad options), if anything
    bool ok() const { return !cancelled && !error; }
};

class SessionObserver;

class BenchRunner {
public:
    explicit BenchRunner(BenchTarget target);
    // Reuses an open connection to the target (the CLI already has one); the runner takes it over.
    BenchRunner(BenchTarget target, std::unique_ptr<PgSession> session);
    ~BenchRunner();
    BenchRunner(const BenchRunner &) = delete;
    BenchRunner &operator=(const BenchRunner &) = delete;

    // Checks the options before anything runs: counts in range, at least one strategy and workload (or
    // preset), cold runs only on the demo. An errc::Input error in one sentence.
    static Status validate(const BenchOptions &options, const BenchTarget &target);

    // Runs the session, telling `observers` (in this order) as it goes: progress counts statements (warm-ups,
    // measured runs, EXPLAINs, applies); sessionStarted once the session is described; runFinished after each
    // strategy x workload, in order, with its final values; warning as problems happen; sessionFinished at the
    // end when the session was described.
    //
    // Refuses (an error, nothing measured) a database holding an unfinished demo build, or, for the embedded
    // demo, no demo (gallery/demogenerator.h, requireFinishedDemo).
    BenchOutcome run(const BenchOptions &options, CancelToken *cancel, const QList<SessionObserver *> &observers = {});

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace plansight
