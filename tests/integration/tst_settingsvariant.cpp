// Settings variants against a real PostgreSQL holding a tiny demo (docs/settings.md): a variant returns its inner
// strategy's rows, runs under its overrides (EXPLAIN SETTINGS shows them) and only its own runs do, its settings are
// recorded in the note, the history and the JSON, the JIT time is read, and a bad name or value stops the session
// before anything runs.

#include "bench/runner.h"
#include "bench/service.h"
#include "benchhelpers.h"
#include "history/historyrecorder.h"
#include "history/historystore.h"
#include "present/sessionjson.h"
#include "strategies/settingsvariantstrategy.h"
#include "testcluster.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;

namespace {

const QString Db = QStringLiteral("settingsvariant");

QList<std::shared_ptr<Strategy>> strategies(const QStringList &ids)
{
    auto parsed = strategiesFromIds(ids);
    if (!parsed)
        qFatal("%s", qPrintable(parsed.error().message));
    return parsed.value();
}

const StrategyRun *runOf(const SessionResult &s, const QString &id)
{
    for (const StrategyRun &r : s.runs)
        if (r.strategyId == id)
            return &r;
    return nullptr;
}

QString describe(const BenchOutcome &o)
{
    QString s = o.error ? o.error->toString() : QStringLiteral("no error");
    for (const StrategyRun &r : o.session.runs)
        s += QStringLiteral("; %1: %2 %3").arg(r.strategyId, toString(r.outcome), r.error);
    return s;
}

BenchOutcome run(const BenchOptions &options, const QString &historyPath = {})
{
    HistoryRecorder recorder(historyPath);
    test::Calls calls;
    QList<SessionObserver *> observers { &calls };
    if (!historyPath.isEmpty())
        observers.prepend(&recorder);
    return BenchRunner(test::demoBenchTarget(Db)).run(options, nullptr, observers);
}

// The "Settings" EXPLAIN (SETTINGS) reported: the non-default settings that affect planning.
QJsonObject explainSettings(const StrategyRun &run)
{
    const QJsonDocument doc = QJsonDocument::fromJson(run.planJson);
    return doc.array().first().toObject().value(QLatin1String("Settings")).toObject();
}

} // namespace

