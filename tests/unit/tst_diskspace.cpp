// Disk space for strategies kept applied (strategies/diskspace.h): the size estimate per kind of object, the
// margin, and the decision (build, revert the least recently used kept strategies first, refuse, or unknown).

#include "strategies/diskspace.h"

#include <QTest>

using namespace plansight;

namespace {

constexpr qint64 GiB = qint64(1024) * 1024 * 1024;

using K = SchemaObject::Kind;

const BaseTableSizes Base {
    { QStringLiteral("content_tags"), BaseTableSize { 100'000'000, 13 * GiB } },
    { QStringLiteral("content_items"), BaseTableSize { 1'000'000, 2 * GiB } },
};

KeptStrategy kept(const char *id, qint64 bytes, int minutesAgo = -1)
{
    KeptStrategy k;
    k.id = QString::fromLatin1(id);
    k.bytes = bytes;
    if (minutesAgo >= 0)
        k.lastUsed = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC).addSecs(-60 * minutesAgo);
    return k;
}

const DiskSpace Disk100 { 30 * GiB, 100 * GiB }; // margin: 10 GiB

} // namespace

class TestDiskSpace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void indexesOnBaseTablesCountTheirRows()
    {
        const QList<SchemaObject> p4 { { K::Index, QStringLiteral("ps_p4_indexes_a"), QStringLiteral("content_tags") },
            { K::Index, QStringLiteral("ps_p4_indexes_b"), QStringLiteral("content_items") } };
        QCOMPARE(estimateObjectsBytes(p4, Base), (100'000'000 + 1'000'000) * IndexEntryBytes);
    }

    void aColumnCostsItsTablesHeapAgain()
    {
        const QList<SchemaObject> p3 { { K::Column, QStringLiteral("ps_p3_tags"), QStringLiteral("content_items") },
            { K::Trigger, QStringLiteral("ps_p3_sync"), QStringLiteral("content_items") },
            { K::Function, QStringLiteral("ps_p3_fn"), QString() } };
        QCOMPARE(estimateObjectsBytes(p3, Base), 2 * GiB);
    }

    void ownTablesCostTheJunctionOnceHoweverTheyAreSplit()
    {
        // One copy with one index, and the same copy in four partitions with one index each: the same estimate.
        const QList<SchemaObject> one { { K::Table, QStringLiteral("ps_x_t"), QString() },
            { K::Index, QStringLiteral("ps_x_t_i"), QStringLiteral("ps_x_t") } };
        QList<SchemaObject> four;
        for (int i = 0; i < 4; ++i) {
            const QString t = QStringLiteral("ps_y_part%1").arg(i);
            four << SchemaObject { K::Table, t, QString() } << SchemaObject { K::Index, t + QStringLiteral("_i"), t };
        }
        const qint64 expected = 13 * GiB + 100'000'000 * IndexEntryBytes;
        QCOMPARE(estimateObjectsBytes(one, Base), expected);
        QCOMPARE(estimateObjectsBytes(four, Base), expected);
        // A missing base table counts as empty.
        QCOMPARE(estimateObjectsBytes(one, {}), 0);
    }

    // Small own tables (settings, refresh times, counts per tag) and a partitioned parent over the base tables hold
    // none of the junction's rows: at scale 1, p8 was estimated at a junction copy (10 GB with the build factor) and
    // had a kept strategy reverted to make room for a table of 100 KB.
    void smallOwnTablesCostNothing()
    {
        const QString counts = QStringLiteral("ps_p8_counts");
        const QList<SchemaObject> p8 { { K::Table, counts, QString(), false },
            { K::Index, QStringLiteral("ps_p8_counts_key"), counts },
            { K::Table, QStringLiteral("ps_p8_refreshed"), QString(), false } };
        QCOMPARE(estimateObjectsBytes(p8, Base), 0);
        // A partitioned parent with a column of its own, and an index on the junction: only the index counts.
        const QString parent = QStringLiteral("ps_x_all");
        const QList<SchemaObject> unified { { K::Table, parent, QString(), false },
            { K::Column, QStringLiteral("source_type"), parent }, { K::Index, QStringLiteral("ps_x_all_uidx"), parent },
            { K::Index, QStringLiteral("ps_x_tags"), QStringLiteral("content_tags") } };
        QCOMPARE(estimateObjectsBytes(unified, Base), 100'000'000 * IndexEntryBytes);
        // Beside a copy of the junction, a small table does not split the copy's index share.
        const QList<SchemaObject> p1 { { K::Table, QStringLiteral("ps_p1_config"), QString(), false },
            { K::Table, QStringLiteral("ps_p1_view"), QString() },
            { K::Index, QStringLiteral("ps_p1_view_key"), QStringLiteral("ps_p1_view") } };
        QCOMPARE(estimateObjectsBytes(p1, Base), 13 * GiB + 100'000'000 * IndexEntryBytes);
        // The catalog's p8, x-unified and p10-search (its outbox) are estimated so.
        for (const char *id : { "p8-tag-counts", "x-unified", "x-unified-fixed", "p10-search" }) {
            const auto strategy = strategyById(QString::fromLatin1(id));
            QVERIFY(strategy);
            QVERIFY2(estimateStrategyBytes(*strategy, Base) < 13 * GiB, id);
        }
    }

    // A copy much narrower than the junction says its bytes per junction row (x-rum: 12.3 GB estimated at scale 1 for
    // 2.5 GiB built, which reverted x-topn for room), apart from any copy counted as the junction's heap.
    void aNarrowCopyCountsItsOwnWidth()
    {
        const QList<SchemaObject> narrow { { K::Table, QStringLiteral("ps_x_items"), QString(), true, 20 },
            { K::Index, QStringLiteral("ps_x_items_key"), QStringLiteral("ps_x_items"), true, 1 },
            { K::Index, QStringLiteral("ps_x_items_rum"), QStringLiteral("ps_x_items"), true, 16 } };
        QCOMPARE(estimateObjectsBytes(narrow, Base), qint64(100'000'000) * (20 + 1 + 16));
        QList<SchemaObject> both = narrow;
        both << SchemaObject { K::Table, QStringLiteral("ps_x_copy"), QString() }
             << SchemaObject { K::Index, QStringLiteral("ps_x_copy_i"), QStringLiteral("ps_x_copy") };
        QCOMPARE(estimateObjectsBytes(both, Base),
            qint64(100'000'000) * (20 + 1 + 16) + 13 * GiB + 100'000'000 * IndexEntryBytes);
        const auto rum = strategyById(QStringLiteral("x-rum"));
        QVERIFY(rum);
        QVERIFY(estimateStrategyBytes(*rum, Base) < 4 * GiB);
    }

    void theMarginIsTenPercentFromTwoToTenGiB()
    {
        QCOMPARE(diskMargin(50 * GiB), 5 * GiB);
        QCOMPARE(diskMargin(100 * GiB), 10 * GiB);
        QCOMPARE(diskMargin(8 * GiB), 2 * GiB);
        QCOMPARE(diskMargin(252 * GiB), 10 * GiB); // was 25.2 GiB
        QCOMPARE(diskMargin(4096 * GiB), 10 * GiB);
    }

    void enoughRoomBuilds()
    {
        const DiskDecision d = decideDiskSpace(QStringLiteral("x-topn"), 10 * GiB, Disk100, {});
        QCOMPARE(int(d.action), int(DiskDecision::Action::Build));
        QCOMPARE(d.neededBytes, 20 * GiB);
        QVERIFY(d.revert.isEmpty());
    }

    // What a strategy writes beside the database (a standby's file copy) is its peak: counted once, not doubled.
    void bytesOutsideTheDatabaseCountOnce()
    {
        const DiskDecision d = decideDiskSpace(QStringLiteral("p7-replica"), 1 * GiB, Disk100, {}, 18 * GiB);
        QCOMPARE(d.neededBytes, 20 * GiB);
        QCOMPARE(int(d.action), int(DiskDecision::Action::Build));
        // 30 GiB free, margin 10: 2 + 18 fits, 2 + 19 does not.
        QCOMPARE(int(decideDiskSpace(QStringLiteral("p7-replica"), 1 * GiB, Disk100, {}, 19 * GiB).action),
            int(DiskDecision::Action::Refuse));
        // Only outside bytes (nothing in the database) still asks.
        QCOMPARE(decideDiskSpace(QStringLiteral("p10-search"), 0, Disk100, {}, 5 * GiB).neededBytes, 5 * GiB);
    }

    void nothingToEstimateBuilds()
    {
        QCOMPARE(int(decideDiskSpace(QStringLiteral("baseline"), 0, {}, {}).action), int(DiskDecision::Action::Build));
        QCOMPARE(int(decideDiskSpace(QStringLiteral("odd"), -1, Disk100, {}).action), int(DiskDecision::Action::Build));
    }

    void anUnknownDiskBuildsAndSaysSo()
    {
        const DiskDecision d = decideDiskSpace(QStringLiteral("x-topn"), 10 * GiB, DiskSpace {}, {});
        QCOMPARE(int(d.action), int(DiskDecision::Action::Unknown));
        QVERIFY2(d.message.contains(QLatin1String("cannot be known")), qPrintable(d.message));
    }

    void theLeastRecentlyUsedKeptStrategiesAreRevertedFirst()
    {
        // 30 GiB free, margin 10, needs 2 x 15 = 30: 10 GiB must come back.
        const QList<KeptStrategy> k { kept("recent", 20 * GiB, 1), kept("old", 6 * GiB, 30),
            kept("before-the-session", 5 * GiB), kept("middle", 8 * GiB, 10) };
        const DiskDecision d = decideDiskSpace(QStringLiteral("x-topn"), 15 * GiB, Disk100, k);
        QCOMPARE(int(d.action), int(DiskDecision::Action::RevertThenBuild));
        QCOMPARE(d.revert, QStringList({ QStringLiteral("before-the-session"), QStringLiteral("old") }));
        QVERIFY2(d.message.contains(QLatin1String("before-the-session, old (kept applied, used least recently) are "
                                                  "reverted first")),
            qPrintable(d.message));
    }

    void theStrategyItselfAndEmptyOnesAreNeverReverted()
    {
        const QList<KeptStrategy> k { kept("x-topn", 50 * GiB), kept("empty", 0) };
        const DiskDecision d = decideDiskSpace(QStringLiteral("x-topn"), 15 * GiB, Disk100, k);
        QCOMPARE(int(d.action), int(DiskDecision::Action::Refuse));
    }

    void notEnoughEvenAfterRevertingEverythingRefuses()
    {
        const QList<KeptStrategy> k { kept("a", 1 * GiB, 5), kept("b", 2 * GiB, 4) };
        const DiskDecision d = decideDiskSpace(QStringLiteral("p9-partition"), 20 * GiB, Disk100, k);
        QCOMPARE(int(d.action), int(DiskDecision::Action::Refuse));
        QVERIFY(d.revert.isEmpty()); // nothing is reverted for nothing
        QVERIFY2(d.message.startsWith(QLatin1String("p9-partition was not built: it needs about 42.9 GB")),
            qPrintable(d.message));
        QVERIFY2(
            d.message.contains(QLatin1String("free some space or measure fewer strategies")), qPrintable(d.message));
    }

    void theDiskOfAPathIsRead()
    {
        const DiskSpace d = diskSpaceAt(QStringLiteral("/"));
        QVERIFY(d.known());
        QVERIFY(d.freeBytes <= d.totalBytes);
        QVERIFY(!diskSpaceAt(QStringLiteral("/no/such/dir/here")).known());
    }
};

QTEST_GUILESS_MAIN(TestDiskSpace)
#include "tst_diskspace.moc"
