// p10-search with the real servers (docs/strategies.md, "p10-search"): PlanSight's own xapian-tcpsrv
// (search/xapianserver.h) on a loopback port, stopped with its process group and reaped when orphaned; the sort keys
// that make Xapian's order the gallery query's; the strategy (strategies/searchstrategy.h) against TestCluster: the
// baseline's rows on the presets, a committed write searchable at the next search (a rolled-back one never), the
// sync lag, bulk load and facets in the note, xapian-tcpsrv killed in the middle of a session (PostgreSQL answers,
// the note names the server, the session and its history are kept, the next run starts the server again), and a
// revert that leaves no outbox, no trigger and no index directory.

#include "bench/measure.h"
#include "bench/runner.h"
#include "gallery/demogenerator.h"
#include "history/historyrecorder.h"
#include "history/historystore.h"
#include "search/searchindex.h"
#include "search/xapianserver.h"
#include "strategies/footprint.h"
#include "strategies/searchstrategy.h"
#include "testcluster.h"
#include "util/processes.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

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

const QString Db = QStringLiteral("search");
const QString Id = QStringLiteral("p10-search");

// Temporary directories are 0700; the server's user (as root) must get through them.
void openForTheServer(const QString &dir)
{
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeOther);
}

bool serverAlive(qint64 pid)
{
    return processRuns(pid, "xapian-tcpsrv");
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

// The executor of the runs, which kills xapian-tcpsrv (its whole process group, as a crash or the OOM killer of its
// cgroup would) after p10-search's `after`-th execution.
class KillingExecutor : public RunExecutor {
public:
    KillingExecutor(QString root, int after) : m_root(std::move(root)), m_after(after) { }
    Result<Execution> execute(PgSession &session, const StrategyRun &run, const StrategyQuery &query) override
    {
        auto e = m_inner->execute(session, run, query);
        if (run.strategyId == Id && ++m_count == m_after) {
            killed = XapianServer(m_root).runningPid();
            if (killed > 0) {
                ::kill(-pid_t(killed), SIGKILL);
                while (pidAlive(killed) && serverAlive(killed))
                    QThread::msleep(5);
            }
        }
        return e;
    }
    Result<QByteArray> explain(PgSession &session, const StrategyRun &run, const StrategyQuery &query) override
    {
        return m_inner->explain(session, run, query);
    }
    qint64 killed = 0;

private:
    std::shared_ptr<RunExecutor> m_inner = serverExecutor();
    QString m_root;
    int m_after;
    int m_count = 0;
};

const StrategyRun *runOf(const SessionResult &s, const QString &id)
{
    for (const StrategyRun &r : s.runs)
        if (r.strategyId == id)
            return &r;
    return nullptr;
}

} // namespace

