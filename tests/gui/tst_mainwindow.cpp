// A whole run driven through the window on a tiny demo ends with results in every view: the window creates the
// demo in the test's own cluster (as `plansight` does on first start), reads the strategies, runs the canonical
// preset, and Results, Plan, Database and History all show it.

#include "bannerwidget.h"
#include "databaseview.h"
#include "historyview.h"
#include "mainwindow.h"
#include "plan/plantreemodel.h"
#include "planview.h"
#include "resultstablemodel.h"
#include "resultsview.h"
#include "strategylistmodel.h"
#include "testcluster.h"
#include "valuetablemodel.h"
#include "workloadeditor.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;
using namespace plansight::gui;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        QCoreApplication::setOrganizationName(QStringLiteral("PlanSightTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    }

    void wholeRunEndsWithResultsInEveryView()
    {
        QTemporaryDir dir;
        MainWindowOptions options;
        options.demoRoot = test::TestCluster::get()->cluster().rootDir();
        options.historyPath = dir.filePath(QStringLiteral("history.sqlite"));
        options.demoScale = 0.002;
        options.restoreSettings = false;
        options.connectAtStart = false;
        MainWindow window(options);
        window.resize(1600, 1000);
        window.show();
        QAbstractItemModelTester tester(window.strategyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        QSignalSpy ready(&window, &MainWindow::serverReady);
        window.connectToDemo();
        // The first connection finds no demo in the test cluster, builds it at scale 0.002, then reconnects.
        QVERIFY2(ready.wait(180000), qPrintable(window.banner()->text()));
        QVERIFY(window.isConnected());
        QVERIFY(window.server()->demoReady);
        QVERIFY(!window.server()->tags.isEmpty());
        QVERIFY(window.strategyModel()->rowCount() >= 3);

        window.strategyModel()->setCheckedIds(
            { QStringLiteral("baseline"), QStringLiteral("p4-indexes"), QStringLiteral("p5-prejoin") });
        window.runsSpin()->setValue(3);
        window.warmupSpin()->setValue(1);
        QSignalSpy completed(&window, &MainWindow::runCompleted);
        QSignalSpy failed(&window, &MainWindow::runFailed);
        window.runPreset(QStringLiteral("canonical"));
        QVERIFY(window.isRunning());
        QVERIFY(completed.wait(300000) || completed.count() == 1);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

        const SessionResult session = window.lastSession();
        QCOMPARE(session.runs.size(), 3);
        for (const StrategyRun &r : session.runs) {
            QVERIFY2(r.outcome == RunOutcome::Ok, qPrintable(r.strategyId + QStringLiteral(": ") + r.error));
            QCOMPARE(r.timingsMs.size(), 3);
        }
        // Results: a table row and a chart bar per strategy.
        QCOMPARE(window.resultsView()->tableModel()->rowCount(), 3);
        QCOMPARE(window.resultsView()->plottedRuns(), 3);
        // Plan: every strategy's plan, the baseline's tree shown or compared.
        QCOMPARE(window.planView()->sourceLabels().size(), 3);
        QVERIFY(window.planView()->model()->rowCount() == 1);
        QVERIFY(window.planView()->showRun(QStringLiteral("p4-indexes")));
        QVERIFY(window.planView()->diff().has_value());
        // p4-indexes was built on the demo without asking (the runner measures strategies in isolation and may
        // revert them afterwards); the list shows the size the run measured.
        QTRY_VERIFY_WITH_TIMEOUT(window.strategyModel()->row(QStringLiteral("p4-indexes"))->bytes > 0, 60000);
        // Database: the gallery tables with counts.
        QTRY_VERIFY_WITH_TIMEOUT(window.databaseView()->hasSnapshot(), 60000);
        QVERIFY(window.databaseView()->tablesModel()->rowCount() >= 5);
        QTRY_VERIFY_WITH_TIMEOUT(window.databaseView()->indexesModel()->rowCount() > 0, 60000);
        // History: the session was recorded and can be opened again.
        QTRY_VERIFY_WITH_TIMEOUT(window.historyView()->sessionsModel()->rowCount() == 1, 30000);
        QSignalSpy opened(window.historyView(), &HistoryView::sessionOpened);
        window.historyView()->openSession(window.historyView()->sessionsModel()->rows().first().key.toLongLong());
        QVERIFY(opened.wait(30000));
        QCOMPARE(opened.first().first().value<SessionResult>().runs.size(), 3);
        // The log pane holds every statement with its timings.
        const QString log = window.logPane()->toPlainText();
        QVERIFY(log.contains(QStringLiteral("SQL: ")));
        QVERIFY(log.contains(QStringLiteral("measured runs (ms)")));
        window.close();
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
