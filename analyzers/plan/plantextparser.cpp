// EXPLAIN text format -> the same JSON-keyed records the JSON parser reads, then the shared typed extraction.
//
// Speed (docs/architecture.md, "Performance targets": a 10,000-node plan in under 50 ms): lines are read as string
// views, never copied to be trimmed; the tests run on every line (is it a property, a worker, a label?) and the
// node line's figures are read by hand (plantext_p.h, each the exact equivalent of a regular expression that stays
// the definition, in the tests and for the rare shapes the hand-written reading does not decide); numbers are read
// with std::from_chars when they are plain decimals; and the records are written as JSON text at once
// (jsonwriter_p.h) instead of as QJsonObjects that Qt then writes.

#include "plan/jsonwriter_p.h"
#include "plan/planfields_p.h"
#include "plan/planinput_p.h"
#include "plan/planparser.h"
#include "plan/plantext_p.h"

#include <QJsonArray>
#include <QMap>
#include <QRegularExpression>
#include <QVarLengthArray>

#include <charconv>
#include <optional>
#include <variant>

namespace plansight {

using namespace planinternal;

namespace planinternal {

bool isRegexSpace(QChar c)
{
    const char16_t u = c.unicode();
    return u == ' ' || (u >= 0x09 && u <= 0x0D);
}

double textToDouble(QStringView s, bool *ok)
{
    // Plain decimals ("-12", "0.29", "1234.560"): std::from_chars rounds them correctly, as Qt does.
    const qsizetype n = s.size();
    qsizetype i = n > 0 && s.at(0) == QLatin1Char('-') ? 1 : 0;
    const qsizetype digitsFrom = i;
    while (i < n && s.at(i) >= QLatin1Char('0') && s.at(i) <= QLatin1Char('9'))
        ++i;
    bool plain = i > digitsFrom && (s.at(digitsFrom) != QLatin1Char('0') || i == digitsFrom + 1);
    if (plain && i < n) {
        plain = s.at(i) == QLatin1Char('.');
        const qsizetype fractionFrom = ++i;
        while (i < n && s.at(i) >= QLatin1Char('0') && s.at(i) <= QLatin1Char('9'))
            ++i;
        plain = plain && i > fractionFrom && i == n;
    }
    if (plain && n <= 64) {
        char buffer[64];
        for (qsizetype k = 0; k < n; ++k)
            buffer[k] = char(s.at(k).unicode());
        double d = 0;
        const auto r = std::from_chars(buffer, buffer + n, d);
        if (r.ec == std::errc() && r.ptr == buffer + n) {
            *ok = true;
            return d;
        }
    }
    return s.toDouble(ok);
}

bool isKeyValue(QStringView t)
{
    // ^[A-Z][A-Za-z0-9 /\-]{0,60}:(?:\s|$)
    const qsizetype n = t.size();
    if (n == 0 || t.at(0) < QLatin1Char('A') || t.at(0) > QLatin1Char('Z'))
        return false;
    qsizetype i = 1;
    for (; i < n && i <= 60; ++i) {
        const char16_t c = t.at(i).unicode();
        const bool inClass = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' '
            || c == '/' || c == '-';
        if (!inClass)
            break;
    }
    if (i >= n || t.at(i) != QLatin1Char(':'))
        return false;
    return i + 1 == n || isRegexSpace(t.at(i + 1));
}

bool isWorkerLine(QStringView t)
{
    // ^Worker \d+:
    if (!t.startsWith(QLatin1String("Worker ")))
        return false;
    qsizetype i = 7;
    while (i < t.size() && t.at(i) >= QLatin1Char('0') && t.at(i) <= QLatin1Char('9'))
        ++i;
    return i > 7 && i < t.size() && t.at(i) == QLatin1Char(':');
}

KeyValueParts keyValuePairs(QStringView text)
{
    // Parts at runs of two or more spaces followed by "Key:": text.split(\s{2,}(?=[A-Z][A-Za-z \-]*:)).
    auto keyFollows = [text](qsizetype j) {
        const qsizetype n = text.size();
        if (j >= n || text.at(j) < QLatin1Char('A') || text.at(j) > QLatin1Char('Z'))
            return false;
        ++j;
        while (j < n) {
            const char16_t c = text.at(j).unicode();
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '-'))
                break;
            ++j;
        }
        return j < n && text.at(j) == QLatin1Char(':');
    };
    KeyValueParts out;
    auto add = [&out](QStringView part) {
        const qsizetype colon = part.indexOf(QLatin1Char(':'));
        if (colon < 0)
            out.append({ part.trimmed(), QStringView() });
        else
            out.append({ part.left(colon).trimmed(), part.mid(colon + 1).trimmed() });
    };
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size();) {
        if (!isRegexSpace(text.at(i))) {
            ++i;
            continue;
        }
        qsizetype j = i;
        while (j < text.size() && isRegexSpace(text.at(j)))
            ++j;
        if (j - i >= 2 && keyFollows(j)) {
            add(text.mid(start, i - start));
            start = j;
        }
        i = j;
    }
    add(text.mid(start));
    return out;
}

