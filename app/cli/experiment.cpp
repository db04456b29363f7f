// plansight experiment new --from-statements [--top N] [--pick K] [connection options] DIR
// plansight experiment new --from-plan FILE [--query FILE] DIR
// A new experiment directory (docs/experiments.md, "A new experiment"): its baseline is one of the top queries of the
// server's pg_stat_statements, or the query of a plan production ran (which the experiment keeps as its production
// plan). The core makes the Experiment (experiment/experimentsource.h) and writes it (saveExperiment); this file
// parses the options, prints the listing, asks which query, and says what is left to fill in.

#include "experiment/experiment.h"
#include "cli/common.h"
#include "cli/verb.h"
#include "experiment/experimentsource.h"
#include "present/format.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace plansight::cli {

namespace {

constexpr qint64 maxPlanInputBytesForExperiment = qint64(64) * 1024 * 1024;

// The target directory must not hold anything yet: a new experiment never overwrites files.
Status checkNewDirectory(const QString &dir)
{
    const QFileInfo fi(dir);
    if (fi.exists() && !fi.isDir())
        return Error::make(errc::Input,
            QStringLiteral("%1 is a file; give the path of a new directory for the experiment.")
                .arg(QDir::toNativeSeparators(dir)));
    if (fi.exists() && !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System))
        return Error::make(errc::Input,
            QStringLiteral("%1 is not empty; give a new or empty directory (a new experiment overwrites nothing).")
                .arg(QDir::toNativeSeparators(dir)));
    return {};
}

// One row per statement of `indexes`: its number, calls, mean and total time, and the query on one line, cut to what
// `width` leaves (0: whole).
QString statementsTable(const TopStatements &top, const QList<int> &indexes, int width)
{
    QList<QStringList> rows;
    for (int i : indexes) {
        const TopStatement &s = top.statements[i];
        rows.append({ QString::number(i + 1), QString::number(s.calls), formatMs(s.meanMs), formatMs(s.totalMs),
            s.query.simplified() });
    }
    if (width > 0) {
        // The query column takes what the other columns leave (two spaces between columns, as textTable lays out).
        const QStringList header { QStringLiteral("#"), QStringLiteral("CALLS"), QStringLiteral("MEAN"),
            QStringLiteral("TOTAL") };
        int used = 0;
        for (int c = 0; c < header.size(); ++c) {
            int w = int(header[c].size());
            for (const QStringList &r : std::as_const(rows))
                w = std::max(w, int(r[c].size()));
            used += w + 2;
        }
        const int left = std::max(20, width - used);
        for (QStringList &r : rows)
            if (r[4].size() > left)
                r[4] = r[4].left(left - 3) + QStringLiteral("...");
    }
    return textTable({ QStringLiteral("#"), QStringLiteral("CALLS"), QStringLiteral("MEAN"), QStringLiteral("TOTAL"),
                         QStringLiteral("QUERY") },
        rows, { true, true, true, true, false });
}

// Writes the new experiment and says what is left to do.
int writeNew(const NewExperiment &made, const QString &dir)
{
    auto saved = saveExperiment(made.experiment, dir);
    if (!saved)
        return fail(saved.error());
    const Experiment &ex = saved.value();
    QStringList files { ExperimentManifestName, ex.queryFile };
    if (!ex.productionPlanFile.isEmpty())
        files << ex.productionPlanFile;
    printOut(wrapWords(
        QStringLiteral("Wrote %1: %2.").arg(QDir::toNativeSeparators(ex.directory), files.join(QStringLiteral(", "))),
        stdoutTableWidth()));
    for (const QString &note : made.notes)
        printOut(wrapWords(QStringLiteral("Note: ") + note, stdoutTableWidth()));
    QStringList todo;
    if (!isFilledIn(ex))
        todo << QStringLiteral("fill in the values of workload \"%1\" in %2 (each { fill = \"type\" })")
                    .arg(ex.workloads.first().name, ExperimentManifestName);
    todo << QStringLiteral("add a [[variant]] for each idea to compare (docs/experiments.md)");
    printOut(wrapWords(QStringLiteral("Next: %1; then plansight run %2.")
                           .arg(todo.join(QStringLiteral(", then ")), QDir::toNativeSeparators(dir)),
        stdoutTableWidth()));
    return ExitOk;
}

