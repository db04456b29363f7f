#include "cli/progress.h"

#include "present/progress.h"

#include <QByteArray>

#include <algorithm>
#include <cstdio>
#include <sys/ioctl.h>
#include <unistd.h>

namespace plansight::cli {

ProgressPrinter::ProgressPrinter(qint64 intervalMs)
    : m_tty(isatty(STDERR_FILENO)), m_width(terminalWidth()), m_intervalMs(intervalMs)
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

void ProgressPrinter::operator()(qint64 done, qint64 total, const QString &text)
{
    const QString phase = text.section(QLatin1Char(':'), 0, 0);
    const bool newPhase = phase != m_phase;
    const qint64 now = m_clock.elapsed();
    const QString words = progressWords(done, total, now);
    if (m_tty) {
        if (newPhase && !m_phase.isEmpty())
            fputc('\n', stderr);
        const QString line = fitProgressLine(text, words, m_width);
        // Spaces over what is left of a longer previous line.
        const int pad = std::max(0, m_lastLength - int(line.size()));
        fprintf(stderr, "\r%s%s", line.toUtf8().constData(), QByteArray(pad, ' ').constData());
        fflush(stderr);
        m_lastLength = int(line.size());
    } else if (newPhase || m_lastLine < 0 || now - m_lastLine >= m_intervalMs) {
        fprintf(stderr, "progress: %s · %s\n", text.toUtf8().constData(), words.toUtf8().constData());
        fflush(stderr);
        m_lastLine = now;
    }
    m_phase = phase;
}

void ProgressPrinter::finish()
{
    if (m_tty && !m_phase.isEmpty())
        fputc('\n', stderr);
    m_phase.clear();
    m_lastLength = 0;
}

} // namespace plansight::cli
