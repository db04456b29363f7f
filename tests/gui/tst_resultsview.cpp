// The results table and charts receive the series of a run (fed as a SessionResult value, as the runner sends it).

#include "qcustomplotinclude.h"
#include "resultstablemodel.h"
#include "resultsview.h"
#include "session/statistics.h"
#include "timingcharts.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace plansight;
using namespace plansight::gui;

namespace {
StrategyRun makeRun(const QString &id, QList<double> timings, ResultCheck check, int page = 1)
{
    StrategyRun r;
    r.strategyId = id;
    r.strategyTitle = id;
    r.workload.name = QStringLiteral("canonical");
    r.workload.tagIds = { demo::AnimeTagId };
    r.workload.page = page;
    r.timingsMs = timings;
    std::sort(timings.begin(), timings.end());
    r.stats.count = int(timings.size());
    r.stats.minMs = timings.first();
    r.stats.maxMs = timings.last();
    r.stats.p50Ms = quantileSorted(timings, 0.5);
    r.stats.p95Ms = quantileSorted(timings, 0.95);
    r.check = check;
    r.rowsReturned = 2;
    r.pageKeys = { QStringLiteral("regular:1"), QStringLiteral("auto:2") };
    r.footprint.bytes = id == QLatin1String("p4-indexes") ? 5 * 1024 * 1024 : -1;
    r.footprint.buildMs = id == QLatin1String("p4-indexes") ? 1234 : -1;
    return r;
}

SessionResult session()
{
    SessionResult s;
    s.info.server = QStringLiteral("embedded demo");
    s.runs << makeRun(QStringLiteral("baseline"), { 40, 42, 41, 45, 39 }, ResultCheck::Same);
    s.runs << makeRun(QStringLiteral("p4-indexes"), { 2.1, 2.0, 2.3, 2.2, 1.9 }, ResultCheck::Same);
    s.runs << makeRun(QStringLiteral("p5-prejoin"), { 1.0, 1.1, 0.9, 1.2, 1.0 }, ResultCheck::Different);
    s.runs[1].speedup = SpeedUp { true, 19.5, 17.0, 21.0 };
    s.runs[1].planningMs = 0.2;
    s.runs[1].executionMs = 1.5;
    s.runs[1].preparedStats = TimingStats { 5, 1.7, 1.8, 1.9, 1.9, 1.9, 1.8 };
    s.runs[0].executionMs = 30; // recorded without its planning time
    return s;
}

QList<QCPBars *> bars(QCustomPlot *plot)
{
    QList<QCPBars *> out;
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto *b = qobject_cast<QCPBars *>(plot->plottable(i)))
            out << b;
    return out;
}
} // namespace

