#pragma once

// What a benchmark session records about where it ran (docs/architecture.md, "The flow of one run"): the server,
// its version and non-default settings, the data set (the demo's metadata, or the planner's row estimates), the
// client machine's load. Problems reading them become warnings through the RunContext.
//
// Threading: the session's thread (see bench/runcontext.h).

#include "session/results.h"

namespace plansight {

struct RunContext;

SessionInfo describeSession(RunContext &ctx);

} // namespace plansight
