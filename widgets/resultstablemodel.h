#pragma once

// One row per strategy run of a session: strategy, workload, p50, p95, speed-up with its interval, result
// check, server time (planning + execution), planning time with its share of p50, the JIT compilation time with its
// share of the server time, the prepared statement's p50,
// footprint, build time, write cost. Runs arrive whole (setSession) or one by one as a run measures
// them (addRun). DisplayRole is text in the views' units, SortRole the raw number.
//
// Threading: GUI thread.

#include "session/results.h"

#include <QAbstractTableModel>
#include <QSet>

namespace plansight::gui {

class ResultsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StrategyColumn,
        WorkloadColumn,
        P50Column,
        P95Column,
        SpeedUpColumn,
        CheckColumn,
        ServerColumn,
        PlanningColumn,
        JitColumn,
        PreparedColumn,
        FootprintColumn,
        BuildColumn,
        WriteColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole, RunIndexRole, CheckRole, StrategyIdRole };

    explicit ResultsTableModel(QObject *parent = nullptr);

    void setSession(const SessionResult &session);
    void addRun(const StrategyRun &run);
    const SessionResult &session() const { return m_session; }
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    SessionResult m_session;
    QSet<QString> m_winnerKeys; // strategyId + '|' + workload key of each workload's winner (present/ranking.h)
    void updateWinner();
    bool isWinner(const StrategyRun &r) const;
};

} // namespace plansight::gui
