#pragma once

// The session document, the JSON a session exports to and is read back from (README.md, "JSON"): its
// description, its runs, and the winners of the one rule (present/ranking.h) with the verdict of each workload
// in words. The model's own values map in session/results.h (toJson(StrategyRun), toJson(SessionInfo)); this
// adds the document around them, so that the model needs no presentation.

#include "present/expectations.h"
#include "session/results.h"

#include <QJsonObject>

namespace plansight {

// {"format": "plansight-session", "format_version": 1, "session": {...}, "winner": ..., "winners": {...},
// "verdict": [...], "results": [...]}; plans only when `withPlans`. "verdict" is the session's verdict against
// `expectations` (present/verdict.h; the built-in review's when null): added in format version 1, which readers
// that ignore members they do not know read as before.
QJsonObject toJson(
    const SessionResult &session, bool withPlans = false, const ReviewExpectations *expectations = nullptr);
// A document written by toJson(SessionResult). Not a session document, another format version, or a malformed
// member is an errc::Input error naming it; "winner", "winners" and "verdict" are not read (they follow from the runs).
Result<SessionResult> sessionFromJson(const QJsonObject &json);

} // namespace plansight
