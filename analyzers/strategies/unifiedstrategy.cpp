#include "strategies/unifiedstrategy.h"

#include "strategies/galleryquery.h"
#include "util/sqlfiles.h"

namespace plansight {

UnifiedStrategy::UnifiedStrategy(bool fixed) : m_fixed(fixed) { }

StrategyInfo UnifiedStrategy::info() const
{
    StrategyInfo i;
    i.proposal = QStringLiteral("shipped");
    i.operations = QStringLiteral(
        "A schema change: both content tables become partitions of one parent with a source column, and the "
        "application queries the parent; new indexes on the junction and on each partition to maintain.");
    if (m_fixed) {
        i.id = QStringLiteral("x-unified-fixed");
        i.title = QStringLiteral("The shipped fix, source values mapped");
        i.description = QStringLiteral(
            "The app team's fix with its one error corrected: the parent calls regular items 'items' while "
            "content_tags calls them 'regular', and the shipped query compares the two as they are, so no regular "
            "item ever matches a tag filter. This variant gives the parent the junction's values ('regular', 'auto'); "
            "objects, query and plan are otherwise the shipped ones.");
    } else {
        i.id = QStringLiteral("x-unified");
        i.title = QStringLiteral("The fix the app shipped");
        i.description = QStringLiteral(
            "The app team's own fix, as shipped: both content tables attached as partitions of one parent (by a new "
            "source column, 'items' or 'auto'), a unique (id, source) index, a (created_at DESC, id DESC) keyset index "
            "per partition, a (tag_id, content_source, content_id) junction index, and one query over the parent. "
            "Its EXISTS compares the junction's 'regular' with the parent's 'items' as they are.");
    }
    return i;
}

QString UnifiedStrategy::regularValue() const
{
    return m_fixed ? QStringLiteral("regular") : QStringLiteral("items");
}

QString UnifiedStrategy::parent() const
{
    return QStringLiteral("public.") + objectPrefix(id()) + QStringLiteral("_content_items_all");
}

QString UnifiedStrategy::sourceColumn() const
{
    return objectPrefix(id()) + QStringLiteral("_source_type");
}

QList<SchemaObject> UnifiedStrategy::objects() const
{
    using K = SchemaObject::Kind;
    const QString p = objectPrefix(id());
    const QString all = p + QStringLiteral("_content_items_all");
    const QString items = QStringLiteral("content_items");
    const QString autoItems = QStringLiteral("content_items_auto");
    return {
        { K::Table, all, QString(), false }, // partitioned: its partitions are the base content tables
        { K::Column, sourceColumn(), all },
        { K::Column, sourceColumn(), items },
        { K::Column, sourceColumn(), autoItems },
        { K::Index, all + QStringLiteral("_uidx_id_src"), all },
        { K::Index, p + QStringLiteral("_items_uidx_id_src"), items },
        { K::Index, p + QStringLiteral("_auto_uidx_id_src"), autoItems },
        { K::Index, all + QStringLiteral("_keyset"), all },
        { K::Index, p + QStringLiteral("_items_keyset"), items },
        { K::Index, p + QStringLiteral("_auto_keyset"), autoItems },
        { K::Index, p + QStringLiteral("_tag_src_content"), QStringLiteral("content_tags") },
    };
}

QList<SchemaStrategy::Step> UnifiedStrategy::applySteps() const
{
    return {
        { QStringLiteral("parent"), QStringLiteral("Creating the partitioned parent of both content tables") },
        { QStringLiteral("columns"), QStringLiteral("Adding the source column to the content tables") },
        { QStringLiteral("attach"), QStringLiteral("Attaching content_items and content_items_auto as partitions") },
        { QStringLiteral("indexes"), QStringLiteral("Building the unique, keyset and junction indexes") },
        { QStringLiteral("analyze"), QStringLiteral("VACUUM ANALYZE of content_tags and the parent"), false },
    };
}

QString UnifiedStrategy::stepSql(const QString &sqlName) const
{
    // The prefix and the value are constants of the catalog, never input.
    return sql(QStringLiteral("strategies/x-unified/") + sqlName)
        .replace(QLatin1String("PS_PREFIX"), objectPrefix(id()))
        .replace(QLatin1String("PS_REGULAR"), regularValue());
}

Result<StrategyStatus> UnifiedStrategy::status(PgSession &session) const
{
    auto st = SchemaStrategy::status(session);
    if (!st || st->state != StrategyState::Applied)
        return st;
    auto attached = session.exec(sql(QStringLiteral("strategies/x-unified/attached")), { parent() });
    if (!attached)
        return attached.error();
    if (attached->toLongLong(0, 0) != 2) {
        st->state = StrategyState::Broken;
        st->missing
            << QStringLiteral("partitions public.content_items and public.content_items_auto of %1").arg(parent());
        st->detail
            = QStringLiteral("the content tables are not both partitions of %1; apply again to rebuild, or revert")
                  .arg(parent());
    }
    return st;
}

Result<StrategyQuery> UnifiedStrategy::query(PgSession &, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    GalleryQueryBuilder b(workload);
    const QString src = QStringLiteral("cia.") + sourceColumn();
    // The page's source in the junction's words (see the header); the parent's own value follows as source_type.
    const QString label = QStringLiteral("CASE %1 WHEN 'items' THEN 'regular' ELSE %1 END").arg(src);

    // One condition per selected kind, in the shipped form: (source = '...' AND creator_id = / <> :user).
    QStringList kinds;
    for (SourceKind kind : allSourceKinds()) {
        if (!workload.sources.contains(kind))
            continue;
        const QString value = sourceValue(kind) == QLatin1String("regular") ? regularValue() : QStringLiteral("auto");
        kinds << QStringLiteral("(%1 = '%2' AND %3)").arg(src, value, b.creatorCondition(kind, QStringLiteral("cia")));
    }
    QStringList where { QStringLiteral("(") + kinds.join(QLatin1String("\n      OR ")) + QLatin1Char(')') };
    if (b.hasTags()) {
        // The junction's content_source compared with the parent's value as it is: as shipped 'items' never equals
        // 'regular'; x-unified-fixed stores 'regular'.
        const QString source = src;
        QStringList tags;
        for (int i = 0; i < b.tags().size(); ++i)
            tags << b.param(QStringLiteral("tag%1").arg(i), b.tags().at(i), QStringLiteral("uuid"));
        const QString head = QStringLiteral("EXISTS (SELECT 1 FROM public.content_tags ct WHERE ct.content_id = cia.id "
                                            "AND ct.content_source = %1 AND ct.tag_id ")
                                 .arg(source);
        if (workload.match == TagMatch::Any) {
            where << head + QStringLiteral("IN (%1))").arg(tags.join(QLatin1String(", ")));
        } else {
            for (const QString &t : tags)
                where << head + QStringLiteral("= %1)").arg(t);
        }
    }
    const QString d = b.direction();
    QString order = QStringLiteral("cia.%1 %2, cia.id %2").arg(b.sortColumn(), d);
    if (m_fixed)
        order += QStringLiteral(", source ") + d;
    const QString sql
        = QStringLiteral("SELECT %1, %2 AS source_type\n  FROM %3 cia JOIN public.users u ON u.id = cia.creator_id\n"
                         " WHERE %4\n ORDER BY %5\n LIMIT %6 OFFSET %7")
              .arg(GalleryQueryBuilder::columns(QStringLiteral("cia"), QStringLiteral("u"), label), src, parent(),
                  where.join(QLatin1String("\n   AND ")), order, b.limitParam(), b.offsetParam());
    return b.finish(sql,
        m_fixed ? QStringLiteral("one statement over the partitioned parent, with the junction's source values")
                : QStringLiteral("one statement over the partitioned parent, as shipped"));
}

} // namespace plansight
