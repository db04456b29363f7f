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
// "reference" for the baseline (the page the others are compared with), else checkWords(), naming the stand-in the
// page was checked against when the baseline had none ("same rows (vs p5-prejoin)").
QString runCheckWords(const StrategyRun &run);
// The write cost against the base schema (session/results.h, writeCostVerdict): "+1.20 ms", "-0.410 ms",
// "no measurable difference", "none (creates nothing)"; not measured: "-", or the strategy's own write time
// when the base schema's was not measured.
QString formatWriteCost(const Footprint &f);

// The server's time of a run, from its EXPLAIN ANALYZE: planning + execution (StrategyRun::serverMs), "153.1 ms";
// "-" when either part is unknown (a run recorded without its planning time), never the execution alone.
QString formatServerTime(const StrategyRun &run);
// The same with its parts: "153.1 ms (planning 152.0 ms + execution 1.09 ms)"; with a part not measured:
// "unknown (planning not measured, execution 1.09 ms)"; neither measured: "not measured".
QString serverTimeWords(const StrategyRun &run);
// The planning time with its share of the client median (StrategyRun::planningShareOfClient): "152.0 ms (99.3%)";
// the time alone when the median is not measured; "-" when the planning time is not.
QString formatPlanningShare(const StrategyRun &run);
// The time the run's EXPLAIN ANALYZE spent compiling JIT code (StrategyRun::jitMs) with its share of the server's
// time (planning + execution, of which it is part): "1.99 s (40%)"; "none" when nothing was compiled; "-" when not
// measured.
QString formatJitTime(const StrategyRun &run);
// The same in a sentence for notes: "1.99 s of the server's 5.01 s went to compiling JIT code (40%)"; empty when
// nothing was compiled or it was not measured.
QString jitTimeWords(const StrategyRun &run);
// The setting overrides a run was made under (StrategyRun::settings): "jit=off, work_mem=64MB"; "none" when it ran
// under the session's own settings.
QString runSettingsWords(const StrategyRun &run);
// The client median of the statement prepared once (StrategyRun::preparedStats): "0.610 ms"; "no SQL" for a
// measured answer without SQL (a cache: there is no statement to prepare); "-" when not measured.
QString formatPreparedMedian(const StrategyRun &run);

// The machine at one moment: "load 0.52 / 0.61 / 0.70 (1, 5, 15 min) on 2 CPUs, 18.2 GiB of 23.4 GiB memory
// available", with " (BUSY)" when the 1-minute load exceeds the CPUs; not read: "not recorded".
QString describeMachine(const MachineState &m);

} // namespace plansight
