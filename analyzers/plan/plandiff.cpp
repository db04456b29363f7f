#include "plan/plandiff.h"
#include "plan/planformat.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace plansight {

namespace {

QString normalized(const QString &s)
{
    return s.simplified();
}

bool sameFamily(const PlanNode &x, const PlanNode &y)
{
    if (x.nodeType == y.nodeType)
        return true;
    if (x.isJoin() && y.isJoin())
        return true;
    auto either = [&](const char *p, const char *q) {
        return (x.nodeType == QLatin1String(p) && y.nodeType == QLatin1String(q))
            || (x.nodeType == QLatin1String(q) && y.nodeType == QLatin1String(p));
    };
    return either("Sort", "Incremental Sort") || either("Gather", "Gather Merge") || either("Append", "Merge Append")
        || either("Bitmap Heap Scan", "Index Scan") || either("Aggregate", "Unique");
}

class Aligner {
public:
    Aligner(const Plan &a, const Plan &b) : m_a(a), m_b(b) { m_cheap = double(a.size()) * double(b.size()) > 4e6; }

    enum class Op { Match, SkipA, SkipB, WrapB, WrapA };
    struct Step {
        Op op;
        int a = -1;
        int b = -1;
    };

    // Similarity of two nodes on their own; negative when they cannot be the same node.
    double nodeSim(int i, int j) const
    {
        const PlanNode &x = m_a.node(i);
        const PlanNode &y = m_b.node(j);
        const bool relX = !x.relationName.isEmpty(), relY = !y.relationName.isEmpty();
        if (relX && relY && x.relationName != y.relationName)
            return -1;
        if (x.isInitPlan() != y.isInitPlan() || x.isSubPlan() != y.isSubPlan())
            return -1;
        if (x.isCte() && y.isCte() && x.subplanName != y.subplanName)
            return -1;
        if (!x.cteName.isEmpty() && !y.cteName.isEmpty() && x.cteName != y.cteName)
            return -1;
        double s = 0;
        if (x.nodeType == y.nodeType)
            s += 2;
        else if (sameFamily(x, y) || (relX && relY))
            s += 1;
        else
            return -1;
        if (relX && relY)
            s += 3;
        if (!x.indexName.isEmpty() && x.indexName == y.indexName)
            s += 2;
        if (!x.alias.isEmpty() && x.alias == y.alias)
            s += 1;
        if (x.parentRelationship == y.parentRelationship)
            s += 0.5;
        if (!x.subplanName.isEmpty() && x.subplanName == y.subplanName)
            s += 2;
        if (x.joinType == y.joinType)
            s += 0.25;
        if (x.strategy == y.strategy)
            s += 0.25;
        return s;
    }

    double score(int i, int j)
    {
        const quint64 key = (quint64(quint32(i)) << 32) | quint32(j);
        if (auto it = m_score.constFind(key); it != m_score.constEnd())
            return *it;
        const double own = nodeSim(i, j);
        double s = -1;
        if (own >= 0)
            s = own + alignLists(m_a.node(i).children, m_b.node(j).children, nullptr);
        m_score.insert(key, s);
        return s;
    }

    double wrapB(int i, int j) // a_i sits inside b_j, which B inserted
    {
        const quint64 key = (quint64(quint32(i)) << 32) | quint32(j);
        if (auto it = m_wrapB.constFind(key); it != m_wrapB.constEnd())
            return *it;
        m_wrapB.insert(key, -1); // guards against re-entry while computing
        const double s
            = m_b.node(j).children.isEmpty() ? -1 : alignLists({ i }, m_b.node(j).children, nullptr) - wrapPenalty;
        m_wrapB.insert(key, s);
        return s;
    }

    double wrapA(int i, int j) // b_j sits inside a_i, which B removed
    {
        const quint64 key = (quint64(quint32(i)) << 32) | quint32(j);
        if (auto it = m_wrapA.constFind(key); it != m_wrapA.constEnd())
            return *it;
        m_wrapA.insert(key, -1);
        const double s
            = m_a.node(i).children.isEmpty() ? -1 : alignLists(m_a.node(i).children, { j }, nullptr) - wrapPenalty;
        m_wrapA.insert(key, s);
        return s;
    }

