#include "gallery/demogenerator.h"

#include "pg/pgsession.h"
#include "present/format.h"
#include "session/workload.h"
#include "util/sqlfiles.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <mutex>
#include <thread>

namespace plansight {

// ---- deterministic randomness -----------------------------------------------------------------------------------

namespace {

__extension__ typedef unsigned __int128 Uint128; // GCC and Clang: the exact 64 x 64 -> 128 bit product

// splitmix64's output function: a bijective 64-bit mixer.
inline quint64 mix64(quint64 z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// splitmix64 (Steele, Lea, Flood 2014): tiny state, passes BigCrush, and any stream can be started anywhere,
// which is what lets every item have its own stream. Never std:: distributions: their output differs between
// standard libraries, and the demo must be the same everywhere for a seed.
class Rng {
public:
    explicit Rng(quint64 state) : m_s(state) { }
    quint64 next()
    {
        m_s += 0x9E3779B97F4A7C15ull;
        return mix64(m_s);
    }
    // Uniform in [0, n) by Lemire's multiply-shift (bias below 2^-64 * n: irrelevant here).
    quint64 below(quint64 n) { return quint64((static_cast<Uint128>(next()) * n) >> 64); }
    double unit() { return double(next() >> 11) * 0x1.0p-53; } // [0, 1)

private:
    quint64 m_s;
};

// Stream kinds: every random decision has its own stream so that generating one table never consumes another
// table's numbers (the tables are loaded on different threads).
enum Stream : quint64 { ItemAttributes = 1, ItemTags = 2, AdminPicks = 3, Identities = 4 };

Rng streamFor(quint64 seed, Stream stream, quint64 table, quint64 index)
{
    return Rng(mix64(seed ^ mix64((quint64(stream) << 56) ^ (table << 48) ^ index ^ 0x5A17D3E0C0FFEEull)));
}

// A streaming 64-bit hash of the COPY text, independent of how the text is cut into chunks.
class StreamHash {
public:
    void add(const char *data, qsizetype n)
    {
        m_bytes += quint64(n);
        qsizetype i = 0;
        while (m_pendingBytes > 0 && m_pendingBytes < 8 && i < n) {
            m_pending |= quint64(quint8(data[i++])) << (8 * m_pendingBytes);
            if (++m_pendingBytes == 8) {
                word(m_pending);
                m_pending = 0;
                m_pendingBytes = 0;
            }
        }
        for (; i + 8 <= n; i += 8) {
            quint64 w;
            std::memcpy(&w, data + i, 8);
            word(w);
        }
        for (; i < n; ++i)
            m_pending |= quint64(quint8(data[i])) << (8 * m_pendingBytes++);
    }
    void add(const QByteArray &b) { add(b.constData(), b.size()); }
    quint64 value() const { return mix64(m_h ^ mix64(m_pending + m_pendingBytes) ^ mix64(m_bytes)); }

private:
    void word(quint64 w)
    {
        m_h ^= w * 0x87C37B91114253D5ull;
        m_h = ((m_h << 31) | (m_h >> 33)) * 0x4CF5AD432745937Full;
    }
    quint64 m_h = 0x243F6A8885A308D3ull;
    quint64 m_pending = 0;
    int m_pendingBytes = 0;
    quint64 m_bytes = 0;
};

// A UUID (version 4 layout) from 128 hashed bits.
QString uuidFrom(quint64 a, quint64 b)
{
    a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
    b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
    const QString hex = QStringLiteral("%1%2").arg(a, 16, 16, QLatin1Char('0')).arg(b, 16, 16, QLatin1Char('0'));
    return hex.left(8) + QLatin1Char('-') + hex.mid(8, 4) + QLatin1Char('-') + hex.mid(12, 4) + QLatin1Char('-')
        + hex.mid(16, 4) + QLatin1Char('-') + hex.mid(20);
}

// Ids of users and tags depend on their index only, not on the seed: a tag or user keeps its id across demo
// builds, so saved workloads stay valid.
QString identityUuid(quint64 kind, quint64 index)
{
    Rng r = streamFor(0x504C414E53494748ull, Identities, kind, index);
    const quint64 a = r.next();
    return uuidFrom(a, r.next());
}

// ---- vocabulary ----------------------------------------------------------------------------------------------------

struct TagGroup {
    const char *category;
    std::initializer_list<const char *> names;
};

// The 101 tags used on items, under 5 category tags that are not (106 tags in all, as in the app). "anime" comes
// first: it is the canonical workload's tag and, in the longtail profile, the most popular one.
const TagGroup kTagGroups[] = {
    { "style",
        { "anime", "photorealistic", "watercolor", "oil painting", "pixel art", "cyberpunk", "steampunk", "fantasy",
            "sci-fi", "surreal", "minimalist", "impressionist", "art nouveau", "baroque", "comic", "manga",
            "cel shaded", "low poly", "vaporwave", "noir", "gothic", "ukiyo-e", "pop art", "abstract",
            "concept art" } },
    { "subject",
        { "portrait", "landscape", "cityscape", "still life", "character", "animal", "cat", "dog", "dragon", "robot",
            "car", "spaceship", "castle", "forest", "mountain", "ocean", "flower", "food", "architecture", "warrior",
            "wizard", "knight", "mermaid", "astronaut", "bird" } },
    { "medium",
        { "digital art", "3d render", "pencil sketch", "ink drawing", "charcoal", "pastel", "acrylic", "vector art",
            "photography", "collage", "mosaic", "stained glass", "papercraft", "claymation", "isometric" } },
    { "mood",
        { "dark", "bright", "moody", "serene", "dramatic", "whimsical", "melancholic", "epic", "cozy", "eerie",
            "vibrant", "dreamy", "nostalgic", "ethereal" } },
    { "setting",
        { "night", "sunset", "sunrise", "rain", "snow", "fog", "underwater", "space", "desert", "jungle", "ruins",
            "village", "neon city", "medieval", "futuristic", "post-apocalyptic", "winter", "autumn", "spring",
            "summer", "volcano", "arctic" } },
};

// Words for titles and for the longtail profile's extra tag names (adjective + noun: 75 x 75 = 5,625 names).
const char *const kAdjectives[] = { "ancient", "amber", "arcane", "autumnal", "azure", "blazing", "bold", "brass",
    "broken", "calm", "celestial", "chrome", "cobalt", "copper", "crimson", "crystal", "cursed", "distant", "dusty",
    "electric", "emerald", "enchanted", "endless", "fading", "feral", "floating", "forgotten", "frozen", "gentle",
    "gilded", "glowing", "golden", "hidden", "hollow", "icy", "infinite", "ivory", "jade", "lonely", "lost", "lunar",
    "luminous", "marble", "midnight", "misty", "mystic", "obsidian", "old", "pale", "quiet", "radiant", "restless",
    "rusty", "sacred", "scarlet", "secret", "shadowy", "shattered", "silent", "silver", "smoky", "solar", "sombre",
    "stormy", "sunken", "tangled", "tiny", "twilight", "velvet", "verdant", "violet", "wandering", "wild", "wooden",
    "young" };
const char *const kNouns[] = { "abbey", "alley", "archer", "aurora", "bazaar", "beacon", "bridge", "canyon", "caravan",
    "cathedral", "cavern", "citadel", "cliff", "clockwork", "comet", "courtyard", "crown", "dancer", "dune", "engine",
    "falcon", "fern", "ferry", "festival", "fortress", "fountain", "fox", "garden", "gate", "glacier", "golem",
    "greenhouse", "harbor", "hermit", "island", "lagoon", "lantern", "library", "lighthouse", "market", "meadow",
    "monastery", "moth", "observatory", "orchard", "owl", "pagoda", "palace", "pilgrim", "pirate", "prairie", "reef",
    "river", "sailor", "samurai", "shrine", "skyline", "stag", "station", "statue", "storm", "tavern", "temple",
    "tower", "train", "valley", "vineyard", "waterfall", "whale", "windmill", "wolf", "workshop", "yacht", "zeppelin",
    "ziggurat" };
constexpr int kAdjectiveCount = int(std::size(kAdjectives));
constexpr int kNounCount = int(std::size(kNouns));
const char *const kModels[] = { "sdxl-1.0", "sd-1.5", "flux-dev", "playground-v2.5", "kandinsky-3" };
const char *const kSamplers[] = { "euler_a", "dpmpp_2m", "ddim", "unipc", "heun" };
const int kSizes[][2] = { { 1024, 1024 }, { 832, 1216 }, { 1216, 832 }, { 768, 1344 }, { 512, 512 } };

// created_at is uniform in [2025-05-01, 2025-09-22) (docs/gallery.md).
constexpr qint64 kCreatedFromUs = 1746057600000000LL; // 2025-05-01T00:00:00
constexpr qint64 kCreatedToUs = 1758499200000000LL; // 2025-09-22T00:00:00

// Longtail: Zipf-Mandelbrot popularity 1 / (rank + q)^s over the used tags. s = 1 as in the reference; the
// small offset q keeps the very top tags below every item (anime ends up on about half of them) while ranks past
// a few dozen follow a pure 1/rank law.
constexpr double kZipfExponent = 1.0;
constexpr double kZipfOffset = 5.0;
constexpr int kLongtailMinTags = 15; // k uniform in [15, 45]: 30 on average
constexpr int kLongtailMaxTags = 45;

// ---- COPY text ------------------------------------------------------------------------------------------------------

inline void putInt(QByteArray &out, qint64 v)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr - buf);
}

inline void putPadded(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        p[i] = char('0' + v % 10);
        v /= 10;
    }
}

