#include "connectiondialog.h"

#include "cache/redisclient.h"
#include "pg/conninfo.h"
#include "pg/pgsession.h"
#include "search/xapianserver.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#ifdef PLANSIGHT_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace plansight::gui {

namespace {

const QString Organisation = QStringLiteral("plansight");
const QString SettingsName = QStringLiteral("connections");
const QString KeychainService = QStringLiteral("plansight");

QSettings store()
{
    return QSettings(Organisation, SettingsName);
}

} // namespace

QString ConnectionProfile::conninfo() const
{
    if (!connectionString.trimmed().isEmpty())
        return connectionString.trimmed();
    QStringList parts;
    const std::pair<const char *, const QString *> fields[] = { { "host", &host }, { "port", &port },
        { "dbname", &dbname }, { "user", &user }, { "sslmode", &sslmode }, { "service", &service } };
    for (const auto &[key, value] : fields)
        if (!value->trimmed().isEmpty())
            parts << QString::fromLatin1(key) + QLatin1Char('=') + quoteConninfoValue(value->trimmed());
    return parts.join(QLatin1Char(' '));
}

namespace profiles {

namespace {

ConnectionProfile read(QSettings &s)
{
    ConnectionProfile p;
    p.name = s.value(QStringLiteral("name")).toString();
    p.host = s.value(QStringLiteral("host")).toString();
    p.port = s.value(QStringLiteral("port")).toString();
    p.dbname = s.value(QStringLiteral("dbname")).toString();
    p.user = s.value(QStringLiteral("user")).toString();
    p.sslmode = s.value(QStringLiteral("sslmode")).toString();
    p.service = s.value(QStringLiteral("service")).toString();
    p.connectionString = s.value(QStringLiteral("connection_string")).toString();
    p.redis = s.value(QStringLiteral("redis")).toString();
    p.replica = s.value(QStringLiteral("replica")).toString();
    p.search = s.value(QStringLiteral("search")).toString();
    return p;
}

void writeAll(const QList<ConnectionProfile> &list)
{
    QSettings s = store();
    s.remove(QStringLiteral("profiles"));
    s.beginWriteArray(QStringLiteral("profiles"), int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        const ConnectionProfile &p = list[i];
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), p.name);
        s.setValue(QStringLiteral("host"), p.host);
        s.setValue(QStringLiteral("port"), p.port);
        s.setValue(QStringLiteral("dbname"), p.dbname);
        s.setValue(QStringLiteral("user"), p.user);
        s.setValue(QStringLiteral("sslmode"), p.sslmode);
        s.setValue(QStringLiteral("service"), p.service);
        s.setValue(QStringLiteral("connection_string"), p.connectionString);
        s.setValue(QStringLiteral("redis"), p.redis);
        s.setValue(QStringLiteral("replica"), p.replica);
        s.setValue(QStringLiteral("search"), p.search);
    }
    s.endArray();
    s.setValue(QStringLiteral("imported_legacy"), true);
}

// The window's earlier profiles (QSettings of the application: name and conninfo), once.
QList<ConnectionProfile> legacy()
{
    QList<ConnectionProfile> out;
    QSettings old;
    const int n = old.beginReadArray(QStringLiteral("profiles"));
    for (int i = 0; i < n; ++i) {
        old.setArrayIndex(i);
        ConnectionProfile p;
        p.name = old.value(QStringLiteral("name")).toString();
        const QString conninfo = old.value(QStringLiteral("conninfo")).toString().trimmed();
        if (p.name.isEmpty() || conninfo.isEmpty())
            continue;
        if (isConnectionString(conninfo))
            p.connectionString = conninfo;
        else
            p.service = conninfo; // a bare word was a service name then
        out << p;
    }
    old.endArray();
    return out;
}

} // namespace

