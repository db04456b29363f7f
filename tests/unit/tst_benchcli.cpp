// `plansight bench` refuses contradictory or out-of-range options with an error (exit code 2 or 1) and one
// line saying what is wrong, before it connects to anything.

#include <QProcess>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString err;
};

Run bench(const QStringList &args)
{
    QProcess p;
    // A data directory that does not exist: nothing may be created or started for a usage error.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), QStringLiteral("/nonexistent/plansight-benchcli"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PLANSIGHT_BINARY), QStringList { QStringLiteral("bench") } + args);
    if (!p.waitForStarted(10000))
        qFatal("cannot start %s", PLANSIGHT_BINARY);
    if (!p.waitForFinished(60000))
        qFatal("plansight bench did not finish");
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardError()) };
}

} // namespace

class TestBenchCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badOptionsAreUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("says");
        QTest::newRow("preset and tag") << QStringList { QStringLiteral("--preset"), QStringLiteral("canonical"),
            QStringLiteral("--tag"), QStringLiteral("anime") }
                                        << QStringLiteral("either --preset or --tag");
        QTest::newRow("preset and by-cursor") << QStringList { QStringLiteral("--preset"), QStringLiteral("deep-page"),
            QStringLiteral("--by-cursor") } << QStringLiteral("--preset deep-cursor");
        QTest::newRow("negative budget") << QStringList { QStringLiteral("--budget"), QStringLiteral("-5") }
                                         << QStringLiteral("budget");
        QTest::newRow("budget not a number")
            << QStringList { QStringLiteral("--budget"), QStringLiteral("soon") } << QStringLiteral("budget");
        QTest::newRow("no runs") << QStringList { QStringLiteral("--runs"), QStringLiteral("0") }
                                 << QStringLiteral("runs");
        // --no-wait is an option of its own (fail instead of waiting for another session's lock), checked like the
        // rest.
        QTest::newRow("no-wait with no runs") << QStringList { QStringLiteral("--no-wait"), QStringLiteral("--runs"),
            QStringLiteral("0") } << QStringLiteral("--runs must be");
        QTest::newRow("cache TTL of zero") << QStringList { QStringLiteral("--cache-ttl"), QStringLiteral("0") }
                                           << QStringLiteral("--cache-ttl must be a whole number from 1");
        QTest::newRow("cache TTL not a number")
            << QStringList { QStringLiteral("--cache-ttl"), QStringLiteral("long") } << QStringLiteral("--cache-ttl");
        QTest::newRow("keep and do not keep")
            << QStringList { QStringLiteral("--keep-applied"), QStringLiteral("--no-keep-applied") }
            << QStringLiteral("either --keep-applied or --no-keep-applied");
        QTest::newRow("replica lag limit not a number") << QStringList { QStringLiteral("--replica-max-lag-ms"),
            QStringLiteral("soon") } << QStringLiteral("--replica-max-lag-ms must be");
        QTest::newRow("replica without a connection string")
            << QStringList { QStringLiteral("--replica"), QStringLiteral(" ") } << QStringLiteral("--replica needs");
        // Settings variants (docs/settings.md): names outside the settings that change plans or speed, and text that
        // is not an override, are refused before connecting; the server checks the rest before anything runs.
        QTest::newRow("settings: not a plan setting")
            << QStringList { QStringLiteral("--settings"), QStringLiteral("jit=off;port=5433") }
            << QStringLiteral("--settings \"jit=off;port=5433\": port does not change plans or speed");
        QTest::newRow("settings: not an override")
            << QStringList { QStringLiteral("--settings"), QStringLiteral("fast please") }
            << QStringLiteral("write name=value (jit=off), several separated by ';', or a preset (\"jit off\" and "
                              "\"no parallel\")");
        QTest::newRow("settings: one of several is bad") << QStringList { QStringLiteral("--settings"),
            QStringLiteral("jit off"), QStringLiteral("--settings"), QStringLiteral("work_mem=") }
                                                         << QStringLiteral("work_mem has no value");
        QTest::newRow("a strategy id with a bad override")
            << QStringList { QStringLiteral("--strategies"), QStringLiteral("baseline,x-topn [search_path=evil]") }
            << QStringLiteral("In the strategy 'x-topn [search_path=evil]': search_path does not change plans");
    }
    void badOptionsAreUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, says);
        const Run r = bench(args);
        QVERIFY2(
            r.exitCode == 1 || r.exitCode == 2, qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(r.err)));
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
        QVERIFY2(r.err.count(QLatin1Char('\n')) <= 2, qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestBenchCli)
#include "tst_benchcli.moc"
