// The window's reads and changes lanes on a real server: a strategy status refresh started while a strategy is
// applied neither cancels the apply nor waits for it; Run (and everything else that changes the database) is
// disabled while the apply runs and enabled again when it has ended; a superseded status read is dropped.
//
// The apply is held in flight without a sleep: the test takes PlanSight's database lock (strategies/safety.h)
// from a connection of its own, so the apply waits for it on the server, saying so in its progress, until the
// test lets go.

#include "bannerwidget.h"
#include "mainwindow.h"
#include "strategies/safety.h"
#include "strategylistmodel.h"
#include "testcluster.h"
#include "workers/joblane.h"

#include <QAction>
#include <QApplication>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace plansight;
using namespace plansight::gui;

namespace plansight::gui {
// QCOMPARE names the outcomes it compares.
char *toString(JobOutcome outcome)
{
    return qstrdup(qPrintable(jobOutcomeName(outcome)));
}
} // namespace plansight::gui

namespace {

// Holds PlanSight's database lock on `db` from its own thread and connection until release().
class LockHolder {
public:
    explicit LockHolder(const QString &db)
    {
        m_thread = std::thread([this, db] {
            auto session = test::TestCluster::get()->connect(db);
            if (session) {
                if (auto st = acquireDatabaseLock(*session, false, nullptr); !st)
                    m_error = st.error().toString();
            } else {
                m_error = QStringLiteral("no session");
            }
            m_locked.release();
            m_release.acquire();
            if (session)
                (void)releaseDatabaseLock(*session);
        });
        m_locked.acquire();
    }
    ~LockHolder() { release(); }
    QString error() const { return m_error; }
    void release()
    {
        if (!m_thread.joinable())
            return;
        m_release.release();
        m_thread.join();
    }

private:
    std::thread m_thread;
    QSemaphore m_locked, m_release;
    QString m_error;
};

// "applied", "not applied", ... (strategies/strategy.h)
QString stateOf(const MainWindow &w, const QString &id)
{
    const StrategyRow *row = w.strategyModel()->row(id);
    return row ? plansight::toString(row->status.state) : QStringLiteral("not listed");
}

} // namespace

class TestWindowJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        QCoreApplication::setOrganizationName(QStringLiteral("PlanSightTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_windowjobs"));
        MainWindowOptions options;
        options.demoRoot = test::TestCluster::get()->cluster().rootDir();
        options.historyPath = m_dir.filePath(QStringLiteral("history.sqlite"));
        options.demoScale = 0.002;
        options.restoreSettings = false;
        options.connectAtStart = false;
        m_window = std::make_unique<MainWindow>(options);
        m_window->show();
        QSignalSpy ready(m_window.get(), &MainWindow::serverReady);
        // The first connection finds no demo in the test cluster: the window builds it (a job on the changes
        // lane), then connects again.
        m_window->connectToDemo();
        QVERIFY2(ready.wait(180000), qPrintable(m_window->banner()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->readsLane()->isBusy() && !m_window->changesLane()->isBusy(), 60000);
        QCOMPARE(stateOf(*m_window, QStringLiteral("p4-indexes")), plansight::toString(StrategyState::NotApplied));
        m_window->strategyModel()->setCheckedIds({ QStringLiteral("baseline"), QStringLiteral("p4-indexes") });
    }

    void aStatusRefreshDuringAnApplyDoesNotCancelIt()
    {
        MainWindow &w = *m_window;
        auto *run = w.findChild<QPushButton *>(QStringLiteral("runButton"));
        auto *demo = w.findChild<QPushButton *>(QStringLiteral("createDemoButton"));
        QVERIFY(run && demo);
        QVERIFY(run->isEnabled());
        QVERIFY(demo->isEnabled());

        LockHolder lock(demoDatabaseName());
        QVERIFY2(lock.error().isEmpty(), qPrintable(lock.error()));
        QSignalSpy changesProgress(w.changesLane(), &JobLane::progress);
        QSignalSpy changesDone(w.changesLane(), &JobLane::finished);
        w.applyStrategy(QStringLiteral("p4-indexes"), true);
        QVERIFY(w.isChanging());
        // The apply is in flight: it waits for the lock the test holds, and says so.
        QTRY_VERIFY_WITH_TIMEOUT(
            !changesProgress.isEmpty() && changesProgress.last().at(3).toString().contains(QStringLiteral("waiting")),
            60000);

        // Run and every other action that changes the database are disabled while the apply runs.
        QVERIFY(!run->isEnabled());
        QVERIFY(!demo->isEnabled());
        QVERIFY(!w.findChild<QPushButton *>(QStringLiteral("applyButton"))->isEnabled());
        QVERIFY(!w.findChild<QPushButton *>(QStringLiteral("revertButton"))->isEnabled());
        QVERIFY(w.findChild<QPushButton *>(QStringLiteral("cancelButton"))->isEnabled());
        QVERIFY(!w.startRun());
        QVERIFY(!w.isRunning());
        QVERIFY2(
            w.banner()->text().contains(QStringLiteral("being applied or reverted")), qPrintable(w.banner()->text()));
        w.banner()->dismiss();

        // A status refresh (as after a run) completes while the apply still waits, and leaves it running.
        QSignalSpy changed(&w, &MainWindow::strategiesChanged);
        QSignalSpy readsDone(w.readsLane(), &JobLane::finished);
        w.refreshStrategies();
        QTRY_COMPARE_WITH_TIMEOUT(readsDone.count(), 1, 60000);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(readsDone.first().at(1).value<JobOutcome>(), JobOutcome::Done);
        QVERIFY(w.isChanging());
        QCOMPARE(changesDone.count(), 0);
        QCOMPARE(stateOf(w, QStringLiteral("p4-indexes")), plansight::toString(StrategyState::NotApplied));
        QVERIFY(!run->isEnabled());

        // Let the apply take the lock: it completes, the strategy is applied, Run is back.
        lock.release();
        QVERIFY(changesDone.wait(180000) || changesDone.count() == 1);
        QCOMPARE(changesDone.first().at(1).value<JobOutcome>(), JobOutcome::Done);
        QCOMPARE(stateOf(w, QStringLiteral("p4-indexes")), plansight::toString(StrategyState::Applied));
        QVERIFY(!w.isChanging());
        QVERIFY(run->isEnabled());
        QVERIFY(demo->isEnabled());
        QVERIFY(!w.banner()->isVisible() || w.banner()->kind() != BannerWidget::Kind::Error);
    }

    void runIsDisabledDuringARevertAndEnabledAfter()
    {
        MainWindow &w = *m_window;
        auto *run = w.findChild<QPushButton *>(QStringLiteral("runButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!w.readsLane()->isBusy(), 60000);
        QCOMPARE(stateOf(w, QStringLiteral("p4-indexes")), plansight::toString(StrategyState::Applied));
        QVERIFY(run->isEnabled());
        QSignalSpy busy(w.changesLane(), &JobLane::busyChanged);
        QSignalSpy changesDone(w.changesLane(), &JobLane::finished);
        // Run's state at every change of the lane's state, read in the same turn of the event loop.
        QList<bool> runEnabledAt;
        QObject scope; // the connection ends with this test
        connect(
            w.changesLane(), &JobLane::busyChanged, &scope, [&runEnabledAt, run] { runEnabledAt << run->isEnabled(); });
        w.applyStrategy(QStringLiteral("p4-indexes"), false);
        QVERIFY(!run->isEnabled());
        QVERIFY(changesDone.wait(180000) || changesDone.count() == 1);
        QCOMPARE(changesDone.first().at(1).value<JobOutcome>(), JobOutcome::Done);
        QCOMPARE(busy.count(), 2);
        QCOMPARE(runEnabledAt, (QList<bool> { false, true }));
        QCOMPARE(stateOf(w, QStringLiteral("p4-indexes")), plansight::toString(StrategyState::NotApplied));
    }

    void aCancelledApplyEnablesRunAgain()
    {
        MainWindow &w = *m_window;
        auto *run = w.findChild<QPushButton *>(QStringLiteral("runButton"));
        QTRY_VERIFY_WITH_TIMEOUT(!w.readsLane()->isBusy(), 60000);
        LockHolder lock(demoDatabaseName());
        QVERIFY2(lock.error().isEmpty(), qPrintable(lock.error()));
        QSignalSpy changesProgress(w.changesLane(), &JobLane::progress);
        QSignalSpy changesDone(w.changesLane(), &JobLane::finished);
        QSignalSpy changed(&w, &MainWindow::strategiesChanged);
        w.applyStrategy(QStringLiteral("p4-indexes"), true);
        QTRY_VERIFY_WITH_TIMEOUT(!changesProgress.isEmpty(), 60000);
        QVERIFY(!run->isEnabled());
        w.cancelRun(); // Esc
        QVERIFY(changesDone.wait(60000) || changesDone.count() == 1);
        QCOMPARE(changesDone.first().at(1).value<JobOutcome>(), JobOutcome::Cancelled);
        QVERIFY(run->isEnabled());
        // The window reads the status again after a change that did not complete.
        QVERIFY(changed.wait(60000) || changed.count() >= 1);
        QCOMPARE(stateOf(w, QStringLiteral("p4-indexes")), plansight::toString(StrategyState::NotApplied));
    }

    void aSupersededStatusReadIsDropped()
    {
        MainWindow &w = *m_window;
        QTRY_VERIFY_WITH_TIMEOUT(!w.readsLane()->isBusy(), 60000);
        QSignalSpy changed(&w, &MainWindow::strategiesChanged);
        QSignalSpy readsDone(w.readsLane(), &JobLane::finished);
        w.refreshStrategies();
        w.refreshStrategies(); // before the first one's end reached the window
        QTRY_COMPARE_WITH_TIMEOUT(readsDone.count(), 2, 60000);
        QCOMPARE(readsDone.at(0).at(1).value<JobOutcome>(), JobOutcome::Superseded);
        QCOMPARE(readsDone.at(1).at(1).value<JobOutcome>(), JobOutcome::Done);
        QCOMPARE(changed.count(), 1); // only the newer read reached the strategy list
    }

    void cleanupTestCase()
    {
        if (m_window)
            m_window->close();
        m_window.reset();
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestWindowJobs)
#include "tst_windowjobs.moc"
