#include "plan/jsonwriter_p.h"

#include "plan/jsontape_p.h"

#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QVarLengthArray>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace plansight::planinternal {

namespace {

char hexDigit(unsigned v)
{
    return char(v < 10 ? '0' + v : 'a' + v - 10);
}

// Whether an ASCII byte must be escaped in a JSON string.
bool needsEscape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

// Writes the escape of an ASCII byte that needs one; returns the end.
char *escapeAscii(char *p, unsigned char c)
{
    *p++ = '\\';
    switch (c) {
    case '"':
        *p++ = '"';
        break;
    case '\\':
        *p++ = '\\';
        break;
    case '\b':
        *p++ = 'b';
        break;
    case '\f':
        *p++ = 'f';
        break;
    case '\n':
        *p++ = 'n';
        break;
    case '\r':
        *p++ = 'r';
        break;
    case '\t':
        *p++ = 't';
        break;
    default:
        *p++ = 'u';
        *p++ = '0';
        *p++ = '0';
        *p++ = hexDigit(c >> 4);
        *p++ = hexDigit(c & 0xF);
        break;
    }
    return p;
}

bool isAscii(std::string_view s)
{
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        quint64 block;
        std::memcpy(&block, s.data() + i, 8);
        if (block & 0x8080808080808080ULL)
            return false;
    }
    for (; i < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) >= 0x80)
            return false;
    return true;
}

// A number of the tape that is written as it stands: a JSON integer of at most 15 digits (exact as a double, so
// Qt writes the same digits back). "-0" is not one of them (Qt writes 0).
bool isPlainInteger(std::string_view s)
{
    size_t i = s.size() > 0 && s.front() == '-' ? 1 : 0;
    const size_t digits = s.size() - i;
    if (digits == 0 || digits > 15)
        return false;
    if (s[i] == '0')
        return digits == 1 && i == 0;
    for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

// A number of the tape that Qt writes back as it stands: a plain decimal of at most 15 significant digits (so the
// double read from it writes back as those digits), without trailing zeros (a whole value would be written as an
// integer), from 0.001 up (smaller values may be written with an exponent).
bool isPlainDecimal(std::string_view s)
{
    size_t i = s.size() > 0 && s.front() == '-' ? 1 : 0;
    const size_t intFrom = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    const size_t intDigits = i - intFrom;
    if (intDigits == 0 || (s[intFrom] == '0' && intDigits > 1) || i >= s.size() || s[i] != '.')
        return false;
    const size_t fracFrom = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    if (i != s.size() || i == fracFrom || s.back() == '0')
        return false;
    size_t significant = intDigits + (i - fracFrom);
    if (s[intFrom] == '0') {
        size_t zeros = 0;
        while (fracFrom + zeros < i && s[fracFrom + zeros] == '0')
            ++zeros;
        if (zeros > 2)
            return false;
        significant -= 1 + zeros;
    }
    return significant <= 15;
}

} // namespace

JsonWriter::JsonWriter(Format format, qsizetype expectedBytes) : m_indented(format == Format::Indented)
{
    m_buffer.resize(std::max<qsizetype>(expectedBytes, 64));
    m_p = m_buffer.data();
    m_end = m_p + m_buffer.size();
}

JsonWriter::JsonWriter(Format format, Sink sink, qsizetype chunkBytes) : JsonWriter(format, chunkBytes)
{
    m_sink = std::move(sink);
}

void JsonWriter::grow(qsizetype n)
{
    if (m_sink && m_p > m_buffer.data()) {
        m_sink(m_buffer.data(), m_p - m_buffer.data());
        m_p = m_buffer.data();
        if (m_end - m_p >= n)
            return;
    }
    const qsizetype used = m_p - m_buffer.data();
    m_buffer.resize(std::max(m_buffer.size() * 2, used + n + 64));
    m_p = m_buffer.data() + used;
    m_end = m_buffer.data() + m_buffer.size();
}

void JsonWriter::finish()
{
    if (m_sink && m_p > m_buffer.data())
        m_sink(m_buffer.data(), m_p - m_buffer.data());
    m_p = m_buffer.data();
    m_levels.clear();
    m_afterKey = false;
}

QByteArray JsonWriter::take()
{
    m_buffer.resize(m_p - m_buffer.data());
    QByteArray out = std::move(m_buffer);
    m_buffer = QByteArray();
    m_buffer.resize(64);
    m_p = m_buffer.data();
    m_end = m_p + m_buffer.size();
    m_levels.clear();
    m_afterKey = false;
    return out;
}

void JsonWriter::open(char bracket)
{
    beginValue(2);
    put(bracket);
    if (m_indented)
        put('\n');
    m_levels.push_back({});
}

