// The experiment writer (experiment.h: manifestText, saveExperiment, experimentDifference): an Experiment in memory
// becomes a directory that loadExperiment() reads back as the same experiment (docs/experiments.md, "Writing an
// experiment").

#include "experiment/experiment.h"

#include "strategies/ddlplan.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSaveFile>

#include <toml++/toml.h>

#include <sstream>

namespace plansight {

namespace {

// One value as TOML writes it, through toml++'s formatter: its quoting and escaping. Non-ASCII text stays as it is.
template<typename T>
QString tomlValue(T value)
{
    const toml::value<T> node(std::move(value));
    std::ostringstream out;
    out << toml::toml_formatter(node, toml::format_flags::allow_unicode_strings);
    return QString::fromStdString(out.str());
}

QString tomlString(const QString &s)
{
    return tomlValue(s.toStdString());
}

// A key: bare when TOML allows it, else a quoted string ("auto_explain.log_min_duration" must be quoted, or it would
// be read as a table).
QString tomlKey(const QString &key)
{
    static const QRegularExpression bare(QStringLiteral("^[A-Za-z0-9_-]+$"));
    return bare.match(key).hasMatch() ? key : tomlString(key);
}

QString tomlArray(const QStringList &items)
{
    return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// A workload value as the reader takes it for `type` (experiment.cpp, ManifestReader::value): integers bare, text,
// numeric and timestamptz as strings (the reader keeps a string exactly as written), arrays of their elements.
QString valueText(const QVariant &value, ParamType type)
{
    if (!value.isValid())
        return QStringLiteral("{ fill = %1 }").arg(tomlString(toString(type)));
    switch (type) {
    case ParamType::Int:
    case ParamType::BigInt:
        return tomlValue(int64_t(value.toLongLong()));
    case ParamType::Bool:
        return tomlValue(value.toBool());
    case ParamType::Text:
    case ParamType::Numeric:
    case ParamType::Timestamptz:
        return tomlString(value.toString());
    case ParamType::IntArray: {
        QStringList items;
        for (const QString &e : value.toStringList())
            items << tomlValue(int64_t(e.toLongLong()));
        return tomlArray(items);
    }
    case ParamType::TextArray: {
        QStringList items;
        for (const QString &e : value.toStringList())
            items << tomlString(e);
        return tomlArray(items);
    }
    }
    return tomlString(value.toString());
}

void line(QString &out, const QString &key, const QString &value)
{
    out += tomlKey(key) + QStringLiteral(" = ") + value + QLatin1Char('\n');
}

void stringLine(QString &out, const QString &key, const QString &value, bool always = false)
{
    if (always || !value.isEmpty())
        line(out, key, tomlString(value));
}

// A file name the manifest may hold: relative, inside the directory, not the manifest itself.
Status checkFileName(const QString &name, const QString &what)
{
    const QString clean = QDir::cleanPath(name);
    if (name.trimmed().isEmpty() || QDir::isAbsolutePath(name) || clean == QLatin1String("..")
        || clean.startsWith(QLatin1String("../")) || clean == QLatin1String(".") || clean == ExperimentManifestName)
        return Error::make(errc::Input,
            QStringLiteral("%1 is named \"%2\"; name a file inside the experiment's directory, such as query.sql.")
                .arg(what, name));
    return {};
}

// Whether a query file's text, as read, still holds `statement` as its one statement (then it is written as it was,
// comments included; else the statement alone is written).
bool fileHolds(const QString &fileText, const QString &statement)
{
    if (fileText.isEmpty())
        return false;
    const QStringList statements = splitSqlStatements(fileText);
    return statements.size() == 1 && statements.first() == statement;
}

bool sameValue(const QVariant &a, const QVariant &b)
{
    if (a.isValid() != b.isValid())
        return false;
    if (!a.isValid())
        return true;
    if (a.typeId() == QMetaType::QStringList || b.typeId() == QMetaType::QStringList)
        return a.toStringList() == b.toStringList();
    if (a.typeId() == QMetaType::Bool || b.typeId() == QMetaType::Bool)
        return a.typeId() == b.typeId() && a.toBool() == b.toBool();
    return a.toString() == b.toString();
}

} // namespace

QString manifestText(const Experiment &ex)
{
    QString out;
    stringLine(out, QStringLiteral("title"), ex.title, true);
    stringLine(out, QStringLiteral("description"), ex.description);
    stringLine(out, QStringLiteral("query"), ex.queryFile, true);
    stringLine(out, QStringLiteral("production_plan"), ex.productionPlanFile);
    for (int i = 0; i < ex.parameters.size(); ++i) {
        out += QStringLiteral("\n[[parameter]]%1\n")
                   .arg(i == 0 ? QStringLiteral("           # one per placeholder, in order: $1") : QString());
        stringLine(out, QStringLiteral("name"), ex.parameters[i].name, true);
        stringLine(out, QStringLiteral("type"), toString(ex.parameters[i].type), true);
    }
    const bool onlyDefault = ex.parameters.isEmpty() && ex.workloads.size() == 1
        && ex.workloads.first().name == QLatin1String("default") && ex.workloads.first().description.isEmpty();
    for (const ParameterSet &set : ex.workloads) {
        if (onlyDefault)
            break; // what the reader makes of a query without parameters and without [[workload]]
        out += QStringLiteral("\n[[workload]]\n");
        stringLine(out, QStringLiteral("name"), set.name, true);
        stringLine(out, QStringLiteral("description"), set.description);
        if (ex.parameters.isEmpty())
            continue;
        QStringList values;
        bool unfilled = false;
        for (int k = 0; k < ex.parameters.size(); ++k) {
            const QVariant v = k < set.values.size() ? set.values[k] : QVariant();
            unfilled = unfilled || !v.isValid();
            values << valueText(v, ex.parameters[k].type);
        }
        if (unfilled)
            out += QStringLiteral("# Fill in every { fill = \"type\" } with a value of that type (docs/experiments.md, "
                                  "\"Types\"); plansight run refuses the experiment until then.\n");
        line(out, QStringLiteral("values"), tomlArray(values));
    }
    out += QStringLiteral("\n[check]\n");
    line(out, QStringLiteral("order"),
        tomlString(ex.check.order == ExperimentCheck::Order::Multiset ? QStringLiteral("multiset")
                                                                      : QStringLiteral("ordered")));
    if (!ex.check.keyColumns.isEmpty()) {
        QStringList keys;
        for (const QString &k : ex.check.keyColumns)
            keys << tomlString(k);
        line(out, QStringLiteral("key"), tomlArray(keys));
    }
    if (ex.check.rowCap != ExperimentCheck().rowCap)
        line(out, QStringLiteral("row_cap"), tomlValue(int64_t(ex.check.rowCap)));
    for (const ExperimentVariant &v : ex.variants) {
        out += QStringLiteral("\n[[variant]]\n");
        stringLine(out, QStringLiteral("id"), v.id, true);
        stringLine(out, QStringLiteral("title"), v.title, true);
        stringLine(out, QStringLiteral("description"), v.description);
        stringLine(out, QStringLiteral("setup"), v.setupFile);
        stringLine(out, QStringLiteral("teardown"), v.teardownFile);
        stringLine(out, QStringLiteral("query"), v.queryFile);
        if (!v.settings.isEmpty()) {
            out += QStringLiteral("[variant.settings]\n");
            for (const SettingOverride &o : v.settings)
                line(out, o.name, tomlString(o.value));
        }
    }
    return out;
}

Result<Experiment> saveExperiment(const Experiment &experiment, const QString &directory)
{
    Experiment ex = experiment;
    // Names for texts without a file, then every (name, text) to write; a name given two texts is refused.
    if (ex.queryFile.isEmpty())
        ex.queryFile = QStringLiteral("query.sql");
    QList<std::pair<QString, QString>> files;
    QHash<QString, QString> byName;
    // `statement`: a query's one statement, which the reader takes out of the file again (a final newline is added);
    // else the text is written exactly (setup and teardown are kept as their files hold them).
    auto add = [&](const QString &name, const QString &text, const QString &what, bool statement) -> Status {
        if (auto st = checkFileName(name, what); !st)
            return st;
        const QString key = QDir::cleanPath(name);
        QString body = text;
        if (statement && !body.endsWith(QLatin1Char('\n')))
            body += QLatin1Char('\n');
        if (auto it = byName.constFind(key); it != byName.constEnd()) {
            if (it.value() != body)
                return Error::make(errc::Input,
                    QStringLiteral("%1 names %2, which another key names with a different text; give each text a "
                                   "file of its own.")
                        .arg(what, name));
            return {};
        }
        byName.insert(key, body);
        files.append({ key, body });
        return {};
    };
    const bool keepBaselineFile = fileHolds(ex.queryFileText, ex.querySql);
    const QString baseline = keepBaselineFile ? ex.queryFileText : ex.querySql;
    if (auto st = add(ex.queryFile, baseline, QStringLiteral("the baseline query"), !keepBaselineFile); !st)
        return st.error();
    if (!ex.productionPlanText.isEmpty()) {
        if (ex.productionPlanFile.isEmpty())
            ex.productionPlanFile = QStringLiteral("production-plan.txt");
        if (auto st = add(ex.productionPlanFile, ex.productionPlanText, QStringLiteral("the production plan"), false);
            !st)
            return st.error();
    } else {
        ex.productionPlanFile.clear();
    }
    for (ExperimentVariant &v : ex.variants) {
        const QString what = QStringLiteral("variant \"%1\"").arg(v.id);
        struct Part {
            QString *file;
            const QString *text;
            const char *defaultName;
            const char *key;
        };
        for (const Part &p : { Part { &v.setupFile, &v.setupSql, "setup.sql", "setup" },
                 Part { &v.teardownFile, &v.teardownSql, "teardown.sql", "teardown" },
                 Part { &v.queryFile, &v.querySql, "query.sql", "query" } }) {
            if (p.text->trimmed().isEmpty()) {
                p.file->clear(); // an empty setup, teardown or rewrite is no setup, teardown or rewrite
                continue;
            }
            if (p.file->isEmpty())
                *p.file = v.id + QLatin1Char('/') + QLatin1String(p.defaultName);
            const bool isQuery = qstrcmp(p.key, "query") == 0;
            const bool keepFile = isQuery && fileHolds(v.queryFileText, v.querySql);
            if (auto st = add(*p.file, keepFile ? v.queryFileText : *p.text,
                    QStringLiteral("the %1 of %2").arg(QLatin1String(p.key), what), isQuery && !keepFile);
                !st)
                return st.error();
        }
    }

    const QDir dir(directory);
    if (!QDir().mkpath(dir.absolutePath()))
        return Error::make(errc::Io,
            QStringLiteral("%1 could not be created; check the permissions of its parent.")
                .arg(QDir::toNativeSeparators(dir.absolutePath())));
    auto write = [&](const QString &name, const QString &text) -> Status {
        const QString path = dir.absoluteFilePath(name);
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return Error::make(errc::Io,
                QStringLiteral("%1 could not be created; check the permissions.")
                    .arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath())));
        QSaveFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(text.toUtf8()) < 0 || !f.commit())
            return Error::make(errc::Io,
                QStringLiteral("%1 could not be written (%2); check the permissions and the disk space.")
                    .arg(QDir::toNativeSeparators(path), f.errorString()));
        return {};
    };
    for (const auto &[name, text] : std::as_const(files))
        if (auto st = write(name, text); !st)
            return st.error();
    if (auto st = write(ExperimentManifestName, manifestText(ex)); !st)
        return st.error();
    return loadExperiment(dir.absolutePath(), LoadMode::Edit);
}

