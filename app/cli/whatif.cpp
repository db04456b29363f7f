// plansight whatif --index "CREATE INDEX ..." | --strategy ID [--query ID] [workload options] [--json FILE] [--yes]:
// the plan the planner would choose with hypothetical indexes (HypoPG), and their estimated size, before anything is
// built (strategies/whatif.h).

#include "strategies/whatif.h"
#include "cli/benchshared.h"
#include "cli/common.h"
#include "cli/verb.h"
#include "gallery/demogenerator.h"
#include "present/format.h"
#include "present/whatifwords.h"
#include "strategies/safety.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace plansight::cli {

namespace {

QString renderResult(const WhatIfResult &r, int width)
{
    const int w = width > 0 ? width : 100;
    QString out;
    const QString whose
        = r.strategyId.isEmpty() ? QStringLiteral("the typed index") : QStringLiteral("%1's indexes").arg(r.strategyId);
    out += wrapWords(QStringLiteral("== what-if: %1, for %2's query on %3: %4")
                         .arg(whose, r.queryStrategyId, r.workload.label(), r.workload.describe()),
        w);
    out += QStringLiteral("hypothetical indexes (HypoPG; nothing is built):\n");
    for (const WhatIfIndex &i : r.indexes) {
        const QString name
            = i.intendedName.isEmpty() ? (i.name.isEmpty() ? QStringLiteral("(unnamed)") : i.name) : i.intendedName;
        QString state;
        if (!i.refused.isEmpty())
            state = QStringLiteral("not simulated: ") + i.refused;
        else
            state = QStringLiteral("estimated %1, %2")
                        .arg(formatBytes(i.estimatedBytes),
                            i.used ? QStringLiteral("used by the plan") : QStringLiteral("not used"));
        out += wrapWords(QStringLiteral("  %1: %2").arg(name, state), w, 4);
        out += wrapWords(QStringLiteral("    ") + i.definition, w, 6);
    }
    if (!r.notSimulated.isEmpty())
        out += wrapWords(QStringLiteral("not simulated (HypoPG makes only indexes hypothetical): ")
                + r.notSimulated.join(QStringLiteral("; ")),
            w, 4);
    for (const QString &n : r.notes)
        out += wrapWords(QStringLiteral("note: ") + n, w, 4);
    if (r.hasPlan()) {
        out += QStringLiteral("predicted plan (estimated cost %1; now %2):\n")
                   .arg(formatCost(r.predictedCost()), formatCost(r.currentCost()));
        const QString tree = formatPredictedPlan(r, w - 2);
        for (const QString &line : tree.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            out += QStringLiteral("  ") + line + QLatin1Char('\n');
        out += wrapWords(QStringLiteral("indexes the plan reads: ")
                + (r.indexesInPlan.isEmpty() ? QStringLiteral("none") : r.indexesInPlan.join(QStringLiteral(", "))),
            w, 4);
    }
    if (r.estimatedBytes() >= 0)
        out += QStringLiteral("estimated size: %1\n").arg(formatBytes(r.estimatedBytes()));
    out += wrapWords(QStringLiteral("verdict: ") + r.verdict(), w, 4);
    return out;
}

bool writeJson(const QString &path, const QList<WhatIfResult> &results, QString *error)
{
    QJsonArray all;
    for (const WhatIfResult &r : results)
        all.append(toJson(r));
    QJsonObject root;
    root.insert(QStringLiteral("whatif"), all);
    const QByteArray json = QJsonDocument(root).toJson(QJsonDocument::Indented);
    if (path == QLatin1String("-")) {
        printOut(QString::fromUtf8(json));
        return true;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size() || !f.commit()) {
        *error = QStringLiteral("Could not write %1: %2.").arg(path, f.errorString());
        return false;
    }
    return true;
}

int runWhatIf(const QStringList &args)
{
    QCommandLineParser parser;
    addConnectionOptions(parser);
    parser.addOption(QCommandLineOption(QStringLiteral("index"),
        QStringLiteral("One CREATE INDEX statement on an existing table, made hypothetical (CONCURRENTLY is removed)."),
        QStringLiteral("SQL")));
    parser.addOption(QCommandLineOption(QStringLiteral("strategy"),
        QStringLiteral("A strategy whose indexes are made hypothetical; its query is explained (its tables, "
                       "columns and views are not simulated)."),
        QStringLiteral("ID")));
    parser.addOption(QCommandLineOption(QStringLiteral("query"),
        QStringLiteral("With --index: the strategy whose query is explained (default baseline)."),
        QStringLiteral("ID")));
    addWorkloadOptions(parser);
    parser.addOption(QCommandLineOption(QStringLiteral("json"),
        QStringLiteral("Also write the prediction as JSON to FILE ('-' for standard output, which then carries only "
                       "the JSON)."),
        QStringLiteral("FILE")));
    parser.addOption(QCommandLineOption(QStringLiteral("yes"),
        QStringLiteral("On a server that is not the demo, create the HypoPG extension when it is not installed "
                       "(dropped again at the end).")));
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral("Show the plan the planner would choose with hypothetical indexes (HypoPG), and their "
                           "estimated size, before anything is built. Nothing is written to the database."),
            rc))
        return rc;
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("whatif takes no positional arguments (see --help)"));
    const bool byIndex = parser.isSet(QStringLiteral("index"));
    const bool byStrategy = parser.isSet(QStringLiteral("strategy"));
    if (byIndex == byStrategy)
        return usageError(QStringLiteral("give either --index \"CREATE INDEX ...\" or --strategy ID"));
    if (byStrategy && parser.isSet(QStringLiteral("query")))
        return usageError(QStringLiteral("--query goes with --index; --strategy explains the strategy's own query"));
    if (parser.isSet(QStringLiteral("preset")) && parser.isSet(QStringLiteral("tag")))
        return usageError(QStringLiteral("give either --preset or --tag, not both"));

    WhatIfRequest request;
    if (byStrategy) {
        const QString id = parser.value(QStringLiteral("strategy")).trimmed().toLower();
        request.strategy = strategyById(id);
        if (!request.strategy)
            return fail(Error::make(errc::Input, QStringLiteral("There is no strategy '%1'.").arg(id), QString(),
                QStringLiteral("See plansight strategies list.")));
    } else {
        request.definition = parser.value(QStringLiteral("index"));
        // Checked before connecting: one CREATE INDEX statement naming a table (the server checks the table).
        if (auto def = parseIndexDefinition(request.definition); !def)
            return fail(def.error());
        if (parser.isSet(QStringLiteral("query"))) {
            const QString id = parser.value(QStringLiteral("query")).trimmed().toLower();
            request.queryStrategy = strategyById(id);
            if (!request.queryStrategy)
                return fail(Error::make(errc::Input, QStringLiteral("There is no strategy '%1'.").arg(id), QString(),
                    QStringLiteral("See plansight strategies list.")));
        }
    }

    auto conn = connectFromOptions(parser);
    if (!conn)
        return fail(conn.error());
    PgSession &session = *conn->session;
    if (auto st = requireFinishedDemo(session, conn->isDemo); !st)
        return fail(st.error());
    auto demo = conn->isDemo ? Result<bool>(true) : isPlanSightDemo(session);
    if (!demo)
        return fail(demo.error());
    request.mayCreateExtension = demo.value() || parser.isSet(QStringLiteral("yes"));
    if (!demo.value() && parser.isSet(QStringLiteral("yes")))
        fputs(QStringLiteral("With --yes, whatif may create:\n  %1\n")
                  .arg(hypopgWhatIfConfirmLine())
                  .toUtf8()
                  .constData(),
            stderr);

    QList<Workload> workloads;
    if (parser.isSet(QStringLiteral("tag"))) {
        auto w = customWorkloadFromOptions(parser, session);
        if (!w)
            return fail(w.error());
        workloads << w.value();
    } else {
        const QStringList names = parser.isSet(QStringLiteral("preset")) ? parser.values(QStringLiteral("preset"))
                                                                         : QStringList { QStringLiteral("canonical") };
        for (const QString &name : names) {
            auto resolved = resolvePreset(name, session);
            if (!resolved)
                return fail(resolved.error());
            workloads << resolved.value();
        }
    }

    const bool jsonToStdout = parser.value(QStringLiteral("json")) == QLatin1String("-");
    QList<WhatIfResult> results;
    bool noPlan = false;
    for (const Workload &w : workloads) {
        request.workload = w;
        auto r = predictIndexes(session, request, &interruptToken());
        if (!r)
            return fail(r.error());
        noPlan = noPlan || !r->hasPlan();
        const QString text
            = (results.isEmpty() ? QString() : QStringLiteral("\n")) + renderResult(*r, stdoutTableWidth());
        if (jsonToStdout)
            fputs(text.toUtf8().constData(), stderr);
        else
            printOut(text);
        results << r.value();
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QString error;
        if (!writeJson(parser.value(QStringLiteral("json")), results, &error))
            return fail(Error::make(errc::Io, error));
    }
    // No plan to show (the query reads what the strategy has not built): the verdict says why.
    return noPlan ? ExitFailure : ExitOk;
}

} // namespace

PLANSIGHT_CLI_VERB(
    whatif, "whatif", "Predict the plan and size of indexes with HypoPG, before building them", runWhatIf);

} // namespace plansight::cli
