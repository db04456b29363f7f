#include "strategies/adaptivestrategy.h"

#include "present/format.h"
#include "strategies/galleryquery.h"
#include "strategies/tagcountsstrategy.h"
#include "strategies/topnstrategy.h"
#include "util/sqlfiles.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace plansight {

namespace {

const QString TopNId = QStringLiteral("x-topn");
const QString RumId = QStringLiteral("x-rum");

// Whether the strategy `id` (one x-adaptive reads) is applied.
Result<bool> isApplied(PgSession &session, const QString &id)
{
    auto st = strategyById(id);
    if (!st)
        return false;
    auto status = st->status(session);
    if (!status)
        return status.error();
    return status->state == StrategyState::Applied;
}

QString itemsText(qint64 n)
{
    return formatCount(double(n)) + (n == 1 ? QStringLiteral(" item") : QStringLiteral(" items"));
}

} // namespace

QString TagSize::describe() const
{
    switch (basis) {
    case Basis::Exact:
        return itemsText(this->items);
    case Basis::AtLeast:
        return QStringLiteral("more than ") + itemsText(this->items - 1);
    case Basis::Estimated:
        return QStringLiteral("about %1 (estimated)").arg(itemsText(this->items));
    case Basis::Unknown:
        break;
    }
    return QStringLiteral("size unknown");
}

QString toString(AdaptiveForm form)
{
    switch (form) {
    case AdaptiveForm::Baseline:
        return QStringLiteral("the baseline query");
    case AdaptiveForm::TopN:
        return QStringLiteral("x-topn");
    case AdaptiveForm::Rum:
        return QStringLiteral("x-rum");
    case AdaptiveForm::JunctionProbe:
        return QStringLiteral("probe the junction");
    }
    return QString();
}

qint64 WalkSample::estimatedWalk(qint64 rows) const
{
    if (items < 0)
        return -1;
    // The rate at which items pass: of the items read up to the last one that passed when the sample stopped there,
    // else of every item read. None passed: at least one in more than the sample's items.
    const qint64 read = passed >= enough && readTo > 0 ? readTo : items;
    const double perRow = passed > 0 ? double(read) / double(passed) : double(std::max<qint64>(items, 1));
    qint64 walk = qint64(std::ceil(double(rows) * perRow));
    // Never more than the tag's items: the whole tag when the sample read it whole, else its size when known.
    const qint64 cap = items < size ? items : (tagItems >= items ? tagItems : -1);
    if (cap >= 0)
        walk = std::min(walk, cap);
    return walk;
}

