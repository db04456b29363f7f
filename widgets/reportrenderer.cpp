#include "reportrenderer.h"

#include "qcustomplotinclude.h"
#include "timingcharts.h"

#include <QFileInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTextLayout>

#include <algorithm>
#include <cmath>
#include <functional>

namespace plansight {

namespace {

// The PDF is laid out at 720 device units per inch: 10 units per point, so sizes below read in points.
constexpr int Dpi = 720;
constexpr qreal pt(qreal points)
{
    return points * Dpi / 72.0;
}
constexpr qreal mm(qreal millimetres)
{
    return millimetres * Dpi / 25.4;
}

// DejaVu ships with every Linux desktop and covers the symbols the report prints (×, –, →, ·); Qt falls back
// to the closest family elsewhere. Qt embeds the glyphs used as a font subset.
const QString SansFamily = QStringLiteral("DejaVu Sans");
const QString MonoFamily = QStringLiteral("DejaVu Sans Mono");

QFont font(qreal size, bool bold = false, bool mono = false, bool italic = false)
{
    QFont f(mono ? MonoFamily : SansFamily);
    f.setStyleHint(mono ? QFont::Monospace : QFont::SansSerif);
    f.setPointSizeF(size);
    f.setBold(bold);
    f.setItalic(italic);
    // No shaping for Latin text means no ligatures: "fi" stays two letters, so pdftotext, search and
    // copy-paste from the PDF find "filter" and "finished" as typed.
    f.setStyleStrategy(QFont::PreferNoShaping);
    return f;
}

const QColor Ink(0x20, 0x20, 0x20);
const QColor Muted(0x6a, 0x6a, 0x6a);
const QColor Rule(0xc8, 0xc8, 0xc8);
const QColor Accent(0x1f, 0x5f, 0xa8);
const QColor WrongRed(0xc0, 0x26, 0x1f);
const QColor StaleAmber(0xa8, 0x62, 0x00);
const QColor SlowerOrange(0xd9, 0x5f, 0x0e); // slower than the baseline: orange, never the red of wrong rows
const QColor SlowerBack(0xfd, 0xeb, 0xd9);
const QColor WinnerBack(0xe2, 0xf2, 0xe2);
const QColor BaselineBack(0xec, 0xf0, 0xf7);
const QColor WrongBack(0xfb, 0xe6, 0xe4);
const QColor HeaderBack(0xee, 0xee, 0xee);
const QColor CodeBack(0xf4, 0xf4, 0xf2);

QColor markColor(ReportMark m)
{
    switch (m) {
    case ReportMark::Wrong:
        return WrongRed;
    case ReportMark::Stale:
        return StaleAmber;
    case ReportMark::Slower:
        return SlowerOrange;
    case ReportMark::Failed:
        return Muted;
    case ReportMark::Winner:
        return QColor(0x1e, 0x6b, 0x2a);
    case ReportMark::Baseline:
    case ReportMark::None:
        break;
    }
    return Ink;
}

QColor markBackground(ReportMark m)
{
    switch (m) {
    case ReportMark::Winner:
        return WinnerBack;
    case ReportMark::Baseline:
        return BaselineBack;
    case ReportMark::Wrong:
        return WrongBack;
    case ReportMark::Slower:
        return SlowerBack;
    default:
        return QColor();
    }
}

using DrawOp = std::function<void(QPainter &)>;

// Splits text into lines no wider than `width`: at word boundaries, anywhere inside a word longer than a
// line (SQL identifiers, UUIDs), and at every '\n'.
QStringList wrapText(const QString &text, const QFont &f, qreal width, QPaintDevice *device)
{
    QStringList lines;
    QString clean = text;
    clean.replace(QLatin1Char('\t'), QStringLiteral("    "));
    clean.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    const QStringList paragraphs = clean.split(QLatin1Char('\n'));
    for (const QString &para : paragraphs) {
        if (para.isEmpty()) {
            lines << QString();
            continue;
        }
        QTextLayout layout(para, f, device);
        QTextOption option;
        option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        layout.setTextOption(option);
        layout.beginLayout();
        for (;;) {
            QTextLine line = layout.createLine();
            if (!line.isValid())
                break;
            line.setLineWidth(std::max<qreal>(width, pt(4)));
            QString piece = para.mid(line.textStart(), line.textLength());
            while (piece.endsWith(QLatin1Char(' ')))
                piece.chop(1);
            lines << piece;
        }
        layout.endLayout();
    }
    return lines;
}

// Lays the report out as a flow of blocks over pages of one size, recording each page's drawing as closures;
// painting happens after layout so every page can say "page N of M".
class Composer {
public:
    Composer(QPaintDevice *device, const QRectF &flow) : m_device(device), m_flow(flow) { newPage(); }

    QList<QList<DrawOp>> pages;

    int pageNumber() const { return int(pages.size()); }
    qreal width() const { return m_flow.width(); }
    qreal remaining() const { return m_flow.bottom() - m_y; }
    bool atTop() const { return m_y <= m_flow.top() + 0.5; }

    void newPage()
    {
        pages.append(QList<DrawOp>());
        m_y = m_flow.top();
    }
    // Starts a new page unless `height` still fits on this one (or the page is empty).
    void ensure(qreal height)
    {
        if (height > remaining() && !atTop())
            newPage();
    }
    void space(qreal h)
    {
        if (!atTop())
            m_y = std::min(m_y + h, m_flow.bottom());
    }
    void add(DrawOp op) { pages.last().append(std::move(op)); }

