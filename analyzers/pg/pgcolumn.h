#pragma once

// One column of a query's result as texts, row by row: the names, ids or tags a catalog query lists.

#include "pg/pgsession.h"

#include <QStringList>

namespace plansight {

inline QStringList columnTexts(const PgResult &result, int column = 0)
{
    QStringList out;
    out.reserve(result.rows());
    for (int i = 0; i < result.rows(); ++i)
        out << result.value(i, column);
    return out;
}

} // namespace plansight
