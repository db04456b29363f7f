#include "strategies/settingsvariantstrategy.h"

#include <QRegularExpression>

namespace plansight {

namespace {

// "p4-indexes [random_page_cost=1.1]": the inner id, then the overrides between the brackets.
const QRegularExpression &variantIdPattern()
{
    static const QRegularExpression re(QStringLiteral("^\\s*([^\\[\\]]+?)\\s*\\[(.*)\\]\\s*$"));
    return re;
}

QString knownIds()
{
    QStringList known;
    for (const auto &k : allStrategies())
        known.append(k->id());
    return known.join(QStringLiteral(", "));
}

} // namespace

SettingsVariantStrategy::SettingsVariantStrategy(std::shared_ptr<Strategy> inner, QList<SettingOverride> settings)
    : m_inner(std::move(inner)), m_settings(std::move(settings))
{
}

StrategyInfo SettingsVariantStrategy::info() const
{
    StrategyInfo i = m_inner->info();
    const QString innerId = i.id;
    const QString words = formatSettingOverrides(m_settings);
    i.id = settingsVariantId(innerId, m_settings);
    i.title = QStringLiteral("%1 [%2]").arg(i.title, words);
    i.description = QStringLiteral("%1 measured under %2: the same objects and query, other settings. %3")
                        .arg(innerId, words, i.description)
                        .trimmed();
    i.operations = QStringLiteral("Set %1 for the application's sessions or role (ALTER ROLE ... SET), on top of "
                                  "%2: %3")
                       .arg(settingWords(m_settings).join(QStringLiteral(", ")), innerId, i.operations);
    if (!i.missStrategy.isEmpty())
        i.missStrategy = settingsVariantId(i.missStrategy, m_settings);
    return i;
}

Result<StrategyQuery> SettingsVariantStrategy::query(PgSession &session, const Workload &workload)
{
    // The same query, so the same rows; the settings are the measurement's to set (settingOverrides()).
    return m_inner->query(session, workload);
}

QList<SettingOverride> SettingsVariantStrategy::settingOverrides() const
{
    QList<SettingOverride> out = m_inner->settingOverrides();
    for (const SettingOverride &o : m_settings) {
        out.removeIf([&](const SettingOverride &x) { return x.name.compare(o.name, Qt::CaseInsensitive) == 0; });
        out.append(o);
    }
    return out;
}

QString settingsVariantId(const QString &innerId, const QList<SettingOverride> &settings)
{
    return QStringLiteral("%1 [%2]").arg(innerId, formatSettingOverrides(settings));
}

bool isSettingsVariantId(const QString &id)
{
    return variantIdPattern().match(id).hasMatch();
}

Result<std::shared_ptr<Strategy>> makeSettingsVariant(
    const std::shared_ptr<Strategy> &inner, const QList<SettingOverride> &settings)
{
    if (!inner)
        return Error::make(errc::Input, QStringLiteral("A settings variant needs a strategy to run."));
    if (std::dynamic_pointer_cast<SettingsVariantStrategy>(inner))
        return Error::make(errc::Input,
            QStringLiteral("%1 is already a settings variant; give all its overrides in one list.").arg(inner->id()));
    if (settings.isEmpty())
        return Error::make(
            errc::Input, QStringLiteral("A settings variant of %1 needs at least one override.").arg(inner->id()));
    return std::shared_ptr<Strategy>(std::make_shared<SettingsVariantStrategy>(inner, settings));
}

Result<std::shared_ptr<Strategy>> strategyFromId(const QString &id)
{
    const QRegularExpressionMatch m = variantIdPattern().match(id);
    const QString innerId = m.hasMatch() ? m.captured(1) : id.trimmed();
    if (innerId.contains(QLatin1Char('[')) || innerId.contains(QLatin1Char(']')))
        return Error::make(errc::Input,
            QStringLiteral("'%1' is not a strategy id: write an id, or an id with setting overrides in one pair of "
                           "brackets (baseline [jit=off]).")
                .arg(id.trimmed()));
    auto inner = strategyById(innerId);
    if (!inner)
        return Error::make(errc::Input, QStringLiteral("Unknown strategy '%1'; known: %2.").arg(innerId, knownIds()));
    if (!m.hasMatch())
        return inner;
    auto settings = parseSettingOverrides(m.captured(2));
    if (!settings)
        return Error::make(errc::Input,
            QStringLiteral("In the strategy '%1': %2").arg(id.trimmed(), settings.error().message), QString(),
            settings.error().hint);
    return makeSettingsVariant(inner, settings.value());
}

std::shared_ptr<Strategy> objectOwner(const std::shared_ptr<Strategy> &strategy)
{
    if (auto variant = std::dynamic_pointer_cast<SettingsVariantStrategy>(strategy))
        return variant->inner();
    return strategy;
}

} // namespace plansight
