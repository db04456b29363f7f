// plansight explain FILE|- [--json] [--color] [--fields] | --diff A B: read an EXPLAIN (JSON or text, as pasted
// from psql, a log or a spreadsheet) and print it annotated, as JSON, or compared with another plan.

#include "cli/common.h"
#include "cli/verb.h"
#include "plan/plandiff.h"
#include "plan/planformat.h"
#include "plan/planparser.h"
#include "strategies/strategy.h"

#include <QFile>
#include <QJsonDocument>

#include <cstdio>
#include <unistd.h>

namespace plansight::cli {

namespace {

Result<QByteArray> readInput(const QString &path)
{
    QFile f;
    if (path == QLatin1String("-")) {
        if (!f.open(stdin, QIODevice::ReadOnly))
            return Error::make(errc::Io, QStringLiteral("Cannot read the plan from standard input."));
    } else {
        f.setFileName(path);
        if (!f.exists())
            return Error::make(errc::Input, QStringLiteral("The plan file %1 does not exist.").arg(path));
        if (!f.open(QIODevice::ReadOnly))
            return Error::make(
                errc::Io, QStringLiteral("Cannot read the plan file %1: %2.").arg(path, f.errorString()));
    }
    QByteArray data;
    while (!f.atEnd()) {
        data += f.read(1 << 20);
        if (data.size() > maxPlanInputBytes)
            return Error::make(errc::Input,
                QStringLiteral("The plan in %1 is larger than %2 MB.")
                    .arg(path)
                    .arg(maxPlanInputBytes / (1024 * 1024)));
        if (f.error() != QFileDevice::NoError)
            return Error::make(
                errc::Io, QStringLiteral("Cannot read the plan file %1: %2.").arg(path, f.errorString()));
    }
    return data;
}

Result<Plan> loadPlan(const QString &path)
{
    auto data = readInput(path);
    if (!data)
        return data.error();
    auto plan = parsePlan(data.value());
    if (!plan) {
        Error e = plan.error();
        e.message
            = (path == QLatin1String("-") ? QStringLiteral("standard input") : path) + QStringLiteral(": ") + e.message;
        return e;
    }
    return plan;
}

int runExplain(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("file"),
        QStringLiteral("The EXPLAIN output: a file, or - for standard input."), QStringLiteral("FILE|-"));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Print the parsed plan and its derived metrics as JSON."));
    const QCommandLineOption diff(QStringLiteral("diff"), QStringLiteral("Compare two plans: --diff A B."));
    const QCommandLineOption color(
        QStringLiteral("color"), QStringLiteral("Colour the output (default: when stdout is a terminal)."));
    const QCommandLineOption noColor(QStringLiteral("no-color"), QStringLiteral("Never colour the output."));
    const QCommandLineOption fields(
        QStringLiteral("fields"), QStringLiteral("Also print the fields PlanSight does not interpret."));
    parser.addOptions({ json, diff, color, noColor, fields });
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral(
                "Print an EXPLAIN plan (JSON or text, PostgreSQL 13-18) annotated with exclusive and inclusive "
                "times, row estimates, loops, buffers and hints; or compare two plans with --diff."),
            rc))
        return rc;
    const QStringList pos = parser.positionalArguments();
    PlanTextOptions text;
    text.color = parser.isSet(color)
        || (!parser.isSet(noColor) && ::isatty(STDOUT_FILENO) && qEnvironmentVariableIsEmpty("NO_COLOR"));
    text.showFields = parser.isSet(fields);
    text.partitions = strategyPartitionTree; // the partitioned copies of the catalog's strategies

    if (parser.isSet(diff)) {
        if (pos.size() != 2)
            return usageError(QStringLiteral("explain --diff needs two plans: plansight explain --diff A B"));
        if (pos.at(0) == QLatin1String("-") && pos.at(1) == QLatin1String("-"))
            return usageError(QStringLiteral("explain --diff can read only one of the two plans from standard input"));
        auto a = loadPlan(pos.at(0));
        if (!a)
            return fail(a.error());
        auto b = loadPlan(pos.at(1));
        if (!b)
            return fail(b.error());
        // The owner of a strategy's object is named from the catalog (plan/ does not know it).
        PlanDiffOptions options;
        options.describeObject = describeStrategyObject;
        const PlanDiff d = diffPlans(a.value(), b.value(), options);
        if (parser.isSet(json))
            printOut(QString::fromUtf8(QJsonDocument(toJson(d, a.value(), b.value())).toJson(QJsonDocument::Indented)));
        else
            printOut(formatDiffText(d, a.value(), b.value(), text));
        return ExitOk;
    }
    if (pos.size() != 1)
        return usageError(QStringLiteral("explain needs one plan file, or - for standard input (see --help)"));
    auto plan = loadPlan(pos.first());
    if (!plan)
        return fail(plan.error());
    if (parser.isSet(json)) {
        writePlanJson(plan.value(), [](const char *data, qsizetype size) { fwrite(data, 1, size_t(size), stdout); });
        fflush(stdout);
    } else
        printOut(formatPlanText(plan.value(), text));
    return ExitOk;
}

} // namespace

PLANSIGHT_CLI_VERB(explain, "explain", "Print an EXPLAIN plan annotated, as JSON, or diff two plans", runExplain);

} // namespace plansight::cli
