#include "experiment/experimentstrategy.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QRegularExpression>

#include <algorithm>

namespace plansight {

namespace {

constexpr int MaxKeyChars = 120; // longer row keys keep their start and a hash of the whole

QString escaped(const std::optional<QString> &v)
{
    if (!v)
        return QStringLiteral("\\N");
    QString s = *v;
    s.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\t'), QStringLiteral("\\t"));
    return s;
}

QString shortened(const QString &key)
{
    if (key.size() <= MaxKeyChars)
        return key;
    const QByteArray hash = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    return key.left(MaxKeyChars - 20) + QChar(0x2026) + QStringLiteral(" #") + QString::fromLatin1(hash);
}

bool isTransactionControl(const QString &statement)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(BEGIN|COMMIT|END|START\\s+TRANSACTION)\\b[^;]*$"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(statement).hasMatch();
}

} // namespace

bool runsOutsideTransaction(const QString &statement)
{
    static const QRegularExpression concurrently(
        QStringLiteral("\\bCONCURRENTLY\\b"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression alone(
        QStringLiteral("^\\s*(VACUUM|CREATE\\s+DATABASE|DROP\\s+DATABASE|CREATE\\s+TABLESPACE|DROP\\s+TABLESPACE|"
                       "ALTER\\s+SYSTEM)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return concurrently.match(statement).hasMatch() || alone.match(statement).hasMatch();
}

DdlPlan scriptPlan(const QString &script, const QString &label, int lockTimeoutMs)
{
    DdlPlan plan { lockTimeoutMs, {} };
    for (const QString &statement : splitSqlStatements(script)) {
        if (isTransactionControl(statement))
            continue;
        if (runsOutsideTransaction(statement)) {
            plan.steps.append(
                DdlStep { label + QStringLiteral(" (this statement cannot run inside a transaction, so it runs alone)"),
                    { statement }, false });
        } else if (!plan.steps.isEmpty() && plan.steps.last().inTransaction) {
            plan.steps.last().statements.append(statement);
        } else {
            plan.steps.append(DdlStep { label, { statement }, true });
        }
    }
    return plan;
}

Result<QStringList> experimentPageKeys(const ResultRows &result, const ExperimentCheck &check)
{
    QList<int> columns;
    if (check.keyColumns.isEmpty()) {
        for (int c = 0; c < result.columns.size(); ++c)
            columns << c;
    } else {
        for (const QString &name : check.keyColumns) {
            const int c = int(result.columns.indexOf(name));
            if (c < 0)
                return Error::make(errc::Input,
                    QStringLiteral("The key column \"%1\" of [check] is not in the query's result (its columns: %2); "
                                   "name a column the query returns.")
                        .arg(name, result.columns.join(QStringLiteral(", "))));
            columns << c;
        }
    }
    QStringList keys;
    keys.reserve(result.rows.size());
    for (const auto &row : result.rows) {
        QStringList parts;
        for (int c : columns)
            parts << escaped(c < row.size() ? row[c] : std::nullopt);
        keys << parts.join(QLatin1Char('\t'));
    }
    if (check.order == ExperimentCheck::Order::Multiset)
        std::sort(keys.begin(), keys.end());
    if (keys.size() > check.rowCap) {
        QCryptographicHash hash(QCryptographicHash::Sha256);
        for (const QString &k : std::as_const(keys)) {
            hash.addData(k.toUtf8());
            hash.addData(QByteArrayView("\n", 1));
        }
        return QStringList { QStringLiteral("%1 rows, sha256 %2")
                                 .arg(keys.size())
                                 .arg(QString::fromLatin1(hash.result().toHex().left(32))) };
    }
    for (QString &k : keys)
        k = shortened(k);
    return keys;
}

QList<SettingOverride> ExperimentStrategy::settingOverrides() const
{
    const ExperimentVariant *v = variant();
    return v ? v->settings : QList<SettingOverride>();
}

ExperimentStrategy::ExperimentStrategy(std::shared_ptr<const Experiment> experiment, int variantIndex)
    : m_experiment(std::move(experiment)), m_variant(variantIndex)
{
}

const ExperimentVariant *ExperimentStrategy::variant() const
{
    return m_variant >= 0 && m_variant < m_experiment->variants.size() ? &m_experiment->variants[m_variant] : nullptr;
}

StrategyInfo ExperimentStrategy::info() const
{
    StrategyInfo i;
    i.proposal = QStringLiteral("experiment");
    i.revertAfterRuns = true;
    const ExperimentVariant *v = variant();
    if (!v) {
        i.id = QStringLiteral("baseline");
        i.title = QStringLiteral("Baseline: %1").arg(m_experiment->title);
        i.description = m_experiment->description.isEmpty()
            ? QStringLiteral("The experiment's query (%1) as it runs today.").arg(m_experiment->queryFile)
            : m_experiment->description;
        i.operations = QStringLiteral("Nothing: the query as it runs today.");
        i.needsObjects = false;
        return i;
    }
    i.id = v->id;
    i.title = v->title;
    i.description = v->description;
    i.needsObjects = v->hasObjects();
    QStringList ops;
    if (v->hasObjects())
        ops << QStringLiteral("Build what %1 creates and keep it up to date on every write.").arg(v->setupFile);
    if (!v->querySql.isEmpty())
        ops << QStringLiteral("Change the application's query to %1.").arg(v->queryFile);
    if (!v->settings.isEmpty())
        ops << QStringLiteral("Set %1 for the application's sessions or role.")
                   .arg(settingWords(v->settings).join(QStringLiteral(", ")));
    i.operations = ops.join(QLatin1Char(' '));
    return i;
}

QStringList ExperimentStrategy::plannedObjects() const
{
    if (!m_created.isEmpty()) {
        QStringList out;
        for (const CreatedObject &o : m_created)
            out << o.describe();
        return out;
    }
    const ExperimentVariant *v = variant();
    if (!v || !v->hasObjects())
        return {};
    // Not known before the setup ran: what it runs, one statement a line.
    QStringList out;
    for (const QString &s : splitSqlStatements(v->setupSql))
        out << s.simplified();
    return out;
}

Result<DdlPlan> ExperimentStrategy::plannedDdl(const ApplyContext &context) const
{
    const ExperimentVariant *v = variant();
    if (!v || !v->hasObjects())
        return DdlPlan { context.lockTimeoutMs, {} };
    return scriptPlan(v->setupSql, QStringLiteral("%1: %2").arg(v->id, v->setupFile), context.lockTimeoutMs);
}

Result<DdlPlan> ExperimentStrategy::plannedRevertDdl(const ApplyContext &context) const
{
    const ExperimentVariant *v = variant();
    if (!v || v->teardownSql.trimmed().isEmpty())
        return DdlPlan { context.lockTimeoutMs, {} };
    return scriptPlan(v->teardownSql, QStringLiteral("%1: %2").arg(v->id, v->teardownFile), context.lockTimeoutMs);
}

Status ExperimentStrategy::apply(
    PgSession &session, CancelToken *cancel, const ProgressFn &progress, const ApplyContext &context)
{
    const ExperimentVariant *v = variant();
    if (cancel && cancel->isCancelled())
        return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    if (!v || !v->hasObjects() || m_before) {
        if (progress)
            progress(1, 1, QStringLiteral("%1 has nothing to build").arg(id()));
        return {};
    }
    auto plan = plannedDdl(context);
    if (!plan)
        return plan.error();
    auto before = readCatalog(session);
    if (!before)
        return before.error();
    QElapsedTimer timer;
    timer.start();
    const int steps = int(plan->steps.size());
    bool committed = false;
    Status ran = runDdlPlan(
        session, plan.value(), cancel,
        [&](int done) {
            if (progress)
                progress(done, steps, QStringLiteral("%1: setup step %2 of %3").arg(v->id).arg(done).arg(steps));
        },
        &committed);
    const double ms = double(timer.nsecsElapsed()) / 1e6;
    m_before = before.value();
    m_created.clear();
    if (!ran) {
        // Part of it took effect outside a transaction: undo it with the teardown, and say what is left if anything.
        if (committed) {
            session.resetCancel();
            const Status undone = revert(session, nullptr, context);
            if (!undone)
                return Error::make(ran.error().code,
                    QStringLiteral("The setup of %1 (%2) failed: %3 Its teardown then left the database changed: %4")
                        .arg(v->id, v->setupFile, ran.error().toString(), undone.error().message));
        }
        m_before.reset();
        return Error::make(ran.error().code,
            QStringLiteral("The setup of %1 (%2) failed: %3").arg(v->id, v->setupFile, ran.error().toString()));
    }
    auto after = readCatalog(session);
    if (!after)
        return after.error();
    m_created = addedObjects(*m_before, after.value());
    m_buildMs = ms;
    return {};
}

Status ExperimentStrategy::revert(PgSession &session, CancelToken *cancel, const ApplyContext &context)
{
    const ExperimentVariant *v = variant();
    if (!v || !m_before)
        return {}; // nothing this object applied
    m_teardownProblem.clear();
    auto plan = plannedRevertDdl(context);
    if (!plan)
        return plan.error();
    if (auto ran = runDdlPlan(session, plan.value(), cancel); !ran) {
        m_teardownProblem = QStringLiteral("The teardown of %1 (%2) failed: %3 Objects of its setup may be left: %4.")
                                .arg(v->id, v->teardownFile, ran.error().toString(), describeObjects(m_created));
        return Error::make(ran.error().code, m_teardownProblem);
    }
    auto after = readCatalog(session);
    if (!after)
        return after.error();
    const QList<CreatedObject> left = addedObjects(*m_before, after.value());
    const QList<CreatedObject> gone = addedObjects(after.value(), *m_before);
    m_before.reset();
    if (left.isEmpty() && gone.isEmpty()) {
        m_created.clear();
        return {};
    }
    QStringList parts;
    if (!left.isEmpty())
        parts << QStringLiteral("left %1").arg(describeObjects(left));
    if (!gone.isEmpty())
        parts << QStringLiteral("removed %1, which was there before the setup").arg(describeObjects(gone));
    const QString teardown = v->teardownFile.isEmpty() ? QStringLiteral("a teardown") : v->teardownFile;
    m_teardownProblem = QStringLiteral("The teardown of variant %1 did not leave the catalog as it was: it %2; fix %3 "
                                       "and remove or restore these objects by hand.")
                            .arg(v->id, parts.join(QStringLiteral(" and ")), teardown);
    m_created.clear();
    return Error::make(errc::Input, m_teardownProblem);
}

Result<StrategyStatus> ExperimentStrategy::status(PgSession &) const
{
    StrategyStatus st;
    const ExperimentVariant *v = variant();
    if (!v || !v->hasObjects()) {
        st.state = StrategyState::Applied;
        st.detail = QStringLiteral("needs no database objects");
        return st;
    }
    if (m_before) {
        st.state = StrategyState::Applied;
        st.present = plannedObjects();
        st.detail = QStringLiteral("set up by this session");
    } else {
        st.state = StrategyState::NotApplied;
        st.detail = QStringLiteral("its setup has not run in this session");
    }
    return st;
}

QStringList ExperimentStrategy::indexNames() const
{
    QStringList out;
    for (const CreatedObject &o : m_created)
        if (o.kind == QLatin1String("index"))
            out << o.name;
    return out;
}

Result<StrategyQuery> ExperimentStrategy::query(PgSession &, const Workload &workload)
{
    if (!workload.experiment)
        return Error::make(errc::Input,
            QStringLiteral("%1 belongs to the experiment \"%2\" and answers only its workloads.")
                .arg(id(), m_experiment->title));
    const ExperimentVariant *v = variant();
    // The variant's settings are set by the measurement around its runs (settingOverrides(); bench/measure.h), which
    // puts them back afterwards, so no variant sees another's and the run's note records them.
    StrategyQuery q;
    q.sql = v && !v->querySql.isEmpty() ? v->querySql : m_experiment->querySql;
    // A trailing semicolon would end the statement EXPLAIN wraps; the query is one statement.
    while (q.sql.trimmed().endsWith(QLatin1Char(';')))
        q.sql = q.sql.trimmed().chopped(1);
    q.params = workload.experiment->values;
    const ExperimentCheck check = m_experiment->check;
    q.pageKeys = [check](const PgResult &r) -> Result<QStringList> {
        ResultRows rows;
        for (int c = 0; c < r.columns(); ++c)
            rows.columns << r.columnName(c);
        rows.rows.reserve(r.rows());
        for (int i = 0; i < r.rows(); ++i) {
            QList<std::optional<QString>> row;
            row.reserve(r.columns());
            for (int c = 0; c < r.columns(); ++c)
                row << (r.isNull(i, c) ? std::nullopt : std::optional<QString>(r.value(i, c)));
            rows.rows << row;
        }
        return experimentPageKeys(rows, check);
    };
    return q;
}

QList<std::shared_ptr<ExperimentStrategy>> experimentStrategies(std::shared_ptr<const Experiment> experiment)
{
    QList<std::shared_ptr<ExperimentStrategy>> out;
    out << std::make_shared<ExperimentStrategy>(experiment, -1);
    for (int i = 0; i < experiment->variants.size(); ++i)
        out << std::make_shared<ExperimentStrategy>(experiment, i);
    return out;
}

QList<Workload> experimentWorkloads(const Experiment &experiment)
{
    QList<Workload> out;
    for (const ParameterSet &set : experiment.workloads) {
        Workload w;
        w.name = set.name;
        w.experiment = Workload::ExperimentParams { experiment.title, set.values };
        out << w;
    }
    return out;
}

Result<QString> experimentSetupText(
    const QList<std::shared_ptr<ExperimentStrategy>> &strategies, const ApplyContext &context)
{
    QString out;
    for (const auto &s : strategies) {
        const ExperimentVariant *v = s->variant();
        if (!v || !v->hasObjects())
            continue;
        auto setup = s->plannedDdl(context);
        if (!setup)
            return setup.error();
        auto teardown = s->plannedRevertDdl(context);
        if (!teardown)
            return teardown.error();
        out += QStringLiteral("-- variant %1: setup (%2)\n%3").arg(v->id, v->setupFile, setup->script());
        out += teardown->isEmpty()
            ? QStringLiteral("-- variant %1 has no teardown: whatever its setup creates is reported as left.\n")
                  .arg(v->id)
            : QStringLiteral("-- variant %1: teardown (%2)\n%3").arg(v->id, v->teardownFile, teardown->script());
        for (const DdlStep &step : setup->steps + teardown->steps)
            if (!step.inTransaction)
                out += QStringLiteral("-- note: %1 cannot run inside a transaction (PostgreSQL refuses it there), so "
                                      "it runs alone and a failure after it is undone by the teardown: %2\n")
                           .arg(v->id, step.statements.join(QStringLiteral("; ")));
    }
    return out;
}

} // namespace plansight
