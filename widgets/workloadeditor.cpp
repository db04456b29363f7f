#include "workloadeditor.h"

#include "present/format.h"

#include <algorithm>

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace plansight::gui {

// ---- TagListModel ----------------------------------------------------------------------------------------------

TagListModel::TagListModel(QObject *parent) : QAbstractTableModel(parent) { }

void TagListModel::setTags(const QList<TagInfo> &tags)
{
    beginResetModel();
    m_tags = tags;
    endResetModel();
}

void TagListModel::setCheckedIds(const QStringList &ids)
{
    QStringList lower;
    for (const QString &id : ids)
        if (!lower.contains(id.toLower()))
            lower << id.toLower();
    if (lower == m_order)
        return;
    m_order = lower;
    if (!m_tags.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_tags.size()) - 1, 0), { Qt::CheckStateRole });
    Q_EMIT checksChanged();
}

QString TagListModel::nameOf(const QString &id) const
{
    for (const TagInfo &t : m_tags)
        if (t.id.compare(id, Qt::CaseInsensitive) == 0)
            return t.name;
    return id;
}

int TagListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tags.size());
}

int TagListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TagListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TagInfo &t = m_tags.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return t.name;
        return t.items < 0 ? QStringLiteral("?") : formatCount(double(t.items));
    case Qt::ToolTipRole:
        return QStringLiteral("%1\n%2\n%3")
            .arg(t.name, t.id,
                t.items < 0 ? QStringLiteral("Unknown: content_tags has no planner statistics yet (ANALYZE it).")
                            : QStringLiteral("About %1 items carry it (the planner's estimate).")
                                  .arg(formatCount(double(t.items))));
    case Qt::CheckStateRole:
        if (index.column() == NameColumn)
            return m_order.contains(t.id.toLower()) ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == ItemsColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case TagIdRole:
        return t.id;
    case ItemsRole:
        return t.items;
    case SortRole:
        return index.column() == NameColumn ? QVariant(t.name) : QVariant(t.items);
    default:
        return {};
    }
}

bool TagListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || !checkIndex(index, CheckIndexOption::IndexIsValid)
        || index.column() != NameColumn)
        return false;
    const QString id = m_tags.at(index.row()).id.toLower();
    const bool check = value.toInt() == Qt::Checked;
    if (check == m_order.contains(id))
        return true;
    if (check)
        m_order << id;
    else
        m_order.removeAll(id);
    Q_EMIT dataChanged(index, index, { Qt::CheckStateRole });
    Q_EMIT checksChanged();
    return true;
}

Qt::ItemFlags TagListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == NameColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant TagListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == ItemsColumn)
        return QStringLiteral("Items carrying the tag, estimated from the planner's statistics on content_tags "
                              "(pg_stats), which costs nothing at any scale. Exact counts: Database tab, tag counts.");
    if (role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? QStringLiteral("Tag") : QStringLiteral("Items (est.)");
}

// ---- WorkloadEditor --------------------------------------------------------------------------------------------

namespace {
QString kindLabel(SourceKind k)
{
    switch (k) {
    case SourceKind::UserRegular:
        return QStringLiteral("User, regular");
    case SourceKind::UserAuto:
        return QStringLiteral("User, auto");
    case SourceKind::CommunityRegular:
        return QStringLiteral("Community, regular");
    case SourceKind::CommunityAuto:
        return QStringLiteral("Community, auto");
    }
    return {};
}
} // namespace

