#include "resultstablemodel.h"

#include "present/ranking.h"
#include "present/words.h"
#include "strategylistmodel.h"
#include "timingcharts.h"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QSet>

#include <cmath>

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
    const QSet<QString> old = m_winnerKeys;
    updateWinner();
    if (old != m_winnerKeys && row > 0)
        Q_EMIT dataChanged(index(0, 0), index(row, ColumnCount - 1), { Qt::FontRole });
}

void ResultsTableModel::updateWinner()
{
    // Each workload's winner by the one rule (present/ranking.h): the same as the CLI, the report and the JSON.
    m_winnerKeys.clear();
    for (const WorkloadRanking &w : rankSession(m_session).workloads)
        if (w.winner)
            m_winnerKeys.insert(w.winner->strategyId + QLatin1Char('|') + w.workloadKey);
}

bool ResultsTableModel::isWinner(const StrategyRun &r) const
{
    return m_winnerKeys.contains(r.strategyId + QLatin1Char('|') + r.workload.key());
}

int ResultsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_session.runs.size());
}

int ResultsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

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
            return ok ? formatMs(r.stats.p50Ms) : outcomeWords(r.outcome);
        case P95Column:
            return ok ? formatMs(r.stats.p95Ms) : QStringLiteral("-");
        case SpeedUpColumn:
            return formatSpeedUpWithInterval(r.speedup);
        case CheckColumn:
            return checkWords(r.check);
        case ServerColumn:
            return formatServerTime(r);
        case PlanningColumn:
            return formatPlanningShare(r);
        case JitColumn:
            return formatJitTime(r);
        case PreparedColumn:
            return formatPreparedMedian(r);
        case FootprintColumn:
            return formatBytes(r.footprint.bytes);
        case BuildColumn:
            return formatMs(r.footprint.buildMs);
        case WriteColumn:
            return formatWriteCost(r.footprint);
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
            return r.serverMs();
        case PlanningColumn:
            return r.planningMs;
        case JitColumn:
            return r.jitMs;
        case PreparedColumn:
            return r.preparedStats.count > 0 ? r.preparedStats.p50Ms : 1e300;
        case FootprintColumn:
            return r.footprint.bytes;
        case BuildColumn:
            return r.footprint.buildMs;
        case WriteColumn:
            return writeCostDifferenceMs(r.footprint);
        }
        return {};
    case Qt::ForegroundRole:
        if (r.check == ResultCheck::Different || r.check == ResultCheck::Stale || r.check == ResultCheck::BothEmpty
            || r.outcome != RunOutcome::Ok)
            if (index.column() == CheckColumn || index.column() == StrategyColumn || index.column() == P50Column)
                return charts::checkColor(
                    r.outcome != RunOutcome::Ok ? ResultCheck::Failed : r.check, QApplication::palette());
        // Slower than the baseline (its speed-up interval lies below 1): orange, apart from the red of wrong rows.
        if (isClearlySlower(r)
            && (index.column() == StrategyColumn || index.column() == P50Column || index.column() == SpeedUpColumn))
            return charts::slowerColor(QApplication::palette());
        return {};
    case Qt::FontRole:
        if (isWinner(r)) {
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
        if (r.planningMs >= 0 || r.executionMs >= 0)
            tip += QStringLiteral("\nServer time (EXPLAIN ANALYZE): ") + serverTimeWords(r);
        if (const QString jit = jitTimeWords(r); !jit.isEmpty())
            tip += QStringLiteral("\nJIT: ") + jit;
        if (!r.settings.isEmpty())
            tip += QStringLiteral("\nSettings: ") + runSettingsWords(r);
        if (!r.preparedNote.isEmpty())
            tip += QStringLiteral("\nPrepared statement: ") + r.preparedNote;
        if (!r.footprint.objects.isEmpty())
            tip += QStringLiteral("\nObjects: ") + r.footprint.objects.join(QStringLiteral(", "));
        if (!r.footprint.staleness.isEmpty())
            tip += QStringLiteral("\nStaleness: ") + r.footprint.staleness;
        if (r.footprint.refreshMs >= 0)
            tip += QStringLiteral("\nRefresh time: ") + formatMs(r.footprint.refreshMs);
        if (isWinner(r))
            tip += QStringLiteral(
                "\nThe winner: the fastest strategy with the baseline's rows, and its speed-up interval "
                "lies entirely above 1.");
        if (isClearlySlower(r))
            tip += QStringLiteral("\nSlower than the baseline: its speed-up interval lies entirely below 1.");
        if (r.check == ResultCheck::BothEmpty)
            tip += QStringLiteral("\nBoth this page and the baseline's are empty, which proves nothing.");
        if (r.footprint.writeMs >= 0)
            tip += QStringLiteral("\nWrite cost: %1 with it, %2 without it")
                       .arg(formatMsWithSpread(r.footprint.writeMs, r.footprint.writeLowMs, r.footprint.writeHighMs),
                           formatMsWithSpread(r.footprint.baselineWriteMs, r.footprint.baselineWriteLowMs,
                               r.footprint.baselineWriteHighMs));
        return tip;
    }
    case Qt::TextAlignmentRole:
        return index.column() >= P50Column && index.column() != CheckColumn
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
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
        case P50Column:
        case P95Column:
            return QStringLiteral("Client time of the statement sent each time, as the application sends it: the "
                                  "ranking and the speed-ups use it.");
        case ServerColumn:
            return QStringLiteral("The server's time: planning + execution, from one EXPLAIN ANALYZE run apart from "
                                  "the timed runs.");
        case PlanningColumn:
            return QStringLiteral("Planning time from the EXPLAIN ANALYZE, with its share of the client p50.");
        case JitColumn:
            return QStringLiteral("Time the EXPLAIN ANALYZE spent compiling JIT code (generation, inlining, "
                                  "optimization, emission), with its share of the server time; none: nothing was "
                                  "compiled.");
        case PreparedColumn:
            return QStringLiteral("Client p50 of the same statement prepared once and executed (PQprepare, "
                                  "PQexecPrepared), measured beside each run; not ranked.");
        case WriteColumn:
            return QStringLiteral(
                "Extra time to insert and delete one item with 75 tags with the strategy applied, against "
                "without it; shown only where the spreads of the repeated probes do not overlap.");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    static const QStringList names { QStringLiteral("Strategy"), QStringLiteral("Workload"), QStringLiteral("p50"),
        QStringLiteral("p95"), QStringLiteral("Speed-up (95% CI)"), QStringLiteral("Check"), QStringLiteral("Server"),
        QStringLiteral("Planning"), QStringLiteral("JIT"), QStringLiteral("Prepared p50"), QStringLiteral("Footprint"),
        QStringLiteral("Build"), QStringLiteral("Write cost") };
    return names.value(section);
}

} // namespace plansight::gui
