#include "cli/verb.h"

#include <QCoreApplication>

// Until the main window lands, `plansight` with no verb brings the demo up and prints its statistics.
int runGui(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const auto *up = plansight::cli::findVerb(QStringLiteral("demo"));
    int rc = up->run({ QStringLiteral("plansight demo"), QStringLiteral("up") });
    if (rc != 0)
        return rc;
    if (const auto *stats = plansight::cli::findVerb(QStringLiteral("stats")))
        return stats->run({ QStringLiteral("plansight stats"), QStringLiteral("--demo") });
    return 0;
}