    // Best alignment score of two sibling lists; fills `steps` (in order) when given.
    double alignLists(const QList<int> &xs, const QList<int> &ys, QList<Step> *steps)
    {
        const qsizetype n = xs.size(), m = ys.size();
        if (n == 0 || m == 0) {
            if (steps) {
                for (int x : xs)
                    steps->append({ Op::SkipA, x, -1 });
                for (int y : ys)
                    steps->append({ Op::SkipB, -1, y });
            }
            return 0;
        }
        std::vector<double> dp(size_t((n + 1) * (m + 1)), 0);
        std::vector<Op> how(size_t((n + 1) * (m + 1)), Op::SkipA);
        auto at = [m](qsizetype x, qsizetype y) { return size_t(x * (m + 1) + y); };
        for (qsizetype x = 1; x <= n; ++x)
            how[at(x, 0)] = Op::SkipA;
        for (qsizetype y = 1; y <= m; ++y)
            how[at(0, y)] = Op::SkipB;
        for (qsizetype x = 1; x <= n; ++x) {
            for (qsizetype y = 1; y <= m; ++y) {
                double best = dp[at(x - 1, y)];
                Op op = Op::SkipA;
                if (dp[at(x, y - 1)] > best) {
                    best = dp[at(x, y - 1)];
                    op = Op::SkipB;
                }
                const int i = xs.at(x - 1), j = ys.at(y - 1);
                if (!m_cheap || x == y) { // large plans: match by position only
                    const double s = score(i, j);
                    if (s >= 0 && dp[at(x - 1, y - 1)] + s + matchBonus > best) {
                        best = dp[at(x - 1, y - 1)] + s + matchBonus;
                        op = Op::Match;
                    }
                    if (!m_cheap) {
                        const double wb = wrapB(i, j);
                        if (wb > 0 && dp[at(x - 1, y - 1)] + wb > best) {
                            best = dp[at(x - 1, y - 1)] + wb;
                            op = Op::WrapB;
                        }
                        const double wa = wrapA(i, j);
                        if (wa > 0 && dp[at(x - 1, y - 1)] + wa > best) {
                            best = dp[at(x - 1, y - 1)] + wa;
                            op = Op::WrapA;
                        }
                    }
                }
                dp[at(x, y)] = best;
                how[at(x, y)] = op;
            }
        }
        if (steps) {
            QList<Step> reversed;
            qsizetype x = n, y = m;
            while (x > 0 || y > 0) {
                const Op op = how[at(x, y)];
                switch (op) {
                case Op::SkipA:
                    reversed.append({ op, xs.at(x - 1), -1 });
                    --x;
                    break;
                case Op::SkipB:
                    reversed.append({ op, -1, ys.at(y - 1) });
                    --y;
                    break;
                default:
                    reversed.append({ op, xs.at(x - 1), ys.at(y - 1) });
                    --x;
                    --y;
                    break;
                }
            }
            std::reverse(reversed.begin(), reversed.end());
            steps->append(reversed);
        }
        return dp[at(n, m)];
    }

    // Emits diff entries for aligned lists, in merged pre-order.
    void emit(const QList<int> &xs, const QList<int> &ys, PlanDiff &diff)
    {
        QList<Step> steps;
        alignLists(xs, ys, &steps);
        for (const Step &s : steps) {
            switch (s.op) {
            case Op::Match:
                addEntry(diff, s.a, s.b);
                emit(m_a.node(s.a).children, m_b.node(s.b).children, diff);
                break;
            case Op::SkipA:
                addSubtree(diff, s.a, true);
                break;
            case Op::SkipB:
                addSubtree(diff, s.b, false);
                break;
            case Op::WrapB:
                addEntry(diff, -1, s.b);
                emit({ s.a }, m_b.node(s.b).children, diff);
                break;
            case Op::WrapA:
                addEntry(diff, s.a, -1);
                emit(m_a.node(s.a).children, { s.b }, diff);
                break;
            }
        }
    }

    void addSubtree(PlanDiff &diff, int root, bool inA)
    {
        const Plan &p = inA ? m_a : m_b;
        std::vector<int> stack { root };
        while (!stack.empty()) {
            const int id = stack.back();
            stack.pop_back();
            if (inA)
                addEntry(diff, id, -1);
            else
                addEntry(diff, -1, id);
            const QList<int> &ch = p.node(id).children;
            for (qsizetype k = ch.size() - 1; k >= 0; --k)
                stack.push_back(ch.at(k));
        }
    }

