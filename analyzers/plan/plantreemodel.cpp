#include "plan/plantreemodel.h"
#include "plan/planformat.h"
#include "present/whatifwords.h"

#include <algorithm>
#include <cmath>

namespace plansight {

namespace {
// The one definition of a hot node (plantreemodel.h, hotNodeIds).
bool isHot(const PlanNode &n, double totalMs)
{
    return n.hasTiming && !n.neverExecuted && totalMs > 0 && n.metrics.exclusiveMs >= HotNodeShare * totalMs;
}
} // namespace

PlanTreeModel::PlanTreeModel(QObject *parent) : QAbstractItemModel(parent) { }

void PlanTreeModel::setPlan(Plan plan)
{
    beginResetModel();
    m_plan = std::move(plan);
    m_diff.reset();
    endResetModel();
}

void PlanTreeModel::setDiff(std::optional<PlanDiff> diff)
{
    m_diff = std::move(diff);
    if (m_plan.isEmpty())
        return;
    // Every cell may change its diff roles: signal the whole tree, one parent at a time.
    std::vector<int> stack { 0 };
    Q_EMIT dataChanged(indexForNode(0, 0), indexForNode(0, ColumnCount - 1));
    while (!stack.empty()) {
        const PlanNode &n = m_plan.node(stack.back());
        stack.pop_back();
        if (n.children.isEmpty())
            continue;
        const QModelIndex parent = indexForNode(n.id, 0);
        Q_EMIT dataChanged(index(0, 0, parent), index(int(n.children.size()) - 1, ColumnCount - 1, parent));
        for (int c : n.children)
            stack.push_back(c);
    }
}

const PlanNode *PlanTreeModel::nodeAt(const QModelIndex &idx) const
{
    if (!idx.isValid() || idx.model() != this)
        return nullptr;
    const quintptr id = idx.internalId();
    if (id >= quintptr(m_plan.size()))
        return nullptr;
    return &m_plan.node(int(id));
}

QModelIndex PlanTreeModel::indexForNode(int nodeId, int column) const
{
    if (nodeId < 0 || nodeId >= m_plan.size() || column < 0 || column >= ColumnCount)
        return {};
    const PlanNode &n = m_plan.node(nodeId);
    int row = 0;
    if (n.parent >= 0)
        row = int(m_plan.node(n.parent).children.indexOf(nodeId));
    return createIndex(row, column, quintptr(nodeId));
}

QModelIndex PlanTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount || m_plan.isEmpty())
        return {};
    if (!parent.isValid())
        return row == 0 ? createIndex(0, column, quintptr(0)) : QModelIndex();
    const PlanNode *p = nodeAt(parent);
    if (!p || parent.column() != 0 || row >= p->children.size())
        return {};
    return createIndex(row, column, quintptr(p->children.at(row)));
}

QModelIndex PlanTreeModel::parent(const QModelIndex &child) const
{
    const PlanNode *n = nodeAt(child);
    if (!n || n->parent < 0)
        return {};
    return indexForNode(n->parent, 0);
}

int PlanTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_plan.isEmpty() ? 0 : 1;
    if (parent.column() != 0)
        return 0;
    const PlanNode *n = nodeAt(parent);
    return n ? int(n->children.size()) : 0;
}

int PlanTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QList<int> hotNodeIds(const Plan &plan)
{
    QList<int> out;
    const double total = plan.totalMs();
    for (const PlanNode &n : plan.nodes)
        if (isHot(n, total))
            out << n.id;
    return out;
}

uint PlanTreeModel::heatColor(double share)
{
    const double s = std::clamp(std::isfinite(share) ? share : 0.0, 0.0, 1.0);
    // White (255,255,255) through amber (255,200,120) to deep red (200,30,30), perceptually roughly even.
    auto mix = [](double from, double to, double t) { return int(std::lround(from + (to - from) * t)); };
    int r, g, b;
    if (s < 0.5) {
        const double t = s / 0.5;
        r = 255;
        g = mix(255, 200, t);
        b = mix(255, 120, t);
    } else {
        const double t = (s - 0.5) / 0.5;
        r = mix(255, 200, t);
        g = mix(200, 30, t);
        b = mix(120, 30, t);
    }
    return 0xFF000000u | (uint(r) << 16) | (uint(g) << 8) | uint(b);
}

