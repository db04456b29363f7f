#pragma once

// Measuring a strategy in isolation (DESIGN.md, "Strategies"): a run of strategy S sees only the base
// schema plus S's objects. With HypoPG (1.3 or later) the indexes of the other applied strategies are
// hidden from this session's planner (hypopg_hide_index; per session, nothing changes on disk). Without
// it the caller applies, measures and reverts the strategies in turn.
//
// Only indexes can be hidden. The other objects strategies make do not change how other strategies'
// queries are planned: triggers act on writes, x-topn's table is read only by x-topn, and p3's column is
// read only by p3 (it widens the content tables' rows, which the planner sees through their size).

#include "strategies/strategy.h"

namespace plansight {

struct IsolationReport {
    bool isolated = false; // true: every other applied strategy's index is hidden in this session
    QString hypopgVersion; // installed version, empty when not installed
    QStringList hidden; // "public.ps_p4_indexes_regular", ...
    // When !isolated: why, in one sentence, and that the caller must apply, measure and revert in turn.
    QString message;
};

// Hides, in `session` only, the indexes of every strategy in `applied` other than `underTest` (first
// unhiding what an earlier call hid). Installs HypoPG with CREATE EXTENSION when the server has it and
// `mayCreateExtension` (the demo, or the user confirmed); otherwise reports isolated = false. An error only
// when a statement fails for another reason (a lost connection).
Result<IsolationReport> isolateStrategy(PgSession &session, const Strategy &underTest,
    const QList<std::shared_ptr<Strategy>> &applied, bool mayCreateExtension);
// Makes every index visible again in this session (a no-op without HypoPG).
Status endIsolation(PgSession &session);

} // namespace plansight