// "YYYY-MM-DD HH:MM:SS.ffffff" for microseconds since the epoch (Howard Hinnant's civil_from_days).
void putTimestamp(QByteArray &out, qint64 us)
{
    const qint64 secs = us / 1000000;
    const int micros = int(us % 1000000);
    qint64 days = secs / 86400;
    int sod = int(secs % 86400);
    days += 719468;
    const qint64 era = days / 146097;
    const unsigned doe = unsigned(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const qint64 y = qint64(yoe) + era * 400 + (m <= 2 ? 1 : 0);
    char buf[26];
    putPadded(buf, int(y), 4);
    buf[4] = '-';
    putPadded(buf + 5, int(m), 2);
    buf[7] = '-';
    putPadded(buf + 8, int(d), 2);
    buf[10] = ' ';
    putPadded(buf + 11, sod / 3600, 2);
    buf[13] = ':';
    putPadded(buf + 14, sod / 60 % 60, 2);
    buf[16] = ':';
    putPadded(buf + 17, sod % 60, 2);
    buf[19] = '.';
    putPadded(buf + 20, micros, 6);
    out.append(buf, 26);
}

inline void put(QByteArray &out, const char *s)
{
    out.append(s, qsizetype(std::strlen(s)));
}

// COPY text escaping for values we did not write ourselves (none contain tabs or newlines, but be exact).
void putEscaped(QByteArray &out, const QString &s)
{
    PgSession::appendCopyText(out, s.toUtf8());
}

QString jsonText(const QJsonValue &v)
{
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

qint64 scaled(qint64 reference, double scale)
{
    return std::max<qint64>(1, std::llround(double(reference) * scale));
}

} // namespace

// ---- profiles and options -------------------------------------------------------------------------------------------

QString toString(DemoProfile profile)
{
    return profile == DemoProfile::Longtail ? QStringLiteral("longtail") : QStringLiteral("genonaut");
}

Result<DemoProfile> demoProfileFromString(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("genonaut"))
        return DemoProfile::Genonaut;
    if (t == QLatin1String("longtail"))
        return DemoProfile::Longtail;
    return Error::make(errc::Input, QStringLiteral("Unknown demo profile '%1': use genonaut or longtail.").arg(text));
}

Status DemoOptions::validate() const
{
    if (!std::isfinite(scale) || scale < demo::MinScale || scale > demo::MaxScale)
        return Error::make(errc::Input,
            QStringLiteral("The demo scale must be between %1 and %2 (got %3).")
                .arg(demo::MinScale)
                .arg(demo::MaxScale)
                .arg(scale));
    if (seed > quint64(std::numeric_limits<qint64>::max()))
        return Error::make(errc::Input, QStringLiteral("The demo seed must be below 2^63 (got %1).").arg(seed));
    if (connections < 1 || connections > 16)
        return Error::make(
            errc::Input, QStringLiteral("The demo build uses 1 to 16 connections (got %1).").arg(connections));
    return {};
}

QString DemoOptions::describe() const
{
    return QStringLiteral("%1, scale %2, seed %3").arg(toString(profile)).arg(scale).arg(seed);
}

QJsonObject DemoOptions::toJson() const
{
    return { { QStringLiteral("profile"), toString(profile) }, { QStringLiteral("scale"), scale },
        { QStringLiteral("seed"), QString::number(seed) }, { QStringLiteral("connections"), connections } };
}

QJsonObject DemoCounts::toJson() const
{
    return { { QStringLiteral("users"), users }, { QStringLiteral("tags"), tags },
        { QStringLiteral("tag_parents"), tagParents }, { QStringLiteral("content_items"), regularItems },
        { QStringLiteral("content_items_auto"), autoItems }, { QStringLiteral("content_tags"), contentTags },
        { QStringLiteral("admin_items_per_table"), adminItemsPerTable } };
}

double DemoBuildReport::phaseSeconds(const QString &name) const
{
    for (const DemoPhase &p : phases) {
        if (p.name == name)
            return p.seconds;
    }
    return 0;
}

QJsonObject DemoBuildReport::toJson() const
{
    QJsonObject ph;
    for (const DemoPhase &p : phases)
        ph.insert(p.name, p.seconds);
    QJsonObject st;
    for (const DemoPhase &p : steps)
        st.insert(p.name, p.seconds);
    return { { QStringLiteral("options"), options.toJson() }, { QStringLiteral("counts"), counts.toJson() },
        { QStringLiteral("phases_seconds"), ph }, { QStringLiteral("steps_seconds"), st },
        { QStringLiteral("total_seconds"), totalSeconds }, { QStringLiteral("rows_per_second"), rowsPerSecond },
        { QStringLiteral("database_bytes"), QJsonValue(double(databaseBytes)) },
        { QStringLiteral("fingerprint"), fingerprint } };
}

