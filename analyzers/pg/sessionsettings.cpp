#include "pg/sessionsettings.h"

#include "pg/pgsession.h"
#include "util/sqlfiles.h"

#include <QRegularExpression>

namespace plansight {

namespace {

constexpr int MaxValueChars = 100;

Error inputError(const QString &message, const QString &hint = QString())
{
    return Error::make(errc::Input, message, QString(), hint);
}

QString presetNames()
{
    QStringList names;
    for (const SettingsPreset &p : settingsPresets())
        names << QLatin1Char('"') + p.name + QLatin1Char('"');
    return names.join(QStringLiteral(" and "));
}

} // namespace

bool settingChangesPlansOrSpeed(const QString &name)
{
    // Prefixes and names of the settings that steer the planner or the executor's speed.
    static const QStringList prefixes { QStringLiteral("enable_"), QStringLiteral("jit"), QStringLiteral("parallel_"),
        QStringLiteral("max_parallel_"), QStringLiteral("geqo"), QStringLiteral("cpu_") };
    static const QStringList names { QStringLiteral("random_page_cost"), QStringLiteral("seq_page_cost"),
        QStringLiteral("effective_cache_size"), QStringLiteral("effective_io_concurrency"),
        QStringLiteral("maintenance_io_concurrency"), QStringLiteral("work_mem"), QStringLiteral("hash_mem_multiplier"),
        QStringLiteral("maintenance_work_mem"), QStringLiteral("shared_buffers"), QStringLiteral("temp_buffers"),
        QStringLiteral("huge_pages"), QStringLiteral("max_worker_processes"),
        QStringLiteral("default_statistics_target"), QStringLiteral("from_collapse_limit"),
        QStringLiteral("join_collapse_limit"), QStringLiteral("plan_cache_mode"),
        QStringLiteral("constraint_exclusion"), QStringLiteral("cursor_tuple_fraction"),
        QStringLiteral("min_parallel_table_scan_size"), QStringLiteral("min_parallel_index_scan_size"),
        QStringLiteral("track_io_timing") };
    if (names.contains(name))
        return true;
    for (const QString &p : prefixes)
        if (name.startsWith(p))
            return true;
    return false;
}

const QList<SettingsPreset> &settingsPresets()
{
    static const QList<SettingsPreset> presets {
        { QStringLiteral("jit off"),
            QStringLiteral("no JIT compilation (jit=off): what the query costs without compiling its expressions"),
            { { QStringLiteral("jit"), QStringLiteral("off"), 0 } } },
        { QStringLiteral("no parallel"),
            QStringLiteral("no parallel workers (max_parallel_workers_per_gather=0): one process runs the whole query"),
            { { QStringLiteral("max_parallel_workers_per_gather"), QStringLiteral("0"), 0 } } },
    };
    return presets;
}

Result<QList<SettingOverride>> parseSettingOverrides(const QString &text)
{
    QString asPreset = text.simplified().toLower();
    asPreset.replace(QLatin1Char('-'), QLatin1Char(' '));
    for (const SettingsPreset &p : settingsPresets())
        if (asPreset == p.name)
            return p.settings;

    static const QRegularExpression validName(QStringLiteral("^[a-z_][a-z0-9_]*$"));
    static const QRegularExpression badValue(QStringLiteral("[;\\[\\]\\x00-\\x1f\\x7f]"));
    QList<SettingOverride> out;
    for (const QString &rawItem : text.split(QLatin1Char(';'))) {
        const QString item = rawItem.trimmed();
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        if (eq < 0)
            return inputError(
                QStringLiteral("\"%1\" is not a setting override: write name=value (jit=off), several separated by "
                               "';', or a preset (%2).")
                    .arg(item, presetNames()));
        SettingOverride o;
        o.name = item.left(eq).trimmed().toLower();
        o.value = item.mid(eq + 1).trimmed();
        if (!validName.match(o.name).hasMatch())
            return inputError(QStringLiteral("\"%1\" is not a setting name; use a name from pg_settings such as "
                                             "work_mem.")
                                  .arg(item.left(eq).trimmed()));
        if (!settingChangesPlansOrSpeed(o.name))
            return inputError(
                QStringLiteral("%1 does not change plans or speed, so it cannot be a settings variant; override the "
                               "planner's costs, enable_* switches, memory, parallelism or JIT.")
                    .arg(o.name),
                QStringLiteral("For example: random_page_cost=1.1, enable_seqscan=off, work_mem=64MB, "
                               "max_parallel_workers_per_gather=0, jit=off."));
        if (o.value.isEmpty())
            return inputError(QStringLiteral("%1 has no value; write %1=value.").arg(o.name));
        if (o.value.size() > MaxValueChars || badValue.match(o.value).hasMatch())
            return inputError(QStringLiteral("The value of %1 (\"%2\") is not a setting value: it may not hold ';', "
                                             "'[', ']' or control characters, nor be longer than %3 characters.")
                                  .arg(o.name, o.value.left(MaxValueChars))
                                  .arg(MaxValueChars));
        for (const SettingOverride &seen : std::as_const(out))
            if (seen.name == o.name)
                return inputError(QStringLiteral("%1 is set twice (%2 and %3); give each setting once.")
                                      .arg(o.name, seen.value, o.value));
        out.append(o);
    }
    if (out.isEmpty())
        return inputError(
            QStringLiteral("No setting override given: write name=value (jit=off), several separated by ';', or a "
                           "preset (%1).")
                .arg(presetNames()));
    return out;
}

QStringList settingWords(const QList<SettingOverride> &settings)
{
    QStringList words;
    for (const SettingOverride &o : settings)
        words << o.name + QLatin1Char('=') + o.value;
    return words;
}

QString formatSettingOverrides(const QList<SettingOverride> &settings)
{
    return settingWords(settings).join(QStringLiteral("; "));
}

QStringList settingNames(const QList<SettingOverride> &settings)
{
    QStringList names;
    for (const SettingOverride &o : settings)
        names << o.name.toLower();
    return names;
}

Status checkSettingOverrides(PgSession &session, const QList<SettingOverride> &settings, const QString &owner)
{
    for (const SettingOverride &o : settings) {
        auto r = session.exec(sql(QStringLiteral("pg/setting_describe")), { o.name });
        if (!r)
            return r.error();
        if (r->rows() == 0)
            return inputError(QStringLiteral("%1 sets %2, which this server does not know (it is not in pg_settings); "
                                             "correct the name.")
                                  .arg(owner, o.name));
        const QString context = r->value(0, "context");
        if (context != QLatin1String("user") && context != QLatin1String("superuser"))
            return inputError(QStringLiteral("%1 sets %2, which cannot be changed for one session (its context is "
                                             "%3); change it in the server's configuration instead.")
                                  .arg(owner, o.name, context));
        // The server's own parser judges the value; the transaction is rolled back, so nothing stays set.
        if (auto begun = session.exec(QStringLiteral("BEGIN")); !begun)
            return begun.error();
        auto tried = session.exec(sql(QStringLiteral("pg/setting_try")), { o.name, o.value });
        auto rolledBack = session.exec(QStringLiteral("ROLLBACK"));
        if (!tried) {
            if (tried.error().code == errc::Connection || tried.error().isCancel())
                return tried.error();
            return inputError(QStringLiteral("The server refuses %1=%2 of %3: %4")
                                  .arg(o.name, o.value, owner, tried.error().message));
        }
        if (!rolledBack)
            return rolledBack.error();
    }
    return {};
}

Status applySettingOverrides(PgSession &session, const QList<SettingOverride> &settings)
{
    for (const SettingOverride &o : settings) {
        if (auto st = session.setSetting(o.name, o.value); !st)
            return Error::make(st.error().code,
                QStringLiteral("Setting %1 to %2 failed: %3").arg(o.name, o.value, st.error().message),
                st.error().detail, st.error().hint);
    }
    return {};
}

Status resetSettings(PgSession &session, const QStringList &names)
{
    if (names.isEmpty())
        return {};
    auto r = session.exec(sql(QStringLiteral("pg/settings_reset")), { QVariant(names) });
    if (!r)
        return r.error();
    return {};
}

} // namespace plansight
