// plansight demo up|down|status: the embedded demo cluster.

#include "cli/common.h"
#include "cli/verb.h"

namespace plansight::cli {

namespace {

int runDemo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("up, down or status"));
    parser.addOption({ QStringLiteral("data-dir"),
        QStringLiteral("The demo's directory (default: $PLANSIGHT_DATA_DIR or ~/.local/share/plansight)."),
        QStringLiteral("DIR") });
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral("Create, start, stop or inspect PlanSight's embedded PostgreSQL demo cluster."), rc))
        return rc;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 1)
        return usageError(QStringLiteral("demo needs one action: up, down or status"));
    LocalCluster cluster(demoRootFromOptions(parser));
    const QString action = pos.first();
    if (action == QLatin1String("up")) {
        if (auto st = cluster.start(); !st)
            return fail(st.error());
        if (auto st = cluster.ensureDatabase(demoDatabase()); !st)
            return fail(st.error());
        printOut(cluster.conninfo(demoDatabase()) + QLatin1Char('\n'));
        return ExitOk;
    }
    if (action == QLatin1String("down")) {
        if (auto st = cluster.stop(); !st)
            return fail(st.error());
        printOut(QStringLiteral("stopped\n"));
        return ExitOk;
    }
    if (action == QLatin1String("status")) {
        if (!cluster.exists()) {
            printOut(QStringLiteral("absent: no demo cluster in %1\n").arg(cluster.rootDir()));
            return 3;
        }
        const bool running = cluster.isRunning();
        printOut(QStringLiteral("%1: %2\n").arg(running ? QStringLiteral("running") : QStringLiteral("stopped"),
            cluster.conninfo(demoDatabase())));
        return running ? ExitOk : 3;
    }
    return usageError(QStringLiteral("unknown demo action '%1': use up, down or status").arg(action));
}

} // namespace

PLANSIGHT_CLI_VERB(demo, "demo", "Create, start, stop or inspect the embedded demo cluster", runDemo);

} // namespace plansight::cli
