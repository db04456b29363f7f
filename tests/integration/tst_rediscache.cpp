// PlanSight's own redis-server (cache/redisserver.h) and its client (cache/redisclient.h), with the real server:
// started on a private Unix socket under its directory (no TCP port), answering GET/SET, stopped with SHUTDOWN
// NOSAVE, and an orphan left by a killed PlanSight reaped by the next start. Then the p2-redis strategy
// (strategies/rediscachestrategy.h) against TestCluster: a miss then a hit with the same page, a write that
// NOTIFYs and bumps the data version so the next execution misses, and Redis killed in the middle: the inner
// strategy answers and the note says so.

#include "bench/measure.h"
#include "bench/runcontext.h"
#include "bench/runner.h"
#include "cache/redisclient.h"
#include "cache/redisserver.h"
#include "gallery/demogenerator.h"
#include "history/historyrecorder.h"
#include "history/historystore.h"
#include "strategies/rediscachestrategy.h"
#include "testcluster.h"

#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace plansight;

#define REQUIRE_OK(expr)                                                                                               \
    do {                                                                                                               \
        const auto &r_ = (expr);                                                                                       \
        if (!r_.ok())                                                                                                  \
            QFAIL(qPrintable(r_.error().toString()));                                                                  \
    } while (false)

namespace {

// Temporary directories are 0700; the server's user (as root) must get through them.
void openForTheServer(const QString &dir)
{
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeOther);
}

bool processAlive(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
    return f.open(QIODevice::ReadOnly) && f.readAll().contains("redis-server");
}

Workload canonical()
{
    Workload w;
    w.name = QStringLiteral("canonical");
    w.tagIds = { demo::AnimeTagId };
    return w;
}

Result<QStringList> baselinePage(PgSession &s, const Workload &w)
{
    auto q = strategyById(QStringLiteral("baseline"))->query(s, w);
    if (!q)
        return q.error();
    auto r = s.exec(q->sql, q->params);
    if (!r)
        return r.error();
    QStringList keys;
    for (int i = 0; i < r->rows(); ++i)
        keys << r->value(i, "source") + QLatin1Char(':') + r->value(i, "id");
    return keys;
}

// The server's executor, with something done to Redis before the `at`-th execution of p2-redis (warm-ups count);
// every page p2-redis answered is kept, to check them all, not only the last one the runner compares.
class ActingExecutor : public RunExecutor {
public:
    ActingExecutor(int at, std::function<void()> act) : m_at(at), m_act(std::move(act)) { }
    Result<Execution> execute(PgSession &session, const StrategyRun &run, const StrategyQuery &query) override
    {
        const bool p2 = run.strategyId == QLatin1String("p2-redis");
        if (p2 && ++m_count == m_at)
            m_act();
        auto e = m_server->execute(session, run, query);
        if (p2 && e)
            pages.append(e->pageKeys);
        return e;
    }
    Result<QByteArray> explain(PgSession &session, const StrategyRun &run, const StrategyQuery &query) override
    {
        return m_server->explain(session, run, query);
    }
    QList<QStringList> pages;

private:
    std::shared_ptr<RunExecutor> m_server = serverExecutor();
    int m_count = 0;
    const int m_at;
    std::function<void()> m_act;
};

const StrategyRun *runOf(const SessionResult &s, const QString &id)
{
    for (const StrategyRun &r : s.runs)
        if (r.strategyId == id)
            return &r;
    return nullptr;
}

QString describe(const BenchOutcome &o)
{
    QString s = o.error ? o.error->toString() : QStringLiteral("no error");
    for (const StrategyRun &r : o.session.runs)
        s += QStringLiteral("; %1: %2 %3 %4").arg(r.strategyId, toString(r.outcome), r.error, r.note);
    return s;
}

} // namespace

class TestRedisCache : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> m_db;
    std::unique_ptr<PgSession> m_writer;
    QTemporaryDir m_redisDir;
    std::unique_ptr<RedisServer> m_redis;

