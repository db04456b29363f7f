#include "plan/planinput_p.h"

#include "plan/planfields_p.h"
#include "plan/planparser.h"

#include <QRegularExpression>

#include <algorithm>
#include <cstring>

namespace plansight::planinternal {

namespace {

const QByteArray boxVertical = QByteArrayLiteral("\xe2\x94\x82"); // │
const QByteArray newlineMark = QByteArrayLiteral("\xe2\x86\xb5"); // ↵
const QByteArray ellipsis = QByteArrayLiteral("\xe2\x80\xa6"); // …

bool isRule(QByteArrayView line)
{
    // A byte that is neither a mark, nor whitespace, nor part of a UTF-8 sequence cannot be trimmed away and is
    // not a mark: most lines are decided here, without the conversion below.
    // Indentation first, eight spaces at a time: the marks' loop below would take longer over it.
    qsizetype i = 0;
    constexpr quint64 eightSpaces = 0x2020202020202020ULL;
    for (quint64 eight;
         i + 8 <= line.size() && (std::memcpy(&eight, line.data() + i, sizeof eight), eight == eightSpaces);)
        i += 8;
    while (i < line.size() && line.at(i) == ' ')
        ++i;
    for (; i < line.size(); ++i) {
        const auto u = static_cast<unsigned char>(line.at(i));
        if (u < 0x80 && u != '-' && u != '=' && u != '+' && u != ' ' && u != '|' && u != '\t' && u != '\n' && u != '\v'
            && u != '\f' && u != '\r')
            return false;
    }
    int marks = 0;
    const QString s = QString::fromUtf8(line).trimmed();
    if (s.isEmpty())
        return false;
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        if (u == '-' || u == '=' || (u >= 0x2500 && u <= 0x257F))
            ++marks;
        else if (u != '+' && u != ' ' && u != '|')
            return false;
    }
    return marks >= 3;
}

bool isFooter(QByteArrayView line)
{
    // "(8 rows)", "(1 ligne)", "(8 Zeilen)", "(1 行)": a count and one word in parentheses.
    static const QRegularExpression re(QStringLiteral("^\\s*\\(\\d+ [^\\s()]+(?: [^\\s()]+)?\\)\\s*$"));
    return line.size() < 64 && re.match(QString::fromUtf8(line)).hasMatch();
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Whether a line has anything but whitespace (QByteArray::trimmed().isEmpty(), from the end: lines are indented).
bool hasText(QByteArrayView line)
{
    for (qsizetype i = line.size() - 1; i >= 0; --i)
        if (!isBlank(line.at(i)))
            return true;
    return false;
}

QByteArrayView trimRight(QByteArrayView line)
{
    qsizetype end = line.size();
    while (end > 0 && (line.at(end - 1) == ' ' || line.at(end - 1) == '\t' || line.at(end - 1) == '\r'))
        --end;
    return line.first(end);
}

bool startsWithBorder(QByteArrayView l)
{
    const QByteArrayView t = l.trimmed();
    return t.startsWith('|') || t.startsWith(boxVertical);
}

bool endsWithBorder(QByteArrayView l)
{
    const QByteArrayView t = trimRight(l);
    return t.endsWith('|') || t.endsWith(boxVertical);
}

QByteArrayView stripBorders(QByteArrayView line)
{
    QByteArrayView l = trimRight(line);
    qsizetype start = 0;
    while (start < l.size() && l.at(start) == ' ')
        ++start;
    if (l.sliced(start).startsWith('|'))
        l = l.sliced(start + 1);
    else if (l.sliced(start).startsWith(boxVertical))
        l = l.sliced(start + boxVertical.size());
    if (l.endsWith('|'))
        l.chop(1);
    else if (l.endsWith(boxVertical))
        l.chop(boxVertical.size());
    return trimRight(l);
}

} // namespace

UnframedLines unframeLines(const QByteArray &input)
{
    QByteArrayView in = input;
    if (in.startsWith("\xef\xbb\xbf"))
        in = in.sliced(3);
    UnframedLines out;
    QList<QByteArrayView> lines;
    for (qsizetype from = 0; from <= in.size();) {
        const void *newline = std::memchr(in.data() + from, '\n', size_t(in.size() - from));
        const qsizetype end = newline ? static_cast<const char *>(newline) - in.data() : in.size();
        const QByteArrayView l = trimRight(in.sliced(from, end - from));
        if (hasText(l))
            lines.append(l);
        from = end + 1;
    }
    // Leading rules (border 2's top line), then a header followed by a rule.
    while (!lines.isEmpty() && isRule(lines.first()))
        lines.removeFirst();
    if (lines.size() >= 2 && isRule(lines.at(1)))
        lines.remove(0, 2);
    // Footer and trailing rules, in whichever order they come.
    while (!lines.isEmpty() && (isFooter(lines.last()) || isRule(lines.last())))
        lines.removeLast();
    // Rules between rows (border 2 with \pset linestyle variations) carry nothing.
    lines.removeIf([](QByteArrayView l) { return isRule(l); });
    if (lines.isEmpty())
        return out;

    // Borders: only when nearly every line has them on both sides.
    qsizetype bordered = 0, seen = 0;
    for (const QByteArrayView l : lines) {
        ++seen;
        if (startsWithBorder(l) && endsWithBorder(l))
            ++bordered;
        else if ((lines.size() - seen + bordered) * 10 < lines.size() * 9)
            break; // too few can have them
    }
    if (bordered * 10 >= lines.size() * 9) {
        for (QByteArrayView &l : lines)
            l = stripBorders(l);
        // With borders, psql pads one space after the left border; keep relative indentation only.
    }

    // Newline marks of aligned output: "+" (ascii, after the padding or right after the widest line's text) or
    // "↵" (unicode) at the end of all lines but the last.
    qsizetype marked = 0;
    for (const QByteArrayView l : lines)
        if (l.endsWith('+') || l.endsWith(newlineMark))
            ++marked;
    if (marked > 0 && marked * 2 >= lines.size() - 1) {
        for (QByteArrayView &l : lines) {
            if (l.endsWith(newlineMark))
                l = trimRight(l.chopped(newlineMark.size()));
            else if (l.endsWith('+'))
                l = trimRight(l.chopped(1));
        }
    }

    // Wrap marks of wrapped output: a line ending in "." or "…" continued by a line starting with one.
    out.lines.reserve(lines.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArrayView l = lines.at(i);
        while (i + 1 < lines.size()) {
            const QByteArrayView next = lines.at(i + 1);
            const bool dotWrap = l.endsWith('.') && next.startsWith('.');
            const bool ellipsisWrap = l.endsWith(ellipsis) && next.startsWith(ellipsis);
            if (!dotWrap && !ellipsisWrap)
                break;
            const qsizetype mark = dotWrap ? 1 : ellipsis.size();
            out.joined.push_back(l.chopped(mark).toByteArray() + next.sliced(mark).toByteArray());
            l = out.joined.back();
            ++i;
        }
        if (hasText(l))
            out.lines.append(l);
    }
    return out;
}

QByteArray undoubleQuotes(const QByteArray &input)
{
    QByteArray out = input.trimmed();
    qsizetype open = -1;
    // An enclosing quote pair around the JSON ("[...]" or "{...}"), as a spreadsheet or CSV log writes it.
    for (qsizetype i = 0; i + 1 < out.size(); ++i) {
        if (out.at(i) == '"' && (out.at(i + 1) == '[' || out.at(i + 1) == '{')) {
            open = i;
            break;
        }
        if (out.at(i) == '[' || out.at(i) == '{')
            break;
    }
    if (open >= 0) {
        const qsizetype close = out.lastIndexOf('"');
        if (close > open + 1 && (out.at(close - 1) == ']' || out.at(close - 1) == '}'))
            out = out.mid(open + 1, close - open - 1);
    }
    out.replace("\"\"", "\"");
    return out;
}

static bool isBinary(const QByteArray &in)
{
    // NULs or a high share of control characters: not something EXPLAIN printed.
    const qsizetype n = std::min<qsizetype>(in.size(), 4096);
    qsizetype control = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(in.at(i));
        if (c == 0)
            return true;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
            ++control;
    }
    return control * 20 > n;
}

Status checkPlanInput(const QByteArray &input)
{
    if (std::all_of(input.cbegin(), input.cend(),
            [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }))
        return inputError(QStringLiteral("The input is empty: paste or load the output of EXPLAIN."));
    if (input.size() > maxPlanInputBytes)
        return inputError(QStringLiteral("The input is %1 MB, more than the %2 MB PlanSight reads as a plan.")
                              .arg(input.size() / (1024 * 1024))
                              .arg(maxPlanInputBytes / (1024 * 1024)));
    if (isBinary(input))
        return inputError(QStringLiteral("The input is binary data, not EXPLAIN output."));
    return {};
}

} // namespace plansight::planinternal
