// Timing statistics and the speed-up's bootstrap interval, against values computed by hand.

#include "session/statistics.h"

#include <QTest>

using namespace plansight;

namespace {
QList<double> oneToTen()
{
    QList<double> v;
    for (int i = 10; i >= 1; --i) // descending on purpose: the input order must not matter
        v.append(i);
    return v;
}
} // namespace

class TestStatistics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Linear interpolation between closest ranks: h = (n - 1) p, x[floor h] + frac(h) (x[floor h + 1] - x[floor h]).
    void quantileInterpolatesBetweenRanks_data()
    {
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("expected");
        const QList<double> five { 50, 15, 40, 20, 35 }; // sorted: 15 20 35 40 50
        QTest::newRow("five p0") << five << 0.0 << 15.0;
        QTest::newRow("five p40: h=1.6, 20+0.6*15") << five << 0.4 << 29.0;
        QTest::newRow("five p50: h=2, the middle value") << five << 0.5 << 35.0;
        QTest::newRow("five p95: h=3.8, 40+0.8*10") << five << 0.95 << 48.0;
        QTest::newRow("five p99: h=3.96, 40+0.96*10") << five << 0.99 << 49.6;
        QTest::newRow("five p100") << five << 1.0 << 50.0;
        QTest::newRow("even count median is the mean of the middle two") << QList<double> { 4, 1, 3, 2 } << 0.5 << 2.5;
        QTest::newRow("one value") << QList<double> { 7 } << 0.99 << 7.0;
        QTest::newRow("p below 0 is clamped") << five << -0.5 << 15.0;
        QTest::newRow("p above 1 is clamped") << five << 1.5 << 50.0;
        QTest::newRow("empty gives 0") << QList<double> {} << 0.5 << 0.0;
    }
    void quantileInterpolatesBetweenRanks()
    {
        QFETCH(QList<double>, values);
        QFETCH(double, p);
        QFETCH(double, expected);
        QCOMPARE(quantile(values, p), expected);
    }

    void statsOfOneToTen()
    {
        const TimingStats s = computeStats(oneToTen());
        QCOMPARE(s.count, 10);
        QCOMPARE(s.minMs, 1.0);
        QCOMPARE(s.maxMs, 10.0);
        QCOMPARE(s.p50Ms, 5.5); // h = 4.5: 5 + 0.5 * 1
        QCOMPARE(s.p95Ms, 9.55); // h = 8.55: 9 + 0.55 * 1
        QCOMPARE(s.p99Ms, 9.91); // h = 8.91: 9 + 0.91 * 1
        QCOMPARE(s.meanMs, 5.5);
    }

    void statsWithAnOutlier()
    {
        // 19 runs of 2 ms and one of 100 ms: the median ignores it, p95 and p99 see it, the mean moves.
        QList<double> v(19, 2.0);
        v.insert(7, 100.0);
        const TimingStats s = computeStats(v);
        QCOMPARE(s.count, 20);
        QCOMPARE(s.p50Ms, 2.0);
        QCOMPARE(s.p95Ms, 2.0 + 0.05 * 98.0); // h = 18.05: x[18] = 2, x[19] = 100
        QCOMPARE(s.p99Ms, 2.0 + 0.81 * 98.0); // h = 18.81
        QCOMPARE(s.maxMs, 100.0);
        QCOMPARE(s.meanMs, (19 * 2.0 + 100.0) / 20);
    }

    void statsOfNothing()
    {
        const TimingStats s = computeStats({});
        QCOMPARE(s.count, 0);
        QCOMPARE(s.p50Ms, 0.0);
        QCOMPARE(s.maxMs, 0.0);
    }

    void speedUpIsTheRatioOfMedians()
    {
        const SpeedUp s = computeSpeedUp({ 30, 10, 20 }, { 4, 2, 1000 });
        QVERIFY(s.valid);
        QCOMPARE(s.ratio, 5.0); // 20 / 4: the 1000 ms outlier does not move the median
        QVERIFY(s.low <= s.ratio);
        QVERIFY(s.high >= s.ratio);
        // Resampled medians stay within each sample's range: 10/1000 .. 30/2.
        QVERIFY(s.low >= 10.0 / 1000.0);
        QVERIFY(s.high <= 30.0 / 2.0);
    }

    void constantSamplesHaveAnExactInterval()
    {
        const SpeedUp s = computeSpeedUp(QList<double>(5, 10.0), QList<double>(7, 2.0));
        QVERIFY(s.valid);
        QCOMPARE(s.ratio, 5.0);
        QCOMPARE(s.low, 5.0);
        QCOMPARE(s.high, 5.0);
    }

    void bootstrapIntervalByHand()
    {
        // Baseline {10}; candidate {1, 3}. A resample of the candidate is {1,1} (p = 1/4, median 1),
        // {1,3} or {3,1} (p = 1/2, median 2) or {3,3} (p = 1/4, median 3): the ratios are 10, 5 and 10/3
        // with 25 %, 50 % and 25 % of the mass. The 2.5 % quantile therefore lies in the 10/3 block and the
        // 97.5 % quantile in the 10 block, away from their edges by about 450 of the 2000 resamples.
        const SpeedUp s = computeSpeedUp({ 10 }, { 1, 3 });
        QVERIFY(s.valid);
        QCOMPARE(s.ratio, 5.0);
        QCOMPARE(s.low, 10.0 / 3.0);
        QCOMPARE(s.high, 10.0);
        // A 40 % interval cuts at 30 % and 70 %: inside the 5 block on both sides.
        BootstrapOptions narrow;
        narrow.confidence = 0.40;
        const SpeedUp n = computeSpeedUp({ 10 }, { 1, 3 }, narrow);
        QCOMPARE(n.low, 5.0);
        QCOMPARE(n.high, 5.0);
    }

    void bootstrapIsSeeded()
    {
        const QList<double> base { 12.1, 11.7, 13.0, 12.4, 15.2, 11.9, 12.2, 12.8 };
        const QList<double> cand { 1.10, 0.98, 1.30, 1.02, 1.05, 2.50, 1.01, 0.99 };
        const SpeedUp a = computeSpeedUp(base, cand);
        const SpeedUp b = computeSpeedUp(base, cand);
        QCOMPARE(a.low, b.low);
        QCOMPARE(a.high, b.high);
        QVERIFY(a.low < a.ratio);
        QVERIFY(a.high > a.ratio);
        BootstrapOptions other;
        other.seed = 1;
        const SpeedUp c = computeSpeedUp(base, cand, other);
        QCOMPARE(c.ratio, a.ratio);
        QVERIFY(c.low != a.low || c.high != a.high);
    }

    void slowerCandidateGivesARatioBelowOne()
    {
        const SpeedUp s = computeSpeedUp({ 1, 1, 1 }, { 4, 4, 4 });
        QVERIFY(s.valid);
        QCOMPARE(s.ratio, 0.25);
    }

    void invalidWithoutUsableSamples()
    {
        QVERIFY(!computeSpeedUp({}, { 1 }).valid);
        QVERIFY(!computeSpeedUp({ 1 }, {}).valid);
        QVERIFY(!computeSpeedUp({ 0, 0, 0 }, { 1 }).valid);
        QVERIFY(!computeSpeedUp({ 1 }, { 0, 0 }).valid);
    }
};

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
