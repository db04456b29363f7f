#pragma once

// File > Export report...: one session written as the PDF report, as JSON (the shape in README.md, "JSON output",
// with the EXPLAIN plans) or as CSV timings (one row per measured run), in the background. This is the window's
// one job abstraction for exports: a typed QFuture<Result<ExportResult>> started with QtConcurrent::run and
// watched with a QFutureWatcher (docs/architecture.md, "Errors and threads").
//
// The future's contract:
//  - progress: progress range 0..ExportProgressMax, with a line of text ("Writing page 3 of 9");
//  - cancel: QFuture::cancel(). A PDF checks it between pages, every format checks it once more just before the
//    file is put in place. A cancelled job has no result (QFuture::isCanceled()) and leaves no file;
//  - result: exactly one Result<ExportResult> when the job ran to its end: the file written, or an error as a value
//    (a file that cannot be written, a history session that cannot be read) and then no file either.
// The file is written under a hidden temporary name in the target directory and renamed over the target only when
// it is complete, so an existing file is replaced whole or not at all and no half-written file is ever left. The
// one window that remains: a cancel that arrives between that last check and the rename (one system call) finds
// the file complete and in place while the future reports the job as cancelled.
//
// Threading: the start functions are called on the GUI thread of a QApplication: a PDF's charts are drawn there
// (QCustomPlot is a widget; milliseconds, ReportRenderer::prepareCharts()), everything else runs on
// QThreadPool::globalInstance(). Never wait on these futures with waitForFinished() on the GUI thread: a history
// export finishes its loading step on that thread.

#include "reportrenderer.h"
#include "session/results.h"
#include "util/result.h"

#include <QFuture>
#include <QLocale>
#include <QPageSize>
#include <QString>
#include <QStringList>
#include <functional>

class QObject;

namespace plansight::gui {

enum class ExportFormat { Pdf, Json, Csv };
QString toString(ExportFormat format); // "PDF report", "JSON", "CSV"
QString fileExtension(ExportFormat format); // "pdf", "json", "csv"

inline constexpr int ExportProgressMax = 1000;

struct ExportRequest {
    QString path; // the target file; replaced when it exists
    ExportFormat format = ExportFormat::Pdf;
    ReportOptions pdf; // PDF only: page size, charts
};

struct ExportResult {
    QString path;
    ExportFormat format = ExportFormat::Pdf;
    qint64 sessionId = -1; // -1: a session that was not recorded in the history
    int runs = 0;
    int pages = 0; // PDF only
    qint64 bytes = 0;
};

// The save dialog's filters, in order: PDF on A4, PDF on US Letter, JSON, CSV.
QStringList exportFilters();
// The filter a dialog starts on for `format` (and, for a PDF, `pageSize`).
QString exportFilter(ExportFormat format, QPageSize::PageSizeId pageSize = QPageSize::A4);
// The PDF paper where nothing was chosen yet: US Letter where the locale measures in US units, else A4.
QPageSize::PageSizeId defaultPageSize(const QLocale &locale = QLocale());

// What a save dialog returned, made into a request. The extension of `fileName` decides the format when it is
// .pdf, .json or .csv (any case); otherwise the selected filter decides and its extension is appended. A PDF's
// paper comes from a PDF filter, else `defaultSize`. An empty file name is an errc::Input error.
Result<ExportRequest> exportRequestFrom(
    const QString &fileName, const QString &selectedFilter, QPageSize::PageSizeId defaultSize = QPageSize::A4);

// GUI thread. Exports a session the caller holds (the window's last run or opened session).
QFuture<Result<ExportResult>> exportSession(const SessionResult &session, const ExportRequest &request);

// GUI thread. Reads session `id` from the history at `historyPath` (empty: HistoryStore::defaultPath()) on a pool
// thread, then exports it like exportSession(). A session that cannot be read gives an error result.
QFuture<Result<ExportResult>> exportHistorySession(const QString &historyPath, qint64 id, const ExportRequest &request);

namespace testing {
// Called on the export's worker thread with the progress text of every step, before the step's cancel check
// takes effect; tests use it to pause an export in the middle of writing. Set it only while no export runs; an
// empty function removes it.
void setExportStepHook(std::function<void(const QString &step)> hook);
} // namespace testing

} // namespace plansight::gui

Q_DECLARE_METATYPE(plansight::gui::ExportResult)
