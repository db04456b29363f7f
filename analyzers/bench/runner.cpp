#include "bench/runner.h"

#include "bench/describe.h"
#include "bench/machinestate.h"
#include "bench/runcontext.h"
#include "bench/strategyprep.h"
#include "gallery/demogenerator.h"
#include "pg/sessionsettings.h"
#include "plan/planparser.h"
#include "present/whatifwords.h"
#include "strategies/isolation.h"
#include "strategies/refresh.h"
#include "strategies/safety.h"
#include "strategies/settingsvariantstrategy.h"
#include "strategies/whatif.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace plansight {

namespace {
constexpr int MaxRuns = 10000;
constexpr int MaxWarmups = 1000;
} // namespace

struct BenchRunner::Impl {
    RunContext ctx;
    StrategyPreparer prep { ctx };
    BenchOutcome out;
    QList<Workload> workloads;
    QList<std::shared_ptr<Strategy>> strategies; // in run order; a settings variant right after its owner
    // The strategies whose objects the runs use (objectOwner() of each): what is prepared, isolated and reverted.
    QList<std::shared_ptr<Strategy>> owners;
    QHash<QString, StrategyRun> baselineRuns; // by workload key: the reference of the check and the speed-up
    // When the baseline has no page for a workload: why ("the baseline timed out"), by workload key, and the stand-in's
    // runs (StandInReference), which are checked against the baseline where it answered; `standInDiffered` says where
    // they did not (then the stand-in is not trusted anywhere).
    QHash<QString, QString> baselineMissing;
    QHash<QString, StrategyRun> standInRuns;
    QString standInDiffered;
    qint64 perRun = 0; // statements planned per strategy x workload
    // What-if against built (BenchOptions::predictIndexes): the predictions made for the strategy about to be built,
    // by workload key, and why predictions stopped for the session (HypoPG missing), said once.
    QHash<QString, WhatIfResult> predictions;
    bool predictionsOff = false;

    void collect(const QStringList &warnings)
    {
        for (const QString &w : warnings)
            ctx.warn(w);
    }
    // Ends the session before anything was measured.
    void endEarly(const Error &e)
    {
        out.error = e;
        out.cancelled = ctx.isCancelError(e);
    }
    void unlock()
    {
        if (ctx.alive()) {
            ctx.session->resetCancel();
            (void)releaseDatabaseLock(*ctx.session);
        }
    }
    Status connectAndLock();
    Status resolveWorkloads();
    Status planStrategies();
    // Asks the server about every setting override of the session's strategies (pg/sessionsettings.h) before
    // anything runs: an unknown name or a refused value ends the session with one sentence.
    Status checkSettings();
    // The strategies' ids and the base objects every run's plan is judged against (strategies/planisolation.h).
    void readPlanReferences();
    void start();
    void record(StrategyRun &run);
    // What `w`'s pages are checked against when the baseline has none (bench/measure.h, StandIn).
    StandIn standInFor(const Workload &w) const;
    // Keeps what the check of later runs needs from the baseline's and the stand-in's runs.
    void rememberReference(const StrategyRun &run, const std::optional<Error> &stoppedBy);
    // A strategy that is not measurable: one run per workload says why (skipped, failed or cancelled). False
    // when the session must end.
    bool skip(Strategy &strategy, const Result<QString> &ready);
    // Before `strategy` is built: the plan and index sizes HypoPG predicts for each workload.
    void predict(const std::shared_ptr<Strategy> &strategy);
    // Puts the prediction for the run's workload beside what the built strategy did, in the run's note.
    void comparePrediction(StrategyRun &run, bool appliedHere);
    // Measures every workload of a prepared strategy, whose objects are `owner`'s (itself, or a settings variant's
    // inner strategy; `appliedHere`: this session built them); false when the session must end.
    bool measureWorkloads(Strategy &strategy, const Strategy &owner, bool appliedHere, const Footprint &footprint);
    // One turn: prepares and isolates `owner`, measures each of `turn` (the owner and its settings variants, or the
    // variants alone), and reverts the owner when it goes after its runs; false when the session must end.
    bool measureTurn(const std::shared_ptr<Strategy> &owner, const QList<std::shared_ptr<Strategy>> &turn);
    // Before a turn is measured: the scheduled refreshes (p1, p8) are held, a running one cancelled
    // (strategies/refresh.h); cleanUp() resumes them. A failure is said and the session goes on.
    void holdRefreshesForMeasuring();
    void cleanUp();
    void finish();
};

