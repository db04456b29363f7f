#include "gallery/exportloader.h"

#include "gallery/demogenerator.h"
#include "pg/pgcolumn.h"
#include "pg/pgsession.h"
#include "present/format.h"
#include "util/sqlfiles.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <vector>

namespace plansight {

QStringList modeledTables()
{
    return { QStringLiteral("users"), QStringLiteral("tags"), QStringLiteral("tag_parents"),
        QStringLiteral("tag_ratings"), QStringLiteral("content_items"), QStringLiteral("content_items_auto"),
        QStringLiteral("content_tags") };
}

Result<ExportDirectory> scanExportDirectory(const QString &dir)
{
    const QFileInfo info(dir);
    if (!info.exists() || !info.isDir())
        return Error::make(errc::Input, QStringLiteral("%1 is not a directory.").arg(dir), QString(),
            QStringLiteral("Give the directory that holds the app's exports, one TABLE.tsv file per table."));
    if (!info.isReadable() || !info.isExecutable())
        return Error::make(
            errc::Input, QStringLiteral("The directory %1 cannot be read (permission denied).").arg(dir));
    ExportDirectory out;
    out.directory = info.absoluteFilePath();
    const QStringList tables = modeledTables();
    static const QStringList extensions { QStringLiteral("tsv"), QStringLiteral("csv"), QStringLiteral("txt"),
        QStringLiteral("tab") };
    QHash<QString, ExportFile> byTable;
    const QFileInfoList entries = QDir(out.directory).entryInfoList(QDir::Files, QDir::Name);
    for (const QFileInfo &f : entries) {
        QString stem = f.fileName();
        const qsizetype dot = stem.lastIndexOf(QLatin1Char('.'));
        if (dot > 0 && extensions.contains(stem.mid(dot + 1).toLower()))
            stem.truncate(dot);
        if (!tables.contains(stem)) {
            out.unknown << f.fileName();
            continue;
        }
        if (byTable.contains(stem))
            return Error::make(errc::Input,
                QStringLiteral("Both %1 and %2 in %3 are exports of %4; PlanSight does not choose between them.")
                    .arg(byTable.value(stem).fileName, f.fileName(), out.directory, stem),
                QString(), QStringLiteral("Keep one file per table in the directory."));
        byTable.insert(stem, ExportFile { stem, f.absoluteFilePath(), f.fileName(), f.size() });
    }
    for (const QString &t : tables) {
        if (byTable.contains(t))
            out.files << byTable.value(t);
        else
            out.missing << t;
    }
    if (out.files.isEmpty())
        return Error::make(errc::Input,
            QStringLiteral("%1 holds no export of a table the demo models (%2).")
                .arg(out.directory, tables.join(QStringLiteral(", "))),
            QString(), QStringLiteral("Each table's export is a file named after it, such as users.tsv."));
    return out;
}

namespace {

// Reads one export file record by record (CSV rules, tab delimiter; docs/gallery.md, "The app's exports") and
// writes COPY text: NULL for an empty unquoted field, backslash escapes for the rest. Remembers the line each row
// starts on, so a server error about COPY's row N can name the file's line.
class ExportReader {
public:
    explicit ExportReader(const ExportFile &file) : m_file(file.path), m_name(file.fileName) { }

    Status open()
    {
        if (!m_file.open(QIODevice::ReadOnly))
            return Error::make(errc::Io, QStringLiteral("%1 cannot be read: %2.").arg(m_name, m_file.errorString()));
        auto header = readRecord();
        if (!header)
            return header.error();
        if (!header.value())
            return bad(1, QStringLiteral("the file is empty; an export starts with a header row of column names"));
        for (int i = 0; i < int(m_fields.size()); ++i) {
            QString name = QString::fromUtf8(m_fields[size_t(i)]);
            if (i == 0 && name.startsWith(QChar(0xFEFF)))
                name.remove(0, 1); // a UTF-8 byte order mark
            m_header << name;
        }
        return {};
    }

    const QStringList &header() const { return m_header; }
    qint64 rows() const { return m_rows; }
    qint64 bytesRead() const { return m_bytes; }

