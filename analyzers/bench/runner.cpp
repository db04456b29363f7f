#include "bench/runner.h"

#include "bench/machinestate.h"
#include "gallery/demogenerator.h"
#include "history/historystore.h"
#include "pg/localcluster.h"
#include "session/runfields.h"
#include "strategies/footprint.h"
#include "strategies/isolation.h"
#include "strategies/safety.h"
#include "util/sqlfiles.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace plansight {

namespace {

constexpr int MaxRuns = 10000;
constexpr int MaxWarmups = 1000;

QString paramAsText(const QVariant &v)
{
    if (v.isNull())
        return QStringLiteral("NULL");
    if (v.typeId() == QMetaType::QStringList)
        return QString::fromUtf8(toPgArrayLiteral(v.toStringList()));
    return v.toString();
}

bool isConnectionLoss(const Error &e)
{
    return e.code == errc::Connection;
}

// The error that ends a session whose connection went away, whatever the server said last (a FATAL
// "terminating connection" carries its own SQLSTATE, libpq's own failures carry errc::Connection).
Error connectionLost(const Error &cause, const QString &during)
{
    const QString message = isConnectionLoss(cause)
        ? QStringLiteral("The connection to the server was lost during %1.").arg(during)
        : QStringLiteral("The connection to the server was lost during %1: %2").arg(during, cause.message);
    return Error::make(errc::Connection, message, cause.detail,
        QStringLiteral("Check that the server is running; the runs measured before are kept."));
}

} // namespace

// ---- pure helpers -------------------------------------------------------------------------------------------

ResultCheck comparePages(const QStringList &baseline, const QStringList &page, bool mayBeStale, QString *detail)
{
    if (baseline.isEmpty() && page.isEmpty()) {
        // Nothing to compare: a strategy that returns nothing at all would pass.
        if (detail)
            *detail = QStringLiteral("both pages are empty, which proves nothing");
        return ResultCheck::BothEmpty;
    }
    if (baseline == page) {
        if (detail)
            detail->clear();
        return ResultCheck::Same;
    }
    if (detail) {
        const qsizetype common = std::min(baseline.size(), page.size());
        qsizetype i = 0;
        while (i < common && baseline[i] == page[i])
            ++i;
        if (i < common)
            *detail = QStringLiteral("first difference at row %1: baseline %2, this strategy %3 (%4 rows vs %5)")
                          .arg(i + 1)
                          .arg(baseline[i], page[i])
                          .arg(baseline.size())
                          .arg(page.size());
        else if (page.size() < baseline.size())
            *detail = QStringLiteral("%1 rows instead of the baseline's %2: row %3 (baseline %4) is missing")
                          .arg(page.size())
                          .arg(baseline.size())
                          .arg(i + 1)
                          .arg(baseline[i]);
        else
            *detail = QStringLiteral("%1 rows instead of the baseline's %2: row %3 (%4) is extra")
                          .arg(page.size())
                          .arg(baseline.size())
                          .arg(i + 1)
                          .arg(page[i]);
    }
    return mayBeStale ? ResultCheck::Stale : ResultCheck::Different;
}

Result<ExplainTimes> explainTimes(const QByteArray &explainJson)
{
    // The declared run fields say where the EXPLAIN gives them (session/runfields.h).
    StrategyRun run;
    run.planJson = explainJson;
    if (auto st = setFieldsFromExplain(run); !st)
        return st.error();
    return ExplainTimes { run.serverMs, run.planningMs };
}

// ---- the runner ---------------------------------------------------------------------------------------------

struct BenchRunner::Impl {
    BenchTarget target;
    std::unique_ptr<PgSession> session;
    std::mutex sessionMutex; // guards `session` against the cancel callback (another thread)
    CancelToken *cancel = nullptr;
    ProgressFn progressFn;
    qint64 done = 0;
    qint64 total = 0;
    int statementTimeoutMs = 0;
    bool mayChange = false; // may apply strategies, create HypoPG, lock tables for the write cost
    bool hiding = false; // other strategies' indexes can be hidden (HypoPG 1.4+), so they may stay applied
    bool waitForLock = true;
    BenchRunner::NoticeFn noticeFn;
    // While a revert cleans up after a cancel, a further cancel must not interrupt it (the runner's callback
    // then leaves the running statement alone; the next step still sees the token).
    std::atomic<bool> shielded { false };

    // Isolation of the strategy being measured, redone after every reconnect (hidden indexes are per session).
    const Strategy *underTest = nullptr;
    QList<std::shared_ptr<Strategy>> otherApplied;
    std::optional<IsolationReport> isolation;
    QStringList visible; // other strategies whose objects the runs of underTest see (not-isolated)
    // Measured strategies that were applied before the session on a server that is not the demo, reverted so that
    // the others are measured without them: applied again at the end, so the DBA finds the database as it was.
    QList<std::shared_ptr<Strategy>> restoreAtEnd;

    bool cancelled() const { return cancel && cancel->isCancelled(); }
    // A statement stopped by the user (not by the statement timeout, which shares SQLSTATE 57014).
    bool isCancelError(const Error &e) const { return e.code == errc::Cancelled || (e.isCancel() && cancelled()); }

    void step(const QString &text, qint64 units = 1)
    {
        done += units;
        if (progressFn)
            progressFn(done, total, text);
    }

    void cancelRunningStatement()
    {
        if (shielded.load())
            return;
        std::lock_guard lock(sessionMutex);
        if (session)
            session->cancel();
    }

