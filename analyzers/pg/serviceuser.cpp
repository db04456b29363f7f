#include "pg/serviceuser.h"

#include "pg/localcluster.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace plansight {

std::optional<ServiceIds> serviceIds()
{
    const QString user = LocalCluster::serviceUser();
    if (user.isEmpty())
        return std::nullopt;
    passwd *pw = ::getpwnam(user.toLocal8Bit().constData());
    if (!pw)
        return std::nullopt;
    return ServiceIds { pw->pw_uid, pw->pw_gid };
}

Status chownPath(const QString &path, const ServiceIds &ids)
{
    // lchown: a link put in the cluster's directories is never followed.
    if (::lchown(QFile::encodeName(path).constData(), ids.uid, ids.gid) != 0)
        return Error::make(errc::Io, QStringLiteral("Could not give %1 to the server's user.").arg(path),
            QString::fromLocal8Bit(strerror(errno)));
    return {};
}

namespace {
const QString PlantedHint = QStringLiteral(
    "Remove it if nobody else uses it (another user may have put it there), or choose another --data-dir.");
} // namespace

Status makePrivateDir(const QString &path, const std::optional<ServiceIds> &owner)
{
    const QByteArray p = QFile::encodeName(path);
    if (::mkdir(p.constData(), 0700) != 0 && errno != EEXIST)
        return Error::make(
            errc::Io, QStringLiteral("Could not create %1.").arg(path), QString::fromLocal8Bit(strerror(errno)));
    const int fd = ::open(p.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ELOOP || err == ENOTDIR)
            return Error::make(errc::Io,
                QStringLiteral("PlanSight will not use %1: it is a symbolic link or not a directory.").arg(path),
                QString(), PlantedHint);
        return Error::make(
            errc::Io, QStringLiteral("Could not open %1.").arg(path), QString::fromLocal8Bit(strerror(err)));
    }
    struct stat st { };
    Status result;
    if (::fstat(fd, &st) != 0) {
        result = Error::make(
            errc::Io, QStringLiteral("Could not read %1.").arg(path), QString::fromLocal8Bit(strerror(errno)));
    } else if (st.st_uid != ::geteuid() && !(owner && st.st_uid == owner->uid)) {
        result = Error::make(errc::Io,
            QStringLiteral("PlanSight will not use %1: it belongs to another user (uid %2).").arg(path).arg(st.st_uid),
            QString(), PlantedHint);
    } else if (owner && ::fchown(fd, owner->uid, owner->gid) != 0) {
        result = Error::make(errc::Io, QStringLiteral("Could not give %1 to the server's user.").arg(path),
            QString::fromLocal8Bit(strerror(errno)));
    } else if (::fchmod(fd, 0700) != 0) {
        result = Error::make(
            errc::Io, QStringLiteral("Could not make %1 private.").arg(path), QString::fromLocal8Bit(strerror(errno)));
    }
    ::close(fd);
    return result;
}

Status makeServerRoot(const QString &root, const std::optional<ServiceIds> &owner)
{
    const QString parent = QFileInfo(root).absolutePath();
    if (!QDir().mkpath(parent))
        return Error::make(errc::Io, QStringLiteral("Could not create %1.").arg(parent));
    if (auto st = makePrivateDir(root, owner); !st)
        return st;
    if (owner)
        ::chmod(QFile::encodeName(root).constData(), 0711);
    return {};
}

void runAs(QProcess &process, const ServiceIds &ids)
{
    const ServiceIds i = ids;
    // Runs in the child between fork and exec: only async-signal-safe calls.
    process.setChildProcessModifier([i] {
        if (::setgroups(0, nullptr) != 0 || ::setgid(i.gid) != 0 || ::setuid(i.uid) != 0)
            ::_exit(126);
    });
}

} // namespace plansight
