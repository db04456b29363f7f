#include "strategies/matviewstrategy.h"

#include "strategies/galleryquery.h"
#include "util/sqlfiles.h"

namespace plansight {

namespace {

const QString View = QStringLiteral("public.ps_p1_matview_gallery");

// The workload's source kinds and creator conditions on the view's rows (alias v); empty when every row qualifies.
QString kindFilter(GalleryQueryBuilder &b)
{
    const QList<SourceKind> &kinds = b.workload().sources;
    QStringList conds;
    bool everything = true;
    for (SourceKind user : { SourceKind::UserRegular, SourceKind::UserAuto }) {
        const SourceKind community
            = user == SourceKind::UserRegular ? SourceKind::CommunityRegular : SourceKind::CommunityAuto;
        const bool u = kinds.contains(user);
        const bool c = kinds.contains(community);
        if (!u && !c) {
            everything = false;
            continue;
        }
        QString cond = QStringLiteral("v.source = ") + sourceLiteral(user);
        if (u != c) {
            everything = false;
            cond += QStringLiteral(" AND v.creator_id ") + (u ? QStringLiteral("= ") : QStringLiteral("<> "))
                + b.userParam();
        }
        conds << cond;
    }
    if (everything)
        return QString();
    return conds.size() == 1 ? conds.first() : QStringLiteral("((%1))").arg(conds.join(QLatin1String(") OR (")));
}

} // namespace

Result<int> MatviewStrategy::topTags()
{
    const QByteArray raw = qgetenv("PLANSIGHT_P1_TOP_TAGS").trimmed();
    if (raw.isEmpty())
        return DefaultTopTags;
    bool ok = false;
    const int k = raw.toInt(&ok);
    if (!ok || k < 1 || k > MaxTopTags)
        return Error::make(errc::Input,
            QStringLiteral("PLANSIGHT_P1_TOP_TAGS is '%1', not a whole number from 1 to %2: set it to the number of "
                           "popular tags p1-matview keeps in its view, or unset it for %3.")
                .arg(QString::fromLocal8Bit(raw))
                .arg(MaxTopTags)
                .arg(DefaultTopTags));
    return k;
}

StrategyInfo MatviewStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("p1-matview");
    i.title = QStringLiteral("Materialized views of the popular tags");
    i.proposal = QStringLiteral("P1");
    i.mayBeStale = true;
    i.operations = QStringLiteral(
        "A materialized view of the gallery rows of the top tags, refreshed every 5 minutes (a pg_cron job, or "
        "a scheduler of your own); pages of those tags lag new items until the next refresh, and every refresh "
        "re-reads all their rows.");
    i.description = QStringLiteral(
        "The gallery rows of the K most popular tags (K = 20, PLANSIGHT_P1_TOP_TAGS) in one materialized view with "
        "a unique index for REFRESH CONCURRENTLY and indexes for newest-first pages and the creator filter, "
        "refreshed every 5 minutes. Workloads whose tags are all popular read the view; others run the baseline "
        "query. New items are missing from the view until the next refresh.");
    return i;
}

QList<SchemaObject> MatviewStrategy::objects() const
{
    using K = SchemaObject::Kind;
    const QString gallery = QStringLiteral("ps_p1_matview_gallery");
    return {
        { K::Table, QStringLiteral("ps_p1_matview_config"), QString(), false },
        { K::Table, QStringLiteral("ps_p1_matview_popular"), QString(), false },
        { K::Index, QStringLiteral("ps_p1_matview_popular_tag"), QStringLiteral("ps_p1_matview_popular") },
        { K::Table, QStringLiteral("ps_p1_matview_refreshed"), QString(), false },
        { K::Table, gallery, QString() },
        { K::Index, QStringLiteral("ps_p1_matview_key"), gallery },
        { K::Index, QStringLiteral("ps_p1_matview_newest"), gallery },
        { K::Index, QStringLiteral("ps_p1_matview_creator"), gallery },
        { K::Function, QStringLiteral("ps_p1_matview_refresh"), QString() },
    };
}

QList<SchemaStrategy::Step> MatviewStrategy::applySteps() const
{
    return {
        { QStringLiteral("tables"), QStringLiteral("Creating the popular-tag and refresh tables") },
        { QStringLiteral("popular"), QStringLiteral("Choosing the most popular tags") },
        { QStringLiteral("view"), QStringLiteral("Building the materialized view of their gallery rows") },
        { QStringLiteral("indexes"), QStringLiteral("Indexing the view (unique key, newest first, creator)") },
        { QStringLiteral("refresh_function"), QStringLiteral("Creating the refresh function") },
        { QStringLiteral("analyze"), QStringLiteral("VACUUM ANALYZE of the view"), false },
    };
}

