#pragma once

// Internal to analyzers/plan: writes JSON text byte for byte as QJsonDocument::toJson() writes the same document,
// compact or indented (four spaces a level), without building a QJsonObject per value.
//
// Why: `plansight explain --json` of a 10,000-node plan is 94 MB of indented text and must be written in under
// 100 ms (docs/architecture.md, "Performance targets"); building the QJsonObjects and letting Qt write them took
// about 730 ms. The text parser writes its records with it too (compact), for the JSON tape to read.
//
// What Qt does, and so what this does: an object's keys come in QJsonObject's order (UTF-16 code units compared
// lexicographically: jsonKeyLess), each once; the caller writes them in that order. A double that is a whole
// number of at most 2^53 is written as an integer ("3", never "3.0"; -0.0 as "0"), any other finite double in
// its shortest round-trip form as QByteArray::number(d, 'g', QLocale::FloatingPointShortest) does ("0.29",
// "1e-05", "1e+20"), and infinities and NaN as null. Strings are written as UTF-8 with `"`, `\`, and the control
// characters escaped (\b \f \n \r \t, else \u00XX), and a lone surrogate as \uXXXX. Indented output puts every
// member and element on its own line, writes an empty object as "{\n<indent>}", and ends the document with a
// newline; compact output has no whitespace at all.
//
// tests/unit/tst_planjson.cpp checks the writer against Qt on random documents and on every stored plan.

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <cstring>
#include <functional>
#include <string_view>
#include <vector>

namespace plansight::planinternal {

class JsonTape;

// QJsonObject's key order.
inline bool jsonKeyLess(QStringView a, QStringView b)
{
    return a.compare(b, Qt::CaseSensitive) < 0;
}

class JsonWriter {
public:
    enum class Format { Compact, Indented };
    // `expectedBytes`: the buffer's first size (it grows as needed).
    explicit JsonWriter(Format format, qsizetype expectedBytes = 4096);
    // Streaming: the text goes to `sink` in pieces of about `chunkBytes` as it is written, and the rest at finish(),
    // so a document of any size needs only one piece of memory (a 94 MB plan written into one buffer spent a quarter
    // of its time on the kernel's faulting in fresh pages; BENCHMARKS.md, "Plan engine").
    using Sink = std::function<void(const char *data, qsizetype size)>;
    JsonWriter(Format format, Sink sink, qsizetype chunkBytes = 1 << 20);

    // Containers, as the next value (of the document, of an array, or of the key just written).
    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    // An object's member: its key, then exactly one value. `name` must be ASCII without a character to escape
    // (the literal keys of PlanSight's own documents).
    void key(QLatin1String name)
    {
        beginMember(name.size() + 4);
        put('"');
        put(name.data(), name.size());
        endKey();
    }
    void key(QStringView name);
    // A key given as UTF-8 bytes (a key read from the tape): checked and escaped like a string.
    void keyUtf8(std::string_view name);

    // Values.
    void null() { literal("null", 4); }
    void boolean(bool b) { b ? literal("true", 4) : literal("false", 5); }
    void number(double d); // as QJsonValue(d) is written
    void integer(qint64 i);
    void string(QStringView s);
    void string(QLatin1String s) { string(QString(s)); }
    // A string given as UTF-8 bytes; invalid UTF-8 is replaced as QString::fromUtf8() replaces it.
    void stringUtf8(std::string_view s);
    // Any Qt JSON value; objects in QJsonObject's order.
    void value(const QJsonValue &v);
    // An array of strings.
    void strings(const QStringList &list);
    // Value `i` of the tape as QJsonValue would hold it (JsonTape::toQJson): objects in QJsonObject's key order,
    // a key given twice written once with its last value. `skipKey`: one member of an object left out.
    void tapeValue(const JsonTape &tape, quint32 i, std::string_view skipKey = {});

    // The text written so far; the writer is empty afterwards. Not with a sink.
    QByteArray take();
    // With a sink: hands it what is left. Call once, at the end of the document.
    void finish();

private:
    struct Level {
        bool hasMembers = false;
    };
    void open(char bracket);
    void close(char bracket);
    void literal(const char *text, qsizetype n)
    {
        beginValue(n);
        put(text, n);
    }
    // Before a value: in an array, the separator and the indentation; after a key, nothing.
    void beginValue(qsizetype bytes)
    {
        if (m_afterKey) {
            m_afterKey = false;
            reserve(bytes);
            return;
        }
        separate(bytes);
    }
    void beginMember(qsizetype bytes) { separate(bytes + 4); }
    void endKey()
    {
        if (m_indented) {
            put("\": ", 3);
        } else {
            put("\":", 2);
        }
        m_afterKey = true;
    }
    void separate(qsizetype bytes)
    {
        const qsizetype depth = qsizetype(m_levels.size());
        reserve(bytes + 2 + 4 * depth);
        if (depth == 0)
            return;
        Level &level = m_levels.back();
        if (level.hasMembers) {
            put(',');
            if (m_indented)
                put('\n');
        }
        level.hasMembers = true;
        if (m_indented)
            indent(depth);
    }
    void indent(qsizetype depth)
    {
        std::memset(m_p, ' ', size_t(4 * depth));
        m_p += 4 * depth;
    }
    // Room for n more bytes.
    void reserve(qsizetype n)
    {
        if (m_end - m_p < n)
            grow(n);
    }
    void grow(qsizetype n);
    // Unchecked: reserve() first.
    void put(char c) { *m_p++ = c; }
    void put(const char *s, qsizetype n)
    {
        std::memcpy(m_p, s, size_t(n));
        m_p += n;
    }
    void escaped(QStringView s);
    void escapedUtf8(std::string_view s);
    void tapeObject(const JsonTape &tape, quint32 object, std::string_view skipKey);

    QByteArray m_buffer;
    Sink m_sink;
    char *m_p = nullptr;
    char *m_end = nullptr;
    std::vector<Level> m_levels;
    bool m_indented;
    bool m_afterKey = false;
};

} // namespace plansight::planinternal