    void notice(const QString &text)
    {
        if (noticeFn)
            noticeFn(text);
        if (progressFn)
            progressFn(done, total, text);
    }

    // The database lock (strategies/safety.h), held by this session's connection until it closes.
    Status lockDatabase()
    {
        return acquireDatabaseLock(*session, waitForLock, cancel, [this](const QString &t) { notice(t); });
    }

    Status connect()
    {
        PgSession::Options opts;
        opts.statementTimeoutMs = statementTimeoutMs;
        opts.applicationName = QStringLiteral("PlanSight bench");
        auto s = PgSession::connect(target.conninfo, opts);
        if (!s)
            return s.error();
        std::lock_guard lock(sessionMutex);
        session = std::move(s.value());
        // A cancel that arrived while there was no session must still stop the next statement.
        if (cancelled())
            session->cancel();
        return {};
    }

    // Cold runs: the embedded cluster is restarted (its shared buffers are empty afterwards) and the
    // connection made again.
    Status restartCluster()
    {
        {
            std::lock_guard lock(sessionMutex);
            session.reset();
        }
        LocalCluster cluster(target.demoRoot);
        if (auto st = cluster.restart(); !st)
            return Error::make(st.error().code,
                QStringLiteral("Restarting the embedded cluster for a cold run failed: %1").arg(st.error().message),
                st.error().detail, st.error().hint);
        if (auto st = connect(); !st)
            return st;
        // The lock went with the old connection.
        if (auto st = lockDatabase(); !st)
            return st;
        if (underTest && isolation && isolation->isolated) {
            auto again = isolateStrategy(*session, *underTest, otherApplied, mayChange);
            if (!again)
                return again.error();
            isolation = again.value();
        }
        return {};
    }

    // The strategies whose objects are in the database now (applied or partly there), from the catalog
    // and the session's own list.
    Result<QList<std::shared_ptr<Strategy>>> appliedStrategies(const QList<std::shared_ptr<Strategy>> &extra)
    {
        QList<std::shared_ptr<Strategy>> out;
        QSet<QString> seen;
        for (const auto &s : allStrategies() + extra) {
            if (!s || seen.contains(s->id()) || !s->info().needsObjects)
                continue;
            seen.insert(s->id());
            auto st = s->status(*session);
            if (!st)
                return st.error();
            if (st->state != StrategyState::NotApplied)
                out.append(s);
        }
        return out;
    }

    SessionInfo describeSession(QStringList &warnings);
    QList<std::shared_ptr<Strategy>> orderStrategies(const BenchOptions &options, std::optional<Error> &error);
    Footprint footprintOf(Strategy &strategy, const BenchOptions &options, QStringList &warnings);
    // Makes sure the strategy's objects are there. Returns the reason it cannot run (skipped), or an error.
    // `appliedHere` tells whether this call applied it.
    Result<QString> prepare(Strategy &strategy, const BenchOptions &options, Footprint &footprint, bool &appliedHere,
        QStringList &warnings);
    // Hides the other applied strategies' indexes from this session (HypoPG) and records in `visible` the
    // strategies whose objects the runs of `strategy` still see (their runs become not-isolated).
    Status isolate(const Strategy &strategy, const QList<std::shared_ptr<Strategy>> &sessionStrategies);
    // Before anything is measured: reverts (or refuses, see BenchOptions::applyMissing) the objects the runs
    // would see that this session did not make.
    Status startFromKnownState(
        const QList<std::shared_ptr<Strategy>> &strategies, const BenchOptions &options, QStringList &warnings);
    // True when `strategy`, applied by this session, is reverted after its runs (no hiding, or it adds columns).
    bool revertsInTurn(const Strategy &strategy) const { return !hiding || addsColumns(strategy); }
    // Reverts a strategy this session applied (after its runs, or after a cancel) with a fresh state, and on
    // the demo compacts the tables it rewrote; what could not be done becomes a warning with the command that
    // finishes it.
    void revertInTurn(Strategy &strategy, const StrategyInfo &info, const BenchOptions &options, QStringList &warnings);
    // VACUUM (FULL, ANALYZE) of the tables `info` rewrote (only on the demo), under the apply timeout; false, with a
    // warning naming the command that finishes it, when it did not complete (a cancel included).
    bool compact(const StrategyInfo &info, const BenchOptions &options, QStringList &warnings);
    // Applies again what startFromKnownState() reverted on a server that is not the demo (restoreAtEnd); what it
    // cannot (a cancel, an error) becomes a warning with the command that does it.
    void restoreState(const BenchOptions &options, QStringList &warnings, bool failed);
    // Measures one strategy on one workload. `fatal` receives an error that must end the session.
    StrategyRun measure(Strategy &strategy, const StrategyInfo &info, const Workload &workload,
        const BenchOptions &options, std::optional<Error> &fatal);
};

BenchRunner::BenchRunner(BenchTarget target) : d(std::make_unique<Impl>())
{
    d->target = std::move(target);
}

BenchRunner::BenchRunner(BenchTarget target, std::unique_ptr<PgSession> session) : BenchRunner(std::move(target))
{
    d->session = std::move(session);
}

BenchRunner::~BenchRunner() = default;

