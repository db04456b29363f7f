#include "jobprogress.h"

#include "present/progress.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

#include <algorithm>

namespace plansight::gui {

namespace {
constexpr int BarMax = 1000;
}

JobProgress::JobProgress(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("jobProgress"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("progressText"));
    m_text->setTextFormat(Qt::PlainText);
    // A long step's text must not push the bar and Cancel out of the status bar: elided to the room it has.
    m_text->setMinimumWidth(120);
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_text->installEventFilter(this);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("progress"));
    m_bar->setRange(0, BarMax);
    m_bar->setTextVisible(false); // the words beside it start with the percent
    m_bar->setFixedWidth(160);
    m_words = new QLabel(this);
    m_words->setObjectName(QStringLiteral("progressWords"));
    m_words->setTextFormat(Qt::PlainText);
    m_cancel = new QToolButton(this);
    m_cancel->setObjectName(QStringLiteral("progressCancel"));
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_cancel->setText(QStringLiteral("Cancel"));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancel->setToolTip(QStringLiteral("Stop this job (Esc); what it changed is undone."));
    layout->addWidget(m_text, 1);
    layout->addWidget(m_bar);
    layout->addWidget(m_words);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, this, &JobProgress::cancelRequested);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &JobProgress::updateWords);
    hide();
}

void JobProgress::start(const QString &what)
{
    m_active = true;
    m_done = m_total = 0;
    m_clock.start();
    m_tick.start();
    setText(what);
    m_bar->setRange(0, 0); // indeterminate until a total comes
    m_cancel->setEnabled(true);
    updateWords();
    show();
}

void JobProgress::setProgress(qint64 done, qint64 total, const QString &text)
{
    if (!m_active)
        start(text);
    m_done = done;
    m_total = total;
    if (total > 0) {
        m_bar->setRange(0, BarMax);
        m_bar->setValue(int(double(BarMax) * double(std::clamp<qint64>(done, 0, total)) / double(total)));
    } else {
        m_bar->setRange(0, 0);
    }
    if (!text.isEmpty())
        setText(text);
    updateWords();
}

void JobProgress::stop()
{
    m_active = false;
    m_tick.stop();
    setText(QString());
    m_words->clear();
    hide();
}

QString JobProgress::text() const
{
    return m_fullText;
}

void JobProgress::setText(const QString &text)
{
    m_fullText = text;
    m_text->setToolTip(text);
    elide();
}

void JobProgress::elide()
{
    m_text->setText(m_text->fontMetrics().elidedText(m_fullText, Qt::ElideRight, std::max(0, m_text->width())));
}

bool JobProgress::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text && event->type() == QEvent::Resize)
        elide();
    return QWidget::eventFilter(watched, event);
}

QString JobProgress::words() const
{
    return m_words->text();
}

void JobProgress::updateWords()
{
    if (m_active)
        m_words->setText(progressWords(m_done, m_total, m_clock.elapsed()));
}

} // namespace plansight::gui
