// plansight stats: row counts, sizes, index use and tag cardinalities of the gallery tables.

#include "catalog/catalogsnapshot.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "cli/verb.h"
#include "gallery/demogenerator.h"

#include <QJsonDocument>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <unistd.h>

namespace plansight::cli {

namespace {

// Row counts: -1 is not counted (--estimated).
QString count(qint64 v)
{
    return v < 0 ? notMeasured() : formatCount(double(v));
}

QString asText(const CatalogSnapshot &s, const QString &label, int tagLimit)
{
    QString out = QStringLiteral("%1: PostgreSQL %2, database %3\n").arg(label, s.serverVersion, s.database);
    if (s.demo)
        out += QStringLiteral("PlanSight demo: %1 (fingerprint %2)\n").arg(s.demo->describe(), s.demo->fingerprint);
    out += QLatin1Char('\n');
    QList<QStringList> tables;
    for (const RowCount &r : s.rowCounts) {
        const TableSize *size = s.size(r.table);
        if (!r.present || !size || !size->present) {
            tables.append({ r.table, QStringLiteral("(absent)") });
            continue;
        }
        tables.append({ r.table, count(r.exact), count(r.estimated), formatBytes(size->heapBytes),
            formatBytes(size->toastBytes), formatBytes(size->indexBytes), formatBytes(size->totalBytes) });
    }
    tables.append(
        { QStringLiteral("all"), QString(), QString(), QString(), QString(), QString(), formatBytes(s.totalBytes()) });
    out += textTable(
        { QStringLiteral("table"), QStringLiteral("rows"), QStringLiteral("estimated"), QStringLiteral("heap"),
            QStringLiteral("toast"), QStringLiteral("indexes"), QStringLiteral("total") },
        tables, { false, true, true, true, true, true, true }, stdoutTableWidth());

    out += QStringLiteral("\nindexes (scans since the statistics were reset)\n");
    QList<QStringList> indexes;
    for (const TableSize &t : s.sizes) {
        for (const IndexStats &i : t.indexes)
            indexes.append({ t.table + QLatin1Char('.') + i.name + (i.valid ? QString() : QStringLiteral(" (invalid)")),
                formatBytes(i.bytes), count(i.scans) });
    }
    out += textTable({ QStringLiteral("index"), QStringLiteral("size"), QStringLiteral("scans") }, indexes,
        { false, true, true }, stdoutTableWidth());

    if (!s.tags.isEmpty()) {
        out += QStringLiteral("\ntags (rows in content_tags, most used first)\n");
        QList<QStringList> tags;
        const int shown = std::min<int>(tagLimit, int(s.tags.size()));
        for (int i = 0; i < shown; ++i) {
            const TagCardinality &t = s.tags[i];
            tags.append({ t.name.left(24), t.tagId, count(t.regularRows), count(t.autoRows), count(t.rows()),
                t.itemShare < 0 ? notMeasured() : formatPercent(t.itemShare * 100) });
        }
        out += textTable({ QStringLiteral("tag"), QStringLiteral("id"), QStringLiteral("regular"),
                             QStringLiteral("auto"), QStringLiteral("total"), QStringLiteral("items") },
            tags, { false, false, true, true, true, true }, stdoutTableWidth());
        if (shown < s.tags.size())
            out += QStringLiteral("... and %1 more tags (--tags N shows more, --json shows all)\n")
                       .arg(s.tags.size() - shown);
    }
    return out;
}

int runStats(const QStringList &args)
{
    QCommandLineParser parser;
    addConnectionOptions(parser);
    parser.addOption({ QStringLiteral("json"), QStringLiteral("Print the statistics as JSON.") });
    parser.addOption({ QStringLiteral("estimated"),
        QStringLiteral("Only the planner's estimates and sizes: skip COUNT(*) and the per-tag counts, which read "
                       "every row (about a minute at scale 1).") });
    parser.addOption({ QStringLiteral("tags"), QStringLiteral("How many tags the table shows (default 25)."),
        QStringLiteral("N"), QStringLiteral("25") });
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral("Row counts (exact and estimated), sizes (heap, TOAST, each index, total), index scans "
                           "and tag cardinalities of the gallery tables. Ctrl-C cancels."),
            rc))
        return rc;
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("stats takes no arguments (see --help)"));
    bool ok = false;
    const int tagLimit = parser.value(QStringLiteral("tags")).toInt(&ok);
    if (!ok || tagLimit < 0)
        return usageError(QStringLiteral("--tags takes a whole number from 0"));
    auto conn = connectFromOptions(parser);
    if (!conn)
        return fail(conn.error());
    // Counting an unfinished demo would describe a database nothing should be measured on.
    if (auto st = requireFinishedDemo(*conn->session, conn->isDemo); !st)
        return fail(st.error());
    SnapshotOptions options;
    options.exactCounts = !parser.isSet(QStringLiteral("estimated"));
    options.tagCardinalities = !parser.isSet(QStringLiteral("estimated"));
    // Counting takes a while at large scales: the steps on stderr (cli/progress.h), the snapshot on stdout.
    ProgressPrinter printer;
    // Ctrl-C stops whichever statement runs (the snapshot registers only some of them itself).
    CancelScope interrupt(&interruptToken(), [session = conn->session.get()] { session->cancel(); });
    auto snap = takeSnapshot(*conn->session, options, &interruptToken(), std::ref(printer));
    printer.finish();
    if (!snap)
        return fail(snap.error());
    if (parser.isSet(QStringLiteral("json")))
        printOut(QString::fromUtf8(QJsonDocument(snap->toJson()).toJson(QJsonDocument::Indented)));
    else
        printOut(asText(snap.value(), conn->label, tagLimit));
    return ExitOk;
}

} // namespace

PLANSIGHT_CLI_VERB(
    stats, "stats", "Row counts, sizes, index use and tag cardinalities of the gallery tables", runStats);

} // namespace plansight::cli
