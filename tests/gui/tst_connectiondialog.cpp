// The window's connection dialog against a real server: Test connects on a worker thread and says clearly
// whether it worked; a server that asks for a password gets one from the password prompt (never saved); saved
// profiles never hold a password; Remember is greyed, with the reason, when no keychain can be reached.

#include "bannerwidget.h"
#include "connectiondialog.h"
#include "mainwindow.h"
#include "pg/conninfo.h"
#include "testcluster.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <thread>

using namespace plansight;
using namespace plansight::gui;

namespace {
// Runs `f` on a thread of its own and returns its value (the GUI thread refuses queries; QFuture::result()
// could run a pool task on the calling thread).
template<typename F>
auto offGuiThread(F f)
{
    decltype(f()) value;
    std::thread([&] { value = f(); }).join();
    return value;
}
} // namespace

class TestConnectionDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_settings;
    QTemporaryDir m_dir;

    void fillFromCluster(ConnectionDialog &d, const QString &user)
    {
        auto *c = test::TestCluster::get();
        d.hostEdit()->setText(c->cluster().socketDir());
        d.portEdit()->setText(QString::number(c->cluster().port()));
        d.userEdit()->setText(user);
        d.dbnameEdit()->setText(QStringLiteral("postgres"));
    }

    // Clicks Test and waits for its result.
    bool clickTest(ConnectionDialog &d)
    {
        QSignalSpy done(&d, &ConnectionDialog::testFinished);
        QTest::mouseClick(d.testButton(), Qt::LeftButton);
        if (!done.wait(60000))
            return false;
        return done.first().first().toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        PLANSIGHT_REQUIRE_CLUSTER();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
        qputenv("PGPASSFILE", m_dir.filePath(QStringLiteral("none")).toLocal8Bit());
        // A role that must give its password (test-fixed names; nothing here comes from a user). Queries run
        // off the GUI thread, which refuses them.
        const QString setup = offGuiThread([]() -> QString {
            auto admin = PgSession::connect(test::TestCluster::get()->conninfo());
            if (!admin)
                return admin.error().toString();
            if (auto st = (*admin)->execScript(QStringLiteral("CREATE ROLE ps_guirole LOGIN PASSWORD 'Gui-Secr3t'"));
                !st)
                return st.error().toString();
            auto hba = (*admin)->exec(QStringLiteral("SELECT current_setting('hba_file')"));
            if (!hba)
                return hba.error().toString();
            QFile f(hba->value(0, 0));
            if (!f.open(QIODevice::ReadOnly))
                return f.errorString();
            const QByteArray rules = f.readAll();
            f.close();
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return f.errorString();
            f.write("local all ps_guirole scram-sha-256\n" + rules);
            f.close();
            if (auto r = (*admin)->exec(QStringLiteral("SELECT pg_reload_conf()")); !r)
                return r.error().toString();
            return QString();
        });
        QVERIFY2(setup.isEmpty(), qPrintable(setup));
        const QString role = test::TestCluster::get()->conninfo() + QStringLiteral(" user=ps_guirole");
        ConnectionCheck check;
        QTRY_VERIFY2_WITH_TIMEOUT((check = offGuiThread([role] { return checkConnection(role); })).needsPassword,
            qPrintable(check.text), 30000);
    }

    void testSaysItWorks()
    {
        ConnectionDialog d;
        fillFromCluster(d, test::TestCluster::get()->cluster().superuser());
        QVERIFY2(clickTest(d), qPrintable(d.resultText()));
        QVERIFY2(d.resultText().startsWith(QLatin1String("The connection works: ")), qPrintable(d.resultText()));
        QVERIFY(d.testButton()->isEnabled());
    }

    void testSaysWhyItFailed()
    {
        ConnectionDialog d;
        fillFromCluster(d, test::TestCluster::get()->cluster().superuser());
        d.dbnameEdit()->setText(QStringLiteral("no_such_db"));
        QVERIFY(!clickTest(d));
        QVERIFY2(d.resultText().contains(QLatin1String("The database does not exist")), qPrintable(d.resultText()));
    }

    void aUriWorksToo()
    {
        ConnectionDialog d;
        auto *c = test::TestCluster::get();
        d.connectionStringEdit()->setText(QStringLiteral("postgresql://%1@/postgres?host=%2&port=%3")
                                              .arg(c->cluster().superuser(), c->cluster().socketDir())
                                              .arg(c->cluster().port()));
        QVERIFY(!d.hostEdit()->isEnabled()); // the URI is used instead of the fields
        QVERIFY2(clickTest(d), qPrintable(d.resultText()));
    }

    void passwordIsAskedForAndNotSaved()
    {
        ConnectionDialog d;
        fillFromCluster(d, QStringLiteral("ps_guirole"));
        int asked = 0;
        d.setPasswordPrompt([&](const QString &user, bool &) -> std::optional<QString> {
            ++asked;
            [&] { QCOMPARE(user, QStringLiteral("ps_guirole")); }();
            return QStringLiteral("Gui-Secr3t");
        });
        QVERIFY2(clickTest(d), qPrintable(d.resultText()));
        QCOMPARE(asked, 1);
        // The dialog connects with it; the profile never holds it.
        QVERIFY(conninfoSecrets(d.conninfoToConnect()).contains(QStringLiteral("Gui-Secr3t")));
        d.nameEdit()->setText(QStringLiteral("guirole"));
        QVERIFY(d.saveProfile());
        const QList<ConnectionProfile> saved = profiles::load();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().user, QStringLiteral("ps_guirole"));
        QVERIFY(conninfoSecrets(saved.first().conninfo()).isEmpty());
        QFile file(QSettings(QStringLiteral("plansight"), QStringLiteral("connections")).fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("Gui-Secr3t"));
        profiles::remove(QStringLiteral("guirole"));
        QVERIFY(profiles::load().isEmpty());
    }

    void cancelledOrWrongPasswordIsAClearFailure()
    {
        ConnectionDialog d;
        fillFromCluster(d, QStringLiteral("ps_guirole"));
        d.setPasswordPrompt([](const QString &, bool &) { return std::optional<QString>(); });
        QVERIFY(!clickTest(d));
        QVERIFY2(d.resultText().contains(QLatin1String("asks for a password for user ps_guirole")),
            qPrintable(d.resultText()));

        d.setPasswordPrompt([](const QString &, bool &) { return std::optional<QString>(QStringLiteral("Wr0ng")); });
        QVERIFY(!clickTest(d));
        QVERIFY2(d.resultText().contains(QLatin1String("rejected the password")), qPrintable(d.resultText()));
        QVERIFY(!d.resultText().contains(QLatin1String("Wr0ng")));
        QVERIFY(conninfoSecrets(d.conninfoToConnect()).isEmpty()); // a rejected password is not kept
    }

    void profilesRefusePasswords()
    {
        ConnectionDialog d;
        d.nameEdit()->setText(QStringLiteral("leaky"));
        d.connectionStringEdit()->setText(QStringLiteral("postgresql://alice:S3cret@db1/app"));
        QVERIFY(!d.saveProfile());
        QVERIFY2(d.resultText().contains(QLatin1String("contains a password")), qPrintable(d.resultText()));
        QVERIFY(profiles::load().isEmpty());
        // Fields round-trip through the saved profile.
        ConnectionProfile p;
        p.name = QStringLiteral("prod");
        p.host = QStringLiteral("db1");
        p.port = QStringLiteral("5433");
        p.dbname = QStringLiteral("app db");
        p.user = QStringLiteral("alice");
        p.sslmode = QStringLiteral("verify-full");
        QVERIFY(profiles::save(p).ok());
        QCOMPARE(profiles::load(), QList<ConnectionProfile> { p });
        QCOMPARE(p.conninfo(), QStringLiteral("host=db1 port=5433 dbname='app db' user=alice sslmode=verify-full"));
        ConnectionDialog again;
        again.profileBox()->setCurrentIndex(again.profileBox()->findText(QStringLiteral("prod")));
        QCOMPARE(again.profile(), p);
        profiles::remove(QStringLiteral("prod"));
    }

    // The read replica p7-replica uses (bench --replica) is a field of its own: kept with the profile, not part of the
    // server's connection string, and never with a password.
    void theReadReplicaIsKeptWithTheProfile()
    {
        ConnectionDialog d;
        d.nameEdit()->setText(QStringLiteral("with replica"));
        d.hostEdit()->setText(QStringLiteral("db1"));
        d.replicaEdit()->setText(QStringLiteral("host=replica1 dbname=app password=S3cret"));
        QVERIFY(!d.saveProfile());
        QVERIFY2(d.resultText().contains(QLatin1String("contains a password")), qPrintable(d.resultText()));
        d.replicaEdit()->setText(QStringLiteral("host=replica1 dbname=app"));
        QVERIFY2(d.saveProfile(), qPrintable(d.resultText()));
        const ConnectionProfile p = d.profile();
        QCOMPARE(p.replica, QStringLiteral("host=replica1 dbname=app"));
        QVERIFY(!p.conninfo().contains(QLatin1String("replica1")));
        QCOMPARE(profiles::load(), QList<ConnectionProfile> { p });
        ConnectionDialog again;
        again.profileBox()->setCurrentIndex(again.profileBox()->findText(QStringLiteral("with replica")));
        QCOMPARE(again.replicaEdit()->text(), QStringLiteral("host=replica1 dbname=app"));
        profiles::remove(QStringLiteral("with replica"));
    }

    // p10-search's server is part of a profile (docs/strategies.md): kept when it is HOST:PORT, refused in one
    // sentence otherwise, by Save and by Connect alike.
    void profilesKeepTheSearchServer()
    {
        ConnectionDialog d;
        d.nameEdit()->setText(QStringLiteral("with-search"));
        d.hostEdit()->setText(QStringLiteral("db1"));
        d.searchEdit()->setText(QStringLiteral("search.example.org"));
        QVERIFY(!d.saveProfile());
        QVERIFY2(d.resultText().contains(QLatin1String("--search search.example.org is not a search server address")),
            qPrintable(d.resultText()));
        QVERIFY(profiles::load().isEmpty());
        d.searchEdit()->setText(QStringLiteral("127.0.0.1:33333"));
        QVERIFY(d.saveProfile());
        QCOMPARE(profiles::load().size(), 1);
        QCOMPARE(profiles::load().first().search, QStringLiteral("127.0.0.1:33333"));
        QCOMPARE(profiles::load().first().conninfo(), QStringLiteral("host=db1")); // not a libpq keyword
        ConnectionDialog again;
        again.profileBox()->setCurrentIndex(again.profileBox()->findText(QStringLiteral("with-search")));
        QCOMPARE(again.searchEdit()->text(), QStringLiteral("127.0.0.1:33333"));
        profiles::remove(QStringLiteral("with-search"));
    }

    // The window: a saved profile whose server asks for a password gets the password dialog, then connects.
    void windowAsksForThePassword()
    {
        auto *c = test::TestCluster::get();
        ConnectionProfile p;
        p.name = QStringLiteral("guirole in the window");
        p.host = c->cluster().socketDir();
        p.port = QString::number(c->cluster().port());
        p.user = QStringLiteral("ps_guirole");
        p.dbname = QStringLiteral("postgres");
        QVERIFY(profiles::save(p).ok());
        MainWindowOptions options;
        options.demoRoot = m_dir.filePath(QStringLiteral("no-demo"));
        options.historyPath = m_dir.filePath(QStringLiteral("history.sqlite"));
        options.restoreSettings = false;
        options.connectAtStart = false;
        MainWindow window(options);
        auto *box = window.findChild<QComboBox *>(QStringLiteral("profile"));
        QVERIFY(box);
        box->setCurrentIndex(box->findText(p.name));
        QVERIFY(box->currentIndex() > 0);
        // Answers the password dialog once it is up (it is modal: exec() runs its own event loop).
        int answered = 0;
        QTimer answer;
        connect(&answer, &QTimer::timeout, this, [&] {
            if (auto *d = qobject_cast<PasswordDialog *>(QApplication::activeModalWidget())) {
                ++answered;
                QVERIFY(d->passwordEdit()->echoMode() == QLineEdit::Password);
                d->passwordEdit()->setText(QStringLiteral("Gui-Secr3t"));
                d->accept();
            }
        });
        answer.start(20);
        window.connectTo(
            ConnectionTarget { p.name, false, p.conninfo(), options.demoRoot, true, QString(), QString(), QString() });
        QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), 60000);
        QCOMPARE(answered, 1);
        QCOMPARE(window.server()->database, QStringLiteral("postgres"));
        QVERIFY(window.server()->describe.startsWith(QLatin1String("ps_guirole@")));
        // Not saved with the profile.
        QVERIFY(conninfoSecrets(profiles::load().first().conninfo()).isEmpty());
        profiles::remove(p.name);
    }

    // The Redis field: saved with the profile and shown again; an address with a password, or one PlanSight cannot
    // read, is refused and nothing is saved.
    void theRedisAddressIsSavedWithTheProfile()
    {
        ConnectionDialog d;
        d.nameEdit()->setText(QStringLiteral("with redis"));
        d.hostEdit()->setText(QStringLiteral("db1"));
        d.redisEdit()->setText(QStringLiteral("redis://cache1:6380/2"));
        QVERIFY(d.saveProfile());
        ConnectionProfile saved;
        for (const ConnectionProfile &p : profiles::load())
            if (p.name == QLatin1String("with redis"))
                saved = p;
        QCOMPARE(saved.redis, QStringLiteral("redis://cache1:6380/2"));
        QVERIFY(!saved.conninfo().contains(QLatin1String("redis"))); // not a libpq keyword
        ConnectionDialog again;
        again.setProfile(saved);
        QCOMPARE(again.redisEdit()->text(), QStringLiteral("redis://cache1:6380/2"));

        for (const QString &bad : { QStringLiteral("redis://:s3cret@cache1:6380/2"), QStringLiteral("ftp://cache1") }) {
            d.nameEdit()->setText(QStringLiteral("bad redis"));
            d.redisEdit()->setText(bad);
            QVERIFY(!d.saveProfile());
            QVERIFY2(d.resultText().contains(QLatin1String("Redis address")), qPrintable(d.resultText()));
            for (const ConnectionProfile &p : profiles::load())
                QVERIFY(p.name != QLatin1String("bad redis"));
        }
        profiles::remove(QStringLiteral("with redis"));
    }

    // The window: a profile's Redis address goes with its connection, and a run with an address PlanSight cannot read
    // does not start (the banner names it). The Run panel's Redis controls (over, warm, bypass) are kept like the
    // window's other settings.
    void theWindowTakesTheRedisAddressAndKeepsTheCacheControls()
    {
        auto *c = test::TestCluster::get();
        ConnectionProfile p;
        p.name = QStringLiteral("cluster with redis");
        p.host = c->cluster().socketDir();
        p.port = QString::number(c->cluster().port());
        p.dbname = QStringLiteral("postgres");
        p.user = c->cluster().superuser();
        p.redis = QStringLiteral("redis://127.0.0.1:1/0");
        QVERIFY(profiles::save(p).ok());
        {
            QSettings s;
            s.setValue(QStringLiteral("run/cacheOver"), QStringLiteral("p6-cursor"));
            s.setValue(QStringLiteral("run/cacheWarm"), 5);
            s.setValue(QStringLiteral("run/cacheBypass"), true);
        }
        MainWindowOptions options;
        options.demoRoot = m_dir.filePath(QStringLiteral("no-demo"));
        options.historyPath = m_dir.filePath(QStringLiteral("history.sqlite"));
        options.connectAtStart = false;
        {
            MainWindow window(options); // restores the settings
            auto *over = window.findChild<QComboBox *>(QStringLiteral("cacheOver"));
            auto *warm = window.findChild<QSpinBox *>(QStringLiteral("cacheWarm"));
            auto *bypass = window.findChild<QCheckBox *>(QStringLiteral("cacheBypass"));
            QVERIFY(over && warm && bypass);
            QCOMPARE(over->currentData().toString(), QStringLiteral("p6-cursor"));
            QVERIFY(over->findData(QStringLiteral("p2-redis")) < 0); // the cache does not wrap itself
            QCOMPARE(warm->value(), 5);
            QVERIFY(bypass->isChecked());
            over->setCurrentIndex(over->findData(QStringLiteral("baseline")));
            warm->setValue(0);
            bypass->setChecked(false);

            auto *box = window.findChild<QComboBox *>(QStringLiteral("profile"));
            box->setCurrentIndex(box->findText(p.name));
            QVERIFY(box->currentIndex() > 0);
            QTest::mouseClick(window.findChild<QPushButton *>(QStringLiteral("connectButton")), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(window.isConnected(), 60000);
            QCOMPARE(window.server()->target.redis, p.redis);

            window.connectTo(ConnectionTarget { QStringLiteral("bad redis"), false, p.conninfo(), options.demoRoot,
                true, QStringLiteral("ftp://cache1"), QString(), QString() });
            QTRY_VERIFY_WITH_TIMEOUT(
                window.isConnected() && window.server()->target.redis.startsWith(QLatin1String("ftp")), 60000);
            QVERIFY(!window.startRun());
            QVERIFY2(
                window.banner()->text().contains(QLatin1String("Redis address")), qPrintable(window.banner()->text()));
            window.close(); // saves the settings
        }
        QSettings s;
        QCOMPARE(s.value(QStringLiteral("run/cacheOver")).toString(), QStringLiteral("baseline"));
        QCOMPARE(s.value(QStringLiteral("run/cacheWarm")).toInt(), 0);
        QCOMPARE(s.value(QStringLiteral("run/cacheBypass")).toBool(), false);
        profiles::remove(p.name);
    }

    void rememberIsGreyedWithoutKeychain()
    {
        const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        const QString why = keychain::unavailableReason();
        PasswordDialog d(QStringLiteral("alice"), QStringLiteral("host=db1"), why);
        if (!bus.isEmpty())
            qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
        QVERIFY(!why.isEmpty());
        QVERIFY(!d.rememberBox()->isEnabled());
        QCOMPARE(d.rememberBox()->toolTip(), why);
        QCOMPARE(d.passwordEdit()->echoMode(), QLineEdit::Password);
        d.rememberBox()->setChecked(true);
        QVERIFY(!d.remember());
    }
};

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