    void addEntry(PlanDiff &diff, int ia, int ib)
    {
        PlanDiffEntry e;
        e.nodeA = ia;
        e.nodeB = ib;
        auto bufferCount = [](const PlanNode &n) {
            const PlanBuffers &b = n.metrics.exclusiveBuffers;
            return b.sharedHit + b.sharedRead + b.localHit + b.localRead;
        };
        if (ia >= 0 && ib >= 0) {
            const PlanNode &x = m_a.node(ia);
            const PlanNode &y = m_b.node(ib);
            auto change = [&e](const QString &what, const QString &from, const QString &to) {
                if (from != to)
                    e.changes.append(QStringLiteral("%1: %2 → %3")
                                         .arg(what, from.isEmpty() ? QStringLiteral("none") : from,
                                             to.isEmpty() ? QStringLiteral("none") : to));
            };
            if (x.displayType() != y.displayType())
                e.changes.append(x.displayType() + QStringLiteral(" → ") + y.displayType());
            change(QStringLiteral("relation"), x.relationName, y.relationName);
            change(QStringLiteral("index"), x.indexName, y.indexName);
            change(QStringLiteral("index condition"), normalized(x.indexCond), normalized(y.indexCond));
            change(QStringLiteral("filter"), normalized(x.filter), normalized(y.filter));
            change(QStringLiteral("join filter"), normalized(x.joinFilter), normalized(y.joinFilter));
            change(QStringLiteral("hash condition"), normalized(x.hashCond), normalized(y.hashCond));
            change(QStringLiteral("merge condition"), normalized(x.mergeCond), normalized(y.mergeCond));
            change(QStringLiteral("recheck condition"), normalized(x.recheckCond), normalized(y.recheckCond));
            e.status = e.changes.isEmpty() ? DiffStatus::Same : DiffStatus::Changed;
            e.exclusiveMsDelta = y.metrics.exclusiveMs - x.metrics.exclusiveMs;
            e.inclusiveMsDelta = y.metrics.inclusiveMs - x.metrics.inclusiveMs;
            e.rowsDelta = y.metrics.rowsTotal - x.metrics.rowsTotal;
            e.buffersDelta = bufferCount(y) - bufferCount(x);
        } else if (ib >= 0) {
            const PlanNode &y = m_b.node(ib);
            e.status = DiffStatus::Added;
            e.exclusiveMsDelta = y.metrics.exclusiveMs;
            e.inclusiveMsDelta = y.metrics.inclusiveMs;
            e.rowsDelta = y.metrics.rowsTotal;
            e.buffersDelta = bufferCount(y);
        } else {
            const PlanNode &x = m_a.node(ia);
            e.status = DiffStatus::Removed;
            e.exclusiveMsDelta = -x.metrics.exclusiveMs;
            e.inclusiveMsDelta = -x.metrics.inclusiveMs;
            e.rowsDelta = -x.metrics.rowsTotal;
            e.buffersDelta = -bufferCount(x);
        }
        const int index = int(diff.entries.size());
        if (ia >= 0)
            diff.entryOfA[ia] = index;
        if (ib >= 0)
            diff.entryOfB[ib] = index;
        diff.entries.append(e);
    }

private:
    static constexpr double wrapPenalty = 0.5;
    static constexpr double matchBonus = 1.0; // prefer matching over leaving both sides unmatched
    const Plan &m_a;
    const Plan &m_b;
    bool m_cheap = false;
    QHash<quint64, double> m_score, m_wrapA, m_wrapB;
};

QString describe(const PlanNode &n, const PlanDiffOptions &options)
{
    QString s = n.label();
    if (!n.indexName.isEmpty() && options.describeObject) {
        const QString owner = options.describeObject(n.indexName);
        if (!owner.isEmpty())
            s += QStringLiteral(" (") + owner + QLatin1Char(')');
    } else if (!n.relationName.isEmpty() && options.describeObject) {
        const QString owner = options.describeObject(n.relationName);
        if (!owner.isEmpty())
            s += QStringLiteral(" (") + owner + QLatin1Char(')');
    }
    return s;
}

bool isStructural(const PlanDiffEntry &e, const Plan &a, const Plan &b)
{
    if (e.status == DiffStatus::Added || e.status == DiffStatus::Removed)
        return true;
    if (e.status != DiffStatus::Changed)
        return false;
    const PlanNode &x = a.node(e.nodeA);
    const PlanNode &y = b.node(e.nodeB);
    return x.displayType() != y.displayType() || x.indexName != y.indexName || x.relationName != y.relationName;
}

} // namespace

QString toString(DiffStatus s)
{
    switch (s) {
    case DiffStatus::Same:
        return QStringLiteral("same");
    case DiffStatus::Changed:
        return QStringLiteral("changed");
    case DiffStatus::Added:
        return QStringLiteral("added");
    case DiffStatus::Removed:
        return QStringLiteral("removed");
    }
    return {};
}

const PlanDiffEntry *PlanDiff::entryForA(int nodeA) const
{
    const int e = entryOfA.value(nodeA, -1);
    return e >= 0 ? &entries.at(e) : nullptr;
}

