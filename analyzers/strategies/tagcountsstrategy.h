#pragma once

#include "strategies/refresh.h"

#include <QHash>

namespace plansight {

// p8-tag-counts: the review's P8 (docs/gallery.md, "Refreshed on a schedule"). The table
// ps_p8_tag_counts_tag_content_counts (tag_id, content_source, count) with a unique (tag_id, content_source) index,
// filled by one aggregation over content_tags and refreshed every 5 minutes (strategies/refresh.h), so it may be stale.
//
// The query is the baseline's, except that a tag filter whose count is zero for the workload's sources (any: every
// tag's; all: any one tag's) gets the empty page at once: the baseline's statement under WHERE false, which the
// planner answers without reading a table. query() reads the counts first; the note says which path answered.
class TagCountsStrategy : public RefreshableStrategy {
public:
    StrategyInfo info() const override;
    QList<SchemaObject> objects() const override;
    Result<StrategyQuery> query(PgSession &session, const Workload &workload) override;

protected:
    QList<Step> applySteps() const override;
};

// Exact item counts per tag (tag id, lower-case, to the number of content_tags rows of `sources`' content tables)
// from p8-tag-counts' table, as of its last refresh; `tagIds` empty: every tag that has a row. For the tag picker and
// for strategies that choose a plan by a tag's size. An errc::Missing error when p8-tag-counts is not applied.
Result<QHash<QString, qint64>> exactTagCounts(
    PgSession &session, const QStringList &tagIds = {}, const QList<SourceKind> &sources = allSourceKinds());

} // namespace plansight
