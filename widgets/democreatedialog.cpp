#include "democreatedialog.h"

#include "present/format.h"

#include "workers/dbtasks.h"
#include "workers/taskworker.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace plansight::gui {

DemoCreateDialog::DemoCreateDialog(TaskWorker *worker, const QString &demoRoot, QWidget *parent)
    : QDialog(parent), m_worker(worker), m_root(demoRoot)
{
    setWindowTitle(QStringLiteral("Create the embedded demo"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(QStringLiteral("PlanSight builds the gallery app's schema in its own PostgreSQL cluster and "
                                            "fills it with data shaped like the app's. Any demo data already there is replaced."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_profile = new QComboBox(this);
    m_profile->addItem(QStringLiteral("genonaut: 101 flat tags, about 75 per item (the app's data)"), int(DemoProfile::Genonaut));
    m_profile->addItem(QStringLiteral("longtail: 5,000 Zipf tags, about 30 per item (rare tags)"), int(DemoProfile::Longtail));
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
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_running)
            m_worker->cancel();
        else
            reject();
    });
    connect(m_worker, &TaskWorker::progress, this, [this](qint64 done, qint64 total, const QString &text) {
        if (!m_running)
            return;
        m_progress->setRange(0, total > 0 ? 1000 : 0);
        if (total > 0)
            m_progress->setValue(int(1000.0 * double(done) / double(total)));
        m_status->setText(text);
    });
    connect(m_worker, &TaskWorker::resultReady, this, [this](const QVariant &v) {
        if (m_running && v.canConvert<DemoBuildReport>())
            Q_EMIT built(v.value<DemoBuildReport>());
    });
    connect(m_worker, &TaskWorker::finished, this, [this] {
        if (!m_running)
            return;
        m_running = false;
        if (m_progress->maximum() > 0 && m_progress->value() == m_progress->maximum())
            accept();
        else {
            m_status->setText(QStringLiteral("Cancelled: the demo will be rebuilt next time."));
            m_create->setEnabled(true);
        }
    });
    connect(m_worker, &TaskWorker::failed, this, [this](const QString &message) {
        if (!m_running)
            return;
        m_running = false;
        m_status->setText(message);
        m_create->setEnabled(true);
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
    m_estimate->setText(QStringLiteral("%1 items, %2 junction rows (the app has 88,146,610 at scale 1).")
                            .arg(formatCount(double(c.regularItems + c.autoItems)), formatCount(double(c.contentTags))));
}

void DemoCreateDialog::start()
{
    const DemoOptions o = options();
    if (auto st = o.validate(); !st) {
        m_status->setText(st.error().message);
        return;
    }
    m_running = true;
    m_create->setEnabled(false);
    m_progress->setRange(0, 0);
    const QString root = m_root;
    m_worker->start(QStringLiteral("Building the demo (%1)").arg(o.describe()), [root, o](CancelToken *cancel, const ProgressFn &progress) -> Result<QVariant> {
        auto r = buildDemoDatabase(root, o, cancel, progress);
        if (!r)
            return r.error();
        return QVariant::fromValue(r.value());
    });
}

} // namespace plansight::gui
