// Benchmark: parse + derive metrics for a generated 10,000-node plan (target under 50 ms, docs/architecture.md
// "Performance targets") in JSON and text, a 50 MB JSON plan, and a diff of two 10,000-node plans. Prints one line per
// figure; the figures go to BENCHMARKS.md ("Plan engine"). Not a pass/fail test.
//
// Usage: bench_plan [runs]   (default 15; the median and the best are printed)
// With PLANSIGHT_BENCH_SAVE=DIR it also writes the generated 10,000-node plan to DIR/plan-10k.json and .txt
// (tests/bench/bench_plan_pev2.sh times PEV2 on those files).
//
// bench_plan --once json|text|write: one parse of the JSON plan, of the text plan, or one `explain --json` text of
// the parsed plan, inside profiledOperation(), for callgrind (instruction counts are repeatable on a busy machine):
//   valgrind --tool=callgrind --toggle-collect='*profiledOperation*' build/dev/tests/bench/bench_plan --once text

#include "plan/plandiff.h"
#include "plan/planformat.h"
#include "plan/planmetrics.h"
#include "plan/planparser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <vector>

using namespace plansight;

namespace {

// A realistic EXPLAIN (ANALYZE, BUFFERS, VERBOSE) node: every field a scan or join carries.
QJsonObject makeNode(int id, std::mt19937 &rng, int outputColumns)
{
    static const char *const types[] = { "Seq Scan", "Index Scan", "Nested Loop", "Hash Join", "Sort", "Aggregate" };
    std::uniform_real_distribution<double> t(0.001, 5.0);
    const char *type = types[id % 6];
    QJsonObject o;
    o.insert(QStringLiteral("Node Type"), QLatin1String(type));
    o.insert(QStringLiteral("Parent Relationship"), id % 2 ? QStringLiteral("Inner") : QStringLiteral("Outer"));
    o.insert(QStringLiteral("Parallel Aware"), false);
    o.insert(QStringLiteral("Async Capable"), false);
    if (id % 6 <= 1) {
        o.insert(QStringLiteral("Relation Name"), QStringLiteral("table_%1").arg(id % 97));
        o.insert(QStringLiteral("Schema"), QStringLiteral("public"));
        o.insert(QStringLiteral("Alias"), QStringLiteral("t%1").arg(id));
    }
    if (id % 6 == 1) {
        o.insert(QStringLiteral("Scan Direction"), QStringLiteral("Forward"));
        o.insert(QStringLiteral("Index Name"), QStringLiteral("table_%1_pkey").arg(id % 97));
        o.insert(QStringLiteral("Index Cond"), QStringLiteral("(t%1.id = t%2.ref_id)").arg(id).arg(id - 1));
    }
    if (id % 6 == 3)
        o.insert(QStringLiteral("Hash Cond"), QStringLiteral("(t%1.a = t%2.b)").arg(id).arg(id + 1));
    if (id % 6 == 0) {
        o.insert(QStringLiteral("Filter"),
            QStringLiteral("((t%1.created_at > '2025-05-01 00:00:00'::timestamp) AND (t%1.flag IS NOT TRUE))").arg(id));
        o.insert(QStringLiteral("Rows Removed by Filter"), double(rng() % 10000));
    }
    if (id % 6 == 4) {
        o.insert(QStringLiteral("Sort Key"),
            QJsonArray { QStringLiteral("t.created_at DESC"), QStringLiteral("t.id DESC") });
        o.insert(QStringLiteral("Sort Method"), QStringLiteral("quicksort"));
        o.insert(QStringLiteral("Sort Space Used"), 25);
        o.insert(QStringLiteral("Sort Space Type"), QStringLiteral("Memory"));
    }
    o.insert(QStringLiteral("Startup Cost"), 0.29);
    o.insert(QStringLiteral("Total Cost"), 1234.56);
    o.insert(QStringLiteral("Plan Rows"), double(1 + rng() % 100000));
    o.insert(QStringLiteral("Plan Width"), 48);
    const double a = t(rng);
    o.insert(QStringLiteral("Actual Startup Time"), a / 2);
    o.insert(QStringLiteral("Actual Total Time"), a);
    o.insert(QStringLiteral("Actual Rows"), double(rng() % 100000));
    o.insert(QStringLiteral("Actual Loops"), 1);
    QJsonArray output;
    for (int c = 0; c < outputColumns; ++c)
        output.append(QStringLiteral("t%1.column_number_%2").arg(id).arg(c));
    o.insert(QStringLiteral("Output"), output);
    for (const char *k : { "Shared Hit Blocks", "Shared Read Blocks", "Shared Dirtied Blocks", "Shared Written Blocks",
             "Local Hit Blocks", "Local Read Blocks", "Local Dirtied Blocks", "Local Written Blocks",
             "Temp Read Blocks", "Temp Written Blocks" })
        o.insert(QLatin1String(k), double(rng() % 1000));
    o.insert(QStringLiteral("I/O Read Time"), 0.5);
    o.insert(QStringLiteral("I/O Write Time"), 0.0);
    return o;
}

// PostgreSQL indents EXPLAIN JSON by two spaces a level; Qt's writer by four.
QByteArray halveIndentation(const QByteArray &qtIndented)
{
    QByteArray out;
    out.reserve(qtIndented.size() * 3 / 4);
    for (const QByteArray &line : qtIndented.split('\n')) {
        qsizetype spaces = 0;
        while (spaces < line.size() && line.at(spaces) == ' ')
            ++spaces;
        out += QByteArray(spaces / 2, ' ') + line.mid(spaces) + '\n';
    }
    return out;
}

// A bushy plan of `count` nodes (fan-out 1-3, depth bounded well below the parser's limit), as PostgreSQL's JSON
// (`pgIndent`: two spaces a level, as PostgreSQL writes it; else Qt's four).
QByteArray generatePlan(int count, int outputColumns, unsigned seed, bool pgIndent = true)
{
    std::mt19937 rng(seed);
    std::vector<QJsonObject> nodes;
    nodes.reserve(size_t(count));
    for (int i = 0; i < count; ++i)
        nodes.push_back(makeNode(i, rng, outputColumns));
    // Heap-like shape: node i's children are 3i+1..3i+3 (depth about log3(count)); build bottom-up.
    for (int i = count - 1; i >= 0; --i) {
        QJsonArray children;
        for (int c = 3 * i + 1; c <= 3 * i + 3 && c < count; ++c)
            children.append(nodes[size_t(c)]);
        if (!children.isEmpty())
            nodes[size_t(i)].insert(QStringLiteral("Plans"), children);
        for (int c = 3 * i + 1; c <= 3 * i + 3 && c < count; ++c)
            nodes[size_t(c)] = QJsonObject(); // free memory as we go
    }
    QJsonObject top;
    top.insert(QStringLiteral("Plan"), nodes.front());
    top.insert(QStringLiteral("Planning Time"), 1.5);
    top.insert(QStringLiteral("Execution Time"), 1000.0);
    const QByteArray qt = QJsonDocument(QJsonArray { top }).toJson(QJsonDocument::Indented);
    return pgIndent ? halveIndentation(qt) : qt;
}

struct Timing {
    double median = 0, best = 0;
};

Timing measure(int runs, const std::function<void()> &fn)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        fn();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return { ms[ms.size() / 2], ms.front() };
}

