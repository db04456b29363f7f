#include "reportexport.h"
#include "present/sessionjson.h"

#include "report/reportcontent.h"
#include "workers/historytasks.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPromise>
#include <QRandomGenerator>
#include <QtConcurrent/QtConcurrentRun>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>

namespace plansight::gui {

QString toString(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Pdf:
        return QStringLiteral("PDF report");
    case ExportFormat::Json:
        return QStringLiteral("JSON");
    case ExportFormat::Csv:
        return QStringLiteral("CSV");
    }
    return {};
}

QString fileExtension(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Pdf:
        return QStringLiteral("pdf");
    case ExportFormat::Json:
        return QStringLiteral("json");
    case ExportFormat::Csv:
        return QStringLiteral("csv");
    }
    return {};
}

namespace {

const QString FilterPdfA4 = QStringLiteral("PDF report, A4 (*.pdf)");
const QString FilterPdfLetter = QStringLiteral("PDF report, US Letter (*.pdf)");
const QString FilterJson = QStringLiteral("Session as JSON, with plans (*.json)");
const QString FilterCsv = QStringLiteral("Timings as CSV (*.csv)");

std::mutex &hookMutex()
{
    static std::mutex m;
    return m;
}

std::function<void(const QString &)> &hookSlot()
{
    static std::function<void(const QString &)> hook;
    return hook;
}

void runHook(const QString &step)
{
    std::function<void(const QString &)> hook;
    {
        std::lock_guard lock(hookMutex());
        hook = hookSlot();
    }
    if (hook)
        hook(step);
}

using ExportPromise = QPromise<Result<ExportResult>>;

// What the worker needs, complete before it starts: the session, the request and, for a PDF, the renderer with
// its charts already drawn on the GUI thread.
struct Prepared {
    SessionResult session;
    ExportRequest request;
    std::shared_ptr<ReportRenderer> renderer;
};

// GUI thread.
std::shared_ptr<const Prepared> prepare(const SessionResult &session, const ExportRequest &request)
{
    auto p = std::make_shared<Prepared>();
    p->session = session;
    p->request = request;
    if (request.format == ExportFormat::Pdf) {
        p->renderer = std::make_shared<ReportRenderer>(buildReportContent(session), request.pdf);
        if (request.pdf.charts)
            p->renderer->prepareCharts();
    }
    return p;
}

// The report renderer counts blocks laid out, then pages painted (reportrenderer.h); QFuture's progress only goes
// up. The layout takes the first fifth of the bar, the pages the rest.
class ProgressScale {
public:
    int map(qint64 done, qint64 total)
    {
        if ((m_lastTotal > 0 && total != m_lastTotal) || done < m_lastDone)
            m_phase = 1;
        m_lastDone = done;
        m_lastTotal = total;
        const double fraction = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : 0.0;
        const double from = m_phase == 0 ? 0.0 : 0.2, span = m_phase == 0 ? 0.2 : 0.8;
        return int((from + span * fraction) * ExportProgressMax);
    }

private:
    int m_phase = 0;
    qint64 m_lastDone = 0;
    qint64 m_lastTotal = 0;
};

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// A new, empty, hidden file next to the target: the export is written there and renamed over the target when it
// is complete (rename(2) replaces a file atomically within one directory).
Result<QString> reserveTemporary(const QString &target)
{
    const QFileInfo info(target);
    const QDir dir = info.absoluteDir();
    if (!dir.exists())
        return Error::make(errc::Io,
            QStringLiteral("Cannot write %1: the folder %2 does not exist.").arg(target, dir.path()), QString(),
            QStringLiteral("Choose an existing folder."));
    QString lastError;
    for (int attempt = 0; attempt < 16; ++attempt) {
        const QString name = QStringLiteral(".%1.%2.part")
                                 .arg(info.fileName())
                                 .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        QFile f(dir.filePath(name));
        if (f.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return f.fileName();
        lastError = f.errorString();
        if (!QFile::exists(f.fileName()))
            break; // not a name collision: the folder refuses new files
    }
    return Error::make(errc::Io, QStringLiteral("Cannot write %1: %2.").arg(target, lastError), QString(),
        QStringLiteral("Choose a folder you can write to."));
}

Status writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size() || !f.flush())
        return Error::make(errc::Io, QStringLiteral("Cannot write %1: %2.").arg(path, f.errorString()));
    f.close();
    if (f.error() != QFileDevice::NoError)
        return Error::make(errc::Io, QStringLiteral("Cannot write %1: %2.").arg(path, f.errorString()));
    return {};
}

