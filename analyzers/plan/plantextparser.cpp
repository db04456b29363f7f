// EXPLAIN text format -> the same JSON-keyed records the JSON parser reads, then the shared typed extraction.

#include "plan/planfields_p.h"
#include "plan/planinput_p.h"
#include "plan/planparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRegularExpression>

#include <optional>

namespace plansight {

using namespace planinternal;

namespace {

QString expandTabs(const QString &line)
{
    if (!line.contains(QLatin1Char('\t')))
        return line;
    QString out;
    for (const QChar c : line) {
        if (c == QLatin1Char('\t'))
            out += QString(8 - out.size() % 8, QLatin1Char(' '));
        else
            out += c;
    }
    return out;
}

int indentOf(const QString &line)
{
    int i = 0;
    while (i < line.size() && line.at(i) == QLatin1Char(' '))
        ++i;
    return i;
}

QJsonValue number(const QString &text)
{
    bool ok = false;
    const double d = text.trimmed().toDouble(&ok);
    return ok ? QJsonValue(d) : QJsonValue(text.trimmed());
}

// "25kB" -> 25
QJsonValue kilobytes(QString text)
{
    text = text.trimmed();
    if (text.endsWith(QLatin1String("kB")))
        text.chop(2);
    return number(text);
}

// "Key: value  Key2: value2" (PostgreSQL separates properties on one line by two spaces).
QList<QPair<QString, QString>> keyValuePairs(const QString &text)
{
    static const QRegularExpression sep(QStringLiteral("\\s{2,}(?=[A-Z][A-Za-z \\-]*:)"));
    QList<QPair<QString, QString>> out;
    for (const QString &part : text.split(sep)) {
        const qsizetype colon = part.indexOf(QLatin1Char(':'));
        if (colon < 0)
            out.append({ part.trimmed(), QString() });
        else
            out.append({ part.left(colon).trimmed(), part.mid(colon + 1).trimmed() });
    }
    return out;
}

// "shared hit=1 read=2, local hit=3, temp read=4 written=5" -> JSON block counters.
void parseBuffers(const QString &text, QJsonObject &o)
{
    for (const QString &group : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList words = group.simplified().split(QLatin1Char(' '));
        if (words.isEmpty())
            continue;
        QString kind = words.first();
        if (kind.isEmpty())
            continue;
        kind[0] = kind[0].toUpper();
        for (qsizetype i = 1; i < words.size(); ++i) {
            const qsizetype eq = words[i].indexOf(QLatin1Char('='));
            if (eq <= 0) // no '=', or nothing before it
                continue;
            QString what = words[i].left(eq);
            what[0] = what[0].toUpper();
            o.insert(kind + QLatin1Char(' ') + what + QStringLiteral(" Blocks"), number(words[i].mid(eq + 1)));
        }
    }
}

// PG 14 "read=1.2 write=0.3"; PG 15-16 "shared/local read=1 write=2, temp read=3 write=4";
// PG 17+ "shared read=1 write=2, local read=3, temp read=4 write=5".
void parseIoTimings(const QString &text, QJsonObject &o)
{
    for (const QString &group : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList words = group.simplified().split(QLatin1Char(' '));
        QString prefix = QStringLiteral("I/O ");
        qsizetype first = 0;
        if (!words.isEmpty() && !words.first().contains(QLatin1Char('='))) {
            const QString kind = words.first();
            first = 1;
            if (kind == QLatin1String("shared/local"))
                prefix = QStringLiteral("I/O ");
            else if (kind == QLatin1String("shared"))
                prefix = QStringLiteral("Shared I/O ");
            else if (kind == QLatin1String("local"))
                prefix = QStringLiteral("Local I/O ");
            else if (kind == QLatin1String("temp"))
                prefix = QStringLiteral("Temp I/O ");
        }
        for (qsizetype i = first; i < words.size(); ++i) {
            const qsizetype eq = words[i].indexOf(QLatin1Char('='));
            if (eq < 0)
                continue;
            const QString what = words[i].left(eq);
            const QString key
                = prefix + (what == QLatin1String("read") ? QStringLiteral("Read Time") : QStringLiteral("Write Time"));
            o.insert(key, number(words[i].mid(eq + 1)));
        }
    }
}

// "records=1 fpi=0 bytes=100 buffers full=0"
void parseWal(const QString &text, QJsonObject &o)
{
    static const QRegularExpression re(QStringLiteral("(records|fpi|bytes|buffers full)=(\\d+)"));
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString k = m.captured(1);
        const QString key = k == QLatin1String("records") ? QStringLiteral("WAL Records")
            : k == QLatin1String("fpi")                   ? QStringLiteral("WAL FPI")
            : k == QLatin1String("bytes")                 ? QStringLiteral("WAL Bytes")
                                                          : QStringLiteral("WAL Buffers Full");
        o.insert(key, number(m.captured(2)));
    }
}

const QStringList &numericKeys()
{
    static const QStringList keys { QStringLiteral("Rows Removed by Filter"),
        QStringLiteral("Rows Removed by Join Filter"), QStringLiteral("Rows Removed by Index Recheck"),
        QStringLiteral("Rows Removed by Conflict Filter"), QStringLiteral("Heap Fetches"),
        QStringLiteral("Workers Planned"), QStringLiteral("Workers Launched"), QStringLiteral("Subplans Removed"),
        QStringLiteral("Planned Partitions"), QStringLiteral("Index Searches"), QStringLiteral("Tuples Inserted"),
        QStringLiteral("Conflicting Tuples") };
    return keys;
}

const QStringList &listKeys()
{
    static const QStringList keys { QStringLiteral("Sort Key"), QStringLiteral("Presorted Key"),
        QStringLiteral("Group Key"), QStringLiteral("Output"), QStringLiteral("Hash Key") };
    return keys;
}

// One "Key: value" detail of a node (or of a worker of a node) into its JSON record.
void applyDetail(const QString &text, QJsonObject &o, QString &lastKey)
{
    const QList<QPair<QString, QString>> pairs = keyValuePairs(text);
    const QString key = pairs.first().first;
    const QString value
        = pairs.size() == 1 ? text.mid(text.indexOf(QLatin1Char(':')) + 1).trimmed() : pairs.first().second;
    lastKey = key;
    if (key == QLatin1String("Buffers")) {
        parseBuffers(value, o);
    } else if (key == QLatin1String("I/O Timings")) {
        parseIoTimings(value, o);
    } else if (key == QLatin1String("WAL")) {
        parseWal(value, o);
    } else if (key == QLatin1String("Heap Blocks")) {
        static const QRegularExpression re(QStringLiteral("(exact|lossy)=(\\d+)"));
        auto it = re.globalMatch(value);
        while (it.hasNext()) {
            const auto m = it.next();
            o.insert(m.captured(1) == QLatin1String("exact") ? QStringLiteral("Exact Heap Blocks")
                                                             : QStringLiteral("Lossy Heap Blocks"),
                number(m.captured(2)));
        }
    } else if (key == QLatin1String("Sort Method")) {
        // "quicksort  Memory: 25kB", "external merge  Disk: 1234kB"
        for (const auto &[k, v] : pairs) {
            if (k == QLatin1String("Sort Method")) {
                o.insert(QStringLiteral("Sort Method"), v);
            } else if (k == QLatin1String("Memory") || k == QLatin1String("Disk")) {
                o.insert(QStringLiteral("Sort Space Used"), kilobytes(v));
                o.insert(QStringLiteral("Sort Space Type"), k);
            } else {
                o.insert(k, v);
            }
        }
    } else if (key == QLatin1String("Buckets")) {
        // "Buckets: 2048 (originally 1024)  Batches: 4 (originally 1)  Memory Usage: 9kB"
        static const QRegularExpression orig(QStringLiteral("^(\\d+)(?:\\s*\\(originally (\\d+)\\))?"));
        for (const auto &[k, v] : pairs) {
            if (k == QLatin1String("Buckets") || k == QLatin1String("Batches")) {
                const auto m = orig.match(v);
                const QString name
                    = k == QLatin1String("Buckets") ? QStringLiteral("Hash Buckets") : QStringLiteral("Hash Batches");
                const QString originalName = QStringLiteral("Original ") + name;
                if (m.hasMatch()) {
                    o.insert(name, number(m.captured(1)));
                    o.insert(originalName, number(m.captured(2).isEmpty() ? m.captured(1) : m.captured(2)));
                } else {
                    o.insert(name, v);
                }
            } else if (k == QLatin1String("Memory Usage")) {
                o.insert(QStringLiteral("Peak Memory Usage"), kilobytes(v));
            } else {
                o.insert(k, v);
            }
        }
    } else if (key == QLatin1String("Hits") || key == QLatin1String("Batches")
        || key == QLatin1String("Planned Partitions")) {
        // Memoize "Hits: 9  Misses: 1  Evictions: 0  Overflows: 0  Memory Usage: 1kB";
        // HashAgg "Batches: 5  Memory Usage: 4145kB  Disk Usage: 11152kB" (after "Planned Partitions: 4").
        for (const auto &[k, v] : pairs) {
            if (k == QLatin1String("Hits") || k == QLatin1String("Misses") || k == QLatin1String("Evictions")
                || k == QLatin1String("Overflows"))
                o.insert(QStringLiteral("Cache ") + k, number(v));
            else if (k == QLatin1String("Memory Usage"))
                o.insert(QStringLiteral("Peak Memory Usage"), kilobytes(v));
            else if (k == QLatin1String("Disk Usage"))
                o.insert(QStringLiteral("Disk Usage"), kilobytes(v));
            else if (k == QLatin1String("Batches"))
                o.insert(QStringLiteral("HashAgg Batches"), number(v));
            else
                o.insert(k, number(v));
        }
    } else if (numericKeys().contains(key)) {
        o.insert(key, number(value));
    } else if (listKeys().contains(key)) {
        QJsonArray a;
        for (const QString &item : splitTopLevel(value))
            a.append(item);
        o.insert(key, a);
    } else if (key == QLatin1String("Single Copy") || key == QLatin1String("Disabled")
        || key == QLatin1String("Inner Unique")) {
        o.insert(key, value == QLatin1String("true"));
    } else {
        o.insert(key, value);
    }
}

struct NodeLine {
    QString description;
    std::optional<double> startupCost, totalCost, planRows, planWidth;
    std::optional<double> actualStartup, actualTotal, actualRows, actualLoops;
    bool neverExecuted = false;
    bool hasParens = false;
};

std::optional<NodeLine> parseNodeLine(const QString &text)
{
    static const QRegularExpression cost(
        QStringLiteral("\\(cost=([0-9.eE+\\-]+)\\.\\.([0-9.eE+\\-]+)\\s+rows=([0-9.eE+\\-]+)\\s+width=(\\d+)\\)"));
    static const QRegularExpression actual(
        QStringLiteral("\\(actual\\s*(?:time=([0-9.]+)\\.\\.([0-9.]+)\\s*)?rows=([0-9.]+)\\s+loops=([0-9.]+)\\)"));
    static const QRegularExpression never(QStringLiteral("\\(never executed\\)"));
    NodeLine n;
    qsizetype cut = text.size();
    if (const auto m = cost.match(text); m.hasMatch()) {
        n.startupCost = m.captured(1).toDouble();
        n.totalCost = m.captured(2).toDouble();
        n.planRows = m.captured(3).toDouble();
        n.planWidth = m.captured(4).toDouble();
        cut = std::min(cut, m.capturedStart());
        n.hasParens = true;
    }
    if (const auto m = actual.match(text); m.hasMatch()) {
        if (!m.captured(1).isEmpty()) {
            n.actualStartup = m.captured(1).toDouble();
            n.actualTotal = m.captured(2).toDouble();
        }
        n.actualRows = m.captured(3).toDouble();
        n.actualLoops = m.captured(4).toDouble();
        cut = std::min(cut, m.capturedStart());
        n.hasParens = true;
    }
    if (const auto m = never.match(text); m.hasMatch()) {
        n.neverExecuted = true;
        cut = std::min(cut, m.capturedStart());
        n.hasParens = true;
    }
    n.description = text.left(cut).trimmed();
    if (n.description.isEmpty())
        return std::nullopt;
    return n;
}

// "public.t" -> (public, t); quoted identifiers keep their dots.
QPair<QString, QString> splitQualified(const QString &name)
{
    bool quoted = false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (name.at(i) == QLatin1Char('"'))
            quoted = !quoted;
        else if (name.at(i) == QLatin1Char('.') && !quoted)
            return { name.left(i), name.mid(i + 1) };
    }
    return { QString(), name };
}

