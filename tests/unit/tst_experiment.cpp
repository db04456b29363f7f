// The experiment manifest (docs/experiments.md): what a good one gives, and the one sentence a bad one gets, naming
// the file, the line, the key and what to do. Nothing here needs a server.

#include "experiment/experiment.h"
#include "experiment/experimentstrategy.h"
#include "session/workload.h"

#include <QJsonDocument>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace plansight;

namespace {

const char *GoodManifest = R"(title = "Orders of one customer"
description = "The slow page of the incident."
query = "query.sql"

[[parameter]]
name = "customer"
type = "bigint"

[[parameter]]
name = "since"
type = "timestamptz"

[[parameter]]
name = "tags"
type = "text[]"

[[workload]]
name = "big-customer"
values = [42, 2024-05-01T00:00:00Z, ["a", "b"]]

[[workload]]
name = "small"
description = "A customer with few orders."
values = [7, "2024-01-01T00:00:00+02:00", []]

[check]
order = "multiset"
key = ["id"]
row_cap = 500

[[variant]]
id = "covering-index"
title = "A covering index"
description = "An index with the columns the page reads."
setup = "covering/setup.sql"
teardown = "covering/teardown.sql"

[[variant]]
id = "more-memory"
title = "More work_mem"
query = "rewrite.sql"
[variant.settings]
work_mem = "64MB"
jit = false
random_page_cost = 1.1
)";

const char *Query = "SELECT id, total FROM orders -- not $9 in a comment\n"
                    "WHERE customer_id = $1 AND created_at >= $2 AND tags && $3::text[] AND note <> '$7'\n"
                    "ORDER BY id";

} // namespace

class TestExperiment : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    void write(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }
    // A fresh directory with the good experiment, the manifest replaced by `manifest` when given.
    void writeGood(const QByteArray &manifest = GoodManifest)
    {
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).removeRecursively();
        QDir().mkpath(m_dir.path());
        write(QStringLiteral("experiment.toml"), manifest);
        write(QStringLiteral("query.sql"), Query);
        write(QStringLiteral("rewrite.sql"),
            "SELECT id, total FROM orders WHERE customer_id = $1 AND created_at >= $2 "
            "AND tags && $3::text[]");
        write(
            QStringLiteral("covering/setup.sql"), "CREATE INDEX orders_cover ON orders (customer_id) INCLUDE (total);");
        write(QStringLiteral("covering/teardown.sql"), "DROP INDEX orders_cover;");
    }
    static QByteArray replaced(const char *from, const char *to)
    {
        QByteArray m(GoodManifest);
        const qsizetype at = m.indexOf(from);
        if (at < 0)
            qFatal("test manifest lacks %s", from);
        return m.replace(at, qsizetype(qstrlen(from)), to);
    }

