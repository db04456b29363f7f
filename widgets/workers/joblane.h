#pragma once

// The window's background work as typed jobs on two lanes (docs/architecture.md, "Jobs and lanes").
//
// A job is a function that runs on a lane's thread and returns a Result<T> (util/result.h): it opens its own
// connection there when it needs one (PgSession refuses the GUI thread), checks its CancelToken between steps and
// registers PgSession::cancel on it so that cancel interrupts a running statement. Its caller gets the Result<T>
// back on the GUI thread, typed: no QVariant.
//
// Two lanes, each a JobLane with its own QThreadPool of one thread, so the jobs of a lane run one at a time, in
// the order they were started:
//  - Reads (connect, strategy status, catalog, history, plan import) never change the database. A new read of
//    the same kind supersedes the older one: the older is cancelled and its result is dropped (a per-kind
//    generation counter decides, so a result that was already on its way is dropped too). A read never touches
//    a job of another kind, nor any change.
//  - Changes (apply, revert, demo build) are never superseded: two changes never race, the second waits for the
//    first. Only cancel() or cancelAll() stop one.
//
// Why QtConcurrent / QPromise / QFuture: a job is started with QtConcurrent::run on the lane's pool, with a
// QPromise<Result<T>> that holds its one result, and a QFutureWatcher brings the end back to the GUI thread; a
// job cancelled before it began is skipped by QtConcurrent, one cancelled while it runs has its result dropped by
// QFuture (as the exports of reportexport.h). Two things QFuture does not do are added here: cancel reaches the
// running statement through the job's CancelToken (QFuture::cancel only sets a flag), and progress travels as
// (done, total, text) in a queued call to the lane, not as QFuture progress, because QFuture's progress value
// only rises and drops an update whose value did not change, while the core's progress restarts with each phase
// and is often indeterminate (total 0) with only the text changing ("waiting for the database lock").
//
// The contract of one job, in signals of its lane (GUI thread, in this order):
//   started(job) -> progress(job, done, total, text)* -> finished(job, outcome, message)
// and the job's own callback, typed, just before finished() when the outcome is Done or Failed. Cancelled and
// Superseded jobs never call it. A lane is busy from started() until the finished() of its last job: a cancelled
// job counts until its function has returned (a cancelled apply still holds the database lock until then).
//
// Threading: a JobLane lives on the GUI thread; start(), cancel() and cancelAll() are called there. The
// destructor cancels every job and waits for the running one to return (one round trip at most).

#include "util/cancel.h"
#include "util/result.h"

#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QPromise>
#include <QString>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <map>
#include <memory>

namespace plansight::gui {

enum class JobOutcome {
    Done, // the function returned a value
    Failed, // it returned an error (not a cancellation)
    Cancelled, // cancel() or cancelAll(), or the function returned a cancellation error
    Superseded, // a newer read of the same kind was started (reads only)
};
QString jobOutcomeName(JobOutcome outcome); // "done", "failed", "cancelled", "superseded"

struct JobInfo {
    quint64 id = 0; // unique within the lane, from 1
    QString kind; // what a newer read supersedes: "strategy-status", "catalog", ... ; for changes "apply", ...
    QString what; // one line for the log and the status bar: "Applying p4-indexes"
};

// Runs on the lane's thread.
template<typename T>
using JobFn = std::function<Result<T>(CancelToken *cancel, const ProgressFn &progress)>;

class JobLane : public QObject {
    Q_OBJECT
public:
    enum class Mode { Reads, Changes };

    JobLane(Mode mode, const QString &name, QObject *parent = nullptr);
    ~JobLane() override;

    // Starts `fn` on the lane's thread (after the jobs already in the lane) and returns the job's id. On a Reads
    // lane it first supersedes every unfinished job of the same `kind`. `onResult` runs on the GUI thread with
    // the value or the error, unless the job is cancelled or superseded.
    template<typename T>
    quint64 start(
        const QString &kind, const QString &what, JobFn<T> fn, std::function<void(const Result<T> &)> onResult = {});

    void cancel(quint64 id); // no-op for a job that has finished
    void cancelAll();

