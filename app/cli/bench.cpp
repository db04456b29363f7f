// plansight bench: run strategies on workloads, print the comparison table, record the session, and with --pdf
// write the PDF report in this same process.
//
// Threading: bench is a GUI verb (the PDF writer paints, so main() creates an offscreen QApplication). PgSession
// refuses the GUI thread of a QGuiApplication, so everything that talks to the server (connecting, resolving
// tags and presets, the runs) happens on one worker QThread; the main thread waits for it, then prints, writes
// the JSON and paints the PDF.

#include "present/ranking.h"
#include "bench/runner.h"
#include "cli/common.h"
#include "cli/verb.h"
#include "gallery/demogenerator.h"
#include "session/workload.h"
#include "reportrenderer.h"
#include "strategies/safety.h"
#include "strategies/strategy.h"
#include "present/sessionjson.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QThread>

#include <cmath>
#include <unistd.h>

namespace plansight::cli {

namespace {

// One table per workload, then notes: what differs, why runs failed or were skipped, the verdict of the one
// winner rule (present/ranking.h).
QString renderSession(const SessionResult &session)
{
    QString out;
    const Ranking ranking = rankSession(session);
    QStringList workloadOrder;
    QHash<QString, QList<const StrategyRun *>> byWorkload;
    QHash<QString, Workload> workloadOf;
    for (const StrategyRun &r : session.runs) {
        const QString key = r.workload.key();
        if (!byWorkload.contains(key)) {
            workloadOrder.append(key);
            workloadOf.insert(key, r.workload);
        }
        byWorkload[key].append(&r);
    }
    const QStringList header { QStringLiteral("strategy"), QStringLiteral("runs"), QStringLiteral("p50"),
        QStringLiteral("p95"), QStringLiteral("server"), QStringLiteral("speed-up [95% CI]"), QStringLiteral("rows"),
        QStringLiteral("check"), QStringLiteral("footprint"), QStringLiteral("build"), QStringLiteral("write cost") };
    const QList<bool> right { false, true, true, true, true, true, true, false, true, true, true };
    for (const QString &key : workloadOrder) {
        const Workload &w = workloadOf[key];
        const auto &runs = byWorkload[key];
        const QString cache = runs.isEmpty() ? QString() : toString(runs.first()->cache);
        out += QStringLiteral("\n== %1: %2 (%3 cache)\n").arg(w.name, w.describe(), cache);
        QList<QStringList> rows;
        QStringList notes;
        for (const StrategyRun *r : runs) {
            const bool measured = r->stats.count > 0;
            rows.append({ r->strategyId, QString::number(r->stats.count),
                measured ? formatMs(r->stats.p50Ms) : notMeasured(),
                measured ? formatMs(r->stats.p95Ms) : notMeasured(), formatMs(r->serverMs),
                formatSpeedUpWithInterval(r->speedup) + (isClearlySlower(*r) ? QStringLiteral(" SLOWER") : QString()),
                measured ? formatCount(double(r->rowsReturned)) : notMeasured(), runCheckWords(*r),
                formatBytes(r->footprint.bytes), formatMs(r->footprint.buildMs), formatWriteCost(r->footprint) });
            if (!r->error.isEmpty())
                notes.append(QStringLiteral("%1: %2").arg(r->strategyId, r->error));
            if (!r->note.isEmpty())
                notes.append(QStringLiteral("%1: %2").arg(r->strategyId, r->note));
            if ((r->check == ResultCheck::Different || r->check == ResultCheck::Stale) && !r->checkDetail.isEmpty())
                notes.append(QStringLiteral("%1 returns a %2 page: %3")
                                 .arg(r->strategyId,
                                     r->check == ResultCheck::Stale ? QStringLiteral("stale") : QStringLiteral("different"),
                                     r->checkDetail));
            if (r->check == ResultCheck::BothEmpty)
                notes.append(QStringLiteral("%1: %2").arg(r->strategyId, r->checkDetail));
        }
        out += textTable(header, rows, right);
        if (const WorkloadRanking *wr = ranking.forWorkload(key))
            out += QStringLiteral("verdict: ") + wr->sentence() + QLatin1Char('\n');
        for (const QString &n : notes)
            out += QStringLiteral("  note: ") + n + QLatin1Char('\n');
    }
    if (ranking.workloads.size() > 1)
        out += QStringLiteral("\nsession verdict: ") + ranking.sentence() + QLatin1Char('\n');
    const SessionInfo &info = session.info;
    if (info.machineAtStart.valid || info.machineAtEnd.valid)
        out += QStringLiteral("machine: %1 at the start, %2 at the end\n")
                   .arg(describeMachine(info.machineAtStart), describeMachine(info.machineAtEnd));
    if (const QString busy = info.busyWarning(); !busy.isEmpty())
        out += QStringLiteral("warning: ") + busy + QLatin1Char('\n');
    return out;
}

Result<QList<std::shared_ptr<Strategy>>> strategiesFromOption(const QString &value)
{
    QList<std::shared_ptr<Strategy>> out;
    const QString v = value.trimmed();
    if (v.isEmpty() || v == QLatin1String("all"))
        return allStrategies();
    QStringList known;
    for (const auto &s : allStrategies())
        known.append(s->id());
    for (const QString &part : v.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString id = part.trimmed();
        auto s = strategyById(id);
        if (!s)
            return Error::make(errc::Input,
                QStringLiteral("Unknown strategy '%1'; known: %2.").arg(id, known.join(QStringLiteral(", "))));
        out.append(s);
    }
    return out;
}

Result<int> intOption(const QCommandLineParser &parser, const QString &name, int fallback, int min, int max)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const int v = parser.value(name).toInt(&ok);
    if (!ok || v < min || v > max)
        return Error::make(errc::Input,
            QStringLiteral("--%1 must be a whole number from %2 to %3, not '%4'.").arg(name).arg(min).arg(max).arg(parser.value(name)));
    return v;
}

// The custom workload of --tag/--match/--sources/--user/--page/--page-size/--sort.
Result<Workload> workloadFromOptions(const QCommandLineParser &parser, PgSession &session)
{
    Workload w;
    w.name = QStringLiteral("custom");
    QStringList tags;
    for (const QString &t : parser.values(QStringLiteral("tag")))
        for (const QString &part : t.split(QLatin1Char(','), Qt::SkipEmptyParts))
            tags.append(part.trimmed());
    if (!tags.isEmpty()) {
        auto ids = resolveTags(tags, session);
        if (!ids)
            return ids.error();
        w.tagIds = ids.value();
    }
    if (parser.isSet(QStringLiteral("match"))) {
        const QString m = parser.value(QStringLiteral("match"));
        if (m == QLatin1String("any"))
            w.match = TagMatch::Any;
        else if (m == QLatin1String("all"))
            w.match = TagMatch::All;
        else
            return Error::make(errc::Input, QStringLiteral("--match must be any or all, not '%1'.").arg(m));
    }
    if (parser.isSet(QStringLiteral("sources"))) {
        w.sources.clear();
        for (const QString &part : parser.value(QStringLiteral("sources")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            auto k = sourceKindFromString(part.trimmed());
            if (!k)
                return k.error();
            if (!w.sources.contains(k.value()))
                w.sources.append(k.value());
        }
    }
    if (parser.isSet(QStringLiteral("user")))
        w.userId = parser.value(QStringLiteral("user")).trimmed();
    if (parser.isSet(QStringLiteral("sort"))) {
        const QString s = parser.value(QStringLiteral("sort"));
        if (s == QLatin1String("created_at"))
            w.sort = SortField::CreatedAt;
        else if (s == QLatin1String("quality_score"))
            w.sort = SortField::QualityScore;
        else
            return Error::make(errc::Input, QStringLiteral("--sort must be created_at or quality_score, not '%1'.").arg(s));
    }
    auto page = intOption(parser, QStringLiteral("page"), 1, 1, 1000000);
    if (!page)
        return page.error();
    w.page = page.value();
    auto size = intOption(parser, QStringLiteral("page-size"), 25, 1, 1000);
    if (!size)
        return size.error();
    w.pageSize = size.value();
    w.byCursor = parser.isSet(QStringLiteral("by-cursor"));
    if (auto st = w.validate(); !st)
        return st.error();
    return w;
}

bool writeJson(const QString &path, const SessionResult &session, QString *error)
{
    const QByteArray json = QJsonDocument(toJson(session)).toJson(QJsonDocument::Indented);
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

// Worker thread (PgSession refuses the GUI thread): connects, resolves the workloads, lists what --yes creates and
// runs the session into `outcome`. Returns the exit code when it ends before the runs; `lastLen` is the length of
// the progress line on the terminal.
std::optional<int> measure(const QCommandLineParser &parser, BenchOptions &options, const ProgressFn &progress,
    qint64 &lastLen, BenchOutcome &outcome)
{
    auto conn = connectFromOptions(parser, options.statementTimeoutMs);
    if (!conn)
        return fail(conn.error());
    BenchTarget target;
    target.isDemo = conn->isDemo;
    target.label = conn->isDemo ? QStringLiteral("embedded demo") : conn->label;
    if (conn->isDemo) {
        LocalCluster cluster(demoRootFromOptions(parser));
        target.demoRoot = cluster.rootDir();
        target.conninfo = cluster.conninfo(demoDatabase());
    } else {
        target.conninfo = parser.value(QStringLiteral("dsn"));
    }
    PgSession &session = *conn->session;
    // A demo whose build did not finish has missing rows or indexes: nothing to measure (checked again by the
    // runner under the database lock).
    if (auto st = requireFinishedDemo(session, conn->isDemo); !st)
        return fail(st.error());

    if (parser.isSet(QStringLiteral("tag"))) {
        auto w = workloadFromOptions(parser, session);
        if (!w)
            return fail(w.error());
        options.workloads.append(w.value());
    } else {
        const QStringList presets = parser.isSet(QStringLiteral("preset")) ? parser.values(QStringLiteral("preset"))
                                                                           : QStringList { QStringLiteral("canonical") };
        for (const QString &p : presets) {
            // Resolved here (not by the runner) so a wrong name fails before anything runs.
            auto ws = resolvePreset(p, session);
            if (!ws)
                return fail(ws.error());
            options.workloads += ws.value();
        }
    }
    if (auto st = BenchRunner::validate(options, target); !st)
        return fail(st.error());

    // Against a server that is not the demo, nothing is created unasked: list what --yes will create.
    if (!target.isDemo && options.applyMissing) {
        bool creates = false;
        for (const auto &s : options.strategies) {
            if (!s->info().needsObjects)
                continue;
            auto st = s->status(session);
            if (!st)
                return fail(st.error());
            if (st->state == StrategyState::Applied)
                continue;
            creates = true;
            QString text = QStringLiteral("Applying %1 creates:\n").arg(s->id());
            for (const QString &o : s->plannedObjects())
                text += QStringLiteral("  %1\n").arg(o);
            fputs(text.toUtf8().constData(), stderr);
        }
        if (creates)
            fputs(QStringLiteral("The session may also create the %1\n")
                      .arg(hypopgConfirmLine().section(QStringLiteral(": "), 1))
                      .toUtf8()
                      .constData(),
                stderr);
    }

    BenchRunner runner(target, std::move(conn->session));
    CancelToken &token = interruptToken();
    const BenchRunner::NoticeFn notice = [&](const QString &text) {
        if (lastLen > 0)
            fputs("\n", stderr);
        lastLen = 0;
        fputs((QStringLiteral("plansight: ") + text + QLatin1Char('\n')).toUtf8().constData(), stderr);
    };
    outcome = runner.run(options, &token, progress, {}, {}, notice);
    return std::nullopt;
}

int runBench(const QStringList &args)
{
    QCommandLineParser parser;
    addConnectionOptions(parser);
    auto opt = [&](const QString &name, const QString &help, const QString &value = {}) {
        parser.addOption(value.isEmpty() ? QCommandLineOption(name, help) : QCommandLineOption(name, help, value));
    };
    opt(QStringLiteral("strategies"), QStringLiteral("Strategies to run, comma-separated ids, or 'all' (default)."),
        QStringLiteral("IDS"));
    opt(QStringLiteral("preset"),
        QStringLiteral("A workload preset: canonical, canonical-5x, multi-tag, no-tag, multi-all, deep-page, deep-cursor, rare-tag "
                       "(repeatable; default canonical when no --tag is given)."),
        QStringLiteral("NAME"));
    opt(QStringLiteral("tag"), QStringLiteral("A tag name or UUID (repeatable, or comma-separated)."), QStringLiteral("T"));
    opt(QStringLiteral("match"), QStringLiteral("Tag matching: any (default) or all."), QStringLiteral("any|all"));
    opt(QStringLiteral("sources"),
        QStringLiteral("Content sources, comma-separated: user-regular, user-auto, community-regular, community-auto "
                       "(default all four)."),
        QStringLiteral("KINDS"));
    opt(QStringLiteral("user"), QStringLiteral("The user id the sources are relative to (default the admin user)."),
        QStringLiteral("UUID"));
    opt(QStringLiteral("page"), QStringLiteral("Page number, from 1 (default 1)."), QStringLiteral("N"));
    opt(QStringLiteral("page-size"), QStringLiteral("Rows per page, 1-1000 (default 25)."), QStringLiteral("N"));
    opt(QStringLiteral("by-cursor"),
        QStringLiteral("Reach --page by following cursors, as an endless gallery does (strategies with a keyset form "
                       "answer that way, the others by OFFSET)."));
    opt(QStringLiteral("sort"), QStringLiteral("created_at (default) or quality_score."), QStringLiteral("FIELD"));
    opt(QStringLiteral("runs"), QStringLiteral("Measured runs per strategy and workload (default 10)."), QStringLiteral("N"));
    opt(QStringLiteral("warmup"), QStringLiteral("Warm-up runs before measuring (default 2)."), QStringLiteral("N"));
    opt(QStringLiteral("cold"),
        QStringLiteral("Cold cache: restart the embedded demo cluster before every measured run (demo only)."));
    opt(QStringLiteral("timeout-ms"), QStringLiteral("Statement timeout for every statement (default 60000)."),
        QStringLiteral("N"));
    opt(QStringLiteral("budget"),
        QStringLiteral("Time budget per strategy and workload, in seconds: once spent, the remaining warm-up and "
                       "measured runs are skipped (at least one measured run; default none)."),
        QStringLiteral("S"));
    opt(QStringLiteral("no-check"), QStringLiteral("Do not compare pages with the baseline (the baseline is then not added)."));
    opt(QStringLiteral("json"), QStringLiteral("Also write the session as JSON to FILE ('-' for standard output)."),
        QStringLiteral("FILE"));
    opt(QStringLiteral("pdf"), QStringLiteral("Also write the PDF report of the session to FILE."), QStringLiteral("FILE"));
    opt(QStringLiteral("pdf-page-size"), QStringLiteral("The PDF report's paper: a4 (default) or letter."),
        QStringLiteral("SIZE"));
    opt(QStringLiteral("no-history"), QStringLiteral("Do not record the session in the history."));
    opt(QStringLiteral("note"), QStringLiteral("A note stored with the session."), QStringLiteral("TEXT"));
    opt(QStringLiteral("yes"),
        QStringLiteral("Apply strategies that are not applied yet, after listing the objects they create "
                       "(always done on the embedded demo)."));
    opt(QStringLiteral("no-wait"),
        QStringLiteral("When another PlanSight session is measuring or changing this database, fail at once instead of "
                       "waiting for it."));
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral("Run the gallery query under each strategy: warm-up runs, measured runs, one EXPLAIN "
                           "ANALYZE, the result check against the baseline. Prints the comparison and records it."),
            rc))
        return rc;
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("bench takes no positional arguments (see --help)"));
    if (parser.isSet(QStringLiteral("pdf-page-size"))
        && !QStringList { QStringLiteral("a4"), QStringLiteral("letter") }.contains(parser.value(QStringLiteral("pdf-page-size"))))
        return usageError(QStringLiteral("--pdf-page-size takes a4 or letter"));
    if (parser.isSet(QStringLiteral("preset")) && parser.isSet(QStringLiteral("tag")))
        return usageError(QStringLiteral("give either --preset or --tag, not both"));
    if (parser.isSet(QStringLiteral("preset")) && parser.isSet(QStringLiteral("by-cursor")))
        return usageError(QStringLiteral("--by-cursor goes with --tag and --page; for presets use --preset deep-cursor"));

