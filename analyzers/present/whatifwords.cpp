#include "present/whatifwords.h"

#include "present/format.h"

#include <QLocale>

#include <cmath>

namespace plansight {

namespace {

QStringList withoutHypotheticalMark(const QStringList &names)
{
    QStringList out;
    for (QString n : names)
        out << n.remove(QStringLiteral(" (hypothetical)"));
    return out;
}

QString indexList(const QStringList &names)
{
    return names.isEmpty() ? QStringLiteral("no index") : names.join(QStringLiteral(", "));
}

} // namespace

QString formatCost(double cost)
{
    if (!std::isfinite(cost) || cost < 0)
        return notMeasured();
    if (cost >= 1e12)
        return formatScientific(cost);
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(cost, 'f', 2);
}

bool WhatIfAgainstBuilt::sameIndexes() const
{
    QStringList predicted = withoutHypotheticalMark(predictedIndexes);
    QStringList built = builtIndexes;
    predicted.sort();
    built.sort();
    return predicted == built;
}

QString whatIfWords(const WhatIfAgainstBuilt &w)
{
    QString out = QStringLiteral("what-if before building (HypoPG): predicted cost %1, built %2; predicted size %3, "
                                 "built %4; ")
                      .arg(formatCost(w.predictedCost), formatCost(w.builtCost), formatBytes(w.predictedBytes),
                          formatBytes(w.builtBytes));
    if (w.builtCost < 0)
        return out
            + QStringLiteral("the predicted plan reads %1 (the built plan was not explained)")
                  .arg(indexList(w.predictedIndexes));
    if (w.sameIndexes())
        return out + QStringLiteral("the built plan reads the predicted indexes (%1)").arg(indexList(w.builtIndexes));
    return out
        + QStringLiteral("the predicted plan read %1, the built plan reads %2")
              .arg(indexList(w.predictedIndexes), indexList(w.builtIndexes));
}

} // namespace plansight
