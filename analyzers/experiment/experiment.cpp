#include "experiment/experiment.h"

#include "pg/pgsession.h"
#include "plan/planparser.h"
#include "strategies/ddlplan.h"
#include "strategies/strategy.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>

#include <toml++/toml.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

namespace plansight {

namespace {

constexpr int MaxParameters = 100;
constexpr int MaxVariants = 50;
constexpr int MaxWorkloads = 100;

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

int lineOf(const toml::node &node)
{
    return int(node.source().begin.line);
}

QString typeWords(const toml::node &node)
{
    switch (node.type()) {
    case toml::node_type::string:
        return QStringLiteral("a string");
    case toml::node_type::integer:
        return QStringLiteral("an integer");
    case toml::node_type::floating_point:
        return QStringLiteral("a floating-point number");
    case toml::node_type::boolean:
        return QStringLiteral("a boolean");
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
        return QStringLiteral("a date or time");
    case toml::node_type::array:
        return QStringLiteral("an array");
    case toml::node_type::table:
        return QStringLiteral("a table");
    default:
        return QStringLiteral("nothing");
    }
}

// What a value of `type` is written as, for messages.
QString valueWords(ParamType type)
{
    switch (type) {
    case ParamType::Int:
    case ParamType::BigInt:
        return QStringLiteral("an integer");
    case ParamType::Text:
        return QStringLiteral("a string in double quotes");
    case ParamType::Bool:
        return QStringLiteral("true or false");
    case ParamType::Numeric:
        return QStringLiteral("a number");
    case ParamType::Timestamptz:
        return QStringLiteral("a date and time with a zone, such as 2024-05-01T12:00:00Z");
    case ParamType::IntArray:
        return QStringLiteral("an array of integers, such as [1, 2]");
    case ParamType::TextArray:
        return QStringLiteral("an array of strings, such as [\"a\", \"b\"]");
    }
    return QStringLiteral("a value");
}

// Reads one manifest; every error names the manifest and, where known, the line.
class ManifestReader {
public:
    ManifestReader(QString manifestPath, QString directory, LoadMode mode)
        : m_path(std::move(manifestPath)), m_dir(std::move(directory)), m_mode(mode)
    {
    }

    Error error(int line, const QString &sentence) const
    {
        if (m_path.isEmpty()) // a value on its own (parseManifestValue)
            return Error::make(errc::Input, sentence);
        const QString where
            = line > 0 ? QStringLiteral("%1, line %2: ").arg(m_path).arg(line) : m_path + QStringLiteral(": ");
        return Error::make(errc::Input, where + sentence);
    }

    // Unknown keys of `table` (named `what` in messages) are errors listing the known ones.
    Status onlyKnownKeys(const toml::table &table, const QString &what, const QStringList &known) const
    {
        for (auto &&[key, node] : table) {
            const QString k = qs(key.str());
            if (!known.contains(k))
                return error(int(key.source().begin.line),
                    QStringLiteral("unknown key \"%1\" in %2; remove it or use one of: %3.")
                        .arg(k, what, known.join(QStringLiteral(", "))));
        }
        return {};
    }

    // A string value; `required`: absent is an error.
    Result<std::optional<QString>> string(
        const toml::table &table, const char *key, const QString &what, bool required, int tableLine) const
    {
        const toml::node *n = table.get(key);
        if (!n) {
            if (required)
                return error(tableLine, QStringLiteral("%1 has no \"%2\"; add %2 = \"...\".").arg(what, qs(key)));
            return std::optional<QString>();
        }
        if (!n->is_string())
            return error(lineOf(*n),
                QStringLiteral("\"%1\" in %2 is %3; write it as a string in double quotes.")
                    .arg(qs(key), what, typeWords(*n)));
        return std::optional<QString>(qs(n->as_string()->get()));
    }

    // The text of a SQL file the manifest names under `key` (relative to the directory).
    Result<QString> sqlFile(const QString &name, const char *key, const QString &what, int line) const
    {
        if (name.trimmed().isEmpty())
            return error(line,
                QStringLiteral("\"%1\" in %2 is empty; name a .sql file in the experiment's directory.")
                    .arg(qs(key), what));
        const QString path = QDir(m_dir).absoluteFilePath(name);
        QFileInfo fi(path);
        if (!fi.exists())
            return error(line,
                QStringLiteral("\"%1\" in %2 names %3, which does not exist; create it or correct the name.")
                    .arg(qs(key), what, QDir::toNativeSeparators(path)));
        if (!fi.isFile())
            return error(line,
                QStringLiteral("\"%1\" in %2 names %3, which is not a file; name a .sql file.")
                    .arg(qs(key), what, QDir::toNativeSeparators(path)));
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return error(line,
                QStringLiteral("\"%1\" in %2 names %3, which cannot be read (%4); check its permissions.")
                    .arg(qs(key), what, QDir::toNativeSeparators(path), f.errorString()));
        const QByteArray bytes = f.readAll();
        const QString text = QString::fromUtf8(bytes);
        if (text.toUtf8() != bytes)
            return error(line,
                QStringLiteral("%1 (\"%2\" in %3) is not valid UTF-8; save it as UTF-8.")
                    .arg(QDir::toNativeSeparators(path), qs(key), what));
        return text;
    }