private Q_SLOTS:
    void aGoodManifestGivesEverything()
    {
        writeGood();
        auto ex = loadExperiment(m_dir.path());
        QVERIFY2(ex.ok(), qPrintable(ex.ok() ? QString() : ex.error().message));
        QCOMPARE(ex->title, QStringLiteral("Orders of one customer"));
        QCOMPARE(ex->description, QStringLiteral("The slow page of the incident."));
        QCOMPARE(ex->querySql, QString::fromUtf8(Query));
        QCOMPARE(ex->parameters.size(), 3);
        QVERIFY(ex->parameters[0].type == ParamType::BigInt);
        QVERIFY(ex->parameters[2].type == ParamType::TextArray);
        QCOMPARE(ex->workloads.size(), 2);
        const ParameterSet &big = ex->workloads[0];
        QCOMPARE(big.name, QStringLiteral("big-customer"));
        QCOMPARE(big.values[0], QVariant(qlonglong(42)));
        QCOMPARE(QDateTime::fromString(big.values[1].toString(), Qt::ISODateWithMs).toUTC(),
            QDateTime(QDate(2024, 5, 1), QTime(0, 0), Qt::UTC));
        QCOMPARE(big.values[2].toStringList(), QStringList({ QStringLiteral("a"), QStringLiteral("b") }));
        QCOMPARE(ex->workloads[1].description, QStringLiteral("A customer with few orders."));
        QCOMPARE(ex->workloads[1].values[2].toStringList(), QStringList());
        QVERIFY(ex->check.order == ExperimentCheck::Order::Multiset);
        QCOMPARE(ex->check.keyColumns, QStringList { QStringLiteral("id") });
        QCOMPARE(ex->check.rowCap, 500);
        QCOMPARE(ex->variants.size(), 2);
        const ExperimentVariant &cover = ex->variants[0];
        QCOMPARE(cover.id, QStringLiteral("covering-index"));
        QVERIFY(cover.hasObjects());
        QVERIFY(cover.setupSql.contains(QStringLiteral("CREATE INDEX orders_cover")));
        QVERIFY(cover.teardownSql.contains(QStringLiteral("DROP INDEX")));
        QVERIFY(cover.querySql.isEmpty());
        const ExperimentVariant &memory = ex->variants[1];
        QVERIFY(!memory.hasObjects());
        QVERIFY(memory.querySql.startsWith(QStringLiteral("SELECT id, total")));
        QCOMPARE(memory.settings.size(), 3);
        // In the manifest's order (toml++ iterates a table sorted).
        QCOMPARE(memory.settings[0].name, QStringLiteral("work_mem"));
        QCOMPARE(memory.settings[1].name, QStringLiteral("jit"));
        QCOMPARE(memory.settings[2].name, QStringLiteral("random_page_cost"));
        QMap<QString, QString> settings;
        for (const SettingOverride &o : memory.settings)
            settings.insert(o.name, o.value);
        QCOMPARE(settings.value(QStringLiteral("work_mem")), QStringLiteral("64MB"));
        QCOMPARE(settings.value(QStringLiteral("jit")), QStringLiteral("off"));
        QCOMPARE(settings.value(QStringLiteral("random_page_cost")), QStringLiteral("1.1"));
        for (const SettingOverride &o : memory.settings)
            if (o.name == QLatin1String("work_mem"))
                QCOMPARE(o.line, 43);
        // The manifest itself may be given instead of its directory.
        QVERIFY(loadExperiment(m_dir.filePath(QStringLiteral("experiment.toml"))).ok());
    }

    void aBadManifestGetsOneSentenceNamingWhere_data()
    {
        QTest::addColumn<QByteArray>("manifest");
        QTest::addColumn<QStringList>("mentions");
        auto row = [](const char *name, const QByteArray &m, const QStringList &mentions) {
            QTest::newRow(name) << m << mentions;
        };
        row("toml syntax", replaced("order = \"multiset\"", "order = multiset"),
            { QStringLiteral("line 27"), QStringLiteral("TOML syntax") });
        row("unknown top key", replaced("title =", "titel = \"x\"\ntitle ="),
            { QStringLiteral("line 1"), QStringLiteral("\"titel\""), QStringLiteral("remove it") });
        row("unknown variant key", replaced("setup = \"covering", "setpu = \"x\"\nsetup = \"covering"),
            { QStringLiteral("line 35"), QStringLiteral("\"setpu\""), QStringLiteral("[[variant]] 1") });
        row("missing title", replaced("title = \"Orders of one customer\"\n", ""),
            { QStringLiteral("no \"title\""), QStringLiteral("add title") });
        row("missing query file", replaced("query = \"query.sql\"", "query = \"nope.sql\""),
            { QStringLiteral("line 3"), QStringLiteral("nope.sql"), QStringLiteral("does not exist") });
        row("missing setup file", replaced("covering/setup.sql", "covering/absent.sql"),
            { QStringLiteral("line 35"), QStringLiteral("\"setup\""), QStringLiteral("variant \"covering-index\""),
                QStringLiteral("absent.sql") });
        row("wrong value type", replaced("values = [42,", "values = [\"42\","),
            { QStringLiteral("line 19"), QStringLiteral("value 1 ($1, customer)"), QStringLiteral("an integer"),
                QStringLiteral("bigint"), QStringLiteral("not a string") });
        row("wrong array element", replaced("[\"a\", \"b\"]", "[\"a\", 2]"),
            { QStringLiteral("element 2"), QStringLiteral("a string") });
        row("too few values", replaced("values = [7, \"2024-01-01T00:00:00+02:00\", []]", "values = [7]"),
            { QStringLiteral("line 24"), QStringLiteral("gives 1 values"), QStringLiteral("3 parameters") });
        row("date without zone", replaced("2024-05-01T00:00:00Z", "2024-05-01T00:00:00"),
            { QStringLiteral("no time zone") });
        row("unknown type", replaced("type = \"bigint\"", "type = \"bignum\""),
            { QStringLiteral("line 7"), QStringLiteral("bignum"), QStringLiteral("int, bigint") });
        row("placeholder count", replaced("[[parameter]]\nname = \"tags\"\ntype = \"text[]\"\n", ""),
            { QStringLiteral("uses 3 placeholders"), QStringLiteral("declares 2") });
        row("unknown order", replaced("order = \"multiset\"", "order = \"sorted\""),
            { QStringLiteral("line 27"), QStringLiteral("\"ordered\""), QStringLiteral("\"multiset\"") });
        row("row cap", replaced("row_cap = 500", "row_cap = 0"), { QStringLiteral("row_cap") });
        row("built-in id", replaced("id = \"covering-index\"", "id = \"p4-indexes\""),
            { QStringLiteral("built-in strategy"), QStringLiteral("choose another id") });
        row("baseline id", replaced("id = \"covering-index\"", "id = \"baseline\""), { QStringLiteral("baseline") });
        row("bad id", replaced("id = \"covering-index\"", "id = \"Covering Index\""), { QStringLiteral("lower-case") });
        row("duplicate id", replaced("id = \"more-memory\"", "id = \"covering-index\""),
            { QStringLiteral("two variants") });
        row("setting name", replaced("work_mem = \"64MB\"", "\"work mem\" = \"64MB\""),
            { QStringLiteral("line 43"), QStringLiteral("not a setting name") });
        row("no variant", QByteArray(GoodManifest).left(QByteArray(GoodManifest).indexOf("[[variant]]")),
            { QStringLiteral("no [[variant]]") });
        row("settings not a table",
            replaced("[variant.settings]\nwork_mem = \"64MB\"\njit = false\nrandom_page_cost = 1.1\n",
                "settings = \"work_mem=64MB\"\n"),
            { QStringLiteral("[variant.settings]") });
    }
    void aBadManifestGetsOneSentenceNamingWhere()
    {
        QFETCH(QByteArray, manifest);
        QFETCH(QStringList, mentions);
        writeGood(manifest);
        auto ex = loadExperiment(m_dir.path());
        QVERIFY2(!ex.ok(), "a bad manifest was accepted");
        const QString message = ex.error().message;
        QVERIFY2(message.startsWith(m_dir.filePath(QStringLiteral("experiment.toml"))), qPrintable(message));
        for (const QString &m : mentions)
            QVERIFY2(message.contains(m), qPrintable(QStringLiteral("\"%1\" lacks \"%2\"").arg(message, m)));
        QVERIFY2(!message.contains(u'\n'), qPrintable(message));
    }

    void badSqlFilesAreNamed()
    {
        writeGood();
        write(QStringLiteral("rewrite.sql"), "SELECT 1 WHERE $1 = $1");
        auto ex = loadExperiment(m_dir.path());
        QVERIFY(!ex.ok());
        QVERIFY2(ex.error().message.contains(QStringLiteral("rewrite.sql")), qPrintable(ex.error().message));
        QVERIFY2(ex.error().message.contains(QStringLiteral("same parameters")), qPrintable(ex.error().message));

        writeGood();
        write(QStringLiteral("covering/setup.sql"), "CREATE INDEX i ON orders (id) WHERE id > $1;");
        ex = loadExperiment(m_dir.path());
        QVERIFY(!ex.ok());
        QVERIFY2(ex.error().message.contains(QStringLiteral("without parameters")), qPrintable(ex.error().message));

        writeGood();
        write(QStringLiteral("query.sql"), "SELECT $1, $3");
        ex = loadExperiment(m_dir.path());
        QVERIFY(!ex.ok());
        QVERIFY2(ex.error().message.contains(QStringLiteral("not $2")), qPrintable(ex.error().message));

        writeGood();
        write(QStringLiteral("query.sql"), "  \n");
        ex = loadExperiment(m_dir.path());
        QVERIFY(!ex.ok());
        QVERIFY2(ex.error().message.contains(QStringLiteral("empty")), qPrintable(ex.error().message));
    }

    void aMissingDirectoryOrManifestIsNamed()
    {
        auto ex = loadExperiment(m_dir.filePath(QStringLiteral("no-such-dir")));
        QVERIFY(!ex.ok());
        QVERIFY(ex.error().message.contains(QStringLiteral("does not exist")));
        QTemporaryDir empty;
        ex = loadExperiment(empty.path());
        QVERIFY(!ex.ok());
        QVERIFY(ex.error().message.contains(QStringLiteral("has no experiment.toml")));
    }

    void placeholdersAreCountedOutsideQuotesAndComments_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<int>("count");
        QTest::newRow("none") << QStringLiteral("SELECT 1") << 0;
        QTest::newRow("two") << QStringLiteral("SELECT $2, $1") << 2;
        QTest::newRow("repeated") << QStringLiteral("SELECT $1 WHERE $1 > 0") << 1;
        QTest::newRow("in a string") << QStringLiteral("SELECT $1, '$2'") << 1;
        QTest::newRow("in an escaped string") << QStringLiteral("SELECT $1, E'\\'$2'") << 1;
        QTest::newRow("in a comment") << QStringLiteral("SELECT $1 -- $2\n/* $3 /* $4 */ */") << 1;
        QTest::newRow("in a dollar quote") << QStringLiteral("SELECT $1, $f$ $2 $f$, $$ $3 $$") << 1;
        QTest::newRow("quoted identifier") << QStringLiteral("SELECT \"$2\" FROM t WHERE a = $1") << 1;
        QTest::newRow("in an identifier") << QStringLiteral("SELECT a$2 FROM t WHERE a = $1") << 1;
    }
    void placeholdersAreCountedOutsideQuotesAndComments()
    {
        QFETCH(QString, sql);
        QFETCH(int, count);
        auto n = placeholderCount(sql);
        QVERIFY(n.ok());
        QCOMPARE(n.value(), count);
    }

    // The result check's keys (docs/experiments.md, "The result check").
    void pageKeysFollowTheCheckRules()
    {
        ResultRows a;
        a.columns = QStringList { QStringLiteral("id"), QStringLiteral("total") };
        a.rows = { { QStringLiteral("2"), QStringLiteral("5.00") }, { QStringLiteral("1"), std::nullopt } };
        ResultRows b = a;
        std::swap(b.rows[0], b.rows[1]);
        ExperimentCheck ordered;
        auto ka = experimentPageKeys(a, ordered);
        auto kb = experimentPageKeys(b, ordered);
        QVERIFY(ka.ok() && kb.ok());
        QCOMPARE(ka->size(), 2);
        QVERIFY(ka.value() != kb.value()); // the order counts
        QVERIFY(ka->at(1).contains(QStringLiteral("\\N"))); // NULL is not the text "" ...
        ResultRows c = a;
        c.rows[1][1] = QString();
        QVERIFY(experimentPageKeys(c, ordered).value() != ka.value()); // ... nor the empty string
        ExperimentCheck multiset;
        multiset.order = ExperimentCheck::Order::Multiset;
        QCOMPARE(experimentPageKeys(a, multiset).value(), experimentPageKeys(b, multiset).value());
        // A key subset: rows that differ outside the key are the same.
        ExperimentCheck byId;
        byId.keyColumns = QStringList { QStringLiteral("id") };
        ResultRows d = a;
        d.rows[0][1] = QStringLiteral("6.00");
        QCOMPARE(experimentPageKeys(a, byId).value(), experimentPageKeys(d, byId).value());
        QVERIFY(experimentPageKeys(a, ordered).value() != experimentPageKeys(d, ordered).value());
        ExperimentCheck missing;
        missing.keyColumns = QStringList { QStringLiteral("source") };
        auto bad = experimentPageKeys(a, missing);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.contains(QStringLiteral("\"source\"")));
        // Beyond the row cap: one hash, equal for equal rows, different otherwise.
        ExperimentCheck capped;
        capped.rowCap = 1;
        auto ha = experimentPageKeys(a, capped);
        QCOMPARE(ha->size(), 1);
        QVERIFY(ha->first().startsWith(QStringLiteral("2 rows, sha256 ")));
        QCOMPARE(experimentPageKeys(a, capped).value(), ha.value());
        QVERIFY(experimentPageKeys(d, capped).value() != ha.value());
        // A tab inside a value does not make two columns look like one.
        ResultRows t1, t2;
        t1.columns = t2.columns = QStringList { QStringLiteral("x"), QStringLiteral("y") };
        t1.rows = { { QStringLiteral("a\tb"), QStringLiteral("c") } };
        t2.rows = { { QStringLiteral("a"), QStringLiteral("b\tc") } };
        QVERIFY(experimentPageKeys(t1, ordered).value() != experimentPageKeys(t2, ordered).value());
    }

    void setupRunsInATransactionWherePostgresAllowsIt()
    {
        const DdlPlan plan = scriptPlan(QStringLiteral("BEGIN;\nCREATE TABLE t (a int);\nCREATE INDEX i ON t (a);\n"
                                                       "CREATE INDEX CONCURRENTLY j ON t (a);\nANALYZE t;\nCOMMIT;\n"),
            QStringLiteral("v: setup.sql"), 5000);
        QCOMPARE(plan.steps.size(), 3);
        QVERIFY(plan.steps[0].inTransaction);
        QCOMPARE(plan.steps[0].statements.size(), 2); // BEGIN left out: the plan's own transaction replaces it
        QVERIFY(!plan.steps[1].inTransaction);
        QVERIFY(plan.steps[1].statements.first().contains(QStringLiteral("CONCURRENTLY")));
        QVERIFY(plan.steps[1].label.contains(QStringLiteral("cannot run inside a transaction")));
        QVERIFY(plan.steps[2].inTransaction);
        QCOMPARE(plan.steps[2].statements, QStringList { QStringLiteral("ANALYZE t") });
        QVERIFY(runsOutsideTransaction(QStringLiteral("vacuum analyze t")));
        QVERIFY(!runsOutsideTransaction(QStringLiteral("CREATE INDEX i ON t (a)")));
    }

    void variantsBecomeStrategiesAndSetsBecomeWorkloads()
    {
        writeGood();
        auto loaded = loadExperiment(m_dir.path());
        QVERIFY(loaded.ok());
        auto ex = std::make_shared<const Experiment>(loaded.value());
        const auto strategies = experimentStrategies(ex);
        QCOMPARE(strategies.size(), 3);
        QCOMPARE(strategies[0]->id(), QStringLiteral("baseline"));
        QVERIFY(!strategies[0]->info().needsObjects);
        QCOMPARE(strategies[1]->id(), QStringLiteral("covering-index"));
        QVERIFY(strategies[1]->info().needsObjects);
        QVERIFY(strategies[1]->info().revertAfterRuns);
        QCOMPARE(strategies[1]->plannedObjects(),
            QStringList { QStringLiteral("CREATE INDEX orders_cover ON orders (customer_id) INCLUDE (total)") });
        QVERIFY(!strategies[2]->info().needsObjects);
        QVERIFY(strategies[2]->info().operations.contains(QStringLiteral("work_mem=64MB")));
        const QList<Workload> workloads = experimentWorkloads(*ex);
        QCOMPARE(workloads.size(), 2);
        const Workload &w = workloads[0];
        QVERIFY(w.validate().ok());
        QCOMPARE(w.label(), QStringLiteral("big-customer"));
        QVERIFY(w.describe().contains(QStringLiteral("$1 = 42")));
        QVERIFY(w.key() != workloads[1].key());
        // The history keeps workloads as JSON: the set comes back with the same key and bindable values.
        auto back = Workload::fromJson(QJsonDocument::fromJson(QJsonDocument(w.toJson()).toJson()).object());
        QVERIFY(back.ok());
        QVERIFY(back->experiment.has_value());
        QCOMPARE(back->key(), w.key());
        QCOMPARE(back->experiment->values[0], QVariant(qlonglong(42)));
        QCOMPARE(back->experiment->values[2].toStringList(), QStringList({ QStringLiteral("a"), QStringLiteral("b") }));
    }

    // The writer: an experiment read from files and written elsewhere reads back as the same experiment, its
    // manifest laid out as docs/experiments.md shows it, the query file's comments kept.
    void aSavedExperimentReadsBackTheSame_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("good manifest") << QString();
        QTest::newRow("examples/gallery")
            << QDir(QStringLiteral(PLANSIGHT_TEST_DATA)).absoluteFilePath(QStringLiteral("../../examples/gallery"));
        QTest::newRow("examples/tag-counts")
            << QDir(QStringLiteral(PLANSIGHT_TEST_DATA)).absoluteFilePath(QStringLiteral("../../examples/tag-counts"));
    }
    void aSavedExperimentReadsBackTheSame()
    {
        QFETCH(QString, source);
        if (source.isEmpty()) {
            writeGood();
            source = m_dir.path();
        }
        auto original = loadExperiment(source);
        QVERIFY2(original.ok(), qPrintable(original.ok() ? QString() : original.error().message));
        QTemporaryDir out;
        auto saved = saveExperiment(original.value(), out.path());
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message));
        QCOMPARE(experimentDifference(original.value(), saved.value()), QString());
        auto again = loadExperiment(out.path());
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message));
        QCOMPARE(experimentDifference(original.value(), again.value()), QString());
        QCOMPARE(again->queryFileText, original->queryFileText);
        // Saving what was read back writes the same manifest: the layout is stable.
        QCOMPARE(manifestText(again.value()), manifestText(original.value()));
        const QString manifest = manifestText(again.value());
        QVERIFY(manifest.startsWith(QStringLiteral("title = ")));
        QVERIFY(manifest.indexOf(QStringLiteral("[[parameter]]")) < manifest.indexOf(QStringLiteral("[[variant]]")));
    }

    void theWriterNamesFilesAndQuotesWhatTomlNeeds()
    {
        Experiment ex;
        ex.title = QStringLiteral("Quotes \"and\" a line\nbreak, \u00e9t\u00e9");
        ex.querySql = QStringLiteral("SELECT $1::int + $2, $3");
        ex.parameters = { { QStringLiteral("a"), ParamType::Int }, { QStringLiteral("b"), ParamType::Numeric },
            { QStringLiteral("c"), ParamType::TextArray } };
        ParameterSet set;
        set.name = QStringLiteral("w");
        set.values = { qlonglong(-3), QStringLiteral("12.50"), QStringList { QStringLiteral("x\""), QString() } };
        ex.workloads = { set };
        ExperimentVariant v;
        v.id = QStringLiteral("idx");
        v.title = QStringLiteral("An index");
        v.setupSql = QStringLiteral("CREATE INDEX i ON t (a);");
        v.teardownSql = QStringLiteral("DROP INDEX i;");
        v.settings = { { QStringLiteral("auto_explain.log_min_duration"), QStringLiteral("0"), 0 },
            { QStringLiteral("jit"), QStringLiteral("off"), 0 } };
        ex.variants = { v };
        QTemporaryDir out;
        auto saved = saveExperiment(ex, out.path());
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message));
        QCOMPARE(saved->queryFile, QStringLiteral("query.sql"));
        QCOMPARE(saved->variants[0].setupFile, QStringLiteral("idx/setup.sql"));
        QCOMPARE(saved->variants[0].teardownFile, QStringLiteral("idx/teardown.sql"));
        QVERIFY(QFileInfo::exists(out.filePath(QStringLiteral("idx/setup.sql"))));
        Experiment named = ex;
        named.queryFile = saved->queryFile;
        named.variants[0].setupFile = saved->variants[0].setupFile;
        named.variants[0].teardownFile = saved->variants[0].teardownFile;
        QCOMPARE(experimentDifference(named, saved.value()), QString());
        QVERIFY(manifestText(saved.value()).contains(QStringLiteral("\"auto_explain.log_min_duration\" = \"0\"")));

        // Refused before anything is written: a file outside the directory, one name with two texts.
        QTemporaryDir refused;
        Experiment outside = ex;
        outside.variants[0].setupFile = QStringLiteral("../escape.sql");
        auto r = saveExperiment(outside, refused.path());
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("../escape.sql")));
        Experiment twice = ex;
        twice.variants[0].setupFile = QStringLiteral("query.sql");
        r = saveExperiment(twice, refused.path());
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("different text")));
        QVERIFY(QDir(refused.path()).isEmpty());
    }

    // A value still to be filled in: the editor reads it as empty, run refuses it naming the file and line.
    void anUnfilledValueIsRefusedForARunOnly()
    {
        writeGood(replaced("values = [42,", "values = [{ fill = \"bigint\" },"));
        auto run = loadExperiment(m_dir.path());
        QVERIFY(!run.ok());
        QVERIFY2(run.error().message.contains(QStringLiteral("line 19")), qPrintable(run.error().message));
        QVERIFY(run.error().message.contains(QStringLiteral("experiment.toml")));
        QVERIFY(run.error().message.contains(QStringLiteral("still to be filled in")));
        QVERIFY(run.error().message.contains(QStringLiteral("an integer")));
        auto edit = loadExperiment(m_dir.path(), LoadMode::Edit);
        QVERIFY2(edit.ok(), qPrintable(edit.ok() ? QString() : edit.error().message));
        QVERIFY(!edit->workloads[0].values[0].isValid());
        QVERIFY(!isFilledIn(edit.value()));
        QTemporaryDir out;
        auto saved = saveExperiment(edit.value(), out.path());
        QVERIFY(saved.ok());
        QVERIFY(manifestText(saved.value()).contains(QStringLiteral("{ fill = \"bigint\" }")));
        QCOMPARE(experimentDifference(edit.value(), saved.value()), QString());
        // Without a variant: editable, not runnable.
        writeGood(QByteArray(GoodManifest).left(QByteArray(GoodManifest).indexOf("[[variant]]")));
        QVERIFY(loadExperiment(m_dir.path(), LoadMode::Edit).ok());
        QVERIFY(!loadExperiment(m_dir.path()).ok());
    }

    void parameterTypesRoundTrip()
    {
        for (ParamType t : { ParamType::Int, ParamType::BigInt, ParamType::Text, ParamType::Bool, ParamType::Numeric,
                 ParamType::Timestamptz, ParamType::IntArray, ParamType::TextArray })
            QVERIFY(paramTypeFromString(toString(t)).value() == t);
        QVERIFY(!paramTypeFromString(QStringLiteral("uuid")).ok());
    }
};

QTEST_GUILESS_MAIN(TestExperiment)
#include "tst_experiment.moc"
