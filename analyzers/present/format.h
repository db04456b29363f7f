#pragma once

// How PlanSight prints its figures and verdict words (docs/architecture.md, "Layers"): one formatter per unit
// and one table of words, used by the command line, the window and the PDF report alike, so the same value
// always reads the same. The words for checks and outcomes are in present/words.h.
// QtCore only; pure functions of their arguments (no locale of the machine: the output is the same everywhere).
//
// "Not measured" (a negative duration or size, NaN, an invalid speed-up) prints as notMeasured(), "-".

#include "session/results.h" // SpeedUp (a plain struct: nothing of bench/ is linked)

#include <QList>
#include <QString>
#include <QStringList>

namespace plansight {

// The mark of a value that was not measured (or cannot be shown): "-".
QString notMeasured();

// Durations in milliseconds, one rule everywhere:
//   below 1 ms      3 decimals   "0.412 ms"  (EXPLAIN's own resolution is a microsecond)
//   below 100 ms    2 decimals   "4.12 ms", "40.15 ms"
//   below 1 s       1 decimal    "412.3 ms"
//   below 10 s      2 decimals   "7.91 s"
//   below 1 min     1 decimal    "13.2 s"
//   from 1 min      1 decimal    "4.2 min"; from a million minutes in scientific form ("1.7e295 min"), so an
//                                absurd input never prints hundreds of digits
// A value that rounds up to the next unit is printed in it ("999.96 ms" is "1.00 s").
// Negative, NaN or infinite: "-".
QString formatMs(double ms);
// A median with its spread: "4.20 ms (p25-p75 4.10 ms-4.35 ms)"; only the median when the spread is not
// measured (negative); "-" when the median is not.
QString formatMsWithSpread(double mid, double low, double high);
// A signed difference of durations: "+1.20 ms", "-412.3 ms" (zero is "+0.000 ms"); NaN or infinite: "-".
QString formatMsDelta(double ms);

// Sizes in IEC units (1024-based): "512 B", "8.0 KiB", "12.3 MiB", "424 MiB", "13.2 GiB": one decimal below
// 100 of the unit, none from 100; a value that rounds to 1024 of a unit moves to the next one. Negative: "-".
QString formatBytes(qint64 bytes);

// Ratios (a speed-up without its "x"): "0.91", "3.20", "19.5", "150", "2,555": two decimals below 10, one below
// 100, none from 100 with thousands separators; from 1e12 in scientific form. Negative, NaN, infinite: "-".
QString formatRatio(double ratio);
// A speed-up: "3.20x", "2,555x"; not valid: "-".
QString formatSpeedUp(const SpeedUp &s);
// Its 95% interval: "2.90-3.50"; not valid: "-".
QString formatSpeedUpInterval(const SpeedUp &s);
// Both, the way every table and sentence prints them: "3.20x [2.90-3.50]"; not valid: "-".
QString formatSpeedUpWithInterval(const SpeedUp &s);

// Counts (rows, buffers, loops) with thousands separators: "0", "1,234", "-12" (deltas keep their sign),
// "12.50" for a non-integer (an average per loop); from 1e12 in scientific form ("1.2e300"); not finite: "-".
QString formatCount(double n);
// Scientific form with one decimal, no "+" and no leading zeros in the exponent: "1.2e300", "2.5e-7".
QString formatScientific(double v);
// A share in percent with one decimal: "12.5%"; ">1e4%" from 10,000% (only bad input gets there); not finite: "-".
QString formatPercent(double percent);

// A plain fixed-width text table for a terminal: the header, a rule of dashes under it, then the rows; each
// column as wide as its widest cell, two spaces between columns, cells of `rightAligned` columns (numbers)
// right-aligned, no trailing spaces. Missing cells are empty; cells beyond the header are dropped.
//
// `maxWidth` > 0 (a terminal's width): a table wider than that is split, as psql's wrapped format would not be
// readable: its columns are cut into parts that each fit (the first `keyColumns`, the row's name, repeated in every
// part), printed one below the other with a blank line between. A column wider than `maxWidth` on its own is not
// cut. 0: never split (a pipe or a file gets whole rows).
// `text` (one paragraph) broken at spaces into lines of at most `width` columns (a word longer than that stays
// whole), each line after the first indented by `indent` spaces, with a newline at the end. `width` <= 0: the
// text as it is, plus the newline.
QString wrapWords(const QString &text, int width, int indent = 2);

QString textTable(const QStringList &header, const QList<QStringList> &rows, const QList<bool> &rightAligned = {},
    int maxWidth = 0, int keyColumns = 1);

} // namespace plansight