class TestSearch : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> m_db;
    std::unique_ptr<PgSession> m_writer;
    QTemporaryDir m_dir;
    QString m_root; // PlanSight's own server for these tests
    QStringList m_applyProgress;
    qint64 m_lastDone = -1, m_lastTotal = -1;

    Result<QStringList> searchPage(const Workload &w, QString *note = nullptr)
    {
        auto q = strategyById(Id)->query(*m_db, w);
        if (!q)
            return q.error();
        if (q->explainable() || !q->execute)
            return Error::make(errc::Internal, QStringLiteral("p10-search answered in SQL"));
        auto page = q->execute(*m_db);
        if (note)
            *note = q->note + QStringLiteral(" | ") + q->noteAfterRuns();
        return page;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!XapianServer::findBinary())
            QSKIP("xapian-tcpsrv is not installed (packaging/setup.sh installs xapian-tools)");
        PLANSIGHT_REQUIRE_CLUSTER();
        auto *c = test::TestCluster::get();
        m_db = c->connect(Db);
        QVERIFY(m_db);
        DemoOptions o;
        o.scale = 0.002;
        o.connections = 1;
        REQUIRE_OK(buildDemo(*m_db, o));
        m_writer = c->connect(Db);
        QVERIFY(m_writer);
        openForTheServer(m_dir.path());
        m_root = m_dir.path() + QStringLiteral("/search");
        setSearchConfig(SearchConfig { {}, m_root });
        REQUIRE_OK(strategyById(Id)->apply(*m_db, nullptr, [&](qint64 done, qint64 total, const QString &text) {
            m_applyProgress << text;
            m_lastDone = done;
            m_lastTotal = total;
        }));
    }

    void cleanupTestCase() { stopSearchServer(); }

    void addressesAreParsed()
    {
        auto a = parseSearchAddress(QStringLiteral("127.0.0.1:33333"));
        REQUIRE_OK(a);
        QCOMPARE(a->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(a->port, 33333);
        auto v6 = parseSearchAddress(QStringLiteral("[::1]:9000"));
        REQUIRE_OK(v6);
        QCOMPARE(v6->host, QStringLiteral("::1"));
        for (const char *bad : { "localhost", "host:0", "host:70000", "host:x", ":9000", "http://host:9000" }) {
            auto b = parseSearchAddress(QString::fromLatin1(bad));
            QVERIFY2(!b, bad);
            QCOMPARE(b.error().code, errc::Input);
            QVERIFY(b.error().message.startsWith(QLatin1String("--search ")));
        }
    }

    // The bytes of a sort key order as ORDER BY created_at, id, source (docs/gallery.md), NULL last.
    void sortKeysOrderAsTheGalleryQuery()
    {
        using Created = std::optional<qint64>;
        using Quality = std::optional<double>;
        const QString r = QStringLiteral("regular"), a = QStringLiteral("auto");
        const QList<QByteArray> ascending {
            searchSortKey(Created(-5), 9, r),
            searchSortKey(Created(0), 100, r),
            searchSortKey(Created(1), 4, r),
            searchSortKey(Created(1), 5, a),
            searchSortKey(Created(1), 5, r),
            searchSortKey(Created(1), 70000, a),
            searchSortKey(Created(1764000000000000), 1, a),
            searchSortKey(Created(), 1, a),
        };
        for (qsizetype i = 1; i < ascending.size(); ++i)
            QVERIFY2(ascending[i - 1] < ascending[i], qPrintable(QString::number(i)));
        const QList<QByteArray> quality {
            searchSortKey(Quality(-2.5), 1, r),
            searchSortKey(Quality(-0.0), 1, r),
            searchSortKey(Quality(0.0), 2, r),
            searchSortKey(Quality(0.25), 1, r),
            searchSortKey(Quality(1e300), 1, r),
            searchSortKey(Quality(), 1, r),
        };
        for (qsizetype i = 1; i < quality.size(); ++i)
            QVERIFY2(quality[i - 1] < quality[i], qPrintable(QString::number(i)));
        QCOMPARE(ascending.first().size(), 17);
    }

    void theServerListensOnLoopbackAndStopsWithItsGroup()
    {
        QTemporaryDir tmp;
        openForTheServer(tmp.path());
        const QString root = tmp.path() + QStringLiteral("/search");
        qint64 pid = 0;
        {
            XapianServer server(root);
            REQUIRE_OK(server.start());
            QVERIFY(server.ownsServer());
            QVERIFY(server.isRunning());
            pid = server.runningPid();
            QVERIFY(pid > 0);
            QCOMPARE(::getpgid(pid_t(pid)), pid_t(pid)); // the leader of its own group
            QCOMPARE(server.endpoint().host, QStringLiteral("127.0.0.1"));
            QVERIFY(server.endpoint().port > 0);
            QVERIFY(QDir(server.indexDir()).exists());
            QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
            QVERIFY(cmdline.open(QIODevice::ReadOnly));
            const QByteArray args = cmdline.readAll();
            const QByteArray loopback = QByteArray("--interface") + QByteArray(1, '\0') + QByteArray("127.0.0.1");
            QVERIFY(args.contains(loopback));
            QVERIFY(args.contains("--writable"));
            // A second object on the same directory reuses the server of a living owner and leaves it running.
            {
                XapianServer other(root);
                REQUIRE_OK(other.start());
                QVERIFY(!other.ownsServer());
                QCOMPARE(other.runningPid(), pid);
            }
            QVERIFY(server.isRunning());
        } // the destructor stops the server it started
        QVERIFY(!serverAlive(pid));
        QVERIFY(!XapianServer(root).isRunning());
    }

    void anOrphanIsReapedByTheNextStart()
    {
        QTemporaryDir tmp;
        openForTheServer(tmp.path());
        const QString root = tmp.path() + QStringLiteral("/search");
        XapianServer first(root);
        REQUIRE_OK(first.start());
        const qint64 orphan = first.runningPid();
        QVERIFY(orphan > 0);
        // The PlanSight that started it was killed: its pid is gone (a finished child's pid), the server stays.
        first.abandon();
        QProcess gone;
        gone.start(QStringLiteral("true"));
        QVERIFY(gone.waitForStarted());
        const qint64 deadPid = gone.processId();
        QVERIFY(gone.waitForFinished());
        REQUIRE_OK(writePidFile(root + QStringLiteral("/xapian.owner"), deadPid));

        XapianServer next(root);
        REQUIRE_OK(next.start());
        QVERIFY(next.ownsServer());
        QVERIFY(!serverAlive(orphan));
        QVERIFY(next.runningPid() != orphan);
        QVERIFY(next.isRunning());
        REQUIRE_OK(next.stop());
        QVERIFY(!next.isRunning());
    }

    // A revert on PlanSight's own server removes the index directory only when no other database's documents are
    // in it (holdsOnly); otherwise it deletes the scope's documents and keeps the others'.
    void holdsOnlyTellsScopesApart()
    {
        QTemporaryDir tmp;
        openForTheServer(tmp.path());
        XapianServer server(tmp.path() + QStringLiteral("/search"));
        REQUIRE_OK(server.start());
        SearchIndex index(server.endpoint());
        auto empty = index.holdsOnly(QStringLiteral("a"));
        REQUIRE_OK(empty);
        QVERIFY(*empty);
        const SearchItem item { QStringLiteral("regular"), 1, {}, qint64(1), {}, {}, 1 };
        REQUIRE_OK(index.put(QStringLiteral("a"), { item }));
        REQUIRE_OK(
            index.put(QStringLiteral("ab"), { item, SearchItem { QStringLiteral("auto"), 2, {}, {}, {}, {}, 2 } }));
        REQUIRE_OK(index.commit());
        for (const char *scope : { "a", "ab", "b" }) {
            auto only = index.holdsOnly(QString::fromLatin1(scope));
            REQUIRE_OK(only);
            QVERIFY2(!*only, scope);
        }
        REQUIRE_OK(index.removeScope(QStringLiteral("ab")));
        auto onlyA = index.holdsOnly(QStringLiteral("a"));
        REQUIRE_OK(onlyA);
        QVERIFY(*onlyA);
        auto countA = index.count(QStringLiteral("a"));
        REQUIRE_OK(countA);
        QCOMPARE(*countA, qint64(1));
    }

    // initTestCase applied it: the bulk load reported its progress to the end, and its time is the build's.
    void theBulkLoadReportsProgressAndIsMeasured()
    {
        QVERIFY2(m_applyProgress.join(QLatin1Char('|')).contains(QLatin1String("Loading the search index: ")),
            qPrintable(m_applyProgress.join(QLatin1Char('|'))));
        QVERIFY(m_lastTotal > 0);
        QCOMPARE(m_lastDone, m_lastTotal);
        QVERIFY(strategyById(Id)->lastBuildMs() > 0);
        auto st = strategyById(Id)->status(*m_db);
        REQUIRE_OK(st);
        QCOMPARE(toString(st->state), toString(StrategyState::Applied));
        QVERIFY(QDir(m_root + QStringLiteral("/index")).exists());
    }

    void thePresetsGiveTheBaselinesRows()
    {
        QList<Workload> workloads;
        for (const QString &preset : { QStringLiteral("canonical"), QStringLiteral("multi-tag"),
                 QStringLiteral("multi-all"), QStringLiteral("deep-page"), QStringLiteral("deep-cursor") }) {
            auto ws = resolvePreset(preset, *m_db);
            REQUIRE_OK(ws);
            workloads << *ws;
        }
        Workload w = canonical();
        w.descending = false;
        w.page = 3;
        workloads << w; // oldest first
        w = canonical();
        w.sort = SortField::QualityScore;
        w.page = 2;
        workloads << w;
        w = canonical();
        w.page = 12;
        w.byCursor = true;
        w.descending = false;
        workloads << w; // by cursor, oldest first
        w = canonical();
        w.tagIds.clear();
        w.sources = { SourceKind::UserRegular, SourceKind::UserAuto };
        workloads << w; // the admin user's own items, no tag
        w = canonical();
        w.sources = { SourceKind::CommunityAuto };
        w.page = 4;
        workloads << w;
        int nonEmpty = 0;
        for (const Workload &wl : std::as_const(workloads)) {
            auto expected = baselinePage(*m_db, wl);
            REQUIRE_OK(expected);
            nonEmpty += expected->isEmpty() ? 0 : 1;
            QString note;
            auto got = searchPage(wl, &note);
            REQUIRE_OK(got);
            QVERIFY2(*got == *expected,
                qPrintable(
                    QStringLiteral("%1: got %2, expected %3 (%4)")
                        .arg(wl.describe(), got->join(QLatin1Char(' ')), expected->join(QLatin1Char(' ')), note)));
            QVERIFY2(note.contains(QLatin1String("Xapian answered 1 executions")), qPrintable(note));
            QVERIFY2(!note.contains(QLatin1String("did not answer")), qPrintable(note));
            if (wl.byCursor && wl.page > 1 && !expected->isEmpty())
                QVERIFY2(note.contains(QLatin1String("keyset range after it")), qPrintable(note));
        }
        QVERIFY(nonEmpty >= 6);
    }

    // The note gives the sync lag, the bulk load, the index's size and the facets; the facet counts are exact.
    void theNoteGivesLagBulkLoadSizeAndFacets()
    {
        QString note;
        REQUIRE_OK(searchPage(canonical(), &note));
        for (const char *part :
            { "sync lag ", "bulk load of ", " items/s", " MiB on disk", "facets from the index: ", "most used tags: " })
            QVERIFY2(note.contains(QLatin1String(part)), qPrintable(note));
        auto f = searchFacets(*m_db, canonical(), 3);
        REQUIRE_OK(f);
        auto count = m_db->exec(
            QStringLiteral(
                "SELECT (SELECT count(*) FROM public.content_items ci JOIN public.users u ON u.id = ci.creator_id "
                "         WHERE EXISTS (SELECT 1 FROM public.content_tags ct WHERE ct.content_id = ci.id "
                "                       AND ct.content_source = 'regular' AND ct.tag_id = $1::uuid)), "
                "       (SELECT count(*) FROM public.content_items_auto ci JOIN public.users u ON u.id = ci.creator_id "
                "         WHERE EXISTS (SELECT 1 FROM public.content_tags ct WHERE ct.content_id = ci.id "
                "                       AND ct.content_source = 'auto' AND ct.tag_id = $1::uuid))"),
            { demo::AnimeTagId });
        REQUIRE_OK(count);
        QCOMPARE(f->matches, count->toLongLong(0, 0) + count->toLongLong(0, 1));
        QCOMPARE(f->sources.size(), 2);
        for (const auto &[source, n] : f->sources)
            QCOMPARE(n, count->toLongLong(0, source == QLatin1String("regular") ? 0 : 1));
        QCOMPARE(f->tags.size(), 3);
        QVERIFY(f->tags[0].second >= f->tags[1].second);
        auto lag = measureSearchSyncLag(*m_db);
        REQUIRE_OK(lag);
        QVERIFY(*lag > 0);
        // The index is storage outside the database: the footprint counts PlanSight's own server's files.
        SearchStrategy p10;
        auto fp = measureFootprint(*m_db, p10);
        REQUIRE_OK(fp);
        QVERIFY2(fp->objects.last().startsWith(QLatin1String("the search index, outside the database: ")),
            qPrintable(fp->objects.join(QLatin1Char('\n'))));
        QVERIFY(fp->bytes > 1024 * 1024);
        // The disk check's estimate before a build is above what the index takes (found at scale 1: without it the
        // index filled the disk).
        const auto outside = p10.outsideStorage(*m_db);
        QVERIFY(outside && outside->bytes > 0);
        auto estimate = p10.outsideBytesToBuild(*m_db);
        REQUIRE_OK(estimate);
        QVERIFY2(*estimate >= outside->bytes, qPrintable(QStringLiteral("%1 < %2").arg(*estimate).arg(outside->bytes)));
        QVERIFY(*estimate < 20 * outside->bytes);
    }

    // A committed write is searchable at the next search: the indexer drains the outbox before it.
    void aWriteBecomesSearchable()
    {
        // A tag no item carries (the demo uses 101 of its 106 tags).
        auto unused
            = m_db->exec(QStringLiteral("SELECT t.id::text FROM public.tags t WHERE NOT EXISTS (SELECT 1 FROM "
                                        "public.content_tags ct WHERE ct.tag_id = t.id) ORDER BY t.id LIMIT 1"));
        REQUIRE_OK(unused);
        QCOMPARE(unused->rows(), 1);
        const QString rare = unused->value(0, 0);
        Workload w = canonical();
        w.tagIds = { rare };
        auto q = strategyById(Id)->query(*m_db, w);
        REQUIRE_OK(q);
        QCOMPARE(q->execute(*m_db).value(), QStringList());
        REQUIRE_OK(m_writer->exec(
            QStringLiteral("INSERT INTO public.content_items_auto (id, title, content_type, content_data, creator_id, "
                           "created_at, updated_at, is_private, prompt) VALUES (910000, 't', 'image', '/x', $1::uuid, "
                           "'2025-09-30', '2025-09-30', false, 'todo')"),
            { demo::AdminUserId }));
        REQUIRE_OK(m_writer->exec(QStringLiteral("INSERT INTO public.content_tags (content_id, content_source, tag_id) "
                                                 "VALUES (910000, 'auto', $1::uuid)"),
            { rare }));
        auto found = q->execute(*m_db);
        REQUIRE_OK(found);
        QCOMPARE(*found, QStringList { QStringLiteral("auto:910000") });
        QCOMPARE(*found, baselinePage(*m_db, w).value());
        const QString note = q->noteAfterRuns();
        QVERIFY2(note.contains(QLatin1String("changed items indexed from the outbox")), qPrintable(note));
        QVERIFY2(note.contains(QLatin1String("from write to searchable")), qPrintable(note));
        // Deleted: gone from the next search.
        REQUIRE_OK(m_writer->exec(QStringLiteral("DELETE FROM public.content_items_auto WHERE id = 910000")));
        REQUIRE_OK(m_writer->exec(
            QStringLiteral("DELETE FROM public.content_tags WHERE content_id = 910000 AND content_source = 'auto'")));
        QCOMPARE(q->execute(*m_db).value(), QStringList());
    }

    // The indexer reads the outbox on its own connection: a write that is rolled back never reaches the index.
    void aRolledBackWriteIsNeverIndexed()
    {
        REQUIRE_OK(syncSearchIndex(*m_db));
        REQUIRE_OK(m_writer->exec(QStringLiteral("BEGIN")));
        REQUIRE_OK(m_writer->exec(
            QStringLiteral("DELETE FROM public.content_tags WHERE tag_id = $1::uuid"), { demo::AnimeTagId }));
        auto during = syncSearchIndex(*m_db);
        REQUIRE_OK(during);
        QCOMPARE(*during, 0);
        REQUIRE_OK(m_writer->exec(QStringLiteral("ROLLBACK")));
        auto after = syncSearchIndex(*m_db);
        REQUIRE_OK(after);
        QCOMPARE(*after, 0);
        QCOMPARE(searchPage(canonical()).value(), baselinePage(*m_db, canonical()).value());
    }

    // xapian-tcpsrv killed in the middle of a session: PostgreSQL answers the remaining executions, the note names the
    // server, the session ends well and is in the history; the next session starts the server again.
    void killedMidRunPostgresAnswersAndTheNextRunStartsItAgain()
    {
        Workload w = canonical();
        w.page = 2;
        auto expected = baselinePage(*m_db, w);
        REQUIRE_OK(expected);
        QTemporaryDir historyDir;
        const QString history = historyDir.path() + QStringLiteral("/history.sqlite");
        BenchTarget target;
        target.conninfo = test::TestCluster::get()->conninfo(Db);
        BenchOptions options;
        options.strategies = { strategyById(QStringLiteral("baseline")), strategyById(Id) };
        options.workloads = { w };
        options.warmupRuns = 1;
        options.runs = 4;
        options.measureWriteCost = false;
        options.applyMissing = true;
        options.keepApplied = true;
        auto killer = std::make_shared<KillingExecutor>(m_root, 2); // after the warm-up and the first measured run
        options.executor = killer;
        HistoryRecorder recorder(history);
        const BenchOutcome out = BenchRunner(target).run(options, nullptr, { &recorder });
        QVERIFY2(out.ok(), qPrintable(out.error ? out.error->toString() : QStringLiteral("cancelled")));
        QVERIFY(killer->killed > 0);
        QVERIFY(!serverAlive(killer->killed));
        const StrategyRun *run = runOf(out.session, Id);
        QVERIFY(run);
        QVERIFY2(run->outcome == RunOutcome::Ok, qPrintable(run->error));
        QCOMPARE(run->timingsMs.size(), 4);
        QCOMPARE(run->pageKeys, *expected);
        QCOMPARE(toString(run->check), toString(ResultCheck::Same));
        QVERIFY2(run->note.contains(QLatin1String("the search server did not answer 3 executions, so PostgreSQL (the "
                                                  "baseline query) did: xapian-tcpsrv at 127.0.0.1:")),
            qPrintable(run->note));
        // Kept: the session and its runs are in the history.
        auto store = HistoryStore::open(history);
        REQUIRE_OK(store);
        auto loaded = store->loadSession(out.session.info.id);
        REQUIRE_OK(loaded);
        QCOMPARE(loaded->runs.size(), 2);
        QVERIFY(loaded->runs.at(1).note.contains(QLatin1String("did not answer")));

        // The next session starts the server again and Xapian answers every execution.
        options.executor = nullptr;
        const BenchOutcome next = BenchRunner(target).run(options, nullptr, {});
        QVERIFY(next.ok());
        const StrategyRun *again = runOf(next.session, Id);
        QVERIFY(again);
        QCOMPARE(again->pageKeys, *expected);
        QVERIFY2(again->note.contains(QLatin1String("Xapian answered 5 executions")), qPrintable(again->note));
        QVERIFY2(!again->note.contains(QLatin1String("did not answer")), qPrintable(again->note));
        const qint64 restarted = XapianServer(m_root).runningPid();
        QVERIFY(restarted > 0 && restarted != killer->killed);
    }

    // Revert: no outbox, no trigger, no function, and on PlanSight's own server no index directory and no server.
    void revertRemovesTheOutboxTheTriggersAndTheIndex()
    {
        auto p10 = strategyById(Id);
        REQUIRE_OK(p10->revert(*m_db, nullptr));
        auto st = p10->status(*m_db);
        REQUIRE_OK(st);
        QCOMPARE(toString(st->state), toString(StrategyState::NotApplied));
        auto left
            = m_db->exec(QStringLiteral("SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'ps\\_p10\\_%'), "
                                        "       (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'ps\\_p10\\_%'), "
                                        "       (SELECT count(*) FROM pg_proc WHERE proname LIKE 'ps\\_p10\\_%')"));
        REQUIRE_OK(left);
        for (int c = 0; c < 3; ++c)
            QCOMPARE(left->toLongLong(0, c), qint64(0));
        QVERIFY(!QDir(m_root + QStringLiteral("/index")).exists());
        QVERIFY(!XapianServer(m_root).isRunning());
        // Reverting again is harmless; applying again builds it all again.
        REQUIRE_OK(p10->revert(*m_db, nullptr));
        REQUIRE_OK(p10->apply(*m_db, nullptr, {}));
        QVERIFY(QDir(m_root + QStringLiteral("/index")).exists());
        QCOMPARE(searchPage(canonical()).value(), baselinePage(*m_db, canonical()).value());
    }
};

QTEST_GUILESS_MAIN(TestSearch)
#include "tst_search.moc"
