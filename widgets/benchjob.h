#pragma once

// The window's benchmark session as a typed background job (docs/architecture.md, "The flow of one run" and
// "Errors and threads"): the bench service (bench/service.h) runs a prepared plan through QtConcurrent::run on
// a one-thread pool of the job's own, its result a QFuture<BenchOutcome>. An observer posts what the session tells as
// it goes to this object's thread (the GUI thread), where it becomes one signal contract per session:
//   started -> (progress | notice | warning | runFinished)* -> (finished | failed)
//  - warning(text): a problem that did not stop the session, as it happens (also in SessionResult::warnings);
//  - finished(session): the session ran to its end, or was cancelled (its runs are kept, the one cut short
//    marked cancelled with what it had measured);
//  - failed(message): something ended the session early (a lost connection, bad options, a server that refused);
//    the runs measured before it were already delivered by runFinished and recorded.
//
// Threading: construct and use on the GUI thread. cancel() sets the session's CancelToken, which also cancels
// the running statement (PQcancel), so the session ends within one round trip. The destructor cancels and waits
// for that; signals still queued for a destroyed job are dropped with it.

#include "bench/service.h"
#include "strategies/rediscachestrategy.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QThreadPool>

#include <memory>
#include <optional>

namespace plansight::gui {

// The p2-redis cache of the sessions a job starts (the window's Redis address and "Redis over" controls, like the
// CLI's --redis, --cache-over, --cache-warm and --cache-bypass).
struct RedisCacheSettings {
    RedisCacheConfig config; // endpoint not valid: on the demo PlanSight's own server, elsewhere none
    int warmTopTags = 0; // before the runs, the first pages of this many most used tags are stored (warmRedisCache)
};

class BenchJob : public QObject {
    Q_OBJECT
public:
    explicit BenchJob(QObject *parent = nullptr);
    ~BenchJob() override;

    // Starts `plan`, recorded in the history at *historyPath (empty text: HistoryStore::defaultPath(); nullopt:
    // not recorded). Refused (false) while a session runs.
    // On the session's thread, before the runs: p2-redis's Redis is set up (setUpRedisCache: on the demo PlanSight's
    // own server, stopped when the session ends) and warmed as the last setRedisCache() says; a server that does
    // not start, or a warm-up that fails, is a warning and the session goes on.
    bool start(const BenchPlan &plan, const std::optional<QString> &historyPath);
    void setRedisCache(const RedisCacheSettings &settings) { m_redis = settings; }
    const RedisCacheSettings &redisCache() const { return m_redis; }
    void cancel(); // no-op when idle
    // Between start() and the session's finished or failed signal.
    bool isRunning() const { return m_running; }
    QFuture<BenchOutcome> future() const { return m_future; }

Q_SIGNALS:
    void started();
    void progress(qint64 done, qint64 total, const QString &text);
    void notice(const QString &text);
    void warning(const QString &text);
    void runFinished(const plansight::StrategyRun &run);
    void finished(const plansight::SessionResult &session);
    void failed(const QString &message);

private:
    void onFinished();

    // A pool of its own, one thread: a session holds its thread for minutes and must not take one from the
    // global pool that the window's other jobs (exports, status reads) share.
    QThreadPool m_pool;
    QFuture<BenchOutcome> m_future;
    QFutureWatcher<BenchOutcome> m_watcher;
    std::shared_ptr<CancelToken> m_token;
    bool m_running = false;
    RedisCacheSettings m_redis;
};

} // namespace plansight::gui

Q_DECLARE_METATYPE(plansight::StrategyRun)
Q_DECLARE_METATYPE(plansight::SessionResult)
Q_DECLARE_METATYPE(plansight::SessionInfo)
