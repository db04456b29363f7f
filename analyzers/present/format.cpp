#include "present/format.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace plansight {

namespace {

// Thousands separators independent of the machine's locale: the CLI's output is parsed by scripts and tests.
const QLocale &english()
{
    static const QLocale l(QLocale::English, QLocale::UnitedStates);
    return l;
}

double roundTo(double v, int decimals)
{
    const double f = std::pow(10.0, decimals);
    return std::round(v * f) / f;
}

// `v` with `decimals` decimals when it stays below `limit` once rounded that way.
bool fits(double v, int decimals, double limit)
{
    return roundTo(v, decimals) < limit;
}

} // namespace

QString notMeasured()
{
    return QStringLiteral("-");
}

QString formatScientific(double v)
{
    QString s = QString::number(v, 'e', 1);
    const qsizetype e = s.indexOf(QLatin1Char('e'));
    if (e < 0)
        return s;
    QString exponent = s.mid(e + 1);
    const bool negative = exponent.startsWith(QLatin1Char('-'));
    if (exponent.startsWith(QLatin1Char('+')) || negative)
        exponent.remove(0, 1);
    while (exponent.size() > 1 && exponent.startsWith(QLatin1Char('0')))
        exponent.remove(0, 1);
    return s.left(e + 1) + (negative ? QStringLiteral("-") : QString()) + exponent;
}

QString formatMs(double ms)
{
    if (!(ms >= 0) || !std::isfinite(ms))
        return notMeasured();
    if (fits(ms, 3, 1))
        return QString::number(ms, 'f', 3) + QStringLiteral(" ms");
    if (fits(ms, 2, 100))
        return QString::number(ms, 'f', 2) + QStringLiteral(" ms");
    if (fits(ms, 1, 1000))
        return QString::number(ms, 'f', 1) + QStringLiteral(" ms");
    const double s = ms / 1000;
    if (fits(s, 2, 10))
        return QString::number(s, 'f', 2) + QStringLiteral(" s");
    if (fits(s, 1, 60))
        return QString::number(s, 'f', 1) + QStringLiteral(" s");
    const double min = ms / 60000;
    if (min >= 1e6)
        return formatScientific(min) + QStringLiteral(" min");
    return QString::number(min, 'f', 1) + QStringLiteral(" min");
}

QString formatMsWithSpread(double mid, double low, double high)
{
    if (!(mid >= 0) || !(low >= 0) || !(high >= 0))
        return formatMs(mid);
    return QStringLiteral("%1 (p25-p75 %2-%3)").arg(formatMs(mid), formatMs(low), formatMs(high));
}

QString formatMsDelta(double ms)
{
    if (!std::isfinite(ms))
        return notMeasured();
    return (ms < 0 ? QStringLiteral("-") : QStringLiteral("+")) + formatMs(std::abs(ms));
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return notMeasured();
    if (bytes < 1024)
        return QString::number(bytes) + QStringLiteral(" B");
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double v = double(bytes) / 1024.0;
    int u = 0;
    // Move up while the printed value would reach 1024 of the unit.
    while (u < 5 && roundTo(v, v < 100 ? 1 : 0) >= 1024) {
        v /= 1024.0;
        ++u;
    }
    const int decimals = fits(v, 1, 100) ? 1 : 0;
    return QString::number(v, 'f', decimals) + QLatin1Char(' ') + QLatin1String(units[u]);
}

QString formatRatio(double ratio)
{
    if (!(ratio >= 0) || !std::isfinite(ratio))
        return notMeasured();
    if (fits(ratio, 2, 10))
        return QString::number(ratio, 'f', 2);
    if (fits(ratio, 1, 100))
        return QString::number(ratio, 'f', 1);
    if (ratio >= 1e12)
        return formatScientific(ratio);
    return english().toString(qint64(std::round(ratio)));
}

QString formatSpeedUp(const SpeedUp &s)
{
    if (!s.valid)
        return notMeasured();
    const QString r = formatRatio(s.ratio);
    return r == notMeasured() ? r : r + QLatin1Char('x');
}

QString formatSpeedUpInterval(const SpeedUp &s)
{
    if (!s.valid)
        return notMeasured();
    return formatRatio(s.low) + QLatin1Char('-') + formatRatio(s.high);
}

QString formatSpeedUpWithInterval(const SpeedUp &s)
{
    const QString ratio = formatSpeedUp(s);
    if (ratio == notMeasured())
        return ratio;
    return ratio + QStringLiteral(" [") + formatSpeedUpInterval(s) + QLatin1Char(']');
}