    // A query file holds one statement (its final ';' and the comments before it are dropped).
    Result<QString> oneStatement(const QString &text, const QString &file, int line) const
    {
        const QStringList statements = splitSqlStatements(text);
        if (statements.isEmpty())
            return error(line, QStringLiteral("the query file %1 is empty; write the query there.").arg(file));
        if (statements.size() > 1)
            return error(line,
                QStringLiteral("the query file %1 holds %2 statements; a query file holds one query (put objects "
                               "in a variant's setup).")
                    .arg(file)
                    .arg(statements.size()));
        return statements.first();
    }

    // An array of tables ([[name]]); absent: empty.
    Result<QList<const toml::table *>> tables(const toml::table &root, const char *key) const
    {
        QList<const toml::table *> out;
        const toml::node *n = root.get(key);
        if (!n)
            return out;
        const toml::array *arr = n->as_array();
        if (!arr || !arr->is_array_of_tables())
            return error(lineOf(*n),
                QStringLiteral("\"%1\" is %2; write each entry as a [[%1]] table.").arg(qs(key), typeWords(*n)));
        for (auto &&e : *arr)
            out.append(e.as_table());
        return out;
    }

public:
    Result<QVariant> value(const toml::node &n, ParamType type, const QString &what) const
    {
        // A value still to be filled in, as `plansight experiment new` writes it: { fill = "bigint" }.
        if (const toml::table *t = n.as_table(); t && t->size() == 1 && t->contains("fill")) {
            if (m_mode == LoadMode::Edit)
                return QVariant();
            return error(lineOf(n),
                QStringLiteral("%1 is still to be filled in; replace { fill = ... } with %2 (its parameter is %3).")
                    .arg(what, valueWords(type), toString(type)));
        }
        auto wrong = [&](const QString &expected) {
            return error(lineOf(n),
                QStringLiteral("%1 must be %2 (its parameter is %3), not %4; correct the value.")
                    .arg(what, expected, toString(type), typeWords(n)));
        };
        switch (type) {
        case ParamType::Int:
        case ParamType::BigInt: {
            if (!n.is_integer())
                return wrong(QStringLiteral("an integer"));
            const qint64 v = n.as_integer()->get();
            if (type == ParamType::Int
                && (v < std::numeric_limits<qint32>::min() || v > std::numeric_limits<qint32>::max()))
                return error(lineOf(n),
                    QStringLiteral("%1 is %2, which does not fit an int parameter; declare the parameter bigint.")
                        .arg(what)
                        .arg(v));
            return QVariant(qlonglong(v));
        }
        case ParamType::Text:
            if (!n.is_string())
                return wrong(QStringLiteral("a string"));
            return QVariant(qs(n.as_string()->get()));
        case ParamType::Bool:
            if (!n.is_boolean())
                return wrong(QStringLiteral("true or false"));
            return QVariant(n.as_boolean()->get());
        case ParamType::Numeric: {
            if (n.is_integer())
                return QVariant(QString::number(n.as_integer()->get()));
            if (n.is_floating_point())
                return QVariant(QString::number(n.as_floating_point()->get(), 'g', QLocale::FloatingPointShortest));
            if (!n.is_string())
                return wrong(QStringLiteral("a number or a string holding one"));
            const QString s = qs(n.as_string()->get()).trimmed();
            static const QRegularExpression numeric(QStringLiteral("^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$"));
            if (!numeric.match(s).hasMatch())
                return error(lineOf(n),
                    QStringLiteral("%1 is \"%2\", which is not a number; write digits such as "
                                   "\"12.50\".")
                        .arg(what, s));
            return QVariant(s);
        }
        case ParamType::Timestamptz: {
            if (n.is_date_time()) {
                const toml::date_time dt = n.as_date_time()->get();
                if (!dt.offset)
                    return error(lineOf(n),
                        QStringLiteral("%1 has no time zone; add one (Z or +02:00) so that it is a timestamptz.")
                            .arg(what));
                const QDate date(dt.date.year, dt.date.month, dt.date.day);
                const QTime time(dt.time.hour, dt.time.minute, dt.time.second, int(dt.time.nanosecond / 1000000));
                const QDateTime v(date, time, QTimeZone(dt.offset->minutes * 60));
                return QVariant(v.toString(Qt::ISODateWithMs));
            }
            if (!n.is_string())
                return wrong(QStringLiteral("a date and time with a zone (2024-05-01T12:00:00Z)"));
            const QString s = qs(n.as_string()->get()).trimmed();
            const QDateTime v = QDateTime::fromString(s, Qt::ISODateWithMs);
            if (!v.isValid() || v.timeSpec() == Qt::LocalTime)
                return error(lineOf(n),
                    QStringLiteral("%1 is \"%2\", which is not an ISO 8601 date and time with a zone; write it as "
                                   "2024-05-01T12:00:00Z.")
                        .arg(what, s));
            return QVariant(s);
        }
        case ParamType::IntArray:
        case ParamType::TextArray: {
            const toml::array *arr = n.as_array();
            if (!arr)
                return wrong(QStringLiteral("an array"));
            QStringList items;
            const ParamType element = type == ParamType::IntArray ? ParamType::Int : ParamType::Text;
            int i = 0;
            for (auto &&e : *arr) {
                ++i;
                auto v = value(e, element, QStringLiteral("element %1 of %2").arg(i).arg(what));
                if (!v)
                    return v.error();
                items.append(v->toString());
            }
            return QVariant(items);
        }
        }
        return wrong(QStringLiteral("a value"));
    }

