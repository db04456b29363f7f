// The PDF report (issue 6): a session recorded against a real PostgreSQL (real EXPLAIN JSON, real server
// version and settings) is rendered offscreen and the PDF is checked with poppler-utils, as a reader would:
// the text is there (pdftotext), the pages are where the layout says (pdfinfo, pdftotext per page), the fonts
// are embedded (pdffonts) and every page renders and has content (pdftoppm).

#include "history/historystore.h"
#include "present/sessionjson.h"
#include "report/reportcontent.h"
#include "reportrenderer.h"
#include "session/statistics.h"
#include "strategies/strategy.h"
#include "testcluster.h"

#include <QImage>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace plansight;

namespace {

struct Tool {
    int exitCode = -1;
    QString out;
    QString err;
};

Tool run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    Tool t;
    if (!p.waitForFinished(60000))
        return t;
    t.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    t.out = QString::fromUtf8(p.readAllStandardOutput());
    t.err = QString::fromUtf8(p.readAllStandardError());
    return t;
}

QString pdfText(const QString &pdf, int page = 0)
{
    QStringList args;
    if (page > 0)
        args << QStringLiteral("-f") << QString::number(page) << QStringLiteral("-l") << QString::number(page);
    args << pdf << QStringLiteral("-");
    return run(QStringLiteral("pdftotext"), args).out.simplified();
}

