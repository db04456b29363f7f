// plansight history list|show ID|export ID|delete ID: the sessions recorded in the local history.

#include "cli/common.h"
#include "cli/verb.h"
#include "history/historystore.h"
#include "present/ranking.h"
#include "present/sessionjson.h"
#include "report/reportcontent.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>

namespace plansight::cli {

namespace {

// Notices go to stderr: stdout may be an export being piped somewhere.
void notice(const QString &text)
{
    const QByteArray b = (QStringLiteral("plansight: ") + text + QLatin1Char('\n')).toUtf8();
    fwrite(b.constData(), 1, size_t(b.size()), stderr);
    fflush(stderr);
}

QString when(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QStringLiteral("-");
}

// Opens the history named by --history (or the default). A damaged, unreadable or locked file ends with one
// sentence and the way out; with --move-aside such a file is renamed (kept) and a fresh history started.
Result<HistoryStore> openHistory(const QCommandLineParser &parser)
{
    const QString path = parser.isSet(QStringLiteral("history")) ? parser.value(QStringLiteral("history"))
                                                                 : HistoryStore::defaultPath();
    const bool moveAside = parser.isSet(QStringLiteral("move-aside"));
    auto store = HistoryStore::open(path);
    if (store && moveAside) {
        // The file opened; --move-aside also looks for damage deeper in the file.
        auto check = store->integrityCheck();
        if (check && check.value() == QLatin1String("ok")) {
            notice(QStringLiteral("The history file %1 is intact; nothing was moved.").arg(path));
            return store;
        }
        store = Error::make(errc::HistoryCorrupt, QStringLiteral("The history file %1 is damaged.").arg(path),
            check ? check.value().section(QLatin1Char('\n'), 0, 2) : check.error().toString());
    }
    if (store) {
        if (store->isReadOnly())
            notice(QStringLiteral("The history file %1 is opened read-only (no write access to it or its directory).")
                       .arg(path));
        return store;
    }
    const Error e = store.error();
    if (e.code == errc::HistoryLocked) {
        // A locked file is in use, not damaged: it is never moved (the other program would go on writing into
        // the renamed file).
        Error out = e;
        out.hint = QStringLiteral("Close the other program using it and try again; a locked history is not damaged and "
                                  "is never moved aside.");
        return out;
    }
    if (e.code != errc::HistoryCorrupt)
        return e;
    if (!moveAside) {
        Error out = e;
        out.hint = QStringLiteral("Run ")
            + QStringLiteral("`plansight history list --move-aside%1` to keep it as %2.corrupt-<time> and start a "
                             "fresh history.")
                  .arg(parser.isSet(QStringLiteral("history")) ? QStringLiteral(" --history ") + path : QString(),
                      QFileInfo(path).fileName());
        return out;
    }
    QString movedTo;
    auto fresh = HistoryStore::moveAsideAndOpen(path, &movedTo);
    if (!fresh)
        return fresh.error();
    notice(QStringLiteral("Moved the damaged history file to %1 (kept for inspection); started a fresh history at %2.")
               .arg(movedTo, path));
    return fresh;
}

Result<qint64> sessionId(const QStringList &pos, const QString &action)
{
    if (pos.size() != 2)
        return Error::make(errc::Input,
            QStringLiteral("history %1 needs one session ID (plansight history list shows "
                           "them)")
                .arg(action));
    bool ok = false;
    const qint64 id = pos.at(1).toLongLong(&ok);
    if (!ok || id <= 0)
        return Error::make(errc::Input,
            QStringLiteral("'%1' is not a session ID: use the number plansight history list shows").arg(pos.at(1)));
    return id;
}

int list(HistoryStore &store, const QCommandLineParser &parser)
{
    auto sessions = store.listSessions(parser.value(QStringLiteral("filter")));
    if (!sessions)
        return fail(sessions.error());
    if (sessions->isEmpty()) {
        printOut(parser.isSet(QStringLiteral("filter"))
                ? QStringLiteral("No session matches '%1' in %2.\n")
                      .arg(parser.value(QStringLiteral("filter")), store.path())
                : QStringLiteral("No session recorded yet in %1 (plansight bench records one).\n").arg(store.path()));
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const SessionSummary &s : sessions.value()) {
        rows << QStringList { QString::number(s.id), when(s.startedAt), s.server,
            s.serverVersion.section(QLatin1Char(' '), 0, 0), QString::number(s.runCount),
            s.workloads.join(QLatin1Char(',')),
            // The winner by the one rule (present/ranking.h); none when it is not clear.
            s.winnerId.isEmpty()    ? QStringLiteral("-")
                : s.winnerP50Ms < 0 ? s.winnerId
                                    : s.winnerId + QStringLiteral(" (") + formatMs(s.winnerP50Ms) + QLatin1Char(')'),
            (s.finishedAt.isValid() ? QStringLiteral("finished") : QStringLiteral("interrupted"))
                + (s.machineBusy ? QStringLiteral(", busy machine") : QString()),
            s.note.section(QLatin1Char('\n'), 0, 0) };
    }
    printOut(textTable({ QStringLiteral("ID"), QStringLiteral("STARTED (UTC)"), QStringLiteral("SERVER"),
                           QStringLiteral("VERSION"), QStringLiteral("RUNS"), QStringLiteral("WORKLOADS"),
                           QStringLiteral("WINNER (p50)"), QStringLiteral("STATUS"), QStringLiteral("NOTE") },
        rows, { true, false, false, false, true, false, false, false, false }, stdoutTableWidth()));
    return ExitOk;
}

int show(HistoryStore &store, qint64 id)
{
    auto loaded = store.loadSession(id);
    if (!loaded)
        return fail(loaded.error());
    const SessionResult &s = loaded.value();
    const SessionInfo &info = s.info;
    auto finished = store.sessionFinishedAt(id);
    QString out
        = QStringLiteral("Session %1, started %2 UTC, %3\n")
              .arg(id)
              .arg(when(info.startedAt),
                  finished && finished->isValid() ? QStringLiteral("finished %1 UTC").arg(when(finished.value()))
                                                  : QStringLiteral("interrupted (never finished)"));
    out += QStringLiteral("Server:   %1%2, PostgreSQL %3, database %4\n")
               .arg(info.server, info.isDemo ? QStringLiteral(" (embedded demo)") : QString(), info.serverVersion,
                   info.database);
    if (!info.datasetFingerprint.isEmpty() || !info.dataset.isEmpty())
        out += QStringLiteral("Dataset:  %1%2\n")
                   .arg(describeDataset(info.dataset),
                       info.datasetFingerprint.isEmpty()
                           ? QString()
                           : QStringLiteral(" (fingerprint %1)").arg(info.datasetFingerprint));
    if (!info.planSightVersion.isEmpty())
        out += QStringLiteral("PlanSight %1\n").arg(info.planSightVersion);
    if (!info.note.isEmpty())
        out += QStringLiteral("Note:     %1\n").arg(info.note);
    if (info.machineAtStart.valid || info.machineAtEnd.valid)
        out += QStringLiteral("Machine:  %1 at the start; %2 at the end\n")
                   .arg(describeMachine(info.machineAtStart), describeMachine(info.machineAtEnd));
    if (const QString busy = info.busyWarning(); !busy.isEmpty())
        out += QStringLiteral("Warning:  %1\n").arg(busy);
    if (!info.settings.isEmpty()) {
        // Only those that change plans or speed, as in the report; the export has them all.
        QStringList set;
        for (const auto &[name, value] : info.settings)
            if (settingChangesPlansOrSpeed(name))
                set << name + QLatin1Char('=') + value;
        out += QStringLiteral("Settings: %1 (of %2 non-default settings, those that change plans or speed)\n")
                   .arg(set.isEmpty() ? QStringLiteral("none") : set.join(QStringLiteral(", ")))
                   .arg(info.settings.size());
    }
    out += QLatin1Char('\n');

    QList<QStringList> rows;
    QStringList notes;
    for (const StrategyRun &r : s.runs) {
        rows << QStringList { r.strategyId, r.workload.label(), toString(r.cache), outcomeWords(r.outcome),
            QString::number(r.stats.count), r.stats.count > 0 ? formatMs(r.stats.p50Ms) : notMeasured(),
            r.stats.count > 0 ? formatMs(r.stats.p95Ms) : notMeasured(),
            formatSpeedUpWithInterval(r.speedup) + (isClearlySlower(r) ? QStringLiteral(" SLOWER") : QString()),
            formatCount(double(r.rowsReturned)), checkWords(r.check), formatBytes(r.footprint.bytes),
            formatMs(r.footprint.buildMs), formatWriteCost(r.footprint) };
        if (!r.error.isEmpty())
            notes << QStringLiteral("%1 (%2): %3").arg(r.strategyId, toString(r.outcome), r.error);
        if (!r.checkDetail.isEmpty())
            notes << QStringLiteral("%1 (%2): %3").arg(r.strategyId, toString(r.check), r.checkDetail);
        if (!r.note.isEmpty())
            notes << QStringLiteral("%1 (%2): %3").arg(r.strategyId, r.workload.label(), r.note);
        if (!r.footprint.staleness.isEmpty())
            notes << QStringLiteral("%1 (staleness): %2").arg(r.strategyId, r.footprint.staleness);
    }
    if (rows.isEmpty())
        out += QStringLiteral("No run was recorded in this session.\n");
    else
        out += textTable(
            { QStringLiteral("STRATEGY"), QStringLiteral("WORKLOAD"), QStringLiteral("CACHE"),
                QStringLiteral("OUTCOME"), QStringLiteral("RUNS"), QStringLiteral("P50"), QStringLiteral("P95"),
                QStringLiteral("SPEED-UP [95% CI]"), QStringLiteral("ROWS"), QStringLiteral("CHECK"),
                QStringLiteral("SIZE"), QStringLiteral("BUILD"), QStringLiteral("WRITE COST") },
            rows, { false, false, false, false, true, true, true, true, true, false, true, true, true },
            stdoutTableWidth(), 2);
    if (!notes.isEmpty())
        out += QLatin1Char('\n') + notes.join(QLatin1Char('\n')) + QLatin1Char('\n');
    // The verdict of the one winner rule (present/ranking.h), per workload, then for the session.
    const Ranking ranking = rankSession(s);
    if (!s.runs.isEmpty())
        out += QLatin1Char('\n');
    for (const WorkloadRanking &w : ranking.workloads)
        out += QStringLiteral("Verdict (%1): %2\n").arg(w.workloadName, w.sentence());
    if (const StrategyRun *w = ranking.winner)
        out += QStringLiteral("Winner: %1, p50 %2, speed-up %3%4\n")
                   .arg(w->strategyId, formatMs(w->stats.p50Ms), formatSpeedUpWithInterval(w->speedup),
                       ranking.workloads.size() > 1 ? QStringLiteral(" (first workload; it wins every workload)")
                                                    : QString());
    else if (!s.runs.isEmpty())
        out += QStringLiteral("Session: %1\n").arg(ranking.sentence());
    auto snaps = store.catalogSnapshots(id);
    if (snaps && !snaps->isEmpty()) {
        QStringList kinds;
        for (const StoredCatalogSnapshot &c : snaps.value())
            kinds << c.kind + QStringLiteral(" (") + when(c.takenAt) + QLatin1Char(')');
        out += QStringLiteral("Catalog snapshots: %1\n").arg(kinds.join(QStringLiteral(", ")));
    }
    printOut(out);
    return ExitOk;
}

int exportSession(HistoryStore &store, qint64 id, const QCommandLineParser &parser)
{
    const bool csv = parser.isSet(QStringLiteral("csv"));
    if (csv && parser.isSet(QStringLiteral("json")))
        return usageError(QStringLiteral("history export takes --json or --csv, not both"));
    if (csv && parser.isSet(QStringLiteral("plans")))
        return usageError(QStringLiteral("--plans goes with --json (CSV holds the timings only)"));
    auto loaded = store.loadSession(id);
    if (!loaded)
        return fail(loaded.error());
    const QByteArray data = csv
        ? toCsv(loaded.value()).toUtf8()
        : QJsonDocument(toJson(loaded.value(), parser.isSet(QStringLiteral("plans")))).toJson(QJsonDocument::Indented);
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty() || output == QLatin1String("-")) {
        fwrite(data.constData(), 1, size_t(data.size()), stdout);
        fflush(stdout);
        return ExitOk;
    }
    // Written whole or not at all: a failed export never leaves half a file in place of a good one.
    QSaveFile f(output);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return fail(Error::make(errc::Io, QStringLiteral("Cannot write %1: %2.").arg(output, f.errorString())));
    notice(QStringLiteral("wrote session %1 (%2 runs) to %3").arg(id).arg(loaded->runs.size()).arg(output));
    return ExitOk;
}

int runHistory(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, show ID, export ID or delete ID"));
    parser.addOption({ QStringLiteral("history"),
        QStringLiteral("The history file (default: $PLANSIGHT_HISTORY or ~/.local/share/plansight/history.sqlite)."),
        QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("move-aside"),
        QStringLiteral("If the history file is damaged, not a history or locked, rename it to "
                       "<file>.corrupt-<time> (it is kept) and start a fresh history.") });
    parser.addOption({ QStringLiteral("filter"),
        QStringLiteral("list: only sessions whose server, database, version, note, strategies or workloads contain "
                       "TEXT."),
        QStringLiteral("TEXT") });
    parser.addOption(
        { QStringLiteral("json"), QStringLiteral("export: the session as JSON (the default; shape in README.md).") });
    parser.addOption({ QStringLiteral("csv"), QStringLiteral("export: one CSV row per measured run.") });
    parser.addOption({ QStringLiteral("plans"), QStringLiteral("export --json: include each run's EXPLAIN output.") });
    parser.addOption({ QStringLiteral("output"), QStringLiteral("export: write to FILE instead of standard output."),
        QStringLiteral("FILE") });
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral("List, show, export or delete the benchmark sessions recorded in the local history."), rc))
        return rc;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    if (action.isEmpty())
        return usageError(QStringLiteral("history needs an action: list, show ID, export ID or delete ID"));
    if (action != QLatin1String("list") && action != QLatin1String("show") && action != QLatin1String("export")
        && action != QLatin1String("delete"))
        return usageError(QStringLiteral("unknown history action '%1': use list, show, export or delete").arg(action));
    qint64 id = -1;
    if (action == QLatin1String("list")) {
        if (pos.size() > 1)
            return usageError(QStringLiteral("history list takes no argument (use --filter TEXT)"));
    } else {
        auto parsed = sessionId(pos, action);
        if (!parsed)
            return usageError(parsed.error().message);
        id = parsed.value();
    }

    // Reading a history that does not exist yet creates none: `history list` on a fresh machine leaves no file.
    const QString path = parser.isSet(QStringLiteral("history")) ? parser.value(QStringLiteral("history"))
                                                                 : HistoryStore::defaultPath();
    if (!QFileInfo::exists(path) && !parser.isSet(QStringLiteral("move-aside"))) {
        if (action == QLatin1String("list")) {
            printOut(QStringLiteral("No session recorded yet in %1 (plansight bench records one).\n").arg(path));
            return ExitOk;
        }
        return fail(Error::make(errc::Missing, QStringLiteral("There is no session %1 in the history.").arg(id),
            QStringLiteral("The history file %1 does not exist yet.").arg(path),
            QStringLiteral("`plansight bench` records a session there.")));
    }
    auto store = openHistory(parser);
    if (!store)
        return fail(store.error());
    if (action == QLatin1String("list"))
        return list(store.value(), parser);
    if (action == QLatin1String("show"))
        return show(store.value(), id);
    if (action == QLatin1String("export"))
        return exportSession(store.value(), id, parser);
    if (auto st = store->deleteSession(id); !st)
        return fail(st.error());
    printOut(QStringLiteral("Deleted session %1.\n").arg(id));
    return ExitOk;
}

} // namespace

PLANSIGHT_CLI_VERB(history, "history", "List, show, export or delete the sessions recorded in the history", runHistory);

} // namespace plansight::cli
