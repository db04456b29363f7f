#include "strategies/safety.h"

#include "util/sqlfiles.h"

namespace plansight {

Result<bool> isPlanSightDemo(PgSession &session)
{
    auto table = session.exec(sql(QStringLiteral("strategies/is_demo")));
    if (!table)
        return table.error();
    if (!table->toBool(0, 0))
        return false;
    auto rows = session.exec(sql(QStringLiteral("strategies/demo_info_rows")));
    if (!rows)
        return rows.error();
    return rows->toBool(0, 0);
}

QStringList objectsToConfirm(const QList<std::shared_ptr<Strategy>> &strategies)
{
    QStringList out;
    for (const auto &s : strategies) {
        for (const QString &o : s->plannedObjects())
            out << s->id() + QStringLiteral(": ") + o;
    }
    return out;
}

} // namespace plansight
