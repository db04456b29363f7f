#include "planview.h"

#include "plan/planformat.h"
#include "plan/planmetrics.h"
#include "plan/planparser.h"
#include "plan/plantreemodel.h"
#include "present/sqltext.h"
#include "strategies/strategy.h"
#include "timingcharts.h"

#include <QAbstractProxyModel>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace plansight::gui {

// ---- PlanNodeDelegate ------------------------------------------------------------------------------------------

namespace {
bool darkPalette(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

QColor diffColor(DiffStatus s, const QPalette &p)
{
    const bool dark = darkPalette(p);
    switch (s) {
    case DiffStatus::Added:
        return dark ? QColor(0x6f, 0xd0, 0x8c) : QColor(0x1e, 0x8e, 0x3e);
    case DiffStatus::Removed:
        return charts::checkColor(ResultCheck::Different, p);
    case DiffStatus::Changed:
        return charts::checkColor(ResultCheck::Stale, p);
    case DiffStatus::Same:
        break;
    }
    return {};
}

struct Badge {
    QString text;
    QColor colour;
};

QList<Badge> badgesFor(const QModelIndex &index, const QPalette &pal, bool mirror)
{
    QList<Badge> out;
    const int diffStatus = index.data(PlanTreeModel::DiffStatusRole).toInt();
    if (index.data(PlanTreeModel::DiffStatusRole).isValid() && diffStatus >= 0) {
        auto s = DiffStatus(diffStatus);
        if (mirror && s == DiffStatus::Added)
            s = DiffStatus::Removed;
        else if (mirror && s == DiffStatus::Removed)
            s = DiffStatus::Added;
        if (s != DiffStatus::Same)
            out << Badge { mirror && s == DiffStatus::Removed ? QStringLiteral("only here") : toString(s),
                diffColor(s, pal) };
    }
    const double factor = index.data(PlanTreeModel::EstimateFactorRole).toDouble();
    if (factor >= 10) {
        const auto dir = EstimateDirection(index.data(PlanTreeModel::EstimateDirectionRole).toInt());
        const QString arrow = dir == EstimateDirection::Under ? QStringLiteral("↑") : QStringLiteral("↓");
        const QString f = factor > planFactorDisplayMax ? formatFactor(factor)
            : factor >= 1000                            ? formatCount(std::round(factor))
                                                        : QString::number(factor, 'f', 0);
        out << Badge { QStringLiteral("%1x%2").arg(f, arrow),
            factor >= 1000 ? charts::checkColor(ResultCheck::Different, pal)
                           : charts::checkColor(ResultCheck::Stale, pal) };
    }
    if (index.data(PlanTreeModel::ConcurrentRole).toBool())
        out << Badge { QStringLiteral("concurrent"), pal.color(QPalette::PlaceholderText) };
    const int hints = index.data(PlanTreeModel::HintCountRole).toInt();
    if (hints > 0) {
        const int severity = index.data(PlanTreeModel::MaxHintSeverityRole).toInt();
        out << Badge { QStringLiteral("⚠ %1").arg(hints),
            severity >= int(HintSeverity::Critical)      ? charts::checkColor(ResultCheck::Different, pal)
                : severity >= int(HintSeverity::Warning) ? charts::checkColor(ResultCheck::Stale, pal)
                                                         : pal.color(QPalette::PlaceholderText) };
    }
    return out;
}
} // namespace

PlanNodeDelegate::PlanNodeDelegate(bool mirror, QObject *parent) : QStyledItemDelegate(parent), m_mirror(mirror) { }

QSize PlanNodeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    // Hot nodes are bold (paint() below): measure them so.
    if (index.column() == PlanTreeModel::NodeColumn && index.data(PlanTreeModel::HotRole).toBool())
        opt.font.setBold(true);
    QSize s = QStyledItemDelegate::sizeHint(opt, index);
    if (index.column() == PlanTreeModel::NodeColumn) {
        const QFontMetrics fm(opt.font);
        for (const Badge &b : badgesFor(index, option.palette, m_mirror))
            s.rwidth() += fm.horizontalAdvance(b.text) + 14;
    }
    s.setHeight(std::max(s.height(), QFontMetrics(option.font).height() + 6));
    return s;
}

void PlanNodeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const bool never = index.data(PlanTreeModel::NeverExecutedRole).toBool();
    if (never) {
        opt.palette.setColor(QPalette::Text, opt.palette.color(QPalette::PlaceholderText));
        opt.font.setItalic(true);
    }
    const double heat = index.data(PlanTreeModel::HeatRole).toDouble();
    const int col = index.column();
    if (col == PlanTreeModel::NodeColumn && index.data(PlanTreeModel::HotRole).toBool())
        opt.font.setBold(true);
    // Heat: the exclusive-time columns are tinted by the node's share of the total, red at 100%.
    if ((col == PlanTreeModel::ExclusiveColumn || col == PlanTreeModel::PercentColumn) && heat > 0.005 && !never) {
        QColor c = QColor::fromRgba(index.data(PlanTreeModel::HeatColorRole).toUInt());
        if (darkPalette(opt.palette))
            c = QColor(220, 50, 40, int(40 + 200 * heat));
        opt.backgroundBrush = c;
        if (!darkPalette(opt.palette) && heat > 0.5)
            opt.palette.setColor(QPalette::Text, Qt::white);
    }
    QList<Badge> badges;
    if (col == PlanTreeModel::NodeColumn)
        badges = badgesFor(index, opt.palette, m_mirror);
    const QFontMetrics fm(opt.font);
    int badgeWidth = 0;
    for (const Badge &b : badges)
        badgeWidth += fm.horizontalAdvance(b.text) + 14;
    QRect textRect = opt.rect;
    opt.rect.setRight(opt.rect.right() - badgeWidth);
    QStyledItemDelegate::paint(painter, opt, index);
    if (col == PlanTreeModel::NodeColumn) {
        // A heat strip at the left edge of the node name, so hot nodes are visible without looking right.
        if (heat > 0.005 && !never) {
            painter->save();
            painter->fillRect(QRect(textRect.left(), textRect.top() + 2, 4, textRect.height() - 4),
                QColor(220, 40, 30, int(60 + 195 * heat)));
            painter->restore();
        }
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        int x = textRect.right() - badgeWidth + 4;
        for (const Badge &b : badges) {
            const int w = fm.horizontalAdvance(b.text) + 10;
            const QRect r(x, textRect.top() + 3, w, textRect.height() - 6);
            QColor fill = b.colour;
            fill.setAlpha(darkPalette(opt.palette) ? 90 : 40);
            painter->setPen(QPen(b.colour, 1));
            painter->setBrush(fill);
            painter->drawRoundedRect(r, 4, 4);
            painter->setPen(darkPalette(opt.palette) ? b.colour.lighter(130) : b.colour.darker(130));
            painter->drawText(r, Qt::AlignCenter, b.text);
            x += w + 4;
        }
        painter->restore();
    }
}

// ---- PlanView --------------------------------------------------------------------------------------------------

namespace {
QTreeView *makeTree(QWidget *parent, const QString &name, bool mirror)
{
    auto *t = new QTreeView(parent);
    t->setObjectName(name);
    t->setUniformRowHeights(true);
    t->setAlternatingRowColors(true);
    t->setItemDelegate(new PlanNodeDelegate(mirror, t));
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAllColumnsShowFocus(true);
    t->header()->setStretchLastSection(false);
    return t;
}

// Every column but the node's gets its contents' width; the node column takes what is left of the view, between
// 260 px and its contents' width, so the figures are visible without scrolling sideways. A node name that does not
// fit is elided; its tooltip has it whole.
// An estimate (no ANALYZE: a what-if plan, an imported EXPLAIN) has no share of time, loops, buffers or rows removed:
// those columns are hidden so that the node names get the room.
void fitColumns(QTreeView *t)
{
    const QAbstractItemModel *m = t->model();
    while (const auto *proxy = qobject_cast<const QAbstractProxyModel *>(m))
        m = proxy->sourceModel();
    const auto *planModel = qobject_cast<const PlanTreeModel *>(m);
    const bool estimate = planModel && !planModel->plan().isEmpty() && !planModel->plan().analyzed;
    for (int c : { PlanTreeModel::PercentColumn, PlanTreeModel::LoopsColumn, PlanTreeModel::BuffersColumn,
             PlanTreeModel::RowsRemovedColumn })
        t->setColumnHidden(c, estimate);
    int others = 0;
    for (int c = 1; c < PlanTreeModel::ColumnCount; ++c) {
        if (t->isColumnHidden(c))
            continue;
        t->resizeColumnToContents(c);
        others += t->columnWidth(c);
    }
    t->resizeColumnToContents(0);
    const int room = t->viewport()->width() - others - 4;
    t->setColumnWidth(0, std::max(260, std::min(t->columnWidth(0), room)));
}

void sizeColumns(QTreeView *t)
{
    t->expandAll();
    fitColumns(t);
}
} // namespace

