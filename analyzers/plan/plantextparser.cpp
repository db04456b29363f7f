// EXPLAIN text format -> records under PostgreSQL's JSON key names (TextRecord), from which the same typed
// extraction as the JSON parser's fills the nodes (planfields_p.h); every key of a node (PlanNode::fields()) comes
// from a tape written from the records the first time one is asked for (PlanSource), so a parse writes no JSON.
//
// Speed (docs/architecture.md, "Performance targets": a 10,000-node plan in under 50 ms): the input is decoded once
// into one string and every line, key and value is a view of it (a string is made only for what the parser composes:
// joined lines, a few keys); each line's indentation is measured once; the tests run on every line (is it a
// property, a worker, a label?) compare characters without calling into Qt; the node line's figures are read by hand
// (plantext_p.h, each the exact equivalent of a regular expression that stays the definition, in the tests and for
// the rare shapes the hand-written reading does not decide); numbers are read by hand when they have up to 15 digits
// and with std::from_chars otherwise (tst_plantext compares both with Qt's, to the bit).

#include "plan/jsonwriter_p.h"
#include "plan/planfields_p.h"
#include "plan/planinput_p.h"
#include "plan/planparser.h"
#include "plan/plantext_p.h"
#include "plan/shortdecimal_p.h"

#include <QJsonArray>
#include <QMap>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QVarLengthArray>

#include <charconv>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>

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
    // Plain decimals ("-12", "0.29", "1234.560"): short ones by hand (shortdecimal_p.h), longer ones by
    // std::from_chars, which rounds them correctly, as Qt does.
    if (const auto d = shortDecimal(s.utf16(), s.size())) {
        *ok = true;
        return *d;
    }
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

// QStringView::startsWith(QLatin1String) and == QLatin1String without a call into Qt: most lines differ at their
// first character, or in their length.
template<qsizetype N>
inline bool startsWithAscii(QStringView t, const char (&prefix)[N])
{
    if (t.size() < N - 1)
        return false;
    for (qsizetype i = 0; i < N - 1; ++i)
        if (t.at(i).unicode() != char16_t(uchar(prefix[i])))
            return false;
    return true;
}
template<qsizetype N>
inline bool equalsAscii(QStringView t, const char (&text)[N])
{
    return t.size() == N - 1 && startsWithAscii(t, text);
}
// == between views, comparing the lengths before calling into Qt.
inline bool same(QStringView a, QStringView b)
{
    return a.size() == b.size() && a == b;
}

bool isWorkerLine(QStringView t)
{
    // ^Worker \d+:
    if (!startsWithAscii(t, "Worker "))
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

qsizetype findParenthesis(QStringView t, QLatin1String opening)
{
    // QStringView::indexOf(QLatin1String) without its general search: a node line has few '(', which Qt's
    // character search (vectorized) finds.
    const qsizetype m = opening.size();
    for (qsizetype i = t.indexOf(opening.front()); i >= 0 && i + m <= t.size(); i = t.indexOf(opening.front(), i + 1)) {
        qsizetype k = 1;
        while (k < m && t.at(i + k).unicode() == char16_t(uchar(opening.at(k).toLatin1())))
            ++k;
        if (k == m)
            return i;
    }
    return -1;
}

std::optional<bool> matchCostFast(QStringView t, CostFigures &out)
{
    const qsizetype at = findParenthesis(t, QLatin1String("(cost="));
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
    if (i == r1End || !startsWithAscii(t.mid(i), "rows="))
        return std::nullopt;
    const qsizetype r3 = i + 5;
    const qsizetype r3End = runEnd(t, r3, costChar);
    if (r3End == r3)
        return std::nullopt;
    i = spaceEnd(t, r3End);
    if (i == r3End || !startsWithAscii(t.mid(i), "width="))
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
    const qsizetype at = findParenthesis(t, QLatin1String("(actual"));
    if (at < 0)
        return false;
    auto figureChar = [](char16_t c) { return (c >= '0' && c <= '9') || c == '.'; };
    qsizetype i = spaceEnd(t, at + 7);
    out = {};
    out.start = at;
    if (startsWithAscii(t.mid(i), "time=")) {
        const qsizetype r = i + 5;
        const qsizetype rEnd = runEnd(t, r, figureChar);
        const qsizetype dots = onlyDoubleDot(t, r, rEnd);
        if (dots < 0)
            return std::nullopt;
        out.startupTime = t.mid(r, dots - r);
        out.totalTime = t.mid(dots + 2, rEnd - dots - 2);
        i = spaceEnd(t, rEnd);
    }
    if (!startsWithAscii(t.mid(i), "rows="))
        return std::nullopt;
    const qsizetype r = i + 5;
    const qsizetype rEnd = runEnd(t, r, figureChar);
    if (rEnd == r)
        return std::nullopt;
    i = spaceEnd(t, rEnd);
    if (i == rEnd || !startsWithAscii(t.mid(i), "loops="))
        return std::nullopt;
    const qsizetype l = i + 6;
    const qsizetype lEnd = runEnd(t, l, figureChar);
    if (lEnd == l || lEnd >= t.size() || t.at(lEnd) != QLatin1Char(')'))
        return std::nullopt;
    out.rows = t.mid(r, rEnd - r);
    out.loops = t.mid(l, lEnd - l);
    return true;
}

bool matchJoin(QStringView s, JoinWords &out)
{
    if (s.endsWith(QLatin1Char('\n'))) // $ matches before a final line break too
        s.chop(1);
    if (!s.endsWith(QLatin1String(" Join")))
        return false;
    const QStringView words = s.chopped(5);
    static const QStringView kinds[] = { u"Nested Loop", u"Hash", u"Merge" };
    static const QStringView types[] = { u"Left", u"Right", u"Full", u"Semi", u"Anti", u"Right Semi", u"Right Anti" };
    for (const QStringView kind : kinds) {
        if (same(words, kind)) {
            out = { kind, QStringView() };
            return true;
        }
        if (words.size() > kind.size() + 1 && words.startsWith(kind) && words.at(kind.size()) == QLatin1Char(' ')) {
            const QStringView type = words.mid(kind.size() + 1);
            for (const QStringView t : types) {
                if (same(type, t)) {
                    out = { kind, type };
                    return true;
                }
            }
        }
    }
    return false;
}

std::optional<bool> matchIndexScanFast(QStringView s, IndexScanWords &out)
{
    out = {};
    if (s.endsWith(QLatin1Char('\n'))) // where $ and \S+ meet a line break: the expression decides
        return std::nullopt;
    if (startsWithAscii(s, "Index Scan"))
        out.type = s.left(10);
    else if (startsWithAscii(s, "Index Only Scan"))
        out.type = s.left(15);
    else
        return false;
    QStringView rest = s.mid(out.type.size());
    if (startsWithAscii(rest, " Backward using ")) {
        out.backward = rest.mid(0, 9);
        rest = rest.mid(9);
    }
    if (!startsWithAscii(rest, " using "))
        return false;
    rest = rest.mid(7);
    if (rest.isEmpty() || rest.front() == QLatin1Char('"'))
        return rest.isEmpty() ? std::optional<bool>(false) : std::nullopt;
    const qsizetype nameEnd = runEnd(rest, 0, [](char16_t c) { return !isRegexSpace(QChar(c)); });
    if (nameEnd == 0)
        return false;
    out.index = rest.left(nameEnd);
    rest = rest.mid(nameEnd);
    if (rest.isEmpty())
        return true;
    if (!startsWithAscii(rest, " on ") || rest.size() == 4)
        return false;
    out.relation = rest.mid(4);
    if (out.relation.contains(QLatin1Char('\n')) || out.relation.contains(QLatin1Char('\r')))
        return std::nullopt;
    return true;
}

} // namespace planinternal