QList<ConnectionProfile> load()
{
    QSettings s = store();
    if (!s.value(QStringLiteral("imported_legacy")).toBool()) {
        const QList<ConnectionProfile> old = legacy();
        if (!old.isEmpty())
            writeAll(old);
    }
    QList<ConnectionProfile> out;
    const int n = s.beginReadArray(QStringLiteral("profiles"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        out << read(s);
    }
    s.endArray();
    return out;
}

Status save(const ConnectionProfile &profile)
{
    if (profile.name.trimmed().isEmpty())
        return Error::make(errc::Input, QStringLiteral("The profile needs a name."));
    if (!profile.search.trimmed().isEmpty()) {
        if (auto endpoint = parseSearchAddress(profile.search); !endpoint)
            return endpoint.error();
    }
    if (!conninfoSecrets(profile.conninfo()).isEmpty() || !conninfoSecrets(profile.replica).isEmpty())
        return Error::make(errc::Input, QStringLiteral("The profile was not saved: it contains a password."), QString(),
            QStringLiteral("Leave the password out: PlanSight asks for it, or reads ~/.pgpass or the keychain."));
    if (!profile.redis.trimmed().isEmpty()) {
        auto redis = parseRedisUrl(profile.redis.trimmed());
        if (!redis)
            return Error::make(errc::Input,
                QStringLiteral("The profile was not saved: its Redis address is not valid (%1).")
                    .arg(redis.error().message),
                QString(), redis.error().hint);
        if (!redis->password.isEmpty())
            return Error::make(errc::Input,
                QStringLiteral("The profile was not saved: its Redis address contains a password."), QString(),
                QStringLiteral("Leave the password out of the Redis address, or connect without saving."));
    }
    QList<ConnectionProfile> list = load();
    bool replaced = false;
    for (ConnectionProfile &p : list)
        if (p.name == profile.name) {
            p = profile;
            replaced = true;
        }
    if (!replaced)
        list << profile;
    writeAll(list);
    return {};
}

void remove(const QString &name)
{
    QList<ConnectionProfile> list = load();
    list.erase(std::remove_if(list.begin(), list.end(), [&](const ConnectionProfile &p) { return p.name == name; }),
        list.end());
    writeAll(list);
}

} // namespace profiles

ConnectionCheck checkConnection(const QString &conninfo)
{
    ConnectionCheck c;
    auto s = PgSession::connect(conninfo);
    if (!s) {
        c.needsPassword = s.error().code == errc::PasswordNeeded;
        c.user = conninfoUser(conninfo, QProcessEnvironment::systemEnvironment());
        c.text = s.error().toString();
        return c;
    }
    c.ok = true;
    c.user = (*s)->user();
    c.text = QStringLiteral("The connection works: %1, PostgreSQL %2.").arg((*s)->describe(), (*s)->serverVersion());
    return c;
}

