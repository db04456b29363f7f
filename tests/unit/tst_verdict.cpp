// The verdict against a review (present/verdict.h) and the expectations file it reads (present/expectations.h):
// docs/gallery.md, "The verdict".

#include "present/expectations.h"
#include "present/sessionjson.h"
#include "present/verdict.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;

namespace {

Workload workload(const char *name, int page = 1)
{
    Workload w;
    w.name = QString::fromLatin1(name);
    w.tagIds = { demo::AnimeTagId };
    w.page = page;
    return w;
}

StrategyRun run(const QString &id, double p50, const Workload &w, ResultCheck check = ResultCheck::Same,
    double ratio = 2, double low = 1.5, double high = 2.5)
{
    StrategyRun r;
    r.strategyId = id;
    r.strategyTitle = id;
    r.workload = w;
    r.outcome = RunOutcome::Ok;
    r.timingsMs = { p50, p50 };
    r.stats = TimingStats { 2, p50, p50, p50, p50, p50, p50 };
    r.check = check;
    r.rowsReturned = 2;
    r.pageKeys = { QStringLiteral("regular:1"), QStringLiteral("auto:2") };
    r.speedup = { true, ratio, low, high };
    r.footprint.bytes = 8192;
    return r;
}

// A session on the demo at `scale` (0: not the demo) with the baseline on the canonical workload.
SessionResult session(double scale, const QList<StrategyRun> &runs)
{
    SessionResult s;
    s.info.isDemo = scale > 0;
    if (scale > 0)
        s.info.dataset.insert(QStringLiteral("scale"), scale);
    s.runs << run(QStringLiteral("baseline"), 10000, workload("canonical"), ResultCheck::Same, 1, 1, 1);
    s.runs << runs;
    return s;
}

QStringList strings(std::initializer_list<const char *> l)
{
    QStringList out;
    for (const char *s : l)
        out << QString::fromLatin1(s);
    return out;
}

const VerdictRow *rowOf(const SessionVerdict &v, const QString &id)
{
    for (const VerdictRow &r : v.rows)
        if (r.strategyId == id)
            return &r;
    return nullptr;
}

// A valid file with one proposal; `proposal` replaces members of it.
QByteArray file(const QJsonObject &proposal = {}, const QJsonObject &root = {})
{
    QJsonObject p { { QStringLiteral("id"), QStringLiteral("P5") },
        { QStringLiteral("title"), QStringLiteral("Pre-join") },
        { QStringLiteral("strategies"), QJsonArray { QStringLiteral("p5-prejoin") } },
        { QStringLiteral("expected"),
            QJsonObject { { QStringLiteral("text"), QStringLiteral("2-4 s") }, { QStringLiteral("low_ms"), 2000 },
                { QStringLiteral("high_ms"), 4000 } } },
        { QStringLiteral("confidence"), QStringLiteral("medium") },
        { QStringLiteral("complexity"), QStringLiteral("medium") },
        { QStringLiteral("recommendation"), QStringLiteral("now") },
        { QStringLiteral("reason"), QStringLiteral("soon") } };
    for (auto it = proposal.begin(); it != proposal.end(); ++it)
        p.insert(it.key(), it.value());
    QJsonObject o { { QStringLiteral("format"), QStringLiteral("plansight-expectations") },
        { QStringLiteral("format_version"), 1 }, { QStringLiteral("review"), QStringLiteral("a review") },
        { QStringLiteral("proposals"), QJsonArray { p } } };
    for (auto it = root.begin(); it != root.end(); ++it)
        o.insert(it.key(), it.value());
    return QJsonDocument(o).toJson();
}

} // namespace

