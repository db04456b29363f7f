#include "sqlhighlighter.h"

#include <QPalette>
#include <QSet>
#include <QTextBlockUserData>

namespace plansight::gui {

namespace {

// The block states carried to the next line: what is still open at its end.
enum State { Normal = -1, InString = 1, InEscapeString = 2, InIdentifier = 3, InDollar = 4 };
// A block comment open at the end: its depth (PostgreSQL nests them), stored as 100 + depth.
constexpr int CommentBase = 100;

// The tag of a dollar quote open at the end of a block ("$fn$"), for the next block.
class SqlBlockData : public QTextBlockUserData {
public:
    explicit SqlBlockData(QString tag) : tag(std::move(tag)) { }
    QString tag;
};

const QSet<QString> &keywords()
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char *w : { "select", "from", "where", "and", "or", "not", "in", "is", "null", "as", "on", "join",
                 "left", "right", "inner", "outer", "full", "cross", "lateral", "group", "by", "order", "having",
                 "limit", "offset", "union", "all", "distinct", "exists", "any", "some", "case", "when", "then", "else",
                 "end", "with", "recursive", "values", "table", "insert", "into", "update", "set", "delete",
                 "returning", "create", "drop", "alter", "index", "unique", "concurrently", "if", "include", "using",
                 "materialized", "view", "analyze", "vacuum", "begin", "commit", "rollback", "asc", "desc", "nulls",
                 "first", "last", "between", "like", "ilike", "cast", "true", "false", "filter", "over", "partition",
                 "window", "fetch", "next", "rows", "only", "primary", "key", "references", "constraint", "default",
                 "extension", "statistics", "function", "returns", "language", "trigger", "schema", "sequence",
                 "column", "add", "rename", "to", "for", "of", "array", "interval", "collate", "except", "intersect",
                 "tablesample", "do", "nothing", "conflict" })
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words;
}

bool isIdentChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document) : QSyntaxHighlighter(document)
{
    // Colours readable on the light and the dark palette alike (theme.cpp switches them).
    m_formats[int(Kind::Keyword)].setForeground(QColor(0x3b, 0x6e, 0xc4));
    m_formats[int(Kind::Keyword)].setFontWeight(QFont::Bold);
    m_formats[int(Kind::String)].setForeground(QColor(0x2e, 0x8b, 0x3a));
    m_formats[int(Kind::QuotedIdentifier)].setForeground(QColor(0x9a, 0x6a, 0x1c));
    m_formats[int(Kind::Comment)].setForeground(QColor(0x80, 0x80, 0x80));
    m_formats[int(Kind::Comment)].setFontItalic(true);
    m_formats[int(Kind::Number)].setForeground(QColor(0xb0, 0x4a, 0x9c));
    m_formats[int(Kind::Placeholder)].setForeground(QColor(0xd0, 0x5a, 0x1e));
    m_formats[int(Kind::Placeholder)].setFontWeight(QFont::Bold);
}

