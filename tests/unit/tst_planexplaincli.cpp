// `plansight explain`: the built binary on files in tests/data/plans (annotated tree, --json, --diff, stdin,
// bad input and usage errors).

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run plansight(const QStringList &args, const QByteArray &stdinData = {})
{
    QProcess p;
    p.start(QStringLiteral(PLANSIGHT_BINARY), QStringList { QStringLiteral("explain") } + args);
    if (!p.waitForStarted(10000))
        qFatal("cannot start %s", PLANSIGHT_BINARY);
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        qFatal("plansight explain did not finish");
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
        QString::fromUtf8(p.readAllStandardError()) };
}

QString data(const char *name)
{
    return QStringLiteral(PLANSIGHT_TEST_DATA "/plans/") + QLatin1String(name);
}

} // namespace

class TestPlanExplainCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void annotatedTree()
    {
        const Run r = plansight({ data("pitfall_hints.json"), QStringLiteral("--no-color") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY(r.out.startsWith(QString::fromUtf8("planning 0.500 ms, execution 100.4 ms, 6 nodes")));
        QVERIFY(r.out.contains(QString::fromUtf8("self-check ok:")));
        // exclusive, % of total, inclusive, then the tree.
        QVERIFY2(r.out.contains(QString::fromUtf8("39.00 ms  38.8%       99.00 ms   └─ Sort  [rows 10 of 10 planned]")),
            qPrintable(r.out));
        QVERIFY2(
            r.out.contains(QString::fromUtf8("Hash Join  [rows 5,000 of 10 planned (500x under)]")), qPrintable(r.out));
        QVERIFY(r.out.contains(QString::fromUtf8("! The sort spilled to disk (external merge, 4096 kB)")));
        QVERIFY(r.out.contains(QString::fromUtf8("! Rows under-estimated 500x")));
        QVERIFY(r.out.contains(QString::fromUtf8("rows removed: 99,000 (99.0%)")));
        QVERIFY(r.out.contains(QString::fromUtf8("buffers: temp 512/512")));
        QVERIFY(!r.out.contains(QString::fromUtf8("\x1b[")));
    }

    void neverExecutedAndLoops()
    {
        const Run r = plansight({ data("pg15_never_executed.txt") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QString::fromUtf8("[never executed]")), qPrintable(r.out));
        const Run loops = plansight({ data("pitfall_loops.json") });
        QVERIFY2(loops.out.contains(QString::fromUtf8("[rows 200 of 100 planned (2.0x under), loops 100]")),
            qPrintable(loops.out));
    }

    void jsonForScripts()
    {
        const Run r = plansight({ data("pg15_initplan.txt"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QJsonParseError e;
        const QJsonObject top = QJsonDocument::fromJson(r.out.toUtf8(), &e).object();
        QCOMPARE(e.error, QJsonParseError::NoError);
        QCOMPARE(top.value(QLatin1String("planning_ms")).toDouble(), 1.79);
        QCOMPARE(top.value(QLatin1String("execution_ms")).toDouble(), 59.725);
        QVERIFY(top.value(QLatin1String("self_check")).toObject().value(QLatin1String("ok")).toBool());
        QCOMPARE(top.value(QLatin1String("format")).toString(), QStringLiteral("text"));
        const QJsonObject root = top.value(QLatin1String("plan")).toObject();
        for (const char *key : { "node_type", "relation", "index", "exclusive_ms", "inclusive_ms", "rows_total",
                 "plan_rows", "loops", "never_executed", "children" })
            QVERIFY2(root.contains(QString::fromUtf8(key)), key);
        QCOMPARE(root.value(QLatin1String("node_type")).toString(), QStringLiteral("Aggregate"));
        QCOMPARE(root.value(QLatin1String("exclusive_ms")).toDouble(), 14.748); // 51.088 - 36.340
        const QJsonArray children = root.value(QLatin1String("children")).toArray();
        QCOMPARE(children.size(), 2);
        const QJsonObject scan = children.at(1).toObject();
        QCOMPARE(scan.value(QLatin1String("relation")).toString(), QStringLiteral("items"));
        QCOMPARE(scan.value(QLatin1String("exclusive_ms")).toDouble(), 7.559); // 36.340 - 28.781 (the InitPlan)
        QCOMPARE(scan.value(QLatin1String("rows_total")).toDouble(), 52900.0);
        QCOMPARE(scan.value(QLatin1String("plan_rows")).toDouble(), 33333.0);
        QCOMPARE(scan.value(QLatin1String("loops")).toDouble(), 1.0);
        QVERIFY(scan.value(QLatin1String("index")).isNull());
        QCOMPARE(scan.value(QLatin1String("fields")).toObject().value(QLatin1String("Filter")).toString(),
            QStringLiteral("(items.val > $0)"));
    }

    void readsStandardInput()
    {
        QFile f(data("quirk_doubled_quotes.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const Run r = plansight({ QStringLiteral("-"), QStringLiteral("--json") }, f.readAll());
        QCOMPARE(r.exitCode, 0);
        const QJsonObject top = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(top.value(QLatin1String("plan")).toObject().value(QLatin1String("node_type")).toString(),
            QStringLiteral("Nested Loop"));
    }

    void diff()
    {
        const Run r = plansight({ QStringLiteral("--diff"), data("diff_before.json"), data("diff_after.txt") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(QString::fromUtf8("Seq Scan on tags")), qPrintable(r.out));
        QVERIFY(r.out.contains(QString::fromUtf8("strategy x-topn")));
        QVERIFY(r.out.contains(
            QString::fromUtf8("~ Seq Scan on tags -> Index Only Scan using ps_x_topn_tag_item on tags")));
        const Run j = plansight({ QStringLiteral("--diff"), data("diff_inserted_a.txt"), data("diff_inserted_b.txt"),
            QStringLiteral("--json") });
        QCOMPARE(j.exitCode, 0);
        const QJsonObject top = QJsonDocument::fromJson(j.out.toUtf8()).object();
        QCOMPARE(top.value(QLatin1String("counts")).toObject().value(QLatin1String("added")).toInt(), 1);
    }

    // Issue #10: absurd but valid inputs print readably in the tree and the diff.
    void absurdInputPrintsReadably()
    {
        const Run r = plansight({ data("pitfall_absurd.json") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QString::fromUtf8("Hash Join  [rows 1 of 1.0e300 planned (> 1e9x over)]")),
            qPrintable(r.out));
        QVERIFY2(!r.out.contains(QLatin1String("-9223372036854775808")), qPrintable(r.out));
        QVERIFY2(!r.out.contains(QRegularExpression(QStringLiteral("\\d{16}"))), qPrintable(r.out));
        // The columns hold: every node line has its exclusive time, share and inclusive time in 35 characters.
        for (const QString &line : r.out.split(QLatin1Char('\n')))
            if (line.contains(QLatin1String(" min ")) && line.contains(QLatin1String("Hash Join")))
                QVERIFY2(line.indexOf(QLatin1String("Hash Join")) == 35, qPrintable(line));
        const Run d = plansight({ QStringLiteral("--diff"), data("pitfall_absurd.json"), data("pitfall_absurd.json") });
        QCOMPARE(d.exitCode, 0);
        QVERIFY2(!d.out.contains(QRegularExpression(QStringLiteral("\\d{16}"))), qPrintable(d.out));
    }

    // Issue #10: the JSON shape says which nodes ran beside the critical path and which a Limit stopped.
    void jsonMarksConcurrentAndLimitedNodes()
    {
        const Run r = plansight({ data("pg15_parallel_append_limit.json"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject top = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(top.value(QLatin1String("self_check")).toObject().value(QLatin1String("concurrent_nodes")).toInt(), 2);
        const QJsonObject gm
            = top.value(QLatin1String("plan")).toObject().value(QLatin1String("children")).toArray().at(0).toObject();
        QVERIFY(gm.value(QLatin1String("stopped_by_limit")).toBool());
        QVERIFY(gm.value(QLatin1String("estimate_factor")).isNull());
        const QJsonArray subplans = gm.value(QLatin1String("children"))
                                        .toArray()
                                        .at(0)
                                        .toObject()
                                        .value(QLatin1String("children"))
                                        .toArray()
                                        .at(0)
                                        .toObject()
                                        .value(QLatin1String("children"))
                                        .toArray();
        QCOMPARE(subplans.size(), 3);
        QVERIFY(!subplans.at(0).toObject().value(QLatin1String("concurrent")).toBool());
        QVERIFY(subplans.at(1).toObject().value(QLatin1String("concurrent")).toBool());
        QVERIFY(subplans.at(2).toObject().value(QLatin1String("concurrent")).toBool());
    }

    void errorsAreOneSentenceAndNonZero_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing file") << QStringList { QStringLiteral("/nonexistent/plan.json") } << QByteArray() << 2
                                      << "does not exist";
        QTest::newRow("no argument") << QStringList {} << QByteArray() << 2 << "needs one plan file";
        QTest::newRow("diff with one plan") << QStringList { QStringLiteral("--diff"), data("pitfall_loops.json") }
                                            << QByteArray() << 2 << "needs two plans";
        QTest::newRow("garbage on stdin")
            << QStringList { QStringLiteral("-") } << QByteArray("\x01\x02\x03\x00garbage", 11) << 2 << "binary";
        QTest::newRow("truncated JSON") << QStringList { QStringLiteral("-") }
                                        << QByteArray("[{\"Plan\": {\"Node Type\": \"Result\"") << 2 << "truncated";
        QTest::newRow("unknown option") << QStringList { QStringLiteral("--frobnicate") } << QByteArray() << 2
                                        << "Unknown option";
    }
    void errorsAreOneSentenceAndNonZero()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run r = plansight(args, input);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.startsWith(QString::fromUtf8("plansight: ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestPlanExplainCli)
#include "tst_planexplaincli.moc"