AdaptiveChoice chooseAdaptiveForm(const AdaptiveInputs &in, qint64 rareItems, qint64 entriesPerProbe)
{
    AdaptiveChoice c;
    if (in.tags.isEmpty()) {
        c.rule = QStringLiteral("no tag filter: the baseline query");
        return c;
    }
    const bool all = in.match == TagMatch::All && in.tags.size() > 1;
    const bool one = in.tags.size() == 1;
    // What the probe would read, and the words for the tags' sizes.
    QString what;
    if (!all) {
        qint64 sum = 0;
        bool known = true;
        for (const TagSize &t : in.tags) {
            if (t.basis != TagSize::Basis::Exact)
                known = false;
            else
                sum += t.items;
        }
        c.candidates = known ? sum : -1;
        if (one)
            what = QStringLiteral("tag (%1)").arg(in.tags.first().describe());
        else if (known)
            what = QStringLiteral("tags (%1 tags, %2 in all)").arg(in.tags.size()).arg(itemsText(sum));
        else
            what = QStringLiteral("tags (%1 tags, one of %2)")
                       .arg(in.tags.size())
                       .arg(std::find_if(in.tags.begin(), in.tags.end(), [](const TagSize &t) {
                           return t.basis != TagSize::Basis::Exact;
                       })->describe());
    } else {
        for (int i = 0; i < in.tags.size(); ++i) {
            const TagSize &t = in.tags.at(i);
            if (t.basis == TagSize::Basis::Exact && (c.rarest < 0 || t.items < in.tags.at(c.rarest).items))
                c.rarest = i;
        }
        if (c.rarest >= 0) {
            c.candidates = in.tags.at(c.rarest).items;
            what = QStringLiteral("tags (all of %1, the rarest with %2)")
                       .arg(in.tags.size())
                       .arg(in.tags.at(c.rarest).describe());
        } else {
            what = QStringLiteral("tags (all of %1, none known to be small: %2)")
                       .arg(in.tags.size())
                       .arg(in.tags.first().describe());
        }
    }
    const bool rare = c.candidates >= 0 && c.candidates <= rareItems;
    const QString size = (rare ? QStringLiteral("rare ") : QStringLiteral("popular ")) + what;
    // x-topn reads one page's worth of its index whatever the tag's size: faster than the probe at every size measured
    // (docs/strategies.md, "x-adaptive"), so it answers whenever it can, except an all-match whose walk is long, which
    // x-rum answers when it is there.
    if (in.sort == SortField::CreatedAt && in.topnApplied) {
        const WalkSample &w = in.walk;
        c.form = AdaptiveForm::TopN;
        if (!all || !in.rumApplied || w.items < 0) {
            c.rule = size + QStringLiteral(": x-topn");
            return c;
        }
        // x-topn probes the other tags for every item it walks; x-rum reads every tag's entries of its index.
        const qint64 probes = w.estimatedWalk(in.pageRows) * qint64(in.tags.size() - 1);
        qint64 entries = 0;
        // Only sizes known or estimated: a lower bound (a count that stopped) would make x-rum look cheaper than it is.
        for (const TagSize &t : in.tags)
            entries = t.basis == TagSize::Basis::Unknown || t.basis == TagSize::Basis::AtLeast || entries < 0
                ? -1
                : entries + t.items;
        // "3 of the 200 newest items of <tag> carry the others" (of the items read to the last that passed, when the
        // sample stopped there).
        const qint64 read = w.passed >= w.enough ? w.readTo : w.items;
        const QString sample
            = QStringLiteral("%1 of the %2 newest items of %3 %4 the others")
                  .arg(w.passed > 0 ? formatCount(double(w.passed)) : QStringLiteral("none"), formatCount(double(read)),
                      w.tag, w.passed == 1 ? QStringLiteral("carries") : QStringLiteral("carry"));
        const QString walk = QStringLiteral(", x-topn's walk about %1 %2 (%3)")
                                 .arg(formatCount(double(probes)),
                                     probes == 1 ? QStringLiteral("probe") : QStringLiteral("probes"), sample);
        if (entries < 0) {
            c.rule = size + walk + QStringLiteral(", x-rum's index entries unknown: x-topn");
            return c;
        }
        const bool rum = probes * entriesPerProbe > entries;
        c.form = rum ? AdaptiveForm::Rum : AdaptiveForm::TopN;
        c.rule = size + walk
            + QStringLiteral(" against x-rum's %1 index entries: %2")
                  .arg(formatCount(double(entries)), rum ? QStringLiteral("x-rum") : QStringLiteral("x-topn"));
        return c;
    }
    const QString why = in.sort != SortField::CreatedAt
        ? QStringLiteral(", sorted by quality_score, which x-topn does not order")
        : QStringLiteral(", x-topn not applied");
    if (rare) {
        c.form = AdaptiveForm::JunctionProbe;
        c.rule = size + why + QStringLiteral(": probe the junction");
        return c;
    }
    c.rule = size + why + QStringLiteral(": the baseline query");
    return c;
}

