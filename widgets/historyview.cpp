#include "historyview.h"

#include "timingcharts.h"
#include "valuetablemodel.h"
#include "workers/historytasks.h"
#include "workers/joblane.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace plansight::gui {

HistoryView::HistoryView(JobLane *reads, QWidget *parent) : QWidget(parent), m_reads(reads)
{
    if (!m_reads)
        m_reads = new JobLane(JobLane::Mode::Reads, QStringLiteral("history"), this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *bar = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setPlaceholderText(QStringLiteral("Filter sessions: server, version, strategy, workload, note..."));
    m_search->setClearButtonEnabled(true);
    bar->addWidget(m_search, 1);
    auto *refresh = new QPushButton(QStringLiteral("Refresh"), this);
    m_open = new QPushButton(QStringLiteral("Open"), this);
    m_open->setObjectName(QStringLiteral("historyOpen"));
    m_open->setToolTip(QStringLiteral("Show the selected session in the Results and Plan views (Enter)."));
    m_compare = new QPushButton(QStringLiteral("Compare two"), this);
    m_compare->setObjectName(QStringLiteral("historyCompare"));
    m_compare->setToolTip(
        QStringLiteral("Select two sessions (Ctrl+click) and compare their medians strategy by strategy."));
    m_export = new QPushButton(QStringLiteral("Export..."), this);
    m_export->setObjectName(QStringLiteral("historyExport"));
    m_export->setToolTip(QStringLiteral("Write the selected session as a PDF report, JSON or CSV."));
    bar->addWidget(refresh);
    bar->addWidget(m_open);
    bar->addWidget(m_compare);
    bar->addWidget(m_export);
    layout->addLayout(bar);

    m_sessions
        = new ValueTableModel({ QStringLiteral("#"), QStringLiteral("Started"), QStringLiteral("Server"),
                                  QStringLiteral("Version"), QStringLiteral("Strategies"), QStringLiteral("Workloads"),
                                  QStringLiteral("Runs"), QStringLiteral("Winner"), QStringLiteral("Note") },
            this);
    m_sessions->setNumericColumns({ 0, 6 });
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_sessions);
    proxy->setSortRole(ValueTableModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("historyTable"));
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    m_comparison = new ValueTableModel(
        { QStringLiteral("Strategy"), QStringLiteral("Workload"), QStringLiteral("p50 A"), QStringLiteral("p50 B"),
            QStringLiteral("B / A"), QStringLiteral("Check A"), QStringLiteral("Check B") },
        this);
    m_comparison->setNumericColumns({ 2, 3, 4 });
    auto *cproxy = new QSortFilterProxyModel(this);
    cproxy->setSourceModel(m_comparison);
    cproxy->setSortRole(ValueTableModel::SortRole);
    m_compareTable = new QTableView(this);
    m_compareTable->setObjectName(QStringLiteral("historyComparison"));
    m_compareTable->setModel(cproxy);
    m_compareTable->setSortingEnabled(true);
    m_compareTable->sortByColumn(-1, Qt::AscendingOrder);
    m_compareTable->verticalHeader()->setVisible(false);
    m_compareTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_compareTable->horizontalHeader()->setStretchLastSection(true);
    m_compareTable->setAlternatingRowColors(true);

    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    m_compareTitle = new QLabel(QStringLiteral("Select two sessions and press Compare two."), lower);
    m_compareTitle->setWordWrap(true);
    lowerLayout->addWidget(m_compareTitle);
    lowerLayout->addWidget(m_compareTable, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("historySplitter"));
    split->addWidget(m_table);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    layout->addWidget(m_status);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &HistoryView::refresh);
    connect(refresh, &QPushButton::clicked, this, &HistoryView::refresh);
    connect(m_open, &QPushButton::clicked, this, [this] {
        const auto ids = selectedIds();
        if (!ids.isEmpty())
            openSession(ids.first());
    });
    connect(m_table, &QTableView::activated, this,
        [this](const QModelIndex &idx) { openSession(idx.data(ValueTableModel::KeyRole).toLongLong()); });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const auto ids = selectedIds();
        if (ids.size() == 2)
            compareSessions(std::min(ids[0], ids[1]), std::max(ids[0], ids[1]));
    });
    connect(m_export, &QPushButton::clicked, this, &HistoryView::exportSelected);
    connect(m_table, &QTableView::customContextMenuRequested, this, &HistoryView::showContextMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryView::updateButtons);

    updateButtons();
}

