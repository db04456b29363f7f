#pragma once

// Measuring one strategy on one workload (docs/architecture.md, "The flow of one run" and "Measuring honestly"):
// warm-up runs, N measured runs of the plain query, one EXPLAIN (ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON)
// of the same SQL with the same bound parameters; then the page compared with the baseline's and the speed-up
// against the baseline. Beside each warm-up and measured run of an SQL answer, the same statement prepared once is
// executed and timed too (BenchOptions::measurePrepared; docs/architecture.md, "Prepared statements"), in
// alternating order, so that both forms see the same conditions. How a query is executed is a RunExecutor: the
// server's by default; a test replaces it (BenchOptions::executor) to get known timings while everything else runs
// for real.
//
// Threading: the session's thread (see bench/runcontext.h).

#include "pg/pgsession.h"
#include "session/results.h"
#include "session/statistics.h"
#include "strategies/strategy.h"
#include "util/result.h"

#include <QByteArray>
#include <QStringList>

#include <memory>
#include <optional>

namespace plansight {

struct RunContext;
struct BenchOptions;

// One execution of a strategy's query.
struct Execution {
    double ms = 0; // client time around the whole round trip, every row fetched
    QStringList pageKeys; // the page's identity, "source:id" in order
};

class RunExecutor {
public:
    virtual ~RunExecutor() = default;
    // Runs `query` once on `session` for `run` (its strategy and workload are set): the time and the page. The
    // keys are read outside the timed section. An error ends the run (a cancel, a timeout, a lost connection).
    virtual Result<Execution> execute(PgSession &session, const StrategyRun &run, const StrategyQuery &query) = 0;
    // EXPLAIN (ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON) of `query` (explainable() only): the server's JSON.
    virtual Result<QByteArray> explain(PgSession &session, const StrategyRun &run, const StrategyQuery &query) = 0;
    // The prepared form of an SQL answer (query.sql set, no query.execute): prepare() sends the SQL once as the
    // statement `name` (PQprepare); executePrepared() runs it with the query's values (PQexecPrepared), timed and
    // read as execute() is. The defaults run them on the server; a test may replace them.
    virtual Status prepare(
        PgSession &session, const StrategyRun &run, const StrategyQuery &query, const QByteArray &name);
    virtual Result<Execution> executePrepared(
        PgSession &session, const StrategyRun &run, const StrategyQuery &query, const QByteArray &name);
};

// The executor that runs the queries on the server (PgSession::exec, or StrategyQuery::execute).
std::shared_ptr<RunExecutor> serverExecutor();

// Measures `strategy` on `workload`: the run with its timings, page, plan and note, or, when it stopped early,
// outcome cancelled/failed with what it had. `fatal` receives an error that must end the session (a lost
// connection); `stoppedBy` (when given) the error that stopped the run early, whatever it was (a statement timeout,
// say). The check and the speed-up are checkRun()'s.
StrategyRun measureRun(RunContext &ctx, RunExecutor &executor, Strategy &strategy, const Workload &workload,
    std::optional<Error> &fatal, std::optional<Error> *stoppedBy = nullptr);

// Why a run has no page, in words that follow its strategy's id: "timed out" (a statement timeout, not a cancel by
// the user), "was cancelled", "was skipped", "failed"; empty when it has one. `stoppedBy`: what stopped it, when
// known (measureRun()).
QString whyNoPage(const StrategyRun &run, const std::optional<Error> &stoppedBy);

// What a page is checked against when the baseline has none for its workload (docs/architecture.md, "Measuring
// honestly"): an independent formulation that returned the baseline's rows elsewhere in the session (the runner's
// StandInReference, p5-prejoin's HAVING), measured right after the baseline.
struct StandIn {
    QString id; // the stand-in strategy: "p5-prejoin"
    QString baselineWhy; // why the baseline has no page: "the baseline timed out"; empty: it has one (no stand-in)
    const StrategyRun *run = nullptr; // the stand-in's run of the workload when it has a page; nullptr: none
    // Why the stand-in may not serve although it answered: it returned other rows than the baseline on another
    // workload ("p5-prejoin returned other rows than the baseline on multi-all (2 tags)"); empty: it may.
    QString distrusted;
};

// The result check and the speed-up of `run` against `baseline`, the baseline's run of the same workload (nullptr:
// none yet); `isBaseline`: `run` is the baseline's own. When the baseline has no page and `standIn` says why, the page
// is compared with the stand-in's instead, and the detail says so ("checked against p5-prejoin; the baseline timed
// out"), or says that nothing could check it ("unchecked: the baseline timed out and no reference answered"); the
// stand-in's own run is not checked ("... this page is the reference the other strategies are checked against").
// A prepared form that returned another page than the
// statement sent each time (run.preparedPageKeys) makes the check different (stale for strategies that may serve
// stale data), with what differs in the detail. With `visible` (other strategies' objects the run saw), an ok run
// becomes not-isolated, with an error that names them and how to measure in isolation.
void checkRun(StrategyRun &run, const StrategyRun *baseline, bool isBaseline, bool mayBeStale,
    const BenchOptions &options, const QStringList &visible, const StandIn *standIn = nullptr);

// The result check (pure, exposed for the tests and the views): compares a page with the baseline's.
// BothEmpty when both pages are empty (that proves nothing); Same when equal; otherwise Stale for strategies
// that may serve stale data, else Different. `detail` receives what differs: the first differing position
// (1-based) with both keys, or the lengths; `reference` names the page compared with ("baseline", "p5-prejoin").
ResultCheck comparePages(const QStringList &baseline, const QStringList &page, bool mayBeStale, QString *detail,
    const QString &reference = QStringLiteral("baseline"));

// Execution Time and Planning Time (ms) of EXPLAIN (ANALYZE, FORMAT JSON) output; -1 for a missing value. The
// server's time is their sum (StrategyRun::serverMs).
struct ExplainTimes {
    double executionMs = -1;
    double planningMs = -1;
};
Result<ExplainTimes> explainTimes(const QByteArray &explainJson);

} // namespace plansight