Status MatviewStrategy::apply(
    PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context)
{
    auto k = topTags();
    if (!k)
        return k.error();
    // The view's SQL reads K from this setting (tables.sql); bound, never spliced.
    if (auto r = session.exec(
            QStringLiteral("SELECT set_config('plansight.p1_top_k', $1, false)"), { QVariant(QString::number(*k)) });
        !r)
        return r.error();
    Status st = RefreshableStrategy::apply(session, cancel, progress, context);
    session.resetCancel();
    (void)session.exec(QStringLiteral("RESET plansight.p1_top_k"));
    return st;
}

Result<StrategyQuery> MatviewStrategy::query(PgSession &session, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    GalleryQueryBuilder b(workload);
    if (!b.hasTags()) {
        StrategyQuery q = baselineQuery(workload);
        q.note = QStringLiteral("no tag filter: the baseline query");
        return q;
    }
    auto popular = session.exec(sql(QStringLiteral("strategies/p1-matview/popular_of")), { QVariant(b.tags()) });
    if (!popular)
        return popular.error();
    QStringList inView;
    for (int i = 0; i < popular->rows(); ++i)
        inView << popular->value(i, 0).toLower();
    QStringList others;
    for (const QString &t : b.tags()) {
        if (!inView.contains(t))
            others << t;
    }
    if (!others.isEmpty()) {
        // A page mixing view rows with fresh rows of the other tags would be neither fresh nor one snapshot: the
        // whole page comes from the tables.
        StrategyQuery q = baselineQuery(workload);
        q.note = others.size() == b.tags().size()
            ? QStringLiteral("fallback: no tag of the workload is among the popular tags of the view; the baseline "
                             "query")
            : QStringLiteral("fallback: %1 of %2 tags are not among the popular tags of the view; the baseline query")
                  .arg(others.size())
                  .arg(b.tags().size());
        return q;
    }

    const QString filter = kindFilter(b);
    const QString andFilter = filter.isEmpty() ? QString() : QStringLiteral("\n   AND ") + filter;
    const QString tags = b.tagsParam();
    QString where;
    QString note;
    if (b.tags().size() == 1) {
        where = QStringLiteral("v.tag_id = (%1)[1]").arg(tags);
        note = QStringLiteral("view: the tag's rows in the materialized view");
    } else if (workload.match == TagMatch::Any) {
        // The first (offset + limit) rows of each tag, read in page order from its index range, merged with one row
        // per item: the page's rows are among them.
        const QString topN
            = b.param(QStringLiteral("topn"), qint64(workload.offset()) + workload.pageSize, QStringLiteral("bigint"));
        const QString sqlText = QStringLiteral("SELECT %1\n  FROM (\n"
                                               "  SELECT DISTINCT ON (h.source, h.id) h.*\n"
                                               "    FROM unnest(%2) AS wanted(tag_id)\n"
                                               "    CROSS JOIN LATERAL (\n"
                                               "      SELECT v.* FROM %3 v\n"
                                               "       WHERE v.tag_id = wanted.tag_id%4\n"
                                               "       ORDER BY %5\n"
                                               "       LIMIT %6) h\n"
                                               "   ORDER BY h.source, h.id\n"
                                               ") v\n ORDER BY %5\n LIMIT %7 OFFSET %8")
                                    .arg(GalleryQueryBuilder::columns(
                                             QStringLiteral("v"), QStringLiteral("v"), QStringLiteral("v.source")),
                                        tags, View, filter.isEmpty() ? QString() : QStringLiteral(" AND ") + filter,
                                        b.orderBy(QStringLiteral("v")), topN, b.limitParam(), b.offsetParam());
        return b.finish(sqlText,
            QStringLiteral("view: %1 popular tags' index ranges in the materialized view, merged")
                .arg(b.tags().size()));
    } else {
        QStringList probes;
        for (int i = 2; i <= b.tags().size(); ++i)
            probes << QStringLiteral("EXISTS (SELECT 1 FROM %1 w WHERE w.tag_id = (%2)[%3] AND w.source = v.source "
                                     "AND w.id = v.id)")
                          .arg(View, tags)
                          .arg(i);
        where = QStringLiteral("v.tag_id = (%1)[1]\n   AND ").arg(tags) + probes.join(QLatin1String("\n   AND "));
        note = QStringLiteral("view: the first tag's rows in the materialized view, probing %1 others")
                   .arg(b.tags().size() - 1);
    }
    const QString sqlText
        = QStringLiteral("SELECT %1\n  FROM %2 v\n WHERE %3%4\n ORDER BY %5\n LIMIT %6 OFFSET %7")
              .arg(GalleryQueryBuilder::columns(QStringLiteral("v"), QStringLiteral("v"), QStringLiteral("v.source")),
                  View, where, andFilter, b.orderBy(QStringLiteral("v")), b.limitParam(), b.offsetParam());
    return b.finish(sqlText, note);
}

} // namespace plansight
