#pragma once

// One declaration per persisted field of a run (StrategyRun): runFields() lists, for each, its SQLite column in
// the history's `runs` table, its JSON key in a run of the session document, its type and how to get and set it.
// Both mappings are driven by it: history/historystore.cpp binds and reads the declared columns (its run
// statements name them through @columns@ placeholders), toJson(StrategyRun) and runFromJson write and read the
// declared keys. Adding a field to a run therefore touches three files: the struct (session/results.h), its
// declaration (session/runfields.cpp) and the migration that adds its column
// (resources/sql/history/migrations/NNNN_*.sql).
//
// Mapped by hand, because they are not one flat value of the run:
//   - workload: an object in JSON (with the derived "workload_key"); in SQLite the run's exact workload JSON
//     (runs.workload_json), its name (runs.workload_name, for the history list's filter) and a row of the shared
//     `workloads` table by normalized key;
//   - timingsMs: a JSON array; one row per measured run in `timings`;
//   - speedup: one value of three numbers that is valid or not: an object or null in JSON, four columns;
//   - planJson: the EXPLAIN text, compressed in its own table `plans`, in JSON only when asked for;
//   - footprint: its own table `footprints` and a nested object in JSON (with the derived "write_cost").

#include "session/results.h"
#include "util/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <variant>

namespace plansight {

enum class RunFieldType {
    Text, // QString. SQLite TEXT; JSON string ("" when absent)
    Enum, // an enum, as its text (toString); JSON reading refuses a text not in RunField::values
    Integer, // a whole number. SQLite INTEGER; JSON number that must be whole (0 when absent)
    Real, // double. SQLite REAL; JSON number (0 when absent)
    Measured, // double, negative when not measured. SQLite REAL (-1); JSON number, or null when not measured
    Count, // a whole number, negative when not measured. SQLite INTEGER (-1); JSON whole number, or null
    Time, // QDateTime. SQLite TEXT (ISO 8601, UTC, milliseconds) or NULL; JSON the same text, or null
    TextList, // QStringList. SQLite TEXT holding a JSON array of strings; JSON array of strings
};

// A field's value: QString for Text and Enum, qint64 for Integer and Count, double for Real and Measured,
// QDateTime for Time, QStringList for TextList.
using RunFieldValue = std::variant<QString, qint64, double, QDateTime, QStringList>;

struct RunField {
    QString member; // the struct member, for messages and tests: "stats.p50Ms"
    const char *column = nullptr; // the column of `runs` (and the statement parameter :column)
    const char *jsonKey = nullptr; // the key of a run in the session document
    RunFieldType type = RunFieldType::Text;
    bool required = false; // JSON: a missing or empty value is an error
    bool mayHoldPassword = false; // may quote a connection string: the history redacts it before writing
    QStringList values; // Enum: every text it can have
    QString defaultText; // Enum: the text of a missing JSON value
    // Where EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) gives the value: a key of the top-level object
    // ("Execution Time"), or a path of keys through nested objects separated by '/': "Plan/<key>" for the root plan
    // node's (its counters include its children's), "JIT/Timing/Total". Empty: the field does not come from the
    // EXPLAIN.
    QString explainKey;
    // The value when a plan does not carry explainKey's first key at all: a plan without a "JIT" entry compiled
    // nothing, which is 0 ms. Unset: the field stays as it is (not measured).
    std::optional<double> explainAbsentValue;
    std::function<RunFieldValue(const StrategyRun &)> get;
    std::function<void(StrategyRun &, const RunFieldValue &)> set; // Enum: an unknown text sets its default
};

// Every persisted scalar field of a run, in the order they are read and written.
const QList<RunField> &runFields();

// The field declared for `column`, or nullptr.
const RunField *runFieldByColumn(const QString &column);

// Sets the fields that come from the EXPLAIN (RunField::explainKey) from run.planJson, the output of
// EXPLAIN (ANALYZE, ..., FORMAT JSON). A value the plan does not carry leaves its field as it is (not measured).
// Output that is not a JSON plan is an errc::Input error and changes nothing.
Status setFieldsFromExplain(StrategyRun &run);

} // namespace plansight
