#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace plansight::cli {

// A command-line verb: `plansight <name> ...`. Each verb lives in its own file in app/cli and registers
// itself with PLANSIGHT_CLI_VERB; main() dispatches on the first argument.
struct Verb {
    QString name;
    QString summary;
    // args[0] is "plansight <name>"; returns the process exit code.
    std::function<int(const QStringList &args)> run;
    // Verbs that paint (PDF reports, charts) need a QApplication; main() creates one on the offscreen
    // platform (unless QT_QPA_PLATFORM says otherwise), so they also work without a display.
    bool needsGui = false;
};

bool registerVerb(Verb verb);
const QList<Verb> &verbs();
const Verb *findVerb(const QString &name);

} // namespace plansight::cli

#define PLANSIGHT_CLI_VERB(ident, name, summary, fn)                                                                   \
    static const bool ident##_registered                                                                               \
        = plansight::cli::registerVerb(plansight::cli::Verb { QStringLiteral(name), QStringLiteral(summary), fn })

// Like PLANSIGHT_CLI_VERB, for verbs that paint and so need a QApplication (see Verb::needsGui).
#define PLANSIGHT_CLI_GUI_VERB(ident, name, summary, fn)                                                               \
    static const bool ident##_registered = plansight::cli::registerVerb(                                               \
        plansight::cli::Verb { QStringLiteral(name), QStringLiteral(summary), fn, true })
