#pragma once

// Helpers for the tests of a benchmark session (tests/integration/tst_runner.cpp, tests/gui/tst_benchjob.cpp,
// tests/gui/tst_benchwinner.cpp): strategies of their own whose SQL runs on the server (not mocks), an observer
// that hands each event to a function, and an executor with known timings (bench/measure.h) so that a ranking is
// known in advance.

#include "bench/runner.h"
#include "gallery/demogenerator.h"
#include "session/sessionobserver.h"
#include "strategies/galleryquery.h"
#include "testcluster.h"

#include <QHash>

#include <functional>
#include <optional>
#include <thread>

namespace plansight::test {

// Runs `f` on a thread of its own and returns what it returned: GUI tests talk to the server this way
// (PgSession refuses the GUI thread).
template<typename F>
auto offGuiThread(F &&f) -> decltype(f())
{
    std::optional<decltype(f())> out;
    std::thread t([&] { out.emplace(f()); });
    t.join();
    return std::move(*out);
}

// Builds the demo at scale 0.002 in database `db` of the test cluster (created when missing), off the GUI
// thread; returns the error in words, empty when it is built.
inline QString buildTinyDemo(const QString &db)
{
    return offGuiThread([&db] {
        if (auto st = TestCluster::get()->cluster().ensureDatabase(db); !st)
            return st.error().toString();
        auto session = TestCluster::get()->connect(db);
        if (!session)
            return QStringLiteral("no connection");
        DemoOptions demo;
        demo.scale = 0.002;
        demo.connections = 1;
        auto st = buildDemo(*session, demo);
        return st.ok() ? QString() : st.error().toString();
    });
}

// A strategy that needs no database objects, answering with `sql(workload)`.
class SqlTestStrategy : public Strategy {
public:
    using SqlFn = std::function<StrategyQuery(const Workload &)>;
    SqlTestStrategy(QString id, SqlFn fn, bool mayBeStale = false, QStringList rewritesTables = {})
        : m_id(std::move(id)), m_fn(std::move(fn)), m_mayBeStale(mayBeStale), m_rewrites(std::move(rewritesTables))
    {
    }
    StrategyInfo info() const override
    {
        StrategyInfo i;
        i.id = m_id;
        i.title = QStringLiteral("test strategy ") + m_id;
        i.proposal = QStringLiteral("test");
        i.mayBeStale = m_mayBeStale;
        i.needsObjects = false;
        i.rewritesTables = m_rewrites;
        return i;
    }
    QStringList plannedObjects() const override { return {}; }
    Status apply(PgSession &, CancelToken *, const ProgressFn &, const ApplyContext &) override { return {}; }
    Status revert(PgSession &, CancelToken *, const ApplyContext &) override { return {}; }
    Result<StrategyStatus> status(PgSession &) const override
    {
        StrategyStatus s;
        s.state = StrategyState::Applied;
        return s;
    }
    Result<StrategyQuery> query(PgSession &, const Workload &workload) override { return m_fn(workload); }

private:
    QString m_id;
    SqlFn m_fn;
    bool m_mayBeStale;
    QStringList m_rewrites;
};

// The baseline's query under another id.
inline std::shared_ptr<Strategy> baselineCopy(const QString &id = QStringLiteral("test-copy"))
{
    return std::make_shared<SqlTestStrategy>(id, [](const Workload &w) { return baselineQuery(w); });
}

// Counts the executions of a gatedBaseline(): a sequence, so the count goes on across transactions and
// sessions. Made anew for each test, dropped at its end.
inline const QString GateName = QStringLiteral("tst_bench_gate");
class Gate {
public:
    explicit Gate(const QString &db) : m_s(TestCluster::get()->connect(db))
    {
        m_ready = m_s && m_s->exec(QStringLiteral("SET client_min_messages = warning")).ok()
            && m_s->exec(QStringLiteral("DROP SEQUENCE IF EXISTS %1").arg(GateName)).ok()
            && m_s->exec(QStringLiteral("CREATE SEQUENCE %1").arg(GateName)).ok();
    }
    ~Gate()
    {
        if (m_s)
            (void)m_s->exec(QStringLiteral("DROP SEQUENCE IF EXISTS %1").arg(GateName));
    }
    bool ready() const { return m_ready; }
    // True once an execution of the gated baseline sleeps behind the gate (seen in pg_stat_activity).
    bool holdsAStatement() { return isSleepingIn(*m_s, GateName); }

private:
    std::unique_ptr<PgSession> m_s;
    bool m_ready = false;
};

// The baseline's statement under the baseline's id, counted by the Gate: from its `from`-th execution on (1:
// the first) it sleeps for an hour before answering, a long baseline run that only a cancel ends (the test's
// timeout is far shorter). With no warm-ups, execution n is measured run n.
inline std::shared_ptr<Strategy> gatedBaseline(int from)
{
    return std::make_shared<SqlTestStrategy>(QStringLiteral("baseline"), [from](const Workload &w) {
        StrategyQuery q = baselineQuery(w);
        // The gate comes first: pg_stat_activity shows only the first 1 kB of a statement's text.
        q.sql = QStringLiteral("SELECT b.* FROM pg_sleep(CASE WHEN (SELECT nextval('%1')) >= %2 THEN 3600 ELSE 0 END) "
                               "CROSS JOIN (%3) b ORDER BY b.created_at DESC, b.id DESC, b.source DESC")
                    .arg(GateName)
                    .arg(from)
                    .arg(q.sql);
        return q;
    });
}

inline Workload canonicalWorkload()
{
    Workload w;
    w.name = QStringLiteral("canonical");
    w.tagIds = { demo::AnimeTagId };
    return w;
}

inline BenchTarget benchTarget(const QString &db)
{
    BenchTarget t;
    t.conninfo = TestCluster::get()->conninfo(db);
    t.label = QStringLiteral("test cluster");
    return t;
}

// The test database as PlanSight's embedded demo: strategies are applied and reverted without asking.
inline BenchTarget demoBenchTarget(const QString &db)
{
    BenchTarget t = benchTarget(db);
    t.isDemo = true;
    t.demoRoot = TestCluster::get()->cluster().rootDir();
    return t;
}

inline BenchOptions quickOptions(QList<std::shared_ptr<Strategy>> strategies, int runs = 4)
{
    BenchOptions o;
    o.strategies = std::move(strategies);
    o.workloads = { canonicalWorkload() };
    o.runs = runs;
    o.warmupRuns = 1;
    o.statementTimeoutMs = 20000;
    // The prepared form doubles the executions, and the Gate counts executions: the tests of the prepared form
    // (tst_runner) turn it on.
    o.measurePrepared = false;
    return o;
}

// An observer that hands each event to a function (any may be empty) and keeps the warnings.
struct Calls : SessionObserver {
    std::function<void(qint64, qint64, const QString &)> onProgress;
    std::function<void(const StrategyRun &)> onRun;
    std::function<void(const QString &)> onNotice;
    QStringList warnings;

