#pragma once

#include "util/result.h"

#include <QStringList>

namespace plansight {

// SQL is kept in resources/sql and compiled into plansight_core as Qt resources under ":/sql/".
// name is the path below resources/sql without the extension, e.g. "gallery/schema".
Result<QString> loadSql(const QString &name);
// Like loadSql, but aborts with a clear message: for files the program cannot run without
// (their presence is checked by tests/unit/tst_sqlfiles).
QString sql(const QString &name);
// Every SQL file compiled in, as names accepted by loadSql.
QStringList allSqlNames();

} // namespace plansight
