#pragma once

// The one winner rule. Every place that names a winner (the JSON "winner" and "winners", the history
// summaries, the CLI tables, the report and the window) asks rankSession(), so they cannot disagree.
//
// Per workload: the candidates are the runs with outcome ok, result check same and measured timings (the
// baseline is one of them). The fastest candidate by median wins only when
//   - the baseline's page has rows (an empty page proves nothing: every strategy that returns nothing passes), and
//   - it is not the baseline ("the baseline is fastest: no strategy is faster"), and
//   - its speed-up's bootstrap 95% interval lies entirely above 1; when the interval includes 1 the answer is
//     "no clear difference" (1.35x [0.93-2.15] is not a win).
// The session has a winner only where that is well defined: it has one workload and that workload has a
// winner, or every workload has a winner and it is the same strategy.

#include "session/results.h"

#include <QList>
#include <QString>

namespace plansight {

enum class RankVerdict {
    Winner, // a strategy is clearly faster than the baseline, with the baseline's rows
    NoClearDifference, // the fastest correct strategy's speed-up interval includes 1
    BaselineFastest, // no correct strategy is faster than the baseline
    EmptyBaseline, // the baseline returned no rows: nothing can be proved
    NoCorrectRun, // no strategy finished with the baseline's rows (the baseline included)
    NoBaseline, // the baseline did not run or did not finish for this workload
};
// "winner", "no-clear-difference", "baseline-fastest", "baseline-empty", "no-correct-run", "no-baseline"
QString toString(RankVerdict v);

// The ranking of one workload. The pointers point into the SessionResult given to rankSession(), which must
// outlive them.
struct WorkloadRanking {
    QString workloadKey;
    QString workloadName;
    RankVerdict verdict = RankVerdict::NoBaseline;
    const StrategyRun *baseline = nullptr; // the baseline's run, when there is one
    const StrategyRun *fastest = nullptr; // the fastest candidate (may be the baseline), when there is one
    const StrategyRun *winner = nullptr; // == fastest when verdict is Winner, else nullptr

    // One sentence saying the verdict ("p4-indexes is the fastest with the baseline's rows: 3.20x [2.90-3.50]
    // faster than the baseline.", "No clear difference: ...").
    QString sentence() const;
};

struct Ranking {
    QList<WorkloadRanking> workloads; // in the order the workloads first appear in the session
    const StrategyRun *winner = nullptr; // the session's winner (see above), or nullptr

    // The ranking of the workload with this key, or nullptr.
    const WorkloadRanking *forWorkload(const QString &workloadKey) const;
    // Whether `run` (a run of the ranked session) is its workload's winner.
    bool isWinner(const StrategyRun &run) const;
    // One sentence for the whole session: the winner's, the only workload's, or why there is no single winner.
    QString sentence() const;
};

Ranking rankSession(const SessionResult &session);

// A correct-or-not strategy that is clearly slower than the baseline: its speed-up interval lies entirely
// below 1 (never the baseline itself). The window and the report mark such runs "slower".
bool isClearlySlower(const StrategyRun &run);

} // namespace plansight
