#include "strategies/rediscachestrategy.h"

#include "util/sqlfiles.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QThread>

#include <map>
#include <mutex>

namespace plansight {

namespace {

const QByteArray VersionKey = "ps:p2-redis:version";
const QString Channel = QStringLiteral("ps_p2_redis");

// What one measured run saw: read by its note once the runs are done.
struct RunTally {
    int hits = 0;
    int misses = 0;
    int fallbacks = 0; // the inner strategy answered because Redis could not
    int bypassed = 0;
    qint64 oldestServedMs = -1; // the oldest entry a hit served, its age when served
    QString lost; // why Redis did not answer, the first time
};

// The process-wide side of the cache (the catalog's strategy objects are shared): under `mutex`.
struct SharedCache {
    std::mutex mutex;
    RedisCacheConfig config;
    std::unique_ptr<RedisClient> client;
    qint64 version = 0;
    std::map<QString, std::unique_ptr<PgSession>> listeners; // by database (PgSession::describe())
    qint64 hits = 0, misses = 0; // p2-redis's executions in this process: the hit ratio of the session's mix
    quint64 nonce = 0;
    bool listening = true; // false while measureRedisVisibility measures TTL only
};

SharedCache &state()
{
    static SharedCache s;
    return s;
}

// A libpq conninfo that reaches the same server and database as `conn` (its own options, quoted).
QString conninfoOf(PGconn *conn)
{
    QStringList parts;
    PQconninfoOption *opts = PQconninfo(conn);
    for (PQconninfoOption *o = opts; o && o->keyword; ++o) {
        if (!o->val || !*o->val)
            continue;
        QString v = QString::fromUtf8(o->val);
        v.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
        parts << QString::fromLatin1(o->keyword) + QStringLiteral("='") + v + QLatin1Char('\'');
    }
    PQconninfoFree(opts);
    return parts.join(QLatin1Char(' '));
}

// Under the lock, with a client: INCR of the data version. A counter that went backwards (FLUSHALL, or a fresh server
// at the same address) is set past every version this process has used, so an entry stored under an old version
// after the flush can never be served again when the counter climbs back to it.
Status bumpVersion(SharedCache &s)
{
    auto v = s.client->incr(VersionKey);
    if (!v)
        return v.error();
    if (*v > s.version) {
        s.version = *v;
        return {};
    }
    const qint64 next = s.version + 1;
    if (auto st = s.client->set(VersionKey, QByteArray::number(next), 0); !st)
        return st;
    s.version = next;
    return {};
}

// Under the lock: a usable client, or why there is none. A new connection bumps the data version, so entries
// stored before it (by another process, or before Redis was lost) are never served.
Status ensureClient(SharedCache &s)
{
    if (s.client && !s.client->isBroken())
        return {};
    s.client.reset();
    if (!s.config.endpoint.isValid())
        return Error::make(errc::Missing,
            QStringLiteral("no Redis server is configured (bench --redis URL, or the embedded demo's own)"));
    auto c = RedisClient::connect(s.config.endpoint, 1000);
    if (!c)
        return c.error();
    s.client = std::move(*c);
    if (auto st = bumpVersion(s); !st) {
        s.client.reset();
        return st;
    }
    return {};
}

// Under the lock, with a client: reads the notifications of `session`'s database and bumps the data version when
// there was a write (or when the listener is new or was lost: writes may have gone unseen). Nothing while the cache
// runs on its TTL only (s.listening false): the notifications wait on the connection for the next poll.
Status pollListener(SharedCache &s, PgSession &session)
{
    if (!s.listening)
        return {};
    auto &listener = s.listeners[session.describe()];
    bool bump = false;
    if (listener && PQconsumeInput(listener->raw()) == 0)
        listener.reset(); // lost: a new one, and a new version
    if (!listener) {
        auto l = PgSession::connect(conninfoOf(session.raw()));
        if (!l)
            return l.error();
        if (auto r = (*l)->exec(QStringLiteral("LISTEN ") + (*l)->quoteIdentifier(Channel)); !r)
            return r.error();
        listener = std::move(*l);
        bump = true;
    }
    while (PGnotify *n = PQnotifies(listener->raw())) {
        bump = true;
        PQfreemem(n);
    }
    if (!bump)
        return {};
    return bumpVersion(s);
}

// The inner strategy's page, as the runner would read it (source:id in order).
Result<QStringList> innerPage(PgSession &session, const StrategyQuery &inner)
{
    if (!inner.explainable())
        return inner.execute(session);
    auto r = session.exec(inner.sql, inner.params);
    if (!r)
        return r.error();
    const int src = r->column("source"), id = r->column("id");
    if (src < 0 || id < 0)
        return Error::make(errc::Internal, QStringLiteral("The inner strategy's query returned no source and id."));
    QStringList keys;
    for (int i = 0; i < r->rows(); ++i)
        keys << r->value(i, src) + QLatin1Char(':') + r->value(i, id);
    return keys;
}

// An entry: "p2\n<ms since the epoch when stored>\n" then one key per line.
QByteArray encodeEntry(const QStringList &keys, qint64 nowMs)
{
    return "p2\n" + QByteArray::number(nowMs) + '\n' + keys.join(QLatin1Char('\n')).toUtf8();
}

bool decodeEntry(const QByteArray &value, QStringList &keys, qint64 &storedMs)
{
    const QList<QByteArray> lines = value.split('\n');
    if (lines.size() < 3 || lines[0] != "p2")
        return false;
    bool ok = false;
    storedMs = lines[1].toLongLong(&ok);
    if (!ok)
        return false;
    keys.clear();
    if (!(lines.size() == 3 && lines[2].isEmpty())) {
        for (qsizetype i = 2; i < lines.size(); ++i)
            keys << QString::fromUtf8(lines[i]);
    }
    return true;
}

// One execution: the lookup, and on a miss the inner strategy and the store. Redis failing never fails the run.
// `counted`: the execution counts in the hit ratio of the mix (not the write-to-visible polls).
Result<QStringList> lookup(PgSession &session, const StrategyQuery &inner, const QString &base, bool missVariant,
    const std::shared_ptr<RunTally> &tally, bool counted = true)
{
    SharedCache &s = state();
    std::lock_guard lock(s.mutex);
    auto fallback = [&](const Error &why) -> Result<QStringList> {
        ++tally->fallbacks;
        if (tally->lost.isEmpty())
            tally->lost = why.message + (why.detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(why.detail));
        if (s.client && s.client->isBroken())
            s.client.reset();
        return innerPage(session, inner);
    };
    if (s.config.bypass) {
        ++tally->bypassed;
        return innerPage(session, inner);
    }
    if (auto st = ensureClient(s); !st)
        return fallback(st.error());
    if (auto st = pollListener(s, session); !st)
        return fallback(st.error());
    QByteArray material = base.toUtf8() + "|v" + QByteArray::number(s.version);
    if (missVariant)
        material += "|miss" + QByteArray::number(++s.nonce);
    const QByteArray key
        = "ps:p2-redis:" + QCryptographicHash::hash(material, QCryptographicHash::Sha256).toHex().left(40);
    auto got = s.client->get(key);
    if (!got)
        return fallback(got.error());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QStringList keys;
    qint64 storedMs = 0;
    if (got->has_value() && decodeEntry(**got, keys, storedMs)) {
        ++tally->hits;
        if (!missVariant && counted)
            ++s.hits;
        tally->oldestServedMs = std::max(tally->oldestServedMs, now - storedMs);
        return keys;
    }
    ++tally->misses;
    if (!missVariant && counted)
        ++s.misses;
    auto page = innerPage(session, inner);
    if (!page)
        return page.error();
    if (auto st = s.client->set(key, encodeEntry(*page, now), s.config.ttlSeconds); !st) {
        ++tally->fallbacks;
        if (tally->lost.isEmpty())
            tally->lost = st.error().message;
        s.client.reset();
    }
    return page;
}

QString afterRunsNote(const std::shared_ptr<RunTally> &tally, bool missVariant)
{
    QStringList parts;
    if (tally->bypassed)
        parts << QStringLiteral("bypassed: the inner strategy answered all %1 executions").arg(tally->bypassed);
    if (tally->hits || tally->misses)
        parts << QStringLiteral("%1 hits and %2 misses in Redis").arg(tally->hits).arg(tally->misses);
    if (tally->oldestServedMs >= 0)
        parts << QStringLiteral("the oldest entry served was %1 s old")
                     .arg(double(tally->oldestServedMs) / 1000.0, 0, 'f', 1);
    if (tally->fallbacks)
        parts << QStringLiteral("Redis did not answer %1 executions, so the inner strategy did: %2")
                     .arg(tally->fallbacks)
                     .arg(tally->lost);
    SharedCache &s = state();
    std::lock_guard lock(s.mutex);
    if (!missVariant && s.hits + s.misses > 0)
        parts << QStringLiteral("hit ratio of every p2-redis execution so far: %1 of %2 (%3%)")
                     .arg(s.hits)
                     .arg(s.hits + s.misses)
                     .arg(100.0 * double(s.hits) / double(s.hits + s.misses), 0, 'f', 0);
    if (s.client && !s.client->isBroken()) {
        if (auto info = s.client->info(QStringLiteral("memory")); info) {
            const QString used = RedisClient::infoField(*info, QStringLiteral("used_memory_human"));
            if (!used.isEmpty())
                parts << QStringLiteral("Redis uses %1").arg(used);
        }
    }
    return parts.join(QStringLiteral("; "));
}

// What a lookup needs: the inner strategy's query and id, and the key's material without the version.
struct InnerQuery {
    StrategyQuery query;
    QString id;
    QString base;
};

Result<InnerQuery> innerQueryFor(PgSession &session, const Workload &workload, const RedisCacheConfig &config)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    auto inner = strategyById(config.innerId);
    if (!inner || inner->id().startsWith(QLatin1String("p2-redis")))
        return Error::make(errc::Input,
            QStringLiteral("--cache-over %1 is not a strategy the cache can wrap.").arg(config.innerId), QString(),
            QStringLiteral("Give the id of another strategy (plansight strategies list), for example baseline."));
    // The runner measures each strategy with only its own objects (isolation): an inner strategy that needs objects
    // answers only when they are there, so say so plainly instead of failing inside its query.
    if (inner->info().needsObjects) {
        auto st = inner->status(session);
        if (!st)
            return st.error();
        if (st->state != StrategyState::Applied)
            return Error::make(errc::Input,
                QStringLiteral("p2-redis caches %1, whose objects are not applied for this run.").arg(inner->id()),
                QString(),
                QStringLiteral("Apply them and measure p2-redis alone (plansight strategies apply %1; then bench "
                               "--strategies %2 --cache-over %1), or cache a strategy without objects (baseline, "
                               "p5-prejoin, p6-cursor).")
                    .arg(inner->id(), QStringLiteral("p2-redis,p2-redis-miss")));
    }
    auto innerQuery = inner->query(session, workload);
    if (!innerQuery)
        return innerQuery.error();
    InnerQuery out;
    out.query = std::move(innerQuery).value();
    out.id = inner->id();
    out.base = session.host() + QLatin1Char(':') + session.port() + QLatin1Char('/') + session.database()
        + QLatin1Char('|') + inner->id() + QLatin1Char('|') + workload.key();
    return out;
}

Result<StrategyQuery> cachedQuery(PgSession &session, const Workload &workload, bool missVariant)
{
    const RedisCacheConfig config = redisCacheConfig();
    auto inner = innerQueryFor(session, workload, config);
    if (!inner)
        return inner.error();
    auto tally = std::make_shared<RunTally>();
    StrategyQuery q;
    q.note = QStringLiteral("Redis in front of %1").arg(inner->id);
    if (!inner->query.note.isEmpty())
        q.note += QStringLiteral(" (%1)").arg(inner->query.note);
    if (!config.endpoint.isValid())
        q.note += QStringLiteral("; no Redis server is configured, so %1 answers").arg(inner->id);
    q.execute = [innerQuery = inner->query, base = inner->base, missVariant, tally](
                    PgSession &s) { return lookup(s, innerQuery, base, missVariant, tally); };
    q.noteAfterRuns = [tally, missVariant] { return afterRunsNote(tally, missVariant); };
    return q;
}

// Sets whether the listener is polled, for the time of one measurement; restored on destruction.
class ListeningScope {
public:
    explicit ListeningScope(bool listening)
    {
        SharedCache &s = state();
        std::lock_guard lock(s.mutex);
        m_before = s.listening;
        s.listening = listening;
    }
    ~ListeningScope()
    {
        SharedCache &s = state();
        std::lock_guard lock(s.mutex);
        s.listening = m_before;
    }
    ListeningScope(const ListeningScope &) = delete;
    ListeningScope &operator=(const ListeningScope &) = delete;

private:
    bool m_before = true;
};

// Moves the data version on now: entries stored before are never served again.
Status bumpVersionNow()
{
    SharedCache &s = state();
    std::lock_guard lock(s.mutex);
    if (auto st = ensureClient(s); !st)
        return st;
    return bumpVersion(s);
}

QString secondsOrMs(double ms)
{
    return ms < 1000 ? QStringLiteral("%1 ms").arg(ms, 0, 'f', 1) : QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 2);
}

