#include "session/workload.h"

#include "pg/pgsession.h"
#include "util/sqlfiles.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <limits>

namespace plansight {

namespace {

struct KindName {
    SourceKind kind;
    const char *name;
};
constexpr KindName kKindNames[] = {
    { SourceKind::UserRegular, "user-regular" },
    { SourceKind::UserAuto, "user-auto" },
    { SourceKind::CommunityRegular, "community-regular" },
    { SourceKind::CommunityAuto, "community-auto" },
};

QString matchName(TagMatch m)
{
    return m == TagMatch::All ? QStringLiteral("all") : QStringLiteral("any");
}

QString sortName(SortField s)
{
    return s == SortField::QualityScore ? QStringLiteral("quality_score") : QStringLiteral("created_at");
}

// Sources without duplicates, in the canonical order of allSourceKinds().
QList<SourceKind> normalizedSources(const QList<SourceKind> &sources)
{
    QList<SourceKind> out;
    for (SourceKind k : allSourceKinds()) {
        if (sources.contains(k))
            out << k;
    }
    return out;
}

QStringList normalizedTags(const QStringList &tagIds)
{
    QStringList out;
    for (const QString &t : tagIds)
        out << t.trimmed().toLower();
    out.removeDuplicates();
    out.sort();
    return out;
}

Error inputError(const QString &message)
{
    return Error::make(errc::Input, message);
}

} // namespace

QString toString(SourceKind kind)
{
    for (const auto &k : kKindNames) {
        if (k.kind == kind)
            return QString::fromLatin1(k.name);
    }
    return QString();
}

Result<SourceKind> sourceKindFromString(const QString &text)
{
    const QString t = text.trimmed().toLower();
    for (const auto &k : kKindNames) {
        if (t == QLatin1String(k.name))
            return k.kind;
    }
    return inputError(QStringLiteral("Unknown content source '%1': use user-regular, user-auto, community-regular or "
                                     "community-auto.")
                          .arg(text));
}

QList<SourceKind> allSourceKinds()
{
    return { SourceKind::UserRegular, SourceKind::UserAuto, SourceKind::CommunityRegular, SourceKind::CommunityAuto };
}

QString sourceTable(SourceKind kind)
{
    return (kind == SourceKind::UserAuto || kind == SourceKind::CommunityAuto) ? QStringLiteral("content_items_auto")
                                                                               : QStringLiteral("content_items");
}

QString sourceValue(SourceKind kind)
{
    return (kind == SourceKind::UserAuto || kind == SourceKind::CommunityAuto) ? QStringLiteral("auto")
                                                                               : QStringLiteral("regular");
}

bool isUserKind(SourceKind kind)
{
    return kind == SourceKind::UserRegular || kind == SourceKind::UserAuto;
}

bool isUuid(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    return re.match(text).hasMatch();
}

Status Workload::validate() const
{
    if (experiment)
        return {};
    for (const QString &t : tagIds) {
        if (!isUuid(t.trimmed()))
            return inputError(QStringLiteral("The tag id '%1' is not a UUID.").arg(t));
    }
    if (!isUuid(userId.trimmed()))
        return inputError(QStringLiteral("The user id '%1' is not a UUID.").arg(userId));
    if (page < 1)
        return inputError(QStringLiteral("The page must be 1 or more (got %1).").arg(page));
    if (pageSize < 1 || pageSize > 1000)
        return inputError(QStringLiteral("The page size must be between 1 and 1000 (got %1).").arg(pageSize));
    if (sources.isEmpty())
        return inputError(QStringLiteral("Select at least one content source."));
    // OFFSET is an int on the wire in every strategy; keep (page - 1) * pageSize representable.
    if (qint64(page - 1) * pageSize > std::numeric_limits<int>::max())
        return inputError(
            QStringLiteral("Page %1 with %2 items per page is beyond any gallery.").arg(page).arg(pageSize));
    return {};
}

QString Workload::label() const
{
    if (experiment)
        return name;
    QStringList parts;
    if (match == TagMatch::All && tagIds.size() > 1)
        parts << QStringLiteral("%1 tags").arg(tagIds.size());
    if (page > 1)
        parts << QStringLiteral("page %1").arg(page);
    const QString base = name.isEmpty() ? QStringLiteral("custom") : name;
    return parts.isEmpty() ? base : QStringLiteral("%1 (%2)").arg(base, parts.join(QStringLiteral(", ")));
}

QString Workload::describe(const QStringList &tagNames) const
{
    if (experiment) {
        QStringList values;
        for (qsizetype i = 0; i < experiment->values.size(); ++i) {
            const QVariant &v = experiment->values[i];
            QString text = v.typeId() == QMetaType::QStringList
                ? QStringLiteral("{") + v.toStringList().join(QLatin1Char(',')) + QLatin1Char('}')
                : v.toString();
            if (text.size() > 40)
                text = text.left(39) + QChar(0x2026);
            values << QStringLiteral("$%1 = %2").arg(i + 1).arg(text);
        }
        // The name goes before it where it is shown ("canonical: experiment ...: $1 = 42").
        return values.isEmpty()
            ? QStringLiteral("experiment %1, no parameters").arg(experiment->experiment)
            : QStringLiteral("experiment %1: %2").arg(experiment->experiment, values.join(QStringLiteral(", ")));
    }
    QString tags;
    if (tagIds.isEmpty()) {
        tags = QStringLiteral("no tag filter");
    } else {
        QStringList shown;
        for (qsizetype i = 0; i < tagIds.size(); ++i) {
            const QString n = i < tagNames.size() ? tagNames.at(i).trimmed() : QString();
            shown << (n.isEmpty() ? tagIds.at(i).left(8) : n);
        }
        tags = shown.join(QStringLiteral(", ")) + QStringLiteral(" (") + matchName(match) + QLatin1Char(')');
    }
    const QList<SourceKind> kinds = normalizedSources(sources);
    QString src;
    if (kinds.size() == allSourceKinds().size()) {
        src = QStringLiteral("all 4 sources");
    } else {
        QStringList names;
        for (SourceKind k : kinds)
            names << toString(k);
        src = names.join(QStringLiteral(", "));
    }
    const QString user = userId.trimmed().compare(demo::AdminUserId, Qt::CaseInsensitive) == 0
        ? QStringLiteral("admin user")
        : QStringLiteral("user ") + userId.left(8);
    QString order;
    if (sort == SortField::CreatedAt)
        order = descending ? QStringLiteral("newest first") : QStringLiteral("oldest first");
    else
        order = descending ? QStringLiteral("best quality first") : QStringLiteral("lowest quality first");
    return QStringLiteral("%1, %2, %3, %4, page %5%6 (%7 per page)")
        .arg(tags, src, user, order)
        .arg(page)
        .arg(byCursor && page > 1 ? QStringLiteral(" by cursor") : QString())
        .arg(pageSize);
}

QString Workload::key() const
{
    if (experiment)
        return QStringLiteral("experiment=%1;set=%2;values=%3")
            .arg(experiment->experiment, name,
                QString::fromUtf8(
                    QJsonDocument(QJsonArray::fromVariantList(experiment->values)).toJson(QJsonDocument::Compact)));
    const QStringList tags = normalizedTags(tagIds);
    QStringList kinds;
    for (SourceKind k : normalizedSources(sources))
        kinds << toString(k);
    // With fewer than two tags, any and all select the same rows.
    const QString m = tags.size() < 2 ? QStringLiteral("any") : matchName(match);
    // Page 1 is the same statement whichever way pages are reached; deeper, a cursor is its own workload.
    const QString paging = byCursor && page > 1 ? QStringLiteral(";by=cursor") : QString();
    return QStringLiteral("tags=%1;match=%2;sources=%3;user=%4;sort=%5;order=%6;page=%7;size=%8%9")
        .arg(tags.join(QLatin1Char(',')), m, kinds.join(QLatin1Char(',')), userId.trimmed().toLower(), sortName(sort),
            descending ? QStringLiteral("desc") : QStringLiteral("asc"))
        .arg(page)
        .arg(pageSize)
        .arg(paging);
}

QJsonObject Workload::toJson() const
{
    if (experiment)
        return QJsonObject {
            { QStringLiteral("name"), name },
            { QStringLiteral("experiment"), experiment->experiment },
            { QStringLiteral("values"), QJsonArray::fromVariantList(experiment->values) },
        };
    QJsonArray tags;
    for (const QString &t : tagIds)
        tags.append(t);
    QJsonArray kinds;
    for (SourceKind k : sources)
        kinds.append(toString(k));
    return QJsonObject {
        { QStringLiteral("name"), name },
        { QStringLiteral("tagIds"), tags },
        { QStringLiteral("match"), matchName(match) },
        { QStringLiteral("sources"), kinds },
        { QStringLiteral("userId"), userId },
        { QStringLiteral("sort"), sortName(sort) },
        { QStringLiteral("order"), descending ? QStringLiteral("desc") : QStringLiteral("asc") },
        { QStringLiteral("page"), page },
        { QStringLiteral("pageSize"), pageSize },
        { QStringLiteral("paging"), byCursor ? QStringLiteral("cursor") : QStringLiteral("offset") },
    };
}

Result<Workload> Workload::fromJson(const QJsonObject &json)
{
    Workload w;
    if (json.contains(QStringLiteral("name")))
        w.name = json.value(QStringLiteral("name")).toString();
    if (json.contains(QStringLiteral("experiment"))) {
        ExperimentParams params;
        params.experiment = json.value(QStringLiteral("experiment")).toString();
        const QJsonValue values = json.value(QStringLiteral("values"));
        if (!values.isArray() && !values.isUndefined())
            return inputError(QStringLiteral("The experiment workload's values must be a list."));
        // Whole numbers come back as integers, so that key() is the same as before the round trip.
        for (const QJsonValue &v : values.toArray()) {
            if (v.isDouble() && v.toDouble() == double(qint64(v.toDouble()))) {
                params.values.append(qlonglong(v.toDouble()));
            } else if (v.isArray()) {
                QStringList items; // arrays are bound as text (PgSession::exec)
                for (const QJsonValue &e : v.toArray())
                    items << (e.isString() ? e.toString() : QString::number(qint64(e.toDouble())));
                params.values.append(items);
            } else {
                params.values.append(v.toVariant());
            }
        }
        w.experiment = params;
        return w;
    }
    if (json.contains(QStringLiteral("tagIds"))) {
        const QJsonValue v = json.value(QStringLiteral("tagIds"));
        if (!v.isArray())
            return inputError(QStringLiteral("The workload's tagIds must be a list of UUIDs."));
        w.tagIds.clear();
        for (const QJsonValue &t : v.toArray()) {
            if (!t.isString())
                return inputError(QStringLiteral("The workload's tagIds must be a list of UUIDs."));
            w.tagIds << t.toString();
        }
    }
    if (json.contains(QStringLiteral("match"))) {
        const QString m = json.value(QStringLiteral("match")).toString();
        if (m == QLatin1String("any"))
            w.match = TagMatch::Any;
        else if (m == QLatin1String("all"))
            w.match = TagMatch::All;
        else
            return inputError(QStringLiteral("Unknown tag match '%1': use any or all.").arg(m));
    }
    if (json.contains(QStringLiteral("sources"))) {
        const QJsonValue v = json.value(QStringLiteral("sources"));
        if (!v.isArray())
            return inputError(QStringLiteral("The workload's sources must be a list of source kinds."));
        w.sources.clear();
        for (const QJsonValue &s : v.toArray()) {
            auto k = sourceKindFromString(s.toString());
            if (!k)
                return k.error();
            if (!w.sources.contains(k.value()))
                w.sources << k.value();
        }
    }
    if (json.contains(QStringLiteral("userId")))
        w.userId = json.value(QStringLiteral("userId")).toString();
    if (json.contains(QStringLiteral("sort"))) {
        const QString s = json.value(QStringLiteral("sort")).toString();
        if (s == QLatin1String("created_at"))
            w.sort = SortField::CreatedAt;
        else if (s == QLatin1String("quality_score"))
            w.sort = SortField::QualityScore;
        else
            return inputError(QStringLiteral("Unknown sort field '%1': use created_at or quality_score.").arg(s));
    }
    if (json.contains(QStringLiteral("order"))) {
        const QString o = json.value(QStringLiteral("order")).toString();
        if (o == QLatin1String("desc"))
            w.descending = true;
        else if (o == QLatin1String("asc"))
            w.descending = false;
        else
            return inputError(QStringLiteral("Unknown order '%1': use desc or asc.").arg(o));
    }
    auto intField = [&](const char *field, int &out) -> Status {
        const QString key = QString::fromLatin1(field);
        if (!json.contains(key))
            return {};
        const QJsonValue v = json.value(key);
        const double d = v.toDouble(-1e300);
        if (!v.isDouble() || d != double(qint64(d)) || d < std::numeric_limits<int>::min()
            || d > std::numeric_limits<int>::max())
            return inputError(QStringLiteral("The workload's %1 must be a whole number.").arg(key));
        out = int(d);
        return {};
    };
    if (auto st = intField("page", w.page); !st)
        return st.error();
    if (auto st = intField("pageSize", w.pageSize); !st)
        return st.error();
    if (json.contains(QStringLiteral("paging"))) {
        const QString p = json.value(QStringLiteral("paging")).toString();
        if (p == QLatin1String("offset"))
            w.byCursor = false;
        else if (p == QLatin1String("cursor"))
            w.byCursor = true;
        else
            return inputError(QStringLiteral("Unknown paging '%1': use offset or cursor.").arg(p));
    }
    if (auto st = w.validate(); !st)
        return st.error();
    return w;
}

// ---- presets ----------------------------------------------------------------------------------------------------

QList<PresetInfo> presets()
{
    return {
        { QStringLiteral("canonical"),
            QStringLiteral("The anime tag, any, all 4 sources, the admin user, newest first, page 1, 25 per page."),
            QStringLiteral("13.15 s and 7.91 s in two test suites") },
        { QStringLiteral("canonical-5x"),
            QStringLiteral("The canonical query run 5 times; the review reported the average."),
            QStringLiteral("7.37 s (average of 5)") },
        { QStringLiteral("multi-tag"),
            QStringLiteral("The canonical query with the anime tag and the two next most popular tags, any."),
            QStringLiteral("9.35 s") },
        { QStringLiteral("no-tag"), QStringLiteral("The canonical query without a tag filter."),
            QStringLiteral("under 2 s") },
        { QStringLiteral("multi-all"),
            QStringLiteral("The 2, 5 and 20 most popular tags (anime first), all of them required."), QString() },
        { QStringLiteral("deep-page"), QStringLiteral("The canonical query at pages 10, 100 and 1000."), QString() },
        { QStringLiteral("deep-cursor"),
            QStringLiteral("The canonical query at pages 10, 100 and 1000, reached by following cursors (an endless "
                           "gallery); strategies without a keyset form answer by OFFSET."),
            QString() },
        { QStringLiteral("rare-tag"),
            QStringLiteral("A tag on under 0.1% of the items (the longtail profile has them), any, all 4 sources."),
            QString() },
    };
}

namespace {

Workload canonicalWorkload(const QString &name)
{
    Workload w;
    w.name = name;
    w.tagIds = { demo::AnimeTagId };
    return w;
}

Status requireAnime(PgSession &session)
{
    auto r = session.exec(QStringLiteral("SELECT 1 FROM tags WHERE id = $1::uuid"), { demo::AnimeTagId });
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return Error::make(errc::Input,
            QStringLiteral("The anime tag (%1) that the review's presets use is not in this database.")
                .arg(demo::AnimeTagId),
            QString(), QStringLiteral("Use the embedded demo or a copy of the gallery app's database."));
    return {};
}

// The most popular tags, anime first, ranked on a sample of the junction (cheap at any scale).
Result<QStringList> popularTags(PgSession &session, int count)
{
    auto rows = session.exec(QStringLiteral("SELECT reltuples FROM pg_class WHERE oid = to_regclass('content_tags')"));
    if (!rows)
        return rows.error();
    if (rows->rows() == 0)
        return Error::make(errc::Input, QStringLiteral("This database has no content_tags table."));
    const double estimated = rows->toDouble(0, 0); // -1 when never analyzed
    const double percent = estimated <= 200000 ? 100.0 : std::max(0.01, 100.0 * 200000 / estimated);
    // One more than needed: anime comes first whatever its rank, and may be among them.
    auto r = session.exec(sql(QStringLiteral("gallery/popular_tags")), { count + 1, percent });
    if (!r)
        return r.error();
    QStringList ids { demo::AnimeTagId };
    for (int i = 0; i < r->rows() && ids.size() < count; ++i) {
        const QString id = r->value(i, 0);
        if (!ids.contains(id))
            ids << id;
    }
    if (ids.size() < count)
        return Error::make(errc::Input,
            QStringLiteral("This database has only %1 tags in use; the preset needs %2.").arg(ids.size()).arg(count));
    return ids;
}

Result<QList<Workload>> rareTagWorkload(PgSession &session)
{
    auto items = session.exec(QStringLiteral("SELECT (SELECT count(*) FROM content_items) + (SELECT count(*) FROM "
                                             "content_items_auto)"));
    if (!items)
        return items.error();
    const qint64 total = items->toLongLong(0, 0);
    auto r = session.exec(sql(QStringLiteral("gallery/rare_tags")), { total / 1000 });
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return Error::make(errc::Input,
            QStringLiteral("No tag in this database sits on under 0.1% of its %1 items.").arg(total), QString(),
            QStringLiteral("The longtail demo has rare tags: plansight demo up --profile longtail"));
    Workload w;
    w.name = QStringLiteral("rare-tag");
    w.tagIds = { r->value(0, 0) };
    return QList<Workload> { w };
}

} // namespace

Result<QList<Workload>> resolvePreset(const QString &name, PgSession &session)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("rare-tag"))
        return rareTagWorkload(session);
    if (n == QLatin1String("no-tag")) {
        Workload w = canonicalWorkload(n);
        w.tagIds.clear();
        return QList<Workload> { w };
    }
    const QStringList known { QStringLiteral("canonical"), QStringLiteral("canonical-5x"), QStringLiteral("multi-tag"),
        QStringLiteral("multi-all"), QStringLiteral("deep-page"), QStringLiteral("deep-cursor") };
    if (!known.contains(n)) {
        QStringList names;
        for (const PresetInfo &p : presets())
            names << p.name;
        return inputError(
            QStringLiteral("Unknown preset '%1': use one of %2.").arg(name, names.join(QStringLiteral(", "))));
    }
    if (auto st = requireAnime(session); !st)
        return st.error();
    QList<Workload> out;
    if (n == QLatin1String("canonical")) {
        out << canonicalWorkload(n);
    } else if (n == QLatin1String("canonical-5x")) {
        for (int i = 0; i < 5; ++i)
            out << canonicalWorkload(n);
    } else if (n == QLatin1String("deep-page") || n == QLatin1String("deep-cursor")) {
        for (int page : { 10, 100, 1000 }) {
            Workload w = canonicalWorkload(n);
            w.page = page;
            w.byCursor = n == QLatin1String("deep-cursor");
            out << w;
        }
    } else if (n == QLatin1String("multi-tag")) {
        auto tags = popularTags(session, 3);
        if (!tags)
            return tags.error();
        Workload w = canonicalWorkload(n);
        w.tagIds = tags.value();
        out << w;
    } else { // multi-all
        auto tags = popularTags(session, 20);
        if (!tags)
            return tags.error();
        for (int k : { 2, 5, 20 }) {
            Workload w = canonicalWorkload(n);
            w.tagIds = tags->mid(0, k);
            w.match = TagMatch::All;
            out << w;
        }
    }
    return out;
}

