#pragma once

// Internal to analyzers/plan: the hand-written readings of the text parser's hot lines. Each is the exact
// equivalent of a regular expression, which stays its definition: tests/unit/tst_plantext.cpp compares them on the
// stored plans' lines and on random lines. (QRegularExpression's \s and \d are ASCII only: no Unicode properties.)

#include <QStringView>
#include <QVarLengthArray>

#include <optional>
#include <utility>

namespace plansight::planinternal {

// PCRE's \s: space, \t, \n, \v, \f, \r.
bool isRegexSpace(QChar c);

// QStringView::toDouble(), with plain decimals ("-12", "0.29") read by std::from_chars.
double textToDouble(QStringView s, bool *ok);

// ^[A-Z][A-Za-z0-9 /\-]{0,60}:(?:\s|$)  ("Filter: ...", "Rows Removed by Filter: 3")
bool isKeyValue(QStringView line);
// ^Worker \d+:
bool isWorkerLine(QStringView line);

// text.split(\s{2,}(?=[A-Z][A-Za-z \-]*:)), each part as (its text before the first ':', after it), both trimmed
// (the whole part and an empty value when it has no ':'). PostgreSQL separates properties on one line by two
// spaces: "Sort Method: quicksort  Memory: 25kB".
using KeyValueParts = QVarLengthArray<std::pair<QStringView, QStringView>, 4>;
KeyValueParts keyValuePairs(QStringView text);

// \(cost=([0-9.eE+\-]+)\.\.([0-9.eE+\-]+)\s+rows=([0-9.eE+\-]+)\s+width=(\d+)\)
struct CostFigures {
    qsizetype start = -1;
    QStringView startup, total, rows, width;
};
// \(actual\s*(?:time=([0-9.]+)\.\.([0-9.]+)\s*)?rows=([0-9.]+)\s+loops=([0-9.]+)\)
struct ActualFigures {
    qsizetype start = -1;
    QStringView startupTime, totalTime, rows, loops; // the times are empty when absent (TIMING OFF)
};
// The expression's first match, when the line's shape lets the reading decide it: true (and the figures) when it
// matches at the first "(cost=" / "(actual", false when the line has none; nullopt for every other shape (a
// second "..", a figure missing, text after it...), which the caller leaves to the expression.
std::optional<bool> matchCostFast(QStringView line, CostFigures &out);
std::optional<bool> matchActualFast(QStringView line, ActualFigures &out);

// A node's description (its line before the figures, trimmed):
// ^(Nested Loop|Hash|Merge)(?: (Left|Right|Full|Semi|Anti|Right Semi|Right Anti))? Join$
struct JoinWords {
    QStringView kind, type; // type: empty for an inner join
};
bool matchJoin(QStringView description, JoinWords &out);
// ^(Index Scan|Index Only Scan)( Backward)? using ("(?:[^"]|"")*"|\S+)(?: on (.+))?$ , decided by hand for an unquoted
// index name; nullopt (for the expression) for a quoted one, or a line break in the relation.
struct IndexScanWords {
    QStringView type, backward, index, relation; // backward and relation: empty when absent
};
std::optional<bool> matchIndexScanFast(QStringView description, IndexScanWords &out);

} // namespace plansight::planinternal
