#include "history/historyrecorder.h"

namespace plansight {

QStringList HistoryRecorder::sessionStarted(SessionInfo &info)
{
    m_store.reset();
    auto store = HistoryStore::open(m_path);
    if (!store)
        return { QStringLiteral("The session is not recorded in the history: %1").arg(store.error().toString()) };
    auto id = store->beginSession(info);
    if (!id)
        return { QStringLiteral("The session is not recorded in the history: %1").arg(id.error().toString()) };
    info.id = id.value();
    m_store.emplace(std::move(store.value()));
    return {};
}

QStringList HistoryRecorder::runFinished(const SessionInfo &info, const StrategyRun &run)
{
    if (!m_store)
        return {};
    if (auto st = m_store->addRun(info.id, run); !st)
        return {
            QStringLiteral("A run of %1 is not recorded in the history: %2").arg(run.strategyId, st.error().toString())
        };
    return {};
}

QStringList HistoryRecorder::sessionFinished(const SessionResult &session)
{
    if (!m_store)
        return {};
    const Status st
        = m_store->finishSession(session.info.id, QDateTime::currentDateTimeUtc(), session.info.machineAtEnd);
    m_store.reset();
    if (!st)
        return { QStringLiteral("The history could not mark the session finished: %1").arg(st.error().toString()) };
    return {};
}

} // namespace plansight