    Mode mode() const { return m_mode; }
    QString name() const { return m_name; }
    bool isBusy() const { return !m_jobs.empty(); }
    bool isRunning(quint64 id) const { return m_jobs.count(id) > 0; }
    int jobCount() const { return int(m_jobs.size()); }
    QList<JobInfo> jobs() const; // unfinished, oldest first
    // How many jobs of `kind` were started; the newest one's number is the current generation.
    quint64 generation(const QString &kind) const;

Q_SIGNALS:
    void started(const plansight::gui::JobInfo &job);
    void progress(const plansight::gui::JobInfo &job, qint64 done, qint64 total, const QString &text);
    void finished(const plansight::gui::JobInfo &job, plansight::gui::JobOutcome outcome, const QString &message);
    void busyChanged(bool busy);

private:
    struct Entry {
        JobInfo info;
        quint64 generation = 0;
        bool cancelled = false;
        std::shared_ptr<CancelToken> token;
        std::function<void()> cancelFuture;
    };

    // GUI thread. The bookkeeping around start(): a new entry, its generation, the older reads it supersedes.
    Entry &add(const QString &kind, const QString &what);
    void cancelEntry(Entry &entry);
    ProgressFn progressFor(quint64 id);
    // GUI thread, when the job's future has finished: removes the entry and says how it ended. `delivered` runs
    // the job's callback when the outcome is Done or Failed.
    void end(quint64 id, bool hasResult, bool resultIsCancel, bool resultOk, const QString &message,
        const std::function<void()> &delivered);

    template<typename T>
    static void runJob(
        QPromise<Result<T>> &promise, const JobFn<T> &fn, CancelToken *token, const ProgressFn &progress);

    const Mode m_mode;
    const QString m_name;
    QThreadPool m_pool;
    quint64 m_nextId = 0;
    std::map<quint64, Entry> m_jobs;
    std::map<QString, quint64> m_generations;
};

template<typename T>
void JobLane::runJob(QPromise<Result<T>> &promise, const JobFn<T> &fn, CancelToken *token, const ProgressFn &progress)
{
    if (promise.isCanceled() || token->isCancelled())
        return; // cancelled or superseded before it began
    Result<T> r = Error::make(errc::Internal, QStringLiteral("The job did not run."));
    try {
        r = fn(token, progress);
    } catch (const std::exception &e) {
        r = Error::make(errc::Internal, QStringLiteral("Internal error: %1").arg(QString::fromUtf8(e.what())));
    }
    promise.addResult(std::move(r)); // dropped by QFuture when the job was cancelled meanwhile
}

template<typename T>
quint64 JobLane::start(
    const QString &kind, const QString &what, JobFn<T> fn, std::function<void(const Result<T> &)> onResult)
{
    Entry &entry = add(kind, what);
    const quint64 id = entry.info.id;
    auto token = entry.token;
    const ProgressFn progress = progressFor(id);
    QFuture<Result<T>> future
        = QtConcurrent::run(&m_pool, [fn = std::move(fn), token, progress](QPromise<Result<T>> &promise) {
              runJob<T>(promise, fn, token.get(), progress);
          });
    entry.cancelFuture = [future]() mutable { future.cancel(); };
    auto *watcher = new QFutureWatcher<Result<T>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id, onResult = std::move(onResult)] {
        watcher->deleteLater();
        const QFuture<Result<T>> f = watcher->future();
        const bool hasResult = !f.isCanceled() && f.resultCount() > 0;
        if (!hasResult) {
            end(id, false, false, false, {}, {});
            return;
        }
        const Result<T> r = f.resultAt(0);
        end(id, true, !r.ok() && r.error().isCancel(), r.ok(), r.ok() ? QString() : r.error().toString(),
            [&r, &onResult] {
                if (onResult)
                    onResult(r);
            });
    });
    watcher->setFuture(future);
    Q_EMIT started(entry.info);
    if (m_jobs.size() == 1)
        Q_EMIT busyChanged(true);
    return id;
}

} // namespace plansight::gui

Q_DECLARE_METATYPE(plansight::gui::JobInfo)
Q_DECLARE_METATYPE(plansight::gui::JobOutcome)