    BenchOptions options;
    auto runs = intOption(parser, QStringLiteral("runs"), 10, 1, 10000);
    auto warmup = intOption(parser, QStringLiteral("warmup"), 2, 0, 1000);
    auto timeout = intOption(parser, QStringLiteral("timeout-ms"), 60000, 1, 24 * 3600 * 1000);
    auto budget = intOption(parser, QStringLiteral("budget"), 0, 0, 7 * 24 * 3600);
    for (const auto *r : { &runs, &warmup, &timeout, &budget })
        if (!r->ok())
            return fail(r->error());
    options.runs = runs.value();
    options.warmupRuns = warmup.value();
    options.statementTimeoutMs = timeout.value();
    options.runBudgetMs = qint64(budget.value()) * 1000;
    options.cache = parser.isSet(QStringLiteral("cold")) ? CacheState::Cold : CacheState::Warm;
    options.checkResults = !parser.isSet(QStringLiteral("no-check"));
    options.applyMissing = parser.isSet(QStringLiteral("yes"));
    options.waitForLock = !parser.isSet(QStringLiteral("no-wait"));
    // With --json -, standard output carries the JSON alone: the table goes to standard error.
    const bool jsonToStdout = parser.value(QStringLiteral("json")) == QLatin1String("-");
    options.note = parser.value(QStringLiteral("note"));
    if (!parser.isSet(QStringLiteral("no-history")))
        options.historyPath = QString();

