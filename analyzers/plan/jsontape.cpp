#include "plan/jsontape_p.h"
#include "plan/shortdecimal_p.h"

#include <QJsonArray>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace plansight::planinternal {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(QByteArray &out, char32_t cp)
{
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xC0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.append(char(0xE0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else {
        out.append(char(0xF0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3F)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    }
}

} // namespace

// The reader: one pass over the text, no recursion (the nesting limit is a number, not the stack's size).
class JsonTapeReader {
public:
    JsonTapeReader(JsonTape &tape, qsizetype begin, qsizetype end)
        : m_tape(tape), m_p(tape.m_text.constData()), m_n(end), m_i(begin), m_begin(begin)
    {
    }

    Status run()
    {
        // Most EXPLAIN text is indentation and punctuation; about one entry per 24 bytes.
        m_tape.m_entries.reserve(size_t((m_n - m_begin) / 24 + 16));
        std::vector<Open> open; // the containers being read
        skipSpace();
        for (;;) {
            // A value is expected here.
            if (m_i >= m_n)
                return truncated();
            const char c = m_p[m_i];
            if (c == '{' || c == '[') {
                if (open.size() >= size_t(JsonTape::maxNesting))
                    return Error::make(errc::Input,
                        QStringLiteral("The JSON plan nests too deeply to be EXPLAIN output (at byte %1).")
                            .arg(m_i - m_begin));
                open.push_back({ add(c == '{' ? JsonTape::Type::Object : JsonTape::Type::Array, m_i), 0, c == '{' });
                m_tape.m_objects += c == '{' ? 1 : 0;
                ++m_i;
                skipSpace();
                if (m_i >= m_n)
                    return truncated();
                if (m_p[m_i] == (c == '{' ? '}' : ']')) {
                    ++m_i;
                    close(open);
                } else {
                    open.back().count = 1;
                    if (c == '{') {
                        if (auto st = key(); !st)
                            return st;
                    }
                    continue;
                }
            } else if (c == '"') {
                if (auto st = string(); !st)
                    return st;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                if (auto st = number(); !st)
                    return st;
            } else if (c == 't' || c == 'f' || c == 'n') {
                if (auto st = literal(); !st)
                    return st;
            } else {
                return invalid("a value was expected", m_i);
            }
            // After a value: a separator, the end of containers, or the end of the document.
            for (;;) {
                skipSpace();
                if (open.empty()) {
                    if (m_i < m_n)
                        return invalid("text follows the JSON value", m_i);
                    return {};
                }
                if (m_i >= m_n)
                    return truncated();
                const char s = m_p[m_i];
                const bool inObject = open.back().object;
                if (s == ',') {
                    ++open.back().count;
                    ++m_i;
                    skipSpace();
                    if (inObject) {
                        if (auto st = key(); !st)
                            return st;
                    }
                    break;
                }
                if (s == (inObject ? '}' : ']')) {
                    ++m_i;
                    close(open);
                    continue;
                }
                return invalid(inObject ? "a comma or '}' was expected" : "a comma or ']' was expected", m_i);
            }
        }
    }

private:
    Error truncated() const
    {
        return Error::make(errc::Input,
            QStringLiteral("The JSON plan is truncated: it ends at byte %1 inside a value.").arg(m_n - m_begin));
    }
    Error invalid(const char *what, qsizetype at) const
    {
        return Error::make(errc::Input,
            QStringLiteral("The input is not valid EXPLAIN JSON: %1 at byte %2.")
                .arg(QLatin1String(what))
                .arg(at - m_begin));
    }
    quint32 add(JsonTape::Type type, qsizetype offset)
    {
        const auto index = quint32(m_tape.m_entries.size());
        m_tape.m_entries.push_back({ type, false, quint32(offset), 0, index + 1 });
        return index;
    }
    struct Open {
        quint32 index; // the container's entry
        quint32 count; // elements (members) begun so far
        bool object;
    };
    void close(std::vector<Open> &open)
    {
        const Open c = open.back();
        open.pop_back();
        auto &e = m_tape.m_entries[c.index];
        e.end = quint32(m_tape.m_entries.size());
        e.size = c.count;
    }
    void skipSpace()
    {
        // EXPLAIN's indentation is runs of spaces after a newline: sixteen at a time while they last.
        while (m_i < m_n) {
            if (m_i + 16 <= m_n) {
                const unsigned others = bytesNotSpace(m_i);
                if (others == 0) {
                    m_i += 16;
                    continue;
                }
                m_i += std::countr_zero(others); // the first byte that is not a space
            }
            if (!isSpace(m_p[m_i]))
                return;
            ++m_i; // a newline, a tab, or a space near the end
        }
    }
    // Bit k set: byte at+k is not ' '. Bit k set in stringStops: byte at+k is '"', '\\' or below 0x20.
#if defined(__SSE2__)
    unsigned bytesNotSpace(qsizetype at) const
    {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(m_p + at));
        return ~unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')))) & 0xFFFFu;
    }
    unsigned stringStops(qsizetype at) const
    {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(m_p + at));
        const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
        const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
        const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v); // unsigned v <= 0x1F
        return unsigned(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)));
    }
