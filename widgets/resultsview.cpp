#include "resultsview.h"

#include "present/format.h"
#include "present/ranking.h"
#include "present/verdict.h"
#include "present/words.h"
#include "qcustomplotinclude.h"
#include "resultstablemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>

namespace plansight::gui {

namespace {
QCustomPlot *makePlot(QWidget *parent, const QString &name)
{
    auto *p = new QCustomPlot(parent);
    p->setObjectName(name);
    p->setMinimumHeight(200);
    p->setAntialiasedElements(QCP::aeAll);
    p->setNoAntialiasingOnDrag(true);
    return p;
}
} // namespace

ResultsView::ResultsView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *bar = new QHBoxLayout;
    m_summary = new QLabel(QStringLiteral("No session yet: pick strategies and press Run (F5)."), this);
    m_summary->setObjectName(QStringLiteral("resultsSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    bar->addWidget(m_summary, 1);
    bar->addWidget(new QLabel(QStringLiteral("Workload"), this));
    m_workload = new QComboBox(this);
    m_workload->setObjectName(QStringLiteral("resultsWorkload"));
    m_workload->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_workload->addItem(QStringLiteral("all workloads"), QString());
    bar->addWidget(m_workload);
    m_log = new QCheckBox(QStringLiteral("&Log scale"), this);
    m_log->setObjectName(QStringLiteral("logScale"));
    m_log->setToolTip(QStringLiteral("Show times on a logarithmic axis (Ctrl+L)."));
    m_log->setShortcut(QKeySequence(QStringLiteral("Ctrl+L")));
    bar->addWidget(m_log);
    layout->addLayout(bar);

    m_medians = makePlot(this, QStringLiteral("mediansPlot"));
    m_runs = makePlot(this, QStringLiteral("runsPlot"));
    m_deep = makePlot(this, QStringLiteral("deepPagePlot"));
    m_chartTabs = new QTabWidget(this);
    m_chartTabs->setDocumentMode(true);
    m_chartTabs->addTab(m_medians, QStringLiteral("Medians"));
    m_chartTabs->addTab(m_runs, QStringLiteral("Run by run"));
    m_chartTabs->addTab(m_deep, QStringLiteral("Deep pages"));
    auto *review = new QWidget(this);
    auto *reviewLayout = new QVBoxLayout(review);
    reviewLayout->setContentsMargins(0, 4, 0, 0);
    m_reviewCaveat = new QLabel(review);
    m_reviewCaveat->setObjectName(QStringLiteral("reviewCaveat"));
    m_reviewCaveat->setWordWrap(true);
    m_reviewCaveat->setTextInteractionFlags(Qt::TextSelectableByMouse);
    reviewLayout->addWidget(m_reviewCaveat);
    m_review = new QTableWidget(review);
    m_review->setObjectName(QStringLiteral("reviewTable"));
    m_review->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_review->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_review->setAlternatingRowColors(true);
    m_review->verticalHeader()->setVisible(false);
    m_review->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_review->horizontalHeader()->setStretchLastSection(true);
    reviewLayout->addWidget(m_review, 1);
    m_chartTabs->addTab(review, QStringLiteral("Review"));
    m_chartTabs->setTabToolTip(
        3, QStringLiteral("What the review expected of each proposal against what this session measured."));

    m_model = new ResultsTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResultsTableModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("resultsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("resultsSplitter"));
    m_splitter->addWidget(m_chartTabs);
    m_splitter->addWidget(m_table);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    layout->addWidget(m_splitter, 1);

    connect(m_log, &QCheckBox::toggled, this, &ResultsView::replot);
    connect(m_workload, &QComboBox::currentIndexChanged, this, &ResultsView::replot);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &idx) {
        const int row = m_proxy->mapToSource(idx).row();
        const StrategyRun &r = m_model->session().runs.at(row);
        Q_EMIT runActivated(r.strategyId, r.workload.key());
    });
    const auto hover = [this](QCustomPlot *plot, const QList<charts::ChartHit> *hits) {
        connect(plot, &QCustomPlot::mouseMove, this, [plot, hits](QMouseEvent *e) {
            const QString text = charts::hitTextAt(plot, *hits, e->pos());
            if (text.isEmpty())
                QToolTip::hideText();
            else
                QToolTip::showText(plot->mapToGlobal(e->pos()), text, plot);
        });
    };
    hover(m_medians, &m_medianHits);
    hover(m_runs, &m_runHits);
    hover(m_deep, &m_deepHits);
    replot();
}

const SessionResult &ResultsView::session() const
{
    return m_model->session();
}

bool ResultsView::logScale() const
{
    return m_log->isChecked();
}

void ResultsView::setLogScale(bool on)
{
    m_log->setChecked(on);
}

int ResultsView::plottedRuns() const
{
    int n = 0;
    for (int i = 0; i < m_medians->plottableCount(); ++i) {
        auto *p = m_medians->plottable(i);
        if (qobject_cast<QCPErrorBars *>(p))
            continue;
        if (auto *b = qobject_cast<QCPBars *>(p))
            n += b->data()->size();
        else if (auto *g = qobject_cast<QCPGraph *>(p))
            n += g->data()->size();
    }
    return n;
}

charts::ChartOptions ResultsView::options() const
{
    charts::ChartOptions o;
    o.logScale = m_log->isChecked();
    o.palette = palette();
    o.font = font();
    o.workloadKey = m_workload->currentData().toString();
    return o;
}

void ResultsView::setSession(const SessionResult &session)
{
    m_model->setSession(session);
    updateWorkloads();
    replot();
}

void ResultsView::addRun(const StrategyRun &run)
{
    m_model->addRun(run);
    updateWorkloads();
    replot();
}

void ResultsView::clear()
{
    setSession(SessionResult());
}

void ResultsView::setExpectations(const ReviewExpectations &expectations)
{
    m_expectations = expectations;
    updateReview();
}

void ResultsView::updateReview()
{
    const SessionResult &s = m_model->session();
    const ReviewExpectations &exp = m_expectations ? *m_expectations : builtinExpectations();
    const SessionVerdict verdict = buildVerdict(s, exp);
    const QStringList columns { QStringLiteral("Proposal"), QStringLiteral("Strategy"),
        QStringLiteral("Review expected"), QStringLiteral("Confidence / complexity"), QStringLiteral("Advice"),
        QStringLiteral("Median"), QStringLiteral("Speed-up"), QStringLiteral("Storage"), QStringLiteral("Write cost"),
        QStringLiteral("Staleness"), QStringLiteral("Verdict") };
    m_review->clear();
    m_review->setColumnCount(int(columns.size()));
    m_review->setHorizontalHeaderLabels(columns);
    m_review->setRowCount(int(verdict.rows.size()));
    for (int i = 0; i < verdict.rows.size(); ++i) {
        const VerdictRow &r = verdict.rows.at(i);
        const bool measured = r.p50Ms >= 0;
        QString median = verdictMeasuredCell(r);
        if (!r.missStrategy.isEmpty() && r.missP50Ms >= 0)
            median += QStringLiteral(" (miss %1)").arg(formatMs(r.missP50Ms));
        const QStringList cells { r.proposal.isEmpty() ? QStringLiteral("PlanSight")
                                                       : r.proposal + QLatin1Char(' ') + r.title,
            r.strategyId, verdictExpectedCell(r), verdictReviewCell(r),
            r.recommendation.isEmpty() ? notMeasured()
                : r.reason.isEmpty()   ? r.recommendation
                                       : QStringLiteral("%1: %2").arg(r.recommendation, r.reason),
            median, r.speedup.valid ? formatSpeedUp(r.speedup) : notMeasured(),
            measured ? formatBytes(r.footprint.bytes) : notMeasured(),
            measured ? formatWriteCost(r.footprint) : notMeasured(),
            !measured                             ? notMeasured()
                : r.footprint.staleness.isEmpty() ? QStringLiteral("-")
                                                  : r.footprint.staleness,
            r.line };
        const QColor color = r.check == ResultCheck::Different && measured
            ? charts::checkColor(ResultCheck::Different, palette())
            : r.status == VerdictStatus::Missed      ? charts::slowerColor(palette())
            : r.status == VerdictStatus::NotMeasured ? palette().color(QPalette::PlaceholderText)
                                                     : QColor();
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            if (c >= 5 && c <= 8)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == cells.size() - 1 && color.isValid())
                item->setForeground(color);
            if (r.winner) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            m_review->setItem(i, c, item);
        }
    }
    m_reviewCaveat->setText(s.runs.isEmpty()
            ? QStringLiteral("No session yet: the review's expectations are compared with the measurements here.")
            : verdict.caveat.isEmpty() ? QStringLiteral("Against %1; the review's times are for the %2 query.")
                                             .arg(verdict.review, exp.defaultWorkload)
                                       : verdict.caveat);
}

