// Experiments (docs/experiments.md) run by the benchmark runner against a real PostgreSQL holding a tiny demo: the
// gallery example (examples/gallery) gives the baseline's rows and leaves the catalog as it was; a teardown that
// forgets an object is named; a variant whose rows differ is reported as different; a setting the server does not
// know is refused before anything runs; and the CLI refuses to run setup SQL on a server that is not the demo
// without --yes.

#include "bench/runner.h"
#include "benchhelpers.h"
#include "experiment/catalogdiff.h"
#include "experiment/experiment.h"
#include "experiment/experimentstrategy.h"
#include "gallery/demogenerator.h"
#include "testcluster.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;
using test::Calls;

#define COMPARE_ENUM(actual, expected) QCOMPARE(plansight::toString(actual), plansight::toString(expected))

namespace {

const QString Db = QStringLiteral("experiment");

QString galleryExample()
{
    return QDir(QStringLiteral(PLANSIGHT_TEST_DATA)).absoluteFilePath(QStringLiteral("../../examples/gallery"));
}

// A copy of the gallery example in `dir`, with `file` (relative) replaced by `text` when given.
void copyExample(const QString &dir, const QString &file = {}, const QByteArray &text = {})
{
    const QDir from(galleryExample());
    for (const QString &rel :
        { QStringLiteral("experiment.toml"), QStringLiteral("query.sql"), QStringLiteral("prejoin.sql"),
            QStringLiteral("indexes/setup.sql"), QStringLiteral("indexes/teardown.sql") }) {
        const QString to = QDir(dir).absoluteFilePath(rel);
        QDir().mkpath(QFileInfo(to).absolutePath());
        QFile::remove(to);
        QVERIFY(QFile::copy(from.absoluteFilePath(rel), to));
        QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner);
    }
    if (!file.isEmpty()) {
        QFile f(QDir(dir).absoluteFilePath(file));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }
}

struct ExperimentSession {
    QList<std::shared_ptr<ExperimentStrategy>> strategies;
    BenchOutcome outcome;
    QStringList warnings;
};

ExperimentSession runExperiment(const Experiment &experiment, const QStringList &only = {})
{
    ExperimentSession out;
    auto ex = std::make_shared<const Experiment>(experiment);
    out.strategies = experimentStrategies(ex);
    BenchOptions options;
    for (const auto &s : std::as_const(out.strategies))
        if (only.isEmpty() || only.contains(s->id()) || s->id() == QLatin1String("baseline"))
            options.strategies << s;
    options.workloads = experimentWorkloads(*ex);
    options.runs = 2;
    options.warmupRuns = 0;
    options.statementTimeoutMs = 20000;
    options.measureWriteCost = false;
    options.keepApplied = false;
    options.applyMissing = true;
    Calls calls;
    BenchRunner runner(test::demoBenchTarget(Db));
    out.outcome = runner.run(options, nullptr, { &calls });
    out.warnings = calls.warnings;
    return out;
}

const StrategyRun *runOf(const BenchOutcome &o, const QString &strategy, const QString &workload)
{
    for (const StrategyRun &r : o.session.runs)
        if (r.strategyId == strategy && r.workload.name == workload)
            return &r;
    return nullptr;
}

} // namespace