const PlanDiffEntry *PlanDiff::entryForB(int nodeB) const
{
    const int e = entryOfB.value(nodeB, -1);
    return e >= 0 ? &entries.at(e) : nullptr;
}

QString strategyOwningObject(const QString &objectName, const QStringList &strategyIds)
{
    QString best;
    qsizetype bestLength = 0;
    const QString name = objectName.toLower();
    // The longest prefix wins, should one strategy's prefix ever start another's.
    for (const QString &id : strategyIds) {
        const QString prefix = QStringLiteral("ps_") + QString(id).replace(QLatin1Char('-'), QLatin1Char('_'));
        if ((name == prefix || name.startsWith(prefix + QLatin1Char('_')) || name.startsWith(prefix + QLatin1Char('.')))
            && prefix.size() > bestLength) {
            best = id;
            bestLength = prefix.size();
        }
    }
    return best;
}

bool isStrategyObject(const QString &objectName)
{
    return objectName.startsWith(QLatin1String("ps_"), Qt::CaseInsensitive) && objectName.size() > 3;
}

PlanDiff diffPlans(const Plan &a, const Plan &b, const PlanDiffOptions &givenOptions)
{
    PlanDiffOptions options = givenOptions;
    if (!options.describeObject)
        options.describeObject = [](const QString &object) -> QString {
            return isStrategyObject(object) ? QStringLiteral("an object of a PlanSight strategy") : QString();
        };
    PlanDiff diff;
    diff.entryOfA = QList<int>(a.size(), -1);
    diff.entryOfB = QList<int>(b.size(), -1);
    diff.executionMsA = a.timed ? a.totalMs() : -1;
    diff.executionMsB = b.timed ? b.totalMs() : -1;
    diff.planningMsA = a.planningMs;
    diff.planningMsB = b.planningMs;
    if (a.isEmpty() || b.isEmpty()) {
        diff.summary = QStringLiteral("Nothing to compare: one of the plans is empty.");
        return diff;
    }
    Aligner aligner(a, b);
    aligner.emit({ 0 }, { 0 }, diff);
    for (const PlanDiffEntry &e : diff.entries) {
        switch (e.status) {
        case DiffStatus::Same:
            ++diff.same;
            break;
        case DiffStatus::Changed:
            ++diff.changed;
            break;
        case DiffStatus::Added:
            ++diff.added;
            break;
        case DiffStatus::Removed:
            ++diff.removed;
            break;
        }
    }

    // Structural changes, most expensive first. An added and a removed node of the same relation read as one
    // replacement ("Seq Scan on t replaced by Index Only Scan using i on t").
    struct Change {
        double weight;
        QString text;
    };
    QList<Change> changes;
    QList<int> structural;
    for (int k = 0; k < diff.entries.size(); ++k)
        if (isStructural(diff.entries.at(k), a, b))
            structural.append(k);
    QSet<int> used;
    for (int k : std::as_const(structural)) {
        if (used.contains(k))
            continue;
        const PlanDiffEntry &e = diff.entries.at(k);
        const double weight
            = std::abs(e.inclusiveMsDelta) + std::abs(e.exclusiveMsDelta) + 1e-9 * double(std::abs(e.buffersDelta));
        if (e.status == DiffStatus::Changed) {
            changes.append({ weight,
                describe(a.node(e.nodeA), options) + QStringLiteral(" replaced by ")
                    + describe(b.node(e.nodeB), options) });
            used.insert(k);
            continue;
        }
        // Pair a removed scan with an added scan of the same relation.
        const PlanNode &self = e.status == DiffStatus::Removed ? a.node(e.nodeA) : b.node(e.nodeB);
        int partner = -1;
        if (!self.relationName.isEmpty()) {
            for (int o : std::as_const(structural)) {
                const PlanDiffEntry &f = diff.entries.at(o);
                if (o == k || used.contains(o) || f.status == e.status || f.status == DiffStatus::Changed)
                    continue;
                const PlanNode &other = f.status == DiffStatus::Removed ? a.node(f.nodeA) : b.node(f.nodeB);
                if (other.relationName == self.relationName) {
                    partner = o;
                    break;
                }
            }
        }
        used.insert(k);
        if (partner >= 0) {
            used.insert(partner);
            const PlanDiffEntry &f = diff.entries.at(partner);
            const PlanNode &removed = e.status == DiffStatus::Removed ? self : a.node(f.nodeA);
            const PlanNode &added = e.status == DiffStatus::Added ? self : b.node(f.nodeB);
            changes.append({ weight + std::abs(f.inclusiveMsDelta) + std::abs(f.exclusiveMsDelta),
                describe(removed, options) + QStringLiteral(" replaced by ") + describe(added, options) });
        } else {
            changes.append({ weight,
                describe(self, options)
                    + (e.status == DiffStatus::Added ? QStringLiteral(" added") : QStringLiteral(" removed")) });
        }
    }
    std::stable_sort(
        changes.begin(), changes.end(), [](const Change &x, const Change &y) { return x.weight > y.weight; });
    for (const Change &c : std::as_const(changes))
        diff.details.append(c.text);

    QString summary;
    if (changes.isEmpty()) {
        summary = diff.changed > 0 ? QStringLiteral("Same plan shape with changed conditions")
                                   : QStringLiteral("Same plan shape");
    } else {
        QStringList top;
        for (qsizetype k = 0; k < std::min<qsizetype>(2, changes.size()); ++k)
            top.append(changes.at(k).text);
        summary = top.join(QStringLiteral("; "));
        if (changes.size() > 2)
            summary += QStringLiteral("; %1 more change%2")
                           .arg(changes.size() - 2)
                           .arg(changes.size() - 2 == 1 ? QString() : QStringLiteral("s"));
        summary[0] = summary[0].toUpper();
    }
    if (diff.executionMsA >= 0 && diff.executionMsB >= 0) {
        summary
            += QStringLiteral("; execution time %1 → %2").arg(formatMs(diff.executionMsA), formatMs(diff.executionMsB));
        if (diff.executionMsA > 0 && diff.executionMsB > 0) {
            const double ratio = diff.executionMsA / diff.executionMsB;
            if (ratio >= 1.05)
                summary += QStringLiteral(" (%1x faster)").arg(formatFactor(ratio));
            else if (ratio <= 1 / 1.05)
                summary += QStringLiteral(" (%1x slower)").arg(formatFactor(1 / ratio));
        }
    } else if (a.root().totalCost >= 0 && b.root().totalCost >= 0) {
        auto cost
            = [](double c) { return c >= 1e12 || !std::isfinite(c) ? formatCount(c) : QString::number(c, 'f', 2); };
        summary += QStringLiteral("; estimated cost %1 → %2").arg(cost(a.root().totalCost), cost(b.root().totalCost));
    }
    diff.summary = summary + QLatin1Char('.');
    return diff;
}

