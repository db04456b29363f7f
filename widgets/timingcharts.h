#pragma once

// Timing charts configured from plain values (SessionResult), shared by the Results view and the PDF report.
// Each function clears the plot it is given and fills it completely: the caller owns the QCustomPlot (a widget
// on screen, or an offscreen one rendered to a QPainter for the report) and calls replot() (or toPainter())
// afterwards. Nothing here depends on the main window or talks to a server.
//
// Threading: GUI thread only (QCustomPlot is a QWidget).

#include "present/words.h"
#include "session/results.h"

#include <QColor>
#include <QFont>
#include <QList>
#include <QPalette>
#include <QPoint>
#include <QRectF>
#include <QString>

class QCustomPlot;

namespace plansight::charts {

struct ChartOptions {
    bool logScale = false; // the time axis (and the page axis of the deep-page chart) in log10
    QPalette palette; // text, grid and background colours; default: the application's palette
    QFont font; // tick labels and legend; default: the application's font
    // Only runs of this workload (Workload::key()); empty: every run of the session. Runs of different
    // workloads get labels that tell them apart ("p6-cursor · page 100").
    QString workloadKey;
    bool showLegend = true;
    bool showTitle = false; // a title line above the chart (the report sets it, the window has tab names)
    // Strategy ids in the order their rows are drawn, top first (the report passes its ranking's order); runs
    // of strategies not listed follow in the session's order. Empty: the session's order.
    QStringList order;
};

// One hover target, in plot coordinates (xAxis, yAxis). A point target has an empty rect (width and height 0)
// and is matched within a few pixels; a band (a bar) is matched anywhere inside.
struct ChartHit {
    QRectF rect;
    QString text; // several lines: what the item is and its numbers
};

// Each strategy's median as a horizontal bar (log scale: a point) with a p5-p95 whisker, one row per run,
// baseline on top. Strategies whose page differs from the baseline's are red, stale ones amber; failed or
// cancelled runs keep their row with "(failed)" and no bar. Returns the hover targets.
QList<ChartHit> plotMedians(QCustomPlot *plot, const SessionResult &session, const ChartOptions &options = {});

// Every measured run as a dot: one row per strategy run (same rows as plotMedians), dots spread left to right
// inside their row in the order the runs happened, so drift (warm-up, caching, noise) is visible.
QList<ChartHit> plotRuns(QCustomPlot *plot, const SessionResult &session, const ChartOptions &options = {});

// Median time against page number, one line per strategy, for sessions that measured several pages of the
// same workload (the deep-page preset). Draws a "no deep-page runs" note when there are none.
QList<ChartHit> plotDeepPages(QCustomPlot *plot, const SessionResult &session, const ChartOptions &options = {});

// True when some strategy was measured at two or more pages.
bool hasDeepPages(const SessionResult &session);

// The distinct workloads of a session, in first-seen order (for a workload selector).
QList<Workload> sessionWorkloads(const SessionResult &session);

// The runs a chart draws under `options`, in display order (what the rows of plotMedians and plotRuns are).
QList<const StrategyRun *> chartedRuns(const SessionResult &session, const ChartOptions &options);
// The label of a run's row: its strategy id, plus the workload's distinguishing part when the charted runs
// cover several workloads.
QString runLabel(const StrategyRun &run, bool severalWorkloads);

// The colour a result check is drawn in: red for different, amber for stale, grey for failed, the palette's
// highlight (or a readable blue) otherwise.
QColor checkColor(ResultCheck check, const QPalette &palette = QPalette());
// The colour of a strategy clearly slower than the baseline (present/ranking.h isClearlySlower): orange, apart
// from the red of wrong rows and the amber of stale ones.
QColor slowerColor(const QPalette &palette = QPalette());

// The hover text at a widget position, or empty when nothing is under it.
QString hitTextAt(QCustomPlot *plot, const QList<ChartHit> &hits, const QPoint &pos);

} // namespace plansight::charts