    qreal lineHeight(const QFont &f) const { return QFontMetricsF(f, m_device).lineSpacing(); }
    qreal ascent(const QFont &f) const { return QFontMetricsF(f, m_device).ascent(); }
    qreal textWidth(const QString &s, const QFont &f) const { return QFontMetricsF(f, m_device).horizontalAdvance(s); }
    // The widest line of a text that may hold line breaks (a table cell with one line per workload).
    qreal linesWidth(const QString &s, const QFont &f) const
    {
        qreal w = 0;
        for (const QString &line : s.split(QLatin1Char('\n')))
            w = std::max(w, textWidth(line, f));
        return w;
    }
    QStringList wrap(const QString &s, const QFont &f, qreal width) const { return wrapText(s, f, width, m_device); }

    void drawLine(const QString &text, const QFont &f, const QColor &color, qreal x, qreal y)
    {
        const qreal baseline = y + ascent(f);
        add([=](QPainter &p) {
            p.setFont(f);
            p.setPen(color);
            p.drawText(QPointF(x, baseline), text);
        });
    }

    // A paragraph, split across pages line by line. `keepLines` lines must fit together at its start.
    void paragraph(const QString &text, const QFont &f, const QColor &color = Ink, qreal indent = 0, int keepLines = 2,
        const QString &firstLinePrefix = QString())
    {
        const qreal lh = lineHeight(f);
        const qreal prefixWidth = firstLinePrefix.isEmpty() ? 0 : textWidth(firstLinePrefix + QLatin1Char(' '), f);
        const QStringList lines = wrap(text, f, width() - indent - prefixWidth);
        ensure(lh * std::min<int>(keepLines, int(lines.size())));
        for (int i = 0; i < lines.size(); ++i) {
            ensure(lh);
            if (i == 0 && !firstLinePrefix.isEmpty())
                drawLine(firstLinePrefix, f, color, m_flow.left() + indent, m_y);
            drawLine(lines[i], f, color, m_flow.left() + indent + prefixWidth, m_y);
            m_y += lh;
        }
    }

    void heading(
        const QString &text, const QFont &f, const QColor &color, qreal before, qreal after, qreal keepWithNext)
    {
        const QStringList lines = wrap(text, f, width());
        const qreal lh = lineHeight(f);
        ensure(before + lh * lines.size() + after + keepWithNext);
        space(before);
        for (const QString &line : lines) {
            drawLine(line, f, color, m_flow.left(), m_y);
            m_y += lh;
        }
        m_y += after;
    }

    void bullets(const QStringList &items, const QFont &f, const QColor &color = Ink)
    {
        for (const QString &item : items)
            paragraph(item, f, color, pt(6), 2, QStringLiteral("•"));
    }

    // Label/value pairs in two columns; a pair never splits across pages.
    void facts(const QList<ReportFact> &facts, const QFont &labelFont, const QFont &valueFont, qreal labelShare = 0.3)
    {
        const qreal labelWidth = width() * labelShare;
        const qreal gap = pt(8);
        const qreal lh = std::max(lineHeight(labelFont), lineHeight(valueFont));
        for (const ReportFact &fact : facts) {
            const QStringList labelLines = wrap(fact.label, labelFont, labelWidth);
            const QStringList valueLines = wrap(fact.value, valueFont, width() - labelWidth - gap);
            const int n = int(std::max(labelLines.size(), valueLines.size()));
            ensure(lh * n + pt(2));
            for (int i = 0; i < labelLines.size(); ++i)
                drawLine(labelLines[i], labelFont, Muted, m_flow.left(), m_y + i * lh);
            for (int i = 0; i < valueLines.size(); ++i)
                drawLine(valueLines[i], valueFont, Ink, m_flow.left() + labelWidth + gap, m_y + i * lh);
            m_y += lh * n + pt(2);
        }
    }

    // Monospaced text on a tinted band, wrapped at the band's width, split across pages by line.
    void code(const QString &text, qreal size)
    {
        const QFont f = font(size, false, true);
        const qreal pad = pt(4);
        const qreal lh = lineHeight(f);
        const QStringList lines = wrap(text, f, width() - 2 * pad);
        int i = 0;
        while (i < lines.size()) {
            ensure(lh * std::min<int>(3, int(lines.size() - i)) + 2 * pad);
            const qreal top = m_y;
            const int fit = std::max(1, int((remaining() - 2 * pad) / lh));
            const int n = std::min<int>(fit, int(lines.size() - i));
            const QRectF band(m_flow.left(), top, width(), n * lh + 2 * pad);
            add([band](QPainter &p) {
                p.setPen(Qt::NoPen);
                p.setBrush(CodeBack);
                p.drawRect(band);
                p.setBrush(Qt::NoBrush);
            });
            for (int k = 0; k < n; ++k)
                drawLine(lines[i + k], f, Ink, m_flow.left() + pad, top + pad + k * lh);
            m_y = top + band.height();
            i += n;
            if (i < lines.size())
                newPage();
        }
    }

