#include "reportworker.h"

#include <QPointer>

namespace plansight {

ReportWorker::ReportWorker(QObject *parent) : QObject(parent) { }

ReportWorker::~ReportWorker()
{
    cancel();
    join();
}

void ReportWorker::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void ReportWorker::cancel()
{
    if (m_cancel)
        m_cancel->cancel();
}

void ReportWorker::start(const SessionResult &session, const QString &pdfPath, const ReportOptions &options)
{
    start(buildReportContent(session), pdfPath, options);
}

void ReportWorker::start(ReportContent content, const QString &pdfPath, const ReportOptions &options)
{
    // A superseded export is cancelled and waited for: its thread only checks the flag between pages, so
    // this takes at most one page's painting.
    cancel();
    join();
    const quint64 generation = ++m_generation;
    m_cancel = std::make_shared<CancelToken>();
    m_running = true;
    Q_EMIT started();

    auto renderer = std::make_shared<ReportRenderer>(std::move(content), options);
    renderer->prepareCharts();

    QPointer<ReportWorker> self(this);
    // Delivers `fn` on the GUI thread unless the export was superseded or the worker is gone.
    auto post = [self, generation](std::function<void(ReportWorker *)> fn) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, fn = std::move(fn)] {
                if (self && self->m_generation == generation)
                    fn(self.data());
            },
            Qt::QueuedConnection);
    };
    m_thread = std::thread([renderer, pdfPath, cancel = m_cancel, post] {
        auto written = renderer->writePdf(pdfPath, cancel.get(), [&](qint64 done, qint64 total, const QString &text) {
            post([done, total, text](ReportWorker *w) { Q_EMIT w->progress(done, total, text); });
        });
        if (written) {
            const int pages = written->pages;
            post([pdfPath, pages](ReportWorker *w) {
                w->m_running = false;
                Q_EMIT w->reportWritten(pdfPath, pages);
                Q_EMIT w->finished();
            });
        } else {
            const QString message = written.error().toString();
            post([message](ReportWorker *w) {
                w->m_running = false;
                Q_EMIT w->failed(message);
                Q_EMIT w->finished();
            });
        }
    });
}

} // namespace plansight