StrategyQuery junctionProbeQuery(const Workload &workload, int rarest)
{
    GalleryQueryBuilder b(workload);
    QStringList sources;
    for (SourceKind k : workload.sources) {
        if (!sources.contains(sourceLiteral(k)))
            sources << sourceLiteral(k);
    }
    const QString oneSource
        = sources.size() == 1 ? QStringLiteral(" AND r.content_source = ") + sources.first() : QString();
    const bool all = workload.match == TagMatch::All && b.tags().size() > 1;
    // MATERIALIZED: the few junction rows are read once, first, whatever the planner guesses of their number.
    QString matched;
    QString how;
    if (!all) {
        matched = QStringLiteral("matched AS MATERIALIZED (\n"
                                 "  SELECT DISTINCT r.content_id, r.content_source FROM public.content_tags r\n"
                                 "   WHERE r.tag_id = ANY(%1)%2\n"
                                 ")")
                      .arg(b.tagsParam(), oneSource);
        how = b.tags().size() == 1
            ? QStringLiteral("the tag's junction rows joined and sorted")
            : QStringLiteral("the %1 tags' junction rows joined and sorted").arg(b.tags().size());
    } else {
        const int start = rarest >= 0 && rarest < b.tags().size() ? rarest : 0;
        QStringList others = b.tags();
        const QString first = others.takeAt(start);
        // Each item of the rarest tag is kept when it carries every other tag: one probe of the junction's key
        // (content_id, content_source, tag_id) over the bound array of the others, whatever their number.
        matched
            = QStringLiteral("matched AS MATERIALIZED (\n"
                             "  SELECT DISTINCT r.content_id, r.content_source FROM public.content_tags r\n"
                             "   WHERE r.tag_id = %1%2\n"
                             "     AND (SELECT count(DISTINCT o.tag_id) FROM public.content_tags o\n"
                             "           WHERE o.content_id = r.content_id AND o.content_source = r.content_source\n"
                             "             AND o.tag_id = ANY(%3)) >= cardinality(%3)\n"
                             ")")
                  .arg(b.param(QStringLiteral("rarest"), first, QStringLiteral("uuid")), oneSource,
                      b.param(QStringLiteral("others"), QVariant(others), QStringLiteral("uuid[]")));
        how = QStringLiteral("the junction rows of %1, each probed for the %2 others, joined and sorted")
                  .arg(first)
                  .arg(others.size());
    }
    QStringList branches;
    for (SourceKind kind : allSourceKinds()) {
        if (!workload.sources.contains(kind))
            continue;
        branches << QStringLiteral("  SELECT %1\n    FROM matched m JOIN public.%2 ci ON ci.id = m.content_id"
                                   " JOIN public.users u ON u.id = ci.creator_id\n"
                                   "    WHERE m.content_source = %3 AND %4")
                        .arg(GalleryQueryBuilder::columns(
                                 QStringLiteral("ci"), QStringLiteral("u"), sourceLiteral(kind)),
                            sourceTable(kind), sourceLiteral(kind), b.creatorCondition(kind, QStringLiteral("ci")));
    }
    const QString sql = QStringLiteral("WITH %1\nSELECT * FROM (\n%2\n) AS gallery\nORDER BY %3\nLIMIT %4 OFFSET %5")
                            .arg(matched, branches.join(QLatin1String("\n  UNION ALL\n")), b.orderBy(), b.limitParam(),
                                b.offsetParam());
    return b.finish(sql, how);
}

StrategyInfo AdaptiveStrategy::info() const
{
    StrategyInfo i;
    i.id = QStringLiteral("x-adaptive");
    i.title = QStringLiteral("Adaptive choice per workload");
    i.proposal = QStringLiteral("PlanSight");
    i.needsObjects = false;
    i.uses = { TopNId, RumId };
    i.operations = QStringLiteral(
        "x-topn's copy of the junction and x-rum's copy of the items, with their triggers, plus a choice in the "
        "application before each query (the tags' sizes from p8-tag-counts or the catalog, and for all-match a "
        "sample of x-topn's walk); nothing of its own to build.");
    i.description = QStringLiteral(
        "Chooses per workload from the tags' sizes (p8-tag-counts' counts, else the catalog's statistics and a "
        "bounded count), the match mode, the sort and, for all-match, a sample of x-topn's walk: sorted by "
        "created_at, x-topn answers, or x-rum where the sample says x-topn's walk would be long; sorted by "
        "quality_score, a rare tag is answered by probing the junction's base index and sorting its few items, the "
        "rest by the baseline query. The note names the rule that answered.");
    return i;
}

Result<StrategyStatus> AdaptiveStrategy::status(PgSession &session) const
{
    StrategyStatus st;
    st.state = StrategyState::Applied;
    auto topn = isApplied(session, TopNId);
    if (!topn)
        return topn.error();
    auto rum = isApplied(session, RumId);
    if (!rum)
        return rum.error();
    st.detail = QStringLiteral("needs no database objects of its own; ")
        + (*topn ? QStringLiteral("reads x-topn's, which are applied")
                 : QStringLiteral("x-topn is not applied, so popular tags get the baseline query"))
        + (*rum ? QStringLiteral(", and x-rum's, which are applied")
                : QStringLiteral("; x-rum is not applied, so x-topn answers every all-match"));
    return st;
}

