// The window's bench job (widgets/benchjob.h): the bench service run on the thread pool as a QFuture, its events
// posted to the GUI thread as one signal contract, cancel within one round trip, warnings as they happen.
// (Moved from tst_runner, where BenchWorker's tests were.)

#include "bench/service.h"
#include "benchhelpers.h"
#include "benchjob.h"
#include "history/historystore.h"
#include "testcluster.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;
using namespace plansight::gui;
using test::baselineCopy;
using test::gatedBaseline;
using test::quickOptions;

#define COMPARE_ENUM(actual, expected) QCOMPARE(plansight::toString(actual), plansight::toString(expected))

namespace {

const QString Db = QStringLiteral("benchjob");

BenchPlan plan(const BenchTarget &target, const BenchOptions &options)
{
    BenchPlan p;
    p.target = target;
    p.options = options;
    return p;
}

BenchTarget target()
{
    return test::benchTarget(Db);
}

QString stateOf(const QString &id)
{
    return test::offGuiThread([&] {
        auto s = test::TestCluster::get()->connect(Db);
        auto st = strategyById(id)->status(*s);
        return st ? toString(st->state) : st.error().toString();
    });
}

// The Gate of benchhelpers.h, made, asked and dropped off the GUI thread.
struct OffThreadGate {
    OffThreadGate() : gate(test::offGuiThread([] { return std::make_unique<test::Gate>(Db); })) { }
    ~OffThreadGate()
    {
        test::offGuiThread([this] {
            gate.reset();
            return 0;
        });
    }
    bool ready() const { return gate->ready(); }
    bool holdsAStatement()
    {
        return test::offGuiThread([this] { return gate->holdsAStatement(); });
    }
    std::unique_ptr<test::Gate> gate;
};

} // namespace

