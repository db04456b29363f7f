#include "strategies/whatif.h"

#include "plan/planparser.h"
#include "present/format.h"
#include "present/whatifwords.h"
#include "strategies/ddlplan.h"
#include "strategies/extensions.h"
#include "util/sqlfiles.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace plansight {

namespace {

const QString Hypopg = QStringLiteral("hypopg");

Error inputError(const QString &message, const QString &hint = {})
{
    return Error::make(errc::Input, message, QString(), hint);
}

// The tokens of a statement's head, with where each starts and ends in the text: words, quoted identifiers and single
// characters; whitespace and comments are skipped. Enough to read CREATE INDEX up to its table; what follows the
// table is left to the server's parser.
struct Token {
    enum Kind { Word, Quoted, Char } kind;
    qsizetype start;
    qsizetype end;
    QString text; // a word lower-cased; a quoted identifier as written, with its quotes
};

QList<Token> headTokens(const QString &s, int maxTokens)
{
    QList<Token> out;
    qsizetype i = 0;
    const qsizetype n = s.size();
    while (i < n && out.size() < maxTokens) {
        const QChar c = s.at(i);
        if (c.isSpace()) {
            ++i;
        } else if (c == QLatin1Char('-') && i + 1 < n && s.at(i + 1) == QLatin1Char('-')) {
            while (i < n && s.at(i) != QLatin1Char('\n'))
                ++i;
        } else if (c == QLatin1Char('/') && i + 1 < n && s.at(i + 1) == QLatin1Char('*')) {
            const qsizetype close = s.indexOf(QLatin1String("*/"), i + 2);
            i = close < 0 ? n : close + 2;
        } else if (c == QLatin1Char('"')) {
            qsizetype j = i + 1;
            while (j < n) {
                if (s.at(j) == QLatin1Char('"')) {
                    if (j + 1 < n && s.at(j + 1) == QLatin1Char('"')) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            const qsizetype end = qMin(j + 1, n);
            out.append({ Token::Quoted, i, end, s.mid(i, end - i) });
            i = end;
        } else if (c.isLetter() || c == QLatin1Char('_')) {
            qsizetype j = i + 1;
            while (j < n && (s.at(j).isLetterOrNumber() || s.at(j) == QLatin1Char('_') || s.at(j) == QLatin1Char('$')))
                ++j;
            out.append({ Token::Word, i, j, s.mid(i, j - i).toLower() });
            i = j;
        } else {
            out.append({ Token::Char, i, i + 1, QString(c) });
            ++i;
        }
    }
    return out;
}

bool isWord(const QList<Token> &t, int i, const char *word)
{
    return i < t.size() && t.at(i).kind == Token::Word && t.at(i).text == QLatin1String(word);
}

bool isIdentifier(const QList<Token> &t, int i)
{
    return i < t.size() && (t.at(i).kind == Token::Word || t.at(i).kind == Token::Quoted);
}

// The first words of a statement, for an error: "DROP TABLE".
QString leadingWords(const QList<Token> &t)
{
    QStringList words;
    for (int i = 0; i < t.size() && i < 2 && t.at(i).kind == Token::Word; ++i)
        words << t.at(i).text.toUpper();
    return words.join(QLatin1Char(' '));
}

// The name the planner shows for a hypothetical index, mapped to the name its definition gives.
QString shownName(const WhatIfIndex &index)
{
    if (index.intendedName.isEmpty())
        return index.name;
    const qsizetype dot = index.intendedName.lastIndexOf(QLatin1Char('.'));
    return index.intendedName.mid(dot + 1);
}

QJsonValue renamed(const QJsonValue &v, const QHash<QString, QString> &labels)
{
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue &e : v.toArray())
            out.append(renamed(e, labels));
        return out;
    }
    if (!v.isObject())
        return v;
    QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() == QLatin1String("Index Name") && labels.contains(it.value().toString()))
            it.value() = labels.value(it.value().toString());
        else if (it.value().isArray() || it.value().isObject())
            it.value() = renamed(it.value(), labels);
    }
    return o;
}

