#include "history/historystore.h"

#include "pg/conninfo.h"
#include "present/ranking.h"
#include "session/runfields.h"
#include "util/sqlfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>
#include <map>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace plansight {

// ---- passwords --------------------------------------------------------------------------------------------------

QString redactPasswords(const QString &text)
{
    // libpq's own grammar, not a pattern: a URI password may hold '#', '?', '@'... (see pg/conninfo.h).
    return redactConninfoText(text);
}

// ---- SQLite RAII ------------------------------------------------------------------------------------------------

namespace {

struct DbCloser {
    void operator()(sqlite3 *db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt *st) const { sqlite3_finalize(st); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromIso(const QString &s)
{
    return s.isEmpty() ? QDateTime() : QDateTime::fromString(s, Qt::ISODateWithMs);
}

QString jsonText(const QJsonArray &a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QString jsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// The error a failed SQLite call becomes: one sentence naming the file, the real cause and what to do. The
// operating system's error (sqlite3_system_errno) tells a full disk from a file-size limit, a read-only file
// system or missing permissions; SQLite's code alone often says only "I/O error" or "cannot open".
// SQLite often loses the operating system's error of a failed write (sqlite3_system_errno reports the errno of
// whatever ran last). Then the cause is looked for where it can be seen: the file-size limit against the files'
// sizes, the free space and the read-only flag of the file system, the write permission. 0 when none applies.
int diagnoseWriteFailure(const QString &path)
{
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    struct statvfs fs { };
    if (::statvfs(dir.constData(), &fs) == 0) {
        if (fs.f_flag & ST_RDONLY)
            return EROFS;
        if (quint64(fs.f_bavail) * quint64(fs.f_frsize) < 1024 * 1024)
            return ENOSPC;
    }
    struct rlimit lim { };
    if (::getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY) {
        for (const char *suffix : { "", "-wal", "-shm", "-journal" }) {
            // A write of a few pages past the limit fails: a file within 64 KiB of it is at the limit.
            const qint64 size = QFileInfo(path + QLatin1String(suffix)).size();
            if (size > 0 && quint64(size) + 65536 >= quint64(lim.rlim_cur))
                return EFBIG;
        }
    }
    if (::access(dir.constData(), W_OK) != 0
        || (QFileInfo::exists(path) && ::access(QFile::encodeName(path).constData(), W_OK) != 0))
        return errno == EROFS ? EROFS : EACCES;
    return 0;
}

Error sqliteError(sqlite3 *db, int rc, const QString &path, const QString &what)
{
    const QString sqliteMessage = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
    int sysErrno = db ? sqlite3_system_errno(db) : 0;
    if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN) {
        if (const int seen = diagnoseWriteFailure(path);
            seen != 0 && sysErrno != ENOSPC && sysErrno != EFBIG && sysErrno != EDQUOT)
            sysErrno = seen;
    }
    QString detail = QStringLiteral("%1: SQLite error %2, %3").arg(what).arg(rc).arg(sqliteMessage);
    if (sysErrno != 0)
        detail += QStringLiteral(" (%1)").arg(QString::fromLocal8Bit(std::strerror(sysErrno)));
    const int base = rc & 0xff;
    if (base == SQLITE_CORRUPT || base == SQLITE_NOTADB)
        return Error::make(errc::HistoryCorrupt,
            QStringLiteral("The history file %1 is damaged or is not a PlanSight history.").arg(path), detail,
            QStringLiteral("PlanSight can move it aside (it is kept as %1.corrupt-<time>) and start a fresh "
                           "history.")
                .arg(QFileInfo(path).fileName()));
    if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
        return Error::make(errc::HistoryLocked,
            QStringLiteral("The history file %1 is locked by another program (another PlanSight?).").arg(path), detail,
            QStringLiteral("Close the other program and try again, or use another history file "
                           "(PLANSIGHT_HISTORY)."));
    if (base == SQLITE_FULL || sysErrno == ENOSPC || sysErrno == EDQUOT)
        return Error::make(errc::Io,
            QStringLiteral("The disk holding the history file %1 is full (or its quota is used up); nothing of this "
                           "step was written.")
                .arg(path),
            detail, QStringLiteral("Free some space and try again."));
    if (sysErrno == EFBIG)
        return Error::make(errc::Io,
            QStringLiteral("The history file %1 cannot grow: it reached the largest file this process may write (the "
                           "file-size limit, ulimit -f); nothing of this step was written.")
                .arg(path),
            detail, QStringLiteral("Raise the file-size limit, or use another history file (PLANSIGHT_HISTORY)."));
    if (sysErrno == EROFS)
        return Error::make(errc::HistoryReadOnly,
            QStringLiteral("The history file %1 is on a read-only file system; it can be read but not written.")
                .arg(path),
            detail, QStringLiteral("Use a history file on a writable disk (PLANSIGHT_HISTORY)."));
    if (base == SQLITE_READONLY)
        return Error::make(errc::HistoryReadOnly,
            QStringLiteral("The history file %1 is open read-only (no write access to it or its directory); it can be "
                           "read but not written.")
                .arg(path),
            detail,
            QStringLiteral("Run PlanSight as a user who may write the file and its directory, or use another history "
                           "file (PLANSIGHT_HISTORY)."));
    if (sysErrno == EACCES || sysErrno == EPERM || base == SQLITE_PERM || base == SQLITE_AUTH)
        return Error::make(errc::Io,
            QStringLiteral("The history file %1 cannot be read or written: permission denied.").arg(path), detail,
            QStringLiteral("Check the file's and its directory's permissions, or use another history file "
                           "(PLANSIGHT_HISTORY)."));
    if (base == SQLITE_CANTOPEN || base == SQLITE_IOERR)
        return Error::make(errc::Io,
            QStringLiteral("The history file %1 cannot be read or written: %2.")
                .arg(path,
                    sysErrno != 0 ? QString::fromLocal8Bit(std::strerror(sysErrno)).toLower()
                                  : QStringLiteral("SQLite says \"%1\"").arg(sqliteMessage)),
            detail, QStringLiteral("Use another history file (PLANSIGHT_HISTORY) if the cause cannot be removed."));
    return Error::make(errc::Internal, QStringLiteral("The history file %1 could not be used.").arg(path), detail);
}

// The stores of this process, by canonical path: moveAside never moves a file this process itself has open.
QMutex &openPathsMutex()
{
    static QMutex m;
    return m;
}
QHash<QString, int> &openPaths()
{
    static QHash<QString, int> h;
    return h;
}
QString pathKey(const QString &path)
{
    const QString canonical = QFileInfo(path).canonicalFilePath();
    return canonical.isEmpty() ? QFileInfo(path).absoluteFilePath() : canonical;
}

// Whether another process holds a POSIX lock on bytes [start, start + len) of `file`. Only called when this
// process has no store open on the history (closing our descriptor would drop this process's own locks).
bool otherProcessLocks(const QString &file, off_t start, off_t len)
{
    const int fd = ::open(QFile::encodeName(file).constData(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock fl { };
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    const bool locked = ::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    ::close(fd);
    return locked;
}

// Why `path` must not be moved: it is in use (a write lock held by any connection, an open connection of
// another process, or a store of this process). Empty when it is free.
QString inUseBy(const QString &path)
{
    {
        QMutexLocker lock(&openPathsMutex());
        if (openPaths().value(pathKey(path)) > 0)
            return QStringLiteral("this PlanSight has it open");
    }
    // A write lock (any process, this one included): SQLite's own locking, without waiting.
    sqlite3 *raw = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr)
        == SQLITE_OK) {
        sqlite3_busy_timeout(raw, 0);
        const int rc = sqlite3_exec(raw, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        sqlite3_exec(raw, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close_v2(raw);
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
            return QStringLiteral("another connection holds its write lock");
    } else {
        sqlite3_close_v2(raw);
    }
    // Any open connection of another process: SQLite keeps locks on the database file's lock bytes (from
    // 0x40000000) and, in WAL mode, a read lock on the -shm file's "DMS" byte (120..128 are its lock bytes).
    if (otherProcessLocks(path, 0x40000000, 512) || otherProcessLocks(path + QStringLiteral("-shm"), 120, 9))
        return QStringLiteral("another program has it open");
    return {};
}

// A prepared statement with named parameters (":name") and columns read by name. Values are always bound,
// never spliced into the SQL text.
class Statement {
public:
    Statement() = default;
    Statement(StmtPtr st, QString name) : m_st(std::move(st)), m_name(std::move(name))
    {
        const int n = sqlite3_column_count(m_st.get());
        for (int i = 0; i < n; ++i)
            m_columns.insert(QByteArray(sqlite3_column_name(m_st.get(), i)), i);
    }

    const QString &name() const { return m_name; }

    void bind(const char *param, const QString &v)
    {
        const QByteArray b = v.toUtf8();
        sqlite3_bind_text(m_st.get(), index(param), b.constData(), int(b.size()), SQLITE_TRANSIENT);
    }
    void bind(const char *param, const char *) = delete; // say QStringLiteral
    void bind(const char *param, double v) { sqlite3_bind_double(m_st.get(), index(param), v); }
    void bind(const char *param, qint64 v) { sqlite3_bind_int64(m_st.get(), index(param), v); }
    void bind(const char *param, int v) { sqlite3_bind_int64(m_st.get(), index(param), v); }
    void bind(const char *param, bool v) { sqlite3_bind_int64(m_st.get(), index(param), v ? 1 : 0); }
    void bindBlob(const char *param, const QByteArray &v)
    {
        sqlite3_bind_blob(m_st.get(), index(param), v.constData(), int(v.size()), SQLITE_TRANSIENT);
    }
    void bindNullable(const char *param, const QString &v)
    {
        if (v.isEmpty())
            sqlite3_bind_null(m_st.get(), index(param));
        else
            bind(param, v);
    }

    // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> the error code.
    int step() { return sqlite3_step(m_st.get()); }

    QString text(const char *column) const
    {
        const int i = col(column);
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_st.get(), i));
        return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_st.get(), i)) : QString();
    }
    double real(const char *column) const { return sqlite3_column_double(m_st.get(), col(column)); }
    qint64 int64(const char *column) const { return sqlite3_column_int64(m_st.get(), col(column)); }
    bool isNull(const char *column) const { return sqlite3_column_type(m_st.get(), col(column)) == SQLITE_NULL; }
    QByteArray blob(const char *column) const
    {
        const int i = col(column);
        const void *p = sqlite3_column_blob(m_st.get(), i);
        return p ? QByteArray(static_cast<const char *>(p), sqlite3_column_bytes(m_st.get(), i)) : QByteArray();
    }
    qint64 int64At(int i) const { return sqlite3_column_int64(m_st.get(), i); }
    QString textAt(int i) const
    {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_st.get(), i));
        return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_st.get(), i)) : QString();
    }

    void reset()
    {
        sqlite3_reset(m_st.get());
        sqlite3_clear_bindings(m_st.get());
    }

