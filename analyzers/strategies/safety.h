#pragma once

// Safety on servers that are not PlanSight's own demo (docs/architecture.md, "Reliability rules"): nothing is created
// without an explicit confirmation naming each object. And one PlanSight session at a time changes or
// measures a database (README.md, "How strategies are measured").

#include "strategies/strategy.h"

#include <functional>

namespace plansight {

// True when the session's database is PlanSight's demo: readDemoInfo() (gallery/demogenerator.h) finds the
// metadata row a completed demo build writes. Cheap; safe on any database.
Result<bool> isPlanSightDemo(PgSession &session);

// The objects applying `strategies` would create, "<id>: <object>" per line, for the confirmation; only
// strategies that are not applied yet are listed by the caller. With `forBench`, the line of the HypoPG
// extension a benchmark may create to hide the other strategies' indexes (it drops it again at its end).
QStringList objectsToConfirm(const QList<std::shared_ptr<Strategy>> &strategies, bool forBench = false);

// The line objectsToConfirm() adds for HypoPG.
QString hypopgConfirmLine();

// The database lock: a session-level advisory lock on a fixed key (PlanSightLockKey), taken by everything
// that applies, reverts or measures strategies (bench, strategies apply/revert, the window's changes) and
// held by that connection until it is released or closed. Advisory locks are per database, so two
// databases of one server are measured at the same time without waiting.
inline constexpr qint64 PlanSightLockKey = 0x506C616E53696768; // "PlanSigh"
inline const QString LockBusyCode = QStringLiteral("PSBUSY");

// Takes the lock. When another session holds it, `notice` receives one sentence naming it ("another
// PlanSight session (pid 123, application_name PlanSight bench) is measuring this database; waiting...")
// and the call waits on the server until the lock is free (cancellable through `cancel`: errc::Cancelled),
// or, when !wait, returns a LockBusyCode error naming the holder. Waiting ignores the statement timeout.
Status acquireDatabaseLock(
    PgSession &session, bool wait, CancelToken *cancel, const std::function<void(const QString &)> &notice = {});
// Gives the lock back (a no-op when this session does not hold it).
Status releaseDatabaseLock(PgSession &session);

} // namespace plansight