int fromStatements(const QCommandLineParser &parser, const QString &dir)
{
    bool ok = false;
    const int top = parser.isSet(QStringLiteral("top")) ? parser.value(QStringLiteral("top")).toInt(&ok) : 10;
    if (parser.isSet(QStringLiteral("top")) && (!ok || top < 1 || top > 100))
        return usageError(QStringLiteral("--top takes a number from 1 to 100"));
    int pick = 0;
    if (parser.isSet(QStringLiteral("pick"))) {
        pick = parser.value(QStringLiteral("pick")).toInt(&ok);
        if (!ok || pick < 1)
            return usageError(QStringLiteral("--pick takes the number of a listed query (1 or more)"));
    }
    auto conn = connectFromOptions(parser);
    if (!conn)
        return fail(conn.error());
    // The extension is created only in the demo's database, which is PlanSight's own.
    auto listed = readTopStatements(
        *conn->session, top, conn->isDemo ? ExtensionPolicy::CreateWhenMissing : ExtensionPolicy::MustExist);
    if (!listed) {
        Error e = listed.error();
        // A demo cluster started before PlanSight preloaded the library loads it from its next start.
        if (conn->isDemo && e.code == errc::Missing && e.hint.isEmpty())
            e.hint = QStringLiteral("plansight demo down, then plansight demo up: the demo loads pg_stat_statements "
                                    "from its next start.");
        return fail(e);
    }
    const TopStatements &statements = listed.value();
    if (statements.statements.isEmpty())
        return fail(Error::make(errc::Missing,
            QStringLiteral("pg_stat_statements has no query that reads (SELECT, WITH, VALUES, TABLE) in database %1 "
                           "yet; run the application's workload first, then ask again.")
                .arg(statements.database)));
    const int width = stdoutTableWidth();
    printOut(QStringLiteral("Top %1 of pg_stat_statements in database %2, by total time:\n")
                 .arg(top)
                 .arg(statements.database));
    printOut(statementsTable(statements, statements.byTotal(), width));
    printOut(QStringLiteral("\nBy mean time:\n"));
    printOut(statementsTable(statements, statements.byMean(), width));
    const int count = int(statements.statements.size());
    if (pick > count)
        return usageError(QStringLiteral("--pick %1: the listing has %2 queries").arg(pick).arg(count));
    if (pick == 0) {
        const auto asked
            = promptLine(QStringLiteral("Which query becomes the baseline? [1-%1, empty: none] ").arg(count), Echo::On);
        if (!asked)
            return fail(asked.error());
        if (!asked.value())
            return fail(Error::make(errc::Input,
                QStringLiteral("There is no terminal to ask which query becomes the baseline; run again with --pick K "
                               "(K from the # column). Nothing was written.")));
        bool ok = false;
        const int k = asked.value()->trimmed().toInt(&ok);
        if (!ok || k < 1 || k > count)
            return fail(Error::make(errc::Input, QStringLiteral("No query chosen, so nothing was written.")));
        pick = k;
    }
    const TopStatement &chosen = statements.statements[pick - 1];
    // The query on as many lines as the terminal needs (indented after the first); a pipe gets it on one line.
    printOut(QStringLiteral("\nThe baseline (%1):\n").arg(pick) + wrapWords(chosen.query.simplified(), width)
        + QStringLiteral("\n"));
    auto made = experimentFromStatement(*conn->session, chosen, conn->label);
    if (!made)
        return fail(made.error());
    return writeNew(made.value(), dir);
}

