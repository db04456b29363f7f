#pragma once

// A non-modal banner at the top of the window: what happened and what to do, never a dialog box
// (docs/architecture.md, "Errors and threads"). Errors, warnings and information differ by colour; the user closes it,
// or the next message replaces it.
//
// Threading: GUI thread.

#include <QFrame>

class QLabel;
class QToolButton;

namespace plansight::gui {

class BannerWidget : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Info, Warning, Error };
    explicit BannerWidget(QWidget *parent = nullptr);

    // `message` may carry " Hint: ..." (Error::toString()): the hint goes on a second line as what to do.
    void showMessage(Kind kind, const QString &message, const QString &whatToDo = {});
    void dismiss();
    QString text() const; // plain text currently shown (tests)
    Kind kind() const { return m_kind; }

private:
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QToolButton *m_close = nullptr;
    Kind m_kind = Kind::Info;
    QString m_plain;
};

} // namespace plansight::gui
