#pragma once

// The Results view: each strategy's median with p5-p95 whiskers, every run as a strip, the deep-page chart
// when a session measured several pages, the review's expectations against the measurements (tab "Review",
// present/verdict.h), and the sortable table. It receives whole sessions (setSession) or
// runs as they finish (addRun); it never queries.
//
// Threading: GUI thread.

#include "present/expectations.h"
#include "session/results.h"
#include "timingcharts.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;
class QTableWidget;

namespace plansight::gui {

class ResultsTableModel;

class ResultsView : public QWidget {
    Q_OBJECT
public:
    explicit ResultsView(QWidget *parent = nullptr);

    void setSession(const SessionResult &session);
    void addRun(const StrategyRun &run);
    void clear();
    const SessionResult &session() const;

    bool logScale() const;
    void setLogScale(bool on);
    QSplitter *splitter() const { return m_splitter; }
    ResultsTableModel *tableModel() const { return m_model; }
    QTableView *table() const { return m_table; }
    QCustomPlot *mediansPlot() const { return m_medians; }
    QCustomPlot *runsPlot() const { return m_runs; }
    QCustomPlot *deepPagePlot() const { return m_deep; }
    QTabWidget *chartTabs() const { return m_chartTabs; }
    // The tab "Review": one row per proposal of the review (the built-in one unless setExpectations() gave
    // another), then PlanSight's own strategies.
    QTableWidget *reviewTable() const { return m_review; }
    void setExpectations(const ReviewExpectations &expectations);
    // Number of bars/points drawn by the medians chart (for tests and the status line).
    int plottedRuns() const;
    QString summaryText() const; // the line above the charts: the verdict, wrong and slower runs, a busy machine

Q_SIGNALS:
    // The user picked a run (a table row or a chart row): show its plan.
    void runActivated(const QString &strategyId, const QString &workloadKey);

private:
    void replot();
    void updateWorkloads();
    void updateReview();
    charts::ChartOptions options() const;

    ResultsTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QCustomPlot *m_medians = nullptr;
    QCustomPlot *m_runs = nullptr;
    QCustomPlot *m_deep = nullptr;
    QTabWidget *m_chartTabs = nullptr;
    QCheckBox *m_log = nullptr;
    QComboBox *m_workload = nullptr;
    QLabel *m_summary = nullptr;
    QTableWidget *m_review = nullptr;
    QLabel *m_reviewCaveat = nullptr;
    std::optional<ReviewExpectations> m_expectations;
    QSplitter *m_splitter = nullptr;
    QList<charts::ChartHit> m_medianHits, m_runHits, m_deepHits;
};

} // namespace plansight::gui