BenchRunner::BenchRunner(BenchTarget target) : d(std::make_unique<Impl>())
{
    d->ctx.target = std::move(target);
}

BenchRunner::BenchRunner(BenchTarget target, std::unique_ptr<PgSession> session) : BenchRunner(std::move(target))
{
    d->ctx.session = std::move(session);
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
        return bad(
            QStringLiteral("Cold-cache runs restart the server, so they are only possible on the embedded demo."));
    if (target.isDemo && target.demoRoot.isEmpty() && options.cache == CacheState::Cold)
        return bad(QStringLiteral("The embedded demo's directory is not known."));
    return {};
}

Status BenchRunner::Impl::connectAndLock()
{
    if (!ctx.session) {
        if (auto st = ctx.connect(); !st)
            return st;
    } else if (auto st = ctx.session->setStatementTimeout(ctx.options.statementTimeoutMs); !st) {
        return st;
    }
    // One measuring session per database, for the whole session; then only a finished demo is measured.
    if (auto st = ctx.lockDatabase(); !st)
        return st;
    if (auto st = requireFinishedDemo(*ctx.session, ctx.target.isDemo); !st) {
        unlock();
        return st;
    }
    return {};
}

Status BenchRunner::Impl::resolveWorkloads()
{
    // The given workloads, then the presets' (resolved against this server's tags).
    workloads = ctx.options.workloads;
    for (const QString &preset : std::as_const(ctx.options.presets)) {
        auto ws = resolvePreset(preset, *ctx.session);
        if (!ws)
            return ws.error();
        workloads += ws.value();
    }
    return {};
}

Status BenchRunner::Impl::planStrategies()
{
    auto ordered = orderStrategies(ctx.options);
    if (!ordered)
        return ordered.error();
    strategies = ordered.value();
    owners.clear();
    for (const auto &s : std::as_const(strategies)) {
        const auto owner = objectOwner(s);
        if (!std::any_of(owners.cbegin(), owners.cend(), [&](const auto &o) { return o->id() == owner->id(); }))
            owners.append(owner);
    }
    ctx.mayChange = ctx.options.applyMissing || ctx.target.isDemo;
    ctx.keepApplied = ctx.options.keepApplied.value_or(ctx.target.isDemo);
    auto hide = canHideIndexes(*ctx.session, ctx.mayChange);
    if (!hide)
        return hide.error();
    ctx.hiding = hide.value();
    readPlanReferences();
    return {};
}

Status BenchRunner::Impl::checkSettings()
{
    QSet<QString> checked;
    for (const auto &s : std::as_const(ctx.options.strategies)) {
        const QList<SettingOverride> settings = s->settingOverrides();
        if (settings.isEmpty() || checked.contains(s->id()))
            continue;
        checked.insert(s->id());
        if (auto st = checkSettingOverrides(*ctx.session, settings, s->id()); !st)
            return st;
    }
    return {};
}

void BenchRunner::Impl::readPlanReferences()
{
    ctx.strategyIds.clear();
    for (const auto &s : allStrategies() + owners)
        if (s && !ctx.strategyIds.contains(s->id()))
            ctx.strategyIds.append(s->id());
    auto base = readBaseObjects(*ctx.session);
    ctx.baseObjects = base ? base.value() : BaseObjects();
    if (!base)
        ctx.warn(QStringLiteral("The base schema could not be read (%1), so the plans are checked only for other "
                                "strategies' objects.")
                     .arg(base.error().message));
}