bool DemoInfo::matches(const DemoOptions &options) const
{
    return profile == options.profile && seed == options.seed && generatorVersion == demo::GeneratorVersion
        && std::abs(scale - options.scale) <= 1e-12 * std::max(1.0, std::abs(options.scale));
}

QString DemoInfo::describe() const
{
    const QJsonObject loaded = details.value(QStringLiteral("loaded")).toObject();
    if (!loaded.isEmpty())
        return QStringLiteral("the app's exports from %1 (over the demo %2, scale %3): %4 + %5 items, %6 tag rows")
            .arg(loaded.value(QStringLiteral("directory")).toString(), toString(profile))
            .arg(scale)
            .arg(formatCount(double(counts.regularItems)), formatCount(double(counts.autoItems)),
                formatCount(double(counts.contentTags)));
    return QStringLiteral("%1, scale %2, seed %3: %4 + %5 items, %6 tag rows")
        .arg(toString(profile))
        .arg(scale)
        .arg(seed)
        .arg(formatCount(double(counts.regularItems)), formatCount(double(counts.autoItems)),
            formatCount(double(counts.contentTags)));
}

QJsonObject DemoInfo::toJson() const
{
    return { { QStringLiteral("profile"), toString(profile) }, { QStringLiteral("scale"), scale },
        { QStringLiteral("seed"), QString::number(seed) }, { QStringLiteral("generator_version"), generatorVersion },
        { QStringLiteral("counts"), counts.toJson() }, { QStringLiteral("build_seconds"), buildSeconds },
        { QStringLiteral("fingerprint"), fingerprint }, { QStringLiteral("built_at"), builtAt.toString(Qt::ISODate) },
        { QStringLiteral("details"), details } };
}

// ---- the generator ----------------------------------------------------------------------------------------------

DemoDataGenerator::DemoDataGenerator(const DemoOptions &options) : m_options(options)
{
    // Tags: the 5 categories, then the 101 used tags, then (longtail) adjective + noun names up to 5,000.
    const int categories = int(std::size(kTagGroups));
    for (int c = 0; c < categories; ++c)
        m_tags.push_back({ QString(), QString::fromLatin1(kTagGroups[c].category), -1, false });
    QSet<QString> names;
    for (int c = 0; c < categories; ++c) {
        for (const char *n : kTagGroups[c].names) {
            m_tags.push_back({ QString(), QString::fromLatin1(n), c, true });
            names.insert(m_tags.back().name);
        }
    }
    if (options.profile == DemoProfile::Longtail) {
        for (int i = 0; int(m_tags.size()) < demo::LongtailTags && i < kAdjectiveCount * kNounCount; ++i) {
            // Walk the name grid diagonally so that neighbouring ranks do not share their first word.
            const int a = i % kAdjectiveCount;
            const int n = (i / kAdjectiveCount + i) % kNounCount;
            const QString name
                = QString::fromLatin1(kAdjectives[a]) + QLatin1Char(' ') + QString::fromLatin1(kNouns[n]);
            if (names.contains(name))
                continue;
            names.insert(name);
            m_tags.push_back({ QString(), name, int(m_tags.size()) % categories, true });
        }
    }
    for (int i = 0; i < int(m_tags.size()); ++i) {
        m_tags[i].id = (i == categories) ? demo::AnimeTagId : identityUuid(1, quint64(i));
        m_tagIdText.push_back(m_tags[i].id.toLatin1());
        if (m_tags[i].usedOnItems)
            m_usedTags.push_back(i);
    }
    {
        // uuid comparison is bytewise, which for the canonical lower-case text is the text's order.
        std::vector<int> byId(m_tags.size());
        for (size_t i = 0; i < byId.size(); ++i)
            byId[i] = int(i);
        std::sort(
            byId.begin(), byId.end(), [this](int a, int b) { return m_tagIdText[size_t(a)] < m_tagIdText[size_t(b)]; });
        m_idRank.resize(m_tags.size());
        for (size_t r = 0; r < byId.size(); ++r)
            m_idRank[size_t(byId[r])] = int(r);
    }
    if (options.profile == DemoProfile::Longtail) {
        double sum = 0;
        for (size_t r = 0; r < m_usedTags.size(); ++r) {
            sum += 1.0 / std::pow(double(r + 1) + kZipfOffset, kZipfExponent);
            m_zipfCdf.push_back(sum);
        }
    }

    m_userIds << demo::AdminUserId;
    for (int i = 1; i < demo::Users; ++i)
        m_userIds << identityUuid(2, quint64(i));
    for (const QString &u : std::as_const(m_userIds))
        m_userIdText.push_back(u.toLatin1());

    m_counts.users = demo::Users;
    m_counts.tags = qint64(m_tags.size());
    m_counts.tagParents = 0;
    for (const Tag &t : m_tags)
        m_counts.tagParents += t.parent >= 0 ? 1 : 0;
    m_counts.regularItems = scaled(demo::ReferenceRegularItems, options.scale);
    m_counts.autoItems = scaled(demo::ReferenceAutoItems, options.scale);
    m_counts.adminItemsPerTable = std::min(
        { scaled(demo::ReferenceAdminItemsPerTable, options.scale), m_counts.regularItems, m_counts.autoItems });

    // Exactly adminItemsPerTable items of each table belong to the admin, at seeded positions (Floyd's sampling).
    for (int t = 0; t < 2; ++t) {
        const qint64 n = itemCount(Table(t));
        Rng rng = streamFor(options.seed, AdminPicks, quint64(t), 0);
        QSet<qint64> picked;
        for (qint64 j = n - m_counts.adminItemsPerTable; j < n; ++j) {
            const qint64 r = qint64(rng.below(quint64(j + 1)));
            picked.insert(picked.contains(r) ? j : r);
        }
        m_adminItems[t] = std::vector<qint64>(picked.begin(), picked.end());
        std::sort(m_adminItems[t].begin(), m_adminItems[t].end());
    }

    for (int t = 0; t < 2; ++t) {
        for (qint64 i = 0; i < itemCount(Table(t)); ++i)
            m_counts.contentTags += itemTagCount(Table(t), i);
    }
}

bool DemoDataGenerator::isAdminItem(Table table, qint64 index) const
{
    const auto &v = m_adminItems[table];
    return std::binary_search(v.begin(), v.end(), index);
}

DemoDataGenerator::Item DemoDataGenerator::item(Table table, qint64 index) const
{
    Rng rng = streamFor(m_options.seed, ItemAttributes, quint64(table), quint64(index));
    Item it;
    it.id = index + 1;
    it.createdAtUs = kCreatedFromUs + qint64(rng.below(quint64(kCreatedToUs - kCreatedFromUs)));
    it.qualityScore = double(rng.below(1000000)) / 1e6;
    it.isPrivate = rng.below(10) == 0;
    const quint64 creatorDraw = rng.below(quint64(demo::Users - 1)); // drawn always: keeps the stream aligned
    it.creator = isAdminItem(table, index) ? 0 : 1 + int(creatorDraw);
    return it;
}

