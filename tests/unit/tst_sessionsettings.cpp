// Setting overrides and settings variants without a server (docs/settings.md): what bench --settings and the window's
// editor accept and refuse, the variant ids, and where a variant goes in the run order.

#include "bench/service.h"
#include "bench/strategyprep.h"
#include "pg/sessionsettings.h"
#include "strategies/settingsvariantstrategy.h"

#include <QTest>

using namespace plansight;

class TestSessionSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void overridesAreParsed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("one") << QStringLiteral("jit=off") << QStringList { QStringLiteral("jit=off") };
        QTest::newRow("two, with spaces and a trailing ';'")
            << QStringLiteral(" jit = off ;work_mem=64MB; ")
            << QStringList { QStringLiteral("jit=off"), QStringLiteral("work_mem=64MB") };
        QTest::newRow("names are lower-cased, values kept")
            << QStringLiteral("Random_Page_Cost=1.1;Enable_SeqScan=OFF")
            << QStringList { QStringLiteral("random_page_cost=1.1"), QStringLiteral("enable_seqscan=OFF") };
        QTest::newRow("preset jit off") << QStringLiteral("jit off") << QStringList { QStringLiteral("jit=off") };
        QTest::newRow("preset, any case, '-' for the space")
            << QStringLiteral("No-Parallel") << QStringList { QStringLiteral("max_parallel_workers_per_gather=0") };
        QTest::newRow("parallelism") << QStringLiteral("max_parallel_workers_per_gather=4")
                                     << QStringList { QStringLiteral("max_parallel_workers_per_gather=4") };
    }
    void overridesAreParsed()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, words);
        auto parsed = parseSettingOverrides(text);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(settingWords(parsed.value()), words);
        // What formatSettingOverrides() writes reads back the same.
        auto again = parseSettingOverrides(formatSettingOverrides(parsed.value()));
        QVERIFY(again.ok());
        QCOMPARE(settingWords(again.value()), words);
    }

    void badOverridesAreRefusedWithASentence_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("nothing") << QStringLiteral(" ; ") << QStringLiteral("No setting override given");
        QTest::newRow("no '='") << QStringLiteral("jit") << QStringLiteral("write name=value");
        QTest::newRow("not a name") << QStringLiteral("work-mem=64MB") << QStringLiteral("is not a setting name");
        QTest::newRow("SQL in the name") << QStringLiteral("drop table x=1;jit=off")
                                         << QStringLiteral("\"drop table x\" is not a setting name");
        QTest::newRow("does not change plans")
            << QStringLiteral("port=5433") << QStringLiteral("port does not change plans or speed");
        QTest::newRow("a timeout PlanSight keeps")
            << QStringLiteral("statement_timeout=0") << QStringLiteral("statement_timeout does not change plans");
        QTest::newRow("no value") << QStringLiteral("jit=") << QStringLiteral("jit has no value");
        QTest::newRow("a bracket in the value")
            << QStringLiteral("work_mem=64MB]") << QStringLiteral("is not a setting value");
        QTest::newRow("twice") << QStringLiteral("jit=off;JIT=on") << QStringLiteral("jit is set twice");
    }
    void badOverridesAreRefusedWithASentence()
    {
        QFETCH(QString, text);
        QFETCH(QString, says);
        auto parsed = parseSettingOverrides(text);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, errc::Input);
        QVERIFY2(parsed.error().message.contains(says), qPrintable(parsed.error().message));
    }

    void theListOfSettingsThatMatter()
    {
        for (const char *name : { "jit", "jit_above_cost", "work_mem", "hash_mem_multiplier", "random_page_cost",
                 "cpu_tuple_cost", "enable_seqscan", "enable_memoize", "max_parallel_workers_per_gather",
                 "parallel_setup_cost", "effective_cache_size", "join_collapse_limit", "plan_cache_mode" })
            QVERIFY2(settingChangesPlansOrSpeed(QLatin1String(name)), name);
        for (const char *name : { "DateStyle", "port", "lc_messages", "statement_timeout", "search_path", "role" })
            QVERIFY2(!settingChangesPlansOrSpeed(QLatin1String(name)), name);
    }

    void aVariantIsTheInnerStrategyUnderItsSettings()
    {
        auto v = strategyFromId(QStringLiteral("p4-indexes [Random_Page_Cost=1.1; work_mem=64MB]"));
        QVERIFY2(v.ok(), qPrintable(v.ok() ? QString() : v.error().message));
        QCOMPARE(v.value()->id(), QStringLiteral("p4-indexes [random_page_cost=1.1; work_mem=64MB]"));
        const auto inner = strategyById(QStringLiteral("p4-indexes"));
        QVERIFY(objectOwner(v.value()) == inner);
        QVERIFY(objectOwner(inner) == inner);
        const StrategyInfo info = v->get()->info();
        QCOMPARE(info.needsObjects, inner->info().needsObjects);
        QCOMPARE(info.proposal, inner->info().proposal);
        QCOMPARE(v.value()->indexNames(), inner->indexNames());
        QCOMPARE(settingWords(v.value()->settingOverrides()),
            QStringList({ QStringLiteral("random_page_cost=1.1"), QStringLiteral("work_mem=64MB") }));
        QVERIFY(inner->settingOverrides().isEmpty());
        // The id reads back as the same variant, through the catalog's lookup too.
        QCOMPARE(strategyById(v.value()->id())->id(), v.value()->id());
        // A preset in the brackets.
        auto preset = strategyFromId(QStringLiteral("baseline [jit off]"));
        QVERIFY(preset.ok());
        QCOMPARE(preset.value()->id(), QStringLiteral("baseline [jit=off]"));
        QVERIFY(isSettingsVariantId(QStringLiteral("baseline [jit=off]")));
        QVERIFY(!isSettingsVariantId(QStringLiteral("baseline")));
    }

    void badVariantIdsAreRefused_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown strategy")
            << QStringLiteral("p99-magic [jit=off]") << QStringLiteral("Unknown strategy 'p99-magic'");
        QTest::newRow("bad name") << QStringLiteral("baseline [port=1]")
                                  << QStringLiteral("In the strategy 'baseline [port=1]': port does not change");
        QTest::newRow("empty brackets") << QStringLiteral("baseline []") << QStringLiteral("No setting override");
        QTest::newRow("two pairs of brackets")
            << QStringLiteral("baseline [jit=off] [work_mem=1MB]") << QStringLiteral("is not a setting value");
        QTest::newRow("a variant of a variant")
            << QStringLiteral("baseline [jit=off]]") << QStringLiteral("is not a setting value");
    }
    void badVariantIdsAreRefused()
    {
        QFETCH(QString, id);
        QFETCH(QString, says);
        auto v = strategiesFromIds({ id });
        QVERIFY(!v.ok());
        QVERIFY2(v.error().message.contains(says), qPrintable(v.error().message));
        QVERIFY(!strategyById(id));
    }

    // bench --settings: each list of overrides adds one variant of each strategy asked for.
    void settingsAddOneVariantPerStrategy()
    {
        auto strategies = strategiesFromIds({ QStringLiteral("baseline"), QStringLiteral("x-topn") });
        QVERIFY(strategies.ok());
        auto jit = parseSettingOverrides(QStringLiteral("jit off"));
        auto mem = parseSettingOverrides(QStringLiteral("work_mem=64MB;max_parallel_workers_per_gather=0"));
        QVERIFY(jit.ok() && mem.ok());
        auto all = withSettingsVariants(strategies.value(), { jit.value(), mem.value() });
        QVERIFY(all.ok());
        QStringList ids;
        for (const auto &s : all.value())
            ids << s->id();
        QCOMPARE(ids,
            QStringList({ QStringLiteral("baseline"), QStringLiteral("x-topn"), QStringLiteral("baseline [jit=off]"),
                QStringLiteral("x-topn [jit=off]"),
                QStringLiteral("baseline [work_mem=64MB; max_parallel_workers_per_gather=0]"),
                QStringLiteral("x-topn [work_mem=64MB; max_parallel_workers_per_gather=0]") }));
        // A variant asked for by its id is measured as asked, not wrapped again.
        auto asked = strategiesFromIds({ QStringLiteral("baseline [jit=off]") });
        QVERIFY(asked.ok());
        auto again = withSettingsVariants(asked.value(), { mem.value() });
        QVERIFY(again.ok());
        QCOMPARE(again->size(), 1);
    }

    // A variant is measured in the turn of the strategy whose objects it uses: right after it, or where it would
    // come when it is not asked for itself; the baseline stays first.
    void variantsFollowTheirStrategyInTheRunOrder()
    {
        BenchOptions o;
        for (const char *id : { "x-topn [jit=off]", "p4-indexes", "baseline [jit=off]", "x-topn",
                 "p4-indexes [random_page_cost=1.1]", "p5-prejoin [jit=off]" }) {
            auto s = strategyFromId(QLatin1String(id));
            QVERIFY2(s.ok(), id);
            o.strategies << s.value();
        }
        auto ordered = orderStrategies(o);
        QVERIFY(ordered.ok());
        QStringList ids;
        for (const auto &s : ordered.value())
            ids << s->id();
        QCOMPARE(ids,
            QStringList({ QStringLiteral("baseline"), QStringLiteral("baseline [jit=off]"),
                QStringLiteral("p5-prejoin [jit=off]"), QStringLiteral("x-topn"), QStringLiteral("x-topn [jit=off]"),
                QStringLiteral("p4-indexes"), QStringLiteral("p4-indexes [random_page_cost=1.1]") }));
        // Without the result check, a strategy asked for only through its variant is not measured itself.
        o.checkResults = false;
        auto unchecked = orderStrategies(o);
        QVERIFY(unchecked.ok());
        QStringList uncheckedIds;
        for (const auto &s : unchecked.value())
            uncheckedIds << s->id();
        QVERIFY2(!uncheckedIds.contains(QStringLiteral("baseline")), qPrintable(uncheckedIds.join(QLatin1Char(','))));
        QVERIFY(uncheckedIds.contains(QStringLiteral("baseline [jit=off]")));
        QCOMPARE(uncheckedIds.indexOf(QStringLiteral("x-topn [jit=off]")),
            uncheckedIds.indexOf(QStringLiteral("x-topn")) + 1);
    }
};

QTEST_GUILESS_MAIN(TestSessionSettings)
#include "tst_sessionsettings.moc"
