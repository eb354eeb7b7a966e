#pragma once

#include "models/rate_meter.hpp"
#include "models/result_overlay.hpp"

#include <QElapsedTimer>
#include <QImage>
#include <QString>
#include <QWidget>

class QPainter;
#include <cstdint>
#include <optional>
#include <vector>

namespace framebridge::ui {

/// @brief Shows the preview images the frame poller makes, centred, at the size they were made
/// for; a line of text instead while there is no capture. Fitted to the widget, or at the
/// frame's own pixels (1:1), where the widget takes the frame's size for a scroll area to pan.
/// The results scripts send about the stream shown are drawn over it (see ResultOverlay).
class PreviewWidget : public QWidget {
    Q_OBJECT

public:
    enum class Zoom { Fit, Actual };

    explicit PreviewWidget(QWidget* parent = nullptr);

    void show_frame(const QImage& image, quint64 seq, QSize frame_size);
    /// @brief Draws the frame's size, the preview's fps and the frame number over the image.
    void set_overlay(bool on);
    /// @brief What the overlay says now; empty while it is off or there is no frame.
    QString overlay();
    void set_zoom(Zoom zoom);
    Zoom zoom() const noexcept { return zoom_; }
    /// @brief The size of the image shown now, in device pixels; empty when there is none.
    QSize image_size() const { return image_.size(); }
    /// @brief Results about the stream shown, drawn over the frames they name.
    void add_results(const std::vector<app::ResultEvent>& events);
    /// @brief Forgets every result: another stream is shown, or none.
    void clear_results();
    /// @brief What is drawn over the frame shown now, by sender.
    std::vector<ShownResult> shown_results();
    /// @brief Drops the image and shows `message` instead.
    void show_message(const QString& message);
    /// @brief The line shown instead of a frame; empty while a frame is shown.
    QString message() const { return image_.isNull() ? message_ : QString(); }
    /// @brief Images shown in the last second.
    double frames_per_second();
    /// @brief Images shown since the widget was made.
    std::uint64_t frames_shown() const noexcept { return frames_shown_; }
    /// @brief The size images should be made at, in device pixels: the widget's when fitted,
    /// the frame's at 1:1 (the widget's until a frame says its size).
    QSize target_size() const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void target_size_changed(QSize device_pixels);
    void double_clicked();
    /// @brief At 1:1 the user drags the image by `distance` (logical pixels): the view pans.
    void dragged(QPoint distance);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    void fit_widget_to_zoom();
    /// @brief Draws the info overlay in the corner of what is seen; returns where it went.
    QRect draw_overlay(QPainter& painter);

    QImage image_;
    quint64 seq_ = 0;
    QSize frame_size_;
    bool overlay_ = false;
    Zoom zoom_ = Zoom::Fit;
    std::optional<QPoint> drag_from_;  // global position, while the left button pans
    QString message_;
    RateMeter rate_;
    ResultOverlay results_;
    std::uint64_t frames_shown_ = 0;
    QElapsedTimer clock_;
};

}  // namespace framebridge::ui
