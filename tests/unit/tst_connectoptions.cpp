// Choosing the server as psql does (README.md, "Connections"), without a server: which one the options and the
// environment name (resolveConnection), a bare word in --dsn, service=NAME, -h/-p/-U/-d over --dsn,
// PGCONNECT_TIMEOUT over PlanSight's default; and the command line's exit codes (0, 1, 2, 3) for every verb.

#include "pg/conninfo.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <libpq-fe.h>

using namespace plansight;

namespace {

QProcessEnvironment envWith(const QList<QPair<QString, QString>> &vars)
{
    QProcessEnvironment env;
    for (const auto &[k, v] : vars)
        env.insert(k, v);
    return env;
}

// The key=value pairs libpq reads in `conninfo`, as "key=value" strings in libpq's order.
QStringList pairs(const QString &conninfo)
{
    char *err = nullptr;
    PQconninfoOption *opts = PQconninfoParse(conninfo.toUtf8().constData(), &err);
    if (err)
        PQfreemem(err);
    QStringList out;
    if (!opts)
        return { QStringLiteral("<unparsable>") };
    for (PQconninfoOption *o = opts; o->keyword; ++o)
        if (o->val)
            out << QString::fromUtf8(o->keyword) + QLatin1Char('=') + QString::fromUtf8(o->val);
    PQconninfoFree(opts);
    out.sort();
    return out;
}

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runPlansight(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PLANSIGHT_BINARY), args);
    if (!p.waitForStarted(10000))
        qFatal("cannot start %s", PLANSIGHT_BINARY);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000))
        qFatal("plansight did not finish");
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
        QString::fromUtf8(p.readAllStandardError()) };
}

// The machine's environment without the variables that choose a server, with the demo in `dataDir`.
QProcessEnvironment cleanEnv(const QString &dataDir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys())
        if (k.startsWith(QLatin1String("PG")))
            env.remove(k);
    env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), dataDir);
    return env;
}

} // namespace

