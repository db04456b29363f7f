#include "bench/benchworker.h"

#include <QElapsedTimer>

namespace plansight {

namespace {
// Progress is forwarded at most this often (plus the first and last report): a fast strategy finishes a
// statement every few microseconds, and the GUI needs a few updates a second, not an event per statement.
constexpr qint64 ProgressIntervalMs = 50;
} // namespace

void BenchWorker::registerMetaTypes()
{
    qRegisterMetaType<plansight::StrategyRun>();
    qRegisterMetaType<plansight::SessionResult>();
    qRegisterMetaType<plansight::SessionInfo>();
}

BenchWorker::BenchWorker(QObject *parent) : QObject(parent)
{
    registerMetaTypes();
    m_thread.setObjectName(QStringLiteral("BenchWorker"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

BenchWorker::~BenchWorker()
{
    // Drop whatever is still in flight, stop the running statement, then wait for the thread: the wait is
    // one round trip at most (the runner stops at the next statement boundary or when PQcancel lands).
    ++m_generation;
    cancel();
    m_thread.quit();
    m_thread.wait();
}

template<typename F>
void BenchWorker::post(quint64 generation, F &&emitter)
{
    // Queued to this object's thread; Qt drops the call if this object is destroyed first.
    QMetaObject::invokeMethod(
        this,
        [this, generation, emitter = std::forward<F>(emitter)]() mutable {
            if (generation != m_generation.load())
                return; // superseded by a later start(): its results are not wanted any more
            emitter();
        },
        Qt::QueuedConnection);
}

quint64 BenchWorker::start(const BenchRequest &request)
{
    const quint64 generation = ++m_generation;
    auto token = std::make_shared<CancelToken>();
    {
        std::lock_guard lock(m_mutex);
        if (m_token)
            m_token->cancel(); // the superseded request stops at its next statement
        m_token = token;
    }
    m_running = true;
    QMetaObject::invokeMethod(
        m_context, [this, generation, request, token] { execute(generation, request, token); }, Qt::QueuedConnection);
    return generation;
}

void BenchWorker::cancel()
{
    std::lock_guard lock(m_mutex);
    if (m_token)
        m_token->cancel();
}

bool BenchWorker::isRunning() const
{
    return m_running;
}

void BenchWorker::execute(quint64 generation, const BenchRequest &request, std::shared_ptr<CancelToken> token)
{
    if (generation != m_generation.load() || token->isCancelled()) {
        // Superseded (or cancelled) before it started. A cancelled current request still ends with a signal.
        if (generation == m_generation.load()) {
            post(generation, [this] {
                m_running = false;
                Q_EMIT finished(SessionResult());
            });
        }
        return;
    }
    post(generation, [this] { Q_EMIT started(); });

    QElapsedTimer sinceProgress;
    sinceProgress.start();
    bool firstProgress = true;
    const ProgressFn report = [&](qint64 done, qint64 total, const QString &text) {
        if (!firstProgress && done < total && sinceProgress.elapsed() < ProgressIntervalMs)
            return;
        firstProgress = false;
        sinceProgress.restart();
        post(generation, [this, done, total, text] { Q_EMIT this->progress(done, total, text); });
    };
    const BenchRunner::RunFn onRun = [&](const StrategyRun &run) {
        post(generation, [this, run] { Q_EMIT runFinished(run); });
    };

    BenchOutcome outcome;
    {
        // The runner, and with it the PgSession, lives and dies on this thread.
        BenchRunner runner(request.target);
        outcome = runner.run(request.options, token.get(), report, onRun);
    }
    for (const QString &w : outcome.warnings)
        post(generation, [this, w] { Q_EMIT warning(w); });

    if (outcome.error && !outcome.cancelled) {
        const QString message = outcome.error->toString();
        post(generation, [this, message] {
            m_running = false;
            Q_EMIT failed(message);
        });
        return;
    }
    post(generation, [this, session = std::move(outcome.session)] {
        m_running = false;
        Q_EMIT finished(session);
    });
}

} // namespace plansight