StrategyInfo commonInfo()
{
    StrategyInfo i;
    i.proposal = QStringLiteral("P2");
    i.requirements = { QStringLiteral("redis-server") };
    i.operations = QStringLiteral(
        "A Redis server to run, size and monitor, and the invalidation path kept working: triggers that NOTIFY on "
        "every write and a listener that bumps the data version; entries live 300 s at most.");
    return i;
}

} // namespace

void setRedisCacheConfig(const RedisCacheConfig &config)
{
    SharedCache &s = state();
    std::lock_guard lock(s.mutex);
    s.config = config;
    s.client.reset();
    s.listeners.clear();
}

RedisCacheConfig redisCacheConfig()
{
    SharedCache &s = state();
    std::lock_guard lock(s.mutex);
    return s.config;
}

Result<qint64> redisCacheDataVersion(PgSession &session)
{
    SharedCache &s = state();
    std::lock_guard lock(s.mutex);
    if (auto st = ensureClient(s); !st)
        return st.error();
    if (auto st = pollListener(s, session); !st)
        return st.error();
    return s.version;
}

Result<int> warmRedisCache(PgSession &session, const Workload &base, int topTags)
{
    if (auto v = redisCacheDataVersion(session); !v)
        return v.error();
    auto tags = session.exec(sql(QStringLiteral("strategies/p2-redis/popular_tags")), { topTags });
    if (!tags)
        return tags.error();
    int stored = 0;
    for (int i = 0; i < tags->rows(); ++i) {
        Workload w = base;
        w.tagIds = { tags->value(i, 0) };
        auto q = cachedQuery(session, w, false);
        if (!q)
            return q.error();
        if (auto page = q->execute(session); !page)
            return page.error();
        const QString note = q->noteAfterRuns();
        if (note.contains(QLatin1String("did not answer")))
            return Error::make(errc::Connection, QStringLiteral("Redis was lost while warming the cache."), note);
        if (note.contains(QLatin1String(" and 1 misses")))
            ++stored;
    }
    return stored;
}

