#include "cli/verb.h"

namespace plansight::cli {

namespace {
QList<Verb> &registry()
{
    static QList<Verb> verbs;
    return verbs;
}
} // namespace

bool registerVerb(Verb verb)
{
    registry().append(std::move(verb));
    std::sort(registry().begin(), registry().end(), [](const Verb &a, const Verb &b) { return a.name < b.name; });
    return true;
}

const QList<Verb> &verbs()
{
    return registry();
}

const Verb *findVerb(const QString &name)
{
    for (const Verb &v : registry())
        if (v.name == name)
            return &v;
    return nullptr;
}

} // namespace plansight::cli
