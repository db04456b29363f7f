#include "bench/machinestate.h"
#include "bench/measure.h"
#include "bench/runner.h"
#include "historysamples.h"
#include "present/ranking.h"
#include "present/sessionjson.h"
#include "present/words.h"
#include "session/results.h"
#include "session/runfields.h"
#include "strategies/footprint.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSet>
#include <QTest>

#include <functional>

using namespace plansight;

namespace {
QJsonObject throughText(const QJsonObject &o)
{
    // What a file on disk gives back: serialize to text and parse again.
    return QJsonDocument::fromJson(QJsonDocument(o).toJson(QJsonDocument::Indented)).object();
}

// A run of `id` on `w` whose speed-up against the baseline is ratio [low-high]; the baseline's page has rows.
StrategyRun rankedRun(const QString &id, double p50, double ratio, double low, double high, const Workload &w,
    ResultCheck check = ResultCheck::Same)
{
    StrategyRun r;
    r.strategyId = id;
    r.workload = w;
    r.outcome = RunOutcome::Ok;
    r.timingsMs = { p50, p50 };
    r.stats = TimingStats { 2, p50, p50, p50, p50, p50, p50 };
    r.check = check;
    r.rowsReturned = 2;
    r.pageKeys = { QStringLiteral("regular:1"), QStringLiteral("auto:2") };
    r.speedup = { true, ratio, low, high };
    return r;
}

SessionResult rankedSession(const QList<StrategyRun> &runs)
{
    SessionResult s;
    s.runs = runs;
    return s;
}

QStringList csvLines(const QString &csv)
{
    QStringList lines = csv.split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}
} // namespace