// EXPLAIN's JSON with every "Index Name" found in `labels` replaced by its label.
QByteArray renameIndexes(const QByteArray &json, const QHash<QString, QString> &labels)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (doc.isNull())
        return json;
    const QJsonValue out = renamed(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()), labels);
    return out.isArray() ? QJsonDocument(out.toArray()).toJson(QJsonDocument::Compact)
                         : QJsonDocument(out.toObject()).toJson(QJsonDocument::Compact);
}

Result<QByteArray> explainJson(PgSession &session, const StrategyQuery &q)
{
    // The strategy's own SQL (a constant of PlanSight's catalog); the workload's values stay bound parameters.
    auto r = session.exec(QStringLiteral("EXPLAIN (FORMAT JSON) ") + q.sql, q.params);
    if (!r)
        return r.error();
    if (r->rows() < 1)
        return Error::make(errc::Internal, QStringLiteral("EXPLAIN returned no plan."));
    return r->bytes(0, 0);
}

} // namespace

Result<IndexDefinition> parseIndexDefinition(const QString &text)
{
    const QStringList statements = splitSqlStatements(text);
    if (statements.isEmpty())
        return inputError(QStringLiteral("The index definition is empty."),
            QStringLiteral("For example: CREATE INDEX ON public.content_tags (tag_id, content_id)"));
    if (statements.size() > 1)
        return inputError(
            QStringLiteral("Give one CREATE INDEX statement; the text holds %1 statements.").arg(statements.size()));
    const QString s = statements.first().trimmed();
    const QList<Token> t = headTokens(s, 16);
    int i = 0;
    if (isWord(t, i, "create"))
        ++i;
    else
        return inputError(QStringLiteral("Only a CREATE INDEX statement can be hypothetical, not %1.")
                              .arg(leadingWords(t).isEmpty() ? QStringLiteral("this text") : leadingWords(t)));
    if (isWord(t, i, "unique"))
        ++i;
    if (!isWord(t, i, "index"))
        return inputError(QStringLiteral("Only a CREATE INDEX statement can be hypothetical, not %1.")
                              .arg(leadingWords(t).isEmpty() ? QStringLiteral("this text") : leadingWords(t)));
    ++i;
    IndexDefinition def;
    qsizetype cutStart = -1, cutEnd = -1;
    if (isWord(t, i, "concurrently")) {
        cutStart = t.at(i).start;
        cutEnd = i + 1 < t.size() ? t.at(i + 1).start : t.at(i).end;
        def.concurrentlyRemoved = true;
        ++i;
    }
    if (isWord(t, i, "if") && isWord(t, i + 1, "not") && isWord(t, i + 2, "exists"))
        i += 3;
    // An index name, unless the next word is ON (CREATE INDEX ON t ...); "CREATE INDEX on ON t" names it "on".
    if (isIdentifier(t, i) && !(isWord(t, i, "on") && !isWord(t, i + 1, "on")))
        ++i;
    if (!isWord(t, i, "on"))
        return inputError(QStringLiteral("The CREATE INDEX statement names no table: ON <table> is missing."));
    ++i;
    if (isWord(t, i, "only"))
        ++i;
    if (!isIdentifier(t, i))
        return inputError(QStringLiteral("The CREATE INDEX statement names no table after ON."));
    const qsizetype tableStart = t.at(i).start;
    qsizetype tableEnd = t.at(i).end;
    ++i;
    while (i + 1 < t.size() && t.at(i).kind == Token::Char && t.at(i).text == QLatin1String(".")
        && isIdentifier(t, i + 1)) {
        tableEnd = t.at(i + 1).end;
        i += 2;
    }
    def.table = s.mid(tableStart, tableEnd - tableStart);
    def.statement = cutStart >= 0 ? s.left(cutStart) + s.mid(cutEnd) : s;
    return def;
}