int DemoDataGenerator::itemTagCount(Table table, qint64 index) const
{
    Rng rng = streamFor(m_options.seed, ItemTags, quint64(table), quint64(index));
    if (m_options.profile == DemoProfile::Genonaut)
        return int(std::min<quint64>(rng.below(201), quint64(m_usedTags.size())));
    return kLongtailMinTags + int(rng.below(kLongtailMaxTags - kLongtailMinTags + 1));
}

void DemoDataGenerator::itemTags(Table table, qint64 index, std::vector<int> &out) const
{
    out.clear();
    Rng rng = streamFor(m_options.seed, ItemTags, quint64(table), quint64(index));
    const int pool = int(m_usedTags.size());
    if (m_options.profile == DemoProfile::Genonaut) {
        // k = min(uniform 0..200, 101) distinct tags, uniformly: a partial Fisher-Yates shuffle of the pool.
        const int k = int(std::min<quint64>(rng.below(201), quint64(pool)));
        int order[demo::GenonautUsedTags];
        for (int i = 0; i < pool; ++i)
            order[i] = m_usedTags[size_t(i)];
        for (int j = 0; j < k; ++j) {
            const int r = j + int(rng.below(quint64(pool - j)));
            std::swap(order[j], order[r]);
            out.push_back(order[j]);
        }
        return;
    }
    // Longtail: k distinct tags drawn by popularity (rejecting repeats).
    const int k = kLongtailMinTags + int(rng.below(kLongtailMaxTags - kLongtailMinTags + 1));
    const double total = m_zipfCdf.back();
    while (int(out.size()) < k) {
        const double u = rng.unit() * total;
        const size_t rank = size_t(std::upper_bound(m_zipfCdf.begin(), m_zipfCdf.end(), u) - m_zipfCdf.begin());
        const int tag = m_usedTags[std::min(rank, m_usedTags.size() - 1)];
        if (std::find(out.begin(), out.end(), tag) == out.end())
            out.push_back(tag);
    }
}

QString DemoDataGenerator::usersColumns()
{
    return QStringLiteral("id, username, email, created_at, updated_at, preferences, is_active, favorite_tag_ids");
}
QString DemoDataGenerator::tagsColumns()
{
    return QStringLiteral("id, name, tag_metadata, created_at, updated_at");
}
QString DemoDataGenerator::tagParentsColumns()
{
    return QStringLiteral("tag_id, parent_id");
}
QString DemoDataGenerator::itemsColumns()
{
    return QStringLiteral("id, title, content_type, content_data, item_metadata, creator_id, created_at, updated_at, "
                          "quality_score, is_private, path_thumb, prompt, path_thumbs_alt_res");
}
QString DemoDataGenerator::itemTagsColumns()
{
    return QStringLiteral("content_id, content_source, tag_id");
}

void DemoDataGenerator::appendUsers(QByteArray &out) const
{
    constexpr qint64 joinedFromUs = 1735689600000000LL; // 2025-01-01
    for (int i = 0; i < int(m_userIds.size()); ++i) {
        const QString name
            = i == 0 ? QStringLiteral("admin") : QStringLiteral("user_%1").arg(i, 4, 10, QLatin1Char('0'));
        QJsonArray favourites;
        for (int f = 0; f < i % 4; ++f)
            favourites.append(m_tags[size_t(m_usedTags[size_t((i * 7 + f * 13) % int(m_usedTags.size()))])].id);
        const QJsonObject prefs { { QStringLiteral("theme"),
                                      i % 3 == 0 ? QStringLiteral("dark") : QStringLiteral("light") },
            { QStringLiteral("page_size"), 25 } };
        out.append(m_userIdText[size_t(i)]);
        out.append('\t');
        putEscaped(out, name);
        out.append('\t');
        putEscaped(out, name + QStringLiteral("@example.com"));
        out.append('\t');
        const qint64 joined = joinedFromUs + qint64(i) * 3600LL * 1000000LL;
        putTimestamp(out, joined);
        out.append('\t');
        putTimestamp(out, joined);
        out.append('\t');
        putEscaped(out, jsonText(prefs));
        out.append('\t');
        out.append(i % 97 == 96 ? 'f' : 't');
        out.append('\t');
        putEscaped(out, jsonText(favourites));
        out.append('\n');
    }
}

void DemoDataGenerator::appendTags(QByteArray &out) const
{
    constexpr qint64 createdUs = 1743465600000000LL; // 2025-04-01
    for (size_t i = 0; i < m_tags.size(); ++i) {
        const Tag &t = m_tags[i];
        QJsonObject meta;
        if (t.parent < 0) {
            meta.insert(QStringLiteral("kind"), QStringLiteral("category"));
        } else {
            meta.insert(QStringLiteral("kind"), QStringLiteral("tag"));
            meta.insert(QStringLiteral("category"), m_tags[size_t(t.parent)].name);
        }
        out.append(m_tagIdText[i]);
        out.append('\t');
        putEscaped(out, t.name);
        out.append('\t');
        putEscaped(out, jsonText(meta));
        out.append('\t');
        putTimestamp(out, createdUs + qint64(i) * 60LL * 1000000LL);
        out.append('\t');
        putTimestamp(out, createdUs + qint64(i) * 60LL * 1000000LL);
        out.append('\n');
    }
}

void DemoDataGenerator::appendTagParents(QByteArray &out) const
{
    for (size_t i = 0; i < m_tags.size(); ++i) {
        if (m_tags[i].parent < 0)
            continue;
        out.append(m_tagIdText[i]);
        out.append('\t');
        out.append(m_tagIdText[size_t(m_tags[i].parent)]);
        out.append('\n');
    }
}

void DemoDataGenerator::appendItems(Table table, qint64 from, qint64 to, QByteArray &out) const
{
    const char *source = table == Regular ? "regular" : "auto";
    for (qint64 index = from; index < to; ++index) {
        const Item it = item(table, index);
        // The title and metadata continue the item's attribute stream after the values item() drew.
        Rng rng = streamFor(m_options.seed, ItemAttributes, quint64(table), quint64(index));
        for (int skip = 0; skip < 4; ++skip)
            rng.next();
        putInt(out, it.id);
        out.append('\t');
        // title: "Misty lighthouse 4711"
        const char *adjective = kAdjectives[rng.below(kAdjectiveCount)];
        out.append(char(adjective[0] - 'a' + 'A'));
        put(out, adjective + 1);
        out.append(' ');
        put(out, kNouns[rng.below(kNounCount)]);
        out.append(' ');
        putInt(out, qint64(rng.below(10000)));
        put(out, "\timage\t/data/images/");
        put(out, source);
        out.append('/');
        putInt(out, it.id);
        put(out, ".png\t");
        // item_metadata
        const int *size = kSizes[rng.below(std::size(kSizes))];
        put(out, "{\"model\": \"");
        put(out, kModels[rng.below(std::size(kModels))]);
        put(out, "\", \"steps\": ");
        putInt(out, 20 + qint64(rng.below(31)));
        put(out, ", \"width\": ");
        putInt(out, size[0]);
        put(out, ", \"height\": ");
        putInt(out, size[1]);
        put(out, ", \"sampler\": \"");
        put(out, kSamplers[rng.below(std::size(kSamplers))]);
        put(out, "\", \"generation_seed\": ");
        putInt(out, qint64(rng.below(4294967296ull)));
        put(out, "}\t");
        out.append(m_userIdText[size_t(it.creator)]);
        out.append('\t');
        putTimestamp(out, it.createdAtUs);
        out.append('\t');
        putTimestamp(out, it.createdAtUs); // updated_at = created_at
        out.append('\t');
        // quality_score: micro-units, so the text is short and exact
        const qint64 q = std::llround(it.qualityScore * 1e6);
        put(out, "0.");
        char digits[6];
        putPadded(digits, int(q), 6);
        out.append(digits, 6);
        out.append('\t');
        out.append(it.isPrivate ? 't' : 'f');
        put(out, "\t\\N\ttodo\t\\N\n"); // path_thumb NULL, prompt 'todo', path_thumbs_alt_res NULL
    }
}

