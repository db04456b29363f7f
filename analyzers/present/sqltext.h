#pragma once

// SQL as text for a DBA to paste into psql: what PlanSight ran, with the values it bound. PlanSight itself
// never runs this text (it binds parameters, see pg/pgsession.h); this is only for the clipboard and reports.

#include <QString>
#include <QStringList>

namespace plansight {

// A SQL string literal: 'it''s'. Backslashes stay as they are (standard_conforming_strings, on since
// PostgreSQL 9.1); a value with a NUL byte cannot be a literal and gives an empty result.
QString quoteSqlLiteral(const QString &value);

// A psql script that runs `sql` with `params` bound as $1, $2, ... the way PlanSight ran it:
//   PREPARE plansight_query AS
//   <sql>;
//   EXECUTE plansight_query('v1', 'v2');
//   DEALLOCATE plansight_query;
// Parameter types are inferred by the server from the query, as they were when PlanSight bound them as text.
// Without parameters it is the SQL and a semicolon. The statement keeps its own trailing semicolon only once.
QString psqlReplayScript(const QString &sql, const QStringList &params);

} // namespace plansight