Result<IndexDefinition> validateIndexDefinition(PgSession &session, const QString &text)
{
    auto def = parseIndexDefinition(text);
    if (!def)
        return def.error();
    // The table's name as typed goes to to_regclass as a bound value: the server reads it as a (quoted) name.
    auto r = session.exec(sql(QStringLiteral("strategies/whatif_table")), { def->table });
    if (!r)
        return inputError(QStringLiteral("%1 is not a table name: %2").arg(def->table, r.error().message));
    if (r->rows() == 0)
        return inputError(QStringLiteral("The table %1 does not exist.").arg(def->table),
            QStringLiteral("Name a table of this database, schema-qualified when it is not on the search_path."));
    const QString kind = r->value(0, 1);
    if (kind != QLatin1String("r") && kind != QLatin1String("m") && kind != QLatin1String("p"))
        return inputError(QStringLiteral("%1 is not a table or a materialized view, so it cannot have an index.")
                              .arg(r->value(0, 0)));
    def->tableResolved = r->value(0, 0);
    return def;
}

qint64 WhatIfResult::estimatedBytes() const
{
    qint64 sum = -1;
    for (const WhatIfIndex &i : indexes) {
        if (i.estimatedBytes >= 0)
            sum = (sum < 0 ? 0 : sum) + i.estimatedBytes;
    }
    return sum;
}

bool WhatIfResult::anyUsed() const
{
    return std::any_of(indexes.begin(), indexes.end(), [](const WhatIfIndex &i) { return i.used; });
}

QString WhatIfResult::verdict() const
{
    if (!hasPlan())
        return planError;
    QStringList accepted, used;
    for (const WhatIfIndex &i : indexes) {
        if (i.refused.isEmpty())
            accepted << shownName(i);
        if (i.used)
            used << shownName(i);
    }
    if (accepted.isEmpty())
        return QStringLiteral("HypoPG accepted none of the indexes, so the plan is the one the planner chooses now "
                              "(estimated cost %1).")
            .arg(formatCost(predictedCost()));
    if (!used.isEmpty())
        return QStringLiteral("The planner would use %1: estimated cost %2, against %3 without %4.")
            .arg(used.join(QStringLiteral(", ")), formatCost(predictedCost()), formatCost(currentCost()),
                used.size() == 1 ? QStringLiteral("it") : QStringLiteral("them"));
    QStringList others;
    for (const QString &name : indexesInPlan)
        others << name;
    return QStringLiteral(
        "The planner would not use the hypothetical %1 (%2): its plan stays at estimated cost %3, %4.")
        .arg(accepted.size() == 1 ? QStringLiteral("index") : QStringLiteral("indexes"),
            accepted.join(QStringLiteral(", ")), formatCost(predictedCost()),
            others.isEmpty() ? QStringLiteral("reading no index")
                             : QStringLiteral("reading %1").arg(others.join(QStringLiteral(", "))));
}

QString hypopgWhatIfConfirmLine()
{
    return QStringLiteral("whatif: extension hypopg, when it is not installed (hypothetical indexes, only in this "
                          "session's planner; dropped again at the end)");
}

Result<StrategyIndexes> strategyIndexStatements(const Strategy &strategy)
{
    StrategyIndexes out;
    auto plan = strategy.plannedDdl(ApplyContext {});
    if (!plan)
        return plan.error();
    for (const QString &statement : plan->statements()) {
        if (!createdIndexName(statement).isEmpty() || parseIndexDefinition(statement).ok())
            out.statements << statement;
    }
    for (const QString &object : strategy.plannedObjects()) {
        if (!object.startsWith(QLatin1String("index ")))
            out.notSimulated << object;
    }
    return out;
}

bool hasIndexStatements(const Strategy &strategy)
{
    auto indexes = strategyIndexStatements(strategy);
    return indexes && !indexes->statements.isEmpty();
}

QStringList indexesInPlan(const Plan &plan)
{
    QStringList out;
    for (const PlanNode &n : plan.nodes) {
        if (!n.indexName.isEmpty() && !out.contains(n.indexName))
            out << n.indexName;
    }
    return out;
}

Result<qint64> realIndexBytes(PgSession &session, const QStringList &indexNames)
{
    auto r = session.exec(sql(QStringLiteral("strategies/whatif_real_size")), { toPgArrayLiteral(indexNames) });
    if (!r)
        return r.error();
    return r->isNull(0, 0) ? qint64(-1) : r->toLongLong(0, 0);
}