    auto strategies = strategiesFromOption(parser.value(QStringLiteral("strategies")));
    if (!strategies)
        return fail(strategies.error());
    options.strategies = strategies.value();

    std::optional<ReportOptions> pdf;
    if (parser.isSet(QStringLiteral("pdf"))) {
        pdf.emplace();
        if (parser.isSet(QStringLiteral("pdf-page-size")))
            pdf->pageSize = reportPageSizeFromString(parser.value(QStringLiteral("pdf-page-size"))).value();
    }

    const bool interactive = isatty(STDERR_FILENO);
    qint64 lastLen = 0;
    const ProgressFn progress = [&](qint64 done, qint64 total, const QString &text) {
        if (!interactive)
            return;
        QString line = QStringLiteral("[%1/%2] %3").arg(done).arg(total).arg(text).left(100);
        const qint64 pad = std::max<qint64>(0, lastLen - line.size());
        lastLen = line.size();
        line = QLatin1Char('\r') + line + QString(pad, QLatin1Char(' '));
        fputs(line.toUtf8().constData(), stderr);
        fflush(stderr);
    };

    // The server work, on a thread of its own (see the top of this file). It returns an exit code when the bench
    // ends before measuring anything; otherwise `outcome` holds the session.
    BenchOutcome outcome;
    std::optional<int> early;
    std::unique_ptr<QThread> worker(QThread::create([&] { early = measure(parser, options, progress, lastLen, outcome); }));
    worker->setObjectName(QStringLiteral("bench"));
    worker->start();
    worker->wait();
    if (early)
        return *early;
    if (interactive && lastLen > 0)
        fputs("\n", stderr);