std::unique_ptr<RedisServer> setUpRedisCache(
    RedisCacheConfig wanted, const QString &demoRoot, bool p2Measured, QString *warning)
{
    std::unique_ptr<RedisServer> server;
    if (!wanted.endpoint.isValid() && !demoRoot.isEmpty() && p2Measured && !wanted.bypass) {
        server = std::make_unique<RedisServer>(demoRoot + QStringLiteral("/redis"));
        if (auto st = server->start(); st) {
            wanted.endpoint = server->endpoint();
        } else {
            if (warning)
                *warning = QStringLiteral("%1 p2-redis is measured without Redis.").arg(st.error().toString());
            server.reset();
        }
    }
    setRedisCacheConfig(wanted);
    return server;
}

Result<RedisVisibility> measureRedisVisibility(
    PgSession &session, bool invalidation, qint64 limitMs, CancelToken *cancel)
{
    const RedisCacheConfig config = redisCacheConfig();
    RedisVisibility out;
    out.invalidation = invalidation;
    out.ttlSeconds = config.ttlSeconds;
    out.limitMs = limitMs;
    if (config.bypass)
        return Error::make(errc::Input,
            QStringLiteral("The write-to-visible time of p2-redis needs Redis, which --cache-bypass leaves out."));
    auto tag = session.exec(sql(QStringLiteral("strategies/p2-redis/popular_tags")), { 1 });
    if (!tag)
        return tag.error();
    auto inputs = session.exec(sql(QStringLiteral("strategies/probe_inputs")), { 1 });
    if (!inputs)
        return inputs.error();
    if (tag->rows() != 1 || inputs->rows() != 1 || inputs->isNull(0, 0))
        return Error::make(errc::Missing,
            QStringLiteral("The write-to-visible time needs a user and a tag in use; this database has none."));
    Workload w;
    w.name = QStringLiteral("write-to-visible");
    w.tagIds = { tag->value(0, 0) };
    w.userId = inputs->value(0, 0); // the item's creator: its own items are a source of the page
    auto inner = innerQueryFor(session, w, config);
    if (!inner)
        return inner.error();
    ListeningScope listening(invalidation);
    auto tally = std::make_shared<RunTally>();
    auto ask = [&]() -> Result<QStringList> {
        auto page = lookup(session, inner->query, inner->base, false, tally, false);
        if (page && tally->fallbacks > 0)
            return Error::make(errc::Connection,
                QStringLiteral("Redis did not answer while the write-to-visible time was measured."), tally->lost);
        return page;
    };
    // A fresh entry, stored just before the write.
    if (auto st = bumpVersionNow(); !st)
        return st.error();
    if (auto first = ask(); !first)
        return first.error();
    if (tally->misses != 1)
        return Error::make(errc::Internal, QStringLiteral("The write-to-visible probe's page was not stored afresh."));

    auto item = session.exec(QStringLiteral("BEGIN"));
    Result<PgResult> inserted = Error {};
    if (item) {
        inserted = session.exec(sql(QStringLiteral("strategies/p2-redis/visibility_item")), { w.userId });
        if (inserted)
            item = session.exec(sql(QStringLiteral("strategies/p2-redis/visibility_tag")),
                { inserted->value(0, 0).toInt(), w.tagIds.first() });
        else
            item = inserted.error();
    }
    if (item)
        item = session.exec(QStringLiteral("COMMIT"));
    if (!item) {
        (void)session.exec(QStringLiteral("ROLLBACK"));
        return item.error();
    }
    QElapsedTimer clock;
    clock.start();
    const int id = inserted->value(0, 0).toInt();
    const QString key = QStringLiteral("regular:%1").arg(id);
    Status outcome;
    while (true) {
        if (cancel && cancel->isCancelled()) {
            outcome = Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
            break;
        }
        auto page = ask();
        ++out.polls;
        if (!page) {
            outcome = page.error();
            break;
        }
        if (page->contains(key)) {
            out.ms = double(clock.nsecsElapsed()) / 1e6;
            break;
        }
        if (clock.elapsed() >= limitMs)
            break;
        QThread::msleep(invalidation ? 1 : 20);
    }
    // The data as it was: the item goes again, and no entry that shows it is ever served.
    if (cancel && cancel->isCancelled())
        session.resetCancel();
    Result<PgResult> removed = session.exec(QStringLiteral("BEGIN"));
    if (removed)
        removed = session.exec(sql(QStringLiteral("strategies/probe_delete_tags")), { id });
    if (removed)
        removed = session.exec(sql(QStringLiteral("strategies/probe_delete_item")), { id });
    if (removed)
        removed = session.exec(QStringLiteral("COMMIT"));
    if (!removed) {
        (void)session.exec(QStringLiteral("ROLLBACK"));
        return Error::make(removed.error().code,
            QStringLiteral("The write-to-visible probe item %1 in content_items could not be deleted again.").arg(id),
            removed.error().message,
            QStringLiteral("Delete it: DELETE FROM content_tags WHERE content_id = %1 AND content_source = 'regular'; "
                           "DELETE FROM content_items WHERE id = %1.")
                .arg(id));
    }
    if (auto st = bumpVersionNow(); !st && outcome)
        outcome = st;
    if (cancel && cancel->isCancelled())
        session.cancel();
    if (!outcome)
        return outcome.error();
    return out;
}

