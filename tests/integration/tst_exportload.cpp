// plansight demo load (gallery/exportloader.h) on a real PostgreSQL with a tiny demo: a directory of the app's
// exports written here (docs/gallery.md, "The app's exports") loads by column names with its values as they are
// (NULL vs "", quoted tabs, quotes and line breaks, CRLF, JSON, ISO timestamps); a wrong column, a bad value and a
// truncated file each fail naming the file and line and leave the database as it was; files of other tables are
// reported; source_type files load only while x-unified is applied; the CLI verb does the same.

#include "gallery/demogenerator.h"
#include "gallery/exportloader.h"
#include "strategies/strategy.h"
#include "strategies/unifiedstrategy.h"
#include "testcluster.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;

namespace {

const QString Db = QStringLiteral("exports");
const QString Admin = demo::AdminUserId;
const QString Bob = QStringLiteral("22222222-2222-4222-8222-222222222222");
const QString Anime = demo::AnimeTagId;
const QString Style = QStringLiteral("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa");

#define REQUIRE_OK(expr)                                                                                               \
    do {                                                                                                               \
        const auto &r_ = (expr);                                                                                       \
        QVERIFY2(r_.ok(), qPrintable(r_.ok() ? QString() : r_.error().toString()));                                    \
    } while (false)

// The app's exports of a tiny gallery, file by file; @ADMIN@, @BOB@, @ANIME@ and @STYLE@ stand for the ids.
QByteArray ids(QByteArray text)
{
    return text.replace("@ADMIN@", Admin.toUtf8())
        .replace("@BOB@", Bob.toUtf8())
        .replace("@ANIME@", Anime.toUtf8())
        .replace("@STYLE@", Style.toUtf8());
}

QHash<QString, QByteArray> goodExports()
{
    QHash<QString, QByteArray> f;
    f.insert(QStringLiteral("users.tsv"),
        ids("id\tusername\temail\tcreated_at\tupdated_at\tpreferences\tis_active\tfavorite_tag_ids\n"
            "@ADMIN@\tadmin\tadmin@example.com\t2025-05-01T12:00:00\t2025-05-01T12:00:00\t\"{\"\"theme\"\": "
            "\"\"dark\"\"}\"\ttrue\t\n"
            "@BOB@\tbob\tbob@example.com\t2025-05-02T08:30:00\t2025-05-02T08:30:00\t\tfalse\t\"[\"\"@ANIME@\"\"]\"\n"));
    // CRLF line ends, as a Windows tool writes them.
    f.insert(QStringLiteral("tags.tsv"),
        ids("id\tname\ttag_metadata\tcreated_at\tupdated_at\r\n"
            "@STYLE@\tstyle\t\"{\"\"kind\"\": \"\"category\"\"}\"\t2025-04-01T00:00:00\t2025-04-01T00:00:00\r\n"
            "@ANIME@\tanime\t{}\t2025-04-01T00:01:00\t2025-04-01T00:01:00\r\n"));
    f.insert(QStringLiteral("tag_parents.tsv"), ids("tag_id\tparent_id\n@ANIME@\t@STYLE@\n"));
    f.insert(QStringLiteral("tag_ratings.tsv"), ids("id\tuser_id\ttag_id\trating\n7\t@ADMIN@\t@ANIME@\t4.5\n"));
    // No path_thumbs_alt_res column (left NULL); a title with a quote and a tab, one with a line break (so rows and
    // lines differ); path_thumb NULL in row 1 and the empty string in row 2.
    f.insert(QStringLiteral("content_items.tsv"),
        ids("id\ttitle\tcontent_type\tcontent_data\titem_metadata\tcreator_id\tcreated_at\tupdated_at\tquality_score\t"
            "is_private\tpath_thumb\tprompt\n"
            "1\t\"A \"\"quoted\"\" title\twith a tab\"\timage\t/data/1.png\t\"{\"\"model\"\": "
            "\"\"sdxl\"\"}\"\t@ADMIN@\t"
            "2025-06-01T10:00:00\t2025-06-01T10:00:00\t0.5\tfalse\t\ttodo\n"
            "2\t\"Two\nlines\"\timage\t/data/2.png\t\t@BOB@\t2025-06-02T10:00:00\t2025-06-02T10:00:00\t\ttrue\t\"\"\t"
            "todo\n"));
    f.insert(QStringLiteral("content_items_auto.tsv"),
        ids("id\ttitle\tcontent_type\tcontent_data\titem_metadata\tcreator_id\tcreated_at\tupdated_at\tquality_score\t"
            "is_private\tpath_thumb\tprompt\tpath_thumbs_alt_res\n"
            "1\tAuto "
            "one\timage\t/data/a1.png\t\t@BOB@\t2025-07-01T00:00:00\t2025-07-01T00:00:00\t0.25\tfalse\t\ttodo\t\n"
            "5\tAuto five\timage\t/data/a5.png\t\t@ADMIN@\t2025-07-02T00:00:00\t2025-07-02T00:00:00\t0.75\tfalse\t\t"
            "todo\t\"[\"\"x.png\"\"]\"\n"));
    f.insert(QStringLiteral("content_tags.tsv"),
        ids("content_id\tcontent_source\ttag_id\n1\tregular\t@ANIME@\n2\tregular\t@ANIME@\n1\tauto\t@ANIME@\n"
            "5\tauto\t@ANIME@\n"));
    // A table the demo does not model.
    f.insert(QStringLiteral("generation_jobs.tsv"), QByteArray("id\tstatus\n1\tdone\n"));
    return f;
}

// The exports as files made after the app's fix: source_type on both content tables.
QHash<QString, QByteArray> exportsWithSourceType(const QString &regularValue = QStringLiteral("items"))
{
    QHash<QString, QByteArray> f = goodExports();
    auto addColumn = [&](const QString &file, const QString &value) {
        QList<QByteArray> lines = f.value(file).split('\n');
        lines[0] += "\tsource_type";
        for (int i = 1; i < lines.size(); ++i) {
            if (!lines[i].isEmpty())
                lines[i] += QByteArray("\t") + value.toUtf8();
        }
        f.insert(file, lines.join('\n'));
    };
    // content_items row 2's first line ends inside its quoted title: add the field to its last line only.
    QList<QByteArray> ci = f.value(QStringLiteral("content_items.tsv")).split('\n');
    ci[0] += "\tsource_type";
    ci[1] += QByteArray("\t") + regularValue.toUtf8();
    ci[3] += QByteArray("\t") + regularValue.toUtf8(); // "lines"\t...: the end of row 2
    f.insert(QStringLiteral("content_items.tsv"), ci.join('\n'));
    addColumn(QStringLiteral("content_items_auto.tsv"), QStringLiteral("auto"));
    return f;
}

bool writeExports(const QString &dir, const QHash<QString, QByteArray> &files)
{
    QDir().mkpath(dir);
    for (auto it = files.begin(); it != files.end(); ++it) {
        QFile f(dir + QLatin1Char('/') + it.key());
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(it.value()) != it.value().size())
            return false;
    }
    return true;
}

} // namespace

