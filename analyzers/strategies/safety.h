#pragma once

// Safety on servers that are not PlanSight's own demo (DESIGN.md, "Reliability rules"): nothing is created
// without an explicit confirmation naming each object.

#include "strategies/strategy.h"

namespace plansight {

// True when the session's database is PlanSight's demo: readDemoInfo() (gallery/demogenerator.h) finds the
// metadata row a completed demo build writes. Cheap; safe on any database.
Result<bool> isPlanSightDemo(PgSession &session);

// The objects applying `strategies` would create, "<id>: <object>" per line, for the confirmation; only
// strategies that are not applied yet are listed by the caller.
QStringList objectsToConfirm(const QList<std::shared_ptr<Strategy>> &strategies);

} // namespace plansight