QStringList identifierTokens(const QString &text)
{
    static const QRegularExpression token(QStringLiteral("\"(?:[^\"]|\"\")*\"|\\S+"));
    QStringList out;
    auto it = token.globalMatch(text);
    while (it.hasNext())
        out.append(it.next().captured(0));
    return out;
}

// "Parallel Index Only Scan Backward using idx on public.t t1" -> JSON identity keys.
void parseDescription(QString s, QJsonObject &o)
{
    auto takePrefix = [&s](const char *prefix) {
        const QLatin1String p(prefix);
        if (s.startsWith(p)) {
            s = s.mid(p.size());
            return true;
        }
        return false;
    };
    if (takePrefix("Async "))
        o.insert(QStringLiteral("Async Capable"), true);
    if (takePrefix("Parallel "))
        o.insert(QStringLiteral("Parallel Aware"), true);
    if (takePrefix("Partial "))
        o.insert(QStringLiteral("Partial Mode"), QStringLiteral("Partial"));
    else if (takePrefix("Finalize "))
        o.insert(QStringLiteral("Partial Mode"), QStringLiteral("Finalize"));

    auto setRelation = [&o](const QStringList &tokens, const QString &nameKey) {
        if (tokens.isEmpty())
            return;
        if (nameKey == QLatin1String("Relation Name")) {
            const auto [schema, rel] = splitQualified(tokens.first());
            if (!schema.isEmpty())
                o.insert(QStringLiteral("Schema"), schema);
            o.insert(nameKey, rel);
            o.insert(QStringLiteral("Alias"), tokens.size() > 1 ? tokens.at(1) : rel);
        } else if (nameKey == QLatin1String("Alias")) {
            o.insert(QStringLiteral("Alias"), tokens.first());
        } else {
            o.insert(nameKey, tokens.first());
            o.insert(QStringLiteral("Alias"), tokens.size() > 1 ? tokens.at(1) : tokens.first());
        }
    };

    static const QRegularExpression join(
        QStringLiteral("^(Nested Loop|Hash|Merge)(?: (Left|Right|Full|Semi|Anti|Right Semi|Right Anti))? Join$"));
    if (s == QLatin1String("Nested Loop")) {
        o.insert(QStringLiteral("Node Type"), s);
        o.insert(QStringLiteral("Join Type"), QStringLiteral("Inner"));
        return;
    }
    if (const auto m = join.match(s); m.hasMatch()) {
        o.insert(QStringLiteral("Node Type"),
            m.captured(1) == QLatin1String("Nested Loop") ? m.captured(1) : m.captured(1) + QStringLiteral(" Join"));
        o.insert(QStringLiteral("Join Type"), m.captured(2).isEmpty() ? QStringLiteral("Inner") : m.captured(2));
        return;
    }
    static const QList<QPair<QLatin1String, QLatin1String>> aggregates { { QLatin1String("HashAggregate"),
                                                                             QLatin1String("Hashed") },
        { QLatin1String("GroupAggregate"), QLatin1String("Sorted") },
        { QLatin1String("MixedAggregate"), QLatin1String("Mixed") },
        { QLatin1String("Aggregate"), QLatin1String("Plain") } };
    for (const auto &[name, strategy] : aggregates) {
        if (s == name) {
            o.insert(QStringLiteral("Node Type"), QStringLiteral("Aggregate"));
            o.insert(QStringLiteral("Strategy"), QString(strategy));
            if (!o.contains(QLatin1String("Partial Mode")))
                o.insert(QStringLiteral("Partial Mode"), QStringLiteral("Simple"));
            return;
        }
    }
    static const QRegularExpression setop(QStringLiteral("^(HashSetOp|SetOp) (.+)$"));
    if (const auto m = setop.match(s); m.hasMatch()) {
        o.insert(QStringLiteral("Node Type"), QStringLiteral("SetOp"));
        o.insert(QStringLiteral("Strategy"),
            m.captured(1) == QLatin1String("HashSetOp") ? QStringLiteral("Hashed") : QStringLiteral("Sorted"));
        o.insert(QStringLiteral("Command"), m.captured(2));
        return;
    }
    for (const char *op : { "Insert", "Update", "Delete", "Merge" }) {
        const QLatin1String opName(op);
        if (s == opName || s.startsWith(opName + QLatin1String(" on "))) {
            o.insert(QStringLiteral("Node Type"), QStringLiteral("ModifyTable"));
            o.insert(QStringLiteral("Operation"), QString(opName));
            setRelation(identifierTokens(s.mid(opName.size() + 4)), QStringLiteral("Relation Name"));
            return;
        }
    }
    static const QRegularExpression indexScan(
        QStringLiteral("^(Index Scan|Index Only Scan)( Backward)? using (\"(?:[^\"]|\"\")*\"|\\S+)(?: on (.+))?$"));
    if (const auto m = indexScan.match(s); m.hasMatch()) {
        o.insert(QStringLiteral("Node Type"), m.captured(1));
        o.insert(QStringLiteral("Scan Direction"),
            m.captured(2).isEmpty() ? QStringLiteral("Forward") : QStringLiteral("Backward"));
        o.insert(QStringLiteral("Index Name"), m.captured(3));
        setRelation(identifierTokens(m.captured(4)), QStringLiteral("Relation Name"));
        return;
    }
    static const QRegularExpression customScan(QStringLiteral("^Custom Scan \\(([^)]*)\\)(?: on (.+))?$"));
    if (const auto m = customScan.match(s); m.hasMatch()) {
        o.insert(QStringLiteral("Node Type"), QStringLiteral("Custom Scan"));
        o.insert(QStringLiteral("Custom Plan Provider"), m.captured(1));
        setRelation(identifierTokens(m.captured(2)), QStringLiteral("Relation Name"));
        return;
    }
    const qsizetype on = s.indexOf(QLatin1String(" on "));
    if (on > 0) {
        const QString type = s.left(on);
        const QStringList tokens = identifierTokens(s.mid(on + 4));
        o.insert(QStringLiteral("Node Type"), type);
        if (type == QLatin1String("Bitmap Index Scan"))
            o.insert(QStringLiteral("Index Name"), tokens.value(0));
        else if (type == QLatin1String("CTE Scan"))
            setRelation(tokens, QStringLiteral("CTE Name"));
        else if (type == QLatin1String("Function Scan"))
            setRelation(tokens, QStringLiteral("Function Name"));
        else if (type == QLatin1String("Table Function Scan"))
            setRelation(tokens, QStringLiteral("Table Function Name"));
        else if (type == QLatin1String("Named Tuplestore Scan"))
            setRelation(tokens, QStringLiteral("Tuplestore Name"));
        else if (type == QLatin1String("Subquery Scan") || type == QLatin1String("WorkTable Scan")
            || type == QLatin1String("Values Scan"))
            setRelation(tokens, QStringLiteral("Alias"));
        else
            setRelation(tokens, QStringLiteral("Relation Name"));
        return;
    }
    o.insert(QStringLiteral("Node Type"), s);
}