QJsonObject toJson(const PlanDiff &diff, const Plan &a, const Plan &b)
{
    QJsonObject o;
    o.insert(QStringLiteral("summary"), diff.summary);
    o.insert(QStringLiteral("details"), QJsonArray::fromStringList(diff.details));
    o.insert(QStringLiteral("execution_ms_a"), diff.executionMsA >= 0 ? QJsonValue(diff.executionMsA) : QJsonValue());
    o.insert(QStringLiteral("execution_ms_b"), diff.executionMsB >= 0 ? QJsonValue(diff.executionMsB) : QJsonValue());
    o.insert(QStringLiteral("counts"),
        QJsonObject { { QStringLiteral("same"), diff.same }, { QStringLiteral("changed"), diff.changed },
            { QStringLiteral("added"), diff.added }, { QStringLiteral("removed"), diff.removed } });
    QJsonArray entries;
    for (const PlanDiffEntry &e : diff.entries) {
        QJsonObject j;
        j.insert(QStringLiteral("status"), toString(e.status));
        j.insert(QStringLiteral("node_a"), e.nodeA >= 0 ? QJsonValue(e.nodeA) : QJsonValue());
        j.insert(QStringLiteral("node_b"), e.nodeB >= 0 ? QJsonValue(e.nodeB) : QJsonValue());
        j.insert(QStringLiteral("label_a"), e.nodeA >= 0 ? QJsonValue(a.node(e.nodeA).label()) : QJsonValue());
        j.insert(QStringLiteral("label_b"), e.nodeB >= 0 ? QJsonValue(b.node(e.nodeB).label()) : QJsonValue());
        j.insert(QStringLiteral("changes"), QJsonArray::fromStringList(e.changes));
        j.insert(QStringLiteral("exclusive_ms_delta"), std::round(e.exclusiveMsDelta * 1000) / 1000);
        j.insert(QStringLiteral("inclusive_ms_delta"), std::round(e.inclusiveMsDelta * 1000) / 1000);
        j.insert(QStringLiteral("rows_delta"), e.rowsDelta);
        j.insert(QStringLiteral("buffers_delta"), e.buffersDelta);
        entries.append(j);
    }
    o.insert(QStringLiteral("entries"), entries);
    return o;
}

} // namespace plansight
