#pragma once

// Progress of a long job on stderr, the way pgbench and pg_basebackup print it. Every verb with a long job uses it
// (demo up, stats, strategies apply, bench; loads and refreshes the same way): pass the printer as the job's
// ProgressFn (std::ref(printer)), print other lines through message() while it runs, and finish() at the end.
//   On a terminal: one line rewritten in place, "building content_tags · 42% · 1:12 elapsed · about 1:40 left",
//   fitted to the terminal's width (TIOCGWINSZ, else $COLUMNS, else 80; read again at every line, so a resized
//   terminal is followed), elided, never wrapped. With linePerPhase, a new line when the phase (the text before
//   its first ':') changes, so each phase's last state stays visible; without, the one line for the whole job.
//   Otherwise (a pipe, a log file, CI): "progress: <text> · <words>" at the first report, every intervalMs (5 s)
//   and, with linePerPhase, when the phase changes, like pgbench -P 5; never a carriage return.
// The words are present/progress.h's, the same as the window's: the share done, the time elapsed since the
// printer was made, and the time left once it can be estimated.
//
// Threading: calls from several threads are serialized (a job's ProgressFn may come from a watch thread, such as
// pg/indexprogress.h's).

#include <QElapsedTimer>
#include <QString>

#include <cstdio>
#include <mutex>

namespace plansight::cli {

class ProgressPrinter {
public:
    explicit ProgressPrinter(qint64 intervalMs = 5000, bool linePerPhase = true);
    // For tests: writes to `out`, as a terminal `width` columns wide when `tty`.
    ProgressPrinter(FILE *out, bool tty, int width, qint64 intervalMs = 5000, bool linePerPhase = true);
    ~ProgressPrinter();
    ProgressPrinter(const ProgressPrinter &) = delete;
    ProgressPrinter &operator=(const ProgressPrinter &) = delete;

    // A ProgressFn: done of total steps, and what is being done.
    void operator()(qint64 done, qint64 total, const QString &text);
    // Another line on stderr while the job runs (a notice, a warning, a result): on a terminal the progress line is
    // cleared first, the text gets a line of its own, and the progress line is drawn again below it.
    void message(const QString &text);
    // Ends the rewritten line, keeping its last state (the destructor does it too).
    void finish();

    // The terminal's columns: TIOCGWINSZ on stderr, else $COLUMNS, else 80.
    static int terminalWidth();

private:
    void draw(const QString &line);

    std::recursive_mutex m_mutex;
    FILE *m_out;
    bool m_tty;
    int m_fixedWidth; // > 0: the tests' width; else terminalWidth() at every line
    qint64 m_intervalMs;
    bool m_linePerPhase;
    QElapsedTimer m_clock;
    qint64 m_lastLine = -1;
    int m_lastLength = 0; // the progress line on the terminal now, in characters; 0: none
    QString m_line; // that line, to draw again after message()
    QString m_phase;
};

} // namespace plansight::cli