QVariant PlanTreeModel::data(const QModelIndex &idx, int role) const
{
    const PlanNode *np = nodeAt(idx);
    if (!np)
        return {};
    const PlanNode &n = *np;
    const NodeMetrics &m = n.metrics;
    const double total = m_plan.totalMs();
    const bool timed = n.hasTiming && !n.neverExecuted;
    const PlanDiffEntry *diffEntry = m_diff ? m_diff->entryForB(n.id) : nullptr;

    switch (role) {
    case Qt::DisplayRole:
        switch (idx.column()) {
        case NodeColumn:
            return n.subplanName.isEmpty() ? n.label() : QString(n.subplanName + QStringLiteral(": ") + n.label());
        case ExclusiveColumn:
            if (!m_plan.analyzed) // an estimate (EXPLAIN without ANALYZE, a what-if plan): the planner's costs
                return n.startupCost >= 0 ? formatCost(n.startupCost) : QString();
            if (timed && m.concurrent)
                return QString(formatMs(m.exclusiveMs) + QStringLiteral(" ∥"));
            return n.neverExecuted ? QStringLiteral("never executed") : timed ? formatMs(m.exclusiveMs) : QString();
        case InclusiveColumn:
            if (!m_plan.analyzed)
                return n.totalCost >= 0 ? formatCost(n.totalCost) : QString();
            return timed ? formatMs(m.inclusiveMs) : QString();
        case PercentColumn:
            if (!m_plan.analyzed) // no share of time without times (and costs under a Limit exceed the root's)
                return QStringLiteral("-");
            return timed && total > 0 ? formatPercent(m.exclusivePercent) : QString();
        case RowsColumn: {
            if (n.neverExecuted)
                return QStringLiteral("-");
            const double loops = n.hasActuals ? std::max(1.0, n.actualLoops) : 1;
            QString planned = n.planRows >= 0 ? formatCount(n.planRows * loops) : QStringLiteral("?");
            if (!n.hasActuals)
                return planned;
            QString s = formatCount(m.rowsTotal) + QStringLiteral(" / ") + planned;
            if (m.direction == EstimateDirection::Under || m.direction == EstimateDirection::Over)
                s += QStringLiteral(" (%1x %2)")
                         .arg(formatFactor(m.estimateFactor),
                             m.direction == EstimateDirection::Under ? QStringLiteral("under")
                                                                     : QStringLiteral("over"));
            else if (m.stoppedByLimit)
                s += QStringLiteral(" (limited)");
            return s;
        }
        case LoopsColumn:
            return n.hasActuals ? formatCount(n.actualLoops) : QString();
        case BuffersColumn:
            if (!n.buffers.present)
                return QString();
            return QString(formatCount(double(m.exclusiveBuffers.hit())) + QStringLiteral(" / ")
                + formatCount(double(m.exclusiveBuffers.read())));
        case RowsRemovedColumn:
            return m.rowsRemovedTotal > 0 ? formatCount(m.rowsRemovedTotal) : QString();
        }
        return {};
    case Qt::ToolTipRole: {
        QStringList lines { n.label() };
        if (n.neverExecuted)
            lines << QStringLiteral("Never executed.");
        if (m.concurrent)
            lines << QStringLiteral("Concurrent: ran beside the slowest process (under a Parallel Append); its time is "
                                    "not on the critical path.");
        if (m.stoppedByLimit)
            lines << QStringLiteral(
                "Fewer rows than planned because a Limit above stopped it early: not an estimate error.");
        for (const PlanHint &h : m.hints)
            lines << h.text;
        if (diffEntry)
            lines << diffEntry->changes;
        return lines.join(QLatin1Char('\n'));
    }
    case Qt::TextAlignmentRole:
        return idx.column() == NodeColumn ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                                          : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case NodeIdRole:
        return n.id;
    case SortRole:
        switch (idx.column()) {
        case NodeColumn:
            return n.label();
        case ExclusiveColumn:
            return m_plan.analyzed ? m.exclusiveMs : n.startupCost;
        case InclusiveColumn:
            return m_plan.analyzed ? m.inclusiveMs : n.totalCost;
        case PercentColumn:
            return m.exclusivePercent;
        case RowsColumn:
            return m.rowsTotal;
        case LoopsColumn:
            return n.hasActuals ? n.actualLoops : 0.0;
        case BuffersColumn:
            return qint64(m.exclusiveBuffers.hit() + m.exclusiveBuffers.read());
        case RowsRemovedColumn:
            return m.rowsRemovedTotal;
        }
        return {};
    case HeatRole:
        return std::clamp(m.exclusivePercent / 100.0, 0.0, 1.0);
    case HeatColorRole:
        return heatColor(m.exclusivePercent / 100.0);
    case HintsRole: {
        QStringList hints;
        for (const PlanHint &h : m.hints)
            hints << h.text;
        return hints;
    }
    case HintCountRole:
        return int(m.hints.size());
    case MaxHintSeverityRole: {
        int worst = -1;
        for (const PlanHint &h : m.hints)
            worst = std::max(worst, int(h.severity));
        return worst;
    }
    case NeverExecutedRole:
        return n.neverExecuted;
    case EstimateFactorRole:
        return m.estimateFactor;
    case EstimateDirectionRole:
        return int(m.direction);
    case InclusiveShareRole:
        return std::clamp(m.inclusivePercent / 100.0, 0.0, 1.0);
    case DiffStatusRole:
        return diffEntry ? int(diffEntry->status) : -1;
    case DiffTimeDeltaRole:
        return diffEntry ? diffEntry->exclusiveMsDelta : 0.0;
    case DiffChangesRole:
        return diffEntry ? diffEntry->changes : QStringList();
    case NodeLabelRole:
        return n.label();
    case ParentRelationshipRole:
        return n.parentRelationship;
    case ConcurrentRole:
        return m.concurrent;
    case HotRole:
        return isHot(n, total);
    case StoppedByLimitRole:
        return m.stoppedByLimit;
    default:
        return {};
    }
}