private Q_SLOTS:
    void initTestCase()
    {
        if (!RedisServer::findBinary())
            QSKIP("redis-server is not installed");
        PLANSIGHT_REQUIRE_CLUSTER();
        auto *c = test::TestCluster::get();
        m_db = c->connect(QStringLiteral("rediscache"));
        QVERIFY(m_db);
        DemoOptions o;
        o.scale = 0.002;
        o.connections = 1;
        REQUIRE_OK(buildDemo(*m_db, o));
        m_writer = c->connect(QStringLiteral("rediscache"));
        QVERIFY(m_writer);
        openForTheServer(m_redisDir.path());
        m_redis = std::make_unique<RedisServer>(m_redisDir.path() + QStringLiteral("/redis"));
        REQUIRE_OK(m_redis->start());
        RedisCacheConfig config;
        config.endpoint = m_redis->endpoint();
        setRedisCacheConfig(config);
        REQUIRE_OK(strategyById(QStringLiteral("p2-redis"))->apply(*m_db, nullptr, {}));
    }

    void urlsAreParsed()
    {
        auto u = parseRedisUrl(QStringLiteral("redis://127.0.0.1:6380/2"));
        REQUIRE_OK(u);
        QCOMPARE(u->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(u->port, 6380);
        QCOMPARE(u->db, 2);
        auto s = parseRedisUrl(QStringLiteral("unix:///run/redis/redis.sock?db=3"));
        REQUIRE_OK(s);
        QCOMPARE(s->socketPath, QStringLiteral("/run/redis/redis.sock"));
        QCOMPARE(s->db, 3);
        auto p = parseRedisUrl(QStringLiteral("redis://:secret@localhost"));
        REQUIRE_OK(p);
        QCOMPARE(p->password, QStringLiteral("secret"));
        QVERIFY(!p->describe().contains(QLatin1String("secret")));
        for (const char *bad : { "http://x", "redis://", "unix://relative", "redis://h:1/x", "localhost:6379" }) {
            auto b = parseRedisUrl(QString::fromLatin1(bad));
            QVERIFY2(!b, bad);
            QCOMPARE(b.error().code, errc::Input);
        }
    }

    void startsOnASocketAndStopsWithoutSaving()
    {
        QTemporaryDir tmp;
        openForTheServer(tmp.path());
        const QString root = tmp.path() + QStringLiteral("/redis");
        qint64 pid = 0;
        {
            RedisServer server(root);
            REQUIRE_OK(server.start());
            QVERIFY(server.ownsServer());
            QVERIFY(server.isRunning());
            pid = server.runningPid();
            QVERIFY(pid > 0);
            QVERIFY(server.socketPath().startsWith(root));
            QFile conf(root + QStringLiteral("/redis.conf"));
            QVERIFY(conf.open(QIODevice::ReadOnly));
            QVERIFY(conf.readAll().contains("port 0\n"));

            auto c = RedisClient::connect(server.endpoint());
            REQUIRE_OK(c);
            RedisClient &client = **c;
            REQUIRE_OK(client.ping());
            // Values with every byte go through unchanged: arguments, never a formatted command.
            const QByteArray value("a %s %b \r\n\0 value", 19);
            REQUIRE_OK(client.set("k %s", value, 60));
            auto got = client.get("k %s");
            REQUIRE_OK(got);
            QVERIFY(got->has_value());
            QCOMPARE(**got, value);
            auto missing = client.get("absent");
            REQUIRE_OK(missing);
            QVERIFY(!missing->has_value());
            QCOMPARE(client.incr("n").value(), qint64(1));
            QCOMPARE(client.incr("n").value(), qint64(2));
            auto info = client.info(QStringLiteral("memory"));
            REQUIRE_OK(info);
            QVERIFY(RedisClient::infoField(*info, QStringLiteral("used_memory")).toLongLong() > 0);
            // A second object on the same directory reuses the server of a living owner and leaves it running.
            {
                RedisServer other(root);
                REQUIRE_OK(other.start());
                QVERIFY(!other.ownsServer());
                QCOMPARE(other.runningPid(), pid);
            }
            QVERIFY(server.isRunning());
        } // the destructor stops the server it started
        QVERIFY(!processAlive(pid));
        QVERIFY(!RedisServer(root).isRunning());
        // Nothing was saved.
        QVERIFY(!QFile::exists(root + QStringLiteral("/data/dump.rdb")));
    }

    void anOrphanIsReapedByTheNextStart()
    {
        QTemporaryDir tmp;
        openForTheServer(tmp.path());
        const QString root = tmp.path() + QStringLiteral("/redis");
        RedisServer first(root);
        REQUIRE_OK(first.start());
        const qint64 orphan = first.runningPid();
        QVERIFY(orphan > 0);
        {
            auto c = RedisClient::connect(first.endpoint());
            REQUIRE_OK(c);
            REQUIRE_OK((*c)->set("left", "behind", 0));
        }
        // The PlanSight that started it was killed: its pid is gone (a finished child's pid), the server stays.
        first.abandon();
        QProcess gone;
        gone.start(QStringLiteral("true"));
        QVERIFY(gone.waitForStarted());
        const qint64 deadPid = gone.processId();
        QVERIFY(gone.waitForFinished());
        QFile owner(root + QStringLiteral("/redis.owner"));
        QVERIFY(owner.open(QIODevice::WriteOnly | QIODevice::Truncate));
        owner.write(QByteArray::number(deadPid));
        owner.close();

        RedisServer next(root);
        REQUIRE_OK(next.start());
        QVERIFY(next.ownsServer());
        QVERIFY(!processAlive(orphan));
        QVERIFY(next.runningPid() != orphan);
        auto c = RedisClient::connect(next.endpoint());
        REQUIRE_OK(c);
        auto left = (*c)->get("left");
        REQUIRE_OK(left);
        QVERIFY(!left->has_value()); // a fresh server: the orphan's data went with it
        REQUIRE_OK(next.stop());
        QVERIFY(!next.isRunning());
    }

    void aKilledServerIsALostConnection()
    {
        QTemporaryDir tmp;
        openForTheServer(tmp.path());
        RedisServer server(tmp.path() + QStringLiteral("/redis"));
        REQUIRE_OK(server.start());
        auto c = RedisClient::connect(server.endpoint());
        REQUIRE_OK(c);
        const qint64 pid = server.runningPid();
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QTRY_VERIFY(!processAlive(pid));
        auto r = (*c)->get("x");
        QVERIFY(!r);
        QCOMPARE(r.error().code, errc::Connection);
        QVERIFY((*c)->isBroken());
        // The next start starts it again.
        REQUIRE_OK(server.start());
        QVERIFY(server.isRunning());
    }

    // The first execution misses and stores the page, the second hits and returns the same page, the baseline's.
    void aMissThenAHitGiveTheSamePage()
    {
        Workload w = canonical();
        w.page = 2;
        auto expected = baselinePage(*m_db, w);
        REQUIRE_OK(expected);
        QVERIFY(!expected->isEmpty());
        auto q = strategyById(QStringLiteral("p2-redis"))->query(*m_db, w);
        REQUIRE_OK(q);
        QVERIFY(!q->explainable());
        auto first = q->execute(*m_db);
        REQUIRE_OK(first);
        QCOMPARE(*first, *expected);
        QVERIFY2(q->noteAfterRuns().contains(QLatin1String("0 hits and 1 misses")), qPrintable(q->noteAfterRuns()));
        auto second = q->execute(*m_db);
        REQUIRE_OK(second);
        QCOMPARE(*second, *expected);
        const QString note = q->noteAfterRuns();
        QVERIFY2(note.contains(QLatin1String("1 hits and 1 misses")), qPrintable(note));
        QVERIFY2(note.contains(QLatin1String("Redis uses ")), qPrintable(note));
        // The miss row's strategy never hits, whatever is cached.
        auto miss = strategyById(QStringLiteral("p2-redis-miss"))->query(*m_db, w);
        REQUIRE_OK(miss);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(miss->execute(*m_db).value(), *expected);
        QVERIFY2(
            miss->noteAfterRuns().contains(QLatin1String("0 hits and 2 misses")), qPrintable(miss->noteAfterRuns()));
    }

    // A committed write to content_tags fires the trigger, the NOTIFY reaches the listener, the data version grows,
    // and the next execution misses and returns the new page.
    void aWriteBumpsTheVersionAndTheNextLookupMisses()
    {
        const Workload w = canonical();
        auto q = strategyById(QStringLiteral("p2-redis"))->query(*m_db, w);
        REQUIRE_OK(q);
        auto before = q->execute(*m_db);
        REQUIRE_OK(before);
        REQUIRE_OK(q->execute(*m_db)); // a hit now
        auto version = redisCacheDataVersion(*m_db);
        REQUIRE_OK(version);
        // The first item of the page loses its tag: the page changes.
        const QStringList first = before->first().split(QLatin1Char(':'));
        const QVariantList params { first[0], first[1].toLongLong(), demo::AnimeTagId };
        REQUIRE_OK(m_writer->exec(QStringLiteral("DELETE FROM public.content_tags WHERE content_source = $1 AND "
                                                 "content_id = $2 AND tag_id = $3::uuid"),
            params));
        QTRY_VERIFY(redisCacheDataVersion(*m_db).value() > *version);
        auto after = q->execute(*m_db);
        REQUIRE_OK(after);
        auto expected = baselinePage(*m_db, w);
        REQUIRE_OK(expected);
        QCOMPARE(*after, *expected);
        QVERIFY(!after->contains(before->first()));
        QVERIFY2(q->noteAfterRuns().contains(QLatin1String("1 hits and 2 misses")), qPrintable(q->noteAfterRuns()));
        REQUIRE_OK(m_writer->exec(QStringLiteral("INSERT INTO public.content_tags (content_source, content_id, tag_id) "
                                                 "VALUES ($1, $2, $3::uuid)"),
            params));
        QTRY_VERIFY(q->execute(*m_db).value() == *before);
    }

    // Without the triggers (p2-redis reverted) a write is not seen: the hit serves the old page, which the result
    // check calls stale, not same and not different; the note gives the entry's age.
    void aHitThatNoLongerMatchesIsStale()
    {
        auto p2 = strategyById(QStringLiteral("p2-redis"));
        REQUIRE_OK(p2->revert(*m_db, nullptr));
        const Workload w = canonical();
        auto q = p2->query(*m_db, w);
        REQUIRE_OK(q);
        auto cached = q->execute(*m_db);
        REQUIRE_OK(cached);
        (void)redisCacheDataVersion(*m_db); // the listener is there: nothing more will come
        const QStringList first = cached->first().split(QLatin1Char(':'));
        const QVariantList params { first[0], first[1].toLongLong(), demo::AnimeTagId };
        REQUIRE_OK(m_writer->exec(QStringLiteral("DELETE FROM public.content_tags WHERE content_source = $1 AND "
                                                 "content_id = $2 AND tag_id = $3::uuid"),
            params));
        auto hit = q->execute(*m_db);
        REQUIRE_OK(hit);
        QCOMPARE(*hit, *cached);
        auto truth = baselinePage(*m_db, w);
        REQUIRE_OK(truth);
        QString detail;
        QCOMPARE(toString(comparePages(*truth, *hit, p2->info().mayBeStale, &detail)), toString(ResultCheck::Stale));
        QVERIFY2(
            q->noteAfterRuns().contains(QLatin1String("the oldest entry served was")), qPrintable(q->noteAfterRuns()));
        REQUIRE_OK(m_writer->exec(QStringLiteral("INSERT INTO public.content_tags (content_source, content_id, tag_id) "
                                                 "VALUES ($1, $2, $3::uuid)"),
            params));
        REQUIRE_OK(p2->apply(*m_db, nullptr, {}));
    }

    // Redis killed in the middle of a run: the inner strategy answers, the note says so; the next start serves again.
    void redisKilledMidRunTheInnerStrategyAnswers()
    {
        Workload w = canonical();
        w.page = 3;
        auto expected = baselinePage(*m_db, w);
        REQUIRE_OK(expected);
        auto q = strategyById(QStringLiteral("p2-redis"))->query(*m_db, w);
        REQUIRE_OK(q);
        QCOMPARE(q->execute(*m_db).value(), *expected);
        const qint64 pid = m_redis->runningPid();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QTRY_VERIFY(!processAlive(pid));
        for (int i = 0; i < 2; ++i) {
            auto got = q->execute(*m_db);
            REQUIRE_OK(got);
            QCOMPARE(*got, *expected);
        }
        const QString note = q->noteAfterRuns();
        QVERIFY2(note.contains(QLatin1String("Redis did not answer 2 executions, so the inner strategy did")),
            qPrintable(note));
        REQUIRE_OK(m_redis->start());
        auto again = strategyById(QStringLiteral("p2-redis"))->query(*m_db, w);
        REQUIRE_OK(again);
        QCOMPARE(again->execute(*m_db).value(), *expected);
        QCOMPARE(again->execute(*m_db).value(), *expected);
        QVERIFY2(
            again->noteAfterRuns().contains(QLatin1String("1 hits and 1 misses")), qPrintable(again->noteAfterRuns()));
    }

    // Warm-up of popular workloads: the top tags' first pages are stored once; a second warm-up finds them cached,
    // and a lookup of one of them is a hit.
    void warmUpStoresThePopularTagsPages()
    {
        Workload base = canonical();
        base.pageSize = 7; // a page size no other test uses: nothing of this shape is cached yet
        auto first = warmRedisCache(*m_db, base, 3);
        REQUIRE_OK(first);
        QCOMPARE(*first, 3);
        auto again = warmRedisCache(*m_db, base, 3);
        REQUIRE_OK(again);
        QCOMPARE(*again, 0);
        auto top = m_db->exec(QStringLiteral("SELECT tag_id::text FROM public.content_tags GROUP BY tag_id "
                                             "ORDER BY count(*) DESC, tag_id LIMIT 1"));
        REQUIRE_OK(top);
        base.tagIds = { top->value(0, 0) };
        auto q = strategyById(QStringLiteral("p2-redis"))->query(*m_db, base);
        REQUIRE_OK(q);
        QCOMPARE(q->execute(*m_db).value(), baselinePage(*m_db, base).value());
        QVERIFY2(q->noteAfterRuns().contains(QLatin1String("1 hits and 0 misses")), qPrintable(q->noteAfterRuns()));
    }

    // --cache-over: the inner strategy answers the misses; one whose objects are not applied is refused in one
    // sentence that names it and what to do, never a failure inside its query.
    void theCacheWrapsTheStrategyItIsGiven()
    {
        const RedisCacheConfig saved = redisCacheConfig();
        RedisCacheConfig config = saved;
        config.innerId = QStringLiteral("p6-cursor");
        setRedisCacheConfig(config);
        Workload w = canonical();
        w.page = 5;
        w.byCursor = true;
        auto q = strategyById(QStringLiteral("p2-redis"))->query(*m_db, w);
        REQUIRE_OK(q);
        QVERIFY2(q->note.startsWith(QLatin1String("Redis in front of p6-cursor")), qPrintable(q->note));
        QCOMPARE(q->execute(*m_db).value(), baselinePage(*m_db, w).value());
        config.innerId = QStringLiteral("x-topn");
        setRedisCacheConfig(config);
        auto refused = strategyById(QStringLiteral("p2-redis"))->query(*m_db, w);
        setRedisCacheConfig(saved);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, errc::Input);
        QVERIFY2(refused.error().message.contains(QLatin1String("x-topn, whose objects are not applied")),
            qPrintable(refused.error().message));
    }

    // Through the runner's measurement: the note after the runs reaches the run.
    void theRunsNoteSaysHowTheCacheAnswered()
    {
        Workload w = canonical();
        w.page = 4;
        RunContext ctx;
        ctx.session = test::TestCluster::get()->connect(QStringLiteral("rediscache"));
        QVERIFY(ctx.session);
        ctx.options.warmupRuns = 1;
        ctx.options.runs = 3;
        std::optional<Error> fatal;
        auto executor = serverExecutor();
        const StrategyRun run = measureRun(ctx, *executor, *strategyById(QStringLiteral("p2-redis")), w, fatal);
        QVERIFY2(run.outcome == RunOutcome::Ok, qPrintable(run.error));
        QVERIFY(!fatal);
        QCOMPARE(run.timingsMs.size(), 3);
        QCOMPARE(run.pageKeys, baselinePage(*m_db, w).value());
        // The warm-up missed and filled the cache; the measured runs hit.
        QVERIFY2(run.note.startsWith(QLatin1String("Redis in front of baseline")), qPrintable(run.note));
        QVERIFY2(run.note.contains(QLatin1String("3 hits and 1 misses")), qPrintable(run.note));
        QVERIFY2(
            run.note.contains(QLatin1String("hit ratio of every p2-redis execution so far")), qPrintable(run.note));
    }

    // Issue #14, "Measure how long a write takes to become visible, with TTL only and with invalidation": with
    // invalidation the write is seen once the listener has the NOTIFY; with TTL only the entry stored just before the
    // write is served until it expires. The data are as they were afterwards, and the session records both figures
    // in the footprint (the TTL-only one only for a TTL short enough to wait for).
    void theWriteToVisibleTimeIsMeasuredWithAndWithoutInvalidation()
    {
        const RedisCacheConfig saved = redisCacheConfig();
        const auto restore = qScopeGuard([&] { setRedisCacheConfig(saved); });
        RedisCacheConfig config = saved;
        config.ttlSeconds = 2;
        setRedisCacheConfig(config);
        const QString counts = QStringLiteral("SELECT (SELECT count(*) FROM public.content_items)::text || '/' || "
                                              "(SELECT count(*) FROM public.content_tags) || '/' || "
                                              "(SELECT max(id) FROM public.content_items)");
        auto before = m_db->exec(counts);
        REQUIRE_OK(before);

        auto invalidated = measureRedisVisibility(*m_db, true, 10000);
        REQUIRE_OK(invalidated);
        QVERIFY2(invalidated->ms >= 0, "the write was not seen with invalidation");
        QVERIFY(invalidated->polls >= 1);
        auto ttlOnly = measureRedisVisibility(*m_db, false, 7000);
        REQUIRE_OK(ttlOnly);
        QVERIFY2(ttlOnly->ms >= 0, "the write was not seen once the entry expired");
        // The entry stored before the write answered after it: the listener was not asked.
        QVERIFY2(ttlOnly->polls > 1, qPrintable(QString::number(ttlOnly->polls)));
        QCOMPARE(ttlOnly->ttlSeconds, 2);

        Footprint fp;
        REQUIRE_OK(measureRedisVisibilityInto(*m_db, fp));
        QVERIFY(fp.visibleMs >= 0);
        QVERIFY(fp.visibleTtlOnlyMs >= 0);
        QVERIFY2(fp.staleness.contains(QLatin1String("with invalidation")), qPrintable(fp.staleness));
        QVERIFY2(fp.staleness.contains(QLatin1String("with TTL only (TTL 2 s")), qPrintable(fp.staleness));

        // With the default TTL, TTL only is not waited for, and the staleness says so.
        setRedisCacheConfig(saved);
        Footprint longTtl;
        REQUIRE_OK(measureRedisVisibilityInto(*m_db, longTtl));
        QVERIFY(longTtl.visibleMs >= 0);
        QCOMPARE(longTtl.visibleTtlOnlyMs, -1.0);
        QVERIFY2(longTtl.staleness.contains(QLatin1String("not measured: up to the TTL of 300 s")),
            qPrintable(longTtl.staleness));

        auto after = m_db->exec(counts);
        REQUIRE_OK(after);
        QCOMPARE(after->value(0, 0), before->value(0, 0));
    }

    // Redis flushed (FLUSHALL) between a store and a write: the version counter restarts at 1, and must never climb
    // back to a version under which an entry was stored after the flush (that entry would be served, silently
    // stale). The data version only moves on, and the page after the write is the baseline's.
    void aFlushedCounterNeverBringsBackAVersionInUse()
    {
        Workload w = canonical();
        w.pageSize = 9; // a shape no other test caches
        auto q = strategyById(QStringLiteral("p2-redis"))->query(*m_db, w);
        REQUIRE_OK(q);
        for (int i = 0; i < 3; ++i) { // a few versions, so that a restarted counter would meet this one again
            const qint64 v = redisCacheDataVersion(*m_db).value();
            REQUIRE_OK(m_writer->exec(QStringLiteral("UPDATE public.content_items SET title = title WHERE false")));
            QTRY_VERIFY(redisCacheDataVersion(*m_db).value() > v);
        }
        const qint64 inUse = redisCacheDataVersion(*m_db).value();
        QVERIFY(inUse > 2);
        auto flusher = RedisClient::connect(m_redis->endpoint());
        REQUIRE_OK(flusher);
        REQUIRE_OK((*flusher)->flushAll());
        auto stored = q->execute(*m_db); // stored again, under the version in use
        REQUIRE_OK(stored);
        QCOMPARE(*stored, baselinePage(*m_db, w).value());
        const QStringList first = stored->first().split(QLatin1Char(':'));
        const QVariantList params { first[0], first[1].toLongLong(), demo::AnimeTagId };
        REQUIRE_OK(m_writer->exec(QStringLiteral("DELETE FROM public.content_tags WHERE content_source = $1 AND "
                                                 "content_id = $2 AND tag_id = $3::uuid"),
            params));
        QTRY_VERIFY(redisCacheDataVersion(*m_db).value() > inUse);
        QCOMPARE(q->execute(*m_db).value(), baselinePage(*m_db, w).value());
        REQUIRE_OK(m_writer->exec(QStringLiteral("INSERT INTO public.content_tags (content_source, content_id, tag_id) "
                                                 "VALUES ($1, $2, $3::uuid)"),
            params));
        QTRY_VERIFY(q->execute(*m_db).value() == *stored);
    }

    // A whole session (BenchRunner, recorded in a history) with Redis flushed before p2-redis's third execution:
    // the next executions miss and store again; every page p2-redis answered is the baseline's, and the run says so.
    void redisFlushedInTheMiddleOfASessionEveryPageIsChecked()
    {
        QTemporaryDir dir;
        Workload w = canonical();
        w.page = 7;
        auto executor = std::make_shared<ActingExecutor>(3, [this] {
            auto c = RedisClient::connect(m_redis->endpoint());
            QVERIFY(c.ok() && (*c)->flushAll().ok());
        });
        BenchTarget t;
        t.conninfo = test::TestCluster::get()->conninfo(QStringLiteral("rediscache"));
        BenchOptions o;
        o.strategies = { strategyById(QStringLiteral("baseline")), strategyById(QStringLiteral("p2-redis")) };
        o.workloads = { w };
        o.warmupRuns = 1;
        o.runs = 4;
        o.measureWriteCost = false;
        o.executor = executor;
        HistoryRecorder recorder(dir.filePath(QStringLiteral("history.sqlite")));
        const BenchOutcome out = BenchRunner(t).run(o, nullptr, { &recorder });
        QVERIFY2(!out.error, qPrintable(describe(out)));
        const StrategyRun *p2 = runOf(out.session, QStringLiteral("p2-redis"));
        QVERIFY(p2);
        QVERIFY2(p2->outcome == RunOutcome::Ok, qPrintable(describe(out)));
        QCOMPARE(toString(p2->check), toString(ResultCheck::Same));
        QVERIFY2(p2->note.contains(QLatin1String("3 hits and 2 misses")), qPrintable(p2->note));
        const QStringList truth = baselinePage(*m_db, w).value();
        QCOMPARE(executor->pages.size(), 5);
        for (const QStringList &page : std::as_const(executor->pages))
            QCOMPARE(page, truth);
    }

    // Issue #14, faults: redis-server SIGKILLed before p2-redis's third execution. The run goes on (the baseline
    // answers, the note says so), its pages are the baseline's, and the session and its runs are in the history.
    // The next session starts the server again (as bench does on the demo) and is served by Redis.
    void redisKilledInTheMiddleOfASessionTheSessionGoesOn()
    {
        QTemporaryDir dir;
        const QString history = dir.filePath(QStringLiteral("history.sqlite"));
        Workload w = canonical();
        w.page = 6;
        auto executor = std::make_shared<ActingExecutor>(3, [this] {
            const qint64 pid = m_redis->runningPid();
            QVERIFY(pid > 0);
            QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
            QTRY_VERIFY(!processAlive(pid));
        });
        BenchTarget t;
        t.conninfo = test::TestCluster::get()->conninfo(QStringLiteral("rediscache"));
        BenchOptions o;
        o.strategies = { strategyById(QStringLiteral("baseline")), strategyById(QStringLiteral("p2-redis")) };
        o.workloads = { w };
        o.warmupRuns = 1;
        o.runs = 4;
        o.measureWriteCost = false;
        o.executor = executor;
        HistoryRecorder recorder(history);
        const BenchOutcome out = BenchRunner(t).run(o, nullptr, { &recorder });
        QVERIFY2(!out.error, qPrintable(describe(out)));
        const StrategyRun *p2 = runOf(out.session, QStringLiteral("p2-redis"));
        QVERIFY(p2);
        QVERIFY2(p2->outcome == RunOutcome::Ok, qPrintable(describe(out)));
        QCOMPARE(toString(p2->check), toString(ResultCheck::Same));
        QCOMPARE(p2->timingsMs.size(), 4);
        QVERIFY2(p2->note.contains(QLatin1String("Redis did not answer 3 executions, so the inner strategy did")),
            qPrintable(p2->note));
        const QStringList truth = baselinePage(*m_db, w).value();
        for (const QStringList &page : std::as_const(executor->pages))
            QCOMPARE(page, truth);
        auto store = HistoryStore::open(history);
        REQUIRE_OK(store);
        auto loaded = store->loadSession(out.session.info.id);
        REQUIRE_OK(loaded);
        QCOMPARE(loaded->runs.size(), 2);
        QCOMPARE(loaded->runs.at(1).note, p2->note);

        // The next session: its Redis is set up as bench sets it up on the demo, which starts the server again.
        RedisCacheConfig config = redisCacheConfig();
        config.endpoint = RedisEndpoint();
        QString warning;
        auto server = setUpRedisCache(config, m_redisDir.path(), true, &warning);
        QVERIFY2(server && warning.isEmpty(), qPrintable(warning));
        QVERIFY(server->isRunning());
        o.executor = {};
        HistoryRecorder again(history);
        const BenchOutcome next = BenchRunner(t).run(o, nullptr, { &again });
        QVERIFY2(!next.error, qPrintable(describe(next)));
        const StrategyRun *served = runOf(next.session, QStringLiteral("p2-redis"));
        QVERIFY(served);
        QCOMPARE(toString(served->check), toString(ResultCheck::Same));
        QVERIFY2(served->note.contains(QLatin1String("4 hits and 1 misses")), qPrintable(served->note));
        QVERIFY2(!served->note.contains(QLatin1String("did not answer")), qPrintable(served->note));
        server.reset(); // stopped, as at the end of a bench
        REQUIRE_OK(m_redis->start());
        config.endpoint = m_redis->endpoint();
        setRedisCacheConfig(config);
    }
};

QTEST_GUILESS_MAIN(TestRedisCache)
#include "tst_rediscache.moc"
