#include "plan/planparser.h"
#include "plan/planfields_p.h"
#include "plan/planinput_p.h"

#include <algorithm>
#include <cstring>
#include <string_view>

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

// Where the JSON is inside whatever surrounds it (psql framing, a log prefix, text after it). Returns the
// text to read and the range of the JSON in it; plain JSON input is not copied.
struct JsonSpan {
    QByteArray text;
    qsizetype begin = 0, end = 0;
};
JsonSpan extractJson(const QByteArray &input)
{
    const qsizetype first = firstSignificant(input);
    JsonSpan span;
    if (first < input.size() && (input.at(first) == '[' || input.at(first) == '{')) {
        span.text = input;
    } else {
        const UnframedLines unframed = unframeLines(input);
        for (const QByteArrayView l : unframed.lines) {
            if (!span.text.isEmpty())
                span.text.append('\n');
            span.text.append(l);
        }
    }
    const QByteArray &text = span.text;
    span.end = text.size();
    // A log prefix ("LOG:  duration: 1.2 ms  plan:") or any other text before the JSON; text after it.
    qsizetype start = -1;
    for (qsizetype i = text.isSharedWith(input) ? first : 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '[' || c == '{') {
            qsizetype j = i + 1;
            while (j < text.size()
                && (text.at(j) == ' ' || text.at(j) == '\n' || text.at(j) == '\t' || text.at(j) == '\r'))
                ++j;
            if (j < text.size() && (text.at(j) == '{' || text.at(j) == '"' || (c == '[' && text.at(j) == ']'))) {
                start = i;
                break;
            }
        }
    }
    if (start < 0)
        return span;
    span.begin = start;
    const qsizetype end = std::max(text.lastIndexOf('}'), text.lastIndexOf(']'));
    if (end > start)
        span.end = end + 1;
    return span;
}

Status buildTree(Plan &plan, const std::shared_ptr<const JsonTape> &tape, quint32 rootObject)
{
    const JsonTape &t = *tape;
    struct Pending {
        quint32 object;
        int parent;
        int depth;
    };
    // Every node is an object: reserving that many (a node is over a kilobyte) allocates the vector once.
    plan.nodes.reserve(t.objectCount());
    const auto source = std::make_shared<const PlanSource>(tape);

    std::vector<Pending> stack;
    stack.push_back({ rootObject, -1, 0 });
    while (!stack.empty()) {
        const Pending p = stack.back();
        stack.pop_back();
        if (p.depth >= maxPlanDepth)
            return inputError(
                QStringLiteral("The plan nests deeper than %1 levels; this is not EXPLAIN output.").arg(maxPlanDepth));
        const int id = int(plan.nodes.size());
        plan.nodes.emplace_back();
        PlanNode &n = plan.nodes.back();
        n.id = id;
        n.parent = p.parent;
        n.depth = p.depth;
        if (p.parent >= 0)
            plan.nodes[size_t(p.parent)].children.append(id);
        quint32 plans = 0;
        if (auto st = fillNode(n, source, t, p.object, &plans); !st)
            return st;
        if (plans == 0)
            continue;
        if (!t.isArray(plans))
            return inputError(
                QStringLiteral("Plan node %1 (%2): \"Plans\" should be a list of nodes.").arg(id + 1).arg(n.nodeType));
        // Children are pushed last to first so that they come off the stack in order (pre-order ids).
        const size_t firstPending = stack.size();
        for (quint32 c = JsonTape::first(plans); c < t.skip(plans); c = t.skip(c)) {
            if (!t.isObject(c))
                return inputError(QStringLiteral("Plan node %1 (%2): a child in \"Plans\" is not an object.")
                                      .arg(id + 1)
                                      .arg(n.nodeType));
            stack.push_back({ c, id, p.depth + 1 });
        }
        std::reverse(stack.begin() + qsizetype(firstPending), stack.end());
    }
    return {};
}

// QByteArray::contains() for a needle that starts with a quote: text plans have few quotes, and memchr finds them
// faster than a general search reads the whole text.
bool containsQuoted(const QByteArray &input, std::string_view needle)
{
    const char *p = input.constData();
    const char *end = p + input.size();
    while (end - p >= qsizetype(needle.size())) {
        p = static_cast<const char *>(std::memchr(p, needle.front(), size_t(end - p)));
        if (!p || end - p < qsizetype(needle.size()))
            return false;
        if (std::memcmp(p, needle.data(), needle.size()) == 0)
            return true;
        ++p;
    }
    return false;
}

} // namespace

bool looksLikeJsonPlan(const QByteArray &input)
{
    const qsizetype first = firstSignificant(input);
    if (first < input.size() && (input.at(first) == '[' || input.at(first) == '{'))
        return true;
    // ""Node Type"" (doubled quotes, from a CSV log) contains "Node Type" too.
    return containsQuoted(input, "\"Node Type\"") || containsQuoted(input, "\"Plan\":");
}

Result<Plan> parseJsonPlan(const QByteArray &input)
{
    if (auto st = checkPlanInput(input); !st)
        return st.error();
    const JsonSpan span = extractJson(input);
    auto parsed = JsonTape::parse(span.text, span.begin, span.end);
    // Doubled quotes (a CSV log, a spreadsheet cell): tried only when the text is not JSON as it is.
    if (!parsed.ok()) {
        const QByteArray json = span.text.mid(span.begin, span.end - span.begin);
        if (json.contains("\"\"")) {
            const QByteArray undoubled = undoubleQuotes(json);
            auto retried = JsonTape::parse(undoubled, 0, undoubled.size());
            if (retried.ok())
                parsed = std::move(retried);
        }
    }
    if (!parsed.ok())
        return parsed.error();
    const std::shared_ptr<const JsonTape> tape = parsed.value();
    const JsonTape &t = *tape;

    Plan plan;
    plan.format = PlanFormat::Json;
    quint32 top = 0;
    if (t.isArray(0)) {
        if (t.size(0) == 0)
            return inputError(QStringLiteral("The JSON plan is an empty list: there is no plan in it."));
        top = JsonTape::first(0);
        if (!t.isObject(top))
            return inputError(QStringLiteral("The JSON plan's list should hold objects with a \"Plan\"."));
        if (t.size(0) > 1)
            plan.parseWarnings.append(
                QStringLiteral("The input holds %1 plans; only the first is read.").arg(t.size(0)));
    } else if (!t.isObject(0)) {
        return inputError(QStringLiteral("The JSON has no \"Plan\": it is not EXPLAIN (FORMAT JSON) output."));
    }
    std::optional<quint32> topObject = top;
    quint32 rootObject = 0;
    const quint32 planValue = t.member(top, "Plan");
    if (planValue != 0 && t.isObject(planValue)) {
        rootObject = planValue;
    } else if (planValue == 0 && t.member(top, "Node Type") != 0) {
        rootObject = top; // a bare node, as some tools store it
        topObject.reset();
    } else if (planValue != 0) {
        return inputError(QStringLiteral("The JSON plan's \"Plan\" should be an object."));
    } else {
        return inputError(QStringLiteral("The JSON has no \"Plan\": it is not EXPLAIN (FORMAT JSON) output."));
    }
    if (auto st = buildTree(plan, tape, rootObject); !st)
        return st.error();
    if (auto st = fillTop(plan, tape, topObject); !st)
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
        return inputError(
            QStringLiteral("This is EXPLAIN (FORMAT YAML) output; PlanSight reads FORMAT JSON and text."));
    return parseTextPlan(input);
}

} // namespace plansight
