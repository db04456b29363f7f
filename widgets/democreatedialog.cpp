#include "democreatedialog.h"

#include "present/format.h"

#include "workers/dbtasks.h"
#include "workers/joblane.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace plansight::gui {

DemoCreateDialog::DemoCreateDialog(JobLane *changes, const QString &demoRoot, QWidget *parent)
    : QDialog(parent), m_changes(changes), m_root(demoRoot)
{
    setWindowTitle(QStringLiteral("Create the embedded demo"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        QStringLiteral("PlanSight builds the gallery app's schema in its own PostgreSQL cluster and "
                       "fills it with data shaped like the app's. Any demo data already there is replaced."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_profile = new QComboBox(this);
    m_profile->addItem(
        QStringLiteral("genonaut: 101 flat tags, about 75 per item (the app's data)"), int(DemoProfile::Genonaut));
    m_profile->addItem(
        QStringLiteral("longtail: 5,000 Zipf tags, about 30 per item (rare tags)"), int(DemoProfile::Longtail));
    m_scale = new QDoubleSpinBox(this);
    m_scale->setDecimals(4);
    m_scale->setRange(demo::MinScale, demo::MaxScale);
    m_scale->setSingleStep(0.01);
    m_scale->setValue(demo::DefaultScale);
    m_seed = new QLineEdit(QString::number(demo::DefaultSeed), this);
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), m_seed));
    form->addRow(QStringLiteral("Profile"), m_profile);
    form->addRow(QStringLiteral("Scale"), m_scale);
    form->addRow(QStringLiteral("Seed"), m_seed);
    layout->addLayout(form);
    m_estimate = new QLabel(this);
    m_estimate->setWordWrap(true);
    layout->addWidget(m_estimate);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    layout->addWidget(m_progress);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(this);
    m_create = buttons->addButton(QStringLiteral("Create"), QDialogButtonBox::AcceptRole);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);

    connect(m_profile, &QComboBox::currentIndexChanged, this, &DemoCreateDialog::updateEstimate);
    connect(m_scale, &QDoubleSpinBox::valueChanged, this, &DemoCreateDialog::updateEstimate);
    connect(m_create, &QPushButton::clicked, this, &DemoCreateDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, &DemoCreateDialog::reject);
    connect(m_changes, &JobLane::progress, this,
        [this](const JobInfo &job, qint64 done, qint64 total, const QString &text) {
            if (job.id != m_job)
                return;
            m_progress->setRange(0, total > 0 ? 1000 : 0);
            if (total > 0)
                m_progress->setValue(int(1000.0 * double(done) / double(total)));
            m_status->setText(text);
        });
    connect(
        m_changes, &JobLane::finished, this, [this](const JobInfo &job, JobOutcome outcome, const QString &message) {
            if (job.id != m_job)
                return;
            m_job = 0;
            switch (outcome) {
            case JobOutcome::Done:
                accept();
                break;
            case JobOutcome::Failed:
                m_status->setText(message);
                m_create->setEnabled(true);
                break;
            case JobOutcome::Cancelled:
            case JobOutcome::Superseded:
                m_status->setText(QStringLiteral("Cancelled: the demo will be rebuilt next time."));
                m_create->setEnabled(true);
                break;
            }
        });
    connect(this, &DemoCreateDialog::built, this, [this] {
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
    });
    updateEstimate();
}

DemoOptions DemoCreateDialog::options() const
{
    DemoOptions o;
    o.profile = DemoProfile(m_profile->currentData().toInt());
    o.scale = m_scale->value();
    o.seed = m_seed->text().toULongLong();
    return o;
}

void DemoCreateDialog::setOptions(const DemoOptions &o)
{
    m_profile->setCurrentIndex(m_profile->findData(int(o.profile)));
    m_scale->setValue(o.scale);
    m_seed->setText(QString::number(o.seed));
}

void DemoCreateDialog::updateEstimate()
{
    const DemoCounts c = DemoDataGenerator(options()).counts();
    m_estimate->setText(
        QStringLiteral("%1 items, %2 junction rows (the app has 88,146,610 at scale 1).")
            .arg(formatCount(double(c.regularItems + c.autoItems)), formatCount(double(c.contentTags))));
}

void DemoCreateDialog::reject()
{
    if (!m_job) {
        QDialog::reject();
        return;
    }
    // The dialog stays until its build has stopped: it is the build's only view.
    m_status->setText(QStringLiteral("Cancelling the build..."));
    m_changes->cancel(m_job);
}

void DemoCreateDialog::start()
{
    const DemoOptions o = options();
    if (auto st = o.validate(); !st) {
        m_status->setText(st.error().message);
        return;
    }
    m_create->setEnabled(false);
    m_progress->setRange(0, 0);
    const QString root = m_root;
    m_job = m_changes->start<DemoBuildReport>(
        QStringLiteral("demo"), QStringLiteral("Building the demo (%1)").arg(o.describe()),
        [root, o](
            CancelToken *cancel, const ProgressFn &progress) { return buildDemoDatabase(root, o, cancel, progress); },
        [self = QPointer<DemoCreateDialog>(this)](const Result<DemoBuildReport> &r) {
            if (self && r)
                Q_EMIT self->built(r.value());
        });
}

} // namespace plansight::gui