QString describeRedisVisibility(const RedisVisibility &withInvalidation, const std::optional<RedisVisibility> &ttlOnly)
{
    QString s = withInvalidation.ms >= 0
        ? QStringLiteral("a write was visible after %1 with invalidation (NOTIFY and the listener)")
              .arg(secondsOrMs(withInvalidation.ms))
        : QStringLiteral("a write was not visible within %1 with invalidation")
              .arg(secondsOrMs(double(withInvalidation.limitMs)));
    const int ttl = ttlOnly ? ttlOnly->ttlSeconds : withInvalidation.ttlSeconds;
    if (!ttlOnly)
        s += QStringLiteral("; with TTL only not measured: up to the TTL of %1 s (--cache-ttl %2 or less measures it)")
                 .arg(ttl)
                 .arg(MaxMeasuredTtlSeconds);
    else if (ttlOnly->ms >= 0)
        s += QStringLiteral("; after %1 with TTL only (TTL %2 s, the entry stored just before the write)")
                 .arg(secondsOrMs(ttlOnly->ms))
                 .arg(ttl);
    else
        s += QStringLiteral("; not visible within %1 with TTL only (TTL %2 s)")
                 .arg(secondsOrMs(double(ttlOnly->limitMs)))
                 .arg(ttl);
    return s;
}

