#pragma once

// The what-if dialog (Run > What-if index...): the DBA types one CREATE INDEX definition, or picks a strategy with
// indexes, and sees the plan the planner would choose with those indexes hypothetical (HypoPG), in the plan view
// beside the plan it chooses now, with the estimated size (strategies/whatif.h). The dialog only collects the request
// and shows the result: the main window runs the prediction as a job (workers/dbtasks.h, predictWhatIf) and hands
// back the value.
//
// Threading: GUI thread.

#include "strategies/whatif.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace plansight::gui {

class PlanView;

class WhatIfDialog : public QDialog {
    Q_OBJECT
public:
    explicit WhatIfDialog(QWidget *parent = nullptr);

    // The workload the prediction explains (the Run panel's), shown in words.
    void setWorkload(const Workload &workload, const QString &words);
    // While a prediction runs: Predict is disabled.
    void setBusy(bool busy);
    void showResult(const WhatIfResult &result);
    void showError(const QString &message);

    QPlainTextEdit *definitionEdit() const { return m_definition; }
    QComboBox *sourceBox() const { return m_source; }
    QPushButton *predictButton() const { return m_predict; }
    QLabel *verdictLabel() const { return m_verdict; }
    PlanView *planView() const { return m_plan; }

Q_SIGNALS:
    // The request, without the extension permission (predictWhatIf decides).
    void predictRequested(const WhatIfRequest &request);

private:
    void requestPrediction();
    void updateInputs();

    Workload m_workload;
    QComboBox *m_source = nullptr; // "a typed definition", then the strategies with indexes
    QPlainTextEdit *m_definition = nullptr;
    QComboBox *m_query = nullptr; // whose query a typed definition is explained with
    QLabel *m_workloadLabel = nullptr;
    QPushButton *m_predict = nullptr;
    QLabel *m_verdict = nullptr;
    QLabel *m_indexes = nullptr;
    PlanView *m_plan = nullptr;
};

} // namespace plansight::gui

Q_DECLARE_METATYPE(plansight::WhatIfRequest)
