#pragma once

// Preparing the strategies of a benchmark session (docs/architecture.md, "The flow of one run" and "The strategy
// contract"): the run order, the known start state, applying each strategy in its turn with its footprint,
// isolating it from the others, reverting and compacting after its runs, and applying again at the end what
// the DBA had applied before. Every problem that does not stop the session becomes a warning through the
// RunContext (with the command that finishes the job).
//
// Threading: the session's thread (see bench/runcontext.h).

#include "bench/runcontext.h"
#include "strategies/diskspace.h"

#include <QDateTime>
#include <QHash>

namespace plansight {

// The strategies in run order: duplicates dropped, strategies that rewrite tables last, and with the result
// check the baseline first (added when absent). A settings variant comes right after the strategy whose objects it
// uses (objectOwner(), strategies/settingsvariantstrategy.h), or where that strategy would come when it is not
// measured itself: consecutive strategies with the same owner are measured in one turn of that owner.
Result<QList<std::shared_ptr<Strategy>>> orderStrategies(const BenchOptions &options);

class StrategyPreparer {
public:
    explicit StrategyPreparer(RunContext &ctx) : m_ctx(ctx) { }

    // Before anything is measured: reverts (or refuses, see BenchOptions::applyMissing) the objects the runs would
    // see that this session did not make.
    Status startFromKnownState(const QList<std::shared_ptr<Strategy>> &strategies);
    // Makes sure the strategy's objects are there and measures its footprint. Returns the reason it cannot run
    // (skipped), an empty text when it is ready, or an error. `appliedHere` tells whether this call applied it.
    Result<QString> prepare(Strategy &strategy, Footprint &footprint, bool &appliedHere);
    // Hides the other applied strategies' indexes from this session (HypoPG) and records in RunContext::visible
    // the strategies whose objects the runs of `strategy` still see (their runs become not-isolated).
    Status isolate(const Strategy &strategy, const QList<std::shared_ptr<Strategy>> &sessionStrategies);
    // True when `strategy`, applied by this session, is reverted after its runs: it adds columns, or it adds
    // indexes that cannot be hidden, or its objects are its own and they are not kept (RunContext::keepApplied).
    bool revertsInTurn(const Strategy &strategy) const;
    // Records that `strategy` was just measured (the disk check reverts the kept strategies used least recently).
    void markUsed(const Strategy &strategy);
    // At the end, on a server that is not the demo: a warning naming the strategies this session applied and kept,
    // with the command that reverts them.
    void reportKept();
    // Reverts a strategy this session applied (after its runs, or after a cancel), and on the demo compacts the
    // tables it rewrote.
    void revertInTurn(Strategy &strategy);
    // Applies again what startFromKnownState() reverted on a server that is not the demo; `endedEarly`: the
    // session failed or was cancelled, so it is only named.
    void restoreState(bool endedEarly);

private:
    // The strategies whose objects are in the database now (applied or partly there).
    Result<QList<std::shared_ptr<Strategy>>> appliedStrategies(const QList<std::shared_ptr<Strategy>> &extra);
    // The leftovers startFromKnownState() reverts; those it may not touch go to `refused` (as "id (objects)").
    Result<QList<std::shared_ptr<Strategy>>> leftovers(
        const QList<std::shared_ptr<Strategy>> &strategies, QStringList &refused, QStringList &refusedIds);
    Status revertLeftover(Strategy &strategy, bool measured);
    Status applyNow(Strategy &strategy, StrategyState before);
    // Before `strategy` is built: its size against the free space (strategies/diskspace.h). Reverts kept strategies
    // when that makes room; returns the reason it must not be built (a skip), or an empty text.
    Result<QString> makeRoomFor(const Strategy &strategy);
    // The strategies kept applied now (own objects only, other than `except`), with their footprints.
    Result<QList<KeptStrategy>> keptStrategies(const Strategy &except);
    Footprint footprintOf(Strategy &strategy);
    // VACUUM (FULL, ANALYZE) of the tables `info` rewrote (only on the demo), under the apply timeout; false, with a
    // warning naming the command that finishes it, when it did not complete (a cancel included).
    bool compact(const StrategyInfo &info);
    // revertAfterCancel(), tried again while it fails on its lock_timeout: another session reads the table (on the demo
    // typically a kept strategy's scheduled refresh, minutes long at scale 1). Each try keeps the lock_timeout, so
    // nothing queues behind the revert while it waits; it gives up after LockWaitMs in all, or on a cancel.
    Status revertWaitingForLocks(Strategy &strategy);
    static constexpr int LockWaitMs = 10 * 60 * 1000;
    static constexpr int LockRetryPauseMs = 10 * 1000;

    RunContext &m_ctx;
    // Measured strategies applied before the session on a server that is not the demo, reverted so that the others
    // are measured without them: applied again at the end, so the DBA finds the database as it was.
    QList<std::shared_ptr<Strategy>> m_restoreAtEnd;
    // The disk check's inputs: when each strategy was last measured in this session, the base tables' sizes (read
    // once), whether the unknown free space was already named, and what this session applied and kept.
    QHash<QString, QDateTime> m_lastUsed;
    std::optional<BaseTableSizes> m_baseSizes;
    bool m_diskUnknownSaid = false;
    QStringList m_keptHere;
};

} // namespace plansight