Status measureRedisVisibilityInto(PgSession &session, Footprint &footprint, CancelToken *cancel)
{
    auto withInvalidation = measureRedisVisibility(session, true, 10000, cancel);
    if (!withInvalidation)
        return withInvalidation.error();
    std::optional<RedisVisibility> ttlOnly;
    const int ttl = redisCacheConfig().ttlSeconds;
    if (ttl > 0 && ttl <= MaxMeasuredTtlSeconds) {
        auto measured = measureRedisVisibility(session, false, qint64(ttl) * 1000 + 5000, cancel);
        if (!measured)
            return measured.error();
        ttlOnly = measured.value();
    }
    footprint.visibleMs = withInvalidation->ms;
    footprint.visibleTtlOnlyMs = ttlOnly ? ttlOnly->ms : -1;
    footprint.staleness = describeRedisVisibility(*withInvalidation, ttlOnly);
    return {};
}

StrategyInfo RedisCacheStrategy::info() const
{
    StrategyInfo i = commonInfo();
    i.id = QStringLiteral("p2-redis");
    i.title = QStringLiteral("Redis cache (hit)");
    i.mayBeStale = true;
    i.missStrategy = QStringLiteral("p2-redis-miss");
    i.description = QStringLiteral(
        "The review's Redis cache in front of another strategy (the baseline unless --cache-over says otherwise): the "
        "page is looked up by a hash of the normalized workload and a data version; triggers NOTIFY on writes and "
        "PlanSight's listener bumps the version. The measured runs are hits; p2-redis-miss measures misses.");
    return i;
}

