#include "cli/common.h"

#include "gallery/demogenerator.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSet>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

namespace plansight::cli {

namespace {
void writeTo(FILE *f, const QString &text)
{
    const QByteArray b = text.toUtf8();
    fwrite(b.constData(), 1, size_t(b.size()), f);
    fflush(f);
}
} // namespace

// The parsers addConnectionOptions() filled (their -h is the host). Verbs parse on the main thread.
static QSet<const QCommandLineParser *> &connectingParsers()
{
    static QSet<const QCommandLineParser *> set;
    return set;
}

void printOut(const QString &text)
{
    writeTo(stdout, text);
}

void printOut(const QByteArray &utf8)
{
    fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
    fflush(stdout);
}

int stdoutTableWidth()
{
    winsize ws {};
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    bool ok = false;
    const int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    return ok && columns > 0 ? columns : 0;
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
    if (error.code == DemoAbsentCode || error.code == demo::UnfinishedCode)
        return ExitDemoAbsent;
    return ExitFailure;
}

QString exitCodesHelp()
{
    return QStringLiteral("Exit codes:\n"
                          "  0    success\n"
                          "  1    failure (a connection, a query, a file, a measurement)\n"
                          "  2    usage error (a bad option or argument)\n"
                          "  3    the embedded demo is absent or unfinished (plansight demo up builds it); for demo\n"
                          "       status, also when it is not running\n"
                          "  130  cancelled (Ctrl-C)\n");
}

int usageError(const QString &message)
{
    writeTo(stderr, QStringLiteral("plansight: ") + message + QStringLiteral("\n"));
    return ExitUsage;
}

bool parseArgs(QCommandLineParser &parser, const QStringList &args, const QString &description, int &exitCode)
{
    parser.setApplicationDescription(description);
    // As psql: -p5432, -Ualice.
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsCompactedShortOptions);
    // -h is the host where the verb connects (as in psql); elsewhere it stays a name of --help.
    QStringList helpNames { QStringLiteral("?"), QStringLiteral("help") };
    if (!connectingParsers().contains(&parser))
        helpNames.insert(1, QStringLiteral("h"));
    const QCommandLineOption help(helpNames, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        exitCode = usageError(parser.errorText() + QStringLiteral(" (see --help)"));
        return false;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        // QCommandLineParser names the program by argv[0]; show the verb too.
        text.replace(QRegularExpression(QStringLiteral("^Usage: \\S+")), QStringLiteral("Usage: ") + args.value(0));
        printOut(text + QLatin1Char('\n') + exitCodesHelp());
        exitCode = ExitOk;
        return false;
    }
    return true;
}

void addChangeOptions(QCommandLineParser &parser)
{
    parser.addOption({ QStringLiteral("lock-timeout"),
        QStringLiteral("How long each DDL statement may wait for a lock before it gives up, leaving nothing "
                       "half-built (default 5; 0: no limit)."),
        QStringLiteral("SECONDS") });
    parser.addOption({ QStringLiteral("dry-run"),
        QStringLiteral("Print the DDL that would run (with its revert, the transactions, the lock_timeout and "
                       "CONCURRENTLY where it applies) and change nothing.") });
}

Result<int> lockTimeoutFromOptions(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("lock-timeout")))
        return DefaultLockTimeoutMs;
    bool ok = false;
    const double seconds = parser.value(QStringLiteral("lock-timeout")).toDouble(&ok);
    if (!ok || seconds < 0 || seconds > 3600)
        return Error::make(errc::Input,
            QStringLiteral("--lock-timeout takes a number of seconds from 0 to 3600, not '%1'.")
                .arg(parser.value(QStringLiteral("lock-timeout"))));
    return int(seconds * 1000 + 0.5);
}

