// New experiments (docs/experiments.md, "A new experiment") against a real PostgreSQL that loads pg_stat_statements
// (LocalCluster preloads it): the top queries are listed by total and by mean time within 80 columns, the chosen one
// becomes the baseline with its parameters typed from the server and left to fill in, `plansight run` refuses the
// unfilled experiment naming the file and line, and a server without the extension gets a sentence saying what a
// superuser runs. From a plan: auto_explain's JSON with its query text, EXPLAIN JSON or text with the query beside
// it, the production plan shown by `plansight run` beside the measured one, and bad input refused with nothing
// written.

#include "experiment/experiment.h"
#include "experiment/experimentsource.h"
#include "testcluster.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;

namespace {

const QString Db = QStringLiteral("statements");
const QString NoExtensionDb = QStringLiteral("statements_bare");

// The slow query of the test: a customer's orders since a date (pg_stat_statements makes 42 and the date $1, $2).
const QString OrdersQuery = QStringLiteral(
    "SELECT id, total FROM orders WHERE customer = 42 AND created >= '2024-01-01T00:00:00Z'::timestamptz ORDER BY id");

struct CliRun {
    int exitCode = -1;
    QString out, err;
};

CliRun runCli(const QStringList &args, const QString &home)
{
    QProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), home); // never the user's demo
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("COLUMNS"), QStringLiteral("80"));
    cli.setProcessEnvironment(env);
    cli.start(QStringLiteral(PLANSIGHT_BINARY), args);
    cli.closeWriteChannel();
    CliRun r;
    if (!cli.waitForFinished(120000))
        return r;
    r.exitCode = cli.exitCode();
    r.out = QString::fromUtf8(cli.readAllStandardOutput());
    r.err = QString::fromUtf8(cli.readAllStandardError());
    return r;
}

QString planData(const QString &name)
{
    return QDir(QStringLiteral(PLANSIGHT_TEST_DATA)).absoluteFilePath(QStringLiteral("plans/") + name);
}

void writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

} // namespace

