#pragma once

#include <string>

namespace framebridge::app {

/// @brief Parses a GStreamer pipeline the way gst-launch-1.0 would, without starting it, and
/// returns what is wrong with it ("no element \"x\"", a syntax error), or "" when it parses.
/// OpenCV's backend, given a pipeline that names a missing element, prints GLib-CRITICAL lines
/// and says only that it did not open (or waits); this names the element first.
std::string gst_pipeline_problem(const std::string& pipeline);

}  // namespace framebridge::app
