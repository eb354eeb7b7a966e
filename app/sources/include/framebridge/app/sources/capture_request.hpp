#pragma once

#include "framebridge/shm/segment_layout.hpp"

#include <optional>
#include <string>

namespace framebridge::app {

/// @brief What the user asked of a source; each source takes what applies to it.
struct CaptureRequest {
    std::optional<shm::FrameGeometry> size;  ///< none: the source's own
    std::optional<double> fps;               ///< none: the source's own; 0: as fast as it goes
    std::string fourcc;                      ///< cameras only; empty: MJPG above 1080p
    bool loop = false;                       ///< files: start again at the end
};

}  // namespace framebridge::app
