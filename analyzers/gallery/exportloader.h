#pragma once

// Loading the app's own exports into the demo database (docs/gallery.md, "The app's exports"): one tab-separated
// file per table, named after the table (users.tsv, or .csv, .txt, .tab, or no extension), a header row of column
// names, CSV quoting rules with a tab delimiter, NULL as an empty unquoted field ("" is the empty string).
//
// scanExportDirectory(dir) sorts a directory's files into the tables the demo models and the rest, without a
// server. loadExports(session, scan, options) then replaces the rows of every table the demo models with the files'
// rows, in one transaction: a file that fails (a column the table lacks, a bad value, a truncated row) rolls the
// whole load back, and the error names the file and its line. Values travel as COPY data only; column names are
// matched exactly against the table's columns in the catalog, then quoted with PQescapeIdentifier. Nothing is
// guessed: a column the table lacks is an error, a file of a table the demo does not model is reported and skipped.

#include "util/cancel.h"
#include "util/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace plansight {

class PgSession;

// The app's tables the demo models, parents before children: the order a load fills them in (foreign keys are
// checked as rows arrive). The app's other tables (generation jobs, interactions, recommendations, notifications,
// model catalogs, search history, flagged content) are not modeled.
QStringList modeledTables();

// The error code of a file the loader refuses (a bad header, row or value): exit code 1 in the CLI.
inline const QString BadExportCode = QStringLiteral("PSEXPORT");

struct ExportFile {
    QString table;
    QString path; // absolute
    QString fileName; // as in the directory: "users.tsv"
    qint64 bytes = 0;
};

// What a directory of exports holds.
struct ExportDirectory {
    QString directory; // absolute
    QList<ExportFile> files; // one per modeled table that has a file, in modeledTables() order
    QStringList unknown; // file names that are not exports of a modeled table (other tables, other files)
    QStringList missing; // modeled tables without a file (a load leaves them empty)
};

// Lists `dir` (not its subdirectories; hidden files are ignored). A file named after a modeled table, bare or with
// one of the extensions .tsv, .csv, .txt or .tab, is that table's export. Errors (errc::Input): `dir` is not a
// readable directory, two files name the same table, or none names a modeled table.
Result<ExportDirectory> scanExportDirectory(const QString &dir);

struct ExportLoadOptions {
    // The column of both content tables that takes the `source_type` column of exports made after the app's fix
    // (docs/gallery.md, "The fix the app's team shipped"): x-unified's column while x-unified is applied (the
    // caller, which knows the strategies, says so); empty otherwise, and such a file is refused with a message
    // that says how to load it. A table's own column named source_type always takes it.
    QString sourceTypeColumn;
};

struct ExportTableLoad {
    QString table;
    QString fileName;
    QStringList columns; // the file's columns, as loaded ("source_type" loads into options.sourceTypeColumn)
    QStringList defaulted; // the table's columns the file lacks: NULL or their default
    qint64 rows = 0;
};

struct ExportLoadReport {
    ExportDirectory scan;
    QList<ExportTableLoad> tables; // in load order
    QString fingerprint; // "load-<md5>": the demo's dataset fingerprint from now on (gallery/data_fingerprint.sql)
    double seconds = 0;
};

// Replaces the rows of every modeled table in the session's database with the files of `scan`: checks every
// header against the catalog first, then in one transaction truncates the modeled tables, COPYs each file (parents
// before children), moves the id sequences past the loaded ids, and records the load in the demo's metadata (its
// counts, `details.loaded` and a "load-" fingerprint, so later sessions are not compared with generated data);
// ANALYZE follows the commit. Strategies stay applied (their triggers see the new rows).
//
// Only on a finished PlanSight demo of the current generator version (readDemoInfo()): elsewhere an errc::Input
// error, and nothing is touched. The
// caller holds the database lock (strategies/safety.h). Errors name the file and, where known, its line: a header
// column the table lacks, a duplicate or empty column name, a row with another number of fields than the header, a
// quote where CSV allows none, a file that ends inside a quoted field (truncated), a value the column's type refuses
// (the server's message), a key that is duplicate or points nowhere. The database is then as it was.
//
// Blocks; progress (bytes of all files) on the calling thread; cancel from any thread rolls back (errc::Cancelled).
Result<ExportLoadReport> loadExports(PgSession &session, const ExportDirectory &scan,
    const ExportLoadOptions &options = {}, CancelToken *cancel = nullptr, const ProgressFn &progress = {});

} // namespace plansight
