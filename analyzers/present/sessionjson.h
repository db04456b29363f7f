#pragma once

// The session document, the JSON a session exports to and is read back from (README.md, "JSON"): its
// description, its runs, and the winners of the one rule (present/ranking.h) with the verdict of each workload
// in words. The model's own values map in session/results.h (toJson(StrategyRun), toJson(SessionInfo)); this
// adds the document around them, so that the model needs no presentation.

#include "session/results.h"

#include <QJsonObject>

namespace plansight {

// {"format": "plansight-session", "format_version": 1, "session": {...}, "winner": ..., "winners": {...},
// "results": [...]}; plans only when `withPlans`.
QJsonObject toJson(const SessionResult &session, bool withPlans = false);
// A document written by toJson(SessionResult). Not a session document, another format version, or a malformed
// member is an errc::Input error naming it; "winner" and "winners" are not read (they follow from the runs).
Result<SessionResult> sessionFromJson(const QJsonObject &json);

} // namespace plansight
