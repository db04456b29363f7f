#include "cli/common.h"

#include <QFile>
#include <QRegularExpression>

#include <csignal>
#include <pthread.h>
#include <thread>

namespace plansight::cli {

namespace {
void writeTo(FILE *f, const QString &text)
{
    const QByteArray b = text.toUtf8();
    fwrite(b.constData(), 1, size_t(b.size()), f);
    fflush(f);
}
} // namespace

void printOut(const QString &text)
{
    writeTo(stdout, text);
}

int fail(const Error &error)
{
    QString text = QStringLiteral("plansight: ") + error.message;
    if (!error.detail.isEmpty() && error.code != errc::Cancelled)
        text += QStringLiteral("\n  detail: ") + error.detail;
    if (!error.hint.isEmpty())
        text += QStringLiteral("\n  hint: ") + error.hint;
    writeTo(stderr, text + QLatin1Char('\n'));
    if (error.isCancel())
        return ExitCancelled;
    if (error.code == errc::Input)
        return ExitUsage;
    return ExitFailure;
}

int usageError(const QString &message)
{
    writeTo(stderr, QStringLiteral("plansight: ") + message + QStringLiteral("\n"));
    return ExitUsage;
}

bool parseArgs(QCommandLineParser &parser, const QStringList &args, const QString &description, int &exitCode)
{
    parser.setApplicationDescription(description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({ QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        exitCode = usageError(parser.errorText() + QStringLiteral(" (see --help)"));
        return false;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        // QCommandLineParser names the program by argv[0]; show the verb too.
        text.replace(QRegularExpression(QStringLiteral("^Usage: \\S+")), QStringLiteral("Usage: ") + args.value(0));
        printOut(text);
        exitCode = ExitOk;
        return false;
    }
    return true;
}

void addConnectionOptions(QCommandLineParser &parser)
{
    parser.addOption({ QStringLiteral("dsn"),
        QStringLiteral("Connect to this server: a conninfo string, a postgresql:// URI or a service name. "
                       "Passwords come from ~/.pgpass or service files, as in psql."),
        QStringLiteral("DSN") });
    parser.addOption({ QStringLiteral("demo"), QStringLiteral("Use the embedded demo cluster (the default).") });
    parser.addOption({ QStringLiteral("data-dir"),
        QStringLiteral("The embedded demo's directory (default: $PLANSIGHT_DATA_DIR, else ~/.local/state/plansight/demo, or /var/lib/plansight/demo as root)."),
        QStringLiteral("DIR") });
}

QString demoRootFromOptions(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("data-dir")) ? parser.value(QStringLiteral("data-dir")) : LocalCluster::defaultRootDir();
}

Result<Connection> connectFromOptions(const QCommandLineParser &parser, int statementTimeoutMs)
{
    PgSession::Options opts;
    opts.statementTimeoutMs = statementTimeoutMs;
    Connection c;
    if (parser.isSet(QStringLiteral("dsn")) && parser.isSet(QStringLiteral("demo")))
        return Error::make(errc::Input, QStringLiteral("Give either --dsn or --demo, not both."));
    if (parser.isSet(QStringLiteral("dsn"))) {
        auto s = PgSession::connect(parser.value(QStringLiteral("dsn")), opts);
        if (!s)
            return s.error();
        c.session = std::move(s.value());
        c.label = c.session->describe();
        return c;
    }
    LocalCluster cluster(demoRootFromOptions(parser));
    if (!cluster.exists())
        return Error::make(errc::Input, QStringLiteral("There is no demo cluster in %1.").arg(cluster.rootDir()), QString(),
            QStringLiteral("Create it with: plansight demo up"));
    if (auto st = cluster.start(); !st)
        return st.error();
    auto s = PgSession::connect(cluster.conninfo(demoDatabase()), opts);
    if (!s)
        return s.error();
    c.session = std::move(s.value());
    c.isDemo = true;
    c.label = QStringLiteral("demo (%1)").arg(cluster.rootDir());
    return c;
}

CancelToken &interruptToken()
{
    static CancelToken token;
    return token;
}

void installInterruptHandler()
{
    // Block the signals in every thread (threads inherit the mask) and take them in one watcher thread,
    // where calling PQcancel through the token is safe.
    static sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([] {
        int sig = 0;
        bool interrupted = false;
        while (sigwait(&set, &sig) == 0) {
            if (interrupted || interruptToken().isCancelled()) {
                // A second Ctrl-C: the user means it.
                std::_Exit(ExitCancelled);
            }
            interrupted = true;
            fputs("\nplansight: cancelling (press Ctrl-C again to quit at once)...\n", stderr);
            // The callbacks (PgSession::cancel, a runner's lock) may block on a hung server or a busy
            // worker: run them elsewhere, so this thread is back in sigwait for a second Ctrl-C at once.
            std::thread([] { interruptToken().cancel(); }).detach();
        }
    }).detach();
}

} // namespace plansight::cli
