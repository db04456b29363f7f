#include "util/sqlfiles.h"

#include <QDirIterator>
#include <QFile>

namespace plansight {

Result<QString> loadSql(const QString &name)
{
    QFile f(QStringLiteral(":/sql/") + name + QStringLiteral(".sql"));
    if (!f.open(QIODevice::ReadOnly))
        return Error::make(errc::Missing, QStringLiteral("The SQL file %1 is not compiled into PlanSight.").arg(name));
    return QString::fromUtf8(f.readAll());
}

QString sql(const QString &name)
{
    auto r = loadSql(name);
    if (!r)
        qFatal("%s", qPrintable(r.error().message));
    return r.value();
}

QStringList allSqlNames()
{
    QStringList names;
    QDirIterator it(QStringLiteral(":/sql"), { QStringLiteral("*.sql") }, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QString p = it.next();
        p.remove(0, 6); // ":/sql/"
        p.chop(4);
        names << p;
    }
    names.sort();
    return names;
}

} // namespace plansight