PlanView::PlanView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(QStringLiteral("Plan"), this));
    m_current = new QComboBox(this);
    m_current->setObjectName(QStringLiteral("planSource"));
    // As wide as 16 characters, not as the longest label: the view fits a 1366-pixel screen beside the left panel.
    m_current->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_current->setMinimumContentsLength(16);
    bar->addWidget(m_current);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(QStringLiteral("Compare with"), this));
    m_compare = new QComboBox(this);
    m_compare->setObjectName(QStringLiteral("planCompare"));
    // As wide as 16 characters, not as the longest label: the view fits a 1366-pixel screen beside the left panel.
    m_compare->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_compare->setMinimumContentsLength(16);
    bar->addWidget(m_compare);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(QStringLiteral("Hide nodes under"), this));
    m_threshold = new QComboBox(this);
    m_threshold->setObjectName(QStringLiteral("planThreshold"));
    m_threshold->addItem(QStringLiteral("nothing hidden"), 0.0);
    m_threshold->addItem(QStringLiteral("1% of the time"), 0.01);
    m_threshold->addItem(QStringLiteral("5% of the time"), 0.05);
    bar->addWidget(m_threshold);
    bar->addStretch();
    auto *importFile = new QPushButton(QStringLiteral("Import plan..."), this);
    importFile->setToolTip(
        QStringLiteral("Read EXPLAIN output (JSON or text, as psql or auto_explain print it) from a file (Ctrl+O)."));
    auto *paste = new QPushButton(QStringLiteral("Paste plan"), this);
    paste->setToolTip(QStringLiteral("Read EXPLAIN output from the clipboard (Ctrl+Shift+V)."));
    // Import and Paste sit on the second row, beside Copy (the first row fits a 1366-pixel screen).
    connect(importFile, &QPushButton::clicked, this, &PlanView::importFileRequested);
    connect(paste, &QPushButton::clicked, this, &PlanView::importClipboardRequested);
    layout->addLayout(bar);

    // The plan's header, then the hot-node stepper and Copy on its right.
    auto *headerRow = new QHBoxLayout;
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("planHeader"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    headerRow->addWidget(m_header, 1);
    m_hotLabel = new QLabel(this);
    m_hotLabel->setObjectName(QStringLiteral("planHotLabel"));
    m_hotLabel->setToolTip(QStringLiteral("Hot nodes spent at least %1 of the plan's time in themselves; they are bold "
                                          "in the tree.")
                               .arg(formatPercent(HotNodeShare * 100)));
    m_prevHot = new QPushButton(QStringLiteral("Previous hot"), this);
    m_prevHot->setObjectName(QStringLiteral("planPreviousHot"));
    m_prevHot->setToolTip(QStringLiteral("Select the previous hot node (Shift+F8)."));
    m_nextHot = new QPushButton(QStringLiteral("Next hot"), this);
    m_nextHot->setObjectName(QStringLiteral("planNextHot"));
    m_nextHot->setToolTip(QStringLiteral("Select the next hot node (F8)."));
    m_copy = new QToolButton(this);
    m_copy->setObjectName(QStringLiteral("planCopy"));
    m_copy->setText(QStringLiteral("Copy"));
    m_copy->setPopupMode(QToolButton::InstantPopup);
    m_copy->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *copyMenu = new QMenu(m_copy);
    const auto addCopy = [this, copyMenu](const QString &text, CopyKind kind, const QString &tip) {
        QAction *a = copyMenu->addAction(text);
        a->setToolTip(tip);
        connect(a, &QAction::triggered, this, [this, kind] {
            const QString t = copyText(kind);
            if (!t.isEmpty())
                QApplication::clipboard()->setText(t);
        });
    };
    addCopy(QStringLiteral("Plan as JSON"), CopyKind::Json, QStringLiteral("The plan as PostgreSQL printed it."));
    addCopy(QStringLiteral("Plan as text"), CopyKind::Text,
        QStringLiteral("The annotated tree, as plansight explain prints it."));
    addCopy(QStringLiteral("SQL with its parameters"), CopyKind::Sql,
        QStringLiteral(
            "A psql script (PREPARE, EXECUTE with the bound values) that runs the query as PlanSight ran it."));
    copyMenu->setToolTipsVisible(true);
    m_copy->setMenu(copyMenu);
    for (QWidget *w :
        { static_cast<QWidget *>(m_hotLabel), static_cast<QWidget *>(m_prevHot), static_cast<QWidget *>(m_nextHot),
            static_cast<QWidget *>(m_copy), static_cast<QWidget *>(importFile), static_cast<QWidget *>(paste) })
        headerRow->addWidget(w, 0, Qt::AlignTop);
    layout->addLayout(headerRow);
    // Partition pruning (plan/planmetrics.h, R14), under the header; hidden when the plan reads no partitioned table.
    m_pruning = new QLabel(this);
    m_pruning->setObjectName(QStringLiteral("planPruning"));
    m_pruning->setWordWrap(true);
    m_pruning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pruning->setToolTip(QStringLiteral(
        "Partitions of each partitioned table the plan read, against all the table's partitions: those the planner "
        "pruned do not appear in the plan, subplans removed at executor start were pruned on parameter values, and "
        "never-executed ones were pruned during the run."));
    m_pruning->hide();
    layout->addWidget(m_pruning);
    connect(m_prevHot, &QPushButton::clicked, this, [this] { selectNextHotNode(false); });
    connect(m_nextHot, &QPushButton::clicked, this, [this] { selectNextHotNode(true); });
    auto *nextShortcut = new QShortcut(QKeySequence(Qt::Key_F8), this);
    nextShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(nextShortcut, &QShortcut::activated, this, [this] { selectNextHotNode(true); });
    auto *prevShortcut = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F8), this);
    prevShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(prevShortcut, &QShortcut::activated, this, [this] { selectNextHotNode(false); });

    m_model = new PlanTreeModel(this);
    m_proxy = new PlanTimeFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_tree = makeTree(this, QStringLiteral("planTree"), false);
    m_tree->setModel(m_proxy);
    m_diffModel = new PlanTreeModel(this);
    m_diffTree = makeTree(this, QStringLiteral("planDiffTree"), true);
    m_diffTree->setModel(m_diffModel);
    m_tree->viewport()->installEventFilter(this);
    m_diffTree->viewport()->installEventFilter(this);

    m_diffPane = new QWidget(this);
    auto *diffLayout = new QVBoxLayout(m_diffPane);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    m_diffSummary = new QLabel(m_diffPane);
    m_diffSummary->setObjectName(QStringLiteral("planDiffSummary"));
    m_diffSummary->setWordWrap(true);
    m_diffSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    diffLayout->addWidget(m_diffSummary);
    diffLayout->addWidget(m_diffTree, 1);

    m_details = new QTextBrowser(this);
    m_details->setObjectName(QStringLiteral("planDetails"));
    m_details->setOpenLinks(false);

    m_treeSplitter = new QSplitter(Qt::Horizontal, this);
    m_treeSplitter->setObjectName(QStringLiteral("planTreeSplitter"));
    m_treeSplitter->addWidget(m_diffPane);
    m_treeSplitter->addWidget(m_tree);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("planSplitter"));
    m_splitter->addWidget(m_treeSplitter);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_raw = new QPlainTextEdit(this);
    m_raw->setObjectName(QStringLiteral("planRaw"));
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("planTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_splitter, QStringLiteral("Tree"));
    m_tabs->addTab(m_raw, QStringLiteral("Raw plan"));
    layout->addWidget(m_tabs, 1);
    m_diffPane->hide();

    connect(m_current, &QComboBox::currentIndexChanged, this, [this] {
        showCurrent();
        if (m_compare->currentIndex() <= 0) {
            // Another strategy's plan is compared with the baseline of its workload unless the user chose otherwise.
            const QString current = m_current->currentText();
            rebuildCombos(current, {});
        }
        updateDiff();
    });
    connect(m_compare, &QComboBox::currentIndexChanged, this, &PlanView::updateDiff);
    connect(m_threshold, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setMinimumShare(m_threshold->currentData().toDouble());
        m_tree->expandAll();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &cur) {
        showDetails(cur);
        updateHotLabel();
        // Follow the partner node on side A of the diff.
        if (!m_diff || !cur.isValid())
            return;
        const int nodeB = m_proxy->mapToSource(cur).data(PlanTreeModel::NodeIdRole).toInt();
        if (const PlanDiffEntry *e = m_diff->entryForB(nodeB); e && e->nodeA >= 0) {
            const QModelIndex a = m_diffModel->indexForNode(e->nodeA);
            m_diffTree->setCurrentIndex(a);
            m_diffTree->scrollTo(a);
        }
    });
    rebuildCombos({}, {});
    showCurrent();
}

