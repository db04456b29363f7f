#include "strategies/compositeindexstrategy.h"

#include "strategies/galleryquery.h"

namespace plansight {

StrategyInfo CompositeIndexStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("p4-indexes");
    i.title = QStringLiteral("Composite and partial indexes");
    i.proposal = QStringLiteral("P4");
    i.operations
        = QStringLiteral("Three more indexes on content_tags that PostgreSQL keeps up to date on every tag write; in "
                         "production they are built with CREATE INDEX CONCURRENTLY, which takes a while on the "
                         "88-million-row junction.");
    i.description = QStringLiteral(
        "Adds a composite (tag_id, content_source, content_id) index and one partial (tag_id, content_id) index per "
        "content source on content_tags, then runs VACUUM ANALYZE. The query is the baseline's, unchanged.");
    return i;
}

QList<SchemaObject> CompositeIndexStrategy::objects() const
{
    using K = SchemaObject::Kind;
    const QString t = QStringLiteral("content_tags");
    return {
        { K::Index, QStringLiteral("ps_p4_indexes_tag_source_content"), t },
        { K::Index, QStringLiteral("ps_p4_indexes_regular"), t },
        { K::Index, QStringLiteral("ps_p4_indexes_auto"), t },
    };
}

QList<SchemaStrategy::Step> CompositeIndexStrategy::applySteps() const
{
    return {
        // Indexes on the existing junction: CREATE INDEX CONCURRENTLY on a server that is not the demo.
        { QStringLiteral("indexes"), QStringLiteral("Building the composite and partial indexes on content_tags"), true,
            true },
        { QStringLiteral("vacuum"), QStringLiteral("VACUUM ANALYZE of content_tags and the content tables"), false },
    };
}

Result<StrategyQuery> CompositeIndexStrategy::query(PgSession &, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    StrategyQuery q = baselineQuery(workload);
    q.note = QStringLiteral("the baseline query, unchanged");
    return q;
}

} // namespace plansight
