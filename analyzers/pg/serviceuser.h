#pragma once

// The unprivileged user PlanSight's own servers run as when PlanSight runs as root (PostgreSQL refuses root; the
// embedded Redis follows the same rule): its ids, the private directories it owns, and starting a process as it.
// One home for the embedded PostgreSQL cluster (pg/localcluster.h), the embedded Redis (cache/redisserver.h) and the
// embedded search server (search/xapianserver.h).

#include "util/result.h"

#include <QString>

#include <optional>
#include <sys/types.h>

class QProcess;

namespace plansight {

struct ServiceIds {
    uid_t uid = 0;
    gid_t gid = 0;
};

// The ids of LocalCluster::serviceUser(); nullopt when PlanSight is not root (servers run as this user) or the
// user does not exist.
std::optional<ServiceIds> serviceIds();

// Gives `path` (never following a link) to the service user.
Status chownPath(const QString &path, const ServiceIds &ids);

// Creates the directory `path` (its parent must exist) private to the server: mode 0700, owned by `owner`
// (the service user) when PlanSight is root. A link is never followed: mkdir does not follow one at the
// last component, the directory is then opened with O_NOFOLLOW | O_DIRECTORY, checked through that
// descriptor (a directory owned by this user or the service user) and changed only through it (fchown,
// fchmod). Anything else at `path` (a link, a file, another user's directory) is refused, unchanged.
Status makePrivateDir(const QString &path, const std::optional<ServiceIds> &owner);

// The root directory of a server PlanSight runs itself (Redis, Xapian): its parents are created, the root itself as
// makePrivateDir() does, and when the server runs as the service user the root gets the execute bit for it (0711):
// the demo's own directory above already lets it through.
Status makeServerRoot(const QString &root, const std::optional<ServiceIds> &owner);

// `process`, once started, drops to `ids` (supplementary groups cleared) between fork and exec; exit code 126
// when it cannot.
void runAs(QProcess &process, const ServiceIds &ids);

} // namespace plansight
