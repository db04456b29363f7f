// plansight report --session ID --pdf FILE: the PDF report of a session recorded in the history (or of a
// session exported as JSON with --from-json).

#include "cli/common.h"
#include "cli/verb.h"
#include "present/sessionjson.h"

#include "history/historystore.h"
#include "reportrenderer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace plansight::cli {

namespace {

Result<SessionResult> sessionFromJsonFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::make(errc::Io, QStringLiteral("Cannot read %1: %2.").arg(path, f.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Error::make(errc::Input,
            QStringLiteral("%1 is not a PlanSight session in JSON (%2).")
                .arg(path,
                    error.error != QJsonParseError::NoError ? error.errorString() : QStringLiteral("not an object")));
    return sessionFromJson(doc.object());
}

int runReport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({ QStringLiteral("session"),
        QStringLiteral("The history session to report (see plansight history)."), QStringLiteral("ID") });
    parser.addOption({ QStringLiteral("from-json"),
        QStringLiteral("Report a session exported as JSON (plansight bench --json, plansight history export --json) "
                       "instead of one from the history."),
        QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("pdf"), QStringLiteral("Write the PDF report to FILE (replaced if it exists)."),
        QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("page-size"), QStringLiteral("a4 (the default) or letter."),
        QStringLiteral("SIZE"), QStringLiteral("a4") });
    parser.addOption({ QStringLiteral("history"),
        QStringLiteral("The history file (default: $PLANSIGHT_HISTORY or ~/.local/share/plansight/history.sqlite)."),
        QStringLiteral("FILE") });
    parser.addOption({ QStringLiteral("no-charts"), QStringLiteral("Leave the timing charts out.") });
    parser.addOption({ QStringLiteral("expectations"),
        QStringLiteral("A review's expectations to hold the session against (JSON; docs/gallery.md, \"The verdict\"); "
                       "default: the built-in review's."),
        QStringLiteral("FILE") });
    int rc = 0;
    if (!parseArgs(parser, args,
            QStringLiteral(
                "Write the PDF report of a recorded benchmark session: the question, the ranked strategies, "
                "charts, one section per strategy with its SQL, plan and footprint, and how it was measured."),
            rc))
        return rc;
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("report takes no arguments besides its options (see --help)"));
    const bool fromJson = parser.isSet(QStringLiteral("from-json"));
    if (fromJson == parser.isSet(QStringLiteral("session")))
        return usageError(QStringLiteral(
            "report needs either --session ID (plansight history lists the sessions) or --from-json FILE"));
    if (!parser.isSet(QStringLiteral("pdf")))
        return usageError(QStringLiteral("report needs --pdf FILE"));
    const auto pageSize = reportPageSizeFromString(parser.value(QStringLiteral("page-size")));
    if (!pageSize)
        return usageError(pageSize.error().message);

    Result<SessionResult> session = Error::make(errc::Internal, QString());
    if (fromJson) {
        session = sessionFromJsonFile(parser.value(QStringLiteral("from-json")));
    } else {
        bool isNumber = false;
        const qint64 id = parser.value(QStringLiteral("session")).toLongLong(&isNumber);
        if (!isNumber || id < 0)
            return usageError(QStringLiteral("--session needs a session number, not '%1'")
                                  .arg(parser.value(QStringLiteral("session"))));
        auto store = HistoryStore::open(parser.value(QStringLiteral("history")));
        if (!store)
            return fail(store.error());
        session = store->loadSession(id);
    }
    if (!session)
        return fail(session.error());

    ReportOptions options;
    options.pageSize = pageSize.value();
    options.charts = !parser.isSet(QStringLiteral("no-charts"));
    if (parser.isSet(QStringLiteral("expectations"))) {
        auto loaded = loadExpectationsFile(parser.value(QStringLiteral("expectations")));
        if (!loaded)
            return fail(loaded.error());
        options.expectations = std::move(loaded).value();
    }
    const QString path = parser.value(QStringLiteral("pdf"));
    if (auto st = writeReport(session.value(), path, options, &interruptToken()); !st)
        return fail(st.error());
    printOut(QStringLiteral("%1\n").arg(path));
    return ExitOk;
}

} // namespace

PLANSIGHT_CLI_GUI_VERB(report, "report", "Write the PDF report of a recorded session", runReport);

} // namespace plansight::cli