QList<SchemaObject> RedisCacheStrategy::objects() const
{
    using K = SchemaObject::Kind;
    const QString trigger = QStringLiteral("ps_p2_redis_notify");
    return {
        { K::Function, QStringLiteral("ps_p2_redis_notify"), QString() },
        { K::Trigger, trigger, QStringLiteral("content_items") },
        { K::Trigger, trigger, QStringLiteral("content_items_auto") },
        { K::Trigger, trigger, QStringLiteral("content_tags") },
    };
}

QList<SchemaStrategy::Step> RedisCacheStrategy::applySteps() const
{
    return {
        { QStringLiteral("function"), QStringLiteral("Creating the function that NOTIFYs the cache of writes") },
        { QStringLiteral("triggers"), QStringLiteral("Creating the triggers on the content tables and content_tags") },
    };
}

Result<StrategyQuery> RedisCacheStrategy::query(PgSession &session, const Workload &workload)
{
    return cachedQuery(session, workload, false);
}

StrategyInfo RedisMissStrategy::info() const
{
    StrategyInfo i = commonInfo();
    i.id = QStringLiteral("p2-redis-miss");
    i.title = QStringLiteral("Redis cache (miss)");
    i.needsObjects = false;
    i.description = QStringLiteral(
        "p2-redis's miss path, measured apart: a lookup that finds nothing, the inner strategy's answer, and the page "
        "stored with its TTL. Every execution is a miss, so the page is always the inner strategy's own.");
    return i;
}

Result<StrategyQuery> RedisMissStrategy::query(PgSession &session, const Workload &workload)
{
    return cachedQuery(session, workload, true);
}

} // namespace plansight
