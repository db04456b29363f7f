// x-adaptive's choice (strategies/adaptivestrategy.h, docs/strategies.md "x-adaptive") as a pure function: tables of
// tag sizes, match modes, sorts and x-topn's presence against the form chosen and the words of the rule; and the
// junction probe's statement, without a server.

#include "strategies/adaptivestrategy.h"

#include <QTest>

using namespace plansight;

Q_DECLARE_METATYPE(plansight::AdaptiveForm)

namespace {

using B = TagSize::Basis;

TagSize exact(qint64 n)
{
    return TagSize { n, B::Exact };
}

// "e312" exact, "a2001" at least, "~50000" estimated, "?" unknown; comma-separated.
QList<TagSize> parse(const QString &spec)
{
    QList<TagSize> out;
    for (const QString &p : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (p == QLatin1String("?"))
            out << TagSize {};
        else if (p.startsWith(QLatin1Char('e')))
            out << exact(p.mid(1).toLongLong());
        else if (p.startsWith(QLatin1Char('a')))
            out << TagSize { p.mid(1).toLongLong(), B::AtLeast };
        else if (p.startsWith(QLatin1Char('~')))
            out << TagSize { p.mid(1).toLongLong(), B::Estimated };
    }
    return out;
}

const qint64 Rare = 2000; // the bound the table is written for (the default may move with new measurements)

} // namespace

