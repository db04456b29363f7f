// The demo generator's data, without a server: the distribution of docs/gallery.md, determinism per
// seed, and the longtail profile's Zipf shape.

#include "gallery/demogenerator.h"
#include "session/workload.h"

#include <QDateTime>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace plansight;

namespace {

DemoOptions options(DemoProfile profile, double scale, quint64 seed = demo::DefaultSeed)
{
    DemoOptions o;
    o.profile = profile;
    o.scale = scale;
    o.seed = seed;
    return o;
}

// Per used-tag counts of items carrying it, over both tables.
struct TagStats {
    qint64 items = 0;
    qint64 rows = 0;
    qint64 withAllTags = 0;
    QHash<int, qint64> perTag;
};

TagStats tagStats(const DemoDataGenerator &gen)
{
    TagStats s;
    std::vector<int> tags;
    for (auto t : { DemoDataGenerator::Regular, DemoDataGenerator::Auto }) {
        for (qint64 i = 0; i < gen.itemCount(t); ++i) {
            gen.itemTags(t, i, tags);
            ++s.items;
            s.rows += qint64(tags.size());
            if (int(tags.size()) == demo::GenonautUsedTags)
                ++s.withAllTags;
            for (int tag : tags)
                ++s.perTag[tag];
        }
    }
    return s;
}

} // namespace