namespace {

// What a text plan's records point at, kept for as long as the plan may write its nodes' fields (PlanSource): the
// input's lines, the strings the parser made (joined lines, composed keys and values), the items of list values
// and the records. A deque never moves its strings, and a QString's characters stay put while it is not changed,
// so views of them stay valid.
struct TextPlan {
    struct Node {
        TextRecord fields;
        int parent = -1;
        int depth = 0;
        QMap<int, TextRecord> workers;
        QStringView lastKey;
        int ordinaryChildren = 0; // children that are not InitPlans/SubPlans/CTEs
    };
    QString decoded; // the input's lines, one after another
    std::deque<QString> kept;
    TextLists lists;
    std::vector<Node> nodes;
    QJsonObject top;

    QStringView keep(QString s)
    {
        kept.push_back(std::move(s));
        return kept.back();
    }
};

TextValue numberValue(double d)
{
    TextValue v;
    v.kind = TextValue::Kind::Number;
    v.number = d;
    return v;
}

TextValue flagValue(bool b)
{
    TextValue v;
    v.kind = TextValue::Kind::Bool;
    v.flag = b;
    return v;
}

TextValue textValue(QStringView s)
{
    TextValue v;
    v.kind = TextValue::Kind::Text;
    v.text = s;
    return v;
}

// A key given twice keeps its last value, in its first place (as a JSON object built key by key does).
void put(TextRecord &record, QStringView key, TextValue value)
{
    for (TextMember &m : record) {
        if (same(m.first, key)) {
            m.second = value;
            return;
        }
    }
    record.append({ key, value });
}

const TextValue *find(const TextRecord &record, QStringView key)
{
    for (const TextMember &m : record)
        if (same(m.first, key))
            return &m.second;
    return nullptr;
}

QStringView textOf(const TextRecord &record, QStringView key)
{
    const TextValue *v = find(record, key);
    return v && v->kind == TextValue::Kind::Text ? v->text : QStringView();
}

// A record as JSON, in QJsonObject's key order (what fields() reads back); `writeWorkers` writes a Workers value.
template<typename WriteWorkers>
void writeRecord(JsonWriter &w, const TextRecord &record, const TextLists &lists, WriteWorkers writeWorkers)
{
    QVarLengthArray<const TextMember *, 32> order;
    for (const TextMember &m : record)
        order.append(&m);
    std::sort(order.begin(), order.end(),
        [](const TextMember *a, const TextMember *b) { return jsonKeyLess(a->first, b->first); });
    w.beginObject();
    for (const TextMember *m : order) {
        w.key(m->first);
        const TextValue &v = m->second;
        switch (v.kind) {
        case TextValue::Kind::Number:
            w.number(v.number);
            break;
        case TextValue::Kind::Bool:
            w.boolean(v.flag);
            break;
        case TextValue::Kind::Text:
            w.string(v.text);
            break;
        case TextValue::Kind::Texts:
            w.beginArray();
            for (qsizetype i = v.first; i < v.first + v.count; ++i)
                w.string(lists[size_t(i)]);
            w.endArray();
            break;
        case TextValue::Kind::Workers:
            writeWorkers();
            break;
        case TextValue::Kind::Null:
            w.null();
            break;
        }
    }
    w.endObject();
}

// The tape a text plan's nodes' fields are read from, written when first asked for: [top, node 0, node 1, ...].
PlanSource::Built writeFieldsTape(const TextPlan &text)
{
    // About 300 bytes of JSON a node.
    JsonWriter w(JsonWriter::Format::Compact, 4096 + qsizetype(text.nodes.size()) * 512);
    w.beginArray();
    w.value(text.top);
    for (const TextPlan::Node &n : text.nodes) {
        writeRecord(w, n.fields, text.lists, [&] {
            w.beginArray();
            for (const TextRecord &worker : n.workers)
                writeRecord(w, worker, text.lists, [] {});
            w.endArray();
        });
    }
    w.endArray();
    const QByteArray json = w.take();
    auto tape = JsonTape::parse(json, 0, json.size());
    if (!tape.ok()) // cannot happen: JsonWriter wrote it
        return {};
    PlanSource::Built built;
    built.tape = tape.value();
    built.objects.reserve(text.nodes.size());
    quint32 object = built.tape->skip(JsonTape::first(0)); // after top
    for (size_t i = 0; i < text.nodes.size(); ++i, object = built.tape->skip(object))
        built.objects.push_back(object);
    return built;
}

QString expandTabs(QStringView line)
{
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
    // Four spaces at a time first: deep plans are mostly indentation.
    const char16_t *p = line.utf16();
    const qsizetype n = line.size();
    qsizetype i = 0;
    constexpr quint64 fourSpaces = 0x0020002000200020ULL;
    for (quint64 four; i + 4 <= n && (std::memcpy(&four, p + i, sizeof four), four == fourSpaces);)
        i += 4;
    while (i < n && p[i] == u' ')
        ++i;
    return int(i);
}

// A number when the text is one, else the text (trimmed).
TextValue number(QStringView text)
{
    text = text.trimmed();
    bool ok = false;
    const double d = textToDouble(text, &ok);
    return ok ? numberValue(d) : textValue(text);
}

QJsonValue jsonNumber(QStringView text)
{
    text = text.trimmed();
    bool ok = false;
    const double d = textToDouble(text, &ok);
    return ok ? QJsonValue(d) : QJsonValue(text.toString());
}

// "25kB" -> 25
TextValue kilobytes(QStringView text)
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

// The groups of a comma-separated list, without empty ones (QStringView::split(',', SkipEmptyParts) without its list).
template<typename Visit>
void forEachGroup(QStringView value, Visit visit)
{
    qsizetype from = 0;
    while (from <= value.size()) {
        qsizetype comma = value.indexOf(QLatin1Char(','), from);
        if (comma < 0)
            comma = value.size();
        if (comma > from)
            visit(value.mid(from, comma - from));
        from = comma + 1;
    }
}

// A key the parser composes ("Temp" + " I/O " + "Read Time"): PostgreSQL's names without a string each; anything
// else is kept.
QStringView composedKey(QStringView name, TextPlan &text)
{
    static const QStringView known[] = { u"I/O Read Time", u"I/O Write Time", u"Shared I/O Read Time",
        u"Shared I/O Write Time", u"Local I/O Read Time", u"Local I/O Write Time", u"Temp I/O Read Time",
        u"Temp I/O Write Time", u"Cache Hits", u"Cache Misses", u"Cache Evictions", u"Cache Overflows" };
    for (const QStringView k : known)
        if (same(k, name))
            return k;
    return text.keep(name.toString());
}

// "shared" and "hit" -> "Shared Hit Blocks" (each word's first letter in upper case).
QStringView bufferKey(QStringView kind, QStringView what, TextPlan &text)
{
    static const QStringView kinds[] = { u"shared", u"local", u"temp" };
    static const QStringView whats[] = { u"hit", u"read", u"dirtied", u"written" };
    static const QStringView names[3][4]
        = { { u"Shared Hit Blocks", u"Shared Read Blocks", u"Shared Dirtied Blocks", u"Shared Written Blocks" },
              { u"Local Hit Blocks", u"Local Read Blocks", u"Local Dirtied Blocks", u"Local Written Blocks" },
              { u"Temp Hit Blocks", u"Temp Read Blocks", u"Temp Dirtied Blocks", u"Temp Written Blocks" } };
    const auto k = std::find_if(std::begin(kinds), std::end(kinds), [kind](QStringView v) { return same(v, kind); });
    const auto w = std::find_if(std::begin(whats), std::end(whats), [what](QStringView v) { return same(v, what); });
    if (k != std::end(kinds) && w != std::end(whats))
        return names[k - std::begin(kinds)][w - std::begin(whats)];
    QString name = kind.toString() + QLatin1Char(' ') + what.toString() + QStringLiteral(" Blocks");
    name[0] = name[0].toUpper();
    name[kind.size() + 1] = name[kind.size() + 1].toUpper();
    return text.keep(std::move(name));
}

// "shared hit=1 read=2, local hit=3, temp read=4 written=5" -> JSON block counters.
void parseBuffers(QStringView value, TextRecord &o, TextPlan &text)
{
    forEachGroup(value, [&](QStringView group) {
        const auto w = words(group);
        if (w.isEmpty())
            return;
        for (qsizetype i = 1; i < w.size(); ++i) {
            const qsizetype eq = w[i].indexOf(QLatin1Char('='));
            if (eq <= 0) // no '=', or nothing before it
                continue;
            put(o, bufferKey(w.first(), w[i].left(eq), text), number(w[i].mid(eq + 1)));
        }
    });
}

// PG 14 "read=1.2 write=0.3"; PG 15-16 "shared/local read=1 write=2, temp read=3 write=4";
// PG 17+ "shared read=1 write=2, local read=3, temp read=4 write=5".
void parseIoTimings(QStringView value, TextRecord &o, TextPlan &text)
{
    forEachGroup(value, [&](QStringView group) {
        auto w = words(group);
        if (w.isEmpty())
            w.append(QStringView()); // as "".split(' ') gives one empty word
        QStringView prefix = u"I/O ";
        qsizetype first = 0;
        if (!w.first().contains(QLatin1Char('='))) {
            const QStringView kind = w.first();
            first = 1;
            if (equalsAscii(kind, "shared"))
                prefix = u"Shared I/O ";
            else if (equalsAscii(kind, "local"))
                prefix = u"Local I/O ";
            else if (equalsAscii(kind, "temp"))
                prefix = u"Temp I/O ";
        }
        for (qsizetype i = first; i < w.size(); ++i) {
            const qsizetype eq = w[i].indexOf(QLatin1Char('='));
            if (eq < 0)
                continue;
            QString key = prefix.toString();
            key += w[i].left(eq) == QLatin1String("read") ? QLatin1String("Read Time") : QLatin1String("Write Time");
            put(o, composedKey(key, text), number(w[i].mid(eq + 1)));
        }
    });
}

// "records=1 fpi=0 bytes=100 buffers full=0"
void parseWal(QStringView value, TextRecord &o)
{
    static const QRegularExpression re(QStringLiteral("(records|fpi|bytes|buffers full)=(\\d+)"));
    auto it = re.globalMatch(value);
    while (it.hasNext()) {
        const auto m = it.next();
        const QStringView k = m.capturedView(1);
        const QStringView key = equalsAscii(k, "records") ? QStringView(u"WAL Records")
            : equalsAscii(k, "fpi")                       ? QStringView(u"WAL FPI")
            : equalsAscii(k, "bytes")                     ? QStringView(u"WAL Bytes")
                                                          : QStringView(u"WAL Buffers Full");
        put(o, key, number(m.capturedView(2)));
    }
}

bool isNumericKey(QStringView key)
{
    static const QStringView keys[] = { u"Rows Removed by Filter", u"Rows Removed by Join Filter",
        u"Rows Removed by Index Recheck", u"Rows Removed by Conflict Filter", u"Heap Fetches", u"Workers Planned",
        u"Workers Launched", u"Subplans Removed", u"Planned Partitions", u"Index Searches", u"Tuples Inserted",
        u"Conflicting Tuples" };
    return std::any_of(std::begin(keys), std::end(keys), [key](QStringView k) { return same(k, key); });
}

bool isListKey(QStringView key)
{
    static const QStringView keys[] = { u"Sort Key", u"Presorted Key", u"Group Key", u"Output", u"Hash Key" };
    return std::any_of(std::begin(keys), std::end(keys), [key](QStringView k) { return same(k, key); });
}

// Whether two whitespace characters follow each other somewhere in the line.
bool hasSpaceRun(QStringView line)
{
    const char16_t *p = line.utf16();
    for (qsizetype i = 1; i < line.size(); ++i)
        if (p[i] <= u' ' && isRegexSpace(p[i]) && isRegexSpace(p[i - 1]))
            return true;
    return false;
}

// One "Key: value" detail of a node (or of a worker of a node) into its record.
void applyDetail(QStringView line, TextRecord &o, QStringView &lastKey, TextPlan &text)
{
    // Most lines have no run of two spaces, where keyValuePairs() could split them: one part, read directly.
    KeyValueParts pairs;
    if (hasSpaceRun(line)) {
        pairs = keyValuePairs(line);
    } else {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        pairs.append({ line.left(colon).trimmed(), colon < 0 ? QStringView() : line.mid(colon + 1).trimmed() });
    }
    const QStringView key = pairs.first().first;
    const QStringView value
        = pairs.size() == 1 ? line.mid(line.indexOf(QLatin1Char(':')) + 1).trimmed() : pairs.first().second;
    lastKey = key;
    if (equalsAscii(key, "Buffers")) {
        parseBuffers(value, o, text);
    } else if (equalsAscii(key, "I/O Timings")) {
        parseIoTimings(value, o, text);
    } else if (equalsAscii(key, "WAL")) {
        parseWal(value, o);
    } else if (equalsAscii(key, "Heap Blocks")) {
        static const QRegularExpression re(QStringLiteral("(exact|lossy)=(\\d+)"));
        auto it = re.globalMatch(value);
        while (it.hasNext()) {
            const auto m = it.next();
            put(o,
                equalsAscii(m.capturedView(1), "exact") ? QStringView(u"Exact Heap Blocks")
                                                        : QStringView(u"Lossy Heap Blocks"),
                number(m.capturedView(2)));
        }
    } else if (equalsAscii(key, "Sort Method")) {
        // "quicksort  Memory: 25kB", "external merge  Disk: 1234kB"
        for (const auto &[k, v] : pairs) {
            if (equalsAscii(k, "Sort Method")) {
                put(o, k, textValue(v));
            } else if (equalsAscii(k, "Memory") || equalsAscii(k, "Disk")) {
                put(o, u"Sort Space Used", kilobytes(v));
                put(o, u"Sort Space Type", textValue(k));
            } else {
                put(o, k, textValue(v));
            }
        }
    } else if (equalsAscii(key, "Buckets")) {
        // "Buckets: 2048 (originally 1024)  Batches: 4 (originally 1)  Memory Usage: 9kB"
        static const QRegularExpression orig(QStringLiteral("^(\\d+)(?:\\s*\\(originally (\\d+)\\))?"));
        for (const auto &[k, v] : pairs) {
            if (equalsAscii(k, "Buckets") || equalsAscii(k, "Batches")) {
                const auto m = orig.match(v);
                const bool buckets = equalsAscii(k, "Buckets");
                if (m.hasMatch()) {
                    const QStringView now = m.capturedView(1);
                    const QStringView original = m.capturedView(2).isEmpty() ? now : m.capturedView(2);
                    put(o, buckets ? QStringView(u"Hash Buckets") : QStringView(u"Hash Batches"), number(now));
                    put(o, buckets ? QStringView(u"Original Hash Buckets") : QStringView(u"Original Hash Batches"),
                        number(original));
                } else {
                    put(o, buckets ? QStringView(u"Hash Buckets") : QStringView(u"Hash Batches"), textValue(v));
                }
            } else if (equalsAscii(k, "Memory Usage")) {
                put(o, u"Peak Memory Usage", kilobytes(v));
            } else {
                put(o, k, textValue(v));
            }
        }
    } else if (equalsAscii(key, "Hits") || equalsAscii(key, "Batches") || equalsAscii(key, "Planned Partitions")) {
        // Memoize "Hits: 9  Misses: 1  Evictions: 0  Overflows: 0  Memory Usage: 1kB";
        // HashAgg "Batches: 5  Memory Usage: 4145kB  Disk Usage: 11152kB" (after "Planned Partitions: 4").
        for (const auto &[k, v] : pairs) {
            if (equalsAscii(k, "Hits") || equalsAscii(k, "Misses") || equalsAscii(k, "Evictions")
                || equalsAscii(k, "Overflows"))
                put(o, composedKey(QString(QStringLiteral("Cache ") + k.toString()), text), number(v));
            else if (equalsAscii(k, "Memory Usage"))
                put(o, u"Peak Memory Usage", kilobytes(v));
            else if (equalsAscii(k, "Disk Usage"))
                put(o, u"Disk Usage", kilobytes(v));
            else if (equalsAscii(k, "Batches"))
                put(o, u"HashAgg Batches", number(v));
            else
                put(o, k, number(v));
        }
    } else if (isNumericKey(key)) {
        put(o, key, number(value));
    } else if (isListKey(key)) {
        TextValue v;
        v.kind = TextValue::Kind::Texts;
        v.first = qsizetype(text.lists.size());
        splitTopLevel(value, QLatin1Char(','), text.lists);
        v.count = qsizetype(text.lists.size()) - v.first;
        put(o, key, v);
    } else if (equalsAscii(key, "Single Copy") || equalsAscii(key, "Disabled") || equalsAscii(key, "Inner Unique")) {
        put(o, key, flagValue(equalsAscii(value, "true")));
    } else {
        put(o, key, textValue(value));
    }
}

struct NodeLine {
    QStringView description;
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
    } else if (const auto m = cost.match(text); m.hasMatch()) {
        n.startupCost = m.capturedView(1).toDouble();
        n.totalCost = m.capturedView(2).toDouble();
        n.planRows = m.capturedView(3).toDouble();
        n.planWidth = m.capturedView(4).toDouble();
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
    } else if (const auto m = actual.match(text); m.hasMatch()) {
        if (!m.capturedView(1).isEmpty()) {
            n.actualStartup = m.capturedView(1).toDouble();
            n.actualTotal = m.capturedView(2).toDouble();
        }
        n.actualRows = m.capturedView(3).toDouble();
        n.actualLoops = m.capturedView(4).toDouble();
        cut = std::min(cut, m.capturedStart());
        n.hasParens = true;
    }
    if (const qsizetype never = findParenthesis(text, QLatin1String("(never executed)")); never >= 0) {
        n.neverExecuted = true;
        cut = std::min(cut, never);
        n.hasParens = true;
    }
    n.description = text.left(cut).trimmed();
    if (n.description.isEmpty())
        return std::nullopt;
    return n;
}

