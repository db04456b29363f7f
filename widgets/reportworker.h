#pragma once

// File > Export report...: writes a session's PDF report off the GUI thread, with progress (STYLE.md point 4).
//
// Signal contract: started(), then progress(done, total, text) any number of times, then either
// reportWritten(path, pages) followed by finished(), or failed(message) followed by finished(). A cancelled
// export fails with "Writing the report was cancelled." and leaves no file behind.
//
// Threading: create and call on the GUI thread; signals arrive on the GUI thread (queued). start() builds the
// content and draws the charts on the GUI thread (QCustomPlot is a widget; both take milliseconds), then
// lays out and writes the PDF on a worker thread. Starting again cancels the running export; the signals of
// a superseded export are dropped (generation counter). The destructor cancels and waits.

#include "reportrenderer.h"

#include <QObject>
#include <QString>

#include <memory>
#include <thread>

namespace plansight {

class ReportWorker : public QObject {
    Q_OBJECT
public:
    explicit ReportWorker(QObject *parent = nullptr);
    ~ReportWorker() override;

    void start(const SessionResult &session, const QString &pdfPath, const ReportOptions &options = {});
    // The same from content the caller built (the GUI may add its own strategy descriptions).
    void start(ReportContent content, const QString &pdfPath, const ReportOptions &options = {});
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void started();
    void progress(qint64 done, qint64 total, const QString &text);
    void reportWritten(const QString &path, int pages);
    void finished();
    void failed(const QString &message);

private:
    void join();

    quint64 m_generation = 0;
    bool m_running = false;
    std::shared_ptr<CancelToken> m_cancel;
    std::thread m_thread;
};

} // namespace plansight
