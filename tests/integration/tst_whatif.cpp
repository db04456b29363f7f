// What-if indexes against a real PostgreSQL with HypoPG (strategies/whatif.h): the predicted plan reads a hypothetical
// index that helps, the estimated size is close to the built index's, a typed definition is validated and bound (bad
// input is one clear error and leaves no hypothetical index and no catalog change), a strategy's indexes are
// predicted and what cannot be hypothetical is said, and HypoPG is created only when allowed and dropped again. The
// CLI verb prints the prediction and refuses bad input with exit code 2.

#include "bench/runner.h"
#include "gallery/demogenerator.h"
#include "strategies/extensions.h"
#include "strategies/strategy.h"
#include "strategies/whatif.h"
#include "testcluster.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;

namespace {

const QString Db = QStringLiteral("whatif_gallery");

#define REQUIRE_OK(expr)                                                                                               \
    do {                                                                                                               \
        const auto &r_ = (expr);                                                                                       \
        QVERIFY2(r_.ok(), qPrintable(r_.ok() ? QString() : r_.error().toString()));                                    \
    } while (false)

// Relations, indexes and extensions of the database: what a what-if must leave as it found it.
QStringList catalog(PgSession &s)
{
    auto r = s.exec(QStringLiteral(R"(
SELECT 'relation ' || c.oid::regclass::text || ' ' || c.relkind FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
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

int hypotheticalIndexes(PgSession &s)
{
    auto r = s.exec(QStringLiteral("SELECT count(*) FROM hypopg_list_indexes"));
    return r ? r->value(0, 0).toInt() : -1;
}

bool hypopgInstalled(PgSession &s)
{
    auto r = s.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hypopg')"));
    return r && r->toBool(0, 0);
}

} // namespace

class TestWhatIf : public QObject {
    Q_OBJECT

    std::unique_ptr<PgSession> m_s;
    Workload m_rare; // a rare tag: an index on the junction's tag_id is worth reading

    WhatIfRequest typed(const QString &definition) const
    {
        WhatIfRequest r;
        r.definition = definition;
        r.workload = m_rare;
        r.mayCreateExtension = true;
        return r;
    }

    int runCli(const QStringList &args, QString *out, QString *err)
    {
        QProcess p;
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
        auto s = c->connect(Db);
        QVERIFY(s);
        DemoOptions o;
        o.profile = DemoProfile::Longtail; // rare tags for the rare-tag preset
        o.scale = 0.002;
        o.connections = 1;
        REQUIRE_OK(buildDemo(*s, o));
        // The junction's index on tag_id is what the hypothetical index below stands for: without it the planner has
        // no cheap way to the rare tag's rows.
        REQUIRE_OK(s->exec(QStringLiteral("DROP INDEX idx_content_tags_tag_content")));
        REQUIRE_OK(s->exec(QStringLiteral("ANALYZE")));
        auto presets = resolvePreset(QStringLiteral("rare-tag"), *s);
        REQUIRE_OK(presets);
        QVERIFY(!presets->isEmpty());
        m_rare = presets->first();
        auto hypo = extensionState(*s, QStringLiteral("hypopg"));
        REQUIRE_OK(hypo);
        QVERIFY2(hypo->available, "HypoPG is not available to the test server (packaging/setup.sh installs it)");
        m_s = std::move(s);
    }

    void definitionsAreParsed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("table"); // empty: refused
        QTest::addColumn<QString>("statement");
        QTest::addColumn<QString>("error");
        QTest::newRow("plain") << "CREATE INDEX ON public.content_tags (tag_id)"
                               << "public.content_tags"
                               << "CREATE INDEX ON public.content_tags (tag_id)"
                               << "";
        QTest::newRow("named, unique, final semicolon")
            << "  create unique index if not exists ix ON content_items (id);  "
            << "content_items"
            << "create unique index if not exists ix ON content_items (id)"
            << "";
        QTest::newRow("concurrently removed") << "CREATE INDEX CONCURRENTLY ix ON ONLY \"content_tags\" (tag_id)"
                                              << "\"content_tags\""
                                              << "CREATE INDEX ix ON ONLY \"content_tags\" (tag_id)"
                                              << "";
        QTest::newRow("an index named on") << "CREATE INDEX on ON content_tags (tag_id)"
                                           << "content_tags"
                                           << "CREATE INDEX on ON content_tags (tag_id)"
                                           << "";
        QTest::newRow("two statements") << "CREATE INDEX ON content_tags (tag_id); DROP TABLE content_tags"
                                        << ""
                                        << ""
                                        << "2 statements";
        QTest::newRow("drop table") << "DROP TABLE content_tags"
                                    << ""
                                    << ""
                                    << "not DROP TABLE";
        QTest::newRow("select") << "SELECT 1"
                                << ""
                                << ""
                                << "not SELECT";
        QTest::newRow("garbage") << "!! )("
                                 << ""
                                 << ""
                                 << "not this text";
        QTest::newRow("empty") << "  ;  "
                               << ""
                               << ""
                               << "empty";
        QTest::newRow("no table") << "CREATE INDEX ix (tag_id)"
                                  << ""
                                  << ""
                                  << "names no table";
        QTest::newRow("nothing after ON") << "CREATE INDEX ix ON (tag_id)"
                                          << ""
                                          << ""
                                          << "no table after ON";
    }

    void definitionsAreParsed()
    {
        QFETCH(QString, text);
        QFETCH(QString, table);
        QFETCH(QString, statement);
        QFETCH(QString, error);
        auto def = parseIndexDefinition(text);
        if (table.isEmpty()) {
            QVERIFY(!def.ok());
            QCOMPARE(def.error().code, errc::Input);
            QVERIFY2(def.error().message.contains(error), qPrintable(def.error().message));
            return;
        }
        REQUIRE_OK(def);
        QCOMPARE(def->table, table);
        QCOMPARE(def->statement, statement);
        QCOMPARE(def->concurrentlyRemoved, text.contains(QLatin1String("CONCURRENTLY")));
    }

    // Runs first while HypoPG is not installed: it is created only when allowed, and dropped again.
    void hypopgIsCreatedOnlyWhenAllowedAndDroppedAgain()
    {
        QVERIFY(!hypopgInstalled(*m_s));
        const QStringList before = catalog(*m_s);
        WhatIfRequest r = typed(QStringLiteral("CREATE INDEX ON public.content_tags (tag_id, content_id)"));
        r.mayCreateExtension = false;
        auto refused = predictIndexes(*m_s, r);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QLatin1String("not confirmed")), qPrintable(refused.error().message));
        QCOMPARE(catalog(*m_s), before);

        r.mayCreateExtension = true;
        auto done = predictIndexes(*m_s, r);
        REQUIRE_OK(done);
        QVERIFY(done->createdExtension);
        QVERIFY(done->hasPlan());
        QCOMPARE(catalog(*m_s), before); // dropped again

        // From here on HypoPG is installed, as a DBA would have it, so that its list can be read after each call.
        REQUIRE_OK(m_s->exec(QStringLiteral("CREATE EXTENSION hypopg")));
    }

