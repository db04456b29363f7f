// Isolation proved from the plan (strategies/planisolation.h): the objects a plan read, which of them are neither
// base nor the strategy's own, and what happens to a run whose plan read another strategy's index.

#include "plan/planparser.h"
#include "present/ranking.h"
#include "strategies/planisolation.h"

#include <QTest>

using namespace plansight;

namespace {

const QStringList Ids { QStringLiteral("baseline"), QStringLiteral("p4-indexes"), QStringLiteral("x-topn"),
    QStringLiteral("p9-partition"), QStringLiteral("p9-partition-hash") };

// A Limit over a nested loop: a bitmap scan of content_tags through `tagIndex`, then content_items by `itemIndex`.
QByteArray planJson(const QString &tagIndex, const QString &itemIndex = QStringLiteral("content_items_pkey"),
    const QString &tagTable = QStringLiteral("content_tags"))
{
    return QStringLiteral(R"([{"Plan": {"Node Type": "Limit", "Plans": [
  {"Node Type": "Nested Loop", "Parent Relationship": "Outer", "Join Type": "Inner", "Plans": [
    {"Node Type": "Bitmap Heap Scan", "Parent Relationship": "Outer", "Relation Name": "%3", "Schema": "public",
     "Alias": "ct", "Plans": [
      {"Node Type": "Bitmap Index Scan", "Parent Relationship": "Outer", "Index Name": "%1"}]},
    {"Node Type": "Index Scan", "Parent Relationship": "Inner", "Relation Name": "content_items",
     "Schema": "public", "Alias": "ci", "Index Name": "%2"}]}]},
  "Planning Time": 0.1, "Execution Time": 0.5}])")
        .arg(tagIndex, itemIndex, tagTable)
        .toUtf8();
}

QList<PlanObject> read(const QByteArray &json)
{
    auto p = parseJsonPlan(json);
    if (!p)
        qFatal("%s", qPrintable(p.error().message));
    return objectsRead(p.value());
}

const BaseObjects Base { QStringLiteral("content_tags"), QStringLiteral("content_items"),
    QStringLiteral("idx_content_tags_tag_content"), QStringLiteral("content_items_pkey") };

StrategyRun measuredRun(const QString &strategy, const QByteArray &plan)
{
    StrategyRun r;
    r.strategyId = strategy;
    r.workload.name = QStringLiteral("canonical");
    r.outcome = RunOutcome::Ok;
    r.check = ResultCheck::Same;
    r.timingsMs = { 1.0, 1.0, 1.0 };
    r.stats.count = 3;
    r.stats.p50Ms = 1.0;
    r.pageKeys = { QStringLiteral("regular:1") };
    r.planJson = plan;
    return r;
}

} // namespace

