#pragma once

// What a strategy costs (docs/architecture.md, "The strategy contract"): its objects, their bytes, its build time and
// its write cost. Fills the Footprint of session/results.h.

#include "session/results.h"
#include "strategies/strategy.h"

namespace plansight {

// The objects of an applied strategy (its plannedObjects()), their bytes and the build time of the last
// apply() in this process (-1 when it was not built here). Bytes: pg_total_relation_size of its tables,
// pg_relation_size of its indexes on the gallery tables, the stored size of its columns, and what it stores outside
// the database (Strategy::outsideStorage: a standby's copy, a search index), listed as one more object; then the
// objects and bytes of the applied strategies it uses (StrategyInfo::uses), each marked "(of <id>)". The write
// fields stay -1 (see measureWriteCosts).
Result<Footprint> measureFootprint(PgSession &session, const Strategy &strategy);

struct WriteCostOptions {
    int repetitions = 3; // within one probe; the probe's median is its sample
    int tagsPerItem = 75; // the gallery app's mean; fewer when the tags table has fewer
    int samples = 7; // probes on each side (with and without the strategy), taken alternately
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

// footprint.writeMs: the write cost with `strategy` as the only strategy present, with the applied strategies it uses
// (StrategyInfo::uses; every other applied strategy taken away); footprint.baselineWriteMs: the same with none present.
// `strategy` must be applied. One probe gives noise, not a cost (the baseline measured +4.72 ms against itself), so
// options.samples probes are taken on each side, alternating with and without (so that a drift of the machine hits both
// alike), and each side is reported as its median with p25 and p75 (summarizeWriteCosts). A strategy that creates no
// objects cannot change what a write costs: it is probed once per sample and both sides get the same numbers.
Status measureWriteCosts(PgSession &session, const Strategy &strategy, Footprint &footprint,
    CancelToken *cancel = nullptr, const WriteCostOptions &options = {});

// Fills the write fields of `footprint` from the samples with and without the strategy: medians, p25 and p75
// (session/statistics.h quantiles) and the sample count. Empty samples leave the fields at -1.
void summarizeWriteCosts(const QList<double> &withMs, const QList<double> &withoutMs, Footprint &footprint);

} // namespace plansight
