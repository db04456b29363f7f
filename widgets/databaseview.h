#pragma once

// The Database view: the gallery tables and their indexes with sizes, exact and estimated row counts, index
// scan counts, and tag cardinalities, from a catalog snapshot taken by its worker (refresh with progress and
// cancel). The widget itself never queries: its TaskWorker does, on its own thread.
//
// Threading: GUI thread.

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QTableView;
class QTabWidget;

namespace plansight {
struct CatalogSnapshot;
}

namespace plansight::gui {

class TaskWorker;
class ValueTableModel;

class DatabaseView : public QWidget {
    Q_OBJECT
public:
    explicit DatabaseView(QWidget *parent = nullptr);
    ~DatabaseView() override;

    // The connection later refreshes use; empty disables refreshing.
    void setConnection(const QString &conninfo);
    void refresh(); // takes a snapshot in the worker
    void setSnapshot(const CatalogSnapshot &snapshot);
    TaskWorker *worker() const { return m_worker; }
    ValueTableModel *tablesModel() const { return m_tables; }
    ValueTableModel *indexesModel() const { return m_indexes; }
    ValueTableModel *tagsModel() const { return m_tags; }
    bool hasSnapshot() const { return m_hasSnapshot; }

Q_SIGNALS:
    void snapshotReady();

private:
    TaskWorker *m_worker = nullptr;
    QString m_conninfo;
    ValueTableModel *m_tables = nullptr;
    ValueTableModel *m_indexes = nullptr;
    ValueTableModel *m_tags = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_refresh = nullptr;
    QCheckBox *m_exact = nullptr;
    QCheckBox *m_tagCounts = nullptr;
    bool m_hasSnapshot = false;
};

} // namespace plansight::gui
