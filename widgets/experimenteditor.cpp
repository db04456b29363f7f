#include "experimenteditor.h"

#include "bannerwidget.h"
#include "sqlhighlighter.h"
#include "strategies/ddlplan.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace plansight::gui {

namespace {

constexpr int NameColumn = 0;
constexpr int TypeColumn = 1;
constexpr int FirstWorkloadColumn = 2;

const QList<ParamType> &allTypes()
{
    static const QList<ParamType> types { ParamType::Int, ParamType::BigInt, ParamType::Text, ParamType::Bool,
        ParamType::Numeric, ParamType::Timestamptz, ParamType::IntArray, ParamType::TextArray };
    return types;
}

QPlainTextEdit *sqlEdit(const QString &objectName, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(objectName);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setTabStopDistance(4 * edit->fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    new SqlHighlighter(edit->document());
    return edit;
}

// A query field's text as the core holds it: the file's text, and its one statement (the whole text when it holds
// none or several: the reader then names the problem when the experiment is saved and read back).
void queryFromText(const QString &text, QString &fileText, QString &statement)
{
    if (text.trimmed().isEmpty()) {
        fileText.clear();
        statement.clear();
        return;
    }
    fileText = text;
    const QStringList statements = splitSqlStatements(text);
    statement = statements.size() == 1 ? statements.first() : text.trimmed();
}

QString settingsText(const QList<SettingOverride> &settings)
{
    QStringList lines;
    for (const SettingOverride &o : settings)
        lines << QStringLiteral("%1 = %2").arg(o.name, o.value);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

ExperimentEditor::ExperimentEditor(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_banner = new BannerWidget(this);
    m_banner->setObjectName(QStringLiteral("experimentBanner"));
    layout->addWidget(m_banner);

    auto *bar = new QHBoxLayout;
    auto *open = new QPushButton(QStringLiteral("&Open..."), this);
    open->setObjectName(QStringLiteral("experimentOpen"));
    auto *save = new QPushButton(QStringLiteral("&Save"), this);
    save->setObjectName(QStringLiteral("experimentSave"));
    auto *saveAs = new QPushButton(QStringLiteral("Save &as..."), this);
    m_run = new QPushButton(QStringLiteral("&Run experiment"), this);
    m_run->setObjectName(QStringLiteral("experimentRun"));
    m_run->setToolTip(QStringLiteral("Save, check the experiment and measure it on the connected server."));
    m_path = new QLabel(QStringLiteral("A new experiment: Save as... chooses its directory."), this);
    m_path->setObjectName(QStringLiteral("experimentPath"));
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(open);
    bar->addWidget(save);
    bar->addWidget(saveAs);
    bar->addWidget(m_run);
    bar->addWidget(m_path, 1);
    layout->addLayout(bar);
    connect(open, &QPushButton::clicked, this, &ExperimentEditor::openDialog);
    connect(save, &QPushButton::clicked, this, [this] {
        if (m_directory.isEmpty())
            this->saveAs();
        else
            (void)this->save();
    });
    connect(saveAs, &QPushButton::clicked, this, &ExperimentEditor::saveAs);
    connect(m_run, &QPushButton::clicked, this, &ExperimentEditor::run);

    auto *split = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(split, 1);

    // The baseline: title, description, query, parameters and workloads, result check.
    auto *left = new QWidget(split);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    m_title = new QLineEdit(left);
    m_title->setObjectName(QStringLiteral("experimentTitle"));
    m_description = new QLineEdit(left);
    m_description->setObjectName(QStringLiteral("experimentDescription"));
    form->addRow(QStringLiteral("&Title:"), m_title);
    form->addRow(QStringLiteral("&Description:"), m_description);
    leftLayout->addLayout(form);
    leftLayout->addWidget(new QLabel(QStringLiteral("Baseline query ($1..$n are the parameters):"), left));
    m_query = sqlEdit(QStringLiteral("experimentQuery"), left);
    leftLayout->addWidget(m_query, 1);

    auto *params = new QGroupBox(QStringLiteral("Parameters and workloads"), left);
    auto *paramsLayout = new QVBoxLayout(params);
    m_parameters = new QTableWidget(0, FirstWorkloadColumn, params);
    m_parameters->setObjectName(QStringLiteral("experimentParameters"));
    m_parameters->setHorizontalHeaderLabels({ QStringLiteral("Name"), QStringLiteral("Type") });
    m_parameters->horizontalHeader()->setStretchLastSection(true);
    m_parameters->verticalHeader()->setDefaultSectionSize(m_parameters->fontMetrics().height() + 10);
    m_parameters->setToolTip(QStringLiteral("One row per placeholder ($1 first). Values as the manifest holds them: "
                                            "42, \"regular\", true, [1, 2], 2024-05-01T00:00:00Z; empty: to fill in. "
                                            "Double-click a workload's header to rename it."));
    paramsLayout->addWidget(m_parameters);
    auto *paramButtons = new QHBoxLayout;
    for (auto [text, slot] : { std::pair { "Add parameter", &ExperimentEditor::addParameter },
             std::pair { "Remove parameter", &ExperimentEditor::removeParameter },
             std::pair { "Add workload", &ExperimentEditor::addWorkload },
             std::pair { "Remove workload", &ExperimentEditor::removeWorkload } }) {
        auto *b = new QPushButton(QString::fromLatin1(text), params);
        connect(b, &QPushButton::clicked, this, slot);
        paramButtons->addWidget(b);
    }
    paramButtons->addStretch(1);
    paramsLayout->addLayout(paramButtons);
    connect(
        m_parameters->horizontalHeader(), &QHeaderView::sectionDoubleClicked, this, &ExperimentEditor::renameWorkload);
    // Room for four parameters without scrolling (the gallery has four).
    m_parameters->setMinimumHeight(m_parameters->horizontalHeader()->sizeHint().height()
        + 4 * m_parameters->verticalHeader()->defaultSectionSize() + 2 * m_parameters->frameWidth()
        + m_parameters->horizontalScrollBar()->sizeHint().height() + 4);
    leftLayout->addWidget(params, 1);

    auto *check = new QGroupBox(QStringLiteral("Result check"), left);
    auto *checkLayout = new QHBoxLayout(check);
    m_order = new QComboBox(check);
    m_order->setObjectName(QStringLiteral("experimentOrder"));
    m_order->addItem(QStringLiteral("ordered"), int(ExperimentCheck::Order::Ordered));
    m_order->addItem(QStringLiteral("multiset"), int(ExperimentCheck::Order::Multiset));
    m_key = new QLineEdit(check);
    m_key->setObjectName(QStringLiteral("experimentKey"));
    m_key->setPlaceholderText(QStringLiteral("all columns"));
    m_key->setToolTip(QStringLiteral("The columns compared, separated by commas; empty: all columns."));
    m_rowCap = new QSpinBox(check);
    m_rowCap->setRange(1, 10000000);
    m_rowCap->setValue(ExperimentCheck().rowCap);
    m_rowCap->setToolTip(QStringLiteral("Beyond this many rows, results are compared by one hash."));
    checkLayout->addWidget(new QLabel(QStringLiteral("Rows:"), check));
    checkLayout->addWidget(m_order);
    checkLayout->addWidget(new QLabel(QStringLiteral("Key:"), check));
    checkLayout->addWidget(m_key, 1);
    checkLayout->addWidget(new QLabel(QStringLiteral("Row cap:"), check));
    checkLayout->addWidget(m_rowCap);
    leftLayout->addWidget(check);

    // The variants: the list, and the selected one's fields and SQL.
    auto *right = new QGroupBox(QStringLiteral("Variants"), split);
    // The list above the selected variant's fields, so that its SQL tabs get the panel's whole width.
    auto *rightLayout = new QVBoxLayout(right);
    auto *listColumn = new QHBoxLayout;
    m_variantList = new QListWidget(right);
    m_variantList->setObjectName(QStringLiteral("experimentVariants"));
    m_variantList->setMaximumHeight(m_variantList->fontMetrics().height() * 5 + 12);
    listColumn->addWidget(m_variantList, 1);
    auto *variantButtons = new QVBoxLayout;
    auto *addVariant = new QPushButton(QStringLiteral("Add variant"), right);
    addVariant->setObjectName(QStringLiteral("experimentAddVariant"));
    auto *removeVariant = new QPushButton(QStringLiteral("Remove variant"), right);
    variantButtons->addWidget(addVariant);
    variantButtons->addWidget(removeVariant);
    variantButtons->addStretch(1);
    listColumn->addLayout(variantButtons);
    rightLayout->addLayout(listColumn);
    connect(addVariant, &QPushButton::clicked, this, &ExperimentEditor::addVariant);
    connect(removeVariant, &QPushButton::clicked, this, &ExperimentEditor::removeVariant);
    connect(m_variantList, &QListWidget::currentRowChanged, this, &ExperimentEditor::selectVariant);

    auto *detail = new QVBoxLayout;
    auto *variantForm = new QFormLayout;
    m_variantId = new QLineEdit(right);
    m_variantId->setObjectName(QStringLiteral("variantId"));
    m_variantTitle = new QLineEdit(right);
    m_variantTitle->setObjectName(QStringLiteral("variantTitle"));
    m_variantDescription = new QLineEdit(right);
    m_variantDescription->setObjectName(QStringLiteral("variantDescription"));
    m_settings = new QPlainTextEdit(right);
    m_settings->setObjectName(QStringLiteral("variantSettings"));
    m_settings->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_settings->setPlaceholderText(QStringLiteral("work_mem = 64MB"));
    m_settings->setFixedHeight(m_settings->fontMetrics().height() * 4 + 12);
    variantForm->addRow(QStringLiteral("I&d:"), m_variantId);
    variantForm->addRow(QStringLiteral("T&itle:"), m_variantTitle);
    variantForm->addRow(QStringLiteral("Descri&ption:"), m_variantDescription);
    variantForm->addRow(QStringLiteral("Settin&gs:"), m_settings);
    detail->addLayout(variantForm);
    m_sqlTabs = new QTabWidget(right);
    m_sqlTabs->setObjectName(QStringLiteral("variantSqlTabs"));
    m_setup = sqlEdit(QStringLiteral("variantSetup"), m_sqlTabs);
    m_variantQuery = sqlEdit(QStringLiteral("variantQuery"), m_sqlTabs);
    m_teardown = sqlEdit(QStringLiteral("variantTeardown"), m_sqlTabs);
    m_setup->setPlaceholderText(QStringLiteral("DDL run before the variant is measured (CREATE INDEX ...)"));
    m_variantQuery->setPlaceholderText(QStringLiteral("A rewrite of the baseline with the same parameters; empty: "
                                                      "the baseline's query"));
    m_teardown->setPlaceholderText(QStringLiteral("What undoes the setup (DROP INDEX ...)"));
    m_sqlTabs->addTab(m_setup, QStringLiteral("Set&up"));
    m_sqlTabs->addTab(m_variantQuery, QStringLiteral("&Query"));
    m_sqlTabs->addTab(m_teardown, QStringLiteral("Tear&down"));
    detail->addWidget(m_sqlTabs, 1);
    rightLayout->addLayout(detail, 1);

    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    Experiment empty;
    empty.workloads.append({ QStringLiteral("default"), QString(), {} });
    showExperiment(empty);
}

void ExperimentEditor::setRunEnabled(bool enabled)
{
    m_run->setEnabled(enabled);
}

void ExperimentEditor::setTypeCell(int row, ParamType type)
{
    auto *combo = new QComboBox(m_parameters);
    for (ParamType t : allTypes())
        combo->addItem(toString(t), int(t));
    combo->setCurrentIndex(int(allTypes().indexOf(type)));
    m_parameters->setCellWidget(row, TypeColumn, combo);
}

ParamType ExperimentEditor::typeAt(int row) const
{
    auto *combo = qobject_cast<QComboBox *>(m_parameters->cellWidget(row, TypeColumn));
    return combo ? ParamType(combo->currentData().toInt()) : ParamType::Text;
}

void ExperimentEditor::showExperiment(const Experiment &ex)
{
    m_loaded = ex;
    m_title->setText(ex.title);
    m_description->setText(ex.description);
    // Long texts show their beginning, not their end.
    m_title->setCursorPosition(0);
    m_description->setCursorPosition(0);
    m_query->setPlainText(ex.queryFileText.isEmpty() ? ex.querySql : ex.queryFileText);

    // Without parameters the reader makes one workload "default" with no values; the table shows none.
    QList<ParameterSet> workloads = ex.workloads;
    m_parameters->clear();
    m_parameters->setRowCount(int(ex.parameters.size()));
    m_parameters->setColumnCount(FirstWorkloadColumn + int(workloads.size()));
    QStringList header { QStringLiteral("Name"), QStringLiteral("Type") };
    m_workloadDescriptions.clear();
    for (const ParameterSet &set : workloads) {
        header << set.name;
        m_workloadDescriptions << set.description;
    }
    m_parameters->setHorizontalHeaderLabels(header);
    for (int r = 0; r < ex.parameters.size(); ++r) {
        const ExperimentParameter &p = ex.parameters[r];
        m_parameters->setItem(r, NameColumn, new QTableWidgetItem(p.name));
        setTypeCell(r, p.type);
        for (int w = 0; w < workloads.size(); ++w)
            m_parameters->setItem(r, FirstWorkloadColumn + w,
                new QTableWidgetItem(manifestValueText(workloads[w].values.value(r), p.type)));
    }
    m_parameters->setVerticalHeaderLabels([&] {
        QStringList l;
        for (int r = 0; r < ex.parameters.size(); ++r)
            l << QStringLiteral("$%1").arg(r + 1);
        return l;
    }());
    m_parameters->resizeColumnsToContents();

    m_order->setCurrentIndex(ex.check.order == ExperimentCheck::Order::Multiset ? 1 : 0);
    m_key->setText(ex.check.keyColumns.join(QStringLiteral(", ")));
    m_rowCap->setValue(ex.check.rowCap);

    m_current = -1;
    m_variants = ex.variants;
    m_settingsTexts.clear();
    for (const ExperimentVariant &v : ex.variants)
        m_settingsTexts << settingsText(v.settings);
    m_variantList->clear();
    for (const ExperimentVariant &v : ex.variants)
        m_variantList->addItem(v.id);
    if (!m_variants.isEmpty())
        m_variantList->setCurrentRow(0);
    else
        selectVariant(-1);

    m_directory = ex.directory;
    m_path->setText(m_directory.isEmpty() ? QStringLiteral("A new experiment: Save as... chooses its directory.")
                                          : QDir::toNativeSeparators(m_directory));
}

void ExperimentEditor::storeVariant()
{
    if (m_current < 0 || m_current >= m_variants.size())
        return;
    ExperimentVariant &v = m_variants[m_current];
    v.id = m_variantId->text().trimmed();
    v.title = m_variantTitle->text();
    v.description = m_variantDescription->text();
    m_settingsTexts[m_current] = m_settings->toPlainText();
    v.setupSql = m_setup->toPlainText();
    v.teardownSql = m_teardown->toPlainText();
    queryFromText(m_variantQuery->toPlainText(), v.queryFileText, v.querySql);
    if (auto *item = m_variantList->item(m_current))
        item->setText(v.id.isEmpty() ? QStringLiteral("(no id)") : v.id);
}

void ExperimentEditor::selectVariant(int row)
{
    storeVariant();
    m_current = row;
    const bool any = row >= 0 && row < m_variants.size();
    for (QWidget *w :
        std::initializer_list<QWidget *> { m_variantId, m_variantTitle, m_variantDescription, m_settings, m_sqlTabs })
        w->setEnabled(any);
    const ExperimentVariant v = any ? m_variants[row] : ExperimentVariant();
    m_variantId->setText(v.id);
    m_variantTitle->setText(v.title);
    m_variantDescription->setText(v.description);
    m_variantTitle->setCursorPosition(0);
    m_variantDescription->setCursorPosition(0);
    m_settings->setPlainText(any ? m_settingsTexts.value(row) : QString());
    m_setup->setPlainText(v.setupSql);
    m_variantQuery->setPlainText(v.queryFileText.isEmpty() ? v.querySql : v.queryFileText);
    m_teardown->setPlainText(v.teardownSql);
}

Result<Experiment> ExperimentEditor::experiment() const
{
    const_cast<ExperimentEditor *>(this)->storeVariant();
    Experiment ex = m_loaded;
    ex.title = m_title->text();
    ex.description = m_description->text();
    queryFromText(m_query->toPlainText(), ex.queryFileText, ex.querySql);
    if (ex.queryFile.isEmpty())
        ex.queryFile = QStringLiteral("query.sql");
    ex.parameters.clear();
    for (int r = 0; r < m_parameters->rowCount(); ++r) {
        const QTableWidgetItem *name = m_parameters->item(r, NameColumn);
        ex.parameters.append({ name ? name->text().trimmed() : QString(), typeAt(r) });
    }
    ex.workloads.clear();
    for (int c = FirstWorkloadColumn; c < m_parameters->columnCount(); ++c) {
        ParameterSet set;
        const QTableWidgetItem *header = m_parameters->horizontalHeaderItem(c);
        set.name = header ? header->text() : QString();
        set.description = m_workloadDescriptions.value(c - FirstWorkloadColumn);
        for (int r = 0; r < m_parameters->rowCount(); ++r) {
            const QTableWidgetItem *cell = m_parameters->item(r, c);
            auto value = parseManifestValue(cell ? cell->text() : QString(), ex.parameters[r].type);
            if (!value)
                return Error::make(errc::Input,
                    QStringLiteral("The value of $%1 (%2) in workload \"%3\": %4")
                        .arg(r + 1)
                        .arg(ex.parameters[r].name, set.name, value.error().message));
            set.values.append(value.value());
        }
        ex.workloads.append(set);
    }
    ex.check.order = ExperimentCheck::Order(m_order->currentData().toInt());
    ex.check.keyColumns.clear();
    for (const QString &k : m_key->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!k.trimmed().isEmpty())
            ex.check.keyColumns << k.trimmed();
    ex.check.rowCap = m_rowCap->value();
    ex.variants = m_variants;
    for (int i = 0; i < ex.variants.size(); ++i) {
        QList<SettingOverride> settings;
        const QStringList lines = m_settingsTexts.value(i).split(QLatin1Char('\n'));
        for (int l = 0; l < lines.size(); ++l) {
            const QString line = lines[l].trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
                continue;
            const qsizetype eq = line.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return Error::make(errc::Input,
                    QStringLiteral("Settings line %1 of variant \"%2\" is \"%3\"; write name = value, such as "
                                   "work_mem = 64MB.")
                        .arg(l + 1)
                        .arg(ex.variants[i].id, line));
            QString value = line.mid(eq + 1).trimmed();
            if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
                value = value.mid(1, value.size() - 2);
            settings.append({ line.left(eq).trimmed(), value, 0 });
        }
        ex.variants[i].settings = settings;
    }
    return ex;
}

Status ExperimentEditor::open(const QString &directory)
{
    auto loaded = loadExperiment(directory, LoadMode::Edit);
    if (!loaded) {
        m_banner->showMessage(BannerWidget::Kind::Error, loaded.error().message);
        return loaded.error();
    }
    m_banner->dismiss();
    showExperiment(loaded.value());
    return {};
}

Status ExperimentEditor::save(const QString &directory)
{
    const QString dir = directory.isEmpty() ? m_directory : directory;
    if (dir.isEmpty())
        return Error::make(errc::Input, QStringLiteral("The experiment has no directory yet; use Save as..."));
    auto ex = experiment();
    if (!ex) {
        m_banner->showMessage(BannerWidget::Kind::Error, ex.error().message);
        return ex.error();
    }
    auto saved = saveExperiment(ex.value(), dir);
    if (!saved) {
        m_banner->showMessage(BannerWidget::Kind::Error, saved.error().message);
        return saved.error();
    }
    const int variant = m_variantList->currentRow();
    showExperiment(saved.value());
    if (variant >= 0 && variant < m_variantList->count())
        m_variantList->setCurrentRow(variant);
    m_banner->showMessage(
        BannerWidget::Kind::Info, QStringLiteral("Saved to %1.").arg(QDir::toNativeSeparators(saved->directory)));
    return {};
}

void ExperimentEditor::openDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, QStringLiteral("Open experiment (the directory with experiment.toml)"), m_directory);
    if (!dir.isEmpty())
        (void)open(dir);
}

void ExperimentEditor::saveAs()
{
    const QString dir
        = QFileDialog::getExistingDirectory(this, QStringLiteral("Save experiment into directory"), m_directory);
    if (!dir.isEmpty())
        (void)save(dir);
}

void ExperimentEditor::run()
{
    if (m_directory.isEmpty()) {
        saveAs();
        if (m_directory.isEmpty())
            return;
    } else if (!save().ok()) {
        return;
    }
    // The reader's rules for a run: every value filled in, at least one variant; refused with the file and line.
    auto runnable = loadExperiment(m_directory, LoadMode::Run);
    if (!runnable) {
        m_banner->showMessage(BannerWidget::Kind::Error, runnable.error().message);
        return;
    }
    Q_EMIT runRequested(std::make_shared<const Experiment>(runnable.value()));
}

void ExperimentEditor::addParameter()
{
    const int row = m_parameters->rowCount();
    m_parameters->insertRow(row);
    m_parameters->setItem(row, NameColumn, new QTableWidgetItem(QStringLiteral("p%1").arg(row + 1)));
    setTypeCell(row, ParamType::Text);
    for (int c = FirstWorkloadColumn; c < m_parameters->columnCount(); ++c)
        m_parameters->setItem(row, c, new QTableWidgetItem());
    m_parameters->setVerticalHeaderItem(row, new QTableWidgetItem(QStringLiteral("$%1").arg(row + 1)));
}

void ExperimentEditor::removeParameter()
{
    if (m_parameters->rowCount() > 0)
        m_parameters->removeRow(m_parameters->rowCount() - 1); // placeholders are numbered: the last one goes
}

void ExperimentEditor::addWorkload()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, QStringLiteral("Add workload"),
        QStringLiteral("Name (letters, digits, '-', '_', '.'):"), QLineEdit::Normal,
        QStringLiteral("workload-%1").arg(m_parameters->columnCount() - FirstWorkloadColumn + 1), &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    const int column = m_parameters->columnCount();
    m_parameters->insertColumn(column);
    m_parameters->setHorizontalHeaderItem(column, new QTableWidgetItem(name.trimmed()));
    m_workloadDescriptions << QString();
    for (int r = 0; r < m_parameters->rowCount(); ++r)
        m_parameters->setItem(r, column, new QTableWidgetItem());
}

