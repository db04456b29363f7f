#pragma once

// Records a benchmark session in the history as it runs (docs/architecture.md, "The flow of one run"): the
// session when it is described (its id goes into SessionInfo::id), each run in a transaction of its own as it
// finishes, the end with the machine's state. A SessionObserver (session/sessionobserver.h) that the front ends
// attach to the bench service; bench/ knows nothing of it. What it cannot write becomes a warning of the
// session ("The session is not recorded in the history: ..."), and it stops recording.
//
// Threading: the session's thread (the store is opened there, at sessionStarted).

#include "history/historystore.h"
#include "session/sessionobserver.h"

#include <optional>

namespace plansight {

class HistoryRecorder : public SessionObserver {
public:
    // The history at `path` (empty: HistoryStore::defaultPath()); opened when the session starts.
    explicit HistoryRecorder(QString path = {}) : m_path(std::move(path)) { }

    QStringList sessionStarted(SessionInfo &info) override;
    QStringList runFinished(const SessionInfo &info, const StrategyRun &run) override;
    QStringList sessionFinished(const SessionResult &session) override;

private:
    QString m_path;
    std::optional<HistoryStore> m_store; // set while recording
};

} // namespace plansight