namespace keychain {

bool compiledIn()
{
#ifdef PLANSIGHT_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

QString unavailableReason()
{
    if (!compiledIn())
        return QStringLiteral("PlanSight was built without QtKeychain (Debian: qtkeychain-qt6-dev), so it cannot "
                              "remember passwords; use ~/.pgpass.");
    // Linux keychains (Secret Service, KWallet) are reached over the session's D-Bus.
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return QStringLiteral("No desktop keychain can be reached (there is no D-Bus session); use ~/.pgpass.");
    return QString();
}

QString keyFor(const QString &conninfo)
{
    return displayConninfo(conninfo);
}

void read(const QString &conninfo, QObject *context, std::function<void(std::optional<QString>)> done)
{
#ifdef PLANSIGHT_HAVE_KEYCHAIN
    if (unavailableReason().isEmpty()) {
        auto *job = new QKeychain::ReadPasswordJob(KeychainService, context);
        job->setAutoDelete(true);
        job->setKey(keyFor(conninfo));
        QObject::connect(job, &QKeychain::Job::finished, context, [done](QKeychain::Job *j) {
            auto *r = static_cast<QKeychain::ReadPasswordJob *>(j);
            done(r->error() == QKeychain::NoError ? std::optional<QString>(r->textData()) : std::nullopt);
        });
        job->start();
        return;
    }
#endif
    Q_UNUSED(conninfo);
    QMetaObject::invokeMethod(
        context, [done] { done(std::nullopt); }, Qt::QueuedConnection);
}

void write(const QString &conninfo, const QString &password)
{
#ifdef PLANSIGHT_HAVE_KEYCHAIN
    if (unavailableReason().isEmpty()) {
        auto *job = new QKeychain::WritePasswordJob(KeychainService);
        job->setAutoDelete(true);
        job->setKey(keyFor(conninfo));
        job->setTextData(password);
        job->start();
    }
#else
    Q_UNUSED(conninfo);
    Q_UNUSED(password);
#endif
}

} // namespace keychain

void askForPassword(
    QWidget *parent, const QString &conninfo, const QString &user, std::function<void(const QString &)> retry)
{
    static QSet<QString> triedFromKeychain;
    const QString key = keychain::keyFor(conninfo);
    QPointer<QWidget> guard(parent);
    keychain::read(conninfo, parent, [guard, conninfo, user, key, retry](std::optional<QString> stored) {
        if (!guard)
            return;
        if (stored && !triedFromKeychain.contains(key)) {
            triedFromKeychain.insert(key);
            retry(*stored);
            return;
        }
        PasswordDialog d(user, displayConninfo(conninfo), keychain::unavailableReason(), guard);
        if (d.exec() != QDialog::Accepted)
            return;
        if (d.remember()) {
            keychain::write(conninfo, d.password());
            triedFromKeychain.remove(key);
        }
        retry(d.password());
    });
}

PasswordDialog::PasswordDialog(const QString &user, const QString &server, const QString &keychainWhy, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Password"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(
        new QLabel(QStringLiteral("The server %1 asks for the password of user %2.").arg(server, user), this));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    layout->addWidget(m_password);
    m_remember = new QCheckBox(QStringLiteral("Remember it in the desktop keychain"), this);
    m_remember->setObjectName(QStringLiteral("remember"));
    if (!keychainWhy.isEmpty()) {
        m_remember->setEnabled(false);
        m_remember->setToolTip(keychainWhy);
    } else {
        m_remember->setToolTip(QStringLiteral("Kept by the desktop keychain, never by PlanSight. Without it the "
                                              "password is forgotten when the window closes; ~/.pgpass also works."));
    }
    layout->addWidget(m_remember);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QString PasswordDialog::password() const
{
    return m_password->text();
}

bool PasswordDialog::remember() const
{
    return m_remember->isEnabled() && m_remember->isChecked();
}

ConnectionDialog::ConnectionDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Connect to PostgreSQL"));
    setMinimumWidth(520);
    auto *layout = new QVBoxLayout(this);

    auto *profileRow = new QHBoxLayout;
    m_profiles = new QComboBox(this);
    m_profiles->setObjectName(QStringLiteral("profiles"));
    m_profiles->setToolTip(QStringLiteral("Saved profiles (never with a password)."));
    auto *del = new QPushButton(QStringLiteral("Delete"), this);
    profileRow->addWidget(new QLabel(QStringLiteral("Profile"), this));
    profileRow->addWidget(m_profiles, 1);
    profileRow->addWidget(del);
    layout->addLayout(profileRow);

