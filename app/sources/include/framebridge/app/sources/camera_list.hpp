#pragma once

#include "framebridge/app/sources/camera_settings.hpp"

#include <string>
#include <vector>

namespace framebridge::app {

/// @brief A camera the platform's capture backend opened, with what it reports by default.
struct CameraInfo {
    int index = 0;
    std::string backend;
    CameraSettings defaults;
};

/// @brief The cameras among indices 0..max_index-1 that open.
std::vector<CameraInfo> list_cameras(int max_index = 10);

/// @brief The list as lines for a person, or a line saying none was found and where we looked.
std::vector<std::string> describe_cameras(const std::vector<CameraInfo>& cameras, int max_index);

}  // namespace framebridge::app