    Result<Experiment> read(const QString &text)
    {
        Experiment ex;
        ex.directory = m_dir;
        ex.manifestPath = m_path;
        toml::table root;
        const std::string utf8 = text.toStdString();
#if TOML_EXCEPTIONS
        try {
            root = toml::parse(utf8, m_path.toStdString());
        } catch (const toml::parse_error &e) {
            return error(int(e.source().begin.line),
                QStringLiteral("%1; correct the TOML syntax there.").arg(qs(e.description())));
        }
#else
        toml::parse_result parsed = toml::parse(utf8, m_path.toStdString());
        if (!parsed)
            return error(int(parsed.error().source().begin.line),
                QStringLiteral("%1; correct the TOML syntax there.").arg(qs(parsed.error().description())));
        root = std::move(parsed).table();
#endif
        const QString top = QStringLiteral("the manifest");
        if (auto st = onlyKnownKeys(root, top,
                { QStringLiteral("title"), QStringLiteral("description"), QStringLiteral("query"),
                    QStringLiteral("parameter"), QStringLiteral("workload"), QStringLiteral("check"),
                    QStringLiteral("variant"), QStringLiteral("production_plan") });
            !st)
            return st.error();
        auto title = string(root, "title", top, true, 0);
        if (!title)
            return title.error();
        ex.title = title->value_or(QString());
        auto description = string(root, "description", top, false, 0);
        if (!description)
            return description.error();
        ex.description = description->value_or(QString());
        auto query = string(root, "query", top, true, 0);
        if (!query)
            return query.error();
        ex.queryFile = **query;
        const int queryLine = lineOf(*root.get("query"));
        auto querySql = sqlFile(ex.queryFile, "query", top, queryLine);
        if (!querySql)
            return querySql.error();
        auto statement = oneStatement(querySql.value(), ex.queryFile, queryLine);
        if (!statement)
            return statement.error();
        ex.querySql = statement.value();
        ex.queryFileText = querySql.value();

        if (auto st = readProductionPlan(root, ex); !st)
            return st.error();
        if (auto st = readParameters(root, ex); !st)
            return st.error();
        const int placeholders = ex.parameters.size();
        auto count = placeholderCount(ex.querySql);
        if (!count)
            return error(queryLine, QStringLiteral("%1: %2").arg(ex.queryFile, count.error().message));
        if (count.value() != placeholders)
            return error(queryLine,
                QStringLiteral("the baseline query %1 uses %2 placeholders ($1..$%2) but the manifest declares %3 "
                               "[[parameter]] tables; declare one per placeholder, in order.")
                    .arg(ex.queryFile)
                    .arg(count.value())
                    .arg(placeholders));
        if (auto st = readWorkloads(root, ex); !st)
            return st.error();
        if (auto st = readCheck(root, ex); !st)
            return st.error();
        if (auto st = readVariants(root, ex); !st)
            return st.error();
        return ex;
    }

private:
    Status readProductionPlan(const toml::table &root, Experiment &ex) const
    {
        const QString top = QStringLiteral("the manifest");
        auto file = string(root, "production_plan", top, false, 0);
        if (!file)
            return file.error();
        if (!file->has_value())
            return {};
        ex.productionPlanFile = **file;
        const int line = lineOf(*root.get("production_plan"));
        auto text = sqlFile(ex.productionPlanFile, "production_plan", top, line);
        if (!text)
            return text.error();
        if (auto plan = parsePlan(text->toUtf8()); !plan)
            return error(line,
                QStringLiteral("production_plan names %1, which is not a plan PlanSight can read (%2); put EXPLAIN or "
                               "auto_explain output there, JSON or text.")
                    .arg(ex.productionPlanFile, plan.error().message));
        ex.productionPlanText = text.value();
        return {};
    }

