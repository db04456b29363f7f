#pragma once

// The plan part of a report section, from recorded EXPLAIN JSON (analyzers/plan does the parsing, the
// metrics and the diff). Pure function, any thread.

#include "report/reportcontent.h"

#include <QByteArray>

namespace plansight {

// How many nodes a section's tree shows at most, and the share of the plan's time that makes a node matter.
inline constexpr int reportPlanMaxNodes = 40;
inline constexpr double reportPlanNodeShare = 1.0; // percent of the total, exclusive or inclusive

// `planJson`: the run's EXPLAIN; `baselinePlanJson`: the baseline's for the same workload (empty for the
// baseline itself or when there is none). `isReference`: the run is the baseline (no diff is expected).
// Bad or empty JSON gives available = false with a note saying why.
ReportPlan reportPlan(const QByteArray &planJson, const QByteArray &baselinePlanJson, bool isReference);

} // namespace plansight
