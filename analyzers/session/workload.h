#pragma once

#include "util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>

namespace plansight {

class PgSession;

// The gallery query's parameters (docs/gallery.md, "The query"). A plain value.
enum class SourceKind { UserRegular, UserAuto, CommunityRegular, CommunityAuto };
enum class TagMatch { Any, All };
enum class SortField { CreatedAt, QualityScore };

QString toString(SourceKind kind); // "user-regular", ...
Result<SourceKind> sourceKindFromString(const QString &text);
QList<SourceKind> allSourceKinds();
// The table and content_source value of a kind: content_items/'regular' or content_items_auto/'auto'.
QString sourceTable(SourceKind kind);
QString sourceValue(SourceKind kind);
bool isUserKind(SourceKind kind); // creator_id = user_id (else <>)

namespace demo {
inline const QString AdminUserId = QStringLiteral("121e194b-4caa-4b81-ad4f-86ca3919d5b9");
inline const QString AnimeTagId = QStringLiteral("dfbb88fc-3c31-468f-a2d7-99605206c985");
}

struct Workload {
    QString name = QStringLiteral("custom"); // preset name, or "custom"
    QStringList tagIds; // UUIDs, resolved; empty = no tag filter
    TagMatch match = TagMatch::Any;
    QList<SourceKind> sources = allSourceKinds();
    QString userId = demo::AdminUserId;
    SortField sort = SortField::CreatedAt;
    bool descending = true;
    int page = 1; // from 1
    int pageSize = 25;
    // How the user reaches the page: false, by its number (OFFSET, as the app does today); true, by following
    // "next page" cursors, as an endless gallery does. Strategies that can page by keyset answer a cursor
    // workload that way (p6-cursor always does; x-topn does on its own index); the others, and the baseline
    // that every page is checked against, answer by OFFSET: the page's rows are the same either way.
    bool byCursor = false;
    // An experiment's parameter set (docs/experiments.md, "Variants are strategies"): set for the workloads of an
    // experiment, whose query is the DBA's own. `name` is then the set's name and the gallery fields above keep their
    // defaults and mean nothing; validate() accepts it as it is (experiment/experiment.h checked the values), label()
    // is the name, and key(), describe() and the JSON carry the experiment's title and the values.
    struct ExperimentParams {
        QString experiment; // the experiment's title
        QVariantList values; // bound as $1..$n: qlonglong, bool, QString, QStringList (arrays)
    };
    std::optional<ExperimentParams> experiment;

    int offset() const { return (page - 1) * pageSize; }
    // Checks UUID syntax, page >= 1, 1 <= pageSize <= 1000, at least one source kind.
    Status validate() const;
    // "anime (any), all 4 sources, admin user, newest first, page 1 (25 per page)" (tag names given by the caller).
    QString describe(const QStringList &tagNames = {}) const;
    // The name with what tells apart the workloads one preset makes: "multi-all (5 tags)", "deep-page (page 100)",
    // "canonical". Short enough for a heading or a table cell.
    QString label() const;
    // A normalized text that is equal for equal workloads (tag order and source order do not matter):
    // the key of result caches and of the history's workload table.
    QString key() const;
    QJsonObject toJson() const;
    static Result<Workload> fromJson(const QJsonObject &json);

    bool operator==(const Workload &other) const { return key() == other.key(); }
};

bool isUuid(const QString &text);

// Workload presets of docs/gallery.md ("Presets"). Some need the database to pick tags
// (multi-tag, multi-all, rare-tag), so a preset resolves against a session.
struct PresetInfo {
    QString name; // canonical, canonical-5x, multi-tag, no-tag, multi-all, deep-page, deep-cursor, rare-tag
    QString description;
    QString reviewMeasurement; // the review's number, or empty
};
QList<PresetInfo> presets();
// The workloads of a preset (deep-page gives pages 10, 100, 1000, deep-cursor the same pages reached by
// cursor; multi-all gives 2, 5 and 20 tags).
Result<QList<Workload>> resolvePreset(const QString &name, PgSession &session);
// Tag names or UUIDs to UUIDs, in the given order; an unknown tag is an errc::Input error naming it.
Result<QStringList> resolveTags(const QStringList &namesOrIds, PgSession &session);

} // namespace plansight
