#pragma once

// The words PlanSight prints for result checks, outcomes, write costs and the machine (docs/architecture.md,
// "Layers"): one table, used by the command line, the window and the PDF report alike. Figures print with
// present/format.h.

#include "present/format.h"
#include "session/results.h"

namespace plansight {

// The words a person reads for a result check: "same rows", "DIFFERENT rows", "stale rows", "not checked",
// "check failed", "both empty". (toString() in session/results.h gives the stable tokens of the JSON.)
QString checkWords(ResultCheck check);
// The words for a run's outcome: "measured", "FAILED", "cancelled", "skipped", "NOT ISOLATED".
QString outcomeWords(RunOutcome outcome);
// What a table's check column says about a run: its outcome's words when it was not measured in full, else
// "reference" for the baseline (the page the others are compared with), else checkWords().
QString runCheckWords(const StrategyRun &run);
// The write cost against the base schema (session/results.h, writeCostVerdict): "+1.20 ms", "-0.410 ms",
// "no measurable difference", "none (creates nothing)"; not measured: "-", or the strategy's own write time
// when the base schema's was not measured.
QString formatWriteCost(const Footprint &f);

// The machine at one moment: "load 0.52 / 0.61 / 0.70 (1, 5, 15 min) on 2 CPUs, 18.2 GiB of 23.4 GiB memory
// available", with " (BUSY)" when the 1-minute load exceeds the CPUs; not read: "not recorded".
QString describeMachine(const MachineState &m);

} // namespace plansight