    auto *form = new QFormLayout;
    const auto edit = [this](const char *name, const QString &placeholder) {
        auto *e = new QLineEdit(this);
        e->setObjectName(QString::fromLatin1(name));
        e->setPlaceholderText(placeholder);
        return e;
    };
    m_name = edit("name", QStringLiteral("a name to save it under"));
    m_host = edit("host", QStringLiteral("PGHOST, else the local socket"));
    m_port = edit("port", QStringLiteral("PGPORT, else 5432"));
    m_dbname = edit("dbname", QStringLiteral("PGDATABASE, else the user name"));
    m_user = edit("user", QStringLiteral("PGUSER, else your login name"));
    m_sslmode = new QComboBox(this);
    m_sslmode->setObjectName(QStringLiteral("sslmode"));
    m_sslmode->addItem(QStringLiteral("(default: prefer)"), QString());
    for (const char *mode : { "disable", "allow", "prefer", "require", "verify-ca", "verify-full" })
        m_sslmode->addItem(QString::fromLatin1(mode), QString::fromLatin1(mode));
    m_service = edit("service", QStringLiteral("a service in pg_service.conf"));
    m_connectionString = edit(
        "connectionString", QStringLiteral("postgresql://user@host:5432/db?sslmode=require, or key=value pairs"));
    m_connectionString->setToolTip(
        QStringLiteral("When given, it is used instead of the fields above. Leave the password out."));
    form->addRow(QStringLiteral("Name"), m_name);
    form->addRow(QStringLiteral("Host"), m_host);
    form->addRow(QStringLiteral("Port"), m_port);
    form->addRow(QStringLiteral("Database"), m_dbname);
    form->addRow(QStringLiteral("User"), m_user);
    form->addRow(QStringLiteral("SSL mode"), m_sslmode);
    form->addRow(QStringLiteral("Service"), m_service);
    form->addRow(QStringLiteral("or URI"), m_connectionString);
    m_redis = edit("redis", QStringLiteral("redis://host:6379/0 or unix:///path/redis.sock; empty: none"));
    m_redis->setToolTip(
        QStringLiteral("The Redis server p2-redis caches in for this connection. Empty: none, and the inner strategy "
                       "answers (on the embedded demo PlanSight runs its own). PlanSight writes only keys named "
                       "ps:p2-redis:*, which expire."));
    form->addRow(QStringLiteral("Redis"), m_redis);
    m_replica = edit("replica", QStringLiteral("its standby, for p7-replica: host=replica1 dbname=gallery"));
    m_replica->setToolTip(QStringLiteral("A streaming standby of this server that p7-replica reads from (as bench "
                                         "--replica). PlanSight never creates or "
                                         "changes one there. Leave the password out."));
    form->addRow(QStringLiteral("Read replica"), m_replica);
    m_search = edit("search", QStringLiteral("HOST:PORT of a xapian-tcpsrv --writable, for p10-search"));
    m_search->setToolTip(
        QStringLiteral("The search server p10-search indexes into and asks with this connection. "
                       "Empty: none, and PostgreSQL answers for it (the embedded demo runs its own)."));
    form->addRow(QStringLiteral("Search server"), m_search);
    layout->addLayout(form);

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("result"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);

    auto *buttons = new QDialogButtonBox(this);
    m_testButton = buttons->addButton(QStringLiteral("Test"), QDialogButtonBox::ActionRole);
    m_testButton->setToolTip(QStringLiteral("Connect once, in the background, and say whether it works."));
    auto *saveButton = buttons->addButton(QStringLiteral("Save"), QDialogButtonBox::ActionRole);
    saveButton->setToolTip(QStringLiteral("Save as a profile under its name (never with a password)."));
    auto *connectButton = buttons->addButton(QStringLiteral("Connect"), QDialogButtonBox::AcceptRole);
    connectButton->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);

    m_watcher = new QFutureWatcher<ConnectionCheck>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &ConnectionDialog::onTestDone);
    connect(m_testButton, &QPushButton::clicked, this, &ConnectionDialog::test);
    connect(saveButton, &QPushButton::clicked, this, &ConnectionDialog::saveProfile);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        // A search server that is not HOST:PORT is said at once, not when the first search falls back.
        if (!m_search->text().trimmed().isEmpty()) {
            if (auto endpoint = parseSearchAddress(m_search->text()); !endpoint) {
                showResult(false, endpoint.error().toString());
                return;
            }
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_connectionString, &QLineEdit::textChanged, this, &ConnectionDialog::updateFieldsEnabled);
    connect(del, &QPushButton::clicked, this, [this] {
        if (m_profiles->currentIndex() > 0) {
            profiles::remove(m_profiles->currentText());
            reloadProfiles({});
        }
    });
    connect(m_profiles, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index <= 0)
            return;
        for (const ConnectionProfile &p : profiles::load())
            if (p.name == m_profiles->itemText(index))
                setProfile(p);
    });
    // Any edit makes an earlier password and result stale.
    for (QLineEdit *e : { m_host, m_port, m_dbname, m_user, m_service, m_connectionString })
        connect(e, &QLineEdit::textEdited, this, [this] { m_password.clear(); });

    m_prompt = [this](const QString &user, bool &remember) -> std::optional<QString> {
        PasswordDialog d(user, displayConninfo(profile().conninfo()), keychain::unavailableReason(), this);
        if (d.exec() != QDialog::Accepted)
            return std::nullopt;
        remember = d.remember();
        return d.password();
    };
    reloadProfiles({});
    updateFieldsEnabled();
}

ConnectionDialog::~ConnectionDialog() = default;