#else
    unsigned bytesNotSpace(qsizetype at) const
    {
        unsigned mask = 0;
        for (int k = 0; k < 16; ++k)
            mask |= unsigned(m_p[at + k] != ' ') << k;
        return mask;
    }
    unsigned stringStops(qsizetype at) const
    {
        unsigned mask = 0;
        for (int k = 0; k < 16; ++k) {
            const auto u = static_cast<unsigned char>(m_p[at + k]);
            mask |= unsigned(u == '"' || u == '\\' || u < 0x20) << k;
        }
        return mask;
    }
#endif
    // An object's key and its colon; the value follows.
    Status key()
    {
        if (m_i >= m_n)
            return truncated();
        if (m_p[m_i] != '"')
            return invalid("a key in double quotes was expected", m_i);
        if (auto st = string(); !st)
            return st;
        skipSpace();
        if (m_i >= m_n)
            return truncated();
        if (m_p[m_i] != ':')
            return invalid("':' was expected after a key", m_i);
        ++m_i;
        skipSpace();
        return {};
    }
    Status string()
    {
        const qsizetype start = ++m_i;
        bool escaped = false;
        for (;;) {
            // Runs of ordinary characters are the common case: find the next quote, backslash or control byte,
            // sixteen bytes at a time, then byte by byte near the end.
            while (m_i + 16 <= m_n) {
                const unsigned stops = stringStops(m_i);
                if (stops != 0) {
                    m_i += std::countr_zero(stops);
                    break;
                }
                m_i += 16;
            }
            while (m_i < m_n) {
                const auto u = static_cast<unsigned char>(m_p[m_i]);
                if (u == '"' || u == '\\' || u < 0x20)
                    break;
                ++m_i;
            }
            if (m_i >= m_n)
                return truncated();
            const char c = m_p[m_i];
            if (c == '"')
                break;
            if (c != '\\')
                return invalid("a control character inside a string", m_i);
            escaped = true;
            if (m_i + 1 >= m_n)
                return truncated();
            const char e = m_p[m_i + 1];
            if (e == 'u') {
                if (m_i + 5 >= m_n)
                    return truncated();
                for (int k = 2; k < 6; ++k)
                    if (hexDigit(m_p[m_i + k]) < 0)
                        return invalid("a \\u escape needs four hexadecimal digits", m_i);
                m_i += 6;
            } else if (std::strchr("\"\\/bfnrt", e) != nullptr && e != '\0') {
                m_i += 2;
            } else {
                return invalid("an unknown escape in a string", m_i);
            }
        }
        const quint32 index = add(JsonTape::Type::String, start);
        auto &entry = m_tape.m_entries[index];
        entry.size = quint32(m_i - start);
        entry.escaped = escaped;
        ++m_i; // the closing quote
        return {};
    }
    Status number()
    {
        const qsizetype start = m_i;
        auto digits = [this] {
            const qsizetype from = m_i;
            while (m_i < m_n && m_p[m_i] >= '0' && m_p[m_i] <= '9')
                ++m_i;
            return m_i > from;
        };
        if (m_p[m_i] == '-')
            ++m_i;
        if (m_i < m_n && m_p[m_i] == '0') {
            ++m_i;
        } else if (!digits()) {
            return m_i >= m_n ? truncated() : invalid("a malformed number", start);
        }
        if (m_i < m_n && m_p[m_i] == '.') {
            ++m_i;
            if (!digits())
                return m_i >= m_n ? truncated() : invalid("a malformed number", start);
        }
        if (m_i < m_n && (m_p[m_i] == 'e' || m_p[m_i] == 'E')) {
            ++m_i;
            if (m_i < m_n && (m_p[m_i] == '+' || m_p[m_i] == '-'))
                ++m_i;
            if (!digits())
                return m_i >= m_n ? truncated() : invalid("a malformed number", start);
        }
        const quint32 index = add(JsonTape::Type::Number, start);
        m_tape.m_entries[index].size = quint32(m_i - start);
        return {};
    }
    Status literal()
    {
        struct Word {
            const char *text;
            JsonTape::Type type;
        };
        static const Word words[] = { { "true", JsonTape::Type::True }, { "false", JsonTape::Type::False },
            { "null", JsonTape::Type::Null } };
        for (const Word &w : words) {
            const auto len = qsizetype(std::strlen(w.text));
            if (m_p[m_i] != w.text[0])
                continue;
            if (m_i + len > m_n) {
                if (std::memcmp(m_p + m_i, w.text, size_t(m_n - m_i)) == 0)
                    return truncated();
                break;
            }
            if (std::memcmp(m_p + m_i, w.text, size_t(len)) != 0)
                break;
            add(w.type, m_i);
            m_i += len;
            return {};
        }
        return invalid("an unknown word", m_i);
    }

    JsonTape &m_tape;
    const char *m_p;
    qsizetype m_n; // the end of the JSON in the text
    qsizetype m_i; // the next byte to read
    qsizetype m_begin; // the start of the JSON (error offsets count from here)
};