bool PlanView::eventFilter(QObject *watched, QEvent *event)
{
    // The columns are fitted to the viewport's width once it is known: the view's own resize comes before its
    // children are laid out, and a hidden tab has no width yet.
    if (event->type() == QEvent::Resize) {
        if (watched == m_tree->viewport())
            fitColumns(m_tree);
        else if (watched == m_diffTree->viewport())
            fitColumns(m_diffTree);
    }
    return QWidget::eventFilter(watched, event);
}

void PlanView::clear()
{
    m_sources.erase(std::remove_if(m_sources.begin(), m_sources.end(),
                        [](const Source &s) { return s.strategyId.isEmpty() == false; }),
        m_sources.end());
    rebuildCombos({}, {});
    showCurrent();
    updateDiff();
}

void PlanView::setSession(const SessionResult &session)
{
    // Imported plans stay; the runs' plans are replaced.
    QList<Source> imported;
    for (const Source &s : std::as_const(m_sources))
        if (s.strategyId.isEmpty())
            imported << s;
    m_sources.clear();
    for (const StrategyRun &r : session.runs)
        addRun(r);
    m_sources << imported;
    QString current;
    for (const Source &s : std::as_const(m_sources))
        if (!s.json.isEmpty()) {
            current = s.label;
            break;
        }
    rebuildCombos(current, {});
    showCurrent();
    updateDiff();
}

