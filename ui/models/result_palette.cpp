#include "models/result_palette.hpp"

#include <array>

namespace framebridge::ui {

QColor result_colour(int index) {
    // Saturated and light: each stands out on camera images, and black text reads on all.
    static const std::array<QRgb, RESULT_COLOURS> palette{
        qRgb(0x00, 0xE6, 0x76),  // green
        qRgb(0xFF, 0x3D, 0x71),  // red
        qRgb(0x40, 0xC4, 0xFF),  // sky blue
        qRgb(0xFF, 0xEA, 0x00),  // yellow
        qRgb(0xE0, 0x40, 0xFB),  // violet
        qRgb(0xFF, 0x91, 0x00),  // orange
        qRgb(0xFF, 0xFF, 0xFF),  // white
        qRgb(0x8C, 0x9E, 0xFF),  // periwinkle
    };
    const int wrapped = ((index % RESULT_COLOURS) + RESULT_COLOURS) % RESULT_COLOURS;
    return QColor(palette[static_cast<std::size_t>(wrapped)]);
}

}  // namespace framebridge::ui
