// The EXPLAIN parsers: every input shape a DBA pastes, every field kept, bad input refused with one sentence.

#include "plan/planparser.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace plansight;

namespace {

QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(PLANSIGHT_TEST_DATA "/plans/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return f.readAll();
}

// A compact, comparable dump of the tree: "type|relation|index|loops|relationship" per node, indented.
QString shape(const Plan &p)
{
    QString out;
    for (const PlanNode &n : p.nodes)
        out += QString(n.depth * 2, QLatin1Char(' ')) + n.label() + QStringLiteral(" loops=")
            + (n.hasActuals ? QString::number(n.actualLoops) : QStringLiteral("?"))
            + (n.parentRelationship.isEmpty() ? QString()
                                              : QStringLiteral(" [") + n.parentRelationship + QLatin1Char(']'))
            + QLatin1Char('\n');
    return out;
}

} // namespace

class TestPlanParser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The same plan as PostgreSQL's JSON, as psql prints that JSON, and as text, gives the same tree and numbers.
    void jsonPsqlAndTextAgree_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : { "parallel_agg", "cte", "initplan", "subplan", "nestloop", "never_executed", "sort_spill",
                 "hash_spill", "seqscan_loop", "bitmap_parallel" })
            QTest::newRow(n) << QString::fromLatin1(n);
    }
    void jsonPsqlAndTextAgree()
    {
        QFETCH(QString, name);
        auto json = parsePlan(readData(QStringLiteral("pg15_%1.json").arg(name)));
        QVERIFY2(json.ok(), qPrintable(json.ok() ? QString() : json.error().message));
        QCOMPARE(json->format, PlanFormat::Json);
        auto psql = parsePlan(readData(QStringLiteral("pg15_%1.psql.json").arg(name)));
        QVERIFY2(psql.ok(), qPrintable(psql.ok() ? QString() : psql.error().message));
        QCOMPARE(psql->format, PlanFormat::Json);
        auto text = parsePlan(readData(QStringLiteral("pg15_%1.txt").arg(name)));
        QVERIFY2(text.ok(), qPrintable(text.ok() ? QString() : text.error().message));
        QCOMPARE(text->format, PlanFormat::Text);

        QVERIFY(json->size() > 1);
        QCOMPARE(shape(psql.value()), shape(json.value()));
        // The psql and text runs are separate executions: the shape matches, the times differ.
        QCOMPARE(shape(text.value()), shape(json.value()));
        for (const Plan *p : { &json.value(), &psql.value(), &text.value() }) {
            QVERIFY(p->analyzed);
            QVERIFY(p->timed);
            QVERIFY(p->planningMs > 0);
            QVERIFY(p->executionMs > 0);
            QVERIFY(p->planningBuffers.present);
            QVERIFY(!p->settings.isEmpty());
            QVERIFY2(p->unknownTopKeys.isEmpty(), qPrintable(p->unknownTopKeys.join(QLatin1Char(','))));
        }
        for (int i = 0; i < json->size(); ++i) {
            const PlanNode &j = json->node(i);
            const PlanNode &t = text->node(i);
            QCOMPARE(t.nodeType, j.nodeType);
            QCOMPARE(t.relationName, j.relationName);
            QCOMPARE(t.schema, j.schema);
            QCOMPARE(t.alias, j.alias);
            QCOMPARE(t.indexName, j.indexName);
            QCOMPARE(t.cteName, j.cteName);
            QCOMPARE(t.subplanName, j.subplanName);
            QCOMPARE(t.parentRelationship, j.parentRelationship);
            QCOMPARE(t.joinType, j.joinType);
            QCOMPARE(t.strategy, j.strategy);
            QCOMPARE(t.partialMode, j.partialMode);
            QCOMPARE(t.parallelAware, j.parallelAware);
            QCOMPARE(t.planRows, j.planRows);
            QCOMPARE(t.totalCost, j.totalCost);
            QCOMPARE(t.neverExecuted, j.neverExecuted);
            QCOMPARE(t.filter, j.filter);
            QCOMPARE(t.indexCond, j.indexCond);
            QCOMPARE(t.hashCond, j.hashCond);
            QCOMPARE(t.sortKey, j.sortKey);
            QCOMPARE(t.groupKey, j.groupKey);
            QCOMPARE(t.output, j.output);
            QCOMPARE(t.workersPlanned, j.workersPlanned);
            QCOMPARE(t.workersLaunched, j.workersLaunched);
            QCOMPARE(t.sortMethod, j.sortMethod);
            QCOMPARE(t.sortSpaceType, j.sortSpaceType);
            QCOMPARE(t.hashBatches, j.hashBatches);
            // Text omits an all-zero "Buffers:" line that JSON writes as zeros.
            QVERIFY(!t.buffers.present || j.buffers.present);
            QCOMPARE(t.workers.size(), j.workers.size());
            QVERIFY2(j.unknownKeys.isEmpty(),
                qPrintable(j.label() + QStringLiteral(": ") + j.unknownKeys.join(QLatin1Char(','))));
            QVERIFY2(t.unknownKeys.isEmpty(),
                qPrintable(t.label() + QStringLiteral(": ") + t.unknownKeys.join(QLatin1Char(','))));
        }
    }

    void textKeepsNumbersExactly()
    {
        auto p = parsePlan(readData(QStringLiteral("pg15_bitmap_parallel.txt")));
        QVERIFY(p.ok());
        QCOMPARE(p->size(), 5);
        const PlanNode &pbhs = p->node(3);
        QCOMPARE(pbhs.displayType(), QStringLiteral("Parallel Bitmap Heap Scan"));
        QCOMPARE(pbhs.relationName, QStringLiteral("tags"));
        QCOMPARE(pbhs.schema, QStringLiteral("public"));
        QCOMPARE(pbhs.actualStartupMs, 6.492);
        QCOMPARE(pbhs.actualTotalMs, 13.563);
        QCOMPARE(pbhs.actualRows, 14999.0);
        QCOMPARE(pbhs.actualLoops, 3.0);
        QCOMPARE(pbhs.exactHeapBlocks, qint64(202));
        QCOMPARE(pbhs.buffers.sharedHit, qint64(215));
        QCOMPARE(pbhs.buffers.sharedRead, qint64(78));
        QCOMPARE(pbhs.workers.size(), 2);
        QCOMPARE(pbhs.workers.at(1).number, 1);
        QCOMPARE(pbhs.workers.at(1).actualTotalMs, 0.207);
        QCOMPARE(p->planningMs, 9.688);
        QCOMPARE(p->executionMs, 167.742);
        QCOMPARE(p->planningBuffers.sharedHit, qint64(68));
        QCOMPARE(p->settings.value(QLatin1String("enable_seqscan")).toString(), QStringLiteral("off"));
        QCOMPARE(p->settings.size(), 6);
    }

    // Every pasting quirk gives the same tree as the clean input.
    void pastingQuirks_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reference");
        QTest::newRow("psql border 2") << "quirk_border2.txt"
                                       << "quirk_unicode_border.txt";
        QTest::newRow("psql wrapped ascii") << "quirk_wrapped.txt"
                                            << "quirk_border2.txt";
        QTest::newRow("psql wrapped unicode") << "quirk_wrapped_unicode.txt"
                                              << "quirk_border2.txt";
        QTest::newRow("CRLF line ends") << "quirk_crlf.txt"
                                        << "pg15_initplan.txt";
        QTest::newRow("localized footer") << "quirk_localized_footer.txt"
                                          << "pg15_initplan.txt";
        QTest::newRow("no header, no footer, no leading space") << "quirk_no_header.txt"
                                                                << "pg15_initplan.txt";
        QTest::newRow("pgAdmin quoted lines") << "quirk_pgadmin_quoted.txt"
                                              << "pg15_initplan.txt";
        QTest::newRow("terminal hard-wrapped at 80 columns") << "quirk_terminal_wrapped.txt"
                                                             << "pg15_initplan.txt";
        QTest::newRow("auto_explain text log with tabs") << "quirk_auto_explain.log"
                                                         << "pg15_cte.txt";
        QTest::newRow("psql unicode JSON") << "quirk_unicode.psql.json"
                                           << "quirk_auto_explain_json.log";
        QTest::newRow("psql border 2 JSON") << "quirk_border2.psql.json"
                                            << "quirk_auto_explain_json.log";
        QTest::newRow("CSV log doubled quotes") << "quirk_doubled_quotes.csv"
                                                << "pg15_nestloop.json";
        QTest::newRow("spreadsheet cell doubled quotes") << "quirk_doubled_quotes_cell.txt"
                                                         << "pg15_nestloop.json";
    }
    void pastingQuirks()
    {
        QFETCH(QString, file);
        QFETCH(QString, reference);
        auto p = parsePlan(readData(file));
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        auto r = parsePlan(readData(reference));
        QVERIFY(r.ok());
        // Compare structure and identities; verbose output differs in schema qualification, so compare labels
        // without the schema.
        QCOMPARE(p->size(), r->size());
        for (int i = 0; i < p->size(); ++i) {
            QCOMPARE(p->node(i).nodeType, r->node(i).nodeType);
            QCOMPARE(p->node(i).relationName, r->node(i).relationName);
            QCOMPARE(p->node(i).parent, r->node(i).parent);
            QCOMPARE(p->node(i).parentRelationship, r->node(i).parentRelationship);
            QCOMPARE(p->node(i).hasActuals, r->node(i).hasActuals);
            QVERIFY(!p->node(i).hasActuals || p->node(i).actualLoops == r->node(i).actualLoops);
        }
        QVERIFY2(p->parseWarnings.isEmpty(), qPrintable(p->parseWarnings.join(QLatin1Char('\n'))));
        QVERIFY(
            p->executionMs > 0 || reference.endsWith(QLatin1String(".log")) || file.endsWith(QLatin1String(".log")));
    }

    void wrappedLinesKeepTheirNumbers()
    {
        auto p = parsePlan(readData(QStringLiteral("quirk_wrapped.txt")));
        QVERIFY(p.ok());
        const PlanNode &ios = p->node(3);
        QCOMPARE(ios.nodeType, QStringLiteral("Index Only Scan"));
        QCOMPARE(ios.totalCost, 1388.29);
        QCOMPARE(ios.actualRows, 598.0);
        QCOMPARE(ios.actualTotalMs, 0.154);
        auto t = parsePlan(readData(QStringLiteral("quirk_terminal_wrapped.txt")));
        QVERIFY(t.ok());
        QCOMPARE(t->node(2).filter, QStringLiteral("(items_1.grp = 3)"));
        QCOMPARE(t->node(2).actualTotalMs, 28.672);
        QCOMPARE(t->executionMs, 59.725);
    }

    void autoExplainKeepsTheQueryText()
    {
        auto p = parsePlan(readData(QStringLiteral("quirk_auto_explain.log")));
        QVERIFY(p.ok());
        QVERIFY(p->queryText.startsWith(QLatin1String("WITH x AS MATERIALIZED")));
        QVERIFY(p->queryText.endsWith(QLatin1String("GROUP BY a.grp")));
        QCOMPARE(p->node(1).subplanName, QStringLiteral("CTE x"));
        QCOMPARE(p->node(1).parentRelationship, QStringLiteral("InitPlan"));
        auto j = parsePlan(readData(QStringLiteral("quirk_auto_explain_json.log")));
        QVERIFY(j.ok());
        QCOMPARE(j->queryText, QStringLiteral("SELECT count(*) FROM small"));
    }

    void versionShapesAndUnknownKeys()
    {
        auto p = parsePlan(readData(QStringLiteral("pitfall_versions.json")));
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        const PlanNode &mt = p->root();
        QCOMPARE(mt.displayType(), QStringLiteral("Insert"));
        QCOMPARE(mt.label(), QStringLiteral("Insert on tags"));
        // PG 17 I/O shape.
        QVERIFY(mt.io.present);
        QCOMPARE(mt.io.sharedReadMs, 1.5);
        QCOMPARE(mt.io.localReadMs, 0.5);
        QCOMPARE(mt.io.tempWriteMs, 0.25);
        QVERIFY(mt.wal.present);
        QCOMPARE(mt.wal.bytes, qint64(1200));
        QCOMPARE(mt.wal.fullPageImages, qint64(1));
        // Unknown keys are kept and listed.
        QCOMPARE(mt.unknownKeys, QStringList { QStringLiteral("Frobnication Level") });
        QCOMPARE(mt.field(u"Frobnication Level").toInt(), 3);
        QCOMPARE(p->unknownTopKeys, QStringList { QStringLiteral("Custom Thing") });
        QCOMPARE(p->topFields.value(QLatin1String("Custom Thing")).toString(), QStringLiteral("kept"));
        // PG 13-16 I/O shape, PG 18 fractional rows.
        const PlanNode &fs = p->node(1);
        QCOMPARE(fs.io.sharedReadMs, 0.2);
        QCOMPARE(fs.actualRows, 0.5);
        QCOMPARE(fs.label(), QStringLiteral("Function Scan on generate_series g"));
        // Top level: planning buffers and memory, triggers, JIT with PG 17's Generation object, query id.
        QCOMPARE(p->planningBuffers.sharedHit, qint64(12));
        QCOMPARE(p->planningMemoryUsedKb, 20.0);
        QCOMPARE(p->triggers.size(), 1);
        QCOMPARE(p->triggers.first().timeMs, 2.5);
        QCOMPARE(p->triggers.first().calls, 10.0);
        QVERIFY(p->jit.present);
        QCOMPARE(p->jit.functions, 3);
        QCOMPARE(p->jit.generationMs, 0.4);
        QCOMPARE(p->jit.deformMs, 0.1);
        QCOMPARE(p->jit.totalMs, 2.0);
        QCOMPARE(p->queryIdentifier, QStringLiteral("1234567890123"));
    }

    void textTopLevelSections()
    {
        const QByteArray text
            = R"( Insert on tags  (cost=0.00..0.15 rows=0 width=0) (actual time=0.120..0.121 rows=0 loops=1)
   Buffers: shared hit=40 read=4 dirtied=3, temp read=2 written=5
   I/O Timings: shared read=1.500, local read=0.500, temp write=0.250
   WAL: records=10 fpi=1 bytes=1200
   ->  Result  (cost=0.00..0.01 rows=1 width=8) (actual time=0.002..0.002 rows=1 loops=1)
 Settings: work_mem = '64MB', search_path = 'a, b'
 Planning:
   Buffers: shared hit=12 read=1
   Memory: used=20kB  allocated=32kB
 Planning Time: 0.300 ms
 Trigger RI_ConstraintTrigger_c_16400 on tags: time=2.500 calls=10
 Trigger for constraint tags_fk: time=0.500 calls=10
 JIT:
   Functions: 3
   Options: Inlining false, Optimization false, Expressions true, Deforming true
   Timing: Generation 0.400 ms (Deform 0.100 ms), Inlining 0.000 ms, Optimization 0.600 ms, Emission 1.000 ms, Total 2.000 ms
 Execution Time: 9.600 ms
)";
        auto p = parsePlan(text);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p->root().buffers.tempWritten, qint64(5));
        QCOMPARE(p->root().buffers.sharedDirtied, qint64(3));
        QCOMPARE(p->root().io.localReadMs, 0.5);
        QCOMPARE(p->root().wal.records, qint64(10));
        QCOMPARE(p->settings.value(QLatin1String("search_path")).toString(), QStringLiteral("a, b"));
        QCOMPARE(p->planningBuffers.sharedRead, qint64(1));
        QCOMPARE(p->planningMemoryAllocatedKb, 32.0);
        QCOMPARE(p->triggers.size(), 2);
        QCOMPARE(p->triggers.at(0).relation, QStringLiteral("tags"));
        QCOMPARE(p->triggers.at(1).constraintName, QStringLiteral("tags_fk"));
        QCOMPARE(p->triggersMs(), 3.0);
        QCOMPARE(p->jit.generationMs, 0.4);
        QCOMPARE(p->jit.deformMs, 0.1);
        QCOMPARE(p->jit.totalMs, 2.0);
        QCOMPARE(p->jit.options.value(QLatin1String("Deforming")).toBool(), true);
        QCOMPARE(p->executionMs, 9.6);
    }

    void textDescriptions_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("nodeType");
        QTest::addColumn<QString>("label");
        QTest::newRow("hash right anti join") << "Hash Right Anti Join"
                                              << "Hash Join"
                                              << "Hash Right Anti Join";
        QTest::newRow("nested loop left") << "Nested Loop Left Join"
                                          << "Nested Loop"
                                          << "Nested Loop Left Join";
        QTest::newRow("backward index scan") << "Index Scan Backward using items_pkey on items i"
                                             << "Index Scan"
                                             << "Index Scan Backward using items_pkey on items i";
        QTest::newRow("parallel index only") << "Parallel Index Only Scan using tags_item on public.tags t"
                                             << "Index Only Scan"
                                             << "Parallel Index Only Scan using tags_item on public.tags t";
        QTest::newRow("quoted identifiers") << "Seq Scan on \"My Table\" \"my alias\""
                                            << "Seq Scan"
                                            << "Seq Scan on \"My Table\" \"my alias\"";
        QTest::newRow("mixed aggregate") << "MixedAggregate"
                                         << "Aggregate"
                                         << "MixedAggregate";
        QTest::newRow("finalize group aggregate") << "Finalize GroupAggregate"
                                                  << "Aggregate"
                                                  << "Finalize GroupAggregate";
        QTest::newRow("hash setop") << "HashSetOp Except"
                                    << "SetOp"
                                    << "HashSetOp Except";
        QTest::newRow("custom scan") << "Custom Scan (Citus Adaptive)"
                                     << "Custom Scan"
                                     << "Custom Scan (Citus Adaptive)";
        QTest::newRow("values scan") << "Values Scan on \"*VALUES*\""
                                     << "Values Scan"
                                     << "Values Scan on \"*VALUES*\"";
        QTest::newRow("delete") << "Delete on items"
                                << "ModifyTable"
                                << "Delete on items";
        QTest::newRow("async foreign scan") << "Async Foreign Scan on remote r"
                                            << "Foreign Scan"
                                            << "Async Foreign Scan on remote r";
        QTest::newRow("bitmap index") << "Bitmap Index Scan on tags_item"
                                      << "Bitmap Index Scan"
                                      << "Bitmap Index Scan on tags_item";
        QTest::newRow("memoize") << "Memoize"
                                 << "Memoize"
                                 << "Memoize";
    }
    void textDescriptions()
    {
        QFETCH(QString, line);
        QFETCH(QString, nodeType);
        QFETCH(QString, label);
        auto p = parseTextPlan((line + QStringLiteral("  (cost=0.00..1.00 rows=1 width=4)\n")).toUtf8());
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p->root().nodeType, nodeType);
        QCOMPARE(p->root().label(), label);
        QVERIFY(!p->analyzed);
    }

    void textDetails()
    {
        const QByteArray text
            = R"(Hash Join  (cost=1.00..2.00 rows=10 width=4) (actual time=0.100..0.200 rows=10 loops=1)
  Hash Cond: (a.id = b.id)
  ->  Memoize  (cost=0.30..8.31 rows=1 width=4) (actual time=0.001..0.001 rows=1 loops=100)
        Cache Key: a.x
        Cache Mode: logical
        Hits: 90  Misses: 10  Evictions: 2  Overflows: 0  Memory Usage: 3kB
        ->  Index Scan using b_pkey on b  (cost=0.29..8.30 rows=1 width=4) (actual time=0.004..0.004 rows=1 loops=10)
              Index Cond: (id = a.x)
  ->  Hash  (cost=1.00..1.00 rows=100 width=4) (actual time=0.050..0.050 rows=100 loops=1)
        Buckets: 2048 (originally 1024)  Batches: 4 (originally 1)  Memory Usage: 9kB
        ->  HashAggregate  (cost=1.00..1.00 rows=100 width=4) (actual time=0.030..0.040 rows=100 loops=1)
              Group Key: f(a, b), c
              Planned Partitions: 4  Batches: 5  Memory Usage: 4145kB  Disk Usage: 11152kB
              ->  Sort  (cost=1.00..1.00 rows=100 width=4) (actual time=0.010..0.020 rows=100 loops=1)
                    Sort Key: c DESC, (lower(d))
                    Sort Method: external merge  Disk: 1234kB
                    ->  Seq Scan on c  (cost=0.00..1.00 rows=100 width=4) (never executed)
                          Filter: (x > 1)
)";
        auto p = parsePlan(text);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p->size(), 7);
        const PlanNode &memo = p->node(1);
        QCOMPARE(memo.cacheKey, QStringLiteral("a.x"));
        QCOMPARE(memo.cacheHits, qint64(90));
        QCOMPARE(memo.cacheMisses, qint64(10));
        QCOMPARE(memo.cacheEvictions, qint64(2));
        QCOMPARE(memo.peakMemoryUsageKb, qint64(3));
        QCOMPARE(memo.parentRelationship, QStringLiteral("Outer"));
        const PlanNode &hash = p->node(3);
        QCOMPARE(hash.parentRelationship, QStringLiteral("Inner"));
        QCOMPARE(hash.hashBuckets, qint64(2048));
        QCOMPARE(hash.originalHashBuckets, qint64(1024));
        QCOMPARE(hash.hashBatches, qint64(4));
        QCOMPARE(hash.originalHashBatches, qint64(1));
        const PlanNode &agg = p->node(4);
        QCOMPARE(agg.groupKey, (QStringList { QStringLiteral("f(a, b)"), QStringLiteral("c") }));
        QCOMPARE(agg.hashAggBatches, qint64(5));
        QCOMPARE(agg.diskUsageKb, qint64(11152));
        const PlanNode &sort = p->node(5);
        QCOMPARE(sort.sortKey, (QStringList { QStringLiteral("c DESC"), QStringLiteral("(lower(d))") }));
        QCOMPARE(sort.sortSpaceType, QStringLiteral("Disk"));
        QCOMPARE(sort.sortSpaceUsedKb, qint64(1234));
        QVERIFY(p->node(6).neverExecuted);
        QCOMPARE(p->node(6).filter, QStringLiteral("(x > 1)"));
    }

    void badInputGivesOneClearSentence_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        const QByteArray valid = readData(QStringLiteral("pg15_nestloop.json"));
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("whitespace") << QByteArray(" \n\t\r\n") << "empty";
        QTest::newRow("truncated JSON") << valid.left(valid.size() / 2) << "truncated";
        QTest::newRow("JSON without Plan") << QByteArray(R"([{"Planning Time": 1}])") << "no \"Plan\"";
        QTest::newRow("empty JSON list") << QByteArray("[]") << "empty list";
        QTest::newRow("node without type") << QByteArray(R"({"Plan": {"Total Cost": 1}})") << "Node Type";
        QTest::newRow("rows as text") << QByteArray(
            R"({"Plan": {"Node Type": "Result", "Actual Rows": "many", "Actual Loops": 1}})")
                                      << "should be a number";
        QTest::newRow("plans not a list")
            << QByteArray(R"({"Plan": {"Node Type": "Result", "Plans": 3}})") << "list of nodes";
        QTest::newRow("child not an object")
            << QByteArray(R"({"Plan": {"Node Type": "Result", "Plans": [1]}})") << "not an object";
        QTest::newRow("negative loops") << QByteArray(R"({"Plan": {"Node Type": "Result", "Actual Loops": -1}})")
                                        << "impossible value";
        QTest::newRow("absurd rows") << QByteArray(
            R"({"Plan": {"Node Type": "Result", "Actual Rows": 1e300, "Actual Loops": 1}})")
                                     << "impossible value";
        QTest::newRow("infinite time") << QByteArray(
            R"({"Plan": {"Node Type": "Result", "Actual Total Time": 1e999, "Actual Loops": 1}})")
                                       << "";
        QTest::newRow("triggers not a list")
            << QByteArray(R"({"Plan": {"Node Type": "Result"}, "Triggers": {}})") << "Triggers";
        QTest::newRow("binary garbage") << QByteArray("\x00\x01\x02\xff\xfe garbage", 13) << "binary";
        QTest::newRow("random text") << QByteArray("hello world, this is not a plan: really") << "";
        QTest::newRow("XML format") << QByteArray("<explain xmlns=\"http://www.postgresql.org/2009/explain\">")
                                    << "XML";
        QTest::newRow("YAML format") << QByteArray("- Plan: \n    Node Type: \"Seq Scan\"\n") << "YAML";
        QTest::newRow("text indented left of root") << QByteArray(
            "    Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n->  Seq Scan on u  (cost=0.00..1.00 rows=1 "
            "width=4)\n") << "left of the plan's root";
        QByteArray deep;
        for (int i = 0; i < 10000; ++i)
            deep += R"({"Node Type": "Result", "Plans": [)";
        QTest::newRow("JSON nested 10,000 levels") << deep << "";
        QByteArray deepText = "Result  (cost=0.00..0.01 rows=1 width=4)\n";
        for (int i = 1; i < 10000; ++i)
            deepText += QByteArray(2 + 6 * (i - 1), ' ') + "->  Result  (cost=0.00..0.01 rows=1 width=4)\n";
        QTest::newRow("text nested 10,000 levels") << deepText << "deeper than";
    }
    void badInputGivesOneClearSentence()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        auto p = parsePlan(input);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code, errc::Input);
        QVERIFY2(p.error().message.contains(expected), qPrintable(p.error().message));
        QVERIFY(p.error().message.endsWith(QLatin1Char('.')));
        QVERIFY(!p.error().message.contains(QLatin1Char('\n')));
    }

    void multiplePlansKeepTheFirstWithAWarning()
    {
        auto p = parsePlan(R"([{"Plan": {"Node Type": "Result"}}, {"Plan": {"Node Type": "Seq Scan"}}])");
        QVERIFY(p.ok());
        QCOMPARE(p->root().nodeType, QStringLiteral("Result"));
        QCOMPARE(p->warnings.size(), 1);
        QVERIFY(!p->analyzed);
    }

    void bareNodeObjectIsAccepted()
    {
        auto p = parsePlan(R"({"Node Type": "Seq Scan", "Relation Name": "t", "Alias": "t", "Plan Rows": 5})");
        QVERIFY(p.ok());
        QCOMPARE(p->root().label(), QStringLiteral("Seq Scan on t"));
    }
};

QTEST_GUILESS_MAIN(TestPlanParser)
#include "tst_planparser.moc"