bool isSubplanLabel(const QString &t)
{
    static const QRegularExpression re(
        QStringLiteral("^(?:InitPlan \\d+(?: \\(returns [^)]*\\))?|SubPlan \\d+(?: \\(returns [^)]*\\))?|CTE \\S.*)$"));
    return !t.contains(QLatin1String(": ")) && re.match(t).hasMatch();
}

bool isKeyValue(const QString &t)
{
    static const QRegularExpression re(QStringLiteral("^[A-Z][A-Za-z0-9 /\\-]{0,60}:(?:\\s|$)"));
    return re.match(t).hasMatch();
}

bool isWorkerLine(const QString &t)
{
    static const QRegularExpression re(QStringLiteral("^Worker \\d+:"));
    return re.match(t).hasMatch();
}

const QStringList &topLevelKeys()
{
    static const QStringList keys { QStringLiteral("Planning Time"), QStringLiteral("Execution Time"),
        QStringLiteral("Total runtime"), QStringLiteral("Planning"), QStringLiteral("JIT"), QStringLiteral("Settings"),
        QStringLiteral("Query Identifier"), QStringLiteral("Serialization"), QStringLiteral("Query Text") };
    return keys;
}

bool isTopLevelLine(const QString &t)
{
    if (t.startsWith(QLatin1String("Trigger ")) && t.contains(QLatin1String(": time=")))
        return true;
    const qsizetype colon = t.indexOf(QLatin1Char(':'));
    return colon > 0 && topLevelKeys().contains(t.left(colon));
}

