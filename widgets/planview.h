#pragma once

// The Plan view: the plan tree of a strategy's run (or of an imported plan) with heat colours by exclusive
// time, estimate-factor and hint badges and never-executed nodes greyed; a detail pane with every field of the
// selected node; and a side-by-side diff against another plan (the baseline by default) with changed nodes
// marked. Plans come as values: the runs of a session (their EXPLAIN JSON, parsed here on first display, which
// takes well under 50 ms even for 10,000 nodes) and imported plans parsed by a worker.
//
// Threading: GUI thread.

#include "plan/plandiff.h"
#include "plan/plannode.h"
#include "session/results.h"

#include <QStyledItemDelegate>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QToolButton;
class QSplitter;
class QTextBrowser;
class QTreeView;

namespace plansight {
class PlanTreeModel;
class PlanTimeFilterProxyModel;
}

namespace plansight::gui {

// Paints the plan rows: heat on the time columns, badges (estimate factor, hints) on the node column, greyed
// never-executed nodes, and diff marks (added, removed, changed). `mirror` is for side A of a diff whose model
// was annotated with the diff B -> A: "added" there means "only in A", shown as removed.
class PlanNodeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit PlanNodeDelegate(bool mirror, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    bool m_mirror;
};

class PlanView : public QWidget {
    Q_OBJECT
public:
    explicit PlanView(QWidget *parent = nullptr);

    void setSession(const SessionResult &session);
    void addRun(const StrategyRun &run);
    void clear();
    // An imported plan becomes a source like a run's plan; it is shown at once. `raw` is the text it was read
    // from (shown in the Raw plan tab and copied as is).
    void addImportedPlan(const QString &name, const Plan &plan, const QByteArray &raw = {});
    // The same for a plan that was not imported (the what-if dialog's plans): `label` as it is, numbered when taken.
    void addPlan(const QString &label, const Plan &plan, const QByteArray &raw = {});
    // Shows the plan of this strategy's run (for the workload, or the first run with a plan).
    bool showRun(const QString &strategyId, const QString &workloadKey = {});
    // Compares with this source (a label from sourceLabels()), or hides the diff when empty.
    void compareWith(const QString &label);
    QStringList sourceLabels() const;
    QString currentLabel() const;

    // What Copy puts on the clipboard for the shown plan: the plan as PostgreSQL printed it (EXPLAIN JSON for a
    // run, the imported text for an import), the annotated tree as `plansight explain` prints it, or a psql
    // script that runs the run's SQL with its bound values (present/sqltext.h). Empty when there is none.
    enum class CopyKind { Json, Text, Sql };
    QString copyText(CopyKind kind);
    // Selects the next (or previous) hot node after the current one (plantreemodel.h, hotNodeIds), wrapping
    // around; false when the plan has none.
    bool selectNextHotNode(bool forward = true);

    PlanTreeModel *model() const { return m_model; }
    PlanTreeModel *diffModel() const { return m_diffModel; }
    QTreeView *tree() const { return m_tree; }
    QTreeView *diffTree() const { return m_diffTree; }
    QTextBrowser *details() const { return m_details; }
    // The partitions the shown plan read (plan/planmetrics.h, R14); hidden when it reads no partitioned table.
    QLabel *pruningLabel() const { return m_pruning; }
    QPlainTextEdit *rawText() const { return m_raw; }
    QTabWidget *tabs() const { return m_tabs; }
    QSplitter *splitter() const { return m_splitter; }
    const std::optional<PlanDiff> &diff() const { return m_diff; }

Q_SIGNALS:
    void importFileRequested();
    void importClipboardRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Source {
        QString label;
        QString strategyId;
        QString workloadKey;
        QByteArray json; // unparsed run plan
        QByteArray raw; // what the plan was read from (a run's EXPLAIN JSON, an import's text)
        QString sql; // a run's SQL and its bound values
        QStringList params;
        std::optional<Plan> plan; // parsed (imports arrive parsed)
        QString error;
    };
    const Plan *planOf(int sourceIndex);
    void rebuildCombos(const QString &keepCurrent, const QString &keepCompare);
    void showCurrent();
    void updateDiff();
    void showDetails(const QModelIndex &proxyIndex);
    void updateHotLabel();
    static QString readableRaw(const Source &source);
    int sourceIndex(const QString &label) const;

    QList<Source> m_sources;
    PlanTreeModel *m_model = nullptr;
    PlanTimeFilterProxyModel *m_proxy = nullptr;
    PlanTreeModel *m_diffModel = nullptr;
    QTreeView *m_tree = nullptr;
    QTreeView *m_diffTree = nullptr;
    QWidget *m_diffPane = nullptr;
    QLabel *m_diffSummary = nullptr;
    QTextBrowser *m_details = nullptr;
    QPlainTextEdit *m_raw = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_hotLabel = nullptr;
    QLabel *m_pruning = nullptr;
    QPushButton *m_prevHot = nullptr;
    QPushButton *m_nextHot = nullptr;
    QToolButton *m_copy = nullptr;
    QComboBox *m_current = nullptr;
    QComboBox *m_compare = nullptr;
    QComboBox *m_threshold = nullptr;
    QLabel *m_header = nullptr;
    QSplitter *m_splitter = nullptr;
    QSplitter *m_treeSplitter = nullptr;
    std::optional<PlanDiff> m_diff;
};

} // namespace plansight::gui
