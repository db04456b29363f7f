#pragma once

// The gallery query's SQL, written once (docs/gallery.md, "The query") and shared by the
// strategies that keep its shape: baseline and p4 run it unchanged, p3 and p5 change the tag filter, p6
// adds a keyset bound to every branch, x-topn and x-rum reuse the column list and the final ordering.
//
// Parameters are numbered in the order they are first used, so a statement never carries a parameter it
// does not reference (PostgreSQL cannot infer the type of an unused one). The SQL text depends only on
// the STRUCTURE of the workload (which source kinds, any or all, how many tags for all, sort field and
// direction); every value (user id, tag ids, limit, offset, cursor) is a bound parameter.
//
// Ordering: the review orders by created_at DESC, id DESC. Ids of content_items and content_items_auto
// overlap, so two rows may tie on (created_at, id); every strategy therefore orders by
// (sort key, id, source) in the same direction, source being the final tie-break. That makes a page a
// well-defined list of (source, id) and keeps the result check from flapping.

#include "session/workload.h"
#include "strategies/strategy.h"

#include <QHash>
#include <QString>
#include <QVariantList>

#include <functional>

namespace plansight {

class GalleryQueryBuilder {
public:
    explicit GalleryQueryBuilder(Workload workload);

    const Workload &workload() const { return m_workload; }
    // The workload's tag ids without duplicates, lower-case, in the order given.
    const QStringList &tags() const { return m_tags; }
    bool hasTags() const { return !m_tags.isEmpty(); }

    // "$n::<cast>" for a value; the same key always yields the same parameter.
    QString param(const QString &key, const QVariant &value, const QString &cast);
    QString userParam(); // the user id, ::uuid
    QString tagsParam(); // the distinct tag ids, ::uuid[]
    QString limitParam(); // page size, ::bigint
    QString offsetParam(); // (page - 1) * page size, ::bigint
    const QVariantList &params() const { return m_params; }

    // The column list of one branch, in the baseline's order, ending with "<source>::text AS source".
    static QString columns(const QString &item, const QString &user, const QString &sourceLiteral);
    // "ci.creator_id = $1::uuid" or "<>" for community kinds.
    QString creatorCondition(SourceKind kind, const QString &itemAlias);
    // The ORDER BY key list on the output columns: "created_at DESC, id DESC, source DESC".
    QString orderBy(const QString &qualifier = {}) const;
    // The sort key column of the workload: created_at or quality_score.
    QString sortColumn() const;
    QString direction() const; // "DESC" or "ASC"

    // The baseline's correlated EXISTS filter of one branch (any: tag_id = ANY(array); all: one EXISTS per
    // tag); empty when the workload has no tag.
    QString existsTagFilter(SourceKind kind, const QString &itemAlias);

    // The baseline-shaped statement: one branch per selected kind (table joined to users, creator
    // condition, the extra conditions `branch` returns), UNION ALL, wrapped, ordered, LIMIT/OFFSET.
    // `with` is an optional WITH clause body placed before the SELECT ("matched AS (...)").
    using BranchConditions
        = std::function<QStringList(GalleryQueryBuilder &, SourceKind kind, const QString &itemAlias)>;
    QString unionQuery(const BranchConditions &branch, const QString &with = {}, bool withOffset = true);

    StrategyQuery finish(const QString &sql, const QString &note = {}) const;

private:
    Workload m_workload;
    QStringList m_tags;
    QVariantList m_params;
    QHash<QString, int> m_numbers;
};

// The SQL literal of a source value ('regular' or 'auto'); these are constants, never user input.
QString sourceLiteral(SourceKind kind);

// For strategies that find the page in a narrow copy of their own whose rows carry content_source, content_id,
// created_at and creator_id (x-topn, x-rum), and then fetch the gallery's columns for the page's rows only:
// - the workload's source kinds and creator conditions on the narrow rows of `alias` (empty when every row
//   qualifies);
QString narrowSourceFilter(GalleryQueryBuilder &b, const QString &alias);
// - the narrow key order "<q>.created_at DIR, <q>.content_id DIR, <q>.content_source DIR", the gallery's (created_at,
//   id, source) (`qualifier` empty: unqualified);
QString narrowOrder(const QString &qualifier, const QString &dir);
// - the statement's end: the rows of a CTE named `page` (created_at, content_id, content_source) joined back to the
//   content tables and users for the gallery's columns, in page order.
QString joinPageBack(GalleryQueryBuilder &b);
// The baseline query of a workload (the review's current implementation).
StrategyQuery baselineQuery(const Workload &workload);

} // namespace plansight
