#include "widgets/preview_widget.hpp"

#include "models/overlay_text.hpp"
#include "models/result_painter.hpp"

#include <QMouseEvent>
#include <QPainter>
#include <QResizeEvent>
#include <algorithm>
#include <chrono>
#include <utility>

namespace framebridge::ui {

namespace {

const QSize SMALLEST_FIT(160, 90);

// On the clock of ResultEvent::received_ns, the monotonic one.
std::int64_t steady_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

PreviewWidget::PreviewWidget(QWidget* parent) : QWidget(parent) {
    setObjectName("preview");
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(SMALLEST_FIT);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setFocusPolicy(Qt::ClickFocus);
    setToolTip(
        tr("Double-click (or F11) for full screen; Esc to leave. Ctrl+1 shows the "
           "frame's own pixels (drag to pan), Ctrl+0 fits it again"));
    clock_.start();
}

void PreviewWidget::show_frame(const QImage& image, quint64 seq, QSize frame_size) {
    image_ = image;
    seq_ = seq;
    const bool new_size = frame_size != frame_size_;
    frame_size_ = frame_size;
    if (new_size && zoom_ == Zoom::Actual) {
        fit_widget_to_zoom();
    }
    rate_.add(clock_.elapsed());
    ++frames_shown_;
    update();
}

void PreviewWidget::show_message(const QString& message) {
    image_ = {};
    message_ = message;
    if (!std::exchange(frame_size_, QSize()).isEmpty() && zoom_ == Zoom::Actual) {
        fit_widget_to_zoom();  // the message in view, not in the middle of a 4K frame's area
    }
    update();
}

void PreviewWidget::set_zoom(Zoom zoom) {
    if (zoom == zoom_) {
        return;
    }
    zoom_ = zoom;
    setCursor(zoom == Zoom::Actual ? Qt::OpenHandCursor : Qt::ArrowCursor);
    fit_widget_to_zoom();
    update();
}

void PreviewWidget::fit_widget_to_zoom() {
    const bool actual = zoom_ == Zoom::Actual && !frame_size_.isEmpty();
    // A scroll area around the widget keeps it at least this big, and scrolls when it is bigger.
    setMinimumSize(actual ? (QSizeF(frame_size_) / devicePixelRatioF()).toSize() : SMALLEST_FIT);
    Q_EMIT target_size_changed(target_size());
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

void PreviewWidget::add_results(const std::vector<app::ResultEvent>& events) {
    for (const app::ResultEvent& event : events) {
        results_.add(event);
    }
    update();
}

void PreviewWidget::clear_results() {
    results_.clear();
    update();
}

std::vector<ShownResult> PreviewWidget::shown_results() {
    return image_.isNull() ? std::vector<ShownResult>() : results_.shown(seq_, steady_now_ms());
}

double PreviewWidget::frames_per_second() {
    return rate_.per_second(clock_.elapsed());
}

QSize PreviewWidget::target_size() const {
    if (zoom_ == Zoom::Actual && !frame_size_.isEmpty()) {
        return frame_size_;
    }
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
    // Made for this size, so normally drawn 1:1; while the window is resized or the zoom
    // changes, scaled until the next image comes at the new size.
    const QSizeF logical = QSizeF(image_.size()) / devicePixelRatioF();
    const QSizeF shown = zoom_ == Zoom::Actual
                             ? QSizeF(frame_size_) / devicePixelRatioF()
                             : logical.scaled(QSizeF(size()), Qt::KeepAspectRatio);
    const QRectF where((width() - shown.width()) / 2, (height() - shown.height()) / 2,
                       shown.width(), shown.height());
    painter.drawImage(where, image_);
    // Results' text and legend keep to what is seen, below the info overlay when it is on; all of
    // the frame is "seen" when the widget is painted without being on screen (grab()).
    const QRect visible = visibleRegion().boundingRect();
    QRectF seen = visible.isEmpty() ? where : where.intersected(QRectF(visible));
    if (const QRect info = draw_overlay(painter); !info.isEmpty()) {
        seen.setTop(std::max(seen.top(), static_cast<qreal>(info.bottom())));
    }
    paint_results(painter, shown_results(), {where, frame_size_, seen});
}

QRect PreviewWidget::draw_overlay(QPainter& painter) {
    const QString text = overlay();
    if (text.isEmpty()) {
        return {};
    }
    const QRect box = painter.fontMetrics().boundingRect(text).adjusted(-6, -3, 6, 3);
    // In the corner of what is seen, where a scroll area shows part of a 1:1 frame.
    const QPoint corner = visibleRegion().boundingRect().topLeft() + QPoint(8, 8);
    const QRect placed = box.translated(corner - box.topLeft());
    painter.fillRect(placed, QColor(0, 0, 0, 160));
    painter.setPen(Qt::white);
    painter.drawText(placed, Qt::AlignCenter, text);
    return placed;
}

void PreviewWidget::mouseDoubleClickEvent(QMouseEvent* event) {
    event->accept();
    Q_EMIT double_clicked();
}

void PreviewWidget::mousePressEvent(QMouseEvent* event) {
    if (zoom_ != Zoom::Actual || event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    drag_from_ = event->globalPosition().toPoint();
    setCursor(Qt::ClosedHandCursor);
}

void PreviewWidget::mouseMoveEvent(QMouseEvent* event) {
    if (!drag_from_) {
        QWidget::mouseMoveEvent(event);
        return;
    }
    // Global positions: the widget itself moves under the mouse as the view pans.
    const QPoint now = event->globalPosition().toPoint();
    Q_EMIT dragged(now - *drag_from_);
    drag_from_ = now;
}

void PreviewWidget::mouseReleaseEvent(QMouseEvent* event) {
    if (drag_from_ && event->button() == Qt::LeftButton) {
        drag_from_.reset();
        setCursor(Qt::OpenHandCursor);
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void PreviewWidget::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    Q_EMIT target_size_changed(target_size());
}

}  // namespace framebridge::ui
