#include "cli/progress.h"

#include "present/progress.h"

#include <QByteArray>

#include <algorithm>
#include <sys/ioctl.h>
#include <unistd.h>

namespace plansight::cli {

ProgressPrinter::ProgressPrinter(qint64 intervalMs, bool linePerPhase)
    : ProgressPrinter(stderr, isatty(STDERR_FILENO), 0, intervalMs, linePerPhase)
{
}

ProgressPrinter::ProgressPrinter(FILE *out, bool tty, int width, qint64 intervalMs, bool linePerPhase)
    : m_out(out), m_tty(tty), m_fixedWidth(width), m_intervalMs(intervalMs), m_linePerPhase(linePerPhase)
{
    m_clock.start();
}

ProgressPrinter::~ProgressPrinter()
{
    finish();
}

int ProgressPrinter::terminalWidth()
{
    winsize ws {};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    bool ok = false;
    const int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    return ok && columns > 0 ? columns : 80;
}

void ProgressPrinter::draw(const QString &line)
{
    // Spaces over what is left of a longer previous line.
    const int pad = std::max(0, m_lastLength - int(line.size()));
    fprintf(m_out, "\r%s%s", line.toUtf8().constData(), QByteArray(pad, ' ').constData());
    if (pad > 0)
        fprintf(m_out, "\r%s", line.toUtf8().constData()); // the cursor after the text, not after the spaces
    fflush(m_out);
    m_lastLength = int(line.size());
    m_line = line;
}

void ProgressPrinter::operator()(qint64 done, qint64 total, const QString &text)
{
    std::lock_guard lock(m_mutex);
    const QString phase = text.section(QLatin1Char(':'), 0, 0);
    const bool newPhase = m_linePerPhase && phase != m_phase;
    const qint64 now = m_clock.elapsed();
    const QString words = progressWords(done, total, now);
    if (m_tty) {
        if (newPhase && m_lastLength > 0) {
            fputc('\n', m_out);
            m_lastLength = 0;
        }
        draw(fitProgressLine(text, words, m_fixedWidth > 0 ? m_fixedWidth : terminalWidth()));
    } else if (newPhase || m_lastLine < 0 || now - m_lastLine >= m_intervalMs) {
        fprintf(m_out, "progress: %s · %s\n", text.toUtf8().constData(), words.toUtf8().constData());
        fflush(m_out);
        m_lastLine = now;
    }
    m_phase = phase;
}

void ProgressPrinter::message(const QString &text)
{
    std::lock_guard lock(m_mutex);
    if (m_tty && m_lastLength > 0)
        fprintf(m_out, "\r%s\r", QByteArray(m_lastLength, ' ').constData());
    fprintf(m_out, "%s\n", text.toUtf8().constData());
    if (m_tty && m_lastLength > 0) {
        m_lastLength = 0;
        draw(m_line);
    }
    fflush(m_out);
}

void ProgressPrinter::finish()
{
    std::lock_guard lock(m_mutex);
    if (m_tty && m_lastLength > 0) {
        fputc('\n', m_out);
        fflush(m_out);
    }
    m_phase.clear();
    m_line.clear();
    m_lastLength = 0;
}

} // namespace plansight::cli
