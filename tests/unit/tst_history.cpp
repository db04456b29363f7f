#include "history/historystore.h"
#include "historysamples.h"
#include "present/ranking.h"
#include "present/sessionjson.h"
#include "session/runfields.h"
#include "util/sqlfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <sqlite3.h>

#include <csignal>
#include <fcntl.h>
#include <functional>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace plansight;

namespace {

// A raw SQLite connection, for what an older PlanSight or another program does to the file.
struct RawDb {
    sqlite3 *db = nullptr;
    explicit RawDb(const QString &path) { sqlite3_open(QFile::encodeName(path).constData(), &db); }
    ~RawDb() { sqlite3_close_v2(db); }
    bool exec(const QString &sql)
    {
        char *msg = nullptr;
        const int rc = sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &msg);
        if (rc != SQLITE_OK)
            qWarning("sqlite: %s", msg);
        sqlite3_free(msg);
        return rc == SQLITE_OK;
    }
    QString one(const QString &sql)
    {
        sqlite3_stmt *st = nullptr;
        QString out;
        if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &st, nullptr) == SQLITE_OK
            && sqlite3_step(st) == SQLITE_ROW)
            out = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        return out;
    }
};

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every byte the history keeps on disk for `path` (main file and WAL).
QByteArray allBytes(const QString &path)
{
    return fileBytes(path) + fileBytes(path + QStringLiteral("-wal"));
}

