// plansight demo up|down|status: the embedded demo cluster and its demo database.

#include "cli/common.h"
#include "cli/progress.h"
#include "cli/verb.h"
#include "gallery/demogenerator.h"

#include <QElapsedTimer>

#include <cmath>
#include <cstdio>
#include <functional>
#include <unistd.h>

namespace plansight::cli {

namespace {

// The options the user typed, on top of `base` (the existing demo's, or the defaults). `explicitChange` is set
// when a typed option differs from base.
Result<DemoOptions> demoOptionsFrom(const QCommandLineParser &parser, DemoOptions base, bool &explicitChange)
{
    explicitChange = false;
    DemoOptions o = base;
    if (parser.isSet(QStringLiteral("scale"))) {
        bool ok = false;
        o.scale = parser.value(QStringLiteral("scale")).toDouble(&ok);
        if (!ok)
            return Error::make(errc::Input,
                QStringLiteral("--scale takes a number such as 0.1 or 1 (got '%1').")
                    .arg(parser.value(QStringLiteral("scale"))));
    }
    if (parser.isSet(QStringLiteral("profile"))) {
        auto p = demoProfileFromString(parser.value(QStringLiteral("profile")));
        if (!p)
            return p.error();
        o.profile = p.value();
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        o.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return Error::make(errc::Input,
                QStringLiteral("--seed takes a whole number from 0 (got '%1').")
                    .arg(parser.value(QStringLiteral("seed"))));
    }
    if (auto st = o.validate(); !st)
        return st.error();
    explicitChange = o.profile != base.profile || o.seed != base.seed || std::abs(o.scale - base.scale) > 1e-12;
    return o;
}

int demoUp(const QCommandLineParser &parser, LocalCluster &cluster)
{
    // Check the typed options before starting anything.
    bool changed = false;
    auto typed = demoOptionsFrom(parser, DemoOptions(), changed);
    if (!typed)
        return fail(typed.error());
    if (auto st = cluster.start(); !st)
        return fail(st.error());
    if (auto st = cluster.ensureDatabase(demoDatabase()); !st)
        return fail(st.error());
    auto session = PgSession::connect(cluster.conninfo(demoDatabase()));
    if (!session)
        return fail(session.error());
    PgSession &s = *session.value();
    auto state = readDemoState(s);
    if (!state)
        return fail(state.error());
    const std::optional<DemoInfo> info = state->info;

    // An existing demo is kept unless an option typed now differs from what it was built with (options not
    // typed take the existing demo's values), or it was made by another version of the generator. An
    // unfinished build is rebuilt with the arguments it was started with, unless options are typed.
    DemoOptions base;
    if (info) {
        base.profile = info->profile;
        base.scale = info->scale;
        base.seed = info->seed;
    } else if (state->requested) {
        base = *state->requested;
    }
    auto wanted = demoOptionsFrom(parser, base, changed);
    if (!wanted)
        return fail(wanted.error());
    const bool build = !info || !info->matches(wanted.value());
    if (build) {
        QString replacing;
        if (info)
            replacing = QStringLiteral(" in place of ") + info->describe();
        else if (state->kind == DemoState::Kind::Unfinished)
            replacing = QStringLiteral(" in place of an unfinished build");
        fprintf(stderr, "plansight: building the demo database (%s)%s\n", qPrintable(wanted->describe()),
            qPrintable(replacing));
        ProgressPrinter printer;
        auto report = buildDemo(s, wanted.value(), &interruptToken(), std::ref(printer));
        printer.finish();
        if (!report)
            return fail(report.error());
        fprintf(stderr, "plansight: demo ready in %s: %s rows, %s\n", qPrintable(formatMs(report->totalSeconds * 1000)),
            qPrintable(formatCount(double(report->counts.totalRows()))),
            qPrintable(formatBytes(report->databaseBytes)));
    } else {
        fprintf(stderr, "plansight: demo database present (%s)\n", qPrintable(info->describe()));
    }
    printOut(cluster.conninfo(demoDatabase()) + QLatin1Char('\n'));
    return ExitOk;
}

int demoStatus(LocalCluster &cluster)
{
    if (!cluster.exists()) {
        printOut(QStringLiteral("absent: no demo cluster in %1\n").arg(cluster.rootDir()));
        return ExitDemoAbsent;
    }
    const bool running = cluster.isRunning();
    printOut(
        QStringLiteral("%1: %2\n")
            .arg(running ? QStringLiteral("running") : QStringLiteral("stopped"), cluster.conninfo(demoDatabase())));
    if (!running)
        return ExitDemoAbsent;
    auto session = PgSession::connect(cluster.conninfo(demoDatabase()));
    if (!session) {
        printOut(QStringLiteral("demo database: absent (plansight demo up builds it)\n"));
        return ExitOk;
    }
    auto state = readDemoState(*session.value());
    if (!state)
        return fail(state.error());
    const std::optional<DemoInfo> &info = state->info;
    if (state->kind == DemoState::Kind::Unfinished)
        printOut(QStringLiteral("demo database: unfinished (its last build did not complete; %1 rebuilds it)\n")
                     .arg(demoUpCommand(state->requested.value_or(DemoOptions()))));
    else if (!info)
        printOut(QStringLiteral("demo database: not built (plansight demo up builds it)\n"));
    else
        printOut(QStringLiteral("demo database: %1, fingerprint %2, built %3 in %4\n")
                     .arg(info->describe(), info->fingerprint, info->builtAt.toString(Qt::ISODate),
                         formatMs(info->buildSeconds * 1000)));
    return ExitOk;
}

int runDemo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("up, down or status"));
    parser.addOption({ QStringLiteral("data-dir"),
        QStringLiteral("The demo's directory (default: $PLANSIGHT_DATA_DIR, else ~/.local/state/plansight/demo, or "
                       "/var/lib/plansight/demo as root)."),
        QStringLiteral("DIR") });
    parser.addOption({ QStringLiteral("scale"),
        QStringLiteral("up: the demo's scale factor; 1 is the app's 88 million tag rows (default %1).")
            .arg(demo::DefaultScale),
        QStringLiteral("F") });
    parser.addOption({ QStringLiteral("profile"),
        QStringLiteral("up: genonaut (the app's data, default) or longtail (5,000 Zipf-distributed tags)."),
        QStringLiteral("P") });
    parser.addOption({ QStringLiteral("seed"),
        QStringLiteral("up: the generator's seed; the same arguments give the same data (default %1).")
            .arg(demo::DefaultSeed),
        QStringLiteral("N") });
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral(
                "Create, start, stop or inspect PlanSight's embedded PostgreSQL demo.\n\n"
                "up starts the cluster and builds the demo database when it is absent, or when --scale, "
                "--profile or --seed differ from what it was built with (options not given keep the "
                "existing demo's values); then prints its connection string. Ctrl-C cancels a build; an "
                "unfinished build is rebuilt, with the options it was started with unless others are given."),
            rc))
        return rc;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 1)
        return usageError(QStringLiteral("demo needs one action: up, down or status"));
    LocalCluster cluster(demoRootFromOptions(parser));
    const QString action = pos.first();
    if (action != QLatin1String("up")
        && (parser.isSet(QStringLiteral("scale")) || parser.isSet(QStringLiteral("profile"))
            || parser.isSet(QStringLiteral("seed"))))
        return usageError(QStringLiteral("--scale, --profile and --seed go with demo up"));
    if (action == QLatin1String("up"))
        return demoUp(parser, cluster);
    if (action == QLatin1String("down")) {
        if (auto st = cluster.stop(); !st)
            return fail(st.error());
        printOut(QStringLiteral("stopped\n"));
        return ExitOk;
    }
    if (action == QLatin1String("status"))
        return demoStatus(cluster);
    return usageError(QStringLiteral("unknown demo action '%1': use up, down or status").arg(action));
}

} // namespace

PLANSIGHT_CLI_VERB(demo, "demo", "Create, start, stop or inspect the embedded demo and its database", runDemo);

} // namespace plansight::cli
