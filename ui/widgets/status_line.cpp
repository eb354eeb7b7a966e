#include "widgets/status_line.hpp"

#include "models/byte_size.hpp"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace framebridge::ui {

QString connect_line(std::uint16_t port) {
    return QString("fb.connect(port=%1)").arg(port);
}

StatusLine::StatusLine(QWidget* parent)
    : QWidget(parent),
      state_(new QLabel),
      segment_(new QLabel),
      port_(new QLabel),
      connect_(new QLineEdit) {
    connect_->setReadOnly(true);
    connect_->setObjectName("connect_line");
    connect_->setToolTip(tr("Paste into a Python script: import framebridge as fb"));
    connect_->setMinimumWidth(connect_->fontMetrics().horizontalAdvance(connect_line(65535)) + 16);
    auto* copy = new QToolButton;
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the connect line"));
    connect(copy, &QToolButton::clicked, this,
            [this] { QApplication::clipboard()->setText(connect_->text()); });
    segment_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long words (a long path, an error) are cut at the window's edge, never widen it; the
    // tooltip has them whole.
    state_->setObjectName("state");
    state_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    state_->setMinimumWidth(80);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(state_, 1);
    layout->addWidget(segment_);
    layout->addWidget(port_);
    layout->addWidget(connect_);
    layout->addWidget(copy);
    show_state(tr("Stopped"));
}

void StatusLine::show_running(const CaptureInfo& info) {
    show_stream_state(info.fps > 0 ? tr("Capturing %1 at %2 fps").arg(info.source).arg(info.fps)
                                   : tr("Capturing %1").arg(info.source));
    segment_->setText(tr("Segment %1 (%2)").arg(info.segment, byte_size_text(info.segment_bytes)));
    port_->setText(tr("Port %1").arg(info.port));
    connect_->setText(connect_line(info.port));
}

void StatusLine::show_state(const QString& state) {
    show_stream_state(state);
    segment_->clear();
    port_->clear();
    connect_->clear();
}

void StatusLine::show_stream_state(const QString& text) {
    state_->setText(text);
    state_->setToolTip(text);
}

QString StatusLine::state_text() const {
    return state_->text();
}

QString StatusLine::connect_text() const {
    return connect_->text();
}

}  // namespace framebridge::ui
