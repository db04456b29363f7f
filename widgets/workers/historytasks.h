#pragma once

// History work as jobs on the reads lane (workers/joblane.h): listing and loading sessions from the SQLite
// history. Each function opens its own HistoryStore on the lane's thread (a store is used by one thread only).

#include "history/historystore.h"
#include "util/result.h"

#include <QMetaType>

namespace plansight::gui {

struct HistoryList {
    QString path;
    QString filter;
    QList<SessionSummary> sessions;
};

// Two sessions loaded for a comparison.
struct SessionPair {
    SessionResult a, b;
};

Result<HistoryList> listHistory(const QString &path, const QString &filter);
Result<SessionResult> loadHistorySession(const QString &path, qint64 id);
Result<SessionPair> loadHistoryPair(const QString &path, qint64 a, qint64 b);

} // namespace plansight::gui

Q_DECLARE_METATYPE(plansight::gui::HistoryList)
Q_DECLARE_METATYPE(plansight::gui::SessionPair)