// Parsing (with the derived metrics) is timed; freeing the plan afterwards is timed apart, in `freeing`.
struct ParseTiming {
    Timing parse, freeing;
    int nodes = 0;
};
ParseTiming measureParse(int runs, const QByteArray &input)
{
    ParseTiming out;
    std::vector<double> parse, freeing;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        auto p = std::make_unique<Result<Plan>>(parsePlan(input));
        parse.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!p->ok())
            qFatal("%s", qPrintable(p->error().message));
        out.nodes = (*p)->size();
        t.restart();
        p.reset();
        freeing.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(parse.begin(), parse.end());
    std::sort(freeing.begin(), freeing.end());
    out.parse = { parse[parse.size() / 2], parse.front() };
    out.freeing = { freeing[freeing.size() / 2], freeing.front() };
    return out;
}

// With PLANSIGHT_BENCH_SAVE=DIR, writes a generated input to DIR (for profiling, or for `plansight explain`).
void saveIfAsked(const QString &name, const QByteArray &content)
{
    const QByteArray dir = qgetenv("PLANSIGHT_BENCH_SAVE");
    if (dir.isEmpty())
        return;
    QFile out(QString::fromLocal8Bit(dir) + QLatin1Char('/') + name);
    if (!out.open(QIODevice::WriteOnly) || out.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(out.fileName()));
}

