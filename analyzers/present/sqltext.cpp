#include "present/sqltext.h"

namespace plansight {

QString quoteSqlLiteral(const QString &value)
{
    if (value.contains(QChar(0)))
        return {};
    QString out = value;
    out.replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString psqlReplayScript(const QString &sql, const QStringList &params)
{
    QString body = sql.trimmed();
    while (body.endsWith(QLatin1Char(';')))
        body = body.chopped(1).trimmed();
    if (params.isEmpty())
        return body + QStringLiteral(";\n");
    QStringList literals;
    for (const QString &p : params)
        literals << quoteSqlLiteral(p);
    return QStringLiteral(
        "PREPARE plansight_query AS\n%1;\nEXECUTE plansight_query(%2);\nDEALLOCATE plansight_query;\n")
        .arg(body, literals.join(QStringLiteral(", ")));
}

} // namespace plansight
