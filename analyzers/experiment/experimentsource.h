#pragma once

// Where a new experiment comes from (docs/experiments.md, "A new experiment"): the top queries of a live server's
// pg_stat_statements, one of which becomes the baseline of a new experiment whose parameter values the user fills in;
// or a plan production ran (EXPLAIN or auto_explain output) with its query.
//
// Contracts:
// - Nothing the user typed is spliced into SQL: the listing is one fixed statement (resources/sql/experiment/
//   top-statements.sql) with the count bound; the chosen query's parameter types are asked of the server by parsing
//   it as a prepared statement of PlanSight's own name, never running it.
// - The extension is created only where PlanSight owns the database (ExtensionPolicy::CreateWhenMissing: the embedded
//   demo); on any other server a missing extension is an error saying what a superuser runs.
// Threading: the functions taking a PgSession run on its (worker) thread; the rest are pure.

#include "experiment/experiment.h"
#include "util/result.h"

#include <optional>

namespace plansight {

class PgSession;

struct TopStatement {
    QString queryId; // pg_stat_statements' queryid, as text
    QString query; // normalized: constants are $1..$n
    qint64 calls = 0;
    double totalMs = 0;
    double meanMs = 0;
    qint64 rows = 0;
    int totalRank = 0; // 1: the most total execution time
    int meanRank = 0; // 1: the most mean execution time
};

// The union of the `top` first by total and the `top` first by mean time, ordered by total rank: a statement's
// number (what `--pick` takes) is its position in `statements`, from 1.
struct TopStatements {
    QString database;
    QList<TopStatement> statements;
    QList<int> byTotal() const; // indexes into statements, by total rank, the `top` first only
    QList<int> byMean() const; // the same by mean rank
    int top = 0;
};

enum class ExtensionPolicy { MustExist, CreateWhenMissing };

// Reads the listing. Errors (errc::Missing, with what to do): the extension is not created in this database (under
// MustExist), the server does not load its library (shared_preload_libraries), or the server is older than 13.
Result<TopStatements> readTopStatements(PgSession &session, int top, ExtensionPolicy policy);

// A new experiment whose baseline is `statement`: its query in query.sql (with a header comment naming where it came
// from and each parameter's type on the server), one parameter per placeholder (named p1..pn, typed from the
// server's inference mapped onto the manifest's types: text for types without one, which the server casts), one
// workload "to-fill" whose values are all still to be filled in, and no variant. `notes` are sentences for the user
// (a type that could not be inferred).
struct NewExperiment {
    Experiment experiment;
    QStringList notes;
};
Result<NewExperiment> experimentFromStatement(PgSession &session, const TopStatement &statement, const QString &server);

// A new experiment from a plan: `planInput` (EXPLAIN JSON or text, or auto_explain's log entry, as parsePlan() takes
// it) becomes the production plan, kept as given (production-plan.json or production-plan.txt); the baseline is
// `queryText` when given, else the plan's own "Query Text" (auto_explain logs it; EXPLAIN does not print it). The
// query must be one statement that reads (SELECT, WITH, VALUES, TABLE): the runner executes it many times. Its $n
// placeholders become text parameters p1..pn to fill in (without a server their types are not known). Errors
// (errc::Input) name `planName` or `queryName` and what to do.
Result<NewExperiment> experimentFromPlan(const QByteArray &planInput, const QString &planName,
    const std::optional<QString> &queryText, const QString &queryName);

// The manifest type for a server type OID (PostgreSQL's fixed OIDs, pg_type.dat), and whether the mapping is exact;
// types without a manifest type are text (the server casts the text it is sent).
ParamType paramTypeForOid(quint32 oid, bool *exact = nullptr);

} // namespace plansight
