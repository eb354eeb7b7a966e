#pragma once

#include <string>

namespace framebridge::app {

/// @brief What a --source SPEC names.
struct SourceSpec {
    enum class Kind { Synthetic, Camera, File, Url, GStreamer };

    Kind kind = Kind::Synthetic;
    int camera_index = 0;  ///< Kind::Camera
    std::string target;    ///< file path, URL or GStreamer pipeline

    /// @brief For people: "synthetic", "camera:0", "file 'a.avi'", ...
    std::string describe() const;
};

/// @brief Reads a --source SPEC: `synthetic`, `camera:N` or `N`, `rtsp://...`, `http(s)://...`,
/// `gst:PIPELINE`, or else a file path. Throws std::invalid_argument naming the spec when it
/// cannot be one of those (an empty spec, a bad camera number, an empty pipeline).
SourceSpec parse_source_spec(const std::string& spec);

}  // namespace framebridge::app
