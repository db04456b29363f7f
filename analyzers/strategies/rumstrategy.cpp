#include "strategies/rumstrategy.h"

#include "strategies/galleryquery.h"

namespace plansight {

namespace {

const QString Table = QStringLiteral("public.ps_x_rum_items");

// The bounds sort_at is held within (resources/sql/strategies/x-rum/table.sql): the newest-first anchor is the upper
// one, the oldest-first anchor lies just below the lower one (|=> measures only values above its anchor).
const QString Upper = QStringLiteral("'3000-01-01 00:00:00'::timestamp");
const QString Lower = QStringLiteral("'1900-01-01 00:00:00.000001'::timestamp");
const QString BelowLower = QStringLiteral("'1900-01-01 00:00:00'::timestamp");

} // namespace

StrategyInfo RumStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("x-rum");
    i.title = QStringLiteral("RUM index ordered by created_at");
    i.proposal = QStringLiteral("PlanSight");
    i.requirements = { QStringLiteral("the rum extension (postgresql-15-rum)") };
    i.operations = QStringLiteral(
        "The rum extension on the server (not trusted: a superuser creates it), a copy of every item with its tags as "
        "an array kept in sync by triggers on every tag and item write, and a RUM index whose inserts are slower than "
        "a GIN index's.");
    i.description = QStringLiteral(
        "A copy of the content items with their tags as an array, in a table of its own (so the content tables are "
        "not rewritten), indexed with RUM: each tag's posting list carries the item's created_at, so the index scan "
        "that finds the matches (&& for any, @> for all) returns them newest first. The page is cut with ties on "
        "RUM's distance and sorted exactly, then joined back to the content tables.");
    return i;
}

QList<SchemaObject> RumStrategy::objects() const
{
    using K = SchemaObject::Kind;
    QList<SchemaObject> o {
        // Sizes per junction row for the disk estimate: a tag is 16 bytes of an item's array (and the row's header
        // spread over its tags), the key index has one entry per item, the RUM index one per tag with the attached
        // time. At scale 1: 2.5 GiB built, against 12.3 GB when the copy was counted as the junction's heap.
        { K::Table, QStringLiteral("ps_x_rum_items"), QString(), true, 20 },
        { K::Index, QStringLiteral("ps_x_rum_item_key"), QStringLiteral("ps_x_rum_items"), true, 1 },
        { K::Index, QStringLiteral("ps_x_rum_tags_sort"), QStringLiteral("ps_x_rum_items"), true, 16 },
        { K::Function, QStringLiteral("ps_x_rum_refresh"), QString() },
        { K::Function, QStringLiteral("ps_x_rum_tags_sync"), QString() },
        { K::Function, QStringLiteral("ps_x_rum_items_sync"), QString() },
    };
    for (const char *t : { "ins", "del", "upd", "trunc" })
        o << SchemaObject { K::Trigger, QStringLiteral("ps_x_rum_") + QLatin1String(t),
            QStringLiteral("content_tags") };
    for (const char *table : { "content_items", "content_items_auto" }) {
        for (const char *t : { "ins", "del", "upd", "trunc" })
            o << SchemaObject { K::Trigger, QStringLiteral("ps_x_rum_item_") + QLatin1String(t), QLatin1String(table) };
    }
    return o;
}

QList<SchemaStrategy::Step> RumStrategy::applySteps() const
{
    return {
        { QStringLiteral("table"), QStringLiteral("Creating the copy of the items with their tag arrays") },
        { QStringLiteral("fill"), QStringLiteral("Filling it from the content tables and content_tags") },
        { QStringLiteral("key"), QStringLiteral("Building the (content_id, content_source) key") },
        { QStringLiteral("index"), QStringLiteral("Building the RUM index (tag_ids, with sort_at attached)") },
        { QStringLiteral("triggers"), QStringLiteral("Creating the sync triggers") },
        { QStringLiteral("analyze"), QStringLiteral("VACUUM ANALYZE of the copy"), false },
    };
}

