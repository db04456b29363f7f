#pragma once

// SQL highlighting for the Experiment editor's text fields (docs/experiments.md, "In the window"): keywords, strings
// ('...', E'...', "identifiers", $$dollar quotes$$), comments (-- and nested /* */), numbers and the $n placeholders
// the parameters bind to. Strings, dollar quotes and block comments may span lines: the state carried from one block
// to the next says which one is open (a dollar quote's tag is kept per block in SqlBlockData).
//
// Threading: the GUI thread, as every QSyntaxHighlighter.

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace plansight::gui {

class SqlHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit SqlHighlighter(QTextDocument *document);

    // The kinds of text it colours; formatFor() gives each one's format (tests read it back).
    enum class Kind { Keyword, String, QuotedIdentifier, Comment, Number, Placeholder };
    QTextCharFormat formatFor(Kind kind) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_formats[6];
};

} // namespace plansight::gui