void BenchRunner::Impl::start()
{
    out.session.info = describeSession(ctx);
    for (SessionObserver *o : std::as_const(ctx.observers))
        collect(o->sessionStarted(out.session.info));
    perRun = (ctx.options.cache == CacheState::Cold ? 0 : ctx.options.warmupRuns) + ctx.options.runs
        + (ctx.options.explain ? 1 : 0);
    ctx.total = qint64(strategies.size()) * (1 + qint64(workloads.size()) * perRun);
}

void BenchRunner::Impl::record(StrategyRun &run)
{
    run.finishedAt = QDateTime::currentDateTimeUtc();
    run.stats = computeStats(run.timingsMs);
    out.session.runs.append(run);
    for (SessionObserver *o : std::as_const(ctx.observers))
        collect(o->runFinished(out.session.info, run));
}

StandIn BenchRunner::Impl::standInFor(const Workload &w) const
{
    StandIn in;
    in.id = StandInReference;
    const QString why = baselineMissing.value(w.key());
    if (why.isEmpty())
        return in;
    in.baselineWhy = QStringLiteral("the baseline ") + why;
    const auto it = standInRuns.constFind(w.key());
    if (it != standInRuns.cend() && !it->timingsMs.isEmpty())
        in.run = &it.value();
    if (!standInDiffered.isEmpty())
        in.distrusted = QStringLiteral("%1 returned other rows than the baseline on %2").arg(in.id, standInDiffered);
    return in;
}

void BenchRunner::Impl::rememberReference(const StrategyRun &run, const std::optional<Error> &stoppedBy)
{
    const QString key = run.workload.key();
    if (run.strategyId == QLatin1String("baseline") && !baselineRuns.contains(key)) {
        baselineRuns.insert(key, run);
        if (const QString why = whyNoPage(run, stoppedBy); !why.isEmpty())
            baselineMissing.insert(key, why);
    }
    if (run.strategyId == StandInReference && !standInRuns.contains(key)) {
        standInRuns.insert(key, run);
        if ((run.check == ResultCheck::Different || run.check == ResultCheck::Stale) && standInDiffered.isEmpty())
            standInDiffered = run.workload.label();
    }
}

bool BenchRunner::Impl::skip(Strategy &strategy, const Result<QString> &ready)
{
    const StrategyInfo info = strategy.info();
    for (const Workload &w : std::as_const(workloads)) {
        StrategyRun run;
        run.strategyId = info.id;
        run.strategyTitle = info.title;
        run.workload = w;
        run.cache = ctx.options.cache;
        run.check = ResultCheck::Failed;
        if (ready) {
            run.outcome = RunOutcome::Skipped;
            run.error = ready.value();
        } else if (ctx.isCancelError(ready.error())) {
            run.outcome = RunOutcome::Cancelled;
            run.error = QStringLiteral("Cancelled while applying the strategy.");
        } else {
            run.outcome = RunOutcome::Failed;
            run.error = QStringLiteral("Preparing %1 (status, apply, footprint, isolation) failed: %2")
                            .arg(info.id, ready.error().toString());
        }
        rememberReference(run, ready ? std::nullopt : std::optional<Error>(ready.error()));
        record(run);
    }
    ctx.done += 1 + qint64(workloads.size()) * perRun;
    if (ready)
        return true;
    if (ctx.isCancelError(ready.error()))
        return false;
    if (isConnectionLoss(ready.error()) || !ctx.alive()) {
        out.error = connectionLost(ready.error(), QStringLiteral("the preparation of %1").arg(info.id));
        return false;
    }
    return true;
}

