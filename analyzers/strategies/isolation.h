#pragma once

// Measuring a strategy in isolation (docs/architecture.md, "The strategy contract"): a run of strategy S sees only the
// base schema plus S's objects. With HypoPG 1.4 or later (hypopg_hide_index; Debian 12's 1.3.1 lacks it) the indexes of
// the other applied strategies are hidden from this session's planner (hypopg_hide_index; per session, nothing changes
// on disk). Without it the caller applies, measures and reverts the strategies in turn.
//
// Only indexes can be hidden. Triggers (they act on writes) and tables of a strategy's own (read only by
// it) do not change how other strategies' queries are planned. A column on the gallery tables does: p3's
// tag array widens every row of the content tables, the planner sees the larger tables and may choose
// other plans for the baseline (the integration test shows the baseline's content_items scan flipping from
// a sequential scan to an index scan). Such strategies are reported in `mustRevert`.

#include "strategies/strategy.h"

namespace plansight {

struct IsolationReport {
    // true: every other applied strategy's index is hidden in this session and none of them changes the
    // gallery tables themselves
    bool isolated = false;
    QString hypopgVersion; // installed version, empty when not installed
    QStringList hidden; // "public.ps_p4_indexes_regular", ...
    // Other applied strategies that hiding cannot take away (they add columns to the gallery tables):
    // revert them to measure `underTest` in isolation.
    QStringList mustRevert;
    // When !isolated: why, in one sentence, and that the caller must apply, measure and revert in turn.
    QString message;
    bool createdExtension = false; // this call ran CREATE EXTENSION hypopg (dropHypopgIfCreated() removes it)
};

// True when the strategy's objects can change how OTHER strategies' queries are planned: an index or a column
// on a gallery table. Its own tables, their indexes, triggers and functions cannot (strategies without a
// catalog of objects count as changing, to be safe).
bool changesOtherPlans(const Strategy &strategy);
// True when the strategy adds columns to gallery tables (p3): hiding cannot take those away, only a revert.
bool addsColumns(const Strategy &strategy);

// Whether isolateStrategy() will be able to hide indexes in this database: HypoPG 1.4 or later installed, or
// available and `mayCreateExtension`. Debian 12 ships 1.3.1, which cannot.
Result<bool> canHideIndexes(PgSession &session, bool mayCreateExtension);

// Hides, in `session` only, the indexes of every strategy in `applied` other than `underTest` and those it uses
// (StrategyInfo::uses) (first
// unhiding what an earlier call hid). Installs HypoPG with CREATE EXTENSION when the server offers a version
// that can hide (1.4+), there is something to hide and `mayCreateExtension` (the demo, or the user confirmed
// the list of objectsToConfirm(..., true)); the extension is marked as PlanSight's with a comment. Otherwise
// reports isolated = false. An error only when a statement fails for another reason (a lost connection).
Result<IsolationReport> isolateStrategy(PgSession &session, const Strategy &underTest,
    const QList<std::shared_ptr<Strategy>> &applied, bool mayCreateExtension);
// Makes every index visible again in this session (a no-op without HypoPG).
Status endIsolation(PgSession &session);
// Drops HypoPG when PlanSight created it (its mark, also left by a session that was killed); a no-op otherwise.
// Returns whether it dropped it.
Result<bool> dropHypopgIfCreated(PgSession &session);

} // namespace plansight
