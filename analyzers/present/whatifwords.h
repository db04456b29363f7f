#pragma once

// The words and figures of what-if predictions (strategies/whatif.h; docs/architecture.md, "What-if before
// building"), used by the command line, the window and the bench runner's note alike. Sizes print with
// present/format.h.

#include <QString>
#include <QStringList>

namespace plansight {

// A planner's cost estimate (EXPLAIN's arbitrary units): "0.43", "12.34", "4,567.89", two decimals with thousands
// separators; from 1e12 in scientific form; negative or not finite: "-".
QString formatCost(double cost);

// A prediction beside what was built: the predicted plan's root cost, the indexes it read (a hypothetical one marked
// " (hypothetical)") and HypoPG's size estimate; the built plan's root cost (-1: not explained), its indexes and the
// indexes' real size.
struct WhatIfAgainstBuilt {
    double predictedCost = -1;
    QStringList predictedIndexes;
    qint64 predictedBytes = -1;
    double builtCost = -1;
    QStringList builtIndexes;
    qint64 builtBytes = -1;
    // Whether the built plan read the same indexes as the predicted one (a hypothetical index by its own name).
    bool sameIndexes() const;
};

// "what-if before building (HypoPG): predicted cost 12.34, built 11.90; predicted size 1.2 MiB, built 1.3 MiB; the
// built plan reads the predicted indexes (ps_p4_indexes_auto)", or "...; the predicted plan read ps_p4_indexes_auto
// (hypothetical), the built plan reads idx_content_tags_tag_content".
QString whatIfWords(const WhatIfAgainstBuilt &w);

} // namespace plansight
