#pragma once

// Plans as text and JSON for the command line, scripts and the report.
//
// toJson() is the `plansight explain --json` shape, stable for scripts:
//   { "format": "json"|"text", "planning_ms": n|null, "execution_ms": n|null, "total_ms": n,
//     "analyzed": b, "self_check": { "applicable", "ok", "nodes_ms", "concurrent_nodes", "jit_ms", "triggers_ms",
//     "gap_ms", "tolerance_ms", "message" }, "warnings": [..], "triggers": [..], "jit": {..}|null, "settings": {..},
//     "query_text": s|null, "top_fields": {every top-level key except Plan},
//     "plan": node }
//   node = { "id", "node_type", "display_type", "parent_relationship", "subplan_name", "relation", "schema",
//     "alias", "index", "cte", "function", "exclusive_ms", "inclusive_ms", "exclusive_percent",
//     "inclusive_percent", "rows_total", "actual_rows", "plan_rows", "loops", "never_executed",
//     "estimate_factor", "estimate_direction", "rows_removed", "processes", "concurrent", "stopped_by_limit",
//     "buffers" {exclusive},
//     "buffers_inclusive", "io_ms", "hints": [{kind, severity, text}], "fields": {every key except Plans},
//     "unknown_keys": [..], "children": [node...] }
// Absent figures are null.

#include "plan/plandiff.h"
#include "plan/planmetrics.h"
#include "plan/plannode.h"
#include "present/format.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>

namespace plansight {

// `explain --json`'s document as indented text: byte for byte what QJsonDocument(toJson(plan)).toJson() would write,
// written straight from the plan (a 10,000-node plan is 94 MB of it; docs/architecture.md, "Performance targets").
QByteArray planJsonText(const Plan &plan);
// The same text handed to `sink` in pieces of about a megabyte as it is written (`explain --json` writes them to
// standard output), so no buffer of the whole document is needed.
void writePlanJson(const Plan &plan, const std::function<void(const char *data, qsizetype size)> &sink);
// The same document as a QJsonObject (read back from planJsonText(), which is its one definition).
QJsonObject toJson(const Plan &plan);

// Durations, counts and percentages print with the shared formatters of present/format.h (formatMs,
// formatCount, formatPercent); what follows is the plan's own.
// An estimate factor or a ratio without the "x": "1.5", "164", "12,345"; above planFactorDisplayMax it is
// clamped to "> 1e9" (an integer cast of such a factor would overflow). "-" when not finite.
inline constexpr double planFactorDisplayMax = 1e9;
QString formatFactor(double factor);

struct PlanTextOptions {
    bool color = false; // ANSI colours for a terminal
    bool showFields = false; // also print every remaining field (conditions are always printed)
    int width = 0; // wrap conditions at this width (0: no wrapping)
    // Which relations are partitions (planmetrics.h, R14); the pruning line is printed under the header when the
    // plan reads a partitioned table, with or without a lookup.
    PartitionLookup partitions;
};

// The annotated tree, like a terminal plan viewer: per node exclusive and inclusive time with % of total,
// rows with the estimate factor and direction, loops, buffers, then conditions and hints; a header with
// planning/execution time, the self-check and the partitions read (R14); warnings at the end.
QString formatPlanText(const Plan &plan, const PlanTextOptions &options = {});
// The diff: the summary, then B's tree annotated with statuses and deltas, and the removed nodes.
QString formatDiffText(const PlanDiff &diff, const Plan &a, const Plan &b, const PlanTextOptions &options = {});

} // namespace plansight