private:
    int index(const char *param) const
    {
        const int i = sqlite3_bind_parameter_index(m_st.get(), param);
        Q_ASSERT_X(i > 0, "Statement::bind", param); // a misspelt parameter is a programming error
        return i;
    }
    int col(const char *column) const
    {
        const int i = m_columns.value(QByteArray::fromRawData(column, qsizetype(qstrlen(column))), -1);
        Q_ASSERT_X(i >= 0, "Statement column", column);
        return i;
    }

    StmtPtr m_st;
    QString m_name;
    QHash<QByteArray, int> m_columns;
};

// The run statements name the declared run fields (session/runfields.h) through placeholders: @columns@
// (strategy_id, ...), @r.columns@ (r.strategy_id, ...) and @parameters@ (:strategy_id, ...). The names are
// PlanSight's own constants, never input.
QString withRunColumns(QString sql)
{
    if (!sql.contains(QLatin1Char('@')))
        return sql;
    QStringList columns, prefixed, parameters;
    for (const RunField &f : runFields()) {
        const QString c = QLatin1String(f.column);
        columns << c;
        prefixed << QStringLiteral("r.") + c;
        parameters << QLatin1Char(':') + c;
    }
    sql.replace(QLatin1String("@columns@"), columns.join(QStringLiteral(", ")));
    sql.replace(QLatin1String("@r.columns@"), prefixed.join(QStringLiteral(", ")));
    sql.replace(QLatin1String("@parameters@"), parameters.join(QStringLiteral(", ")));
    return sql;
}

} // namespace

