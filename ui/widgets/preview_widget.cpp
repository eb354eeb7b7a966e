#include "widgets/preview_widget.hpp"

#include "models/overlay_text.hpp"

#include <QMouseEvent>
#include <QPainter>
#include <QResizeEvent>

namespace framebridge::ui {

PreviewWidget::PreviewWidget(QWidget* parent) : QWidget(parent) {
    setObjectName("preview");
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(160, 90);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setFocusPolicy(Qt::ClickFocus);
    setToolTip(tr("Double-click (or F11) for full screen; Esc to leave"));
    clock_.start();
}

void PreviewWidget::show_frame(const QImage& image, quint64 seq, QSize frame_size) {
    image_ = image;
    seq_ = seq;
    frame_size_ = frame_size;
    rate_.add(clock_.elapsed());
    ++frames_shown_;
    update();
}

void PreviewWidget::show_message(const QString& message) {
    image_ = {};
    message_ = message;
    update();
}

void PreviewWidget::set_overlay(bool on) {
    overlay_ = on;
    update();
}

QString PreviewWidget::overlay() {
    if (!overlay_ || image_.isNull()) {
        return {};
    }
    return overlay_text(frame_size_, rate_.per_second(clock_.elapsed()), seq_);
}

double PreviewWidget::frames_per_second() {
    return rate_.per_second(clock_.elapsed());
}

QSize PreviewWidget::target_size() const {
    return size() * devicePixelRatioF();
}

QSize PreviewWidget::sizeHint() const {
    return {960, 540};
}

void PreviewWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::black);
    if (image_.isNull()) {
        painter.setPen(Qt::lightGray);
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, message_);
        return;
    }
    // Made for this size, so normally drawn 1:1; while the window is resized, scaled to fit.
    const QSizeF logical = QSizeF(image_.size()) / devicePixelRatioF();
    const QSizeF shown = logical.scaled(QSizeF(size()), Qt::KeepAspectRatio);
    const QRectF where((width() - shown.width()) / 2, (height() - shown.height()) / 2,
                       shown.width(), shown.height());
    painter.drawImage(where, image_);
    if (const QString text = overlay(); !text.isEmpty()) {
        const QRect box = painter.fontMetrics().boundingRect(text).adjusted(-6, -3, 6, 3);
        const QRect placed = box.translated(QPoint(8, 8) - box.topLeft());
        painter.fillRect(placed, QColor(0, 0, 0, 160));
        painter.setPen(Qt::white);
        painter.drawText(placed, Qt::AlignCenter, text);
    }
}

void PreviewWidget::mouseDoubleClickEvent(QMouseEvent* event) {
    event->accept();
    Q_EMIT double_clicked();
}

void PreviewWidget::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    Q_EMIT target_size_changed(target_size());
}

}  // namespace framebridge::ui
