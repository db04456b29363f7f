#pragma once

// The strategy catalog as a checkable table: which strategies a run measures, their state on the server
// (applied, not applied, broken), their footprint and build time once known. Rows are swapped in whole
// (setRows) from a status read by a worker; checks survive a refresh.
//
// Settings variants (docs/settings.md; strategies/settingsvariantstrategy.h) are extra rows: "baseline [jit=off]"
// right after its strategy (and its earlier variants), with that strategy's status, since it uses its objects. They
// survive a refresh; a run measures them when checked, like any other row.
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

    // Adds the variant of strategy `innerId` under `overrides` (parseSettingOverrides: "jit=off;work_mem=64MB" or a
    // preset's name), checked: its id, or an errc::Input error (an unknown strategy, a bad override, a variant that is
    // already in the list).
    Result<QString> addVariant(const QString &innerId, const QString &overrides);
    bool removeVariant(const QString &id); // false: not a variant of the list
    bool isVariant(const QString &id) const { return m_variantIds.contains(id); }
    QStringList variantIds() const { return m_variantIds; } // in the order they were added
    // Restores variants (the window's saved settings); ids that no longer parse are dropped.
    void setVariantIds(const QStringList &ids);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void checksChanged();

private:
    // m_rows from the catalog's rows and the variants.
    void rebuild();

    QList<StrategyRow> m_catalog; // as setRows() gave them
    QStringList m_variantIds;
    QList<StrategyRow> m_rows; // what the table shows: the catalog with each strategy's variants after it
    QSet<QString> m_checked;
    // Strategies a run measured (it reported their footprint). One that is not applied afterwards was
    // applied for its runs and reverted by the runner (measured in turn, without HypoPG's hide_index).
    QSet<QString> m_measured;
};

} // namespace plansight::gui