// Worker thread. Writes the export into a temporary file next to the target and renames it over the target.
// Adds exactly one result unless the promise was cancelled; removes the temporary file on every other path.
void runExport(ExportPromise &promise, const Prepared &p)
{
    promise.setProgressRange(0, ExportProgressMax);
    const ExportRequest &request = p.request;
    const QString target = request.path;
    if (promise.isCanceled())
        return;
    auto reserved = reserveTemporary(target);
    if (!reserved) {
        promise.addResult(reserved.error());
        return;
    }
    const QString temporary = reserved.value();
    struct Cleanup {
        QString path;
        ~Cleanup()
        {
            if (!path.isEmpty())
                QFile::remove(path);
        }
    } cleanup { temporary };

    ExportResult result;
    result.path = target;
    result.format = request.format;
    result.sessionId = p.session.info.id;
    result.runs = int(p.session.runs.size());

    if (request.format == ExportFormat::Pdf) {
        CancelToken token;
        ProgressScale scale;
        const ProgressFn progress = [&](qint64 done, qint64 total, const QString &text) {
            runHook(text);
            if (promise.isCanceled())
                token.cancel(); // the renderer checks it before the next page
            promise.setProgressValueAndText(scale.map(done, total), text);
        };
        auto written = p.renderer->writePdf(temporary, &token, progress);
        if (promise.isCanceled())
            return;
        if (!written) {
            // The renderer names the temporary file; the user chose the target.
            promise.addResult(Error::make(written.error().code,
                QStringLiteral("Cannot write the report to %1.").arg(target), written.error().message));
            return;
        }
        result.pages = written->pages;
    } else {
        const QString step = QStringLiteral("Writing the session as %1").arg(toString(request.format));
        runHook(step);
        if (promise.isCanceled())
            return;
        promise.setProgressValueAndText(ExportProgressMax / 10, step);
        const QByteArray bytes = request.format == ExportFormat::Json
            ? QJsonDocument(toJson(p.session, true)).toJson(QJsonDocument::Indented)
            : toCsv(p.session).toUtf8();
        if (auto st = writeBytes(temporary, bytes); !st) {
            promise.addResult(
                Error::make(errc::Io, QStringLiteral("Cannot write %1.").arg(target), st.error().message));
            return;
        }
    }

    const QString last = QStringLiteral("Putting %1 in place").arg(QFileInfo(target).fileName());
    runHook(last);
    if (promise.isCanceled())
        return;
    if (std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(target).constData()) != 0) {
        const int error = errno;
        promise.addResult(
            Error::make(errc::Io, QStringLiteral("Cannot write %1: %2.").arg(target, systemError(error))));
        return;
    }
    cleanup.path.clear();
    result.bytes = QFileInfo(target).size();
    promise.setProgressValueAndText(ExportProgressMax, QStringLiteral("Wrote %1").arg(target));
    promise.addResult(std::move(result));
}

} // namespace

QStringList exportFilters()
{
    return { FilterPdfA4, FilterPdfLetter, FilterJson, FilterCsv };
}

QString exportFilter(ExportFormat format, QPageSize::PageSizeId pageSize)
{
    switch (format) {
    case ExportFormat::Pdf:
        return pageSize == QPageSize::Letter ? FilterPdfLetter : FilterPdfA4;
    case ExportFormat::Json:
        return FilterJson;
    case ExportFormat::Csv:
        return FilterCsv;
    }
    return FilterPdfA4;
}

QPageSize::PageSizeId defaultPageSize(const QLocale &locale)
{
    return locale.measurementSystem() == QLocale::ImperialUSSystem ? QPageSize::Letter : QPageSize::A4;
}

Result<ExportRequest> exportRequestFrom(
    const QString &fileName, const QString &selectedFilter, QPageSize::PageSizeId defaultSize)
{
    if (fileName.trimmed().isEmpty())
        return Error::make(errc::Input, QStringLiteral("The export needs a file name."));
    ExportRequest request;
    request.path = fileName;
    request.pdf.pageSize = selectedFilter == FilterPdfLetter ? QPageSize::Letter
        : selectedFilter == FilterPdfA4                      ? QPageSize::A4
                                                             : defaultSize;
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == QLatin1String("pdf"))
        request.format = ExportFormat::Pdf;
    else if (suffix == QLatin1String("json"))
        request.format = ExportFormat::Json;
    else if (suffix == QLatin1String("csv"))
        request.format = ExportFormat::Csv;
    else {
        request.format = selectedFilter == FilterJson ? ExportFormat::Json
            : selectedFilter == FilterCsv             ? ExportFormat::Csv
                                                      : ExportFormat::Pdf;
        request.path += QLatin1Char('.') + fileExtension(request.format);
    }
    return request;
}

QFuture<Result<ExportResult>> exportSession(const SessionResult &session, const ExportRequest &request)
{
    std::shared_ptr<const Prepared> prepared = prepare(session, request);
    return QtConcurrent::run([prepared](ExportPromise &promise) { runExport(promise, *prepared); });
}

QFuture<Result<ExportResult>> exportHistorySession(const QString &historyPath, qint64 id, const ExportRequest &request)
{
    // One future across both steps: reading the session (a pool thread), drawing the charts (the GUI thread, the
    // only one that may create QCustomPlot's widget), writing (a pool thread). The promise is shared by the steps;
    // if the last holder drops it unfinished, QPromise's destructor cancels and finishes it.
    auto promise = std::make_shared<ExportPromise>();
    QFuture<Result<ExportResult>> future = promise->future();
    promise->start();
    promise->setProgressRange(0, ExportProgressMax);
    promise->setProgressValueAndText(0, QStringLiteral("Reading session %1 from the history").arg(id));
    QtConcurrent::run(loadHistorySession, historyPath, id)
        .then(QCoreApplication::instance(), [promise, request](const Result<SessionResult> &loaded) {
            if (promise->isCanceled()) {
                promise->finish();
                return;
            }
            if (!loaded) {
                promise->addResult(loaded.error());
                promise->finish();
                return;
            }
            std::shared_ptr<const Prepared> prepared = prepare(loaded.value(), request);
            // The shared promise carries the outcome; this future of the step itself is not needed.
            const QFuture<void> writing = QtConcurrent::run([promise, prepared] {
                runExport(*promise, *prepared);
                promise->finish();
            });
            Q_UNUSED(writing);
        });
    return future;
}

namespace testing {
void setExportStepHook(std::function<void(const QString &step)> hook)
{
    std::lock_guard lock(hookMutex());
    hookSlot() = std::move(hook);
}
} // namespace testing

} // namespace plansight::gui
