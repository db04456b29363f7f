#pragma once

// Comparing two plans of the same query (before/after a strategy, production/alternative).
//
// Alignment: the roots are aligned, then recursively each matched pair's children, by an edit-distance
// alignment that scores node type, relation, index, alias, CTE/subplan name and parent relationship, and
// that can skip a node inserted in either plan (a Materialize, a Gather, a Memoize wrapped around a subtree
// matches the subtree below it). Nodes that find no partner are added (only in B) or removed (only in A).
// A matched pair is "changed" when its identity differs (node type, join type, strategy, relation, index) or
// its conditions differ; otherwise "same" (its numbers may still differ: see the deltas).
//
// Threading: pure function of two plans, callable from any thread.

#include "plan/plannode.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>

namespace plansight {

enum class DiffStatus { Same, Changed, Added, Removed };
QString toString(DiffStatus s); // "same", "changed", "added", "removed"

struct PlanDiffEntry {
    DiffStatus status = DiffStatus::Same;
    int nodeA = -1; // index in a.nodes, -1 when added
    int nodeB = -1; // index in b.nodes, -1 when removed
    QStringList changes; // for changed: what differs, one short phrase each ("Seq Scan -> Index Only Scan")
    // Deltas (B - A) for matched nodes; for added/removed, the one side's figure (negated for removed).
    double exclusiveMsDelta = 0;
    double inclusiveMsDelta = 0;
    double rowsDelta = 0;
    qint64 buffersDelta = 0; // exclusive shared+local hit+read
};

struct PlanDiff {
    QList<PlanDiffEntry> entries; // A's pre-order with added nodes at their place in B's order
    QList<int> entryOfA; // node index in A -> entry index (-1 never: every A node has an entry)
    QList<int> entryOfB; // node index in B -> entry index
    double executionMsA = -1, executionMsB = -1; // Plan::totalMs() of each side, -1 when not timed
    double planningMsA = -1, planningMsB = -1;
    int added = 0, removed = 0, changed = 0, same = 0;
    QString summary; // one or two sentences: the main structural change and the time change
    QStringList details; // every structural change, most expensive first

    const PlanDiffEntry *entryForA(int nodeA) const;
    const PlanDiffEntry *entryForB(int nodeB) const;
};

struct PlanDiffOptions {
    // Names the owner of a database object for the summary ("an index of strategy x-topn"); empty when
    // unknown. The default says "an object of a PlanSight strategy" for a name with the strategies' prefix
    // (isStrategyObject()); a caller that has the catalog can name the strategy with strategyOwningObject().
    std::function<QString(const QString &objectName)> describeObject;
};

PlanDiff diffPlans(const Plan &a, const Plan &b, const PlanDiffOptions &options = {});

// Strategy objects carry the prefix "ps_" + the strategy's id with '-' as '_' (objectPrefix() in
// strategies/strategy.h). plan/ does not know the catalog (it builds without libpq, e.g. for the fuzzers), so:
// the id among `strategyIds` (the catalog's, from the caller) whose prefix `objectName` carries
// ("ps_x_topn_tag_idx" -> "x-topn"), or "";
QString strategyOwningObject(const QString &objectName, const QStringList &strategyIds);
// and whether `objectName` carries the prefix of some strategy at all (the default describeObject says so).
bool isStrategyObject(const QString &objectName);

// {"summary", "execution_ms_a", "execution_ms_b", "counts": {...}, "entries": [...]}.
QJsonObject toJson(const PlanDiff &diff, const Plan &a, const Plan &b);

} // namespace plansight