class TestResultsView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tableShowsEveryRun()
    {
        ResultsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSession(session());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1, ResultsTableModel::StrategyColumn).data().toString(), QStringLiteral("p4-indexes"));
        QCOMPARE(model.index(1, ResultsTableModel::P50Column).data().toString(), QStringLiteral("2.10 ms"));
        QCOMPARE(
            model.index(1, ResultsTableModel::SpeedUpColumn).data().toString(), QStringLiteral("19.5x [17.0-21.0]"));
        QCOMPARE(model.index(2, ResultsTableModel::CheckColumn).data().toString(), QStringLiteral("DIFFERENT rows"));
        QCOMPARE(model.index(1, ResultsTableModel::FootprintColumn).data().toString(), QStringLiteral("5.0 MiB"));
        // Issue #15: the server's time is planning + execution, with the planning's share of p50 apart; a run without
        // its planning time has no server time (never the execution alone); the prepared form's median beside.
        QCOMPARE(model.index(1, ResultsTableModel::ServerColumn).data().toString(), QStringLiteral("1.70 ms"));
        QCOMPARE(
            model.index(1, ResultsTableModel::PlanningColumn).data().toString(), QStringLiteral("0.200 ms (9.5%)"));
        QCOMPARE(model.index(1, ResultsTableModel::PreparedColumn).data().toString(), QStringLiteral("1.80 ms"));
        QCOMPARE(model.index(0, ResultsTableModel::ServerColumn).data().toString(), QStringLiteral("-"));
        QVERIFY(model.index(0, ResultsTableModel::StrategyColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("unknown (planning not measured, execution 30.00 ms)")));
        QCOMPARE(
            model.headerData(ResultsTableModel::ServerColumn, Qt::Horizontal).toString(), QStringLiteral("Server"));
        // A wrong strategy is red, and never the winner (bold) even though it is the fastest.
        const QColor red = charts::checkColor(ResultCheck::Different, QApplication::palette());
        QCOMPARE(model.index(2, ResultsTableModel::CheckColumn).data(Qt::ForegroundRole).value<QColor>(), red);
        QVERIFY(model.index(1, 0).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model.index(2, 0).data(Qt::FontRole).isValid());
        // Runs arriving one by one are appended.
        model.addRun(makeRun(QStringLiteral("x-topn"), { 0.5, 0.6 }, ResultCheck::Same));
        QCOMPARE(model.rowCount(), 4);
    }

    // Issue #10: the window follows the one winner rule, and a strategy slower than the baseline is orange,
    // apart from the red of wrong rows.
    void slowerAndUnclearRunsAreShownAsSuch()
    {
        SessionResult s = session();
        s.runs << makeRun(QStringLiteral("p6-cursor"), { 80, 82, 81, 85, 79 }, ResultCheck::Same);
        s.runs.last().speedup = SpeedUp { true, 0.5, 0.45, 0.55 };
        ResultsTableModel model;
        model.setSession(s);
        const QColor orange = charts::slowerColor(QApplication::palette());
        const QColor red = charts::checkColor(ResultCheck::Different, QApplication::palette());
        QVERIFY(orange != red);
        QCOMPARE(model.index(3, ResultsTableModel::StrategyColumn).data(Qt::ForegroundRole).value<QColor>(), orange);
        QCOMPARE(model.index(3, ResultsTableModel::SpeedUpColumn).data(Qt::ForegroundRole).value<QColor>(), orange);
        QVERIFY(!model.index(1, ResultsTableModel::StrategyColumn).data(Qt::ForegroundRole).isValid());
        QVERIFY(model.index(1, 0).data(Qt::FontRole).value<QFont>().bold());

        ResultsView view;
        view.resize(1200, 800);
        view.setSession(s);
        int orangeBars = 0;
        for (QCPBars *b : bars(view.mediansPlot()))
            if (b->brush().color().rgb() == orange.rgb())
                orangeBars += b->data()->size();
        QCOMPARE(orangeBars, 1);
        QVERIFY2(
            view.summaryText().contains(QStringLiteral("slower than the baseline")), qPrintable(view.summaryText()));

        // p4 at 1.35x [0.93-2.15]: no clear difference, so nothing is bold and the banner says so.
        s.runs[1].speedup = SpeedUp { true, 1.35, 0.93, 2.15 };
        model.setSession(s);
        QVERIFY(!model.index(1, 0).data(Qt::FontRole).isValid());
        view.setSession(s);
        QVERIFY2(view.summaryText().contains(QStringLiteral("No clear difference")), qPrintable(view.summaryText()));
    }

    void tableSortsByNumbers()
    {
        ResultsView view;
        view.setSession(session());
        view.table()->sortByColumn(ResultsTableModel::P50Column, Qt::AscendingOrder);
        QCOMPARE(view.table()->model()->index(0, 0).data().toString(), QStringLiteral("p5-prejoin"));
        QCOMPARE(view.table()->model()->index(2, 0).data().toString(), QStringLiteral("baseline"));
    }

    void chartsReceiveTheSeries()
    {
        ResultsView view;
        view.resize(1200, 800);
        view.setSession(session());
        QCOMPARE(view.plottedRuns(), 3);
        // The wrong strategy is drawn in red, the others not.
        const QColor red = charts::checkColor(ResultCheck::Different, view.palette());
        int redBars = 0, otherBars = 0;
        for (QCPBars *b : bars(view.mediansPlot())) {
            if (b->brush().color().rgb() == red.rgb())
                redBars += b->data()->size();
            else
                otherBars += b->data()->size();
        }
        QCOMPARE(redBars, 1);
        QCOMPARE(otherBars, 2);
        // The bar of p4-indexes carries its median, at its row.
        bool found = false;
        for (QCPBars *b : bars(view.mediansPlot()))
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
                if (it->key == 1) {
                    QCOMPARE(it->value, 2.1);
                    found = true;
                }
        QVERIFY(found);
        // The strip chart holds every measured run (5 per strategy).
        int dots = 0;
        for (int i = 0; i < view.runsPlot()->graphCount(); ++i)
            dots += view.runsPlot()->graph(i)->data()->size();
        QCOMPARE(dots, 15);
        // Log scale: points instead of bars, on a log axis.
        view.setLogScale(true);
        QCOMPARE(view.mediansPlot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(view.plottedRuns(), 3);
        QVERIFY(bars(view.mediansPlot()).isEmpty());
    }

    void hoverShowsTheNumbers()
    {
        QCustomPlot plot;
        plot.resize(800, 400);
        const auto hits = charts::plotMedians(&plot, session(), {});
        plot.replot();
        const double y = plot.yAxis->coordToPixel(1);
        const double x = plot.xAxis->coordToPixel(2.1);
        const QString text = charts::hitTextAt(&plot, hits, QPoint(int(x), int(y)));
        QVERIFY2(text.contains(QStringLiteral("p4-indexes")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("median 2.10 ms")), qPrintable(text));
    }

    void deepPagesChartTimeAgainstPage()
    {
        SessionResult s;
        for (int page : { 10, 100, 1000 }) {
            s.runs << makeRun(QStringLiteral("baseline"), { page * 0.1, page * 0.11 }, ResultCheck::Same, page);
            s.runs << makeRun(QStringLiteral("p6-cursor"), { 0.5, 0.6 }, ResultCheck::Same, page);
        }
        QVERIFY(charts::hasDeepPages(s));
        QVERIFY(!charts::hasDeepPages(session()));
        ResultsView view;
        view.setSession(s);
        QCOMPARE(view.deepPagePlot()->graphCount(), 2);
        QCOMPARE(view.deepPagePlot()->graph(0)->data()->size(), 3);
        QVERIFY(view.chartTabs()->isTabEnabled(2));
        // Six runs of three workloads: rows are labelled by page.
        QCOMPARE(view.plottedRuns(), 6);
    }

    // Issue #15, "The verdict": the tab "Review" holds the review's proposals against the session, one line each;
    // p5-prejoin is the fastest but returned other rows, so it is never "met".
    void reviewTabSaysWhatTheReviewExpected()
    {
        ResultsView view;
        view.setSession(session());
        QTableWidget *t = view.reviewTable();
        QVERIFY(t);
        QCOMPARE(view.chartTabs()->tabText(3), QStringLiteral("Review"));
        QCOMPARE(t->rowCount(), 11); // P1-P10, P9 twice; no strategy of PlanSight's own ran
        const int verdict = t->columnCount() - 1;
        QCOMPARE(t->horizontalHeaderItem(verdict)->text(), QStringLiteral("Verdict"));
        QHash<QString, int> rowOf;
        for (int r = 0; r < t->rowCount(); ++r)
            rowOf.insert(t->item(r, 1)->text(), r);
        QCOMPARE(t->item(rowOf.value(QStringLiteral("p5-prejoin")), verdict)->text(),
            QStringLiteral("not comparable (returned different rows; 1.00 ms measured against 2-4 s expected)"));
        QCOMPARE(
            t->item(rowOf.value(QStringLiteral("p5-prejoin")), 0)->text(), QStringLiteral("P5 Pre-join filtering"));
        QCOMPARE(t->item(rowOf.value(QStringLiteral("p10-search")), verdict)->text(),
            QStringLiteral("not measured (not in this session)"));
        QCOMPARE(t->item(rowOf.value(QStringLiteral("p4-indexes")), 5)->text(), QStringLiteral("2.10 ms"));
        // PLANSIGHT_REVIEW_GRAB=FILE.png keeps a picture of the tab to look at.
        if (const QString grab = qEnvironmentVariable("PLANSIGHT_REVIEW_GRAB"); !grab.isEmpty()) {
            view.resize(1500, 700);
            view.chartTabs()->setCurrentIndex(3);
            view.show();
            QVERIFY(view.grab().save(grab));
        }
        // A run that arrives updates it.
        StrategyRun p3 = session().runs.at(1);
        p3.strategyId = QStringLiteral("p3-tag-array");
        view.addRun(p3);
        QCOMPARE(t->item(rowOf.value(QStringLiteral("p3-tag-array")), verdict)->text(),
            QStringLiteral("met (2.10 ms measured against 0.5-1.5 s expected)"));
        // Another review's expectations replace the built-in ones.
        ReviewExpectations other = builtinExpectations();
        other.proposals = { other.proposals.at(4) }; // P5 alone
        view.setExpectations(other);
        QCOMPARE(t->rowCount(), 1 + 2); // P5, then p4-indexes and p3-tag-array as strategies it did not propose
    }

    void emptySessionDrawsANote()
    {
        ResultsView view;
        view.setSession(SessionResult());
        QCOMPARE(view.plottedRuns(), 0);
        QCOMPARE(view.mediansPlot()->itemCount(), 1);
    }
};

QTEST_MAIN(TestResultsView)
#include "tst_resultsview.moc"