qint64 DemoDataGenerator::appendItemTags(Table table, qint64 from, qint64 to, QByteArray &out) const
{
    const char *source = table == Regular ? "\tregular\t" : "\tauto\t";
    const qsizetype sourceLen = qsizetype(std::strlen(source));
    std::vector<int> tags;
    tags.reserve(128);
    qint64 rows = 0;
    char prefix[40];
    for (qint64 index = from; index < to; ++index) {
        itemTags(table, index, tags);
        auto r = std::to_chars(prefix, prefix + 16, index + 1);
        std::memcpy(r.ptr, source, size_t(sourceLen));
        const qsizetype prefixLen = (r.ptr - prefix) + sourceLen;
        for (int t : tags) {
            out.append(prefix, prefixLen);
            out.append(m_tagIdText[size_t(t)]);
            out.append('\n');
        }
        rows += qint64(tags.size());
    }
    return rows;
}

qint64 DemoDataGenerator::appendJunction(qint64 fromId, qint64 toId, QByteArray &out) const
{
    std::vector<int> tags;
    tags.reserve(128);
    qint64 rows = 0;
    char prefix[40];
    for (qint64 id = fromId; id < toId; ++id) {
        for (Table table : { Auto, Regular }) {
            if (id > itemCount(table))
                continue;
            itemTags(table, id - 1, tags);
            std::sort(
                tags.begin(), tags.end(), [this](int a, int b) { return m_idRank[size_t(a)] < m_idRank[size_t(b)]; });
            const char *source = table == Regular ? "\tregular\t" : "\tauto\t";
            const qsizetype sourceLen = table == Regular ? 9 : 6;
            auto r = std::to_chars(prefix, prefix + 16, id);
            std::memcpy(r.ptr, source, size_t(sourceLen));
            const qsizetype prefixLen = (r.ptr - prefix) + sourceLen;
            for (int t : tags) {
                out.append(prefix, prefixLen);
                out.append(m_tagIdText[size_t(t)]);
                out.append('\n');
            }
            rows += qint64(tags.size());
        }
    }
    return rows;
}

// ---- building the database ------------------------------------------------------------------------------------

namespace {

// Statements of a SQL file meant to run one at a time: split at semicolons ending a line; comment lines dropped.
QStringList statementsOf(const QString &script)
{
    QStringList out;
    QString current;
    for (const QString &line : script.split(QLatin1Char('\n'))) {
        const QString t = line.trimmed();
        if (t.isEmpty() || t.startsWith(QLatin1String("--")))
            continue;
        current += line + QLatin1Char('\n');
        if (t.endsWith(QLatin1Char(';'))) {
            out << current.trimmed();
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        out << current.trimmed();
    return out;
}

QString groupedRate(double rowsPerSecond)
{
    if (rowsPerSecond >= 1e6)
        return QStringLiteral("%1M rows/s").arg(rowsPerSecond / 1e6, 0, 'f', 2);
    if (rowsPerSecond >= 1e3)
        return QStringLiteral("%1K rows/s").arg(rowsPerSecond / 1e3, 0, 'f', 0);
    return QStringLiteral("%1 rows/s").arg(rowsPerSecond, 0, 'f', 0);
}

// One demo build: the sessions it uses, the shared progress counters, the first error.
class DemoBuild {
public:
    DemoBuild(PgSession &session, const DemoOptions &options, CancelToken *cancel, const ProgressFn &progress)
        : m_main(session), m_gen(options), m_cancel(cancel), m_progress(progress)
    {
    }

    Result<DemoBuildReport> run();

private:
    using Job = std::function<Status(PgSession &)>;

    Status checkTarget();
    Status openConnections();
    Status prepareSession(PgSession &s);
    // Runs the jobs on every session (each session takes the next job when it is free); blocks until all have
    // finished or one failed; reports progress while waiting.
    Status runJobs(const std::vector<Job> &jobs, const std::function<void()> &report);
    Status loadTable(
        PgSession &s, const QString &table, const QString &columns, const std::function<bool(QByteArray &)> &produce);
    void failed(const Error &e);
    void cancelAll();
    void emitProgress(qint64 done, qint64 total, const QString &text);

    PgSession &m_main;
    DemoDataGenerator m_gen;
    CancelToken *m_cancel;
    ProgressFn m_progress;
    std::vector<std::unique_ptr<PgSession>> m_extra;
    std::vector<PgSession *> m_sessions;
    std::mutex m_mutex; // guards m_sessions (for cancel) and m_error
    std::optional<Error> m_error;
    std::atomic<qint64> m_rows { 0 };
    std::atomic<qint64> m_steps { 0 };
    quint64 m_hash[6] = {}; // per table, in the order of kTables
};

enum TableSlot { SlotUsers, SlotTags, SlotTagParents, SlotRegular, SlotAuto, SlotContentTags };

void DemoBuild::emitProgress(qint64 done, qint64 total, const QString &text)
{
    if (m_progress)
        m_progress(done, total, text);
}

void DemoBuild::cancelAll()
{
    std::lock_guard lock(m_mutex);
    for (PgSession *s : m_sessions)
        s->cancel();
}

void DemoBuild::failed(const Error &e)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_error)
            m_error = e;
    }
    cancelAll();
}

Status DemoBuild::checkTarget()
{
    auto r = m_main.exec(QStringLiteral(
        "SELECT to_regclass('plansight_demo_info') IS NOT NULL, "
        "array_remove(ARRAY[to_regclass('users'), to_regclass('content_items'), to_regclass('content_items_auto'), "
        "to_regclass('tags'), to_regclass('tag_parents'), to_regclass('tag_ratings'), "
        "to_regclass('content_tags')]::text[], NULL)"));
    if (!r)
        return r.error();
    const bool ours = r->toBool(0, 0);
    const QString found = r->value(0, 1);
    if (!ours && found != QLatin1String("{}"))
        return Error::make(errc::Input,
            QStringLiteral(
                "The database %1 already holds gallery tables %2 that PlanSight did not create; it builds its "
                "demo only in an empty database or over its own demo.")
                .arg(m_main.database(), found),
            QString(), QStringLiteral("Use another database, or the embedded demo: plansight demo up"));
    return {};
}

