#include "timingcharts.h"

#include "present/ranking.h"
#include "present/words.h"
#include "session/statistics.h"

#include <QGuiApplication>
#include <QMap>
#include <QSet>
#include <QSharedPointer>

#include "qcustomplotinclude.h"

#include <algorithm>
#include <cmath>

namespace plansight::charts {

namespace {

QPalette effectivePalette(const ChartOptions &o)
{
    return o.palette;
}

bool isDark(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

QColor gridColor(const QPalette &p)
{
    QColor c = p.color(QPalette::WindowText);
    c.setAlpha(isDark(p) ? 60 : 45);
    return c;
}

// Colours and fonts of the axes, legend and background from the palette, so charts read in light and dark
// themes and in the report (which passes a light palette).
void styleAxes(QCustomPlot *plot, const ChartOptions &o)
{
    const QPalette pal = effectivePalette(o);
    const QColor text = pal.color(QPalette::WindowText);
    plot->setBackground(QBrush(pal.color(QPalette::Base)));
    for (QCPAxis *axis : { plot->xAxis, plot->yAxis, plot->xAxis2, plot->yAxis2 }) {
        axis->setBasePen(QPen(text, 1));
        axis->setTickPen(QPen(text, 1));
        axis->setSubTickPen(QPen(text, 1));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->setTickLabelFont(o.font);
        QFont labelFont = o.font;
        axis->setLabelFont(labelFont);
        axis->grid()->setPen(QPen(gridColor(pal), 1, Qt::DotLine));
        axis->grid()->setSubGridVisible(false);
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    plot->legend->setFont(o.font);
    plot->legend->setTextColor(text);
    plot->legend->setBrush(QBrush(pal.color(QPalette::Base)));
    plot->legend->setBorderPen(QPen(gridColor(pal)));
}

void resetPlot(QCustomPlot *plot, const ChartOptions &o)
{
    plot->clearPlottables();
    plot->clearItems();
    plot->clearGraphs();
    // A title row from an earlier call is removed; the axis rect stays at (0, 0) or (1, 0).
    if (plot->plotLayout()->rowCount() > 1) {
        if (auto *el = plot->plotLayout()->element(0, 0); el && !qobject_cast<QCPAxisRect *>(el)) {
            plot->plotLayout()->remove(el);
            plot->plotLayout()->simplify();
        }
    }
    plot->xAxis->setScaleType(QCPAxis::stLinear);
    plot->yAxis->setScaleType(QCPAxis::stLinear);
    plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->xAxis->setRangeReversed(false);
    plot->yAxis->setRangeReversed(false);
    plot->xAxis->setLabel(QString());
    plot->yAxis->setLabel(QString());
    plot->xAxis->setTickLabels(true);
    plot->yAxis->setTickLabels(true);
    plot->xAxis->grid()->setVisible(true);
    plot->yAxis->grid()->setVisible(true);
    plot->legend->setVisible(false);
    styleAxes(plot, o);
}

void addTitle(QCustomPlot *plot, const ChartOptions &o, const QString &title)
{
    if (!o.showTitle || title.isEmpty())
        return;
    plot->plotLayout()->insertRow(0);
    QFont f = o.font;
    f.setBold(true);
    auto *t = new QCPTextElement(plot, title, f);
    t->setTextColor(effectivePalette(o).color(QPalette::WindowText));
    plot->plotLayout()->addElement(0, 0, t);
}

void addNote(QCustomPlot *plot, const ChartOptions &o, const QString &text)
{
    auto *note = new QCPItemText(plot);
    note->position->setType(QCPItemPosition::ptAxisRectRatio);
    note->position->setCoords(0.5, 0.5);
    note->setText(text);
    note->setFont(o.font);
    note->setColor(effectivePalette(o).color(QPalette::PlaceholderText));
    plot->xAxis->setTickLabels(false);
    plot->yAxis->setTickLabels(false);
    plot->xAxis->grid()->setVisible(false);
    plot->yAxis->grid()->setVisible(false);
}

void setTimeAxis(QCPAxis *axis, bool log, double lo, double hi)
{
    if (log) {
        axis->setScaleType(QCPAxis::stLogarithmic);
        auto ticker = QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog);
        ticker->setLogBase(10);
        ticker->setSubTickCount(8);
        axis->setTicker(ticker);
        axis->setNumberFormat(QStringLiteral("gb"));
        const double low = std::max(lo, 1e-3);
        axis->setRange(low / 1.6, std::max(hi, low * 10) * 1.6);
    } else {
        axis->setScaleType(QCPAxis::stLinear);
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        axis->setNumberFormat(QStringLiteral("gb"));
        axis->setRange(0, hi > 0 ? hi * 1.08 : 1);
    }
    axis->setLabel(QStringLiteral("time (ms)"));
}

QString numbersText(const StrategyRun &run)
{
    const double p5 = run.timingsMs.size() >= 2 ? quantile(run.timingsMs, 0.05) : run.stats.minMs;
    QString text = run.strategyTitle.isEmpty()
        ? run.strategyId
        : run.strategyTitle + QStringLiteral(" (") + run.strategyId + QLatin1Char(')');
    text += QLatin1Char('\n') + run.workload.describe();
    if (run.outcome != RunOutcome::Ok) {
        text += QStringLiteral("\n%1: %2").arg(outcomeWords(run.outcome), run.error);
        return text;
    }
    text += QStringLiteral("\nmedian %1   p5 %2   p95 %3")
                .arg(formatMs(run.stats.p50Ms), formatMs(p5), formatMs(run.stats.p95Ms));
    text += QStringLiteral("\nmin %1   max %2   %3 runs, %4 cache")
                .arg(formatMs(run.stats.minMs), formatMs(run.stats.maxMs))
                .arg(run.stats.count)
                .arg(toString(run.cache));
    if (run.planningMs >= 0 || run.executionMs >= 0)
        text += QStringLiteral("\nserver time %1, EXPLAIN ANALYZE").arg(serverTimeWords(run));
    if (run.preparedStats.count > 0)
        text += QStringLiteral("\nprepared once: median %1").arg(formatMs(run.preparedStats.p50Ms));
    if (run.speedup.valid)
        text += QStringLiteral("\nspeed-up %1 (95% interval)").arg(formatSpeedUpWithInterval(run.speedup));
    text += QStringLiteral("\nresult check: %1").arg(checkWords(run.check));
    if (!run.checkDetail.isEmpty())
        text += QStringLiteral(" (") + run.checkDetail + QLatin1Char(')');
    return text;
}

// The categorical axis of medians and runs charts: one row per run, first at the top.
void setCategoryAxis(QCPAxis *axis, const QList<const StrategyRun *> &runs, bool several)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    for (int i = 0; i < runs.size(); ++i) {
        QString label = runLabel(*runs[i], several);
        if (runs[i]->outcome != RunOutcome::Ok)
            label += QStringLiteral(" (") + toString(runs[i]->outcome) + QLatin1Char(')');
        ticker->addTick(i, label);
    }
    axis->setTicker(ticker);
    axis->setRangeReversed(true);
    axis->setRange(-0.6, std::max<qsizetype>(runs.size(), 1) - 0.4);
    axis->grid()->setVisible(false);
    axis->setSubTicks(false);
    axis->setTickLength(0, 4);
}

bool severalWorkloadsIn(const QList<const StrategyRun *> &runs)
{
    QSet<QString> keys;
    for (const StrategyRun *r : runs)
        keys.insert(r->workload.key());
    return keys.size() > 1;
}

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

// One line of the deep-page chart: a strategy, and whether its pages were reached by cursor.
QString deepSeries(const StrategyRun &r)
{
    return r.workload.byCursor && r.workload.page > 1 ? r.strategyId + QStringLiteral(" by cursor") : r.strategyId;
}

} // namespace

QColor checkColor(ResultCheck check, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (check) {
    case ResultCheck::Different:
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xd0, 0x21, 0x21);
    case ResultCheck::Stale:
        return dark ? QColor(0xff, 0xc0, 0x4d) : QColor(0xd9, 0x82, 0x00);
    case ResultCheck::Failed:
    case ResultCheck::BothEmpty:
        return dark ? QColor(0x90, 0x90, 0x90) : QColor(0x80, 0x80, 0x80);
    case ResultCheck::Same:
    case ResultCheck::NotChecked:
        break;
    }
    // The palette's highlight is often a saturated blue; fall back to a fixed one when it is too pale or too
    // close to the background to read as a bar.
    const QColor hl = palette.color(QPalette::Highlight);
    if (hl.saturation() > 60 && std::abs(hl.lightness() - palette.color(QPalette::Base).lightness()) > 60)
        return hl;
    return dark ? QColor(0x5a, 0xa9, 0xe6) : QColor(0x1f, 0x6f, 0xb8);
}