    QString header = QStringLiteral("PlanSight %1 · %2 (PostgreSQL %3)")
                         .arg(outcome.session.info.planSightVersion, outcome.session.info.server,
                             outcome.session.info.serverVersion);
    if (!outcome.session.info.datasetFingerprint.isEmpty())
        header += QStringLiteral(" · data %1").arg(outcome.session.info.datasetFingerprint);
    header += QStringLiteral(" · %1 warm-up + %2 measured runs").arg(options.cache == CacheState::Cold ? 0 : options.warmupRuns).arg(options.runs);
    if (outcome.session.info.id >= 0)
        header += QStringLiteral(" · history session %1").arg(outcome.session.info.id);
    if (!outcome.session.runs.isEmpty()) {
        const QString table = header + QLatin1Char('\n') + renderSession(outcome.session);
        if (jsonToStdout)
            fputs(table.toUtf8().constData(), stderr);
        else
            printOut(table);
    }
    for (const QString &w : outcome.warnings) {
        if (!outcome.session.runs.isEmpty() && SessionInfo::isBusyWarning(w))
            continue; // the table's own line says it, with the state at the end too
        fputs((QStringLiteral("plansight: warning: ") + w + QLatin1Char('\n')).toUtf8().constData(), stderr);
    }

    if (parser.isSet(QStringLiteral("json")) && !outcome.session.runs.isEmpty()) {
        QString error;
        if (!writeJson(parser.value(QStringLiteral("json")), outcome.session, &error))
            return fail(Error::make(errc::Io, error));
    }

