#pragma once

// x-adaptive: per workload, the fastest way among those at hand (docs/strategies.md, "x-adaptive"), chosen by a rule
// on the tags' sizes (items carrying each tag), the match mode and the number of tags, the sort, how far x-topn's
// walk of an all-match would go, and which of x-topn and x-rum are applied:
// - sorted by created_at, all-match on several tags, with x-topn and x-rum applied: a sample of x-topn's walk (the
//   first items of the tag it walks, with its probe) estimates how many probes the walk needs for the page; x-rum,
//   which reads the tags' entries of its index, answers when that is more than the entries divided by
//   AdaptiveEntriesPerProbe; otherwise x-topn;
// - sorted by created_at with x-topn applied (every other case): x-topn (its per-tag ranges, its walk of the rarest
//   tag for all-match, its keyset form for pages reached by cursor), whatever the tags' sizes: it reads one page's
//   worth of its index, and it was faster than probing the junction at every size measured, the rare-tag preset's
//   tag included;
// - otherwise (sorted by quality_score, or x-topn not applied) a rare tag (any: all the tags together; all: the
//   rarest of them) is answered by probing the junction through the base index (tag_id, content_id): the few items it
//   names are joined to the content tables and sorted whole; a popular one, and no tag filter, by the baseline query.
// The thresholds are the crossover points measured at scale 0.1 (docs/strategies.md). The sizes come from
// p8-tag-counts' exact counts when it is applied, else from the catalog's statistics, with the tags those do not list
// as common counted on the junction up to the threshold (so a count costs at most that many index entries; past it,
// the planner's own estimate for such a value). The
// choice is made in query() (not timed, like x-topn's own statistics lookup); the run's note says the rule that
// answered, the sizes and where they came from, and how long the choice took.
//
// x-adaptive creates no object of its own: it reads x-topn's and x-rum's when they are applied (StrategyInfo::uses),
// so the runner applies them before its runs and the plan check counts their objects as its own. It never answers from
// p8-tag-counts' table (whose counts may be stale): the counts only choose the form, so a stale count costs time,
// never a wrong page.

#include "strategies/querystrategy.h"

#include <QList>
#include <QString>

#include <atomic>