namespace {

// The run of characters of a class from `from`.
template<typename InClass>
qsizetype runEnd(QStringView t, qsizetype from, InClass inClass)
{
    while (from < t.size() && inClass(t.at(from).unicode()))
        ++from;
    return from;
}

qsizetype spaceEnd(QStringView t, qsizetype from)
{
    while (from < t.size() && isRegexSpace(t.at(from)))
        ++from;
    return from;
}

// In t[from, to): the one place of "..", when there is exactly one with something on both sides; else -1.
qsizetype onlyDoubleDot(QStringView t, qsizetype from, qsizetype to)
{
    qsizetype found = -1;
    for (qsizetype i = from; i + 1 < to; ++i) {
        if (t.at(i) == QLatin1Char('.') && t.at(i + 1) == QLatin1Char('.')) {
            if (found >= 0)
                return -1;
            found = i;
        }
    }
    return found > from && found + 2 < to ? found : -1;
}

} // namespace

std::optional<bool> matchCostFast(QStringView t, CostFigures &out)
{
    const qsizetype at = t.indexOf(QLatin1String("(cost="));
    if (at < 0)
        return false; // the expression needs "(cost=" too
    auto costChar
        = [](char16_t c) { return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'; };
    const qsizetype r1 = at + 6;
    const qsizetype r1End = runEnd(t, r1, costChar);
    const qsizetype dots = onlyDoubleDot(t, r1, r1End);
    if (dots < 0)
        return std::nullopt;
    qsizetype i = spaceEnd(t, r1End);
    if (i == r1End || !t.mid(i).startsWith(QLatin1String("rows=")))
        return std::nullopt;
    const qsizetype r3 = i + 5;
    const qsizetype r3End = runEnd(t, r3, costChar);
    if (r3End == r3)
        return std::nullopt;
    i = spaceEnd(t, r3End);
    if (i == r3End || !t.mid(i).startsWith(QLatin1String("width=")))
        return std::nullopt;
    const qsizetype w = i + 6;
    const qsizetype wEnd = runEnd(t, w, [](char16_t c) { return c >= '0' && c <= '9'; });
    if (wEnd == w || wEnd >= t.size() || t.at(wEnd) != QLatin1Char(')'))
        return std::nullopt;
    out = { at, t.mid(r1, dots - r1), t.mid(dots + 2, r1End - dots - 2), t.mid(r3, r3End - r3), t.mid(w, wEnd - w) };
    return true;
}

std::optional<bool> matchActualFast(QStringView t, ActualFigures &out)
{
    const qsizetype at = t.indexOf(QLatin1String("(actual"));
    if (at < 0)
        return false;
    auto figureChar = [](char16_t c) { return (c >= '0' && c <= '9') || c == '.'; };
    qsizetype i = spaceEnd(t, at + 7);
    out = {};
    out.start = at;
    if (t.mid(i).startsWith(QLatin1String("time="))) {
        const qsizetype r = i + 5;
        const qsizetype rEnd = runEnd(t, r, figureChar);
        const qsizetype dots = onlyDoubleDot(t, r, rEnd);
        if (dots < 0)
            return std::nullopt;
        out.startupTime = t.mid(r, dots - r);
        out.totalTime = t.mid(dots + 2, rEnd - dots - 2);
        i = spaceEnd(t, rEnd);
    }
    if (!t.mid(i).startsWith(QLatin1String("rows=")))
        return std::nullopt;
    const qsizetype r = i + 5;
    const qsizetype rEnd = runEnd(t, r, figureChar);
    if (rEnd == r)
        return std::nullopt;
    i = spaceEnd(t, rEnd);
    if (i == rEnd || !t.mid(i).startsWith(QLatin1String("loops=")))
        return std::nullopt;
    const qsizetype l = i + 6;
    const qsizetype lEnd = runEnd(t, l, figureChar);
    if (lEnd == l || lEnd >= t.size() || t.at(lEnd) != QLatin1Char(')'))
        return std::nullopt;
    out.rows = t.mid(r, rEnd - r);
    out.loops = t.mid(l, lEnd - l);
    return true;
}

} // namespace planinternal

