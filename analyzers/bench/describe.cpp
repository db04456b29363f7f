#include "bench/describe.h"

#include "bench/machinestate.h"
#include "bench/runcontext.h"
#include "gallery/demogenerator.h"
#include "util/sqlfiles.h"

#include <QJsonObject>

namespace plansight {

SessionInfo describeSession(RunContext &ctx)
{
    PgSession &session = *ctx.session;
    SessionInfo info;
    info.startedAt = QDateTime::currentDateTimeUtc();
    info.server = ctx.target.label.isEmpty() ? session.describe() : ctx.target.label;
    info.serverVersion = session.serverVersion();
    info.database = session.database();
    info.isDemo = ctx.target.isDemo;
    info.planSightVersion = QStringLiteral(PLANSIGHT_VERSION);
    info.note = ctx.options.note;
    // The client machine's load and memory: timings measured on a busy machine are said to be so.
    info.machineAtStart = readMachineState();
    ctx.cpuAtStart = readCpuSample(PQbackendPID(session.raw()));
    if (info.machineAtStart.busy())
        ctx.warn(info.busyWarning());

    if (auto r = session.exec(sql(QStringLiteral("catalog/server_settings"))); r) {
        const int name = r->column("name"), setting = r->column("setting"), unit = r->column("unit");
        for (int i = 0; i < r->rows(); ++i)
            info.settings.append({ r->value(i, name), r->value(i, setting) + r->value(i, unit) });
    } else {
        ctx.warn(QStringLiteral("The server's settings could not be read: %1").arg(r.error().message));
    }

    auto demoInfo = readDemoInfo(session);
    if (demoInfo && demoInfo->has_value()) {
        info.datasetFingerprint = (*demoInfo)->fingerprint;
        info.dataset = (*demoInfo)->toJson();
    } else if (auto est = session.exec(sql(QStringLiteral("bench/table_estimates"))); est) {
        // Not a PlanSight demo: the planner's row estimates describe the data set (no fingerprint: reading
        // every row of a production table is not PlanSight's to do unasked).
        QJsonObject counts;
        for (int i = 0; i < est->rows(); ++i)
            counts.insert(est->value(i, 0), est->toLongLong(i, 1));
        info.dataset.insert(QStringLiteral("estimated_rows"), counts);
    }
    return info;
}

} // namespace plansight
