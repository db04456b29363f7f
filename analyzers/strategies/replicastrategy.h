#pragma once

// p7-replica: the gallery query routed to a streaming read replica (docs/strategies.md, "p7-replica").
//
// Where the standby is:
// - On PlanSight's own cluster (the embedded demo; found from the server's data_directory, whose parent holds the
//   cluster's cluster.ini) and without --replica: a standby PlanSight makes and runs itself, a LocalCluster under
//   <demo root>/replica (pg/localcluster.h: createStandby), streaming from the physical replication slot
//   ps_p7_replica. The demo runs with wal_level minimal; apply() raises it (LocalCluster::setStandbyWal) and restarts
//   the demo only when it runs below replica, and revert() puts it back and restarts only when apply() raised it.
//   The session that applies or reverts is connected again after the restart (PgSession::reconnect), and takes
//   PlanSight's database lock (strategies/safety.h) again when it held it; every other connection to the demo is
//   cut by the restart. The standby runs as long as the process that started it (stopOwnedStandbys(), and at exit);
//   one left running by a PlanSight that was killed is stopped when p7-replica is next applied, run or reverted.
// - Elsewhere: the user's own standby, named by ReplicaConfig::dsn (bench --replica DSN). PlanSight never creates,
//   starts or changes a standby there; apply() creates only the marker table on the primary.
//
// Objects on the primary: the table ps_p7_replica_marker (one row), written to measure the lag. On the demo also the
// slot, the standby's data directory and the raised WAL level: status() reports them missing (Broken) when the
// table is there and they are not; they are not objects of a database, so a second database of the same cluster
// shares them, and a revert in any database removes them.
//
// A run (query()): a health check of the standby (connects, starting the demo's standby when it is down; it must be in
// recovery, and not lag beyond ReplicaConfig::maxLagMs), then the lag in bytes (pg_wal_lsn_diff of the primary's
// current LSN and the standby's replay LSN) and in time (a marker row written on the primary and polled on the
// standby until it is visible). The executions then run the gallery query (the baseline's SQL) on the standby. The
// primary answers instead, and the note says why, when: the primary's session is inside a transaction (the standby
// cannot see its writes), the standby cannot be reached or was promoted, it lags beyond the limit, or it is lost in
// the middle of the run (a later execution does not go back to it). The note always names the server that answered,
// with the lag figures.
//
// State: the catalog's objects are shared, so the configuration, the connections to the standbys and the standbys this
// process started are process-wide, behind one mutex.

#include "strategies/schemastrategy.h"

#include <atomic>

namespace plansight {

struct ReplicaConfig {
    QString dsn; // the user's standby (bench --replica DSN); empty: PlanSight's own on its demo, else none
    int maxLagMs = 5000; // a standby further behind than this does not answer (bench --replica-max-lag-ms)
};
void setReplicaConfig(const ReplicaConfig &config);
ReplicaConfig replicaConfig();

// Stops the standbys this process started and closes the connections to standbys. Front ends call it when they end
// (and it runs at exit); the next run of p7-replica starts the standby again.
void stopOwnedStandbys();

// The root directory of PlanSight's own standby of the cluster at `demoRoot`.
QString standbyRootOf(const QString &demoRoot);

class ReplicaStrategy : public SchemaStrategy {
public:
    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    Status apply(
        PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context = {}) override;
    Status revert(PgSession &session, CancelToken *cancel, const ApplyContext &context = {}) override;
    Result<StrategyStatus> status(PgSession &session) const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
    double lastBuildMs() const override { return m_buildMs.load(); }
    // A physical standby copies the whole cluster: at least this database's size, read on the primary.
    std::optional<OutsideStorage> outsideStorage(PgSession &session) const override;
    // PlanSight's own standby (no ReplicaConfig::dsn) copies the whole cluster's files: every database's size now,
    // plus StandbyWalBytes for the WAL streamed during the copy and kept by the standby. A file copy needs no sort
    // space, so this is its peak (the disk check does not double it).
    Result<qint64> outsideBytesToBuild(PgSession &session) const override;
    static constexpr qint64 StandbyWalBytes = qint64(1) << 30;

protected:
    QList<Step> applySteps() const override;

private:
    std::atomic<double> m_buildMs { -1.0 };
};

} // namespace plansight