namespace {

// A JSON object being built as QJsonObject holds one: a key given twice keeps its last value; written (by
// JsonWriter) in QJsonObject's key order. A value is null, a number, a boolean, a text, a list of texts, or the
// node's workers (written by the caller).
struct WorkersValue { };
using RecordValue = std::variant<std::monostate, double, bool, QString, QStringList, WorkersValue>;

class Record {
public:
    void insert(const QString &key, RecordValue value)
    {
        for (auto &[k, v] : m_members) {
            if (k == key) {
                v = std::move(value);
                return;
            }
        }
        m_members.emplace_back(key, std::move(value));
    }
    const RecordValue *find(QStringView key) const
    {
        for (const auto &[k, v] : m_members)
            if (k == key)
                return &v;
        return nullptr;
    }
    bool contains(QStringView key) const { return find(key) != nullptr; }
    bool isEmpty() const { return m_members.empty(); }
    QString string(QStringView key) const
    {
        const RecordValue *v = find(key);
        return v && std::holds_alternative<QString>(*v) ? std::get<QString>(*v) : QString();
    }
    bool isString(QStringView key) const
    {
        const RecordValue *v = find(key);
        return v && std::holds_alternative<QString>(*v);
    }
    template<typename WriteWorkers>
    void write(JsonWriter &w, WriteWorkers writeWorkers) const
    {
        QVarLengthArray<qsizetype, 32> order;
        for (qsizetype i = 0; i < qsizetype(m_members.size()); ++i)
            order.append(i);
        std::sort(order.begin(), order.end(), [this](qsizetype a, qsizetype b) {
            return jsonKeyLess(m_members[size_t(a)].first, m_members[size_t(b)].first);
        });
        w.beginObject();
        for (const qsizetype i : order) {
            const auto &[key, value] = m_members[size_t(i)];
            w.key(key);
            if (std::holds_alternative<double>(value))
                w.number(std::get<double>(value));
            else if (std::holds_alternative<bool>(value))
                w.boolean(std::get<bool>(value));
            else if (std::holds_alternative<QString>(value))
                w.string(std::get<QString>(value));
            else if (std::holds_alternative<QStringList>(value))
                w.strings(std::get<QStringList>(value));
            else if (std::holds_alternative<WorkersValue>(value))
                writeWorkers();
            else
                w.null();
        }
        w.endObject();
    }

