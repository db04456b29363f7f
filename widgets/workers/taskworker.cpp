#include "workers/taskworker.h"

#include <QMetaObject>
#include <QPointer>

namespace plansight::gui {

TaskWorker::TaskWorker(const QString &name, QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(name);
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
}

TaskWorker::~TaskWorker()
{
    ++m_generation;
    cancel();
    m_thread.quit();
    m_thread.wait();
}

void TaskWorker::cancel()
{
    std::shared_ptr<CancelToken> token;
    {
        std::lock_guard lock(m_mutex);
        token = m_token;
    }
    if (token)
        token->cancel();
}

template<typename F>
void TaskWorker::post(quint64 generation, F &&fn)
{
    QPointer<TaskWorker> self(this);
    QMetaObject::invokeMethod(
        this,
        [self, generation, fn = std::forward<F>(fn)]() mutable {
            if (self && self->m_generation.load() == generation)
                fn();
        },
        Qt::QueuedConnection);
}

quint64 TaskWorker::start(const QString &what, Task task)
{
    cancel(); // the superseded request stops at its next statement; its signals are dropped below
    const quint64 generation = ++m_generation;
    auto token = std::make_shared<CancelToken>();
    {
        std::lock_guard lock(m_mutex);
        m_token = token;
    }
    m_running = true;
    m_what = what;
    Q_EMIT started(what);
    QMetaObject::invokeMethod(
        m_context,
        [this, generation, token, task = std::move(task)]() {
            if (m_generation.load() != generation)
                return; // superseded before it began
            const ProgressFn progressFn = [this, generation](qint64 done, qint64 total, const QString &text) {
                post(generation, [this, done, total, text] { Q_EMIT progress(done, total, text); });
            };
            Result<QVariant> r = Error::make(errc::Internal, QStringLiteral("The task did not run."));
            try {
                r = task(token.get(), progressFn);
            } catch (const std::exception &e) {
                r = Error::make(errc::Internal, QStringLiteral("Internal error: %1").arg(QString::fromUtf8(e.what())));
            }
            if (r.ok()) {
                QVariant value = std::move(r.value());
                post(generation, [this, value] {
                    m_running = false;
                    Q_EMIT resultReady(value);
                    Q_EMIT finished();
                });
            } else if (r.error().isCancel() || token->isCancelled()) {
                post(generation, [this] {
                    m_running = false;
                    Q_EMIT finished();
                });
            } else {
                const QString message = r.error().toString();
                post(generation, [this, message] {
                    m_running = false;
                    Q_EMIT failed(message);
                });
            }
        },
        Qt::QueuedConnection);
    return generation;
}

} // namespace plansight::gui
