#pragma once

#include "framebridge/app/sources/capture_request.hpp"
#include "framebridge/app/sources/frame_source.hpp"

#include <memory>
#include <string>

namespace framebridge::app {

/// @brief Opens the source a --source SPEC names, asking it for what `request` says.
/// Throws std::invalid_argument for a spec this build cannot serve, SourceError (a
/// std::runtime_error) for a source that does not open; both name the source.
std::unique_ptr<FrameSource> make_source(const std::string& spec, const CaptureRequest& request);

/// @brief True when this build can open cameras, files and streams (it has OpenCV).
bool can_open_video_sources() noexcept;

}  // namespace framebridge::app
