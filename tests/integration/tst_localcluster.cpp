// The embedded cluster's directories and configuration are safe with hostile surroundings: a link planted
// where its socket directory goes is refused and its target left alone; a data directory whose path holds
// a quote works and one whose path could add a setting is refused; as root, a directory on the way that the
// server's user cannot traverse is refused with the command that would fix it, and left as it was.

#include "pg/localcluster.h"
#include "pg/pgsession.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace plansight;

namespace {

// Temporary directories are 0700; the server's user (as root) must get through them.
void openForTheServer(const QString &dir)
{
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeOther);
}

struct stat statOf(const QString &path)
{
    struct stat st { };
    ::lstat(QFile::encodeName(path).constData(), &st);
    return st;
}

QString describe(const Status &st)
{
    return st.ok() ? QStringLiteral("ok") : st.error().toString();
}

} // namespace

class TestLocalCluster : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!LocalCluster::findBinDir().ok())
            QSKIP("no PostgreSQL server binaries");
    }

    // A root too long for a socket path puts the socket in /tmp/plansight-<hash of the root>, a name anyone
    // can predict; a link planted there must not be followed.
    void aLinkPlantedAtTheSocketDirectoryIsRefused()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/plansight-lc-XXXXXX"));
        QVERIFY(tmp.isValid());
        openForTheServer(tmp.path());
        const QString root = tmp.path() + QLatin1Char('/') + QString(90, QLatin1Char('r'));
        const QString socketDir = QStringLiteral("/tmp/plansight-")
            + QString::fromLatin1(QCryptographicHash::hash(root.toUtf8(), QCryptographicHash::Sha1).toHex().left(12));
        QTemporaryDir target(QStringLiteral("/tmp/plansight-lc-target-XXXXXX"));
        QVERIFY(target.isValid());
        QVERIFY(QFile::setPermissions(target.path(),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                | QFile::ReadOther | QFile::ExeOther));
        const struct stat before = statOf(target.path());
        QFile::remove(socketDir);
        QVERIFY(QFile::link(target.path(), socketDir));
        auto unlink = qScopeGuard([&] { QFile::remove(socketDir); });

        LocalCluster cluster(root);
        auto cleanup = qScopeGuard([&] { (void)cluster.destroy(); });
        const Status st = cluster.start();
        QVERIFY2(!st.ok(), "the cluster used a planted link as its socket directory");
        QVERIFY2(st.error().message.contains(socketDir), qPrintable(st.error().message));
        QVERIFY2(st.error().message.contains(QLatin1String("link")), qPrintable(st.error().message));
        const struct stat after = statOf(target.path());
        QCOMPARE(after.st_mode, before.st_mode);
        QCOMPARE(after.st_uid, before.st_uid);
        QCOMPARE(after.st_gid, before.st_gid);
        QVERIFY(QDir(target.path()).isEmpty());
        QVERIFY(QFileInfo(socketDir).isSymLink());
    }

    void aSocketDirectoryOfAnotherUserIsRefused()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to make a directory of another user");
        QTemporaryDir tmp(QStringLiteral("/tmp/plansight-lc-XXXXXX"));
        QVERIFY(tmp.isValid());
        openForTheServer(tmp.path());
        const QString root = tmp.path() + QLatin1Char('/') + QString(90, QLatin1Char('o'));
        const QString socketDir = QStringLiteral("/tmp/plansight-")
            + QString::fromLatin1(QCryptographicHash::hash(root.toUtf8(), QCryptographicHash::Sha1).toHex().left(12));
        QDir(socketDir).removeRecursively();
        QVERIFY(QDir().mkdir(socketDir));
        auto remove = qScopeGuard([&] { QDir(socketDir).removeRecursively(); });
        QCOMPARE(::chown(QFile::encodeName(socketDir).constData(), 65534, 65534), 0); // nobody
        ::chmod(QFile::encodeName(socketDir).constData(), 0777);

        LocalCluster cluster(root);
        auto cleanup = qScopeGuard([&] { (void)cluster.destroy(); });
        const Status st = cluster.start();
        QVERIFY2(!st.ok(), "the cluster used another user's directory as its socket directory");
        QVERIFY2(st.error().message.contains(QLatin1String("another user")), qPrintable(st.error().message));
        QCOMPARE(statOf(socketDir).st_uid, uid_t(65534));
        QCOMPARE(statOf(socketDir).st_mode & 07777, mode_t(0777));
    }

    // A quote, a '#' and '=' in the path: the server starts, listens where it was told, and its
    // configuration holds exactly PlanSight's settings.
    void aDataDirectoryWithAQuoteWorks()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/plansight-lc-XXXXXX"));
        QVERIFY(tmp.isValid());
        openForTheServer(tmp.path());
        const QString root = tmp.path() + QStringLiteral("/o'brien #x = 'y' demo");
        LocalCluster cluster(root);
        auto cleanup = qScopeGuard([&] { (void)cluster.destroy(); });
        const Status st = cluster.start();
        QVERIFY2(st.ok(), qPrintable(describe(st)));
        QVERIFY(cluster.socketDir().startsWith(root));
        auto s = PgSession::connect(cluster.conninfo());
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        auto dirs = (*s)->exec(QStringLiteral("SELECT current_setting('unix_socket_directories')"));
        QVERIFY(dirs.ok());
        QCOMPARE(dirs->value(0, 0), QLatin1Char('"') + cluster.socketDir() + QLatin1Char('"'));
        auto settings = (*s)->exec(
            QStringLiteral("SELECT string_agg(name, ',' ORDER BY name), count(*) FILTER (WHERE error IS NOT NULL) "
                           "FROM pg_file_settings WHERE sourcefile LIKE '%plansight.conf'"));
        QVERIFY(settings.ok());
        QCOMPARE(settings->value(0, 1), QStringLiteral("0"));
        QCOMPARE(settings->value(0, 0),
            QStringLiteral(
                "checkpoint_timeout,listen_addresses,log_line_prefix,log_min_messages,maintenance_work_mem,"
                "max_wal_senders,max_wal_size,port,shared_buffers,synchronous_commit,unix_socket_directories,"
                "unix_socket_permissions,wal_level"));
    }

    // A line break would start a new line of postgresql.conf (a setting of the path's choosing): refused,
    // before anything is created.
    void aPathThatCouldAddASettingIsRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("says");
        QTest::newRow("line break") << QStringLiteral("x'\nlisten_addresses = '*") << QStringLiteral("line break");
        QTest::newRow("backslash") << QStringLiteral("x\\' #") << QStringLiteral("backslash");
        QTest::newRow("shell") << QStringLiteral("x\"$(touch pwned)\"") << QStringLiteral("double quote");
    }
    void aPathThatCouldAddASettingIsRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, says);
        QTemporaryDir tmp(QStringLiteral("/tmp/plansight-lc-XXXXXX"));
        QVERIFY(tmp.isValid());
        openForTheServer(tmp.path());
        LocalCluster cluster(tmp.path() + QLatin1Char('/') + name);
        auto cleanup = qScopeGuard([&] { (void)cluster.destroy(); });
        const Status st = cluster.start();
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, errc::Input);
        QVERIFY2(st.error().message.contains(says), qPrintable(st.error().message));
        QVERIFY(QDir(tmp.path()).isEmpty());
    }

    // As root, PlanSight changes no directory it did not create: an ancestor the server's user cannot
    // traverse is named, with the fix, and left as it was.
    void anUntraversableAncestorIsRefusedAndLeftAlone()
    {
        if (::geteuid() != 0)
            QSKIP("the server runs as another user only when PlanSight is root");
        QTemporaryDir tmp(QStringLiteral("/tmp/plansight-lc-XXXXXX"));
        QVERIFY(tmp.isValid());
        QVERIFY(QFile::setPermissions(tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)); // 0700
        LocalCluster cluster(tmp.path() + QStringLiteral("/home/demo"));
        auto cleanup = qScopeGuard([&] { (void)cluster.destroy(); });
        const Status st = cluster.start();
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(tmp.path()), qPrintable(st.error().message));
        QVERIFY2(st.error().message.contains(QLatin1String("700")), qPrintable(st.error().message));
        QVERIFY2(st.error().hint.contains(QStringLiteral("chmod o+x %1").arg(tmp.path())), qPrintable(st.error().hint));
        QCOMPARE(statOf(tmp.path()).st_mode & 07777, mode_t(0700));
        QVERIFY(QDir(tmp.path()).isEmpty());
    }

    // The root it is given (here 0700, as mkdtemp makes it) and the directories PlanSight creates on the way
    // are its own to open for the server's user.
    void theRootItselfIsOpenedForTheServer()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/plansight-lc-XXXXXX"));
        QVERIFY(tmp.isValid());
        QVERIFY(QFile::setPermissions(tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)); // 0700
        LocalCluster cluster(tmp.path());
        auto cleanup = qScopeGuard([&] { (void)cluster.destroy(); });
        const Status st = cluster.start();
        QVERIFY2(st.ok(), qPrintable(describe(st)));
        QVERIFY(cluster.isRunning());
    }

    void createdAncestorsAreOpenedForTheServer()
    {
        QTemporaryDir tmp(QStringLiteral("/tmp/plansight-lc-XXXXXX"));
        QVERIFY(tmp.isValid());
        openForTheServer(tmp.path());
        const mode_t old = ::umask(077);
        LocalCluster cluster(tmp.path() + QStringLiteral("/a/b/demo"));
        const Status st = cluster.start();
        ::umask(old);
        auto cleanup = qScopeGuard([&] { (void)cluster.destroy(); });
        QVERIFY2(st.ok(), qPrintable(describe(st)));
        QVERIFY(cluster.isRunning());
    }

    void rootsDefaultDemoIsOutsideItsHome()
    {
        if (::geteuid() != 0)
            QSKIP("only root's default differs");
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QByteArray savedData = qgetenv("PLANSIGHT_DATA_DIR"), savedXdg = qgetenv("XDG_DATA_HOME");
        auto restore = qScopeGuard([&] {
            qputenv("PLANSIGHT_DATA_DIR", savedData);
            qputenv("XDG_DATA_HOME", savedXdg);
        });
        qunsetenv("PLANSIGHT_DATA_DIR");
        qputenv("XDG_DATA_HOME", QFile::encodeName(home.path()));
        QCOMPARE(LocalCluster::defaultRootDir(), LocalCluster::systemRootDir());
        QVERIFY(!LocalCluster::systemRootDir().startsWith(QDir::homePath()));
        // A demo made in the home by an earlier PlanSight is still found.
        QVERIFY(QDir().mkpath(home.path() + QStringLiteral("/plansight")));
        QFile ini(home.path() + QStringLiteral("/plansight/cluster.ini"));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.close();
        QCOMPARE(LocalCluster::defaultRootDir(), home.path() + QStringLiteral("/plansight"));
    }
};

QTEST_GUILESS_MAIN(TestLocalCluster)
#include "tst_localcluster.moc"