Status DemoBuild::prepareSession(PgSession &s)
{
    // Bulk-load settings for this session only. synchronous_commit off: a crash mid-build means a rebuild anyway.
    const std::pair<const char *, const char *> settings[] = {
        { "statement_timeout", "0" },
        { "client_min_messages", "warning" }, // no NOTICE for every DROP ... IF EXISTS
        { "synchronous_commit", "off" },
        { "maintenance_work_mem", "1GB" },
        { "max_parallel_maintenance_workers", "1" },
    };
    for (const auto &[name, value] : settings) {
        if (auto st = s.setSetting(QString::fromLatin1(name), QString::fromLatin1(value)); !st)
            return st;
    }
    return {};
}

Status DemoBuild::openConnections()
{
    {
        std::lock_guard lock(m_mutex);
        m_sessions.push_back(&m_main);
    }
    const QString conninfo = m_main.sameTargetConninfo();
    for (int i = 1; i < m_gen.options().connections && !conninfo.isEmpty(); ++i) {
        PgSession::Options o;
        o.applicationName = QStringLiteral("PlanSight demo build");
        auto s = PgSession::connect(conninfo, o);
        if (!s)
            break; // fewer connections (e.g. max_connections reached) only make the build slower
        if (auto st = prepareSession(*s.value()); !st)
            return st;
        std::lock_guard lock(m_mutex);
        m_extra.push_back(std::move(s.value()));
        m_sessions.push_back(m_extra.back().get());
    }
    if (m_cancel && m_cancel->isCancelled())
        cancelAll();
    return {};
}

Status DemoBuild::runJobs(const std::vector<Job> &jobs, const std::function<void()> &report)
{
    std::atomic<size_t> next { 0 };
    std::atomic<int> running { 0 };
    std::vector<std::thread> threads;
    auto worker = [&](PgSession *s) {
        for (;;) {
            const size_t i = next.fetch_add(1);
            if (i >= jobs.size())
                break;
            {
                std::lock_guard lock(m_mutex);
                if (m_error)
                    break;
            }
            if (auto st = jobs[i](*s); !st) {
                failed(st.error());
                break;
            }
        }
        running.fetch_sub(1);
    };
    running.store(int(m_sessions.size()));
    for (PgSession *s : m_sessions)
        threads.emplace_back(worker, s);
    while (running.load() > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        if (report)
            report();
    }
    for (auto &t : threads)
        t.join();
    if (report)
        report();
    std::lock_guard lock(m_mutex);
    if (m_error)
        return *m_error;
    return {};
}

Status DemoBuild::loadTable(
    PgSession &s, const QString &table, const QString &columns, const std::function<bool(QByteArray &)> &produce)
{
    // TRUNCATE and COPY in one transaction: under wal_level=minimal the rows skip WAL, and FREEZE writes them
    // frozen and all-visible (no later hint-bit writes or anti-wraparound vacuum of the whole table).
    if (auto r = s.exec(QStringLiteral("BEGIN")); !r)
        return r.error();
    Status st = [&]() -> Status {
        if (auto r = s.exec(QStringLiteral("TRUNCATE ") + table); !r)
            return r.error();
        if (auto c = s.copyIn(QStringLiteral("COPY %1 (%2) FROM STDIN WITH (FREEZE)").arg(table, columns), produce); !c)
            return c;
        if (auto r = s.exec(QStringLiteral("COMMIT")); !r)
            return r.error();
        return {};
    }();
    if (!st && !s.isCancelled())
        (void)s.exec(QStringLiteral("ROLLBACK"));
    return st;
}