Status BenchRunner::validate(const BenchOptions &options, const BenchTarget &target)
{
    auto bad = [](const QString &msg) { return Error::make(errc::Input, msg); };
    if (options.runs < 1 || options.runs > MaxRuns)
        return bad(QStringLiteral("The number of measured runs must be between 1 and %1.").arg(MaxRuns));
    if (options.warmupRuns < 0 || options.warmupRuns > MaxWarmups)
        return bad(QStringLiteral("The number of warm-up runs must be between 0 and %1.").arg(MaxWarmups));
    if (options.statementTimeoutMs <= 0 || options.applyTimeoutMs <= 0)
        return bad(QStringLiteral("The statement timeout must be a positive number of milliseconds."));
    if (options.runBudgetMs < 0)
        return bad(QStringLiteral("The time budget must be a positive number of seconds, or 0 for none."));
    if (options.strategies.isEmpty())
        return bad(QStringLiteral("Choose at least one strategy to run."));
    for (const auto &s : options.strategies) {
        if (!s)
            return bad(QStringLiteral("A strategy in the list does not exist."));
    }
    if (options.workloads.isEmpty() && options.presets.isEmpty())
        return bad(QStringLiteral("Describe at least one workload (a preset or tags, sources and a page)."));
    for (const Workload &w : options.workloads) {
        if (auto st = w.validate(); !st)
            return st;
    }
    if (options.cache == CacheState::Cold && (!target.isDemo || target.demoRoot.isEmpty()))
        return bad(QStringLiteral("Cold-cache runs restart the server, so they are only possible on the embedded demo."));
    if (target.isDemo && target.demoRoot.isEmpty() && options.cache == CacheState::Cold)
        return bad(QStringLiteral("The embedded demo's directory is not known."));
    return {};
}

SessionInfo BenchRunner::Impl::describeSession(QStringList &warnings)
{
    SessionInfo info;
    info.startedAt = QDateTime::currentDateTimeUtc();
    info.server = target.label.isEmpty() ? session->describe() : target.label;
    info.serverVersion = session->serverVersion();
    info.database = session->database();
    info.isDemo = target.isDemo;
    info.planSightVersion = QStringLiteral(PLANSIGHT_VERSION);
    // The client machine's load and memory: timings measured on a busy machine are said to be so.
    info.machineAtStart = readMachineState();
    if (info.machineAtStart.busy())
        warnings.append(info.busyWarning());

    if (auto r = session->exec(sql(QStringLiteral("catalog/server_settings"))); r) {
        const int name = r->column("name"), setting = r->column("setting"), unit = r->column("unit");
        for (int i = 0; i < r->rows(); ++i)
            info.settings.append({ r->value(i, name), r->value(i, setting) + r->value(i, unit) });
    } else {
        warnings.append(QStringLiteral("The server's settings could not be read: %1").arg(r.error().message));
    }

    auto demoInfo = readDemoInfo(*session);
    if (demoInfo && demoInfo->has_value()) {
        info.datasetFingerprint = (*demoInfo)->fingerprint;
        info.dataset = (*demoInfo)->toJson();
    } else if (auto est = session->exec(sql(QStringLiteral("bench/table_estimates"))); est) {
        // Not a PlanSight demo: the planner's row estimates describe the data set (no fingerprint: reading
        // every row of a production table is not PlanSight's to do unasked).
        QJsonObject counts;
        for (int i = 0; i < est->rows(); ++i)
            counts.insert(est->value(i, 0), est->toLongLong(i, 1));
        info.dataset.insert(QStringLiteral("estimated_rows"), counts);
    }
    return info;
}

QList<std::shared_ptr<Strategy>> BenchRunner::Impl::orderStrategies(const BenchOptions &options,
    std::optional<Error> &error)
{
    QList<std::shared_ptr<Strategy>> out;
    QSet<QString> seen;
    for (const auto &s : options.strategies) {
        const QString id = s->id();
        if (seen.contains(id))
            continue; // the same strategy twice would only be measured twice
        seen.insert(id);
        out.append(s);
    }
    // Strategies that rewrite base tables go last: until their tables are compacted, everything measured
    // after them would run on tables several times their size (StrategyInfo::rewritesTables).
    std::stable_partition(out.begin(), out.end(), [](const auto &s) { return s->info().rewritesTables.isEmpty(); });
    if (!options.checkResults)
        return out;
    const auto it = std::find_if(out.begin(), out.end(), [](const auto &s) { return s->id() == QLatin1String("baseline"); });
    if (it != out.end()) {
        auto base = *it;
        out.erase(it);
        out.prepend(base);
        return out;
    }
    auto base = strategyById(QStringLiteral("baseline"));
    if (!base) {
        error = Error::make(errc::Missing, QStringLiteral("The result check needs the baseline strategy, which is missing."));
        return {};
    }
    out.prepend(base);
    return out;
}

Footprint BenchRunner::Impl::footprintOf(Strategy &strategy, const BenchOptions &options, QStringList &warnings)
{
    Footprint fp;
    const QString id = strategy.id();
    if (auto measured = measureFootprint(*session, strategy); measured)
        fp = measured.value();
    else if (!isCancelError(measured.error()))
        warnings.append(QStringLiteral("The footprint of %1 could not be measured: %2").arg(id, measured.error().message));
    if (options.measureWriteCost && mayChange && !cancelled()) {
        if (auto st = measureWriteCosts(*session, strategy, fp, cancel); !st && !isCancelError(st.error()))
            warnings.append(QStringLiteral("The write cost of %1 could not be measured: %2").arg(id, st.error().message));
        if (session)
            session->resetCancel(); // a cancel during the write cost is honoured at the next step
        if (cancelled() && session)
            session->cancel();
    }
    return fp;
}

