#pragma once

// Internal to analyzers/plan: turning PostgreSQL's key/value records (a JSON plan's objects on its tape, or the
// records the text parser builds under the same key names) into typed PlanNode/Plan members, with the same
// validation for both. Not part of the public API.

#include "plan/jsontape_p.h"
#include "plan/plannode.h"
#include "util/result.h"

#include <QJsonArray>
#include <QMap>
#include <QStringView>
#include <QVarLengthArray>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace plansight::planinternal {

// Validates and copies the typed members of a node out of its JSON object on the tape (`source`'s), records the
// source in the node (PlanNode::fields() reads it on demand) and lists its unknown keys. `node.id` names the node
// in errors. `plans`, when given, receives the tape index of its "Plans" value (0 when absent).
Status fillNode(PlanNode &node, const std::shared_ptr<const PlanSource> &source, const JsonTape &tape, quint32 object,
    quint32 *plans = nullptr);

// A record of the text parser: a node's (or a worker's) keys under PostgreSQL's JSON names, with their values, as
// the text said them. Texts are views of the parser's lines (or of strings it keeps beside them).
struct TextValue {
    enum class Kind : quint8 { Null, Number, Bool, Text, Texts, Workers };
    Kind kind = Kind::Null;
    bool flag = false; // Bool
    double number = 0; // Number
    QStringView text; // Text
    qsizetype first = 0, count = 0; // Texts: the items' place in the parser's TextLists
};
using TextMember = std::pair<QStringView, TextValue>; // key, value; a record holds a key once
using TextRecord = QVarLengthArray<TextMember, 24>; // a scan with VERBOSE and BUFFERS has about 18 keys
using TextLists = std::vector<QStringView>; // every Texts value's items, one after another

// The same as the other fillNode, from a text node's record and its workers' (by worker number), with the same rules
// and the same unknown keys (in the order a JSON object would list them). Does not set the node's source.
Status fillNode(PlanNode &node, const TextRecord &record, const QMap<int, TextRecord> &workers, const TextLists &lists);
// A record as Qt JSON (a Workers marker is null: the caller writes workers).
QJsonValue toQJson(const TextValue &value, const TextLists &lists);
QJsonObject toQJsonObject(const TextRecord &record, const TextLists &lists);
// Reads the top-level object (everything except "Plan") into `plan`; nothing when there is none (a bare node).
Status fillTop(Plan &plan, const std::shared_ptr<const JsonTape> &tape, std::optional<quint32> top);
// Sets Plan::analyzed/timed, derives metrics; for both parsers once the tree is complete.
void finishPlan(Plan &plan);

Error inputError(const QString &message);

// Splits "a, f(b, c), 'x,y'" at top-level commas (for text "Sort Key: ..." lines), appending the parts (views of
// `text`, trimmed) to `out`.
void splitTopLevel(QStringView text, QChar separator, std::vector<QStringView> &out);

} // namespace plansight::planinternal