HistoryView::~HistoryView() = default;

void HistoryView::showList(const HistoryList &list)
{
    QList<ValueTableModel::Row> rows;
    for (const SessionSummary &s : list.sessions) {
        ValueTableModel::Row r;
        r.key = s.id;
        r.cells << ValueTableModel::number(QString::number(s.id), double(s.id))
                << ValueTableModel::Cell { QLocale().toString(
                                               s.startedAt.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                           + (s.finishedAt.isValid() ? QString() : QStringLiteral(" (interrupted)")),
                       s.startedAt, {}, {} }
                << ValueTableModel::text(s.isDemo ? QStringLiteral("demo ") + s.database : s.server)
                << ValueTableModel::text(s.serverVersion)
                << ValueTableModel::text(s.strategies.join(QStringLiteral(", ")))
                << ValueTableModel::text(s.workloads.join(QStringLiteral(", ")))
                << ValueTableModel::number(QString::number(s.runCount), s.runCount) <<
            [&s] {
                // The winner by the one rule (present/ranking.h); the verdict says why there is none.
                ValueTableModel::Cell c = ValueTableModel::text(s.winnerId.isEmpty() ? QStringLiteral("-")
                        : s.winnerP50Ms < 0                                          ? s.winnerId
                                            : QStringLiteral("%1 (%2)").arg(s.winnerId, formatMs(s.winnerP50Ms)));
                c.toolTip = s.verdict;
                return c;
            }()
                << ValueTableModel::text(s.machineBusy ? (s.note.isEmpty() ? QString() : s.note + QStringLiteral(" · "))
                               + QStringLiteral("machine was busy")
                                                       : s.note);
        rows << r;
    }
    m_sessions->setRows(rows);
    m_status->setText(QStringLiteral("%1 session(s) in %2").arg(list.sessions.size()).arg(list.path));
    updateButtons();
    Q_EMIT listed(int(list.sessions.size()));
}

void HistoryView::fail(const Error &error)
{
    m_status->setText(error.toString());
    Q_EMIT failed(error.toString());
}

void HistoryView::setHistoryPath(const QString &path)
{
    m_path = path;
}

QString HistoryView::filterText() const
{
    return m_search->text();
}

void HistoryView::setFilterText(const QString &text)
{
    m_search->setText(text);
}

QList<qint64> HistoryView::selectedIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &idx : m_table->selectionModel()->selectedRows())
        ids << idx.data(ValueTableModel::KeyRole).toLongLong();
    return ids;
}

void HistoryView::updateButtons()
{
    const auto n = selectedIds().size();
    m_open->setEnabled(n >= 1);
    m_compare->setEnabled(n == 2);
    m_export->setEnabled(n == 1);
}

bool HistoryView::exportSelected()
{
    const auto ids = selectedIds();
    if (ids.size() != 1)
        return false;
    Q_EMIT exportRequested(ids.first());
    return true;
}

