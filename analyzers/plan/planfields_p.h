#pragma once

// Internal to analyzers/plan: turning PostgreSQL's JSON key/value records (which the text parser produces
// too) into typed PlanNode/Plan members, with validation. Not part of the public API.

#include "plan/plannode.h"
#include "util/result.h"

#include <QJsonArray>

namespace plansight::planinternal {

// Validates and copies the typed members out of `node.fields` (already set). `node.id` names the node in errors.
Status fillNode(PlanNode &node);
// Reads the top-level keys (everything except "Plan") into `plan`.
Status fillTop(Plan &plan, const QJsonObject &top);
// Sets Plan::analyzed/timed, derives metrics; for both parsers once the tree is complete.
void finishPlan(Plan &plan);

Error inputError(const QString &message);

// Splits "a, f(b, c), 'x,y'" at top-level commas (for text "Sort Key: ..." lines).
QStringList splitTopLevel(const QString &text, QChar separator = QLatin1Char(','));

} // namespace plansight::planinternal
