#pragma once

// Progress of a long job on stderr, the way pgbench and pg_basebackup print it.
//   On a terminal: one line rewritten in place, "[42%] building content_tags · 1:12 elapsed · about 1:40 left",
//   fitted to the terminal's width (TIOCGWINSZ, else $COLUMNS, else 80); a new line when the phase (the text
//   before its first ':') changes, so each phase's last state stays visible.
//   Otherwise (a pipe, a log file, CI): a line when the phase changes and every intervalMs (5 s), like
//   pgbench -P 5; never a carriage return.
// The words are present/progress.h's, the same as the window's.

#include <QElapsedTimer>
#include <QString>

namespace plansight::cli {

class ProgressPrinter {
public:
    explicit ProgressPrinter(qint64 intervalMs = 5000);
    ~ProgressPrinter();
    ProgressPrinter(const ProgressPrinter &) = delete;
    ProgressPrinter &operator=(const ProgressPrinter &) = delete;

    // A ProgressFn: done of total steps, and what is being done.
    void operator()(qint64 done, qint64 total, const QString &text);
    // Ends the rewritten line (the destructor does it too).
    void finish();

    // The terminal's columns: TIOCGWINSZ on stderr, else $COLUMNS, else 80.
    static int terminalWidth();

private:
    bool m_tty;
    int m_width;
    qint64 m_intervalMs;
    QElapsedTimer m_clock;
    qint64 m_lastLine = -1;
    int m_lastLength = 0;
    QString m_phase;
};

} // namespace plansight::cli
