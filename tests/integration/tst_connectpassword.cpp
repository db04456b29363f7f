// A password-protected role on a real server (README.md, "Connections"): an absent password is
// errc::PasswordNeeded (the caller may ask for it), a wrong one a clear error without the password in it, the
// right one (given, or in a .pgpass file) connects. On a terminal the command line asks for it without echo; with
// -w it never asks. PGCONNECT_TIMEOUT wins over PlanSight's default connect timeout.

#include "pg/conninfo.h"
#include "testcluster.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;

namespace {

const QString Role = QStringLiteral("ps_pwrole");
const QString Secret = QStringLiteral("Corr3ct-Horse");

// The role's connection string, without a password.
QString roleConninfo()
{
    return test::TestCluster::get()->conninfo(QStringLiteral("postgres")) + QStringLiteral(" user=") + Role;
}

QString shellQuote(const QString &s)
{
    QString q = s;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

// `plansight ARGS` on a terminal of its own (script(1) gives it a pseudo-terminal), as a person would run it.
struct OnTerminal {
    QProcess process;
    QByteArray output;

    void start(const QStringList &args, const QProcessEnvironment &env)
    {
        QString cmd = shellQuote(QStringLiteral(PLANSIGHT_BINARY));
        for (const QString &a : args)
            cmd += QLatin1Char(' ') + shellQuote(a);
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral("script"), { QStringLiteral("-qec"), cmd, QStringLiteral("/dev/null") });
    }
    // Reads until the output contains `text` or the process ends.
    bool waitFor(const QString &text)
    {
        while (!QString::fromUtf8(output).contains(text)) {
            if (process.state() == QProcess::NotRunning || !process.waitForReadyRead(60000)) {
                output += process.readAll();
                return QString::fromUtf8(output).contains(text);
            }
            output += process.readAll();
        }
        return true;
    }
    int finish()
    {
        process.waitForFinished(60000);
        output += process.readAll();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }
};

QProcessEnvironment cliEnv(const QString &pgpass)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : env.keys())
        if (k.startsWith(QLatin1String("PG")))
            env.remove(k);
    env.insert(QStringLiteral("PGPASSFILE"), pgpass);
    env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), QStringLiteral("/nonexistent/plansight-connectpassword"));
    return env;
}

} // namespace

