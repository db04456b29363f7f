#pragma once

// The demo database: the gallery app's base schema (resources/sql/gallery) filled with data shaped like the
// app's (docs/gallery.md, "The data"), at any scale, deterministic for a seed.
//
// Build: buildDemo(session, options, cancel, progress). Recognise: readDemoInfo(session). Inspect the
// generated values without a server: DemoDataGenerator.

#include "util/cancel.h"
#include "util/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <optional>
#include <vector>

namespace plansight {

class PgSession;

enum class DemoProfile {
    Genonaut, // the app's data: 101 tags used, k = min(uniform 0..200, 101) tags per item
    Longtail, // 5,000 tags with Zipf popularity, about 30 tags per item
};
QString toString(DemoProfile profile); // "genonaut", "longtail"
Result<DemoProfile> demoProfileFromString(const QString &text);

namespace demo {
// The largest scale whose demo is ready (schema, data, indexes, analyze) in under a minute on a 2-core machine,
// measured with tests/bench/bench_demo on the shared build machine: 0.03 took 43 s, 0.04 took 63 s (BENCHMARKS.md,
// "Demo generation"). About 2.6 million junction rows.
inline constexpr double DefaultScale = 0.03;
inline constexpr quint64 DefaultSeed = 20251017; // the day of the performance review
inline constexpr double MinScale = 0.0001;
inline constexpr double MaxScale = 10.0;

// The app's database at scale 1 (docs/gallery.md).
inline constexpr qint64 ReferenceRegularItems = 65204;
inline constexpr qint64 ReferenceAutoItems = 1104089;
inline constexpr qint64 ReferenceContentTags = 88146610;
inline constexpr qint64 ReferenceAnimeRows = 870885;
inline constexpr int ReferenceAdminItemsPerTable = 50;
inline constexpr int Users = 1000; // including the admin user; does not scale
inline constexpr int GenonautTags = 106; // of which GenonautUsedTags appear on items; does not scale
inline constexpr int GenonautUsedTags = 101;
inline constexpr int LongtailTags = 5000;

// Bumped whenever the generated data or schema changes for the same options: a demo built by another version is
// rebuilt by `demo up`. 2: the other indexes and the tag_ratings table of that day (docs/gallery.md, "Schema").
inline constexpr int GeneratorVersion = 2;
inline const QString InfoTable = QStringLiteral("plansight_demo_info");
}

struct DemoOptions {
    DemoProfile profile = DemoProfile::Genonaut;
    double scale = demo::DefaultScale;
    quint64 seed = demo::DefaultSeed; // 0 .. 2^63-1 (stored as bigint)
    // Connections used to load and index in parallel (the session given to buildDemo is one of them).
    int connections = 2;

    // Scale in [MinScale, MaxScale], seed below 2^63, 1 to 16 connections; one sentence otherwise.
    Status validate() const;
    QString describe() const; // "genonaut, scale 0.1, seed 20251017"
    QJsonObject toJson() const;
};

// What a set of options produces. All exact (the junction's row count is drawn without a server).
struct DemoCounts {
    qint64 users = 0;
    qint64 tags = 0;
    qint64 tagParents = 0;
    qint64 regularItems = 0; // content_items
    qint64 autoItems = 0; // content_items_auto
    qint64 contentTags = 0; // junction rows
    qint64 adminItemsPerTable = 0; // round(50 * scale), at least 1
    qint64 totalRows() const { return users + tags + tagParents + regularItems + autoItems + contentTags; }
    QJsonObject toJson() const;
};

struct DemoPhase {
    QString name; // "schema", "data", "indexes", "analyze"
    double seconds = 0;
};

// What buildDemo did.
struct DemoBuildReport {
    DemoOptions options;
    DemoCounts counts;
    QList<DemoPhase> phases;
    QList<DemoPhase> steps; // each index, key and foreign-key statement, and each table's load: name and seconds
    double totalSeconds = 0;
    double rowsPerSecond = 0; // rows loaded / seconds of the data phase
    qint64 databaseBytes = 0; // pg_database_size after the build
    QString fingerprint; // of the generated data, as recorded in the metadata table
    double phaseSeconds(const QString &name) const;
    QJsonObject toJson() const;
};

// The metadata row of a PlanSight demo database (table plansight_demo_info).
struct DemoInfo {
    DemoProfile profile = DemoProfile::Genonaut;
    double scale = 0;
    quint64 seed = 0;
    int generatorVersion = 0;
    DemoCounts counts;
    double buildSeconds = 0;
    // "v2-<16 hex digits>": a hash of every generated row; equal for equal profile, scale, seed and generator
    // version. After plansight demo load, "load-<md5 of the stored rows>". The dataset fingerprint of history
    // sessions.
    QString fingerprint;
    QDateTime builtAt; // UTC
    QJsonObject details; // the build report