bool BenchRunner::Impl::measureWorkloads(
    Strategy &strategy, const Strategy &owner, bool appliedHere, const Footprint &footprint)
{
    const StrategyInfo info = strategy.info();
    const bool isBaseline = info.id == QLatin1String("baseline");
    const std::shared_ptr<RunExecutor> executor = ctx.options.executor ? ctx.options.executor : serverExecutor();
    // Objects the strategy created without its prefix (an experiment's variant) are its own to read, like the base
    // objects; an unknown base (empty) already lets every unprefixed object pass.
    BaseObjects ownAndBase = ctx.baseObjects;
    if (!ownAndBase.isEmpty()) {
        for (const CreatedObject &o : strategy.createdObjects())
            ownAndBase.insert(o.name.section(QLatin1Char('.'), -1).remove(QLatin1Char('"')).toLower());
    }
    bool goOn = true;
    for (const Workload &w : std::as_const(workloads)) {
        std::optional<Error> fatal;
        std::optional<Error> stoppedBy;
        StrategyRun run = measureRun(ctx, *executor, strategy, w, fatal, &stoppedBy);
        run.footprint = footprint;
        comparePrediction(run, appliedHere);
        const auto base = baselineRuns.constFind(w.key());
        const StandIn standIn = standInFor(w);
        checkRun(run, base == baselineRuns.cend() ? nullptr : &base.value(), isBaseline, info.mayBeStale, ctx.options,
            ctx.visible, &standIn);
        if (base != baselineRuns.cend() && ctx.alive())
            describeStaleRun(*ctx.session, strategy, base->pageKeys, run); // how stale: rows missing, last refresh
        // The plan says what the run read: another strategy's object makes it not-isolated, whatever was hidden.
        if (const QString flagged
            = flagIfPlanNotIsolated(run, ctx.strategyIds, ownAndBase, owner.id(), owner.info().uses);
            !flagged.isEmpty())
            ctx.warn(flagged);
        rememberReference(run, stoppedBy);
        record(run);
        prep.markUsed(owner);
        if (fatal)
            out.error = fatal;
        if (fatal || run.outcome == RunOutcome::Cancelled || ctx.cancelled()) {
            goOn = !fatal && !ctx.cancelled();
            break;
        }
    }
    return goOn;
}

bool BenchRunner::Impl::measureTurn(
    const std::shared_ptr<Strategy> &owner, const QList<std::shared_ptr<Strategy>> &turn)
{
    Footprint footprint;
    bool appliedHere = false;
    predict(owner);
    auto prepared = prep.prepare(*owner, footprint, appliedHere);
    if (prepared && prepared->isEmpty()) {
        if (auto st = prep.isolate(*owner, owners); !st)
            prepared = st.error();
    }
    const bool ready = prepared && prepared->isEmpty();
    if (ready)
        holdRefreshesForMeasuring();
    bool goOn = true;
    for (const auto &strategy : turn) {
        if (ready && strategy != turn.first())
            ctx.step(QStringLiteral("%1: ready").arg(strategy->id())); // prepared with the first of the turn
        goOn = ready ? measureWorkloads(*strategy, *owner, appliedHere, footprint) : skip(*strategy, prepared);
        if (!goOn || ctx.cancelled() || out.error)
            break;
    }
    // Without HypoPG, strategies are measured in turn: what this session applied goes away again so that the
    // next strategy does not see it (after a cancel too).
    if (appliedHere && prep.revertsInTurn(*owner) && ctx.alive())
        prep.revertInTurn(*owner);
    if (ctx.alive())
        prep.releaseUsed(*owner);
    return goOn;
}

