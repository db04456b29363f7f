#include "workers/joblane.h"

#include <QMetaObject>

namespace plansight::gui {

QString jobOutcomeName(JobOutcome outcome)
{
    switch (outcome) {
    case JobOutcome::Done:
        return QStringLiteral("done");
    case JobOutcome::Failed:
        return QStringLiteral("failed");
    case JobOutcome::Cancelled:
        return QStringLiteral("cancelled");
    case JobOutcome::Superseded:
        return QStringLiteral("superseded");
    }
    return {};
}

JobLane::JobLane(Mode mode, const QString &name, QObject *parent) : QObject(parent), m_mode(mode), m_name(name)
{
    static const bool registered = [] {
        qRegisterMetaType<JobInfo>();
        qRegisterMetaType<JobOutcome>();
        return true;
    }();
    Q_UNUSED(registered);
    setObjectName(name);
    m_pool.setObjectName(name);
    m_pool.setMaxThreadCount(1); // one job at a time: two changes never race, reads keep their order
}

JobLane::~JobLane()
{
    cancelAll();
    // The running job returns at its next cancel check (its statement is interrupted); the queued ones are
    // skipped. Their watchers are children of this lane: their pending notifications die with them.
    m_pool.waitForDone();
}

QList<JobInfo> JobLane::jobs() const
{
    QList<JobInfo> list;
    for (const auto &[id, entry] : m_jobs)
        list << entry.info;
    return list;
}

quint64 JobLane::generation(const QString &kind) const
{
    const auto it = m_generations.find(kind);
    return it == m_generations.end() ? 0 : it->second;
}

JobLane::Entry &JobLane::add(const QString &kind, const QString &what)
{
    const quint64 generation = ++m_generations[kind];
    if (m_mode == Mode::Reads)
        for (auto &[id, older] : m_jobs)
            if (older.info.kind == kind)
                cancelEntry(older); // ends as Superseded: its generation is no longer the current one
    const quint64 id = ++m_nextId;
    Entry &entry = m_jobs[id];
    entry.info = JobInfo { id, kind, what };
    entry.generation = generation;
    entry.token = std::make_shared<CancelToken>();
    return entry;
}

void JobLane::cancelEntry(Entry &entry)
{
    entry.cancelled = true;
    entry.token->cancel(); // interrupts the running statement (PgSession::cancel registered by the job)
    if (entry.cancelFuture)
        entry.cancelFuture(); // skips a job that has not begun; drops the result of one that runs
}

void JobLane::cancel(quint64 id)
{
    if (auto it = m_jobs.find(id); it != m_jobs.end())
        cancelEntry(it->second);
}

void JobLane::cancelAll()
{
    for (auto &[id, entry] : m_jobs)
        cancelEntry(entry);
}

ProgressFn JobLane::progressFor(quint64 id)
{
    // Called on the lane's thread; the lane outlives every job (its destructor waits for them), and a queued call
    // to a lane that is being destroyed is discarded with it.
    return [this, id](qint64 done, qint64 total, const QString &text) {
        QMetaObject::invokeMethod(
            this,
            [this, id, done, total, text] {
                const auto it = m_jobs.find(id);
                if (it == m_jobs.end() || it->second.cancelled)
                    return;
                if (m_mode == Mode::Reads && it->second.generation != generation(it->second.info.kind))
                    return;
                Q_EMIT progress(it->second.info, done, total, text);
            },
            Qt::QueuedConnection);
    };
}

void JobLane::end(quint64 id, bool hasResult, bool resultIsCancel, bool resultOk, const QString &message,
    const std::function<void()> &delivered)
{
    const auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    const Entry entry = it->second;
    m_jobs.erase(it);
    JobOutcome outcome = JobOutcome::Done;
    if (m_mode == Mode::Reads && entry.generation != generation(entry.info.kind))
        outcome = JobOutcome::Superseded;
    else if (entry.cancelled || !hasResult || resultIsCancel)
        outcome = JobOutcome::Cancelled;
    else
        outcome = resultOk ? JobOutcome::Done : JobOutcome::Failed;
    if (outcome == JobOutcome::Done || outcome == JobOutcome::Failed)
        delivered();
    Q_EMIT finished(entry.info, outcome, outcome == JobOutcome::Failed ? message : QString());
    if (m_jobs.empty())
        Q_EMIT busyChanged(false);
}

} // namespace plansight::gui
