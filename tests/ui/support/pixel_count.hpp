#pragma once

#include <QColor>
#include <QImage>
#include <QRect>

namespace framebridge::ui::test {

/// @brief Pixels of `image` in `area` within `tolerance` of `colour` in each channel (text is
/// smoothed; shapes drawn without smoothing need none).
inline int pixels_of(const QImage& image, const QRect& area, const QColor& colour,
                     int tolerance = 0) {
    int count = 0;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            const bool near = qAbs(pixel.red() - colour.red()) <= tolerance &&
                              qAbs(pixel.green() - colour.green()) <= tolerance &&
                              qAbs(pixel.blue() - colour.blue()) <= tolerance;
            count += near ? 1 : 0;
        }
    }
    return count;
}

}  // namespace framebridge::ui::test