// "public.t" -> (public, t); quoted identifiers keep their dots.
std::pair<QStringView, QStringView> splitQualified(QStringView name)
{
    bool quoted = false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (name.at(i) == QLatin1Char('"'))
            quoted = !quoted;
        else if (name.at(i) == QLatin1Char('.') && !quoted)
            return { name.left(i), name.mid(i + 1) };
    }
    return { QStringView(), name };
}

QVarLengthArray<QStringView, 4> identifierTokens(QStringView text)
{
    QVarLengthArray<QStringView, 4> out;
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
                out.append(text.mid(from, i - from));
        }
        return out;
    }
    static const QRegularExpression token(QStringLiteral("\"(?:[^\"]|\"\")*\"|\\S+"));
    auto it = token.globalMatch(text);
    while (it.hasNext())
        out.append(it.next().capturedView(0));
    return out;
}

// "Parallel Index Only Scan Backward using idx on public.t t1" -> JSON identity keys.
void parseDescription(QStringView s, TextRecord &o)
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
        put(o, u"Async Capable", flagValue(true));
    if (takePrefix("Parallel "))
        put(o, u"Parallel Aware", flagValue(true));
    if (takePrefix("Partial "))
        put(o, u"Partial Mode", textValue(u"Partial"));
    else if (takePrefix("Finalize "))
        put(o, u"Partial Mode", textValue(u"Finalize"));

    auto setRelation = [&o](const QVarLengthArray<QStringView, 4> &tokens, QStringView nameKey) {
        if (tokens.isEmpty())
            return;
        if (equalsAscii(nameKey, "Relation Name")) {
            const auto [schema, rel] = splitQualified(tokens.first());
            if (!schema.isEmpty())
                put(o, u"Schema", textValue(schema));
            put(o, nameKey, textValue(rel));
            put(o, u"Alias", textValue(tokens.size() > 1 ? tokens.at(1) : rel));
        } else if (equalsAscii(nameKey, "Alias")) {
            put(o, u"Alias", textValue(tokens.first()));
        } else {
            put(o, nameKey, textValue(tokens.first()));
            put(o, u"Alias", textValue(tokens.size() > 1 ? tokens.at(1) : tokens.first()));
        }
    };

    if (equalsAscii(s, "Nested Loop")) {
        put(o, u"Node Type", textValue(u"Nested Loop"));
        put(o, u"Join Type", textValue(u"Inner"));
        return;
    }
    // Each expression runs only where the text can match it (it starts with "SetOp", ...); joins and index scans are
    // read by hand (plantext_p.h).
    if (JoinWords join; matchJoin(s, join)) {
        put(o, u"Node Type",
            textValue(equalsAscii(join.kind, "Nested Loop") ? QStringView(u"Nested Loop")
                    : equalsAscii(join.kind, "Hash")        ? QStringView(u"Hash Join")
                                                            : QStringView(u"Merge Join")));
        put(o, u"Join Type", textValue(join.type.isEmpty() ? QStringView(u"Inner") : join.type));
        return;
    }
    static const std::pair<QStringView, QStringView> aggregates[] = { { u"HashAggregate", u"Hashed" },
        { u"GroupAggregate", u"Sorted" }, { u"MixedAggregate", u"Mixed" }, { u"Aggregate", u"Plain" } };
    for (const auto &[name, strategy] : aggregates) {
        if (s == name) {
            put(o, u"Node Type", textValue(u"Aggregate"));
            put(o, u"Strategy", textValue(strategy));
            if (!find(o, u"Partial Mode"))
                put(o, u"Partial Mode", textValue(u"Simple"));
            return;
        }
    }
    static const QRegularExpression setop(QStringLiteral("^(HashSetOp|SetOp) (.+)$"));
    if (const auto m
        = startsWithAscii(s, "HashSetOp ") || startsWithAscii(s, "SetOp ") ? setop.match(s) : QRegularExpressionMatch();
        m.hasMatch()) {
        put(o, u"Node Type", textValue(u"SetOp"));
        put(o, u"Strategy",
            textValue(equalsAscii(m.capturedView(1), "HashSetOp") ? QStringView(u"Hashed") : QStringView(u"Sorted")));
        put(o, u"Command", textValue(m.capturedView(2)));
        return;
    }
    for (const QStringView op :
        { QStringView(u"Insert"), QStringView(u"Update"), QStringView(u"Delete"), QStringView(u"Merge") }) {
        if (s == op || (s.startsWith(op) && s.mid(op.size()).startsWith(QLatin1String(" on ")))) {
            put(o, u"Node Type", textValue(u"ModifyTable"));
            put(o, u"Operation", textValue(op));
            setRelation(identifierTokens(s.mid(op.size() + 4)), u"Relation Name");
            return;
        }
    }
    static const QRegularExpression indexScan(
        QStringLiteral("^(Index Scan|Index Only Scan)( Backward)? using (\"(?:[^\"]|\"\")*\"|\\S+)(?: on (.+))?$"));
    IndexScanWords scan;
    std::optional<bool> isIndexScan = matchIndexScanFast(s, scan);
    if (!isIndexScan) {
        const auto m = indexScan.match(s);
        isIndexScan = m.hasMatch();
        scan = { m.capturedView(1), m.capturedView(2), m.capturedView(3), m.capturedView(4) };
    }
    if (*isIndexScan) {
        put(o, u"Node Type", textValue(scan.type));
        put(o, u"Scan Direction",
            textValue(scan.backward.isEmpty() ? QStringView(u"Forward") : QStringView(u"Backward")));
        put(o, u"Index Name", textValue(scan.index));
        setRelation(identifierTokens(scan.relation), u"Relation Name");
        return;
    }
    static const QRegularExpression customScan(QStringLiteral("^Custom Scan \\(([^)]*)\\)(?: on (.+))?$"));
    if (const auto m = startsWithAscii(s, "Custom Scan (") ? customScan.match(s) : QRegularExpressionMatch();
        m.hasMatch()) {
        put(o, u"Node Type", textValue(u"Custom Scan"));
        put(o, u"Custom Plan Provider", textValue(m.capturedView(1)));
        setRelation(identifierTokens(m.capturedView(2)), u"Relation Name");
        return;
    }
    const qsizetype on = s.indexOf(QLatin1String(" on "));
    if (on > 0) {
        const QStringView type = s.left(on);
        const auto tokens = identifierTokens(s.mid(on + 4));
        put(o, u"Node Type", textValue(type));
        if (equalsAscii(type, "Bitmap Index Scan"))
            put(o, u"Index Name", textValue(tokens.value(0)));
        else if (equalsAscii(type, "CTE Scan"))
            setRelation(tokens, u"CTE Name");
        else if (equalsAscii(type, "Function Scan"))
            setRelation(tokens, u"Function Name");
        else if (equalsAscii(type, "Table Function Scan"))
            setRelation(tokens, u"Table Function Name");
        else if (equalsAscii(type, "Named Tuplestore Scan"))
            setRelation(tokens, u"Tuplestore Name");
        else if (equalsAscii(type, "Subquery Scan") || equalsAscii(type, "WorkTable Scan")
            || equalsAscii(type, "Values Scan"))
            setRelation(tokens, u"Alias");
        else
            setRelation(tokens, u"Relation Name");
        return;
    }
    put(o, u"Node Type", textValue(s));
}

