// The strategies refreshed on a schedule (p1-matview, p8-tag-counts) against a real PostgreSQL with a tiny demo:
// p1 answers popular tags from its view and others from the tables, with the same page as the baseline; a new
// item makes a page "stale" (never "same", never "different") with the rows missing and the seconds since the
// refresh, and a refresh makes it "same" again; p8's counts equal count(*) and give a tag without items its empty
// page without reading the junction; pg_cron refreshes them where the server has it (the test cluster loads it for
// the demo's database, like the embedded demo), PlanSight's own scheduler otherwise.

#include "bench/runner.h"
#include "gallery/demogenerator.h"
#include "strategies/galleryquery.h"
#include "strategies/matviewstrategy.h"
#include "strategies/refresh.h"
#include "strategies/tagcountsstrategy.h"
#include "testcluster.h"

#include <QRegularExpression>
#include <QTest>

#include <mutex>
#include <optional>
#include <thread>

using namespace plansight;

namespace {

// The timer path: a database pg_cron does not run jobs in.
const QString TimerDb = QStringLiteral("refresh_timer");
// The pg_cron path: the database the cluster's pg_cron runs its jobs in (the demo's).
const QString CronDb = QStringLiteral("gallery");

#define REQUIRE_OK(expr)                                                                                               \
    do {                                                                                                               \
        const auto &r_ = (expr);                                                                                       \
        QVERIFY2(r_.ok(), qPrintable(r_.ok() ? QString() : r_.error().toString()));                                    \
    } while (false)

Result<QStringList> pageKeys(PgSession &s, const StrategyQuery &q)
{
    auto r = s.exec(q.sql, q.params);
    if (!r)
        return r.error();
    QStringList keys;
    for (int i = 0; i < r->rows(); ++i)
        keys << r->value(i, "source") + QLatin1Char(':') + r->value(i, "id");
    return keys;
}

QStringList tagsByPopularity(PgSession &s, bool rarest = false)
{
    auto r = s.exec(QStringLiteral("SELECT tag_id::text FROM public.content_tags GROUP BY tag_id ORDER BY count(*) %1, "
                                   "tag_id")
                        .arg(rarest ? QStringLiteral("ASC") : QStringLiteral("DESC")));
    QStringList out;
    for (int i = 0; r && i < r->rows(); ++i)
        out << r->value(i, 0);
    return out;
}

Workload canonical()
{
    Workload w;
    w.name = QStringLiteral("canonical");
    w.tagIds = { demo::AnimeTagId };
    return w;
}

std::shared_ptr<MatviewStrategy> p1()
{
    return std::dynamic_pointer_cast<MatviewStrategy>(strategyById(QStringLiteral("p1-matview")));
}

std::shared_ptr<TagCountsStrategy> p8()
{
    return std::dynamic_pointer_cast<TagCountsStrategy>(strategyById(QStringLiteral("p8-tag-counts")));
}

// One benchmark session of the baseline and `strategy` on `w`, with the strategies as they are (nothing applied
// or reverted: they are applied before).
Result<StrategyRun> benchRun(const QString &db, const std::shared_ptr<Strategy> &strategy, const Workload &w)
{
    BenchTarget t;
    t.conninfo = test::TestCluster::get()->conninfo(db);
    t.label = QStringLiteral("test cluster");
    BenchOptions o;
    o.strategies = { strategyById(QStringLiteral("baseline")), strategy };
    o.workloads = { w };
    o.runs = 2;
    o.warmupRuns = 0;
    o.statementTimeoutMs = 20000;
    const BenchOutcome out = BenchRunner(t).run(o, nullptr);
    if (out.error)
        return *out.error;
    for (const StrategyRun &r : out.session.runs) {
        if (r.strategyId == strategy->id())
            return r;
    }
    return Error::make(errc::Internal, QStringLiteral("no run of %1").arg(strategy->id()));
}

} // namespace

