// The window connects like psql (README.md, "Connections"): without a verb, `plansight` takes the same connection
// options as the command line, and without them PGHOST, PGDATABASE or PGSERVICE, and says on stderr which server
// it took. The real binary runs on the offscreen platform against a real server; --probe-timing makes it quit
// once it is connected ("probe ready"). The demo's directory does not exist, so connecting to the demo instead
// could not succeed.

#include "testcluster.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;

namespace {

struct WindowRun {
    int exitCode = -1;
    QString out, err;
};

QProcessEnvironment cleanEnv()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys())
        if (k.startsWith(QLatin1String("PG")))
            env.remove(k);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), QStringLiteral("/nonexistent/plansight-windowconnect"));
    return env;
}

WindowRun runWindow(const QStringList &args, const QProcessEnvironment &env)
{
    QTemporaryDir config;
    QProcessEnvironment e = env;
    e.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path()); // no saved profile
    e.insert(QStringLiteral("XDG_STATE_HOME"), config.path());
    QProcess p;
    p.setProcessEnvironment(e);
    p.start(QStringLiteral(PLANSIGHT_BINARY),
        QStringList { QStringLiteral("--probe-timing"), QStringLiteral("--no-settings"), QStringLiteral("--history"),
            config.filePath(QStringLiteral("history.sqlite")) }
            + args);
    WindowRun r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// The test cluster's connection string as key -> value (its values are quoted: host='...').
QHash<QString, QString> conninfoValues(const QString &conninfo)
{
    QHash<QString, QString> values;
    static const QRegularExpression pair(QStringLiteral("(\\w+)=(?:'([^']*)'|(\\S+))"));
    for (auto it = pair.globalMatch(conninfo); it.hasNext();) {
        const auto m = it.next();
        values.insert(m.captured(1), m.captured(2).isEmpty() ? m.captured(3) : m.captured(2));
    }
    return values;
}

} // namespace

class TestWindowConnect : public QObject {
    Q_OBJECT

    QHash<QString, QString> m_server;

private Q_SLOTS:
    void initTestCase()
    {
        if (!test::TestCluster::get())
            QSKIP(qPrintable(test::TestCluster::reason()));
        m_server = conninfoValues(test::TestCluster::get()->conninfo(QStringLiteral("postgres")));
        QVERIFY(m_server.contains(QStringLiteral("host")));
        QVERIFY(m_server.contains(QStringLiteral("port")));
    }

    // PGHOST and friends name the server: the window connects to it, not to the (absent) demo, and says so.
    void environmentNamesTheServer()
    {
        QProcessEnvironment env = cleanEnv();
        env.insert(QStringLiteral("PGHOST"), m_server.value(QStringLiteral("host")));
        env.insert(QStringLiteral("PGPORT"), m_server.value(QStringLiteral("port")));
        env.insert(QStringLiteral("PGUSER"), m_server.value(QStringLiteral("user")));
        env.insert(QStringLiteral("PGDATABASE"), QStringLiteral("postgres"));
        const WindowRun r = runWindow({}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("probe ready")), qPrintable(r.out + r.err));
        QVERIFY2(r.err.contains(QLatin1String("the window connects to the server that PGHOST")), qPrintable(r.err));
    }

    // -h -p -U -d, as psql takes them (-h followed by a value is the host, not help).
    void optionsNameTheServer()
    {
        const WindowRun r
            = runWindow({ QStringLiteral("-h"), m_server.value(QStringLiteral("host")), QStringLiteral("-p"),
                            m_server.value(QStringLiteral("port")), QStringLiteral("-U"),
                            m_server.value(QStringLiteral("user")), QStringLiteral("-d"), QStringLiteral("postgres") },
                cleanEnv());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("probe ready")), qPrintable(r.out + r.err));
        QVERIFY2(r.err.contains(QLatin1String("the window connects to")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("from -h, -p, -U, -d")) || r.err.contains(QLatin1String("from -h")),
            qPrintable(r.err));
    }

    // A bad option is a usage error (2), and --demo beside a server is refused the same way as in the CLI.
    void badOptionsAreUsageErrors()
    {
        QCOMPARE(runWindow({ QStringLiteral("--no-such-option") }, cleanEnv()).exitCode, 2);
        const WindowRun r
            = runWindow({ QStringLiteral("--demo"), QStringLiteral("-h"), QStringLiteral("db1") }, cleanEnv());
        QVERIFY2(r.exitCode == 2, qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestWindowConnect)
#include "tst_windowconnect.moc"
