#include "pg/pgsession.h"
#include "testcluster.h"

#include <QScopeGuard>
#include <QTest>
#include <QUrl>

#include <optional>
#include <thread>

using namespace plansight;

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

    void uriAndServiceFormsAreAccepted()
    {
        auto *c = test::TestCluster::get();
        const QString uri = QStringLiteral("postgresql://") + c->cluster().superuser() + QStringLiteral("@/postgres?host=")
            + QString::fromUtf8(QUrl::toPercentEncoding(c->cluster().socketDir())) + QStringLiteral("&port=")
            + QString::number(c->cluster().port());
        auto s = PgSession::connect(uri);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        // A bare word is a service name; an undefined one is a clear error, not a crash.
        auto svc = PgSession::connect(QStringLiteral("plansight_no_such_service"));
        QVERIFY(!svc.ok());
        QVERIFY(!svc.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPgSession)
#include "tst_pgsession.moc"