Result<DemoBuildReport> DemoBuild::run()
{
    QElapsedTimer total;
    total.start();
    DemoBuildReport report;
    report.options = m_gen.options();
    report.counts = m_gen.counts();
    const DemoCounts counts = m_gen.counts();
    CancelScope scope(m_cancel, [this] { cancelAll(); });

    auto finishWith = [&](const Error &e) -> Result<DemoBuildReport> {
        for (PgSession *s : m_sessions)
            s->resetCancel();
        m_main.resetCancel();
        if (PQtransactionStatus(m_main.raw()) != PQTRANS_IDLE)
            (void)m_main.exec(QStringLiteral("ROLLBACK"));
        if (m_cancel && m_cancel->isCancelled())
            return Error::make(errc::Cancelled, QStringLiteral("The demo build was cancelled."), QString(),
                QStringLiteral("Run it again to build the demo from the start."));
        return e;
    };

    if (auto st = checkTarget(); !st)
        return finishWith(st.error());
    // The caller's session keeps its own settings after the build.
    auto saved = m_main.exec(QStringLiteral("SELECT current_setting('statement_timeout'), "
                                            "current_setting('client_min_messages'), "
                                            "current_setting('synchronous_commit'), "
                                            "current_setting('maintenance_work_mem'), "
                                            "current_setting('max_parallel_maintenance_workers')"));
    if (!saved)
        return finishWith(saved.error());
    auto restore = [&] {
        const char *names[] = { "statement_timeout", "client_min_messages", "synchronous_commit",
            "maintenance_work_mem", "max_parallel_maintenance_workers" };
        for (int i = 0; i < 5; ++i)
            (void)m_main.setSetting(QString::fromLatin1(names[i]), saved->value(0, i));
    };
    auto fail = [&](const Error &e) {
        auto r = finishWith(e);
        restore();
        return r;
    };
    if (auto st = prepareSession(m_main); !st)
        return fail(st.error());

    // Schema.
    QElapsedTimer phase;
    phase.start();
    emitProgress(0, 1, QStringLiteral("schema: creating the tables"));
    // The schema and the record of what was asked for, in one transaction.
    if (auto r = m_main.exec(QStringLiteral("BEGIN")); !r)
        return fail(r.error());
    if (auto st = m_main.execScript(sql(QStringLiteral("gallery/drop")) + QLatin1Char('\n')
            + sql(QStringLiteral("gallery/schema")) + QLatin1Char('\n') + sql(QStringLiteral("gallery/demo_info")));
        !st)
        return fail(st.error());
    if (auto r = m_main.exec(sql(QStringLiteral("gallery/record_request")),
            { toString(m_gen.options().profile), QString::number(m_gen.options().scale, 'g', 17),
                QString::number(m_gen.options().seed) });
        !r)
        return fail(r.error());
    if (auto r = m_main.exec(QStringLiteral("COMMIT")); !r)
        return fail(r.error());
    if (auto st = openConnections(); !st)
        return fail(st.error());
    emitProgress(1, 1, QStringLiteral("schema: done"));
    report.phases << DemoPhase { QStringLiteral("schema"), phase.nsecsElapsed() / 1e9 };

    // Data: the junction is by far the largest table, so it goes first to its own connection.
    phase.restart();
    constexpr qsizetype chunkBytes = 4 << 20;
    const DemoDataGenerator &gen = m_gen;
    auto smallTable = [&](TableSlot slot, const QString &table, const QString &columns,
                          void (DemoDataGenerator::*append)(QByteArray &) const, qint64 rows) -> Job {
        return [=, this, &gen](PgSession &s) -> Status {
            return loadTable(s, table, columns, [&](QByteArray &chunk) {
                (gen.*append)(chunk);
                StreamHash h;
                h.add(chunk);
                m_hash[slot] = h.value();
                m_rows.fetch_add(rows);
                return false;
            });
        };
    };
    auto itemTable = [&](TableSlot slot, DemoDataGenerator::Table t, const QString &table) -> Job {
        return [=, this, &gen](PgSession &s) -> Status {
            StreamHash h;
            qint64 at = 0;
            const qint64 n = gen.itemCount(t);
            Status st = loadTable(s, table, DemoDataGenerator::itemsColumns(), [&](QByteArray &chunk) {
                chunk.reserve(chunkBytes + (64 << 10));
                while (at < n && chunk.size() < chunkBytes) {
                    const qint64 to = std::min(n, at + 1000);
                    gen.appendItems(t, at, to, chunk);
                    m_rows.fetch_add(to - at);
                    at = to;
                }
                h.add(chunk);
                return at < n;
            });
            m_hash[slot] = h.value();
            return st;
        };
    };
    const Job junction = [&](PgSession &s) -> Status {
        StreamHash h;
        qint64 id = 1;
        const qint64 end = gen.maxContentId() + 1;
        Status st = loadTable(
            s, QStringLiteral("content_tags"), DemoDataGenerator::itemTagsColumns(), [&](QByteArray &chunk) {
                chunk.reserve(chunkBytes + (64 << 10));
                while (id < end && chunk.size() < chunkBytes) {
                    const qint64 to = std::min(end, id + 200);
                    m_rows.fetch_add(gen.appendJunction(id, to, chunk));
                    id = to;
                }
                h.add(chunk);
                return id < end;
            });
        m_hash[SlotContentTags] = h.value();
        return st;
    };
    const std::vector<Job> loads {
        junction,
        itemTable(SlotAuto, DemoDataGenerator::Auto, QStringLiteral("content_items_auto")),
        itemTable(SlotRegular, DemoDataGenerator::Regular, QStringLiteral("content_items")),
        smallTable(SlotUsers, QStringLiteral("users"), DemoDataGenerator::usersColumns(),
            &DemoDataGenerator::appendUsers, counts.users),
        smallTable(SlotTags, QStringLiteral("tags"), DemoDataGenerator::tagsColumns(), &DemoDataGenerator::appendTags,
            counts.tags),
        smallTable(SlotTagParents, QStringLiteral("tag_parents"), DemoDataGenerator::tagParentsColumns(),
            &DemoDataGenerator::appendTagParents, counts.tagParents),
    };
    const qint64 totalRows = counts.totalRows();
    QElapsedTimer dataTimer;
    dataTimer.start();
    auto dataReport = [&] {
        const qint64 done = m_rows.load();
        const double secs = std::max(1e-3, dataTimer.nsecsElapsed() / 1e9);
        emitProgress(done, totalRows,
            QStringLiteral("data: %1 of %2 rows, %3")
                .arg(formatCount(double(done)), formatCount(double(totalRows)), groupedRate(double(done) / secs)));
    };
    if (auto st = runJobs(loads, dataReport); !st)
        return fail(st.error());
    report.phases << DemoPhase { QStringLiteral("data"), phase.nsecsElapsed() / 1e9 };
    report.rowsPerSecond = double(totalRows) / std::max(1e-3, report.phases.last().seconds);

    // Indexes (in parallel, largest first), then keys over them, then foreign keys (in parallel).
    phase.restart();
    const QStringList indexStatements = statementsOf(sql(QStringLiteral("gallery/indexes")));
    const QStringList fkStatements = statementsOf(sql(QStringLiteral("gallery/foreign_keys")));
    const qint64 steps = indexStatements.size() + 1 + fkStatements.size();
    static const QRegularExpression nameRe(QStringLiteral("(?:INDEX|CONSTRAINT) (\\w+)"));
    std::mutex currentMutex;
    QStringList current;
    auto statementJob = [&](const QString &statement) -> Job {
        return [&, statement](PgSession &s) -> Status {
            const QString name = nameRe.match(statement).captured(1);
            {
                std::lock_guard lock(currentMutex);
                current << name;
            }
            // The junction arrives in key order, so a serial scan hands the sorts of the indexes that start with
            // content_id presorted input (one pass); a parallel scan would interleave blocks and undo that. The
            // other large sorts get a parallel worker.
            const bool presorted = statement.contains(QLatin1String("ON content_tags (content_id"));
            if (auto st = s.setSetting(QStringLiteral("max_parallel_maintenance_workers"),
                    presorted ? QStringLiteral("0") : QStringLiteral("1"));
                !st)
                return st;
            QElapsedTimer clock;
            clock.start();
            auto r = s.exec(statement);
            {
                std::lock_guard lock(currentMutex);
                current.removeOne(name);
                report.steps << DemoPhase { name, clock.nsecsElapsed() / 1e9 };
            }
            m_steps.fetch_add(1);
            if (!r)
                return r.error();
            return {};
        };
    };
    auto indexReport = [&] {
        std::lock_guard lock(currentMutex);
        emitProgress(m_steps.load(), steps,
            QStringLiteral("indexes: %1 of %2 done%3")
                .arg(m_steps.load())
                .arg(steps)
                .arg(current.isEmpty() ? QString()
                                       : QStringLiteral(", building ") + current.join(QStringLiteral(", "))));
    };
    std::vector<Job> indexJobs;
    for (const QString &s : indexStatements)
        indexJobs.push_back(statementJob(s));
    if (auto st = runJobs(indexJobs, indexReport); !st)
        return fail(st.error());
    if (auto st = m_main.execScript(
            sql(QStringLiteral("gallery/keys")) + QLatin1Char('\n') + sql(QStringLiteral("gallery/sequences")));
        !st)
        return fail(st.error());
    m_steps.fetch_add(1);
    std::vector<Job> fkJobs;
    for (const QString &s : fkStatements)
        fkJobs.push_back(statementJob(s));
    if (auto st = runJobs(fkJobs, indexReport); !st)
        return fail(st.error());
    report.phases << DemoPhase { QStringLiteral("indexes"), phase.nsecsElapsed() / 1e9 };

    // Statistics for the planner.
    phase.restart();
    const QStringList tables { QStringLiteral("content_tags"), QStringLiteral("content_items_auto"),
        QStringLiteral("content_items"), QStringLiteral("users"), QStringLiteral("tags"), QStringLiteral("tag_parents"),
        QStringLiteral("tag_ratings") };
    std::atomic<qint64> analyzed { 0 };
    std::vector<Job> analyzeJobs;
    for (const QString &t : tables) {
        analyzeJobs.push_back([&, t](PgSession &s) -> Status {
            auto r = s.exec(QStringLiteral("ANALYZE ") + t);
            analyzed.fetch_add(1);
            if (!r)
                return r.error();
            return {};
        });
    }
    auto analyzeReport = [&] {
        emitProgress(analyzed.load(), tables.size(),
            QStringLiteral("analyze: %1 of %2 tables").arg(analyzed.load()).arg(tables.size()));
    };
    if (auto st = runJobs(analyzeJobs, analyzeReport); !st)
        return fail(st.error());
    report.phases << DemoPhase { QStringLiteral("analyze"), phase.nsecsElapsed() / 1e9 };

    // The fingerprint of everything generated, and the metadata row that marks the demo as complete.
    StreamHash all;
    all.add(QJsonDocument(m_gen.options().toJson()).toJson(QJsonDocument::Compact));
    for (quint64 h : m_hash)
        all.add(reinterpret_cast<const char *>(&h), sizeof h);
    const QByteArray countsText = QJsonDocument(counts.toJson()).toJson(QJsonDocument::Compact);
    all.add(countsText);
    report.fingerprint
        = QStringLiteral("v%1-%2").arg(demo::GeneratorVersion).arg(all.value(), 16, 16, QLatin1Char('0'));
    report.totalSeconds = total.nsecsElapsed() / 1e9;
    auto size = m_main.exec(QStringLiteral("SELECT pg_database_size(current_database())"));
    if (!size)
        return fail(size.error());
    report.databaseBytes = size->toLongLong(0, 0);
    auto ins = m_main.exec(
        QStringLiteral("INSERT INTO plansight_demo_info (profile, scale, seed, generator_version, users, tags, "
                       "content_items, content_items_auto, content_tags, build_seconds, fingerprint, details) "
                       "VALUES ($1, $2::float8, $3::bigint, $4, $5, $6, $7, $8, $9, $10::float8, $11, $12::jsonb)"),
        { toString(m_gen.options().profile), QString::number(m_gen.options().scale, 'g', 17),
            QString::number(m_gen.options().seed), demo::GeneratorVersion, counts.users, counts.tags,
            counts.regularItems, counts.autoItems, counts.contentTags, report.totalSeconds, report.fingerprint,
            QString::fromUtf8(QJsonDocument(report.toJson()).toJson(QJsonDocument::Compact)) });
    if (!ins)
        return fail(ins.error());
    restore();
    return report;
}

} // namespace