ConnectionProfile ConnectionDialog::profile() const
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    p.host = m_host->text().trimmed();
    p.port = m_port->text().trimmed();
    p.dbname = m_dbname->text().trimmed();
    p.user = m_user->text().trimmed();
    p.sslmode = m_sslmode->currentData().toString();
    p.service = m_service->text().trimmed();
    p.connectionString = m_connectionString->text().trimmed();
    p.redis = m_redis->text().trimmed();
    p.replica = m_replica->text().trimmed();
    p.search = m_search->text().trimmed();
    return p;
}

void ConnectionDialog::setProfile(const ConnectionProfile &p)
{
    m_name->setText(p.name);
    m_host->setText(p.host);
    m_port->setText(p.port);
    m_dbname->setText(p.dbname);
    m_user->setText(p.user);
    m_sslmode->setCurrentIndex(std::max(0, m_sslmode->findData(p.sslmode)));
    m_service->setText(p.service);
    m_connectionString->setText(p.connectionString);
    m_redis->setText(p.redis);
    m_replica->setText(p.replica);
    m_search->setText(p.search);
    m_password.clear();
    m_result->clear();
}

QString ConnectionDialog::conninfoToConnect() const
{
    const QString c = profile().conninfo();
    return m_password.isEmpty() ? c : withPassword(c, m_password);
}

QString ConnectionDialog::resultText() const
{
    return m_result->text();
}

void ConnectionDialog::showResult(bool ok, const QString &text)
{
    m_result->setText(text);
    m_result->setStyleSheet(
        ok ? QString() : QStringLiteral("color: palette(bright-text); background: #b3261e; padding: 4px;"));
}

void ConnectionDialog::test()
{
    if (isTesting())
        return;
    m_askedOnce = false;
    m_testedConninfo = profile().conninfo();
    showResult(true, QStringLiteral("Testing %1...").arg(displayConninfo(m_testedConninfo)));
    m_testButton->setEnabled(false);
    const QString conninfo = conninfoToConnect();
    m_watcher->setFuture(QtConcurrent::run([conninfo] { return checkConnection(conninfo); }));
}

void ConnectionDialog::onTestDone()
{
    const ConnectionCheck c = m_watcher->result();
    if (c.needsPassword && !m_askedOnce && m_prompt) {
        // The server asks for a password none was given: ask once, then try again.
        m_askedOnce = true;
        bool remember = false;
        const std::optional<QString> pw = m_prompt(c.user, remember);
        if (pw) {
            m_password = *pw;
            m_rememberPassword = remember;
            const QString conninfo = withPassword(m_testedConninfo, *pw);
            m_watcher->setFuture(QtConcurrent::run([conninfo] { return checkConnection(conninfo); }));
            return;
        }
    }
    m_testButton->setEnabled(true);
    if (!c.ok && !c.needsPassword && m_askedOnce)
        m_password.clear(); // a rejected password is not kept
    if (c.ok && m_askedOnce && m_rememberPassword && !m_password.isEmpty())
        keychain::write(m_testedConninfo, m_password); // only once it is known to work
    m_rememberPassword = false;
    showResult(c.ok, c.ok ? c.text : QStringLiteral("The connection failed: ") + c.text);
    Q_EMIT testFinished(c.ok);
}

bool ConnectionDialog::saveProfile()
{
    const ConnectionProfile p = profile();
    if (auto st = profiles::save(p); !st) {
        showResult(false, st.error().toString());
        return false;
    }
    reloadProfiles(p.name);
    showResult(true, QStringLiteral("Saved as \"%1\" (without a password).").arg(p.name));
    return true;
}

void ConnectionDialog::reloadProfiles(const QString &select)
{
    QSignalBlocker block(m_profiles);
    m_profiles->clear();
    m_profiles->addItem(QStringLiteral("(new connection)"));
    for (const ConnectionProfile &p : profiles::load())
        m_profiles->addItem(p.name);
    m_profiles->setCurrentIndex(std::max(0, m_profiles->findText(select)));
}

void ConnectionDialog::updateFieldsEnabled()
{
    const bool fields = m_connectionString->text().trimmed().isEmpty();
    for (QWidget *w : std::initializer_list<QWidget *> { m_host, m_port, m_dbname, m_user, m_sslmode, m_service })
        w->setEnabled(fields);
}

} // namespace plansight::gui
