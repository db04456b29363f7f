#pragma once

// The words of a long job's progress, one rule for the command line and the window:
//   "42% · 1:12 elapsed · about 1:40 left"
// The share is done / total. The time left is the time so far scaled by what remains; it is said only once the
// job has run ProgressEtaAfterMs and done at least 1% (before that it would be noise). Without a total (0 or
// less), only the elapsed time.

#include <QString>

namespace plansight {

inline constexpr qint64 ProgressEtaAfterMs = 3000;

// A duration as a clock: "0:07", "1:12", "1:02:05". Negative: "-".
QString formatClock(qint64 ms);
QString progressWords(qint64 done, qint64 total, qint64 elapsedMs);
// One progress line of at most width - 1 columns (a line as wide as the terminal wraps on some): the text, then
// " · " and the words; the text is elided at its end to fit, and dropped when fewer than 8 columns are left.
QString fitProgressLine(const QString &text, const QString &words, int width);

} // namespace plansight