QTextCharFormat SqlHighlighter::formatFor(Kind kind) const
{
    return m_formats[int(kind)];
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    const qsizetype n = text.size();
    qsizetype i = 0;
    int state = previousBlockState();
    QString dollarTag;
    if (state == InDollar) {
        auto *data = static_cast<SqlBlockData *>(currentBlock().previous().userData());
        dollarTag = data ? data->tag : QStringLiteral("$$");
    }
    setCurrentBlockState(Normal);
    setCurrentBlockUserData(nullptr);

    // Continues what the previous block left open; returns false when it stays open to the end of this block.
    auto closeQuote = [&](QChar quote, bool backslashes, Kind kind, int openState) {
        const qsizetype start = i;
        while (i < n) {
            if (backslashes && text[i] == u'\\') {
                i += 2;
                continue;
            }
            if (text[i] == quote) {
                if (i + 1 < n && text[i + 1] == quote) {
                    i += 2;
                    continue;
                }
                ++i;
                setFormat(int(start), int(i - start), m_formats[int(kind)]);
                return true;
            }
            ++i;
        }
        setFormat(int(start), int(n - start), m_formats[int(kind)]);
        setCurrentBlockState(openState);
        return false;
    };
    auto closeComment = [&](int depth) {
        const qsizetype start = i;
        while (i < n && depth > 0) {
            if (text[i] == u'/' && i + 1 < n && text[i + 1] == u'*') {
                ++depth;
                i += 2;
            } else if (text[i] == u'*' && i + 1 < n && text[i + 1] == u'/') {
                --depth;
                i += 2;
            } else {
                ++i;
            }
        }
        setFormat(int(start), int(i - start), m_formats[int(Kind::Comment)]);
        if (depth > 0)
            setCurrentBlockState(CommentBase + depth);
        return depth == 0;
    };
    auto closeDollar = [&](const QString &tag) {
        const qsizetype start = i;
        const qsizetype end = text.indexOf(tag, i);
        if (end < 0) {
            setFormat(int(start), int(n - start), m_formats[int(Kind::String)]);
            setCurrentBlockState(InDollar);
            setCurrentBlockUserData(new SqlBlockData(tag));
            return false;
        }
        i = end + tag.size();
        setFormat(int(start), int(i - start), m_formats[int(Kind::String)]);
        return true;
    };

    if (state == InString && !closeQuote(u'\'', false, Kind::String, InString))
        return;
    if (state == InEscapeString && !closeQuote(u'\'', true, Kind::String, InEscapeString))
        return;
    if (state == InIdentifier && !closeQuote(u'"', false, Kind::QuotedIdentifier, InIdentifier))
        return;
    if (state == InDollar && !closeDollar(dollarTag))
        return;
    if (state >= CommentBase && !closeComment(state - CommentBase))
        return;

    while (i < n) {
        const QChar c = text[i];
        if (c == u'-' && i + 1 < n && text[i + 1] == u'-') {
            setFormat(int(i), int(n - i), m_formats[int(Kind::Comment)]);
            return;
        }
        if (c == u'/' && i + 1 < n && text[i + 1] == u'*') {
            i += 2;
            const qsizetype start = i - 2;
            if (!closeComment(1)) {
                setFormat(int(start), int(n - start), m_formats[int(Kind::Comment)]);
                return;
            }
            setFormat(int(start), int(i - start), m_formats[int(Kind::Comment)]);
            continue;
        }
        if (c == u'\'') {
            const bool escape
                = i > 0 && (text[i - 1] == u'E' || text[i - 1] == u'e') && (i < 2 || !isIdentChar(text[i - 2]));
            const qsizetype start = escape ? i - 1 : i;
            ++i;
            const bool closed = closeQuote(u'\'', escape, Kind::String, escape ? InEscapeString : InString);
            setFormat(int(start), int((closed ? i : n) - start), m_formats[int(Kind::String)]);
            if (!closed)
                return;
            continue;
        }
        if (c == u'"') {
            const qsizetype start = i;
            ++i;
            const bool closed = closeQuote(u'"', false, Kind::QuotedIdentifier, InIdentifier);
            setFormat(int(start), int((closed ? i : n) - start), m_formats[int(Kind::QuotedIdentifier)]);
            if (!closed)
                return;
            continue;
        }
        if (c == u'$' && (i == 0 || !isIdentChar(text[i - 1]))) {
            qsizetype j = i + 1;
            if (j < n && text[j].isDigit()) {
                while (j < n && text[j].isDigit())
                    ++j;
                setFormat(int(i), int(j - i), m_formats[int(Kind::Placeholder)]);
                i = j;
                continue;
            }
            while (j < n && (text[j].isLetterOrNumber() || text[j] == u'_'))
                ++j;
            if (j < n && text[j] == u'$') {
                const QString tag = text.mid(i, j - i + 1);
                const qsizetype start = i;
                i = j + 1;
                const bool closed = closeDollar(tag);
                setFormat(int(start), int((closed ? i : n) - start), m_formats[int(Kind::String)]);
                if (!closed)
                    return;
                continue;
            }
            ++i;
            continue;
        }
        if (c.isDigit() && (i == 0 || !isIdentChar(text[i - 1]))) {
            qsizetype j = i;
            while (j < n && (text[j].isDigit() || text[j] == u'.'))
                ++j;
            setFormat(int(i), int(j - i), m_formats[int(Kind::Number)]);
            i = j;
            continue;
        }
        if (c.isLetter() || c == u'_') {
            qsizetype j = i;
            while (j < n && isIdentChar(text[j]))
                ++j;
            if (keywords().contains(text.mid(i, j - i).toLower()))
                setFormat(int(i), int(j - i), m_formats[int(Kind::Keyword)]);
            i = j;
            continue;
        }
        ++i;
    }
}

} // namespace plansight::gui
