// plansight stats: row counts, sizes, index use and tag cardinalities of the gallery tables.

#include "catalog/catalogsnapshot.h"
#include "cli/common.h"
#include "cli/verb.h"
#include "gallery/demogenerator.h"

#include <QJsonDocument>
#include <QLocale>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace plansight::cli {

namespace {

QString number(qint64 v)
{
    return v < 0 ? QStringLiteral("-") : QLocale(QLocale::English).toString(v);
}

QString bytes(qint64 b)
{
    if (b < 0)
        return QStringLiteral("-");
    const double kib = 1024.0;
    if (b < kib * kib)
        return QStringLiteral("%1 kB").arg(double(b) / kib, 0, 'f', 0);
    if (b < kib * kib * kib)
        return QStringLiteral("%1 MB").arg(double(b) / (kib * kib), 0, 'f', 1);
    return QStringLiteral("%1 GB").arg(double(b) / (kib * kib * kib), 0, 'f', 2);
}

QString row(const QStringList &cells, const QList<int> &widths)
{
    QString line;
    for (int i = 0; i < cells.size(); ++i) {
        // First column left-aligned, numbers right-aligned.
        line += i == 0 ? cells[i].leftJustified(widths[i]) : QStringLiteral("  ") + cells[i].rightJustified(widths[i]);
    }
    return line.trimmed().isEmpty() ? QString() : line + QLatin1Char('\n');
}

QString asText(const CatalogSnapshot &s, const QString &label, int tagLimit)
{
    QString out = QStringLiteral("%1: PostgreSQL %2, database %3\n").arg(label, s.serverVersion, s.database);
    if (s.demo)
        out += QStringLiteral("PlanSight demo: %1 (fingerprint %2)\n").arg(s.demo->describe(), s.demo->fingerprint);
    out += QLatin1Char('\n');
    const QList<int> w { 20, 13, 13, 10, 10, 10, 10 };
    out += row({ QStringLiteral("table"), QStringLiteral("rows"), QStringLiteral("estimated"), QStringLiteral("heap"),
                   QStringLiteral("toast"), QStringLiteral("indexes"), QStringLiteral("total") },
        w);
    for (const RowCount &r : s.rowCounts) {
        const TableSize *size = s.size(r.table);
        if (!r.present || !size || !size->present) {
            out += row({ r.table, QStringLiteral("(absent)"), QString(), QString(), QString(), QString(), QString() }, w);
            continue;
        }
        out += row({ r.table, number(r.exact), number(r.estimated), bytes(size->heapBytes), bytes(size->toastBytes),
                       bytes(size->indexBytes), bytes(size->totalBytes) },
            w);
    }
    out += row({ QStringLiteral("all"), QString(), QString(), QString(), QString(), QString(), bytes(s.totalBytes()) }, w);

    out += QStringLiteral("\nindexes (scans since the statistics were reset)\n");
    int nameWidth = 20;
    for (const TableSize &t : s.sizes) {
        for (const IndexStats &i : t.indexes)
            nameWidth = std::max(nameWidth, int(t.table.size() + 1 + i.name.size() + (i.valid ? 0 : 10)));
    }
    const QList<int> iw { nameWidth, 10, 12 };
    out += row({ QStringLiteral("index"), QStringLiteral("size"), QStringLiteral("scans") }, iw);
    for (const TableSize &t : s.sizes) {
        for (const IndexStats &i : t.indexes)
            out += row({ t.table + QLatin1Char('.') + i.name + (i.valid ? QString() : QStringLiteral(" (invalid)")),
                           bytes(i.bytes), number(i.scans) },
                iw);
    }

    if (!s.tags.isEmpty()) {
        out += QStringLiteral("\ntags (rows in content_tags, most used first)\n");
        const QList<int> tw { 24, 38, 12, 12, 12, 8 };
        out += row({ QStringLiteral("tag"), QStringLiteral("id"), QStringLiteral("regular"), QStringLiteral("auto"),
                       QStringLiteral("total"), QStringLiteral("items") },
            tw);
        const int shown = std::min<int>(tagLimit, int(s.tags.size()));
        for (int i = 0; i < shown; ++i) {
            const TagCardinality &t = s.tags[i];
            out += row({ t.name.left(24), t.tagId, number(t.regularRows), number(t.autoRows), number(t.rows()),
                           t.itemShare < 0 ? QStringLiteral("-") : QStringLiteral("%1%").arg(t.itemShare * 100, 0, 'f', 1) },
                tw);
        }
        if (shown < s.tags.size())
            out += QStringLiteral("... and %1 more tags (--tags N shows more, --json shows all)\n").arg(s.tags.size() - shown);
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
    // Steps on a terminal only: counting takes a while at large scales, and scripts want clean output.
    const bool tty = isatty(STDERR_FILENO);
    // Ctrl-C stops whichever statement runs (the snapshot registers only some of them itself).
    CancelScope interrupt(&interruptToken(), [session = conn->session.get()] { session->cancel(); });
    auto snap = takeSnapshot(*conn->session, options, &interruptToken(), [tty](qint64, qint64, const QString &text) {
        if (tty)
            fprintf(stderr, "\r  %-70s", qPrintable(text.left(70)));
    });
    if (tty)
        fprintf(stderr, "\r%-74s\r", "");
    if (!snap)
        return fail(snap.error());
    if (parser.isSet(QStringLiteral("json")))
        printOut(QString::fromUtf8(QJsonDocument(snap->toJson()).toJson(QJsonDocument::Indented)));
    else
        printOut(asText(snap.value(), conn->label, tagLimit));
    return ExitOk;
}

} // namespace

PLANSIGHT_CLI_VERB(stats, "stats", "Row counts, sizes, index use and tag cardinalities of the gallery tables", runStats);

} // namespace plansight::cli
