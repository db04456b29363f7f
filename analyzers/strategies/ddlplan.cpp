#include "strategies/ddlplan.h"

#include "strategies/strategy.h"
#include "util/sqlfiles.h"

#include <QRegularExpression>

namespace plansight {

namespace {

Error cancelledError()
{
    return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
}

const QRegularExpression::PatternOptions Ci
    = QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption;

// "5 s", "1.5 s", "250 ms"
QString durationText(int ms)
{
    if (ms % 1000 == 0)
        return QStringLiteral("%1 s").arg(ms / 1000);
    if (ms > 1000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'g', 3);
    return QStringLiteral("%1 ms").arg(ms);
}

bool isConcurrentIndexBuild(const QString &statement)
{
    static const QRegularExpression re(QStringLiteral("^CREATE\\s+(UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\b"), Ci);
    return re.match(statement).hasMatch();
}

// A statement that failed, with where it ran; cleaned up after the cancel callback is gone.
struct Failure {
    Error error;
    QString label;
    QString statement;
    bool cancelled = false;
};

} // namespace

QString DdlPlan::lockTimeoutStatement() const
{
    if (lockTimeoutMs <= 0)
        return QStringLiteral("SET lock_timeout = 0");
    if (lockTimeoutMs % 1000 == 0)
        return QStringLiteral("SET lock_timeout = '%1s'").arg(lockTimeoutMs / 1000);
    return QStringLiteral("SET lock_timeout = '%1ms'").arg(lockTimeoutMs);
}

QString DdlPlan::script() const
{
    QString out = lockTimeoutStatement() + QStringLiteral(";\n");
    bool inTx = false;
    for (const DdlStep &step : steps) {
        if (step.inTransaction && !inTx) {
            out += QStringLiteral("BEGIN;\n");
            inTx = true;
        } else if (!step.inTransaction && inTx) {
            out += QStringLiteral("COMMIT;\n");
            inTx = false;
        }
        out += QStringLiteral("-- ") + step.label
            + (step.inTransaction ? QString() : QStringLiteral(" (outside a transaction)")) + QLatin1Char('\n');
        for (const QString &s : step.statements)
            out += s + QStringLiteral(";\n");
    }
    if (inTx)
        out += QStringLiteral("COMMIT;\n");
    return out;
}

QStringList DdlPlan::statements() const
{
    QStringList out;
    for (const DdlStep &step : steps)
        out << step.statements;
    return out;
}

QStringList splitSqlStatements(const QString &script)
{
    QStringList out;
    QString current;
    bool started = false;
    const qsizetype n = script.size();
    auto flush = [&] {
        const QString s = current.trimmed();
        if (!s.isEmpty())
            out << s;
        current.clear();
        started = false;
    };
    qsizetype i = 0;
    while (i < n) {
        const QChar c = script[i];
        const QChar next = i + 1 < n ? script[i + 1] : QChar();
        if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            qsizetype end = script.indexOf(QLatin1Char('\n'), i);
            end = end < 0 ? n : end;
            if (started)
                current += script.mid(i, end - i);
            i = end;
            continue;
        }
        if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            qsizetype end = script.indexOf(QLatin1String("*/"), i + 2);
            end = end < 0 ? n : end + 2;
            if (started)
                current += script.mid(i, end - i);
            i = end;
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            qsizetype j = i + 1;
            while (j < n) {
                if (script[j] == c) {
                    if (j + 1 < n && script[j + 1] == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            j = std::min(j + 1, n);
            current += script.mid(i, j - i);
            started = true;
            i = j;
            continue;
        }
        if (c == QLatin1Char('$') && !next.isDigit()) {
            qsizetype j = i + 1;
            while (j < n && (script[j].isLetterOrNumber() || script[j] == QLatin1Char('_')))
                ++j;
            if (j < n && script[j] == QLatin1Char('$')) {
                const QString tag = script.mid(i, j - i + 1);
                qsizetype end = script.indexOf(tag, j + 1);
                end = end < 0 ? n : end + tag.size();
                current += script.mid(i, end - i);
                started = true;
                i = end;
                continue;
            }
        }
        if (c == QLatin1Char(';')) {
            flush();
            ++i;
            continue;
        }
        if (!started && c.isSpace()) {
            ++i;
            continue;
        }
        current += c;
        started = true;
        ++i;
    }
    flush();
    return out;
}

Result<QString> concurrentIndexStatement(const QString &statement)
{
    static const QRegularExpression re(QStringLiteral("^CREATE\\s+(UNIQUE\\s+)?INDEX\\s+"), Ci);
    static const QRegularExpression onOnly(QStringLiteral("\\bON\\s+ONLY\\b"), Ci);
    const auto m = re.match(statement);
    if (!m.hasMatch() || isConcurrentIndexBuild(statement))
        return Error::make(errc::Internal,
            QStringLiteral("Only a CREATE INDEX can be built concurrently, not: %1").arg(statement.left(80)));
    if (onOnly.match(statement).hasMatch())
        return Error::make(errc::Internal,
            QStringLiteral("An index ON ONLY a partitioned table cannot be built concurrently: %1")
                .arg(statement.left(80)));
    QString out = statement;
    out.insert(m.capturedEnd(), QStringLiteral("CONCURRENTLY "));
    return out;
}

QString createdIndexName(const QString &statement)
{
    static const QRegularExpression re(
        QStringLiteral(
            "^CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?([^\\s(]+)\\s+ON\\b"),
        Ci);
    const auto m = re.match(statement);
    return m.hasMatch() ? m.captured(1) : QString();
}

QString lockEffect(const QString &mode)
{
    if (mode == QLatin1String("ACCESS EXCLUSIVE"))
        return QStringLiteral("blocks reads and writes");
    if (mode == QLatin1String("SHARE") || mode == QLatin1String("SHARE ROW EXCLUSIVE")
        || mode == QLatin1String("EXCLUSIVE"))
        return QStringLiteral("blocks writes");
    return QStringLiteral("reads and writes continue");
}

QList<TableLock> locksTaken(const QString &statement)
{
    // One row per statement kind: the pattern (its last capture group, or groups, name the tables), the kind's name,
    // the lock mode and what it means for the application while it is held. docs/production.md has the same table.
    struct Row {
        const char *pattern;
        const char *kind;
        const char *mode;
        const char *duration; // appended to the effect
        bool secondTable = false; // a second capture group names a second table, locked ACCESS EXCLUSIVE
    };
    static const Row rows[] = {
        { "^CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\b.*?\\bON\\s+(?:ONLY\\s+)?([^\\s(]+)",
            "CREATE INDEX CONCURRENTLY", "SHARE UPDATE EXCLUSIVE", ", for the build" },
        { "^CREATE\\s+(?:UNIQUE\\s+)?INDEX\\b.*?\\bON\\s+(?:ONLY\\s+)?([^\\s(]+)", "CREATE INDEX", "SHARE",
            " for the build" },
        { "^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?(\\S+)\\s+ADD\\s+COLUMN\\b", "ALTER TABLE ADD COLUMN",
            "ACCESS EXCLUSIVE", " (brief with a constant default)" },
        { "^ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?(\\S+)\\s+DROP\\s+COLUMN\\b", "ALTER TABLE DROP COLUMN",
            "ACCESS EXCLUSIVE", " (brief)" },
        { "^ALTER\\s+TABLE\\s+(?:ONLY\\s+)?(\\S+)\\s+ATTACH\\s+PARTITION\\s+(\\S+)", "ALTER TABLE ATTACH PARTITION",
            "SHARE UPDATE EXCLUSIVE", ", while the partition's rows are checked", true },
        { "^ALTER\\s+TABLE\\s+(?:ONLY\\s+)?(\\S+)\\s+DETACH\\s+PARTITION\\s+(\\S+)", "ALTER TABLE DETACH PARTITION",
            "ACCESS EXCLUSIVE", " (brief)", true },
        { "^CREATE\\s+(?:OR\\s+REPLACE\\s+)?TRIGGER\\b.*?\\bON\\s+(\\S+)", "CREATE TRIGGER", "SHARE ROW EXCLUSIVE",
            " (brief)" },
        { "^DROP\\s+TRIGGER\\s+(?:IF\\s+EXISTS\\s+)?\\S+\\s+ON\\s+(\\S+)", "DROP TRIGGER", "ACCESS EXCLUSIVE",
            " (brief)" },
        { "^DROP\\s+INDEX\\s+CONCURRENTLY\\s+(?:IF\\s+EXISTS\\s+)?(\\S+)", "DROP INDEX CONCURRENTLY",
            "SHARE UPDATE EXCLUSIVE", "" },
        { "^DROP\\s+INDEX\\s+(?:IF\\s+EXISTS\\s+)?(\\S+)", "DROP INDEX", "ACCESS EXCLUSIVE", " (brief)" },
        { "^DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\S+)", "DROP TABLE", "ACCESS EXCLUSIVE", " (brief)" },
        { "^UPDATE\\s+(?:ONLY\\s+)?(\\S+)", "UPDATE", "ROW EXCLUSIVE", "" },
        { "^INSERT\\s+INTO\\s+(\\S+)", "INSERT", "ROW EXCLUSIVE", "" },
        { "^DELETE\\s+FROM\\s+(?:ONLY\\s+)?(\\S+)", "DELETE", "ROW EXCLUSIVE", "" },
        { "^TRUNCATE\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?(\\S+)", "TRUNCATE", "ACCESS EXCLUSIVE", "" },
        { "^REFRESH\\s+MATERIALIZED\\s+VIEW\\s+CONCURRENTLY\\s+(\\S+)", "REFRESH MATERIALIZED VIEW CONCURRENTLY",
            "EXCLUSIVE", ", reads continue" },
        { "^REFRESH\\s+MATERIALIZED\\s+VIEW\\s+(\\S+)", "REFRESH MATERIALIZED VIEW", "ACCESS EXCLUSIVE",
            " for the refresh" },
    };
    QList<TableLock> out;
    static const QRegularExpression vacuum(QStringLiteral("^VACUUM\\s*(\\(([^)]*)\\))?\\s*(.*)$"), Ci);
    if (const auto m = vacuum.match(statement); m.hasMatch()) {
        const bool full = m.captured(2).contains(QStringLiteral("FULL"), Qt::CaseInsensitive);
        const QString mode = full ? QStringLiteral("ACCESS EXCLUSIVE") : QStringLiteral("SHARE UPDATE EXCLUSIVE");
        for (const QString &t : m.captured(3).split(QLatin1Char(','), Qt::SkipEmptyParts))
            out << TableLock { full ? QStringLiteral("VACUUM FULL") : QStringLiteral("VACUUM"), t.trimmed(), mode,
                lockEffect(mode) };
        return out;
    }
    // Compiled once (a thread-safe static), used from worker threads and the report alike.
    static const QList<QRegularExpression> compiled = [] {
        QList<QRegularExpression> out;
        for (const Row &row : rows)
            out << QRegularExpression(QString::fromLatin1(row.pattern), Ci);
        return out;
    }();
    for (qsizetype k = 0; k < compiled.size(); ++k) {
        const Row &row = rows[k];
        const auto m = compiled[k].match(statement);
        if (!m.hasMatch())
            continue;
        const QString mode = QString::fromLatin1(row.mode);
        out << TableLock { QString::fromLatin1(row.kind), m.captured(1), mode,
            lockEffect(mode) + QString::fromLatin1(row.duration) };
        if (row.secondTable) {
            const QString second = QStringLiteral("ACCESS EXCLUSIVE");
            out << TableLock { QString::fromLatin1(row.kind), m.captured(2), second,
                lockEffect(second) + QString::fromLatin1(row.duration) };
        }
        return out;
    }
    return out;
}

namespace {

// The lock_timeout failure of `statement` in one sentence: what it waited for, on which table, and who holds a lock
// on that table now.
Error lockTimeoutError(PgSession &session, const QString &statement, const Error &cause, int lockTimeoutMs)
{
    const QList<TableLock> locks = locksTaken(statement);
    const QString waited = lockTimeoutMs > 0 ? durationText(lockTimeoutMs) : QStringLiteral("the lock_timeout");
    Error e = cause;
    e.hint = QStringLiteral("Run it again when that work is done, or allow a longer wait with --lock-timeout SECONDS "
                            "(in the window: Lock timeout, under the Strategies list).");
    if (locks.isEmpty()) {
        e.message = QStringLiteral("A statement waited longer than %1 (lock_timeout) for a lock and was stopped: %2")
                        .arg(waited, statement.left(120));
        return e;
    }
    // The first lock is the one the statement asks for first (ATTACH: the parent's).
    const TableLock &lock = locks.first();
    const bool onIndex = lock.statementKind.startsWith(QLatin1String("DROP INDEX"));
    const QString object = onIndex ? QStringLiteral("the table of %1").arg(lock.table) : lock.table;
    QStringList holders;
    if (auto r = session.exec(sql(QStringLiteral("strategies/lock_holders")), { lock.table }); r) {
        for (int i = 0; i < r->rows(); ++i) {
            QString who = QStringLiteral("pid %1").arg(r->value(i, 0));
            QStringList about;
            if (!r->value(i, 2).isEmpty())
                about << QStringLiteral("application_name %1").arg(r->value(i, 2));
            if (!r->value(i, 3).isEmpty())
                about << r->value(i, 3);
            if (!r->value(i, 4).isEmpty())
                about << QStringLiteral("running \"%1\"").arg(r->value(i, 4));
            if (!about.isEmpty())
                who += QStringLiteral(" (%1)").arg(about.join(QStringLiteral(", ")));
            holders << QStringLiteral("%1 holds %2").arg(who, r->value(i, 1));
        }
    }
    e.message = QStringLiteral("%1 could not get its %2 lock on %3 within %4 (lock_timeout)")
                    .arg(lock.statementKind, lock.mode, object, waited);
    e.message += holders.isEmpty() ? QStringLiteral("; the session that held it has gone since.")
                                   : QStringLiteral(": %1.").arg(holders.join(QStringLiteral("; ")));
    return e;
}

// After a failed CREATE INDEX CONCURRENTLY: the INVALID index it left is dropped (only when it is invalid: a valid
// index of that name was not made by this statement). Returns what could not be done, empty when all is clean.
QString dropInvalidIndex(PgSession &session, const QString &statement)
{
    const QString index = createdIndexName(statement);
    if (index.isEmpty())
        return QString();
    auto invalid = session.exec(
        QStringLiteral("SELECT NOT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass($1)"), { index });
    if (!invalid)
        return invalid.error().message;
    if (invalid->rows() == 0 || !invalid->toBool(0, 0))
        return QString();
    // The name is a constant of the strategy's SQL file, never input.
    if (auto r = session.exec(QStringLiteral("DROP INDEX CONCURRENTLY IF EXISTS ") + index); !r)
        return QStringLiteral("The INVALID index %1 it left could not be dropped (%2); drop it with DROP INDEX "
                              "CONCURRENTLY IF EXISTS %1;")
            .arg(index, r.error().message);
    return QString();
}

} // namespace

Status runDdlPlan(PgSession &session, const DdlPlan &plan, CancelToken *cancel,
    const std::function<void(int stepsDone)> &afterStep, bool *committed)
{
    if (committed)
        *committed = false;
    auto isCancelled = [&] { return cancel && cancel->isCancelled(); };
    if (isCancelled())
        return cancelledError();
    auto saved = session.exec(QStringLiteral("SELECT current_setting('lock_timeout')"));
    if (!saved)
        return saved.error();

    std::optional<Failure> failure;
    {
        CancelScope scope(cancel, [&session] { session.cancel(); });
        auto run = [&](const QString &label, const QString &statement) {
            if (isCancelled()) {
                failure = Failure { cancelledError(), label, statement, true };
                return false;
            }
            if (auto r = session.exec(statement); !r) {
                failure = Failure { r.error(), label, statement, isCancelled() };
                return false;
            }
            return true;
        };
        if (run(QString(), plan.lockTimeoutStatement())) {
            const qsizetype n = plan.steps.size();
            qsizetype i = 0;
            while (i < n && !failure) {
                if (!plan.steps[i].inTransaction) {
                    for (const QString &s : plan.steps[i].statements) {
                        if (!run(plan.steps[i].label, s))
                            break;
                        if (committed)
                            *committed = true;
                    }
                    if (failure)
                        break;
                    ++i;
                    if (afterStep)
                        afterStep(int(i));
                    continue;
                }
                // A run of transactional steps: one transaction. DROP ... IF EXISTS of an absent object is not news;
                // keep the user's terminal free of those notices.
                if (!run(QString(), QStringLiteral("BEGIN"))
                    || !run(QString(), QStringLiteral("SET LOCAL client_min_messages = warning")))
                    break;
                // Progress is told after each step, the group's last one once it is committed (a cancel that
                // progress triggers then finds the transaction's work done, to be undone by the caller).
                for (; i < n && plan.steps[i].inTransaction && !failure; ++i) {
                    for (const QString &s : plan.steps[i].statements) {
                        if (!run(plan.steps[i].label, s))
                            break;
                    }
                    const bool last = i + 1 >= n || !plan.steps[i + 1].inTransaction;
                    if (!failure && !last && afterStep)
                        afterStep(int(i + 1));
                }
                if (failure || !run(QString(), QStringLiteral("COMMIT")))
                    break;
                if (committed)
                    *committed = true;
                if (afterStep)
                    afterStep(int(i));
            }
        }
    }

    // Clean up with the cancel callback gone: the rollback, the INVALID index, the lock holders, the lock_timeout.
    const bool ourCancel = isCancelled() || session.isCancelled();
    if (ourCancel) {
        waitForCancelCallbacks(cancel);
        session.resetCancel();
    }
    if (PQtransactionStatus(session.raw()) != PQTRANS_IDLE)
        (void)session.exec(QStringLiteral("ROLLBACK"));
    Status result;
    if (failure) {
        Error e = failure->error;
        QString leftover;
        if (isConcurrentIndexBuild(failure->statement))
            leftover = dropInvalidIndex(session, failure->statement);
        if (failure->cancelled || isCancelled()) {
            e = cancelledError();
        } else if (e.code == QLatin1String("55P03")) {
            e = lockTimeoutError(session, failure->statement, e, plan.lockTimeoutMs);
            if (!failure->label.isEmpty())
                e.message = QStringLiteral("%1: %2").arg(failure->label, e.message);
        } else if (!failure->label.isEmpty()) {
            e.message = QStringLiteral("%1 failed: %2").arg(failure->label, e.message);
        }
        if (!leftover.isEmpty())
            e.message += QLatin1Char(' ') + leftover;
        result = e;
    }
    (void)session.setSetting(QStringLiteral("lock_timeout"), saved->value(0, 0));
    return result;
}

} // namespace plansight