void PlanView::addRun(const StrategyRun &run)
{
    if (run.planJson.isEmpty())
        return;
    StrategyRun probe = run;
    // Several workloads of one strategy: the label names the workload too.
    bool several = false;
    for (const Source &s : std::as_const(m_sources))
        several = several || (!s.strategyId.isEmpty() && s.workloadKey != run.workload.key());
    Source s;
    s.strategyId = run.strategyId;
    s.workloadKey = run.workload.key();
    s.label = charts::runLabel(run, several || run.workload.page != 1 || run.workload.tagIds.size() > 1);
    if (run.check == ResultCheck::Different)
        s.label += QStringLiteral(" (different rows)");
    s.json = run.planJson;
    s.sql = run.sql;
    s.params = run.params;
    const QString current = m_current->currentText();
    const QString compare = m_compare->currentText();
    m_sources << s;
    rebuildCombos(current.isEmpty() ? s.label : current, compare);
    if (current.isEmpty())
        showCurrent();
    updateDiff();
}

void PlanView::addImportedPlan(const QString &name, const Plan &plan, const QByteArray &raw)
{
    addPlan(QStringLiteral("imported: ") + name, plan, raw);
}

void PlanView::addPlan(const QString &label, const Plan &plan, const QByteArray &raw)
{
    Source s;
    s.label = label;
    for (int n = 2; sourceIndex(s.label) >= 0; ++n)
        s.label = QStringLiteral("%1 (%2)").arg(label).arg(n);
    s.plan = plan;
    s.raw = raw;
    m_sources << s;
    // Compare the import with what was shown: the incident-review use (production plan vs a strategy's).
    const QString previous = m_current->currentText();
    rebuildCombos(s.label, previous);
    showCurrent();
    updateDiff();
}

int PlanView::sourceIndex(const QString &label) const
{
    for (int i = 0; i < m_sources.size(); ++i)
        if (m_sources[i].label == label)
            return i;
    return -1;
}

QStringList PlanView::sourceLabels() const
{
    QStringList out;
    for (const Source &s : m_sources)
        out << s.label;
    return out;
}

QString PlanView::currentLabel() const
{
    return m_current->currentText();
}

bool PlanView::showRun(const QString &strategyId, const QString &workloadKey)
{
    int found = -1;
    for (int i = 0; i < m_sources.size() && found < 0; ++i)
        if (m_sources[i].strategyId == strategyId && (workloadKey.isEmpty() || m_sources[i].workloadKey == workloadKey))
            found = i;
    for (int i = 0; i < m_sources.size() && found < 0; ++i)
        if (m_sources[i].strategyId == strategyId)
            found = i;
    if (found < 0)
        return false;
    m_current->setCurrentIndex(m_current->findText(m_sources[found].label));
    return true;
}

void PlanView::compareWith(const QString &label)
{
    const int idx = label.isEmpty() ? 0 : m_compare->findText(label);
    m_compare->setCurrentIndex(std::max(0, idx));
}

