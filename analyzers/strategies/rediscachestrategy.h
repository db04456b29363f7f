#pragma once

// p2-redis: the review's Redis cache in front of another strategy (docs/strategies.md, "p2-redis").
//
// Two catalog entries measure the two paths apart, each a row of its own in a session:
// - p2-redis, "Redis cache (hit)": looks the page up in Redis and, on a miss, asks the inner strategy and stores
//   the page (TTL 300 s). The warm-up runs fill the cache, so the measured runs are hits.
// - p2-redis-miss, "Redis cache (miss)": every execution is a miss: the lookup finds nothing (a key of its own per
//   execution), the inner strategy answers and the page is stored. Its time is the cache's cost on a miss.
// Both notes say how many executions hit and missed, the hit ratio of every p2-redis execution in the process
// (the workload mix of a session), the age of the entries served, and Redis's used_memory.
//
// Key: a hash of the database (host, port, name), the inner strategy, the normalized workload (Workload::key():
// tags sorted, match, sources, user, sort, page or cursor, page size) and the data version. The data version is a
// Redis counter: INCR when PlanSight first connects (entries of earlier processes are never trusted), and again
// whenever the listener sees a write. Invalidation: apply() creates statement-level triggers
// (ps_p2_redis_notify) on content_items, content_items_auto and content_tags that NOTIFY ps_p2_redis; a second
// connection per database LISTENs and is polled before each lookup. A write that commits between the poll and the
// lookup can be served once more: the result check then says "stale", and the note gives the entry's age.
//
// Where Redis is: the process-wide RedisCacheConfig (bench --redis URL, or the demo's own RedisServer). Without one,
// or when Redis is lost in the middle of a run, the inner strategy answers and the note says so; the run goes on and
// the next execution tries to reconnect.
//
// State: the catalog's objects are shared, so the connection to Redis, the listeners and the counters are
// process-wide, behind one mutex.

#include "cache/redisclient.h"
#include "cache/redisserver.h"
#include "session/results.h"
#include "strategies/querystrategy.h"
#include "strategies/schemastrategy.h"

#include <memory>
#include <optional>

namespace plansight {

struct RedisCacheConfig {
    RedisEndpoint endpoint; // not valid: no Redis, the inner strategy answers
    QString innerId = QStringLiteral("baseline"); // bench --cache-over ID
    int ttlSeconds = 300; // bench --cache-ttl S
    bool bypass = false; // the inner strategy answers, Redis is not asked (bench --cache-bypass)
    // The session measures p2-redis's write-to-visible time (measureRedisVisibility; bench --cache-visibility).
    bool measureVisibility = false;
};
void setRedisCacheConfig(const RedisCacheConfig &config);
RedisCacheConfig redisCacheConfig();

// A session's Redis, for both front ends (docs/strategies.md, "Where Redis runs"): sets the process-wide config to
// `wanted`. When `wanted` names no server, `demoRoot` is set (the target is the embedded demo), `p2Measured` (a
// p2-redis strategy is in the session) and the cache is not bypassed, starts PlanSight's own redis-server under
// <demoRoot>/redis and uses it. Returns that server, which stops when destroyed (keep it for the session), or null.
// A server that does not start is one sentence in `warning`: p2-redis is then measured without Redis (the inner
// strategy answers, the note says so). Blocks up to the server's start (a few seconds): not on a GUI thread.
std::unique_ptr<RedisServer> setUpRedisCache(
    RedisCacheConfig wanted, const QString &demoRoot, bool p2Measured, QString *warning = nullptr);

// The write-to-visible time (docs/strategies.md, "Write to visible"): how long a committed write takes to show in
// p2-redis's answer. The page looked up is the first page (newest first, all sources) of the most used tag; it is
// stored in Redis first (a fresh entry: the data version moves on), then one item carrying that tag is inserted
// and committed (an explicit id past the largest, created after every other item, so it heads the page), and the
// page is asked of p2-redis again and again until it shows the item, or `limitMs` has passed. The item is deleted
// again (committed) whatever happens, and the version moves on, so no entry that shows it is served afterwards.
//   invalidation true: as the cache runs (the trigger NOTIFYs, the listener bumps the version): milliseconds.
//   invalidation false: TTL only (the listener is not polled while it runs): the entry stored just before the
//   write is served until it expires, so the figure is close to the TTL, the worst case.
// The polls do not count in the hit ratio of the mix. Needs p2-redis applied (its triggers), Redis reachable and
// rights to write the content tables; an error otherwise, or when Redis is lost while it runs (the inner
// strategy's answer would then show the write at once, which says nothing about the cache).
struct RedisVisibility {
    double ms = -1; // from the write's COMMIT to the first answer showing it; -1: not seen within limitMs
    bool invalidation = true;
    int ttlSeconds = 0; // the TTL of the entries
    qint64 limitMs = 0; // how long the answer was polled at most
    int polls = 0; // lookups after the write
};
Result<RedisVisibility> measureRedisVisibility(
    PgSession &session, bool invalidation, qint64 limitMs, CancelToken *cancel = nullptr);

// The longest TTL for which measureRedisVisibilityInto measures TTL only (it waits about one TTL).
inline constexpr int MaxMeasuredTtlSeconds = 60;
// Both figures into `footprint`: visibleMs (with invalidation, polled up to 10 s), visibleTtlOnlyMs (TTL only, polled
// up to the TTL + 5 s; not measured when the TTL is above MaxMeasuredTtlSeconds) and, in words, its staleness
// ("a write was visible after 4.2 ms with invalidation; after 5.00 s with TTL only (TTL 5 s)").
Status measureRedisVisibilityInto(PgSession &session, Footprint &footprint, CancelToken *cancel = nullptr);
// The words of the staleness for the measured figures (-1: not measured / not seen).
QString describeRedisVisibility(const RedisVisibility &withInvalidation, const std::optional<RedisVisibility> &ttlOnly);

// Polls the listener of `session`'s database and returns the cache's data version (for tests and the views): it
// grows when a write to the content tables has been seen. An error when Redis cannot be reached.
Result<qint64> redisCacheDataVersion(PgSession &session);

// Warm-up of popular workloads: for each of the `topTags` most used tags (by rows in content_tags), `base` with that
// one tag is looked up through p2-redis and stored on a miss. Returns how many pages were stored (the others were
// cached already); an error when Redis cannot be reached (nothing is then warmed) or a query fails.
Result<int> warmRedisCache(PgSession &session, const Workload &base, int topTags);

class RedisCacheStrategy : public SchemaStrategy {
public:
    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;

protected:
    QList<Step> applySteps() const override;
};

class RedisMissStrategy : public QueryStrategy {
public:
    StrategyInfo info() const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
};

} // namespace plansight