Result<StrategyQuery> RumStrategy::query(PgSession &session, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    if (workload.tagIds.isEmpty() || workload.sort != SortField::CreatedAt) {
        StrategyQuery q = baselineQuery(workload);
        q.note = workload.tagIds.isEmpty()
            ? QStringLiteral("no tag filter: the baseline query")
            : QStringLiteral("sorted by quality_score, which the RUM index does not order: the baseline query");
        return q;
    }
    return pageByCursor(session, workload, m_followBudgetMs.load(),
        [](const Workload &w, const PageCursor *after) { return Result<StrategyQuery>(pageQuery(w, after)); });
}

StrategyQuery RumStrategy::pageQuery(const Workload &workload, const PageCursor *after)
{
    GalleryQueryBuilder b(workload);
    const QString dir = b.direction();
    const bool all = workload.match == TagMatch::All && b.tags().size() > 1;
    QString where
        = QStringLiteral("x.tag_ids %1 %2").arg(all ? QStringLiteral("@>") : QStringLiteral("&&"), b.tagsParam());
    if (const QString filter = narrowSourceFilter(b, QStringLiteral("x")); !filter.isEmpty())
        where += QStringLiteral("\n     AND ") + filter;
    // The distance RUM orders by: to the upper bound (newest first) or from just below the lower one (oldest first);
    // after a cursor, from the cursor's created_at held within the same bounds, so that the scan starts there and the
    // rows before it (infinitely far) come last, where the keyset bound drops them.
    QString anchor = workload.descending ? Upper : BelowLower;
    if (after) {
        const QString key = b.param(QStringLiteral("cursor_key"), after->sortValue, QStringLiteral("timestamp"));
        const QString id = b.param(QStringLiteral("cursor_id"), after->id, QStringLiteral("integer"));
        const QString source = b.param(QStringLiteral("cursor_source"), after->source, QStringLiteral("varchar"));
        where += QStringLiteral("\n     AND (x.created_at, x.content_id, x.content_source) %1 (%2, %3, %4)")
                     .arg(workload.descending ? QStringLiteral("<") : QStringLiteral(">"), key, id, source);
        anchor = QStringLiteral("least(greatest(%1, %2), %3)").arg(key, Lower, Upper);
        if (!workload.descending)
            anchor += QStringLiteral(" - interval '1 microsecond'");
    }
    const QString distance = QStringLiteral("x.sort_at %1 %2")
                                 .arg(workload.descending ? QStringLiteral("<=|") : QStringLiteral("|=>"), anchor);
    // With a cursor the page is the first page after it: no OFFSET.
    const qint64 offset = after ? 0 : qint64(workload.offset());
    const QString n = b.param(QStringLiteral("rows"), offset + workload.pageSize, QStringLiteral("bigint"));
    const QString sql = QStringLiteral("WITH hits AS (\n"
                                       "  SELECT x.created_at, x.content_id, x.content_source FROM %1 x\n"
                                       "   WHERE %2\n"
                                       "   ORDER BY %3\n"
                                       "   FETCH FIRST (%4) ROWS WITH TIES\n"
                                       "), page AS (\n"
                                       "  SELECT created_at, content_id, content_source FROM hits\n"
                                       "   ORDER BY %5\n"
                                       "   LIMIT %6 OFFSET %7\n"
                                       ")\n")
                            .arg(Table, where, distance, n, narrowOrder(QString(), dir), b.limitParam(),
                                b.param(QStringLiteral("page_offset"), offset, QStringLiteral("bigint")))
        + joinPageBack(b);
    const QString note = QStringLiteral("one RUM index scan of %1 tag%2 (%3), %4 first, cut at %5 rows with ties")
                             .arg(b.tags().size())
                             .arg(b.tags().size() == 1 ? QString() : QStringLiteral("s"))
                             .arg(all ? QStringLiteral("all") : QStringLiteral("any"))
                             .arg(workload.descending ? QStringLiteral("newest") : QStringLiteral("oldest"))
                             .arg(offset + workload.pageSize);
    return b.finish(sql, note);
}

} // namespace plansight