    // For the few records that go into the top-level object (built as a QJsonObject).
    QJsonObject toJsonObject() const;

private:
    std::vector<std::pair<QString, RecordValue>> m_members;
};

QJsonValue toQJson(const RecordValue &v)
{
    if (std::holds_alternative<double>(v))
        return std::get<double>(v);
    if (std::holds_alternative<bool>(v))
        return std::get<bool>(v);
    if (std::holds_alternative<QString>(v))
        return std::get<QString>(v);
    if (std::holds_alternative<QStringList>(v))
        return QJsonArray::fromStringList(std::get<QStringList>(v));
    return QJsonValue(QJsonValue::Null);
}

QJsonObject Record::toJsonObject() const
{
    QJsonObject o;
    for (const auto &[k, v] : m_members)
        o.insert(k, toQJson(v));
    return o;
}

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

int indentOf(QStringView line)
{
    int i = 0;
    while (i < line.size() && line.at(i) == QLatin1Char(' '))
        ++i;
    return i;
}

RecordValue number(QStringView text)
{
    bool ok = false;
    const double d = textToDouble(text.trimmed(), &ok);
    return ok ? RecordValue(d) : RecordValue(text.trimmed().toString());
}

QJsonValue numberValue(QStringView text)
{
    return toQJson(number(text));
}

// "25kB" -> 25
RecordValue kilobytes(QStringView text)
{
    text = text.trimmed();
    if (text.endsWith(QLatin1String("kB")))
        text.chop(2);
    return number(text);
}

// Words separated by whitespace (QString::simplified().split(' ') without the copies).
QVarLengthArray<QStringView, 8> words(QStringView text)
{
    QVarLengthArray<QStringView, 8> out;
    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && text.at(i).isSpace())
            ++i;
        const qsizetype from = i;
        while (i < text.size() && !text.at(i).isSpace())
            ++i;
        if (i > from)
            out.append(text.mid(from, i - from));
    }
    return out;
}

// "shared hit=1 read=2, local hit=3, temp read=4 written=5" -> JSON block counters.
void parseBuffers(QStringView text, Record &o)
{
    for (const QStringView group : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto w = words(group);
        if (w.isEmpty())
            continue;
        QString kind = w.first().toString();
        kind[0] = kind[0].toUpper();
        for (qsizetype i = 1; i < w.size(); ++i) {
            const qsizetype eq = w[i].indexOf(QLatin1Char('='));
            if (eq <= 0) // no '=', or nothing before it
                continue;
            QString what = w[i].left(eq).toString();
            what[0] = what[0].toUpper();
            o.insert(kind + QLatin1Char(' ') + what + QStringLiteral(" Blocks"), number(w[i].mid(eq + 1)));
        }
    }
}

// PG 14 "read=1.2 write=0.3"; PG 15-16 "shared/local read=1 write=2, temp read=3 write=4";
// PG 17+ "shared read=1 write=2, local read=3, temp read=4 write=5".
void parseIoTimings(QStringView text, Record &o)
{
    for (const QStringView group : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        auto w = words(group);
        if (w.isEmpty())
            w.append(QStringView()); // as "".split(' ') gives one empty word
        QString prefix = QStringLiteral("I/O ");
        qsizetype first = 0;
        if (!w.first().contains(QLatin1Char('='))) {
            const QStringView kind = w.first();
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
        for (qsizetype i = first; i < w.size(); ++i) {
            const qsizetype eq = w[i].indexOf(QLatin1Char('='));
            if (eq < 0)
                continue;
            const QStringView what = w[i].left(eq);
            const QString key
                = prefix + (what == QLatin1String("read") ? QStringLiteral("Read Time") : QStringLiteral("Write Time"));
            o.insert(key, number(w[i].mid(eq + 1)));
        }
    }
}

// "records=1 fpi=0 bytes=100 buffers full=0"
void parseWal(const QString &text, Record &o)
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
void applyDetail(QStringView text, Record &o, QString &lastKey)
{
    const KeyValueParts pairs = keyValuePairs(text);
    const QStringView key = pairs.first().first;
    const QStringView value
        = pairs.size() == 1 ? text.mid(text.indexOf(QLatin1Char(':')) + 1).trimmed() : pairs.first().second;
    lastKey = key.toString();
    if (key == QLatin1String("Buffers")) {
        parseBuffers(value, o);
    } else if (key == QLatin1String("I/O Timings")) {
        parseIoTimings(value, o);
    } else if (key == QLatin1String("WAL")) {
        parseWal(value.toString(), o);
    } else if (key == QLatin1String("Heap Blocks")) {
        static const QRegularExpression re(QStringLiteral("(exact|lossy)=(\\d+)"));
        auto it = re.globalMatch(value.toString());
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
                o.insert(QStringLiteral("Sort Method"), v.toString());
            } else if (k == QLatin1String("Memory") || k == QLatin1String("Disk")) {
                o.insert(QStringLiteral("Sort Space Used"), kilobytes(v));
                o.insert(QStringLiteral("Sort Space Type"), k.toString());
            } else {
                o.insert(k.toString(), v.toString());
            }
        }
    } else if (key == QLatin1String("Buckets")) {
        // "Buckets: 2048 (originally 1024)  Batches: 4 (originally 1)  Memory Usage: 9kB"
        static const QRegularExpression orig(QStringLiteral("^(\\d+)(?:\\s*\\(originally (\\d+)\\))?"));
        for (const auto &[k, v] : pairs) {
            if (k == QLatin1String("Buckets") || k == QLatin1String("Batches")) {
                const auto m = orig.match(v.toString());
                const QString name
                    = k == QLatin1String("Buckets") ? QStringLiteral("Hash Buckets") : QStringLiteral("Hash Batches");
                const QString originalName = QStringLiteral("Original ") + name;
                if (m.hasMatch()) {
                    o.insert(name, number(m.captured(1)));
                    o.insert(originalName, number(m.captured(2).isEmpty() ? m.captured(1) : m.captured(2)));
                } else {
                    o.insert(name, v.toString());
                }
            } else if (k == QLatin1String("Memory Usage")) {
                o.insert(QStringLiteral("Peak Memory Usage"), kilobytes(v));
            } else {
                o.insert(k.toString(), v.toString());
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
                o.insert(k.toString(), number(v));
        }
    } else if (numericKeys().contains(key)) {
        o.insert(lastKey, number(value));
    } else if (listKeys().contains(key)) {
        o.insert(lastKey, splitTopLevel(value));
    } else if (key == QLatin1String("Single Copy") || key == QLatin1String("Disabled")
        || key == QLatin1String("Inner Unique")) {
        o.insert(lastKey, value == QLatin1String("true"));
    } else {
        o.insert(lastKey, value.toString());
    }
}