void report(const char *what, const Timing &t, const QString &extra = {})
{
    std::printf("%-52s median %9.2f ms   best %9.2f ms   %s\n", what, t.median, t.best, qPrintable(extra));
    std::fflush(stdout);
}

// The operation --once measures, kept out of line so that callgrind can count it alone.
Q_NEVER_INLINE qsizetype profiledOperation(const QByteArray &what, const QByteArray &input, const Plan *parsed)
{
    if (what == "write")
        return planJsonText(*parsed).size();
    auto p = parsePlan(input);
    return p.ok() ? p->size() : -1;
}

} // namespace

// The plan as PostgreSQL prints EXPLAIN (ANALYZE, VERBOSE, BUFFERS) text.
static QByteArray explainText(const Plan &p)
{
    QByteArray text;
    struct Item {
        int node;
        int indent;
    };
    std::vector<Item> stack { { 0, 0 } };
    while (!stack.empty()) {
        const Item it = stack.back();
        stack.pop_back();
        const PlanNode &n = p.node(it.node);
        const QByteArray pad(it.indent, ' ');
        text += pad + (it.node == 0 ? "" : "->  ") + n.label().toUtf8()
            + QStringLiteral("  (cost=%1..%2 rows=%3 width=%4) (actual time=%5..%6 rows=%7 loops=1)\n")
                  .arg(n.startupCost, 0, 'f', 2)
                  .arg(n.totalCost, 0, 'f', 2)
                  .arg(n.planRows, 0, 'f', 0)
                  .arg(n.planWidth)
                  .arg(n.actualStartupMs, 0, 'f', 3)
                  .arg(n.actualTotalMs, 0, 'f', 3)
                  .arg(n.actualRows, 0, 'f', 0)
                  .toUtf8();
        const QByteArray detail(it.indent + (it.node == 0 ? 2 : 6), ' ');
        text += detail + "Output: " + n.output.join(QStringLiteral(", ")).toUtf8() + '\n';
        if (!n.filter.isEmpty())
            text += detail + "Filter: " + n.filter.toUtf8() + '\n' + detail
                + "Rows Removed by Filter: " + QByteArray::number(n.rowsRemovedByFilter, 'f', 0) + '\n';
        text += detail
            + QStringLiteral("Buffers: shared hit=%1 read=%2\n")
                  .arg(n.buffers.sharedHit)
                  .arg(n.buffers.sharedRead)
                  .toUtf8();
        for (qsizetype k = n.children.size() - 1; k >= 0; --k)
            stack.push_back({ n.children.at(k), it.indent + (it.node == 0 ? 2 : 6) });
    }
    text += "Planning Time: 1.500 ms\nExecution Time: 1000.000 ms\n";
    return text;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc > 2 && QByteArray(argv[1]) == "--once") {
        const QByteArray what = argv[2];
        const QByteArray json = generatePlan(10000, 6, 1);
        if (what == "json")
            return profiledOperation(what, json, nullptr) > 0 ? 0 : 1;
        const auto plan = parsePlan(json);
        if (what == "text")
            return profiledOperation(what, explainText(plan.value()), nullptr) > 0 ? 0 : 1;
        if (what == "write")
            return profiledOperation(what, {}, &plan.value()) > 0 ? 0 : 1;
        std::fprintf(stderr, "bench_plan --once json|text|write\n");
        return 2;
    }
    const int runs = argc > 1 ? std::max(1, QByteArray(argv[1]).toInt()) : 15;

    const QByteArray json10k = generatePlan(10000, 6, 1);
    saveIfAsked(QStringLiteral("plan-10k.json"), json10k);
    const ParseTiming parse10k = measureParse(runs, json10k);
    report("parse + derive, 10,000-node JSON plan", parse10k.parse,
        QStringLiteral("(%1 nodes, %2 MB, target < 50 ms)")
            .arg(parse10k.nodes)
            .arg(double(json10k.size()) / 1e6, 0, 'f', 1));
    report("freeing that plan (not in the figure above)", parse10k.freeing);

    // The same plan as the first version of this benchmark wrote it (Qt's four-space indentation), for
    // comparison with the figures recorded before.
    const QByteArray json10kQt = generatePlan(10000, 6, 1, false);
    const Timing parse10kQt = measureParse(runs, json10kQt).parse;
    report("parse + derive, same plan, 4-space indentation", parse10kQt,
        QStringLiteral("(%1 MB)").arg(double(json10kQt.size()) / 1e6, 0, 'f', 1));

    auto plan10k = parsePlan(json10k);
    // EXPLAIN text of the same plan, as PostgreSQL would print it.
    const QByteArray text = explainText(plan10k.value());
    saveIfAsked(QStringLiteral("plan-10k.txt"), text);
    const ParseTiming parseText = measureParse(runs, text);
    report("parse + derive, 10,000-node text plan", parseText.parse,
        QStringLiteral("(%1 nodes, %2 MB)").arg(parseText.nodes).arg(double(text.size()) / 1e6, 0, 'f', 1));

    // A text plan's nodes get every key (fields()) from a tape written the first time one is asked for: what a view
    // or `explain --json` pays once, after the parse.
    std::vector<double> firstFields;
    for (int i = 0; i < std::max(1, runs / 3); ++i) {
        auto p = parsePlan(text);
        QElapsedTimer t;
        t.start();
        const QJsonObject fields = p.value().root().fields();
        firstFields.push_back(double(t.nsecsElapsed()) / 1e6);
        if (fields.isEmpty())
            qFatal("a text plan's root has no fields");
    }
    std::sort(firstFields.begin(), firstFields.end());
    report("first fields() of that text plan (writes its tape)",
        { firstFields[firstFields.size() / 2], firstFields.front() });

    const Timing deriveOnly = measure(runs, [&] { deriveMetrics(plan10k.value()); });
    report("derive metrics only, 10,000 nodes", deriveOnly);

    const QByteArray json10kB = generatePlan(10000, 6, 2);
    auto plan10kB = parsePlan(json10kB);
    const Timing diff = measure(std::max(1, runs / 3), [&] { (void)diffPlans(plan10k.value(), plan10kB.value()); });
    report("diff two 10,000-node plans", diff);

    QByteArray written;
    const Timing json = measure(std::max(1, runs / 3), [&] { written = planJsonText(plan10k.value()); });
    report("explain --json text of a 10,000-node plan, in one buffer", json,
        QStringLiteral("(%1 MB)").arg(double(written.size()) / 1e6, 0, 'f', 1));
    // As `explain --json > /dev/null` writes it: in pieces of a megabyte to standard output.
    FILE *devNull = std::fopen("/dev/null", "w");
    const Timing streamed = measure(std::max(1, runs / 3), [&] {
        writePlanJson(
            plan10k.value(), [devNull](const char *d, qsizetype n) { std::fwrite(d, 1, size_t(n), devNull); });
        std::fflush(devNull);
    });
    std::fclose(devNull);
    report("explain --json of a 10,000-node plan, written to /dev/null", streamed,
        QStringLiteral("(%1 MB, target < 100 ms)").arg(double(written.size()) / 1e6, 0, 'f', 1));

    // A 50 MB plan: as many nodes of the same kind as make 50 MB (about 20,000).
    const int bigNodes = int(50e6 / (double(json10k.size()) / 10000));
    const QByteArray big = generatePlan(bigNodes, 6, 3);
    const ParseTiming parseBig = measureParse(std::max(1, runs / 5), big);
    report("parse + derive, 50 MB JSON plan", parseBig.parse,
        QStringLiteral("(%1 nodes, %2 MB)").arg(parseBig.nodes).arg(double(big.size()) / 1e6, 0, 'f', 1));
    return 0;
}