bool isSubplanLabel(QStringView t)
{
    static const QRegularExpression re(
        QStringLiteral("^(?:InitPlan \\d+(?: \\(returns [^)]*\\))?|SubPlan \\d+(?: \\(returns [^)]*\\))?|CTE \\S.*)$"));
    if (!startsWithAscii(t, "InitPlan ") && !startsWithAscii(t, "SubPlan ") && !startsWithAscii(t, "CTE "))
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
    if (startsWithAscii(t, "Trigger ") && t.contains(QLatin1String(": time=")))
        return true;
    const qsizetype colon = t.indexOf(QLatin1Char(':'));
    return colon > 0 && topLevelKeys().contains(t.left(colon));
}

// A terminal or mail client cuts long lines at a column, usually inside a token: join without a space, except
// between two parenthesized groups and after a comma, where PostgreSQL always puts one.
bool joinsWithoutSpace(QStringView prev, QStringView next)
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
        if (equalsAscii(k, "Deform"))
            generation.insert(QStringLiteral("Deform"), jsonNumber(m.capturedView(2)));
        else
            timing.insert(k, jsonNumber(m.capturedView(2)));
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

} // namespace

Result<Plan> parseTextPlan(const QByteArray &input)
{
    if (auto st = checkPlanInput(input); !st)
        return st.error();
    // Everything the nodes' records point at; the plan keeps it until their fields are written (PlanSource).
    const auto text = std::make_shared<TextPlan>();
    std::vector<QStringView> lines;
    {
        // One string for all lines (UTF-16 never needs more units than UTF-8 has bytes), decoded line by line as
        // QString::fromUtf8() decodes each.
        const UnframedLines raw = unframeLines(input);
        qsizetype units = 0;
        for (const QByteArrayView l : raw.lines)
            units += l.size();
        text->decoded = QString(units, Qt::Uninitialized);
        QChar *out = text->decoded.data();
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        lines.reserve(size_t(raw.lines.size()));
        for (const QByteArrayView l : raw.lines) {
            QChar *from = out;
            out = utf8.appendToBuffer(out, l);
            const QStringView line(from, out - from);
            lines.push_back(line.contains(QLatin1Char('\t')) ? text->keep(expandTabs(line)) : line);
        }
    }
    // Lines copied from a grid as CSV cells: "Seq Scan on t  (cost=...)".
    if (!lines.empty() && std::all_of(lines.cbegin(), lines.cend(), [](QStringView l) {
            const QStringView t = l.trimmed();
            return t.size() >= 2 && t.startsWith(QLatin1Char('"')) && t.endsWith(QLatin1Char('"'));
        })) {
        for (QStringView &l : lines) {
            const int indent = indentOf(l);
            const QStringView t = l.trimmed();
            l = text->keep(QString(indent, QLatin1Char(' '))
                + t.mid(1, t.size() - 2).toString().replace(QLatin1String("\"\""), QLatin1String("\"")));
        }
    }

    Plan plan;
    plan.format = PlanFormat::Text;
    QJsonObject &top = text->top;

    // The root: the first line that is a node (with its parentheses), or the first line that is nothing else.
    qsizetype rootIndex = -1;
    QStringList queryText;
    for (size_t i = 0; i < lines.size(); ++i) {
        const QStringView t = lines[i].trimmed();
        // auto_explain: "LOG:  duration: 1.2 ms  plan:" then "Query Text: ...", possibly over several lines.
        if (t.contains(QLatin1String("plan:")) && t.contains(QLatin1String("duration:")))
            continue;
        if (equalsAscii(t, "QUERY PLAN"))
            continue;
        if (startsWithAscii(t, "Query Text:")) {
            queryText.append(t.mid(11).trimmed().toString());
            continue;
        }
        const auto node = parseNodeLine(startsWithAscii(t, "->") ? t.mid(2) : t);
        if (node && node->hasParens) {
            rootIndex = qsizetype(i);
            break;
        }
        if (!queryText.isEmpty()) {
            queryText.append(t.toString());
            continue;
        }
        if (!isKeyValue(t) && !isSubplanLabel(t) && node && startsWithNodeName(node->description)) {
            rootIndex = qsizetype(i);
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
    // Each line with its indentation and its text without it, measured once.
    struct BodyLine {
        QStringView line, text;
        int indent = 0;
    };
    auto measured = [](QStringView line) {
        const int indent = indentOf(line);
        return BodyLine { line, line.mid(indent).trimmed(), indent };
    };
    std::vector<BodyLine> body;
    body.reserve(lines.size() - size_t(rootIndex));
    for (size_t i = size_t(rootIndex); i < lines.size(); ++i) {
        const BodyLine b = measured(lines[i]);
        const QStringView t = b.text;
        const bool known = i == size_t(rootIndex) || startsWithAscii(t, "->") || isSubplanLabel(t) || isKeyValue(t)
            || isWorkerLine(t) || isTopLevelLine(t);
        if (!known && !body.empty()) {
            QString joined = body.back().line.toString();
            if (!joinsWithoutSpace(joined, t))
                joined += QLatin1Char(' ');
            joined += t;
            body.back() = measured(text->keep(std::move(joined)));
            continue;
        }
        body.push_back(b);
    }

    std::vector<TextPlan::Node> &nodes = text->nodes;
    nodes.reserve(body.size() / 2 + 1);
    const int rootColumn = body.front().indent;
    struct Frame {
        int node;
        int column;
    };
    std::vector<Frame> stack;
    QStringView pendingLabel;
    int pendingLabelColumn = -1;
    enum class Section { None, Planning, Jit };
    Section section = Section::None;
    int workerNode = -1, workerNumber = -1, workerColumn = -1;
    TextRecord planning;
    QJsonObject jit;
    QJsonArray triggers;

    auto addNode = [&](const NodeLine &line, int column, int parent) -> Status {
        TextPlan::Node n;
        n.parent = parent;
        n.depth = parent < 0 ? 0 : nodes[size_t(parent)].depth + 1;
        if (n.depth >= maxPlanDepth)
            return inputError(
                QStringLiteral("The plan nests deeper than %1 levels; this is not EXPLAIN output.").arg(maxPlanDepth));
        parseDescription(line.description, n.fields);
        if (line.startupCost) {
            put(n.fields, u"Startup Cost", numberValue(*line.startupCost));
            put(n.fields, u"Total Cost", numberValue(*line.totalCost));
            put(n.fields, u"Plan Rows", numberValue(*line.planRows));
            put(n.fields, u"Plan Width", numberValue(*line.planWidth));
        }
        if (line.actualLoops) {
            if (line.actualTotal) {
                put(n.fields, u"Actual Startup Time", numberValue(*line.actualStartup));
                put(n.fields, u"Actual Total Time", numberValue(*line.actualTotal));
            }
            put(n.fields, u"Actual Rows", numberValue(*line.actualRows));
            put(n.fields, u"Actual Loops", numberValue(*line.actualLoops));
        } else if (line.neverExecuted) {
            put(n.fields, u"Actual Rows", numberValue(0));
            put(n.fields, u"Actual Loops", numberValue(0));
        }
        if (parent >= 0) {
            QStringView relationship;
            if (!pendingLabel.isEmpty() && column > pendingLabelColumn) {
                relationship
                    = startsWithAscii(pendingLabel, "SubPlan") ? QStringView(u"SubPlan") : QStringView(u"InitPlan");
                put(n.fields, u"Subplan Name", textValue(pendingLabel));
            } else {
                TextPlan::Node &p = nodes[size_t(parent)];
                const QStringView pt = textOf(p.fields, u"Node Type");
                const int ordinary = p.ordinaryChildren++;
                if (equalsAscii(pt, "Append") || equalsAscii(pt, "Merge Append") || equalsAscii(pt, "BitmapAnd")
                    || equalsAscii(pt, "BitmapOr"))
                    relationship = u"Member";
                else if (equalsAscii(pt, "Subquery Scan"))
                    relationship = u"Subquery";
                else
                    relationship = ordinary == 0 ? QStringView(u"Outer") : QStringView(u"Inner");
            }
            put(n.fields, u"Parent Relationship", textValue(relationship));
        }
        pendingLabel = QStringView();
        pendingLabelColumn = -1;
        nodes.push_back(std::move(n));
        stack.push_back({ int(nodes.size()) - 1, column });
        return {};
    };

    for (size_t i = 0; i < body.size(); ++i) {
        const int indent = body[i].indent;
        const QStringView t = body[i].text;
        const qsizetype lineNumber = qsizetype(i) + 1;
        if (i == 0) {
            const auto node = parseNodeLine(startsWithAscii(t, "->") ? t.mid(2).trimmed() : t);
            if (auto st = addNode(*node, indent, -1); !st)
                return st.error();
            continue;
        }
        if (startsWithAscii(t, "->")) {
            section = Section::None;
            workerNode = -1;
            const QStringView rest = t.mid(2);
            const int column = indent + 2 + indentOf(rest);
            const auto node = parseNodeLine(rest.trimmed());
            if (!node)
                return inputError(
                    QStringLiteral("Line %1 has an arrow but no plan node: \"%2\".").arg(lineNumber).arg(t.left(80)));
            while (!stack.empty() && stack.back().column >= indent)
                stack.pop_back();
            if (stack.empty())
                return inputError(QStringLiteral("Line %1 is indented left of the plan's root: \"%2\".")
                                      .arg(lineNumber)
                                      .arg(t.left(80)));
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
            if (startsWithAscii(t, "Trigger ")) {
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
                    tr.insert(QStringLiteral("Time"), jsonNumber(m.capturedView(4)));
                    tr.insert(QStringLiteral("Calls"), jsonNumber(m.capturedView(5)));
                    triggers.append(tr);
                }
            } else if (equalsAscii(key, "Planning Time")) {
                top.insert(key, msValue(value));
            } else if (equalsAscii(key, "Execution Time") || equalsAscii(key, "Total runtime")) {
                top.insert(QStringLiteral("Execution Time"), msValue(value));
            } else if (equalsAscii(key, "Planning")) {
                section = Section::Planning;
            } else if (equalsAscii(key, "JIT")) {
                section = Section::Jit;
            } else if (equalsAscii(key, "Settings")) {
                QJsonObject settings;
                std::vector<QStringView> items;
                splitTopLevel(value, QLatin1Char(','), items);
                for (const QStringView item : items) {
                    const qsizetype eq = item.indexOf(QLatin1String(" = "));
                    if (eq < 0)
                        continue;
                    QString v = item.mid(eq + 3).trimmed().toString();
                    if (v.size() >= 2 && v.startsWith(QLatin1Char('\'')) && v.endsWith(QLatin1Char('\'')))
                        v = v.mid(1, v.size() - 2).replace(QLatin1String("''"), QLatin1String("'"));
                    settings.insert(item.left(eq).trimmed().toString(), v);
                }
                top.insert(key, settings);
            } else {
                top.insert(key, value);
            }
            continue;
        }
        if (section != Section::None && indent > rootColumn && isKeyValue(t)) {
            const qsizetype colon = t.indexOf(QLatin1Char(':'));
            const QStringView key = t.left(colon);
            const QStringView value = t.mid(colon + 1).trimmed();
            if (section == Section::Planning) {
                if (equalsAscii(key, "Buffers")) {
                    parseBuffers(value, planning, *text);
                } else if (equalsAscii(key, "Memory")) {
                    static const QRegularExpression re(QStringLiteral("used=([0-9.]+)kB\\s+allocated=([0-9.]+)kB"));
                    if (const auto m = re.match(value); m.hasMatch()) {
                        put(planning, u"Memory Used", number(m.capturedView(1)));
                        put(planning, u"Memory Allocated", number(m.capturedView(2)));
                    }
                } else {
                    put(planning, key, textValue(value));
                }
            } else {
                const QString jitKey = key.toString();
                if (equalsAscii(key, "Functions")) {
                    jit.insert(jitKey, jsonNumber(value));
                } else if (equalsAscii(key, "Options")) {
                    QJsonObject options;
                    std::vector<QStringView> items;
                    splitTopLevel(value, QLatin1Char(','), items);
                    for (const QStringView item : items) {
                        const qsizetype sp = item.lastIndexOf(QLatin1Char(' '));
                        if (sp > 0)
                            options.insert(item.left(sp).toString(), item.mid(sp + 1) == QLatin1String("true"));
                    }
                    jit.insert(jitKey, options);
                } else if (equalsAscii(key, "Timing")) {
                    jit.insert(jitKey, parseJitTiming(value.toString()));
                } else {
                    jit.insert(jitKey, value.toString());
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
                return inputError(QStringLiteral("Line %1 is indented left of the plan's root: \"%2\".")
                                      .arg(lineNumber)
                                      .arg(t.left(80)));
            pendingLabel = t;
            pendingLabelColumn = indent;
            continue;
        }
        // A property of a node, or of one of its workers.
        if (workerNode >= 0 && indent > workerColumn && !isWorkerLine(t)) {
            TextPlan::Node &n = nodes[size_t(workerNode)];
            applyDetail(t, n.workers[workerNumber], n.lastKey, *text);
            continue;
        }
        workerNode = -1;
        while (stack.size() > 1 && stack.back().column >= indent)
            stack.pop_back();
        TextPlan::Node &n = nodes[size_t(stack.back().node)];
        if (isWorkerLine(t)) {
            static const QRegularExpression re(QStringLiteral("^Worker (\\d+):\\s*(.*)$"));
            const auto m = re.match(t);
            workerNode = stack.back().node;
            workerNumber = m.capturedView(1).toInt();
            workerColumn = indent;
            TextRecord &w = n.workers[workerNumber];
            put(w, u"Worker Number", numberValue(workerNumber));
            const QStringView rest = m.capturedView(2).trimmed();
            const auto actual = parseNodeLine(QString(QStringLiteral("Worker (") + rest.toString() + QLatin1Char(')')));
            if (startsWithAscii(rest, "actual") && actual && actual->actualLoops) {
                if (actual->actualTotal) {
                    put(w, u"Actual Startup Time", numberValue(*actual->actualStartup));
                    put(w, u"Actual Total Time", numberValue(*actual->actualTotal));
                }
                put(w, u"Actual Rows", numberValue(*actual->actualRows));
                put(w, u"Actual Loops", numberValue(*actual->actualLoops));
            } else if (!rest.isEmpty()) {
                applyDetail(rest, w, n.lastKey, *text);
            }
            continue;
        }
        if (isKeyValue(t)) {
            applyDetail(t, n.fields, n.lastKey, *text);
        } else if (const TextValue *last = n.lastKey.isEmpty() ? nullptr : find(n.fields, n.lastKey);
                   last && last->kind == TextValue::Kind::Text) {
            put(n.fields, n.lastKey, textValue(text->keep(last->text.toString() + QLatin1Char(' ') + t.toString())));
        } else {
            plan.parseWarnings.append(
                QStringLiteral("Line %1 was not understood and is ignored: \"%2\".").arg(lineNumber).arg(t.left(80)));
        }
    }

    if (!planning.isEmpty())
        top.insert(QStringLiteral("Planning"), toQJsonObject(planning, text->lists));
    if (!jit.isEmpty())
        top.insert(QStringLiteral("JIT"), jit);
    if (!triggers.isEmpty())
        top.insert(QStringLiteral("Triggers"), triggers);

    // The typed members straight from the records; every key (fields()) from a tape written when first asked for.
    const auto source = std::make_shared<const PlanSource>(
        [text = std::shared_ptr<const TextPlan>(text)] { return writeFieldsTape(*text); });
    plan.nodes.resize(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
        TextPlan::Node &tn = nodes[i];
        PlanNode &n = plan.nodes[i];
        n.id = int(i);
        n.parent = tn.parent;
        n.depth = tn.depth;
        if (n.parent >= 0)
            plan.nodes[size_t(n.parent)].children.append(n.id);
        if (!tn.workers.isEmpty()) {
            TextValue workers;
            workers.kind = TextValue::Kind::Workers;
            put(tn.fields, u"Workers", workers);
        }
        if (auto st = fillNode(n, tn.fields, tn.workers, text->lists); !st)
            return st.error();
        n.source = source;
        n.sourceObject = quint32(i);
    }
    // The top level through the JSON reader's rules (a few keys).
    JsonWriter topJson(JsonWriter::Format::Compact);
    topJson.value(top);
    const QByteArray topText = topJson.take();
    auto topTape = JsonTape::parse(topText, 0, topText.size());
    if (!topTape.ok()) // cannot happen: JsonWriter wrote it
        return Error::make(errc::Internal, topTape.error().message);
    if (auto st = fillTop(plan, topTape.value(), 0); !st)
        return st.error();
    finishPlan(plan);
    return plan;
}

} // namespace plansight
