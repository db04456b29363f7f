// A process killed in the middle of writing the history leaves a file that passes integrity_check, with every
// session it had finished intact and every run it had stored whole (one transaction per run).
//
// The writer is this same executable started again with PLANSIGHT_HISTORYCRASH_CHILD=<file>: it writes sessions
// in a loop and prints "finished <id>" after each finishSession(). The test kills it with SIGKILL at various
// moments, then checks the file, and lets the next writer continue on the same file.

#include "history/historystore.h"
#include "historysamples.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>

using namespace plansight;

namespace {

const char *ChildEnv = "PLANSIGHT_HISTORYCRASH_CHILD";

// The sample session with plans large enough that a run's transaction spans many pages.
SessionResult crashSession()
{
    SessionResult s = test::sampleSession();
    for (StrategyRun &r : s.runs) {
        if (r.planJson.isEmpty())
            continue;
        QByteArray plan = "[";
        for (int i = 0; i < 3000; ++i)
            plan += "{\"Node Type\": \"Bitmap Heap Scan\", \"Relation Name\": \"" + r.strategyId.toUtf8()
                + "\", \"Loop\": " + QByteArray::number(i * 7919 % 104729) + "},";
        r.planJson = plan + "{}]";
        r.timingsMs.clear();
        for (int i = 0; i < 200; ++i)
            r.timingsMs << r.stats.p50Ms + i / 1000.0;
        r.stats.count = 200;
    }
    return s;
}

int runWriter(const QString &path)
{
    auto store = HistoryStore::open(path);
    if (!store) {
        fprintf(stderr, "writer: %s\n", qPrintable(store.error().toString()));
        return 1;
    }
    const SessionResult s = crashSession();
    for (;;) {
        auto id = store->beginSession(s.info);
        if (!id) {
            fprintf(stderr, "writer: %s\n", qPrintable(id.error().toString()));
            return 1;
        }
        for (const StrategyRun &r : s.runs) {
            if (auto st = store->addRun(id.value(), r); !st) {
                fprintf(stderr, "writer: %s\n", qPrintable(st.error().toString()));
                return 1;
            }
        }
        if (auto st = store->finishSession(id.value()); !st) {
            fprintf(stderr, "writer: %s\n", qPrintable(st.error().toString()));
            return 1;
        }
        printf("finished %lld\n", static_cast<long long>(id.value()));
        fflush(stdout);
    }
}

} // namespace

class TestHistoryCrash : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedWriterLeavesAnIntactHistory_data()
    {
        QTest::addColumn<int>("killAfterMs");
        // Right after a session finished, and at moments that fall inside later runs' transactions.
        for (int ms : { 0, 3, 11, 29, 57, 113 })
            QTest::newRow(qPrintable(QStringLiteral("%1 ms").arg(ms))) << ms;
    }
    void killedWriterLeavesAnIntactHistory()
    {
        QFETCH(int, killAfterMs);
        const QString path = m_dir.filePath(QStringLiteral("crash.sqlite"));

        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(ChildEnv), path);
        child.setProcessEnvironment(env);
        child.setProgram(QCoreApplication::applicationFilePath());
        child.start();
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));

        // Wait until this writer has finished two sessions of its own, then let it run into the next ones.
        int finishedHere = 0;
        QByteArray pending;
        while (finishedHere < 2) {
            QVERIFY2(child.state() == QProcess::Running || child.bytesAvailable() > 0,
                qPrintable(QString::fromUtf8(child.readAllStandardError())));
            child.waitForReadyRead(10000);
            pending += child.readAllStandardOutput();
            while (pending.contains('\n')) {
                const qsizetype nl = pending.indexOf('\n');
                const QByteArray line = pending.left(nl);
                pending.remove(0, nl + 1);
                QVERIFY2(line.startsWith("finished "), line.constData());
                m_finished << line.mid(9).toLongLong();
                ++finishedHere;
            }
        }
        QTest::qSleep(killAfterMs);
        child.kill(); // SIGKILL: no destructor, no rollback, no checkpoint
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        // Lines written before the kill name sessions that were finished too.
        pending += child.readAllStandardOutput();
        for (const QByteArray &line : pending.split('\n'))
            if (line.startsWith("finished "))
                m_finished << line.mid(9).toLongLong();

        auto store = HistoryStore::open(path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        QCOMPARE(store->integrityCheck().value(), QStringLiteral("ok"));

        const SessionResult expected = crashSession();
        // Every session a writer reported finished, from this round and the earlier ones, is there whole.
        for (qint64 id : std::as_const(m_finished)) {
            auto s = store->loadSession(id);
            QVERIFY2(s.ok(),
                qPrintable(QStringLiteral("session %1: %2").arg(id).arg(s.ok() ? QString() : s.error().toString())));
            const QString diff = test::diffSessions(expected, s.value(), false);
            QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("session %1: %2").arg(id).arg(diff)));
            QVERIFY(store->sessionFinishedAt(id)->isValid());
        }
        // A session the kill interrupted holds only whole runs, in order.
        auto list = store->listSessions();
        QVERIFY(list.ok());
        for (const SessionSummary &sum : list.value()) {
            if (m_finished.contains(sum.id))
                continue;
            auto s = store->loadSession(sum.id);
            QVERIFY(s.ok());
            QVERIFY(s->runs.size() <= expected.runs.size());
            for (qsizetype i = 0; i < s->runs.size(); ++i) {
                const QString diff = test::diffRuns(expected.runs.at(i), s->runs.at(i));
                QVERIFY2(diff.isEmpty(),
                    qPrintable(QStringLiteral("interrupted session %1, run %2: %3").arg(sum.id).arg(i).arg(diff)));
            }
            if (s->runs.size() < expected.runs.size())
                QVERIFY(!sum.finishedAt.isValid());
            if (!m_reported.contains(sum.id))
                qInfo("session %lld was interrupted with %d of %d runs stored", static_cast<long long>(sum.id),
                    int(s->runs.size()), int(expected.runs.size()));
            m_reported << sum.id;
        }
    }

private:
    QTemporaryDir m_dir;
    QList<qint64> m_finished;
    QList<qint64> m_reported;
};

int main(int argc, char **argv)
{
    const QByteArray child = qgetenv(ChildEnv);
    if (!child.isEmpty())
        return runWriter(QString::fromLocal8Bit(child));
    QCoreApplication app(argc, argv);
    TestHistoryCrash test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_historycrash.moc"
