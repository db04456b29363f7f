// The DDL plans of the strategies (strategies/ddlplan.h, docs/production.md): scripts split into statements as
// PostgreSQL reads them, CREATE INDEX CONCURRENTLY only for the steps declared eligible and only on a server that is
// not the demo, the lock_timeout first, and the lock each statement kind takes.

#include "strategies/ddlplan.h"
#include "strategies/extensions.h"
#include "strategies/strategy.h"
#include "util/sqlfiles.h"

#include <QTest>

using namespace plansight;

class TestDdlPlan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void splitsStatementsAsPostgresReadsThem()
    {
        const QString script = QStringLiteral(
            "-- a comment; with a semicolon\n"
            "CREATE INDEX a ON t (x);\n"
            "\n"
            "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN PERFORM 1; PERFORM 2; END $fn$;\n"
            "DO $$ BEGIN RAISE NOTICE 'x;y'; END $$;\n"
            "SELECT 'it''s; fine', \"odd;name\" FROM t WHERE a = $1 -- trailing; comment\n"
            ";\n"
            "/* block; comment */ VACUUM (ANALYZE) t\n");
        const QStringList s = splitSqlStatements(script);
        QCOMPARE(s.size(), 5);
        QCOMPARE(s[0], QStringLiteral("CREATE INDEX a ON t (x)"));
        QVERIFY(s[1].endsWith(QLatin1String("PERFORM 2; END $fn$")));
        QCOMPARE(s[2], QStringLiteral("DO $$ BEGIN RAISE NOTICE 'x;y'; END $$"));
        QVERIFY(s[3].startsWith(QLatin1String("SELECT 'it''s; fine', \"odd;name\" FROM t WHERE a = $1")));
        QCOMPARE(s[4], QStringLiteral("VACUUM (ANALYZE) t"));
        QVERIFY(splitSqlStatements(QStringLiteral("-- only a comment\n;\n")).isEmpty());
    }

    void onlyCreateIndexIsMadeConcurrent()
    {
        QCOMPARE(concurrentIndexStatement(QStringLiteral("CREATE INDEX IF NOT EXISTS i ON public.t (a)")).value(),
            QStringLiteral("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON public.t (a)"));
        QCOMPARE(concurrentIndexStatement(QStringLiteral("create unique index i on t (a)")).value(),
            QStringLiteral("create unique index CONCURRENTLY i on t (a)"));
        QVERIFY(!concurrentIndexStatement(QStringLiteral("ALTER TABLE t ADD COLUMN c int")).ok());
        QVERIFY(!concurrentIndexStatement(QStringLiteral("CREATE INDEX i ON ONLY public.p (a)")).ok());
        QVERIFY(!concurrentIndexStatement(QStringLiteral("CREATE INDEX CONCURRENTLY i ON t (a)")).ok());
        QCOMPARE(createdIndexName(QStringLiteral("CREATE INDEX CONCURRENTLY IF NOT EXISTS public.i ON t (a)")),
            QStringLiteral("public.i"));
        QCOMPARE(createdIndexName(QStringLiteral("CREATE UNIQUE INDEX i2 ON t (a)")), QStringLiteral("i2"));
        QVERIFY(createdIndexName(QStringLiteral("DROP INDEX i")).isEmpty());
    }

    void locksComeFromTheStatementKind_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("effect");
        auto row = [](const char *name, const char *st, const char *kind, const char *table, const char *mode,
                       const char *effect) {
            QTest::newRow(name) << QString::fromLatin1(st) << QString::fromLatin1(kind) << QString::fromLatin1(table)
                                << QString::fromLatin1(mode) << QString::fromLatin1(effect);
        };
        row("cic", "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON public.content_tags (a)", "CREATE INDEX CONCURRENTLY",
            "public.content_tags", "SHARE UPDATE EXCLUSIVE", "reads and writes continue, for the build");
        row("ci", "CREATE INDEX IF NOT EXISTS i ON public.content_tags USING gin (a)", "CREATE INDEX",
            "public.content_tags", "SHARE", "blocks writes for the build");
        row("add column", "ALTER TABLE public.content_items ADD COLUMN IF NOT EXISTS c int", "ALTER TABLE ADD COLUMN",
            "public.content_items", "ACCESS EXCLUSIVE", "blocks reads and writes (brief with a constant default)");
        row("update", "UPDATE public.content_items c SET x = 1", "UPDATE", "public.content_items", "ROW EXCLUSIVE",
            "reads and writes continue");
        row("trigger", "CREATE TRIGGER t AFTER INSERT ON public.content_tags FOR EACH STATEMENT EXECUTE FUNCTION f()",
            "CREATE TRIGGER", "public.content_tags", "SHARE ROW EXCLUSIVE", "blocks writes (brief)");
        row("drop trigger", "DROP TRIGGER IF EXISTS t ON public.content_tags", "DROP TRIGGER", "public.content_tags",
            "ACCESS EXCLUSIVE", "blocks reads and writes (brief)");
        row("drop index", "DROP INDEX IF EXISTS public.i", "DROP INDEX", "public.i", "ACCESS EXCLUSIVE",
            "blocks reads and writes (brief)");
        row("vacuum", "VACUUM (ANALYZE) public.content_tags", "VACUUM", "public.content_tags", "SHARE UPDATE EXCLUSIVE",
            "reads and writes continue");
        row("vacuum full", "VACUUM (FULL, ANALYZE) public.content_items", "VACUUM FULL", "public.content_items",
            "ACCESS EXCLUSIVE", "blocks reads and writes");
    }
    void locksComeFromTheStatementKind()
    {
        QFETCH(QString, statement);
        const QList<TableLock> locks = locksTaken(statement);
        QVERIFY(!locks.isEmpty());
        QTEST(locks.first().statementKind, "kind");
        QTEST(locks.first().table, "table");
        QTEST(locks.first().mode, "mode");
        QTEST(locks.first().effect, "effect");
    }

    void attachLocksTheParentAndThePartition()
    {
        const auto locks = locksTaken(
            QStringLiteral("ALTER TABLE public.p ATTACH PARTITION public.content_items FOR VALUES IN ('regular')"));
        QCOMPARE(locks.size(), 2);
        QCOMPARE(locks[0].mode, QStringLiteral("SHARE UPDATE EXCLUSIVE"));
        QCOMPARE(locks[1].table, QStringLiteral("public.content_items"));
        QCOMPARE(locks[1].mode, QStringLiteral("ACCESS EXCLUSIVE"));
        QVERIFY(locksTaken(QStringLiteral("CREATE FUNCTION f() RETURNS void AS $$ SELECT 1 $$")).isEmpty());
        QVERIFY(locksTaken(QStringLiteral("DO $$ BEGIN END $$")).isEmpty());
    }

    void planScriptHasTheLockTimeoutAndTheTransactions()
    {
        DdlPlan plan { 5000,
            { DdlStep { QStringLiteral("one"), { QStringLiteral("CREATE TABLE a (i int)") }, true },
                DdlStep { QStringLiteral("two"), { QStringLiteral("CREATE INDEX b ON a (i)") }, true },
                DdlStep { QStringLiteral("three"), { QStringLiteral("VACUUM a") }, false } } };
        QCOMPARE(plan.script(),
            QStringLiteral("SET lock_timeout = '5s';\nBEGIN;\n-- one\nCREATE TABLE a (i int);\n-- two\n"
                           "CREATE INDEX b ON a (i);\nCOMMIT;\n-- three (outside a transaction)\nVACUUM a;\n"));
        plan.lockTimeoutMs = 1500;
        QCOMPARE(plan.lockTimeoutStatement(), QStringLiteral("SET lock_timeout = '1500ms'"));
        plan.lockTimeoutMs = 0;
        QCOMPARE(plan.lockTimeoutStatement(), QStringLiteral("SET lock_timeout = 0"));
    }

    // p4-indexes builds its indexes concurrently on a server that is not the demo, outside any transaction; on the
    // demo, and for every other strategy, nothing is concurrent and every plan is valid.
    void concurrentlyOnlyWhereTheStrategyAllowsIt()
    {
        const ApplyContext demo = ApplyContext::forTarget(true);
        const ApplyContext production = ApplyContext::forTarget(false, 2000);
        for (const auto &s : allStrategies()) {
            auto onDemo = s->plannedDdl(demo);
            auto onProduction = s->plannedDdl(production);
            QVERIFY2(onDemo.ok() && onProduction.ok(), qPrintable(s->id()));
            QCOMPARE(onProduction->lockTimeoutMs, 2000);
            // (p1-matview's refresh function runs REFRESH MATERIALIZED VIEW CONCURRENTLY: not an index build.)
            QVERIFY2(!onDemo->script().contains(QLatin1String("INDEX CONCURRENTLY")), qPrintable(s->id()));
            QCOMPARE(onDemo->isEmpty(), !s->info().needsObjects);
            auto revert = s->plannedRevertDdl(production);
            QVERIFY(revert.ok());
            QCOMPARE(revert->isEmpty(), !s->info().needsObjects);
            const bool concurrent = onProduction->script().contains(QLatin1String("INDEX CONCURRENTLY"));
            QCOMPARE(concurrent, s->id() == QLatin1String("p4-indexes"));
            // The same statements in the same order, apart from CONCURRENTLY.
            QStringList plain = onProduction->statements();
            plain.replaceInStrings(QStringLiteral("INDEX CONCURRENTLY "), QStringLiteral("INDEX "));
            QCOMPARE(plain, onDemo->statements());
        }
        auto p4 = strategyById(QStringLiteral("p4-indexes"))->plannedDdl(production);
        QCOMPARE(p4->steps.size(), 2);
        QVERIFY(!p4->steps[0].inTransaction);
        QCOMPARE(p4->steps[0].statements.size(), 3);
        for (const QString &st : p4->steps[0].statements)
            QVERIFY2(
                st.startsWith(QLatin1String("CREATE INDEX CONCURRENTLY IF NOT EXISTS ps_p4_indexes_")), qPrintable(st));
        QVERIFY(!p4->script().contains(QLatin1String("BEGIN")));
    }

    void sqlFilesLoad()
    {
        for (const char *name : { "lock_holders", "extension_state", "extension_create", "extension_drop" }) {
            auto r = loadSql(QStringLiteral("strategies/") + QLatin1String(name));
            QVERIFY2(r.ok() && !r->trimmed().isEmpty(), name);
        }
    }

    void extensionStatementsAreMarkedAndConditional()
    {
        QVERIFY(isExtensionName(QStringLiteral("pg_cron")));
        QVERIFY(!isExtensionName(QStringLiteral("x; DROP TABLE t")));
        const QString create = createExtensionSql(QStringLiteral("pg_cron"), QStringLiteral("for p1-matview"));
        QVERIFY(create.contains(QLatin1String("CREATE EXTENSION pg_cron")));
        QVERIFY(create.contains(QLatin1String("'created by PlanSight for p1-matview'")));
        QVERIFY(create.contains(QLatin1String("IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron')")));
        QCOMPARE(splitSqlStatements(create).size(), 1);
        const QString drop = dropExtensionIfCreatedSql(QStringLiteral("pg_cron"));
        QVERIFY(drop.contains(QLatin1String("DROP EXTENSION pg_cron")));
        QVERIFY(drop.contains(QLatin1String("'created by PlanSight'")));
        QCOMPARE(splitSqlStatements(drop).size(), 1);
    }
};

QTEST_APPLESS_MAIN(TestDdlPlan)
#include "tst_ddlplan.moc"