class TestExperimentNew : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> m_session;
    QTemporaryDir m_home;

    QString dsn(const QString &db = Db) const { return test::TestCluster::get()->conninfo(db); }

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        m_session = test::TestCluster::get()->connect(Db);
        QVERIFY(m_session);
        auto preload = m_session->exec(QStringLiteral("SHOW shared_preload_libraries"));
        QVERIFY(preload.ok());
        QVERIFY2(preload->value(0, 0).contains(QStringLiteral("pg_stat_statements")), qPrintable(preload->value(0, 0)));
        // The test's own cluster: PlanSight's tests may create the extension here.
        for (const char *sql : { "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
                 "CREATE TABLE orders (id int PRIMARY KEY, customer bigint, total numeric, created timestamptz)",
                 "INSERT INTO orders SELECT g, g % 100, g * 1.5, '2023-06-01'::timestamptz + g * interval '1 hour' "
                 "FROM generate_series(1, 20000) g",
                 "ANALYZE orders", "SELECT pg_stat_statements_reset()" })
            QVERIFY2(m_session->exec(QString::fromUtf8(sql)).ok(), sql);
        for (int i = 0; i < 5; ++i)
            QVERIFY(m_session->exec(OrdersQuery).ok());
        // A query with more total time and fewer calls: first by total.
        for (int i = 0; i < 2; ++i)
            QVERIFY(m_session
                        ->exec(QStringLiteral("SELECT count(*) FROM orders a JOIN orders b ON a.customer = "
                                              "b.customer WHERE a.id < 3000"))
                        .ok());
        QVERIFY(test::TestCluster::get()->connect(NoExtensionDb));
    }

    void theTopQueriesAreListedWithTheirTimes()
    {
        auto top = readTopStatements(*m_session, 5, ExtensionPolicy::MustExist);
        QVERIFY2(top.ok(), qPrintable(top.ok() ? QString() : top.error().message));
        QCOMPARE(top->database, Db);
        int orders = -1, join = -1;
        for (int i = 0; i < top->statements.size(); ++i) {
            if (top->statements[i].query.contains(QStringLiteral("FROM orders WHERE customer")))
                orders = i;
            if (top->statements[i].query.contains(QStringLiteral("JOIN orders b")))
                join = i;
        }
        QVERIFY(orders >= 0);
        QVERIFY(join >= 0);
        const TopStatement &s = top->statements[orders];
        QCOMPARE(s.calls, qint64(5));
        QVERIFY(s.totalMs > 0);
        QVERIFY(qAbs(s.meanMs - s.totalMs / 5) < 1e-6);
        QVERIFY2(s.query.contains(QStringLiteral("customer = $1")), qPrintable(s.query));
        QVERIFY(!s.query.contains(QStringLiteral("42")));
        // The join took more time in all: it ranks above the orders query by total.
        QVERIFY(top->statements[join].totalRank < s.totalRank);
        const QList<int> byTotal = top->byTotal();
        QVERIFY(byTotal.size() <= 5);
        for (int k = 1; k < byTotal.size(); ++k)
            QVERIFY(top->statements[byTotal[k - 1]].totalMs >= top->statements[byTotal[k]].totalMs);
        const QList<int> byMean = top->byMean();
        for (int k = 1; k < byMean.size(); ++k)
            QVERIFY(top->statements[byMean[k - 1]].meanMs >= top->statements[byMean[k]].meanMs);

        // The parameters' types come from the server; the values are left to fill in.
        auto made = experimentFromStatement(*m_session, s, QStringLiteral("the test server"));
        QVERIFY2(made.ok(), qPrintable(made.ok() ? QString() : made.error().message));
        const Experiment &ex = made->experiment;
        QCOMPARE(ex.parameters.size(), 2);
        QCOMPARE(toString(ex.parameters[0].type), QStringLiteral("bigint"));
        QCOMPARE(toString(ex.parameters[1].type), QStringLiteral("timestamptz"));
        QCOMPARE(ex.workloads.size(), 1);
        QVERIFY(!isFilledIn(ex));
        QVERIFY(ex.queryFileText.contains(QStringLiteral("$1 (p1): bigint")));
    }

    void aServerWithoutTheExtensionIsToldWhatToRun()
    {
        auto bare = test::TestCluster::get()->connect(NoExtensionDb);
        QVERIFY(bare);
        auto top = readTopStatements(*bare, 5, ExtensionPolicy::MustExist);
        QVERIFY(!top.ok());
        QVERIFY2(top.error().message.contains(QStringLiteral("CREATE EXTENSION pg_stat_statements")),
            qPrintable(top.error().message));
        auto ext = bare->exec(QStringLiteral("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'"));
        QVERIFY(ext.ok());
        QCOMPARE(ext->value(0, 0), QStringLiteral("0")); // not created behind the user's back
        const CliRun r = runCli(
            { QStringLiteral("experiment"), QStringLiteral("new"), QStringLiteral("--from-statements"),
                QStringLiteral("--dsn"), dsn(NoExtensionDb), QDir(m_home.path()).filePath(QStringLiteral("bare")) },
            m_home.path());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("CREATE EXTENSION pg_stat_statements")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(QDir(m_home.path()).filePath(QStringLiteral("bare"))));
    }

    void theCliListsAsksAndWritesAnExperimentToFillIn()
    {
        const QString dir = QDir(m_home.path()).filePath(QStringLiteral("orders"));
        const QStringList base { QStringLiteral("experiment"), QStringLiteral("new"),
            QStringLiteral("--from-statements"), QStringLiteral("--top"), QStringLiteral("5"), QStringLiteral("--dsn"),
            dsn() };
        // Without a terminal and without --pick: the listing, then a usage error; nothing is written.
        CliRun r = runCli(base + QStringList { dir }, m_home.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--pick")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir));
        QVERIFY(r.out.contains(QStringLiteral("by total time")));
        QVERIFY(r.out.contains(QStringLiteral("By mean time")));
        for (const QString &line : r.out.split(QLatin1Char('\n')))
            QVERIFY2(line.size() <= 80, qPrintable(line));
        // The number of the orders query, from its row.
        int pick = 0;
        static const QRegularExpression row(QStringLiteral("^\\s*(\\d+)\\s+5\\s+.*FROM orders WHERE customer"));
        for (const QString &line : r.out.split(QLatin1Char('\n'))) {
            const auto m = row.match(line);
            if (m.hasMatch())
                pick = m.captured(1).toInt();
        }
        QVERIFY2(pick > 0, qPrintable(r.out));

        r = runCli(base + QStringList { QStringLiteral("--pick"), QString::number(pick), dir }, m_home.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains(QStringLiteral("fill in the values")), qPrintable(r.out));
        auto edit = loadExperiment(dir, LoadMode::Edit);
        QVERIFY2(edit.ok(), qPrintable(edit.ok() ? QString() : edit.error().message));
        QVERIFY(edit->querySql.contains(QStringLiteral("customer = $1")));
        QCOMPARE(edit->parameters.size(), 2);
        QVERIFY(!isFilledIn(edit.value()));

        // plansight run on the unfilled experiment: the file and the line of the value, nothing run.
        r = runCli({ QStringLiteral("run"), dir, QStringLiteral("--dsn"), dsn(), QStringLiteral("--no-history") },
            m_home.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains(QRegularExpression(QStringLiteral("experiment.toml, line \\d+: value 1 \\(\\$1, p1\\)"))),
            qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("still to be filled in")));

        // A directory that is not empty is never written into.
        r = runCli(base + QStringList { QStringLiteral("--pick"), QString::number(pick), dir }, m_home.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("not empty")), qPrintable(r.err));
    }

    // auto_explain's JSON carries the query; EXPLAIN output needs it beside. The plan is kept as the production plan
    // and `plansight run` shows it beside the baseline's measured plan.
    void aPlanBecomesTheProductionPlanAndItsQueryTheBaseline()
    {
        const QString fromLog = QDir(m_home.path()).filePath(QStringLiteral("from-log"));
        CliRun r = runCli({ QStringLiteral("experiment"), QStringLiteral("new"), QStringLiteral("--from-plan"),
                              planData(QStringLiteral("quirk_auto_explain_json.log")), fromLog },
            m_home.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        auto log = loadExperiment(fromLog, LoadMode::Edit);
        QVERIFY2(log.ok(), qPrintable(log.ok() ? QString() : log.error().message));
        QCOMPARE(log->querySql, QStringLiteral("SELECT count(*) FROM small"));
        QCOMPARE(log->productionPlanFile, QStringLiteral("production-plan.json"));
        QFile original(planData(QStringLiteral("quirk_auto_explain_json.log")));
        QVERIFY(original.open(QIODevice::ReadOnly));
        QCOMPARE(log->productionPlanText.toUtf8(), original.readAll()); // kept as given
        QVERIFY(isFilledIn(log.value())); // no parameters

        // EXPLAIN (FORMAT JSON) and text from this server, with the query in a file of its own.
        const QString query = QStringLiteral("SELECT id, total FROM orders WHERE customer = $1 ORDER BY id");
        const QString queryFile = QDir(m_home.path()).filePath(QStringLiteral("orders.sql"));
        writeFile(queryFile, query.toUtf8() + ";\n");
        for (const QString &format : { QStringLiteral("json"), QStringLiteral("text") }) {
            auto explain = m_session->exec(QStringLiteral("EXPLAIN (ANALYZE, FORMAT %1) SELECT id, total FROM orders "
                                                          "WHERE customer = 42 ORDER BY id")
                                               .arg(format.toUpper()));
            QVERIFY(explain.ok());
            QStringList lines;
            for (int i = 0; i < explain->rows(); ++i)
                lines << explain->value(i, 0);
            const QString planFile = QDir(m_home.path()).filePath(QStringLiteral("plan.") + format);
            writeFile(planFile, lines.join(QLatin1Char('\n')).toUtf8() + "\n");
            const QString dir = QDir(m_home.path()).filePath(QStringLiteral("from-") + format);
            // Without the query: EXPLAIN does not carry it; nothing written.
            r = runCli(
                { QStringLiteral("experiment"), QStringLiteral("new"), QStringLiteral("--from-plan"), planFile, dir },
                m_home.path());
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("--query")), qPrintable(r.err));
            QVERIFY(!QFileInfo::exists(dir));
            r = runCli({ QStringLiteral("experiment"), QStringLiteral("new"), QStringLiteral("--from-plan"), planFile,
                           QStringLiteral("--query"), queryFile, dir },
                m_home.path());
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            auto ex = loadExperiment(dir, LoadMode::Edit);
            QVERIFY2(ex.ok(), qPrintable(ex.ok() ? QString() : ex.error().message));
            QCOMPARE(ex->querySql, query);
            QCOMPARE(ex->productionPlanFile,
                format == QLatin1String("json") ? QStringLiteral("production-plan.json")
                                                : QStringLiteral("production-plan.txt"));
            QCOMPARE(ex->parameters.size(), 1);
            QVERIFY(!isFilledIn(ex.value()));
        }

        // Filled in, with a settings variant, it runs and shows the production plan beside the measured one.
        auto ex = loadExperiment(QDir(m_home.path()).filePath(QStringLiteral("from-json")), LoadMode::Edit);
        QVERIFY(ex.ok());
        Experiment filled = ex.value();
        filled.parameters[0].type = ParamType::BigInt;
        filled.workloads[0].values = { qlonglong(42) };
        ExperimentVariant v;
        v.id = QStringLiteral("more-memory");
        v.title = QStringLiteral("More work_mem");
        v.settings = { { QStringLiteral("work_mem"), QStringLiteral("32MB"), 0 } };
        filled.variants = { v };
        auto saved = saveExperiment(filled, filled.directory);
        QVERIFY(saved.ok());
        QVERIFY(loadExperiment(filled.directory).ok());
        r = runCli(
            { QStringLiteral("run"), filled.directory, QStringLiteral("--dsn"), dsn(), QStringLiteral("--runs"),
                QStringLiteral("1"), QStringLiteral("--warmup"), QStringLiteral("0"), QStringLiteral("--no-history") },
            m_home.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(
            r.out.contains(QStringLiteral("The production plan (production-plan.json) against the baseline's plan")),
            qPrintable(r.out));
    }

    void badPlansAreRefusedAndNothingIsWritten_data()
    {
        QTest::addColumn<QByteArray>("plan");
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not a plan") << QByteArray("hello, this is not a plan\n") << QByteArray()
                                    << QStringLiteral("not a plan PlanSight can read");
        QTest::newRow("empty") << QByteArray() << QByteArray() << QStringLiteral("not a plan PlanSight can read");
        QTest::newRow("truncated json") << QByteArray("[{\"Plan\": {\"Node Type\": \"Seq Scan\"") << QByteArray()
                                        << QStringLiteral("not a plan PlanSight can read");
        const QByteArray text = "Seq Scan on orders  (cost=0.00..1.00 rows=1 width=4)\n";
        QTest::newRow("two statements") << text << QByteArray("SELECT 1; SELECT 2;") << QStringLiteral("2 statements");
        QTest::newRow("an update") << text << QByteArray("UPDATE orders SET total = 0")
                                   << QStringLiteral("a query that reads");
        QTest::newRow("empty query") << text << QByteArray("-- nothing\n") << QStringLiteral("is empty");
        QTest::newRow("placeholder gap") << text << QByteArray("SELECT $1, $3") << QStringLiteral("without gaps");
    }
    void badPlansAreRefusedAndNothingIsWritten()
    {
        QFETCH(QByteArray, plan);
        QFETCH(QByteArray, query);
        QFETCH(QString, mentions);
        QTemporaryDir work;
        const QString planFile = work.filePath(QStringLiteral("plan.txt"));
        writeFile(planFile, plan);
        QStringList args { QStringLiteral("experiment"), QStringLiteral("new"), QStringLiteral("--from-plan"),
            planFile };
        if (!query.isEmpty()) {
            writeFile(work.filePath(QStringLiteral("q.sql")), query);
            args << QStringLiteral("--query") << work.filePath(QStringLiteral("q.sql"));
        }
        const QString dir = work.filePath(QStringLiteral("new"));
        const CliRun r = runCli(args << dir, m_home.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir));
    }
};

QTEST_GUILESS_MAIN(TestExperimentNew)
#include "tst_experimentnew.moc"