    void table(const ReportTable &t, qreal preferredSize)
    {
        if (t.columns.isEmpty())
            return;
        const int nc = int(t.columns.size());
        const qreal padX = pt(2.5), padY = pt(1.6);
        auto isNumeric = [&](int c) { return c < t.numeric.size() && t.numeric[c]; };

        // The largest font (down to 6 pt) at which every column gets at least its longest word (whole
        // figures for numeric columns); the remaining width goes to the columns with most text.
        qreal size = preferredSize;
        QList<qreal> widths;
        for (;;) {
            const QFont body = font(size), bold = font(size, true);
            QList<qreal> natural(nc, 0), minimum(nc, 0);
            for (int c = 0; c < nc; ++c) {
                natural[c] = textWidth(t.columns[c], bold);
                for (const QString &word : t.columns[c].split(QLatin1Char(' ')))
                    minimum[c] = std::max(minimum[c], textWidth(word, bold));
                for (const ReportTable::Row &row : t.rows) {
                    const QString cell = row.cells.value(c);
                    const QFont &cf = row.mark == ReportMark::Winner || row.mark == ReportMark::Wrong ? bold : body;
                    natural[c] = std::max(natural[c], linesWidth(cell, cf));
                    if (isNumeric(c)) {
                        minimum[c] = std::max(minimum[c], linesWidth(cell, cf));
                    } else {
                        for (const QString &word : cell.split(QRegularExpression(QStringLiteral("[ \n]"))))
                            minimum[c] = std::max(minimum[c], std::min(textWidth(word, cf), width() / 4));
                    }
                }
                natural[c] += 2 * padX;
                minimum[c] = std::min(minimum[c] + 2 * padX, natural[c]);
            }
            qreal sumNatural = 0, sumMinimum = 0;
            for (int c = 0; c < nc; ++c) {
                sumNatural += natural[c];
                sumMinimum += minimum[c];
            }
            widths = natural;
            if (sumNatural <= width() * 0.7) // a small table stays compact instead of stretching its columns apart
                break;
            if (sumNatural <= width()) {
                // Spread the slack over the text columns so long cells wrap less, keeping figures compact.
                qreal textNatural = 0;
                for (int c = 0; c < nc; ++c)
                    if (!isNumeric(c))
                        textNatural += natural[c];
                const qreal slack = width() - sumNatural;
                for (int c = 0; c < nc; ++c) {
                    if (textNatural > 0 && !isNumeric(c))
                        widths[c] += slack * natural[c] / textNatural;
                    else if (textNatural <= 0)
                        widths[c] += slack / nc;
                }
                break;
            }
            if (sumMinimum <= width() || size <= 6.01) {
                const qreal extra = width() - sumMinimum;
                const qreal want = sumNatural - sumMinimum;
                for (int c = 0; c < nc; ++c)
                    widths[c] = extra >= 0 ? minimum[c] + (want > 0 ? extra * (natural[c] - minimum[c]) / want : 0)
                                           : minimum[c] * width() / sumMinimum;
                break;
            }
            size -= 0.5;
        }

        const QFont body = font(size), bold = font(size, true), italic = font(size, false, false, true);
        const qreal lh = lineHeight(body);
        QList<qreal> xs(nc + 1, m_flow.left());
        for (int c = 0; c < nc; ++c)
            xs[c + 1] = xs[c] + widths[c];

        // Wrapped cells; a row higher than a page (never with real content) is cut with an ellipsis.
        auto cellLines
            = [&](const QString &text, const QFont &f, int c) { return wrap(text, f, widths[c] - 2 * padX); };
        QList<QStringList> header;
        int headerLines = 1;
        for (int c = 0; c < nc; ++c) {
            header << cellLines(t.columns[c], bold, c);
            headerLines = std::max(headerLines, int(header.last().size()));
        }
        const qreal headerHeight = headerLines * lh + 2 * padY;
        const int maxLines = std::max(1, int((m_flow.height() - headerHeight - 2 * padY) / lh));

        const qreal tableWidth = xs[nc] - xs[0];
        auto drawHeader = [&]() {
            const QRectF band(m_flow.left(), m_y, tableWidth, headerHeight);
            add([band](QPainter &p) {
                p.setPen(Qt::NoPen);
                p.setBrush(HeaderBack);
                p.drawRect(band);
                p.setBrush(Qt::NoBrush);
                p.setPen(QPen(Ink, pt(0.6)));
                p.drawLine(band.bottomLeft(), band.bottomRight());
            });
            for (int c = 0; c < nc; ++c)
                for (int i = 0; i < header[c].size(); ++i) {
                    const qreal x = isNumeric(c) ? xs[c + 1] - padX - textWidth(header[c][i], bold) : xs[c] + padX;
                    drawLine(header[c][i], bold, Ink, x, m_y + padY + i * lh);
                }
            m_y += headerHeight;
        };

        ensure(headerHeight + lh + 2 * padY);
        drawHeader();
        for (const ReportTable::Row &row : t.rows) {
            const QFont &f = row.mark == ReportMark::Winner || row.mark == ReportMark::Wrong ? bold
                : row.mark == ReportMark::Failed                                             ? italic
                                                                                             : body;
            QList<QStringList> cells;
            int n = 1;
            for (int c = 0; c < nc; ++c) {
                QStringList lines = cellLines(row.cells.value(c), f, c);
                if (lines.size() > maxLines) {
                    lines = lines.mid(0, maxLines);
                    lines.last() += QStringLiteral("…");
                }
                n = std::max(n, int(lines.size()));
                cells << lines;
            }
            const qreal h = n * lh + 2 * padY;
            if (h > remaining()) {
                newPage();
                drawHeader();
            }
            const QRectF band(m_flow.left(), m_y, tableWidth, h);
            const QColor back = markBackground(row.mark);
            add([band, back](QPainter &p) {
                if (back.isValid()) {
                    p.setPen(Qt::NoPen);
                    p.setBrush(back);
                    p.drawRect(band);
                    p.setBrush(Qt::NoBrush);
                }
                p.setPen(QPen(Rule, pt(0.4)));
                p.drawLine(band.bottomLeft(), band.bottomRight());
            });
            const QColor color = markColor(row.mark);
            for (int c = 0; c < nc; ++c)
                for (int i = 0; i < cells[c].size(); ++i) {
                    const qreal x = isNumeric(c) ? xs[c + 1] - padX - textWidth(cells[c][i], f) : xs[c] + padX;
                    drawLine(cells[c][i], f, color, x, m_y + padY + i * lh);
                }
            m_y += h;
        }
    }

