// plansight run DIR: an experiment (docs/experiments.md) measured like the gallery's strategies. The manifest is read
// first (a bad one stops here, nothing is run); then, on a worker thread (PgSession refuses the GUI thread; run is a
// GUI verb because --pdf paints), the connection, the setting names checked against pg_settings, the confirmation of
// the setup and teardown SQL on a server that is not the demo, and the session through the benchmark runner with
// bench's printer and the history recorder (cli/benchshared.h). Then the JSON and the PDF, as bench writes them.

#include "bench/runner.h"
#include "cli/benchshared.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "cli/verb.h"
#include "experiment/experiment.h"
#include "experiment/experimentstrategy.h"
#include "gallery/demogenerator.h"
#include "history/historyrecorder.h"
#include "plan/plandiff.h"
#include "plan/planformat.h"
#include "plan/planparser.h"
#include "reportrenderer.h"

#include <QFile>
#include <QTextStream>
#include <QThread>

#include <cstdio>

namespace plansight::cli {

namespace {

void printErr(const QString &text)
{
    fputs(text.toUtf8().constData(), stderr);
}

struct RunJob {
    std::shared_ptr<const Experiment> experiment;
    QList<std::shared_ptr<ExperimentStrategy>> strategies;
    BenchOptions options;
    QList<SessionObserver *> observers;
    BenchOutcome outcome;
    QStringList teardownProblems;
};

// Worker thread: connects, checks, confirms and runs. Returns the exit code when it ends before the runs.
std::optional<int> measure(const QCommandLineParser &parser, RunJob &job)
{
    auto conn = connectFromOptions(parser, job.options.statementTimeoutMs);
    if (!conn)
        return fail(conn.error());
    PgSession &session = *conn->session;
    if (auto st = requireFinishedDemo(session, conn->isDemo); !st)
        return fail(st.error());
    if (auto st = checkSettingsOnServer(session, *job.experiment); !st)
        return fail(st.error());
    BenchTarget target;
    target.isDemo = conn->isDemo;
    target.label = conn->isDemo ? QString() : conn->label;
    if (conn->isDemo) {
        LocalCluster cluster(demoRootFromOptions(parser));
        target.demoRoot = cluster.rootDir();
        target.conninfo = cluster.conninfo(demoDatabase());
    } else {
        target.conninfo = session.sameTargetConninfo();
    }
    const ApplyContext context = ApplyContext::forTarget(target.isDemo, job.options.lockTimeoutMs);
    auto text = experimentSetupText(job.strategies, context);
    if (!text)
        return fail(text.error());
    if (parser.isSet(QStringLiteral("dry-run"))) {
        printOut(QStringLiteral("-- Dry run of experiment \"%1\" on %2: nothing is changed or measured.\n%3")
                     .arg(job.experiment->title, conn->isDemo ? QStringLiteral("the embedded demo") : conn->label,
                         text->isEmpty() ? QStringLiteral("-- No variant has a setup: no DDL runs.\n") : text.value()));
        return ExitOk;
    }
    // The SQL is the user's own: on a server that is not the demo it runs only once confirmed, shown verbatim.
    if (!conn->isDemo && !text->isEmpty()) {
        printErr(QStringLiteral("The experiment runs this SQL on %1:\n%2").arg(conn->label, text.value()));
        bool yes = parser.isSet(QStringLiteral("yes"));
        if (!yes) {
            const auto asked = promptLine(QStringLiteral("Run it? [y/N] "), Echo::On);
            if (!asked)
                return fail(asked.error());
            const std::optional<QString> &answer = asked.value();
            if (!answer)
                return fail(Error::make(errc::Input,
                    QStringLiteral("The variants' setup and teardown above change %1, which is not the demo, and "
                                   "there is no terminal to confirm them; run again with --yes to run them.")
                        .arg(conn->label)));
            const QString a = answer->trimmed().toLower();
            yes = a == QLatin1String("y") || a == QLatin1String("yes");
        }
        if (!yes)
            return fail(Error::make(
                errc::Input, QStringLiteral("Not confirmed, so nothing was run; answer y or run with --yes.")));
    }
    job.options.applyMissing = true; // confirmed, or the demo
    const QString conninfo = target.conninfo;
    BenchRunner runner(target, std::move(conn->session));
    job.outcome = runner.run(job.options, &interruptToken(), job.observers);
    // The runner reverts every variant after its runs; one still set up (a session that ended early on a lost
    // connection) is torn down on a connection of its own.
    bool anyApplied = false;
    for (const auto &s : job.strategies)
        anyApplied = anyApplied || s->isApplied();
    if (anyApplied) {
        auto again = PgSession::connect(conninfo);
        for (const auto &s : job.strategies) {
            if (!s->isApplied())
                continue;
            if (!again) {
                job.teardownProblems << QStringLiteral("Variant %1 is still set up (%2) and could not be torn down: %3")
                                            .arg(s->id(), describeObjects(s->createdObjects()), again.error().message);
                continue;
            }
            (void)revertAfterCancel(*s, **again, nullptr, context);
        }
    }
    for (const auto &s : job.strategies)
        if (!s->lastTeardownProblem().isEmpty())
            job.teardownProblems << s->lastTeardownProblem();
    return std::nullopt;
}

// The experiment's production plan (docs/experiments.md, "From a plan") beside the baseline's plan measured here, for
// the first workload that has one: plansight explain --diff's text, production first.
void printProductionPlan(const Experiment &experiment, const SessionResult &session)
{
    if (experiment.productionPlanText.isEmpty())
        return;
    auto production = parsePlan(experiment.productionPlanText.toUtf8());
    if (!production)
        return; // the reader checked it parses
    for (const StrategyRun &run : session.runs) {
        if (run.strategyId != QLatin1String("baseline") || run.planJson.isEmpty())
            continue;
        auto measured = parsePlan(run.planJson);
        if (!measured)
            continue;
        PlanTextOptions text;
        text.width = stdoutTableWidth();
        printOut(QStringLiteral("\nThe production plan (%1) against the baseline's plan measured here (workload %2):\n")
                     .arg(experiment.productionPlanFile, run.workload.label()));
        printOut(formatDiffText(
            diffPlans(production.value(), measured.value()), production.value(), measured.value(), text));
        return;
    }
    printOut(QStringLiteral("\nThe production plan (%1) is not compared: no plan of the baseline was measured.\n")
                 .arg(experiment.productionPlanFile));
}

void addRunOptions(QCommandLineParser &parser)
{
    addConnectionOptions(parser);
    addChangeOptions(parser);
    auto opt = [&](const QString &name, const QString &help, const QString &value = {}) {
        parser.addOption(QCommandLineOption(name, help, value));
    };
    opt(QStringLiteral("runs"), QStringLiteral("Measured runs per variant and workload (default 10)."),
        QStringLiteral("N"));
    opt(QStringLiteral("warmup"), QStringLiteral("Warm-up runs before measuring (default 2)."), QStringLiteral("N"));
    opt(QStringLiteral("timeout-ms"), QStringLiteral("Statement timeout for every statement (default 60000)."),
        QStringLiteral("N"));
    opt(QStringLiteral("json"), QStringLiteral("Also write the session as JSON to FILE ('-' for standard output)."),
        QStringLiteral("FILE"));
    opt(QStringLiteral("pdf"), QStringLiteral("Also write the PDF report of the session to FILE."),
        QStringLiteral("FILE"));
    opt(QStringLiteral("no-history"), QStringLiteral("Do not record the session in the history."));
    opt(QStringLiteral("note"), QStringLiteral("A note stored with the session."), QStringLiteral("TEXT"));
    opt(QStringLiteral("yes"),
        QStringLiteral("Run the variants' setup and teardown on a server that is not the demo without asking (they "
                       "are printed first)."));
    opt(QStringLiteral("no-wait"),
        QStringLiteral("When another PlanSight session is measuring or changing this database, fail at once instead of "
                       "waiting for it."));
    parser.addPositionalArgument(
        QStringLiteral("DIR"), QStringLiteral("The experiment's directory (with experiment.toml)."));
}

int runExperiment(const QStringList &args)
{
    QCommandLineParser parser;
    addRunOptions(parser);
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral("Run an experiment (docs/experiments.md): its baseline query and each variant on every "
                           "parameter set, with warm-up runs, measured runs, one EXPLAIN ANALYZE and the rows checked "
                           "against the baseline's. Prints the comparison and records it."),
            rc))
        return rc;
    if (parser.positionalArguments().size() != 1)
        return usageError(QStringLiteral("run takes one experiment directory (see --help)"));
    auto loaded = loadExperiment(parser.positionalArguments().first());
    if (!loaded)
        return fail(loaded.error());

