#pragma once

// Extensions PlanSight creates (HypoPG to hide indexes during a benchmark; pg_cron or others a strategy needs) are
// objects like any other (docs/production.md, "Extensions"): on a server that is not the demo they are listed in the
// confirmation (objectsToConfirm(), strategies/safety.h), and PlanSight removes again what it created. An extension
// PlanSight creates carries its mark (COMMENT ON EXTENSION ... 'created by PlanSight ...'), so that a later session
// can remove it even when the one that created it was killed; an extension that was there before is never dropped.

#include "pg/pgsession.h"
#include "util/result.h"

namespace plansight {

// The start of the comment that marks an extension as PlanSight's.
inline const QString ExtensionMark = QStringLiteral("created by PlanSight");

struct ExtensionState {
    QString installed; // installed version, empty when not installed
    bool available = false; // the server could install it (pg_available_extensions)
    QString availableVersion; // the version CREATE EXTENSION would install
    bool ours = false; // installed and marked as PlanSight's
};

// True for a name PlanSight may put into DDL text: a lower-case SQL identifier ("hypopg", "pg_cron").
bool isExtensionName(const QString &name);
Result<ExtensionState> extensionState(PgSession &session, const QString &name);

// The statement that creates extension `name` when it is not installed and marks it as PlanSight's (a DO block, so
// that an extension that was there before keeps its own comment and is never dropped by PlanSight). `purpose` ends
// the mark ("for a benchmark", "for p1-matview").
QString createExtensionSql(const QString &name, const QString &purpose);
// The statement that drops extension `name` when it carries PlanSight's mark (a no-op otherwise).
QString dropExtensionIfCreatedSql(const QString &name);

// Creates `name` when it is not installed and `mayCreate` (runs createExtensionSql()). Returns whether it created it;
// false without an error when it is installed already or may not be created.
Result<bool> ensureExtension(PgSession &session, const QString &name, bool mayCreate, const QString &purpose);
// Drops `name` when PlanSight created it (its mark); returns whether it dropped it.
Result<bool> dropExtensionIfCreated(PgSession &session, const QString &name);

} // namespace plansight
