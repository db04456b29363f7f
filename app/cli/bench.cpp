// plansight bench: run strategies on workloads, print the comparison table, record the session, and with --pdf
// write the PDF report in this same process. The session goes through the bench service (bench/service.h):
// prepared (the plan lists what --yes creates), then run with two observers, the history recorder and the
// printer below (progress, notices and warnings as they happen, the table at the end).
//
// Threading: bench is a GUI verb (the PDF writer paints, so main() creates an offscreen QApplication). PgSession
// refuses the GUI thread of a QGuiApplication, so everything that talks to the server (connecting, resolving
// tags and presets, the runs) happens on one worker QThread; the main thread waits for it, then prints, writes
// the JSON and paints the PDF.

#include "bench/service.h"
#include "cache/redisserver.h"
#include "cli/benchshared.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "cli/verb.h"
#include "gallery/demogenerator.h"
#include "history/historyrecorder.h"
#include "present/ranking.h"
#include "present/sessionjson.h"
#include "present/verdict.h"
#include "present/words.h"
#include "reportrenderer.h"
#include "session/workload.h"
#include "strategies/rediscachestrategy.h"
#include "strategies/refresh.h"
#include "strategies/replicastrategy.h"
#include "strategies/safety.h"
#include "strategies/searchstrategy.h"
#include "strategies/settingsvariantstrategy.h"
#include "strategies/strategy.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace plansight::cli {