Result<QList<TagSize>> AdaptiveStrategy::tagSizes(
    PgSession &session, const QStringList &tags, qint64 rareItems, QString *source)
{
    QList<TagSize> out;
    auto exact = exactTagCounts(session, tags);
    if (exact) {
        for (const QString &t : tags)
            out << TagSize { exact->value(t, 0), TagSize::Basis::Exact };
        if (source)
            *source = QStringLiteral("sizes from p8-tag-counts");
        return out;
    }
    if (exact.error().code != errc::Missing)
        return exact.error();
    auto r = session.exec(
        sql(QStringLiteral("strategies/x-adaptive/tag_sizes")), { QVariant(tags), QVariant(qint64(rareItems)) });
    if (!r)
        return r.error();
    QHash<QString, TagSize> byTag;
    for (int i = 0; i < r->rows(); ++i) {
        TagSize s;
        if (!r->isNull(i, 2)) {
            const qint64 n = r->toLongLong(i, 2);
            s = n > rareItems ? TagSize { n, TagSize::Basis::AtLeast } : TagSize { n, TagSize::Basis::Exact };
            // Past the bound, a tag the statistics leave out gets the planner's estimate when that is larger (x-rum's
            // index entries are counted from the sizes; a lower bound there would favour it wrongly).
            if (s.basis == TagSize::Basis::AtLeast && !r->isNull(i, 3) && r->toLongLong(i, 3) > n)
                s = TagSize { r->toLongLong(i, 3), TagSize::Basis::Estimated };
        } else if (!r->isNull(i, 1)) {
            s = TagSize { r->toLongLong(i, 1), TagSize::Basis::Estimated };
        }
        byTag.insert(r->value(i, 0).toLower(), s);
    }
    for (const QString &t : tags)
        out << byTag.value(t);
    if (source)
        *source = QStringLiteral("sizes from the catalog's statistics, the tags it does not list as common counted on "
                                 "the junction up to %1")
                      .arg(formatCount(double(rareItems)));
    return out;
}

Result<WalkSample> AdaptiveStrategy::sampleWalk(PgSession &session, const QStringList &tags, qint64 size, qint64 enough)
{
    auto order = TopNStrategy::walkOrder(session, tags);
    if (!order)
        return order.error();
    WalkSample w;
    w.tag = order->first();
    w.size = size;
    w.enough = enough;
    auto r = session.exec(sql(QStringLiteral("strategies/x-adaptive/walk_sample")),
        { w.tag, QVariant(order->mid(1)), QVariant(size), QVariant(enough) });
    if (!r)
        return r.error();
    w.items = r->toLongLong(0, 0);
    w.passed = r->toLongLong(0, 1);
    w.readTo = r->isNull(0, 2) ? -1 : r->toLongLong(0, 2);
    return w;
}

Result<StrategyQuery> AdaptiveStrategy::query(PgSession &session, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    QElapsedTimer clock;
    clock.start();
    GalleryQueryBuilder b(workload);
    const qint64 rareItems = m_rareItems.load();
    AdaptiveInputs in;
    in.match = workload.match;
    in.sort = workload.sort;
    QString source;
    if (b.hasTags()) {
        auto sizes = tagSizes(session, b.tags(), rareItems, &source);
        if (!sizes)
            return sizes.error();
        in.tags = sizes.value();
        auto topn = isApplied(session, TopNId);
        if (!topn)
            return topn.error();
        in.topnApplied = *topn;
        // The walk's sample only where it decides: all-match on several tags, sorted by created_at, both there.
        if (in.topnApplied && in.match == TagMatch::All && b.tags().size() > 1 && in.sort == SortField::CreatedAt) {
            auto rum = isApplied(session, RumId);
            if (!rum)
                return rum.error();
            in.rumApplied = *rum;
            if (in.rumApplied) {
                auto walk = sampleWalk(session, b.tags());
                if (!walk)
                    return walk.error();
                in.walk = walk.value();
                if (const qsizetype i = b.tags().indexOf(in.walk.tag); i >= 0
                    && (in.tags.at(i).basis == TagSize::Basis::Exact
                        || in.tags.at(i).basis == TagSize::Basis::Estimated)) // not a lower bound
                    in.walk.tagItems = in.tags.at(i).items;
                in.pageRows = workload.byCursor ? workload.pageSize : qint64(workload.offset()) + workload.pageSize;
            }
        }
    }
    const AdaptiveChoice choice = chooseAdaptiveForm(in, rareItems, m_entriesPerProbe.load());
    const double choosingMs = double(clock.nsecsElapsed()) / 1e6;
    Result<StrategyQuery> q = baselineQuery(workload);
    switch (choice.form) {
    case AdaptiveForm::TopN:
        q = strategyById(TopNId)->query(session, workload);
        break;
    case AdaptiveForm::Rum:
        q = strategyById(RumId)->query(session, workload);
        break;
    case AdaptiveForm::JunctionProbe:
        q = junctionProbeQuery(workload, choice.rarest);
        break;
    case AdaptiveForm::Baseline:
        break;
    }
    if (!q)
        return q;
    QStringList note { choice.rule };
    if (!source.isEmpty())
        note << source;
    if (!q->note.isEmpty())
        note << q->note;
    note << QStringLiteral("chosen in %1, not timed").arg(formatMs(choosingMs));
    q->note = note.join(QStringLiteral("; "));
    return q;
}

} // namespace plansight
