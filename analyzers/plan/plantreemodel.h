#pragma once

// A read-only tree model over a Plan, for the plan view, the diff view and the report (QtCore only).
//
// Rows are plan nodes (one top-level row: the root); internalId() of an index is the node id in Plan::nodes.
// The model owns its Plan by value; setPlan() swaps a new one in with a model reset. DisplayRole gives text
// in the views' units, SortRole the raw number, the custom roles below the rest. The optional diff
// annotation (setDiff) adds DiffStatusRole and the delta roles, for the diff view showing plan B.
//
// Threading: GUI thread (like every QAbstractItemModel); build the Plan in a worker and pass it in.

#include "plan/plandiff.h"
#include "plan/plannode.h"

#include <QAbstractItemModel>
#include <QSortFilterProxyModel>

#include <optional>

namespace plansight {

class PlanTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        NodeColumn, // "Hash Join", "Index Only Scan using idx on t"
        ExclusiveColumn, // exclusive time
        InclusiveColumn, // inclusive time
        PercentColumn, // exclusive % of total
        RowsColumn, // "1,234 / 10 (123x under)": actual total vs planned total
        LoopsColumn,
        BuffersColumn, // exclusive "hit / read"
        RowsRemovedColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        NodeIdRole = Qt::UserRole, // int: index in Plan::nodes
        SortRole, // double/qint64/QString: the raw value of the column
        HeatRole, // double 0..1: exclusive share of the total time (the colour's intensity)
        HeatColorRole, // uint 0xAARRGGBB: a white-to-red heat colour for the share (QColor::fromRgba)
        HintsRole, // QStringList: the node's hints, one sentence each
        HintCountRole, // int
        MaxHintSeverityRole, // int: HintSeverity of the worst hint, -1 without hints
        NeverExecutedRole, // bool
        EstimateFactorRole, // double, 0 when not comparable
        EstimateDirectionRole, // int: EstimateDirection
        InclusiveShareRole, // double 0..1: inclusive share of the total time (what the proxy filters on)
        DiffStatusRole, // int: DiffStatus, or -1 without a diff
        DiffTimeDeltaRole, // double: exclusive ms, B - A
        DiffChangesRole, // QStringList
        NodeLabelRole, // QString: PlanNode::label()
        ParentRelationshipRole, // QString: "InitPlan", "SubPlan", ...
        ConcurrentRole, // bool: the node ran beside the critical path (planmetrics.h R2a)
        StoppedByLimitRole, // bool: fewer rows than planned because a Limit stopped it (R8)
        HotRole, // bool: one of hotNodeIds() (the view marks it and steps between them)
    };
    Q_ENUM(Role)

    explicit PlanTreeModel(QObject *parent = nullptr);

    void setPlan(Plan plan);
    const Plan &plan() const { return m_plan; }
    // Annotates the rows with a diff whose side B is this model's plan (pass std::nullopt to clear).
    void setDiff(std::optional<PlanDiff> diff);

    const PlanNode *nodeAt(const QModelIndex &index) const;
    QModelIndex indexForNode(int nodeId, int column = 0) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The heat colour used by HeatColorRole: 0 -> white, 1 -> deep red, as 0xAARRGGBB.
    static uint heatColor(double share);

private:
    Plan m_plan;
    std::optional<PlanDiff> m_diff;
};

// A hot node spent at least this share of the plan's total time in itself (exclusive time).
inline constexpr double HotNodeShare = 0.10;
// The hot nodes of a plan, in pre-order (the order of the tree, top to bottom): executed, timed nodes whose
// exclusive time is at least HotNodeShare of Plan::totalMs(). Empty for a plan without timings.
QList<int> hotNodeIds(const Plan &plan);

// Hides nodes whose inclusive share of the total time is below a threshold. Ancestors of visible nodes stay
// visible (recursive filtering), so the tree keeps its shape; a threshold of 0 shows everything. Sorting
// uses PlanTreeModel::SortRole.
class PlanTimeFilterProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit PlanTimeFilterProxyModel(QObject *parent = nullptr);

    double minimumShare() const { return m_minimumShare; }
    void setMinimumShare(double share); // 0..1
    bool showNeverExecuted() const { return m_showNeverExecuted; }
    void setShowNeverExecuted(bool show);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    double m_minimumShare = 0;
    bool m_showNeverExecuted = true;
};

} // namespace plansight
