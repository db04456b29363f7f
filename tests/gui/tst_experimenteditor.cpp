// The window's Experiment editor (docs/experiments.md, "In the window"): the gallery example opened, edited through
// its fields, saved and opened again holds what was typed and nothing else changed; a value of the wrong type and an
// unfilled value are refused with the parameter, the workload, the file and the line; the SQL is highlighted; and the
// window runs an experiment through its own session job against a real server.

#include "bannerwidget.h"
#include "benchhelpers.h"
#include "experiment/experiment.h"
#include "experimenteditor.h"
#include "mainwindow.h"
#include "resultsview.h"
#include "sqlhighlighter.h"
#include "testcluster.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

using namespace plansight;
using namespace plansight::gui;

namespace {

QString galleryExample()
{
    return QDir::cleanPath(
        QDir(QStringLiteral(PLANSIGHT_TEST_DATA)).absoluteFilePath(QStringLiteral("../../examples/gallery")));
}

// A writable copy of the gallery example in `dir`.
void copyGallery(const QString &dir)
{
    QDirIterator it(galleryExample(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString from = it.next();
        const QString to = QDir(dir).absoluteFilePath(QDir(galleryExample()).relativeFilePath(from));
        QDir().mkpath(QFileInfo(to).absolutePath());
        QVERIFY(QFile::copy(from, to));
        QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner);
    }
}

template<typename T>
T *child(QWidget &w, const char *name)
{
    auto *c = w.findChild<T *>(QString::fromLatin1(name));
    if (!c)
        qFatal("no child %s", name);
    return c;
}

// The column of workload `name` in the parameter table.
int workloadColumn(QTableWidget *table, const QString &name)
{
    for (int c = 0; c < table->columnCount(); ++c)
        if (table->horizontalHeaderItem(c) && table->horizontalHeaderItem(c)->text() == name)
            return c;
    return -1;
}

// The format the highlighter gave the character at `pos` of `edit`'s text.
QTextCharFormat formatAt(QPlainTextEdit *edit, int pos)
{
    const QTextBlock block = edit->document()->findBlock(pos);
    const int inBlock = pos - block.position();
    for (const QTextLayout::FormatRange &r : block.layout()->formats())
        if (inBlock >= r.start && inBlock < r.start + r.length)
            return r.format;
    return {};
}

} // namespace

