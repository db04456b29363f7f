// Where PlanSight's files go (README.md, "Where files go"): the demo cluster under $XDG_STATE_HOME for a user
// (a demo made by an earlier PlanSight in ~/.local/share/plansight is still used), /var/lib/plansight/demo as
// root, $PLANSIGHT_DATA_DIR above both; and reading the history on a fresh machine creates no file.

#include "pg/localcluster.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace plansight;

namespace {

// Sets the variables for one test and restores them afterwards.
class Env {
public:
    void set(const char *name, const QString &value)
    {
        remember(name);
        qputenv(name, QFile::encodeName(value));
    }
    void unset(const char *name)
    {
        remember(name);
        qunsetenv(name);
    }
    ~Env()
    {
        for (const auto &[name, value] : m_saved)
            value.isNull() ? qunsetenv(name.constData()) : qputenv(name.constData(), value);
    }

private:
    void remember(const char *name)
    {
        for (const auto &saved : m_saved)
            if (saved.first == name)
                return;
        m_saved.append({ QByteArray(name), qgetenv(name) });
    }
    QList<QPair<QByteArray, QByteArray>> m_saved;
};

QStringList filesUnder(const QString &dir)
{
    QStringList found;
    QDirIterator it(
        dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        found << it.next();
    return found;
}

} // namespace

class TestFileLocations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_home = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/plansight-home-XXXXXX"));
        QVERIFY(m_home->isValid());
    }

    void userDemoGoesToStateHome()
    {
        Env env;
        env.unset("PLANSIGHT_DATA_DIR");
        env.set("HOME", m_home->path());
        env.set("XDG_DATA_HOME", m_home->filePath(QStringLiteral("data")));
        env.set("XDG_STATE_HOME", m_home->filePath(QStringLiteral("state")));
        QCOMPARE(LocalCluster::defaultRootDirFor(false), m_home->filePath(QStringLiteral("state/plansight/demo")));
    }

    void userDemoWithoutStateHomeGoesToLocalState()
    {
        Env env;
        env.unset("PLANSIGHT_DATA_DIR");
        env.set("HOME", m_home->path());
        env.unset("XDG_DATA_HOME");
        env.unset("XDG_STATE_HOME");
        QCOMPARE(
            LocalCluster::defaultRootDirFor(false), m_home->filePath(QStringLiteral(".local/state/plansight/demo")));
        // The spec ignores a relative path.
        env.set("XDG_STATE_HOME", QStringLiteral("relative/state"));
        QCOMPARE(
            LocalCluster::defaultRootDirFor(false), m_home->filePath(QStringLiteral(".local/state/plansight/demo")));
    }

    void rootDemoStaysInVarLib()
    {
        Env env;
        env.unset("PLANSIGHT_DATA_DIR");
        env.set("HOME", m_home->path());
        env.unset("XDG_DATA_HOME");
        env.set("XDG_STATE_HOME", m_home->filePath(QStringLiteral("state")));
        QCOMPARE(LocalCluster::defaultRootDirFor(true), QStringLiteral("/var/lib/plansight/demo"));
        QCOMPARE(LocalCluster::systemRootDir(), QStringLiteral("/var/lib/plansight/demo"));
    }

    void earlierDemoBesideTheHistoryIsStillUsed()
    {
        Env env;
        env.unset("PLANSIGHT_DATA_DIR");
        env.set("HOME", m_home->path());
        env.unset("XDG_DATA_HOME");
        env.unset("XDG_STATE_HOME");
        const QString earlier = m_home->filePath(QStringLiteral(".local/share/plansight"));
        QVERIFY(QDir().mkpath(earlier));
        QFile ini(earlier + QStringLiteral("/cluster.ini"));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.close();
        QCOMPARE(LocalCluster::defaultRootDirFor(false), earlier);
        QCOMPARE(LocalCluster::defaultRootDirFor(true), earlier);
    }

    void dataDirVariableWins()
    {
        Env env;
        env.set("PLANSIGHT_DATA_DIR", QStringLiteral("/srv/plansight-demo"));
        env.set("HOME", m_home->path());
        env.set("XDG_STATE_HOME", m_home->filePath(QStringLiteral("state")));
        QCOMPARE(LocalCluster::defaultRootDirFor(false), QStringLiteral("/srv/plansight-demo"));
        QCOMPARE(LocalCluster::defaultRootDirFor(true), QStringLiteral("/srv/plansight-demo"));
    }

    // `plansight history list` (and show) on a machine where PlanSight never ran: an answer, and no file made.
    void readingTheHistoryOnAFreshHomeCreatesNoFile()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : { "PLANSIGHT_HISTORY", "PLANSIGHT_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
                 "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR" })
            env.remove(QString::fromLatin1(name));
        env.insert(QStringLiteral("HOME"), m_home->path());
        const QString history = m_home->filePath(QStringLiteral(".local/share/plansight/history.sqlite"));

        QProcess list;
        list.setProcessEnvironment(env);
        list.start(QStringLiteral(PLANSIGHT_BINARY), { QStringLiteral("history"), QStringLiteral("list") });
        QVERIFY(list.waitForFinished(60000));
        const QString out = QString::fromUtf8(list.readAllStandardOutput());
        QCOMPARE(list.exitCode(), 0);
        QVERIFY2(out.contains(QStringLiteral("No session recorded yet in ") + history), qPrintable(out));

        QProcess show;
        show.setProcessEnvironment(env);
        show.start(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("history"), QStringLiteral("show"), QStringLiteral("1") });
        QVERIFY(show.waitForFinished(60000));
        const QString err = QString::fromUtf8(show.readAllStandardError());
        QCOMPARE(show.exitCode(), 1);
        QVERIFY2(err.contains(QStringLiteral("There is no session 1 in the history.")), qPrintable(err));
        QVERIFY2(err.contains(history + QStringLiteral(" does not exist yet")), qPrintable(err));

        QCOMPARE(filesUnder(m_home->path()), QStringList());
    }

private:
    std::unique_ptr<QTemporaryDir> m_home; // a fresh, empty home for each test
};

QTEST_GUILESS_MAIN(TestFileLocations)
#include "tst_filelocations.moc"
