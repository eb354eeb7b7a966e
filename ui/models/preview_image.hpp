#pragma once
// Turning a frame in its slot into the preview's image in two steps: a quick sample while the
// slot is held (so the producer gets it back soon), then the smooth scaling on our own copy.

#include "framebridge/app/capture/local_frame.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <QImage>
#include <QSize>
#include <cstddef>
#include <cstdint>

namespace framebridge::ui {

/// @brief A frame's pixels where they are: row 0 at `pixels`, rows `stride` bytes apart.
struct FrameView {
    const std::byte* pixels = nullptr;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint32_t stride = 0;
    shm::PixelFormat format = shm::PixelFormat::Bgr8;
};

/// @brief Where `frame`'s pixels are, while the caller holds it.
FrameView view_of(const app::LocalFrame& frame);

/// @brief The largest size with the frame's aspect ratio that fits in `target` (at least 1x1).
QSize fit_size(QSize frame, QSize target);

/// @brief A copy of the frame, nearest-neighbour sampled down to twice the size that fits
/// `target` (never above the frame's own size). Null for an empty target or an unknown format.
QImage sample_frame(const FrameView& frame, QSize target);

/// @brief `sampled` smoothly scaled to the size that fits `target`.
QImage finish_preview(const QImage& sampled, QSize target);

}  // namespace framebridge::ui