class TestVerdict : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The built-in file: compiled in, valid, and saying what docs/gallery.md says.
    void builtinReview()
    {
        const ReviewExpectations &e = builtinExpectations();
        QCOMPARE(e.proposals.size(), 10);
        QCOMPARE(e.defaultWorkload, QStringLiteral("canonical"));
        QStringList ids;
        for (const ReviewProposal &p : e.proposals)
            ids << p.id;
        QCOMPARE(ids, strings({ "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10" }));
        const ReviewProposal *p2 = e.forStrategy(QStringLiteral("p2-redis"));
        QVERIFY(p2);
        QCOMPARE(p2->id, QStringLiteral("P2"));
        QCOMPARE(p2->missStrategy, QStringLiteral("p2-redis-miss"));
        QCOMPARE(p2->expectedLowMs, 0.0);
        QCOMPARE(p2->expectedHighMs, 100.0);
        QCOMPARE(p2->recommendation, QStringLiteral("now"));
        QCOMPARE(e.forStrategy(QStringLiteral("p2-redis-miss")), p2);
        const ReviewProposal *p9 = e.forStrategy(QStringLiteral("p9-partition-hash"));
        QVERIFY(p9);
        QCOMPARE(p9->strategies, strings({ "p9-partition", "p9-partition-hash" }));
        QCOMPARE(p9->expectedLowMs, 3000.0);
        QCOMPARE(p9->complexity, QStringLiteral("very high"));
        const ReviewProposal *p6 = e.forStrategy(QStringLiteral("p6-cursor"));
        QCOMPARE(p6->fromPage, 2);
        QCOMPARE(p6->workload, QStringLiteral("deep-cursor"));
        for (const QString &skip : strings({ "p1-matview", "p4-indexes", "p7-replica", "p8-tag-counts" })) {
            const ReviewProposal *p = e.forStrategy(skip);
            QVERIFY2(p, qPrintable(skip));
            QVERIFY(!p->hasExpectedTime);
            QCOMPARE(p->recommendation, QStringLiteral("skip"));
            QVERIFY(!p->reason.isEmpty());
        }
        QVERIFY(!e.forStrategy(QStringLiteral("x-topn")));
    }

    void loadsAFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("other.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(file({}, { { QStringLiteral("workload"), QStringLiteral("multi-tag") } }));
        f.close();
        auto e = loadExpectationsFile(path);
        QVERIFY2(e.ok(), qPrintable(e.ok() ? QString() : e.error().message));
        QCOMPARE(e->review, QStringLiteral("a review"));
        QCOMPARE(e->proposals.size(), 1);
        QCOMPARE(e->proposals.first().workload, QStringLiteral("multi-tag"));
        QCOMPARE(e->proposals.first().expectedText, QStringLiteral("2-4 s"));

        auto missing = loadExpectationsFile(dir.filePath(QStringLiteral("nope.json")));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, errc::Io);
        QVERIFY(missing.error().message.contains(QStringLiteral("nope.json")));
    }

    void rejectsBadFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("says");
        QTest::newRow("not json") << QByteArray("{\"format\": ") << QStringLiteral("is not JSON");
        QTest::newRow("other format") << file({}, { { QStringLiteral("format"), QStringLiteral("plansight-session") } })
                                      << QStringLiteral("is not a PlanSight expectations file");
        QTest::newRow("version 2") << file({}, { { QStringLiteral("format_version"), 2 } })
                                   << QStringLiteral("has format version 2");
        QTest::newRow("no proposals") << file({}, { { QStringLiteral("proposals"), QJsonArray {} } })
                                      << QStringLiteral("proposals is missing or not a non-empty array");
        QTest::newRow("no id") << file({ { QStringLiteral("id"), QJsonValue() } })
                               << QStringLiteral("proposals[0].id is missing");
        QTest::newRow("no strategies") << file({ { QStringLiteral("strategies"), QJsonArray {} } })
                                       << QStringLiteral("proposals[0].strategies is missing");
        QTest::newRow("range reversed") << file({ { QStringLiteral("expected"),
            QJsonObject { { QStringLiteral("text"), QStringLiteral("4-2 s") }, { QStringLiteral("low_ms"), 4000 },
                { QStringLiteral("high_ms"), 2000 } } } })
                                        << QStringLiteral("proposals[0].expected.high_ms is below low_ms");
        QTest::newRow("range not a number")
            << file({ { QStringLiteral("expected"),
                   QJsonObject { { QStringLiteral("text"), QStringLiteral("fast") },
                       { QStringLiteral("low_ms"), QStringLiteral("0") }, { QStringLiteral("high_ms"), 2000 } } } })
            << QStringLiteral("proposals[0].expected.low_ms is missing or not a number");
        QTest::newRow("bad recommendation") << file({ { QStringLiteral("recommendation"), QStringLiteral("maybe") } })
                                            << QStringLiteral("not one of now, soon, later, skip");
        QTest::newRow("skip without reason") << file({ { QStringLiteral("recommendation"), QStringLiteral("skip") },
            { QStringLiteral("reason"), QJsonValue() } })
                                             << QStringLiteral("proposals[0].reason is missing");
        QTest::newRow("no time, not skipped")
            << file({ { QStringLiteral("expected"), QJsonValue() } }) << QStringLiteral("needs its expected time");
        QTest::newRow("bad page") << file({ { QStringLiteral("expected"),
            QJsonObject { { QStringLiteral("text"), QStringLiteral("1-2 s") }, { QStringLiteral("low_ms"), 1000 },
                { QStringLiteral("high_ms"), 2000 }, { QStringLiteral("from_page"), 0 } } } })
                                  << QStringLiteral("from_page is not a page number");
    }
    void rejectsBadFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, says);
        auto e = expectationsFromJson(json, QStringLiteral("review.json"));
        QVERIFY(!e.ok());
        QCOMPARE(e.error().code, errc::Input);
        QVERIFY2(e.error().message.contains(says), qPrintable(e.error().message));
        QVERIFY2(e.error().message.contains(QStringLiteral("review.json")), qPrintable(e.error().message));
        QVERIFY(e.error().message.endsWith(QLatin1Char('.')));
    }

    void rejectsAStrategyOfTwoProposals()
    {
        QJsonObject o = QJsonDocument::fromJson(file()).object();
        QJsonArray proposals = o.value(QStringLiteral("proposals")).toArray();
        QJsonObject second = proposals.first().toObject();
        second.insert(QStringLiteral("id"), QStringLiteral("P6"));
        proposals.append(second);
        o.insert(QStringLiteral("proposals"), proposals);
        auto e = expectationsFromJson(QJsonDocument(o).toJson(), QStringLiteral("x.json"));
        QVERIFY(!e.ok());
        QVERIFY2(e.error().message.contains(QStringLiteral("p5-prejoin, which another proposal names too")),
            qPrintable(e.error().message));
    }

    void ranges()
    {
        QCOMPARE(formatExpectedRange(2000, 4000), QStringLiteral("2-4 s"));
        QCOMPARE(formatExpectedRange(500, 1500), QStringLiteral("0.5-1.5 s"));
        QCOMPARE(formatExpectedRange(0, 100), QStringLiteral("under 100 ms"));
        QCOMPARE(formatExpectedRange(0, 200), QStringLiteral("under 200 ms"));
        QCOMPARE(formatExpectedRange(10, 50), QStringLiteral("10-50 ms"));
    }

    void metAtProductionScale()
    {
        // Not the demo: no scale to caveat.
        const SessionVerdict v
            = buildVerdict(session(0, { run(QStringLiteral("p5-prejoin"), 3100, workload("canonical")) }));
        const VerdictRow *r = rowOf(v, QStringLiteral("p5-prejoin"));
        QVERIFY(r);
        QCOMPARE(r->proposal, QStringLiteral("P5"));
        QCOMPARE(toString(r->status), toString(VerdictStatus::Met));
        QCOMPARE(r->line, QStringLiteral("met (3.10 s measured against 2-4 s expected)"));
        QCOMPARE(r->p50Ms, 3100.0);
        QVERIFY(v.caveat.isEmpty());
    }

    void fasterThanTheRangeIsMet()
    {
        const SessionVerdict v
            = buildVerdict(session(0, { run(QStringLiteral("p5-prejoin"), 40, workload("canonical")) }));
        QCOMPARE(toString(rowOf(v, QStringLiteral("p5-prejoin"))->status), toString(VerdictStatus::Met));
    }

    void missedWithNumbers()
    {
        const SessionVerdict v
            = buildVerdict(session(0, { run(QStringLiteral("p5-prejoin"), 12200, workload("canonical")) }));
        const VerdictRow *r = rowOf(v, QStringLiteral("p5-prejoin"));
        QCOMPARE(toString(r->status), toString(VerdictStatus::Missed));
        QCOMPARE(r->line, QStringLiteral("missed (12.2 s measured against 2-4 s expected)"));
    }

    void scaleCaveat()
    {
        const SessionVerdict v = buildVerdict(session(0.1,
            { run(QStringLiteral("p3-tag-array"), 412.3, workload("canonical")),
                run(QStringLiteral("p5-prejoin"), 12200, workload("canonical")) }));
        QCOMPARE(rowOf(v, QStringLiteral("p3-tag-array"))->line,
            QStringLiteral("met (412.3 ms measured against 0.5-1.5 s expected, at scale 0.1)"));
        QCOMPARE(rowOf(v, QStringLiteral("p5-prejoin"))->line,
            QStringLiteral("missed (12.2 s measured against 2-4 s expected, at scale 0.1)"));
        QVERIFY2(v.caveat.contains(QStringLiteral("scale 0.1")), qPrintable(v.caveat));
        QVERIFY(v.caveat.contains(QStringLiteral("production")));
        QCOMPARE(v.scale, 0.1);
    }

    void busyMachineIsSaid()
    {
        SessionResult s = session(0, { run(QStringLiteral("p5-prejoin"), 3000, workload("canonical")) });
        s.info.machineAtEnd.valid = true;
        s.info.machineAtEnd.otherCpuShare = 0.9;
        const SessionVerdict v = buildVerdict(s);
        QCOMPARE(rowOf(v, QStringLiteral("p5-prejoin"))->line,
            QStringLiteral("met (3.00 s measured against 2-4 s expected, on a busy machine)"));
        QVERIFY(v.caveat.contains(QStringLiteral("busy")));
    }

    void differentRowsAreNeverMet()
    {
        // Well inside the range, but with other rows than the baseline's.
        const SessionVerdict v = buildVerdict(session(0.1,
            { run(QStringLiteral("p5-prejoin"), 3000, workload("canonical"), ResultCheck::Different),
                run(QStringLiteral("p1-matview"), 3000, workload("canonical"), ResultCheck::Stale) }));
        const VerdictRow *r = rowOf(v, QStringLiteral("p5-prejoin"));
        QCOMPARE(toString(r->status), toString(VerdictStatus::NotComparable));
        QVERIFY2(!r->line.startsWith(QStringLiteral("met")), qPrintable(r->line));
        QCOMPARE(r->line,
            QStringLiteral("not comparable (returned different rows; 3.00 s measured against 2-4 s expected)"));
        const VerdictRow *m = rowOf(v, QStringLiteral("p1-matview"));
        QCOMPARE(toString(m->status), toString(VerdictStatus::NoExpectedTime));
        QCOMPARE(m->line,
            QStringLiteral("no time expected (the review said skip: caching is more flexible); served stale rows"));
        // Every check but "same" keeps a row from being met.
        for (ResultCheck c :
            { ResultCheck::Stale, ResultCheck::NotChecked, ResultCheck::Failed, ResultCheck::BothEmpty }) {
            const SessionVerdict x
                = buildVerdict(session(0, { run(QStringLiteral("p5-prejoin"), 3000, workload("canonical"), c) }));
            QCOMPARE(toString(rowOf(x, QStringLiteral("p5-prejoin"))->status), toString(VerdictStatus::NotComparable));
        }
    }

    void notMeasuredSaysWhy()
    {
        StrategyRun failed = run(QStringLiteral("p3-tag-array"), 0, workload("canonical"));
        failed.outcome = RunOutcome::Failed;
        failed.stats = {};
        failed.timingsMs.clear();
        failed.error = QStringLiteral("The build ran out of disk.");
        const SessionVerdict v = buildVerdict(session(0.1,
            { failed, run(QStringLiteral("p5-prejoin"), 100, workload("multi-tag")),
                run(QStringLiteral("p6-cursor"), 100, workload("canonical")) }));
        QCOMPARE(rowOf(v, QStringLiteral("p3-tag-array"))->line, QStringLiteral("not measured (failed)"));
        QCOMPARE(toString(rowOf(v, QStringLiteral("p3-tag-array"))->status), toString(VerdictStatus::NotMeasured));
        QCOMPARE(rowOf(v, QStringLiteral("p10-search"))->line, QStringLiteral("not measured (not in this session)"));
        QCOMPARE(rowOf(v, QStringLiteral("p5-prejoin"))->line,
            QStringLiteral("not measured (no canonical workload in this session; it ran multi-tag)"));
        // It says which workload it has a time for.
        QCOMPARE(rowOf(v, QStringLiteral("p5-prejoin"))->workloadName, QStringLiteral("multi-tag"));
        QCOMPARE(rowOf(v, QStringLiteral("p6-cursor"))->line,
            QStringLiteral("not measured (no deep-cursor workload from page 2 on in this session; it ran canonical)"));
        for (const VerdictRow &r : v.rows)
            QVERIFY2(r.status != VerdictStatus::Met, qPrintable(r.strategyId));
    }

    void cursorFromPageTwoAndCacheMisses()
    {
        const SessionVerdict v = buildVerdict(session(0,
            { run(QStringLiteral("p6-cursor"), 1500, workload("deep-cursor", 100)),
                run(QStringLiteral("p6-cursor"), 900, workload("deep-cursor", 10)),
                run(QStringLiteral("p2-redis"), 0.6, workload("canonical")),
                run(QStringLiteral("p2-redis-miss"), 3100, workload("canonical")) }));
        const VerdictRow *c = rowOf(v, QStringLiteral("p6-cursor"));
        QCOMPARE(c->line, QStringLiteral("met (900.0 ms measured against 1-2 s expected, on deep-cursor (page 10))"));
        const VerdictRow *r = rowOf(v, QStringLiteral("p2-redis"));
        QCOMPARE(r->line,
            QStringLiteral("met (0.600 ms measured against under 100 ms expected, cache hits; a miss took 3.10 s)"));
        QCOMPARE(r->missP50Ms, 3100.0);
        // The miss row belongs to P2: it is not one of PlanSight's own.
        QVERIFY(!rowOf(v, QStringLiteral("p2-redis-miss")));
    }

    void rowsInOrderWithPlanSightsOwn()
    {
        const SessionVerdict v = buildVerdict(session(0.1,
            { run(QStringLiteral("x-topn"), 1, workload("canonical"), ResultCheck::Same, 500, 400, 600),
                run(QStringLiteral("p4-indexes"), 500, workload("canonical")) }));
        QStringList ids;
        for (const VerdictRow &r : v.rows)
            ids << r.strategyId;
        QCOMPARE(ids,
            strings({ "p1-matview", "p2-redis", "p3-tag-array", "p4-indexes", "p5-prejoin", "p6-cursor", "p7-replica",
                "p8-tag-counts", "p9-partition", "p9-partition-hash", "p10-search", "x-topn" }));
        const VerdictRow *x = rowOf(v, QStringLiteral("x-topn"));
        QCOMPARE(toString(x->status), toString(VerdictStatus::NotInReview));
        QVERIFY(x->proposal.isEmpty());
        // The ranking's winner, by present/ranking.h.
        QVERIFY(x->winner);
        QVERIFY(!rowOf(v, QStringLiteral("p4-indexes"))->winner);
        QCOMPARE(rowOf(v, QStringLiteral("p4-indexes"))->line,
            QStringLiteral("no time expected (the review said skip: unlikely to reach the target alone)"));
    }

    void anotherReview()
    {
        auto e = expectationsFromJson(file(), QStringLiteral("x.json"));
        QVERIFY(e.ok());
        const SessionVerdict v
            = buildVerdict(session(0, { run(QStringLiteral("p4-indexes"), 5000, workload("canonical")) }), e.value());
        QCOMPARE(v.review, QStringLiteral("a review"));
        QCOMPARE(v.rows.size(), 2); // its P5, then p4-indexes as a strategy it did not propose
        QCOMPARE(v.rows.at(0).line, QStringLiteral("not measured (not in this session)"));
        QCOMPARE(v.rows.at(1).strategyId, QStringLiteral("p4-indexes"));
        QCOMPARE(toString(v.rows.at(1).status), toString(VerdictStatus::NotInReview));
    }

    // An experiment answers no review (docs/experiments.md): without proposals there is no row, not even for the
    // strategies the session ran.
    void noReviewNoRows()
    {
        const SessionVerdict v = buildVerdict(
            session(0.1, { run(QStringLiteral("x-topn"), 1, workload("canonical"), ResultCheck::Same, 500, 400, 600) }),
            ReviewExpectations {});
        QVERIFY(v.rows.isEmpty());
    }

    void sessionJsonHasTheVerdict()
    {
        const SessionResult s = session(0.1,
            { run(QStringLiteral("p5-prejoin"), 12200, workload("canonical")),
                run(QStringLiteral("p3-tag-array"), 300, workload("canonical"), ResultCheck::Different) });
        const QJsonObject doc = QJsonDocument::fromJson(QJsonDocument(toJson(s)).toJson()).object();
        QCOMPARE(doc.value(QStringLiteral("format_version")).toInt(), 1);
        const QJsonArray verdict = doc.value(QStringLiteral("verdict")).toArray();
        QCOMPARE(verdict.size(), 11);
        QJsonObject p5, p3;
        for (const QJsonValue &v : verdict) {
            if (v[QStringLiteral("strategy")] == QStringLiteral("p5-prejoin"))
                p5 = v.toObject();
            if (v[QStringLiteral("strategy")] == QStringLiteral("p3-tag-array"))
                p3 = v.toObject();
        }
        QCOMPARE(p5.value(QStringLiteral("proposal")).toString(), QStringLiteral("P5"));
        QCOMPARE(p5.value(QStringLiteral("status")).toString(), QStringLiteral("missed"));
        QCOMPARE(p5.value(QStringLiteral("line")).toString(),
            QStringLiteral("missed (12.2 s measured against 2-4 s expected, at scale 0.1)"));
        QCOMPARE(p5.value(QStringLiteral("p50_ms")).toDouble(), 12200.0);
        QCOMPARE(p5.value(QStringLiteral("expected")).toObject().value(QStringLiteral("high_ms")).toDouble(), 4000.0);
        QCOMPARE(p5.value(QStringLiteral("confidence")).toString(), QStringLiteral("medium"));
        QCOMPARE(p5.value(QStringLiteral("workload")).toString(), QStringLiteral("canonical"));
        QCOMPARE(p3.value(QStringLiteral("status")).toString(), QStringLiteral("not-comparable"));
        // A file with a verdict reads back (readers ignore it: it follows from the runs).
        auto back = sessionFromJson(doc);
        QVERIFY(back.ok());
        QCOMPARE(back->runs.size(), s.runs.size());
        // Another review's expectations make another verdict.
        auto other = expectationsFromJson(file(), QStringLiteral("x.json"));
        QVERIFY(other.ok());
        QCOMPARE(toJson(s, false, &other.value()).value(QStringLiteral("verdict")).toArray().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestVerdict)
#include "tst_verdict.moc"
