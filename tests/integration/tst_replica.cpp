// p7-replica (docs/strategies.md, "p7-replica"), with real servers: the test cluster (at wal_level minimal, as the
// embedded demo runs) and the streaming standby the strategy makes of it. Specifies the apply (the WAL level raised
// with a restart, the session connected again with its database lock), the routing with its lag figures, the user's
// own standby, the orphan reaping, the faults (a standby killed in the middle of a run, a standby promoted) and the
// revert (everything back as it was).

#include "bench/measure.h"
#include "bench/runner.h"
#include "benchhelpers.h"
#include "pg/localcluster.h"
#include "strategies/footprint.h"
#include "strategies/galleryquery.h"
#include "strategies/replicastrategy.h"
#include "strategies/safety.h"
#include "strategies/strategy.h"
#include "testcluster.h"
#include "util/sqlfiles.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace plansight;

namespace {

const QString Db = QStringLiteral("replica_gallery");

#define REQUIRE_OK(expr)                                                                                               \
    do {                                                                                                               \
        const auto &r_ = (expr);                                                                                       \
        QVERIFY2(r_.ok(), qPrintable(r_.ok() ? QString() : r_.error().toString()));                                    \
    } while (false)

Result<QStringList> pageKeys(PgSession &s, const StrategyQuery &q)
{
    if (!q.explainable() && q.execute)
        return q.execute(s);
    auto r = s.exec(q.sql, q.params);
    if (!r)
        return r.error();
    QStringList keys;
    for (int i = 0; i < r->rows(); ++i)
        keys << r->value(i, "source") + QLatin1Char(':') + r->value(i, "id");
    return keys;
}

// What a strategy could add to schema public, as sorted lines.
QStringList catalogSnapshot(PgSession &s)
{
    auto r = s.exec(QStringLiteral(
        "SELECT 'relation ' || c.relname || ' ' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE n.nspname = 'public' UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN "
        "pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' UNION ALL SELECT 'trigger ' || t.tgname "
        "FROM pg_trigger t WHERE NOT t.tgisinternal ORDER BY 1"));
    QStringList out;
    for (int i = 0; r && i < r->rows(); ++i)
        out << r->value(i, 0);
    return out;
}

QString setting(PgSession &s, const QString &name)
{
    auto r = s.exec(QStringLiteral("SELECT current_setting($1)"), { name });
    return r ? r->value(0, 0) : QString();
}

LocalCluster standbyCluster()
{
    return LocalCluster(standbyRootOf(test::TestCluster::get()->cluster().rootDir()));
}

qint64 postmasterPid(const LocalCluster &c)
{
    QFile f(c.dataDir() + QStringLiteral("/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readLine().trimmed().toLongLong();
}

// SIGKILL to the standby's postmaster and every backend of it (pg_ctl starts the postmaster in a session of its own).
bool killStandby()
{
    const qint64 pid = postmasterPid(standbyCluster());
    if (pid <= 1)
        return false;
    return ::kill(-pid_t(pid), SIGKILL) == 0;
}

bool processGroupGone(qint64 pid)
{
    return ::kill(-pid_t(pid), 0) != 0 && errno == ESRCH;
}

// A pid no process has any more.
qint64 deadPid()
{
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
}

// Executes like the server, and SIGKILLs the standby before the `killBefore`-th execution of p7-replica.
class KillingExecutor : public RunExecutor {
public:
    explicit KillingExecutor(int killBefore) : m_killBefore(killBefore) { }
    Result<Execution> execute(PgSession &session, const StrategyRun &run, const StrategyQuery &q) override
    {
        if (run.strategyId == QLatin1String("p7-replica") && ++m_count == m_killBefore) {
            const qint64 pid = postmasterPid(standbyCluster());
            m_killed = killStandby();
            QDeadlineTimer deadline(30000);
            while (m_killed && !processGroupGone(pid) && !deadline.hasExpired())
                QThread::msleep(10);
        }
        return serverExecutor()->execute(session, run, q);
    }
    Result<QByteArray> explain(PgSession &session, const StrategyRun &run, const StrategyQuery &q) override
    {
        return serverExecutor()->explain(session, run, q);
    }
    bool killed() const { return m_killed; }

private:
    int m_killBefore;
    int m_count = 0;
    bool m_killed = false;
};

} // namespace

class TestReplica : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> m_s;
    std::shared_ptr<Strategy> m_p7;
    QStringList m_base;
    QStringList m_expected; // the baseline's canonical page

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        const QString built = test::buildTinyDemo(Db);
        QVERIFY2(built.isEmpty(), qPrintable(built));
        m_s = test::TestCluster::get()->connect(Db);
        QVERIFY(m_s);
        m_p7 = strategyById(QStringLiteral("p7-replica"));
        QVERIFY(m_p7);
        m_base = catalogSnapshot(*m_s);
        auto page = pageKeys(*m_s, baselineQuery(test::canonicalWorkload()));
        REQUIRE_OK(page);
        m_expected = *page;
        QVERIFY(!m_expected.isEmpty());
    }

