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
#include "strategies/querystrategy.h"
#include "strategies/schemastrategy.h"

namespace plansight {

struct RedisCacheConfig {
    RedisEndpoint endpoint; // not valid: no Redis, the inner strategy answers
    QString innerId = QStringLiteral("baseline"); // bench --cache-over ID
    int ttlSeconds = 300;
    bool bypass = false; // the inner strategy answers, Redis is not asked (bench --cache-bypass)
};
void setRedisCacheConfig(const RedisCacheConfig &config);
RedisCacheConfig redisCacheConfig();

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