struct NodeLine {
    QString description;
    std::optional<double> startupCost, totalCost, planRows, planWidth;
    std::optional<double> actualStartup, actualTotal, actualRows, actualLoops;
    bool neverExecuted = false;
    bool hasParens = false;
};

double toDouble(QStringView s)
{
    bool ok = false;
    const double d = textToDouble(s, &ok);
    return ok ? d : 0;
}

std::optional<NodeLine> parseNodeLine(QStringView text)
{
    // The definitions; the hand-written readings (plantext_p.h) decide the usual shapes, these the rest.
    static const QRegularExpression cost(
        QStringLiteral("\\(cost=([0-9.eE+\\-]+)\\.\\.([0-9.eE+\\-]+)\\s+rows=([0-9.eE+\\-]+)\\s+width=(\\d+)\\)"));
    static const QRegularExpression actual(
        QStringLiteral("\\(actual\\s*(?:time=([0-9.]+)\\.\\.([0-9.]+)\\s*)?rows=([0-9.]+)\\s+loops=([0-9.]+)\\)"));
    NodeLine n;
    qsizetype cut = text.size();
    CostFigures c;
    if (const auto fast = matchCostFast(text, c); fast.has_value()) {
        if (*fast) {
            n.startupCost = toDouble(c.startup);
            n.totalCost = toDouble(c.total);
            n.planRows = toDouble(c.rows);
            n.planWidth = toDouble(c.width);
            cut = std::min(cut, c.start);
            n.hasParens = true;
        }
    } else if (const auto m = cost.match(text.toString()); m.hasMatch()) {
        n.startupCost = m.captured(1).toDouble();
        n.totalCost = m.captured(2).toDouble();
        n.planRows = m.captured(3).toDouble();
        n.planWidth = m.captured(4).toDouble();
        cut = std::min(cut, m.capturedStart());
        n.hasParens = true;
    }
    ActualFigures a;
    if (const auto fast = matchActualFast(text, a); fast.has_value()) {
        if (*fast) {
            if (!a.startupTime.isEmpty()) {
                n.actualStartup = toDouble(a.startupTime);
                n.actualTotal = toDouble(a.totalTime);
            }
            n.actualRows = toDouble(a.rows);
            n.actualLoops = toDouble(a.loops);
            cut = std::min(cut, a.start);
            n.hasParens = true;
        }
    } else if (const auto m = actual.match(text.toString()); m.hasMatch()) {
        if (!m.captured(1).isEmpty()) {
            n.actualStartup = m.captured(1).toDouble();
            n.actualTotal = m.captured(2).toDouble();
        }
        n.actualRows = m.captured(3).toDouble();
        n.actualLoops = m.captured(4).toDouble();
        cut = std::min(cut, m.capturedStart());
        n.hasParens = true;
    }
    if (const qsizetype never = text.indexOf(QLatin1String("(never executed)")); never >= 0) {
        n.neverExecuted = true;
        cut = std::min(cut, never);
        n.hasParens = true;
    }
    const QStringView description = text.left(cut).trimmed();
    if (description.isEmpty())
        return std::nullopt;
    n.description = description.toString();
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

QStringList identifierTokens(QStringView text)
{
    QStringList out;
    if (!text.contains(QLatin1Char('"'))) {
        // Without quotes the expression below is \S+: the runs between (ASCII) spaces.
        qsizetype i = 0;
        while (i < text.size()) {
            while (i < text.size() && isRegexSpace(text.at(i)))
                ++i;
            const qsizetype from = i;
            while (i < text.size() && !isRegexSpace(text.at(i)))
                ++i;
            if (i > from)
                out.append(text.mid(from, i - from).toString());
        }
        return out;
    }
    static const QRegularExpression token(QStringLiteral("\"(?:[^\"]|\"\")*\"|\\S+"));
    auto it = token.globalMatch(text.toString());
    while (it.hasNext())
        out.append(it.next().captured(0));
    return out;
}

// "Parallel Index Only Scan Backward using idx on public.t t1" -> JSON identity keys.
void parseDescription(QStringView s, Record &o)
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
        o.insert(QStringLiteral("Node Type"), s.toString());
        o.insert(QStringLiteral("Join Type"), QStringLiteral("Inner"));
        return;
    }
    // Each expression runs only where the text can match it (it ends in " Join", starts with "SetOp", ...).
    if (const auto m = s.endsWith(QLatin1String(" Join")) ? join.match(s.toString()) : QRegularExpressionMatch();
        m.hasMatch()) {
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
            if (!o.contains(u"Partial Mode"))
                o.insert(QStringLiteral("Partial Mode"), QStringLiteral("Simple"));
            return;
        }
    }
    static const QRegularExpression setop(QStringLiteral("^(HashSetOp|SetOp) (.+)$"));
    if (const auto m = s.startsWith(QLatin1String("HashSetOp ")) || s.startsWith(QLatin1String("SetOp "))
            ? setop.match(s.toString())
            : QRegularExpressionMatch();
        m.hasMatch()) {
        o.insert(QStringLiteral("Node Type"), QStringLiteral("SetOp"));
        o.insert(QStringLiteral("Strategy"),
            m.captured(1) == QLatin1String("HashSetOp") ? QStringLiteral("Hashed") : QStringLiteral("Sorted"));
        o.insert(QStringLiteral("Command"), m.captured(2));
        return;
    }
    for (const char *op : { "Insert", "Update", "Delete", "Merge" }) {
        const QLatin1String opName(op);
        if (s == opName || (s.startsWith(opName) && s.mid(opName.size()).startsWith(QLatin1String(" on ")))) {
            o.insert(QStringLiteral("Node Type"), QStringLiteral("ModifyTable"));
            o.insert(QStringLiteral("Operation"), QString(opName));
            setRelation(identifierTokens(s.mid(opName.size() + 4)), QStringLiteral("Relation Name"));
            return;
        }
    }
    static const QRegularExpression indexScan(
        QStringLiteral("^(Index Scan|Index Only Scan)( Backward)? using (\"(?:[^\"]|\"\")*\"|\\S+)(?: on (.+))?$"));
    if (const auto m
        = s.startsWith(QLatin1String("Index ")) ? indexScan.match(s.toString()) : QRegularExpressionMatch();
        m.hasMatch()) {
        o.insert(QStringLiteral("Node Type"), m.captured(1));
        o.insert(QStringLiteral("Scan Direction"),
            m.captured(2).isEmpty() ? QStringLiteral("Forward") : QStringLiteral("Backward"));
        o.insert(QStringLiteral("Index Name"), m.captured(3));
        setRelation(identifierTokens(m.captured(4)), QStringLiteral("Relation Name"));
        return;
    }
    static const QRegularExpression customScan(QStringLiteral("^Custom Scan \\(([^)]*)\\)(?: on (.+))?$"));
    if (const auto m
        = s.startsWith(QLatin1String("Custom Scan (")) ? customScan.match(s.toString()) : QRegularExpressionMatch();
        m.hasMatch()) {
        o.insert(QStringLiteral("Node Type"), QStringLiteral("Custom Scan"));
        o.insert(QStringLiteral("Custom Plan Provider"), m.captured(1));
        setRelation(identifierTokens(m.captured(2)), QStringLiteral("Relation Name"));
        return;
    }
    const qsizetype on = s.indexOf(QLatin1String(" on "));
    if (on > 0) {
        const QString type = s.left(on).toString();
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
    o.insert(QStringLiteral("Node Type"), s.toString());
}

