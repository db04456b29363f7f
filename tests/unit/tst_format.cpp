// The one presentation module (present/format.h): every unit's formatter, the words for checks and outcomes,
// and the terminal table, as tables of values and the text they must print. The CLI, the window and the
// report print through these, so a change of rule shows here first.

#include "present/format.h"
#include "present/progress.h"
#include "present/sqltext.h"
#include "present/words.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace plansight;

Q_DECLARE_METATYPE(plansight::SpeedUp)

namespace {
const double NaN = std::numeric_limits<double>::quiet_NaN();
const double Inf = std::numeric_limits<double>::infinity();
} // namespace

class TestFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void progressSaysTheShareTheTimeAndWhatIsLeft()
    {
        QCOMPARE(formatClock(7000), QStringLiteral("0:07"));
        QCOMPARE(formatClock(72000), QStringLiteral("1:12"));
        QCOMPARE(formatClock(3725000), QStringLiteral("1:02:05"));
        QCOMPARE(formatClock(-1), QStringLiteral("-"));
        // No total: the elapsed time only. Too early or too little done: no estimate.
        QCOMPARE(progressWords(5, 0, 72000), QStringLiteral("1:12 elapsed"));
        QCOMPARE(progressWords(50, 100, 2000), QStringLiteral("50% · 0:02 elapsed"));
        QCOMPARE(progressWords(0, 100, 60000), QStringLiteral("0% · 1:00 elapsed"));
        // A quarter done in 1:00: three quarters take 3:00 more.
        QCOMPARE(progressWords(25, 100, 60000), QStringLiteral("25% · 1:00 elapsed · about 3:00 left"));
        QCOMPARE(progressWords(100, 100, 60000), QStringLiteral("100% · 1:00 elapsed"));
        QCOMPARE(progressWords(150, 100, 60000), QStringLiteral("100% · 1:00 elapsed")); // clamped
    }

    void progressLinesFitTheTerminal()
    {
        const QString words = QStringLiteral("25% · 1:00 elapsed · about 3:00 left"); // 36 columns
        QCOMPARE(fitProgressLine(QStringLiteral("building"), words, 80), QStringLiteral("building · ") + words);
        const QString longText(200, QLatin1Char('x'));
        for (int width : { 80, 60, 50 }) {
            const QString line = fitProgressLine(longText, words, width);
            QCOMPARE(line.size(), width - 1);
            QVERIFY(line.endsWith(words));
            QVERIFY(line.contains(QChar(0x2026)));
        }
        // Too narrow for any text: the words, cut.
        QCOMPARE(fitProgressLine(longText, words, 30), words.left(29));
    }

    void sqlForPsqlBindsTheValuesAsLiterals()
    {
        QCOMPARE(quoteSqlLiteral(QStringLiteral("O'Brien \\ x")), QStringLiteral("'O''Brien \\ x'"));
        QCOMPARE(quoteSqlLiteral(QString()), QStringLiteral("''"));
        // Without parameters: the statement once, with one semicolon.
        QCOMPARE(psqlReplayScript(QStringLiteral("SELECT 1;;\n"), {}), QStringLiteral("SELECT 1;\n"));
        // With parameters: PREPARE, EXECUTE with the literals in order, DEALLOCATE.
        QCOMPARE(psqlReplayScript(
                     QStringLiteral("SELECT $1::int + $2::int;"), { QStringLiteral("1"), QStringLiteral("2'") }),
            QStringLiteral(
                "PREPARE plansight_query AS\nSELECT $1::int + $2::int;\nEXECUTE plansight_query('1', '2''');\n"
                "DEALLOCATE plansight_query;\n"));
    }

    void durations_data()
    {
        QTest::addColumn<double>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0.000 ms");
        QTest::newRow("tiny rounds to zero") << 0.0004 << QStringLiteral("0.000 ms");
        QTest::newRow("a microsecond") << 0.001 << QStringLiteral("0.001 ms");
        QTest::newRow("below 1 ms: 3 decimals") << 0.412 << QStringLiteral("0.412 ms");
        QTest::newRow("rounds up to 1 ms") << 0.9996 << QStringLiteral("1.00 ms");
        QTest::newRow("below 100 ms: 2 decimals") << 4.12 << QStringLiteral("4.12 ms");
        QTest::newRow("40.15") << 40.15 << QStringLiteral("40.15 ms");
        QTest::newRow("rounds up to 100 ms") << 99.996 << QStringLiteral("100.0 ms");
        QTest::newRow("below 1 s: 1 decimal") << 412.34 << QStringLiteral("412.3 ms");
        QTest::newRow("rounds up to 1 s") << 999.96 << QStringLiteral("1.00 s");
        QTest::newRow("seconds: 2 decimals") << 7910.0 << QStringLiteral("7.91 s");
        QTest::newRow("from 10 s: 1 decimal") << 13160.0 << QStringLiteral("13.2 s");
        QTest::newRow("rounds up to 1 min") << 59990.0 << QStringLiteral("1.0 min");
        QTest::newRow("minutes") << 252000.0 << QStringLiteral("4.2 min");
        QTest::newRow("a million minutes: scientific") << 6e10 << QStringLiteral("1.0e6 min");
        QTest::newRow("absurd") << 1e300 << QStringLiteral("1.7e295 min");
        QTest::newRow("negative: not measured") << -1.0 << QStringLiteral("-");
        QTest::newRow("NaN") << NaN << QStringLiteral("-");
        QTest::newRow("infinite") << Inf << QStringLiteral("-");
        QTest::newRow("minus infinite") << -Inf << QStringLiteral("-");
    }
    void durations()
    {
        QFETCH(double, ms);
        QFETCH(QString, text);
        QCOMPARE(formatMs(ms), text);
    }

    void durationDeltas_data()
    {
        QTest::addColumn<double>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("costlier") << 1.2 << QStringLiteral("+1.20 ms");
        QTest::newRow("cheaper") << -0.41 << QStringLiteral("-0.410 ms");
        QTest::newRow("zero") << 0.0 << QStringLiteral("+0.000 ms");
        QTest::newRow("large negative") << -412.34 << QStringLiteral("-412.3 ms");
        QTest::newRow("NaN") << NaN << QStringLiteral("-");
        QTest::newRow("infinite") << -Inf << QStringLiteral("-");
    }
    void durationDeltas()
    {
        QFETCH(double, ms);
        QFETCH(QString, text);
        QCOMPARE(formatMsDelta(ms), text);
    }

    void durationsWithSpread()
    {
        QCOMPARE(formatMsWithSpread(4.2, 4.1, 4.35), QStringLiteral("4.20 ms (p25-p75 4.10 ms-4.35 ms)"));
        QCOMPARE(formatMsWithSpread(4.2, -1, -1), QStringLiteral("4.20 ms"));
        QCOMPARE(formatMsWithSpread(4.2, 4.1, NaN), QStringLiteral("4.20 ms"));
        QCOMPARE(formatMsWithSpread(-1, 1, 2), QStringLiteral("-"));
    }

    void bytes_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0 B");
        QTest::newRow("below 1 KiB") << qint64(1023) << QStringLiteral("1023 B");
        QTest::newRow("1 KiB") << qint64(1024) << QStringLiteral("1.0 KiB");
        QTest::newRow("1.5 KiB") << qint64(1536) << QStringLiteral("1.5 KiB");
        QTest::newRow("8 KiB, a page") << qint64(8192) << QStringLiteral("8.0 KiB");
        QTest::newRow("rounds to 100 KiB: no decimal") << qint64(102359) << QStringLiteral("100 KiB");
        QTest::newRow("rounds to 1024 KiB: next unit") << qint64(1048166) << QStringLiteral("1.0 MiB");
        QTest::newRow("5 MiB") << qint64(5) * 1024 * 1024 << QStringLiteral("5.0 MiB");
        QTest::newRow("424 MiB") << qint64(424) * 1024 * 1024 << QStringLiteral("424 MiB");
        QTest::newRow("13.2 GiB") << qint64(14173392076) << QStringLiteral("13.2 GiB");
        QTest::newRow("huge") << std::numeric_limits<qint64>::max() << QStringLiteral("8.0 EiB");
        QTest::newRow("negative: not measured") << qint64(-1) << QStringLiteral("-");
    }
    void bytes()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(formatBytes(bytes), text);
    }

    void ratios_data()
    {
        QTest::addColumn<double>("ratio");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0.00");
        QTest::newRow("slower") << 0.91 << QStringLiteral("0.91");
        QTest::newRow("below 10: 2 decimals") << 3.2 << QStringLiteral("3.20");
        QTest::newRow("rounds up to 10") << 9.996 << QStringLiteral("10.0");
        QTest::newRow("below 100: 1 decimal") << 19.5 << QStringLiteral("19.5");
        QTest::newRow("rounds up to 100") << 99.96 << QStringLiteral("100");
        QTest::newRow("150 is 150, never 150.0") << 150.0 << QStringLiteral("150");
        QTest::newRow("thousands separator") << 2555.0 << QStringLiteral("2,555");
        QTest::newRow("millions") << 1234567.4 << QStringLiteral("1,234,567");
        QTest::newRow("huge: scientific") << 1e12 << QStringLiteral("1.0e12");
        QTest::newRow("tiny") << 0.0001 << QStringLiteral("0.00");
        QTest::newRow("negative") << -1.0 << QStringLiteral("-");
        QTest::newRow("NaN") << NaN << QStringLiteral("-");
        QTest::newRow("infinite") << Inf << QStringLiteral("-");
    }
    void ratios()
    {
        QFETCH(double, ratio);
        QFETCH(QString, text);
        QCOMPARE(formatRatio(ratio), text);
    }

    void speedUps_data()
    {
        QTest::addColumn<SpeedUp>("speedup");
        QTest::addColumn<QString>("ratio");
        QTest::addColumn<QString>("interval");
        QTest::addColumn<QString>("both");
        QTest::newRow("clear win") << SpeedUp { true, 3.2, 2.9, 3.5 } << QStringLiteral("3.20x")
                                   << QStringLiteral("2.90-3.50") << QStringLiteral("3.20x [2.90-3.50]");
        QTest::newRow("no clear difference") << SpeedUp { true, 1.35, 0.93, 2.15 } << QStringLiteral("1.35x")
                                             << QStringLiteral("0.93-2.15") << QStringLiteral("1.35x [0.93-2.15]");
        QTest::newRow("large") << SpeedUp { true, 2555, 2000, 3000.4 } << QStringLiteral("2,555x")
                               << QStringLiteral("2,000-3,000") << QStringLiteral("2,555x [2,000-3,000]");
        QTest::newRow("slower") << SpeedUp { true, 0.5, 0.45, 0.55 } << QStringLiteral("0.50x")
                                << QStringLiteral("0.45-0.55") << QStringLiteral("0.50x [0.45-0.55]");
        QTest::newRow("not valid") << SpeedUp { false, 3.2, 2.9, 3.5 } << QStringLiteral("-") << QStringLiteral("-")
                                   << QStringLiteral("-");
        QTest::newRow("NaN ratio") << SpeedUp { true, NaN, 1, 2 } << QStringLiteral("-") << QStringLiteral("1.00-2.00")
                                   << QStringLiteral("-");
    }
    void speedUps()
    {
        QFETCH(SpeedUp, speedup);
        QFETCH(QString, ratio);
        QFETCH(QString, interval);
        QFETCH(QString, both);
        QCOMPARE(formatSpeedUp(speedup), ratio);
        QCOMPARE(formatSpeedUpInterval(speedup), interval);
        QCOMPARE(formatSpeedUpWithInterval(speedup), both);
    }

    void counts_data()
    {
        QTest::addColumn<double>("n");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0");
        QTest::newRow("thousands") << 1234.0 << QStringLiteral("1,234");
        QTest::newRow("millions in full") << 88000000.0 << QStringLiteral("88,000,000");
        QTest::newRow("a delta keeps its sign") << -12.0 << QStringLiteral("-12");
        QTest::newRow("negative thousands") << -1234.0 << QStringLiteral("-1,234");
        QTest::newRow("an average") << 12.5 << QStringLiteral("12.50");
        QTest::newRow("an average in thousands") << 1234.5 << QStringLiteral("1,234.50");
        QTest::newRow("1e12: scientific") << 1e12 << QStringLiteral("1.0e12");
        QTest::newRow("absurd") << 1e300 << QStringLiteral("1.0e300");
        QTest::newRow("NaN") << NaN << QStringLiteral("-");
        QTest::newRow("infinite") << Inf << QStringLiteral("-");
    }
    void counts()
    {
        QFETCH(double, n);
        QFETCH(QString, text);
        QCOMPARE(formatCount(n), text);
    }

    void scientific()
    {
        QCOMPARE(formatScientific(1.23e300), QStringLiteral("1.2e300"));
        QCOMPARE(formatScientific(2.5e-7), QStringLiteral("2.5e-7"));
        QCOMPARE(formatScientific(1e6), QStringLiteral("1.0e6"));
    }

    void percentages_data()
    {
        QTest::addColumn<double>("percent");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0.0%");
        QTest::newRow("a share") << 12.5 << QStringLiteral("12.5%");
        QTest::newRow("all") << 100.0 << QStringLiteral("100.0%");
        QTest::newRow("tiny") << 0.04 << QStringLiteral("0.0%");
        QTest::newRow("bad input: 10,000% and more") << 1e4 << QStringLiteral(">1e4%");
        QTest::newRow("NaN") << NaN << QStringLiteral("-");
        QTest::newRow("infinite") << Inf << QStringLiteral("-");
    }
    void percentages()
    {
        QFETCH(double, percent);
        QFETCH(QString, text);
        QCOMPARE(formatPercent(percent), text);
    }

    // One table of words for checks and outcomes; the alarming ones are in capitals.
    void words_data()
    {
        QTest::addColumn<int>("check");
        QTest::addColumn<QString>("text");
        QTest::newRow("same") << int(ResultCheck::Same) << QStringLiteral("same rows");
        QTest::newRow("different") << int(ResultCheck::Different) << QStringLiteral("DIFFERENT rows");
        QTest::newRow("stale") << int(ResultCheck::Stale) << QStringLiteral("stale rows");
        QTest::newRow("not checked") << int(ResultCheck::NotChecked) << QStringLiteral("not checked");
        QTest::newRow("failed") << int(ResultCheck::Failed) << QStringLiteral("check failed");
        QTest::newRow("both empty") << int(ResultCheck::BothEmpty) << QStringLiteral("both empty");
    }
    void words()
    {
        QFETCH(int, check);
        QFETCH(QString, text);
        QCOMPARE(checkWords(ResultCheck(check)), text);
    }

    void outcomes_data()
    {
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("text");
        QTest::newRow("ok") << int(RunOutcome::Ok) << QStringLiteral("measured");
        QTest::newRow("failed") << int(RunOutcome::Failed) << QStringLiteral("FAILED");
        QTest::newRow("cancelled") << int(RunOutcome::Cancelled) << QStringLiteral("cancelled");
        QTest::newRow("skipped") << int(RunOutcome::Skipped) << QStringLiteral("skipped");
        QTest::newRow("not isolated") << int(RunOutcome::NotIsolated) << QStringLiteral("NOT ISOLATED");
    }
    void outcomes()
    {
        QFETCH(int, outcome);
        QFETCH(QString, text);
        QCOMPARE(outcomeWords(RunOutcome(outcome)), text);
    }

    // A table's check column: the outcome when the run did not finish, "reference" for the baseline.
    void runCheckColumn()
    {
        StrategyRun r;
        r.strategyId = QStringLiteral("p4-indexes");
        r.outcome = RunOutcome::Ok;
        r.check = ResultCheck::Same;
        QCOMPARE(runCheckWords(r), QStringLiteral("same rows"));
        r.outcome = RunOutcome::NotIsolated;
        QCOMPARE(runCheckWords(r), QStringLiteral("NOT ISOLATED"));
        // Not isolated and wrong: both are said.
        r.check = ResultCheck::Different;
        QCOMPARE(runCheckWords(r), QStringLiteral("NOT ISOLATED, DIFFERENT rows"));
        r.check = ResultCheck::Stale;
        QCOMPARE(runCheckWords(r), QStringLiteral("NOT ISOLATED, stale rows"));
        r.check = ResultCheck::Same;
        r.outcome = RunOutcome::Ok;
        r.strategyId = QStringLiteral("baseline");
        QCOMPARE(runCheckWords(r), QStringLiteral("reference"));
        r.check = ResultCheck::Different; // a baseline that differs from itself: the harness is broken; say so
        QCOMPARE(runCheckWords(r), QStringLiteral("DIFFERENT rows"));
        // Checked against the stand-in because the baseline had no page: the words name it.
        r.strategyId = QStringLiteral("x-topn");
        r.check = ResultCheck::Same;
        r.checkDetail = QStringLiteral("checked against p5-prejoin; the baseline timed out");
        QCOMPARE(runCheckWords(r), QStringLiteral("same rows (vs p5-prejoin)"));
        r.check = ResultCheck::Different;
        r.checkDetail += QStringLiteral(": first difference at row 3: p5-prejoin auto:4, this strategy auto:5 (25 rows "
                                        "vs 25)");
        QCOMPARE(runCheckWords(r), QStringLiteral("DIFFERENT rows (vs p5-prejoin)"));
        r.check = ResultCheck::NotChecked;
        r.checkDetail = QStringLiteral("unchecked: the baseline timed out and no reference answered");
        QCOMPARE(runCheckWords(r), QStringLiteral("not checked"));
    }

    void writeCosts()
    {
        Footprint f;
        QCOMPARE(formatWriteCost(f), QStringLiteral("-"));
        f.writeMs = 2.5; // the base schema's side not measured: the strategy's own time
        QCOMPARE(formatWriteCost(f), QStringLiteral("2.50 ms"));
        f.baselineWriteMs = 1.3;
        QCOMPARE(formatWriteCost(f), QStringLiteral("none (creates nothing)"));
        f.objects = { QStringLiteral("index public.x") };
        QCOMPARE(formatWriteCost(f), QStringLiteral("no measurable difference")); // no spreads
        f.writeLowMs = 2.4;
        f.writeHighMs = 2.6;
        f.baselineWriteLowMs = 1.2;
        f.baselineWriteHighMs = 1.4;
        QCOMPARE(formatWriteCost(f), QStringLiteral("+1.20 ms"));
        std::swap(f.writeMs, f.baselineWriteMs);
        std::swap(f.writeLowMs, f.baselineWriteLowMs);
        std::swap(f.writeHighMs, f.baselineWriteHighMs);
        QCOMPARE(formatWriteCost(f), QStringLiteral("-1.20 ms"));
        f.writeHighMs = 2.5; // overlapping spreads
        QCOMPARE(formatWriteCost(f), QStringLiteral("no measurable difference"));
    }

    void machines()
    {
        MachineState m;
        QCOMPARE(describeMachine(m), QStringLiteral("not recorded"));
        m.valid = true;
        m.load1 = 0.52;
        m.load5 = 0.61;
        m.load15 = 0.7;
        m.cpuCount = 2;
        QCOMPARE(describeMachine(m), QStringLiteral("load 0.52 / 0.61 / 0.70 (1, 5, 15 min) on 2 CPUs"));
        m.memTotalKb = 24000000;
        m.memAvailableKb = 18000000;
        m.load1 = 3.5;
        QCOMPARE(describeMachine(m),
            QStringLiteral("load 3.50 / 0.61 / 0.70 (1, 5, 15 min) on 2 CPUs, 17.2 GiB of 22.9 GiB memory "
                           "available (BUSY)"));
    }

    void textTableAlignsColumns()
    {
        const QString table = textTable({ QStringLiteral("strategy"), QStringLiteral("p50"), QStringLiteral("note") },
            { { QStringLiteral("baseline"), QStringLiteral("412.3 ms"), QStringLiteral("reference") },
                { QStringLiteral("p4"), QStringLiteral("2.10 ms") },
                { QStringLiteral("x"), QStringLiteral("1"), QStringLiteral(""), QStringLiteral("dropped") } },
            { false, true, false });
        QCOMPARE(table,
            QStringLiteral("strategy       p50  note\n"
                           "--------  --------  ---------\n"
                           "baseline  412.3 ms  reference\n"
                           "p4         2.10 ms\n"
                           "x                1\n"));
    }

    // Wider than the terminal: cut into parts that fit, the strategy repeated in each; narrow enough: one table.
    void textTableSplitsToFitTheTerminal()
    {
        const QStringList header { QStringLiteral("strategy"), QStringLiteral("p50"), QStringLiteral("check"),
            QStringLiteral("footprint") };
        const QList<QStringList> rows { { QStringLiteral("baseline"), QStringLiteral("412.3 ms"),
                                            QStringLiteral("same rows"), QStringLiteral("0 B") },
            { QStringLiteral("x-topn"), QStringLiteral("0.40 ms"), QStringLiteral("same rows"),
                QStringLiteral("136 MiB") } };
        const QList<bool> right { false, true, false, true };
        const QString whole = textTable(header, rows, right);
        QCOMPARE(textTable(header, rows, right, 80), whole); // 41 columns fit in 80
        const QString split = textTable(header, rows, right, 32);
        QCOMPARE(split,
            QStringLiteral("strategy       p50  check\n"
                           "--------  --------  ---------\n"
                           "baseline  412.3 ms  same rows\n"
                           "x-topn     0.40 ms  same rows\n"
                           "\n"
                           "strategy  footprint\n"
                           "--------  ---------\n"
                           "baseline        0 B\n"
                           "x-topn      136 MiB\n"));
        for (const QString &line : split.split(QLatin1Char('\n')))
            QVERIFY2(line.size() <= 32, qPrintable(line));
        // A column that cannot fit on its own is still printed, alone beside the key.
        QVERIFY(textTable(header, rows, right, 12).contains(QLatin1String("136 MiB")));
    }

    void wrapWordsFitsTheWidth()
    {
        QCOMPARE(wrapWords(QStringLiteral("machine: load 9.49 on 2 CPUs (BUSY)"), 16),
            QStringLiteral("machine: load\n  9.49 on 2 CPUs\n  (BUSY)\n"));
        QCOMPARE(wrapWords(QStringLiteral("a b"), 0), QStringLiteral("a b\n"));
        QCOMPARE(wrapWords(QStringLiteral("unbreakable-word x"), 5), QStringLiteral("unbreakable-word\n  x\n"));
    }

    void textTableWithoutRows()
    {
        QCOMPARE(textTable({ QStringLiteral("a"), QStringLiteral("bb") }, {}),
            QStringLiteral("a  bb\n"
                           "-  --\n"));
    }
};

QTEST_GUILESS_MAIN(TestFormat)
#include "tst_format.moc"