    void anIndexThatHelpsIsUsed()
    {
        auto r = predictIndexes(
            *m_s, typed(QStringLiteral("CREATE INDEX ps_whatif_tag ON public.content_tags (tag_id, content_id)")));
        REQUIRE_OK(r);
        QVERIFY2(r->hasPlan(), qPrintable(r->planError));
        QCOMPARE(r->indexes.size(), 1);
        const WhatIfIndex &i = r->indexes.first();
        QVERIFY2(i.refused.isEmpty(), qPrintable(i.refused));
        QVERIFY2(i.used, qPrintable(formatPredictedPlan(*r, 0)));
        QVERIFY(r->anyUsed());
        QVERIFY(r->indexesInPlan.contains(QStringLiteral("ps_whatif_tag (hypothetical)")));
        QVERIFY(!indexesInPlan(r->currentPlan).contains(i.name));
        QVERIFY2(r->predictedCost() < r->currentCost(), qPrintable(r->verdict()));
        QVERIFY2(
            r->verdict().startsWith(QLatin1String("The planner would use ps_whatif_tag")), qPrintable(r->verdict()));
        QVERIFY(formatPredictedPlan(*r, 80).contains(QLatin1String("ps_whatif_tag (hypothetical)")));
        QCOMPARE(hypotheticalIndexes(*m_s), 0); // reset
        const QJsonObject json = toJson(r.value());
        QCOMPARE(json.value(QStringLiteral("uses_hypothetical")).toBool(), true);
        QVERIFY(json.value(QStringLiteral("predicted_plan")).isArray());
    }