Result<WhatIfResult> predictIndexes(PgSession &session, const WhatIfRequest &request, CancelToken *cancel)
{
    const auto cancelled = [] { return Error::make(errc::Cancelled, QStringLiteral("Cancelled.")); };
    WhatIfResult result;
    result.workload = request.workload;

    // What to simulate, checked before anything changes.
    QStringList statements;
    std::optional<IndexDefinition> typed;
    if (request.strategy) {
        result.strategyId = request.strategy->id();
        auto indexes = strategyIndexStatements(*request.strategy);
        if (!indexes)
            return indexes.error();
        if (indexes->statements.isEmpty())
            return inputError(
                QStringLiteral("%1 creates no index, so there is nothing to make hypothetical.").arg(result.strategyId),
                QStringLiteral("HypoPG simulates indexes only; %1 creates %2.")
                    .arg(result.strategyId,
                        indexes->notSimulated.isEmpty() ? QStringLiteral("nothing")
                                                        : indexes->notSimulated.join(QStringLiteral(", "))));
        statements = indexes->statements;
        result.notSimulated = indexes->notSimulated;
        auto status = request.strategy->status(session);
        if (!status)
            return status.error();
        if (status->state == StrategyState::Applied)
            result.notes << QStringLiteral("%1 is applied: its real indexes exist, so the plan without the "
                                           "hypothetical ones already reads them.")
                                .arg(result.strategyId);
    } else {
        auto def = validateIndexDefinition(session, request.definition);
        if (!def)
            return def.error();
        typed = def.value();
        statements << def->statement;
        if (def->concurrentlyRemoved)
            result.notes << QStringLiteral("CONCURRENTLY was removed: it says how a real build locks the table, and a "
                                           "hypothetical index is not built.");
    }
    const std::shared_ptr<Strategy> queryStrategy = request.strategy ? request.strategy
        : request.queryStrategy                                      ? request.queryStrategy
                                                                     : strategyById(QStringLiteral("baseline"));
    if (!queryStrategy)
        return Error::make(errc::Internal, QStringLiteral("The baseline strategy is missing from the catalog."));
    result.queryStrategyId = queryStrategy->id();
    if (auto st = request.workload.validate(); !st)
        return st.error();

    // HypoPG in this database.
    auto state = extensionState(session, Hypopg);
    if (!state)
        return state.error();
    if (state->installed.isEmpty()) {
        if (!state->available)
            return Error::make(errc::Missing,
                QStringLiteral("HypoPG is not available on this server, so indexes cannot be made hypothetical."),
                QString(), QStringLiteral("Install the server's HypoPG package (postgresql-15-hypopg on Debian 12)."));
        if (!request.mayCreateExtension)
            return inputError(
                QStringLiteral("HypoPG is not installed in this database, and creating it was not confirmed."),
                QStringLiteral("Confirm with --yes to create it (%1), or CREATE EXTENSION hypopg yourself.")
                    .arg(hypopgWhatIfConfirmLine()));
        auto created = ensureExtension(session, Hypopg, true, QStringLiteral("for a what-if"));
        if (!created)
            return created.error();
        result.createdExtension = created.value();
    }

    CancelScope scope(cancel, [&session] { session.cancel(); });
    // Whatever happens below, the session forgets its hypothetical indexes and HypoPG goes when this call created it.
    const auto cleanUp = [&]() -> Status {
        session.resetCancel();
        if (auto r = session.exec(QStringLiteral("SELECT hypopg_reset()")); !r)
            return r.error();
        if (result.createdExtension && request.dropCreatedExtension) {
            if (auto dropped = dropExtensionIfCreated(session, Hypopg); !dropped)
                return dropped.error();
        }
        return {};
    };
    const auto fail = [&](const Error &e) -> Error {
        const Status st = cleanUp();
        if (cancel && cancel->isCancelled())
            return cancelled();
        if (!st)
            return Error::make(e.code,
                e.message + QStringLiteral(" Cleaning up failed too: %1").arg(st.error().message), e.detail, e.hint);
        return e;
    };

    if (auto r = session.exec(QStringLiteral("SELECT hypopg_reset()")); !r)
        return fail(r.error());

    // The query, and its plan as it is now.
    std::optional<StrategyQuery> query;
    if (auto q = queryStrategy->query(session, request.workload); !q) {
        if (q.error().code == errc::Cancelled)
            return fail(q.error());
        result.planError
            = QStringLiteral("%1's query could not be built: %2").arg(result.queryStrategyId, q.error().message);
    } else if (!q->explainable()) {
        result.planError
            = QStringLiteral("%1 answers without SQL, so there is no plan to predict.").arg(result.queryStrategyId);
    } else {
        query = q.value();
        auto now = explainJson(session, *query);
        if (!now) {
            if (cancel && cancel->isCancelled())
                return fail(cancelled());
            result.planError
                = QStringLiteral("%1's query cannot be explained before the strategy is built (%2): HypoPG makes only "
                                 "indexes hypothetical, not the tables, columns or views the query reads.")
                      .arg(result.queryStrategyId, now.error().message);
            query.reset();
        } else {
            result.currentPlanJson = now.value();
            auto parsed = parseJsonPlan(result.currentPlanJson);
            if (!parsed)
                return fail(parsed.error());
            result.currentPlan = std::move(parsed).value();
        }
    }

    // The hypothetical indexes: each statement a bound parameter.
    for (const QString &statement : statements) {
        if (cancel && cancel->isCancelled())
            return fail(cancelled());
        WhatIfIndex index;
        index.definition = statement;
        index.intendedName = createdIndexName(statement);
        if (!typed) {
            // A strategy's index on a table it creates itself cannot be hypothetical: the table is not there yet.
            auto def = parseIndexDefinition(statement);
            if (def) {
                auto table = session.exec(sql(QStringLiteral("strategies/whatif_table")), { def->table });
                if (!table)
                    return fail(table.error());
                if (table->rows() == 0) {
                    index.refused = QStringLiteral("its table %1 does not exist before %2 is built")
                                        .arg(def->table, result.strategyId);
                    result.indexes << index;
                    continue;
                }
            }
        }
        auto created = session.exec(sql(QStringLiteral("strategies/whatif_create")), { statement });
        if (!created || created->rows() != 1) {
            if (cancel && cancel->isCancelled())
                return fail(cancelled());
            const QString why = !created ? created.error().message
                                         : QStringLiteral("HypoPG made %1 indexes of it").arg(created->rows());
            if (typed)
                return fail(inputError(QStringLiteral("HypoPG refused the index definition: %1").arg(why)));
            index.refused = QStringLiteral("HypoPG refused it: %1").arg(why);
            result.indexes << index;
            continue;
        }
        index.name = created->value(0, 1);
        auto size = session.exec(sql(QStringLiteral("strategies/whatif_size")), { created->value(0, 0) });
        if (!size)
            return fail(size.error());
        index.estimatedBytes = size->toLongLong(0, 0);
        result.indexes << index;
    }

    // The plan with them.
    if (query) {
        auto predicted = explainJson(session, *query);
        if (!predicted)
            return fail(predicted.error());
        auto parsed = parseJsonPlan(predicted.value());
        if (!parsed)
            return fail(parsed.error());
        QHash<QString, QString> labels;
        for (const QString &name : indexesInPlan(parsed.value())) {
            auto it = std::find_if(result.indexes.begin(), result.indexes.end(),
                [&](const WhatIfIndex &i) { return !i.name.isEmpty() && i.name == name; });
            if (it != result.indexes.end()) {
                it->used = true;
                labels.insert(name, shownName(*it) + QStringLiteral(" (hypothetical)"));
                result.indexesInPlan << labels.value(name);
            } else {
                result.indexesInPlan << name;
            }
        }
        // The plan names a hypothetical index as HypoPG does ("<16391>btree_content_tags_tag_id"); the plan kept
        // names it as its definition does, marked, so that every view shows the same name.
        result.predictedPlanJson = labels.isEmpty() ? predicted.value() : renameIndexes(predicted.value(), labels);
        auto named = parseJsonPlan(result.predictedPlanJson);
        if (!named)
            return fail(named.error());
        result.predictedPlan = std::move(named).value();
    }

    if (auto st = cleanUp(); !st)
        return st.error();
    if (cancel && cancel->isCancelled())
        return cancelled();
    return result;
}

