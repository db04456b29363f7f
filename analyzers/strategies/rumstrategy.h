#pragma once

#include "strategies/cursorstrategy.h"
#include "strategies/schemastrategy.h"

#include <atomic>

namespace plansight {

// x-rum: a RUM index (the rum extension, postgresql-15-rum) that returns tag matches already ordered by created_at
// (docs/strategies.md, x-rum). Built on a copy of its own, ps_x_rum_items (content_source, content_id, created_at,
// creator_id, tag_ids uuid[], sort_at), one row per content item kept equal to the content tables and content_tags by
// triggers, with the index (tag_ids rum_anyarray_addon_ops, sort_at) WITH (attach = 'sort_at', to = 'tag_ids'): each
// tag's posting list carries every item's sort_at, so `tag_ids && $tags` (any) or `@> $tags` (all) ORDER BY
// `sort_at <=| anchor` (newest first) or `sort_at |=> anchor` (oldest first) is one index scan, no heap sort.
//
// The page is exact whatever RUM's distance does with ties: the index scan is cut with FETCH FIRST n ROWS WITH TIES
// (n = offset + page size, or the page size after a cursor) on the distance, which is monotone in created_at, and the
// page is then sorted by the gallery's (created_at, id, source) and cut. Source kinds and the creator are filters on
// the copy's rows; a cursor adds the keyset bound (created_at, content_id, content_source) and moves the anchor to the
// cursor, so the scan starts there. The page's rows are joined back to the content tables for the gallery's columns.
// No tag, or a sort by quality_score (the index orders by created_at only): the baseline's query, and the note says so.
class RumStrategy : public SchemaStrategy {
public:
    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    QStringList extensions() const override { return { QStringLiteral("rum") }; }
    // For a page reached by cursor, runs the keyset queries of the pages before it (CursorStrategy's pageByCursor).
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;
    // How long query() follows cursors before it seeks (tests set 0 to take the seek at once).
    void setFollowBudgetMs(qint64 ms) { m_followBudgetMs.store(ms); }

protected:
    QList<Step> applySteps() const override;

private:
    // One page: by OFFSET (after == nullptr) or the page after the cursor.
    static StrategyQuery pageQuery(const Workload &workload, const PageCursor *after);

    std::atomic<qint64> m_followBudgetMs { CursorStrategy::DefaultFollowBudgetMs };
};

} // namespace plansight