WorkloadEditor::WorkloadEditor(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // Presets: one click each.
    auto *presetRow = new QGridLayout;
    presetRow->setSpacing(4);
    int col = 0, row = 0;
    for (const PresetInfo &p : presets()) {
        auto *b = new QToolButton(this);
        b->setText(p.name);
        b->setCheckable(true);
        b->setAutoRaise(false);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        b->setObjectName(QStringLiteral("preset-") + p.name);
        QString tip = p.description;
        if (!p.reviewMeasurement.isEmpty())
            tip += QStringLiteral("\nThe review measured: ") + p.reviewMeasurement;
        b->setToolTip(tip);
        connect(b, &QToolButton::clicked, this, [this, name = p.name] { choosePreset(name); });
        presetRow->addWidget(b, row, col);
        m_presetButtons << b;
        if (++col == 4) {
            col = 0;
            ++row;
        }
    }
    auto *presetLabel = new QLabel(QStringLiteral("Presets"), this);
    presetLabel->setStyleSheet(QStringLiteral("font-weight: bold"));
    layout->addWidget(presetLabel);
    layout->addLayout(presetRow);

    // Tags.
    m_tags = new TagListModel(this);
    m_tagProxy = new QSortFilterProxyModel(this);
    m_tagProxy->setSourceModel(m_tags);
    m_tagProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_tagProxy->setFilterKeyColumn(TagListModel::NameColumn);
    m_tagProxy->setSortRole(TagListModel::SortRole);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(QStringLiteral("Search tags (name or UUID)"));
    m_search->setClearButtonEnabled(true);
    m_search->setObjectName(QStringLiteral("tagSearch"));
    connect(m_search, &QLineEdit::textChanged, m_tagProxy, &QSortFilterProxyModel::setFilterFixedString);
    m_tagView = new QTreeView(this);
    m_tagView->setObjectName(QStringLiteral("tagView"));
    m_tagView->setModel(m_tagProxy);
    m_tagView->setRootIsDecorated(false);
    m_tagView->setUniformRowHeights(true);
    m_tagView->setSortingEnabled(true);
    m_tagView->sortByColumn(TagListModel::ItemsColumn, Qt::DescendingOrder);
    m_tagView->header()->setStretchLastSection(false);
    m_tagView->header()->setSectionResizeMode(TagListModel::NameColumn, QHeaderView::Stretch);
    m_tagView->header()->setSectionResizeMode(TagListModel::ItemsColumn, QHeaderView::ResizeToContents);
    // Four rows at least: the list scrolls and the search finds the rest; the left column's height goes to the
    // strategies (tst_firstsight).
    m_tagView->setMinimumHeight((m_tagView->fontMetrics().height() + 4) * 5 + 6);
    connect(m_tags, &TagListModel::checksChanged, this, &WorkloadEditor::edited);

    m_any = new QRadioButton(QStringLiteral("any of them"), this);
    m_all = new QRadioButton(QStringLiteral("all of them"), this);
    m_any->setChecked(true);
    auto *matchGroup = new QButtonGroup(this);
    matchGroup->addButton(m_any);
    matchGroup->addButton(m_all);
    connect(m_any, &QRadioButton::toggled, this, &WorkloadEditor::edited);
    auto *tagLabel = new QLabel(QStringLiteral("Tags"), this);
    tagLabel->setStyleSheet(QStringLiteral("font-weight: bold"));
    // "Tags    items carrying (o) any of them ( ) all of them": the match mode on the title's row.
    auto *matchRow = new QHBoxLayout;
    matchRow->addWidget(tagLabel);
    matchRow->addStretch();
    matchRow->addWidget(new QLabel(QStringLiteral("items carrying"), this));
    matchRow->addWidget(m_any);
    matchRow->addWidget(m_all);
    layout->addLayout(matchRow);
    layout->addWidget(m_search);
    layout->addWidget(m_tagView, 1);

    // Sources.
    auto *sourceGrid = new QGridLayout;
    int i = 0;
    for (SourceKind k : allSourceKinds()) {
        auto *cb = new QCheckBox(kindLabel(k), this);
        cb->setChecked(true);
        cb->setObjectName(QStringLiteral("source-") + toString(k));
        cb->setToolTip(
            QStringLiteral("%1: %2, creator %3 the user")
                .arg(toString(k), sourceTable(k), isUserKind(k) ? QStringLiteral("=") : QStringLiteral("<>")));
        connect(cb, &QCheckBox::toggled, this, &WorkloadEditor::edited);
        sourceGrid->addWidget(cb, i / 2, i % 2);
        m_sources << cb;
        ++i;
    }
    auto *sourceLabel = new QLabel(QStringLiteral("Content sources"), this);
    sourceLabel->setStyleSheet(QStringLiteral("font-weight: bold"));
    layout->addWidget(sourceLabel);
    layout->addLayout(sourceGrid);

    // User, sort, paging.
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_user = new QComboBox(this);
    m_user->setObjectName(QStringLiteral("user"));
    m_user->setEditable(true);
    m_user->setInsertPolicy(QComboBox::NoInsert);
    m_user->completer()->setFilterMode(Qt::MatchContains);
    m_user->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_user->setToolTip(QStringLiteral("Type to search users by name, or paste a user UUID."));
    m_user->addItem(QStringLiteral("admin (%1)").arg(demo::AdminUserId), demo::AdminUserId);
    connect(m_user, &QComboBox::currentIndexChanged, this, &WorkloadEditor::edited);
    connect(m_user, &QComboBox::editTextChanged, this, &WorkloadEditor::edited);
    form->addRow(QStringLiteral("User"), m_user);

    m_sort = new QComboBox(this);
    m_sort->setObjectName(QStringLiteral("sort"));
    m_sort->addItem(QStringLiteral("created_at"), int(SortField::CreatedAt));
    m_sort->addItem(QStringLiteral("quality_score"), int(SortField::QualityScore));
    m_order = new QComboBox(this);
    m_order->setObjectName(QStringLiteral("order"));
    m_order->addItem(QStringLiteral("descending"), true);
    m_order->addItem(QStringLiteral("ascending"), false);
    auto *sortRow = new QHBoxLayout;
    sortRow->addWidget(m_sort, 1);
    sortRow->addWidget(m_order, 1);
    form->addRow(QStringLiteral("Sort"), sortRow);
    connect(m_sort, &QComboBox::currentIndexChanged, this, &WorkloadEditor::edited);
    connect(m_order, &QComboBox::currentIndexChanged, this, &WorkloadEditor::edited);

    m_page = new QSpinBox(this);
    m_page->setObjectName(QStringLiteral("page"));
    m_page->setRange(1, 1000000);
    m_pageSize = new QSpinBox(this);
    m_pageSize->setObjectName(QStringLiteral("pageSize"));
    m_pageSize->setRange(1, 1000);
    m_pageSize->setValue(25);
    auto *pageRow = new QHBoxLayout;
    pageRow->addWidget(m_page, 1);
    pageRow->addWidget(new QLabel(QStringLiteral("size"), this));
    pageRow->addWidget(m_pageSize, 1);
    m_byCursor = new QCheckBox(QStringLiteral("by cursor"), this);
    m_byCursor->setObjectName(QStringLiteral("byCursor"));
    m_byCursor->setToolTip(
        QStringLiteral("Reach the page by following \"next page\" cursors, as an endless gallery does: "
                       "strategies with a keyset form (p6-cursor, x-topn) answer that way, the others "
                       "by OFFSET. The rows are the same either way."));
    pageRow->addWidget(m_byCursor);
    form->addRow(QStringLiteral("Page"), pageRow);
    connect(m_page, &QSpinBox::valueChanged, this, &WorkloadEditor::edited);
    connect(m_pageSize, &QSpinBox::valueChanged, this, &WorkloadEditor::edited);
    connect(m_byCursor, &QCheckBox::toggled, this, &WorkloadEditor::edited);
    layout->addLayout(form);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("workloadSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    choosePreset(QStringLiteral("canonical"));
}

void WorkloadEditor::setTags(const QList<TagInfo> &tags)
{
    m_tags->setTags(tags);
    m_tagView->sortByColumn(m_tagView->header()->sortIndicatorSection(), m_tagView->header()->sortIndicatorOrder());
    m_tagView->scrollToTop();
    updateSummary();
}

void WorkloadEditor::setUsers(const QList<UserInfo> &users, const QString &preselect)
{
    const QString current = workload().userId;
    const bool wasUpdating = m_updating;
    m_updating = true;
    m_user->clear();
    for (const UserInfo &u : users)
        m_user->addItem(QStringLiteral("%1 (%2)").arg(u.username, u.id), u.id);
    if (users.isEmpty())
        m_user->addItem(QStringLiteral("admin (%1)").arg(demo::AdminUserId), demo::AdminUserId);
    int idx = m_user->findData(current);
    if (idx < 0)
        idx = m_user->findData(preselect);
    if (idx >= 0)
        m_user->setCurrentIndex(idx);
    else
        m_user->setEditText(current);
    m_updating = wasUpdating;
    updateSummary();
}

Workload WorkloadEditor::workload() const
{
    Workload w;
    w.name = m_preset == QLatin1String("canonical") || m_preset == QLatin1String("no-tag") ? m_preset
                                                                                           : QStringLiteral("custom");
    w.tagIds = m_tags->checkedIds();
    w.match = m_all->isChecked() ? TagMatch::All : TagMatch::Any;
    w.sources.clear();
    const auto kinds = allSourceKinds();
    for (int i = 0; i < kinds.size(); ++i)
        if (m_sources[i]->isChecked())
            w.sources << kinds[i];
    // The user: the selected item's id when the text is the item's text, else a UUID typed or pasted.
    const QString text = m_user->currentText().trimmed();
    const int idx = m_user->findText(text);
    if (idx >= 0)
        w.userId = m_user->itemData(idx).toString();
    else if (isUuid(text))
        w.userId = text.toLower();
    else {
        // A name typed without choosing from the list: match a username exactly.
        w.userId = text;
        for (int i = 0; i < m_user->count(); ++i)
            if (m_user->itemText(i).startsWith(text + QStringLiteral(" ("))) {
                w.userId = m_user->itemData(i).toString();
                break;
            }
    }
    w.sort = SortField(m_sort->currentData().toInt());
    w.descending = m_order->currentData().toBool();
    w.page = m_page->value();
    w.pageSize = m_pageSize->value();
    w.byCursor = m_byCursor->isChecked();
    return w;
}

void WorkloadEditor::setWorkload(const Workload &w)
{
    m_updating = true;
    m_tags->setCheckedIds(w.tagIds);
    (w.match == TagMatch::All ? m_all : m_any)->setChecked(true);
    const auto kinds = allSourceKinds();
    for (int i = 0; i < kinds.size(); ++i)
        m_sources[i]->setChecked(w.sources.contains(kinds[i]));
    const int idx = m_user->findData(w.userId);
    if (idx >= 0)
        m_user->setCurrentIndex(idx);
    else
        m_user->setEditText(w.userId);
    m_sort->setCurrentIndex(m_sort->findData(int(w.sort)));
    m_order->setCurrentIndex(w.descending ? 0 : 1);
    m_page->setValue(w.page);
    m_pageSize->setValue(w.pageSize);
    m_byCursor->setChecked(w.byCursor);
    m_updating = false;
    m_preset = (w.name == QLatin1String("canonical") || w.name == QLatin1String("no-tag")) ? w.name : QString();
    for (auto *b : std::as_const(m_presetButtons))
        b->setChecked(b->text() == m_preset);
    updateSummary();
    Q_EMIT changed();
}

void WorkloadEditor::showPresetFields(const QString &name)
{
    Workload w;
    w.name = name;
    if (name != QLatin1String("no-tag"))
        w.tagIds = { demo::AnimeTagId };
    if (name == QLatin1String("deep-page") || name == QLatin1String("deep-cursor"))
        w.page = 10;
    w.byCursor = name == QLatin1String("deep-cursor");
    m_updating = true;
    m_tags->setCheckedIds(w.tagIds);
    m_any->setChecked(true);
    for (auto *cb : std::as_const(m_sources))
        cb->setChecked(true);
    const int idx = m_user->findData(w.userId);
    if (idx >= 0)
        m_user->setCurrentIndex(idx);
    else
        m_user->setEditText(w.userId);
    m_sort->setCurrentIndex(0);
    m_order->setCurrentIndex(0);
    m_page->setValue(w.page);
    m_pageSize->setValue(w.pageSize);
    m_byCursor->setChecked(w.byCursor);
    m_updating = false;
}

void WorkloadEditor::choosePreset(const QString &name)
{
    bool known = false;
    for (const PresetInfo &p : presets())
        known = known || p.name == name;
    if (!known)
        return;
    showPresetFields(name);
    m_preset = name;
    for (auto *b : std::as_const(m_presetButtons))
        b->setChecked(b->text() == name);
    updateSummary();
    Q_EMIT presetChosen(name);
    Q_EMIT changed();
}

void WorkloadEditor::edited()
{
    if (m_updating)
        return;
    if (!m_preset.isEmpty()) {
        m_preset.clear();
        for (auto *b : std::as_const(m_presetButtons))
            b->setChecked(false);
    }
    updateSummary();
    Q_EMIT changed();
}

QStringList WorkloadEditor::tagNames(const QStringList &ids) const
{
    QStringList names;
    for (const QString &id : ids)
        names << m_tags->nameOf(id);
    return names;
}

QString WorkloadEditor::describe() const
{
    if (!m_preset.isEmpty()) {
        for (const PresetInfo &p : presets())
            if (p.name == m_preset)
                return QStringLiteral("Preset %1: %2").arg(p.name, p.description);
    }
    const Workload w = workload();
    return w.describe(tagNames(w.tagIds));
}

QString WorkloadEditor::searchText() const
{
    return m_search->text();
}

void WorkloadEditor::setSearchText(const QString &text)
{
    m_search->setText(text);
}

void WorkloadEditor::updateSummary()
{
    const Workload w = workload();
    QString text = describe();
    if (m_preset.isEmpty() || m_preset == QLatin1String("canonical") || m_preset == QLatin1String("no-tag")) {
        if (auto st = w.validate(); !st)
            text = QStringLiteral("<span style='color:#d02121'>%1</span>").arg(st.error().message.toHtmlEscaped());
        else
            text = text.toHtmlEscaped();
    } else {
        text = text.toHtmlEscaped()
            + QStringLiteral("<br><i>Its tags and pages are picked on the server when the run starts.</i>");
    }
    m_summary->setText(text);
}

int WorkloadEditor::tagListSpareHeight() const
{
    return std::max(0, m_tagView->sizeHint().height() - m_tagView->minimumHeight());
}

} // namespace plansight::gui
