#pragma once

#include <QColor>

namespace framebridge::ui {

/// @brief How many colours the preview gives the senders of results.
constexpr int RESULT_COLOURS = 8;

/// @brief Colour `index` (taken modulo RESULT_COLOURS) of the senders' palette: bright, told
/// apart from each other, and legible on video under black captions.
QColor result_colour(int index);

}  // namespace framebridge::ui