class TestRefresh : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> m_s;

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        auto *c = test::TestCluster::get();
        for (const QString &db : { TimerDb, CronDb }) {
            REQUIRE_OK(c->cluster().ensureDatabase(db));
            auto s = c->connect(db);
            QVERIFY(s);
            DemoOptions o;
            o.scale = 0.002;
            o.connections = 1;
            REQUIRE_OK(buildDemo(*s, o));
            REQUIRE_OK(s->exec(QStringLiteral("ANALYZE")));
            if (db == TimerDb)
                m_s = std::move(s);
        }
    }

    void cleanup()
    {
        if (m_s && PQtransactionStatus(m_s->raw()) != PQTRANS_IDLE)
            (void)m_s->exec(QStringLiteral("ROLLBACK"));
        qunsetenv("PLANSIGHT_P1_TOP_TAGS");
    }

    void topTagsIsConfigurable()
    {
        PgSession &s = *m_s;
        REQUIRE_OK(p1()->revert(s, nullptr));
        qputenv("PLANSIGHT_P1_TOP_TAGS", "many");
        auto bad = p1()->apply(s, nullptr, {});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, errc::Input);
        QVERIFY2(bad.error().message.contains(QLatin1String("PLANSIGHT_P1_TOP_TAGS")), qPrintable(bad.error().message));
        QCOMPARE(toString(p1()->status(s)->state), toString(StrategyState::NotApplied));
        qputenv("PLANSIGHT_P1_TOP_TAGS", "3");
        REQUIRE_OK(p1()->apply(s, nullptr, {}));
        auto n = s.exec(
            QStringLiteral("SELECT count(*), (SELECT count(DISTINCT tag_id) FROM public.ps_p1_matview_gallery) "
                           "FROM public.ps_p1_matview_popular"));
        REQUIRE_OK(n);
        QCOMPARE(n->toLongLong(0, 0), 3);
        QCOMPARE(n->toLongLong(0, 1), 3);
        // The setting is the apply's only: it does not stay in the session.
        auto left = s.exec(QStringLiteral("SELECT coalesce(current_setting('plansight.p1_top_k', true), '')"));
        REQUIRE_OK(left);
        QCOMPARE(left->value(0, 0), QString());
        REQUIRE_OK(p1()->revert(s, nullptr));
        qunsetenv("PLANSIGHT_P1_TOP_TAGS");
        REQUIRE_OK(p1()->apply(s, nullptr, {}));
        n = s.exec(QStringLiteral("SELECT count(*) FROM public.ps_p1_matview_popular"));
        REQUIRE_OK(n);
        QCOMPARE(n->toLongLong(0, 0), qint64(MatviewStrategy::DefaultTopTags));
    }

    void p1AnswersFromTheViewOrTheTables_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<bool>("all");
        QTest::addColumn<bool>("fromView");
        QTest::newRow("one popular tag") << QStringLiteral("popular1") << false << true;
        QTest::newRow("3 popular tags, any") << QStringLiteral("popular3") << false << true;
        QTest::newRow("3 popular tags, all") << QStringLiteral("popular3") << true << true;
        QTest::newRow("popular and other tags, any") << QStringLiteral("mixed") << false << false;
        QTest::newRow("popular and other tags, all") << QStringLiteral("mixed") << true << false;
        QTest::newRow("a rare tag") << QStringLiteral("rare") << false << false;
        QTest::newRow("user kinds, 2 popular tags") << QStringLiteral("user") << false << true;
        QTest::newRow("quality sort, page 2") << QStringLiteral("quality") << false << true;
    }
    void p1AnswersFromTheViewOrTheTables()
    {
        QFETCH(QString, which);
        QFETCH(bool, all);
        QFETCH(bool, fromView);
        PgSession &s = *m_s;
        REQUIRE_OK(p1()->apply(s, nullptr, {}));
        const QStringList popular = tagsByPopularity(s);
        const QStringList rare = tagsByPopularity(s, true);
        QVERIFY(popular.size() > MatviewStrategy::DefaultTopTags + 2);
        Workload w = canonical();
        w.match = all ? TagMatch::All : TagMatch::Any;
        if (which == QLatin1String("popular1")) {
            w.tagIds = popular.mid(0, 1);
        } else if (which == QLatin1String("popular3")) {
            w.tagIds = popular.mid(0, 3);
        } else if (which == QLatin1String("mixed")) {
            w.tagIds = { popular.at(0), popular.at(1), rare.at(0) };
        } else if (which == QLatin1String("rare")) {
            w.tagIds = rare.mid(0, 1);
        } else if (which == QLatin1String("user")) {
            w.tagIds = popular.mid(0, 2);
            w.sources = { SourceKind::UserRegular, SourceKind::UserAuto, SourceKind::CommunityAuto };
        } else if (which == QLatin1String("quality")) {
            w.tagIds = popular.mid(1, 1);
            w.sort = SortField::QualityScore;
            w.page = 2;
        }
        auto expected = pageKeys(s, baselineQuery(w));
        REQUIRE_OK(expected);
        QVERIFY2(!expected->isEmpty(), "the baseline page is empty: the case proves nothing");
        auto q = p1()->query(s, w);
        REQUIRE_OK(q);
        QCOMPARE(q->note.startsWith(QLatin1String("view:")), fromView);
        QCOMPARE(q->sql.contains(QLatin1String("ps_p1_matview_gallery")), fromView);
        if (!fromView)
            QVERIFY2(q->note.startsWith(QLatin1String("fallback:")), qPrintable(q->note));
        auto got = pageKeys(s, *q);
        REQUIRE_OK(got);
        QCOMPARE(*got, *expected);
    }

    // Insert, stale, refresh, same: the result check of a benchmark session.
    void aNewItemMakesThePageStaleUntilTheRefresh()
    {
        PgSession &s = *m_s;
        REQUIRE_OK(p1()->apply(s, nullptr, {}));
        REQUIRE_OK(p1()->refresh(s));
        // The most popular tag (at this scale the anime tag need not be among the top 20).
        Workload w = canonical();
        w.tagIds = tagsByPopularity(s).mid(0, 1);
        auto fresh = benchRun(TimerDb, p1(), w);
        REQUIRE_OK(fresh);
        QCOMPARE(toString(fresh->check), toString(ResultCheck::Same));
        QVERIFY2(fresh->note.startsWith(QLatin1String("view:")), qPrintable(fresh->note));
        QVERIFY(fresh->footprint.refreshMs >= 0);
        QVERIFY2(
            fresh->footprint.staleness.contains(QLatin1String("by PlanSight")), qPrintable(fresh->footprint.staleness));

        // An item with the popular tag, newer than every other: the first row of the baseline's page.
        REQUIRE_OK(s.exec(
            QStringLiteral("INSERT INTO public.content_items (id, title, content_type, content_data, creator_id, "
                           "created_at, updated_at, is_private, prompt) VALUES (990001, 'new', 'image', '/new', "
                           "$1::uuid, '2030-01-01', '2030-01-01', false, 'todo')"),
            { demo::AdminUserId }));
        REQUIRE_OK(s.exec(QStringLiteral("INSERT INTO public.content_tags (content_id, content_source, tag_id) VALUES "
                                         "(990001, 'regular', $1::uuid)"),
            { w.tagIds.first() }));
        auto stale = benchRun(TimerDb, p1(), w);
        REQUIRE_OK(stale);
        QCOMPARE(toString(stale->check), toString(ResultCheck::Stale));
        QVERIFY2(stale->checkDetail.startsWith(QLatin1String("1 row of the baseline's page missing")),
            qPrintable(stale->checkDetail));
        QVERIFY2(stale->checkDetail.contains(QRegularExpression(QStringLiteral("last refresh \\d+ s(|ec) ago"))),
            qPrintable(stale->checkDetail));
        QVERIFY2(
            stale->footprint.staleness.contains(QLatin1String("last refresh")), qPrintable(stale->footprint.staleness));

        REQUIRE_OK(p1()->refresh(s));
        auto same = benchRun(TimerDb, p1(), w);
        REQUIRE_OK(same);
        QCOMPARE(toString(same->check), toString(ResultCheck::Same));
        QCOMPARE(same->pageKeys.value(0), QStringLiteral("regular:990001"));

        REQUIRE_OK(s.exec(QStringLiteral("DELETE FROM public.content_tags WHERE content_id = 990001 AND "
                                         "content_source = 'regular'")));
        REQUIRE_OK(s.exec(QStringLiteral("DELETE FROM public.content_items WHERE id = 990001")));
        REQUIRE_OK(p1()->refresh(s));
    }

    void staleDetailCountsTheMissingRows()
    {
        StrategyRun run;
        run.pageKeys = { QStringLiteral("regular:3"), QStringLiteral("auto:2"), QStringLiteral("regular:1") };
        run.check = ResultCheck::Stale;
        RefreshState state;
        state.secondsSince = 42;
        state.lastRefreshMs = 12.5;
        describeStaleness(run,
            { QStringLiteral("regular:9"), QStringLiteral("auto:8"), QStringLiteral("regular:3"),
                QStringLiteral("auto:2") },
            &state);
        QVERIFY2(run.checkDetail.startsWith(QLatin1String("2 rows of the baseline's page missing, 1 other row in their "
                                                          "place; last refresh 42 s ago")),
            qPrintable(run.checkDetail));
        QCOMPARE(run.footprint.staleness,
            QStringLiteral("refreshed every 5 minutes by PlanSight while it runs (no pg_cron); last refresh 42 s ago, "
                           "took 12.5 ms"));
    }

    void tagCountsEqualCountStar()
    {
        PgSession &s = *m_s;
        auto missing = exactTagCounts(s);
        if (toString(p8()->status(s)->state) == toString(StrategyState::NotApplied)) {
            QVERIFY(!missing.ok());
            QCOMPARE(missing.error().code, errc::Missing);
        }
        REQUIRE_OK(p8()->apply(s, nullptr, {}));
        QVERIFY(p8()->lastRefreshMs() >= 0);
        const QString diff = QStringLiteral(
            "SELECT count(*) FROM ((SELECT tag_id, content_source, count(*) FROM public.content_tags GROUP BY 1, 2 "
            "EXCEPT SELECT tag_id, content_source, count FROM public.ps_p8_tag_counts_tag_content_counts) UNION ALL "
            "(SELECT tag_id, content_source, count FROM public.ps_p8_tag_counts_tag_content_counts EXCEPT "
            "SELECT tag_id, content_source, count(*) FROM public.content_tags GROUP BY 1, 2)) d");
        auto d = s.exec(diff);
        REQUIRE_OK(d);
        QCOMPARE(d->toLongLong(0, 0), 0);

        auto counts = exactTagCounts(s);
        REQUIRE_OK(counts);
        auto star = s.exec(QStringLiteral("SELECT tag_id::text, count(*) FROM public.content_tags GROUP BY 1"));
        REQUIRE_OK(star);
        QCOMPARE(counts->size(), star->rows());
        for (int i = 0; i < star->rows(); ++i)
            QCOMPARE(counts->value(star->value(i, 0), -1), star->toLongLong(i, 1));
        auto regular = exactTagCounts(s, { demo::AnimeTagId }, { SourceKind::UserRegular });
        REQUIRE_OK(regular);
        auto regularStar = s.exec(QStringLiteral("SELECT count(*) FROM public.content_tags WHERE tag_id = $1::uuid AND "
                                                 "content_source = 'regular'"),
            { demo::AnimeTagId });
        REQUIRE_OK(regularStar);
        QCOMPARE(regular->value(demo::AnimeTagId, -1), regularStar->toLongLong(0, 0));

        // Lags a write until the refresh.
        REQUIRE_OK(s.exec(QStringLiteral("INSERT INTO public.content_tags (content_id, content_source, tag_id) VALUES "
                                         "(990002, 'auto', $1::uuid)"),
            { demo::AnimeTagId }));
        d = s.exec(diff);
        REQUIRE_OK(d);
        QCOMPARE(d->toLongLong(0, 0), 2);
        REQUIRE_OK(p8()->refresh(s));
        d = s.exec(diff);
        REQUIRE_OK(d);
        QCOMPARE(d->toLongLong(0, 0), 0);
        REQUIRE_OK(s.exec(QStringLiteral("DELETE FROM public.content_tags WHERE content_id = 990002")));
        REQUIRE_OK(p8()->refresh(s));
    }

    void aTagWithoutItemsGetsItsEmptyPageWithoutTheJunction()
    {
        PgSession &s = *m_s;
        REQUIRE_OK(p8()->apply(s, nullptr, {}));
        REQUIRE_OK(s.exec(QStringLiteral("INSERT INTO public.tags (id, name, tag_metadata, created_at, updated_at) "
                                         "VALUES ('00000000-0000-4000-8000-00000000e0e0', 'tst-refresh-unused', '{}', "
                                         "now(), now()) ON CONFLICT DO NOTHING")));
        Workload w = canonical();
        w.tagIds = { QStringLiteral("00000000-0000-4000-8000-00000000e0e0") };
        auto q = p8()->query(s, w);
        REQUIRE_OK(q);
        QVERIFY2(q->note.contains(QLatin1String("without reading the junction")), qPrintable(q->note));
        auto keys = pageKeys(s, *q);
        REQUIRE_OK(keys);
        QVERIFY(keys->isEmpty());
        auto plan = s.exec(QStringLiteral("EXPLAIN (ANALYZE, FORMAT JSON) ") + q->sql, q->params);
        REQUIRE_OK(plan);
        QVERIFY2(!plan->value(0, 0).contains(QLatin1String("\"content_tags\"")), qPrintable(plan->value(0, 0)));
        // A tag with items: the baseline's query and page.
        w = canonical();
        q = p8()->query(s, w);
        REQUIRE_OK(q);
        QVERIFY2(q->note.contains(QLatin1String("the baseline query")), qPrintable(q->note));
        QCOMPARE(pageKeys(s, *q).value(), pageKeys(s, baselineQuery(w)).value());
        // Any of an empty tag and a full one: the full one's page.
        w.tagIds << QStringLiteral("00000000-0000-4000-8000-00000000e0e0");
        q = p8()->query(s, w);
        REQUIRE_OK(q);
        QCOMPARE(pageKeys(s, *q).value(), pageKeys(s, baselineQuery(w)).value());
        // All of them: empty without the junction.
        w.match = TagMatch::All;
        q = p8()->query(s, w);
        REQUIRE_OK(q);
        QVERIFY2(q->note.contains(QLatin1String("1 of 2 tags have no items")), qPrintable(q->note));
        QVERIFY(pageKeys(s, *q).value().isEmpty());
        REQUIRE_OK(s.exec(QStringLiteral("DELETE FROM public.tags WHERE id = '00000000-0000-4000-8000-00000000e0e0'")));
    }

    void theSchedulerRefreshesWithoutPgCron()
    {
        PgSession &s = *m_s;
        REQUIRE_OK(p1()->apply(s, nullptr, {}));
        REQUIRE_OK(p8()->apply(s, nullptr, {}));
        auto has = hasPgCron(s);
        REQUIRE_OK(has);
        QVERIFY(!*has);
        auto before = s.exec(QStringLiteral("SELECT (SELECT refreshed_at FROM public.ps_p1_matview_refreshed), "
                                            "(SELECT refreshed_at FROM public.ps_p8_tag_counts_refreshed)"));
        REQUIRE_OK(before);
        auto done = RefreshScheduler::refreshDue(s);
        REQUIRE_OK(done);
        QCOMPARE(*done, (QStringList { QStringLiteral("p1-matview"), QStringLiteral("p8-tag-counts") }));
        // The thread: every second here, on its own connection.
        QStringList events;
        std::mutex mutex;
        {
            RefreshScheduler scheduler(test::TestCluster::get()->conninfo(TimerDb), 1, [&](const QString &e) {
                std::lock_guard lock(mutex);
                events << e;
            });
            QTRY_VERIFY_WITH_TIMEOUT(scheduler.ticks() >= 1, 20000);
        }
        std::lock_guard lock(mutex);
        QVERIFY2(events.value(0).contains(QLatin1String("Refreshed p1-matview, p8-tag-counts")),
            qPrintable(events.join(QLatin1Char('|'))));
        auto after = s.exec(
            QStringLiteral("SELECT (SELECT refreshed_at FROM public.ps_p1_matview_refreshed) > $1::timestamptz, "
                           "(SELECT refreshed_at FROM public.ps_p8_tag_counts_refreshed) > $2::timestamptz"),
            { before->value(0, 0), before->value(0, 1) });
        REQUIRE_OK(after);
        QVERIFY(after->toBool(0, 0));
        QVERIFY(after->toBool(0, 1));
    }

    // A refresh that runs while the strategy is reverted (at scale 1 p1's takes minutes, every 5 minutes) holds a
    // lock the revert's DROPs wait for, longer than the lock_timeout. The revert cancels it: it is the strategy's own.
    void revertCancelsARunningRefresh()
    {
        for (const auto &strategy : refreshableStrategies()) {
            REQUIRE_OK(strategy->apply(*m_s, nullptr, {}));
            auto holder = test::TestCluster::get()->connect(TimerDb);
            QVERIFY(holder);
            // The refresh, then a sleep inside the same statement: its locks stay held while it runs.
            bool heldOk = true;
            std::thread t([&] {
                heldOk = holder->exec(QStringLiteral("SELECT public.%1(), pg_sleep(60)").arg(strategy->refreshName()))
                             .ok();
            });
            QTRY_VERIFY_WITH_TIMEOUT(m_s->exec(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE state = "
                                                              "'active' AND wait_event = 'PgSleep' AND query LIKE $1"),
                                            { QStringLiteral("%%1()%").arg(strategy->refreshName()) })
                                         ->toLongLong(0, 0)
                    == 1,
                20000);
            const Status reverted = strategy->revert(*m_s, nullptr); // lock_timeout 5 s (ApplyContext's default)
            t.join();
            QVERIFY2(reverted.ok(), qPrintable(reverted.ok() ? QString() : reverted.error().toString()));
            QVERIFY(!heldOk); // cancelled
            QCOMPARE(toString(strategy->status(*m_s)->state), toString(StrategyState::NotApplied));
        }
    }

    // While PlanSight's timer is held (a benchmark measures), its ticks refresh nothing; after, they refresh again.
    void theTimerRefreshesNothingWhileABenchmarkHoldsIt()
    {
        PgSession &s = *m_s;
        REQUIRE_OK(p8()->apply(s, nullptr, {}));
        const QString last = QStringLiteral("SELECT refreshed_at FROM public.ps_p8_tag_counts_refreshed");
        auto before = s.exec(last);
        REQUIRE_OK(before);
        {
            std::optional<RefreshTimerHold> hold(std::in_place);
            QVERIFY(RefreshTimerHold::active());
            RefreshScheduler scheduler(test::TestCluster::get()->conninfo(TimerDb), 1);
            QTest::qWait(2500);
            QCOMPARE(scheduler.ticks(), 0);
            QCOMPARE(s.exec(last)->value(0, 0), before->value(0, 0));
            hold.reset();
            QVERIFY(!RefreshTimerHold::active());
            QTRY_VERIFY_WITH_TIMEOUT(scheduler.ticks() >= 1, 20000);
        }
        QVERIFY(s.exec(last)->value(0, 0) != before->value(0, 0));
        REQUIRE_OK(p8()->revert(s, nullptr));
    }

    // A benchmark holds the pg_cron jobs while it measures and cancels a refresh running beside it (at scale 1 p1's
    // takes minutes of every five, inside the server where the busy check cannot see it); the jobs resume after.
    void aBenchmarkHoldsThePgCronJobsAndResumesThem()
    {
        auto s = test::TestCluster::get()->connect(CronDb);
        QVERIFY(s);
        const auto strategy = p8();
        REQUIRE_OK(strategy->apply(*s, nullptr, {}));
        const QString active = QStringLiteral("SELECT active FROM cron.job WHERE jobname = $1");
        QVERIFY(s->exec(active, { strategy->refreshName() })->toBool(0, 0));

        // Directly: held, a running refresh cancelled, resumed; holding again holds nothing new until resumed.
        auto held = holdRefreshes(*s);
        REQUIRE_OK(held);
        QCOMPARE(held->held, QStringList { strategy->refreshName() });
        QVERIFY(held->cancelled.isEmpty());
        QVERIFY(!s->exec(active, { strategy->refreshName() })->toBool(0, 0));
        auto st = strategy->status(*s);
        REQUIRE_OK(st);
        QCOMPARE(toString(st->state), toString(StrategyState::Applied));
        QVERIFY2(st->detail.contains(QLatin1String("is held (inactive)")), qPrintable(st->detail));
        auto again = holdRefreshes(*s);
        REQUIRE_OK(again);
        QVERIFY(again->held.isEmpty());
        auto resumed = resumeRefreshes(*s);
        REQUIRE_OK(resumed);
        QCOMPARE(*resumed, QStringList { strategy->refreshName() });
        QVERIFY(s->exec(active, { strategy->refreshName() })->toBool(0, 0));

        // In a session: a refresh running when it starts measuring is cancelled and said; the job is active after.
        auto runner = test::TestCluster::get()->connect(CronDb);
        QVERIFY(runner);
        bool refreshOk = true;
        std::thread t([&] {
            refreshOk
                = runner->exec(QStringLiteral("SELECT public.%1(), pg_sleep(60)").arg(strategy->refreshName())).ok();
        });
        QTRY_VERIFY_WITH_TIMEOUT(s->exec(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                                                        "AND wait_event = 'PgSleep' AND query LIKE $1"),
                                      { QStringLiteral("%%1()%").arg(strategy->refreshName()) })
                                     ->toLongLong(0, 0)
                == 1,
            20000);
        BenchTarget target;
        target.conninfo = test::TestCluster::get()->conninfo(CronDb);
        target.label = QStringLiteral("test cluster");
        BenchOptions o;
        o.strategies = { strategyById(QStringLiteral("baseline")), strategy };
        o.workloads = { canonical() };
        o.runs = 1;
        o.warmupRuns = 0;
        o.keepApplied = true;
        const BenchOutcome out = BenchRunner(target).run(o, nullptr);
        t.join();
        QVERIFY2(!out.error, qPrintable(out.error ? out.error->toString() : QString()));
        QVERIFY(!refreshOk); // cancelled by the session, not waited for
        const QString warnings = out.session.warnings.join(QLatin1Char('|'));
        QVERIFY2(warnings.contains(QLatin1String("A refresh of p8-tag-counts was running and was cancelled")),
            qPrintable(warnings));
        QVERIFY(s->exec(active, { strategy->refreshName() })->toBool(0, 0));
        REQUIRE_OK(strategy->revert(*s, nullptr));
    }

    // The test cluster loads pg_cron for the demo's database, as the embedded demo does: apply creates the
    // extension there and a job named after the strategy, which revert removes.
    void pgCronRefreshesWhereTheServerHasIt()
    {
        auto s = test::TestCluster::get()->connect(CronDb);
        QVERIFY(s);
        for (const auto &strategy : refreshableStrategies()) {
            REQUIRE_OK(strategy->apply(*s, nullptr, {}));
            auto has = hasPgCron(*s);
            REQUIRE_OK(has);
            QVERIFY(*has);
            auto job = s->exec(QStringLiteral("SELECT schedule, command FROM cron.job WHERE jobname = $1"),
                { strategy->refreshName() });
            REQUIRE_OK(job);
            QCOMPARE(job->rows(), 1);
            QCOMPARE(job->value(0, 0), RefreshCronSchedule);
            // What the job runs refreshes.
            REQUIRE_OK(s->exec(job->value(0, 1)));
            auto state = strategy->refreshState(*s);
            REQUIRE_OK(state);
            QVERIFY(state->byCron);
            QVERIFY2(state->describe().contains(QLatin1String("by pg_cron")), qPrintable(state->describe()));
            auto st = strategy->status(*s);
            REQUIRE_OK(st);
            QCOMPARE(toString(st->state), toString(StrategyState::Applied));
            QCOMPARE(st->present.size(), strategy->plannedObjects().size());
            // The scheduler leaves it to pg_cron.
            auto done = RefreshScheduler::refreshDue(*s);
            REQUIRE_OK(done);
            QVERIFY(!done->contains(strategy->id()));
            // A job removed behind PlanSight's back: damaged, and apply puts it back.
            REQUIRE_OK(s->exec(QStringLiteral("SELECT cron.unschedule($1)"), { strategy->refreshName() }));
            QCOMPARE(toString(strategy->status(*s)->state), toString(StrategyState::Broken));
            REQUIRE_OK(strategy->apply(*s, nullptr, {}));
            QCOMPARE(toString(strategy->status(*s)->state), toString(StrategyState::Applied));
            REQUIRE_OK(strategy->revert(*s, nullptr));
            job = s->exec(
                QStringLiteral("SELECT count(*) FROM cron.job WHERE jobname = $1"), { strategy->refreshName() });
            REQUIRE_OK(job);
            QCOMPARE(job->toLongLong(0, 0), 0);
            QCOMPARE(toString(strategy->status(*s)->state), toString(StrategyState::NotApplied));
        }
    }
};

QTEST_GUILESS_MAIN(TestRefresh)
#include "tst_refresh.moc"
