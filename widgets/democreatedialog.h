#pragma once

// Creating (or re-creating) the embedded demo: profile, scale, seed, with progress and cancel. The build is a
// "demo" job on the changes lane the window gives it (workers/joblane.h): it waits for an apply or revert that
// runs, and cancelling the dialog cancels only the build. The dialog only collects options and shows progress.
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

class JobLane;

class DemoCreateDialog : public QDialog {
    Q_OBJECT
public:
    DemoCreateDialog(JobLane *changes, const QString &demoRoot, QWidget *parent = nullptr);

    DemoOptions options() const;
    void setOptions(const DemoOptions &options);
    // Cancel and Esc: while the build runs they cancel it (the dialog stays until it has stopped), else close.
    void reject() override;

Q_SIGNALS:
    void built(const plansight::DemoBuildReport &report);

private:
    void start();
    void updateEstimate();

    JobLane *m_changes;
    QString m_root;
    QComboBox *m_profile = nullptr;
    QDoubleSpinBox *m_scale = nullptr;
    QLineEdit *m_seed = nullptr;
    QLabel *m_estimate = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_cancel = nullptr;
    quint64 m_job = 0; // the build running, 0: none
};

} // namespace plansight::gui
