// plansight: the GUI unless the first argument is a CLI verb (see app/cli).

#include "cli/common.h"
#include "cli/verb.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstdio>
#include <memory>

int runGui(int argc, char **argv); // gui.cpp

namespace {

int printUsage()
{
    QString text = QStringLiteral("Usage: plansight [CONNECTION OPTIONS]    (the window)\n"
                                  "       plansight VERB [OPTIONS]\n\n"
                                  "Without a verb, PlanSight opens its window on the server that the connection\n"
                                  "options below, or PGHOST, PGDATABASE or PGSERVICE, name; else on the last\n"
                                  "profile (the embedded demo by default).\n\nVerbs:\n");
    for (const auto &v : plansight::cli::verbs())
        text += QStringLiteral("  %1%2\n").arg(v.name, -12).arg(v.summary);
    text += QStringLiteral(
        "\n`plansight VERB --help` (or -?) describes each verb.\n\n"
        "Connections, as in psql: --dsn DSN (key=value pairs, a postgresql:// URI, service=NAME or a\n"
        "database name), -h HOST, -p PORT, -U USER, -d DB (these win over --dsn), -W (ask for the\n"
        "password), -w (never ask). Without them, PGHOST, PGDATABASE or PGSERVICE name the server;\n"
        "otherwise (or with --demo) the embedded demo is used. Passwords come from ~/.pgpass, service\n"
        "files or a prompt on the terminal; PlanSight never stores them.\n\n");
    text += plansight::cli::exitCodesHelp();
    plansight::cli::printOut(text);
    return 0;
}

// The window needs a display: without one (an SSH session, a container, cron), say so and point to the
// command line instead of letting Qt abort. QT_QPA_PLATFORM (offscreen, vnc, ...) may choose a platform
// that needs none; a display that is named but cannot be reached is caught in runGui().
bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

} // namespace

int main(int argc, char **argv)
{
    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    // -h alone is help; followed by a value it is the window's host, as in psql (plansight -h db1).
    if (first == QLatin1String("--help") || (first == QLatin1String("-h") && argc == 2) || first == QLatin1String("-?")
        || first == QLatin1String("help"))
        return printUsage();
    if (first == QLatin1String("--version")) {
        plansight::cli::printOut(QStringLiteral("plansight " PLANSIGHT_VERSION "\n"));
        return 0;
    }
    if (first.isEmpty() || first.startsWith(QLatin1Char('-'))) {
        if (!hasDisplay()) {
            fputs("plansight: no display was found (DISPLAY and WAYLAND_DISPLAY are not set), so the window cannot "
                  "open.\n  hint: Run it in a desktop session (or with ssh -X), or use the command line: plansight "
                  "--help\n",
                stderr);
            return plansight::cli::ExitFailure;
        }
        return runGui(argc, argv);
    }

    const plansight::cli::Verb *verb = plansight::cli::findVerb(first);
    if (!verb)
        return plansight::cli::usageError(QStringLiteral("unknown verb '%1' (see plansight --help)").arg(first));
    plansight::cli::installInterruptHandler();
    // The verb's arguments as given: QGuiApplication would remove some of them (--session, -style, ...).
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    std::unique_ptr<QCoreApplication> app;
    if (verb->needsGui) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        // A verb that paints on the offscreen platform outside a desktop session makes Qt say that
        // XDG_RUNTIME_DIR is not set (it then uses a private directory of its own): noise on a terminal or in a
        // script's log, so that one message is dropped and every other goes to Qt's handler.
        static const QtMessageHandler qtHandler = qInstallMessageHandler(nullptr);
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
            if (!message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
                qtHandler(type, context, message);
        });
        app = std::make_unique<QApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("plansight"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PLANSIGHT_VERSION));
    args[0] = QStringLiteral("plansight ") + first;
    return verb->run(args);
}
