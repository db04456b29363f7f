#pragma once

// Internal to analyzers/plan: undoing what terminals, psql and log files do to EXPLAIN output before either
// parser sees it. Not part of the public API.

#include "util/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <deque>

namespace plansight::planinternal {

// Splits into lines and removes: a UTF-8 BOM, CR line ends, psql's header ("QUERY PLAN" and its rule),
// border characters (| and │) and rules of \pset border 2, the "(N rows)" footer in any language, the
// newline marks of aligned output (" +" and "↵" at line ends) and the wrap marks of wrapped output (a line
// ending in "." or "…" continued on a line starting with one). Empty lines are dropped.
// The lines are views of `input` (which must outlive them), or of `joined` for lines a wrap mark cut.
struct UnframedLines {
    QList<QByteArrayView> lines;
    std::deque<QByteArray> joined;
};
UnframedLines unframeLines(const QByteArray &input);

// Undoes CSV-style doubling of quotes ("" -> ") and an enclosing pair of quotes, when the input has them.
QByteArray undoubleQuotes(const QByteArray &input);

// Refuses empty, oversized and binary input with one clear sentence.
Status checkPlanInput(const QByteArray &input);

} // namespace plansight::planinternal