void ResultsView::updateWorkloads()
{
    const auto workloads = charts::sessionWorkloads(m_model->session());
    const QString current = m_workload->currentData().toString();
    QSignalBlocker block(m_workload);
    m_workload->clear();
    m_workload->addItem(QStringLiteral("all workloads"), QString());
    for (const Workload &w : workloads) {
        StrategyRun probe;
        probe.workload = w;
        QString label = charts::runLabel(probe, true).section(QStringLiteral(" · "), 1);
        if (label == QLatin1String("custom") || label.isEmpty())
            label = w.describe();
        m_workload->addItem(label, w.key());
    }
    const int idx = m_workload->findData(current);
    m_workload->setCurrentIndex(idx >= 0 ? idx : 0);
    m_workload->setEnabled(workloads.size() > 1);
}

QString ResultsView::summaryText() const
{
    return m_summary->text();
}

void ResultsView::replot()
{
    const auto o = options();
    const SessionResult &s = m_model->session();
    m_medianHits = charts::plotMedians(m_medians, s, o);
    m_runHits = charts::plotRuns(m_runs, s, o);
    m_deepHits = charts::plotDeepPages(m_deep, s, o);
    m_medians->replot();
    m_runs->replot();
    m_deep->replot();
    m_chartTabs->setTabEnabled(2, charts::hasDeepPages(s));
    updateReview();

    // Row heights: the categorical charts need room per strategy row; the splitter keeps what the user set.
    if (s.runs.isEmpty()) {
        m_summary->setText(QStringLiteral("No session yet: pick strategies and press Run (F5)."));
        return;
    }
    QString text;
    // The one winner rule (present/ranking.h): the same verdict as the CLI, the report and the JSON.
    const Ranking ranking = rankSession(s);
    if (const StrategyRun *w = ranking.winner) {
        text = QStringLiteral("Winner: <b>%1</b>, median %2")
                   .arg(w->strategyId.toHtmlEscaped(), formatMs(w->stats.p50Ms));
        if (w->speedup.valid)
            text += QStringLiteral(", %1 the baseline").arg(formatSpeedUpWithInterval(w->speedup).toHtmlEscaped());
        text += ranking.workloads.size() > 1 ? QStringLiteral(" on every workload.") : QStringLiteral(".");
    } else {
        text = ranking.sentence().toHtmlEscaped();
    }
    int slower = 0;
    for (const StrategyRun &r : s.runs)
        slower += isClearlySlower(r) ? 1 : 0;
    if (slower > 0)
        text += QStringLiteral(" <span style='color:%1'>%2 run(s) slower than the baseline.</span>")
                    .arg(charts::slowerColor(palette()).name())
                    .arg(slower);
    if (const QString busy = s.info.busyWarning(); !busy.isEmpty())
        text += QStringLiteral(" <span style='color:%1'>%2</span>")
                    .arg(charts::checkColor(ResultCheck::Stale, palette()).name(), busy.toHtmlEscaped());
    int wrong = 0;
    for (const StrategyRun &r : s.runs)
        wrong += r.check == ResultCheck::Different ? 1 : 0;
    if (wrong > 0)
        text += QStringLiteral(" <span style='color:%1'>%2 run(s) returned different rows.</span>")
                    .arg(charts::checkColor(ResultCheck::Different, palette()).name())
                    .arg(wrong);
    if (!s.runs.isEmpty())
        text += QStringLiteral(" <span style='color:%1'>(%2 cache, %3 runs each)</span>")
                    .arg(palette().color(QPalette::PlaceholderText).name(), toString(s.runs.first().cache))
                    .arg(s.runs.first().stats.count);
    m_summary->setText(text);
}

} // namespace plansight::gui