bool isSubplanLabel(QStringView t)
{
    static const QRegularExpression re(
        QStringLiteral("^(?:InitPlan \\d+(?: \\(returns [^)]*\\))?|SubPlan \\d+(?: \\(returns [^)]*\\))?|CTE \\S.*)$"));
    if (!t.startsWith(QLatin1String("InitPlan ")) && !t.startsWith(QLatin1String("SubPlan "))
        && !t.startsWith(QLatin1String("CTE ")))
        return false; // what the expression needs first
    return !t.contains(QLatin1String(": ")) && re.match(t.toString()).hasMatch();
}

const QStringList &topLevelKeys()
{
    static const QStringList keys { QStringLiteral("Planning Time"), QStringLiteral("Execution Time"),
        QStringLiteral("Total runtime"), QStringLiteral("Planning"), QStringLiteral("JIT"), QStringLiteral("Settings"),
        QStringLiteral("Query Identifier"), QStringLiteral("Serialization"), QStringLiteral("Query Text") };
    return keys;
}

bool isTopLevelLine(QStringView t)
{
    if (t.startsWith(QLatin1String("Trigger ")) && t.contains(QLatin1String(": time=")))
        return true;
    const qsizetype colon = t.indexOf(QLatin1Char(':'));
    return colon > 0 && topLevelKeys().contains(t.left(colon));
}