// ---- the store --------------------------------------------------------------------------------------------------

struct HistoryStore::Impl {
    // One transaction: BEGIN IMMEDIATE for writers (takes the write lock at once, so a busy file fails before
    // any work), BEGIN for readers (one consistent snapshot). Rolled back unless committed.
    class Transaction {
    public:
        enum Kind { Read, Write };
        explicit Transaction(Impl &store) : m_store(store) { }
        ~Transaction()
        {
            if (m_open)
                sqlite3_exec(m_store.db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        }
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;

        Status begin(Kind kind)
        {
            auto st = m_store.execScript(kind == Write ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"),
                QStringLiteral("starting a transaction"));
            m_open = st.ok();
            return st;
        }
        Status commit()
        {
            auto st = m_store.execScript(QStringLiteral("COMMIT"), QStringLiteral("committing"));
            if (st)
                m_open = false;
            return st;
        }

    private:
        Impl &m_store;
        bool m_open = false;
    };

    DbPtr db;
    QString path;
    QString registeredAs; // the key in openPaths() while this store is open
    bool readOnly = false;
    std::map<QString, Statement> statements;

    ~Impl()
    {
        statements.clear(); // finalize before closing
        db.reset();
        if (!registeredAs.isEmpty()) {
            QMutexLocker lock(&openPathsMutex());
            if (--openPaths()[registeredAs] <= 0)
                openPaths().remove(registeredAs);
        }
    }

    Error error(int rc, const QString &what) const { return sqliteError(db.get(), rc, path, what); }

    // A prepared statement from resources/sql/history/<name>.sql, prepared once and reset for each use.
    Result<Statement *> prepare(const QString &name)
    {
        auto it = statements.find(name);
        if (it != statements.end()) {
            it->second.reset();
            return &it->second;
        }
        auto text = loadSql(QStringLiteral("history/") + name);
        if (!text)
            return text.error();
        const QByteArray utf8 = withRunColumns(text.value()).toUtf8();
        sqlite3_stmt *raw = nullptr;
        const int rc = sqlite3_prepare_v3(
            db.get(), utf8.constData(), int(utf8.size()) + 1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
        StmtPtr st(raw);
        if (rc != SQLITE_OK)
            return error(rc, QStringLiteral("preparing history/%1").arg(name));
        auto [pos, inserted] = statements.emplace(name, Statement(std::move(st), name));
        Q_UNUSED(inserted);
        return &pos->second;
    }

    // Runs a statement that returns no rows (or whose rows are not needed).
    Status run(Statement &st)
    {
        int rc;
        while ((rc = st.step()) == SQLITE_ROW) { }
        if (rc != SQLITE_DONE)
            return error(rc, st.name());
        return {};
    }

    // Statements and scripts of PlanSight's own making (pragmas, migrations, transaction control); never
    // anything built from a value.
    Status execScript(const QString &script, const QString &what)
    {
        char *msg = nullptr;
        const int rc = sqlite3_exec(db.get(), script.toUtf8().constData(), nullptr, nullptr, &msg);
        sqlite3_free(msg);
        if (rc != SQLITE_OK)
            return error(rc, what);
        return {};
    }

    Result<QString> pragmaText(const char *pragma)
    {
        sqlite3_stmt *raw = nullptr;
        int rc = sqlite3_prepare_v2(db.get(), pragma, -1, &raw, nullptr);
        StmtPtr st(raw);
        if (rc != SQLITE_OK)
            return error(rc, QString::fromLatin1(pragma));
        QStringList lines;
        while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
            const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(st.get(), 0));
            lines << (p ? QString::fromUtf8(p) : QString());
        }
        if (rc != SQLITE_DONE)
            return error(rc, QString::fromLatin1(pragma));
        return lines.join(QLatin1Char('\n'));
    }

    Result<int> userVersion()
    {
        auto v = pragmaText("PRAGMA user_version");
        if (!v)
            return v.error();
        return v->toInt();
    }

    Status checkSessionExists(qint64 sessionId)
    {
        auto st = prepare(QStringLiteral("session_exists"));
        if (!st)
            return st.error();
        (*st)->bind(":session_id", sessionId);
        const int rc = (*st)->step();
        if (rc == SQLITE_ROW) {
            (*st)->reset();
            return {};
        }
        if (rc != SQLITE_DONE)
            return error(rc, QStringLiteral("session_exists"));
        return Error::make(errc::Missing, QStringLiteral("There is no session %1 in the history.").arg(sessionId), {},
            QStringLiteral("`plansight history list` shows the sessions there are."));
    }
};

