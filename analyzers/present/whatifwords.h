#pragma once

// The words and figures of what-if predictions (strategies/whatif.h; docs/architecture.md, "What-if before
// building"), used by the command line, the window and the PDF report alike. Sizes print with present/format.h.

#include "session/results.h"

namespace plansight {

// A planner's cost estimate (EXPLAIN's arbitrary units): "0.43", "12.34", "4,567.89", two decimals with thousands
// separators; from 1e12 in scientific form; negative or not finite: "-".
QString formatCost(double cost);

// What-if against built (StrategyRun::predicted()): "predicted cost 12.34, built 11.90; predicted size 1.2 MiB,
// built 1.3 MiB; the built plan reads the predicted indexes (ps_p4_indexes_auto)", or "... the predicted plan read
// ps_p4_indexes_auto (hypothetical), the built plan reads idx_content_tags_tag_content"; empty for a run without a
// prediction.
QString whatIfWords(const StrategyRun &run);
// Whether the built plan read the same indexes as the predicted one (a hypothetical index by its own name).
bool whatIfSameIndexes(const StrategyRun &run);

} // namespace plansight