    RunJob job;
    job.experiment = std::make_shared<const Experiment>(loaded.value());
    job.strategies = experimentStrategies(job.experiment);
    BenchOptions &options = job.options;
    auto runs = intOptionValue(parser, QStringLiteral("runs"), 10, 1, 10000);
    auto warmup = intOptionValue(parser, QStringLiteral("warmup"), 2, 0, 1000);
    auto timeout = intOptionValue(parser, QStringLiteral("timeout-ms"), 60000, 1, 24 * 3600 * 1000);
    for (const auto *r : { &runs, &warmup, &timeout })
        if (!r->ok())
            return fail(r->error());
    auto lockTimeout = lockTimeoutFromOptions(parser);
    if (!lockTimeout)
        return fail(lockTimeout.error());
    options.runs = runs.value();
    options.warmupRuns = warmup.value();
    options.statementTimeoutMs = timeout.value();
    options.lockTimeoutMs = lockTimeout.value();
    options.waitForLock = !parser.isSet(QStringLiteral("no-wait"));
    options.note = parser.value(QStringLiteral("note"));
    for (const auto &s : std::as_const(job.strategies))
        options.strategies << s;
    options.workloads = experimentWorkloads(*job.experiment);
    options.measureWriteCost = false; // the write probe is the gallery's (strategies/footprint.h)
    options.keepApplied = false;

