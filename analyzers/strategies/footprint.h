#pragma once

// What a strategy costs (DESIGN.md, "Strategies"): its objects, their bytes, its build time and its write
// cost. Fills the Footprint of bench/results.h.

#include "bench/results.h"
#include "strategies/strategy.h"

namespace plansight {

// The objects of an applied strategy (its plannedObjects()), their bytes and the build time of the last
// apply() in this process (-1 when it was not built here). Bytes: pg_total_relation_size of its tables,
// pg_relation_size of its indexes on the gallery tables, the stored size of its columns. The write fields
// stay -1 (see measureWriteCosts).
Result<Footprint> measureFootprint(PgSession &session, const Strategy &strategy);

struct WriteCostOptions {
    int repetitions = 5; // the median is reported
    int tagsPerItem = 75; // the gallery app's mean; fewer when the tags table has fewer
};

// The time to write one item with its tags and remove it again: INSERT the item into content_items,
// INSERT its tags into content_tags in one statement, DELETE the tags, DELETE the item; median of the
// repetitions, in ms. Everything runs in one transaction that is rolled back, so the data set is
// unchanged (the probe item takes an explicit id, so not even the id sequence moves). The objects of
// `takeAway` (applied strategies) are dropped first inside that transaction and come back with the
// rollback, so the number is what the write costs without them. Takes short exclusive locks on the gallery
// tables while it runs.
Result<double> measureWriteCost(PgSession &session, const QList<std::shared_ptr<Strategy>> &takeAway,
    CancelToken *cancel = nullptr, const WriteCostOptions &options = {});

// footprint.writeMs: the write cost with `strategy` as the only strategy present (every other applied
// strategy taken away); footprint.baselineWriteMs: the same with none present. `strategy` must be applied.
Status measureWriteCosts(PgSession &session, const Strategy &strategy, Footprint &footprint,
    CancelToken *cancel = nullptr, const WriteCostOptions &options = {});

} // namespace plansight
