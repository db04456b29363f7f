#include "session/statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace plansight {

namespace {

double quantileOf(const double *sorted, qsizetype n, double p)
{
    if (n <= 0)
        return 0;
    p = std::clamp(p, 0.0, 1.0);
    const double h = double(n - 1) * p;
    const auto lo = qsizetype(std::floor(h));
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (h - double(lo)) * (sorted[lo + 1] - sorted[lo]);
}

// Median of a resample: draws `n` indices into `from` with `rng`, sorts them into `scratch`.
// std::mt19937_64 is specified exactly by the standard; indices come from its raw output modulo n (not
// from std::uniform_int_distribution, whose algorithm differs between standard libraries), so an
// interval is reproducible on every platform. The modulo bias is below n / 2^64.
double resampledMedian(const QList<double> &from, std::mt19937_64 &rng, std::vector<double> &scratch)
{
    const auto n = from.size();
    scratch.resize(size_t(n));
    for (qsizetype i = 0; i < n; ++i)
        scratch[size_t(i)] = from[qsizetype(rng() % quint64(n))];
    std::sort(scratch.begin(), scratch.end());
    return quantileOf(scratch.data(), n, 0.5);
}

} // namespace

double quantileSorted(const QList<double> &sorted, double p)
{
    return quantileOf(sorted.constData(), sorted.size(), p);
}

double quantile(QList<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return quantileSorted(values, p);
}

double median(QList<double> values)
{
    return quantile(std::move(values), 0.5);
}

TimingStats computeStats(const QList<double> &timingsMs)
{
    TimingStats s;
    if (timingsMs.isEmpty())
        return s;
    QList<double> sorted = timingsMs;
    std::sort(sorted.begin(), sorted.end());
    s.count = int(sorted.size());
    s.minMs = sorted.first();
    s.maxMs = sorted.last();
    s.p50Ms = quantileSorted(sorted, 0.50);
    s.p95Ms = quantileSorted(sorted, 0.95);
    s.p99Ms = quantileSorted(sorted, 0.99);
    // Summed in ascending order: the smallest rounding error for positive values.
    s.meanMs = std::accumulate(sorted.cbegin(), sorted.cend(), 0.0) / double(sorted.size());
    return s;
}

SpeedUp computeSpeedUp(
    const QList<double> &baselineMs, const QList<double> &candidateMs, const BootstrapOptions &options)
{
    SpeedUp out;
    if (baselineMs.isEmpty() || candidateMs.isEmpty())
        return out;
    const double base = median(baselineMs);
    const double cand = median(candidateMs);
    if (!(base > 0) || !(cand > 0))
        return out;
    out.valid = true;
    out.ratio = base / cand;
    out.low = out.high = out.ratio;
    if (options.resamples <= 0)
        return out;

    std::mt19937_64 rng(options.seed);
    std::vector<double> scratch;
    QList<double> ratios;
    ratios.reserve(options.resamples);
    for (int i = 0; i < options.resamples; ++i) {
        const double b = resampledMedian(baselineMs, rng, scratch);
        const double c = resampledMedian(candidateMs, rng, scratch);
        // A resampled median of 0 (possible only when a sample contains zeros) has no finite ratio.
        if (c > 0)
            ratios.append(b / c);
    }
    if (ratios.isEmpty())
        return out;
    std::sort(ratios.begin(), ratios.end());
    const double alpha = (1.0 - std::clamp(options.confidence, 0.0, 1.0)) / 2.0;
    out.low = quantileSorted(ratios, alpha);
    out.high = quantileSorted(ratios, 1.0 - alpha);
    return out;
}

} // namespace plansight