QString formatCount(double n)
{
    if (!std::isfinite(n))
        return notMeasured();
    if (std::abs(n) >= 1e12)
        return formatScientific(n);
    if (n != std::floor(n))
        return english().toString(n, 'f', 2);
    return english().toString(qint64(n));
}

QString formatPercent(double percent)
{
    if (!std::isfinite(percent))
        return notMeasured();
    if (percent >= 1e4)
        return QStringLiteral(">1e4%");
    return QString::number(percent, 'f', 1) + QLatin1Char('%');
}

namespace {

QString wholeTable(const QStringList &header, const QList<QStringList> &rows, const QList<bool> &rightAligned,
    const QList<qsizetype> &widths)
{
    const qsizetype columns = header.size();
    auto line = [&](const QStringList &cells) -> QString {
        QString out;
        for (qsizetype c = 0; c < columns; ++c) {
            if (c > 0)
                out += QStringLiteral("  ");
            const QString cell = cells.value(c);
            out += rightAligned.value(c) ? cell.rightJustified(widths.at(c)) : cell.leftJustified(widths.at(c));
        }
        while (out.endsWith(QLatin1Char(' ')))
            out.chop(1);
        return out + QLatin1Char('\n');
    };
    QString out = line(header);
    QStringList rule;
    for (qsizetype w : widths)
        rule.append(QString(w, QLatin1Char('-')));
    out += line(rule);
    for (const QStringList &r : rows)
        out += line(r);
    return out;
}

} // namespace

QString wrapWords(const QString &text, int width, int indent)
{
    if (width <= 0)
        return text + QLatin1Char('\n');
    QString out, line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.trimmed().isEmpty() && line.size() + 1 + word.size() > width) {
            out += line + QLatin1Char('\n');
            line = QString(indent, QLatin1Char(' '));
        }
        line += (line.trimmed().isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    return out + line + QLatin1Char('\n');
}

QString textTable(const QStringList &header, const QList<QStringList> &rows, const QList<bool> &rightAligned,
    int maxWidth, int keyColumns)
{
    const qsizetype columns = header.size();
    QList<qsizetype> widths(columns, 0);
    for (qsizetype c = 0; c < columns; ++c)
        widths[c] = header.at(c).size();
    for (const QStringList &r : rows)
        for (qsizetype c = 0; c < r.size() && c < columns; ++c)
            widths[c] = std::max(widths[c], r.at(c).size());
    qsizetype total = 0;
    for (qsizetype c = 0; c < columns; ++c)
        total += widths.at(c) + (c > 0 ? 2 : 0);
    const qsizetype keys = std::clamp<qsizetype>(keyColumns, 0, columns);
    if (maxWidth <= 0 || total <= maxWidth || keys >= columns)
        return wholeTable(header, rows, rightAligned, widths);

    // Cut the other columns into parts that fit beside the key columns.
    qsizetype keyWidth = 0;
    for (qsizetype c = 0; c < keys; ++c)
        keyWidth += widths.at(c) + (c > 0 ? 2 : 0);
    QList<QList<qsizetype>> parts;
    qsizetype used = keyWidth;
    for (qsizetype c = keys; c < columns; ++c) {
        const qsizetype add = widths.at(c) + (used > 0 ? 2 : 0);
        if (parts.isEmpty() || (used + add > maxWidth && used > keyWidth)) {
            parts.append(QList<qsizetype>());
            used = keyWidth;
        }
        parts.last().append(c);
        used += widths.at(c) + (used > 0 ? 2 : 0);
    }
    QString out;
    for (const QList<qsizetype> &part : parts) {
        QList<qsizetype> chosen;
        for (qsizetype c = 0; c < keys; ++c)
            chosen.append(c);
        chosen += part;
        QStringList h;
        QList<bool> right;
        QList<qsizetype> w;
        for (qsizetype c : chosen) {
            h.append(header.at(c));
            right.append(rightAligned.value(c));
            w.append(widths.at(c));
        }
        QList<QStringList> r;
        for (const QStringList &row : rows) {
            QStringList cells;
            for (qsizetype c : chosen)
                cells.append(row.value(c));
            r.append(cells);
        }
        if (!out.isEmpty())
            out += QLatin1Char('\n');
        out += wholeTable(h, r, right, w);
    }
    return out;
}

} // namespace plansight
