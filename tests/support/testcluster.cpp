#include "testcluster.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

namespace plansight::test {

namespace {
QString g_reason;

// A test process that dies without running static destructors (qFatal, a crash, ctest's timeout) must not
// leave its server running. Two defences:
//  - a handler for the fatal signals that sends the postmaster SIGQUIT (PostgreSQL's immediate shutdown)
//    using only async-signal-safe calls, then lets the signal take its earlier course;
//  - a reaper: every test cluster's directory names its owner's pid; the next test process stops and
//    removes the clusters of owners that are gone (this covers SIGKILL).
char g_pidFile[4096] = {};
const int g_fatalSignals[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM, SIGINT, SIGHUP };
struct sigaction g_previous[sizeof g_fatalSignals / sizeof g_fatalSignals[0]];

void onFatalSignal(int sig)
{
    const int fd = ::open(g_pidFile, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char buf[32] = {};
        const ssize_t n = ::read(fd, buf, sizeof buf - 1);
        ::close(fd);
        long pid = 0;
        for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i)
            pid = pid * 10 + (buf[i] - '0');
        if (pid > 1)
            ::kill(pid_t(pid), SIGQUIT);
    }
    for (size_t i = 0; i < sizeof g_fatalSignals / sizeof g_fatalSignals[0]; ++i) {
        if (g_fatalSignals[i] == sig) {
            ::sigaction(sig, &g_previous[i], nullptr);
            break;
        }
    }
    ::raise(sig); // delivered when this handler returns, to the earlier handler (QTest's) or the default
}

void installFatalSignalHandlers(const QString &pidFile)
{
    const QByteArray path = QFile::encodeName(pidFile);
    if (size_t(path.size()) >= sizeof g_pidFile)
        return;
    std::memcpy(g_pidFile, path.constData(), size_t(path.size()));
    for (size_t i = 0; i < sizeof g_fatalSignals / sizeof g_fatalSignals[0]; ++i) {
        struct sigaction sa { };
        sa.sa_handler = onFatalSignal;
        sigemptyset(&sa.sa_mask);
        ::sigaction(g_fatalSignals[i], &sa, &g_previous[i]);
    }
}

const QString OwnerFile = QStringLiteral("owner.pid");

// Stops and removes the test clusters whose test process is gone.
void reapOrphans(const QString &parent, const QString &pattern)
{
    const QDir dir(parent);
    for (const QString &name : dir.entryList({ pattern }, QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString root = dir.filePath(name);
        QFile owner(root + QLatin1Char('/') + OwnerFile);
        if (!owner.open(QIODevice::ReadOnly))
            continue; // being created, or not ours
        bool ok = false;
        const qint64 pid = owner.readAll().trimmed().toLongLong(&ok);
        owner.close();
        if (!ok || pid <= 1 || pid == qint64(::getpid()) || ::kill(pid_t(pid), 0) == 0 || errno != ESRCH)
            continue;
        // p7-replica's standby of the test cluster (strategies/replicastrategy.h) first: it streams from it.
        for (const QString &dir : { QStringLiteral("/cluster/replica"), QStringLiteral("/cluster") }) {
            LocalCluster orphan(root + dir);
            if (orphan.exists())
                (void)orphan.destroy();
        }
        QDir(root).removeRecursively();
        qInfo("removed the test cluster of process %lld, which ended without stopping it", pid);
    }
}
} // namespace

TestCluster *TestCluster::get()
{
    static std::unique_ptr<TestCluster> instance;
    static bool tried = false;
    if (tried)
        return instance.get();
    tried = true;
    reapOrphans(QStringLiteral("/tmp"), QStringLiteral("plansight-test-*"));
    std::unique_ptr<TestCluster> c(new TestCluster);
    if (!c->m_dir.isValid()) {
        g_reason = QStringLiteral("could not create a temporary directory");
        return nullptr;
    }
    // As root the server runs as another user, who must get through the temporary directory (0700 when
    // made); LocalCluster changes no directory it did not create.
    QFile::setPermissions(
        c->m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
    QFile owner(c->m_dir.filePath(OwnerFile));
    if (!owner.open(QIODevice::WriteOnly) || owner.write(QByteArray::number(qint64(::getpid()))) < 0) {
        g_reason = QStringLiteral("could not write %1").arg(owner.fileName());
        return nullptr;
    }
    owner.close();
    c->m_cluster = std::make_unique<LocalCluster>(c->m_dir.path() + QStringLiteral("/cluster"));
    installFatalSignalHandlers(c->m_cluster->dataDir() + QStringLiteral("/postmaster.pid"));
    if (auto st = c->m_cluster->start(); !st) {
        g_reason = st.error().toString();
        return nullptr;
    }
    instance = std::move(c);
    return instance.get();
}

QString TestCluster::reason()
{
    return g_reason;
}

std::unique_ptr<PgSession> TestCluster::connect(const QString &db)
{
    if (auto st = m_cluster->ensureDatabase(db); !st) {
        qWarning("%s", qPrintable(st.error().toString()));
        return nullptr;
    }
    auto s = PgSession::connect(m_cluster->conninfo(db));
    if (!s) {
        qWarning("%s", qPrintable(s.error().toString()));
        return nullptr;
    }
    return std::move(s.value());
}

bool isSleepingIn(PgSession &observer, const QString &fragment)
{
    auto r = observer.exec(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                                          "AND state = 'active' AND wait_event = 'PgSleep' AND strpos(query, $1) > 0"),
        { fragment });
    return r.ok() && r->value(0, 0).toLongLong() > 0;
}

TestCluster::~TestCluster()
{
    if (m_cluster)
        (void)m_cluster->destroy();
}

} // namespace plansight::test
