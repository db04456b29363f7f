// The core's folders are layers (docs/architecture.md, "Layers"): each folder of analyzers/ includes only the
// folders below it, so no two folders include each other, and nothing in the core includes a widget or a QtGui /
// QtWidgets header. This test reads the source tree and names the offending include.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QLibraryInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <functional>

namespace {

// The layers from the bottom up (docs/architecture.md). A folder may include the folders before it.
const QStringList Layers = { QStringLiteral("util"), QStringLiteral("pg"), QStringLiteral("cache"),
    QStringLiteral("session"), QStringLiteral("search"), QStringLiteral("present"), QStringLiteral("plan"),
    QStringLiteral("gallery"), QStringLiteral("catalog"), QStringLiteral("strategies"), QStringLiteral("experiment"),
    QStringLiteral("history"), QStringLiteral("bench"), QStringLiteral("report") };

// The repository: tests/data is passed to every test (PLANSIGHT_TEST_DATA); the root is two levels up.
QDir sourceRoot()
{
    QDir d(QStringLiteral(PLANSIGHT_TEST_DATA));
    d.cdUp();
    d.cdUp();
    return d;
}

struct Include {
    QString file; // analyzers/bench/runner.cpp
    int line = 0;
    QString target; // as written: "history/historystore.h" or <QWidget>
    bool angled = false;
};

// Every #include of every source file under analyzers/.
QList<Include> coreIncludes(const QDir &root)
{
    static const QRegularExpression re(QStringLiteral("^\\s*#\\s*include\\s*([<\"])([^>\"]+)[>\"]"));
    QList<Include> out;
    const QString base = root.filePath(QStringLiteral("analyzers"));
    QDirIterator it(
        base, { QStringLiteral("*.h"), QStringLiteral("*.cpp") }, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        int n = 0;
        while (!f.atEnd()) {
            const QString line = QString::fromUtf8(f.readLine());
            ++n;
            const auto m = re.match(line);
            if (m.hasMatch())
                out.append({ root.relativeFilePath(path), n, m.captured(2), m.captured(1) == QLatin1String("<") });
        }
    }
    return out;
}

// The folder of analyzers/ a file lives in ("bench" for analyzers/bench/runner.cpp), or empty.
QString folderOf(const QString &file)
{
    const QStringList parts = file.split(QLatin1Char('/'));
    return parts.size() >= 3 && parts.first() == QLatin1String("analyzers") ? parts.at(1) : QString();
}

struct Edge {
    QString from, to;
    QString where; // the first include that makes it: "analyzers/bench/runner.cpp:7"
};

// folder -> (folder it includes -> the first include that does it)
QHash<QString, QHash<QString, QString>> folderEdges(const QDir &root)
{
    QSet<QString> folders;
    for (const QString &d :
        QDir(root.filePath(QStringLiteral("analyzers"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        folders.insert(d);
    QHash<QString, QHash<QString, QString>> edges;
    for (const Include &inc : coreIncludes(root)) {
        if (inc.angled)
            continue;
        const QString from = folderOf(inc.file);
        const QString to = inc.target.section(QLatin1Char('/'), 0, 0);
        if (from.isEmpty() || from == to || !inc.target.contains(QLatin1Char('/')) || !folders.contains(to))
            continue;
        auto &targets = edges[from];
        if (!targets.contains(to))
            targets.insert(to, QStringLiteral("%1:%2").arg(inc.file).arg(inc.line));
    }
    return edges;
}

// A cycle of the include graph as "a -> b (file:line) -> a (file:line)", or empty when there is none.
QString findCycle(const QHash<QString, QHash<QString, QString>> &edges)
{
    enum Mark { Unseen, OnPath, Done };
    QHash<QString, Mark> mark;
    QStringList path;
    QString found;
    std::function<bool(const QString &)> visit = [&](const QString &node) -> bool {
        mark[node] = OnPath;
        path.append(node);
        QStringList next = edges.value(node).keys();
        next.sort();
        for (const QString &to : next) {
            if (mark.value(to, Unseen) == OnPath) {
                const qsizetype start = path.indexOf(to);
                QStringList hops { to };
                for (qsizetype i = start + 1; i < path.size(); ++i)
                    hops << QStringLiteral("%1 (%2)").arg(path.at(i), edges.value(path.at(i - 1)).value(path.at(i)));
                hops << QStringLiteral("%1 (%2)").arg(to, edges.value(node).value(to));
                found = hops.join(QStringLiteral(" -> "));
                return true;
            }
            if (mark.value(to, Unseen) == Unseen && visit(to))
                return true;
        }
        path.removeLast();
        mark[node] = Done;
        return false;
    };
    QStringList nodes = edges.keys();
    nodes.sort();
    for (const QString &n : nodes)
        if (mark.value(n, Unseen) == Unseen && visit(n))
            return found;
    return {};
}

// The class headers of QtGui and QtWidgets (<QWidget>, <QColor>, ...), from the Qt installation, with a few
// well-known ones in case the installation has no headers to list.
QSet<QString> guiHeaders()
{
    QSet<QString> out = { QStringLiteral("QWidget"), QStringLiteral("QApplication"), QStringLiteral("QGuiApplication"),
        QStringLiteral("QColor"), QStringLiteral("QFont"), QStringLiteral("QPainter"), QStringLiteral("QImage"),
        QStringLiteral("QPixmap"), QStringLiteral("QIcon"), QStringLiteral("QStandardItemModel") };
    const QDir headers(QLibraryInfo::path(QLibraryInfo::HeadersPath));
    for (const char *module : { "QtGui", "QtWidgets", "QtPrintSupport" }) {
        const QDir dir(headers.filePath(QLatin1String(module)));
        for (const QString &name : dir.entryList(QDir::Files))
            if (!name.contains(QLatin1Char('.')))
                out.insert(name);
    }
    return out;
}

} // namespace

class TestLayers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(sourceRoot().filePath(QStringLiteral("analyzers/CMakeLists.txt"))).exists(),
            qPrintable(QStringLiteral("the source tree is not at %1").arg(sourceRoot().absolutePath())));
    }

    void theTreeIsRead()
    {
        // The test must be able to fail: it sees the includes it is about.
        const auto edges = folderEdges(sourceRoot());
        QVERIFY(edges.value(QStringLiteral("pg")).contains(QStringLiteral("util")));
    }

    void cycleFinderFindsACycle()
    {
        QHash<QString, QHash<QString, QString>> edges;
        edges[QStringLiteral("a")][QStringLiteral("b")] = QStringLiteral("a.h:1");
        edges[QStringLiteral("b")][QStringLiteral("c")] = QStringLiteral("b.h:2");
        edges[QStringLiteral("c")][QStringLiteral("a")] = QStringLiteral("c.h:3");
        QCOMPARE(findCycle(edges), QStringLiteral("a -> b (a.h:1) -> c (b.h:2) -> a (c.h:3)"));
        edges[QStringLiteral("c")].clear();
        QCOMPARE(findCycle(edges), QString());
    }

    void noIncludeCycleBetweenCoreFolders()
    {
        const QString cycle = findCycle(folderEdges(sourceRoot()));
        QVERIFY2(cycle.isEmpty(), qPrintable(QStringLiteral("the core's folders include each other: ") + cycle));
    }

    // Each listed folder includes only the folders below it. A folder not in the list (a new one) is held only to
    // the cycle check above; add it to Layers and to docs/architecture.md.
    void foldersIncludeOnlyLowerLayers()
    {
        QStringList wrong;
        const auto edges = folderEdges(sourceRoot());
        for (auto from = edges.cbegin(); from != edges.cend(); ++from)
            for (auto to = from->cbegin(); to != from->cend(); ++to) {
                const qsizetype a = Layers.indexOf(from.key()), b = Layers.indexOf(to.key());
                if (a >= 0 && b >= 0 && b > a)
                    wrong
                        << QStringLiteral("%1 includes %2, a higher layer (%3)").arg(from.key(), to.key(), to.value());
            }
        wrong.sort();
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QStringLiteral("; "))));
    }

    void coreIncludesNoWidgetOrGuiHeader()
    {
        const QDir root = sourceRoot();
        const QSet<QString> gui = guiHeaders();
        QStringList wrong;
        for (const Include &inc : coreIncludes(root)) {
            const QString where = QStringLiteral("%1:%2 includes %3").arg(inc.file).arg(inc.line).arg(inc.target);
            if (inc.angled) {
                const QString module = inc.target.section(QLatin1Char('/'), 0, 0);
                if (module == QLatin1String("QtGui") || module == QLatin1String("QtWidgets")
                    || module == QLatin1String("QtPrintSupport") || module == QLatin1String("qcustomplot.h")
                    || gui.contains(inc.target))
                    wrong << where;
                continue;
            }
            const bool inCore = QFileInfo::exists(root.filePath(QStringLiteral("analyzers/") + inc.target))
                || QFileInfo::exists(QFileInfo(root.filePath(inc.file)).dir().filePath(inc.target));
            if (inc.target.startsWith(QLatin1String("widgets/"))
                || (!inCore && QFileInfo::exists(root.filePath(QStringLiteral("widgets/") + inc.target))))
                wrong << where;
        }
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QStringLiteral("; "))));
    }
};

QTEST_GUILESS_MAIN(TestLayers)
#include "tst_layers.moc"