    // The abbreviated plan: one row per node, indented by depth, with its exclusive time and a bar for its
    // share of the plan's time.
    void planTree(const ReportPlan &plan)
    {
        const QFont labelFont = font(7.5), hotFont = font(7.5, true), detailFont = font(6.5), timeFont = font(7.5);
        const QFont neverFont = font(7.5, false, false, true);
        const qreal timeWidth = pt(52), barWidth = pt(60), gap = pt(6);
        const qreal textWidthAvail = width() - timeWidth - barWidth - 2 * gap;
        const qreal lhLabel = lineHeight(labelFont), lhDetail = lineHeight(detailFont);
        double total = plan.executionMs;
        for (const ReportPlanNode &n : plan.tree)
            total = std::max(total, n.inclusiveMs);
        const qreal step = pt(9);
        const QString arrow = QStringLiteral("→ ");

        ensure(lhLabel + pt(4));
        drawLine(QStringLiteral("Node"), font(7, true), Muted, m_flow.left(), m_y);
        const QString excl = QStringLiteral("Exclusive");
        drawLine(excl, font(7, true), Muted,
            m_flow.left() + textWidthAvail + gap + timeWidth - textWidth(excl, font(7, true)), m_y);
        drawLine(QStringLiteral("Share of the plan's time"), font(7, true), Muted, m_flow.right() - barWidth, m_y);
        m_y += lineHeight(font(7, true)) + pt(1);

        for (const ReportPlanNode &n : plan.tree) {
            // Deep trees keep indenting, but never past a third of the text column.
            const qreal indent = std::min<qreal>(n.depth * step, textWidthAvail / 3);
            const QFont &lf = n.neverExecuted ? neverFont : (n.hot ? hotFont : labelFont);
            const QString prefix = n.depth > 0 ? arrow : QString();
            const qreal prefixWidth = textWidth(prefix, lf);
            const QStringList labelLines = wrap(n.label, lf, textWidthAvail - indent - prefixWidth);
            const QStringList detailLines = n.detail.isEmpty()
                ? QStringList()
                : wrap(n.detail, detailFont, textWidthAvail - indent - prefixWidth);
            const qreal h = labelLines.size() * lhLabel + detailLines.size() * lhDetail + pt(2.5);
            ensure(h);
            const qreal top = m_y;
            const QColor color = n.neverExecuted ? Muted : (n.hot ? WrongRed : Ink);
            if (!prefix.isEmpty())
                drawLine(prefix, lf, Muted, m_flow.left() + indent, top);
            for (int i = 0; i < labelLines.size(); ++i)
                drawLine(labelLines[i], lf, color, m_flow.left() + indent + prefixWidth, top + i * lhLabel);
            for (int i = 0; i < detailLines.size(); ++i)
                drawLine(detailLines[i], detailFont, Muted, m_flow.left() + indent + prefixWidth,
                    top + labelLines.size() * lhLabel + i * lhDetail);
            const QString time = n.neverExecuted ? QStringLiteral("never executed") : formatMs(n.exclusiveMs);
            const QFont &tf = n.neverExecuted ? neverFont : (n.hot ? hotFont : timeFont);
            drawLine(time, tf, color, m_flow.left() + textWidthAvail + gap + timeWidth - textWidth(time, tf), top);
            if (!n.neverExecuted && total > 0) {
                const double share = std::clamp(n.exclusiveMs / total, 0.0, 1.0);
                const QRectF track(m_flow.right() - barWidth, top + lhLabel * 0.25, barWidth, lhLabel * 0.55);
                const QRectF bar(
                    track.left(), track.top(), std::max<qreal>(pt(0.5), track.width() * share), track.height());
                const QColor barColor = n.hot ? WrongRed : Accent;
                add([track, bar, barColor](QPainter &p) {
                    p.setPen(Qt::NoPen);
                    p.setBrush(HeaderBack);
                    p.drawRect(track);
                    p.setBrush(barColor);
                    p.drawRect(bar);
                    p.setBrush(Qt::NoBrush);
                });
            }
            const qreal bottom = top + h;
            add([=, left = m_flow.left(), right = m_flow.right()](QPainter &p) {
                p.setPen(QPen(QColor(0xe4, 0xe4, 0xe4), pt(0.3)));
                p.drawLine(QPointF(left + indent, bottom - pt(1)), QPointF(right, bottom - pt(1)));
            });
            m_y = bottom;
        }
    }

