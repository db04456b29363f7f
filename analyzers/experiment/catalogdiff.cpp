#include "experiment/catalogdiff.h"

#include "pg/pgsession.h"
#include "util/sqlfiles.h"

namespace plansight {

Result<CatalogState> readCatalog(PgSession &session)
{
    auto r = session.exec(sql(QStringLiteral("experiment/catalog")));
    if (!r)
        return r.error();
    CatalogState state;
    for (int i = 0; i < r->rows(); ++i) {
        CatalogEntry e;
        e.object.kind = r->value(i, 0);
        e.object.name = r->value(i, 1);
        e.parent = r->value(i, 2);
        e.object.bytes = r->toLongLong(i, 3);
        state.insert(e.object.describe(), e);
    }
    return state;
}

QList<CreatedObject> addedObjects(const CatalogState &before, const CatalogState &after)
{
    QList<CreatedObject> out;
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        if (before.contains(it.key()))
            continue;
        const QString &parent = it->parent;
        if (!parent.isEmpty()) {
            const bool newTable = std::any_of(after.cbegin(), after.cend(), [&](const CatalogEntry &e) {
                return e.parent.isEmpty() && e.object.name == parent && !before.contains(e.object.describe());
            });
            if (newTable)
                continue;
        }
        out.append(it->object);
    }
    return out;
}

QString describeObjects(const QList<CreatedObject> &objects)
{
    QStringList words;
    for (const CreatedObject &o : objects)
        words << o.describe();
    return words.join(QStringLiteral(", "));
}

} // namespace plansight