class TestPlanIsolation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theObjectsReadAreEveryRelationAndIndexOnce()
    {
        const QList<PlanObject> objects = read(planJson(QStringLiteral("idx_content_tags_tag_content")));
        QStringList names;
        for (const PlanObject &o : objects)
            names << (o.kind == PlanObject::Kind::Index ? QStringLiteral("i:") : QStringLiteral("r:")) + o.qualified();
        QCOMPARE(names,
            QStringList({ QStringLiteral("r:public.content_tags"), QStringLiteral("i:idx_content_tags_tag_content"),
                QStringLiteral("r:public.content_items"), QStringLiteral("i:public.content_items_pkey") }));
    }

    void basePlusOwnObjectsAreIsolated()
    {
        QVERIFY(foreignObjects(
            read(planJson(QStringLiteral("idx_content_tags_tag_content"))), QStringLiteral("baseline"), Ids, Base)
                    .isEmpty());
        QVERIFY(foreignObjects(
            read(planJson(QStringLiteral("ps_p4_indexes_tag_source"))), QStringLiteral("p4-indexes"), Ids, Base)
                    .isEmpty());
        // A strategy's own table, and its own index on it.
        QVERIFY(foreignObjects(read(planJson(QStringLiteral("ps_x_topn_tag_idx"), QStringLiteral("content_items_pkey"),
                                   QStringLiteral("ps_x_topn_pages"))),
            QStringLiteral("x-topn"), Ids, Base)
                    .isEmpty());
    }

    void anotherStrategysIndexIsForeignAndNamed()
    {
        const auto foreign = foreignObjects(
            read(planJson(QStringLiteral("ps_p4_indexes_tag_source"))), QStringLiteral("x-topn"), Ids, Base);
        QCOMPARE(foreign.size(), 1);
        QCOMPARE(foreign.first().owner, QStringLiteral("p4-indexes"));
        QCOMPARE(foreign.first().describe(), QStringLiteral("index ps_p4_indexes_tag_source of p4-indexes"));
        // The baseline owns nothing: any strategy's object is foreign to it, with or without a known base.
        QCOMPARE(foreignObjects(
                     read(planJson(QStringLiteral("ps_p4_indexes_tag_source"))), QStringLiteral("baseline"), Ids, {})
                     .size(),
            1);
    }

    // x-adaptive reads x-topn's table and index and declares it (StrategyInfo::uses): they count as its own, and only
    // the strategies it declares do.
    void theObjectsOfAStrategyItUsesAreItsOwn()
    {
        const QByteArray plan = planJson(QStringLiteral("ps_x_topn_tag_created"), QStringLiteral("content_items_pkey"),
            QStringLiteral("ps_x_topn_content_tags"));
        const QStringList ids = Ids + QStringList { QStringLiteral("x-adaptive") };
        const QString adaptive = QStringLiteral("x-adaptive");
        QCOMPARE(foreignObjects(read(plan), adaptive, ids, Base).size(), 2); // not declared: foreign
        QVERIFY(foreignObjects(read(plan), adaptive, ids, Base, { QStringLiteral("x-topn") }).isEmpty());
        const auto p4 = foreignObjects(read(planJson(QStringLiteral("ps_p4_indexes_tag_source"))), adaptive, ids, Base,
            { QStringLiteral("x-topn") });
        QCOMPARE(p4.size(), 1);
        QCOMPARE(p4.first().owner, QStringLiteral("p4-indexes"));
        StrategyRun run = measuredRun(adaptive, plan);
        QVERIFY(flagIfPlanNotIsolated(run, ids, Base, {}, { QStringLiteral("x-topn") }).isEmpty());
        QVERIFY(run.outcome == RunOutcome::Ok);
        QVERIFY(!flagIfPlanNotIsolated(run, ids, Base).isEmpty());
        QVERIFY(run.outcome == RunOutcome::NotIsolated);
    }

    void theLongestPrefixOwnsTheObject()
    {
        // ps_p9_partition_hash_... starts with p9-partition's prefix but is p9-partition-hash's.
        const auto foreign = foreignObjects(
            read(planJson(QStringLiteral("idx_content_tags_tag_content"), QStringLiteral("content_items_pkey"),
                QStringLiteral("ps_p9_partition_hash_tags_regular_0"))),
            QStringLiteral("p9-partition"), Ids, Base);
        QCOMPARE(foreign.size(), 1);
        QCOMPARE(foreign.first().owner, QStringLiteral("p9-partition-hash"));
    }

    void anObjectOutsideTheBaseIsForeignWhenTheBaseIsKnown()
    {
        const QByteArray plan = planJson(QStringLiteral("someone_elses_idx"));
        const auto foreign = foreignObjects(read(plan), QStringLiteral("baseline"), Ids, Base);
        QCOMPARE(foreign.size(), 1);
        QVERIFY(foreign.first().owner.isEmpty());
        QVERIFY2(foreign.first().describe().contains(QLatin1String("neither in the base schema")),
            qPrintable(foreign.first().describe()));
        // Unknown base: only the strategies' prefixes count.
        QVERIFY(foreignObjects(read(plan), QStringLiteral("baseline"), Ids, {}).isEmpty());
    }

    void aRunWhosePlanReadAForeignIndexIsFlaggedAndNotRanked()
    {
        SessionResult session;
        session.runs << measuredRun(
            QStringLiteral("baseline"), planJson(QStringLiteral("idx_content_tags_tag_content")));
        StrategyRun fast = measuredRun(QStringLiteral("x-topn"), planJson(QStringLiteral("ps_p4_indexes_tag_source")));
        fast.stats.p50Ms = 0.1;
        fast.timingsMs = { 0.1, 0.1, 0.1 };
        fast.speedup = SpeedUp { true, 10, 9, 11 };
        session.runs << fast;
        // Without the plan check, it would win.
        QVERIFY(rankSession(session).winner);
        QCOMPARE(rankSession(session).winner->strategyId, QStringLiteral("x-topn"));

        QVERIFY(flagIfPlanNotIsolated(session.runs[0], Ids, Base).isEmpty());
        QCOMPARE(toString(session.runs[0].outcome), QStringLiteral("ok"));
        const QString warning = flagIfPlanNotIsolated(session.runs[1], Ids, Base);
        QVERIFY2(
            warning.contains(QLatin1String("read index ps_p4_indexes_tag_source of p4-indexes")), qPrintable(warning));
        QCOMPARE(toString(session.runs[1].outcome), QStringLiteral("not-isolated"));
        QVERIFY2(session.runs[1].error.contains(QLatin1String("not x-topn's alone; not ranked")),
            qPrintable(session.runs[1].error));
        QVERIFY(!rankSession(session).winner);
        QCOMPARE(toString(rankSession(session).workloads.first().verdict), QStringLiteral("baseline-fastest"));
    }

    void aRunWithoutAPlanOrThatFailedIsLeftAlone()
    {
        StrategyRun noPlan = measuredRun(QStringLiteral("x-topn"), {});
        QVERIFY(flagIfPlanNotIsolated(noPlan, Ids, Base).isEmpty());
        QCOMPARE(toString(noPlan.outcome), QStringLiteral("ok"));
        StrategyRun garbage = measuredRun(QStringLiteral("x-topn"), "not json");
        QVERIFY(flagIfPlanNotIsolated(garbage, Ids, Base).isEmpty());
        StrategyRun failed = measuredRun(QStringLiteral("x-topn"), planJson(QStringLiteral("ps_p4_indexes_a")));
        failed.outcome = RunOutcome::Failed;
        failed.error = QStringLiteral("timeout");
        QVERIFY(flagIfPlanNotIsolated(failed, Ids, Base).isEmpty());
        QCOMPARE(failed.error, QStringLiteral("timeout"));
        // Already not-isolated (another strategy's objects were visible): the plan's finding goes first.
        StrategyRun seen = measuredRun(QStringLiteral("x-topn"), planJson(QStringLiteral("ps_p4_indexes_a")));
        seen.outcome = RunOutcome::NotIsolated;
        seen.error = QStringLiteral("Measured with the objects of p4-indexes visible.");
        QVERIFY(!flagIfPlanNotIsolated(seen, Ids, Base).isEmpty());
        QVERIFY(seen.error.startsWith(QLatin1String("The plan read index ps_p4_indexes_a of p4-indexes")));
    }
};

QTEST_GUILESS_MAIN(TestPlanIsolation)
#include "tst_planisolation.moc"