    // The report is painted here, on the main thread, which holds the QApplication.
    if (pdf && !outcome.session.runs.isEmpty()) {
        lastLen = 0;
        // Runs cancelled with Ctrl-C still get the report of what they measured (a second Ctrl-C quits at once);
        // otherwise Ctrl-C cancels the report between pages and leaves no file.
        CancelToken *cancel = interruptToken().isCancelled() ? nullptr : &interruptToken();
        const Status st = writeReport(outcome.session, parser.value(QStringLiteral("pdf")), *pdf, cancel, progress);
        if (interactive && lastLen > 0)
            fputs("\n", stderr);
        if (!st)
            return fail(st.error());
    }

    if (outcome.error)
        return fail(*outcome.error);
    if (outcome.cancelled)
        return fail(Error::make(errc::Cancelled,
            QStringLiteral("Cancelled; the %1 runs measured so far are shown and recorded.").arg(outcome.session.runs.size())));
    for (const StrategyRun &r : outcome.session.runs) {
        if (r.outcome == RunOutcome::NotIsolated)
            return fail(Error::make(QStringLiteral("PSBENCH"),
                QStringLiteral("Some runs saw other strategies' objects and are not ranked (outcome not-isolated; see "
                               "the notes).")));
        if (r.outcome == RunOutcome::Failed || r.outcome == RunOutcome::Skipped)
            return fail(Error::make(QStringLiteral("PSBENCH"),
                QStringLiteral("Not every strategy could be measured (see the notes above).")));
    }
    return ExitOk;
}

} // namespace

// A GUI verb: --pdf paints in this process (see the top of this file).
PLANSIGHT_CLI_GUI_VERB(bench, "bench", "Measure strategies on the gallery query and record the session", runBench);

} // namespace plansight::cli
