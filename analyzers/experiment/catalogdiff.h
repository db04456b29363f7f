#pragma once

// What an experiment's variant did to the catalog (docs/experiments.md, "Footprint and teardown"): the objects of the
// user schemas read before and after its setup, and again after its teardown. The difference is its footprint; what
// the teardown left (or removed) is named.

#include "strategies/strategy.h"
#include "util/result.h"

#include <QMap>

namespace plansight {

class PgSession;

// One object: CreatedObject (strategies/strategy.h) plus the table it belongs to (columns, triggers, constraints).
struct CatalogEntry {
    CreatedObject object;
    QString parent; // "public.orders" for a column of it; empty for objects of their own
};
// By "kind name" (CreatedObject::describe()).
using CatalogState = QMap<QString, CatalogEntry>;

// The objects of the user schemas now (resources/sql/experiment/catalog.sql).
Result<CatalogState> readCatalog(PgSession &session);

// The objects of `after` that are not in `before`, in catalog order, without the columns, triggers and constraints
// of a table that is itself new (they come and go with it).
QList<CreatedObject> addedObjects(const CatalogState &before, const CatalogState &after);

// "index public.orders_cover, function public.f(integer)": objects for a sentence.
QString describeObjects(const QList<CreatedObject> &objects);

} // namespace plansight
