#include "models/overlay_text.hpp"

namespace framebridge::ui {

QString overlay_text(QSize frame_size, double fps, std::uint64_t seq) {
    return QString("%1x%2 · %3 fps · frame %4")
        .arg(frame_size.width())
        .arg(frame_size.height())
        .arg(fps, 0, 'f', 1)
        .arg(seq);
}

}  // namespace framebridge::ui