Result<QStringList> resolveTags(const QStringList &namesOrIds, PgSession &session)
{
    QStringList ids, names;
    for (const QString &t : namesOrIds) {
        const QString s = t.trimmed();
        if (s.isEmpty())
            return inputError(QStringLiteral("An empty tag name was given."));
        if (isUuid(s))
            ids << s.toLower();
        else
            names << s.toLower();
    }
    auto r = session.exec(QStringLiteral("SELECT id::text, lower(name) FROM tags WHERE id = ANY($1::uuid[]) OR "
                                         "lower(name) = ANY($2::text[]) ORDER BY name"),
        { ids, names });
    if (!r)
        return r.error();
    QHash<QString, QString> byId, byName;
    for (int i = 0; i < r->rows(); ++i) {
        byId.insert(r->value(i, 0), r->value(i, 0));
        // Two tags whose names differ only in case: the first by name wins, deterministically.
        if (!byName.contains(r->value(i, 1)))
            byName.insert(r->value(i, 1), r->value(i, 0));
    }
    QStringList out;
    for (const QString &t : namesOrIds) {
        const QString s = t.trimmed();
        const QString id = isUuid(s) ? byId.value(s.toLower()) : byName.value(s.toLower());
        if (id.isEmpty())
            return inputError(isUuid(s) ? QStringLiteral("No tag has the id %1.").arg(s)
                                        : QStringLiteral("Unknown tag '%1'.").arg(s));
        out << id;
    }
    return out;
}

} // namespace plansight