QString manifestValueText(const QVariant &value, ParamType type)
{
    return value.isValid() ? valueText(value, type) : QString();
}

QString experimentDifference(const Experiment &a, const Experiment &b)
{
    auto differs = [](const QString &what) { return what + QStringLiteral(" differs"); };
    if (a.title != b.title)
        return differs(QStringLiteral("the title"));
    if (a.description != b.description)
        return differs(QStringLiteral("the description"));
    if (a.queryFile != b.queryFile)
        return differs(QStringLiteral("the query file's name"));
    if (a.querySql != b.querySql)
        return differs(QStringLiteral("the baseline query"));
    if (a.productionPlanFile != b.productionPlanFile || a.productionPlanText != b.productionPlanText)
        return differs(QStringLiteral("the production plan"));
    if (a.parameters.size() != b.parameters.size())
        return differs(QStringLiteral("the number of parameters"));
    for (int i = 0; i < a.parameters.size(); ++i)
        if (a.parameters[i].name != b.parameters[i].name || a.parameters[i].type != b.parameters[i].type)
            return differs(QStringLiteral("parameter %1").arg(i + 1));
    if (a.workloads.size() != b.workloads.size())
        return differs(QStringLiteral("the number of workloads"));
    for (int i = 0; i < a.workloads.size(); ++i) {
        const ParameterSet &x = a.workloads[i], &y = b.workloads[i];
        const QString what = QStringLiteral("workload %1 (%2)").arg(i + 1).arg(x.name);
        if (x.name != y.name || x.description != y.description || x.values.size() != y.values.size())
            return differs(what);
        for (int k = 0; k < x.values.size(); ++k)
            if (!sameValue(x.values[k], y.values[k]))
                return differs(QStringLiteral("value %1 of %2").arg(k + 1).arg(what));
    }
    if (a.check.order != b.check.order || a.check.keyColumns != b.check.keyColumns || a.check.rowCap != b.check.rowCap)
        return differs(QStringLiteral("the result check"));
    if (a.variants.size() != b.variants.size())
        return differs(QStringLiteral("the number of variants"));
    for (int i = 0; i < a.variants.size(); ++i) {
        const ExperimentVariant &x = a.variants[i], &y = b.variants[i];
        const QString what = QStringLiteral("variant %1 (%2)").arg(i + 1).arg(x.id);
        if (x.id != y.id || x.title != y.title || x.description != y.description)
            return differs(what + QStringLiteral(": its id, title or description"));
        if (x.setupFile != y.setupFile || x.setupSql != y.setupSql)
            return differs(what + QStringLiteral(": its setup"));
        if (x.teardownFile != y.teardownFile || x.teardownSql != y.teardownSql)
            return differs(what + QStringLiteral(": its teardown"));
        if (x.queryFile != y.queryFile || x.querySql != y.querySql)
            return differs(what + QStringLiteral(": its query"));
        if (x.settings.size() != y.settings.size())
            return differs(what + QStringLiteral(": its settings"));
        for (int k = 0; k < x.settings.size(); ++k)
            if (x.settings[k].name != y.settings[k].name || x.settings[k].value != y.settings[k].value)
                return differs(what + QStringLiteral(": setting %1").arg(x.settings[k].name));
    }
    return {};
}

} // namespace plansight