    // A recorded chart, scaled to the text width (and down further when it is taller than a page).
    void picture(const QPicture &pic, const QSizeF &size)
    {
        if (size.isEmpty())
            return;
        qreal scale = width() / size.width();
        if (size.height() * scale > m_flow.height())
            scale = m_flow.height() / size.height();
        const qreal h = size.height() * scale;
        ensure(h);
        const QPointF origin(m_flow.left(), m_y);
        // QPainter::drawPicture() scales by the ratio of the target's resolution to the picture's; undo that
        // so `scale` alone maps the picture's logical pixels to the page.
        const qreal dpiRatioX = qreal(pic.logicalDpiX()) / m_device->logicalDpiX();
        const qreal dpiRatioY = qreal(pic.logicalDpiY()) / m_device->logicalDpiY();
        add([pic, origin, scale, dpiRatioX, dpiRatioY](QPainter &p) {
            p.save();
            p.translate(origin);
            p.scale(scale * dpiRatioX, scale * dpiRatioY);
            p.drawPicture(QPointF(0, 0), pic);
            p.restore();
        });
        m_y += h;
    }

private:
    QPaintDevice *m_device;
    QRectF m_flow;
    qreal m_y = 0;
};

Error cancelled()
{
    return Error::make(errc::Cancelled, QStringLiteral("Writing the report was cancelled."));
}

QString markWord(ReportMark m)
{
    switch (m) {
    case ReportMark::Winner:
        return QStringLiteral("WINNER");
    case ReportMark::Wrong:
        return QStringLiteral("WRONG ROWS");
    case ReportMark::Failed:
        return QStringLiteral("NO RESULT");
    case ReportMark::Stale:
        return QStringLiteral("STALE");
    case ReportMark::Slower:
        return QStringLiteral("SLOWER");
    case ReportMark::Baseline:
        return QStringLiteral("BASELINE");
    case ReportMark::None:
        break;
    }
    return QString();
}

QPalette printPalette()
{
    QPalette pal;
    for (auto group : { QPalette::Active, QPalette::Inactive, QPalette::Disabled }) {
        pal.setColor(group, QPalette::Window, Qt::white);
        pal.setColor(group, QPalette::Base, Qt::white);
        pal.setColor(group, QPalette::WindowText, Ink);
        pal.setColor(group, QPalette::Text, Ink);
        pal.setColor(group, QPalette::Highlight, Accent);
        pal.setColor(group, QPalette::HighlightedText, Qt::white);
        pal.setColor(group, QPalette::PlaceholderText, Muted);
        pal.setColor(group, QPalette::Mid, Rule);
    }
    return pal;
}

} // namespace

Result<QPageSize::PageSizeId> reportPageSizeFromString(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("a4"))
        return QPageSize::A4;
    if (t == QLatin1String("letter"))
        return QPageSize::Letter;
    return Error::make(errc::Input, QStringLiteral("Unknown page size '%1': use a4 or letter.").arg(text));
}

ReportRenderer::ReportRenderer(ReportContent content, ReportOptions options)
    : m_content(std::move(content)), m_options(options)
{
}

void ReportRenderer::prepareCharts()
{
    m_charts.clear();
    m_chartsPrepared = true;
    if (!m_options.charts)
        return;
    // The chart is laid out at 720 x h logical pixels and scaled to the text width (about 180 mm on A4):
    // 8-point labels come out near 7.5 points on paper, readable in print.
    constexpr int chartWidth = 720;
    for (int i = 0; i < m_content.summaries.size(); ++i) {
        const ReportWorkloadSummary &s = m_content.summaries[i];
        charts::ChartOptions options;
        options.workloadKey = s.workloadKey;
        options.palette = printPalette();
        // A pixel size, not a point size: QPicture replays point-sized fonts at the PDF's resolution, which
        // would multiply them by the scale the picture is drawn at.
        options.font = font(8);
        options.font.setPixelSize(11);
        options.showTitle = false;
        options.order = s.rankedIds; // the bars in the order of the ranking table above them
        const QList<const StrategyRun *> runs = charts::chartedRuns(m_content.session, options);
        int measured = 0;
        double lo = 0, hi = 0;
        for (const StrategyRun *r : runs) {
            if (r->outcome != RunOutcome::Ok || r->stats.count <= 0)
                continue;
            lo = measured ? std::min(lo, r->stats.p50Ms) : r->stats.p50Ms;
            hi = measured ? std::max(hi, r->stats.p50Ms) : r->stats.p50Ms;
            ++measured;
        }
        if (measured == 0)
            continue;
        // Medians spanning more than a factor of 30 are unreadable on a linear axis.
        options.logScale = lo > 0 && hi / lo > 30;
        const int height = 70 + 26 * int(runs.size());

        for (int kind = 0; kind < 2; ++kind) {
            QCustomPlot plot;
            plot.setAttribute(Qt::WA_DontShowOnScreen);
            plot.resize(chartWidth, height);
            if (kind == 0)
                charts::plotMedians(&plot, m_content.session, options);
            else
                charts::plotRuns(&plot, m_content.session, options);
            plot.replot(QCustomPlot::rpImmediateRefresh);
            Chart chart;
            chart.summaryIndex = i;
            chart.size = QSizeF(chartWidth, height);
            chart.caption = kind == 0
                ? QStringLiteral(
                    "Median client time per strategy, whiskers from p5 to p95%1. Red: different rows; amber: stale.")
                      .arg(options.logScale ? QStringLiteral(", logarithmic axis") : QString())
                : QStringLiteral(
                    "Every measured run in the order it ran%1: drift, warm-up effects and outliers show here.")
                      .arg(options.logScale ? QStringLiteral(" (logarithmic axis)") : QString());
            QCPPainter painter(&chart.picture);
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            plot.toPainter(&painter, chartWidth, height);
            painter.end();
            m_charts.append(chart);
        }
    }
}