class TestExportLoad : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<PgSession> m_s;
    QTemporaryDir m_tmp { QStringLiteral("/tmp/plansight-exports-XXXXXX") };
    int m_dirs = 0;

    // A directory holding `files`.
    QString exportsDir(const QHash<QString, QByteArray> &files)
    {
        const QString dir = m_tmp.path() + QStringLiteral("/exports-%1").arg(++m_dirs);
        if (!writeExports(dir, files))
            return QString();
        return dir;
    }

    // Everything a load changes: the stored rows (all seven tables) and the demo's metadata.
    QString state()
    {
        auto rows = measureDataFingerprint(*m_s);
        auto info = readDemoInfo(*m_s);
        if (!rows || !info || !info->has_value())
            return QStringLiteral("unreadable");
        return rows.value() + QLatin1Char('|') + (*info)->fingerprint + QLatin1Char('|') + (*info)->describe();
    }

    Result<ExportLoadReport> load(const QString &dir, const ExportLoadOptions &options = {})
    {
        auto scan = scanExportDirectory(dir);
        if (!scan)
            return scan.error();
        return loadExports(*m_s, scan.value(), options);
    }

    qint64 scalar(const QString &sql, const QVariantList &params = {})
    {
        auto r = m_s->exec(sql, params);
        if (!r) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(r.error().toString()));
            return -1;
        }
        return r->toLongLong(0, 0);
    }

    // A load of `files` fails with a message containing each of `expected` and changes nothing.
    void expectRefused(const QHash<QString, QByteArray> &files, const QStringList &expected)
    {
        const QString before = state();
        const QString dir = exportsDir(files);
        QVERIFY(!dir.isEmpty());
        auto r = load(dir);
        QVERIFY2(!r.ok(), "the load was expected to fail");
        for (const QString &e : expected)
            QVERIFY2(r.error().message.contains(e), qPrintable(r.error().toString() + QStringLiteral(" lacks ") + e));
        QVERIFY2(r.error().hint.contains(QLatin1String("Nothing was loaded")) || r.error().code == BadExportCode,
            qPrintable(r.error().toString()));
        QCOMPARE(PQtransactionStatus(m_s->raw()), PQTRANS_IDLE);
        QCOMPARE(state(), before);
    }

    // `plansight demo load ARGS --dsn <the test database>`: exit code, stderr.
    int cli(const QStringList &args, QString *err)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PLANSIGHT_DATA_DIR"), m_tmp.path() + QStringLiteral("/no-demo"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PLANSIGHT_BINARY),
            QStringList { QStringLiteral("demo"), QStringLiteral("load") } + args
                + QStringList { QStringLiteral("--dsn"), test::TestCluster::get()->conninfo(Db) });
        if (!p.waitForFinished(120000))
            return -1;
        *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        QVERIFY(m_tmp.isValid());
        m_s = test::TestCluster::get()->connect(Db);
        QVERIFY(m_s);
        DemoOptions o;
        o.scale = 0.001;
        o.connections = 1;
        REQUIRE_OK(buildDemo(*m_s, o));
    }

    void aGoodDirectoryLoadsByColumnNames()
    {
        const QString dir = exportsDir(goodExports());
        QVERIFY(!dir.isEmpty());
        auto scan = scanExportDirectory(dir);
        REQUIRE_OK(scan);
        QCOMPARE(scan->unknown, QStringList { QStringLiteral("generation_jobs.tsv") });
        QVERIFY(scan->missing.isEmpty());
        QList<std::tuple<qint64, qint64, QString>> progress;
        auto r = loadExports(*m_s, scan.value(), {}, nullptr,
            [&](qint64 done, qint64 total, const QString &text) { progress << std::make_tuple(done, total, text); });
        REQUIRE_OK(r);
        // Parents before children, with the files' row counts, which the tables now hold.
        QStringList order;
        for (const ExportTableLoad &t : r->tables)
            order << t.table;
        QCOMPARE(order, modeledTables());
        const QHash<QString, qint64> expected { { QStringLiteral("users"), 2 }, { QStringLiteral("tags"), 2 },
            { QStringLiteral("tag_parents"), 1 }, { QStringLiteral("tag_ratings"), 1 },
            { QStringLiteral("content_items"), 2 }, { QStringLiteral("content_items_auto"), 2 },
            { QStringLiteral("content_tags"), 4 } };
        for (const ExportTableLoad &t : r->tables) {
            QCOMPARE(t.rows, expected.value(t.table));
            QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM ") + m_s->quoteIdentifier(t.table)), t.rows);
        }
        QCOMPARE(r->tables.at(4).defaulted, QStringList { QStringLiteral("path_thumbs_alt_res") });
        QVERIFY(r->tables.at(5).defaulted.isEmpty());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(std::get<0>(progress.last()), std::get<1>(progress.last()));

        // The values as the files hold them.
        auto item = m_s->exec(
            QStringLiteral("SELECT title, item_metadata->>'model', path_thumb IS NULL, is_private, quality_score, "
                           "created_at = '2025-06-01 10:00:00' FROM content_items ORDER BY id"));
        REQUIRE_OK(item);
        QCOMPARE(item->value(0, 0), QStringLiteral("A \"quoted\" title\twith a tab"));
        QCOMPARE(item->value(0, 1), QStringLiteral("sdxl"));
        QVERIFY(item->toBool(0, 2));
        QVERIFY(!item->toBool(0, 3));
        QCOMPARE(item->value(0, 4), QStringLiteral("0.5"));
        QVERIFY(item->toBool(0, 5));
        QCOMPARE(item->value(1, 0), QStringLiteral("Two\nlines"));
        QVERIFY(item->isNull(1, 1));
        QVERIFY(!item->toBool(1, 2)); // "" is the empty string, not NULL
        QVERIFY(item->toBool(1, 3));
        QVERIFY(item->isNull(1, 4));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users WHERE preferences->>'theme' = 'dark' AND is_active "
                                       "AND favorite_tag_ids IS NULL")),
            qint64(1));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tags WHERE name = 'anime' AND tag_metadata = '{}'")),
            qint64(1)); // a CRLF file: no \r in the last column
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM content_items_auto WHERE path_thumbs_alt_res = "
                                       "'[\"x.png\"]'::jsonb")),
            qint64(1));
        // The id sequences continue after the loaded ids.
        QCOMPARE(
            scalar(QStringLiteral("SELECT nextval(pg_get_serial_sequence('content_items_auto', 'id'))")), qint64(6));
        QCOMPARE(scalar(QStringLiteral("SELECT nextval(pg_get_serial_sequence('tag_ratings', 'id'))")), qint64(8));

        // The metadata says the data is the exports' now.
        auto info = readDemoInfo(*m_s);
        REQUIRE_OK(info);
        QVERIFY(info->has_value());
        QCOMPARE((*info)->fingerprint, r->fingerprint);
        QVERIFY(r->fingerprint.startsWith(QLatin1String("load-")));
        QCOMPARE((*info)->counts.contentTags, qint64(4));
        QCOMPARE((*info)->counts.regularItems, qint64(2));
        QCOMPARE((*info)->counts.tagParents, qint64(1));
        QVERIFY2((*info)->describe().contains(dir), qPrintable((*info)->describe()));
        QVERIFY(requireFinishedDemo(*m_s, true).ok());
    }

    void aColumnTheTableLacksIsRefusedNamingFileAndLine()
    {
        QHash<QString, QByteArray> f = goodExports();
        f[QStringLiteral("content_items.tsv")].replace("\tprompt\n", "\tcolour\n");
        expectRefused(f, { QStringLiteral("content_items.tsv, line 1"), QStringLiteral("colour") });
        // Case matters: never a guess.
        f = goodExports();
        f[QStringLiteral("users.tsv")].replace("\temail\t", "\tEmail\t");
        expectRefused(f, { QStringLiteral("users.tsv, line 1"), QStringLiteral("Email") });
        // A strategy's column is not the app's.
        f = goodExports();
        f[QStringLiteral("tags.tsv")].replace("\tupdated_at\r\n", "\tps_x_topn_rank\r\n");
        expectRefused(f, { QStringLiteral("tags.tsv, line 1"), QStringLiteral("ps_x_topn_rank") });
    }

    void aBadValueIsRefusedNamingFileAndLine()
    {
        // Row 3 of content_items starts on line 5 (row 2's title spans lines 3 and 4).
        QHash<QString, QByteArray> f = goodExports();
        f[QStringLiteral("content_items.tsv")]
            += QStringLiteral("3\tThird\timage\t/data/3.png\t\t%1\tsoon\t2025-06-03T10:00:00\t\tfalse\t\ttodo\n")
                   .arg(Admin)
                   .toUtf8();
        expectRefused(
            f, { QStringLiteral("content_items.tsv, line 5, column created_at"), QStringLiteral("\"soon\"") });
        // A key that is there twice.
        f = goodExports();
        f[QStringLiteral("users.tsv")] += ids("@ADMIN@\tadmin2\tadmin2@example.com\t2025-05-01T12:00:00\t"
                                              "2025-05-01T12:00:00\t\ttrue\t\n");
        expectRefused(f, { QStringLiteral("users.tsv, line 4"), QStringLiteral("duplicate key") });
        // A tag that no file holds (a foreign key, checked as the rows arrive).
        f = goodExports();
        f[QStringLiteral("content_tags.tsv")] += "2\tregular\t00000000-0000-4000-8000-000000000000\n";
        expectRefused(f, { QStringLiteral("content_tags.tsv, line 6"), QStringLiteral("foreign key") });
    }

    void aTruncatedFileIsRefusedNamingFileAndLine()
    {
        // Cut in the middle of a row ...
        QHash<QString, QByteArray> f = goodExports();
        f[QStringLiteral("content_tags.tsv")] += "2\tregu";
        expectRefused(f, { QStringLiteral("content_tags.tsv, line 6"), QStringLiteral("truncated") });
        // ... and in the middle of a quoted field.
        f = goodExports();
        f[QStringLiteral("content_items_auto.tsv")] += "6\t\"Auto six, cut";
        expectRefused(f, { QStringLiteral("content_items_auto.tsv, line 4"), QStringLiteral("truncated") });
        // An empty file has no header.
        f = goodExports();
        f[QStringLiteral("tags.tsv")].clear();
        expectRefused(f, { QStringLiteral("tags.tsv, line 1"), QStringLiteral("empty") });
        // A quote inside an unquoted field is not CSV.
        f = goodExports();
        f[QStringLiteral("tags.tsv")].replace("\tanime\t", "\tani\"me\t");
        expectRefused(f, { QStringLiteral("tags.tsv, line 3"), QStringLiteral("quote") });
    }

    void unknownTablesAreReportedAndAmbiguityRefused()
    {
        QHash<QString, QByteArray> f = goodExports();
        f.insert(QStringLiteral("notifications.csv"), QByteArray("id\n1\n"));
        const QString dir = exportsDir(f);
        auto scan = scanExportDirectory(dir);
        REQUIRE_OK(scan);
        QCOMPARE(scan->unknown,
            (QStringList { QStringLiteral("generation_jobs.tsv"), QStringLiteral("notifications.csv") }));
        // Two exports of one table: PlanSight does not pick one.
        QVERIFY(writeExports(dir, { { QStringLiteral("users.csv"), f.value(QStringLiteral("users.tsv")) } }));
        auto twice = scanExportDirectory(dir);
        QVERIFY(!twice.ok());
        QVERIFY2(twice.error().message.contains(QLatin1String("users.csv"))
                && twice.error().message.contains(QLatin1String("users.tsv")),
            qPrintable(twice.error().toString()));
        // Nothing the demo models: refused before any server is asked.
        const QString none = exportsDir({ { QStringLiteral("generation_jobs.tsv"), QByteArray("id\n") } });
        QVERIFY(!scanExportDirectory(none).ok());
        QVERIFY(!scanExportDirectory(m_tmp.path() + QStringLiteral("/absent")).ok());
    }

    void sourceTypeFilesLoadOnlyWithXUnifiedApplied()
    {
        const QString dir = exportsDir(exportsWithSourceType());
        // Without x-unified: a clear message, nothing changed.
        const QString before = state();
        auto refused = load(dir);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QLatin1String("content_items.tsv, line 1"))
                && refused.error().message.contains(QLatin1String("source_type"))
                && refused.error().message.contains(QLatin1String("x-unified")),
            qPrintable(refused.error().toString()));
        QVERIFY(refused.error().hint.contains(QLatin1String("plansight strategies apply x-unified")));
        QCOMPARE(state(), before);
        QString err;
        QCOMPARE(cli({ dir }, &err), 1);
        QVERIFY2(err.contains(QLatin1String("x-unified")), qPrintable(err));

        // With x-unified applied: into its source column, through the CLI, which asks the strategy's status.
        auto unified = std::dynamic_pointer_cast<UnifiedStrategy>(strategyById(QStringLiteral("x-unified")));
        QVERIFY(unified);
        REQUIRE_OK(unified->apply(*m_s, nullptr, {}));
        QCOMPARE(cli({ dir }, &err), 0);
        QVERIFY2(err.contains(QLatin1String("content_items: 2 rows")), qPrintable(err));
        const QString column = m_s->quoteIdentifier(unified->sourceColumn());
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM content_items WHERE %1 = 'items'").arg(column)), qint64(2));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM %1").arg(unified->parent())), qint64(4));
        // A value the partition refuses is a bad value like any other.
        QHash<QString, QByteArray> f = exportsWithSourceType(QStringLiteral("regular"));
        const QString badDir = exportsDir(f);
        ExportLoadOptions options;
        options.sourceTypeColumn = unified->sourceColumn();
        const QString loaded = state();
        auto bad = load(badDir, options);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QLatin1String("content_items.tsv, line 2")),
            qPrintable(bad.error().toString()));
        QCOMPARE(state(), loaded);
        REQUIRE_OK(unified->revert(*m_s, nullptr));
    }

    void theCliLoadsReportsAndRefuses()
    {
        const QString dir = exportsDir(goodExports());
        QString err;
        QCOMPARE(cli({ dir }, &err), 0);
        QVERIFY2(err.contains(QLatin1String("skipping generation_jobs.tsv")), qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("content_tags: 4 rows from content_tags.tsv")), qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("content_items.tsv has no column path_thumbs_alt_res")), qPrintable(err));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM content_tags")), qint64(4));

        QHash<QString, QByteArray> f = goodExports();
        f[QStringLiteral("content_tags.tsv")] += "2\tregu";
        const QString before = state();
        QCOMPARE(cli({ exportsDir(f) }, &err), 1);
        QVERIFY2(err.contains(QLatin1String("content_tags.tsv, line 6")), qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("Nothing was loaded")), qPrintable(err));
        QCOMPARE(state(), before);

        QCOMPARE(cli({}, &err), 2); // no directory
        QCOMPARE(cli({ m_tmp.path() + QStringLiteral("/absent") }, &err), 2);
    }

    void aDemoOfAnOlderSchemaIsRefused()
    {
        REQUIRE_OK(
            m_s->exec(QStringLiteral("UPDATE plansight_demo_info SET generator_version = generator_version - 1")));
        const QString before = state();
        auto r = load(exportsDir(goodExports()));
        REQUIRE_OK(
            m_s->exec(QStringLiteral("UPDATE plansight_demo_info SET generator_version = generator_version + 1")));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QLatin1String("older PlanSight")), qPrintable(r.error().toString()));
        QVERIFY(r.error().hint.contains(QLatin1String("plansight demo up")));
        REQUIRE_OK(
            m_s->exec(QStringLiteral("UPDATE plansight_demo_info SET generator_version = generator_version - 1")));
        QCOMPARE(state(), before);
        REQUIRE_OK(
            m_s->exec(QStringLiteral("UPDATE plansight_demo_info SET generator_version = generator_version + 1")));
    }

    void aDatabaseThatIsNotADemoIsNeverTouched()
    {
        auto other = test::TestCluster::get()->connect(QStringLiteral("not_a_demo"));
        QVERIFY(other);
        REQUIRE_OK(other->exec(QStringLiteral("CREATE TABLE IF NOT EXISTS users (id uuid, username text)")));
        REQUIRE_OK(other->exec(QStringLiteral("TRUNCATE users")));
        REQUIRE_OK(other->exec(QStringLiteral("INSERT INTO users VALUES (gen_random_uuid(), 'someone')")));
        auto scan = scanExportDirectory(exportsDir(goodExports()));
        REQUIRE_OK(scan);
        auto r = loadExports(*other, scan.value());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY2(
            r.error().message.contains(QLatin1String("no finished PlanSight demo")), qPrintable(r.error().toString()));
        auto n = other->exec(QStringLiteral("SELECT count(*) FROM users"));
        REQUIRE_OK(n);
        QCOMPARE(n->toLongLong(0, 0), qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestExportLoad)
#include "tst_exportload.moc"