// A terminal or mail client cuts long lines at a column, usually inside a token: join without a space, except
// between two parenthesized groups and after a comma, where PostgreSQL always puts one.
bool joinsWithoutSpace(const QString &prev, QStringView next)
{
    if (prev.isEmpty() || next.isEmpty())
        return true;
    const QChar a = prev.back();
    const QChar b = next.front();
    return !((a == QLatin1Char(')') && b == QLatin1Char('(')) || a == QLatin1Char(','));
}

// Node names PostgreSQL prints (after "Parallel ", "Async ", "Partial ", "Finalize "), for recognizing a root
// line without costs (EXPLAIN (COSTS OFF)).
bool startsWithNodeName(QStringView s)
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
            generation.insert(QStringLiteral("Deform"), numberValue(m.captured(2)));
        else
            timing.insert(k, numberValue(m.captured(2)));
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
        Record fields;
        int parent = -1;
        int depth = 0;
        int textColumn = 0;
        QMap<int, Record> workers;
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
            const QStringView t = QStringView(l).trimmed();
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
        const QStringView t = QStringView(l).trimmed();
        const bool known = i == rootIndex || t.startsWith(QLatin1String("->")) || isSubplanLabel(t) || isKeyValue(t)
            || isWorkerLine(t) || isTopLevelLine(t);
        if (!known && !body.isEmpty()) {
            QString &prev = body.last();
            if (!joinsWithoutSpace(prev, t))
                prev += QLatin1Char(' ');
            prev += t;
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
    Record planning;
    QJsonObject jit;
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
            n.fields.insert(QStringLiteral("Actual Rows"), 0.0);
            n.fields.insert(QStringLiteral("Actual Loops"), 0.0);
        }
        if (parent >= 0) {
            QString relationship;
            if (!pendingLabel.isEmpty() && column > pendingLabelColumn) {
                relationship = pendingLabel.startsWith(QLatin1String("SubPlan")) ? QStringLiteral("SubPlan")
                                                                                 : QStringLiteral("InitPlan");
                n.fields.insert(QStringLiteral("Subplan Name"), pendingLabel);
            } else {
                Builder::Node &p = b.nodes[size_t(parent)];
                const QString pt = p.fields.string(u"Node Type");
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
        const QStringView t = QStringView(l).trimmed();
        if (i == 0) {
            const auto node = parseNodeLine(t.startsWith(QLatin1String("->")) ? t.mid(2).trimmed() : t);
            if (auto st = addNode(*node, indent, -1); !st)
                return st.error();
            continue;
        }
        if (t.startsWith(QLatin1String("->"))) {
            section = Section::None;
            workerNode = -1;
            const QStringView rest = t.mid(2);
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
            const QString key = t.left(colon).toString();
            const QString value = t.mid(colon + 1).trimmed().toString();
            if (t.startsWith(QLatin1String("Trigger "))) {
                // "Trigger name on rel: time=1.2 calls=3" / "Trigger for constraint name on rel: time=..."
                static const QRegularExpression re(
                    QStringLiteral("^Trigger (for constraint )?(.+?)(?: on (\\S+))?: time=([0-9.]+) calls=([0-9.]+)"));
                const auto m = re.match(t.toString());
                if (m.hasMatch()) {
                    QJsonObject tr;
                    tr.insert(
                        m.captured(1).isEmpty() ? QStringLiteral("Trigger Name") : QStringLiteral("Constraint Name"),
                        m.captured(2));
                    if (!m.captured(3).isEmpty())
                        tr.insert(QStringLiteral("Relation"), m.captured(3));
                    tr.insert(QStringLiteral("Time"), numberValue(m.captured(4)));
                    tr.insert(QStringLiteral("Calls"), numberValue(m.captured(5)));
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
            const QString key = t.left(colon).toString();
            const QString value = t.mid(colon + 1).trimmed().toString();
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
                    jit.insert(key, numberValue(value));
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
            pendingLabel = t.toString();
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
            const auto m = re.match(t.toString());
            workerNode = stack.back().node;
            workerNumber = m.captured(1).toInt();
            workerColumn = indent;
            Record &w = n.workers[workerNumber];
            w.insert(QStringLiteral("Worker Number"), double(workerNumber));
            const QString rest = m.captured(2).trimmed();
            const auto actual = parseNodeLine(QString(QStringLiteral("Worker (") + rest + QLatin1Char(')')));
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
        } else if (!n.lastKey.isEmpty() && n.fields.isString(n.lastKey)) {
            n.fields.insert(n.lastKey, QString(n.fields.string(n.lastKey) + QLatin1Char(' ') + t));
        } else {
            plan.parseWarnings.append(
                QStringLiteral("Line %1 was not understood and is ignored: \"%2\".").arg(i + 1).arg(t.left(80)));
        }
    }

    if (!planning.isEmpty())
        top.insert(QStringLiteral("Planning"), planning.toJsonObject());
    if (!jit.isEmpty())
        top.insert(QStringLiteral("JIT"), jit);
    if (!triggers.isEmpty())
        top.insert(QStringLiteral("Triggers"), triggers);

    // The nodes' records go through the same reader as JSON input: one document [top, node 0, node 1, ...].
    // The builder's order is pre-order already (children follow their parent in the text).
    // About 300 bytes of JSON a node.
    JsonWriter records(JsonWriter::Format::Compact, 4096 + qsizetype(b.nodes.size()) * 512);
    records.beginArray();
    records.value(top);
    for (Builder::Node &bn : b.nodes) {
        if (!bn.workers.isEmpty())
            bn.fields.insert(QStringLiteral("Workers"), WorkersValue {});
        bn.fields.write(records, [&records, &bn] {
            records.beginArray();
            for (const Record &w : std::as_const(bn.workers))
                w.write(records, [] {});
            records.endArray();
        });
    }
    records.endArray();
    const QByteArray recordsJson = records.take();
    auto tape = JsonTape::parse(recordsJson, 0, recordsJson.size());
    if (!tape.ok()) // cannot happen: JsonWriter wrote it
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