    Status readParameters(const toml::table &root, Experiment &ex) const
    {
        auto params = tables(root, "parameter");
        if (!params)
            return params.error();
        if (params->size() > MaxParameters)
            return error(
                0, QStringLiteral("more than %1 parameters; a query takes at most that many.").arg(MaxParameters));
        QSet<QString> names;
        int i = 0;
        for (const toml::table *t : params.value()) {
            ++i;
            const int line = lineOf(*t);
            const QString what = QStringLiteral("[[parameter]] %1").arg(i);
            if (auto st = onlyKnownKeys(*t, what, { QStringLiteral("name"), QStringLiteral("type") }); !st)
                return st;
            auto name = string(*t, "name", what, true, line);
            if (!name)
                return name.error();
            auto type = string(*t, "type", what, true, line);
            if (!type)
                return type.error();
            ExperimentParameter p;
            p.name = **name;
            if (p.name.trimmed().isEmpty() || names.contains(p.name))
                return error(line,
                    QStringLiteral("%1 needs a name of its own (\"%2\" is empty or used twice); rename it.")
                        .arg(what, p.name));
            names.insert(p.name);
            auto pt = paramTypeFromString(**type);
            if (!pt)
                return error(
                    lineOf(*t->get("type")), QStringLiteral("%1 (%2): %3").arg(what, p.name, pt.error().message));
            p.type = pt.value();
            ex.parameters.append(p);
        }
        return {};
    }

    Status readWorkloads(const toml::table &root, Experiment &ex) const
    {
        auto sets = tables(root, "workload");
        if (!sets)
            return sets.error();
        if (sets->isEmpty()) {
            if (!ex.parameters.isEmpty())
                return error(0,
                    QStringLiteral("the query has parameters but the manifest has no [[workload]]; add one "
                                   "with name = \"...\" and values = [...]."));
            ParameterSet none;
            none.name = QStringLiteral("default");
            ex.workloads.append(none);
            return {};
        }
        if (sets->size() > MaxWorkloads)
            return error(0, QStringLiteral("more than %1 workloads; split the experiment.").arg(MaxWorkloads));
        QSet<QString> names;
        int i = 0;
        for (const toml::table *t : sets.value()) {
            ++i;
            const int line = lineOf(*t);
            QString what = QStringLiteral("[[workload]] %1").arg(i);
            if (auto st = onlyKnownKeys(
                    *t, what, { QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("values") });
                !st)
                return st;
            auto name = string(*t, "name", what, true, line);
            if (!name)
                return name.error();
            ParameterSet set;
            set.name = name->value().trimmed();
            static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$"));
            if (!valid.match(set.name).hasMatch())
                return error(lineOf(*t->get("name")),
                    QStringLiteral("%1 is named \"%2\"; use letters, digits, '-', '_' and '.' (at most 60).")
                        .arg(what, set.name));
            if (names.contains(set.name))
                return error(line, QStringLiteral("two workloads are named \"%1\"; rename one.").arg(set.name));
            names.insert(set.name);
            what = QStringLiteral("workload \"%1\"").arg(set.name);
            auto description = string(*t, "description", what, false, line);
            if (!description)
                return description.error();
            set.description = description->value_or(QString());
            const toml::node *values = t->get("values");
            if (!values && !ex.parameters.isEmpty())
                return error(line,
                    QStringLiteral("%1 has no \"values\"; add values = [...] with %2 values, one per parameter.")
                        .arg(what)
                        .arg(ex.parameters.size()));
            if (values) {
                const toml::array *arr = values->as_array();
                if (!arr)
                    return error(lineOf(*values),
                        QStringLiteral("\"values\" of %1 is %2; write an array, one value per parameter.")
                            .arg(what, typeWords(*values)));
                if (int(arr->size()) != ex.parameters.size())
                    return error(lineOf(*values),
                        QStringLiteral("%1 gives %2 values but the query has %3 parameters; give one value per "
                                       "parameter, in order.")
                            .arg(what)
                            .arg(arr->size())
                            .arg(ex.parameters.size()));
                for (int k = 0; k < ex.parameters.size(); ++k) {
                    const ExperimentParameter &p = ex.parameters[k];
                    auto v = value(*arr->get(size_t(k)), p.type,
                        QStringLiteral("value %1 ($%1, %2) of %3").arg(k + 1).arg(p.name, what));
                    if (!v)
                        return v.error();
                    set.values.append(v.value());
                }
            }
            ex.workloads.append(set);
        }
        return {};
    }