// A terminal or mail client cuts long lines at a column, usually inside a token: join without a space, except
// between two parenthesized groups and after a comma, where PostgreSQL always puts one.
bool joinsWithoutSpace(const QString &prev, const QString &next)
{
    if (prev.isEmpty() || next.isEmpty())
        return true;
    const QChar a = prev.back();
    const QChar b = next.front();
    return !((a == QLatin1Char(')') && b == QLatin1Char('(')) || a == QLatin1Char(','));
}

// Node names PostgreSQL prints (after "Parallel ", "Async ", "Partial ", "Finalize "), for recognizing a root
// line without costs (EXPLAIN (COSTS OFF)).
bool startsWithNodeName(QString s)
{
    for (const char *prefix : { "Async ", "Parallel ", "Partial ", "Finalize " })
        if (s.startsWith(QLatin1String(prefix)))
            s = s.mid(qsizetype(qstrlen(prefix)));
    static const char *const names[] = { "Result", "ProjectSet", "Insert", "Update", "Delete", "Merge", "Append",
        "Merge Append", "Recursive Union", "BitmapAnd", "BitmapOr", "Nested Loop", "Merge ", "Hash", "Seq Scan",
        "Sample Scan", "Gather", "Index Scan", "Index Only Scan", "Bitmap Index Scan", "Bitmap Heap Scan", "Tid Scan",
        "Tid Range Scan", "Subquery Scan", "Function Scan", "Table Function Scan", "Values Scan", "CTE Scan",
        "Named Tuplestore Scan", "WorkTable Scan", "Foreign Scan", "Custom Scan", "Materialize", "Memoize", "Sort",
        "Incremental Sort", "Group", "Aggregate", "GroupAggregate", "HashAggregate", "MixedAggregate", "WindowAgg",
        "Unique", "SetOp", "HashSetOp", "LockRows", "Limit" };
    for (const char *n : names)
        if (s.startsWith(QLatin1String(n)))
            return true;
    return false;
}