Result<QString> dryRunText(const Strategy &strategy, StrategyState state, const ApplyContext &context, bool apply)
{
    const QString id = strategy.id();
    if (!strategy.info().needsObjects)
        return QStringLiteral("-- %1 needs no database objects: nothing runs.\n").arg(id);
    auto applyPlan = strategy.plannedDdl(context);
    if (!applyPlan)
        return applyPlan.error();
    auto revertPlan = strategy.plannedRevertDdl(context);
    if (!revertPlan)
        return revertPlan.error();
    QString out;
    if (!apply) {
        out += QStringLiteral("-- %1: revert%2\n")
                   .arg(id,
                       state == StrategyState::NotApplied ? QStringLiteral(" (not applied: it removes nothing)")
                                                          : QString());
        return QString(out + revertPlan->script());
    }
    if (state == StrategyState::Applied)
        return QStringLiteral("-- %1 is already applied: nothing runs.\n").arg(id);
    if (state == StrategyState::Broken)
        out += QStringLiteral("-- %1 is incomplete: its revert runs first\n").arg(id) + revertPlan->script();
    out += QStringLiteral("-- %1: apply\n").arg(id) + applyPlan->script();
    out += QStringLiteral("-- %1: its revert (plansight strategies revert %1)\n").arg(id) + revertPlan->script();
    return out;
}

void addConnectionOptions(QCommandLineParser &parser)
{
    connectingParsers().insert(&parser);
    parser.addOption({ QStringLiteral("dsn"),
        QStringLiteral("Connect to this server: key=value pairs, a postgresql:// URI, service=NAME, or a database "
                       "name. -h, -p, -U and -d override its values. Passwords come from ~/.pgpass, service files "
                       "or a prompt, as in psql; PlanSight never stores them."),
        QStringLiteral("DSN") });
    parser.addOption({ { QStringLiteral("h"), QStringLiteral("host") },
        QStringLiteral("The server's host or socket directory."), QStringLiteral("HOST") });
    parser.addOption({ { QStringLiteral("p"), QStringLiteral("port") }, QStringLiteral("The server's port."),
        QStringLiteral("PORT") });
    parser.addOption({ { QStringLiteral("U"), QStringLiteral("username") }, QStringLiteral("The user to connect as."),
        QStringLiteral("USER") });
    parser.addOption({ { QStringLiteral("d"), QStringLiteral("dbname") },
        QStringLiteral("The database (a connection string here counts as --dsn)."), QStringLiteral("DB") });
    parser.addOption({ { QStringLiteral("W"), QStringLiteral("password") },
        QStringLiteral("Ask for the password before connecting (on the terminal, without echo).") });
    parser.addOption({ { QStringLiteral("w"), QStringLiteral("no-password") },
        QStringLiteral("Never ask for a password: fail when the server wants one that .pgpass does not give.") });
    parser.addOption({ QStringLiteral("demo"),
        QStringLiteral("Use the embedded demo cluster (the default when no server is named and PGHOST, PGDATABASE "
                       "and PGSERVICE are not set).") });
    parser.addOption({ QStringLiteral("data-dir"),
        QStringLiteral("The embedded demo's directory (default: $PLANSIGHT_DATA_DIR, else "
                       "~/.local/state/plansight/demo, or /var/lib/plansight/demo as root)."),
        QStringLiteral("DIR") });
}

ConnectionRequest connectionRequestFromOptions(const QCommandLineParser &parser)
{
    ConnectionRequest r;
    r.dsn = parser.value(QStringLiteral("dsn"));
    r.host = parser.value(QStringLiteral("host"));
    r.port = parser.value(QStringLiteral("port"));
    r.user = parser.value(QStringLiteral("username"));
    r.dbname = parser.value(QStringLiteral("dbname"));
    r.demo = parser.isSet(QStringLiteral("demo"));
    if (parser.isSet(QStringLiteral("no-password")))
        r.prompt = ConnectionRequest::Prompt::Never;
    else if (parser.isSet(QStringLiteral("password")))
        r.prompt = ConnectionRequest::Prompt::Always;
    return r;
}

QString chosenServerWords(const ResolvedConnection &resolved)
{
    return resolved.conninfo.isEmpty()
        ? QStringLiteral("the server that %1 names").arg(resolved.source)
        : QStringLiteral("%1 (from %2)").arg(displayConninfo(resolved.conninfo), resolved.source);
}

QString demoRootFromOptions(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("data-dir")) ? parser.value(QStringLiteral("data-dir"))
                                                    : LocalCluster::defaultRootDir();
}

