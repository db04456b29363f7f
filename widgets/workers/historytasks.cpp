#include "workers/historytasks.h"

namespace plansight::gui {

Result<HistoryList> listHistory(const QString &path, const QString &filter)
{
    auto store = HistoryStore::open(path);
    if (!store)
        return store.error();
    auto list = store->listSessions(filter);
    if (!list)
        return list.error();
    return HistoryList { store->path(), filter, list.value() };
}

Result<SessionResult> loadHistorySession(const QString &path, qint64 id)
{
    auto store = HistoryStore::open(path);
    if (!store)
        return store.error();
    return store->loadSession(id);
}

Result<SessionPair> loadHistoryPair(const QString &path, qint64 a, qint64 b)
{
    auto store = HistoryStore::open(path);
    if (!store)
        return store.error();
    auto sa = store->loadSession(a);
    if (!sa)
        return sa.error();
    auto sb = store->loadSession(b);
    if (!sb)
        return sb.error();
    return SessionPair { sa.value(), sb.value() };
}

} // namespace plansight::gui