QString runLabel(const StrategyRun &run, bool severalWorkloads)
{
    if (!severalWorkloads)
        return run.strategyId;
    QStringList parts;
    const Workload &w = run.workload;
    if (w.tagIds.isEmpty())
        parts << QStringLiteral("no tag");
    else if (w.tagIds.size() > 1)
        parts << QStringLiteral("%1 tags %2")
                     .arg(w.tagIds.size())
                     .arg(w.match == TagMatch::All ? QStringLiteral("all") : QStringLiteral("any"));
    if (w.page != 1)
        parts << QStringLiteral("page %1%2").arg(w.page).arg(w.byCursor ? QStringLiteral(" by cursor") : QString());
    if (parts.isEmpty())
        parts << w.name;
    return run.strategyId + QStringLiteral(" · ") + parts.join(QStringLiteral(", "));
}

QList<Workload> sessionWorkloads(const SessionResult &session)
{
    QList<Workload> out;
    QSet<QString> seen;
    for (const StrategyRun &r : session.runs) {
        const QString k = r.workload.key();
        if (!seen.contains(k)) {
            seen.insert(k);
            out << r.workload;
        }
    }
    return out;
}

QList<const StrategyRun *> chartedRuns(const SessionResult &session, const ChartOptions &options)
{
    QList<const StrategyRun *> out;
    for (const StrategyRun &r : session.runs) {
        if (!options.workloadKey.isEmpty() && r.workload.key() != options.workloadKey)
            continue;
        out << &r;
    }
    if (!options.order.isEmpty()) {
        const auto rank = [&options](const StrategyRun *r) {
            const qsizetype i = options.order.indexOf(r->strategyId);
            return i < 0 ? options.order.size() : i;
        };
        std::stable_sort(
            out.begin(), out.end(), [&rank](const StrategyRun *a, const StrategyRun *b) { return rank(a) < rank(b); });
    }
    return out;
}

