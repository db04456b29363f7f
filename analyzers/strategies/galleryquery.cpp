#include "strategies/galleryquery.h"

namespace plansight {

GalleryQueryBuilder::GalleryQueryBuilder(Workload workload) : m_workload(std::move(workload))
{
    for (const QString &t : m_workload.tagIds) {
        const QString id = t.trimmed().toLower();
        if (!m_tags.contains(id))
            m_tags << id;
    }
}

QString GalleryQueryBuilder::param(const QString &key, const QVariant &value, const QString &cast)
{
    int n = m_numbers.value(key, 0);
    if (n == 0) {
        m_params << value;
        n = int(m_params.size());
        m_numbers.insert(key, n);
    }
    return QStringLiteral("$%1::%2").arg(n).arg(cast);
}

QString GalleryQueryBuilder::userParam()
{
    return param(QStringLiteral("user"), m_workload.userId, QStringLiteral("uuid"));
}

QString GalleryQueryBuilder::tagsParam()
{
    return param(QStringLiteral("tags"), QVariant(m_tags), QStringLiteral("uuid[]"));
}

QString GalleryQueryBuilder::limitParam()
{
    return param(QStringLiteral("limit"), qint64(m_workload.pageSize), QStringLiteral("bigint"));
}

QString GalleryQueryBuilder::offsetParam()
{
    return param(QStringLiteral("offset"), qint64(m_workload.offset()), QStringLiteral("bigint"));
}

QString GalleryQueryBuilder::columns(const QString &item, const QString &user, const QString &source)
{
    QString s;
    for (const char *c :
        { "id", "title", "content_type", "content_data", "path_thumb", "path_thumbs_alt_res", "prompt", "creator_id" })
        s += item + QLatin1Char('.') + QLatin1String(c) + QLatin1String(", ");
    s += user + QLatin1String(".username AS creator_username, ");
    for (const char *c : { "item_metadata", "is_private", "quality_score", "created_at", "updated_at" })
        s += item + QLatin1Char('.') + QLatin1String(c) + QLatin1String(", ");
    s += source + QLatin1String("::text AS source");
    return s;
}

QString sourceLiteral(SourceKind kind)
{
    return QLatin1Char('\'') + sourceValue(kind) + QLatin1Char('\'');
}

QString narrowSourceFilter(GalleryQueryBuilder &b, const QString &alias)
{
    const QList<SourceKind> &kinds = b.workload().sources;
    struct Pair {
        SourceKind user;
        SourceKind community;
    };
    QStringList conds;
    bool everything = true;
    for (const Pair &p : { Pair { SourceKind::UserRegular, SourceKind::CommunityRegular },
             Pair { SourceKind::UserAuto, SourceKind::CommunityAuto } }) {
        const bool user = kinds.contains(p.user);
        const bool community = kinds.contains(p.community);
        if (!user && !community) {
            everything = false;
            continue;
        }
        QString c = alias + QStringLiteral(".content_source = ") + sourceLiteral(p.user);
        if (user != community) {
            everything = false;
            c += QStringLiteral(" AND %1.creator_id ").arg(alias)
                + (user ? QStringLiteral("= ") : QStringLiteral("<> ")) + b.userParam();
        }
        conds << c;
    }
    if (everything)
        return QString();
    return conds.size() == 1 ? conds.first() : QStringLiteral("((%1))").arg(conds.join(QLatin1String(") OR (")));
}

QString narrowOrder(const QString &qualifier, const QString &dir)
{
    const QString p = qualifier.isEmpty() ? QString() : qualifier + QLatin1Char('.');
    return QStringLiteral("%1created_at %2, %1content_id %2, %1content_source %2").arg(p, dir);
}

QString joinPageBack(GalleryQueryBuilder &b)
{
    QStringList branches;
    for (SourceKind user : { SourceKind::UserRegular, SourceKind::UserAuto }) {
        const SourceKind community
            = user == SourceKind::UserRegular ? SourceKind::CommunityRegular : SourceKind::CommunityAuto;
        if (!b.workload().sources.contains(user) && !b.workload().sources.contains(community))
            continue;
        branches << QStringLiteral("  SELECT %1\n    FROM page p JOIN public.%2 ci ON ci.id = p.content_id"
                                   " JOIN public.users u ON u.id = ci.creator_id\n    WHERE p.content_source = %3")
                        .arg(GalleryQueryBuilder::columns(
                                 QStringLiteral("ci"), QStringLiteral("u"), sourceLiteral(user)),
                            sourceTable(user), sourceLiteral(user));
    }
    return QStringLiteral("SELECT * FROM (\n%1\n) AS gallery\nORDER BY %2")
        .arg(branches.join(QLatin1String("\n  UNION ALL\n")), b.orderBy());
}

QString GalleryQueryBuilder::creatorCondition(SourceKind kind, const QString &itemAlias)
{
    return itemAlias + (isUserKind(kind) ? QLatin1String(".creator_id = ") : QLatin1String(".creator_id <> "))
        + userParam();
}

QString GalleryQueryBuilder::sortColumn() const
{
    return m_workload.sort == SortField::QualityScore ? QStringLiteral("quality_score") : QStringLiteral("created_at");
}

QString GalleryQueryBuilder::direction() const
{
    return m_workload.descending ? QStringLiteral("DESC") : QStringLiteral("ASC");
}

QString GalleryQueryBuilder::orderBy(const QString &qualifier) const
{
    const QString q = qualifier.isEmpty() ? QString() : qualifier + QLatin1Char('.');
    const QString d = direction();
    return QStringLiteral("%1%2 %3, %1id %3, %1source %3").arg(q, sortColumn(), d);
}

QString GalleryQueryBuilder::existsTagFilter(SourceKind kind, const QString &itemAlias)
{
    if (m_tags.isEmpty())
        return QString();
    const QString head = QStringLiteral("EXISTS (SELECT 1 FROM public.content_tags ct WHERE ct.content_id = %1.id "
                                        "AND ct.content_source = %2 AND ct.tag_id ")
                             .arg(itemAlias, sourceLiteral(kind));
    if (m_workload.match == TagMatch::Any)
        return head + QStringLiteral("= ANY(%1))").arg(tagsParam());
    QStringList parts;
    const QString tags = tagsParam();
    for (int i = 1; i <= m_tags.size(); ++i)
        parts << head + QStringLiteral("= (%1)[%2])").arg(tags).arg(i);
    return parts.join(QLatin1String("\n      AND "));
}

QString GalleryQueryBuilder::unionQuery(const BranchConditions &branch, const QString &with, bool withOffset)
{
    QStringList branches;
    for (SourceKind kind : allSourceKinds()) {
        if (!m_workload.sources.contains(kind))
            continue;
        const QString table = QLatin1String("public.") + sourceTable(kind);
        QStringList where { creatorCondition(kind, QStringLiteral("ci")) };
        if (branch)
            where << branch(*this, kind, QStringLiteral("ci"));
        where.removeAll(QString());
        branches << QStringLiteral("  SELECT %1\n    FROM %2 ci JOIN public.users u ON u.id = ci.creator_id\n"
                                   "    WHERE %3")
                        .arg(columns(QStringLiteral("ci"), QStringLiteral("u"), sourceLiteral(kind)), table,
                            where.join(QLatin1String("\n      AND ")));
    }
    QString sql;
    if (!with.isEmpty())
        sql = QStringLiteral("WITH ") + with + QLatin1Char('\n');
    sql += QStringLiteral("SELECT * FROM (\n%1\n) AS gallery\nORDER BY %2\nLIMIT %3")
               .arg(branches.join(QLatin1String("\n  UNION ALL\n")), orderBy(), limitParam());
    if (withOffset)
        sql += QStringLiteral(" OFFSET ") + offsetParam();
    return sql;
}

StrategyQuery GalleryQueryBuilder::finish(const QString &sql, const QString &note) const
{
    StrategyQuery q;
    q.sql = sql;
    q.params = m_params;
    q.note = note;
    return q;
}

StrategyQuery baselineQuery(const Workload &workload)
{
    GalleryQueryBuilder b(workload);
    const QString sql = b.unionQuery([](GalleryQueryBuilder &qb, SourceKind kind, const QString &alias) {
        return QStringList { qb.existsTagFilter(kind, alias) };
    });
    return b.finish(sql);
}

} // namespace plansight