    void progress(qint64 done, qint64 total, const QString &text) override
    {
        if (onProgress)
            onProgress(done, total, text);
    }
    void notice(const QString &text) override
    {
        if (onNotice)
            onNotice(text);
    }
    void warning(const QString &text) override { warnings.append(text); }
    QStringList runFinished(const SessionInfo &, const StrategyRun &run) override
    {
        if (onRun)
            onRun(run);
        return {};
    }
};

// An executor with known timings: every execution of a strategy on a workload takes msFor(run) (its strategy and
// workload are set), with a fixed 0-2 % spread so that the bootstrap interval is narrow and known. The page and
// the plan are the server's: the query still runs, so the result check is real; only the client time is replaced.
class FixedExecutor : public RunExecutor {
public:
    using MsFn = std::function<double(const StrategyRun &run)>;
    explicit FixedExecutor(MsFn msFor) : m_msFor(std::move(msFor)) { }

    Result<Execution> execute(PgSession &session, const StrategyRun &run, const StrategyQuery &q) override
    {
        auto real = serverExecutor()->execute(session, run, q);
        if (!real)
            return real;
        ++m_executions;
        real->ms = m_msFor(run) * (1.0 + 0.01 * double(m_executions % 3));
        return real;
    }
    Result<QByteArray> explain(PgSession &session, const StrategyRun &run, const StrategyQuery &q) override
    {
        return serverExecutor()->explain(session, run, q);
    }

private:
    MsFn m_msFor;
    int m_executions = 0;
};

} // namespace plansight::test
