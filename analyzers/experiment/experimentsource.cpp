#include "experiment/experimentsource.h"

#include "pg/pgsession.h"
#include "plan/planparser.h"
#include "present/format.h"
#include "strategies/ddlplan.h"

#include "util/sqlfiles.h"
#include <QFileInfo>
#include <QRegularExpression>

namespace plansight {

namespace {

// "1 call", "12,345 calls".
QString callsText(qint64 calls)
{
    return formatCount(double(calls)) + (calls == 1 ? QStringLiteral(" call") : QStringLiteral(" calls"));
}

// PostgreSQL's SQLSTATE object_not_in_prerequisite_state: what pg_stat_statements raises when its library is not
// loaded.
const QString NotLoadedState = QStringLiteral("55000");

// PlanSight's own name for the statement whose parameters are described; never user input.
const QByteArray DescribeStatement = QByteArrayLiteral("plansight_describe_parameters");

// The types the server infers for the $n parameters of `sql` (their OIDs, in order). The statement is only parsed and
// analysed as a named prepared statement of this connection (PgSession::prepare), never run; its parameter types are
// read from pg_prepared_statements (bound by name) and the statement is deallocated again.
Result<QList<quint32>> describeParameters(PgSession &session, const QString &sql)
{
    const QString name = QString::fromLatin1(DescribeStatement);
    auto left = session.exec(QStringLiteral("SELECT 1 FROM pg_prepared_statements WHERE name = $1"), { name });
    if (!left)
        return left.error();
    if (left->rows() > 0) // a describe cut short on this connection
        if (auto st = session.exec(QStringLiteral("DEALLOCATE ") + name); !st)
            return st.error();
    if (auto st = session.prepare(DescribeStatement, sql, 0); !st)
        return st.error();
    auto types = session.exec(QStringLiteral("SELECT u.t::oid FROM pg_prepared_statements p, "
                                             "unnest(p.parameter_types) WITH ORDINALITY AS u(t, n) "
                                             "WHERE p.name = $1 ORDER BY u.n"),
        { name });
    auto gone = session.exec(QStringLiteral("DEALLOCATE ") + name);
    if (!types)
        return types.error();
    if (!gone)
        return gone.error();
    QList<quint32> out;
    for (int i = 0; i < types->rows(); ++i)
        out.append(types->value(i, 0).toUInt());
    return out;
}

// Indexes into `statements` whose `rank` is within the first `top`, in that rank's order.
QList<int> rankedFirst(const QList<TopStatement> &statements, int top, int TopStatement::*rank)
{
    QList<int> out;
    for (int i = 0; i < statements.size(); ++i)
        if (statements[i].*rank <= top)
            out.append(i);
    std::sort(out.begin(), out.end(), [&](int a, int b) { return statements[a].*rank < statements[b].*rank; });
    return out;
}

} // namespace

QList<int> TopStatements::byTotal() const
{
    return rankedFirst(statements, top, &TopStatement::totalRank);
}

QList<int> TopStatements::byMean() const
{
    return rankedFirst(statements, top, &TopStatement::meanRank);
}

Result<TopStatements> readTopStatements(PgSession &session, int top, ExtensionPolicy policy)
{
    if (session.serverVersionNum() < 130000)
        return Error::make(errc::Missing,
            QStringLiteral("%1 runs PostgreSQL %2; reading pg_stat_statements needs PostgreSQL 13 or later.")
                .arg(session.describe(), session.serverVersion()));
    auto installed
        = session.exec(QStringLiteral("SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'"));
    if (!installed)
        return installed.error();
    if (installed->rows() == 0) {
        if (policy == ExtensionPolicy::MustExist)
            return Error::make(errc::Missing,
                QStringLiteral("pg_stat_statements is not created in database %1 of %2, so there are no statements to "
                               "list. PlanSight does not install extensions on your server: a superuser runs CREATE "
                               "EXTENSION pg_stat_statements; in that database (the server must load it: "
                               "shared_preload_libraries = 'pg_stat_statements', then a restart).")
                    .arg(session.database(), session.describe()));
        if (auto created = session.exec(QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")); !created)
            return created.error();
    }
    auto rows = session.exec(sql(QStringLiteral("experiment/top-statements")), { top });
    if (!rows) {
        Error e = rows.error();
        if (e.code == NotLoadedState)
            return Error::make(errc::Missing,
                QStringLiteral("%1 does not load pg_stat_statements (%2); add it to shared_preload_libraries in the "
                               "server's configuration and restart the server.")
                    .arg(session.describe(), e.message));
        return e;
    }
    TopStatements out;
    out.database = session.database();
    out.top = top;
    for (int r = 0; r < rows->rows(); ++r) {
        TopStatement s;
        s.queryId = rows->value(r, "queryid");
        s.calls = rows->value(r, "calls").toLongLong();
        s.totalMs = rows->value(r, "total_ms").toDouble();
        s.meanMs = rows->value(r, "mean_ms").toDouble();
        s.rows = rows->value(r, "rows").toLongLong();
        s.totalRank = rows->value(r, "total_rank").toInt();
        s.meanRank = rows->value(r, "mean_rank").toInt();
        s.query = rows->value(r, "query");
        out.statements.append(s);
    }
    return out;
}

ParamType paramTypeForOid(quint32 oid, bool *exact)
{
    bool isExact = true;
    ParamType type = ParamType::Text;
    switch (oid) {
    case 16: // bool
        type = ParamType::Bool;
        break;
    case 21: // int2
    case 23: // int4
        type = ParamType::Int;
        break;
    case 20: // int8
        type = ParamType::BigInt;
        break;
    case 25: // text
    case 1043: // varchar
    case 1042: // bpchar
        type = ParamType::Text;
        break;
    case 700: // float4
    case 701: // float8
    case 1700: // numeric
        type = ParamType::Numeric;
        break;
    case 1184: // timestamptz
        type = ParamType::Timestamptz;
        break;
    case 1005: // int2[]
    case 1007: // int4[]
    case 1016: // int8[]
        type = ParamType::IntArray;
        break;
    case 1009: // text[]
    case 1015: // varchar[]
        type = ParamType::TextArray;
        break;
    default:
        isExact = false;
    }
    if (exact)
        *exact = isExact;
    return type;
}

Result<NewExperiment> experimentFromStatement(PgSession &session, const TopStatement &statement, const QString &server)
{
    NewExperiment out;
    Experiment &ex = out.experiment;
    auto count = placeholderCount(statement.query);
    if (!count)
        return count.error();
    QString header = QStringLiteral("-- From pg_stat_statements on %1 (queryid %2): %3, %4 mean, %5 in all.\n")
                         .arg(server, statement.queryId, callsText(statement.calls), formatMs(statement.meanMs),
                             formatMs(statement.totalMs));
    QList<quint32> oids;
    if (count.value() > 0) {
        auto described = describeParameters(session, statement.query);
        if (described && described->size() == count.value()) {
            oids = described.value();
        } else {
            out.notes << QStringLiteral("The server could not infer the parameters' types (%1), so every parameter is "
                                        "declared text; correct the types in experiment.toml.")
                             .arg(described ? QStringLiteral("it reports %1 parameters").arg(described->size())
                                            : described.error().message);
        }
    }
    for (int i = 0; i < count.value(); ++i) {
        ExperimentParameter p;
        p.name = QStringLiteral("p%1").arg(i + 1);
        QString serverType = QStringLiteral("unknown");
        if (i < oids.size()) {
            bool exact = false;
            p.type = paramTypeForOid(oids[i], &exact);
            auto name = session.exec(QStringLiteral("SELECT format_type($1::oid, NULL)"), { qlonglong(oids[i]) });
            if (name && name->rows() == 1)
                serverType = name->value(0, 0);
            if (!exact)
                serverType += QStringLiteral(", sent as text and cast by the server");
        }
        header += QStringLiteral("-- $%1 (%2): %3\n").arg(i + 1).arg(p.name, serverType);
        ex.parameters.append(p);
    }
    ex.title = QStringLiteral("Query %1 from pg_stat_statements").arg(statement.queryId);
    ex.description
        = QStringLiteral("%1, %2 mean, on %3.").arg(callsText(statement.calls), formatMs(statement.meanMs), server);
    ex.queryFile = QStringLiteral("query.sql");
    ex.querySql = statement.query.trimmed();
    ex.queryFileText = header + ex.querySql + QStringLiteral("\n");
    ParameterSet set;
    set.name = QStringLiteral("default"); // what the reader makes of a query without parameters
    if (count.value() > 0) {
        set.name = QStringLiteral("to-fill");
        set.description = QStringLiteral("The values of one real call of the query.");
        for (int i = 0; i < count.value(); ++i)
            set.values.append(QVariant());
    }
    ex.workloads.append(set);
    return out;
}

Result<NewExperiment> experimentFromPlan(const QByteArray &planInput, const QString &planName,
    const std::optional<QString> &queryText, const QString &queryName)
{
    auto plan = parsePlan(planInput);
    if (!plan)
        return Error::make(errc::Input,
            QStringLiteral("%1 is not a plan PlanSight can read: %2 Give EXPLAIN output (JSON or text) or "
                           "auto_explain's log entry.")
                .arg(planName, plan.error().message));
    NewExperiment out;
    Experiment &ex = out.experiment;
    QString query;
    QString from;
    if (queryText) {
        query = *queryText;
        from = queryName;
        if (!plan->queryText.trimmed().isEmpty())
            out.notes << QStringLiteral("%1 carries its own query text too; the query of %2 is the baseline.")
                             .arg(planName, queryName);
    } else {
        query = plan->queryText;
        from = planName;
        if (query.trimmed().isEmpty())
            return Error::make(errc::Input,
                QStringLiteral("%1 holds no query text (EXPLAIN does not print it; auto_explain's JSON does); give the "
                               "query in a file of its own with --query FILE.")
                    .arg(planName));
    }
    const QStringList statements = splitSqlStatements(query);
    if (statements.isEmpty())
        return Error::make(errc::Input, QStringLiteral("The query of %1 is empty; write the query there.").arg(from));
    if (statements.size() > 1)
        return Error::make(errc::Input,
            QStringLiteral("The query of %1 holds %2 statements; an experiment's baseline is one query.")
                .arg(from)
                .arg(statements.size()));
    const QString statement = statements.first();
    static const QRegularExpression reads(
        QStringLiteral("^\\s*(\\(\\s*)*(select|with|values|table)\\b"), QRegularExpression::CaseInsensitiveOption);
    if (!reads.match(statement).hasMatch())
        return Error::make(errc::Input,
            QStringLiteral("The query of %1 begins \"%2\"; an experiment measures a query that reads (SELECT, WITH, "
                           "VALUES or TABLE), which it runs many times.")
                .arg(from, statement.simplified().left(40)));
    auto count = placeholderCount(statement);
    if (!count)
        return Error::make(errc::Input, QStringLiteral("The query of %1: %2").arg(from, count.error().message));

    ex.title = QStringLiteral("The query of %1").arg(QFileInfo(planName).fileName());
    const double ms = plan->totalMs();
    ex.productionPlanFile
        = looksLikeJsonPlan(planInput) ? QStringLiteral("production-plan.json") : QStringLiteral("production-plan.txt");
    const QString planFileName = QFileInfo(planName).fileName();
    ex.description = ms > 0 ? QStringLiteral("Production ran it in %1 (the plan: %2, from %3).")
                                  .arg(formatMs(ms), ex.productionPlanFile, planFileName)
                            : QStringLiteral("The plan production chose, without timings: %1, from %2.")
                                  .arg(ex.productionPlanFile, planFileName);
    ex.queryFile = QStringLiteral("query.sql");
    ex.querySql = statement;
    ex.queryFileText = QStringLiteral("-- From %1.\n").arg(from) + statement + QStringLiteral("\n");
    ex.productionPlanText = QString::fromUtf8(planInput);
    ParameterSet set;
    set.name = QStringLiteral("default");
    if (count.value() > 0) {
        set.name = QStringLiteral("to-fill");
        set.description = QStringLiteral("The values production ran the query with.");
        out.notes << QStringLiteral("The query has %1 parameters; without a server their types are not known, so "
                                    "each is declared text: correct the types in experiment.toml.")
                         .arg(count.value());
    }
    for (int i = 0; i < count.value(); ++i) {
        ex.parameters.append({ QStringLiteral("p%1").arg(i + 1), ParamType::Text });
        set.values.append(QVariant());
    }
    ex.workloads.append(set);
    return out;
}

} // namespace plansight