QString formatPredictedPlan(const WhatIfResult &result, int width)
{
    if (!result.hasPlan())
        return {};
    const Plan &plan = result.predictedPlan;
    QList<int> depth(plan.size(), 0);
    QString out;
    for (int id = 0; id < plan.size(); ++id) {
        const PlanNode &n = plan.node(id);
        for (int child : n.children)
            depth[child] = depth[id] + 1;
        const QString label = n.label();
        const QString indent(2 * depth[id], QLatin1Char(' '));
        const QString head = indent + (id == 0 ? QString() : QStringLiteral("-> ")) + label;
        const QString figures = QStringLiteral("cost %1..%2, %3 rows")
                                    .arg(formatCost(n.startupCost), formatCost(n.totalCost), formatCount(n.planRows));
        if (width <= 0 || head.size() + 2 + figures.size() <= width)
            out += head + QStringLiteral("  ") + figures + QLatin1Char('\n');
        else
            out += head + QLatin1Char('\n') + indent + QStringLiteral("     ") + figures + QLatin1Char('\n');
    }
    return out;
}

QJsonObject toJson(const WhatIfResult &result)
{
    const auto orNull = [](double v) { return v >= 0 ? QJsonValue(v) : QJsonValue(); };
    QJsonObject o;
    o.insert(QStringLiteral("strategy"), result.strategyId.isEmpty() ? QJsonValue() : QJsonValue(result.strategyId));
    o.insert(QStringLiteral("query_strategy"), result.queryStrategyId);
    o.insert(QStringLiteral("workload"), result.workload.toJson());
    QJsonArray indexes;
    for (const WhatIfIndex &i : result.indexes) {
        QJsonObject j;
        j.insert(QStringLiteral("definition"), i.definition);
        j.insert(QStringLiteral("name"), i.intendedName.isEmpty() ? QJsonValue() : QJsonValue(i.intendedName));
        j.insert(QStringLiteral("hypopg_name"), i.name.isEmpty() ? QJsonValue() : QJsonValue(i.name));
        j.insert(QStringLiteral("estimated_bytes"),
            i.estimatedBytes >= 0 ? QJsonValue(double(i.estimatedBytes)) : QJsonValue());
        j.insert(QStringLiteral("used"), i.used);
        j.insert(QStringLiteral("refused"), i.refused.isEmpty() ? QJsonValue() : QJsonValue(i.refused));
        indexes.append(j);
    }
    o.insert(QStringLiteral("indexes"), indexes);
    o.insert(QStringLiteral("estimated_bytes"),
        result.estimatedBytes() >= 0 ? QJsonValue(double(result.estimatedBytes())) : QJsonValue());
    o.insert(QStringLiteral("not_simulated"), QJsonArray::fromStringList(result.notSimulated));
    o.insert(QStringLiteral("notes"), QJsonArray::fromStringList(result.notes));
    o.insert(QStringLiteral("current_cost"), orNull(result.currentCost()));
    o.insert(QStringLiteral("predicted_cost"), orNull(result.predictedCost()));
    o.insert(QStringLiteral("indexes_in_plan"), QJsonArray::fromStringList(result.indexesInPlan));
    o.insert(QStringLiteral("uses_hypothetical"), result.anyUsed());
    o.insert(QStringLiteral("verdict"), result.verdict());
    o.insert(QStringLiteral("plan_error"), result.planError.isEmpty() ? QJsonValue() : QJsonValue(result.planError));
    const auto planValue = [](const QByteArray &json) {
        const QJsonDocument d = QJsonDocument::fromJson(json);
        return d.isArray() ? QJsonValue(d.array()) : QJsonValue();
    };
    o.insert(QStringLiteral("predicted_plan"), planValue(result.predictedPlanJson));
    o.insert(QStringLiteral("current_plan"), planValue(result.currentPlanJson));
    return o;
}

} // namespace plansight