// "Generation 1.2 ms (Deform 0.3 ms), Inlining 0.0 ms, ..." -> JIT Timing object.
QJsonObject parseJitTiming(const QString &text)
{
    QJsonObject timing;
    static const QRegularExpression re(
        QStringLiteral("(Generation|Inlining|Optimization|Emission|Total|Deform)\\s+([0-9.]+)\\s*ms"));
    auto it = re.globalMatch(text);
    QJsonObject generation;
    while (it.hasNext()) {
        const auto m = it.next();
        const QString k = m.captured(1);
        if (k == QLatin1String("Deform"))
            generation.insert(QStringLiteral("Deform"), number(m.captured(2)));
        else
            timing.insert(k, number(m.captured(2)));
    }
    if (!generation.isEmpty()) {
        generation.insert(QStringLiteral("Total"), timing.value(QLatin1String("Generation")));
        timing.insert(QStringLiteral("Generation"), generation);
    }
    return timing;
}

double msValue(const QString &v)
{
    QString s = v.trimmed();
    if (s.endsWith(QLatin1String("ms")))
        s.chop(2);
    bool ok = false;
    const double d = s.trimmed().toDouble(&ok);
    return ok ? d : -1;
}

struct Builder {
    struct Node {
        QJsonObject fields;
        int parent = -1;
        int depth = 0;
        int textColumn = 0;
        QMap<int, QJsonObject> workers;
        QString lastKey;
        int ordinaryChildren = 0; // children that are not InitPlans/SubPlans/CTEs
    };
    std::vector<Node> nodes;
};

} // namespace

