#pragma once

// The strategy catalog as a checkable table: which strategies a run measures, their state on the server
// (applied, not applied, broken), their footprint and build time once known. Rows are swapped in whole
// (setRows) from a status read by a worker; checks survive a refresh.
//
// Threading: GUI thread.

#include "workers/dbtasks.h"

#include <QAbstractTableModel>
#include <QSet>

namespace plansight::gui {

class StrategyListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StrategyColumn, StatusColumn, FootprintColumn, BuildColumn, ColumnCount };
    enum Role { StrategyIdRole = Qt::UserRole, StateRole, NeedsObjectsRole, SortRole };

    explicit StrategyListModel(QObject *parent = nullptr);

    void setRows(const QList<StrategyRow> &rows);
    const QList<StrategyRow> &rows() const { return m_rows; }
    const StrategyRow *row(const QString &id) const;
    // Sizes and build times measured by a run (footprints of StrategyRun) fill the columns.
    void setFootprint(const QString &id, qint64 bytes, double buildMs);

    QStringList checkedIds() const; // in catalog order
    void setCheckedIds(const QStringList &ids);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void checksChanged();

private:
    QList<StrategyRow> m_rows;
    QSet<QString> m_checked;
    // Strategies a run measured (it reported their footprint). One that is not applied afterwards was
    // applied for its runs and reverted by the runner (measured in turn, without HypoPG's hide_index).
    QSet<QString> m_measured;
};

} // namespace plansight::gui
