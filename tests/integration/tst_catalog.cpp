// The catalog snapshot on a real PostgreSQL: exact and estimated counts, sizes, index scans and tag
// cardinalities of a small demo, absent tables, and cancellation.

#include "catalog/catalogsnapshot.h"
#include "gallery/demogenerator.h"
#include "pg/pgsession.h"
#include "session/workload.h"
#include "testcluster.h"

#include <QJsonArray>
#include <QScopeGuard>
#include <QTest>

#include <thread>

using namespace plansight;

class TestCatalog : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<PgSession> m_s;
    DemoBuildReport m_demo;

    qint64 scalar(const QString &sql, const QVariantList &params = {})
    {
        auto r = m_s->exec(sql, params);
        return r ? r->toLongLong(0, 0) : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        m_s = test::TestCluster::get()->connect(QStringLiteral("catalog"));
        QVERIFY(m_s);
        DemoOptions o;
        o.scale = 0.005;
        auto r = buildDemo(*m_s, o);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        m_demo = r.value();
    }

    void exactAndEstimatedCounts()
    {
        QList<qint64> steps;
        auto counts = countRows(
            *m_s, galleryTables(), true, nullptr, [&](qint64 done, qint64, const QString &) { steps << done; });
        QVERIFY(counts.ok());
        QCOMPARE(counts->size(), 7);
        const QHash<QString, qint64> expected {
            { QStringLiteral("content_tags"), m_demo.counts.contentTags },
            { QStringLiteral("content_items_auto"), m_demo.counts.autoItems },
            { QStringLiteral("content_items"), m_demo.counts.regularItems },
            { QStringLiteral("users"), m_demo.counts.users }, { QStringLiteral("tags"), m_demo.counts.tags },
            { QStringLiteral("tag_parents"), m_demo.counts.tagParents },
            { QStringLiteral("tag_ratings"), 0 }, // the reference gives no count: empty
        };
        for (const RowCount &c : counts.value()) {
            QVERIFY(c.present);
            QCOMPARE(c.exact, expected.value(c.table));
            // ANALYZE ran at the end of the build: the estimate is close.
            QVERIFY2(std::abs(double(c.estimated) - double(c.exact)) <= 0.05 * double(c.exact) + 1,
                qPrintable(QStringLiteral("%1: %2 estimated, %3 counted").arg(c.table).arg(c.estimated).arg(c.exact)));
        }
        QVERIFY(!steps.isEmpty());
        QCOMPARE(steps.last(), qint64(7));

        auto estimatedOnly = countRows(*m_s, galleryTables(), false);
        QVERIFY(estimatedOnly.ok());
        for (const RowCount &c : estimatedOnly.value())
            QCOMPARE(c.exact, qint64(-1));
    }

    void sizesAddUpAndNameEveryIndex()
    {
        auto sizes = tableSizes(*m_s, galleryTables());
        QVERIFY(sizes.ok());
        QCOMPARE(sizes->size(), 7);
        const TableSize &junction = sizes->first();
        QCOMPARE(junction.table, QStringLiteral("content_tags"));
        QCOMPARE(junction.heapBytes, scalar(QStringLiteral("SELECT pg_relation_size('content_tags')")));
        QVERIFY(junction.indexBytes > 0);
        QCOMPARE(junction.totalBytes, scalar(QStringLiteral("SELECT pg_total_relation_size('content_tags')")));
        QVERIFY(junction.totalBytes >= junction.heapBytes + junction.indexBytes + junction.toastBytes);
        QStringList names;
        qint64 sum = 0;
        for (const IndexStats &i : junction.indexes) {
            names << i.name;
            sum += i.bytes;
            QVERIFY(i.bytes > 0);
            QVERIFY(i.valid);
            QVERIFY(i.definition.startsWith(QLatin1String("CREATE")));
        }
        names.sort();
        QCOMPARE(names,
            (QStringList { QStringLiteral("content_tags_pkey"), QStringLiteral("idx_content_tags_content"),
                QStringLiteral("idx_content_tags_tag_content") }));
        QCOMPARE(sum, junction.indexBytes);
        for (const IndexStats &i : junction.indexes)
            QCOMPARE(i.primary, i.name == QLatin1String("content_tags_pkey"));
        // content_items has a TOAST table (text and jsonb columns); content_tags has none.
        const TableSize &items = sizes->at(2);
        QCOMPARE(items.table, QStringLiteral("content_items"));
        QVERIFY(items.toastBytes > 0);
        QCOMPARE(junction.toastBytes, qint64(0));
        QCOMPARE(items.indexes.size(), 11); // with the trigram GiST on the title
    }

    void indexScansAreCounted()
    {
        auto before = tableSizes(*m_s, { QStringLiteral("content_tags") });
        QVERIFY(before.ok());
        auto scansOf = [](const TableSize &t, const QString &name) -> qint64 {
            for (const IndexStats &i : t.indexes) {
                if (i.name == name)
                    return i.scans;
            }
            return -1;
        };
        const QString idx = QStringLiteral("idx_content_tags_tag_content");
        const qint64 was = scansOf(before->first(), idx);
        QVERIFY(was >= 0);
        // A query that can only use that index, from another session whose statistics are flushed at once.
        auto other = test::TestCluster::get()->connect(QStringLiteral("catalog"));
        QVERIFY(other);
        QVERIFY(other->exec(QStringLiteral("SET enable_seqscan = off")).ok());
        QVERIFY(other->exec(QStringLiteral("SET enable_bitmapscan = off")).ok());
        for (int i = 0; i < 3; ++i)
            QVERIFY(other
                        ->exec(QStringLiteral("SELECT count(*) FROM content_tags WHERE tag_id = $1::uuid"),
                            { demo::AnimeTagId })
                        .ok());
        QVERIFY(other->exec(QStringLiteral("SELECT pg_stat_force_next_flush()")).ok());
        other.reset(); // a backend flushes its statistics when it exits
        // The statistics collector publishes them a little later: wait for the count to move.
        qint64 now = was;
        const auto scansNow = [&] {
            auto after = tableSizes(*m_s, { QStringLiteral("content_tags") });
            now = after.ok() ? scansOf(after->first(), idx) : -1;
            return now;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(
            scansNow() >= was + 3, qPrintable(QStringLiteral("%1 scans before, %2 after").arg(was).arg(now)), 30000);
    }

    void tagCardinalitiesMatchTheJunction()
    {
        const qint64 items = m_demo.counts.regularItems + m_demo.counts.autoItems;
        auto tags = tagCardinalities(*m_s, items);
        QVERIFY(tags.ok());
        QCOMPARE(tags->size(), 106);
        qint64 sum = 0, zero = 0;
        for (int i = 0; i < tags->size(); ++i) {
            const TagCardinality &t = tags->at(i);
            sum += t.rows();
            zero += t.rows() == 0 ? 1 : 0;
            if (i > 0)
                QVERIFY(tags->at(i - 1).rows() >= t.rows());
        }
        QCOMPARE(sum, m_demo.counts.contentTags);
        QCOMPARE(zero, qint64(5)); // the category tags
        auto anime = std::find_if(
            tags->begin(), tags->end(), [](const TagCardinality &t) { return t.tagId == demo::AnimeTagId; });
        QVERIFY(anime != tags->end());
        QCOMPARE(anime->name, QStringLiteral("anime"));
        QCOMPARE(anime->regularRows,
            scalar(QStringLiteral("SELECT count(*) FROM content_tags WHERE tag_id = $1::uuid AND "
                                  "content_source = 'regular'"),
                { demo::AnimeTagId }));
        QCOMPARE(anime->autoRows,
            scalar(QStringLiteral("SELECT count(*) FROM content_tags WHERE tag_id = $1::uuid AND "
                                  "content_source = 'auto'"),
                { demo::AnimeTagId }));
        QVERIFY2(anime->itemShare > 0.72 && anime->itemShare < 0.77, qPrintable(QString::number(anime->itemShare)));
    }

    void snapshotHasEverythingAndItsJson()
    {
        QList<qint64> done;
        auto snap = takeSnapshot(*m_s, {}, nullptr, [&](qint64 d, qint64 total, const QString &) {
            QVERIFY(d <= total);
            done << d;
        });
        QVERIFY(snap.ok());
        QVERIFY(snap->demo.has_value());
        QCOMPARE(snap->demo->fingerprint, m_demo.fingerprint);
        QCOMPARE(snap->rowCount(QStringLiteral("content_tags"))->exact, m_demo.counts.contentTags);
        QCOMPARE(snap->tags.size(), 106);
        QVERIFY(snap->totalBytes() > 0);
        QCOMPARE(snap->database, QStringLiteral("catalog"));
        const QJsonObject j = snap->toJson();
        QCOMPARE(j.value(QStringLiteral("row_counts")).toArray().size(), 7);
        QCOMPARE(j.value(QStringLiteral("sizes")).toArray().size(), 7);
        QCOMPARE(j.value(QStringLiteral("tags")).toArray().size(), 106);
        QCOMPARE(j.value(QStringLiteral("demo")).toObject().value(QStringLiteral("fingerprint")).toString(),
            m_demo.fingerprint);
        QCOMPARE(qint64(j.value(QStringLiteral("row_counts"))
                            .toArray()
                            .first()
                            .toObject()
                            .value(QStringLiteral("exact"))
                            .toDouble()),
            m_demo.counts.contentTags);

        SnapshotOptions quick;
        quick.exactCounts = false;
        quick.tagCardinalities = false;
        auto fast = takeSnapshot(*m_s, quick);
        QVERIFY(fast.ok());
        QVERIFY(fast->tags.isEmpty());
        QCOMPARE(fast->rowCount(QStringLiteral("content_items"))->exact, qint64(-1));
    }

    void absentTablesAreReportedNotFailed()
    {
        auto s = test::TestCluster::get()->connect(QStringLiteral("empty_for_catalog"));
        QVERIFY(s);
        auto snap = takeSnapshot(*s);
        QVERIFY2(snap.ok(), qPrintable(snap.ok() ? QString() : snap.error().toString()));
        QVERIFY(!snap->demo.has_value());
        QVERIFY(snap->tags.isEmpty());
        for (const RowCount &c : snap->rowCounts) {
            QVERIFY(!c.present);
            QCOMPARE(c.exact, qint64(-1));
        }
        for (const TableSize &t : snap->sizes) {
            QVERIFY(!t.present);
            QCOMPARE(t.totalBytes, qint64(0));
        }
    }

    void namesReachTheServerAsParameters()
    {
        // A hostile table name is looked up, found absent, and never executed.
        auto counts = countRows(*m_s, { QStringLiteral("users; DROP TABLE users; --") }, true);
        QVERIFY(counts.ok());
        QVERIFY(!counts->first().present);
        QVERIFY(scalar(QStringLiteral("SELECT count(*) FROM users")) > 0);
    }

    void cancelStopsCounting()
    {
        auto s = test::TestCluster::get()->connect(QStringLiteral("catalog"));
        QVERIFY(s);
        CancelToken token;
        token.cancel();
        auto r = countRows(*s, galleryTables(), true, &token);
        QVERIFY(!r.ok());
        QVERIFY(r.error().isCancel());
        // A cancel in the middle of a COUNT that would take an hour: the statement is interrupted (only the
        // cancel can end it; the test's timeout is far shorter).
        auto observer = test::TestCluster::get()->connect(QStringLiteral("catalog"));
        QVERIFY(observer);
        CancelToken mid;
        QVERIFY(s->exec(QStringLiteral("CREATE TEMP VIEW slow AS SELECT 1 FROM pg_sleep(3600)")).ok());
        std::optional<Result<QList<RowCount>>> slow;
        std::thread counter([&] { slow.emplace(countRows(*s, { QStringLiteral("slow") }, true, &mid)); });
        auto joinCounter = qScopeGuard([&] {
            mid.cancel();
            counter.join();
        });
        QTRY_VERIFY_WITH_TIMEOUT(test::isSleepingIn(*observer, QStringLiteral("slow")), 60000);
        mid.cancel();
        joinCounter.dismiss();
        counter.join();
        QVERIFY(slow.has_value());
        QVERIFY(!slow->ok());
        QVERIFY(slow->error().isCancel());
        QVERIFY(s->exec(QStringLiteral("SELECT 1")).ok()); // usable again
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
