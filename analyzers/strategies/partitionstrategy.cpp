#include "strategies/partitionstrategy.h"

#include "strategies/galleryquery.h"
#include "util/sqlfiles.h"

#include <optional>

namespace plansight {

Result<QString> partitionSourceLiteral(const QString &value)
{
    if (value != QLatin1String("regular") && value != QLatin1String("auto"))
        return Error::make(errc::Internal,
            QStringLiteral("'%1' is not a content source of the partitioned copy (regular or auto).")
                .arg(value.left(40)));
    return QString(QLatin1Char('\'') + value + QLatin1Char('\''));
}

PartitionStrategy::PartitionStrategy(bool hash) : m_hash(hash) { }

StrategyInfo PartitionStrategy::info() const
{
    StrategyInfo i;
    i.proposal = QStringLiteral("P9");
    i.operations = QStringLiteral(
        "A partitioned copy of the junction (as large as content_tags itself) kept in sync by triggers on every "
        "tag write; in production the application would move to the partitioned table, a migration of the "
        "88-million-row junction.");
    if (m_hash) {
        i.id = QStringLiteral("p9-partition-hash");
        i.title = QStringLiteral("Junction partitioned by source, then by tag hash");
        i.description = QStringLiteral(
            "A copy of content_tags partitioned by content_source (regular, auto), each partition split again by "
            "HASH(tag_id) into %1, with indexes per partition, kept in sync by triggers. The query is the baseline's "
            "over the copy; the source literal and the tag ids let the planner keep one partition per source and "
            "tag.")
                            .arg(HashModulus);
    } else {
        i.id = QStringLiteral("p9-partition");
        i.title = QStringLiteral("Junction partitioned by source");
        i.description = QStringLiteral(
            "The review's P9: a copy of content_tags partitioned by LIST (content_source) into regular and auto, "
            "with indexes per partition, kept in sync by triggers. The query is the baseline's over the copy, with "
            "the source as a literal so each branch reads one partition.");
    }
    return i;
}

QString PartitionStrategy::table() const
{
    return QStringLiteral("public.") + tables().first();
}

QStringList PartitionStrategy::tables() const
{
    const QString p = objectPrefix(id());
    QStringList out { p + QStringLiteral("_content_tags") };
    for (const char *source : { "regular", "auto" }) {
        const QString t = p + QLatin1Char('_') + QLatin1String(source);
        out << t;
        if (m_hash) {
            for (int i = 0; i < HashModulus; ++i)
                out << t + QLatin1Char('_') + QString::number(i);
        }
    }
    out << p + QStringLiteral("_other");
    return out;
}

QList<SchemaObject> PartitionStrategy::objects() const
{
    using K = SchemaObject::Kind;
    const QString p = objectPrefix(id());
    QList<SchemaObject> o;
    for (const QString &t : tables()) {
        o << SchemaObject { K::Table, t, QString() };
        o << SchemaObject { K::Index, t + QStringLiteral("_content"), t };
        o << SchemaObject { K::Index, t + QStringLiteral("_tag"), t };
    }
    o << SchemaObject { K::Function, p + QStringLiteral("_sync"), QString() };
    for (const char *t : { "ins", "del", "upd", "trunc" })
        o << SchemaObject { K::Trigger, p + QLatin1Char('_') + QLatin1String(t), QStringLiteral("content_tags") };
    return o;
}

QStringList PartitionStrategy::indexNames() const
{
    return { table() + QStringLiteral("_content"), table() + QStringLiteral("_tag") };
}

QList<PartitionTree> PartitionStrategy::partitionTrees() const
{
    QStringList all = tables();
    PartitionTree tree { all.takeFirst(), {} };
    const QString p = objectPrefix(id());
    for (const QString &t : std::as_const(all)) {
        // With hash, the per-source tables are partitioned themselves: their hash partitions are the leaves.
        const bool sourceLevel = t == p + QStringLiteral("_regular") || t == p + QStringLiteral("_auto");
        if (!(m_hash && sourceLevel))
            tree.leaves << t;
    }
    return { tree };
}

QList<SchemaStrategy::Step> PartitionStrategy::applySteps() const
{
    // The triggers come before the fill: CREATE TRIGGER locks content_tags against writes until the transaction
    // commits, so no row written meanwhile can be missed by the copy.
    return {
        { QStringLiteral("table"),
            m_hash ? QStringLiteral("Creating the junction copy partitioned by source and tag hash")
                   : QStringLiteral("Creating the junction copy partitioned by source") },
        { QStringLiteral("triggers"), QStringLiteral("Creating the sync triggers on content_tags") },
        { QStringLiteral("fill_regular"), QStringLiteral("Filling the 'regular' partition from content_tags") },
        { QStringLiteral("fill_auto"), QStringLiteral("Filling the 'auto' partition from content_tags") },
        { QStringLiteral("fill_other"), QStringLiteral("Copying rows with any other source") },
        { QStringLiteral("indexes"), QStringLiteral("Building the indexes of every partition") },
        { QStringLiteral("analyze"), QStringLiteral("VACUUM ANALYZE of the partitioned copy"), false },
    };
}

QString PartitionStrategy::stepSql(const QString &sqlName) const
{
    if (sqlName == QLatin1String("table"))
        return SchemaStrategy::stepSql(sqlName);
    // The prefix is a constant of the catalog, never input.
    return sql(QStringLiteral("strategies/p9-partition/shared_") + sqlName)
        .replace(QLatin1String("PS_PREFIX"), objectPrefix(id()));
}

Result<StrategyQuery> PartitionStrategy::query(PgSession &, const Workload &workload)
{
    if (auto st = workload.validate(); !st)
        return st.error();
    GalleryQueryBuilder b(workload);
    std::optional<Error> failed;
    const QString copy = table();
    const QString sql
        = b.unionQuery([&](GalleryQueryBuilder &qb, SourceKind kind, const QString &alias) -> QStringList {
              if (!qb.hasTags())
                  return {};
              auto literal = partitionSourceLiteral(sourceValue(kind));
              if (!literal) {
                  failed = literal.error();
                  return {};
              }
              // The baseline's EXISTS (galleryquery.h, existsTagFilter), over the copy.
              const QString head = QStringLiteral("EXISTS (SELECT 1 FROM %1 ct WHERE ct.content_id = %2.id "
                                                  "AND ct.content_source = %3 AND ct.tag_id ")
                                       .arg(copy, alias, *literal);
              const QString tags = qb.tagsParam();
              if (qb.workload().match == TagMatch::Any)
                  return { head + QStringLiteral("= ANY(%1))").arg(tags) };
              QStringList parts;
              for (int i = 1; i <= qb.tags().size(); ++i)
                  parts << head + QStringLiteral("= (%1)[%2])").arg(tags).arg(i);
              return { parts.join(QLatin1String("\n      AND ")) };
          });
    if (failed)
        return *failed;
    QString note;
    if (!workload.tagIds.isEmpty())
        note = QStringLiteral("the baseline's query over %1, one partition per source").arg(copy);
    else
        note = QStringLiteral("no tag filter: the baseline's query, the copy is not read");
    return b.finish(sql, note);
}

} // namespace plansight