class TestResults : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void enumsRoundTripThroughText()
    {
        for (CacheState v : { CacheState::Warm, CacheState::Cold })
            QVERIFY(cacheStateFromString(toString(v)) == v);
        for (ResultCheck v : { ResultCheck::Same, ResultCheck::Different, ResultCheck::Stale, ResultCheck::NotChecked,
                 ResultCheck::Failed, ResultCheck::BothEmpty })
            QVERIFY(resultCheckFromString(toString(v)) == v);
        // Two empty pages prove nothing: a check of its own, in text and in words.
        QCOMPARE(toString(ResultCheck::BothEmpty), QStringLiteral("both-empty"));
        QCOMPARE(checkWords(ResultCheck::BothEmpty), QStringLiteral("both empty"));
        QVERIFY(isKnownResultCheck(QStringLiteral("both-empty")));
        for (RunOutcome v :
            { RunOutcome::Ok, RunOutcome::Failed, RunOutcome::Cancelled, RunOutcome::Skipped, RunOutcome::NotIsolated })
            QVERIFY(runOutcomeFromString(toString(v)) == v);
        QCOMPARE(toString(ResultCheck::NotChecked), QStringLiteral("not-checked"));
        QCOMPARE(toString(CacheState::Cold), QStringLiteral("cold"));
        QCOMPARE(toString(RunOutcome::NotIsolated), QStringLiteral("not-isolated"));
    }

    // Issue #10: comparing two empty pages proves nothing; it is not "same".
    void twoEmptyPagesAreBothEmptyNotSame()
    {
        QString detail;
        QCOMPARE(int(comparePages({}, {}, false, &detail)), int(ResultCheck::BothEmpty));
        QVERIFY2(detail.contains(QStringLiteral("empty")), qPrintable(detail));
        QCOMPARE(int(comparePages({}, {}, true, &detail)), int(ResultCheck::BothEmpty));
        QCOMPARE(int(comparePages({ QStringLiteral("auto:1") }, { QStringLiteral("auto:1") }, false, &detail)),
            int(ResultCheck::Same));
        QCOMPARE(int(comparePages({ QStringLiteral("auto:1") }, {}, false, &detail)), int(ResultCheck::Different));
    }

    void unknownEnumTextGivesTheSafeDefaultAndIsNotKnown()
    {
        QVERIFY(runOutcomeFromString(QStringLiteral("OK")) == RunOutcome::Failed);
        QVERIFY(resultCheckFromString(QStringLiteral("maybe")) == ResultCheck::NotChecked);
        QVERIFY(cacheStateFromString(QString()) == CacheState::Warm);
        QVERIFY(!isKnownRunOutcome(QStringLiteral("OK")));
        QVERIFY(!isKnownResultCheck(QStringLiteral("maybe")));
        QVERIFY(!isKnownCacheState(QStringLiteral("hot")));
        QVERIFY(isKnownResultCheck(QStringLiteral("stale")));
    }

    void winnerIsTheFastestCorrectRun()
    {
        const SessionResult s = test::sampleSession();
        const Ranking ranking = rankSession(s);
        QCOMPARE(ranking.workloads.size(), 2);
        const WorkloadRanking &canonical = ranking.workloads.at(0);
        QVERIFY(canonical.winner);
        // p3-tag-array (different) is faster, but not the same rows; p4's interval [2.25-2.75] lies above 1.
        QCOMPARE(canonical.winner->strategyId, QStringLiteral("p4-indexes"));
        QCOMPARE(int(canonical.verdict), int(RankVerdict::Winner));
        // deep-page has no baseline (x-topn alone): no winner there, so none for the session either.
        QCOMPARE(int(ranking.workloads.at(1).verdict), int(RankVerdict::NoBaseline));
        QCOMPARE(rankSession(s).winner, nullptr);
        // With the canonical workload alone the session's winner is p4.
        SessionResult one = s;
        one.runs.removeAt(3);
        QCOMPARE(rankSession(one).winner->strategyId, QStringLiteral("p4-indexes"));
    }

    void winnerIsNeverAFailedOrEmptyRun()
    {
        SessionResult s = test::sampleSession();
        s.runs.removeAt(3); // one workload
        StrategyRun fast = s.runs.at(1);
        fast.strategyId = QStringLiteral("fast-but-failed");
        fast.stats.p50Ms = 0.001;
        fast.outcome = RunOutcome::Failed;
        s.runs << fast;
        fast.strategyId = QStringLiteral("fast-but-not-isolated");
        fast.outcome = RunOutcome::NotIsolated;
        s.runs << fast;
        fast.strategyId = QStringLiteral("fast-but-unmeasured");
        fast.outcome = RunOutcome::Ok;
        fast.stats.count = 0;
        fast.timingsMs.clear();
        s.runs << fast;
        fast.strategyId = QStringLiteral("fast-but-empty");
        fast.stats.count = 4;
        fast.timingsMs = { 0.001 };
        fast.check = ResultCheck::BothEmpty;
        s.runs << fast;
        QCOMPARE(rankSession(s).winner->strategyId, QStringLiteral("p4-indexes"));
    }

    void noCorrectRunMeansNoWinner()
    {
        SessionResult s = test::sampleSession();
        for (StrategyRun &r : s.runs)
            if (r.check == ResultCheck::Same)
                r.check = ResultCheck::Different;
        QCOMPARE(rankSession(s).winner, nullptr);
        QCOMPARE(rankSession(SessionResult()).winner, nullptr);
        QVERIFY(toJson(s).value(QLatin1String("winner")).isNull());
    }

    // Issue #10: p4 at 1.35x [0.93-2.15] was named the winner. An interval that includes 1 is no clear
    // difference, and the JSON, the summaries and the tables all say so through the one rule.
    void anIntervalIncludingOneIsNoClearDifference()
    {
        const Workload w = test::sampleWorkload(QStringLiteral("canonical"));
        const SessionResult s = rankedSession({ rankedRun(QStringLiteral("baseline"), 10, 1, 1, 1, w),
            rankedRun(QStringLiteral("p4-indexes"), 7.4, 1.35, 0.93, 2.15, w),
            rankedRun(QStringLiteral("p5-prejoin"), 9, 1.1, 0.8, 1.4, w) });
        QCOMPARE(rankSession(s).winner, nullptr);
        const Ranking ranking = rankSession(s);
        QCOMPARE(int(ranking.workloads.first().verdict), int(RankVerdict::NoClearDifference));
        QCOMPARE(ranking.workloads.first().fastest->strategyId, QStringLiteral("p4-indexes"));
        QVERIFY2(ranking.sentence().startsWith(QStringLiteral("No clear difference")), qPrintable(ranking.sentence()));
        QVERIFY(ranking.sentence().contains(QStringLiteral("1.35x [0.93-2.15]")));
        const QJsonObject o = toJson(s);
        QVERIFY(o.value(QLatin1String("winner")).isNull());
        const QJsonObject entry = o.value(QLatin1String("winners")).toObject().value(w.key()).toObject();
        QVERIFY(entry.value(QLatin1String("winner")).isNull());
        QCOMPARE(entry.value(QLatin1String("verdict")).toString(), QStringLiteral("no-clear-difference"));

        // The same run with an interval above 1 wins.
        SessionResult clear = s;
        clear.runs[1].speedup = { true, 1.35, 1.2, 1.5 };
        QCOMPARE(rankSession(clear).winner->strategyId, QStringLiteral("p4-indexes"));
        QCOMPARE(toJson(clear).value(QLatin1String("winner")).toString(), QStringLiteral("p4-indexes"));
    }

    void theBaselineFastestMeansNoStrategyIsFaster()
    {
        const Workload w = test::sampleWorkload(QStringLiteral("canonical"));
        const SessionResult s = rankedSession({ rankedRun(QStringLiteral("baseline"), 10, 1, 1, 1, w),
            rankedRun(QStringLiteral("p4-indexes"), 20, 0.5, 0.45, 0.55, w) });
        QCOMPARE(rankSession(s).winner, nullptr);
        const Ranking ranking = rankSession(s);
        QCOMPARE(int(ranking.workloads.first().verdict), int(RankVerdict::BaselineFastest));
        QCOMPARE(ranking.sentence(), QStringLiteral("The baseline is fastest: no strategy is faster."));
        // p4 is clearly slower (its interval lies below 1); the baseline never is.
        QVERIFY(isClearlySlower(s.runs.at(1)));
        QVERIFY(!isClearlySlower(s.runs.at(0)));
        QVERIFY(!isClearlySlower(rankedRun(QStringLiteral("p5"), 11, 0.9, 0.8, 1.05, w)));
    }

    // Issue #10: two empty pages prove nothing; a workload whose baseline returned no rows has no winner.
    void anEmptyBaselinePageNamesNoWinner()
    {
        const Workload w = test::sampleWorkload(QStringLiteral("canonical"));
        SessionResult s = rankedSession({ rankedRun(QStringLiteral("baseline"), 10, 1, 1, 1, w),
            rankedRun(QStringLiteral("p4-indexes"), 1, 10, 9, 11, w) });
        for (StrategyRun &r : s.runs) {
            r.pageKeys.clear();
            r.rowsReturned = 0;
        }
        QCOMPARE(rankSession(s).winner, nullptr);
        QCOMPARE(int(rankSession(s).workloads.first().verdict), int(RankVerdict::EmptyBaseline));
        QVERIFY(toJson(s).value(QLatin1String("winner")).isNull());
    }

    void aSessionWinnerOnlyWhereItIsWellDefined()
    {
        const Workload a = test::sampleWorkload(QStringLiteral("canonical"));
        const Workload b = test::sampleWorkload(QStringLiteral("deep-page"), 100);
        QList<StrategyRun> runs { rankedRun(QStringLiteral("baseline"), 10, 1, 1, 1, a),
            rankedRun(QStringLiteral("p4-indexes"), 1, 10, 9, 11, a),
            rankedRun(QStringLiteral("baseline"), 50, 1, 1, 1, b),
            rankedRun(QStringLiteral("p4-indexes"), 5, 10, 9, 11, b) };
        QCOMPARE(rankSession(rankedSession(runs)).winner->strategyId, QStringLiteral("p4-indexes"));
        // Another strategy wins the second workload: each workload has its winner, the session none.
        runs << rankedRun(QStringLiteral("x-topn"), 0.5, 100, 90, 110, b);
        const SessionResult mixed = rankedSession(runs);
        QCOMPARE(rankSession(mixed).winner, nullptr);
        const QJsonObject winners = toJson(mixed).value(QLatin1String("winners")).toObject();
        QCOMPARE(
            winners.value(a.key()).toObject().value(QLatin1String("winner")).toString(), QStringLiteral("p4-indexes"));
        QCOMPARE(winners.value(b.key()).toObject().value(QLatin1String("winner")).toString(), QStringLiteral("x-topn"));
        QVERIFY(toJson(mixed).value(QLatin1String("winner")).isNull());
    }

    // Issue #10: the write cost was one noisy probe (+4.72 ms for the baseline against itself). A strategy
    // that creates nothing has no difference by construction; overlapping spreads are no measurable difference.
    void theWriteCostShowsADifferenceOnlyBeyondTheSpread()
    {
        Footprint f;
        QCOMPARE(int(writeCostVerdict(f)), int(WriteCostVerdict::NotMeasured));
        // p6 creates nothing: whatever the probes said, no difference.
        summarizeWriteCosts({ 2.0, 2.1, 6.5, 2.2, 1.9, 2.0, 2.05 }, { 4.4, 4.5, 4.6, 4.4, 4.5, 4.7, 4.45 }, f);
        QCOMPARE(f.writeSamples, 7);
        QCOMPARE(f.writeMs, 2.05);
        QCOMPARE(f.writeLowMs, 2.0);
        QCOMPARE(f.writeHighMs, 2.15);
        QCOMPARE(int(writeCostVerdict(f)), int(WriteCostVerdict::NoObjects));
        QCOMPARE(writeCostDifferenceMs(f), 0.0);
        f.objects = { QStringLiteral("index public.ps_p4") };
        QCOMPARE(int(writeCostVerdict(f)), int(WriteCostVerdict::Cheaper));
        // Overlapping spreads: no measurable difference, whatever the medians say.
        summarizeWriteCosts({ 2.0, 2.4, 2.1, 2.6 }, { 2.2, 2.3, 2.5, 2.0 }, f);
        QCOMPARE(int(writeCostVerdict(f)), int(WriteCostVerdict::NoMeasurableDifference));
        QCOMPARE(writeCostDifferenceMs(f), 0.0);
        summarizeWriteCosts({ 5.0, 5.2, 5.1 }, { 2.0, 2.1, 2.2 }, f);
        QCOMPARE(int(writeCostVerdict(f)), int(WriteCostVerdict::Costlier));
        QCOMPARE(writeCostDifferenceMs(f), 3.0);
        // The spread travels through JSON.
        StrategyRun r = rankedRun(QStringLiteral("p4-indexes"), 1, 1, 1, 1, test::sampleWorkload(QStringLiteral("x")));
        r.footprint = f;
        const QJsonObject fp = toJson(r).value(QLatin1String("footprint")).toObject();
        QCOMPARE(fp.value(QLatin1String("write_cost")).toString(), QStringLiteral("costlier"));
        QCOMPARE(fp.value(QLatin1String("write_spread")).toObject().value(QLatin1String("baseline_high_ms")).toDouble(),
            2.15);
    }

    void theMachineStateIsReadAndABusyMachineIsSaid()
    {
        MachineState m;
        parseMachineState("3.50 2.10 1.05 3/512 12345\n",
            "MemTotal:       24000000 kB\nMemFree: 1 kB\nMemAvailable:   18000000 kB\n", 2, m);
        QVERIFY(m.valid);
        QCOMPARE(m.load1, 3.5);
        QCOMPARE(m.load15, 1.05);
        QCOMPARE(m.memTotalKb, 24000000);
        QCOMPARE(m.memAvailableKb, 18000000);
        QVERIFY(m.busy());
        SessionInfo info;
        QVERIFY(info.busyWarning().isEmpty());
        info.machineAtStart = m;
        QVERIFY2(
            info.busyWarning().contains(QStringLiteral("busy")) && info.busyWarning().contains(QStringLiteral("3.50")),
            qPrintable(info.busyWarning()));
        m.load1 = 1.5;
        QVERIFY(!m.busy());
        const MachineState now = readMachineState();
        QVERIFY(now.valid);
        QVERIFY(now.cpuCount > 0);
        QVERIFY(now.memTotalKb > 0);
        // Both states travel through JSON.
        const SessionResult s = test::sampleSession();
        const QJsonObject session = toJson(s).value(QLatin1String("session")).toObject();
        QCOMPARE(session.value(QLatin1String("machine_start")).toObject().value(QLatin1String("cpu_count")).toInt(), 2);
        QCOMPARE(
            session.value(QLatin1String("machine_end")).toObject().value(QLatin1String("load_1")).toDouble(), 3.25);
        QVERIFY(session.value(QLatin1String("machine_busy")).toBool());
    }

    void theSessionsOwnWorkIsNotOtherWork()
    {
        // /proc/stat: user nice system idle iowait irq softirq steal guest guest_nice
        qint64 total = 0, busy = 0;
        QVERIFY(parseProcStat("cpu  100 20 30 800 50 0 0 0 7 0\ncpu0 50 10 15 400 25 0 0 0 0 0\n", total, busy));
        QCOMPARE(total, 1000);
        QCOMPARE(busy, 150);
        QVERIFY(!parseProcStat("intr 1 2 3\n", total, busy));
        // A command name with spaces and parentheses; utime stime cutime cstime = 11 + 12 + 13 + 14.
        ProcStat p;
        QVERIFY(parseProcPidStat("4242 (postgres: a (b)) S 17 4242 4242 0 -1 4194560 1 2 3 4 11 12 13 14 20 0 1", p));
        QCOMPARE(p.pid, 4242);
        QCOMPARE(p.ppid, 17);
        QCOMPARE(p.comm, QByteArray("postgres: a (b)"));
        QCOMPARE(p.ticks, 50);
        QVERIFY(!parseProcPidStat("garbage", p));

        // Two samples: the share is what the machine spent minus what the own trees spent.
        CpuSample a { true, 1000, 300, 100, 0 }, b { true, 2000, 1000, 700, 0 };
        QCOMPARE(otherCpuShare(a, b), 0.1); // (700 - 600) / 1000
        b.own = 100; // none of it own: 70 % other
        QCOMPARE(otherCpuShare(a, b), 0.7);
        b.postmasterPid = 99; // the server restarted: not comparable
        QCOMPARE(otherCpuShare(a, b), -1.0);
        QCOMPARE(otherCpuShare(CpuSample {}, b), -1.0);

        // On this machine: PlanSight's own busy loop counts as own, not as other work.
        const CpuSample before = readCpuSample(0);
        QVERIFY(before.valid);
        QElapsedTimer spin;
        spin.start();
        volatile quint64 x = 0;
        while (spin.elapsed() < 300)
            x = x + 1;
        const CpuSample after = readCpuSample(0);
        QVERIFY2(after.own - before.own > 0, "the busy loop's ticks were not counted as own");

        // The busy flag follows the share when it is known, the load average otherwise.
        MachineState m;
        parseMachineState("3.50 2.10 1.05 3/512 12345\n", "", 2, m);
        QVERIFY(m.busy()); // a load of 3.5 on 2 CPUs, nothing else known
        m.otherCpuShare = 0.05; // ... all of it the session's own parallel query
        QVERIFY(!m.busy());
        m.otherCpuShare = 0.6;
        QVERIFY(m.busy());
        SessionInfo info;
        info.machineAtEnd = m;
        QVERIFY2(info.busyWarning().contains(QStringLiteral("other processes used 60% of the 2 CPUs")),
            qPrintable(info.busyWarning()));
        QCOMPARE(machineStateFromJson(toJson(m)).otherCpuShare, 0.6);
        QVERIFY2(
            describeMachine(m).contains(QStringLiteral("other processes used 60%")), qPrintable(describeMachine(m)));
    }

    void sessionRoundTripsThroughJsonTextExactly()
    {
        const SessionResult s = test::sampleSession();
        auto back = sessionFromJson(throughText(toJson(s, true)));
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        const QString diff = test::diffSessions(s, back.value());
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
    }

    // Issue #11: the runner's warnings travel with the results; a file written before them has none.
    void warningsTravelThroughJsonAndOldFilesHaveNone()
    {
        SessionResult s = test::sampleSession();
        s.warnings = { QStringLiteral("p4-indexes was applied (left by an earlier session) ..."),
            QStringLiteral("The session is not recorded in the history: disk full.") };
        const QJsonObject o = toJson(s);
        QCOMPARE(o.value(QLatin1String("warnings")).toArray().size(), 2);
        auto back = sessionFromJson(throughText(o));
        QVERIFY(back.ok());
        QCOMPARE(back->warnings, s.warnings);
        QJsonObject old = o;
        old.remove(QStringLiteral("warnings"));
        auto before = sessionFromJson(old);
        QVERIFY(before.ok());
        QVERIFY(before->warnings.isEmpty());
    }

    void withoutPlansThePlanIsLeftOut()
    {
        const SessionResult s = test::sampleSession();
        const QJsonObject o = toJson(s, false);
        const QJsonObject first = o.value(QLatin1String("results")).toArray().at(0).toObject();
        QVERIFY(!first.contains(QLatin1String("plan")));
        auto back = sessionFromJson(o);
        QVERIFY(back.ok());
        QVERIFY(back->runs.at(0).planJson.isEmpty());
        QCOMPARE(back->runs.at(0).timingsMs, s.runs.at(0).timingsMs);
        // With plans, the text is the server's, byte for byte.
        const QJsonObject withPlan = toJson(s.runs.at(1), true);
        QCOMPARE(withPlan.value(QLatin1String("plan")).toString().toUtf8(), s.runs.at(1).planJson);
    }

    // The shape README.md documents ("JSON output"); other tools parse it.
    void jsonHasTheDocumentedShape()
    {
        const SessionResult s = test::sampleSession();
        const QJsonObject o = toJson(s);
        QCOMPARE(o.value(QLatin1String("format")).toString(), QStringLiteral("plansight-session"));
        QCOMPARE(o.value(QLatin1String("format_version")).toInt(), 1);
        // Two workloads with different verdicts: no session winner, and each workload's in "winners".
        QVERIFY(o.value(QLatin1String("winner")).isNull());
        QCOMPARE(o.value(QLatin1String("winners"))
                     .toObject()
                     .value(s.runs.at(0).workload.key())
                     .toObject()
                     .value(QLatin1String("winner"))
                     .toString(),
            QStringLiteral("p4-indexes"));
        const QJsonObject session = o.value(QLatin1String("session")).toObject();
        QCOMPARE(session.value(QLatin1String("id")).toInteger(), 42);
        QCOMPARE(session.value(QLatin1String("settings")).toArray().at(1).toObject().value(QLatin1String("name")),
            QJsonValue(QStringLiteral("random_page_cost")));
        const QJsonArray results = o.value(QLatin1String("results")).toArray();
        QCOMPARE(results.size(), s.runs.size());
        const QJsonObject r = results.at(1).toObject();
        QCOMPARE(r.value(QLatin1String("strategy")).toString(), QStringLiteral("p4-indexes"));
        QCOMPARE(r.value(QLatin1String("workload")).toObject().value(QLatin1String("name")).toString(),
            QStringLiteral("canonical"));
        QCOMPARE(r.value(QLatin1String("runs")).toInt(), 4);
        QCOMPARE(r.value(QLatin1String("p50_ms")).toDouble(), s.runs.at(1).stats.p50Ms);
        QCOMPARE(r.value(QLatin1String("p95_ms")).toDouble(), s.runs.at(1).stats.p95Ms);
        QCOMPARE(r.value(QLatin1String("result_check")).toString(), QStringLiteral("same"));
        QCOMPARE(r.value(QLatin1String("cache")).toString(), QStringLiteral("warm"));
        const QJsonObject sp = r.value(QLatin1String("speedup")).toObject();
        QCOMPARE(sp.value(QLatin1String("low")).toDouble(), 2.25);
        QCOMPARE(sp.value(QLatin1String("high")).toDouble(), 2.75);
        const QJsonObject fp = r.value(QLatin1String("footprint")).toObject();
        QCOMPARE(fp.value(QLatin1String("bytes")).toInteger(), 9007199254740991LL);
        QCOMPARE(fp.value(QLatin1String("build_ms")).toDouble(), 1234.5);
        QCOMPARE(fp.value(QLatin1String("refresh_ms")).toDouble(), 56.25);
        QCOMPARE(fp.value(QLatin1String("visible_ms")).toDouble(), 4.125);
        QCOMPARE(fp.value(QLatin1String("visible_ttl_only_ms")).toDouble(), 5003.5);
        QCOMPARE(results.at(2).toObject().value(QLatin1String("result_check")).toString(), QStringLiteral("different"));
        QCOMPARE(results.at(3).toObject().value(QLatin1String("result_check")).toString(), QStringLiteral("stale"));

        // Not measured is null, not -1; no speed-up is null.
        const QJsonObject cancelled = results.at(4).toObject();
        QCOMPARE(cancelled.value(QLatin1String("outcome")).toString(), QStringLiteral("cancelled"));
        QVERIFY(cancelled.value(QLatin1String("speedup")).isNull());
        QVERIFY(cancelled.value(QLatin1String("server_ms")).isNull());
        QVERIFY(cancelled.value(QLatin1String("footprint")).toObject().value(QLatin1String("bytes")).isNull());
        QVERIFY(cancelled.value(QLatin1String("finished_at")).isNull());
    }

    void malformedJsonIsAClearError_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not a session") << QByteArray(R"({"results": []})") << QStringLiteral("not a PlanSight session");
        QTest::newRow("future version") << QByteArray(R"({"format": "plansight-session", "format_version": 2})")
                                        << QStringLiteral("version 2");
        QTest::newRow("no results") << QByteArray(R"({"format": "plansight-session", "format_version": 1})")
                                    << QStringLiteral("results");
        QTest::newRow("p50 as text") << QByteArray(R"({"format": "plansight-session", "format_version": 1,
            "results": [{"strategy": "baseline", "p50_ms": "fast"}]})")
                                     << QStringLiteral("results[0].p50_ms is not a number");
        QTest::newRow("unknown check") << QByteArray(R"({"format": "plansight-session", "format_version": 1,
            "results": [{"strategy": "baseline", "result_check": "probably"}]})")
                                       << QStringLiteral("results[0].result_check has an unknown value");
        QTest::newRow("timing as text") << QByteArray(R"({"format": "plansight-session", "format_version": 1,
            "results": [{"strategy": "baseline", "timings_ms": [1, "2"]}]})")
                                        << QStringLiteral("timings_ms");
        QTest::newRow("no strategy") << QByteArray(R"({"format": "plansight-session", "format_version": 1,
            "results": [{"p50_ms": 1}]})")
                                     << QStringLiteral("results[0].strategy is missing");
        QTest::newRow("bad workload") << QByteArray(R"({"format": "plansight-session", "format_version": 1,
            "results": [{"strategy": "baseline", "workload": {"match": "some"}}]})")
                                      << QStringLiteral("results[0].workload");
        QTest::newRow("warning as a number") << QByteArray(R"({"format": "plansight-session", "format_version": 1,
            "warnings": ["fine", 2], "results": []})")
                                             << QStringLiteral("warnings is not an array of texts");
        QTest::newRow("warnings as text") << QByteArray(R"({"format": "plansight-session", "format_version": 1,
            "warnings": "one", "results": []})")
                                          << QStringLiteral("warnings is not an array of texts");
        QTest::newRow("bad date") << QByteArray(R"({"format": "plansight-session", "format_version": 1,
            "session": {"started_at": "yesterday"}, "results": []})")
                                  << QStringLiteral("session.started_at");
    }
    void malformedJsonIsAClearError()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
        QVERIFY2(doc.isObject(), qPrintable(pe.errorString()));
        auto r = sessionFromJson(doc.object());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY2(r.error().message.contains(mentions), qPrintable(r.error().message));
    }

    // ---- the declared run fields (session/runfields.h) ----

    void runFieldDeclarationsAreComplete()
    {
        QSet<QString> columns, keys;
        for (const RunField &f : runFields()) {
            QVERIFY2(f.column && *f.column && f.jsonKey && *f.jsonKey, qPrintable(f.member));
            QVERIFY2(
                !columns.contains(QLatin1String(f.column)), qPrintable(f.member + QStringLiteral(": column twice")));
            QVERIFY2(
                !keys.contains(QLatin1String(f.jsonKey)), qPrintable(f.member + QStringLiteral(": JSON key twice")));
            columns.insert(QLatin1String(f.column));
            keys.insert(QLatin1String(f.jsonKey));
            QVERIFY2(f.get && f.set, qPrintable(f.member));
            if (f.type == RunFieldType::Enum)
                QVERIFY2(f.values.contains(f.defaultText), qPrintable(f.member));
        }
        // The sample sets every field to a value of its own.
        const StrategyRun set = test::runWithEveryFieldSet(), defaults;
        for (const RunField &f : runFields())
            QVERIFY2(
                !(f.get(set) == f.get(defaults)), qPrintable(f.member + QStringLiteral(" is not set by the sample")));
    }

    void everyDeclaredRunFieldRoundTripsThroughJson()
    {
        const StrategyRun run = test::runWithEveryFieldSet();
        const QJsonObject o = throughText(toJson(run, true));
        for (const RunField &f : runFields()) {
            const QJsonValue v = o.value(QLatin1String(f.jsonKey));
            QVERIFY2(!v.isUndefined() && !v.isNull(),
                qPrintable(QStringLiteral("%1 is not written").arg(QLatin1String(f.jsonKey))));
        }
        auto back = runFromJson(o, QStringLiteral("results[0]"));
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
        for (const RunField &f : runFields())
            QVERIFY2(f.get(back.value()) == f.get(run), qPrintable(f.member + QStringLiteral(" does not come back")));
        QCOMPARE(test::diffRuns(back.value(), run), QString());
    }

    // Every key of a run in JSON is a declared field's or one of the parts mapped by hand (session/runfields.h):
    // a field mapped by hand beside the declaration is seen here.
    void everyJsonKeyOfARunIsDeclared()
    {
        QStringList keys = toJson(test::runWithEveryFieldSet(), true).keys();
        for (const RunField &f : runFields())
            keys.removeAll(QLatin1String(f.jsonKey));
        keys.sort();
        QCOMPARE(keys,
            QStringList({ QStringLiteral("footprint"), QStringLiteral("plan"), QStringLiteral("server_ms"),
                QStringLiteral("speedup"), QStringLiteral("timings_ms"), QStringLiteral("workload"),
                QStringLiteral("workload_key") }));
    }

    void aDeclaredFieldOfTheWrongTypeIsNamed()
    {
        QJsonObject o = toJson(test::runWithEveryFieldSet());
        for (const RunField &f : runFields()) {
            QJsonObject bad = o;
            const bool isText
                = f.type == RunFieldType::Text || f.type == RunFieldType::Enum || f.type == RunFieldType::Time;
            bad.insert(QLatin1String(f.jsonKey), isText ? QJsonValue(12) : QJsonValue(QStringLiteral("twelve")));
            auto r = runFromJson(bad, QStringLiteral("results[3]"));
            QVERIFY2(!r.ok(), qPrintable(f.member));
            QVERIFY2(r.error().message.contains(QStringLiteral("results[3].") + QLatin1String(f.jsonKey)),
                qPrintable(r.error().message));
        }
    }

    void theExplainFieldsAreReadFromThePlan()
    {
        // Every field declared with an EXPLAIN source gets its value from a plan that has it ...
        QJsonObject top { { QStringLiteral("Plan"),
            QJsonObject { { QStringLiteral("Node Type"), QStringLiteral("Limit") } } } };
        // Sets `value` at a path of keys ("JIT/Timing/Total"), making the objects on the way.
        std::function<QJsonObject(QJsonObject, QStringList, double)> put
            = [&put](QJsonObject o, QStringList path, double value) {
                  const QString key = path.takeFirst();
                  if (path.isEmpty())
                      o.insert(key, value);
                  else
                      o.insert(key, put(o.value(key).toObject(), path, value));
                  return o;
              };
        int i = 0;
        for (const RunField &f : runFields()) {
            if (f.explainKey.isEmpty())
                continue;
            ++i;
            top = put(top, f.explainKey.split(QLatin1Char('/')),
                f.explainKey.startsWith(QLatin1String("Plan/")) ? 40 + i : 40 + i + 0.5);
        }
        QVERIFY(i >= 3); // at least Execution Time, Planning Time and the JIT total
        StrategyRun run;
        run.planJson = QJsonDocument(QJsonArray { top }).toJson();
        QVERIFY(setFieldsFromExplain(run).ok());
        i = 0;
        for (const RunField &f : runFields()) {
            if (f.explainKey.isEmpty())
                continue;
            ++i;
            const RunFieldValue v = f.get(run);
            const double got = std::holds_alternative<double>(v) ? std::get<double>(v) : double(std::get<qint64>(v));
            QCOMPARE(got, f.explainKey.startsWith(QLatin1String("Plan/")) ? 40 + i : 40 + i + 0.5);
        }
        QCOMPARE(run.executionMs, top.value(QLatin1String("Execution Time")).toDouble());

        // ... and a plan without them leaves them not measured, except those whose absence says something (no
        // "JIT" entry: nothing was compiled, 0 ms); output that is not a plan changes nothing.
        StrategyRun bare;
        bare.planJson = "[{\"Plan\": {\"Node Type\": \"Result\"}}]";
        QVERIFY(setFieldsFromExplain(bare).ok());
        QCOMPARE(bare.jitMs, 0.0);
        QCOMPARE(test::diffRuns(bare,
                     [] {
                         StrategyRun r;
                         r.planJson = "[{\"Plan\": {\"Node Type\": \"Result\"}}]";
                         r.jitMs = 0;
                         return r;
                     }()),
            QString());
        StrategyRun notAPlan;
        notAPlan.planJson = "[{\"Execution Time\": 3.5}]";
        QVERIFY(!setFieldsFromExplain(notAPlan).ok());
        QCOMPARE(notAPlan.executionMs, -1.0);
        QCOMPARE(notAPlan.jitMs, -1.0);
    }

    // Issue #15: the JIT time beside the run is the EXPLAIN's JIT Timing Total (generation, inlining, optimization
    // and emission), in PostgreSQL 15's form and in 17's, where "Generation" became an object.
    void theJitTimeIsTheExplainsJitTotal()
    {
        StrategyRun pg15;
        pg15.planJson = R"([{"Plan": {"Node Type": "Limit"}, "Planning Time": 0.5,
            "JIT": {"Functions": 12, "Options": {"Inlining": true, "Optimization": true, "Expressions": true,
            "Deforming": true}, "Timing": {"Generation": 2.1, "Inlining": 310.5, "Optimization": 1200.25,
            "Emission": 480.0, "Total": 1992.85}}, "Execution Time": 5012.0}])";
        QVERIFY(setFieldsFromExplain(pg15).ok());
        QCOMPARE(pg15.jitMs, 1992.85);
        QCOMPARE(pg15.executionMs, 5012.0);
        StrategyRun pg17;
        pg17.planJson = R"([{"Plan": {"Node Type": "Limit"}, "JIT": {"Functions": 3, "Timing": {"Generation":
            {"Deform": 0.1, "Total": 0.4}, "Inlining": 0.0, "Optimization": 0.9, "Emission": 4.2, "Total": 5.5}},
            "Execution Time": 9.0}])";
        QVERIFY(setFieldsFromExplain(pg17).ok());
        QCOMPARE(pg17.jitMs, 5.5);
    }

    // Issue #15: the server's time is planning + execution, both read from a real EXPLAIN (PostgreSQL 15's own
    // JSON), and is never the execution alone.
    void theServerTimeIsPlanningPlusExecution()
    {
        QFile f(QStringLiteral(PLANSIGHT_TEST_DATA "/plans/pg15_gallery_baseline.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        StrategyRun run;
        run.planJson = f.readAll();
        QVERIFY(setFieldsFromExplain(run).ok());
        QCOMPARE(run.planningMs, 1.372);
        QCOMPARE(run.executionMs, 68.715);
        QCOMPARE(run.serverMs(), 1.372 + 68.715);
        QCOMPARE(formatServerTime(run), QStringLiteral("70.09 ms"));
        QCOMPARE(serverTimeWords(run),
            QStringLiteral("70.09 ms (planning %1 + execution %2)").arg(formatMs(1.372), formatMs(68.715)));
        auto times = explainTimes(run.planJson);
        QVERIFY(times.ok());
        QCOMPARE(times->planningMs, 1.372);
        QCOMPARE(times->executionMs, 68.715);

        // x-topn's all-match for 20 tags at scale 1: 152 ms planning, 1.09 ms executing, 151.5 ms at the client.
        StrategyRun topn = test::sampleRun(
            QStringLiteral("x-topn"), 151.5, ResultCheck::Same, test::sampleWorkload(QStringLiteral("multi-all")));
        topn.stats.p50Ms = 151.5;
        topn.planningMs = 152;
        topn.executionMs = 1.09;
        QCOMPARE(formatServerTime(topn), QStringLiteral("153.1 ms"));
        QCOMPARE(formatPlanningShare(topn), QStringLiteral("152.0 ms (100.3%)"));
        const QJsonObject json = throughText(toJson(topn));
        QCOMPARE(json.value(QLatin1String("server_ms")).toDouble(), 152 + 1.09);
        QCOMPARE(json.value(QLatin1String("execution_ms")).toDouble(), 1.09);
        QCOMPARE(json.value(QLatin1String("planning_ms")).toDouble(), 152.0);

        // Without its planning time the server's time is unknown: "-" and null, not the execution time.
        topn.planningMs = -1;
        QCOMPARE(topn.serverMs(), -1.0);
        QCOMPARE(formatServerTime(topn), QStringLiteral("-"));
        QCOMPARE(formatPlanningShare(topn), QStringLiteral("-"));
        QCOMPARE(serverTimeWords(topn), QStringLiteral("unknown (planning not measured, execution 1.09 ms)"));
        QVERIFY(toJson(topn).value(QLatin1String("server_ms")).isNull());
        QCOMPARE(serverTimeWords(StrategyRun()), QStringLiteral("not measured"));
    }

    // Files written before issue #15 have no "execution_ms": their "server_ms" was the execution time alone.
    void anOlderFilesServerTimeIsReadAsTheExecutionTime()
    {
        QJsonObject old = toJson(test::sampleRun(
            QStringLiteral("x-topn"), 151.5, ResultCheck::Same, test::sampleWorkload(QStringLiteral("multi-all"))));
        old.remove(QStringLiteral("execution_ms"));
        old.insert(QStringLiteral("server_ms"), 1.09);
        old.insert(QStringLiteral("planning_ms"), 152.0);
        for (const QString &k : old.keys())
            if (k.startsWith(QLatin1String("prepared_")))
                old.remove(k);
        auto r = runFromJson(old, QStringLiteral("results[0]"));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->executionMs, 1.09);
        QCOMPARE(r->serverMs(), 152 + 1.09);
        QCOMPARE(r->preparedStats.count, 0);
        QCOMPARE(r->preparedStats.p50Ms, -1.0);
        old.insert(QStringLiteral("planning_ms"), QJsonValue(QJsonValue::Null));
        auto unknown = runFromJson(old, QStringLiteral("results[0]"));
        QVERIFY(unknown.ok());
        QCOMPARE(unknown->executionMs, 1.09);
        QCOMPARE(unknown->serverMs(), -1.0);
        // In a newer file "server_ms" is derived: what "execution_ms" says wins.
        QJsonObject now = toJson(test::sampleRun(
            QStringLiteral("x-topn"), 151.5, ResultCheck::Same, test::sampleWorkload(QStringLiteral("multi-all"))));
        now.insert(QStringLiteral("server_ms"), 999.0);
        auto derived = runFromJson(now, QStringLiteral("results[0]"));
        QVERIFY(derived.ok());
        QCOMPARE(derived->executionMs, 151.5 / 2);
    }

    // The prepared form's median, or why there is none (tables print it; docs/architecture.md).
    void thePreparedMedianOrWhyThereIsNone()
    {
        StrategyRun r = test::sampleRun(
            QStringLiteral("p4-indexes"), 4, ResultCheck::Same, test::sampleWorkload(QStringLiteral("canonical")));
        QCOMPARE(formatPreparedMedian(r), QStringLiteral("-")); // not measured
        r.preparedStats = TimingStats { 4, 0.5, 0.61, 0.7, 0.7, 0.7, 0.6 };
        QCOMPARE(formatPreparedMedian(r), QStringLiteral("0.610 ms"));
        StrategyRun cache = r;
        cache.sql.clear();
        cache.preparedStats = StrategyRun().preparedStats;
        QCOMPARE(formatPreparedMedian(cache), QStringLiteral("no SQL"));
        QCOMPARE(StrategyRun().preparedStats.count, 0);
        QVERIFY(toJson(StrategyRun()).value(QLatin1String("prepared_p50_ms")).isNull());
    }

    void csvHasOneRowPerMeasuredRun()
    {
        const SessionResult s = test::sampleSession();
        const QStringList lines = csvLines(toCsv(s));
        QCOMPARE(lines.first(),
            QStringLiteral("session_id,strategy,workload,workload_key,cache,result_check,outcome,run,ms"));
        // 4 strategies x 4 timings, plus one line for the cancelled run that measured nothing.
        QCOMPARE(lines.size(), 1 + 4 * 4 + 1);
        const QString key = QLatin1Char('"') + s.runs.at(0).workload.key() + QLatin1Char('"'); // it has commas
        QCOMPARE(lines.at(1),
            QStringLiteral("42,baseline,canonical,") + key + QStringLiteral(",warm,same,ok,1,")
                + QString::number(s.runs.at(0).timingsMs.at(0), 'g', QLocale::FloatingPointShortest));
        QVERIFY(lines.at(13).contains(QStringLiteral(",x-topn,deep-page,")));
        QVERIFY(lines.at(13).contains(QStringLiteral(",cold,stale,ok,1,")));
        QCOMPARE(
            lines.last(), QStringLiteral("42,p6-cursor,canonical,") + key + QStringLiteral(",warm,failed,cancelled,,"));
    }

    void csvNumbersReadBackExactlyAndFieldsAreQuoted()
    {
        SessionResult s = test::sampleSession();
        s.runs.resize(1);
        s.runs[0].strategyId = QStringLiteral("odd,\"id\"");
        const QStringList lines = csvLines(toCsv(s));
        QCOMPARE(lines.size(), 1 + 4);
        for (int i = 0; i < 4; ++i) {
            const QString line = lines.at(i + 1);
            QVERIFY2(line.startsWith(QStringLiteral("42,\"odd,\"\"id\"\"\",canonical,\"tags=")), qPrintable(line));
            const QString ms = line.section(QLatin1Char(','), -1);
            const QString run = line.section(QLatin1Char(','), -2, -2);
            QCOMPARE(run.toInt(), i + 1);
            bool ok = false;
            QCOMPARE(ms.toDouble(&ok), s.runs.at(0).timingsMs.at(i));
            QVERIFY(ok);
        }
    }
};

QTEST_GUILESS_MAIN(TestResults)
#include "tst_results.moc"
