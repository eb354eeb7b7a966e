#pragma once

#include <QIcon>

namespace framebridge::ui {

/// @brief The app's icon in every size rendered from assets/framebridge.svg and compiled in
/// (ui/CMakeLists.txt); a null icon in a build made without rsvg-convert.
QIcon app_icon();

}  // namespace framebridge::ui
