#pragma once

// Setting overrides for one session: the one home of "run this under other settings" (docs/settings.md). An
// experiment's variant (experiment/experimentstrategy.h) and a settings variant of any strategy
// (strategies/settingsvariantstrategy.h) both declare their overrides as a list of SettingOverride; the benchmark's
// measurement (bench/measure.h) applies them with applySettingOverrides() before a strategy's runs and puts them back
// with resetSettings() afterwards, so that no other strategy runs under them.
//
// Contracts:
// - Names and values are always bound (set_config($1, $2, ...)), never spliced into SQL text.
// - parseSettingOverrides() needs no server: it refuses a name that does not steer plans or speed
//   (settingChangesPlansOrSpeed()) and text that cannot be a value. checkSettingOverrides() asks the server: the name
//   must exist and be changeable for one session, and the server must accept the value. Both give one sentence that
//   names the setting.
//
// Threading: the functions that take a PgSession run on that session's thread; the others are pure.

#include "util/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace plansight {

class PgSession;

struct SettingOverride {
    QString name; // "work_mem", lower case once parsed
    QString value; // "64MB", as the user wrote it (trimmed)
    int line = 0; // where it was written (an experiment's manifest), for messages; 0: not from a file

    bool operator==(const SettingOverride &o) const { return name == o.name && value == o.value; }
};

// Whether a server setting can change the plans or the speed of a query: the planner's costs and switches (enable_*),
// memory, parallelism, JIT, I/O. The report lists only those among a server's settings, and a settings variant may
// override only those.
bool settingChangesPlansOrSpeed(const QString &name);

// A named set of overrides the front ends offer by name.
struct SettingsPreset {
    QString name; // "jit off"
    QString description; // one sentence for --help and the window
    QList<SettingOverride> settings;
};
// "jit off" (jit=off) and "no parallel" (max_parallel_workers_per_gather=0).
const QList<SettingsPreset> &settingsPresets();

// `text` is a preset's name ("jit off", "no parallel"; case and '-' for the space do not matter) or overrides
// separated by ';': "jit=off;work_mem=64MB" (spaces around names and values are dropped; an empty item is ignored).
// Names are lower-cased. An errc::Input error in one sentence for: no override at all, an item without '=', a name
// that is not a setting name or does not change plans or speed, an empty value or one holding ';', '[', ']' or a
// control character, and a name given twice.
Result<QList<SettingOverride>> parseSettingOverrides(const QString &text);

// "jit=off; work_mem=64MB": the overrides in their order, as a settings variant's id shows them and
// parseSettingOverrides() reads them back.
QString formatSettingOverrides(const QList<SettingOverride> &settings);
// {"jit=off", "work_mem=64MB"}: what a run records (StrategyRun::settings).
QStringList settingWords(const QList<SettingOverride> &settings);
// The names, lower-cased, in order.
QStringList settingNames(const QList<SettingOverride> &settings);

// Asks the server about every override: the name exists (pg_settings), a session may change it (context user or
// superuser), and the server accepts the value (set_config inside a transaction that is rolled back, so nothing
// stays set). `owner` names who asked for it in the error ("baseline [jit=of]"). Leaves the session outside any
// transaction. An errc::Input error naming the setting, or the session's error when the server could not be asked.
Status checkSettingOverrides(PgSession &session, const QList<SettingOverride> &settings, const QString &owner);

// Sets every override for the rest of the session (set_config(name, value, false)), in order. The error names the
// setting and the value.
Status applySettingOverrides(PgSession &session, const QList<SettingOverride> &settings);

// Puts the named settings back to the values the session started with (pg_settings.reset_val). Nothing to do for an
// empty list.
Status resetSettings(PgSession &session, const QStringList &names);

} // namespace plansight
