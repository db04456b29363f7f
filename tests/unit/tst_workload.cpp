// The gallery workload as a value: validation, description, the normalized key, JSON, source kinds and presets.
// (Presets that need a database are resolved in tests/integration/tst_demodatabase.)

#include "session/workload.h"

#include <QJsonArray>
#include <QTest>

using namespace plansight;

class TestWorkload : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsAreTheCanonicalShape()
    {
        Workload w;
        QCOMPARE(w.userId, demo::AdminUserId);
        QCOMPARE(w.sources.size(), 4);
        QCOMPARE(w.page, 1);
        QCOMPARE(w.pageSize, 25);
        QCOMPARE(w.offset(), 0);
        QVERIFY(w.validate().ok());
        w.page = 3;
        QCOMPARE(w.offset(), 50);
    }

    void validationNamesWhatIsWrong_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("tag not a uuid") << QStringLiteral("tag") << QStringLiteral("anime") << QStringLiteral("anime");
        QTest::newRow("tag with injection")
            << QStringLiteral("tag") << QStringLiteral("x'; DROP TABLE tags; --") << QStringLiteral("not a UUID");
        QTest::newRow("user not a uuid") << QStringLiteral("user") << QStringLiteral("admin")
                                         << QStringLiteral("admin");
        QTest::newRow("page 0") << QStringLiteral("page") << QStringLiteral("0") << QStringLiteral("page");
        QTest::newRow("page size 0") << QStringLiteral("size") << QStringLiteral("0") << QStringLiteral("page size");
        QTest::newRow("page size 5000") << QStringLiteral("size") << QStringLiteral("5000") << QStringLiteral("1000");
        QTest::newRow("no source") << QStringLiteral("sources") << QString() << QStringLiteral("source");
        QTest::newRow("page beyond int offset")
            << QStringLiteral("page") << QStringLiteral("2000000000") << QStringLiteral("beyond");
    }
    void validationNamesWhatIsWrong()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, mentions);
        Workload w;
        if (field == QLatin1String("tag"))
            w.tagIds = { value };
        else if (field == QLatin1String("user"))
            w.userId = value;
        else if (field == QLatin1String("page"))
            w.page = value.toInt();
        else if (field == QLatin1String("size"))
            w.pageSize = value.toInt();
        else
            w.sources.clear();
        const Status st = w.validate();
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, errc::Input);
        QVERIFY2(st.error().message.contains(mentions), qPrintable(st.error().message));
    }

    void describeReadsLikeTheReview()
    {
        Workload w;
        w.tagIds = { demo::AnimeTagId };
        QCOMPARE(w.describe({ QStringLiteral("anime") }),
            QStringLiteral("anime (any), all 4 sources, admin user, newest first, page 1 (25 per page)"));
        w.tagIds.clear();
        w.sources = { SourceKind::CommunityAuto };
        w.sort = SortField::QualityScore;
        w.page = 10;
        QCOMPARE(w.describe(),
            QStringLiteral("no tag filter, community-auto, admin user, best quality first, page 10 (25 per page)"));
    }

    void keyIgnoresOrderCaseNameAndDuplicates()
    {
        Workload a;
        a.name = QStringLiteral("canonical");
        a.tagIds = { demo::AnimeTagId, QStringLiteral("11111111-1111-4111-8111-111111111111") };
        Workload b = a;
        b.name = QStringLiteral("custom");
        b.tagIds
            = { QStringLiteral("11111111-1111-4111-8111-111111111111"), demo::AnimeTagId.toUpper(), demo::AnimeTagId };
        b.sources = { SourceKind::CommunityAuto, SourceKind::UserRegular, SourceKind::CommunityRegular,
            SourceKind::UserAuto, SourceKind::UserAuto };
        QCOMPARE(a.key(), b.key());
        QVERIFY(a == b);
        b.match = TagMatch::All;
        QVERIFY(a.key() != b.key()); // with two tags, any and all differ
        Workload one, oneAll;
        one.tagIds = { demo::AnimeTagId };
        oneAll = one;
        oneAll.match = TagMatch::All;
        QCOMPARE(one.key(), oneAll.key()); // with one tag they select the same rows
        Workload page2 = one;
        page2.page = 2;
        QVERIFY(page2.key() != one.key());
        Workload asc = one;
        asc.descending = false;
        QVERIFY(asc.key() != one.key());
        // A page reached by cursor is its own workload, except page 1, which is the same statement.
        Workload cursor2 = page2;
        cursor2.byCursor = true;
        QVERIFY(cursor2.key() != page2.key());
        Workload cursor1 = one;
        cursor1.byCursor = true;
        QCOMPARE(cursor1.key(), one.key());
        QVERIFY2(cursor2.describe().contains(QLatin1String("page 2 by cursor")), qPrintable(cursor2.describe()));
    }

    void jsonRoundTrips()
    {
        Workload w;
        w.name = QStringLiteral("multi-all");
        w.tagIds = { demo::AnimeTagId, QStringLiteral("22222222-2222-4222-8222-222222222222") };
        w.match = TagMatch::All;
        w.sources = { SourceKind::UserAuto, SourceKind::CommunityRegular };
        w.userId = QStringLiteral("33333333-3333-4333-8333-333333333333");
        w.sort = SortField::QualityScore;
        w.descending = false;
        w.page = 7;
        w.pageSize = 50;
        w.byCursor = true;
        const QJsonObject j = w.toJson();
        QCOMPARE(j.value(QStringLiteral("paging")).toString(), QStringLiteral("cursor"));
        QCOMPARE(j.value(QStringLiteral("match")).toString(), QStringLiteral("all"));
        QCOMPARE(j.value(QStringLiteral("sources")).toArray().first().toString(), QStringLiteral("user-auto"));
        auto back = Workload::fromJson(j);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QCOMPARE(back->name, w.name);
        QCOMPARE(back->tagIds, w.tagIds);
        QVERIFY(back->sources == w.sources);
        QCOMPARE(back->userId, w.userId);
        QVERIFY(back->sort == SortField::QualityScore);
        QVERIFY(!back->descending);
        QCOMPARE(back->page, 7);
        QCOMPARE(back->pageSize, 50);
        QVERIFY(back->byCursor);
        QCOMPARE(back->key(), w.key());
        // Missing fields take the defaults.
        auto empty = Workload::fromJson(QJsonObject());
        QVERIFY(empty.ok());
        QCOMPARE(empty->key(), Workload().key());
    }

    void badJsonIsAClearError_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("match") << QStringLiteral("match") << QJsonValue(QStringLiteral("some"));
        QTest::newRow("sources not a list") << QStringLiteral("sources") << QJsonValue(QStringLiteral("user-auto"));
        QTest::newRow("unknown source") << QStringLiteral("sources")
                                        << QJsonValue(QJsonArray { QStringLiteral("mine") });
        QTest::newRow("sort") << QStringLiteral("sort") << QJsonValue(QStringLiteral("title"));
        QTest::newRow("order") << QStringLiteral("order") << QJsonValue(QStringLiteral("up"));
        QTest::newRow("page text") << QStringLiteral("page") << QJsonValue(QStringLiteral("1"));
        QTest::newRow("page fraction") << QStringLiteral("page") << QJsonValue(1.5);
        QTest::newRow("page huge") << QStringLiteral("page") << QJsonValue(1e12);
        QTest::newRow("tag ids numbers") << QStringLiteral("tagIds") << QJsonValue(QJsonArray { 1, 2 });
        QTest::newRow("tag id not uuid") << QStringLiteral("tagIds")
                                         << QJsonValue(QJsonArray { QStringLiteral("anime") });
        QTest::newRow("paging") << QStringLiteral("paging") << QJsonValue(QStringLiteral("scroll"));
    }
    void badJsonIsAClearError()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QJsonObject j = Workload().toJson();
        j.insert(field, value);
        auto r = Workload::fromJson(j);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY(!r.error().message.isEmpty());
    }

    void sourceKindsMapToTablesAndCreators()
    {
        for (SourceKind k : allSourceKinds()) {
            auto back = sourceKindFromString(toString(k));
            QVERIFY(back.ok());
            QVERIFY(back.value() == k);
        }
        QCOMPARE(sourceTable(SourceKind::UserRegular), QStringLiteral("content_items"));
        QCOMPARE(sourceTable(SourceKind::CommunityAuto), QStringLiteral("content_items_auto"));
        QCOMPARE(sourceValue(SourceKind::CommunityRegular), QStringLiteral("regular"));
        QCOMPARE(sourceValue(SourceKind::UserAuto), QStringLiteral("auto"));
        QVERIFY(isUserKind(SourceKind::UserAuto));
        QVERIFY(!isUserKind(SourceKind::CommunityRegular));
        QVERIFY(sourceKindFromString(QStringLiteral(" Community-Auto ")).ok());
        auto bad = sourceKindFromString(QStringLiteral("everyone"));
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.contains(QLatin1String("everyone")));
    }

    void uuidsAreRecognised()
    {
        QVERIFY(isUuid(demo::AnimeTagId));
        QVERIFY(isUuid(demo::AdminUserId.toUpper()));
        QVERIFY(!isUuid(QStringLiteral("dfbb88fc3c31468fa2d799605206c985")));
        QVERIFY(!isUuid(QStringLiteral("dfbb88fc-3c31-468f-a2d7-99605206c98")));
        QVERIFY(!isUuid(QStringLiteral("zfbb88fc-3c31-468f-a2d7-99605206c985")));
        QVERIFY(!isUuid(QString()));
    }

    void presetsAreTheReviews()
    {
        QStringList names;
        for (const PresetInfo &p : presets()) {
            names << p.name;
            QVERIFY(!p.description.isEmpty());
        }
        QCOMPARE(names,
            (QStringList { QStringLiteral("canonical"), QStringLiteral("canonical-5x"), QStringLiteral("multi-tag"),
                QStringLiteral("no-tag"), QStringLiteral("multi-all"), QStringLiteral("deep-page"),
                QStringLiteral("deep-cursor"), QStringLiteral("rare-tag") }));
        QVERIFY(presets().first().reviewMeasurement.contains(QLatin1String("13.15 s")));
    }
};

QTEST_GUILESS_MAIN(TestWorkload)
#include "tst_workload.moc"
