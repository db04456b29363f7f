#include "strategies/safety.h"

#include "gallery/demogenerator.h"

namespace plansight {

Result<bool> isPlanSightDemo(PgSession &session)
{
    auto info = readDemoInfo(session);
    if (!info)
        return info.error();
    return info->has_value();
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
