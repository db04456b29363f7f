// The test harness itself: a test process that died without stopping its PostgreSQL (SIGKILL, a ctest
// timeout) must not leave the server running for ever. The next TestCluster::get() stops and removes the
// clusters whose owning process is gone, and leaves the clusters of live processes alone.

#include "pg/localcluster.h"
#include "testcluster.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace plansight;

namespace {

// The pid of a process that has ended (a finished child), so it names no live process.
qint64 deadPid()
{
    QProcess p;
    p.start(QStringLiteral("/bin/true"), {});
    p.waitForFinished();
    return p.processId() > 0 ? p.processId() : 999999;
}

bool writeOwner(const QString &dir, qint64 pid)
{
    QFile f(dir + QStringLiteral("/owner.pid"));
    return f.open(QIODevice::WriteOnly) && f.write(QByteArray::number(pid)) > 0;
}

} // namespace

class TestTestCluster : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void orphanedClustersAreReapedAndLiveOnesKept()
    {
        if (!LocalCluster::findBinDir().ok())
            QSKIP("no PostgreSQL server binaries");
        // An orphan: a running cluster whose owner has ended.
        QTemporaryDir orphanDir(QStringLiteral("/tmp/plansight-test-XXXXXX"));
        orphanDir.setAutoRemove(false);
        QVERIFY(orphanDir.isValid());
        // Owned by this process while it starts: other test processes running in parallel reap orphans too, and
        // one that found it half-started would remove it under the start. Orphaned once it runs (any of them may
        // reap it from then on; the checks below hold either way).
        QVERIFY(writeOwner(orphanDir.path(), qint64(::getpid())));
        QVERIFY(QFile::setPermissions(orphanDir.path(),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther));
        LocalCluster orphan(orphanDir.path() + QStringLiteral("/cluster"));
        auto started = orphan.start();
        QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().toString()));
        QVERIFY(orphan.isRunning());
        QVERIFY(writeOwner(orphanDir.path(), deadPid()));
        // A bystander owned by this (live) process: never touched.
        QTemporaryDir liveDir(QStringLiteral("/tmp/plansight-test-XXXXXX"));
        QVERIFY(liveDir.isValid());
        QVERIFY(writeOwner(liveDir.path(), qint64(::getpid())));
        QFile marker(liveDir.path() + QStringLiteral("/marker"));
        QVERIFY(marker.open(QIODevice::WriteOnly));
        marker.close();

        // The first cluster of this process reaps the orphan.
        QVERIFY2(test::TestCluster::get(), qPrintable(test::TestCluster::reason()));
        QVERIFY(!orphan.isRunning());
        QVERIFY(!QDir(orphanDir.path()).exists());
        QVERIFY(QFile::exists(marker.fileName()));
        // Its own cluster is up and says who owns it.
        QFile owner(QFileInfo(test::TestCluster::get()->cluster().rootDir()).path() + QStringLiteral("/owner.pid"));
        QVERIFY(owner.open(QIODevice::ReadOnly));
        QCOMPARE(owner.readAll().trimmed().toLongLong(), qint64(::getpid()));
    }
};

QTEST_GUILESS_MAIN(TestTestCluster)
#include "tst_testcluster.moc"
