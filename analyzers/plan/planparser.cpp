#include "plan/planparser.h"
#include "plan/planfields_p.h"
#include "plan/planinput_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace plansight {

using namespace planinternal;

namespace {

qsizetype firstSignificant(const QByteArray &in)
{
    qsizetype i = 0;
    if (in.startsWith("\xef\xbb\xbf"))
        i = 3;
    while (i < in.size() && (in.at(i) == ' ' || in.at(i) == '\t' || in.at(i) == '\r' || in.at(i) == '\n'))
        ++i;
    return i;
}

// The JSON text inside whatever surrounds it (psql framing, a log prefix, doubled quotes).
QByteArray extractJson(const QByteArray &input)
{
    const qsizetype first = firstSignificant(input);
    QByteArray text;
    if (first < input.size() && (input.at(first) == '[' || input.at(first) == '{')) {
        text = input.mid(first);
    } else {
        const QList<QByteArray> lines = unframeLines(input);
        text = lines.join('\n');
    }
    if (hasDoubledQuotes(text))
        text = undoubleQuotes(text);
    // A log prefix ("LOG:  duration: 1.2 ms  plan:") or any other text before the JSON; text after it.
    qsizetype start = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '[' || c == '{') {
            qsizetype j = i + 1;
            while (j < text.size() && (text.at(j) == ' ' || text.at(j) == '\n' || text.at(j) == '\t' || text.at(j) == '\r'))
                ++j;
            if (j < text.size() && (text.at(j) == '{' || text.at(j) == '"' || (c == '[' && text.at(j) == ']'))) {
                start = i;
                break;
            }
        }
    }
    if (start < 0)
        return text;
    const qsizetype end = std::max(text.lastIndexOf('}'), text.lastIndexOf(']'));
    if (end <= start)
        return text.mid(start);
    return text.mid(start, end - start + 1);
}

Error jsonError(const QJsonParseError &e, qsizetype size)
{
    if (e.error == QJsonParseError::DeepNesting)
        return inputError(QStringLiteral("The JSON plan nests too deeply to be EXPLAIN output (at byte %1).").arg(e.offset));
    if (e.offset >= size - 1 || e.error == QJsonParseError::UnterminatedObject
        || e.error == QJsonParseError::UnterminatedArray || e.error == QJsonParseError::UnterminatedString)
        return inputError(QStringLiteral("The JSON plan is truncated: %1 at byte %2 of %3.")
                              .arg(e.errorString())
                              .arg(e.offset)
                              .arg(size));
    return inputError(
        QStringLiteral("The input is not valid EXPLAIN JSON: %1 at byte %2.").arg(e.errorString()).arg(e.offset));
}

Status buildTree(Plan &plan, const QJsonObject &rootObject)
{
    struct Pending {
        QJsonObject object;
        int parent;
        int depth;
    };
    std::vector<Pending> stack;
    stack.push_back({ rootObject, -1, 0 });
    while (!stack.empty()) {
        Pending p = std::move(stack.back());
        stack.pop_back();
        if (p.depth >= maxPlanDepth)
            return inputError(QStringLiteral("The plan nests deeper than %1 levels; this is not EXPLAIN output.").arg(maxPlanDepth));
        const int id = int(plan.nodes.size());
        plan.nodes.emplace_back();
        PlanNode &n = plan.nodes.back();
        n.id = id;
        n.parent = p.parent;
        n.depth = p.depth;
        n.fields = std::move(p.object);
        if (p.parent >= 0)
            plan.nodes[size_t(p.parent)].children.append(id);
        if (auto st = fillNode(n); !st)
            return st;
        const QJsonValue plans = n.fields.value(QLatin1String("Plans"));
        if (plans.isUndefined() || plans.isNull())
            continue;
        if (!plans.isArray())
            return inputError(QStringLiteral("Plan node %1 (%2): \"Plans\" should be a list of nodes.").arg(id + 1).arg(n.nodeType));
        const QJsonArray children = plans.toArray();
        for (qsizetype i = children.size() - 1; i >= 0; --i) {
            const QJsonValue c = children.at(i);
            if (!c.isObject())
                return inputError(QStringLiteral("Plan node %1 (%2): a child in \"Plans\" is not an object.").arg(id + 1).arg(n.nodeType));
            stack.push_back({ c.toObject(), id, p.depth + 1 });
        }
    }
    return {};
}

} // namespace

bool looksLikeJsonPlan(const QByteArray &input)
{
    const qsizetype first = firstSignificant(input);
    if (first < input.size() && (input.at(first) == '[' || input.at(first) == '{'))
        return true;
    return input.contains("\"Node Type\"") || input.contains("\"\"Node Type\"\"") || input.contains("\"Plan\":");
}

Result<Plan> parseJsonPlan(const QByteArray &input)
{
    if (auto st = checkPlanInput(input); !st)
        return st.error();
    const QByteArray text = extractJson(input);
    QJsonParseError pe;
    QJsonDocument doc = QJsonDocument::fromJson(text, &pe);
    if (pe.error != QJsonParseError::NoError) {
        if (hasDoubledQuotes(input) || text.contains("\"\"")) {
            QJsonParseError pe2;
            QJsonDocument doc2 = QJsonDocument::fromJson(undoubleQuotes(text), &pe2);
            if (pe2.error != QJsonParseError::NoError)
                return jsonError(pe, text.size());
            doc = doc2;
        } else {
            return jsonError(pe, text.size());
        }
    }
    Plan plan;
    plan.format = PlanFormat::Json;
    QJsonObject top;
    if (doc.isArray()) {
        const QJsonArray a = doc.array();
        if (a.isEmpty())
            return inputError(QStringLiteral("The JSON plan is an empty list: there is no plan in it."));
        if (!a.first().isObject())
            return inputError(QStringLiteral("The JSON plan's list should hold objects with a \"Plan\"."));
        top = a.first().toObject();
        if (a.size() > 1)
            plan.parseWarnings.append(QStringLiteral("The input holds %1 plans; only the first is read.").arg(a.size()));
    } else {
        top = doc.object();
    }
    QJsonObject rootObject;
    const QJsonValue planValue = top.value(QLatin1String("Plan"));
    if (planValue.isObject()) {
        rootObject = planValue.toObject();
    } else if (top.contains(QLatin1String("Node Type"))) {
        rootObject = top; // a bare node, as some tools store it
        top = QJsonObject();
    } else if (!planValue.isUndefined()) {
        return inputError(QStringLiteral("The JSON plan's \"Plan\" should be an object."));
    } else {
        return inputError(QStringLiteral("The JSON has no \"Plan\": it is not EXPLAIN (FORMAT JSON) output."));
    }
    if (auto st = buildTree(plan, rootObject); !st)
        return st.error();
    if (auto st = fillTop(plan, top); !st)
        return st.error();
    finishPlan(plan);
    return plan;
}

Result<Plan> parsePlan(const QByteArray &input)
{
    if (auto st = checkPlanInput(input); !st)
        return st.error();
    const QByteArray head = input.left(4096).trimmed();
    if (head.startsWith("<explain") || head.startsWith("<?xml") || head.contains("<Node-Type>"))
        return inputError(QStringLiteral("This is EXPLAIN (FORMAT XML) output; PlanSight reads FORMAT JSON and text."));
    if (looksLikeJsonPlan(input))
        return parseJsonPlan(input);
    if (head.contains("Node Type:") && (head.contains("- Plan:") || head.startsWith("Plan:")))
        return inputError(QStringLiteral("This is EXPLAIN (FORMAT YAML) output; PlanSight reads FORMAT JSON and text."));
    return parseTextPlan(input);
}

} // namespace plansight