    // True when these options would produce exactly this data (same profile, scale, seed, generator version).
    bool matches(const DemoOptions &options) const;
    // "genonaut, scale 0.1, seed 20251017: 1,234 + 5,678 items, ..."; after plansight demo load (details.loaded,
    // gallery/exportloader.h), "the app's exports from DIR (over the demo genonaut, scale 0.1): ...".
    QString describe() const;
    QJsonObject toJson() const;
};

// The demo's metadata: std::nullopt when the database is not a complete PlanSight demo (no metadata table, or
// a build that did not finish). Cheap; safe on any database.
Result<std::optional<DemoInfo>> readDemoInfo(PgSession &session);

// What a database holds of PlanSight's demo. A build creates plansight_demo_info (empty) and records the
// arguments it was asked for in plansight_demo_request when it starts; the metadata row is written last, so
// a table without its row is a build that did not finish (failed, cancelled, killed, disk full).
struct DemoState {
    enum class Kind {
        None, // no plansight_demo_info table: not a PlanSight demo (or nothing built yet)
        Unfinished, // the table without its row: the data may be missing, partial or without indexes
        Complete,
    };
    Kind kind = Kind::None;
    std::optional<DemoInfo> info; // when Complete
    std::optional<DemoOptions> requested; // when Unfinished: what its last build was started with, if recorded
};
Result<DemoState> readDemoState(PgSession &session);

// The command that builds the demo with `options`: "plansight demo up --scale 0.01 --profile genonaut --seed 1".
QString demoUpCommand(const DemoOptions &options);

// For the verbs and views that read the gallery tables: an error (code demo::UnfinishedCode) when the database
// holds a PlanSight demo whose build did not finish, naming the command that rebuilds it with the arguments
// it was started with; with `embedded`, also when the embedded demo database holds no demo at all.
Status requireFinishedDemo(PgSession &session, bool embedded);
namespace demo {
inline const QString UnfinishedCode = QStringLiteral("PSDEMO");
}

// Builds the demo database in the session's database: drops the gallery tables (only when the database holds
// PlanSight's demo or no gallery table at all: a user's own tables are never dropped), creates the schema,
// streams the data with COPY on options.connections connections (each table truncated and loaded in one
// transaction, which skips WAL under wal_level=minimal), builds the indexes, keys and foreign keys, runs
// ANALYZE and records the metadata row last. The requested options are recorded (plansight_demo_request) in
// the transaction that creates the schema, so an unfinished build is rebuilt with them (readDemoState()).
//
// Blocks; run it in a worker. progress is called on the calling thread only (a few times a second) with rows
// or steps done of the phase's total. cancel may be triggered from any thread; the running statements are
// cancelled and the error is errc::Cancelled (a cancelled build leaves no metadata row, so it is rebuilt next
// time). The session's own cancel flag is reset before returning.
Result<DemoBuildReport> buildDemo(
    PgSession &session, const DemoOptions &options, CancelToken *cancel = nullptr, const ProgressFn &progress = {});

// Hashes the stored rows of the seven gallery tables (order-independent). Reads every row: seconds at scale 0.1,
// about a minute at scale 1. Equal data gives equal fingerprints.
Result<QString> measureDataFingerprint(PgSession &session, CancelToken *cancel = nullptr);

// The generated values, without a server: what buildDemo streams. Deterministic: every item's values come from
// its own random stream keyed by (seed, table, index), so any item can be produced alone and in any order.
class DemoDataGenerator {
public:
    enum Table { Regular = 0, Auto = 1 }; // content_items, content_items_auto

    struct Tag {
        QString id;
        QString name;
        int parent = -1; // index into tags(), -1 for a root
        bool usedOnItems = true;
    };
    struct Item {
        qint64 id = 0; // 1-based, per table
        int creator = 0; // index into userIds(); 0 is the admin user
        qint64 createdAtUs = 0; // microseconds since 1970-01-01 (timestamp without time zone)
        double qualityScore = 0;
        bool isPrivate = false;
    };

    explicit DemoDataGenerator(const DemoOptions &options);

    const DemoOptions &options() const { return m_options; }
    DemoCounts counts() const { return m_counts; }
    const std::vector<Tag> &tags() const { return m_tags; }
    const QStringList &userIds() const { return m_userIds; } // [0] is demo::AdminUserId
    qint64 itemCount(Table table) const { return table == Regular ? m_counts.regularItems : m_counts.autoItems; }

    Item item(Table table, qint64 index) const; // index 0 .. itemCount-1
    // The item's distinct tags, as indexes into tags(); appended to `out` after clearing it.
    void itemTags(Table table, qint64 index, std::vector<int> &out) const;
    int itemTagCount(Table table, qint64 index) const;

    // COPY text (tab-separated, one row per line) of rows [from, to) of each table. Each call appends to `out`.
    void appendUsers(QByteArray &out) const;
    void appendTags(QByteArray &out) const;
    void appendTagParents(QByteArray &out) const;
    void appendItems(Table table, qint64 from, qint64 to, QByteArray &out) const;
    // Junction rows of items [from, to) of `table`; returns the number of rows appended.
    qint64 appendItemTags(Table table, qint64 from, qint64 to, QByteArray &out) const;
    // The whole junction in the order of its primary key (content_id, content_source, tag_id), for content ids
    // [fromId, toId) of both tables: item n of content_items_auto, then item n of content_items ('auto' sorts
    // before 'regular'), each item's tags by id. Loading in key order makes the primary key's and
    // idx_content_tags_content's sorts a single presorted pass. Returns the number of rows appended.
    qint64 appendJunction(qint64 fromId, qint64 toId, QByteArray &out) const;
    qint64 maxContentId() const { return std::max(m_counts.regularItems, m_counts.autoItems); }

    // The column lists that match the COPY text above.
    static QString usersColumns();
    static QString tagsColumns();
    static QString tagParentsColumns();
    static QString itemsColumns();
    static QString itemTagsColumns();

private:
    bool isAdminItem(Table table, qint64 index) const;

    DemoOptions m_options;
    DemoCounts m_counts;
    std::vector<Tag> m_tags;
    std::vector<QByteArray> m_tagIdText; // the tags' ids as COPY text
    QStringList m_userIds;
    std::vector<QByteArray> m_userIdText;
    std::vector<int> m_usedTags; // indexes of tags used on items; [0] is the anime tag
    std::vector<int> m_idRank; // per tag index: its rank in uuid order (the junction's key order)
    std::vector<double> m_zipfCdf; // longtail: cumulative popularity over m_usedTags
    std::vector<qint64> m_adminItems[2]; // sorted item indexes that belong to the admin user, per table
};

} // namespace plansight
