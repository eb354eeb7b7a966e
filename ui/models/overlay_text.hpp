#pragma once

#include <QSize>
#include <QString>
#include <cstdint>

namespace framebridge::ui {

/// @brief The preview's overlay: "1920x1080 · 29.8 fps · frame 541" (the frame's own size,
/// the preview's rate, the frame's number as clients see it).
QString overlay_text(QSize frame_size, double fps, std::uint64_t seq);

}  // namespace framebridge::ui