    const bool jsonToStdout = parser.value(QStringLiteral("json")) == QLatin1String("-");
    auto printer = makeBenchPrinter(jsonToStdout, options.warmupRuns, options.runs);
    HistoryRecorder recorder;
    if (!parser.isSet(QStringLiteral("no-history")))
        job.observers.append(&recorder);
    job.observers.append(printer.get());

    std::optional<int> early;
    std::unique_ptr<QThread> worker(QThread::create([&] { early = measure(parser, job); }));
    worker->setObjectName(QStringLiteral("run"));
    worker->start();
    worker->wait();
    printer->endLine();
    if (early)
        return *early;

    // Said again after the table: the runner's warning came amid the progress lines.
    for (const QString &p : std::as_const(job.teardownProblems))
        printErr(QStringLiteral("plansight: teardown: %1\n").arg(p));
    if (!jsonToStdout)
        printProductionPlan(*job.experiment, job.outcome.session);
    if (parser.isSet(QStringLiteral("json")) && !job.outcome.session.runs.isEmpty()) {
        QString error;
        if (!writeSessionJson(parser.value(QStringLiteral("json")), job.outcome.session, &error))
            return fail(Error::make(errc::Io, error));
    }
    if (parser.isSet(QStringLiteral("pdf")) && !job.outcome.session.runs.isEmpty()) {
        CancelToken *cancel = interruptToken().isCancelled() ? nullptr : &interruptToken();
        ProgressPrinter reportProgress(5000, false);
        ReportOptions options;
        options.expectations = ReviewExpectations {}; // an experiment answers no review: no verdict on page 1
        const Status st = writeReport(
            job.outcome.session, parser.value(QStringLiteral("pdf")), options, cancel, std::ref(reportProgress));
        reportProgress.finish();
        if (!st)
            return fail(st.error());
    }
    const int code = sessionExitCode(job.outcome);
    if (code == ExitOk && !job.teardownProblems.isEmpty())
        return fail(Error::make(QStringLiteral("PSTEARDOWN"),
            QStringLiteral("A variant's teardown did not leave the catalog as it was (see above).")));
    return code;
}

} // namespace

PLANSIGHT_CLI_GUI_VERB(
    run, "run", "Run an experiment: a query of your own, its variants and parameter sets", runExperiment);

} // namespace plansight::cli
