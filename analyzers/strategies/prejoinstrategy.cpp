#include "strategies/prejoinstrategy.h"

#include "strategies/galleryquery.h"

namespace plansight {

StrategyInfo PrejoinStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("p5-prejoin");
    i.title = QStringLiteral("Filter tags first, then join");
    i.proposal = QStringLiteral("P5");
    i.operations
        = QStringLiteral("A query change in the application; nothing to build, schedule or monitor in the database.");
    i.description = QStringLiteral(
        "Finds the matching items in content_tags once (IN for any, GROUP BY ... HAVING count(DISTINCT tag_id) = k "
        "for all) and joins the content tables to that set, instead of a correlated EXISTS per row. Needs no "
        "database objects.");
    i.needsObjects = false;
    return i;
}

Result<StrategyQuery> PrejoinStrategy::query(PgSession &, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    GalleryQueryBuilder b(workload);
    if (!b.hasTags()) {
        StrategyQuery q = baselineQuery(workload);
        q.note = QStringLiteral("no tag filter: the baseline query");
        return q;
    }
    // Only the sources the workload reads: a one-source workload filters the junction on it too.
    QStringList sources;
    for (SourceKind k : workload.sources) {
        if (!sources.contains(sourceLiteral(k)))
            sources << sourceLiteral(k);
    }
    QString with
        = QStringLiteral("matched AS (\n  SELECT ct.content_id, ct.content_source FROM public.content_tags ct\n"
                         "   WHERE ct.tag_id = ANY(%1)")
              .arg(b.tagsParam());
    if (sources.size() == 1)
        with += QStringLiteral(" AND ct.content_source = ") + sources.first();
    with += QStringLiteral("\n   GROUP BY ct.content_id, ct.content_source");
    if (workload.match == TagMatch::All && b.tags().size() > 1)
        with += QStringLiteral("\n  HAVING count(DISTINCT ct.tag_id) = ")
            + b.param(QStringLiteral("k"), int(b.tags().size()), QStringLiteral("bigint"));
    with += QStringLiteral("\n)");
    const QString sql = b.unionQuery(
        [](GalleryQueryBuilder &, SourceKind kind, const QString &alias) {
            return QStringList { QStringLiteral(
                "%1.id IN (SELECT m.content_id FROM matched m WHERE m.content_source = %2)")
                                     .arg(alias, sourceLiteral(kind)) };
        },
        with);
    return b.finish(sql);
}

} // namespace plansight
