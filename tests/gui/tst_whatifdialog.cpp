// The what-if dialog (widgets/whatifdialog.h): a typed definition becomes a request, a typo is said at once without a
// request, and a prediction from a real server shows its verdict and both plans, the predicted one compared with the
// plan now. With PLANSIGHT_WHATIF_SHOT=FILE the dialog is also saved as a PNG (to look at it under Xvfb).

#include "gallery/demogenerator.h"
#include "planview.h"
#include "strategies/whatif.h"
#include "testcluster.h"
#include "whatifdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <thread>

using namespace plansight;
using namespace plansight::gui;

namespace {
const QString Db = QStringLiteral("whatif_dialog");

// PgSession refuses the GUI thread: server work runs on a thread of its own.
template<typename F>
auto offGuiThread(F f)
{
    decltype(f()) value = Error::make(errc::Internal, QStringLiteral("not run"));
    std::thread([&] { value = f(); }).join();
    return value;
}
} // namespace

class TestWhatIfDialog : public QObject {
    Q_OBJECT

    Workload m_rare;

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        auto built = offGuiThread([this]() -> Result<bool> {
            auto s = test::TestCluster::get()->connect(Db);
            if (!s)
                return Error::make(errc::Internal, QStringLiteral("no session"));
            DemoOptions o;
            o.profile = DemoProfile::Longtail; // rare tags for the rare-tag preset
            o.scale = 0.002;
            o.connections = 1;
            if (auto st = buildDemo(*s, o); !st)
                return st.error();
            // Without the junction's index on tag_id, an index on it is what the rare tag's page needs.
            if (auto r = s->exec(QStringLiteral("DROP INDEX idx_content_tags_tag_content")); !r)
                return r.error();
            if (auto r = s->exec(QStringLiteral("ANALYZE")); !r)
                return r.error();
            auto presets = resolvePreset(QStringLiteral("rare-tag"), *s);
            if (!presets)
                return presets.error();
            m_rare = presets->first();
            return true;
        });
        QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    }

    void aTypoIsSaidWithoutARequest()
    {
        WhatIfDialog d;
        QSignalSpy requested(&d, &WhatIfDialog::predictRequested);
        d.definitionEdit()->setPlainText(QStringLiteral("DROP TABLE content_tags"));
        d.predictButton()->click();
        QCOMPARE(requested.count(), 0);
        QVERIFY2(
            d.verdictLabel()->text().contains(QLatin1String("not DROP TABLE")), qPrintable(d.verdictLabel()->text()));
    }

    void aStrategyOrADefinitionBecomesARequest()
    {
        WhatIfDialog d;
        d.setWorkload(m_rare, QStringLiteral("rare-tag"));
        QSignalSpy requested(&d, &WhatIfDialog::predictRequested);
        d.definitionEdit()->setPlainText(QStringLiteral("CREATE INDEX ON public.content_tags (tag_id, content_id)"));
        d.predictButton()->click();
        QCOMPARE(requested.count(), 1);
        auto r = requested.first().first().value<WhatIfRequest>();
        QCOMPARE(r.definition, QStringLiteral("CREATE INDEX ON public.content_tags (tag_id, content_id)"));
        QVERIFY(!r.strategy);
        QCOMPARE(r.workload.key(), m_rare.key());

        const int p4 = d.sourceBox()->findData(QStringLiteral("p4-indexes"));
        QVERIFY(p4 > 0);
        QVERIFY(d.sourceBox()->findData(QStringLiteral("baseline")) < 0); // it creates no index
        d.sourceBox()->setCurrentIndex(p4);
        QVERIFY(!d.definitionEdit()->isEnabled());
        d.predictButton()->click();
        QCOMPARE(requested.count(), 2);
        r = requested.last().first().value<WhatIfRequest>();
        QVERIFY(r.strategy);
        QCOMPARE(r.strategy->id(), QStringLiteral("p4-indexes"));
    }

    void aPredictionShowsBothPlans()
    {
        WhatIfRequest request;
        request.definition = QStringLiteral("CREATE INDEX ps_whatif_tag ON public.content_tags (tag_id, content_id)");
        request.workload = m_rare;
        request.mayCreateExtension = true;
        auto result = offGuiThread([&] {
            auto s = test::TestCluster::get()->connect(Db);
            return predictIndexes(*s, request);
        });
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));

        WhatIfDialog d;
        d.setWorkload(m_rare, m_rare.describe(QStringList { QStringLiteral("a rare tag") }));
        d.definitionEdit()->setPlainText(request.definition);
        d.show();
        d.showResult(result.value());
        QVERIFY2(d.verdictLabel()->text().startsWith(QLatin1String("The planner would use ps_whatif_tag")),
            qPrintable(d.verdictLabel()->text()));
        const QStringList sources = d.planView()->sourceLabels();
        QCOMPARE(sources.size(), 2);
        QVERIFY(sources.first().startsWith(QLatin1String("now (cost ")));
        QVERIFY(sources.last().startsWith(QLatin1String("with the hypothetical indexes (cost ")));
        QCOMPARE(d.planView()->currentLabel(), sources.last());
        QVERIFY(d.planView()->diff().has_value());
        if (const QString shot = qEnvironmentVariable("PLANSIGHT_WHATIF_SHOT"); !shot.isEmpty()) {
            d.resize(1200, 760);
            for (int i = 0; i < 5; ++i) {
                QCoreApplication::processEvents();
                QTest::qWait(40);
            }
            QVERIFY(d.grab().save(shot));
        }
    }
};

QTEST_MAIN(TestWhatIfDialog)
#include "tst_whatifdialog.moc"
