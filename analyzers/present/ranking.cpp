#include "present/ranking.h"

#include "present/format.h"

namespace plansight {

namespace {

bool isBaseline(const StrategyRun &r)
{
    return r.strategyId == QLatin1String("baseline");
}

// Timings or at least their summary (the history's summaries carry no timings).
bool measured(const StrategyRun &r)
{
    return r.stats.count > 0 || !r.timingsMs.isEmpty();
}

bool isCandidate(const StrategyRun &r)
{
    return r.outcome == RunOutcome::Ok && r.check == ResultCheck::Same && measured(r);
}

} // namespace

QString toString(RankVerdict v)
{
    switch (v) {
    case RankVerdict::Winner:
        return QStringLiteral("winner");
    case RankVerdict::NoClearDifference:
        return QStringLiteral("no-clear-difference");
    case RankVerdict::BaselineFastest:
        return QStringLiteral("baseline-fastest");
    case RankVerdict::EmptyBaseline:
        return QStringLiteral("baseline-empty");
    case RankVerdict::NoCorrectRun:
        return QStringLiteral("no-correct-run");
    case RankVerdict::NoBaseline:
        return QStringLiteral("no-baseline");
    }
    return QStringLiteral("no-baseline");
}

QString WorkloadRanking::sentence() const
{
    switch (verdict) {
    case RankVerdict::Winner:
        return QStringLiteral("%1 is the fastest with the baseline's rows: %2 faster than the baseline.")
            .arg(winner->strategyId, formatSpeedUpWithInterval(winner->speedup));
    case RankVerdict::NoClearDifference:
        return QStringLiteral("No clear difference: the fastest strategy with the baseline's rows, %1, is %2 the "
                              "baseline's speed, and that 95% interval includes 1.")
            .arg(fastest->strategyId, formatSpeedUpWithInterval(fastest->speedup));
    case RankVerdict::BaselineFastest:
        return QStringLiteral("The baseline is fastest: no strategy is faster.");
    case RankVerdict::EmptyBaseline:
        return QStringLiteral("No winner: the baseline returned no rows, and an empty page proves nothing.");
    case RankVerdict::NoCorrectRun:
        return QStringLiteral("No winner: no strategy finished with the baseline's rows.");
    case RankVerdict::NoBaseline:
        return QStringLiteral("No winner: the baseline did not finish, so no strategy's rows could be checked.");
    }
    return {};
}

const WorkloadRanking *Ranking::forWorkload(const QString &workloadKey) const
{
    for (const WorkloadRanking &w : workloads)
        if (w.workloadKey == workloadKey)
            return &w;
    return nullptr;
}

bool Ranking::isWinner(const StrategyRun &run) const
{
    const WorkloadRanking *w = forWorkload(run.workload.key());
    return w && w->winner == &run;
}

QString Ranking::sentence() const
{
    if (workloads.isEmpty())
        return QStringLiteral("No winner: nothing was measured.");
    if (workloads.size() == 1)
        return workloads.first().sentence();
    if (winner)
        return QStringLiteral("%1 is the fastest with the baseline's rows on every workload.").arg(winner->strategyId);
    return QStringLiteral("No single winner: the verdict differs by workload (see each workload).");
}

Ranking rankSession(const SessionResult &session)
{
    Ranking out;
    for (const StrategyRun &r : session.runs) {
        const QString key = r.workload.key();
        WorkloadRanking *w = nullptr;
        for (WorkloadRanking &x : out.workloads)
            if (x.workloadKey == key)
                w = &x;
        if (!w) {
            out.workloads.append(WorkloadRanking {});
            w = &out.workloads.last();
            w->workloadKey = key;
            w->workloadName = r.workload.label();
        }
        if (isBaseline(r) && !w->baseline)
            w->baseline = &r;
        if (isCandidate(r) && (!w->fastest || r.stats.p50Ms < w->fastest->stats.p50Ms))
            w->fastest = &r;
    }
    for (WorkloadRanking &w : out.workloads) {
        if (!w.baseline || w.baseline->outcome != RunOutcome::Ok || !measured(*w.baseline))
            w.verdict = RankVerdict::NoBaseline;
        else if (w.baseline->pageKeys.isEmpty() && w.baseline->rowsReturned == 0)
            w.verdict = RankVerdict::EmptyBaseline;
        else if (!w.fastest)
            w.verdict = RankVerdict::NoCorrectRun;
        else if (isBaseline(*w.fastest))
            w.verdict = RankVerdict::BaselineFastest;
        else if (w.fastest->speedup.valid && w.fastest->speedup.low > 1.0)
            w.verdict = RankVerdict::Winner;
        else
            w.verdict = RankVerdict::NoClearDifference;
        if (w.verdict == RankVerdict::Winner)
            w.winner = w.fastest;
    }
    if (!out.workloads.isEmpty()) {
        const StrategyRun *first = out.workloads.first().winner;
        bool same = first != nullptr;
        for (const WorkloadRanking &w : out.workloads)
            same = same && w.winner && w.winner->strategyId == first->strategyId;
        if (same)
            out.winner = first;
    }
    return out;
}

bool isClearlySlower(const StrategyRun &run)
{
    return !isBaseline(run) && run.outcome == RunOutcome::Ok && run.speedup.valid && run.speedup.high < 1.0;
}

} // namespace plansight
