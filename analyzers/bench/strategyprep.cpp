#include "bench/strategyprep.h"

#include "strategies/footprint.h"
#include "strategies/rediscachestrategy.h"
#include "strategies/settingsvariantstrategy.h"

#include <QDeadlineTimer>
#include <QSet>
#include <QThread>

#include <algorithm>

namespace plansight {

Result<QList<std::shared_ptr<Strategy>>> orderStrategies(const BenchOptions &options)
{
    // The order is decided over the strategies whose objects the runs use (objectOwner()); each one's settings
    // variants follow it, so that they are measured in its turn.
    QList<std::shared_ptr<Strategy>> out; // the owners
    QSet<QString> measuredOwners; // owners asked for themselves, not only through a variant
    QHash<QString, QList<std::shared_ptr<Strategy>>> variants; // by owner id
    QSet<QString> seen;
    for (const auto &s : options.strategies) {
        if (seen.contains(s->id()))
            continue; // the same strategy twice would only be measured twice
        seen.insert(s->id());
        const auto owner = objectOwner(s);
        if (!std::any_of(out.cbegin(), out.cend(), [&](const auto &o) { return o->id() == owner->id(); }))
            out.append(owner);
        if (owner == s)
            measuredOwners.insert(s->id());
        else
            variants[owner->id()].append(s);
    }
    // Strategies that rewrite base tables go last: until their tables are compacted, everything measured
    // after them would run on tables several times their size (StrategyInfo::rewritesTables).
    std::stable_partition(out.begin(), out.end(), [](const auto &s) { return s->info().rewritesTables.isEmpty(); });
    if (options.checkResults) {
        // The stand-in for the baseline's pages (bench/runner.h) right after it, so its pages are there for the others.
        const auto standIn
            = std::find_if(out.begin(), out.end(), [](const auto &s) { return s->id() == StandInReference; });
        if (standIn != out.end() && (*standIn)->info().rewritesTables.isEmpty()) {
            auto in = *standIn;
            out.erase(standIn);
            out.prepend(in);
        }
        const auto it
            = std::find_if(out.begin(), out.end(), [](const auto &s) { return s->id() == QLatin1String("baseline"); });
        if (it != out.end()) {
            auto base = *it;
            out.erase(it);
            out.prepend(base);
        } else {
            auto base = strategyById(QStringLiteral("baseline"));
            if (!base)
                return Error::make(
                    errc::Missing, QStringLiteral("The result check needs the baseline strategy, which is missing."));
            out.prepend(base);
        }
        measuredOwners.insert(QStringLiteral("baseline")); // every page is checked against it
    }
    QList<std::shared_ptr<Strategy>> ordered;
    for (const auto &owner : std::as_const(out)) {
        if (measuredOwners.contains(owner->id()))
            ordered.append(owner);
        ordered += variants.value(owner->id());
    }
    return ordered;
}

Result<QList<std::shared_ptr<Strategy>>> StrategyPreparer::appliedStrategies(
    const QList<std::shared_ptr<Strategy>> &extra)
{
    QList<std::shared_ptr<Strategy>> out;
    QSet<QString> seen;
    for (const auto &s : allStrategies() + extra) {
        if (!s || seen.contains(s->id()) || !s->info().needsObjects)
            continue;
        seen.insert(s->id());
        auto st = s->status(*m_ctx.session);
        if (!st)
            return st.error();
        if (st->state != StrategyState::NotApplied)
            out.append(s);
    }
    return out;
}

// ---- the known start state -------------------------------------------------------------------------------------

Result<QList<std::shared_ptr<Strategy>>> StrategyPreparer::leftovers(
    const QList<std::shared_ptr<Strategy>> &strategies, QStringList &refused, QStringList &refusedIds)
{
    QSet<QString> measured;
    for (const auto &s : strategies)
        measured.insert(s->id());
    QList<std::shared_ptr<Strategy>> toRevert;
    for (const auto &s : allStrategies() + strategies) {
        if (!s || !s->info().needsObjects || refusedIds.contains(s->id())
            || std::any_of(toRevert.begin(), toRevert.end(), [&](const auto &t) { return t->id() == s->id(); }))
            continue;
        auto st = s->status(*m_ctx.session);
        if (!st)
            return st.error();
        if (st->state == StrategyState::NotApplied)
            continue;
        // Objects that hiding takes away from other runs (or that no run can see) may stay.
        const bool seen
            = changesOtherPlans(*s) && (!m_ctx.hiding || addsColumns(*s) || st->state == StrategyState::Broken);
        if (!seen)
            continue;
        if (measured.contains(s->id())) {
            // Applied again in its turn; without the right to change anything, the runs that see it say so.
            if (m_ctx.mayChange) {
                toRevert.append(s);
                if (!m_ctx.target.isDemo && st->state == StrategyState::Applied)
                    m_restoreAtEnd.append(s);
            }
        } else if (m_ctx.target.isDemo) {
            toRevert.append(s);
        } else {
            refusedIds.append(s->id());
            refused.append(QStringLiteral("%1 (%2)").arg(s->id(), st->present.join(QStringLiteral(", "))));
        }
    }
    return toRevert;
}

Status StrategyPreparer::revertLeftover(Strategy &strategy, bool measured)
{
    const StrategyInfo info = strategy.info();
    m_ctx.report(QStringLiteral("%1: reverting what an earlier session left").arg(info.id));
    if (auto st = strategy.revert(*m_ctx.session, m_ctx.cancel, m_ctx.applyContext()); !st) {
        if (m_ctx.isCancelError(st.error()))
            return st.error();
        return Error::make(st.error().code,
            QStringLiteral("%1 is in the database and could not be reverted before measuring: %2")
                .arg(info.id, st.error().message),
            st.error().detail, QStringLiteral("Revert it with: %1").arg(revertCommand(info.id)));
    }
    m_ctx.warn(measured
            ? QStringLiteral("%1 was already applied: reverted before measuring, so that the strategies measured "
                             "before it do not see its objects; it is applied again in its turn.")
                  .arg(info.id)
            : QStringLiteral("%1 was applied (left by an earlier session) and is not measured now: reverted "
                             "before measuring, so that no run sees its objects.")
                  .arg(info.id));
    if (!info.rewritesTables.isEmpty() && m_ctx.target.isDemo && !compact(info) && m_ctx.cancelled())
        return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    return {};
}

Status StrategyPreparer::startFromKnownState(const QList<std::shared_ptr<Strategy>> &strategies)
{
    m_restoreAtEnd.clear();
    m_lastUsed.clear();
    m_baseSizes.reset();
    m_diskUnknownSaid = false;
    m_keptHere.clear();
    m_usedHere.clear();
    QStringList refused, refusedIds;
    auto toRevert = leftovers(strategies, refused, refusedIds);
    if (!toRevert)
        return toRevert.error();
    if (!refused.isEmpty())
        return Error::make(QStringLiteral("PSSTATE"),
            QStringLiteral("The database holds objects of strategies this benchmark does not measure, and every run "
                           "would see them: %1.")
                .arg(refused.join(QStringLiteral("; "))),
            QString(),
            QStringLiteral("Revert them first (%1), or add them to the strategies to measure.")
                .arg(QStringLiteral("plansight strategies revert ") + refusedIds.join(QLatin1Char(' '))));
    for (const auto &s : toRevert.value()) {
        const bool measured
            = std::any_of(strategies.begin(), strategies.end(), [&](const auto &m) { return m->id() == s->id(); });
        if (auto st = revertLeftover(*s, measured); !st)
            return st;
    }
    return {};
}

// ---- each strategy in its turn -----------------------------------------------------------------------------------

Footprint StrategyPreparer::footprintOf(Strategy &strategy)
{
    Footprint fp;
    const QString id = strategy.id();
    if (auto measured = measureFootprint(*m_ctx.session, strategy); measured)
        fp = measured.value();
    else if (!m_ctx.isCancelError(measured.error()))
        m_ctx.warn(QStringLiteral("The footprint of %1 could not be measured: %2").arg(id, measured.error().message));
    if (m_ctx.options.measureWriteCost && m_ctx.mayChange && !m_ctx.cancelled()) {
        if (auto st = measureWriteCosts(*m_ctx.session, strategy, fp, m_ctx.cancel);
            !st && !m_ctx.isCancelError(st.error()))
            m_ctx.warn(QStringLiteral("The write cost of %1 could not be measured: %2").arg(id, st.error().message));
        m_ctx.session->resetCancel(); // a cancel during the write cost is honoured at the next step
        if (m_ctx.cancelled())
            m_ctx.session->cancel();
    }
    // p2-redis's write-to-visible time (bench --cache-visibility): it commits a write and deletes it again, so only
    // where the session may change the database.
    if (id == QLatin1String("p2-redis") && redisCacheConfig().measureVisibility && !m_ctx.cancelled()) {
        if (!m_ctx.mayChange)
            m_ctx.warn(QStringLiteral("The write-to-visible time of p2-redis is measured only on the embedded demo or "
                                      "with --yes: it writes one item and deletes it again."));
        else if (auto st = measureRedisVisibilityInto(*m_ctx.session, fp, m_ctx.cancel);
                 !st && !m_ctx.isCancelError(st.error()))
            m_ctx.warn(QStringLiteral("The write-to-visible time of p2-redis could not be measured: %1")
                           .arg(st.error().toString()));
    }
    return fp;
}

Status StrategyPreparer::applyNow(Strategy &strategy, StrategyState before)
{
    const QString id = strategy.id();
    const qint64 base = m_ctx.done;
    ProgressFn applyProgress = [&](qint64 d, qint64 t, const QString &text) {
        for (SessionObserver *o : std::as_const(m_ctx.observers))
            o->progress(base, m_ctx.total,
                QStringLiteral("%1: applying %2%: %3").arg(id).arg(t > 0 ? d * 100 / t : 0).arg(text));
    };
    return m_ctx.underApplyTimeout(
        [&] { return strategy.apply(*m_ctx.session, m_ctx.cancel, applyProgress, m_ctx.applyContext()); },
        [&](const Status &applied) {
            if (applied || before != StrategyState::NotApplied || !m_ctx.session->isAlive())
                return;
            // A cancelled or failed apply leaves nothing behind: whatever it committed goes again.
            auto now = strategy.status(*m_ctx.session);
            if (now && now->state != StrategyState::NotApplied) {
                if (auto undone = revertAfterCancel(strategy, *m_ctx.session, m_ctx.cancel, m_ctx.applyContext());
                    !undone)
                    m_ctx.warn(QStringLiteral("%1 %2").arg(undone.error().message, undone.error().hint));
            }
        });
}

Status StrategyPreparer::prepareUsed(const Strategy &strategy)
{
    const StrategyInfo info = strategy.info();
    for (const QString &id : info.uses) {
        auto used = strategyById(id);
        if (!used)
            continue;
        auto st = used->status(*m_ctx.session);
        if (!st)
            return st.error();
        if (st->state == StrategyState::Applied)
            continue;
        const QString without = QStringLiteral("%1 reads the objects of %2 when they are applied; ").arg(info.id, id);
        if (!m_ctx.mayChange) {
            m_ctx.warn(without
                + QStringLiteral("%1 is not applied on this server, so %2 answers without it (apply it with "
                                 "`plansight strategies apply %1 --yes`, or run the benchmark with --yes).")
                      .arg(id, info.id));
            continue;
        }
        auto room = makeRoomFor(*used);
        if (!room)
            return room.error();
        if (!room->isEmpty()) {
            m_ctx.warn(without + room.value() + QStringLiteral(" %1 answers without it.").arg(info.id));
            continue;
        }
        m_ctx.report(QStringLiteral("%1: applying %2, whose objects it reads").arg(info.id, id));
        if (auto applied = applyNow(*used, st->state); !applied) {
            if (m_ctx.isCancelError(applied.error()))
                return applied.error();
            m_ctx.warn(without
                + QStringLiteral("applying %1 failed (%2), so %3 answers without it.")
                      .arg(id, applied.error().message, info.id));
            continue;
        }
        m_usedHere[info.id].append(used);
    }
    return {};
}

void StrategyPreparer::releaseUsed(const Strategy &strategy)
{
    for (const auto &used : m_usedHere.take(strategy.id())) {
        if (revertsInTurn(*used))
            revertInTurn(*used);
        else if (!m_keptHere.contains(used->id()))
            m_keptHere.append(used->id());
    }
}

Result<QString> StrategyPreparer::prepare(Strategy &strategy, Footprint &footprint, bool &appliedHere)
{
    appliedHere = false;
    const StrategyInfo info = strategy.info();
    if (auto used = prepareUsed(strategy); !used)
        return used.error();
    auto st = strategy.status(*m_ctx.session);
    if (!st)
        return st.error();
    if (st->state != StrategyState::Applied) {
        const QString what = st->state == StrategyState::Broken
            ? QStringLiteral("is damaged (missing: %1)").arg(st->missing.join(QStringLiteral(", ")))
            : QStringLiteral("is not applied");
        if (!m_ctx.mayChange)
            return QStringLiteral("Strategy %1 %2 on this server; apply it with `plansight strategies apply %1 --yes` "
                                  "or run the benchmark with --yes.")
                .arg(info.id, what);
        auto room = makeRoomFor(strategy);
        if (!room || !room->isEmpty())
            return room;
        if (auto applied = applyNow(strategy, st->state); !applied)
            return applied.error();
        appliedHere = info.needsObjects;
        if (appliedHere && !changesOtherPlans(strategy) && !revertsInTurn(strategy))
            m_keptHere.append(info.id);
    }
    footprint = footprintOf(strategy);
    if (m_ctx.cancelled())
        return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    m_ctx.step(QStringLiteral("%1: ready").arg(info.id));
    return QString();
}

Status StrategyPreparer::isolate(const Strategy &strategy, const QList<std::shared_ptr<Strategy>> &sessionStrategies)
{
    m_ctx.underTest = nullptr;
    m_ctx.isolation.reset();
    auto applied = appliedStrategies(sessionStrategies);
    if (!applied)
        return applied.error();
    m_ctx.otherApplied.clear();
    for (const auto &s : applied.value()) {
        if (s->id() != strategy.id())
            m_ctx.otherApplied.append(s);
    }
    auto report = isolateStrategy(*m_ctx.session, strategy, m_ctx.otherApplied, m_ctx.mayChange);
    if (!report)
        return report.error();
    m_ctx.underTest = &strategy;
    m_ctx.isolation = report.value();
    // What the runs of `strategy` see: the objects of other strategies that change plans, unless hidden.
    m_ctx.visible.clear();
    for (const auto &s : std::as_const(m_ctx.otherApplied)) {
        if (!changesOtherPlans(*s))
            continue;
        const QStringList indexes = s->indexNames();
        const bool hidden = !addsColumns(*s) && !indexes.isEmpty()
            && std::all_of(
                indexes.begin(), indexes.end(), [&](const QString &i) { return report->hidden.contains(i); });
        if (!hidden)
            m_ctx.visible.append(s->id());
    }
    return {};
}

// ---- after the runs --------------------------------------------------------------------------------------------

bool StrategyPreparer::revertsInTurn(const Strategy &strategy) const
{
    if (addsColumns(strategy) || strategy.info().revertAfterRuns)
        return true;
    return changesOtherPlans(strategy) ? !m_ctx.hiding : !m_ctx.keepApplied;
}

// ---- keeping strategies applied, and the disk ------------------------------------------------------------------

void StrategyPreparer::markUsed(const Strategy &strategy)
{
    m_lastUsed.insert(strategy.id(), QDateTime::currentDateTimeUtc());
}

void StrategyPreparer::reportKept()
{
    if (m_keptHere.isEmpty() || m_ctx.target.isDemo)
        return;
    m_ctx.warn(QStringLiteral("Kept applied for the next sessions (their objects are their own, no other strategy's "
                              "plan can use them): %1. Revert them with: %2")
                   .arg(m_keptHere.join(QStringLiteral(", ")),
                       QStringLiteral("plansight strategies revert ") + m_keptHere.join(QLatin1Char(' '))));
}

Result<QList<KeptStrategy>> StrategyPreparer::keptStrategies(const Strategy &except)
{
    auto applied = appliedStrategies({});
    if (!applied)
        return applied.error();
    QList<KeptStrategy> out;
    for (const auto &s : applied.value()) {
        if (s->id() == except.id() || changesOtherPlans(*s))
            continue;
        auto fp = measureFootprint(*m_ctx.session, *s);
        if (!fp)
            return fp.error();
        out.append(KeptStrategy { s->id(), fp->bytes, m_lastUsed.value(s->id()) });
    }
    return out;
}

Result<QString> StrategyPreparer::makeRoomFor(const Strategy &strategy)
{
    if (!strategy.info().needsObjects)
        return QString();
    if (!m_baseSizes) {
        auto sizes = readBaseTableSizes(*m_ctx.session);
        if (!sizes)
            return sizes.error();
        m_baseSizes = sizes.value();
    }
    const qint64 estimate = estimateStrategyBytes(strategy, *m_baseSizes);
    qint64 outsideBytes = 0;
    if (m_ctx.target.isDemo && estimate >= 0) { // what it writes beside the database lands on the demo's disk too
        auto outside = strategy.outsideBytesToBuild(*m_ctx.session);
        if (!outside)
            return outside.error();
        outsideBytes = outside.value();
    }
    const auto &readDisk = m_ctx.options.diskSpace;
    const DiskSpace disk = !m_ctx.target.isDemo ? DiskSpace()
        : readDisk                              ? readDisk(m_ctx.target.demoRoot)
                                                : diskSpaceAt(m_ctx.target.demoRoot);
    DiskDecision decision = decideDiskSpace(strategy.id(), estimate, disk, {}, outsideBytes);
    if (decision.action == DiskDecision::Action::Unknown) {
        if (!m_diskUnknownSaid)
            m_ctx.warn(decision.message);
        m_diskUnknownSaid = true;
        return QString();
    }
    if (decision.action == DiskDecision::Action::Build)
        return QString();
    auto kept = keptStrategies(strategy);
    if (!kept)
        return kept.error();
    decision = decideDiskSpace(strategy.id(), estimate, disk, kept.value(), outsideBytes);
    if (decision.action == DiskDecision::Action::Refuse)
        return decision.message;
    if (decision.action != DiskDecision::Action::RevertThenBuild)
        return QString();
    m_ctx.warn(decision.message);
    for (const QString &id : std::as_const(decision.revert)) {
        auto s = strategyById(id);
        if (!s)
            continue;
        m_ctx.report(QStringLiteral("%1: reverting to make room for %2").arg(id, strategy.id()));
        if (auto st = s->revert(*m_ctx.session, m_ctx.cancel, m_ctx.applyContext()); !st) {
            if (m_ctx.isCancelError(st.error()))
                return st.error();
            return QStringLiteral("%1 was not built: %2 had to be reverted to make room on the disk, and that failed "
                                  "(%3). Revert it with: %4")
                .arg(strategy.id(), id, st.error().message, revertCommand(id));
        }
        m_keptHere.removeAll(id);
    }
    return QString();
}

bool StrategyPreparer::compact(const StrategyInfo &info)
{
    m_ctx.report(QStringLiteral("%1: compacting %2").arg(info.id, info.rewritesTables.join(QStringLiteral(", "))));
    const Status compacted = m_ctx.underApplyTimeout([&] { return compactTables(*m_ctx.session, info, m_ctx.cancel); });
    if (!compacted)
        m_ctx.warn(notCompactedMessage(
            info, m_ctx.isCancelError(compacted.error()) ? QStringLiteral("cancelled") : compacted.error().message));
    return compacted.ok();
}

Status StrategyPreparer::revertWaitingForLocks(Strategy &strategy)
{
    const QDeadlineTimer deadline(LockWaitMs);
    for (int attempt = 2;; ++attempt) {
        Status st = revertAfterCancel(strategy, *m_ctx.session, m_ctx.cancel, m_ctx.applyContext());
        if (st || st.error().code != QLatin1String("55P03") || deadline.hasExpired() || m_ctx.cancelled())
            return st;
        m_ctx.report(QStringLiteral("%1: reverting again in %2 s (try %3), after: %4")
                         .arg(strategy.id())
                         .arg(LockRetryPauseMs / 1000)
                         .arg(attempt)
                         .arg(st.error().message));
        const QDeadlineTimer pause(LockRetryPauseMs);
        while (!pause.hasExpired() && !m_ctx.cancelled())
            QThread::msleep(50);
    }
}

void StrategyPreparer::revertInTurn(Strategy &strategy)
{
    const StrategyInfo info = strategy.info();
    m_ctx.shielded = true;
    const Status reverted = revertWaitingForLocks(strategy);
    m_ctx.shielded = false;
    if (!reverted) {
        m_ctx.warn(
            QStringLiteral("%1 could not be reverted after its runs, so the strategies measured after it see its "
                           "objects (their runs are marked not-isolated): %2 %3")
                .arg(info.id, reverted.error().message, reverted.error().hint));
    } else if (!info.rewritesTables.isEmpty()) {
        // The rewritten tables get their size and layout back before anything else is measured on them (this or
        // a later session); on a server that is not the demo that lock is the DBA's call.
        if (!m_ctx.target.isDemo)
            m_ctx.warn(QStringLiteral("%1 rewrote every row of %2; after its revert they keep the dead row versions "
                                      "until VACUUM FULL (not run here: it locks the tables).")
                           .arg(info.id, info.rewritesTables.join(QStringLiteral(", "))));
        else if (m_ctx.cancelled())
            m_ctx.warn(notCompactedMessage(info, QStringLiteral("the session was cancelled first")));
        else
            (void)compact(info);
    }
    if (m_ctx.cancelled())
        m_ctx.session->cancel();
}

void StrategyPreparer::restoreState(bool endedEarly)
{
    for (const auto &strategy : std::as_const(m_restoreAtEnd)) {
        const QString id = strategy->id();
        const QString command = QStringLiteral("plansight strategies apply %1 --dsn ... --yes").arg(id);
        if (m_ctx.cancelled() || endedEarly || !m_ctx.alive()) {
            m_ctx.warn(
                QStringLiteral("%1 was applied before this session and reverted so that the other strategies were "
                               "measured without it; the session ended early, so it is not applied again: %2")
                    .arg(id, command));
            continue;
        }
        if (auto st = strategy->status(*m_ctx.session); st && st->state == StrategyState::Applied)
            continue;
        m_ctx.report(QStringLiteral("%1: applying again, as it was before the session").arg(id));
        const Status applied = m_ctx.underApplyTimeout(
            [&] { return strategy->apply(*m_ctx.session, m_ctx.cancel, {}, m_ctx.applyContext()); });
        if (applied)
            m_ctx.warn(QStringLiteral("%1 was applied before this session: reverted to measure the other strategies "
                                      "without it, and applied again at the end.")
                           .arg(id));
        else
            m_ctx.warn(QStringLiteral("%1 was applied before this session and could not be applied again at the end "
                                      "(%2): %3")
                           .arg(id, applied.error().message, command));
    }
    m_restoreAtEnd.clear();
}

} // namespace plansight