    Status readCheck(const toml::table &root, Experiment &ex) const
    {
        const toml::node *n = root.get("check");
        if (!n)
            return {};
        const toml::table *t = n->as_table();
        if (!t)
            return error(
                lineOf(*n), QStringLiteral("\"check\" is %1; write it as a [check] table.").arg(typeWords(*n)));
        const QString what = QStringLiteral("[check]");
        if (auto st
            = onlyKnownKeys(*t, what, { QStringLiteral("order"), QStringLiteral("key"), QStringLiteral("row_cap") });
            !st)
            return st;
        auto order = string(*t, "order", what, false, lineOf(*t));
        if (!order)
            return order.error();
        if (order->has_value()) {
            if (**order == QLatin1String("ordered"))
                ex.check.order = ExperimentCheck::Order::Ordered;
            else if (**order == QLatin1String("multiset"))
                ex.check.order = ExperimentCheck::Order::Multiset;
            else
                return error(lineOf(*t->get("order")),
                    QStringLiteral("order = \"%1\" in [check] is not known; write \"ordered\" (the rows' order "
                                   "counts) or \"multiset\" (it does not).")
                        .arg(**order));
        }
        if (const toml::node *key = t->get("key")) {
            const toml::array *arr = key->as_array();
            if (!arr || arr->empty())
                return error(lineOf(*key),
                    QStringLiteral("key in [check] must be a non-empty array of column names, such as [\"id\"]; "
                                   "remove it to compare all columns."));
            for (auto &&e : *arr) {
                if (!e.is_string() || qs(e.as_string()->get()).isEmpty())
                    return error(lineOf(e),
                        QStringLiteral("key in [check] holds %1; write column names as strings.").arg(typeWords(e)));
                ex.check.keyColumns.append(qs(e.as_string()->get()));
            }
        }
        if (const toml::node *cap = t->get("row_cap")) {
            if (!cap->is_integer() || cap->as_integer()->get() < 1 || cap->as_integer()->get() > 10000000)
                return error(lineOf(*cap),
                    QStringLiteral("row_cap in [check] must be an integer from 1 to 10000000 (rows beyond it are "
                                   "compared by hash)."));
            ex.check.rowCap = int(cap->as_integer()->get());
        }
        return {};
    }

