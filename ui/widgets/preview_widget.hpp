#pragma once

#include "models/rate_meter.hpp"

#include <QElapsedTimer>
#include <QImage>
#include <QString>
#include <QWidget>
#include <cstdint>

namespace framebridge::ui {

/// @brief Shows the preview images the frame poller makes, centred, at the size they were made
/// for; a line of text instead while there is no capture.
class PreviewWidget : public QWidget {
    Q_OBJECT

public:
    explicit PreviewWidget(QWidget* parent = nullptr);

    void show_frame(const QImage& image, quint64 seq, QSize frame_size);
    /// @brief Draws the frame's size, the preview's fps and the frame number over the image.
    void set_overlay(bool on);
    /// @brief What the overlay says now; empty while it is off or there is no frame.
    QString overlay();
    /// @brief Drops the image and shows `message` instead.
    void show_message(const QString& message);
    /// @brief Images shown in the last second.
    double frames_per_second();
    /// @brief Images shown since the widget was made.
    std::uint64_t frames_shown() const noexcept { return frames_shown_; }
    /// @brief The size images should be made at, in device pixels.
    QSize target_size() const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void target_size_changed(QSize device_pixels);
    void double_clicked();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    QImage image_;
    quint64 seq_ = 0;
    QSize frame_size_;
    bool overlay_ = false;
    QString message_;
    RateMeter rate_;
    std::uint64_t frames_shown_ = 0;
    QElapsedTimer clock_;
};

}  // namespace framebridge::ui