class TestConnectPassword : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QStringList m_connectArgs; // -h -p -U -d for the role

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        auto *c = test::TestCluster::get();
        auto admin = c->connect();
        // Test-fixed names and password: nothing here comes from a user.
        QVERIFY(admin->execScript(QStringLiteral("CREATE ROLE ps_pwrole LOGIN PASSWORD 'Corr3ct-Horse'")).ok());
        auto hba = admin->exec(QStringLiteral("SELECT current_setting('hba_file')"));
        QVERIFY(hba.ok());
        QFile f(hba->value(0, 0));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray rules = f.readAll();
        f.close();
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("local all ps_pwrole scram-sha-256\n" + rules);
        f.close();
        QVERIFY(admin->exec(QStringLiteral("SELECT pg_reload_conf()")).ok());
        // The postmaster reads the file when the signal arrives: wait until the role needs its password.
        QTRY_VERIFY_WITH_TIMEOUT(!PgSession::connect(roleConninfo()).ok(), 30000);
        // No .pgpass of the machine's may answer for the role.
        qputenv("PGPASSFILE", m_dir.filePath(QStringLiteral("none")).toLocal8Bit());
        m_connectArgs = { QStringLiteral("-h"), c->cluster().socketDir(), QStringLiteral("-p"),
            QString::number(c->cluster().port()), QStringLiteral("-U"), Role, QStringLiteral("-d"),
            QStringLiteral("postgres") };
    }

    void absentPasswordIsPasswordNeeded()
    {
        auto s = PgSession::connect(roleConninfo());
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, errc::PasswordNeeded);
        QVERIFY2(s.error().message.contains(Role), qPrintable(s.error().message));
    }

    void wrongPasswordIsAClearErrorWithoutThePassword()
    {
        auto s = PgSession::connect(withPassword(roleConninfo(), QStringLiteral("Wr0ng-Battery")));
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, QStringLiteral("28P01"));
        QCOMPARE(s.error().message, QStringLiteral("The server rejected the password."));
        QVERIFY(!s.error().toString().contains(QLatin1String("Wr0ng")));
    }

    void rightPasswordConnects()
    {
        auto s = PgSession::connect(withPassword(roleConninfo(), Secret));
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        QCOMPARE((*s)->user(), Role);
    }

    void pgpassKeepsWorking()
    {
        const QString pgpass = m_dir.filePath(QStringLiteral("pgpass"));
        QFile f(pgpass);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("*:*:*:%1:%2\n").arg(Role, Secret).toUtf8());
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        // The command line with -w: .pgpass answers, nothing is asked.
        QProcess p;
        p.setProcessEnvironment(cliEnv(pgpass));
        p.start(QStringLiteral(PLANSIGHT_BINARY),
            QStringList { QStringLiteral("stats"), QStringLiteral("-w") } + m_connectArgs);
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        // It connected: what fails now is the missing gallery schema, not the password.
        QVERIFY2(!err.contains(QLatin1String("password")), qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("(from -h, -p, -U, -d)")), qPrintable(err));
    }

    void withoutTerminalNothingIsAsked()
    {
        QProcess p;
        p.setProcessEnvironment(cliEnv(m_dir.filePath(QStringLiteral("none"))));
        p.start(QStringLiteral(PLANSIGHT_BINARY), QStringList { QStringLiteral("stats") } + m_connectArgs);
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(err.contains(QLatin1String("asks for a password for user ps_pwrole")), qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("~/.pgpass")), qPrintable(err));
    }

    void terminalPromptWithoutEcho()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
            QSKIP("script(1) is not installed (Debian: bsdutils)");
        OnTerminal t;
        t.start(QStringList { QStringLiteral("stats"), QStringLiteral("--estimated") } + m_connectArgs,
            cliEnv(m_dir.filePath(QStringLiteral("none"))));
        QVERIFY2(t.waitFor(QStringLiteral("Password for user ps_pwrole: ")), t.output.constData());
        t.process.write((Secret + QLatin1Char('\n')).toUtf8());
        t.finish();
        const QString out = QString::fromUtf8(t.output);
        QVERIFY2(!out.contains(Secret), qPrintable(out)); // not echoed
        QVERIFY2(!out.contains(QLatin1String("asks for a password")) && !out.contains(QLatin1String("rejected")),
            qPrintable(out));
    }

    void wrongPasswordOnTheTerminal()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
            QSKIP("script(1) is not installed (Debian: bsdutils)");
        OnTerminal t;
        t.start(QStringList { QStringLiteral("stats"), QStringLiteral("-W") } + m_connectArgs,
            cliEnv(m_dir.filePath(QStringLiteral("none"))));
        // -W asks before connecting.
        QVERIFY2(t.waitFor(QStringLiteral("Password for user ps_pwrole: ")), t.output.constData());
        t.process.write("Wr0ng-Battery\n");
        QCOMPARE(t.finish(), 1);
        const QString out = QString::fromUtf8(t.output);
        QVERIFY2(out.contains(QLatin1String("The server rejected the password.")), qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String("Wr0ng")), qPrintable(out));
    }

    // Ctrl-C at the prompt cancels (exit code 130), as anywhere else.
    void ctrlCAtThePromptCancels()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
            QSKIP("script(1) is not installed (Debian: bsdutils)");
        OnTerminal t;
        t.start(
            QStringList { QStringLiteral("stats") } + m_connectArgs, cliEnv(m_dir.filePath(QStringLiteral("none"))));
        QVERIFY2(t.waitFor(QStringLiteral("Password for user ps_pwrole: ")), t.output.constData());
        t.process.write("\x03"); // the terminal turns it into SIGINT
        QCOMPARE(t.finish(), 130);
        const QString out = QString::fromUtf8(t.output);
        QVERIFY2(out.contains(QLatin1String("Cancelled.")), qPrintable(out));
    }

    void noPasswordFlagNeverAsks()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
            QSKIP("script(1) is not installed (Debian: bsdutils)");
        OnTerminal t;
        t.start(QStringList { QStringLiteral("stats"), QStringLiteral("-w") } + m_connectArgs,
            cliEnv(m_dir.filePath(QStringLiteral("none"))));
        // Nothing is written to its terminal: it must end by itself.
        QCOMPARE(t.finish(), 1);
        const QString out = QString::fromUtf8(t.output);
        QVERIFY2(!out.contains(QLatin1String("Password for")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("asks for a password for user ps_pwrole")), qPrintable(out));
    }

    void connectTimeoutFromTheEnvironmentWins()
    {
        auto *c = test::TestCluster::get();
        const auto timeoutOf = [](PgSession &s) {
            QString value;
            PQconninfoOption *opts = PQconninfo(s.raw());
            for (PQconninfoOption *o = opts; o && o->keyword; ++o)
                if (qstrcmp(o->keyword, "connect_timeout") == 0 && o->val)
                    value = QString::fromUtf8(o->val);
            PQconninfoFree(opts);
            return value;
        };
        PgSession::Options options;
        options.connectTimeoutSeconds = 10;
        qunsetenv("PGCONNECT_TIMEOUT");
        auto plain = PgSession::connect(c->conninfo(), options);
        QVERIFY(plain.ok());
        QCOMPARE(timeoutOf(**plain), QStringLiteral("10"));
        qputenv("PGCONNECT_TIMEOUT", "7");
        auto fromEnv = PgSession::connect(c->conninfo(), options);
        qunsetenv("PGCONNECT_TIMEOUT");
        QVERIFY(fromEnv.ok());
        QCOMPARE(timeoutOf(**fromEnv), QStringLiteral("7"));
        auto fromString = PgSession::connect(c->conninfo() + QStringLiteral(" connect_timeout=4"), options);
        QVERIFY(fromString.ok());
        QCOMPARE(timeoutOf(**fromString), QStringLiteral("4"));
    }
};

QTEST_GUILESS_MAIN(TestConnectPassword)
#include "tst_connectpassword.moc"