class TestBenchJob : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        const QString built = test::buildTinyDemo(Db);
        QVERIFY2(built.isEmpty(), qPrintable(built));
    }

    void signalsFollowTheContractAndTheSessionIsRecorded()
    {
        QTemporaryDir dir;
        const QString history = dir.filePath(QStringLiteral("history.sqlite"));
        BenchJob job;
        QSignalSpy started(&job, &BenchJob::started);
        QSignalSpy progress(&job, &BenchJob::progress);
        QSignalSpy runs(&job, &BenchJob::runFinished);
        QSignalSpy finished(&job, &BenchJob::finished);
        QSignalSpy failed(&job, &BenchJob::failed);
        QVERIFY(job.start(
            plan(target(), quickOptions({ strategyById(QStringLiteral("baseline")), baselineCopy() }, 3)), history));
        QVERIFY(job.isRunning());
        // One session at a time: a second start is refused while the first runs.
        QVERIFY(!job.start(plan(target(), quickOptions({ strategyById(QStringLiteral("baseline")) }, 1)), history));
        QVERIFY(finished.wait(60000));
        QVERIFY(!job.isRunning());
        QCOMPARE(started.size(), 1);
        QVERIFY(progress.size() >= 1);
        QCOMPARE(progress.last().at(0).toLongLong(), progress.last().at(1).toLongLong()); // the last report is 100 %
        QCOMPARE(runs.size(), 2);
        const auto first = runs.at(0).at(0).value<StrategyRun>();
        QCOMPARE(first.strategyId, QStringLiteral("baseline"));
        QVERIFY2(first.outcome == RunOutcome::Ok, qPrintable(first.error));
        COMPARE_ENUM(runs.at(1).at(0).value<StrategyRun>().check, ResultCheck::Same);
        QCOMPARE(failed.size(), 0);
        const auto session = finished.first().at(0).value<SessionResult>();
        QCOMPARE(session.runs.size(), 2);
        QCOMPARE(session.runs.at(1).timingsMs.size(), 3);
        // The job attached the history recorder: the session and its runs are in the history.
        QVERIFY(session.info.id >= 0);
        auto store = HistoryStore::open(history);
        QVERIFY(store.ok());
        auto loaded = store->loadSession(session.info.id);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->runs.size(), 2);
        QCOMPARE(job.future().result().session.runs.size(), 2);
    }

    void cancelEndsWithTheRunsMeasured()
    {
        OffThreadGate gate;
        QVERIFY(gate.ready());
        BenchJob job;
        QSignalSpy runs(&job, &BenchJob::runFinished);
        QSignalSpy finished(&job, &BenchJob::finished);
        QSignalSpy failed(&job, &BenchJob::failed);
        BenchOptions o = quickOptions({ gatedBaseline(2), baselineCopy() }, 50);
        o.warmupRuns = 0;
        QVERIFY(job.start(plan(target(), o), std::nullopt));
        // Cancel once the first measured run is in, while the second sleeps behind the gate (an hour: only the
        // cancel ends it).
        QTRY_VERIFY_WITH_TIMEOUT(gate.holdsAStatement(), 60000);
        job.cancel();
        QVERIFY(finished.wait(60000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(runs.size(), 1);
        const auto session = finished.first().at(0).value<SessionResult>();
        QCOMPARE(session.runs.size(), 1);
        COMPARE_ENUM(session.runs.first().outcome, RunOutcome::Cancelled);
        QCOMPARE(session.runs.first().timingsMs.size(), 1);
        QCOMPARE(session.info.id, qint64(-1)); // not recorded: no history was given
    }

    void destroyingARunningJobCancelsIt()
    {
        OffThreadGate gate;
        QVERIFY(gate.ready());
        BenchOptions o = quickOptions({ gatedBaseline(1) }, 50);
        o.warmupRuns = 0;
        {
            BenchJob job;
            QVERIFY(job.start(plan(target(), o), std::nullopt));
            QTRY_VERIFY_WITH_TIMEOUT(gate.holdsAStatement(), 60000);
        } // the destructor cancels and waits: the hour-long statement does not hold it
        QTRY_VERIFY_WITH_TIMEOUT(!gate.holdsAStatement(), 30000);
    }

    // The window sees the session's warnings as they happen (issue #10: reverted leftovers), and they travel with
    // the results (issue #11).
    void warningsArriveAsTheyHappenAndStayWithTheSession()
    {
        QVERIFY(test::offGuiThread([] {
            auto session = test::TestCluster::get()->connect(Db);
            return session && strategyById(QStringLiteral("p4-indexes"))->apply(*session, nullptr, {}).ok();
        }));
        BenchJob job;
        QStringList order; // "warning" and "run" as they arrive
        connect(&job, &BenchJob::warning, this, [&](const QString &w) {
            if (w.contains(QLatin1String("p4-indexes was applied")))
                order << QStringLiteral("warning");
        });
        connect(&job, &BenchJob::runFinished, this, [&] { order << QStringLiteral("run"); });
        QSignalSpy finished(&job, &BenchJob::finished);
        QVERIFY(
            job.start(plan(test::demoBenchTarget(Db), quickOptions({ strategyById(QStringLiteral("baseline")) }, 1)),
                std::nullopt));
        QVERIFY(finished.wait(60000));
        // The leftover is reverted before anything is measured, and the window hears of it then, not at the end.
        QCOMPARE(order, (QStringList { QStringLiteral("warning"), QStringLiteral("run") }));
        const auto result = finished.first().at(0).value<SessionResult>();
        QVERIFY2(std::any_of(result.warnings.begin(), result.warnings.end(),
                     [](const QString &t) { return t.contains(QLatin1String("p4-indexes was applied")); }),
            qPrintable(result.warnings.join(QLatin1Char('\n'))));
        QCOMPARE(stateOf(QStringLiteral("p4-indexes")), QStringLiteral("not applied"));
    }

    void anUnreachableServerFails()
    {
        BenchJob job;
        QSignalSpy finished(&job, &BenchJob::finished);
        QSignalSpy failed(&job, &BenchJob::failed);
        BenchTarget t;
        t.conninfo = QStringLiteral("host=127.0.0.1 port=1 dbname=x connect_timeout=3");
        QVERIFY(job.start(plan(t, quickOptions({ strategyById(QStringLiteral("baseline")) })), std::nullopt));
        QVERIFY(failed.wait(20000));
        QCOMPARE(finished.size(), 0);
        QVERIFY2(failed.first().at(0).toString().contains(QLatin1String("No PostgreSQL server")),
            qPrintable(failed.first().at(0).toString()));
    }
};

QTEST_MAIN(TestBenchJob)
#include "tst_benchjob.moc"