void BenchRunner::Impl::predict(const std::shared_ptr<Strategy> &strategy)
{
    predictions.clear();
    if (!ctx.options.predictIndexes || predictionsOff || !ctx.mayChange || ctx.cancelled() || !ctx.alive()
        || !hasIndexStatements(*strategy))
        return;
    auto state = strategy->status(*ctx.session);
    if (!state || state->state != StrategyState::NotApplied)
        return; // built already: nothing to predict before building
    for (const Workload &w : std::as_const(workloads)) {
        WhatIfRequest request;
        request.strategy = strategy;
        request.workload = w;
        request.mayCreateExtension = true; // listed in the confirmation (hypopgConfirmLine)
        request.dropCreatedExtension = false; // cleanUp() drops it at the end of the session
        auto r = predictIndexes(*ctx.session, request, ctx.cancel);
        if (!r) {
            if (ctx.isCancelError(r.error()))
                return;
            predictionsOff = r.error().code == errc::Missing;
            ctx.warn(QStringLiteral("No what-if prediction for %1: %2").arg(strategy->id(), r.error().message));
            return;
        }
        if (r->estimatedBytes() < 0)
            return; // no index of it can be hypothetical (they are on tables it creates)
        predictions.insert(w.key(), r.value());
    }
}

void BenchRunner::Impl::comparePrediction(StrategyRun &run, bool appliedHere)
{
    const auto it = predictions.constFind(run.workload.key());
    if (it == predictions.cend() || !appliedHere)
        return;
    const WhatIfResult &p = it.value();
    WhatIfAgainstBuilt w;
    w.predictedCost = p.predictedCost();
    w.predictedIndexes = p.indexesInPlan;
    w.predictedBytes = p.estimatedBytes();
    QStringList names;
    for (const WhatIfIndex &i : p.indexes) {
        if (i.refused.isEmpty() && !i.intendedName.isEmpty())
            names << i.intendedName;
    }
    if (ctx.alive() && !names.isEmpty()) {
        if (auto real = realIndexBytes(*ctx.session, names))
            w.builtBytes = real.value();
    }
    if (!run.planJson.isEmpty()) {
        if (auto plan = parseJsonPlan(run.planJson); plan && !plan->isEmpty()) {
            w.builtCost = plan->root().totalCost;
            w.builtIndexes = indexesInPlan(plan.value());
        }
    }
    const QString words = whatIfWords(w);
    run.note = run.note.isEmpty() ? words : run.note + QStringLiteral("; ") + words;
}

void BenchRunner::Impl::holdRefreshesForMeasuring()
{
    if (!ctx.alive())
        return;
    auto held = holdRefreshes(*ctx.session);
    if (!held) {
        ctx.warn(QStringLiteral("The scheduled refreshes of p1-matview and p8-tag-counts could not be held while "
                                "measuring (%1): one may run beside the measured queries.")
                     .arg(held.error().message));
        return;
    }
    if (!held->held.isEmpty())
        ctx.notice(QStringLiteral("Held the pg_cron jobs %1 while strategies are measured, so that no refresh runs "
                                  "beside the measured queries; they resume when the session ends.")
                       .arg(held->held.join(QStringLiteral(", "))));
    if (!held->cancelled.isEmpty())
        ctx.warn(QStringLiteral("A refresh of %1 was running and was cancelled before the next measurement (the "
                                "strategy keeps its previous content; its staleness shows it).")
                     .arg(held->cancelled.join(QStringLiteral(", "))));
}

void BenchRunner::Impl::cleanUp()
{
    prep.restoreState(out.error.has_value());
    prep.reportKept();
    if (!ctx.alive())
        return;
    ctx.shielded = true;
    waitForCancelCallbacks(ctx.cancel);
    ctx.session->resetCancel();
    if (auto resumed = resumeRefreshes(*ctx.session); !resumed)
        ctx.warn(QStringLiteral("The pg_cron refresh jobs PlanSight held could not be resumed: %1 They resume with "
                                "the next session, or: SELECT cron.alter_job(jobid, active => true) FROM cron.job "
                                "WHERE jobname LIKE 'ps_%_refresh';")
                     .arg(resumed.error().message));
    // Overrides a cancelled run left set go back, so the connection the caller keeps runs under its own settings.
    if (!ctx.settingsInForce.isEmpty()) {
        if (auto st = resetSettings(*ctx.session, settingNames(ctx.settingsInForce)); !st)
            ctx.warn(QStringLiteral("The settings %1 could not be put back on this connection: %2")
                         .arg(formatSettingOverrides(ctx.settingsInForce), st.error().message));
        ctx.settingsInForce.clear();
    }
    if (ctx.isolation && ctx.isolation->isolated)
        (void)endIsolation(*ctx.session); // the session is about to be closed or reused; a failure changes nothing
    // HypoPG goes when PlanSight created it (this session, or one that was killed before its end).
    if (auto dropped = dropHypopgIfCreated(*ctx.session); !dropped)
        ctx.warn(QStringLiteral("The HypoPG extension PlanSight created could not be dropped: %1 Drop it with: DROP "
                                "EXTENSION hypopg;")
                     .arg(dropped.error().message));
    ctx.shielded = false;
}