Result<ReportLayout> ReportRenderer::writePdf(
    const QString &path, CancelToken *cancel, const ProgressFn &progress) const
{
    auto report = [&](qint64 done, qint64 total, const QString &text) {
        if (progress)
            progress(done, total, text);
    };
    auto isCancelled = [&] { return cancel && cancel->isCancelled(); };

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::make(
            errc::Io, QStringLiteral("Cannot write the report to %1: %2.").arg(path, file.errorString()));

    QPdfWriter writer(&file);
    writer.setResolution(Dpi);
    writer.setPageSize(QPageSize(m_options.pageSize));
    writer.setPageMargins(QMarginsF(15, 12, 15, 12), QPageLayout::Millimeter);
    writer.setTitle(m_content.title + QStringLiteral(" · ") + m_content.headerText);
    writer.setCreator(QStringLiteral("PlanSight " PLANSIGHT_VERSION));

    const QRectF paintRect
        = writer.pageLayout().paintRectPixels(Dpi).translated(-writer.pageLayout().paintRectPixels(Dpi).topLeft());
    const qreal headerBand = mm(9), footerBand = mm(8);
    const QRectF flow(paintRect.left(), paintRect.top() + headerBand, paintRect.width(),
        paintRect.height() - headerBand - footerBand);

    const ReportContent &c = m_content;
    Composer doc(&writer, flow);
    ReportLayout layout;
    const QFont body = font(9), bodyBold = font(9, true), small = font(8), smallBold = font(8, true);
    const QFont h1 = font(16, true), h2 = font(11.5, true), h3 = font(9.5, true);
    auto part = [&](const QString &heading) { layout.parts.append({ heading, doc.pageNumber() }); };
    auto section = [&](const QString &title) { doc.heading(title, h3, Accent, pt(9), pt(3), pt(24)); };

    report(0, 0, QStringLiteral("Laying out the report"));

    // Title page.
    part(c.title);
    doc.space(0);
    doc.heading(QStringLiteral("PlanSight report"), font(10, true), Accent, 0, pt(6), 0);
    doc.heading(c.title, font(22, true), Ink, 0, pt(10), 0);
    doc.paragraph(c.question, font(10.5), Ink, 0, 3);
    if (!c.questionWorkloads.isEmpty()) {
        doc.space(pt(2));
        doc.bullets(c.questionWorkloads, font(8));
    }
    doc.space(pt(10));
    // The review's expectations against the measurements first: the question the session was run to answer.
    if (!c.review.table.rows.isEmpty()) {
        doc.heading(QStringLiteral("The review's expectations against the measurements"), h2, Accent, 0, pt(3), pt(40));
        doc.paragraph(c.review.intro, small, Muted, 0, 2);
        doc.space(pt(3));
        doc.table(c.review.table, 6.5);
        if (!c.review.caveat.isEmpty()) {
            doc.space(pt(3));
            doc.paragraph(c.review.caveat, smallBold, StaleAmber, 0, 2);
        }
        doc.space(pt(3));
        doc.paragraph(QStringLiteral("Met: the median is within or below the review's range, with the baseline's rows. "
                                     "A run with other rows, or none, is never met. Median: client time of the "
                                     "statement, as the ranking below uses it."),
            font(7), Muted);
        doc.space(pt(10));
    }
    // The recommendation and its trade-offs, for whoever decides; the facts it rests on below it.
    const ReportRecommendation &rec = c.recommendation;
    doc.heading(QStringLiteral("Recommendation"), h2, Accent, 0, pt(3), pt(40));
    doc.paragraph(
        rec.headline, font(10.5, true), rec.headline.startsWith(QStringLiteral("Adopt")) ? Ink : StaleAmber, 0, 3);
    if (!rec.reasons.isEmpty()) {
        doc.space(pt(2));
        doc.bullets(rec.reasons, small);
    }
    if (!rec.tradeOffs.rows.isEmpty()) {
        doc.space(pt(6));
        doc.table(rec.tradeOffs, 7.5);
        doc.space(pt(3));
        doc.paragraph(
            QStringLiteral("Speed-up: today's median / the strategy's median, with the baseline's rows. Write cost: "
                           "the extra time to insert one item with 75 tags. Staleness: how far behind the "
                           "tables its answers may be."),
            font(7), Muted);
        section(QStringLiteral("What each takes to run in production"));
        doc.facts(rec.operations, smallBold, small, 0.2);
    }
    if (!rec.scaleCaveat.isEmpty()) {
        doc.space(pt(6));
        doc.paragraph(rec.scaleCaveat, bodyBold, StaleAmber, 0, 2);
    }
    if (!c.machineWarning.isEmpty()) {
        doc.space(pt(6));
        doc.paragraph(c.machineWarning, bodyBold, StaleAmber, 0, 2);
    }
    if (!c.warnings.isEmpty()) {
        doc.heading(QStringLiteral("Warnings of the session"), h3, StaleAmber, pt(8), pt(3), pt(12));
        doc.bullets(c.warnings, small);
    }
    section(QStringLiteral("Where and how it was measured"));
    doc.facts(c.titleFacts, small, small, 0.22);
    if (isCancelled())
        return cancelled();

    // Summary: one per workload, with its charts.
    for (int i = 0; i < c.summaries.size(); ++i) {
        const ReportWorkloadSummary &s = c.summaries[i];
        doc.newPage();
        const QString title
            = c.summaries.size() > 1 ? QStringLiteral("Summary: %1").arg(s.workloadName) : QStringLiteral("Summary");
        part(title);
        doc.heading(title, h1, Ink, 0, pt(4), 0);
        doc.paragraph(s.workloadText, small, Muted);
        doc.space(pt(6));
        doc.paragraph(s.verdict, font(10.5, true), s.winnerId.isEmpty() ? StaleAmber : Ink, 0, 3);
        if (!c.machineWarning.isEmpty())
            doc.paragraph(c.machineWarning, small, StaleAmber, 0, 2);
        doc.space(pt(8));
        doc.table(s.ranking, 7.5);
        doc.space(pt(4));
        doc.paragraph(
            QStringLiteral("Ranked by median client time. Strategies that returned the baseline's rows come first; "
                           "wrong (different rows) and unfinished strategies are never ranked. A winner's speed-up "
                           "interval lies entirely above 1x; SLOWER (orange): the interval lies entirely below 1x. "
                           "Speed-up: baseline median / strategy median. Write cost: extra time to insert one item "
                           "with 75 tags, shown only where the spreads of repeated probes do not overlap."),
            font(7), Muted);
        if (!s.notes.isEmpty()) {
            section(QStringLiteral("What did not go as planned"));
            doc.bullets(s.notes, small);
        }
        for (const Chart &chart : m_charts) {
            if (chart.summaryIndex != i)
                continue;
            doc.space(pt(10));
            const qreal lh = doc.lineHeight(font(7.5));
            doc.ensure(lh * 2 + chart.size.height() * doc.width() / chart.size.width());
            doc.picture(chart.picture, chart.size);
            doc.paragraph(chart.caption, font(7.5, false, false, true), Muted);
        }
        if (isCancelled())
            return cancelled();
    }

    auto planFacts = [&](const ReportPlan &plan) {
        return QStringLiteral("Execution %1, planning %2, %3 nodes")
            .arg(formatMs(plan.executionMs), formatMs(plan.planningMs))
            .arg(plan.totalNodes);
    };
    // A further workload of a strategy shown in full before: its verdict, measurements and plan times, after the
    // previous section on the same page.
    auto compactSection = [&](const ReportStrategySection &sec) {
        part(sec.heading);
        doc.heading(sec.heading, h2, Ink, pt(14), pt(2), pt(90));
        const QString word = markWord(sec.mark);
        if (!word.isEmpty())
            doc.paragraph(word, font(8.5, true), sec.mark == ReportMark::Baseline ? Accent : markColor(sec.mark));
        doc.paragraph(sec.workloadName, small, Muted);
        doc.paragraph(sec.verdict, bodyBold, sec.mark == ReportMark::Failed ? markColor(sec.mark) : Ink, 0, 3);
        doc.space(pt(3));
        doc.facts(sec.measurements, small, small, 0.28);
        doc.space(pt(3));
        QString plan = sec.plan.available ? QString(planFacts(sec.plan) + QStringLiteral(". "))
                                          : QString(sec.plan.note + QLatin1Char(' '));
        if (!sec.plan.diffSummary.isEmpty())
            plan += sec.plan.diffSummary + QLatin1Char(' ');
        plan += QStringLiteral("Description, SQL, plan tree and footprint: %1 (the window and the session's JSON have "
                               "this run's plan).")
                    .arg(sec.fullSection);
        doc.paragraph(plan, small, Muted);
    };

    // One section per strategy run.
    for (int i = 0; i < c.sections.size(); ++i) {
        const ReportStrategySection &sec = c.sections[i];
        report(i, c.sections.size(), QStringLiteral("Laying out %1").arg(sec.strategyId));
        if (sec.compact) {
            compactSection(sec);
            continue;
        }
        doc.newPage();
        part(sec.heading);
        doc.heading(sec.heading, h1, Ink, 0, pt(2), 0);
        const QString word = markWord(sec.mark);
        if (!word.isEmpty())
            doc.paragraph(word, font(8.5, true), sec.mark == ReportMark::Baseline ? Accent : markColor(sec.mark));
        if (!sec.workloadName.isEmpty())
            doc.paragraph(sec.workloadName, small, Muted);
        doc.space(pt(4));
        doc.paragraph(sec.verdict, bodyBold,
            sec.mark == ReportMark::Wrong || sec.mark == ReportMark::Failed ? markColor(sec.mark) : Ink, 0, 3);
        doc.space(pt(4));
        doc.paragraph(sec.description, body, Ink, 0, 3);

        section(QStringLiteral("Measurements"));
        doc.facts(sec.measurements, small, small, 0.28);

        if (!sec.sql.isEmpty() || !sec.sqlSameAs.isEmpty()) {
            section(QStringLiteral("The SQL it ran"));
            if (!sec.sql.isEmpty())
                doc.code(sec.sql, 7);
            else
                doc.paragraph(QStringLiteral("The same SQL as %1.").arg(sec.sqlSameAs), small, Muted);
            if (!sec.params.isEmpty()) {
                doc.space(pt(3));
                doc.paragraph(
                    QStringLiteral("Bound parameters: ") + sec.params.join(QStringLiteral("; ")), font(7.5), Muted);
            }
        }

        section(QStringLiteral("Plan"));
        if (sec.plan.available) {
            QString facts = planFacts(sec.plan);
            if (sec.plan.hiddenNodes > 0)
                facts += QStringLiteral("; %1 nodes under %2% of the time are not shown")
                             .arg(sec.plan.hiddenNodes)
                             .arg(1);
            doc.paragraph(facts + QLatin1Char('.'), small, Muted);
            if (!sec.plan.pruning.isEmpty())
                doc.paragraph(sec.plan.pruning + QLatin1Char('.'), small);
            if (!sec.plan.note.isEmpty())
                doc.paragraph(sec.plan.note, small, StaleAmber);
            doc.space(pt(3));
            doc.planTree(sec.plan);
            if (!sec.plan.topNodes.rows.isEmpty()) {
                section(QStringLiteral("The ten nodes with the most exclusive time"));
                doc.table(sec.plan.topNodes, 7.5);
            }
            if (!sec.plan.diffSummary.isEmpty() || !sec.plan.diffDetails.isEmpty()) {
                section(QStringLiteral("Against the baseline's plan"));
                if (!sec.plan.diffSummary.isEmpty())
                    doc.paragraph(sec.plan.diffSummary, body);
                doc.space(pt(2));
                doc.bullets(sec.plan.diffDetails, small);
            }
        } else {
            doc.paragraph(sec.plan.note, body, Muted);
        }

        // The footprint is short: kept on one page with its heading.
        doc.heading(QStringLiteral("Footprint"), h3, Accent, pt(9), pt(3),
            std::min(
                doc.lineHeight(small) * (sec.footprint.size() + sec.objects.size() + 1) + pt(12), flow.height() / 3));
        doc.facts(sec.footprint, small, small, 0.28);
        if (!sec.objects.isEmpty()) {
            doc.space(pt(2));
            doc.paragraph(QStringLiteral("Objects it created:"), small, Muted);
            doc.bullets(sec.objects, font(7.5, false, true));
        }
        if (isCancelled())
            return cancelled();
    }

    // Appendix.
    doc.newPage();
    part(QStringLiteral("Appendix"));
    doc.heading(QStringLiteral("Appendix"), h1, Ink, 0, pt(4), 0);
    section(QStringLiteral("How the numbers were measured"));
    doc.facts(c.method, small, small, 0.28);
    doc.space(pt(3));
    doc.bullets(c.methodNotes, small);
    section(QStringLiteral("Machine"));
    doc.facts(c.machineFacts, small, small, 0.28);
    if (!c.machineWarning.isEmpty())
        doc.paragraph(c.machineWarning, small, StaleAmber);
    section(QStringLiteral("Dataset"));
    QList<ReportFact> dataset = c.datasetFacts;
    dataset.append({ QStringLiteral("Fingerprint"), c.datasetFingerprint });
    doc.facts(dataset, small, small, 0.28);
    section(QStringLiteral("Server settings that change plans or speed (those not at their default)"));
    if (c.settings.rows.isEmpty())
        doc.paragraph(c.settingsRecorded ? QStringLiteral("None: the planner and the executor ran with their defaults.")
                                         : QStringLiteral("The server's settings were not recorded."),
            small, Muted);
    else
        doc.table(c.settings, 7.5);
    if (!c.ddl.isEmpty()) {
        // Each strategy's DDL, its rollback and the locks they take, as PlanSight runs them on a server that is not
        // the demo (ReportDdl).
        doc.newPage(); // within the appendix: the first pages stay the decision's
        doc.heading(
            QStringLiteral("Changing production: each strategy's DDL, rollback and locks"), h2, Ink, 0, pt(3), 0);
        doc.paragraph(QStringLiteral("As PlanSight runs them on a server that is not its demo: every statement under a "
                                     "lock_timeout (5 s unless --lock-timeout says otherwise), so that a lock it "
                                     "cannot get stops it instead of queueing the application behind it; indexes on "
                                     "existing tables are built with CREATE INDEX CONCURRENTLY where the strategy "
                                     "allows it. plansight strategies apply ID --dry-run prints the same text. The "
                                     "locks are read from the statement kinds (docs/production.md)."),
            small, Muted, 0, 3);
        for (const ReportDdl &d : c.ddl) {
            doc.heading(d.heading, h3, Accent, pt(9), pt(3), pt(36));
            doc.paragraph(QStringLiteral("Locks it takes on existing tables:"), small, Muted);
            doc.bullets(d.applyLocks.isEmpty() ? QStringList { QStringLiteral("none") } : d.applyLocks, small);
            doc.space(pt(2));
            doc.code(d.applySql, 6.5);
            doc.space(pt(3));
            doc.paragraph(
                QStringLiteral("Rollback (plansight strategies revert %1); locks it takes:").arg(d.strategyId), small,
                Muted);
            doc.bullets(d.revertLocks.isEmpty() ? QStringList { QStringLiteral("none") } : d.revertLocks, small);
            doc.space(pt(2));
            doc.code(d.revertSql, 6.5);
        }
    }
    if (isCancelled())
        return cancelled();

    // Paint: header, page body, footer.
    QPainter painter;
    if (!painter.begin(&writer)) {
        file.cancelWriting();
        return Error::make(errc::Io, QStringLiteral("Cannot write the report to %1.").arg(path));
    }
    painter.setRenderHint(QPainter::Antialiasing);
    const int total = int(doc.pages.size());
    const QFont headerFont = font(7), footerFont = font(7);
    const qreal headerAscent = QFontMetricsF(headerFont, &writer).ascent();
    for (int p = 0; p < total; ++p) {
        if (isCancelled()) {
            painter.end();
            file.cancelWriting();
            return cancelled();
        }
        report(p, total, QStringLiteral("Writing page %1 of %2").arg(p + 1).arg(total));
        if (p > 0)
            writer.newPage();
        painter.setFont(headerFont);
        painter.setPen(Muted);
        const QString header
            = QFontMetricsF(headerFont, &writer).elidedText(c.headerText, Qt::ElideMiddle, paintRect.width());
        painter.drawText(QPointF(paintRect.left(), paintRect.top() + headerAscent), header);
        painter.setPen(QPen(Rule, pt(0.5)));
        const qreal ruleY = paintRect.top() + headerBand - mm(3);
        painter.drawLine(QPointF(paintRect.left(), ruleY), QPointF(paintRect.right(), ruleY));
        for (const DrawOp &op : doc.pages[p])
            op(painter);
        painter.setFont(footerFont);
        painter.setPen(Muted);
        const qreal footY = paintRect.bottom() - mm(2);
        painter.drawText(QPointF(paintRect.left(), footY), QStringLiteral("PlanSight " PLANSIGHT_VERSION));
        const QString pageText = QStringLiteral("Page %1 of %2").arg(p + 1).arg(total);
        painter.drawText(
            QPointF(paintRect.right() - QFontMetricsF(footerFont, &writer).horizontalAdvance(pageText), footY),
            pageText);
    }
    painter.end();
    if (!file.commit())
        return Error::make(
            errc::Io, QStringLiteral("Cannot write the report to %1: %2.").arg(path, file.errorString()));
    report(total, total, QStringLiteral("Wrote %1 pages").arg(total));
    layout.pages = total;
    return layout;
}

Status writeReport(const SessionResult &session, const QString &pdfPath, const ReportOptions &options,
    CancelToken *cancel, const ProgressFn &progress)
{
    ReportRenderer renderer(
        buildReportContent(session, options.expectations ? &*options.expectations : nullptr), options);
    renderer.prepareCharts();
    auto written = renderer.writePdf(pdfPath, cancel, progress);
    if (!written)
        return written.error();
    return {};
}

} // namespace plansight
