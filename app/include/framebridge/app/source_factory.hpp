#pragma once

#include "framebridge/app/frame_source.hpp"

#include <memory>
#include <string>

namespace framebridge::app {

/// @brief Opens the source a --source SPEC names, asking it for `geometry`.
/// Throws std::invalid_argument naming the spec when it is not one this build knows.
std::unique_ptr<FrameSource> make_source(const std::string& spec,
                                         const shm::FrameGeometry& geometry);

}  // namespace framebridge::app