class TestDemoGenerator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void optionsAreValidated_data()
    {
        QTest::addColumn<double>("scale");
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<int>("connections");
        QTest::addColumn<bool>("valid");
        QTest::newRow("default") << demo::DefaultScale << demo::DefaultSeed << 2 << true;
        QTest::newRow("scale 1") << 1.0 << quint64(1) << 1 << true;
        QTest::newRow("scale 0") << 0.0 << quint64(1) << 2 << false;
        QTest::newRow("negative scale") << -0.5 << quint64(1) << 2 << false;
        QTest::newRow("NaN scale") << std::nan("") << quint64(1) << 2 << false;
        QTest::newRow("huge scale") << 1000.0 << quint64(1) << 2 << false;
        QTest::newRow("seed beyond bigint") << 0.1 << (quint64(1) << 63) << 2 << false;
        QTest::newRow("no connection") << 0.1 << quint64(1) << 0 << false;
    }
    void optionsAreValidated()
    {
        QFETCH(double, scale);
        QFETCH(quint64, seed);
        QFETCH(int, connections);
        QFETCH(bool, valid);
        DemoOptions o = options(DemoProfile::Genonaut, scale, seed);
        o.connections = connections;
        const Status st = o.validate();
        QCOMPARE(st.ok(), valid);
        if (!valid) {
            QCOMPARE(st.error().code, errc::Input);
            QVERIFY(!st.error().message.isEmpty());
        }
    }

    void profilesParse()
    {
        QVERIFY(demoProfileFromString(QStringLiteral("genonaut")).value() == DemoProfile::Genonaut);
        QVERIFY(demoProfileFromString(QStringLiteral(" LongTail ")).value() == DemoProfile::Longtail);
        auto bad = demoProfileFromString(QStringLiteral("zipf"));
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.contains(QLatin1String("zipf")));
        QCOMPARE(toString(DemoProfile::Longtail), QStringLiteral("longtail"));
    }

    void countsAreTheReferenceTimesTheScale_data()
    {
        QTest::addColumn<double>("scale");
        QTest::newRow("0.01") << 0.01;
        QTest::newRow("0.05") << 0.05;
        QTest::newRow("1") << 1.0;
    }
    void countsAreTheReferenceTimesTheScale()
    {
        QFETCH(double, scale);
        DemoDataGenerator gen(options(DemoProfile::Genonaut, scale));
        const DemoCounts c = gen.counts();
        QCOMPARE(c.regularItems, std::llround(demo::ReferenceRegularItems * scale));
        QCOMPARE(c.autoItems, std::llround(demo::ReferenceAutoItems * scale));
        QCOMPARE(c.users, qint64(1000));
        QCOMPARE(c.tags, qint64(demo::GenonautTags));
        const double expected = demo::ReferenceContentTags * scale;
        QVERIFY2(std::abs(c.contentTags - expected) < 0.02 * expected,
            qPrintable(QStringLiteral("%1 junction rows, expected about %2").arg(c.contentTags).arg(expected)));
        QCOMPARE(c.adminItemsPerTable, std::max<qint64>(1, std::llround(50 * scale)));
    }

    void tagsAreTheAppsHundredAndSix()
    {
        DemoDataGenerator gen(options(DemoProfile::Genonaut, 0.01));
        const auto &tags = gen.tags();
        QCOMPARE(int(tags.size()), 106);
        QSet<QString> names, ids;
        int used = 0;
        for (const auto &t : tags) {
            names.insert(t.name);
            ids.insert(t.id);
            QVERIFY(isUuid(t.id));
            used += t.usedOnItems ? 1 : 0;
        }
        QCOMPARE(names.size(), 106);
        QCOMPARE(ids.size(), 106);
        QCOMPARE(used, 101);
        auto anime
            = std::find_if(tags.begin(), tags.end(), [](const auto &t) { return t.name == QLatin1String("anime"); });
        QVERIFY(anime != tags.end());
        QCOMPARE(anime->id, demo::AnimeTagId);
        QCOMPARE(gen.userIds().first(), demo::AdminUserId);
        QCOMPARE(QSet<QString>(gen.userIds().begin(), gen.userIds().end()).size(), 1000);
        // Ids do not depend on the seed: saved workloads keep working across rebuilds.
        DemoDataGenerator other(options(DemoProfile::Genonaut, 0.01, 7));
        QCOMPARE(other.tags()[17].id, tags[17].id);
        QCOMPARE(other.userIds()[17], gen.userIds()[17]);
    }

    void genonautTagCountsFollowTheApp()
    {
        // k = min(uniform 0..200, 101): mean 15150/201 = 75.4, P(k = 101) = 100/201 = 49.8%, and each of the
        // 101 tags on 75.4/101 = 74.6% of the items.
        DemoDataGenerator gen(options(DemoProfile::Genonaut, 0.05));
        const TagStats s = tagStats(gen);
        QCOMPARE(s.rows, gen.counts().contentTags);
        const double mean = double(s.rows) / double(s.items);
        QVERIFY2(std::abs(mean - 75.37) < 0.6, qPrintable(QString::number(mean)));
        const double all = double(s.withAllTags) / double(s.items);
        QVERIFY2(std::abs(all - 0.4975) < 0.01, qPrintable(QString::number(all)));
        QCOMPARE(int(s.perTag.size()), 101); // the 5 category tags are never on items
        for (auto it = s.perTag.cbegin(); it != s.perTag.cend(); ++it) {
            QVERIFY(gen.tags()[size_t(it.key())].usedOnItems);
            const double share = double(it.value()) / double(s.items);
            QVERIFY2(share > 0.72 && share < 0.77,
                qPrintable(QStringLiteral("%1 on %2").arg(gen.tags()[size_t(it.key())].name).arg(share)));
        }
    }

    void itemTagsAreDistinctAndMatchTheirCount()
    {
        for (auto profile : { DemoProfile::Genonaut, DemoProfile::Longtail }) {
            DemoDataGenerator gen(options(profile, 0.002));
            std::vector<int> tags;
            for (qint64 i = 0; i < gen.itemCount(DemoDataGenerator::Auto); ++i) {
                gen.itemTags(DemoDataGenerator::Auto, i, tags);
                QCOMPARE(int(tags.size()), gen.itemTagCount(DemoDataGenerator::Auto, i));
                QCOMPARE(int(QSet<int>(tags.begin(), tags.end()).size()), int(tags.size()));
            }
        }
    }

    void itemAttributesFollowTheApp()
    {
        DemoDataGenerator gen(options(DemoProfile::Genonaut, 0.02));
        const qint64 from = QDateTime(QDate(2025, 5, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch() * 1000;
        const qint64 to = QDateTime(QDate(2025, 9, 22), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch() * 1000;
        qint64 items = 0, privates = 0;
        double quality = 0;
        QHash<int, qint64> perCreator;
        for (auto t : { DemoDataGenerator::Regular, DemoDataGenerator::Auto }) {
            qint64 admin = 0;
            for (qint64 i = 0; i < gen.itemCount(t); ++i) {
                const auto it = gen.item(t, i);
                QCOMPARE(it.id, i + 1);
                QVERIFY(it.createdAtUs >= from && it.createdAtUs < to);
                QVERIFY(it.qualityScore >= 0 && it.qualityScore < 1);
                QVERIFY(it.creator >= 0 && it.creator < 1000);
                admin += it.creator == 0 ? 1 : 0;
                ++perCreator[it.creator];
                privates += it.isPrivate ? 1 : 0;
                quality += it.qualityScore;
                ++items;
            }
            QCOMPARE(admin, gen.counts().adminItemsPerTable); // exactly round(50 * 0.02) = 1
        }
        QVERIFY(std::abs(double(privates) / items - 0.10) < 0.01);
        QVERIFY(std::abs(quality / items - 0.5) < 0.01);
        QVERIFY2(perCreator.size() > 990, "creators are uniform over the users");
    }

    void adminHasExactlyFiftyItemsPerTableAtScaleOne()
    {
        DemoDataGenerator gen(options(DemoProfile::Genonaut, 1.0));
        for (auto t : { DemoDataGenerator::Regular, DemoDataGenerator::Auto }) {
            qint64 admin = 0;
            for (qint64 i = 0; i < gen.itemCount(t); ++i)
                admin += gen.item(t, i).creator == 0 ? 1 : 0;
            QCOMPARE(admin, qint64(50));
        }
    }

    void sameSeedSameDataOtherSeedOtherData()
    {
        DemoDataGenerator a(options(DemoProfile::Genonaut, 0.01, 42));
        DemoDataGenerator b(options(DemoProfile::Genonaut, 0.01, 42));
        DemoDataGenerator c(options(DemoProfile::Genonaut, 0.01, 43));
        auto dump = [](const DemoDataGenerator &g) {
            QByteArray out;
            g.appendUsers(out);
            g.appendTags(out);
            g.appendTagParents(out);
            g.appendItems(DemoDataGenerator::Regular, 0, g.itemCount(DemoDataGenerator::Regular), out);
            g.appendItems(DemoDataGenerator::Auto, 0, 2000, out);
            g.appendItemTags(DemoDataGenerator::Auto, 0, 2000, out);
            return out;
        };
        const QByteArray da = dump(a);
        QCOMPARE(dump(b), da);
        QVERIFY(dump(c) != da);
        QCOMPARE(a.counts().contentTags, b.counts().contentTags);
    }

    void itemsCanBeGeneratedInAnyChunks()
    {
        DemoDataGenerator gen(options(DemoProfile::Longtail, 0.005));
        QByteArray whole, parts;
        gen.appendItems(DemoDataGenerator::Auto, 0, 300, whole);
        gen.appendItemTags(DemoDataGenerator::Auto, 0, 300, whole);
        gen.appendItems(DemoDataGenerator::Auto, 0, 111, parts);
        gen.appendItems(DemoDataGenerator::Auto, 111, 300, parts);
        gen.appendItemTags(DemoDataGenerator::Auto, 0, 7, parts);
        gen.appendItemTags(DemoDataGenerator::Auto, 7, 300, parts);
        QCOMPARE(parts, whole);
    }

    void copyTextHasTheTablesColumns()
    {
        DemoDataGenerator gen(options(DemoProfile::Genonaut, 0.01));
        QByteArray items;
        gen.appendItems(DemoDataGenerator::Regular, 0, 50, items);
        const QList<QByteArray> lines = items.split('\n');
        QCOMPARE(lines.size(), 51); // 50 rows and the empty remainder after the last newline
        const int columns = int(DemoDataGenerator::itemsColumns().split(QLatin1Char(',')).size());
        for (int i = 0; i < 50; ++i) {
            const QList<QByteArray> f = lines[i].split('\t');
            QCOMPARE(int(f.size()), columns);
            QCOMPARE(f[0], QByteArray::number(i + 1));
            QCOMPARE(f[2], QByteArray("image"));
            QVERIFY(f[3].startsWith("/data/images/regular/"));
            QCOMPARE(f[6], f[7]); // updated_at = created_at
            QCOMPARE(f[10], QByteArray("\\N")); // path_thumb NULL
            QCOMPARE(f[11], QByteArray("todo"));
        }
        QByteArray junction;
        const qint64 rows = gen.appendItemTags(DemoDataGenerator::Regular, 0, 50, junction);
        QCOMPARE(qint64(junction.count('\n')), rows);
        QVERIFY(junction.contains("\tregular\t"));
        QByteArray autoJunction;
        gen.appendItemTags(DemoDataGenerator::Auto, 0, 50, autoJunction);
        QVERIFY(autoJunction.contains("\tauto\t"));
        QVERIFY(!autoJunction.contains("regular"));
    }

    void junctionIsInKeyOrderWithEveryItemsTags()
    {
        for (auto profile : { DemoProfile::Genonaut, DemoProfile::Longtail }) {
            DemoDataGenerator gen(options(profile, 0.001));
            QByteArray ordered, perTable;
            qint64 rows = gen.appendJunction(1, gen.maxContentId() + 1, ordered);
            QCOMPARE(rows, gen.counts().contentTags);
            gen.appendItemTags(DemoDataGenerator::Regular, 0, gen.itemCount(DemoDataGenerator::Regular), perTable);
            gen.appendItemTags(DemoDataGenerator::Auto, 0, gen.itemCount(DemoDataGenerator::Auto), perTable);
            QList<QByteArray> a = ordered.split('\n');
            QList<QByteArray> b = perTable.split('\n');
            // In (content_id, content_source, tag_id) order, as PostgreSQL compares them.
            auto key = [](const QByteArray &line) {
                const QList<QByteArray> f = line.split('\t');
                return std::make_tuple(f[0].toLongLong(), f[1], f[2]);
            };
            for (qsizetype i = 1; i + 1 < a.size(); ++i)
                QVERIFY2(key(a[i - 1]) < key(a[i]), a[i].constData());
            std::sort(a.begin(), a.end());
            std::sort(b.begin(), b.end());
            QCOMPARE(a, b); // the same rows as item by item
        }
    }

    void longtailHasZipfPopularity()
    {
        DemoDataGenerator gen(options(DemoProfile::Longtail, 0.05));
        QCOMPARE(gen.counts().tags, qint64(demo::LongtailTags));
        QSet<QString> names;
        for (const auto &t : gen.tags())
            names.insert(t.name);
        QCOMPARE(names.size(), demo::LongtailTags);
        const TagStats s = tagStats(gen);
        const double mean = double(s.rows) / double(s.items);
        QVERIFY2(std::abs(mean - 30) < 0.5, qPrintable(QString::number(mean)));

        // Item counts by tag, most popular first.
        QList<qint64> counts;
        int animeIndex = -1;
        for (int i = 0; i < int(gen.tags().size()); ++i) {
            if (gen.tags()[size_t(i)].id == demo::AnimeTagId)
                animeIndex = i;
            if (gen.tags()[size_t(i)].usedOnItems)
                counts << s.perTag.value(i);
        }
        QVERIFY(animeIndex >= 0);
        const qint64 anime = s.perTag.value(animeIndex);
        std::sort(counts.begin(), counts.end(), std::greater<qint64>());
        QCOMPARE(anime, counts.first()); // anime is the most popular tag
        const double animeShare = double(anime) / double(s.items);
        QVERIFY2(animeShare > 0.3 && animeShare < 0.8, qPrintable(QString::number(animeShare)));

        // Zipf with exponent about 1: the log-log slope of count against rank between ranks 50 and 1000.
        auto avg = [&](int from, int to) {
            double sum = 0;
            for (int r = from; r < to; ++r)
                sum += double(counts[r]);
            return sum / (to - from);
        };
        const double slope = std::log(avg(950, 1050) / avg(45, 55)) / std::log(1000.0 / 50.0);
        QVERIFY2(slope < -0.8 && slope > -1.2, qPrintable(QString::number(slope)));
        // Rare tags exist: the rare-tag preset needs tags on under 0.1% of items.
        int rare = 0;
        for (qint64 c : counts)
            rare += (c > 0 && double(c) / double(s.items) < 0.001) ? 1 : 0;
        QVERIFY2(rare > 200, qPrintable(QString::number(rare)));
    }
};

QTEST_GUILESS_MAIN(TestDemoGenerator)
#include "tst_demogenerator.moc"
