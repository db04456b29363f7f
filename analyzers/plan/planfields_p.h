#pragma once

// Internal to analyzers/plan: turning PostgreSQL's JSON key/value records (which the text parser produces
// too) into typed PlanNode/Plan members, with validation. Not part of the public API.

#include "plan/jsontape_p.h"
#include "plan/plannode.h"
#include "util/result.h"

#include <QJsonArray>

#include <memory>
#include <optional>

namespace plansight::planinternal {

// Validates and copies the typed members of a node out of its JSON object on the tape, records the tape in
// the node (PlanNode::fields() reads it on demand) and lists its unknown keys. `node.id` names the node in
// errors. `plans`, when given, receives the tape index of its "Plans" value (0 when absent).
Status fillNode(PlanNode &node, const std::shared_ptr<const JsonTape> &tape, quint32 object, quint32 *plans = nullptr);
// Reads the top-level object (everything except "Plan") into `plan`; nothing when there is none (a bare node).
Status fillTop(Plan &plan, const std::shared_ptr<const JsonTape> &tape, std::optional<quint32> top);
// Sets Plan::analyzed/timed, derives metrics; for both parsers once the tree is complete.
void finishPlan(Plan &plan);

Error inputError(const QString &message);

// Splits "a, f(b, c), 'x,y'" at top-level commas (for text "Sort Key: ..." lines).
QStringList splitTopLevel(QStringView text, QChar separator = QLatin1Char(','));

} // namespace plansight::planinternal