QVariant PlanTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    if (!m_plan.isEmpty() && !m_plan.analyzed) { // an estimate: the planner's costs and rows, no times
        switch (section) {
        case ExclusiveColumn:
            return tr("Startup cost");
        case InclusiveColumn:
            return tr("Total cost");
        case RowsColumn:
            return tr("Rows (planned)");
        default:
            break;
        }
    }
    switch (section) {
    case NodeColumn:
        return tr("Node");
    case ExclusiveColumn:
        return tr("Exclusive");
    case InclusiveColumn:
        return tr("Inclusive");
    case PercentColumn:
        return tr("% of total");
    case RowsColumn:
        return tr("Rows (actual / planned)");
    case LoopsColumn:
        return tr("Loops");
    case BuffersColumn:
        return tr("Buffers hit / read");
    case RowsRemovedColumn:
        return tr("Rows removed");
    }
    return {};
}

QHash<int, QByteArray> PlanTreeModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(NodeIdRole, "nodeId");
    names.insert(SortRole, "sortValue");
    names.insert(HeatRole, "heat");
    names.insert(HeatColorRole, "heatColor");
    names.insert(HintsRole, "hints");
    names.insert(HintCountRole, "hintCount");
    names.insert(MaxHintSeverityRole, "maxHintSeverity");
    names.insert(NeverExecutedRole, "neverExecuted");
    names.insert(EstimateFactorRole, "estimateFactor");
    names.insert(EstimateDirectionRole, "estimateDirection");
    names.insert(InclusiveShareRole, "inclusiveShare");
    names.insert(DiffStatusRole, "diffStatus");
    names.insert(DiffTimeDeltaRole, "diffTimeDelta");
    names.insert(DiffChangesRole, "diffChanges");
    names.insert(NodeLabelRole, "label");
    names.insert(ParentRelationshipRole, "parentRelationship");
    names.insert(ConcurrentRole, "concurrent");
    names.insert(StoppedByLimitRole, "stoppedByLimit");
    names.insert(HotRole, "hot");
    return names;
}

PlanTimeFilterProxyModel::PlanTimeFilterProxyModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setSortRole(PlanTreeModel::SortRole);
}

void PlanTimeFilterProxyModel::setMinimumShare(double share)
{
    share = std::clamp(std::isfinite(share) ? share : 0.0, 0.0, 1.0);
    if (share == m_minimumShare)
        return;
    m_minimumShare = share;
    invalidateFilter();
}

void PlanTimeFilterProxyModel::setShowNeverExecuted(bool show)
{
    if (show == m_showNeverExecuted)
        return;
    m_showNeverExecuted = show;
    invalidateFilter();
}

bool PlanTimeFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!idx.isValid())
        return false;
    if (!sourceParent.isValid())
        return true; // the root always shows
    if (!m_showNeverExecuted && idx.data(PlanTreeModel::NeverExecutedRole).toBool())
        return false;
    if (m_minimumShare <= 0)
        return true;
    return idx.data(PlanTreeModel::InclusiveShareRole).toDouble() >= m_minimumShare;
}

} // namespace plansight
