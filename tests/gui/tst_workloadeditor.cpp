// The workload editor produces the parameters a user set; presets are one click away.

#include "workloadeditor.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

using namespace plansight;
using namespace plansight::gui;

namespace {
const QString Cats = QStringLiteral("11111111-1111-4111-8111-111111111111");
const QString Dogs = QStringLiteral("22222222-2222-4222-8222-222222222222");
const QString Bob = QStringLiteral("33333333-3333-4333-8333-333333333333");

QList<TagInfo> tags()
{
    return { { demo::AnimeTagId, QStringLiteral("anime"), 870885 }, { Cats, QStringLiteral("cats"), 1200 },
        { Dogs, QStringLiteral("dogs"), -1 } };
}

// Checks a tag the way a user does: by clicking its check box in the list.
void clickTag(WorkloadEditor &editor, const QString &name)
{
    auto *view = editor.findChild<QTreeView *>(QStringLiteral("tagView"));
    QVERIFY(view);
    const auto matches = view->model()->match(view->model()->index(0, 0), Qt::DisplayRole, name, 1, Qt::MatchExactly);
    QCOMPARE(matches.size(), 1);
    const QModelIndex idx = matches.first();
    const Qt::CheckState state = Qt::CheckState(idx.data(Qt::CheckStateRole).toInt());
    QVERIFY(view->model()->setData(idx, state == Qt::Checked ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole));
}
} // namespace

class TestWorkloadEditor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tagModelIsAValidModel()
    {
        TagListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTags(tags());
        model.setCheckedIds({ Cats });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QCOMPARE(model.index(2, TagListModel::ItemsColumn).data().toString(), QStringLiteral("?"));
        QCOMPARE(model.index(1, TagListModel::ItemsColumn).data(TagListModel::ItemsRole).toLongLong(), 1200);
    }

    // With p8-tag-counts applied the picker shows exact counts, and says so (else the planner's estimate).
    void tagCountsSayWhetherTheyAreExact()
    {
        TagListModel model;
        QList<TagInfo> t = tags();
        model.setTags(t);
        QVERIFY2(model.index(1, TagListModel::ItemsColumn)
                     .data(Qt::ToolTipRole)
                     .toString()
                     .contains(QLatin1String("planner's estimate")),
            qPrintable(model.index(1, TagListModel::ItemsColumn).data(Qt::ToolTipRole).toString()));
        t[1].exact = true;
        model.setTags(t);
        const QString tip = model.index(1, TagListModel::ItemsColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QLatin1String("exact: p8-tag-counts")), qPrintable(tip));
        QVERIFY(!tip.contains(QLatin1String("estimate")));
    }

    void producesTheParametersTheUserSet()
    {
        WorkloadEditor editor;
        editor.setTags(tags());
        editor.setUsers(
            { { demo::AdminUserId, QStringLiteral("admin") }, { Bob, QStringLiteral("bob") } }, demo::AdminUserId);
        QSignalSpy changed(&editor, &WorkloadEditor::changed);

        // Start from the canonical preset, then change everything.
        QCOMPARE(editor.preset(), QStringLiteral("canonical"));
        clickTag(editor, QStringLiteral("anime")); // uncheck
        clickTag(editor, QStringLiteral("dogs"));
        clickTag(editor, QStringLiteral("cats"));
        const auto radios = editor.findChildren<QRadioButton *>();
        for (auto *r : radios)
            if (r->text().startsWith(QLatin1String("all")))
                r->setChecked(true);
        editor.findChild<QCheckBox *>(QStringLiteral("source-user-auto"))->setChecked(false);
        editor.findChild<QCheckBox *>(QStringLiteral("source-community-regular"))->setChecked(false);
        auto *user = editor.findChild<QComboBox *>(QStringLiteral("user"));
        user->setCurrentIndex(user->findData(Bob));
        auto *sort = editor.findChild<QComboBox *>(QStringLiteral("sort"));
        sort->setCurrentIndex(sort->findData(int(SortField::QualityScore)));
        editor.findChild<QComboBox *>(QStringLiteral("order"))->setCurrentIndex(1);
        editor.findChild<QSpinBox *>(QStringLiteral("page"))->setValue(7);
        editor.findChild<QSpinBox *>(QStringLiteral("pageSize"))->setValue(50);

        const Workload w = editor.workload();
        QCOMPARE(w.tagIds, QStringList({ Dogs, Cats }));
        QVERIFY(w.match == TagMatch::All);
        QVERIFY(w.sources == QList<SourceKind>({ SourceKind::UserRegular, SourceKind::CommunityAuto }));
        QCOMPARE(w.userId, Bob);
        QVERIFY(w.sort == SortField::QualityScore);
        QCOMPARE(w.descending, false);
        QCOMPARE(w.page, 7);
        QCOMPARE(w.pageSize, 50);
        QCOMPARE(w.name, QStringLiteral("custom"));
        QVERIFY(w.validate().ok());
        QVERIFY(editor.preset().isEmpty()); // editing leaves the preset
        QVERIFY(changed.count() >= 8);
        QVERIFY(editor.describe().contains(QStringLiteral("dogs")));
    }

    void aTypedUuidIsTheUser()
    {
        WorkloadEditor editor;
        editor.setUsers({ { demo::AdminUserId, QStringLiteral("admin") } }, demo::AdminUserId);
        auto *user = editor.findChild<QComboBox *>(QStringLiteral("user"));
        user->setEditText(Bob.toUpper());
        QCOMPARE(editor.workload().userId, Bob);
        user->setEditText(QStringLiteral("not a user"));
        QVERIFY(!editor.workload().validate().ok());
    }

    void presetsAreOneClickAway_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<int>("tags");
        QTest::addColumn<int>("page");
        QTest::newRow("canonical") << QStringLiteral("canonical") << 1 << 1;
        QTest::newRow("no-tag") << QStringLiteral("no-tag") << 0 << 1;
        QTest::newRow("deep-page") << QStringLiteral("deep-page") << 1 << 10;
    }
    void presetsAreOneClickAway()
    {
        QFETCH(QString, preset);
        QFETCH(int, tags);
        QFETCH(int, page);
        WorkloadEditor editor;
        editor.setTags(::tags());
        editor.findChild<QSpinBox *>(QStringLiteral("page"))->setValue(3);
        QSignalSpy chosen(&editor, &WorkloadEditor::presetChosen);
        auto *button = editor.findChild<QToolButton *>(QStringLiteral("preset-") + preset);
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().toString(), preset);
        QCOMPARE(editor.preset(), preset);
        QVERIFY(button->isChecked());
        const Workload w = editor.workload();
        QCOMPARE(int(w.tagIds.size()), tags);
        QCOMPARE(w.page, page);
        QCOMPARE(w.sources.size(), 4);
        QCOMPARE(w.userId, demo::AdminUserId);
    }

    void setWorkloadRoundTrips()
    {
        WorkloadEditor editor;
        editor.setTags(tags());
        Workload w;
        w.tagIds = { Cats, demo::AnimeTagId };
        w.match = TagMatch::All;
        w.sources = { SourceKind::CommunityAuto };
        w.page = 4;
        w.pageSize = 10;
        editor.setWorkload(w);
        QCOMPARE(editor.workload().key(), w.key());
    }
};

QTEST_MAIN(TestWorkloadEditor)
#include "tst_workloadeditor.moc"