    void cleanupTestCase()
    {
        setReplicaConfig({});
        if (m_s && m_p7)
            (void)m_p7->revert(*m_s, nullptr);
    }

    void isInTheCatalogAfterP6()
    {
        QStringList ids;
        for (const auto &s : allStrategies())
            ids << s->id();
        QCOMPARE(ids.indexOf(QStringLiteral("p7-replica")), ids.indexOf(QStringLiteral("p6-cursor")) + 1);
        const StrategyInfo info = m_p7->info();
        QVERIFY(info.mayBeStale);
        QVERIFY(info.description.contains(QLatin1String("same plan on the same")));
        QCOMPARE(m_p7->plannedObjects(), QStringList { QStringLiteral("table public.ps_p7_replica_marker") });
    }

    // The demo runs at wal_level minimal: apply raises it with a restart, under the applying session, which is
    // connected again and holds PlanSight's database lock again; the standby streams from its slot.
    void applyRaisesTheWalLevelAndStartsAStreamingStandby()
    {
        QCOMPARE(setting(*m_s, QStringLiteral("wal_level")), QStringLiteral("minimal"));
        REQUIRE_OK(acquireDatabaseLock(*m_s, false, nullptr));
        QStringList steps;
        REQUIRE_OK(m_p7->apply(*m_s, nullptr, [&](qint64, qint64, const QString &t) { steps << t; }));
        QVERIFY2(steps.join(QLatin1Char('|')).contains(QLatin1String("WAL level")),
            qPrintable(steps.join(QLatin1Char('|'))));
        QVERIFY(m_s->isAlive());
        QCOMPARE(setting(*m_s, QStringLiteral("wal_level")), QStringLiteral("replica"));
        QVERIFY(test::TestCluster::get()->cluster().standbyWalRaised());
        auto held = m_s->exec(sql(QStringLiteral("strategies/p7-replica/lock_held")), { QVariant(PlanSightLockKey) });
        REQUIRE_OK(held);
        QVERIFY2(held->toBool(0, 0), "the database lock was not taken again after the restart");
        REQUIRE_OK(releaseDatabaseLock(*m_s));

        auto st = m_p7->status(*m_s);
        REQUIRE_OK(st);
        QCOMPARE(toString(st->state), toString(StrategyState::Applied));
        QVERIFY2(st->detail.contains(QLatin1String("running")), qPrintable(st->detail));
        LocalCluster standby = standbyCluster();
        QVERIFY(standby.isStandby());
        QVERIFY(standby.isRunning());
        QCOMPARE(standby.ownerPid(), qint64(::getpid()));
        auto onStandby = PgSession::connect(standby.conninfo(Db));
        REQUIRE_OK(onStandby);
        auto recovery = (*onStandby)->exec(QStringLiteral("SELECT pg_is_in_recovery()"));
        REQUIRE_OK(recovery);
        QVERIFY(recovery->toBool(0, 0));
        // It streams from its slot once its walreceiver has connected.
        auto streaming = [&] {
            auto r = m_s->exec(QStringLiteral(
                "SELECT count(*) FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid "
                "WHERE s.slot_name = 'ps_p7_replica'"));
            return r ? r->value(0, 0) : QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(streaming(), QStringLiteral("1"), 30000);

        // Applying again changes nothing: no restart.
        auto started = m_s->exec(QStringLiteral("SELECT pg_postmaster_start_time()::text"));
        REQUIRE_OK(started);
        steps.clear();
        REQUIRE_OK(m_p7->apply(*m_s, nullptr, [&](qint64, qint64, const QString &t) { steps << t; }));
        QVERIFY(steps.join(QLatin1Char(' ')).contains(QLatin1String("already applied")));
        QCOMPARE(
            m_s->exec(QStringLiteral("SELECT pg_postmaster_start_time()::text"))->value(0, 0), started->value(0, 0));
    }

    // A run reads from the standby, after its health check and the lag in bytes and in time; the page is the
    // baseline's.
    void theStandbyAnswersWithTheLag()
    {
        auto q = m_p7->query(*m_s, test::canonicalWorkload());
        REQUIRE_OK(q);
        QVERIFY(!q->explainable() && q->execute);
        QVERIFY2(q->note.startsWith(QLatin1String("the demo's standby (port")), qPrintable(q->note));
        QVERIFY2(q->note.contains(QLatin1String("of WAL behind")), qPrintable(q->note));
        QVERIFY2(q->note.contains(QLatin1String("a marker row visible")), qPrintable(q->note));
        QVERIFY2(q->note.contains(QLatin1String("same plan on the same CPU")), qPrintable(q->note));
        for (int i = 0; i < 3; ++i) {
            auto page = q->execute(*m_s);
            REQUIRE_OK(page);
            QCOMPARE(*page, m_expected);
        }
        QCOMPARE(q->noteAfterRuns(), QStringLiteral("the standby answered all 3 executions"));
        // The standby is storage outside the database, at least this database's size: the footprint counts it.
        auto fp = measureFootprint(*m_s, *m_p7);
        REQUIRE_OK(fp);
        auto dbSize = m_s->exec(QStringLiteral("SELECT pg_database_size(current_database())"));
        REQUIRE_OK(dbSize);
        QVERIFY2(fp->objects.last().startsWith(QLatin1String("a standby's copy of this database")),
            qPrintable(fp->objects.join(QLatin1Char('\n'))));
        QVERIFY(fp->bytes >= dbSize->toLongLong(0, 0));
        // Before a build, the disk check counts the whole cluster the standby copies.
        auto estimate = m_p7->outsideBytesToBuild(*m_s);
        REQUIRE_OK(estimate);
        QVERIFY(*estimate >= dbSize->toLongLong(0, 0));
        // It was the standby: its connection is there, named.
        auto onStandby = PgSession::connect(standbyCluster().conninfo(Db));
        REQUIRE_OK(onStandby);
        auto seen = (*onStandby)
                        ->exec(QStringLiteral(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'PlanSight p7-replica'"));
        REQUIRE_OK(seen);
        QCOMPARE(seen->value(0, 0), QStringLiteral("1"));

        // Inside a transaction on the primary the standby cannot see the session's writes: the primary answers.
        REQUIRE_OK(m_s->exec(QStringLiteral("BEGIN")));
        auto inTx = m_p7->query(*m_s, test::canonicalWorkload());
        REQUIRE_OK(m_s->exec(QStringLiteral("ROLLBACK")));
        REQUIRE_OK(inTx);
        QVERIFY2(inTx->note.startsWith(QLatin1String("the primary answered: the session is inside a transaction")),
            qPrintable(inTx->note));
    }

    // --replica DSN: the user's standby is used as it is; PlanSight never creates or starts one there. One that cannot
    // be reached leaves the primary answering, and the note names it.
    void aStandbyNamedByTheUserIsUsedAsItIs()
    {
        const LocalCluster standby = standbyCluster();
        ReplicaConfig config;
        config.dsn = standby.conninfo(Db);
        setReplicaConfig(config);
        auto st = m_p7->status(*m_s);
        REQUIRE_OK(st);
        QVERIFY2(st->detail.contains(QLatin1String("routes to the standby at")), qPrintable(st->detail));
        auto q = m_p7->query(*m_s, test::canonicalWorkload());
        REQUIRE_OK(q);
        QVERIFY2(q->note.startsWith(QLatin1String("the standby at ")), qPrintable(q->note));
        QCOMPARE(pageKeys(*m_s, *q).value(), m_expected);
        QCOMPARE(q->noteAfterRuns(), QStringLiteral("the standby answered all 1 executions"));

        config.dsn = QStringLiteral("host=/nonexistent/plansight port=1 dbname=gallery connect_timeout=2");
        setReplicaConfig(config);
        auto down = m_p7->query(*m_s, test::canonicalWorkload());
        REQUIRE_OK(down);
        QVERIFY2(down->note.startsWith(QLatin1String("the primary answered: the standby at ")), qPrintable(down->note));
        QVERIFY2(down->note.contains(QLatin1String("cannot be reached")), qPrintable(down->note));
        QCOMPARE(pageKeys(*m_s, *down).value(), m_expected);
        setReplicaConfig({});
        QVERIFY(standbyCluster().isStandby()); // the demo's own was not touched
    }

    // A standby whose PlanSight was killed is stopped by the next run, which starts it again as its own.
    void anOrphanedStandbyIsReapedAndStartedAgain()
    {
        LocalCluster standby = standbyCluster();
        QVERIFY(standby.isRunning());
        const qint64 before = postmasterPid(standby);
        QFile owner(standby.rootDir() + QStringLiteral("/owner.pid"));
        QVERIFY(owner.open(QIODevice::WriteOnly | QIODevice::Truncate));
        owner.write(QByteArray::number(deadPid()));
        owner.close();
        auto q = m_p7->query(*m_s, test::canonicalWorkload());
        REQUIRE_OK(q);
        QVERIFY2(q->note.contains(QLatin1String("an orphaned standby left by an earlier PlanSight was stopped, and the "
                                                "standby was started again")),
            qPrintable(q->note));
        QVERIFY(standby.isRunning());
        QVERIFY(postmasterPid(standby) != before);
        QCOMPARE(standby.ownerPid(), qint64(::getpid()));
        QCOMPARE(pageKeys(*m_s, *q).value(), m_expected);
    }

    // SIGKILL to the standby in the middle of a run: the run goes on with the primary answering, its note names the
    // standby, the session is complete; the next run starts the standby again.
    void aStandbyKilledMidRunLeavesThePrimaryAnswering()
    {
        BenchOptions o = test::quickOptions({ m_p7 }, 4);
        o.measureWriteCost = false;
        auto executor = std::make_shared<KillingExecutor>(3); // warm-up, run 1, then killed before run 2
        o.executor = executor;
        const BenchOutcome out = BenchRunner(test::demoBenchTarget(Db)).run(o, nullptr);
        QVERIFY2(out.ok(), qPrintable(out.error ? out.error->toString() : QStringLiteral("cancelled")));
        QVERIFY(executor->killed());
        QCOMPARE(out.session.runs.size(), 2);
        const StrategyRun &run = out.session.runs.at(1);
        QCOMPARE(run.strategyId, QStringLiteral("p7-replica"));
        QVERIFY2(run.outcome == RunOutcome::Ok, qPrintable(run.error));
        QCOMPARE(run.stats.count, 4);
        QCOMPARE(toString(run.check), toString(ResultCheck::Same));
        QVERIFY2(run.note.contains(QLatin1String("the demo's standby (port")), qPrintable(run.note));
        QVERIFY2(run.note.contains(QLatin1String("was lost during execution 3")), qPrintable(run.note));
        QVERIFY2(run.note.contains(QLatin1String("the primary answered the remaining 3 of 5 executions")),
            qPrintable(run.note));
        QVERIFY(!standbyCluster().isRunning());

        auto next = m_p7->query(*m_s, test::canonicalWorkload());
        REQUIRE_OK(next);
        QVERIFY2(next->note.contains(QLatin1String("the standby was started")), qPrintable(next->note));
        QVERIFY2(next->note.startsWith(QLatin1String("the demo's standby")), qPrintable(next->note));
        QCOMPARE(pageKeys(*m_s, *next).value(), m_expected);
        QVERIFY(standbyCluster().isRunning());
    }

    // A standby promoted in the middle of a run no longer follows the primary: its page is checked against the
    // baseline's (a differing one is never "same"), the note says it was promoted, and the next run does not use it.
    void aPromotedStandbyIsNeverSilentlyWrong()
    {
        auto q = m_p7->query(*m_s, test::canonicalWorkload());
        REQUIRE_OK(q);
        QVERIFY2(q->note.startsWith(QLatin1String("the demo's standby")), qPrintable(q->note));
        QCOMPARE(pageKeys(*m_s, *q).value(), m_expected);
        {
            auto onStandby = PgSession::connect(standbyCluster().conninfo(Db));
            REQUIRE_OK(onStandby);
            REQUIRE_OK((*onStandby)->exec(QStringLiteral("SELECT pg_promote(true, 60)")));
            // Written on the promoted server only: its newest item loses its tags, so its page differs.
            const QStringList first = m_expected.first().split(QLatin1Char(':'));
            REQUIRE_OK(
                (*onStandby)
                    ->exec(QStringLiteral(
                               "DELETE FROM public.content_tags WHERE content_id = $1::int AND content_source = $2"),
                        { first.at(1), first.at(0) }));
        }
        auto page = pageKeys(*m_s, *q);
        REQUIRE_OK(page);
        QVERIFY(*page != m_expected);
        QString detail;
        QCOMPARE(
            toString(comparePages(m_expected, *page, m_p7->info().mayBeStale, &detail)), toString(ResultCheck::Stale));
        QVERIFY(!detail.isEmpty());
        const QString after = q->noteAfterRuns();
        QVERIFY2(after.contains(QLatin1String("was promoted during the run")), qPrintable(after));

        auto next = m_p7->query(*m_s, test::canonicalWorkload());
        REQUIRE_OK(next);
        QVERIFY2(
            next->note.startsWith(QLatin1String("the primary answered: the demo's standby")), qPrintable(next->note));
        QVERIFY2(next->note.contains(QLatin1String("promoted")), qPrintable(next->note));
        QCOMPARE(pageKeys(*m_s, *next).value(), m_expected);
        // No longer a standby: the strategy is broken until applied again.
        QCOMPARE(toString(m_p7->status(*m_s)->state), toString(StrategyState::Broken));
    }

    // Revert removes the standby, its data directory and slot, the marker table, and puts the WAL level back (with a
    // restart, the session connected again): the catalog is as it was.
    void revertRemovesTheStandbyAndRestoresTheWalLevel()
    {
        REQUIRE_OK(m_p7->revert(*m_s, nullptr));
        QVERIFY(m_s->isAlive());
        QCOMPARE(setting(*m_s, QStringLiteral("wal_level")), QStringLiteral("minimal"));
        QVERIFY(!test::TestCluster::get()->cluster().standbyWalRaised());
        QVERIFY(!QFileInfo::exists(standbyCluster().rootDir()));
        auto slots = m_s->exec(QStringLiteral("SELECT count(*) FROM pg_replication_slots"));
        REQUIRE_OK(slots);
        QCOMPARE(slots->value(0, 0), QStringLiteral("0"));
        QCOMPARE(catalogSnapshot(*m_s), m_base);
        QCOMPARE(toString(m_p7->status(*m_s)->state), toString(StrategyState::NotApplied));
        // Reverting again is harmless, and restarts nothing.
        auto started = m_s->exec(QStringLiteral("SELECT pg_postmaster_start_time()::text"));
        REQUIRE_OK(started);
        REQUIRE_OK(m_p7->revert(*m_s, nullptr));
        QCOMPARE(
            m_s->exec(QStringLiteral("SELECT pg_postmaster_start_time()::text"))->value(0, 0), started->value(0, 0));
        // Without a standby the primary answers, and says so.
        auto q = m_p7->query(*m_s, test::canonicalWorkload());
        REQUIRE_OK(q);
        QVERIFY2(
            q->note.startsWith(QLatin1String("the primary answered: the demo has no standby")), qPrintable(q->note));
    }
};

QTEST_GUILESS_MAIN(TestReplica)
#include "tst_replica.moc"
