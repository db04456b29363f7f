#include "theme.h"

#include <QApplication>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QStyleOption>

#include <memory>

namespace plansight::gui {

namespace {
// Fusion outlines check boxes and radio buttons with the window colour made darker, which vanishes on a dark
// window. This style hands Fusion a lighter window colour for those indicators only, so their outline shows.
class DarkIndicatorStyle : public QProxyStyle {
public:
    DarkIndicatorStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) { }

    void drawPrimitive(
        PrimitiveElement element, const QStyleOption *option, QPainter *painter, const QWidget *widget) const override
    {
        if (element == PE_IndicatorCheckBox || element == PE_IndicatorItemViewItemCheck
            || element == PE_IndicatorRadioButton) {
            std::unique_ptr<QStyleOption> copy;
            if (const auto *vi = qstyleoption_cast<const QStyleOptionViewItem *>(option))
                copy = std::make_unique<QStyleOptionViewItem>(*vi);
            else if (const auto *b = qstyleoption_cast<const QStyleOptionButton *>(option))
                copy = std::make_unique<QStyleOptionButton>(*b);
            else
                copy = std::make_unique<QStyleOption>(*option);
            copy->palette.setColor(QPalette::Window, QColor(0xb0, 0xb4, 0xb8)); // outline: this, darker(140)
            QProxyStyle::drawPrimitive(element, copy.get(), painter, widget);
            return;
        }
        QProxyStyle::drawPrimitive(element, option, painter, widget);
    }
};
} // namespace

QPalette darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x30), base(0x1f, 0x21, 0x24), alternate(0x27, 0x29, 0x2c);
    const QColor text(0xe8, 0xe8, 0xe8), muted(0xa0, 0xa4, 0xa8), disabled(0x78, 0x7c, 0x80);
    const QColor button(0x3a, 0x3d, 0x41), highlight(0x2f, 0x7f, 0xd6);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::PlaceholderText, muted);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, button);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb8, 0x9a, 0xff));
    // Fusion draws frames, check box borders and separators from these: light enough to see on `window`.
    p.setColor(QPalette::Light, QColor(0x5a, 0x5e, 0x63));
    p.setColor(QPalette::Midlight, QColor(0x4a, 0x4e, 0x53));
    p.setColor(QPalette::Mid, QColor(0x44, 0x47, 0x4b));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, QColor(0x10, 0x10, 0x10));
    for (const QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4e, 0x53));
    return p;
}

void applyDarkPalette(bool dark)
{
    if (dark) {
        QApplication::setStyle(new DarkIndicatorStyle);
        QApplication::setPalette(darkPalette());
    } else {
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
}

} // namespace plansight::gui