Result<QString> BenchRunner::Impl::prepare(Strategy &strategy, const BenchOptions &options, Footprint &footprint,
    bool &appliedHere, QStringList &warnings)
{
    appliedHere = false;
    const StrategyInfo info = strategy.info();
    auto st = strategy.status(*session);
    if (!st)
        return st.error();
    if (st->state != StrategyState::Applied) {
        const QString what = st->state == StrategyState::Broken
            ? QStringLiteral("is damaged (missing: %1)").arg(st->missing.join(QStringLiteral(", ")))
            : QStringLiteral("is not applied");
        if (!mayChange)
            return QStringLiteral("Strategy %1 %2 on this server; apply it with `plansight strategies apply %1 --yes` "
                                  "or run the benchmark with --yes.")
                .arg(info.id, what);
        const qint64 base = done;
        ProgressFn applyProgress = [&](qint64 d, qint64 t, const QString &text) {
            if (progressFn)
                progressFn(base, total, QStringLiteral("%1: applying (%2 of %3) %4").arg(info.id).arg(d).arg(t).arg(text));
        };
        if (auto st = session->setStatementTimeout(std::max(options.applyTimeoutMs, options.statementTimeoutMs)); !st)
            return st.error();
        const Status applied = strategy.apply(*session, cancel, applyProgress);
        shielded = true;
        waitForCancelCallbacks(cancel);
        session->resetCancel();
        if (!applied && st->state == StrategyState::NotApplied && session->isAlive()) {
            // A cancelled or failed apply leaves nothing behind: whatever it committed goes again.
            auto now = strategy.status(*session);
            if (now && now->state != StrategyState::NotApplied) {
                if (auto undone = revertAfterCancel(strategy, *session, cancel); !undone)
                    warnings.append(QStringLiteral("%1 %2").arg(undone.error().message, undone.error().hint));
            }
        }
        shielded = false;
        if (auto st = session->setStatementTimeout(options.statementTimeoutMs); !st)
            return st.error();
        if (cancelled())
            session->cancel();
        if (!applied)
            return applied.error();
        appliedHere = info.needsObjects;
    }
    footprint = footprintOf(strategy, options, warnings);
    if (cancelled())
        return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    step(QStringLiteral("%1: ready").arg(info.id));
    return QString();
}

Status BenchRunner::Impl::isolate(const Strategy &strategy, const QList<std::shared_ptr<Strategy>> &sessionStrategies)
{
    underTest = nullptr;
    isolation.reset();
    auto applied = appliedStrategies(sessionStrategies);
    if (!applied)
        return applied.error();
    otherApplied.clear();
    for (const auto &s : applied.value()) {
        if (s->id() != strategy.id())
            otherApplied.append(s);
    }
    auto report = isolateStrategy(*session, strategy, otherApplied, mayChange);
    if (!report)
        return report.error();
    underTest = &strategy;
    isolation = report.value();
    // What the runs of `strategy` see: the objects of other strategies that change plans, unless hidden.
    visible.clear();
    for (const auto &s : otherApplied) {
        if (!changesOtherPlans(*s))
            continue;
        const QStringList indexes = s->indexNames();
        const bool hidden = !addsColumns(*s) && !indexes.isEmpty()
            && std::all_of(
                indexes.begin(), indexes.end(), [&](const QString &i) { return report->hidden.contains(i); });
        if (!hidden)
            visible.append(s->id());
    }
    return {};
}

Status BenchRunner::Impl::startFromKnownState(
    const QList<std::shared_ptr<Strategy>> &strategies, const BenchOptions &options, QStringList &warnings)
{
    restoreAtEnd.clear();
    QSet<QString> measured;
    for (const auto &s : strategies)
        measured.insert(s->id());
    QList<std::shared_ptr<Strategy>> toRevert;
    QStringList refused;
    QStringList refusedIds;
    for (const auto &s : allStrategies() + strategies) {
        if (!s || !s->info().needsObjects)
            continue;
        if (std::any_of(toRevert.begin(), toRevert.end(), [&](const auto &t) { return t->id() == s->id(); })
            || refusedIds.contains(s->id()))
            continue;
        auto st = s->status(*session);
        if (!st)
            return st.error();
        if (st->state == StrategyState::NotApplied)
            continue;
        // Objects that hiding takes away from other runs (or that no run can see) may stay.
        const bool seen = changesOtherPlans(*s) && (!hiding || addsColumns(*s) || st->state == StrategyState::Broken);
        if (!seen)
            continue;
        if (measured.contains(s->id())) {
            // Applied again in its turn; without the right to change anything, the runs that see it say so.
            if (mayChange) {
                toRevert.append(s);
                if (!target.isDemo && st->state == StrategyState::Applied)
                    restoreAtEnd.append(s);
            }
            continue;
        }
        if (target.isDemo) {
            toRevert.append(s);
        } else {
            refusedIds.append(s->id());
            refused.append(QStringLiteral("%1 (%2)").arg(s->id(), st->present.join(QStringLiteral(", "))));
        }
    }
    if (!refused.isEmpty())
        return Error::make(QStringLiteral("PSSTATE"),
            QStringLiteral(
                "The database holds objects of strategies this benchmark does not measure, and every run would see "
                "them: %1.")
                .arg(refused.join(QStringLiteral("; "))),
            QString(),
            QStringLiteral("Revert them first (%1), or add them to the strategies to measure.")
                .arg(QStringLiteral("plansight strategies revert ") + refusedIds.join(QLatin1Char(' '))));
    for (const auto &s : toRevert) {
        const StrategyInfo info = s->info();
        if (progressFn)
            progressFn(done, total, QStringLiteral("%1: reverting what an earlier session left").arg(info.id));
        if (auto st = s->revert(*session, cancel); !st) {
            if (isCancelError(st.error()))
                return st.error();
            return Error::make(st.error().code,
                QStringLiteral("%1 is in the database and could not be reverted before measuring: %2")
                    .arg(info.id, st.error().message),
                st.error().detail, QStringLiteral("Revert it with: %1").arg(revertCommand(info.id)));
        }
        warnings.append(
            measured.contains(info.id) ? QStringLiteral(
                "%1 was already applied: reverted before measuring, so that the strategies measured before it do not "
                "see its objects; it is applied again in its turn.")
                                             .arg(info.id)
                                       : QStringLiteral("%1 was applied (left by an earlier session) and is not "
                                                        "measured now: reverted before measuring, so "
                                                        "that no run sees its objects.")
                                             .arg(info.id));
        if (!info.rewritesTables.isEmpty() && target.isDemo && !compact(info, options, warnings) && cancelled())
            return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    }
    return {};
}

