// Plan diff: alignment (by position, type, relation, index, alias; tolerant of inserted/removed nodes),
// statuses, deltas and the summary sentence.

#include "plan/plandiff.h"
#include "plan/planformat.h"
#include "plan/planparser.h"
#include "strategies/strategy.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace plansight;

namespace {

Plan load(const QString &name)
{
    QFile f(QStringLiteral(PLANSIGHT_TEST_DATA "/plans/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    auto p = parsePlan(f.readAll());
    if (!p.ok())
        qFatal("%s: %s", qPrintable(name), qPrintable(p.error().message));
    return std::move(p).value();
}

Plan parse(const char *text)
{
    auto p = parsePlan(QByteArray(text));
    if (!p.ok())
        qFatal("%s", qPrintable(p.error().message));
    return std::move(p).value();
}

// "status label" per entry, for readable comparisons.
QStringList statuses(const PlanDiff &d, const Plan &a, const Plan &b)
{
    QStringList out;
    for (const PlanDiffEntry &e : d.entries)
        out << toString(e.status) + QLatin1Char(' ')
                + (e.nodeB >= 0 ? b.node(e.nodeB).label() : a.node(e.nodeA).label());
    return out;
}

} // namespace

namespace {
// The catalog's ids, from the registry.
QStringList catalogIds()
{
    QStringList ids;
    for (const auto &strategy : plansight::allStrategies())
        ids << strategy->id();
    return ids;
}
} // namespace

class TestPlanDiff : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identicalPlansAreAllSame()
    {
        const Plan a = load(QStringLiteral("pg15_cte.json"));
        const PlanDiff d = diffPlans(a, a);
        QCOMPARE(d.same, a.size());
        QCOMPARE(d.changed + d.added + d.removed, 0);
        QVERIFY(d.summary.startsWith(QLatin1String("Same plan shape; execution time")));
        for (int i = 0; i < a.size(); ++i) {
            QCOMPARE(d.entryForA(i)->nodeB, i);
            QCOMPARE(d.entryForA(i)->exclusiveMsDelta, 0.0);
        }
    }

    void jsonAndTextOfTheSameQueryAlign()
    {
        const Plan a = load(QStringLiteral("pg15_parallel_agg.json"));
        const Plan b = load(QStringLiteral("pg15_parallel_agg.txt"));
        const PlanDiff d = diffPlans(a, b);
        QCOMPARE(d.same, a.size());
        QCOMPARE(d.added + d.removed + d.changed, 0);
    }

    void scanReplacedByAStrategyIndex()
    {
        const Plan a = load(QStringLiteral("diff_before.json"));
        const Plan b = load(QStringLiteral("diff_after.txt"));
        const PlanDiff d = diffPlans(a, b);
        QVERIFY2(d.summary.contains(QLatin1String("Seq Scan on tags")), qPrintable(d.summary));
        QVERIFY2(d.summary.contains(QLatin1String("replaced by Index Only Scan using ps_x_topn_tag_item on tags")),
            qPrintable(d.summary));
        QVERIFY2(d.summary.contains(QLatin1String("(an object of a PlanSight strategy)")), qPrintable(d.summary));
        QVERIFY2(d.summary.contains(QLatin1String("execution time")), qPrintable(d.summary));
        QVERIFY2(d.summary.contains(QLatin1String("faster")), qPrintable(d.summary));
        // The scan is matched (same relation) and changed; the Sort above it is gone.
        bool scanChanged = false;
        for (const PlanDiffEntry &e : d.entries) {
            if (e.status == DiffStatus::Changed && b.node(e.nodeB).nodeType == QLatin1String("Index Only Scan")) {
                scanChanged = true;
                QCOMPARE(a.node(e.nodeA).nodeType, QStringLiteral("Seq Scan"));
                QVERIFY(e.changes.contains(QStringLiteral("Seq Scan → Index Only Scan")));
            }
        }
        QVERIFY(scanChanged);
        QVERIFY(d.removed >= 1);
    }

    void insertedNodeIsToleratedAndTheRestAligns()
    {
        const Plan a = load(QStringLiteral("diff_inserted_a.txt"));
        const Plan b = load(QStringLiteral("diff_inserted_b.txt"));
        const PlanDiff d = diffPlans(a, b);
        QCOMPARE(statuses(d, a, b),
            (QStringList { QStringLiteral("changed Nested Loop"), QStringLiteral("same Seq Scan on small s"),
                QStringLiteral("added Materialize"), QStringLiteral("changed Seq Scan on tags t") }));
        const PlanDiffEntry &scan = d.entries.at(3);
        QCOMPARE(a.node(scan.nodeA).nodeType, QStringLiteral("Index Scan"));
        QVERIFY(std::abs(scan.exclusiveMsDelta - (9.0 - 4.0)) < 1e-9);
        QVERIFY(std::abs(d.entries.at(0).exclusiveMsDelta - (19.9 - 0.9)) < 1e-9);
        QCOMPARE(d.entries.at(0).changes, QStringList { QStringLiteral("join filter: none → (t.item_id = s.id)") });
        QCOMPARE(d.entries.at(2).rowsDelta, 600000.0);
        QVERIFY2(
            d.summary.contains(QLatin1String("Index Scan using tags_item on tags t replaced by Seq Scan on tags t")),
            qPrintable(d.summary));
        QVERIFY2(d.summary.contains(QLatin1String("Materialize added")), qPrintable(d.summary));
        QVERIFY2(d.summary.contains(QLatin1String("slower")), qPrintable(d.summary));
        // Symmetric: the other way round the Materialize is removed.
        const PlanDiff back = diffPlans(b, a);
        QCOMPARE(back.removed, 1);
        QCOMPARE(back.added, 0);
    }

    void removedSubtreeAndJoinTypeChange()
    {
        const Plan a = parse(R"(Hash Join  (cost=1.00..2.00 rows=10 width=4)
  Hash Cond: (a.id = b.id)
  ->  Seq Scan on a  (cost=0.00..1.00 rows=10 width=4)
  ->  Hash  (cost=1.00..1.00 rows=10 width=4)
        ->  Seq Scan on b  (cost=0.00..1.00 rows=10 width=4)
)");
        const Plan b = parse(R"(Merge Left Join  (cost=1.00..3.00 rows=10 width=4)
  Merge Cond: (a.id = b.id)
  ->  Index Scan using a_pkey on a  (cost=0.00..1.00 rows=10 width=4)
  ->  Index Scan using b_pkey on b  (cost=0.00..1.00 rows=10 width=4)
)");
        const PlanDiff d = diffPlans(a, b);
        QCOMPARE(statuses(d, a, b),
            (QStringList { QStringLiteral("changed Merge Left Join"),
                QStringLiteral("changed Index Scan using a_pkey on a"), QStringLiteral("removed Hash"),
                QStringLiteral("changed Index Scan using b_pkey on b") }));
        QVERIFY(d.entries.at(0).changes.contains(QStringLiteral("Hash Join → Merge Left Join")));
        QVERIFY2(d.summary.contains(QStringLiteral("estimated cost 2.00 → 3.00")), qPrintable(d.summary));
    }

    void differentRelationsNeverMatch()
    {
        const Plan a = parse("Seq Scan on a  (cost=0.00..1.00 rows=10 width=4)\n");
        const Plan b = parse("Seq Scan on b  (cost=0.00..1.00 rows=10 width=4)\n");
        const PlanDiff d = diffPlans(a, b);
        QCOMPARE(d.removed, 1);
        QCOMPARE(d.added, 1);
        QCOMPARE(d.entryOfA.size(), 1);
        QCOMPARE(d.entryOfB.size(), 1);
    }

    void strategyPrefixes_data()
    {
        QTest::addColumn<QString>("object");
        QTest::addColumn<QString>("strategy");
        QTest::newRow("x-topn") << "ps_x_topn_tag_created"
                                << "x-topn";
        QTest::newRow("p4") << "ps_p4_indexes_tag_source"
                            << "p4-indexes";
        QTest::newRow("p3") << "ps_p3_tag_array_tags_gin"
                            << "p3-tag-array";
        QTest::newRow("schema-qualified") << "ps_p5_prejoin.content"
                                          << "p5-prejoin";
        QTest::newRow("upper case") << "PS_P6_CURSOR_KEY"
                                    << "p6-cursor";
        QTest::newRow("a strategy not in the catalog") << "ps_p99_future_x"
                                                       << "";
        QTest::newRow("another one") << "ps_x_future_content"
                                     << "";
        QTest::newRow("x-unified, not x-unified-fixed") << "ps_x_unified_content_items_all"
                                                        << "x-unified";
        QTest::newRow("x-unified-fixed") << "ps_x_unified_fixed_content_items_all"
                                         << "x-unified-fixed";
        QTest::newRow("p9-partition-hash") << "ps_p9_partition_hash_auto_3"
                                           << "p9-partition-hash";
        QTest::newRow("user index") << "idx_content_tags_tag_content"
                                    << "";
        QTest::newRow("prefix only as a word") << "ps_x_topnotes"
                                               << "";
    }
    void strategyPrefixes()
    {
        QFETCH(QString, object);
        QFETCH(QString, strategy);
        QCOMPARE(strategyOwningObject(object, catalogIds()), strategy);
    }

    // The ids come from the registry, the one list of strategies: every strategy's objects map back to it.
    // plan/ itself does not know the catalog: a diff says only that an object is a strategy's.
    void everyStrategyOwnsItsPrefix()
    {
        for (const auto &strategy : allStrategies()) {
            const QString prefix = objectPrefix(strategy->id());
            QCOMPARE(strategyOwningObject(prefix + QStringLiteral("_some_index"), catalogIds()), strategy->id());
            QCOMPARE(strategyOwningObject(prefix, catalogIds()), strategy->id());
            QVERIFY(isStrategyObject(prefix + QStringLiteral("_some_index")));
        }
        QCOMPARE(strategyOwningObject(QStringLiteral("ps_p1_x"), { QStringLiteral("p1"), QStringLiteral("p1-x") }),
            QStringLiteral("p1-x"));
        QVERIFY(!isStrategyObject(QStringLiteral("idx_content_tags_tag_content")));
        QVERIFY(!isStrategyObject(QStringLiteral("ps_")));
        const Plan a = parse("Seq Scan on content_tags  (cost=0.00..1.00 rows=10 width=4)\n");
        const Plan b
            = parse("Index Scan using ps_x_topn_tag_created on content_tags  (cost=0.00..1.00 rows=10 width=4)\n");
        const QString said = [&]() -> QString {
            const PlanDiff d = diffPlans(a, b);
            return d.summary + QLatin1Char('\n') + d.details.join(QLatin1Char('\n'));
        }();
        QVERIFY2(said.contains(QLatin1String("an object of a PlanSight strategy")), qPrintable(said));
        PlanDiffOptions named;
        named.describeObject = [](const QString &object) -> QString {
            return QStringLiteral("an object of strategy ") + strategyOwningObject(object, catalogIds());
        };
        const PlanDiff d = diffPlans(a, b, named);
        const QString namedSaid = d.summary + QLatin1Char('\n') + d.details.join(QLatin1Char('\n'));
        QVERIFY2(namedSaid.contains(QLatin1String("an object of strategy x-topn")), qPrintable(namedSaid));
    }

    // Issue #10: astronomically large estimates (valid JSON) print readably in the summary and the text diff.
    void absurdCostsPrintReadably()
    {
        const Plan a = parse(
            R"({"Plan": {"Node Type": "Nested Loop", "Join Type": "Inner", "Startup Cost": 0, "Total Cost": 1e300, "Plan Rows": 1e300, "Plan Width": 4}})");
        const Plan b = parse(
            R"({"Plan": {"Node Type": "Nested Loop", "Join Type": "Inner", "Startup Cost": 0, "Total Cost": 2.5e299, "Plan Rows": 1e19, "Plan Width": 4}})");
        const PlanDiff d = diffPlans(a, b);
        QVERIFY2(d.summary.contains(QString::fromUtf8("estimated cost 1.0e300 → 2.5e299")), qPrintable(d.summary));
        const QString text = formatDiffText(d, a, b);
        QVERIFY2(!text.contains(QRegularExpression(QStringLiteral("\\d{16}"))), qPrintable(text));
        QVERIFY2(!text.contains(QRegularExpression(QStringLiteral("-\\d"))), qPrintable(text));
    }

    void jsonShape()
    {
        const Plan a = load(QStringLiteral("diff_inserted_a.txt"));
        const Plan b = load(QStringLiteral("diff_inserted_b.txt"));
        const PlanDiff d = diffPlans(a, b);
        const QJsonObject j = toJson(d, a, b);
        QCOMPARE(j.value(QLatin1String("summary")).toString(), d.summary);
        QCOMPARE(j.value(QLatin1String("entries")).toArray().size(), 4);
        QCOMPARE(j.value(QLatin1String("counts")).toObject().value(QLatin1String("added")).toInt(), 1);
        QCOMPARE(j.value(QLatin1String("entries")).toArray().at(2).toObject().value(QLatin1String("status")).toString(),
            QStringLiteral("added"));
    }

    void largePlansDiffQuickly()
    {
        // 2,000 nodes on each side: alignment must stay polynomial and small.
        QByteArray text = "Append  (cost=0.00..1.00 rows=1 width=4)\n";
        for (int i = 0; i < 2000; ++i)
            text += "  ->  Seq Scan on t" + QByteArray::number(i) + "  (cost=0.00..1.00 rows=1 width=4)\n";
        const Plan a = parse(text.constData());
        const Plan b = parse(text.replace("Seq Scan on t1 ", "Index Scan using i1 on t1 ").constData());
        const PlanDiff d = diffPlans(a, b);
        QCOMPARE(d.changed, 1);
        QCOMPARE(d.same, 2000);
    }
};

QTEST_GUILESS_MAIN(TestPlanDiff)
#include "tst_plandiff.moc"
