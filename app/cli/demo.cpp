// plansight demo up|down|status|load: the embedded demo cluster and its demo database.

#include "cli/common.h"
#include "cli/progress.h"
#include "cli/verb.h"
#include "gallery/demogenerator.h"
#include "gallery/exportloader.h"
#include "strategies/replicastrategy.h"
#include "strategies/safety.h"
#include "strategies/unifiedstrategy.h"

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
            replacing = QStringLiteral(" in place of ") + info->describe()
                + (info->generatorVersion != demo::GeneratorVersion
                        ? QStringLiteral(", which an older PlanSight built with another schema")
                        : QString());
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
        printOut(QStringLiteral("demo database: %1, fingerprint %2, built %3 in %4%5\n")
                     .arg(info->describe(), info->fingerprint, info->builtAt.toString(Qt::ISODate),
                         formatMs(info->buildSeconds * 1000),
                         info->generatorVersion != demo::GeneratorVersion ? QStringLiteral(
                             " (by an older PlanSight, with another schema: plansight demo up rebuilds it)")
                                                                          : QString()));
    return ExitOk;
}

void say(const QString &line)
{
    fprintf(stderr, "plansight: %s\n", qPrintable(line));
}

// plansight demo load DIR: the app's exports into the demo database (gallery/exportloader.h).
int demoLoad(const QCommandLineParser &parser, const QString &dir)
{
    auto scan = scanExportDirectory(dir);
    if (!scan)
        return fail(scan.error());
    auto conn = connectFromOptions(parser);
    if (!conn)
        return fail(conn.error());
    PgSession &s = *conn->session;
    if (auto st = requireFinishedDemo(s, conn->isDemo); !st)
        return fail(st.error());
    // One PlanSight session at a time changes a database (strategies/safety.h); released when the connection closes.
    if (auto st = acquireDatabaseLock(s, true, &interruptToken(), say); !st)
        return fail(st.error());
    // Exports made after the app's fix carry source_type: it loads into x-unified's column while x-unified is applied.
    ExportLoadOptions options;
    const auto unified = std::dynamic_pointer_cast<UnifiedStrategy>(strategyById(QStringLiteral("x-unified")));
    if (unified) {
        auto status = unified->status(s);
        if (!status)
            return fail(status.error());
        if (status->state == StrategyState::Applied)
            options.sourceTypeColumn = unified->sourceColumn();
    }
    for (const QString &f : std::as_const(scan->unknown))
        say(QStringLiteral("skipping %1: not the export of a table the demo models (%2)")
                .arg(f, modeledTables().join(QStringLiteral(", "))));
    for (const QString &t : std::as_const(scan->missing))
        say(QStringLiteral("no file for %1: it is left empty").arg(t));
    say(QStringLiteral("loading %1 into %2, in place of its rows").arg(scan->directory, conn->label));
    ProgressPrinter printer;
    auto report = loadExports(s, scan.value(), options, &interruptToken(), std::ref(printer));
    printer.finish();
    if (!report)
        return fail(report.error());
    for (const ExportTableLoad &t : std::as_const(report->tables)) {
        say(QStringLiteral("%1: %2 %3 from %4 (%5)")
                .arg(t.table, formatCount(double(t.rows)), t.rows == 1 ? QStringLiteral("row") : QStringLiteral("rows"),
                    t.fileName, t.columns.join(QStringLiteral(", "))));
        if (!t.defaulted.isEmpty())
            say(QStringLiteral("%1 has no column %2: NULL or the default")
                    .arg(t.fileName, t.defaulted.join(QStringLiteral(", "))));
    }
    say(QStringLiteral("loaded in %1; the demo's dataset fingerprint is now %2")
            .arg(formatMs(report->seconds * 1000), report->fingerprint));
    return ExitOk;
}

int runDemo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("up, down, status or load"));
    parser.addPositionalArgument(QStringLiteral("dir"),
        QStringLiteral("load: the directory of the app's exports (one TABLE.tsv per table)."), QStringLiteral("[DIR]"));
    addConnectionOptions(parser); // --data-dir, and for load the server
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
                "Create, start, stop or inspect PlanSight's embedded PostgreSQL demo, or load the app's exports "
                "into it.\n\n"
                "up starts the cluster and builds the demo database when it is absent, or when --scale, "
                "--profile or --seed differ from what it was built with (options not given keep the "
                "existing demo's values); then prints its connection string. Ctrl-C cancels a build; an "
                "unfinished build is rebuilt, with the options it was started with unless others are given.\n\n"
                "load DIR replaces the rows of the demo's tables (users, tags, tag_parents, tag_ratings, "
                "content_items, content_items_auto, content_tags) with the app's exports in DIR: one tab-separated "
                "file per table named after it, a header of column names, NULL as an empty field. Columns are "
                "matched by name; a column the table lacks, a bad value or a truncated file stops the load, names "
                "the file and line, and leaves the demo as it was; files of other tables are skipped and named. "
                "An export's source_type column (made after the app's fix) loads while x-unified is applied. "
                "It loads into the embedded demo unless --dsn, -h, -p, -U or -d (or PGHOST, PGDATABASE or "
                "PGSERVICE, as in psql) name a server, whose database must hold a PlanSight demo."),
            rc))
        return rc;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    if (action == QLatin1String("load") && pos.size() != 2)
        return usageError(
            QStringLiteral("demo load needs the directory of the app's exports: plansight demo load DIR"));
    if (action != QLatin1String("load") && pos.size() != 1)
        return usageError(QStringLiteral("demo needs one action: up, down, status or load DIR"));
    LocalCluster cluster(demoRootFromOptions(parser));
    if (action != QLatin1String("up")
        && (parser.isSet(QStringLiteral("scale")) || parser.isSet(QStringLiteral("profile"))
            || parser.isSet(QStringLiteral("seed"))))
        return usageError(QStringLiteral("--scale, --profile and --seed go with demo up"));
    if (action != QLatin1String("load")) {
        for (const char *o : { "dsn", "host", "port", "username", "dbname", "password", "no-password" }) {
            if (parser.isSet(QString::fromLatin1(o)))
                return usageError(QStringLiteral("--%1 goes with demo load").arg(QString::fromLatin1(o)));
        }
    }
    if (action == QLatin1String("load"))
        return demoLoad(parser, pos.at(1));
    if (action == QLatin1String("up"))
        return demoUp(parser, cluster);
    if (action == QLatin1String("down")) {
        // p7-replica's standby first (strategies/replicastrategy.h): it streams from the demo.
        if (LocalCluster standby(standbyRootOf(cluster.rootDir())); standby.exists()) {
            if (auto st = standby.stop(); !st)
                return fail(st.error());
        }
        if (auto st = cluster.stop(); !st)
            return fail(st.error());
        printOut(QStringLiteral("stopped\n"));
        return ExitOk;
    }
    if (action == QLatin1String("status"))
        return demoStatus(cluster);
    return usageError(QStringLiteral("unknown demo action '%1': use up, down, status or load DIR").arg(action));
}

} // namespace

PLANSIGHT_CLI_VERB(
    demo, "demo", "Create, start, stop or inspect the embedded demo, or load the app's exports into it", runDemo);

} // namespace plansight::cli
