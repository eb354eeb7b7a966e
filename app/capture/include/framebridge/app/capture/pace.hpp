#pragma once

namespace framebridge::app {

/// @brief Who sets the pace of the capture.
enum class Pace {
    Source,   ///< the source (or --fps): a reader that falls behind skips frames
    Clients,  ///< the slowest reader: no frame is skipped; for files only (--pace clients)
};

}  // namespace framebridge::app