void JsonWriter::close(char bracket)
{
    const Level level = m_levels.back();
    m_levels.pop_back();
    const auto depth = qsizetype(m_levels.size());
    reserve(3 + 4 * depth);
    if (m_indented) {
        if (level.hasMembers)
            put('\n');
        indent(depth);
    }
    put(bracket);
    if (m_indented && depth == 0)
        put('\n');
}

void JsonWriter::key(QStringView name)
{
    beginMember(6 * name.size() + 4);
    put('"');
    escaped(name);
    endKey();
}

void JsonWriter::keyUtf8(std::string_view name)
{
    if (!isAscii(name)) {
        key(QString::fromUtf8(name.data(), qsizetype(name.size())));
        return;
    }
    beginMember(6 * qsizetype(name.size()) + 4);
    put('"');
    escapedUtf8(name);
    endKey();
}

void JsonWriter::integer(qint64 i)
{
    beginValue(24);
    m_p = std::to_chars(m_p, m_p + 24, i).ptr;
}

void JsonWriter::number(double d)
{
    // QJsonValue(double) holds a whole number of at most 2^53 as an integer.
    constexpr double maxExact = 9007199254740992.0; // 2^53
    if (d >= -maxExact && d <= maxExact) {
        const auto i = qint64(d);
        if (double(i) == d) {
            integer(i);
            return;
        }
    }
    if (!std::isfinite(d)) {
        null();
        return;
    }
    beginValue(32);
    // Qt writes the shorter of the plain and the exponent form of the shortest digits that read back as d, the
    // plain one when they are as long; from 0.001 up the plain one is never longer, and std::to_chars gives those
    // digits. Smaller numbers, and whole numbers beyond 2^53, are left to Qt.
    if (const double a = std::abs(d); a >= 1e-3 && a < maxExact) {
        m_p = std::to_chars(m_p, m_p + 32, d, std::chars_format::fixed).ptr;
        return;
    }
    const QByteArray text = QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    reserve(text.size());
    put(text.constData(), text.size());
}

void JsonWriter::string(QStringView s)
{
    beginValue(6 * s.size() + 2);
    put('"');
    escaped(s);
    put('"');
}

void JsonWriter::stringUtf8(std::string_view s)
{
    if (!isAscii(s)) {
        // As QString::fromUtf8 reads it (replacement characters, a byte order mark dropped), then as Qt writes that.
        string(QString::fromUtf8(s.data(), qsizetype(s.size())));
        return;
    }
    beginValue(6 * qsizetype(s.size()) + 2);
    put('"');
    escapedUtf8(s);
    put('"');
}

void JsonWriter::escaped(QStringView s)
{
    // Room was reserved for six bytes per code unit (the longest escape).
    const char16_t *src = s.utf16();
    const char16_t *const end = src + s.size();
    char *p = m_p;
    while (src != end) {
        const char16_t u = *src++;
        if (u < 0x80) {
            if (needsEscape(static_cast<unsigned char>(u)))
                p = escapeAscii(p, static_cast<unsigned char>(u));
            else
                *p++ = char(u);
        } else if (u < 0x800) {
            *p++ = char(0xC0 | (u >> 6));
            *p++ = char(0x80 | (u & 0x3F));
        } else if (!QChar::isSurrogate(u)) {
            *p++ = char(0xE0 | (u >> 12));
            *p++ = char(0x80 | ((u >> 6) & 0x3F));
            *p++ = char(0x80 | (u & 0x3F));
        } else if (QChar::isHighSurrogate(u) && src != end && QChar::isLowSurrogate(*src)) {
            const char32_t cp = QChar::surrogateToUcs4(u, *src++);
            *p++ = char(0xF0 | (cp >> 18));
            *p++ = char(0x80 | ((cp >> 12) & 0x3F));
            *p++ = char(0x80 | ((cp >> 6) & 0x3F));
            *p++ = char(0x80 | (cp & 0x3F));
        } else {
            // A lone surrogate: Qt writes the code unit as an escape.
            *p++ = '\\';
            *p++ = 'u';
            *p++ = hexDigit((u >> 12) & 0xF);
            *p++ = hexDigit((u >> 8) & 0xF);
            *p++ = hexDigit((u >> 4) & 0xF);
            *p++ = hexDigit(u & 0xF);
        }
    }
    m_p = p;
}

void JsonWriter::escapedUtf8(std::string_view s)
{
    // ASCII only (the callers check); room reserved for six bytes per byte.
    char *p = m_p;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (needsEscape(u))
            p = escapeAscii(p, u);
        else
            *p++ = c;
    }
    m_p = p;
}

void JsonWriter::strings(const QStringList &list)
{
    beginArray();
    for (const QString &s : list)
        string(s);
    endArray();
}

