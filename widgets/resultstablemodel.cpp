#include "resultstablemodel.h"

#include "strategylistmodel.h"
#include "timingcharts.h"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QSet>

namespace plansight::gui {

ResultsTableModel::ResultsTableModel(QObject *parent) : QAbstractTableModel(parent) { }

void ResultsTableModel::setSession(const SessionResult &session)
{
    beginResetModel();
    m_session = session;
    updateWinner();
    endResetModel();
}

void ResultsTableModel::clear()
{
    setSession(SessionResult());
}

void ResultsTableModel::addRun(const StrategyRun &run)
{
    const int row = int(m_session.runs.size());
    beginInsertRows({}, row, row);
    m_session.runs << run;
    endInsertRows();
    const QString old = m_winnerKey;
    updateWinner();
    if (old != m_winnerKey && row > 0)
        Q_EMIT dataChanged(index(0, 0), index(row, ColumnCount - 1), { Qt::FontRole });
}

void ResultsTableModel::updateWinner()
{
    const StrategyRun *w = m_session.winner();
    m_winnerKey = w ? w->strategyId + QLatin1Char('|') + w->workload.key() : QString();
}

int ResultsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_session.runs.size());
}

int ResultsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {
QString speedUpText(const SpeedUp &s)
{
    if (!s.valid)
        return QStringLiteral("-");
    return QStringLiteral("%1x (%2-%3)").arg(s.ratio, 0, 'f', s.ratio >= 100 ? 0 : 1).arg(s.low, 0, 'f', s.low >= 100 ? 0 : 1).arg(s.high, 0, 'f', s.high >= 100 ? 0 : 1);
}
QString writeText(const Footprint &f)
{
    if (f.writeMs < 0)
        return QStringLiteral("-");
    if (f.baselineWriteMs > 0)
        return QStringLiteral("%1 (base %2)").arg(charts::formatMs(f.writeMs), charts::formatMs(f.baselineWriteMs));
    return charts::formatMs(f.writeMs);
}
} // namespace

QVariant ResultsTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StrategyRun &r = m_session.runs.at(index.row());
    const bool ok = r.outcome == RunOutcome::Ok && r.stats.count > 0;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StrategyColumn:
            return r.strategyId;
        case WorkloadColumn:
            return charts::runLabel(r, true).section(QStringLiteral(" · "), 1);
        case P50Column:
            return ok ? charts::formatMs(r.stats.p50Ms) : toString(r.outcome);
        case P95Column:
            return ok ? charts::formatMs(r.stats.p95Ms) : QStringLiteral("-");
        case SpeedUpColumn:
            return speedUpText(r.speedup);
        case CheckColumn:
            return toString(r.check);
        case ServerColumn:
            return charts::formatMs(r.serverMs);
        case FootprintColumn:
            return r.footprint.bytes < 0 ? QStringLiteral("-") : StrategyListModel::formatBytes(r.footprint.bytes);
        case BuildColumn:
            return charts::formatMs(r.footprint.buildMs);
        case WriteColumn:
            return writeText(r.footprint);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case StrategyColumn:
            return index.row();
        case WorkloadColumn:
            return r.workload.page * 1000 + int(r.workload.tagIds.size());
        case P50Column:
            return ok ? r.stats.p50Ms : 1e300;
        case P95Column:
            return ok ? r.stats.p95Ms : 1e300;
        case SpeedUpColumn:
            return r.speedup.valid ? r.speedup.ratio : -1.0;
        case CheckColumn:
            return int(r.check);
        case ServerColumn:
            return r.serverMs;
        case FootprintColumn:
            return r.footprint.bytes;
        case BuildColumn:
            return r.footprint.buildMs;
        case WriteColumn:
            return r.footprint.writeMs;
        }
        return {};
    case Qt::ForegroundRole:
        if (r.check == ResultCheck::Different || r.check == ResultCheck::Stale || r.outcome != RunOutcome::Ok)
            if (index.column() == CheckColumn || index.column() == StrategyColumn || index.column() == P50Column)
                return charts::checkColor(r.outcome != RunOutcome::Ok ? ResultCheck::Failed : r.check, QApplication::palette());
        return {};
    case Qt::FontRole:
        if (!m_winnerKey.isEmpty() && r.strategyId + QLatin1Char('|') + r.workload.key() == m_winnerKey) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = r.strategyTitle.isEmpty() ? r.strategyId : r.strategyTitle;
        tip += QLatin1Char('\n') + r.workload.describe();
        if (!r.error.isEmpty())
            tip += QLatin1Char('\n') + r.error;
        if (!r.checkDetail.isEmpty())
            tip += QStringLiteral("\nResult check: ") + r.checkDetail;
        if (!r.note.isEmpty())
            tip += QStringLiteral("\nHow it ran: ") + r.note;
        if (!r.footprint.objects.isEmpty())
            tip += QStringLiteral("\nObjects: ") + r.footprint.objects.join(QStringLiteral(", "));
        if (!r.footprint.staleness.isEmpty())
            tip += QStringLiteral("\nStaleness: ") + r.footprint.staleness;
        if (!m_winnerKey.isEmpty() && r.strategyId + QLatin1Char('|') + r.workload.key() == m_winnerKey)
            tip += QStringLiteral("\nThe fastest strategy that returned the baseline's rows.");
        return tip;
    }
    case Qt::TextAlignmentRole:
        return index.column() >= P50Column && index.column() != CheckColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                            : QVariant();
    case RunIndexRole:
        return index.row();
    case CheckRole:
        return int(r.check);
    case StrategyIdRole:
        return r.strategyId;
    default:
        return {};
    }
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case SpeedUpColumn:
            return QStringLiteral("Baseline median / strategy median, with a bootstrap 95% interval.");
        case CheckColumn:
            return QStringLiteral("Whether the page (source, id in order) equals the baseline's page.");
        case ServerColumn:
            return QStringLiteral("Execution time reported by EXPLAIN ANALYZE (instrumented, run separately).");
        case WriteColumn:
            return QStringLiteral("Inserting and deleting one item with 75 tags with the strategy applied (and without).");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    static const QStringList names { QStringLiteral("Strategy"), QStringLiteral("Workload"), QStringLiteral("p50"),
        QStringLiteral("p95"), QStringLiteral("Speed-up (95% CI)"), QStringLiteral("Check"), QStringLiteral("Server"),
        QStringLiteral("Footprint"), QStringLiteral("Build"), QStringLiteral("Write cost") };
    return names.value(section);
}

} // namespace plansight::gui