Result<std::shared_ptr<const JsonTape>> JsonTape::parse(QByteArray text, qsizetype begin, qsizetype end)
{
    Q_ASSERT(begin >= 0 && begin <= end && end <= text.size());
    if (text.size() >= qsizetype(std::numeric_limits<quint32>::max()))
        return Error::make(
            errc::Input, QStringLiteral("The JSON plan is too large to read (%1 bytes).").arg(text.size()));
    // The tape outlives the caller's buffer: text made with QByteArray::fromRawData (no allocation of its
    // own, so no capacity) is copied; shared text is only referenced.
    if (text.capacity() == 0 && !text.isEmpty())
        text = QByteArray(text.constData(), text.size());
    auto tape = std::make_shared<JsonTape>();
    tape->m_text = std::move(text);
    JsonTapeReader reader(*tape, begin, end);
    if (auto st = reader.run(); !st)
        return st.error();
    return std::shared_ptr<const JsonTape>(std::move(tape));
}

double JsonTape::number(quint32 i) const
{
    const Entry &e = m_entries[i];
    if (e.type != Type::Number)
        return 0;
    const char *p = m_text.constData() + e.offset;
    if (const auto d = shortDecimal(p, e.size))
        return *d;
    double v = 0;
    const auto r = std::from_chars(p, p + e.size, v);
    if (r.ec == std::errc::result_out_of_range) {
        // 1e999 is infinite (refused later as impossible), 1e-999 is 0.
        const std::string_view s(p, e.size);
        const auto exp = s.find_first_of("eE");
        const bool tiny = exp != std::string_view::npos && exp + 1 < s.size() && s[exp + 1] == '-';
        v = tiny ? 0.0 : (s.front() == '-' ? -1 : 1) * std::numeric_limits<double>::infinity();
    }
    return v;
}