    // Appends the COPY text of the next rows to `out` until it holds about `bytes`; false when the file is done.
    Result<bool> next(QByteArray &out, qsizetype bytes)
    {
        while (out.size() < bytes) {
            auto more = readRecord();
            if (!more)
                return more.error();
            if (!more.value())
                return false;
            if (int(m_fields.size()) != m_header.size())
                return bad(m_recordLine,
                    QStringLiteral("the row has %1 field%2 where the header names %3 columns; the file is truncated or "
                                   "the row is malformed")
                        .arg(m_fields.size())
                        .arg(m_fields.size() == 1 ? QString() : QStringLiteral("s"))
                        .arg(m_header.size()));
            ++m_rows;
            if (m_offsets.empty() || m_offsets.back().second != m_recordLine - m_rows)
                m_offsets.emplace_back(m_rows, m_recordLine - m_rows);
            for (size_t i = 0; i < m_fields.size(); ++i) {
                if (i > 0)
                    out.append('\t');
                if (m_nulls[i]) {
                    out.append("\\N", 2);
                    continue;
                }
                PgSession::appendCopyText(out, m_fields[i]);
            }
            out.append('\n');
        }
        return true;
    }

    // The file's line on which COPY's row `row` (1-based) starts.
    qint64 lineOfRow(qint64 row) const
    {
        auto it = std::upper_bound(m_offsets.begin(), m_offsets.end(), row,
            [](qint64 r, const std::pair<qint64, qint64> &o) { return r < o.first; });
        if (it == m_offsets.begin())
            return row + 1;
        return row + std::prev(it)->second;
    }

    // The line of the first row (from where the reader is) whose fields `columns` (indexes into the header) hold
    // `values`, compared without case (a uuid may be written either way); 0 when none does.
    qint64 findRow(const QList<int> &columns, const QStringList &values)
    {
        for (;;) {
            auto more = readRecord();
            if (!more || !more.value())
                return 0;
            bool all = int(m_fields.size()) == m_header.size();
            for (int i = 0; all && i < columns.size(); ++i)
                all = !m_nulls[size_t(columns[i])]
                    && QString::fromUtf8(m_fields[size_t(columns[i])]).compare(values[i], Qt::CaseInsensitive) == 0;
            if (all)
                return m_recordLine;
        }
    }

    Error bad(qint64 line, const QString &what) const
    {
        return Error::make(BadExportCode, QStringLiteral("%1, line %2: %3.").arg(m_name).arg(line).arg(what));
    }

private:
    enum State { FieldStart, Unquoted, Quoted, QuoteSeen };

    // -1 at the end of the file.
    int peek()
    {
        if (m_pos >= m_buf.size()) {
            if (m_eof)
                return -1;
            m_buf = m_file.read(1 << 20);
            m_pos = 0;
            if (m_buf.isEmpty()) {
                m_eof = true;
                return -1;
            }
        }
        return quint8(m_buf[m_pos]);
    }
    int get()
    {
        const int c = peek();
        if (c >= 0) {
            ++m_pos;
            ++m_bytes;
        }
        return c;
    }
    // A line break: \n, or \r\n (the \r is consumed here).
    bool lineBreak(int c)
    {
        if (c == '\n')
            return true;
        if (c == '\r' && peek() == '\n') {
            get();
            return true;
        }
        return false;
    }

    // The next record's fields into m_fields / m_nulls; false at the end of the file.
    Result<bool> readRecord()
    {
        m_fields.clear();
        m_nulls.clear();
        m_recordLine = m_line;
        QByteArray field;
        State state = FieldStart;
        auto endField = [&] {
            m_nulls.push_back(state == FieldStart); // empty and unquoted: NULL
            m_fields.push_back(field);
            field.clear();
            state = FieldStart;
        };
        if (peek() < 0)
            return false;
        for (;;) {
            const int c = get();
            if (c < 0) {
                if (state == Quoted)
                    return bad(m_quoteLine,
                        QStringLiteral("the file ends inside the quoted field %1 that starts here; it is truncated")
                            .arg(m_fields.size() + 1));
                endField(); // the last line without a line break
                return true;
            }
            switch (state) {
            case FieldStart:
            case Unquoted:
                if (c == '\t') {
                    endField();
                } else if (lineBreak(c)) {
                    endField();
                    ++m_line;
                    return true;
                } else if (c == '"') {
                    if (state == Unquoted)
                        return bad(m_line,
                            QStringLiteral("field %1 holds a quote but does not start with one; CSV quotes the whole "
                                           "field (\"a \"\"b\"\"\")")
                                .arg(m_fields.size() + 1));
                    state = Quoted;
                    m_quoteLine = m_line;
                } else {
                    field.append(char(c));
                    state = Unquoted;
                }
                break;
            case Quoted:
                if (c == '"') {
                    state = QuoteSeen;
                } else {
                    if (c == '\n')
                        ++m_line;
                    field.append(char(c));
                }
                break;
            case QuoteSeen:
                if (c == '"') {
                    field.append('"');
                    state = Quoted;
                } else if (c == '\t') {
                    state = Unquoted; // quoted: not NULL, even when empty
                    endField();
                } else if (lineBreak(c)) {
                    state = Unquoted;
                    endField();
                    ++m_line;
                    return true;
                } else {
                    return bad(m_line,
                        QStringLiteral("field %1 has characters after its closing quote").arg(m_fields.size() + 1));
                }
                break;
            }
        }
    }

