// The GUI thread never runs a query: PgSession refuses it there, and works from a worker thread.

#include "pg/pgsession.h"
#include "testcluster.h"

#include <QApplication>
#include <QTest>

#include <thread>

using namespace plansight;

class TestGuiThread : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { PLANSIGHT_REQUIRE_CLUSTER(); }

    void refusesTheGuiThread()
    {
        QVERIFY(qobject_cast<QApplication *>(QCoreApplication::instance()));
        QVERIFY(PgSession::refusesGuiThread());
        QTest::ignoreMessage(QtWarningMsg, "PgSession: a query was attempted on the GUI thread and refused");
        auto s = PgSession::connect(test::TestCluster::get()->conninfo());
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, errc::Internal);
        QVERIFY(s.error().message.contains(QStringLiteral("GUI thread")));
    }

    void aSessionMadeElsewhereIsRefusedOnTheGuiThread()
    {
        std::unique_ptr<PgSession> session;
        std::thread([&] {
            QVERIFY(!PgSession::refusesGuiThread());
            auto s = PgSession::connect(test::TestCluster::get()->conninfo());
            if (s)
                session = std::move(s.value());
        }).join();
        QVERIFY(session);
        QTest::ignoreMessage(QtWarningMsg, "PgSession: a query was attempted on the GUI thread and refused");
        auto r = session->exec(QStringLiteral("SELECT 1"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Internal);
        // The same session works on a worker thread.
        bool ok = false;
        std::thread([&] {
            auto again = session->exec(QStringLiteral("SELECT 41 + 1"));
            ok = again.ok() && again->value(0, 0) == QLatin1String("42");
        }).join();
        QVERIFY(ok);
        std::thread([&] { session.reset(); }).join();
    }
};

QTEST_MAIN(TestGuiThread)
#include "tst_guithread.moc"