void JsonWriter::value(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        boolean(v.toBool());
        return;
    case QJsonValue::Double: {
        // A number QJsonValue holds as an integer (beyond 2^53 too, when it was made from a qint64) is written
        // exactly; a double as number() writes it.
        const QCborValue c = QCborValue::fromJsonValue(v);
        if (c.isInteger())
            integer(c.toInteger());
        else
            number(c.toDouble());
        return;
    }
    case QJsonValue::String:
        string(v.toString());
        return;
    case QJsonValue::Array: {
        beginArray();
        const QJsonArray a = v.toArray();
        for (const QJsonValue &e : a)
            value(e);
        endArray();
        return;
    }
    case QJsonValue::Object: {
        beginObject();
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            key(it.key());
            value(it.value());
        }
        endObject();
        return;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    null();
}

void JsonWriter::tapeValue(const JsonTape &tape, quint32 i, std::string_view skipKey)
{
    switch (tape.type(i)) {
    case JsonTape::Type::Null:
        null();
        return;
    case JsonTape::Type::False:
        boolean(false);
        return;
    case JsonTape::Type::True:
        boolean(true);
        return;
    case JsonTape::Type::Number: {
        const std::string_view raw = tape.raw(i);
        if (isPlainInteger(raw) || isPlainDecimal(raw)) {
            beginValue(qsizetype(raw.size()));
            put(raw.data(), qsizetype(raw.size()));
        } else {
            number(tape.number(i));
        }
        return;
    }
    case JsonTape::Type::String:
        if (tape.escaped(i)) {
            string(tape.string(i));
        } else if (const std::string_view raw = tape.raw(i); isAscii(raw)) {
            // The tape's unescaped strings hold no quote, backslash or control byte (its reader refuses them):
            // ASCII is written as it stands.
            beginValue(qsizetype(raw.size()) + 2);
            put('"');
            put(raw.data(), qsizetype(raw.size()));
            put('"');
        } else {
            stringUtf8(raw);
        }
        return;
    case JsonTape::Type::Array:
        beginArray();
        for (quint32 e = JsonTape::first(i); e < tape.skip(i); e = tape.skip(e))
            tapeValue(tape, e);
        endArray();
        return;
    case JsonTape::Type::Object:
        tapeObject(tape, i, skipKey);
        return;
    }
}

void JsonWriter::tapeObject(const JsonTape &tape, quint32 object, std::string_view skipKey)
{
    // The members as QJsonObject holds them: sorted by key, a key given twice once with its last value. Keys are
    // compared as bytes while every key is plain ASCII (the same order as UTF-16's), else decoded.
    struct Member {
        quint32 key;
        quint32 order; // position in the input: the last of equal keys wins
    };
    QVarLengthArray<Member, 64> members;
    bool plain = true;
    quint32 order = 0;
    for (quint32 k = JsonTape::first(object); k < tape.skip(object); k = tape.skip(k + 1), ++order) {
        if (!skipKey.empty() && tape.equals(k, skipKey))
            continue;
        members.append({ k, order });
        plain = plain && !tape.escaped(k) && isAscii(tape.raw(k));
    }
    beginObject();
    if (plain) {
        std::sort(members.begin(), members.end(), [&tape](const Member &a, const Member &b) {
            const int c = tape.raw(a.key).compare(tape.raw(b.key));
            return c < 0 || (c == 0 && a.order < b.order);
        });
        for (qsizetype m = 0; m < members.size(); ++m) {
            if (m + 1 < members.size() && tape.raw(members[m].key) == tape.raw(members[m + 1].key))
                continue; // a later value for the same key follows
            const std::string_view name = tape.raw(members[m].key); // ASCII without a byte to escape (above)
            beginMember(qsizetype(name.size()) + 4);
            put('"');
            put(name.data(), qsizetype(name.size()));
            endKey();
            tapeValue(tape, members[m].key + 1);
        }
    } else {
        QVarLengthArray<QString, 64> names;
        for (const Member &m : members)
            names.append(tape.string(m.key));
        QVarLengthArray<qsizetype, 64> index;
        for (qsizetype m = 0; m < members.size(); ++m)
            index.append(m);
        std::sort(index.begin(), index.end(), [&names](qsizetype a, qsizetype b) {
            const int c = QStringView(names[a]).compare(names[b]);
            return c < 0 || (c == 0 && a < b);
        });
        for (qsizetype m = 0; m < index.size(); ++m) {
            if (m + 1 < index.size() && names[index[m]] == names[index[m + 1]])
                continue;
            key(names[index[m]]);
            tapeValue(tape, members[index[m]].key + 1);
        }
    }
    endObject();
}

} // namespace plansight::planinternal