QByteArray JsonTape::utf8(quint32 i) const
{
    const Entry &e = m_entries[i];
    if (e.type != Type::String)
        return {};
    const char *p = m_text.constData() + e.offset;
    if (!e.escaped)
        return QByteArray(p, e.size);
    QByteArray out;
    out.reserve(e.size);
    for (quint32 k = 0; k < e.size; ++k) {
        if (p[k] != '\\') {
            out.append(p[k]);
            continue;
        }
        const char c = p[++k];
        switch (c) {
        case 'b':
            out.append('\b');
            break;
        case 'f':
            out.append('\f');
            break;
        case 'n':
            out.append('\n');
            break;
        case 'r':
            out.append('\r');
            break;
        case 't':
            out.append('\t');
            break;
        case 'u': {
            char32_t cp = 0;
            for (int d = 1; d <= 4; ++d)
                cp = cp * 16 + char32_t(hexDigit(p[k + quint32(d)]));
            k += 4;
            // A surrogate pair is two escapes; a lone surrogate becomes U+FFFD.
            if (cp >= 0xD800 && cp <= 0xDBFF && k + 6 < e.size && p[k + 1] == '\\' && p[k + 2] == 'u') {
                char32_t low = 0;
                bool ok = true;
                for (int d = 3; d <= 6; ++d) {
                    const int h = hexDigit(p[k + quint32(d)]);
                    ok = ok && h >= 0;
                    low = low * 16 + char32_t(std::max(h, 0));
                }
                if (ok && low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    k += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;
            appendUtf8(out, cp);
            break;
        }
        default:
            out.append(c);
            break; // " \ /
        }
    }
    return out;
}

QString JsonTape::string(quint32 i) const
{
    const Entry &e = m_entries[i];
    if (e.type != Type::String)
        return {};
    if (!e.escaped)
        return QString::fromUtf8(m_text.constData() + e.offset, e.size);
    return QString::fromUtf8(utf8(i));
}

bool JsonTape::equals(quint32 i, std::string_view s) const
{
    const Entry &e = m_entries[i];
    if (e.type != Type::String)
        return false;
    if (!e.escaped)
        return e.size == s.size() && std::memcmp(m_text.constData() + e.offset, s.data(), s.size()) == 0;
    const QByteArray d = utf8(i);
    return std::string_view(d.constData(), size_t(d.size())) == s;
}

quint32 JsonTape::member(quint32 object, std::string_view key) const
{
    if (!isObject(object))
        return 0;
    for (quint32 k = first(object); k < skip(object); k = skip(k + 1))
        if (equals(k, key))
            return k + 1;
    return 0;
}

QJsonValue JsonTape::toQJson(quint32 i) const
{
    switch (type(i)) {
    case Type::Null:
        return QJsonValue(QJsonValue::Null);
    case Type::False:
        return false;
    case Type::True:
        return true;
    case Type::Number:
        return number(i);
    case Type::String:
        return string(i);
    case Type::Array: {
        QJsonArray a;
        for (quint32 k = first(i); k < skip(i); k = skip(k))
            a.append(toQJson(k));
        return a;
    }
    case Type::Object:
        return toQJsonObject(i);
    }
    return {};
}

QJsonObject JsonTape::toQJsonObject(quint32 object, std::string_view skipKey) const
{
    QJsonObject o;
    if (!isObject(object))
        return o;
    for (quint32 k = first(object); k < skip(object); k = skip(k + 1)) {
        if (!skipKey.empty() && equals(k, skipKey))
            continue;
        o.insert(string(k), toQJson(k + 1));
    }
    return o;
}

QString JsonTape::typeName(Type t)
{
    switch (t) {
    case Type::Null:
        return QStringLiteral("null");
    case Type::False:
    case Type::True:
        return QStringLiteral("a boolean");
    case Type::Number:
        return QStringLiteral("a number");
    case Type::String:
        return QStringLiteral("a string");
    case Type::Array:
        return QStringLiteral("an array");
    case Type::Object:
        return QStringLiteral("an object");
    }
    return QStringLiteral("undefined");
}

std::pair<const JsonTape *, quint32> PlanSource::locate(quint32 ref) const
{
    if (!m_lazy)
        return { m_tape.get(), ref };
    std::call_once(m_once, [this] {
        Built built = m_build();
        m_tape = std::move(built.tape);
        m_objects = std::move(built.objects);
        m_build = nullptr;
    });
    if (!m_tape || ref >= m_objects.size())
        return { nullptr, 0 };
    return { m_tape.get(), m_objects[ref] };
}

} // namespace plansight::planinternal