Result<QByteArray> readInput(const QString &path, const QString &what)
{
    QFile f(path);
    if (!QFileInfo::exists(path))
        return Error::make(errc::Input,
            QStringLiteral("%1 %2 does not exist; give the file's path.").arg(what, QDir::toNativeSeparators(path)));
    if (!f.open(QIODevice::ReadOnly))
        return Error::make(errc::Input,
            QStringLiteral("%1 %2 cannot be read (%3).").arg(what, QDir::toNativeSeparators(path), f.errorString()));
    const QByteArray bytes = f.read(maxPlanInputBytesForExperiment + 1);
    if (bytes.size() > maxPlanInputBytesForExperiment)
        return Error::make(errc::Input,
            QStringLiteral("%1 %2 is larger than 64 MiB; give one plan.").arg(what, QDir::toNativeSeparators(path)));
    if (QString::fromUtf8(bytes).toUtf8() != bytes)
        return Error::make(errc::Input,
            QStringLiteral("%1 %2 is not UTF-8 text; save it as UTF-8.").arg(what, QDir::toNativeSeparators(path)));
    return bytes;
}

int fromPlan(const QCommandLineParser &parser, const QString &dir)
{
    const QString planPath = parser.value(QStringLiteral("from-plan"));
    auto plan = readInput(planPath, QStringLiteral("The plan"));
    if (!plan)
        return fail(plan.error());
    std::optional<QString> query;
    const QString queryPath = parser.value(QStringLiteral("query"));
    if (parser.isSet(QStringLiteral("query"))) {
        auto text = readInput(queryPath, QStringLiteral("The query file"));
        if (!text)
            return fail(text.error());
        query = QString::fromUtf8(text.value());
    }
    auto made = experimentFromPlan(
        plan.value(), QDir::toNativeSeparators(planPath), query, QDir::toNativeSeparators(queryPath));
    if (!made)
        return fail(made.error());
    return writeNew(made.value(), dir);
}

int runExperimentVerb(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(
        QStringLiteral("new"), QStringLiteral("The action: make a new experiment directory (the only one)."));
    parser.addPositionalArgument(
        QStringLiteral("DIR"), QStringLiteral("The new experiment's directory (absent or empty)."));
    parser.addOption({ QStringLiteral("from-statements"),
        QStringLiteral("List the top queries of the server's pg_stat_statements (by total and by mean time); the one "
                       "chosen becomes the baseline.") });
    parser.addOption({ QStringLiteral("top"),
        QStringLiteral("With --from-statements: how many queries each list shows (default 10)."),
        QStringLiteral("N") });
    parser.addOption({ QStringLiteral("pick"),
        QStringLiteral("With --from-statements: the number (# column) of the query to take, without asking."),
        QStringLiteral("K") });
    parser.addOption({ QStringLiteral("from-plan"),
        QStringLiteral("A plan production ran: auto_explain's JSON (with its query text) or EXPLAIN output, JSON or "
                       "text; it is kept as the experiment's production plan."),
        QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("query"),
        QStringLiteral("With --from-plan: the plan's query, in a file (EXPLAIN output does not carry it)."),
        QStringLiteral("FILE") });
    addConnectionOptions(parser);
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral(
                "Make a new experiment directory (docs/experiments.md): its baseline from the top queries of "
                "pg_stat_statements, or from a plan production ran and its query. The parameter values are "
                "left for you to fill in; nothing is run."),
            rc))
        return rc;
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty() || pos.first() != QLatin1String("new"))
        return usageError(QStringLiteral("experiment needs the action new (see --help)"));
    if (pos.size() != 2)
        return usageError(QStringLiteral("experiment new takes one directory (see --help)"));
    const bool statements = parser.isSet(QStringLiteral("from-statements"));
    const bool plan = parser.isSet(QStringLiteral("from-plan"));
    if (statements == plan)
        return usageError(QStringLiteral("experiment new needs one of --from-statements and --from-plan FILE"));
    if (!statements && (parser.isSet(QStringLiteral("top")) || parser.isSet(QStringLiteral("pick"))))
        return usageError(QStringLiteral("--top and --pick go with --from-statements"));
    if (!plan && parser.isSet(QStringLiteral("query")))
        return usageError(QStringLiteral("--query goes with --from-plan"));
    const QString dir = pos.at(1);
    if (auto st = checkNewDirectory(dir); !st)
        return fail(st.error());
    return statements ? fromStatements(parser, dir) : fromPlan(parser, dir);
}

} // namespace

PLANSIGHT_CLI_VERB(experiment, "experiment", "Make a new experiment from pg_stat_statements or from a production plan",
    runExperimentVerb);

} // namespace plansight::cli