class TestExperimentRun : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> m_session;

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        m_session = test::TestCluster::get()->connect(Db);
        QVERIFY(m_session);
        DemoOptions demo;
        demo.scale = 0.002;
        demo.connections = 1;
        auto built = buildDemo(*m_session, demo);
        QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    }

    void theGalleryExampleGivesTheBaselinesRowsAndLeavesTheCatalogAsItWas()
    {
        auto loaded = loadExperiment(galleryExample());
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        auto before = readCatalog(*m_session);
        QVERIFY(before.ok());
        const ExperimentSession s = runExperiment(loaded.value());
        QVERIFY2(
            s.outcome.ok(), qPrintable(s.outcome.error ? s.outcome.error->toString() : QStringLiteral("cancelled")));
        QStringList warnings = s.warnings; // a busy machine is said, and is no fault of the experiment
        warnings.removeIf([](const QString &w) { return SessionInfo::isBusyWarning(w); });
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
        QCOMPARE(s.outcome.session.runs.size(), 4 * 2); // baseline and 3 variants x 2 parameter sets
        for (const StrategyRun &r : s.outcome.session.runs) {
            const QString what = r.strategyId + QStringLiteral(" / ") + r.workload.name + QStringLiteral(": ") + r.error
                + r.checkDetail;
            QVERIFY2(r.outcome == RunOutcome::Ok, qPrintable(what));
            QVERIFY2(r.check == ResultCheck::Same, qPrintable(what));
            QCOMPARE(r.rowsReturned, 25);
            QVERIFY(!r.planJson.isEmpty());
        }
        // The parameter sets are bound: page 3 is another page than page 1.
        QVERIFY(runOf(s.outcome, QStringLiteral("baseline"), QStringLiteral("canonical"))->pageKeys
            != runOf(s.outcome, QStringLiteral("baseline"), QStringLiteral("page-3"))->pageKeys);
        // The footprint of the index variant is what its setup created, found in the catalog.
        const StrategyRun *indexes = runOf(s.outcome, QStringLiteral("indexes"), QStringLiteral("canonical"));
        QVERIFY(indexes);
        QCOMPARE(indexes->footprint.objects.size(), 3);
        QVERIFY2(indexes->footprint.objects.contains(QStringLiteral("index public.gallery_ex_auto")),
            qPrintable(indexes->footprint.objects.join(QStringLiteral(", "))));
        QVERIFY(indexes->footprint.bytes > 0);
        QVERIFY(indexes->footprint.buildMs >= 0);
        // The settings variant's overrides are recorded with its runs and seen by the server.
        const StrategyRun *memory = runOf(s.outcome, QStringLiteral("more-memory"), QStringLiteral("canonical"));
        QVERIFY(memory->note.contains(QStringLiteral("work_mem=64MB")));
        QVERIFY2(memory->planJson.contains("\"work_mem\": \"64MB\""), memory->planJson.left(2000).constData());
        // Not left over for the variant measured after it (prejoin comes after more-memory in the manifest).
        const StrategyRun *prejoin = runOf(s.outcome, QStringLiteral("prejoin"), QStringLiteral("canonical"));
        QVERIFY(memory < prejoin); // both point into the session's runs, which are in run order
        QVERIFY2(!prejoin->planJson.contains("\"work_mem\": \"64MB\""), prejoin->planJson.left(3000).constData());
        // Teardown left the catalog as it was.
        auto after = readCatalog(*m_session);
        QVERIFY(after.ok());
        QCOMPARE(after->keys(), before->keys());
        for (const auto &strategy : s.strategies) {
            QVERIFY(!strategy->isApplied());
            QVERIFY2(strategy->lastTeardownProblem().isEmpty(), qPrintable(strategy->lastTeardownProblem()));
        }
    }

    void aTeardownThatForgetsAnObjectIsNamed()
    {
        QTemporaryDir dir;
        copyExample(dir.path(), QStringLiteral("indexes/teardown.sql"),
            "DROP INDEX public.gallery_ex_tag_source_content;\nDROP INDEX public.gallery_ex_regular;\n");
        auto loaded = loadExperiment(dir.path());
        QVERIFY(loaded.ok());
        const ExperimentSession s = runExperiment(loaded.value(), { QStringLiteral("indexes") });
        auto cleanUp = qScopeGuard(
            [&] { (void)m_session->exec(QStringLiteral("DROP INDEX IF EXISTS public.gallery_ex_auto")); });
        const QString problem = s.strategies[1]->lastTeardownProblem();
        QVERIFY2(problem.contains(QStringLiteral("left index public.gallery_ex_auto")), qPrintable(problem));
        QVERIFY(!problem.contains(QStringLiteral("gallery_ex_regular")));
        QVERIFY2(s.warnings.join(QLatin1Char('\n')).contains(QStringLiteral("index public.gallery_ex_auto")),
            qPrintable(s.warnings.join(QLatin1Char('\n'))));
        auto left = m_session->exec(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = 'gallery_ex_auto'"));
        QVERIFY(left.ok());
        QCOMPARE(left->toLongLong(0, 0), 1); // really left: the message is about the catalog, not a guess
    }

    void aConcurrentIndexIsBuiltOutsideATransactionAndTornDown()
    {
        QTemporaryDir dir;
        copyExample(
            dir.path(), QStringLiteral("indexes/teardown.sql"), "DROP INDEX CONCURRENTLY public.gallery_ex_auto;\n");
        QFile setup(QDir(dir.path()).absoluteFilePath(QStringLiteral("indexes/setup.sql")));
        QVERIFY(setup.open(QIODevice::WriteOnly | QIODevice::Truncate));
        setup.write("CREATE INDEX CONCURRENTLY gallery_ex_auto ON public.content_tags (tag_id, content_id) "
                    "WHERE content_source = 'auto';\nANALYZE public.content_tags;\n");
        setup.close();
        auto loaded = loadExperiment(dir.path());
        QVERIFY(loaded.ok());
        auto before = readCatalog(*m_session);
        QVERIFY(before.ok());
        const ExperimentSession s = runExperiment(loaded.value(), { QStringLiteral("indexes") });
        QVERIFY2(s.outcome.ok(), qPrintable(s.outcome.error ? s.outcome.error->toString() : QString()));
        const StrategyRun *r = runOf(s.outcome, QStringLiteral("indexes"), QStringLiteral("canonical"));
        QVERIFY(r);
        QVERIFY2(r->outcome == RunOutcome::Ok && r->check == ResultCheck::Same, qPrintable(r->error + r->checkDetail));
        QCOMPARE(r->footprint.objects, QStringList { QStringLiteral("index public.gallery_ex_auto") });
        auto after = readCatalog(*m_session);
        QVERIFY(after.ok());
        QCOMPARE(after->keys(), before->keys());
        QVERIFY2(s.strategies[1]->lastTeardownProblem().isEmpty(), qPrintable(s.strategies[1]->lastTeardownProblem()));
    }

    void aVariantReturningOtherRowsIsDifferent()
    {
        QTemporaryDir dir;
        QFile base(QDir(galleryExample()).absoluteFilePath(QStringLiteral("query.sql")));
        QVERIFY(base.open(QIODevice::ReadOnly));
        QByteArray shifted = base.readAll();
        // One row further: the same shape, the wrong page.
        QVERIFY(shifted.contains("OFFSET $4::bigint"));
        shifted.replace("OFFSET $4::bigint", "OFFSET $4::bigint + 1");
        copyExample(dir.path(), QStringLiteral("prejoin.sql"), shifted);
        auto loaded = loadExperiment(dir.path());
        QVERIFY(loaded.ok());
        const ExperimentSession s = runExperiment(loaded.value(), { QStringLiteral("prejoin") });
        const StrategyRun *r = runOf(s.outcome, QStringLiteral("prejoin"), QStringLiteral("canonical"));
        QVERIFY(r);
        COMPARE_ENUM(r->check, ResultCheck::Different);
        QVERIFY2(r->checkDetail.contains(QStringLiteral("first difference at row 1")), qPrintable(r->checkDetail));
    }

    void aSettingTheServerDoesNotKnowIsRefused()
    {
        QTemporaryDir dir;
        QFile example(QDir(galleryExample()).absoluteFilePath(QStringLiteral("experiment.toml")));
        QVERIFY(example.open(QIODevice::ReadOnly));
        QByteArray manifest = example.readAll();
        QVERIFY(manifest.contains("work_mem = \"64MB\""));
        manifest.replace("work_mem = \"64MB\"", "wrok_mem = \"64MB\""); // a typo the manifest's syntax allows
        copyExample(dir.path(), QStringLiteral("experiment.toml"), manifest);
        auto loaded = loadExperiment(dir.path());
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        auto st = checkSettingsOnServer(*m_session, loaded.value());
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(QStringLiteral("sets wrok_mem, which this server does not know")),
            qPrintable(st.error().message));
        QVERIFY2(st.error().message.contains(QStringLiteral("more-memory")), qPrintable(st.error().message));
        QVERIFY2(st.error().message.contains(QStringLiteral("experiment.toml, line ")), qPrintable(st.error().message));
        QVERIFY(checkSettingsOnServer(*m_session, loadExperiment(galleryExample()).value()).ok());
    }

    void theCliRunsNoSetupOnAnotherServerWithoutYes()
    {
        auto before = readCatalog(*m_session);
        QVERIFY(before.ok());
        QTemporaryDir home;
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), home.path()); // never the user's demo
        env.insert(QStringLiteral("HOME"), home.path());
        cli.setProcessEnvironment(env);
        cli.start(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("run"), galleryExample(), QStringLiteral("--dsn"), test::TestCluster::get()->conninfo(Db),
                QStringLiteral("--runs"), QStringLiteral("1"), QStringLiteral("--no-history") });
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(120000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QCOMPARE(cli.exitCode(), 2);
        QVERIFY2(err.contains(QStringLiteral("CREATE INDEX gallery_ex_auto")), qPrintable(err)); // shown verbatim
        QVERIFY2(err.contains(QStringLiteral("BEGIN;")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("--yes")), qPrintable(err));
        auto after = readCatalog(*m_session);
        QVERIFY(after.ok());
        QCOMPARE(after->keys(), before->keys());
    }

    void aBadManifestStopsTheCliBeforeItConnects()
    {
        QTemporaryDir dir;
        copyExample(dir.path(), QStringLiteral("experiment.toml"), "title = \"x\"\nquery = \"absent.sql\"\n");
        QProcess cli;
        cli.start(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("run"), dir.path(), QStringLiteral("--dsn"), QStringLiteral("host=/nonexistent") });
        QVERIFY(cli.waitForFinished(60000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QCOMPARE(cli.exitCode(), 2);
        QVERIFY2(err.contains(QStringLiteral("experiment.toml, line 2")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("absent.sql")), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestExperimentRun)
#include "tst_experimentrun.moc"
