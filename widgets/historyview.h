#pragma once

// The History view: past sessions from the local history (search and filter), open one into the Results and
// Plan views, compare two (for example yesterday's and today's baseline), export one (the Export... button and
// the table's context menu ask the window, which owns the export job). The SQLite file is read by jobs on the
// window's reads lane (workers/joblane.h): a newer list, open or comparison supersedes the older one of its kind.
//
// Threading: GUI thread.

#include "bench/results.h"
#include "workers/historytasks.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace plansight::gui {

class JobLane;
class ValueTableModel;

class HistoryView : public QWidget {
    Q_OBJECT
public:
    // `reads`: the lane its reads run on; null: a lane of its own.
    explicit HistoryView(JobLane *reads = nullptr, QWidget *parent = nullptr);
    ~HistoryView() override;

    void setHistoryPath(const QString &path); // empty: HistoryStore::defaultPath()
    QString historyPath() const { return m_path; }
    void refresh();
    void openSession(qint64 id);
    void compareSessions(qint64 a, qint64 b);
    // Asks for the export of the one selected session (exportRequested); false when not exactly one is selected.
    bool exportSelected();
    QList<qint64> selectedIds() const;
    JobLane *lane() const { return m_reads; }
    ValueTableModel *sessionsModel() const { return m_sessions; }
    ValueTableModel *comparisonModel() const { return m_comparison; }
    QString filterText() const;
    void setFilterText(const QString &text);

Q_SIGNALS:
    void sessionOpened(const plansight::SessionResult &session);
    void listed(int sessions);
    void compared();
    void exportRequested(qint64 id);
    void failed(const QString &message); // a read of the history failed (also shown in the view's status line)

private:
    void showComparison(const SessionResult &a, const SessionResult &b);
    void updateButtons();
    void showContextMenu(const QPoint &pos);
    void showList(const HistoryList &list);
    void fail(const Error &error);

    JobLane *m_reads = nullptr;
    QString m_path;
    QLineEdit *m_search = nullptr;
    QTimer *m_debounce = nullptr;
    ValueTableModel *m_sessions = nullptr;
    ValueTableModel *m_comparison = nullptr;
    QTableView *m_table = nullptr;
    QTableView *m_compareTable = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_compareTitle = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_export = nullptr;
};

} // namespace plansight::gui