Result<Plan> parseTextPlan(const QByteArray &input)
{
    if (auto st = checkPlanInput(input); !st)
        return st.error();
    QStringList lines;
    {
        const QList<QByteArray> raw = unframeLines(input);
        lines.reserve(raw.size());
        for (const QByteArray &l : raw)
            lines.append(expandTabs(QString::fromUtf8(l)));
    }
    // Lines copied from a grid as CSV cells: "Seq Scan on t  (cost=...)".
    if (!lines.isEmpty() && std::all_of(lines.cbegin(), lines.cend(), [](const QString &l) {
            const QString t = l.trimmed();
            return t.size() >= 2 && t.startsWith(QLatin1Char('"')) && t.endsWith(QLatin1Char('"'));
        })) {
        for (QString &l : lines) {
            const int indent = indentOf(l);
            QString t = l.trimmed();
            t = t.mid(1, t.size() - 2).replace(QLatin1String("\"\""), QLatin1String("\""));
            l = QString(indent, QLatin1Char(' ')) + t;
        }
    }

    Plan plan;
    plan.format = PlanFormat::Text;
    QJsonObject top;

    // The root: the first line that is a node (with its parentheses), or the first line that is nothing else.
    qsizetype rootIndex = -1;
    QStringList queryText;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString t = lines.at(i).trimmed();
        // auto_explain: "LOG:  duration: 1.2 ms  plan:" then "Query Text: ...", possibly over several lines.
        if (t.contains(QLatin1String("plan:")) && t.contains(QLatin1String("duration:")))
            continue;
        if (t == QLatin1String("QUERY PLAN"))
            continue;
        if (t.startsWith(QLatin1String("Query Text:"))) {
            queryText.append(t.mid(11).trimmed());
            continue;
        }
        const auto node = parseNodeLine(t.startsWith(QLatin1String("->")) ? t.mid(2) : t);
        if (node && node->hasParens) {
            rootIndex = i;
            break;
        }
        if (!queryText.isEmpty()) {
            queryText.append(t);
            continue;
        }
        if (!isKeyValue(t) && !isSubplanLabel(t) && node && startsWithNodeName(node->description)) {
            rootIndex = i;
            break;
        }
    }
    if (rootIndex < 0)
        return inputError(
            QStringLiteral("No plan node found: the input is neither EXPLAIN JSON nor EXPLAIN text output."));
    if (!queryText.isEmpty())
        top.insert(QStringLiteral("Query Text"), queryText.join(QLatin1Char('\n')).trimmed());

    // Lines broken by a terminal or a mail client: anything that is not a node, a label, a property, a worker
    // line or a top-level line continues the previous line.
    QStringList body;
    for (qsizetype i = rootIndex; i < lines.size(); ++i) {
        const QString &l = lines.at(i);
        const QString t = l.trimmed();
        const bool known = i == rootIndex || t.startsWith(QLatin1String("->")) || isSubplanLabel(t) || isKeyValue(t)
            || isWorkerLine(t) || isTopLevelLine(t);
        if (!known && !body.isEmpty()) {
            QString &prev = body.last();
            prev += (joinsWithoutSpace(prev, t) ? QString() : QStringLiteral(" ")) + t;
            continue;
        }
        body.append(l);
    }

    Builder b;
    const int rootColumn = indentOf(body.first());
    struct Frame {
        int node;
        int column;
    };
    std::vector<Frame> stack;
    QString pendingLabel;
    int pendingLabelColumn = -1;
    enum class Section { None, Planning, Jit };
    Section section = Section::None;
    int workerNode = -1, workerNumber = -1, workerColumn = -1;
    QJsonObject planning, jit;
    QJsonArray triggers;

    auto addNode = [&](const NodeLine &line, int column, int parent) -> Status {
        Builder::Node n;
        n.parent = parent;
        n.depth = parent < 0 ? 0 : b.nodes[size_t(parent)].depth + 1;
        if (n.depth >= maxPlanDepth)
            return inputError(
                QStringLiteral("The plan nests deeper than %1 levels; this is not EXPLAIN output.").arg(maxPlanDepth));
        n.textColumn = column;
        parseDescription(line.description, n.fields);
        if (line.startupCost) {
            n.fields.insert(QStringLiteral("Startup Cost"), *line.startupCost);
            n.fields.insert(QStringLiteral("Total Cost"), *line.totalCost);
            n.fields.insert(QStringLiteral("Plan Rows"), *line.planRows);
            n.fields.insert(QStringLiteral("Plan Width"), *line.planWidth);
        }
        if (line.actualLoops) {
            if (line.actualTotal) {
                n.fields.insert(QStringLiteral("Actual Startup Time"), *line.actualStartup);
                n.fields.insert(QStringLiteral("Actual Total Time"), *line.actualTotal);
            }
            n.fields.insert(QStringLiteral("Actual Rows"), *line.actualRows);
            n.fields.insert(QStringLiteral("Actual Loops"), *line.actualLoops);
        } else if (line.neverExecuted) {
            n.fields.insert(QStringLiteral("Actual Rows"), 0);
            n.fields.insert(QStringLiteral("Actual Loops"), 0);
        }
        if (parent >= 0) {
            QString relationship;
            if (!pendingLabel.isEmpty() && column > pendingLabelColumn) {
                relationship = pendingLabel.startsWith(QLatin1String("SubPlan")) ? QStringLiteral("SubPlan")
                                                                                 : QStringLiteral("InitPlan");
                n.fields.insert(QStringLiteral("Subplan Name"), pendingLabel);
            } else {
                Builder::Node &p = b.nodes[size_t(parent)];
                const QString pt = p.fields.value(QLatin1String("Node Type")).toString();
                const int ordinary = p.ordinaryChildren++;
                if (pt == QLatin1String("Append") || pt == QLatin1String("Merge Append")
                    || pt == QLatin1String("BitmapAnd") || pt == QLatin1String("BitmapOr"))
                    relationship = QStringLiteral("Member");
                else if (pt == QLatin1String("Subquery Scan"))
                    relationship = QStringLiteral("Subquery");
                else
                    relationship = ordinary == 0 ? QStringLiteral("Outer") : QStringLiteral("Inner");
            }
            n.fields.insert(QStringLiteral("Parent Relationship"), relationship);
        }
        pendingLabel.clear();
        pendingLabelColumn = -1;
        b.nodes.push_back(std::move(n));
        stack.push_back({ int(b.nodes.size()) - 1, column });
        return {};
    };

    for (qsizetype i = 0; i < body.size(); ++i) {
        const QString &l = body.at(i);
        const int indent = indentOf(l);
        const QString t = l.trimmed();
        if (i == 0) {
            const auto node = parseNodeLine(t.startsWith(QLatin1String("->")) ? t.mid(2).trimmed() : t);
            if (auto st = addNode(*node, indent, -1); !st)
                return st.error();
            continue;
        }
        if (t.startsWith(QLatin1String("->"))) {
            section = Section::None;
            workerNode = -1;
            const QString rest = t.mid(2);
            const int column = indent + 2 + indentOf(rest);
            const auto node = parseNodeLine(rest.trimmed());
            if (!node)
                return inputError(
                    QStringLiteral("Line %1 has an arrow but no plan node: \"%2\".").arg(i + 1).arg(t.left(80)));
            while (!stack.empty() && stack.back().column >= indent)
                stack.pop_back();
            if (stack.empty())
                return inputError(
                    QStringLiteral("Line %1 is indented left of the plan's root: \"%2\".").arg(i + 1).arg(t.left(80)));
            if (auto st = addNode(*node, column, stack.back().node); !st)
                return st.error();
            continue;
        }
        if (indent <= rootColumn && isTopLevelLine(t)) {
            workerNode = -1;
            section = Section::None;
            const qsizetype colon = t.indexOf(QLatin1Char(':'));
            const QString key = t.left(colon);
            const QString value = t.mid(colon + 1).trimmed();
            if (t.startsWith(QLatin1String("Trigger "))) {
                // "Trigger name on rel: time=1.2 calls=3" / "Trigger for constraint name on rel: time=..."
                static const QRegularExpression re(
                    QStringLiteral("^Trigger (for constraint )?(.+?)(?: on (\\S+))?: time=([0-9.]+) calls=([0-9.]+)"));
                const auto m = re.match(t);
                if (m.hasMatch()) {
                    QJsonObject tr;
                    tr.insert(
                        m.captured(1).isEmpty() ? QStringLiteral("Trigger Name") : QStringLiteral("Constraint Name"),
                        m.captured(2));
                    if (!m.captured(3).isEmpty())
                        tr.insert(QStringLiteral("Relation"), m.captured(3));
                    tr.insert(QStringLiteral("Time"), number(m.captured(4)));
                    tr.insert(QStringLiteral("Calls"), number(m.captured(5)));
                    triggers.append(tr);
                }
            } else if (key == QLatin1String("Planning Time")) {
                top.insert(key, msValue(value));
            } else if (key == QLatin1String("Execution Time") || key == QLatin1String("Total runtime")) {
                top.insert(QStringLiteral("Execution Time"), msValue(value));
            } else if (key == QLatin1String("Planning")) {
                section = Section::Planning;
            } else if (key == QLatin1String("JIT")) {
                section = Section::Jit;
            } else if (key == QLatin1String("Settings")) {
                QJsonObject settings;
                for (const QString &item : splitTopLevel(value)) {
                    const qsizetype eq = item.indexOf(QLatin1String(" = "));
                    if (eq < 0)
                        continue;
                    QString v = item.mid(eq + 3).trimmed();
                    if (v.size() >= 2 && v.startsWith(QLatin1Char('\'')) && v.endsWith(QLatin1Char('\'')))
                        v = v.mid(1, v.size() - 2).replace(QLatin1String("''"), QLatin1String("'"));
                    settings.insert(item.left(eq).trimmed(), v);
                }
                top.insert(key, settings);
            } else {
                top.insert(key, value);
            }
            continue;
        }
        if (section != Section::None && indent > rootColumn && isKeyValue(t)) {
            const qsizetype colon = t.indexOf(QLatin1Char(':'));
            const QString key = t.left(colon);
            const QString value = t.mid(colon + 1).trimmed();
            if (section == Section::Planning) {
                if (key == QLatin1String("Buffers")) {
                    parseBuffers(value, planning);
                } else if (key == QLatin1String("Memory")) {
                    static const QRegularExpression re(QStringLiteral("used=([0-9.]+)kB\\s+allocated=([0-9.]+)kB"));
                    if (const auto m = re.match(value); m.hasMatch()) {
                        planning.insert(QStringLiteral("Memory Used"), number(m.captured(1)));
                        planning.insert(QStringLiteral("Memory Allocated"), number(m.captured(2)));
                    }
                } else {
                    planning.insert(key, value);
                }
            } else {
                if (key == QLatin1String("Functions")) {
                    jit.insert(key, number(value));
                } else if (key == QLatin1String("Options")) {
                    QJsonObject options;
                    for (const QString &item : splitTopLevel(value)) {
                        const qsizetype sp = item.lastIndexOf(QLatin1Char(' '));
                        if (sp > 0)
                            options.insert(item.left(sp), item.mid(sp + 1) == QLatin1String("true"));
                    }
                    jit.insert(key, options);
                } else if (key == QLatin1String("Timing")) {
                    jit.insert(key, parseJitTiming(value));
                } else {
                    jit.insert(key, value);
                }
            }
            continue;
        }
        section = Section::None;
        if (isSubplanLabel(t)) {
            workerNode = -1;
            while (!stack.empty() && stack.back().column >= indent)
                stack.pop_back();
            if (stack.empty())
                return inputError(
                    QStringLiteral("Line %1 is indented left of the plan's root: \"%2\".").arg(i + 1).arg(t.left(80)));
            pendingLabel = t;
            pendingLabelColumn = indent;
            continue;
        }
        // A property of a node, or of one of its workers.
        if (workerNode >= 0 && indent > workerColumn && !isWorkerLine(t)) {
            Builder::Node &n = b.nodes[size_t(workerNode)];
            applyDetail(t, n.workers[workerNumber], n.lastKey);
            continue;
        }
        workerNode = -1;
        while (stack.size() > 1 && stack.back().column >= indent)
            stack.pop_back();
        Builder::Node &n = b.nodes[size_t(stack.back().node)];
        if (isWorkerLine(t)) {
            static const QRegularExpression re(QStringLiteral("^Worker (\\d+):\\s*(.*)$"));
            const auto m = re.match(t);
            workerNode = stack.back().node;
            workerNumber = m.captured(1).toInt();
            workerColumn = indent;
            QJsonObject &w = n.workers[workerNumber];
            w.insert(QStringLiteral("Worker Number"), workerNumber);
            const QString rest = m.captured(2).trimmed();
            const auto actual = parseNodeLine(QStringLiteral("Worker (") + rest + QLatin1Char(')'));
            if (rest.startsWith(QLatin1String("actual")) && actual && actual->actualLoops) {
                if (actual->actualTotal) {
                    w.insert(QStringLiteral("Actual Startup Time"), *actual->actualStartup);
                    w.insert(QStringLiteral("Actual Total Time"), *actual->actualTotal);
                }
                w.insert(QStringLiteral("Actual Rows"), *actual->actualRows);
                w.insert(QStringLiteral("Actual Loops"), *actual->actualLoops);
            } else if (!rest.isEmpty()) {
                applyDetail(rest, w, n.lastKey);
            }
            continue;
        }
        if (isKeyValue(t)) {
            applyDetail(t, n.fields, n.lastKey);
        } else if (!n.lastKey.isEmpty() && n.fields.value(n.lastKey).isString()) {
            n.fields.insert(n.lastKey, QString(n.fields.value(n.lastKey).toString() + QLatin1Char(' ') + t));
        } else {
            plan.parseWarnings.append(
                QStringLiteral("Line %1 was not understood and is ignored: \"%2\".").arg(i + 1).arg(t.left(80)));
        }
    }

    if (!planning.isEmpty())
        top.insert(QStringLiteral("Planning"), planning);
    if (!jit.isEmpty())
        top.insert(QStringLiteral("JIT"), jit);
    if (!triggers.isEmpty())
        top.insert(QStringLiteral("Triggers"), triggers);

    // The nodes' records go through the same reader as JSON input: one document [top, node 0, node 1, ...].
    // The builder's order is pre-order already (children follow their parent in the text).
    QJsonArray records;
    records.append(top);
    for (Builder::Node &bn : b.nodes) {
        if (!bn.workers.isEmpty()) {
            QJsonArray workers;
            for (const QJsonObject &w : std::as_const(bn.workers))
                workers.append(w);
            bn.fields.insert(QStringLiteral("Workers"), workers);
        }
        records.append(std::move(bn.fields));
    }
    const QByteArray recordsJson = QJsonDocument(records).toJson(QJsonDocument::Compact);
    auto tape = JsonTape::parse(recordsJson, 0, recordsJson.size());
    if (!tape.ok()) // cannot happen: Qt wrote it
        return Error::make(errc::Internal, tape.error().message);
    const JsonTape &t = *tape.value();
    plan.nodes.resize(b.nodes.size());
    quint32 record = t.skip(JsonTape::first(0)); // after top
    for (size_t i = 0; i < b.nodes.size(); ++i, record = t.skip(record)) {
        PlanNode &n = plan.nodes[i];
        n.id = int(i);
        n.parent = b.nodes[i].parent;
        n.depth = b.nodes[i].depth;
        if (n.parent >= 0)
            plan.nodes[size_t(n.parent)].children.append(n.id);
        if (auto st = fillNode(n, tape.value(), record); !st)
            return st.error();
    }
    if (auto st = fillTop(plan, tape.value(), JsonTape::first(0)); !st)
        return st.error();
    finishPlan(plan);
    return plan;
}

} // namespace plansight
