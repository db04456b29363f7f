#include "present/progress.h"

#include "present/format.h"

#include <algorithm>

namespace plansight {

QString formatClock(qint64 ms)
{
    if (ms < 0)
        return notMeasured();
    const qint64 s = ms / 1000;
    const qint64 h = s / 3600, m = (s / 60) % 60, sec = s % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(sec, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(sec, 2, 10, QLatin1Char('0'));
}

QString progressWords(qint64 done, qint64 total, qint64 elapsedMs)
{
    const QString elapsed = QStringLiteral("%1 elapsed").arg(formatClock(elapsedMs));
    if (total <= 0)
        return elapsed;
    done = std::clamp<qint64>(done, 0, total);
    const double share = double(done) / double(total);
    QString text = QStringLiteral("%1% · %2").arg(int(share * 100)).arg(elapsed);
    if (done < total && share >= 0.01 && elapsedMs >= ProgressEtaAfterMs)
        text += QStringLiteral(" · about %1 left").arg(formatClock(qint64(double(elapsedMs) * (1 - share) / share)));
    return text;
}

QString fitProgressLine(const QString &text, const QString &words, int width)
{
    const QString tail = QStringLiteral(" · ") + words;
    const int room = std::max(0, width - 1 - int(tail.size()));
    if (text.size() <= room)
        return text + tail;
    if (room < 8)
        return words.left(std::max(0, width - 1));
    return text.left(room - 1) + QChar(0x2026) + tail;
}

} // namespace plansight