    void anIndexThatDoesNotHelpIsSaidSo()
    {
        // An index on a column the gallery query never filters or sorts on.
        auto r = predictIndexes(*m_s, typed(QStringLiteral("CREATE INDEX ON public.users (email, username)")));
        REQUIRE_OK(r);
        QVERIFY(r->hasPlan());
        QVERIFY(!r->anyUsed());
        QVERIFY2(r->verdict().startsWith(QLatin1String("The planner would not use the hypothetical index")),
            qPrintable(r->verdict()));
        QCOMPARE(r->predictedCost(), r->currentCost());
        QCOMPARE(hypotheticalIndexes(*m_s), 0);
    }

    void theEstimatedSizeIsCloseToTheBuiltOne()
    {
        const QString def = QStringLiteral("CREATE INDEX ps_whatif_size ON public.content_tags (tag_id, content_id)");
        auto r = predictIndexes(*m_s, typed(def));
        REQUIRE_OK(r);
        const qint64 estimated = r->estimatedBytes();
        QVERIFY(estimated > 0);
        REQUIRE_OK(m_s->exec(def));
        auto real = realIndexBytes(*m_s, { QStringLiteral("public.ps_whatif_size") });
        REQUIRE_OK(m_s->exec(QStringLiteral("DROP INDEX public.ps_whatif_size")));
        REQUIRE_OK(real);
        QVERIFY(real.value() > 0);
        const double ratio = double(estimated) / double(real.value());
        QVERIFY2(ratio > 0.5 && ratio < 2.0,
            qPrintable(QStringLiteral("estimated %1 B, built %2 B").arg(estimated).arg(real.value())));
        auto none = realIndexBytes(*m_s, { QStringLiteral("public.ps_whatif_size") });
        REQUIRE_OK(none);
        QCOMPARE(none.value(), qint64(-1));
    }

    void badInputIsOneErrorAndLeavesNothing_data()
    {
        QTest::addColumn<QString>("definition");
        QTest::addColumn<QString>("error");
        QTest::newRow("two statements") << "CREATE INDEX ON content_tags (tag_id); DROP TABLE content_tags"
                                        << "one CREATE INDEX statement";
        QTest::newRow("drop table") << "DROP TABLE content_tags"
                                    << "not DROP TABLE";
        QTest::newRow("missing table") << "CREATE INDEX ON public.no_such_table (a)"
                                       << "The table public.no_such_table does not exist";
        QTest::newRow("quoted missing table") << "CREATE INDEX ON \"it's\" (a)"
                                              << "does not exist";
        QTest::newRow("a view") << "CREATE INDEX ON pg_catalog.pg_stat_activity (pid)"
                                << "not a table";
        QTest::newRow("garbage") << "x'); DROP TABLE t; --"
                                 << "not X";
        QTest::newRow("missing column") << "CREATE INDEX ON content_tags (no_such_column)"
                                        << "HypoPG refused the index definition";
        QTest::newRow("syntax error") << "CREATE INDEX ON content_tags (tag_id) WHERE"
                                      << "HypoPG refused the index definition";
    }

