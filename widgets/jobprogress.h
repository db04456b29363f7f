#pragma once

// The one progress display of the window's long jobs (a benchmark run, apply and revert, the demo build; loads and
// refreshes the same way): what runs, a bar with its percent, the words of present/progress.h ("42% · 1:12 elapsed
// · about 1:40 left", the same as the command line's) and a Cancel button. The elapsed time is counted from
// start() and refreshed every second, so a long statement that reports nothing still shows the clock moving.
//
// Contract: start(what) when a job begins (the bar is indeterminate until the first progress with a total),
// setProgress() as it reports, stop() when it ends; Cancel emits cancelRequested() (the owner cancels the job,
// which then ends as it ends). Hidden while idle.
//
// Threading: GUI thread.

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace plansight::gui {

class JobProgress : public QWidget {
    Q_OBJECT
public:
    explicit JobProgress(QWidget *parent = nullptr);

    void start(const QString &what);
    void setProgress(qint64 done, qint64 total, const QString &text);
    void stop();
    bool isActive() const { return m_active; }

    QString text() const; // what runs now
    QString words() const; // "42% · 0:12 elapsed · about 0:30 left"
    QProgressBar *bar() const { return m_bar; }
    QToolButton *cancelButton() const { return m_cancel; }

Q_SIGNALS:
    void cancelRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override; // the text label's resize: elided again

private:
    void setText(const QString &text);
    void elide();
    void updateWords();

    QString m_fullText; // m_text shows it elided to its width
    QLabel *m_text = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_words = nullptr;
    QToolButton *m_cancel = nullptr;
    QElapsedTimer m_clock;
    QTimer m_tick;
    bool m_active = false;
    qint64 m_done = 0;
    qint64 m_total = 0;
};

} // namespace plansight::gui