class TestAdaptiveRule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void choosesByTheTagsSizes_data()
    {
        QTest::addColumn<QString>("tags");
        QTest::addColumn<bool>("all");
        QTest::addColumn<bool>("quality");
        QTest::addColumn<bool>("topn");
        QTest::addColumn<AdaptiveForm>("form");
        QTest::addColumn<qint64>("candidates");
        QTest::addColumn<int>("rarest");
        QTest::addColumn<QString>("rule");

        const auto P = AdaptiveForm::JunctionProbe;
        const auto T = AdaptiveForm::TopN;
        const auto Bq = AdaptiveForm::Baseline;
        QTest::newRow("no tag") << "" << false << false << true << Bq << qint64(-1) << -1
                                << "no tag filter: the baseline query";
        // Sorted by created_at with x-topn applied: x-topn, whatever the size.
        QTest::newRow("rare tag") << "e312" << false << false << true << T << qint64(312) << -1
                                  << "rare tag (312 items): x-topn";
        QTest::newRow("popular tag") << "a2001" << false << false << true << T << qint64(-1) << -1
                                     << "popular tag (more than 2,000 items): x-topn";
        QTest::newRow("all, a rare one among popular") << "a2001,e40,~90000" << true << false << true << T << qint64(40)
                                                       << 1 << "rare tags (all of 3, the rarest with 40 items): x-topn";
        // x-topn cannot answer (not applied, or a sort its index does not order): the size decides.
        QTest::newRow("rare tag, no x-topn") << "e312" << false << false << false << P << qint64(312) << -1
                                             << "rare tag (312 items), x-topn not applied: probe the junction";
        QTest::newRow("one item") << "e1" << false << false << false << P << qint64(1) << -1
                                  << "rare tag (1 item), x-topn not applied: probe the junction";
        QTest::newRow("no item") << "e0" << false << false << false << P << qint64(0) << -1
                                 << "rare tag (0 items), x-topn not applied: probe the junction";
        QTest::newRow("at the bound") << "e2000" << false << false << false << P << qint64(2000) << -1
                                      << "rare tag (2,000 items), x-topn not applied: probe the junction";
        QTest::newRow("one over the bound") << "e2001" << false << false << false << Bq << qint64(2001) << -1
                                            << "popular tag (2,001 items), x-topn not applied: the baseline query";
        QTest::newRow("bounded count stopped")
            << "a2001" << false << false << false << Bq << qint64(-1) << -1
            << "popular tag (more than 2,000 items), x-topn not applied: the baseline query";
        QTest::newRow("estimated")
            << "~50000" << false << false << false << Bq << qint64(-1) << -1
            << "popular tag (about 50,000 items (estimated)), x-topn not applied: the baseline query";
        QTest::newRow("unknown") << "?" << false << false << false << Bq << qint64(-1) << -1
                                 << "popular tag (size unknown), x-topn not applied: the baseline query";
        QTest::newRow("any, small together")
            << "e300,e500,e1000" << false << false << false << P << qint64(1800) << -1
            << "rare tags (3 tags, 1,800 items in all), x-topn not applied: probe the junction";
        QTest::newRow("any, small each, too many together")
            << "e900,e900,e900" << false << false << false << Bq << qint64(2700) << -1
            << "popular tags (3 tags, 2,700 items in all), x-topn not applied: the baseline query";
        QTest::newRow("any, one popular")
            << "e10,a2001" << false << false << false << Bq << qint64(-1) << -1
            << "popular tags (2 tags, one of more than 2,000 items), x-topn not applied: the baseline query";
        QTest::newRow("all, a rare one among popular, quality")
            << "a2001,e40,~90000" << true << true << true << P << qint64(40) << 1
            << "rare tags (all of 3, the rarest with 40 items), sorted by quality_score, which x-topn does not order: "
               "probe the junction";
        QTest::newRow("all, the smallest exact one is the rarest")
            << "e1500,e700,e1900" << true << false << false << P << qint64(700) << 1
            << "rare tags (all of 3, the rarest with 700 items), x-topn not applied: probe the junction";
        QTest::newRow("all, every one popular")
            << "a2001,a2001" << true << false << false << Bq << qint64(-1) << -1
            << "popular tags (all of 2, none known to be small: more than 2,000 items), x-topn not applied: the "
               "baseline query";
        QTest::newRow("all, the rarest over the bound")
            << "e5000,e3000" << true << false << false << Bq << qint64(3000) << 1
            << "popular tags (all of 2, the rarest with 3,000 items), x-topn not applied: the baseline query";
        QTest::newRow("all of one tag is any") << "e100" << true << false << false << P << qint64(100) << -1
                                               << "rare tag (100 items), x-topn not applied: probe the junction";
        QTest::newRow("rare, quality sort")
            << "e312" << false << true << true << P << qint64(312) << -1
            << "rare tag (312 items), sorted by quality_score, which x-topn does not order: probe the junction";
        QTest::newRow("popular, quality sort")
            << "a2001" << false << true << true << Bq << qint64(-1) << -1
            << "popular tag (more than 2,000 items), sorted by quality_score, which x-topn does not order: the "
               "baseline query";
    }
    void choosesByTheTagsSizes()
    {
        QFETCH(QString, tags);
        QFETCH(bool, all);
        QFETCH(bool, quality);
        QFETCH(bool, topn);
        QFETCH(AdaptiveForm, form);
        QFETCH(qint64, candidates);
        QFETCH(int, rarest);
        QFETCH(QString, rule);
        AdaptiveInputs in;
        in.tags = parse(tags);
        in.match = all ? TagMatch::All : TagMatch::Any;
        in.sort = quality ? SortField::QualityScore : SortField::CreatedAt;
        in.topnApplied = topn;
        const AdaptiveChoice c = chooseAdaptiveForm(in, Rare);
        QCOMPARE(c.rule, rule);
        QCOMPARE(toString(c.form), toString(form));
        QCOMPARE(c.candidates, candidates);
        QCOMPARE(c.rarest, rarest);
        // The rule names the form it chose.
        QVERIFY(c.rule.endsWith(toString(c.form)));
    }

    // All-match on several tags, sorted by created_at, x-topn applied: x-rum answers when it is applied and x-topn's
    // walk, estimated from its sample, would probe more than x-rum's index entries of the tags (their items added up)
    // divided by AdaptiveEntriesPerProbe; x-topn otherwise.
    void theWalkSampleChoosesRum_data()
    {
        QTest::addColumn<QString>("tags");
        QTest::addColumn<bool>("all");
        QTest::addColumn<bool>("rum");
        QTest::addColumn<qint64>("items");
        QTest::addColumn<qint64>("passed");
        QTest::addColumn<qint64>("readTo");
        QTest::addColumn<qint64>("pageRows");
        QTest::addColumn<AdaptiveForm>("form");
        QTest::addColumn<QString>("rule");
        const auto T = AdaptiveForm::TopN;
        const auto R = AdaptiveForm::Rum;
        // The longtail demo's 8 most popular tags: 1 of 200 passes, 25 rows: a walk of 5,000 items, 7 probes each,
        // 35,000 probes against 369,684 entries / 20 = 18,484: x-rum (measured 45 ms against x-topn's 132 ms).
        const QString eight = QStringLiteral("~34744,~37116,~39834,~42982,~46574,~50843,~55886,~61705");
        QTest::newRow("8 tags, long walk")
            << eight << true << true << qint64(200) << qint64(1) << qint64(37) << qint64(25) << R
            << "popular tags (all of 8, none known to be small: about 34,744 items (estimated)), x-topn's walk about "
               "35,000 probes (1 of the 200 newest items of t1 carries the others) against x-rum's 369,684 index "
               "entries: x-rum";
        // Its 5 most popular: 11 of 200: 455 items, 4 probes each: 1,820 against 12,900: x-topn (5.9 ms against 42 ms).
        const QString five = QStringLiteral("~42982,~46574,~50843,~55886,~61705");
        QTest::newRow("5 tags, short walk")
            << five << true << true << qint64(200) << qint64(11) << qint64(199) << qint64(25) << T
            << "popular tags (all of 5, none known to be small: about 42,982 items (estimated)), x-topn's walk about "
               "1,820 probes (11 of the 200 newest items of t1 carry the others) against x-rum's 257,990 index "
               "entries: x-topn";
        // The sample stopped at its 20th pass, at the 52nd item: 25 rows need 66 items, 1 probe each.
        QTest::newRow("stopped early")
            << "~55886,~61705" << true << true << qint64(200) << qint64(20) << qint64(52) << qint64(25) << T
            << "popular tags (all of 2, none known to be small: about 55,886 items (estimated)), x-topn's walk about "
               "65 probes (20 of the 52 newest items of t1 carry the others) against x-rum's 117,591 index entries: "
               "x-topn";
        // Page 40 by OFFSET: 1,000 rows to find, the same rate: 40 times the probes.
        QTest::newRow("deep page")
            << five << true << true << qint64(200) << qint64(11) << qint64(199) << qint64(1000) << R
            << "popular tags (all of 5, none known to be small: about 42,982 items (estimated)), x-topn's walk about "
               "72,728 probes (11 of the 200 newest items of t1 carry the others) against x-rum's 257,990 index "
               "entries: x-rum";
        // Nothing passes, and the walked tag is known: the walk reads all of it.
        QTest::newRow("none pass")
            << "e4000,~61705" << true << true << qint64(200) << qint64(0) << qint64(-1) << qint64(25) << R
            << "popular tags (all of 2, the rarest with 4,000 items), x-topn's walk about 4,000 probes (none of the "
               "200 newest items of t1 carry the others) against x-rum's 65,705 index entries: x-rum";
        // The whole walked tag read in the sample: at most its items.
        QTest::newRow("the whole tag read")
            << "e150,~61705" << true << true << qint64(150) << qint64(0) << qint64(-1) << qint64(25) << T
            << "rare tags (all of 2, the rarest with 150 items), x-topn's walk about 150 probes (none of the 150 "
               "newest items of t1 carry the others) against x-rum's 61,855 index entries: x-topn";
        QTest::newRow("an entry count unknown")
            << "?,~61705" << true << true << qint64(200) << qint64(1) << qint64(50) << qint64(25) << T
            << "popular tags (all of 2, none known to be small: size unknown), x-topn's walk about 5,000 probes (1 of "
               "the 200 newest items of t1 carries the others), x-rum's index entries unknown: x-topn";
        // A count that stopped at the bound is a lower bound: x-rum's entries are not known from it.
        QTest::newRow("a size only a lower bound")
            << "a2001,~61705" << true << true << qint64(200) << qint64(1) << qint64(50) << qint64(25) << T
            << "popular tags (all of 2, none known to be small: more than 2,000 items), x-topn's walk about 5,000 "
               "probes (1 of the 200 newest items of t1 carries the others), x-rum's index entries unknown: x-topn";
        QTest::newRow("x-rum not applied")
            << eight << true << false << qint64(-1) << qint64(-1) << qint64(-1) << qint64(25) << T
            << "popular tags (all of 8, none known to be small: about 34,744 items (estimated)): x-topn";
        QTest::newRow("not sampled") << eight << true << true << qint64(-1) << qint64(-1) << qint64(-1) << qint64(25)
                                     << T
                                     << "popular tags (all of 8, none known to be small: about 34,744 items "
                                        "(estimated)): x-topn";
        QTest::newRow("any-match never samples")
            << "~55886,~61705" << false << true << qint64(200) << qint64(0) << qint64(-1) << qint64(25) << T
            << "popular tags (2 tags, one of about 55,886 items (estimated)): x-topn";
    }
    void theWalkSampleChoosesRum()
    {
        QFETCH(QString, tags);
        QFETCH(bool, all);
        QFETCH(bool, rum);
        QFETCH(qint64, items);
        QFETCH(qint64, passed);
        QFETCH(qint64, readTo);
        QFETCH(qint64, pageRows);
        QFETCH(AdaptiveForm, form);
        QFETCH(QString, rule);
        AdaptiveInputs in;
        in.tags = parse(tags);
        in.match = all ? TagMatch::All : TagMatch::Any;
        in.topnApplied = true;
        in.rumApplied = rum;
        in.pageRows = pageRows;
        in.walk.tag = QStringLiteral("t1");
        in.walk.items = items;
        in.walk.passed = passed;
        in.walk.readTo = readTo;
        if (in.tags.first().basis == B::Exact || in.tags.first().basis == B::Estimated)
            in.walk.tagItems = in.tags.first().items; // the test's walked tag is the first
        QCOMPARE(in.walk.size, AdaptiveWalkSample);
        QCOMPARE(in.walk.enough, AdaptiveWalkPasses);
        const AdaptiveChoice c = chooseAdaptiveForm(in, Rare);
        QCOMPARE(c.rule, rule);
        QCOMPARE(toString(c.form), toString(form));
        // Sorted by quality_score neither x-topn nor x-rum orders the page: the sample does not enter.
        in.sort = SortField::QualityScore;
        QVERIFY(chooseAdaptiveForm(in, Rare).form != AdaptiveForm::Rum);
        // The cost ratio is the lever: 0 never chooses x-rum.
        in.sort = SortField::CreatedAt;
        QCOMPARE(toString(chooseAdaptiveForm(in, Rare, 0).form), toString(AdaptiveForm::TopN));
    }

    // The bound moves the crossover and nothing else.
    void theBoundIsTheCrossover()
    {
        AdaptiveInputs in;
        in.tags = { exact(500) };
        in.sort = SortField::QualityScore;
        in.topnApplied = true;
        QCOMPARE(toString(chooseAdaptiveForm(in, 499).form), toString(AdaptiveForm::Baseline));
        QCOMPARE(toString(chooseAdaptiveForm(in, 500).form), toString(AdaptiveForm::JunctionProbe));
        in.sort = SortField::CreatedAt; // x-topn answers on either side of it
        QCOMPARE(toString(chooseAdaptiveForm(in, 499).form), toString(AdaptiveForm::TopN));
        QCOMPARE(toString(chooseAdaptiveForm(in, 500).form), toString(AdaptiveForm::TopN));
        QVERIFY(AdaptiveRareItems > 0);
    }

    // The probe binds every value, reads only base tables, and starts an all-match from the tag it is given.
    void probeStatementBindsItsValues()
    {
        const QString a = QStringLiteral("0b8e3c9a-1f2d-4c5b-9a6e-7d8f9a0b1c2d");
        const QString b = QStringLiteral("1c9f4dab-2e3f-4d6c-8b7f-8e9fab1c2d3e");
        const QString c = QStringLiteral("2daf5ebc-3f40-4e7d-9c80-9fa0bc2d3e4f");
        Workload w;
        w.tagIds = { a, b, c };
        w.match = TagMatch::All;
        w.page = 3;
        const StrategyQuery q = junctionProbeQuery(w, 2);
        for (const QString &t : { a, b, c })
            QVERIFY(!q.sql.contains(t));
        QVERIFY(!q.sql.contains(w.userId));
        QVERIFY(!q.sql.contains(QLatin1String("ps_")));
        QVERIFY(q.sql.contains(QLatin1String("public.content_tags")));
        QVERIFY(q.params.contains(QVariant(c))); // the walk starts from tag 2
        QVERIFY(q.params.contains(QVariant(QStringList { a, b })));
        QVERIFY2(q.note.contains(c), qPrintable(q.note));
        QVERIFY(q.params.contains(QVariant(qint64(50)))); // the offset of page 3

        w.match = TagMatch::Any;
        const StrategyQuery any = junctionProbeQuery(w, -1);
        QVERIFY(any.sql.contains(QLatin1String("ANY(")));
        QVERIFY(!any.sql.contains(QLatin1String("cardinality")));
        QVERIFY(any.params.contains(QVariant(QStringList { a, b, c })));
    }
};

QTEST_GUILESS_MAIN(TestAdaptiveRule)
#include "tst_adaptiverule.moc"
