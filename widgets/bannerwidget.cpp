#include "bannerwidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace plansight::gui {

BannerWidget::BannerWidget(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("banner"));
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    m_icon = new QLabel(this);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(QStringLiteral("Dismiss"));
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &BannerWidget::dismiss);
    hide();
}

void BannerWidget::showMessage(Kind kind, const QString &message, const QString &whatToDo)
{
    m_kind = kind;
    QString cause = message;
    QString todo = whatToDo;
    const int hint = cause.indexOf(QLatin1String(" Hint: "));
    if (hint >= 0) {
        if (todo.isEmpty())
            todo = cause.mid(hint + 7);
        cause = cause.left(hint);
    }
    m_plain = todo.isEmpty() ? cause : cause + QLatin1Char('\n') + todo;
    QString html = QStringLiteral("<b>%1</b>").arg(cause.toHtmlEscaped());
    if (!todo.isEmpty())
        html += QStringLiteral("<br>%1").arg(todo.toHtmlEscaped());
    m_text->setText(html);
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    // Tinted backgrounds that keep the palette's text readable in light and dark themes.
    QColor tint(0x1f, 0x6f, 0xb8);
    if (kind == Kind::Warning) {
        icon = QStyle::SP_MessageBoxWarning;
        tint = QColor(0xd9, 0x82, 0x00);
    } else if (kind == Kind::Error) {
        icon = QStyle::SP_MessageBoxCritical;
        tint = QColor(0xd0, 0x21, 0x21);
    }
    const int px = style()->pixelMetric(QStyle::PM_SmallIconSize) * 3 / 2;
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(px, px));
    setStyleSheet(QStringLiteral("QFrame#banner { background-color: rgba(%1, %2, %3, 45); border: 1px solid rgba(%1, "
                                 "%2, %3, 160); border-radius: 4px; }")
                      .arg(tint.red())
                      .arg(tint.green())
                      .arg(tint.blue()));
    show();
}

void BannerWidget::dismiss()
{
    m_plain.clear();
    hide();
}

QString BannerWidget::text() const
{
    return m_plain;
}

} // namespace plansight::gui
