#pragma once

// An experiment (docs/experiments.md): a directory a person edits and keeps in git, holding a manifest,
// experiment.toml, and the SQL in .sql files the manifest names. It describes one query of the DBA's own (the
// baseline, with $1..$n placeholders), the parameter sets it is measured with (the workloads), the variants to
// compare with it (each with optional setup, teardown, a rewritten query and setting overrides) and how their rows
// are compared with the baseline's.
//
// Contracts:
// - loadExperiment() reads everything before anything runs; a manifest with an error gives one errc::Input error
//   whose message names the file, the line where known, the key and what to do. It never throws and never crashes
//   on any input.
// - Parameter values are typed in the manifest and checked against the declared types here; they are always bound
//   (PgSession::exec), never spliced into SQL text.
// - Setting names are checked for their syntax here and against the server's pg_settings by
//   checkSettingsOnServer() before anything runs.
//
// A plain value; no server is needed to load one.

#include "pg/sessionsettings.h"
#include "util/result.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

namespace plansight {

class PgSession;

// The types a parameter may have. Each value is checked against its type when the manifest is read and bound as
// text; the server infers the type from the query (write $1::bigint where it cannot).
enum class ParamType { Int, BigInt, Text, Bool, Numeric, Timestamptz, IntArray, TextArray };
QString toString(ParamType type); // "int", "bigint", "text", "bool", "numeric", "timestamptz", "int[]", "text[]"
Result<ParamType> paramTypeFromString(const QString &text);

struct ExperimentParameter {
    QString name; // for people: "user_id"
    ParamType type = ParamType::Text;
};

// One named parameter set: a workload of the experiment.
struct ParameterSet {
    QString name; // "canonical"
    QString description;
    // One per parameter, in placeholder order: qlonglong (int, bigint), QString (text, numeric, timestamptz in ISO
    // 8601), bool, QStringList (arrays: their elements as text). What PgSession::exec binds.
    QVariantList values;
};

struct ExperimentVariant {
    QString id; // "covering-index": lower-case letters, digits and '-'; the strategy id it becomes
    QString title;
    QString description;
    QString setupFile, teardownFile, queryFile; // relative to the directory, as written; empty when absent
    QString setupSql, teardownSql; // the files' text; empty when absent
    QString querySql; // the rewritten query (its one statement); empty: the baseline's
    QString queryFileText; // its file as written, comments included (see Experiment::queryFileText)
    QList<SettingOverride> settings;
    int line = 0; // of its [[variant]] table

    bool hasObjects() const { return !setupSql.trimmed().isEmpty(); }
};

// How a variant's rows are compared with the baseline's (docs/experiments.md, "The result check").
struct ExperimentCheck {
    enum class Order { Ordered, Multiset };
    Order order = Order::Ordered;
    QStringList keyColumns; // empty: all columns, in the baseline's order
    // Results with more rows than this are compared by one hash over all rows (the difference is then not
    // located); up to it, row by row.
    int rowCap = 10000;
};

struct Experiment {
    QString directory; // absolute
    QString manifestPath; // absolute path of experiment.toml
    QString title;
    QString description;
    QString queryFile;
    QString querySql; // the baseline query: the file's one statement, without its final ';'
    // The query file as written (comments included), kept so that saving does not lose them; empty: the writer
    // writes querySql (so does it when the file's statement is not querySql: the statement was edited).
    QString queryFileText;
    // The plan production ran (optional: `production_plan`, docs/experiments.md, "From a plan"): EXPLAIN or
    // auto_explain output, JSON or text, as the file holds it (checked to parse when read). `plansight run` shows it
    // beside the baseline's measured plan.
    QString productionPlanFile;
    QString productionPlanText;
    QList<ExperimentParameter> parameters; // $1..$n in order
    QList<ParameterSet> workloads;
    QList<ExperimentVariant> variants;
    ExperimentCheck check;

    const ExperimentVariant *variant(const QString &id) const;
};

inline const QString ExperimentManifestName = QStringLiteral("experiment.toml");

// How strictly loadExperiment() reads. Run: everything must be ready to run. Edit (the window's editor, and the
// round trip of an experiment just made by `plansight experiment new`): a value still to be filled in
// ({ fill = "bigint" }) is read as an invalid QVariant and a manifest without [[variant]] is accepted; every other
// rule holds.
enum class LoadMode { Run, Edit };

// Reads the experiment in `directory` (or the manifest file itself). Errors are errc::Input (a bad manifest) or
// errc::Io / errc::Missing (a file that cannot be read or is absent).
Result<Experiment> loadExperiment(const QString &directory, LoadMode mode = LoadMode::Run);

// True when every workload value is given (none is still to be filled in).
bool isFilledIn(const Experiment &experiment);

// The manifest's text for `experiment`, laid out as docs/experiments.md shows it (top-level keys, [[parameter]],
// [[workload]], [check], [[variant]], in that order, each table in its key order). Strings, keys and numbers are
// written by toml++ (its escaping); the layout is written here, because toml++ keeps a table's keys sorted and would
// move `title` below `query`. A workload value that is an invalid QVariant is written { fill = "<type>" }, which
// loadExperiment() refuses in LoadMode::Run, naming the file and line. File names must already be set
// (saveExperiment() sets missing ones).
QString manifestText(const Experiment &experiment);

// Writes `experiment` into `directory` (created when absent): experiment.toml and every SQL file it names, each
// replaced whole (QSaveFile), the manifest last. A SQL text without a file name gets one (query.sql,
// <variant>/setup.sql, <variant>/teardown.sql, <variant>/query.sql). Refused before anything is written (errc::Input):
// a file name that is absolute or leaves the directory, or one name given two different texts. Returns the experiment
// as loadExperiment(directory, LoadMode::Edit) reads it back, so a caller holds what is on disk.
Result<Experiment> saveExperiment(const Experiment &experiment, const QString &directory);

// One workload value written as the manifest holds it (42, "regular", [1, 2], 2024-05-01T00:00:00Z), checked against
// `type` by the reader's own rules (an errc::Input error in one sentence, without a file); empty text or
// { fill = "..." }: an invalid QVariant, a value still to be filled in. For the window's parameter table.
Result<QVariant> parseManifestValue(const QString &text, ParamType type);
// The value as the manifest writes it, which parseManifestValue() reads back; an invalid QVariant: empty text.
QString manifestValueText(const QVariant &value, ParamType type);

// The first difference between two experiments' contents, in words ("variant 2 (indexes): setup differs"), or an
// empty string when they hold the same experiment. Where they live (directory, manifest path) and the manifest
// lines are not compared.
QString experimentDifference(const Experiment &a, const Experiment &b);

// The highest $n placeholder of `sql` outside quotes, dollar quotes and comments (0: none). An error when the
// placeholders leave a gap ($1 and $3 without $2), which PostgreSQL refuses.
Result<int> placeholderCount(const QString &sql);

// Checks every variant's settings against the server (checkSettingOverrides() in pg/sessionsettings.h: the name is in
// pg_settings, a session may change it, the server accepts the value): an errc::Input error naming the manifest, the
// line, the variant and the setting.
Status checkSettingsOnServer(PgSession &session, const Experiment &experiment);

} // namespace plansight