void BenchRunner::Impl::finish()
{
    out.cancelled = ctx.cancelled() && !out.error;
    SessionInfo &info = out.session.info;
    info.machineAtEnd = readMachineState();
    // The backend may be another one after a reconnect; its postmaster is the same unless the server restarted.
    const CpuSample cpuAtEnd = readCpuSample(ctx.alive() ? PQbackendPID(ctx.session->raw()) : 0);
    info.machineAtEnd.otherCpuShare = otherCpuShare(ctx.cpuAtStart, cpuAtEnd);
    if (info.machineAtEnd.busy() && !info.machineAtStart.busy())
        ctx.warn(info.busyWarning());
    for (SessionObserver *o : std::as_const(ctx.observers))
        collect(o->sessionFinished(out.session));
}

BenchOutcome BenchRunner::run(
    const BenchOptions &options, CancelToken *cancel, const QList<SessionObserver *> &observers)
{
    Impl &d = *this->d;
    d.out = BenchOutcome();
    d.baselineRuns.clear();
    d.baselineMissing.clear();
    d.standInRuns.clear();
    d.standInDiffered.clear();
    d.ctx.options = options;
    d.ctx.cancel = cancel;
    d.ctx.observers = observers;
    d.ctx.result = &d.out.session;
    d.ctx.done = d.ctx.total = 0;
    if (auto st = validate(options, d.ctx.target); !st) {
        d.out.error = st.error();
        return d.out;
    }
    // From here on a cancel also interrupts the running statement.
    CancelScope scope(cancel, [ctx = &d.ctx] { ctx->cancelRunningStatement(); });
    // PlanSight's own refresh timer (servers without pg_cron) refreshes nothing while this session runs.
    const RefreshTimerHold holdTimer;
    if (auto st = d.connectAndLock(); !st) {
        d.endEarly(st.error());
        return d.out;
    }
    // Nothing is changed before the settings are known to be good.
    Status ready = d.checkSettings();
    if (ready)
        ready = d.resolveWorkloads();
    if (ready)
        ready = d.planStrategies();
    if (ready)
        ready = d.prep.startFromKnownState(d.owners);
    if (!ready) {
        d.endEarly(ready.error());
        if (d.out.cancelled)
            d.out.error.reset();
        d.prep.restoreState(true); // what it reverted before it stopped is named
        d.unlock();
        return d.out;
    }
    d.start();
    // Consecutive strategies with the same owner (a strategy and its settings variants) are one turn.
    for (qsizetype i = 0; i < d.strategies.size();) {
        if (d.ctx.cancelled() || d.out.error)
            break;
        const auto owner = objectOwner(d.strategies[i]);
        qsizetype end = i + 1;
        while (end < d.strategies.size() && objectOwner(d.strategies[end])->id() == owner->id())
            ++end;
        const auto turn = d.strategies.mid(i, end - i);
        i = end;
        if (!d.measureTurn(owner, turn))
            break;
    }
    d.cleanUp();
    d.finish();
    // The session stays usable for the caller's next statement, without the lock.
    d.unlock();
    if (d.ctx.session)
        d.ctx.session->resetCancel();
    return d.out;
}

} // namespace plansight
