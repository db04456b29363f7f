#include "workers/dbtasks.h"

#include "pg/localcluster.h"
#include "pg/pgsession.h"
#include "plan/planparser.h"
#include "session/workload.h"
#include "strategies/footprint.h"
#include "strategies/safety.h"
#include "strategies/tagcountsstrategy.h"
#include "util/sqlfiles.h"

#include <QElapsedTimer>
#include <QFileInfo>

namespace plansight::gui {

namespace {

Result<std::unique_ptr<PgSession>> open(const QString &conninfo, CancelToken *cancel)
{
    if (cancel && cancel->isCancelled())
        return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    PgSession::Options o;
    o.connectTimeoutSeconds = 10;
    o.statementTimeoutMs = 120000;
    return PgSession::connect(conninfo, o);
}

Error cancelled()
{
    return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
}

} // namespace

QString demoDatabaseName()
{
    return QStringLiteral("gallery");
}

Result<ServerInfo> probeServer(const ConnectionTarget &target, CancelToken *cancel, const ProgressFn &progress)
{
    ServerInfo info;
    info.target = target;
    const auto step = [&](int done, const QString &text) {
        if (progress)
            progress(done, 4, text);
    };
    if (target.isDemo) {
        step(0, QStringLiteral("Starting the embedded PostgreSQL cluster..."));
        LocalCluster cluster(target.demoRoot.isEmpty() ? LocalCluster::defaultRootDir() : target.demoRoot);
        if (auto st = cluster.start(); !st)
            return st.error();
        if (auto st = cluster.ensureDatabase(demoDatabaseName()); !st)
            return st.error();
        info.conninfo = cluster.conninfo(demoDatabaseName());
    } else {
        if (target.conninfo.trimmed().isEmpty() && target.name.isEmpty())
            return Error::make(errc::Input, QStringLiteral("The connection profile has no connection string."));
        info.conninfo = target.conninfo;
    }
    step(1, QStringLiteral("Connecting..."));
    auto s = open(info.conninfo, cancel);
    if (!s)
        return s.error();
    PgSession &session = *s.value();
    CancelScope scope(cancel, [&session] { session.cancel(); });
    info.describe = session.describe();
    info.serverVersion = session.serverVersion();
    info.database = session.database();
    if (session.serverVersionNum() < 130000)
        return Error::make(errc::Input,
            QStringLiteral("The server runs PostgreSQL %1; PlanSight needs 13 or later.").arg(info.serverVersion));

    step(2, QStringLiteral("Reading the demo metadata..."));
    auto present = session.exec(sql(QStringLiteral("gui/gallery_schema_present")));
    if (!present)
        return present.error();
    info.hasGallerySchema = present->rows() == 1 && present->toBool(0, 0);
    if (info.hasGallerySchema) {
        auto demo = readDemoState(session);
        if (!demo)
            return demo.error();
        info.demo = demo->info;
        info.demoReady = info.demo.has_value();
        info.demoUnfinished = demo->kind == DemoState::Kind::Unfinished;
        info.demoRequested = demo->requested;
        if (auto st = requireFinishedDemo(session, false); !st) {
            info.unfinishedMessage = st.error().message;
            info.unfinishedHint = st.error().hint;
        }

        step(3, QStringLiteral("Reading tags and users..."));
        auto tags = session.exec(sql(QStringLiteral("gui/tags")));
        if (!tags)
            return tags.error();
        for (int r = 0; r < tags->rows(); ++r)
            info.tags << TagInfo { tags->value(r, 0), tags->value(r, 1),
                tags->isNull(r, 2) ? -1 : tags->toLongLong(r, 2) };
        // With p8-tag-counts applied, exact counts instead of the planner's estimates (an error: the estimates stay).
        if (auto exact = exactTagCounts(session)) {
            for (TagInfo &t : info.tags) {
                t.items = exact->value(t.id.toLower(), 0);
                t.exact = true;
            }
        }
        auto users = session.exec(sql(QStringLiteral("gui/users")), { demo::AdminUserId });
        if (!users)
            return users.error();
        for (int r = 0; r < users->rows(); ++r)
            info.users << UserInfo { users->value(r, 0), users->value(r, 1) };
    }
    if (cancel && cancel->isCancelled())
        return cancelled();
    step(4, QStringLiteral("Connected to %1").arg(info.describe));
    return info;
}

Result<DemoBuildReport> buildDemoDatabase(
    const QString &demoRoot, const DemoOptions &options, CancelToken *cancel, const ProgressFn &progress)
{
    if (auto st = options.validate(); !st)
        return st.error();
    if (progress)
        progress(0, 0, QStringLiteral("Starting the embedded PostgreSQL cluster..."));
    LocalCluster cluster(demoRoot.isEmpty() ? LocalCluster::defaultRootDir() : demoRoot);
    if (auto st = cluster.start(); !st)
        return st.error();
    if (auto st = cluster.ensureDatabase(demoDatabaseName()); !st)
        return st.error();
    auto s = open(cluster.conninfo(demoDatabaseName()), cancel);
    if (!s)
        return s.error();
    return buildDemo(*s.value(), options, cancel, progress);
}

Result<QList<StrategyRow>> readStrategyStatus(const QString &conninfo, CancelToken *cancel, const ProgressFn &progress)
{
    auto s = open(conninfo, cancel);
    if (!s)
        return s.error();
    PgSession &session = *s.value();
    CancelScope scope(cancel, [&session] { session.cancel(); });
    const auto strategies = allStrategies();
    QList<StrategyRow> rows;
    int done = 0;
    for (const auto &strategy : strategies) {
        if (cancel && cancel->isCancelled())
            return cancelled();
        StrategyRow row;
        row.info = strategy->info();
        row.plannedObjects = strategy->plannedObjects();
        row.buildMs = strategy->lastBuildMs();
        if (progress)
            progress(done, strategies.size(), QStringLiteral("Status of %1...").arg(row.info.id));
        auto st = strategy->status(session);
        if (st) {
            row.status = st.value();
            row.statusKnown = true;
            if (row.info.needsObjects && row.status.state == StrategyState::Applied) {
                // Sizes are cheap (catalog functions); a failure to size is not a failure to read the status.
                if (auto fp = measureFootprint(session, *strategy); fp) {
                    row.bytes = fp->bytes;
                    if (fp->buildMs >= 0)
                        row.buildMs = fp->buildMs;
                }
            }
        } else {
            if (st.error().isCancel())
                return st.error();
            row.status.state = StrategyState::Broken;
            row.statusError = st.error().toString();
        }
        rows << row;
        ++done;
    }
    if (progress)
        progress(done, strategies.size(), QStringLiteral("Strategy status read."));
    return rows;
}

Result<StrategyChange> changeStrategy(const QString &conninfo, const QString &strategyId, bool apply, int lockTimeoutMs,
    CancelToken *cancel, const ProgressFn &progress)
{
    auto strategy = strategyById(strategyId);
    if (!strategy)
        return Error::make(errc::Input, QStringLiteral("There is no strategy '%1'.").arg(strategyId));
    auto s = open(conninfo, cancel);
    if (!s)
        return s.error();
    PgSession &session = *s.value();
    StrategyChange change;
    change.strategyId = strategyId;
    change.applied = apply;
    if (auto st = acquireDatabaseLock(session, true, cancel,
            [&progress](const QString &text) {
                if (progress)
                    progress(0, 0, text);
            });
        !st)
        return st.error();
    // CREATE INDEX CONCURRENTLY and the lock_timeout on a server that is not the demo (strategies/ddlplan.h).
    auto demo = isPlanSightDemo(session);
    if (!demo)
        return demo.error();
    const ApplyContext context = ApplyContext::forTarget(demo.value(), lockTimeoutMs);
    QElapsedTimer timer;
    timer.start();
    {
        CancelScope scope(cancel, [&session] { session.cancel(); });
        Status st
            = apply ? strategy->apply(session, cancel, progress, context) : strategy->revert(session, cancel, context);
        if (!st)
            return st.error();
    }
    change.elapsedMs = double(timer.nsecsElapsed()) / 1e6;
    session.resetCancel();
    auto rows = readStrategyStatus(conninfo, cancel, {});
    if (!rows)
        return rows.error();
    change.rows = rows.value();
    return change;
}

Result<ImportedPlan> importPlan(const QString &source, const QByteArray &text)
{
    if (text.trimmed().isEmpty())
        return Error::make(errc::Input, QStringLiteral("The %1 holds no plan text.").arg(source));
    auto plan = parsePlan(text);
    if (!plan)
        return Error::make(plan.error().code,
            QStringLiteral("The plan from %1 could not be read: %2").arg(source, plan.error().message),
            plan.error().detail, plan.error().hint);
    return ImportedPlan { source, text, std::move(plan.value()) };
}

Result<WhatIfResult> predictWhatIf(const QString &conninfo, WhatIfRequest request, CancelToken *cancel)
{
    auto s = open(conninfo, cancel);
    if (!s)
        return s.error();
    PgSession &session = *s.value();
    auto demo = isPlanSightDemo(session);
    if (!demo)
        return demo.error();
    request.mayCreateExtension = demo.value();
    request.dropCreatedExtension = true;
    return predictIndexes(session, request, cancel);
}

} // namespace plansight::gui
