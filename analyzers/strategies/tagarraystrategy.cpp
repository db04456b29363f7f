#include "strategies/tagarraystrategy.h"

#include "strategies/galleryquery.h"

namespace plansight {

StrategyInfo TagArrayStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("p3-tag-array");
    i.title = QStringLiteral("Tag array with GIN index");
    i.proposal = QStringLiteral("P3");
    i.operations = QStringLiteral(
        "A migration that rewrites every item row (the tables bloat until a VACUUM FULL), a GIN index to "
        "maintain, and triggers on content_tags that must stay in step with the junction.");
    i.description = QStringLiteral(
        "Copies each item's tags into a uuid[] column on both content tables, indexed with GIN and kept in sync by "
        "triggers on content_tags. The query tests the array with && (any) or @> (all) instead of probing the "
        "junction.");
    i.rewritesTables
        = QStringList { QStringLiteral("public.content_items"), QStringLiteral("public.content_items_auto") };
    return i;
}

QList<SchemaObject> TagArrayStrategy::objects() const
{
    using K = SchemaObject::Kind;
    const QString items = QStringLiteral("content_items");
    const QString autos = QStringLiteral("content_items_auto");
    const QString tags = QStringLiteral("content_tags");
    return {
        { K::Column, QStringLiteral("ps_p3_tag_array_tag_ids"), items },
        { K::Column, QStringLiteral("ps_p3_tag_array_tag_ids"), autos },
        { K::Index, QStringLiteral("ps_p3_tag_array_items_tags"), items },
        { K::Index, QStringLiteral("ps_p3_tag_array_auto_tags"), autos },
        { K::Function, QStringLiteral("ps_p3_tag_array_refresh"), QString() },
        { K::Function, QStringLiteral("ps_p3_tag_array_sync"), QString() },
        { K::Function, QStringLiteral("ps_p3_tag_array_item"), QString() },
        { K::Trigger, QStringLiteral("ps_p3_tag_array_ins"), tags },
        { K::Trigger, QStringLiteral("ps_p3_tag_array_del"), tags },
        { K::Trigger, QStringLiteral("ps_p3_tag_array_upd"), tags },
        { K::Trigger, QStringLiteral("ps_p3_tag_array_trunc"), tags },
        { K::Trigger, QStringLiteral("ps_p3_tag_array_item"), items },
        { K::Trigger, QStringLiteral("ps_p3_tag_array_item"), autos },
    };
}

QList<SchemaStrategy::Step> TagArrayStrategy::applySteps() const
{
    return {
        { QStringLiteral("columns"), QStringLiteral("Adding the tag array columns") },
        { QStringLiteral("fill"), QStringLiteral("Filling the tag arrays from content_tags") },
        { QStringLiteral("indexes"), QStringLiteral("Building the GIN indexes") },
        { QStringLiteral("triggers"), QStringLiteral("Creating the sync triggers") },
        { QStringLiteral("analyze"), QStringLiteral("VACUUM ANALYZE of the content tables"), false },
    };
}

Result<StrategyQuery> TagArrayStrategy::query(PgSession &, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    GalleryQueryBuilder b(workload);
    const QString op = workload.match == TagMatch::All ? QStringLiteral("@>") : QStringLiteral("&&");
    const QString sql = b.unionQuery([&op](GalleryQueryBuilder &qb, SourceKind, const QString &alias) {
        if (!qb.hasTags())
            return QStringList();
        return QStringList { QStringLiteral("%1.ps_p3_tag_array_tag_ids %2 %3").arg(alias, op, qb.tagsParam()) };
    });
    return b.finish(sql, b.hasTags() ? QString() : QStringLiteral("no tag filter: the baseline query"));
}

} // namespace plansight