void HistoryView::showContextMenu(const QPoint &pos)
{
    const auto ids = selectedIds();
    if (ids.isEmpty())
        return;
    QMenu menu(this);
    menu.addAction(QStringLiteral("Open"), this, [this, id = ids.first()] { openSession(id); });
    auto *exportAction = menu.addAction(QStringLiteral("Export report..."), this, &HistoryView::exportSelected);
    exportAction->setEnabled(ids.size() == 1);
    auto *compare = menu.addAction(QStringLiteral("Compare two"), this, [this, ids] {
        if (ids.size() == 2)
            compareSessions(std::min(ids[0], ids[1]), std::max(ids[0], ids[1]));
    });
    compare->setEnabled(ids.size() == 2);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void HistoryView::refresh()
{
    const QString path = m_path, filter = m_search->text().trimmed();
    m_reads->start<HistoryList>(
        QStringLiteral("history-list"), QStringLiteral("Reading the history"),
        [path, filter](CancelToken *, const ProgressFn &) { return listHistory(path, filter); },
        [self = QPointer<HistoryView>(this)](const Result<HistoryList> &r) {
            if (self)
                r ? self->showList(r.value()) : self->fail(r.error());
        });
}

void HistoryView::openSession(qint64 id)
{
    const QString path = m_path;
    m_reads->start<SessionResult>(
        QStringLiteral("history-open"), QStringLiteral("Opening session %1").arg(id),
        [path, id](CancelToken *, const ProgressFn &) { return loadHistorySession(path, id); },
        [self = QPointer<HistoryView>(this)](const Result<SessionResult> &r) {
            if (!self)
                return;
            if (!r) {
                self->fail(r.error());
                return;
            }
            self->m_status->setText(QStringLiteral("Session %1 opened in Results and Plan.").arg(r->info.id));
            Q_EMIT self->sessionOpened(r.value());
        });
}

void HistoryView::compareSessions(qint64 a, qint64 b)
{
    const QString path = m_path;
    m_reads->start<SessionPair>(
        QStringLiteral("history-compare"), QStringLiteral("Comparing sessions %1 and %2").arg(a).arg(b),
        [path, a, b](CancelToken *, const ProgressFn &) { return loadHistoryPair(path, a, b); },
        [self = QPointer<HistoryView>(this)](const Result<SessionPair> &r) {
            if (self)
                r ? self->showComparison(r->a, r->b) : self->fail(r.error());
        });
}

void HistoryView::showComparison(const SessionResult &a, const SessionResult &b)
{
    QList<ValueTableModel::Row> rows;
    const QPalette pal = QApplication::palette();
    const auto find = [](const SessionResult &s, const QString &id, const QString &key) -> const StrategyRun * {
        for (const StrategyRun &r : s.runs)
            if (r.strategyId == id && r.workload.key() == key)
                return &r;
        return nullptr;
    };
    QList<const StrategyRun *> keys;
    for (const StrategyRun &r : a.runs)
        keys << &r;
    for (const StrategyRun &r : b.runs)
        if (!find(a, r.strategyId, r.workload.key()))
            keys << &r;
    for (const StrategyRun *k : std::as_const(keys)) {
        const StrategyRun *ra = find(a, k->strategyId, k->workload.key());
        const StrategyRun *rb = find(b, k->strategyId, k->workload.key());
        const auto p50 = [](const StrategyRun *r) {
            return r && r->outcome == RunOutcome::Ok && r->stats.count > 0 ? r->stats.p50Ms : -1.0;
        };
        const double pa = p50(ra), pb = p50(rb);
        ValueTableModel::Row row;
        row.cells << ValueTableModel::text(k->strategyId)
                  << ValueTableModel::text(charts::runLabel(*k, true).section(QStringLiteral(" · "), 1))
                  << ValueTableModel::number(formatMs(pa), pa) << ValueTableModel::number(formatMs(pb), pb);
        if (pa > 0 && pb > 0) {
            const double ratio = pb / pa;
            ValueTableModel::Cell c = ValueTableModel::number(formatRatio(ratio) + QLatin1Char('x'), ratio);
            if (ratio > 1.2)
                c.foreground = charts::checkColor(ResultCheck::Different, pal);
            c.toolTip = ratio > 1 ? QStringLiteral("B is slower than A") : QStringLiteral("B is faster than A");
            row.cells << c;
        } else {
            row.cells << ValueTableModel::number(QStringLiteral("-"), -1);
        }
        const auto check = [&pal](const StrategyRun *r) {
            ValueTableModel::Cell c = ValueTableModel::text(r ? checkWords(r->check) : QStringLiteral("not run"));
            if (r && (r->check == ResultCheck::Different || r->check == ResultCheck::Stale))
                c.foreground = charts::checkColor(r->check, pal);
            return c;
        };
        row.cells << check(ra) << check(rb);
        rows << row;
    }
    m_comparison->setRows(rows);
    m_compareTitle->setText(QStringLiteral("<b>A</b>: session %1, %2, %3 &nbsp; <b>B</b>: session %4, %5, %6")
                                .arg(a.info.id)
                                .arg(QLocale().toString(a.info.startedAt.toLocalTime(), QLocale::ShortFormat),
                                    a.info.server.toHtmlEscaped())
                                .arg(b.info.id)
                                .arg(QLocale().toString(b.info.startedAt.toLocalTime(), QLocale::ShortFormat),
                                    b.info.server.toHtmlEscaped()));
    Q_EMIT compared();
}

} // namespace plansight::gui
