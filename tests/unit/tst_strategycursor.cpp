// p6's cursor tokens and the gallery query builder, without a server.

#include "strategies/cursorstrategy.h"
#include "strategies/galleryquery.h"
#include "util/sqlfiles.h"

#include <QRegularExpression>
#include <QTest>

using namespace plansight;

namespace {

Workload canonical()
{
    Workload w;
    w.tagIds = { demo::AnimeTagId };
    return w;
}

const QString OtherTag = QStringLiteral("0b8e3c9a-1f2d-4c5b-9a6e-7d8f9a0b1c2d");

} // namespace

class TestStrategyCursor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cursorRoundTrips_data()
    {
        QTest::addColumn<bool>("quality");
        QTest::addColumn<bool>("isNull");
        QTest::addColumn<QString>("value");
        QTest::addColumn<qint64>("id");
        QTest::addColumn<QString>("source");
        QTest::newRow("created_at, micros")
            << false << false << QStringLiteral("2025-09-21 23:59:59.123456") << qint64(42) << QStringLiteral("auto");
        QTest::newRow("created_at, whole second")
            << false << false << QStringLiteral("2025-05-01 00:00:00") << qint64(1) << QStringLiteral("regular");
        QTest::newRow("quality") << true << false << QStringLiteral("0.734211") << qint64(2147483647)
                                 << QStringLiteral("regular");
        QTest::newRow("quality NULL") << true << true << QString() << qint64(7) << QStringLiteral("auto");
    }
    void cursorRoundTrips()
    {
        QFETCH(bool, quality);
        QFETCH(bool, isNull);
        QFETCH(QString, value);
        QFETCH(qint64, id);
        QFETCH(QString, source);
        Workload w = canonical();
        if (quality)
            w.sort = SortField::QualityScore;
        const PageCursor c { isNull, value, id, source };
        const QString token = encodeCursor(c, w);
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]+$")).match(token).hasMatch());
        QVERIFY(!token.contains(value.isEmpty() ? QStringLiteral("\x01") : value)); // opaque
        auto back = decodeCursor(token, w);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QVERIFY(back.value() == c);
        // Valid for another page or page size of the same workload ...
        Workload later = w;
        later.page = 7;
        later.pageSize = 50;
        QVERIFY(decodeCursor(token, later).ok());
        // ... and for nothing else.
        Workload otherTag = w;
        otherTag.tagIds = { OtherTag };
        Workload otherOrder = w;
        otherOrder.descending = false;
        Workload otherSources = w;
        otherSources.sources = { SourceKind::CommunityAuto };
        for (const Workload &o : { otherTag, otherOrder, otherSources }) {
            auto r = decodeCursor(token, o);
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code, errc::Input);
            QVERIFY2(r.error().message.contains(QLatin1String("different workload")), qPrintable(r.error().message));
        }
    }

    void everyTamperedByteIsRefused()
    {
        const Workload w = canonical();
        const QString token = encodeCursor(
            PageCursor { false, QStringLiteral("2025-07-04 12:00:00.5"), 123, QStringLiteral("auto") }, w);
        // Every position, every other character of the base64url alphabet: the last
        // character's unused bits included (the process key is random, so a single
        // substitute would only sometimes land on them).
        const QString alphabet = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
        for (int i = 0; i < token.size(); ++i) {
            for (const QChar c : alphabet) {
                if (c == token[i])
                    continue;
                QString t = token;
                t[i] = c;
                auto r = decodeCursor(t, w);
                QVERIFY2(!r.ok(), qPrintable(QStringLiteral("position %1 as '%2' accepted").arg(i).arg(c)));
                QCOMPARE(r.error().code, errc::Input);
                QVERIFY(r.error().message.startsWith(QLatin1String("The page cursor is not valid")));
            }
        }
    }

    void malformedTokensAreInputErrors_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("empty") << QString();
        QTest::newRow("not base64url") << QStringLiteral("abc+/==");
        QTest::newRow("injection") << QStringLiteral("'; DROP TABLE users; --");
        QTest::newRow("short") << QStringLiteral("YWJj");
        QTest::newRow("huge") << QString(5000, QLatin1Char('A'));
        QTest::newRow("unsigned payload")
            << QString::fromLatin1(QByteArray("c1\x1f"
                                              "0000\x1fv\x1f"
                                              "2025-01-01 00:00:00\x1f"
                                              "1\x1f"
                                              "auto0123456789abcdef")
                                       .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }
    void malformedTokensAreInputErrors()
    {
        QFETCH(QString, token);
        auto r = decodeCursor(token, canonical());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY(!r.error().hint.isEmpty());
        CursorStrategy p6;
        auto q = p6.queryAfter(canonical(), token.isEmpty() ? QStringLiteral("!") : token);
        QVERIFY(!q.ok());
        QCOMPARE(q.error().code, errc::Input);
    }

    void keysetBoundIsARowComparison()
    {
        CursorStrategy p6;
        Workload w = canonical();
        const QString token = encodeCursor(
            PageCursor { false, QStringLiteral("2025-07-04 12:00:00"), 9, QStringLiteral("regular") }, w);
        auto q = p6.queryAfter(w, token);
        QVERIFY(q.ok());
        QVERIFY2(q->sql.contains(QLatin1String("(ci.created_at, ci.id, 'regular'::text) < ($")), qPrintable(q->sql));
        QVERIFY(!q->sql.contains(QLatin1String(" OR ")));
        QVERIFY(!q->sql.contains(QLatin1String("OFFSET")));
        QVERIFY(!q->sql.contains(QLatin1String("2025-07-04")));
        QVERIFY(q->params.contains(QVariant(QStringLiteral("2025-07-04 12:00:00"))));
    }

    void baselineSqlDependsOnStructureOnly()
    {
        Workload a = canonical();
        Workload b = canonical();
        b.tagIds = { OtherTag };
        b.userId = QStringLiteral("00000000-0000-4000-8000-000000000001");
        b.page = 9;
        const StrategyQuery qa = baselineQuery(a);
        const StrategyQuery qb = baselineQuery(b);
        QCOMPARE(qa.sql, qb.sql);
        QVERIFY(qa.params != qb.params);
        // $1 user, $2 tags, $3 limit, $4 offset.
        QCOMPARE(qa.params.size(), 4);
        QCOMPARE(qa.params[0].toString(), a.userId);
        QCOMPARE(qa.params[1].toStringList(), QStringList { demo::AnimeTagId });
        QCOMPARE(qb.params[3].toLongLong(), 200);
        QCOMPARE(qa.sql.count(QLatin1String("UNION ALL")), 3);
        QCOMPARE(qa.sql.count(QLatin1String("EXISTS")), 4);
        QVERIFY(qa.sql.contains(QLatin1String("ORDER BY created_at DESC, id DESC, source DESC")));
        QVERIFY(qa.sql.contains(QLatin1String("ct.tag_id = ANY($2::uuid[])")));
        for (const char *c : { "id", "title", "content_type", "content_data", "path_thumb", "path_thumbs_alt_res",
                 "prompt", "creator_id", "creator_username", "item_metadata", "is_private", "quality_score",
                 "created_at", "updated_at", "source" })
            QVERIFY2(qa.sql.contains(QLatin1String(c)), c);
    }

    void allMatchHasOneExistsPerTag()
    {
        Workload w = canonical();
        w.tagIds = { demo::AnimeTagId, OtherTag, OtherTag.toUpper() }; // a duplicate in another case
        w.match = TagMatch::All;
        w.sources = { SourceKind::CommunityRegular };
        const StrategyQuery q = baselineQuery(w);
        QCOMPARE(q.sql.count(QLatin1String("EXISTS")), 2);
        QVERIFY(!q.sql.contains(QLatin1String("UNION ALL")));
        QVERIFY(q.sql.contains(QLatin1String("ci.creator_id <> $1::uuid")));
        QVERIFY(q.sql.contains(QLatin1String("FROM public.content_items ci")));
        QCOMPARE(q.params[1].toStringList().size(), 2);
        Workload none = canonical();
        none.tagIds.clear();
        QVERIFY(!baselineQuery(none).sql.contains(QLatin1String("EXISTS")));
    }

    void sqlFilesLoad()
    {
        for (const char *name :
            { "catalog_objects", "probe_item", "probe_tags", "probe_delete_tags", "probe_delete_item", "probe_inputs",
                "relation_size", "hypopg_state", "hypopg_hide", "p3-tag-array/columns", "p3-tag-array/fill",
                "p3-tag-array/indexes", "p3-tag-array/triggers", "p3-tag-array/analyze", "p3-tag-array/revert",
                "p4-indexes/indexes", "p4-indexes/vacuum", "p4-indexes/revert", "x-topn/table", "x-topn/fill",
                "x-topn/index", "x-topn/triggers", "x-topn/analyze", "x-topn/revert", "x-topn/tag_frequencies" }) {
            auto r = loadSql(QStringLiteral("strategies/") + QLatin1String(name));
            QVERIFY2(r.ok() && !r->trimmed().isEmpty(), name);
        }
    }
};

QTEST_GUILESS_MAIN(TestStrategyCursor)
#include "tst_strategycursor.moc"
