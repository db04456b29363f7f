#pragma once

// The window's database and file work as jobs (workers/joblane.h): each function below runs on a lane's
// thread, opens its own connection from a conninfo, calls the core API (pg/, gallery/, strategies/, catalog/,
// history/, plan/) and returns a plain value. No SQL is written here; the widgets only ever see the values.

#include "gallery/demogenerator.h"
#include "plan/plannode.h"
#include "session/results.h"
#include "strategies/strategy.h"
#include "strategies/whatif.h"
#include "util/cancel.h"
#include "util/result.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace plansight::gui {

// Where the window connects: the embedded demo or a saved profile (conninfo, URI or service name; a password
// never comes from PlanSight: .pgpass, service files and PG* variables do as in psql).
struct ConnectionTarget {
    QString name; // profile name, or "Embedded demo"
    bool isDemo = true;
    QString conninfo; // for profiles; for the demo it is resolved when the cluster starts
    QString demoRoot; // LocalCluster root for the demo
    bool mayAskPassword = true; // false (-w): a server that wants a password is an error, no dialog
    // p2-redis's server for this connection (the connection dialog's Redis field); empty: none, or on the demo
    // PlanSight's own.
    QString redis;
    // p7-replica's standby on that server (the connection dialog's Read replica; bench --replica): a connection
    // string; empty: none (on the demo, PlanSight's own).
    QString replica;
    QString search; // a profile's search server for p10-search (HOST:PORT); empty: none (the demo runs its own)
};

struct TagInfo {
    QString id;
    QString name;
    qint64 items = -1; // content_tags rows carrying the tag (estimated from statistics when large); -1 unknown
    bool exact = false; // items is p8-tag-counts' exact count (as of its last refresh), not an estimate
};

struct UserInfo {
    QString id;
    QString username;
};

// What a connection found: the server, the demo's state, the workload's vocabulary (tags, users).
struct ServerInfo {
    ConnectionTarget target;
    QString conninfo; // what later tasks connect with
    QString describe; // user@host:port/db
    QString serverVersion;
    QString database;
    bool demoReady = false; // the demo database holds a complete PlanSight demo
    std::optional<DemoInfo> demo;
    // The database holds a PlanSight demo whose build did not finish (nothing may run on it), and what that
    // build was asked for, when recorded; unfinishedMessage says so in one sentence with the rebuild command.
    bool demoUnfinished = false;
    std::optional<DemoOptions> demoRequested;
    QString unfinishedMessage;
    QString unfinishedHint;
    bool hasGallerySchema = false; // the tables the gallery query needs are there
    QList<TagInfo> tags; // most items first
    QList<UserInfo> users; // admin first on the demo, then by name
};

struct StrategyRow {
    StrategyInfo info;
    StrategyStatus status;
    QStringList plannedObjects;
    bool statusKnown = false;
    QString statusError; // why the status could not be read
    double buildMs = -1; // from the last apply in this process
    qint64 bytes = -1;
};

struct StrategyChange {
    QString strategyId;
    bool applied = false; // true: apply ran, false: revert ran
    double elapsedMs = 0;
    QList<StrategyRow> rows; // every strategy's status after the change
};

struct ImportedPlan {
    QString source; // file name or "clipboard"
    QByteArray text;
    Plan plan;
};

QString demoDatabaseName(); // "gallery"

// Connects (starting the embedded cluster for the demo), reads the server's identity, the demo metadata and
// the tags and users the workload editor offers.
// (History and catalog tasks live in historytasks.h and catalogtasks.h.)
Result<ServerInfo> probeServer(const ConnectionTarget &target, CancelToken *cancel, const ProgressFn &progress);
// Starts the embedded cluster and builds the demo database with `options`.
Result<DemoBuildReport> buildDemoDatabase(
    const QString &demoRoot, const DemoOptions &options, CancelToken *cancel, const ProgressFn &progress);
Result<QList<StrategyRow>> readStrategyStatus(const QString &conninfo, CancelToken *cancel, const ProgressFn &progress);
// Takes PlanSight's database lock first (strategies/safety.h): while another session measures or changes the
// database, progress says so and the task waits (cancellable). Every DDL statement runs under `lockTimeoutMs`
// (ApplyContext::lockTimeoutMs, strategies/ddlplan.h; 0: no limit).
Result<StrategyChange> changeStrategy(const QString &conninfo, const QString &strategyId, bool apply, int lockTimeoutMs,
    CancelToken *cancel, const ProgressFn &progress);
Result<ImportedPlan> importPlan(const QString &source, const QByteArray &text);
// What-if (strategies/whatif.h): the plan and size `request` predicts with hypothetical indexes. HypoPG is created
// when missing only on a PlanSight demo (and dropped again); elsewhere its absence is the error, which says how to
// install it. `request.mayCreateExtension` is set here.
Result<WhatIfResult> predictWhatIf(const QString &conninfo, WhatIfRequest request, CancelToken *cancel);

} // namespace plansight::gui

Q_DECLARE_METATYPE(plansight::gui::ServerInfo)
Q_DECLARE_METATYPE(plansight::gui::StrategyChange)
Q_DECLARE_METATYPE(plansight::gui::ImportedPlan)
Q_DECLARE_METATYPE(plansight::WhatIfResult)
Q_DECLARE_METATYPE(plansight::DemoBuildReport)
Q_DECLARE_METATYPE(QList<plansight::gui::StrategyRow>)
