#pragma once

// A worker for the window's database and file work (connecting, building the demo, reading strategy status,
// applying and reverting, loading the catalog and the history, parsing imported plans). One signal contract
// (docs/architecture.md, "Errors and threads") for every request:
//   started(what) -> progress(done, total, text)* -> resultReady(value)? -> finished()   or   failed(message)
// A request that was cancelled ends with finished() and no resultReady(). Exactly one of finished and failed
// ends each request that is still current.
//
// Threading: the TaskWorker object lives in (and emits every signal on) the thread that created it, the GUI
// thread. Each request's task runs on the worker's own QThread: that is where a task opens its PgSession (one
// connection per request, closed on the same thread), so the GUI thread never runs a query. start() while a
// request runs supersedes it: the old one is cancelled (its token, which interrupts the running statement
// through PQcancel) and a generation counter drops every signal it would still send. Never a blocking
// connection: the destructor cancels and then joins the thread (one round trip at most).

#include "util/cancel.h"
#include "util/result.h"

#include <QObject>
#include <QThread>
#include <QVariant>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace plansight::gui {

class TaskWorker : public QObject {
    Q_OBJECT
public:
    // Runs on the worker thread. The value it returns (a plain struct in a QVariant) is delivered by
    // resultReady; an Error becomes failed(one sentence), or finished() when it is a cancellation.
    using Task = std::function<Result<QVariant>(CancelToken *cancel, const ProgressFn &progress)>;

    explicit TaskWorker(const QString &name, QObject *parent = nullptr);
    ~TaskWorker() override;

    quint64 start(const QString &what, Task task);
    void cancel(); // any thread; no-op when idle
    bool isRunning() const { return m_running; }
    quint64 generation() const { return m_generation.load(); }
    QString currentTask() const { return m_what; }

Q_SIGNALS:
    void started(const QString &what);
    void progress(qint64 done, qint64 total, const QString &text);
    void resultReady(const QVariant &value);
    void finished();
    void failed(const QString &message);

private:
    template<typename F>
    void post(quint64 generation, F &&fn);

    QThread m_thread;
    QObject *m_context = nullptr; // lives in m_thread
    std::atomic<quint64> m_generation { 0 };
    std::mutex m_mutex;
    std::shared_ptr<CancelToken> m_token;
    bool m_running = false;
    QString m_what;
};

} // namespace plansight::gui
