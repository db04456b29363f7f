// Changing a server that is not the demo safely (docs/production.md), against a real PostgreSQL: p4's indexes built
// with CREATE INDEX CONCURRENTLY, a lock not granted within the lock_timeout as one clear sentence with nothing left
// behind, no INVALID index after a failed concurrent build, --dry-run printing the plan and changing nothing, and
// extensions PlanSight creates listed and removed again.

#include "gallery/demogenerator.h"
#include "strategies/ddlplan.h"
#include "strategies/extensions.h"
#include "strategies/safety.h"
#include "strategies/schemastrategy.h"
#include "strategies/strategy.h"
#include "testcluster.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

using namespace plansight;

namespace {

const QString ProdDb = QStringLiteral("prod_gallery");

#define REQUIRE_OK(expr)                                                                                               \
    do {                                                                                                               \
        const auto &r_ = (expr);                                                                                       \
        QVERIFY2(r_.ok(), qPrintable(r_.ok() ? QString() : r_.error().toString()));                                    \
    } while (false)

// Indexes, triggers, columns and relations of schema public, and the extensions: what an apply could leave.
QStringList catalog(PgSession &s)
{
    auto r = s.exec(QStringLiteral(R"(
SELECT 'index ' || pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public'
UNION ALL
SELECT 'relation ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
UNION ALL
SELECT 'trigger ' || t.tgname FROM pg_trigger t WHERE NOT t.tgisinternal
UNION ALL
SELECT 'extension ' || extname FROM pg_extension
ORDER BY 1)"));
    if (!r)
        return { r.error().toString() };
    QStringList out;
    for (int i = 0; i < r->rows(); ++i)
        out << r->value(i, 0);
    return out;
}

int invalidIndexes(PgSession &s)
{
    auto r = s.exec(QStringLiteral("SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
    return r ? r->value(0, 0).toInt() : -1;
}

// A strategy of the tests only: a unique index over content_tags.tag_id, which the data breaks (every tag is on many
// items), declared eligible for CREATE INDEX CONCURRENTLY. The build fails after PostgreSQL made the index's catalog
// entry, which is what leaves an INVALID index behind.
class UniqueOverDuplicates : public SchemaStrategy {
public:
    StrategyInfo info() const override
    {
        StrategyInfo i;
        i.id = QStringLiteral("test-unique");
        i.title = QStringLiteral("a unique index the data breaks");
        return i;
    }
    QList<SchemaObject> objects() const override
    {
        return { { SchemaObject::Kind::Index, QStringLiteral("ps_test_unique_tag"), QStringLiteral("content_tags") } };
    }
    Result<StrategyQuery> query(PgSession &, const Workload &) override
    {
        return Error::make(errc::Internal, QStringLiteral("not measured"));
    }

protected:
    QList<Step> applySteps() const override
    {
        return { { QStringLiteral("index"), QStringLiteral("Building a unique index over the tags"), true, true } };
    }
    QString stepSql(const QString &name) const override
    {
        return name == QLatin1String("revert")
            ? QStringLiteral("DROP INDEX IF EXISTS public.ps_test_unique_tag;")
            : QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS ps_test_unique_tag ON public.content_tags (tag_id);");
    }
};

// A strategy of the tests only that needs an extension (hstore, from contrib) and makes one table.
class NeedsExtension : public SchemaStrategy {
public:
    StrategyInfo info() const override
    {
        StrategyInfo i;
        i.id = QStringLiteral("test-ext");
        i.title = QStringLiteral("needs hstore");
        return i;
    }
    QList<SchemaObject> objects() const override
    {
        return { { SchemaObject::Kind::Table, QStringLiteral("ps_test_ext_t"), QString() } };
    }
    QStringList extensions() const override { return { QStringLiteral("hstore") }; }
    Result<StrategyQuery> query(PgSession &, const Workload &) override
    {
        return Error::make(errc::Internal, QStringLiteral("not measured"));
    }

protected:
    QList<Step> applySteps() const override { return { { QStringLiteral("table"), QStringLiteral("A table") } }; }
    QString stepSql(const QString &name) const override
    {
        return name == QLatin1String("revert") ? QStringLiteral("DROP TABLE IF EXISTS public.ps_test_ext_t;")
                                               : QStringLiteral("CREATE TABLE public.ps_test_ext_t (h hstore);");
    }
};

} // namespace

class TestProduction : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> m_s;
    const ApplyContext m_production = ApplyContext::forTarget(false, 1000);

    int runCli(const QStringList &args, QString *out, QString *err)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PLANSIGHT_BINARY), args);
        if (!p.waitForFinished(180000))
            return -1;
        *out = QString::fromUtf8(p.readAllStandardOutput());
        *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        auto *c = test::TestCluster::get();
        auto s = c->connect(ProdDb);
        QVERIFY(s);
        DemoOptions o;
        o.scale = 0.002;
        o.connections = 1;
        REQUIRE_OK(buildDemo(*s, o));
        // The app's tables and data, but not PlanSight's demo: a server like production.
        REQUIRE_OK(s->exec(QStringLiteral("DROP TABLE plansight_demo_info")));
        QVERIFY(!isPlanSightDemo(*s).value());
        m_s = std::move(s);
    }

    void cleanup()
    {
        if (m_s && PQtransactionStatus(m_s->raw()) != PQTRANS_IDLE)
            (void)m_s->exec(QStringLiteral("ROLLBACK"));
    }

    void indexesAreBuiltConcurrentlyOnProduction()
    {
        auto p4 = strategyById(QStringLiteral("p4-indexes"));
        const QStringList before = catalog(*m_s);
        // The plan it runs is the concurrent one (tst_ddlplan); here: it works on a server that is not the demo, the
        // indexes are valid, and the session's lock_timeout comes back.
        REQUIRE_OK(p4->apply(*m_s, nullptr, {}, m_production));
        QCOMPARE(toString(p4->status(*m_s)->state), toString(StrategyState::Applied));
        QCOMPARE(invalidIndexes(*m_s), 0);
        // The session's own lock_timeout is back.
        QCOMPARE(m_s->exec(QStringLiteral("SHOW lock_timeout"))->value(0, 0), QStringLiteral("0"));
        REQUIRE_OK(p4->revert(*m_s, nullptr, m_production));
        QCOMPARE(catalog(*m_s), before);
    }

    // A second connection holds an ACCESS EXCLUSIVE lock on content_tags: the apply gives up after the lock_timeout
    // with one sentence naming the statement, the lock, the table and the holder, and leaves nothing behind.
    void aLockNotGrantedInTimeIsOneClearSentence()
    {
        auto *c = test::TestCluster::get();
        auto holder = c->connect(ProdDb);
        QVERIFY(holder);
        REQUIRE_OK(holder->exec(QStringLiteral("SET application_name = 'the_app_migration'")));
        const QString holderPid = holder->exec(QStringLiteral("SELECT pg_backend_pid()"))->value(0, 0);
        auto p4 = strategyById(QStringLiteral("p4-indexes"));
        const QStringList before = catalog(*m_s);
        REQUIRE_OK(holder->exec(QStringLiteral("BEGIN")));
        REQUIRE_OK(holder->exec(QStringLiteral("LOCK TABLE content_tags IN ACCESS EXCLUSIVE MODE")));

        auto st = p4->apply(*m_s, nullptr, {}, m_production);
        QVERIFY(!st.ok());
        const QString m = st.error().message;
        QCOMPARE(st.error().code, QStringLiteral("55P03"));
        QVERIFY2(m.contains(QLatin1String("CREATE INDEX CONCURRENTLY could not get its SHARE UPDATE EXCLUSIVE lock on "
                                          "public.content_tags within 1 s (lock_timeout)")),
            qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("pid %1").arg(holderPid)), qPrintable(m));
        QVERIFY2(m.contains(QLatin1String("the_app_migration")), qPrintable(m));
        QVERIFY2(m.contains(QLatin1String("holds ACCESS EXCLUSIVE")), qPrintable(m));
        QVERIFY2(st.error().hint.contains(QLatin1String("--lock-timeout")), qPrintable(st.error().toString()));
        QCOMPARE(toString(p4->status(*m_s)->state), toString(StrategyState::NotApplied));
        QCOMPARE(invalidIndexes(*m_s), 0);

        // On the demo's terms (inside a transaction), the plain CREATE INDEX asks for SHARE.
        st = p4->apply(*m_s, nullptr, {}, ApplyContext::forTarget(true, 1000));
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(QLatin1String("CREATE INDEX could not get its SHARE lock on "
                                                           "public.content_tags")),
            qPrintable(st.error().message));
        QCOMPARE(toString(p4->status(*m_s)->state), toString(StrategyState::NotApplied));
        REQUIRE_OK(holder->exec(QStringLiteral("ROLLBACK")));
        QCOMPARE(catalog(*m_s), before);

        // A revert under the lock: the same, and the strategy stays as it was (the transaction rolled back).
        REQUIRE_OK(p4->apply(*m_s, nullptr, {}, m_production));
        REQUIRE_OK(holder->exec(QStringLiteral("BEGIN")));
        REQUIRE_OK(holder->exec(QStringLiteral("LOCK TABLE content_tags IN ACCESS SHARE MODE")));
        st = p4->revert(*m_s, nullptr, m_production);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(QLatin1String("DROP INDEX could not get its ACCESS EXCLUSIVE lock on the "
                                                           "table of public.ps_p4_indexes_tag_source_content")),
            qPrintable(st.error().message));
        QVERIFY2(st.error().message.contains(QLatin1String("holds ACCESS SHARE")), qPrintable(st.error().message));
        QCOMPARE(toString(p4->status(*m_s)->state), toString(StrategyState::Applied));
        REQUIRE_OK(holder->exec(QStringLiteral("ROLLBACK")));
        REQUIRE_OK(p4->revert(*m_s, nullptr, m_production));
        QCOMPARE(catalog(*m_s), before);
        QCOMPARE(m_s->exec(QStringLiteral("SHOW lock_timeout"))->value(0, 0), QStringLiteral("0"));
    }

    void aFailedConcurrentBuildLeavesNoInvalidIndex()
    {
        UniqueOverDuplicates unique;
        const QStringList before = catalog(*m_s);
        auto st = unique.apply(*m_s, nullptr, {}, m_production);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, QStringLiteral("23505"));
        QVERIFY2(st.error().message.startsWith(QLatin1String("Building a unique index over the tags failed")),
            qPrintable(st.error().message));
        QCOMPARE(invalidIndexes(*m_s), 0);
        QCOMPARE(toString(unique.status(*m_s)->state), toString(StrategyState::NotApplied));
        QCOMPARE(catalog(*m_s), before);
    }

    // --dry-run prints the strategies' own plans (the text apply() runs) and changes nothing.
    void dryRunPrintsThePlanAndChangesNothing()
    {
        const QString dsn = test::TestCluster::get()->conninfo(ProdDb);
        const QStringList before = catalog(*m_s);
        QString out, err;
        int rc = runCli({ QStringLiteral("strategies"), QStringLiteral("apply"), QStringLiteral("p4-indexes"),
                            QStringLiteral("x-topn"), QStringLiteral("--dsn"), dsn, QStringLiteral("--dry-run"),
                            QStringLiteral("--lock-timeout"), QStringLiteral("2") },
            &out, &err);
        QVERIFY2(rc == 0, qPrintable(out + err));
        const ApplyContext context = ApplyContext::forTarget(false, 2000);
        for (const QString &id : { QStringLiteral("p4-indexes"), QStringLiteral("x-topn") }) {
            auto s = strategyById(id);
            QVERIFY2(out.contains(s->plannedDdl(context)->script()), qPrintable(out));
            QVERIFY2(out.contains(s->plannedRevertDdl(context)->script()), qPrintable(out));
        }
        QVERIFY(out.contains(QLatin1String("SET lock_timeout = '2s';")));
        QVERIFY(out.contains(QLatin1String("CREATE INDEX CONCURRENTLY IF NOT EXISTS ps_p4_indexes_regular")));
        QVERIFY(out.contains(QLatin1String("DROP INDEX IF EXISTS public.ps_p4_indexes_regular;")));
        QVERIFY(out.contains(QLatin1String("CREATE TABLE IF NOT EXISTS public.ps_x_topn_content_tags")));
        QVERIFY(out.contains(QLatin1String("BEGIN;")) && out.contains(QLatin1String("COMMIT;")));
        QCOMPARE(catalog(*m_s), before);

        rc = runCli({ QStringLiteral("strategies"), QStringLiteral("revert"), QStringLiteral("p4-indexes"),
                        QStringLiteral("--dsn"), dsn, QStringLiteral("--dry-run") },
            &out, &err);
        QVERIFY2(rc == 0, qPrintable(out + err));
        QVERIFY(out.contains(QLatin1String("DROP INDEX IF EXISTS public.ps_p4_indexes_auto;")));
        QVERIFY(!out.contains(QLatin1String("CREATE INDEX CONCURRENTLY IF NOT EXISTS")));

        rc = runCli({ QStringLiteral("bench"), QStringLiteral("--strategies"), QStringLiteral("p4-indexes"),
                        QStringLiteral("--dsn"), dsn, QStringLiteral("--yes"), QStringLiteral("--dry-run"),
                        QStringLiteral("--no-history") },
            &out, &err);
        QVERIFY2(rc == 0, qPrintable(out + err));
        QVERIFY2(
            out.contains(QLatin1String("CREATE INDEX CONCURRENTLY IF NOT EXISTS ps_p4_indexes_auto")), qPrintable(out));
        QVERIFY(out.contains(QLatin1String("DROP INDEX IF EXISTS public.ps_p4_indexes_auto;")));
        QCOMPARE(catalog(*m_s), before);

        // Issue #13: with everything applied, --yes still lets the session create HypoPG: it is listed.
        auto p4 = strategyById(QStringLiteral("p4-indexes"));
        REQUIRE_OK(p4->apply(*m_s, nullptr, {}, m_production));
        rc = runCli({ QStringLiteral("bench"), QStringLiteral("--strategies"), QStringLiteral("p4-indexes"),
                        QStringLiteral("--dsn"), dsn, QStringLiteral("--yes"), QStringLiteral("--dry-run"),
                        QStringLiteral("--no-history") },
            &out, &err);
        QVERIFY2(rc == 0, qPrintable(out + err));
        QVERIFY2(out.contains(QLatin1String("creates bench: extension hypopg")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("no DDL runs")), qPrintable(out));
        REQUIRE_OK(p4->revert(*m_s, nullptr, m_production));
        QCOMPARE(catalog(*m_s), before);

        rc = runCli({ QStringLiteral("strategies"), QStringLiteral("apply"), QStringLiteral("p4-indexes"),
                        QStringLiteral("--dsn"), dsn, QStringLiteral("--lock-timeout"), QStringLiteral("soon") },
            &out, &err);
        QCOMPARE(rc, 2);
        QVERIFY2(err.contains(QLatin1String("--lock-timeout takes a number of seconds")), qPrintable(err));
    }

    // Issue #13: an extension PlanSight creates is listed in the confirmation and removed on revert; one that was
    // there before stays.
    void extensionsAreObjectsLikeAnyOther()
    {
        auto ext = std::make_shared<NeedsExtension>();
        QVERIFY2(
            objectsToConfirm({ ext }).join(QLatin1Char('\n')).contains(QLatin1String("test-ext: extension hstore")),
            qPrintable(objectsToConfirm({ ext }).join(QLatin1Char('\n'))));
        (void)m_s->exec(QStringLiteral("DROP EXTENSION IF EXISTS hstore CASCADE"));
        const QStringList before = catalog(*m_s);
        REQUIRE_OK(ext->apply(*m_s, nullptr, {}, m_production));
        QVERIFY(catalog(*m_s).contains(QStringLiteral("extension hstore")));
        QVERIFY(extensionState(*m_s, QStringLiteral("hstore"))->ours);
        REQUIRE_OK(ext->revert(*m_s, nullptr, m_production));
        QCOMPARE(catalog(*m_s), before);

        // The DBA's own hstore is never dropped.
        REQUIRE_OK(m_s->exec(QStringLiteral("CREATE EXTENSION hstore")));
        REQUIRE_OK(ext->apply(*m_s, nullptr, {}, m_production));
        QVERIFY(!extensionState(*m_s, QStringLiteral("hstore"))->ours);
        REQUIRE_OK(ext->revert(*m_s, nullptr, m_production));
        QVERIFY(catalog(*m_s).contains(QStringLiteral("extension hstore")));
        QCOMPARE(dropExtensionIfCreated(*m_s, QStringLiteral("hstore")).value(), false);
        REQUIRE_OK(m_s->exec(QStringLiteral("DROP EXTENSION hstore")));

        // The general pair HypoPG goes through too: created with the mark, dropped because of it.
        QCOMPARE(ensureExtension(*m_s, QStringLiteral("hstore"), false, QString()).value(), false);
        QCOMPARE(ensureExtension(*m_s, QStringLiteral("hstore"), true, QStringLiteral("for a test")).value(), true);
        QCOMPARE(dropExtensionIfCreated(*m_s, QStringLiteral("hstore")).value(), true);
        QCOMPARE(catalog(*m_s), before);
    }
};

QTEST_GUILESS_MAIN(TestProduction)
#include "tst_production.moc"