void PlanView::rebuildCombos(const QString &keepCurrent, const QString &keepCompare)
{
    QSignalBlocker b1(m_current), b2(m_compare);
    m_current->clear();
    m_compare->clear();
    m_compare->addItem(QStringLiteral("(no comparison)"));
    for (const Source &s : std::as_const(m_sources)) {
        m_current->addItem(s.label);
        m_compare->addItem(s.label);
    }
    m_current->setCurrentIndex(std::max(0, m_current->findText(keepCurrent)));
    int cmp = keepCompare.isEmpty() ? -1 : m_compare->findText(keepCompare);
    if (cmp < 0 && keepCompare.isEmpty()) {
        // Default: the baseline of the same workload, when the current plan is another strategy's.
        const int cur = sourceIndex(m_current->currentText());
        if (cur >= 0 && m_sources[cur].strategyId != QLatin1String("baseline"))
            for (const Source &s : std::as_const(m_sources))
                if (s.strategyId == QLatin1String("baseline")
                    && (m_sources[cur].workloadKey.isEmpty() || s.workloadKey == m_sources[cur].workloadKey)) {
                    cmp = m_compare->findText(s.label);
                    break;
                }
    }
    m_compare->setCurrentIndex(std::max(0, cmp));
}

const Plan *PlanView::planOf(int i)
{
    if (i < 0 || i >= m_sources.size())
        return nullptr;
    Source &s = m_sources[i];
    if (!s.plan && s.error.isEmpty()) {
        auto p = parsePlan(s.json);
        if (p)
            s.plan = std::move(p.value());
        else
            s.error = p.error().toString();
    }
    return s.plan ? &*s.plan : nullptr;
}

void PlanView::showCurrent()
{
    const int i = sourceIndex(m_current->currentText());
    const Plan *plan = planOf(i);
    if (!plan) {
        m_model->setPlan(Plan());
        if (m_sources.isEmpty())
            m_header->setText(QStringLiteral(
                "No plan yet. Run strategies (F5) to get their plans, or import a plan from a file or the clipboard."));
        else
            m_header->setText(
                QStringLiteral("This plan could not be read: %1").arg(i >= 0 ? m_sources[i].error : QString()));
        m_details->clear();
        m_raw->clear();
        m_pruning->clear();
        m_pruning->hide();
        updateHotLabel();
        return;
    }
    m_model->setPlan(*plan);
    const QString pruning = partitionScansText(*plan, strategyPartitionTree);
    m_pruning->setText(pruning);
    m_pruning->setVisible(!pruning.isEmpty());
    sizeColumns(m_tree);
    QStringList parts;
    if (plan->executionMs >= 0)
        parts << QStringLiteral("execution <b>%1</b>").arg(formatMs(plan->executionMs));
    if (plan->planningMs >= 0)
        parts << QStringLiteral("planning %1").arg(formatMs(plan->planningMs));
    parts << QStringLiteral("%1 nodes").arg(plan->size());
    if (!plan->analyzed)
        parts << QStringLiteral("estimates only (no ANALYZE)");
    QString text = parts.join(QStringLiteral(" · "));
    if (plan->selfCheck.applicable && !plan->selfCheck.ok)
        text += QStringLiteral("<br><span style='color:%1'>%2</span>")
                    .arg(charts::checkColor(ResultCheck::Stale, palette()).name(),
                        plan->selfCheck.message.toHtmlEscaped());
    for (const QString &w : plan->warnings.mid(0, 3))
        text += QStringLiteral("<br><span style='color:%1'>%2</span>")
                    .arg(palette().color(QPalette::PlaceholderText).name(), w.toHtmlEscaped());
    m_header->setText(text);
    // The plan opens at its root, as EXPLAIN prints it; the hot nodes are bold, one step away (F8).
    const QModelIndex idx = m_proxy->mapFromSource(m_model->indexForNode(0));
    m_tree->setCurrentIndex(idx);
    m_tree->scrollToTop();
    showDetails(idx);
    updateHotLabel();
    const Source &src = m_sources[i];
    m_raw->setPlainText(readableRaw(src));
}

