#include "benchjob.h"

#include "history/historyrecorder.h"
#include "pg/pgsession.h"
#include "session/sessionobserver.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace plansight::gui {

namespace {

// Progress is forwarded at most this often (plus the first and last report): a fast strategy finishes a
// statement every few microseconds, and the GUI needs a few updates a second, not an event per statement.
constexpr qint64 ProgressIntervalMs = 50;

// The window's observer: runs on the session's thread and queues each event to the job's thread.
class Poster : public SessionObserver {
public:
    explicit Poster(BenchJob *job) : m_job(job) { m_sinceProgress.start(); }

    void progress(qint64 done, qint64 total, const QString &text) override
    {
        if (!m_firstProgress && done < total && m_sinceProgress.elapsed() < ProgressIntervalMs)
            return;
        m_firstProgress = false;
        m_sinceProgress.restart();
        post([done, total, text](BenchJob *job) { Q_EMIT job->progress(done, total, text); });
    }
    void notice(const QString &text) override
    {
        post([text](BenchJob *job) { Q_EMIT job->notice(text); });
    }
    void warning(const QString &text) override
    {
        post([text](BenchJob *job) { Q_EMIT job->warning(text); });
    }
    QStringList runFinished(const SessionInfo &, const StrategyRun &run) override
    {
        post([run](BenchJob *job) { Q_EMIT job->runFinished(run); });
        return {};
    }

private:
    template<typename F>
    void post(F &&emit)
    {
        // Queued to the job's thread; dropped when the job is gone by then.
        QMetaObject::invokeMethod(
            m_job, [job = m_job, emit = std::forward<F>(emit)] { emit(job.data()); }, Qt::QueuedConnection);
    }

    QPointer<BenchJob> m_job;
    QElapsedTimer m_sinceProgress;
    bool m_firstProgress = true;
};

// The session's Redis (see start()); the returned server stops when the session ends.
std::unique_ptr<RedisServer> setUpCache(const BenchPlan &plan, const RedisCacheSettings &settings, Poster &poster)
{
    const auto &strategies = plan.options.strategies;
    const bool p2 = std::any_of(strategies.begin(), strategies.end(),
        [](const auto &s) { return s->id().startsWith(QLatin1String("p2-redis")); });
    QString warning;
    auto server = setUpRedisCache(settings.config, plan.target.isDemo ? plan.target.demoRoot : QString(), p2, &warning);
    if (!warning.isEmpty())
        poster.warning(warning);
    if (!p2 || settings.warmTopTags <= 0 || settings.config.bypass)
        return server;
    auto session = PgSession::connect(plan.target.conninfo);
    auto warmed = session ? warmRedisCache(**session, Workload(), settings.warmTopTags) : Result<int>(session.error());
    if (warmed)
        poster.notice(QStringLiteral("p2-redis: %1 pages of the most used tags stored in Redis.").arg(*warmed));
    else
        poster.warning(QStringLiteral("The cache was not warmed: %1").arg(warmed.error().toString()));
    return server;
}

} // namespace

BenchJob::BenchJob(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<plansight::StrategyRun>();
    qRegisterMetaType<plansight::SessionResult>();
    qRegisterMetaType<plansight::SessionInfo>();
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcher<BenchOutcome>::finished, this, &BenchJob::onFinished);
}

BenchJob::~BenchJob()
{
    cancel();
    m_watcher.disconnect();
    m_future.waitForFinished();
}

bool BenchJob::start(const BenchPlan &plan, const std::optional<QString> &historyPath)
{
    if (m_running)
        return false;
    m_running = true;
    m_token = std::make_shared<CancelToken>();
    Q_EMIT started();
    m_future = QtConcurrent::run(&m_pool,
        [job = QPointer<BenchJob>(this), plan, historyPath, token = m_token, redis = m_redis](
            QPromise<BenchOutcome> &promise) {
            Poster poster(job.data());
            const auto redisServer = setUpCache(plan, redis, poster);
            HistoryRecorder recorder(historyPath.value_or(QString()));
            QList<SessionObserver *> observers;
            if (historyPath)
                observers.append(&recorder); // first: the others see the session's history id
            observers.append(&poster);
            promise.addResult(runBench(plan, token.get(), observers));
        });
    m_watcher.setFuture(m_future);
    return true;
}

void BenchJob::cancel()
{
    if (m_token)
        m_token->cancel();
}

void BenchJob::onFinished()
{
    m_running = false;
    const BenchOutcome outcome = m_future.resultCount() > 0 ? m_future.result() : BenchOutcome();
    if (outcome.error && !outcome.cancelled) {
        Q_EMIT failed(outcome.error->toString());
        return;
    }
    Q_EMIT finished(outcome.session);
}

} // namespace plansight::gui