int modeOf(const QString &path)
{
    struct stat st { };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

// Runs `child` in a forked process and returns what it wrote to its pipe (its verdict in words) and its exit
// code. The child uses no Qt event loop and ends with _exit.
QByteArray inChild(const std::function<int(int fd)> &child, int *exitCode = nullptr)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return "pipe failed";
    fflush(stdout);
    fflush(stderr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        const int rc = child(fds[1]);
        ::close(fds[1]);
        ::_exit(rc);
    }
    ::close(fds[1]);
    QByteArray out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
        out.append(buf, qsizetype(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (exitCode)
        *exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

void say(int fd, const QString &text)
{
    const QByteArray b = text.toUtf8() + '\n';
    (void)!::write(fd, b.constData(), size_t(b.size()));
}

} // namespace

class TestHistory : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString file(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void schemaVersionIsTheLastMigration()
    {
        QVERIFY(HistoryStore::schemaVersion() >= 2);
        auto store = HistoryStore::open(file(QStringLiteral("version.sqlite")));
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        RawDb raw(file(QStringLiteral("version.sqlite")));
        QCOMPARE(raw.one(QStringLiteral("PRAGMA user_version")).toInt(), HistoryStore::schemaVersion());
        QCOMPARE(raw.one(QStringLiteral("PRAGMA journal_mode")), QStringLiteral("wal"));
    }

    void defaultPathFollowsXdgAndTheEnvironment()
    {
        const QByteArray oldXdg = qgetenv("XDG_DATA_HOME"), oldEnv = qgetenv("PLANSIGHT_HISTORY");
        qunsetenv("PLANSIGHT_HISTORY");
        qputenv("XDG_DATA_HOME", QFile::encodeName(file(QStringLiteral("xdg"))));
        QCOMPARE(HistoryStore::defaultPath(), file(QStringLiteral("xdg/plansight/history.sqlite")));
        {
            auto store = HistoryStore::open();
            QVERIFY(store.ok());
            QCOMPARE(store->path(), file(QStringLiteral("xdg/plansight/history.sqlite")));
            QVERIFY(QFile::exists(file(QStringLiteral("xdg/plansight/history.sqlite"))));
        }
        qputenv("PLANSIGHT_HISTORY", QFile::encodeName(file(QStringLiteral("env.sqlite"))));
        QCOMPARE(HistoryStore::defaultPath(), file(QStringLiteral("env.sqlite")));
        oldXdg.isNull() ? qunsetenv("XDG_DATA_HOME") : qputenv("XDG_DATA_HOME", oldXdg);
        oldEnv.isNull() ? qunsetenv("PLANSIGHT_HISTORY") : qputenv("PLANSIGHT_HISTORY", oldEnv);
    }

    void fullSessionRoundTrips()
    {
        auto store = HistoryStore::open(file(QStringLiteral("roundtrip.sqlite")));
        QVERIFY(store.ok());
        const SessionResult s = test::sampleSession();
        auto id = store->beginSession(s.info);
        QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error().toString()));
        for (const StrategyRun &r : s.runs)
            QVERIFY(store->addRun(id.value(), r).ok());
        QVERIFY(store->finishSession(id.value()).ok());

        auto back = store->loadSession(id.value());
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QCOMPARE(back->info.id, id.value());
        const QString diff = test::diffSessions(s, back.value(), false);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));

        // And from a second connection, as another thread or process would read it.
        auto other = HistoryStore::open(file(QStringLiteral("roundtrip.sqlite")));
        QVERIFY(other.ok());
        auto again = other->loadSession(id.value());
        QVERIFY(again.ok());
        QVERIFY(test::diffSessions(s, again.value(), false).isEmpty());
        QVERIFY(other->sessionFinishedAt(id.value())->isValid());
    }

    void plansAreStoredCompressed()
    {
        const QString path = file(QStringLiteral("compressed.sqlite"));
        auto store = HistoryStore::open(path);
        QVERIFY(store.ok());
        StrategyRun run = test::sampleSession().runs.at(1);
        QByteArray big;
        for (int i = 0; i < 2000; ++i)
            big += R"({"Node Type": "Nested Loop", "Actual Rows": 25, "Actual Loops": 1},)";
        run.planJson = '[' + big + "{}]";
        auto id = store->beginSession(test::sampleSession().info);
        QVERIFY(store->addRun(id.value(), run).ok());
        RawDb raw(path);
        const qint64 stored = raw.one(QStringLiteral("SELECT length(plan_z) FROM plans")).toLongLong();
        QVERIFY(stored > 0);
        QVERIFY2(stored < run.planJson.size() / 10, qPrintable(QString::number(stored)));
        QCOMPARE(store->loadSession(id.value())->runs.at(0).planJson, run.planJson);
    }

    void equalWorkloadsShareOneRow()
    {
        const QString path = file(QStringLiteral("workloads.sqlite"));
        auto store = HistoryStore::open(path);
        QVERIFY(store.ok());
        const SessionResult s = test::sampleSession();
        auto id = store->beginSession(s.info);
        for (const StrategyRun &r : s.runs)
            QVERIFY(store->addRun(id.value(), r).ok());
        RawDb raw(path);
        // canonical and deep-page (page 10): two distinct keys for five runs.
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM workloads")).toInt(), 2);
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM timings")).toInt(), 16);
        // Each run's workload JSON is stored once: with the run, exactly as run (the shared row has only its key
        // and name).
        const QString canonicalJson
            = QString::fromUtf8(QJsonDocument(s.runs.at(0).workload.toJson()).toJson(QJsonDocument::Compact));
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM workloads WHERE name = 'canonical'")).toInt(), 1);
        QCOMPARE(
            raw.one(QStringLiteral("SELECT count(*) FROM runs WHERE workload_json = '%1'").arg(canonicalJson)).toInt(),
            4);
        QCOMPARE(raw.one(QStringLiteral("SELECT group_concat(name) FROM pragma_table_info('workloads') ORDER BY cid")),
            QStringLiteral("id,key,name"));
    }

    void listSessionsSummarizesAndFilters()
    {
        auto store = HistoryStore::open(file(QStringLiteral("list.sqlite")));
        QVERIFY(store.ok());
        SessionResult a = test::sampleSession();
        a.info.startedAt = QDateTime(QDate(2026, 1, 1), QTime(10, 0), Qt::UTC);
        a.info.note = QStringLiteral("100% of the review's cases");
        SessionResult b = test::sampleSession();
        b.info.startedAt = QDateTime(QDate(2026, 2, 1), QTime(10, 0), Qt::UTC);
        b.info.server = QStringLiteral("embedded demo");
        b.info.note.clear();
        b.runs.resize(1);
        auto ida = store->beginSession(a.info);
        for (const StrategyRun &r : a.runs)
            QVERIFY(store->addRun(ida.value(), r).ok());
        QVERIFY(store->finishSession(ida.value()).ok());
        auto idb = store->beginSession(b.info); // never finished: interrupted
        QVERIFY(store->addRun(idb.value(), b.runs.at(0)).ok());

        auto all = store->listSessions();
        QVERIFY(all.ok());
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).id, idb.value()); // newest first
        QVERIFY(!all->at(0).finishedAt.isValid());
        QCOMPARE(all->at(0).runCount, 1);
        // The baseline alone: it is fastest, so no strategy is the winner (present/ranking.h).
        QCOMPARE(all->at(0).winnerId, QString());
        QCOMPARE(all->at(0).verdict, QStringLiteral("The baseline is fastest: no strategy is faster."));
        const SessionSummary &sa = all->at(1);
        QVERIFY(sa.finishedAt.isValid());
        QCOMPARE(sa.runCount, 5);
        QCOMPARE(sa.strategies,
            QStringList({ QStringLiteral("baseline"), QStringLiteral("p4-indexes"), QStringLiteral("p3-tag-array"),
                QStringLiteral("x-topn"), QStringLiteral("p6-cursor") }));
        QCOMPARE(sa.workloads, QStringList({ QStringLiteral("canonical"), QStringLiteral("deep-page") }));
        // Two workloads with different verdicts: the summary follows the one rule and names no winner.
        QCOMPARE(rankSession(a).winner, nullptr);
        QCOMPARE(sa.winnerId, QString());
        QCOMPARE(sa.verdict, rankSession(a).sentence());
        QVERIFY(sa.machineBusy); // the sample's machine was busy at the end
        QCOMPARE(sa.serverVersion, a.info.serverVersion);

        auto byStrategy = store->listSessions(QStringLiteral("TOPN"));
        QCOMPARE(byStrategy->size(), 1);
        QCOMPARE(byStrategy->at(0).id, ida.value());
        auto byServer = store->listSessions(QStringLiteral("embedded"));
        QCOMPARE(byServer->size(), 1);
        QCOMPARE(byServer->at(0).id, idb.value());
        // LIKE wildcards in the filter are literal characters.
        QCOMPARE(store->listSessions(QStringLiteral("100%"))->size(), 1);
        QCOMPARE(store->listSessions(QStringLiteral("%"))->size(), 1);
        QCOMPARE(store->listSessions(QStringLiteral("_"))->size(), 0);
        QCOMPARE(store->listSessions(QStringLiteral("no such thing"))->size(), 0);
    }

    void deleteRemovesEverythingOfTheSession()
    {
        const QString path = file(QStringLiteral("delete.sqlite"));
        auto store = HistoryStore::open(path);
        QVERIFY(store.ok());
        const SessionResult s = test::sampleSession();
        auto keep = store->beginSession(s.info);
        QVERIFY(store->addRun(keep.value(), s.runs.at(0)).ok());
        auto gone = store->beginSession(s.info);
        for (const StrategyRun &r : s.runs)
            QVERIFY(store->addRun(gone.value(), r).ok());
        QVERIFY(store->addCatalogSnapshot(gone.value(), QStringLiteral("sizes"), { { QStringLiteral("x"), 1 } }).ok());
        QVERIFY(store->deleteSession(gone.value()).ok());

        auto missing = store->loadSession(gone.value());
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, errc::Missing);
        QVERIFY(missing.error().message.contains(QString::number(gone.value())));
        QCOMPARE(store->deleteSession(gone.value()).error().code, errc::Missing);
        QVERIFY(store->loadSession(keep.value()).ok());
        RawDb raw(path);
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM runs")).toInt(), 1);
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM timings")).toInt(), 4);
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM plans")).toInt(), 1);
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM footprints")).toInt(), 1);
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM catalog_snapshots")).toInt(), 0);
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM session_settings")).toInt(), 3);
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM workloads")).toInt(), 1);
    }

    void catalogSnapshotsAreKeptInOrder()
    {
        auto store = HistoryStore::open(file(QStringLiteral("snapshots.sqlite")));
        QVERIFY(store.ok());
        auto id = store->beginSession(test::sampleSession().info);
        const QJsonObject sizes { { QStringLiteral("content_tags"), 123456789 } };
        const QJsonObject counts { { QStringLiteral("content_items"), 65000 } };
        const QDateTime t(QDate(2026, 11, 24), QTime(14, 0, 0, 500), Qt::UTC);
        QVERIFY(store->addCatalogSnapshot(id.value(), QStringLiteral("sizes"), sizes, t).ok());
        QVERIFY(store->addCatalogSnapshot(id.value(), QStringLiteral("counts"), counts).ok());
        auto snaps = store->catalogSnapshots(id.value());
        QVERIFY(snaps.ok());
        QCOMPARE(snaps->size(), 2);
        QCOMPARE(snaps->at(0).kind, QStringLiteral("sizes"));
        QCOMPARE(snaps->at(0).data, sizes);
        QCOMPARE(snaps->at(0).takenAt, t);
        QCOMPARE(snaps->at(1).data, counts);
    }

    void writingToAnUnknownSessionIsAClearError()
    {
        auto store = HistoryStore::open(file(QStringLiteral("unknown.sqlite")));
        QVERIFY(store.ok());
        auto st = store->addRun(777, test::sampleSession().runs.at(0));
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, errc::Missing);
        QVERIFY(st.error().message.contains(QLatin1String("777")));
        QCOMPARE(store->finishSession(777).error().code, errc::Missing);
        QCOMPARE(store->addCatalogSnapshot(777, QStringLiteral("sizes"), {}).error().code, errc::Missing);
    }

    // ---- passwords ----

    void redactPasswordsRemovesEveryFormOfPassword_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("conninfo") << QStringLiteral("host=db1 user=app password=s3cret dbname=gallery")
                                  << QStringLiteral("host=db1 user=app dbname=gallery");
        QTest::newRow("quoted with spaces") << QStringLiteral("host=db1 password = 'my s3cret \\' x' port=5433")
                                            << QStringLiteral("host=db1 port=5433");
        QTest::newRow("sslpassword") << QStringLiteral("sslpassword=keypass host=h") << QStringLiteral("host=h");
        QTest::newRow("env style") << QStringLiteral("PGPASSWORD=s3cret psql") << QStringLiteral("psql");
        QTest::newRow("uri userinfo") << QStringLiteral("postgresql://app:s3cret@db1:5432/gallery")
                                      << QStringLiteral("postgresql://app@db1:5432/gallery");
        QTest::newRow("uri query first") << QStringLiteral("postgres://db1/gallery?password=s3cret&sslmode=require")
                                         << QStringLiteral("postgres://db1/gallery?sslmode=require");
        QTest::newRow("uri query later") << QStringLiteral("postgres://db1/gallery?sslmode=require&password=s3cret")
                                         << QStringLiteral("postgres://db1/gallery?sslmode=require");
        QTest::newRow("uri query only") << QStringLiteral("postgresql://u@db1/g?password=s3cret")
                                        << QStringLiteral("postgresql://u@db1/g");
        QTest::newRow("primary_conninfo") << QStringLiteral("user=replicator password=s3cret host=primary port=5432")
                                          << QStringLiteral("user=replicator host=primary port=5432");
        QTest::newRow("uri password with # and ?") << QStringLiteral("postgresql://app:s3cret#x?y@db1:5432/gallery")
                                                   << QStringLiteral("postgresql://app@db1:5432/gallery");
        QTest::newRow("uri password with @ and /") << QStringLiteral("postgres://app:s3cret%40%2F@db1/gallery")
                                                   << QStringLiteral("postgres://app@db1/gallery");
        QTest::newRow("uri in a sentence")
            << QStringLiteral("could not reach postgresql://app:s3cret?#@db1/gallery?sslmode=require today")
            << QStringLiteral("could not reach postgresql://app@db1/gallery?sslmode=require today");
        QTest::newRow("uri sslpassword query")
            << QStringLiteral("postgresql://db1/g?sslpassword=s3cret#&sslmode=require")
            << QStringLiteral("postgresql://db1/g?sslmode=require");
        QTest::newRow("quoted setting") << QStringLiteral("primary_conninfo = 'host=primary password=s3cret user=rep'")
                                        << QStringLiteral("primary_conninfo='host=primary user=rep'");
        QTest::newRow("unparsable uri") << QStringLiteral("postgresql://app:s3cret@[::1/g")
                                        << QStringLiteral("postgresql://[unparsable URI removed]");
        QTest::newRow("password mentioned") << QStringLiteral("The server rejected the password.")
                                            << QStringLiteral("The server rejected the password.");
        QTest::newRow("nothing to remove")
            << QStringLiteral("app@db1:5432/gallery") << QStringLiteral("app@db1:5432/gallery");
    }
    void redactPasswordsRemovesEveryFormOfPassword()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const QString out = redactPasswords(input);
        QCOMPARE(out, expected);
        QVERIFY(!out.contains(QLatin1String("s3cret")));
    }

    void passwordsNeverReachTheFile()
    {
        const QString path = file(QStringLiteral("passwords.sqlite"));
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
            SessionResult s = test::sampleSession();
            s.info.server = QStringLiteral("postgresql://app:Hunter2Secret@db1:5432/gallery");
            s.info.database = QStringLiteral("host=db1 dbname=gallery password=Hunter2Secret");
            s.info.note = QStringLiteral("ran with password='Hunter2Secret'");
            s.info.settings.append(
                { QStringLiteral("primary_conninfo"), QStringLiteral("host=primary user=rep password=Hunter2Secret") });
            s.runs[0].error = QStringLiteral("connection to \"host=db1 password=Hunter2Secret\" failed");
            auto id = store->beginSession(s.info);
            QVERIFY(id.ok());
            for (const StrategyRun &r : s.runs)
                QVERIFY(store->addRun(id.value(), r).ok());
            QVERIFY(store->finishSession(id.value()).ok());
            auto back = store->loadSession(id.value());
            QCOMPARE(back->info.server, QStringLiteral("postgresql://app@db1:5432/gallery"));
            QCOMPARE(back->info.settings.last().second, QStringLiteral("host=primary user=rep"));
            QVERIFY(!back->runs.at(0).error.contains(QLatin1String("Hunter2")));
            // The bytes on disk, WAL included, before a checkpoint could hide anything.
            QVERIFY(!allBytes(path).isEmpty());
            QVERIFY(!allBytes(path).contains("Hunter2Secret"));
        }
        QVERIFY(!allBytes(path).contains("Hunter2Secret"));
    }

    // ---- the declared run fields (session/runfields.h) ----

    void everyDeclaredRunFieldRoundTripsThroughTheHistory()
    {
        auto store = HistoryStore::open(file(QStringLiteral("fields.sqlite")));
        QVERIFY(store.ok());
        SessionResult session = test::sampleSession();
        const StrategyRun run = test::runWithEveryFieldSet();
        auto id = store->beginSession(session.info);
        QVERIFY(id.ok());
        const Status added = store->addRun(id.value(), run);
        QVERIFY2(added.ok(), qPrintable(added.ok() ? QString() : added.error().toString()));
        auto back = store->loadSession(id.value());
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QCOMPARE(back->runs.size(), 1);
        for (const RunField &f : runFields())
            QVERIFY2(
                f.get(back->runs.at(0)) == f.get(run), qPrintable(f.member + QStringLiteral(" does not come back")));
        QCOMPARE(test::diffRuns(back->runs.at(0), run), QString());

        // Each declared field has its column, and every other column of a run is one of the parts mapped by hand:
        // a field stored beside the declaration is seen here.
        RawDb raw(file(QStringLiteral("fields.sqlite")));
        QStringList columns;
        sqlite3_stmt *st = nullptr;
        QCOMPARE(sqlite3_prepare_v2(raw.db, "SELECT name FROM pragma_table_info('runs')", -1, &st, nullptr), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW)
            columns << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        for (const RunField &f : runFields()) {
            QVERIFY2(columns.contains(QLatin1String(f.column)),
                qPrintable(QStringLiteral("no column %1").arg(QLatin1String(f.column))));
            columns.removeAll(QLatin1String(f.column));
        }
        columns.sort();
        QCOMPARE(columns,
            QStringList({ QStringLiteral("id"), QStringLiteral("ordinal"), QStringLiteral("session_id"),
                QStringLiteral("speedup_high"), QStringLiteral("speedup_low"), QStringLiteral("speedup_ratio"),
                QStringLiteral("speedup_valid"), QStringLiteral("workload_id"), QStringLiteral("workload_json"),
                QStringLiteral("workload_name") }));
    }

    void theSummaryReadsTheDeclaredFields()
    {
        auto store = HistoryStore::open(file(QStringLiteral("fields-list.sqlite")));
        QVERIFY(store.ok());
        const SessionResult session = test::sampleSession();
        auto id = store->beginSession(session.info);
        QVERIFY(id.ok());
        for (const StrategyRun &r : session.runs)
            QVERIFY(store->addRun(id.value(), r).ok());
        auto list = store->listSessions();
        QVERIFY(list.ok());
        QCOMPARE(list->size(), 1);
        QCOMPARE(
            list->at(0).winnerId, rankSession(session).winner ? rankSession(session).winner->strategyId : QString());
        QCOMPARE(list->at(0).verdict, rankSession(session).sentence());
    }

    // ---- migrations ----

    void migratesAVersion1FileWithItsData()
    {
        const QString path = file(QStringLiteral("v1.sqlite"));
        {
            // What PlanSight with schema version 1 wrote.
            RawDb raw(path);
            QVERIFY(raw.exec(QStringLiteral("BEGIN")));
            QVERIFY(raw.exec(sql(QStringLiteral("history/migrations/0001_initial"))));
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 1")));
            QVERIFY(raw.exec(QStringLiteral("COMMIT")));
            const Workload w = test::sampleWorkload(QStringLiteral("canonical"));
            const QString wjson = QString::fromUtf8(QJsonDocument(w.toJson()).toJson(QJsonDocument::Compact));
            QVERIFY(raw.exec(QStringLiteral(
                "INSERT INTO sessions (id, started_at, server, server_version, database, is_demo, settings_json, "
                "dataset_fingerprint, dataset_json, plansight_version, note) VALUES (7, '2026-10-01T08:00:00.000Z', "
                "'embedded demo', '15.8', 'gallery', 1, '[[\"work_mem\",\"64MB\"],[\"jit\",\"off\"]]', 'fp1', "
                "'{\"scale\":0.01}', '0.0.9', 'old session')")));
            QVERIFY(raw.exec(
                QStringLiteral("INSERT INTO workloads (id, key, name, json) VALUES (1, '%1', 'canonical', '%2')")
                    .arg(w.key(), wjson)));
            auto insertRun = [&](int id, const QString &strategy, const QString &timings, double p50,
                                 const QString &finishedAt) {
                return raw.exec(QStringLiteral(
                    "INSERT INTO runs (id, session_id, ordinal, strategy_id, workload_id, workload_name, "
                    "workload_json, "
                    "outcome, cache_state, timings_json, stat_count, stat_p50_ms, result_check, finished_at) "
                    "VALUES (%1, 7, %1, '%2', 1, 'canonical', '%3', 'ok', 'warm', '%4', json_array_length('%4'), %5, "
                    "'same', '%6')")
                                    .arg(id)
                                    .arg(strategy, wjson, timings)
                                    .arg(p50)
                                    .arg(finishedAt));
            };
            QVERIFY(insertRun(1, QStringLiteral("baseline"), QStringLiteral("[100.5,99.25,101.0]"), 100.5,
                QStringLiteral("2026-10-01T08:01:00.000Z")));
            QVERIFY(insertRun(2, QStringLiteral("p4-indexes"), QStringLiteral("[2.5,2.25]"), 2.375,
                QStringLiteral("2026-10-01T08:02:00.000Z")));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO footprints (run_id, objects_json, bytes, build_ms) VALUES "
                                            "(2, '[\"index public.ps_p4_indexes_x\"]', 8192, 12.5)")));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO plans (run_id, plan_z) VALUES (2, x'")
                + QString::fromLatin1(qCompress(QByteArrayLiteral("[{\"Plan\": {}}]")).toHex())
                + QStringLiteral("')")));
        }

        auto store = HistoryStore::open(path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        RawDb raw(path);
        QCOMPARE(raw.one(QStringLiteral("PRAGMA user_version")).toInt(), HistoryStore::schemaVersion());
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'timings_json'")),
            QStringLiteral("0"));
        // Version 5: the workload is stored once, with the run (the shared row keeps its key and name).
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM pragma_table_info('workloads') WHERE name = 'json'")),
            QStringLiteral("0"));

        auto s = store->loadSession(7);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        QCOMPARE(s->info.server, QStringLiteral("embedded demo"));
        QCOMPARE(s->info.note, QStringLiteral("old session"));
        QVERIFY(s->info.isDemo);
        QCOMPARE(s->info.settings.size(), 2);
        QCOMPARE(s->info.settings.at(1), qMakePair(QStringLiteral("jit"), QStringLiteral("off")));
        QCOMPARE(s->runs.size(), 2);
        QCOMPARE(s->runs.at(0).timingsMs, QList<double>({ 100.5, 99.25, 101.0 }));
        QCOMPARE(s->runs.at(1).timingsMs, QList<double>({ 2.5, 2.25 }));
        QCOMPARE(s->runs.at(1).footprint.bytes, 8192);
        QCOMPARE(s->runs.at(1).planJson, QByteArrayLiteral("[{\"Plan\": {}}]"));
        QCOMPARE(s->runs.at(1).workload.key(), test::sampleWorkload(QStringLiteral("canonical")).key());
        // Version 1 stored no speed-up interval: p4 is fastest, but a win cannot be shown (present/ranking.h).
        QCOMPARE(rankSession(*s).winner, nullptr);
        QVERIFY(!s->info.machineAtStart.valid);
        QCOMPARE(s->runs.at(1).footprint.writeSamples, 0);
        // Version 1 sessions count as finished with their last run.
        QCOMPARE(store->sessionFinishedAt(7).value(), QDateTime(QDate(2026, 10, 1), QTime(8, 2), Qt::UTC));
        QCOMPARE(store->integrityCheck().value(), QStringLiteral("ok"));
        QCOMPARE(raw.one(QStringLiteral("PRAGMA foreign_key_check")), QString());

        // And the migrated file takes new sessions next to the old one.
        auto id = store->beginSession(test::sampleSession().info);
        QVERIFY(id.ok());
        QVERIFY(store->addRun(id.value(), test::sampleSession().runs.at(0)).ok());
        QCOMPARE(store->listSessions()->size(), 2);
    }

    // Issue #15: version 7 called the EXPLAIN's execution time "server_ms". Version 9 names it execution_ms, and
    // the server's time is planning + execution: unknown, not the execution alone, where no planning time was kept.
    void migratesAVersion7FileNamingTheExecutionTime()
    {
        const QString path = file(QStringLiteral("v7.sqlite"));
        const Workload w = test::sampleWorkload(QStringLiteral("multi-all"));
        {
            RawDb raw(path);
            QVERIFY(raw.exec(QStringLiteral("BEGIN")));
            for (const char *m :
                { "0001_initial", "0002_timings_and_settings", "0003_run_notes", "0004_machine_and_write_spread",
                    "0005_workload_json_once", "0006_run_shared_buffers", "0007_refresh_ms" })
                QVERIFY2(raw.exec(sql(QStringLiteral("history/migrations/") + QLatin1String(m))), m);
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 7")));
            QVERIFY(raw.exec(QStringLiteral("COMMIT")));
            const QString wjson = QString::fromUtf8(QJsonDocument(w.toJson()).toJson(QJsonDocument::Compact));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO sessions (id, started_at, server) VALUES (7, "
                                            "'2026-11-01T08:00:00.000Z', 'embedded demo')")));
            QVERIFY(raw.exec(
                QStringLiteral("INSERT INTO workloads (id, key, name) VALUES (1, '%1', 'multi-all')").arg(w.key())));
            auto insertRun = [&](int id, const QString &strategy, double p50, double server, double planning) {
                return raw.exec(QStringLiteral("INSERT INTO runs (id, session_id, ordinal, strategy_id, workload_id, "
                                               "workload_name, workload_json, outcome, cache_state, stat_count, "
                                               "stat_p50_ms, result_check, server_ms, planning_ms, finished_at) "
                                               "VALUES (%1, 7, %1, '%2', 1, 'multi-all', '%3', 'ok', 'warm', 1, %4, "
                                               "'same', %5, %6, '2026-11-01T08:01:00.000Z')")
                                    .arg(id)
                                    .arg(strategy, wjson)
                                    .arg(p50)
                                    .arg(server)
                                    .arg(planning))
                    && raw.exec(
                        QStringLiteral("INSERT INTO timings (run_id, idx, ms) VALUES (%1, 0, %2)").arg(id).arg(p50));
            };
            QVERIFY(insertRun(1, QStringLiteral("x-topn"), 151.5, 1.09, 152));
            QVERIFY(insertRun(2, QStringLiteral("baseline"), 5000, 4990.5, -1)); // no planning time kept
        }

        auto store = HistoryStore::open(path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        RawDb raw(path);
        QCOMPARE(raw.one(QStringLiteral("PRAGMA user_version")).toInt(), HistoryStore::schemaVersion());
        QCOMPARE(raw.one(QStringLiteral("SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'server_ms'")),
            QStringLiteral("0"));
        auto s = store->loadSession(7);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        QCOMPARE(s->runs.size(), 2);
        const StrategyRun &topn = s->runs.at(0);
        QCOMPARE(topn.executionMs, 1.09);
        QCOMPARE(topn.planningMs, 152.0);
        QCOMPARE(topn.serverMs(), 152.0 + 1.09);
        const StrategyRun &base = s->runs.at(1);
        QCOMPARE(base.executionMs, 4990.5);
        QCOMPARE(base.planningMs, -1.0);
        QCOMPARE(base.serverMs(), -1.0); // unknown, not 4990.5
        // Runs recorded before measured no prepared form.
        QCOMPARE(topn.preparedStats.count, 0);
        QCOMPARE(topn.preparedStats.p50Ms, -1.0);
        QCOMPARE(topn.preparedNote, QString());
        // In the JSON too: the server time is the sum, or null.
        const QJsonObject json = toJson(s.value());
        const QJsonArray results = json.value(QLatin1String("results")).toArray();
        QCOMPARE(results.at(0).toObject().value(QLatin1String("server_ms")).toDouble(), 152.0 + 1.09);
        QCOMPARE(results.at(0).toObject().value(QLatin1String("execution_ms")).toDouble(), 1.09);
        QVERIFY(results.at(1).toObject().value(QLatin1String("server_ms")).isNull());
        QVERIFY(results.at(1).toObject().value(QLatin1String("prepared_p50_ms")).isNull());
    }

    void aFileFromANewerPlanSightIsRefused()
    {
        const QString path = file(QStringLiteral("newer.sqlite"));
        {
            RawDb raw(path);
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = 999")));
        }
        auto store = HistoryStore::open(path);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, errc::HistoryTooNew);
        QVERIFY(store.error().message.contains(QLatin1String("newer PlanSight")));
    }

    // ---- damaged and locked files ----

    void aFileThatIsNotSqliteIsAClearErrorAndCanBeMovedAside()
    {
        const QString path = file(QStringLiteral("garbage.sqlite"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(8192, 'x'));
        }
        auto store = HistoryStore::open(path);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, errc::HistoryCorrupt);
        QVERIFY(store.error().message.contains(path));
        QVERIFY(store.error().hint.contains(QLatin1String("move it aside")));

        QString movedTo;
        auto fresh = HistoryStore::moveAsideAndOpen(path, &movedTo);
        QVERIFY2(fresh.ok(), qPrintable(fresh.ok() ? QString() : fresh.error().toString()));
        QVERIFY(movedTo.startsWith(path + QStringLiteral(".corrupt-")));
        QCOMPARE(fileBytes(movedTo), QByteArray(8192, 'x')); // kept, untouched
        QVERIFY(fresh->listSessions()->isEmpty());
        auto id = fresh->beginSession(test::sampleSession().info);
        QVERIFY(id.ok());
        QCOMPARE(fresh->integrityCheck().value(), QStringLiteral("ok"));
    }

    void aDamagedHistoryIsAClearErrorNotACrash()
    {
        const QString path = file(QStringLiteral("damaged.sqlite"));
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
            const SessionResult s = test::sampleSession();
            for (int i = 0; i < 20; ++i) {
                auto id = store->beginSession(s.info);
                for (const StrategyRun &r : s.runs)
                    QVERIFY(store->addRun(id.value(), r).ok());
            }
        } // closing checkpoints the WAL into the main file
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        {
            // Overwrite everything after the first page (the header stays valid).
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.size() > 8 * 4096);
            f.seek(4096);
            f.write(QByteArray(int(f.size()) - 4096, '\xA5'));
        }
        // Whatever call meets the damage first gives the corrupt error; none crashes.
        auto store = HistoryStore::open(path);
        Error e;
        if (!store.ok()) {
            e = store.error();
        } else {
            auto list = store->listSessions();
            QVERIFY(!list.ok());
            e = list.error();
        }
        QCOMPARE(e.code, errc::HistoryCorrupt);
        QVERIFY(e.message.contains(QLatin1String("damaged")));

        QString movedTo;
        auto fresh = HistoryStore::moveAsideAndOpen(path, &movedTo);
        QVERIFY(fresh.ok());
        QVERIFY(QFile::exists(movedTo));
        QVERIFY(fresh->listSessions()->isEmpty());
    }

    void moveAsideOfAMissingFileIsAClearError()
    {
        auto r = HistoryStore::moveAside(file(QStringLiteral("never-existed.sqlite")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Missing);
    }

    void aDirectoryIsNotAHistoryFile()
    {
        auto r = HistoryStore::open(m_dir.path());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Io);
    }

    void aFileLockedByAWriterIsAClearError()
    {
        const QString path = file(QStringLiteral("locked.sqlite"));
        auto store = HistoryStore::open(path, 200);
        QVERIFY(store.ok());
        auto id = store->beginSession(test::sampleSession().info);
        QVERIFY(id.ok());

        RawDb other(path);
        QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE; INSERT INTO workloads (key, name) VALUES ('k', 'n')")));
        // The writer holds its lock until ROLLBACK below, so returning at all means the store gave up after its
        // busy timeout instead of waiting for the lock.
        auto st = store->addRun(id.value(), test::sampleSession().runs.at(0));
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, errc::HistoryLocked);
        QVERIFY(st.error().message.contains(QLatin1String("locked")));
        // Reading still works beside the writer (WAL), and once the lock is gone, writing does too.
        QVERIFY(store->loadSession(id.value()).ok());
        QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
        QVERIFY(store->addRun(id.value(), test::sampleSession().runs.at(0)).ok());
    }

    void aFileLockedExclusivelyIsAClearErrorOnOpen()
    {
        const QString path = file(QStringLiteral("exclusive.sqlite"));
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
        }
        RawDb other(path);
        QVERIFY(other.exec(QStringLiteral("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")));
        QVERIFY(other.exec(QStringLiteral("INSERT INTO workloads (key, name) VALUES ('k', 'n')")));
        auto store = HistoryStore::open(path, 200);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, errc::HistoryLocked);
        QVERIFY(store.error().hint.contains(QLatin1String("Close the other program")));
    }

    // ---- file safety (issue #10) ----

    // The history holds SQL, parameters and server names: only its owner may read it.
    void theFileIsPrivateToItsOwner()
    {
        const QString dir = file(QStringLiteral("private/sub"));
        const QString path = dir + QStringLiteral("/history.sqlite");
        {
            auto store = HistoryStore::open(path);
            QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
            QVERIFY(store->beginSession(test::sampleSession().info).ok());
            QCOMPARE(modeOf(dir), 0700);
            QCOMPARE(modeOf(path), 0600);
            QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
            QCOMPARE(modeOf(path + QStringLiteral("-wal")), 0600);
            QCOMPARE(modeOf(path + QStringLiteral("-shm")), 0600);
        }
        // A file an older PlanSight left world-readable is narrowed when opened.
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        QVERIFY(HistoryStore::open(path).ok());
        QCOMPARE(modeOf(path), 0600);
    }

    // A locked file is in use, not damaged: moving it would send the other program's writes into the renamed
    // file.
    void aLockedFileIsNeverMovedAside()
    {
        const QString path = file(QStringLiteral("held.sqlite"));
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
            QVERIFY(store->beginSession(test::sampleSession().info).ok());
        }
        {
            // Another connection of this process holds the write lock.
            RawDb other(path);
            QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE; INSERT INTO workloads (key, name) VALUES ('k', 'n')")));
            auto moved = HistoryStore::moveAside(path);
            QVERIFY(!moved.ok());
            QCOMPARE(moved.error().code, errc::HistoryLocked);
            QVERIFY2(moved.error().message.contains(QLatin1String("not damaged")), qPrintable(moved.error().message));
            QVERIFY(QFile::exists(path));
            QString movedTo;
            QVERIFY(!HistoryStore::moveAsideAndOpen(path, &movedTo).ok());
            QVERIFY(movedTo.isEmpty());
            QVERIFY(other.exec(QStringLiteral("COMMIT")));
        }
        {
            // A store of this process has it open.
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
            auto moved = HistoryStore::moveAside(path);
            QVERIFY(!moved.ok());
            QCOMPARE(moved.error().code, errc::HistoryLocked);
        }
        // Another process holds the write lock, then writes after the attempt: its write lands in the history.
        int ready[2], done[2];
        QVERIFY(::pipe(ready) == 0 && ::pipe(done) == 0);
        fflush(stdout);
        const pid_t pid = ::fork();
        if (pid == 0) {
            sqlite3 *db = nullptr;
            sqlite3_open(QFile::encodeName(path).constData(), &db);
            sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
            (void)!::write(ready[1], "r", 1);
            char c;
            (void)!::read(done[0], &c, 1);
            const int rc = sqlite3_exec(
                db, "INSERT INTO workloads (key, name) VALUES ('child', 'n'); COMMIT", nullptr, nullptr, nullptr);
            sqlite3_close_v2(db);
            ::_exit(rc == SQLITE_OK ? 0 : 3);
        }
        char c;
        QCOMPARE(::read(ready[0], &c, 1), ssize_t(1));
        auto moved = HistoryStore::moveAside(path);
        (void)!::write(done[1], "d", 1);
        int status = 0;
        ::waitpid(pid, &status, 0);
        for (int fd : { ready[0], ready[1], done[0], done[1] })
            ::close(fd);
        QVERIFY(!moved.ok());
        QCOMPARE(moved.error().code, errc::HistoryLocked);
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        {
            // (Closed before the next fork: a child must not inherit an open SQLite connection.)
            RawDb check(path);
            QCOMPARE(
                check.one(QStringLiteral("SELECT count(*) FROM workloads WHERE key = 'child'")), QStringLiteral("1"));
        }
        QCOMPARE(QDir(m_dir.path()).entryList({ QStringLiteral("held.sqlite.corrupt-*") }).size(), 0);

        // An idle connection of another process (no transaction): still in use, still not moved.
        int held[2], release[2];
        QVERIFY(::pipe(held) == 0 && ::pipe(release) == 0);
        fflush(stdout);
        const pid_t idle = ::fork();
        if (idle == 0) {
            sqlite3 *db = nullptr;
            sqlite3_open(QFile::encodeName(path).constData(), &db);
            sqlite3_exec(db, "SELECT count(*) FROM sessions", nullptr, nullptr, nullptr);
            (void)!::write(held[1], "r", 1);
            char x;
            (void)!::read(release[0], &x, 1);
            sqlite3_close_v2(db);
            ::_exit(0);
        }
        QCOMPARE(::read(held[0], &c, 1), ssize_t(1));
        auto movedIdle = HistoryStore::moveAside(path);
        (void)!::write(release[1], "d", 1);
        ::waitpid(idle, &status, 0);
        for (int fd : { held[0], held[1], release[0], release[1] })
            ::close(fd);
        QVERIFY(!movedIdle.ok());
        QCOMPARE(movedIdle.error().code, errc::HistoryLocked);
        QVERIFY(QFile::exists(path));
        // Free again: now it can be moved (the way out of real damage stays open).
        QVERIFY(HistoryStore::moveAside(path).ok());
    }

    void theCliNeverMovesALockedFile()
    {
        const QString path = file(QStringLiteral("cli-locked.sqlite"));
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
        }
        RawDb other(path);
        QVERIFY(other.exec(QStringLiteral("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")));
        QVERIFY(other.exec(QStringLiteral("INSERT INTO workloads (key, name) VALUES ('k', 'n')")));
        QProcess p;
        p.start(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--history"), path,
                QStringLiteral("--move-aside") });
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("locked"), err.constData());
        QVERIFY2(!err.contains("Moved"), err.constData());
        QVERIFY(QFile::exists(path));
        QCOMPARE(QDir(m_dir.path()).entryList({ QStringLiteral("cli-locked.sqlite.corrupt-*") }).size(), 0);
        QVERIFY(other.exec(QStringLiteral("COMMIT")));
    }

    // A file that cannot grow names the real cause (here the file-size limit, EFBIG), not the permissions.
    void aFileThatCannotGrowNamesTheCause()
    {
        const QString path = file(QStringLiteral("limited.sqlite"));
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
        }
        const qint64 size = QFileInfo(path).size();
        QVERIFY(size > 0);
        const SessionResult sample = test::sampleSession();
        int code = -1;
        const QByteArray said = inChild(
            [&](int fd) {
                ::signal(SIGXFSZ, SIG_IGN); // a write past the limit fails with EFBIG instead of killing us
                struct rlimit lim {
                    rlim_t(size), rlim_t(size)
                };
                ::setrlimit(RLIMIT_FSIZE, &lim);
                auto store = HistoryStore::open(path);
                if (!store) {
                    say(fd, store.error().toString());
                    return 0;
                }
                auto id = store->beginSession(sample.info);
                if (!id) {
                    say(fd, id.error().toString());
                    return 0;
                }
                for (int i = 0; i < 2000; ++i) {
                    if (auto st = store->addRun(id.value(), sample.runs.at(1)); !st) {
                        say(fd, st.error().toString());
                        return 0;
                    }
                }
                say(fd, QStringLiteral("no error"));
                return 1;
            },
            &code);
        QCOMPARE(code, 0);
        QVERIFY2(said.contains("file-size limit"), said.constData());
        QVERIFY2(!said.contains("permission"), said.constData());
        // The file is intact for everyone else.
        auto store = HistoryStore::open(path);
        QVERIFY(store.ok());
        QCOMPARE(store->integrityCheck().value(), QStringLiteral("ok"));
    }

    // Without write access to the file and its directory, the history is read (list, show, export), not refused.
    // Run as `nobody` in a child process: root ignores permission bits.
    void aHistoryWithoutWriteAccessIsReadOnly()
    {
        QTemporaryDir shared;
        QVERIFY(shared.isValid());
        QVERIFY(::chmod(QFile::encodeName(shared.path()).constData(), 0755) == 0);
        const QString path = shared.filePath(QStringLiteral("history.sqlite"));
        SessionResult s = test::sampleSession();
        qint64 id = -1;
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
            id = store->beginSession(s.info).value();
            QVERIFY(store->addRun(id, s.runs.at(0)).ok());
            QVERIFY(store->finishSession(id).ok());
        }
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0); // readable, not writable, by nobody
        int code = -1;
        const QByteArray said = inChild(
            [&](int fd) {
                if (::setgid(65534) != 0 || ::setuid(65534) != 0) {
                    say(fd, QStringLiteral("cannot become nobody"));
                    return 2;
                }
                auto store = HistoryStore::open(path);
                if (!store) {
                    say(fd, QStringLiteral("open: ") + store.error().toString());
                    return 1;
                }
                if (!store->isReadOnly())
                    say(fd, QStringLiteral("not read-only"));
                auto list = store->listSessions();
                if (!list || list->size() != 1) {
                    say(fd,
                        QStringLiteral("list: ") + (list ? QStringLiteral("wrong count") : list.error().toString()));
                    return 1;
                }
                auto loaded = store->loadSession(id);
                if (!loaded || loaded->runs.size() != 1) {
                    say(fd,
                        QStringLiteral("load: ") + (loaded ? QStringLiteral("wrong runs") : loaded.error().toString()));
                    return 1;
                }
                auto write = store->beginSession(s.info);
                say(fd,
                    write ? QStringLiteral("wrote") : write.error().code + QLatin1Char(' ') + write.error().message);
                return 0;
            },
            &code);
        QVERIFY2(code == 0, said.constData());
        QVERIFY2(said.startsWith(errc::HistoryReadOnly.toUtf8()), said.constData());
        QVERIFY2(said.contains("read-only"), said.constData());
        QVERIFY(!said.contains("not read-only"));
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
    }

    // ---- the command line ----

    void cliListsShowsAndExportsASession()
    {
        const QString path = file(QStringLiteral("cli.sqlite"));
        SessionResult s = test::sampleSession();
        s.runs.removeAt(3); // the canonical workload alone: p4-indexes is its clear winner
        s.info.settings.append({ QStringLiteral("DateStyle"), QStringLiteral("ISO, MDY") });
        qint64 id = -1;
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
            id = store->beginSession(s.info).value();
            for (const StrategyRun &r : s.runs)
                QVERIFY(store->addRun(id, r).ok());
            QVERIFY(store->finishSession(id, QDateTime::currentDateTimeUtc(), s.info.machineAtEnd).ok());
        }
        const QString sid = QString::number(id);
        auto run = [&](const QStringList &args, QByteArray *err = nullptr) -> QByteArray {
            QProcess p;
            p.start(QStringLiteral(PLANSIGHT_BINARY), QStringList { QStringLiteral("history") } + args);
            if (!p.waitForFinished(30000))
                return "timeout";
            if (err)
                *err = p.readAllStandardError();
            return p.exitCode() == 0 ? p.readAllStandardOutput()
                                     : QByteArray("exit ") + QByteArray::number(p.exitCode());
        };
        const QStringList at { QStringLiteral("--history"), path };

        const QByteArray list = run(QStringList { QStringLiteral("list") } + at);
        QVERIFY2(list.contains("p4-indexes (40.15 ms)"), list.constData());
        QVERIFY(list.contains("finished, busy machine"));
        QVERIFY(run(
            QStringList { QStringLiteral("list"), QStringLiteral("--filter"), QStringLiteral("nothing-like-it") } + at)
                    .startsWith("No session matches"));

        const QByteArray show = run(QStringList { QStringLiteral("show"), sid } + at);
        QVERIFY2(show.contains("DIFFERENT"), show.constData());
        QVERIFY(show.contains("Winner: p4-indexes"));
        QVERIFY2(show.contains("Verdict (canonical (2 tags)): p4-indexes is the fastest"), show.constData());
        QVERIFY(show.contains("Machine:  load 0.52 / 0.61 / 0.70 (1, 5, 15 min) on 2 CPUs"));
        QVERIFY(show.contains("Warning:  The machine was busy"));
        QVERIFY(show.contains("work_mem=64MB"));
        // Readable: the data set in words, not its JSON; only the settings that change plans or speed.
        QVERIFY2(
            show.contains("Dataset:  profile review, scale 0.01, 880000 content_tags (fingerprint sha256:9f2c...e1)")
                || show.contains(
                    "Dataset:  profile review, scale 0.01, 880,000 content_tags (fingerprint sha256:9f2c...e1)"),
            show.constData());
        QVERIFY(!show.contains("{\""));
        QVERIFY(!show.contains("DateStyle"));
        QVERIFY(show.contains("of 4 non-default settings"));
        QVERIFY(show.contains("The run was cancelled."));

        const QByteArray json = run(
            QStringList { QStringLiteral("export"), sid, QStringLiteral("--json"), QStringLiteral("--plans") } + at);
        auto back = sessionFromJson(QJsonDocument::fromJson(json).object());
        QVERIFY2(back.ok(), json.left(200).constData());
        QVERIFY(test::diffSessions(s, back.value(), false).isEmpty());

        const QString csvFile = file(QStringLiteral("cli.csv"));
        QVERIFY(!run(
            QStringList { QStringLiteral("export"), sid, QStringLiteral("--csv"), QStringLiteral("--output"), csvFile }
            + at)
                     .startsWith("exit"));
        SessionResult withId = s;
        withId.info.id = id;
        QCOMPARE(QString::fromUtf8(fileBytes(csvFile)), toCsv(withId));

        QByteArray err;
        QCOMPARE(run(QStringList { QStringLiteral("show"), QStringLiteral("999") } + at, &err), QByteArray("exit 1"));
        QVERIFY2(err.contains("There is no session 999"), err.constData());
        QCOMPARE(run(QStringList { QStringLiteral("show"), QStringLiteral("abc") } + at), QByteArray("exit 2"));
        QCOMPARE(
            run(QStringList { QStringLiteral("export"), sid, QStringLiteral("--csv"), QStringLiteral("--json") } + at),
            QByteArray("exit 2"));
        QVERIFY(run(QStringList { QStringLiteral("delete"), sid } + at).startsWith("Deleted session"));
        QVERIFY(run(QStringList { QStringLiteral("list") } + at).startsWith("No session recorded"));
    }

    // Issue #10: p4 at 1.35x [0.93-2.15] was named the winner; `history list` and `show` follow the one rule.
    void cliNamesNoWinnerWithoutAClearDifference()
    {
        const QString path = file(QStringLiteral("cli-unclear.sqlite"));
        SessionResult s = test::sampleSession();
        s.runs.removeAt(3);
        s.runs[1].speedup = SpeedUp { true, 1.35, 0.93, 2.15 };
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
            const qint64 id = store->beginSession(s.info).value();
            for (const StrategyRun &r : s.runs)
                QVERIFY(store->addRun(id, r).ok());
            QVERIFY(store->finishSession(id).ok());
            auto listed = store->listSessions();
            QVERIFY(listed.ok());
            QVERIFY(listed->first().winnerId.isEmpty());
            QVERIFY(listed->first().verdict.startsWith(QStringLiteral("No clear difference")));
        }
        auto run = [&](const QStringList &args) {
            QProcess p;
            p.start(QStringLiteral(PLANSIGHT_BINARY),
                QStringList { QStringLiteral("history") } + args + QStringList { QStringLiteral("--history"), path });
            return p.waitForFinished(30000) ? p.readAllStandardOutput() : QByteArray("timeout");
        };
        const QByteArray list = run({ QStringLiteral("list") });
        QVERIFY2(!list.contains("p4-indexes ("), list.constData());
        const QByteArray show = run({ QStringLiteral("show"), QStringLiteral("1") });
        QVERIFY2(show.contains("Verdict (canonical (2 tags)): No clear difference"), show.constData());
        QVERIFY(show.contains("1.35x [0.93-2.15]"));
        QVERIFY(!show.contains("Winner:"));
    }

    void cliOffersToMoveADamagedFileAside()
    {
        const QString path = file(QStringLiteral("cli-garbage.sqlite"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("this is not a database, it is a shopping list\n");
        }
        QProcess p;
        p.start(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--history"), path });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("damaged or is not a PlanSight history"), err.constData());
        QVERIFY2(err.contains("--move-aside"), err.constData());
        QVERIFY(QFile::exists(path));

        p.start(QStringLiteral(PLANSIGHT_BINARY),
            { QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--history"), path,
                QStringLiteral("--move-aside") });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardError().contains("Moved the damaged history file to"));
        QVERIFY(p.readAllStandardOutput().startsWith("No session recorded"));
        auto store = HistoryStore::open(path);
        QVERIFY(store.ok());
        QDir dir(m_dir.path());
        QCOMPARE(dir.entryList({ QStringLiteral("cli-garbage.sqlite.corrupt-*") }).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
