#pragma once

// Creating (or re-creating) the embedded demo: profile, scale, seed, with progress and cancel. The build runs in
// the TaskWorker the window gives it; the dialog only collects options and shows progress.
//
// Threading: GUI thread.

#include "workers/dbtasks.h" // DemoBuildReport and its metatype

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace plansight::gui {

class TaskWorker;

class DemoCreateDialog : public QDialog {
    Q_OBJECT
public:
    DemoCreateDialog(TaskWorker *worker, const QString &demoRoot, QWidget *parent = nullptr);

    DemoOptions options() const;
    void setOptions(const DemoOptions &options);

Q_SIGNALS:
    void built(const plansight::DemoBuildReport &report);

private:
    void start();
    void updateEstimate();

    TaskWorker *m_worker;
    QString m_root;
    QComboBox *m_profile = nullptr;
    QDoubleSpinBox *m_scale = nullptr;
    QLineEdit *m_seed = nullptr;
    QLabel *m_estimate = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_cancel = nullptr;
    bool m_running = false;
};

} // namespace plansight::gui
