#pragma once

// The window's Experiment editor (docs/experiments.md, "In the window"): an experiment directory opened, edited and
// saved through the core's reader and writer (experiment/experiment.h: loadExperiment in LoadMode::Edit,
// saveExperiment), and run through the window's own session job (MainWindow::startExperimentRun, the same BenchJob
// as Run).
//
// What it shows: the title, description and baseline query (SQL highlighted by SqlHighlighter); the parameter table
// (one row per $n: its name, its type and its value in each workload, a column per workload, values written as the
// manifest holds them: 42, "regular", [1, 2]; an empty cell is a value still to fill in); the result check; and the
// variants, a list beside the selected one's id, title, description, settings (name = value, one per line) and its
// Setup, Query and Teardown tabs.
//
// Errors are the core's sentences, in the editor's banner: a value of the wrong type names its parameter and workload;
// a manifest the reader refuses names the file and line. Nothing here touches a database.
//
// Threading: the GUI thread. Reading and writing a directory of small text files is done in place.

#include "experiment/experiment.h"
#include "util/result.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace plansight::gui {

class BannerWidget;

class ExperimentEditor : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentEditor(QWidget *parent = nullptr);

    // Reads the experiment in `directory` (LoadMode::Edit: values still to fill in and no variant are allowed) into
    // the fields; on error the banner names the file and line, the fields are left as they were.
    Status open(const QString &directory);
    // Writes the edited experiment into `directory` (empty: the one it was opened from or last saved to) and reads it
    // back into the fields; on error the banner says why and nothing is written.
    Status save(const QString &directory = {});
    // The experiment as the fields hold it; an errc::Input error for a value that is not of its type or a settings
    // line that is not `name = value`.
    Result<Experiment> experiment() const;
    QString directory() const { return m_directory; }
    // Run is offered only while the window can start a session (connected, nothing running).
    void setRunEnabled(bool enabled);
    BannerWidget *banner() const { return m_banner; }

Q_SIGNALS:
    // Save succeeded and the reader accepts the experiment for a run (LoadMode::Run): the window runs it.
    void runRequested(std::shared_ptr<const plansight::Experiment> experiment);

private:
    void showExperiment(const Experiment &experiment);
    void openDialog();
    void saveAs();
    void run();
    void addParameter();
    void removeParameter();
    void addWorkload();
    void removeWorkload();
    void renameWorkload(int column);
    void addVariant();
    void removeVariant();
    void selectVariant(int row);
    void storeVariant(); // the detail fields into m_variants[m_current]
    void setTypeCell(int row, ParamType type);
    ParamType typeAt(int row) const;

    BannerWidget *m_banner = nullptr;
    QLabel *m_path = nullptr;
    QPushButton *m_run = nullptr;
    QLineEdit *m_title = nullptr;
    QLineEdit *m_description = nullptr;
    QPlainTextEdit *m_query = nullptr;
    QTableWidget *m_parameters = nullptr;
    QComboBox *m_order = nullptr;
    QLineEdit *m_key = nullptr;
    QSpinBox *m_rowCap = nullptr;
    QListWidget *m_variantList = nullptr;
    QLineEdit *m_variantId = nullptr;
    QLineEdit *m_variantTitle = nullptr;
    QLineEdit *m_variantDescription = nullptr;
    QPlainTextEdit *m_settings = nullptr;
    QTabWidget *m_sqlTabs = nullptr;
    QPlainTextEdit *m_setup = nullptr;
    QPlainTextEdit *m_variantQuery = nullptr;
    QPlainTextEdit *m_teardown = nullptr;

    // What the fields do not show, kept from the experiment opened so that saving does not lose it.
    Experiment m_loaded;
    QStringList m_workloadDescriptions; // per workload column
    QList<ExperimentVariant> m_variants; // the list's variants; the selected one's fields are stored on change
    QStringList m_settingsTexts; // per variant, its settings as typed (parsed by experiment())
    int m_current = -1;
    QString m_directory;
};

} // namespace plansight::gui
