#pragma once

// Internal to analyzers/plan: a validating JSON reader for EXPLAIN (FORMAT JSON) plans.
//
// Why not QJsonDocument: a 10,000-node plan must parse and derive in under 50 ms (docs/architecture.md, "Performance
// targets"), and Qt's parser plus one QJsonObject per node with a key lookup per field took about five times that.
// JsonTape parses the text once into a flat array of entries in document order ("the tape"), keeps the text, and
// decodes strings only when asked; a node's QJsonObject is built only when a view or `explain --json` wants
// every key.
//
// Layout: entry 0 is the document's value. A container's entries follow it: an array's elements, an
// object's members as key, value, key, value... Every entry knows where its subtree ends, so siblings are
// reached without walking children. Immutable once parsed; share it by shared_ptr across threads.

#include "util/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

namespace plansight::planinternal {

class JsonTape {
public:
    enum class Type : quint8 { Null, False, True, Number, String, Array, Object };

    // Deeper nesting is refused while reading (a plan of maxPlanDepth nodes nests twice as deep: each node
    // is an object inside a "Plans" array).
    static constexpr int maxNesting = 2100;

    // Parses the JSON document in text[begin, end) (nothing around it but whitespace), keeping `text`
    // (shared, not copied). Errors are one sentence with the byte offset (from `begin`): truncated input,
    // invalid syntax, nesting deeper than maxNesting.
    static Result<std::shared_ptr<const JsonTape>> parse(QByteArray text, qsizetype begin, qsizetype end);

    Type type(quint32 i) const { return m_entries[i].type; }
    bool isObject(quint32 i) const { return type(i) == Type::Object; }
    bool isArray(quint32 i) const { return type(i) == Type::Array; }
    bool isString(quint32 i) const { return type(i) == Type::String; }
    bool isNumber(quint32 i) const { return type(i) == Type::Number; }
    bool isNull(quint32 i) const { return type(i) == Type::Null; }
    bool isBool(quint32 i) const { return type(i) == Type::True || type(i) == Type::False; }
    // A number's value (read from the text, which the reader validated; 1e999 is infinite).
    double number(quint32 i) const;
    QString string(quint32 i) const;
    // The string's UTF-8 bytes; with escapes decoded (a copy) only when it has any.
    QByteArray utf8(quint32 i) const;
    // The raw bytes of a string without escapes (a view into the text); use utf8() when escaped().
    bool escaped(quint32 i) const { return m_entries[i].escaped; }
    std::string_view raw(quint32 i) const { return { m_text.constData() + m_entries[i].offset, m_entries[i].size }; }
    // Whether a string entry is exactly `s` (keys are compared this way without decoding them).
    bool equals(quint32 i, std::string_view s) const;
    // Elements of an array, members of an object.
    quint32 size(quint32 i) const { return m_entries[i].size; }
    // The entry after i's subtree: i's next sibling when there is one.
    quint32 skip(quint32 i) const { return m_entries[i].end; }
    // First element of an array / first key of an object (valid when size(i) > 0).
    static quint32 first(quint32 i) { return i + 1; }
    // The value of member `key` of object i, or 0 when absent (entry 0 is never a member's value).
    quint32 member(quint32 object, std::string_view key) const;
    // How many objects the document holds.
    quint32 objectCount() const { return m_objects; }
    // Byte offset of the entry in the text (for messages).
    qsizetype offset(quint32 i) const { return m_entries[i].offset; }

    // Qt's JSON types, built on demand. `skipKey` leaves one member out of an object (a node's "Plans").
    QJsonValue toQJson(quint32 i) const;
    QJsonObject toQJsonObject(quint32 object, std::string_view skipKey = {}) const;
    // "a string", "an object", ... for messages.
    static QString typeName(Type t);

private:
    // 16 bytes: a 10,000-node plan has about a million entries.
    struct Entry {
        Type type;
        bool escaped; // a string with backslash escapes (decode before use)
        quint32 offset; // first byte of the value in m_text (for strings: after the quote)
        quint32 size; // strings and numbers: byte length; arrays: elements; objects: members
        quint32 end; // index after this entry's subtree
    };
    QByteArray m_text;
    std::vector<Entry> m_entries;
    quint32 m_objects = 0;

    friend class JsonTapeReader;
};

// Where a parsed plan's nodes find every key PostgreSQL wrote (PlanNode::fields()): the tape of a JSON plan, or, for
// a text plan, a tape written from the text parser's records the first time any node's fields are asked for (a parse
// alone never asks: the typed members are filled from the records directly). Shared by the nodes of a plan; safe to
// use from several threads.
class PlanSource {
public:
    // A JSON plan: a node's reference is its object's index on the tape.
    explicit PlanSource(std::shared_ptr<const JsonTape> tape) : m_tape(std::move(tape)) { }
    // A text plan: `build` writes the tape once, and the object of reference r is objects[r].
    struct Built {
        std::shared_ptr<const JsonTape> tape;
        std::vector<quint32> objects;
    };
    explicit PlanSource(std::function<Built()> build) : m_lazy(true), m_build(std::move(build)) { }

    // The tape and the object that reference `ref` names in it; {nullptr, 0} when there is none.
    std::pair<const JsonTape *, quint32> locate(quint32 ref) const;
    // The same for a source that may be absent (a node that was not parsed).
    static std::pair<const JsonTape *, quint32> locate(const PlanSource *source, quint32 ref)
    {
        return source ? source->locate(ref) : std::pair<const JsonTape *, quint32>(nullptr, 0);
    }

private:
    const bool m_lazy = false;
    mutable std::once_flag m_once;
    mutable std::function<Built()> m_build; // released once it ran (it holds the text parser's records)
    mutable std::shared_ptr<const JsonTape> m_tape;
    mutable std::vector<quint32> m_objects;
};

} // namespace plansight::planinternal