void BenchRunner::Impl::restoreState(const BenchOptions &options, QStringList &warnings, bool failed)
{
    for (const auto &strategy : restoreAtEnd) {
        const QString id = strategy->id();
        const QString command = QStringLiteral("plansight strategies apply %1 --dsn ... --yes").arg(id);
        if (cancelled() || failed || !session || !session->isAlive()) {
            warnings.append(QStringLiteral("%1 was applied before this session and reverted so that the other strategies "
                                           "were measured without it; the session ended early, so it is not applied again: "
                                           "%2")
                                .arg(id, command));
            continue;
        }
        if (auto st = strategy->status(*session); st && st->state == StrategyState::Applied)
            continue;
        if (progressFn)
            progressFn(done, total, QStringLiteral("%1: applying again, as it was before the session").arg(id));
        (void)session->setStatementTimeout(std::max(options.applyTimeoutMs, options.statementTimeoutMs));
        const Status applied = strategy->apply(*session, cancel, {});
        session->resetCancel();
        (void)session->setStatementTimeout(options.statementTimeoutMs);
        if (applied)
            warnings.append(QStringLiteral("%1 was applied before this session: reverted to measure the other strategies "
                                           "without it, and applied again at the end.")
                                .arg(id));
        else
            warnings.append(QStringLiteral("%1 was applied before this session and could not be applied again at the end "
                                           "(%2): %3")
                                .arg(id, applied.error().message, command));
    }
    restoreAtEnd.clear();
}

bool BenchRunner::Impl::compact(const StrategyInfo &info, const BenchOptions &options, QStringList &warnings)
{
    if (progressFn)
        progressFn(done, total,
            QStringLiteral("%1: compacting %2").arg(info.id, info.rewritesTables.join(QStringLiteral(", "))));
    (void)session->setStatementTimeout(std::max(options.applyTimeoutMs, options.statementTimeoutMs));
    const Status compacted = compactTables(*session, info, cancel);
    session->resetCancel();
    (void)session->setStatementTimeout(options.statementTimeoutMs);
    if (!compacted)
        warnings.append(notCompactedMessage(
            info, isCancelError(compacted.error()) ? QStringLiteral("cancelled") : compacted.error().message));
    return compacted.ok();
}

void BenchRunner::Impl::revertInTurn(
    Strategy &strategy, const StrategyInfo &info, const BenchOptions &options, QStringList &warnings)
{
    shielded = true;
    const Status reverted = revertAfterCancel(strategy, *session, cancel);
    shielded = false;
    if (!reverted) {
        warnings.append(QStringLiteral(
            "%1 could not be reverted after its runs, so the strategies measured after it see its objects "
            "(their runs are marked not-isolated): %2 %3")
                            .arg(info.id, reverted.error().message, reverted.error().hint));
    } else if (!info.rewritesTables.isEmpty()) {
        // The rewritten tables get their size and layout back before anything else is measured on them (this or
        // a later session); on a server that is not the demo that lock is the DBA's call.
        if (!target.isDemo) {
            warnings.append(
                QStringLiteral("%1 rewrote every row of %2; after its revert they keep the dead row versions "
                               "until VACUUM FULL (not run here: it locks the tables).")
                    .arg(info.id, info.rewritesTables.join(QStringLiteral(", "))));
        } else if (cancelled()) {
            warnings.append(notCompactedMessage(info, QStringLiteral("the session was cancelled first")));
        } else {
            (void)compact(info, options, warnings);
        }
    }
    if (cancelled())
        session->cancel();
}