QString PlanView::readableRaw(const Source &source)
{
    // What the plan was read from; JSON indented for reading, any other text as it came.
    const QByteArray raw = source.raw.isEmpty() ? source.json : source.raw;
    const QJsonDocument doc = QJsonDocument::fromJson(raw);
    return doc.isNull() ? QString::fromUtf8(raw) : QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

void PlanView::updateHotLabel()
{
    const QList<int> hot = hotNodeIds(m_model->plan());
    const int current = m_proxy->mapToSource(m_tree->currentIndex()).data(PlanTreeModel::NodeIdRole).toInt();
    const qsizetype at = m_tree->currentIndex().isValid() ? hot.indexOf(current) : -1;
    m_hotLabel->setText(hot.isEmpty() ? QStringLiteral("no hot node")
            : at >= 0                 ? QStringLiteral("hot %1 of %2").arg(at + 1).arg(hot.size())
                                      : QStringLiteral("%1 hot").arg(hot.size()));
    m_prevHot->setEnabled(!hot.isEmpty());
    m_nextHot->setEnabled(!hot.isEmpty());
}

bool PlanView::selectNextHotNode(bool forward)
{
    const QList<int> hot = hotNodeIds(m_model->plan());
    if (hot.isEmpty())
        return false;
    const QModelIndex cur = m_proxy->mapToSource(m_tree->currentIndex());
    const int current = cur.isValid() ? cur.data(PlanTreeModel::NodeIdRole).toInt() : -1;
    // Node ids are in pre-order, the tree's order: the next hot node is the first id after the current one.
    int target = -1;
    if (forward) {
        for (int id : hot)
            if (id > current) {
                target = id;
                break;
            }
        if (target < 0)
            target = hot.front();
    } else {
        for (auto it = hot.crbegin(); it != hot.crend(); ++it)
            if (*it < current || current < 0) {
                target = *it;
                break;
            }
        if (target < 0)
            target = hot.back();
    }
    // A hot node is never hidden by the time filter: its inclusive share is at least its exclusive share.
    const QModelIndex idx = m_proxy->mapFromSource(m_model->indexForNode(target));
    m_tree->setCurrentIndex(idx);
    m_tree->scrollTo(idx, QAbstractItemView::PositionAtCenter);
    updateHotLabel();
    return true;
}

QString PlanView::copyText(CopyKind kind)
{
    const int i = sourceIndex(m_current->currentText());
    if (i < 0)
        return {};
    const Source &src = m_sources[i];
    switch (kind) {
    case CopyKind::Json:
        return readableRaw(src);
    case CopyKind::Text: {
        const Plan *plan = planOf(i);
        PlanTextOptions options;
        options.partitions = strategyPartitionTree; // as `plansight explain` prints it
        return plan ? formatPlanText(*plan, options) : QString();
    }
    case CopyKind::Sql:
        if (!src.sql.isEmpty())
            return psqlReplayScript(src.sql, src.params);
        if (const Plan *plan = planOf(i); plan && !plan->queryText.isEmpty())
            return plan->queryText.trimmed() + QStringLiteral("\n");
        return {};
    }
    return {};
}

void PlanView::updateDiff()
{
    const int a = m_compare->currentIndex() - 1; // 0 is "(no comparison)"
    const int b = sourceIndex(m_current->currentText());
    const Plan *planA = a >= 0 && a != b ? planOf(a) : nullptr;
    const Plan *planB = planOf(b);
    if (!planA || !planB) {
        m_diff.reset();
        m_model->setDiff(std::nullopt);
        m_diffModel->setPlan(Plan());
        m_diffPane->hide();
        sizeColumns(m_tree);
        return;
    }
    PlanDiffOptions diffOptions;
    diffOptions.describeObject = describeStrategyObject;
    m_diff = diffPlans(*planA, *planB, diffOptions);
    m_model->setDiff(m_diff);
    m_diffModel->setPlan(*planA);
    m_diffModel->setDiff(diffPlans(*planB, *planA, diffOptions));
    m_diffPane->show();
    sizeColumns(m_tree);
    sizeColumns(m_diffTree);
    m_diffSummary->setText(
        QStringLiteral("<b>%1</b> (left) against <b>%2</b> (right): %3 changed, %4 only left, %5 only right.<br>%6")
            .arg(m_sources[a].label.toHtmlEscaped(), m_sources[b].label.toHtmlEscaped())
            .arg(m_diff->changed)
            .arg(m_diff->removed)
            .arg(m_diff->added)
            .arg(m_diff->summary.toHtmlEscaped()));
    const QList<int> sizes = m_treeSplitter->sizes();
    if (sizes.size() == 2 && sizes[0] == 0)
        m_treeSplitter->setSizes({ 1, 1 });
}

void PlanView::showDetails(const QModelIndex &proxyIndex)
{
    const QModelIndex src = m_proxy->mapToSource(proxyIndex);
    const PlanNode *n = m_model->nodeAt(src);
    if (!n) {
        m_details->clear();
        return;
    }
    const NodeMetrics &m = n->metrics;
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    QString html = QStringLiteral("<h3 style='margin:0'>%1</h3>").arg(n->label().toHtmlEscaped());
    if (!n->subplanName.isEmpty() || !n->parentRelationship.isEmpty())
        html += QStringLiteral("<div style='color:%1'>%2 %3</div>")
                    .arg(muted, n->parentRelationship.toHtmlEscaped(), n->subplanName.toHtmlEscaped());
    if (n->neverExecuted)
        html += QStringLiteral("<p><i>Never executed.</i></p>");
    html += QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    const auto row = [&html](const QString &k, const QString &v) {
        html += QStringLiteral("<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>")
                    .arg(k.toHtmlEscaped(), v.toHtmlEscaped());
    };
    if (n->hasTiming && !n->neverExecuted) {
        row(QStringLiteral("Exclusive time"),
            QStringLiteral("%1 (%2 of total)").arg(formatMs(m.exclusiveMs), formatPercent(m.exclusivePercent)));
        row(QStringLiteral("Inclusive time"),
            QStringLiteral("%1 (%2)").arg(formatMs(m.inclusiveMs), formatPercent(m.inclusivePercent)));
        if (m.concurrent)
            row(QStringLiteral("Concurrent"),
                QStringLiteral("ran beside the slowest process (a Parallel Append's subplan): its time is its own "
                               "processes' wall time and is not on the critical path"));
    }
    if (n->hasActuals)
        row(QStringLiteral("Rows (actual x loops / planned)"),
            QStringLiteral("%1 / %2").arg(
                formatCount(m.rowsTotal), formatCount(n->planRows * std::max(1.0, n->actualLoops))));
    if (m.stoppedByLimit)
        row(QStringLiteral("Estimate factor"),
            QStringLiteral("none: a Limit above stopped it early, so fewer rows than planned is by design"));
    if (m.estimateFactor > 0)
        row(QStringLiteral("Estimate factor"),
            QStringLiteral("%1x %2")
                .arg(formatFactor(m.estimateFactor))
                .arg(m.direction == EstimateDirection::Under     ? QStringLiteral("under-estimated")
                        : m.direction == EstimateDirection::Over ? QStringLiteral("over-estimated")
                                                                 : QStringLiteral("accurate")));
    if (m.rowsRemovedTotal > 0)
        row(QStringLiteral("Rows removed"),
            QStringLiteral("%1 (%2 of rows read)")
                .arg(formatCount(m.rowsRemovedTotal), formatPercent(m.rowsRemovedShare * 100)));
    if (n->buffers.present)
        row(QStringLiteral("Buffers (exclusive)"),
            QStringLiteral("hit %1, read %2")
                .arg(formatCount(double(m.exclusiveBuffers.hit())), formatCount(double(m.exclusiveBuffers.read()))));
    if (m.processes > 1)
        row(QStringLiteral("Processes"), QString::number(m.processes));
    html += QStringLiteral("</table>");
    if (!m.hints.isEmpty()) {
        html += QStringLiteral("<p><b>Hints</b></p><ul>");
        for (const PlanHint &h : m.hints)
            html += QStringLiteral("<li><span style='color:%1'>%2</span>: %3</li>")
                        .arg(charts::checkColor(
                                 h.severity == HintSeverity::Critical ? ResultCheck::Different : ResultCheck::Stale,
                                 palette())
                                 .name(),
                            toString(h.kind), h.text.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    if (m_diff) {
        if (const PlanDiffEntry *e = m_diff->entryForB(n->id); e && e->status != DiffStatus::Same) {
            html += QStringLiteral("<p><b>Diff</b>: %1").arg(toString(e->status));
            if (!e->changes.isEmpty())
                html += QStringLiteral(" (") + e->changes.join(QStringLiteral("; ")).toHtmlEscaped() + QLatin1Char(')');
            html += QStringLiteral("</p>");
        }
    }
    html += QStringLiteral("<p><b>Every field</b></p><table cellspacing='0' cellpadding='2'>");
    const QJsonObject fields = n->fields();
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        QString value;
        const QJsonValue v = it.value();
        if (v.isString())
            value = v.toString();
        else if (v.isDouble())
            value = QString::number(v.toDouble(), 'g', 12);
        else if (v.isBool())
            value = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        else if (v.isArray())
            value = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
        else if (v.isObject())
            value = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        const bool unknown = n->unknownKeys.contains(it.key());
        html += QStringLiteral("<tr><td style='padding-right:16px;color:%1'>%2%3</td><td>%4</td></tr>")
                    .arg(muted, it.key().toHtmlEscaped(), unknown ? QStringLiteral(" *") : QString(),
                        value.toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    m_details->setHtml(html);
}

} // namespace plansight::gui
