#pragma once

// Summary statistics of a benchmark's timings and the speed-up between two strategies (docs/architecture.md,
// "Measuring honestly"). Pure functions of their inputs: no server, no clock, no global random state.

#include "session/results.h"

#include <QList>

namespace plansight {

// The p-quantile (0 <= p <= 1) of `sorted` (ascending), by linear interpolation between the two closest
// ranks: with n values x[0] <= ... <= x[n-1] and h = (n - 1) * p, the result is
//     x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])
// This is Hyndman & Fan's definition 7, the default of R's quantile(), NumPy's percentile() and
// PostgreSQL's percentile_cont(), so a DBA can reproduce every figure with
// `SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)`. p50 is the ordinary median (the mean of the
// two middle values for an even count). An empty list gives 0; p outside [0, 1] is clamped.
double quantileSorted(const QList<double> &sorted, double p);
// The same for values in any order.
double quantile(QList<double> values, double p);
double median(QList<double> values);

// min, p50, p95, p99, max, mean and count of `timingsMs` (any order). Empty input gives count 0 and zeros.
TimingStats computeStats(const QList<double> &timingsMs);

// How the speed-up's confidence interval is estimated.
struct BootstrapOptions {
    int resamples = 2000;
    quint64 seed = 0x5eed'b007'57a9ULL; // fixed: the same timings always give the same interval
    double confidence = 0.95;
};

// Speed-up of `candidateMs` against `baselineMs`: median(baseline) / median(candidate), so 10 means the
// candidate is ten times faster. The interval is a percentile bootstrap: both samples are resampled with
// replacement (independently, each to its own size) `resamples` times with a seeded 64-bit Mersenne
// Twister, the ratio of medians is computed for each resample, and the interval is the
// ((1 - confidence) / 2, (1 + confidence) / 2) quantiles of those ratios by the definition above.
// Invalid (valid == false) when either sample is empty or a median is not positive.
SpeedUp computeSpeedUp(const QList<double> &baselineMs, const QList<double> &candidateMs,
    const BootstrapOptions &options = BootstrapOptions());

} // namespace plansight