StrategyRun BenchRunner::Impl::measure(Strategy &strategy, const StrategyInfo &info, const Workload &workload,
    const BenchOptions &options, std::optional<Error> &fatal)
{
    StrategyRun run;
    run.strategyId = info.id;
    run.strategyTitle = info.title;
    run.workload = workload;
    run.cache = options.cache;
    const bool cold = options.cache == CacheState::Cold;
    const int warmups = cold ? 0 : options.warmupRuns;
    const QString label = info.id + QStringLiteral(" · ") + workload.name;
    // Statements planned for this run; whatever is not done when it stops early is skipped in the count.
    const qint64 planned = warmups + options.runs + (options.explain ? 1 : 0);
    const qint64 doneAtStart = done;
    auto skipRest = [&] {
        done = doneAtStart + planned;
    };
    // Ends the run on an error: a cancel marks it cancelled, a lost connection also ends the session.
    auto stop = [&](const Error &e, const QString &during) -> StrategyRun {
        skipRest();
        if (isCancelError(e)) {
            run.outcome = RunOutcome::Cancelled;
            run.error = QStringLiteral("Cancelled during %1, after %2 of %3 measured runs.")
                            .arg(during)
                            .arg(run.timingsMs.size())
                            .arg(options.runs);
            return run;
        }
        run.outcome = RunOutcome::Failed;
        run.error = QStringLiteral("%1 failed: %2").arg(during, e.toString());
        if (isConnectionLoss(e) || !session || !session->isAlive())
            fatal = connectionLost(e, QStringLiteral("%1 of %2").arg(during, info.id));
        return run;
    };

    const Error cancelError = Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    if (cancelled())
        return stop(cancelError, QStringLiteral("preparation"));
    auto q = strategy.query(*session, workload);
    if (!q)
        return stop(q.error(), QStringLiteral("building the query"));
    run.sql = q->sql;
    run.note = q->note;
    for (const QVariant &p : q->params)
        run.params.append(paramAsText(p));
    if (!q->explainable() && !q->execute)
        return stop(Error::make(errc::Internal, QStringLiteral("The strategy gave neither SQL nor a way to answer.")),
            QStringLiteral("building the query"));

    // One execution: the whole round trip, every row fetched (PgSession::exec returns once libpq has the
    // complete result). The keys of the page are read outside the timed section.
    QStringList keys;
    auto once = [&](bool timed) -> Status {
        QElapsedTimer timer;
        if (q->explainable()) {
            timer.start();
            auto r = session->exec(q->sql, q->params);
            const qint64 ns = timer.nsecsElapsed();
            if (!r)
                return r.error();
            if (timed)
                run.timingsMs.append(double(ns) / 1e6);
            const int src = r->column("source"), id = r->column("id");
            if (src < 0 || id < 0)
                return Error::make(errc::Internal,
                    QStringLiteral("The strategy's query returned no \"source\" and \"id\" columns, so its page cannot be identified."));
            keys.clear();
            keys.reserve(r->rows());
            for (int i = 0; i < r->rows(); ++i)
                keys.append(r->value(i, src) + QLatin1Char(':') + r->value(i, id));
            return {};
        }
        timer.start();
        auto r = q->execute(*session);
        const qint64 ns = timer.nsecsElapsed();
        if (!r)
            return r.error();
        if (timed)
            run.timingsMs.append(double(ns) / 1e6);
        keys = r.value();
        return {};
    };

    // The time budget (BenchOptions::runBudgetMs): spent by warm-ups and measured runs alike; the next
    // execution is expected to take as long as the slowest so far.
    QElapsedTimer budgetClock;
    budgetClock.start();
    double slowestMs = 0;
    auto overBudget = [&] {
        return options.runBudgetMs > 0 && double(budgetClock.elapsed()) + slowestMs > double(options.runBudgetMs);
    };
    auto timedOnce = [&](bool timed) -> Status {
        QElapsedTimer t;
        t.start();
        Status st = once(timed);
        slowestMs = std::max(slowestMs, double(t.nsecsElapsed()) / 1e6);
        return st;
    };
    auto addNote = [&](const QString &text) {
        run.note = run.note.isEmpty() ? text : run.note + QStringLiteral("; ") + text;
    };

    for (int i = 0; i < warmups; ++i) {
        if (cancelled())
            return stop(cancelError, QStringLiteral("the warm-up runs"));
        if (i > 0 && overBudget()) {
            addNote(QStringLiteral("%1 of %2 warm-up runs (time budget)").arg(i).arg(warmups));
            step(QStringLiteral("%1: warm-ups cut by the time budget").arg(label), warmups - i);
            break;
        }
        if (auto st = timedOnce(false); !st)
            return stop(st.error(), QStringLiteral("warm-up run %1").arg(i + 1));
        run.warmupRuns = i + 1;
        step(QStringLiteral("%1: warm-up %2 of %3").arg(label).arg(i + 1).arg(warmups));
    }
    for (int i = 0; i < options.runs; ++i) {
        if (cancelled())
            return stop(cancelError, QStringLiteral("the measured runs"));
        if (i > 0 && overBudget()) {
            addNote(QStringLiteral("%1 of %2 measured runs: the time budget of %3 s was spent")
                        .arg(i)
                        .arg(options.runs)
                        .arg(double(options.runBudgetMs) / 1000.0, 0, 'g', 4));
            step(QStringLiteral("%1: runs cut by the time budget").arg(label), options.runs - i);
            break;
        }
        if (cold) {
            if (auto st = restartCluster(); !st)
                return stop(st.error(), QStringLiteral("the restart before run %1").arg(i + 1));
        }
        if (auto st = timedOnce(true); !st)
            return stop(st.error(), QStringLiteral("measured run %1").arg(i + 1));
        run.pageKeys = keys;
        run.rowsReturned = int(keys.size());
        step(QStringLiteral("%1: run %2 of %3").arg(label).arg(i + 1).arg(options.runs));
    }

    if (options.explain && q->explainable()) {
        if (cancelled())
            return stop(cancelError, QStringLiteral("EXPLAIN ANALYZE"));
        auto r = session->exec(QStringLiteral("EXPLAIN (ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON) ") + q->sql, q->params);
        if (!r)
            return stop(r.error(), QStringLiteral("EXPLAIN ANALYZE"));
        if (r->rows() >= 1) {
            run.planJson = r->bytes(0, 0);
            // Execution and planning time, and the other fields the EXPLAIN gives (session/runfields.h); output
            // that is not a plan leaves them not measured.
            (void)setFieldsFromExplain(run);
        }
        step(QStringLiteral("%1: EXPLAIN ANALYZE").arg(label));
    } else if (options.explain) {
        step(QStringLiteral("%1: no SQL to explain").arg(label));
    }
    return run;
}