namespace {

struct Migration {
    int version;
    QString name;
};

// The compiled-in migrations, in order: history/migrations/NNNN_<what>.sql, NNNN = the version it creates.
QList<Migration> migrations()
{
    QList<Migration> out;
    const QString prefix = QStringLiteral("history/migrations/");
    for (const QString &name : allSqlNames()) {
        if (!name.startsWith(prefix))
            continue;
        const QString base = name.mid(prefix.size());
        bool ok = false;
        const int v = base.section(QLatin1Char('_'), 0, 0).toInt(&ok);
        if (ok && v > 0)
            out.append({ v, name });
    }
    std::sort(out.begin(), out.end(), [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return out;
}

int latestSchemaVersion()
{
    const QList<Migration> all = migrations();
    return all.isEmpty() ? 0 : all.last().version;
}

// A file written by a newer PlanSight is never read or written by this one: its schema may mean other things.
Status refuseNewerSchema(const QString &path, int version, int latest)
{
    if (version <= latest)
        return {};
    return Error::make(errc::HistoryTooNew,
        QStringLiteral("The history file %1 was written by a newer PlanSight (schema version %2; this one knows up "
                       "to %3).")
            .arg(path)
            .arg(version)
            .arg(latest),
        {}, QStringLiteral("Use the newer PlanSight, or another history file (PLANSIGHT_HISTORY)."));
}

QString likePattern(const QString &filter)
{
    const QString f = filter.trimmed();
    if (f.isEmpty())
        return {};
    QString escaped;
    for (QChar c : f) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

Result<QStringList> stringArray(const QString &json, const QString &what)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &pe);
    if (!doc.isArray())
        return Error::make(
            errc::HistoryCorrupt, QStringLiteral("The history's %1 is not a JSON array.").arg(what), pe.errorString());
    QStringList out;
    for (const QJsonValue &v : doc.array())
        out << v.toString();
    return out;
}

} // namespace

int HistoryStore::schemaVersion()
{
    const QList<Migration> all = migrations();
    return all.isEmpty() ? 0 : all.last().version;
}

QString HistoryStore::defaultPath()
{
    const QString env = qEnvironmentVariable("PLANSIGHT_HISTORY");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/plansight/history.sqlite");
}

HistoryStore::HistoryStore(std::unique_ptr<Impl> impl) : d(std::move(impl)) { }
HistoryStore::HistoryStore(HistoryStore &&) noexcept = default;
HistoryStore &HistoryStore::operator=(HistoryStore &&) noexcept = default;
HistoryStore::~HistoryStore() = default;

QString HistoryStore::path() const
{
    return d->path;
}

bool HistoryStore::isReadOnly() const
{
    return d->readOnly;
}

Result<HistoryStore> HistoryStore::open(const QString &pathIn, int busyTimeoutMs)
{
    const QString path = pathIn.isEmpty() ? defaultPath() : pathIn;
    const QFileInfo fi(path);
    if (fi.isDir())
        return Error::make(errc::Io, QStringLiteral("The history path %1 is a directory, not a file.").arg(path));
    const QString dir = fi.absolutePath();
    if (!QFileInfo::exists(dir)) {
        if (!QDir().mkpath(dir))
            return Error::make(
                errc::Io, QStringLiteral("The directory %1 for the history file cannot be created.").arg(dir));
        ::chmod(QFile::encodeName(dir).constData(), 0700); // only its owner reads the history
    }
    const QByteArray file = QFile::encodeName(path);
    const bool exists = QFileInfo::exists(path);
    // access() asks the kernel, so a read-only file system counts as not writable even for root.
    const bool writable
        = ::access(QFile::encodeName(dir).constData(), W_OK) == 0 && (!exists || ::access(file.constData(), W_OK) == 0);
    if (!exists && !writable)
        return Error::make(errc::Io,
            QStringLiteral("The history file %1 does not exist, and its directory %2 is not writable.").arg(path, dir),
            QString::fromLocal8Bit(std::strerror(errno)),
            QStringLiteral("Use another history file (PLANSIGHT_HISTORY), or make the directory writable."));
    if (writable) {
        // Created 0600 before SQLite sees it (SQLite would follow the umask); the -wal and -shm files that SQLite
        // creates take the database file's permissions. A file readable by others is narrowed.
        // By path, never through a descriptor of an existing file: closing one would drop the POSIX locks that
        // another store of this process holds on it.
        if (!exists) {
            const int fd = ::open(file.constData(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd >= 0)
                ::close(fd); // a new, empty file: nobody holds a lock on it
            else if (errno == ENOSPC || errno == EDQUOT)
                return Error::make(errc::Io,
                    QStringLiteral("The history file %1 cannot be created: the disk is full.").arg(path), {},
                    QStringLiteral("Free some space and try again."));
        }
        for (const char *suffix : { "", "-wal", "-shm" }) {
            const QByteArray f = file + suffix;
            struct stat st { };
            if (::stat(f.constData(), &st) == 0 && (st.st_mode & 077) != 0 && st.st_uid == ::geteuid())
                ::chmod(f.constData(), st.st_mode & 0700);
        }
    }

    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->readOnly = !writable;
    sqlite3 *raw = nullptr;
    int rc = sqlite3_open_v2(file.constData(), &raw,
        (writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX, nullptr);
    impl->db.reset(raw);
    if (rc != SQLITE_OK)
        return impl->error(rc, QStringLiteral("opening"));
    sqlite3_extended_result_codes(impl->db.get(), 1);
    sqlite3_busy_timeout(impl->db.get(), busyTimeoutMs);
    {
        QMutexLocker lock(&openPathsMutex());
        impl->registeredAs = pathKey(path);
        ++openPaths()[impl->registeredAs];
    }

    if (!writable) {
        // Reading a WAL database needs its -shm file; in a directory we may not write, SQLite can create none.
        // Without a -wal file there is nothing beyond the main file, so it is read as an immutable file.
        auto probe = impl->userVersion();
        if (!probe && !QFileInfo::exists(path + QStringLiteral("-wal"))) {
            impl->statements.clear();
            raw = nullptr;
            const QByteArray uri = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toEncoded() + "?immutable=1";
            rc = sqlite3_open_v2(
                uri.constData(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
            impl->db.reset(raw);
            if (rc != SQLITE_OK)
                return impl->error(rc, QStringLiteral("opening read-only"));
            sqlite3_extended_result_codes(impl->db.get(), 1);
        }
        auto current = impl->userVersion();
        if (!current)
            return current.error();
        const int latest = latestSchemaVersion();
        if (auto st = refuseNewerSchema(path, current.value(), latest); !st)
            return st.error();
        if (current.value() < latest)
            return Error::make(errc::Io,
                QStringLiteral("The history file %1 was written by an older PlanSight (schema version %2) and cannot "
                               "be upgraded to version %3 without write access to it and its directory.")
                    .arg(path)
                    .arg(current.value())
                    .arg(latest),
                {},
                QStringLiteral(
                    "Open it once as a user who may write it, or use another history file (PLANSIGHT_HISTORY)."));
        return HistoryStore(std::move(impl));
    }

    // The first read of the file: a file that is not SQLite fails here with SQLITE_NOTADB.
    auto mode = impl->pragmaText("PRAGMA journal_mode = WAL");
    if (!mode)
        return mode.error();
    if (mode->compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return Error::make(errc::Io,
            QStringLiteral("The history file %1 cannot be switched to WAL mode (it stays in %2 mode).")
                .arg(path, mode.value()),
            {}, QStringLiteral("The file system may not support shared memory; use a local disk."));
    if (auto st = impl->execScript(
            QStringLiteral("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"), QStringLiteral("setting pragmas"));
        !st)
        return st.error();

    auto current = impl->userVersion();
    if (!current)
        return current.error();
    const QList<Migration> all = migrations();
    if (auto st = refuseNewerSchema(path, current.value(), latestSchemaVersion()); !st)
        return st.error();

    for (const Migration &m : all) {
        if (m.version <= current.value())
            continue;
        Impl::Transaction tx(*impl);
        if (auto st = tx.begin(Impl::Transaction::Write); !st)
            return st.error();
        // Another process may have migrated while we waited for the lock.
        auto now = impl->userVersion();
        if (!now)
            return now.error();
        if (now.value() >= m.version)
            continue;
        if (now.value() != m.version - 1)
            return Error::make(errc::Internal,
                QStringLiteral("The history's migrations are not contiguous: there is no step from version %1 to %2.")
                    .arg(now.value())
                    .arg(m.version));
        auto script = loadSql(m.name);
        if (!script)
            return script.error();
        if (auto st = impl->execScript(script.value(), QStringLiteral("migrating to schema version %1").arg(m.version));
            !st)
            return st.error();
        // user_version takes no bound parameter; the number is our own migration's, not input.
        if (auto st = impl->execScript(QStringLiteral("PRAGMA user_version = %1").arg(m.version),
                QStringLiteral("recording schema version %1").arg(m.version));
            !st)
            return st.error();
        if (auto st = tx.commit(); !st)
            return st.error();
    }
    return HistoryStore(std::move(impl));
}

Result<QString> HistoryStore::moveAside(const QString &pathIn)
{
    const QString path = pathIn.isEmpty() ? defaultPath() : pathIn;
    if (!QFileInfo::exists(path))
        return Error::make(errc::Missing, QStringLiteral("There is no history file %1 to move aside.").arg(path));
    if (const QString by = inUseBy(path); !by.isEmpty())
        return Error::make(errc::HistoryLocked,
            QStringLiteral("The history file %1 is in use (%2): it is locked, not damaged, and was not moved.")
                .arg(path, by),
            {}, QStringLiteral("Close the other program using it and try again."));
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = path + QStringLiteral(".corrupt-") + stamp + QLatin1Char('-') + QString::number(n);
    if (!QFile::rename(path, target))
        return Error::make(errc::Io, QStringLiteral("The history file %1 cannot be renamed to %2.").arg(path, target),
            {}, QStringLiteral("Check the permissions of its directory."));
    // The side files follow the main file, named the way SQLite looks for them, so that the moved file can
    // still be opened with its last transactions.
    for (const char *suffix : { "-wal", "-shm", "-journal" }) {
        const QString side = path + QLatin1String(suffix);
        if (QFileInfo::exists(side) && !QFile::rename(side, target + QLatin1String(suffix)))
            QFile::remove(side);
    }
    return target;
}

Result<HistoryStore> HistoryStore::moveAsideAndOpen(const QString &pathIn, QString *movedTo, int busyTimeoutMs)
{
    const QString path = pathIn.isEmpty() ? defaultPath() : pathIn;
    if (movedTo)
        movedTo->clear();
    if (QFileInfo::exists(path)) {
        auto moved = moveAside(path);
        if (!moved)
            return moved.error();
        if (movedTo)
            *movedTo = moved.value();
    }
    return open(path, busyTimeoutMs);
}

namespace {

// Binds every declared run field (session/runfields.h) to its :column parameter.
void bindRunFields(Statement &s, const StrategyRun &run)
{
    for (const RunField &f : runFields()) {
        const QByteArray param = ':' + QByteArray(f.column);
        const RunFieldValue v = f.get(run);
        switch (f.type) {
        case RunFieldType::Text:
        case RunFieldType::Enum:
            s.bind(param.constData(), f.mayHoldPassword ? redactPasswords(std::get<QString>(v)) : std::get<QString>(v));
            break;
        case RunFieldType::Integer:
        case RunFieldType::Count:
            s.bind(param.constData(), std::get<qint64>(v));
            break;
        case RunFieldType::Real:
        case RunFieldType::Measured:
            s.bind(param.constData(), std::get<double>(v));
            break;
        case RunFieldType::Time:
            s.bindNullable(param.constData(), iso(std::get<QDateTime>(v)));
            break;
        case RunFieldType::TextList:
            s.bind(param.constData(), jsonText(QJsonArray::fromStringList(std::get<QStringList>(v))));
            break;
        }
    }
}

// Reads every declared run field from its column of the current row.
Status readRunFields(const Statement &s, StrategyRun &run)
{
    for (const RunField &f : runFields()) {
        switch (f.type) {
        case RunFieldType::Text:
        case RunFieldType::Enum:
            f.set(run, s.text(f.column));
            break;
        case RunFieldType::Integer:
        case RunFieldType::Count:
            f.set(run, s.int64(f.column));
            break;
        case RunFieldType::Real:
        case RunFieldType::Measured:
            f.set(run, s.real(f.column));
            break;
        case RunFieldType::Time:
            f.set(run, fromIso(s.text(f.column)));
            break;
        case RunFieldType::TextList: {
            auto list = stringArray(s.text(f.column), QStringLiteral("%1 of a run").arg(QLatin1String(f.column)));
            if (!list)
                return list.error();
            f.set(run, list.value());
            break;
        }
        }
    }
    return {};
}

// The speed-up of the current row (not one flat value: session/runfields.h).
SpeedUp speedUpOf(const Statement &s)
{
    SpeedUp sp;
    sp.valid = s.int64("speedup_valid") != 0;
    sp.ratio = s.real("speedup_ratio");
    sp.low = s.real("speedup_low");
    sp.high = s.real("speedup_high");
    return sp;
}

} // namespace

Result<qint64> HistoryStore::beginSession(const SessionInfo &info)
{
    Impl::Transaction tx(*d);
    if (auto st = tx.begin(Impl::Transaction::Write); !st)
        return st.error();
    auto ins = d->prepare(QStringLiteral("insert_session"));
    if (!ins)
        return ins.error();
    Statement &s = **ins;
    s.bindNullable(":started_at", iso(info.startedAt.isValid() ? info.startedAt : QDateTime::currentDateTimeUtc()));
    s.bind(":server", redactPasswords(info.server));
    s.bind(":server_version", info.serverVersion);
    s.bind(":database", redactPasswords(info.database));
    s.bind(":is_demo", info.isDemo);
    s.bind(":dataset_fingerprint", info.datasetFingerprint);
    s.bind(":dataset_json", jsonText(info.dataset));
    s.bind(":plansight_version", info.planSightVersion);
    s.bind(":note", redactPasswords(info.note));
    s.bind(":machine_start_json", jsonText(toJson(info.machineAtStart)));
    s.bind(":machine_end_json", jsonText(toJson(info.machineAtEnd))); // known when a finished session is imported
    if (auto st = d->run(s); !st)
        return st.error();
    const qint64 id = sqlite3_last_insert_rowid(d->db.get());

    for (qsizetype i = 0; i < info.settings.size(); ++i) {
        auto set = d->prepare(QStringLiteral("insert_session_setting"));
        if (!set)
            return set.error();
        (*set)->bind(":session_id", id);
        (*set)->bind(":idx", qint64(i));
        (*set)->bind(":name", info.settings.at(i).first);
        // primary_conninfo and friends may carry a password.
        (*set)->bind(":setting", redactPasswords(info.settings.at(i).second));
        if (auto st = d->run(**set); !st)
            return st.error();
    }
    if (auto st = tx.commit(); !st)
        return st.error();
    return id;
}

Status HistoryStore::addRun(qint64 sessionId, const StrategyRun &run)
{
    Impl::Transaction tx(*d);
    if (auto st = tx.begin(Impl::Transaction::Write); !st)
        return st;
    if (auto st = d->checkSessionExists(sessionId); !st)
        return st;

    auto wl = d->prepare(QStringLiteral("upsert_workload"));
    if (!wl)
        return wl.error();
    const QString workloadJson = jsonText(run.workload.toJson());
    (*wl)->bind(":key", run.workload.key());
    (*wl)->bind(":name", run.workload.name);
    int rc = (*wl)->step();
    if (rc != SQLITE_ROW)
        return d->error(rc, QStringLiteral("upsert_workload"));
    const qint64 workloadId = (*wl)->int64At(0);
    (*wl)->reset();

    auto ord = d->prepare(QStringLiteral("next_run_ordinal"));
    if (!ord)
        return ord.error();
    (*ord)->bind(":session_id", sessionId);
    rc = (*ord)->step();
    if (rc != SQLITE_ROW)
        return d->error(rc, QStringLiteral("next_run_ordinal"));
    const qint64 ordinal = (*ord)->int64At(0);
    (*ord)->reset();

    auto ins = d->prepare(QStringLiteral("insert_run"));
    if (!ins)
        return ins.error();
    Statement &s = **ins;
    s.bind(":session_id", sessionId);
    s.bind(":ordinal", ordinal);
    s.bind(":workload_id", workloadId);
    s.bind(":workload_name", run.workload.name);
    s.bind(":workload_json", workloadJson);
    s.bind(":speedup_valid", run.speedup.valid);
    s.bind(":speedup_ratio", run.speedup.ratio);
    s.bind(":speedup_low", run.speedup.low);
    s.bind(":speedup_high", run.speedup.high);
    bindRunFields(s, run);
    if (auto st = d->run(s); !st)
        return st;
    const qint64 runId = sqlite3_last_insert_rowid(d->db.get());

    for (qsizetype i = 0; i < run.timingsMs.size(); ++i) {
        auto t = d->prepare(QStringLiteral("insert_timing"));
        if (!t)
            return t.error();
        (*t)->bind(":run_id", runId);
        (*t)->bind(":idx", qint64(i));
        (*t)->bind(":ms", run.timingsMs.at(i));
        if (auto st = d->run(**t); !st)
            return st;
    }

    if (!run.planJson.isEmpty()) {
        auto p = d->prepare(QStringLiteral("insert_plan"));
        if (!p)
            return p.error();
        (*p)->bind(":run_id", runId);
        (*p)->bindBlob(":plan_z", qCompress(run.planJson, 9));
        if (auto st = d->run(**p); !st)
            return st;
    }

    auto f = d->prepare(QStringLiteral("insert_footprint"));
    if (!f)
        return f.error();
    (*f)->bind(":run_id", runId);
    (*f)->bind(":objects_json", jsonText(QJsonArray::fromStringList(run.footprint.objects)));
    (*f)->bind(":bytes", run.footprint.bytes);
    (*f)->bind(":build_ms", run.footprint.buildMs);
    (*f)->bind(":write_ms", run.footprint.writeMs);
    (*f)->bind(":baseline_write_ms", run.footprint.baselineWriteMs);
    (*f)->bind(":staleness", run.footprint.staleness);
    (*f)->bind(":write_low_ms", run.footprint.writeLowMs);
    (*f)->bind(":write_high_ms", run.footprint.writeHighMs);
    (*f)->bind(":baseline_write_low_ms", run.footprint.baselineWriteLowMs);
    (*f)->bind(":baseline_write_high_ms", run.footprint.baselineWriteHighMs);
    (*f)->bind(":write_samples", run.footprint.writeSamples);
    (*f)->bind(":refresh_ms", run.footprint.refreshMs);
    (*f)->bind(":visible_ms", run.footprint.visibleMs);
    (*f)->bind(":visible_ttl_only_ms", run.footprint.visibleTtlOnlyMs);
    if (auto st = d->run(**f); !st)
        return st;

    return tx.commit();
}

Status HistoryStore::addCatalogSnapshot(
    qint64 sessionId, const QString &kind, const QJsonObject &data, const QDateTime &takenAt)
{
    Impl::Transaction tx(*d);
    if (auto st = tx.begin(Impl::Transaction::Write); !st)
        return st;
    if (auto st = d->checkSessionExists(sessionId); !st)
        return st;
    auto s = d->prepare(QStringLiteral("insert_catalog_snapshot"));
    if (!s)
        return s.error();
    (*s)->bind(":session_id", sessionId);
    (*s)->bind(":taken_at", iso(takenAt.isValid() ? takenAt : QDateTime::currentDateTimeUtc()));
    (*s)->bind(":kind", kind);
    (*s)->bind(":json", jsonText(data));
    if (auto st = d->run(**s); !st)
        return st;
    return tx.commit();
}

Status HistoryStore::finishSession(qint64 sessionId, const QDateTime &finishedAt, const MachineState &machineAtEnd)
{
    Impl::Transaction tx(*d);
    if (auto st = tx.begin(Impl::Transaction::Write); !st)
        return st;
    if (auto st = d->checkSessionExists(sessionId); !st)
        return st;
    auto s = d->prepare(QStringLiteral("finish_session"));
    if (!s)
        return s.error();
    (*s)->bind(":session_id", sessionId);
    (*s)->bind(":finished_at", iso(finishedAt.isValid() ? finishedAt : QDateTime::currentDateTimeUtc()));
    (*s)->bind(":machine_end_json", jsonText(toJson(machineAtEnd)));
    if (auto st = d->run(**s); !st)
        return st;
    return tx.commit();
}

Status HistoryStore::deleteSession(qint64 sessionId)
{
    Impl::Transaction tx(*d);
    if (auto st = tx.begin(Impl::Transaction::Write); !st)
        return st;
    if (auto st = d->checkSessionExists(sessionId); !st)
        return st;
    for (const char *name : { "delete_session", "delete_unused_workloads" }) {
        auto s = d->prepare(QString::fromLatin1(name));
        if (!s)
            return s.error();
        if (qstrcmp(name, "delete_session") == 0)
            (*s)->bind(":session_id", sessionId);
        if (auto st = d->run(**s); !st)
            return st;
    }
    return tx.commit();
}

Result<QList<SessionSummary>> HistoryStore::listSessions(const QString &filter)
{
    Impl::Transaction tx(*d);
    if (auto st = tx.begin(Impl::Transaction::Read); !st)
        return st.error();
    auto ls = d->prepare(QStringLiteral("list_sessions"));
    if (!ls)
        return ls.error();
    Statement &s = **ls;
    s.bind(":pattern", likePattern(filter));
    QList<SessionSummary> out;
    QHash<qint64, qsizetype> indexOf;
    QJsonArray ids;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        SessionSummary sum;
        sum.id = s.int64("id");
        sum.startedAt = fromIso(s.text("started_at"));
        sum.finishedAt = fromIso(s.text("finished_at"));
        sum.server = s.text("server");
        sum.serverVersion = s.text("server_version");
        sum.database = s.text("database");
        sum.isDemo = s.int64("is_demo") != 0;
        sum.note = s.text("note");
        sum.datasetFingerprint = s.text("dataset_fingerprint");
        sum.machineBusy
            = machineStateFromJson(QJsonDocument::fromJson(s.text("machine_start_json").toUtf8()).object()).busy()
            || machineStateFromJson(QJsonDocument::fromJson(s.text("machine_end_json").toUtf8()).object()).busy();
        indexOf.insert(sum.id, out.size());
        ids.append(double(sum.id));
        out.append(sum);
    }
    if (rc != SQLITE_DONE)
        return d->error(rc, QStringLiteral("list_sessions"));
    if (out.isEmpty())
        return out;

    auto rs = d->prepare(QStringLiteral("list_session_runs"));
    if (!rs)
        return rs.error();
    Statement &r = **rs;
    r.bind(":session_ids", jsonText(ids));
    QHash<qint64, SessionResult> forWinner;
    while ((rc = r.step()) == SQLITE_ROW) {
        const qint64 sid = r.int64("session_id");
        SessionSummary &sum = out[indexOf.value(sid)];
        const QString strategy = r.text("strategy_id");
        const QString workload = r.text("workload_name");
        if (!sum.strategies.contains(strategy))
            sum.strategies << strategy;
        if (!sum.workloads.contains(workload))
            sum.workloads << workload;
        ++sum.runCount;
        // The winner is decided by the same rule as everywhere else: rankSession() (present/ranking.h).
        StrategyRun run;
        if (auto st = readRunFields(r, run); !st)
            return st.error();
        run.speedup = speedUpOf(r);
        if (auto w = Workload::fromJson(QJsonDocument::fromJson(r.text("workload_json").toUtf8()).object()); w)
            run.workload = std::move(w).value();
        else
            run.workload.name = workload;
        forWinner[sid].runs.append(run);
    }
    if (rc != SQLITE_DONE)
        return d->error(rc, QStringLiteral("list_session_runs"));
    for (auto it = forWinner.cbegin(); it != forWinner.cend(); ++it) {
        const Ranking ranking = rankSession(it.value());
        SessionSummary &sum = out[indexOf.value(it.key())];
        sum.verdict = ranking.sentence();
        if (const StrategyRun *w = ranking.winner) {
            sum.winnerId = w->strategyId;
            sum.winnerP50Ms = ranking.workloads.size() == 1 ? w->stats.p50Ms : -1;
        }
    }
    if (auto st = tx.commit(); !st)
        return st.error();
    return out;
}

Result<SessionResult> HistoryStore::loadSession(qint64 sessionId)
{
    Impl::Transaction tx(*d);
    if (auto st = tx.begin(Impl::Transaction::Read); !st)
        return st.error();
    auto ss = d->prepare(QStringLiteral("select_session"));
    if (!ss)
        return ss.error();
    Statement &s = **ss;
    s.bind(":session_id", sessionId);
    int rc = s.step();
    if (rc == SQLITE_DONE)
        return Error::make(errc::Missing, QStringLiteral("There is no session %1 in the history.").arg(sessionId), {},
            QStringLiteral("`plansight history list` shows the sessions there are."));
    if (rc != SQLITE_ROW)
        return d->error(rc, QStringLiteral("select_session"));
    SessionResult out;
    SessionInfo &info = out.info;
    info.id = s.int64("id");
    info.startedAt = fromIso(s.text("started_at"));
    info.server = s.text("server");
    info.serverVersion = s.text("server_version");
    info.database = s.text("database");
    info.isDemo = s.int64("is_demo") != 0;
    info.datasetFingerprint = s.text("dataset_fingerprint");
    info.dataset = QJsonDocument::fromJson(s.text("dataset_json").toUtf8()).object();
    info.planSightVersion = s.text("plansight_version");
    info.note = s.text("note");
    info.machineAtStart = machineStateFromJson(QJsonDocument::fromJson(s.text("machine_start_json").toUtf8()).object());
    info.machineAtEnd = machineStateFromJson(QJsonDocument::fromJson(s.text("machine_end_json").toUtf8()).object());
    s.reset();

    auto set = d->prepare(QStringLiteral("select_session_settings"));
    if (!set)
        return set.error();
    (*set)->bind(":session_id", sessionId);
    while ((rc = (*set)->step()) == SQLITE_ROW)
        info.settings.append({ (*set)->text("name"), (*set)->text("setting") });
    if (rc != SQLITE_DONE)
        return d->error(rc, QStringLiteral("select_session_settings"));

    auto rs = d->prepare(QStringLiteral("select_runs"));
    if (!rs)
        return rs.error();
    Statement &r = **rs;
    r.bind(":session_id", sessionId);
    QHash<qint64, qsizetype> indexOf;
    while ((rc = r.step()) == SQLITE_ROW) {
        StrategyRun run;
        const qint64 runId = r.int64("id");
        if (auto st = readRunFields(r, run); !st)
            return st.error();
        run.speedup = speedUpOf(r);
        const QJsonObject wj = QJsonDocument::fromJson(r.text("workload_json").toUtf8()).object();
        auto w = Workload::fromJson(wj);
        if (!w)
            return Error::make(errc::HistoryCorrupt,
                QStringLiteral("The workload of run %1 (%2) in session %3 cannot be read.")
                    .arg(runId)
                    .arg(run.strategyId)
                    .arg(sessionId),
                w.error().message);
        run.workload = std::move(w).value();
        if (!r.isNull("footprint_run_id")) {
            auto objects = stringArray(r.text("objects_json"), QStringLiteral("footprint objects"));
            if (!objects)
                return objects.error();
            run.footprint.objects = objects.value();
            run.footprint.bytes = r.int64("bytes");
            run.footprint.buildMs = r.real("build_ms");
            run.footprint.writeMs = r.real("write_ms");
            run.footprint.baselineWriteMs = r.real("baseline_write_ms");
            run.footprint.staleness = r.text("staleness");
            run.footprint.writeLowMs = r.real("write_low_ms");
            run.footprint.writeHighMs = r.real("write_high_ms");
            run.footprint.baselineWriteLowMs = r.real("baseline_write_low_ms");
            run.footprint.baselineWriteHighMs = r.real("baseline_write_high_ms");
            run.footprint.writeSamples = int(r.int64("write_samples"));
            run.footprint.refreshMs = r.real("refresh_ms");
            run.footprint.visibleMs = r.real("visible_ms");
            run.footprint.visibleTtlOnlyMs = r.real("visible_ttl_only_ms");
        }
        if (!r.isNull("plan_z")) {
            const QByteArray z = r.blob("plan_z");
            run.planJson = qUncompress(z);
            if (run.planJson.isEmpty() && !z.isEmpty())
                return Error::make(errc::HistoryCorrupt,
                    QStringLiteral("The stored plan of run %1 (%2) in session %3 is damaged.")
                        .arg(runId)
                        .arg(run.strategyId)
                        .arg(sessionId));
        }
        indexOf.insert(runId, out.runs.size());
        out.runs.append(std::move(run));
    }
    if (rc != SQLITE_DONE)
        return d->error(rc, QStringLiteral("select_runs"));

    auto ts = d->prepare(QStringLiteral("select_timings"));
    if (!ts)
        return ts.error();
    (*ts)->bind(":session_id", sessionId);
    while ((rc = (*ts)->step()) == SQLITE_ROW)
        out.runs[indexOf.value((*ts)->int64("run_id"))].timingsMs.append((*ts)->real("ms"));
    if (rc != SQLITE_DONE)
        return d->error(rc, QStringLiteral("select_timings"));
    if (auto st = tx.commit(); !st)
        return st.error();
    return out;
}

Result<QDateTime> HistoryStore::sessionFinishedAt(qint64 sessionId)
{
    auto s = d->prepare(QStringLiteral("session_exists"));
    if (!s)
        return s.error();
    (*s)->bind(":session_id", sessionId);
    const int rc = (*s)->step();
    if (rc == SQLITE_DONE)
        return Error::make(errc::Missing, QStringLiteral("There is no session %1 in the history.").arg(sessionId));
    if (rc != SQLITE_ROW)
        return d->error(rc, QStringLiteral("session_exists"));
    const QDateTime t = fromIso((*s)->text("finished_at"));
    (*s)->reset();
    return t;
}

Result<QList<StoredCatalogSnapshot>> HistoryStore::catalogSnapshots(qint64 sessionId)
{
    Impl::Transaction tx(*d);
    if (auto st = tx.begin(Impl::Transaction::Read); !st)
        return st.error();
    if (auto st = d->checkSessionExists(sessionId); !st)
        return st.error();
    auto s = d->prepare(QStringLiteral("select_catalog_snapshots"));
    if (!s)
        return s.error();
    (*s)->bind(":session_id", sessionId);
    QList<StoredCatalogSnapshot> out;
    int rc;
    while ((rc = (*s)->step()) == SQLITE_ROW) {
        StoredCatalogSnapshot c;
        c.id = (*s)->int64("id");
        c.takenAt = fromIso((*s)->text("taken_at"));
        c.kind = (*s)->text("kind");
        c.data = QJsonDocument::fromJson((*s)->text("json").toUtf8()).object();
        out.append(c);
    }
    if (rc != SQLITE_DONE)
        return d->error(rc, QStringLiteral("select_catalog_snapshots"));
    if (auto st = tx.commit(); !st)
        return st.error();
    return out;
}

Result<QString> HistoryStore::integrityCheck()
{
    return d->pragmaText("PRAGMA integrity_check");
}

} // namespace plansight