namespace {

void say(const QString &line)
{
    writeTo(stderr, QStringLiteral("plansight: ") + line + QLatin1Char('\n'));
}

Result<std::unique_ptr<PgSession>> connectAsking(
    const QString &conninfo, ConnectionRequest::Prompt prompt, const PgSession::Options &opts)
{
    const auto ask = [&]() -> Result<std::optional<QString>> {
        const QString user = conninfoUser(conninfo, QProcessEnvironment::systemEnvironment());
        return promptPassword(
            user.isEmpty() ? QStringLiteral("Password: ") : QStringLiteral("Password for user %1: ").arg(user));
    };
    if (prompt == ConnectionRequest::Prompt::Always) {
        auto pw = ask();
        if (!pw)
            return pw.error();
        if (*pw)
            return PgSession::connect(withPassword(conninfo, **pw), opts);
    }
    auto s = PgSession::connect(conninfo, opts);
    if (s || s.error().code != errc::PasswordNeeded || prompt != ConnectionRequest::Prompt::Auto)
        return s;
    auto pw = ask();
    if (!pw)
        return pw.error();
    if (!*pw) {
        Error e = s.error();
        e.hint = QStringLiteral("No terminal to ask it on: put it in ~/.pgpass (or PGPASSFILE), or run on a terminal.");
        return e;
    }
    return PgSession::connect(withPassword(conninfo, **pw), opts);
}

} // namespace

Result<Connection> connectFromOptions(const QCommandLineParser &parser, int statementTimeoutMs)
{
    PgSession::Options opts;
    opts.statementTimeoutMs = statementTimeoutMs;
    Connection c;
    const ConnectionRequest request = connectionRequestFromOptions(parser);
    auto resolved = resolveConnection(request, QProcessEnvironment::systemEnvironment());
    if (!resolved)
        return resolved.error();
    if (!resolved->useDemo) {
        say(QStringLiteral("connecting to ") + chosenServerWords(resolved.value())
            + (resolved->conninfo.isEmpty() ? QStringLiteral(" (as psql would; --demo uses the embedded demo)")
                                            : QString()));
        auto s = connectAsking(resolved->conninfo, request.prompt, opts);
        if (!s)
            return s.error();
        c.session = std::move(s.value());
        c.label = c.session->describe();
        return c;
    }
    LocalCluster cluster(demoRootFromOptions(parser));
    say(QStringLiteral("using the embedded demo in %1 (%2)").arg(cluster.rootDir(), resolved->source));
    if (!cluster.exists())
        return Error::make(DemoAbsentCode, QStringLiteral("There is no demo cluster in %1.").arg(cluster.rootDir()),
            QString(), QStringLiteral("Create it with: plansight demo up (or name a server with --dsn or -h)"));
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

Result<std::optional<QString>> promptLine(const QString &prompt, Echo echo)
{
    if (echo == Echo::On && !isatty(STDIN_FILENO))
        return std::optional<QString>();
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return std::optional<QString>();
    termios saved {};
    const bool isTerminal = tcgetattr(fd, &saved) == 0;
    if (isTerminal && echo == Echo::Off) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    const QByteArray p = prompt.toLocal8Bit();
    [[maybe_unused]] ssize_t w = ::write(fd, p.constData(), size_t(p.size()));
    QByteArray line;
    bool cancelled = false;
    for (;;) {
        // Ctrl-C reaches the watcher thread (installInterruptHandler), which cancels the token: look at it
        // between short waits, so the echo is restored before the verb ends.
        pollfd pfd { fd, POLLIN, 0 };
        const int ready = ::poll(&pfd, 1, 100);
        if (interruptToken().isCancelled()) {
            cancelled = true;
            break;
        }
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0)
            continue;
        char ch = 0;
        const ssize_t n = ::read(fd, &ch, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || ch == '\n' || ch == '\r')
            break;
        line += ch;
    }
    if (echo == Echo::Off) { // the Enter was not echoed either
        if (isTerminal)
            tcsetattr(fd, TCSAFLUSH, &saved);
        w = ::write(fd, "\n", 1);
    }
    ::close(fd);
    if (cancelled)
        return Error::make(errc::Cancelled, QStringLiteral("Cancelled."));
    return std::optional<QString>(QString::fromLocal8Bit(line));
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