class TestSettingsVariant : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        const QString built = test::buildTinyDemo(Db);
        QVERIFY2(built.isEmpty(), qPrintable(built));
    }

    void aVariantReturnsItsStrategysRowsUnderItsSettings()
    {
        QTemporaryDir dir;
        const QString historyPath = dir.filePath(QStringLiteral("history.sqlite"));
        BenchOptions o = test::quickOptions(
            strategies({ QStringLiteral("p4-indexes"), QStringLiteral("baseline"), QStringLiteral("baseline [jit=off]"),
                QStringLiteral("p4-indexes [random_page_cost=1.1]") }),
            3);
        const BenchOutcome out = run(o, historyPath);
        QVERIFY2(out.ok(), qPrintable(describe(out)));
        // The run order: each variant in the turn of the strategy whose objects it uses.
        QStringList order;
        for (const StrategyRun &r : out.session.runs)
            order << r.strategyId;
        QCOMPARE(order,
            QStringList({ QStringLiteral("baseline"), QStringLiteral("baseline [jit=off]"),
                QStringLiteral("p4-indexes"), QStringLiteral("p4-indexes [random_page_cost=1.1]") }));

        const StrategyRun *base = runOf(out.session, QStringLiteral("baseline"));
        const StrategyRun *baseJit = runOf(out.session, QStringLiteral("baseline [jit=off]"));
        const StrategyRun *p4 = runOf(out.session, QStringLiteral("p4-indexes"));
        const StrategyRun *p4Cost = runOf(out.session, QStringLiteral("p4-indexes [random_page_cost=1.1]"));
        QVERIFY(base && baseJit && p4 && p4Cost);
        // The same objects and query, so the same rows, checked against the baseline like any other row; the
        // variant of p4-indexes reads p4-indexes's indexes as its own (not "not isolated").
        for (const StrategyRun *r : { baseJit, p4Cost }) {
            QCOMPARE(toString(r->outcome), toString(RunOutcome::Ok));
            QCOMPARE(toString(r->check), toString(ResultCheck::Same));
            QVERIFY(r->speedup.valid);
        }
        QVERIFY(!base->pageKeys.isEmpty());
        QCOMPARE(baseJit->pageKeys, base->pageKeys);
        QCOMPARE(p4Cost->pageKeys, p4->pageKeys);
        QCOMPARE(p4Cost->sql, p4->sql);
        QCOMPARE(p4Cost->footprint.objects, p4->footprint.objects);

        // The settings: recorded with the run, said in its note, and seen by the server (EXPLAIN SETTINGS) ...
        QCOMPARE(baseJit->settings, QStringList { QStringLiteral("jit=off") });
        QVERIFY2(baseJit->note.contains(QStringLiteral("settings: jit=off")), qPrintable(baseJit->note));
        QCOMPARE(explainSettings(*baseJit).value(QLatin1String("jit")).toString(), QStringLiteral("off"));
        QCOMPARE(p4Cost->settings, QStringList { QStringLiteral("random_page_cost=1.1") });
        QCOMPARE(explainSettings(*p4Cost).value(QLatin1String("random_page_cost")).toString(), QStringLiteral("1.1"));
        // ... and only for the variant's own runs: the strategy measured after it runs under the session's settings.
        QVERIFY(base->settings.isEmpty());
        QVERIFY(!explainSettings(*p4).contains(QLatin1String("jit")));
        QVERIFY(!explainSettings(*base).contains(QLatin1String("jit")));
        // The JIT time is read from every plan: 0 on a tiny database, whose plans stay below jit_above_cost.
        for (const StrategyRun &r : out.session.runs)
            QVERIFY2(r.jitMs >= 0, qPrintable(r.strategyId));

        // The history keeps the settings and the JIT time ...
        auto store = HistoryStore::open(historyPath);
        QVERIFY(store.ok());
        auto loaded = store->loadSession(out.session.info.id);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
        const StrategyRun *stored = runOf(loaded.value(), QStringLiteral("baseline [jit=off]"));
        QVERIFY(stored);
        QCOMPARE(stored->settings, baseJit->settings);
        QCOMPARE(stored->jitMs, baseJit->jitMs);
        QVERIFY(runOf(loaded.value(), QStringLiteral("baseline"))->settings.isEmpty());
        // ... and so does the session's JSON.
        const QJsonObject json = toJson(out.session);
        bool seen = false;
        for (const QJsonValue &v : json.value(QLatin1String("results")).toArray()) {
            const QJsonObject r = v.toObject();
            if (r.value(QLatin1String("strategy")).toString() != QLatin1String("p4-indexes [random_page_cost=1.1]"))
                continue;
            seen = true;
            QVERIFY(
                r.value(QLatin1String("settings")).toArray() == QJsonArray { QStringLiteral("random_page_cost=1.1") });
            QVERIFY(r.value(QLatin1String("jit_ms")).isDouble());
        }
        QVERIFY(seen);
    }

    // "The baseline spends about 2 s of its 5 s compiling JIT code" at scale 1: with JIT forced on, the tiny demo's
    // plan compiles too, and the run says how long that took.
    void theJitTimeIsShownWhenThePlanCompiles()
    {
        auto s = test::TestCluster::get()->connect(Db);
        QVERIFY(s);
        auto available = s->exec(QStringLiteral("SELECT pg_jit_available()"));
        QVERIFY(available.ok());
        if (!available->toBool(0, 0))
            QSKIP("This server has no JIT provider (llvmjit).");
        BenchOptions o = test::quickOptions(
            strategies({ QStringLiteral("baseline [jit=on; jit_above_cost=0; jit_optimize_above_cost=0]") }), 2);
        const BenchOutcome out = run(o);
        QVERIFY2(out.ok(), qPrintable(describe(out)));
        const StrategyRun *forced
            = runOf(out.session, QStringLiteral("baseline [jit=on; jit_above_cost=0; jit_optimize_above_cost=0]"));
        QVERIFY(forced);
        QVERIFY2(forced->jitMs > 0, forced->planJson.left(3000).constData());
        QVERIFY(forced->jitMs <= forced->executionMs + forced->planningMs);
        QCOMPARE(runOf(out.session, QStringLiteral("baseline"))->jitMs, 0.0);
    }

    // A name the server does not know, one it does not let a session change, and a value it refuses: one sentence,
    // and nothing measured, nothing recorded.
    void badSettingsStopTheSessionBeforeAnythingRuns_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown name") << QStringLiteral("baseline [enable_teleport=on]")
                                      << QStringLiteral("sets enable_teleport, which this server does not know");
        QTest::newRow("not for one session")
            << QStringLiteral("baseline [shared_buffers=1GB]")
            << QStringLiteral(
                   "sets shared_buffers, which cannot be changed for one session (its context is postmaster)");
        QTest::newRow("bad value") << QStringLiteral("p4-indexes [work_mem=lots]")
                                   << QStringLiteral("The server refuses work_mem=lots of p4-indexes [work_mem=lots]");
        QTest::newRow("value out of range")
            << QStringLiteral("baseline [random_page_cost=-1]") << QStringLiteral("refuses random_page_cost=-1");
    }
    void badSettingsStopTheSessionBeforeAnythingRuns()
    {
        QFETCH(QString, id);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString historyPath = dir.filePath(QStringLiteral("history.sqlite"));
        auto s = test::TestCluster::get()->connect(Db);
        QVERIFY(s);
        const auto p4 = strategyById(QStringLiteral("p4-indexes"));
        auto before = p4->status(*s);
        QVERIFY(before.ok());
        const BenchOutcome out = run(test::quickOptions(strategies({ QStringLiteral("p4-indexes"), id })), historyPath);
        QVERIFY(out.error);
        QCOMPARE(out.error->code, errc::Input);
        QVERIFY2(out.error->message.contains(says), qPrintable(out.error->message));
        QVERIFY(out.session.runs.isEmpty());
        QCOMPARE(out.session.info.id, qint64(-1)); // not recorded
        // Nothing was applied or reverted (p4-indexes is built or taken away only in the session's course).
        auto after = p4->status(*s);
        QVERIFY(after.ok());
        QCOMPARE(toString(after->state), toString(before->state));
        QCOMPARE(after->present, before->present);
        auto sessions = HistoryStore::open(historyPath);
        QVERIFY(sessions.ok());
        auto listed = sessions->listSessions();
        QVERIFY(listed.ok());
        QVERIFY(listed->isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSettingsVariant)
#include "tst_settingsvariant.moc"