bool hasDeepPages(const SessionResult &session)
{
    QMap<QString, QSet<int>> pages;
    for (const StrategyRun &r : session.runs)
        if (r.outcome == RunOutcome::Ok)
            pages[deepSeries(r)].insert(r.workload.page);
    for (const auto &set : std::as_const(pages))
        if (set.size() >= 2)
            return true;
    return false;
}

QColor slowerColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x8c, 0x42) : QColor(0xe8, 0x5d, 0x04);
}

QList<ChartHit> plotMedians(QCustomPlot *plot, const SessionResult &session, const ChartOptions &options)
{
    resetPlot(plot, options);
    QList<ChartHit> hits;
    const auto runs = chartedRuns(session, options);
    addTitle(plot, options, QStringLiteral("Median time per strategy (whiskers: p5-p95)"));
    if (runs.isEmpty()) {
        addNote(plot, options, QStringLiteral("No runs yet: pick strategies and press Run (F5)."));
        return hits;
    }
    const bool several = severalWorkloadsIn(runs);
    const QPalette pal = effectivePalette(options);

    // One series per colour class so each can carry its own pen and brush; error bars follow each series.
    struct Series {
        ResultCheck check;
        bool slower = false;
        QVector<double> keys, values, minus, plus;
    };
    constexpr int SlowerClass = 100; // after every ResultCheck
    QMap<int, Series> series; // by ResultCheck, in enum order, then the runs slower than the baseline
    double lo = std::numeric_limits<double>::max(), hi = 0;
    for (int i = 0; i < runs.size(); ++i) {
        const StrategyRun &r = *runs[i];
        if (r.outcome != RunOutcome::Ok || r.stats.count == 0) {
            hits << ChartHit { QRectF(0, i - 0.4, 0, 0.8), numbersText(r) };
            continue;
        }
        const double p5 = r.timingsMs.size() >= 2 ? quantile(r.timingsMs, 0.05) : r.stats.minMs;
        const double p95 = r.timingsMs.size() >= 2 ? quantile(r.timingsMs, 0.95) : r.stats.p95Ms;
        const double p50 = r.stats.p50Ms;
        const ResultCheck cls = r.check == ResultCheck::Same ? ResultCheck::NotChecked : r.check;
        // Slower than the baseline is its own colour (orange), unless the rows already say worse (red).
        const bool slower = isClearlySlower(r) && (cls == ResultCheck::NotChecked || cls == ResultCheck::Stale);
        Series &s = series[slower ? SlowerClass : int(cls)];
        s.check = cls;
        s.slower = slower;
        s.keys << i;
        s.values << p50;
        s.minus << std::max(0.0, p50 - p5);
        s.plus << std::max(0.0, p95 - p50);
        lo = std::min(lo, std::max(p5, 1e-3));
        hi = std::max(hi, std::max(p95, p50));
        hits << ChartHit { QRectF(0, i - 0.4, std::max(p95, p50), 0.8), numbersText(r) };
    }
    for (auto it = series.cbegin(); it != series.cend(); ++it) {
        const Series &s = it.value();
        const QColor c = s.slower ? slowerColor(pal) : checkColor(s.check, pal);
        QCPAbstractPlottable *data = nullptr;
        if (options.logScale) {
            // Bars need a zero base, which a log axis does not have: points with whiskers instead.
            auto *g = new QCPGraph(plot->yAxis, plot->xAxis);
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, c, c, 10));
            g->setData(s.keys, s.values, true);
            data = g;
        } else {
            auto *b = new QCPBars(plot->yAxis, plot->xAxis);
            b->setWidth(0.62);
            b->setPen(QPen(c.darker(120), 1));
            b->setBrush(withAlpha(c, 200));
            b->setData(s.keys, s.values, true);
            data = b;
        }
        data->setName(s.slower                       ? QStringLiteral("slower than the baseline")
                : s.check == ResultCheck::NotChecked ? QStringLiteral("same rows / not checked")
                                                     : checkWords(s.check));
        auto *err = new QCPErrorBars(plot->yAxis, plot->xAxis);
        err->removeFromLegend();
        err->setDataPlottable(data);
        err->setErrorType(QCPErrorBars::etValueError);
        err->setPen(QPen(pal.color(QPalette::WindowText), 1.2));
        err->setWhiskerWidth(7);
        err->setData(s.minus, s.plus);
    }
    setCategoryAxis(plot->yAxis, runs, several);
    setTimeAxis(plot->xAxis, options.logScale, lo == std::numeric_limits<double>::max() ? 1 : lo, hi);
    plot->xAxis->setLabel(QStringLiteral("client time per query, median with p5-p95 (ms)"));
    // The legend only earns its place when colours mean something beyond "measured".
    plot->legend->setVisible(options.showLegend && series.size() > 1);
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    return hits;
}

