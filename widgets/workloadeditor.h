#pragma once

// The workload editor: the gallery query's parameters (docs/gallery.md) as a user sets them, and the
// review's presets one click away. It holds no connection: the window gives it the tags and users a probe
// found (setTags, setUsers) and reads back workload() or preset().
//
// Threading: GUI thread.

#include "session/workload.h"
#include "workers/dbtasks.h"

#include <QAbstractTableModel>
#include <QWidget>

#include <QSet>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSortFilterProxyModel;
class QSpinBox;
class QToolButton;
class QTreeView;

namespace plansight::gui {

// The tags with their cardinality, checkable. Column 0 (name) carries the check state.
class TagListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ItemsColumn, ColumnCount };
    enum Role { TagIdRole = Qt::UserRole, ItemsRole, SortRole };

    explicit TagListModel(QObject *parent = nullptr);
    void setTags(const QList<TagInfo> &tags); // keeps the checks of ids still present
    const QList<TagInfo> &tags() const { return m_tags; }
    // Checked ids, in the order they were checked.
    QStringList checkedIds() const { return m_order; }
    void setCheckedIds(const QStringList &ids); // ids unknown to the model are kept (the list may load later)
    QString nameOf(const QString &id) const; // the id itself when unknown

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void checksChanged();

private:
    QList<TagInfo> m_tags;
    QStringList m_order;
};

class WorkloadEditor : public QWidget {
    Q_OBJECT
public:
    // How much taller than its minimum the tag list would like to be: the main window starts the editor that much
    // below its natural height, so the strategies below it get the room.
    int tagListSpareHeight() const;
    explicit WorkloadEditor(QWidget *parent = nullptr);

    void setTags(const QList<TagInfo> &tags);
    // `preselect` is chosen when the current user is not in the list (the admin on the demo).
    void setUsers(const QList<UserInfo> &users, const QString &preselect);

    // The parameters as set; name is the preset's when a preset that needs no server (canonical, no-tag) is
    // shown unchanged, else "custom".
    Workload workload() const;
    void setWorkload(const Workload &workload);
    // The chosen preset, empty when the user edited the parameters after choosing it. Presets that pick tags
    // from the database (multi-tag, multi-all, deep-page, rare-tag) are resolved by the runner.
    QString preset() const { return m_preset; }
    void choosePreset(const QString &name);
    QStringList tagNames(const QStringList &ids) const;
    // One line for the status bar and the log: the preset, or the workload described with tag names.
    QString describe() const;
    QString searchText() const;
    void setSearchText(const QString &text);

Q_SIGNALS:
    void changed();
    void presetChosen(const QString &name);

private:
    void edited();
    void updateSummary();
    void showPresetFields(const QString &name);

    TagListModel *m_tags = nullptr;
    QSortFilterProxyModel *m_tagProxy = nullptr;
    QLineEdit *m_search = nullptr;
    QTreeView *m_tagView = nullptr;
    QRadioButton *m_any = nullptr;
    QRadioButton *m_all = nullptr;
    QList<QCheckBox *> m_sources; // in allSourceKinds() order
    QComboBox *m_user = nullptr;
    QComboBox *m_sort = nullptr;
    QComboBox *m_order = nullptr;
    QSpinBox *m_page = nullptr;
    QSpinBox *m_pageSize = nullptr;
    QCheckBox *m_byCursor = nullptr;
    QLabel *m_summary = nullptr;
    QList<QToolButton *> m_presetButtons;
    QString m_preset;
    bool m_updating = false;
};

} // namespace plansight::gui
