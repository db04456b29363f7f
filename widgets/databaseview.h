#pragma once

// The Database view: the gallery tables and their indexes with sizes, exact and estimated row counts, index
// scan counts, and tag cardinalities, from a catalog snapshot taken by its worker (refresh with progress and
// cancel). The widget itself never queries: its snapshot is a "catalog" job on the window's reads lane
// (workers/joblane.h), which a newer refresh supersedes.
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

class JobLane;
class ValueTableModel;

class DatabaseView : public QWidget {
    Q_OBJECT
public:
    // `reads`: the lane its snapshots run on; null: a lane of its own.
    explicit DatabaseView(JobLane *reads = nullptr, QWidget *parent = nullptr);
    ~DatabaseView() override;

    // The connection later refreshes use; empty disables refreshing.
    void setConnection(const QString &conninfo);
    void refresh(); // takes a snapshot in a job, superseding the one still running
    void setSnapshot(const CatalogSnapshot &snapshot);
    JobLane *lane() const { return m_reads; }
    bool isRefreshing() const { return m_job != 0; }
    ValueTableModel *tablesModel() const { return m_tables; }
    ValueTableModel *indexesModel() const { return m_indexes; }
    ValueTableModel *tagsModel() const { return m_tags; }
    bool hasSnapshot() const { return m_hasSnapshot; }

Q_SIGNALS:
    void snapshotReady();
    void failed(const QString &message); // a snapshot could not be taken

private:
    JobLane *m_reads = nullptr;
    quint64 m_job = 0; // the snapshot job running, 0: none
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
