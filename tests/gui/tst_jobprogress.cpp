// The window's long jobs share one progress display (widgets/jobprogress.h): a run shows its percent, the elapsed
// time and, once it can be estimated, the time left; its Cancel ends the run cancelled. An apply uses the same
// display. The run is held mid-way by an executor whose third query sleeps on the server until it is cancelled, so
// nothing here depends on how fast the machine is.
//
// With PLANSIGHT_SCREENSHOT_DIR set, the window is saved there mid-run (jobprogress.png).

#include "benchhelpers.h"
#include "jobprogress.h"
#include "mainwindow.h"
#include "strategylistmodel.h"
#include "testcluster.h"
#include "windowhelpers.h"

#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <atomic>

using namespace plansight;
using namespace plansight::gui;

namespace {

const QString Db = QStringLiteral("gallery"); // the embedded demo's database (the window connects to it)

// The server's executor, except that its third execution sleeps on the server (pg_sleep) until cancelled.
class HoldingExecutor : public RunExecutor {
public:
    Result<Execution> execute(PgSession &session, const StrategyRun &run, const StrategyQuery &q) override
    {
        if (++m_executions == 3) {
            auto slept = session.exec(QStringLiteral("SELECT pg_sleep(600)"));
            if (!slept)
                return slept.error();
        }
        return serverExecutor()->execute(session, run, q);
    }
    Result<QByteArray> explain(PgSession &session, const StrategyRun &run, const StrategyQuery &q) override
    {
        return serverExecutor()->explain(session, run, q);
    }

private:
    std::atomic<int> m_executions { 0 };
};

} // namespace

class TestJobProgress : public QObject {
    Q_OBJECT

    std::unique_ptr<MainWindow> window(std::shared_ptr<RunExecutor> executor = {})
    {
        return test::windowOnTestDemo(m_dir.filePath(QStringLiteral("history.sqlite")), std::move(executor));
    }

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        QCoreApplication::setOrganizationName(QStringLiteral("PlanSightTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_jobprogress"));
        QVERIFY(m_dir.isValid());
        const QString built = test::buildTinyDemo(Db);
        QVERIFY2(built.isEmpty(), qPrintable(built));
    }

    void aRunShowsPercentElapsedAndTimeLeftAndCancels()
    {
        auto w = window(std::make_shared<HoldingExecutor>());
        QVERIFY(w);
        JobProgress *progress = w->jobProgress();
        QVERIFY(progress);
        w->strategyModel()->setCheckedIds({ QStringLiteral("baseline") });
        w->runsSpin()->setValue(20);
        w->warmupSpin()->setValue(0);
        QSignalSpy completed(w.get(), &MainWindow::runCompleted);
        w->runPreset(QStringLiteral("canonical"));
        QVERIFY(progress->isActive());
        QVERIFY(progress->isVisible());
        // Two runs done, the third held: a share above 0 on the bar and in the words...
        QTRY_VERIFY_WITH_TIMEOUT(progress->bar()->maximum() > 0 && progress->bar()->value() > 0, 60000);
        QVERIFY2(progress->words().contains(QStringLiteral("% · ")), qPrintable(progress->words()));
        QVERIFY2(progress->words().contains(QLatin1String(" elapsed")), qPrintable(progress->words()));
        // ... and, once the job has run long enough to estimate it, the time left (the clock ticks on its own).
        QTRY_VERIFY_WITH_TIMEOUT(progress->words().contains(QLatin1String("left")), 60000);
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d+% · \\d+:\\d\\d elapsed · about \\d+:\\d\\d left$"))
                     .match(progress->words())
                     .hasMatch(),
            qPrintable(progress->words()));
        QVERIFY(!progress->text().isEmpty());
        // Issue #12: the server label is short, with the whole description in its tooltip, and the job's text beside
        // it keeps its room.
        auto *server = w->findChild<QLabel *>(QStringLiteral("serverLabel"));
        auto *jobText = progress->findChild<QLabel *>(QStringLiteral("progressText"));
        QVERIFY(server && jobText);
        QVERIFY2(server->text().startsWith(QLatin1String("demo ")), qPrintable(server->text()));
        QVERIFY2(server->text().contains(QStringLiteral(" · PostgreSQL 1")), qPrintable(server->text()));
        QVERIFY2(server->toolTip().contains(QLatin1String("embedded demo")), qPrintable(server->toolTip()));
        QVERIFY2(server->toolTip().contains(QLatin1String("/gallery")), qPrintable(server->toolTip()));
        QVERIFY(server->width() <= server->maximumWidth());
        QVERIFY2(jobText->width() > 2 * server->width(),
            qPrintable(
                QStringLiteral("job text %1 px, server label %2 px").arg(jobText->width()).arg(server->width())));
        if (const QString dir = qEnvironmentVariable("PLANSIGHT_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(w->grab().save(QDir(dir).filePath(QStringLiteral("jobprogress.png"))));

        QVERIFY(progress->cancelButton()->isEnabled());
        QTest::mouseClick(progress->cancelButton(), Qt::LeftButton);
        QVERIFY(completed.wait(60000));
        const SessionResult &s = w->lastSession();
        QVERIFY(std::any_of(
            s.runs.begin(), s.runs.end(), [](const StrategyRun &r) { return r.outcome == RunOutcome::Cancelled; }));
        QTRY_VERIFY_WITH_TIMEOUT(!progress->isActive(), 30000);
        QVERIFY(!progress->isVisible());
    }

    // An apply (and its revert) goes through the same display, which hides when the change is done; an export,
    // which runs beside a run, has a display of the same kind.
    void anApplyUsesTheSameDisplay()
    {
        auto w = window();
        QVERIFY(w);
        QVERIFY(qobject_cast<JobProgress *>(w->findChild<QWidget *>(QStringLiteral("exportStatus"))));
        JobProgress *progress = w->jobProgress();
        for (const bool apply : { true, false }) {
            w->applyStrategy(QStringLiteral("p4-indexes"), apply);
            QVERIFY(progress->isActive());
            QVERIFY2(progress->text().startsWith(apply ? QLatin1String("Applying") : QLatin1String("Reverting")),
                qPrintable(progress->text()));
            QTRY_VERIFY_WITH_TIMEOUT(!w->isChanging(), 120000);
            QTRY_VERIFY_WITH_TIMEOUT(!progress->isActive(), 60000);
        }
    }
};

QTEST_MAIN(TestJobProgress)
#include "tst_jobprogress.moc"
