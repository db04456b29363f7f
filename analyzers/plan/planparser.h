#pragma once

// Reading EXPLAIN output into a Plan. One entry point, parsePlan(), takes whatever a DBA pastes or a tool
// stores and detects the format:
//
//  - EXPLAIN (FORMAT JSON) as PostgreSQL 13-18 emit it: the one-element array or the bare object; as psql
//    prints it (a "QUERY PLAN" header, a dashed rule, table borders, "+" continuation marks, the "(1 row)"
//    footer in any language); as auto_explain logs it (a "LOG:  duration: ... plan:" prefix); and pasted from
//    CSV logs or spreadsheets with every quote doubled.
//  - EXPLAIN text format as psql prints it: indentation, "->" arrows, InitPlan/SubPlan/CTE labels,
//    "(never executed)", worker lines, wrapped lines (psql's wrapped format), table borders, the "(N rows)"
//    footer in any language, tabs from log files, and the CRLF line ends of Windows clipboards.
//
// The result carries derived metrics (deriveMetrics() has already run) and its warnings. Bad input (empty,
// binary, truncated, wrong types, absurd numbers, nesting deeper than maxPlanDepth) gives an Error with code
// errc::Input and one clear sentence; the parser never crashes, never recurses without bound and is fuzzed
// (tests/fuzz).
//
// Threading: pure functions, callable from any thread.

#include "plan/plannode.h"
#include "util/result.h"

#include <QByteArray>

namespace plansight {

inline constexpr int maxPlanDepth = 1000; // deeper trees are refused (PostgreSQL's own stack limit is far lower)
inline constexpr qint64 maxPlanInputBytes = qint64(512) * 1024 * 1024;

// Auto-detects JSON or text, parses, derives metrics.
Result<Plan> parsePlan(const QByteArray &input);
// The same without detection; both derive metrics too.
Result<Plan> parseJsonPlan(const QByteArray &input);
Result<Plan> parseTextPlan(const QByteArray &input);

// True when the input looks like EXPLAIN JSON (after psql framing and log prefixes are removed).
bool looksLikeJsonPlan(const QByteArray &input);

} // namespace plansight
