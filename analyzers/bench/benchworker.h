#pragma once

// The benchmark runner as a worker for the GUI (docs/architecture.md, "Errors and threads"): one signal contract,
//   started -> progress* -> runFinished* -> warning* -> (finished | failed)
// for every request. Exactly one of finished and failed ends a request:
//  - finished(session): the session ran to its end, or was cancelled (its runs are then kept, the one cut
//    short marked cancelled with what it had measured);
//  - failed(message): something ended the session early (a lost connection, bad options, a server that
//    refused); the runs measured before it were already delivered by runFinished and recorded.
//
// Threading: the worker object lives in the thread that created it (the GUI thread) and emits every signal
// there. The work runs on the worker's own thread, which owns the PgSession (one connection per request,
// made and closed on that thread). cancel() may be called from any thread; it sets the request's cancel
// token and cancels the running statement with PQcancel, so the request ends within one round trip.
// start() while a request runs supersedes it: the old one is cancelled and a generation counter drops
// every signal it would still send. No blocking connection is ever used: the GUI thread never waits for
// the worker, except in the destructor (which cancels first, so it waits one round trip at most).

#include "bench/runner.h"

#include <QMetaType>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>
#include <mutex>

namespace plansight {

// One request: where to run and what.
struct BenchRequest {
    BenchTarget target;
    BenchOptions options;
};

class BenchWorker : public QObject {
    Q_OBJECT
public:
    explicit BenchWorker(QObject *parent = nullptr);
    ~BenchWorker() override; // cancels the running request and joins the worker thread

    // Starts a request and returns its generation. A request still running is cancelled and superseded:
    // no signal of it is emitted after this call.
    quint64 start(const BenchRequest &request);
    // Any thread: cancels the current request (no-op when idle).
    void cancel();
    bool isRunning() const; // a request has started and not yet finished or failed
    quint64 generation() const { return m_generation.load(); }

    // Registers StrategyRun, SessionResult and SessionInfo for queued connections (the constructor calls it).
    static void registerMetaTypes();

Q_SIGNALS:
    void started();
    void progress(qint64 done, qint64 total, const QString &text);
    void runFinished(const plansight::StrategyRun &run);
    // A problem that did not stop the session (BenchOutcome::warnings), e.g. tables left uncompacted after a
    // cancel, with the command that finishes the job.
    void warning(const QString &text);
    void finished(const plansight::SessionResult &session);
    void failed(const QString &message);

private:
    // Runs on the worker thread.
    void execute(quint64 generation, const BenchRequest &request, std::shared_ptr<CancelToken> token);
    // Queues `emitter` to run on this object's thread when `generation` is still current.
    template<typename F>
    void post(quint64 generation, F &&emitter);

    QThread m_thread;
    QObject *m_context = nullptr; // lives in m_thread: queued jobs run through it
    std::atomic<quint64> m_generation { 0 };
    mutable std::mutex m_mutex;
    std::shared_ptr<CancelToken> m_token; // the current request's
    bool m_running = false; // GUI-thread state: between start() and the current request's last signal
};

} // namespace plansight

Q_DECLARE_METATYPE(plansight::StrategyRun)
Q_DECLARE_METATYPE(plansight::SessionResult)
Q_DECLARE_METATYPE(plansight::SessionInfo)
