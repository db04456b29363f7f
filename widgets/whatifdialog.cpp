#include "whatifdialog.h"

#include "planview.h"
#include "present/format.h"
#include "present/whatifwords.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace plansight::gui {

WhatIfDialog::WhatIfDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("What-if index"));
    setObjectName(QStringLiteral("whatIfDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("whatIfSource"));
    m_source->addItem(QStringLiteral("The index typed below"), QString());
    for (const auto &s : allStrategies()) {
        if (hasIndexStatements(*s))
            m_source->addItem(QStringLiteral("The indexes of %1").arg(s->id()), s->id());
    }
    form->addRow(QStringLiteral("Indexes"), m_source);
    m_definition = new QPlainTextEdit(this);
    m_definition->setObjectName(QStringLiteral("whatIfDefinition"));
    m_definition->setPlaceholderText(QStringLiteral("CREATE INDEX ON public.content_tags (tag_id, content_id)"));
    m_definition->setToolTip(QStringLiteral(
        "One CREATE INDEX statement on an existing table. It is passed to HypoPG as a bound value; CONCURRENTLY is "
        "removed (a hypothetical index is not built)."));
    m_definition->setMaximumHeight(m_definition->fontMetrics().lineSpacing() * 4 + 12);
    form->addRow(QStringLiteral("Definition"), m_definition);
    m_query = new QComboBox(this);
    for (const auto &s : allStrategies())
        m_query->addItem(s->id(), s->id());
    m_query->setToolTip(QStringLiteral("The strategy whose query is explained with the typed index."));
    form->addRow(QStringLiteral("Query of"), m_query);
    m_workloadLabel = new QLabel(this);
    m_workloadLabel->setWordWrap(true);
    form->addRow(QStringLiteral("Workload"), m_workloadLabel);
    layout->addLayout(form);

    auto *buttons = new QDialogButtonBox(this);
    m_predict = buttons->addButton(QStringLiteral("&Predict"), QDialogButtonBox::ActionRole);
    m_predict->setObjectName(QStringLiteral("whatIfPredict"));
    m_predict->setDefault(true);
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_predict, &QPushButton::clicked, this, &WhatIfDialog::requestPrediction);
    layout->addWidget(buttons);

    m_verdict = new QLabel(
        QStringLiteral("Nothing is built: HypoPG makes the indexes exist only in the planner of one session."), this);
    m_verdict->setObjectName(QStringLiteral("whatIfVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_verdict);
    m_indexes = new QLabel(this);
    m_indexes->setWordWrap(true);
    m_indexes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_indexes);
    m_plan = new PlanView(this);
    layout->addWidget(m_plan, 1);

    connect(m_source, &QComboBox::currentIndexChanged, this, &WhatIfDialog::updateInputs);
    updateInputs();
    resize(1000, 700);
}

void WhatIfDialog::setWorkload(const Workload &workload, const QString &words)
{
    m_workload = workload;
    m_workloadLabel->setText(words);
}

void WhatIfDialog::setBusy(bool busy)
{
    m_predict->setEnabled(!busy);
    if (busy)
        m_verdict->setText(QStringLiteral("Predicting..."));
}

void WhatIfDialog::updateInputs()
{
    const bool typed = m_source->currentData().toString().isEmpty();
    m_definition->setEnabled(typed);
    m_query->setEnabled(typed);
}

void WhatIfDialog::requestPrediction()
{
    WhatIfRequest request;
    const QString id = m_source->currentData().toString();
    if (id.isEmpty()) {
        request.definition = m_definition->toPlainText();
        // Checked here too, so that a typo is said at once (the job checks again, with the server).
        if (auto def = parseIndexDefinition(request.definition); !def) {
            showError(def.error().message);
            return;
        }
        request.queryStrategy = strategyById(m_query->currentData().toString());
    } else {
        request.strategy = strategyById(id);
    }
    request.workload = m_workload;
    Q_EMIT predictRequested(request);
}

void WhatIfDialog::showError(const QString &message)
{
    m_predict->setEnabled(true);
    m_verdict->setText(message);
    m_indexes->clear();
}

void WhatIfDialog::showResult(const WhatIfResult &result)
{
    m_predict->setEnabled(true);
    m_verdict->setText(result.verdict());
    QStringList lines;
    for (const WhatIfIndex &i : result.indexes) {
        const QString name = i.intendedName.isEmpty() ? QStringLiteral("the index") : i.intendedName;
        lines << (i.refused.isEmpty()
                ? QStringLiteral("%1: estimated size %2, %3")
                      .arg(name, formatBytes(i.estimatedBytes),
                          i.used ? QStringLiteral("used by the plan") : QStringLiteral("not used"))
                : QStringLiteral("%1: not simulated (%2)").arg(name, i.refused));
    }
    if (result.estimatedBytes() >= 0 && result.indexes.size() > 1)
        lines << QStringLiteral("Estimated size in all: %1").arg(formatBytes(result.estimatedBytes()));
    if (!result.notSimulated.isEmpty())
        lines << QStringLiteral("Not simulated (HypoPG makes only indexes hypothetical): %1")
                     .arg(result.notSimulated.join(QStringLiteral("; ")));
    lines << result.notes;
    m_indexes->setText(lines.join(QLatin1Char('\n')));
    // A fresh plan view per prediction: the plan now, and the predicted one compared with it.
    auto *fresh = new PlanView(this);
    if (!result.currentPlan.isEmpty())
        fresh->addPlan(QStringLiteral("now (cost %1)").arg(formatCost(result.currentCost())), result.currentPlan,
            result.currentPlanJson);
    if (result.hasPlan()) {
        fresh->addPlan(
            QStringLiteral("with the hypothetical indexes (cost %1)").arg(formatCost(result.predictedCost())),
            result.predictedPlan, result.predictedPlanJson);
        if (!result.currentPlan.isEmpty())
            fresh->compareWith(fresh->sourceLabels().first());
    }
    delete layout()->replaceWidget(m_plan, fresh);
    m_plan->deleteLater();
    m_plan = fresh;
}

} // namespace plansight::gui