    void badInputIsOneErrorAndLeavesNothing()
    {
        QFETCH(QString, definition);
        QFETCH(QString, error);
        const QStringList before = catalog(*m_s);
        auto r = predictIndexes(*m_s, typed(definition));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, errc::Input);
        QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
        QCOMPARE(hypotheticalIndexes(*m_s), 0);
        QCOMPARE(catalog(*m_s), before);
        QVERIFY(m_s->isAlive());
    }

    // The definition travels as a bound value: quotes inside it are the definition's own.
    void quotesInTheDefinitionAreBound()
    {
        const QStringList before = catalog(*m_s);
        auto r = predictIndexes(
            *m_s, typed(QStringLiteral("CREATE INDEX ON public.content_items (title) WHERE title <> 'it''s'")));
        REQUIRE_OK(r);
        QCOMPARE(r->indexes.size(), 1);
        QVERIFY(r->indexes.first().estimatedBytes > 0);
        auto injected = predictIndexes(*m_s,
            typed(QStringLiteral(
                "CREATE INDEX ON public.content_items (title) WHERE title = '''); DROP TABLE content_tags; --'")));
        REQUIRE_OK(injected);
        QCOMPARE(injected->indexes.size(), 1);
        QCOMPARE(catalog(*m_s), before);
        QCOMPARE(hypotheticalIndexes(*m_s), 0);
    }

    void aStrategysIndexesArePredicted()
    {
        WhatIfRequest r;
        r.strategy = strategyById(QStringLiteral("p4-indexes"));
        r.workload = m_rare;
        r.mayCreateExtension = true;
        auto p = predictIndexes(*m_s, r);
        REQUIRE_OK(p);
        QCOMPARE(p->strategyId, QStringLiteral("p4-indexes"));
        QCOMPARE(p->indexes.size(), 3);
        for (const WhatIfIndex &i : p->indexes) {
            QVERIFY2(i.refused.isEmpty(), qPrintable(i.refused));
            QVERIFY(i.estimatedBytes > 0);
            QVERIFY(i.intendedName.startsWith(QLatin1String("ps_p4_indexes_")));
        }
        QVERIFY(p->notSimulated.isEmpty());
        QVERIFY(p->hasPlan());
        // Without the junction's own index on tag_id, p4's (tag_id, ...) indexes are the way to the rare tag.
        QVERIFY2(p->anyUsed(), qPrintable(formatPredictedPlan(p.value(), 0)));
        QCOMPARE(hypotheticalIndexes(*m_s), 0);
    }

    // x-topn's index is on a table of its own, and its query reads that table: neither can be hypothetical.
    void whatCannotBeHypotheticalIsSaid()
    {
        const QStringList before = catalog(*m_s);
        WhatIfRequest r;
        r.strategy = strategyById(QStringLiteral("x-topn"));
        r.workload = m_rare;
        r.mayCreateExtension = true;
        auto p = predictIndexes(*m_s, r);
        REQUIRE_OK(p);
        QVERIFY(!p->notSimulated.isEmpty());
        QVERIFY(!p->indexes.isEmpty());
        for (const WhatIfIndex &i : p->indexes)
            QVERIFY2(i.refused.contains(QLatin1String("does not exist before x-topn is built")), qPrintable(i.refused));
        QVERIFY(!p->hasPlan());
        QVERIFY2(
            p->verdict().contains(QLatin1String("HypoPG makes only indexes hypothetical")), qPrintable(p->verdict()));
        QCOMPARE(catalog(*m_s), before);

        // A strategy without indexes: nothing to make hypothetical.
        r.strategy = strategyById(QStringLiteral("baseline"));
        auto none = predictIndexes(*m_s, r);
        QVERIFY(!none.ok());
        QVERIFY2(none.error().message.contains(QLatin1String("creates no index")), qPrintable(none.error().message));
    }

    // A bench session that builds p4-indexes predicts first, and its run keeps the prediction beside the built plan.
    void benchPutsThePredictionBesideTheBuilt()
    {
        const QStringList before = catalog(*m_s);
        BenchTarget target;
        target.conninfo = test::TestCluster::get()->conninfo(Db);
        BenchOptions o;
        o.strategies = { strategyById(QStringLiteral("p4-indexes")) };
        o.workloads = { m_rare };
        o.runs = 1;
        o.warmupRuns = 0;
        o.applyMissing = true;
        o.measureWriteCost = false;
        o.measurePrepared = false;
        const BenchOutcome out = BenchRunner(target).run(o, nullptr);
        QVERIFY2(!out.error, qPrintable(out.error ? out.error->toString() : QString()));
        const auto it = std::find_if(out.session.runs.begin(), out.session.runs.end(),
            [](const StrategyRun &r) { return r.strategyId == QLatin1String("p4-indexes"); });
        QVERIFY(it != out.session.runs.end());
        const StrategyRun &r = *it;
        // "what-if before building (HypoPG): predicted cost A, built B; predicted size X, built Y; ..."
        static const QRegularExpression words(QStringLiteral(
            "what-if before building \\(HypoPG\\): predicted cost ([0-9.,]+), built ([0-9.,]+); predicted size "
            "([0-9.]+) (B|KiB|MiB), built ([0-9.]+) (B|KiB|MiB); the (built plan reads the predicted indexes|predicted "
            "plan read)"));
        const auto m = words.match(r.note);
        QVERIFY2(m.hasMatch(), qPrintable(r.note + QLatin1Char('\n') + out.session.warnings.join(QLatin1Char('\n'))));
        QVERIFY2(m.captured(4) == m.captured(6), qPrintable(r.note)); // the same unit: within a factor of 1024
        const double ratio = m.captured(3).toDouble() / m.captured(5).toDouble();
        QVERIFY2(ratio > 0.5 && ratio < 2.0, qPrintable(r.note));
        QVERIFY(r.note.contains(QLatin1String("ps_p4_indexes_")));
        // The baseline builds nothing: no prediction.
        for (const StrategyRun &other : out.session.runs)
            QVERIFY(other.strategyId == QLatin1String("p4-indexes") || !other.note.contains(QLatin1String("what-if")));
        QCOMPARE(catalog(*m_s), before); // p4 reverted in turn
        QCOMPARE(hypotheticalIndexes(*m_s), 0);

        // --no-whatif: no prediction.
        o.predictIndexes = false;
        const BenchOutcome off = BenchRunner(target).run(o, nullptr);
        QVERIFY(!off.error);
        for (const StrategyRun &run : off.session.runs)
            QVERIFY2(!run.note.contains(QLatin1String("what-if")), qPrintable(run.note));
    }

    void cli()
    {
        auto *c = test::TestCluster::get();
        const QString dsn = c->conninfo(Db);
        QString out, err;
        QTemporaryDir dir;
        const QString json = dir.filePath(QStringLiteral("whatif.json"));
        int rc = runCli({ QStringLiteral("whatif"), QStringLiteral("--dsn"), dsn, QStringLiteral("--index"),
                            QStringLiteral("CREATE INDEX ps_whatif_cli ON public.content_tags (tag_id, content_id)"),
                            QStringLiteral("--preset"), QStringLiteral("rare-tag"), QStringLiteral("--json"), json },
            &out, &err);
        QVERIFY2(rc == 0, qPrintable(out + err));
        QVERIFY2(out.contains(QLatin1String("predicted plan (estimated cost")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("ps_whatif_cli (hypothetical)")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("estimated size: ")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("verdict: The planner would use ps_whatif_cli")), qPrintable(out));
        for (const QString &line : out.split(QLatin1Char('\n')))
            QVERIFY2(line.size() <= 100, qPrintable(line));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray all = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("whatif")).toArray();
        QVERIFY(!all.isEmpty());
        QVERIFY(all.first().toObject().value(QStringLiteral("uses_hypothetical")).toBool());

        rc = runCli({ QStringLiteral("whatif"), QStringLiteral("--dsn"), dsn, QStringLiteral("--index"),
                        QStringLiteral("DROP TABLE content_tags") },
            &out, &err);
        QCOMPARE(rc, 2);
        QVERIFY2(err.contains(QLatin1String("not DROP TABLE")), qPrintable(err));

        rc = runCli({ QStringLiteral("whatif"), QStringLiteral("--dsn"), dsn }, &out, &err);
        QCOMPARE(rc, 2);

        rc = runCli({ QStringLiteral("whatif"), QStringLiteral("--dsn"), dsn, QStringLiteral("--strategy"),
                        QStringLiteral("p4-indexes"), QStringLiteral("--preset"), QStringLiteral("rare-tag") },
            &out, &err);
        QVERIFY2(rc == 0, qPrintable(out + err));
        QVERIFY2(out.contains(QLatin1String("ps_p4_indexes_auto")), qPrintable(out));
        QCOMPARE(hypotheticalIndexes(*m_s), 0);
    }
};

QTEST_GUILESS_MAIN(TestWhatIf)
#include "tst_whatif.moc"
