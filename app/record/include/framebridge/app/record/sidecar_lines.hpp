#pragma once

#include "framebridge/app/server/result_event.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <cstdint>
#include <string>

namespace framebridge::app {

/// @brief The lines of a recording's sidecar, one JSON object each, without the newline; the
/// format is docs/recording.md's, which the Python SDK's recorder writes too.

/// @brief The first line: what was recorded, into which file, by what.
struct SidecarHeader {
    std::string stream;
    std::string video;  ///< the video file's name, without its folder
    shm::FrameGeometry geometry;
    double fps = 0.0;
    std::string encoder;
    std::string writer;               ///< who wrote the files, e.g. "framebridge-server"
    std::int64_t wall_offset_ns = 0;  ///< add to a monotonic time for Unix time
};
std::string header_line(const SidecarHeader& header);

/// @brief A frame written as the video's frame `index` (from 0).
std::string frame_line(std::uint64_t index, std::uint64_t seq, std::uint64_t capture_ns,
                       std::int64_t wall_offset_ns);

/// @brief A result a client sent about frame `event.result.seq` of the stream recorded.
std::string result_line(const ResultEvent& event);

/// @brief The last line, written when the recording stops cleanly.
std::string end_line(std::uint64_t frames, std::uint64_t dropped, std::uint64_t results);

/// @brief `text` as a JSON string, quotes included.
std::string json_string(const std::string& text);

}  // namespace framebridge::app
