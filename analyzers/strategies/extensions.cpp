#include "strategies/extensions.h"

#include "util/sqlfiles.h"

#include <QRegularExpression>

namespace plansight {

bool isExtensionName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    return re.match(name).hasMatch();
}

Result<ExtensionState> extensionState(PgSession &session, const QString &name)
{
    auto r = session.exec(sql(QStringLiteral("strategies/extension_state")), { name, ExtensionMark });
    if (!r)
        return r.error();
    ExtensionState s;
    s.installed = r->isNull(0, 0) ? QString() : r->value(0, 0);
    s.available = r->toBool(0, 1);
    s.availableVersion = r->value(0, 2);
    s.ours = r->toBool(0, 3);
    return s;
}

// The names are constants of PlanSight's catalog (checked by isExtensionName()), never input; utility statements
// take no parameters, so they are put in as identifiers and literals.
QString createExtensionSql(const QString &name, const QString &purpose)
{
    Q_ASSERT(isExtensionName(name));
    QString mark = ExtensionMark + (purpose.isEmpty() ? QString() : QLatin1Char(' ') + purpose);
    mark.replace(QLatin1Char('\''), QStringLiteral("''"));
    return sql(QStringLiteral("strategies/extension_create"))
        .replace(QLatin1String("PS_EXTENSION"), name)
        .replace(QLatin1String("PS_MARK"), mark)
        .trimmed();
}

QString dropExtensionIfCreatedSql(const QString &name)
{
    Q_ASSERT(isExtensionName(name));
    return sql(QStringLiteral("strategies/extension_drop"))
        .replace(QLatin1String("PS_EXTENSION"), name)
        .replace(QLatin1String("PS_MARK"), ExtensionMark)
        .trimmed();
}

Result<bool> ensureExtension(PgSession &session, const QString &name, bool mayCreate, const QString &purpose)
{
    if (!isExtensionName(name))
        return Error::make(errc::Internal, QStringLiteral("'%1' is not an extension name.").arg(name));
    auto before = extensionState(session, name);
    if (!before)
        return before.error();
    if (!before->installed.isEmpty() || !mayCreate)
        return false;
    if (auto st = session.execScript(createExtensionSql(name, purpose)); !st)
        return st.error();
    return true;
}

Result<bool> dropExtensionIfCreated(PgSession &session, const QString &name)
{
    if (!isExtensionName(name))
        return Error::make(errc::Internal, QStringLiteral("'%1' is not an extension name.").arg(name));
    auto state = extensionState(session, name);
    if (!state)
        return state.error();
    if (state->installed.isEmpty() || !state->ours)
        return false;
    if (auto st = session.execScript(dropExtensionIfCreatedSql(name)); !st)
        return st.error();
    return true;
}

} // namespace plansight