Result<DemoBuildReport> buildDemo(
    PgSession &session, const DemoOptions &options, CancelToken *cancel, const ProgressFn &progress)
{
    if (auto st = options.validate(); !st)
        return st.error();
    DemoBuild build(session, options, cancel, progress);
    return build.run();
}

Result<std::optional<DemoInfo>> readDemoInfo(PgSession &session)
{
    auto exists = session.exec(QStringLiteral("SELECT to_regclass('plansight_demo_info') IS NOT NULL"));
    if (!exists)
        return exists.error();
    if (!exists->toBool(0, 0))
        return std::optional<DemoInfo>();
    auto r = session.exec(sql(QStringLiteral("gallery/read_demo_info")));
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return std::optional<DemoInfo>();
    DemoInfo info;
    auto profile = demoProfileFromString(r->value(0, "profile"));
    if (!profile)
        return std::optional<DemoInfo>(); // written by a newer PlanSight: not a demo this version can use
    info.profile = profile.value();
    info.scale = r->value(0, "scale").toDouble();
    info.seed = r->value(0, "seed").toULongLong();
    info.generatorVersion = r->value(0, "generator_version").toInt();
    info.counts.users = r->value(0, "users").toLongLong();
    info.counts.tags = r->value(0, "tags").toLongLong();
    info.counts.regularItems = r->value(0, "content_items").toLongLong();
    info.counts.autoItems = r->value(0, "content_items_auto").toLongLong();
    info.counts.contentTags = r->value(0, "content_tags").toLongLong();
    info.buildSeconds = r->value(0, "build_seconds").toDouble();
    info.fingerprint = r->value(0, "fingerprint");
    info.builtAt = QDateTime::fromString(r->value(0, "built_at"), Qt::ISODate);
    info.details = QJsonDocument::fromJson(r->value(0, "details").toUtf8()).object();
    const QJsonObject c = info.details.value(QStringLiteral("counts")).toObject();
    info.counts.tagParents = c.value(QStringLiteral("tag_parents")).toInteger();
    info.counts.adminItemsPerTable = c.value(QStringLiteral("admin_items_per_table")).toInteger();
    return std::optional<DemoInfo>(info);
}

Result<DemoState> readDemoState(PgSession &session)
{
    DemoState state;
    auto info = readDemoInfo(session);
    if (!info)
        return info.error();
    if (info->has_value()) {
        state.kind = DemoState::Kind::Complete;
        state.info = info.value();
        return state;
    }
    auto tables = session.exec(QStringLiteral("SELECT to_regclass('plansight_demo_info') IS NOT NULL, "
                                              "to_regclass('plansight_demo_request') IS NOT NULL"));
    if (!tables)
        return tables.error();
    if (!tables->toBool(0, 0))
        return state;
    state.kind = DemoState::Kind::Unfinished;
    if (!tables->toBool(0, 1))
        return state; // built by a version that did not record the request
    auto r = session.exec(sql(QStringLiteral("gallery/read_request")));
    if (!r)
        return r.error();
    if (r->rows() == 0)
        return state;
    auto profile = demoProfileFromString(r->value(0, 0));
    if (!profile)
        return state;
    DemoOptions o;
    o.profile = profile.value();
    o.scale = r->value(0, 1).toDouble();
    o.seed = r->value(0, 2).toULongLong();
    if (o.validate())
        state.requested = o;
    return state;
}

QString demoUpCommand(const DemoOptions &options)
{
    return QStringLiteral("plansight demo up --scale %1 --profile %2 --seed %3")
        .arg(QString::number(options.scale, 'g', 12), toString(options.profile))
        .arg(options.seed);
}

Status requireFinishedDemo(PgSession &session, bool embedded)
{
    auto state = readDemoState(session);
    if (!state)
        return state.error();
    if (state->kind == DemoState::Kind::Complete || (state->kind == DemoState::Kind::None && !embedded))
        return {};
    const QString command = demoUpCommand(state->requested.value_or(DemoOptions()));
    if (state->kind == DemoState::Kind::None)
        return Error::make(demo::UnfinishedCode,
            QStringLiteral("The embedded demo database %1 holds no demo.").arg(session.database()), QString(),
            QStringLiteral("Build it with: %1").arg(command));
    const QString asked = state->requested ? QStringLiteral(" (%1)").arg(state->requested->describe()) : QString();
    return Error::make(demo::UnfinishedCode,
        QStringLiteral(
            "The demo database %1 was not finished: its last build%2 failed or was cancelled, so its tables may "
            "lack rows or indexes.")
            .arg(session.database(), asked),
        QString(),
        embedded ? QStringLiteral("Rebuild it with: %1").arg(command)
                 : QStringLiteral("Rebuild it where it was built (%1 for the embedded demo), or use another database.")
                       .arg(command));
}

Result<QString> measureDataFingerprint(PgSession &session, CancelToken *cancel)
{
    CancelScope scope(cancel, [&session] { session.cancel(); });
    auto r = session.exec(sql(QStringLiteral("gallery/data_fingerprint")));
    if (!r) {
        if (cancel && cancel->isCancelled())
            session.resetCancel();
        return r.error();
    }
    return r->value(0, 0);
}

} // namespace plansight