    Status readVariants(const toml::table &root, Experiment &ex) const
    {
        auto variants = tables(root, "variant");
        if (!variants)
            return variants.error();
        if (variants->isEmpty() && m_mode == LoadMode::Run)
            return error(0,
                QStringLiteral("the manifest has no [[variant]]; add one with id, title and a setup, "
                               "query or settings to compare with the baseline."));
        if (variants->size() > MaxVariants)
            return error(0, QStringLiteral("more than %1 variants; split the experiment.").arg(MaxVariants));
        QSet<QString> ids;
        int i = 0;
        for (const toml::table *t : variants.value()) {
            ++i;
            ExperimentVariant v;
            v.line = lineOf(*t);
            QString what = QStringLiteral("[[variant]] %1").arg(i);
            if (auto st = onlyKnownKeys(*t, what,
                    { QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("description"),
                        QStringLiteral("setup"), QStringLiteral("teardown"), QStringLiteral("query"),
                        QStringLiteral("settings") });
                !st)
                return st;
            auto id = string(*t, "id", what, true, v.line);
            if (!id)
                return id.error();
            v.id = **id;
            static const QRegularExpression validId(QStringLiteral("^[a-z][a-z0-9-]{0,39}$"));
            if (!validId.match(v.id).hasMatch())
                return error(lineOf(*t->get("id")),
                    QStringLiteral("%1 has id \"%2\"; an id is lower-case letters, digits and '-', starting with a "
                                   "letter, at most 40 characters.")
                        .arg(what, v.id));
            if (v.id == QLatin1String("baseline") || strategyById(v.id))
                return error(lineOf(*t->get("id")),
                    QStringLiteral("%1 has id \"%2\", which is taken by %3; choose another id.")
                        .arg(what, v.id,
                            v.id == QLatin1String("baseline") ? QStringLiteral("the experiment's baseline query")
                                                              : QStringLiteral("a built-in strategy")));
            if (ids.contains(v.id))
                return error(v.line, QStringLiteral("two variants have id \"%1\"; rename one.").arg(v.id));
            ids.insert(v.id);
            what = QStringLiteral("variant \"%1\"").arg(v.id);
            auto title = string(*t, "title", what, true, v.line);
            if (!title)
                return title.error();
            v.title = **title;
            auto description = string(*t, "description", what, false, v.line);
            if (!description)
                return description.error();
            v.description = description->value_or(QString());
            struct FileKey {
                const char *key;
                QString *file;
                QString *text;
            };
            for (const FileKey &fk : { FileKey { "setup", &v.setupFile, &v.setupSql },
                     FileKey { "teardown", &v.teardownFile, &v.teardownSql },
                     FileKey { "query", &v.queryFile, &v.querySql } }) {
                auto name = string(*t, fk.key, what, false, v.line);
                if (!name)
                    return name.error();
                if (!name->has_value())
                    continue;
                *fk.file = **name;
                const int line = lineOf(*t->get(fk.key));
                auto text = sqlFile(*fk.file, fk.key, what, line);
                if (!text)
                    return text.error();
                *fk.text = text.value();
                auto count = placeholderCount(*fk.text);
                if (!count)
                    return error(line, QStringLiteral("%1: %2").arg(*fk.file, count.error().message));
                if (qstrcmp(fk.key, "query") == 0) {
                    auto statement = oneStatement(*fk.text, *fk.file, line);
                    if (!statement)
                        return statement.error();
                    v.queryFileText = *fk.text;
                    *fk.text = statement.value();
                    if (count.value() != ex.parameters.size())
                        return error(line,
                            QStringLiteral("the query %1 of %2 uses %3 placeholders but the baseline has %4 "
                                           "parameters; a rewrite takes the same parameters ($1..$%4).")
                                .arg(*fk.file, what)
                                .arg(count.value())
                                .arg(ex.parameters.size()));
                } else if (count.value() > 0) {
                    return error(line,
                        QStringLiteral("the %1 file %2 of %3 uses $%4; setup and teardown run without parameters, "
                                       "so write the values into it.")
                            .arg(qs(fk.key), *fk.file, what)
                            .arg(count.value()));
                }
            }
            if (!v.teardownSql.trimmed().isEmpty() && v.setupSql.trimmed().isEmpty())
                return error(lineOf(*t->get("teardown")),
                    QStringLiteral("%1 has a teardown but no setup; add the setup it undoes or remove the teardown.")
                        .arg(what));
            if (const toml::node *settings = t->get("settings")) {
                const toml::table *st = settings->as_table();
                if (!st)
                    return error(lineOf(*settings),
                        QStringLiteral("\"settings\" of %1 is %2; write it as a [variant.settings] table of "
                                       "name = value.")
                            .arg(what, typeWords(*settings)));
                static const QRegularExpression validName(
                    QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)?$"));
                for (auto &&[key, node] : *st) {
                    SettingOverride o;
                    o.name = qs(key.str());
                    o.line = int(key.source().begin.line);
                    if (!validName.match(o.name).hasMatch())
                        return error(o.line,
                            QStringLiteral("\"%1\" in the settings of %2 is not a setting name; use a name from "
                                           "pg_settings such as work_mem.")
                                .arg(o.name, what));
                    static const QStringList reserved { QStringLiteral("statement_timeout"),
                        QStringLiteral("lock_timeout"), QStringLiteral("idle_in_transaction_session_timeout"),
                        QStringLiteral("transaction_read_only"), QStringLiteral("default_transaction_read_only"),
                        QStringLiteral("role"), QStringLiteral("session_authorization") };
                    if (reserved.contains(o.name.toLower()))
                        return error(o.line,
                            QStringLiteral("%1 sets %2, which PlanSight keeps for the session itself (timeouts and "
                                           "safety); remove it (plansight run --timeout-ms sets the timeout).")
                                .arg(what, o.name));
                    if (node.is_string())
                        o.value = qs(node.as_string()->get());
                    else if (node.is_integer())
                        o.value = QString::number(node.as_integer()->get());
                    else if (node.is_floating_point())
                        o.value = QString::number(node.as_floating_point()->get(), 'g', QLocale::FloatingPointShortest);
                    else if (node.is_boolean())
                        o.value = node.as_boolean()->get() ? QStringLiteral("on") : QStringLiteral("off");
                    else
                        return error(o.line,
                            QStringLiteral("setting \"%1\" of %2 is %3; write a string, a number or a boolean.")
                                .arg(o.name, what, typeWords(node)));
                    v.settings.append(o);
                }
                // toml++ iterates a table's keys sorted; the settings keep the manifest's order (the editor shows
                // them as written, and the writer writes them back so).
                std::stable_sort(v.settings.begin(), v.settings.end(),
                    [](const SettingOverride &a, const SettingOverride &b) { return a.line < b.line; });
            }
            if (!v.hasObjects() && v.querySql.isEmpty() && v.settings.isEmpty())
                return error(
                    v.line, QStringLiteral("%1 changes nothing; give it a setup, a query or settings.").arg(what));
            ex.variants.append(v);
        }
        return {};
    }