namespace plansight {

// How many items carry a tag, and how that is known.
struct TagSize {
    enum class Basis {
        Exact, // p8-tag-counts' count, or counted on the junction below the bound
        AtLeast, // the bounded count stopped: `items` is a lower bound
        Estimated, // the catalog's statistics: a common value's, or the planner's guess for a value they leave out
        Unknown,
    };
    qint64 items = -1;
    Basis basis = Basis::Unknown;
    // "312 items", "more than 2,000 items", "about 45,000 items (estimated)", "size unknown"
    QString describe() const;
};

// The walk's sample: at most this many items of the walked tag, stopping at the AdaptiveWalkPasses-th that carries
// every other tag (docs/strategies.md, "x-adaptive").
inline constexpr qint64 AdaptiveWalkSample = 200;
inline constexpr qint64 AdaptiveWalkPasses = 20;
// What one of x-topn's probes costs in entries of x-rum's index read: x-rum answers an all-match when x-topn's walk
// would probe more than its index entries of the tags (the tags' items added up) divided by this. Measured on the
// longtail demo at scale 0.1: 3 us a probe, 0.15 us an entry (docs/strategies.md, "x-adaptive").
inline constexpr qint64 AdaptiveEntriesPerProbe = 20;

// All-match: a sample of x-topn's walk (AdaptiveStrategy::sampleWalk). Of the first `items` items of the tag the walk
// takes (at most `size`; fewer: the tag has no more), `passed` carry every other tag, the last of them at position
// `readTo` (the sample stops at the `enough`-th). `items` < 0: not sampled.
struct WalkSample {
    QString tag; // the tag walked
    qint64 size = AdaptiveWalkSample;
    qint64 enough = AdaptiveWalkPasses;
    qint64 items = -1;
    qint64 passed = -1;
    qint64 readTo = -1;
    qint64 tagItems = -1; // the walked tag's items, when known (its TagSize); -1: not known
    // How many items the walk reads to find `rows` that pass: at the sample's rate, at most the tag's items; when none
    // passed, at least `rows` times the sample. -1 when not sampled.
    qint64 estimatedWalk(qint64 rows) const;
};

struct AdaptiveInputs {
    QList<TagSize> tags; // one per distinct tag of the workload, in its order; empty: no tag filter
    TagMatch match = TagMatch::Any;
    SortField sort = SortField::CreatedAt;
    bool topnApplied = false; // x-topn's objects are there
    bool rumApplied = false; // x-rum's objects are there
    WalkSample walk; // all-match on several tags, sorted by created_at, x-topn and x-rum applied
    qint64 pageRows = 25; // the rows x-topn's walk must find: the offset and the page, or the page after a cursor
};

enum class AdaptiveForm { Baseline, TopN, Rum, JunctionProbe };
QString toString(AdaptiveForm form); // "the baseline query", "x-topn", "x-rum", "probe the junction"

struct AdaptiveChoice {
    AdaptiveForm form = AdaptiveForm::Baseline;
    // The items the probe reads (any: the tags' sizes added up; all: the rarest tag's size); -1 when not known.
    qint64 candidates = -1;
    int rarest = -1; // all-match: the index in AdaptiveInputs::tags of the smallest known tag; -1 otherwise
    QString rule; // for the note: "rare tag (312 items): probe the junction"
};

// Up to this many candidate items the junction probe is chosen over the baseline query where x-topn cannot answer: the
// crossover measured at scale 0.1 (docs/strategies.md, "x-adaptive": the probe 2.6x faster at 116 items, as fast at
// 5,000, slower from 20,000).
inline constexpr qint64 AdaptiveRareItems = 2000;

// The rule, a pure function of its inputs (docs/strategies.md, "x-adaptive"). A tag whose size is not known exactly
// (more than the bound, an estimate, unknown) counts as popular: the probe reads every item it names, so it is only
// chosen when that number is known to be small.
AdaptiveChoice chooseAdaptiveForm(
    const AdaptiveInputs &in, qint64 rareItems = AdaptiveRareItems, qint64 entriesPerProbe = AdaptiveEntriesPerProbe);

class AdaptiveStrategy : public QueryStrategy {
public:
    StrategyInfo info() const override;
    Result<StrategyStatus> status(PgSession &session) const override;
    // Reads the tags' sizes, whether x-topn and x-rum are applied and, for an all-match that both could answer, the
    // walk's sample; chooses, and returns the chosen form's statement (for x-topn and x-rum, with the cursors of a
    // deep page followed as they do).
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;

    // The sizes of `tags` (distinct, lower-case) as query() reads them, each bounded by `rareItems`; `source` says
    // where they came from. Public for the tests.
    static Result<QList<TagSize>> tagSizes(
        PgSession &session, const QStringList &tags, qint64 rareItems, QString *source = nullptr);
    // The crossover query() chooses by (AdaptiveRareItems; the tests move it to fit their tiny demos).
    void setRareItems(qint64 items) { m_rareItems.store(items); }
    // The sample of x-topn's walk for an all-match on `tags` (distinct, lower-case; at least two): the tag it walks,
    // read as the walk reads it, at most `size` items, stopping at the `enough`-th that carries every other tag.
    static Result<WalkSample> sampleWalk(PgSession &session, const QStringList &tags, qint64 size = AdaptiveWalkSample,
        qint64 enough = AdaptiveWalkPasses);
    // The cost ratio query() chooses x-rum by (AdaptiveEntriesPerProbe; the tests move it to force either choice:
    // 0 never chooses x-rum, a huge one always does where the sample is taken).
    void setEntriesPerProbe(qint64 entries) { m_entriesPerProbe.store(entries); }

private:
    std::atomic<qint64> m_rareItems { AdaptiveRareItems };
    std::atomic<qint64> m_entriesPerProbe { AdaptiveEntriesPerProbe };
};

// The junction probe (AdaptiveForm::JunctionProbe) of a workload with tags: the items of the tags from content_tags
// (any: every tag's; all: the rarest tag's, each kept when it carries every other tag, probed through the junction's
// key), joined to the content tables, sorted and cut. Only base objects. `rarest`: the index of the tag to start from
// for all-match (ignored for any).
StrategyQuery junctionProbeQuery(const Workload &workload, int rarest);

} // namespace plansight
