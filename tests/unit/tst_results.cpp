#include "bench/results.h"
#include "historysamples.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTest>

using namespace plansight;

namespace
{
QJsonObject throughText(const QJsonObject &o)
{
    // What a file on disk gives back: serialize to text and parse again.
    return QJsonDocument::fromJson(QJsonDocument(o).toJson(QJsonDocument::Indented)).object();
}

QStringList csvLines(const QString &csv)
{
    QStringList lines = csv.split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}
} // namespace

class TestResults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enumsRoundTripThroughText()
    {
        for (CacheState v : { CacheState::Warm, CacheState::Cold })
            QVERIFY(cacheStateFromString(toString(v)) == v);
        for (ResultCheck v : { ResultCheck::Same, ResultCheck::Different, ResultCheck::Stale, ResultCheck::NotChecked,
                 ResultCheck::Failed })
            QVERIFY(resultCheckFromString(toString(v)) == v);
        for (RunOutcome v :
            { RunOutcome::Ok, RunOutcome::Failed, RunOutcome::Cancelled, RunOutcome::Skipped, RunOutcome::NotIsolated })
            QVERIFY(runOutcomeFromString(toString(v)) == v);
        QCOMPARE(toString(ResultCheck::NotChecked), QStringLiteral("not-checked"));
        QCOMPARE(toString(CacheState::Cold), QStringLiteral("cold"));
        QCOMPARE(toString(RunOutcome::NotIsolated), QStringLiteral("not-isolated"));
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
        const StrategyRun *w = s.winner();
        QVERIFY(w);
        // p3-tag-array (different) and x-topn (stale) are faster, but not the same rows.
        QCOMPARE(w->strategyId, QStringLiteral("p4-indexes"));
    }

    void winnerIsNeverAFailedOrEmptyRun()
    {
        SessionResult s = test::sampleSession();
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
        s.runs << fast;
        QCOMPARE(s.winner()->strategyId, QStringLiteral("p4-indexes"));
    }

    void noCorrectRunMeansNoWinner()
    {
        SessionResult s = test::sampleSession();
        for (StrategyRun &r : s.runs)
            if (r.check == ResultCheck::Same)
                r.check = ResultCheck::Different;
        QCOMPARE(s.winner(), nullptr);
        QCOMPARE(SessionResult().winner(), nullptr);
        QVERIFY(toJson(s).value(QLatin1String("winner")).isNull());
    }

    void sessionRoundTripsThroughJsonTextExactly()
    {
        const SessionResult s = test::sampleSession();
        auto back = sessionFromJson(throughText(toJson(s, true)));
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        const QString diff = test::diffSessions(s, back.value());
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
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
        QCOMPARE(o.value(QLatin1String("winner")).toString(), QStringLiteral("p4-indexes"));
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
