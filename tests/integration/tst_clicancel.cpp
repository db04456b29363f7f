// Ctrl-C in the command line cancels even when the server never answers: here the CLI's backend waits on a
// lock and is then stopped (SIGSTOP), so the cancel request is never acted on. The first SIGINT must still
// end the command, with the "cancelled" exit code.

#include "pg/pgsession.h"
#include "testcluster.h"

#include <QProcess>
#include <QScopeGuard>
#include <QTest>

#include <csignal>

using namespace plansight;

class TestCliCancel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { PLANSIGHT_REQUIRE_CLUSTER(); }

    void firstCtrlCEndsACommandOnAStoppedServer()
    {
        auto *c = test::TestCluster::get();
        const QString db = QStringLiteral("clicancel");
        auto locker = c->connect(db);
        QVERIFY(locker);
        QVERIFY(locker->exec(QStringLiteral("CREATE TABLE IF NOT EXISTS content_tags (id int)")).ok());
        QVERIFY(locker->exec(QStringLiteral("BEGIN")).ok());
        QVERIFY(locker->exec(QStringLiteral("LOCK TABLE content_tags IN ACCESS EXCLUSIVE MODE")).ok());
        auto watcher = c->connect(db);
        QVERIFY(watcher);

        QProcess cli;
        cli.setProcessChannelMode(QProcess::MergedChannels);
        cli.start(
            QStringLiteral(PLANSIGHT_BINARY), { QStringLiteral("stats"), QStringLiteral("--dsn"), c->conninfo(db) });
        QVERIFY(cli.waitForStarted(10000));
        int backend = 0;
        auto resume = qScopeGuard([&] {
            if (backend > 0)
                ::kill(backend, SIGCONT);
            if (cli.state() != QProcess::NotRunning) {
                cli.kill();
                cli.waitForFinished();
            }
            (void)locker->exec(QStringLiteral("ROLLBACK"));
        });
        // The CLI's statement waits for the lock; then its backend stops answering altogether.
        const QString waiting
            = QStringLiteral("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = "
                             "'Lock' AND application_name LIKE 'PlanSight%'");
        QTRY_VERIFY_WITH_TIMEOUT(watcher->exec(waiting, { db })->rows() == 1, 60000);
        backend = watcher->exec(waiting, { db })->value(0, 0).toInt();
        QVERIFY(backend > 0);
        QCOMPARE(::kill(backend, SIGSTOP), 0);

        QCOMPARE(::kill(pid_t(cli.processId()), SIGINT), 0);
        const bool ended = cli.waitForFinished(120000);
        const QString out = QString::fromUtf8(cli.readAll());
        QVERIFY2(ended, "the first Ctrl-C did not end the command");
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QCOMPARE(cli.exitCode(), 130);
        QVERIFY2(out.contains(QLatin1String("ancel")), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestCliCancel)
#include "tst_clicancel.moc"
