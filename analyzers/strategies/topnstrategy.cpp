#include "strategies/topnstrategy.h"

#include "pg/pgcolumn.h"
#include "strategies/cursorstrategy.h"
#include "strategies/galleryquery.h"
#include "util/sqlfiles.h"

namespace plansight {

namespace {

const QString Table = QStringLiteral("public.ps_x_topn_content_tags");

} // namespace

StrategyInfo TopNStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("x-topn");
    i.title = QStringLiteral("Time-ordered junction (top-N per tag)");
    i.proposal = QStringLiteral("PlanSight");
    i.operations = QStringLiteral(
        "A second copy of the junction (gigabytes at full scale) kept in sync by triggers on every tag "
        "and item write; if it ever drifts it has to be rebuilt.");
    i.description = QStringLiteral(
        "A copy of content_tags that also carries created_at, creator_id and the source, indexed by (tag_id, "
        "created_at DESC, content_id DESC) and kept in sync by triggers. A page is read from the first entries of "
        "each tag's index range (any) or by walking the rarest tag and probing the others (all), then joined back "
        "to the content tables.");
    return i;
}

QList<SchemaObject> TopNStrategy::objects() const
{
    using K = SchemaObject::Kind;
    QList<SchemaObject> o {
        { K::Table, QStringLiteral("ps_x_topn_content_tags"), QString() },
        { K::Index, QStringLiteral("ps_x_topn_tag_created"), QStringLiteral("ps_x_topn_content_tags") },
        { K::Function, QStringLiteral("ps_x_topn_tags_sync"), QString() },
        { K::Function, QStringLiteral("ps_x_topn_items_sync"), QString() },
    };
    for (const char *t : { "ins", "del", "upd", "trunc" })
        o << SchemaObject { K::Trigger, QStringLiteral("ps_x_topn_") + QLatin1String(t),
            QStringLiteral("content_tags") };
    for (const char *table : { "content_items", "content_items_auto" }) {
        for (const char *t : { "ins", "del", "upd", "trunc" })
            o << SchemaObject { K::Trigger, QStringLiteral("ps_x_topn_item_") + QLatin1String(t),
                QLatin1String(table) };
    }
    return o;
}

QList<SchemaStrategy::Step> TopNStrategy::applySteps() const
{
    return {
        { QStringLiteral("table"), QStringLiteral("Creating the time-ordered junction") },
        { QStringLiteral("fill"), QStringLiteral("Filling it from content_tags and the content tables") },
        { QStringLiteral("index"), QStringLiteral("Building the (tag_id, created_at, content_id) index") },
        { QStringLiteral("triggers"), QStringLiteral("Creating the sync triggers") },
        { QStringLiteral("analyze"), QStringLiteral("VACUUM ANALYZE of the time-ordered junction"), false },
    };
}

Result<StrategyQuery> TopNStrategy::query(PgSession &session, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    if (workload.tagIds.isEmpty() || workload.sort != SortField::CreatedAt) {
        StrategyQuery q = baselineQuery(workload);
        q.note = workload.tagIds.isEmpty()
            ? QStringLiteral("no tag filter: the baseline query")
            : QStringLiteral("sorted by quality_score, which the index does not order: the baseline query");
        return q;
    }
    return pageByCursor(session, workload, m_followBudgetMs.load(),
        [&](const Workload &w, const PageCursor *after) { return pageQuery(session, w, after); });
}

Result<QStringList> TopNStrategy::walkOrder(PgSession &session, const QStringList &tags)
{
    auto freq = session.exec(sql(QStringLiteral("strategies/x-topn/tag_frequencies")), { QVariant(tags) });
    if (!freq)
        return freq.error();
    if (freq->rows() != tags.size())
        return tags;
    return columnTexts(*freq);
}