BenchOutcome BenchRunner::run(const BenchOptions &options, CancelToken *cancel, const ProgressFn &progress,
    const RunFn &onRun, const SessionFn &onSession, const NoticeFn &onNotice)
{
    BenchOutcome out;
    d->cancel = cancel;
    d->progressFn = progress;
    d->noticeFn = onNotice;
    d->waitForLock = options.waitForLock;
    d->done = 0;
    d->total = 0;
    d->statementTimeoutMs = options.statementTimeoutMs;

    if (auto st = validate(options, d->target); !st) {
        out.error = st.error();
        return out;
    }
    // From here on a cancel also interrupts the running statement.
    CancelScope scope(cancel, [impl = d.get()] { impl->cancelRunningStatement(); });

    if (!d->session) {
        if (auto st = d->connect(); !st) {
            out.error = st.error();
            out.cancelled = d->isCancelError(st.error());
            return out;
        }
    } else if (auto st = d->session->setStatementTimeout(options.statementTimeoutMs); !st) {
        out.error = st.error();
        return out;
    }
    // One measuring session per database, for the whole session; then only a finished demo is measured.
    if (auto st = d->lockDatabase(); !st) {
        out.error = st.error();
        out.cancelled = d->isCancelError(st.error());
        return out;
    }
    auto unlock = [&] {
        if (d->session && d->session->isAlive()) {
            d->session->resetCancel();
            (void)releaseDatabaseLock(*d->session);
        }
    };
    if (auto st = requireFinishedDemo(*d->session, d->target.isDemo); !st) {
        out.error = st.error();
        out.cancelled = d->isCancelError(st.error());
        unlock();
        return out;
    }

    // The workloads: the given ones, then the presets' (resolved against this server's tags).
    QList<Workload> workloads = options.workloads;
    for (const QString &preset : options.presets) {
        auto ws = resolvePreset(preset, *d->session);
        if (!ws) {
            out.error = ws.error();
            out.cancelled = d->isCancelError(ws.error());
            unlock();
            return out;
        }
        workloads += ws.value();
    }

    std::optional<Error> orderError;
    const QList<std::shared_ptr<Strategy>> strategies = d->orderStrategies(options, orderError);
    if (orderError) {
        out.error = orderError;
        unlock();
        return out;
    }

    d->mayChange = options.applyMissing || d->target.isDemo;
    if (auto hide = canHideIndexes(*d->session, d->mayChange); hide) {
        d->hiding = hide.value();
    } else {
        out.error = hide.error();
        unlock();
        return out;
    }
    if (auto st = d->startFromKnownState(strategies, options, out.warnings); !st) {
        out.error = st.error();
        out.cancelled = d->isCancelError(st.error());
        if (out.cancelled)
            out.error.reset();
        d->restoreState(options, out.warnings, true); // what it reverted before it stopped is named
        unlock();
        return out;
    }

    out.session.info = d->describeSession(out.warnings);
    out.session.info.note = options.note;

    // The history: the session first, then one transaction per run as it finishes.
    std::optional<HistoryStore> history;
    if (options.historyPath) {
        auto store = HistoryStore::open(*options.historyPath);
        if (!store) {
            out.warnings.append(QStringLiteral("The session is not recorded in the history: %1").arg(store.error().toString()));
        } else {
            history.emplace(std::move(store.value()));
            auto id = history->beginSession(out.session.info);
            if (id) {
                out.session.info.id = id.value();
            } else {
                out.warnings.append(QStringLiteral("The session is not recorded in the history: %1").arg(id.error().toString()));
                history.reset();
            }
        }
    }
    if (onSession)
        onSession(out.session.info);

    const qint64 perRun = (options.cache == CacheState::Cold ? 0 : options.warmupRuns) + options.runs
        + (options.explain ? 1 : 0);
    d->total = qint64(strategies.size()) * (1 + qint64(workloads.size()) * perRun);

    // The baseline's run of each workload (by workload key): the reference of the check and the speed-up.
    QHash<QString, StrategyRun> baselineRuns;

    auto record = [&](StrategyRun &run) {
        run.finishedAt = QDateTime::currentDateTimeUtc();
        run.stats = computeStats(run.timingsMs);
        out.session.runs.append(run);
        if (history) {
            if (auto st = history->addRun(out.session.info.id, run); !st)
                out.warnings.append(QStringLiteral("A run of %1 is not recorded in the history: %2")
                                        .arg(run.strategyId, st.error().toString()));
        }
        if (onRun)
            onRun(run);
    };

    for (const auto &strategy : strategies) {
        if (d->cancelled() || out.error)
            break;
        const StrategyInfo info = strategy->info();
        const bool isBaseline = info.id == QLatin1String("baseline");

        Footprint footprint;
        bool appliedHere = false;
        auto ready = d->prepare(*strategy, options, footprint, appliedHere, out.warnings);
        if (ready && ready->isEmpty()) {
            if (auto st = d->isolate(*strategy, strategies); !st)
                ready = st.error();
        }
        if (!ready || !ready->isEmpty()) {
            // Not measurable: one run per workload says why (skipped, failed or cancelled).
            for (const Workload &w : workloads) {
                StrategyRun run;
                run.strategyId = info.id;
                run.strategyTitle = info.title;
                run.workload = w;
                run.cache = options.cache;
                run.check = ResultCheck::Failed;
                if (ready) {
                    run.outcome = RunOutcome::Skipped;
                    run.error = ready.value();
                } else if (d->isCancelError(ready.error())) {
                    run.outcome = RunOutcome::Cancelled;
                    run.error = QStringLiteral("Cancelled while applying the strategy.");
                } else {
                    run.outcome = RunOutcome::Failed;
                    run.error = QStringLiteral("Preparing %1 (status, apply, footprint, isolation) failed: %2").arg(info.id, ready.error().toString());
                }
                record(run);
            }
            d->done += 1 + qint64(workloads.size()) * perRun;
            if (appliedHere && d->revertsInTurn(*strategy) && d->session && d->session->isAlive())
                d->revertInTurn(*strategy, info, options, out.warnings);
            if (!ready) {
                if (d->isCancelError(ready.error()))
                    break;
                if (isConnectionLoss(ready.error()) || !d->session || !d->session->isAlive()) {
                    out.error = connectionLost(ready.error(), QStringLiteral("the preparation of %1").arg(info.id));
                    break;
                }
            }
            continue;
        }

        for (const Workload &w : workloads) {
            std::optional<Error> fatal;
            StrategyRun run = d->measure(*strategy, info, w, options, fatal);
            run.footprint = footprint;
            const StrategyRun *base = baselineRuns.contains(w.key()) ? &baselineRuns[w.key()] : nullptr;
            const bool measuredPage = run.outcome == RunOutcome::Ok || !run.timingsMs.isEmpty();
            if (!measuredPage) {
                run.check = ResultCheck::Failed;
            } else if (!options.checkResults) {
                run.check = ResultCheck::NotChecked;
            } else if (isBaseline) {
                run.check = ResultCheck::Same;
                run.checkDetail = QStringLiteral("the reference page");
            } else if (!base || base->timingsMs.isEmpty()) {
                run.check = ResultCheck::NotChecked;
                run.checkDetail = QStringLiteral("the baseline has no page for this workload");
            } else {
                run.check = comparePages(base->pageKeys, run.pageKeys, info.mayBeStale, &run.checkDetail);
            }
            if (base && !base->timingsMs.isEmpty() && !run.timingsMs.isEmpty())
                run.speedup = computeSpeedUp(base->timingsMs, run.timingsMs, options.bootstrap);
            else if (isBaseline && !run.timingsMs.isEmpty())
                run.speedup = computeSpeedUp(run.timingsMs, run.timingsMs, options.bootstrap);
            if (!d->visible.isEmpty() && run.outcome == RunOutcome::Ok) {
                // Measured, but not the strategy alone: kept, shown, never ranked.
                run.outcome = RunOutcome::NotIsolated;
                run.error = QStringLiteral(
                    "Measured with the objects of %1 visible (they could not be hidden or reverted first), "
                    "so the timings are not %2's alone; not ranked. Revert them (%3) or run with "
                    "--yes to measure each strategy in isolation.")
                                .arg(d->visible.join(QStringLiteral(", ")), info.id,
                                    QStringLiteral("plansight strategies revert ") + d->visible.join(QLatin1Char(' ')));
            }
            if (isBaseline && !baselineRuns.contains(w.key()))
                baselineRuns.insert(w.key(), run);
            record(run);
            if (fatal) {
                out.error = fatal;
                break;
            }
            if (run.outcome == RunOutcome::Cancelled || d->cancelled())
                break;
        }
        // Without HypoPG, strategies are measured in turn: what this session applied goes away again so
        // that the next strategy does not see it (after a cancel too).
        if (appliedHere && d->revertsInTurn(*strategy) && d->session && d->session->isAlive())
            d->revertInTurn(*strategy, info, options, out.warnings);
    }
    d->restoreState(options, out.warnings, out.error.has_value());
    if (d->session && d->session->isAlive()) {
        d->shielded = true;
        waitForCancelCallbacks(cancel);
        d->session->resetCancel();
        if (d->isolation && d->isolation->isolated)
            (void)endIsolation(*d->session); // the session is about to be closed or reused; a failure changes nothing
        // HypoPG goes when PlanSight created it (this session, or one that was killed before its end).
        if (auto dropped = dropHypopgIfCreated(*d->session); !dropped)
            out.warnings.append(QStringLiteral(
                "The HypoPG extension PlanSight created could not be dropped: %1 Drop it with: DROP EXTENSION hypopg;")
                                    .arg(dropped.error().message));
        d->shielded = false;
    }

    out.cancelled = d->cancelled() && !out.error;
    out.session.info.machineAtEnd = readMachineState();
    if (out.session.info.machineAtEnd.busy() && !out.session.info.machineAtStart.busy())
        out.warnings.append(out.session.info.busyWarning());
    if (history) {
        if (auto st = history->finishSession(out.session.info.id, QDateTime::currentDateTimeUtc(), out.session.info.machineAtEnd); !st)
            out.warnings.append(QStringLiteral("The history could not mark the session finished: %1").arg(st.error().toString()));
    }
    // The session stays usable for the caller's next statement, without the lock.
    unlock();
    if (d->session)
        d->session->resetCancel();
    return out;
}

} // namespace plansight
