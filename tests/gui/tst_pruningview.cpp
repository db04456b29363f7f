// Partition pruning where a DBA looks (issue #13, p9-partition): the plan view, the report's plan section (its
// content and the PDF) and `plansight explain` say how many partitions of the partitioned copy the plan read of how
// many, and say nothing for a plan that reads no partitioned table. The partitioned plan is a real one:
// p9-partition-hash on the demo (scale 0.01, PostgreSQL 15), a multi-tag workload (tests/data/plans).

#include "plan/planformat.h"
#include "plan/planparser.h"
#include "planview.h"
#include "report/reportcontent.h"
#include "reportrenderer.h"
#include "strategies/partitionstrategy.h"

#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;
using namespace plansight::gui;

namespace {

QByteArray planFile(const char *name)
{
    QFile f(QStringLiteral(PLANSIGHT_TEST_DATA "/plans/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray partitionedPlan()
{
    return planFile("pg15_p9_partition_hash.json");
}

QByteArray unpartitionedPlan()
{
    return planFile("pg15_gallery_baseline.json");
}

StrategyRun run(const QString &id, const QByteArray &plan)
{
    StrategyRun r;
    r.strategyId = id;
    r.strategyTitle = id;
    r.planJson = plan;
    r.timingsMs = { 1.0, 1.1, 0.9 };
    return r;
}

// "Partitions of ps_p9_partition_hash_content_tags: N of 17 scanned", N the hash leaves the workload's tags fall in.
bool saysPartitionsOfTheCopy(const QString &text)
{
    const QString copy = PartitionStrategy(true).tables().first();
    return text.startsWith(QStringLiteral("Partitions of %1: ").arg(copy))
        && text.contains(QStringLiteral(" of %1 scanned").arg(1 + 2 * PartitionStrategy::HashModulus));
}

} // namespace

class TestPruningView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!partitionedPlan().isEmpty());
        QVERIFY(!unpartitionedPlan().isEmpty());
    }

    // The catalog knows the copy's leaves: regular and auto split 8 ways each, and the default partition.
    void theCopysTreeComesFromTheStrategy()
    {
        const auto tree = strategyPartitionTree(QStringLiteral("ps_p9_partition_hash_auto_3"));
        QVERIFY(tree);
        QCOMPARE(tree->table, QStringLiteral("ps_p9_partition_hash_content_tags"));
        QCOMPARE(tree->leaves.size(), 1 + 2 * PartitionStrategy::HashModulus);
        QVERIFY(!tree->leaves.contains(QStringLiteral("ps_p9_partition_hash_auto"))); // partitioned itself
        const auto plain = strategyPartitionTree(QStringLiteral("ps_p9_partition_regular"));
        QVERIFY(plain);
        QCOMPARE(plain->leaves.size(), 3);
        QVERIFY(!strategyPartitionTree(QStringLiteral("content_tags")));
    }

    void thePlanViewShowsPruningOnlyForAPartitionedPlan()
    {
        PlanView view;
        view.resize(1200, 800);
        view.addRun(run(QStringLiteral("baseline"), unpartitionedPlan()));
        view.addRun(run(QStringLiteral("p9-partition-hash"), partitionedPlan()));
        view.show();

        QVERIFY(view.showRun(QStringLiteral("p9-partition-hash")));
        QLabel *pruning = view.pruningLabel();
        QVERIFY(pruning);
        QCOMPARE(pruning->objectName(), QStringLiteral("planPruning"));
        QVERIFY(pruning->isVisible());
        QVERIFY2(saysPartitionsOfTheCopy(pruning->text()), qPrintable(pruning->text()));
        // Copy as text prints it too, as `plansight explain` does.
        QVERIFY(view.copyText(PlanView::CopyKind::Text).contains(pruning->text()));

        QVERIFY(view.showRun(QStringLiteral("baseline")));
        QVERIFY(!pruning->isVisible());
        QVERIFY(pruning->text().isEmpty());
    }

    void theReportShowsPruningOnlyForAPartitionedPlan()
    {
        SessionResult s;
        s.info.id = 7;
        s.runs << run(QStringLiteral("baseline"), unpartitionedPlan())
               << run(QStringLiteral("p9-partition-hash"), partitionedPlan());
        QList<StrategyInfo> infos;
        for (const auto &strategy : allStrategies())
            infos << strategy->info();
        const ReportContent c = buildReportContent(s, infos);
        QCOMPARE(c.sections.size(), 2);
        QVERIFY2(c.sections.at(0).plan.available, qPrintable(c.sections.at(0).plan.note));
        QVERIFY2(c.sections.at(1).plan.available, qPrintable(c.sections.at(1).plan.note));
        QVERIFY2(c.sections.at(0).plan.pruning.isEmpty(), qPrintable(c.sections.at(0).plan.pruning));
        const QString pruning = c.sections.at(1).plan.pruning;
        QVERIFY2(saysPartitionsOfTheCopy(pruning), qPrintable(pruning));

        // The PDF's plan section prints it (pdftotext from poppler-utils reads it back).
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("poppler-utils are not installed");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ReportOptions options;
        options.charts = false;
        ReportRenderer renderer(c, options);
        const QString pdf = dir.filePath(QStringLiteral("pruning.pdf"));
        auto written = renderer.writePdf(pdf);
        QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().toString()));
        QProcess p;
        p.start(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") });
        QVERIFY(p.waitForFinished(60000));
        const QString text = QString::fromUtf8(p.readAllStandardOutput()).simplified();
        QVERIFY2(text.contains(pruning.simplified()), qPrintable(text.left(2000)));
        QCOMPARE(text.count(QStringLiteral("Partitions of ")), 1);
    }

    // `plansight explain` on the same files (the verb sets this lookup).
    void explainTextSaysItUnderTheHeader()
    {
        PlanTextOptions options;
        options.partitions = strategyPartitionTree;
        auto partitioned = parsePlan(partitionedPlan());
        QVERIFY(partitioned.ok());
        const QStringList lines = formatPlanText(*partitioned, options).split(QLatin1Char('\n'));
        QVERIFY(std::any_of(lines.cbegin(), lines.cbegin() + 4, saysPartitionsOfTheCopy));
        auto plain = parsePlan(unpartitionedPlan());
        QVERIFY(plain.ok());
        QVERIFY(!formatPlanText(*plain, options).contains(QLatin1String("Partitions of")));
    }
};

QTEST_MAIN(TestPruningView)
#include "tst_pruningview.moc"
