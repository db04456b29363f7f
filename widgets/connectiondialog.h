#pragma once

// The window's connection dialog (README.md, "Connections"): host, port, database, user, SSL mode and service,
// or a URI / connection string, and the search server p10-search uses with it (docs/strategies.md); Test, which
// connects on a worker thread and says in one sentence whether it worked; and saved profiles, which never hold a
// password. When the server asks for a password, a password dialog asks for it; it is kept in memory for this
// connection only, or in the desktop keychain (QtKeychain) when the user ticks Remember and a keychain is running.
//
// Threading: GUI thread. Test runs PgSession::connect on a QtConcurrent pool thread.

#include "util/result.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QMetaType>
#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace plansight::gui {

// A saved connection. Never a password: save() refuses one.
struct ConnectionProfile {
    QString name;
    QString host;
    QString port;
    QString dbname;
    QString user;
    QString sslmode; // empty: libpq's default (prefer)
    QString service;
    QString connectionString; // a postgresql:// URI or key=value pairs; when set, the fields above are not used
    // The Redis server p2-redis caches in for this connection (parseRedisUrl: redis://host:port/db or unix:///path);
    // empty: none (the inner strategy answers). Not part of conninfo(). Never with a password: save() refuses one.
    QString redis;
    // The server's streaming standby for p7-replica (bench --replica DSN): a connection string, not part of conninfo().
    QString replica;
    // p10-search's server with this connection: HOST:PORT of a xapian-tcpsrv --writable (search/xapianserver.h);
    // empty: none, and PostgreSQL answers for it. Not part of conninfo().
    QString search;

    // What PgSession::connect takes: the connection string, or the fields set as key=value pairs (libpq quoting).
    QString conninfo() const;
    bool operator==(const ConnectionProfile &) const = default;
};

// The saved profiles: QSettings of the organisation "plansight", application "connections" (so
// ~/.config/plansight/connections.conf on Linux). Profiles saved by earlier versions in the window's own
// settings (name and conninfo) are read once when there are none here; a bare word there was a service name.
namespace profiles {
QList<ConnectionProfile> load();
// Adds or replaces (by name). An errc::Input error, and nothing saved, when the profile has no name or holds a
// password (password= or sslpassword= pairs, a URI's user:password, a Redis address's password), its Redis address
// is not one parseRedisUrl reads, or its search server is not HOST:PORT.
Status save(const ConnectionProfile &profile);
void remove(const QString &name);
} // namespace profiles

// What a connection attempt found, for the dialog's result line.
struct ConnectionCheck {
    bool ok = false;
    bool needsPassword = false; // errc::PasswordNeeded: ask and try again
    QString user; // who the password is for
    QString text; // one sentence: "Connected to ... (PostgreSQL 15.8)." or the error and what to do
};
// Worker thread: connects to `conninfo` and reads the server's version.
ConnectionCheck checkConnection(const QString &conninfo);

// Remembered passwords, through QtKeychain when PlanSight was built with it and a keychain runs.
namespace keychain {
bool compiledIn();
// Empty when Remember can be offered; otherwise why not, in one sentence (for the greyed box's tooltip).
QString unavailableReason();
// The key a password is remembered under: the connection string without its password (displayConninfo).
QString keyFor(const QString &conninfo);
// Asynchronous, on the GUI thread: `done` gets the stored password, or nullopt (none, or no keychain).
void read(const QString &conninfo, QObject *context, std::function<void(std::optional<QString>)> done);
void write(const QString &conninfo, const QString &password);
} // namespace keychain

// The window's path when a connection needs a password (README.md, "Connections"): a password remembered in the
// keychain is tried first (once per connection string and process); otherwise a PasswordDialog asks, and
// Remember stores it in the keychain. `retry` gets the password; nothing happens when the user cancels.
void askForPassword(
    QWidget *parent, const QString &conninfo, const QString &user, std::function<void(const QString &)> retry);

class PasswordDialog : public QDialog {
    Q_OBJECT
public:
    // `keychainWhy` empty: Remember is offered; otherwise it is greyed and its tooltip says why.
    PasswordDialog(const QString &user, const QString &server, const QString &keychainWhy, QWidget *parent = nullptr);
    QString password() const;
    bool remember() const;
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *rememberBox() const { return m_remember; }

private:
    QLineEdit *m_password = nullptr;
    QCheckBox *m_remember = nullptr;
};

class ConnectionDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectionDialog(QWidget *parent = nullptr);
    ~ConnectionDialog() override;

    ConnectionProfile profile() const; // what the fields say
    void setProfile(const ConnectionProfile &profile);
    // The connection string to connect with: profile().conninfo() with the password given in this dialog, if any.
    QString conninfoToConnect() const;

    // Asks for a password; nullopt when the user cancelled. The default shows a PasswordDialog; tests supply
    // the answer. `remember` is set when the user asked to keep it in the keychain.
    using PasswordPrompt = std::function<std::optional<QString>(const QString &user, bool &remember)>;
    void setPasswordPrompt(PasswordPrompt prompt) { m_prompt = std::move(prompt); }

    void test(); // Test: connects on a worker thread; testFinished() when done
    bool isTesting() const { return m_watcher->isRunning(); }
    QString resultText() const;
    bool saveProfile(); // Save: false (and the result line says why) when it cannot be saved

    QLineEdit *hostEdit() const { return m_host; }
    QLineEdit *portEdit() const { return m_port; }
    QLineEdit *dbnameEdit() const { return m_dbname; }
    QLineEdit *userEdit() const { return m_user; }
    QComboBox *sslModeBox() const { return m_sslmode; }
    QLineEdit *serviceEdit() const { return m_service; }
    QLineEdit *connectionStringEdit() const { return m_connectionString; }
    QLineEdit *redisEdit() const { return m_redis; }
    QLineEdit *searchEdit() const { return m_search; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *replicaEdit() const { return m_replica; }
    QComboBox *profileBox() const { return m_profiles; }
    QPushButton *testButton() const { return m_testButton; }

Q_SIGNALS:
    void testFinished(bool ok);

private:
    void onTestDone();
    void reloadProfiles(const QString &select);
    void updateFieldsEnabled();
    void showResult(bool ok, const QString &text);

    QComboBox *m_profiles = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_host = nullptr;
    QLineEdit *m_port = nullptr;
    QLineEdit *m_dbname = nullptr;
    QLineEdit *m_user = nullptr;
    QComboBox *m_sslmode = nullptr;
    QLineEdit *m_service = nullptr;
    QLineEdit *m_connectionString = nullptr;
    QLineEdit *m_redis = nullptr;
    QLineEdit *m_replica = nullptr;
    QLineEdit *m_search = nullptr;
    QPushButton *m_testButton = nullptr;
    QLabel *m_result = nullptr;
    QFutureWatcher<ConnectionCheck> *m_watcher = nullptr;
    PasswordPrompt m_prompt;
    QString m_password; // given in this dialog; memory only
    QString m_testedConninfo; // what the running test connects to (without the password)
    bool m_askedOnce = false;
    bool m_rememberPassword = false;
};

} // namespace plansight::gui