class TestExperimentEditor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theGalleryExampleOpensEditsSavesAndReopensTheSame()
    {
        QTemporaryDir dir;
        copyGallery(dir.path());
        ExperimentEditor editor;
        editor.resize(1366, 700);
        editor.show();
        QVERIFY(editor.open(dir.path()).ok());
        auto original = loadExperiment(dir.path());
        QVERIFY(original.ok());
        // Opened and taken back unchanged: the same experiment.
        auto shown = editor.experiment();
        QVERIFY2(shown.ok(), qPrintable(shown.ok() ? QString() : shown.error().message));
        QCOMPARE(experimentDifference(shown.value(), original.value()), QString());

        // Edits, as a user makes them.
        auto *title = child<QLineEdit>(editor, "experimentTitle");
        title->selectAll();
        QTest::keyClicks(title, QStringLiteral("Gallery, edited"));
        auto *table = child<QTableWidget>(editor, "experimentParameters");
        const int page3 = workloadColumn(table, QStringLiteral("page-3"));
        QVERIFY(page3 > 0);
        QCOMPARE(table->item(3, page3)->text(), QStringLiteral("50"));
        table->item(3, page3)->setText(QStringLiteral("75"));
        auto *variants = child<QListWidget>(editor, "experimentVariants");
        QCOMPARE(variants->count(), 3);
        variants->setCurrentRow(1); // more-memory
        QCOMPARE(child<QLineEdit>(editor, "variantId")->text(), QStringLiteral("more-memory"));
        auto *settings = child<QPlainTextEdit>(editor, "variantSettings");
        QCOMPARE(settings->toPlainText(), QStringLiteral("work_mem = 64MB\njit = off"));
        settings->setPlainText(QStringLiteral("work_mem = 128MB\njit = off"));
        variants->setCurrentRow(2); // prejoin: leaving more-memory keeps its settings
        auto *rewrite = child<QPlainTextEdit>(editor, "variantQuery");
        QVERIFY(rewrite->toPlainText().contains(QStringLiteral("SELECT")));
        QVERIFY(editor.save().ok());
        QCOMPARE(editor.banner()->kind(), BannerWidget::Kind::Info);

        // Read back by the core's reader: what was typed, and nothing else changed.
        auto reread = loadExperiment(dir.path());
        QVERIFY2(reread.ok(), qPrintable(reread.ok() ? QString() : reread.error().message));
        QCOMPARE(reread->title, QStringLiteral("Gallery, edited"));
        QCOMPARE(reread->workloads[1].values[3], QVariant(qlonglong(75)));
        QCOMPARE(reread->variants[1].settings[0].value, QStringLiteral("128MB"));
        Experiment expected = original.value();
        expected.title = QStringLiteral("Gallery, edited");
        expected.workloads[1].values[3] = qlonglong(75);
        expected.variants[1].settings[0].value = QStringLiteral("128MB");
        QCOMPARE(experimentDifference(reread.value(), expected), QString());
        // The query files keep their comments.
        QCOMPARE(reread->queryFileText, original->queryFileText);

        // A second editor opening the saved directory holds the same experiment as the first.
        ExperimentEditor again;
        QVERIFY(again.open(dir.path()).ok());
        auto first = editor.experiment(), second = again.experiment();
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(experimentDifference(first.value(), second.value()), QString());
    }

    void aNewVariantWithItsSqlIsSaved()
    {
        QTemporaryDir dir;
        copyGallery(dir.path());
        ExperimentEditor editor;
        QVERIFY(editor.open(dir.path()).ok());
        auto *variants = child<QListWidget>(editor, "experimentVariants");
        child<QPushButton>(editor, "experimentAddVariant")->click();
        QCOMPARE(variants->count(), 4);
        child<QLineEdit>(editor, "variantId")->setText(QStringLiteral("user-index"));
        child<QLineEdit>(editor, "variantTitle")->setText(QStringLiteral("An index on the creator"));
        child<QPlainTextEdit>(editor, "variantSetup")
            ->setPlainText(QStringLiteral("CREATE INDEX gallery_ex_creator ON public.content_items (creator_id);"));
        child<QPlainTextEdit>(editor, "variantTeardown")
            ->setPlainText(QStringLiteral("DROP INDEX public.gallery_ex_creator;"));
        QVERIFY(editor.save().ok());
        auto reread = loadExperiment(dir.path());
        QVERIFY2(reread.ok(), qPrintable(reread.ok() ? QString() : reread.error().message));
        QCOMPARE(reread->variants.size(), 4);
        QCOMPARE(reread->variants[3].id, QStringLiteral("user-index"));
        QCOMPARE(reread->variants[3].setupFile, QStringLiteral("user-index/setup.sql"));
        QVERIFY(reread->variants[3].teardownSql.contains(QStringLiteral("DROP INDEX")));
        QCOMPARE(variants->item(3)->text(), QStringLiteral("user-index"));
    }

    void aWrongValueOrAnUnfilledOneIsNamed()
    {
        QTemporaryDir dir;
        copyGallery(dir.path());
        ExperimentEditor editor;
        QVERIFY(editor.open(dir.path()).ok());
        QSignalSpy run(&editor, &ExperimentEditor::runRequested);
        auto *table = child<QTableWidget>(editor, "experimentParameters");
        const int canonical = workloadColumn(table, QStringLiteral("canonical"));
        table->item(2, canonical)->setText(QStringLiteral("\"twenty\""));
        QVERIFY(!editor.save().ok());
        QCOMPARE(editor.banner()->kind(), BannerWidget::Kind::Error);
        QVERIFY2(
            editor.banner()->text().contains(QStringLiteral("$3 (page_size)")), qPrintable(editor.banner()->text()));
        QVERIFY(editor.banner()->text().contains(QStringLiteral("canonical")));
        QVERIFY(editor.banner()->text().contains(QStringLiteral("an integer")));
        auto untouched = loadExperiment(dir.path());
        QVERIFY(untouched.ok());
        QCOMPARE(untouched->workloads[0].values[2], QVariant(qlonglong(25))); // nothing written

        // Emptied: saved as { fill = "bigint" }, and Run names the file and line instead of running.
        table->item(2, canonical)->setText(QString());
        child<QPushButton>(editor, "experimentRun")->click();
        QCOMPARE(run.count(), 0);
        QVERIFY2(editor.banner()->text().contains(QStringLiteral("experiment.toml, line")),
            qPrintable(editor.banner()->text()));
        QVERIFY(editor.banner()->text().contains(QStringLiteral("still to be filled in")));
        table->item(2, canonical)->setText(QStringLiteral("25"));
        child<QPushButton>(editor, "experimentRun")->click();
        QCOMPARE(run.count(), 1);
        QCOMPARE(run.first().first().value<std::shared_ptr<const Experiment>>()->variants.size(), 3);
    }

    void sqlIsHighlighted()
    {
        QPlainTextEdit edit;
        auto *h = new SqlHighlighter(edit.document());
        edit.setPlainText(QStringLiteral("SELECT 'a -- b', $1 /* open\nstill */ FROM t -- note\nWHERE x = 42"));
        edit.show();
        QApplication::processEvents();
        const QString text = edit.toPlainText();
        QCOMPARE(formatAt(&edit, 0), h->formatFor(SqlHighlighter::Kind::Keyword)); // SELECT
        QCOMPARE(formatAt(&edit, int(text.indexOf(QStringLiteral("-- b")))),
            h->formatFor(SqlHighlighter::Kind::String)); // inside a string, not a comment
        QCOMPARE(
            formatAt(&edit, int(text.indexOf(QStringLiteral("$1")))), h->formatFor(SqlHighlighter::Kind::Placeholder));
        QCOMPARE(formatAt(&edit, int(text.indexOf(QStringLiteral("still")))),
            h->formatFor(SqlHighlighter::Kind::Comment)); // a block comment over two lines
        QCOMPARE(
            formatAt(&edit, int(text.indexOf(QStringLiteral("FROM")))), h->formatFor(SqlHighlighter::Kind::Keyword));
        QCOMPARE(
            formatAt(&edit, int(text.indexOf(QStringLiteral("note")))), h->formatFor(SqlHighlighter::Kind::Comment));
        QCOMPARE(formatAt(&edit, int(text.indexOf(QStringLiteral("42")))), h->formatFor(SqlHighlighter::Kind::Number));
        QVERIFY(formatAt(&edit, int(text.indexOf(QStringLiteral(" t ")) + 1)) == QTextCharFormat()); // a table name
    }

    // The window runs the editor's experiment through its own session job, on a real server.
    void theWindowRunsAnExperiment()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        // The server is talked to off the GUI thread (PgSession refuses it).
        const QString prepared = test::offGuiThread([] {
            auto session = test::TestCluster::get()->connect(QStringLiteral("editor"));
            if (!session)
                return QStringLiteral("no connection");
            for (const char *sql : { "DROP TABLE IF EXISTS items", "CREATE TABLE items (id int, grp int)",
                     "INSERT INTO items SELECT g, g % 10 FROM generate_series(1, 5000) g", "ANALYZE items" })
                if (auto r = session->exec(QString::fromUtf8(sql)); !r)
                    return r.error().toString();
            return QString();
        });
        QVERIFY2(prepared.isEmpty(), qPrintable(prepared));
        QTemporaryDir dir;
        Experiment ex;
        ex.title = QStringLiteral("Items of a group");
        ex.querySql = QStringLiteral("SELECT id FROM items WHERE grp = $1 ORDER BY id");
        ex.parameters = { { QStringLiteral("grp"), ParamType::Int } };
        ex.workloads = { { QStringLiteral("three"), QString(), { qlonglong(3) } } };
        ExperimentVariant v;
        v.id = QStringLiteral("more-memory");
        v.title = QStringLiteral("More work_mem");
        v.settings = { { QStringLiteral("work_mem"), QStringLiteral("16MB"), 0 } };
        ex.variants = { v };
        QVERIFY(saveExperiment(ex, dir.path()).ok());

        QTemporaryDir home;
        MainWindowOptions options;
        options.historyPath = home.filePath(QStringLiteral("history.sqlite"));
        options.restoreSettings = false;
        options.connectAtStart = false;
        MainWindow window(options);
        window.resize(1366, 768);
        window.show();
        QSignalSpy ready(&window, &MainWindow::serverReady);
        ConnectionTarget target;
        target.conninfo = test::TestCluster::get()->conninfo(QStringLiteral("editor"));
        target.name = QStringLiteral("test");
        target.isDemo = false;
        target.mayAskPassword = false;
        window.connectTo(target);
        QVERIFY2(ready.wait(60000), qPrintable(window.banner()->text()));
        window.runsSpin()->setValue(2);
        window.warmupSpin()->setValue(0);
        window.tabs()->setCurrentWidget(window.experimentEditor());
        QVERIFY(window.experimentEditor()->open(dir.path()).ok());
        // A variant with a setup, on a server that is not the demo: its SQL is shown verbatim, and refused, nothing
        // runs and nothing is created.
        {
            Experiment withSetup = ex;
            ExperimentVariant index;
            index.id = QStringLiteral("grp-index");
            index.title = QStringLiteral("An index on grp");
            index.setupSql = QStringLiteral("CREATE INDEX editor_ex_grp ON items (grp);\n");
            index.teardownSql = QStringLiteral("DROP INDEX editor_ex_grp;\n");
            withSetup.variants.append(index);
            QString shown;
            const bool started
                = window.startExperimentRun(std::make_shared<const Experiment>(withSetup), [&](const QString &sql) {
                      shown = sql;
                      return false;
                  });
            QVERIFY(!started);
            QVERIFY2(shown.contains(QStringLiteral("CREATE INDEX editor_ex_grp ON items (grp)")), qPrintable(shown));
            QVERIFY2(shown.contains(QStringLiteral("DROP INDEX editor_ex_grp")), qPrintable(shown));
            const QString absent = test::offGuiThread([] {
                auto session = test::TestCluster::get()->connect(QStringLiteral("editor"));
                auto r = session ? session->exec(QStringLiteral("SELECT to_regclass('editor_ex_grp') IS NULL"))
                                 : Result<PgResult>(Error::make(errc::Connection, QStringLiteral("no connection")));
                return r ? r->value(0, 0) : r.error().toString();
            });
            QCOMPARE(absent, QStringLiteral("t"));
        }

        QSignalSpy done(&window, &MainWindow::runCompleted);
        child<QPushButton>(*window.experimentEditor(), "experimentRun")->click();
        QVERIFY2(done.wait(120000), qPrintable(window.banner()->text()));
        const auto session2 = done.first().first().value<SessionResult>();
        QStringList ids;
        for (const StrategyRun &r : session2.runs) {
            ids << r.strategyId;
            QVERIFY2(r.outcome == RunOutcome::Ok, qPrintable(r.strategyId + QStringLiteral(": ") + r.error));
            QCOMPARE(r.rowsReturned, 500);
        }
        QCOMPARE(ids, QStringList({ QStringLiteral("baseline"), QStringLiteral("more-memory") }));
        QCOMPARE(window.tabs()->currentWidget(), window.resultsView());
    }
};

QTEST_MAIN(TestExperimentEditor)
#include "tst_experimenteditor.moc"