int pdfPages(const QString &pdf)
{
    const QRegularExpression re(QStringLiteral("^Pages:\\s+(\\d+)"), QRegularExpression::MultilineOption);
    const auto m = re.match(run(QStringLiteral("pdfinfo"), { pdf }).out);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

// Timings that look measured: a level, a little noise, one slow outlier, deterministic.
QList<double> timings(double medianMs, int n, int seed)
{
    QList<double> t;
    for (int i = 0; i < n; ++i) {
        const double noise = ((i * 37 + seed * 11) % 17 - 8) / 100.0; // within ±8%
        t << medianMs * (1 + noise) * (i == n / 2 ? 1.6 : 1.0);
    }
    return t;
}

const QString TagA = QStringLiteral("dfbb88fc-3c31-468f-a2d7-99605206c985");

// The gallery query on the test schema, in the baseline's shape (docs/gallery.md): one UNION ALL
// branch per source kind, each with a correlated EXISTS on content_tags.
QString baselineSql()
{
    QString branches;
    const QList<QPair<QString, QString>> kinds { { QStringLiteral("content_items"), QStringLiteral("regular") },
        { QStringLiteral("content_items_auto"), QStringLiteral("auto") } };
    QStringList parts;
    for (const auto &k : kinds)
        for (const QString &cmp : { QStringLiteral("="), QStringLiteral("<>") })
            parts << QStringLiteral("    SELECT c.id, c.title, c.created_at, u.username, '%2' AS source\n"
                                    "      FROM %1 c JOIN users u ON u.id = c.creator_id\n"
                                    "     WHERE c.creator_id %3 $1::uuid\n"
                                    "       AND EXISTS (SELECT 1 FROM content_tags ct WHERE ct.content_id = c.id\n"
                                    "                   AND ct.content_source = '%2' AND ct.tag_id = ANY($2::uuid[]))")
                         .arg(k.first, k.second, cmp);
    return QStringLiteral("SELECT * FROM (\n") + parts.join(QStringLiteral("\n    UNION ALL\n"))
        + QStringLiteral("\n) page ORDER BY created_at DESC, id DESC LIMIT 25 OFFSET 0");
}

QString prejoinSql()
{
    return QStringLiteral(
        "WITH tagged AS (SELECT DISTINCT content_id, content_source FROM content_tags WHERE tag_id = ANY($2::uuid[]))\n"
        "SELECT * FROM (\n"
        "    SELECT c.id, c.title, c.created_at, u.username, 'regular' AS source\n"
        "      FROM tagged t JOIN content_items c ON c.id = t.content_id AND t.content_source = 'regular'\n"
        "      JOIN users u ON u.id = c.creator_id\n"
        "    UNION ALL\n"
        "    SELECT c.id, c.title, c.created_at, u.username, 'auto' AS source\n"
        "      FROM tagged t JOIN content_items_auto c ON c.id = t.content_id AND t.content_source = 'auto'\n"
        "      JOIN users u ON u.id = c.creator_id\n"
        ") page WHERE $1::uuid IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 25 OFFSET 0");
}

struct Recorded {
    QString serverVersion;
    QList<QPair<QString, QString>> settings;
    QByteArray baselinePlan, indexedPlan, prejoinPlan;
    QString error;
};

// Builds a small gallery-shaped database and records the plans the strategies' queries get. Runs on its own
// thread: sessions refuse the GUI thread.
Recorded record()
{
    Recorded r;
    auto s = test::TestCluster::get()->connect(QStringLiteral("report"));
    if (!s) {
        r.error = QStringLiteral("no session");
        return r;
    }
    const Status setup = s->execScript(QStringLiteral(R"SQL(
        DROP TABLE IF EXISTS users, content_items, content_items_auto, content_tags;
        CREATE TABLE users (id uuid PRIMARY KEY, username varchar(50) NOT NULL);
        CREATE TABLE content_items (id integer PRIMARY KEY, title varchar(255) NOT NULL, creator_id uuid NOT NULL,
            created_at timestamp NOT NULL, quality_score double precision);
        CREATE TABLE content_items_auto (LIKE content_items INCLUDING ALL);
        CREATE TABLE content_tags (content_id integer NOT NULL, content_source varchar(10) NOT NULL, tag_id uuid NOT NULL,
            PRIMARY KEY (content_id, content_source, tag_id));
        INSERT INTO users SELECT md5('u' || i)::uuid, 'user' || i FROM generate_series(1, 50) i;
        INSERT INTO users VALUES ('121e194b-4caa-4b81-ad4f-86ca3919d5b9', 'admin');
        INSERT INTO content_items SELECT i, 'item ' || i, md5('u' || (i % 50 + 1))::uuid,
            timestamp '2025-05-01' + i * interval '7 minutes', (i % 100) / 100.0 FROM generate_series(1, 3000) i;
        INSERT INTO content_items_auto SELECT i, 'auto ' || i, md5('u' || (i % 50 + 1))::uuid,
            timestamp '2025-05-01' + i * interval '5 minutes', (i % 97) / 97.0 FROM generate_series(1, 6000) i;
        INSERT INTO content_tags SELECT i, 'regular', md5('t' || t)::uuid FROM generate_series(1, 3000) i, generate_series(1, 6) t
            WHERE (i + t) % 3 <> 0;
        INSERT INTO content_tags SELECT i, 'auto', md5('t' || t)::uuid FROM generate_series(1, 6000) i, generate_series(1, 6) t
            WHERE (i * t) % 4 <> 0;
        UPDATE content_tags SET tag_id = 'dfbb88fc-3c31-468f-a2d7-99605206c985' WHERE tag_id = md5('t1')::uuid;
        ANALYZE;
    )SQL"));
    if (!setup) {
        r.error = setup.error().toString();
        return r;
    }
    const QVariantList params { QStringLiteral("121e194b-4caa-4b81-ad4f-86ca3919d5b9"), QStringList { TagA } };
    const QString explain = QStringLiteral("EXPLAIN (ANALYZE, VERBOSE, BUFFERS, SETTINGS, FORMAT JSON) ");
    auto plan = [&](const QString &sql) -> QByteArray {
        auto res = s->exec(explain + sql, params);
        if (!res) {
            r.error = res.error().toString();
            return {};
        }
        return res->bytes(0, 0);
    };
    r.baselinePlan = plan(baselineSql());
    r.prejoinPlan = plan(prejoinSql());
    if (auto st = s->execScript(QStringLiteral("CREATE INDEX ps_p4_indexes_tag_source ON content_tags (tag_id, "
                                               "content_source, content_id); ANALYZE content_tags;"));
        !st)
        r.error = st.error().toString();
    r.indexedPlan = plan(baselineSql());
    auto version = s->exec(QStringLiteral("SHOW server_version"));
    if (version)
        r.serverVersion = version->value(0, 0);
    auto settings = s->exec(QStringLiteral(
        "SELECT name, setting FROM pg_settings WHERE source NOT IN ('default', 'override') ORDER BY name"));
    if (settings)
        for (int i = 0; i < settings->rows(); ++i)
            r.settings.append({ settings->value(i, 0), settings->value(i, 1) });
    return r;
}

StrategyRun makeRun(
    const QString &id, const QString &title, double medianMs, int seed, const QList<double> &baselineTimings)
{
    StrategyRun r;
    r.strategyId = id;
    r.strategyTitle = title;
    r.workload.name = QStringLiteral("canonical");
    r.workload.tagIds = { TagA };
    r.cache = CacheState::Warm;
    r.warmupRuns = 3;
    r.timingsMs = timings(medianMs, 20, seed);
    r.stats = computeStats(r.timingsMs);
    r.speedup = computeSpeedUp(baselineTimings.isEmpty() ? r.timingsMs : baselineTimings, r.timingsMs);
    r.rowsReturned = 25;
    r.check = ResultCheck::Same;
    r.params
        = { QStringLiteral("121e194b-4caa-4b81-ad4f-86ca3919d5b9"), QStringLiteral("{") + TagA + QStringLiteral("}") };
    r.finishedAt = QDateTime(QDate(2026, 11, 24), QTime(10, 5), Qt::UTC);
    return r;
}

QList<StrategyInfo> infos()
{
    auto info = [](const QString &id, const QString &title, const QString &proposal, const QString &description) {
        StrategyInfo i;
        i.id = id;
        i.title = title;
        i.proposal = proposal;
        i.description = description;
        return i;
    };
    return {
        info(QStringLiteral("baseline"), QStringLiteral("The review's current query"), QStringLiteral("current"),
            QStringLiteral(
                "Four UNION ALL branches, one per source kind, each with a correlated EXISTS on content_tags.")),
        info(QStringLiteral("p4-indexes"), QStringLiteral("Composite and partial indexes"), QStringLiteral("P4"),
            QStringLiteral("A composite (tag_id, content_source, content_id) index; the baseline query unchanged.")),
        info(QStringLiteral("p5-prejoin"), QStringLiteral("Pre-join tag filter"), QStringLiteral("P5"),
            QStringLiteral("Filters content_tags first, then joins the content tables.")),
        info(QStringLiteral("x-rum"), QStringLiteral("RUM index ordered by created_at"), QStringLiteral("PlanSight"),
            QStringLiteral("A RUM index orders tag matches by created_at.")),
        info(QStringLiteral("p7-replica"), QStringLiteral("Read replica"), QStringLiteral("P7"),
            QStringLiteral("Routes the query to a streaming replica.")),
        info(QStringLiteral("p9-partition"), QStringLiteral("Partitioned junction"), QStringLiteral("P9"),
            QStringLiteral("content_tags partitioned by content_source.")),
    };
}

} // namespace

class TestReport : public QObject {
    Q_OBJECT

    Recorded m_rec;
    QTemporaryDir m_dir;

    // baseline, p4 (the winner), p5 (slower but correct), x-rum (fastest of all, but WRONG rows),
    // p7 failed, p9 cancelled.
    SessionResult session() const
    {
        SessionResult s;
        s.info.id = 42;
        s.info.startedAt = QDateTime(QDate(2026, 11, 24), QTime(10, 0), Qt::UTC);
        s.info.server = QStringLiteral("postgres@/tmp/plansight-test:5432/report");
        s.info.serverVersion = m_rec.serverVersion;
        s.info.database = QStringLiteral("report");
        s.info.isDemo = true;
        s.info.settings = m_rec.settings;
        s.info.datasetFingerprint = QStringLiteral("genonaut-flat-s0.01-seed1-6b1c0e2f");
        s.info.dataset = QJsonObject { { QStringLiteral("profile"), QStringLiteral("flat") },
            { QStringLiteral("scale"), 0.01 }, { QStringLiteral("seed"), 1 },
            { QStringLiteral("counts"),
                QJsonObject { { QStringLiteral("content_items"), 652 }, { QStringLiteral("content_items_auto"), 11041 },
                    { QStringLiteral("content_tags"), 881466 } } } };
        s.info.planSightVersion = QStringLiteral("0.1.0");

        StrategyRun base = makeRun(QStringLiteral("baseline"), QStringLiteral("Baseline"), 412.5, 1, {});
        base.sql = baselineSql();
        base.planJson = m_rec.baselinePlan;
        base.executionMs = 398.2;
        base.planningMs = 0.61;
        s.runs << base;

        StrategyRun p4 = makeRun(QStringLiteral("p4-indexes"), QStringLiteral("Indexes"), 3.84, 2, base.timingsMs);
        p4.sql = baselineSql();
        p4.planJson = m_rec.indexedPlan;
        p4.footprint.objects = { QStringLiteral("index public.ps_p4_indexes_tag_source") };
        p4.footprint.bytes = 31 * 1024 * 1024;
        p4.footprint.buildMs = 2140;
        p4.footprint.writeMs = 4.2;
        p4.footprint.baselineWriteMs = 1.9;
        s.runs << p4;

        StrategyRun p5 = makeRun(QStringLiteral("p5-prejoin"), QStringLiteral("Pre-join"), 57.3, 3, base.timingsMs);
        p5.sql = prejoinSql();
        p5.planJson = m_rec.prejoinPlan;
        s.runs << p5;

        StrategyRun rum = makeRun(QStringLiteral("x-rum"), QStringLiteral("RUM"), 0.91, 4, base.timingsMs);
        rum.sql = baselineSql();
        rum.planJson = m_rec.indexedPlan;
        rum.check = ResultCheck::Different;
        rum.checkDetail = QStringLiteral("row 3 is auto:5120, the baseline has regular:2981");
        s.runs << rum;

        StrategyRun replica = makeRun(QStringLiteral("p7-replica"), QStringLiteral("Replica"), 0, 5, {});
        replica.outcome = RunOutcome::Failed;
        replica.error = QStringLiteral("No streaming replica answers at the configured address");
        replica.timingsMs.clear();
        replica.stats = {};
        replica.speedup = {};
        replica.check = ResultCheck::Failed;
        s.runs << replica;

        StrategyRun part = replica;
        part.strategyId = QStringLiteral("p9-partition");
        part.strategyTitle = QStringLiteral("Partitioning");
        part.outcome = RunOutcome::Cancelled;
        part.error = QStringLiteral("Cancelled by the user while building partitions");
        s.runs << part;
        return s;
    }

    QString render(const SessionResult &s, const QString &name, ReportLayout *layout = nullptr,
        QPageSize::PageSizeId size = QPageSize::A4)
    {
        ReportOptions options;
        options.pageSize = size;
        ReportRenderer renderer(buildReportContent(s, infos()), options);
        renderer.prepareCharts();
        const QString path = m_dir.filePath(name);
        auto written = renderer.writePdf(path);
        if (!written) {
            qWarning("%s", qPrintable(written.error().toString()));
            return {};
        }
        if (layout)
            *layout = written.value();
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        for (const char *tool : { "pdftotext", "pdfinfo", "pdffonts", "pdftoppm" })
            if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
                QSKIP("poppler-utils are not installed");
        std::thread([this] { m_rec = record(); }).join();
        QVERIFY2(m_rec.error.isEmpty(), qPrintable(m_rec.error));
        QVERIFY(m_rec.baselinePlan.startsWith('['));
        QVERIFY(!m_rec.serverVersion.isEmpty());
        QVERIFY(m_dir.isValid());
    }

    // Issue #10: the report follows the one winner rule (present/ranking.h): an interval that includes 1 is no
    // clear difference, a strategy whose interval lies below 1 is marked slower (orange, not the red of wrong
    // rows), the write cost shows a difference only beyond the probes' spread, and a busy machine is said.
    void theReportRanksHonestly()
    {
        SessionResult s = session();
        StrategyRun &p4 = s.runs[1];
        p4.speedup = SpeedUp { true, 1.35, 0.93, 2.15 };
        p4.footprint.writeMs = 2.3;
        p4.footprint.writeLowMs = 2.1;
        p4.footprint.writeHighMs = 2.6;
        p4.footprint.baselineWriteMs = 2.2;
        p4.footprint.baselineWriteLowMs = 2.0;
        p4.footprint.baselineWriteHighMs = 2.4;
        p4.footprint.writeSamples = 7;
        StrategyRun &p5 = s.runs[2];
        p5.speedup = SpeedUp { true, 0.5, 0.45, 0.55 };
        s.runs[0].footprint.writeMs = s.runs[0].footprint.baselineWriteMs = 2.2;
        s.runs[0].footprint.writeLowMs = s.runs[0].footprint.baselineWriteLowMs = 2.0;
        s.runs[0].footprint.writeHighMs = s.runs[0].footprint.baselineWriteHighMs = 2.4;
        s.info.machineAtStart.valid = true;
        s.info.machineAtStart.load1 = 5.5;
        s.info.machineAtStart.load5 = 4.0;
        s.info.machineAtStart.load15 = 3.0;
        s.info.machineAtStart.cpuCount = 2;
        s.info.machineAtStart.memTotalKb = 24 * 1024 * 1024;
        s.info.machineAtStart.memAvailableKb = 12 * 1024 * 1024;

        const ReportContent c = buildReportContent(s, infos());
        const ReportWorkloadSummary &sum = c.summaries.first();
        QVERIFY(sum.winnerId.isEmpty());
        QVERIFY2(sum.verdict.startsWith(QStringLiteral("There is no clear winner")), qPrintable(sum.verdict));
        QVERIFY(sum.verdict.contains(QStringLiteral("1.35x")));
        QMap<QString, ReportTable::Row> rows;
        for (const ReportTable::Row &row : sum.ranking.rows)
            rows.insert(row.cells.at(1), row);
        QCOMPARE(rows.value(QStringLiteral("p4-indexes")).mark, ReportMark::None);
        QCOMPARE(rows.value(QStringLiteral("p5-prejoin")).mark, ReportMark::Slower);
        QCOMPARE(rows.value(QStringLiteral("x-rum")).mark, ReportMark::Wrong);
        QCOMPARE(rows.value(QStringLiteral("p4-indexes")).cells.at(10), QStringLiteral("no measurable difference"));
        QCOMPARE(rows.value(QStringLiteral("baseline")).cells.at(10), QStringLiteral("none (creates nothing)"));
        QVERIFY(std::any_of(sum.notes.cbegin(), sum.notes.cend(),
            [](const QString &n) { return n.contains(QStringLiteral("p5-prejoin is SLOWER")); }));
        QVERIFY2(c.machineWarning.contains(QStringLiteral("busy")), qPrintable(c.machineWarning));
        QVERIFY(c.machineFacts.first().value.contains(QStringLiteral("load 5.50 / 4.00 / 3.00")));
        for (const ReportStrategySection &sec : c.sections)
            if (sec.strategyId == QLatin1String("p5-prejoin"))
                QCOMPARE(sec.mark, ReportMark::Slower);

        const QString pdf = render(s, QStringLiteral("honest.pdf"));
        QVERIFY(!pdf.isEmpty());
        const QString text = pdfText(pdf).simplified();
        QVERIFY(text.contains(QStringLiteral("There is no clear winner")));
        QVERIFY(text.contains(QStringLiteral("SLOWER")));
        QVERIFY(text.contains(QStringLiteral("no measurable difference")));
        QVERIFY(text.contains(QStringLiteral("The machine was busy")));

        // The baseline page empty: no winner, even for a clearly faster strategy.
        SessionResult empty = session();
        for (StrategyRun &r : empty.runs) {
            r.rowsReturned = 0;
            r.pageKeys.clear();
        }
        const ReportContent e = buildReportContent(empty, infos());
        QVERIFY(e.summaries.first().winnerId.isEmpty());
        QVERIFY2(e.summaries.first().verdict.contains(QStringLiteral("empty page proves nothing")),
            qPrintable(e.summaries.first().verdict));
    }

    void wrongStrategyIsNeverTheWinner()
    {
        const ReportContent c = buildReportContent(session(), infos());
        QCOMPARE(c.summaries.size(), 1);
        const ReportWorkloadSummary &s = c.summaries.first();
        // x-rum is the fastest of all but returned different rows.
        QCOMPARE(s.winnerId, QStringLiteral("p4-indexes"));
        QCOMPARE(s.ranking.rows.first().cells.at(1), QStringLiteral("p4-indexes"));
        QCOMPARE(s.ranking.rows.first().cells.at(0), QStringLiteral("1"));
        QCOMPARE(s.ranking.rows.first().mark, ReportMark::Winner);
        QVERIFY(s.verdict.startsWith(QStringLiteral("p4-indexes")));
        for (const ReportTable::Row &row : s.ranking.rows) {
            if (row.cells.at(1) == QLatin1String("x-rum")) {
                QCOMPARE(row.mark, ReportMark::Wrong);
                QCOMPARE(row.cells.at(0), QStringLiteral("-"));
                QVERIFY2(
                    row.cells.contains(QStringLiteral("DIFFERENT rows")), qPrintable(row.cells.join(QLatin1Char('|'))));
            }
        }
        // Correct strategies are ranked 1, 2, 3 by median; wrong and unfinished ones come after, unranked.
        QStringList order;
        for (const ReportTable::Row &row : s.ranking.rows)
            order << row.cells.at(1) + QLatin1Char('=') + row.cells.at(0);
        QCOMPARE(order.join(QLatin1Char(' ')),
            QStringLiteral("p4-indexes=1 p5-prejoin=2 baseline=3 x-rum=- p7-replica=- p9-partition=-"));
        QVERIFY(std::any_of(s.notes.cbegin(), s.notes.cend(),
            [](const QString &n) { return n.contains(QStringLiteral("x-rum returned DIFFERENT rows")); }));

        // With every correct strategy failing, nothing is the winner, not even the wrong one.
        SessionResult onlyWrong = session();
        onlyWrong.runs.removeAt(2);
        onlyWrong.runs.removeAt(1);
        onlyWrong.runs[0].outcome = RunOutcome::Failed;
        onlyWrong.runs[0].stats = {};
        const ReportContent none = buildReportContent(onlyWrong, infos());
        QVERIFY(none.summaries.first().winnerId.isEmpty());
        QVERIFY(none.summaries.first().verdict.startsWith(QStringLiteral("There is no winner")));
    }

    void contentDescribesTheSession()
    {
        const ReportContent c = buildReportContent(session(), infos());
        QCOMPARE(c.sections.size(), 6);
        QVERIFY(c.headerText.contains(QStringLiteral("Session 42")));
        QVERIFY(c.questionSql.contains(QStringLiteral("UNION ALL")));
        QCOMPARE(c.questionParams.size(), 2);
        const auto version = std::find_if(c.titleFacts.cbegin(), c.titleFacts.cend(),
            [](const ReportFact &f) { return f.label == QLatin1String("PostgreSQL version"); });
        QVERIFY(version != c.titleFacts.cend());
        QCOMPARE(version->value, m_rec.serverVersion);
        // Real plans: a tree with exclusive times, the top nodes, and a comparison with the baseline's plan.
        const ReportStrategySection &p4 = c.sections.at(1);
        QVERIFY2(p4.plan.available, qPrintable(p4.plan.note));
        QVERIFY(!p4.plan.tree.isEmpty());
        QVERIFY(p4.plan.topNodes.rows.size() <= 10);
        QVERIFY(!p4.plan.topNodes.rows.isEmpty());
        QVERIFY(!p4.plan.diffSummary.isEmpty());
        QVERIFY(c.sections.at(0).plan.diffSummary.isEmpty()); // the baseline is not compared with itself
        // Failed and cancelled runs say so, and why.
        QCOMPARE(c.sections.at(4).mark, ReportMark::Failed);
        QVERIFY(c.sections.at(4).verdict.contains(QStringLiteral("failed: No streaming replica")));
        QVERIFY(c.sections.at(5).verdict.contains(QStringLiteral("was cancelled")));
        QVERIFY(!c.sections.at(5).plan.available);
        // Only the settings that change plans or speed are listed: DateStyle, ports and the like are not.
        int relevant = 0;
        for (const auto &kv : m_rec.settings)
            relevant += settingChangesPlansOrSpeed(kv.first) ? 1 : 0;
        QCOMPARE(c.settings.rows.size(), relevant);
        QVERIFY(settingChangesPlansOrSpeed(QStringLiteral("random_page_cost")));
        QVERIFY(settingChangesPlansOrSpeed(QStringLiteral("max_parallel_workers_per_gather")));
        QVERIFY(settingChangesPlansOrSpeed(QStringLiteral("jit")));
        QVERIFY(!settingChangesPlansOrSpeed(QStringLiteral("DateStyle")));
        QVERIFY(!settingChangesPlansOrSpeed(QStringLiteral("port")));
        QVERIFY(!settingChangesPlansOrSpeed(QStringLiteral("lc_messages")));
        for (const ReportTable::Row &row : c.settings.rows)
            QVERIFY2(settingChangesPlansOrSpeed(row.cells.first()), qPrintable(row.cells.first()));

        // The first page recommends the winner, with its trade-offs beside the other candidates and the baseline,
        // and what each takes to run.
        QVERIFY2(c.recommendation.headline.startsWith(QStringLiteral("Adopt p4-indexes")),
            qPrintable(c.recommendation.headline));
        QStringList tradeOffIds;
        for (const ReportTable::Row &row : c.recommendation.tradeOffs.rows)
            tradeOffIds << row.cells.first();
        QCOMPARE(tradeOffIds.first(), QStringLiteral("p4-indexes"));
        QCOMPARE(tradeOffIds.last(), QStringLiteral("baseline"));
        QVERIFY(!tradeOffIds.contains(QStringLiteral("x-rum"))); // wrong rows are never a candidate
        QCOMPARE(c.recommendation.operations.size(), tradeOffIds.size());
        // The SQL is printed once: the question is the baseline's, which its section prints.
        int printed = 0;
        for (const ReportStrategySection &sec : c.sections)
            printed += sec.sql == c.questionSql ? 1 : 0;
        QCOMPARE(printed, 1);
        // The charts draw their rows in the ranking's order.
        QCOMPARE(c.summaries.first().rankedIds.first(), QStringLiteral("p4-indexes"));
    }

    // A session of many workloads (deep-page makes three, multi-all three): the workloads are told apart, the first
    // page keeps one line per workload out of its table, and later workloads of a strategy do not repeat its
    // description, SQL, plan tree and footprint on pages of their own.
    void manyWorkloadsStayReadable()
    {
        SessionResult s = session();
        s.runs = { s.runs.at(0), s.runs.at(1) }; // baseline, p4-indexes
        const QList<StrategyRun> first = s.runs;
        for (int page : { 10, 100, 1000 })
            for (int k : { 0, 1 }) {
                StrategyRun r = first.at(k);
                r.workload.name = QStringLiteral("deep-page");
                r.workload.page = page;
                r.speedup = computeSpeedUp(first.at(0).timingsMs, timings(k == 0 ? 412.5 : 3.84 * page / 10, 20, 2));
                s.runs << r;
            }
        const ReportContent c = buildReportContent(s, infos());
        QCOMPARE(c.summaries.size(), 4);
        QStringList labels;
        for (const ReportWorkloadSummary &w : c.summaries)
            labels << w.workloadName;
        QCOMPARE(labels,
            QStringList({ QStringLiteral("canonical"), QStringLiteral("deep-page (page 10)"),
                QStringLiteral("deep-page (page 100)"), QStringLiteral("deep-page (page 1000)") }));
        QCOMPARE(c.questionWorkloads.size(), 4);
        QVERIFY2(c.questionWorkloads.at(2).startsWith(QStringLiteral("deep-page (page 100): ")),
            qPrintable(c.questionWorkloads.at(2)));
        QVERIFY(!c.question.contains(QStringLiteral("preset")));

        // The trade-offs: p4's speed-up from its lowest to its highest, each with its workload, in three lines.
        const auto p4 = std::find_if(c.recommendation.tradeOffs.rows.cbegin(), c.recommendation.tradeOffs.rows.cend(),
            [](const ReportTable::Row &r) { return r.cells.first() == QLatin1String("p4-indexes"); });
        QVERIFY(p4 != c.recommendation.tradeOffs.rows.cend());
        const QStringList speed = p4->cells.at(1).split(QLatin1Char('\n'));
        QCOMPARE(speed.size(), 3);
        QVERIFY2(speed.at(0).endsWith(QStringLiteral(" on deep-page (page 1000)")), qPrintable(speed.at(0)));
        QVERIFY2(speed.at(1).startsWith(QStringLiteral("to ")), qPrintable(speed.at(1)));
        QCOMPARE(speed.at(2), QStringLiteral("over 4 workloads"));

        // One full section per strategy, on its first workload; the others compact, pointing at it.
        int full = 0;
        for (const ReportStrategySection &sec : c.sections) {
            if (!sec.compact) {
                ++full;
                QVERIFY(sec.plan.tree.size() > 0);
                continue;
            }
            QVERIFY(sec.plan.tree.isEmpty());
            QVERIFY2(sec.fullSection.startsWith(sec.strategyId + QLatin1Char(':')), qPrintable(sec.fullSection));
            QVERIFY(sec.plan.executionMs >= 0 || !sec.plan.available);
        }
        QCOMPARE(full, 2);
        QCOMPARE(c.sections.size(), 8);
        // With three workloads or fewer, every section is full.
        SessionResult three = s;
        three.runs.erase(std::remove_if(three.runs.begin(), three.runs.end(),
                             [](const StrategyRun &r) { return r.workload.page == 1000; }),
            three.runs.end());
        for (const ReportStrategySection &sec : buildReportContent(three, infos()).sections)
            QVERIFY(!sec.compact);

        // In the PDF, a compact section follows the previous one on its page, instead of opening a page.
        ReportLayout layout;
        const QString pdf = render(s, QStringLiteral("many.pdf"), &layout);
        QVERIFY(!pdf.isEmpty());
        int shared = 0;
        for (int i = 1; i < layout.parts.size(); ++i)
            shared += layout.parts[i].firstPage == layout.parts[i - 1].firstPage ? 1 : 0;
        QVERIFY2(shared >= 2, qPrintable(QString::number(shared)));
        QVERIFY(pdfText(pdf).contains(QStringLiteral("deep-page (page 100)")));
    }

    // Issue #15, "The verdict": the first page answers the review, one row per proposal (and PlanSight's own
    // strategies) with what it expected and what was measured, met or missed with the numbers, or why not; the
    // scale is said; other rows are never met. With every strategy of the catalog it stays on the first page.
    void firstPageAnswersTheReview()
    {
        SessionResult s = session();
        const QList<double> base = s.runs.first().timingsMs;
        int seed = 10;
        for (const QString &id : { QStringLiteral("p1-matview"), QStringLiteral("p2-redis"),
                 QStringLiteral("p2-redis-miss"), QStringLiteral("p3-tag-array"), QStringLiteral("p6-cursor"),
                 QStringLiteral("p8-tag-counts"), QStringLiteral("p9-partition-hash"), QStringLiteral("p10-search"),
                 QStringLiteral("x-topn"), QStringLiteral("x-unified"), QStringLiteral("x-unified-fixed") }) {
            const double medianMs = id == QLatin1String("p3-tag-array") ? 2400 : 2.5 + seed;
            ++seed;
            s.runs << makeRun(id, id, medianMs, seed, base);
        }
        // p3 is slower than the review said: missed, with its numbers.
        const ReportContent c = buildReportContent(s, infos());
        const ReportTable &t = c.review.table;
        QCOMPARE(t.columns.last(), QStringLiteral("Verdict"));
        QCOMPARE(t.rows.size(), 11 + 4); // P1-P10 (P9 twice), then x-rum, x-topn, x-unified, x-unified-fixed
        auto rowOf = [&](const QString &id) -> const ReportTable::Row * {
            for (const ReportTable::Row &r : t.rows)
                if (r.cells.first().endsWith(QLatin1Char('\n') + id) || r.cells.first() == id)
                    return &r;
            return nullptr;
        };
        QVERIFY(rowOf(QStringLiteral("p3-tag-array")));
        QCOMPARE(rowOf(QStringLiteral("p3-tag-array"))->cells.last(),
            QStringLiteral("missed (%1 measured against 0.5-1.5 s expected, at scale 0.01)")
                .arg(formatMs(s.runs.at(9).stats.p50Ms)));
        QCOMPARE(s.runs.at(9).strategyId, QStringLiteral("p3-tag-array"));
        QVERIFY(rowOf(QStringLiteral("p5-prejoin"))->cells.last().startsWith(QStringLiteral("met (")));
        QVERIFY(rowOf(QStringLiteral("p5-prejoin"))->cells.last().contains(QStringLiteral("at scale 0.01")));
        // x-rum is the fastest of all, with other rows: never met, and marked wrong.
        QCOMPARE(
            rowOf(QStringLiteral("x-rum"))->cells.last(), QStringLiteral("not in the review; returned different rows"));
        QCOMPARE(rowOf(QStringLiteral("x-rum"))->mark, ReportMark::Wrong);
        QCOMPARE(rowOf(QStringLiteral("p7-replica"))->cells.last(),
            QStringLiteral("no time expected (the review said skip: premature at this scale); not measured (failed)"));
        QCOMPARE(rowOf(QStringLiteral("p9-partition"))->cells.last(), QStringLiteral("not measured (cancelled)"));
        QCOMPARE(rowOf(QStringLiteral("p6-cursor"))->cells.last(),
            QStringLiteral("not measured (no deep-cursor workload from page 2 on in this session; it ran canonical)"));
        QVERIFY(c.review.caveat.contains(QStringLiteral("scale 0.01")));

        ReportLayout layout;
        const QString pdf = render(s, QStringLiteral("review.pdf"), &layout);
        QVERIFY(!pdf.isEmpty());
        if (const QString keep = qEnvironmentVariable("PLANSIGHT_REVIEW_SAMPLE"); !keep.isEmpty()) {
            QFile::remove(keep);
            QVERIFY(QFile::copy(pdf, keep));
        }
        const QString first = pdfText(pdf, 1);
        QVERIFY2(
            first.contains(QStringLiteral("The review's expectations against the measurements")), qPrintable(first));
        for (const QString &words : { QStringLiteral("P1 Materialized views"), QStringLiteral("P10 Search engine"),
                 QStringLiteral("p9-partition-hash"), QStringLiteral("x-unified-fixed"), QStringLiteral("0.5-1.5 s"),
                 QStringLiteral("under 100 ms"), QStringLiteral("1-2 s from page 2"), QStringLiteral("missed ("),
                 QStringLiteral("met ("), QStringLiteral("not measured (cancelled)"),
                 QStringLiteral("not in the review") })
            QVERIFY2(first.contains(words), qPrintable(words));
    }

    // A cache's hits can win; the recommendation then says what a miss costs (its miss row), because the hit ratio
    // decides what the cache brings.
    void aCacheWinnerSaysWhatAMissCosts()
    {
        SessionResult s = session();
        const StrategyRun base = s.runs.at(0);
        StrategyRun hit
            = makeRun(QStringLiteral("p2-redis"), QStringLiteral("Redis cache (hit)"), 0.02, 7, base.timingsMs);
        StrategyRun miss
            = makeRun(QStringLiteral("p2-redis-miss"), QStringLiteral("Redis cache (miss)"), 420.0, 8, base.timingsMs);
        s.runs = { base, hit, miss };
        QList<StrategyInfo> withCache = infos();
        StrategyInfo h;
        h.id = hit.strategyId;
        h.title = hit.strategyTitle;
        h.mayBeStale = true;
        h.missStrategy = miss.strategyId;
        withCache << h;
        const ReportContent c = buildReportContent(s, withCache);
        QVERIFY2(c.recommendation.headline.startsWith(QStringLiteral("Adopt p2-redis")),
            qPrintable(c.recommendation.headline));
        QVERIFY2(c.recommendation.headline.contains(
                     QStringLiteral("a miss took %1 (p2-redis-miss, median)").arg(formatMs(miss.stats.p50Ms))),
            qPrintable(c.recommendation.headline));
        // Without its miss row, it says none was measured.
        s.runs.removeLast();
        QVERIFY(
            buildReportContent(s, withCache).recommendation.headline.contains(QStringLiteral("no miss was measured")));
        // The catalog's p2-redis names its miss row.
        QCOMPARE(strategyById(QStringLiteral("p2-redis"))->info().missStrategy, QStringLiteral("p2-redis-miss"));
    }

    void everyCatalogStrategySaysWhatItTakesToRun()
    {
        for (const auto &strategy : allStrategies())
            QVERIFY2(!strategy->info().operations.trimmed().isEmpty(), qPrintable(strategy->info().id));
    }

    void smallDemoScaleGetsACaveat()
    {
        SessionResult s = session();
        s.info.isDemo = true;
        s.info.dataset.insert(QStringLiteral("scale"), 0.01);
        QVERIFY(buildReportContent(s, infos()).recommendation.scaleCaveat.contains(QStringLiteral("scale 0.01")));
        s.info.dataset.insert(QStringLiteral("scale"), 1.0);
        QVERIFY(buildReportContent(s, infos()).recommendation.scaleCaveat.isEmpty());
    }

    void pdfSaysWhatTheTableSays()
    {
        const SessionResult s = session();
        ReportLayout layout;
        const QString pdf = render(s, QStringLiteral("report.pdf"), &layout);
        QVERIFY(!pdf.isEmpty());
        // PLANSIGHT_REPORT_SAMPLE=FILE keeps a copy to look at (docs/report-sample comes from a real session instead:
        // packaging/report-sample.sh).
        if (const QString keep = qEnvironmentVariable("PLANSIGHT_REPORT_SAMPLE"); !keep.isEmpty()) {
            QFile::remove(keep);
            QVERIFY(QFile::copy(pdf, keep));
        }
        const QString text = pdfText(pdf);
        QVERIFY(!text.isEmpty());
        for (const StrategyRun &r : s.runs)
            QVERIFY2(text.contains(r.strategyId), qPrintable(r.strategyId));
        QVERIFY2(text.contains(m_rec.serverVersion.simplified()), qPrintable(m_rec.serverVersion));

        // The baseline's and the winner's medians, exactly as the ranking table prints them, on the summary page.
        const ReportContent c = buildReportContent(s, infos());
        const ReportLayout::Part &summary = layout.parts.at(1);
        QCOMPARE(summary.heading, QStringLiteral("Summary"));
        const QString summaryText = pdfText(pdf, summary.firstPage);
        for (const ReportTable::Row &row : c.summaries.first().ranking.rows) {
            if (row.cells.at(1) != QLatin1String("baseline") && row.cells.at(1) != QLatin1String("p4-indexes"))
                continue;
            const QString median = row.cells.at(2);
            QVERIFY(median.endsWith(QStringLiteral(" ms")));
            QVERIFY2(summaryText.contains(median), qPrintable(median));
        }
        QCOMPARE(formatMs(s.runs.at(0).stats.p50Ms), c.summaries.first().ranking.rows.at(2).cells.at(2));
        QVERIFY(summaryText.contains(QStringLiteral("DIFFERENT")));
        QVERIFY(summaryText.contains(QStringLiteral("x-rum returned DIFFERENT rows")));
        QVERIFY(summaryText.contains(QStringLiteral("p7-replica failed")));
        QVERIFY(summaryText.contains(QStringLiteral("p9-partition was cancelled")));
    }

    // Issue #12: the appendix prints, for each strategy with objects, the DDL and the rollback PlanSight runs on a
    // server that is not the demo, and the locks they take, read from the statement kinds (docs/production.md).
    void appendixHasEachStrategysDdlRollbackAndLocks()
    {
        const ReportContent c = buildReportContent(session(), infos());
        QStringList ids;
        for (const ReportDdl &d : c.ddl)
            ids << d.strategyId;
        QCOMPARE(ids.join(QLatin1Char(',')), QStringLiteral("p4-indexes,x-rum,p7-replica,p9-partition"));
        const ReportDdl &p4 = c.ddl.first();
        QCOMPARE(p4.applySql,
            strategyById(QStringLiteral("p4-indexes"))->plannedDdl(ApplyContext::forTarget(false))->script());
        QVERIFY(p4.applySql.contains(QLatin1String("CREATE INDEX CONCURRENTLY IF NOT EXISTS ps_p4_indexes_auto")));
        QVERIFY(p4.revertSql.contains(QLatin1String("DROP INDEX IF EXISTS public.ps_p4_indexes_auto;")));
        QVERIFY2(
            p4.applyLocks.contains(QStringLiteral("CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE on "
                                                  "public.content_tags, reads and writes continue, for the build")),
            qPrintable(p4.applyLocks.join(QLatin1Char('\n'))));
        QVERIFY2(p4.revertLocks.contains(QStringLiteral("DROP INDEX: ACCESS EXCLUSIVE on the table of "
                                                        "public.ps_p4_indexes_auto, blocks reads and writes (brief)")),
            qPrintable(p4.revertLocks.join(QLatin1Char('\n'))));
        // p3: the column and its fill, then the triggers; its own objects are not listed as locks.
        const auto p3 = reportDdl(*strategyById(QStringLiteral("p3-tag-array")));
        QVERIFY(p3);
        const QString p3Locks = p3->applyLocks.join(QLatin1Char('\n'));
        QVERIFY2(p3Locks.contains(QLatin1String("ALTER TABLE ADD COLUMN: ACCESS EXCLUSIVE on public.content_items")),
            qPrintable(p3Locks));
        QVERIFY(p3Locks.contains(QLatin1String("UPDATE: ROW EXCLUSIVE on public.content_items")));
        QVERIFY(p3Locks.contains(QLatin1String("CREATE TRIGGER: SHARE ROW EXCLUSIVE on public.content_tags")));
        QVERIFY(p3Locks.contains(QLatin1String("CREATE INDEX: SHARE on public.content_items, blocks writes")));
        const auto topn = reportDdl(*strategyById(QStringLiteral("x-topn")));
        QVERIFY(!topn->applyLocks.join(QLatin1Char('\n')).contains(QLatin1String("ps_x_topn_content_tags")));
        QVERIFY(!reportDdl(*strategyById(QStringLiteral("baseline"))));

        // In the PDF: after the summary, in the appendix.
        ReportLayout layout;
        const QString pdf = render(session(), QStringLiteral("ddl.pdf"), &layout);
        const QString text = pdfText(pdf);
        const qsizetype at = text.indexOf(QLatin1String("Changing production"));
        QVERIFY(at > text.indexOf(QLatin1String("Appendix")));
        QVERIFY(text.indexOf(QLatin1String("CREATE INDEX CONCURRENTLY IF NOT EXISTS ps_p4_indexes_auto")) > at);
        QVERIFY(text.indexOf(QLatin1String("SHARE UPDATE EXCLUSIVE on public.content_tags")) > at);
    }

    void pagesMatchTheSections()
    {
        ReportLayout layout;
        const QString pdf = render(session(), QStringLiteral("pages.pdf"), &layout);
        QVERIFY(!pdf.isEmpty());
        QCOMPARE(pdfPages(pdf), layout.pages);
        // Title, summary, six strategy sections, appendix; each part starts on its own page, in order.
        QCOMPARE(layout.parts.size(), 1 + 1 + 6 + 1);
        QCOMPARE(layout.parts.first().firstPage, 1);
        QCOMPARE(layout.parts.last().heading, QStringLiteral("Appendix"));
        for (int i = 1; i < layout.parts.size(); ++i) {
            QVERIFY(layout.parts[i].firstPage > layout.parts[i - 1].firstPage);
            const QString page = pdfText(pdf, layout.parts[i].firstPage);
            QVERIFY2(page.contains(layout.parts[i].heading), qPrintable(layout.parts[i].heading));
            QVERIFY(page.contains(QStringLiteral("Page %1 of %2").arg(layout.parts[i].firstPage).arg(layout.pages)));
            QVERIFY(page.contains(QStringLiteral("Session 42")));
        }
        QVERIFY(layout.parts.last().firstPage <= layout.pages);
    }

    void fontsAreEmbedded()
    {
        const QString pdf = render(session(), QStringLiteral("fonts.pdf"));
        const Tool fonts = run(QStringLiteral("pdffonts"), { pdf });
        QCOMPARE(fonts.exitCode, 0);
        const QStringList lines = fonts.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).mid(2); // header and rule
        QVERIFY(!lines.isEmpty());
        const QRegularExpression row(QStringLiteral("\\s(yes|no)\\s+(yes|no)\\s+(yes|no)\\s+\\d+\\s+\\d+\\s*$"));
        for (const QString &line : lines) {
            const auto m = row.match(line);
            QVERIFY2(m.hasMatch(), qPrintable(line));
            QVERIFY2(m.captured(1) == QLatin1String("yes"), qPrintable(QStringLiteral("not embedded: ") + line));
        }
    }

    void everyPageRendersWithContent()
    {
        ReportLayout layout;
        const QString pdf = render(session(), QStringLiteral("pixels.pdf"), &layout);
        QTemporaryDir out;
        const Tool ppm = run(QStringLiteral("pdftoppm"),
            { QStringLiteral("-r"), QStringLiteral("30"), QStringLiteral("-gray"), QStringLiteral("-png"), pdf,
                out.filePath(QStringLiteral("page")) });
        QCOMPARE(ppm.exitCode, 0);
        const QStringList pngs = QDir(out.path()).entryList({ QStringLiteral("page*.png") }, QDir::Files, QDir::Name);
        QCOMPARE(int(pngs.size()), layout.pages);
        for (const QString &png : pngs) {
            QImage img(out.filePath(png));
            QVERIFY2(!img.isNull(), qPrintable(png));
            // Below the header band and above the footer something is printed: no empty pages.
            int ink = 0;
            for (int y = img.height() / 10; y < img.height() * 9 / 10; ++y)
                for (int x = 0; x < img.width(); ++x)
                    ink += qGray(img.pixel(x, y)) < 160;
            QVERIFY2(ink > 50, qPrintable(png));
        }
    }

    void letterSize()
    {
        const QString pdf = render(session(), QStringLiteral("letter.pdf"), nullptr, QPageSize::Letter);
        QVERIFY(run(QStringLiteral("pdfinfo"), { pdf }).out.contains(QStringLiteral("612 x 792 pts (letter)")));
        const QString a4 = render(session(), QStringLiteral("a4.pdf"));
        QVERIFY(run(QStringLiteral("pdfinfo"), { a4 }).out.contains(QStringLiteral("(A4)")));
        QVERIFY(reportPageSizeFromString(QStringLiteral("Letter")).ok());
        QCOMPARE(reportPageSizeFromString(QStringLiteral("a5")).error().code, errc::Input);
    }

    void sessionWithOnlyFailuresStillGivesACompleteReport()
    {
        SessionResult s = session();
        for (StrategyRun &r : s.runs) {
            if (r.strategyId == QLatin1String("baseline") || r.strategyId == QLatin1String("p7-replica")
                || r.strategyId == QLatin1String("p9-partition"))
                continue;
            r.outcome = RunOutcome::Cancelled;
            r.error = QStringLiteral("Cancelled by the user");
            r.stats = {};
            r.timingsMs.clear();
            r.planJson.clear();
        }
        s.info.settings.clear();
        ReportLayout layout;
        const QString pdf = render(s, QStringLiteral("failures.pdf"), &layout);
        QVERIFY(!pdf.isEmpty());
        QCOMPARE(pdfPages(pdf), layout.pages);
        QCOMPARE(layout.parts.size(), 9);
        const QString text = pdfText(pdf);
        QVERIFY2(text.contains(QStringLiteral("The baseline is fastest")), qPrintable(text.left(3000)));
        QVERIFY(text.contains(QStringLiteral("p4-indexes was cancelled: Cancelled by the user")));
        QVERIFY(text.contains(QStringLiteral("No plan: the run did not finish.")));
        QVERIFY(text.contains(QStringLiteral("The server's settings were not recorded.")));
    }

    void badPathAndCancelLeaveNoFile()
    {
        ReportRenderer renderer(buildReportContent(session(), infos()));
        auto bad = renderer.writePdf(m_dir.filePath(QStringLiteral("missing-dir/report.pdf")));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, errc::Io);

        CancelToken token;
        token.cancel();
        const QString path = m_dir.filePath(QStringLiteral("cancelled.pdf"));
        auto cancelled = renderer.writePdf(path, &token);
        QVERIFY(!cancelled.ok());
        QVERIFY(cancelled.error().isCancel());
        QVERIFY(!QFile::exists(path));
    }

    void cliWritesTheReportOfAHistorySession()
    {
        const QString history = m_dir.filePath(QStringLiteral("history.sqlite"));
        qint64 id = -1;
        {
            auto store = HistoryStore::open(history);
            QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
            const SessionResult s = session();
            auto began = store->beginSession(s.info);
            QVERIFY(began.ok());
            id = began.value();
            for (const StrategyRun &r : s.runs)
                QVERIFY(store->addRun(id, r).ok());
            QVERIFY(store->finishSession(id).ok());
        }
        const QString pdf = m_dir.filePath(QStringLiteral("cli.pdf"));
        const Tool ok = run(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("report"), QStringLiteral("--session"), QString::number(id), QStringLiteral("--pdf"), pdf,
                QStringLiteral("--page-size"), QStringLiteral("letter"), QStringLiteral("--history"), history });
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
        QVERIFY(run(QStringLiteral("pdfinfo"), { pdf }).out.contains(QStringLiteral("(letter)")));
        const QString text = pdfText(pdf);
        for (const QString &sid : { QStringLiteral("baseline"), QStringLiteral("p4-indexes"), QStringLiteral("x-rum"),
                 QStringLiteral("p9-partition") })
            QVERIFY2(text.contains(sid), qPrintable(sid));

        // The same from a session exported as JSON.
        const QString json = m_dir.filePath(QStringLiteral("session.json"));
        {
            QFile f(json);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(toJson(session(), true)).toJson());
        }
        const QString fromJson = m_dir.filePath(QStringLiteral("from-json.pdf"));
        const Tool viaJson = run(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("report"), QStringLiteral("--from-json"), json, QStringLiteral("--pdf"), fromJson });
        QVERIFY2(viaJson.exitCode == 0, qPrintable(viaJson.err));
        const QString jsonText = pdfText(fromJson);
        QVERIFY(jsonText.contains(QStringLiteral("x-rum returned DIFFERENT rows")));
        QVERIFY(jsonText.contains(m_rec.serverVersion.simplified()));

        // Bad input: one sentence and a non-zero exit, never a crash.
        const Tool unknown = run(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("report"), QStringLiteral("--session"), QStringLiteral("9999"), QStringLiteral("--pdf"),
                pdf, QStringLiteral("--history"), history });
        QVERIFY(unknown.exitCode != 0 && unknown.exitCode != -1);
        // (Qt may print its own notes first, e.g. about XDG_RUNTIME_DIR.)
        QVERIFY2(unknown.err.contains(
                     QRegularExpression(QStringLiteral("^plansight: \\S"), QRegularExpression::MultilineOption)),
            qPrintable(unknown.err));
        const Tool size = run(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("report"), QStringLiteral("--session"), QString::number(id), QStringLiteral("--pdf"), pdf,
                QStringLiteral("--page-size"), QStringLiteral("a5"), QStringLiteral("--history"), history });
        QCOMPARE(size.exitCode, 2);
        QVERIFY(size.err.contains(QStringLiteral("a4 or letter")));
        const Tool missing
            = run(QStringLiteral(PLANSIGHT_BINARY), { QStringLiteral("report"), QStringLiteral("--pdf"), pdf });
        QCOMPARE(missing.exitCode, 2);
    }
};

QTEST_MAIN(TestReport)
#include "tst_report.moc"
