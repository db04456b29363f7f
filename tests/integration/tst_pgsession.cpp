#include "pg/pgsession.h"
#include "testcluster.h"

#include <QScopeGuard>
#include <QTest>
#include <QUrl>

#include <csignal>
#include <future>
#include <optional>
#include <thread>

using namespace plansight;

namespace {

// Runs `statement` on `s` in another thread and waits for it, for at most a long time: a statement that
// never returns fails the test instead of hanging it (then `backendPid` is resumed so the thread can end).
std::optional<Result<PgResult>> execOrGiveUp(
    PgSession &s, const QString &statement, int backendPid, const std::function<void()> &whileRunning = {})
{
    auto done = std::async(std::launch::async, [&] { return s.exec(statement); });
    if (whileRunning)
        whileRunning();
    if (done.wait_for(std::chrono::seconds(120)) != std::future_status::ready) {
        ::kill(backendPid, SIGCONT);
        done.wait();
        return std::nullopt;
    }
    return done.get();
}

} // namespace

class TestPgSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { PLANSIGHT_REQUIRE_CLUSTER(); }

    void connectsAndKnowsTheServer()
    {
        auto s = test::TestCluster::get()->connect();
        QVERIFY(s);
        QVERIFY(s->serverVersionNum() >= 130000);
        QVERIFY(!s->serverVersion().isEmpty());
        QCOMPARE(s->database(), QStringLiteral("postgres"));
    }

    void cancelInterruptsARunningStatement()
    {
        auto s = test::TestCluster::get()->connect();
        QVERIFY(s);
        auto observer = test::TestCluster::get()->connect();
        QVERIFY(observer);
        // A statement that would sleep for an hour runs on another thread; the cancel comes once the server
        // shows it sleeping. Only the cancel can end it (the test's timeout is far shorter than an hour).
        std::optional<Result<PgResult>> r;
        std::thread sleeper([&] { r.emplace(s->exec(QStringLiteral("SELECT pg_sleep(3600)"))); });
        auto joinSleeper = qScopeGuard([&] {
            s->cancel();
            sleeper.join();
        });
        QTRY_VERIFY_WITH_TIMEOUT(test::isSleepingIn(*observer, QStringLiteral("pg_sleep(3600)")), 60000);
        s->cancel();
        joinSleeper.dismiss();
        sleeper.join();
        QVERIFY(r.has_value());
        QVERIFY(!r->ok());
        QVERIFY2(r->error().isCancel(), qPrintable(r->error().toString()));
        // The statement ended on the server too.
        QVERIFY(!test::isSleepingIn(*observer, QStringLiteral("pg_sleep(3600)")));
        // Cancelled stays cancelled until reset; then the session works again.
        QVERIFY(!s->exec(QStringLiteral("SELECT 1")).ok());
        s->resetCancel();
        auto again = s->exec(QStringLiteral("SELECT 1"));
        QVERIFY(again.ok());
        QCOMPARE(again->value(0, 0), QStringLiteral("1"));
    }

    void hostileStringsRoundTripAsParameters_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("quotes") << QStringLiteral("O'Reilly \"quoted\" ''");
        QTest::newRow("injection") << QStringLiteral("x'); DROP TABLE pg_class; --");
        QTest::newRow("backslashes") << QStringLiteral("C:\\path\\n\\\\");
        QTest::newRow("dollar quoting") << QStringLiteral("$$ $1 $tag$");
        QTest::newRow("unicode") << QStringLiteral("アニメ ✓ é");
        QTest::newRow("empty") << QString(QLatin1String(""));
    }
    void hostileStringsRoundTripAsParameters()
    {
        QFETCH(QString, text);
        auto s = test::TestCluster::get()->connect();
        QVERIFY(s);
        auto r = s->exec(QStringLiteral("SELECT $1::text, length($1::text)"), { text });
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->value(0, 0), text);
        QCOMPARE(r->value(0, 1).toInt(), int(text.size()));
    }

    void nulIsRejectedNotTruncated()
    {
        // A NUL cannot be sent as text; the string must not silently turn into its prefix.
        auto s = test::TestCluster::get()->connect();
        QVERIFY(s);
        QString withNul = QStringLiteral("abc");
        withNul.append(QChar(0));
        withNul.append(QStringLiteral("def"));
        auto r = s->exec(QStringLiteral("SELECT $1::text"), { withNul });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY(r.error().message.contains(QLatin1String("NUL")));
    }

    void arraysBindAsOneParameter()
    {
        auto s = test::TestCluster::get()->connect();
        QVERIFY(s);
        const QStringList items { QStringLiteral("a,b"), QStringLiteral("q\"uote"), QStringLiteral("back\\slash"),
            QStringLiteral("{brace}") };
        auto r = s->exec(QStringLiteral("SELECT array_length($1::text[], 1), ($1::text[])[2], ($1::text[])[3]"),
            { QVariant(items) });
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->value(0, 0).toInt(), 4);
        QCOMPARE(r->value(0, 1), items[1]);
        QCOMPARE(r->value(0, 2), items[2]);
    }

    void syntaxErrorCarriesSqlState()
    {
        auto s = test::TestCluster::get()->connect();
        QVERIFY(s);
        auto r = s->exec(QStringLiteral("SELEC 1"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("42601"));
        QVERIFY(r.error().message.contains(QLatin1String("syntax error")));
    }

    void statementTimeoutIsEnforced()
    {
        auto s = test::TestCluster::get()->connect();
        QVERIFY(s);
        QVERIFY(s->setStatementTimeout(100).ok());
        auto r = s->exec(QStringLiteral("SELECT pg_sleep(5)"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("57014"));
        QVERIFY(!r.error().hint.isEmpty());
    }

    void closedPortFailsWithAClearError()
    {
        auto s = PgSession::connect(QStringLiteral("host=127.0.0.1 port=1 dbname=x connect_timeout=3"));
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, errc::Connection);
        QVERIFY2(s.error().message.contains(QLatin1String("No PostgreSQL server is accepting connections")),
            qPrintable(s.error().message));
    }

    void malformedConninfoIsAnInputError()
    {
        auto s = PgSession::connect(QStringLiteral("host=localhost nonsense_option=1"));
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, errc::Input);
    }

    void passwordsNeverAppearInConnectionErrors_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("shownAs"); // part of the message: the server named without the password
        QTest::newRow("uri") << QStringLiteral("postgresql://alice:S3cretPW@127.0.0.1:1/db?connect_timeout=3")
                             << QStringLiteral("postgresql://alice@127.0.0.1:1/db?connect_timeout=3");
        QTest::newRow("uri with # and ?") << QStringLiteral("postgresql://alice:S3cretPW#?x@127.0.0.1:1/db")
                                          << QStringLiteral("postgresql://alice@127.0.0.1:1/db");
        QTest::newRow("key=value") << QStringLiteral("host=127.0.0.1 port=1 user=alice password='S3cretPW x' dbname=db")
                                   << QStringLiteral("host=127.0.0.1 port=1 user=alice dbname=db");
        QTest::newRow("bad percent-encoding")
            << QStringLiteral("postgresql://alice:S3cretPW%zz@127.0.0.1:1/db") << QString();
        QTest::newRow("bad query parameter")
            << QStringLiteral("postgresql://alice:S3cretPW@127.0.0.1:1/db?x=S3cretPW") << QString();
        QTest::newRow("unterminated ipv6") << QStringLiteral("postgresql://alice:S3cretPW@[::1/db") << QString();
    }
    void passwordsNeverAppearInConnectionErrors()
    {
        QFETCH(QString, target);
        QFETCH(QString, shownAs);
        auto s = PgSession::connect(target);
        QVERIFY(!s.ok());
        const Error &e = s.error();
        const QString all = e.message + e.detail + e.hint + e.toString();
        QVERIFY2(!all.contains(QLatin1String("S3cret")), qPrintable(all));
        if (!shownAs.isEmpty())
            QVERIFY2(e.message.contains(shownAs), qPrintable(e.message));
        else
            QCOMPARE(e.code, errc::Input);
    }

    void statementTimeoutWithAUnitSetsTheDeadline()
    {
        auto s = test::TestCluster::get()->connect();
        QVERIFY(s);
        QVERIFY(s->setSetting(QStringLiteral("statement_timeout"), QStringLiteral("2min")).ok());
        QCOMPARE(s->statementTimeoutMs(), 120000);
        QVERIFY(s->setStatementTimeout(0).ok());
        QCOMPARE(s->statementTimeoutMs(), 0);
    }

    // A server that stops answering (here: its backend stopped with SIGSTOP) must not hang a statement for
    // ever: past the statement timeout plus the grace, the client cancels, then gives up on the connection.
    void aStoppedServerFailsAtTheClientDeadline()
    {
        PgSession::Options o;
        o.statementTimeoutMs = 1000;
        o.unresponsiveGraceMs = 500;
        auto *c = test::TestCluster::get();
        auto s = PgSession::connect(c->conninfo(), o);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        auto pid = (*s)->exec(QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY(pid.ok());
        const int backend = pid->value(0, 0).toInt();
        QVERIFY(backend > 0);
        QCOMPARE(::kill(backend, SIGSTOP), 0);
        auto resume = qScopeGuard([backend] { ::kill(backend, SIGCONT); });
        auto r = execOrGiveUp(**s, QStringLiteral("SELECT 1"), backend);
        QVERIFY2(r.has_value(), "the statement never returned from a stopped server");
        QVERIFY(!r->ok());
        QCOMPARE(r->error().code, errc::Connection);
        QVERIFY2(r->error().message.contains(QLatin1String("stopped answering")), qPrintable(r->error().message));
        QVERIFY(!(*s)->isAlive());
        QVERIFY(!(*s)->exec(QStringLiteral("SELECT 1")).ok());
    }

    // The server times each statement of a script apart: the script as a whole may outlast the deadline.
    void aScriptMayOutlastOneStatementTimeout()
    {
        PgSession::Options o;
        o.statementTimeoutMs = 1500;
        o.unresponsiveGraceMs = 0;
        auto s = PgSession::connect(test::TestCluster::get()->conninfo(), o);
        QVERIFY(s.ok());
        const Status st = (*s)->execScript(
            QStringLiteral("SELECT pg_sleep(0.5); SELECT pg_sleep(0.5); SELECT pg_sleep(0.5); SELECT pg_sleep(0.5);"));
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().toString()));
        QVERIFY((*s)->isAlive());
    }

    // cancel() from another thread (what Ctrl-C does) returns the statement even when the server never
    // answers the cancel request.
    void cancelReturnsEvenWhenTheServerIsStopped()
    {
        PgSession::Options o;
        o.cancelGraceMs = 500;
        auto *c = test::TestCluster::get();
        auto s = PgSession::connect(c->conninfo(), o);
        QVERIFY(s.ok());
        auto watcher = c->connect();
        QVERIFY(watcher);
        auto pid = (*s)->exec(QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY(pid.ok());
        const int backend = pid->value(0, 0).toInt();
        auto resume = qScopeGuard([backend] { ::kill(backend, SIGCONT); });
        auto r = execOrGiveUp(**s, QStringLiteral("SELECT pg_sleep(600)"), backend, [&] {
            // Once the sleep runs, stop the backend, then cancel.
            QTRY_VERIFY_WITH_TIMEOUT(
                watcher->exec(QStringLiteral("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND "
                                             "state = 'active' AND query LIKE '%pg_sleep%'"),
                           { backend })
                        ->rows()
                    == 1,
                60000);
            QCOMPARE(::kill(backend, SIGSTOP), 0);
            (*s)->cancel();
        });
        QVERIFY2(r.has_value(), "the cancelled statement never returned");
        QVERIFY(!r->ok());
        QVERIFY(r->error().isCancel());
        QVERIFY(!(*s)->isAlive());
    }

    void uriAndServiceFormsAreAccepted()
    {
        auto *c = test::TestCluster::get();
        const QString uri = QStringLiteral("postgresql://") + c->cluster().superuser()
            + QStringLiteral("@/postgres?host=") + QString::fromUtf8(QUrl::toPercentEncoding(c->cluster().socketDir()))
            + QStringLiteral("&port=") + QString::number(c->cluster().port());
        auto s = PgSession::connect(uri);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        // service=NAME selects a service; an undefined one is a clear error, not a crash.
        auto svc = PgSession::connect(QStringLiteral("service=plansight_no_such_service"));
        QVERIFY(!svc.ok());
        QVERIFY(!svc.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPgSession)
#include "tst_pgsession.moc"