namespace {

// The verdict against the review (present/verdict.h): a table of the figures, then one line per row saying whether
// the review's expectation was met, wrapped to the terminal.
QString renderVerdict(const SessionResult &session, const ReviewExpectations &expectations)
{
    const SessionVerdict verdict = buildVerdict(session, expectations);
    if (verdict.rows.isEmpty())
        return {};
    const int width = stdoutTableWidth();
    QString out = QLatin1Char('\n')
        + wrapWords(QStringLiteral("== the review's expectations against the measurements (%1; its times are for the "
                                   "%2 query)")
                        .arg(verdict.review, expectations.defaultWorkload),
            width);
    const QStringList header { QStringLiteral("proposal"), QStringLiteral("p50"), QStringLiteral("speed-up"),
        QStringLiteral("storage"), QStringLiteral("write cost") };
    const QList<bool> right { false, true, true, true, true };
    QList<QStringList> rows;
    QStringList lines;
    for (const VerdictRow &r : verdict.rows) {
        const bool measured = r.p50Ms >= 0;
        const QString name = r.proposal.isEmpty() ? r.strategyId : r.proposal + QLatin1Char(' ') + r.strategyId;
        rows.append({ name + (r.winner ? QStringLiteral(" *") : QString()), verdictMeasuredCell(r),
            r.speedup.valid ? formatSpeedUp(r.speedup) : notMeasured(),
            measured ? formatBytes(r.footprint.bytes) : notMeasured(),
            measured ? formatWriteCost(r.footprint) : notMeasured() });
        QStringList said;
        if (!r.proposal.isEmpty()) {
            said << r.title;
            if (r.hasExpectedTime)
                said << QStringLiteral("expected %1").arg(r.expectedText);
            if (!r.confidence.isEmpty())
                said << QStringLiteral("confidence %1").arg(r.confidence);
            if (!r.complexity.isEmpty())
                said << QStringLiteral("complexity %1").arg(r.complexity);
            if (r.recommendation != QLatin1String("skip"))
                said << QStringLiteral("advice %1").arg(r.recommendation);
        }
        if (measured && !r.footprint.staleness.isEmpty())
            said << QStringLiteral("staleness: %1").arg(r.footprint.staleness);
        lines << wrapWords(
            QStringLiteral("%1%2: %3")
                .arg(name, said.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(said.join(QStringLiteral("; "))),
                    r.line),
            width, 4);
    }
    out += textTable(header, rows, right, width);
    out += lines.join(QString());
    if (!verdict.caveat.isEmpty())
        out += wrapWords(QStringLiteral("caveat: ") + verdict.caveat, width);
    out += wrapWords(QStringLiteral("*: the workload's winner by PlanSight's own ranking (the tables above). Met: the "
                                    "p50 is within or below the review's range, with the baseline's rows."),
        width);
    return out;
}

// One table per workload, then notes: what differs, why runs failed or were skipped, the verdict of the one
// winner rule (present/ranking.h); then the verdict against the review.
QString renderSession(const SessionResult &session, const ReviewExpectations &expectations)
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
        QStringLiteral("p95"), QStringLiteral("prepared"), QStringLiteral("server"), QStringLiteral("planning"),
        QStringLiteral("JIT"), QStringLiteral("speed-up [95% CI]"), QStringLiteral("rows"), QStringLiteral("check"),
        QStringLiteral("footprint"), QStringLiteral("build"), QStringLiteral("write cost") };
    const QList<bool> right { false, true, true, true, true, true, true, true, true, true, false, true, true, true };
    bool anyPrepared = false;
    for (const QString &key : workloadOrder) {
        const Workload &w = workloadOf[key];
        const auto &runs = byWorkload[key];
        const QString cache = runs.isEmpty() ? QString() : toString(runs.first()->cache);
        out += QStringLiteral("\n== %1: %2 (%3 cache)\n").arg(w.name, w.describe(), cache);
        QList<QStringList> rows;
        QStringList notes;
        for (const StrategyRun *r : runs) {
            const bool measured = r->stats.count > 0;
            anyPrepared = anyPrepared || r->preparedStats.count > 0;
            rows.append({ r->strategyId, QString::number(r->stats.count),
                measured ? formatMs(r->stats.p50Ms) : notMeasured(),
                measured ? formatMs(r->stats.p95Ms) : notMeasured(), formatPreparedMedian(*r), formatServerTime(*r),
                formatPlanningShare(*r), formatJitTime(*r),
                formatSpeedUpWithInterval(r->speedup) + (isClearlySlower(*r) ? QStringLiteral(" SLOWER") : QString()),
                measured ? formatCount(double(r->rowsReturned)) : notMeasured(), runCheckWords(*r),
                formatBytes(r->footprint.bytes), formatMs(r->footprint.buildMs), formatWriteCost(r->footprint) });
            if (!r->error.isEmpty())
                notes.append(QStringLiteral("%1: %2").arg(r->strategyId, r->error));
            if (!r->note.isEmpty())
                notes.append(QStringLiteral("%1: %2").arg(r->strategyId, r->note));
            if (!r->preparedNote.isEmpty())
                notes.append(QStringLiteral("%1 prepared: %2").arg(r->strategyId, r->preparedNote));
            if (const QString jit = jitTimeWords(*r); !jit.isEmpty())
                notes.append(QStringLiteral("%1: %2").arg(r->strategyId, jit));
            if (r->serverMs() < 0 && r->executionMs >= 0)
                notes.append(QStringLiteral("%1: server time %2").arg(r->strategyId, serverTimeWords(*r)));
            if (r->footprint.refreshMs >= 0)
                notes.append(QStringLiteral("%1: one refresh took %2 (%3)")
                                 .arg(r->strategyId, formatMs(r->footprint.refreshMs), r->footprint.staleness));
            else if (!r->footprint.staleness.isEmpty())
                notes.append(QStringLiteral("%1 (staleness): %2").arg(r->strategyId, r->footprint.staleness));
            if ((r->check == ResultCheck::Different || r->check == ResultCheck::Stale) && !r->checkDetail.isEmpty())
                notes.append(
                    QStringLiteral("%1 returns a %2 page: %3")
                        .arg(r->strategyId,
                            r->check == ResultCheck::Stale ? QStringLiteral("stale") : QStringLiteral("different"),
                            r->checkDetail));
            if (r->check == ResultCheck::BothEmpty)
                notes.append(QStringLiteral("%1: %2").arg(r->strategyId, r->checkDetail));
        }
        out += textTable(header, rows, right, stdoutTableWidth());
        if (const WorkloadRanking *wr = ranking.forWorkload(key))
            out += wrapWords(QStringLiteral("verdict: ") + wr->sentence(), stdoutTableWidth());
        for (const QString &n : notes)
            out += wrapWords(QStringLiteral("  note: ") + n, stdoutTableWidth(), 4);
    }
    if (ranking.workloads.size() > 1)
        out += QLatin1Char('\n')
            + wrapWords(QStringLiteral("session verdict: ") + ranking.sentence(), stdoutTableWidth());
    if (!session.runs.isEmpty())
        out += QLatin1Char('\n')
            + wrapWords(QStringLiteral("p50 and p95: client time of the statement sent each time, as the application "
                                       "sends it; the ranking and the speed-ups use it. prepared: p50 of the same "
                                       "statement prepared once and executed%1. server: planning + execution, from "
                                       "one EXPLAIN ANALYZE run apart; planning: with its share of p50; JIT: the part "
                                       "of the server's time "
                                       "spent compiling JIT code, with its share.")
                            .arg(anyPrepared ? QString() : QStringLiteral(" (not measured in this session)")),
                stdoutTableWidth());
    const SessionInfo &info = session.info;
    if (info.machineAtStart.valid || info.machineAtEnd.valid)
        out += wrapWords(QStringLiteral("machine: %1 at the start, %2 at the end")
                             .arg(describeMachine(info.machineAtStart), describeMachine(info.machineAtEnd)),
            stdoutTableWidth());
    if (const QString busy = info.busyWarning(); !busy.isEmpty())
        out += wrapWords(QStringLiteral("warning: ") + busy, stdoutTableWidth());
    out += renderVerdict(session, expectations);
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
            QStringLiteral("--%1 must be a whole number from %2 to %3, not '%4'.")
                .arg(name)
                .arg(min)
                .arg(max)
                .arg(parser.value(name)));
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
        for (const QString &part :
            parser.value(QStringLiteral("sources")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
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
            return Error::make(
                errc::Input, QStringLiteral("--sort must be created_at or quality_score, not '%1'.").arg(s));
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

bool writeJson(
    const QString &path, const SessionResult &session, const ReviewExpectations &expectations, QString *error)
{
    const QByteArray json = QJsonDocument(toJson(session, false, &expectations)).toJson(QJsonDocument::Indented);
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

// The CLI printer: the session's progress (cli/progress.h: percent, elapsed and time left over every strategy,
// workload and run; one line rewritten in place on a terminal, a line every few seconds otherwise), notices and
// warnings on standard error as they happen (on a line of their own, never inside the progress line), and at the end
// the header and the table (on standard error when standard output carries the JSON).
class Printer : public SessionObserver {
public:
    Printer(bool tableToStderr, int warmupRuns, int runs, const ReviewExpectations &expectations)
        : m_progress(5000, false), m_tableToStderr(tableToStderr), m_warmupRuns(warmupRuns), m_runs(runs),
          m_expectations(expectations)
    {
    }
    void progress(qint64 done, qint64 total, const QString &text) override { m_progress(done, total, text); }
    void notice(const QString &text) override { m_progress.message(QStringLiteral("plansight: ") + text); }
    void warning(const QString &text) override
    {
        if (SessionInfo::isBusyWarning(text)) {
            m_busy.append(text); // the table's own line says it, with the state at the end too
            return;
        }
        m_progress.message(QStringLiteral("plansight: warning: ") + text);
    }
    QStringList sessionFinished(const SessionResult &session) override
    {
        endLine();
        if (session.runs.isEmpty()) {
            for (const QString &w : std::as_const(m_busy))
                m_progress.message(QStringLiteral("plansight: warning: ") + w);
            return {};
        }
        const SessionInfo &info = session.info;
        QString header = QStringLiteral("PlanSight %1 · %2 (PostgreSQL %3)")
                             .arg(info.planSightVersion, info.server, info.serverVersion);
        if (!info.datasetFingerprint.isEmpty())
            header += QStringLiteral(" · data %1").arg(info.datasetFingerprint);
        header += QStringLiteral(" · %1 warm-up + %2 measured runs").arg(m_warmupRuns).arg(m_runs);
        if (info.id >= 0)
            header += QStringLiteral(" · history session %1").arg(info.id);
        const QString table = header + QLatin1Char('\n') + renderSession(session, m_expectations);
        if (m_tableToStderr)
            fputs(table.toUtf8().constData(), stderr);
        else
            printOut(table);
        return {};
    }
    // Ends the progress line, so that what follows starts on a line of its own.
    void endLine() { m_progress.finish(); }

private:
    ProgressPrinter m_progress;
    const bool m_tableToStderr;
    const int m_warmupRuns;
    const int m_runs;
    const ReviewExpectations m_expectations;
    QStringList m_busy;
};

// What --yes lets the session create on a server that is not the demo, one line per object: the strategies' objects
// and the HypoPG extension, which --yes lets it create to hide indexes even when no strategy needs building.
QStringList createdWithYes(const BenchPlan &plan)
{
    QStringList objects = plan.objectsToConfirm();
    if (objects.isEmpty())
        objects << hypopgConfirmLine();
    return objects;
}

// --dry-run: the DDL of the strategies the session would build (each with its revert, which the session runs after
// their runs when it measures them in turn), from the strategies' own plans; nothing is changed or measured.
int printDryRun(const BenchPlan &plan, PgSession &session, const QString &label)
{
    const ApplyContext context = ApplyContext::forTarget(plan.target.isDemo, plan.options.lockTimeoutMs);
    QString out = QStringLiteral("-- Dry run of the benchmark on %1: nothing is changed or measured.\n")
                      .arg(plan.target.isDemo ? QStringLiteral("the embedded demo") : label);
    if (!plan.target.isDemo && !plan.options.applyMissing)
        out += QStringLiteral("-- Without --yes nothing is built (strategies that are not applied are skipped); with "
                              "--yes the session runs:\n");
    if (!plan.target.isDemo) {
        for (const QString &o : createdWithYes(plan))
            out += QStringLiteral("--   creates %1\n").arg(o);
    }
    int built = 0;
    QStringList seen; // a settings variant builds nothing of its own: its strategy's DDL is printed once
    for (const auto &measured : plan.options.strategies) {
        const auto s = objectOwner(measured);
        if (seen.contains(s->id()))
            continue;
        seen << s->id();
        auto st = s->status(session);
        if (!st)
            return fail(st.error());
        if (!s->info().needsObjects || st->state == StrategyState::Applied)
            continue;
        auto text = dryRunText(*s, st->state, context, true);
        if (!text)
            return fail(text.error());
        out += text.value();
        ++built;
    }
    if (built == 0)
        out += QStringLiteral("-- Every strategy of the session is applied or needs no objects: no DDL runs.\n");
    printOut(out);
    return ExitOk;
}

// The p2-redis cache's settings (strategies/rediscachestrategy.h): --cache-over, --cache-bypass, --cache-ttl,
// --cache-visibility and the Redis server, --redis URL (checked in requestFromOptions) or, on the embedded demo when a
// p2-redis strategy runs, PlanSight's own server under the demo's directory (setUpRedisCache), returned so that it
// stops when the session ends. A demo server that does not start is a warning: the inner strategy then answers, and
// the run's note says so.
std::unique_ptr<RedisServer> setUpRedisCache(const QCommandLineParser &parser, const BenchRequest &request)
{
    RedisCacheConfig config;
    if (parser.isSet(QStringLiteral("cache-over")))
        config.innerId = parser.value(QStringLiteral("cache-over")).trimmed().toLower();
    config.bypass = parser.isSet(QStringLiteral("cache-bypass"));
    config.measureVisibility = parser.isSet(QStringLiteral("cache-visibility"));
    if (parser.isSet(QStringLiteral("cache-ttl")))
        config.ttlSeconds = parser.value(QStringLiteral("cache-ttl")).toInt();
    const bool wanted = request.strategyIds.isEmpty() || request.strategyIds.contains(QLatin1String("all"))
        || std::any_of(request.strategyIds.begin(), request.strategyIds.end(),
            [](const QString &id) { return id.trimmed().toLower().startsWith(QLatin1String("p2-redis")); });
    if (parser.isSet(QStringLiteral("redis")))
        config.endpoint = parseRedisUrl(parser.value(QStringLiteral("redis"))).value();
    QString warning;
    auto server = plansight::setUpRedisCache(
        config, request.target.isDemo ? request.target.demoRoot : QString(), wanted, &warning);
    if (!warning.isEmpty())
        fputs(QStringLiteral("warning: %1\n").arg(warning).toUtf8().constData(), stderr);
    return server;
}

// p7-replica's standby (strategies/replicastrategy.h): --replica DSN names the user's; on the embedded demo PlanSight
// runs its own, and a standby that a killed PlanSight left running there is stopped now (the run starts it again).
void setUpReplica(const QCommandLineParser &parser, const BenchRequest &request)
{
    ReplicaConfig config;
    config.dsn = parser.value(QStringLiteral("replica")).trimmed();
    if (parser.isSet(QStringLiteral("replica-max-lag-ms")))
        config.maxLagMs = parser.value(QStringLiteral("replica-max-lag-ms")).toInt();
    setReplicaConfig(config);
    if (request.target.isDemo && config.dsn.isEmpty()) {
        LocalCluster standby(standbyRootOf(request.target.demoRoot));
        if (standby.exists()) {
            if (auto reaped = standby.reapOrphan(); reaped && *reaped)
                fputs("plansight: stopped the demo's standby, which an earlier PlanSight left running.\n", stderr);
        }
    }
}

// Worker thread (PgSession refuses the GUI thread): connects, prepares the session (the workloads, what --yes
// creates) and runs it into `outcome`. Returns the exit code when it ends before the runs.
std::optional<int> measure(const QCommandLineParser &parser, BenchRequest &request,
    const QList<SessionObserver *> &observers, BenchOutcome &outcome)
{
    auto conn = connectFromOptions(parser, request.options.statementTimeoutMs);
    if (!conn)
        return fail(conn.error());
    request.target.isDemo = conn->isDemo;
    request.target.label = conn->isDemo ? QString() : conn->label;
    if (conn->isDemo) {
        LocalCluster cluster(demoRootFromOptions(parser));
        request.target.demoRoot = cluster.rootDir();
        request.target.conninfo = cluster.conninfo(demoDatabase());
    } else {
        request.target.conninfo = parser.value(QStringLiteral("dsn"));
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
        request.options.workloads.append(w.value());
    } else {
        request.options.presets = parser.isSet(QStringLiteral("preset")) ? parser.values(QStringLiteral("preset"))
                                                                         : QStringList { QStringLiteral("canonical") };
    }
    setUpReplica(parser, request);
    auto plan = prepareBench(request, serverView(session));
    if (!plan)
        return fail(plan.error());
    if (parser.isSet(QStringLiteral("dry-run")))
        return printDryRun(plan.value(), session, conn->label);
    // p2-redis's Redis: --redis, or on the demo a server of its own, stopped when the session ends.
    auto redisServer = setUpRedisCache(parser, request);
    // p10-search's server: --search; without it the bench service uses the demo's own (strategies/searchstrategy.h).
    if (parser.isSet(QStringLiteral("search"))) {
        SearchConfig search;
        search.endpoint = parseSearchAddress(parser.value(QStringLiteral("search"))).value();
        setSearchConfig(search);
    }
    if (parser.isSet(QStringLiteral("cache-warm"))) {
        auto warmed = warmRedisCache(session, Workload(), parser.value(QStringLiteral("cache-warm")).toInt());
        const QString line = warmed
            ? QStringLiteral("p2-redis: %1 pages of the most used tags stored in Redis.\n").arg(*warmed)
            : QStringLiteral("warning: the cache was not warmed: %1\n").arg(warmed.error().toString());
        fputs(line.toUtf8().constData(), stderr);
    }
    // Against a server that is not the demo, nothing is created unasked: list what --yes will create.
    if (plan->options.applyMissing && !plan->target.isDemo) {
        QString text = QStringLiteral("With --yes, the session creates:\n");
        for (const QString &o : createdWithYes(plan.value()))
            text += QStringLiteral("  %1\n").arg(o);
        fputs(text.toUtf8().constData(), stderr);
    }
    // Where pg_cron does not refresh p1-matview and p8-tag-counts, PlanSight does for the time of the session.
    RefreshScheduler refresher(request.target.conninfo, RefreshIntervalSeconds,
        [](const QString &event) { fputs(QStringLiteral("%1\n").arg(event).toUtf8().constData(), stderr); });
    outcome = runBench(plan.value(), &interruptToken(), observers, std::move(conn->session));
    stopOwnedStandbys(); // the demo's standby runs for the session only
    return std::nullopt;
}

// Keeping strategies with objects of their own applied between strategies and sessions (BenchOptions::keepApplied).
void addKeepAppliedOptions(QCommandLineParser &parser)
{
    parser.addOption(QCommandLineOption(QStringLiteral("keep-applied"),
        QStringLiteral("Keep strategies whose objects are their own (tables, views, copies: no other strategy's plan "
                       "can use them) applied after their runs, for the next strategies and sessions (default on the "
                       "embedded demo; elsewhere they are reverted after their runs). Strategies adding indexes or "
                       "columns to the base tables are always reverted in turn.")));
    parser.addOption(QCommandLineOption(QStringLiteral("no-keep-applied"),
        QStringLiteral("Revert every strategy this session applied after its runs, on the demo too.")));
}

// --keep-applied / --no-keep-applied, or unset (the target's default); both is an error.
Result<std::optional<bool>> keepAppliedFromOptions(const QCommandLineParser &parser)
{
    const bool keep = parser.isSet(QStringLiteral("keep-applied"));
    const bool revert = parser.isSet(QStringLiteral("no-keep-applied"));
    if (keep && revert)
        return Error::make(errc::Input, QStringLiteral("Choose either --keep-applied or --no-keep-applied, not both."));
    if (keep || revert)
        return std::optional<bool>(keep);
    return std::optional<bool>();
}

void addBenchOptions(QCommandLineParser &parser)
{
    addConnectionOptions(parser);
    addChangeOptions(parser);
    auto opt = [&](const QString &name, const QString &help, const QString &value = {}) {
        parser.addOption(value.isEmpty() ? QCommandLineOption(name, help) : QCommandLineOption(name, help, value));
    };
    opt(QStringLiteral("expectations"),
        QStringLiteral("A review's expectations to hold the session against (JSON; docs/gallery.md, \"The verdict\"); "
                       "default: the built-in review's."),
        QStringLiteral("FILE"));
    opt(QStringLiteral("strategies"),
        QStringLiteral("Strategies to run, comma-separated ids, or 'all' (default). An id may carry setting overrides "
                       "in brackets: 'baseline [jit=off]' (see --settings)."),
        QStringLiteral("IDS"));
    opt(QStringLiteral("settings"),
        QStringLiteral("Also run every strategy of --strategies under these setting overrides, as extra rows named "
                       "'<id> [<overrides>]': name=value pairs separated by ';' (\"jit=off;work_mem=64MB\"), or a "
                       "preset: \"jit off\" (jit=off) or \"no parallel\" (max_parallel_workers_per_gather=0). "
                       "Repeatable: each --settings adds one variant of each strategy. Only settings that change plans "
                       "or speed (planner costs, enable_*, memory, parallelism, JIT); the server checks names and "
                       "values before anything runs."),
        QStringLiteral("OVERRIDES"));
    addWorkloadOptions(parser);
    opt(QStringLiteral("runs"), QStringLiteral("Measured runs per strategy and workload (default 10)."),
        QStringLiteral("N"));
    opt(QStringLiteral("warmup"), QStringLiteral("Warm-up runs before measuring (default 2)."), QStringLiteral("N"));
    opt(QStringLiteral("cold"),
        QStringLiteral("Cold cache: restart the embedded demo cluster before every measured run (demo only)."));
    opt(QStringLiteral("timeout-ms"), QStringLiteral("Statement timeout for every statement (default 60000)."),
        QStringLiteral("N"));
    opt(QStringLiteral("budget"),
        QStringLiteral("Time budget per strategy and workload, in seconds: once spent, the remaining warm-up and "
                       "measured runs are skipped (at least one measured run; default none)."),
        QStringLiteral("S"));
    opt(QStringLiteral("no-prepared"),
        QStringLiteral("Time only the statement sent each time, not also the same statement prepared once and "
                       "executed (which doubles the executions)."));
    opt(QStringLiteral("no-whatif"),
        QStringLiteral("Do not predict, before building a strategy with indexes, its plan and index sizes with HypoPG "
                       "(the runs' notes put them beside the built ones)."));
    opt(QStringLiteral("no-check"),
        QStringLiteral("Do not compare pages with the baseline (the baseline is then not added)."));
    opt(QStringLiteral("json"), QStringLiteral("Also write the session as JSON to FILE ('-' for standard output)."),
        QStringLiteral("FILE"));
    opt(QStringLiteral("pdf"), QStringLiteral("Also write the PDF report of the session to FILE."),
        QStringLiteral("FILE"));
    opt(QStringLiteral("pdf-page-size"), QStringLiteral("The PDF report's paper: a4 (default) or letter."),
        QStringLiteral("SIZE"));
    opt(QStringLiteral("no-history"), QStringLiteral("Do not record the session in the history."));
    opt(QStringLiteral("note"), QStringLiteral("A note stored with the session."), QStringLiteral("TEXT"));
    opt(QStringLiteral("redis"),
        QStringLiteral("The Redis server p2-redis caches in: redis://host:port/db or unix:///path (default on the "
                       "embedded demo: a server of its own; elsewhere none, and the inner strategy answers)."),
        QStringLiteral("URL"));
    opt(QStringLiteral("cache-over"), QStringLiteral("The strategy p2-redis caches (default baseline)."),
        QStringLiteral("ID"));
    opt(QStringLiteral("cache-warm"),
        QStringLiteral("Before the runs, store in Redis the first page of each of the N most used tags."),
        QStringLiteral("N"));
    opt(QStringLiteral("cache-bypass"), QStringLiteral("p2-redis does not ask Redis: the inner strategy answers."));
    opt(QStringLiteral("cache-ttl"), QStringLiteral("How long p2-redis keeps a page, in seconds (default 300)."),
        QStringLiteral("S"));
    opt(QStringLiteral("cache-visibility"),
        QStringLiteral(
            "Measure p2-redis's write-to-visible time: one item written and deleted again, with invalidation "
            "and with the TTL only (when --cache-ttl is 60 or less)."));
    opt(QStringLiteral("replica"),
        QStringLiteral("The streaming standby p7-replica reads from, as a connection string (default on the embedded "
                       "demo: a standby of its own; elsewhere none, and the primary answers)."),
        QStringLiteral("DSN"));
    opt(QStringLiteral("replica-max-lag-ms"),
        QStringLiteral("p7-replica: a standby lagging further behind than this (a marker row not visible on it within "
                       "N ms) does not answer; the primary does (default 5000)."),
        QStringLiteral("N"));
    opt(QStringLiteral("search"),
        QStringLiteral("The search server p10-search indexes into and asks: a xapian-tcpsrv --writable at HOST:PORT "
                       "(default on the embedded demo: a server of its own; elsewhere none, and PostgreSQL answers)."),
        QStringLiteral("HOST:PORT"));
    opt(QStringLiteral("yes"),
        QStringLiteral("Apply strategies that are not applied yet, after listing the objects they create "
                       "(always done on the embedded demo)."));
    opt(QStringLiteral("no-wait"),
        QStringLiteral("When another PlanSight session is measuring or changing this database, fail at once instead of "
                       "waiting for it."));
    addKeepAppliedOptions(parser);
}

// The run's settings from the options (the workloads need the server: measure() adds them); an error when one is
// out of range or a strategy id is unknown.
Result<BenchRequest> requestFromOptions(const QCommandLineParser &parser)
{
    BenchRequest request;
    BenchOptions &options = request.options;
    auto runs = intOption(parser, QStringLiteral("runs"), 10, 1, 10000);
    auto warmup = intOption(parser, QStringLiteral("warmup"), 2, 0, 1000);
    auto timeout = intOption(parser, QStringLiteral("timeout-ms"), 60000, 1, 24 * 3600 * 1000);
    auto budget = intOption(parser, QStringLiteral("budget"), 0, 0, 7 * 24 * 3600);
    for (const auto *r : { &runs, &warmup, &timeout, &budget })
        if (!r->ok())
            return r->error();
    options.runs = runs.value();
    options.warmupRuns = warmup.value();
    options.statementTimeoutMs = timeout.value();
    options.runBudgetMs = qint64(budget.value()) * 1000;
    options.cache = parser.isSet(QStringLiteral("cold")) ? CacheState::Cold : CacheState::Warm;
    options.checkResults = !parser.isSet(QStringLiteral("no-check"));
    options.measurePrepared = !parser.isSet(QStringLiteral("no-prepared"));
    options.predictIndexes = !parser.isSet(QStringLiteral("no-whatif"));
    options.applyMissing = parser.isSet(QStringLiteral("yes"));
    options.waitForLock = !parser.isSet(QStringLiteral("no-wait"));
    auto lockTimeout = lockTimeoutFromOptions(parser);
    if (!lockTimeout)
        return lockTimeout.error();
    options.lockTimeoutMs = lockTimeout.value();
    auto keep = keepAppliedFromOptions(parser);
    if (!keep)
        return keep.error();
    options.keepApplied = keep.value();
    options.note = parser.value(QStringLiteral("note"));
    request.strategyIds = parser.value(QStringLiteral("strategies")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    // A wrong id fails before connecting (the service parses the ids; this is the same parser).
    auto strategies = strategiesFromIds(request.strategyIds);
    if (!strategies)
        return strategies.error();
    for (const QString &text : parser.values(QStringLiteral("settings"))) {
        auto settings = parseSettingOverrides(text);
        if (!settings)
            return Error::make(errc::Input, QStringLiteral("--settings \"%1\": %2").arg(text, settings.error().message),
                QString(), settings.error().hint);
        request.settingsVariants.append(settings.value());
    }
    if (auto variants = withSettingsVariants(strategies.value(), request.settingsVariants); !variants)
        return variants.error();
    if (parser.isSet(QStringLiteral("redis"))) {
        if (auto url = parseRedisUrl(parser.value(QStringLiteral("redis"))); !url)
            return url.error();
    }
    if (parser.isSet(QStringLiteral("search"))) {
        if (auto endpoint = parseSearchAddress(parser.value(QStringLiteral("search"))); !endpoint)
            return endpoint.error();
    }
    if (auto warm = intOption(parser, QStringLiteral("cache-warm"), 0, 0, 10000); !warm)
        return warm.error();
    if (auto ttl = intOption(parser, QStringLiteral("cache-ttl"), 300, 1, 86400); !ttl)
        return ttl.error();
    if (auto lag = intOption(parser, QStringLiteral("replica-max-lag-ms"), 5000, 1, 3600 * 1000); !lag)
        return lag.error();
    if (parser.isSet(QStringLiteral("replica")) && parser.value(QStringLiteral("replica")).trimmed().isEmpty())
        return Error::make(errc::Input, QStringLiteral("--replica needs the standby's connection string."), QString(),
            QStringLiteral("For example: --replica 'host=replica1 dbname=gallery'."));
    if (parser.isSet(QStringLiteral("cache-over"))) {
        const QString inner = parser.value(QStringLiteral("cache-over")).trimmed().toLower();
        if (!strategyById(inner) || inner.startsWith(QLatin1String("p2-redis")))
            return Error::make(errc::Input,
                QStringLiteral("--cache-over %1 is not a strategy p2-redis can cache.").arg(inner), QString(),
                QStringLiteral("Give the id of another strategy: plansight strategies list."));
    }
    return request;
}

// The exit code of a session that ran: an error, a cancel, or runs that could not be measured or ranked.
int exitCode(const BenchOutcome &outcome)
{
    if (outcome.error)
        return fail(*outcome.error);
    if (outcome.cancelled)
        return fail(Error::make(errc::Cancelled,
            QStringLiteral("Cancelled; the %1 runs measured so far are shown and recorded.")
                .arg(outcome.session.runs.size())));
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

int runBench(const QStringList &args)
{
    QCommandLineParser parser;
    addBenchOptions(parser);
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral("Run the gallery query under each strategy: warm-up runs, measured runs, one EXPLAIN "
                           "ANALYZE, the result check against the baseline. Prints the comparison and records it."),
            rc))
        return rc;
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("bench takes no positional arguments (see --help)"));
    if (parser.isSet(QStringLiteral("pdf-page-size"))
        && !QStringList { QStringLiteral("a4"), QStringLiteral("letter") }.contains(
            parser.value(QStringLiteral("pdf-page-size"))))
        return usageError(QStringLiteral("--pdf-page-size takes a4 or letter"));
    if (parser.isSet(QStringLiteral("preset")) && parser.isSet(QStringLiteral("tag")))
        return usageError(QStringLiteral("give either --preset or --tag, not both"));
    if (parser.isSet(QStringLiteral("preset")) && parser.isSet(QStringLiteral("by-cursor")))
        return usageError(
            QStringLiteral("--by-cursor goes with --tag and --page; for presets use --preset deep-cursor"));

    ReviewExpectations expectations = builtinExpectations();
    if (parser.isSet(QStringLiteral("expectations"))) {
        auto loaded = loadExpectationsFile(parser.value(QStringLiteral("expectations")));
        if (!loaded)
            return fail(loaded.error());
        expectations = std::move(loaded).value();
    }

    auto built = requestFromOptions(parser);
    if (!built)
        return fail(built.error());
    BenchRequest request = built.value();
    const BenchOptions &options = request.options;

    std::optional<ReportOptions> pdf;
    if (parser.isSet(QStringLiteral("pdf"))) {
        pdf.emplace();
        pdf->expectations = expectations;
        if (parser.isSet(QStringLiteral("pdf-page-size")))
            pdf->pageSize = reportPageSizeFromString(parser.value(QStringLiteral("pdf-page-size"))).value();
    }

    // With --json -, standard output carries the JSON alone: the table goes to standard error.
    const bool jsonToStdout = parser.value(QStringLiteral("json")) == QLatin1String("-");
    Printer printer(
        jsonToStdout, options.cache == CacheState::Cold ? 0 : options.warmupRuns, options.runs, expectations);
    HistoryRecorder recorder;
    QList<SessionObserver *> observers;
    if (!parser.isSet(QStringLiteral("no-history")))
        observers.append(&recorder); // first: the printer's header names the history id
    observers.append(&printer);

    // The server work, on a thread of its own (see the top of this file). It returns an exit code when the bench
    // ends before measuring anything; otherwise `outcome` holds the session.
    BenchOutcome outcome;
    std::optional<int> early;
    std::unique_ptr<QThread> worker(QThread::create([&] { early = measure(parser, request, observers, outcome); }));
    worker->setObjectName(QStringLiteral("bench"));
    worker->start();
    worker->wait();
    printer.endLine();
    if (early)
        return *early;

    if (parser.isSet(QStringLiteral("json")) && !outcome.session.runs.isEmpty()) {
        QString error;
        if (!writeJson(parser.value(QStringLiteral("json")), outcome.session, expectations, &error))
            return fail(Error::make(errc::Io, error));
    }

    // The report is painted here, on the main thread, which holds the QApplication.
    if (pdf && !outcome.session.runs.isEmpty()) {
        // Runs cancelled with Ctrl-C still get the report of what they measured (a second Ctrl-C quits at once);
        // otherwise Ctrl-C cancels the report between pages and leaves no file.
        CancelToken *cancel = interruptToken().isCancelled() ? nullptr : &interruptToken();
        ProgressPrinter reportProgress(5000, false);
        const Status st
            = writeReport(outcome.session, parser.value(QStringLiteral("pdf")), *pdf, cancel, std::ref(reportProgress));
        reportProgress.finish();
        if (!st)
            return fail(st.error());
    }

    return exitCode(outcome);
}

} // namespace

// A GUI verb: --pdf paints in this process (see the top of this file).
PLANSIGHT_CLI_GUI_VERB(bench, "bench", "Measure strategies on the gallery query and record the session", runBench);

// ---- shared with the run verb (cli/benchshared.h) ----------------------------------------------------------------

namespace {
class SharedPrinter : public BenchPrinter {
public:
    // An experiment answers no review: no verdict table (present/verdict.h).
    SharedPrinter(bool tableToStderr, int warmupRuns, int runs)
        : m_printer(tableToStderr, warmupRuns, runs, ReviewExpectations {})
    {
    }
    void progress(qint64 done, qint64 total, const QString &text) override { m_printer.progress(done, total, text); }
    void notice(const QString &text) override { m_printer.notice(text); }
    void warning(const QString &text) override { m_printer.warning(text); }
    QStringList sessionFinished(const SessionResult &session) override { return m_printer.sessionFinished(session); }
    void endLine() override { m_printer.endLine(); }

private:
    Printer m_printer;
};
} // namespace

std::unique_ptr<BenchPrinter> makeBenchPrinter(bool tableToStderr, int warmupRuns, int runs)
{
    return std::make_unique<SharedPrinter>(tableToStderr, warmupRuns, runs);
}

bool writeSessionJson(const QString &path, const SessionResult &session, QString *error)
{
    return writeJson(path, session, ReviewExpectations {}, error);
}

int sessionExitCode(const BenchOutcome &outcome)
{
    return exitCode(outcome);
}

Result<int> intOptionValue(const QCommandLineParser &parser, const QString &name, int fallback, int min, int max)
{
    return intOption(parser, name, fallback, min, max);
}

void addWorkloadOptions(QCommandLineParser &parser)
{
    auto opt = [&](const QString &name, const QString &help, const QString &value = {}) {
        parser.addOption(value.isEmpty() ? QCommandLineOption(name, help) : QCommandLineOption(name, help, value));
    };
    opt(QStringLiteral("preset"),
        QStringLiteral("A workload preset: canonical, canonical-5x, multi-tag, no-tag, multi-all, deep-page, "
                       "deep-cursor, rare-tag "
                       "(repeatable; default canonical when no --tag is given)."),
        QStringLiteral("NAME"));
    opt(QStringLiteral("tag"), QStringLiteral("A tag name or UUID (repeatable, or comma-separated)."),
        QStringLiteral("T"));
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
}

Result<Workload> customWorkloadFromOptions(const QCommandLineParser &parser, PgSession &session)
{
    return workloadFromOptions(parser, session);
}

} // namespace plansight::cli