QList<ChartHit> plotRuns(QCustomPlot *plot, const SessionResult &session, const ChartOptions &options)
{
    resetPlot(plot, options);
    QList<ChartHit> hits;
    const auto runs = chartedRuns(session, options);
    addTitle(plot, options, QStringLiteral("Every measured run, in order (left to right within each row)"));
    if (runs.isEmpty()) {
        addNote(plot, options, QStringLiteral("No runs yet."));
        return hits;
    }
    const bool several = severalWorkloadsIn(runs);
    const QPalette pal = effectivePalette(options);
    double lo = std::numeric_limits<double>::max(), hi = 0;
    for (int i = 0; i < runs.size(); ++i) {
        const StrategyRun &r = *runs[i];
        const int n = int(r.timingsMs.size());
        if (n == 0)
            continue;
        const QColor c = checkColor(r.check, pal);
        auto *g = new QCPGraph(plot->yAxis, plot->xAxis);
        g->setLineStyle(QCPGraph::lsLine);
        g->setPen(QPen(withAlpha(c, 70), 1));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, c, withAlpha(c, 150), 5));
        g->removeFromLegend();
        QVector<double> keys, values;
        for (int k = 0; k < n; ++k) {
            // Spread over 70% of the row height, first run on top.
            const double key = i - 0.35 + (n > 1 ? 0.7 * k / (n - 1) : 0.35);
            const double v = r.timingsMs[k];
            keys << key;
            values << v;
            lo = std::min(lo, std::max(v, 1e-3));
            hi = std::max(hi, v);
            hits << ChartHit { QRectF(v, key, 0, 0),
                QStringLiteral("%1\nrun %2 of %3: %4\n(median %5)")
                    .arg(runLabel(r, several))
                    .arg(k + 1)
                    .arg(n)
                    .arg(formatMs(v), formatMs(r.stats.p50Ms)) };
        }
        // Keys are not sorted along the row axis order for a graph with swapped axes; keep the given order.
        g->setData(keys, values, true);
        // The median as a short vertical tick across the row.
        auto *median = new QCPItemLine(plot);
        median->start->setAxes(plot->xAxis, plot->yAxis);
        median->end->setAxes(plot->xAxis, plot->yAxis);
        median->start->setCoords(r.stats.p50Ms, i - 0.42);
        median->end->setCoords(r.stats.p50Ms, i + 0.42);
        median->setPen(QPen(pal.color(QPalette::WindowText), 1.5));
    }
    setCategoryAxis(plot->yAxis, runs, several);
    setTimeAxis(plot->xAxis, options.logScale, lo == std::numeric_limits<double>::max() ? 1 : lo, hi);
    plot->xAxis->setLabel(QStringLiteral("client time of each run (ms); vertical tick: median"));
    return hits;
}

