// The demo database on a real PostgreSQL: the reference's counts times the scale, the anime tag's share, the
// admin's items, every table/column/index/constraint of the reference schema, the metadata row, determinism,
// cancellation, and the workload presets resolved against it.

#include "bench/runner.h"
#include "gallery/demogenerator.h"
#include "pg/localcluster.h"
#include "pg/pgsession.h"
#include "session/workload.h"
#include "testcluster.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace plansight;

namespace {

constexpr double kScale = 0.01;
const QString kDb = QStringLiteral("demo_main");

DemoOptions smallDemo(double scale = kScale, quint64 seed = demo::DefaultSeed)
{
    DemoOptions o;
    o.scale = scale;
    o.seed = seed;
    return o;
}

qint64 scalar(PgSession &s, const QString &sql, const QVariantList &params = {})
{
    auto r = s.exec(sql, params);
    if (!r) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(r.error().toString()));
        return -1;
    }
    return r->toLongLong(0, 0);
}

} // namespace

class TestDemoDatabase : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<PgSession> m_s;
    DemoBuildReport m_report;
    QList<std::tuple<qint64, qint64, QString>> m_progress;

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        m_s = test::TestCluster::get()->connect(kDb);
        QVERIFY(m_s);
        auto r = buildDemo(*m_s, smallDemo(), nullptr, [this](qint64 done, qint64 total, const QString &text) {
            m_progress << std::make_tuple(done, total, text);
        });
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        m_report = r.value();
    }

    void countsAreTheReferenceTimesTheScale_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<double>("expected");
        QTest::newRow("content_items") << QStringLiteral("content_items") << demo::ReferenceRegularItems * kScale;
        QTest::newRow("content_items_auto")
            << QStringLiteral("content_items_auto") << demo::ReferenceAutoItems * kScale;
        QTest::newRow("content_tags") << QStringLiteral("content_tags") << demo::ReferenceContentTags * kScale;
        QTest::newRow("users") << QStringLiteral("users") << 1000.0;
        QTest::newRow("tags") << QStringLiteral("tags") << 106.0;
    }
    void countsAreTheReferenceTimesTheScale()
    {
        QFETCH(QString, table);
        QFETCH(double, expected);
        const qint64 n = scalar(*m_s, QStringLiteral("SELECT count(*) FROM ") + m_s->quoteIdentifier(table));
        QVERIFY2(std::abs(double(n) - expected) <= 0.02 * expected,
            qPrintable(QStringLiteral("%1 rows, expected %2").arg(n).arg(expected)));
    }

    void distinctTagNamesOnItemsAre101()
    {
        QCOMPARE(scalar(*m_s, QStringLiteral("SELECT count(DISTINCT tag_id) FROM content_tags")), qint64(101));
        // Every junction row points at an existing item of its own table.
        QCOMPARE(
            scalar(*m_s,
                QStringLiteral("SELECT count(*) FROM content_tags ct WHERE NOT EXISTS (SELECT 1 FROM content_items c "
                               "WHERE c.id = ct.content_id AND ct.content_source = 'regular') AND NOT EXISTS "
                               "(SELECT 1 FROM content_items_auto a WHERE a.id = ct.content_id AND "
                               "ct.content_source = 'auto')")),
            qint64(0));
        QCOMPARE(scalar(*m_s,
                     QStringLiteral("SELECT count(*) FROM content_tags WHERE content_source NOT IN "
                                    "('regular', 'auto')")),
            qint64(0));
    }

    void animeTagIsOnAboutThreeQuartersOfItems()
    {
        const qint64 items = scalar(*m_s,
            QStringLiteral("SELECT (SELECT count(*) FROM content_items) + (SELECT count(*) FROM content_items_auto)"));
        const qint64 anime = scalar(
            *m_s, QStringLiteral("SELECT count(*) FROM content_tags WHERE tag_id = $1::uuid"), { demo::AnimeTagId });
        const double share = double(anime) / double(items);
        QVERIFY2(share >= 0.72 && share <= 0.76, qPrintable(QString::number(share)));
        QCOMPARE(scalar(*m_s, QStringLiteral("SELECT count(*) FROM tags WHERE id = $1::uuid AND name = 'anime'"),
                     { demo::AnimeTagId }),
            qint64(1));
    }

    void adminOwnsFiftyItemsPerTableTimesTheScale()
    {
        const qint64 expected = std::max<qint64>(1, std::llround(50 * kScale));
        for (const QString &table : { QStringLiteral("content_items"), QStringLiteral("content_items_auto") }) {
            QCOMPARE(
                scalar(*m_s,
                    QStringLiteral("SELECT count(*) FROM ") + table + QStringLiteral(" WHERE creator_id = $1::uuid"),
                    { demo::AdminUserId }),
                expected);
        }
        QCOMPARE(scalar(*m_s, QStringLiteral("SELECT count(*) FROM users WHERE id = $1::uuid"), { demo::AdminUserId }),
            qint64(1));
    }

    void dataHasTheReferenceShape()
    {
        auto r = m_s->exec(
            QStringLiteral("SELECT min(created_at) >= '2025-05-01', max(created_at) < '2025-09-22', "
                           "bool_and(updated_at = created_at), "
                           "avg(is_private::int), bool_and(prompt = 'todo'), bool_and(path_thumb IS NULL), "
                           "bool_and(content_type = 'image'), min(quality_score) >= 0, max(quality_score) < 1 "
                           "FROM content_items_auto"));
        QVERIFY(r.ok());
        QVERIFY(r->toBool(0, 0));
        QVERIFY(r->toBool(0, 1));
        QVERIFY(r->toBool(0, 2));
        QVERIFY2(std::abs(r->toDouble(0, 3) - 0.1) < 0.02, qPrintable(r->value(0, 3)));
        QVERIFY(r->toBool(0, 4));
        QVERIFY(r->toBool(0, 5));
        QVERIFY(r->toBool(0, 6));
        QVERIFY(r->toBool(0, 7));
        QVERIFY(r->toBool(0, 8));
        // The id sequences continue after the loaded ids: the app's inserts keep working.
        auto ins = m_s->exec(
            QStringLiteral(
                "WITH i AS (INSERT INTO content_items (title, content_type, content_data, creator_id, created_at, "
                "updated_at, "
                "is_private, prompt) VALUES ('t', 'image', '/x.png', $1::uuid, now(), now(), false, 'p') RETURNING id) "
                "SELECT id FROM i"),
            { demo::AdminUserId });
        QVERIFY2(ins.ok(), qPrintable(ins.ok() ? QString() : ins.error().toString()));
        QCOMPARE(ins->toLongLong(0, 0), std::llround(demo::ReferenceRegularItems * kScale) + 1);
        QVERIFY(m_s->exec(QStringLiteral("DELETE FROM content_items WHERE id = $1"), { ins->value(0, 0) }).ok());
    }

    void everyIndexOfTheReferenceIsPresent_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("definition"); // pg_get_indexdef after "ON public."
        QTest::newRow("junction pk") << QStringLiteral("content_tags_pkey")
                                     << QStringLiteral("content_tags USING btree (content_id, content_source, tag_id)");
        QTest::newRow("junction tag") << QStringLiteral("idx_content_tags_tag_content")
                                      << QStringLiteral("content_tags USING btree (tag_id, content_id)");
        QTest::newRow("junction content") << QStringLiteral("idx_content_tags_content")
                                          << QStringLiteral("content_tags USING btree (content_id, content_source)");
        QTest::newRow("users pk") << QStringLiteral("users_pkey") << QStringLiteral("users USING btree (id)");
        QTest::newRow("users username") << QStringLiteral("users_username_key")
                                        << QStringLiteral("users USING btree (username)");
        QTest::newRow("users email") << QStringLiteral("users_email_key")
                                     << QStringLiteral("users USING btree (email)");
        QTest::newRow("tags pk") << QStringLiteral("tags_pkey") << QStringLiteral("tags USING btree (id)");
        QTest::newRow("tags name") << QStringLiteral("tags_name_key") << QStringLiteral("tags USING btree (name)");
        // The other indexes and tables of that day (docs/gallery.md, "Schema").
        auto other = [](const char *name, const char *definition) {
            QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(definition);
        };
        other("ix_users_username", "users USING btree (username)");
        other("ix_users_email", "users USING btree (email)");
        other("idx_users_created_at_desc", "users USING btree (created_at DESC)");
        other("idx_users_active_created", "users USING btree (is_active, created_at DESC)");
        other("idx_users_username_lower", "users USING btree (lower((username)::text))");
        other("idx_users_email_lower", "users USING btree (lower((email)::text))");
        other("idx_users_favorite_tags_gin", "users USING gin (favorite_tag_ids)");
        other("ix_tags_name", "tags USING btree (name)");
        other("idx_tags_name", "tags USING btree (name)");
        other("idx_tags_created_at_desc", "tags USING btree (created_at DESC)");
        other("tag_parents_pkey", "tag_parents USING btree (tag_id, parent_id)");
        other("idx_tag_parents_tag", "tag_parents USING btree (tag_id)");
        other("idx_tag_parents_parent", "tag_parents USING btree (parent_id)");
        other("tag_ratings_pkey", "tag_ratings USING btree (id)");
        other("tag_ratings_user_id_tag_id_key", "tag_ratings USING btree (user_id, tag_id)");
        for (const QString &t : { QStringLiteral("content_items"), QStringLiteral("content_items_auto") }) {
            const QString p = t == QLatin1String("content_items") ? QStringLiteral("idx_content_items")
                                                                  : QStringLiteral("idx_content_items_auto");
            const QString fts = t == QLatin1String("content_items") ? QStringLiteral("ci_title_fts_idx")
                                                                    : QStringLiteral("cia_title_fts_idx");
            auto row = [&](const QString &name, const QString &def) {
                QTest::newRow(qPrintable(name)) << name << t + QStringLiteral(" USING ") + def;
            };
            row(t + QStringLiteral("_pkey"), QStringLiteral("btree (id)"));
            row(QStringLiteral("ix_") + t + QStringLiteral("_content_type"), QStringLiteral("btree (content_type)"));
            row(QStringLiteral("ix_") + t + QStringLiteral("_creator_id"), QStringLiteral("btree (creator_id)"));
            row(p + QStringLiteral("_creator_created"), QStringLiteral("btree (creator_id, created_at DESC)"));
            row(p + QStringLiteral("_quality_created"), QStringLiteral("btree (quality_score DESC, created_at DESC)"));
            row(p + QStringLiteral("_public_created"),
                QStringLiteral("btree (created_at DESC) WHERE (NOT is_private)"));
            row(p + QStringLiteral("_created_at_desc"), QStringLiteral("btree (created_at DESC)"));
            row(p + QStringLiteral("_type_created"), QStringLiteral("btree (content_type, created_at DESC)"));
            row(p + QStringLiteral("_metadata_gin"), QStringLiteral("gin (item_metadata)"));
            row(QStringLiteral("idx_") + t + QStringLiteral("_title_gist"),
                QStringLiteral("gist (title gist_trgm_ops)"));
            row(fts,
                QStringLiteral(
                    "gin (to_tsvector('english'::regconfig, (COALESCE(title, ''::character varying))::text))"));
        }
    }
    void everyIndexOfTheReferenceIsPresent()
    {
        QFETCH(QString, name);
        QFETCH(QString, definition);
        auto r = m_s->exec(QStringLiteral("SELECT pg_get_indexdef(to_regclass($1))"), { name });
        QVERIFY(r.ok());
        QVERIFY2(!r->isNull(0, 0), qPrintable(name + QStringLiteral(" is missing")));
        QVERIFY2(r->value(0, 0).endsWith(QStringLiteral("ON public.") + definition), qPrintable(r->value(0, 0)));
    }

    void uniqueIndexesAreUnique()
    {
        auto r = m_s->exec(QStringLiteral(
            "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = "
            "i.indexrelid WHERE i.indisunique AND c.relname IN ('ix_users_username', 'ix_users_email', "
            "'ix_tags_name', 'idx_tags_name', 'tag_ratings_user_id_tag_id_key')"));
        QVERIFY(r.ok());
        // idx_tags_name is the app's non-unique duplicate of ix_tags_name.
        QCOMPARE(r->value(0, 0),
            QStringLiteral("ix_tags_name,ix_users_email,ix_users_username,tag_ratings_user_id_tag_id_key"));
    }

    void constraintsAndExtensionsAreTheReferences()
    {
        auto r = m_s->exec(QStringLiteral(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ANY "
            "(ARRAY['users', 'content_items', 'content_items_auto', 'tags', 'content_tags', 'tag_parents', "
            "'tag_ratings']::regclass[]) ORDER BY 1"));
        QVERIFY(r.ok());
        QHash<QString, QString> defs;
        for (int i = 0; i < r->rows(); ++i)
            defs.insert(r->value(i, 0), r->value(i, 2));
        QCOMPARE(defs.value(QStringLiteral("content_tags_pkey")),
            QStringLiteral("PRIMARY KEY (content_id, content_source, tag_id)"));
        QCOMPARE(defs.value(QStringLiteral("content_tags_tag_id_fkey")),
            QStringLiteral("FOREIGN KEY (tag_id) REFERENCES tags(id) ON DELETE CASCADE"));
        QCOMPARE(defs.value(QStringLiteral("content_items_creator_id_fkey")),
            QStringLiteral("FOREIGN KEY (creator_id) REFERENCES users(id)"));
        QCOMPARE(defs.value(QStringLiteral("content_items_auto_creator_id_fkey")),
            QStringLiteral("FOREIGN KEY (creator_id) REFERENCES users(id)"));
        QCOMPARE(defs.value(QStringLiteral("users_username_key")), QStringLiteral("UNIQUE (username)"));
        QCOMPARE(defs.value(QStringLiteral("users_email_key")), QStringLiteral("UNIQUE (email)"));
        QCOMPARE(defs.value(QStringLiteral("tags_name_key")), QStringLiteral("UNIQUE (name)"));
        QCOMPARE(defs.value(QStringLiteral("tag_parents_pkey")), QStringLiteral("PRIMARY KEY (tag_id, parent_id)"));
        QCOMPARE(defs.value(QStringLiteral("tag_parents_tag_id_fkey")),
            QStringLiteral("FOREIGN KEY (tag_id) REFERENCES tags(id) ON DELETE CASCADE"));
        QCOMPARE(defs.value(QStringLiteral("tag_parents_parent_id_fkey")),
            QStringLiteral("FOREIGN KEY (parent_id) REFERENCES tags(id) ON DELETE CASCADE"));
        QCOMPARE(defs.value(QStringLiteral("tag_ratings_pkey")), QStringLiteral("PRIMARY KEY (id)"));
        QCOMPARE(
            defs.value(QStringLiteral("tag_ratings_user_id_tag_id_key")), QStringLiteral("UNIQUE (user_id, tag_id)"));
        QCOMPARE(defs.value(QStringLiteral("tag_ratings_user_id_fkey")),
            QStringLiteral("FOREIGN KEY (user_id) REFERENCES users(id)"));
        QCOMPARE(defs.value(QStringLiteral("tag_ratings_tag_id_fkey")),
            QStringLiteral("FOREIGN KEY (tag_id) REFERENCES tags(id)"));
        // No foreign key from the junction to the content tables: content_id points into either.
        QCOMPARE(scalar(*m_s,
                     QStringLiteral("SELECT count(*) FROM pg_constraint WHERE conrelid = 'content_tags'::regclass "
                                    "AND contype = 'f'")),
            qint64(1));
        QCOMPARE(
            scalar(*m_s, QStringLiteral("SELECT count(*) FROM pg_extension WHERE extname IN ('pg_trgm', 'btree_gin')")),
            qint64(2));
        QCOMPARE(scalar(*m_s,
                     QStringLiteral("SELECT count(*) FROM pg_constraint WHERE NOT convalidated AND conrelid = ANY "
                                    "(ARRAY['content_items', 'content_items_auto', 'content_tags']::regclass[])")),
            qint64(0));
    }

    void columnsHaveTheReferenceTypes_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("columns"); // name type nullability, in order
        QTest::newRow("users")
            << QStringLiteral("users")
            << QStringLiteral("id uuid NO|username character varying(50) NO|email character varying(255) NO|"
                              "created_at timestamp without time zone NO|updated_at timestamp without time zone NO|"
                              "preferences jsonb YES|is_active boolean NO|favorite_tag_ids jsonb YES");
        const QString items = QStringLiteral(
            "id integer NO|title character varying(255) NO|content_type character varying(50) NO|content_data text NO|"
            "item_metadata jsonb YES|creator_id uuid NO|created_at timestamp without time zone NO|"
            "updated_at timestamp without time zone NO|quality_score double precision YES|is_private boolean NO|"
            "path_thumb character varying(512) YES|prompt character varying(20000) NO|path_thumbs_alt_res jsonb YES");
        QTest::newRow("content_items") << QStringLiteral("content_items") << items;
        QTest::newRow("content_items_auto") << QStringLiteral("content_items_auto") << items;
        QTest::newRow("tags")
            << QStringLiteral("tags")
            << QStringLiteral("id uuid NO|name character varying(255) NO|tag_metadata jsonb NO|"
                              "created_at timestamp without time zone NO|updated_at timestamp without time zone NO");
        QTest::newRow("content_tags")
            << QStringLiteral("content_tags")
            << QStringLiteral("content_id integer NO|content_source character varying(10) NO|tag_id uuid NO");
        QTest::newRow("tag_ratings") << QStringLiteral("tag_ratings")
                                     << QStringLiteral("id integer NO|user_id uuid YES|tag_id uuid YES|"
                                                       "rating double precision YES");
        QTest::newRow("tag_parents") << QStringLiteral("tag_parents")
                                     << QStringLiteral("tag_id uuid NO|parent_id uuid NO");
    }
    void columnsHaveTheReferenceTypes()
    {
        QFETCH(QString, table);
        QFETCH(QString, columns);
        auto r = m_s->exec(
            QStringLiteral(
                "SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || "
                "CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END, '|' ORDER BY a.attnum) "
                "FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped"),
            { table });
        QVERIFY(r.ok());
        QCOMPARE(r->value(0, 0), columns);
    }

    void metadataIsRecorded()
    {
        auto info = readDemoInfo(*m_s);
        QVERIFY(info.ok());
        QVERIFY(info.value().has_value());
        const DemoInfo &i = *info.value();
        QVERIFY(i.profile == DemoProfile::Genonaut);
        QCOMPARE(i.scale, kScale);
        QCOMPARE(i.seed, demo::DefaultSeed);
        QCOMPARE(i.generatorVersion, demo::GeneratorVersion);
        QCOMPARE(i.counts.contentTags, scalar(*m_s, QStringLiteral("SELECT count(*) FROM content_tags")));
        QCOMPARE(i.counts.regularItems, m_report.counts.regularItems);
        QCOMPARE(i.counts.autoItems, m_report.counts.autoItems);
        QCOMPARE(i.fingerprint, m_report.fingerprint);
        QVERIFY(i.fingerprint.startsWith(QStringLiteral("v%1-").arg(demo::GeneratorVersion)));
        QVERIFY(i.buildSeconds > 0);
        QVERIFY(i.builtAt.isValid());
        QVERIFY(i.matches(smallDemo()));
        QVERIFY(!i.matches(smallDemo(kScale, demo::DefaultSeed + 1)));
        QVERIFY(!i.matches(smallDemo(kScale * 2)));
        DemoOptions longtail = smallDemo();
        longtail.profile = DemoProfile::Longtail;
        QVERIFY(!i.matches(longtail));
        // The report covers the four phases.
        QCOMPARE(m_report.phases.size(), 4);
        QVERIFY(m_report.databaseBytes > 0);
    }

    void aDatabaseWithoutTheDemoIsNotRecognised()
    {
        auto other = test::TestCluster::get()->connect(QStringLiteral("postgres"));
        QVERIFY(other);
        auto info = readDemoInfo(*other);
        QVERIFY(info.ok());
        QVERIFY(!info.value().has_value());
    }

    void progressIsReportedForEveryPhase()
    {
        QSet<QString> phases;
        for (const auto &[done, total, text] : m_progress) {
            QVERIFY(done >= 0 && done <= total);
            phases.insert(text.section(QLatin1Char(':'), 0, 0));
        }
        QCOMPARE(phases,
            (QSet<QString> { QStringLiteral("schema"), QStringLiteral("data"), QStringLiteral("indexes"),
                QStringLiteral("analyze") }));
        // The data phase ends with every row loaded.
        qint64 lastData = -1, dataTotal = -1;
        for (const auto &[done, total, text] : m_progress) {
            if (text.startsWith(QLatin1String("data:"))) {
                lastData = done;
                dataTotal = total;
            }
        }
        QCOMPARE(lastData, m_report.counts.totalRows());
        QCOMPARE(dataTotal, m_report.counts.totalRows());
    }

    void sameSeedSameDataOtherSeedOtherData()
    {
        auto s = test::TestCluster::get()->connect(QStringLiteral("demo_fingerprint"));
        QVERIFY(s);
        auto build = [&](quint64 seed) -> std::pair<QString, QString> {
            auto r = buildDemo(*s, smallDemo(0.002, seed));
            if (!r) {
                qWarning("%s", qPrintable(r.error().toString()));
                return {};
            }
            auto measured = measureDataFingerprint(*s);
            return { r->fingerprint, measured ? measured.value() : QString() };
        };
        const auto first = build(7);
        QVERIFY(!first.first.isEmpty() && !first.second.isEmpty());
        const auto again = build(7);
        QCOMPARE(again.first, first.first);
        QCOMPARE(again.second, first.second); // measured from the stored rows
        const auto other = build(8);
        QVERIFY(other.first != first.first);
        QVERIFY(other.second != first.second);
    }

    void longtailProfileBuildsWithRareTags()
    {
        auto s = test::TestCluster::get()->connect(QStringLiteral("demo_longtail"));
        QVERIFY(s);
        DemoOptions o = smallDemo(0.005);
        o.profile = DemoProfile::Longtail;
        auto r = buildDemo(*s, o);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(scalar(*s, QStringLiteral("SELECT count(*) FROM tags")), qint64(demo::LongtailTags));
        const double perItem = double(r->counts.contentTags) / double(r->counts.regularItems + r->counts.autoItems);
        QVERIFY2(std::abs(perItem - 30) < 1, qPrintable(QString::number(perItem)));
        // anime is the most used tag.
        auto top = s->exec(
            QStringLiteral("SELECT tag_id::text FROM content_tags GROUP BY tag_id ORDER BY count(*) DESC LIMIT 1"));
        QVERIFY(top.ok());
        QCOMPARE(top->value(0, 0), demo::AnimeTagId);
        // The rare-tag preset finds a tag on under 0.1% of the items.
        auto rare = resolvePreset(QStringLiteral("rare-tag"), *s);
        QVERIFY2(rare.ok(), qPrintable(rare.ok() ? QString() : rare.error().toString()));
        QCOMPARE(rare->size(), 1);
        QCOMPARE(rare->first().tagIds.size(), 1);
        const qint64 rows = scalar(*s, QStringLiteral("SELECT count(*) FROM content_tags WHERE tag_id = $1::uuid"),
            { rare->first().tagIds.first() });
        QVERIFY(rows > 0);
        QVERIFY(double(rows) < 0.001 * double(r->counts.regularItems + r->counts.autoItems));
    }

    void presetsResolveAgainstTheDemo()
    {
        auto canonical = resolvePreset(QStringLiteral("canonical"), *m_s);
        QVERIFY(canonical.ok());
        QCOMPARE(canonical->size(), 1);
        QCOMPARE(canonical->first().tagIds, QStringList { demo::AnimeTagId });
        QCOMPARE(canonical->first().userId, demo::AdminUserId);
        QCOMPARE(canonical->first().sources.size(), 4);
        QCOMPARE(canonical->first().pageSize, 25);

        auto fiveX = resolvePreset(QStringLiteral("canonical-5x"), *m_s);
        QVERIFY(fiveX.ok());
        QCOMPARE(fiveX->size(), 5);

        auto multi = resolvePreset(QStringLiteral("multi-tag"), *m_s);
        QVERIFY2(multi.ok(), qPrintable(multi.ok() ? QString() : multi.error().toString()));
        QCOMPARE(multi->first().tagIds.size(), 3);
        QCOMPARE(multi->first().tagIds.first(), demo::AnimeTagId);
        QVERIFY(multi->first().match == TagMatch::Any);

        auto all = resolvePreset(QStringLiteral("multi-all"), *m_s);
        QVERIFY2(all.ok(), qPrintable(all.ok() ? QString() : all.error().toString()));
        QCOMPARE(all->size(), 3);
        QCOMPARE(all->at(0).tagIds.size(), 2);
        QCOMPARE(all->at(1).tagIds.size(), 5);
        QCOMPARE(all->at(2).tagIds.size(), 20);
        QVERIFY(all->at(2).match == TagMatch::All);
        QCOMPARE(QSet<QString>(all->at(2).tagIds.begin(), all->at(2).tagIds.end()).size(), 20);

        auto deep = resolvePreset(QStringLiteral("deep-page"), *m_s);
        QVERIFY(deep.ok());
        QCOMPARE(deep->size(), 3);
        QCOMPARE(deep->at(2).page, 1000);

        auto none = resolvePreset(QStringLiteral("no-tag"), *m_s);
        QVERIFY(none.ok());
        QVERIFY(none->first().tagIds.isEmpty());

        // genonaut has no rare tag: a clear error that names the way out.
        auto rare = resolvePreset(QStringLiteral("rare-tag"), *m_s);
        QVERIFY(!rare.ok());
        QCOMPARE(rare.error().code, errc::Input);
        QVERIFY(rare.error().hint.contains(QLatin1String("longtail")));

        auto unknown = resolvePreset(QStringLiteral("fastest"), *m_s);
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message.contains(QLatin1String("fastest")));
    }

    void tagsResolveByNameOrId()
    {
        auto r
            = resolveTags({ QStringLiteral("Anime"), QStringLiteral("landscape"), demo::AnimeTagId.toUpper() }, *m_s);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->size(), 3);
        QCOMPARE(r->at(0), demo::AnimeTagId);
        QCOMPARE(r->at(2), demo::AnimeTagId);
        QVERIFY(isUuid(r->at(1)));
        auto bad = resolveTags({ QStringLiteral("anime"), QStringLiteral("no such tag'; --") }, *m_s);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, errc::Input);
        QVERIFY(bad.error().message.contains(QLatin1String("no such tag'; --")));
        auto missingId = resolveTags({ QStringLiteral("00000000-0000-4000-8000-000000000000") }, *m_s);
        QVERIFY(!missingId.ok());
    }

    void refusesToDropTablesItDidNotCreate()
    {
        auto s = test::TestCluster::get()->connect(QStringLiteral("someone_elses"));
        QVERIFY(s);
        QVERIFY(s->exec(QStringLiteral("CREATE TABLE IF NOT EXISTS content_items (id int)")).ok());
        QVERIFY(s->exec(QStringLiteral("INSERT INTO content_items VALUES (42)")).ok());
        auto r = buildDemo(*s, smallDemo(0.001));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY(r.error().message.contains(QLatin1String("content_items")));
        QCOMPARE(scalar(*s, QStringLiteral("SELECT count(*) FROM content_items")), qint64(1));
    }

    void cancelStopsTheBuildAndLeavesNoMetadata()
    {
        auto s = test::TestCluster::get()->connect(QStringLiteral("demo_cancel"));
        QVERIFY(s);
        // Cancelled as soon as the data starts loading (the build reports "data: ..."), as the Cancel button does.
        CancelToken token;
        bool loading = false;
        auto r = buildDemo(*s, smallDemo(0.05), &token, [&](qint64, qint64, const QString &text) {
            if (text.startsWith(QLatin1String("data:")) && !loading) {
                loading = true;
                token.cancel();
            }
        });
        QVERIFY(loading);
        QVERIFY(!r.ok());
        QVERIFY(r.error().isCancel());
        // The session still works, and the half-built database is not taken for a demo.
        auto info = readDemoInfo(*s);
        QVERIFY2(info.ok(), qPrintable(info.ok() ? QString() : info.error().toString()));
        QVERIFY(!info.value().has_value());
        // Issue #10: it is known as unfinished, with the arguments it was asked for (a plain `demo up` rebuilds
        // with them) ...
        auto state = readDemoState(*s);
        QVERIFY(state.ok());
        QVERIFY(state->kind == DemoState::Kind::Unfinished);
        QVERIFY(state->requested.has_value());
        QCOMPARE(state->requested->scale, 0.05);
        QCOMPARE(state->requested->seed, demo::DefaultSeed);
        const QString rebuild = demoUpCommand(smallDemo(0.05));
        QCOMPARE(rebuild,
            QStringLiteral("plansight demo up --scale 0.05 --profile genonaut --seed %1").arg(demo::DefaultSeed));
        // ... and nothing measures or counts it: the bench and stats refuse, naming the command that rebuilds it.
        BenchTarget target;
        target.conninfo = test::TestCluster::get()->conninfo(QStringLiteral("demo_cancel"));
        BenchOptions o;
        o.strategies = { strategyById(QStringLiteral("baseline")) };
        Workload w;
        w.tagIds = { demo::AnimeTagId };
        o.workloads = { w };
        const BenchOutcome out = BenchRunner(target).run(o, nullptr);
        QVERIFY(out.error.has_value());
        QCOMPARE(out.error->code, demo::UnfinishedCode);
        QVERIFY2(out.error->hint.contains(rebuild), qPrintable(out.error->toString()));
        QVERIFY(out.session.runs.isEmpty());
        QTemporaryDir dir;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), dir.path());
        p.setProcessEnvironment(env);
        p.start(
            QStringLiteral(PLANSIGHT_BINARY), { QStringLiteral("stats"), QStringLiteral("--dsn"), target.conninfo });
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() != 0, qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("not finished")) && err.contains(rebuild), qPrintable(err));
        // A later build over it succeeds.
        auto again = buildDemo(*s, smallDemo(0.001));
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
        QVERIFY(readDemoState(*s)->kind == DemoState::Kind::Complete);
        QVERIFY(requireFinishedDemo(*s, true).ok());
    }

    // Issue #10: a plain `demo up` after an unfinished `demo up --scale X` rebuilt at the default scale.
    void aPlainDemoUpRebuildsAnUnfinishedDemoAsAsked()
    {
        QTemporaryDir dir(QStringLiteral("/tmp/plansight-demoup-XXXXXX"));
        QVERIFY(dir.isValid());
        auto demoUp = [&](const QStringList &args, QString *err) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), dir.path());
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(PLANSIGHT_BINARY), QStringList { QStringLiteral("demo") } + args);
            if (!p.waitForFinished(300000))
                return -1;
            *err = QString::fromUtf8(p.readAllStandardError());
            return p.exitCode();
        };
        QString err;
        QCOMPARE(demoUp({ QStringLiteral("up"), QStringLiteral("--scale"), QStringLiteral("0.002") }, &err), 0);
        LocalCluster cluster(dir.path());
        {
            // What a build killed before its end leaves: the metadata table without its row.
            auto s = PgSession::connect(cluster.conninfo(QStringLiteral("gallery")));
            QVERIFY(s.ok());
            QVERIFY(s.value()->exec(QStringLiteral("DELETE FROM plansight_demo_info")).ok());
        }
        QCOMPARE(demoUp({ QStringLiteral("up") }, &err), 0);
        QVERIFY2(err.contains(QLatin1String("building the demo database (genonaut, scale 0.002")), qPrintable(err));
        {
            auto s = PgSession::connect(cluster.conninfo(QStringLiteral("gallery")));
            QVERIFY(s.ok());
            auto info = readDemoInfo(*s.value());
            QVERIFY(info.ok() && info->has_value());
            QCOMPARE(info.value()->scale, 0.002);
        }
        QCOMPARE(demoUp({ QStringLiteral("down") }, &err), 0);
    }

    void badOptionsAreRefusedBeforeAnythingHappens()
    {
        auto r = buildDemo(*m_s, smallDemo(-1));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY(readDemoInfo(*m_s).value().has_value()); // the existing demo is untouched
    }
};

QTEST_GUILESS_MAIN(TestDemoDatabase)
#include "tst_demodatabase.moc"