    QFile m_file;
    QString m_name;
    QByteArray m_buf;
    qsizetype m_pos = 0;
    bool m_eof = false;
    qint64 m_bytes = 0;
    qint64 m_line = 1; // of the next byte
    qint64 m_recordLine = 1;
    qint64 m_quoteLine = 1;
    qint64 m_rows = 0;
    QStringList m_header;
    std::vector<QByteArray> m_fields;
    std::vector<bool> m_nulls;
    // (first row, line - row) wherever a row's line stops being row + the previous offset (a quoted line break)
    std::vector<std::pair<qint64, qint64>> m_offsets;
};

// How the header of one file maps to its table.
struct FilePlan {
    ExportFile file;
    QStringList header; // the file's column names
    QStringList targets; // the table's column each one loads into
    QStringList defaulted;
};

const QString SourceType = QStringLiteral("source_type");

// The table's columns in the catalog, in order, without those of PlanSight's strategies (ps_...).
Result<QStringList> tableColumns(PgSession &session, const QString &table)
{
    auto r = session.exec(sql(QStringLiteral("gallery/table_columns")), { table });
    if (!r)
        return r.error();
    return columnTexts(*r);
}

Result<FilePlan> planFile(PgSession &session, const ExportFile &file, const ExportLoadOptions &options)
{
    ExportReader reader(file);
    if (auto st = reader.open(); !st)
        return st.error();
    auto all = tableColumns(session, file.table);
    if (!all)
        return all.error();
    if (all->isEmpty())
        return Error::make(errc::Input,
            QStringLiteral("The demo database has no table %1 for %2.").arg(file.table, file.fileName), QString(),
            QStringLiteral("It was built by an older PlanSight: rebuild it with plansight demo up."));
    QStringList known;
    for (const QString &c : std::as_const(all.value())) {
        if (!c.startsWith(QLatin1String("ps_")))
            known << c;
    }
    FilePlan plan;
    plan.file = file;
    plan.header = reader.header();
    QSet<QString> seen;
    for (int i = 0; i < plan.header.size(); ++i) {
        const QString &name = plan.header.at(i);
        if (name.isEmpty())
            return reader.bad(1, QStringLiteral("column %1 of the header has no name").arg(i + 1));
        if (seen.contains(name))
            return reader.bad(1, QStringLiteral("the header names column %1 twice").arg(name));
        seen.insert(name);
        if (known.contains(name)) {
            plan.targets << name;
            continue;
        }
        if (name == SourceType
            && (file.table == QLatin1String("content_items") || file.table == QLatin1String("content_items_auto"))) {
            if (!options.sourceTypeColumn.isEmpty() && all->contains(options.sourceTypeColumn)) {
                plan.targets << options.sourceTypeColumn;
                continue;
            }
            Error e = reader.bad(1,
                QStringLiteral("column source_type comes from the app's fix of 2025-10-18 (content_items_all), "
                               "which the demo has only while the strategy x-unified is applied"));
            e.hint = QStringLiteral("Apply it first (plansight strategies apply x-unified), then load again.");
            return e;
        }
        Error e = reader.bad(1,
            QStringLiteral("column %1 is not a column of %2 (%3); PlanSight loads only the columns it knows")
                .arg(name, file.table, known.join(QStringLiteral(", "))));
        e.hint = QStringLiteral("Check that the file is the export of %1, or remove that column.").arg(file.table);
        return e;
    }
    for (const QString &c : std::as_const(known)) {
        if (!seen.contains(c))
            plan.defaulted << c;
    }
    return plan;
}

// The line of the row a foreign-key error names ("Key (tag_id)=(...) is not present in table ..."): the server checks
// those keys after the COPY's last row, so its CONTEXT names no row. 0 when the row is not found.
qint64 lineOfMissingKey(const FilePlan &plan, const Error &server)
{
    static const QRegularExpression re(QStringLiteral("^Key \\(([^()]*)\\)=\\((.*)\\) is not present"));
    const QRegularExpressionMatch m = re.match(server.detail);
    if (!m.hasMatch())
        return 0;
    const QStringList columns = m.captured(1).split(QStringLiteral(", "));
    const QStringList values = m.captured(2).split(QStringLiteral(", "));
    if (columns.size() != values.size())
        return 0;
    QList<int> indexes;
    for (const QString &c : columns) {
        const int i = int(plan.targets.indexOf(c));
        if (i < 0)
            return 0;
        indexes << i;
    }
    ExportReader reader(plan.file);
    if (!reader.open())
        return 0;
    return reader.findRow(indexes, values);
}

// A server error about the COPY of a file in the file's words: its CONTEXT ("COPY users, line 3, column email: ...")
// gives COPY's row, which becomes the file's line.
Error fileError(const Error &server, const ExportReader &reader, const FilePlan &plan)
{
    static const QRegularExpression re(QStringLiteral("COPY [^,]+, line (\\d+)(?:, column ([^:]+))?"));
    const QRegularExpressionMatch m = re.match(server.context);
    Error e = server;
    qint64 line = 0;
    QString column;
    if (m.hasMatch()) {
        line = reader.lineOfRow(m.captured(1).toLongLong());
        if (!m.captured(2).isEmpty())
            column = QStringLiteral(", column %1").arg(m.captured(2).trimmed());
    } else if (server.code == QLatin1String("23503")) {
        line = lineOfMissingKey(plan, server);
    }
    e.message = line > 0
        ? QStringLiteral("%1, line %2%3: %4.").arg(plan.file.fileName).arg(line).arg(column, server.message)
        : QStringLiteral("%1: %2.").arg(plan.file.fileName, server.message);
    return e;
}

} // namespace

Result<ExportLoadReport> loadExports(PgSession &session, const ExportDirectory &scan, const ExportLoadOptions &options,
    CancelToken *cancel, const ProgressFn &progress)
{
    QElapsedTimer clock;
    clock.start();
    auto info = readDemoInfo(session);
    if (!info)
        return info.error();
    if (!info->has_value())
        return Error::make(errc::Input,
            QStringLiteral("The database %1 holds no finished PlanSight demo; demo load replaces the demo's rows and "
                           "works only there.")
                .arg(session.database()),
            QString(), QStringLiteral("Build the demo with plansight demo up, or name its database with --dsn."));

    if ((*info)->generatorVersion != demo::GeneratorVersion)
        return Error::make(errc::Input,
            QStringLiteral("The demo in %1 was built by an older PlanSight, whose schema lacks tables and indexes the "
                           "app's database had; demo load fills only the current one.")
                .arg(session.database()),
            QString(), QStringLiteral("Rebuild it with plansight demo up, then load again."));

    // Every header against the catalog before anything changes.
    QList<FilePlan> plans;
    for (const ExportFile &f : scan.files) {
        auto plan = planFile(session, f, options);
        if (!plan)
            return plan.error();
        plans << plan.value();
    }

    ExportLoadReport report;
    report.scan = scan;
    qint64 totalBytes = 0;
    for (const ExportFile &f : scan.files)
        totalBytes += f.bytes;
    auto tell = [&](qint64 done, const QString &text) {
        if (progress)
            progress(std::min(done, totalBytes), totalBytes, text);
    };

    CancelScope scope(cancel, [&session] { session.cancel(); });
    const QString nothingLoaded = QStringLiteral("Nothing was loaded: the demo's rows are as they were.");
    auto finish = [&](Error e) -> Result<ExportLoadReport> {
        if (session.isCancelled())
            session.resetCancel();
        if (PQtransactionStatus(session.raw()) != PQTRANS_IDLE)
            (void)session.exec(QStringLiteral("ROLLBACK"));
        if (cancel && cancel->isCancelled())
            return Error::make(errc::Cancelled, QStringLiteral("The load was cancelled."), QString(), nothingLoaded);
        if (e.hint.isEmpty())
            e.hint = nothingLoaded;
        else
            e.hint += QLatin1Char(' ') + nothingLoaded;
        return e;
    };

    if (auto r = session.exec(QStringLiteral("BEGIN")); !r)
        return finish(r.error());
    if (auto r = session.exec(sql(QStringLiteral("gallery/truncate_modeled"))); !r)
        return finish(r.error());
    qint64 doneBefore = 0;
    QJsonObject rows;
    for (const FilePlan &plan : std::as_const(plans)) {
        ExportReader reader(plan.file);
        if (auto st = reader.open(); !st)
            return finish(st.error());
        QStringList quoted;
        for (const QString &c : plan.targets)
            quoted << session.quoteIdentifier(c);
        const QString copy = QStringLiteral("COPY %1 (%2) FROM STDIN")
                                 .arg(session.quoteIdentifier(plan.file.table), quoted.join(QStringLiteral(", ")));
        std::optional<Error> readError;
        const Status st = session.copyIn(copy, [&](QByteArray &chunk) {
            auto more = reader.next(chunk, 1 << 20);
            if (!more) {
                readError = more.error(); // the COPY ends after the complete rows; the transaction is rolled back
                return false;
            }
            tell(doneBefore + reader.bytesRead(),
                QStringLiteral("load: %1, %2 %3")
                    .arg(plan.file.fileName, formatCount(double(reader.rows())),
                        reader.rows() == 1 ? QStringLiteral("row") : QStringLiteral("rows")));
            return more.value();
        });
        if (readError)
            return finish(*readError);
        if (!st)
            return finish(st.error().isCancel() ? st.error() : fileError(st.error(), reader, plan));
        doneBefore += plan.file.bytes;
        report.tables << ExportTableLoad { plan.file.table, plan.file.fileName, plan.header, plan.defaulted,
            reader.rows() };
        rows.insert(plan.file.table, reader.rows());
    }
    if (auto st = session.execScript(sql(QStringLiteral("gallery/sequences"))); !st)
        return finish(st.error());

    // The metadata: this demo's data is now the export's.
    tell(totalBytes, QStringLiteral("load: recording the load"));
    auto fingerprint = session.exec(sql(QStringLiteral("gallery/data_fingerprint")));
    if (!fingerprint)
        return finish(fingerprint.error());
    report.fingerprint = QStringLiteral("load-") + fingerprint->value(0, 0);
    auto count = [&](const QString &table) { return rows.value(table).toInteger(); };
    DemoCounts counts = (*info)->counts;
    counts.users = count(QStringLiteral("users"));
    counts.tags = count(QStringLiteral("tags"));
    counts.tagParents = count(QStringLiteral("tag_parents"));
    counts.regularItems = count(QStringLiteral("content_items"));
    counts.autoItems = count(QStringLiteral("content_items_auto"));
    counts.contentTags = count(QStringLiteral("content_tags"));
    QJsonObject files;
    for (const ExportFile &f : scan.files)
        files.insert(f.table, f.fileName);
    const QJsonObject loaded { { QStringLiteral("directory"), scan.directory },
        { QStringLiteral("loaded_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate) },
        { QStringLiteral("files"), files }, { QStringLiteral("rows"), rows },
        { QStringLiteral("unknown_files"), QJsonArray::fromStringList(scan.unknown) } };
    const QJsonObject details { { QStringLiteral("loaded"), loaded }, { QStringLiteral("counts"), counts.toJson() } };
    if (auto r = session.exec(sql(QStringLiteral("gallery/record_load")),
            { counts.users, counts.tags, counts.regularItems, counts.autoItems, counts.contentTags, report.fingerprint,
                QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact)) });
        !r)
        return finish(r.error());
    if (auto r = session.exec(QStringLiteral("COMMIT")); !r)
        return finish(r.error());

    // Statistics for the planner (after the commit: a failure here loses nothing).
    tell(totalBytes, QStringLiteral("analyze: the loaded tables"));
    if (auto r = session.exec(sql(QStringLiteral("gallery/analyze_modeled"))); !r) {
        if (session.isCancelled())
            session.resetCancel();
        if (!(cancel && cancel->isCancelled()))
            return r.error();
    }
    report.seconds = clock.nsecsElapsed() / 1e9;
    return report;
}

} // namespace plansight