    QString m_path;
    QString m_dir;
    LoadMode m_mode;
};

} // namespace

QString toString(ParamType type)
{
    switch (type) {
    case ParamType::Int:
        return QStringLiteral("int");
    case ParamType::BigInt:
        return QStringLiteral("bigint");
    case ParamType::Text:
        return QStringLiteral("text");
    case ParamType::Bool:
        return QStringLiteral("bool");
    case ParamType::Numeric:
        return QStringLiteral("numeric");
    case ParamType::Timestamptz:
        return QStringLiteral("timestamptz");
    case ParamType::IntArray:
        return QStringLiteral("int[]");
    case ParamType::TextArray:
        return QStringLiteral("text[]");
    }
    return QStringLiteral("text");
}

Result<ParamType> paramTypeFromString(const QString &text)
{
    for (ParamType t : { ParamType::Int, ParamType::BigInt, ParamType::Text, ParamType::Bool, ParamType::Numeric,
             ParamType::Timestamptz, ParamType::IntArray, ParamType::TextArray }) {
        if (toString(t) == text.trimmed().toLower())
            return t;
    }
    return Error::make(errc::Input,
        QStringLiteral("the type \"%1\" is not known; use int, bigint, text, bool, numeric, timestamptz, int[] or "
                       "text[].")
            .arg(text));
}

bool isFilledIn(const Experiment &experiment)
{
    for (const ParameterSet &set : experiment.workloads)
        for (const QVariant &v : set.values)
            if (!v.isValid())
                return false;
    return true;
}

const ExperimentVariant *Experiment::variant(const QString &id) const
{
    for (const ExperimentVariant &v : variants)
        if (v.id == id)
            return &v;
    return nullptr;
}

Result<QVariant> parseManifestValue(const QString &text, ParamType type)
{
    if (text.trimmed().isEmpty())
        return QVariant();
    // The value as the right-hand side of one key: toml++ reads it as the manifest's reader does.
    const std::string doc = QString(QStringLiteral("v = ") + text.trimmed() + QLatin1Char('\n')).toStdString();
    toml::table root;
#if TOML_EXCEPTIONS
    try {
        root = toml::parse(doc);
    } catch (const toml::parse_error &e) {
        return Error::make(errc::Input,
            QStringLiteral("\"%1\" is not a value the manifest can hold (%2); write text in double quotes, numbers "
                           "bare, arrays as [1, 2].")
                .arg(text.trimmed(), qs(e.description())));
    }
#else
    toml::parse_result parsed = toml::parse(doc);
    if (!parsed)
        return Error::make(errc::Input,
            QStringLiteral("\"%1\" is not a value the manifest can hold (%2); write text in double quotes, numbers "
                           "bare, arrays as [1, 2].")
                .arg(text.trimmed(), qs(parsed.error().description())));
    root = std::move(parsed).table();
#endif
    if (root.size() != 1 || !root.get("v"))
        return Error::make(
            errc::Input, QStringLiteral("\"%1\" is more than one value; write one value.").arg(text.trimmed()));
    ManifestReader reader(QString(), QString(), LoadMode::Edit);
    return reader.value(*root.get("v"), type, QStringLiteral("\"%1\"").arg(text.trimmed()));
}

Result<int> placeholderCount(const QString &sql)
{
    QSet<int> seen;
    int highest = 0;
    const qsizetype n = sql.size();
    auto isIdent = [](QChar c) { return c.isLetterOrNumber() || c == u'_' || c == u'$'; };
    qsizetype i = 0;
    while (i < n) {
        const QChar c = sql[i];
        if (c == u'-' && i + 1 < n && sql[i + 1] == u'-') {
            while (i < n && sql[i] != u'\n')
                ++i;
        } else if (c == u'/' && i + 1 < n && sql[i + 1] == u'*') {
            int depth = 1;
            i += 2;
            while (i < n && depth > 0) {
                if (sql[i] == u'/' && i + 1 < n && sql[i + 1] == u'*') {
                    ++depth;
                    i += 2;
                } else if (sql[i] == u'*' && i + 1 < n && sql[i + 1] == u'/') {
                    --depth;
                    i += 2;
                } else {
                    ++i;
                }
            }
        } else if (c == u'\'' || c == u'"') {
            const bool backslashes
                = c == u'\'' && i > 0 && (sql[i - 1] == u'E' || sql[i - 1] == u'e') && (i < 2 || !isIdent(sql[i - 2]));
            ++i;
            while (i < n) {
                if (backslashes && sql[i] == u'\\') {
                    i += 2;
                    continue;
                }
                if (sql[i] == c) {
                    if (i + 1 < n && sql[i + 1] == c) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                ++i;
            }
            ++i;
        } else if (c == u'$' && (i == 0 || !isIdent(sql[i - 1]))) {
            qsizetype j = i + 1;
            if (j < n && sql[j].isDigit()) {
                while (j < n && sql[j].isDigit())
                    ++j;
                bool ok = false;
                const int k = sql.mid(i + 1, j - i - 1).toInt(&ok);
                if (!ok || k > 65535)
                    return Error::make(errc::Input,
                        QStringLiteral("the placeholder $%1 is out of range; number "
                                       "them $1, $2, ...")
                            .arg(sql.mid(i + 1, j - i - 1)));
                seen.insert(k);
                highest = std::max(highest, k);
                i = j;
                continue;
            }
            while (j < n && (sql[j].isLetterOrNumber() || sql[j] == u'_'))
                ++j;
            if (j < n && sql[j] == u'$') {
                const QString tag = sql.mid(i, j - i + 1);
                const qsizetype end = sql.indexOf(tag, j + 1);
                i = end < 0 ? n : end + tag.size();
                continue;
            }
            ++i;
        } else {
            ++i;
        }
    }
    for (int k = 1; k <= highest; ++k) {
        if (!seen.contains(k))
            return Error::make(errc::Input,
                QStringLiteral("the query uses $%1 but not $%2; number the placeholders $1..$%1 without gaps.")
                    .arg(highest)
                    .arg(k));
    }
    return highest;
}

Result<Experiment> loadExperiment(const QString &directory, LoadMode mode)
{
    QFileInfo fi(directory);
    if (!fi.exists())
        return Error::make(errc::Missing,
            QStringLiteral("%1 does not exist; give the directory of an experiment (the one holding %2).")
                .arg(QDir::toNativeSeparators(directory), ExperimentManifestName));
    const QString manifest
        = fi.isDir() ? QDir(fi.absoluteFilePath()).absoluteFilePath(ExperimentManifestName) : fi.absoluteFilePath();
    const QString dir = QFileInfo(manifest).absolutePath();
    QFile f(manifest);
    if (!QFileInfo::exists(manifest))
        return Error::make(errc::Missing,
            QStringLiteral("%1 has no %2; an experiment is a directory with this manifest (docs/experiments.md).")
                .arg(QDir::toNativeSeparators(dir), ExperimentManifestName));
    if (!f.open(QIODevice::ReadOnly))
        return Error::make(errc::Io,
            QStringLiteral("%1 cannot be read (%2); check its permissions.")
                .arg(QDir::toNativeSeparators(manifest), f.errorString()));
    const QByteArray bytes = f.readAll();
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() != bytes)
        return Error::make(errc::Input,
            QStringLiteral("%1 is not valid UTF-8; save it as UTF-8.").arg(QDir::toNativeSeparators(manifest)));
    ManifestReader reader(QDir::toNativeSeparators(manifest), dir, mode);
    return reader.read(text);
}

Status checkSettingsOnServer(PgSession &session, const Experiment &experiment)
{
    // The one check of setting overrides against a server (pg/sessionsettings.h): known, changeable for a session,
    // and a value the server accepts.
    for (const ExperimentVariant &v : experiment.variants) {
        for (const SettingOverride &o : v.settings) {
            const QString owner = QStringLiteral("%1, line %2: variant \"%3\"")
                                      .arg(QDir::toNativeSeparators(experiment.manifestPath))
                                      .arg(o.line)
                                      .arg(v.id);
            if (auto st = checkSettingOverrides(session, { o }, owner); !st)
                return st;
        }
    }
    return {};
}

} // namespace plansight