Result<StrategyQuery> TopNStrategy::pageQuery(PgSession &session, const Workload &workload, const PageCursor *after)
{
    GalleryQueryBuilder b(workload);
    const QString dir = b.direction();
    const QString filter = narrowSourceFilter(b, QStringLiteral("x"));
    QString andFilter = filter.isEmpty() ? QString() : QStringLiteral(" AND ") + filter;
    if (after) {
        // The keyset bound on the index's order (created_at, content_id) and the source tie-break, as one row
        // comparison: the index serves its leading columns, so each range starts at the cursor.
        const QString key = b.param(QStringLiteral("cursor_key"), after->sortValue, QStringLiteral("timestamp"));
        const QString id = b.param(QStringLiteral("cursor_id"), after->id, QStringLiteral("integer"));
        const QString source = b.param(QStringLiteral("cursor_source"), after->source, QStringLiteral("varchar"));
        andFilter += QStringLiteral(" AND (x.created_at, x.content_id, x.content_source) %1 (%2, %3, %4)")
                         .arg(workload.descending ? QStringLiteral("<") : QStringLiteral(">"), key, id, source);
    }
    // With a cursor the page is the first page after it: no OFFSET.
    const qint64 offset = after ? 0 : qint64(workload.offset());
    QString page;
    QString note;
    if (workload.match == TagMatch::Any || b.tags().size() == 1) {
        const QString topN = b.param(QStringLiteral("topn"), offset + workload.pageSize, QStringLiteral("bigint"));
        page = QStringLiteral("candidates AS (\n"
                              "  SELECT DISTINCT hit.created_at, hit.content_id, hit.content_source\n"
                              "    FROM unnest(%1) AS wanted(tag_id)\n"
                              "    CROSS JOIN LATERAL (\n"
                              "      SELECT x.created_at, x.content_id, x.content_source FROM %2 x\n"
                              "       WHERE x.tag_id = wanted.tag_id%3\n"
                              "       ORDER BY %4\n"
                              "       LIMIT %5) hit\n"
                              "), page AS (\n"
                              "  SELECT created_at, content_id, content_source FROM candidates\n"
                              "   ORDER BY %6\n"
                              "   LIMIT %7 OFFSET %8\n"
                              ")")
                   .arg(b.tagsParam(), Table, andFilter, narrowOrder(QStringLiteral("x"), dir), topN,
                       narrowOrder(QString(), dir), b.limitParam(),
                       b.param(QStringLiteral("page_offset"), offset, QStringLiteral("bigint")));
        note = b.tags().size() == 1 ? QStringLiteral("one ordered index range")
                                    : QStringLiteral("%1 ordered index ranges merged").arg(b.tags().size());
    } else {
        auto walk = walkOrder(session, b.tags());
        if (!walk)
            return walk.error();
        const QStringList &order = walk.value();
        const QString rarest = b.param(QStringLiteral("rarest"), order.first(), QStringLiteral("uuid"));
        // The other tags, probed together: ONE subquery over the bound array, whatever its length, so that the
        // statement's text and the planner's work are the same for 2 tags as for 20 (one EXISTS per tag made the
        // planner weigh a join of every probe: 152 ms of planning for 20 tags at scale 1; docs/strategies.md).
        // The index serves tag_id = ANY(array) with one descent per tag at (created_at, content_id); an item
        // qualifies when it carries every one of them. DISTINCT: a junction row repeated (content_tags has no key)
        // counts once. ">=" is the same test as "=" (the tags are distinct, so the count never exceeds the array's
        // length), written so because the planner guesses that a third of the walk passes an inequality and 0.5%
        // an equality: with "=" it expected to walk 40 times further, its cost crossed jit_above_cost, and the
        // statement spent 60 ms compiling JIT code to execute in 1 ms (multi-all, 5 tags, scale 0.03).
        const QStringList others = order.mid(1);
        const QString othersParam = b.param(QStringLiteral("others"), QVariant(others), QStringLiteral("uuid[]"));
        const QString probe = QStringLiteral(
            "(SELECT count(DISTINCT y.tag_id) FROM %1 y\n"
            "           WHERE y.tag_id = ANY(%2) AND y.created_at = x.created_at AND y.content_id = x.content_id\n"
            "             AND y.content_source = x.content_source) >= cardinality(%2)")
                                  .arg(Table, othersParam);
        page = QStringLiteral("page AS (\n"
                              "  SELECT x.created_at, x.content_id, x.content_source FROM %1 x\n"
                              "   WHERE x.tag_id = %2%3\n"
                              "     AND %4\n"
                              "   ORDER BY %5\n"
                              "   LIMIT %6 OFFSET %7\n"
                              ")")
                   .arg(Table, rarest, andFilter, probe, narrowOrder(QStringLiteral("x"), dir), b.limitParam(),
                       b.param(QStringLiteral("page_offset"), offset, QStringLiteral("bigint")));
        note = QStringLiteral("walking the rarest tag %1, probing the %2 others in one index scan")
                   .arg(order.first())
                   .arg(others.size());
    }
    return b.finish(QStringLiteral("WITH ") + page + QLatin1Char('\n') + joinPageBack(b), note);
}

} // namespace plansight
