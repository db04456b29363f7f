#pragma once

// Renders a ReportContent (analyzers/report) to PDF with QPdfWriter and QPainter: real text with embedded
// fonts, A4 or Letter, a header naming the session and "page N of M" on every page, tables that wrap their
// cells and repeat their header across pages, and the timing charts drawn as vectors (an offscreen
// QCustomPlot painted into a QPicture, replayed into the PDF).
//
// Threading: prepareCharts() uses QCustomPlot, a QWidget, so it runs on the GUI thread (a QApplication must
// exist). writePdf() only paints recorded pictures and text, so it may run on any thread once the charts are
// prepared; the export job (reportexport.h) does exactly that. One renderer is not used from two threads at once.

#include "report/reportcontent.h"
#include "util/cancel.h"
#include "util/result.h"

#include <QList>
#include <QPageSize>
#include <QPicture>
#include <QString>

#include <optional>

namespace plansight {

struct ReportOptions {
    QPageSize::PageSizeId pageSize = QPageSize::A4; // A4 or Letter
    bool charts = true; // false: no timing charts (text-only report)
    // The review the first page holds the session against (present/expectations.h); the built-in one when empty.
    std::optional<ReviewExpectations> expectations;
};

// "a4" or "letter" (any case); anything else is an errc::Input error.
Result<QPageSize::PageSizeId> reportPageSizeFromString(const QString &text);

// What writePdf() produced: the page count and the page each part starts on (1-based), for the tests and the
// GUI's message.
struct ReportLayout {
    struct Part {
        QString heading;
        int firstPage = 0;
    };
    int pages = 0;
    QList<Part> parts; // title page, summary, each strategy section, appendix, in order
};

class ReportRenderer {
public:
    explicit ReportRenderer(ReportContent content, ReportOptions options = {});

    // GUI thread. Draws the charts of every workload summary; without it writePdf() leaves them out.
    void prepareCharts();
    bool chartsPrepared() const { return m_chartsPrepared; }

    // Any thread. Writes the PDF to `path` (replacing it). Checks `cancel` between pages; progress counts
    // blocks laid out, then pages painted. A file that cannot be written, or a cancel, removes the partial file.
    Result<ReportLayout> writePdf(
        const QString &path, CancelToken *cancel = nullptr, const ProgressFn &progress = {}) const;

    const ReportContent &content() const { return m_content; }

private:
    struct Chart {
        QString caption;
        QPicture picture;
        QSizeF size; // the picture's logical size, scaled to the text width when drawn
        int summaryIndex = 0;
    };
    ReportContent m_content;
    ReportOptions m_options;
    QList<Chart> m_charts;
    bool m_chartsPrepared = false;
};

// The one call for the CLI (`plansight report`, `plansight bench --pdf`): builds the content from the session
// with the strategy catalog's descriptions, prepares the charts and writes the PDF. GUI thread of a
// QApplication. Errors: an unwritable path (errc::Io), a cancel (errc::Cancelled).
Status writeReport(const SessionResult &session, const QString &pdfPath, const ReportOptions &options = {},
    CancelToken *cancel = nullptr, const ProgressFn &progress = {});

} // namespace plansight