class TestConnectOptions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void whichServer_data()
    {
        QTest::addColumn<QString>("dsn");
        QTest::addColumn<QStringList>("hpUd"); // -h -p -U -d, empty for not given
        QTest::addColumn<bool>("demo");
        QTest::addColumn<QStringList>("env"); // NAME=value
        QTest::addColumn<bool>("useDemo");
        QTest::addColumn<QStringList>("conninfo"); // the pairs libpq reads, sorted
        QTest::addColumn<QString>("source");
        const QStringList none { {}, {}, {}, {} };
        QTest::newRow("nothing: the demo") << QString() << none << false << QStringList() << true << QStringList()
                                           << QStringLiteral("no --dsn, -h, -d, PGHOST, PGDATABASE or PGSERVICE");
        QTest::newRow("PGHOST: that server")
            << QString() << none << false << QStringList { QStringLiteral("PGHOST=db1") } << false << QStringList()
            << QStringLiteral("PGHOST=db1");
        QTest::newRow("PGDATABASE") << QString() << none << false << QStringList { QStringLiteral("PGDATABASE=app") }
                                    << false << QStringList() << QStringLiteral("PGDATABASE=app");
        QTest::newRow("PGSERVICE and PGHOST")
            << QString() << none << false
            << QStringList { QStringLiteral("PGSERVICE=prod"), QStringLiteral("PGHOST=db1") } << false << QStringList()
            << QStringLiteral("PGHOST=db1, PGSERVICE=prod");
        QTest::newRow("PGUSER alone: still the demo")
            << QString() << none << false << QStringList { QStringLiteral("PGUSER=alice") } << true << QStringList()
            << QStringLiteral("no --dsn, -h, -d, PGHOST, PGDATABASE or PGSERVICE");
        QTest::newRow("empty PGHOST: the demo")
            << QString() << none << false << QStringList { QStringLiteral("PGHOST=") } << true << QStringList()
            << QStringLiteral("no --dsn, -h, -d, PGHOST, PGDATABASE or PGSERVICE");
        QTest::newRow("--demo beats PGHOST")
            << QString() << none << true << QStringList { QStringLiteral("PGHOST=db1") } << true << QStringList()
            << QStringLiteral("--demo");
        QTest::newRow("bare word: a database")
            << QStringLiteral("gallery") << none << false << QStringList() << false
            << QStringList { QStringLiteral("dbname=gallery") } << QStringLiteral("--dsn");
        QTest::newRow("bare word with a space")
            << QStringLiteral("my db") << none << false << QStringList() << false
            << QStringList { QStringLiteral("dbname=my db") } << QStringLiteral("--dsn");
        QTest::newRow("service=NAME") << QStringLiteral("service=prod") << none << false << QStringList() << false
                                      << QStringList { QStringLiteral("service=prod") } << QStringLiteral("--dsn");
        QTest::newRow("key=value kept") << QStringLiteral("host=db1 port=5433 dbname=app sslmode=require") << none
                                        << false << QStringList() << false
                                        << QStringList { QStringLiteral("dbname=app"), QStringLiteral("host=db1"),
                                               QStringLiteral("port=5433"), QStringLiteral("sslmode=require") }
                                        << QStringLiteral("--dsn");
        QTest::newRow("URI kept") << QStringLiteral("postgresql://alice@db1:5433/app?sslmode=verify-full") << none
                                  << false << QStringList() << false
                                  << QStringList { QStringLiteral("dbname=app"), QStringLiteral("host=db1"),
                                         QStringLiteral("port=5433"), QStringLiteral("sslmode=verify-full"),
                                         QStringLiteral("user=alice") }
                                  << QStringLiteral("--dsn");
        QTest::newRow("-h -p -U -d win over --dsn")
            << QStringLiteral("postgresql://alice@db1:5433/app")
            << QStringList { QStringLiteral("db2"), QStringLiteral("6000"), QStringLiteral("bob"),
                   QStringLiteral("other") }
            << false << QStringList() << false
            << QStringList { QStringLiteral("dbname=other"), QStringLiteral("host=db2"), QStringLiteral("port=6000"),
                   QStringLiteral("user=bob") }
            << QStringLiteral("--dsn, -h, -p, -U, -d");
        QTest::newRow("-U with a service")
            << QStringLiteral("service=prod") << QStringList { {}, {}, QStringLiteral("bob"), {} } << false
            << QStringList() << false << QStringList { QStringLiteral("service=prod"), QStringLiteral("user=bob") }
            << QStringLiteral("--dsn, -U");
        QTest::newRow("-h alone beats PGSERVICE")
            << QString() << QStringList { QStringLiteral("/run/pg"), {}, {}, {} } << false
            << QStringList { QStringLiteral("PGSERVICE=prod") } << false
            << QStringList { QStringLiteral("host=/run/pg") } << QStringLiteral("-h");
        QTest::newRow("-d with a connection string is the DSN")
            << QString() << QStringList { {}, QStringLiteral("5434"), {}, QStringLiteral("host=db1 dbname=app") }
            << false << QStringList() << false
            << QStringList { QStringLiteral("dbname=app"), QStringLiteral("host=db1"), QStringLiteral("port=5434") }
            << QStringLiteral("-p, -d");
        QTest::newRow("a value that needs quoting")
            << QString() << QStringList { QStringLiteral("/tmp/a b'c"), {}, {}, QStringLiteral("x") } << false
            << QStringList() << false << QStringList { QStringLiteral("dbname=x"), QStringLiteral("host=/tmp/a b'c") }
            << QStringLiteral("-h, -d");
    }
    void whichServer()
    {
        QFETCH(QString, dsn);
        QFETCH(QStringList, hpUd);
        QFETCH(bool, demo);
        QFETCH(QStringList, env);
        QFETCH(bool, useDemo);
        QFETCH(QStringList, conninfo);
        QFETCH(QString, source);
        ConnectionRequest request;
        request.dsn = dsn;
        request.host = hpUd.at(0);
        request.port = hpUd.at(1);
        request.user = hpUd.at(2);
        request.dbname = hpUd.at(3);
        request.demo = demo;
        QProcessEnvironment e;
        for (const QString &kv : env)
            e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        auto r = resolveConnection(request, e);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->useDemo, useDemo);
        QCOMPARE(r->source, source);
        if (conninfo.isEmpty())
            QVERIFY(r->conninfo.isEmpty());
        else
            QCOMPARE(pairs(r->conninfo), conninfo);
    }

    void contradictionsAreUsageErrors()
    {
        ConnectionRequest both;
        both.demo = true;
        both.dsn = QStringLiteral("host=db1");
        auto r = resolveConnection(both, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY(r.error().message.contains(QLatin1String("--demo")));

        ConnectionRequest demoAndHost;
        demoAndHost.demo = true;
        demoAndHost.host = QStringLiteral("db1");
        QVERIFY(!resolveConnection(demoAndHost, {}).ok());

        ConnectionRequest twoStrings;
        twoStrings.dsn = QStringLiteral("host=db1");
        twoStrings.dbname = QStringLiteral("postgresql://db2/app");
        r = resolveConnection(twoStrings, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);

        // An unparsable DSN is refused without repeating it (it may hold a password).
        ConnectionRequest bad;
        bad.dsn = QStringLiteral("host=db1 password='S3cret");
        r = resolveConnection(bad, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY(!r.error().toString().contains(QLatin1String("S3cret")));
    }

    void connectTimeout()
    {
        const QProcessEnvironment none;
        QCOMPARE(plansightConnectTimeout(QStringLiteral("host=db1"), 10, none), std::optional<int>(10));
        QCOMPARE(plansightConnectTimeout(QString(), 10, none), std::optional<int>(10));
        QCOMPARE(plansightConnectTimeout(QStringLiteral("gallery"), 10, none), std::optional<int>(10));
        // PGCONNECT_TIMEOUT wins over PlanSight's default: libpq reads it.
        QCOMPARE(plansightConnectTimeout(QStringLiteral("host=db1"), 10,
                     envWith({ { QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("3") } })),
            std::nullopt);
        // So does the connection string's own.
        QCOMPARE(plansightConnectTimeout(QStringLiteral("host=db1 connect_timeout=30"), 10, none), std::nullopt);
        QCOMPARE(
            plansightConnectTimeout(QStringLiteral("postgresql://db1/app?connect_timeout=2"), 10, none), std::nullopt);
        QCOMPARE(plansightConnectTimeout(
                     QStringLiteral("host=db1"), 10, envWith({ { QStringLiteral("PGCONNECT_TIMEOUT"), QString() } })),
            std::optional<int>(10));
    }

    void passwordsStayOutOfTheDisplay()
    {
        const QString with = withPassword(QStringLiteral("postgresql://alice@db1/app"), QStringLiteral("p w'x"));
        QVERIFY(pairs(with).contains(QStringLiteral("password=p w'x")));
        QVERIFY(pairs(with).contains(QStringLiteral("host=db1")));
        QVERIFY(!displayConninfo(with).contains(QLatin1String("p w")));
        QCOMPARE(conninfoUser(QStringLiteral("host=h user=bob"), {}), QStringLiteral("bob"));
        QCOMPARE(
            conninfoUser(QStringLiteral("host=h"), envWith({ { QStringLiteral("PGUSER"), QStringLiteral("carol") } })),
            QStringLiteral("carol"));
        QVERIFY(!isConnectionString(QStringLiteral("gallery")));
        QVERIFY(isConnectionString(QStringLiteral("service=prod")));
        QVERIFY(isConnectionString(QStringLiteral("postgres://h")));
    }

    // Exit codes: 2 for usage, 3 for an absent demo, 1 for a failure, 0 for help; documented in --help.
    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says"); // on stderr (or stdout for help)
        QTest::newRow("unknown verb") << QStringList { QStringLiteral("frobnicate") } << QStringList() << 2
                                      << QStringLiteral("unknown verb");
        QTest::newRow("bad option") << QStringList { QStringLiteral("stats"), QStringLiteral("--bogus") }
                                    << QStringList() << 2 << QStringLiteral("Unknown option 'bogus'");
        QTest::newRow("bad option, history")
            << QStringList { QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--bogus") }
            << QStringList() << 2 << QStringLiteral("Unknown option 'bogus'");
        QTest::newRow("bad option, explain") << QStringList { QStringLiteral("explain"), QStringLiteral("--bogus") }
                                             << QStringList() << 2 << QStringLiteral("Unknown option 'bogus'");
        QTest::newRow("bad option, report") << QStringList { QStringLiteral("report"), QStringLiteral("--bogus") }
                                            << QStringList() << 2 << QStringLiteral("Unknown option 'bogus'");
        QTest::newRow("bad option, demo")
            << QStringList { QStringLiteral("demo"), QStringLiteral("status"), QStringLiteral("--bogus") }
            << QStringList() << 2 << QStringLiteral("Unknown option 'bogus'");
        QTest::newRow("missing value") << QStringList { QStringLiteral("stats"), QStringLiteral("-h") } << QStringList()
                                       << 2 << QStringLiteral("value");
        QTest::newRow("--demo with --dsn") << QStringList { QStringLiteral("stats"), QStringLiteral("--demo"),
            QStringLiteral("--dsn"), QStringLiteral("host=db1") }
                                           << QStringList() << 2 << QStringLiteral("--demo");
        QTest::newRow("unparsable dsn") << QStringList { QStringLiteral("stats"), QStringLiteral("--dsn"),
            QStringLiteral("host='x") } << QStringList()
                                        << 2 << QStringLiteral("not valid");
        QTest::newRow("absent demo, stats")
            << QStringList { QStringLiteral("stats") } << QStringList() << 3 << QStringLiteral("no demo cluster");
        QTest::newRow("absent demo, strategies")
            << QStringList { QStringLiteral("strategies"), QStringLiteral("status") } << QStringList() << 3
            << QStringLiteral("no demo cluster");
        QTest::newRow("absent demo, bench") << QStringList { QStringLiteral("bench"), QStringLiteral("--preset"),
            QStringLiteral("canonical"), QStringLiteral("--strategies"), QStringLiteral("baseline") }
                                            << QStringList() << 3 << QStringLiteral("no demo cluster");
        QTest::newRow("absent demo, demo status")
            << QStringList { QStringLiteral("demo"), QStringLiteral("status") } << QStringList() << 3 << QString();
        QTest::newRow("demo load, no such directory")
            << QStringList { QStringLiteral("demo"), QStringLiteral("load"), QStringLiteral("/nonexistent/exports") }
            << QStringList() << 2 << QStringLiteral("/nonexistent/exports is not a directory");
        QTest::newRow("demo load, no directory") << QStringList { QStringLiteral("demo"), QStringLiteral("load") }
                                                 << QStringList() << 2 << QStringLiteral("plansight demo load DIR");
        QTest::newRow("demo up takes no server") << QStringList { QStringLiteral("demo"), QStringLiteral("up"),
            QStringLiteral("--dsn"), QStringLiteral("host=db1") }
                                                 << QStringList() << 2 << QStringLiteral("--dsn goes with demo load");
        QTest::newRow("absent demo, explicit --demo")
            << QStringList { QStringLiteral("stats"), QStringLiteral("--demo") }
            << QStringList { QStringLiteral("PGHOST=127.0.0.1") } << 3 << QStringLiteral("(--demo)");
        // PGHOST names a server: no demo is needed, the connection itself fails (nothing listens on port 1).
        QTest::newRow("PGHOST chooses the server")
            << QStringList { QStringLiteral("stats") }
            << QStringList { QStringLiteral("PGHOST=127.0.0.1"), QStringLiteral("PGPORT=1") } << 1
            << QStringLiteral("PGHOST=127.0.0.1");
        QTest::newRow("-h -p choose the server") << QStringList {
            QStringLiteral("stats"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p1")
        } << QStringList() << 1 << QStringLiteral("host=127.0.0.1 port=1 (from -h, -p)");
        QTest::newRow("-? prints help") << QStringList { QStringLiteral("stats"), QStringLiteral("-?") }
                                        << QStringList() << 0 << QStringLiteral("130  cancelled");
        QTest::newRow("--help lists exit codes")
            << QStringList { QStringLiteral("bench"), QStringLiteral("--help") } << QStringList() << 0
            << QStringLiteral("3    the embedded demo is absent");
        QTest::newRow("-h stays help where nothing connects") << QStringList { QStringLiteral("history"),
            QStringLiteral("-h") } << QStringList() << 0 << QStringLiteral("Exit codes");
        QTest::newRow("plansight -?") << QStringList { QStringLiteral("-?") } << QStringList() << 0
                                      << QStringLiteral("Exit codes");
    }
    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, env);
        QFETCH(int, code);
        QFETCH(QString, says);
        QTemporaryDir dir;
        QProcessEnvironment e = cleanEnv(dir.filePath(QStringLiteral("no-demo-here")));
        e.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("5"));
        for (const QString &kv : env)
            e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        const Run r = runPlansight(args, e);
        const QString all = r.out + r.err;
        QVERIFY2(r.exitCode == code,
            qPrintable(QStringLiteral("exit %1, wanted %2: %3").arg(r.exitCode).arg(code).arg(all)));
        QVERIFY2(all.contains(says), qPrintable(all));
        // Nothing was created for it.
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("no-demo-here"))));
    }

    // Which server was chosen is said on stderr, one line.
    void theChoiceIsSaid()
    {
        QTemporaryDir dir;
        const Run r = runPlansight({ QStringLiteral("stats") }, cleanEnv(dir.filePath(QStringLiteral("absent"))));
        QCOMPARE(r.exitCode, 3);
        const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.value(0).startsWith(QLatin1String("plansight: using the embedded demo in ")), qPrintable(r.err));
        QVERIFY2(lines.value(0).contains(QLatin1String("no --dsn, -h, -d, PGHOST, PGDATABASE or PGSERVICE")),
            qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestConnectOptions)
#include "tst_connectoptions.moc"