QList<ChartHit> plotDeepPages(QCustomPlot *plot, const SessionResult &session, const ChartOptions &options)
{
    resetPlot(plot, options);
    QList<ChartHit> hits;
    addTitle(plot, options, QStringLiteral("Median time against page number"));
    if (!hasDeepPages(session)) {
        addNote(plot, options, QStringLiteral("No deep-page runs in this session: run the deep-page preset."));
        return hits;
    }
    const QPalette pal = effectivePalette(options);
    // Qualitative colours that read on light and dark backgrounds; a wrong strategy is always red.
    static const QList<QColor> colours { QColor(0x1f, 0x77, 0xb4), QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
        QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf), QColor(0xbc, 0xbd, 0x22),
        QColor(0x7f, 0x7f, 0x7f), QColor(0xff, 0x7f, 0x0e), QColor(0x39, 0x3b, 0x79) };
    QList<QString> order;
    QMap<QString, QList<const StrategyRun *>> byStrategy;
    for (const StrategyRun &r : session.runs) {
        if (r.outcome != RunOutcome::Ok || r.stats.count == 0)
            continue;
        const QString series = deepSeries(r);
        if (!byStrategy.contains(series))
            order << series;
        byStrategy[series] << &r;
    }
    double lo = std::numeric_limits<double>::max(), hi = 0;
    int minPage = std::numeric_limits<int>::max(), maxPage = 1;
    int colourIndex = 0;
    for (const QString &id : std::as_const(order)) {
        auto runs = byStrategy.value(id);
        QSet<int> pages;
        for (const auto *r : runs)
            pages.insert(r->workload.page);
        if (pages.size() < 2)
            continue;
        std::sort(runs.begin(), runs.end(), [](auto *a, auto *b) { return a->workload.page < b->workload.page; });
        bool wrong = false;
        QVector<double> keys, values;
        for (const auto *r : std::as_const(runs)) {
            wrong = wrong || r->check == ResultCheck::Different;
            keys << r->workload.page;
            values << r->stats.p50Ms;
            lo = std::min(lo, std::max(r->stats.p50Ms, 1e-3));
            hi = std::max(hi, r->stats.p50Ms);
            minPage = std::min(minPage, r->workload.page);
            maxPage = std::max(maxPage, r->workload.page);
            hits << ChartHit { QRectF(r->workload.page, r->stats.p50Ms, 0, 0),
                QStringLiteral("%1, page %2\nmedian %3   p95 %4\nresult check: %5")
                    .arg(id)
                    .arg(r->workload.page)
                    .arg(formatMs(r->stats.p50Ms), formatMs(r->stats.p95Ms), checkWords(r->check)) };
        }
        const QColor c = wrong ? checkColor(ResultCheck::Different, pal) : colours[colourIndex++ % colours.size()];
        auto *g = plot->addGraph(plot->xAxis, plot->yAxis);
        g->setName(wrong ? id + QStringLiteral(" (different rows)") : id);
        g->setPen(QPen(c, 2, wrong ? Qt::DashLine : Qt::SolidLine));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 7));
        g->setData(keys, values, true);
    }
    // Pages grow by factors of ten in the preset: a log page axis keeps 10, 100 and 1000 apart.
    plot->xAxis->setScaleType(QCPAxis::stLogarithmic);
    auto ticker = QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog);
    ticker->setLogBase(10);
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setNumberFormat(QStringLiteral("gb"));
    plot->xAxis->setRange(std::max(1.0, minPage / 1.5), maxPage * 1.5);
    plot->xAxis->setLabel(QStringLiteral("page (log scale)"));
    setTimeAxis(plot->yAxis, options.logScale, lo == std::numeric_limits<double>::max() ? 1 : lo, hi);
    plot->yAxis->setLabel(QStringLiteral("median client time (ms)"));
    plot->legend->setVisible(options.showLegend);
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    return hits;
}

QString hitTextAt(QCustomPlot *plot, const QList<ChartHit> &hits, const QPoint &pos)
{
    if (!plot->axisRect()->rect().contains(pos))
        return {};
    const QPointF p(pos);
    double best = 10.0; // pixels: the reach of a point target
    QString bestText;
    for (const ChartHit &h : hits) {
        const double ay = plot->yAxis->coordToPixel(h.rect.top());
        const double by = plot->yAxis->coordToPixel(h.rect.bottom());
        if (!std::isfinite(ay) || !std::isfinite(by))
            continue;
        if (h.rect.width() == 0 && h.rect.height() == 0) {
            const double ax = plot->xAxis->coordToPixel(h.rect.left());
            if (!std::isfinite(ax))
                continue;
            const double d = std::hypot(p.x() - ax, p.y() - ay);
            if (d < best) {
                best = d;
                bestText = h.text;
            }
            continue;
        }
        // A band: anywhere across its row (the bar and the empty space beside it), so short bars are easy to
        // hit. Only the row coordinate matters, which also keeps a zero-based bar usable on a log axis.
        if (p.y() >= std::min(ay, by) && p.y() <= std::max(ay, by))
            return h.text;
    }
    return bestText;
}

} // namespace plansight::charts
