#pragma once

#include "strategies/cursorstrategy.h"
#include "strategies/schemastrategy.h"

#include <atomic>

namespace plansight {

// x-topn: the time-ordered junction ps_x_topn_content_tags (tag_id, created_at, content_id,
// content_source, creator_id) with a B-tree (tag_id, created_at DESC, content_id DESC) INCLUDE
// (content_source, creator_id), kept equal to content_tags joined to the content tables by triggers.
// any: per tag an index-only top-(offset + limit) scan, merged and de-duplicated, the page cut, then joined
// back to the content tables for the columns. all: walk the rarest tag (planner statistics) newest first and
// probe the other tags in the same index with one subquery over their bound array, so the statement is the same
// text for 2 tags as for 20 and its planning does not grow with the tags (docs/strategies.md). Source kinds and the
// creator condition are applied on the narrow rows. No tag, or a sort by quality_score (the index is ordered by
// created_at): the baseline's query.
//
// Pages reached by cursor (Workload::byCursor): each per-tag scan (or the walk) starts below the cursor's
// (created_at, content_id, content_source) with a row comparison the index serves, and reads one page's
// worth instead of (offset + limit). Page N is reached by following cursors (each page well under a
// millisecond of server time), and after CursorStrategy::DefaultFollowBudgetMs by one OFFSET query of
// page N-1, whose last row gives the same cursor.
class TopNStrategy : public SchemaStrategy {
public:
    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    // Runs one statistics lookup for all-matching (the rarest tag), and for a page reached by cursor the
    // keyset queries of the pages before it.
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
    // The tags of an all-match in the order x-topn's walk takes them: the rarest first (the planner's statistics on the
    // copy), which is the tag it walks; the others are probed. One statistics lookup, no scan.
    static Result<QStringList> walkOrder(PgSession &session, const QStringList &tags);
    // How long query() follows cursors before it seeks (tests set 0 to take the seek at once).
    void setFollowBudgetMs(qint64 ms) { m_followBudgetMs.store(ms); }

protected:
    QList<Step> applySteps() const override;

private:
    // One page: by OFFSET (after == nullptr) or the page after the cursor.
    Result<StrategyQuery> pageQuery(PgSession &session, const Workload &workload, const PageCursor *after);

    std::atomic<qint64> m_followBudgetMs { CursorStrategy::DefaultFollowBudgetMs };
};

} // namespace plansight