void ExperimentEditor::removeWorkload()
{
    int column = m_parameters->currentColumn();
    if (column < FirstWorkloadColumn)
        column = m_parameters->columnCount() - 1;
    if (column < FirstWorkloadColumn)
        return;
    m_parameters->removeColumn(column);
    m_workloadDescriptions.removeAt(column - FirstWorkloadColumn);
}

void ExperimentEditor::renameWorkload(int column)
{
    if (column < FirstWorkloadColumn)
        return;
    QTableWidgetItem *header = m_parameters->horizontalHeaderItem(column);
    bool ok = false;
    const QString name = QInputDialog::getText(this, QStringLiteral("Rename workload"), QStringLiteral("Name:"),
        QLineEdit::Normal, header ? header->text() : QString(), &ok);
    if (ok && !name.trimmed().isEmpty())
        m_parameters->setHorizontalHeaderItem(column, new QTableWidgetItem(name.trimmed()));
}

void ExperimentEditor::addVariant()
{
    ExperimentVariant v;
    v.id = QStringLiteral("variant-%1").arg(m_variants.size() + 1);
    v.title = QStringLiteral("A new idea");
    m_variants.append(v);
    m_settingsTexts << QString();
    m_variantList->addItem(v.id);
    m_variantList->setCurrentRow(int(m_variants.size()) - 1);
}

void ExperimentEditor::removeVariant()
{
    const int row = m_variantList->currentRow();
    if (row < 0)
        return;
    m_current = -1; // its fields are not stored back
    m_variants.removeAt(row);
    m_settingsTexts.removeAt(row);
    delete m_variantList->takeItem(row);
    selectVariant(m_variantList->currentRow());
}

} // namespace plansight::gui
