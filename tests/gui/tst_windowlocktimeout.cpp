// The window's lock timeout (issue #12; docs/production.md, "Lock timeout"): a box under the Strategies list, "no
// limit" at 0, kept in the settings like the window's other run options, whose value is the lock_timeout the
// window's applies run under. The apply is checked on a real server: another session holds a lock on content_tags,
// and the window's apply of p4-indexes stops after the window's timeout, which its error names, not the default's.

#include "bannerwidget.h"
#include "benchhelpers.h"
#include "mainwindow.h"
#include "strategylistmodel.h"
#include "testcluster.h"
#include "windowhelpers.h"
#include "workers/joblane.h"

#include <QLabel>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace plansight;
using namespace plansight::gui;

namespace {

const QString Db = QStringLiteral("gallery"); // the embedded demo's database (the window connects to it)

// Holds ACCESS EXCLUSIVE on public.content_tags from its own thread and connection, in an open transaction, until
// release().
class HeldTableLock {
public:
    HeldTableLock()
    {
        m_thread = std::thread([this] {
            auto session = test::TestCluster::get()->connect(Db);
            if (!session)
                m_error = QStringLiteral("no session");
            else if (auto r = session->exec(QStringLiteral("BEGIN")); !r)
                m_error = r.error().toString();
            else if (auto l = session->exec(QStringLiteral("LOCK TABLE public.content_tags IN ACCESS EXCLUSIVE MODE"));
                     !l)
                m_error = l.error().toString();
            m_locked.release();
            m_release.acquire();
            if (session)
                (void)session->exec(QStringLiteral("ROLLBACK"));
        });
        m_locked.acquire();
    }
    ~HeldTableLock() { release(); }
    QString error() const { return m_error; }
    void release()
    {
        if (!m_thread.joinable())
            return;
        m_release.release();
        m_thread.join();
    }

private:
    std::thread m_thread;
    QSemaphore m_locked, m_release;
    QString m_error;
};

} // namespace

class TestWindowLockTimeout : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("PlanSightTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_windowlocktimeout"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        const QString built = test::buildTinyDemo(Db);
        QVERIFY2(built.isEmpty(), qPrintable(built));
    }

    // The box: seconds, 5 by default as in the CLI, "no limit" at 0, and kept across sessions of the window.
    void theBoxIsKeptLikeTheOtherRunOptions()
    {
        MainWindowOptions options;
        options.demoRoot = test::TestCluster::get()->cluster().rootDir();
        options.historyPath = m_dir.filePath(QStringLiteral("history.sqlite"));
        options.connectAtStart = false;
        options.restoreSettings = true;
        {
            MainWindow w(options);
            w.show();
            auto *box = w.findChild<QSpinBox *>(QStringLiteral("lockTimeout"));
            QVERIFY(box);
            QCOMPARE(box->value(), 5);
            QCOMPARE(w.lockTimeoutMs(), DefaultLockTimeoutMs);
            QCOMPARE(box->suffix(), QStringLiteral(" s"));
            box->setValue(0);
            QCOMPARE(box->text(), QStringLiteral("no limit"));
            QCOMPARE(w.lockTimeoutMs(), 0);
            box->setValue(12);
            w.close();
        }
        {
            MainWindow w(options);
            w.show();
            QCOMPARE(w.findChild<QSpinBox *>(QStringLiteral("lockTimeout"))->value(), 12);
            QCOMPARE(w.lockTimeoutMs(), 12000);
            w.findChild<QSpinBox *>(QStringLiteral("lockTimeout"))->setValue(5);
            w.close();
        }
    }

    // The value reaches the apply: a statement that cannot get its lock gives up after the window's 2 s (the
    // default would be 5 s), and the error says so.
    void theWindowsApplyRunsUnderItsLockTimeout()
    {
        auto w = test::windowOnTestDemo(m_dir.filePath(QStringLiteral("history.sqlite")));
        QVERIFY(w);
        QTRY_VERIFY_WITH_TIMEOUT(!w->readsLane()->isBusy() && !w->changesLane()->isBusy(), 60000);
        const StrategyRow *row = w->strategyModel()->row(QStringLiteral("p4-indexes"));
        QVERIFY(row);
        QCOMPARE(plansight::toString(row->status.state), plansight::toString(StrategyState::NotApplied));
        w->findChild<QSpinBox *>(QStringLiteral("lockTimeout"))->setValue(2);

        HeldTableLock lock;
        QVERIFY2(lock.error().isEmpty(), qPrintable(lock.error()));
        QSignalSpy done(w->changesLane(), &JobLane::finished);
        w->applyStrategy(QStringLiteral("p4-indexes"), true);
        QVERIFY(done.wait(120000) || done.count() == 1);
        lock.release();
        const QString text = w->banner()->text();
        QVERIFY2(text.contains(QStringLiteral("within 2 s (lock_timeout)")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("content_tags")), qPrintable(text));

        // Nothing half-built: the strategy is still not applied.
        QSignalSpy read(w->readsLane(), &JobLane::finished);
        w->refreshStrategies();
        QVERIFY(read.wait(60000) || read.count() == 1);
        QCOMPARE(plansight::toString(w->strategyModel()->row(QStringLiteral("p4-indexes"))->status.state),
            plansight::toString(StrategyState::NotApplied));
        w->close();
    }
};

QTEST_MAIN(TestWindowLockTimeout)
#include "tst_windowlocktimeout.moc"
