#include "strategies/tagcountsstrategy.h"

#include "strategies/galleryquery.h"
#include "util/sqlfiles.h"

namespace plansight {

namespace {

QStringList sourceValues(const QList<SourceKind> &kinds)
{
    QStringList out;
    for (SourceKind k : kinds) {
        if (!out.contains(sourceValue(k)))
            out << sourceValue(k);
    }
    return out;
}

} // namespace

StrategyInfo TagCountsStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("p8-tag-counts");
    i.title = QStringLiteral("Tag counts table");
    i.proposal = QStringLiteral("P8");
    i.mayBeStale = true;
    i.operations = QStringLiteral(
        "A small table of item counts per tag and source, recomputed by one aggregation over the junction every 5 "
        "minutes (a pg_cron job, or a scheduler of your own); the counts lag new items until the next refresh.");
    i.description = QStringLiteral(
        "Exact item counts per tag and source in a table refreshed every 5 minutes. The gallery query is the "
        "baseline's, except that a tag without items gets its empty page without reading the junction; the counts "
        "also feed the tag picker. The review expected it not to solve the core issue.");
    return i;
}

QList<SchemaObject> TagCountsStrategy::objects() const
{
    using K = SchemaObject::Kind;
    const QString counts = QStringLiteral("ps_p8_tag_counts_tag_content_counts");
    return {
        { K::Table, counts, QString(), false },
        { K::Index, QStringLiteral("ps_p8_tag_counts_key"), counts },
        { K::Table, QStringLiteral("ps_p8_tag_counts_refreshed"), QString(), false },
        { K::Function, QStringLiteral("ps_p8_tag_counts_refresh"), QString() },
    };
}

QList<SchemaStrategy::Step> TagCountsStrategy::applySteps() const
{
    return {
        { QStringLiteral("tables"), QStringLiteral("Creating the tag counts table") },
        { QStringLiteral("refresh_function"), QStringLiteral("Creating the refresh function") },
        { QStringLiteral("fill"), QStringLiteral("Counting the items of every tag") },
        { QStringLiteral("analyze"), QStringLiteral("VACUUM ANALYZE of the tag counts"), false },
    };
}

Result<StrategyQuery> TagCountsStrategy::query(PgSession &session, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    StrategyQuery q = baselineQuery(workload);
    GalleryQueryBuilder b(workload);
    if (!b.hasTags()) {
        q.note = QStringLiteral("no tag filter: the baseline query");
        return q;
    }
    auto counts = exactTagCounts(session, b.tags(), workload.sources);
    if (!counts)
        return counts.error();
    QStringList empty;
    qint64 total = 0;
    for (const QString &t : b.tags()) {
        const qint64 n = counts->value(t, 0);
        total += n;
        if (n == 0)
            empty << t;
    }
    const bool nothing = workload.match == TagMatch::Any ? empty.size() == b.tags().size() : !empty.isEmpty();
    if (nothing) {
        // The baseline's statement under a constant false: the planner answers it without reading any table.
        q.sql = QStringLiteral("SELECT * FROM (\n%1\n) AS counted\nWHERE false").arg(q.sql);
        q.note = b.tags().size() == 1
            ? QStringLiteral("counts: the tag has no items, the empty page without reading the junction")
            : QStringLiteral("counts: %1 of %2 tags have no items, the empty page without reading the junction")
                  .arg(empty.size())
                  .arg(b.tags().size());
        return q;
    }
    q.note = QStringLiteral("counts: %1 items carry the tags; the baseline query").arg(total);
    return q;
}

Result<QHash<QString, qint64>> exactTagCounts(
    PgSession &session, const QStringList &tagIds, const QList<SourceKind> &sources)
{
    auto present
        = session.exec(QStringLiteral("SELECT to_regclass('public.ps_p8_tag_counts_tag_content_counts') IS NOT NULL"));
    if (!present)
        return present.error();
    if (!present->toBool(0, 0))
        return Error::make(errc::Missing,
            QStringLiteral("Exact tag counts need strategy p8-tag-counts, which is not applied: apply it with "
                           "`plansight strategies apply p8-tag-counts`."));
    QStringList tags;
    for (const QString &t : tagIds)
        tags << t.trimmed().toLower();
    auto r = session.exec(
        sql(QStringLiteral("strategies/p8-tag-counts/counts")), { QVariant(sourceValues(sources)), QVariant(tags) });
    if (!r)
        return r.error();
    QHash<QString, qint64> out;
    for (int i = 0; i < r->rows(); ++i)
        out.insert(r->value(i, 0).toLower(), r->toLongLong(i, 1));
    return out;
}

} // namespace plansight
